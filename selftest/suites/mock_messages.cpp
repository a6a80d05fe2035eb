// Every failure message of assay::mock as the runner reports it, for golden tests (each test fails on purpose).
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <string>

using assay::mock::ANY;
using assay::mock::call;
using assay::mock::Mock;

namespace {

struct Database {
  Database() = default;
  Database(const Database&) = delete;
};

struct Widget {
  explicit Widget(int) {}
};

class MyError : public std::exception {
 public:
  const char* what() const noexcept override { return "Whoops! Big problem"; }
};

}  // namespace

class Messages : public assay::TestCase<Messages> {
 protected:
  Database database;
  Mock<int(Database&, const std::string&)> get_animals{"get_animals"};
  Mock<void(const std::string&)> feed_animal{"feed_animal"};

  TEST(test_assert_called) { get_animals.assert_called(); }
  TEST(test_assert_called_once) {
    get_animals(database, "Meerkat");
    get_animals(database, "Bison");
    get_animals.assert_called_once();
  }
  TEST(test_assert_called_once_with) {
    get_animals(database, "Meerkat");
    get_animals(database, "Meerkat");
    get_animals.assert_called_once_with(database, "Meerkat");
  }
  TEST(test_assert_called_with) {
    get_animals(database, "Bison");
    get_animals.assert_called_with(ANY, "Meerkat");
  }
  TEST(test_assert_called_with_not_called) { get_animals.assert_called_with(ANY, "Meerkat"); }
  TEST(test_assert_not_called) {
    feed_animal("Spot");
    feed_animal.assert_not_called();
  }
  TEST(test_assert_any_call) {
    feed_animal("Spot");
    feed_animal.assert_any_call("Jojo");
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
  TEST(test_long_calls_wrap) {
    for (const char* name : {"Spot the very hungry meerkat", "Fluffy the sleepy bison", "Jojo"}) feed_animal(name);
    feed_animal.assert_not_called();
  }
  TEST(test_side_effect_error) {
    get_animals.side_effect = MyError();
    get_animals(database, "Meerkat");
  }
  TEST(test_no_return_value) {
    Mock<Widget()> make_widget{"make_widget"};
    make_widget();
  }
  TEST(test_side_effect_exhausted) {
    get_animals.side_effect = {1};
    get_animals(database, "a");
    get_animals(database, "b");
  }
  TEST(test_passes) {
    get_animals(database, "Meerkat");
    get_animals.assert_called_once_with(database, "Meerkat");
  }
};
