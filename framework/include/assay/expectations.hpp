// Non-fatal twins of the assertions (GoogleTest's EXPECT_*, Catch2's CHECK): a failure is recorded, the test goes on.
#pragma once

#include <assay/assertions.hpp>

namespace assay {

/// `expectEqual`, `expectTrue`, … : each assertion's twin. It checks what the assertion checks and, on
/// failure, reports the same message with its own traceback, as a failing subTest is; the test goes on and
/// ends as a FAIL. Each returns whether it passed (`if (!expectIsNotNone(p)) return;`).
class expectations : public assertions {
 protected:
  expectations() = default;
  expectations(const expectations&) = default;
  expectations& operator=(const expectations&) = default;
  ~expectations() = default;

 public:
  // A twin tests what its assertion tests, inline, so that passing costs what the assertion's pass costs;
  // on failure it stops under --break-on-failure, then lets the assertion build the same message and throw,
  // and records that AssertionError instead of ending the test (the header stays small: one body each).
  template <class A, class B>
  [[ASSAY_DETAIL_NODEBUG gnu::always_inline]] bool expectEqual(const A& first, const B& second, message msg = {},
                                                               location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectNotEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertNotEqual<A, B>, msg, where, first, second);
  }
  template <class T>
  bool expectTrue(const T& expr, message msg = {}, location where = location::here()) const {
    if (static_cast<bool>(expr)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertTrue<T>, msg, where, expr);
  }
  template <class T>
  bool expectFalse(const T& expr, message msg = {}, location where = location::here()) const {
    if (!static_cast<bool>(expr)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertFalse<T>, msg, where, expr);
  }
  template <class A, class B>
  bool expectIs(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) == detail::address_of(second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertIs<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectIsNot(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) != detail::address_of(second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertIsNot<A, B>, msg, where, first, second);
  }
  template <class T>
  bool expectIsNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (detail::is_none(obj)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertIsNone<T>, msg, where, obj);
  }
  template <class T>
  bool expectIsNotNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (!detail::is_none(obj)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertIsNotNone<T>, msg, where, obj);
  }
  template <class M, class C>
  bool expectIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (detail::contains(member, container)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertIn<M, C>, msg, where, member, container);
  }
  template <class M, class C>
  bool expectNotIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (!detail::contains(member, container)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertNotIn<M, C>, msg, where, member, container);
  }
  template <class T, class O>
  bool expectIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (is_instance<T>(obj)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertIsInstance<T, O>, msg, where, obj);
  }
  template <class T, class O>
  bool expectNotIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (!is_instance<T>(obj)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertNotIsInstance<T, O>, msg, where, obj);
  }
  template <class A, class B>
  bool expectGreater(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(b, a)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertGreater<A, B>, msg, where, a, b);
  }
  template <class A, class B>
  bool expectGreaterEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(a, b)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertGreaterEqual<A, B>, msg, where, a, b);
  }
  template <class A, class B>
  bool expectLess(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(a, b)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertLess<A, B>, msg, where, a, b);
  }
  template <class A, class B>
  bool expectLessEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(b, a)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertLessEqual<A, B>, msg, where, a, b);
  }
  template <class A, class B>
  bool expectAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    return expect_almost(true, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectAlmostEqual(const A& a, const B& b, places p, message msg = {}, location where = location::here()) const {
    return expect_almost(true, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectAlmostEqual(const A& a, const B& b, delta d, message msg = {}, location where = location::here()) const {
    return expect_almost(true, a, b, 0, d.value, true, msg, where);
  }
  template <class A, class B>
  bool expectNotAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    return expect_almost(false, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectNotAlmostEqual(const A& a, const B& b, places p, message msg = {},
                            location where = location::here()) const {
    return expect_almost(false, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectNotAlmostEqual(const A& a, const B& b, delta d, message msg = {},
                            location where = location::here()) const {
    return expect_almost(false, a, b, 0, d.value, true, msg, where);
  }
  template <class T, class R>
    requires detail::string_like<T> && detail::string_like<R>
  bool expectRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertRegex<T, R>, msg, where, text, regex);
  }
  template <class T, class R>
    requires detail::string_like<T> && detail::string_like<R>
  bool expectNotRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (!detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertNotRegex<T, R>, msg, where, text, regex);
  }
  template <class A, class B>
  bool expectCountEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    detail::writer lines;
    count_differences(first, second, lines);
    if (!lines.size()) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertCountEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectSequenceEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertSequenceEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectListEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertListEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectTupleEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertTupleEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectSetEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertSetEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
  bool expectDictEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertDictEqual<A, B>, msg, where, first, second);
  }
  template <class A, class B>
    requires detail::string_like<A> && detail::string_like<B>
  bool expectMultiLineEqual(const A& first, const B& second, message msg = {},
                            location where = location::here()) const {
    if (detail::equal(first, second)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return recorded(&assertions::assertMultiLineEqual<A, B>, msg, where, first, second);
  }

 private:
  template <class A, class B>
  bool expect_almost(bool want_equal, const A& a, const B& b, int places, double delta, bool use_delta, message msg,
                     location where) const {
    if (almost<true>(want_equal, a, b, places, delta, use_delta, msg, where)) [[likely]]
      return true;
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is two frames up
    return recorded(&expectations::almost<false, A, B>, msg, where, want_equal, a, b, places, delta, use_delta);
  }
  // Runs the assertion (which fails) under record_failure: one lambda for every twin.
  // msg and where are copies made on the failure path: captured by reference, the caller's own would have to
  // be stored before every comparison (g++ -O2 did so, doubling a passing expectEqual's time).
  template <class F, class... T>
  bool recorded(F assertion, message msg, location where, const T&... args) const {
    auto raise = [&] { (this->*assertion)(args..., msg, where); };
    return detail::record_failure(detail::fn_ref::of(raise));
  }
};

}  // namespace assay
