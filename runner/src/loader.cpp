// Test selection by id and by -k pattern, with "did you mean" suggestions for ids that match nothing.
#include <assay/loader.hpp>

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <string_view>

namespace assay {

bool matches_pattern(const std::string& pattern, const std::string& id) {
  // Without glob characters, `*pattern*` is a substring test: no glob to build or interpret per test.
  if (pattern.find_first_of("*?[\\") == std::string::npos) return id.find(pattern) != std::string::npos;
  // A row's id read literally matches too: `-k 'test_square[2-4]'` (as a glob, `[2-4]` is one digit).
  if (id.find(pattern) != std::string::npos) return true;
  const std::string glob = pattern.find('*') == std::string::npos ? "*" + pattern + "*" : pattern;
  return ::fnmatch(glob.c_str(), id.c_str(), 0) == 0;  // no FNM_CASEFOLD: case-sensitive, as fnmatchcase
}

namespace {

bool is_prefix_on_boundary(const std::string& name, const std::string& id) {
  // `Class.test_square` names each of its rows, `Class.test_square[2-4]`, too.
  return id.size() > name.size() && id.compare(0, name.size(), name) == 0 &&
         (id[name.size()] == '.' || id[name.size()] == '[');
}

// Levenshtein distance, or `limit + 1` as soon as it must exceed `limit` (suggestions further away are
// not shown, and ten thousand ids are scored for one unknown name). `row` is scratch space.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit, std::vector<std::size_t>& row) {
  if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
  row.resize(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    std::size_t least = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
      least = std::min(least, row[j]);
    }
    if (least > limit) return limit + 1;
  }
  return std::min(row[b.size()], limit + 1);
}

}  // namespace

bool matches_id(const std::string& name, const test_info& t) {
  if (name == t.id || is_prefix_on_boundary(name, t.id)) return true;
  // Without the module: `Class`, `Class.test` (and `ns.Class…` for classes in namespaces).
  const std::string in_module = t.id.substr(t.module->name.size() + 1);
  return name == in_module || is_prefix_on_boundary(name, in_module);
}

std::vector<std::string> closest_ids(const std::string& name, const std::vector<test_info*>& tests,
                                     std::size_t count) {
  std::set<std::string> candidates;
  for (const test_info* t : tests) {
    candidates.insert(t->id);
    candidates.insert(t->module->name);
    candidates.insert(t->module->name + "." + t->cls->name);
  }
  const std::size_t limit = std::max<std::size_t>(3, name.size() / 2);
  std::vector<std::pair<std::size_t, std::string>> scored;
  std::vector<std::size_t> row;
  for (const std::string& c : candidates) {
    // Score against the id and against its tail, so `Class.test_x` is close to `module.Class.test_x`.
    const std::string_view id = c;
    std::size_t best = edit_distance(name, id, limit, row);
    for (std::size_t dot = id.find('.'); dot != std::string::npos && best > 0; dot = id.find('.', dot + 1))
      best = std::min(best, edit_distance(name, id.substr(dot + 1), limit, row));
    if (best <= limit) scored.emplace_back(best, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& s : scored) {
    if (out.size() == count) break;
    out.push_back(s.second);
  }
  return out;
}

std::string no_match_error(const std::string& lead, const std::string& name, const std::vector<test_info*>& tests) {
  std::string error = lead + " '" + name + "'";
  const std::vector<std::string> near = closest_ids(name, tests);
  if (!near.empty()) {
    error += "; did you mean";
    for (std::size_t i = 0; i < near.size(); ++i) error += (i ? ", " : " ") + near[i];
    error += "?";
  }
  return error;
}

std::vector<const test_info*> select_tests(const std::vector<test_info*>& tests, const std::vector<std::string>& names,
                                           const std::vector<std::string>& patterns, std::string& error) {
  std::vector<const test_info*> chosen;
  auto wanted = [&](const test_info* t) {
    return patterns.empty() ||
           std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return matches_pattern(p, t->id); });
  };
  if (names.empty()) {
    for (const test_info* t : tests)
      if (wanted(t)) chosen.push_back(t);
    return chosen;
  }
  // A test named twice runs twice, in the order given, as unittest's loader builds its suite.
  auto keep = [&](const test_info* t) {
    if (wanted(t)) chosen.push_back(t);
  };
  for (const std::string& name : names) {
    bool any = false;
    for (const test_info* t : tests) {
      if (matches_id(name, *t)) {
        any = true;
        keep(t);
      }
    }
    if (!any) {
      // A test of an abstract class exists, and runs only in its subclasses: say so.
      for (const test_info* t : abstract_tests()) {
        if (!matches_id(name, *t)) continue;
        error = no_match_error("no test matches", name, tests);
        error.insert(std::string("no test matches '").size() + name.size() + 1,
                     ": " + t->module->name + "." + t->cls->name + " is abstract, its tests run in its subclasses");
        return {};
      }
      error = no_match_error("no test matches", name, tests);
      return {};
    }
  }
  return chosen;
}

std::vector<const test_info*> exclude_tests(const std::vector<const test_info*>& tests,
                                            const std::vector<std::string>& patterns) {
  if (patterns.empty()) return tests;
  std::vector<const test_info*> kept;
  for (const test_info* t : tests)
    if (std::none_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return matches_pattern(p, t->id); }))
      kept.push_back(t);
  return kept;
}

}  // namespace assay
