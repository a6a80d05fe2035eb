// Reflection of aggregates without Boost.PFR: the number of fields, their values and (where the compiler
// can show them) their names, found with nothing but the compiler's type traits so that including assay
// stays cheap.
#pragma once

#include <assay/detail/core.hpp>

#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-inline"  // the probes' conversions are declared, never defined
// fake_object is only named in constant expressions: never constructed nor destroyed at run time.
#pragma clang diagnostic ignored "-Wglobal-constructors"
#pragma clang diagnostic ignored "-Wexit-time-destructors"
#endif

namespace assay::detail::fields {

/// The most fields an aggregate may have and still be printed field by field.
inline constexpr size_type max_fields = 32;
inline constexpr size_type not_reflectable = ~size_type{0};

template <size_type... I>
struct indices {};
#if defined(__clang__)
template <class T, T... I>
struct indices_of {
  using type = indices<I...>;
};
template <size_type N>
using make_indices = typename __make_integer_seq<indices_of, size_type, N>::type;
#else
template <size_type N>
using make_indices = indices<__integer_pack(N)...>;
#endif

// Initializers that convert to anything: counting how many of them T{…} accepts counts T's fields.
// (Declared, never defined: they only appear in unevaluated requires-expressions.)
struct any_lref {
  template <class U>
  operator U&() const&& noexcept;
  template <class U>
  operator U&() const& noexcept;
};
struct any_rref {  // for move-only aggregates: initialises members from a prvalue
  template <class U>
  operator U() const&& noexcept;
};
template <class T>
using any_for = conditional_t<is_copy_constructible_v<T>, any_lref, any_rref>;

// An initializer that converts only to a base class of T: accepted first exactly when T has a base.
template <class T>
struct base_lref {
  template <class U>
    requires(is_base_of_v<U, T> && !is_same_v<U, T>)
  operator U&() const&& noexcept;
  template <class U>
    requires(is_base_of_v<U, T> && !is_same_v<U, T>)
  operator U&() const& noexcept;
};
template <class T>
struct base_rref {
  template <class U>
    requires(is_base_of_v<U, T> && !is_same_v<U, T>)
  operator U() const&& noexcept;
};
template <class T>
using base_for = conditional_t<is_copy_constructible_v<T>, base_lref<T>, base_rref<T>>;

template <size_type, class P>
struct repeat {
  using type = P;
};

template <class T, class P, size_type... I>
constexpr bool accepts(indices<I...>) noexcept {
  return requires { T{typename repeat<I, P>::type{}...}; };
}
template <class T, class First, class P, size_type... I>
constexpr bool accepts_first(indices<I...>) noexcept {
  return requires { T{First{}, typename repeat<I, P>::type{}...}; };
}
// T{P×i, {}, P×j}: `{}` initialises one whole member, so a C array member (which takes one P per element
// through brace elision) shows up as a count that no longer adds up.
template <class T, class P, size_type... I, size_type... J>
constexpr bool accepts_braced(indices<I...>, indices<J...>) noexcept {
  return requires { T{typename repeat<I, P>::type{}..., {}, typename repeat<J, P>::type{}...}; };
}
template <class T, class P, size_type... I, size_type... J>
constexpr bool accepts_one(indices<I...>, indices<J...>) noexcept {
  return requires { T{typename repeat<I, P>::type{}..., {}, typename repeat<J, P>::type{}...}; } ||
         requires { T{typename repeat<I, P>::type{}..., {P{}}, typename repeat<J, P>::type{}...}; };
}

// The largest N with T{P×N} valid; the valid counts form one interval (fewer initializers only fail
// when a trailing member cannot be default-initialised).
template <class T, size_type N = 0, bool Seen = false>
constexpr size_type initializer_count() noexcept {
  if constexpr (N > max_fields * 4) {
    return Seen ? N - 1 : not_reflectable;
  } else if constexpr (accepts<T, any_for<T>>(make_indices<N>{})) {
    return initializer_count<T, N + 1, true>();
  } else if constexpr (Seen) {
    return N - 1;
  } else {
    return initializer_count<T, N + 1, false>();
  }
}

// Walks the M initializers, one member at a time; a C array member spans K of them.
template <class T, size_type M, size_type I = 0, size_type Members = 0, size_type K = 1>
constexpr size_type member_count() noexcept {
  using P = any_for<T>;
  if constexpr (I == M) {
    return Members;
  } else if constexpr (I + K > M || Members >= max_fields) {
    return not_reflectable;
  } else if constexpr (K == 1 ? accepts_one<T, P>(make_indices<I>{}, make_indices<M - 1 - I>{})
                              : accepts_braced<T, P>(make_indices<I>{}, make_indices<M - I - K>{})) {
    return member_count<T, M, I + K, Members + 1, 1>();
  } else {
    return member_count<T, M, I, Members, K + 1>();
  }
}

template <class T>
constexpr size_type count() noexcept {
  if constexpr (!is_aggregate_v<T> || is_union_v<T> || is_array_v<T> || is_polymorphic_v<T>) {
    return not_reflectable;
  } else {
    constexpr size_type m = initializer_count<T>();
    if constexpr (m == not_reflectable) {
      return not_reflectable;
    } else if constexpr (m == 0) {
      return 0;
    } else if constexpr (accepts_one<T, any_for<T>>(make_indices<m>{}, indices<>{})) {
      return not_reflectable;  // one more member fits: a member the probes cannot initialise was missed
    } else if constexpr (accepts_first<T, base_for<T>, any_for<T>>(make_indices<m - 1>{})) {
      return not_reflectable;  // a base class: structured bindings cannot take it apart
    } else {
      return member_count<T, m>();
    }
  }
}

/// The number of fields of T, or not_reflectable when T is not an aggregate assay can take apart.
template <class T>
inline constexpr size_type count_v = count<T>();

// visit<N>(v, f) calls f(field0, field1, …) with the N fields of aggregate v (N from count_v). One overload
// per count: cheaper to parse than a chain of `if constexpr`.
template <size_type N>
struct field_count {};
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<0>, T&, F&& f) {
  return f();
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<1>, T& v, F&& f) {
  auto& [a0] = v;
  return f(a0);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<2>, T& v, F&& f) {
  auto& [a0, a1] = v;
  return f(a0, a1);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<3>, T& v, F&& f) {
  auto& [a0, a1, a2] = v;
  return f(a0, a1, a2);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<4>, T& v, F&& f) {
  auto& [a0, a1, a2, a3] = v;
  return f(a0, a1, a2, a3);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<5>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4] = v;
  return f(a0, a1, a2, a3, a4);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<6>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5] = v;
  return f(a0, a1, a2, a3, a4, a5);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<7>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6] = v;
  return f(a0, a1, a2, a3, a4, a5, a6);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<8>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<9>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<10>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<11>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<12>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<13>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<14>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<15>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<16>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<17>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<18>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<19>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<20>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<21>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<22>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<23>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<24>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<25>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<26>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<27>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25, a26] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25, a26);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<28>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25, a26, a27] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25, a26, a27);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<29>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25, a26, a27, a28] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25, a26, a27, a28);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<30>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25, a26, a27, a28, a29] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25, a26, a27, a28, a29);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<31>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25, a26, a27, a28, a29, a30] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25, a26, a27, a28, a29, a30);
}
template <class T, class F>
constexpr decltype(auto) visit_fields(field_count<32>, T& v, F&& f) {
  auto& [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23,
         a24, a25, a26, a27, a28, a29, a30, a31] = v;
  return f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22,
           a23, a24, a25, a26, a27, a28, a29, a30, a31);
}
/// Calls f(field0, field1, …) with the fields of aggregate v (N of them, from count_v).
template <size_type N, class T, class F>
constexpr decltype(auto) visit(T& v, F&& f) {
  return visit_fields(field_count<N>{}, v, static_cast<F&&>(f));
}

// Field names: the compiler names a pointer to a member of a static object in __PRETTY_FUNCTION__
// (`&fake_object<Point>.value.Point::x`, `{&fake_object.value.x}`). The object is a union whose T member
// is never constructed, so any aggregate fits, and it is only ever used at compile time.
template <class T>
union fake_storage {
  char unused;
  T value;
  constexpr fake_storage() : unused() {}
  constexpr ~fake_storage() {}
};
template <class T>
inline fake_storage<T> fake_object{};

template <class P>
struct field_pointer {
  P pointer;
};
template <class P>
field_pointer(P) -> field_pointer<P>;

template <size_type I, class A, class... R>
constexpr auto nth_address(const A& a, const R&... r) noexcept {
  if constexpr (I == 0) {
    return field_pointer{&a};
  } else {
    return nth_address<I - 1>(r...);
  }
}
template <class T, size_type I>
constexpr auto field_address() noexcept {
  return visit<count_v<T>>(fake_object<T>.value, [](const auto&... f) { return nth_address<I>(f...); });
}
template <auto>
struct constant {};
// A reference or bit-field member has no constant address (its binding reads the object): no name then.
template <class T, size_type I>
concept named_field = requires { typename constant<field_address<T, I>()>; };

template <auto P>
constexpr const char* name_probe() noexcept {
  return __PRETTY_FUNCTION__;
}
/// The raw __PRETTY_FUNCTION__ naming field I of T, or nullptr; compiled code extracts the name.
template <class T, size_type I>
constexpr const char* name_pretty() noexcept {
  if constexpr (named_field<T, I>) {
    return name_probe<field_address<T, I>()>();
  } else {
    return nullptr;
  }
}

}  // namespace assay::detail::fields

#if defined(__clang__)
#pragma clang diagnostic pop
#endif
