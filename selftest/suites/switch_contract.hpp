// The contract every stack of the switch_inherited suite must keep: tests written once, run by each
// implementation's subclass (switch_inherited.cpp, switch_inherited_other.cpp).
#pragma once

#include <assay/assay.hpp>

#include <cstdio>
#include <memory>
#include <vector>

namespace switch_stacks {

struct stack {
  virtual ~stack() = default;
  virtual void push(int v) = 0;
  virtual int pop() = 0;
  virtual bool empty() const = 0;
};

struct vector_stack : stack {
  std::vector<int> items;
  void push(int v) override { items.push_back(v); }
  int pop() override {
    const int v = items.back();
    items.pop_back();
    return v;
  }
  bool empty() const override { return items.empty(); }
};

// Loses every other push: its subclass's tests fail.
struct leaky_stack : vector_stack {
  bool drop = false;
  void push(int v) override {
    if (!(drop = !drop)) vector_stack::push(v);
  }
  int pop() override { return empty() ? -1 : vector_stack::pop(); }
};

}  // namespace switch_stacks

// The contract: abstract (make() is pure virtual), so it runs none of its tests itself.
class StackContract : public assay::TestCase<StackContract> {
 protected:
  virtual std::unique_ptr<switch_stacks::stack> make() = 0;
  void setUp() override { std::printf("setUp %s\n", name()); }
  virtual const char* name() const { return "contract"; }

  TEST(test_push_pop) {
    auto s = make();
    s->push(1);
    s->push(2);
    assertEqual(s->pop(), 2);
    assertEqual(s->pop(), 1);
  }
  TEST(test_starts_empty) { assertTrue(make()->empty()); }
};

