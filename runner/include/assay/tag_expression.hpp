// Selecting tests by tag: `-m EXPR`, pytest's marker expressions (`slow and not (db or net)`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <assay/registry.hpp>

namespace assay {

/// A parsed `-m` expression: tags combined with `and`, `or`, `not` and parentheses (pytest's grammar).
class tag_expression {
 public:
  /// Parses `text`; false with the reason in `error` (`at column 9: expected a tag, 'not' or '('; got end
  /// of input`). An empty (or blank) text is no expression: it selects every test, as pytest's `-m ""`.
  bool parse(const std::string& text, std::string& error);
  bool empty() const { return root_ < 0; }
  /// True when tags `tags` (sorted) satisfy the expression; always true when empty().
  bool matches(const std::vector<std::string_view>& tags) const;
  /// The tags the expression names, in order of appearance.
  const std::vector<std::string>& names() const { return names_; }

 private:
  friend class tag_parser;
  struct node {
    enum op_t : unsigned char { tag, not_, and_, or_ } op = tag;
    std::string name;          // tag
    std::vector<int> operands;  // not (one), and, or (two or more)
  };
  bool eval(int index, const std::vector<std::string_view>& tags) const;
  std::vector<node> nodes_;
  std::vector<std::string> names_;
  int root_ = -1;
};

/// The `-m` expressions of a run (all must hold), parsed; false with argparse's wording in `error`.
bool parse_tag_expressions(const std::vector<std::string>& texts, std::vector<tag_expression>& out, std::string& error);

/// An error naming the first tag of `expressions` that no test of `tests` has, with the tags there are
/// (a misspelt tag would otherwise select nothing, and an empty run would look like a verdict).
std::string unknown_tag_error(const std::vector<tag_expression>& expressions, const std::vector<test_info*>& tests);

/// The tests of `tests` whose tags satisfy every expression, in order.
std::vector<const test_info*> select_tagged(const std::vector<const test_info*>& tests,
                                            const std::vector<tag_expression>& expressions);

}  // namespace assay
