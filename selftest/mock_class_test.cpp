// Class mocks (ASSAY_MOCK_CLASS) checked with assay itself: overrides of every kind, overloads, ownership.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <memory>
#include <string>
#include <vector>

using assay::mock::call;

namespace {

class Shelf {
 public:
  explicit Shelf(int capacity) : capacity_(capacity) {}
  virtual ~Shelf() = default;
  virtual std::vector<std::string> titles(const std::string& genre) = 0;
  virtual int count() const = 0;
  virtual void clear() noexcept = 0;
  virtual int lvalue_only() & { return -1; }
  virtual int rvalue_only() && { return -2; }
  virtual int const_ref() const& { return -3; }
  virtual void put(int) = 0;
  virtual void put(const std::string&) = 0;
  virtual void put(double) {}  // an overload left to the interface
  int capacity() const { return capacity_; }
  int stocktake() { return count() + checked(); }  // a public method calling a private virtual (NVI)

 private:
  virtual int checked() = 0;
  int capacity_;
};

// An overload is picked by its signature, a further overload of the same name gets a member of its own; a private
// virtual is listed with its signature too (&Shelf::checked is not accessible to read it from).
ASSAY_MOCK_CLASS(MockShelf, Shelf, titles, count, clear, lvalue_only, rvalue_only, const_ref, (put, void(int)),
                 ASSAY_MOCK_OVERLOAD(put_text, put, void(const std::string&)), (checked, int()));

}  // namespace

class MockClassTest : public assay::TestCase<MockClassTest> {
 protected:
  TEST(test_methods_record_through_the_interface) {
    MockShelf shelf(10);
    Shelf& s = shelf;
    shelf.titles.return_value = {"Dune"};
    shelf.count.return_value = 3;
    assertEqual(s.titles("sf"), std::vector<std::string>{"Dune"});
    assertEqual(s.count(), 3);
    s.clear();
    shelf.titles.assert_called_once_with("sf");
    shelf.count.assert_called_once();
    shelf.clear.assert_called_once_with();
    assertEqual(s.capacity(), 10);  // the interface's constructor ran, through inherited constructors
  }

  TEST(test_ref_qualified_and_const) {
    MockShelf shelf(1);
    shelf.lvalue_only.return_value = 1;
    shelf.rvalue_only.return_value = 2;
    shelf.const_ref.return_value = 3;
    Shelf& s = shelf;
    assertEqual(s.lvalue_only(), 1);
    assertEqual(static_cast<Shelf&&>(s).rvalue_only(), 2);
    const Shelf& c = shelf;
    assertEqual(c.const_ref(), 3);
    assertEqual(c.count(), 0);
    const MockShelf& const_mock = shelf;
    const_mock.count.assert_called_once();  // member mocks are mutable: a const mock still records
  }

  TEST(test_overload_and_private_virtual) {
    MockShelf shelf(1);
    Shelf& s = shelf;
    s.put(4);
    s.put("four");
    s.put(4.5);  // not mocked: the interface's own
    shelf.put.assert_called_once_with(4);
    shelf.put_text.assert_called_once_with("four");
    auto e = assertRaises<assay::AssertionError>([&] { shelf.put_text.assert_not_called(); });
    assertEqual(e.what(), "Expected 'put_text' to not have been called. Called 1 times.\nCalls: [call(\"four\")].");
    shelf.checked.return_value = 5;
    shelf.count.return_value = 1;
    assertEqual(s.stocktake(), 6);
    shelf.checked.assert_called_once();
  }

  TEST(test_by_pointer_and_unique_ptr) {
    auto owned = std::make_unique<MockShelf>(2);
    MockShelf* mock = owned.get();
    std::unique_ptr<Shelf> shelf = std::move(owned);
    shelf->clear();
    Shelf* raw = shelf.get();
    raw->clear();
    mock->clear.assert_has_calls({call(), call()});
  }

  TEST(test_reset_mock_resets_every_method) {
    MockShelf shelf(1);
    shelf.titles.return_value = {"x"};
    static_cast<Shelf&>(shelf).titles("a");
    static_cast<Shelf&>(shelf).clear();
    shelf.reset_mock();
    shelf.titles.assert_not_called();
    shelf.clear.assert_not_called();
    assertEqual(static_cast<Shelf&>(shelf).titles("b"), std::vector<std::string>{"x"});  // configuration kept
  }

  TEST(test_messages_name_the_method) {
    MockShelf shelf(1);
    static_cast<Shelf&>(shelf).titles("Horror");
    auto e = assertRaises<assay::AssertionError>([&] { shelf.titles.assert_called_once_with("Romance"); });
    assertEqual(e.what(), "expected call not found.\nExpected: titles(\"Romance\")\n  Actual: titles(\"Horror\")");
  }
};
