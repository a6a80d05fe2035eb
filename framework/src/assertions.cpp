// Failure messages of the assertion methods, worded as unittest words them (Lib/unittest/case.py), diffs included.
#include <assay/assertions.hpp>

#include <cmath>
#include <csignal>
#include <regex>
#include <string>
#include <vector>

#include <assay/detail/diff.hpp>
#include <assay/detail/internal.hpp>

namespace assay {

const char* AssertionError::what() const noexcept { return message_.c_str(); }
const char* SkipTest::what() const noexcept { return reason_.c_str(); }

}  // namespace assay

namespace assay::detail {

bool break_on_failure = false;
bool trapped_at_call_site = false;

// One frame below the AssertionError being made: `up` in the debugger leads to the failing assertion.
void break_here() noexcept { std::raise(SIGTRAP); }

namespace {

// Strings longer than this (in characters) are compared without a diff, as unittest's _diffThreshold.
constexpr size_type diff_threshold = size_type{1} << 16;

// unittest's _formatMessage: the standard message, then ` : msg` when longMessage is on.
[[noreturn]] void raise(const assertions* self, std::string standard, message msg, location where) {
  if (!msg.empty()) {
    if (self && !self->longMessage) throw AssertionError(text(msg.text.data, msg.text.size), where);
    standard += " : ";
    standard.append(msg.text.data, msg.text.size);
  }
  throw AssertionError(text(standard.data(), standard.size()), where);
}

[[noreturn]] void raise(const assertions* self, writer& standard, message msg, location where) {
  raise(self, std::string(standard.data(), standard.size()), msg, where);
}

std::string repr_of(value_ref v) {
  writer w;
  v.write_to(w);
  return std::string(w.data(), w.size());
}

// unittest's _truncateMessage: the diff, unless it is longer than maxDiff characters.
std::string truncated(const assertions& self, std::string standard, const std::string& diff) {
  const size_type length = char_count(diff);
  if (self.maxDiff == no_limit || length <= self.maxDiff) return standard + diff;
  return standard + "\nDiff is " + std::to_string(length) +
         " characters long. Set maxDiff to assay::no_limit to see it.";
}

// '\n'.join(difflib.ndiff(a.splitlines(), b.splitlines())), with a leading newline.
std::string line_diff(const std::string& a, const std::string& b) {
  const std::vector<std::string> lines = ndiff(split_lines(a, false), split_lines(b, false));
  std::string diff = "\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) diff += '\n';
    diff += lines[i];
  }
  return diff;
}

// The diff of pformat(a) and pformat(b), as assertDictEqual and assertSequenceEqual show it.
std::string structured_diff(const structured_repr& a, const structured_repr& b) {
  return line_diff(pformat(a), pformat(b));
}

// The diff of two aggregates: as structured_diff, but when only one of them is too long for one line,
// the other is broken into lines too, so that their fields line up (pprint would leave it on one line).
std::string aggregate_diff(const structured_repr& a, const structured_repr& b) {
  std::string fa = pformat(a), fb = pformat(b);
  const bool broken_a = fa.find('\n') != std::string::npos, broken_b = fb.find('\n') != std::string::npos;
  if (broken_a && !broken_b) fb = pformat(b, char_count(fb) - 1);
  if (broken_b && !broken_a) fa = pformat(a, char_count(fa) - 1);
  return line_diff(fa, fb);
}

std::string joined_reprs(std::string a, std::string b, const char* between) {
  common_shorten_repr(a, b);
  return a + between + b;
}

}  // namespace

void fail_plain(message msg, location where) {
  throw AssertionError(text(msg.text.data, msg.text.size), where);
}

namespace {

// Whether a repr is an aggregate's, `Point{x=1, y=2}`: its outermost container opens with a type name.
bool is_aggregate_repr(const structured_repr& r) {
  const auto& m = r.marks.marks;
  return !m.empty() && m.front().kind == structure::open && m.front().at == 0 && m.front().after > 1 &&
         r.text[m.front().after - 1] == '{';
}

}  // namespace

void fail_compare(const assertions& self, compare_op op, value_ref a, value_ref b, message msg, location where) {
  if (op == compare_op::equal) {
    // unittest's _baseAssertEqual; two aggregates also get the diff assertDictEqual gives two dicts.
    const structured_repr ra = repr_with_structure(a), rb = repr_with_structure(b);
    std::string standard = joined_reprs(ra.text, rb.text, " != ");
    if (is_aggregate_repr(ra) && is_aggregate_repr(rb)) standard = truncated(self, standard, aggregate_diff(ra, rb));
    raise(&self, std::move(standard), msg, where);
  }
  writer w;
  if (op == compare_op::is_not) {
    w.write("unexpectedly identical: ");
    a.write_to(w);
    raise(&self, w, msg, where);
  }
  a.write_to(w);
  switch (op) {
    case compare_op::not_equal: w.write(" == "); break;
    case compare_op::greater: w.write(" not greater than "); break;
    case compare_op::greater_equal: w.write(" not greater than or equal to "); break;
    case compare_op::less: w.write(" not less than "); break;
    case compare_op::less_equal: w.write(" not less than or equal to "); break;
    case compare_op::in: w.write(" not found in "); break;
    case compare_op::not_in: w.write(" unexpectedly found in "); break;
    case compare_op::is: w.write(" is not "); break;
    default: break;
  }
  b.write_to(w);
  raise(&self, w, msg, where);
}

void fail_instance(const assertions& self, compare_op op, value_ref obj, str type, message msg, location where) {
  writer w;
  obj.write_to(w);
  w.write(op == compare_op::is_instance ? " is not an instance of " : " is an instance of ");
  w.write_type_name(type);
  raise(&self, w, msg, where);
}

void fail_truth(const assertions& self, truth_op op, value_ref a, message msg, location where) {
  writer w;
  if (op == truth_op::is_not_none) {
    w.write("unexpectedly None");
    raise(&self, w, msg, where);
  }
  a.write_to(w);
  w.write(op == truth_op::is_true ? " is not true" : op == truth_op::is_false ? " is not false" : " is not None");
  raise(&self, w, msg, where);
}

// assertMultiLineEqual: `"a\nb\n" != "a\nc\n"`, then difflib.ndiff of the lines.
void fail_strings(const assertions& self, str first, str second, message msg, location where) {
  writer wa, wb;
  wa.write_quoted(first);
  wb.write_quoted(second);
  std::string standard = joined_reprs(std::string(wa.data(), wa.size()), std::string(wb.data(), wb.size()), " != ");
  const std::string_view a = view(first), b = view(second);
  if (char_count(a) > diff_threshold || char_count(b) > diff_threshold) raise(&self, standard, msg, where);
  // A missing final newline gets one on both sides, so that ndiff can show the difference in line endings.
  std::string a_split(a), b_split(b);
  if (!a.empty() && !b.empty()) {
    if (a.back() != '\n' || b.back() != '\n') a_split += '\n', b_split += '\n';
  } else if (!b.empty() && b.back() != '\n') {
    b_split += '\n';
  } else if (!a.empty() && a.back() != '\n') {
    a_split += '\n';
  }
  std::vector<std::string> a_lines = split_lines(a_split, true), b_lines = split_lines(b_split, true);
  for (std::string& l : a_lines) l = displayed_line(l);
  for (std::string& l : b_lines) l = displayed_line(l);
  std::string diff = "\n";
  for (const std::string& l : ndiff(a_lines, b_lines)) diff += l;
  raise(&self, truncated(self, std::move(standard), diff), msg, where);
}

// assertSequenceEqual: "Lists differ: [1, 2, 3] != [1, 2, 4]", the first differing element, the extra elements.
void fail_sequences(const assertions& self, sequence_kind kind, sequence_ref first, sequence_ref second,
                    size_type differing, message msg, location where) {
  static const char* const names[] = {"sequence", "list", "tuple"};
  static const char* const titles[] = {"Sequences", "Lists", "Tuples"};
  const std::string name = names[static_cast<int>(kind)];
  const structured_repr a = repr_with_structure(first.whole), b = repr_with_structure(second.whole);
  auto item = [](const sequence_ref& s, size_type i) {
    writer w;
    s.item(w, s.whole.ptr, i);
    return std::string(w.data(), w.size());
  };
  std::string standard =
      std::string(titles[static_cast<int>(kind)]) + " differ: " + joined_reprs(a.text, b.text, " != ") + "\n";
  if (differing != no_index) {
    standard += "\nFirst differing element " + std::to_string(differing) + ":\n" +
                joined_reprs(item(first, differing), item(second, differing), "\n") + "\n";
  }
  if (first.size > second.size) {
    standard += "\nFirst " + name + " contains " + std::to_string(first.size - second.size) +
                " additional elements.\nFirst extra element " + std::to_string(second.size) + ":\n" +
                item(first, second.size) + "\n";
  } else if (first.size < second.size) {
    standard += "\nSecond " + name + " contains " + std::to_string(second.size - first.size) +
                " additional elements.\nFirst extra element " + std::to_string(first.size) + ":\n" +
                item(second, first.size) + "\n";
  }
  raise(&self, truncated(self, std::move(standard), structured_diff(a, b)), msg, where);
}

// assertSetEqual: the items of each set missing from the other.
void fail_sets(const assertions& self, value_ref first, value_ref second, const writer& first_only,
               const writer& second_only, message msg, location where) {
  if (first_only.size() == 0 && second_only.size() == 0) {
    // Equal as sets, different as multisets: the counts differ, which the plain message shows.
    raise(&self, joined_reprs(repr_of(first), repr_of(second), " != "), msg, where);
  }
  std::string standard;
  if (first_only.size()) {
    standard += "Items in the first set but not the second:\n";
    standard.append(first_only.data(), first_only.size());
  }
  if (second_only.size()) {
    if (!standard.empty()) standard += '\n';
    standard += "Items in the second set but not the first:\n";
    standard.append(second_only.data(), second_only.size());
  }
  raise(&self, std::move(standard), msg, where);
}

// assertDictEqual: `{"a": 1} != {"a": 2}`, then a diff of the pretty-printed mappings.
void fail_dicts(const assertions& self, value_ref first, value_ref second, message msg, location where) {
  const structured_repr a = repr_with_structure(first), b = repr_with_structure(second);
  raise(&self, truncated(self, joined_reprs(a.text, b.text, " != "), structured_diff(a, b)), msg, where);
}

void fail_counts(const assertions& self, const writer& lines, message msg, location where) {
  raise(&self, truncated(self, "Element counts were not equal:\n", std::string(lines.data(), lines.size())), msg,
        where);
}

void write_count_line(writer& w, size_type first, size_type second, value_ref value) {
  if (w.size()) w.put('\n');
  w.write("First has ");
  w.write_unsigned(first);
  w.write(", Second has ");
  w.write_unsigned(second);
  w.write(":  ");
  value.write_to(w);
}

void fail_almost(const assertions& self, bool equal, value_ref a, value_ref b, value_ref difference, int places,
                 double delta, bool use_delta, message msg, location where) {
  writer w;
  a.write_to(w);
  w.write(equal ? " != " : " == ");
  b.write_to(w);
  w.write(" within ");
  if (use_delta) {
    w.write_double(delta);
    w.write(" delta");
  } else {
    w.write_signed(places);
    w.write(" places");
  }
  if (equal || use_delta) {
    w.write(" (");
    difference.write_to(w);
    w.write(" difference)");
  }
  raise(&self, w, msg, where);
}

bool almost_equal(double a, double b, int places) noexcept {
  // Python's round(abs(a - b), places) == 0.
  const double diff = std::fabs(a - b);
  const double scale = std::pow(10.0, places);
  return std::nearbyint(diff * scale) == 0.0;
}

bool regex_search(str text, str pattern) {
  try {
    const std::regex re(pattern.data, pattern.size);
    return std::regex_search(text.data, text.data + text.size, re);
  } catch (const std::regex_error& e) {
    writer w;
    w.write("invalid regular expression ");
    w.write_quoted(pattern);
    w.write(": ");
    w.write(e.what());
    throw AssertionError(w.take(), location{});
  }
}

bool contains_substring(str haystack, str needle) noexcept {
  return view(haystack).find(view(needle)) != std::string_view::npos;
}

void fail_regex(const assertions& self, bool expected_match, str txt, str pattern, message msg, location where) {
  writer w;
  if (expected_match) {
    w.write("Regex didn't match: ");
    w.write_quoted(pattern);
    w.write(" not found in ");
    w.write_quoted(txt);
  } else {
    std::cmatch m;
    std::regex_search(txt.data, txt.data + txt.size, m, std::regex(pattern.data, pattern.size));
    const std::string matched = m.empty() ? std::string() : m.str(0);
    w.write("Regex matched: ");
    w.write_quoted(str{matched.data(), matched.size()});
    w.write(" matches ");
    w.write_quoted(pattern);
    w.write(" in ");
    w.write_quoted(txt);
  }
  raise(&self, w, msg, where);
}

}  // namespace assay::detail
