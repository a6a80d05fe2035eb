// The type traits the public headers use, without <type_traits>: that header alone cost a test file with
// one test a quarter of its compile time (74 M of g++ 12's instructions over an empty file).
//
// What C++ can say by itself is said here with partial specialisations; what only the compiler knows
// (bases, enums, aggregates, …) comes from the builtins that g++ and clang share, or from <type_traits>
// where a compiler lacks them. Names and meanings follow the standard's, for the types assay meets.
#pragma once

#if defined(__has_builtin)
#if __has_builtin(__is_same) && __has_builtin(__is_base_of) && __has_builtin(__is_enum) && \
    __has_builtin(__is_union) && __has_builtin(__is_polymorphic) && __has_builtin(__is_abstract) && \
    __has_builtin(__is_aggregate) && __has_builtin(__is_constructible) && __has_builtin(__underlying_type)
#define ASSAY_DETAIL_TRAIT_BUILTINS 1
#endif
#endif
#ifndef ASSAY_DETAIL_TRAIT_BUILTINS
#include <type_traits>
#endif

namespace assay::detail {

#ifdef ASSAY_DETAIL_TRAIT_BUILTINS
template <class A, class B>
inline constexpr bool is_same_v = __is_same(A, B);
template <class Base, class Derived>
inline constexpr bool is_base_of_v = __is_base_of(Base, Derived);
template <class T>
inline constexpr bool is_enum_v = __is_enum(T);
template <class T>
inline constexpr bool is_union_v = __is_union(T);
template <class T>
inline constexpr bool is_polymorphic_v = __is_polymorphic(T);
template <class T>
inline constexpr bool is_abstract_v = __is_abstract(T);
template <class T>
inline constexpr bool is_aggregate_v = __is_aggregate(T);
template <class T, class... A>
inline constexpr bool is_constructible_v = __is_constructible(T, A...);
template <class E>
using underlying_type_t = __underlying_type(E);
#else
template <class A, class B>
inline constexpr bool is_same_v = std::is_same_v<A, B>;
template <class Base, class Derived>
inline constexpr bool is_base_of_v = std::is_base_of_v<Base, Derived>;
template <class T>
inline constexpr bool is_enum_v = std::is_enum_v<T>;
template <class T>
inline constexpr bool is_union_v = std::is_union_v<T>;
template <class T>
inline constexpr bool is_polymorphic_v = std::is_polymorphic_v<T>;
template <class T>
inline constexpr bool is_abstract_v = std::is_abstract_v<T>;
template <class T>
inline constexpr bool is_aggregate_v = std::is_aggregate_v<T>;
template <class T, class... A>
inline constexpr bool is_constructible_v = std::is_constructible_v<T, A...>;
template <class E>
using underlying_type_t = std::underlying_type_t<E>;
#endif

template <bool B, class T, class F>
struct conditional {
  using type = T;
};
template <class T, class F>
struct conditional<false, T, F> {
  using type = F;
};
template <bool B, class T, class F>
using conditional_t = typename conditional<B, T, F>::type;

template <class T>
struct remove_reference {
  using type = T;
};
template <class T>
struct remove_reference<T&> {
  using type = T;
};
template <class T>
struct remove_reference<T&&> {
  using type = T;
};
template <class T>
using remove_reference_t = typename remove_reference<T>::type;

template <class T>
struct remove_cv {
  using type = T;
};
template <class T>
struct remove_cv<const T> {
  using type = T;
};
template <class T>
struct remove_cv<volatile T> {
  using type = T;
};
template <class T>
struct remove_cv<const volatile T> {
  using type = T;
};
template <class T>
using remove_cv_t = typename remove_cv<T>::type;

template <class T>
using remove_cvref_t = remove_cv_t<remove_reference_t<T>>;

template <class T>
inline constexpr bool is_const_v = false;
template <class T>
inline constexpr bool is_const_v<const T> = true;

template <class T>
inline constexpr bool is_reference_v = false;
template <class T>
inline constexpr bool is_reference_v<T&> = true;
template <class T>
inline constexpr bool is_reference_v<T&&> = true;

/// Only functions (and references) stay unqualified when const is added.
template <class T>
inline constexpr bool is_function_v = !is_const_v<const T> && !is_reference_v<T>;

template <class T>
inline constexpr bool is_pointer_v = false;
template <class T>
inline constexpr bool is_pointer_v<T*> = true;
template <class T>
inline constexpr bool is_pointer_v<T* const> = true;
template <class T>
inline constexpr bool is_pointer_v<T* volatile> = true;
template <class T>
inline constexpr bool is_pointer_v<T* const volatile> = true;

template <class T>
struct remove_pointer {
  using type = T;
};
template <class T>
struct remove_pointer<T*> {
  using type = T;
};
template <class T>
struct remove_pointer<T* const> {
  using type = T;
};
template <class T>
struct remove_pointer<T* volatile> {
  using type = T;
};
template <class T>
struct remove_pointer<T* const volatile> {
  using type = T;
};
template <class T>
using remove_pointer_t = typename remove_pointer<T>::type;

template <class T>
inline constexpr bool is_member_pointer_v = false;
template <class T, class C>
inline constexpr bool is_member_pointer_v<T C::*> = true;
template <class T, class C>
inline constexpr bool is_member_pointer_v<T C::* const> = true;
template <class T, class C>
inline constexpr bool is_member_pointer_v<T C::* volatile> = true;
template <class T, class C>
inline constexpr bool is_member_pointer_v<T C::* const volatile> = true;

template <class T>
inline constexpr bool is_array_v = false;
template <class T>
inline constexpr bool is_array_v<T[]> = true;
template <class T, decltype(sizeof 0) N>
inline constexpr bool is_array_v<T[N]> = true;

template <class T>
struct remove_extent {
  using type = T;
};
template <class T>
struct remove_extent<T[]> {
  using type = T;
};
template <class T, decltype(sizeof 0) N>
struct remove_extent<T[N]> {
  using type = T;
};
template <class T>
using remove_extent_t = typename remove_extent<T>::type;

/// The first dimension of an array type (0 for other types and for T[]).
template <class T>
inline constexpr decltype(sizeof 0) extent_v = 0;
template <class T, decltype(sizeof 0) N>
inline constexpr decltype(sizeof 0) extent_v<T[N]> = N;

template <class T, bool Array = is_array_v<T>, bool Function = is_function_v<T>>
struct decay_unreferenced {
  using type = remove_cv_t<T>;
};
template <class T>
struct decay_unreferenced<T, true, false> {
  using type = remove_extent_t<T>*;
};
template <class T>
struct decay_unreferenced<T, false, true> {
  using type = T*;
};
/// What a by-value parameter makes of T: no reference, no cv, arrays and functions as pointers.
template <class T>
using decay_t = typename decay_unreferenced<remove_reference_t<T>>::type;

// Declared only: named in unevaluated operands.
template <class T>
T&& declval() noexcept;
template <class To>
void accept_converted(To) noexcept;

/// convertible_to without <concepts>: a From copy-initialises a To (a parameter), as std::is_convertible.
template <class From, class To>
concept convertible_to = requires { detail::accept_converted<To>(detail::declval<From>()); };

template <class T>
inline constexpr bool is_copy_constructible_v = is_constructible_v<T, const T&>;

// The arithmetic types, classified once.
enum class arithmetic_kind : unsigned char { none, unsigned_integer, signed_integer, floating_point };
template <class T>
inline constexpr arithmetic_kind arithmetic_kind_of = arithmetic_kind::none;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<bool> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<char> =
    static_cast<char>(-1) < char{0} ? arithmetic_kind::signed_integer : arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<wchar_t> =
    static_cast<wchar_t>(-1) < wchar_t{0} ? arithmetic_kind::signed_integer : arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<char8_t> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<char16_t> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<char32_t> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<signed char> = arithmetic_kind::signed_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<unsigned char> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<short> = arithmetic_kind::signed_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<unsigned short> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<int> = arithmetic_kind::signed_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<unsigned int> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<long> = arithmetic_kind::signed_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<unsigned long> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<long long> = arithmetic_kind::signed_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<unsigned long long> = arithmetic_kind::unsigned_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<float> = arithmetic_kind::floating_point;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<double> = arithmetic_kind::floating_point;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<long double> = arithmetic_kind::floating_point;
// As libstdc++: the 128-bit integers are integers outside strict ISO mode (-std=gnu++20) only.
#if defined(__SIZEOF_INT128__) && !defined(__STRICT_ANSI__)
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<int128> = arithmetic_kind::signed_integer;
template <>
inline constexpr arithmetic_kind arithmetic_kind_of<uint128> = arithmetic_kind::unsigned_integer;
#endif

template <class T>
inline constexpr arithmetic_kind kind_of = arithmetic_kind_of<remove_cv_t<T>>;
template <class T>
inline constexpr bool is_integral_v =
    kind_of<T> == arithmetic_kind::unsigned_integer || kind_of<T> == arithmetic_kind::signed_integer;
template <class T>
inline constexpr bool is_floating_point_v = kind_of<T> == arithmetic_kind::floating_point;
template <class T>
inline constexpr bool is_arithmetic_v = kind_of<T> != arithmetic_kind::none;
template <class T>
inline constexpr bool is_signed_v =
    kind_of<T> == arithmetic_kind::signed_integer || kind_of<T> == arithmetic_kind::floating_point;
template <class T>
inline constexpr bool is_unsigned_v = kind_of<T> == arithmetic_kind::unsigned_integer;

/// The unsigned integer of an integer's size (unsigned long for long, as the standard's).
template <decltype(sizeof 0) Size>
struct unsigned_of_size;
template <>
struct unsigned_of_size<1> {
  using type = unsigned char;
};
template <>
struct unsigned_of_size<2> {
  using type = unsigned short;
};
template <>
struct unsigned_of_size<4> {
  using type = unsigned int;
};
template <>
struct unsigned_of_size<8> {
  using type = unsigned long long;
};
#if defined(__SIZEOF_INT128__) && !defined(__STRICT_ANSI__)
template <>
struct unsigned_of_size<16> {
  using type = uint128;
};
#endif
template <class T>
struct make_unsigned {
  using type = typename unsigned_of_size<sizeof(T)>::type;
};
template <>
struct make_unsigned<long> {
  using type = unsigned long;
};
template <>
struct make_unsigned<unsigned long> {
  using type = unsigned long;
};
template <class T>
using make_unsigned_t = typename make_unsigned<remove_cv_t<T>>::type;

/// The type both arithmetic operands convert to in `a == b` (std::common_type, for arithmetic types).
template <class A, class B>
using arithmetic_common_t = decltype(false ? A{} : B{});

}  // namespace assay::detail
