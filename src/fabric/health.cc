// fabric/health.cc: health snapshots and their comparison; the typology and its stability.
#include "fabric/health.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "base/clock.h"
#include "base/strings.h"

namespace weefsel::fabric {
namespace {

int SectorOfNode(const NodeInfo& n) { return n.kind ? static_cast<int>(domain::SectorOf(*n.kind)) : -1; }

double Comb2(double x) { return x * (x - 1) / 2; }

// Contingency table of two labelings.
struct Contingency {
  std::map<std::pair<int, int>, double> cells;
  std::map<int, double> rows, cols;
  double n = 0;
};

Contingency Table(const std::vector<int>& a, const std::vector<int>& b) {
  Contingency t;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    t.cells[{a[i], b[i]}] += 1;
    t.rows[a[i]] += 1;
    t.cols[b[i]] += 1;
    t.n += 1;
  }
  return t;
}

}  // namespace

Result<HealthSnapshot> MeasureHealth(const Fabric& fabric, std::string label, const HealthOptions& options) {
  HealthSnapshot h;
  h.label = std::move(label);
  h.actors = fabric.node_count();
  h.ties = fabric.edge_count();
  const int n = fabric.node_count();
  MixingMatrix sectors = SectorMixing(fabric);
  if (sectors.ties > 0) {
    double internal = 0;
    for (size_t a = 0; a < sectors.categories.size(); ++a) internal += sectors.observed[a][a];
    h.cross_sector_share = (static_cast<double>(sectors.ties) - internal) / static_cast<double>(sectors.ties);
  }
  Components comps = ConnectedComponents(fabric);
  h.components = comps.count;
  if (n > 0) h.largest_component_share = static_cast<double>(comps.sizes[0]) / n;
  for (int i = 0; i < n; ++i)
    if (fabric.Degree(i) == 0) ++h.isolates;
  CommunityOptions co = options.communities;
  co.use_weights = false;
  WEEFSEL_ASSIGN_OR_RETURN(Partition p, FindCommunities(fabric, co));
  h.modularity = p.modularity;
  std::vector<int> sources;
  for (int i = 0; i < n; ++i)
    if (SectorOfNode(fabric.node(i)) >= 0 && fabric.Degree(i) > 0) sources.push_back(i);
  if (static_cast<int>(sources.size()) > options.exact_up_to) {
    Rng rng(options.seed);
    rng.Shuffle(sources);
    sources.resize(static_cast<size_t>(options.samples));
    h.sector_distance_exact = false;
  }
  double sum = 0, count = 0;
  for (int s : sources) {
    int ss = SectorOfNode(fabric.node(s));
    auto d = fabric.HopDistances(s);
    for (int v = 0; v < n; ++v) {
      if (d[static_cast<size_t>(v)] <= 0) continue;
      int sv = SectorOfNode(fabric.node(v));
      if (sv < 0 || sv == ss) continue;
      sum += d[static_cast<size_t>(v)];
      count += 1;
    }
  }
  h.mean_sector_distance = count > 0 ? sum / count : 0;
  return h;
}

Result<std::vector<HealthSnapshot>> HealthOverTime(const std::vector<domain::Actor>& actors,
                                                   const std::vector<domain::Tie>& ties,
                                                   const std::vector<std::string>& dates,
                                                   const HealthOptions& options) {
  std::vector<HealthSnapshot> out;
  for (const std::string& date : dates) {
    if (!IsIsoDate(date)) return Status::InvalidArgument("health: date '" + date + "' is not YYYY-MM-DD");
    BuildOptions bo;
    bo.as_of = date;
    WEEFSEL_ASSIGN_OR_RETURN(Fabric f, Fabric::FromDomain(actors, ties, bo));
    WEEFSEL_ASSIGN_OR_RETURN(HealthSnapshot h, MeasureHealth(f, date, options));
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<HealthDelta> CompareHealth(const HealthSnapshot& before, const HealthSnapshot& after) {
  std::vector<HealthDelta> out;
  auto add = [&](const char* field, double b, double a, bool higher_is_better) {
    HealthDelta d;
    d.field = field;
    d.before = b;
    d.after = a;
    d.change = a - b;
    d.better = higher_is_better ? a > b : a < b;
    out.push_back(d);
  };
  add("actors", before.actors, after.actors, true);
  add("ties", static_cast<double>(before.ties), static_cast<double>(after.ties), true);
  add("cross_sector_share", before.cross_sector_share, after.cross_sector_share, true);
  add("largest_component_share", before.largest_component_share, after.largest_component_share, true);
  add("isolates", before.isolates, after.isolates, false);
  add("components", before.components, after.components, false);
  // Lower modularity means communities are less closed off from each other.
  add("modularity", before.modularity, after.modularity, false);
  add("mean_sector_distance", before.mean_sector_distance, after.mean_sector_distance, false);
  return out;
}

double AdjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b) {
  Contingency t = Table(a, b);
  if (t.n < 2) return 1.0;
  double index = 0, sa = 0, sb = 0;
  for (const auto& [k, v] : t.cells) index += Comb2(v);
  for (const auto& [k, v] : t.rows) sa += Comb2(v);
  for (const auto& [k, v] : t.cols) sb += Comb2(v);
  double expected = sa * sb / Comb2(t.n);
  double max_index = (sa + sb) / 2;
  if (max_index == expected) return 1.0;  // both trivial (one cluster, or all singletons)
  return (index - expected) / (max_index - expected);
}

double NormalizedMutualInformation(const std::vector<int>& a, const std::vector<int>& b) {
  Contingency t = Table(a, b);
  if (t.n == 0) return 1.0;
  auto entropy = [&](const std::map<int, double>& m) {
    double h = 0;
    for (const auto& [k, v] : m) h -= v / t.n * std::log(v / t.n);
    return h;
  };
  double ha = entropy(t.rows), hb = entropy(t.cols);
  if (t.rows.size() == 1 && t.cols.size() == 1) return 1.0;
  if (t.rows.size() == 1 || t.cols.size() == 1) return 0.0;
  double mi = 0;
  for (const auto& [k, v] : t.cells) mi += v / t.n * std::log(t.n * v / (t.rows[k.first] * t.cols[k.second]));
  double denom = (ha + hb) / 2;
  return denom > 0 ? std::max(0.0, mi / denom) : 1.0;
}

Result<Typology> FindTypology(const Fabric& fabric, std::string label, const TypologyOptions& options) {
  if (options.groups < 1) return Status::InvalidArgument("typology: groups must be >= 1");
  if (options.restarts < 1) return Status::InvalidArgument("typology: restarts must be >= 1");
  Typology ty;
  ty.label = std::move(label);
  const int n = fabric.node_count();
  if (n == 0) return ty;
  // Roles from the fabric.
  BetweennessOptions bo;
  if (n > 5000) bo.samples = 500;
  Betweenness b = ComputeBetweenness(fabric, bo);
  WEEFSEL_ASSIGN_OR_RETURN(Structure st, ComputeStructure(fabric));
  std::vector<Role> roles = AssignRoles(fabric, b.values, st, ConnectedComponents(fabric));
  // Features: kind, role, the most frequent themes and capabilities.
  std::vector<std::string> names;
  for (domain::ActorKind k : domain::AllActorKinds()) names.push_back("kind:" + std::string(domain::ActorKindCode(k)));
  for (Role r : {Role::kIsolate, Role::kHub, Role::kBroker, Role::kPeripheral, Role::kMember})
    names.push_back("role:" + std::string(RoleCode(r)));
  std::unordered_map<std::string, int> tag_count;
  for (int i = 0; i < n; ++i) {
    for (const auto& t : fabric.node(i).themes) ++tag_count["theme:" + t];
    for (const auto& c : fabric.node(i).capabilities) ++tag_count["capability:" + c];
  }
  std::vector<std::pair<std::string, int>> tags(tag_count.begin(), tag_count.end());
  std::sort(tags.begin(), tags.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  if (static_cast<int>(tags.size()) > options.max_tags) tags.resize(static_cast<size_t>(options.max_tags));
  std::unordered_map<std::string, int> tag_index;
  for (const auto& [t, c] : tags) {
    tag_index[t] = static_cast<int>(names.size());
    names.push_back(t);
  }
  const size_t dim = names.size();
  std::vector<std::vector<double>> x(static_cast<size_t>(n), std::vector<double>(dim, 0));
  for (int i = 0; i < n; ++i) {
    auto& row = x[static_cast<size_t>(i)];
    const NodeInfo& info = fabric.node(i);
    if (info.kind) row[static_cast<size_t>(*info.kind)] = 1;
    row[static_cast<size_t>(domain::kActorKindCount) + static_cast<size_t>(roles[static_cast<size_t>(i)])] = 1;
    for (const auto& t : info.themes)
      if (auto it = tag_index.find("theme:" + t); it != tag_index.end()) row[static_cast<size_t>(it->second)] = 1;
    for (const auto& c : info.capabilities)
      if (auto it = tag_index.find("capability:" + c); it != tag_index.end()) row[static_cast<size_t>(it->second)] = 1;
  }
  auto dist2 = [&](const std::vector<double>& p, const std::vector<double>& q) {
    double s = 0;
    for (size_t d = 0; d < dim; ++d) s += (p[d] - q[d]) * (p[d] - q[d]);
    return s;
  };
  const int k = std::min(options.groups, n);
  Rng rng(options.seed);
  double best_cost = std::numeric_limits<double>::infinity();
  std::vector<int> best;
  for (int r = 0; r < options.restarts; ++r) {
    // k-means++ starts.
    std::vector<std::vector<double>> centres;
    centres.push_back(x[static_cast<size_t>(rng.Uniform(0, n - 1))]);
    std::vector<double> d2(static_cast<size_t>(n), std::numeric_limits<double>::infinity());
    while (static_cast<int>(centres.size()) < k) {
      double total = 0;
      for (int i = 0; i < n; ++i) {
        d2[static_cast<size_t>(i)] =
            std::min(d2[static_cast<size_t>(i)], dist2(x[static_cast<size_t>(i)], centres.back()));
        total += d2[static_cast<size_t>(i)];
      }
      if (total <= 0) break;  // fewer distinct points than k
      centres.push_back(x[rng.Weighted(d2)]);
    }
    const int kk = static_cast<int>(centres.size());
    std::vector<int> assign(static_cast<size_t>(n), -1);
    double cost = 0;
    for (int it = 0; it < options.max_iterations; ++it) {
      bool changed = false;
      cost = 0;
      for (int i = 0; i < n; ++i) {
        int bc = 0;
        double bd = std::numeric_limits<double>::infinity();
        for (int c = 0; c < kk; ++c) {
          double d = dist2(x[static_cast<size_t>(i)], centres[static_cast<size_t>(c)]);
          if (d < bd) {
            bd = d;
            bc = c;
          }
        }
        cost += bd;
        if (assign[static_cast<size_t>(i)] != bc) {
          assign[static_cast<size_t>(i)] = bc;
          changed = true;
        }
      }
      if (!changed) break;
      std::vector<std::vector<double>> sum(static_cast<size_t>(kk), std::vector<double>(dim, 0));
      std::vector<int> cnt(static_cast<size_t>(kk), 0);
      for (int i = 0; i < n; ++i) {
        ++cnt[static_cast<size_t>(assign[static_cast<size_t>(i)])];
        for (size_t d = 0; d < dim; ++d)
          sum[static_cast<size_t>(assign[static_cast<size_t>(i)])][d] += x[static_cast<size_t>(i)][d];
      }
      for (int c = 0; c < kk; ++c)
        if (cnt[static_cast<size_t>(c)] > 0)
          for (size_t d = 0; d < dim; ++d)
            centres[static_cast<size_t>(c)][d] = sum[static_cast<size_t>(c)][d] / cnt[static_cast<size_t>(c)];
    }
    if (cost < best_cost - 1e-12) {
      best_cost = cost;
      best = assign;
    }
  }
  // Renumber groups by decreasing size.
  int kk = 0;
  for (int g : best) kk = std::max(kk, g + 1);
  std::vector<int> size(static_cast<size_t>(kk), 0);
  for (int g : best) ++size[static_cast<size_t>(g)];
  std::vector<int> order;
  for (int g = 0; g < kk; ++g)
    if (size[static_cast<size_t>(g)] > 0) order.push_back(g);
  std::stable_sort(order.begin(), order.end(),
                   [&](int p, int q) { return size[static_cast<size_t>(p)] > size[static_cast<size_t>(q)]; });
  std::vector<int> rank(static_cast<size_t>(kk), 0);
  for (size_t r = 0; r < order.size(); ++r) rank[static_cast<size_t>(order[r])] = static_cast<int>(r);
  ty.group.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    ty.group[static_cast<size_t>(i)] = rank[static_cast<size_t>(best[static_cast<size_t>(i)])];
    ty.actors.push_back(fabric.ExternalId(i));
  }
  // Names: features with the highest lift (share in group / share overall), present in >= 50%.
  std::vector<double> overall(dim, 0);
  for (int i = 0; i < n; ++i)
    for (size_t d = 0; d < dim; ++d) overall[d] += x[static_cast<size_t>(i)][d];
  ty.groups.resize(order.size());
  for (size_t g = 0; g < order.size(); ++g) {
    TypeGroup& tg = ty.groups[g];
    tg.id = static_cast<int>(g);
    std::vector<double> in(dim, 0);
    for (int i = 0; i < n; ++i)
      if (ty.group[static_cast<size_t>(i)] == static_cast<int>(g)) {
        ++tg.size;
        for (size_t d = 0; d < dim; ++d) in[d] += x[static_cast<size_t>(i)][d];
      }
    std::vector<std::pair<double, size_t>> lift;
    for (size_t d = 0; d < dim; ++d) {
      double share = in[d] / tg.size;
      if (share < 0.5 || overall[d] == 0) continue;
      lift.emplace_back(share / (overall[d] / n) + share * 1e-6, d);
    }
    std::sort(lift.begin(), lift.end(), [](const auto& p, const auto& q) {
      return p.first != q.first ? p.first > q.first : p.second < q.second;
    });
    for (size_t j = 0; j < lift.size() && j < 3; ++j) tg.features.push_back(names[lift[j].second]);
    tg.name = tg.features.empty() ? "mixed" : Join(tg.features, " + ");
  }
  return ty;
}

TypologyStability CompareTypologies(const Typology& a, const Typology& b) {
  std::unordered_map<int64_t, int> in_b;
  for (size_t i = 0; i < b.actors.size(); ++i) in_b[b.actors[i]] = b.group[i];
  std::vector<int> la, lb;
  for (size_t i = 0; i < a.actors.size(); ++i)
    if (auto it = in_b.find(a.actors[i]); it != in_b.end()) {
      la.push_back(a.group[i]);
      lb.push_back(it->second);
    }
  TypologyStability s;
  s.common_actors = static_cast<int>(la.size());
  s.ari = AdjustedRandIndex(la, lb);
  s.nmi = NormalizedMutualInformation(la, lb);
  return s;
}

}  // namespace weefsel::fabric
