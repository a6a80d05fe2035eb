// Helpers shared by assay's compiled sources (framework and runner); never included by a test file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <assay/repr.hpp>

namespace assay::detail {

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

inline std::string to_string(str s) { return std::string(s.data, s.size); }
inline std::string_view view(str s) { return std::string_view(s.data, s.size); }

}  // namespace assay::detail
