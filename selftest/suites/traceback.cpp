// Tracebacks of more than one frame: each test fails or errs below the test method, and the golden file
// holds the frames a Python user expects, from the test method down to the failing line.
#include <assay/assay.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace tb {

// Kept out of line at -O2 too, so that the frame is a real one; an inlined one is listed as well.
[[gnu::noinline]] void parse_digit(char c) {
  if (c < '0' || c > '9') throw std::invalid_argument(std::string("not a digit: ") + c);
}

[[gnu::noinline]] void parse_number(const std::string& s) {
  for (char c : s) parse_digit(c);
}

[[gnu::noinline]] void load_config(const std::string& value) {
  parse_number(value);
}

// Not derived from std::exception: reported by its type, still with its frames.
struct Unusual {};
[[gnu::noinline]] void raise_unusual() {
  throw Unusual{};
}

[[gnu::noinline]] void open_store(const std::string& path) {
  try {
    load_config(path);
  } catch (const std::exception&) {
    std::throw_with_nested(std::runtime_error("cannot open store " + path));
  }
}

class Helpers : public assay::TestCase<Helpers> {
 public:
  [[gnu::noinline]] void check_is_two(int value) {
    assertEqual(value, 2);
  }

  TEST(test_helper_assertion) {
    const int one = 1;
    check_is_two(one + 1);
    check_is_two(one);
  }

  TEST(test_lambda_assertion) {
    auto positive = [this](int v) {
      assertGreater(v, 0, "needs a positive value");
    };
    positive(3);
    positive(-3);
  }

  TEST(test_error_three_calls_deep) {
    load_config("12x");
  }

  TEST(test_nested_exception) {
    open_store("7y");
  }

  TEST(test_failing_cleanup) {
    addCleanup([this] {
      assertTrue(false, "cleanup found a leak");
    });
  }

  TEST(test_multiline_statement) {
    std::vector<int> values{1, 2, 3};
    assertRaises<std::out_of_range>(
        [&] { (void)values.at(1); });
  }

  // assertRaises keeps no stack of what its body throws (that is what makes it cheap): an exception of
  // another type escaping it is reported at the test, as before tracebacks had frames.
  TEST(test_wrong_exception_in_assert_raises) {
    assertRaises<std::out_of_range>([] { load_config("9z"); });
  }

  TEST(test_unusual_exception) {
    raise_unusual();
  }

  TEST(test_library_throw) {
    std::vector<int> values;
    (void)values.at(5);
  }
};

}  // namespace tb
