#include "fund/rules.h"

#include <gmpxx.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <numeric>

#include "base/strings.h"
#include "fund/prepared.h"

namespace weefsel::fund {

using internal::CapRoom;
using internal::MesResult;
using internal::Prepared;

std::string_view RuleName(Rule r) {
  switch (r) {
    case Rule::kMes:
      return "mes";
    case Rule::kMesAdd1Greedy:
      return "mes_add1_greedy";
    case Rule::kMesAdd1UntilInfeasibleGreedy:
      return "mes_add1_until_infeasible_greedy";
    case Rule::kGreedy:
      return "greedy";
    case Rule::kPhragmen:
      return "phragmen";
    case Rule::kMaxWelfare:
      return "max_welfare";
  }
  return "mes";
}

Result<Rule> ParseRule(std::string_view s) {
  for (Rule r : kAllRules)
    if (RuleName(r) == Trim(s)) return r;
  return Status::InvalidArgument("unknown rule '" + std::string(s) +
                                 "' (expected mes, mes_add1_greedy, mes_add1_until_infeasible_greedy, greedy, "
                                 "phragmen or max_welfare)");
}

bool RuleApplies(Rule r, VoteType t) {
  if (r == Rule::kPhragmen || r == Rule::kMesAdd1UntilInfeasibleGreedy) return t == VoteType::kApproval;
  return true;
}

std::string_view VerdictCode(Verdict v) {
  switch (v) {
    case Verdict::kFundedMes:
      return "funded_equal_shares";
    case Verdict::kFundedCompletion:
      return "funded_completion";
    case Verdict::kFundedGreedy:
      return "funded_greedy";
    case Verdict::kFundedPhragmen:
      return "funded_phragmen";
    case Verdict::kFundedOptimal:
      return "funded_optimal";
    case Verdict::kDidNotFit:
      return "did_not_fit";
    case Verdict::kSupportersRanOut:
      return "supporters_money_ran_out";
    case Verdict::kNoSupport:
      return "no_support";
    case Verdict::kRuleStopped:
      return "rule_stopped";
    case Verdict::kCapExceeded:
      return "cap_exceeded";
  }
  return "rule_stopped";
}

std::vector<std::string> Outcome::SortedIds(const Instance& in) const {
  std::vector<std::string> ids;
  for (int p : selected) ids.push_back(in.projects[p].id);
  bool numeric = std::all_of(ids.begin(), ids.end(), [](const std::string& s) { return ParseInt(s).has_value(); });
  if (numeric)
    std::sort(ids.begin(), ids.end(),
              [](const std::string& a, const std::string& b) { return *ParseInt(a) < *ParseInt(b); });
  else
    std::sort(ids.begin(), ids.end());
  return ids;
}

namespace {

std::string Money(int64_t amount, int64_t scale) { return FormatMoney(amount, scale); }
std::string Money(double amount) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", amount);
  return buf;
}

bool IsCostSat(const Instance& in) { return in.vote_type == VoteType::kApproval; }

std::string UtilityWord(const Instance& in) {
  switch (in.vote_type) {
    case VoteType::kApproval:
      return "votes";
    case VoteType::kOrdinal:
      return "Borda points";
    default:
      return "points";
  }
}

// Votes (approval) or points behind a project, as shown in explanations.
std::string Support(const Prepared& P, int p) {
  const Instance& in = *P.in;
  if (IsCostSat(in)) return std::to_string(P.supporters[p]) + " votes";
  return std::to_string(P.total_util[p]) + " " + UtilityWord(in) + " from " + std::to_string(P.supporters[p]) +
         " voters";
}

struct Run {
  const Prepared& P;
  const RuleOptions& opt;
  Outcome out;
  std::vector<bool> chosen;
  CapRoom room;

  Run(const Prepared& p, const RuleOptions& o, Rule r) : P(p), opt(o), chosen(p.num_projects, false), room(p) {
    out.rule = r;
    const Instance& in = *P.in;
    out.explanations.resize(P.num_projects);
    for (int i = 0; i < P.num_projects; ++i) {
      Explanation& e = out.explanations[i];
      e.project_id = in.projects[i].id;
      e.cost = MoneyToDouble(in.projects[i].cost, in.scale);
      e.supporters = P.supporters[i];
      e.utility = IsCostSat(in) ? MoneyToDouble(P.total_util[i], in.scale) : double(P.total_util[i]);
    }
  }

  const Instance& in() const { return *P.in; }
  int64_t left() const { return in().budget - out.total_cost; }

  void Select(int p, Verdict v) {
    chosen[p] = true;
    out.selected.push_back(p);
    out.total_cost += P.cost(p);
    room.Add(p);
    Explanation& e = out.explanations[p];
    e.funded = true;
    e.verdict = v;
    e.step = static_cast<int>(out.selected.size());
  }

  // Greedy welfare over the projects not chosen yet: utility / cost, largest first, ties to the
  // smallest id; fund each that fits.
  void Greedy(Verdict funded_as) {
    std::vector<int> order;
    for (int p = 0; p < P.num_projects; ++p)
      if (!chosen[p]) order.push_back(p);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      // util_a / cost_a > util_b / cost_b, exactly; cost 0 counts as infinitely good.
      __int128 l = static_cast<__int128>(P.total_util[a]) * P.cost(b);
      __int128 r = static_cast<__int128>(P.total_util[b]) * P.cost(a);
      bool za = P.cost(a) == 0, zb = P.cost(b) == 0;
      if (za != zb) return za;
      if (!za && l != r) return l > r;
      return P.rank[a] < P.rank[b];
    });
    const int64_t scale = in().scale;
    for (int p : order) {
      Explanation& e = out.explanations[p];
      e.money_left = MoneyToDouble(left(), scale);
      std::string when = "when its turn came (" + Support(P, p) + ")";
      if (P.cost(p) > left()) {
        e.verdict = Verdict::kDidNotFit;
        e.reason = "did not fit: it costs " + Money(P.cost(p), scale) + " but only " + Money(left(), scale) +
                   " was left " + when;
        continue;
      }
      if (!room.Fits(p)) {
        e.verdict = Verdict::kCapExceeded;
        e.reason = "its category or neighbourhood cap had no room for " + Money(P.cost(p), scale) + " " + when;
        continue;
      }
      std::string before = Money(left(), scale);
      Select(p, funded_as);
      e.reason =
          std::string(funded_as == Verdict::kFundedCompletion ? "funded by the greedy completion: " : "funded: ") +
          Support(P, p) + ", cost " + Money(P.cost(p), scale) + ", " + before + " was left before it";
    }
  }

  // Copies an MES run into the outcome and explains it.
  void TakeMes(const MesResult& m) {
    const int64_t scale = in().scale;
    for (int p : m.selected) {
      Select(p, Verdict::kFundedMes);
      Explanation& e = out.explanations[p];
      e.rho = m.rho.empty() ? -1 : m.rho[p];
      if (!m.payments.empty()) e.payments = m.payments[p];
      std::string pays;
      int shown = 0;
      for (const auto& g : e.payments) {
        if (shown++ == 4) {
          pays += "; ...";
          break;
        }
        pays += (pays.empty() ? "" : "; ") + std::to_string(g.voters) + " paid " + Money(g.paid) + " each (" +
                Money(g.left) + " left)";
      }
      e.reason = "funded by equal shares: " + Support(P, p) + ", cost " + Money(P.cost(p), scale) +
                 (pays.empty() ? std::string(" (no payment needed)") : ": " + pays);
    }
    for (int p = 0; p < P.num_projects; ++p) {
      if (chosen[p]) continue;
      Explanation& e = out.explanations[p];
      if (P.total_util[p] <= 0) {
        e.verdict = Verdict::kNoSupport;
        e.reason = "nobody supported it, so equal shares did not consider it";
      } else if (!m.cap_blocked.empty() && m.cap_blocked[p]) {
        e.verdict = Verdict::kCapExceeded;
        e.reason = "its category or neighbourhood cap had no room left";
      } else {
        e.verdict = Verdict::kSupportersRanOut;
        e.supporters_money = m.supporters_money.empty() ? -1 : m.supporters_money[p];
        e.reason = "its supporters' money ran out: " + Support(P, p) + " together had " +
                   (e.supporters_money >= 0 ? Money(e.supporters_money) : std::string("too little")) +
                   " left for a cost of " + Money(P.cost(p), scale);
      }
    }
  }
};

// Projects MES may fund: supported, positive cost.
bool Exhaustive(const Prepared& P, const MesResult& m) {
  std::vector<bool> in_m(P.num_projects, false);
  for (int p : m.selected) in_m[p] = true;
  CapRoom room(P);
  for (int p : m.selected) room.Add(p);
  for (int p = 0; p < P.num_projects; ++p) {
    if (in_m[p] || P.total_util[p] <= 0 || P.cost(p) <= 0) continue;
    if (m.cost + P.cost(p) <= P.in->budget && room.Fits(p)) return false;
  }
  return true;
}

Outcome RunMesAdd1(const Prepared& P, const RuleOptions& opt, Rule rule) {
  const Instance& in = *P.in;
  bool stop_when_exhaustive = rule == Rule::kMesAdd1Greedy;
  // Total cost of everything MES could fund: if it fits, "raise until infeasible" never ends in
  // pabutools (it runs to its bound, where every supported project is funded); we go there directly.
  int64_t all_supported = 0;
  for (int p = 0; p < P.num_projects; ++p)
    if (P.total_util[p] > 0) all_supported += P.cost(p);
  int64_t k = 0;
  int64_t chosen_k = -1;  // -1: the empty allocation
  bool take_all = false;
  if (!stop_when_exhaustive && all_supported <= in.budget) {
    take_all = true;
  } else {
    while (true) {
      MesResult m = internal::RunMes(P, k, false);
      if (m.cost > in.budget) break;  // the previous outcome stands
      chosen_k = k;
      if (stop_when_exhaustive && Exhaustive(P, m)) break;
      // A voter budget above the cost of all supported projects funds them all; the next step
      // is then either infeasible or exhaustive, so the loop always ends.
      ++k;
    }
  }
  Run run(P, opt, rule);
  if (take_all) {
    for (int p = 0; p < P.num_projects; ++p)
      if (P.total_util[p] > 0) {
        run.Select(p, Verdict::kFundedMes);
        run.out.explanations[p].reason =
            "funded by equal shares: all supported projects together fit in the budget, so raising the voters' "
            "budgets funds every one of them (" +
            Support(P, p) + ")";
      }
    run.out.budget_increments = -1;
  } else if (chosen_k >= 0) {
    run.TakeMes(internal::RunMes(P, chosen_k, opt.explain));
    run.out.budget_increments = chosen_k;
  }
  if (!run.out.selected.empty() || chosen_k < 0) {
    // Reasons for projects MES left out are replaced by the completion's verdicts below when the
    // completion considers them; keep MES's reason in front.
  }
  std::vector<std::string> mes_reasons(P.num_projects);
  for (int p = 0; p < P.num_projects; ++p)
    if (!run.chosen[p]) mes_reasons[p] = run.out.explanations[p].reason;
  run.Greedy(Verdict::kFundedCompletion);
  for (int p = 0; p < P.num_projects; ++p) {
    Explanation& e = run.out.explanations[p];
    if (!mes_reasons[p].empty() && e.verdict != Verdict::kFundedMes)
      e.reason = "equal shares: " + mes_reasons[p] + "; then " + e.reason;
  }
  return std::move(run.out);
}

Outcome RunPhragmen(const Prepared& P, const RuleOptions& opt) {
  const Instance& in = *P.in;
  Run run(P, opt, Rule::kPhragmen);
  const int64_t scale = in.scale;
  std::vector<int> remaining;
  for (int p = 0; p < P.num_projects; ++p)
    if (P.cost(p) <= in.budget)
      remaining.push_back(p);
    else {
      auto& e = run.out.explanations[p];
      e.verdict = Verdict::kDidNotFit;
      e.reason = "costs " + Money(P.cost(p), scale) + ", more than the whole budget, so Phragmén never considers it";
    }
  // Load classes: every supporter of the project chosen at step t carries that step's load.
  std::vector<mpq_class> load = {mpq_class(0)};
  std::vector<double> load_d = {0.0};
  std::vector<int> ballot_load(P.mult.size(), 0);
  std::vector<int64_t> cnt;
  auto sum_loads = [&](int p, bool exact, mpq_class* s_exact) -> double {
    cnt.assign(load.size(), 0);
    for (const auto& s : P.support[p]) cnt[ballot_load[s.ballot]] += s.mult;
    double s = 0;
    if (exact) *s_exact = 0;
    for (size_t c = 1; c < cnt.size(); ++c)
      if (cnt[c]) {
        s += double(cnt[c]) * load_d[c];
        if (exact) *s_exact += load[c] * static_cast<long>(cnt[c]);
      }
    return s;
  };
  const double kInf = std::numeric_limits<double>::infinity();
  bool stopped = false;
  int stopped_at = -1;
  while (!remaining.empty()) {
    std::vector<std::pair<double, int>> approx;
    double best_hi = kInf;
    for (int p : remaining) {
      double l = kInf;
      if (P.supporters[p] > 0) {
        double s = sum_loads(p, false, nullptr);
        l = (s + double(P.cost(p))) / double(P.supporters[p]);
        best_hi = std::min(best_hi, l * (1 + 1e-9));
      }
      approx.emplace_back(l, p);
    }
    std::vector<int> tied;
    mpq_class best;
    if (best_hi == kInf) {
      for (auto& [l, p] : approx) tied.push_back(p);  // only unsupported projects left: all tie
    } else {
      bool first = true;
      for (auto& [l, p] : approx) {
        if (l == kInf || l * (1 - 1e-9) > best_hi) continue;
        mpq_class s;
        sum_loads(p, true, &s);
        mpq_class x = (s + mpq_class(static_cast<long>(P.cost(p)))) / mpq_class(static_cast<long>(P.supporters[p]));
        x.canonicalize();
        if (first || x < best) {
          best = x;
          tied = {p};
          first = false;
        } else if (x == best) {
          tied.push_back(p);
        }
      }
    }
    std::sort(tied.begin(), tied.end(), [&](int a, int b) { return P.rank[a] < P.rank[b]; });
    bool any_misfit = std::any_of(tied.begin(), tied.end(), [&](int p) { return P.cost(p) > run.left(); });
    if (any_misfit) {
      stopped = true;
      stopped_at = *std::find_if(tied.begin(), tied.end(), [&](int p) { return P.cost(p) > run.left(); });
      break;
    }
    int w = tied[0];
    std::string before = Money(run.left(), scale);
    run.Select(w, Verdict::kFundedPhragmen);
    auto& e = run.out.explanations[w];
    e.money_left = MoneyToDouble(run.left() + P.cost(w), scale);
    if (P.supporters[w] > 0) {
      e.load = best.get_d() / double(scale);
      e.reason = "funded: " + Support(P, w) + ", cost " + Money(P.cost(w), scale) + "; the new maximal load of its " +
                 "supporters would be " + Money(e.load) + ", the lowest of all; " + before + " was left before it";
      load.push_back(best);
      load_d.push_back(best.get_d());
      int c = static_cast<int>(load.size()) - 1;
      for (const auto& s : P.support[w]) ballot_load[s.ballot] = c;
    } else {
      e.reason = "funded at the end: nobody voted for it, but it and all other unsupported projects fitted (" + before +
                 " left)";
    }
    remaining.erase(std::find(remaining.begin(), remaining.end(), w));
  }
  for (int p : remaining) {
    auto& e = run.out.explanations[p];
    e.money_left = MoneyToDouble(run.left(), scale);
    if (stopped && p == stopped_at) {
      e.verdict = Verdict::kDidNotFit;
      e.reason = "Phragmén's next pick (" + Support(P, p) + ", cost " + Money(P.cost(p), scale) +
                 ") did not fit in the " + Money(run.left(), scale) + " left, so the rule stopped here";
    } else {
      e.verdict = Verdict::kRuleStopped;
      e.reason = "the rule stopped (its next pick did not fit) before reaching it (" + Support(P, p) + ")";
    }
  }
  return std::move(run.out);
}

// Exact 0/1 knapsack by depth-first branch and bound (bound: the fractional relaxation).
Outcome RunMaxWelfare(const Prepared& P, const RuleOptions& opt) {
  const Instance& in = *P.in;
  Run run(P, opt, Rule::kMaxWelfare);
  std::vector<int> items;
  for (int p = 0; p < P.num_projects; ++p)
    if (P.total_util[p] > 0 && P.cost(p) <= in.budget) items.push_back(p);
  // Free supported projects are always in.
  std::vector<int> free_items;
  items.erase(std::remove_if(items.begin(), items.end(),
                             [&](int p) {
                               if (P.cost(p) == 0) free_items.push_back(p);
                               return P.cost(p) == 0;
                             }),
              items.end());
  std::sort(items.begin(), items.end(), [&](int a, int b) {
    __int128 l = static_cast<__int128>(P.total_util[a]) * P.cost(b);
    __int128 r = static_cast<__int128>(P.total_util[b]) * P.cost(a);
    if (l != r) return l > r;
    return P.rank[a] < P.rank[b];
  });
  const size_t n = items.size();
  std::vector<int64_t> w(n), c(n);
  for (size_t i = 0; i < n; ++i) {
    w[i] = P.total_util[items[i]];
    c[i] = P.cost(items[i]);
  }
  CapRoom room(P);
  std::vector<char> take(n, 0), best_take(n, 0);
  __int128 best = -1;
  int64_t nodes = 0;
  // Upper bound from item i on with `cap` money: greedy by ratio, fractional last item (floored).
  auto bound = [&](size_t i, int64_t cap) -> __int128 {
    __int128 b = 0;
    for (; i < n; ++i) {
      if (c[i] <= cap) {
        cap -= c[i];
        b += w[i];
      } else {
        b += static_cast<__int128>(w[i]) * cap / c[i];
        break;
      }
    }
    return b;
  };
  std::function<void(size_t, int64_t, __int128)> dfs = [&](size_t i, int64_t cap, __int128 val) {
    ++nodes;
    if (val > best) {
      best = val;
      best_take = take;
    }
    if (i == n) return;
    if (val + bound(i, cap) <= best) return;
    if (c[i] <= cap && room.Fits(items[i])) {
      take[i] = 1;
      room.Add(items[i]);
      dfs(i + 1, cap - c[i], val + w[i]);
      take[i] = 0;
      // Undo the cap room by rebuilding (caps are rare; cheap enough).
      CapRoom fresh(P);
      for (size_t j = 0; j < i; ++j)
        if (take[j]) fresh.Add(items[j]);
      room = fresh;
    }
    dfs(i + 1, cap, val);
  };
  dfs(0, in.budget, 0);
  for (int p : free_items) run.Select(p, Verdict::kFundedOptimal);
  for (size_t i = 0; i < n; ++i)
    if (best_take[i]) run.Select(items[i], Verdict::kFundedOptimal);
  const int64_t scale = in.scale;
  std::string total = std::to_string(static_cast<long long>(best < 0 ? 0 : best));
  for (int p = 0; p < P.num_projects; ++p) {
    auto& e = run.out.explanations[p];
    if (e.funded) {
      e.reason = "part of the set with the highest total utility that fits the budget (" + Support(P, p) + ", cost " +
                 Money(P.cost(p), scale) + ")";
    } else if (P.total_util[p] <= 0) {
      e.verdict = Verdict::kNoSupport;
      e.reason = "nobody supported it, so it adds no welfare";
    } else if (P.cost(p) > in.budget) {
      e.verdict = Verdict::kDidNotFit;
      e.reason = "costs " + Money(P.cost(p), scale) + ", more than the whole budget";
    } else {
      e.verdict = Verdict::kRuleStopped;
      e.reason = "not in the welfare-maximal set: any set with it has less total utility (" + Support(P, p) + ")";
    }
  }
  return std::move(run.out);
}

}  // namespace

Result<Outcome> RunRule(const Instance& in, Rule rule, const RuleOptions& options) {
  if (!RuleApplies(rule, in.vote_type))
    return Status::InvalidArgument(std::string(RuleName(rule)) + " needs approval ballots; this instance has " +
                                   std::string(VoteTypeCode(in.vote_type)) + " ballots");
  Prepared P = Prepared::Build(in, options);
  switch (rule) {
    case Rule::kMes: {
      Run run(P, options, rule);
      run.TakeMes(internal::RunMes(P, 0, options.explain));
      return std::move(run.out);
    }
    case Rule::kMesAdd1Greedy:
    case Rule::kMesAdd1UntilInfeasibleGreedy:
      return RunMesAdd1(P, options, rule);
    case Rule::kGreedy: {
      Run run(P, options, rule);
      run.Greedy(Verdict::kFundedGreedy);
      return std::move(run.out);
    }
    case Rule::kPhragmen:
      return RunPhragmen(P, options);
    case Rule::kMaxWelfare:
      return RunMaxWelfare(P, options);
  }
  return Status::InvalidArgument("unknown rule");
}

}  // namespace weefsel::fund
