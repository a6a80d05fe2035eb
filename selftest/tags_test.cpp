// Tags checked with assay itself: the -m expression grammar and its messages, tags gathered by the registry
// (test, class, inherited), selection by tag and --exclude, and the options that carry them.
#include <assay/assay.hpp>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <assay/loader.hpp>
#include <assay/program.hpp>
#include <assay/tag_expression.hpp>

namespace {

// Inner cases, registered and never collected: the registry's view of their tags is checked below.
class TaggedBase : public assay::TestCase<TaggedBase> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::tag("base"), assay::detail::not_collected);
  TEST(test_plain) {}
  TEST(test_one, assay::tag("slow")) {}
  TEST(test_many, assay::tags("  slow db  net "), assay::tag("db")) {}
};

class TaggedSub : public assay::TestCase<TaggedSub, TaggedBase> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::tags("sub zeta"), assay::detail::not_collected);
  TEST(test_own, assay::tag("alpha")) {}
};

// No options of its own: its base's class options (the tag included) apply, once.
class TaggedQuiet : public assay::TestCase<TaggedQuiet, TaggedBase> {};

class Untagged : public assay::TestCase<Untagged> {
 protected:
  TEST(test_none, assay::detail::not_collected) {}
};

std::vector<std::string> tags_of(const char* id) {
  const assay::test_info* t = assay::find_test(std::string("tags_test.") + id);
  if (!t) return {"<no test " + std::string(id) + ">"};
  return {t->tags.begin(), t->tags.end()};
}

class RegistryTagsTest : public assay::TestCase<RegistryTagsTest> {
 protected:
  TEST(test_class_tag_on_every_test) {
    assertEqual(tags_of("TaggedBase.test_plain"), std::vector<std::string>{"base"});
    assertEqual(tags_of("TaggedBase.test_one"), (std::vector<std::string>{"base", "slow"}));
  }
  // Spaces separate the tags of assay::tags; each tag once, sorted.
  TEST(test_tags_split_sorted_and_unique) {
    assertEqual(tags_of("TaggedBase.test_many"), (std::vector<std::string>{"base", "db", "net", "slow"}));
  }
  // A subclass's own class tags add to its bases' (pytest's marks follow the MRO).
  TEST(test_subclass_accumulates) {
    assertEqual(tags_of("TaggedSub.test_plain"), (std::vector<std::string>{"base", "sub", "zeta"}));
    assertEqual(tags_of("TaggedSub.test_one"), (std::vector<std::string>{"base", "slow", "sub", "zeta"}));
    assertEqual(tags_of("TaggedSub.test_own"), (std::vector<std::string>{"alpha", "base", "sub", "zeta"}));
  }
  TEST(test_subclass_without_options_inherits) {
    assertEqual(tags_of("TaggedQuiet.test_many"), (std::vector<std::string>{"base", "db", "net", "slow"}));
  }
  TEST(test_untagged_has_none) { assertEqual(tags_of("Untagged.test_none"), std::vector<std::string>{}); }
  // Tags are compile-time literals: the option holds only a pointer and a length.
  TEST(test_option_is_a_view_of_the_literal) {
    static constexpr const char text[] = "slow db";
    constexpr assay::detail::test_option o = assay::tags(text);
    assertEqual(static_cast<int>(o.kind), static_cast<int>(assay::detail::test_option::tag));
    assertIs(o.reason.data, &text[0]);
    assertEqual(o.reason.size, std::size_t{7});
  }
};

// `matches` on an expression, with `tags` given unsorted for readability.
bool selects(const std::string& expression, std::vector<std::string_view> tags) {
  std::sort(tags.begin(), tags.end());
  assay::tag_expression e;
  std::string error;
  if (!e.parse(expression, error)) throw std::runtime_error("did not parse: " + error);
  return e.matches(tags);
}

std::string parse_error(const std::string& expression) {
  assay::tag_expression e;
  std::string error;
  return e.parse(expression, error) ? "<parsed>" : error;
}

class TagExpressionTest : public assay::TestCase<TagExpressionTest> {
 protected:
  TEST(test_single_tag) {
    assertTrue(selects("slow", {"slow", "db"}));
    assertFalse(selects("slow", {"db"}));
    assertFalse(selects("slow", {}));
  }
  TEST(test_not_and_or) {
    assertTrue(selects("slow and not db", {"slow"}));
    assertFalse(selects("slow and not db", {"slow", "db"}));
    assertTrue(selects("slow or db", {"db"}));
    assertFalse(selects("not slow", {"slow"}));
    assertTrue(selects("not not slow", {"slow"}));
  }
  // pytest's precedence: not binds tighter than and, and tighter than or.
  TEST(test_precedence_and_parentheses) {
    assertTrue(selects("a or b and c", {"a"}));
    assertFalse(selects("(a or b) and c", {"a"}));
    assertTrue(selects("(a or b) and c", {"b", "c"}));
    assertTrue(selects("not a and b", {"b"}));
    assertFalse(selects("not (a and b)", {"a", "b"}));
    assertTrue(selects("((a))", {"a"}));
  }
  // Case-sensitive, whole tags only: `slo` is not `slow`.
  TEST(test_whole_tags_case_sensitive) {
    assertFalse(selects("slo", {"slow"}));
    assertFalse(selects("Slow", {"slow"}));
  }
  TEST(test_long_chain_costs_no_depth) {
    std::string chain = "t0";
    for (int i = 1; i < 5000; ++i) chain += " or t" + std::to_string(i);
    assertTrue(selects(chain, {"t4999"}));
    assertFalse(selects(chain, {"t5000"}));
  }
  TEST(test_empty_and_blank_select_everything) {
    assay::tag_expression e;
    std::string error;
    assertTrue(e.parse("", error));
    assertTrue(e.empty());
    assertTrue(e.parse(" \t ", error));
    assertTrue(e.empty());
    assertTrue(e.matches({}));
  }
  TEST(test_names_in_order_once) {
    assay::tag_expression e;
    std::string error;
    assertTrue(e.parse("(slow or db) and not slow and net", error));
    assertEqual(e.names(), (std::vector<std::string>{"slow", "db", "net"}));
  }
  TEST(test_malformed) {
    assertEqual(parse_error("slow and"), "at column 9: expected a tag, 'not' or '('; got end of input");
    assertEqual(parse_error("and slow"), "at column 1: expected a tag, 'not' or '('; got 'and'");
    assertEqual(parse_error("not"), "at column 4: expected a tag, 'not' or '('; got end of input");
    assertEqual(parse_error("slow db"), "at column 6: expected 'and', 'or' or end of input; got 'db'");
    assertEqual(parse_error("(slow"), "at column 6: expected 'and', 'or' or ')'; got end of input");
    assertEqual(parse_error("slow)"), "at column 5: expected 'and', 'or' or end of input; got ')'");
    assertEqual(parse_error("()"), "at column 2: expected a tag, 'not' or '('; got ')'");
    assertEqual(parse_error("slow or or db"), "at column 9: expected a tag, 'not' or '('; got 'or'");
    assertEqual(parse_error("[slow]"), "at column 1: expected a tag, 'not' or '('; got invalid character '['");
    // A byte outside printable ASCII is shown by its code, so the message stays valid text.
    assertEqual(parse_error("slow and \xc3\xa9"), "at column 10: expected a tag, 'not' or '('; got invalid character '\\xc3'");
  }
  // Nesting is bounded, so a hostile expression cannot exhaust the stack; 100 levels are fine.
  TEST(test_nesting_bounded) {
    assertTrue(selects(std::string(100, '(') + "a" + std::string(100, ')'), {"a"}));
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "not ";
    assertTrue(selects(deep + "a", {"a"}));
    assertEqual(parse_error(std::string(100000, '(') + "a"), "at column 102: nested more than 100 levels deep");
    std::string deeper;
    for (int i = 0; i < 100000; ++i) deeper += "not ";
    assertEqual(parse_error(deeper + "a"), "at column 405: nested more than 100 levels deep");
  }
  TEST(test_expressions_of_a_run) {
    std::vector<assay::tag_expression> parsed;
    std::string error;
    assertTrue(assay::parse_tag_expressions({"slow", " ", "not db"}, parsed, error));
    assertEqual(parsed.size(), std::size_t{2});  // the blank one is no expression
    assertFalse(assay::parse_tag_expressions({"slow", "not"}, parsed, error));
    assertEqual(error, "argument -m: malformed expression 'not': at column 4: expected a tag, 'not' or '('; got end of input");
  }
};

// Records standing for tests, for the selection functions (they read only ids and tags).
class SelectionTest : public assay::TestCase<SelectionTest> {
 protected:
  void setUp() override {
    records_.resize(4);
    const char* ids[] = {"m.A.test_slow", "m.A.test_db", "m.B.test_both", "m.B.test_none"};
    records_[0].tags = {"slow"};
    records_[1].tags = {"db"};
    records_[2].tags = {"db", "slow"};
    for (std::size_t i = 0; i < records_.size(); ++i) {
      records_[i].id = ids[i];
      all_.push_back(&records_[i]);
      selected_.push_back(&records_[i]);
    }
  }
  std::vector<std::string> ids(const std::vector<const assay::test_info*>& tests) const {
    std::vector<std::string> out;
    for (const assay::test_info* t : tests) out.push_back(t->id);
    return out;
  }
  std::vector<assay::tag_expression> parsed(const std::vector<std::string>& texts) {
    std::vector<assay::tag_expression> out;
    std::string error;
    assertTrue(assay::parse_tag_expressions(texts, out, error), error);
    return out;
  }

  TEST(test_select_tagged_keeps_order) {
    assertEqual(ids(assay::select_tagged(selected_, parsed({"slow"}))),
                (std::vector<std::string>{"m.A.test_slow", "m.B.test_both"}));
  }
  // Repeated -m: every expression must hold.
  TEST(test_repeated_expressions_all_hold) {
    assertEqual(ids(assay::select_tagged(selected_, parsed({"slow", "db"}))), std::vector<std::string>{"m.B.test_both"});
  }
  TEST(test_no_expression_keeps_all) {
    assertEqual(assay::select_tagged(selected_, parsed({})).size(), std::size_t{4});
  }
  TEST(test_nothing_matches) {
    assertEqual(assay::select_tagged(selected_, parsed({"slow and not slow"})).size(), std::size_t{0});
  }
  TEST(test_exclude_as_k) {
    assertEqual(ids(assay::exclude_tests(selected_, {"A.", "*_none"})), std::vector<std::string>{"m.B.test_both"});
    assertEqual(assay::exclude_tests(selected_, {}).size(), std::size_t{4});
    assertEqual(assay::exclude_tests(selected_, {"nothing"}).size(), std::size_t{4});
  }
  TEST(test_known_tags_no_error) {
    assertEqual(assay::unknown_tag_error(parsed({"slow or not db"}), all_), "");
  }
  TEST(test_unknown_tag_named_with_the_tags_there_are) {
    assertEqual(assay::unknown_tag_error(parsed({"slow", "dbb or slow"}), all_),
                "argument -m: unknown tag 'dbb': no test has it (tags: db, slow)");
  }
  TEST(test_unknown_tag_without_any_tag) {
    for (assay::test_info& r : records_) r.tags.clear();
    assertEqual(assay::unknown_tag_error(parsed({"slow"}), all_),
                "argument -m: unknown tag 'slow': no test has it (no test has any tag)");
  }
  TEST(test_many_tags_shown_in_part) {
    static const char* const names[] = {"t00", "t01", "t02", "t03", "t04", "t05", "t06",
                                        "t07", "t08", "t09", "t10", "t11", "t12", "t13"};
    records_[3].tags.assign(std::begin(names), std::end(names));
    assertEqual(assay::unknown_tag_error(parsed({"x"}), all_),
                "argument -m: unknown tag 'x': no test has it (tags: db, slow, t00, t01, t02, t03, t04, t05, t06, "
                "t07, t08, t09, … 4 more)");
  }

 private:
  std::vector<assay::test_info> records_;
  std::vector<assay::test_info*> all_;
  std::vector<const assay::test_info*> selected_;
};

class TagOptionsTest : public assay::TestCase<TagOptionsTest> {
 protected:
  int parse(std::vector<std::string> args, assay::options& opt, std::string& error) {
    args.insert(args.begin(), "prog");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return assay::parse_options(static_cast<int>(args.size()), argv.data(), opt, error);
  }

  TEST(test_m_and_exclude_repeatable) {
    assay::options opt;
    std::string error;
    assertEqual(parse({"-m", "slow", "--exclude", "A", "-m", "not db", "--exclude=B.test_x", "-k", "y"}, opt, error), 0);
    assertEqual(opt.tag_expressions, (std::vector<std::string>{"slow", "not db"}));
    assertEqual(opt.excludes, (std::vector<std::string>{"A", "B.test_x"}));
    assertEqual(opt.patterns, std::vector<std::string>{"y"});  // -k keeps unittest's meaning
  }
  TEST(test_m_attached_value) {
    assay::options opt;
    std::string error;
    assertEqual(parse({"-mslow"}, opt, error), 0);
    assertEqual(opt.tag_expressions, std::vector<std::string>{"slow"});
  }
  TEST(test_m_malformed_is_a_usage_error) {
    assay::options opt;
    std::string error;
    assertNotEqual(parse({"-m", "slow or"}, opt, error), 0);
    assertEqual(error, "argument -m: malformed expression 'slow or': at column 8: expected a tag, 'not' or '('; got end of input");
  }
  TEST(test_m_missing_value) {
    assay::options opt;
    std::string error;
    assertNotEqual(parse({"-m"}, opt, error), 0);
    assertEqual(error, "argument -m: expected one argument");
  }
  TEST(test_exclude_empty_is_a_usage_error) {
    assay::options opt;
    std::string error;
    assertNotEqual(parse({"--exclude", ""}, opt, error), 0);
    assertEqual(error, "argument --exclude: expected a non-empty pattern");
  }
};

}  // namespace
