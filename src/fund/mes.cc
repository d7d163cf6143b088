// The Method of Equal Shares, exactly as pabutools computes it, but fast.
//
// Voters with the same ballot are merged. Voters are further grouped into budget classes: all
// voters in a class hold the same exact budget (a GMP rational) and a double copy of it. Paying
// for a project splits the classes of its supporters, so the number of classes stays far below
// the number of voters. For each project the price rho (money per unit of utility) is found by
// water-filling over the (class, utility) groups of its supporters. Doubles rank candidates;
// whenever two candidates are within a safe error bound of each other, or a payment is made, the
// exact rationals decide. Projects are re-evaluated lazily, in the order of their last known rho,
// as pabutools does: rho never falls while budgets shrink.
#include <gmpxx.h>

#include <algorithm>
#include <cmath>
#include <limits>
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
  for (size_t j = 0; j < ballots.size(); ++j)
    for (auto& [p, x] : ballots[j]) {
      P.support[p].push_back({static_cast<int>(j), x});
      P.total_util[p] += P.mult[j] * x;
      P.supporters[p] += P.mult[j];
    }
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
constexpr double kRel = 1e-9;  // generous bound on the relative error of the double computations

struct Group {
  int cls = 0;
  int64_t util = 0;
  int64_t weight = 0;
  double key = 0;  // budget / util
  int next = -1;   // chain of groups with the same class
};

class Mes {
 public:
  Mes(const Prepared& P, int64_t increments, bool record) : P_(P), record_(record) {
    const Instance& in = *P.in;
    mpz_class num = mpz_class(static_cast<long>(in.budget)) +
                    mpz_class(static_cast<long>(increments)) * in.scale * mpz_class(static_cast<long>(P.num_voters));
    cls_b_.emplace_back(0);
    cls_b_.emplace_back(num, mpz_class(static_cast<long>(std::max<int64_t>(P.num_voters, 1))));
    cls_b_[1].canonicalize();
    cls_d_ = {0.0, cls_b_[1].get_d()};
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
      lo[p] = double(P_.cost(p)) / double(P_.total_util[p]) * (1 - kRel);
    }
    struct Cand {
      int p;
      double rho, err;
    };
    std::vector<Cand> cands;
    while (!remaining.empty()) {
      std::sort(remaining.begin(), remaining.end(), [&](int a, int b) {
        return lo[a] != lo[b] ? lo[a] < lo[b] : P_.rank[a] < P_.rank[b];
      });
      cands.clear();
      double best_hi = kInf;
      std::vector<int> keep;
      keep.reserve(remaining.size());
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
        double rho, err;
        ApproxRho(p, &rho, &err);
        lo[p] = std::max(lo[p], rho - err);
        cands.push_back({p, rho, err});
        best_hi = std::min(best_hi, rho + err);
        keep.push_back(p);
      }
      for (; i < remaining.size(); ++i) keep.push_back(remaining[i]);
      remaining.swap(keep);
      if (cands.empty()) break;
      // Candidates that may be the exact minimum.
      std::vector<int> close;
      for (const Cand& c : cands)
        if (c.rho - c.err <= best_hi) close.push_back(c.p);
      int winner = close[0];
      mpq_class best;
      if (close.size() == 1) {
        Gather(winner);
        best = ExactRho(winner);
      } else {
        bool first = true;
        for (int p : close) {
          Gather(p);
          mpq_class x = ExactRho(p);
          if (first || x < best || (x == best && P_.rank[p] < P_.rank[winner])) {
            best = x;
            winner = p;
            first = false;
          }
        }
        Gather(winner);
      }
      Pay(winner, best, record_ ? &r : nullptr);
      r.selected.push_back(winner);
      room.Add(winner);
      remaining.erase(std::find(remaining.begin(), remaining.end(), winner));
    }
    if (record_)
      for (int p : remaining) {  // never happens for uncapped runs; kept for safety
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
    sup_group_.clear();
    avail_d_ = 0;
    for (const Support& s : P_.support[p]) {
      int c = ballot_cls_[s.ballot];
      if (c == 0) {
        sup_group_.push_back(-1);
        continue;
      }
      if (mark_[c] != stamp_) {
        mark_[c] = stamp_;
        head_[c] = -1;
      }
      int g = head_[c];
      while (g >= 0 && groups_[g].util != s.util) g = groups_[g].next;
      if (g < 0) {
        g = static_cast<int>(groups_.size());
        groups_.push_back({c, s.util, 0, cls_d_[c] / double(s.util), head_[c]});
        head_[c] = g;
      }
      groups_[g].weight += P_.mult[s.ballot];
      sup_group_.push_back(g);
    }
    for (const Group& g : groups_) avail_d_ += double(g.weight) * cls_d_[g.cls];
  }

  bool Affordable(int p) {
    double c = double(P_.cost(p));
    if (avail_d_ < c * (1 - kRel)) return false;
    if (avail_d_ > c * (1 + kRel)) return true;
    mpq_class sum = 0;
    for (const Group& g : groups_) sum += cls_b_[g.cls] * g.weight;
    return sum >= mpq_class(static_cast<long>(P_.cost(p)));
  }

  void SortGroups() {
    order_.resize(groups_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);
    std::sort(order_.begin(), order_.end(), [&](int a, int b) { return groups_[a].key < groups_[b].key; });
  }

  void ApproxRho(int p, double* rho, double* err) {
    SortGroups();
    double num = double(P_.cost(p)), poor = 0, den = 0;
    for (const Group& g : groups_) den += double(g.weight) * double(g.util);
    double x = kInf;
    for (int gi : order_) {
      const Group& g = groups_[gi];
      x = num / den;
      if (x * double(g.util) <= cls_d_[g.cls]) break;
      num -= double(g.weight) * cls_d_[g.cls];
      poor += double(g.weight) * cls_d_[g.cls];
      den -= double(g.weight) * double(g.util);
      x = den > 0 ? num / den : kInf;
    }
    if (!(x < kInf)) {  // rounding left no rich group: let the exact check decide
      *rho = 0;
      *err = kInf;
      return;
    }
    *rho = x;
    *err = (double(P_.cost(p)) + poor) / std::max(den, 1.0) * kRel + std::abs(x) * kRel;
  }

  // Exact water-filling; the groups must come from Gather(p) and p must be affordable.
  mpq_class ExactRho(int p) {
    SortGroups();
    // Fix the order of groups whose double keys are too close to trust.
    for (size_t i = 1; i < order_.size(); ++i) {
      size_t j = i;
      while (j > 0) {
        const Group& a = groups_[order_[j - 1]];
        const Group& b = groups_[order_[j]];
        if (std::abs(a.key - b.key) > 1e-12 * std::max(std::abs(a.key), std::abs(b.key))) break;
        // b < a exactly?  b.budget / b.util < a.budget / a.util
        if (!(cls_b_[b.cls] * a.util < cls_b_[a.cls] * b.util)) break;
        std::swap(order_[j - 1], order_[j]);
        --j;
      }
    }
    mpq_class num(static_cast<long>(P_.cost(p)));
    mpz_class den = 0;
    for (const Group& g : groups_) den += mpz_class(static_cast<long>(g.weight)) * mpz_class(static_cast<long>(g.util));
    for (int gi : order_) {
      const Group& g = groups_[gi];
      mpz_class u(static_cast<long>(g.util));
      // rho * u <= b  <=>  num * u <= b * den
      if (num * u <= cls_b_[g.cls] * den) break;
      num -= cls_b_[g.cls] * mpz_class(static_cast<long>(g.weight));
      den -= mpz_class(static_cast<long>(g.weight)) * u;
    }
    mpq_class rho = num / mpq_class(den);
    rho.canonicalize();
    return rho;
  }

  // Supporters pay min(budget, rho * util); their classes split. Groups come from Gather(p).
  void Pay(int p, const mpq_class& rho, MesResult* r) {
    std::vector<int> new_cls(groups_.size());
    for (size_t gi = 0; gi < groups_.size(); ++gi) {
      const Group& g = groups_[gi];
      mpq_class due = rho * mpz_class(static_cast<long>(g.util));
      const mpq_class& b = cls_b_[g.cls];
      if (due >= b) {
        new_cls[gi] = 0;
        if (r) r->payments[p].push_back({g.weight, b.get_d() / double(P_.in->scale), 0});
      } else {
        mpq_class left = b - due;
        new_cls[gi] = static_cast<int>(cls_b_.size());
        cls_d_.push_back(left.get_d());
        if (r)
          r->payments[p].push_back({g.weight, due.get_d() / double(P_.in->scale),
                                    cls_d_.back() / double(P_.in->scale)});
        cls_b_.push_back(std::move(left));
        mark_.push_back(0);
        head_.push_back(-1);
      }
    }
    const auto& sup = P_.support[p];
    for (size_t k = 0; k < sup.size(); ++k)
      if (sup_group_[k] >= 0) ballot_cls_[sup[k].ballot] = new_cls[sup_group_[k]];
    if (r) {
      r->rho[p] = rho.get_d() * (P_.in->vote_type == VoteType::kApproval ? 1.0 : 1.0 / double(P_.in->scale));
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
  std::vector<mpq_class> cls_b_;
  std::vector<double> cls_d_;
  std::vector<int> ballot_cls_;
  std::vector<int64_t> mark_;
  std::vector<int> head_;
  int64_t stamp_ = 0;
  std::vector<Group> groups_;
  std::vector<int> sup_group_;
  std::vector<int> order_;
  double avail_d_ = 0;
};

}  // namespace

MesResult RunMes(const Prepared& P, int64_t increments, bool record) {
  Mes m(P, increments, record);
  return m.Run();
}

}  // namespace weefsel::fund::internal
