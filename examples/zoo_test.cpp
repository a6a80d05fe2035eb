// Seed item 78: mocks for code with complex dependencies — Mock with a spec, ANY, side_effect, call and patch.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using assay::mock::ANY;
using assay::mock::call;
using assay::mock::Mock;

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;
using Animals = std::vector<std::pair<std::string, TimePoint>>;

// A connection to the zoo's database: slow to open and not copyable, so mocks record it by identity.
class DatabaseConnection {
 public:
  DatabaseConnection() = default;
  DatabaseConnection(const DatabaseConnection&) = delete;
  DatabaseConnection& operator=(const DatabaseConnection&) = delete;
};

// The real queries; a unit test must never reach them.
namespace sql {
Animals get_animals(DatabaseConnection&, const std::string&) { throw std::logic_error("no database here"); }
Duration get_food_period(DatabaseConnection&, const std::string&) { throw std::logic_error("no database here"); }
void feed_animal(DatabaseConnection&, const std::string&, TimePoint) { throw std::logic_error("no database here"); }
TimePoint utcnow() { return std::chrono::system_clock::now(); }
}  // namespace sql

// The seams: do_rounds calls its dependencies through these function pointers, so a test can patch them.
// C++ cannot patch a function itself, so a dependency worth mocking gets a seam, as get_do_rounds_time does in
// the seed (Python could not patch datetime.utcnow either).
auto get_animals = &sql::get_animals;
auto get_food_period = &sql::get_food_period;
auto feed_animal = &sql::feed_animal;
auto get_do_rounds_time = &sql::utcnow;

int do_rounds(DatabaseConnection& database, const std::string& species) {
  const TimePoint now = get_do_rounds_time();
  const Duration feeding_timedelta = get_food_period(database, species);
  const Animals animals = get_animals(database, species);
  int fed = 0;
  for (const auto& [name, last_mealtime] : animals) {
    if (now - last_mealtime > feeding_timedelta) {
      feed_animal(database, name, now);
      ++fed;
    }
  }
  return fed;
}

// The seed's first approach: every dependency injected, as Python's keyword-only arguments.
struct Dependencies {
  std::function<TimePoint()> utcnow = sql::utcnow;
  std::function<Duration(DatabaseConnection&, const std::string&)> food_func = sql::get_food_period;
  std::function<Animals(DatabaseConnection&, const std::string&)> animals_func = sql::get_animals;
  std::function<void(DatabaseConnection&, const std::string&, TimePoint)> feed_func = sql::feed_animal;
};

int do_rounds_injected(DatabaseConnection& database, const std::string& species, const Dependencies& with = {}) {
  const TimePoint now = with.utcnow();
  const Duration feeding_timedelta = with.food_func(database, species);
  int fed = 0;
  for (const auto& [name, last_mealtime] : with.animals_func(database, species)) {
    if (now - last_mealtime > feeding_timedelta) {
      with.feed_func(database, name, now);
      ++fed;
    }
  }
  return fed;
}

class MyError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

TimePoint at(int hour, int minute) {
  return std::chrono::sys_days{std::chrono::year{2019} / 6 / 5} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

const Animals expected_animals = {{"Spot", at(11, 15)}, {"Fluffy", at(12, 30)}, {"Jojo", at(12, 45)}};

// The seed's cells [75]–[85]: a mock function with the spec of get_animals.
class MockTestCase : public assay::TestCase<MockTestCase> {
 protected:
  DatabaseConnection database;

  TEST(test_return_value) {
    auto mock = assay::mock::autospec<sql::get_animals>();  // Mock(spec=get_animals)
    mock.return_value = expected_animals;
    const Animals result = mock(database, "Meerkat");
    // Two independent checks: expectations report both when both fail (GoogleTest's EXPECT_*).
    expectEqual(result, expected_animals);
    mock.expect_called_once_with(database, "Meerkat");
  }

  TEST(test_wrong_arguments_fail) {
    Mock<Animals(DatabaseConnection&, const std::string&)> mock{"get_animals"};
    mock(database, "Meerkat");
    auto e = assertRaises<assay::AssertionError>([&] { mock.assert_called_once_with(database, "Giraffe"); });
    assertRegex(e.what(), "^expected call not found.\nExpected: get_animals\\(<DatabaseConnection object at 0x[0-9a-f]+>, "
                          "\"Giraffe\"\\)\n  Actual: get_animals\\(<DatabaseConnection object at 0x[0-9a-f]+>, "
                          "\"Meerkat\"\\)$");
    mock(database, "Meerkat");
    e = assertRaises<assay::AssertionError>([&] { mock.assert_called_once_with(database, "Meerkat"); });
    assertRegex(e.what(), "^Expected 'get_animals' to be called once. Called 2 times.\nCalls: \\[call\\(");
  }

  TEST(test_any_argument) {
    auto mock = assay::mock::autospec<sql::get_animals>();
    DatabaseConnection database_1, database_2, database_3;
    mock(database_1, "Rabbit");
    mock(database_2, "Bison");
    mock(database_3, "Meerkat");
    mock.expect_called_with(ANY, "Meerkat");
    mock.expect_any_call(database_2, "Bison");
    expectEqual(mock.call_count, 3);
  }

  TEST(test_side_effect_raises) {
    auto mock = assay::mock::autospec<sql::get_animals>();
    mock.side_effect = MyError("Whoops! Big problem");
    auto e = assertRaises<MyError>([&] { mock(database, "Meerkat"); });
    assertEqual(e.what(), "Whoops! Big problem");
  }
};

// The seed's cells [86]–[90]: do_rounds with every dependency injected as a mock.
class DoRoundsInjectedTestCase : public assay::TestCase<DoRoundsInjectedTestCase> {
 protected:
  TEST(test_do_rounds) {
    DatabaseConnection database;
    auto now_func = assay::mock::autospec<sql::utcnow>();
    now_func.return_value = at(15, 45);
    auto food_func = assay::mock::autospec<sql::get_food_period>();
    food_func.return_value = 3h;
    auto animals_func = assay::mock::autospec<sql::get_animals>();
    animals_func.return_value = expected_animals;
    auto feed_func = assay::mock::autospec<sql::feed_animal>();

    const int result = do_rounds_injected(database, "Meerkat",
                                          {.utcnow = now_func.handle(),
                                           .food_func = food_func.handle(),
                                           .animals_func = animals_func.handle(),
                                           .feed_func = feed_func.handle()});
    expectEqual(result, 2);

    food_func.expect_called_once_with(database, "Meerkat");
    animals_func.expect_called_once_with(database, "Meerkat");
    feed_func.expect_has_calls({call(database, "Spot", now_func.return_value),
                                call(database, "Fluffy", now_func.return_value)},
                               true);
  }
};

// The seed's cells [91]–[100]: patch the seams instead of injecting, with patch and patch_multiple.
class DoRoundsPatchedTestCase : public assay::TestCase<DoRoundsPatchedTestCase> {
 protected:
  DatabaseConnection database;

  TEST(test_patch_restores_the_seam) {
    {
      auto mock = assay::mock::patch<get_animals>();
      assertNotEqual(get_animals, &sql::get_animals);  // inside the patch: calls reach the mock
      get_animals(database, "Meerkat");
      mock.assert_called_once_with(database, "Meerkat");
    }
    assertEqual(get_animals, &sql::get_animals);  // outside again
  }

  TEST(test_do_rounds) {
    auto now_func = assay::mock::patch<get_do_rounds_time>();
    now_func.return_value = at(15, 45);
    auto [food_func, animals_func, feed_func] =
        assay::mock::patch_multiple<get_food_period, get_animals, feed_animal>();  // autospec=True, named after seams
    food_func.return_value = 3h;
    animals_func.return_value = expected_animals;

    const int result = do_rounds(database, "Meerkat");
    expectEqual(result, 2);

    food_func.expect_called_once_with(database, "Meerkat");
    animals_func.expect_called_once_with(database, "Meerkat");
    feed_func.expect_has_calls({call(database, "Spot", now_func.return_value),
                                call(database, "Fluffy", now_func.return_value)},
                               true);
  }

  TEST(test_side_effect_propagates) {
    auto [food_func, animals_func] = assay::mock::patch_multiple<get_food_period, get_animals>();
    auto now_func = assay::mock::patch<get_do_rounds_time>();
    animals_func.side_effect = MyError("Whoops! Big problem");
    assertRaisesRegex<MyError>("Whoops", [&] { do_rounds(database, "Meerkat"); });
    food_func.assert_called_once_with(ANY, "Meerkat");
  }
};

// Patches started in setUp and stopped by a cleanup: unittest's `patcher.start(); addCleanup(patcher.stop)`.
class DoRoundsSetUpTestCase : public assay::TestCase<DoRoundsSetUpTestCase> {
 protected:
  DatabaseConnection database;
  Mock<TimePoint()> now_func{"get_do_rounds_time"};
  Mock<Duration(DatabaseConnection&, const std::string&)> food_func{"get_food_period"};
  Mock<Animals(DatabaseConnection&, const std::string&)> animals_func{"get_animals"};
  Mock<void(DatabaseConnection&, const std::string&, TimePoint)> feed_func{"feed_animal"};

  void setUp() override {
    addCleanup([this] { assertEqual(get_animals, &sql::get_animals); });  // cleanups run last first: restored by now
    addCleanup(assay::mock::patch<get_do_rounds_time>(now_func));
    addCleanup(assay::mock::patch<get_food_period>(food_func));
    addCleanup(assay::mock::patch<get_animals>(animals_func));
    addCleanup(assay::mock::patch<feed_animal>(feed_func));
    now_func.return_value = at(15, 45);
    food_func.return_value = 3h;
  }

  TEST(test_nobody_hungry) {
    animals_func.return_value = {{"Spot", at(15, 0)}};
    assertEqual(do_rounds(database, "Meerkat"), 0);
    feed_func.assert_not_called();
  }

  TEST(test_everybody_hungry) {
    animals_func.return_value = expected_animals;
    assertEqual(do_rounds(database, "Meerkat"), 2);
    expectEqual(feed_func.call_count, 2);
    expectEqual(feed_func.call_args, call(database, "Fluffy", at(15, 45)));
  }
};
