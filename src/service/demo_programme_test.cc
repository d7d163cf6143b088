#include "service/demo_programme.h"

#include <gtest/gtest.h>

#include "service/demo.h"

namespace weefsel::service {
namespace {

// A small demo city with its programme, in a fresh in-memory database.
struct Staged {
  std::unique_ptr<Platform> platform;
  ProgrammeSummary summary;
};

Staged Stage(uint64_t seed) {
  Staged out;
  DemoOptions o;
  o.seed = seed;
  o.municipalities = 2;
  o.actors = 300;
  auto city = GenerateDemo(o);
  EXPECT_TRUE(city.ok()) << city.status().ToString();
  auto store = storage::Store::Open(":memory:");
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE(LoadDemo(**store, *city).ok());
  PlatformOptions po;
  po.password_cost = PasswordCost::Minimum();
  out.platform = std::make_unique<Platform>(std::move(store).value(), po);
  auto s = StageDemoProgramme(*out.platform, seed, 30);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (s.ok()) out.summary = *s;
  return out;
}

TEST(DemoProgramme, EveryPartOfTheCycleIsThere) {
  Staged st = Stage(1);
  Platform& p = *st.platform;
  const ProgrammeSummary& s = st.summary;
  ASSERT_TRUE(s.published.valid());
  auto overview = p.Overview(s.municipality);
  ASSERT_TRUE(overview.ok()) << overview.status().ToString();
  EXPECT_EQ(overview->published_rounds, 1);
  EXPECT_GT(overview->committed_eur, 0);
  EXPECT_GT(overview->released_eur, 0) << "a milestone is released";
  EXPECT_LE(overview->released_eur, overview->committed_eur);
  ASSERT_EQ(overview->experiments.size(), 1u);
  EXPECT_EQ(overview->experiments[0].status, "running");
  ASSERT_EQ(overview->experiments[0].indicators.size(), 1u);
  EXPECT_TRUE(overview->experiments[0].indicators[0].latest.has_value()) << "measured";
  EXPECT_EQ(p.GetRound(s.published)->phase, domain::RoundPhase::kPublished);
  EXPECT_EQ(p.GetRound(s.voting)->phase, domain::RoundPhase::kVoting) << "the demo resident can vote";
  auto allocation = p.AllocationsOf(s.published);
  ASSERT_TRUE(allocation.ok());
  EXPECT_FALSE(allocation->empty());
  auto campaigns = p.MatchCampaignsOf(s.published);
  ASSERT_TRUE(campaigns.ok());
  ASSERT_EQ(campaigns->size(), 1u);
  auto standing = p.MatchStandingOf(campaigns->front().id);
  ASSERT_TRUE(standing.ok()) << standing.status().ToString();
  int64_t pledges = 0;
  for (const auto& project : standing->projects) pledges += project.pledges;
  EXPECT_EQ(pledges, s.pledges);
  EXPECT_EQ(s.ballots, 30);
  // Every proposal of the round is decided: funded or rejected, none left in the round.
  auto round = p.GetRound(s.published);
  for (const auto& project : round->projects) {
    auto prop = p.GetProposal(project.proposal);
    ASSERT_TRUE(prop.ok());
    EXPECT_TRUE(prop->status == "funded" || prop->status == "rejected") << prop->status;
  }
}

TEST(DemoProgramme, TheSameSeedGivesTheSameProgramme) {
  Staged a = Stage(7), b = Stage(7);
  auto x = a.platform->AllocationsOf(a.summary.published), y = b.platform->AllocationsOf(b.summary.published);
  ASSERT_TRUE(x.ok() && y.ok());
  ASSERT_EQ(x->size(), y->size());
  for (size_t i = 0; i < x->size(); ++i) {
    EXPECT_EQ((*x)[i].project_id, (*y)[i].project_id);
    EXPECT_EQ((*x)[i].amount_eur, (*y)[i].amount_eur);
  }
}

TEST(DemoProgramme, ASecondRunIsRefusedAndChangesNothing) {
  Staged st = Stage(1);
  auto again = StageDemoProgramme(*st.platform, 1, 5);
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition) << again.status().ToString();
}

}  // namespace
}  // namespace weefsel::service
