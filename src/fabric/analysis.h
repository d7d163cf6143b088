// fabric/analysis.h: the analyses of a Fabric: brokers, structural holes, cores, roles, communities
// and their profiles, and how sectors mix.
//
// Analyse() runs the full report; the single measures are also available on their own. Raw
// betweenness counts each unordered pair of nodes once (as igraph does for undirected graphs);
// weighted measures use tie weights as strengths (path length 1/weight). Exact betweenness is our
// own Brandes, run on `threads` threads on a graph first reduced without changing the result
// (leaves stripped, twins merged: brandes.h); results equal igraph's to rounding (see
// brandes_test.cc); above `exact_up_to` nodes, or on request, it is estimated from
// sampled sources with a stated error bound. Constraint, coreness, articulation points, bridges
// and clustering come from igraph (serialised behind one lock).
//
// Roles, by this rule (see docs/fabric.md), in order:
//   isolate    degree 0;
//   hub        degree in the top 10% of connected nodes and at least 3;
//   broker     not a hub, and betweenness in the top 10% of connected nodes (> 0) or an
//              articulation point;
//   peripheral degree 1, or core number 1, or outside the largest component;
//   member     everyone else.
//
// Thread-safety: functions are reentrant; they only read the Fabric.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fabric/fabric.h"

namespace weefsel::fabric {

struct BetweennessOptions {
  bool weighted = false;  // path length 1/weight
  int threads = 2;
  int exact_up_to = 50000;  // nodes; above this the estimate is used
  int samples = 0;          // > 0: estimate from this many sampled sources, whatever the size
  uint64_t seed = 1;
};

struct Betweenness {
  std::vector<double> values;  // raw, each unordered pair once
  bool exact = true;
  int samples = 0;  // sources used when estimated
  // When estimated: with probability >= 95%, every node's |estimate - exact| <= error_bound
  // (Hoeffding with a union bound over the nodes). 0 when exact.
  double error_bound = 0;
  // Exact and unweighted: the diameter in hops of the largest component (a by-product of the
  // searches); -1 otherwise.
  int diameter_hops = -1;
};

Betweenness ComputeBetweenness(const Fabric& fabric, const BetweennessOptions& options = {});
// igraph's own exact betweenness, for comparison in tests and benchmarks.
Result<std::vector<double>> IgraphBetweenness(const Fabric& fabric, bool weighted);

// Burt's constraint as igraph computes it (NaN for isolates).
Result<std::vector<double>> Constraint(const Fabric& fabric, bool weighted);
// Diameter in hops of the largest component (component 0 of ConnectedComponents), 0 if it is a
// single node. Runs a BFS from every node of that component on `threads` threads.
int DiameterHops(const Fabric& fabric, int threads = 2);

struct Structure {
  std::vector<int> coreness;             // k-core number of each node
  std::vector<int> articulation_points;  // node indices, sorted
  std::vector<Edge> bridges;             // u < v, sorted
  std::vector<double> clustering;        // local clustering coefficient (0 when degree < 2)
  double transitivity = 0;               // global clustering coefficient
};
Result<Structure> ComputeStructure(const Fabric& fabric);

enum class Role { kIsolate, kHub, kBroker, kPeripheral, kMember };
std::string_view RoleCode(Role r);  // "isolate", "hub", "broker", "peripheral", "member"
std::vector<Role> AssignRoles(const Fabric& fabric, const std::vector<double>& betweenness, const Structure& structure,
                              const Components& components);

// Count of labels, most frequent first (ties by label).
using Tally = std::vector<std::pair<std::string, int>>;

struct CommunityProfile {
  int community = 0;
  int size = 0;
  Tally kinds, sectors, themes, areas, capabilities;
  int internal_ties = 0;
  int external_ties = 0;
  std::vector<int> top_nodes;  // up to 5 node indices by degree inside the community
};
std::vector<CommunityProfile> ProfileCommunities(const Fabric& fabric, const Partition& partition);

// Ties between categories (actor kinds or sectors), each tie once, observed against the count
// expected under random mixing with the same category degree totals: for categories a != b,
// expected = m * 2 * d_a * d_b, and m * d_a^2 for a == b, where d_a is a's share of tie ends.
// Only ties whose two ends have a known kind count.
struct MixingMatrix {
  std::vector<std::string> categories;
  std::vector<std::vector<double>> observed;  // symmetric; [a][b] = ties between a and b
  std::vector<std::vector<double>> expected;
  int64_t ties = 0;
  // Krackhardt's E-I index over these categories: (external - internal) / (external + internal);
  // 0 when there are no ties.
  double ei_index = 0;
};
MixingMatrix KindMixing(const Fabric& fabric);
MixingMatrix SectorMixing(const Fabric& fabric);

struct ReportOptions {
  CommunityOptions communities;
  BetweennessOptions betweenness;
  bool louvain = true;   // also run Louvain and report its modularity
  bool weighted = true;  // on a weighted fabric, also the weighted measures
  // Run the igraph analyses (communities, constraint, structure) on a second thread while
  // betweenness runs, so that both cores are busy. Results are the same either way.
  bool concurrent = true;
};

// The measures of one weighting (unweighted, or weighted with 1/weight lengths).
struct Measures {
  Partition communities;
  double louvain_modularity = 0;
  Betweenness betweenness;
  std::vector<double> constraint;
};

struct Report {
  int nodes = 0;
  int64_t edges = 0;
  bool weighted = false;
  Components components;
  int diameter = 0;  // largest component, hops
  Measures unweighted;
  std::optional<Measures> weighted_measures;
  Structure structure;
  std::vector<int> degree;
  std::vector<double> strength;
  std::vector<Role> roles;
  std::vector<CommunityProfile> profiles;  // of the unweighted communities
  MixingMatrix kinds;
  MixingMatrix sectors;
  // Seconds per analysis: components; then the igraph analyses in their order (leiden, louvain,
  // constraint, their _weighted twins, structure); then betweenness, diameter (when not a by-product),
  // betweenness_weighted; then roles_profiles_mixing. With `concurrent` the igraph analyses overlap
  // the betweenness ones, so the sum exceeds wall_seconds.
  std::vector<std::pair<std::string, double>> seconds;
  double wall_seconds = 0;  // the whole Analyse call
};

Result<Report> Analyse(const Fabric& fabric, const ReportOptions& options = {});

}  // namespace weefsel::fabric

namespace weefsel::fabric {

// The same analyses as Analyse() done by igraph's own functions called in sequence on one thread
// (components, Leiden x runs, Louvain x runs, exact betweenness, constraint, diameter, coreness,
// articulation points, bridges, clustering; weighted ones too on a weighted fabric), for the
// benchmark's baseline. Returns seconds per analysis, in run order, and igraph's best Leiden
// modularity (unweighted) in `modularity`.
struct IgraphBaseline {
  std::vector<std::pair<std::string, double>> seconds;
  double modularity = 0;
  double diameter = 0;
};
Result<IgraphBaseline> RunIgraphBaseline(const Fabric& fabric, int runs = 10, uint64_t seed = 1);

}  // namespace weefsel::fabric
