// MOCK_CLASS inside a class (g++ 12 crashes on it): the first error asks for namespace scope.
// expect-first: declare MOCK_CLASS at namespace scope
#include <assay/mock.hpp>
#include <string>

struct ZooDatabase {
  virtual ~ZooDatabase() = default;
  virtual int get_animals(const std::string& species) = 0;
};

#ifdef ASSAY_COMPILE_FAIL_CONTROL
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);
struct Fixture {
  MockZooDatabase database;
};
#else
struct Fixture {
  ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);
  MockZooDatabase database;
};
#endif

namespace zoo {
// In a namespace of the user's own, MOCK_CLASS is at home.
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);
}  // namespace zoo

void use() {
  Fixture f;
  f.database.get_animals.assert_not_called();
  zoo::MockZooDatabase d;
  d.get_animals.assert_not_called();
}
