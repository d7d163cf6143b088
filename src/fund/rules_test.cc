// Each rule on small hand-made instances whose outcomes are derived by hand in the comments.
#include "fund/rules.h"

#include <gtest/gtest.h>

#include "fund/fund_test_kit.h"

namespace weefsel::fund {
namespace {

using testkit::Approval;
using testkit::Cumulative;
using Ids = std::vector<std::string>;

Ids Sel(const Instance& in, Rule r, RuleOptions o = {}) {
  auto out = RunRule(in, r, o);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->SortedIds(in) : Ids{"<error>"};
}

std::vector<std::string> Order(const Instance& in, Rule r) {
  auto out = RunRule(in, r);
  std::vector<std::string> ids;
  for (int p : out->selected) ids.push_back(in.projects[p].id);
  return ids;
}

// The README's example: ids 1, 10, 2, 9 with one vote each, cost 10, budget 30 -> 1, 10, 2.
TEST(Greedy, TiesGoToTheSmallestIdAsAString) {
  Instance in = Approval(30, {{"1", 10}, {"10", 10}, {"2", 10}, {"9", 10}}, {{"1", "10", "2", "9"}});
  EXPECT_EQ(Order(in, Rule::kGreedy), (Ids{"1", "10", "2"}));
}

// a (8, 3 votes) first, leaving 2; b (5, 2 votes) does not fit and is skipped; c (2, 1 vote) fits.
TEST(Greedy, SkipsWhatDoesNotFitAndExplains) {
  Instance in = Approval(10, {{"a", 8}, {"b", 5}, {"c", 2}}, {{"a", "b", "c"}, {"a", "b"}, {"a"}});
  auto out = RunRule(in, Rule::kGreedy);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->SortedIds(in), (Ids{"a", "c"}));
  const Explanation& b = out->explanations[1];
  EXPECT_FALSE(b.funded);
  EXPECT_EQ(b.verdict, Verdict::kDidNotFit);
  EXPECT_DOUBLE_EQ(b.money_left, 2);
  EXPECT_NE(b.reason.find("only 2 was left"), std::string::npos) << b.reason;
}

// Points per cost: b (1 point / 5) beats a (3 points / 30); a then no longer fits in 25.
TEST(Greedy, CumulativeUsesPointsPerCost) {
  Instance in = Cumulative(30, {{"a", 30}, {"b", 5}}, {{{"a", 3}, {"b", 1}}});
  EXPECT_EQ(Sel(in, Rule::kGreedy), (Ids{"b"}));
  EXPECT_EQ(Sel(in, Rule::kMaxWelfare), (Ids{"a"}));  // 3 points beat 1
}

// Six voters, budget 6 (1 each). Voters 1-4 approve "9" and "10" (cost 3 each), voters 5-6 approve
// c (cost 2). Round 1: rho(9) = rho(10) = 0.75/3 = 1/4 (tie: "10" < "9" as strings), rho(c) = 1/2.
// "10" is bought; voters 1-4 keep 0.25 each, 1 in all < 3, so "9" drops out; c follows.
TEST(Mes, EqualSharesWithStringTieBreak) {
  Instance in =
      Approval(6, {{"9", 3}, {"10", 3}, {"c", 2}}, {{"9", "10"}, {"9", "10"}, {"9", "10"}, {"9", "10"}, {"c"}, {"c"}});
  EXPECT_EQ(Order(in, Rule::kMes), (Ids{"10", "c"}));
  auto out = RunRule(in, Rule::kMes);
  const Explanation& ten = out->explanations[1];
  ASSERT_EQ(ten.payments.size(), 1u);
  EXPECT_EQ(ten.payments[0].voters, 4);
  EXPECT_DOUBLE_EQ(ten.payments[0].paid, 0.75);
  EXPECT_DOUBLE_EQ(ten.payments[0].left, 0.25);
  const Explanation& nine = out->explanations[0];
  EXPECT_EQ(nine.verdict, Verdict::kSupportersRanOut);
  EXPECT_DOUBLE_EQ(nine.supporters_money, 1.0);
  // Greedy by votes takes both 4-vote projects; max welfare too (24 > 16).
  EXPECT_EQ(Sel(in, Rule::kGreedy), (Ids{"9", "10"}));
  EXPECT_EQ(Sel(in, Rule::kMaxWelfare), (Ids{"9", "10"}));
  // Phragmén: loads 3/4, 3/4, 1 -> "10"; then "9" at 6/4 > 1 for c; c fits; "9" does not: stop.
  EXPECT_EQ(Order(in, Rule::kPhragmen), (Ids{"10", "c"}));
}

// Two voters, budget 10 (5 each): v1 approves a (6), v2 approves b (4). Plain MES cannot buy a
// (5 < 6). Add1: with 6 each, a and b tie at rho 1, both are bought: {a, b}, exhaustive.
TEST(Mes, Add1RaisesBudgetsUntilExhaustive) {
  Instance in = Approval(10, {{"a", 6}, {"b", 4}}, {{"a"}, {"b"}});
  EXPECT_EQ(Sel(in, Rule::kMes), (Ids{"b"}));
  auto out = RunRule(in, Rule::kMesAdd1Greedy);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->SortedIds(in), (Ids{"a", "b"}));
  EXPECT_EQ(out->budget_increments, 1);
}

// v1 approves a (6) and c (5), v2 approves b (4); budget 10.
// Add1 at 5 each: a unaffordable; b and c tie at rho 1 -> {b, c} (9), exhaustive (a needs 6 > 1).
// Until infeasible: at 6..10 each a is bought first (tie at rho 1, "a" < "c"), v1 has too little
// left for c: {a, b} (10). At 11 each v1 also buys c: 15 > 10, so {a, b} at +5 stands.
TEST(Mes, UntilInfeasibleCanDifferFromAdd1) {
  Instance in = Approval(10, {{"a", 6}, {"b", 4}, {"c", 5}}, {{"a", "c"}, {"b"}});
  EXPECT_EQ(Sel(in, Rule::kMesAdd1Greedy), (Ids{"b", "c"}));
  auto out = RunRule(in, Rule::kMesAdd1UntilInfeasibleGreedy);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->SortedIds(in), (Ids{"a", "b"}));
  EXPECT_EQ(out->budget_increments, 5);
}

// Everything supported fits (the Gdynia case): raising never becomes infeasible. The rule funds
// all supported projects, then greedy adds the unsupported one that fits.
TEST(Mes, UntilInfeasibleWhenEverythingFits) {
  Instance in = Approval(100, {{"a", 10}, {"b", 20}, {"c", 5}}, {{"a"}, {"b"}});
  EXPECT_EQ(Sel(in, Rule::kMesAdd1UntilInfeasibleGreedy), (Ids{"a", "b", "c"}));
  EXPECT_EQ(Sel(in, Rule::kMes), (Ids{"a", "b"}));  // MES ignores c: nobody supports it
}

// MES with points: v1 gives a 2 points, b 1; v2 gives b 3. Budget 8, 4 each. Round 1:
// rho(a) = 6/2 = 3 (v1 pays 6 > 4: unaffordable alone), rho(b) = 4/4 = 1 (v1 pays 1, v2 pays 3).
// a: v1 has 3 left < 6 -> out. {b}.
TEST(Mes, CumulativeAdditiveSatisfaction) {
  Instance in = Cumulative(8, {{"a", 6}, {"b", 4}}, {{{"a", 2}, {"b", 1}}, {{"b", 3}}});
  auto out = RunRule(in, Rule::kMes);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->SortedIds(in), (Ids{"b"}));
}

// Ordinal ballots use Borda k-1-r: the last choice gets 0 and does not support the project.
TEST(Mes, OrdinalUsesBorda) {
  Instance in = Approval(100, {{"x", 10}, {"y", 10}, {"z", 10}}, {{"x", "y", "z"}});
  in.vote_type = VoteType::kOrdinal;
  EXPECT_EQ(Utilities(in, in.voters[0]), (std::vector<int64_t>{2, 1, 0}));
  auto out = RunRule(in, Rule::kMes);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->SortedIds(in), (Ids{"x", "y"}));
  EXPECT_EQ(out->explanations[2].verdict, Verdict::kNoSupport);
}

// Phragmén: z (cost 1, all three voters) first, load 1/3 each. Then a (2, v1): (1/3+2)/1 = 7/3 and
// b (4, v2 v3): (2/3+4)/2 = 7/3 tie. b does not fit in the 3 left, so the rule stops, although a
// (first by id) would fit.
TEST(Phragmen, StopsWhenAnyTiedProjectDoesNotFit) {
  Instance in = Approval(4, {{"a", 2}, {"b", 4}, {"z", 1}}, {{"z", "a"}, {"z", "b"}, {"z", "b"}});
  auto out = RunRule(in, Rule::kPhragmen);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->SortedIds(in), (Ids{"z"}));
  EXPECT_EQ(out->explanations[1].verdict, Verdict::kDidNotFit);
  EXPECT_EQ(out->explanations[0].verdict, Verdict::kRuleStopped);
}

TEST(Phragmen, NeedsApprovalBallots) {
  Instance in = Cumulative(8, {{"a", 6}}, {{{"a", 2}}});
  auto out = RunRule(in, Rule::kPhragmen);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
}

// Knapsack: a (6, 5 votes: 30) alone beats neither b+c (5+5, 4 votes each: 20+20 = 40).
TEST(MaxWelfare, FindsTheExactOptimum) {
  Instance in = Approval(10, {{"a", 6}, {"b", 5}, {"c", 5}},
                         {{"a", "b", "c"}, {"a", "b", "c"}, {"a", "b", "c"}, {"a", "b", "c"}, {"a"}});
  EXPECT_EQ(Sel(in, Rule::kGreedy), (Ids{"a"}));
  EXPECT_EQ(Sel(in, Rule::kMaxWelfare), (Ids{"b", "c"}));
}

// Category caps: X may spend 30. Greedy funds a (X, 20), skips b (X would reach 40), funds c (Y).
TEST(Caps, CategoryCapsInGreedyAndMes) {
  Instance in = Approval(100, {{"a", 20}, {"b", 20}, {"c", 20}},
                         {{"a", "b", "c"}, {"a", "b", "c"}, {"a", "b", "c"}, {"a", "b"}, {"a", "b"}, {"a"}});
  in.projects[0].category = in.projects[1].category = "X";
  in.projects[2].category = "Y";
  in.category_caps = {{"X", 30}, {"Y", 100}};
  EXPECT_EQ(Sel(in, Rule::kGreedy), (Ids{"a", "b", "c"}));
  RuleOptions caps;
  caps.category_caps = true;
  EXPECT_EQ(Sel(in, Rule::kGreedy, caps), (Ids{"a", "c"}));
  EXPECT_EQ(Sel(in, Rule::kMes, caps), (Ids{"a", "c"}));
  auto out = RunRule(in, Rule::kGreedy, caps);
  EXPECT_EQ(out->explanations[1].verdict, Verdict::kCapExceeded);
}

TEST(Rules, ParseRuleNamesTheChoices) {
  EXPECT_EQ(*ParseRule("mes_add1_until_infeasible_greedy"), Rule::kMesAdd1UntilInfeasibleGreedy);
  auto bad = ParseRule("borda");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("max_welfare"), std::string::npos);
  for (Rule r : kAllRules) EXPECT_EQ(*ParseRule(RuleName(r)), r);
}

}  // namespace
}  // namespace weefsel::fund
