// The vocabulary of recorded calls: call(…), ANY, DEFAULT, sentinel, and how arguments are kept and compared.
#pragma once

#include <initializer_list>
#include <new>
#include <type_traits>

#include <assay/repr.hpp>

namespace assay::mock {

/// `unittest.mock.ANY`: equal to everything; use it for an argument the test does not care about.
struct any_t {
  template <class T>
  friend constexpr bool operator==(const any_t&, const T&) noexcept {
    return true;
  }
  friend void assay_repr(detail::writer& w, const any_t&) { w.write("<ANY>", 5); }  // repr(ANY)
};
/// Matches any argument in `assert_called_with`, `call(…)` and friends.
inline constexpr any_t ANY{};

/// `unittest.mock.DEFAULT`: in a side_effect sequence (or returned by a side_effect callable) it means "return return_value".
struct default_t {
  friend constexpr bool operator==(const default_t&, const default_t&) noexcept { return true; }
  friend void assay_repr(detail::writer& w, const default_t&) { w.write("DEFAULT", 7); }
};
inline constexpr default_t DEFAULT{};

/// A unique, named stand-in value (`unittest.mock.sentinel.name`): equal only to a sentinel of the same name.
class sentinel_t {
 public:
  /// The name given to `sentinel(name)`.
  const char* name() const noexcept { return static_cast<const char*>(id_); }
  /// A distinct, non-null address for the sentinel, so it can stand in for any object pointer (never dereference it).
  template <class T>
    requires(!std::is_function_v<T>)
  operator T*() const noexcept {  // NOLINT: implicit on purpose, as a Python sentinel fits any parameter
    return static_cast<T*>(const_cast<void*>(id_));
  }
  friend bool operator==(sentinel_t a, sentinel_t b) noexcept { return a.id_ == b.id_; }
  friend void assay_repr(detail::writer& w, sentinel_t s) {
    w.write("sentinel.", 9);
    w.write(s.name());
  }

 private:
  friend sentinel_t sentinel(message name);
  explicit sentinel_t(const void* id) noexcept : id_(id) {}
  const void* id_;
};

/// `sentinel.database` is `assay::mock::sentinel("database")`: the same name always gives the same sentinel.
sentinel_t sentinel(message name);

namespace detail {

using assay::detail::str;
using assay::detail::writer;
using assay::detail::cstr_len;

template <class>
inline constexpr bool always_false = false;

/// An argument kept by identity: its type cannot be copied or has no ==, so it compares by address (Python's default).
template <class T>
struct identity {
  const T* address;
};

/// A C string argument, copied so that the record outlives the caller's buffer.
struct c_string_copy {
  text value;
  bool null = false;
  static c_string_copy of(const char* s) {
    return s ? c_string_copy{text(s, cstr_len(s)), false} : c_string_copy{text(), true};
  }
};

template <class T>
concept equality_comparable = requires(const T& a, const T& b) {
  { a == b } -> assay::detail::convertible_to<bool>;
};

template <class U>
inline constexpr bool is_c_string_v =
    std::is_same_v<std::decay_t<U>, const char*> || std::is_same_v<std::decay_t<U>, char*>;

/// How an argument passed as type A is recorded: C strings as owned copies; references to copyable types with
/// == as copies, other references by identity; by-value arguments as values (copied, or moved if move-only).
template <class A, class U = assay::detail::remove_cvref_t<A>>
using stored_t = std::conditional_t<
    is_c_string_v<U>, c_string_copy,
    std::conditional_t<std::is_reference_v<A> && !(std::is_copy_constructible_v<U> && equality_comparable<U>),
                       identity<U>, U>>;

template <class A>
inline constexpr bool is_identity_v = false;
template <class T>
inline constexpr bool is_identity_v<identity<T>> = true;

/// Builds the stored form of argument `a` of parameter type A.
template <class A, class U>
stored_t<A> store(U& a) {
  using S = stored_t<A>;
  if constexpr (std::is_same_v<S, c_string_copy>) {
    return c_string_copy::of(a);
  } else if constexpr (is_identity_v<S>) {
    return S{&a};
  } else if constexpr (!std::is_reference_v<A> && !std::is_copy_constructible_v<S>) {
    return S(static_cast<U&&>(a));  // a move-only argument taken by value is moved into the record
  } else {
    return S(static_cast<const U&>(a));
  }
}

/// The recorded arguments of one call, head first (a tiny tuple, to keep <tuple> out of test files).
template <class... S>
struct values {};
template <class H, class... T>
struct values<H, T...> {
  H head;
  [[no_unique_address]] values<T...> tail;
};

template <class = void>
values<> make_values() noexcept {
  return {};
}
template <class H, class... T, class UH, class... U>
values<H, T...> make_values(UH&& head, U&&... rest) {
  return values<H, T...>{H(static_cast<UH&&>(head)), make_values<T...>(static_cast<U&&>(rest)...)};
}

template <size_type I, class H, class... T>
const auto& get(const values<H, T...>& v) noexcept {
  if constexpr (I == 0) {
    return v.head;
  } else {
    return get<I - 1>(v.tail);
  }
}

template <class T>
concept integer = std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>;

/// Python's == for two argument values: strings by content, integers by value, otherwise operator==.
template <class A, class B>
constexpr bool value_equal(const A& a, const B& b) {
  using assay::detail::as_str;
  using assay::detail::string_like;
  if constexpr (std::is_same_v<A, c_string_copy> && std::is_same_v<B, c_string_copy>) {
    return a.null == b.null && a.value == str{b.value.data(), b.value.size()};
  } else if constexpr (std::is_same_v<A, c_string_copy>) {
    static_assert(string_like<B> || std::is_same_v<B, decltype(nullptr)>,
                  "assay: an expected argument cannot be compared with the mock's recorded argument: a C string "
                  "compares only with a string (or ANY)");
    if constexpr (std::is_same_v<B, decltype(nullptr)>) {
      return a.null;
    } else if constexpr (assay::detail::c_string<B> && !std::is_array_v<B>) {
      return b == nullptr ? a.null : !a.null && a.value == as_str(b);
    } else {
      return !a.null && a.value == as_str(b);
    }
  } else if constexpr (std::is_same_v<B, c_string_copy>) {
    return value_equal(b, a);
  } else if constexpr (string_like<A> && string_like<B>) {
    const str x = as_str(a), y = as_str(b);
    return x.size == y.size && (x.size == 0 || __builtin_memcmp(x.data, y.data, x.size) == 0);
  } else if constexpr (integer<A> && integer<B> && std::is_signed_v<A> != std::is_signed_v<B>) {
    if constexpr (std::is_signed_v<A>) {
      return a >= 0 && static_cast<std::make_unsigned_t<A>>(a) == b;
    } else {
      return b >= 0 && a == static_cast<std::make_unsigned_t<B>>(b);
    }
  } else if constexpr (requires { static_cast<bool>(a == b); }) {
    return static_cast<bool>(a == b);
  } else {
    static_assert(always_false<A>,
                  "assay: an expected argument cannot be compared with the mock's recorded argument: the two types "
                  "have no ==; pass a value of the parameter's type, or ANY");
    return false;
  }
}

template <class T, class U>
bool same_object(const T* a, const U* b) noexcept {
  if constexpr (std::is_convertible_v<const U*, const T*>) {
    return a == static_cast<const T*>(b);
  } else if constexpr (std::is_convertible_v<const T*, const U*>) {
    return static_cast<const U*>(a) == b;
  } else {
    static_assert(always_false<T>,
                  "assay: this parameter is compared by identity (its type cannot be copied or has no ==), and the "
                  "expected argument is an object of an unrelated type; pass the very object, or ANY");
    return false;
  }
}

/// Does recorded argument `s` (a stored form) match expected `e` (a stored form or a plain value given by the test)?
template <class S, class E>
bool arg_matches(const S& s, const E& e) {
  if constexpr (std::is_same_v<E, any_t> || std::is_same_v<S, any_t>) {
    return true;
  } else if constexpr (is_identity_v<S> && is_identity_v<E>) {
    return same_object(s.address, e.address);
  } else if constexpr (is_identity_v<S>) {
    return same_object(s.address, &e);
  } else if constexpr (is_identity_v<E>) {
    static_assert(always_false<E>,
                  "assay: the expected call passes an object compared by identity where the mock records a value; "
                  "pass a value of the parameter's type, or ANY");
    return false;
  } else {
    return value_equal(s, e);
  }
}

/// Writes a stored argument as Python's repr would show it.
template <class S>
void print_arg(writer& w, const S& s) {
  if constexpr (is_identity_v<S>) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(s.address)>>;
    w.write_object(str{assay::detail::type_name<T>(), cstr_len(assay::detail::type_name<T>())}, s.address);
  } else if constexpr (std::is_same_v<S, c_string_copy>) {
    if (s.null) {
      w.write("nullptr", 7);
    } else {
      w.write_quoted(str{s.value.data(), s.value.size()});
    }
  } else {
    assay::detail::repr_to(w, s);
  }
}

inline void print_values(writer&, const values<>&, bool = true) {}
template <class H, class... T>
void print_values(writer& w, const values<H, T...>& v, bool first = true) {
  if (!first) w.write(", ", 2);
  print_arg(w, v.head);
  print_values(w, v.tail, false);
}

inline bool values_match(const values<>&, const values<>&) { return true; }
template <class H, class... T, class EH, class... ET>
bool values_match(const values<H, T...>& s, const values<EH, ET...>& e) {
  return arg_matches(s.head, e.head) && values_match(s.tail, e.tail);
}

}  // namespace detail

/// A call: what `call(…)` returns and what `call_args_list` holds; compares argument by argument, prints `call(…)`.
template <class... S>
class call_t {
 public:
  explicit call_t(detail::values<S...> values) : values_(static_cast<detail::values<S...>&&>(values)) {}

  /// Number of arguments.
  static constexpr size_type size() noexcept { return sizeof...(S); }
  /// Argument I as recorded (`call.args[I]` in Python); an argument kept by identity gives back the object, a
  /// C string its copy (or nullptr).
  template <size_type I>
  decltype(auto) args() const noexcept {
    static_assert(I < sizeof...(S), "assay: call argument index out of range");
    const auto& a = detail::get<I>(values_);
    using A = assay::detail::remove_cvref_t<decltype(a)>;
    if constexpr (detail::is_identity_v<A>) {
      return *a.address;
    } else if constexpr (std::is_same_v<A, detail::c_string_copy>) {
      return a.null ? static_cast<const char*>(nullptr) : a.value.c_str();
    } else {
      return a;
    }
  }

  template <class... E>
  friend bool operator==(const call_t& a, const call_t<E...>& b) {
    static_assert(sizeof...(S) == sizeof...(E), "assay: comparing calls with different numbers of arguments");
    return detail::values_match(a.values_, b.values());
  }
  /// The stored arguments (identity, C-string copy or value per position).
  const detail::values<S...>& values() const noexcept { return values_; }
  /// Writes the arguments only: `1, "x"`.
  void print_args(detail::writer& w) const { detail::print_values(w, values_); }
  friend void assay_repr(detail::writer& w, const call_t& c) {
    w.write("call(", 5);
    c.print_args(w);
    w.put(')');
  }

 private:
  template <class...>
  friend class call_t;
  detail::values<S...> values_;
};

/// `unittest.mock.call(…)`: an expected call, for assert_has_calls and comparisons with call_args / call_args_list.
template <class... T>
call_t<detail::stored_t<const T&>...> call(const T&... args) {
  return call_t<detail::stored_t<const T&>...>(
      detail::make_values<detail::stored_t<const T&>...>(detail::store<const T&>(args)...));
}

namespace detail {

/// One expected argument of assert_called_with & co. for a parameter of type A: borrows the test's value and
/// knows how to match it against the recorded argument and how to print it.
template <class A>
class expected_arg {
  using stored = stored_t<A>;

 public:
  template <class U>
  expected_arg(const U& e) noexcept : ptr_(&e), match_(&match<U>), print_(&print<U>) {}  // NOLINT: implicit

  bool matches(const stored& s) const { return match_(ptr_, s); }
  void print_to(writer& w) const { print_(w, ptr_); }

 private:
  template <class U>
  static bool match(const void* p, const stored& s) {
    return arg_matches(s, *static_cast<const U*>(p));
  }
  template <class U>
  static void print(writer& w, const void* p) {
    const U& e = *static_cast<const U*>(p);
    if constexpr (is_identity_v<stored> && !std::is_same_v<U, any_t>) {
      print_arg(w, identity<U>{&e});
    } else if constexpr (is_c_string_v<U> && !std::is_array_v<U>) {
      print_arg(w, c_string_copy::of(e));
    } else {
      assay::detail::repr_to(w, e);
    }
  }
  const void* ptr_;
  bool (*match_)(const void*, const stored&);
  void (*print_)(writer&, const void*);
};

/// The expected arguments of one assertion, matched position by position against a recorded call.
template <class... A>
class expected_args {
 public:
  explicit expected_args(const expected_arg<A>&... e) noexcept : args_(make_values<const expected_arg<A>*...>(&e...)) {}

  template <class Call>
  bool matches(const Call& c) const {
    return match(args_, c.values());
  }
  void print(writer& w) const { print_from(w, args_, true); }

 private:
  static bool match(const values<>&, const values<>&) noexcept { return true; }
  template <class H, class... T, class SH, class... ST>
  static bool match(const values<H, T...>& e, const values<SH, ST...>& s) {
    return e.head->matches(s.head) && match(e.tail, s.tail);
  }
  static void print_from(writer&, const values<>&, bool) noexcept {}
  template <class H, class... T>
  static void print_from(writer& w, const values<H, T...>& e, bool first) {
    if (!first) w.write(", ", 2);
    e.head->print_to(w);
    print_from(w, e.tail, false);
  }
  values<const expected_arg<A>*...> args_;
};

/// An element of assert_has_calls' list: any call(…) whose arguments can be compared with the mock's parameters.
template <class... A>
class expected_call {
  using record = call_t<stored_t<A>...>;

 public:
  template <class... C>
  expected_call(const call_t<C...>& c) noexcept : ptr_(&c), match_(&match<C...>), print_(&print<C...>) {  // NOLINT
    static_assert(sizeof...(C) == sizeof...(A), "assay: call(…) has a different number of arguments than the mock");
  }

  bool matches(const record& r) const { return match_(ptr_, r); }
  void print(writer& w) const { print_(w, ptr_); }

 private:
  template <class... C>
  static bool match(const void* p, const record& r) {
    return r == *static_cast<const call_t<C...>*>(p);
  }
  template <class... C>
  static void print(writer& w, const void* p) {
    assay::detail::repr_to(w, *static_cast<const call_t<C...>*>(p));
  }
  const void* ptr_;
  bool (*match_)(const void*, const record&);
  void (*print_)(writer&, const void*);
};

}  // namespace detail

}  // namespace assay::mock
