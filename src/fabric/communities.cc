// fabric/communities.cc: Leiden (our own, fabric/leiden.h) and Louvain (igraph), best of several seeded runs.
#include <algorithm>
#include <limits>
#include <numeric>
#include <thread>

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

// A run's seed from the caller's seed and the run's number (splitmix64's finaliser).
uint64_t Mix(uint64_t seed, uint64_t salt) {
  uint64_t z = seed * 0x9e3779b97f4a7c15ULL + salt + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<int> ToStd(const igraph_vector_int_t& v) {
  std::vector<int> out(static_cast<size_t>(igraph_vector_int_size(&v)));
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int>(VECTOR(v)[i]);
  return out;
}

}  // namespace

namespace {

// Leiden: `runs` seeded runs from singletons, dealt to `threads` threads (run r to thread r mod
// threads); then an iterated local search from the best partition: each batch runs kPerturbBatch
// perturbed copies of it (the nodes of a random share of its communities start alone again) and
// keeps the best if it is better, until `perturb_patience` batches in a row gain nothing or the
// batch limit (see CommunityOptions) is reached. Every run depends on its seed only, so the result does not depend
// on timing or on the number of threads.
constexpr int kPerturbBatch = 2;  // runs per batch of the local search (fixed: results do not depend on threads)

std::vector<int> LeidenBest(const Fabric& fabric, const CommunityOptions& options, bool use_w) {
  const int threads = std::max(1, options.threads);
  struct Found {
    std::vector<int> membership;
    double q = -1;
  };
  auto run_batch = [&](int count, uint64_t salt, const std::vector<int>& start, double dissolve) {
    std::vector<Found> out(static_cast<size_t>(count));
    auto work = [&](int t) {
      for (int r = t; r < count; r += threads) {
        internal::LeidenRunOptions lo;
        lo.resolution = options.resolution;
        lo.use_weights = use_w;
        lo.seed = Mix(options.seed, salt + static_cast<uint64_t>(r));
        Found& res = out[static_cast<size_t>(r)];
        std::vector<int> from = start;
        if (dissolve > 0 && !from.empty()) {
          // Perturb: the nodes of a random share of the communities start alone again.
          const auto cut = static_cast<uint64_t>(dissolve * 1e6);
          const int n = static_cast<int>(from.size());
          std::vector<int> alone(static_cast<size_t>(n), 0);
          for (int c = 0; c < n; ++c)
            alone[static_cast<size_t>(c)] = Mix(lo.seed, static_cast<uint64_t>(c)) % 1000000u < cut;
          std::vector<int> used(static_cast<size_t>(n), 0);  // labels kept by communities not dissolved
          for (int c : from) used[static_cast<size_t>(c)] = !alone[static_cast<size_t>(c)];
          int free_label = 0;
          for (int& c : from) {
            if (!alone[static_cast<size_t>(c)]) continue;
            while (used[static_cast<size_t>(free_label)]) ++free_label;
            used[static_cast<size_t>(free_label)] = 1;
            c = free_label;
          }
        }
        res.membership = internal::LeidenRun(fabric, lo, from);
        res.q = Modularity(fabric, res.membership, options.resolution, use_w);
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < std::min(threads, count); ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    size_t best = 0;
    for (size_t i = 1; i < out.size(); ++i)
      if (out[i].q > out[best].q) best = i;
    return std::move(out[best]);
  };
  Found best = run_batch(options.runs, 0, {}, 0);
  const int64_t by_effort = options.perturb_effort / std::max<int64_t>(1, fabric.edge_count());
  const int max_batches = static_cast<int>(std::max<int64_t>(std::min<int64_t>(16, options.perturb_batches),
                                                             std::min<int64_t>(options.perturb_batches, by_effort)));
  for (int batch = 1, misses = 0; misses < options.perturb_patience && batch <= max_batches; ++batch) {
    Found r = run_batch(kPerturbBatch, 1000003u * static_cast<uint64_t>(batch), best.membership, options.perturb_share);
    if (r.q > best.q + 1e-12) {
      best = std::move(r);
      misses = 0;
    } else {
      ++misses;
    }
  }
  return best.membership;
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
