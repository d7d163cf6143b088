// service/engines.h: the engines (fund, fabric, coalition) behind the API, on store snapshots.
//
// Heavy results are built off the request path (service/published.h): on a build worker, published
// whole by a swap, kept while the version of their scopes holds, and served marked stale (with the
// version they were built at, `as_of`) while the next one is built when a request's wait runs out.
//   FundService      a round's outcome under its rule with the per-project explanations (per
//                    round, on the round's scope), and the round as an anonymous Pabulib .pb file.
//                    Results are visible to the round's officers (and admins) at any time and to
//                    everybody once the round is in phase allocation or published.
//   FabricService    the fabric of one municipality (its actors and the ties between them): the
//                    fabric report, server-side map positions, weave suggestions, the monthly
//                    health history and GraphML. A municipality's fabric is rebuilt alone, when its
//                    own scope moves; and the expensive analysis only when its actors or ties
//                    really changed (compared by fingerprint with the published ones).
//   CoalitionService the coalition engine's best teams for a challenge, candidates drawn from the
//                    MatchService's matcher (the same snapshot the matches come from). Officers of
//                    the challenge's municipality, admins and actor members may ask.
//   Engines          the bundle the API holds: the igraph worker (the fabric's builds: one thread,
//                    as igraph requires), the matcher's worker (its communities are our own Leiden,
//                    no igraph: its rebuilds do not queue behind the fabrics'), the fund worker, and
//                    the four services; Errors()
//                    lists the builds that failed (for /readyz), Prewarm() queues the first builds.
// Ownership: each service borrows the Platform (and CoalitionService the MatchService); both must
// outlive it. Results are shared_ptr to immutable values. Thread-safety: all methods thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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
#include "service/published.h"

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
  FundService(Platform& platform, BuildWorker& worker, std::optional<std::chrono::milliseconds> wait,
              std::optional<std::chrono::milliseconds> first_wait = std::nullopt)
      : platform_(platform), results_(worker, "round results", wait, first_wait) {}

  // The round's outcome under its rule. NotFound for an unknown round; Unauthenticated /
  // PermissionDenied before the allocation phase for anyone but its officers and admins;
  // FailedPrecondition when the round's rule does not apply to its ballot kind.
  Result<Stamped<RoundResults>> Results(const Principal& p, RoundId id);
  // The round as Pabulib .pb text: projects with titles, anonymous ballots (voters numbered 1..n in
  // an order that does not follow casting), the META the format requires. Same rights as Results.
  Result<std::string> ExportPb(const Principal& p, RoundId id);
  std::vector<std::string> Errors() const;

 private:
  Status MayRead(const Principal& p, const domain::Round& r) const;
  Result<std::vector<domain::Ballot>> AnonymousBallots(RoundId id);
  Result<Built<RoundResults>> Build(RoundId id);

  Platform& platform_;
  Published<RoundId, RoundResults> results_;
};

// ---- fabric ----

// The fabric of one municipality with its report and map positions.
struct FabricView {
  MunicipalityId municipality;
  std::vector<domain::Actor> actors;  // fabric node order; description, website and source left empty
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

// Weave suggestions with the view they were computed on (node indices refer to it).
struct WeaveView {
  std::shared_ptr<const FabricView> view;
  fabric::WeaveResult weave;
};

class FabricService {
 public:
  FabricService(Platform& platform, BuildWorker& igraph, std::optional<std::chrono::milliseconds> wait,
                std::optional<std::chrono::milliseconds> first_wait = std::nullopt)
      : platform_(platform),
        views_(igraph, "fabric", wait, first_wait),
        weaves_(igraph, "weave", wait, first_wait),
        health_(igraph, "fabric health", wait, first_wait) {}

  // NotFound for an unknown municipality.
  Result<Stamped<FabricView>> View(MunicipalityId m);
  // The best k (1..50) introductions for the municipality's fabric.
  Result<Stamped<WeaveView>> Weave(MunicipalityId m, int k);
  // Health per month over the last `months` months of ties' start dates (at most 36).
  Result<Stamped<HealthHistory>> Health(MunicipalityId m);
  // Queues the build of m's view when it is missing or old; returns at once.
  void Warm(MunicipalityId m);
  std::vector<std::string> Errors() const;
  // Municipalities whose first view is queued or being built.
  int64_t Unbuilt() const { return views_.Unbuilt(); }
  int64_t view_builds() const { return views_.builds(); }

 private:
  Result<Built<FabricView>> BuildView(MunicipalityId m, const std::shared_ptr<const FabricView>& previous);
  Result<std::shared_ptr<const HealthHistory>> BuildHealth(const FabricView& v);

  Platform& platform_;
  Published<MunicipalityId, FabricView> views_;
  Published<std::pair<MunicipalityId, int>, WeaveView> weaves_;  // (m, k), on the view's version
  Published<MunicipalityId, HealthHistory> health_;              // on the view's version
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
  int64_t as_of = -1;  // the matcher's version
  bool stale = false;
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
  // The same for a challenge value that need not be stored (the Right to Challenge asks for the
  // partners of a bid: service/task_challenges.h); the caller has checked the rights.
  Result<std::shared_ptr<const Suggestions>> SuggestFor(const domain::Challenge& ch, const SuggestRequest& req,
                                                        Infeasible* infeasible = nullptr);

 private:
  Platform& platform_;
  MatchService& matches_;
};

// ---- the bundle --------------------------------------------------------------------------------

struct EngineOptions {
  // How long a request waits for a rebuild before the previous result answers, marked stale;
  // nullopt: until the rebuild ends (every answer fresh: the library's and the tests' default).
  std::optional<std::chrono::milliseconds> wait;
  // How long a request waits for a result that has never been built (after a start, a fabric the
  // warming has not reached yet) before it is answered Unavailable, reason `building`, with a
  // retry_after; nullopt: until the build ends (the library's and the tests' default).
  std::optional<std::chrono::milliseconds> first_wait;
  // The matcher's learned stage (MatchService); nullptr: the linear score.
  std::shared_ptr<const match::LearnedRanker> match_model;
};

class Engines {
 public:
  Engines(Platform& platform, EngineOptions options = {});
  ~Engines();  // stops the workers before the services they build for go
  Engines(const Engines&) = delete;
  Engines& operator=(const Engines&) = delete;

  MatchService& matches() { return matches_; }
  FabricService& fabrics() { return fabrics_; }
  FundService& funds() { return funds_; }
  CoalitionService& coalitions() { return coalitions_; }
  // Every build whose last attempt failed ("fabric municipality 3: ..."); empty when all is well.
  std::vector<std::string> Errors() const;
  // Results queued for their first build and not built yet: the matcher and the fabric views
  // (after a start, the warming still to do; /readyz reports it).
  int64_t Warming() const { return matches_.Unbuilt() + fabrics_.Unbuilt(); }
  // Queues the matcher's and every municipality's fabric build, so that the first requests after a
  // start find them built. Returns at once.
  void Prewarm();

 private:
  Platform& platform_;
  BuildWorker igraph_{"igraph"};
  // At the requests' priority: its updates in place hold the matcher's lock that every ranking
  // waits for (a niced holder would be starved by the rankings it holds up); whole builds lower
  // their own thread (MatchService::Build).
  BuildWorker match_{"matcher", /*nice=*/0};
  BuildWorker fund_{"fund"};
  MatchService matches_;
  FabricService fabrics_;
  FundService funds_;
  CoalitionService coalitions_;
};

}  // namespace weefsel::service
