// fabric/fabric.h: the city's collaboration network ("het weefsel") as a plain, immutable graph.
//
// A Fabric is an undirected graph whose nodes are actors (or the nodes of an imported network) and
// whose edges are ties with a strength (weight > 0; the path length of a tie is 1/weight). It is
// built once, from domain values (actors + ties) or from an edge file pair (`.edges` + `.nodes`,
// see ../shared/data/networks/README.md), and then only read. Storage is compressed sparse rows
// (CSR): node i's neighbours are a contiguous span, sorted by neighbour index.
//
// This header is the fabric's narrow public interface for other modules (match, coalition,
// service): it exposes no igraph type. Node indices are dense 0..node_count()-1; map them to and
// from ActorId (or to the ids of an imported file) with IndexOf / ActorOf / ExternalId.
// The analyses (betweenness, constraint, roles, ...) are in fabric/analysis.h, weave suggestions in
// fabric/weave.h, health and typology in fabric/health.h, export in fabric/export.h.
//
// Ownership: a Fabric owns its arrays; copies are deep. Thread-safety: a Fabric is immutable after
// construction, so any number of threads may read it (and run distances on it) concurrently.
// FindCommunities may be called from any thread: Leiden is our own (it starts its own threads and
// touches no igraph state); Louvain serialises its calls into igraph internally.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "domain/model.h"
#include "domain/vocabulary.h"

namespace weefsel::fabric {

// What is known about a node. For a domain actor all fields come from the Actor; for an imported
// network `external_id` is the id in the file, `label` the first text column of `.nodes` (if any),
// `attributes` every column of `.nodes` by name, and `kind` is derived from a `type` column when it
// holds a CORDIS organisation type (PRC, HES, REC, PUB, OTH) or an actor kind code.
struct NodeInfo {
  int64_t external_id = 0;
  std::string label;
  std::optional<domain::ActorKind> kind;
  std::string area;
  std::vector<std::string> themes;
  std::vector<std::string> capabilities;
  std::vector<std::pair<std::string, std::string>> attributes;  // (column, value), file order
};

// An undirected edge between node indices, u != v.
struct Edge {
  int u = 0;
  int v = 0;
  double weight = 1.0;
};

struct Neighbour {
  int node = 0;
  double weight = 1.0;
};

struct BuildOptions {
  // Only ties active on this date ("YYYY-MM-DD": from <= as_of and (until empty or until >= as_of))
  // are included. Empty: every tie whose `until` is empty (ties that ended are left out).
  std::string as_of;
  // Include ties that have ended (ignores as_of).
  bool include_ended = false;
};

class Fabric {
 public:
  Fabric() = default;

  // From domain values. Repeated ties between the same pair are merged: their weights add up.
  // Fails (InvalidArgument naming the tie) on a tie to an unknown actor, a self-tie or a weight
  // that is not > 0, and on duplicate actor ids.
  static Result<Fabric> FromDomain(const std::vector<domain::Actor>& actors, const std::vector<domain::Tie>& ties,
                                   const BuildOptions& options = {});

  // From an edge file (`u v` or `u v w` per line, `#` comments) and, when nodes_path is not empty,
  // a tab-separated `.nodes` file with a header line whose first column is `id`. Every node of the
  // `.nodes` file is included, isolates too; an edge whose end is not in `.nodes` is an error.
  // Without a `.nodes` file the nodes are those seen in the edges, in order of first appearance.
  // Errors name the file, the line and what was wrong. Repeated pairs add their weights.
  static Result<Fabric> FromEdgeFiles(const std::string& edges_path, const std::string& nodes_path = "");
  // The same from in-memory text (`name` is used in error messages).
  static Result<Fabric> FromEdgeText(std::string_view edges_text, std::string_view nodes_text,
                                     std::string_view name = "edges");

  // From node infos and edges on their indices (weights > 0; repeated pairs add up).
  static Result<Fabric> FromEdges(std::vector<NodeInfo> nodes, const std::vector<Edge>& edges, bool weighted = true);

  int node_count() const { return static_cast<int>(nodes_.size()); }
  int64_t edge_count() const { return static_cast<int64_t>(targets_.size() / 2); }
  // True when at least one weight differs from 1 (or the source declared weights).
  bool weighted() const { return weighted_; }

  const NodeInfo& node(int i) const { return nodes_[static_cast<size_t>(i)]; }
  const std::vector<NodeInfo>& nodes() const { return nodes_; }
  // Index of an actor (by ActorId value) or of a file's node id.
  std::optional<int> IndexOf(ActorId actor) const { return IndexOfExternal(actor.value()); }
  std::optional<int> IndexOfExternal(int64_t external_id) const;
  ActorId ActorOf(int i) const { return ActorId(nodes_[static_cast<size_t>(i)].external_id); }
  int64_t ExternalId(int i) const { return nodes_[static_cast<size_t>(i)].external_id; }

  // Neighbours of i sorted by index, with tie weights.
  std::span<const Neighbour> Neighbours(int i) const {
    return {adjacency_.data() + offsets_[static_cast<size_t>(i)],
            static_cast<size_t>(offsets_[static_cast<size_t>(i) + 1] - offsets_[static_cast<size_t>(i)])};
  }
  int Degree(int i) const {
    return static_cast<int>(offsets_[static_cast<size_t>(i) + 1] - offsets_[static_cast<size_t>(i)]);
  }
  double Strength(int i) const { return strength_[static_cast<size_t>(i)]; }
  double TotalWeight() const { return total_weight_; }  // sum of edge weights (each edge once)
  // Weight of the tie between u and v, 0 if none (binary search).
  double WeightBetween(int u, int v) const;
  bool Adjacent(int u, int v) const { return WeightBetween(u, v) > 0; }
  // Every edge once, u < v, sorted.
  std::vector<Edge> Edges() const;

  // A copy with extra edges added (weights of existing pairs add up). Used by weave and tests.
  Result<Fabric> WithEdges(const std::vector<Edge>& extra) const;

  // Changes the fabric in place, for a fabric that follows ties as they come (match::Matcher):
  // nodes appended (isolated), edges added (weights add up on a pair already joined) and removed
  // (the weight taken off the pair; the pair goes when nothing is left). Rows stay sorted; one
  // ChangeEdges call rewrites the adjacency once, O(V + E) however many changes it carries (give it
  // a batch, not one call per tie), so a batch costs milliseconds where a rebuild of 400,000 ties
  // costs a third of a second. The result equals FromEdges of the
  // changed edge list (weights up to rounding). InvalidArgument, and nothing changed, for a
  // duplicate node id, an edge out of range, a self-loop, a weight that is not > 0 or finite, or a
  // removal of more weight than the pair has.
  Status AddNodes(const std::vector<NodeInfo>& nodes);
  Status ChangeEdges(const std::vector<Edge>& added, const std::vector<Edge>& removed);
  // ChangeEdges in two steps, for a fabric that others read meanwhile (match::Matcher::Update):
  // PrepareEdges checks the change and, for more than `in_place` arcs, makes the new arrays while
  // the fabric is only read; Apply then swaps them in (or changes up to `in_place` arcs in place).
  // Nothing may change the fabric between the two. After Apply, `change` holds the old arrays.
  struct ArcChange {
    int u, v;
    double delta;
  };
  struct EdgeChange {
    std::vector<ArcChange> arcs;  // sorted by (u, v)
    double total_weight_delta = 0;
    bool merged = false;  // the arrays below are the fabric's new ones
    std::vector<int64_t> offsets;
    std::vector<int> targets;
    std::vector<double> arc_weights;
    std::vector<Neighbour> adjacency;
    std::vector<double> strength;
    bool weighted = false;
  };
  Result<EdgeChange> PrepareEdges(const std::vector<Edge>& added, const std::vector<Edge>& removed,
                                  size_t in_place = 0) const;
  void Apply(EdgeChange& change);

  // Single-source hop distances: -1 where unreachable or beyond max_hops (max_hops < 0: no bound).
  std::vector<int> HopDistances(int source, int max_hops = -1) const;
  // Single-source weighted distances with tie length 1/weight (Dijkstra): +infinity where
  // unreachable or beyond max_length.
  std::vector<double> WeightedDistances(int source, double max_length = std::numeric_limits<double>::infinity()) const;

  // CSR arrays for the algorithms in this module: node i's arcs are [offsets()[i], offsets()[i+1]).
  const std::vector<int64_t>& offsets() const { return offsets_; }
  const std::vector<int>& targets() const { return targets_; }
  const std::vector<double>& arc_weights() const { return arc_weights_; }

 private:
  std::vector<NodeInfo> nodes_;
  std::unordered_map<int64_t, int> index_;
  std::vector<int64_t> offsets_{0};
  std::vector<int> targets_;
  std::vector<double> arc_weights_;
  std::vector<Neighbour> adjacency_;
  std::vector<double> strength_;
  double total_weight_ = 0;
  bool weighted_ = false;

  // One arc u -> v: its weight changed by `delta` (made when missing, dropped at 0); moves the
  // arrays' tail. ChangeEdges uses it for up to kArcsChangedInPlace arcs (measured on the national
  // demo's 2,000,000 arcs: one tie 4-6 ms this way, 17 ms by rewriting the arrays).
  static constexpr size_t kArcsChangedInPlace = 6;
  void ChangeArc(int u, int v, double delta);
};

// A partition of the nodes into communities 0..count-1.
struct Partition {
  std::vector<int> membership;  // node index -> community
  int count = 0;
  double modularity = 0;  // at the resolution and weighting it was found with
};

enum class CommunityMethod { kLeiden, kLouvain };

struct CommunityOptions {
  CommunityMethod method = CommunityMethod::kLeiden;
  double resolution = 1.0;  // modularity resolution gamma (1 = standard modularity)
  bool use_weights = true;  // ignored (false) on an unweighted fabric
  int runs = 10;            // Louvain: independent seeded runs, the best kept; Leiden: caps `starts`
  uint64_t seed = 1;
  // Leiden only: threads for the runs (each run is a function of its seed alone, so the result is
  // the same for any number of threads).
  int threads = 2;
  // Leiden only: the search (fabric/leiden.h, LeidenSearch): min(runs, starts) runs of 2
  // iterations from singletons, then rounds on the graph of their core groups (nodes together in
  // every partition of the pool), the best of each round polished on the whole graph. A search
  // stops after `patience` rounds in a row without gain; a second one starts afresh while rounds
  // are left (`rounds` in all). By default (-1 / 0) both come from effort / ties: rounds 6..36,
  // patience 2..6 (small graphs get more: they are cheap); 2 rounds when effort / ties < 8 (over
  // 25,000 ties by default).
  int starts = 6;
  int rounds = -1;
  int patience = 0;
  int64_t effort = 200'000;
};

// Communities maximising modularity. Leiden (our own, Traag et al. 2019; no igraph): seeded runs
// from singletons on `threads` threads whose core groups are searched again and polished (see
// above). Louvain: igraph's multilevel, best of `runs`. Deterministic for
// a given seed, whatever the number of threads. Communities are numbered by decreasing size (ties:
// smallest node index first).
Result<Partition> FindCommunities(const Fabric& fabric, const CommunityOptions& options = {});

// Newman's modularity of a membership vector: sum over communities of
// (w_in / W - gamma * (s_c / 2W)^2), with W the total edge weight (1 per edge when unweighted).
// 0 for a fabric without edges.
double Modularity(const Fabric& fabric, const std::vector<int>& membership, double resolution = 1.0,
                  bool use_weights = true);

// Connected components: membership (node -> component, numbered by decreasing size) and count.
struct Components {
  std::vector<int> membership;
  std::vector<int> sizes;  // by component id
  int count = 0;
};
Components ConnectedComponents(const Fabric& fabric);

}  // namespace weefsel::fabric
