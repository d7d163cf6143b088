// fabric/brandes.cc: exact betweenness on a reduced graph (see brandes.h for the reductions).
//
// Notation. The stripped graph R is what is left after leaves are stripped; each vertex u of R
// carries w(u) = 1 + the vertices stripped into it. Twins of R form classes; a class c has k(c)
// members and weight W(c) = the sum of its members' w. Brandes runs on the graph of classes, from
// a fixed member of each class, with
//   sigma(x) = shortest paths from that member to a fixed member of x
//            = sum over predecessors p of sigma(p) k(p)   (k(source) counts as 1),
//   c(x)     = (W(x) + delta(x)) / sigma(x),
//   delta(v) = sigma(v) k(v) * sum over successors x of c(x),
// and each member of v gains W(s) delta(v) / k(v) = W(s) sigma(v) sum(c) from source class s.
// Pairs with an end in a stripped subtree are added in closed form (StripLeaves).
#include "fabric/brandes.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <queue>
#include <thread>
#include <utility>

namespace weefsel::fabric::internal {
namespace {

// The graph Brandes runs on: classes in BFS order, CSR arrays, per-vertex weights.
struct Reduced {
  int n = 0;
  std::vector<int> off{0};
  std::vector<int> tg;
  std::vector<double> len;   // arc lengths 1/weight (weighted only)
  std::vector<double> mult;  // k: members of the class
  std::vector<double> wt;    // W: original vertices the class stands for
  std::vector<int> height;   // deepest stripped subtree below a member (hops)
  std::vector<char> in_largest;
};

// Per-thread work space; dist/sigma/coef are left reset after each source.
struct Work {
  std::vector<int> dist;
  std::vector<double> wdist;
  std::vector<double> sigma;
  std::vector<double> coef;  // c(x) once x's level is done; 0 before, so it can be summed blindly
  std::vector<double> acc;   // per BFS position: sum of c over the vertex's neighbours
  std::vector<int> order;
  std::vector<size_t> level_start;
  std::vector<int> touched;
  std::vector<double> result;
  int diameter = 0;
  Work(int n, bool weighted)
      : dist(static_cast<size_t>(n), -1),
        wdist(weighted ? static_cast<size_t>(n) : 0, std::numeric_limits<double>::infinity()),
        sigma(static_cast<size_t>(n), 0),
        coef(static_cast<size_t>(n), 0),
        acc(static_cast<size_t>(n), 0),
        result(static_cast<size_t>(n), 0) {
    order.reserve(static_cast<size_t>(n));
  }
};

void SourceUnweighted(const Reduced& g, int s, Work& w, bool want_diameter) {
  const int* off = g.off.data();
  const int* tg = g.tg.data();
  const double* mult = g.mult.data();
  const double* wt = g.wt.data();
  int* dist = w.dist.data();
  double* sigma = w.sigma.data();
  double* coef = w.coef.data();
  double* acc = w.acc.data();
  auto& order = w.order;
  auto& levels = w.level_start;
  order.clear();
  levels.clear();
  dist[s] = 0;
  sigma[s] = 1;
  order.push_back(s);
  // Forward, level by level so that each level's range in `order` is known for the backward pass.
  size_t begin = 0;
  int depth = 0;
  while (begin < order.size()) {
    levels.push_back(begin);
    const size_t end = order.size();
    const int next = depth + 1;
    for (size_t h = begin; h < end; ++h) {
      const int v = order[h];
      const double sv = depth == 0 ? 1.0 : sigma[v] * mult[v];
      for (int a = off[v]; a < off[v + 1]; ++a) {
        const int x = tg[a];
        if (dist[x] < 0) {
          dist[x] = next;
          sigma[x] = sv;
          order.push_back(x);
        } else if (dist[x] == next) {
          sigma[x] += sv;
        }
      }
    }
    begin = end;
    depth = next;
  }
  levels.push_back(order.size());
  // Backward, deepest level first. A vertex's neighbours lie on its own level or the ones next to
  // it; only the deeper one has its c set yet (a level's c is written after the whole level is
  // summed), so summing c over all neighbours needs no distance test.
  const double ws = wt[s];
  double* result = w.result.data();
  int far = 0;
  for (size_t l = levels.size() - 2; l >= 1; --l) {
    const size_t lb = levels[l], le = levels[l + 1];
    for (size_t h = lb; h < le; ++h) {
      const int v = order[h];
      double sum = 0;
      for (int a = off[v]; a < off[v + 1]; ++a) sum += coef[tg[a]];
      acc[h] = sum;
    }
    for (size_t h = lb; h < le; ++h) {
      const int v = order[h];
      const double sa = sigma[v] * acc[h];
      result[v] += ws * sa;
      coef[v] = (wt[v] + sa * mult[v]) / sigma[v];
      if (want_diameter) far = std::max(far, static_cast<int>(l) + g.height[static_cast<size_t>(v)]);
    }
  }
  if (want_diameter) w.diameter = std::max(w.diameter, g.height[static_cast<size_t>(s)] + far);
  for (int v : order) {
    dist[v] = -1;
    coef[v] = 0;
  }
}

// Dijkstra with igraph's rule for equal lengths (CmpEps), so tied paths count as igraph counts
// them. Twins are never merged here (k = 1).
void SourceWeighted(const Reduced& g, int s, Work& w) {
  const int* off = g.off.data();
  const int* tg = g.tg.data();
  const double* len = g.len.data();
  const double* wt = g.wt.data();
  double* dist = w.wdist.data();
  double* sigma = w.sigma.data();
  double* coef = w.coef.data();
  int* done = w.dist.data();  // -1 unvisited, 0 in heap, 1 settled
  auto& order = w.order;
  auto& touched = w.touched;
  order.clear();
  touched.clear();
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  dist[s] = 0;
  sigma[s] = 1;
  done[s] = 0;
  touched.push_back(s);
  heap.push({0.0, s});
  while (!heap.empty()) {
    auto [d, v] = heap.top();
    heap.pop();
    if (done[v] == 1 || d != dist[v]) continue;
    done[v] = 1;
    order.push_back(v);
    for (int a = off[v]; a < off[v + 1]; ++a) {
      const int x = tg[a];
      if (done[x] == 1) continue;
      const double nd = d + len[a];
      if (done[x] < 0) {
        done[x] = 0;
        touched.push_back(x);
        dist[x] = nd;
        sigma[x] = sigma[v];
        heap.push({nd, x});
      } else {
        const int c = CmpEps(nd, dist[x]);
        if (c < 0) {
          dist[x] = nd;
          sigma[x] = sigma[v];
          heap.push({nd, x});
        } else if (c == 0) {
          sigma[x] += sigma[v];
        }
      }
    }
  }
  const double ws = wt[s];
  double* result = w.result.data();
  for (size_t h = order.size(); h-- > 1;) {  // order[0] is s
    const int v = order[h];
    double sum = 0;
    for (int a = off[v]; a < off[v + 1]; ++a) {
      const int x = tg[a];
      if (done[x] == 1 && CmpEps(dist[v] + len[a], dist[x]) == 0 && dist[x] > dist[v]) sum += coef[x];
    }
    const double sa = sigma[v] * sum;
    result[v] += ws * sa;
    coef[v] = (wt[v] + sa) / sigma[v];
  }
  for (int v : touched) {
    done[v] = -1;
    dist[v] = std::numeric_limits<double>::infinity();
    sigma[v] = 0;
    coef[v] = 0;
  }
}

// An order-independent hash of a set of vertices (the sum of a mixed value per member).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

ExactBetweenness ComputeExactBetweenness(const Fabric& f, bool weighted, int threads, const BrandesPlan& plan) {
  const int n = f.node_count();
  const int64_t* off = f.offsets().data();
  const int* tg = f.targets().data();
  const double* aw = f.arc_weights().data();
  const Components comps = ConnectedComponents(f);
  auto largest = [&](int v) { return comps.membership[static_cast<size_t>(v)] == 0; };
  ExactBetweenness out;
  out.values.assign(static_cast<size_t>(n), 0);

  // 1. Strip leaves. At each vertex, w counts itself and what was stripped into it, sumsq the
  // squares of the stripped subtrees' sizes. The pairs whose shortest paths run through u because
  // they lie in different branches at u (a stripped subtree of u, or the rest of u's component)
  // give u  sum over pairs of branches of their size products  in closed form, below.
  std::vector<double> w(static_cast<size_t>(n), 1.0), sumsq(static_cast<size_t>(n), 0.0);
  std::vector<int> height(static_cast<size_t>(n), 0);
  std::vector<char> stripped(static_cast<size_t>(n), 0);
  int diameter = 0;  // longest path found so far inside the largest component
  if (plan.strip_leaves) {
    std::vector<int> deg(static_cast<size_t>(n)), stack;
    for (int v = 0; v < n; ++v) {
      deg[static_cast<size_t>(v)] = f.Degree(v);
      if (deg[static_cast<size_t>(v)] == 1) stack.push_back(v);
    }
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      if (deg[static_cast<size_t>(u)] != 1) continue;  // its neighbour went first (a component of two)
      int p = -1;
      for (int64_t a = off[u]; a < off[u + 1]; ++a)
        if (!stripped[static_cast<size_t>(tg[a])]) p = tg[a];
      stripped[static_cast<size_t>(u)] = 1;
      deg[static_cast<size_t>(u)] = 0;
      const size_t uu = static_cast<size_t>(u), pp = static_cast<size_t>(p);
      w[pp] += w[uu];
      sumsq[pp] += w[uu] * w[uu];
      if (largest(p)) diameter = std::max(diameter, height[pp] + 1 + height[uu]);
      height[pp] = std::max(height[pp], height[uu] + 1);
      if (--deg[pp] == 1) stack.push_back(p);
    }
  }
  for (int v = 0; v < n; ++v) {
    const size_t vv = static_cast<size_t>(v);
    const double size = comps.sizes[static_cast<size_t>(comps.membership[vv])];
    const double below = w[vv] - 1;  // in v's stripped subtrees
    out.values[vv] = 0.5 * (below * below - sumsq[vv]) + below * (size - w[vv]);
  }

  // 2. Twin classes of R. Candidates share (degree in R, hash of the closed neighbourhood);
  // equal keys are confirmed on the sorted neighbourhoods, so a hash collision costs time only.
  std::vector<int> cls(static_cast<size_t>(n), -1);
  std::vector<int> rep;  // a member of each class
  {
    std::vector<int> live;
    for (int v = 0; v < n; ++v)
      if (!stripped[static_cast<size_t>(v)]) live.push_back(v);
    if (plan.merge_twins && !weighted) {
      std::vector<std::pair<std::pair<int, uint64_t>, int>> keys;
      keys.reserve(live.size());
      for (int v : live) {
        int d = 0;
        uint64_t h = Mix(static_cast<uint64_t>(v));
        for (int64_t a = off[v]; a < off[v + 1]; ++a)
          if (!stripped[static_cast<size_t>(tg[a])]) {
            ++d;
            h += Mix(static_cast<uint64_t>(tg[a]));
          }
        keys.push_back({{d, h}, v});
      }
      std::sort(keys.begin(), keys.end());
      auto closed = [&](int v) {
        std::vector<int> nb{v};
        for (int64_t a = off[v]; a < off[v + 1]; ++a)
          if (!stripped[static_cast<size_t>(tg[a])]) nb.push_back(tg[a]);
        std::sort(nb.begin(), nb.end());
        return nb;
      };
      for (size_t i = 0; i < keys.size();) {
        size_t j = i + 1;
        while (j < keys.size() && keys[j].first == keys[i].first) ++j;
        if (j == i + 1 || keys[i].first.first == 0) {
          for (size_t t = i; t < j; ++t) {
            cls[static_cast<size_t>(keys[t].second)] = static_cast<int>(rep.size());
            rep.push_back(keys[t].second);
          }
        } else {
          std::vector<std::pair<std::vector<int>, int>> group;  // (closed neighbourhood, class)
          for (size_t t = i; t < j; ++t) {
            const int v = keys[t].second;
            std::vector<int> nb = closed(v);
            int c = -1;
            for (const auto& [gnb, gc] : group)
              if (gnb == nb) c = gc;
            if (c < 0) {
              c = static_cast<int>(rep.size());
              rep.push_back(v);
              group.emplace_back(std::move(nb), c);
            }
            cls[static_cast<size_t>(v)] = c;
          }
        }
        i = j;
      }
    } else {
      for (int v : live) {
        cls[static_cast<size_t>(v)] = static_cast<int>(rep.size());
        rep.push_back(v);
      }
    }
  }
  const int k = static_cast<int>(rep.size());

  // 3. The class graph (a member's neighbours in other classes: twins see the same ones), its
  // weights, and the within-class pairs' distances for the diameter.
  std::vector<std::vector<std::pair<int, double>>> adj(static_cast<size_t>(k));
  std::vector<double> mult(static_cast<size_t>(k), 0), wt(static_cast<size_t>(k), 0);
  std::vector<int> h1(static_cast<size_t>(k), -1), h2(static_cast<size_t>(k), -1);
  std::vector<char> cl_largest(static_cast<size_t>(k), 0);
  for (int v = 0; v < n; ++v) {
    const int c = cls[static_cast<size_t>(v)];
    if (c < 0) continue;
    const size_t cc = static_cast<size_t>(c);
    mult[cc] += 1;
    wt[cc] += w[static_cast<size_t>(v)];
    const int hv = height[static_cast<size_t>(v)];
    if (hv > h1[cc]) {
      h2[cc] = h1[cc];
      h1[cc] = hv;
    } else if (hv > h2[cc]) {
      h2[cc] = hv;
    }
    cl_largest[cc] = largest(v);
  }
  {
    std::vector<int> mark(static_cast<size_t>(k), -1);
    for (int c = 0; c < k; ++c) {
      const int r = rep[static_cast<size_t>(c)];
      for (int64_t a = off[r]; a < off[r + 1]; ++a) {
        const int x = tg[a];
        const int cx = cls[static_cast<size_t>(x)];
        if (cx < 0 || cx == c || mark[static_cast<size_t>(cx)] == c) continue;
        mark[static_cast<size_t>(cx)] = c;
        adj[static_cast<size_t>(c)].emplace_back(cx, weighted ? 1.0 / aw[a] : 1.0);
      }
      // Two members of a class are one hop apart.
      if (cl_largest[static_cast<size_t>(c)] && h2[static_cast<size_t>(c)] >= 0)
        diameter = std::max(diameter, h1[static_cast<size_t>(c)] + 1 + h2[static_cast<size_t>(c)]);
    }
  }

  // 4. Relabel in BFS order (each component from its smallest class), neighbours sorted.
  std::vector<int> label(static_cast<size_t>(k), -1), bfs;
  bfs.reserve(static_cast<size_t>(k));
  for (int c = 0; c < k; ++c) {
    if (!plan.relabel) {
      label[static_cast<size_t>(c)] = c;
      bfs.push_back(c);
      continue;
    }
    if (label[static_cast<size_t>(c)] >= 0) continue;
    size_t h = bfs.size();
    label[static_cast<size_t>(c)] = static_cast<int>(bfs.size());
    bfs.push_back(c);
    for (; h < bfs.size(); ++h)
      for (const auto& [x, l] : adj[static_cast<size_t>(bfs[h])])
        if (label[static_cast<size_t>(x)] < 0) {
          label[static_cast<size_t>(x)] = static_cast<int>(bfs.size());
          bfs.push_back(x);
        }
  }
  Reduced g;
  g.n = k;
  g.mult.resize(static_cast<size_t>(k));
  g.wt.resize(static_cast<size_t>(k));
  g.height.resize(static_cast<size_t>(k));
  g.in_largest.resize(static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) {
    const size_t c = static_cast<size_t>(bfs[static_cast<size_t>(i)]);
    g.mult[static_cast<size_t>(i)] = mult[c];
    g.wt[static_cast<size_t>(i)] = wt[c];
    g.height[static_cast<size_t>(i)] = h1[c];
    g.in_largest[static_cast<size_t>(i)] = cl_largest[c];
    std::vector<std::pair<int, double>> nb = adj[c];
    for (auto& [x, l] : nb) x = label[static_cast<size_t>(x)];
    std::sort(nb.begin(), nb.end());
    for (const auto& [x, l] : nb) {
      g.tg.push_back(x);
      if (weighted) g.len.push_back(l);
    }
    g.off.push_back(static_cast<int>(g.tg.size()));
  }
  out.reduced_nodes = k;
  out.reduced_edges = static_cast<int64_t>(g.tg.size() / 2);

  // 5. Brandes from every class, on `threads` threads. Small graphs: a thread costs more than the work.
  const double work = static_cast<double>(k) * static_cast<double>(g.tg.size() + static_cast<size_t>(k));
  if (work < 4e6) threads = 1;
  threads = std::max(1, std::min(threads, k / 8 + 1));
  std::vector<Work> works;
  works.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) works.emplace_back(k, weighted);
  // Chunks of sources are dealt to the threads in turn, not taken as each comes free: every run
  // then sums the same sources in the same order and the report is the same to the last bit (on
  // these graphs the interleaved chunks balance the two cores as well as work stealing did).
  auto worker = [&](int t) {
    Work& wk = works[static_cast<size_t>(t)];
    constexpr int kChunk = 16;
    for (int b = t * kChunk; b < k; b += threads * kChunk) {
      const int e = std::min(k, b + kChunk);
      for (int s = b; s < e; ++s) {
        if (weighted)
          SourceWeighted(g, s, wk);
        else
          SourceUnweighted(g, s, wk, g.in_largest[static_cast<size_t>(s)]);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  std::vector<double> sum(static_cast<size_t>(k), 0);
  for (const Work& wk : works) {
    for (int i = 0; i < k; ++i) sum[static_cast<size_t>(i)] += wk.result[static_cast<size_t>(i)];
    diameter = std::max(diameter, wk.diameter);
  }
  // Each unordered pair was counted from both ends.
  for (int v = 0; v < n; ++v) {
    const int c = cls[static_cast<size_t>(v)];
    if (c >= 0) out.values[static_cast<size_t>(v)] += 0.5 * sum[static_cast<size_t>(label[static_cast<size_t>(c)])];
  }
  out.diameter_hops = weighted ? -1 : diameter;
  return out;
}

}  // namespace weefsel::fabric::internal
