// TestCase, the TEST macro, fixtures, cleanups, subTest and assertRaises: unittest.case for C++.
#pragma once

#include <assay/death.hpp>
#include <assay/expectations.hpp>

namespace assay {

class case_base;

namespace detail {

/// What the generated entry function of a TEST is asked to do; one function per test keeps the class small.
enum class entry_op : unsigned char { make, run, set_up_class, tear_down_class, describe };
using entry_fn = void (*)(entry_op, case_base*&);

/// A `TEST(name, options…)` option: a skip decorator, expectedFailure, a timeout, retries or tags (in `reason`).
struct test_option {
  enum kind_t : unsigned char { skip, expected_failure, timeout, not_collected, abstract, tag, retries } kind;
  bool active = true;
  str reason{};
  double seconds = 0;
};

int register_test(const char* class_pretty, const char* method, entry_fn entry, const char* file, int line,
                  std::initializer_list<test_option> options);
int register_module_fixture(const char* file, void (*fn)(), bool set_up);
/// Registers `class_pretty` as a subclass of `base_pretty`: it runs the base's tests too (resolved lazily).
int register_subclass(const char* class_pretty, const char* base_pretty, entry_fn entry, const char* file);

/// What a class declares of itself, read once by the registry (entry_op::describe).
struct class_options {
  const test_option* data = nullptr;
  size_type size = 0;
};
struct class_traits {
  bool abstract = false;  // std::is_abstract, or assay::abstract among the class's own options
  class_options options{};
};
void describe_class(const class_traits& traits) noexcept;

template <class T>
case_base* make_case() {
  if constexpr (is_abstract_v<T>) {
    return nullptr;  // never asked: an abstract class runs no tests
  } else {
    return new T();
  }
}

// A friend of every class that declares options (which may be protected or private).
struct class_access {
  template <class T>
  static class_options options() noexcept {
    return T::assay_class_options();
  }
  template <class T>
  static constexpr bool declares_options = is_same_v<typename T::assay_options_owner, T>;
};

template <class T>
void describe_as() noexcept {
  class_traits traits;
  traits.options = class_access::options<T>();
  bool marked = false;
  // assay::abstract marks only the class that says so: its subclasses run the tests (options otherwise
  // inherit, as a decorator's attribute does in Python).
  if constexpr (class_access::declares_options<T>) {
    for (size_type i = 0; i < traits.options.size; ++i) marked = marked || traits.options.data[i].kind == test_option::abstract;
  }
  traits.abstract = is_abstract_v<T> || marked;
  describe_class(traits);
}

/// The entry of a class with no test of its own (a subclass inheriting its base's tests).
template <class T>
void class_entry(entry_op op, case_base*& obj) {
  switch (op) {
    case entry_op::make: obj = make_case<T>(); break;
    case entry_op::run: break;
    case entry_op::set_up_class: T::setUpClass(); break;
    case entry_op::tear_down_class: T::tearDownClass(); break;
    case entry_op::describe: describe_as<T>(); break;
  }
}

// Names a static data member as a template argument: instantiating the class then initialises it.
template <int&>
struct odr_use {};

struct subtest_param {
  str key;
  value_ref value;
  template <class T>
  subtest_param(const char* k, const T& v) noexcept : key{k, cstr_len(k)}, value(ref(v)) {}
};

// Run `body` as a subtest of the running test; failures are reported and do not escape (compiled).
void run_subtest(case_base& self, const value_ref* msg, const str* msg_text, const subtest_param* params,
                 size_type count, fn_ref body);
void add_cleanup(case_base& self, callback cb);
void add_class_cleanup(callback cb);
void add_module_cleanup(callback cb);
[[noreturn]] void skip_test(message reason);
/// Whether a debugger traces this process; when none does, says so in one line on stderr.
bool breakpoint_wanted(location where) noexcept;
[[noreturn]] void fail_not_raised(str exception_pretty, location where);
/// Non-zero while an assertRaises body runs: its throw is expected to be caught there, so its stack is
/// not kept for a traceback (a wrong exception escaping is reported with one frame).
// constinit: known to need no initialisation, it is read without a call to a TLS wrapper. (clang's
// -Weverything calls the C++20 keyword incompatible with earlier standards.)
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc++20-compat"
#endif
extern constinit thread_local int expecting_exception;
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
struct expecting_scope {
  [[gnu::always_inline]] expecting_scope() noexcept { ++expecting_exception; }
  [[gnu::always_inline]] ~expecting_scope() { --expecting_exception; }
  expecting_scope(const expecting_scope&) = delete;
  expecting_scope& operator=(const expecting_scope&) = delete;
};
[[noreturn]] void fail_regex_not_matched(str pattern, const char* what, location where);
void check_raises_regex(str pattern, const char* what, location where);
// expectRaises' and expectRaisesRegex's failures, recorded as record_failure records them; false when recorded.
bool expect_not_raised(str exception_pretty, location where);
bool expect_raises_regex(str pattern, const char* what, location where);

template <class M>
void run_subtest_with(case_base& self, const M& msg, const subtest_param* params, size_type count, fn_ref body) {
  if constexpr (string_like<M>) {
    const str text = as_str(msg);
    run_subtest(self, nullptr, &text, params, count, body);
  } else {
    const value_ref value = ref(msg);
    run_subtest(self, &value, nullptr, params, count, body);
  }
}

}  // namespace detail

/// Python's breakpoint() for a test: under a debugger, stops here (SIGTRAP on this line; `continue` goes
/// on); without one, a line on stderr (`assay: breakpoint() at file:line: no debugger attached`) and the
/// test goes on.
[[ASSAY_DETAIL_NODEBUG gnu::always_inline]] inline void breakpoint(location where = location::here()) {
  if (detail::breakpoint_wanted(where)) ASSAY_DETAIL_TRAP();
}

/// unittest's `skip(reason)` decorator, as an option of TEST.
constexpr detail::test_option skip(message reason) noexcept {
  return {detail::test_option::skip, true, reason.text, 0};
}
/// unittest's `skipIf(condition, reason)` decorator.
constexpr detail::test_option skipIf(bool condition, message reason) noexcept {
  return {detail::test_option::skip, condition, reason.text, 0};
}
/// unittest's `skipUnless(condition, reason)` decorator.
constexpr detail::test_option skipUnless(bool condition, message reason) noexcept {
  return {detail::test_option::skip, !condition, reason.text, 0};
}
/// unittest's `expectedFailure` decorator: the test is expected to fail; passing is an "unexpected success".
inline constexpr detail::test_option expectedFailure{detail::test_option::expected_failure, true, {}, 0};
/// A class option: this class runs none of its tests, its subclasses run them (a class with a pure
/// virtual function is abstract without saying so).
inline constexpr detail::test_option abstract{detail::test_option::abstract, true, {}, 0};
/// Kill the test after `seconds` (in supervised runs) and report it as an ERROR.
constexpr detail::test_option timeout(double seconds) noexcept {
  return {detail::test_option::timeout, true, {}, seconds};
}
/// Run the test again, in a fresh worker, up to `count` more times while it fails or errors (a pass on a
/// rerun is FLAKY); overrides --retries, so `retries(0)` never reruns the test.
constexpr detail::test_option retries(int count) noexcept {
  return {detail::test_option::retries, true, {}, count < 0 ? 0.0 : static_cast<double>(count)};
}

// consteval: a tag is checked where the test is compiled. (clang's -Weverything calls the C++20 keyword
// incompatible with earlier standards.)
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wc++20-compat"
#endif
namespace detail {
// Not constexpr: reached while a tag is checked at compile time, its name is the compiler's message.
void a_tag_is_an_identifier_other_than_and_or_not();
void a_tag_list_needs_at_least_one_tag();

constexpr bool tag_char(char c, bool first) noexcept {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}
// The words of -m expressions cannot be tags (as in pytest's marker expressions).
constexpr bool tag_keyword(const char* s, size_type n) noexcept {
  const auto is = [&](const char* w, size_type len) {
    if (n != len) return false;
    for (size_type i = 0; i < n; ++i)
      if (s[i] != w[i]) return false;
    return true;
  };
  return is("and", 3) || is("or", 2) || is("not", 3);
}
// Checks `n` chars of tags separated by spaces (one tag only unless `many`); the text stays in the literal.
consteval test_option tag_option(const char* s, size_type n, bool many) {
  size_type count = 0;
  for (size_type i = 0; i < n;) {
    if (many && s[i] == ' ') {
      ++i;
      continue;
    }
    const size_type start = i;
    while (i < n && !(many && s[i] == ' ')) {
      if (!tag_char(s[i], i == start)) a_tag_is_an_identifier_other_than_and_or_not();
      ++i;
    }
    if (tag_keyword(s + start, i - start)) a_tag_is_an_identifier_other_than_and_or_not();
    ++count;
  }
  if (count == 0) {
    if (many) a_tag_list_needs_at_least_one_tag();
    a_tag_is_an_identifier_other_than_and_or_not();
  }
  if (!many && count != 1) a_tag_is_an_identifier_other_than_and_or_not();
  return {test_option::tag, true, {s, n}, 0};
}
}  // namespace detail

/// pytest's `pytest.mark.slow` decorator: tags the test (or, in ASSAY_CLASS_OPTIONS, every test of the class) for
/// `-m EXPR` and CTest labels. A tag is an identifier (letters, digits, `_`), checked at compile time.
template <size_type N>
consteval detail::test_option tag(const char (&name)[N]) {
  return detail::tag_option(name, N - 1, false);
}
/// Several tags in one literal, separated by spaces: `assay::tags("slow db")` (Catch2's `"[slow][db]"`).
template <size_type N>
consteval detail::test_option tags(const char (&names)[N]) {
  return detail::tag_option(names, N - 1, true);
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

namespace detail {
/// Registers the test without collecting it: assay's own selftests run such inner cases by hand.
inline constexpr test_option not_collected{test_option::not_collected, true, {}, 0};
}  // namespace detail

/// `addModuleCleanup(f)`: run `f` after the current module's tearDownModule, even if setUpModule failed.
template <class F>
void addModuleCleanup(F f) {
  detail::add_module_cleanup(detail::callback::of(static_cast<F&&>(f)));
}

/// The non-template base of every test case: fixtures, cleanups, subTest, skipTest, assertRaises, death tests.
class case_base : public expectations, public death_assertions {
 public:
  case_base() = default;
  case_base(const case_base&) = delete;
  case_base& operator=(const case_base&) = delete;
  virtual ~case_base();

  /// Runs before each test; a failure here skips the test and its tearDown (cleanups still run).
  virtual void setUp() {}
  /// Runs after each test whose setUp succeeded.
  virtual void tearDown() {}
  /// Runs once before the first test of the class (hide it with your own static function).
  static void setUpClass() {}
  /// Runs once after the last test of the class, if setUpClass succeeded.
  static void tearDownClass() {}

  // No class options unless ASSAY_CLASS_OPTIONS declares some (subclasses inherit them).
  static ::assay::detail::class_options assay_class_options() noexcept { return {}; }
  using assay_options_owner = case_base;

  /// Run `f` after tearDown, last added first; cleanups run even when setUp failed.
  template <class F>
  void addCleanup(F f) {
    detail::add_cleanup(*this, detail::callback::of(static_cast<F&&>(f)));
  }
  /// Run `f` after tearDownClass of the running class.
  template <class F>
  static void addClassCleanup(F f) {
    detail::add_class_cleanup(detail::callback::of(static_cast<F&&>(f)));
  }
  /// Ends the test (or subtest) as skipped.
  [[noreturn]] void skipTest(message reason) const { detail::skip_test(reason); }

  /// `with self.subTest():` — a failure inside ends only this block; the test goes on.
  template <class F>
  void subTest(F&& body) {
    detail::run_subtest(*this, nullptr, nullptr, nullptr, 0, detail::fn_ref::of(body));
  }
  /// `with self.subTest(msg):`
  template <class M, class F>
    requires(!detail::convertible_to<M, std::initializer_list<detail::subtest_param>>)
  void subTest(const M& msg, F&& body) {
    detail::run_subtest_with(*this, msg, nullptr, 0, detail::fn_ref::of(body));
  }
  /// `with self.subTest(i=i, name=n):` as `subTest({{"i", i}, {"name", n}}, body)`.
  template <class F>
  void subTest(std::initializer_list<detail::subtest_param> params, F&& body) {
    detail::run_subtest(*this, nullptr, nullptr, params.begin(), params.size(), detail::fn_ref::of(body));
  }
  /// `with self.subTest(msg, i=i):`
  template <class M, class F>
  void subTest(const M& msg, std::initializer_list<detail::subtest_param> params, F&& body) {
    detail::run_subtest_with(*this, msg, params.begin(), params.size(), detail::fn_ref::of(body));
  }

  /// Calls `body`, which must throw E (or a type derived from it); returns the caught exception.
  template <class E, class F>
  E assertRaises(F&& body, location where = location::here()) const {
    try {
      const detail::expecting_scope expecting;
      body();
    } catch (const E& e) {
      return e;
    }
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    detail::fail_not_raised(detail::str{detail::type_name<E>(), detail::cstr_len(detail::type_name<E>())}, where);
  }
  /// As assertRaises, and `what()` must match the regular expression `pattern` (std::regex search).
  template <class E, class F>
  E assertRaisesRegex(message pattern, F&& body, location where = location::here()) const {
    try {
      const detail::expecting_scope expecting;
      body();
    } catch (const E& e) {
      detail::check_raises_regex(pattern.text, exception_text(e), where);
      return e;
    }
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    detail::fail_not_raised(detail::str{detail::type_name<E>(), detail::cstr_len(detail::type_name<E>())}, where);
  }

  /// assertRaises' non-fatal twin: a body that does not throw E is a recorded failure; true when it threw E.
  template <class E, class F>
  bool expectRaises(F&& body, location where = location::here()) const {
    try {
      const detail::expecting_scope expecting;
      body();
    } catch (const E&) {
      return true;
    }
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return detail::expect_not_raised(detail::str{detail::type_name<E>(), detail::cstr_len(detail::type_name<E>())},
                                     where);
  }
  /// assertRaisesRegex's non-fatal twin.
  template <class E, class F>
  bool expectRaisesRegex(message pattern, F&& body, location where = location::here()) const {
    try {
      const detail::expecting_scope expecting;
      body();
    } catch (const E& e) {
      return detail::expect_raises_regex(pattern.text, exception_text(e), where);
    }
    ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is one frame up
    return detail::expect_not_raised(detail::str{detail::type_name<E>(), detail::cstr_len(detail::type_name<E>())},
                                     where);
  }

  // Runner-owned state (opaque to tests).
  void* assay_state_ = nullptr;

 private:
  template <class E>
  static const char* exception_text(const E& e) {
    if constexpr (requires { e.what(); }) {
      return e.what();
    } else {
      return "";
    }
  }
};

/// Base of a test case class: `class MyTest : public assay::TestCase<MyTest> { TEST(test_x) { … } };`
/// Shared helpers can live in a class derived from case_base: `assay::TestCase<MyTest, MyHelpers>`.
/// A TestCase's tests run in its subclasses too, under their ids and fixtures (inherited tests first);
/// an abstract class (a pure virtual function, or ASSAY_CLASS_OPTIONS(assay::abstract)) runs none itself.
template <class Derived, class Base = case_base>
class TestCase : public Base {
  static_assert(detail::is_base_of_v<case_base, Base>, "assay: the base of a TestCase must derive from assay::case_base");

 protected:
  using assay_self = Derived;

 private:
  // A subclass may declare no test of its own: the class registers itself. Its module is the source file
  // being compiled (__BASE_FILE__): a subclass is defined in the test file that runs it.
  // constexpr: a class deriving from case_base directly is constant-initialised (no work at start-up).
  static constexpr int assay_register_subclass() {
    if constexpr (detail::is_same_v<Base, case_base>) {
      return 0;
    } else {
      return detail::register_subclass(detail::type_name<Derived>(), detail::type_name<Base>(),
                                       &detail::class_entry<Derived>, __BASE_FILE__);
    }
  }
  static inline int assay_subclass_registered_ = assay_register_subclass();
  using assay_subclass_use_ = detail::odr_use<assay_subclass_registered_>;
};

namespace detail {
/// What `assay_self` names where TEST stands outside a TestCase: the test's own check then fails first.
struct outside_test_case : case_base {};
}  // namespace detail

}  // namespace assay

/// Found only when no TestCase base supplies `assay_self` (TEST at namespace scope or in an unrelated class).
using assay_self = ::assay::detail::outside_test_case;

#define ASSAY_DETAIL_CAT2(a, b) a##b
#define ASSAY_DETAIL_CAT(a, b) ASSAY_DETAIL_CAT2(a, b)

/// Declares test method `name` inside a TestCase class and registers it; the body follows.
#define ASSAY_TEST(name, ...)                                                                            \
  static_assert(!::assay::detail::is_same_v<assay_self, ::assay::detail::outside_test_case>,               \
                "assay: TEST must be inside a class derived from assay::TestCase "                       \
                "(a class, not a class template: class MyTest : public assay::TestCase<MyTest>)");       \
  static void assay_entry_##name(::assay::detail::entry_op assay_op, ::assay::case_base*& assay_obj) {   \
    switch (assay_op) {                                                                                  \
      case ::assay::detail::entry_op::make: assay_obj = ::assay::detail::make_case<assay_self>(); break; \
      case ::assay::detail::entry_op::run: static_cast<assay_self*>(assay_obj)->name(); break;           \
      case ::assay::detail::entry_op::set_up_class: assay_self::setUpClass(); break;                     \
      case ::assay::detail::entry_op::tear_down_class: assay_self::tearDownClass(); break;               \
      case ::assay::detail::entry_op::describe: ::assay::detail::describe_as<assay_self>(); break;       \
    }                                                                                                    \
  }                                                                                                      \
  static inline const int assay_registered_##name = ::assay::detail::register_test(                     \
      ::assay::detail::type_name<assay_self>(), #name, &assay_entry_##name, __FILE__, __LINE__,          \
      {__VA_ARGS__});                                                                                    \
  void name()

/// Options of the whole class, as Python's class decorators: `ASSAY_CLASS_OPTIONS(assay::skip("no db"))`
/// skips every test and the class fixtures; skipIf, skipUnless, expectedFailure, timeout, retries, tags, assay::abstract.
#define ASSAY_CLASS_OPTIONS(...)                                                                    \
  friend struct ::assay::detail::class_access;                                                      \
  static ::assay::detail::class_options assay_class_options() noexcept {                            \
    static const ::assay::detail::test_option assay_options[] = {__VA_ARGS__};                       \
    return {assay_options, sizeof assay_options / sizeof assay_options[0]};                          \
  }                                                                                                 \
  using assay_options_owner = assay_self

/// `def setUpModule():` for this source file (module = the file's stem).
#define ASSAY_SET_UP_MODULE()                                                                       \
  static void assay_set_up_module();                                                                \
  [[maybe_unused]] static const int assay_set_up_module_registered =                                \
      ::assay::detail::register_module_fixture(__FILE__, &assay_set_up_module, true);               \
  static void assay_set_up_module()

/// `def tearDownModule():` for this source file.
#define ASSAY_TEAR_DOWN_MODULE()                                                                    \
  static void assay_tear_down_module();                                                             \
  [[maybe_unused]] static const int assay_tear_down_module_registered =                             \
      ::assay::detail::register_module_fixture(__FILE__, &assay_tear_down_module, false);           \
  static void assay_tear_down_module()

#ifndef ASSAY_NO_SHORT_MACROS
#define TEST(...) ASSAY_TEST(__VA_ARGS__)
#define CLASS_OPTIONS(...) ASSAY_CLASS_OPTIONS(__VA_ARGS__)
#define SET_UP_MODULE() ASSAY_SET_UP_MODULE()
#define TEAR_DOWN_MODULE() ASSAY_TEAR_DOWN_MODULE()
#endif
