// service/change_follower.h: which scopes changed, from the store's change feed (migration 9).
//
// Every write appends one row per scope it changed (storage/store.h, namespace scope). A follower
// reads the feed in pages and keeps, per scope, a local version: a number that grows whenever a
// change of that scope is seen. A cache entry remembers VersionOf(the scopes it read) and is valid
// while that number is the same, so a ballot in round A (scope "round:A") leaves round B's results
// and every fabric cached. Versions are local to the process (two servers count differently);
// ETags come from the bodies, so that does not matter to clients.
//
// Under PostgreSQL ids are taken in one order and committed in another: a reader may see id 12
// before id 11 commits. The follower remembers such missing ids (gaps) and reads from the oldest
// one again until it appears or `gap_wait` passes (a rolled-back write leaves a gap for good). A
// reader that falls behind the feed's pruning, or meets "*", treats every scope as changed.
//
// A change of one actor or tie ("actor:12", "tie:7": a write of a few) is also a change of its kind
// ("actors", "ties"), so a cache of every actor needs only the kind; an engine that updates itself
// by changes reads the single ones (ChangedSince).
//
// Thread-safety: all methods are thread-safe (a shared mutex; VersionOf takes it shared).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "service/core/store_fwd.h"

namespace weefsel::service {

class ChangeFollower {
 public:
  explicit ChangeFollower(std::chrono::milliseconds gap_wait = std::chrono::seconds(5)) : gap_wait_(gap_wait) {}

  bool started() const;
  // Ask the store for changes after this id (once started).
  int64_t Cursor() const;
  // Takes a page of the feed, read after id `after`, at steady time `now`. The first page only
  // positions a new follower (nothing was cached before it): it should cover the feed's last
  // stretch, ending at the newest row, so that ids missing in it are waited for as gaps.
  void Apply(int64_t after, const storage::ChangePage& page, std::chrono::steady_clock::time_point now);
  // The version of a set of scopes: the largest of theirs (and of "*").
  int64_t VersionOf(const std::vector<std::string>& scopes) const;
  // A version that changes with every change of any scope.
  int64_t Any() const;
  // The scopes changed after `version` (a value VersionOf or Any returned), each once, as the feed
  // named them ("actor:12", "actors", "*"), or nullopt when the follower no longer remembers that
  // far back (it keeps the last kLogSize changes): an engine that keeps itself current by changes
  // (service/matches.h) then builds afresh.
  std::optional<std::vector<std::string>> ChangedSince(int64_t version) const;
  static constexpr size_t kLogSize = 1 << 16;
  size_t gaps() const;

 private:
  void ChangedLocked(const std::string& scope);

  const std::chrono::milliseconds gap_wait_;
  mutable std::shared_mutex mu_;
  bool started_ = false;
  int64_t seen_ = 0;                                               // the highest id seen
  std::map<int64_t, std::chrono::steady_clock::time_point> gaps_;  // ids below seen_ not yet seen
  int64_t tick_ = 1;                                               // local version counter
  int64_t all_ = 1;                                                // version of "*"
  std::unordered_map<std::string, int64_t> by_scope_;
  std::deque<std::pair<int64_t, std::string>> log_;  // (tick, scope), oldest first
  int64_t log_floor_ = 1;                            // every change after this tick is in log_
};

}  // namespace weefsel::service
