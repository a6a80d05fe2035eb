// Selecting tests: positional ids (`module.Class.test`, `Class`, …) and -k patterns, as unittest's loader does.
#pragma once

#include <string>
#include <vector>

#include <assay/registry.hpp>

namespace assay {

/// unittest's -k rule: a pattern without `*` matches as `*pattern*`; fnmatch, case-sensitive, on the full id.
bool matches_pattern(const std::string& pattern, const std::string& id);

/// True when `name` (`module`, `module.Class`, `Class`, `Class.test`, `module.Class.test`) names test `t`.
bool matches_id(const std::string& name, const test_info& t);

/// The registered ids closest to `name` (edit distance), best first, for "did you mean" messages.
std::vector<std::string> closest_ids(const std::string& name, const std::vector<test_info*>& tests,
                                     std::size_t count = 3);

/// "<lead> '<name>'; did you mean a, b, c?": the error for a name that matches no test.
std::string no_match_error(const std::string& lead, const std::string& name, const std::vector<test_info*>& tests);

/// Tests selected by `names` (in the order given; all tests when empty), filtered by `patterns`.
/// A name matching no test is reported in `error` and the result is empty.
std::vector<const test_info*> select_tests(const std::vector<test_info*>& tests, const std::vector<std::string>& names,
                                           const std::vector<std::string>& patterns, std::string& error);

/// `tests` without those whose id matches any of `patterns` (--exclude; -k's matching), in order.
std::vector<const test_info*> exclude_tests(const std::vector<const test_info*>& tests,
                                            const std::vector<std::string>& patterns);

}  // namespace assay
