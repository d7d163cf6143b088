// fabric/leiden.cc: Leiden maximising modularity on a CSR graph of our own (see leiden.h).
#include "fabric/leiden.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <ctime>
#include <deque>
#include <numeric>
#include <thread>

namespace weefsel::fabric::internal {
namespace {

// splitmix64: a small, fast generator whose sequence is fixed by its seed on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) (the slight modulo bias is irrelevant for visiting orders).
  int Below(int bound) { return static_cast<int>(Next() % static_cast<uint64_t>(bound)); }

 private:
  uint64_t state_;
};

// A run's seed from a seed and a salt (splitmix64's finaliser).
uint64_t Mix(uint64_t seed, uint64_t salt) {
  uint64_t z = seed * 0x9e3779b97f4a7c15ULL + salt + 0x632be59bd9b4e019ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Arc weights: an array, or 1 for every arc (level 0 of an unweighted graph; saves the loads).
struct ArcW {
  const double* w;
  double operator[](int64_t a) const { return w[a]; }
};
struct UnitW {
  double operator[](int64_t) const { return 1.0; }
};

// An undirected weighted graph with self-loops (an aggregate node's internal weight).
struct Graph {
  int n = 0;
  std::vector<int64_t> off;  // arcs of v: [off[v], off[v+1])
  std::vector<int> adj;
  std::vector<double> w;  // empty when every arc weighs 1 (`unit`)
  bool unit = false;
  std::vector<double> self;  // weight of v's self-loop (counted once)
  std::vector<double> k;     // strength: sum of arc weights + 2 self
  double two_w = 0;          // sum of k
};

Graph FromFabric(const Fabric& f, bool use_weights) {
  Graph g;
  g.n = f.node_count();
  g.off = f.offsets();
  g.adj = f.targets();
  g.unit = !use_weights || !f.weighted();
  if (!g.unit) g.w = f.arc_weights();
  g.self.assign(static_cast<size_t>(g.n), 0.0);
  g.k.assign(static_cast<size_t>(g.n), 0.0);
  for (int v = 0; v < g.n; ++v)
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a) g.k[v] += g.unit ? 1.0 : g.w[a];
  for (double x : g.k) g.two_w += x;
  return g;
}

// Relabels m[0..n) to 0..k-1 in order of first appearance; returns k. scratch: at least n entries.
int Compact(int* m, int n, int* scratch) {
  std::fill(scratch, scratch + n, -1);
  int k = 0;
  for (int i = 0; i < n; ++i) {
    int& c = m[i];
    if (scratch[c] < 0) scratch[c] = k++;
    c = scratch[c];
  }
  return k;
}

// Modularity of membership m of g (self-loops included): sum_c in_c / W - gamma (K_c / 2W)^2.
double Quality(const Graph& g, const int* m, double gamma, std::vector<double>& tot) {
  if (g.two_w <= 0) return 0;
  std::fill(tot.begin(), tot.begin() + g.n, 0.0);
  double in = 0;
  for (int v = 0; v < g.n; ++v) {
    const int c = m[v];
    tot[c] += g.k[v];
    in += 2 * g.self[v];
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a)
      if (m[g.adj[a]] == c) in += g.unit ? 1.0 : g.w[a];
  }
  double q = in / g.two_w;
  for (int c = 0; c < g.n; ++c) q -= gamma * (tot[c] / g.two_w) * (tot[c] / g.two_w);
  return q;
}

// The graph of the groups of `group` (labels 0..k-1) into h: weights summed, internal weight as
// self-loops. nbw: zeroed scratch of at least k entries (left zeroed); touched, start, members: scratch.
template <class W>
void AggregateW(const Graph& g, W gw, const int* group, int k, Graph& h, std::vector<double>& nbw,
                std::vector<int>& touched, std::vector<int>& start, std::vector<int>& members) {
  touched.resize(static_cast<size_t>(std::max(k, static_cast<int>(touched.size()))));
  h.n = k;
  h.two_w = g.two_w;
  h.self.assign(static_cast<size_t>(k), 0.0);
  h.k.assign(static_cast<size_t>(k), 0.0);
  start.assign(static_cast<size_t>(k) + 1, 0);
  members.resize(static_cast<size_t>(g.n));
  for (int v = 0; v < g.n; ++v) {
    const int c = group[v];
    ++start[c + 1];
    h.k[c] += g.k[v];
    h.self[c] += g.self[v];
  }
  for (int c = 0; c < k; ++c) start[c + 1] += start[c];
  for (int v = 0; v < g.n; ++v) members[start[group[v]]++] = v;  // start[c] becomes the end of c
  h.off.resize(static_cast<size_t>(k) + 1);
  h.off[0] = 0;
  h.adj.resize(g.adj.size());
  h.w.resize(g.adj.size());
  int64_t out = 0;
  int begin = 0;
  for (int c = 0; c < k; ++c) {
    const int end = start[c];
    int nt = 0;
    double self = 0;
    for (int i = begin; i < end; ++i) {
      const int v = members[i];
      for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a) {
        const int d = group[g.adj[a]];
        if (d == c) {
          self += gw[a];
          continue;
        }
        if (nbw[d] == 0) touched[nt++] = d;
        nbw[d] += gw[a];
      }
    }
    h.self[c] += self / 2;  // each internal edge is seen from both ends
    for (int i = 0; i < nt; ++i) {
      const int d = touched[i];
      h.adj[out] = d;
      h.w[out] = nbw[d];
      ++out;
      nbw[d] = 0;
    }
    h.off[c + 1] = out;
    begin = end;
  }
  h.adj.resize(static_cast<size_t>(out));
  h.w.resize(static_cast<size_t>(out));
  h.unit = false;
}

void Aggregate(const Graph& g, const int* group, int k, Graph& h, std::vector<double>& nbw, std::vector<int>& touched,
               std::vector<int>& start, std::vector<int>& members) {
  if (g.unit)
    AggregateW(g, UnitW{}, group, k, h, nbw, touched, start, members);
  else
    AggregateW(g, ArcW{g.w.data()}, group, k, h, nbw, touched, start, members);
}

// The work arrays of one thread's runs, sized for the largest graph it sees; the aggregate graphs
// of an iteration are kept and their storage reused from iteration to iteration.
class Runner {
 public:
  explicit Runner(int n)
      : nbw_(n, 0.0),
        tot_(n, 0.0),
        rtot_(n, 0.0),
        ext_(n, 0.0),
        size_(n, 0),
        rsize_(n, 0),
        queue_(n),
        queued_(n, 0),
        order_(n),
        scratch_(n),
        touch_(n),
        cm_(n),
        comm_(n),
        r_(n),
        next_(n),
        node_of_(n),
        cand_(n),
        cgain_(n, 0.0) {}

  // One Leiden iteration from m (in place, labels in [0, g.n), compacted on return). Returns the
  // modularity of the result.
  double Iterate(const Graph& g, std::vector<int>& m, double gamma, Rng& rng) {
    const double gamma_2w = gamma / g.two_w;
    std::iota(node_of_.begin(), node_of_.begin() + g.n, 0);
    std::copy(m.begin(), m.begin() + g.n, cm_.begin());
    const Graph* cur = &g;
    int level = 0;
    for (;;) {
      MoveNodes(*cur, cm_.data(), gamma_2w, rng);
      std::copy(cm_.begin(), cm_.begin() + cur->n, comm_.begin());
      const int k = Compact(comm_.data(), cur->n, scratch_.data());
      if (k == cur->n) break;  // every node alone: nothing left to aggregate
      Refine(*cur, cm_.data(), gamma_2w, rng);
      int kr = Compact(r_.data(), cur->n, scratch_.data());
      if (kr == cur->n) {  // refinement merged nothing: aggregate on the communities themselves
        std::copy(comm_.begin(), comm_.begin() + cur->n, r_.begin());
        kr = k;
      }
      // The aggregate's start: each refined subset in its community.
      for (int v = 0; v < cur->n; ++v) next_[r_[v]] = comm_[v];
      for (int i = 0; i < g.n; ++i) node_of_[i] = r_[node_of_[i]];
      if (static_cast<int>(levels_.size()) <= level) levels_.emplace_back();
      Graph& h = levels_[level];
      Aggregate(*cur, r_.data(), kr, h, nbw_, touched_, start_, members_);
      cur = &h;
      ++level;
      std::copy(next_.begin(), next_.begin() + kr, cm_.begin());
    }
    const double q = Quality(*cur, cm_.data(), gamma, tot_);
    for (int v = 0; v < g.n; ++v) m[v] = cm_[node_of_[v]];
    Compact(m.data(), g.n, scratch_.data());
    return q;
  }

  void set_theta(double theta) { theta_ = theta; }

  // Iterations from m until `patience` in a row bring no gain (or max_iterations); m in place.
  double Run(const Graph& g, std::vector<int>& m, double gamma, uint64_t seed, int patience, int max_iterations) {
    Rng rng(seed);
    Compact(m.data(), g.n, scratch_.data());
    double q = Quality(g, m.data(), gamma, tot_);
    std::vector<int>& next = trial_;
    for (int it = 0, misses = 0; it < max_iterations && misses < patience; ++it) {
      next.assign(m.begin(), m.end());
      const double nq = Iterate(g, next, gamma, rng);
      if (nq > q + 1e-13) {
        m.swap(next);
        q = nq;
        misses = 0;
      } else {
        ++misses;  // no gain: keep the partition we had, try again with the next random order
      }
    }
    return q;
  }

 private:
  // Fast local moving (Leiden's first phase). m: labels in [0, g.n).
  void MoveNodes(const Graph& g, int* m, double gamma_2w, Rng& rng) {
    if (g.unit)
      MoveNodesW(g, UnitW{}, m, gamma_2w, rng);
    else
      MoveNodesW(g, ArcW{g.w.data()}, m, gamma_2w, rng);
  }
  void Refine(const Graph& g, const int* m, double gamma_2w, Rng& rng) {
    if (g.unit)
      RefineW(g, UnitW{}, m, gamma_2w, rng);
    else
      RefineW(g, ArcW{g.w.data()}, m, gamma_2w, rng);
  }
  template <class W>
  void MoveNodesW(const Graph& g, W w, int* m, double gamma_2w, Rng& rng) {
    const int n = g.n;
    std::fill(tot_.begin(), tot_.begin() + n, 0.0);
    std::fill(size_.begin(), size_.begin() + n, 0);
    for (int v = 0; v < n; ++v) {
      tot_[m[v]] += g.k[v];
      ++size_[m[v]];
    }
    empty_.clear();
    for (int c = n - 1; c >= 0; --c)
      if (size_[c] == 0) empty_.push_back(c);
    int* queue = queue_.data();
    std::iota(queue, queue + n, 0);
    for (int i = n - 1; i > 0; --i) std::swap(queue[i], queue[rng.Below(i + 1)]);
    std::fill(queued_.begin(), queued_.begin() + n, 1);
    const int64_t* off = g.off.data();
    const int* adj = g.adj.data();
    double* nbw = nbw_.data();
    double* tot = tot_.data();
    int* touched = touch_.data();
    int head = 0, count = n;
    while (count > 0) {
      const int v = queue[head];
      head = head + 1 == n ? 0 : head + 1;
      --count;
      queued_[v] = 0;
      if (count > 0) {  // the next node's arcs and strength: visits are in random order, so misses
        const int u = queue[head];
        __builtin_prefetch(adj + off[u]);
        __builtin_prefetch(&g.k[u]);
        if (count > 1) __builtin_prefetch(off + queue[head + 1 == n ? 0 : head + 1]);
      }
      const int a = m[v];
      const double kv = g.k[v];
      // Weights to neighbouring communities.
      int nt = 0;
      for (int64_t e = off[v]; e < off[v + 1]; ++e) {
        const int c = m[adj[e]];
        if (nbw[c] == 0) touched[nt++] = c;
        nbw[c] += w[e];
      }
      tot[a] -= kv;
      --size_[a];
      // Score of joining c (v taken out): w(v, c) - gamma k_v K_c / 2W; an empty community scores 0.
      int best = a;
      double best_s = nbw[a] - gamma_2w * kv * tot[a];
      for (int i = 0; i < nt; ++i) {
        const int c = touched[i];
        const double s = nbw[c] - gamma_2w * kv * tot[c];
        if (s > best_s || (s == best_s && c < best && best != a)) {
          best = c;
          best_s = s;
        }
      }
      if (best_s < 0 && size_[a] > 0) {
        best = empty_.back();  // alone scores 0, better than every neighbour and than staying
        best_s = 0;
      }
      for (int i = 0; i < nt; ++i) nbw[touched[i]] = 0;
      nbw[a] = 0;
      if (best != a && size_[best] == 0) empty_.pop_back();
      tot[best] += kv;
      ++size_[best];
      if (size_[a] == 0 && best != a) empty_.push_back(a);
      if (best != a) {
        m[v] = best;
        for (int64_t e = off[v]; e < off[v + 1]; ++e) {
          const int u = adj[e];
          if (!queued_[u] && m[u] != best) {
            queued_[u] = 1;
            int tail = head + count;
            if (tail >= n) tail -= n;
            queue[tail] = u;
            ++count;
          }
        }
      }
    }
  }

  // Refinement: within each community of m, singletons merge greedily into well-connected subsets.
  // The refined membership goes to r_ (labels in [0, g.n)).
  template <class W>
  void RefineW(const Graph& g, W w, const int* m, double gamma_2w, Rng& rng) {
    const int n = g.n;
    int* r = r_.data();
    std::iota(r, r + n, 0);
    std::fill(tot_.begin(), tot_.begin() + n, 0.0);  // K_C of the communities of m
    for (int v = 0; v < n; ++v) tot_[m[v]] += g.k[v];
    std::copy(g.k.begin(), g.k.begin() + n, rtot_.begin());  // K_S of the refined subsets
    std::fill(rsize_.begin(), rsize_.begin() + n, 1);
    const int64_t* off = g.off.data();
    const int* adj = g.adj.data();
    double* nbw = nbw_.data();
    double* ext = ext_.data();
    double* rtot = rtot_.data();
    int* touched = touch_.data();
    for (int v = 0; v < n; ++v) {
      double e = 0;
      const int c = m[v];
      for (int64_t a = off[v]; a < off[v + 1]; ++a)
        if (m[adj[a]] == c) e += w[a];
      ext[v] = e;
    }
    int* order = order_.data();
    std::iota(order, order + n, 0);
    for (int i = n - 1; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
    for (int i = 0; i < n; ++i) {
      const int v = order[i];
      if (i + 1 < n) {  // as in MoveNodesW: the next nodes' arcs
        __builtin_prefetch(adj + off[order[i + 1]]);
        if (i + 2 < n) __builtin_prefetch(off + order[i + 2]);
      }
      if (rsize_[r[v]] != 1) continue;  // v has been joined by others: no longer a singleton
      const int c = m[v];
      const double kv = g.k[v];
      const double kc = tot_[c];
      if (ext[v] < gamma_2w * kv * (kc - kv)) continue;  // v not well connected to its community
      int nt = 0;
      for (int64_t a = off[v]; a < off[v + 1]; ++a) {
        const int u = adj[a];
        if (m[u] != c) continue;
        const int s = r[u];
        if (nbw[s] == 0) touched[nt++] = s;
        nbw[s] += w[a];
      }
      int best = -1;
      double best_gain = 0;
      int nc = 0;
      for (int i = 0; i < nt; ++i) {
        const int s = touched[i];
        if (s == r[v]) continue;
        if (ext[s] < gamma_2w * rtot[s] * (kc - rtot[s])) continue;  // subset not well connected
        const double gain = nbw[s] - gamma_2w * kv * rtot[s];
        if (gain < 0) continue;
        if (theta_ > 0) {
          cand_[nc] = s;
          cgain_[nc++] = gain;
        }
        if (gain > best_gain || (gain == best_gain && best >= 0 && s < best)) {
          best = s;
          best_gain = gain;
        }
      }
      if (theta_ > 0 && nc > 1) {
        // Randomised refinement (Traag et al.'s theta): subset s with probability proportional to
        // exp(gain_s / theta) among those with gain >= 0.
        double total = 0;
        for (int i = 0; i < nc; ++i) total += (cgain_[i] = std::exp((cgain_[i] - best_gain) / theta_));
        double x = static_cast<double>(rng.Next() >> 11) * 0x1.0p-53 * total;
        int pick = nc - 1;
        for (int i = 0; i < nc; ++i) {
          x -= cgain_[i];
          if (x < 0) {
            pick = i;
            break;
          }
        }
        best = cand_[pick];
      }
      if (best >= 0) {
        const int old = r[v];
        ext[best] = ext[best] + ext[old] - 2 * nbw[best];
        rtot[best] += kv;
        ++rsize_[best];
        rsize_[old] = 0;
        rtot[old] = 0;
        r[v] = best;
      }
      for (int i = 0; i < nt; ++i) nbw[touched[i]] = 0;
    }
  }

  std::vector<double> nbw_, tot_, rtot_, ext_;
  std::vector<int> size_, rsize_, queue_;
  std::vector<char> queued_;
  std::vector<int> order_, scratch_, touch_, cm_, comm_, r_, next_, node_of_;
  std::vector<int> cand_;      // refinement's candidate subsets (randomised refinement)
  std::vector<double> cgain_;  // and their gains, then weights
  double theta_ = 0;           // 0: greedy refinement
  std::vector<int> touched_, start_, members_, empty_, trial_;
  std::deque<Graph> levels_;  // a deque: growing it keeps the levels in place
};

// Core groups: nodes together iff together in every partition of `parts` (labels in [0, n)).
// Returns the number of groups k; core gets labels 0..k-1. O(n) per partition (counting sort by the
// groups so far, then each group split by the next partition's labels).
int Intersect(const std::vector<const std::vector<int>*>& parts, int n, std::vector<int>& core) {
  core.assign(static_cast<size_t>(n), 0);
  std::vector<int> start, order(static_cast<size_t>(n)), next(static_cast<size_t>(n));
  std::vector<int> stamp(static_cast<size_t>(n), -1), label(static_cast<size_t>(n), 0);
  int k = 1;
  for (const auto* p : parts) {
    start.assign(static_cast<size_t>(k) + 1, 0);
    for (int v = 0; v < n; ++v) ++start[core[v] + 1];
    for (int c = 0; c < k; ++c) start[c + 1] += start[c];
    for (int v = 0; v < n; ++v) order[start[core[v]]++] = v;  // start[c] ends as the end of group c
    int groups = 0, begin = 0;
    for (int c = 0; c < k; ++c) {
      for (int i = begin; i < start[c]; ++i) {
        const int v = order[i];
        const int l = (*p)[v];
        if (stamp[l] != c) {  // first node of group c with label l: a new group
          stamp[l] = c;
          label[l] = groups++;
        }
        next[v] = label[l];
      }
      begin = start[c];
    }
    std::fill(stamp.begin(), stamp.end(), -1);
    core.swap(next);
    k = groups;
  }
  return k;
}

// Renumbers the k groups of `core` (labels of g's nodes) so that the open ones (with a tie to
// another group) come first, in their order; returns their number. `open`: scratch, resized to g.n.
int OpenFirst(const Graph& g, std::vector<int>& core, int k, std::vector<int>& open) {
  open.assign(static_cast<size_t>(std::max(g.n, k)), 0);
  for (int v = 0; v < g.n; ++v) {
    const int c = core[v];
    if (open[c]) continue;
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a)
      if (core[g.adj[a]] != c) {
        open[c] = 1;
        break;
      }
  }
  int ko = 0;
  for (int c = 0; c < k; ++c) ko += open[c];
  for (int c = 0, o = 0, closed = ko; c < k; ++c) open[c] = open[c] ? o++ : closed++;
  for (int v = 0; v < g.n; ++v) core[v] = open[core[v]];
  return ko;
}

double CpuSince(std::clock_t c) { return static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC; }

struct Found {
  std::vector<int> m;
  double q = -1;
};

}  // namespace

std::vector<int> LeidenRun(const Fabric& fabric, const LeidenRunOptions& options, const std::vector<int>& start) {
  const Graph g = FromFabric(fabric, options.use_weights);
  std::vector<int> m(static_cast<size_t>(g.n));
  if (static_cast<int>(start.size()) == g.n) {
    m = start;
  } else {
    std::iota(m.begin(), m.end(), 0);
  }
  if (g.two_w <= 0) return m;
  Runner runner(g.n);
  runner.Run(g, m, options.resolution, options.seed, options.patience, options.max_iterations);
  return m;
}

std::vector<int> LeidenSearch(const Fabric& fabric, const LeidenSearchOptions& options, LeidenSearchTrace* trace) {
  const std::clock_t cpu0 = std::clock();
  const Graph g = FromFabric(fabric, options.use_weights);
  const int n = g.n;
  if (g.two_w <= 0) {
    std::vector<int> alone(static_cast<size_t>(n));
    std::iota(alone.begin(), alone.end(), 0);
    return alone;
  }
  const double gamma = options.resolution;
  const int threads = std::max(1, options.threads);
  std::vector<Runner> runners;
  runners.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    runners.emplace_back(n);
    runners.back().set_theta(options.theta);
  }
  // `count` runs on graph h, run r from start(r) with seed Mix(seed, salt + r), dealt to thread
  // r mod threads: each run depends on its seed only, so the results do not depend on the threads.
  auto batch = [&](const Graph& h, int count, uint64_t salt, int max_iterations, const auto& start) {
    std::vector<Found> out(static_cast<size_t>(std::max(0, count)));
    auto work = [&](int t) {
      for (int r = t; r < count; r += threads) {
        Found& f = out[static_cast<size_t>(r)];
        f.m = start(r);
        f.q = runners[static_cast<size_t>(t)].Run(h, f.m, gamma, Mix(options.seed, salt + static_cast<uint64_t>(r)), 1,
                                                  max_iterations);
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < std::min(threads, count); ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    return out;
  };
  auto singletons = [](int size) {
    return [size](int) {
      std::vector<int> m(static_cast<size_t>(size));
      std::iota(m.begin(), m.end(), 0);
      return m;
    };
  };
  // Rounds and patience from the effort: small graphs get more (they are cheap).
  const int64_t ties = std::max<int64_t>(1, static_cast<int64_t>(g.adj.size()) / 2);
  // Capped so that rounds_per_effort x by_effort cannot overflow; the clamps' upper bounds are
  // raised to their lower ones (std::clamp with hi < lo is undefined).
  const int64_t by_effort = std::min<int64_t>(options.effort / ties, int64_t{1} << 31);
  // Large graphs (effort / ties < large_effort): `large_rounds` only; their rounds are expensive
  // and the first ones bring most of the gain.
  const int max_rounds = options.rounds >= 0 ? options.rounds
                         : by_effort < options.large_effort
                             ? std::max(1, options.large_rounds)
                             : static_cast<int>(std::clamp<int64_t>(options.rounds_per_effort * by_effort, 6,
                                                                    std::max<int64_t>(6, options.rounds_max)));
  const int patience =
      options.patience > 0
          ? options.patience
          : static_cast<int>(std::clamp<int64_t>(by_effort / std::max<int64_t>(1, options.effort_per_patience), 2,
                                                 std::max<int64_t>(2, options.patience_max)));

  // Polishing until stable on small graphs (it is cheap there), a few iterations on large ones.
  const int polish_iterations = by_effort >= options.polish_until_stable_effort ? 100 : options.polish_iterations;
  // A search: starts, then rounds until `patience` rounds in a row without gain; then, while the
  // rounds last, a new search from new starts (the best of all is kept).
  Found overall;
  std::vector<Found> spare;  // the best fresh runs of this search, for the next one's starts
  std::vector<int> core, open;
  std::vector<double> nbw;
  std::vector<int> touched, start, members;
  Graph h;
  for (int round = 0, search = 0; search == 0 || round < max_rounds; ++search) {
    const uint64_t search_salt = 7919u * static_cast<uint64_t>(search);
    // The starts: the best fresh runs of the search before (runs from singletons of
    // start_iterations, as the starts are: they cost nothing more), topped up by new runs.
    const int starts = std::max(1, options.starts);
    std::vector<Found> pool;
    if (options.reuse_fresh) {  // the best `starts` of them, in order of modularity (the best last)
      std::stable_sort(spare.begin(), spare.end(), [](const Found& x, const Found& y) { return x.q < y.q; });
      const size_t reused = std::min(spare.size(), static_cast<size_t>(starts));
      for (size_t i = spare.size() - reused; i < spare.size(); ++i) pool.push_back(std::move(spare[i]));
      spare.clear();
    }
    const int start_runs = starts - static_cast<int>(pool.size());
    if (start_runs > 0)
      for (Found& f : batch(g, start_runs, search_salt, options.start_iterations, singletons(n)))
        pool.push_back(std::move(f));
    Found best;
    for (const Found& f : pool)
      if (f.q > best.q) best = f;
    if (trace) {
      trace->rounds.push_back({0, 0, best.q, std::max(best.q, overall.q), CpuSince(cpu0)});
      trace->rounds.back().start_runs = std::max(0, start_runs);
    }
    for (int misses = 0; round < max_rounds && misses < patience; ++round) {
      const uint64_t salt = 1000003u * static_cast<uint64_t>(round + 1);
      // The core groups of the pool and the best, and their graph.
      std::vector<const std::vector<int>*> parts = {&best.m};
      for (const Found& f : pool) parts.push_back(&f.m);
      const int kc = Intersect(parts, n, core);
      // Closed groups (no tie leaving them: whole components of g) stay alone in every run on the
      // core graph; they are numbered last and left out of it (ko open groups in h).
      const int ko = OpenFirst(g, core, kc, open);
      nbw.assign(static_cast<size_t>(kc), 0.0);
      Aggregate(g, core.data(), kc, h, nbw, touched, start, members);
      // Their share of the modularity (each alone): added to the core runs' to compare with g's.
      double closed_q = 0;
      for (int c = ko; c < kc; ++c)
        closed_q += 2 * h.self[c] / h.two_w - gamma * (h.k[c] / h.two_w) * (h.k[c] / h.two_w);
      h.n = ko;
      h.off.resize(static_cast<size_t>(ko) + 1);
      h.k.resize(static_cast<size_t>(ko));
      h.self.resize(static_cast<size_t>(ko));
      std::vector<int> best_h(static_cast<size_t>(ko));
      for (int v = 0; v < n; ++v)
        if (core[v] < ko) best_h[core[v]] = best.m[v];
      std::vector<int>& label = open;  // best_h's labels compacted to [0, ko)
      std::fill(label.begin(), label.end(), -1);
      for (int c = 0, next = 0; c < ko; ++c) {
        int& l = label[best_h[c]];
        if (l < 0) l = next++;
        best_h[c] = l;
      }
      // Runs on the core graph, the first from the best, the others from singletons; about
      // core_share x g's arcs in all (more runs when the core graph is small: they cost little).
      const int core_runs = static_cast<int>(
          std::clamp<int64_t>(static_cast<int64_t>(options.core_share * static_cast<double>(g.adj.size())) /
                                  std::max<int64_t>(1, static_cast<int64_t>(h.adj.size())),
                              std::max(1, options.core_runs), std::max({1, options.core_runs, options.core_runs_max})));
      auto from_best_or_alone = [&](int r) { return r == 0 ? best_h : singletons(ko)(r); };
      const std::clock_t c_runs = std::clock();
      std::vector<Found> found = batch(h, core_runs, salt, options.core_iterations, from_best_or_alone);
      std::stable_sort(found.begin(), found.end(), [](const Found& x, const Found& y) { return x.q > y.q; });
      // Back to the nodes of g: only those used below (the best, and the pool's `keep`).
      const int used = std::min(core_runs, std::max(1, options.keep));
      for (int i = 0; i < used; ++i) {
        Found& f = found[static_cast<size_t>(i)];
        std::vector<int> m(static_cast<size_t>(n));
        for (int v = 0; v < n; ++v) m[v] = core[v] < ko ? f.m[core[v]] : core[v];  // closed: their own labels
        f.m = std::move(m);
      }
      // The best of them polished on g, where core groups can split.
      Found cand = found[0];
      const double core_q = cand.q + closed_q;
      const double runs_s = CpuSince(c_runs);
      const std::clock_t c_polish = std::clock();
      if (options.polish_gains_only && core_q <= best.q + 1e-12)
        cand.q = core_q;
      else
        cand.q = runners[0].Run(g, cand.m, gamma, Mix(options.seed, salt + 999u), 1, polish_iterations);
      const double polish_s = CpuSince(c_polish);
      if (cand.q > best.q + 1e-12) {
        misses = cand.q > best.q + options.min_gain ? 0 : misses + 1;  // a tiny gain counts as a miss
        best = cand;
      } else {
        ++misses;
      }
      // The next round's pool: the polished one, the best core runs, fresh runs from singletons.
      pool.clear();
      pool.push_back(std::move(cand));
      for (int i = 0; i < std::min(options.keep, used); ++i) pool.push_back(std::move(found[static_cast<size_t>(i)]));
      const std::clock_t c_fresh = std::clock();
      // (Not when this search ends after this round: its pool is not used again.)
      const bool another_round = round + 1 < max_rounds && misses < patience;
      if (another_round)
        for (Found& f : batch(g, options.fresh, salt + 500u, options.start_iterations, singletons(n))) {
          if (options.reuse_fresh) {
            // Only the best `starts` are ever reused: the rest go at once (the first of the
            // lowest, as the stable sort above would leave it out), so spare holds `starts`
            // partitions at most, not every fresh run of the search.
            spare.push_back(f);
            if (spare.size() > static_cast<size_t>(starts))
              spare.erase(std::min_element(spare.begin(), spare.end(),
                                           [](const Found& x, const Found& y) { return x.q < y.q; }));
          }
          pool.push_back(std::move(f));
        }
      if (trace)
        trace->rounds.push_back({ko, static_cast<int64_t>(h.adj.size()), core_q, std::max(best.q, overall.q),
                                 CpuSince(cpu0), runs_s, polish_s, CpuSince(c_fresh)});
    }
    if (best.q > overall.q) overall = std::move(best);
    if (search + 1 >= options.searches) break;
  }
  return std::move(overall.m);
}

}  // namespace weefsel::fabric::internal
