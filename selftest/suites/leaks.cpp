// Purpose-built for --leaks and --memory: one test of each kind the leak check must tell apart. Only
// Leaky.test_leaks (and, with LEAK_IN_THREAD set, Threads.test_thread_leaks) leave memory behind.
#include <assay/assay.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

std::vector<char*>* kept = nullptr;  // what the leaking test keeps, beyond any test's reach

void keep_blocks(int n) {
  if (!kept) kept = new std::vector<char*>;  // (a lazy static too: the vector is allocated once)
  for (int i = 0; i < n; ++i) kept->push_back(static_cast<char*>(std::malloc(100)));
}

// A cache filled at first use: the first test to use it allocates, no test leaks it.
const std::string& greeting() {
  static const std::string text(200, 'g');
  return text;
}

std::map<int, std::string>& memo() {
  static std::map<int, std::string> cache;
  return cache;
}

std::atomic<bool> stop_worker{false};
std::atomic<int> workers_holding{0};  // threads of test_thread_outlives that have allocated

}  // namespace

class Leaky : public assay::TestCase<Leaky> {
 protected:
  TEST(test_leaks) {
    keep_blocks(3);
    auto* node = new std::string(64, 'x');  // never deleted
    assertEqual(node->size(), 64u);
  }
  TEST(test_clean) {
    std::vector<std::string> v(100, std::string(50, 'a'));
    auto p = std::make_unique<int[]>(1000);
    assertEqual(v.size(), 100u);
  }
};

class Statics : public assay::TestCase<Statics> {
 protected:
  TEST(test_lazy_static) { assertEqual(greeting().size(), 200u); }
  TEST(test_cache) {
    memo()[1] = std::string(300, 'c');  // filled once: the second run finds it there
    assertEqual(memo().size(), 1u);
  }
};

class Placement : public assay::TestCase<Placement> {
 protected:
  TEST(test_placement_new) {
    alignas(std::string) unsigned char buffer[sizeof(std::string)];
    auto* s = ::new (buffer) std::string(100, 'p');  // the string's heap block is freed by its destructor
    assertEqual(s->size(), 100u);
    s->~basic_string();
  }
  TEST(test_aligned_and_sized) {
    struct alignas(64) wide {
      char bytes[256];
    };
    auto* w = new wide;
    delete w;  // aligned, sized delete
    void* p = nullptr;
    assertEqual(::posix_memalign(&p, 128, 1000), 0);
    std::free(p);
    void* q = std::aligned_alloc(256, 512);
    q = std::realloc(q, 4096);
    std::free(q);
    char* c = static_cast<char*>(std::calloc(10, 10));
    std::free(c);
  }
  TEST(test_custom_allocator) {
    // A pool from one block: what it hands out is not the heap's; the pool itself is freed.
    std::unique_ptr<char[]> pool(new char[4096]);
    std::size_t used = 0;
    for (int i = 0; i < 10; ++i) used += 64;
    assertLessEqual(used, 4096u);
  }
};

class Threads : public assay::TestCase<Threads> {
 protected:
  TEST(test_thread_allocates) {
    // Allocated on another thread, freed on this one (and the other way round).
    std::string* made = nullptr;
    std::thread([&] { made = new std::string(500, 't'); }).join();
    delete made;
    auto* here = new std::vector<int>(100);
    std::thread([here] { delete here; }).join();
  }
  TEST(test_thread_outlives) {
    // A thread the test starts and leaves running keeps its own memory: not the test's leak.
    // The test ends once the thread holds its memory (however long a busy machine takes to start it).
    const int before = workers_holding.load();
    std::thread([] {
      std::vector<int> own(1000);
      ++workers_holding;
      while (!stop_worker.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }).detach();
    while (workers_holding.load() == before) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  TEST(test_thread_leaks, assay::skipUnless(std::getenv("LEAK_IN_THREAD") != nullptr, "LEAK_IN_THREAD is not set")) {
    std::thread([] { keep_blocks(2); }).join();
  }
  static void tearDownClass() { stop_worker = true; }
};

class Failing : public assay::TestCase<Failing> {
 protected:
  TEST(test_fails_and_leaks) {
    keep_blocks(1);  // a failing test is not checked: it left early
    fail("expected");
  }
};
