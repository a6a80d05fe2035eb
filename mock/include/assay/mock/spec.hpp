// Class mocks: ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals, …) is Python's Mock(spec=ZooDatabase).
#pragma once

#include <type_traits>

#include <assay/mock/mock.hpp>
#include <assay/mock/preprocessor.hpp>

namespace assay::mock::detail {

template <class...>
using void_t = void;

/// The function type of a pointer to member function, qualifiers included: int(const std::string&) const.
template <class M>
struct method_traits {
  static_assert(always_false<M>, "assay: only member functions can be mocked");
  using signature = void();
};
template <class C, class S>
struct method_traits<S C::*> {
  static_assert(std::is_function_v<S>, "assay: only member functions can be mocked, not data members");
  using signature = S;
};

/// The signature of the member mock: the method's type without its cv, ref and noexcept qualifiers.
template <class S>
struct plain_signature {
  static_assert(always_false<S>, "assay: a mocked method needs a function type, such as int(const std::string&) const");
  using type = void();
};
template <class R, class... A, bool N>
struct plain_signature<R(A...) noexcept(N)> {
  using type = R(A...);
};
template <class R, class... A, bool N>
struct plain_signature<R(A...) const noexcept(N)> {
  using type = R(A...);
};
template <class R, class... A, bool N>
struct plain_signature<R(A...) & noexcept(N)> {
  using type = R(A...);
};
template <class R, class... A, bool N>
struct plain_signature<R(A...) const & noexcept(N)> {
  using type = R(A...);
};
template <class R, class... A, bool N>
struct plain_signature<R(A...) && noexcept(N)> {
  using type = R(A...);
};
template <class R, class... A, bool N>
struct plain_signature<R(A...) const && noexcept(N)> {
  using type = R(A...);
};

/// For an abstract mock class only, makes the compiler list the pure virtual methods it leaves unmocked.
template <class M, bool = std::is_abstract_v<M>>
struct name_pure_virtuals {
  using type = void;
};
template <class M>
struct name_pure_virtuals<M, true> {
  using type = decltype(M());
};

// Where ASSAY_MOCK_CLASS stands: it declares a probe struct P and, beside it, `assay_mock_scope_probe(P*)`.
// At namespace scope that is a free function, which argument-dependent lookup finds; inside a class it is a
// member function, which it never finds, so the fallback answers. The check runs first, before g++ 12 crashes
// on the rest of the expansion inside a class.
template <class P>
constexpr bool assay_mock_scope_probe(P*) {
  return false;
}
template <class P>
constexpr bool at_namespace_scope() {
  return assay_mock_scope_probe(static_cast<P*>(nullptr));
}

}  // namespace assay::mock::detail

// Each listed method is a bare name (its signature is read from the interface), (name, signature) for an
// overload or a non-public virtual, or ASSAY_MOCK_OVERLOAD(member, name, signature) for a further overload of a
// name, mocked under another member name. The generated intermediate classes hold the `override`s, which forward
// to the member mocks declared in the mock class itself: C++ forbids one class to have a data member and a member
// function of the same name.

// The kind of an item: 0 bare name, 1 (name, signature), 2 ASSAY_MOCK_OVERLOAD(member, name, signature).
#define ASSAY_DETAIL_MOCK_KIND(item) ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_MOCK_KIND_, ASSAY_DETAIL_PP_IS_PAREN(item))(item)
#define ASSAY_DETAIL_MOCK_KIND_0(item) 0
#define ASSAY_DETAIL_MOCK_KIND_1(item) \
  ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_MOCK_KIND_P, ASSAY_DETAIL_MOCK_IS_OVERLOAD(ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_HEAD item)))
#define ASSAY_DETAIL_MOCK_KIND_P0 1
#define ASSAY_DETAIL_MOCK_KIND_P1 2
#define ASSAY_DETAIL_MOCK_IS_OVERLOAD(head) \
  ASSAY_DETAIL_MOCK_IS_OVERLOAD_(ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_MOCK_PROBE_, head))
#define ASSAY_DETAIL_MOCK_IS_OVERLOAD_(...) ASSAY_DETAIL_PP_IS_PAREN_N(__VA_ARGS__, 0, ~)
#define ASSAY_DETAIL_MOCK_PROBE_assay_overload ~, 1

#define ASSAY_DETAIL_MOCK_SECOND(tag, member, ...) member
#define ASSAY_DETAIL_MOCK_THIRD(tag, member, name, ...) name

// The member mock's name, and the name of the method it overrides.
#define ASSAY_DETAIL_MOCK_MEMBER_NAME(item) \
  ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_MOCK_MEMBER_NAME_, ASSAY_DETAIL_MOCK_KIND(item))(item)
#define ASSAY_DETAIL_MOCK_MEMBER_NAME_0(item) item
#define ASSAY_DETAIL_MOCK_MEMBER_NAME_1(item) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_HEAD item)
#define ASSAY_DETAIL_MOCK_MEMBER_NAME_2(item) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_MOCK_SECOND item)
#define ASSAY_DETAIL_MOCK_METHOD_NAME(item) \
  ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_MOCK_METHOD_NAME_, ASSAY_DETAIL_MOCK_KIND(item))(item)
#define ASSAY_DETAIL_MOCK_METHOD_NAME_0(item) item
#define ASSAY_DETAIL_MOCK_METHOD_NAME_1(item) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_PP_HEAD item)
#define ASSAY_DETAIL_MOCK_METHOD_NAME_2(item) ASSAY_DETAIL_PP_EXPAND(ASSAY_DETAIL_MOCK_THIRD item)

// `using assay_signature_<member> = …;`: read from the interface for a bare name, else as written.
#define ASSAY_DETAIL_MOCK_SIG(item) ASSAY_DETAIL_PP_CAT(ASSAY_DETAIL_MOCK_SIG_, ASSAY_DETAIL_MOCK_KIND(item))(item)
#define ASSAY_DETAIL_MOCK_SIG_0(name)                                                                             \
  template <class B, class = void>                                                                                \
  struct assay_sig_##name {                                                                                       \
    static_assert(::assay::mock::detail::always_false<B>,                                                         \
                  "assay: '" #name "' is not a public method of the mocked interface (misspelled?), or it is "    \
                  "overloaded: name one overload with its signature, as (" #name ", R(Args...))");                \
    using type = void();                                                                                          \
  };                                                                                                              \
  template <class B>                                                                                              \
  struct assay_sig_##name<B, ::assay::mock::detail::void_t<decltype(&B::name)>> {                                 \
    using type = typename ::assay::mock::detail::method_traits<decltype(&B::name)>::signature;                     \
  };                                                                                                              \
  using assay_signature_##name = typename assay_sig_##name<assay_interface>::type;
#define ASSAY_DETAIL_MOCK_SIG_1(item) ASSAY_DETAIL_MOCK_SIG_1_ item
#define ASSAY_DETAIL_MOCK_SIG_1_(name, ...) using assay_signature_##name = __VA_ARGS__;
#define ASSAY_DETAIL_MOCK_SIG_2(item) ASSAY_DETAIL_MOCK_SIG_2_ item
#define ASSAY_DETAIL_MOCK_SIG_2_(tag, member, name, ...) using assay_signature_##member = __VA_ARGS__;

#define ASSAY_DETAIL_MOCK_OVERRIDE(member, name, cv, ref)                          \
  template <class D, class Base, class R, class... A, bool N>                      \
  struct assay_link_##member<D, Base, R(A...) cv ref noexcept(N)> : Base {         \
    using Base::Base;                                                              \
    R name(A... a) cv ref noexcept(N) override {                                   \
      return static_cast<cv D&>(*this).member(static_cast<A&&>(a)...);             \
    }                                                                              \
  };

#define ASSAY_DETAIL_MOCK_LINK(unused, i, next, item) \
  ASSAY_DETAIL_MOCK_SIG(item)                         \
  ASSAY_DETAIL_MOCK_LINK_(i, next, ASSAY_DETAIL_MOCK_MEMBER_NAME(item), ASSAY_DETAIL_MOCK_METHOD_NAME(item))
#define ASSAY_DETAIL_MOCK_LINK_(i, next, member, name) ASSAY_DETAIL_MOCK_LINK_3(i, next, member, name)
#define ASSAY_DETAIL_MOCK_LINK_3(i, next, member, name)                                                           \
  template <class D, class Base, class S>                                                                         \
  struct assay_link_##member {                                                                                    \
    static_assert(::assay::mock::detail::always_false<S>,                                                         \
                  "assay: cannot mock '" #name "': its signature is not a function type (or is volatile)");       \
  };                                                                                                              \
  ASSAY_DETAIL_MOCK_OVERRIDE(member, name, , )                                                                    \
  ASSAY_DETAIL_MOCK_OVERRIDE(member, name, const, )                                                               \
  ASSAY_DETAIL_MOCK_OVERRIDE(member, name, , &)                                                                   \
  ASSAY_DETAIL_MOCK_OVERRIDE(member, name, const, &)                                                              \
  ASSAY_DETAIL_MOCK_OVERRIDE(member, name, , &&)                                                                  \
  ASSAY_DETAIL_MOCK_OVERRIDE(member, name, const, &&)                                                             \
  template <class D>                                                                                              \
  using assay_base_##next = assay_link_##member<D, assay_base_##i<D>, assay_signature_##member>;

#define ASSAY_DETAIL_MOCK_MEMBER(Name, i, next, item) \
  ASSAY_DETAIL_MOCK_MEMBER_(Name, ASSAY_DETAIL_MOCK_MEMBER_NAME(item))
#define ASSAY_DETAIL_MOCK_MEMBER_(Name, name) ASSAY_DETAIL_MOCK_MEMBER_3(Name, name)
#define ASSAY_DETAIL_MOCK_MEMBER_3(Name, name)                                                                \
  mutable ::assay::mock::Mock<                                                                               \
      typename ::assay::mock::detail::plain_signature<assay_mock_spec_##Name::assay_signature_##name>::type> \
      name{#name};

#define ASSAY_DETAIL_MOCK_RESET(unused, i, next, item) ASSAY_DETAIL_MOCK_MEMBER_NAME(item).reset_mock();

/// An item of ASSAY_MOCK_CLASS for a further overload of `name`, mocked by the member mock `member`:
/// `ASSAY_MOCK_CLASS(MockLogger, Logger, (log, void(int)), ASSAY_MOCK_OVERLOAD(log_text, log, void(const char*)))`.
#define ASSAY_MOCK_OVERLOAD(member, name, ...) (assay_overload, member, name, __VA_ARGS__)

/// `Mock(spec=Interface)`: declares class `Name` implementing `Interface`, with one member mock per listed method.
///
///     ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals, get_food_period, feed_animal);
///     MockZooDatabase db;
///     db.get_animals.return_value = animals;
///     do_rounds(db, "Meerkat");
///     db.get_animals.assert_called_once_with("Meerkat");
///
/// A method is listed by name (its signature comes from `Interface`), or as `(name, R(Args...) qualifiers)` to
/// pick one overload or a non-public virtual; ASSAY_MOCK_OVERLOAD mocks a further overload of the same name. A misspelled name, a non-virtual method or a wrong signature does
/// not compile, and neither does a mock that leaves a pure virtual method unmocked. Use at namespace scope.
#define ASSAY_MOCK_CLASS(Name, Interface, ...)                                                                      \
  struct assay_mock_scope_##Name {};                                                                                \
  constexpr bool assay_mock_scope_probe(assay_mock_scope_##Name*) { return true; }                                  \
  static_assert(::assay::mock::detail::at_namespace_scope<assay_mock_scope_##Name>(),                               \
                "assay: declare MOCK_CLASS at namespace scope (ASSAY_MOCK_CLASS(" #Name ", ...) is inside a class)"); \
  /* Each link overrides one overload and hides the others on purpose: the mock class's members hide them all. */  \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Woverloaded-virtual\"")                      \
  struct assay_mock_spec_##Name {                                                                                   \
    using assay_interface = Interface;                                                                              \
    template <class D>                                                                                              \
    using assay_base_0 = Interface;                                                                                 \
    ASSAY_DETAIL_PP_FOR_EACH(ASSAY_DETAIL_MOCK_LINK, ~, __VA_ARGS__)                                                \
  };                                                                                                                \
  class Name                                                                                                        \
      : public assay_mock_spec_##Name::ASSAY_DETAIL_PP_CAT(assay_base_, ASSAY_DETAIL_PP_COUNT(__VA_ARGS__))<Name> { \
    using assay_mock_base =                                                                                         \
        assay_mock_spec_##Name::ASSAY_DETAIL_PP_CAT(assay_base_, ASSAY_DETAIL_PP_COUNT(__VA_ARGS__))<Name>;         \
                                                                                                                    \
   public:                                                                                                          \
    using assay_mock_base::assay_mock_base;                                                                         \
    ASSAY_DETAIL_PP_FOR_EACH(ASSAY_DETAIL_MOCK_MEMBER, Name, __VA_ARGS__)                                           \
    /** Forgets the calls of every method mock, as Python's reset_mock() resets child mocks. */                     \
    [[maybe_unused]] void reset_mock() { ASSAY_DETAIL_PP_FOR_EACH(ASSAY_DETAIL_MOCK_RESET, ~, __VA_ARGS__) }        \
    /** Python's `<Mock spec='ZooDatabase' id='0x…'>`. */                                                            \
    [[maybe_unused]] friend void assay_repr(::assay::detail::writer& assay_w, const Name& assay_m) {               \
      ::assay::mock::detail::write_class_mock(assay_w, {#Interface, sizeof #Interface - 1}, &assay_m);             \
    }                                                                                                               \
  };                                                                                                                \
  _Pragma("GCC diagnostic pop")                                                                                     \
  static_assert(!::std::is_abstract_v<Name>, "assay: ASSAY_MOCK_CLASS(" #Name ", " #Interface                       \
                                              ", ...) leaves a pure virtual method unmocked: list every pure "        \
                                              "virtual method of " #Interface " (the compiler names them below)");  \
  using assay_mock_check_##Name = ::assay::mock::detail::name_pure_virtuals<Name>::type

#ifndef ASSAY_NO_SHORT_MACROS
#define MOCK_CLASS(...) ASSAY_MOCK_CLASS(__VA_ARGS__)
#define MOCK_OVERLOAD(...) ASSAY_MOCK_OVERLOAD(__VA_ARGS__)
#endif
