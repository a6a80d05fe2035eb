// Python-like tracebacks for failure events: the exception described as an event, then formatted as
// `Traceback (most recent call last):`, the file, line and function, the source line, then the error,
// with nested exceptions (std::throw_with_nested) shown as Python shows chained ones.
#include <assay/execution.hpp>
#include <assay/result.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include <cxxabi.h>

#include <assay/detail/internal.hpp>

namespace assay {

namespace {

// How a cause travels inside test_event::message (a plain string, so it crosses process boundaries and
// reads well as it is in a JUnit message); format_traceback puts causes first, as Python does.
constexpr std::string_view cause_marker = "\n\nCaused by: ";

// The type of an exception as written in the source: std::throw_with_nested wraps it in a library type.
std::string exception_type_name(const std::type_info& t) {
  std::string name = detail::demangle(t.name());
  for (std::string_view wrapper : {"std::_Nested_exception<", "std::__1::__nested<", "std::__nested<"}) {
    if (name.size() > wrapper.size() && name.compare(0, wrapper.size(), wrapper) == 0 && name.back() == '>') {
      name = name.substr(wrapper.size(), name.size() - wrapper.size() - 1);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      break;
    }
  }
  return name;
}

// what() as text: a null what() (a broken override) names nothing rather than crash the report.
std::string_view what_of(const std::exception& x) {
  const char* what = x.what();
  return what ? std::string_view(what) : std::string_view();
}

void append_frames(std::string& out, const std::vector<detail::frame>& frames) {
  for (const detail::frame& f : frames) out += f.file + '\t' + std::to_string(f.line) + '\t' + f.function + '\n';
}

// Appends the chain of std::nested_exception causes of `x`, outermost first, and each one's frames.
void append_causes(std::string& message, std::string& frames, const std::exception& x) {
  const std::exception* current = &x;
  for (int depth = 0; current && depth < 100; ++depth) {
    const auto* nested = dynamic_cast<const std::nested_exception*>(current);
    if (!nested || !nested->nested_ptr()) return;
    current = nullptr;
    message += cause_marker;
    try {
      const detail::capture_pause pause;  // the cause keeps the stack of its own throw
      std::rethrow_exception(nested->nested_ptr());
    } catch (const std::exception& inner) {
      message += exception_type_name(typeid(inner));
      if (const std::string_view what = what_of(inner); !what.empty()) {
        message += ": ";
        message += what;
      }
      frames += '\n';
      append_frames(frames, detail::symbolize(dynamic_cast<const void*>(&inner)));
      current = &inner;  // kept alive by the exception_ptr inside `nested`
    } catch (...) {
      const std::type_info* t = abi::__cxa_current_exception_type();
      message += t ? exception_type_name(*t) : std::string("unknown exception");
      frames += '\n';
    }
  }
}

// The source lines from `line`, read when reporting; empty (and skipped) when the file is gone. A statement
// continued on the next lines is quoted whole, as CPython 3.13 does: lines are added while its parentheses
// and square brackets are open (outside string and character literals and // comments; braces are not
// counted, so `TEST(x) {` or `if (c) {` stays one line), up to a few, their common
// indentation removed, each after the first indented by four spaces more than the traceback's.
// A file is read whole and split where its lines end (in one pass: the first report of a Debug build
// pays for it, where a getline per line into strings cost more than reading the debug information).
std::string source_line(const std::string& file, int line) {
  struct source {
    std::string text;
    std::vector<std::string_view> lines;
  };
  static std::map<std::string, source> cache;
  auto [it, added] = cache.try_emplace(file);
  if (added) {
    source& s = it->second;
    if (std::FILE* in = std::fopen(file.c_str(), "rb")) {
      char buffer[65536];
      for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;) s.text.append(buffer, n);
      std::fclose(in);
    }
    for (std::size_t start = 0; start < s.text.size();) {  // as getline splits: no line after a last '\n'
      const std::size_t end = std::min(s.text.find('\n', start), s.text.size());
      s.lines.push_back(std::string_view(s.text).substr(start, end - start));
      start = end + 1;
    }
  }
  const std::vector<std::string_view>& lines = it->second.lines;
  if (line <= 0 || static_cast<std::size_t>(line) > lines.size()) return {};
  constexpr std::size_t max_lines = 8;
  std::vector<std::string_view> quoted;
  int depth = 0;
  for (std::size_t i = static_cast<std::size_t>(line) - 1; i < lines.size() && quoted.size() < max_lines; ++i) {
    std::string_view l = lines[i];
    const std::size_t last = l.find_last_not_of(" \t\r");
    l = last == std::string_view::npos ? std::string_view() : l.substr(0, last + 1);
    quoted.push_back(l);
    char quote = 0;
    for (std::size_t k = 0; k < l.size(); ++k) {
      const char c = l[k];
      if (quote) {
        if (c == '\\') ++k;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '/' && k + 1 < l.size() && l[k + 1] == '/') {
        break;
      } else if (c == '(' || c == '[') {
        ++depth;
      } else if (c == ')' || c == ']') {
        --depth;
      }
    }
    if (depth <= 0) break;
  }
  if (depth > 0) quoted.resize(1);  // never closed within reach: the one line, as before
  std::size_t indent = std::string_view::npos;
  for (std::string_view l : quoted)
    if (!l.empty()) indent = std::min(indent, l.find_first_not_of(" \t"));
  if (indent == std::string_view::npos) return {};
  std::string out;
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (i) out += "\n    ";
    if (quoted[i].size() > indent) out.append(quoted[i].substr(indent));
  }
  // The first line's own indentation beyond the common one is not shown (CPython strips it too).
  const std::size_t first = out.find_first_not_of(" \t");
  return out.substr(first);
}

}  // namespace

namespace detail {
[[gnu::tls_model("initial-exec")]] constinit thread_local int allocations_paused = 0;
}  // namespace detail

bool describe_current_exception(test_event& e) {
  const detail::allocation_pause pause;  // a report's allocations are assay's, not the test's
  std::vector<detail::frame> frames;
  std::string cause_frames;
  try {
    throw;
  } catch (const AssertionError& a) {
    e.type = "AssertionError";
    e.message.assign(a.message().data(), a.message().size());
    if (a.context().size()) e.message.append(detail::context_marker).append(a.context().data(), a.context().size());
    e.file = a.where().file;
    e.line = a.where().line;
    frames = detail::symbolize(dynamic_cast<const void*>(&a));
    // The innermost frame is the assertion's call: its recorded line is exact where DWARF's may not be
    // (a statement over several lines). A stack that does not end there is not shown at all.
    if (!frames.empty() && frames.back().file == e.file) {
      frames.back().line = e.line;
      e.function = frames.back().function;
      append_frames(e.frames, frames);
    }
    return true;
  } catch (const std::exception& x) {
    e.type = exception_type_name(typeid(x));
    e.message = what_of(x);
    frames = detail::symbolize(dynamic_cast<const void*>(&x));
    append_causes(e.message, cause_frames, x);
  } catch (const char* const& s) {
    e.type = "const char*";
    e.message = s ? s : "nullptr";
    frames = detail::symbolize(&s);
  } catch (const std::string& s) {
    e.type = "std::string";
    e.message = s;
    frames = detail::symbolize(&s);
  } catch (const long long& v) {
    e.type = "long long";
    e.message = std::to_string(v);
    frames = detail::symbolize(&v);
  } catch (const long& v) {
    e.type = "long";
    e.message = std::to_string(v);
    frames = detail::symbolize(&v);
  } catch (const int& v) {
    e.type = "int";
    e.message = std::to_string(v);
    frames = detail::symbolize(&v);
  } catch (...) {
    const std::type_info* t = abi::__cxa_current_exception_type();
    e.type = t ? exception_type_name(*t) : "unknown exception";
    e.message = "(not derived from std::exception)";
    frames = detail::symbolize(nullptr);  // the exception being handled, whatever its type
  }
  // An error is blamed on where it was thrown, when that is known.
  if (!frames.empty()) {
    e.file = frames.back().file;
    e.line = frames.back().line;
    e.function = frames.back().function;
  }
  append_frames(e.frames, frames);
  e.frames += cause_frames;
  return false;
}

namespace {

void append_frame(std::string& out, const std::string& file, int line, std::string_view function) {
  out += "  File \"" + file + "\"";
  if (line > 0) out += ", line " + std::to_string(line);
  if (!function.empty()) {
    out += ", in ";
    out.append(function);
  }
  out += "\n";
  const std::string src = source_line(file, line);
  if (!src.empty()) out += "    " + src + "\n";
}

// Appends the frames of one group of test_event::frames (`file\tline\tfunction` lines).
void append_group(std::string& out, std::string_view group) {
  while (!group.empty()) {
    const std::size_t end = group.find('\n');
    std::string_view l = group.substr(0, end);
    group = end == std::string_view::npos ? std::string_view() : group.substr(end + 1);
    const std::size_t tab1 = l.find('\t'), tab2 = l.find('\t', tab1 == l.npos ? 0 : tab1 + 1);
    if (tab2 == std::string_view::npos) continue;
    const int line = std::atoi(std::string(l.substr(tab1 + 1, tab2 - tab1 - 1)).c_str());
    append_frame(out, std::string(l.substr(0, tab1)), line, l.substr(tab2 + 1));
  }
}

}  // namespace

std::string detail::format_frame(const frame& f) {
  std::string out;
  append_frame(out, f.file, f.line, f.function);
  return out;
}

std::string format_traceback(const test_event& e, traceback_style style) {
  if (style == traceback_style::no) return {};
  if (style == traceback_style::line) {
    // pytest's --tb=line: where, and the first line of the error.
    std::string out = e.file.empty() ? std::string("?") : e.file;
    if (e.line > 0) out += ":" + std::to_string(e.line);
    out += ": " + (e.type.empty() ? std::string("Error") : e.type);
    const std::string_view first = std::string_view(e.message).substr(0, e.message.find_first_of("\n"));
    if (!first.empty()) out.append(": ").append(first);
    return out + "\n";
  }
  // The exception being handled when this one was raised comes first, as Python prints __context__ (its
  // traceback cleared, as unittest's assertRaises clears it).
  if (const std::size_t at = e.message.find(detail::context_marker); at != std::string::npos) {
    test_event raised = e;
    raised.message.resize(at);
    return e.message.substr(at + detail::context_marker.size()) +
           "\n\nDuring handling of the above exception, another exception occurred:\n\n" +
           format_traceback(raised, style);
  }
  // The frame groups: the exception's own, then each cause's.
  std::vector<std::string_view> groups;
  if (style == traceback_style::long_ && !e.frames.empty()) {
    const std::string_view all = e.frames;
    std::size_t start = 0;
    for (std::size_t at = 0; at < all.size(); ++at) {
      if (all[at] == '\n' && (at == 0 || all[at - 1] == '\n')) {  // an empty line: the next group
        groups.push_back(all.substr(start, at - start));
        start = at + 1;
      }
    }
    groups.push_back(all.substr(start));
  }
  // Causes first, innermost first, each joined to the next by Python's sentence for `raise … from …`.
  std::string_view message = e.message;
  std::vector<std::string_view> causes;
  if (e.type != "AssertionError") {
    for (std::size_t at; (at = message.rfind(cause_marker)) != std::string_view::npos;) {
      causes.push_back(message.substr(at + cause_marker.size()));
      message = message.substr(0, at);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < causes.size(); ++i) {
    const std::size_t group = causes.size() - i;  // causes[0] is the innermost, the last group
    if (group < groups.size() && !groups[group].empty()) {
      out += "Traceback (most recent call last):\n";
      append_group(out, groups[group]);
    }
    out.append(causes[i]);
    out += "\n\nThe above exception was the direct cause of the following exception:\n\n";
  }
  out += "Traceback (most recent call last):\n";
  if (!groups.empty() && !groups[0].empty()) {
    append_group(out, groups[0]);
  } else if (!e.file.empty()) {
    append_frame(out, e.file, e.line, e.function);
  }
  out += e.type.empty() ? std::string("Error") : e.type;
  if (!message.empty()) {
    out += ": ";
    out.append(message);
  }
  out += "\n";
  return out;
}

}  // namespace assay
