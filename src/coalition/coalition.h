// coalition/coalition.h: forming complete cross-sector teams for a challenge.
//
// Given candidates (actors with a sector, capabilities and a relevance from match), the distances
// between them in the fabric, and the rules of a challenge (required capabilities, a minimum number
// of members per sector, a size limit, an optional lead), propose the best teams:
//   * every required capability is held by at least one member (hard);
//   * the sector mix is met (hard), the size limit too (hard), the lead is a member (hard);
//   * objective, minimised: communication cost - relevance_weight * sum of member relevance, where
//     communication cost is the sum of the shortest-path distances over all member pairs (the
//     member-pair form of Kargar & An's sum of distances; an unreachable pair costs
//     `unreachable_distance`, and a member with no path to any other is named in Team::unconnected
//     with the reason "no known tie: introduction needed"). Documented in docs/matching.md.
// FormHeuristic: rarest-capability-first seeding (as in Lappas et al.'s RarestFirst) with greedy
// completion and a swap/drop local search; scales to tens of thousands of candidates.
// FormExact: the same objective as an integer program solved by COIN-OR CBC (x_i member, y_ij
// pair linearisation), with a time limit; reports whether the optimum is proven and the gap.
// CheckRules explains an impossible request: which requirement fails, and by how much.
//
// Ownership: callers own candidates and distances; results are values. Thread-safety: the
// functions are reentrant except that a Distances object caches rows (one per thread); FormExact
// serialises its calls into CBC behind a mutex.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "domain/model.h"
#include "domain/vocabulary.h"

namespace weefsel::fabric {
class Fabric;
}

namespace weefsel::coalition {

struct Candidate {
  ActorId actor;
  std::string name;
  domain::Sector sector = domain::Sector::kBusiness;
  std::vector<std::string> capabilities;  // tags (or any skill strings)
  double relevance = 0;                   // >= 0, e.g. the match score
  MunicipalityId municipality;            // the actor's home (unset: national or unknown)
  std::string area;                       // its wijk, free text
  std::string why;  // why it is in the pool though not local ("" for local candidates); see pool.h
};

// Distances between candidates (by candidate index). Row(i)[j] = distance from i to j, +infinity
// when unreachable. Rows may be computed lazily and cached (not thread-safe).
class Distances {
 public:
  virtual ~Distances() = default;
  virtual int size() const = 0;
  virtual const std::vector<double>& Row(int i) const = 0;
};

// A dense matrix (row-major, n x n).
class MatrixDistances final : public Distances {
 public:
  MatrixDistances(int n, std::vector<double> values);
  int size() const override { return n_; }
  const std::vector<double>& Row(int i) const override { return rows_[static_cast<size_t>(i)]; }

 private:
  int n_;
  std::vector<std::vector<double>> rows_;
};

// Shortest paths in a fabric (tie length 1/weight, Dijkstra), candidates mapped to fabric nodes
// (-1: not in the fabric, unreachable from everyone). Rows are computed on first use and cached.
class FabricDistances final : public Distances {
 public:
  FabricDistances(const fabric::Fabric& fabric, std::vector<int> node_of_candidate);
  int size() const override { return static_cast<int>(node_of_.size()); }
  const std::vector<double>& Row(int i) const override;

 private:
  const fabric::Fabric& fabric_;
  std::vector<int> node_of_;
  mutable std::unordered_map<int, std::vector<double>> cache_;
};

struct Rules {
  std::vector<domain::CapabilityNeed> needs;  // all must be covered
  domain::SectorMix mix;                      // minimum members per sector
  int max_size = 6;
  std::optional<int> lead;        // candidate index that must be a member
  double relevance_weight = 0.0;  // lambda in the objective
  // Cost of a member pair with no path. It is meant to exceed any real path between candidates, so
  // a connected team is always preferred when one exists; a disconnected one is proposed only when
  // nothing connected meets the rules, with its unconnected members named (Team::unconnected).
  double unreachable_distance = 100.0;
};

struct Team {
  std::vector<int> members;                         // candidate indices, ascending
  double communication = 0;                         // sum of pairwise distances
  double relevance = 0;                             // sum of member relevance
  double objective = 0;                             // communication - lambda * relevance
  std::vector<std::pair<std::string, int>> covers;  // need -> the member covering it
  // Members with no path in the fabric to any other member: "no known tie: introduction needed".
  // They are allowed, but each of their pairs costs Rules::unreachable_distance.
  std::vector<int> unconnected;
  bool proven_optimal = false;  // FormExact only
  double gap = -1;              // FormExact: relative gap to the bound (-1 unknown)
};

// OK when the rules can be met by these candidates; otherwise InvalidArgument naming each unmet
// requirement and by how much ("capability 'x': no candidate has it"; "the mix needs 5 members but
// the size limit is 4 (1 short)"; "covering everything needs at least 5 members, limit 3").
Status CheckRules(const std::vector<Candidate>& candidates, const Rules& rules);

// Objective terms of a member set (members need not be feasible); Feasible tests the hard rules.
Team Evaluate(const std::vector<Candidate>& candidates, const Distances& d, const Rules& rules,
              std::vector<int> members);
bool Feasible(const std::vector<Candidate>& candidates, const Rules& rules, const std::vector<int>& members);

struct HeuristicOptions {
  int max_seeds = 48;  // holders of the rarest capability tried as seeds (best relevance first)
  int max_passes = 8;  // local-search passes
};
// Up to n_best distinct feasible teams, best objective first. Fails like CheckRules when nothing
// is feasible.
Result<std::vector<Team>> FormHeuristic(const std::vector<Candidate>& candidates, const Distances& d,
                                        const Rules& rules, int n_best = 1, const HeuristicOptions& options = {});

struct ExactOptions {
  double time_limit_seconds = 5.0;
  int max_candidates = 80;
  bool warm_start = true;  // the heuristic's best team is CBC's first incumbent (and cutoff)
};
// The n_best best teams by CBC (each later one excludes the earlier by a no-good cut). A team
// found without proof within the time limit has proven_optimal = false and its gap set.
Result<std::vector<Team>> FormExact(const std::vector<Candidate>& candidates, const Distances& d, const Rules& rules,
                                    int n_best = 1, const ExactOptions& options = {});

// Smallest number of members that can cover the needs and meet the mix (ignores the size limit),
// by CBC; nullopt when impossible at any size.
std::optional<int> MinimumTeamSize(const std::vector<Candidate>& candidates, const Rules& rules);

// A readable account: each member with sector and what it covers, the connecting distances.
std::string Explain(const std::vector<Candidate>& candidates, const Distances& d, const Rules& rules, const Team& team);

}  // namespace weefsel::coalition
