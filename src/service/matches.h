// service/matches.h: the actors that fit a challenge, from the match engine on a store snapshot.
//
// MatchService reads a snapshot of the store (actors, ties, and as past work the challenges whose
// coalitions an actor joined), builds a match::Matcher from it, and keeps it until the store's data
// version changes; then the next request rebuilds it. One build runs at a time (the fabric's igraph
// calls are not thread-safe); ranking on a built Matcher runs concurrently.
// Ownership: borrows the Platform (which must outlive it). Thread-safety: thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "base/status.h"
#include "match/matcher.h"
#include "service/platform.h"

namespace weefsel::service {

class MatchService {
 public:
  explicit MatchService(Platform& platform) : platform_(platform) {}

  // The best `limit` actors for the challenge, with their reasons. NotFound for an unknown challenge.
  Result<std::vector<match::Match>> MatchesFor(ChallengeId id, int limit);
  // The matcher of the current data version (built if needed); shared with the coalition service.
  Result<std::shared_ptr<const match::Matcher>> Snapshot();

 private:
  Platform& platform_;
  std::mutex build_mu_;
  std::shared_ptr<const match::Matcher> matcher_;
  int64_t version_ = -1;
};

}  // namespace weefsel::service
