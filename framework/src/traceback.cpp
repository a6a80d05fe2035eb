// Python-like tracebacks for failure events: the exception described as an event, then formatted as
// `Traceback (most recent call last):`, the file, line and function, the source line, then the error,
// with nested exceptions (std::throw_with_nested) shown as Python shows chained ones.
#include <assay/execution.hpp>
#include <assay/result.hpp>

#include <exception>
#include <fstream>
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

// Appends the chain of std::nested_exception causes of `x`, outermost first.
void append_causes(std::string& message, const std::exception& x) {
  const std::exception* current = &x;
  for (int depth = 0; current && depth < 100; ++depth) {
    const auto* nested = dynamic_cast<const std::nested_exception*>(current);
    if (!nested || !nested->nested_ptr()) return;
    current = nullptr;
    message += cause_marker;
    try {
      std::rethrow_exception(nested->nested_ptr());
    } catch (const std::exception& inner) {
      message += exception_type_name(typeid(inner));
      if (const std::string_view what = what_of(inner); !what.empty()) {
        message += ": ";
        message += what;
      }
      current = &inner;  // kept alive by the exception_ptr inside `nested`
    } catch (...) {
      const std::type_info* t = abi::__cxa_current_exception_type();
      message += t ? exception_type_name(*t) : std::string("unknown exception");
    }
  }
}

// The source line, read when reporting; empty (and skipped) when the file is gone.
std::string source_line(const std::string& file, int line) {
  static std::map<std::string, std::vector<std::string>> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    it = cache.emplace(file, std::move(lines)).first;
  }
  if (line <= 0 || static_cast<std::size_t>(line) > it->second.size()) return {};
  const std::string& l = it->second[static_cast<std::size_t>(line) - 1];
  const std::size_t first = l.find_first_not_of(" \t");
  const std::size_t last = l.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : l.substr(first, last - first + 1);
}

}  // namespace

bool describe_current_exception(test_event& e) {
  try {
    throw;
  } catch (const AssertionError& a) {
    e.type = "AssertionError";
    e.message.assign(a.message().data(), a.message().size());
    if (a.context().size()) e.message.append(detail::context_marker).append(a.context().data(), a.context().size());
    e.file = a.where().file;
    e.line = a.where().line;
    return true;
  } catch (const std::exception& x) {
    e.type = exception_type_name(typeid(x));
    e.message = what_of(x);
    append_causes(e.message, x);
  } catch (const char* s) {
    e.type = "const char*";
    e.message = s ? s : "nullptr";
  } catch (const std::string& s) {
    e.type = "std::string";
    e.message = s;
  } catch (long long v) {
    e.type = "long long";
    e.message = std::to_string(v);
  } catch (long v) {
    e.type = "long";
    e.message = std::to_string(v);
  } catch (int v) {
    e.type = "int";
    e.message = std::to_string(v);
  } catch (...) {
    const std::type_info* t = abi::__cxa_current_exception_type();
    e.type = t ? exception_type_name(*t) : "unknown exception";
    e.message = "(not derived from std::exception)";
  }
  return false;
}

std::string format_traceback(const test_event& e) {
  // The exception being handled when this one was raised comes first, as Python prints __context__ (its
  // traceback cleared, as unittest's assertRaises clears it).
  if (const std::size_t at = e.message.find(detail::context_marker); at != std::string::npos) {
    test_event raised = e;
    raised.message.resize(at);
    return e.message.substr(at + detail::context_marker.size()) +
           "\n\nDuring handling of the above exception, another exception occurred:\n\n" + format_traceback(raised);
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
  for (std::string_view cause : causes) {
    out.append(cause);
    out += "\n\nThe above exception was the direct cause of the following exception:\n\n";
  }
  out += "Traceback (most recent call last):\n";
  if (!e.file.empty()) {
    out += "  File \"" + e.file + "\"";
    if (e.line > 0) out += ", line " + std::to_string(e.line);
    if (!e.function.empty()) out += ", in " + e.function;
    out += "\n";
    const std::string src = source_line(e.file, e.line);
    if (!src.empty()) out += "    " + src + "\n";
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
