#include "service/reader_pool.h"

#include <utility>

namespace weefsel::service {

ReaderPool::ReaderPool(std::string url, int size) : url_(std::move(url)), size_(size > 0 ? size : 1) {}

ReaderPool::~ReaderPool() = default;

ReaderPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), store_(std::move(other.store_)) {}

ReaderPool::Lease& ReaderPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (pool_ && store_) pool_->Return(std::move(store_));
    pool_ = std::exchange(other.pool_, nullptr);
    store_ = std::move(other.store_);
  }
  return *this;
}

ReaderPool::Lease::~Lease() {
  if (pool_ && store_) pool_->Return(std::move(store_));
}

Result<ReaderPool::Lease> ReaderPool::Acquire() {
  std::unique_lock lock(mu_);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
  Lease lease;
  lease.pool_ = this;
  if (!idle_.empty()) {
    lease.store_ = std::move(idle_.back());
    idle_.pop_back();
    return lease;
  }
  ++open_;  // counted while it opens, so that no more than size_ are ever opened
  lock.unlock();
  auto opened = storage::Store::OpenReader(url_);
  if (!opened.ok()) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return opened.status();
  }
  lease.store_ = std::move(opened).value();
  return lease;
}

void ReaderPool::Return(std::unique_ptr<storage::Store> store) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(store));
  }
  returned_.notify_one();
}

int ReaderPool::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace weefsel::service
