#include "service/demo_programme.h"

#include <gtest/gtest.h>

#include "service/core/testing.h"
#include "service/demo.h"
#include "storage/store.h"

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

// The national demo's large vote, small: the round in voting with one ballot per new resident,
// the same for the same seed, and publishable by an officer.
TEST(DemoProgramme, TheLargeRoundHoldsOneBallotPerResident) {
  Staged st = Stage(1);
  Platform& p = *st.platform;
  auto large = StageLargeRound(p, 1, 200);
  ASSERT_TRUE(large.ok()) << large.status().ToString();
  EXPECT_EQ(large->municipality, st.summary.municipality);
  EXPECT_EQ(large->ballots, 200);
  auto round = p.GetRound(large->round);
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->phase, domain::RoundPhase::kVoting);
  EXPECT_EQ(round->projects.size(), 20u);
  std::vector<domain::Ballot> ballots;
  ASSERT_TRUE(testing::WithStore(p, [&](storage::Store& s) -> Status {
                WEEFSEL_ASSIGN_OR_RETURN(ballots, s.BallotsOf(large->round));
                return Status::Ok();
              }).ok());
  ASSERT_EQ(ballots.size(), 200u);
  EXPECT_FALSE(ballots.front().entries.empty());
  // Not twice in one database.
  auto again = StageLargeRound(p, 1, 5);
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition) << again.status().ToString();
  // The same seed gives the same ballots.
  Staged other = Stage(1);
  auto large2 = StageLargeRound(*other.platform, 1, 200);
  ASSERT_TRUE(large2.ok());
  std::vector<domain::Ballot> ballots2;
  ASSERT_TRUE(testing::WithStore(*other.platform, [&](storage::Store& s) -> Status {
                WEEFSEL_ASSIGN_OR_RETURN(ballots2, s.BallotsOf(large2->round));
                return Status::Ok();
              }).ok());
  ASSERT_EQ(ballots2.size(), ballots.size());
  for (size_t i = 0; i < ballots.size(); ++i) {
    ASSERT_EQ(ballots[i].entries.size(), ballots2[i].entries.size());
    for (size_t k = 0; k < ballots[i].entries.size(); ++k)
      EXPECT_EQ(ballots[i].entries[k].project_id, ballots2[i].entries[k].project_id);
  }
  // An officer publishes it: the allocation under the round's rule funds something.
  Principal root{UserId(1 << 30), "", "", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
  ASSERT_TRUE(p.SetRoundPhase(root, large->round, domain::RoundPhase::kAllocation).ok());
  auto published = p.SetRoundPhase(root, large->round, domain::RoundPhase::kPublished);
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  auto allocation = p.AllocationsOf(large->round);
  ASSERT_TRUE(allocation.ok());
  EXPECT_FALSE(allocation->empty());
}

}  // namespace
}  // namespace weefsel::service
