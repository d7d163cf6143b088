// fabric/weave.h: weave suggestions, the introductions (pairs not yet tied) that most strengthen
// the fabric, each with its reason and its measured gain.
//
// The objective (docs/fabric.md) is a sum of four normalised parts of the current graph G, with the
// communities P of the starting fabric held fixed:
//   reach     share of node pairs that are connected: sum_c s_c (s_c - 1) / (n (n - 1));
//   bridging  share of pairs of (non-singleton) communities of P joined by at least one tie;
//   redundancy  share of node pairs joined by two tie-disjoint routes (same 2-edge-connected
//             component): sum_b s_b (s_b - 1) / (n (n - 1)). A bridge tie, whose loss would cut
//             the fabric in two, is a single point of dependence on the two actors it joins; a
//             new tie that closes a cycle over k bridges relieves all k;
//   mix       share of ties (both ends of known kind) that cross sectors.
// F = w_reach * reach + w_bridging * bridging + w_redundancy * redundancy + w_mix * mix.
// Candidates are plausible pairs: actors sharing a theme or capability, actors in the same area,
// and friends of friends (two hops, most common partners first); at most `per_node` per actor.
// Greedy with lazy evaluation: candidates sit in a max-heap by their last computed gain; the top
// one is re-scored on the current graph and taken only when its fresh gain is still the largest.
// Each suggestion's gain is exactly F(G + e) - F(G) for the G that already holds the earlier ones.
//
// Thread-safety: reentrant; reads the Fabric only.
#pragma once

#include <string>
#include <vector>

#include "fabric/fabric.h"

namespace weefsel::fabric {

struct WeaveWeights {
  double reach = 1.0;
  double bridging = 1.0;
  double redundancy = 1.0;
  double mix = 1.0;
};

struct WeaveOptions {
  int k = 10;
  int per_node = 20;  // candidates kept per actor
  bool friends_of_friends = true;
  bool shared_tags = true;  // themes and capabilities
  bool same_area = true;
  WeaveWeights weights;
  // To find P: unweighted Leiden, one start and 2 rounds of the search (P only has to be a good
  // partition; on ca-CondMat 0.748088 in 0.17 s of CPU, against 0.748615 in 1.0 s with the
  // perturbation search before 7 December, and 0.7492-0.7497 in 0.5-0.7 s for the report's default).
  CommunityOptions communities{.runs = 1, .rounds = 2};
};

struct WeaveParts {
  double reach = 0, bridging = 0, redundancy = 0, mix = 0;
};

struct WeaveSuggestion {
  int u = 0, v = 0;    // node indices, u < v
  double gain = 0;     // F after - F before
  WeaveParts parts;    // weighted contributions to the gain
  std::string reason;  // why this introduction (plausibility and effect)
};

struct WeaveResult {
  std::vector<WeaveSuggestion> suggestions;
  double objective_before = 0;
  double objective_after = 0;
  int candidates = 0;
};

// The communities P and kinds the objective is measured against.
struct WeaveContext {
  std::vector<int> community;  // node -> community of P
  std::vector<int> community_size;
  int initial_bridges = 0;  // bridge ties in the starting fabric (reported)
  WeaveWeights weights;
};

Result<WeaveContext> MakeWeaveContext(const Fabric& fabric, const WeaveOptions& options = {});
// F(G) computed from scratch on `graph` (which has the same nodes as the context's fabric).
double WeaveObjective(const Fabric& graph, const WeaveContext& context, WeaveParts* parts = nullptr);

Result<WeaveResult> SuggestWeaves(const Fabric& fabric, const WeaveOptions& options = {});

}  // namespace weefsel::fabric
