// A second thread that runs until the object is destroyed: what makes a process multi-threaded for the
// death tests (a fork then runs the body through exec, never in a copy of this process).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

class running_thread {
 public:
  running_thread()
      : thread_([this] {
          std::unique_lock<std::mutex> lock(mutex_);
          stopped_.wait(lock, [this] { return stop_; });
        }) {}
  ~running_thread() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    stopped_.notify_all();
    thread_.join();
  }
  running_thread(const running_thread&) = delete;
  running_thread& operator=(const running_thread&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stop_ = false;
  std::thread thread_;
};
