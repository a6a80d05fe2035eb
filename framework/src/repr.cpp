// The compiled half of repr: the writer, string escaping, numbers in shortest form and type names.
#include <assay/repr.hpp>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <cxxabi.h>

namespace assay {

text::text(const char* data, size_type size) : data_(static_cast<char*>(std::malloc(size + 1))), size_(size) {
  if (!data_) throw std::bad_alloc();
  if (size) std::memcpy(data_, data, size);
  data_[size] = '\0';
}

text::text(const text& other) : text(other.data(), other.size()) {}

text::~text() { std::free(data_); }

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

void writer::write_quoted(str s) {
  put('"');
  const auto* u = reinterpret_cast<const unsigned char*>(s.data);
  for (std::size_t i = 0; i < s.size;) {
    if (u[i] >= 0x80) {
      if (const std::size_t len = utf8_sequence(u, i, s.size)) {
        write(s.data + i, len);
        i += len;
        continue;
      }
    }
    write_escaped(*this, u[i], '"');
    ++i;
  }
  put('"');
}

void writer::write_char_literal(int c) {
  put('\'');
  write_escaped(*this, static_cast<unsigned char>(c), '\'');
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
void write_float(writer& w, F v) {
  if (v != v) return w.write("nan", 3);
  if (v == F(1) / F(0)) return w.write("inf", 3);
  if (v == F(-1) / F(0)) return w.write("-inf", 4);
  char buf[128];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  w.write(s.data(), s.size());
  // Python prints 1.0, not 1: keep floats recognisable as floats.
  if (s.find_first_of(".en") == std::string_view::npos) w.write(".0", 2);
}

}  // namespace

void writer::write_double(double v) { write_float(*this, v); }
void writer::write_long_double(long double v) { write_float(*this, v); }

void writer::write_pointer(const void* p) {
  if (!p) return write("nullptr", 7);
  char buf[32] = {'0', 'x'};
  auto r = std::to_chars(buf + 2, buf + sizeof buf, reinterpret_cast<std::uintptr_t>(p), 16);
  write(buf, static_cast<size_type>(r.ptr - buf));
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

std::string demangle(const char* mangled) {
  int status = 0;
  char* out = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = status == 0 && out ? out : mangled;
  std::free(out);
  return name;
}

}  // namespace detail
}  // namespace assay
