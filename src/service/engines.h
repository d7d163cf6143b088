// service/engines.h: the engines (fund, fabric, coalition) behind the API, on store snapshots.
//
// Each service reads what it needs from the Platform's store, runs an engine on that snapshot and
// caches the result:
//   FundService      a round's outcome under its rule with the per-project explanations (cached
//                    per round and data version), and the round as an anonymous Pabulib .pb file.
//                    Results are visible to the round's officers (and admins) at any time and to
//                    everybody once the round is in phase allocation or published.
//   FabricService    the fabric of one municipality (its actors and the ties between them): the
//                    fabric report, server-side map positions, weave suggestions, the monthly
//                    health history and GraphML. The expensive analysis is redone only when the
//                    municipality's actors or ties change: on a new data version the actors and
//                    ties are re-read (milliseconds) and compared by fingerprint with the cached
//                    ones. The fabric module serialises igraph calls; one build runs at a time here.
//   CoalitionService the coalition engine's best teams for a challenge, candidates drawn from the
//                    MatchService's matcher (the same snapshot the matches come from). Officers of
//                    the challenge's municipality, admins and actor members may ask.
// Ownership: each service borrows the Platform (and CoalitionService the MatchService); both must
// outlive it. Results are shared_ptr to immutable values. Thread-safety: all methods thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/status.h"
#include "coalition/coalition.h"
#include "domain/model.h"
#include "fabric/analysis.h"
#include "fabric/fabric.h"
#include "fabric/health.h"
#include "fabric/layout.h"
#include "fabric/weave.h"
#include "fund/instance.h"
#include "fund/rules.h"
#include "service/matches.h"
#include "service/platform.h"

namespace weefsel::service {

// ---- fund ----

struct RoundResults {
  domain::Round round;
  fund::Instance instance;  // the round and its ballots as the fund engine sees them
  fund::Outcome outcome;    // with explanations
  int64_t ballots = 0;
};

class FundService {
 public:
  explicit FundService(Platform& platform) : platform_(platform) {}

  // The round's outcome under its rule. NotFound for an unknown round; Unauthenticated /
  // PermissionDenied before the allocation phase for anyone but its officers and admins;
  // FailedPrecondition when the round's rule does not apply to its ballot kind.
  Result<std::shared_ptr<const RoundResults>> Results(const Principal& p, RoundId id);
  // The round as Pabulib .pb text: projects with titles, anonymous ballots (voters numbered 1..n in
  // an order that does not follow casting), the META the format requires. Same rights as Results.
  Result<std::string> ExportPb(const Principal& p, RoundId id);

 private:
  Status MayRead(const Principal& p, const domain::Round& r) const;
  Result<std::vector<domain::Ballot>> AnonymousBallots(RoundId id);

  Platform& platform_;
  std::mutex mu_;
  std::map<RoundId, std::pair<int64_t, std::shared_ptr<const RoundResults>>> cache_;  // (version, results)
};

// ---- fabric ----

// The fabric of one municipality with its report and map positions.
struct FabricView {
  MunicipalityId municipality;
  std::vector<domain::Actor> actors;  // fabric node order
  std::vector<domain::Tie> ties;      // active ties with both ends in the municipality
  fabric::Fabric fabric;
  fabric::Report report;
  std::vector<fabric::Point> positions;  // node order, in [0, 1]
  uint64_t fingerprint = 0;
  double seconds = 0;         // time to build (reading excluded): analysis + layout
  double layout_seconds = 0;  // of which the layout
};

struct HealthHistory {
  std::vector<fabric::HealthSnapshot> months;  // one per month end, oldest first
  bool dated = false;                          // false: no tie has a start date; one snapshot (now)
};

class FabricService {
 public:
  explicit FabricService(Platform& platform) : platform_(platform) {}

  // NotFound for an unknown municipality.
  Result<std::shared_ptr<const FabricView>> View(MunicipalityId m);
  // The best k (1..50) introductions for the municipality's fabric.
  Result<std::shared_ptr<const fabric::WeaveResult>> Weave(MunicipalityId m, int k);
  // Health per month over the last `months` months of ties' start dates (at most 36).
  Result<std::shared_ptr<const HealthHistory>> Health(MunicipalityId m);

 private:
  struct Entry {
    int64_t version = -1;
    std::shared_ptr<const FabricView> view;
    std::map<int, std::shared_ptr<const fabric::WeaveResult>> weaves;  // by k, for `view`
    std::shared_ptr<const HealthHistory> health;                       // for `view`
  };
  // The entry of m brought up to date (mu_ held).
  Result<Entry*> Fresh(MunicipalityId m);

  Platform& platform_;
  std::mutex mu_;
  std::map<MunicipalityId, Entry> cache_;
};

// ---- coalitions ----

struct SuggestRequest {
  int top = 3;          // teams, 1..10
  int candidates = 60;  // best-ranked actors to form teams from, 5..200
  int max_size = 0;     // 0: the challenge's max_coalition_size
};

struct Suggestions {
  domain::Challenge challenge;
  std::vector<coalition::Candidate> candidates;
  std::vector<int> nodes;  // candidate -> fabric node (-1: none)
  coalition::Rules rules;
  std::vector<coalition::Team> teams;
  std::vector<std::string> explanations;  // coalition::Explain per team
  // Direct ties inside each team: (candidate a, candidate b, strength).
  std::vector<std::vector<std::tuple<int, int, double>>> ties;
  // What the challenge's own municipality lacks (coalition::Pool::shortfall), and the names of the
  // municipalities (by id) for showing each member's city.
  std::vector<std::string> shortfall;
  std::map<int64_t, std::string> municipality_names;
};

// The unmet requirement of an impossible request (for a 422 answer).
struct Infeasible {
  std::string requirement;  // the first unmet: "capability:zorg", "sector_mix:business", "max_size"
  std::string detail;       // every unmet requirement, with by how much, joined by "; "
  std::vector<std::pair<std::string, std::string>> requirements;  // (requirement, sentence) each
};

class CoalitionService {
 public:
  CoalitionService(Platform& platform, MatchService& matches) : platform_(platform), matches_(matches) {}

  // The best teams; when the rules cannot be met, `infeasible` is filled and the result holds no
  // teams. Rights: officers of the challenge's municipality, admins, members of any actor.
  Result<std::shared_ptr<const Suggestions>> Suggest(const Principal& p, ChallengeId id, const SuggestRequest& req,
                                                     Infeasible* infeasible);

 private:
  Platform& platform_;
  MatchService& matches_;
};

}  // namespace weefsel::service
