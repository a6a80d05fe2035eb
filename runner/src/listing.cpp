// The machine listing for assay_discover_tests and selection by exact id, robust to any character in a name.
#include <assay/listing.hpp>

#include <algorithm>
#include <set>

#include <assay/loader.hpp>

namespace assay {

std::string encode_list_field(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c == '%' || c == ';' || c == '[' || c == ']' || c == '\\') {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

void write_ctest_listing(std::FILE* out, const std::vector<const test_info*>& tests) {
  // The leading newline ends any unterminated line printed before main, so the marker starts a line.
  std::fprintf(out, "\n%s\n", list_begin_marker);
  for (const test_info* t : tests) {
    std::string tags;  // identifiers: nothing to encode
    for (const std::string_view tag : t->tags) tags.append(tags.empty() ? "" : ",").append(tag);
    std::fprintf(out, "%s\t%s\t%s\t%s\t%d\t%s\n", encode_list_field(t->id).c_str(),
                 encode_list_field(t->module->name).c_str(),
                 encode_list_field(t->module->name + "." + t->cls->name).c_str(), encode_list_field(t->file).c_str(),
                 t->line, tags.c_str());
  }
  std::fprintf(out, "%s\n", list_end_marker);
  std::fflush(out);
}

std::vector<const test_info*> select_exact(const std::vector<test_info*>& tests, const std::vector<std::string>& ids,
                                           const std::vector<std::string>& patterns, std::string& error) {
  std::vector<const test_info*> chosen;
  std::set<const test_info*> seen;
  for (const std::string& id : ids) {
    bool any = false;
    for (const test_info* t : tests) {
      if (t->id != id && t->module->name + "." + t->cls->name != id && t->module->name != id) continue;
      any = true;
      const bool kept = patterns.empty() || std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
                          return matches_pattern(p, t->id);
                        });
      if (kept && seen.insert(t).second) chosen.push_back(t);
    }
    if (!any) {
      error = no_match_error("no test has the id", id, tests);
      return {};
    }
  }
  return chosen;
}

}  // namespace assay
