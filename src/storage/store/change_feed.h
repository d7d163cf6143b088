// storage/store/change_feed.h: the change feed, what caches and followers read to learn what changed.
//
// Every write of a Store records, in its own transaction, the scopes it changed; DataVersion() is
// the feed's highest id. service/change_follower.h and the caches read it. The scope names live
// here so that writers and readers spell them alike. Thread-safety: as Store (one thread at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "base/ids.h"
#include "base/status.h"
#include "domain/task_challenge.h"

namespace weefsel::storage {

// Change scopes: each write records the scopes it changed in the change feed, in the
// same transaction, so that a cache depends on the scopes it read rather than on every write. A
// scope is a kind ("actors": any actor written) or one thing ("round:12"). Entity writes touch their
// kind and their own scopes; the frequent small writes (a ballot, a comment, a support, a review, a
// pledge) touch only the one thing they change, so a ballot in round A leaves round B's results and
// every fabric cached. "fabric:M" changes with the actors and ties of municipality M,
// "municipality:M" with its programme (the record, challenges, rounds, proposals, experiments,
// money); "*" is every scope at once (rare wide changes such as erasing an account).
// A write of one or a few actors or ties touches "actor:N" / "tie:N" for each instead of the kind
// ("actors", "ties"); readers of the feed count them as changes of the kind too
// (service/change_follower.h), and engines that keep themselves current apply just those
// (service/matches.h). A bulk write (more than kFewRows) touches the kind alone. Every write that
// touches "challenges" or "coalitions" also touches the challenge's own scope.
namespace scope {
inline constexpr std::string_view kAll = "*";
inline std::string Of(std::string_view kind, int64_t id) { return std::string(kind) + ":" + std::to_string(id); }
inline constexpr size_t kFewRows = 64;
inline std::string Actor(ActorId a) { return Of("actor", a.value()); }
inline std::string Tie(TieId t) { return Of("tie", t.value()); }
inline std::string Fabric(MunicipalityId m) { return Of("fabric", m.value()); }
inline std::string Municipality(MunicipalityId m) { return Of("municipality", m.value()); }
inline std::string Challenge(ChallengeId c) { return Of("challenge", c.value()); }
inline std::string Proposal(ProposalId p) { return Of("proposal", p.value()); }
inline std::string Round(RoundId r) { return Of("round", r.value()); }
inline std::string Experiment(ExperimentId e) { return Of("experiment", e.value()); }
inline std::string TaskChallenge(TaskChallengeId c) { return Of("task_challenge", c.value()); }
}  // namespace scope
// One row of the change feed: a write's id (increasing in the order writes took it, which under
// PostgreSQL need not be the order they committed) and one scope it changed.
struct Change {
  int64_t id = 0;
  std::string scope;
};

// A page of the feed (ChangeFeed::ChangesSince): its rows and the oldest id the feed still holds.
// At namespace scope, so that service/change_follower.h can declare it without this header.
struct ChangePage {
  std::vector<Change> changes;
  int64_t oldest = 0;
};

// The feed itself.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // The highest id of the change feed: it grows whenever any entity changes.
  virtual Result<int64_t> DataVersion() = 0;
  // The change feed after `after` (at most `limit` rows, by id) and the oldest id the feed still
  // holds (older rows are pruned once 100,000 newer ones exist; a reader further behind than that
  // must assume everything changed).
  using ChangePage = storage::ChangePage;
  virtual Result<ChangePage> ChangesSince(int64_t after, int limit) = 0;
};

}  // namespace weefsel::storage
