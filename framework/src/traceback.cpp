// Python-like tracebacks for failure events: the file, line and function, the source line, then the error.
#include <assay/result.hpp>

#include <fstream>
#include <map>

namespace assay {

namespace {

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

std::string format_traceback(const test_event& e) {
  std::string out = "Traceback (most recent call last):\n";
  if (!e.file.empty()) {
    out += "  File \"" + e.file + "\"";
    if (e.line > 0) out += ", line " + std::to_string(e.line);
    if (!e.function.empty()) out += ", in " + e.function;
    out += "\n";
    const std::string src = source_line(e.file, e.line);
    if (!src.empty()) out += "    " + src + "\n";
  }
  out += e.type.empty() ? std::string("Error") : e.type;
  if (!e.message.empty()) out += ": " + e.message;
  out += "\n";
  return out;
}

}  // namespace assay
