// fabric/analysis.cc: betweenness (parallel Brandes), constraint, structure, roles, profiles,
// mixing, and the full report.
#include "fabric/analysis.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <queue>
#include <random>
#include <thread>
#include <unordered_map>

#include "base/clock.h"
#include "fabric/brandes.h"
#include "fabric/igraph_bridge.h"

namespace weefsel::fabric {
namespace {

using internal::Check;
using internal::CmpEps;

// Per-thread work space for sampled Brandes from one source at a time.
struct BrandesWork {
  std::vector<int> dist;
  std::vector<double> wdist;
  std::vector<double> sigma;
  std::vector<double> delta;
  std::vector<int> order;
  std::vector<double> result;
  explicit BrandesWork(int n, bool weighted)
      : dist(static_cast<size_t>(n), -1),
        wdist(weighted ? static_cast<size_t>(n) : 0, std::numeric_limits<double>::infinity()),
        sigma(static_cast<size_t>(n), 0),
        delta(static_cast<size_t>(n), 0),
        result(static_cast<size_t>(n), 0) {
    order.reserve(static_cast<size_t>(n));
  }
};

void BrandesUnweighted(const Fabric& f, int s, BrandesWork& w, double scale) {
  const int64_t* off = f.offsets().data();
  const int* tg = f.targets().data();
  int* dist = w.dist.data();
  double* sigma = w.sigma.data();
  double* delta = w.delta.data();
  auto& order = w.order;
  order.clear();
  dist[s] = 0;
  sigma[s] = 1;
  order.push_back(s);
  for (size_t h = 0; h < order.size(); ++h) {
    int v = order[h];
    int dv = dist[v] + 1;
    double sv = sigma[v];
    for (int64_t a = off[v]; a < off[v + 1]; ++a) {
      int x = tg[a];
      if (dist[x] < 0) {
        dist[x] = dv;
        order.push_back(x);
        sigma[x] = sv;
      } else if (dist[x] == dv) {
        sigma[x] += sv;
      }
    }
  }
  // Backward pass. delta[] holds (1 + delta_v) / sigma_v once v is done, so each arc costs an add
  // instead of a division (the same value as dividing per arc, bit for bit).
  for (size_t h = order.size(); h-- > 0;) {
    int v = order[h];
    int dv = dist[v] + 1;
    double acc = 0;
    for (int64_t a = off[v]; a < off[v + 1]; ++a) {
      int x = tg[a];
      if (dist[x] == dv) acc += delta[x];
    }
    double dlt = sigma[v] * acc;
    if (v != s) w.result[static_cast<size_t>(v)] += scale * dlt;
    delta[v] = (1.0 + dlt) / sigma[v];
  }
  for (int v : order) {
    dist[v] = -1;
    sigma[v] = 0;
    delta[v] = 0;
  }
}

void BrandesWeighted(const Fabric& f, int s, BrandesWork& w, double scale) {
  const int64_t* off = f.offsets().data();
  const int* tg = f.targets().data();
  const double* aw = f.arc_weights().data();
  double* dist = w.wdist.data();
  double* sigma = w.sigma.data();
  double* delta = w.delta.data();
  int* done = w.dist.data();  // -1 unvisited, 0 in heap, 1 settled
  auto& order = w.order;
  order.clear();
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  std::vector<int> touched;
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
    for (int64_t a = off[v]; a < off[v + 1]; ++a) {
      int x = tg[a];
      if (done[x] == 1) continue;
      double nd = d + 1.0 / aw[a];
      if (done[x] < 0) {
        done[x] = 0;
        touched.push_back(x);
        dist[x] = nd;
        sigma[x] = sigma[v];
        heap.push({nd, x});
      } else {
        int c = CmpEps(nd, dist[x]);
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
  for (size_t h = order.size(); h-- > 0;) {
    int v = order[h];
    double acc = 0;
    for (int64_t a = off[v]; a < off[v + 1]; ++a) {
      int x = tg[a];
      if (done[x] == 1 && CmpEps(dist[v] + 1.0 / aw[a], dist[x]) == 0 && dist[x] > dist[v]) acc += delta[x];
    }
    double dlt = sigma[v] * acc;  // delta[] holds (1 + delta_v) / sigma_v, as in the unweighted pass
    if (v != s) w.result[static_cast<size_t>(v)] += scale * dlt;
    delta[v] = (1.0 + dlt) / sigma[v];
  }
  for (int v : touched) {
    done[v] = -1;
    dist[v] = std::numeric_limits<double>::infinity();
    sigma[v] = 0;
    delta[v] = 0;
  }
}

// Sampled betweenness: Brandes from `sources` on `threads` threads, each contribution times
// `scale`; returns the summed results. (Exact betweenness runs on a reduced graph: brandes.cc.)
Betweenness RunBrandes(const Fabric& f, const std::vector<int>& sources, bool weighted, int threads, double scale) {
  const int n = f.node_count();
  // Small graphs: a thread costs more than the work.
  const double work =
      static_cast<double>(sources.size()) * static_cast<double>(f.targets().size() + static_cast<size_t>(n));
  if (work < 4e6) threads = 1;
  threads = std::max(1, std::min(threads, static_cast<int>(sources.size() / 8 + 1)));
  std::atomic<size_t> next{0};
  std::vector<BrandesWork> works;
  works.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) works.emplace_back(n, weighted);
  auto worker = [&](int t) {
    BrandesWork& w = works[static_cast<size_t>(t)];
    constexpr size_t kChunk = 16;
    for (;;) {
      size_t b = next.fetch_add(kChunk);
      if (b >= sources.size()) break;
      size_t e = std::min(sources.size(), b + kChunk);
      for (size_t i = b; i < e; ++i) {
        int s = sources[i];
        if (weighted)
          BrandesWeighted(f, s, w, scale);
        else
          BrandesUnweighted(f, s, w, scale);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  Betweenness out;
  out.values.assign(static_cast<size_t>(n), 0);
  for (const BrandesWork& w : works)
    for (int i = 0; i < n; ++i) out.values[static_cast<size_t>(i)] += w.result[static_cast<size_t>(i)];
  return out;
}

struct IgVec {
  igraph_vector_t v;
  bool ok = false;
  IgVec() { ok = igraph_vector_init(&v, 0) == IGRAPH_SUCCESS; }
  ~IgVec() {
    if (ok) igraph_vector_destroy(&v);
  }
  std::vector<double> ToStd() const {
    std::vector<double> out(static_cast<size_t>(igraph_vector_size(&v)));
    for (size_t i = 0; i < out.size(); ++i) out[i] = VECTOR(v)[i];
    return out;
  }
};
struct IgVecInt {
  igraph_vector_int_t v;
  bool ok = false;
  IgVecInt() { ok = igraph_vector_int_init(&v, 0) == IGRAPH_SUCCESS; }
  ~IgVecInt() {
    if (ok) igraph_vector_int_destroy(&v);
  }
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

Tally MakeTally(const std::unordered_map<std::string, int>& counts) {
  Tally t(counts.begin(), counts.end());
  std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return t;
}

MixingMatrix Mixing(const Fabric& f, const std::vector<std::string>& categories, const std::vector<int>& category_of) {
  const size_t k = categories.size();
  MixingMatrix m;
  m.categories = categories;
  m.observed.assign(k, std::vector<double>(k, 0));
  m.expected.assign(k, std::vector<double>(k, 0));
  std::vector<double> ends(k, 0);
  double internal = 0, external = 0;
  for (int u = 0; u < f.node_count(); ++u) {
    int cu = category_of[static_cast<size_t>(u)];
    if (cu < 0) continue;
    for (const Neighbour& nb : f.Neighbours(u)) {
      if (nb.node <= u) continue;
      int cv = category_of[static_cast<size_t>(nb.node)];
      if (cv < 0) continue;
      m.observed[static_cast<size_t>(cu)][static_cast<size_t>(cv)] += 1;
      if (cu != cv) m.observed[static_cast<size_t>(cv)][static_cast<size_t>(cu)] += 1;
      ends[static_cast<size_t>(cu)] += 1;
      ends[static_cast<size_t>(cv)] += 1;
      ++m.ties;
      (cu == cv ? internal : external) += 1;
    }
  }
  if (m.ties > 0) {
    double total = 2.0 * static_cast<double>(m.ties);
    for (size_t a = 0; a < k; ++a)
      for (size_t b = 0; b < k; ++b) {
        double da = ends[a] / total, db = ends[b] / total;
        m.expected[a][b] = static_cast<double>(m.ties) * (a == b ? da * da : 2 * da * db);
      }
    m.ei_index = (external - internal) / (external + internal);
  }
  return m;
}

}  // namespace

Betweenness ComputeBetweenness(const Fabric& fabric, const BetweennessOptions& options) {
  const int n = fabric.node_count();
  const bool weighted = options.weighted && fabric.weighted();
  const bool sample = options.samples > 0 || n > options.exact_up_to;
  if (!sample) {
    internal::ExactBetweenness e = internal::ComputeExactBetweenness(fabric, weighted, options.threads);
    Betweenness b;
    b.values = std::move(e.values);
    b.diameter_hops = e.diameter_hops;
    return b;
  }
  std::vector<int> sources;
  int k = options.samples > 0 ? options.samples : std::max(1000, options.exact_up_to / 10);
  k = std::min(k, n);
  Rng rng(options.seed);
  std::vector<int> all(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) all[static_cast<size_t>(i)] = i;
  // Partial Fisher-Yates: the first k are a uniform sample without replacement.
  for (int i = 0; i < k; ++i) std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(rng.Uniform(i, n - 1))]);
  sources.assign(all.begin(), all.begin() + k);
  double scale = 0.5 * static_cast<double>(n) / static_cast<double>(k);
  Betweenness b = RunBrandes(fabric, sources, weighted, options.threads, scale);
  b.exact = k == n;
  b.samples = k;
  b.diameter_hops = -1;
  if (!b.exact) {
    // Each source contributes delta_s(v) in [0, n-2]; the estimate is (n/2k) * sum over k sources.
    double range = 0.5 * static_cast<double>(n) * static_cast<double>(std::max(n - 2, 0));
    b.error_bound = range * std::sqrt(std::log(2.0 * n / 0.05) / (2.0 * k));
  }
  return b;
}

Result<std::vector<double>> IgraphBetweenness(const Fabric& fabric, bool weighted) {
  internal::IgraphLock lock;
  internal::IgraphGraph g;
  WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
  IgVec res;
  WEEFSEL_RETURN_IF_ERROR(Check(igraph_betweenness(g.graph(), &res.v, igraph_vss_all(), IGRAPH_UNDIRECTED,
                                                   weighted && fabric.weighted() ? g.lengths() : nullptr),
                                "betweenness"));
  return res.ToStd();
}

Result<std::vector<double>> Constraint(const Fabric& fabric, bool weighted) {
  internal::IgraphLock lock;
  internal::IgraphGraph g;
  WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
  IgVec res;
  WEEFSEL_RETURN_IF_ERROR(Check(
      igraph_constraint(g.graph(), &res.v, igraph_vss_all(), weighted && fabric.weighted() ? g.weights() : nullptr),
      "constraint"));
  return res.ToStd();
}

int DiameterHops(const Fabric& fabric, int threads) {
  Components comps = ConnectedComponents(fabric);
  std::vector<int> sources;
  for (int i = 0; i < fabric.node_count(); ++i)
    if (comps.membership[static_cast<size_t>(i)] == 0) sources.push_back(i);
  if (sources.size() <= 1) return 0;
  std::atomic<size_t> next{0};
  std::atomic<int> best{0};
  auto worker = [&] {
    int local = 0;
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= sources.size()) break;
      auto d = fabric.HopDistances(sources[i]);
      for (int x : d) local = std::max(local, x);
    }
    int cur = best.load();
    while (local > cur && !best.compare_exchange_weak(cur, local)) {
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  return best.load();
}

Result<Structure> ComputeStructure(const Fabric& fabric) {
  Structure s;
  const int n = fabric.node_count();
  internal::IgraphLock lock;
  internal::IgraphGraph g;
  WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
  {
    IgVecInt cores;
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_coreness(g.graph(), &cores.v, IGRAPH_ALL), "coreness"));
    s.coreness.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) s.coreness[static_cast<size_t>(i)] = static_cast<int>(VECTOR(cores.v)[i]);
  }
  {
    IgVecInt ap;
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_articulation_points(g.graph(), &ap.v), "articulation_points"));
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(&ap.v); ++i)
      s.articulation_points.push_back(static_cast<int>(VECTOR(ap.v)[i]));
    std::sort(s.articulation_points.begin(), s.articulation_points.end());
  }
  {
    IgVecInt br;
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_bridges(g.graph(), &br.v), "bridges"));
    std::vector<Edge> edges = fabric.Edges();  // same order as the igraph edge ids
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(&br.v); ++i)
      s.bridges.push_back(edges[static_cast<size_t>(VECTOR(br.v)[i])]);
    std::sort(s.bridges.begin(), s.bridges.end(),
              [](const Edge& a, const Edge& b) { return a.u != b.u ? a.u < b.u : a.v < b.v; });
  }
  {
    IgVec cl;
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_transitivity_local_undirected(g.graph(), &cl.v, igraph_vss_all(), IGRAPH_TRANSITIVITY_ZERO),
              "transitivity_local"));
    s.clustering = cl.ToStd();
    igraph_real_t t = 0;
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_transitivity_undirected(g.graph(), &t, IGRAPH_TRANSITIVITY_ZERO), "transitivity"));
    s.transitivity = t;
  }
  return s;
}

std::string_view RoleCode(Role r) {
  switch (r) {
    case Role::kIsolate:
      return "isolate";
    case Role::kHub:
      return "hub";
    case Role::kBroker:
      return "broker";
    case Role::kPeripheral:
      return "peripheral";
    case Role::kMember:
      return "member";
  }
  return "member";
}

std::vector<Role> AssignRoles(const Fabric& fabric, const std::vector<double>& betweenness, const Structure& structure,
                              const Components& components) {
  const int n = fabric.node_count();
  std::vector<int> degrees;
  std::vector<double> btw;
  for (int i = 0; i < n; ++i)
    if (fabric.Degree(i) > 0) {
      degrees.push_back(fabric.Degree(i));
      btw.push_back(betweenness[static_cast<size_t>(i)]);
    }
  // The value at the 90th percentile (nearest rank) of connected nodes.
  auto p90 = [](auto values) {
    using T = typename decltype(values)::value_type;
    if (values.empty()) return T{};
    std::sort(values.begin(), values.end());
    size_t rank = static_cast<size_t>(std::ceil(0.9 * static_cast<double>(values.size())));
    return values[std::max<size_t>(rank, 1) - 1];
  };
  int hub_degree = std::max(3, p90(degrees));
  double broker_btw = p90(btw);
  std::vector<char> articulation(static_cast<size_t>(n), 0);
  for (int a : structure.articulation_points) articulation[static_cast<size_t>(a)] = 1;
  std::vector<Role> roles(static_cast<size_t>(n), Role::kMember);
  for (int i = 0; i < n; ++i) {
    size_t u = static_cast<size_t>(i);
    int d = fabric.Degree(i);
    if (d == 0) {
      roles[u] = Role::kIsolate;
    } else if (d >= hub_degree) {
      roles[u] = Role::kHub;
    } else if ((betweenness[u] > 0 && betweenness[u] >= broker_btw) || articulation[u]) {
      roles[u] = Role::kBroker;
    } else if (d == 1 || (u < structure.coreness.size() && structure.coreness[u] <= 1) ||
               components.membership[u] != 0) {
      roles[u] = Role::kPeripheral;
    }
  }
  return roles;
}

std::vector<CommunityProfile> ProfileCommunities(const Fabric& fabric, const Partition& partition) {
  std::vector<CommunityProfile> out(static_cast<size_t>(partition.count));
  std::vector<std::unordered_map<std::string, int>> kinds(out.size()), sectors(out.size()), themes(out.size()),
      areas(out.size()), caps(out.size());
  std::vector<std::vector<int>> members(out.size());
  for (int i = 0; i < fabric.node_count(); ++i) {
    int c = partition.membership[static_cast<size_t>(i)];
    size_t ci = static_cast<size_t>(c);
    const NodeInfo& info = fabric.node(i);
    ++out[ci].size;
    members[ci].push_back(i);
    if (info.kind) {
      ++kinds[ci][std::string(domain::ActorKindCode(*info.kind))];
      ++sectors[ci][std::string(domain::SectorCode(domain::SectorOf(*info.kind)))];
    }
    for (const auto& t : info.themes) ++themes[ci][t];
    for (const auto& t : info.capabilities) ++caps[ci][t];
    if (!info.area.empty()) ++areas[ci][info.area];
    for (const Neighbour& nb : fabric.Neighbours(i)) {
      if (nb.node < i) continue;
      if (partition.membership[static_cast<size_t>(nb.node)] == c) {
        ++out[ci].internal_ties;
      } else {
        ++out[ci].external_ties;
        ++out[static_cast<size_t>(partition.membership[static_cast<size_t>(nb.node)])].external_ties;
      }
    }
  }
  for (size_t c = 0; c < out.size(); ++c) {
    out[c].community = static_cast<int>(c);
    out[c].kinds = MakeTally(kinds[c]);
    out[c].sectors = MakeTally(sectors[c]);
    out[c].themes = MakeTally(themes[c]);
    out[c].areas = MakeTally(areas[c]);
    out[c].capabilities = MakeTally(caps[c]);
    auto& m = members[c];
    std::stable_sort(m.begin(), m.end(), [&](int a, int b) { return fabric.Degree(a) > fabric.Degree(b); });
    m.resize(std::min<size_t>(m.size(), 5));
    out[c].top_nodes = m;
  }
  return out;
}

MixingMatrix KindMixing(const Fabric& fabric) {
  std::vector<std::string> cats;
  for (domain::ActorKind k : domain::AllActorKinds()) cats.emplace_back(domain::ActorKindCode(k));
  std::vector<int> of(static_cast<size_t>(fabric.node_count()), -1);
  for (int i = 0; i < fabric.node_count(); ++i)
    if (fabric.node(i).kind) of[static_cast<size_t>(i)] = static_cast<int>(*fabric.node(i).kind);
  return Mixing(fabric, cats, of);
}

MixingMatrix SectorMixing(const Fabric& fabric) {
  std::vector<std::string> cats;
  for (int s = 0; s < domain::kSectorCount; ++s) cats.emplace_back(domain::SectorCode(static_cast<domain::Sector>(s)));
  std::vector<int> of(static_cast<size_t>(fabric.node_count()), -1);
  for (int i = 0; i < fabric.node_count(); ++i)
    if (fabric.node(i).kind) of[static_cast<size_t>(i)] = static_cast<int>(domain::SectorOf(*fabric.node(i).kind));
  return Mixing(fabric, cats, of);
}

Result<Report> Analyse(const Fabric& fabric, const ReportOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Report r;
  r.nodes = fabric.node_count();
  r.edges = fabric.edge_count();
  r.weighted = fabric.weighted();
  const bool with_weights = options.weighted && fabric.weighted();
  if (with_weights) r.weighted_measures.emplace();
  auto t = std::chrono::steady_clock::now();
  r.components = ConnectedComponents(fabric);
  r.degree.resize(static_cast<size_t>(r.nodes));
  r.strength.resize(static_cast<size_t>(r.nodes));
  for (int i = 0; i < r.nodes; ++i) {
    r.degree[static_cast<size_t>(i)] = fabric.Degree(i);
    r.strength[static_cast<size_t>(i)] = fabric.Strength(i);
  }
  r.seconds.emplace_back("components", Seconds(t));

  // The igraph analyses (communities, constraint, structure) run one after another on a worker
  // thread (igraph is serialised anyway) while betweenness runs on this one: each part keeps its
  // own laps, merged in the order below.
  std::vector<std::pair<std::string, double>> igraph_laps, brandes_laps;
  auto igraph_part = [&]() -> Status {
    auto tt = std::chrono::steady_clock::now();
    auto lap = [&](std::string name) {
      igraph_laps.emplace_back(std::move(name), Seconds(tt));
      tt = std::chrono::steady_clock::now();
    };
    auto communities = [&](bool weighted, Measures& m, const std::string& suffix) -> Status {
      CommunityOptions co = options.communities;
      co.use_weights = weighted;
      co.method = CommunityMethod::kLeiden;
      WEEFSEL_ASSIGN_OR_RETURN(m.communities, FindCommunities(fabric, co));
      lap("leiden" + suffix);
      if (options.louvain) {
        co.method = CommunityMethod::kLouvain;
        WEEFSEL_ASSIGN_OR_RETURN(Partition lv, FindCommunities(fabric, co));
        m.louvain_modularity = lv.modularity;
        lap("louvain" + suffix);
      }
      WEEFSEL_ASSIGN_OR_RETURN(m.constraint, Constraint(fabric, weighted));
      lap("constraint" + suffix);
      return Status::Ok();
    };
    WEEFSEL_RETURN_IF_ERROR(communities(false, r.unweighted, ""));
    if (with_weights) WEEFSEL_RETURN_IF_ERROR(communities(true, *r.weighted_measures, "_weighted"));
    WEEFSEL_ASSIGN_OR_RETURN(r.structure, ComputeStructure(fabric));
    lap("structure");
    return Status::Ok();
  };
  auto brandes_part = [&] {
    auto tt = std::chrono::steady_clock::now();
    BetweennessOptions bo = options.betweenness;
    bo.weighted = false;
    r.unweighted.betweenness = ComputeBetweenness(fabric, bo);
    brandes_laps.emplace_back("betweenness", Seconds(tt));
    tt = std::chrono::steady_clock::now();
    if (r.unweighted.betweenness.diameter_hops >= 0) {
      r.diameter = r.unweighted.betweenness.diameter_hops;
    } else {
      r.diameter = DiameterHops(fabric, options.betweenness.threads);
      brandes_laps.emplace_back("diameter", Seconds(tt));
      tt = std::chrono::steady_clock::now();
    }
    if (with_weights) {
      bo.weighted = true;
      r.weighted_measures->betweenness = ComputeBetweenness(fabric, bo);
      brandes_laps.emplace_back("betweenness_weighted", Seconds(tt));
    }
  };
  Status igraph_status;
  if (options.concurrent) {
    std::thread worker([&] { igraph_status = igraph_part(); });
    brandes_part();
    worker.join();
  } else {
    igraph_status = igraph_part();
    brandes_part();
  }
  WEEFSEL_RETURN_IF_ERROR(igraph_status);
  r.seconds.insert(r.seconds.end(), igraph_laps.begin(), igraph_laps.end());
  r.seconds.insert(r.seconds.end(), brandes_laps.begin(), brandes_laps.end());
  t = std::chrono::steady_clock::now();
  r.roles = AssignRoles(fabric, r.unweighted.betweenness.values, r.structure, r.components);
  r.profiles = ProfileCommunities(fabric, r.unweighted.communities);
  r.kinds = KindMixing(fabric);
  r.sectors = SectorMixing(fabric);
  r.seconds.emplace_back("roles_profiles_mixing", Seconds(t));
  r.wall_seconds = Seconds(start);
  return r;
}

}  // namespace weefsel::fabric

namespace weefsel::fabric {

Result<IgraphBaseline> RunIgraphBaseline(const Fabric& fabric, int runs, uint64_t seed) {
  IgraphBaseline out;
  internal::IgraphLock lock;
  auto t = std::chrono::steady_clock::now();
  auto lap = [&](std::string name) {
    out.seconds.emplace_back(std::move(name), Seconds(t));
    t = std::chrono::steady_clock::now();
  };
  internal::IgraphGraph g;
  WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
  const int n = fabric.node_count();
  IgVecInt memb, csize;
  igraph_integer_t nc = 0;
  WEEFSEL_RETURN_IF_ERROR(
      Check(igraph_connected_components(g.graph(), &memb.v, &csize.v, &nc, IGRAPH_WEAK), "components"));
  lap("components");
  auto passes = [&](bool weighted, const std::string& suffix) -> Status {
    const igraph_vector_t* w = weighted ? g.weights() : nullptr;
    IgVec node_w;
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_vector_resize(&node_w.v, n), "vector"));
    double two_w = 0;
    for (int i = 0; i < n; ++i) {
      VECTOR(node_w.v)[i] = weighted ? fabric.Strength(i) : fabric.Degree(i);
      two_w += VECTOR(node_w.v)[i];
    }
    double best = -1;
    for (int r = 0; r < runs && two_w > 0; ++r) {
      igraph_rng_seed(igraph_rng_default(), seed + static_cast<uint64_t>(r));
      igraph_integer_t k = 0;
      igraph_real_t q = 0;
      WEEFSEL_RETURN_IF_ERROR(
          Check(igraph_community_leiden(g.graph(), w, &node_w.v, 1.0 / two_w, 0.01, false, 2, &memb.v, &k, &q),
                "community_leiden"));
      igraph_real_t mod = 0;
      WEEFSEL_RETURN_IF_ERROR(
          Check(igraph_modularity(g.graph(), &memb.v, w, 1.0, IGRAPH_UNDIRECTED, &mod), "modularity"));
      best = std::max(best, static_cast<double>(mod));
    }
    if (!weighted) out.modularity = best;
    lap("leiden" + suffix);
    for (int r = 0; r < runs && two_w > 0; ++r) {
      igraph_rng_seed(igraph_rng_default(), seed + static_cast<uint64_t>(r));
      WEEFSEL_RETURN_IF_ERROR(
          Check(igraph_community_multilevel(g.graph(), w, 1.0, &memb.v, nullptr, nullptr), "multilevel"));
    }
    lap("louvain" + suffix);
    IgVec res;
    WEEFSEL_RETURN_IF_ERROR(Check(
        igraph_betweenness(g.graph(), &res.v, igraph_vss_all(), IGRAPH_UNDIRECTED, weighted ? g.lengths() : nullptr),
        "betweenness"));
    lap("betweenness" + suffix);
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_constraint(g.graph(), &res.v, igraph_vss_all(), w), "constraint"));
    lap("constraint" + suffix);
    return Status::Ok();
  };
  WEEFSEL_RETURN_IF_ERROR(passes(false, ""));
  {
    // Diameter of the largest component: igraph_diameter on the induced subgraph.
    igraph_integer_t largest = 0;
    for (igraph_integer_t c = 1; c < nc; ++c)
      if (VECTOR(csize.v)[c] > VECTOR(csize.v)[largest]) largest = c;
    IgVecInt keep;
    for (int i = 0; i < n; ++i)
      if (VECTOR(memb.v)[i] == largest)
        WEEFSEL_RETURN_IF_ERROR(Check(igraph_vector_int_push_back(&keep.v, i), "vector"));
    // memb was overwritten by the community calls: recompute components first.
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_connected_components(g.graph(), &memb.v, &csize.v, &nc, IGRAPH_WEAK), "components"));
    largest = 0;
    for (igraph_integer_t c = 1; c < nc; ++c)
      if (VECTOR(csize.v)[c] > VECTOR(csize.v)[largest]) largest = c;
    igraph_vector_int_clear(&keep.v);
    for (int i = 0; i < n; ++i)
      if (VECTOR(memb.v)[i] == largest)
        WEEFSEL_RETURN_IF_ERROR(Check(igraph_vector_int_push_back(&keep.v, i), "vector"));
    igraph_t sub;
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_induced_subgraph(g.graph(), &sub, igraph_vss_vector(&keep.v), IGRAPH_SUBGRAPH_AUTO),
              "induced_subgraph"));
    igraph_real_t d = 0;
    igraph_error_t rc = igraph_diameter(&sub, &d, nullptr, nullptr, nullptr, nullptr, IGRAPH_UNDIRECTED, true);
    igraph_destroy(&sub);
    WEEFSEL_RETURN_IF_ERROR(Check(rc, "diameter"));
    out.diameter = d;
    lap("diameter");
  }
  if (fabric.weighted()) WEEFSEL_RETURN_IF_ERROR(passes(true, "_weighted"));
  {
    IgVecInt cores, ap, br;
    IgVec cl;
    igraph_real_t tr = 0;
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_coreness(g.graph(), &cores.v, IGRAPH_ALL), "coreness"));
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_articulation_points(g.graph(), &ap.v), "articulation_points"));
    WEEFSEL_RETURN_IF_ERROR(Check(igraph_bridges(g.graph(), &br.v), "bridges"));
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_transitivity_local_undirected(g.graph(), &cl.v, igraph_vss_all(), IGRAPH_TRANSITIVITY_ZERO),
              "transitivity"));
    WEEFSEL_RETURN_IF_ERROR(
        Check(igraph_transitivity_undirected(g.graph(), &tr, IGRAPH_TRANSITIVITY_ZERO), "transitivity"));
    lap("structure");
  }
  return out;
}

}  // namespace weefsel::fabric
