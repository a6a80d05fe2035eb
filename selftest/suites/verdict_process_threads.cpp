// A thread started at static initialisation: the verdict_process suite's workers then start through exec
// (ASSAY_WORKER names the journal's descriptor), which is the path closed standard descriptors threatened.
#include <thread>

namespace {

const bool started = [] {
  std::thread([] {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }).detach();
  return true;
}();

}  // namespace
