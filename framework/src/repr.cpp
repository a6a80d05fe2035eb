// The compiled half of repr: the writer, string escaping, numbers in shortest form and type names.
#include <assay/repr.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <typeinfo>

#include <cxxabi.h>

#include <assay/detail/diff.hpp>
#include <assay/detail/internal.hpp>

namespace assay {

text::text(const char* data, size_type size) : data_(static_cast<char*>(std::malloc(size + 1))), size_(size) {
  if (!data_) throw std::bad_alloc();
  if (size) std::memcpy(data_, data, size);
  data_[size] = '\0';
}

text::text(const text& other) : text(other.data(), other.size()) {}

text::~text() { std::free(data_); }

std::ostream& operator<<(std::ostream& os, const text& t) {
  return os.write(t.data(), static_cast<std::streamsize>(t.size()));
}

text text::concat(detail::str a, detail::str b) {
  text out;
  out.data_ = static_cast<char*>(std::malloc(a.size + b.size + 1));
  if (!out.data_) throw std::bad_alloc();
  if (a.size) std::memcpy(out.data_, a.data, a.size);
  if (b.size) std::memcpy(out.data_ + a.size, b.data, b.size);
  out.size_ = a.size + b.size;
  out.data_[out.size_] = '\0';
  return out;
}

bool text::equal(const char* a, size_type n, detail::str b) noexcept {
  return n == b.size && (n == 0 || std::memcmp(a, b.data, n) == 0);
}

namespace detail {

writer::~writer() { std::free(data_); }

void writer::write(const char* data, size_type size) {
  if (size_ + size + 1 > capacity_) {
    size_type cap = capacity_ ? capacity_ * 2 : 64;
    while (cap < size_ + size + 1) cap *= 2;
    auto* p = static_cast<char*>(std::realloc(data_, cap));
    if (!p) throw std::bad_alloc();
    data_ = p;
    capacity_ = cap;
  }
  if (size) std::memcpy(data_ + size_, data, size);
  size_ += size;
  data_[size_] = '\0';
}

void writer::put(char c) { write(&c, 1); }

text writer::take() {
  text t(data(), size_);
  size_ = 0;
  return t;
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_sequence(const unsigned char* s, std::size_t i, std::size_t n) {
  const unsigned char c = s[i];
  std::size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (len == 0 || i + len > n) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if ((s[i + k] & 0xC0) != 0x80) return 0;
  if (len == 3 && c == 0xE0 && s[i + 1] < 0xA0) return 0;  // overlong
  if (len == 3 && c == 0xED && s[i + 1] >= 0xA0) return 0;  // surrogate
  if (len == 4 && c == 0xF0 && s[i + 1] < 0x90) return 0;  // overlong
  if (len == 4 && c == 0xF4 && s[i + 1] >= 0x90) return 0;  // > U+10FFFF
  return len;
}

void write_escaped(writer& w, unsigned char c, char quote) {
  static const char hex[] = "0123456789abcdef";
  switch (c) {
    case '\n': w.write("\\n", 2); return;
    case '\t': w.write("\\t", 2); return;
    case '\r': w.write("\\r", 2); return;
    case '\\': w.write("\\\\", 2); return;
    default: break;
  }
  if (c == static_cast<unsigned char>(quote)) {
    w.put('\\');
    w.put(quote);
  } else if (c < 0x20 || c == 0x7F || c >= 0x80) {
    const char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
    w.write(esc, 4);
  } else {
    w.put(static_cast<char>(c));
  }
}

}  // namespace

namespace {

void write_hex_escape(writer& w, char kind, unsigned long c, int digits) {
  static const char hex[] = "0123456789abcdef";
  char buf[12] = {'\\', kind};
  for (int i = 0; i < digits; ++i) buf[2 + i] = hex[(c >> (4 * (digits - 1 - i))) & 15];
  w.write(buf, static_cast<size_type>(2 + digits));
}

// One code point inside quotes: readable when printable, else a C escape (\x07, \u0085, \ud800).
void write_code_point_escaped(writer& w, unsigned long c, char quote) {
  if (c < 0x80) return write_escaped(w, static_cast<unsigned char>(c), quote);
  if (c < 0xA0 || c == 0x2028 || c == 0x2029 || (c >= 0xD800 && c <= 0xDFFF)) return write_hex_escape(w, 'u', c, 4);
  if (c > 0x10FFFF) return write_hex_escape(w, 'U', c, 8);
  char buf[4];
  int n;
  if (c < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (c >> 6)), buf[1] = static_cast<char>(0x80 | (c & 0x3F)), n = 2;
  } else if (c < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (c >> 12)), buf[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (c & 0x3F)), n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (c >> 18)), buf[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F)), buf[3] = static_cast<char>(0x80 | (c & 0x3F)), n = 4;
  }
  w.write(buf, static_cast<size_type>(n));
}

unsigned long decode_utf8(const unsigned char* s, std::size_t len) {
  if (len == 2) return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
  if (len == 3) return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
  return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

void write_utf8_body(writer& w, str s, char quote) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data);
  for (std::size_t i = 0; i < s.size;) {
    if (u[i] >= 0x80) {
      if (const std::size_t len = utf8_sequence(u, i, s.size)) {
        write_code_point_escaped(w, decode_utf8(u + i, len), quote);
        i += len;
        continue;
      }
    }
    write_escaped(w, u[i], quote);  // ASCII, or an invalid byte as \xff
    ++i;
  }
}

// UTF-16 (unit_size 2) or UTF-32 (4) units into code points; a lone surrogate stays itself (and is escaped).
template <class Sink>
void decode_units(const void* units, size_type count, size_type unit_size, Sink&& sink) {
  if (unit_size == 2) {
    const auto* p = static_cast<const char16_t*>(units);
    for (size_type i = 0; i < count; ++i) {
      unsigned long c = p[i];
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < count && p[i + 1] >= 0xDC00 && p[i + 1] <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<unsigned long>(p[i + 1]) - 0xDC00);
        ++i;
      }
      sink(c);
    }
  } else {
    const auto* p = static_cast<const char32_t*>(units);
    for (size_type i = 0; i < count; ++i) sink(static_cast<unsigned long>(p[i]));
  }
}

}  // namespace

namespace {

// str.isprintable() for a code point beyond U+00A0: false for the assigned characters CPython 3.13 (Unicode
// 15.1) escapes in a repr -- format characters, separators, surrogates, private use. Unassigned code points
// are shown (Python escapes them too).
bool python_printable(unsigned long c) {
  static constexpr unsigned long escaped[][2] = {
      {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},     {0x6DD, 0x6DD},       {0x70F, 0x70F},
      {0x890, 0x891},     {0x8E2, 0x8E2},     {0x1680, 0x1680},   {0x180E, 0x180E},     {0x2000, 0x200F},
      {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},     {0xD800, 0xF8FF},
      {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},   {0x13430, 0x1343F},
      {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},   {0xF0000, 0xFFFFD},
      {0x100000, 0x10FFFD}};
  if (c <= 0xA0) return false;  // C1 controls and NO-BREAK SPACE
  for (const auto& r : escaped)
    if (c >= r[0] && c <= r[1]) return false;
  return true;
}

}  // namespace

std::string python_str_repr(std::string_view s) {
  // repr(str): single quotes, or double quotes when the text holds ' and no ".
  const char quote = s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos ? '"' : '\'';
  writer w;
  w.put(quote);
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = u[i] >= 0x80 ? utf8_sequence(u, i, s.size()) : 0;
    if (len == 0) {
      write_escaped(w, u[i], quote);  // ASCII as Python escapes it; an invalid byte as \xff
      ++i;
      continue;
    }
    const unsigned long c = decode_utf8(u + i, len);
    if (python_printable(c)) {
      w.write(s.data() + i, static_cast<size_type>(len));
    } else if (c < 0x100) {
      write_hex_escape(w, 'x', c, 2);
    } else if (c < 0x10000) {
      write_hex_escape(w, 'u', c, 4);
    } else {
      write_hex_escape(w, 'U', c, 8);
    }
    i += len;
  }
  w.put(quote);
  return std::string(w.data(), w.size());
}

void writer::write_quoted(str s) {
  put('"');
  write_utf8_body(*this, s, '"');
  put('"');
}

void writer::write_quoted_units(const void* units, size_type count, size_type unit_size) {
  if (unit_size == 1) return write_quoted(str{static_cast<const char*>(units), count});
  put('"');
  decode_units(units, count, unit_size, [this](unsigned long c) { write_code_point_escaped(*this, c, '"'); });
  put('"');
}

void writer::write_char_literal(int c) {
  put('\'');
  write_escaped(*this, static_cast<unsigned char>(c), '\'');
  put('\'');
}

void writer::write_code_point(unsigned long c, size_type unit_size) {
  put('\'');
  if (unit_size == 1 && c >= 0x80) {
    write_escaped(*this, static_cast<unsigned char>(c), '\'');  // a lone UTF-8 code unit
  } else {
    write_code_point_escaped(*this, c, '\'');
  }
  put('\'');
}

void writer::write_signed(long long v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  write(buf, static_cast<size_type>(r.ptr - buf));
}

void writer::write_unsigned(unsigned long long v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  write(buf, static_cast<size_type>(r.ptr - buf));
}

namespace {

template <class F>
void write_float_form(writer& w, F v) {
  if (v != v) return w.write("nan", 3);
  if (v == F(1) / F(0)) return w.write("inf", 3);
  if (v == F(-1) / F(0)) return w.write("-inf", 4);
  // The shortest digits that read back the same, laid out as Python's repr does: fixed notation for
  // exponents from -4 to 15 (0.0001, 1e+16), always with a '.' or an exponent (1.0).
  char buf[128];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  if (s.front() == '-') {
    w.put('-');
    s.remove_prefix(1);
  }
  const std::size_t e = s.find('e');
  // The significant digits without the '.', then Python's layout written piece by piece (no string
  // concatenations: g++ 12 -O3 sees a false -Wrestrict overlap in libstdc++'s operator+).
  char digits[128];
  std::size_t n = 0;
  for (const char c : s.substr(0, e))
    if (c != '.') digits[n++] = c;
  int exponent = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exponent);
  const auto zeros = [&w](long count) {
    for (; count > 0; --count) w.put('0');
  };
  const long digit_count = static_cast<long>(n);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      w.write("0.", 2);
      zeros(-exponent - 1);
      w.write(digits, n);
    } else if (digit_count > exponent + 1) {
      const auto point = static_cast<std::size_t>(exponent + 1);
      w.write(digits, point);
      w.put('.');
      w.write(digits + point, n - point);
    } else {
      w.write(digits, n);
      zeros(exponent + 1 - digit_count);
      w.write(".0", 2);
    }
  } else {
    w.put(digits[0]);
    if (n > 1) {
      w.put('.');
      w.write(digits + 1, n - 1);
    }
    w.write(exponent < 0 ? "e-" : "e+", 2);
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < 10) w.put('0');
    char m[16];
    const auto end = std::to_chars(m, m + sizeof m, magnitude).ptr;
    w.write(m, static_cast<size_type>(end - m));
  }
}

}  // namespace

void writer::write_float(float v) { write_float_form(*this, v); }
void writer::write_double(double v) { write_float_form(*this, v); }
void writer::write_long_double(long double v) { write_float_form(*this, v); }

void writer::write_pointer(const void* p) {
  if (!p) return write("nullptr", 7);
  char buf[32] = {'0', 'x'};
  auto r = std::to_chars(buf + 2, buf + sizeof buf, reinterpret_cast<std::uintptr_t>(p), 16);
  write(buf, static_cast<size_type>(r.ptr - buf));
}

void writer::write_function_pointer(const void* bits, size_type size) {
  std::uintptr_t address = 0;
  std::memcpy(&address, bits, size < sizeof address ? size : sizeof address);
  const void* p = reinterpret_cast<const void*>(address);
  const std::string name = p ? function_name(p) : std::string();
  if (name.empty()) return write_pointer(p);  // nullptr, or no symbol: the bare address
  // Python's `<function utcnow at 0x7f…>`.
  write("<function ", 10);
  write(name.data(), name.size());
  write(" at ", 4);
  write_pointer(p);
  put('>');
}

void writer::write_byte(unsigned char b) {
  static const char hex[] = "0123456789abcdef";
  const char out[4] = {'0', 'x', hex[b >> 4], hex[b & 15]};
  write(out, 4);
}

std::string type_from_pretty(str pretty) {
  // g++: "... type_name() [with T = Foo]"; clang: "... type_name() [T = Foo]".
  std::string_view s(pretty.data, pretty.size);
  std::size_t at = s.find("T = ");
  if (at == std::string_view::npos) return std::string(s);
  s.remove_prefix(at + 4);
  std::size_t end = s.rfind(']');
  if (end != std::string_view::npos) s = s.substr(0, end);
  std::size_t semi = s.find(';');  // g++ may append "; ..." for other template parameters
  if (semi != std::string_view::npos) s = s.substr(0, semi);
  std::string out(s);
  for (std::string_view anon : {"(anonymous namespace)::", "{anonymous}::"}) {
    for (std::size_t p; (p = out.find(anon)) != std::string::npos;) out.erase(p, anon.size());
  }
  return out;
}

void writer::write_type_name(str pretty) {
  const std::string name = type_from_pretty(pretty);
  write(name.data(), name.size());
}

void writer::write_object(str pretty, const void* address) {
  write("<", 1);
  write_type_name(pretty);
  write(" object at ", 11);
  write_pointer(address);
  put('>');
}

namespace {

// The last name of a qualified name: "ns::Color::Red" -> "Red".
std::string_view last_component(std::string_view s) {
  const std::size_t at = s.rfind("::");
  return at == std::string_view::npos ? s : s.substr(at + 2);
}

// The text after "= " up to the closing ']' of a __PRETTY_FUNCTION__ with one template parameter.
std::string_view pretty_argument(const char* pretty) {
  std::string_view s(pretty);
  const std::size_t at = s.find("= ");
  if (at == std::string_view::npos) return {};
  s.remove_prefix(at + 2);
  const std::size_t end = s.rfind(']');
  return end == std::string_view::npos ? s : s.substr(0, end);
}

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

// A type as a value's repr names it: without its namespaces, as Python names a class without its module
// (`Point{x=1, y=2}`, `Status::Active`); template arguments are kept as written.
std::string short_type_name(str pretty) {
  std::string name = type_from_pretty(pretty);
  const std::size_t args = name.find('<');
  const std::size_t colons = name.rfind("::", args);
  if (colons != std::string::npos) name.erase(0, colons + 2);
  return name;
}

void writer::write_enum(str type_pretty, const char* value_pretty, long long value, bool is_signed) {
  const std::string type = short_type_name(type_pretty);
  write(type.data(), type.size());
  // A named value reads `V = Color::Red` (clang: `V = (anonymous namespace)::Color::Red`); another `(Color)7`.
  std::string_view probe = value_pretty ? pretty_argument(value_pretty) : std::string_view();
  constexpr std::string_view anonymous = "(anonymous namespace)::";
  if (probe.substr(0, anonymous.size()) == anonymous) probe.remove_prefix(anonymous.size());
  if (!probe.empty() && probe[0] != '(' && probe[0] != '-' && (probe[0] < '0' || probe[0] > '9')) {
    write("::", 2);
    const std::string_view name = last_component(probe);
    write(name.data(), name.size());
    return;
  }
  put('(');
  if (is_signed) {
    write_signed(value);
  } else {
    write_unsigned(static_cast<unsigned long long>(value));
  }
  put(')');
}

void writer::write_exception(const std::exception& e) {
  const std::string type = demangle(typeid(e).name());
  write(type.data(), type.size());
  put('(');
  const char* what = e.what();
  write_quoted(what ? str{what, cstr_len(what)} : str{"", 0});
  put(')');
}

void writer::write_duration_suffix(long long num, long long den) {
  struct unit {
    long long num, den;
    const char* suffix;
  };
  // The suffixes of C++20's operator<< for durations ([time.duration.io]).
  static const unit units[] = {
      {1, 1000000000000000000LL, "as"}, {1, 1000000000000000LL, "fs"}, {1, 1000000000000LL, "ps"},
      {1, 1000000000, "ns"}, {1, 1000000, "\xc2\xb5s"}, {1, 1000, "ms"}, {1, 100, "cs"}, {1, 10, "ds"},
      {1, 1, "s"}, {10, 1, "das"}, {100, 1, "hs"}, {1000, 1, "ks"}, {1000000, 1, "Ms"}, {1000000000, 1, "Gs"},
      {1000000000000LL, 1, "Ts"}, {1000000000000000LL, 1, "Ps"}, {1000000000000000000LL, 1, "Es"},
      {60, 1, "min"}, {3600, 1, "h"}, {86400, 1, "d"}};
  for (const unit& u : units) {
    if (u.num == num && u.den == den) return write(u.suffix);
  }
  put('[');
  write_signed(num);
  if (den != 1) {
    put('/');
    write_signed(den);
  }
  write("]s", 2);
}

void writer::write_duration(long long count, long long num, long long den) {
  // system_clock::duration(3h) reads 3h, not 10800000000000ns: the value in the largest unit that holds it
  // exactly; a value no unit holds exactly (1[1/3]s) and zero keep the type's own unit.
  struct unit {
    long long num, den;
    const char* suffix;
  };
  static const unit units[] = {{86400, 1, "d"},
                               {3600, 1, "h"},
                               {60, 1, "min"},
                               {1, 1, "s"},
                               {1, 1000, "ms"},
                               {1, 1000000, "\xc2\xb5s"},
                               {1, 1000000000, "ns"},
                               {1, 1000000000000LL, "ps"},
                               {1, 1000000000000000LL, "fs"},
                               {1, 1000000000000000000LL, "as"}};
  __extension__ typedef __int128 wide;  // count·num·den overflows 64 bits (attoseconds)
  if (count != 0 && num > 0 && den > 0) {
    // count·num/den seconds in units of u.num/u.den seconds: count·num·u.den / (den·u.num), if exact.
    for (const unit& u : units) {
      const wide numerator = static_cast<wide>(count) * num * u.den;
      const wide denominator = static_cast<wide>(den) * u.num;
      if (numerator % denominator != 0) continue;
      const wide value = numerator / denominator;
      if (value < INT64_MIN || value > INT64_MAX) break;
      write_signed(static_cast<long long>(value));
      return write(u.suffix);
    }
  }
  write_signed(count);
  write_duration_suffix(num, den);
}

namespace {

// Days since 1970-01-01 to a civil date (proleptic Gregorian), after Howard Hinnant's days_from_civil.
void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

void write_padded(writer& w, long long v, int width) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) w.put('0');
  w.write(buf, static_cast<size_type>(r.ptr - buf));
}

}  // namespace

void writer::write_time_point(str clock_pretty, long long count, long long num, long long den) {
  std::string clock = type_from_pretty(clock_pretty);
  for (std::string_view noise : {"std::chrono::_V2::", "std::chrono::"}) {
    if (clock.compare(0, noise.size(), noise) == 0) clock.erase(0, noise.size());
  }
  if (clock != "system_clock") {
    write(clock.data(), clock.size());
    write("::time_point(", 13);
    write_signed(count);
    write_duration_suffix(num, den);
    put(')');
    return;
  }
  // system_clock: the UTC date and time, as C++20's operator<< for sys_time prints it.
  long long seconds = 0, rest = 0;  // rest: in units of 1/den second
  if (den == 1) {
    seconds = count * num;
  } else if (num == 1) {
    seconds = count / den, rest = count % den;
    if (rest < 0) rest += den, seconds -= 1;
  } else {
    const long double t = static_cast<long double>(count) * num / den;
    seconds = static_cast<long long>(std::floor(t));
    rest = static_cast<long long>((t - static_cast<long double>(seconds)) * den);
  }
  long long days = seconds / 86400;
  long long in_day = seconds % 86400;
  if (in_day < 0) in_day += 86400, days -= 1;
  long long y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  write_padded(*this, y, 4);
  put('-');
  write_padded(*this, m, 2);
  put('-');
  write_padded(*this, d, 2);
  put(' ');
  write_padded(*this, in_day / 3600, 2);
  put(':');
  write_padded(*this, in_day / 60 % 60, 2);
  put(':');
  write_padded(*this, in_day % 60, 2);
  if (den > 1) {
    // As many fractional digits as the period needs (ms: 3, ns: 9; 6 when it is not a power of ten).
    int digits = 0;
    long long p = 1;
    while (p < den && digits < 18) p *= 10, ++digits;
    if (p != den) digits = 6, p = 1000000;
    put('.');
    write_padded(*this, p == den ? rest : static_cast<long long>(static_cast<long double>(rest) * p / den), digits);
  }
}

void writer::write_path(str native) {
  write("path(", 5);
  write_quoted(native);
  put(')');
}

void writer::write_streamed(void (*print)(std::ostream&, const void*), const void* value) {
  std::ostringstream os;
  print(os, value);
  const std::string s = os.str();
  write(s.data(), s.size());
}

void writer::open(char c) {
  if (marks_) marks_->marks.push_back({structure::open, size_, size_ + 1});
  put(c);
}

void writer::open_unordered(char c) {
  if (marks_) marks_->marks.push_back({structure::open_unordered, size_, size_ + 1});
  put(c);
}

void writer::open_aggregate(str type_pretty) {
  const size_type at = size_;
  const std::string type = short_type_name(type_pretty);
  write(type.data(), type.size());
  put('{');
  if (marks_) marks_->marks.push_back({structure::open, at, size_});
}

void writer::separator() {
  if (marks_) marks_->marks.push_back({structure::separator, size_, size_ + 2});
  write(", ", 2);
}

void writer::key_separator() {
  if (marks_) marks_->marks.push_back({structure::key, size_, size_ + 2});
  write(": ", 2);
}

void writer::field_name(const char* pretty) {
  if (!pretty) return;
  // g++: `{((const int*)(& fake_object<Point>::value.Point::x))}`; clang: `{&value.x}`.
  std::string_view s = pretty_argument(pretty);
  const std::size_t colons = s.rfind("::"), dot = s.rfind('.');
  std::size_t at = colons == std::string_view::npos ? dot : dot == std::string_view::npos ? colons + 1
                                                                                        : std::max(colons + 1, dot);
  if (at == std::string_view::npos) return;
  s.remove_prefix(at + 1);
  std::size_t n = 0;
  while (n < s.size() && is_identifier_char(s[n])) ++n;
  if (n == 0) return;
  write(s.data(), n);
  if (marks_) marks_->marks.push_back({structure::key, size_, size_ + 1});
  put('=');
}

void writer::close(char c) {
  if (marks_) marks_->marks.push_back({structure::close, size_, size_ + 1});
  put(c);
}

std::string demangle(const char* mangled) {
  int status = 0;
  char* out = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = status == 0 && out ? out : mangled;
  std::free(out);
  return name;
}

}  // namespace detail
}  // namespace assay
