// Diffs for failure messages, done as CPython does them (difflib.ndiff, pprint.pformat, unittest's
// _common_shorten_repr), so that a Python user reads the same hints, the same line breaks, the same "[N chars]".
#include <assay/detail/diff.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace assay::detail {

namespace {

// ---------------------------------------------------------------------------------------------------------
// UTF-8 helpers: Python counts and slices str by code point.

std::size_t utf8_length(unsigned char c) {
  return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_length(c);
    if (i + n > s.size()) n = 1;
    char32_t cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += n;
  }
  return out;
}

void encode(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) encode(out, c);
  return out;
}

// str.isspace() for the characters a diff line can hold.
bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// ---------------------------------------------------------------------------------------------------------
// difflib.SequenceMatcher, for lines (std::string) and for the characters of a line (char32_t).

struct match {
  std::size_t a, b, size;
  bool operator<(const match& o) const { return a != o.a ? a < o.a : b != o.b ? b < o.b : size < o.size; }
};

enum class op_tag { replace, remove, insert, equal };
struct opcode {
  op_tag tag;
  std::size_t a1, a2, b1, b2;
};

double calculate_ratio(std::size_t matches, std::size_t length) {
  return length ? 2.0 * static_cast<double>(matches) / static_cast<double>(length) : 1.0;
}

template <class T>
class sequence_matcher {
 public:
  // `char_junk`: blanks and tabs are junk (difflib.IS_CHARACTER_JUNK), as ndiff uses for intraline hints.
  explicit sequence_matcher(bool char_junk) : char_junk_(char_junk) {}

  void set_seq1(const std::vector<T>* a) {
    a_ = a;
    blocks_.clear();
    have_blocks_ = false;
  }
  void set_seq2(const std::vector<T>* b) {
    b_ = b;
    blocks_.clear();
    have_blocks_ = false;
    have_full_count_ = false;
    chain_b();
  }

  const std::vector<match>& matching_blocks() {
    if (have_blocks_) return blocks_;
    const std::size_t la = a_->size(), lb = b_->size();
    struct range {
      std::size_t alo, ahi, blo, bhi;
    };
    std::vector<range> queue;
    std::vector<match> found;
    queue.push_back({0, la, 0, lb});
    while (!queue.empty()) {
      const auto [alo, ahi, blo, bhi] = queue.back();
      queue.pop_back();
      const match m = find_longest_match(alo, ahi, blo, bhi);
      if (m.size) {
        found.push_back(m);
        if (alo < m.a && blo < m.b) queue.push_back({alo, m.a, blo, m.b});
        if (m.a + m.size < ahi && m.b + m.size < bhi) queue.push_back({m.a + m.size, ahi, m.b + m.size, bhi});
      }
    }
    std::sort(found.begin(), found.end());
    // Collapse adjacent blocks.
    std::size_t i1 = 0, j1 = 0, k1 = 0;
    for (const match& m : found) {
      if (i1 + k1 == m.a && j1 + k1 == m.b) {
        k1 += m.size;
      } else {
        if (k1) blocks_.push_back({i1, j1, k1});
        i1 = m.a, j1 = m.b, k1 = m.size;
      }
    }
    if (k1) blocks_.push_back({i1, j1, k1});
    blocks_.push_back({la, lb, 0});
    have_blocks_ = true;
    return blocks_;
  }

  std::vector<opcode> opcodes() {
    std::vector<opcode> out;
    std::size_t i = 0, j = 0;
    for (const match& m : matching_blocks()) {
      if (i < m.a && j < m.b) {
        out.push_back({op_tag::replace, i, m.a, j, m.b});
      } else if (i < m.a) {
        out.push_back({op_tag::remove, i, m.a, j, m.b});
      } else if (j < m.b) {
        out.push_back({op_tag::insert, i, m.a, j, m.b});
      }
      i = m.a + m.size, j = m.b + m.size;
      if (m.size) out.push_back({op_tag::equal, m.a, i, m.b, j});
    }
    return out;
  }

  double ratio() {
    std::size_t matches = 0;
    for (const match& m : matching_blocks()) matches += m.size;
    return calculate_ratio(matches, a_->size() + b_->size());
  }

  double quick_ratio() {
    if (!have_full_count_) {
      full_count_.clear();
      for (const T& e : *b_) ++full_count_[e];
      have_full_count_ = true;
    }
    std::unordered_map<T, long> avail;
    std::size_t matches = 0;
    for (const T& e : *a_) {
      auto it = avail.find(e);
      long numb;
      if (it != avail.end()) {
        numb = it->second;
      } else {
        auto f = full_count_.find(e);
        numb = f == full_count_.end() ? 0 : f->second;
      }
      avail[e] = numb - 1;
      if (numb > 0) ++matches;
    }
    return calculate_ratio(matches, a_->size() + b_->size());
  }

  double real_quick_ratio() const {
    const std::size_t la = a_->size(), lb = b_->size();
    return calculate_ratio(std::min(la, lb), la + lb);
  }

 private:
  bool is_junk(const T& e) const {
    if constexpr (std::is_same_v<T, char32_t>) {
      return char_junk_ && (e == U' ' || e == U'\t');
    } else {
      (void)e;
      return false;
    }
  }

  void chain_b() {
    b2j_.clear();
    junk_.clear();
    const std::vector<T>& b = *b_;
    for (std::size_t i = 0; i < b.size(); ++i) b2j_[b[i]].push_back(i);
    for (auto it = b2j_.begin(); it != b2j_.end();) {
      if (is_junk(it->first)) {
        junk_.insert(it->first);
        it = b2j_.erase(it);
      } else {
        ++it;
      }
    }
    // autojunk: in sequences of 200 or more, elements making up more than 1% are "popular" and not matched.
    const std::size_t n = b.size();
    if (n >= 200) {
      const std::size_t ntest = n / 100 + 1;
      for (auto it = b2j_.begin(); it != b2j_.end();) {
        it = it->second.size() > ntest ? b2j_.erase(it) : std::next(it);
      }
    }
  }

  bool bjunk(const T& e) const { return !junk_.empty() && junk_.count(e) != 0; }

  match find_longest_match(std::size_t alo, std::size_t ahi, std::size_t blo, std::size_t bhi) const {
    const std::vector<T>& a = *a_;
    const std::vector<T>& b = *b_;
    std::size_t besti = alo, bestj = blo, bestsize = 0;
    std::unordered_map<std::size_t, std::size_t> j2len, newj2len;
    for (std::size_t i = alo; i < ahi; ++i) {
      newj2len.clear();
      auto found = b2j_.find(a[i]);
      if (found != b2j_.end()) {
        for (std::size_t j : found->second) {
          if (j < blo) continue;
          if (j >= bhi) break;
          auto prev = j > 0 ? j2len.find(j - 1) : j2len.end();
          const std::size_t k = (prev == j2len.end() ? 0 : prev->second) + 1;
          newj2len[j] = k;
          if (k > bestsize) besti = i - k + 1, bestj = j - k + 1, bestsize = k;
        }
      }
      std::swap(j2len, newj2len);
    }
    // Extend the match with equal non-junk elements on both sides, then with equal junk.
    while (besti > alo && bestj > blo && !bjunk(b[bestj - 1]) && a[besti - 1] == b[bestj - 1])
      --besti, --bestj, ++bestsize;
    while (besti + bestsize < ahi && bestj + bestsize < bhi && !bjunk(b[bestj + bestsize]) &&
           a[besti + bestsize] == b[bestj + bestsize])
      ++bestsize;
    while (besti > alo && bestj > blo && bjunk(b[bestj - 1]) && a[besti - 1] == b[bestj - 1])
      --besti, --bestj, ++bestsize;
    while (besti + bestsize < ahi && bestj + bestsize < bhi && bjunk(b[bestj + bestsize]) &&
           a[besti + bestsize] == b[bestj + bestsize])
      ++bestsize;
    return {besti, bestj, bestsize};
  }

  bool char_junk_;
  const std::vector<T>* a_ = nullptr;
  const std::vector<T>* b_ = nullptr;
  std::unordered_map<T, std::vector<std::size_t>> b2j_;
  std::unordered_set<T> junk_;
  std::vector<match> blocks_;
  bool have_blocks_ = false;
  std::unordered_map<T, long> full_count_;
  bool have_full_count_ = false;
};

// ---------------------------------------------------------------------------------------------------------
// difflib.Differ

class differ {
 public:
  differ(const std::vector<std::string>& a, const std::vector<std::string>& b) : a_(a), b_(b) {
    for (const std::string& l : a) ca_.push_back(as_chars(l));
    for (const std::string& l : b) cb_.push_back(as_chars(l));
  }

  std::vector<std::string> compare() {
    sequence_matcher<std::string> lines(false);
    lines.set_seq1(&a_);
    lines.set_seq2(&b_);
    for (const opcode& o : lines.opcodes()) {
      switch (o.tag) {
        case op_tag::replace: fancy_replace(o.a1, o.a2, o.b1, o.b2); break;
        case op_tag::remove: dump('-', a_, o.a1, o.a2); break;
        case op_tag::insert: dump('+', b_, o.b1, o.b2); break;
        case op_tag::equal: dump(' ', a_, o.a1, o.a2); break;
      }
    }
    return std::move(out_);
  }

 private:
  static std::vector<char32_t> as_chars(const std::string& s) {
    const std::u32string u = decode(s);
    return std::vector<char32_t>(u.begin(), u.end());
  }

  void dump(char tag, const std::vector<std::string>& x, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) out_.push_back(std::string{tag, ' '} + x[i]);
  }

  void plain_replace(std::size_t alo, std::size_t ahi, std::size_t blo, std::size_t bhi) {
    // The shorter block first.
    if (bhi - blo < ahi - alo) {
      dump('+', b_, blo, bhi);
      dump('-', a_, alo, ahi);
    } else {
      dump('-', a_, alo, ahi);
      dump('+', b_, blo, bhi);
    }
  }

  // Finds the most similar pair of lines (ratio >= 0.75) to synch on and marks their differences.
  void fancy_replace(std::size_t alo, std::size_t ahi, std::size_t blo, std::size_t bhi) {
    double best_ratio = 0.74;
    const double cutoff = 0.75;
    std::size_t best_i = 0, best_j = 0;
    bool have_eq = false;
    std::size_t eqi = 0, eqj = 0;
    sequence_matcher<char32_t> cruncher(true);
    for (std::size_t j = blo; j < bhi; ++j) {
      cruncher.set_seq2(&cb_[j]);
      for (std::size_t i = alo; i < ahi; ++i) {
        if (a_[i] == b_[j]) {
          if (!have_eq) have_eq = true, eqi = i, eqj = j;
          continue;
        }
        cruncher.set_seq1(&ca_[i]);
        if (cruncher.real_quick_ratio() > best_ratio && cruncher.quick_ratio() > best_ratio &&
            cruncher.ratio() > best_ratio) {
          best_ratio = cruncher.ratio(), best_i = i, best_j = j;
        }
      }
    }
    bool identical = false;
    if (best_ratio < cutoff) {
      if (!have_eq) {
        plain_replace(alo, ahi, blo, bhi);
        return;
      }
      best_i = eqi, best_j = eqj, identical = true;
    }
    fancy_helper(alo, best_i, blo, best_j);
    if (!identical) {
      std::u32string atags, btags;
      cruncher.set_seq1(&ca_[best_i]);
      cruncher.set_seq2(&cb_[best_j]);
      for (const opcode& o : cruncher.opcodes()) {
        const std::size_t la = o.a2 - o.a1, lb = o.b2 - o.b1;
        switch (o.tag) {
          case op_tag::replace: atags.append(la, U'^'), btags.append(lb, U'^'); break;
          case op_tag::remove: atags.append(la, U'-'); break;
          case op_tag::insert: btags.append(lb, U'+'); break;
          case op_tag::equal: atags.append(la, U' '), btags.append(lb, U' '); break;
        }
      }
      qformat(best_i, best_j, atags, btags);
    } else {
      out_.push_back("  " + a_[best_i]);
    }
    fancy_helper(best_i + 1, ahi, best_j + 1, bhi);
  }

  void fancy_helper(std::size_t alo, std::size_t ahi, std::size_t blo, std::size_t bhi) {
    if (alo < ahi) {
      if (blo < bhi) {
        fancy_replace(alo, ahi, blo, bhi);
      } else {
        dump('-', a_, alo, ahi);
      }
    } else if (blo < bhi) {
      dump('+', b_, blo, bhi);
    }
  }

  // Tags under the original whitespace (a tab stays a tab, so the hints line up), trailing blanks dropped.
  static std::string hint(const std::vector<char32_t>& line, const std::u32string& tags) {
    std::u32string s;
    for (std::size_t k = 0; k < tags.size() && k < line.size(); ++k)
      s.push_back(tags[k] == U' ' && is_space(line[k]) ? line[k] : tags[k]);
    while (!s.empty() && is_space(s.back())) s.pop_back();
    return encode(s);
  }

  void qformat(std::size_t i, std::size_t j, const std::u32string& atags, const std::u32string& btags) {
    const std::string ah = hint(ca_[i], atags), bh = hint(cb_[j], btags);
    out_.push_back("- " + a_[i]);
    if (!ah.empty()) out_.push_back("? " + ah + "\n");
    out_.push_back("+ " + b_[j]);
    if (!bh.empty()) out_.push_back("? " + bh + "\n");
  }

  const std::vector<std::string>& a_;
  const std::vector<std::string>& b_;
  std::vector<std::vector<char32_t>> ca_, cb_;
  std::vector<std::string> out_;
};

// ---------------------------------------------------------------------------------------------------------
// pprint.pformat over a repr and its structure marks.

struct node {
  std::size_t begin = 0, open_end = 0, end = 0;  // [begin, open_end) is "[" or "Point{"; end is after the bracket
  bool unordered = false;                        // a hash container: pprint shows its items sorted
  struct item {
    std::size_t begin, end;       // the whole item, key included
    std::size_t value_begin;      // == begin without a key ("x=", "\"a\": ")
    const node* value = nullptr;  // the item's value when it is itself a container, nothing else
  };
  std::vector<item> items;
  std::deque<node> children;  // nested containers (a deque: pointers to them stay valid)
};

class structure_parser {
 public:
  explicit structure_parser(const structure& s) : marks_(s.marks) {}

  static bool opens(const structure::mark& m) {
    return m.kind == structure::open || m.kind == structure::open_unordered;
  }

  bool parse_root(node& root, std::size_t text_size) {
    if (marks_.empty() || !opens(marks_[0]) || marks_[0].at != 0) return false;
    return parse(root) && pos_ == marks_.size() && root.end == text_size;
  }

 private:
  // Parses the container whose open mark is marks_[pos_], through its close mark.
  bool parse(node& n) {
    const structure::mark& open = marks_[pos_++];
    n.begin = open.at, n.open_end = open.after;
    n.unordered = open.kind == structure::open_unordered;
    std::size_t item_begin = open.after, value_begin = open.after;
    const node* value = nullptr;
    while (pos_ < marks_.size()) {
      const structure::mark& m = marks_[pos_];
      if (opens(m)) {
        const bool is_value = m.at == value_begin;
        node& child = n.children.emplace_back();
        if (!parse(child)) return false;
        if (is_value) value = &child;
        continue;
      }
      ++pos_;
      if (m.kind == structure::key) {
        value_begin = m.after;
        value = nullptr;
        continue;
      }
      const bool empty = m.kind == structure::close && n.items.empty() && m.at == open.after;
      if (!empty) n.items.push_back({item_begin, m.at, value_begin, value && value->end == m.at ? value : nullptr});
      if (m.kind == structure::close) {
        n.end = m.after;
        return true;
      }
      item_begin = value_begin = m.after;
      value = nullptr;
    }
    return false;
  }

  const std::vector<structure::mark>& marks_;
  std::size_t pos_ = 0;
};

// Orders the items of a hash container as pprint sorts a dict's keys or a set's items: numbers by value,
// anything else by its repr.
bool item_less(std::string_view a, std::string_view b) {
  auto number = [](std::string_view s, double& v) {
    if (s.empty() || s.size() > 60) return false;
    char buf[64];
    s.copy(buf, s.size());
    buf[s.size()] = '\0';
    char* end = nullptr;
    v = std::strtod(buf, &end);
    return end == buf + s.size();
  };
  double x = 0, y = 0;
  if (number(a, x) && number(b, y) && x != y) return x < y;
  return a < b;
}

class pretty_printer {
 public:
  pretty_printer(const std::string& text, std::size_t width) : text_(text), width_(width) {}

  // pprint's _format: the repr when it fits in width - indent - allowance columns, else one item per line.
  void format(std::string& out, const node& n, std::size_t indent, std::size_t allowance) const {
    const std::string rep = flat(n);
    if (char_count(rep) + indent + allowance <= width_ || n.items.empty()) {
      out += rep;
      return;
    }
    const std::string_view opening = slice(n.begin, n.open_end);
    const std::string_view closing = slice(n.items.back().end, n.end);  // "]", "}", ",)"
    out += opening;
    const std::size_t inner = indent + char_count(opening);
    const std::vector<const node::item*> items = ordered(n);
    for (std::size_t k = 0; k < items.size(); ++k) {
      const node::item& it = *items[k];
      const bool last = k + 1 == items.size();
      if (k > 0) {
        out += ",\n";
        out.append(inner, ' ');
      }
      const std::string_view key = slice(it.begin, it.value_begin);
      out += key;
      const std::size_t item_allowance = last ? allowance + char_count(closing) : 1;
      if (it.value) {
        format(out, *it.value, inner + char_count(key), item_allowance);
      } else {
        out += slice(it.value_begin, it.end);
      }
    }
    out += closing;
  }

 private:
  std::string_view slice(std::size_t b, std::size_t e) const { return std::string_view(text_).substr(b, e - b); }

  // The items in the order pprint shows them: as written, or sorted for a hash container.
  std::vector<const node::item*> ordered(const node& n) const {
    std::vector<const node::item*> items;
    for (const node::item& it : n.items) items.push_back(&it);
    if (n.unordered) {
      std::stable_sort(items.begin(), items.end(), [this](const node::item* a, const node::item* b) {
        const std::string_view ka = slice(a->begin, a->value_begin == a->begin ? a->end : a->value_begin);
        const std::string_view kb = slice(b->begin, b->value_begin == b->begin ? b->end : b->value_begin);
        return item_less(ka.substr(0, ka.rfind(": ") == std::string_view::npos ? ka.size() : ka.rfind(": ")),
                         kb.substr(0, kb.rfind(": ") == std::string_view::npos ? kb.size() : kb.rfind(": ")));
      });
    }
    return items;
  }

  // The one-line form: the repr itself, with the items of hash containers sorted.
  std::string flat(const node& n) const {
    if (!contains_unordered(n)) return std::string(slice(n.begin, n.end));
    std::string out(slice(n.begin, n.open_end));
    const std::vector<const node::item*> items = ordered(n);
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (k > 0) out += ", ";
      out += slice(items[k]->begin, items[k]->value_begin);
      out += items[k]->value ? flat(*items[k]->value) : std::string(slice(items[k]->value_begin, items[k]->end));
    }
    out += n.items.empty() ? slice(n.open_end, n.end) : slice(n.items.back().end, n.end);
    return out;
  }

  static bool contains_unordered(const node& n) {
    if (n.unordered) return true;
    for (const node& c : n.children)
      if (contains_unordered(c)) return true;
    return false;
  }

  const std::string& text_;
  std::size_t width_;
};

std::string shorten(std::u32string_view s, std::size_t prefixlen, std::size_t suffixlen) {
  constexpr std::size_t placeholder_len = 12;
  if (s.size() > prefixlen + suffixlen && s.size() - prefixlen - suffixlen > placeholder_len) {
    const std::size_t skip = s.size() - prefixlen - suffixlen;
    return encode(s.substr(0, prefixlen)) + "[" + std::to_string(skip) + " chars]" +
           encode(s.substr(s.size() - suffixlen));
  }
  return encode(s);
}

}  // namespace

structured_repr repr_with_structure(value_ref v) {
  structured_repr r;
  writer w;
  w.record(&r.marks);
  v.write_to(w);
  w.record(nullptr);
  r.text.assign(w.data(), w.size());
  return r;
}

std::vector<std::string> top_level_items(const structured_repr& r) {
  node root;
  std::vector<std::string> out;
  if (!structure_parser(r.marks).parse_root(root, r.text.size())) return out;
  for (const node::item& it : root.items) out.emplace_back(r.text.substr(it.begin, it.end - it.begin));
  return out;
}

std::string pformat(const structured_repr& r, size_type width) {
  node root;
  if (!structure_parser(r.marks).parse_root(root, r.text.size())) return r.text;
  std::string out;
  pretty_printer(r.text, width).format(out, root, 0, 0);
  return out;
}

size_type char_count(std::string_view s) noexcept {
  size_type n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

namespace {

// The length of the line boundary str.splitlines() sees at s[i] (\r\n, \r, \n, \v, \f, \x1c-\x1e, U+0085,
// U+2028, U+2029), or 0.
std::size_t line_boundary(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == '\r') return i + 1 < s.size() && s[i + 1] == '\n' ? 2 : 1;
  if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E)) return 1;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return 2;
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))
    return 3;
  return 0;
}

}  // namespace

std::vector<std::string> split_lines(std::string_view s, bool keepends) {
  std::vector<std::string> lines;
  std::size_t start = 0, i = 0;
  while (i < s.size()) {
    if (const std::size_t eol = line_boundary(s, i)) {
      lines.emplace_back(s.substr(start, keepends ? i + eol - start : i - start));
      i += eol;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < s.size()) lines.emplace_back(s.substr(start));
  return lines;
}

std::string displayed_line(std::string_view line) {
  // The line's own boundary stays as it is, as Python prints it: it ends the diff line ("- a\r\n").
  std::size_t body_size = line.size();
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (const std::size_t eol = line_boundary(line, i); eol && i + eol == line.size()) {
      body_size = i;
      break;
    }
  }
  const std::string_view body = line.substr(0, body_size);
  writer w;
  w.write_quoted(str{body.data(), body.size()});
  // Keep the characters a reader sees as themselves: tabs and quotes need no escape outside quotes.
  std::string out;
  const std::string_view q(w.data() + 1, w.size() - 2);
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '\\' && i + 1 < q.size()) {
      if (q[i + 1] == 't') {
        out += '\t', ++i;
        continue;
      }
      if (q[i + 1] == '"' || q[i + 1] == '\\') {
        out += q[i + 1], ++i;
        continue;
      }
    }
    out += q[i];
  }
  out += line.substr(body_size);
  return out;
}

std::vector<std::string> ndiff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return differ(a, b).compare();
}

void common_shorten_repr(std::string& a, std::string& b) {
  constexpr std::size_t max_length = 80, placeholder_len = 12, min_begin_len = 5, min_end_len = 5,
                        min_common_len = 5;
  constexpr std::size_t min_diff_len =
      max_length - (min_begin_len + placeholder_len + min_common_len + placeholder_len + min_end_len);
  const std::u32string ua = decode(a), ub = decode(b);
  const std::size_t maxlen = std::max(ua.size(), ub.size());
  if (maxlen <= max_length) return;
  std::size_t prefixlen = 0;
  while (prefixlen < ua.size() && prefixlen < ub.size() && ua[prefixlen] == ub[prefixlen]) ++prefixlen;
  const std::u32string_view prefix(ua.data(), prefixlen);
  const std::u32string_view rest_a = std::u32string_view(ua).substr(prefixlen);
  const std::u32string_view rest_b = std::u32string_view(ub).substr(prefixlen);
  const long common_len = static_cast<long>(max_length) -
                          static_cast<long>(maxlen - prefixlen + min_begin_len + placeholder_len);
  if (common_len > static_cast<long>(min_common_len)) {
    const std::string p = shorten(prefix, min_begin_len, static_cast<std::size_t>(common_len));
    a = p + encode(rest_a);
    b = p + encode(rest_b);
    return;
  }
  const std::string p = shorten(prefix, min_begin_len, min_common_len);
  a = p + shorten(rest_a, min_diff_len, min_end_len);
  b = p + shorten(rest_b, min_diff_len, min_end_len);
}

}  // namespace assay::detail
