// The CTest side of a test binary: the listing assay_discover_tests reads (--list=ctest) and exact selection (--id).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <assay/registry.hpp>

namespace assay {

/// The lines that frame the machine listing: whatever else the binary prints (static initialisers,
/// libraries' banners) is outside them and ignored. Keep in sync with cmake/AssayAddTests.cmake.
inline constexpr const char* list_begin_marker = "#assay:list:begin:v2";
inline constexpr const char* list_end_marker = "#assay:list:end";

/// Percent-encodes what a listing field must not carry raw: `%`, control characters, and the characters
/// CMake lists treat specially (`;`, `[`, `]`, `\`).
std::string encode_list_field(const std::string& text);

/// Writes `tests` between the markers, one line per test: `id TAB module TAB class TAB file TAB line TAB
/// tags`, each field encoded by encode_list_field (class is `module.Class`; tags joined by `,`, maybe none).
void write_ctest_listing(std::FILE* out, const std::vector<const test_info*>& tests);

/// Tests whose id, class (`module.Class`) or module is exactly one of `ids`: a literal comparison, with no
/// patterns and no prefixes, so any character in a name is safe. In the order of `ids`, then registry order;
/// filtered by the -k `patterns`. An id that names nothing is reported in `error` (with the closest ids).
std::vector<const test_info*> select_exact(const std::vector<test_info*>& tests, const std::vector<std::string>& ids,
                                           const std::vector<std::string>& patterns, std::string& error);

}  // namespace assay
