// Parameterised tests (TEST_P: one test per row of a table) and typed tests (TYPED_TEST: one per type).
// Opt-in: a file without them does not pay for <tuple> or this header's templates.
#pragma once

#include <initializer_list>
#include <tuple>
#include <type_traits>
#include <utility>

#include <assay/case.hpp>

namespace assay {

/// Names a row explicitly, as pytest's `pytest.param(…, id="zero")`: `{assay::id("zero"), 0, 0}`.
struct id {
  text name;
  explicit id(const char* n) : name(n, detail::cstr_len(n)) {}
  template <class S>
    requires detail::char_range<S>
  explicit id(const S& n) : name(n.data(), static_cast<size_type>(n.size())) {}
};

/// One row of a TEST_P table: the values of the test's parameters, and optionally its name.
/// `{2, 4}`, `{assay::id("big"), 1000, 1000000}`; a row function may return a range of these.
template <class... P>
struct row {
  std::tuple<std::decay_t<P>...> values;
  text name{};
  bool named = false;

  template <class... A>
    requires(sizeof...(A) == sizeof...(P) && sizeof...(P) > 0 &&
             !(sizeof...(A) == 1 && (std::is_same_v<detail::remove_cvref_t<A>, row> || ...)) &&
             std::is_constructible_v<std::tuple<std::decay_t<P>...>, A&&...>)
  row(A&&... a) : values(static_cast<A&&>(a)...) {}  // NOLINT: implicit, so `{2, 4}` is a row
  template <class... A>
    requires(sizeof...(A) == sizeof...(P) && std::is_constructible_v<std::tuple<std::decay_t<P>...>, A&&...>)
  row(id n, A&&... a) : values(static_cast<A&&>(a)...), name(static_cast<text&&>(n.name)), named(true) {}
};

/// The type list of a TYPED_TEST given by name: `using widths = assay::types<int, long>;`.
template <class... T>
struct types {};

namespace detail {

/// What a TEST_P table function hands the registry for each row (compiled: builds and checks the row's id).
struct row_sink;
void add_row(row_sink& sink, const void* row, const text* name, const value_ref* values, size_type count);
using table_fn = void (*)(row_sink&);
int register_param_test(const char* class_pretty, const char* method, entry_fn entry, table_fn table,
                        const char* file, int line, std::initializer_list<test_option> options);
/// The row of the running test (a TEST_P row's entry reads it).
const void* running_row(const case_base& self) noexcept;
/// Registers one test per type: `method[spelling]`, the spelling as written in the list, or the type's name.
int register_typed_test(const char* class_pretty, const char* method, const char* spelling, const entry_fn* entries,
                        const char* const* type_pretty, size_type count, const char* file, int line,
                        std::initializer_list<test_option> options);

template <class M>
struct method_traits;
template <class C, class R, class... P>
struct method_traits<R (C::*)(P...)> {
  static_assert(sizeof...(P) > 0, "assay: a TEST_P takes parameters: TEST_P(name, rows)(int x, int y) { … }");
  static_assert(((!std::is_lvalue_reference_v<P> || std::is_const_v<std::remove_reference_t<P>>) && ...),
                "assay: a TEST_P parameter is a value or a const reference (a row's values are shared by every run of it)");
  using row_type = row<P...>;
  static constexpr size_type arity = sizeof...(P);
};
template <class C, class R, class... P>
struct method_traits<R (C::*)(P...) noexcept> : method_traits<R (C::*)(P...)> {};

// A string's id part is its text (pytest), anything else's its repr.
template <class T>
void write_id_part(writer& w, const void* p) {
  const T& v = *static_cast<const T*>(p);
  if constexpr (string_like<T>) {
    w.write(as_str(v));
  } else {
    repr_to(w, v);
  }
}

template <class R, size_type... I>
void add_row_of(row_sink& sink, const R* r, std::index_sequence<I...>) {
  const value_ref values[] = {value_ref{&std::get<I>(r->values),
                                        &write_id_part<std::tuple_element_t<I, decltype(r->values)>>}...};
  add_row(sink, r, r->named ? &r->name : nullptr, values, sizeof...(I));
}

template <class R>
void add_one(row_sink& sink, R* r) {
  add_row_of(sink, r, std::make_index_sequence<std::tuple_size_v<decltype(r->values)>>{});
}

template <class T>
concept row_tuple_like = requires { std::tuple_size<remove_cvref_t<T>>::value; };

// A row as a row function returns it: a row, a tuple-like of the parameters, or the one parameter.
template <class R, class E>
R* make_row(E&& e) {
  if constexpr (std::is_same_v<remove_cvref_t<E>, R>) {
    return new R(static_cast<E&&>(e));
  } else if constexpr (std::tuple_size_v<decltype(R::values)> == 1 && std::is_constructible_v<R, E&&>) {
    return new R(static_cast<E&&>(e));
  } else {
    static_assert(row_tuple_like<E>, "assay: a row must be an assay::row, a tuple of the test's parameters, or its one parameter");
    return std::apply([](auto&&... v) { return new R(static_cast<decltype(v)&&>(v)...); }, static_cast<E&&>(e));
  }
}

// Rows live until the process ends (every process of a run builds the same table); never freed.
template <class M>
void collect_rows(row_sink& sink, M, std::initializer_list<typename method_traits<M>::row_type> rows) {
  using R = typename method_traits<M>::row_type;
  for (const R& r : rows) add_one(sink, new R(r));
}
template <class M, class Source>
void collect_rows(row_sink& sink, M, Source&& source) {
  using R = typename method_traits<M>::row_type;
  if constexpr (std::is_invocable_v<Source&>) {
    auto&& range = source();
    for (auto&& e : range) add_one(sink, make_row<R>(static_cast<decltype(e)&&>(e)));
  } else {
    for (auto&& e : source) add_one(sink, make_row<R>(e));
  }
}

template <class C, class M>
void call_row(case_base* obj, M method) {
  using R = typename method_traits<M>::row_type;
  const R& r = *static_cast<const R*>(running_row(*obj));
  std::apply([&](const auto&... v) { (static_cast<C*>(obj)->*method)(v...); }, r.values);
}

template <class... T>
struct type_list {
  static_assert(sizeof...(T) > 0, "assay: a TYPED_TEST needs at least one type");
  static constexpr size_type size = sizeof...(T);
  template <template <class> class E>
  static constexpr entry_fn entries[] = {&E<T>::assay_entry...};
  static constexpr const char* names[] = {type_name<T>()...};
  static constexpr bool named_list = false;
};
// A list given by name (`using widths = assay::types<int, long>`): ids name the types as the compiler does.
template <class... T>
struct type_list<types<T...>> : type_list<T...> {
  static constexpr bool named_list = true;
};

}  // namespace detail
}  // namespace assay

// A parenthesised table is a literal list of rows; anything else is a range, or a function returning one.
#define ASSAY_DETAIL_PAREN_PROBE(...) ~, 1
#define ASSAY_DETAIL_SECOND(a, b, ...) b
#define ASSAY_DETAIL_CHECK(...) ASSAY_DETAIL_SECOND(__VA_ARGS__, 0, ~)
#define ASSAY_DETAIL_IS_PAREN(x) ASSAY_DETAIL_CHECK(ASSAY_DETAIL_PAREN_PROBE x)
#define ASSAY_DETAIL_BRACE(...) {__VA_ARGS__}
#define ASSAY_DETAIL_UNPAREN(...) __VA_ARGS__
#define ASSAY_DETAIL_ROWS_1(rows) ASSAY_DETAIL_BRACE rows
#define ASSAY_DETAIL_ROWS_0(rows) rows
#define ASSAY_DETAIL_ROWS(rows) ASSAY_DETAIL_CAT(ASSAY_DETAIL_ROWS_, ASSAY_DETAIL_IS_PAREN(rows))(rows)
#define ASSAY_DETAIL_TYPES_1(types) ASSAY_DETAIL_UNPAREN types
#define ASSAY_DETAIL_TYPES_0(types) types
#define ASSAY_DETAIL_TYPES(types) ASSAY_DETAIL_CAT(ASSAY_DETAIL_TYPES_, ASSAY_DETAIL_IS_PAREN(types))(types)

/// A parameterised test: one test per row, each with its own id `Class.name[2-4]`. The parameters follow
/// the macro: `TEST_P(test_square, ({2, 4}, {3, 9}))(int x, int square) { … }`. `rows` is a parenthesised
/// list of rows, or a range (a static member, an array) or a function returning one, read at start-up.
#define ASSAY_TEST_P(name, rows, ...)                                                                   \
  static_assert(!::std::is_same_v<assay_self, ::assay::detail::outside_test_case>,                      \
                "assay: TEST_P must be inside a class derived from assay::TestCase");                    \
  static void assay_rows_##name(::assay::detail::row_sink& assay_sink) {                                \
    ::assay::detail::collect_rows(assay_sink, &assay_self::name, ASSAY_DETAIL_ROWS(rows));              \
  }                                                                                                     \
  static void assay_entry_##name(::assay::detail::entry_op assay_op, ::assay::case_base*& assay_obj) {  \
    switch (assay_op) {                                                                                 \
      case ::assay::detail::entry_op::make: assay_obj = ::assay::detail::make_case<assay_self>(); break; \
      case ::assay::detail::entry_op::run: ::assay::detail::call_row<assay_self>(assay_obj, &assay_self::name); break; \
      case ::assay::detail::entry_op::set_up_class: assay_self::setUpClass(); break;                    \
      case ::assay::detail::entry_op::tear_down_class: assay_self::tearDownClass(); break;              \
      case ::assay::detail::entry_op::describe: ::assay::detail::describe_as<assay_self>(); break;      \
    }                                                                                                   \
  }                                                                                                     \
  static inline const int assay_registered_##name = ::assay::detail::register_param_test(              \
      ::assay::detail::type_name<assay_self>(), #name, &assay_entry_##name, &assay_rows_##name, __FILE__, \
      __LINE__, {__VA_ARGS__});                                                                         \
  void name

/// A typed test: the body, a template over `T`, runs once per type, each with its own id
/// `Class.name[int]`: `TYPED_TEST(test_roundtrip, (int, std::string)) { T value{}; … }`. `types` is a
/// parenthesised list of types, or an `assay::types<…>` alias.
#define ASSAY_TYPED_TEST(name, types, ...)                                                              \
  static_assert(!::std::is_same_v<assay_self, ::assay::detail::outside_test_case>,                      \
                "assay: TYPED_TEST must be inside a class derived from assay::TestCase");                \
  template <class T>                                                                                    \
  struct assay_typed_##name {                                                                           \
    static void assay_entry(::assay::detail::entry_op assay_op, ::assay::case_base*& assay_obj) {             \
      switch (assay_op) {                                                                               \
        case ::assay::detail::entry_op::make: assay_obj = ::assay::detail::make_case<assay_self>(); break; \
        case ::assay::detail::entry_op::run: static_cast<assay_self*>(assay_obj)->template name<T>(); break; \
        case ::assay::detail::entry_op::set_up_class: assay_self::setUpClass(); break;                  \
        case ::assay::detail::entry_op::tear_down_class: assay_self::tearDownClass(); break;            \
        case ::assay::detail::entry_op::describe: ::assay::detail::describe_as<assay_self>(); break;    \
      }                                                                                                 \
    }                                                                                                   \
  };                                                                                                    \
  using assay_types_##name = ::assay::detail::type_list<ASSAY_DETAIL_TYPES(types)>;                     \
  static inline const int assay_registered_##name = ::assay::detail::register_typed_test(              \
      ::assay::detail::type_name<assay_self>(), #name, assay_types_##name::named_list ? "" : #types,     \
      assay_types_##name::entries<assay_typed_##name>, assay_types_##name::names, assay_types_##name::size, \
      __FILE__, __LINE__, {__VA_ARGS__});                                                               \
  template <class T>                                                                                    \
  void name()

#ifndef ASSAY_NO_SHORT_MACROS
#define TEST_P(...) ASSAY_TEST_P(__VA_ARGS__)
#define TYPED_TEST(...) ASSAY_TYPED_TEST(__VA_ARGS__)
#endif
