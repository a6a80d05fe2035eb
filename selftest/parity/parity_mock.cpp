// Twin of parity_mock.py: assay::mock's assertion messages, run by assay. Tests are declared in the sorted
// order in which unittest's loader runs them.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using assay::mock::ANY;
using assay::mock::call;
using assay::mock::Mock;

struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class MockMessages : public assay::TestCase<MockMessages> {
 protected:
  Mock<int(int, const std::string&)> get_animals{"get_animals"};
  Mock<void(const std::string&)> feed_animal{"feed_animal"};

  TEST(test_a_side_effect_error) {
    get_animals.side_effect = ValueError("Whoops!");
    get_animals(1, "Meerkat");
  }
  TEST(test_assert_any_call) {
    feed_animal("Spot");
    feed_animal.assert_any_call("Jojo");
  }
  TEST(test_assert_called) { get_animals.assert_called(); }
  TEST(test_assert_called_once) {
    get_animals(1, "Meerkat");
    get_animals(1, "Bison");
    get_animals.assert_called_once();
  }
  TEST(test_assert_called_once_with) {
    get_animals(1, "Meerkat");
    get_animals(1, "Meerkat");
    get_animals.assert_called_once_with(1, "Meerkat");
  }
  TEST(test_assert_called_once_with_not_called) { get_animals.assert_called_once_with(1, "Meerkat"); }
  TEST(test_assert_called_with) {
    get_animals(1, "Bison");
    get_animals.assert_called_with(ANY, "Meerkat");
  }
  TEST(test_assert_called_with_not_called) { get_animals.assert_called_with(ANY, "Meerkat"); }
  TEST(test_assert_called_with_passes) {
    get_animals(1, "Bison");
    get_animals.assert_called_with(ANY, "Bison");
  }
  TEST(test_assert_has_calls) {
    feed_animal("Spot");
    feed_animal("Fluffy");
    feed_animal.assert_has_calls({call("Fluffy"), call("Spot")});
  }
  TEST(test_assert_has_calls_any_order) {
    feed_animal("Spot");
    feed_animal("Fluffy");
    feed_animal.assert_has_calls({call("Fluffy"), call("Jojo")}, true);
  }
  TEST(test_assert_not_called) {
    feed_animal("Spot");
    feed_animal.assert_not_called();
  }
  TEST(test_call_args) {
    get_animals(1, "Bison");
    assertEqual(get_animals.call_args, call(1, "Meerkat"));
  }
  TEST(test_call_args_list) {
    get_animals(1, "Bison");
    get_animals(2, "Meerkat");
    assertSequenceEqual(get_animals.call_args_list, std::vector{call(1, "Bison"), call(2, "Zebra")});
  }
  TEST(test_call_count) {
    feed_animal("Spot");
    assertEqual(feed_animal.call_count, 2);
  }
  TEST(test_long_calls_wrap) {
    for (const char* name : {"Spot the very hungry meerkat", "Fluffy the sleepy bison", "Jojo"}) feed_animal(name);
    feed_animal.assert_not_called();
  }
};
