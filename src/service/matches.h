// service/matches.h: the actors that fit a challenge, from the match engine on a store snapshot.
//
// MatchService reads a snapshot of the store (actors, ties, and as past work the challenges whose
// coalitions an actor joined) and builds a match::Matcher from it on a build worker of its own
// (service/published.h), never on the request thread. The matcher is published whole and kept
// until the version of its scopes (actors, ties, challenges, coalitions) moves; then one rebuild
// is queued and, when the wait given runs out first, the previous matcher answers, marked stale,
// with the version it was built at. Ranking on a built Matcher runs concurrently.
// Ownership: borrows the Platform and the worker (both outlive it; stop the worker first).
// Thread-safety: thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "match/matcher.h"
#include "service/platform.h"
#include "service/published.h"

namespace weefsel::service {

struct RankedMatches {
  std::vector<match::Match> items;
  int64_t as_of = -1;  // the data version the matcher was built at
  bool stale = false;  // the data have moved on; a rebuild is under way
};

class MatchService {
 public:
  MatchService(Platform& platform, BuildWorker& worker, std::optional<std::chrono::milliseconds> wait)
      : platform_(platform), matcher_(worker, "matcher", wait) {}

  // The best `limit` actors for the challenge, with their reasons. NotFound for an unknown challenge.
  Result<RankedMatches> MatchesFor(ChallengeId id, int limit);
  // The published matcher (built if there is none yet); shared with the coalition service.
  Result<Stamped<match::Matcher>> Snapshot();
  // Queues a build when the matcher is missing or old; returns at once.
  void Warm();
  // The last build's error, if it failed ("matcher: ...").
  std::vector<std::string> Errors() const;
  int64_t builds() const { return matcher_.builds(); }

 private:
  Result<Built<match::Matcher>> Build();

  Platform& platform_;
  Published<int, match::Matcher> matcher_;  // one key: the whole platform
};

}  // namespace weefsel::service
