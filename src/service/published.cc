#include "service/published.h"

#include "base/thread_priority.h"

namespace weefsel::service {

BuildWorker::BuildWorker(std::string name, int nice)
    : name_(std::move(name)), nice_(nice), thread_([this] { Loop(); }) {}

BuildWorker::~BuildWorker() { Stop(); }

bool BuildWorker::Post(Job job, bool urgent) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  (urgent ? urgent_ : queue_).push_back(std::move(job));
  cv_.notify_one();
  return true;
}

void BuildWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

int64_t BuildWorker::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void BuildWorker::Loop() {
  // Builds yield the cores to requests: this thread (and the threads its builds start, which
  // inherit it) runs kNice steps below the server's priority, so that a fabric report of every
  // municipality being warmed, or a whole matcher build, does not hold up answers on 2 cores.
  if (nice_ > 0) LowerThreadPriority(nice_);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !urgent_.empty() || !queue_.empty(); });
      if (stopping_) {
        std::deque<Job> left;
        left.swap(urgent_);
        for (auto& j : queue_) left.push_back(std::move(j));
        queue_.clear();
        lock.unlock();
        for (auto& j : left) j(false);
        return;
      }
      std::deque<Job>& from = urgent_.empty() ? queue_ : urgent_;
      job = std::move(from.front());
      from.pop_front();
    }
    job(true);
    std::lock_guard lock(mu_);
    ++runs_;
  }
}

}  // namespace weefsel::service
