// The direct DWARF readers of tracebacks (framework/src/dwarf_reader.cpp) against libdw's own, over every
// unit of real binaries (the selftest binary, the traceback suite at -O2 and with DWARF 4): at sampled
// addresses of each unit, the same unit, the same line row and file, and a function among those libdw's
// walk finds there; the same unit path and file table.
#include <assay/assay.hpp>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dwarf_reader.hpp"

namespace {

using assay::detail::dwarf::lookup;
using assay::detail::dwarf::module_sections;
using assay::detail::dwarf::unit_reader;

struct code_range {
  Dwarf_Addr low, high;
  Dwarf_Off die;
};

// Where each function of a unit lies, walked with libdw as stack.cpp's index_functions walks it.
void index_functions(Dwarf_Die* parent, bool in_function, std::vector<code_range>& out) {
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0) return;
  do {
    const int tag = dwarf_tag(&child);
    const bool code = tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block;
    if (tag == DW_TAG_subprogram) {
      Dwarf_Addr base = 0, low = 0, high = 0;
      for (std::ptrdiff_t at = 0; (at = dwarf_ranges(&child, at, &base, &low, &high)) > 0;)
        if (low != 0) out.push_back(code_range{low, high, dwarf_dieoffset(&child)});
    }
    const bool type = tag == DW_TAG_class_type || tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
    const bool container = code || tag == DW_TAG_namespace || (type && in_function);
    if (container && dwarf_haschildren(&child)) index_functions(&child, in_function || code, out);
  } while (dwarf_siblingof(&child, &child) == 0);
}

// The ranges holding pc, of ranges sorted by their start that do not overlap but for copies of one another.
std::vector<Dwarf_Off> holding(const std::vector<code_range>& sorted, Dwarf_Addr pc) {
  std::vector<Dwarf_Off> out;
  auto it = std::upper_bound(sorted.begin(), sorted.end(), pc,
                             [](Dwarf_Addr a, const code_range& r) { return a < r.low; });
  while (it != sorted.begin()) {
    --it;
    if (pc < it->high) out.push_back(it->die);
    else if (out.empty() || it->low != sorted[static_cast<std::size_t>(it - sorted.begin()) + 1].low) break;
  }
  return out;
}

void sort_by_start(std::vector<code_range>& ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const code_range& a, const code_range& b) { return a.low < b.low; });
}

std::string joined(const char* directory, const char* name) {
  return name[0] == '/' || !directory ? std::string(name) : std::string(directory) + '/' + name;
}

// The units libdw says hold an address: by .debug_aranges (all its entries, read once), else by their own
// ranges. (A linker points the entries of an inline function a unit emits and another's copy replaced at
// that copy: several units hold its address.)
struct libdw_units {
  explicit libdw_units(Dwarf* dwarf) : dwarf_(dwarf) {
    Dwarf_Aranges* aranges = nullptr;
    std::size_t count = 0;
    if (dwarf_getaranges(dwarf, &aranges, &count) != 0) return;
    for (std::size_t i = 0; i < count; ++i) {
      Dwarf_Addr start = 0;
      Dwarf_Word length = 0;
      Dwarf_Off die = 0;
      Dwarf_Die cu;
      if (dwarf_getarangeinfo(dwarf_onearange(aranges, i), &start, &length, &die) == 0 && start != 0 &&
          dwarf_offdie(dwarf, die, &cu))
        entries_.push_back(code_range{start, start + length, die - dwarf_cuoffset(&cu)});
    }
    sort_by_start(entries_);
  }
  std::vector<Dwarf_Off> at(Dwarf_Addr pc) const {
    std::vector<Dwarf_Off> units = holding(entries_, pc);
    if (!units.empty()) return units;
    std::size_t header = 0;
    for (Dwarf_Off off = 0, next = 0; dwarf_nextcu(dwarf_, off, &next, &header, nullptr, nullptr, nullptr) == 0;
         off = next) {
      Dwarf_Die cu;
      if (dwarf_offdie(dwarf_, off + header, &cu) && dwarf_haspc(&cu, pc) == 1) units.push_back(off);
    }
    return units;
  }

 private:
  Dwarf* dwarf_;
  std::vector<code_range> entries_;  // each .debug_aranges entry, and its unit
};

struct counts {
  int units = 0, addresses = 0, functions = 0;
};

class DwarfReader : public assay::TestCase<DwarfReader> {
 protected:
  counts check_binary(const char* path) {
    counts n;
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    assertGreaterEqual(fd, 0, path);
    Dwarf* dwarf = dwarf_begin(fd, DWARF_C_READ);
    assertTrue(dwarf != nullptr, path);
    module_sections sections(dwarf, nullptr);
    const libdw_units units(dwarf);
    std::size_t header = 0;
    for (Dwarf_Off off = 0, next = 0; dwarf_nextcu(dwarf, off, &next, &header, nullptr, nullptr, nullptr) == 0;
         off = next) {
      Dwarf_Die cu;
      if (!dwarf_offdie(dwarf, off + header, &cu) || dwarf_tag(&cu) != DW_TAG_compile_unit) continue;
      ++n.units;
      check_unit(units, sections, off, &cu, n);
    }
    dwarf_end(dwarf);
    ::close(fd);
    return n;
  }

  void check_unit(const libdw_units& libdw, module_sections& sections, Dwarf_Off off, Dwarf_Die* cu, counts& n) {
    unit_reader reader(sections, off);
    const char* name = dwarf_diename(cu);
    Dwarf_Attribute attribute;
    const char* directory = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attribute));
    const std::string unit = name ? joined(directory, name) : std::string("?");
    if (name) assertEqual(reader.path() ? std::string(reader.path()) : std::string(), unit);

    Dwarf_Files* files = nullptr;
    std::size_t file_count = 0;
    if (dwarf_getsrcfiles(cu, &files, &file_count) == 0) {
      assertEqual(reader.file_names() == lookup::found, true, unit);
      for (std::size_t i = 0; i < file_count + 1; ++i) {
        const char* expected = dwarf_filesrc(files, i, nullptr, nullptr);
        const char* actual = reader.file_name(i);
        assertEqual(actual ? std::string(actual) : "(none)", expected ? std::string(expected) : "(none)", unit);
      }
    }

    std::vector<code_range> functions;
    index_functions(cu, false, functions);
    sort_by_start(functions);
    Dwarf_Lines* lines = nullptr;
    std::size_t line_count = 0;
    if (dwarf_getsrclines(cu, &lines, &line_count) != 0) return;
    // Where a row lies at its sequence's very end: libdw (its rows sorted, an end before the rows at its
    // address) stretches it past the end, over the padding up to the next row of any sequence, unless it
    // is the unit's last (then libdw marks it an end itself); the readers hold its own address to it and
    // no more. No return address lies there (a return address is at the end of the call before it, pc - 1
    // inside it): those addresses are not compared.
    std::vector<Dwarf_Addr> stretched;
    for (std::size_t i = 1; i < line_count; ++i) {
      Dwarf_Addr a = 0, b = 0;
      bool end = false;
      dwarf_lineaddr(dwarf_onesrcline(lines, i - 1), &a);
      dwarf_lineaddr(dwarf_onesrcline(lines, i), &b);
      dwarf_lineendsequence(dwarf_onesrcline(lines, i - 1), &end);
      if (end && a == b) stretched.push_back(a);
    }
    for (std::size_t i = 0; i < line_count; i += 11) {
      Dwarf_Addr row = 0;
      // (Not in the first page: the code the linker dropped lies there, its sequences starting at 0, which
      // the readers skip and libdw does not.)
      if (dwarf_lineaddr(dwarf_onesrcline(lines, i), &row) != 0 || row < 0x1000) continue;
      for (const Dwarf_Addr pc : {row, row + 1}) {
        ++n.addresses;
        const std::string where = unit + " at 0x" + to_hex(pc);
        // The line row.
        Dwarf_Line* expected = dwarf_getsrc_die(cu, pc);
        Dwarf_Addr expected_address = 0;
        const auto at_an_end = [&](Dwarf_Addr a) {
          return std::find(stretched.begin(), stretched.end(), a) != stretched.end();
        };
        if (at_an_end(pc) ||
            (expected && dwarf_lineaddr(expected, &expected_address) == 0 && at_an_end(expected_address)))
          continue;
        std::uint64_t file = 0;
        int number = 0;
        const lookup line = reader.line_at(pc, file, number);
        assertEqual(line == lookup::found, expected != nullptr, where);
        if (expected) {
          int expected_number = 0;
          dwarf_lineno(expected, &expected_number);
          const char* expected_file = dwarf_linesrc(expected, nullptr, nullptr);
          assertEqual(number, expected_number, where);
          const char* actual_file = reader.file_name(file);
          assertEqual(actual_file ? std::string(actual_file) : "(none)",
                      expected_file ? std::string(expected_file) : "(none)", where);
        }
        // The function: one of those libdw's walk finds there.
        const std::vector<Dwarf_Off> around = holding(functions, pc);
        Dwarf_Off function = 0;
        const lookup found = reader.function_at(pc, function);
        assertEqual(found == lookup::found, !around.empty(), where);
        if (found == lookup::found) {
          ++n.functions;
          assertIn(function, around, where);
        }
        // The unit: one of those libdw says hold pc.
        const std::vector<Dwarf_Off> units = libdw.at(pc);
        Dwarf_Off actual_unit = 0;
        const lookup held = sections.unit_at(pc, actual_unit);
        assertEqual(held == lookup::found, !units.empty(), where);
        if (held == lookup::found) assertIn(actual_unit, units, where);
      }
    }
  }

  static std::string to_hex(Dwarf_Addr a) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    do s.insert(s.begin(), digits[a & 15]);
    while (a >>= 4);
    return s;
  }

  void check(const char* path) {
    const counts n = check_binary(path);
    assertGreater(n.units, 0, path);
    assertGreater(n.functions, 0, path);
  }

  TEST(test_the_selftest_binary) { check(ASSAY_DWARF_CHECK_SELFTEST); }
  TEST(test_an_optimised_binary) { check(ASSAY_DWARF_CHECK_OPTIMISED); }
  TEST(test_a_dwarf_4_binary) { check(ASSAY_DWARF_CHECK_DWARF4); }
};

}  // namespace
