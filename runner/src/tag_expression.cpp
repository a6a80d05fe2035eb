// Selecting tests by tag: a recursive-descent parser and evaluator of pytest's marker expressions.
#include <assay/tag_expression.hpp>

#include <algorithm>
#include <set>

namespace assay {

namespace {

// `not` and parentheses nest; a hostile expression must not exhaust the stack (parse or evaluation).
constexpr int max_depth = 100;

bool word_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct token {
  enum kind_t : unsigned char { word, open, close, end, bad } kind = end;
  std::string text;
  std::size_t column = 0;  // 1-based, as pytest reports it
  bool is(const char* w) const { return kind == word && text == w; }
  std::string described() const {
    switch (kind) {
      case end: return "end of input";
      case bad: return "invalid character '" + text + "'";
      default: return "'" + text + "'";
    }
  }
};

}  // namespace

// expression: expr? end;  expr: and ('or' and)*;  and: not ('and' not)*;  not: 'not' not | '(' expr ')' | tag
class tag_parser {
 public:
  tag_parser(const std::string& text, tag_expression& out) : text_(text), out_(out) { next(); }

  bool parse(std::string& error) {
    if (current_.kind == token::end) return true;  // nothing: every test
    const int root = parse_or(0);
    if (root >= 0 && current_.kind != token::end) fail("'and', 'or' or end of input");
    if (!error_.empty()) {
      error = error_;
      return false;
    }
    out_.root_ = root;
    return true;
  }

 private:
  using node = tag_expression::node;

  void next() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    current_ = token{};
    current_.column = pos_ + 1;
    if (pos_ == text_.size()) return;
    const char c = text_[pos_];
    if (c == '(' || c == ')') {
      current_.kind = c == '(' ? token::open : token::close;
      current_.text = std::string(1, c);
      ++pos_;
      return;
    }
    if (!word_char(c)) {
      current_.kind = token::bad;
      // A byte outside ASCII is shown as its code: the message must stay valid text.
      const unsigned char u = static_cast<unsigned char>(c);
      current_.text = u < 0x20 || u >= 0x7f ? "\\x" + std::string(1, "0123456789abcdef"[u >> 4]) +
                                                  std::string(1, "0123456789abcdef"[u & 15])
                                            : std::string(1, c);
      return;
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && word_char(text_[pos_])) ++pos_;
    current_.kind = token::word;
    current_.text = text_.substr(start, pos_ - start);
  }

  int fail(const char* expected) {
    if (error_.empty())
      error_ = "at column " + std::to_string(current_.column) + ": expected " + expected + "; got " + current_.described();
    return -1;
  }

  int add(node n) {
    out_.nodes_.push_back(std::move(n));
    return static_cast<int>(out_.nodes_.size() - 1);
  }

  int parse_or(int depth) { return parse_list(depth, "or", node::or_); }
  int parse_and(int depth) { return parse_list(depth, "and", node::and_); }

  // `a and b and c` as one node of three operands: long chains cost no depth.
  int parse_list(int depth, const char* word, node::op_t op) {
    const bool is_or = op == node::or_;
    const int first = is_or ? parse_and(depth) : parse_not(depth);
    if (first < 0 || !current_.is(word)) return first;
    node n;
    n.op = op;
    n.operands.push_back(first);
    while (current_.is(word)) {
      next();
      const int more = is_or ? parse_and(depth) : parse_not(depth);
      if (more < 0) return -1;
      n.operands.push_back(more);
    }
    return add(std::move(n));
  }

  int parse_not(int depth) {
    if (depth > max_depth) {
      if (error_.empty())
        error_ = "at column " + std::to_string(current_.column) + ": nested more than " + std::to_string(max_depth) +
                 " levels deep";
      return -1;
    }
    if (current_.is("not")) {
      next();
      const int operand = parse_not(depth + 1);
      if (operand < 0) return -1;
      node n;
      n.op = node::not_;
      n.operands.push_back(operand);
      return add(std::move(n));
    }
    if (current_.kind == token::open) {
      next();
      const int inner = parse_or(depth + 1);
      if (inner < 0) return -1;
      if (current_.kind != token::close) return fail("'and', 'or' or ')'");
      next();
      return inner;
    }
    if (current_.kind == token::word && !current_.is("and") && !current_.is("or")) {
      node n;
      n.name = current_.text;
      if (seen_.insert(n.name).second) out_.names_.push_back(n.name);
      next();
      return add(std::move(n));
    }
    return fail("a tag, 'not' or '('");
  }

  const std::string& text_;
  tag_expression& out_;
  std::size_t pos_ = 0;
  token current_;
  std::string error_;
  std::set<std::string> seen_;  // names_ so far (a long expression must not cost quadratic time)
};

bool tag_expression::parse(const std::string& text, std::string& error) {
  *this = tag_expression{};
  tag_parser parser(text, *this);
  if (parser.parse(error)) return true;
  *this = tag_expression{};
  return false;
}

bool tag_expression::eval(int index, const std::vector<std::string_view>& tags) const {
  const node& n = nodes_[static_cast<std::size_t>(index)];
  switch (n.op) {
    case node::tag: return std::binary_search(tags.begin(), tags.end(), std::string_view(n.name));
    case node::not_: return !eval(n.operands.front(), tags);
    case node::and_:
      return std::all_of(n.operands.begin(), n.operands.end(), [&](int i) { return eval(i, tags); });
    case node::or_:
      return std::any_of(n.operands.begin(), n.operands.end(), [&](int i) { return eval(i, tags); });
  }
  return false;
}

bool tag_expression::matches(const std::vector<std::string_view>& tags) const {
  return root_ < 0 || eval(root_, tags);
}

bool parse_tag_expressions(const std::vector<std::string>& texts, std::vector<tag_expression>& out, std::string& error) {
  out.clear();
  for (const std::string& text : texts) {
    tag_expression e;
    if (!e.parse(text, error)) {
      error = "argument -m: malformed expression '" + text + "': " + error;
      return false;
    }
    if (!e.empty()) out.push_back(std::move(e));
  }
  return true;
}

std::string unknown_tag_error(const std::vector<tag_expression>& expressions, const std::vector<test_info*>& tests) {
  std::set<std::string_view> known;
  for (const test_info* t : tests) known.insert(t->tags.begin(), t->tags.end());
  for (const tag_expression& e : expressions) {
    for (const std::string& name : e.names()) {
      if (known.count(name)) continue;
      std::string error = "argument -m: unknown tag '" + name + "': no test has it";
      if (known.empty()) return error + " (no test has any tag)";
      // The tags there are, so a misspelling is seen at once (the first few of many).
      constexpr std::size_t shown = 12;
      error += " (tags: ";
      std::size_t n = 0;
      for (const std::string_view tag : known) {
        if (n == shown) {
          error += ", … " + std::to_string(known.size() - shown) + " more";
          break;
        }
        error += (n++ ? ", " : "") + std::string(tag);
      }
      return error + ")";
    }
  }
  return {};
}

std::vector<const test_info*> select_tagged(const std::vector<const test_info*>& tests,
                                            const std::vector<tag_expression>& expressions) {
  if (expressions.empty()) return tests;
  std::vector<const test_info*> chosen;
  for (const test_info* t : tests)
    if (std::all_of(expressions.begin(), expressions.end(), [&](const tag_expression& e) { return e.matches(t->tags); }))
      chosen.push_back(t);
  return chosen;
}

}  // namespace assay
