// A thread started at static initialisation (as a logger or a pool would be): fork() would not copy it,
// so the supervisor starts its workers by re-executing the binary instead.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace {

struct background {
  std::mutex mutex;
  std::condition_variable wake;
  std::thread thread{[this] {
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [] { return false; });
  }};
  background() { thread.detach(); }
};

background* const started = new background;

}  // namespace
