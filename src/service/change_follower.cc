#include "service/change_follower.h"
#include "storage/store.h"

#include <algorithm>
#include <mutex>

namespace weefsel::service {

bool ChangeFollower::started() const {
  std::shared_lock lock(mu_);
  return started_;
}

int64_t ChangeFollower::Cursor() const {
  std::shared_lock lock(mu_);
  return gaps_.empty() ? seen_ : std::min(seen_, gaps_.begin()->first - 1);
}

void ChangeFollower::ChangedLocked(const std::string& scope) {
  if (scope == storage::scope::kAll) {
    all_ = tick_;
    by_scope_.clear();  // all_ now covers every scope
  } else {
    by_scope_[scope] = tick_;
    // One actor or tie is also its kind.
    if (scope.starts_with("actor:")) by_scope_["actors"] = tick_;
    if (scope.starts_with("tie:")) by_scope_["ties"] = tick_;
  }
  log_.emplace_back(tick_, scope);
  while (log_.size() > kLogSize) {
    log_floor_ = log_.front().first;
    log_.pop_front();
  }
}

void ChangeFollower::Apply(int64_t after, const storage::Store::ChangePage& page,
                           std::chrono::steady_clock::time_point now) {
  std::unique_lock lock(mu_);
  std::erase_if(gaps_, [&](const auto& g) { return now - g.second > gap_wait_; });
  // One new version for everything this page brings.
  ++tick_;
  bool any = false;
  if (!started_) {
    started_ = true;
    seen_ = after;
  } else if (page.oldest > after + 1) {
    // Rows after `after` were pruned before we read them: anything may have changed.
    ChangedLocked(std::string(storage::scope::kAll));
    gaps_.clear();
    any = true;
  }
  // Gap ids are kept at most this many; beyond that, waiting for them costs more than starting over.
  constexpr size_t kMaxGaps = 4096;
  for (const auto& c : page.changes) {
    if (c.id <= seen_) {
      if (gaps_.erase(c.id) == 0) continue;  // seen before
    } else {
      for (int64_t id = seen_ + 1; id < c.id && gaps_.size() <= kMaxGaps; ++id) gaps_.emplace(id, now);
      seen_ = c.id;
    }
    ChangedLocked(c.scope);
    any = true;
  }
  if (gaps_.size() > kMaxGaps) {
    ChangedLocked(std::string(storage::scope::kAll));
    gaps_.clear();
    any = true;
  }
  if (!any) --tick_;
}

int64_t ChangeFollower::VersionOf(const std::vector<std::string>& scopes) const {
  std::shared_lock lock(mu_);
  int64_t v = all_;
  for (const auto& s : scopes) {
    if (s == storage::scope::kAll) return tick_;
    auto it = by_scope_.find(s);
    if (it != by_scope_.end()) v = std::max(v, it->second);
  }
  return v;
}

int64_t ChangeFollower::Any() const {
  std::shared_lock lock(mu_);
  return tick_;
}

std::optional<std::vector<std::string>> ChangeFollower::ChangedSince(int64_t version) const {
  std::shared_lock lock(mu_);
  if (version < log_floor_) return std::nullopt;
  std::vector<std::string> out;
  auto first = std::upper_bound(log_.begin(), log_.end(), version,
                                [](int64_t v, const std::pair<int64_t, std::string>& e) { return v < e.first; });
  for (auto it = first; it != log_.end(); ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t ChangeFollower::gaps() const {
  std::shared_lock lock(mu_);
  return gaps_.size();
}

}  // namespace weefsel::service
