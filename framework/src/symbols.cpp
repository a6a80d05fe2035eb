// The name of a function from its address, for the repr of a function pointer (`<function utcnow at 0x…>`):
// read from the ELF symbol table of the object that holds it (.symtab, which has static functions too, else
// .dynsym), since dladdr sees only exported symbols and a test binary exports almost none. Where assay
// reads debug information with libdw (stack.cpp), libdw reads the symbol table too, and only the
// shortening of names below is used.
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <assay/detail/internal.hpp>

namespace assay::detail {

#ifndef ASSAY_HAVE_LIBDW
namespace {

// An object file mapped read-only for the life of the process: a failure message may need it again.
struct symbol_table {
  const ElfW(Sym)* symbols = nullptr;
  std::size_t count = 0;
  const char* names = nullptr;
  std::size_t names_size = 0;
};

symbol_table load_symbols(const char* path) {
  symbol_table table;
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return table;
  struct stat st {};
  void* map = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && st.st_size > static_cast<off_t>(sizeof(ElfW(Ehdr))))
    map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return table;
  const auto* bytes = static_cast<const unsigned char*>(map);
  const auto size = static_cast<std::size_t>(st.st_size);
  ElfW(Ehdr) header;
  std::memcpy(&header, bytes, sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_shentsize != sizeof(ElfW(Shdr)) ||
      header.e_shoff == 0 || header.e_shoff + header.e_shnum * sizeof(ElfW(Shdr)) > size) {
    ::munmap(map, size);
    return table;
  }
  const auto* sections = reinterpret_cast<const ElfW(Shdr)*>(bytes + header.e_shoff);
  for (const ElfW(Word) wanted : {ElfW(Word){SHT_SYMTAB}, ElfW(Word){SHT_DYNSYM}}) {
    for (std::size_t i = 0; i < header.e_shnum; ++i) {
      const ElfW(Shdr)& s = sections[i];
      if (s.sh_type != wanted || s.sh_link >= header.e_shnum || s.sh_entsize != sizeof(ElfW(Sym))) continue;
      const ElfW(Shdr)& strings = sections[s.sh_link];
      if (s.sh_offset + s.sh_size > size || strings.sh_offset + strings.sh_size > size) continue;
      table.symbols = reinterpret_cast<const ElfW(Sym)*>(bytes + s.sh_offset);
      table.count = s.sh_size / sizeof(ElfW(Sym));
      table.names = reinterpret_cast<const char*>(bytes + strings.sh_offset);
      table.names_size = strings.sh_size;
      return table;
    }
  }
  ::munmap(map, size);
  return table;
}

// The loaded object whose segments hold `address`: its file and its load bias.
struct holder {
  std::uintptr_t address;
  std::string path;
  std::uintptr_t bias = 0;
  bool found = false;
};

int find_holder(dl_phdr_info* info, std::size_t, void* data) {
  auto* h = static_cast<holder*>(data);
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& p = info->dlpi_phdr[i];
    const std::uintptr_t start = info->dlpi_addr + p.p_vaddr;
    if (p.p_type == PT_LOAD && h->address >= start && h->address < start + p.p_memsz) {
      h->found = true;
      h->bias = info->dlpi_addr;
      h->path = info->dlpi_name ? info->dlpi_name : "";  // empty for the main program
      return 1;
    }
  }
  return 0;
}

}  // namespace
#endif

// "ns::Clock::now(int)" -> "now", "void f<int>(int)" -> "f<int>": the last name, as a repr names a type.
std::string short_function_name(std::string name) {
  // g++ gives the call operator of a lambda outside any function no linkage name, only this.
  if (name == "operator()") return "<lambda>";
  // A member function's qualifiers: `operator()() const`.
  for (bool again = true; again;) {
    again = false;
    for (std::string_view q : {" const", " volatile", " &&", " &", " noexcept"}) {
      if (name.size() > q.size() && name.compare(name.size() - q.size(), q.size(), q) == 0) {
        name.resize(name.size() - q.size());
        again = true;
      }
    }
  }
  if (!name.empty() && name.back() == ')') {
    int depth = 0;
    for (std::size_t i = name.size(); i-- > 0;) {
      if (name[i] == ')') ++depth;
      if (name[i] == '(' && --depth == 0) {
        name.erase(i);
        break;
      }
    }
  }
  for (const char* tag : {"[abi:cxx11]"}) {
    for (std::size_t p; (p = name.find(tag)) != std::string::npos;) name.erase(p, std::strlen(tag));
  }
  // A lambda converted to a function pointer is its closure's static invoker: g++ names it
  // `f::{lambda(int)#1}::_FUN`, clang `f::{lambda(int)#1}::__invoke` or `f::$_0::__invoke`. Python calls any
  // lambda `<lambda>`, and so does a traceback its call operator.
  for (const char* invoker : {"::_FUN", "::__invoke", "::operator()"}) {
    const std::size_t n = std::strlen(invoker);
    if (name.size() <= n || name.compare(name.size() - n, n, invoker) != 0) continue;
    const std::string_view closure = std::string_view(name).substr(0, name.size() - n);
    const std::size_t dollar = closure.rfind("::$_");
    if (closure.back() == '}' || (dollar != std::string_view::npos && closure.find("::", dollar + 2) == closure.npos))
      return "<lambda>";
  }
  // The return type of a template function, then the qualifiers, outside any <…> or (…).
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '<' || c == '(' || c == '{') ++depth;
    if (c == '>' || c == ')' || c == '}') --depth;
    if (depth == 0 && (c == ' ' || (c == ':' && i + 1 < name.size() && name[i + 1] == ':'))) {
      start = c == ' ' ? i + 1 : i + 2;
      if (c == ':') ++i;
    }
  }
  return name.substr(start);
}

#ifndef ASSAY_HAVE_LIBDW
std::string function_name(const void* address) {
  holder h{reinterpret_cast<std::uintptr_t>(address), {}, 0, false};
  if (!address || ::dl_iterate_phdr(&find_holder, &h) == 0 || !h.found) return {};
  static std::mutex mutex;
  static std::map<std::string, symbol_table> tables;
  const std::string path = h.path.empty() ? "/proc/self/exe" : h.path;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = tables.find(path);
  if (it == tables.end()) it = tables.emplace(path, load_symbols(path.c_str())).first;
  const symbol_table& t = it->second;
  const std::uintptr_t value = h.address - h.bias;
  for (std::size_t i = 0; i < t.count; ++i) {
    const ElfW(Sym)& s = t.symbols[i];
    const unsigned type = ELF64_ST_TYPE(s.st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_value != value || s.st_name == 0 ||
        s.st_name >= t.names_size)
      continue;
    return short_function_name(demangle(t.names + s.st_name));
  }
  return {};
}

#endif

}  // namespace assay::detail
