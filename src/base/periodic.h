// base/periodic.h: runs a job now and then every `period` on a thread of its own, until destroyed.
// For the server's housekeeping (the daily retention sweep); the job must not throw.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace weefsel {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds period, std::function<void()> job);
  // Stops: waits for a run in progress, starts no other.
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  void Loop();

  std::chrono::milliseconds period_;
  std::function<void()> job_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace weefsel
