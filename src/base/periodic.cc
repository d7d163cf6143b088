#include "base/periodic.h"

namespace weefsel {

Periodic::Periodic(std::chrono::milliseconds period, std::function<void()> job)
    : period_(period), job_(std::move(job)), thread_([this] { Loop(); }) {}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Periodic::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    job_();
    lock.lock();
    wake_.wait_for(lock, period_, [this] { return stop_; });
  }
}

}  // namespace weefsel
