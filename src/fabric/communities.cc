// fabric/communities.cc: Leiden and Louvain through igraph, best of several seeded runs.
#include <algorithm>
#include <limits>
#include <numeric>

#include "fabric/fabric.h"
#include "fabric/igraph_bridge.h"

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
  internal::IgraphLock lock;
  internal::IgraphGraph g;
  WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
  const igraph_vector_t* w = use_w ? g.weights() : nullptr;
  std::vector<int> best;
  double best_q = -1;
  auto consider = [&](const std::vector<int>& m) {
    double q = Modularity(fabric, m, options.resolution, use_w);
    if (q > best_q + 1e-12) {
      best_q = q;
      best = m;
      return true;
    }
    return false;
  };
  IgVecInt membership(n);
  if (!membership.ok) return Status::Internal("igraph: out of memory");
  if (options.method == CommunityMethod::kLouvain) {
    for (int r = 0; r < options.runs; ++r) {
      igraph_rng_seed(igraph_rng_default(), options.seed + static_cast<uint64_t>(r));
      WEEFSEL_RETURN_IF_ERROR(
          Check(igraph_community_multilevel(g.graph(), w, options.resolution, &membership.v, nullptr, nullptr),
                "community_multilevel"));
      consider(ToStd(membership.v));
    }
  } else {
    // Leiden maximising modularity: node weights = strength, resolution = gamma / 2W.
    IgVec node_w(n);
    if (!node_w.ok) return Status::Internal("igraph: out of memory");
    double two_w = 0;
    for (int i = 0; i < n; ++i) {
      double s = use_w ? fabric.Strength(i) : static_cast<double>(fabric.Degree(i));
      VECTOR(node_w.v)[i] = s;
      two_w += s;
    }
    const double res = options.resolution / two_w;
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    auto leiden = [&](uint64_t seed, bool start) -> Status {
      igraph_rng_seed(igraph_rng_default(), seed);
      return Check(
          igraph_community_leiden(g.graph(), w, &node_w.v, res, 0.01, start, 2, &membership.v, &clusters, &quality),
          "community_leiden");
    };
    // Seeded runs share a budget of Leiden calls (effort / edges); the run from Louvain's partition
    // and the refinement of the best partition are not counted against it.
    const int64_t budget = options.effort > 0 ? std::max<int64_t>(1, options.effort / fabric.edge_count())
                                              : std::numeric_limits<int64_t>::max();
    int64_t spent = 0;
    // One run: Leiden iterated from its own result until an iteration brings no gain (at most 20
    // calls; a counted run also stops when the budget is spent).
    auto leiden_until_stable = [&](uint64_t seed, bool start, bool counted) -> Status {
      WEEFSEL_RETURN_IF_ERROR(leiden(seed, start));
      if (counted) ++spent;
      double q = Modularity(fabric, ToStd(membership.v), options.resolution, use_w);
      for (int it = 1; it < 20 && !(counted && spent >= budget); ++it) {
        WEEFSEL_RETURN_IF_ERROR(leiden(seed + 104729u * static_cast<uint64_t>(it), true));
        if (counted) ++spent;
        double nq = Modularity(fabric, ToStd(membership.v), options.resolution, use_w);
        if (nq <= q + 1e-12) break;
        q = nq;
      }
      return Status::Ok();
    };
    // Louvain's partition as the first starting point (on large graphs the strongest single start).
    igraph_rng_seed(igraph_rng_default(), options.seed);
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_community_multilevel(g.graph(), w, options.resolution, &membership.v, nullptr, nullptr),
              "community_multilevel"));
    WEEFSEL_RETURN_IF_ERROR(leiden_until_stable(options.seed + 7919, true, false));
    consider(ToStd(membership.v));
    for (int r = 0; r < options.runs && spent < budget; ++r) {
      WEEFSEL_RETURN_IF_ERROR(leiden_until_stable(options.seed + static_cast<uint64_t>(r), false, true));
      consider(ToStd(membership.v));
    }
    // Refine the best partition until a few seeds in a row find nothing better.
    int misses = 0;
    for (uint64_t s = 1; misses < 3 && s < 50; ++s) {
      for (size_t i = 0; i < best.size(); ++i) VECTOR(membership.v)[i] = best[i];
      WEEFSEL_RETURN_IF_ERROR(leiden_until_stable(options.seed * 1000003u + s, true, false));
      misses = consider(ToStd(membership.v)) ? 0 : misses + 1;
    }
  }
  Partition p = Canonical(best);
  p.modularity = Modularity(fabric, p.membership, options.resolution, use_w);
  return p;
}

}  // namespace weefsel::fabric
