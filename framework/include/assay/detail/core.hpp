// The few vocabulary types every public header shares: a call site, a borrowed string, a callable reference.
#pragma once

#include <version>  // which standard library: __GLIBCXX__ (the lightest header that says)

#include <assay/detail/traits.hpp>

// std::exception and std::ostream's declaration alone. <exception> adds exception_ptr and
// nested_exception, <iosfwd> every stream and <cwchar>: together a fifth of the 1-test file's compile
// time (selftest/bench/compare.sh). libstdc++ (no versioned namespace) declares both in headers of their
// own, or they are declared here as libstdc++ itself declares them; elsewhere, the standard headers.
#if defined(__GLIBCXX__) && !_GLIBCXX_INLINE_VERSION && __has_include(<bits/exception.h>)
#include <bits/exception.h>
namespace std {
template <typename>
struct char_traits;
template <typename, typename>
class basic_ostream;
typedef basic_ostream<char, char_traits<char>> ostream;
}  // namespace std
#else
#include <exception>
#include <iosfwd>
#endif

namespace assay {

using size_type = decltype(sizeof 0);

/// Where an assertion was called, captured by a defaulted argument (no std::source_location on clang 14).
struct location {
  const char* file = "";
  int line = 0;
  [[gnu::always_inline]] static constexpr location here(const char* file = __builtin_FILE(),
                                                        int line = __builtin_LINE()) noexcept {
    return location{file, line};
  }
};

namespace detail {

/// A borrowed run of chars; assay's stand-in for std::string_view, which costs too much to include.
struct str {
  const char* data = nullptr;
  size_type size = 0;
};

constexpr size_type cstr_len(const char* s) noexcept {
  size_type n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

/// True for anything that is a run of chars by shape: std::string, std::string_view, our str.
template <class T>
concept char_range = requires(const T& t) {
  { t.data() } -> convertible_to<const char*>;
  { t.size() } -> convertible_to<size_type>;
};

template <class T>
concept c_string = is_same_v<decay_t<T>, const char*> || is_same_v<decay_t<T>, char*>;

template <class T>
concept string_like = c_string<T> || char_range<T> || is_same_v<remove_cvref_t<T>, str>;

template <class T>
constexpr str as_str(const T& v) noexcept {
  if constexpr (is_same_v<T, str>) {
    return v;
  } else if constexpr (is_array_v<T>) {
    return str{v, cstr_len(v)};
  } else if constexpr (c_string<T>) {
    return v ? str{v, cstr_len(v)} : str{"", 0};
  } else {
    return str{v.data(), static_cast<size_type>(v.size())};
  }
}

/// The address `p` holds, untyped: it is only printed or compared, so volatile may go (a named cast, not a
/// C-style one, for -Wold-style-cast and -Wcast-qual).
template <class T>
constexpr const void* untyped_address(T* p) noexcept {
  return const_cast<const void*>(static_cast<const volatile void*>(p));
}

/// A non-owning reference to a callable taking no arguments, for handing lambdas to compiled code.
struct fn_ref {
  void* obj;
  void (*call)(void*);
  template <class F>
  static fn_ref of(F& f) noexcept {
    return fn_ref{const_cast<void*>(static_cast<const void*>(&f)), [](void* p) { (*static_cast<F*>(p))(); }};
  }
  void operator()() const { call(obj); }
};

/// An owned, type-erased callable taking no arguments (cleanups).
struct callback {
  void* obj = nullptr;
  void (*call)(void*) = nullptr;
  void (*destroy)(void*) = nullptr;
  template <class F>
  static callback of(F f) {
    using D = decay_t<F>;
    return callback{new D(static_cast<F&&>(f)), [](void* p) { (*static_cast<D*>(p))(); },
                    [](void* p) { delete static_cast<D*>(p); }};
  }
};

}  // namespace detail

/// A message argument (`msg` in unittest): any string, borrowed for the duration of the call.
struct message {
  detail::str text{};
  [[gnu::always_inline]] constexpr message() noexcept {}
  template <class T>
    requires detail::string_like<T>
  constexpr message(const T& s) noexcept : text(detail::as_str(s)) {}  // NOLINT: implicit on purpose
  constexpr bool empty() const noexcept { return text.size == 0; }
};

}  // namespace assay
