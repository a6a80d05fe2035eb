// Parameterised and typed tests: the ids of rows and types, checked, and the errors of tables that make none.
#include <assay/param.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <assay/detail/internal.hpp>
#include <assay/execution.hpp>
#include <assay/registry.hpp>

namespace assay {

/// What a test whose table made no rows raises when it runs: pytest's "ERROR collecting".
class CollectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

struct row_sink {
  struct entry {
    std::string id;
    bool named;
    const void* row;
  };
  std::vector<entry> rows;
};

void add_row(row_sink& sink, const void* row, const text* name, const value_ref* values, size_type count) {
  std::string id;
  if (name) {
    id.assign(name->data(), name->size());
  } else {
    // pytest's ids: each value's text, joined by '-'.
    for (size_type i = 0; i < count; ++i) {
      writer w;
      values[i].write_to(w);
      if (i) id += '-';
      id.append(w.data(), w.size());
    }
  }
  sink.rows.push_back(row_sink::entry{std::move(id), name != nullptr, row});
}

namespace {

// Kept in ids: what a shell word, `ctest -R`, `-k` and `--id` take without surprise (brackets aside).
bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '+' || c == '-' || c == ':';
}

std::string quoted(const std::string& s) { return python_str_repr(s); }

}  // namespace

bool collect_table(const test_info& t, table_fn table, std::vector<table_row>& rows, std::string& error) {
  row_sink sink;
  // The rows of a table that makes no tests are kept, as the rows of tests are, for the process's life:
  // nothing here knows their type to destroy them, and kept they are no leak (to LeakSanitizer either).
  struct keep_rows {
    row_sink& sink;
    bool used = false;
    ~keep_rows() {
      static auto* const unused = new std::vector<const void*>;  // never destroyed: LSan checks after exit
      if (!used)
        for (const row_sink::entry& r : sink.rows) unused->push_back(r.row);
    }
  } keep{sink};
  const std::string where = "rows of " + t.id;
  try {
    table(sink);
  } catch (...) {
    test_event e;
    {
      const capture_pause paused;
      describe_current_exception(e);
    }
    error = where + " could not be made: the table raised " + (e.type.empty() ? std::string("an exception") : e.type);
    if (!e.message.empty()) error += ": " + e.message;
    return false;
  }
  if (sink.rows.empty()) {
    error = where + ": the table is empty (no row, no test: give it a row or remove the test)";
    return false;
  }
  for (std::size_t i = 0; i < sink.rows.size(); ++i) {
    const row_sink::entry& r = sink.rows[i];
    std::size_t bad = 0;
    while (bad < r.id.size() && id_char(r.id[bad])) ++bad;
    if (!r.id.empty() && bad == r.id.size()) continue;
    // The whole character when it is not ASCII (a UTF-8 sequence's length is in its lead byte).
    const unsigned char lead = static_cast<unsigned char>(bad < r.id.size() ? r.id[bad] : 0);
    const std::size_t width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    error = where + ": row " + std::to_string(i) + (r.named ? " is named " : "'s id would be ") + quoted(r.id) +
            ", not a valid id (" + (r.id.empty() ? std::string("empty") : "it has " + quoted(r.id.substr(bad, width))) +
            "; ids keep letters, digits and _ . + - :); " +
            (r.named ? "rename it" : "name the row: {assay::id(\"name\"), …}");
    return false;
  }
  // A name given twice is a mistake; ids made from values that collide get pytest's suffixes 0, 1, …
  std::map<std::string, std::size_t> named;
  std::map<std::string, std::size_t> uses;
  for (std::size_t i = 0; i < sink.rows.size(); ++i) {
    const row_sink::entry& r = sink.rows[i];
    ++uses[r.id];
    if (!r.named) continue;
    const auto [it, fresh] = named.emplace(r.id, i);
    if (!fresh) {
      error = where + ": rows " + std::to_string(it->second) + " and " + std::to_string(i) + " are both named " +
              quoted(r.id) + " (ids must be unique)";
      return false;
    }
  }
  std::map<std::string, std::size_t> next;
  for (const row_sink::entry& r : sink.rows) {
    std::string id = r.id;
    if (!r.named && uses[r.id] > 1) {
      // `1-1` twice: `1-1_0`, `1-1_1` (a digit after a digit would read as one number); `a` twice: `a0`, `a1`.
      const char last = id.back();
      std::string candidate;
      do {
        candidate = id + (last >= '0' && last <= '9' ? "_" : "") + std::to_string(next[r.id]++);
      } while (uses.count(candidate));
      id = candidate;
    }
    rows.push_back(table_row{std::move(id), r.row});
  }
  keep.used = true;
  return true;
}

void table_error_entry(entry_op op, case_base*& obj) {
  if (op == entry_op::run) throw CollectionError(table_error(running_test(*obj)));
}

int register_param_test(const char* class_pretty, const char* method, entry_fn entry, table_fn table,
                        const char* file, int line, std::initializer_list<test_option> options) {
  set_table(record_test(class_pretty, method, entry, file, line, options), table);
  return 1;
}

const void* running_row(const case_base& self) noexcept { return running_test(self).row; }

namespace {

// `(int, std::map<int, long>)` as {"int", "std::map<int,long>"}: split at top-level commas, spaces only
// between two words (`unsigned int`).
std::vector<std::string> split_types(const char* spelling) {
  std::string s = spelling;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
  std::vector<std::string> out(1);
  int depth = 0;
  bool space = false;
  const auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  for (const char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = true;
      continue;
    }
    if (c == ',' && depth == 0) {
      out.emplace_back();
      space = false;
      continue;
    }
    if (c == '<' || c == '(' || c == '[' || c == '{') ++depth;
    if (c == '>' || c == ')' || c == ']' || c == '}') --depth;
    std::string& cur = out.back();
    if (space && !cur.empty() && word(cur.back()) && word(c)) cur += ' ';
    space = false;
    cur += c;
  }
  return out;
}

}  // namespace

int register_typed_test(const char* class_pretty, const char* method, const char* spelling, const entry_fn* entries,
                        const char* const* type_pretty, size_type count, const char* file, int line,
                        std::initializer_list<test_option> options) {
  std::vector<std::string> names;
  if (spelling[0] != '\0') names = split_types(spelling);
  if (names.size() != count) {
    // A list given by name: the compiler's names of its types.
    names.clear();
    for (size_type i = 0; i < count; ++i) names.push_back(type_from_pretty(str{type_pretty[i], cstr_len(type_pretty[i])}));
  }
  std::map<std::string, size_type> seen;
  for (size_type i = 0; i < count; ++i) {
    const auto [it, fresh] = seen.emplace(names[i], i);
    if (fresh) continue;
    // Registered as one test that reports the mistake (the class keeps a working entry for its fixtures).
    test_info& t = record_test(class_pretty, method, entries[0], file, line, options);
    set_table_error(t, "types of " + t.id + ": types " + std::to_string(it->second) + " and " + std::to_string(i) +
                           " are both " + quoted(names[i]) + " (ids must be unique)");
    return 1;
  }
  for (size_type i = 0; i < count; ++i) {
    const std::string name = std::string(method) + "[" + names[i] + "]";
    record_test(class_pretty, name.c_str(), entries[i], file, line, options);
  }
  return static_cast<int>(count);
}

}  // namespace detail
}  // namespace assay
