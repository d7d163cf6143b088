// fabric/brandes.h: exact betweenness by Brandes's algorithm on a reduced copy of a Fabric
// (internal to fabric/; the public entry is ComputeBetweenness in analysis.h).
//
// Before Brandes runs, the graph is shrunk in ways that leave every betweenness value unchanged:
//   * leaves are stripped one by one (Baglioni et al. 2012): a stripped vertex's betweenness, and
//     what its subtree adds to the vertex it hangs on, follow in closed form from subtree sizes;
//     the vertex that remains carries the size of what hangs on it as a weight;
//   * closed twins of the unweighted graph (vertices tied to each other with the same other
//     neighbours, common in co-authorship graphs where a paper's authors form a clique) are merged
//     into one vertex with a multiplicity: no shortest path between two other vertices passes
//     through two twins, so the class's share is split evenly among its members;
//   * what remains is relabelled in BFS order, so that a search walks memory mostly forward.
// Brandes then runs from every remaining vertex, sources and targets weighted by the vertices they
// stand for, sources dealt in chunks to `threads` threads in turn (a fixed order, so results are the
// same to the last bit from run to run); each thread keeps its own sums, added in thread order.
//
// Thread-safety: reentrant; reads the Fabric only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "fabric/fabric.h"

namespace weefsel::fabric::internal {

// igraph's tolerance for equal path lengths (IGRAPH_SHORTEST_PATH_EPSILON): relative 1e-10.
constexpr double kPathEps = 1e-10;

// -1 if a < b, 0 if equal within relative kPathEps, 1 if a > b (as igraph_cmp_epsilon), so that
// weighted shortest paths tie exactly where igraph's do.
inline int CmpEps(double a, double b) {
  if (a == b) return 0;
  double diff = std::fabs(a - b);
  double sum = std::fabs(a) + std::fabs(b);
  if (a == 0 || b == 0 || diff < std::numeric_limits<double>::min()) {
    if (diff < kPathEps * std::numeric_limits<double>::min()) return 0;
  } else if (diff / std::min(sum, std::numeric_limits<double>::max()) < kPathEps) {
    return 0;
  }
  return a < b ? -1 : 1;
}

// Which reductions to use (all by default; the others exist for tests and measurements).
struct BrandesPlan {
  bool strip_leaves = true;
  bool merge_twins = true;  // unweighted only: with weights, twins would also need equal tie weights
  bool relabel = true;
};

struct ExactBetweenness {
  std::vector<double> values;  // raw, each unordered pair once (as igraph for undirected graphs)
  // Unweighted: the diameter in hops of the largest component (component 0); -1 when weighted.
  int diameter_hops = -1;
  int reduced_nodes = 0;  // vertices Brandes ran on
  int64_t reduced_edges = 0;
};

ExactBetweenness ComputeExactBetweenness(const Fabric& fabric, bool weighted, int threads,
                                         const BrandesPlan& plan = {});

}  // namespace weefsel::fabric::internal
