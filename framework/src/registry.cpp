// The registry: tests, classes and modules registered at static initialisation, in their run order.
#include <assay/registry.hpp>

#include <algorithm>
#include <limits>
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

// `class_pretty` declared itself a subclass of `base_pretty` (TestCase<Derived, Base>).
struct subclass_record {
  const char* class_pretty;
  const char* base_pretty;
  detail::entry_fn entry;
  const char* file;
};

struct store {
  std::deque<module_info> modules;
  std::deque<class_info> classes;
  test_pool tests;
  std::map<std::string, module_info*> module_by_file;
  std::map<std::string, class_info*> class_by_pretty;
  std::map<std::string, class_info*> class_by_type;  // by pretty name alone: the first class of that name
  std::map<std::tuple<std::string, const void*, const void*>, test_info> fixtures;
  std::vector<test_info*> ordered;
  std::vector<subclass_record> subclasses;
  std::map<const test_info*, detail::table_fn> tables;       // TEST_P tables not yet made into rows
  std::map<const test_info*, std::string> table_errors;      // tests whose table made no rows
  bool sorted = false;
  bool resolved = false;  // inherited tests copied and class options applied
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

// The tags of a tag option (`slow`, or `slow db` from assay::tags) appended to the test's.
void add_tags(test_info& t, const detail::str& text) {
  const std::string_view all(text.data, text.size);
  for (std::size_t i = 0; i < all.size();) {
    const std::size_t end = std::min(all.find(' ', i), all.size());
    if (end > i) t.tags.push_back(all.substr(i, end - i));
    i = end + 1;
  }
}

void sort_tags(test_info& t) {
  std::sort(t.tags.begin(), t.tags.end());
  t.tags.erase(std::unique(t.tags.begin(), t.tags.end()), t.tags.end());
}

}  // namespace

std::string test_info::description() const { return method + " (" + id + ")"; }

namespace detail {

// assay::retries(n) carries its count as a double; capped as --retries is.
static int retry_count(double count) { return count > 2147483647.0 ? 2147483647 : static_cast<int>(count); }

int register_test(const char* class_pretty, const char* method, entry_fn entry, const char* file, int line,
                  std::initializer_list<test_option> options) {
  record_test(class_pretty, method, entry, file, line, options);
  return static_cast<int>(the_store().tests.size());
}

test_info& record_test(const char* class_pretty, const char* method, entry_fn entry, const char* file, int line,
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
      s.class_by_type.emplace(class_pretty, slot);
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
      case test_option::abstract: break;  // a class option
      case test_option::tag: add_tags(t, o.reason); break;
      case test_option::retries: t.retries = retry_count(o.seconds); break;
    }
  }
  if (t.tags.size() > 1) sort_tags(t);
  s.sorted = false;
  return t;
}

void set_table(const test_info& t, table_fn table) { the_store().tables[&t] = table; }

void set_table_error(test_info& t, std::string error) {
  t.entry = &table_error_entry;
  the_store().table_errors[&t] = std::move(error);
}

std::string table_error(const test_info& t) {
  const store& s = the_store();
  auto it = s.table_errors.find(&t);
  return it == s.table_errors.end() ? std::string() : it->second;
}

int register_subclass(const char* class_pretty, const char* base_pretty, entry_fn entry, const char* file) {
  store& s = the_store();
  s.subclasses.push_back(subclass_record{class_pretty, base_pretty, entry, file});
  s.sorted = false;
  return 1;
}

namespace {
// What the entry function of the class being described said (entry_op::describe).
bool described = false;
class_traits description;
}  // namespace

void describe_class(const class_traits& traits) noexcept {
  description = traits;
  described = true;
}

int register_module_fixture(const char* file, void (*fn)(), bool set_up) {
  module_info& m = module_for(file);
  (set_up ? m.set_up : m.tear_down) = fn;
  return 0;
}

}  // namespace detail

namespace {

void apply_option(test_info& t, const detail::test_option& o, bool from_class) {
  using detail::test_option;
  if (!o.active) return;
  switch (o.kind) {
    case test_option::skip:
      // A class's reason wins over its test's (unittest's TestCase.run reads the class's first).
      if (from_class || !t.skip) t.skip_reason = detail::to_string(o.reason);
      t.skip = true;
      break;
    case test_option::expected_failure: t.expected_failure = true; break;
    case test_option::timeout:
      // Capped as --timeout is (31 years): a deadline must stay countable in nanoseconds.
      if (!from_class || t.timeout == 0) t.timeout = o.seconds > 1e9 ? 1e9 : o.seconds;
      break;
    case test_option::not_collected: t.collected = false; break;
    case test_option::abstract: break;  // a class option, read by describe_as
    case test_option::tag: add_tags(t, o.reason); break;
    case test_option::retries:
      if (!from_class || t.retries < 0) t.retries = detail::retry_count(o.seconds);  // the test's own wins
      break;
  }
}

// A class by its pretty name: the one of `file` first (anonymous namespaces of two files may share names).
class_info* find_class(store& s, const char* pretty, const char* file) {
  auto here = s.class_by_pretty.find(std::string(pretty) + '\n' + file);
  if (here != s.class_by_pretty.end()) return here->second;
  auto any = s.class_by_type.find(pretty);
  return any == s.class_by_type.end() ? nullptr : any->second;
}

class_info& class_named(store& s, const subclass_record& r) {
  if (class_info* c = find_class(s, r.class_pretty, r.file)) return *c;
  module_info& module = module_for(r.file);
  class_info& c = s.classes.emplace_back();
  c.name = dotted(detail::type_from_pretty(detail::str{r.class_pretty, detail::cstr_len(r.class_pretty)}));
  c.module = &module;
  c.entry = r.entry;
  c.order = s.classes.size();
  c.id_prefix = module.name + "." + c.name + ".";
  s.class_by_type.emplace(r.class_pretty, &c);
  s.class_by_pretty.emplace(std::string(r.class_pretty) + '\n' + r.file, &c);
  return c;
}

// TEST_P: one test per row, `method[id]`, in the row order, at the table's line; a table in error stays
// one test (`method`) that reports the error when it runs, as unittest's loader reports a failed import.
void expand_tables(store& s) {
  const std::map<const test_info*, detail::table_fn> tables = std::move(s.tables);
  s.tables.clear();
  for (const auto& [record, table] : tables) {
    test_info* const t = const_cast<test_info*>(record);  // the store's own record
    std::vector<detail::table_row> rows;
    std::string error;
    if (!detail::collect_table(*t, table, rows, error)) {
      detail::set_table_error(*t, std::move(error));
      continue;
    }
    const test_info proto = *t;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      test_info& r = i == 0 ? *t : (s.tests.emplace_back() = proto);
      r.method = proto.method + "[" + rows[i].id + "]";
      r.id = proto.cls->id_prefix + r.method;
      r.row = rows[i].row;
    }
  }
}

// Python's inheritance of test methods: a subclass runs its bases' tests (theirs first, in their order,
// then its own in declaration order), on an object of the subclass, under its id and fixtures. A test the
// subclass declares again under the same name replaces the inherited one. Done once, after static
// initialisation (when the run first asks for its tests).
void resolve(store& s) {
  if (s.resolved) return;
  s.resolved = true;
  expand_tables(s);
  std::map<const class_info*, std::vector<test_info*>> own;
  s.tests.for_each([&](test_info& t) {
    if (t.inherited == 0) own[t.cls].push_back(&t);
  });
  for (auto& [cls, tests] : own)
    std::stable_sort(tests.begin(), tests.end(), [](const test_info* a, const test_info* b) { return a->line < b->line; });
  std::map<const class_info*, const class_info*> base_of;
  for (const subclass_record& r : s.subclasses) {
    class_info& c = class_named(s, r);
    if (class_info* base = find_class(s, r.base_pretty, r.file)) base_of[&c] = base;
  }
  std::map<const class_info*, std::vector<test_info*>> full;
  std::map<const class_info*, bool> busy;
  const auto full_list = [&](const auto& self, const class_info* c) -> const std::vector<test_info*>& {
    auto done = full.find(c);
    if (done != full.end()) return done->second;
    std::vector<test_info*> list;
    auto base = base_of.find(c);
    if (base != base_of.end() && !busy[c]) {
      busy[c] = true;
      const std::vector<test_info*> inherited = self(self, base->second);
      const std::vector<test_info*>& mine = own[c];
      std::size_t n = 0;
      for (const test_info* b : inherited) {
        bool overridden = false;
        for (const test_info* m : mine) overridden = overridden || m->method == b->method;
        if (overridden) continue;
        test_info& t = s.tests.emplace_back();
        t.method = b->method;
        t.file = b->file;  // the test's code is the base's: tracebacks point there
        t.line = b->line;
        t.entry = b->entry;  // its run calls the base's method, on an object of the subclass
        t.skip = b->skip;
        t.skip_reason = b->skip_reason;
        t.expected_failure = b->expected_failure;
        t.timeout = b->timeout;
        t.retries = b->retries;
        t.collected = b->collected;
        t.tags = b->tags;
        t.cls = const_cast<class_info*>(c);
        t.module = t.cls->module;
        t.id = t.cls->id_prefix + t.method;
        t.row = b->row;
        auto error = s.table_errors.find(b);
        if (error != s.table_errors.end()) s.table_errors.emplace(&t, error->second);
        t.inherited = ++n;
        list.push_back(&t);
      }
    }
    const std::vector<test_info*>& mine = own[c];
    list.insert(list.end(), mine.begin(), mine.end());
    return full[c] = std::move(list);
  };
  for (class_info& c : s.classes) full_list(full_list, &c);
  // Class options (decorators): every test of the class, inherited ones included.
  std::map<const class_info*, detail::class_options> declared;
  for (class_info& c : s.classes) {
    detail::described = false;
    case_base* none = nullptr;
    c.entry(detail::entry_op::describe, none);
    if (!detail::described) continue;
    c.abstract = detail::description.abstract;
    const detail::class_options options = detail::description.options;
    declared[&c] = options;
    for (size_type i = 0; i < options.size; ++i) {
      const detail::test_option& o = options.data[i];
      if (o.kind == detail::test_option::skip && o.active) c.skip = true;
      for (test_info* t : full[&c]) apply_option(*t, o, true);
    }
  }
  // Tags accumulate down the hierarchy, as pytest's class marks do (a subclass that declares options of
  // its own hides its bases' other options, not their tags).
  for (class_info& c : s.classes) {
    std::size_t depth = 0;  // (a cycle of bases cannot be declared, but stays finite here)
    for (auto base = base_of.find(&c); base != base_of.end() && depth < s.classes.size();
         base = base_of.find(base->second), ++depth) {
      const auto options = declared.find(base->second);
      if (options == declared.end()) continue;
      for (size_type i = 0; i < options->second.size; ++i) {
        const detail::test_option& o = options->second.data[i];
        if (o.kind != detail::test_option::tag) continue;
        for (test_info* t : full[&c]) apply_option(*t, o, true);
      }
    }
    for (test_info* t : full[&c])
      if (t->tags.size() > 1) sort_tags(*t);
  }
}

}  // namespace

const std::vector<test_info*>& all_tests() {
  store& s = the_store();
  resolve(s);
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
  const auto runs = [](const test_info& t) { return t.collected && !t.cls->abstract; };
  s.tests.for_each([&](test_info& t) {
    if (!runs(t)) return;
    ++collected;
    if (t.inherited) return;  // the base's lines say nothing of where the subclass stands
    if (t.cls->first_line == 0 || t.line < t.cls->first_line) t.cls->first_line = t.line;
  });
  // A subclass with no test of its own runs after the classes of its module that have some, by name.
  for (class_info& c : s.classes)
    if (c.first_line == 0) c.first_line = std::numeric_limits<int>::max();
  std::vector<class_info*> classes;
  for (class_info& c : s.classes) classes.push_back(&c);
  std::sort(classes.begin(), classes.end(), [](const class_info* a, const class_info* b) {
    if (a->module->rank != b->module->rank) return a->module->rank < b->module->rank;
    if (a->first_line != b->first_line) return a->first_line < b->first_line;
    if (a->first_line == std::numeric_limits<int>::max() && a->name != b->name) return a->name < b->name;
    return a->order < b->order;
  });
  for (std::size_t i = 0; i < classes.size(); ++i) classes[i]->rank = i;
  // Tests grouped by class in one pass (registration order kept), then by line within a class: a class's
  // tests register in source order, so that sort rarely has anything to do.
  std::vector<std::size_t> next(classes.size() + 1, 0);
  s.tests.for_each([&](test_info& t) {
    if (runs(t)) ++next[t.cls->rank + 1];
  });
  for (std::size_t i = 1; i < next.size(); ++i) next[i] += next[i - 1];
  const std::vector<std::size_t> bounds = next;
  s.ordered.assign(collected, nullptr);
  s.tests.for_each([&](test_info& t) {
    if (runs(t)) s.ordered[next[t.cls->rank]++] = &t;
  });
  // Inherited tests first, in their bases' order; then the class's own, by line.
  const auto by_line = [](const test_info* a, const test_info* b) {
    if ((a->inherited == 0) != (b->inherited == 0)) return a->inherited != 0;
    return a->inherited ? a->inherited < b->inherited : a->line < b->line;
  };
  for (std::size_t c = 0; c + 1 < bounds.size(); ++c) {
    const auto first = s.ordered.begin() + static_cast<std::ptrdiff_t>(bounds[c]);
    const auto last = s.ordered.begin() + static_cast<std::ptrdiff_t>(bounds[c + 1]);
    if (!std::is_sorted(first, last, by_line)) std::stable_sort(first, last, by_line);
  }
  for (std::size_t i = 0; i < s.ordered.size(); ++i) s.ordered[i]->index = i;
  s.sorted = true;
  return s.ordered;
}

std::vector<const test_info*> abstract_tests() {
  store& s = the_store();
  resolve(s);
  std::vector<const test_info*> out;
  s.tests.for_each([&](const test_info& t) {
    if (t.collected && t.cls->abstract) out.push_back(&t);
  });
  return out;
}

const test_info* find_test(const std::string& id) {
  resolve(the_store());
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
