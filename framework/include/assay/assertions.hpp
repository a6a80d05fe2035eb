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

/// Python's name for what is compared: "Sequences differ", "Lists differ", "Tuples differ".
enum class sequence_kind : unsigned char { sequence, list, tuple };

/// A sequence seen from compiled code: its repr and, on demand, the repr of its item at an index.
struct sequence_ref {
  value_ref whole;
  void (*item)(writer&, const void* sequence, size_type index);
  size_type size;
};

// Message builders (compiled); each throws AssertionError with unittest's text and `msg` applied.
[[noreturn]] void fail_compare(const assertions& self, compare_op op, value_ref a, value_ref b, message msg,
                               location where);
[[noreturn]] void fail_instance(const assertions& self, compare_op op, value_ref obj, str type, message msg,
                                location where);
[[noreturn]] void fail_truth(const assertions& self, truth_op op, value_ref a, message msg, location where);
[[noreturn]] void fail_strings(const assertions& self, str first, str second, message msg, location where);
[[noreturn]] void fail_sequences(const assertions& self, sequence_kind kind, sequence_ref first, sequence_ref second,
                                 size_type differing, message msg, location where);
[[noreturn]] void fail_sets(const assertions& self, value_ref first, value_ref second, const writer& first_only,
                            const writer& second_only, message msg, location where);
[[noreturn]] void fail_dicts(const assertions& self, value_ref first, value_ref second, message msg, location where);
[[noreturn]] void fail_counts(const assertions& self, const writer& lines, message msg, location where);
[[noreturn]] void fail_almost(const assertions& self, bool equal, value_ref a, value_ref b, value_ref difference,
                              int places, double delta, bool use_delta, message msg, location where);
[[noreturn]] void fail_regex(const assertions& self, bool expected_match, str text, str pattern, message msg,
                             location where);
[[noreturn]] void fail_plain(message msg, location where);
void write_count_line(writer& w, size_type first, size_type second, value_ref value);

bool almost_equal(double a, double b, int places) noexcept;
bool regex_search(str text, str pattern);  // throws std::regex_error text as AssertionError on a bad pattern
bool contains_substring(str haystack, str needle) noexcept;

constexpr bool str_equal(str a, str b) noexcept {
  return a.size == b.size && (a.size == 0 || __builtin_memcmp(a.data, b.data, a.size) == 0);
}

template <class T>
concept integer = is_integral_v<T> && !is_same_v<T, bool> && !is_same_v<T, char>;

/// Arithmetic operands of which at least one is floating-point: compared in their common type.
template <class A, class B>
concept floating_mix = is_arithmetic_v<A> && is_arithmetic_v<B> &&
                       (is_floating_point_v<A> || is_floating_point_v<B>);

template <class A, class B>
constexpr bool equal(const A& a, const B& b) {
  if constexpr (string_like<A> && string_like<B>) {
    return str_equal(as_str(a), as_str(b));
  } else if constexpr (integer<A> && integer<B> && is_signed_v<A> != is_signed_v<B>) {
    // Compare mixed signedness by value, as Python's ints do (and without -Wsign-compare noise).
    if constexpr (is_signed_v<A>) {
      return a >= 0 && static_cast<make_unsigned_t<A>>(a) == b;
    } else {
      return b >= 0 && a == static_cast<make_unsigned_t<B>>(b);
    }
  } else if constexpr (floating_mix<A, B>) {
    // Both as their common type, as == would convert them, but explicitly (-Wconversion, -Wdouble-promotion);
    // <= both ways is == for every value, NaN included, without -Wfloat-equal (exact equality is the point).
    const arithmetic_common_t<A, B> x = static_cast<arithmetic_common_t<A, B>>(a);
    const arithmetic_common_t<A, B> y = static_cast<arithmetic_common_t<A, B>>(b);
    return x <= y && y <= x;
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
  if constexpr (integer<A> && integer<B> && is_signed_v<A> != is_signed_v<B>) {
    if constexpr (is_signed_v<A>) {
      return a < 0 || static_cast<make_unsigned_t<A>>(a) < b;
    } else {
      return b > 0 && a < static_cast<make_unsigned_t<B>>(b);
    }
  } else if constexpr (floating_mix<A, B>) {
    return static_cast<arithmetic_common_t<A, B>>(a) < static_cast<arithmetic_common_t<A, B>>(b);
  } else {
    return static_cast<bool>(a < b);
  }
}

template <class T>
constexpr bool is_none(const T& v) {
  if constexpr (is_same_v<T, decltype(nullptr)>) {
    return true;
  } else if constexpr (is_pointer_v<T>) {
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
  } else if constexpr (string_like<C> && is_same_v<M, char>) {
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
  if constexpr (is_pointer_v<T>) {
    return untyped_address(v);
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

/// A sequence in Python's sense: iterable, not a string, a mapping or a set.
template <class T>
concept sequence = iterable<T> && !string_like<T> && !map_like<T> && !set_like<T>;

template <class T>
concept tuple_or_pair = tuple_like<T> || (pair_like<T> && !iterable<T> && std_named<T>("pair<"));

template <class T>
constexpr size_type tuple_size_of() noexcept {
  if constexpr (tuple_like<T>) {
    return arity(static_cast<const T*>(nullptr));
  } else {
    return 2;
  }
}

template <size_type I, class T>
const auto& tuple_item(const T& t) {
  if constexpr (tuple_like<T>) {
    return get<I>(t);  // found by ADL: std::get
  } else if constexpr (I == 0) {
    return t.first;
  } else {
    return t.second;
  }
}

template <class T>
size_type length_of(const T& v) {
  if constexpr (tuple_or_pair<T>) {
    return tuple_size_of<T>();
  } else {
    size_type n = 0;
    for (auto it = v.begin(); it != v.end(); ++it) ++n;
    return n;
  }
}

template <size_type I, class T>
void print_tuple_item(writer& w, const T& t, size_type index) {
  if constexpr (I < tuple_size_of<T>()) {
    if (index == I) {
      repr_to(w, tuple_item<I>(t));
    } else {
      print_tuple_item<I + 1>(w, t, index);
    }
  }
}

template <class T>
void print_item(writer& w, const void* p, size_type index) {
  const T& v = *static_cast<const T*>(p);
  if constexpr (tuple_or_pair<T>) {
    print_tuple_item<0>(w, v, index);
  } else {
    auto it = v.begin();
    for (size_type i = 0; i < index; ++i) ++it;
    repr_to(w, *it);
  }
}

template <class T>
sequence_ref sequence_of(const T& v) {
  return sequence_ref{ref(v), &print_item<T>, length_of(v)};
}

inline constexpr size_type no_index = ~size_type{0};

template <size_type I, class A, class B>
size_type first_tuple_difference(const A& a, const B& b);

/// The index of the first differing item of two sequences (or tuples), or no_index.
template <class A, class B>
size_type first_difference(const A& a, const B& b) {
  if constexpr (tuple_or_pair<A> && tuple_or_pair<B>) {
    return first_tuple_difference<0>(a, b);
  } else {
    auto i = a.begin();
    auto j = b.begin();
    for (size_type k = 0; i != a.end() && j != b.end(); ++i, ++j, ++k)
      if (!detail::equal(*i, *j)) return k;
    return no_index;
  }
}

template <size_type I, class A, class B>
size_type first_tuple_difference(const A& a, const B& b) {
  if constexpr (I < tuple_size_of<A>() && I < tuple_size_of<B>()) {
    if (!detail::equal(tuple_item<I>(a), tuple_item<I>(b))) return I;
    return first_tuple_difference<I + 1>(a, b);
  } else {
    return no_index;
  }
}

template <class A, class B>
[[noreturn]] void fail_sequence(const assertions& self, sequence_kind kind, const A& a, const B& b, message msg,
                                location where) {
  fail_sequences(self, kind, sequence_of(a), sequence_of(b), first_difference(a, b), msg, where);
}

template <class A, class B>
[[noreturn]] void fail_set(const assertions& self, const A& a, const B& b, message msg, location where) {
  // Items in one set and not in the other, each on its own line, in iteration order (set.difference).
  writer first_only, second_only;
  for (const auto& e : a) {
    if (contains(e, b)) continue;
    if (first_only.size()) first_only.put('\n');
    repr_to(first_only, e);
  }
  for (const auto& e : b) {
    if (contains(e, a)) continue;
    if (second_only.size()) second_only.put('\n');
    repr_to(second_only, e);
  }
  fail_sets(self, ref(a), ref(b), first_only, second_only, msg, where);
}

/// assertEqual's choice of message, as unittest's _getAssertEqualityFunc: strings get a line diff,
/// mappings a dict diff, sets their differences, sequences and tuples their first differing item.
template <class A, class B>
[[noreturn]] void fail_equal(const assertions& self, const A& a, const B& b, message msg, location where) {
  if constexpr (string_like<A> && string_like<B>) {
    fail_strings(self, as_str(a), as_str(b), msg, where);
  } else if constexpr (map_like<A> && map_like<B>) {
    fail_dicts(self, ref(a), ref(b), msg, where);
  } else if constexpr (set_like<A> && set_like<B>) {
    fail_set(self, a, b, msg, where);
  } else if constexpr (sequence<A> && sequence<B>) {
    fail_sequence(self, is_same_v<A, B> ? sequence_kind::list : sequence_kind::sequence, a, b, msg, where);
  } else if constexpr (tuple_or_pair<A> && tuple_or_pair<B>) {
    fail_sequence(self, sequence_kind::tuple, a, b, msg, where);
  } else {
    fail_compare(self, compare_op::equal, ref(a), ref(b), msg, where);
  }
}

}  // namespace detail

/// The assertion methods of unittest.TestCase, with unittest's names, messages and `msg`/`longMessage`.
class assertions {
 protected:
  // Only a base (of case_base): not destroyed through, so no virtual destructor (-Wnon-virtual-dtor).
  assertions() = default;
  assertions(const assertions&) = default;
  assertions& operator=(const assertions&) = default;
  ~assertions() = default;

 public:
  /// Longest diff shown in a failure message (unittest's maxDiff); `assay::no_limit` shows all.
  size_type maxDiff = 80 * 8;
  /// Append `msg` to the standard message (true, as in unittest) instead of replacing it.
  bool longMessage = true;

  // Inlined at -O0 too (with its default arguments): one call per passing assertion, not three. Inlining
  // the comparison as well would halve that again, at half as much again in compile time.
  template <class A, class B>
  [[ASSAY_DETAIL_NODEBUG gnu::always_inline]] void assertEqual(const A& first, const B& second, message msg = {},
                                          location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_equal(*this, first, second, msg, where);
    }
  }
  template <class A, class B>
  void assertNotEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::not_equal, detail::ref(first), detail::ref(second), msg, where);
    }
  }
  template <class T>
  void assertTrue(const T& expr, message msg = {}, location where = location::here()) const {
    if (!static_cast<bool>(expr)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_truth(*this, detail::truth_op::is_true, detail::ref(expr), msg, where);
    }
  }
  template <class T>
  void assertFalse(const T& expr, message msg = {}, location where = location::here()) const {
    if (static_cast<bool>(expr)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_truth(*this, detail::truth_op::is_false, detail::ref(expr), msg, where);
    }
  }
  /// Identity: the same object (references), or the same address (pointers).
  template <class A, class B>
  void assertIs(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) != detail::address_of(second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::is, detail::ref(first), detail::ref(second), msg, where);
    }
  }
  template <class A, class B>
  void assertIsNot(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) == detail::address_of(second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::is_not, detail::ref(first), detail::ref(second), msg, where);
    }
  }
  /// None is a null pointer (raw or smart), nullptr, or an empty optional.
  template <class T>
  void assertIsNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (!detail::is_none(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_truth(*this, detail::truth_op::is_none, detail::ref(obj), msg, where);
    }
  }
  template <class T>
  void assertIsNotNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (detail::is_none(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_truth(*this, detail::truth_op::is_not_none, detail::ref(obj), msg, where);
    }
  }
  /// `member in container`: a substring test on strings, a key test on maps, else element equality.
  template <class M, class C>
  void assertIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (!detail::contains(member, container)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::in, detail::ref(member), detail::ref(container), msg, where);
    }
  }
  template <class M, class C>
  void assertNotIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (detail::contains(member, container)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::not_in, detail::ref(member), detail::ref(container), msg, where);
    }
  }
  /// The dynamic type of `obj` (a reference or a pointer) is T or derives from it.
  template <class T, class O>
  void assertIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (!is_instance<T>(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_instance(*this, detail::compare_op::is_instance, detail::ref(obj), type_str<T>(), msg, where);
    }
  }
  template <class T, class O>
  void assertNotIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (is_instance<T>(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_instance(*this, detail::compare_op::not_is_instance, detail::ref(obj), type_str<T>(), msg, where);
    }
  }
  template <class A, class B>
  void assertGreater(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(b, a)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::greater, detail::ref(a), detail::ref(b), msg, where);
    }
  }
  template <class A, class B>
  void assertGreaterEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(a, b)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::greater_equal, detail::ref(a), detail::ref(b), msg, where);
    }
  }
  template <class A, class B>
  void assertLess(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(a, b)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::less, detail::ref(a), detail::ref(b), msg, where);
    }
  }
  template <class A, class B>
  void assertLessEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(b, a)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_compare(*this, detail::compare_op::less_equal, detail::ref(a), detail::ref(b), msg, where);
    }
  }
  /// round(a - b, 7) == 0, as in unittest.
  template <class A, class B>
  void assertAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    almost<false>(true, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  void assertAlmostEqual(const A& a, const B& b, places p, message msg = {}, location where = location::here()) const {
    almost<false>(true, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  void assertAlmostEqual(const A& a, const B& b, delta d, message msg = {}, location where = location::here()) const {
    almost<false>(true, a, b, 0, d.value, true, msg, where);
  }
  template <class A, class B>
  void assertNotAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    almost<false>(false, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  void assertNotAlmostEqual(const A& a, const B& b, places p, message msg = {},
                            location where = location::here()) const {
    almost<false>(false, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  void assertNotAlmostEqual(const A& a, const B& b, delta d, message msg = {}, location where = location::here()) const {
    almost<false>(false, a, b, 0, d.value, true, msg, where);
  }
  /// std::regex ECMAScript search of `regex` in `text`.
  template <class T, class R>
    requires detail::string_like<T> && detail::string_like<R>
  void assertRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (!detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_regex(*this, true, detail::as_str(text), detail::as_str(regex), msg, where);
    }
  }
  template <class T, class R>
    requires detail::string_like<T> && detail::string_like<R>
  void assertNotRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_regex(*this, false, detail::as_str(text), detail::as_str(regex), msg, where);
    }
  }
  /// The same elements, each the same number of times, in any order.
  template <class A, class B>
  void assertCountEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    detail::writer lines;
    count_differences(first, second, lines);
    if (lines.size()) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_counts(*this, lines, msg, where);
    }
  }
  /// Equal sequences; on failure, the first differing element and a diff ("Sequences differ").
  template <class A, class B>
  void assertSequenceEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_sequence(*this, detail::sequence_kind::sequence, first, second, msg, where);
    }
  }
  /// assertSequenceEqual, worded for lists ("Lists differ").
  template <class A, class B>
  void assertListEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_sequence(*this, detail::sequence_kind::list, first, second, msg, where);
    }
  }
  /// assertSequenceEqual, worded for tuples ("Tuples differ"); takes std::tuple and std::pair too.
  template <class A, class B>
  void assertTupleEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_sequence(*this, detail::sequence_kind::tuple, first, second, msg, where);
    }
  }
  /// Equal sets; on failure, the items found in only one of them.
  template <class A, class B>
  void assertSetEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_set(*this, first, second, msg, where);
    }
  }
  /// Equal mappings (any map); on failure, a diff of the two, one entry per line when long.
  template <class A, class B>
  void assertDictEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_dicts(*this, detail::ref(first), detail::ref(second), msg, where);
    }
  }
  /// Equal strings; on failure, a line-by-line diff with `?` hints (assertEqual does the same for strings).
  template <class A, class B>
    requires detail::string_like<A> && detail::string_like<B>
  void assertMultiLineEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      detail::fail_strings(*this, detail::as_str(first), detail::as_str(second), msg, where);
    }
  }
  /// Fails the test at once with `msg`.
  [[noreturn, gnu::always_inline]] void fail(message msg = {}, location where = location::here()) const {
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    detail::fail_plain(msg, where);
  }

 protected:
  template <class T, class O>
  static bool is_instance(const O& obj) {
    if constexpr (detail::is_pointer_v<O>) {
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
  void count_differences(const A& first, const B& second, detail::writer& lines) const {
    size_type i = 0;
    for (auto it = first.begin(); it != first.end(); ++it, ++i) {
      if (seen_before(first, it, i)) continue;
      const size_type a = detail::count_in(first, *it), b = detail::count_in(second, *it);
      if (a != b) detail::write_count_line(lines, a, b, detail::ref(*it));
    }
    i = 0;
    for (auto it = second.begin(); it != second.end(); ++it, ++i) {
      if (seen_before(second, it, i) || detail::count_in(first, *it) != 0) continue;
      detail::write_count_line(lines, 0, detail::count_in(second, *it), detail::ref(*it));
    }
  }
  // Record: an expectation's test (false when it fails, nothing thrown); else an assertion's (it throws).
  template <bool Record, class A, class B>
  bool almost(bool want_equal, const A& a, const B& b, int places, double delta, bool use_delta, message msg,
              location where) const {
    const bool same = detail::equal(a, b);  // a shortcut, as in unittest: also covers infinities
    if constexpr (detail::is_integral_v<A> && detail::is_integral_v<B> &&
                  detail::is_signed_v<A> == detail::is_signed_v<B>) {
      const auto difference = a > b ? a - b : b - a;
      const double d = static_cast<double>(difference);
      const bool is_equal = same || (use_delta ? d <= delta : detail::almost_equal(d, 0.0, places));
      if (is_equal != want_equal) [[unlikely]] {
        if constexpr (Record) return false;
        ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is two frames up (in almost)
        detail::fail_almost(*this, want_equal, detail::ref(a), detail::ref(b), detail::ref(difference), places,
                            delta, use_delta, msg, where);
      }
    } else {
      const double x = static_cast<double>(a), y = static_cast<double>(b);
      const double difference = x > y ? x - y : y - x;
      const bool is_equal = same || (use_delta ? difference <= delta : detail::almost_equal(x, y, places));
      if (is_equal != want_equal) [[unlikely]] {
        if constexpr (Record) return false;
        ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is two frames up (in almost)
        detail::fail_almost(*this, want_equal, detail::ref(a), detail::ref(b), detail::ref(difference), places,
                            delta, use_delta, msg, where);
      }
    }
    return true;
  }
};

}  // namespace assay
