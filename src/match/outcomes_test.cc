#include "match/outcomes.h"

#include <gtest/gtest.h>

#include <cmath>

#include "domain/testing/world.h"
#include "match/match_json.h"

namespace weefsel::match {
namespace {

using domain::ActorKind;
using world::AnActor;

domain::Challenge C(int id, std::string title) {
  domain::Challenge c;
  c.id = ChallengeId(id);
  c.title = std::move(title);
  c.text = "Zonnepanelen op daken in de wijk, samen met bewoners";
  c.municipality = MunicipalityId(1);
  return c;
}

domain::CoalitionMember M(int actor, domain::MemberStatus s) {
  domain::CoalitionMember m;
  m.actor = ActorId(actor);
  m.status = s;
  return m;
}

// Two actors that look the same to the linear score (same text, same place, no ties): "Zon Oost"
// (id 2) accepted every invitation, "Zon West" (id 1, first in the linear order on a tie) declined
// every one. Two others accepted and declined in turn.
class OutcomesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string energy = "Energiecoöperatie: zonnepanelen op daken en energie besparen met bewoners";
    actors_ = {
        AnActor(1).Named("Zon West").Kind(ActorKind::kCompany).In(1).Described(energy),
        AnActor(2).Named("Zon Oost").Kind(ActorKind::kCompany).In(1).Described(energy),
        AnActor(3).Named("Buurtenergie").Kind(ActorKind::kCitizensInitiative).In(1).Described(energy + " in de buurt"),
        AnActor(4)
            .Named("Installatiebedrijf")
            .Kind(ActorKind::kCompany)
            .In(1)
            .Described("Installateur van zonnepanelen en warmtepompen"),
        AnActor(5)
            .Named("Hogeschool")
            .Kind(ActorKind::kKnowledgeInstitution)
            .In(1)
            .Described("Onderzoek naar energie in wijken")};
    using S = domain::MemberStatus;
    for (int k = 1; k <= 6; ++k) {
      domain::Coalition co;
      co.id = CoalitionId(k);
      co.challenge = ChallengeId(k);
      co.status = domain::CoalitionStatus::kFormed;
      co.members = {M(1, S::kDeclined), M(2, S::kAccepted), M(3, k % 2 ? S::kAccepted : S::kDeclined),
                    M(4, k % 2 ? S::kDeclined : S::kAccepted)};
      challenges_.push_back(LabelOutcomes(C(k, "Zonnepanelen project " + std::to_string(k)), {co}, {}));
      for (const Outcome& o : OutcomesFromCoalitions({co})) outcomes_.push_back(o);
    }
  }
  Matcher Build() {
    auto m = Matcher::Build(actors_, {}, {}, {}, nullptr, {.outcomes = outcomes_});
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return std::move(m).value();
  }
  std::vector<domain::Actor> actors_;
  std::vector<LabelledChallenge> challenges_;
  std::vector<Outcome> outcomes_;
};

TEST_F(OutcomesTest, LabelsGradeFundedFormedAcceptedAndDeclined) {
  using S = domain::MemberStatus;
  domain::Coalition formed, forming;
  formed.id = CoalitionId(1), formed.status = domain::CoalitionStatus::kFormed;
  formed.members = {M(1, S::kAccepted), M(2, S::kDeclined), M(3, S::kInvited)};
  forming.id = CoalitionId(2), forming.status = domain::CoalitionStatus::kForming;
  forming.members = {M(4, S::kAccepted)};
  auto l = LabelOutcomes(C(1, "x"), {formed, forming}, {});
  EXPECT_EQ(l.decided, 3);
  EXPECT_EQ(l.labels.at(ActorId(1)), 2.f);
  EXPECT_EQ(l.labels.at(ActorId(2)), 0.f);
  EXPECT_EQ(l.labels.count(ActorId(3)), 0u);
  EXPECT_EQ(l.labels.at(ActorId(4)), 1.f);
  EXPECT_EQ(LabelOutcomes(C(1, "x"), {formed}, {CoalitionId(1)}).labels.at(ActorId(1)), 3.f);
}

TEST_F(OutcomesTest, ModelMovesTheActorWhoAcceptsAboveTheOneWhoDeclines) {
  Matcher m = Build();
  auto trained = TrainOnOutcomes(m, challenges_);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  EXPECT_EQ(trained->report.challenges, 6);
  EXPECT_EQ(trained->report.outcomes, 24);

  const domain::Challenge fresh = C(7, "Zonnepanelen voor de sporthal");
  auto linear = m.Rank(fresh, {.diversity = 0});
  ASSERT_TRUE(linear.ok());
  auto place = [](const std::vector<Match>& ms, int id) {
    for (size_t k = 0; k < ms.size(); ++k)
      if (ms[k].actor == ActorId(id)) return static_cast<int>(k);
    return -1;
  };
  ASSERT_LT(place(*linear, 1), place(*linear, 2)) << "the linear score cannot tell them apart (tie on id)";
  EXPECT_DOUBLE_EQ((*linear)[static_cast<size_t>(place(*linear, 1))].score,
                   (*linear)[static_cast<size_t>(place(*linear, 2))].score);

  auto learned = m.Rank(fresh, {.diversity = 0, .learned = &trained->model});
  ASSERT_TRUE(learned.ok()) << learned.status().ToString();
  const int west = place(*learned, 1), east = place(*learned, 2);
  ASSERT_GE(west, 0);
  ASSERT_GE(east, 0);
  EXPECT_LT(east, west);
  const Match& e = (*learned)[static_cast<size_t>(east)];
  const Match& w = (*learned)[static_cast<size_t>(west)];
  EXPECT_TRUE(e.learned);
  EXPECT_GT(e.score, w.score);
  // The reasons say why: invitations accepted moved Zon Oost up, invitations declined Zon West down;
  // and the contributions add up to the score.
  auto find = [](const Match& mt, const std::string& code) -> const Reason* {
    for (const Reason& r : mt.reasons)
      if (r.code == code) return &r;
    return nullptr;
  };
  double up = 0, down = 0;
  for (const char* code : {"invitations_accepted", "invitations_declined"}) {
    if (const Reason* r = find(e, code)) up += r->contribution;
    if (const Reason* r = find(w, code)) down += r->contribution;
  }
  EXPECT_GT(up, down);
  const Reason* accepted = find(e, "invitations_accepted");
  ASSERT_NE(accepted, nullptr);
  EXPECT_TRUE(accepted->learned);
  EXPECT_EQ(accepted->value, 6);
  EXPECT_NE(accepted->detail.find("6 invitation(s)"), std::string::npos) << accepted->detail;
  for (const Match& mt : *learned) {
    double sum = 0;
    for (const Reason& r : mt.reasons) sum += r.contribution;
    EXPECT_NEAR(sum, mt.score, 1e-4) << mt.name;
  }
  auto json = ToJson(e);
  EXPECT_EQ(json["scored_by"], "learned");
}

TEST_F(OutcomesTest, TooFewOutcomesIsAClearErrorAndTrainsNothing) {
  Matcher m = Build();
  std::vector<LabelledChallenge> two(challenges_.begin(), challenges_.begin() + 2);
  auto trained = TrainOnOutcomes(m, two);
  ASSERT_FALSE(trained.ok());
  EXPECT_EQ(trained.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(trained.status().message().find("too few outcomes"), std::string::npos);
  EXPECT_NE(trained.status().message().find("8 invitations accepted or declined on 2 challenge(s)"), std::string::npos)
      << trained.status().message();
}

TEST_F(OutcomesTest, AModelOfOtherFeaturesIsRefusedByRank) {
  RankingSet set;
  set.feature_names = {"a", "b"};
  set.OpenGroup();
  set.AddRow({0, 1}, 1);
  set.AddRow({1, 0}, 0);
  auto other = LearnedRanker::Train(set, {.rounds = 2});
  ASSERT_TRUE(other.ok());
  Matcher m = Build();
  auto r = m.Rank(C(7, "Zonnepanelen"), {.learned = &*other});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("other features"), std::string::npos);
}

}  // namespace
}  // namespace weefsel::match
