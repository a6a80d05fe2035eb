// The call stack of a thrown exception, for tracebacks of more than one frame: the return addresses are
// taken when an exception is thrown while a test part runs (cheap: an unwind bounded by the part's own
// frame), and turned into files, lines and functions only for an exception that is reported, from the
// DWARF debug information (elfutils' libdw, which also names the frames inlined at each address).
#include <dlfcn.h>
#include <link.h>
#include <unwind.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <typeinfo>
#include <vector>

#include <assay/case.hpp>
#include <assay/detail/internal.hpp>

#ifdef ASSAY_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <unistd.h>

#include "dwarf_reader.hpp"
#endif

namespace assay::detail {

namespace {

constexpr int max_pcs = 48;

// One throw's return addresses, innermost first, kept by the address of the thrown object.
struct capture {
  const void* object = nullptr;
  int size = 0;
  std::uintptr_t pcs[max_pcs];
};

// Only the last few throws are kept: a reported exception is looked up as soon as a part ends, and
// a nested exception's causes were thrown just before it.
constexpr unsigned ring_size = 8;

struct thread_captures {
  const void* bound = nullptr;  // the running part's frame; null when no part runs (nothing is taken)
  bool paused = false;          // the framework rethrows to look at an exception: keep its capture
  unsigned next = 0;
  capture ring[ring_size];
};

thread_local thread_captures captures;

}  // namespace

constinit thread_local int expecting_exception = 0;

namespace {

struct walk {
  capture* into;
  std::uintptr_t bound;
  int own;  // the frames of take and of the interposer calling it, first: not kept
};

_Unwind_Reason_Code take_frame(_Unwind_Context* context, void* data) {
  auto* w = static_cast<walk*>(data);
  // Frames at or beyond the running part's frame are the framework's: not walked.
  if (_Unwind_GetCFA(context) > w->bound || w->into->size == max_pcs) return _URC_END_OF_STACK;
  if (w->own > 0) {
    --w->own;
    return _URC_NO_REASON;
  }
  w->into->pcs[w->into->size++] = _Unwind_GetIP(context);
  return _URC_NO_REASON;
}

[[gnu::noinline, maybe_unused]] void take(const void* object) {
  thread_captures& t = captures;
  if (t.paused) return;
  capture& c = t.ring[t.next++ % ring_size];
  c.object = object;
  c.size = 0;
  walk w{&c, reinterpret_cast<std::uintptr_t>(t.bound), 2};
  _Unwind_Backtrace(&take_frame, &w);
}

// A throw outside any part: an older capture of an exception that lived at the same address is stale.
[[maybe_unused]] void forget(const void* object) {
  if (captures.paused) return;
  for (capture& c : captures.ring)
    if (c.object == object) c.object = nullptr;
}

using cxa_throw_fn = void (*)(void*, std::type_info*, void (*)(void*));

[[maybe_unused]] cxa_throw_fn real_cxa_throw() {
  static const auto real = reinterpret_cast<cxa_throw_fn>(::dlsym(RTLD_NEXT, "__cxa_throw"));
  return real;
}

}  // namespace

// The scope object lives in the part's frame: frames called from there have a lower CFA. The outermost
// part wins: a subtest's body is a part inside the test's, and its traceback starts at the test method.
part_scope::part_scope() noexcept : saved_(captures.bound) {
  if (!saved_) captures.bound = this;
}
part_scope::~part_scope() { captures.bound = saved_; }

capture_pause::capture_pause() noexcept : saved_(captures.paused) { captures.paused = true; }
capture_pause::~capture_pause() { captures.paused = saved_; }

namespace {

// The thrown object of an exception_ptr: the one pointer it holds (libstdc++ and libc++ alike).
const void* thrown_object(const std::exception_ptr& p) noexcept {
  const void* object = nullptr;
  static_assert(sizeof p == sizeof object);
  std::memcpy(&object, static_cast<const void*>(&p), sizeof object);
  return object;
}

[[maybe_unused]] const capture* find_capture(const void* object) {  // unused without libdw
  if (!object) object = thrown_object(std::current_exception());  // an exception of unknown type
  if (!object) return nullptr;
  const thread_captures& t = captures;
  for (unsigned i = 0; i < ring_size; ++i) {
    const capture& c = t.ring[(t.next - 1 - i) % ring_size];
    if (c.object == object && c.size > 0) return &c;
  }
  return nullptr;
}

}  // namespace

#ifdef ASSAY_HAVE_LIBDW
namespace {

bool readable(const std::string& path) { return ::access(path.c_str(), R_OK) == 0; }

// The separate debug file of an object without debug information of its own, searched as libdw's
// standard search does (by build ID under /usr/lib/debug, by its .gnu_debuglink next to the object, in
// .debug/ there and under /usr/lib/debug), and only where one of them exists: libdw 0.188's search
// otherwise ends by loading libdebuginfod, and libcurl with it (5 ms, for each process of a Release
// build, which has no debug information, at its first failure), and asking the network where
// DEBUGINFOD_URLS is set.
int find_debuginfo(Dwfl_Module* module, void** userdata, const char* name, Dwarf_Addr base, const char* file,
                   const char* debuglink, GElf_Word crc, char** found) {
  bool local = false;
  const unsigned char* id = nullptr;
  GElf_Addr id_address = 0;
  const int id_size = dwfl_module_build_id(module, &id, &id_address);
  if (id_size > 1) {
    static const char digits[] = "0123456789abcdef";
    std::string path = "/usr/lib/debug/.build-id/";
    for (int i = 0; i < id_size; ++i) {
      path += digits[id[i] >> 4];
      path += digits[id[i] & 15];
      if (i == 0) path += '/';
    }
    local = readable(path + ".debug");
  }
  if (!local && debuglink && file) {
    std::string directory = file;
    directory.resize(directory.rfind('/') == std::string::npos ? 0 : directory.rfind('/'));
    local = readable(directory + '/' + debuglink) || readable(directory + "/.debug/" + debuglink) ||
            readable("/usr/lib/debug" + directory + '/' + debuglink);
  }
  if (!local) return -1;
  return dwfl_standard_find_debuginfo(module, userdata, name, base, file, debuglink, crc, found);
}

// One session over the process's loaded objects, reported when a frame lies in one; their DWARF is read
// per unit, when first asked.
Dwfl* session() {
  static Dwfl* d = [] {
    static const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, find_debuginfo, nullptr, nullptr};
    return dwfl_begin(&callbacks);
  }();
  return d;
}

std::mutex session_mutex;  // one libdw session for all threads

struct loaded_object {
  std::uintptr_t pc;
  const char* name = nullptr;  // empty for the program
  std::uintptr_t bias = 0;
};

int find_object(dl_phdr_info* info, std::size_t, void* data) {
  auto* o = static_cast<loaded_object*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& p = info->dlpi_phdr[i];
    const std::uintptr_t start = info->dlpi_addr + p.p_vaddr;
    if (p.p_type == PT_LOAD && start <= o->pc && o->pc - start < p.p_memsz) {
      o->name = info->dlpi_name;
      o->bias = info->dlpi_addr;
      return 1;
    }
  }
  return 0;
}

// The loaded object holding pc, reported to the session the first time: only the objects a traceback
// crosses are opened, where dwfl_linux_proc_report would read /proc/self/maps and report every one.
Dwfl_Module* module_at(Dwfl* d, Dwarf_Addr pc) {
  if (Dwfl_Module* m = dwfl_addrmodule(d, pc)) return m;
  loaded_object object{static_cast<std::uintptr_t>(pc)};
  if (::dl_iterate_phdr(&find_object, &object) == 0 || !object.name) return nullptr;
  std::string path = object.name;
  if (path.empty()) {
    // The program: by its path (a separate debug file is looked for next to it), unless it is gone.
    char buffer[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    path = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
    if (path.empty() || path.find(" (deleted)") != std::string::npos) path = "/proc/self/exe";
  }
  dwfl_report_begin_add(d);
  Dwfl_Module* m = dwfl_report_elf(d, path.c_str(), path.c_str(), -1, object.bias, true);
  dwfl_report_end(d, nullptr, nullptr);
  return m ? dwfl_addrmodule(d, pc) : nullptr;
}

bool is_framework(const std::string& file) {
  // assay's own sources and headers (installed or not) and the standard library's.
  static const std::string root = ASSAY_SOURCE_ROOT;
  for (const char* dir : {"/framework/", "/mock/", "/runner/"})
    if (file.compare(0, root.size(), root) == 0 && file.compare(root.size(), std::strlen(dir), dir) == 0) return true;
  // clang names libstdc++'s headers /usr/bin/../lib/gcc/…/include/c++/12/….
  return file.find("/include/assay/") != std::string::npos || file.find("/include/c++/") != std::string::npos ||
         file.rfind("/usr/include/", 0) == 0 || file.rfind("/usr/lib/", 0) == 0 ||
         (file.rfind("/usr/", 0) == 0 && file.find("/include/") != std::string::npos);
}

// A linkage name demangled; a plain name as it is.
std::string symbol_name(const char* s) { return s[0] == '_' && s[1] == 'Z' ? demangle(s) : std::string(s); }

std::string die_name(Dwarf_Die* die) {
  Dwarf_Attribute attribute;
  for (const unsigned name : {unsigned{DW_AT_linkage_name}, unsigned{DW_AT_MIPS_linkage_name}, unsigned{DW_AT_name}}) {
    if (!dwarf_attr_integrate(die, name, &attribute)) continue;
    const char* s = dwarf_formstring(&attribute);
    if (s) return symbol_name(s);
  }
  return {};
}

// The DIEs of code below `parent` that contain pc, outermost first. Types are stepped over whole (a
// sibling link), so the standard library's classes cost nothing; functions and namespaces are searched
// whatever their addresses: g++ puts a lambda's call operator inside the function that defines it, and
// definitions of members in their namespace. (dwarf_getscopes does not look there, and
// dwarf_getscopes_die walks the whole unit for every address.)
bool find_scopes(Dwarf_Die* parent, Dwarf_Addr pc, std::vector<Dwarf_Die>& chain) {
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0) return false;
  do {
    const int tag = dwarf_tag(&child);
    const bool code = tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block;
    if (code && dwarf_haspc(&child, pc) == 1) {
      chain.push_back(child);
      find_scopes(&chain.back(), pc, chain);
      return true;
    }
    const bool container = tag == DW_TAG_namespace || tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block;
    if (container && dwarf_haschildren(&child) && find_scopes(&child, pc, chain)) return true;
  } while (dwarf_siblingof(&child, &child) == 0);
  return false;
}

// Where each function of a unit lies, found once per unit (in the order of the tree: a lambda's call
// operator after the function defining it).
struct code_range {
  Dwarf_Addr low, high;
  Dwarf_Die function;
};

// Types at namespace scope are stepped over whole (a sibling link: the standard library's classes cost
// nothing); a class inside a function is searched, as it may be a lambda's closure type.
void index_functions(Dwarf_Die* parent, bool in_function, std::vector<code_range>& out) {
  Dwarf_Die child;
  if (dwarf_child(parent, &child) != 0) return;
  do {
    const int tag = dwarf_tag(&child);
    const bool code = tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block;
    if (tag == DW_TAG_subprogram) {
      Dwarf_Addr base = 0, low = 0, high = 0;
      for (std::ptrdiff_t at = 0; (at = dwarf_ranges(&child, at, &base, &low, &high)) > 0;)
        out.push_back(code_range{low, high, child});
    }
    const bool type = tag == DW_TAG_class_type || tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
    const bool container = code || tag == DW_TAG_namespace || (type && in_function);
    if (container && dwarf_haschildren(&child)) index_functions(&child, in_function || code, out);
  } while (dwarf_siblingof(&child, &child) == 0);
}

// The DIEs of code that contain pc in `unit`, outermost first: the function, then the blocks and inlined
// calls inside it.
void scopes_at(Dwfl_Module* module, Dwarf_Die* unit, Dwarf_Addr pc, std::vector<Dwarf_Die>& chain) {
  static std::map<std::pair<const void*, Dwarf_Off>, std::vector<code_range>> units;  // under session_mutex
  auto [it, added] = units.try_emplace({module, dwarf_dieoffset(unit)});
  if (added) index_functions(unit, false, it->second);
  const code_range* found = nullptr;
  for (const code_range& r : it->second)
    if (r.low <= pc && pc < r.high) found = &r;  // the last: the innermost
  if (!found) return;
  chain.push_back(found->function);
  find_scopes(&chain.back(), pc, chain);
}

// The DWARF sections of the debug file of a module, found once.
dwarf::module_sections& sections_of(Dwarf* debug) {
  static std::map<Dwarf*, dwarf::module_sections> all;  // under session_mutex
  return all.try_emplace(debug, debug, [](const char* path) { return is_framework(path); }).first->second;
}

// The unit holding pc (an address of the module's own), by its header's offset: its .debug_aranges entry,
// else (clang emits no .debug_aranges) the unit whose own ranges hold it.
bool unit_at(Dwfl_Module* module, dwarf::module_sections& sections, Dwarf_Addr pc, Dwarf_Addr bias,
             Dwarf_Off& unit) {
  const dwarf::lookup entry = sections.unit_at(pc, unit);
  if (entry != dwarf::lookup::unsupported) return entry == dwarf::lookup::found;
  Dwarf_Addr unit_bias = 0;
  Dwarf_Die* found = dwfl_module_addrdie(module, pc + bias, &unit_bias);
  for (Dwarf_Die* u = nullptr; !found && (u = dwfl_module_nextcu(module, u, &unit_bias)) != nullptr;)
    if (dwarf_haspc(u, pc) == 1) found = u;
  if (found) unit = dwarf_dieoffset(found) - dwarf_cuoffset(found);
  return found != nullptr;
}

// A unit of assay's own sources: each of its frames is assay's or the standard library's, all hidden, so
// none is read (the stack of a failing assertion crosses several such units, larger than a test's).
bool framework_unit(Dwarf_Die* unit) {
  const char* name = dwarf_diename(unit);
  if (!name) return false;
  Dwarf_Attribute attribute;
  const char* directory = dwarf_formstring(dwarf_attr(unit, DW_AT_comp_dir, &attribute));
  return is_framework(name[0] == '/' || !directory ? std::string(name) : std::string(directory) + '/' + name);
}

struct unit_entry {
  unit_entry(const dwarf::module_sections& sections, Dwarf_Off unit) : offset(unit), reader(sections, unit) {}
  Dwarf_Off offset;
  dwarf::unit_reader reader;
  bool framework = false;
  bool has_die = false;
  Dwarf_Die die;  // libdw's, for what the reader does not read

  Dwarf_Die* libdw_die(Dwarf* debug) {
    Dwarf_Off next = 0;
    std::size_t header_size = 0;
    if (!has_die)
      has_die = dwarf_next_unit(debug, offset, &next, &header_size, nullptr, nullptr, nullptr, nullptr, nullptr,
                                nullptr) == 0 &&
                dwarf_offdie(debug, offset + header_size, &die);
    return has_die ? &die : nullptr;
  }
};

unit_entry* entry_of(const dwarf::module_sections& sections, Dwarf_Off unit) {
  static std::map<std::pair<Dwarf*, Dwarf_Off>, unit_entry> units;  // under session_mutex
  auto [it, added] = units.try_emplace({sections.dwarf(), unit}, sections, unit);
  unit_entry& e = it->second;
  if (added) {
    const char* path = e.reader.path();
    Dwarf_Die* die = path ? nullptr : e.libdw_die(sections.dwarf());
    e.framework = path ? is_framework(path) : die && framework_unit(die);
  }
  return &e;
}

// The frames at one address, innermost first: the functions inlined there, then the one they are in.
// The line and the function are read directly (dwarf_reader.hpp); libdw's own readers are the fallback
// for what that does not read.
void frames_at(Dwfl* d, Dwarf_Addr pc, std::vector<frame>& out) {
  Dwfl_Module* module = module_at(d, pc);
  if (!module) return;
  Dwarf_Addr bias = 0;
  Dwarf* debug = dwfl_module_getdwarf(module, &bias);
  if (!debug) return;
  dwarf::module_sections& sections = sections_of(debug);
  Dwarf_Off unit_offset = 0;
  if (!unit_at(module, sections, pc - bias, bias, unit_offset)) return;
  unit_entry& entry = *entry_of(sections, unit_offset);
  if (entry.framework) return;
  dwarf::unit_reader& reader = entry.reader;
  Dwarf_Die* unit = entry.libdw_die(debug);  // (a lookup: libdw reads the unit only when asked)
  if (!unit) return;
  pc -= bias;
  Dwarf_Files* files = nullptr;  // libdw's file table, read only when the reader cannot
  const auto file_name = [&](std::uint64_t index) -> const char* {
    if (reader.file_names() == dwarf::lookup::found) return reader.file_name(index);
    if (!files && dwarf_getsrcfiles(unit, &files, nullptr) != 0) return nullptr;
    return dwarf_filesrc(files, index, nullptr, nullptr);
  };
  int number = 0;
  const char* file = nullptr;
  std::uint64_t file_index = 0;
  switch (reader.line_at(pc, file_index, number)) {
    case dwarf::lookup::found:
      file = file_name(file_index);
      break;
    case dwarf::lookup::absent:
      return;
    case dwarf::lookup::unsupported: {
      Dwarf_Line* line = dwarf_getsrc_die(unit, pc);
      file = line ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
      if (file && dwarf_lineno(line, &number) != 0) file = nullptr;
      break;
    }
  }
  if (!file) return;
  std::string current_file = file;
  std::vector<Dwarf_Die> chain;  // outermost first
  Dwarf_Off function = 0;
  switch (reader.function_at(pc, function)) {
    case dwarf::lookup::found:
      chain.emplace_back();
      if (dwarf_offdie(debug, function, &chain.back())) find_scopes(&chain.back(), pc, chain);
      else chain.clear();
      break;
    case dwarf::lookup::absent:
      break;
    case dwarf::lookup::unsupported:
      scopes_at(module, unit, pc, chain);
      break;
  }
  for (std::size_t i = chain.size(); i-- > 0;) {
    Dwarf_Die* scope = &chain[i];
    const int tag = dwarf_tag(scope);
    if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) continue;
    std::string name = die_name(scope);
    if (name.empty() && tag == DW_TAG_subprogram) {
      // g++ names no lambda's call operator in DWARF; its symbol has the name.
      const char* symbol = dwfl_module_addrname(module, pc + bias);
      if (symbol) name = symbol_name(symbol);
    }
    if (name.empty()) name = "<lambda>";  // an inlined call operator of a lambda, the one nameless function
    out.push_back(frame{current_file, number, std::move(name)});
    if (tag == DW_TAG_subprogram) break;  // the function the code is in
    // The inlined call's own place, in the function around it.
    Dwarf_Attribute attribute;
    Dwarf_Word call_file = 0, call_line = 0;
    if (dwarf_formudata(dwarf_attr(scope, DW_AT_call_file, &attribute), &call_file) != 0 ||
        dwarf_formudata(dwarf_attr(scope, DW_AT_call_line, &attribute), &call_line) != 0)
      break;
    const char* call_path = file_name(call_file);
    if (!call_path) break;
    current_file = call_path;
    number = static_cast<int>(call_line);
  }
  if (chain.empty()) {  // no function at pc in the debug information: its symbol names it
    const char* symbol = dwfl_module_addrname(module, pc + bias);
    if (symbol) out.push_back(frame{current_file, number, symbol_name(symbol)});
  }
}

}  // namespace

std::vector<frame> symbolize(const void* object) {
  const capture* c = find_capture(object);
  if (!c) return {};
  return symbolize_addresses(c->pcs, c->size);
}
std::vector<frame> symbolize_addresses(const std::uintptr_t* pcs, int count) {
  std::vector<frame> out;
  std::lock_guard<std::mutex> lock(session_mutex);
  Dwfl* d = session();
  if (!d) return out;
  std::vector<frame> raw;  // innermost first
  static std::map<std::uintptr_t, std::vector<frame>> known;  // a failing line fails again (subtests)
  for (int i = 0; i < count; ++i) {
    const std::uintptr_t pc = pcs[i] - 1;  // a return address belongs to the call before it
    auto it = known.find(pc);
    if (it == known.end()) {
      std::vector<frame> here;
      frames_at(d, pc, here);
      it = known.emplace(pc, std::move(here)).first;
    }
    raw.insert(raw.end(), it->second.begin(), it->second.end());
  }
  for (std::size_t i = raw.size(); i-- > 0;) {
    if (is_framework(raw[i].file) || raw[i].function.empty()) continue;
    std::string name = short_function_name(raw[i].function);
    if (name.rfind("assay_", 0) == 0) continue;  // the entry function TEST generates
    out.push_back(frame{std::move(raw[i].file), raw[i].line, std::move(name)});
  }
  return out;
}
std::string function_name(const void* address) {
  std::lock_guard<std::mutex> lock(session_mutex);
  Dwfl* d = session();
  const auto pc = reinterpret_cast<Dwarf_Addr>(address);
  Dwfl_Module* module = d && address ? module_at(d, pc) : nullptr;
  if (!module) return {};
  GElf_Off offset = 0;
  GElf_Sym symbol;
  // The symbol table (.symtab, which has static functions too, else .dynsym); only a function's start.
  const char* name = dwfl_module_addrinfo(module, pc, &offset, &symbol, nullptr, nullptr, nullptr);
  const int type = name ? GELF_ST_TYPE(symbol.st_info) : STT_NOTYPE;
  if (!name || offset != 0 || (type != STT_FUNC && type != STT_GNU_IFUNC)) return {};
  return short_function_name(symbol_name(name));
}
#else
std::vector<frame> symbolize(const void*) { return {}; }
std::vector<frame> symbolize_addresses(const std::uintptr_t*, int) { return {}; }
#endif

}  // namespace assay::detail

#ifdef ASSAY_HAVE_LIBDW
// The interposers exist only where a stack can be symbolised (a program linking libstdc++ statically
// gets a duplicate __cxa_throw: ASSAY_USE_LIBDW=OFF is its way out).

// A stored exception thrown again (a mock's side_effect): the place of the rethrow is its throw site.
void std::rethrow_exception(std::exception_ptr p) {  // [[noreturn]] by its declaration
  using rethrow_fn = void (*)(std::exception_ptr);
  static const auto real = reinterpret_cast<rethrow_fn>(
      ::dlsym(RTLD_NEXT, "_ZSt17rethrow_exceptionNSt15__exception_ptr13exception_ptrE"));
  const void* object = assay::detail::thrown_object(p);
  if (assay::detail::captures.bound && !assay::detail::expecting_exception) assay::detail::take(object);
  else assay::detail::forget(object);
  real(std::move(p));
  std::abort();
}

// Every throw passes here; a throw while a test part runs leaves its return addresses behind first.
extern "C" [[noreturn]] void __cxa_throw(void* object, std::type_info* type, void (*destroy)(void*)) {
  if (assay::detail::captures.bound && !assay::detail::expecting_exception) assay::detail::take(object);
  else assay::detail::forget(object);
  assay::detail::real_cxa_throw()(object, type, destroy);
  std::abort();
}
#endif
