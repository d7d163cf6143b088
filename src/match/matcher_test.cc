#include <gtest/gtest.h>

#include <algorithm>

#include "match/matcher.h"

namespace weefsel::match {
namespace {

using domain::ActorKind;

domain::Actor A(int id, std::string name, ActorKind kind, int muni, std::string desc, std::vector<std::string> caps) {
  domain::Actor a;
  a.id = ActorId(id);
  a.name = std::move(name);
  a.kind = kind;
  a.municipality = MunicipalityId(muni);
  a.description = std::move(desc);
  a.capabilities = std::move(caps);
  return a;
}

domain::Tie T(int a, int b, double w = 1) {
  domain::Tie t;
  t.a = ActorId(a), t.b = ActorId(b), t.weight = w;
  return t;
}

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<domain::Actor> actors = {
        A(1, "Gemeente Zuidstad", ActorKind::kGovernment, 1, "Gemeente, beleid sociaal domein", {"beleid"}),
        A(2, "Thuiszorg Zuid", ActorKind::kCareWelfare, 1, "Ouderenzorg en thuiszorg in de wijk", {"zorg"}),
        A(3, "Buurtkracht", ActorKind::kCitizensInitiative, 1, "Bewoners helpen elkaar, buurthuis", {"buurtwerk"}),
        A(4, "Hogeschool Zuid", ActorKind::kKnowledgeInstitution, 2, "Onderzoek naar eenzaamheid bij ouderen",
          {"onderzoek"}),
        A(5, "Zonnedak BV", ActorKind::kCompany, 3, "Zonnepanelen en energiecoöperatie", {"energie"}),
        A(6, "AppVoorElkaar", ActorKind::kSocialEnterprise, 3, "App die vrijwilligers en ouderen koppelt",
          {"ict", "zorg"}),
        A(7, "Welzijn Oost", ActorKind::kCareWelfare, 4, "Welzijnswerk voor ouderen en mantelzorgers", {"zorg"}),
    };
    // Two communities: {1,2,3,4} densely tied, {5,6,7} tied among themselves, one bridge 4-6.
    std::vector<domain::Tie> ties = {T(1, 2, 3), T(1, 3, 2), T(2, 3), T(2, 4),     T(1, 4),
                                     T(5, 6, 2), T(6, 7, 2), T(5, 7), T(4, 6, 0.5)};
    std::vector<PastWork> past = {{ActorId(2), "Valpreventie voor ouderen"},
                                  {ActorId(2), "Mantelzorg ondersteunen"},
                                  {ActorId(7), "Dementievriendelijke wijk"}};
    Neighbours nb;
    nb[MunicipalityId(1)].insert(MunicipalityId(2));
    nb[MunicipalityId(2)].insert(MunicipalityId(1));
    auto m = Matcher::Build(actors, ties, past, nb);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    matcher_ = std::make_unique<Matcher>(std::move(*m));
    challenge_.title = "Eenzaamheid onder ouderen";
    challenge_.text = "Hoe bereiken we eenzame ouderen in de wijk en zorg voor ouderen thuis?";
    challenge_.language = "nl";
    challenge_.municipality = MunicipalityId(1);
    challenge_.owner = ActorId(1);
    challenge_.capabilities = {{"zorg", 2}, {"onderzoek", 1}};
  }
  std::unique_ptr<Matcher> matcher_;
  domain::Challenge challenge_;
};

TEST_F(MatcherTest, RanksRelevantActorsFirstWithReasons) {
  auto r = matcher_->Rank(challenge_, {.limit = 6, .diversity = 0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GE(r->size(), 4u);
  EXPECT_EQ((*r)[0].actor, ActorId(2)) << (*r)[0].name;  // ouderenzorg, zorg, same town, partner
  for (const Match& m : *r) {
    EXPECT_NE(m.actor, ActorId(1)) << "the owner is not its own match";
    double sum = 0;
    for (const Reason& x : m.reasons) sum += x.contribution;
    EXPECT_NEAR(sum, m.score, 1e-6) << "reasons add up to the score";
    EXPECT_FALSE(m.reasons.empty());
  }
  auto& top = (*r)[0].reasons;
  EXPECT_TRUE(std::any_of(top.begin(), top.end(), [](const Reason& x) {
    return x.code == "capability" && x.detail.find("care") != std::string::npos;
  }));
  EXPECT_TRUE(std::any_of(top.begin(), top.end(), [](const Reason& x) { return x.code == "partner"; }));
  // Scores are non-increasing without diversity.
  for (size_t i = 1; i < r->size(); ++i) EXPECT_LE((*r)[i].score, (*r)[i - 1].score + 1e-12);
}

TEST_F(MatcherTest, NeighbouringMunicipalityCountsHalf) {
  auto r = matcher_->Rank(challenge_, {.limit = 7, .diversity = 0});
  ASSERT_TRUE(r.ok());
  auto it = std::find_if(r->begin(), r->end(), [](const Match& m) { return m.actor == ActorId(4); });
  ASSERT_NE(it, r->end());
  auto area = std::find_if(it->reasons.begin(), it->reasons.end(), [](const Reason& x) { return x.code == "area"; });
  ASSERT_NE(area, it->reasons.end());
  EXPECT_NEAR(area->contribution, RankOptions{}.weights.area * 0.5, 1e-9);
}

TEST_F(MatcherTest, DiversityBringsInTheOtherCommunity) {
  auto plain = matcher_->Rank(challenge_, {.limit = 3, .diversity = 0});
  auto diverse = matcher_->Rank(challenge_, {.limit = 3, .diversity = 3.0});
  ASSERT_TRUE(plain.ok() && diverse.ok());
  auto first_unexpected = [](const std::vector<Match>& v) {
    return std::find_if(v.begin(), v.end(), [](const Match& m) { return m.unexpected; }) - v.begin();
  };
  // Without diversity the other community's best (Welzijn Oost) is third; with it, second.
  EXPECT_EQ(first_unexpected(*plain), 2);
  EXPECT_EQ(first_unexpected(*diverse), 1);
  auto& reasons = (*diverse)[1].reasons;
  EXPECT_TRUE(std::any_of(reasons.begin(), reasons.end(), [](const Reason& x) { return x.code == "diversity"; }));
}

TEST_F(MatcherTest, BadInputSaysWhatIsMissing) {
  domain::Challenge empty;
  empty.title = "de het een";
  auto r = matcher_->Rank(empty);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("nothing to match on"), std::string::npos);
  domain::Challenge stranger = challenge_;
  stranger.owner = ActorId(99);
  EXPECT_NE(matcher_->Rank(stranger).status().message().find("owner 99 is not among the 7 actors"), std::string::npos);
  domain::Challenge nobody;
  nobody.title = "kernfusiereactor";
  nobody.language = "nl";
  EXPECT_EQ(matcher_->Rank(nobody).status().code(), StatusCode::kNotFound);
}

TEST(Matcher, DuplicateActorIdIsAnError) {
  std::vector<domain::Actor> actors = {A(1, "a", ActorKind::kCompany, 1, "x", {}),
                                       A(1, "b", ActorKind::kCompany, 1, "y", {})};
  auto m = Matcher::Build(actors, {}, {});
  EXPECT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("appears twice"), std::string::npos);
}

}  // namespace
}  // namespace weefsel::match
