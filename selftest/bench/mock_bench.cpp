// Google Benchmark figures for assay::mock beside gMock: a call that returns a value, and asserting on 1,000 calls.
#include <assay/mock.hpp>

#include <benchmark/benchmark.h>

#if ASSAY_BENCH_GMOCK
#include <gmock/gmock.h>
#endif

namespace {

class Service {
 public:
  virtual ~Service() = default;
  virtual int get(int key) = 0;
};

ASSAY_MOCK_CLASS(AssayService, Service, get);

// Recording keeps every call; forget them now and then so that memory stays bounded (amortised: 1 in 2^20).
constexpr int forget_every = 1 << 20;

void BM_assay_call_return_value(benchmark::State& state) {
  assay::mock::Mock<int(int)> get{"get"};
  get.return_value = 42;
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(get(i));
    if (++i == forget_every) i = 0, get.reset_mock();
  }
}
BENCHMARK(BM_assay_call_return_value);

void BM_assay_virtual_call_return_value(benchmark::State& state) {
  AssayService mock;
  mock.get.return_value = 42;
  Service& service = mock;
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(service.get(i));
    if (++i == forget_every) i = 0, mock.reset_mock();
  }
}
BENCHMARK(BM_assay_virtual_call_return_value);

// 1,000 calls through the interface, then assert_called_with (the last call) and assert_any_call (the first:
// a scan of all 1,000), then reset: what a test pays to record and check a busy dependency.
void BM_assay_1000_calls_then_assert(benchmark::State& state) {
  AssayService mock;
  mock.get.return_value = 42;
  Service& service = mock;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) benchmark::DoNotOptimize(service.get(i));
    mock.get.assert_called_with(999);
    mock.get.assert_any_call(0);
    mock.reset_mock();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_assay_1000_calls_then_assert);

// assert_called_with alone, on a mock holding 1,000 recorded calls.
void BM_assay_assert_called_with_over_1000(benchmark::State& state) {
  assay::mock::Mock<int(int)> get{"get"};
  for (int i = 0; i < 1000; ++i) get(i);
  for (auto _ : state) get.assert_called_with(999);
}
BENCHMARK(BM_assay_assert_called_with_over_1000);

#if ASSAY_BENCH_GMOCK
class GmockService : public Service {
 public:
  MOCK_METHOD(int, get, (int key), (override));
};

void BM_gmock_virtual_call_return_value(benchmark::State& state) {
  testing::NiceMock<GmockService> mock;
  EXPECT_CALL(mock, get(testing::_)).WillRepeatedly(testing::Return(42));
  Service& service = mock;
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(service.get(i++));
}
BENCHMARK(BM_gmock_virtual_call_return_value);

// gMock states expectations first: expect the last call's argument and any call with the first, make the
// 1,000 calls, then verify and clear — the same check as BM_assay_1000_calls_then_assert.
void BM_gmock_1000_calls_then_verify(benchmark::State& state) {
  testing::NiceMock<GmockService> mock;
  Service& service = mock;
  for (auto _ : state) {
    EXPECT_CALL(mock, get(testing::_)).WillRepeatedly(testing::Return(42));
    EXPECT_CALL(mock, get(0)).WillOnce(testing::Return(42));
    EXPECT_CALL(mock, get(999)).WillOnce(testing::Return(42));
    for (int i = 0; i < 1000; ++i) benchmark::DoNotOptimize(service.get(i));
    testing::Mock::VerifyAndClearExpectations(&mock);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_gmock_1000_calls_then_verify);
#endif

}  // namespace
