// Mocks called from several threads at once: every call recorded exactly once (run under TSan by the tsan preset).
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <string>
#include <thread>
#include <vector>

using assay::mock::Mock;

class MockThreadTest : public assay::TestCase<MockThreadTest> {
 protected:
  static constexpr int threads = 4;
  static constexpr int calls = 2000;

  TEST(test_concurrent_calls_are_all_recorded) {
    Mock<int(int, const std::string&)> m{"f"};
    m.return_value = 1;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&m, t] {
        for (int i = 0; i < calls; ++i) m(t, "x");
      });
    for (auto& th : pool) th.join();
    assertEqual(m.call_count, threads * calls);
    assertEqual(m.call_args_list.size(), static_cast<std::size_t>(threads * calls));
    for (int t = 0; t < threads; ++t) m.assert_any_call(t, "x");
  }

  TEST(test_side_effect_items_are_each_consumed_once) {
    Mock<int()> m{"next"};
    std::vector<int> items;
    for (int i = 0; i < threads * calls; ++i) items.push_back(i);
    m.side_effect = items;
    std::vector<long long> sums(threads, 0);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&m, &sums, t] {
        for (int i = 0; i < calls; ++i) sums[t] += m();
      });
    for (auto& th : pool) th.join();
    long long total = 0;
    for (long long s : sums) total += s;
    const long long n = threads * calls;
    assertEqual(total, n * (n - 1) / 2);
  }

  TEST(test_independent_mocks_in_parallel) {
    Mock<void(int)> a{"a"}, b{"b"};
    std::thread ta([&] {
      for (int i = 0; i < calls; ++i) a(i);
    });
    std::thread tb([&] {
      for (int i = 0; i < calls; ++i) b(i);
    });
    ta.join();
    tb.join();
    a.assert_called_with(calls - 1);
    b.assert_called_with(calls - 1);
  }
};
