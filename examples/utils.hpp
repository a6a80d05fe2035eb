// The code under test in utils_test: to_str, which turns bytes or a string into a string (seed item 76).
#pragma once

#include <stdexcept>
#include <string>
#include <variant>

/// A run of raw bytes, as Python's `bytes`.
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};
inline Bytes bytes(std::string data) { return Bytes{std::move(data)}; }

/// Any other object: to_str rejects it, as Python's to_str rejects `object()`.
struct Object {
  friend bool operator==(const Object&, const Object&) = default;
};

/// Python's UnicodeDecodeError (a ValueError there, an invalid_argument here).
struct UnicodeDecodeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

using Value = std::variant<std::string, Bytes, Object>;

inline bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

/// Decodes bytes as UTF-8 or returns a string unchanged; anything else is a type error.
inline std::string to_str(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* b = std::get_if<Bytes>(&value)) {
    if (!valid_utf8(b->data)) throw UnicodeDecodeError("'utf-8' codec can't decode: invalid start byte");
    return b->data;
  }
  throw std::invalid_argument("Must supply str or bytes, found: Object");
}
