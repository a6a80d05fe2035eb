# CTest integration for assay test binaries.
include_guard(GLOBAL)
