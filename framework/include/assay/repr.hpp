// repr: the printable representation of any value, captured by a template and written by compiled code.
#pragma once

#include <assay/detail/core.hpp>

namespace assay {

/// An owned string produced by assay (a repr, a message); converts to any string type built from (ptr, len).
class text {
 public:
  text() noexcept = default;
  text(const char* data, size_type size);
  text(const text& other);
  text(text&& other) noexcept : data_(other.data_), size_(other.size_) { other.data_ = nullptr, other.size_ = 0; }
  text& operator=(text other) noexcept {
    auto* d = data_;
    auto n = size_;
    data_ = other.data_, size_ = other.size_;
    other.data_ = d, other.size_ = n;
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

 private:
  static bool equal(const char* a, size_type n, detail::str b) noexcept;
  char* data_ = nullptr;
  size_type size_ = 0;
};

namespace detail {

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
  void write_quoted(str s);          // "..." with C escapes, valid UTF-8 kept
  void write_char_literal(int c);    // 'a'
  void write_signed(long long v);
  void write_unsigned(unsigned long long v);
  void write_double(double v);       // shortest round-trip form
  void write_long_double(long double v);
  void write_pointer(const void* p);  // 0x..., or nullptr
  void write_type_name(str pretty);  // demangled name taken from a __PRETTY_FUNCTION__ of type_name<T>
  void write_object(str pretty, const void* address);  // <Type object at 0x...>

  const char* data() const noexcept { return data_ ? data_ : ""; }
  size_type size() const noexcept { return size_; }
  text take();

 private:
  char* data_ = nullptr;
  size_type size_ = 0;
  size_type capacity_ = 0;
};

/// The raw __PRETTY_FUNCTION__ naming T; the compiled writer extracts the type from it.
template <class T>
constexpr const char* type_name() noexcept {
  return __PRETTY_FUNCTION__;
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

template <class T>
concept iterable = requires(const T& t) {
  t.begin() != t.end();
  *t.begin();
};

template <class T>
concept map_like = iterable<T> && requires {
  typename T::key_type;
  typename T::mapped_type;
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
concept has_assay_printer = requires(writer& w, const T& v) { assay_repr(w, v); };

template <class T>
void repr_sequence(writer& w, const T& range, char open, char close) {
  w.put(open);
  bool first = true;
  for (const auto& e : range) {
    if (!first) w.write(", ", 2);
    first = false;
    repr_to(w, e);
  }
  w.put(close);
}

template <class T>
void repr_to(writer& w, const T& v) {
  if constexpr (has_assay_printer<T>) {
    assay_repr(w, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    w.write(v ? str{"true", 4} : str{"false", 5});
  } else if constexpr (std::is_same_v<T, decltype(nullptr)>) {
    w.write("nullptr", 7);
  } else if constexpr (std::is_same_v<T, char>) {
    w.write_char_literal(static_cast<unsigned char>(v));
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    w.write_signed(v);
  } else if constexpr (std::is_integral_v<T>) {
    w.write_unsigned(v);
  } else if constexpr (std::is_same_v<T, long double>) {
    w.write_long_double(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    w.write_double(static_cast<double>(v));
  } else if constexpr (std::is_enum_v<T>) {
    w.write_type_name(str{type_name<T>(), cstr_len(type_name<T>())});
    w.put('(');
    repr_to(w, static_cast<std::underlying_type_t<T>>(v));
    w.put(')');
  } else if constexpr (string_like<T> || (std::is_array_v<T> && std::is_same_v<std::remove_extent_t<T>, char>)) {
    w.write_quoted(as_str(static_cast<const std::conditional_t<std::is_array_v<T>, const char*, const T&>>(v)));
  } else if constexpr (std::is_pointer_v<T>) {
    w.write_pointer(static_cast<const volatile void*>(v) == nullptr ? nullptr : (const void*)v);
  } else if constexpr (std::is_array_v<T>) {
    repr_sequence(w, v, '[', ']');
  } else if constexpr (map_like<T>) {
    w.put('{');
    bool first = true;
    for (const auto& kv : v) {
      if (!first) w.write(", ", 2);
      first = false;
      repr_to(w, kv.first);
      w.write(": ", 2);
      repr_to(w, kv.second);
    }
    w.put('}');
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
  } else if constexpr (pointer_like<T>) {
    w.write_pointer(v.get());
  } else if constexpr (requires { v.first, v.second; }) {
    w.put('(');
    repr_to(w, v.first);
    w.write(", ", 2);
    repr_to(w, v.second);
    w.put(')');
  } else {
    w.write_object(str{type_name<T>(), cstr_len(type_name<T>())}, &v);
  }
}

}  // namespace detail

/// The printable representation of `value`, as assay shows it in every failure message.
template <class T>
text repr(const T& value) {
  detail::writer w;
  detail::repr_to(w, value);
  return w.take();
}

}  // namespace assay
