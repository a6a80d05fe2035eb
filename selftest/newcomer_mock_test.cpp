// A mock goes where a std::function is expected (the seed's first injection style: keyword arguments with
// real functions as defaults), and a mock prints as Python prints it.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using assay::mock::ANY;
using assay::mock::Mock;

struct Database {};
using Animals = std::vector<std::pair<std::string, int>>;

Animals get_animals(Database&, const std::string&) { return {}; }
int get_food_period(Database&, const std::string&) { return 0; }
void feed_animal(Database&, const std::string&, int) {}
int utcnow() { return 0; }

// The code under test takes its dependencies as std::function parameters, defaulting to the real ones.
int do_rounds(Database& database, const std::string& species, std::function<int()> now_func = utcnow,
              std::function<int(Database&, const std::string&)> food_func = get_food_period,
              std::function<Animals(Database&, const std::string&)> animals_func = get_animals,
              std::function<void(Database&, const std::string&, int)> feed_func = feed_animal) {
  const int now = now_func();
  const int feeding_period = food_func(database, species);
  int fed = 0;
  for (const auto& [name, last_mealtime] : animals_func(database, species)) {
    if (now - last_mealtime > feeding_period) {
      feed_func(database, name, now);
      ++fed;
    }
  }
  return fed;
}

struct ZooDatabase {
  virtual ~ZooDatabase() = default;
  virtual int get_animals(const std::string& species) = 0;
};

}  // namespace

ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);

namespace {

class NewcomerMockHandleTest : public assay::TestCase<NewcomerMockHandleTest> {
  TEST(test_handles_inject_mocks_as_std_functions) {
    Mock<int()> now_func{"now_func"};
    now_func.return_value = 1545;
    Mock<int(Database&, const std::string&)> food_func{"food_func"};
    food_func.return_value = 300;
    Mock<Animals(Database&, const std::string&)> animals_func{"animals_func"};
    animals_func.return_value = {{"Spot", 1115}, {"Fluffy", 1230}, {"Jojo", 1245}};
    Mock<void(Database&, const std::string&, int)> feed_func{"feed_func"};
    Database database;

    const int result = do_rounds(database, "Meerkat", now_func.handle(), food_func.handle(), animals_func.handle(),
                                 feed_func.handle());

    assertEqual(result, 2);
    assertEqual(do_rounds(database, "Meerkat"), 0);  // the real functions, and no mock sees the call
    now_func.assert_called_once_with();
    food_func.assert_called_once_with(ANY, "Meerkat");
    animals_func.assert_called_once_with(ANY, "Meerkat");
    feed_func.assert_has_calls({assay::mock::call(ANY, "Spot", 1545), assay::mock::call(ANY, "Fluffy", 1545)});
  }
  TEST(test_a_handle_is_a_cheap_copyable_callable) {
    Mock<int(int)> twice{"twice"};
    twice.side_effect = [](int x) { return 2 * x; };
    auto h = twice.handle();
    static_assert(std::is_trivially_copyable_v<decltype(h)> && sizeof(h) == sizeof(void*));
    const auto copy = h;
    std::function<int(int)> f = copy;
    std::function<int(int)> g = f;
    assertEqual(f(2) + g(3) + h(4), 18);
    assertEqual(twice.call_count, 3u);
    twice.assert_has_calls({assay::mock::call(2), assay::mock::call(3), assay::mock::call(4)});
    assertTrue(&copy.mock() == &twice);
  }
  TEST(test_std_ref_works_too) {
    Mock<void(const std::string&)> log{"log"};
    std::function<void(const std::string&)> f = std::ref(log);
    f("hello");
    log.assert_called_once_with("hello");
  }
  TEST(test_a_class_mocks_methods_have_handles) {
    MockZooDatabase db;
    db.get_animals.return_value = 3;
    std::function<int(const std::string&)> count = db.get_animals.handle();
    assertEqual(count("Bison"), 3);
    db.get_animals.assert_called_once_with("Bison");
  }
};

class NewcomerMockReprTest : public assay::TestCase<NewcomerMockReprTest> {
  TEST(test_a_named_mock_prints_its_name) {
    Mock<Animals(Database&, const std::string&)> mock{"get_animals"};
    assertRegex(assay::repr(mock), "^<Mock name='get_animals' id='0x[0-9a-f]+'>$");
    assertEqual(assay::repr(mock.handle()), assay::repr(mock));  // a handle is its mock's face
  }
  TEST(test_an_unnamed_mock_prints_its_id) {
    Mock<void()> mock;
    assertRegex(assay::repr(mock), "^<Mock id='0x[0-9a-f]+'>$");
  }
  TEST(test_an_autospec_mock_prints_as_the_function_it_replaces) {
    auto mock = assay::mock::autospec<get_animals>();
    assertRegex(assay::repr(mock), "^<function get_animals at 0x[0-9a-f]+>$");
  }
  TEST(test_a_class_mock_prints_its_spec) {
    MockZooDatabase db;
    assertRegex(assay::repr(db), "^<Mock spec='ZooDatabase' id='0x[0-9a-f]+'>$");
    assertRegex(assay::repr(db.get_animals), "^<Mock name='get_animals' id='0x[0-9a-f]+'>$");
  }
};

}  // namespace
