// Failure messages of the assertion methods, worded as unittest words them.
#include <assay/assertions.hpp>

#include <cmath>
#include <regex>
#include <string>

#include <assay/detail/internal.hpp>

namespace assay::detail {

namespace {

// unittest's _formatMessage: the standard message, then ` : msg` when longMessage is on.
[[noreturn]] void raise(const assertions* self, writer& standard, message msg, location where) {
  if (msg.empty()) throw AssertionError(standard.take(), where);
  if (self && !self->longMessage) throw AssertionError(text(msg.text.data, msg.text.size), where);
  standard.write(" : ", 3);
  standard.write(msg.text);
  throw AssertionError(standard.take(), where);
}

void write_number(writer& w, double v) { w.write_double(v); }

}  // namespace

void fail_message(const assertions& self, writer& standard, message msg, location where) {
  raise(&self, standard, msg, where);
}

void fail_plain(message msg, location where) {
  throw AssertionError(text(msg.text.data, msg.text.size), where);
}

void fail_compare(const assertions& self, compare_op op, value_ref a, value_ref b, message msg, location where) {
  writer w;
  if (op == compare_op::is_not) {
    w.write("unexpectedly identical: ");
    a.write_to(w);
    raise(&self, w, msg, where);
  }
  a.write_to(w);
  switch (op) {
    case compare_op::equal: w.write(" != "); break;
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

void fail_strings(const assertions& self, str first, str second, message msg, location where) {
  writer w;
  w.write_quoted(first);
  w.write(" != ");
  w.write_quoted(second);
  raise(&self, w, msg, where);
}

void fail_almost(const assertions& self, bool equal, double a, double b, int places, double delta, bool use_delta,
                 message msg, location where) {
  writer w;
  write_number(w, a);
  w.write(equal ? " != " : " == ");
  write_number(w, b);
  w.write(" within ");
  if (use_delta) {
    write_number(w, delta);
    w.write(" delta");
  } else {
    w.write_signed(places);
    w.write(" places");
  }
  if (equal || use_delta) {
    w.write(" (");
    write_number(w, std::fabs(a - b));
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

void write_count_line(writer& w, size_type first, size_type second, value_ref value) {
  w.write("\nFirst has ");
  w.write_unsigned(first);
  w.write(", Second has ");
  w.write_unsigned(second);
  w.write(":  ");
  value.write_to(w);
}

}  // namespace assay::detail
