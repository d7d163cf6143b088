// fabric/leiden.h: our own Leiden algorithm maximising modularity (internal to fabric/).
//
// Traag, Waltman & van Eck (2019): fast local moving (a queue of nodes to revisit), refinement
// within each community (greedy merges of singletons into well-connected subsets), aggregation on
// the refined partition with the unrefined one as the aggregate's start, repeated until no
// aggregation shrinks the graph; one such pass is an *iteration*, and a run iterates from its own
// partition until an iteration brings no gain in modularity (leidenalg's n_iterations = -1).
// Every random choice (the order in which nodes are visited) comes from the run's seed, so a run
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

}  // namespace weefsel::fabric::internal
