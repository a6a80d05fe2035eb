// Opt-in: assay::repr prints a user type through its fmt::formatter. Include it after <assay/assay.hpp>
// (or include fmt before assay, which includes this header by itself). Uses only fmt's stable subset.
#pragma once

#include <type_traits>

#include <fmt/format.h>

#include <assay/repr.hpp>

namespace assay::detail {

/// Prints a value through its own fmt::formatter (not through fmt's integer view of an enum).
template <class T>
  requires(fmt::is_formattable<T>::value && std::is_default_constructible_v<fmt::formatter<T, char>>)
struct fmt_printer<T> {
  static void print(writer& w, const T& v) {
    fmt::memory_buffer buffer;
    fmt::format_to(fmt::appender(buffer), "{}", v);
    w.write(buffer.data(), buffer.size());  // size_t, as size_type is (no cast: -Wuseless-cast)
  }
};

}  // namespace assay::detail
