// The Method of Equal Shares, exactly as pabutools computes it, but fast.
//
// Voters with the same ballot are merged. Voters are further grouped into budget classes: all
// voters in a class hold the same budget. Paying for a project splits the classes of its
// supporters, so the number of classes stays far below the number of voters. For each project the
// price rho (money per unit of utility) is found by the poor/rich fixpoint over the
// (class, utility) groups of its supporters.
//
// Exactness without paying for it: every class keeps a double with a rigorous error bound, and a
// recipe for its exact value (parent class minus the exact price of a selection times a utility,
// floored at zero). Each decision of the rule (is a project affordable, which project has the
// lowest rho) is taken in doubles when the error intervals separate the alternatives; otherwise
// the exact GMP rationals of the classes involved are materialised from their recipes and decide.
// Exact ties (common: projects with equal vote counts tie in the first round) therefore cost
// exact work only for the few classes they touch. Projects are re-evaluated lazily, in the order
// of their last known lower bound on rho, as pabutools does: rho never falls while budgets shrink.
#include <gmpxx.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>

#include "fund/prepared.h"

namespace weefsel::fund::internal {

Prepared Prepared::Build(const Instance& in, const RuleOptions& options) {
  Prepared P;
  P.in = &in;
  P.num_projects = static_cast<int>(in.projects.size());
  P.num_voters = static_cast<int64_t>(in.voters.size());
  P.support.resize(P.num_projects);
  P.total_util.assign(P.num_projects, 0);
  P.supporters.assign(P.num_projects, 0);
  std::unordered_map<std::string, int> seen;
  std::string key;
  std::vector<std::vector<std::pair<int, int64_t>>> ballots;
  for (const auto& v : in.voters) {
    std::vector<int64_t> u = Utilities(in, v);
    std::vector<std::pair<int, int64_t>> b;
    for (size_t k = 0; k < v.ballot.size(); ++k)
      if (u[k] > 0) b.emplace_back(v.ballot[k].project, u[k]);
    std::sort(b.begin(), b.end());
    key.clear();
    for (auto& [p, x] : b) {
      key.append(reinterpret_cast<const char*>(&p), sizeof p);
      key.append(reinterpret_cast<const char*>(&x), sizeof x);
    }
    auto [it, fresh] = seen.emplace(key, static_cast<int>(ballots.size()));
    if (fresh) {
      ballots.push_back(std::move(b));
      P.mult.push_back(0);
    }
    ++P.mult[it->second];
  }
  P.support_util.resize(P.num_projects);
  P.uniform_util.assign(P.num_projects, -1);
  for (size_t j = 0; j < ballots.size(); ++j)
    for (auto& [p, x] : ballots[j]) {
      P.support[p].push_back({static_cast<int>(j), static_cast<int>(P.mult[j])});
      P.support_util[p].push_back(x);
      P.total_util[p] += P.mult[j] * x;
      P.supporters[p] += P.mult[j];
      int64_t& u = P.uniform_util[p];
      u = u == -1 ? x : (u == x ? u : 0);
    }
  for (auto& u : P.uniform_util) u = std::max<int64_t>(u, 0);
  std::vector<int> order(P.num_projects);
  for (int i = 0; i < P.num_projects; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) { return in.projects[a].id < in.projects[b].id; });
  P.rank.assign(P.num_projects, 0);
  for (int i = 0; i < P.num_projects; ++i) P.rank[order[i]] = i;

  auto groups = [&](bool on, const std::vector<GroupCap>& caps, bool by_category, std::vector<int>& group,
                    std::vector<int64_t>& cap) {
    group.assign(P.num_projects, -1);
    if (!on) return;
    for (const auto& c : caps) cap.push_back(c.cap);
    for (int p = 0; p < P.num_projects; ++p) {
      const std::string& g = by_category ? in.projects[p].category : in.projects[p].neighbourhood;
      for (size_t i = 0; i < caps.size(); ++i)
        if (caps[i].group == g) group[p] = static_cast<int>(i);
    }
  };
  groups(options.category_caps, in.category_caps, true, P.cat_group, P.cat_cap);
  groups(options.neighbourhood_caps, in.neighbourhood_caps, false, P.nb_group, P.nb_cap);
  return P;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEps = 1.0 / (1LL << 50);  // generous unit round-off

struct Group {
  int cls = 0;
  int64_t util = 0;
  int64_t weight = 0;
  int next = -1;  // chain of groups with the same class (Gather only)
};

struct Cls {
  double d = 0;     // budget of one voter, in scale units
  double e = 0;     // bound on |d - exact|
  int parent = -1;  // recipe: exact = max(0, exact(parent) - rho(sel) * util)
  int sel = -1;
  int64_t util = 0;
  bool has_exact = false;
};

struct Sel {
  int project = 0;
  std::vector<Group> groups;  // supporters' groups when it was bought
  bool has_rho = false;
  mpq_class rho;
};

struct Estimate {
  double rho = 0, err = 0;
};

class Mes {
 public:
  Mes(const Prepared& P, int64_t increments, bool record) : P_(P), record_(record) {
    const Instance& in = *P.in;
    mpz_class num = mpz_class(static_cast<long>(in.budget)) + mpz_class(static_cast<long>(increments)) *
                                                                  static_cast<long>(in.scale) *
                                                                  mpz_class(static_cast<long>(P.num_voters));
    mpq_class b0(num, mpz_class(static_cast<long>(std::max<int64_t>(P.num_voters, 1))));
    b0.canonicalize();
    cls_.resize(2);
    exact_.resize(2);
    cls_[0].has_exact = true;
    exact_[0] = std::make_unique<mpq_class>(0);
    cls_[1].d = b0.get_d();
    cls_[1].e = std::abs(cls_[1].d) * kEps;
    cls_[1].has_exact = true;
    exact_[1] = std::make_unique<mpq_class>(b0);
    ballot_cls_.assign(P.mult.size(), 1);
    mark_.assign(2, 0);
    head_.assign(2, -1);
  }

  MesResult Run() {
    const int n = P_.num_projects;
    MesResult r;
    if (record_) {
      r.rho.assign(n, -1);
      r.payments.assign(n, {});
      r.supporters_money.assign(n, -1);
      r.cap_blocked.assign(n, false);
    }
    CapRoom room(P_);
    std::vector<int> remaining;
    std::vector<double> lo(n, 0);
    for (int p = 0; p < n; ++p) {
      if (P_.total_util[p] <= 0) continue;
      if (P_.cost(p) == 0) {  // supported and free: funded up front, as pabutools does
        r.selected.push_back(p);
        room.Add(p);
        continue;
      }
      remaining.push_back(p);
      lo[p] = double(P_.cost(p)) / double(P_.total_util[p]) * (1 - 1e-12);
    }
    struct Cand {
      int p;
      Estimate est;
    };
    std::vector<Cand> cands;
    std::vector<int> keep;
    while (!remaining.empty()) {
      std::sort(remaining.begin(), remaining.end(),
                [&](int a, int b) { return lo[a] != lo[b] ? lo[a] < lo[b] : P_.rank[a] < P_.rank[b]; });
      cands.clear();
      keep.clear();
      double best_hi = kInf;
      size_t i = 0;
      for (; i < remaining.size(); ++i) {
        int p = remaining[i];
        if (lo[p] > best_hi) break;
        if (!room.Fits(p)) {
          if (record_) r.cap_blocked[p] = true;
          continue;  // dropped for good: a cap's room only shrinks
        }
        Gather(p);
        if (!Affordable(p)) {
          if (record_) r.supporters_money[p] = avail_d_ / double(P_.in->scale);
          continue;  // dropped for good: budgets only shrink
        }
        Estimate est = ApproxRho(p);
        lo[p] = std::max(lo[p], est.rho - est.err);
        cands.push_back({p, est});
        best_hi = std::min(best_hi, est.rho + est.err);
        keep.push_back(p);
      }
      for (; i < remaining.size(); ++i) keep.push_back(remaining[i]);
      remaining.swap(keep);
      if (cands.empty()) break;
      // Candidates that may be the exact minimum.
      std::vector<const Cand*> close;
      for (const Cand& c : cands)
        if (c.est.rho - c.est.err <= best_hi) close.push_back(&c);
      int winner = close[0]->p;
      Estimate west = close[0]->est;
      bool exact = false;
      mpq_class best;
      if (close.size() > 1) {
        exact = true;
        bool first = true;
        for (const Cand* c : close) {
          Gather(c->p);
          mpq_class x = ExactRho(P_.cost(c->p), groups_);
          if (first || x < best || (x == best && P_.rank[c->p] < P_.rank[winner])) {
            best = x;
            winner = c->p;
            first = false;
          }
        }
        west = {best.get_d(), std::abs(best.get_d()) * kEps};
      }
      Gather(winner);
      Pay(winner, west, exact ? &best : nullptr, record_ ? &r : nullptr);
      r.selected.push_back(winner);
      room.Add(winner);
      remaining.erase(std::find(remaining.begin(), remaining.end(), winner));
    }
    if (record_)
      for (int p : remaining) {  // only cap-blocked projects can remain
        Gather(p);
        r.supporters_money[p] = avail_d_ / double(P_.in->scale);
      }
    for (int p : r.selected) r.cost += P_.cost(p);
    return r;
  }

 private:
  // Collects the (class, utility) groups of p's supporters that still have money.
  void Gather(int p) {
    ++stamp_;
    groups_.clear();
    avail_d_ = 0;
    avail_e_ = 0;
    const auto& sup = P_.support[p];
    if (int64_t u = P_.uniform_util[p]; u > 0) {  // approval: one group per class
      for (const Support& s : sup) {
        int c = ballot_cls_[s.ballot];
        if (c == 0) continue;
        if (mark_[c] != stamp_) {
          mark_[c] = stamp_;
          head_[c] = static_cast<int>(groups_.size());
          groups_.push_back({c, u, 0, -1});
        }
        groups_[head_[c]].weight += s.mult;
      }
    } else {
      const auto& utils = P_.support_util[p];
      for (size_t k = 0; k < sup.size(); ++k) {
        int c = ballot_cls_[sup[k].ballot];
        if (c == 0) continue;
        if (mark_[c] != stamp_) {
          mark_[c] = stamp_;
          head_[c] = -1;
        }
        int g = head_[c];
        while (g >= 0 && groups_[g].util != utils[k]) g = groups_[g].next;
        if (g < 0) {
          g = static_cast<int>(groups_.size());
          groups_.push_back({c, utils[k], 0, head_[c]});
          head_[c] = g;
        }
        groups_[g].weight += sup[k].mult;
      }
    }
    for (const Group& g : groups_) {
      avail_d_ += double(g.weight) * cls_[g.cls].d;
      avail_e_ += double(g.weight) * cls_[g.cls].e;
    }
    avail_e_ += 4 * kEps * avail_d_ * (1 + std::log2(1.0 + groups_.size()));
  }

  bool Affordable(int p) {
    double c = double(P_.cost(p));
    if (avail_d_ + avail_e_ < c) return false;
    if (avail_d_ - avail_e_ >= c) return true;
    mpq_class sum = 0;
    for (const Group& g : groups_) sum += Exact(g.cls) * static_cast<long>(g.weight);
    return sum >= mpq_class(static_cast<long>(P_.cost(p)));
  }

  // The poor/rich fixpoint in doubles, with a bound on its error.
  Estimate ApproxRho(int p) {
    poor_.assign(groups_.size(), 0);
    double num = double(P_.cost(p)), den = 0;
    for (const Group& g : groups_) den += double(g.weight) * double(g.util);
    double rho = kInf;
    while (true) {
      if (den <= 0) return {0, kInf};  // rounding left nobody rich: let the exact path decide
      rho = num / den;
      bool changed = false;
      for (size_t gi = 0; gi < groups_.size(); ++gi) {
        if (poor_[gi]) continue;
        const Group& g = groups_[gi];
        double b = cls_[g.cls].d;
        if (b < rho * double(g.util)) {  // poor at this rho: pays everything it has
          poor_[gi] = 1;
          changed = true;
          num -= double(g.weight) * b;
          den -= double(g.weight) * double(g.util);
        }
      }
      if (!changed) break;
    }
    // Error bound. Rho depends only on the budgets of poor groups (d rho / d b = -w / den), so
    // the budget errors of poor groups and of groups too close to the boundary to classify count,
    // damped by the utility of the groups that are rich with a margin (den_safe). The margin is
    // 1e-6 of rho, so the bound holds as long as it stays below that; otherwise the exact path
    // decides.
    double money_err = 0, poor_sum = 0, den_safe = 0;
    for (size_t gi = 0; gi < groups_.size(); ++gi) {
      const Group& g = groups_[gi];
      const Cls& k = cls_[g.cls];
      if (!poor_[gi] && k.d - k.e > rho * double(g.util) * (1 + 1e-6)) {
        den_safe += double(g.weight) * double(g.util);
      } else {
        money_err += double(g.weight) * k.e;
        if (poor_[gi]) poor_sum += double(g.weight) * k.d;
      }
    }
    money_err += kEps * (double(groups_.size()) + 8) * (double(P_.cost(p)) + poor_sum);
    if (den_safe <= 0) return {rho, kInf};
    double err = 1.25 * money_err / den_safe + 1e-13 * rho;
    if (err > 1e-6 * rho) return {rho, kInf};
    return {rho, err};
  }

  // The exact budget of a class, materialised from its recipe.
  const mpq_class& Exact(int c) {
    if (!cls_[c].has_exact) {
      const Cls& k = cls_[c];
      mpq_class v = Exact(k.parent) - SelRho(k.sel) * static_cast<long>(k.util);
      if (sgn(v) < 0) v = 0;
      exact_[c] = std::make_unique<mpq_class>(std::move(v));
      cls_[c].has_exact = true;
    }
    return *exact_[c];
  }

  const mpq_class& SelRho(int s) {
    if (!sels_[s].has_rho) {
      mpq_class x = ExactRho(P_.cost(sels_[s].project), sels_[s].groups);
      sels_[s].rho = std::move(x);
      sels_[s].has_rho = true;
    }
    return sels_[s].rho;
  }

  // The poor/rich fixpoint in exact arithmetic over `groups` (whose total budget covers `cost`).
  mpq_class ExactRho(int64_t cost, const std::vector<Group>& groups) {
    std::vector<char> poor(groups.size(), 0);
    mpq_class num(static_cast<long>(cost));
    mpz_class den = 0;
    for (const Group& g : groups) den += mpz_class(static_cast<long>(g.weight)) * static_cast<long>(g.util);
    while (true) {
      if (sgn(den) == 0) return mpq_class(0);  // cannot happen for an affordable project
      bool changed = false;
      mpq_class next_num = num;
      mpz_class next_den = den;
      // The doubles settle most groups; only the ones near the boundary need exact budgets.
      double rho_d = num.get_d() / den.get_d();
      for (size_t gi = 0; gi < groups.size(); ++gi) {
        if (poor[gi]) continue;
        const Group& g = groups[gi];
        const Cls& k = cls_[g.cls];
        double due = rho_d * double(g.util);
        if (k.d - k.e > due * (1 + 1e-12)) continue;  // certainly rich
        const mpq_class& b = Exact(g.cls);
        // b < rho * u  <=>  b * den < num * u
        if (b * den < num * static_cast<long>(g.util)) {
          poor[gi] = 1;
          changed = true;
          next_num -= b * static_cast<long>(g.weight);
          next_den -= mpz_class(static_cast<long>(g.weight)) * static_cast<long>(g.util);
        }
      }
      if (!changed) break;
      num = next_num;
      den = next_den;
    }
    mpq_class rho = num / mpq_class(den);
    rho.canonicalize();
    return rho;
  }

  // Supporters pay min(budget, rho * util); their classes split. Groups come from Gather(p).
  void Pay(int p, Estimate est, const mpq_class* exact_rho, MesResult* r) {
    int s = static_cast<int>(sels_.size());
    sels_.push_back({p, groups_, exact_rho != nullptr, exact_rho ? *exact_rho : mpq_class(0)});
    std::vector<int> new_cls(groups_.size());
    for (size_t gi = 0; gi < groups_.size(); ++gi) {
      const Group& g = groups_[gi];
      const Cls parent = cls_[g.cls];
      double due = est.rho * double(g.util);
      double due_err = est.err * double(g.util) + kEps * due;
      if (parent.d + parent.e < due - due_err) {  // certainly poor: pays everything
        new_cls[gi] = 0;
        if (r) r->payments[p].push_back({g.weight, parent.d / double(P_.in->scale), 0});
        continue;
      }
      Cls k;
      k.d = std::max(0.0, parent.d - due);
      k.e = parent.e + due_err + kEps * parent.d;
      k.parent = g.cls;
      k.sel = s;
      k.util = g.util;
      new_cls[gi] = static_cast<int>(cls_.size());
      if (r)
        r->payments[p].push_back(
            {g.weight, std::min(parent.d, due) / double(P_.in->scale), k.d / double(P_.in->scale)});
      cls_.push_back(k);
      exact_.emplace_back();
      mark_.push_back(0);
      head_.push_back(-1);
    }
    // Move each supporter to its group's new class (the group index is found through the chains
    // Gather(p) left; new classes are unmarked, so a moved ballot is never matched again).
    const auto& sup = P_.support[p];
    const auto& utils = P_.support_util[p];
    for (size_t k = 0; k < sup.size(); ++k) {
      int c = ballot_cls_[sup[k].ballot];
      if (c == 0 || mark_[c] != stamp_) continue;
      int g = head_[c];
      while (g >= 0 && groups_[g].util != utils[k]) g = groups_[g].next;
      ballot_cls_[sup[k].ballot] = new_cls[g];
    }
    if (r) {
      r->rho[p] = est.rho * (P_.in->vote_type == VoteType::kApproval ? 1.0 : 1.0 / double(P_.in->scale));
      // Merge groups that paid the same (to the cent) for a readable explanation.
      auto& pays = r->payments[p];
      std::sort(pays.begin(), pays.end(), [](const PaymentGroup& a, const PaymentGroup& b) {
        return a.paid != b.paid ? a.paid > b.paid : a.left > b.left;
      });
      std::vector<PaymentGroup> merged;
      for (const auto& x : pays) {
        if (!merged.empty() && std::abs(merged.back().paid - x.paid) < 0.005 &&
            std::abs(merged.back().left - x.left) < 0.005)
          merged.back().voters += x.voters;
        else
          merged.push_back(x);
      }
      pays.swap(merged);
    }
  }

  const Prepared& P_;
  bool record_;
  std::vector<Cls> cls_;
  std::vector<std::unique_ptr<mpq_class>> exact_;
  std::vector<Sel> sels_;
  std::vector<int> ballot_cls_;
  std::vector<int64_t> mark_;
  std::vector<int> head_;
  int64_t stamp_ = 0;
  std::vector<Group> groups_;
  std::vector<char> poor_;
  double avail_d_ = 0, avail_e_ = 0;
};

}  // namespace

MesResult RunMes(const Prepared& P, int64_t increments, bool record) {
  Mes m(P, increments, record);
  return m.Run();
}

}  // namespace weefsel::fund::internal
