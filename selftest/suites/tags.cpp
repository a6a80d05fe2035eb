// Tags seen from outside: -m expressions, --exclude, --list -v, --list=ctest, CTest labels and JUnit.
#include <assay/assay.hpp>

// A class tag: every test of Storage (and of its subclasses) is tagged db.
class Storage : public assay::TestCase<Storage> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::tag("db"));
  TEST(test_insert) { assertEqual(1 + 1, 2); }
  TEST(test_bulk_load, assay::tag("slow")) { assertTrue(true); }
  TEST(test_replication, assay::tags("slow net")) { assertTrue(true); }
};

// Its tests again, tagged db (inherited) and sqlite (its own class tag), and one test of its own.
class SqliteStorage : public assay::TestCase<SqliteStorage, Storage> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::tag("sqlite"));
  TEST(test_vacuum, assay::tag("slow"), assay::tag("slow")) { assertTrue(true); }  // (a tag twice is one)
};

class Cache : public assay::TestCase<Cache> {
 protected:
  TEST(test_hit) { assertTrue(true); }
  TEST(test_eviction, assay::tag("slow")) { assertTrue(true); }
  TEST(test_later, assay::tag("net"), assay::skip("no network here")) {}
  TEST(test_untagged) { assertTrue(true); }
};
