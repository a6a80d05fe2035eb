// Using a method the mock does not have is an error (Python: "Mock object has no attribute 'bad_method_name'").
// expect: (has no member named 'bad_method_name'|no member named 'bad_method_name')
#include <assay/mock.hpp>
#include <string>

struct ZooDatabase {
  virtual ~ZooDatabase() = default;
  virtual int get_animals(const std::string& species) = 0;
};
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);

void use() {
  MockZooDatabase database;
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  database.get_animals.assert_not_called();
#else
  database.bad_method_name.assert_not_called();
#endif
}
