// repr: the printable representation of any value, captured by a template and written by compiled code.
//
// `assay::repr(v)` is what every failure message shows. Standard types are recognised by their shape
// (`data()`/`size()` of chars, `begin()`/`end()`, `has_value()`, …) without including their headers;
// aggregates are taken apart field by field; a type prints itself through, in this order:
//   1. an ADL function `repr(const T&)` returning a string (std::string, const char*, …) — assay's own
//      customization point, declared next to the type:  `std::string repr(const Point& p);`
//   2. an `fmt::formatter<T>` (include <assay/fmt.hpp>, or include fmt before assay);
//   3. an `operator<<(std::ostream&, const T&)` found by ADL;
// and anything else prints as `<Type object at 0x…>`: never raw bytes, never a compile error.
#pragma once

#include <assay/detail/core.hpp>
#include <assay/detail/fields.hpp>

namespace assay {

/// An owned string produced by assay (a repr, a message); converts to any string type built from (ptr, len).
class text {
 public:
  text() noexcept = default;
  text(const char* data, size_type size);
  text(const text& other);
  text(text&& other) noexcept : data_(other.data_), size_(other.size_) {
    other.data_ = nullptr;
    other.size_ = 0;
  }
  text& operator=(text other) noexcept {
    auto* d = data_;
    auto n = size_;
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = d;
    other.size_ = n;
    return *this;
  }
  ~text();

  const char* data() const noexcept { return data_ ? data_ : ""; }
  const char* c_str() const noexcept { return data(); }
  size_type size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  template <class S>
    requires requires(const char* p, size_type n) { S(p, n); }
  explicit(false) operator S() const {
    return S(data(), size_);
  }

  friend bool operator==(const text& a, detail::str b) noexcept { return equal(a.data(), a.size_, b); }
  template <class S>
    requires detail::string_like<S>
  friend bool operator==(const text& a, const S& b) noexcept {
    return equal(a.data(), a.size_, detail::as_str(b));
  }

  /// `std::cout << assay::repr(x)`: declared on std::ostream from <iosfwd>, defined in compiled code.
  friend std::ostream& operator<<(std::ostream& os, const text& t);

  // Concatenation as with Python's str: with a std::string the result is a std::string (any string type
  // that can append); with a C string, a string_view or another text it is a text.
  friend text operator+(const text& a, const text& b) { return concat(a.as_str(), b.as_str()); }
  template <class S>
    requires detail::string_like<S> && (!detail::is_same_v<S, text>)
  friend auto operator+(const text& a, const S& b) {
    if constexpr (appendable<S>) {
      S out(a.data(), a.size_);
      const detail::str tail = detail::as_str(b);
      out.append(tail.data, tail.size);
      return out;
    } else {
      return concat(a.as_str(), detail::as_str(b));
    }
  }
  template <class S>
    requires detail::string_like<S> && (!detail::is_same_v<S, text>)
  friend auto operator+(const S& a, const text& b) {
    if constexpr (appendable<S>) {
      S out(a);
      out.append(b.data(), b.size_);
      return out;
    } else {
      return concat(detail::as_str(a), b.as_str());
    }
  }
  template <class S>
    requires detail::string_like<S>
  text& operator+=(const S& tail) {
    return *this = concat(as_str(), detail::as_str(tail));
  }

 private:
  template <class S>
  static constexpr bool appendable = requires(S& s, const char* p, size_type n) {
    S(p, n);
    s.append(p, n);
  };
  detail::str as_str() const noexcept { return detail::str{data(), size_}; }
  static text concat(detail::str a, detail::str b);
  static bool equal(const char* a, size_type n, detail::str b) noexcept;
  char* data_ = nullptr;
  size_type size_ = 0;
};

/// The values probed for the enumerator names of E (repr prints `Color::Red`, else `Color(7)`).
/// Specialise for an enum whose enumerators lie outside [-16, 64]; each probed value costs compile time.
template <class E>
struct enum_range {
  static constexpr long long min = -16;
  static constexpr long long max = 64;
};

namespace detail {

struct structure;  // compiled: where containers and fields begin and end inside a repr (for pretty-printing)

/// A growable byte buffer living in compiled code; every repr and message is written into one.
class writer {
 public:
  writer() noexcept = default;
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer();

  void write(const char* data, size_type size);
  void write(str s) { write(s.data, s.size); }
  void write(const char* cstr) { write(cstr, cstr_len(cstr)); }
  void put(char c);
  void write_quoted(str s);            // "..." with C escapes, valid UTF-8 kept
  void write_quoted_units(const void* units, size_type count, size_type unit_size);  // char8/16/32_t, wchar_t
  void write_char_literal(int c);      // 'a'
  void write_code_point(unsigned long c, size_type unit_size);  // 'é' for char8/16/32_t and wchar_t
  void write_signed(long long v);
  void write_unsigned(unsigned long long v);
  void write_float(float v);           // shortest round-trip form, always with a '.' or exponent
  void write_double(double v);
  void write_long_double(long double v);
  void write_pointer(const void* p);   // 0x..., or nullptr
  void write_function_pointer(const void* bits, size_type size);
  void write_byte(unsigned char b);    // std::byte: 0x2a
  void write_type_name(str pretty);    // demangled name taken from a __PRETTY_FUNCTION__ of type_name<T>
  void write_object(str pretty, const void* address);  // <Type object at 0x...>
  void write_enum(str type_pretty, const char* value_pretty, long long value, bool is_signed);
  void write_exception(const std::exception& e);       // std::invalid_argument("bad"), by dynamic type
  void write_duration_suffix(long long num, long long den);  // after the count: ms, s, h, [1/3]s
  void write_duration(long long count, long long num, long long den);  // in its largest exact unit: 3h, 1500ms
  void write_time_point(str clock_pretty, long long count, long long num, long long den);
  void write_path(str native);         // path("a/b")
  void write_streamed(void (*print)(std::ostream&, const void*), const void* value);

  // Structure marks: a pretty-printer (the diffs of assertEqual) can find the items of containers.
  void open(char c);                   // '[', '{' or '(' starting a container
  void open_unordered(char c);         // '{' starting a hash container: a diff sorts its items
  void open_aggregate(str type_pretty);  // Point{
  void separator();                    // ", " between items
  void key_separator();                // ": " between a key and its value
  void field_name(const char* pretty); // x= (nothing when the compiler could not name the field)
  void close(char c);

  const char* data() const noexcept { return data_ ? data_ : ""; }
  size_type size() const noexcept { return size_; }
  text take();

  /// Starts recording structure marks into `s` (compiled code only).
  void record(structure* s) noexcept { marks_ = s; }

 private:
  char* data_ = nullptr;
  size_type size_ = 0;
  size_type capacity_ = 0;
  structure* marks_ = nullptr;
};

/// The raw __PRETTY_FUNCTION__ naming T; the compiled writer extracts the type from it.
template <class T>
constexpr const char* type_name() noexcept {
  return __PRETTY_FUNCTION__;
}

template <class T>
constexpr str type_str() noexcept {
  return str{type_name<T>(), cstr_len(type_name<T>())};
}

/// A type-erased reference to a value plus the function that prints it: the only thing compiled code sees.
struct value_ref {
  const void* ptr;
  void (*print)(writer&, const void*);
  void write_to(writer& w) const { print(w, ptr); }
};

template <class T>
void repr_to(writer& w, const T& v);

template <class T>
void print_thunk(writer& w, const void* p) {
  repr_to(w, *static_cast<const T*>(p));
}

template <class T>
value_ref ref(const T& v) noexcept {
  return value_ref{&v, &print_thunk<T>};
}

// True when T is declared in namespace std (its name, as the compiler spells it, starts with "std::").
template <class T>
constexpr bool in_namespace_std() noexcept {
  const char* p = type_name<T>();
  size_type i = 0;
  while (p[i] != '\0' && !(p[i] == '=' && p[i + 1] == ' ')) ++i;
  if (p[i] == '\0') return false;
  p += i + 2;
  return p[0] == 's' && p[1] == 't' && p[2] == 'd' && p[3] == ':' && p[4] == ':';
}
template <class T>
inline constexpr bool std_type = in_namespace_std<T>();

// True when T's name starts with `prefix` after "std::" (and an optional inline namespace such as __1::).
template <class T>
constexpr bool std_named(const char* prefix) noexcept {
  if (!std_type<T>) return false;
  const char* p = type_name<T>();
  while (!(p[0] == '=' && p[1] == ' ')) ++p;
  p += 7;  // "= std::"
  for (int skip = 0; skip < 3; ++skip) {
    size_type i = 0;
    while (prefix[i] != '\0' && p[i] == prefix[i]) ++i;
    if (prefix[i] == '\0') return true;
    if (p[0] != '_' || p[1] != '_') return false;  // skip an implementation namespace: __1::, __cxx11::
    while (*p != '\0' && *p != ':') ++p;
    if (*p == '\0') return false;
    p += 2;
  }
  return false;
}

template <class T>
concept iterable = requires(const T& t) {
  t.begin() != t.end();
  *t.begin();
};

template <class T>
concept map_like = iterable<T> && requires(const T& t) {
  typename T::key_type;
  typename T::mapped_type;
  t.begin()->first;
  t.begin()->second;
};

template <class T>
concept set_like = iterable<T> && !map_like<T> && requires { typename T::key_type; };

template <class T>
concept optional_like = requires(const T& t) {
  { t.has_value() } -> convertible_to<bool>;
  *t;
  typename T::value_type;
};

template <class T>
concept pointer_like = requires(const T& t) {
  t.get();
  *t;
  t.operator->();
};

template <class T>
concept duration_like = requires(const T& t) {
  t.count();
  T::period::num;
  T::period::den;
};

template <class T>
concept time_point_like = requires(const T& t) {
  typename T::clock;
  { t.time_since_epoch() } -> duration_like;
};

template <class T>
concept path_like = std_named<T>("filesystem::") && requires(const T& t) {
  { t.native() } -> char_range;
  t.filename();
};

template <class T>
concept pair_like = requires(const T& t) {
  t.first;
  t.second;
};

// Wide and UTF-8 characters and strings.
template <class C>
concept wide_char = is_same_v<C, char8_t> || is_same_v<C, char16_t> || is_same_v<C, char32_t> ||
                    is_same_v<C, wchar_t>;
template <class T>
concept wide_string = requires(const T& t) {
  { t.size() } -> convertible_to<size_type>;
  *t.data();
  requires wide_char<remove_cvref_t<decltype(*t.data())>>;
};

// The template arguments of a class template specialization (std::tuple<A…>, std::variant<A…>).
template <template <class...> class Tmpl, class... A>
constexpr size_type arity(const Tmpl<A...>*) noexcept {
  return sizeof...(A);
}
template <class T>
concept tuple_like = std_named<T>("tuple<") && requires(const T* t) { arity(t); };
template <class T>
concept variant_like = std_named<T>("variant<") && requires(const T& t, const T* p) {
  t.index();
  t.valueless_by_exception();
  arity(p);
};

// 0. assay's own types (mock's call, ANY, sentinel) write themselves: `friend void assay_repr(writer&, const T&)`.
template <class T>
concept has_assay_printer = requires(writer& w, const T& v) { assay_repr(w, v); };

// 1. The customization point: an ADL `repr(const T&)` returning a string. The deleted template below is
// what ordinary lookup finds; it loses to any real overload and keeps assay::repr itself out of the way.
namespace adl {
template <class U>
void repr(const U&) = delete;
template <class T>
concept has_repr = requires(const T& v) {
  { repr(v) };
  requires string_like<remove_cvref_t<decltype(repr(v))>>;
};
template <class T>
void print_repr(writer& w, const T& v) {
  const auto& s = repr(v);
  w.write(as_str(s));
}
}  // namespace adl

// 2. fmt::formatter<T>: <assay/fmt.hpp> defines fmt_printer<T> for every type fmt can format.
template <class T>
struct fmt_printer;
template <class T>
concept has_fmt_printer = requires(writer& w, const T& v) { fmt_printer<T>::print(w, v); };

// 3. operator<<: the deleted catch-all loses to any real overload (found by ADL) that takes T itself,
// so an implicit conversion (an unscoped enum to int, a class to bool) is not mistaken for printing.
namespace ostream_lookup {
template <class S, class U>
void operator<<(S&, const U&) = delete;
template <class T>
concept streamable = requires(std::ostream& os, const T& v) { os << v; };
template <class T>
void print(std::ostream& os, const void* p) {
  os << *static_cast<const T*>(p);
}
}  // namespace ostream_lookup

template <class T>
concept user_printable = adl::has_repr<T> || has_fmt_printer<T> || ostream_lookup::streamable<T>;

template <class T>
void print_user(writer& w, const T& v) {
  if constexpr (adl::has_repr<T>) {
    adl::print_repr(w, v);
  } else if constexpr (has_fmt_printer<T>) {
    fmt_printer<T>::print(w, v);
  } else {
    w.write_streamed(&ostream_lookup::print<T>, &v);
  }
}

template <class T>
void open_container(writer& w, char c) {
  if constexpr (requires { typename T::hasher; }) {
    w.open_unordered(c);
  } else {
    w.open(c);
  }
}

template <class T>
void repr_sequence(writer& w, const T& range, char open, char close) {
  open_container<T>(w, open);
  bool first = true;
  for (const auto& e : range) {
    if (!first) w.separator();
    first = false;
    repr_to(w, e);
  }
  w.close(close);
}

template <class T>
void repr_map(writer& w, const T& map) {
  open_container<T>(w, '{');
  bool first = true;
  for (const auto& kv : map) {
    if (!first) w.separator();
    first = false;
    repr_to(w, kv.first);
    w.key_separator();
    repr_to(w, kv.second);
  }
  w.close('}');
}

template <size_type I, class T>
void repr_tuple_items(writer& w, const T& t) {
  if constexpr (I < arity(static_cast<const T*>(nullptr))) {
    if (I > 0) w.separator();
    repr_to(w, get<I>(t));  // found by ADL: std::get
    repr_tuple_items<I + 1>(w, t);
  }
}

template <size_type I, class T>
void repr_variant_item(writer& w, const T& v, size_type index) {
  if constexpr (I < arity(static_cast<const T*>(nullptr))) {
    if (index == I) {
      repr_to(w, get<I>(v));  // found by ADL: std::get
    } else {
      repr_variant_item<I + 1>(w, v, index);
    }
  }
}

// Enumerator names: __PRETTY_FUNCTION__ of enum_probe<V> reads `V = Color::Red` for a named value and
// `V = (Color)7` otherwise. The table keeps every probe's text; compiled code tells the two apart (doing
// it here, in constexpr, costs several times more compile time).
template <auto V>
constexpr const char* enum_probe() noexcept {
  return __PRETTY_FUNCTION__;
}
template <class E, long long Lo, class Seq>
struct enum_table;
template <class E, long long Lo, size_type... I>
struct enum_table<E, Lo, fields::indices<I...>> {
  static constexpr const char* names[] = {enum_probe<static_cast<E>(Lo + static_cast<long long>(I))>()...};
};
template <class E>
constexpr long long enum_lo() noexcept {
  using U = underlying_type_t<E>;
  if constexpr (is_unsigned_v<U> || is_same_v<U, bool>) {
    return enum_range<E>::min < 0 ? 0 : enum_range<E>::min;
  } else {
    constexpr long long lowest = -(1LL << (sizeof(U) * 8 - 2)) * 2;
    return enum_range<E>::min < lowest ? lowest : enum_range<E>::min;
  }
}
template <class E>
constexpr long long enum_hi() noexcept {
  using U = underlying_type_t<E>;
  if constexpr (is_same_v<U, bool>) {
    return enum_range<E>::max > 1 ? 1 : enum_range<E>::max;
  } else if constexpr (sizeof(U) < sizeof(long long)) {
    constexpr long long highest = is_unsigned_v<U> ? (1LL << (sizeof(U) * 8)) - 1
                                                   : (1LL << (sizeof(U) * 8 - 1)) - 1;
    return enum_range<E>::max > highest ? highest : enum_range<E>::max;
  } else {
    return enum_range<E>::max;
  }
}
template <class E>
void repr_enum(writer& w, E v) {
  using U = underlying_type_t<E>;
  constexpr long long lo = enum_lo<E>(), hi = enum_hi<E>();
  const U u = static_cast<U>(v);
  const char* name = nullptr;
  if constexpr (lo <= hi) {
    bool in_range;
    if constexpr (is_unsigned_v<U>) {
      in_range = static_cast<unsigned long long>(u) <= static_cast<unsigned long long>(hi) &&
                 static_cast<unsigned long long>(u) >= static_cast<unsigned long long>(lo);
    } else {
      in_range = static_cast<long long>(u) >= lo && static_cast<long long>(u) <= hi;
    }
    if (in_range) {
      name = enum_table<E, lo, fields::make_indices<static_cast<size_type>(hi - lo + 1)>>::names[
          static_cast<long long>(u) - lo];
    }
  }
  w.write_enum(type_str<E>(), name, static_cast<long long>(u), is_signed_v<U>);
}

template <class F>
void repr_field(writer& w, size_type index, const char* name_pretty, const F& field) {
  if (index > 0) w.separator();
  w.field_name(name_pretty);
  repr_to(w, field);
}

template <class T, size_type... I>
void repr_fields(writer& w, const T& v, fields::indices<I...>) {
  w.open_aggregate(type_str<T>());
  fields::visit<sizeof...(I)>(v, [&w](const auto&... f) {
    (repr_field(w, I, fields::name_pretty<T, I>(), f), ...);
  });
  w.close('}');
}

// The shapes of standard types; user types reach them after their own printing was looked for.
template <class T>
void repr_shape(writer& w, const T& v) {
  if constexpr (is_enum_v<T>) {
    if constexpr (std_named<T>("byte")) {
      w.write_byte(static_cast<unsigned char>(v));
    } else {
      repr_enum(w, v);
    }
  } else if constexpr (is_base_of_v<std::exception, T>) {
    w.write_exception(v);
  } else if constexpr (std_named<T>("nullopt_t")) {
    w.write("nullopt", 7);
  } else if constexpr (std_named<T>("monostate")) {
    w.write("monostate", 9);
  } else if constexpr (path_like<T>) {
    w.write_path(as_str(v.native()));
  } else if constexpr (duration_like<T>) {
    using C = decltype(v.count());
    if constexpr (is_integral_v<C> && (is_signed_v<C> || sizeof(C) < sizeof(long long))) {
      w.write_duration(static_cast<long long>(v.count()), static_cast<long long>(T::period::num),
                       static_cast<long long>(T::period::den));
    } else {
      repr_to(w, v.count());
      w.write_duration_suffix(static_cast<long long>(T::period::num), static_cast<long long>(T::period::den));
    }
  } else if constexpr (time_point_like<T>) {
    using D = decltype(v.time_since_epoch());
    if constexpr (is_integral_v<decltype(v.time_since_epoch().count())>) {
      w.write_time_point(type_str<typename T::clock>(), static_cast<long long>(v.time_since_epoch().count()),
                         static_cast<long long>(D::period::num), static_cast<long long>(D::period::den));
    } else {
      w.write_type_name(type_str<T>());
      w.put('(');
      repr_to(w, v.time_since_epoch());
      w.put(')');
    }
  } else if constexpr (wide_string<T>) {
    w.write_quoted_units(v.data(), static_cast<size_type>(v.size()), sizeof(*v.data()));
  } else if constexpr (map_like<T>) {
    repr_map(w, v);
  } else if constexpr (set_like<T>) {
    repr_sequence(w, v, '{', '}');
  } else if constexpr (iterable<T>) {
    repr_sequence(w, v, '[', ']');
  } else if constexpr (optional_like<T>) {
    if (v.has_value()) {
      repr_to(w, *v);
    } else {
      w.write("nullopt", 7);
    }
  } else if constexpr (variant_like<T>) {
    if (v.valueless_by_exception()) {
      w.write("valueless_by_exception");
    } else {
      repr_variant_item<0>(w, v, static_cast<size_type>(v.index()));
    }
  } else if constexpr (tuple_like<T>) {
    // Python's tuple: (1, "a"), and (1,) for one element.
    w.open('(');
    repr_tuple_items<0>(w, v);
    if constexpr (arity(static_cast<const T*>(nullptr)) == 1) w.put(',');
    w.close(')');
  } else if constexpr (pair_like<T>) {
    w.open('(');
    repr_to(w, v.first);
    w.separator();
    repr_to(w, v.second);
    w.close(')');
  } else if constexpr (pointer_like<T>) {
    w.write_pointer(untyped_address(v.get()));
  } else if constexpr (fields::count_v<T> != fields::not_reflectable) {
    repr_fields(w, v, fields::make_indices<fields::count_v<T>>{});
  } else if constexpr (std_type<T> && ostream_lookup::streamable<T>) {
    w.write_streamed(&ostream_lookup::print<T>, &v);
  } else {
    w.write_object(type_str<T>(), &v);
  }
}

template <class T>
void repr_to(writer& w, const T& v) {
  if constexpr (has_assay_printer<T>) {
    assay_repr(w, v);
  } else if constexpr (adl::has_repr<T>) {
    adl::print_repr(w, v);
  } else if constexpr (is_same_v<T, bool>) {
    w.write(v ? str{"true", 4} : str{"false", 5});
  } else if constexpr (is_same_v<T, decltype(nullptr)>) {
    w.write("nullptr", 7);
  } else if constexpr (is_same_v<T, char>) {
    w.write_char_literal(static_cast<unsigned char>(v));
  } else if constexpr (wide_char<T>) {
    w.write_code_point(static_cast<unsigned long>(v), sizeof(T));
  } else if constexpr (is_integral_v<T> && is_signed_v<T>) {
    w.write_signed(v);
  } else if constexpr (is_integral_v<T>) {
    w.write_unsigned(v);
  } else if constexpr (is_same_v<T, float>) {
    w.write_float(v);
  } else if constexpr (is_same_v<T, long double>) {
    w.write_long_double(v);
  } else if constexpr (is_floating_point_v<T>) {
    w.write_double(static_cast<double>(v));
  } else if constexpr (is_pointer_v<T> && c_string<T>) {
    if (v == nullptr) {
      w.write("nullptr", 7);
    } else {
      w.write_quoted(as_str(v));
    }
  } else if constexpr (is_array_v<T> && is_same_v<remove_cv_t<remove_extent_t<T>>, char>) {
    // A char buffer: up to its first NUL, never past its end.
    size_type n = 0;
    while (n < sizeof(T) && v[n] != '\0') ++n;
    w.write_quoted(str{v, n});
  } else if constexpr (is_array_v<T> && wide_char<remove_cv_t<remove_extent_t<T>>>) {
    size_type n = 0;
    while (n < extent_v<T> && v[n] != 0) ++n;
    w.write_quoted_units(v, n, sizeof(v[0]));
  } else if constexpr (is_array_v<T>) {
    repr_sequence(w, v, '[', ']');
  } else if constexpr (is_pointer_v<T> && is_function_v<remove_pointer_t<T>>) {
    w.write_function_pointer(&v, sizeof v);
  } else if constexpr (is_pointer_v<T> && wide_char<remove_cv_t<remove_pointer_t<T>>>) {
    if (v == nullptr) {
      w.write("nullptr", 7);
    } else {
      size_type n = 0;
      while (v[n] != 0) ++n;
      w.write_quoted_units(v, n, sizeof(v[0]));
    }
  } else if constexpr (is_pointer_v<T>) {
    w.write_pointer(untyped_address(v));
  } else if constexpr (is_member_pointer_v<T>) {
    w.write_object(type_str<T>(), &v);
  } else if constexpr (string_like<T>) {
    w.write_quoted(as_str(v));
  } else if constexpr (!std_type<T> && user_printable<T>) {
    print_user(w, v);
  } else {
    repr_shape(w, v);
  }
}

}  // namespace detail

/// The printable representation of `value`, as assay shows it in every failure message:
/// `"héllo\n"`, `'a'`, `0.1`, `[1, 2]`, `{"a": 1}`, `(1, "a")`, `Point{x=1, y=2}`, `Color::Red`, `250ms`.
template <class T>
text repr(const T& value) {
  detail::writer w;
  detail::repr_to(w, value);
  return w.take();
}

}  // namespace assay

#if defined(FMT_VERSION) && !defined(ASSAY_NO_FMT)
#include <assay/fmt.hpp>  // fmt is already in this translation unit: use its formatters too
#endif
