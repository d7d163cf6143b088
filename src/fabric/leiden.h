// fabric/leiden.h: our own Leiden algorithm maximising modularity (internal to fabric/).
//
// Traag, Waltman & van Eck (2019): fast local moving (a queue of nodes to revisit), refinement
// within each community (merges of singletons into well-connected subsets: the best subset, or with
// `theta` > 0 one drawn with probability ~ exp(gain / theta) as in the paper), aggregation on
// the refined partition with the unrefined one as the aggregate's start, repeated until no
// aggregation shrinks the graph; one such pass is an *iteration*, and a run iterates from its own
// partition until an iteration brings no gain in modularity (leidenalg's n_iterations = -1).
// Every random choice (visiting orders, refinement draws) comes from the run's seed, so a run
// is a pure function of (graph, weights, resolution, seed, start). Functions here hold no state and
// are safe to call from several threads at once on the same Fabric (no igraph involved).
#pragma once

#include <cstdint>
#include <vector>

#include "fabric/fabric.h"

namespace weefsel::fabric::internal {

struct LeidenRunOptions {
  double resolution = 1.0;  // gamma: modularity is sum_c w_in(c)/W - gamma (K_c / 2W)^2
  bool use_weights = true;
  uint64_t seed = 1;
  // A run stops after `patience` iterations in a row without gain (1 = leidenalg's n_iterations = -1),
  // or after max_iterations.
  int patience = 1;
  int max_iterations = 100;
};

// One Leiden run. `start` (a membership vector, any labels in [0, n)) is the starting partition;
// empty = singletons. Returns the membership (labels in [0, n), not canonical).
std::vector<int> LeidenRun(const Fabric& fabric, const LeidenRunOptions& options, const std::vector<int>& start = {});

// The search behind FindCommunities (docs/fabric.md, *Communities against leidenalg*; an ensemble
// of the core-groups kind, Ovelgoenne & Geyer-Schulz 2012):
//  * `starts` runs of `start_iterations` iterations from singletons: the pool; the best is kept.
//  * Rounds. The core groups of the pool and the best (nodes together in every one of them) are
//    aggregated into a small graph (groups that no tie leaves, whole components, are left out of it
//    and stay alone); runs on it (the first from the best, the others from
//    singletons, at most `core_iterations` each; about core_share x the graph's arcs in all,
//    between `core_runs` and `core_runs_max` runs); the best of them, back on the whole graph, is
//    polished there (Leiden iterations, where core groups can split: `polish_iterations`, or until
//    stable on small graphs) and kept if better than the best. The next pool: the polished
//    partition, the `keep` best core runs and `fresh` new runs from singletons.
//  * A search stops after `patience` rounds in a row that gain less than `min_gain`; then, if
//    rounds are left (`rounds` in all) and `searches` allows, a new search from new starts (with
//    `reuse_fresh`, the best `starts` fresh runs of the search before, topped up by new runs); the
//    best of all is returned. `rounds` < 0 and `patience` 0 come from effort / ties (small graphs
//    get more rounds and patience: they are cheap): rounds = clamp(rounds_per_effort x e, 6,
//    rounds_max), patience = clamp(e / effort_per_patience, 2, patience_max), e = effort / ties;
//    on large graphs (e < large_effort) `large_rounds` rounds.
// Every run's seed comes from (seed, round, run), and runs are dealt to `threads` threads by number,
// so the result is the same on any number of threads.
struct LeidenSearchOptions {
  double resolution = 1.0;
  bool use_weights = true;
  uint64_t seed = 1;
  int threads = 2;
  int starts = 6;
  int start_iterations = 2;
  int core_runs = 6;
  int core_runs_max = 64;
  double core_share = 0.5;
  int core_iterations = 4;
  int polish_iterations = 3;
  int polish_until_stable_effort = 4;  // polish until stable when effort / ties >= this
  int keep = 2;
  int fresh = 1;
  double min_gain = 1e-5;
  double theta = 0.01;
  int searches = 2;
  int rounds = -1;
  int patience = 0;
  int64_t effort = 200'000;
  int rounds_per_effort = 3;
  int rounds_max = 18;  // 36 before 7 December, evening (docs/fabric.md)
  int effort_per_patience = 2;
  int patience_max = 6;
  int large_effort = 8;  // effort / ties below this (over 25,000 ties by default): large_rounds
  int large_rounds = 2;
  bool polish_gains_only = true;  // polish only when the core graph's best beats the best
  bool reuse_fresh = true;        // the best `starts` fresh runs of a search are the next search's starts
};

// What a search did, round by round (for the benchmark): round 0 is the starts.
struct LeidenSearchTrace {
  struct Round {
    int core_groups = 0;
    int64_t core_arcs = 0;
    double core_best = 0;                          // best modularity of the runs on the core graph (before polishing)
    double best = 0;                               // best so far
    double cpu_s = 0;                              // process CPU seconds since the search began (every thread)
    double runs_s = 0, polish_s = 0, fresh_s = 0;  // of which this round's core runs, polish, fresh runs
    int start_runs = -1;  // round 0 of a search: new runs made for its starts (the others reused); -1 after
  };
  std::vector<Round> rounds;
};

// Returns the membership (labels in [0, n), not canonical) of the best partition found.
std::vector<int> LeidenSearch(const Fabric& fabric, const LeidenSearchOptions& options,
                              LeidenSearchTrace* trace = nullptr);

}  // namespace weefsel::fabric::internal
