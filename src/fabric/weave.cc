// fabric/weave.cc: greedy weave suggestions with lazy evaluation.
#include "fabric/weave.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "base/strings.h"

namespace weefsel::fabric {
namespace {

constexpr int kMaxIntermediaryDegree = 1000;  // friends of friends: skip partners with more ties
constexpr size_t kMaxTagScan = 4000;          // shared tags: pairs scanned per actor

uint64_t PairKey(int a, int b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

int SectorIndex(const NodeInfo& n) { return n.kind ? static_cast<int>(domain::SectorOf(*n.kind)) : -1; }

// Bridges of an undirected simple graph given as adjacency lists: returns their count and, per
// node, the id of its 2-edge-connected component.
struct BridgeInfo {
  int count = 0;
  std::vector<int> ecc;                      // node -> 2-edge-connected component
  std::vector<std::pair<int, int>> bridges;  // node pairs
};

BridgeInfo FindBridges(const std::vector<std::vector<int>>& adj) {
  const int n = static_cast<int>(adj.size());
  BridgeInfo out;
  std::vector<int> tin(static_cast<size_t>(n), -1), low(static_cast<size_t>(n), 0), parent(static_cast<size_t>(n), -1);
  std::vector<size_t> it(static_cast<size_t>(n), 0);
  std::vector<int> stack;
  int timer = 0;
  for (int s = 0; s < n; ++s) {
    if (tin[static_cast<size_t>(s)] >= 0) continue;
    stack.push_back(s);
    tin[static_cast<size_t>(s)] = low[static_cast<size_t>(s)] = timer++;
    while (!stack.empty()) {
      int v = stack.back();
      size_t vi = static_cast<size_t>(v);
      if (it[vi] < adj[vi].size()) {
        int w = adj[vi][it[vi]++];
        size_t wi = static_cast<size_t>(w);
        if (w == parent[vi]) continue;  // simple graph: one edge to the parent
        if (tin[wi] < 0) {
          parent[wi] = v;
          tin[wi] = low[wi] = timer++;
          stack.push_back(w);
        } else {
          low[vi] = std::min(low[vi], tin[wi]);
        }
      } else {
        stack.pop_back();
        int p = parent[vi];
        if (p >= 0) {
          size_t pi = static_cast<size_t>(p);
          low[pi] = std::min(low[pi], low[vi]);
          if (low[vi] > tin[pi]) out.bridges.emplace_back(p, v);
        }
      }
    }
  }
  out.count = static_cast<int>(out.bridges.size());
  std::unordered_set<uint64_t> is_bridge;
  for (auto [a, b] : out.bridges) is_bridge.insert(PairKey(a, b));
  out.ecc.assign(static_cast<size_t>(n), -1);
  int c = 0;
  std::vector<int> queue;
  for (int s = 0; s < n; ++s) {
    if (out.ecc[static_cast<size_t>(s)] >= 0) continue;
    queue.assign(1, s);
    out.ecc[static_cast<size_t>(s)] = c;
    for (size_t h = 0; h < queue.size(); ++h) {
      int v = queue[h];
      for (int w : adj[static_cast<size_t>(v)])
        if (out.ecc[static_cast<size_t>(w)] < 0 && !is_bridge.count(PairKey(v, w))) {
          out.ecc[static_cast<size_t>(w)] = c;
          queue.push_back(w);
        }
    }
    ++c;
  }
  return out;
}

// The growing graph and the incremental pieces of the objective.
class WeaveState {
 public:
  WeaveState(const Fabric& f, const WeaveContext& ctx) : ctx_(ctx), n_(f.node_count()) {
    adj_.resize(static_cast<size_t>(n_));
    sector_.resize(static_cast<size_t>(n_));
    for (int u = 0; u < n_; ++u) {
      for (const Neighbour& nb : f.Neighbours(u)) adj_[static_cast<size_t>(u)].push_back(nb.node);
      sector_[static_cast<size_t>(u)] = SectorIndex(f.node(u));
    }
    parent_.resize(static_cast<size_t>(n_));
    size_.assign(static_cast<size_t>(n_), 1);
    for (int i = 0; i < n_; ++i) parent_[static_cast<size_t>(i)] = i;
    int big = 0;
    for (int s : ctx.community_size)
      if (s >= 2) ++big;
    community_pairs_ = static_cast<double>(big) * (big - 1) / 2.0;
    for (int u = 0; u < n_; ++u)
      for (int v : adj_[static_cast<size_t>(u)])
        if (v > u) {
          Union(u, v);
          NoteTie(u, v);
        }
    RebuildBridgeForest();
  }

  WeaveParts Gain(int u, int v) {
    WeaveParts p;
    const double n = n_;
    int ru = Find(u), rv = Find(v);
    bool joins = ru != rv;
    if (joins && n_ > 1)
      p.reach =
          ctx_.weights.reach * 2.0 * size_[static_cast<size_t>(ru)] * size_[static_cast<size_t>(rv)] / (n * (n - 1));
    int cu = ctx_.community[static_cast<size_t>(u)], cv = ctx_.community[static_cast<size_t>(v)];
    if (cu != cv && community_pairs_ > 0 && ctx_.community_size[static_cast<size_t>(cu)] >= 2 &&
        ctx_.community_size[static_cast<size_t>(cv)] >= 2 && !tied_communities_.count(PairKey(cu, cv)))
      p.bridging = ctx_.weights.bridging / community_pairs_;
    if (!joins && n_ > 1) {
      auto [t, q] = PathSizes(u, v);
      p.redundancy = ctx_.weights.redundancy * (t * t - q) / (n * (n - 1));
    }
    int su = sector_[static_cast<size_t>(u)], sv = sector_[static_cast<size_t>(v)];
    if (su >= 0 && sv >= 0) {
      double before = known_ > 0 ? static_cast<double>(cross_) / known_ : 0.0;
      double after = static_cast<double>(cross_ + (su != sv)) / (known_ + 1);
      p.mix = ctx_.weights.mix * (after - before);
    }
    return p;
  }

  int PathBridges(int u, int v) const {
    int a = bridge_.ecc[static_cast<size_t>(u)], b = bridge_.ecc[static_cast<size_t>(v)];
    if (a == b) return 0;
    int l = Lca(a, b);
    return depth_[static_cast<size_t>(a)] + depth_[static_cast<size_t>(b)] - 2 * depth_[static_cast<size_t>(l)];
  }

  // Sum of sizes and of squared sizes of the 2-edge-connected components on the bridge-forest path
  // between u and v (same tree).
  std::pair<double, double> PathSizes(int u, int v) const {
    int a = bridge_.ecc[static_cast<size_t>(u)], b = bridge_.ecc[static_cast<size_t>(v)];
    if (a == b) return {0.0, 0.0};
    int l = Lca(a, b);
    double sl = ecc_size_[static_cast<size_t>(l)];
    double t = s1_[static_cast<size_t>(a)] + s1_[static_cast<size_t>(b)] - 2 * s1_[static_cast<size_t>(l)] + sl;
    double q = s2_[static_cast<size_t>(a)] + s2_[static_cast<size_t>(b)] - 2 * s2_[static_cast<size_t>(l)] + sl * sl;
    return {t, q};
  }

  void Add(int u, int v) {
    adj_[static_cast<size_t>(u)].push_back(v);
    adj_[static_cast<size_t>(v)].push_back(u);
    Union(u, v);
    NoteTie(u, v);
    RebuildBridgeForest();
  }

  int ComponentSize(int u) { return size_[static_cast<size_t>(Find(u))]; }
  bool Connected(int u, int v) { return Find(u) == Find(v); }

 private:
  int Find(int x) {
    while (parent_[static_cast<size_t>(x)] != x) {
      parent_[static_cast<size_t>(x)] = parent_[static_cast<size_t>(parent_[static_cast<size_t>(x)])];
      x = parent_[static_cast<size_t>(x)];
    }
    return x;
  }
  void Union(int a, int b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (size_[static_cast<size_t>(a)] < size_[static_cast<size_t>(b)]) std::swap(a, b);
    parent_[static_cast<size_t>(b)] = a;
    size_[static_cast<size_t>(a)] += size_[static_cast<size_t>(b)];
  }
  void NoteTie(int u, int v) {
    int cu = ctx_.community[static_cast<size_t>(u)], cv = ctx_.community[static_cast<size_t>(v)];
    if (cu != cv) tied_communities_.insert(PairKey(cu, cv));
    int su = sector_[static_cast<size_t>(u)], sv = sector_[static_cast<size_t>(v)];
    if (su >= 0 && sv >= 0) {
      ++known_;
      if (su != sv) ++cross_;
    }
  }
  // Bridge forest: nodes are 2-edge-connected components, edges are bridges; rooted per tree.
  void RebuildBridgeForest() {
    bridge_ = FindBridges(adj_);
    int k = 0;
    for (int c : bridge_.ecc) k = std::max(k, c + 1);
    std::vector<std::vector<int>> tree(static_cast<size_t>(k));
    for (auto [a, b] : bridge_.bridges) {
      int ca = bridge_.ecc[static_cast<size_t>(a)], cb = bridge_.ecc[static_cast<size_t>(b)];
      tree[static_cast<size_t>(ca)].push_back(cb);
      tree[static_cast<size_t>(cb)].push_back(ca);
    }
    log_ = 1;
    while ((1 << log_) < std::max(k, 2)) ++log_;
    up_.assign(static_cast<size_t>(log_), std::vector<int>(static_cast<size_t>(k), 0));
    depth_.assign(static_cast<size_t>(k), -1);
    ecc_size_.assign(static_cast<size_t>(k), 0);
    for (int c : bridge_.ecc) ecc_size_[static_cast<size_t>(c)] += 1;
    s1_.assign(static_cast<size_t>(k), 0);
    s2_.assign(static_cast<size_t>(k), 0);
    std::vector<int> queue;
    for (int r = 0; r < k; ++r) {
      if (depth_[static_cast<size_t>(r)] >= 0) continue;
      depth_[static_cast<size_t>(r)] = 0;
      up_[0][static_cast<size_t>(r)] = r;
      s1_[static_cast<size_t>(r)] = ecc_size_[static_cast<size_t>(r)];
      s2_[static_cast<size_t>(r)] = ecc_size_[static_cast<size_t>(r)] * ecc_size_[static_cast<size_t>(r)];
      queue.assign(1, r);
      for (size_t h = 0; h < queue.size(); ++h) {
        int x = queue[h];
        for (int y : tree[static_cast<size_t>(x)])
          if (depth_[static_cast<size_t>(y)] < 0) {
            depth_[static_cast<size_t>(y)] = depth_[static_cast<size_t>(x)] + 1;
            up_[0][static_cast<size_t>(y)] = x;
            double sy = ecc_size_[static_cast<size_t>(y)];
            s1_[static_cast<size_t>(y)] = s1_[static_cast<size_t>(x)] + sy;
            s2_[static_cast<size_t>(y)] = s2_[static_cast<size_t>(x)] + sy * sy;
            queue.push_back(y);
          }
      }
    }
    for (int j = 1; j < log_; ++j)
      for (int x = 0; x < k; ++x)
        up_[static_cast<size_t>(j)][static_cast<size_t>(x)] =
            up_[static_cast<size_t>(j - 1)]
               [static_cast<size_t>(up_[static_cast<size_t>(j - 1)][static_cast<size_t>(x)])];
  }
  int Lca(int a, int b) const {
    if (depth_[static_cast<size_t>(a)] < depth_[static_cast<size_t>(b)]) std::swap(a, b);
    int diff = depth_[static_cast<size_t>(a)] - depth_[static_cast<size_t>(b)];
    for (int j = 0; diff; ++j, diff >>= 1)
      if (diff & 1) a = up_[static_cast<size_t>(j)][static_cast<size_t>(a)];
    if (a == b) return a;
    for (int j = log_ - 1; j >= 0; --j)
      if (up_[static_cast<size_t>(j)][static_cast<size_t>(a)] != up_[static_cast<size_t>(j)][static_cast<size_t>(b)]) {
        a = up_[static_cast<size_t>(j)][static_cast<size_t>(a)];
        b = up_[static_cast<size_t>(j)][static_cast<size_t>(b)];
      }
    return up_[0][static_cast<size_t>(a)];
  }

  const WeaveContext& ctx_;
  int n_;
  std::vector<std::vector<int>> adj_;
  std::vector<int> parent_, size_;
  std::vector<int> sector_;  // node -> SectorIndex, -1 when its kind is unknown
  std::unordered_set<uint64_t> tied_communities_;
  double community_pairs_ = 0;
  int64_t known_ = 0, cross_ = 0;
  std::vector<double> ecc_size_, s1_, s2_;  // per 2-edge-connected component; prefix sums from the root
  BridgeInfo bridge_;
  std::vector<int> depth_;
  std::vector<std::vector<int>> up_;
  int log_ = 1;
};

double Total(const WeaveParts& p) { return p.reach + p.bridging + p.redundancy + p.mix; }

std::vector<std::string> SharedTags(const NodeInfo& a, const NodeInfo& b) {
  std::vector<std::string> out;
  for (const auto& t : a.themes)
    if (std::find(b.themes.begin(), b.themes.end(), t) != b.themes.end()) out.push_back(t);
  for (const auto& t : a.capabilities)
    if (std::find(b.capabilities.begin(), b.capabilities.end(), t) != b.capabilities.end()) out.push_back(t);
  return out;
}

std::string Describe(const Fabric& f, int u, int v, const WeaveParts& parts, int common, int size_u, int size_v,
                     int bridges_covered, const WeaveContext& ctx) {
  std::vector<std::string> why;
  auto tags = SharedTags(f.node(u), f.node(v));
  if (!tags.empty()) {
    if (tags.size() > 3) tags.resize(3);
    why.push_back("share " + Join(tags, ", "));
  }
  if (!f.node(u).area.empty() && f.node(u).area == f.node(v).area) why.push_back("both in " + f.node(u).area);
  if (common > 0) why.push_back(std::to_string(common) + " partner" + (common > 1 ? "s" : "") + " in common");
  std::vector<std::string> effect;
  if (parts.reach > 0)
    effect.push_back("joins two separate parts of the fabric (" + std::to_string(size_u) + " and " +
                     std::to_string(size_v) + " actors)");
  if (parts.bridging > 0)
    effect.push_back("first tie between communities " + std::to_string(ctx.community[static_cast<size_t>(u)]) +
                     " and " + std::to_string(ctx.community[static_cast<size_t>(v)]));
  if (bridges_covered > 0)
    effect.push_back("gives " + std::to_string(bridges_covered) + " single-tie dependenc" +
                     (bridges_covered > 1 ? "ies" : "y") + " a second route");
  int su = SectorIndex(f.node(u)), sv = SectorIndex(f.node(v));
  if (su >= 0 && sv >= 0 && su != sv)
    effect.push_back(std::string("crosses sectors (") +
                     std::string(domain::SectorCode(static_cast<domain::Sector>(su))) + "-" +
                     std::string(domain::SectorCode(static_cast<domain::Sector>(sv))) + ")");
  std::string s = why.empty() ? "plausible pair" : Join(why, "; ");
  if (!effect.empty()) s += ": " + Join(effect, "; ");
  return s;
}

}  // namespace

Result<WeaveContext> MakeWeaveContext(const Fabric& fabric, const WeaveOptions& options) {
  WeaveContext ctx;
  ctx.weights = options.weights;
  CommunityOptions co = options.communities;
  co.use_weights = false;
  WEEFSEL_ASSIGN_OR_RETURN(Partition p, FindCommunities(fabric, co));
  ctx.community = p.membership;
  ctx.community_size.assign(static_cast<size_t>(p.count), 0);
  for (int c : p.membership) ++ctx.community_size[static_cast<size_t>(c)];
  std::vector<std::vector<int>> adj(static_cast<size_t>(fabric.node_count()));
  for (int u = 0; u < fabric.node_count(); ++u)
    for (const Neighbour& nb : fabric.Neighbours(u)) adj[static_cast<size_t>(u)].push_back(nb.node);
  ctx.initial_bridges = FindBridges(adj).count;
  return ctx;
}

double WeaveObjective(const Fabric& graph, const WeaveContext& ctx, WeaveParts* parts_out) {
  WeaveParts p;
  const int n = graph.node_count();
  Components comps = ConnectedComponents(graph);
  if (n > 1) {
    double pairs = 0;
    for (int s : comps.sizes) pairs += static_cast<double>(s) * (s - 1);
    p.reach = ctx.weights.reach * pairs / (static_cast<double>(n) * (n - 1));
  }
  int big = 0;
  for (int s : ctx.community_size)
    if (s >= 2) ++big;
  double community_pairs = static_cast<double>(big) * (big - 1) / 2.0;
  std::unordered_set<uint64_t> tied;
  int64_t known = 0, cross = 0;
  std::vector<std::vector<int>> adj(static_cast<size_t>(n));
  for (int u = 0; u < n; ++u)
    for (const Neighbour& nb : graph.Neighbours(u)) {
      adj[static_cast<size_t>(u)].push_back(nb.node);
      if (nb.node <= u) continue;
      int cu = ctx.community[static_cast<size_t>(u)], cv = ctx.community[static_cast<size_t>(nb.node)];
      if (cu != cv && ctx.community_size[static_cast<size_t>(cu)] >= 2 &&
          ctx.community_size[static_cast<size_t>(cv)] >= 2)
        tied.insert(PairKey(cu, cv));
      int su = SectorIndex(graph.node(u)), sv = SectorIndex(graph.node(nb.node));
      if (su >= 0 && sv >= 0) {
        ++known;
        if (su != sv) ++cross;
      }
    }
  if (community_pairs > 0) p.bridging = ctx.weights.bridging * static_cast<double>(tied.size()) / community_pairs;
  if (n > 1) {
    BridgeInfo bi = FindBridges(adj);
    std::vector<double> size(static_cast<size_t>(n), 0);
    for (int c : bi.ecc) size[static_cast<size_t>(c)] += 1;
    double pairs = 0;
    for (double sz : size) pairs += sz * (sz - 1);
    p.redundancy = ctx.weights.redundancy * pairs / (static_cast<double>(n) * (n - 1));
  }
  if (known > 0) p.mix = ctx.weights.mix * static_cast<double>(cross) / static_cast<double>(known);
  if (parts_out) *parts_out = p;
  return Total(p);
}

Result<WeaveResult> SuggestWeaves(const Fabric& fabric, const WeaveOptions& options) {
  if (options.k < 0) return Status::InvalidArgument("weave: k must be >= 0");
  if (options.per_node < 1) return Status::InvalidArgument("weave: per_node must be >= 1");
  WEEFSEL_ASSIGN_OR_RETURN(WeaveContext ctx, MakeWeaveContext(fabric, options));
  const int n = fabric.node_count();
  WeaveResult out;
  out.objective_before = WeaveObjective(fabric, ctx);
  WeaveState state(fabric, ctx);

  // Candidate pairs {u, v} (u < v), each with how many partners they share and its gain on the
  // starting graph when that was computed in the order (u, v). A pair is chosen at most once: when
  // actor u is scanned, the pairs {x, u} that an earlier actor x already chose are marked in
  // `excluded`, with u's partners (a hash lookup per pair scanned was about 40% of the time on
  // ca-AstroPh-lcc, perf).
  struct Candidate {
    int u, v, common;
    double gain;
    bool has_gain;
  };
  std::vector<Candidate> candidates;
  std::vector<std::vector<int>> chosen_by(static_cast<size_t>(n));  // v -> earlier actors that chose v
  struct Scored {
    double score, gain;
    int node;
  };
  std::vector<Scored> scored;
  std::vector<int> count(static_cast<size_t>(n), 0);
  std::vector<int> excluded(static_cast<size_t>(n), -1);  // node -> last actor u it is excluded for
  std::vector<int> touched;
  // The per_node best by score, then by node: the same pairs and order as sorting the whole list.
  auto keep_top = [&](int u) {
    auto better = [](const Scored& a, const Scored& b) {
      return a.score != b.score ? a.score > b.score : a.node < b.node;
    };
    const size_t keep = std::min(scored.size(), static_cast<size_t>(options.per_node));
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep), scored.end(), better);
    for (size_t i = 0; i < keep; ++i) {
      int v = scored[i].node;
      if (u < v) {
        candidates.push_back({u, v, count[static_cast<size_t>(v)], scored[i].gain, true});
        chosen_by[static_cast<size_t>(v)].push_back(u);
      } else {
        candidates.push_back({v, u, count[static_cast<size_t>(v)], 0.0, false});
      }
    }
  };
  // Shared tags and area: an inverted index.
  std::unordered_map<std::string, std::vector<int>> by_tag;
  if (options.shared_tags || options.same_area) {
    for (int u = 0; u < n; ++u) {
      const NodeInfo& info = fabric.node(u);
      if (options.shared_tags) {
        for (const auto& t : info.themes) by_tag["t:" + t].push_back(u);
        for (const auto& t : info.capabilities) by_tag["c:" + t].push_back(u);
      }
      if (options.same_area && !info.area.empty()) by_tag["a:" + FoldCase(info.area)].push_back(u);
    }
  }
  for (int u = 0; u < n; ++u) {
    touched.clear();
    for (int x : chosen_by[static_cast<size_t>(u)]) excluded[static_cast<size_t>(x)] = u;
    std::vector<int>().swap(chosen_by[static_cast<size_t>(u)]);
    for (const Neighbour& w : fabric.Neighbours(u))
      if (w.weight > 0) excluded[static_cast<size_t>(w.node)] = u;  // Adjacent(u, w)
    if (options.friends_of_friends) {
      for (const Neighbour& w : fabric.Neighbours(u)) {
        if (fabric.Degree(w.node) > kMaxIntermediaryDegree) continue;
        for (const Neighbour& x : fabric.Neighbours(w.node)) {
          if (x.node == u) continue;
          if (count[static_cast<size_t>(x.node)]++ == 0) touched.push_back(x.node);
        }
      }
    }
    if (!by_tag.empty()) {
      const NodeInfo& info = fabric.node(u);
      std::vector<std::string> keys;
      for (const auto& t : info.themes) keys.push_back("t:" + t);
      for (const auto& t : info.capabilities) keys.push_back("c:" + t);
      if (options.same_area && !info.area.empty()) keys.push_back("a:" + FoldCase(info.area));
      size_t scanned = 0;
      for (const auto& key : keys) {
        auto it = by_tag.find(key);
        if (it == by_tag.end()) continue;
        const auto& list = it->second;
        // Start at a position that depends on u, so that long lists are spread over actors.
        size_t start = list.empty() ? 0 : static_cast<size_t>(u) % list.size();
        for (size_t j = 0; j < list.size() && scanned < kMaxTagScan; ++j, ++scanned) {
          int x = list[(start + j) % list.size()];
          if (x == u) continue;
          if (count[static_cast<size_t>(x)] == 0) {
            touched.push_back(x);
            count[static_cast<size_t>(x)] = -1;  // tag-only candidate (no common partner)
          }
        }
      }
    }
    scored.clear();
    for (int x : touched) {
      if (x == u || excluded[static_cast<size_t>(x)] == u) continue;
      double gain = Total(state.Gain(u, x));
      scored.push_back({gain + 1e-9 * std::max(0, count[static_cast<size_t>(x)]), gain, x});
    }
    for (int x : touched)
      if (count[static_cast<size_t>(x)] < 0) count[static_cast<size_t>(x)] = 0;
    keep_top(u);
    for (int x : touched) count[static_cast<size_t>(x)] = 0;
  }
  out.candidates = static_cast<int>(candidates.size());

  struct Entry {
    double gain;
    int u, v, round, common;
    bool operator<(const Entry& o) const {
      if (gain != o.gain) return gain < o.gain;
      if (u != o.u) return u > o.u;
      return v > o.v;
    }
  };
  // The heap's order is total (pairs are unique), so the order of the pushes does not matter. A gain
  // computed in the order (u, v) on the same graph is reused (Gain(v, u) may differ in the last bit).
  std::vector<Entry> entries;
  entries.reserve(candidates.size());
  for (const Candidate& c : candidates)
    entries.push_back({c.has_gain ? c.gain : Total(state.Gain(c.u, c.v)), c.u, c.v, 0, c.common});
  std::vector<Candidate>().swap(candidates);
  std::priority_queue<Entry> heap(std::less<Entry>(), std::move(entries));
  int round = 0;
  while (static_cast<int>(out.suggestions.size()) < options.k && !heap.empty()) {
    Entry e = heap.top();
    heap.pop();
    if (e.round != round) {
      heap.push({Total(state.Gain(e.u, e.v)), e.u, e.v, round, e.common});
      continue;
    }
    if (e.gain <= 1e-15) break;
    WeaveSuggestion s;
    s.u = std::min(e.u, e.v);
    s.v = std::max(e.u, e.v);
    s.parts = state.Gain(s.u, s.v);
    s.gain = Total(s.parts);
    int covered = state.Connected(s.u, s.v) ? state.PathBridges(s.u, s.v) : 0;
    s.reason =
        Describe(fabric, s.u, s.v, s.parts, e.common, state.ComponentSize(s.u), state.ComponentSize(s.v), covered, ctx);
    state.Add(s.u, s.v);
    out.suggestions.push_back(std::move(s));
    ++round;
  }
  out.objective_after = out.objective_before;
  for (const auto& s : out.suggestions) out.objective_after += s.gain;
  return out;
}

}  // namespace weefsel::fabric
