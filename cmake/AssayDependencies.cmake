# assay's optional dependencies, found at configure time, never discovered half-way through a build:
# a selftest part whose package is missing is left out, all of them named in ONE configure message with
# their Debian packages; an option that cannot work without its package stops the configure step.
# The library itself needs none of them. Included by the top-level CMakeLists.txt.
include_guard(GLOBAL)

set(assay_missing_parts "")
set(assay_missing_packages "")
if(ASSAY_BUILD_TESTS)
  # fmt: the selftests of <assay/fmt.hpp> (printing through fmt::formatter).
  find_package(fmt QUIET)
  if(NOT fmt_FOUND)
    list(APPEND assay_missing_parts "fmt (Debian package libfmt-dev): the selftests of assay/fmt.hpp")
    list(APPEND assay_missing_packages libfmt-dev)
  endif()
  # xmllint: the JUnit reports are validated against the schema; without it those tests are not registered.
  find_program(ASSAY_XMLLINT xmllint)
  if(NOT ASSAY_XMLLINT)
    list(APPEND assay_missing_parts
         "xmllint (Debian package libxml2-utils): the JUnit report goldens and the consumer-project tests")
    list(APPEND assay_missing_packages libxml2-utils)
  endif()
  # gdb: --break-on-failure stops in a debugger (selftest/debugger.cmake).
  find_program(ASSAY_GDB gdb)
  if(NOT ASSAY_GDB)
    list(APPEND assay_missing_parts "gdb (Debian package gdb): the debugger test of --break-on-failure")
    list(APPEND assay_missing_packages gdb)
  endif()
endif()
if(ASSAY_BUILD_BENCHMARKS)
  find_package(benchmark QUIET)
  if(NOT benchmark_FOUND)
    message(FATAL_ERROR "assay: ASSAY_BUILD_BENCHMARKS=ON needs Google Benchmark (Debian package libbenchmark-dev): "
                        "install it, or configure with -DASSAY_BUILD_BENCHMARKS=OFF")
  endif()
endif()
if(assay_missing_parts)
  list(JOIN assay_missing_parts "\n  - " parts)
  list(JOIN assay_missing_packages " " packages)
  message(NOTICE "assay: optional packages not found; the library builds in full, these selftest parts are skipped:\n"
                 "  - ${parts}\n"
                 "Install them to build everything (Debian: apt-get install ${packages}).")
endif()
