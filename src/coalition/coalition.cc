#include "coalition/coalition.h"

#include <CbcHeuristic.hpp>
#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CglClique.hpp>
#include <CglGomory.hpp>
#include <CglKnapsackCover.hpp>
#include <CglProbing.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>

#include "fabric/fabric.h"

namespace weefsel::coalition {

using domain::Sector;

MatrixDistances::MatrixDistances(int n, std::vector<double> values) : n_(n) {
  rows_.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    rows_[static_cast<size_t>(i)].assign(values.begin() + static_cast<ptrdiff_t>(i) * n,
                                         values.begin() + static_cast<ptrdiff_t>(i + 1) * n);
}

FabricDistances::FabricDistances(const fabric::Fabric& fabric, std::vector<int> node_of_candidate)
    : fabric_(fabric), node_of_(std::move(node_of_candidate)) {}

const std::vector<double>& FabricDistances::Row(int i) const {
  auto it = cache_.find(i);
  if (it != cache_.end()) return it->second;
  std::vector<double> row(node_of_.size(), std::numeric_limits<double>::infinity());
  int src = node_of_[static_cast<size_t>(i)];
  if (src >= 0) {
    std::vector<double> all = fabric_.WeightedDistances(src);
    for (size_t j = 0; j < node_of_.size(); ++j)
      if (node_of_[j] >= 0) row[j] = all[static_cast<size_t>(node_of_[j])];
  }
  row[static_cast<size_t>(i)] = 0;
  return cache_.emplace(i, std::move(row)).first->second;
}

namespace {

double PairCost(const Rules& r, double d) { return std::isfinite(d) ? d : r.unreachable_distance; }

bool Holds(const Candidate& c, const std::string& cap) {
  return std::find(c.capabilities.begin(), c.capabilities.end(), cap) != c.capabilities.end();
}

// Per-problem indexes: holders of each need, members of each sector.
struct Index {
  std::vector<std::vector<int>> holders;  // by need
  std::vector<std::vector<char>> holds;   // [need][candidate]
  std::vector<int> need_order;            // rarest first
  std::map<Sector, std::vector<int>> by_sector;
};

Index MakeIndex(const std::vector<Candidate>& cands, const Rules& rules) {
  Index ix;
  const size_t n = cands.size();
  ix.holders.resize(rules.needs.size());
  ix.holds.assign(rules.needs.size(), std::vector<char>(n, 0));
  std::unordered_map<std::string, int> need_of;
  for (size_t k = 0; k < rules.needs.size(); ++k) need_of[rules.needs[k].capability] = static_cast<int>(k);
  for (size_t i = 0; i < n; ++i) {
    for (const auto& cap : cands[i].capabilities) {
      auto it = need_of.find(cap);
      if (it != need_of.end() && !ix.holds[static_cast<size_t>(it->second)][i]) {
        ix.holds[static_cast<size_t>(it->second)][i] = 1;
        ix.holders[static_cast<size_t>(it->second)].push_back(static_cast<int>(i));
      }
    }
    ix.by_sector[cands[i].sector].push_back(static_cast<int>(i));
  }
  ix.need_order.resize(rules.needs.size());
  std::iota(ix.need_order.begin(), ix.need_order.end(), 0);
  std::stable_sort(ix.need_order.begin(), ix.need_order.end(), [&](int a, int b) {
    return ix.holders[static_cast<size_t>(a)].size() < ix.holders[static_cast<size_t>(b)].size();
  });
  return ix;
}

std::string SectorName(Sector s) { return std::string(domain::SectorCode(s)); }

int MixTotal(const Rules& r) {
  int t = 0;
  for (auto [s, k] : r.mix) t += std::max(0, k);
  return t;
}

bool FeasibleIx(const Index& ix, const std::vector<Candidate>& cands, const Rules& rules,
                const std::vector<int>& members) {
  if (static_cast<int>(members.size()) > rules.max_size) return false;
  if (rules.lead && std::find(members.begin(), members.end(), *rules.lead) == members.end()) return false;
  for (size_t k = 0; k < rules.needs.size(); ++k) {
    bool ok = false;
    for (int m : members) ok = ok || ix.holds[k][static_cast<size_t>(m)];
    if (!ok) return false;
  }
  for (auto [s, need] : rules.mix) {
    int have = 0;
    for (int m : members) have += cands[static_cast<size_t>(m)].sector == s;
    if (have < need) return false;
  }
  return true;
}

}  // namespace

Status CheckRules(const std::vector<Candidate>& cands, const Rules& rules) {
  std::vector<std::string> problems;
  if (rules.max_size < 1)
    problems.push_back("the size limit must be at least 1, got " + std::to_string(rules.max_size));
  if (rules.lead && (*rules.lead < 0 || *rules.lead >= static_cast<int>(cands.size())))
    problems.push_back("the lead is not among the " + std::to_string(cands.size()) + " candidates");
  for (const auto& need : rules.needs)
    if (!(need.weight > 0)) problems.push_back("capability '" + need.capability + "': weight must be > 0");
  Index ix = MakeIndex(cands, rules);
  for (size_t k = 0; k < rules.needs.size(); ++k)
    if (ix.holders[k].empty())
      problems.push_back("capability '" + rules.needs[k].capability + "': none of the " + std::to_string(cands.size()) +
                         " candidates has it");
  for (auto [s, need] : rules.mix) {
    if (need < 0) problems.push_back("sector mix " + SectorName(s) + ": a minimum cannot be negative");
    int have = ix.by_sector.count(s) ? static_cast<int>(ix.by_sector.at(s).size()) : 0;
    if (have < need)
      problems.push_back("sector mix needs " + std::to_string(need) + " " + SectorName(s) + " member(s) but only " +
                         std::to_string(have) + " candidate(s) are " + SectorName(s) + " (" +
                         std::to_string(need - have) + " short)");
  }
  int mix_total = MixTotal(rules);
  if (rules.max_size >= 1 && mix_total > rules.max_size)
    problems.push_back("the sector mix needs at least " + std::to_string(mix_total) +
                       " members but the size limit is " + std::to_string(rules.max_size) + " (" +
                       std::to_string(mix_total - rules.max_size) + " too few)");
  if (problems.empty() && cands.empty()) problems.push_back("there are no candidates");
  if (problems.empty()) {
    // Everything is available in principle; can it be done within the size limit?
    std::optional<int> min_size = MinimumTeamSize(cands, rules);
    if (!min_size) {
      problems.push_back("no set of candidates covers every capability together with the sector mix and the lead");
    } else if (*min_size > rules.max_size) {
      problems.push_back("covering every capability with the sector mix needs at least " + std::to_string(*min_size) +
                         " members but the size limit is " + std::to_string(rules.max_size) + " (" +
                         std::to_string(*min_size - rules.max_size) + " too few)");
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "coalition cannot be formed: ";
  for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
  return Status::InvalidArgument(msg);
}

bool Feasible(const std::vector<Candidate>& cands, const Rules& rules, const std::vector<int>& members) {
  return FeasibleIx(MakeIndex(cands, rules), cands, rules, members);
}

Team Evaluate(const std::vector<Candidate>& cands, const Distances& d, const Rules& rules, std::vector<int> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  Team t;
  t.members = members;
  for (size_t a = 0; a < members.size(); ++a) {
    const auto& row = d.Row(members[a]);
    for (size_t b = a + 1; b < members.size(); ++b)
      t.communication += PairCost(rules, row[static_cast<size_t>(members[b])]);
    t.relevance += cands[static_cast<size_t>(members[a])].relevance;
  }
  t.objective = t.communication - rules.relevance_weight * t.relevance;
  // Members with no path to any other member: allowed only at the unreachable-pair cost, and named.
  if (members.size() > 1)
    for (int a : members) {
      const auto& row = d.Row(a);
      bool tied = false;
      for (int b : members) tied = tied || (b != a && std::isfinite(row[static_cast<size_t>(b)]));
      if (!tied) t.unconnected.push_back(a);
    }
  for (const auto& need : rules.needs) {
    // The covering member: the lead if it holds the capability, else the most relevant holder.
    int best = -1;
    for (int m : members) {
      if (!Holds(cands[static_cast<size_t>(m)], need.capability)) continue;
      if (best < 0 || (rules.lead && m == *rules.lead) ||
          (!(rules.lead && best == *rules.lead) &&
           cands[static_cast<size_t>(m)].relevance > cands[static_cast<size_t>(best)].relevance))
        best = m;
    }
    if (best >= 0) t.covers.push_back({need.capability, best});
  }
  return t;
}

// ---- Heuristic ---------------------------------------------------------------------------------

Result<std::vector<Team>> FormHeuristic(const std::vector<Candidate>& cands, const Distances& d, const Rules& rules,
                                        int n_best, const HeuristicOptions& options) {
  const int n = static_cast<int>(cands.size());
  if (d.size() != n)
    return Status::InvalidArgument("distances cover " + std::to_string(d.size()) + " candidates, expected " +
                                   std::to_string(n));
  Index ix = MakeIndex(cands, rules);
  // Quick necessary conditions (the full CheckRules runs only when nothing is found).
  bool hopeless = rules.max_size < 1 || MixTotal(rules) > rules.max_size || n == 0;
  for (const auto& h : ix.holders) hopeless = hopeless || h.empty();
  for (auto [s, need] : rules.mix)
    hopeless = hopeless || (ix.by_sector.count(s) ? static_cast<int>(ix.by_sector.at(s).size()) : 0) < need;
  if (hopeless) {
    Status s = CheckRules(cands, rules);
    return s.ok() ? Status::InvalidArgument("coalition cannot be formed") : s;
  }
  const double lambda = rules.relevance_weight;
  std::vector<char> in(static_cast<size_t>(n), 0);
  // Cost of adding j to team: distances to members minus lambda * relevance.
  auto add_cost = [&](const std::vector<int>& team, int j) {
    double c = -lambda * cands[static_cast<size_t>(j)].relevance;
    for (int m : team) c += PairCost(rules, d.Row(m)[static_cast<size_t>(j)]);
    return c;
  };
  auto covered_by = [&](const std::vector<int>& team, size_t k) {
    for (int m : team)
      if (ix.holds[k][static_cast<size_t>(m)]) return true;
    return false;
  };
  auto sector_count = [&](const std::vector<int>& team, Sector s) {
    int c = 0;
    for (int m : team) c += cands[static_cast<size_t>(m)].sector == s;
    return c;
  };
  auto objective = [&](const std::vector<int>& team) {
    double c = 0;
    for (size_t a = 0; a < team.size(); ++a) {
      c -= lambda * cands[static_cast<size_t>(team[a])].relevance;
      const auto& row = d.Row(team[a]);
      for (size_t b = a + 1; b < team.size(); ++b) c += PairCost(rules, row[static_cast<size_t>(team[b])]);
    }
    return c;
  };

  // Seeds: holders of the rarest need (most relevant first), or the lead, or the rarest sector.
  std::vector<int> seeds;
  if (rules.lead) {
    seeds.push_back(*rules.lead);
  } else if (!rules.needs.empty()) {
    seeds = ix.holders[static_cast<size_t>(ix.need_order[0])];
  } else if (!rules.mix.empty()) {
    const std::vector<int>* rarest = nullptr;
    for (auto [s, need] : rules.mix)
      if (need > 0 && (!rarest || ix.by_sector[s].size() < rarest->size())) rarest = &ix.by_sector[s];
    if (rarest) seeds = *rarest;
  }
  if (seeds.empty()) {
    // Nothing required: the most relevant single candidate.
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (cands[static_cast<size_t>(i)].relevance > cands[static_cast<size_t>(best)].relevance) best = i;
    seeds.push_back(best);
  }
  std::stable_sort(seeds.begin(), seeds.end(), [&](int a, int b) {
    return cands[static_cast<size_t>(a)].relevance > cands[static_cast<size_t>(b)].relevance;
  });
  // When the rarest need has many holders, keep the most relevant and the best-connected ones
  // (smallest distance sum to holders of the other needs is too costly to compute for all).
  if (static_cast<int>(seeds.size()) > options.max_seeds) seeds.resize(static_cast<size_t>(options.max_seeds));

  std::map<std::vector<int>, double> pool;
  std::vector<int> sectors_needed;
  for (int seed : seeds) {
    std::vector<int> team{seed};
    if (rules.lead && *rules.lead != seed) team.push_back(*rules.lead);
    // Cover needs, rarest first, each by the holder with the lowest added cost per newly covered need.
    for (int k : ix.need_order) {
      if (covered_by(team, static_cast<size_t>(k))) continue;
      int best = -1;
      double best_eff = std::numeric_limits<double>::infinity();
      for (int j : ix.holders[static_cast<size_t>(k)]) {
        if (std::find(team.begin(), team.end(), j) != team.end()) continue;
        int fresh = 0;
        for (size_t q = 0; q < rules.needs.size(); ++q)
          fresh += ix.holds[q][static_cast<size_t>(j)] && !covered_by(team, q);
        double eff = (add_cost(team, j) + 1e-9) / std::max(1, fresh);
        // Sector deficits count too: a holder that also fills a missing sector is preferred.
        auto mit = rules.mix.find(cands[static_cast<size_t>(j)].sector);
        if (mit != rules.mix.end() && sector_count(team, mit->first) < mit->second) eff *= 0.5;
        if (eff < best_eff) best_eff = eff, best = j;
      }
      if (best >= 0) team.push_back(best);
    }
    // Meet the sector mix, scarcest sector first.
    std::vector<std::pair<size_t, Sector>> order;
    for (auto [s, need] : rules.mix) order.push_back({ix.by_sector[s].size(), s});
    std::sort(order.begin(), order.end());
    for (auto [sz, s] : order) {
      while (sector_count(team, s) < rules.mix.at(s)) {
        int best = -1;
        double best_c = std::numeric_limits<double>::infinity();
        for (int j : ix.by_sector[s]) {
          if (std::find(team.begin(), team.end(), j) != team.end()) continue;
          double c = add_cost(team, j);
          if (c < best_c) best_c = c, best = j;
        }
        if (best < 0) break;
        team.push_back(best);
      }
    }
    // Drop members that are not needed, most expensive first, while feasible and improving.
    auto try_drops = [&](bool require_improvement) {
      bool changed = true;
      while (changed) {
        changed = false;
        std::vector<std::pair<double, size_t>> contrib;
        for (size_t a = 0; a < team.size(); ++a) {
          std::vector<int> rest = team;
          rest.erase(rest.begin() + static_cast<ptrdiff_t>(a));
          contrib.push_back({add_cost(rest, team[a]), a});
        }
        std::sort(contrib.rbegin(), contrib.rend());
        for (auto [c, a] : contrib) {
          if (rules.lead && team[a] == *rules.lead) continue;
          std::vector<int> rest = team;
          rest.erase(rest.begin() + static_cast<ptrdiff_t>(a));
          bool cover_ok = true;
          for (size_t k = 0; k < rules.needs.size() && cover_ok; ++k) cover_ok = covered_by(rest, k);
          bool mix_ok = true;
          for (auto [s, need] : rules.mix) mix_ok = mix_ok && sector_count(rest, s) >= need;
          if (!cover_ok || !mix_ok || (require_improvement && c <= 0)) continue;
          team = rest;
          changed = true;
          break;
        }
      }
    };
    try_drops(false);
    if (!FeasibleIx(ix, cands, rules, team)) continue;
    // Local search: best-improving swaps of one member (never the lead) with one non-member.
    double obj = objective(team);
    for (int pass = 0; pass < options.max_passes; ++pass) {
      double best_obj = obj;
      int best_a = -1, best_j = -1;
      for (size_t a = 0; a < team.size(); ++a) {
        if (rules.lead && team[a] == *rules.lead) continue;
        std::vector<int> rest = team;
        rest.erase(rest.begin() + static_cast<ptrdiff_t>(a));
        double rest_obj = obj - add_cost(rest, team[a]);
        // What the replacement must bring: needs only team[a] covers, and its sector if required.
        std::vector<size_t> must;
        for (size_t k = 0; k < rules.needs.size(); ++k)
          if (!covered_by(rest, k)) must.push_back(k);
        Sector sa = cands[static_cast<size_t>(team[a])].sector;
        bool must_sector = rules.mix.count(sa) && sector_count(rest, sa) < rules.mix.at(sa);
        const std::vector<int>& pool_j = !must.empty() ? ix.holders[must[0]] : must_sector ? ix.by_sector[sa] : seeds;
        for (int j : pool_j) {
          if (std::find(team.begin(), team.end(), j) != team.end()) continue;
          bool ok = true;
          for (size_t k : must) ok = ok && ix.holds[k][static_cast<size_t>(j)];
          if (must_sector) ok = ok && cands[static_cast<size_t>(j)].sector == sa;
          if (!ok) continue;
          double o = rest_obj + add_cost(rest, j);
          if (o < best_obj - 1e-12) best_obj = o, best_a = static_cast<int>(a), best_j = j;
        }
      }
      if (best_a < 0) break;
      team[static_cast<size_t>(best_a)] = best_j;
      obj = best_obj;
      try_drops(true);
      obj = objective(team);
    }
    if (!FeasibleIx(ix, cands, rules, team)) continue;
    std::sort(team.begin(), team.end());
    pool.emplace(team, objective(team));
  }
  if (pool.empty()) {
    Status s = CheckRules(cands, rules);
    return s.ok() ? Status::InvalidArgument(
                        "coalition cannot be formed: the heuristic found no team within the size limit of " +
                        std::to_string(rules.max_size) + "; try the exact solver on fewer candidates")
                  : s;
  }
  std::vector<std::pair<double, std::vector<int>>> ranked;
  for (auto& [team, obj] : pool) ranked.push_back({obj, team});
  std::sort(ranked.begin(), ranked.end());
  std::vector<Team> out;
  for (size_t i = 0; i < ranked.size() && static_cast<int>(i) < std::max(1, n_best); ++i)
    out.push_back(Evaluate(cands, d, rules, ranked[i].second));
  return out;
}

// ---- Exact (CBC) -------------------------------------------------------------------------------

namespace {

std::mutex& CbcMutex() {
  static std::mutex m;
  return m;
}

struct IlpResult {
  std::vector<double> x;
  bool found = false, proven = false, infeasible = false;
  bool pruned = false;  // proven: nothing better than the cutoff
  double objective = 0, bound = 0;
};

double ObjectiveOf(const std::vector<double>& c, const std::vector<double>& x) {
  double v = 0;
  for (size_t i = 0; i < c.size() && i < x.size(); ++i) v += c[i] * x[i];
  return v;
}

// min c'x s.t. row_lb <= A x <= row_ub, col bounds, `integer` columns binary. `start` (optional)
// is a feasible solution given to CBC as its incumbent; `cutoff` prunes every node whose bound is
// not below it (pass +infinity for none).
IlpResult SolveIlp(const CoinPackedMatrix& a, const std::vector<double>& col_lb, const std::vector<double>& col_ub,
                   const std::vector<double>& obj, const std::vector<double>& row_lb, const std::vector<double>& row_ub,
                   const std::vector<int>& integer, double seconds, const std::vector<double>* start = nullptr,
                   double cutoff = std::numeric_limits<double>::infinity()) {
  std::lock_guard<std::mutex> lock(CbcMutex());
  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.loadProblem(a, col_lb.data(), col_ub.data(), obj.data(), row_lb.data(), row_ub.data());
  for (int i : integer) solver.setInteger(i);
  solver.initialSolve();
  IlpResult r;
  if (solver.isProvenPrimalInfeasible()) {
    r.infeasible = true;
    return r;
  }
  // The root relaxation already reaches the cutoff: no solution of this program can be better.
  if (std::isfinite(cutoff) && solver.isProvenOptimal() && solver.getObjValue() >= cutoff - 1e-9) {
    r.pruned = true;
    r.bound = solver.getObjValue();
    return r;
  }
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.setUseElapsedTime(true);  // the limit is wall-clock time, as callers expect
  model.setMaximumSeconds(std::max(0.05, seconds));
  // Cuts that pay off on covering rows and the linearised pairs; probing fixes x from the y rows.
  CglProbing probing;
  probing.setUsingObjective(1);
  probing.setMaxPass(3);
  probing.setMaxProbe(100);
  probing.setMaxLook(50);
  model.addCutGenerator(&probing, -1, "Probing");
  CglGomory gomory;
  model.addCutGenerator(&gomory, -98, "Gomory");
  CglKnapsackCover knapsack;
  model.addCutGenerator(&knapsack, -98, "KnapsackCover");
  CglClique clique;
  clique.setStarCliqueReport(false);
  clique.setRowCliqueReport(false);
  model.addCutGenerator(&clique, -98, "Clique");
  CbcRounding rounding(model);
  model.addHeuristic(&rounding);
  if (std::isfinite(cutoff)) model.setCutoff(cutoff);
  if (start) model.setBestSolution(start->data(), static_cast<int>(start->size()), ObjectiveOf(obj, *start), true);
  model.branchAndBound();
  r.infeasible = model.isProvenInfeasible();
  const double* best = model.bestSolution();
  if (best) {
    r.found = true;
    r.x.assign(best, best + a.getNumCols());
    r.objective = model.getObjValue();
  }
  r.bound = model.getBestPossibleObjValue();
  r.proven = r.found && model.isProvenOptimal();
  // Nothing below the cutoff exists: proven, but not a solution of this program.
  r.pruned = !r.found && model.isProvenInfeasible() && std::isfinite(cutoff);
  if (r.pruned) r.infeasible = false;
  return r;
}

struct ModelRows {
  std::vector<int> starts{0};
  std::vector<int> cols;
  std::vector<double> vals;
  std::vector<double> lb, ub;
  void Add(const std::vector<std::pair<int, double>>& terms, double lo, double hi) {
    for (auto [c, v] : terms) cols.push_back(c), vals.push_back(v);
    starts.push_back(static_cast<int>(cols.size()));
    lb.push_back(lo), ub.push_back(hi);
  }
  CoinPackedMatrix Matrix(int ncols) const {
    std::vector<int> lengths;
    for (size_t i = 0; i + 1 < starts.size(); ++i) lengths.push_back(starts[i + 1] - starts[i]);
    return CoinPackedMatrix(false, ncols, static_cast<int>(lb.size()), static_cast<CoinBigIndex>(vals.size()),
                            vals.data(), cols.data(), starts.data(), lengths.data());
  }
};

// Rows shared by both programs: coverage, mix, lead, size (on columns 0..n-1 = x).
void AddTeamRows(ModelRows& rows, const std::vector<Candidate>& cands, const Rules& rules, const Index& ix,
                 int max_size) {
  const double inf = COIN_DBL_MAX;
  const int n = static_cast<int>(cands.size());
  for (size_t k = 0; k < rules.needs.size(); ++k) {
    std::vector<std::pair<int, double>> t;
    for (int i : ix.holders[k]) t.push_back({i, 1.0});
    rows.Add(t, 1.0, inf);
  }
  for (auto [s, need] : rules.mix) {
    if (need <= 0) continue;
    std::vector<std::pair<int, double>> t;
    for (int i = 0; i < n; ++i)
      if (cands[static_cast<size_t>(i)].sector == s) t.push_back({i, 1.0});
    rows.Add(t, need, inf);
  }
  if (rules.lead) rows.Add({{*rules.lead, 1.0}}, 1.0, 1.0);
  if (max_size > 0) {
    std::vector<std::pair<int, double>> t;
    for (int i = 0; i < n; ++i) t.push_back({i, 1.0});
    rows.Add(t, 1.0, max_size);
  }
}

}  // namespace

std::optional<int> MinimumTeamSize(const std::vector<Candidate>& cands, const Rules& rules) {
  const int n = static_cast<int>(cands.size());
  if (n == 0) return std::nullopt;
  Index ix = MakeIndex(cands, rules);
  for (const auto& h : ix.holders)
    if (h.empty()) return std::nullopt;
  ModelRows rows;
  AddTeamRows(rows, cands, rules, ix, 0);
  if (rows.lb.empty()) return 1;
  std::vector<double> lb(static_cast<size_t>(n), 0.0), ub(static_cast<size_t>(n), 1.0),
      obj(static_cast<size_t>(n), 1.0);
  std::vector<int> integer(static_cast<size_t>(n));
  std::iota(integer.begin(), integer.end(), 0);
  IlpResult r = SolveIlp(rows.Matrix(n), lb, ub, obj, rows.lb, rows.ub, integer, 2.0);
  if (!r.found) return std::nullopt;
  int size = 0;
  for (double v : r.x) size += v > 0.5;
  return std::max(1, size);
}

Result<std::vector<Team>> FormExact(const std::vector<Candidate>& cands, const Distances& d, const Rules& rules,
                                    int n_best, const ExactOptions& options) {
  const int n = static_cast<int>(cands.size());
  if (n > options.max_candidates)
    return Status::InvalidArgument("the exact solver takes at most " + std::to_string(options.max_candidates) +
                                   " candidates, got " + std::to_string(n) + " (" +
                                   std::to_string(n - options.max_candidates) +
                                   " too many): narrow the candidates or use the heuristic");
  if (d.size() != n)
    return Status::InvalidArgument("distances cover " + std::to_string(d.size()) + " candidates, expected " +
                                   std::to_string(n));
  WEEFSEL_RETURN_IF_ERROR(CheckRules(cands, rules));
  Index ix = MakeIndex(cands, rules);
  // Columns: x_i (0..n-1), then y_ij for every pair i < j (y_ij = x_i x_j).
  std::vector<double> col_lb(static_cast<size_t>(n), 0.0), col_ub(static_cast<size_t>(n), 1.0),
      obj(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    obj[static_cast<size_t>(i)] = -rules.relevance_weight * cands[static_cast<size_t>(i)].relevance;
  std::vector<std::pair<int, int>> pairs;
  std::vector<std::vector<std::pair<int, double>>> y_of(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto& row = d.Row(i);
    for (int j = i + 1; j < n; ++j) {
      int col = static_cast<int>(col_lb.size());
      pairs.push_back({i, j});
      col_lb.push_back(0.0), col_ub.push_back(1.0), obj.push_back(PairCost(rules, row[static_cast<size_t>(j)]));
      y_of[static_cast<size_t>(i)].push_back({col, 1.0});
      y_of[static_cast<size_t>(j)].push_back({col, 1.0});
    }
  }
  const int ncols = static_cast<int>(col_lb.size());
  ModelRows base;
  AddTeamRows(base, cands, rules, ix, rules.max_size);
  // With the team size fixed at s (below), the rows sum_j y_ij = (s - 1) x_i alone force
  // y_ij = x_i x_j at every integer x: a non-member's row zeroes its pairs, and a member's row then
  // needs all s - 1 pairs with the other members at 1. The rows y_ij <= x_j tighten the relaxation.
  for (size_t p = 0; p < pairs.size(); ++p) {
    int y = n + static_cast<int>(p);
    base.Add({{y, 1.0}, {pairs[p].first, -1.0}}, -COIN_DBL_MAX, 0.0);
    base.Add({{y, 1.0}, {pairs[p].second, -1.0}}, -COIN_DBL_MAX, 0.0);
  }
  // Valid inequalities from the cover and the mix, multiplied by x_i (reformulation-linearisation):
  // a member that lacks need k has a partner in the team that holds it, and a member needs
  // (mix_S - [i in S]) partners of sector S. They are implied at integer points but cut off most
  // fractional ones.
  auto pair_col = [n](int i, int j) {
    if (i > j) std::swap(i, j);
    return n + i * n - i * (i + 1) / 2 + (j - i - 1);
  };
  for (size_t k = 0; k < rules.needs.size(); ++k)
    for (int i = 0; i < n; ++i) {
      if (ix.holds[k][static_cast<size_t>(i)]) continue;
      std::vector<std::pair<int, double>> t;
      for (int j : ix.holders[k]) t.push_back({pair_col(i, j), 1.0});
      t.push_back({i, -1.0});
      base.Add(t, 0.0, COIN_DBL_MAX);
    }
  for (auto [sector, need] : rules.mix) {
    if (need <= 0) continue;
    for (int i = 0; i < n; ++i) {
      double c = need - (cands[static_cast<size_t>(i)].sector == sector ? 1.0 : 0.0);
      if (c <= 0) continue;
      std::vector<std::pair<int, double>> t;
      for (int j = 0; j < n; ++j)
        if (j != i && cands[static_cast<size_t>(j)].sector == sector) t.push_back({pair_col(i, j), 1.0});
      t.push_back({i, -c});
      base.Add(t, 0.0, COIN_DBL_MAX);
    }
  }
  const int lower = std::max(1, MinimumTeamSize(cands, rules).value_or(1));
  const int upper = std::min(rules.max_size, n);
  std::vector<int> integer(static_cast<size_t>(n));
  std::iota(integer.begin(), integer.end(), 0);
  std::vector<std::vector<std::pair<int, double>>> no_goods;
  std::vector<Team> out;
  const auto start = std::chrono::steady_clock::now();
  auto left = [&] {
    return options.time_limit_seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // Warm start: the heuristic's best team is the first incumbent (round 0 only; later rounds
  // exclude earlier teams by no-good cuts).
  std::optional<Team> warm;
  if (options.warm_start) {
    auto h = FormHeuristic(cands, d, rules, 1);
    if (h.ok() && !h->empty()) warm = (*h)[0];
  }
  auto to_x = [&](const std::vector<int>& members) {
    std::vector<double> x(static_cast<size_t>(ncols), 0.0);
    for (size_t a = 0; a < members.size(); ++a) {
      x[static_cast<size_t>(members[a])] = 1.0;
      for (size_t b = a + 1; b < members.size(); ++b) x[static_cast<size_t>(pair_col(members[a], members[b]))] = 1.0;
    }
    return x;
  };
  for (int round = 0; round < std::max(1, n_best); ++round) {
    if (round > 0 && left() <= 0.05) break;
    // One program per team size s: with sum x = s fixed, sum_j y_ij = (s - 1) x_i is valid and
    // makes the relaxation tight (the reformulation-linearisation of the size constraint). Sizes
    // are solved with the best team so far as cutoff, the warm start's size first.
    std::optional<Team> best;
    if (round == 0 && warm) best = warm;
    double bound = std::numeric_limits<double>::infinity();
    bool all_proven = true, any_feasible = best.has_value();  // all_proven: no size timed out
    std::vector<int> sizes;
    if (best && static_cast<int>(best->members.size()) >= lower)
      sizes.push_back(static_cast<int>(best->members.size()));
    for (int sz = lower; sz <= upper; ++sz)
      if (std::find(sizes.begin(), sizes.end(), sz) == sizes.end()) sizes.push_back(sz);
    for (size_t si = 0; si < sizes.size(); ++si) {
      const int sz = sizes[si];
      ModelRows rows = base;
      std::vector<std::pair<int, double>> size_row;
      for (int i = 0; i < n; ++i) size_row.push_back({i, 1.0});
      rows.Add(size_row, sz, sz);
      for (int i = 0; i < n; ++i) {
        std::vector<std::pair<int, double>> t = y_of[static_cast<size_t>(i)];
        t.push_back({i, -(sz - 1.0)});
        rows.Add(t, 0.0, 0.0);
      }
      for (const auto& cut : no_goods) {
        double members = 0;
        for (auto [c, v] : cut) members += v > 0;
        rows.Add(cut, -COIN_DBL_MAX, members - 1);
      }
      double budget = std::max(0.05, left() / static_cast<double>(sizes.size() - si));
      const double cutoff = best ? best->objective - 1e-7 : std::numeric_limits<double>::infinity();
      std::vector<double> x0;
      if (best && static_cast<int>(best->members.size()) == sz) x0 = to_x(best->members);
      IlpResult r = SolveIlp(rows.Matrix(ncols), col_lb, col_ub, obj, rows.lb, rows.ub, integer, budget,
                             x0.empty() ? nullptr : &x0, x0.empty() ? cutoff : std::numeric_limits<double>::infinity());
      if (r.infeasible || r.pruned) continue;  // proven: nothing (better) of this size
      if (!r.found) {
        all_proven = false;
        bound = std::min(bound, r.bound);
        continue;
      }
      any_feasible = true;
      std::vector<int> members;
      for (int i = 0; i < n; ++i)
        if (r.x[static_cast<size_t>(i)] > 0.5) members.push_back(i);
      if (!FeasibleIx(ix, cands, rules, members)) return Status::Internal("CBC returned a team that breaks the rules");
      Team t = Evaluate(cands, d, rules, members);
      bound = std::min(bound, r.proven ? t.objective : r.bound);
      all_proven = all_proven && r.proven;
      if (!best || t.objective < best->objective - 1e-12) best = std::move(t);
    }
    if (!best) {
      if (round == 0) {
        if (all_proven && !any_feasible)
          return Status::InvalidArgument("coalition cannot be formed: the rules admit no team");
        return Status::Unavailable("the exact solver found no team within " +
                                   std::to_string(options.time_limit_seconds) + " s");
      }
      break;
    }
    // Proven when no size's lower bound lies below the best team (sizes solved to optimality
    // contribute their optimum; pruned and infeasible ones nothing).
    const double tol = 1e-9 * std::max(1.0, std::fabs(best->objective));
    best->proven_optimal = !(bound < best->objective - tol);
    double denom = std::max(1e-9, std::fabs(best->objective));
    // Unproven with no usable bound (CBC stopped before bounding): the gap is unknown (-1).
    best->gap = best->proven_optimal ? 0.0 : bound > -1e30 ? (best->objective - bound) / denom : -1.0;
    // No-good cut for the next round: sum_{i in T} x_i - sum_{i not in T} x_i <= |T| - 1.
    std::vector<std::pair<int, double>> cut;
    for (int i = 0; i < n; ++i)
      cut.push_back({i, std::find(best->members.begin(), best->members.end(), i) != best->members.end() ? 1.0 : -1.0});
    no_goods.push_back(std::move(cut));
    out.push_back(std::move(*best));
  }
  return out;
}

std::string Explain(const std::vector<Candidate>& cands, const Distances& d, const Rules& rules, const Team& team) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(3);
  os << team.members.size() << " members, communication cost " << team.communication
     << " (sum of pairwise distances), relevance " << team.relevance;
  if (team.gap >= 0) os << (team.proven_optimal ? ", proven optimal" : ", gap to bound " + std::to_string(team.gap));
  os << "\n";
  for (int m : team.members) {
    const Candidate& c = cands[static_cast<size_t>(m)];
    os << "  - " << (c.name.empty() ? "actor " + std::to_string(c.actor.value()) : c.name) << " ["
       << domain::SectorCode(c.sector) << "]";
    if (rules.lead && *rules.lead == m) os << " (lead)";
    if (std::find(team.unconnected.begin(), team.unconnected.end(), m) != team.unconnected.end())
      os << " (no known tie: introduction needed)";
    std::vector<std::string> cov;
    for (const auto& [cap, who] : team.covers)
      if (who == m) cov.push_back(cap);
    if (!cov.empty()) {
      os << " covers";
      for (const auto& c2 : cov) os << " " << c2;
    }
    os << "\n";
  }
  for (size_t a = 0; a < team.members.size(); ++a)
    for (size_t b = a + 1; b < team.members.size(); ++b) {
      double dist = d.Row(team.members[a])[static_cast<size_t>(team.members[b])];
      const auto& ca = cands[static_cast<size_t>(team.members[a])];
      const auto& cb = cands[static_cast<size_t>(team.members[b])];
      os << "  " << (ca.name.empty() ? std::to_string(ca.actor.value()) : ca.name) << " - "
         << (cb.name.empty() ? std::to_string(cb.actor.value()) : cb.name) << ": "
         << (std::isfinite(dist) ? "distance " + std::to_string(dist) : std::string("not connected")) << "\n";
    }
  return os.str();
}

}  // namespace weefsel::coalition
