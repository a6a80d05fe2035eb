// Diffs and pretty-printing for failure messages (compiled code only): difflib.ndiff, pprint.pformat and
// unittest's shortened reprs, reproduced so that assay's messages read exactly like unittest's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <assay/repr.hpp>

namespace assay::detail {

/// Where the containers, items and keys of a repr are, recorded by writer::record while it is written.
struct structure {
  enum kind_t : unsigned char { open, open_unordered, separator, key, close };
  struct mark {
    kind_t kind;
    size_type at;     // first byte of the mark: the container's first byte (open), ',', ':' or '=', the bracket
    size_type after;  // first byte after it
  };
  std::vector<mark> marks;
};

/// A repr together with its structure: what pformat and the sequence messages work on.
struct structured_repr {
  std::string text;
  structure marks;
};
structured_repr repr_with_structure(value_ref v);

/// The reprs of the top-level items of a container's repr (`[1, 2]` → "1", "2"); empty if not a container.
std::vector<std::string> top_level_items(const structured_repr& r);

/// pprint.pformat(obj) of Python, over a repr and its structure: one line when it fits in `width`
/// columns, else one item per line, recursively.
std::string pformat(const structured_repr& r, size_type width = 80);

/// Length in characters (code points), as Python's len() counts a str.
size_type char_count(std::string_view s) noexcept;

/// str.splitlines(keepends): splits at LF, CR LF, CR, VT, FF, FS, GS, RS, U+0085, U+2028 and U+2029.
std::vector<std::string> split_lines(std::string_view s, bool keepends);

/// A line as it is shown in a diff: control characters and invalid bytes as C escapes, never raw, except the
/// line boundary that ends it (kept, as Python prints it).
std::string displayed_line(std::string_view line);

/// difflib.ndiff(a, b): `- `, `+ `, `  ` lines and `? ` hint lines (which end with a newline).
std::vector<std::string> ndiff(const std::vector<std::string>& a, const std::vector<std::string>& b);

/// unittest's _common_shorten_repr: two reprs of at most about 80 characters, sharing their common prefix.
void common_shorten_repr(std::string& a, std::string& b);

}  // namespace assay::detail
