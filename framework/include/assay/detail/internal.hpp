// Helpers shared by assay's compiled sources (framework and runner); never included by a test file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <assay/case.hpp>
#include <assay/repr.hpp>

namespace assay {
struct test_info;
}  // namespace assay

namespace assay::detail {

/// Registers a test and returns its record (TEST's register_test, and TEST_P's and TYPED_TEST's).
test_info& record_test(const char* class_pretty, const char* method, entry_fn entry, const char* file, int line,
                       std::initializer_list<test_option> options);
/// The test whose part is running on `self` (its record).
const test_info& running_test(const case_base& self) noexcept;

/// A row of a TEST_P table: the text between the id's brackets, and the values.
struct table_row {
  std::string id;
  const void* row;
};
struct row_sink;
using table_fn = void (*)(row_sink&);
/// Runs a TEST_P's table function; false with `error` when it threw, is empty or its ids are not valid.
bool collect_table(const test_info& t, table_fn table, std::vector<table_row>& rows, std::string& error);
/// A TEST_P's table, kept by the registry (beside the record: most tests have none) until it makes the rows.
void set_table(const test_info& t, table_fn table);
/// Why a test's table or type list made no tests; the test reports it as an ERROR when it runs.
void set_table_error(test_info& t, std::string error);
std::string table_error(const test_info& t);
/// The entry of a test whose table or type list is in error: running it reports the error.
void table_error_entry(entry_op op, case_base*& obj);

/// --no-catch: an unexpected exception is not caught; std::terminate ends the process at the throw.
extern bool no_catch;

/// The type named by a __PRETTY_FUNCTION__ of type_name<T>(), without anonymous-namespace noise.
std::string type_from_pretty(str pretty);
/// The demangled form of a mangled type name.
std::string demangle(const char* mangled);
/// The name of the function at `address` (`utcnow`, `Clock::now` as `now`) from the symbol table of the
/// object holding it; empty when the table has none (a stripped binary).
std::string function_name(const void* address);

/// Python's repr() of a str holding this UTF-8 text: `'not today'`, `"it's"`, `'tab\\there'`.
std::string python_str_repr(std::string_view s);

/// Separates an event's message from the exception that was being handled when it was raised.
inline constexpr std::string_view context_marker = "\n\nDuring handling of: ";

/// `ns::Clock::now(int)` as `now`, a lambda's call operator as `<lambda>`: a function as Python names it.
std::string short_function_name(std::string qualified);

/// While one lives (in the frame of the code running a test part), a throw on this thread keeps the
/// return addresses between the throw and that frame, for symbolize(); nested, the outermost counts.
class part_scope {
 public:
  part_scope() noexcept;
  ~part_scope();
  part_scope(const part_scope&) = delete;
  part_scope& operator=(const part_scope&) = delete;

 private:
  const void* saved_;
};

/// While one lives, throws keep no stack: the framework rethrowing an exception only to look at it.
class capture_pause {
 public:
  capture_pause() noexcept;
  ~capture_pause();
  capture_pause(const capture_pause&) = delete;
  capture_pause& operator=(const capture_pause&) = delete;

 private:
  bool saved_;
};

/// While above zero, the allocations of this thread are the framework's own (tracebacks, reports), which
/// --leaks and --memory do not count (runner/src/allocations.cpp).
// (constinit: read without a TLS wrapper's call; clang's -Weverything calls the keyword incompatible with
// earlier standards, as in case.hpp.)
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc++20-compat"
#endif
[[gnu::tls_model("initial-exec")]] extern constinit thread_local int allocations_paused;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
struct allocation_pause {
  allocation_pause() noexcept { ++allocations_paused; }
  ~allocation_pause() { --allocations_paused; }
  allocation_pause(const allocation_pause&) = delete;
  allocation_pause& operator=(const allocation_pause&) = delete;
};

/// A frame of a traceback.
struct frame {
  std::string file;
  int line = 0;
  std::string function;
};

/// The frames, outermost first, between the running part and the throw of the exception object `object`
/// (its complete object's address; null: the exception being handled), the framework's own hidden; empty
/// when unknown (no debug information, thrown on another thread or long ago, or assay built without libdw).
std::vector<frame> symbolize(const void* object);
/// The frames, outermost first, at `count` return addresses of this process taken innermost first (by
/// _Unwind_Backtrace or backtrace()), the framework's own hidden; empty without debug information.
std::vector<frame> symbolize_addresses(const std::uintptr_t* pcs, int count);
/// A frame as a traceback shows it: `  File "…", line N, in name`, then its source line.
std::string format_frame(const frame& f);

inline std::string to_string(str s) { return std::string(s.data, s.size); }
inline std::string_view view(str s) { return std::string_view(s.data, s.size); }

}  // namespace assay::detail
