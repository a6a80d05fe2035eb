// assay's own type traits (detail/traits.hpp, which the public headers use instead of <type_traits>) agree
// with the standard's on every kind of type assay compares or prints; checked at compile time.
#include <assay/assay.hpp>

#include <cstddef>
#include <type_traits>

namespace {

struct plain {
  int x;
};
struct base {};
struct derived : base {};
struct polymorphic {
  virtual ~polymorphic() = default;
};
struct abstract_class {
  virtual ~abstract_class() = default;
  virtual void f() = 0;
};
struct no_copy {
  no_copy() = default;
  no_copy(const no_copy&) = delete;
};
union either {
  int i;
  float f;
};
enum unscoped : short { red };
enum class scoped : unsigned long long { green };
struct from_int {
  from_int(int) {}  // NOLINT: implicit on purpose
};
struct explicit_from_int {
  explicit explicit_from_int(int) {}
};

namespace d = assay::detail;

template <class T>
constexpr bool same_classification() {
  static_assert(d::is_integral_v<T> == std::is_integral_v<T>);
  static_assert(d::is_floating_point_v<T> == std::is_floating_point_v<T>);
  static_assert(d::is_arithmetic_v<T> == std::is_arithmetic_v<T>);
  static_assert(d::is_signed_v<T> == std::is_signed_v<T>);
  static_assert(d::is_unsigned_v<T> == std::is_unsigned_v<T>);
  static_assert(d::is_pointer_v<T> == std::is_pointer_v<T>);
  static_assert(d::is_member_pointer_v<T> == std::is_member_pointer_v<T>);
  static_assert(d::is_array_v<T> == std::is_array_v<T>);
  static_assert(d::is_function_v<T> == std::is_function_v<T>);
  static_assert(d::is_const_v<T> == std::is_const_v<T>);
  static_assert(d::is_reference_v<T> == std::is_reference_v<T>);
  static_assert(d::is_enum_v<T> == std::is_enum_v<T>);
  static_assert(d::is_union_v<T> == std::is_union_v<T>);
  static_assert(d::extent_v<T> == std::extent_v<T>);
  static_assert(std::is_same_v<d::remove_cv_t<T>, std::remove_cv_t<T>>);
  static_assert(std::is_same_v<d::remove_reference_t<T>, std::remove_reference_t<T>>);
  static_assert(std::is_same_v<d::remove_cvref_t<T>, std::remove_cvref_t<T>>);
  static_assert(std::is_same_v<d::remove_pointer_t<T>, std::remove_pointer_t<T>>);
  static_assert(std::is_same_v<d::remove_extent_t<T>, std::remove_extent_t<T>>);
  static_assert(std::is_same_v<d::decay_t<T>, std::decay_t<T>>);
  static_assert(d::is_same_v<T, T> && !d::is_same_v<T, void>);
  return true;
}

template <class... T>
constexpr bool all_classified_alike = (same_classification<T>() && ...);

static_assert(all_classified_alike<bool, char, signed char, unsigned char, wchar_t, char8_t, char16_t, char32_t, short,
                                   unsigned short, int, unsigned, long, unsigned long, long long, unsigned long long>);
static_assert(all_classified_alike<const int, volatile unsigned, const volatile long, float, double, long double,
                                   const double>);
static_assert(all_classified_alike<int*, const int*, int* const, const char* volatile, void*, std::nullptr_t>);
static_assert(all_classified_alike<int&, const int&, int&&, int (&)[3], const plain&>);
static_assert(all_classified_alike<int[3], const char[4], int[], int[2][3]>);
static_assert(all_classified_alike<void(), int(int, ...), void() noexcept, void (*)(), void (&)(int)>);
static_assert(all_classified_alike<int plain::*, int plain::* const, void (plain::*)() const, void (plain::*)() &&>);
static_assert(all_classified_alike<plain, const plain, either, unscoped, scoped, polymorphic, abstract_class>);
#if defined(__SIZEOF_INT128__) && !defined(__STRICT_ANSI__)
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;
static_assert(all_classified_alike<int128, uint128>);
#endif

static_assert(d::is_base_of_v<base, derived> && d::is_base_of_v<base, base> && !d::is_base_of_v<derived, base>);
static_assert(d::is_polymorphic_v<polymorphic> && d::is_polymorphic_v<abstract_class> && !d::is_polymorphic_v<plain>);
static_assert(d::is_abstract_v<abstract_class> && !d::is_abstract_v<polymorphic>);
static_assert(d::is_aggregate_v<plain> && d::is_aggregate_v<int[2]> && !d::is_aggregate_v<polymorphic>);
static_assert(d::is_copy_constructible_v<plain> && !d::is_copy_constructible_v<no_copy>);
static_assert(std::is_same_v<d::underlying_type_t<unscoped>, short>);
static_assert(std::is_same_v<d::underlying_type_t<scoped>, unsigned long long>);
static_assert(std::is_same_v<d::conditional_t<true, int, long>, int> && std::is_same_v<d::conditional_t<false, int, long>, long>);

template <class From, class To>
constexpr bool converts_alike = d::convertible_to<From, To> == std::is_convertible_v<From, To>;
static_assert(d::convertible_to<int, long> && d::convertible_to<int, from_int> && d::convertible_to<derived*, base*>);
static_assert(d::convertible_to<const char (&)[3], const char*> && d::convertible_to<unscoped, int>);
static_assert(!d::convertible_to<int, explicit_from_int> && !d::convertible_to<base*, derived*>);
static_assert(!d::convertible_to<const char*, char*> && !d::convertible_to<scoped, int>);
static_assert(converts_alike<no_copy, no_copy> && converts_alike<no_copy&, no_copy> && converts_alike<int&, int&&>);
static_assert(converts_alike<const int&, int&> && converts_alike<int, const int&> && converts_alike<derived, base>);

// What assertEqual and assertLess compare in: the types `a == b` converts both operands to.
template <class A, class B>
constexpr bool common_alike = std::is_same_v<d::arithmetic_common_t<A, B>, std::common_type_t<A, B>>;
static_assert(common_alike<int, double> && common_alike<float, double> && common_alike<long double, int>);
static_assert(common_alike<float, unsigned long long> && common_alike<bool, float> && common_alike<char, double>);

// make_unsigned, for the signed integers whose comparisons with unsigned ones assay makes by value.
template <class T>
constexpr bool unsigned_alike = std::is_same_v<d::make_unsigned_t<T>, std::make_unsigned_t<T>>;
static_assert(unsigned_alike<signed char> && unsigned_alike<short> && unsigned_alike<int> && unsigned_alike<long>);
static_assert(unsigned_alike<long long> && unsigned_alike<unsigned> && unsigned_alike<unsigned long>);
static_assert(sizeof(d::make_unsigned_t<wchar_t>) == sizeof(wchar_t) && d::is_unsigned_v<d::make_unsigned_t<wchar_t>>);

// The assertions these traits steer: mixed signedness by value, mixed floating point in the common type.
class TraitsTest : public assay::TestCase<TraitsTest> {
 protected:
  TEST(test_mixed_signedness_compares_values) {
    assertNotEqual(-1, 4294967295u);
    assertLess(-1, 0u);
    assertEqual(static_cast<short>(7), 7ull);
  }
  TEST(test_mixed_floating_point_compares_in_the_common_type) {
    assertEqual(0.5f, 0.5);
    assertLess(1, 1.5);
    assertEqual(16777217, 16777216.0f);  // in float, as == compares them (in double they would differ)
  }
};

}  // namespace
