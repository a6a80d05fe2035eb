// Helpers shared by assay's compiled sources (framework and runner); never included by a test file.
#pragma once

#include <string>
#include <string_view>

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

inline std::string to_string(str s) { return std::string(s.data, s.size); }
inline std::string_view view(str s) { return std::string_view(s.data, s.size); }

}  // namespace assay::detail
