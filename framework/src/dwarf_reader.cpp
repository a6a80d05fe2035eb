// Reading .debug_aranges, a unit's DIE, abbreviations, line program and range lists straight from their
// sections (DWARF 2 to 5, as g++ and clang emit them), for the answers stack.cpp needs.
// Only with libdw (ASSAY_HAVE_LIBDW): a build without it (Bazel's, ASSAY_USE_LIBDW=OFF) links no libelf.
#ifdef ASSAY_HAVE_LIBDW
#include "dwarf_reader.hpp"

#include <dwarf.h>
#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <bit>
#include <cstring>

namespace assay::detail::dwarf {

// Bounds-checked reading of little-endian data; past the end, everything reads as zero and ok turns false.
struct cursor {
  const unsigned char* p;
  const unsigned char* end;
  bool ok = true;

  bool has(std::size_t n) {
    if (static_cast<std::size_t>(end - p) >= n) return true;
    ok = false;
    p = end;
    return false;
  }
  // A unit's initial length (DWARF 5, 7.4): 32-bit, or 64-bit after 0xffffffff; `offset_size` says which.
  // False for a reserved value or a unit that runs past the section.
  bool initial_length(std::uint64_t& length, std::uint8_t& offset_size) {
    length = fixed(4);
    offset_size = 4;
    if (length == 0xffffffff) {
      length = fixed(8);
      offset_size = 8;
    } else if (length >= 0xfffffff0) {
      return false;
    }
    return has(static_cast<std::size_t>(length));
  }
  std::uint64_t fixed(std::size_t n) {  // n <= 8
    if (!has(n)) return 0;
    const unsigned char* at = p;
    p += n;
    return load(at, n);
  }
  // (Each size its own copy: a memcpy of a size the compiler does not know is a call.)
  static std::uint64_t load(const unsigned char* at, std::size_t n) {
    std::uint64_t v8 = 0;
    std::uint32_t v4 = 0;
    std::uint16_t v2 = 0;
    switch (n) {
      case 8:
        std::memcpy(&v8, at, 8);
        return v8;
      case 4:
        std::memcpy(&v4, at, 4);
        return v4;
      case 2:
        std::memcpy(&v2, at, 2);
        return v2;
      case 1:
        return *at;
      case 0:
        return 0;
      default:
        for (std::size_t i = n; i-- > 0;) v8 = v8 << 8 | at[i];
        return v8;
    }
  }
  std::uint8_t byte() { return has(1) ? *p++ : 0; }
  void skip(std::uint64_t n) {
    if (has(static_cast<std::size_t>(n))) p += n;
  }
  std::uint64_t uleb() {
    // Most values take one byte or two (a length in a range list).
    if (p < end && *p < 0x80) return *p++;
    if (end - p >= 2 && p[1] < 0x80) {
      const std::uint64_t v = (p[0] & 0x7fu) | std::uint64_t{p[1]} << 7;
      p += 2;
      return v;
    }
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (!has(1)) return 0;
      const unsigned char b = *p++;
      if (shift < 64) v |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return v;
    }
  }
  std::int64_t sleb() {
    std::uint64_t v = 0;
    unsigned shift = 0;
    unsigned char b = 0;
    do {
      if (!has(1)) return 0;
      b = *p++;
      if (shift < 64) v |= std::uint64_t{b & 0x7fu} << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) v |= ~std::uint64_t{0} << shift;
    return static_cast<std::int64_t>(v);
  }
  const char* string() {
    const void* nul = p < end ? std::memchr(p, 0, static_cast<std::size_t>(end - p)) : nullptr;
    if (!nul) {
      ok = false;
      p = end;
      return nullptr;
    }
    const char* s = reinterpret_cast<const char*>(p);
    p = static_cast<const unsigned char*>(nul) + 1;
    return s;
  }
};

namespace {

// The string at `offset` of a string section (.debug_str, .debug_line_str), if it ends there.
const char* string_at(const section& s, std::uint64_t offset) {
  if (!s.data || offset >= s.size || !std::memchr(s.data + offset, 0, s.size - offset)) return nullptr;
  return reinterpret_cast<const char*>(s.data + offset);
}

// The size of an attribute's value by its form: its bytes when fixed, else one of these.
constexpr int variable = -1, unknown = -2;
int fixed_size(unsigned form, std::uint8_t address_size, std::uint8_t offset_size, Dwarf_Half version) {
  switch (form) {
    case DW_FORM_flag_present:
    case DW_FORM_implicit_const:
      return 0;
    case DW_FORM_data1:
    case DW_FORM_ref1:
    case DW_FORM_flag:
    case DW_FORM_strx1:
    case DW_FORM_addrx1:
      return 1;
    case DW_FORM_data2:
    case DW_FORM_ref2:
    case DW_FORM_strx2:
    case DW_FORM_addrx2:
      return 2;
    case DW_FORM_strx3:
    case DW_FORM_addrx3:
      return 3;
    case DW_FORM_data4:
    case DW_FORM_ref4:
    case DW_FORM_ref_sup4:
    case DW_FORM_strx4:
    case DW_FORM_addrx4:
      return 4;
    case DW_FORM_data8:
    case DW_FORM_ref8:
    case DW_FORM_ref_sig8:
    case DW_FORM_ref_sup8:
      return 8;
    case DW_FORM_data16:
      return 16;
    case DW_FORM_addr:
      return address_size;
    case DW_FORM_ref_addr:
      return version == 2 ? address_size : offset_size;
    case DW_FORM_strp:
    case DW_FORM_line_strp:
    case DW_FORM_sec_offset:
    case DW_FORM_strp_sup:
    case DW_FORM_GNU_ref_alt:
    case DW_FORM_GNU_strp_alt:
      return offset_size;
    case DW_FORM_udata:
    case DW_FORM_sdata:
    case DW_FORM_ref_udata:
    case DW_FORM_strx:
    case DW_FORM_addrx:
    case DW_FORM_loclistx:
    case DW_FORM_rnglistx:
    case DW_FORM_GNU_addr_index:
    case DW_FORM_GNU_str_index:
    case DW_FORM_string:
    case DW_FORM_block:
    case DW_FORM_block1:
    case DW_FORM_block2:
    case DW_FORM_block4:
    case DW_FORM_exprloc:
      return variable;
    default:
      return unknown;  // DW_FORM_indirect among them
  }
}

// Reads an attribute's value (an integer, an offset or an address index; zero for strings and blocks),
// stepping over it; false for a form not read here.
bool read_value(cursor& c, unsigned form, std::int64_t implicit, std::uint8_t address_size,
                std::uint8_t offset_size, Dwarf_Half version, std::uint64_t& value) {
  const int size = fixed_size(form, address_size, offset_size, version);
  if (size >= 0) {
    value = form == DW_FORM_implicit_const ? static_cast<std::uint64_t>(implicit)
            : size <= 8                    ? c.fixed(static_cast<std::size_t>(size))
                                           : (c.skip(static_cast<std::uint64_t>(size)), 0);
    return true;
  }
  value = 0;
  switch (form) {
    case DW_FORM_sdata:
      value = static_cast<std::uint64_t>(c.sleb());
      return true;
    case DW_FORM_string:
      c.string();
      return true;
    case DW_FORM_block:
    case DW_FORM_exprloc:
      c.skip(c.uleb());
      return true;
    case DW_FORM_block1:
      c.skip(c.fixed(1));
      return true;
    case DW_FORM_block2:
      c.skip(c.fixed(2));
      return true;
    case DW_FORM_block4:
      c.skip(c.fixed(4));
      return true;
    case DW_FORM_udata:
    case DW_FORM_ref_udata:
    case DW_FORM_strx:
    case DW_FORM_addrx:
    case DW_FORM_loclistx:
    case DW_FORM_rnglistx:
    case DW_FORM_GNU_addr_index:
    case DW_FORM_GNU_str_index:
      value = c.uleb();
      return true;
    default:
      return false;
  }
}

bool is_address_index(unsigned form) {
  return form == DW_FORM_addrx || form == DW_FORM_addrx1 || form == DW_FORM_addrx2 || form == DW_FORM_addrx3 ||
         form == DW_FORM_addrx4 || form == DW_FORM_GNU_addr_index;
}

// A line table's path, as libdw joins it: absolute as it is, else after its directory (if known).
std::string joined(const char* directory, const char* name) {
  if (name[0] == '/' || !directory) return name;
  std::string path = directory;
  path += '/';
  path += name;
  return path;
}

}  // namespace

module_sections::module_sections(Dwarf* dwarf, bool (*hidden)(const char* path)) : dwarf_(dwarf), hidden_(hidden) {
  Elf* elf = dwarf ? dwarf_getelf(dwarf) : nullptr;
  GElf_Ehdr header;
  std::size_t names = 0;
  if (!elf || !gelf_getehdr(elf, &header) || elf_getshdrstrndx(elf, &names) != 0) return;
  if (std::endian::native != std::endian::little || header.e_ident[EI_DATA] != ELFDATA2LSB ||
      header.e_type == ET_REL)  // an object file's sections need its relocations first
    return;
  const struct {
    const char* name;
    section* into;
  } wanted[] = {{".debug_info", &info_},         {".debug_abbrev", &abbrev_}, {".debug_line", &line_},
                {".debug_line_str", &line_str_}, {".debug_str", &str_},       {".debug_str_offsets", &str_offsets_},
                {".debug_aranges", &aranges_},   {".debug_addr", &addr_},     {".debug_ranges", &ranges_},
                {".debug_rnglists", &rnglists_}};
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    const char* name = gelf_getshdr(scn, &sh) ? elf_strptr(elf, names, sh.sh_name) : nullptr;
    // (libdw has decompressed a compressed section in place; a .zdebug_ one is not named here.)
    if (!name || sh.sh_type == SHT_NOBITS || (sh.sh_flags & SHF_COMPRESSED)) continue;
    for (const auto& w : wanted) {
      if (std::strcmp(name, w.name) != 0) continue;
      if (Elf_Data* data = elf_getdata(scn, nullptr); data && data->d_buf)
        *w.into = section{static_cast<const unsigned char*>(data->d_buf), data->d_size};
    }
  }
  readable_ = true;
}

namespace {

// The span of a unit's .debug_aranges entries, from `p` to their closing (0, 0) (returned), or to `end`.
template <class Address>
const unsigned char* span(const unsigned char* p, const unsigned char* end, Dwarf_Addr& low, Dwarf_Addr& high) {
  for (; static_cast<std::size_t>(end - p) >= 2 * sizeof(Address); p += 2 * sizeof(Address)) {
    Address entry[2];
    std::memcpy(entry, p, sizeof entry);
    if (entry[0] == 0) {
      if (entry[1] == 0) break;
      continue;  // code the linker dropped (an inline function kept from another unit)
    }
    low = std::min<Dwarf_Addr>(low, entry[0]);
    high = std::max<Dwarf_Addr>(high, Dwarf_Addr{entry[0]} + entry[1]);
  }
  return p;
}

}  // namespace

bool module_sections::read_aranges() {
  if (aranges_read_ != 0) return aranges_read_ > 0;
  aranges_read_ = -1;
  if (!readable_ || !aranges_.data) return false;
  cursor c{aranges_.data, aranges_.data + aranges_.size};
  while (c.p < c.end) {
    const unsigned char* set = c.p;
    std::uint64_t length = 0;
    std::uint8_t offset_size = 4;
    if (!c.initial_length(length, offset_size)) return false;
    cursor s{c.p, c.p + length};
    c.p += length;
    const std::uint64_t version = s.fixed(2);
    const std::uint64_t unit = s.fixed(offset_size);
    const std::uint8_t address_size = s.byte();
    const std::uint8_t segment_size = s.byte();
    if (!s.ok || version != 2 || segment_size != 0 || (address_size != 4 && address_size != 8)) return false;
    // The entries start at a multiple of their own size from the set's start, and end at (0, 0).
    const std::size_t entry = 2u * address_size;
    const unsigned char* p = set + (static_cast<std::size_t>(s.p - set) + entry - 1) / entry * entry;
    if (p > s.end) return false;
    arange_set a{p, p, address_size, unit, ~Dwarf_Addr{0}, 0};
    a.end = address_size == 8 ? span<std::uint64_t>(p, s.end, a.low, a.high)
                              : span<std::uint32_t>(p, s.end, a.low, a.high);
    if (a.low < a.high) sets_.push_back(a);
  }
  aranges_read_ = 1;
  return true;
}

lookup module_sections::unit_at(Dwarf_Addr pc, Dwarf_Off& unit) {
  const bool aranges = read_aranges();
  for (const arange_set& a : sets_) {
    if (pc < a.low || pc >= a.high) continue;
    const std::size_t entry = 2u * a.address_size;
    for (const unsigned char* p = a.entries; p < a.end; p += entry) {
      const std::uint64_t start = cursor::load(p, a.address_size);
      const std::uint64_t size = cursor::load(p + a.address_size, a.address_size);
      if (start != 0 && start <= pc && pc - start < size) {
        unit = a.unit;
        return lookup::found;
      }
    }
  }
  if (!readable_ || !info_.data || failed_) return aranges ? lookup::absent : lookup::unsupported;
  const lookup held = unit_ranges_at(pc, unit);
  if (held == lookup::unsupported) failed_ = true;  // libdw reads them all from now on
  return held == lookup::unsupported && aranges ? lookup::absent : held;
}

// The unit whose own ranges hold pc: the lists of the units read before (kept as clusters of ranges, those
// less than a few bytes apart joined; a cluster holding pc is confirmed by the unit's list), then those of
// the next units, one after the other. (clang's lists hold a range per inline function a unit keeps.)
lookup module_sections::unit_ranges_at(Dwarf_Addr pc, Dwarf_Off& unit) {
  std::vector<unit_reader::range> ranges;
  ranges.reserve(1024);
  for (const unit_range& c : clusters_) {
    if (pc < c.low || pc >= c.high) continue;
    ranges.clear();
    if (unit_reader(*this, c.unit).unit_ranges(ranges) == lookup::unsupported) return lookup::unsupported;
    for (const unit_reader::range& r : ranges)
      if (r.low != 0 && r.low <= pc && pc < r.high) {  // (0: code the linker dropped)
        unit = c.unit;
        return lookup::found;
      }
  }
  constexpr Dwarf_Addr near = 64;
  while (next_unit_ < info_.size) {
    const Dwarf_Off u = next_unit_;
    const unit_reader reader(*this, u);
    if (reader.next_unit() == 0) return lookup::unsupported;
    next_unit_ = reader.next_unit();
    if (!reader.holds_code()) continue;
    if (reader.path() && hidden_ && hidden_(reader.path())) continue;  // (an address there has no frame shown)
    ranges.clear();
    if (reader.unit_ranges(ranges) == lookup::unsupported) return lookup::unsupported;
    bool holds = false;
    const std::size_t first = clusters_.size();
    for (const unit_reader::range& r : ranges) {
      if (r.low == 0 || r.low >= r.high) continue;
      holds = holds || (r.low <= pc && pc < r.high);
      if (clusters_.size() > first && r.low >= clusters_.back().high && r.low - clusters_.back().high < near)
        clusters_.back().high = r.high;
      else
        clusters_.push_back(unit_range{r.low, r.high, u});
    }
    if (holds) {
      unit = u;
      return lookup::found;
    }
  }
  return lookup::absent;
}

unit_reader::unit_reader(const module_sections& sections, Dwarf_Off unit) : s_(sections) {
  if (!s_.readable_ || !s_.info_.data || !s_.abbrev_.data || unit >= s_.info_.size) return;
  cursor c{s_.info_.data + unit, s_.info_.data + s_.info_.size};
  std::uint64_t length = 0;
  if (!c.initial_length(length, offset_size_)) return;
  c.end = c.p + length;
  version_ = static_cast<Dwarf_Half>(c.fixed(2));
  if (!c.ok || version_ < 2 || version_ > 5) return;
  unit_start_ = unit;
  unit_end_ = static_cast<Dwarf_Off>(c.end - s_.info_.data);
  if (version_ == 5) {
    // A type or partial unit holds no code; a split or skeleton unit's DIEs are elsewhere (a .dwo file):
    // libdw's.
    const std::uint8_t type = c.byte();
    code_ = type != DW_UT_type && type != DW_UT_split_type && type != DW_UT_partial;
    if (type != DW_UT_compile) return;
    address_size_ = c.byte();
    abbrev_offset_ = c.fixed(offset_size_);
  } else {
    abbrev_offset_ = c.fixed(offset_size_);
    address_size_ = c.byte();
  }
  if (!c.ok || (address_size_ != 4 && address_size_ != 8) || abbrev_offset_ >= s_.abbrev_.size) return;
  read_unit_die(static_cast<Dwarf_Off>(c.p - s_.info_.data));
}

// The attributes of the abbreviation at `c` (after its tag and children flag), up to its closing (0, 0).
bool unit_reader::read_attributes(cursor& c, std::vector<attribute>& out) const {
  for (;;) {
    const auto name = static_cast<unsigned>(c.uleb());
    const auto form = static_cast<unsigned>(c.uleb());
    const std::int64_t implicit = form == DW_FORM_implicit_const ? c.sleb() : 0;
    if (!c.ok) return false;
    if (name == 0 && form == 0) return true;
    const int size = fixed_size(form, address_size_, offset_size_, version_);
    if (size == unknown) return false;
    out.push_back(attribute{name, form, size, implicit});
  }
}

const char* unit_reader::string(unsigned form, std::uint64_t value, const unsigned char* inline_string) const {
  switch (form) {
    case DW_FORM_string:
      return reinterpret_cast<const char*>(inline_string);
    case DW_FORM_strp:
      return string_at(s_.str_, value);
    case DW_FORM_line_strp:
      return string_at(s_.line_str_, value);
    case DW_FORM_strx:
    case DW_FORM_strx1:
    case DW_FORM_strx2:
    case DW_FORM_strx3:
    case DW_FORM_strx4: {
      const std::uint64_t at = str_offsets_base_ + value * offset_size_;
      if (!has_str_offsets_base_ || !s_.str_offsets_.data || at > s_.str_offsets_.size ||
          s_.str_offsets_.size - at < offset_size_)
        return nullptr;
      return string_at(s_.str_, cursor::load(s_.str_offsets_.data + at, offset_size_));
    }
    default:
      return nullptr;
  }
}

// The unit DIE's attributes that say where the rest is: its name and directory, its line program, the
// bases of its address and string tables.
void unit_reader::read_unit_die(Dwarf_Off die) {
  cursor c{s_.info_.data + die, s_.info_.data + unit_end_};
  const std::uint64_t code = c.uleb();
  if (!c.ok || code == 0) return;
  // Its abbreviation, found by stepping over the others (g++ numbers the unit's among the last).
  cursor table{s_.abbrev_.data + abbrev_offset_, s_.abbrev_.data + s_.abbrev_.size};
  for (;;) {
    const std::uint64_t entry = table.uleb();
    if (!table.ok || entry == 0) return;
    if (entry == code) break;
    table.uleb();  // the tag
    table.byte();  // children
    for (;;) {
      const std::uint64_t name = table.uleb();
      const std::uint64_t form = table.uleb();
      if (form == DW_FORM_implicit_const) table.sleb();
      if (!table.ok) return;
      if (name == 0 && form == 0) break;
    }
  }
  const auto tag = static_cast<unsigned>(table.uleb());
  const bool children = table.byte() != 0;
  std::vector<attribute> attributes;
  if (tag != DW_TAG_compile_unit || !read_attributes(table, attributes)) return;
  struct {
    unsigned form = 0;
    std::uint64_t value = 0;
    const unsigned char* at = nullptr;
  } name, directory;
  for (const attribute& attr : attributes) {
    const unsigned char* at = c.p;
    std::uint64_t value = 0;
    if (!read_value(c, attr.form, attr.implicit, address_size_, offset_size_, version_, value)) return;
    switch (attr.name) {
      case DW_AT_name:
        name = {attr.form, value, at};
        break;
      case DW_AT_comp_dir:
        directory = {attr.form, value, at};
        break;
      case DW_AT_stmt_list:
        has_stmt_list_ = attr.form == DW_FORM_sec_offset || attr.form == DW_FORM_data4 || attr.form == DW_FORM_data8;
        stmt_list_ = value;
        break;
      case DW_AT_addr_base:
      case DW_AT_GNU_addr_base:
        has_addr_base_ = true;
        addr_base_ = value;
        break;
      case DW_AT_str_offsets_base:
        has_str_offsets_base_ = true;
        str_offsets_base_ = value;
        break;
      case DW_AT_rnglists_base:
        has_rnglists_base_ = true;
        rnglists_base_ = value;
        break;
      case DW_AT_low_pc:
        low_form_ = attr.form;
        low_ = value;
        break;
      case DW_AT_high_pc:
        high_form_ = attr.form;
        high_ = value;
        break;
      case DW_AT_ranges:
        ranges_form_ = attr.form;
        ranges_ = value;
        break;
      case DW_AT_dwo_name:
      case DW_AT_GNU_dwo_name:
        return;  // a skeleton: the unit's DIEs are in a .dwo file
      default:
        break;
    }
  }
  if (!c.ok) return;
  if (has_addr_base_ && s_.addr_.data && addr_base_ <= s_.addr_.size) {  // the unit's .debug_addr entries
    address_table_ = s_.addr_.data + addr_base_;
    addresses_ = (s_.addr_.size - addr_base_) / address_size_;
  }
  if (low_form_ && !address(low_form_, low_, base_)) low_form_ = 0;
  children_ = children ? static_cast<Dwarf_Off>(c.p - s_.info_.data) : 0;
  comp_dir_ = directory.at ? string(directory.form, directory.value, directory.at) : nullptr;
  if (const char* n = name.at ? string(name.form, name.value, name.at) : nullptr) {
    path_ = joined(comp_dir_, n);
    has_path_ = true;
  }
  usable_ = true;
}

// The whole table, by code, for the walk: each abbreviation as the steps that read a DIE.
bool unit_reader::read_abbreviations() {
  if (abbreviations_ != 0) return abbreviations_ > 0;
  abbreviations_ = -1;
  if (!usable_) return false;
  cursor c{s_.abbrev_.data + abbrev_offset_, s_.abbrev_.data + s_.abbrev_.size};
  by_code_.reserve(512);
  steps_.reserve(2048);
  for (;;) {
    const std::uint64_t code = c.uleb();
    if (!c.ok) return false;
    if (code == 0) break;
    if (code > 100000) return false;  // codes count from 1; a sparse table is not read here
    if (by_code_.size() <= code) by_code_.resize(code + 1);
    abbreviation& a = by_code_[code];
    a.tag = static_cast<unsigned>(c.uleb());
    a.children = c.byte() != 0;
    if (a.tag == 0) return false;
    a.first = static_cast<std::uint32_t>(steps_.size());
    std::uint32_t skip = 0;
    for (;;) {
      const auto name = static_cast<unsigned>(c.uleb());
      const auto form = static_cast<unsigned>(c.uleb());
      const std::int64_t implicit = form == DW_FORM_implicit_const ? c.sleb() : 0;
      if (!c.ok) return false;
      if (name == 0 && form == 0) break;
      const int size = fixed_size(form, address_size_, offset_size_, version_);
      if (size == unknown) return false;
      const role r = name == DW_AT_sibling   ? role::sibling
                     : name == DW_AT_low_pc  ? role::low_pc
                     : name == DW_AT_high_pc ? role::high_pc
                     : name == DW_AT_ranges  ? role::ranges
                                             : role::none;
      a.sibling = a.sibling || r == role::sibling;
      if (size < 0) a.variable = true;
      else a.fixed += static_cast<std::uint32_t>(size);
      if (size >= 0 && r == role::none) {
        skip += static_cast<std::uint32_t>(size);
        continue;
      }
      steps_.push_back(step{skip, form, size, r, implicit});
      skip = 0;
    }
    steps_.push_back(step{skip, 0, 0, role::none, 0});
    a.count = static_cast<std::uint32_t>(steps_.size()) - a.first;
  }
  abbreviations_ = 1;
  return true;
}

void unit_reader::read_line_header() {
  lines_ = -1;
  if (!usable_ || !has_stmt_list_ || !s_.line_.data || stmt_list_ >= s_.line_.size) return;
  cursor c{s_.line_.data + stmt_list_, s_.line_.data + s_.line_.size};
  std::uint64_t length = 0;
  if (!c.initial_length(length, line_offset_size_)) return;
  c.end = c.p + length;
  line_version_ = static_cast<Dwarf_Half>(c.fixed(2));
  if (line_version_ < 2 || line_version_ > 5) return;
  if (line_version_ >= 5 && (c.byte() != address_size_ || c.byte() != 0)) return;
  const std::uint64_t header_length = c.fixed(line_offset_size_);
  if (!c.ok || header_length > static_cast<std::size_t>(c.end - c.p)) return;
  const unsigned char* program = c.p + header_length;
  min_instruction_length_ = c.byte();
  if (line_version_ >= 4 && c.byte() != 1) return;  // VLIW operations (op_index): not on these targets
  c.byte();                                         // default_is_stmt: every row counts
  line_base_ = static_cast<std::int8_t>(c.byte());
  line_range_ = c.byte();
  opcode_base_ = c.byte();
  if (!c.ok || line_range_ == 0 || opcode_base_ == 0 || !c.has(opcode_base_ - 1u)) return;
  opcode_lengths_ = c.p - 1;
  // The standard opcodes' operand counts, as libdw insists on them.
  static constexpr unsigned char standard[] = {0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};
  for (unsigned op = 1; op < opcode_base_ && op < sizeof standard; ++op)
    if (opcode_lengths_[op] != standard[op]) return;
  tables_ = c.p + opcode_base_ - 1;
  program_ = program;
  program_end_ = c.end;
  if (tables_ <= program_) lines_ = 1;
}

lookup unit_reader::line_at(Dwarf_Addr pc, std::uint64_t& file, int& line) {
  if (lines_ == 0) read_line_header();
  if (lines_ < 0) return lookup::unsupported;
  for (const sequence& s : sequences_)  // (its end's own address may be held by its last row)
    if (s.low <= pc && pc <= s.high && run_lines(program_ + s.begin, true, pc, file, line) == lookup::found)
      return lookup::found;
  if (program_ + lines_at_ >= program_end_) return lookup::absent;
  return run_lines(program_ + lines_at_, false, pc, file, line);
}

// Runs the line program from `from` (a sequence's start) to the row holding pc, to the end of the
// sequence (one_sequence), or to the end, remembering the sequences it passes.
lookup unit_reader::run_lines(const unsigned char* from, bool one_sequence, Dwarf_Addr pc, std::uint64_t& file,
                              int& line) {
  cursor c{from, program_end_};
  Dwarf_Addr address = 0;
  std::uint64_t file_register = 1;
  std::int64_t line_register = 1;
  bool live = false;  // the sequence holds code the linker kept (its start is not 0)
  const unsigned char* sequence_begin = from;
  bool sequence_started = false;
  Dwarf_Addr sequence_low = 0;
  bool have_row = false;
  Dwarf_Addr row_address = 0;
  std::uint64_t row_file = 0;
  std::int64_t row_line = 0;
  // A row: the one before holds pc if pc lies between the two (of rows at one address the last wins, as
  // in libdw's stable sort, where a sequence's end comes before the rows at its address: a row at the
  // end's own address holds it).
  const auto row = [&](bool end_sequence) {
    if (have_row && row_address <= pc && (pc < address || (end_sequence && pc == address && row_address == pc)))
      return true;
    if (live && !sequence_started) {
      sequence_started = true;
      sequence_low = address;
    }
    have_row = live && !end_sequence;
    row_address = address;
    row_file = file_register;
    row_line = line_register;
    return false;
  };
  // (The header's values in locals: the loop runs over every opcode before pc's.)
  const unsigned opcode_base = opcode_base_, line_range = line_range_, min_length = min_instruction_length_;
  const int line_base = line_base_;
  const std::uint64_t const_add = (255u - opcode_base) / line_range * min_length;
  while (c.p < c.end) {
    const unsigned opcode = *c.p++;
    bool found = false;
    if (opcode >= opcode_base) {
      const unsigned adjusted = opcode - opcode_base;
      line_register += line_base + static_cast<int>(adjusted % line_range);
      address += std::uint64_t{adjusted / line_range} * min_length;
      found = row(false);
    } else if (opcode == 0) {
      const std::uint64_t length = c.uleb();
      if (!c.ok || length == 0 || length > 127 || !c.has(static_cast<std::size_t>(length)))
        return lookup::unsupported;  // (libdw reads the length as one byte)
      const unsigned char* next = c.p + length;
      const unsigned sub = *c.p++;
      if (sub == DW_LNE_end_sequence) {
        found = row(true);
        if (!found) {
          if (!one_sequence && sequence_started)
            sequences_.push_back(
                sequence{sequence_low, address, static_cast<std::size_t>(sequence_begin - program_)});
          if (one_sequence) return lookup::absent;
          address = 0;
          file_register = 1;
          line_register = 1;
          live = false;
          have_row = false;
          sequence_started = false;
          sequence_begin = next;
        }
      } else if (sub == DW_LNE_set_address) {
        if (length - 1 != address_size_) return lookup::unsupported;
        address = cursor::load(c.p, address_size_);
        live = address != 0 && address != ~Dwarf_Addr{0} >> (64 - 8 * address_size_);
      } else if (sub == DW_LNE_define_file) {
        return lookup::unsupported;  // a file added mid-program (DWARF 2 to 4, not emitted by g++ or clang)
      }
      c.p = next;
    } else {
      switch (opcode) {
        case DW_LNS_copy:
          found = row(false);
          break;
        case DW_LNS_advance_pc:
          address += c.uleb() * min_length;
          break;
        case DW_LNS_advance_line:
          line_register += c.sleb();
          break;
        case DW_LNS_set_file:
          file_register = c.uleb();
          break;
        case DW_LNS_const_add_pc:
          address += const_add;
          break;
        case DW_LNS_fixed_advance_pc:
          address += c.fixed(2);
          break;
        case DW_LNS_set_column:
        case DW_LNS_set_isa:
          c.uleb();
          break;
        case DW_LNS_negate_stmt:
        case DW_LNS_set_basic_block:
        case DW_LNS_set_prologue_end:
        case DW_LNS_set_epilogue_begin:
          break;
        default:  // an opcode of a later DWARF: its operands stepped over
          for (unsigned n = opcode_lengths_[opcode]; n > 0; --n) c.uleb();
      }
    }
    if (!c.ok) return lookup::unsupported;
    if (found) {
      // The sequence is run again from its start next time: it is remembered once passed whole.
      if (!one_sequence) lines_at_ = static_cast<std::size_t>(sequence_begin - program_);
      file = row_file;
      line = static_cast<int>(row_line);
      return lookup::found;
    }
  }
  if (!one_sequence) lines_at_ = static_cast<std::size_t>(program_end_ - program_);
  return lookup::absent;
}

lookup unit_reader::file_names() {
  if (lines_ == 0) read_line_header();
  if (lines_ < 0) return lookup::unsupported;
  if (files_read_ != lookup::absent) return files_read_;
  files_read_ = lookup::unsupported;
  cursor c{tables_, program_};
  std::vector<const char*> directories;
  files_.assign(1, file{nullptr, "???", false, {}});  // DWARF 2 to 4 count files from 1; libdw names the 0th so
  if (line_version_ < 5) {
    directories.push_back(comp_dir_);
    while (c.ok && c.byte() != 0) {
      --c.p;
      directories.push_back(c.string());
    }
    while (c.ok && c.byte() != 0) {
      --c.p;
      const char* name = c.string();
      const std::uint64_t directory = c.uleb();
      c.uleb();  // modification time
      c.uleb();  // size
      if (!c.ok || directory >= directories.size()) return files_read_;
      files_.push_back(file{directories[directory], name, false, {}});
    }
    if (c.ok) files_read_ = lookup::found;
    return files_read_;
  }
  // DWARF 5: each table is described by its entries' formats (DW_LNCT_path and DW_LNCT_directory_index).
  const auto read_table = [&](bool files) {
    unsigned forms[256][2];
    const unsigned count = c.byte();
    for (unsigned i = 0; i < count; ++i) {
      forms[i][0] = static_cast<unsigned>(c.uleb());
      forms[i][1] = static_cast<unsigned>(c.uleb());
    }
    const std::uint64_t entries = c.uleb();
    if (!c.ok || (count == 0 && entries != 0)) return false;
    for (std::uint64_t n = 0; n < entries; ++n) {
      const char* path = nullptr;
      std::uint64_t directory = ~std::uint64_t{0};
      for (unsigned i = 0; i < count; ++i) {
        const unsigned form = forms[i][1];
        const char* text = nullptr;
        std::uint64_t value = 0;
        if (form == DW_FORM_string) {
          text = c.string();
        } else if (form == DW_FORM_line_strp || form == DW_FORM_strp) {
          text = string_at(form == DW_FORM_strp ? s_.str_ : s_.line_str_, c.fixed(line_offset_size_));
          if (!text) return false;
        } else if (form == DW_FORM_udata || form == DW_FORM_data1 || form == DW_FORM_data2 ||
                   form == DW_FORM_data4 || form == DW_FORM_data8 || form == DW_FORM_data16 ||
                   form == DW_FORM_block) {
          if (!read_value(c, form, 0, address_size_, line_offset_size_, 5, value)) return false;
        } else {
          return false;  // DW_FORM_strx and the like: libdw reads them
        }
        if (forms[i][0] == DW_LNCT_path) path = text;
        if (forms[i][0] == DW_LNCT_directory_index) directory = value;
      }
      if (!c.ok || !path) return false;
      if (!files) {
        directories.push_back(path);
        continue;
      }
      if (directory >= directories.size()) return false;
      // (File 0 is the unit's own, and libdw's 0th.)
      if (n == 0) files_[0] = file{directories[directory], path, false, {}};
      else files_.push_back(file{directories[directory], path, false, {}});
    }
    return true;
  };
  if (read_table(false) && read_table(true)) files_read_ = lookup::found;
  return files_read_;
}

const char* unit_reader::file_name(std::uint64_t index) {
  if (files_read_ != lookup::found || index >= files_.size()) return nullptr;
  file& f = files_[index];
  if (!f.joined) {
    f.path = joined(f.directory, f.name);
    f.joined = true;
  }
  return f.path.c_str();
}

bool unit_reader::address(unsigned form, std::uint64_t value, Dwarf_Addr& out) const {
  if (form == DW_FORM_addr) {
    out = value;
    return true;
  }
  if (!is_address_index(form) || value >= addresses_) return false;
  out = cursor::load(address_table_ + value * address_size_, address_size_);
  return true;
}

// A DW_AT_low_pc and DW_AT_high_pc as a range (a high_pc of a constant class is a size).
bool unit_reader::low_high(unsigned low_form, std::uint64_t low, unsigned high_form, std::uint64_t high,
                           range& out) const {
  if (!address(low_form, low, out.low)) return false;
  if (high_form == DW_FORM_addr || is_address_index(high_form)) return address(high_form, high, out.high);
  if (high_form != DW_FORM_data1 && high_form != DW_FORM_data2 && high_form != DW_FORM_data4 &&
      high_form != DW_FORM_data8 && high_form != DW_FORM_udata && high_form != DW_FORM_implicit_const)
    return false;
  out.high = out.low + high;
  return true;
}

// The ranges of a DW_AT_ranges: a DWARF 5 range list (.debug_rnglists), or a DWARF 2 to 4 one (.debug_ranges),
// from the unit's base address.
lookup unit_reader::ranges(unsigned form, std::uint64_t value, std::vector<range>& out) const {
  Dwarf_Addr base = base_;
  if (version_ < 5) {
    if (!s_.ranges_.data || value >= s_.ranges_.size) return lookup::unsupported;
    cursor c{s_.ranges_.data + value, s_.ranges_.data + s_.ranges_.size};
    const Dwarf_Addr selection = ~Dwarf_Addr{0} >> (64 - 8 * address_size_);
    for (;;) {
      const std::uint64_t start = c.fixed(address_size_);
      const std::uint64_t end = c.fixed(address_size_);
      if (!c.ok) return lookup::unsupported;
      if (start == 0 && end == 0) return lookup::found;
      if (start == selection) base = end;
      else out.push_back(range{base + start, base + end});
    }
  }
  std::uint64_t offset = value;
  if (form == DW_FORM_rnglistx) {
    const std::uint64_t at = rnglists_base_ + value * offset_size_;
    if (!has_rnglists_base_ || !s_.rnglists_.data || at > s_.rnglists_.size ||
        s_.rnglists_.size - at < offset_size_)
      return lookup::unsupported;
    offset = rnglists_base_ + cursor::load(s_.rnglists_.data + at, offset_size_);
  } else if (form != DW_FORM_sec_offset) {
    return lookup::unsupported;
  }
  if (!s_.rnglists_.data || offset >= s_.rnglists_.size) return lookup::unsupported;
  cursor c{s_.rnglists_.data + offset, s_.rnglists_.data + s_.rnglists_.size};
  // (The unit's address table in locals: clang's lists have an entry per inline function a unit keeps.)
  const unsigned char* const table = address_table_;
  const std::uint64_t count = addresses_;
  const std::uint8_t size = address_size_;
  const auto indexed = [&](std::uint64_t index, Dwarf_Addr& a) {
    if (index >= count) return false;
    a = cursor::load(table + index * size, size);
    return true;
  };
  for (;;) {
    range r{0, 0};
    switch (c.byte()) {
      case DW_RLE_end_of_list:
        return c.ok ? lookup::found : lookup::unsupported;
      case DW_RLE_base_addressx:
        if (!indexed(c.uleb(), base)) return lookup::unsupported;
        continue;
      case DW_RLE_startx_endx:
        if (!indexed(c.uleb(), r.low) || !indexed(c.uleb(), r.high)) return lookup::unsupported;
        break;
      case DW_RLE_startx_length:
        if (!indexed(c.uleb(), r.low)) return lookup::unsupported;
        r.high = r.low + c.uleb();
        break;
      case DW_RLE_offset_pair:
        r.low = base + c.uleb();
        r.high = base + c.uleb();
        break;
      case DW_RLE_base_address:
        base = c.fixed(size);
        continue;
      case DW_RLE_start_end:
        r.low = c.fixed(size);
        r.high = c.fixed(size);
        break;
      case DW_RLE_start_length:
        r.low = c.fixed(size);
        r.high = r.low + c.uleb();
        break;
      default:
        return lookup::unsupported;
    }
    if (!c.ok) return lookup::unsupported;
    out.push_back(r);
  }
}

lookup unit_reader::unit_ranges(std::vector<range>& out) const {
  if (!usable_) return lookup::unsupported;
  if (ranges_form_) return ranges(ranges_form_, ranges_, out);
  if (!low_form_ || !high_form_) return lookup::absent;  // no code (or a DW_AT_low_pc alone: libdw's none)
  range r{0, 0};
  if (!low_high(low_form_, low_, high_form_, high_, r)) return lookup::unsupported;
  out.push_back(r);
  return lookup::found;
}

lookup unit_reader::function_at(Dwarf_Addr pc, Dwarf_Off& function) {
  for (const code_range& r : functions_)
    if (r.low <= pc && pc < r.high) {
      function = r.die;
      return lookup::found;
    }
  if (walk_ == walk_state::done) return lookup::absent;
  if (walk_ == walk_state::failed || !read_abbreviations()) return lookup::unsupported;
  if (walk_ == walk_state::not_started) {
    if (!children_) return lookup::absent;
    walk_at_ = children_;
    scopes_.push_back(searched);
    walk_ = walk_state::outside;
  }
  const lookup result = walk(pc, function);
  if (result == lookup::unsupported) {
    walk_ = walk_state::failed;
    functions_.clear();
  }
  return result;
}

// The walk from where it stopped to the next function holding pc: the first pass, then the bodies.
lookup unit_reader::walk(Dwarf_Addr pc, Dwarf_Off& function) {
  for (;;) {
    if (scopes_.empty()) {
      walk_ = walk_state::bodies;
      if (next_body_ == bodies_.size()) {
        walk_ = walk_state::done;
        bodies_.clear();
        return lookup::absent;
      }
      walk_at_ = bodies_[next_body_++];
      scopes_.push_back(in_function);
    }
    const lookup result = walk_scopes(pc, function);
    if (result != lookup::absent) return result;
  }
}

// The walk from walk_at_ until the scopes open are closed (absent), or a function holding pc is passed.
lookup unit_reader::walk_scopes(Dwarf_Addr pc, Dwarf_Off& function) {
  const unsigned char* const info = s_.info_.data;
  cursor c{info + walk_at_, info + unit_end_};
  while (!scopes_.empty()) {
    const unsigned char* const at = c.p;
    const std::uint64_t code = c.uleb();
    if (!c.ok) return lookup::unsupported;
    if (code == 0) {
      scopes_.pop_back();
      continue;
    }
    if (code >= by_code_.size() || by_code_[code].tag == 0) return lookup::unsupported;
    const abbreviation& a = by_code_[code];
    const unsigned scope = scopes_.back();
    const bool wanted = scope != skipped && a.tag == DW_TAG_subprogram;
    unsigned child = skipped;  // what its children are
    if (scope != skipped) {
      // (A declaration too: g++ puts a lambda's closure type inside the declaration of the call operator
      // of the lambda around it.)
      const bool code_scope = a.tag == DW_TAG_subprogram || a.tag == DW_TAG_lexical_block;
      const bool type = a.tag == DW_TAG_class_type || a.tag == DW_TAG_structure_type || a.tag == DW_TAG_union_type;
      if (code_scope) child = in_function;
      else if (a.tag == DW_TAG_namespace) child = scope;
      else if (type && scope == in_function) child = in_function;
    }
    const bool jump = a.children && child == skipped && a.sibling;  // over the children, by DW_AT_sibling
    if (!wanted && !jump && !a.variable) {  // most DIEs: nothing to read, their size known
      if (a.fixed > static_cast<std::size_t>(c.end - c.p)) return lookup::unsupported;
      c.p += a.fixed;
      if (a.children) scopes_.push_back(static_cast<unsigned char>(child));
      continue;
    }
    std::uint64_t sibling = 0, low = 0, high = 0;
    std::uint64_t ranges_value = 0;
    unsigned low_form = 0, high_form = 0, ranges_form = 0;
    bool has_sibling = false, has_low = false, has_high = false, has_ranges = false;
    for (std::uint32_t i = a.first;; ++i) {
      const step& st = steps_[i];
      if (st.skip > static_cast<std::size_t>(c.end - c.p)) return lookup::unsupported;
      c.p += st.skip;
      if (st.form == 0) break;
      const bool read = st.what == role::sibling || (wanted && st.what != role::none);
      std::uint64_t value = 0;
      if (st.size >= 0) {
        if (!c.has(static_cast<unsigned>(st.size))) return lookup::unsupported;
        if (read)
          value = st.form == DW_FORM_implicit_const ? static_cast<std::uint64_t>(st.implicit)
                                                    : cursor::load(c.p, static_cast<unsigned>(st.size));
        c.p += st.size;
      } else if (!read_value(c, st.form, st.implicit, address_size_, offset_size_, version_, value)) {
        return lookup::unsupported;
      }
      if (!read) continue;
      switch (st.what) {
        case role::sibling:
          if (st.form == DW_FORM_ref_addr) sibling = value;
          else if (st.form == DW_FORM_ref1 || st.form == DW_FORM_ref2 || st.form == DW_FORM_ref4 ||
                   st.form == DW_FORM_ref8 || st.form == DW_FORM_ref_udata)
            sibling = unit_start_ + value;
          else
            return lookup::unsupported;
          has_sibling = true;
          break;
        case role::low_pc:
          low = value;
          low_form = st.form;
          has_low = true;
          break;
        case role::high_pc:
          high = value;
          high_form = st.form;
          has_high = true;
          break;
        case role::ranges:
          has_ranges = true;
          ranges_form = st.form;
          ranges_value = value;
          break;
        case role::none:
          break;
      }
    }
    if (!c.ok) return lookup::unsupported;
    std::size_t added = functions_.size();
    if (wanted) {
      const auto offset = static_cast<Dwarf_Off>(at - info);
      // (A range from 0 is code the linker dropped.)
      if (has_low && has_high) {
        range r{0, 0};
        if (!low_high(low_form, low, high_form, high, r)) return lookup::unsupported;
        if (r.low != 0) functions_.push_back(code_range{r.low, r.high, offset});
      } else if (has_ranges) {
        std::vector<range> list;
        if (ranges(ranges_form, ranges_value, list) == lookup::unsupported) return lookup::unsupported;
        for (const range& r : list)
          if (r.low != 0) functions_.push_back(code_range{r.low, r.high, offset});
      }
    }
    // In the first pass a function's body is stepped over, and walked in the second.
    const bool defer = walk_ == walk_state::outside && a.children && child == in_function && has_sibling;
    if (defer) bodies_.push_back(static_cast<Dwarf_Off>(c.p - info));
    if (a.children) {
      if ((jump || defer) && has_sibling) {
        if (sibling <= static_cast<std::uint64_t>(at - info) || sibling > unit_end_) return lookup::unsupported;
        c.p = info + sibling;  // past the children and their terminating 0
      } else {
        scopes_.push_back(static_cast<unsigned char>(child));
      }
    }
    for (; added < functions_.size(); ++added)
      if (functions_[added].low <= pc && pc < functions_[added].high) {
        walk_at_ = static_cast<Dwarf_Off>(c.p - info);
        function = functions_[added].die;
        return lookup::found;
      }
  }
  walk_at_ = static_cast<Dwarf_Off>(c.p - info);
  return lookup::absent;
}

}  // namespace assay::detail::dwarf

#endif  // ASSAY_HAVE_LIBDW
