#include "eval/teams.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>
#include <unordered_map>

#include "base/csv.h"
#include "base/strings.h"
#include "coalition/coalition.h"
#include "fabric/fabric.h"

namespace weefsel::eval {
namespace {

using coalition::Candidate;
using coalition::FormExact;
using coalition::FormHeuristic;
using coalition::MatrixDistances;
using coalition::Rules;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Member {
  std::vector<int> nodes;  // LCC-local indices
};

double Diameter(const std::vector<std::vector<double>>& dist, const std::vector<int>& team) {
  double d = 0;
  for (int a : team)
    for (int b : team) d = std::max(d, dist[static_cast<size_t>(a)][static_cast<size_t>(b)]);
  return d;
}
double SumDistance(const std::vector<std::vector<double>>& dist, const std::vector<int>& team) {
  double s = 0;
  for (size_t a = 0; a < team.size(); ++a)
    for (size_t b = a + 1; b < team.size(); ++b) s += dist[static_cast<size_t>(team[a])][static_cast<size_t>(team[b])];
  return s;
}

void Add(TeamsMethodStats& s, const std::vector<std::vector<double>>& dist, const std::vector<int>& team) {
  s.diameter += Diameter(dist, team);
  s.sum_distance += SumDistance(dist, team);
  s.size += static_cast<double>(team.size());
  ++s.solved;
}
void Finish(TeamsMethodStats& s) {
  if (s.solved == 0) return;
  s.diameter /= s.solved, s.sum_distance /= s.solved, s.size /= s.solved;
}

}  // namespace

Result<TeamsReport> RunTeamsBenchmark(const std::string& data_dir, const TeamsOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  TeamsReport rep;
  WEEFSEL_ASSIGN_OR_RETURN(fabric::Fabric raw,
                           fabric::Fabric::FromEdgeFiles(data_dir + "/networks/h2020_nl_orgs.edges",
                                                         data_dir + "/networks/h2020_nl_orgs.nodes"));
  rep.nodes = raw.node_count();
  rep.edges = static_cast<int>(raw.edge_count());
  // Jaccard lengths: weight' = 1 / d so that the fabric's 1/weight path length is d.
  std::vector<double> projects(static_cast<size_t>(raw.node_count()), 1.0);
  for (int i = 0; i < raw.node_count(); ++i) {
    for (const auto& [col, val] : raw.node(i).attributes)
      if (col == "n_projects") {
        auto v = ParseDouble(val);
        if (!v || *v < 1)
          return Status::InvalidArgument("h2020_nl_orgs.nodes: node " + std::to_string(raw.ExternalId(i)) +
                                         ": n_projects '" + val + "' is not a positive number");
        projects[static_cast<size_t>(i)] = *v;
      }
  }
  fabric::Components comp = fabric::ConnectedComponents(raw);
  std::vector<int> local(static_cast<size_t>(raw.node_count()), -1), global;
  for (int i = 0; i < raw.node_count(); ++i)
    if (comp.membership[static_cast<size_t>(i)] == 0)
      local[static_cast<size_t>(i)] = static_cast<int>(global.size()), global.push_back(i);
  std::vector<fabric::NodeInfo> nodes;
  for (int g : global) nodes.push_back(raw.node(g));
  std::vector<fabric::Edge> edges;
  for (const fabric::Edge& e : raw.Edges()) {
    int u = local[static_cast<size_t>(e.u)], v = local[static_cast<size_t>(e.v)];
    if (u < 0 || v < 0) continue;
    double pu = projects[static_cast<size_t>(e.u)], pv = projects[static_cast<size_t>(e.v)];
    double d = 1.0 - e.weight / (pu + pv - e.weight);
    edges.push_back({u, v, 1.0 / std::max(d, 1e-9)});
  }
  WEEFSEL_ASSIGN_OR_RETURN(fabric::Fabric g, fabric::Fabric::FromEdges(nodes, edges, true));
  const int n = g.node_count();
  rep.lcc_nodes = n;
  rep.lcc_edges = static_cast<int>(g.edge_count());
  std::vector<std::vector<double>> dist(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) dist[static_cast<size_t>(i)] = g.WeightedDistances(i);

  // Skills.
  WEEFSEL_ASSIGN_OR_RETURN(CsvTable caps, CsvTable::Read(data_dir + "/teams/h2020_org_capabilities.csv",
                                                         {"org_pic", "org_type", "capabilities"}));
  std::vector<std::set<std::string>> skills(static_cast<size_t>(n));
  std::set<std::string> all_skills;
  for (const CsvRecord& r : caps.rows()) {
    auto pic = ParseInt(caps.Get(r, "org_pic"));
    if (!pic) return caps.Error(r, "org_pic", "not a number");
    auto idx = g.IndexOfExternal(*pic);
    if (!idx) continue;
    auto& s = skills[static_cast<size_t>(*idx)];
    s.insert("type:" + caps.Get(r, "org_type"));
    for (const std::string& part : Split(caps.Get(r, "capabilities"), ';', true)) {
      size_t colon = part.rfind(':');
      std::string name = part.substr(0, colon);
      auto count = colon == std::string::npos ? std::optional<int64_t>(1) : ParseInt(part.substr(colon + 1));
      if (!count) return caps.Error(r, "capabilities", "bad count in '" + part + "'");
      if (*count >= 1) s.insert(name);
    }
    all_skills.insert(s.begin(), s.end());
  }
  rep.skills = static_cast<int>(all_skills.size());

  WEEFSEL_ASSIGN_OR_RETURN(CsvTable tasks,
                           CsvTable::Read(data_dir + "/teams/h2020_nl_tasks.csv", {"task_id", "k", "skills"}));
  double gap_sum = 0;
  int gap_n = 0;
  for (const CsvRecord& r : tasks.rows()) {
    auto k = ParseInt(tasks.Get(r, "k"));
    if (!k || *k < 1) return tasks.Error(r, "k", "not a positive number");
    std::vector<std::string> need = Split(tasks.Get(r, "skills"), ';', true);
    if (static_cast<int64_t>(need.size()) != *k)
      return tasks.Error(r, "skills", "has " + std::to_string(need.size()) + " skills, k says " + std::to_string(*k));
    TeamsKStats& ks = rep.by_k[static_cast<int>(*k)];
    ++ks.tasks;
    std::vector<std::vector<int>> holders(need.size());
    for (int i = 0; i < n; ++i)
      for (size_t s = 0; s < need.size(); ++s)
        if (skills[static_cast<size_t>(i)].count(need[s])) holders[s].push_back(i);
    bool feasible = std::all_of(holders.begin(), holders.end(), [](const auto& h) { return !h.empty(); });
    if (!feasible) continue;
    // RarestFirst.
    size_t rare = 0;
    for (size_t s = 1; s < need.size(); ++s)
      if (holders[s].size() < holders[rare].size()) rare = s;
    double best_r = kInf;
    std::vector<int> rf;
    for (int i : holders[rare]) {
      double radius = 0;
      std::vector<int> team{i};
      for (size_t s = 0; s < need.size(); ++s) {
        if (s == rare) continue;
        int nearest = -1;
        for (int j : holders[s])
          if (nearest < 0 || dist[static_cast<size_t>(i)][static_cast<size_t>(j)] <
                                 dist[static_cast<size_t>(i)][static_cast<size_t>(nearest)])
            nearest = j;
        radius = std::max(radius, dist[static_cast<size_t>(i)][static_cast<size_t>(nearest)]);
        team.push_back(nearest);
      }
      if (radius < best_r) best_r = radius, rf = team;
    }
    std::sort(rf.begin(), rf.end());
    rf.erase(std::unique(rf.begin(), rf.end()), rf.end());
    Add(ks.rarest_first, dist, rf);
    // weefsel heuristic over every holder of a task skill.
    std::vector<int> cand_nodes;
    for (int i = 0; i < n; ++i)
      for (const auto& s : need)
        if (skills[static_cast<size_t>(i)].count(s)) {
          cand_nodes.push_back(i);
          break;
        }
    auto make = [&](const std::vector<int>& nodes_) {
      std::vector<Candidate> c;
      std::vector<double> m;
      for (int i : nodes_) {
        Candidate x;
        x.actor = ActorId(g.ExternalId(i));
        for (const auto& s : need)
          if (skills[static_cast<size_t>(i)].count(s)) x.capabilities.push_back(s);
        c.push_back(std::move(x));
        for (int j : nodes_) m.push_back(dist[static_cast<size_t>(i)][static_cast<size_t>(j)]);
      }
      return std::make_pair(c, MatrixDistances(static_cast<int>(nodes_.size()), m));
    };
    Rules rules;
    for (const auto& s : need) rules.needs.push_back({s, 1.0});
    rules.max_size = static_cast<int>(*k);
    auto [cands, md] = make(cand_nodes);
    auto h = FormHeuristic(cands, md, rules);
    if (!h.ok()) continue;
    std::vector<int> ht;
    for (int m : (*h)[0].members) ht.push_back(cand_nodes[static_cast<size_t>(m)]);
    Add(ks.heuristic, dist, ht);
    // Pool for the exact solver: the two teams, then per skill the holders nearest to the
    // heuristic team, round robin, up to pool_size.
    std::vector<int> pool = ht;
    for (int i : rf)
      if (std::find(pool.begin(), pool.end(), i) == pool.end()) pool.push_back(i);
    std::vector<std::vector<int>> ranked(need.size());
    for (size_t s = 0; s < need.size(); ++s) {
      ranked[s] = holders[s];
      std::vector<std::pair<double, int>> byd;
      for (int i : ranked[s]) {
        double sd = 0;
        for (int t : ht) sd += dist[static_cast<size_t>(i)][static_cast<size_t>(t)];
        byd.push_back({sd, i});
      }
      std::sort(byd.begin(), byd.end());
      for (size_t q = 0; q < byd.size(); ++q) ranked[s][q] = byd[q].second;
    }
    for (size_t round = 0; static_cast<int>(pool.size()) < options.pool_size; ++round) {
      bool added = false;
      for (size_t s = 0; s < need.size() && static_cast<int>(pool.size()) < options.pool_size; ++s) {
        if (round >= ranked[s].size()) continue;
        int i = ranked[s][round];
        added = true;
        if (std::find(pool.begin(), pool.end(), i) == pool.end()) pool.push_back(i);
      }
      if (!added) break;
    }
    auto [pc, pd] = make(pool);
    auto t0 = std::chrono::steady_clock::now();
    auto e =
        FormExact(pc, pd, rules, 1, {.time_limit_seconds = options.exact_seconds, .max_candidates = options.pool_size});
    ks.mean_exact_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto hp = FormHeuristic(pc, pd, rules);
    if (e.ok()) {
      std::vector<int> et;
      for (int m : (*e)[0].members) et.push_back(pool[static_cast<size_t>(m)]);
      Add(ks.exact, dist, et);
      ks.exact_proven += (*e)[0].proven_optimal;
      if (hp.ok()) {
        std::vector<int> hpt;
        for (int m : (*hp)[0].members) hpt.push_back(pool[static_cast<size_t>(m)]);
        Add(ks.heuristic_on_pool, dist, hpt);
        double opt = (*e)[0].objective;
        double gap = ((*hp)[0].objective - opt) / std::max(1e-9, std::fabs(opt));
        ks.mean_gap += gap, gap_sum += gap, ++gap_n;
      }
    }
  }
  // Totals.
  auto merge = [](TeamsMethodStats& to, const TeamsMethodStats& from) {
    to.diameter += from.diameter, to.sum_distance += from.sum_distance, to.size += from.size, to.solved += from.solved;
  };
  for (auto& [k, ks] : rep.by_k) {
    merge(rep.all.rarest_first, ks.rarest_first);
    merge(rep.all.heuristic, ks.heuristic);
    merge(rep.all.exact, ks.exact);
    merge(rep.all.heuristic_on_pool, ks.heuristic_on_pool);
    rep.all.tasks += ks.tasks;
    rep.all.exact_proven += ks.exact_proven;
    rep.all.mean_exact_seconds += ks.mean_exact_seconds;
    int with_gap = ks.heuristic_on_pool.solved;
    if (with_gap) ks.mean_gap /= with_gap;
    if (ks.exact.solved) ks.mean_exact_seconds /= ks.exact.solved;
    for (auto* s : {&ks.rarest_first, &ks.heuristic, &ks.exact, &ks.heuristic_on_pool}) Finish(*s);
  }
  rep.all.mean_gap = gap_n ? gap_sum / gap_n : 0;
  if (rep.all.exact.solved) rep.all.mean_exact_seconds /= rep.all.exact.solved;
  for (auto* s : {&rep.all.rarest_first, &rep.all.heuristic, &rep.all.exact, &rep.all.heuristic_on_pool}) Finish(*s);
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rep;
}

std::string FormatTeamsReport(const TeamsReport& r) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(3);
  os << "h2020_nl_orgs: " << r.nodes << " nodes, " << r.edges << " edges; largest component " << r.lcc_nodes
     << " nodes, " << r.lcc_edges << " edges, " << r.skills << " skills; Jaccard edge lengths\n";
  os << "| k | tasks | RarestFirst diam | RarestFirst cost | heuristic diam | heuristic cost | exact cost (pool) | "
        "heuristic cost (pool) | gap | proven | exact s |\n";
  os << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  auto row = [&](const std::string& k, const TeamsKStats& s) {
    os << "| " << k << " | " << s.tasks << " | " << s.rarest_first.diameter << " | " << s.rarest_first.sum_distance
       << " | " << s.heuristic.diameter << " | " << s.heuristic.sum_distance << " | " << s.exact.sum_distance << " | "
       << s.heuristic_on_pool.sum_distance << " | " << std::setprecision(1) << 100 * s.mean_gap << "% | "
       << s.exact_proven << "/" << s.exact.solved << " | " << std::setprecision(2) << s.mean_exact_seconds << " |\n"
       << std::setprecision(3);
  };
  for (const auto& [k, s] : r.by_k) row(std::to_string(k), s);
  row("all", r.all);
  os << "cost = sum of pairwise Jaccard distances between members; diam = largest pairwise distance; mean team size: "
        "RarestFirst "
     << r.all.rarest_first.size << ", heuristic " << r.all.heuristic.size << ", exact " << r.all.exact.size << "; "
     << std::setprecision(1) << r.seconds << " s\n";
  return os.str();
}

}  // namespace weefsel::eval
