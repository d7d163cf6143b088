// service/platform.cc: the bundle of the slices and the change feed's versions (platform.h).
#include "service/platform.h"
#include "storage/store.h"

#include <algorithm>
#include <chrono>

namespace weefsel::service {

Platform::Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Env& env)
    : core::Context(std::move(store), std::move(options), env) {}

Platform::Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock)
    : core::Context(std::move(store), std::move(options), clock) {}

int Platform::ReadersOpen() const { return readers_ ? readers_->open() : 0; }

std::string Platform::Dialect() {
  ReadLock lock(*this);
  return store_->Dialect();
}

Status Platform::Follow() {
  auto now = std::chrono::steady_clock::now();
  if (!follower_.started()) {
    // Start at the feed's last stretch, so that writes still committing are waited for as gaps.
    WEEFSEL_ASSIGN_OR_RETURN(int64_t head, store_->DataVersion());
    int64_t after = std::max<int64_t>(0, head - 1000);
    WEEFSEL_ASSIGN_OR_RETURN(auto page, store_->ChangesSince(after, 100000));
    follower_.Apply(after, page, now);
    return Status::Ok();
  }
  constexpr int kPage = 10000;
  for (;;) {
    int64_t after = follower_.Cursor();
    WEEFSEL_ASSIGN_OR_RETURN(auto page, store_->ChangesSince(after, kPage));
    follower_.Apply(after, page, now);
    if (page.changes.size() < static_cast<size_t>(kPage)) return Status::Ok();
  }
}

Status Platform::Refresh() {
  int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t ttl = static_cast<int64_t>(options_.version_ttl.count()) * 1000000;
  if (!dirty_.load() && now - checked_at_.load() < ttl) return Status::Ok();
  std::unique_lock lock(mu_, std::defer_lock);
  if (!dirty_.load()) {
    // Fresh enough unless the store changed behind our back: let one thread look, the others go on.
    if (!lock.try_lock()) return Status::Ok();
  } else {
    lock.lock();
  }
  dirty_.store(false);
  Status s = Follow();
  if (!s.ok()) {
    dirty_.store(true);
    return s;
  }
  checked_at_.store(now);
  return Status::Ok();
}

bool Platform::Fresh() const {
  int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t ttl = static_cast<int64_t>(options_.version_ttl.count()) * 1000000;
  return !dirty_.load() && now - checked_at_.load() < ttl;
}

Result<int64_t> Platform::VersionOf(const std::vector<std::string>& scopes) {
  WEEFSEL_RETURN_IF_ERROR(Refresh());
  return follower_.VersionOf(scopes);
}

std::optional<int64_t> Platform::FreshVersionOf(const std::vector<std::string>& scopes) const {
  if (!Fresh()) return std::nullopt;
  return follower_.VersionOf(scopes);
}

Result<int64_t> Platform::DataVersion() {
  WEEFSEL_RETURN_IF_ERROR(Refresh());
  return follower_.Any();
}

std::optional<int64_t> Platform::FreshDataVersion() const {
  if (!Fresh()) return std::nullopt;
  return follower_.Any();
}

Status Platform::Ready() {
  {
    std::lock_guard lock(mu_);
    auto v = store_->SchemaVersion();
    if (!v.ok()) return v.status();
  }
  if (!readers_) return Status::Ok();
  ReadLock lock(*this);  // a reader answers too
  auto v = store_->SchemaVersion();
  return v.ok() ? Status::Ok() : v.status();
}

}  // namespace weefsel::service
