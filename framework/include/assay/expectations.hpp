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
  // The same comparison as the assertion's; only a failure goes another way (recorded, not thrown), so a
  // passing expectation costs what a passing assertion costs.
  template <class A, class B>
  [[ASSAY_DETAIL_NODEBUG gnu::always_inline]] bool expectEqual(const A& first, const B& second, message msg = {},
                                                               location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_equal(*this, first, second, msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectNotEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::not_equal, detail::ref(first), detail::ref(second), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T>
  bool expectTrue(const T& expr, message msg = {}, location where = location::here()) const {
    if (!static_cast<bool>(expr)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_truth(*this, detail::truth_op::is_true, detail::ref(expr), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T>
  bool expectFalse(const T& expr, message msg = {}, location where = location::here()) const {
    if (static_cast<bool>(expr)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_truth(*this, detail::truth_op::is_false, detail::ref(expr), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectIs(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) != detail::address_of(second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::is, detail::ref(first), detail::ref(second), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectIsNot(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (detail::address_of(first) == detail::address_of(second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::is_not, detail::ref(first), detail::ref(second), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T>
  bool expectIsNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (!detail::is_none(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_truth(*this, detail::truth_op::is_none, detail::ref(obj), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T>
  bool expectIsNotNone(const T& obj, message msg = {}, location where = location::here()) const {
    if (detail::is_none(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_truth(*this, detail::truth_op::is_not_none, detail::ref(obj), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class M, class C>
  bool expectIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (!detail::contains(member, container)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::in, detail::ref(member), detail::ref(container), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class M, class C>
  bool expectNotIn(const M& member, const C& container, message msg = {}, location where = location::here()) const {
    if (detail::contains(member, container)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::not_in, detail::ref(member), detail::ref(container), msg,
                             where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T, class O>
  bool expectIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (!is_instance<T>(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_instance(*this, detail::compare_op::is_instance, detail::ref(obj), type_str<T>(), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T, class O>
  bool expectNotIsInstance(const O& obj, message msg = {}, location where = location::here()) const {
    if (is_instance<T>(obj)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_instance(*this, detail::compare_op::not_is_instance, detail::ref(obj), type_str<T>(), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectGreater(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(b, a)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::greater, detail::ref(a), detail::ref(b), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectGreaterEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(a, b)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::greater_equal, detail::ref(a), detail::ref(b), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectLess(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (!detail::less(a, b)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::less, detail::ref(a), detail::ref(b), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectLessEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    if (detail::less(b, a)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] {
        detail::fail_compare(*this, detail::compare_op::less_equal, detail::ref(a), detail::ref(b), msg, where);
      };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    return almost<true>(true, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectAlmostEqual(const A& a, const B& b, places p, message msg = {}, location where = location::here()) const {
    return almost<true>(true, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectAlmostEqual(const A& a, const B& b, delta d, message msg = {}, location where = location::here()) const {
    return almost<true>(true, a, b, 0, d.value, true, msg, where);
  }
  template <class A, class B>
  bool expectNotAlmostEqual(const A& a, const B& b, message msg = {}, location where = location::here()) const {
    return almost<true>(false, a, b, 7, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectNotAlmostEqual(const A& a, const B& b, places p, message msg = {},
                            location where = location::here()) const {
    return almost<true>(false, a, b, p.value, 0, false, msg, where);
  }
  template <class A, class B>
  bool expectNotAlmostEqual(const A& a, const B& b, delta d, message msg = {},
                            location where = location::here()) const {
    return almost<true>(false, a, b, 0, d.value, true, msg, where);
  }
  template <class T, class R>
  requires detail::string_like<T> && detail::string_like<R>
  bool expectRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (!detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_regex(*this, true, detail::as_str(text), detail::as_str(regex), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class T, class R>
  requires detail::string_like<T> && detail::string_like<R>
  bool expectNotRegex(const T& text, const R& regex, message msg = {}, location where = location::here()) const {
    if (detail::regex_search(detail::as_str(text), detail::as_str(regex))) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_regex(*this, false, detail::as_str(text), detail::as_str(regex), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectCountEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    detail::writer lines;
    count_differences(first, second, lines);
    if (lines.size()) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_counts(*this, lines, msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectSequenceEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_sequence(*this, detail::sequence_kind::sequence, first, second, msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectListEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_sequence(*this, detail::sequence_kind::list, first, second, msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectTupleEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_sequence(*this, detail::sequence_kind::tuple, first, second, msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectSetEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_set(*this, first, second, msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  bool expectDictEqual(const A& first, const B& second, message msg = {}, location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_dicts(*this, detail::ref(first), detail::ref(second), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
  template <class A, class B>
  requires detail::string_like<A> && detail::string_like<B>
  bool expectMultiLineEqual(const A& first, const B& second, message msg = {},
                            location where = location::here()) const {
    if (!detail::equal(first, second)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
      auto raise = [&] { detail::fail_strings(*this, detail::as_str(first), detail::as_str(second), msg, where); };
      return detail::record_failure(detail::fn_ref::of(raise));
    }
    return true;
  }
};

}  // namespace assay
