// Twin of parity_mock.py: assay::mock's assertion messages, run by assay. Tests are declared in the sorted
// order in which unittest's loader runs them.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <string>

using assay::mock::ANY;
using assay::mock::call;
using assay::mock::Mock;

class MockMessages : public assay::TestCase<MockMessages> {
 protected:
  Mock<int(int, const std::string&)> get_animals{"get_animals"};
  Mock<void(const std::string&)> feed_animal{"feed_animal"};

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
  TEST(test_long_calls_wrap) {
    for (const char* name : {"Spot the very hungry meerkat", "Fluffy the sleepy bison", "Jojo"}) feed_animal(name);
    feed_animal.assert_not_called();
  }
};
