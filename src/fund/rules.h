// fund/rules.h: participatory-budgeting rules that turn an Instance's ballots into an allocation,
// with a per-project explanation of why each project was or was not funded.
//
// The rules reproduce pabutools 1.2.3 exactly (see ../shared/data/pabulib/README.md): every
// comparison is made on exact rationals (GMP), ties go to the smallest project id compared as a
// string, and the satisfaction follows the vote type (cost for approval, points for cumulative and
// scoring, Borda k-1-r for ordinal). Floating point is used only to skip work whose outcome is
// already certain; each decision that is close is re-checked exactly.
//
//   mes                               Method of Equal Shares, no completion.
//   mes_add1_greedy                   MES, raising every voter's budget by one currency unit until
//                                     the outcome is exhaustive (or the next one no longer fits),
//                                     then greedy completion.
//   mes_add1_until_infeasible_greedy  the same raising without the early stop: the last outcome that
//                                     fits, then greedy completion (approval only).
//   greedy                            utility per cost, largest first; skips what does not fit.
//   phragmen                          sequential Phragmén (approval only); stops at the first pick
//                                     that does not fit.
//   max_welfare                       the exact maximum of total utility under the budget.
//
// Options add the per-category and per-neighbourhood caps Dutch cities use (Amsterdam); they are off
// by default because the reference rules ignore them. Thread-safety: pure functions of their
// arguments; run them from any number of threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "fund/instance.h"

namespace weefsel::fund {

enum class Rule { kMes, kMesAdd1Greedy, kMesAdd1UntilInfeasibleGreedy, kGreedy, kPhragmen, kMaxWelfare };
inline constexpr Rule kAllRules[] = {Rule::kMes,    Rule::kMesAdd1Greedy, Rule::kMesAdd1UntilInfeasibleGreedy,
                                     Rule::kGreedy, Rule::kPhragmen,      Rule::kMaxWelfare};
std::string_view RuleName(Rule r);
// Accepts the names above; the error lists them.
Result<Rule> ParseRule(std::string_view s);
// Whether the rule is defined for the vote type (phragmen and the until-infeasible variant need
// approval ballots).
bool RuleApplies(Rule r, VoteType t);

struct RuleOptions {
  bool category_caps = false;       // respect Instance::category_caps
  bool neighbourhood_caps = false;  // respect Instance::neighbourhood_caps
  bool explain = true;              // fill Outcome::explanations
};

// Why a project ended where it did.
enum class Verdict {
  kFundedMes,         // chosen by equal shares: its supporters paid
  kFundedCompletion,  // added by the greedy completion after MES
  kFundedGreedy,      // greedy: it fitted when its turn came
  kFundedPhragmen,    // Phragmén: lowest new maximal load
  kFundedOptimal,     // part of the welfare-maximal set
  kDidNotFit,         // too expensive for the money left when considered
  kSupportersRanOut,  // MES: its supporters' remaining money could not cover it
  kNoSupport,         // nobody gave it positive utility (MES ignores such projects)
  kRuleStopped,       // Phragmén stopped before it, or MES/max_welfare left it out
  kCapExceeded,       // its category or neighbourhood cap had no room
};
std::string_view VerdictCode(Verdict v);

// MES payments for one funded project, grouped: `voters` supporters each paid `paid` and kept `left`.
struct PaymentGroup {
  int64_t voters = 0;
  double paid = 0;
  double left = 0;
};

struct Explanation {
  std::string project_id;
  bool funded = false;
  Verdict verdict = Verdict::kRuleStopped;
  int step = 0;                        // 1-based position in the selection order (0: not funded)
  double cost = 0;                     // currency units
  int64_t supporters = 0;              // voters giving positive utility
  double utility = 0;                  // total utility (Cost_Sat: in money, points, Borda points)
  double money_left = -1;              // money left in the budget when it was considered (-1: n/a)
  double rho = -1;                     // MES: price per unit of utility when funded (-1: n/a)
  double supporters_money = -1;        // MES: what its supporters still had (when rejected) (-1: n/a)
  double load = -1;                    // Phragmén: the new maximal load (-1: n/a)
  std::vector<PaymentGroup> payments;  // MES funded projects
  std::string reason;                  // one sentence in English with the numbers
};

struct Outcome {
  Rule rule = Rule::kMes;
  std::vector<int> selected;              // project indices in the order they were chosen
  int64_t total_cost = 0;                 // scale units
  int64_t budget_increments = 0;          // Add1 rules: how many currency units were added per voter
  std::vector<Explanation> explanations;  // one per project, in Instance::projects order

  // The selected ids sorted as pabutools' reference files sort them (numerically when all ids are
  // integers, otherwise as strings).
  std::vector<std::string> SortedIds(const Instance& in) const;
};

Result<Outcome> RunRule(const Instance& in, Rule rule, const RuleOptions& options = {});

}  // namespace weefsel::fund
