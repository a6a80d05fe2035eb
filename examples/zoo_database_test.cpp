// Seed item 79: encapsulate dependencies to make mocking easy — a ZooDatabase interface mocked by spec, and a
// DATABASE seam patched for an integration test of main.
#include <assay/assay.hpp>
#include <assay/capture_output.hpp>
#include <assay/mock.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using assay::mock::call;

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;
using Animals = std::vector<std::pair<std::string, TimePoint>>;

// The database's interface, as a class: one object to mock instead of many functions.
class ZooDatabase {
 public:
  virtual ~ZooDatabase() = default;
  virtual Animals get_animals(const std::string& species) = 0;
  virtual Duration get_food_period(const std::string& species) = 0;
  virtual void feed_animal(const std::string& name, TimePoint when) = 0;
};

// The real database: a unit test never reaches it.
class SqlZooDatabase : public ZooDatabase {
 public:
  Animals get_animals(const std::string&) override { throw std::logic_error("no database here"); }
  Duration get_food_period(const std::string&) override { throw std::logic_error("no database here"); }
  void feed_animal(const std::string&, TimePoint) override { throw std::logic_error("no database here"); }
};

TimePoint utcnow() { return std::chrono::system_clock::now(); }

int do_rounds(ZooDatabase& database, const std::string& species, const std::function<TimePoint()>& now_func = utcnow) {
  const TimePoint now = now_func();
  const Duration feeding_timedelta = database.get_food_period(species);
  int fed = 0;
  for (const auto& [name, last_mealtime] : database.get_animals(species)) {
    if (now - last_mealtime >= feeding_timedelta) {
      database.feed_animal(name, now);
      ++fed;
    }
  }
  return fed;
}

// The seam for an end-to-end test: main asks get_database(), which caches the database in DATABASE.
ZooDatabase* DATABASE = nullptr;

ZooDatabase& get_database() {
  if (DATABASE == nullptr) {
    static SqlZooDatabase database;
    DATABASE = &database;
  }
  return *DATABASE;
}

int zoo_main(int argc, const char* const argv[]) {
  if (argc < 2) return 2;
  ZooDatabase& database = get_database();
  const std::string species = argv[1];
  const int count = do_rounds(database, species);
  std::cout << "Fed " << count << ' ' << species << "(s)\n";
  return 0;
}

// Mock(spec=ZooDatabase): each listed method becomes a member mock; a misspelled one does not compile.
MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals, get_food_period, feed_animal);

TimePoint at(int hour, int minute) {
  return std::chrono::sys_days{std::chrono::year{2019} / 6 / 5} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

class ZooDatabaseTestCase : public assay::TestCase<ZooDatabaseTestCase> {
 protected:
  MockZooDatabase database;
  assay::mock::Mock<TimePoint()> now_func{"utcnow"};

  void setUp() override {
    now_func.return_value = at(15, 45);
    database.get_food_period.return_value = 3h;
    database.get_animals.return_value = {{"Spot", at(11, 15)}, {"Fluffy", at(12, 30)}, {"Jojo", at(13, 0)}};
  }

  TEST(test_method_mocks) {
    database.feed_animal("Spot", at(15, 45));
    database.feed_animal.assert_any_call("Spot", at(15, 45));
  }

  TEST(test_do_rounds) {
    const int result = do_rounds(database, "Meerkat", std::ref(now_func));
    expectEqual(result, 2);  // every check below is reported, not only the first that fails

    database.get_food_period.expect_called_once_with("Meerkat");
    database.get_animals.expect_called_once_with("Meerkat");
    database.feed_animal.expect_has_calls({call("Spot", now_func.return_value), call("Fluffy", now_func.return_value)},
                                          true);
  }

  TEST(test_by_pointer_and_unique_ptr) {
    auto owned = std::make_unique<MockZooDatabase>();
    owned->get_food_period.return_value = 1h;
    MockZooDatabase& mock = *owned;
    std::unique_ptr<ZooDatabase> db = std::move(owned);
    ZooDatabase* pointer = db.get();
    assertEqual(do_rounds(*pointer, "Bison", std::ref(now_func)), 0);
    mock.get_animals.assert_called_once_with("Bison");
  }

  // Fails on purpose, to show the message the seed prints: `zoo_database_test ZooDatabaseTestCase.test_failing`.
  TEST(test_failing, assay::tag("demo")) {
    for (int i = 0; i < 3; ++i) do_rounds(database, "Meerkat", std::ref(now_func));
    database.get_food_period.assert_called_once_with("Meerkat");
  }
};

// The mid-level integration test: main runs for real, with the mock database patched into the DATABASE seam.
class ZooMainTestCase : public assay::TestCase<ZooMainTestCase> {
 protected:
  TEST(test_main) {
    MockZooDatabase database;
    auto guard = assay::mock::patch(DATABASE, &database);  // patch('__main__.DATABASE', spec=ZooDatabase)
    const TimePoint now = utcnow();
    database.get_food_period.return_value = 3h;
    database.get_animals.return_value = {{"Spot", now - 4min - 30s}, {"Fluffy", now - 3h - 15min}, {"Jojo", now - 3h}};

    // contextlib.redirect_stdout(fake_stdout), at the descriptor level: printf and std::cout alike.
    const auto fake_stdout = assay::capture_output([] {
      const char* const argv[] = {"program name", "Meerkat"};
      zoo_main(2, argv);
    });
    assertEqual(fake_stdout.out, "Fed 2 Meerkat(s)\n");
    std::cout << fake_stdout.out;  // shown in the CTest log
  }

  TEST(test_patch_is_undone) {
    ZooDatabase* before = DATABASE;
    {
      MockZooDatabase database;
      auto guard = assay::mock::patch(DATABASE, &database);
      assertEqual(&get_database(), static_cast<ZooDatabase*>(&database));
    }
    assertEqual(DATABASE, before);
  }
};
