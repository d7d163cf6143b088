// fabric/communities.cc: Leiden (our own, fabric/leiden.h) and Louvain (igraph), best of several seeded runs.
#include <algorithm>
#include <limits>
#include <numeric>

#include "fabric/fabric.h"
#include "fabric/igraph_bridge.h"
#include "fabric/leiden.h"

namespace weefsel::fabric {
namespace {

using internal::Check;

// Renumbers communities by decreasing size, ties by smallest node index.
Partition Canonical(const std::vector<int>& raw) {
  int k = 0;
  for (int c : raw) k = std::max(k, c + 1);
  std::vector<int> size(static_cast<size_t>(k), 0), first(static_cast<size_t>(k), -1);
  for (size_t i = 0; i < raw.size(); ++i) {
    ++size[static_cast<size_t>(raw[i])];
    if (first[static_cast<size_t>(raw[i])] < 0) first[static_cast<size_t>(raw[i])] = static_cast<int>(i);
  }
  std::vector<int> order;
  for (int c = 0; c < k; ++c)
    if (size[static_cast<size_t>(c)] > 0) order.push_back(c);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (size[static_cast<size_t>(a)] != size[static_cast<size_t>(b)])
      return size[static_cast<size_t>(a)] > size[static_cast<size_t>(b)];
    return first[static_cast<size_t>(a)] < first[static_cast<size_t>(b)];
  });
  std::vector<int> rank(static_cast<size_t>(k), -1);
  for (size_t r = 0; r < order.size(); ++r) rank[static_cast<size_t>(order[r])] = static_cast<int>(r);
  Partition p;
  p.count = static_cast<int>(order.size());
  p.membership.resize(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) p.membership[i] = rank[static_cast<size_t>(raw[i])];
  return p;
}

struct IgVecInt {
  igraph_vector_int_t v;
  bool ok = false;
  explicit IgVecInt(igraph_integer_t n) { ok = igraph_vector_int_init(&v, n) == IGRAPH_SUCCESS; }
  ~IgVecInt() {
    if (ok) igraph_vector_int_destroy(&v);
  }
};
struct IgVec {
  igraph_vector_t v;
  bool ok = false;
  explicit IgVec(igraph_integer_t n) { ok = igraph_vector_init(&v, n) == IGRAPH_SUCCESS; }
  ~IgVec() {
    if (ok) igraph_vector_destroy(&v);
  }
};

std::vector<int> ToStd(const igraph_vector_int_t& v) {
  std::vector<int> out(static_cast<size_t>(igraph_vector_int_size(&v)));
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int>(VECTOR(v)[i]);
  return out;
}

}  // namespace

namespace {

std::vector<int> LeidenBest(const Fabric& fabric, const CommunityOptions& options, bool use_w) {
  internal::LeidenSearchOptions so;
  so.resolution = options.resolution;
  so.use_weights = use_w;
  so.seed = options.seed;
  so.threads = options.threads;
  so.starts = std::max(1, std::min(options.runs, options.starts));
  so.rounds = options.rounds;
  so.patience = options.patience;
  so.effort = options.effort;
  return internal::LeidenSearch(fabric, so);
}

}  // namespace

Result<Partition> FindCommunities(const Fabric& fabric, const CommunityOptions& options) {
  const int n = fabric.node_count();
  const bool use_w = options.use_weights && fabric.weighted();
  if (options.runs < 1) return Status::InvalidArgument("communities: runs must be >= 1");
  if (!(options.resolution > 0)) return Status::InvalidArgument("communities: resolution must be > 0");
  if (n == 0) return Partition{};
  if (fabric.edge_count() == 0) {
    std::vector<int> raw(static_cast<size_t>(n));
    std::iota(raw.begin(), raw.end(), 0);
    Partition p = Canonical(raw);
    p.modularity = 0;
    return p;
  }
  std::vector<int> best;
  if (options.method == CommunityMethod::kLouvain) {
    internal::IgraphLock lock;
    internal::IgraphGraph g;
    WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
    const igraph_vector_t* w = use_w ? g.weights() : nullptr;
    IgVecInt membership(n);
    if (!membership.ok) return Status::Internal("igraph: out of memory");
    double best_q = -1;
    for (int r = 0; r < options.runs; ++r) {
      igraph_rng_seed(igraph_rng_default(), options.seed + static_cast<uint64_t>(r));
      WEEFSEL_RETURN_IF_ERROR(
          Check(igraph_community_multilevel(g.graph(), w, options.resolution, &membership.v, nullptr, nullptr),
                "community_multilevel"));
      std::vector<int> m = ToStd(membership.v);
      double q = Modularity(fabric, m, options.resolution, use_w);
      if (q > best_q + 1e-12) {
        best_q = q;
        best = std::move(m);
      }
    }
  } else {
    best = LeidenBest(fabric, options, use_w);
  }
  Partition p = Canonical(best);
  p.modularity = Modularity(fabric, p.membership, options.resolution, use_w);
  return p;
}

}  // namespace weefsel::fabric
