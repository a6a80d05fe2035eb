// The compiled half of assay::mock: failure messages worded as unittest.mock words them, sentinels, the lock's slow path.
#include <assay/mock/mock.hpp>

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include <sched.h>

namespace assay::mock {

const char* mock_error::what() const noexcept { return message_.c_str(); }

sentinel_t sentinel(message name) {
  // Sentinels live for the whole program, as Python's do: a node-based set keeps each name's address stable.
  static std::mutex lock;
  static std::set<std::string, std::less<>> names;
  const std::lock_guard<std::mutex> guard(lock);
  const auto it = names.emplace(name.text.data, name.text.size).first;
  return sentinel_t(it->c_str());
}

namespace detail {

void spinlock::lock_contended() noexcept {
  for (int spins = 0;; ++spins) {
    if (!__atomic_load_n(&locked_, __ATOMIC_RELAXED) && !__atomic_exchange_n(&locked_, true, __ATOMIC_ACQUIRE))
      return;
    if (spins >= 64) sched_yield();
  }
}

namespace {

// Python prints a list of calls with pprint.pformat: on one line if it fits in 80 columns, else one per line.
void write_call_list(writer& w, printable list) {
  writer line;
  line.put('[');
  for (size_type i = 0; i < list.size; ++i) {
    if (i) line.write(", ", 2);
    list.print(line, list.obj, i);
  }
  line.put(']');
  if (line.size() <= 80 || list.size < 2) return w.write(line.data(), line.size());
  w.put('[');
  for (size_type i = 0; i < list.size; ++i) {
    if (i) w.write(",\n ", 3);
    list.print(w, list.obj, i);
  }
  w.put(']');
}

// unittest.mock's _calls_repr: "\nCalls: [call(1), call(2)]." or nothing when there were no calls.
void write_calls_repr(writer& w, printable calls) {
  if (calls.size == 0) return;
  w.write("\nCalls: ");
  write_call_list(w, calls);
  w.put('.');
}

void write_quoted_name(writer& w, const text& name) {
  w.put('\'');
  w.write(name.data(), name.size());
  w.put('\'');
}

// "get_animals(1, \"x\")" from the mock's name and a printed call "call(1, \"x\")".
void write_signature(writer& w, const text& name, printable calls, size_type i) {
  writer c;
  calls.print(c, calls.obj, i);
  w.write(name.data(), name.size());
  w.write(c.data() + 4, c.size() - 4);  // drop "call"
}

void write_expected_signature(writer& w, const text& name, printable expected) {
  w.write(name.data(), name.size());
  w.put('(');
  expected.print(w, expected.obj, 0);
  w.put(')');
}

}  // namespace

void fail(failure kind, const text& name, printable calls, printable expected, location where) {
  writer w;
  switch (kind) {
    case failure::called:
      w.write("Expected ");
      write_quoted_name(w, name);
      w.write(" to have been called.");
      break;
    case failure::called_once:
    case failure::called_once_with:
    case failure::not_called:
      w.write("Expected ");
      write_quoted_name(w, name);
      w.write(kind == failure::called_once        ? " to have been called once. Called "
              : kind == failure::called_once_with ? " to be called once. Called "
                                                  : " to not have been called. Called ");
      w.write_unsigned(calls.size);
      w.write(" times.");
      write_calls_repr(w, calls);
      break;
    case failure::called_with:
      w.write("expected call not found.\nExpected: ");
      write_expected_signature(w, name, expected);
      w.write("\n  Actual: ");
      if (calls.size == 0) {
        w.write("not called.");
      } else {
        write_signature(w, name, calls, calls.size - 1);
      }
      break;
    case failure::any_call:
      write_expected_signature(w, name, expected);
      w.write(" call not found");
      break;
    case failure::has_calls:
      w.write("Calls not found.\nExpected: ");
      write_call_list(w, expected);
      if (calls.size) {
        w.write("\n  Actual: ");
        write_call_list(w, calls);
      }
      break;
    case failure::has_calls_any_order:
      // Python: "'mock' does not contain all of (call(1),) in its call list, found [call(2)] instead"
      write_quoted_name(w, name);
      w.write(" does not contain all of (");
      for (size_type i = 0; i < expected.size; ++i) {
        if (i) w.write(", ", 2);
        expected.print(w, expected.obj, i);
      }
      if (expected.size == 1) w.put(',');
      w.write(") in its call list, found [");
      for (size_type i = 0; i < calls.size; ++i) {
        if (i) w.write(", ", 2);
        calls.print(w, calls.obj, i);
      }
      w.write("] instead");
      break;
  }
  throw AssertionError(w.take(), where);
}

void fail_no_return_value(const text& name, str return_type, bool reference) {
  writer w;
  write_quoted_name(w, name);
  w.write(" was called, but it returns ");
  w.write_type_name(return_type);
  w.write(reference ? ", a reference, and has no return_value: set its return_value or side_effect"
                    : ", which cannot be default-constructed, and has no return_value: set its return_value or "
                      "side_effect");
  throw mock_error(w.take());
}

void fail_exhausted(const text& name, size_type items) {
  writer w;
  write_quoted_name(w, name);
  w.write(" was called more times than its side_effect has items (");
  w.write_unsigned(items);
  w.write("): Python would raise StopIteration");
  throw mock_error(w.take());
}

void write_mock(writer& w, const text& name, mock_style style, const void* address) {
  if (style == mock_style::function) {
    w.write("<function ", 10);
    w.write(name.data(), name.size());
    w.write(" at ", 4);
    w.write_pointer(address);
    return w.put('>');
  }
  w.write("<Mock ", 6);
  if (style == mock_style::named) {
    w.write("name=", 5);
    write_quoted_name(w, name);
    w.put(' ');
  }
  w.write("id='", 4);
  w.write_pointer(address);
  w.write("'>", 2);
}

void write_class_mock(writer& w, str interface_name, const void* address) {
  std::string_view spec(interface_name.data, interface_name.size);
  const std::size_t args = spec.find('<');
  const std::size_t colon = spec.rfind("::", args);
  if (colon != std::string_view::npos) spec.remove_prefix(colon + 2);
  w.write("<Mock spec='", 12);
  w.write(spec.data(), spec.size());
  w.write("' id='", 6);
  w.write_pointer(address);
  w.write("'>", 2);
}

text name_from_pretty(str pretty) {
  // g++: "... [with auto& F = zoo::get_animals]"; clang: "... [F = zoo::get_animals]".
  std::string_view s(pretty.data, pretty.size);
  const std::size_t at = s.rfind(" = ");
  if (at != std::string_view::npos) s.remove_prefix(at + 3);
  const std::size_t end = s.find_first_of("];");
  if (end != std::string_view::npos) s = s.substr(0, end);
  while (!s.empty() && (s.front() == '&' || s.front() == '(')) s.remove_prefix(1);
  while (!s.empty() && s.back() == ')') s.remove_suffix(1);
  const std::size_t colon = s.rfind("::");
  if (colon != std::string_view::npos) s.remove_prefix(colon + 2);
  return text(s.data(), s.size());
}

}  // namespace detail
}  // namespace assay::mock
