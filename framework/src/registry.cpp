// The registry: tests, classes and modules registered at static initialisation, in their run order.
#include <assay/registry.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include <assay/detail/internal.hpp>

namespace assay {

namespace {

// Stable addresses, allocated a block of tests at a time (std::deque's blocks hold two or three).
class test_pool {
 public:
  test_info& emplace_back() {
    if (size_ % block == 0) blocks_.push_back(std::make_unique<test_info[]>(block));
    ++size_;
    return blocks_.back()[(size_ - 1) % block];
  }
  std::size_t size() const { return size_; }
  template <class F>
  void for_each(F f) {
    for (std::size_t i = 0; i < size_; ++i) f(blocks_[i / block][i % block]);
  }

 private:
  static constexpr std::size_t block = 256;
  std::vector<std::unique_ptr<test_info[]>> blocks_;
  std::size_t size_ = 0;
};

struct store {
  std::deque<module_info> modules;
  std::deque<class_info> classes;
  test_pool tests;
  std::map<std::string, module_info*> module_by_file;
  std::map<std::string, class_info*> class_by_pretty;
  std::map<std::tuple<std::string, const void*, const void*>, test_info> fixtures;
  std::vector<test_info*> ordered;
  bool sorted = false;
};

// Constructed on first use: registration happens during static initialisation, in any order of files.
// Never destroyed: test records are used until the process ends, and freeing 10,000 of them at exit
// would cost time (in a supervisor, a copy-on-write fault per page of heap its workers share).
store& the_store() {
  static store& s = *new store;
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
      slot->id_prefix = module.name + "." + slot->name + ".";
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
  t.id.reserve(cls->id_prefix.size() + t.method.size());
  t.id.append(cls->id_prefix).append(t.method);
  for (const test_option& o : options) {
    if (!o.active) continue;
    switch (o.kind) {
      case test_option::skip:
        t.skip = true;
        t.skip_reason = to_string(o.reason);
        break;
      case test_option::expected_failure: t.expected_failure = true; break;
      case test_option::timeout:
        // Capped as --timeout is (31 years): a deadline must stay countable in nanoseconds.
        t.timeout = o.seconds > 1e9 ? 1e9 : o.seconds;
        break;
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
  if (s.sorted) return s.ordered;
  // Modules by name (as unittest discovery does); classes and tests in declaration order, taken from
  // source lines: the order of static initialisation differs between compilers (anonymous namespaces).
  std::vector<module_info*> modules;
  for (module_info& m : s.modules) modules.push_back(&m);
  std::sort(modules.begin(), modules.end(), [](const module_info* a, const module_info* b) {
    return a->name != b->name ? a->name < b->name : a->file < b->file;
  });
  for (std::size_t i = 0; i < modules.size(); ++i) modules[i]->rank = i;
  for (class_info& c : s.classes) c.first_line = 0;
  std::size_t collected = 0;
  s.tests.for_each([&](test_info& t) {
    if (!t.collected) return;
    ++collected;
    if (t.cls->first_line == 0 || t.line < t.cls->first_line) t.cls->first_line = t.line;
  });
  std::vector<class_info*> classes;
  for (class_info& c : s.classes) classes.push_back(&c);
  std::sort(classes.begin(), classes.end(), [](const class_info* a, const class_info* b) {
    if (a->module->rank != b->module->rank) return a->module->rank < b->module->rank;
    if (a->first_line != b->first_line) return a->first_line < b->first_line;
    return a->order < b->order;
  });
  for (std::size_t i = 0; i < classes.size(); ++i) classes[i]->rank = i;
  // Tests grouped by class in one pass (registration order kept), then by line within a class: a class's
  // tests register in source order, so that sort rarely has anything to do.
  std::vector<std::size_t> next(classes.size() + 1, 0);
  s.tests.for_each([&](test_info& t) {
    if (t.collected) ++next[t.cls->rank + 1];
  });
  for (std::size_t i = 1; i < next.size(); ++i) next[i] += next[i - 1];
  const std::vector<std::size_t> bounds = next;
  s.ordered.assign(collected, nullptr);
  s.tests.for_each([&](test_info& t) {
    if (t.collected) s.ordered[next[t.cls->rank]++] = &t;
  });
  const auto by_line = [](const test_info* a, const test_info* b) { return a->line < b->line; };
  for (std::size_t c = 0; c + 1 < bounds.size(); ++c) {
    const auto first = s.ordered.begin() + static_cast<std::ptrdiff_t>(bounds[c]);
    const auto last = s.ordered.begin() + static_cast<std::ptrdiff_t>(bounds[c + 1]);
    if (!std::is_sorted(first, last, by_line)) std::stable_sort(first, last, by_line);
  }
  for (std::size_t i = 0; i < s.ordered.size(); ++i) s.ordered[i]->index = i;
  s.sorted = true;
  return s.ordered;
}

const test_info* find_test(const std::string& id) {
  const test_info* found = nullptr;
  the_store().tests.for_each([&](const test_info& t) {
    if (!found && t.id == id) found = &t;
  });
  return found;
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
  t.file = module ? module->file.c_str() : "";
  t.id = cls ? module->name + "." + cls->name : module->name;
  t.index = static_cast<std::size_t>(-1);
  return t;
}

}  // namespace assay
