// A subclass in a file of its own: its module is this file, whatever file declared the tests it inherits.
#include <assay/assay.hpp>

#include <memory>

#include "switch_contract.hpp"

class ListStack : public assay::TestCase<ListStack, StackContract> {
 protected:
  std::unique_ptr<switch_stacks::stack> make() override { return std::make_unique<switch_stacks::vector_stack>(); }
  const char* name() const override { return "ListStack"; }
};
