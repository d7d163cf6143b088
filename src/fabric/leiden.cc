// fabric/leiden.cc: Leiden maximising modularity on a CSR graph of our own (see leiden.h).
#include "fabric/leiden.h"

#include <algorithm>
#include <cstddef>
#include <numeric>

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

void Shuffle(std::vector<int>& v, Rng& rng) {
  for (int i = static_cast<int>(v.size()) - 1; i > 0; --i) std::swap(v[i], v[rng.Below(i + 1)]);
}

// An undirected weighted graph with self-loops (an aggregate node's internal weight).
struct Graph {
  int n = 0;
  std::vector<int64_t> off;  // arcs of v: [off[v], off[v+1])
  std::vector<int> adj;
  std::vector<double> w;
  std::vector<double> self;  // weight of v's self-loop (counted once)
  std::vector<double> k;     // strength: sum of arc weights + 2 self
};

Graph FromFabric(const Fabric& f, bool use_weights) {
  Graph g;
  g.n = f.node_count();
  g.off = f.offsets();
  g.adj = f.targets();
  g.w = use_weights ? f.arc_weights() : std::vector<double>(g.adj.size(), 1.0);
  g.self.assign(g.n, 0.0);
  g.k.assign(g.n, 0.0);
  for (int v = 0; v < g.n; ++v)
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a) g.k[v] += g.w[a];
  return g;
}

// Relabels membership to 0..k-1 in order of first appearance; returns k.
int Compact(std::vector<int>& m, std::vector<int>& scratch) {
  scratch.assign(m.size(), -1);
  int k = 0;
  for (int& c : m) {
    if (scratch[c] < 0) scratch[c] = k++;
    c = scratch[c];
  }
  return k;
}

// Work arrays shared by the steps of one run (sized for the original graph; aggregates are smaller).
struct Work {
  std::vector<double> nbw;   // weight from the current node to community c
  std::vector<int> touched;  // communities with nbw != 0
  std::vector<double> tot;   // K_c: strength of community c
  std::vector<int> size;     // nodes in community c
  std::vector<int> empty;    // labels of empty communities
  std::vector<int> queue;    // ring buffer of nodes to visit
  std::vector<char> queued;
  std::vector<int> order;
  std::vector<double> ext;  // refinement: weight from subset S to the rest of its community
  std::vector<int> scratch;
  explicit Work(int n)
      : nbw(n, 0.0), tot(n, 0.0), size(n, 0), queue(n), queued(n, 0), order(n), ext(n, 0.0), scratch(n) {}
};

// Fast local moving (Leiden's first phase). m: labels in [0, g.n). Returns true if a node moved.
bool MoveNodes(const Graph& g, std::vector<int>& m, double gamma_2w, Rng& rng, Work& ws) {
  const int n = g.n;
  std::fill(ws.tot.begin(), ws.tot.begin() + n, 0.0);
  std::fill(ws.size.begin(), ws.size.begin() + n, 0);
  for (int v = 0; v < n; ++v) {
    ws.tot[m[v]] += g.k[v];
    ++ws.size[m[v]];
  }
  ws.empty.clear();
  for (int c = n - 1; c >= 0; --c)
    if (ws.size[c] == 0) ws.empty.push_back(c);
  std::iota(ws.order.begin(), ws.order.begin() + n, 0);
  std::vector<int> order(ws.order.begin(), ws.order.begin() + n);
  Shuffle(order, rng);
  for (int i = 0; i < n; ++i) {
    ws.queue[i] = order[i];
    ws.queued[order[i]] = 1;
  }
  int head = 0, count = n;
  bool moved_any = false;
  while (count > 0) {
    const int v = ws.queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --count;
    ws.queued[v] = 0;
    const int a = m[v];
    const double kv = g.k[v];
    // Weights to neighbouring communities.
    ws.touched.clear();
    for (int64_t e = g.off[v]; e < g.off[v + 1]; ++e) {
      const int c = m[g.adj[e]];
      if (ws.nbw[c] == 0) ws.touched.push_back(c);
      ws.nbw[c] += g.w[e];
    }
    ws.tot[a] -= kv;
    --ws.size[a];
    // Score of joining c (v taken out): w(v, c) - gamma k_v K_c / 2W; an empty community scores 0.
    int best = a;
    double best_s = ws.nbw[a] - gamma_2w * kv * ws.tot[a];
    for (int c : ws.touched) {
      const double s = ws.nbw[c] - gamma_2w * kv * ws.tot[c];
      if (s > best_s || (s == best_s && c < best && best != a)) {
        best = c;
        best_s = s;
      }
    }
    if (best_s < 0 && ws.size[a] > 0) {
      best = ws.empty.back();  // alone scores 0, better than every neighbour and than staying
      best_s = 0;
    }
    for (int c : ws.touched) ws.nbw[c] = 0;
    ws.nbw[a] = 0;
    if (best != a && ws.size[best] == 0) ws.empty.pop_back();
    ws.tot[best] += kv;
    ++ws.size[best];
    if (ws.size[a] == 0 && best != a) ws.empty.push_back(a);
    if (best != a) {
      m[v] = best;
      moved_any = true;
      for (int64_t e = g.off[v]; e < g.off[v + 1]; ++e) {
        const int u = g.adj[e];
        if (!ws.queued[u] && m[u] != best) {
          ws.queued[u] = 1;
          int tail = head + count;
          if (tail >= n) tail -= n;
          ws.queue[tail] = u;
          ++count;
        }
      }
    }
  }
  return moved_any;
}

// Refinement: within each community of m, singletons merge greedily into well-connected subsets.
// Returns the refined membership (labels in [0, g.n)).
std::vector<int> Refine(const Graph& g, const std::vector<int>& m, double gamma_2w, Rng& rng, Work& ws) {
  const int n = g.n;
  std::vector<int> r(n);
  std::iota(r.begin(), r.end(), 0);
  std::fill(ws.tot.begin(), ws.tot.begin() + n, 0.0);  // K_C of the communities of m
  for (int v = 0; v < n; ++v) ws.tot[m[v]] += g.k[v];
  std::vector<double> rtot(g.k.begin(), g.k.begin() + n);  // K_S of the refined subsets
  std::vector<int> rsize(n, 1);
  for (int v = 0; v < n; ++v) {
    double e = 0;
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a)
      if (m[g.adj[a]] == m[v]) e += g.w[a];
    ws.ext[v] = e;
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  Shuffle(order, rng);
  for (int v : order) {
    if (rsize[r[v]] != 1) continue;  // v has been joined by others: no longer a singleton
    const int c = m[v];
    const double kv = g.k[v];
    const double kc = ws.tot[c];
    if (ws.ext[v] < gamma_2w * kv * (kc - kv)) continue;  // v not well connected to its community
    ws.touched.clear();
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a) {
      const int u = g.adj[a];
      if (m[u] != c) continue;
      const int s = r[u];
      if (ws.nbw[s] == 0) ws.touched.push_back(s);
      ws.nbw[s] += g.w[a];
    }
    int best = -1;
    double best_gain = 0;
    for (int s : ws.touched) {
      if (s == r[v]) continue;
      if (ws.ext[s] < gamma_2w * rtot[s] * (kc - rtot[s])) continue;  // subset not well connected
      const double gain = ws.nbw[s] - gamma_2w * kv * rtot[s];
      if (gain > best_gain || (gain == best_gain && best >= 0 && s < best)) {
        best = s;
        best_gain = gain;
      }
    }
    if (best >= 0) {
      const int old = r[v];
      ws.ext[best] = ws.ext[best] + ws.ext[old] - 2 * ws.nbw[best];
      rtot[best] += kv;
      ++rsize[best];
      rsize[old] = 0;
      rtot[old] = 0;
      r[v] = best;
    }
    for (int s : ws.touched) ws.nbw[s] = 0;
  }
  return r;
}

// The graph of the groups of `group` (labels 0..k-1): weights summed, internal weight as self-loops.
Graph Aggregate(const Graph& g, const std::vector<int>& group, int k, Work& ws) {
  Graph h;
  h.n = k;
  h.self.assign(k, 0.0);
  h.k.assign(k, 0.0);
  // Members of each group, by counting sort (node order kept within a group).
  std::vector<int> start(k + 1, 0), members(g.n);
  for (int v = 0; v < g.n; ++v) {
    ++start[group[v] + 1];
    h.k[group[v]] += g.k[v];
    h.self[group[v]] += g.self[v];
  }
  for (int c = 0; c < k; ++c) start[c + 1] += start[c];
  {
    std::vector<int> pos(start.begin(), start.end() - 1);
    for (int v = 0; v < g.n; ++v) members[pos[group[v]]++] = v;
  }
  h.off.assign(k + 1, 0);
  h.adj.reserve(g.adj.size() / 2);
  h.w.reserve(g.adj.size() / 2);
  for (int c = 0; c < k; ++c) {
    ws.touched.clear();
    for (int i = start[c]; i < start[c + 1]; ++i) {
      const int v = members[i];
      for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a) {
        const int d = group[g.adj[a]];
        if (d == c) {
          h.self[c] += g.w[a] / 2;  // each internal edge is seen from both ends
          continue;
        }
        if (ws.nbw[d] == 0) ws.touched.push_back(d);
        ws.nbw[d] += g.w[a];
      }
    }
    for (int d : ws.touched) {
      h.adj.push_back(d);
      h.w.push_back(ws.nbw[d]);
      ws.nbw[d] = 0;
    }
    h.off[c + 1] = static_cast<int64_t>(h.adj.size());
  }
  return h;
}

// Modularity of a membership of the original graph (sum_c in_c / W - gamma (K_c / 2W)^2).
double Quality(const Graph& g, const std::vector<int>& m, double gamma, Work& ws) {
  double two_w = 0;
  for (int v = 0; v < g.n; ++v) two_w += g.k[v];
  if (two_w <= 0) return 0;
  std::fill(ws.tot.begin(), ws.tot.begin() + g.n, 0.0);
  double in = 0;
  for (int v = 0; v < g.n; ++v) {
    ws.tot[m[v]] += g.k[v];
    for (int64_t a = g.off[v]; a < g.off[v + 1]; ++a)
      if (m[g.adj[a]] == m[v]) in += g.w[a];
  }
  double q = in / two_w;
  for (int c = 0; c < g.n; ++c) q -= gamma * (ws.tot[c] / two_w) * (ws.tot[c] / two_w);
  return q;
}

// One Leiden iteration from membership m of g (updated in place).
void Iterate(const Graph& g, std::vector<int>& m, double gamma_2w, Rng& rng, Work& ws) {
  std::vector<int> node_of(g.n);  // original node -> node of the current aggregate
  std::iota(node_of.begin(), node_of.end(), 0);
  const Graph* cur = &g;
  Graph agg;
  std::vector<int> cm = m;  // membership of the current graph's nodes
  for (;;) {
    MoveNodes(*cur, cm, gamma_2w, rng, ws);
    std::vector<int> comm = cm;
    const int k = Compact(comm, ws.scratch);
    if (k == cur->n) break;  // every node alone: nothing left to aggregate
    std::vector<int> r = Refine(*cur, cm, gamma_2w, rng, ws);
    int kr = Compact(r, ws.scratch);
    if (kr == cur->n) {  // refinement merged nothing: aggregate on the communities themselves
      r = comm;
      kr = k;
    }
    // The aggregate's start: each refined subset in its community.
    std::vector<int> next(kr);
    for (int v = 0; v < cur->n; ++v) next[r[v]] = comm[v];
    for (int& x : node_of) x = r[x];
    Graph h = Aggregate(*cur, r, kr, ws);
    agg = std::move(h);
    cur = &agg;
    cm = std::move(next);
  }
  for (int v = 0; v < g.n; ++v) m[v] = cm[node_of[v]];
  Compact(m, ws.scratch);
}

}  // namespace

std::vector<int> LeidenRun(const Fabric& fabric, const LeidenRunOptions& options, const std::vector<int>& start) {
  const Graph g = FromFabric(fabric, options.use_weights);
  std::vector<int> m(g.n);
  if (static_cast<int>(start.size()) == g.n) {
    m = start;
  } else {
    std::iota(m.begin(), m.end(), 0);
  }
  double two_w = 0;
  for (double x : g.k) two_w += x;
  if (two_w <= 0) return m;
  Work ws(g.n);
  Compact(m, ws.scratch);
  Rng rng(options.seed);
  const double gamma_2w = options.resolution / two_w;
  double q = Quality(g, m, options.resolution, ws);
  for (int it = 0, misses = 0; it < options.max_iterations && misses < options.patience; ++it) {
    std::vector<int> next = m;
    Iterate(g, next, gamma_2w, rng, ws);
    const double nq = Quality(g, next, options.resolution, ws);
    if (nq > q + 1e-13) {
      m = std::move(next);
      q = nq;
      misses = 0;
    } else {
      ++misses;  // no gain: keep the partition we had, try again with the next random order
    }
  }
  return m;
}

}  // namespace weefsel::fabric::internal
