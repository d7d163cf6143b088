#include "service/connection_pool.h"

#include <utility>

#include "base/log.h"
#include "storage/store.h"

namespace weefsel::service {

ConnectionPool::ConnectionPool(std::string url, int size, std::chrono::milliseconds retry, Kind kind)
    : url_(std::move(url)), size_(size > 0 ? size : 1), retry_(retry), kind_(kind) {}

Result<std::unique_ptr<storage::Store>> ConnectionPool::Open() const {
  return kind_ == Kind::kRead ? storage::Store::OpenReader(url_) : storage::Store::OpenWriter(url_);
}

Result<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(std::string url, int size,
                                                               std::chrono::milliseconds retry, Kind kind) {
  std::unique_ptr<ConnectionPool> pool(new ConnectionPool(std::move(url), size, retry, kind));
  WEEFSEL_ASSIGN_OR_RETURN(auto first, pool->Open());
  pool->idle_.push_back(std::move(first));
  pool->open_ = 1;
  return pool;
}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::Lease() = default;

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), store_(std::move(other.store_)) {}

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (pool_ && store_) pool_->Return(std::move(store_));
    pool_ = std::exchange(other.pool_, nullptr);
    store_ = std::move(other.store_);
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ && store_) pool_->Return(std::move(store_));
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  // Wait for an idle reader, or until one may be opened; with none open and opening on hold, the
  // last failure answers at once.
  auto may_open = [&] { return open_ < size_ && std::chrono::steady_clock::now() >= retry_at_; };
  returned_.wait(lock, [&] { return !idle_.empty() || may_open() || open_ == 0; });
  Lease lease;
  lease.pool_ = this;
  if (!idle_.empty()) {
    lease.store_ = std::move(idle_.back());
    idle_.pop_back();
    return lease;
  }
  if (!may_open()) return failed_;
  ++open_;  // counted while it opens, so that no more than size_ are ever opened
  lock.unlock();
  auto opened = Open();
  lock.lock();
  if (!opened.ok()) {
    --open_;
    failed_ = opened.status();
    retry_at_ = std::chrono::steady_clock::now() + retry_;
    spdlog::warn(
        "a {} connection could not be opened (retried in {} ms; meanwhile its uses wait for the others or "
        "use the writer's): {}",
        kind_ == Kind::kRead ? "read" : "write", retry_.count(), failed_.ToString());
    returned_.notify_all();
    return failed_;
  }
  lease.store_ = std::move(opened).value();
  return lease;
}

void ConnectionPool::Return(std::unique_ptr<storage::Store> store) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(store));
  }
  returned_.notify_one();
}

int ConnectionPool::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace weefsel::service
