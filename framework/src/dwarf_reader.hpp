// The few answers a traceback needs, read straight from a module's DWARF sections where libdw would first
// read a whole unit (its line table decoded and sorted, its tree walked DIE by DIE, its abbreviations put
// in a hash table) or a whole table (.debug_aranges, sorted): the unit holding an address, its source
// file, the line row at the address and the function around it. Data of a kind not read here says so, and
// stack.cpp asks libdw instead.
#pragma once

#include <elfutils/libdw.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace assay::detail::dwarf {

enum class lookup {
  found,
  absent,       // the data is read, and holds no answer
  unsupported,  // the data is of a kind not read here: libdw reads it
};

// A section's bytes where they lie in the debug file.
struct section {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
};

// The DWARF sections of one debug file.
class module_sections {
 public:
  // `hidden` says which units' frames are never shown (by their source file): without .debug_aranges,
  // their ranges are not read, and an address in none of the others has no unit.
  module_sections(Dwarf* dwarf, bool (*hidden)(const char* path));
  Dwarf* dwarf() const { return dwarf_; }
  // The offset of the unit (its header) whose .debug_aranges entry holds pc. The table is read once into
  // the address span of each unit's entries (a linker keeps a unit's code together), then only the
  // entries of the units whose span holds pc are read again. Without an entry (clang emits no
  // .debug_aranges), the units' own address ranges (unit_ranges_at).
  lookup unit_at(Dwarf_Addr pc, Dwarf_Off& unit);

 private:
  friend class unit_reader;
  struct arange_set {  // the entries of one unit
    const unsigned char* entries;
    const unsigned char* end;
    std::uint8_t address_size;
    Dwarf_Off unit;
    Dwarf_Addr low, high;  // the span of its entries
  };
  struct unit_range {
    Dwarf_Addr low, high;
    Dwarf_Off unit;
  };
  bool read_aranges();
  lookup unit_ranges_at(Dwarf_Addr pc, Dwarf_Off& unit);

  Dwarf* dwarf_;
  bool (*hidden_)(const char* path);
  bool readable_ = false;  // an ELF file of this host's byte order, not a relocatable object
  section info_, abbrev_, line_, line_str_, str_, str_offsets_, aranges_, addr_, ranges_, rnglists_;
  int aranges_read_ = 0;  // 0 not yet, 1 read, -1 not readable here
  std::vector<arange_set> sets_;
  bool failed_ = false;              // a unit's ranges are not readable here
  Dwarf_Off next_unit_ = 0;          // the next unit to read the ranges of
  std::vector<unit_range> clusters_;  // of the units read before it
};

struct cursor;  // a reading position in a section (dwarf_reader.cpp)

// One unit's source file, line table and functions, read as far as an address needs.
class unit_reader {
 public:
  // The unit whose header lies at `unit` in .debug_info.
  unit_reader(const module_sections& sections, Dwarf_Off unit);
  // Where the next unit's header lies (0: this one's was not read); whether it may hold code (not a type
  // or partial unit).
  Dwarf_Off next_unit() const { return unit_end_; }
  bool holds_code() const { return code_; }
  // The unit's source file, its DW_AT_name after its DW_AT_comp_dir as libdw joins them; null when not
  // read here.
  const char* path() const { return has_path_ ? path_.c_str() : nullptr; }
  // The line table row at pc (its file index and line): the unit's line program run up to the row after
  // pc, keeping only the last row, where libdw stores and sorts every row of the unit first. The
  // sequences passed are remembered, and a later address in one of them runs only that one.
  lookup line_at(Dwarf_Addr pc, std::uint64_t& file, int& line);
  // The line table's files, joined as libdw joins them; file_name is null for an index beyond them.
  lookup file_names();
  const char* file_name(std::uint64_t index);
  // The first function (DW_TAG_subprogram), in the order of the tree, whose address ranges hold pc, by
  // its DIE's offset: the unit's DIEs read by their abbreviations, most stepped over in one move, where
  // libdw's walk looks an abbreviation up and decodes attributes on every call. The walk stops at the
  // function, and a later address first looks among the functions passed.
  lookup function_at(Dwarf_Addr pc, Dwarf_Off& function);
  // The unit's own address ranges (its DW_AT_low_pc and DW_AT_high_pc, or its DW_AT_ranges), appended.
  struct range {
    Dwarf_Addr low, high;
  };
  lookup unit_ranges(std::vector<range>& out) const;

 private:
  // What the walk for functions reads of an attribute (the others are stepped over).
  enum class role : unsigned char { none, sibling, low_pc, high_pc, ranges };
  struct attribute {
    unsigned name, form;
    int size;               // its value's bytes, or -1: variable
    std::int64_t implicit;  // the value of a DW_FORM_implicit_const
  };
  // An abbreviation as the walk reads it: runs of attributes stepped over (their bytes known), each
  // followed by one to read or to step over by its form (form 0: none, the end).
  struct step {
    std::uint32_t skip;
    unsigned form;
    int size;
    role what;
    std::int64_t implicit;
  };
  struct abbreviation {
    unsigned tag = 0;
    bool children = false;
    bool sibling = false;                // has a DW_AT_sibling
    bool variable = false;               // has an attribute of variable size
    std::uint32_t fixed = 0;             // the bytes of its fixed-size values (all of them, when not variable)
    std::uint32_t first = 0, count = 0;  // its steps in steps_
  };
  // The walk's scopes: the children of a DIE not searched, searched outside any function, or inside one.
  // It searches what stack.cpp's index_functions searches: functions, namespaces and blocks, and classes
  // inside a function (a lambda's closure type); other DIEs with children are stepped over whole (by
  // their DW_AT_sibling, where they have one). It goes in two passes: the functions outside any function
  // first, stepping over their bodies (and remembering them), then those bodies, where the functions
  // defined inside others are (a lambda's call operator): most frames are found by the first pass, over
  // a fraction of the unit's DIEs (a -O0 unit holds the bodies of every inline function it calls).
  enum scope : unsigned char { skipped, searched, in_function };
  enum class walk_state : unsigned char { not_started, outside, bodies, done, failed };
  struct code_range {
    Dwarf_Addr low, high;
    Dwarf_Off die;
  };
  struct sequence {  // a line program's sequence, passed
    Dwarf_Addr low, high;
    std::size_t begin;  // its first opcode, from program_
  };

  bool read_attributes(cursor& c, std::vector<attribute>& out) const;
  bool read_abbreviations();
  void read_unit_die(Dwarf_Off die);
  void read_line_header();
  lookup run_lines(const unsigned char* from, bool one_sequence, Dwarf_Addr pc, std::uint64_t& file, int& line);
  bool address(unsigned form, std::uint64_t value, Dwarf_Addr& out) const;
  bool low_high(unsigned low_form, std::uint64_t low, unsigned high_form, std::uint64_t high, range& out) const;
  lookup ranges(unsigned form, std::uint64_t value, std::vector<range>& out) const;
  const char* string(unsigned form, std::uint64_t value, const unsigned char* inline_string) const;
  lookup walk(Dwarf_Addr pc, Dwarf_Off& function);
  lookup walk_scopes(Dwarf_Addr pc, Dwarf_Off& function);

  const module_sections& s_;
  bool usable_ = false;  // a unit of a kind read here (not a split, skeleton or type unit)
  bool code_ = true;
  std::uint8_t address_size_ = 0, offset_size_ = 0;
  Dwarf_Half version_ = 0;
  Dwarf_Off unit_start_ = 0, unit_end_ = 0, abbrev_offset_ = 0;
  Dwarf_Off children_ = 0;  // the unit DIE's first child (0: none)
  bool has_addr_base_ = false, has_str_offsets_base_ = false, has_stmt_list_ = false, has_rnglists_base_ = false;
  std::uint64_t addr_base_ = 0, str_offsets_base_ = 0, stmt_list_ = 0, rnglists_base_ = 0;
  Dwarf_Addr base_ = 0;  // the unit's base address (its DW_AT_low_pc), for its range lists
  const unsigned char* address_table_ = nullptr;  // from its DW_AT_addr_base
  std::uint64_t addresses_ = 0;
  unsigned low_form_ = 0, high_form_ = 0, ranges_form_ = 0;  // the unit's own (0: none)
  std::uint64_t low_ = 0, high_ = 0, ranges_ = 0;
  const char* comp_dir_ = nullptr;
  bool has_path_ = false;
  std::string path_;

  int abbreviations_ = 0;  // 0 not read yet, 1 read, -1 not readable here
  std::vector<abbreviation> by_code_;
  std::vector<step> steps_;

  walk_state walk_ = walk_state::not_started;
  Dwarf_Off walk_at_ = 0;
  std::vector<unsigned char> scopes_;  // of the open levels of the tree
  std::vector<Dwarf_Off> bodies_;      // the first children of the functions the first pass stepped over
  std::size_t next_body_ = 0;
  std::vector<code_range> functions_;  // those passed, in the order of the tree

  // The line program's header, then its opcodes.
  int lines_ = 0;  // 0 not read yet, 1 read, -1 not readable here
  Dwarf_Half line_version_ = 0;
  std::uint8_t line_offset_size_ = 4, min_instruction_length_ = 1, line_range_ = 1, opcode_base_ = 1;
  int line_base_ = 0;
  const unsigned char* opcode_lengths_ = nullptr;  // standard_opcode_lengths, by opcode
  const unsigned char* tables_ = nullptr;          // the directory and file tables
  const unsigned char* program_ = nullptr;
  const unsigned char* program_end_ = nullptr;
  std::size_t lines_at_ = 0;        // where the run stopped, from program_
  std::vector<sequence> sequences_;  // those passed

  struct file {  // joined when first asked
    const char* directory;
    const char* name;
    bool joined = false;
    std::string path;
  };
  lookup files_read_ = lookup::absent;  // absent: not read yet
  std::vector<file> files_;
};

}  // namespace assay::detail::dwarf
