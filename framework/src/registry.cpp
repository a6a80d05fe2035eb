// The registry: tests, classes and modules registered at static initialisation, in their run order.
#include <assay/registry.hpp>

#include <algorithm>
#include <map>
#include <tuple>

#include <assay/detail/internal.hpp>

namespace assay {

namespace {

struct store {
  std::deque<module_info> modules;
  std::deque<class_info> classes;
  std::deque<test_info> tests;
  std::map<std::string, module_info*> module_by_file;
  std::map<std::string, class_info*> class_by_pretty;
  std::map<std::tuple<std::string, const void*, const void*>, test_info> fixtures;
  std::vector<test_info*> ordered;
  bool sorted = false;
};

// Constructed on first use: registration happens during static initialisation, in any order of files.
store& the_store() {
  static store s;
  return s;
}

std::string stem_of(const std::string& file) {
  std::size_t slash = file.find_last_of("/\\");
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  std::size_t dot = base.rfind('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

module_info& module_for(const char* file) {
  store& s = the_store();
  // Tests of one file register one after another: remember the last file (same literal, same pointer).
  static const char* last_file = nullptr;
  static module_info* last_module = nullptr;
  if (file == last_file) return *last_module;
  auto it = s.module_by_file.find(file);
  last_file = file;
  if (it != s.module_by_file.end()) return *(last_module = it->second);
  if (it != s.module_by_file.end()) return *it->second;
  module_info& m = s.modules.emplace_back();
  m.file = file;
  m.name = stem_of(m.file);
  s.module_by_file.emplace(file, &m);
  last_module = &m;
  return m;
}

std::string dotted(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name.compare(i, 2, "::") == 0) {
      out += '.';
      ++i;
    } else {
      out += name[i];
    }
  }
  return out;
}

}  // namespace

std::string test_info::description() const { return method + " (" + id + ")"; }

namespace detail {

int register_test(const char* class_pretty, const char* method, entry_fn entry, const char* file, int line,
                  std::initializer_list<test_option> options) {
  store& s = the_store();
  module_info& module = module_for(file);
  // Keyed by name and file: classes of one name in anonymous namespaces of two files stay apart.
  // The tests of a class register consecutively, so the last class is checked first.
  static const char* last_pretty = nullptr;
  static const char* last_file = nullptr;
  static class_info* last_class = nullptr;
  if (class_pretty != last_pretty || file != last_file) {
    class_info*& slot = s.class_by_pretty[std::string(class_pretty) + '\n' + file];
    if (!slot) {
      slot = &s.classes.emplace_back();
      slot->name = dotted(type_from_pretty(str{class_pretty, cstr_len(class_pretty)}));
      slot->module = &module;
      slot->entry = entry;
      slot->order = s.classes.size();
    }
    last_pretty = class_pretty, last_file = file, last_class = slot;
  }
  class_info* const cls = last_class;
  test_info& t = s.tests.emplace_back();
  t.method = method;
  t.cls = cls;
  t.module = cls->module;
  t.entry = entry;
  t.file = file;
  t.line = line;
  t.id = t.module->name + "." + cls->name + "." + t.method;
  for (const test_option& o : options) {
    if (!o.active) continue;
    switch (o.kind) {
      case test_option::skip:
        t.skip = true;
        t.skip_reason = to_string(o.reason);
        break;
      case test_option::expected_failure: t.expected_failure = true; break;
      case test_option::timeout: t.timeout = o.seconds; break;
      case test_option::not_collected: t.collected = false; break;
    }
  }
  s.sorted = false;
  return static_cast<int>(s.tests.size());
}

int register_module_fixture(const char* file, void (*fn)(), bool set_up) {
  module_info& m = module_for(file);
  (set_up ? m.set_up : m.tear_down) = fn;
  return 0;
}

}  // namespace detail

const std::vector<test_info*>& all_tests() {
  store& s = the_store();
  if (!s.sorted) {
    s.ordered.clear();
    for (test_info& t : s.tests)
      if (t.collected) s.ordered.push_back(&t);
    // Modules by name (as unittest discovery does); classes and tests in declaration order, taken from
    // source lines: the order of static initialisation differs between compilers (anonymous namespaces).
    for (class_info& c : s.classes) c.first_line = 0;
    for (const test_info* t : s.ordered)
      if (t->cls->first_line == 0 || t->line < t->cls->first_line) t->cls->first_line = t->line;
    std::stable_sort(s.ordered.begin(), s.ordered.end(), [](const test_info* a, const test_info* b) {
      if (a->module != b->module && a->module->name != b->module->name) return a->module->name < b->module->name;
      if (a->module != b->module) return a->module->file < b->module->file;
      if (a->cls != b->cls) {
        if (a->cls->first_line != b->cls->first_line) return a->cls->first_line < b->cls->first_line;
        return a->cls->order < b->cls->order;
      }
      return a->line < b->line;
    });
    for (std::size_t i = 0; i < s.ordered.size(); ++i) s.ordered[i]->index = i;
    s.sorted = true;
  }
  return s.ordered;
}

const test_info* find_test(const std::string& id) {
  for (const test_info& t : the_store().tests)
    if (t.id == id) return &t;
  return nullptr;
}

const test_info& fixture_test(const char* fixture_name, class_info* cls, module_info* module) {
  store& s = the_store();
  auto key = std::make_tuple(std::string(fixture_name), static_cast<const void*>(cls), static_cast<const void*>(module));
  auto it = s.fixtures.find(key);
  if (it != s.fixtures.end()) return it->second;
  test_info& t = s.fixtures[key];
  t.kind = cls ? test_info::class_fixture : test_info::module_fixture;
  t.method = fixture_name;
  t.cls = cls;
  t.module = module;
  t.file = module ? module->file : std::string();
  t.id = cls ? module->name + "." + cls->name : module->name;
  t.index = static_cast<std::size_t>(-1);
  return t;
}

}  // namespace assay
