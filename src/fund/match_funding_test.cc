// Match-funding: cap reached mid-way, fund exhausted, a failing campaign, ties in time, late pledges.
#include "fund/match_funding.h"

#include <gtest/gtest.h>

namespace weefsel::fund {
namespace {

MatchPolicy Doubling(int64_t campaign_cap, int64_t fund_cap) { return {1, 1, campaign_cap, fund_cap}; }

// Target 1000, match 1:1 up to 1500. Pledges 600 + 600 reach the target at t=2 (match 1200);
// 500 more at t=3 would make 1700 but the cap stops the match at 1500.
TEST(MatchFunding, CapReachedMidWay) {
  auto s = SettleMatchFunding(
      Doubling(1500, 100000), {{"buurttuin", 1000, 10}},
      {{"p1", "buurttuin", "ann", 600, 1}, {"p2", "buurttuin", "bob", 600, 2}, {"p3", "buurttuin", "cas", 500, 3}}, 20);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const auto& c = s->campaigns[0];
  EXPECT_EQ(c.status, CampaignStatus::kFunded);
  EXPECT_EQ(c.raised, 1700);
  EXPECT_EQ(c.reached_at, 2);
  EXPECT_EQ(c.match, 1500);
  EXPECT_TRUE(c.capped);
  EXPECT_EQ(s->fund_used, 1500);
  EXPECT_EQ(s->fund_left, 98500);
}

// A ratio of 1/2: 50 cents per euro, rounded down to whole cents.
TEST(MatchFunding, ConfigurableRatio) {
  auto s = SettleMatchFunding({1, 2, 0, 100000}, {{"c", 1001, 10}}, {{"p1", "c", "ann", 1001, 1}}, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->campaigns[0].match, 500);
}

// Fund 1000. Campaign a reaches its target first (t=1, wants 800), b second (t=2, wants 800):
// b gets the 200 left and is marked short; c reaches later and gets nothing.
TEST(MatchFunding, FundExhaustedInTimeOrder) {
  auto s = SettleMatchFunding(Doubling(0, 1000), {{"a", 800, 10}, {"b", 800, 10}, {"c", 100, 10}},
                              {{"p1", "a", "x", 800, 1}, {"p2", "b", "y", 800, 2}, {"p3", "c", "z", 100, 3}}, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->campaigns[0].match, 800);
  EXPECT_EQ(s->campaigns[1].match, 200);
  EXPECT_TRUE(s->campaigns[1].fund_short);
  EXPECT_EQ(s->campaigns[2].match, 0);
  EXPECT_EQ(s->campaigns[2].status, CampaignStatus::kFunded);  // funded by its pledges, unmatched
  EXPECT_EQ(s->fund_left, 0);
  EXPECT_NE(s->campaigns[1].reason.find("short because the match fund ran out"), std::string::npos);
}

// Same second: the campaign id decides ("alpha" before "beta"), whatever the input order.
TEST(MatchFunding, TiesInTimeAreDeterministic) {
  std::vector<Campaign> cs = {{"beta", 500, 10}, {"alpha", 500, 10}};
  std::vector<Pledge> ps = {{"p2", "beta", "y", 500, 5}, {"p1", "alpha", "x", 500, 5}};
  auto s = SettleMatchFunding(Doubling(0, 600), cs, ps, 20);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->campaigns[1].id, "alpha");
  EXPECT_EQ(s->campaigns[1].match, 500);
  EXPECT_EQ(s->campaigns[0].match, 100);
  std::reverse(ps.begin(), ps.end());
  auto again = SettleMatchFunding(Doubling(0, 600), cs, ps, 20);
  EXPECT_EQ(again->campaigns[1].match, 500);
  EXPECT_EQ(again->campaigns[0].match, 100);
}

// Missing the target: no match, every accepted pledge refunded; a late pledge does not count.
TEST(MatchFunding, FailedCampaignIsRefunded) {
  auto s = SettleMatchFunding(
      Doubling(0, 10000), {{"speeltuin", 1000, 10}},
      {{"p1", "speeltuin", "ann", 300, 1}, {"p2", "speeltuin", "bob", 200, 9}, {"p3", "speeltuin", "cas", 900, 11}},
      20);
  ASSERT_TRUE(s.ok());
  const auto& c = s->campaigns[0];
  EXPECT_EQ(c.status, CampaignStatus::kFailed);
  EXPECT_EQ(c.raised, 500);
  EXPECT_EQ(c.match, 0);
  ASSERT_EQ(c.refunds.size(), 2u);
  EXPECT_EQ(c.refunds[0].backer, "ann");
  EXPECT_EQ(c.refunds[0].amount, 300);
  EXPECT_EQ(c.refunds[1].amount, 200);
  EXPECT_EQ(c.late_pledges, (std::vector<std::string>{"p3"}));
  EXPECT_EQ(s->fund_used, 0);
}

TEST(MatchFunding, OpenBeforeTheDeadline) {
  auto s = SettleMatchFunding(Doubling(0, 10000), {{"c", 1000, 100}}, {{"p1", "c", "ann", 300, 1}}, 50);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->campaigns[0].status, CampaignStatus::kOpen);
  EXPECT_TRUE(s->campaigns[0].refunds.empty());
}

TEST(MatchFunding, BadInputNamesTheRecord) {
  auto s = SettleMatchFunding(Doubling(0, 1), {{"c", 1000, 100}}, {{"p1", "nope", "ann", 300, 1}}, 50);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "pledge p1 campaign: unknown campaign 'nope'");
  auto neg = SettleMatchFunding(Doubling(0, 1), {{"c", 1000, 100}}, {{"p1", "c", "ann", -5, 1}}, 50);
  EXPECT_EQ(neg.status().message(), "pledge p1 amount: must be positive");
  auto zero = SettleMatchFunding({1, 0, 0, 1}, {}, {}, 0);
  EXPECT_FALSE(zero.ok());
}

}  // namespace
}  // namespace weefsel::fund
