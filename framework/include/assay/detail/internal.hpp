// Helpers shared by assay's compiled sources (framework and runner); never included by a test file.
#pragma once

#include <string>
#include <string_view>

#include <assay/repr.hpp>

namespace assay::detail {

/// The type named by a __PRETTY_FUNCTION__ of type_name<T>(), without anonymous-namespace noise.
std::string type_from_pretty(str pretty);
/// The demangled form of a mangled type name.
std::string demangle(const char* mangled);
/// The name of the function at `address` (`utcnow`, `Clock::now` as `now`) from the symbol table of the
/// object holding it; empty when the table has none (a stripped binary).
std::string function_name(const void* address);

inline std::string to_string(str s) { return std::string(s.data, s.size); }
inline std::string_view view(str s) { return std::string_view(s.data, s.size); }

}  // namespace assay::detail
