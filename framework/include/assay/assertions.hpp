// The assertion methods of unittest.TestCase: templates compare, compiled code builds the message on failure.
#pragma once

#include <initializer_list>

#include <assay/assertion_error.hpp>

namespace assay {

class assertions;

/// `places=` of assertAlmostEqual.
struct places {
  int value;
  constexpr explicit places(int n) noexcept : value(n) {}
};
/// `delta=` of assertAlmostEqual.
struct delta {
  double value;
  constexpr explicit delta(double d) noexcept : value(d) {}
};
/// `maxDiff = assay::no_limit;` is Python's `maxDiff = None`.
inline constexpr size_type no_limit = ~size_type{0};

namespace detail {

enum class compare_op : unsigned char {
  equal, not_equal, greater, greater_equal, less, less_equal, in, not_in, is, is_not,
  is_instance, not_is_instance
};
enum class truth_op : unsigned char { is_true, is_false, is_none, is_not_none };

// Message builders (compiled); each throws AssertionError with unittest's text and `msg` applied.
[[noreturn]] void fail_compare(const assertions& self, compare_op op, value_ref a, value_ref b, message msg,
                               location where);
[[noreturn]] void fail_instance(const assertions& self, compare_op op, value_ref obj, str type, message msg,
                                location where);
[[noreturn]] void fail_truth(const assertions& self, truth_op op, value_ref a, message msg, location where);
[[noreturn]] void fail_strings(const assertions& self, str first, str second, message msg, location where);
[[noreturn]] void fail_almost(const assertions& self, bool equal, double a, double b, int places, double delta,
                              bool use_delta, message msg, location where);
[[noreturn]] void fail_regex(const assertions& self, bool expected_match, str text, str pattern, message msg,
                             location where);
[[noreturn]] void fail_message(const assertions& self, writer& standard, message msg, location where);
[[noreturn]] void fail_plain(message msg, location where);

bool almost_equal(double a, double b, int places) noexcept;
bool regex_search(str text, str pattern);  // throws std::regex_error text as AssertionError on a bad pattern
bool contains_substring(str haystack, str needle) noexcept;

constexpr bool str_equal(str a, str b) noexcept {
  return a.size == b.size && (a.size == 0 || __builtin_memcmp(a.data, b.data, a.size) == 0);
}

template <class T>
concept integer = std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>;

template <class A, class B>
constexpr bool equal(const A& a, const B& b) {
  if constexpr (string_like<A> && string_like<B>) {
    return str_equal(as_str(a), as_str(b));
  } else if constexpr (integer<A> && integer<B> && std::is_signed_v<A> != std::is_signed_v<B>) {
    // Compare mixed signedness by value, as Python's ints do (and without -Wsign-compare noise).
    if constexpr (std::is_signed_v<A>) {
      return a >= 0 && static_cast<std::make_unsigned_t<A>>(a) == b;
    } else {
      return b >= 0 && a == static_cast<std::make_unsigned_t<B>>(b);
    }
  } else if constexpr (requires { static_cast<bool>(a == b); }) {
    return static_cast<bool>(a == b);
  } else if constexpr (iterable<A> && iterable<B>) {
    auto i = a.begin();
    auto j = b.begin();
    for (; i != a.end() && j != b.end(); ++i, ++j)
      if (!detail::equal(*i, *j)) return false;
    return i == a.end() && j == b.end();
  } else {
    static_assert(sizeof(A) == 0, "assay: these two types cannot be compared with ==");
    return false;
  }
}

template <class A, class B>
constexpr bool less(const A& a, const B& b) {
  if constexpr (integer<A> && integer<B> && std::is_signed_v<A> != std::is_signed_v<B>) {
    if constexpr (std::is_signed_v<A>) {
      return a < 0 || static_cast<std::make_unsigned_t<A>>(a) < b;
    } else {
      return b > 0 && a < static_cast<std::make_unsigned_t<B>>(b);
    }
  } else {
    return static_cast<bool>(a < b);
  }
}

template <class T>
constexpr bool is_none(const T& v) {
  if constexpr (std::is_same_v<T, decltype(nullptr)>) {
    return true;
  } else if constexpr (std::is_pointer_v<T>) {
    return v == nullptr;
  } else if constexpr (optional_like<T>) {
    return !v.has_value();
  } else if constexpr (requires { v == nullptr; }) {
    return static_cast<bool>(v == nullptr);
  } else {
    static_assert(sizeof(T) == 0, "assay: assertIsNone needs a pointer, a smart pointer or an optional");
    return false;
  }
}

template <class M, class C>
constexpr bool contains(const M& member, const C& container) {
  if constexpr (string_like<C> && string_like<M>) {
    return contains_substring(as_str(container), as_str(member));
  } else if constexpr (string_like<C> && std::is_same_v<M, char>) {
    const str h = as_str(container);
    for (size_type i = 0; i < h.size; ++i)
      if (h.data[i] == member) return true;
    return false;
  } else if constexpr (requires { container.find(member) != container.end(); typename C::key_type; }) {
    return container.find(member) != container.end();  // `in` on a mapping tests keys, as in Python
  } else {
    for (const auto& e : container)
      if (detail::equal(e, member)) return true;
    return false;
  }
}

template <class T>
const void* address_of(const T& v) noexcept {
  if constexpr (std::is_pointer_v<T>) {
    return static_cast<const volatile void*>(v) == nullptr ? nullptr : (const void*)v;
  } else {
    return &v;
  }
}

template <class T>
size_type count_in(const T& range, const auto& value) {
  size_type n = 0;
  for (const auto& e : range)
    if (detail::equal(e, value)) ++n;
  return n;
}

void write_count_line(writer& w, size_type first, size_type second, value_ref value);

}  // namespace detail

/// The assertion methods of unittest.TestCase, with unittest's names, messages and `msg`/`longMessage`.
class assertions {
 public:
  /// Longest diff shown in a failure message (unittest's maxDiff); `assay::no_limit` shows all.
  size_type maxDiff = 80 * 8;
  /// Append `msg` to the standard message (true, as in unittest) instead of replacing it.
  bool longMessage = true;

  template <class A, class B>
  void assertEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      if constexpr (detail::string_like<A> && detail::string_like<B>) {
        detail::fail_strings(*this, detail::as_str(first), detail::as_str(second), msg, where);
      } else {
        detail::fail_compare(*this, detail::compare_op::equal, detail::ref(first), detail::ref(second), msg, where);
      }
    }
  }
  template <class A, class B>
  void assertNotEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::not_equal, detail::ref(first), detail::ref(second), msg, where);
  }
  template <class T>
  void assertTrue(const T& expr, message msg = {}, location where = location::here()) const {
    if (!static_cast<bool>(expr)) [[unlikely]]
      detail::fail_truth(*this, detail::truth_op::is_true, detail::ref(expr), msg, where);
  }
  template <class T>
  void assertFalse(const T& expr, message msg = {}, location where = location::here()) const {
    if (static_cast<bool>(expr)) [[unlikely]]
      detail::fail_truth(*this, detail::truth_op::is_false, detail::ref(expr), msg, where);
  }
  /// Identity: the same object (references), or the same address (pointers).
  template <class A, class B>
  void assertIs(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) != detail::address_of(second)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::is, detail::ref(first), detail::ref(second), msg, where);
  }
  template <class A, class B>
  void assertIsNot(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) == detail::address_of(second)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::is_not, detail::ref(first), detail::ref(second), msg, where);
  }
  /// None is a null pointer (raw or smart), nullptr, or an empty optional.
  template <class T>
  void assertIsNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (!detail::is_none(obj)) [[unlikely]]
      detail::fail_truth(*this, detail::truth_op::is_none, detail::ref(obj), msg, where);
  }
  template <class T>
  void assertIsNotNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (detail::is_none(obj)) [[unlikely]]
      detail::fail_truth(*this, detail::truth_op::is_not_none, detail::ref(obj), msg, where);
  }
  /// `member in container`: a substring test on strings, a key test on maps, else element equality.
  template <class M, class C>
  void assertIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (!detail::contains(member, container)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::in, detail::ref(member), detail::ref(container), msg, where);
  }
  template <class M, class C>
  void assertNotIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (detail::contains(member, container)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::not_in, detail::ref(member), detail::ref(container), msg, where);
  }
  /// The dynamic type of `obj` (a reference or a pointer) is T or derives from it.
  template <class T, class O>
  void assertIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (!is_instance<T>(obj)) [[unlikely]]
      detail::fail_instance(*this, detail::compare_op::is_instance, detail::ref(obj), type_str<T>(), msg, where);
  }
  template <class T, class O>
  void assertNotIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (is_instance<T>(obj)) [[unlikely]]
      detail::fail_instance(*this, detail::compare_op::not_is_instance, detail::ref(obj), type_str<T>(), msg, where);
  }
  template <class A, class B>
  void assertGreater(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(b, a)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::greater, detail::ref(a), detail::ref(b), msg, where);
  }
  template <class A, class B>
  void assertGreaterEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(a, b)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::greater_equal, detail::ref(a), detail::ref(b), msg, where);
  }
  template <class A, class B>
  void assertLess(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(a, b)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::less, detail::ref(a), detail::ref(b), msg, where);
  }
  template <class A, class B>
  void assertLessEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(b, a)) [[unlikely]]
      detail::fail_compare(*this, detail::compare_op::less_equal, detail::ref(a), detail::ref(b), msg, where);
  }
  /// round(a - b, 7) == 0, as in unittest.
  template <class A, class B>
  void assertAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    almost(true, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  void assertAlmostEqual(const A& a, const B& b, places p, message msg = {}, location where = location::here()) const {
    almost(true, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  void assertAlmostEqual(const A& a, const B& b, delta d, message msg = {}, location where = location::here()) const {
    almost(true, a, b, 0, d.value, true, msg, where);
  }
  template <class A, class B>
  void assertNotAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    almost(false, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  void assertNotAlmostEqual(const A& a, const B& b, places p, message msg = {},
                            location where = location::here()) const {
    almost(false, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  void assertNotAlmostEqual(const A& a, const B& b, delta d, message msg = {}, location where = location::here()) const {
    almost(false, a, b, 0, d.value, true, msg, where);
  }
  /// std::regex ECMAScript search of `regex` in `text`.
  template <class T, class R>
    requires detail::string_like<T> && detail::string_like<R>
  void assertRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (!detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[unlikely]]
      detail::fail_regex(*this, true, detail::as_str(text), detail::as_str(regex), msg, where);
  }
  template <class T, class R>
    requires detail::string_like<T> && detail::string_like<R>
  void assertNotRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[unlikely]]
      detail::fail_regex(*this, false, detail::as_str(text), detail::as_str(regex), msg, where);
  }
  /// The same elements, each the same number of times, in any order.
  template <class A, class B>
  void assertCountEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    detail::writer w;
    bool header = false;
    auto line = [&](size_type a, size_type b, detail::value_ref v) {
      if (!header) w.write("Element counts were not equal:");
      header = true;
      detail::write_count_line(w, a, b, v);
    };
    size_type i = 0;
    for (auto it = first.begin(); it != first.end(); ++it, ++i) {
      if (seen_before(first, it, i)) continue;
      const size_type a = detail::count_in(first, *it), b = detail::count_in(second, *it);
      if (a != b) line(a, b, detail::ref(*it));
    }
    i = 0;
    for (auto it = second.begin(); it != second.end(); ++it, ++i) {
      if (seen_before(second, it, i) || detail::count_in(first, *it) != 0) continue;
      line(0, detail::count_in(second, *it), detail::ref(*it));
    }
    if (header) [[unlikely]]
      detail::fail_message(*this, w, msg, where);
  }
  template <class A, class B>
  void assertSequenceEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    assertEqual(first, second, msg, where);
  }
  template <class A, class B>
  void assertListEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    assertEqual(first, second, msg, where);
  }
  template <class A, class B>
  void assertTupleEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    assertEqual(first, second, msg, where);
  }
  template <class A, class B>
  void assertSetEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    assertEqual(first, second, msg, where);
  }
  template <class A, class B>
  void assertDictEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    assertEqual(first, second, msg, where);
  }
  template <class A, class B>
    requires detail::string_like<A> && detail::string_like<B>
  void assertMultiLineEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    assertEqual(first, second, msg, where);
  }
  /// Fails the test at once with `msg`.
  [[noreturn]] void fail(message msg = {}, location where = location::here()) const { detail::fail_plain(msg, where); }

 private:
  template <class T, class O>
  static bool is_instance(const O& obj) {
    if constexpr (std::is_pointer_v<O>) {
      return obj != nullptr && dynamic_cast<const T*>(obj) != nullptr;
    } else {
      return dynamic_cast<const T*>(&obj) != nullptr;
    }
  }
  template <class T>
  static detail::str type_str() {
    return detail::str{detail::type_name<T>(), detail::cstr_len(detail::type_name<T>())};
  }
  template <class R, class It>
  static bool seen_before(const R& range, It it, size_type index) {
    size_type j = 0;
    for (auto p = range.begin(); j < index; ++p, ++j)
      if (detail::equal(*p, *it)) return true;
    return false;
  }
  template <class A, class B>
  void almost(bool want_equal, const A& a, const B& b, int places, double delta, bool use_delta, message msg,
              location where) const {
    if (detail::equal(a, b)) {  // shortcut, as unittest: also handles infinities
      if (!want_equal) detail::fail_almost(*this, false, a, b, places, delta, use_delta, msg, where);
      return;
    }
    const double diff = a > b ? static_cast<double>(a) - static_cast<double>(b)
                              : static_cast<double>(b) - static_cast<double>(a);
    const bool is_equal = use_delta ? diff <= delta : detail::almost_equal(a, b, places);
    if (is_equal != want_equal) [[unlikely]]
      detail::fail_almost(*this, want_equal, a, b, places, delta, use_delta, msg, where);
  }
};

}  // namespace assay
