#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "domain/testing/world.h"
#include "match/match_json.h"
#include "match/matcher.h"

namespace weefsel::match {
namespace {

using domain::ActorKind;
using world::AnActor;
using world::ATie;

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<domain::Actor> actors = {
        AnActor(1)
            .Named("Gemeente Zuidstad")
            .Kind(ActorKind::kGovernment)
            .In(1)
            .Described("Gemeente, beleid sociaal domein")
            .Capabilities({"beleid"}),
        AnActor(2)
            .Named("Thuiszorg Zuid")
            .Kind(ActorKind::kCareWelfare)
            .In(1)
            .Described("Ouderenzorg en thuiszorg in de wijk")
            .Capabilities({"zorg"}),
        AnActor(3)
            .Named("Buurtkracht")
            .Kind(ActorKind::kCitizensInitiative)
            .In(1)
            .Described("Bewoners helpen elkaar, buurthuis")
            .Capabilities({"buurtwerk"}),
        AnActor(4)
            .Named("Hogeschool Zuid")
            .Kind(ActorKind::kKnowledgeInstitution)
            .In(2)
            .Described("Onderzoek naar eenzaamheid bij ouderen")
            .Capabilities({"onderzoek"}),
        AnActor(5)
            .Named("Zonnedak BV")
            .Kind(ActorKind::kCompany)
            .In(3)
            .Described("Zonnepanelen en energiecoöperatie")
            .Capabilities({"energie"}),
        AnActor(6)
            .Named("AppVoorElkaar")
            .Kind(ActorKind::kSocialEnterprise)
            .In(3)
            .Described("App die vrijwilligers en ouderen koppelt")
            .Capabilities({"ict", "zorg"}),
        AnActor(7)
            .Named("Welzijn Oost")
            .Kind(ActorKind::kCareWelfare)
            .In(4)
            .Described("Welzijnswerk voor ouderen en mantelzorgers")
            .Capabilities({"zorg"}),
    };
    // Two communities: {1,2,3,4} densely tied, {5,6,7} tied among themselves, one bridge 4-6.
    std::vector<domain::Tie> ties = {ATie(1, 2).Weight(3), ATie(1, 3).Weight(2), ATie(2, 3),
                                     ATie(2, 4),           ATie(1, 4),           ATie(5, 6).Weight(2),
                                     ATie(6, 7).Weight(2), ATie(5, 7),           ATie(4, 6).Weight(0.5)};
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
  // The fixture's past work is about the text components; here only the seven older components
  // (Welzijn Oost's "Dementievriendelijke wijk" would otherwise lift it by similar past work).
  RankOptions o{.limit = 3, .diversity = 0};
  o.weights.similar = o.weights.owner_similar = o.weights.near_similar = 0;
  auto plain = matcher_->Rank(challenge_, o);
  o.diversity = 3.0;
  auto diverse = matcher_->Rank(challenge_, o);
  ASSERT_TRUE(plain.ok() && diverse.ok());
  const int home = matcher_->CommunityOf(*matcher_->IndexOf(ActorId(1)));
  ASSERT_NE(home, matcher_->CommunityOf(*matcher_->IndexOf(ActorId(7)))) << "two groups expected";
  auto first_other = [&](const std::vector<Match>& v) {
    return std::find_if(v.begin(), v.end(), [&](const Match& m) { return m.community != home; }) - v.begin();
  };
  // Without diversity the other community's best is third; with it, second.
  EXPECT_EQ(first_other(*plain), 2);
  EXPECT_EQ(first_other(*diverse), 1);
  auto& reasons = (*diverse)[1].reasons;
  EXPECT_TRUE(std::any_of(reasons.begin(), reasons.end(), [](const Reason& x) { return x.code == "diversity"; }));
}

// Issue 17: the list order differed from the score order (diversity) and nothing said so.
TEST_F(MatcherTest, ListOrderAndScoreOrderAreBothShown) {
  auto r = matcher_->Rank(challenge_, {.limit = 5, .diversity = 3.0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  int moved = 0;
  for (size_t k = 0; k < r->size(); ++k) {
    const Match& m = (*r)[k];
    EXPECT_EQ(m.rank, static_cast<int>(k) + 1);
    // score_rank is the place by score among all scored actors (also those not listed): moved up
    // means some better-scored actor is not placed before it.
    int better_before = 0;
    for (size_t j = 0; j < k; ++j) better_before += (*r)[j].score_rank < m.score_rank;
    EXPECT_EQ(m.moved_up, m.score_rank - 1 > better_before) << m.name;
    for (size_t j = 0; j < r->size(); ++j) {
      if ((*r)[j].score > m.score + 1e-12) {
        EXPECT_LT((*r)[j].score_rank, m.score_rank) << m.name;
      }
    }
    bool diversity = std::any_of(m.reasons.begin(), m.reasons.end(),
                                 [](const Reason& x) { return x.code == "diversity" && x.primary; });
    EXPECT_EQ(diversity, m.moved_up) << m.name;
    moved += m.moved_up;
    // Two or three primary reasons: the largest contributions.
    int primary = 0;
    double smallest_primary = 1e9, largest_other = 0;
    for (const Reason& x : m.reasons) {
      if (x.code == "diversity" || x.code == "unexpected") continue;
      if (x.primary)
        ++primary, smallest_primary = std::min(smallest_primary, x.contribution);
      else
        largest_other = std::max(largest_other, x.contribution);
    }
    EXPECT_GE(primary, std::min<int>(2, static_cast<int>(m.reasons.size()) - (m.moved_up ? 1 : 0))) << m.name;
    EXPECT_LE(primary, 3) << m.name;
    EXPECT_GE(smallest_primary, largest_other) << m.name;
  }
  EXPECT_GE(moved, 1) << "the fixture must have an actor moved up by diversity";
  auto json = ToJson((*r)[0]);
  EXPECT_TRUE(json.contains("rank") && json.contains("score_rank") && json.contains("moved_up"));
  EXPECT_TRUE(json["reasons"][0]["primary"].get<bool>());
}

// Issue 17: a coalition proposed or formed for a challenge made its members jump to the top of
// that challenge's own matches ("1 eerdere coalitie", text relevance up from ~20% to ~70%).
TEST(Matcher, TheChallengesOwnCoalitionIsNoEvidenceForIt) {
  std::vector<domain::Actor> actors = {
      AnActor(1)
          .Named("Stichting Rotterdam Noord")
          .Kind(ActorKind::kCareWelfare)
          .In(2)
          .Described("Sportclub en jeugdwerk")
          .Capabilities({"sport"}),
      AnActor(2)
          .Named("Ouderenwerk Oost")
          .Kind(ActorKind::kCareWelfare)
          .In(1)
          .Described("Ouderen, eenzaamheid, huisbezoek")
          .Capabilities({"zorg"}),
      AnActor(3)
          .Named("Buurtsport")
          .Kind(ActorKind::kCitizensInitiative)
          .In(1)
          .Described("Sport in de buurt")
          .Capabilities({"sport"}),
  };
  domain::Challenge ch;
  ch.id = ChallengeId(9);
  ch.title = "Eenzaamheid onder ouderen";
  ch.text = "Eenzame ouderen in de Indische Buurt bereiken met huisbezoek";
  ch.language = "nl";
  ch.municipality = MunicipalityId(1);
  const std::string own_text = ch.title + " " + ch.text;
  auto without = Matcher::Build(actors, {}, {{ActorId(3), "Voetbaltoernooi", ChallengeId(3)}});
  auto with = Matcher::Build(actors, {},
                             {{ActorId(3), "Voetbaltoernooi", ChallengeId(3)}, {ActorId(1), own_text, ChallengeId(9)}});
  ASSERT_TRUE(without.ok() && with.ok());
  auto before = without->Rank(ch, {.limit = 3, .diversity = 0});
  auto after = with->Rank(ch, {.limit = 3, .diversity = 0});
  ASSERT_TRUE(before.ok() && after.ok()) << after.status().ToString();
  auto find = [](const std::vector<Match>& v, int id) {
    return std::find_if(v.begin(), v.end(), [&](const Match& m) { return m.actor == ActorId(id); });
  };
  // Actor 1's only link to the challenge is the coalition for it: no text, no record.
  auto one = find(*after, 1);
  if (one != after->end()) {
    for (const Reason& x : one->reasons) {
      EXPECT_NE(x.code, "record") << x.detail;
      EXPECT_NE(x.code, "text") << x.detail;
    }
    EXPECT_NEAR(one->score, find(*before, 1) == before->end() ? one->score : find(*before, 1)->score, 1e-6);
  }
  EXPECT_EQ((*after)[0].actor, ActorId(2));
  // For another challenge with the same words, that work does count.
  domain::Challenge other = ch;
  other.id = ChallengeId(10);
  auto elsewhere = with->Rank(other, {.limit = 3, .diversity = 0});
  ASSERT_TRUE(elsewhere.ok());
  auto o1 = find(*elsewhere, 1);
  ASSERT_NE(o1, elsewhere->end());
  EXPECT_TRUE(std::any_of(o1->reasons.begin(), o1->reasons.end(), [](const Reason& x) { return x.code == "record"; }));
  EXPECT_TRUE(std::any_of(o1->reasons.begin(), o1->reasons.end(),
                          [](const Reason& x) { return x.code == "text" && x.value > 0.3; }));
}

// Issue 17: needs outside the vocabulary ("woningcorporatie", "huisarts") found nobody, though
// actors say so in their descriptions. Now they count half for an actor whose text names them.
TEST(Matcher, NeedsOutsideTheVocabularyFindActorsByText) {
  std::vector<domain::Actor> actors = {
      AnActor(1)
          .Named("Praktijk Oost")
          .Kind(ActorKind::kCareWelfare)
          .In(1)
          .Described("Huisarts en praktijkondersteuner in de wijk")
          .Capabilities({"zorg"}),
      AnActor(2)
          .Named("Woonstichting De Key")
          .Kind(ActorKind::kCompany)
          .In(1)
          .Described("Woningcorporatie met 4000 huurwoningen")
          .Capabilities({"vastgoed"}),
      AnActor(3)
          .Named("Sportschool Fit")
          .Kind(ActorKind::kCompany)
          .In(2)
          .Described("Fitness en krachttraining")
          .Capabilities({"sport"}),
  };
  auto m = Matcher::Build(actors, {}, {});
  ASSERT_TRUE(m.ok());
  domain::Challenge ch;
  ch.title = "Signalen vroeg oppikken";
  ch.text = "Wie merkt het eerst als iemand vereenzaamt?";
  ch.language = "nl";
  ch.capabilities = {{"huisarts", 1}, {"woningcorporatie", 1}};
  auto r = m->Rank(ch, {.limit = 3, .diversity = 0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<int64_t, const Reason*> cap;
  for (const Match& x : *r)
    for (const Reason& reason : x.reasons)
      if (reason.code == "capability") cap[x.actor.value()] = &reason;
  ASSERT_TRUE(cap.count(1) && cap.count(2)) << r->size();
  EXPECT_EQ(cap[1]->named_in_text, std::vector<std::string>{"huisarts"});
  EXPECT_EQ(cap[2]->named_in_text, std::vector<std::string>{"woningcorporatie"});
  EXPECT_NEAR(cap[1]->value, 0.25, 1e-6) << "half of its need's half of the weight";
  EXPECT_NE(cap[1]->detail.find("in its text"), std::string::npos) << cap[1]->detail;
  EXPECT_FALSE(cap.count(3));
  // A need some actor does list as a capability is not looked for in text.
  ch.capabilities = {{"vastgoed", 1}};
  auto listed = m->Rank(ch, {.limit = 3, .diversity = 0});
  ASSERT_TRUE(listed.ok());
  for (const Match& x : *listed)
    for (const Reason& reason : x.reasons) EXPECT_TRUE(reason.named_in_text.empty()) << x.name;
  EXPECT_EQ(ToJson(*cap[1])["params"]["named_in_text"][0], "huisarts");
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
  std::vector<domain::Actor> actors = {AnActor(1).Named("a").Kind(ActorKind::kCompany).In(1).Described("x"),
                                       AnActor(1).Named("b").Kind(ActorKind::kCompany).In(1).Described("y")};
  auto m = Matcher::Build(actors, {}, {});
  EXPECT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("appears twice"), std::string::npos);
}

// The demo city's failure: for "Uit de schulden in Amsterdam" a construction company came first
// because its only shared word ("Amsterdam") made it the best text match, normalised to 100%. Text
// is now on an absolute scale and an actor with none of the needed capabilities keeps only part of
// its text score, so the debt counsellors come first.
TEST(Matcher, WeakTextHitDoesNotBeatTheNeededCapabilities) {
  std::vector<domain::Actor> actors = {
      AnActor(1)
          .Named("Gemeente Amsterdam")
          .Kind(ActorKind::kGovernment)
          .In(1)
          .Described("Gemeente, sociaal domein en werk en inkomen")
          .Capabilities({"beleid"}),
      AnActor(2)
          .Named("Bouwbedrijf Van Dam")
          .Kind(ActorKind::kCompany)
          .In(1)
          .Described("Bouw en renovatie voor huishoudens in Amsterdam")
          .Capabilities({"bouw"}),
      AnActor(3)
          .Named("Schuldhulp Zaanstreek")
          .Kind(ActorKind::kCareWelfare)
          .In(2)
          .Described("Budgetcoaching en hulp bij geldzaken")
          .Capabilities({"budgetbeheer", "financieel advies"}),
      AnActor(4)
          .Named("Geldfit Buurtteam")
          .Kind(ActorKind::kCitizensInitiative)
          .In(1)
          .Described("Vrijwilligers helpen bewoners met hun administratie")
          .Capabilities({"financieel advies"}),
      AnActor(5)
          .Named("Sportclub Oost")
          .Kind(ActorKind::kCitizensInitiative)
          .In(3)
          .Described("Voetbal en hockey voor de jeugd")
          .Capabilities({"sport"}),
  };
  Neighbours nb;
  nb[MunicipalityId(1)].insert(MunicipalityId(2));
  nb[MunicipalityId(2)].insert(MunicipalityId(1));
  auto m = Matcher::Build(actors, {ATie(1, 4)}, {}, nb);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  domain::Challenge ch;
  ch.title = "Uit de schulden in Amsterdam";
  ch.text = "Steeds meer huishoudens in Amsterdam hebben problematische schulden. Wie helpt hen eerder?";
  ch.language = "nl";
  ch.municipality = MunicipalityId(1);
  ch.owner = ActorId(1);
  ch.capabilities = {{"budgetbeheer", 2}, {"financieel advies", 1}};
  auto r = m->Rank(ch, {.limit = 4, .diversity = 0});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GE(r->size(), 2u);
  EXPECT_TRUE((*r)[0].actor == ActorId(3) || (*r)[0].actor == ActorId(4)) << (*r)[0].name;
  EXPECT_TRUE((*r)[1].actor == ActorId(3) || (*r)[1].actor == ActorId(4)) << (*r)[1].name;
  for (const Match& x : *r) {
    if (x.actor != ActorId(2)) continue;
    for (const Reason& why : x.reasons) {
      if (why.code != "text") continue;
      EXPECT_LT(why.value, 0.5) << "one shared place name is a weak text match: " << why.detail;
      EXPECT_NE(why.detail.find("reduced"), std::string::npos) << why.detail;
    }
  }
}

TEST(Matcher, PrecomputedGroupsAreUsedAsGiven) {
  std::vector<domain::Actor> actors = {AnActor(1).Named("a").Kind(ActorKind::kCompany).In(1).Described("zorg"),
                                       AnActor(2).Named("b").Kind(ActorKind::kCompany).In(1).Described("zorg"),
                                       AnActor(3).Named("c").Kind(ActorKind::kCompany).In(1).Described("zorg")};
  BuildOptions opts;
  opts.communities = {{ActorId(1), 7}, {ActorId(2), 7}, {ActorId(3), 9}};
  auto m = Matcher::Build(actors, {ATie(1, 2), ATie(2, 3)}, {}, {}, nullptr, opts);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->CommunityOf(0), 7);
  EXPECT_EQ(m->CommunityOf(2), 9);
}

// "Unexpected corner": only an actor outside the groups of the owner and the 5 best-scored actors,
// more than 2 steps from the owner, and relevant on its own content.
TEST(Matcher, UnexpectedCornerIsNarrow) {
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;
  // The owner's circle: 8 care actors tied to the owner (group A).
  actors.push_back(
      AnActor(1).Named("Gemeente").Kind(ActorKind::kGovernment).In(1).Described("gemeente").Capabilities({"beleid"}));
  for (int i = 2; i <= 9; ++i) {
    actors.push_back(AnActor(i)
                         .Named("Zorg " + std::to_string(i))
                         .Kind(ActorKind::kCareWelfare)
                         .In(1)
                         .Described("ouderenzorg in de wijk")
                         .Capabilities({"zorg"}));
    ties.push_back(ATie(1, i).Weight(2));
    if (i > 2) ties.push_back(ATie(i - 1, i).Weight(2));
  }
  // Far away (own group, no path): one that holds the needed research capability, one that only
  // shares a common word.
  actors.push_back(AnActor(20)
                       .Named("Lab Noord")
                       .Kind(ActorKind::kKnowledgeInstitution)
                       .In(5)
                       .Described("onderzoek naar eenzaamheid")
                       .Capabilities({"onderzoek"}));
  actors.push_back(AnActor(21)
                       .Named("Lab Noord 2")
                       .Kind(ActorKind::kKnowledgeInstitution)
                       .In(5)
                       .Described("lab")
                       .Capabilities({"ict"}));
  ties.push_back(ATie(20, 21).Weight(3));
  actors.push_back(AnActor(30)
                       .Named("Garage West")
                       .Kind(ActorKind::kCompany)
                       .In(6)
                       .Described("auto's in de wijk")
                       .Capabilities({"techniek"}));
  actors.push_back(AnActor(31)
                       .Named("Garage West 2")
                       .Kind(ActorKind::kCompany)
                       .In(6)
                       .Described("banden")
                       .Capabilities({"techniek"}));
  ties.push_back(ATie(30, 31).Weight(3));
  auto m = Matcher::Build(actors, ties, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  domain::Challenge ch;
  ch.title = "Eenzaamheid onder ouderen in de wijk";
  ch.language = "nl";
  ch.owner = ActorId(1);
  ch.capabilities = {{"zorg", 1}, {"onderzoek", 1}};
  auto r = m->Rank(ch, {.limit = 12, .diversity = 0.3});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const Match& x : *r) {
    if (x.actor == ActorId(20)) {
      EXPECT_TRUE(x.unexpected) << x.name;
      EXPECT_TRUE(
          std::any_of(x.reasons.begin(), x.reasons.end(), [](const Reason& y) { return y.code == "unexpected"; }));
    } else {
      EXPECT_FALSE(x.unexpected) << x.name << " is in the owner's circle or has too little content";
    }
  }
  EXPECT_TRUE(std::any_of(r->begin(), r->end(), [](const Match& x) { return x.actor == ActorId(20); }));
}

// The sector floor (RankOptions::mix_sectors): when the best-scored actors are all of the owner's
// sector, the best of two other sectors take the last of the first 10 places, the actors they push
// out follow right after them, and each says why it moved up.
TEST(MatcherFloor, TheFirstTenHoldThreeSectorsWithTheOwners) {
  std::vector<domain::Actor> actors;
  actors.push_back(AnActor(1).Named("Zorg Eigenaar").Kind(ActorKind::kCareWelfare).In(1).Described("Ouderenzorg"));
  for (int i = 2; i <= 13; ++i)
    actors.push_back(AnActor(i)
                         .Named("Welzijn " + std::to_string(i))
                         .Kind(ActorKind::kCareWelfare)
                         .In(1)
                         .Described("Eenzaamheid onder ouderen, ouderenzorg en welzijn in de wijk"));
  actors.push_back(
      AnActor(20).Named("Hogeschool").Kind(ActorKind::kKnowledgeInstitution).In(1).Described("Onderzoek naar ouderen"));
  actors.push_back(AnActor(21).Named("Bouwbedrijf").Kind(ActorKind::kCompany).In(1).Described("Woningen voor ouderen"));
  auto m = Matcher::Build(actors, {}, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  domain::Challenge ch;
  ch.title = "Eenzaamheid onder ouderen in de wijk";
  ch.text = "Ouderenzorg en welzijn";
  ch.language = "nl";
  ch.owner = ActorId(1);

  auto sectors_of_first_ten = [&](const std::vector<Match>& list) {
    std::set<domain::Sector> held = {domain::SectorOf(actors[0].kind)};  // the owner's
    for (size_t k = 0; k < 10 && k < list.size(); ++k) held.insert(list[k].sector);
    return held.size();
  };
  RankOptions without;
  without.limit = 14;
  without.mix_sectors = 0;
  auto plain = m->Rank(ch, without);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(sectors_of_first_ten(*plain), 1u) << "without the floor the first ten are all care and welfare";

  auto r = m->Rank(ch, {.limit = 14});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 14u);
  EXPECT_EQ(sectors_of_first_ten(*r), 3u);
  EXPECT_EQ(std::set<ActorId>({(*r)[8].actor, (*r)[9].actor}), std::set<ActorId>({ActorId(20), ActorId(21)}));
  EXPECT_GE((*r)[8].score, (*r)[9].score) << "the better of the two first";
  for (size_t k : {8u, 9u}) {
    const Match& x = (*r)[k];
    EXPECT_TRUE(x.moved_up) << x.name;
    auto why = std::find_if(x.reasons.begin(), x.reasons.end(), [](const Reason& y) { return y.code == "diversity"; });
    ASSERT_NE(why, x.reasons.end()) << x.name;
    EXPECT_NE(why->detail.find("hold at least 3 sectors"), std::string::npos) << why->detail;
  }
  // The two pushed out of the first ten follow right after them, ahead of the rest.
  EXPECT_EQ((*r)[10].sector, domain::Sector::kCivilSociety);
  EXPECT_EQ((*r)[11].sector, domain::Sector::kCivilSociety);
  EXPECT_GT((*r)[10].score, (*r)[12].score - 1e-12);
  // diversity 0 is the score order: no floor either.
  auto ordered = m->Rank(ch, {.limit = 14, .diversity = 0});
  ASSERT_TRUE(ordered.ok());
  for (size_t k = 1; k < ordered->size(); ++k) EXPECT_GE((*ordered)[k - 1].score, (*ordered)[k].score);
}

TEST(MatchJson, ReasonsCarryCodeParamsAndContribution) {
  Match m;
  m.actor = ActorId(7);
  m.name = "Buurtzorg Oost";
  m.sector = domain::Sector::kCivilSociety;
  m.score = 0.75;
  m.community = 2;
  m.reasons.push_back({.code = "capability",
                       .detail = "has zorg (1 of 2 needed, 50% of the weight)",
                       .contribution = 0.25,
                       .value = 0.5,
                       .items = {"zorg"}});
  m.reasons.push_back(
      {.code = "record", .detail = "3 past coalition(s) or project(s)", .contribution = 0.1, .value = 0.4});
  m.reasons.push_back({.code = "closeness", .detail = "2 steps", .contribution = 0.05, .value = 0.5});
  nlohmann::ordered_json j = ToJson(m);
  EXPECT_EQ(j["actor"], 7);
  EXPECT_EQ(j["sector"], "civil_society");
  EXPECT_EQ(j["community"], 2);
  EXPECT_EQ(j["unexpected"], false);
  ASSERT_EQ(j["reasons"].size(), 3U);
  EXPECT_EQ(j["reasons"][0]["code"], "capability");
  EXPECT_EQ(j["reasons"][0]["params"]["items"], nlohmann::ordered_json::array({"zorg"}));
  EXPECT_DOUBLE_EQ(j["reasons"][0]["contribution"].get<double>(), 0.25);
  EXPECT_EQ(j["reasons"][1]["params"]["count"], 3);
  EXPECT_EQ(j["reasons"][2]["params"]["steps"], 2);
  EXPECT_FALSE(j["reasons"][2]["params"].contains("items"));
}

// Issue 17, "a feedback loop": a coalition merely proposed for a challenge made its members jump to
// the top of that challenge's matches (record +0.1, text from the challenge's own words).
TEST(PastWorkFromCoalitionsTest, OnlyAcceptedMembersOfFormedCoalitionsCount) {
  domain::Challenge ch;
  ch.id = ChallengeId(9);
  ch.title = "Eenzaamheid onder ouderen";
  ch.text = "Indische Buurt";
  domain::Coalition proposed;
  proposed.status = domain::CoalitionStatus::kProposed;
  proposed.members = {{ActorId(5), "member", domain::MemberStatus::kProposed, {}},
                      {ActorId(6), "member", domain::MemberStatus::kProposed, {}}};
  domain::Coalition forming = proposed;
  forming.status = domain::CoalitionStatus::kForming;
  forming.members[0].status = domain::MemberStatus::kAccepted;
  EXPECT_TRUE(PastWorkFromCoalitions(ch, {proposed, forming}).empty());
  domain::Coalition formed = proposed;
  formed.status = domain::CoalitionStatus::kFormed;
  formed.members[0].status = domain::MemberStatus::kAccepted;
  formed.members[1].status = domain::MemberStatus::kDeclined;
  auto past = PastWorkFromCoalitions(ch, {proposed, formed});
  ASSERT_EQ(past.size(), 1u);
  EXPECT_EQ(past[0].actor, ActorId(5));
  EXPECT_EQ(past[0].challenge, ChallengeId(9));
  EXPECT_EQ(past[0].text, "Eenzaamheid onder ouderen Indische Buurt");
}

TEST_F(MatcherTest, PastWorkForTheChallengeItselfIsNoTrackRecordNorText) {
  // Zonnedak BV (5) is an energy company: weak on "eenzaamheid onder ouderen". Give it a formed
  // coalition for challenge 9 (this one) and see that ranking challenge 9 ignores it, while ranking
  // another challenge with the same words counts it.
  std::vector<domain::Actor> actors;
  for (const auto& a : matcher_->actors()) actors.push_back(a);
  std::vector<domain::Tie> ties = {ATie(1, 2).Weight(3), ATie(5, 6).Weight(2)};
  challenge_.id = ChallengeId(9);
  std::vector<PastWork> base = {{ActorId(2), "Valpreventie voor ouderen"}};
  std::vector<PastWork> with = base;
  with.push_back({ActorId(5), challenge_.title + " " + challenge_.text, challenge_.id});
  with.push_back({ActorId(5), "Zonnepanelen op het buurthuis", ChallengeId(3)});
  auto plain = Matcher::Build(actors, ties, base);
  auto fed = Matcher::Build(actors, ties, with);
  ASSERT_TRUE(plain.ok() && fed.ok());
  auto find = [](const std::vector<Match>& ms, ActorId id) -> const Match* {
    for (const auto& m : ms)
      if (m.actor == id) return &m;
    return nullptr;
  };
  auto component = [](const Match& m, const std::string& code) {
    for (const auto& r : m.reasons)
      if (r.code == code) return r.value;
    return 0.0;
  };
  RankOptions ro{.limit = 7, .diversity = 0};
  auto before = plain->Rank(challenge_, ro);
  auto after = fed->Rank(challenge_, ro);
  ASSERT_TRUE(before.ok() && after.ok());
  const Match* b = find(*before, ActorId(5));
  const Match* a = find(*after, ActorId(5));
  const double text_before = b ? component(*b, "text") : 0.0;
  // Only the other challenge's past work remains: at most one record, and no text from this
  // challenge. (Since its words no longer reach it at all, not even in the IDF, nothing links
  // Zonnedak to this challenge and it is left out of the list.)
  const double text_after = a ? component(*a, "text") : 0.0;
  EXPECT_NEAR(text_after, text_before, 0.05) << "the challenge's own words came back as text";
  EXPECT_LT(text_after, 0.2);
  if (a)
    for (const auto& r : a->reasons) {
      if (r.code == "record") {
        EXPECT_EQ(r.detail, "1 past coalition(s) or project(s)");
      }
    }
  EXPECT_NE((*after)[0].actor, ActorId(5)) << "a coalition for this challenge put its member on top";

  // The same words as another challenge: there the formed coalition is track record and text.
  domain::Challenge other = challenge_;
  other.id = ChallengeId(10);
  auto elsewhere = fed->Rank(other, ro);
  ASSERT_TRUE(elsewhere.ok());
  const Match* e = find(*elsewhere, ActorId(5));
  ASSERT_NE(e, nullptr);
  EXPECT_GT(component(*e, "text"), text_after + 0.2);
  EXPECT_GT(component(*e, "record"), a ? component(*a, "record") : 0.0);
}

// The challenge's own past work is no text for its members, and it does not make the challenge's
// words look common either: every actor's text value is what it is on a matcher built without that
// past work (the IDF of the query's words, the ideal and the average length as there).
TEST_F(MatcherTest, TheChallengesOwnPastWorkDoesNotCountInTheIdf) {
  std::vector<domain::Actor> actors;
  for (const auto& a : matcher_->actors()) actors.push_back(a);
  std::vector<domain::Tie> ties = {ATie(1, 2).Weight(3), ATie(5, 6).Weight(2)};
  challenge_.id = ChallengeId(9);
  std::vector<PastWork> without = {{ActorId(2), "Valpreventie voor ouderen"},
                                   {ActorId(5), "Zonnepanelen op het buurthuis", ChallengeId(3)}};
  std::vector<PastWork> with = without;
  for (int a : {4, 5, 6}) with.push_back({ActorId(a), challenge_.title + " " + challenge_.text, challenge_.id});
  auto plain = Matcher::Build(actors, ties, without);
  auto fed = Matcher::Build(actors, ties, with);
  ASSERT_TRUE(plain.ok() && fed.ok());
  auto text_of = [](const std::vector<Match>& ms) {
    std::map<int64_t, double> out;
    for (const auto& m : ms) out[m.actor.value()] = m.features[0];  // "text", the first feature
    return out;
  };
  RankOptions ro{.limit = 20, .diversity = 0};
  auto a = plain->Rank(challenge_, ro);
  auto b = fed->Rank(challenge_, ro);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(Matcher::FeatureNames()[0], "text");
  const auto ta = text_of(*a), tb = text_of(*b);
  ASSERT_FALSE(ta.empty());
  for (const auto& [actor, text] : ta) {
    auto it = tb.find(actor);
    if (it == tb.end()) {
      EXPECT_EQ(text, 0.0) << "actor " << actor;
      continue;
    }
    EXPECT_NEAR(it->second, text, 1e-6) << "actor " << actor << ": the challenge's own past work moved its text";
  }
  // The same words as another challenge: there that past work is text (and common words).
  domain::Challenge other = challenge_;
  other.id = ChallengeId(10);
  auto c = fed->Rank(other, ro);
  ASSERT_TRUE(c.ok());
  EXPECT_GT(text_of(*c)[5], ta.count(5) ? ta.at(5) + 0.2 : 0.2);
}

// The same for the similar-work components: ranking a challenge with its own past work gives what
// a matcher gives in which that past work has no words (same documents, so the same statistics).
TEST_F(MatcherTest, TheChallengesOwnPastWorkIsNotInTheSimilarWorksStatistics) {
  std::vector<domain::Actor> actors;
  for (const auto& a : matcher_->actors()) actors.push_back(a);
  std::vector<domain::Tie> ties = {ATie(1, 2).Weight(3), ATie(5, 6).Weight(2), ATie(1, 7)};
  challenge_.id = ChallengeId(9);
  std::vector<PastWork> with = {{ActorId(2), "Valpreventie voor ouderen", ChallengeId(2)},
                                {ActorId(7), "Ouderen in de wijk", ChallengeId(3)},
                                {ActorId(1), "Ouderen in de wijk", ChallengeId(3)}};
  std::vector<PastWork> wordless = with;
  for (int a : {4, 5, 6}) {
    with.push_back({ActorId(a), challenge_.title + " " + challenge_.text, challenge_.id});
    wordless.push_back({ActorId(a), "", challenge_.id});
  }
  auto fed = Matcher::Build(actors, ties, with);
  auto empty = Matcher::Build(actors, ties, wordless);
  ASSERT_TRUE(fed.ok() && empty.ok());
  RankOptions ro{.limit = 20, .diversity = 0};
  auto a = fed->Rank(challenge_, ro);
  auto b = empty->Rank(challenge_, ro);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  bool any_similar = false;
  for (size_t k = 0; k < a->size(); ++k) {
    EXPECT_EQ((*a)[k].actor, (*b)[k].actor);
    EXPECT_EQ((*a)[k].features, (*b)[k].features) << "actor " << (*a)[k].actor.value();
    any_similar = any_similar || (*a)[k].features[7] > 0;  // "similar"
  }
  ASSERT_EQ(Matcher::FeatureNames()[7], "similar");
  EXPECT_TRUE(any_similar) << "the other past works still vote";
}
}  // namespace
}  // namespace weefsel::match

namespace weefsel::match {
namespace {

// Issue 17: the research pipeline's strongest signals as components of the product's matcher.
TEST(Matcher, SimilarPastWorkAndTheOwnersPartnersOnItCarryReasons) {
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Samen").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(3).Named("Buurtkracht").Kind(ActorKind::kCitizensInitiative).In(1).Described(""),
      AnActor(4).Named("Zonnedak BV").Kind(ActorKind::kCompany).In(1).Described(""),
  };
  std::vector<PastWork> past = {
      {ActorId(1), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100)},
      {ActorId(2), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100)},
      {ActorId(3), "Eenzaamheid bestrijden bij ouderen", ChallengeId(101)},
      {ActorId(4), "Zonnepanelen op daken", ChallengeId(102)},
      {ActorId(1), "Zonnepanelen op daken", ChallengeId(102)},
  };
  auto m = Matcher::Build(actors, {ATie(1, 2), ATie(1, 4)}, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  domain::Challenge ch;
  ch.id = ChallengeId(200);
  ch.title = "Eenzaamheid onder ouderen";
  ch.municipality = MunicipalityId(1);
  ch.owner = ActorId(1);
  RankOptions o{.limit = 5, .diversity = 0};
  o.weights.similar = 0.2;
  o.weights.owner_similar = 0.2;
  auto r = m->Rank(ch, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<int64_t, std::map<std::string, Reason>> reasons;
  for (const Match& x : *r) {
    double sum = 0;
    for (const Reason& y : x.reasons) sum += y.contribution, reasons[x.actor.value()][y.code] = y;
    EXPECT_NEAR(sum, x.score, 1e-6) << x.name;
  }
  ASSERT_FALSE(r->empty());
  EXPECT_EQ(r->front().actor, ActorId(2)) << "worked with the owner on the most similar past work";
  ASSERT_TRUE(reasons[2].count("similar"));
  EXPECT_NEAR(std::max(reasons[2]["similar"].value, reasons[3]["similar"].value), 1.0, 1e-6)
      << "the best actor's votes are 1";
  EXPECT_EQ(reasons[2]["similar"].items, std::vector<std::string>{"Eenzaamheid onder ouderen in de wijk"});
  ASSERT_TRUE(reasons[2].count("owner_similar"));
  EXPECT_EQ(reasons[2]["owner_similar"].detail.rfind("1 similar past", 0), 0U) << reasons[2]["owner_similar"].detail;
  ASSERT_TRUE(reasons[3].count("similar"));
  EXPECT_FALSE(reasons[3].count("owner_similar")) << "never worked with the owner";
  EXPECT_FALSE(reasons[4].count("similar")) << "its past work shares no word with the challenge";
  auto j = ToJson(reasons[2]["similar"]);
  EXPECT_EQ(j["params"]["count"], 1);
  EXPECT_EQ(j["params"]["example"], "Eenzaamheid onder ouderen in de wijk");

  // The challenge's own past work is no evidence for it: ranking challenge 101 itself, actor 3's
  // only similar work is left out.
  ch.id = ChallengeId(101);
  auto own = m->Rank(ch, o);
  ASSERT_TRUE(own.ok());
  for (const Match& x : *own) {
    if (x.actor != ActorId(3)) continue;
    for (const Reason& y : x.reasons) EXPECT_NE(y.code, "similar");
  }
  // At weight 0 (the components off), no such reasons.
  RankOptions zero{.limit = 5, .diversity = 0};
  zero.weights.similar = zero.weights.owner_similar = zero.weights.near_similar = 0;
  auto off = m->Rank(ch, zero);
  ASSERT_TRUE(off.ok());
  for (const Match& x : *off)
    for (const Reason& y : x.reasons)
      EXPECT_TRUE(y.code != "similar" && y.code != "owner_similar" && y.code != "near_similar") << y.code;
}

// Issue 17: the research pipeline's text_near signal: similar past work in the owner's circle (the
// owner or one of its partners took part) counts, scaled by how near; the same work elsewhere not.
TEST(Matcher, SimilarPastWorkInTheOwnersCircleCarriesItsReason) {
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Samen").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(3).Named("Buurtkracht").Kind(ActorKind::kCitizensInitiative).In(1).Described(""),
      AnActor(4).Named("Welzijn Noord").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(5).Named("Wijkteam Oost").Kind(ActorKind::kCareWelfare).In(1).Described(""),
  };
  // Actor 3 worked with the owner's partner (2) on similar work; actor 5 with a stranger (4) on
  // work just as similar.
  std::vector<PastWork> past = {
      {ActorId(2), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100)},
      {ActorId(3), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100)},
      {ActorId(4), "Eenzaamheid onder ouderen in de buurt", ChallengeId(101)},
      {ActorId(5), "Eenzaamheid onder ouderen in de buurt", ChallengeId(101)},
  };
  auto m = Matcher::Build(actors, {ATie(1, 2).Weight(3)}, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  domain::Challenge ch;
  ch.id = ChallengeId(200);
  ch.title = "Eenzaamheid onder ouderen";
  ch.municipality = MunicipalityId(1);
  ch.owner = ActorId(1);
  RankOptions o{.limit = 5, .diversity = 0};
  o.weights = {};
  o.weights.text = o.weights.area = o.weights.closeness = o.weights.partner = o.weights.record = 0;
  o.weights.similar = 0.2, o.weights.owner_similar = 0, o.weights.near_similar = 0.3;
  auto r = m->Rank(ch, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<int64_t, std::map<std::string, Reason>> reasons;
  std::map<int64_t, double> score;
  for (const Match& x : *r) {
    double sum = 0;
    for (const Reason& y : x.reasons) sum += y.contribution, reasons[x.actor.value()][y.code] = y;
    EXPECT_NEAR(sum, x.score, 1e-6) << x.name;
    score[x.actor.value()] = x.score;
  }
  ASSERT_TRUE(reasons[3].count("near_similar"));
  ASSERT_TRUE(reasons[2].count("near_similar")) << "the partner itself took part";
  EXPECT_NEAR(reasons[3]["near_similar"].value, 1.0, 1e-6) << "the best actor's is 1";
  EXPECT_EQ(reasons[3]["near_similar"].detail.rfind(
                "1 of the most similar past challenges or projects in the owner's circle", 0),
            0U)
      << reasons[3]["near_similar"].detail;
  EXPECT_EQ(reasons[3]["near_similar"].items, std::vector<std::string>{"Eenzaamheid onder ouderen in de wijk"});
  EXPECT_EQ(ToJson(reasons[3]["near_similar"])["params"]["count"], 1);
  EXPECT_FALSE(reasons[5].count("near_similar")) << "its similar work holds no one of the owner's circle";
  ASSERT_TRUE(reasons[5].count("similar"));
  EXPECT_GT(score[3], score[5]) << "equal similar work, but 3's was in the owner's circle";
  // Among the features of the learned stage, after owner_similar.
  const auto& names = Matcher::FeatureNames();
  EXPECT_EQ(names[9], "near_similar");
}

// Ninth session: the signals the matcher lacked. Each fixture has two actors equal on every older
// component (the first one by index, so it wins a tie); the new component alone decides.
namespace ninth {

std::map<int64_t, std::map<std::string, Reason>> ReasonsOf(const std::vector<Match>& list) {
  std::map<int64_t, std::map<std::string, Reason>> out;
  for (const Match& x : list) {
    double sum = 0;
    for (const Reason& y : x.reasons) sum += y.contribution, out[x.actor.value()][y.code] = y;
    EXPECT_NEAR(sum, x.score, 1e-6) << x.name << ": the reasons add up to the score";
  }
  return out;
}

int PlaceOf(const std::vector<Match>& list, int64_t actor) {
  for (size_t k = 0; k < list.size(); ++k)
    if (list[k].actor == ActorId(actor)) return static_cast<int>(k) + 1;
  return 0;
}

domain::Challenge Eenzaamheid(int64_t id = 200) {
  domain::Challenge ch;
  ch.id = ChallengeId(id);
  ch.title = "Eenzaamheid onder ouderen";
  ch.municipality = MunicipalityId(1);
  ch.owner = ActorId(1);
  return ch;
}

}  // namespace ninth

// recent_partner: the owner worked with actor 2 in 2015 and with actor 3 in 2019, each once; the
// tie strength is the same, so only the date tells them apart. The challenge's own coalition never
// counts.
TEST(Matcher, TheOwnersRecentPartnersComeFirst) {
  using namespace ninth;
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Toen").Kind(ActorKind::kCareWelfare).In(1).Described("ouderen"),
      AnActor(3).Named("Stichting Nu").Kind(ActorKind::kCareWelfare).In(1).Described("ouderen"),
  };
  std::vector<PastWork> past = {
      {ActorId(1), "Fietspaden", ChallengeId(100), "2015-03-01"},
      {ActorId(2), "Fietspaden", ChallengeId(100), "2015-03-01"},
      {ActorId(1), "Speeltuinen", ChallengeId(101), "2019-03-01"},
      {ActorId(3), "Speeltuinen", ChallengeId(101), "2019-03-01"},
  };
  auto m = Matcher::Build(actors, {ATie(1, 2), ATie(1, 3)}, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  RankOptions o;
  o.diversity = 0;
  o.weights.recent_partner = o.weights.active = 0;  // the defaults without the new components
  auto before = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_LT(PlaceOf(*before, 2), PlaceOf(*before, 3)) << "without the component they tie (index order)";
  o.weights.recent_partner = 0.15;
  auto r = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().actor, ActorId(3)) << "the recent partner first";
  auto reasons = ReasonsOf(*r);
  ASSERT_TRUE(reasons[3].count("recent_partner"));
  EXPECT_NEAR(reasons[3]["recent_partner"].value, 1.0, 1e-6);
  EXPECT_NEAR(reasons[2]["recent_partner"].value, std::exp2(-4.0 / 2.0), 1e-3) << "4 years older: a quarter";
  EXPECT_EQ(reasons[3]["recent_partner"].detail,
            "1 past challenge(s) or project(s) with the owner, the latest in 2019: 'Speeltuinen'");
  auto j = ToJson(reasons[3]["recent_partner"]);
  EXPECT_EQ(j["params"]["count"], 1);
  EXPECT_EQ(j["params"]["year"], 2019);
  EXPECT_EQ(j["params"]["example"], "Speeltuinen");
  // Ranking challenge 101 itself: its coalition is no evidence (no feedback loop).
  auto own = m->Rank(Eenzaamheid(101), o);
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(ReasonsOf(*own)[3].count("recent_partner"));
}

// active: two actors equal on text, one last active in 2014, the other in 2019.
TEST(Matcher, RecentlyActiveActorsComeFirst) {
  using namespace ninth;
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Toen").Kind(ActorKind::kCareWelfare).In(1).Described("eenzaamheid"),
      AnActor(3).Named("Stichting Nu").Kind(ActorKind::kCareWelfare).In(1).Described("eenzaamheid"),
  };
  std::vector<PastWork> past = {
      {ActorId(2), "Fietspaden", ChallengeId(100), "2014-03-01"},
      {ActorId(3), "Speeltuinen", ChallengeId(101), "2019-03-01"},
  };
  auto m = Matcher::Build(actors, {}, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  RankOptions o;
  o.diversity = 0;
  o.weights.recent_partner = o.weights.active = 0;  // the defaults without the new components
  auto before = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_LT(PlaceOf(*before, 2), PlaceOf(*before, 3)) << "without the component they tie";
  o.weights.active = 0.1;
  auto r = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().actor, ActorId(3));
  auto reasons = ReasonsOf(*r);
  ASSERT_TRUE(reasons[3].count("active"));
  EXPECT_NEAR(reasons[3]["active"].value, 1.0, 1e-6);
  EXPECT_EQ(reasons[3]["active"].detail, "1 past challenge(s) or project(s) in the last 2 years, the latest in 2019");
  EXPECT_EQ(ToJson(reasons[3]["active"])["params"]["year"], 2019);
  EXPECT_EQ(reasons[2]["active"].detail, "0 past challenge(s) or project(s) in the last 2 years, the latest in 2014");
  // Ranking challenge 101: actor 3's only work is that challenge's own coalition.
  auto own = m->Rank(Eenzaamheid(101), o);
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(ReasonsOf(*own)[3].count("active"));
  EXPECT_LT(PlaceOf(*own, 2), PlaceOf(*own, 3));
}

// recent_similar: two past works as similar to the challenge, one from 2014 and one from 2019.
TEST(Matcher, RecentSimilarPastWorkCountsMore) {
  using namespace ninth;
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Toen").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(3).Named("Stichting Nu").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(4).Named("Zonnedak BV").Kind(ActorKind::kCompany).In(1).Described(""),
  };
  std::vector<PastWork> past = {
      {ActorId(2), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100), "2014-03-01"},
      {ActorId(3), "Eenzaamheid onder ouderen in de buurt", ChallengeId(101), "2019-03-01"},
      {ActorId(4), "Zonnepanelen op daken", ChallengeId(102), "2019-03-01"},
  };
  auto m = Matcher::Build(actors, {}, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  RankOptions o;
  o.diversity = 0;
  o.weights.recent_partner = o.weights.active = 0;  // the defaults without the new components
  auto before = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_LT(PlaceOf(*before, 2), PlaceOf(*before, 3)) << "without the component they tie";
  o.weights.recent_similar = 0.15;
  auto r = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front().actor, ActorId(3));
  auto reasons = ReasonsOf(*r);
  ASSERT_TRUE(reasons[3].count("recent_similar"));
  EXPECT_NEAR(reasons[3]["recent_similar"].value, 1.0, 1e-6);
  EXPECT_NEAR(reasons[2]["recent_similar"].value, std::exp2(-5.0 / 2.0), 1e-3) << "an equal vote, 5 years older";
  EXPECT_EQ(reasons[3]["recent_similar"].items, std::vector<std::string>{"Eenzaamheid onder ouderen in de buurt"});
  EXPECT_EQ(ToJson(reasons[3]["recent_similar"])["params"]["count"], 1);
  EXPECT_FALSE(reasons[4].count("recent_similar")) << "its work shares no word with the challenge";
  auto own = m->Rank(Eenzaamheid(101), o);
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(ReasonsOf(*own)[3].count("recent_similar"));
}

// partners2: actors 4 and 5 are both 2 steps from the owner; 5 through the owner's strong partner
// (tie 5), 4 through a weak one (tie 1).
TEST(Matcher, PartnersOfTheOwnersStrongPartnersComeFirst) {
  using namespace ninth;
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Sterk").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(3).Named("Stichting Zwak").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(4).Named("Welzijn Noord").Kind(ActorKind::kCareWelfare).In(1).Described("ouderen"),
      AnActor(5).Named("Welzijn Zuid").Kind(ActorKind::kCareWelfare).In(1).Described("ouderen"),
  };
  auto m = Matcher::Build(actors, {ATie(1, 2).Weight(5), ATie(1, 3), ATie(3, 4), ATie(2, 5)}, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  RankOptions o;
  o.diversity = 0;
  o.weights.recent_partner = o.weights.active = 0;  // the defaults without the new components
  auto before = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_LT(PlaceOf(*before, 4), PlaceOf(*before, 5)) << "without the component they tie";
  o.weights.partners2 = 0.1;
  auto r = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(PlaceOf(*r, 5), PlaceOf(*r, 4));
  auto reasons = ReasonsOf(*r);
  ASSERT_TRUE(reasons[5].count("partners2"));
  EXPECT_NEAR(reasons[5]["partners2"].value, 1.0, 1e-6);
  // Resource allocation: 5 gets 5/6 of the owner's strength through 2, of which 2 passes on 1/6; 4
  // gets 1/6 through 3, which passes on 1/2.
  EXPECT_NEAR(reasons[4]["partners2"].value, (1.0 / 12) / (5.0 / 36), 1e-5);
  EXPECT_EQ(reasons[5]["partners2"].detail, "1 of the owner's partners worked with it");
  EXPECT_EQ(ToJson(reasons[5]["partners2"])["params"]["count"], 1);
}

// kind_fit: the most similar past work was done by knowledge institutions; of two newcomers equal
// on text, the knowledge institution comes first.
TEST(Matcher, TheKindsOfTheMostSimilarPastWorkComeFirst) {
  using namespace ninth;
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Universiteit Noord").Kind(ActorKind::kKnowledgeInstitution).In(1).Described(""),
      AnActor(3).Named("Hogeschool Oost").Kind(ActorKind::kKnowledgeInstitution).In(1).Described(""),
      AnActor(4).Named("Noord BV").Kind(ActorKind::kCompany).In(1).Described("ouderen"),
      AnActor(5).Named("Zuid Instituut").Kind(ActorKind::kKnowledgeInstitution).In(1).Described("ouderen"),
      AnActor(6).Named("Zonnedak BV").Kind(ActorKind::kCompany).In(1).Described(""),
  };
  std::vector<PastWork> past = {
      {ActorId(2), "Eenzaamheid onder ouderen onderzoeken", ChallengeId(100)},
      {ActorId(3), "Eenzaamheid onder ouderen onderzoeken", ChallengeId(100)},
      {ActorId(6), "Zonnepanelen op daken", ChallengeId(101)},
  };
  auto m = Matcher::Build(actors, {}, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  RankOptions o;
  o.diversity = 0;
  o.weights.recent_partner = o.weights.active = 0;  // the defaults without the new components
  auto before = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_LT(PlaceOf(*before, 4), PlaceOf(*before, 5)) << "without the component they tie";
  o.weights.kind_fit = 0.1;
  auto r = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(PlaceOf(*r, 5), PlaceOf(*r, 4));
  auto reasons = ReasonsOf(*r);
  ASSERT_TRUE(reasons[5].count("kind_fit"));
  EXPECT_FALSE(reasons[4].count("kind_fit")) << "no company took part in similar work";
  EXPECT_EQ(
      reasons[5]["kind_fit"].detail,
      "100% of the partners on the most similar past work were organisations of its kind (knowledge_institution)");
  auto j = ToJson(reasons[5]["kind_fit"]);
  EXPECT_EQ(j["params"]["kind"], "knowledge_institution");
  EXPECT_DOUBLE_EQ(j["params"]["share"].get<double>(), 1.0);
  // Ranking challenge 100 itself: its coalition does not vote, so no kind is favoured.
  auto own = m->Rank(Eenzaamheid(100), o);
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(ReasonsOf(*own)[5].count("kind_fit"));
}

// The new components are features of the learned stage, after the ten older ones.
TEST(Matcher, TheNewComponentsAreFeatures) {
  const auto& names = Matcher::FeatureNames();
  const std::vector<std::string> expected = {"recent_partner", "active", "recent_similar", "partners2", "kind_fit"};
  ASSERT_GE(names.size(), 15U);
  EXPECT_EQ(std::vector<std::string>(names.begin() + 10, names.begin() + 15), expected);
  // Tenth session: the walk after them, then the invitation history.
  ASSERT_EQ(names.size(), 18U);
  EXPECT_EQ(names[15], "walk");
  EXPECT_EQ(names[16], "invitations_accepted");
}

// walk (tenth session): 4 and 5 are both partners of the owner's partner 2, with ties of the same
// strength, so they tie on every other component (closeness, partners2 included), and the ties
// around them mirror each other. But 5's partner 6 took part in the past project most like the
// challenge (with 7), 4's partner 3 did not: the walk that restarts at the owner and at the actors
// of that project reaches 5 more often, and 5 comes first.
TEST(Matcher, TheWalkFromTheOwnerAndTheSimilarWorkFindsItsNeighbourhood) {
  using namespace ninth;
  std::vector<domain::Actor> actors = {
      AnActor(1).Named("Gemeente Zuidstad").Kind(ActorKind::kGovernment).In(1).Described(""),
      AnActor(2).Named("Stichting Midden").Kind(ActorKind::kCareWelfare).In(1).Described(""),
      AnActor(3).Named("Sportclub Noord").Kind(ActorKind::kCitizensInitiative).In(2).Described(""),
      AnActor(4).Named("Welzijn Noord").Kind(ActorKind::kCareWelfare).In(1).Described("ouderen"),
      AnActor(5).Named("Welzijn Zuid").Kind(ActorKind::kCareWelfare).In(1).Described("ouderen"),
      AnActor(6).Named("Ouderenbond Oost").Kind(ActorKind::kCitizensInitiative).In(2).Described(""),
      AnActor(7).Named("Hogeschool West").Kind(ActorKind::kKnowledgeInstitution).In(2).Described(""),
      AnActor(8).Named("Kunstenaars West").Kind(ActorKind::kKnowledgeInstitution).In(2).Described(""),
  };
  std::vector<PastWork> past = {
      {ActorId(6), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100)},
      {ActorId(7), "Eenzaamheid onder ouderen in de wijk", ChallengeId(100)},
  };
  // 4's side mirrors 5's (2-4-3-8 and 2-5-6-7), so that only the restarts tell them apart.
  const std::vector<domain::Tie> ties = {ATie(1, 2), ATie(2, 4), ATie(2, 5), ATie(5, 6),
                                         ATie(6, 7), ATie(4, 3), ATie(3, 8)};
  auto m = Matcher::Build(actors, ties, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  RankOptions o;
  o.diversity = 0;
  o.weights.recent_partner = o.weights.active = 0;  // the defaults without the newer components
  o.all_features = true;
  auto before = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_GT(PlaceOf(*before, 5), 0);
  EXPECT_LT(PlaceOf(*before, 4), PlaceOf(*before, 5)) << "without the walk they tie";
  for (const Match& x : *before)
    if (x.actor == ActorId(4) || x.actor == ActorId(5)) {
      EXPECT_GT(x.features[13], 0.f) << x.name << ": partners2 reaches both";
      EXPECT_GT(x.features[15], 0.f) << x.name << ": the walk reaches both";
    }
  o.weights.walk = 0.1;
  auto r = m->Rank(Eenzaamheid(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(PlaceOf(*r, 5), PlaceOf(*r, 4));
  auto reasons = ReasonsOf(*r);
  ASSERT_TRUE(reasons[5].count("walk"));
  ASSERT_TRUE(reasons[4].count("walk"));
  EXPECT_GT(reasons[5]["walk"].value, reasons[4]["walk"].value);
  EXPECT_EQ(reasons[5]["walk"].detail.substr(0, 67),
            "1 of its partners are the owner or took part in the most similar pa");
  EXPECT_EQ(reasons[4]["walk"].detail.substr(0, 2), "0 ");
  EXPECT_EQ(ToJson(reasons[5]["walk"])["params"]["count"], 1);
  // Without the similar project to restart at (a challenge whose words no past work shares), the
  // walk restarts at the owner alone, and 4 and 5 are alike to it.
  domain::Challenge other = Eenzaamheid();
  other.title = "Fietsenstalling bij het station";
  std::map<int64_t, float> walk;
  auto plain = m->Rank(other, o);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  for (const Match& x : *plain) walk[x.actor.value()] = x.features[15];
  EXPECT_GT(walk[4], 0.f);
  EXPECT_NEAR(walk[4], walk[5], 1e-6);
  // The challenge's own past work is no restart for it: ranking challenge 100 itself, 6 and 7's
  // project does not vote, and 4 and 5 are alike again.
  walk.clear();
  auto own = m->Rank(Eenzaamheid(100), o);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  for (const Match& x : *own) walk[x.actor.value()] = x.features[15];
  EXPECT_GT(walk[4], 0.f);
  EXPECT_NEAR(walk[4], walk[5], 1e-6);
}

// A component at weight 0 is skipped unless every feature is asked for (RankOptions::all_features
// or a learned stage). On a city where every such component has values, the list is the same
// either way: the same actors in the same places with the same scores (bit for bit), reasons and
// flags, and the features of the weighted components; only the features of the components at
// weight 0 differ, 0 without the flag.
TEST(Matcher, SkippingWeightZeroComponentsChangesNoRanking) {
  const std::vector<std::string> words = {"ouderen",  "eenzaamheid", "zorg",  "buurthuis", "energie",   "isolatie",
                                          "schulden", "armoede",     "sport", "jongeren",  "mantelzorg"};
  const std::vector<ActorKind> kinds = {ActorKind::kGovernment, ActorKind::kCareWelfare, ActorKind::kCompany,
                                        ActorKind::kKnowledgeInstitution, ActorKind::kCitizensInitiative};
  uint64_t x = 777;
  auto next = [&x](uint64_t n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (x >> 33) % n;
  };
  constexpr int kActors = 600;
  std::vector<domain::Actor> actors;
  for (int i = 1; i <= kActors; ++i) {
    std::string text = "Wij werken aan";
    for (int k = 0, n = 1 + static_cast<int>(next(3)); k < n; ++k) text += " " + words[next(words.size())];
    actors.push_back(AnActor(i).Kind(kinds[next(kinds.size())]).In(1 + static_cast<int>(next(3))).Described(text));
  }
  std::vector<domain::Tie> ties;
  for (int i = 1; i <= kActors; ++i)
    for (int k = 0; k < 2; ++k)
      ties.push_back(ATie(i, 1 + static_cast<int>((next(kActors - 1) + static_cast<uint64_t>(i)) % kActors))
                         .Weight(1 + static_cast<double>(next(3))));
  std::erase_if(ties, [](const domain::Tie& t) { return t.a == t.b; });
  std::vector<PastWork> past;
  for (int c = 1; c <= 120; ++c) {
    const std::string text = "Project " + words[next(words.size())] + " en " + words[next(words.size())];
    const std::string date = std::to_string(2015 + next(6)) + "-0" + std::to_string(1 + next(9)) + "-01";
    for (int k = 0, n = 2 + static_cast<int>(next(4)); k < n; ++k)
      past.push_back({ActorId(1 + static_cast<int64_t>(next(kActors))), text, ChallengeId(c), date});
  }
  auto m = Matcher::Build(actors, ties, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  MatchWeights with_walk;
  with_walk.walk = 0.2;
  MatchWeights some_off;  // the defaults with two more components at 0
  some_off.owner_similar = some_off.closeness = 0;
  const std::vector<std::pair<std::string, MatchWeights>> settings = {
      {"defaults", {}}, {"walk 0.2", with_walk}, {"owner_similar and closeness 0", some_off}};
  const std::vector<size_t> skippable = {9, 12, 13, 14, 15};  // near_similar, recent_similar, partners2, kind_fit, walk
  std::map<size_t, int> nonzero;  // per skippable feature: lists where the flag gave it a value
  for (int c = 1; c <= 6; ++c) {
    domain::Challenge ch;
    ch.id = ChallengeId(c <= 3 ? c : 1000 + c);  // 1-3 have past work of their own
    ch.title = words[next(words.size())] + " " + words[next(words.size())];
    ch.text = "Wij zoeken partners voor " + words[next(words.size())];
    ch.language = "nl";
    ch.municipality = MunicipalityId(1 + static_cast<int64_t>(next(3)));
    ch.owner = ActorId(1 + static_cast<int64_t>(next(kActors)));
    for (const auto& [name, weights] : settings) {
      for (int limit : {10, 60, kActors}) {  // kActors: every actor scored is listed
        RankOptions o{.limit = limit, .weights = weights};
        auto skipped = m->Rank(ch, o);
        o.all_features = true;
        auto every = m->Rank(ch, o);
        ASSERT_TRUE(skipped.ok() && every.ok()) << c << " " << name;
        ASSERT_EQ(skipped->size(), every->size()) << "challenge " << c << ", " << name;
        const double wt[] = {weights.text,           weights.capability,   weights.theme,          weights.area,
                             weights.closeness,      weights.partner,      weights.record,         weights.similar,
                             weights.owner_similar,  weights.near_similar, weights.recent_partner, weights.active,
                             weights.recent_similar, weights.partners2,    weights.kind_fit,       weights.walk};
        for (size_t k = 0; k < every->size(); ++k) {
          const Match &a = (*skipped)[k], &b = (*every)[k];
          ASSERT_EQ(a.actor, b.actor) << "challenge " << c << ", " << name << ", place " << k + 1;
          EXPECT_EQ(a.score, b.score) << "challenge " << c << ", " << name << ", place " << k + 1;
          EXPECT_EQ(a.moved_up, b.moved_up);
          EXPECT_EQ(a.unexpected, b.unexpected);
          ASSERT_EQ(a.reasons.size(), b.reasons.size()) << "challenge " << c << ", " << name << ", place " << k + 1;
          for (size_t r = 0; r < a.reasons.size(); ++r) {
            EXPECT_EQ(a.reasons[r].code, b.reasons[r].code);
            EXPECT_EQ(a.reasons[r].contribution, b.reasons[r].contribution);
            EXPECT_EQ(a.reasons[r].detail, b.reasons[r].detail);
          }
          ASSERT_EQ(a.features.size(), b.features.size());
          for (size_t f = 0; f < 16; ++f) {
            const bool skippable_here = wt[f] == 0 && std::count(skippable.begin(), skippable.end(), f) > 0;
            if (!skippable_here) {
              EXPECT_EQ(a.features[f], b.features[f]) << "feature " << f << ", challenge " << c << ", " << name;
            } else {
              EXPECT_EQ(a.features[f], 0.f) << "feature " << f << " at weight 0 is not computed";
              nonzero[f] += b.features[f] > 0;
            }
          }
        }
      }
    }
  }
  for (size_t f : skippable)
    EXPECT_GT(nonzero[f], 0) << "feature " << f
                             << " never had a value with every feature asked for: the test shows "
                                "nothing for it";
}

// The diversity re-ranking picks only the first RankOptions::diversity_places; the rest of the list
// is in score order (a penalty over the whole list pushed good actors far down).
TEST_F(MatcherTest, DiversityPicksOnlyTheFirstPlaces) {
  RankOptions o{.limit = 7, .diversity = 3.0};
  o.diversity_places = 100;
  auto everywhere = matcher_->Rank(challenge_, o);
  o.diversity_places = 1;
  auto first = matcher_->Rank(challenge_, o);
  ASSERT_TRUE(everywhere.ok() && first.ok());
  int moved = 0;
  for (const Match& m : *everywhere) moved += m.moved_up && m.rank > 1;
  EXPECT_GE(moved, 1) << "the fixture must have an actor moved up below place 1";
  for (const Match& m : *first) EXPECT_FALSE(m.moved_up) << m.name << " at " << m.rank;
  for (size_t k = 1; k < first->size(); ++k) EXPECT_GE((*first)[k - 1].score, (*first)[k].score) << k;
}

// Issue 16 item 3: an actor edited, an actor added, a tie added and one removed, and an invitation
// answered, applied in place, rank as a matcher built afresh from the same data does (scores and
// every reason's contribution; the groups are the whole build's, so diversity is off here).
TEST(MatcherUpdate, InPlaceRanksLikeAFreshBuild) {
  std::vector<domain::Actor> actors = {
      AnActor(1)
          .Named("Gemeente Zuidstad")
          .Kind(ActorKind::kGovernment)
          .In(1)
          .Described("Gemeente, beleid sociaal domein")
          .Capabilities({"beleid"}),
      AnActor(2)
          .Named("Thuiszorg Zuid")
          .Kind(ActorKind::kCareWelfare)
          .In(1)
          .Described("Ouderenzorg en thuiszorg in de wijk")
          .Capabilities({"zorg"}),
      AnActor(3)
          .Named("Buurtkracht")
          .Kind(ActorKind::kCitizensInitiative)
          .In(1)
          .Described("Bewoners helpen elkaar, buurthuis")
          .Capabilities({"buurtwerk"}),
      AnActor(4)
          .Named("Hogeschool Zuid")
          .Kind(ActorKind::kKnowledgeInstitution)
          .In(2)
          .Described("Onderzoek naar eenzaamheid")
          .Capabilities({"onderzoek"}),
      AnActor(5)
          .Named("Zonnedak BV")
          .Kind(ActorKind::kCompany)
          .In(3)
          .Described("Zonnepanelen en energiecoöperatie")
          .Capabilities({"energie"}),
  };
  std::vector<domain::Tie> ties = {ATie(1, 2).Weight(3), ATie(1, 3).Weight(2), ATie(2, 3), ATie(2, 4),
                                   ATie(4, 5).Weight(0.5)};
  for (size_t k = 0; k < ties.size(); ++k) ties[k].id = TieId(static_cast<int64_t>(k + 1));
  std::vector<PastWork> past = {{ActorId(2), "Valpreventie voor ouderen", ChallengeId(9)}};
  BuildOptions options;
  options.outcomes = {{ActorId(3), ChallengeId(8), false}};
  auto live = Matcher::Build(actors, ties, past, {}, nullptr, options);
  ASSERT_TRUE(live.ok()) << live.status().ToString();

  MatcherChanges changes;
  // Buurtkracht now works on loneliness of the elderly, in municipality 2, with other capabilities.
  actors[2] = AnActor(3)
                  .Named("Buurtkracht")
                  .Kind(ActorKind::kCitizensInitiative)
                  .In(2)
                  .Described("Eenzame ouderen bezoeken, vrijwilligers")
                  .Capabilities({"vrijwilligers", "zorg"});
  changes.actors.push_back(actors[2]);
  // A new care organisation, tied to the owner.
  actors.push_back(AnActor(6)
                       .Named("Welzijn Zuid")
                       .Kind(ActorKind::kCareWelfare)
                       .In(1)
                       .Described("Welzijnswerk voor ouderen")
                       .Capabilities({"zorg"}));
  changes.actors.push_back(actors.back());
  domain::Tie added = ATie(1, 6).Weight(2);
  added.id = TieId(6);
  ties.push_back(added);
  changes.ties_added.push_back(added);
  // The owner's tie to Buurtkracht ends: removed.
  ties.erase(ties.begin() + 1);
  changes.ties_removed.push_back(TieId(2));
  // Buurtkracht accepted an invitation for challenge 8 after all.
  options.outcomes = {{ActorId(3), ChallengeId(8), true}};
  changes.outcomes[ChallengeId(8)] = options.outcomes;
  ASSERT_TRUE(live->Update(changes).ok());
  ASSERT_TRUE(live->Update(changes).ok()) << "a change applied twice is the same change";

  auto fresh = Matcher::Build(actors, ties, past, {}, nullptr, options);
  ASSERT_TRUE(fresh.ok());
  domain::Challenge ch;
  ch.title = "Eenzaamheid onder ouderen";
  ch.text = "Eenzame ouderen in de wijk bezoeken met vrijwilligers en zorg";
  ch.language = "nl";
  ch.municipality = MunicipalityId(1);
  ch.owner = ActorId(1);
  ch.capabilities = {{"zorg", 2}, {"vrijwilligers", 1}};
  RankOptions ro;
  ro.diversity = 0;
  ro.limit = 10;
  auto a = live->Rank(ch, ro), b = fresh->Rank(ch, ro);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t k = 0; k < a->size(); ++k) {
    EXPECT_EQ((*a)[k].actor, (*b)[k].actor) << "place " << k + 1;
    EXPECT_NEAR((*a)[k].score, (*b)[k].score, 1e-9) << "place " << k + 1;
    EXPECT_EQ((*a)[k].features, (*b)[k].features) << "place " << k + 1;
  }
  // The edit shows: Buurtkracht holds the needed capabilities now and is in the list.
  auto buurtkracht = std::find_if(a->begin(), a->end(), [](const Match& m) { return m.actor == ActorId(3); });
  ASSERT_NE(buurtkracht, a->end());
  EXPECT_EQ(buurtkracht->features[Matcher::FeatureNames().size() - 2], 1.f) << "the accepted invitation counts";
  EXPECT_EQ(buurtkracht->features[4], 0.5f) << "closeness: two hops from the owner now that the tie is gone";

  // A change that cannot be applied changes nothing.
  MatcherChanges bad;
  bad.actors.push_back(AnActor(7).Named("Nieuw").Kind(ActorKind::kCompany).In(1).Described("Iets nieuws"));
  bad.ties_added.push_back(ATie(7, 99));
  Status s = live->Update(bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown actor 99"), std::string::npos) << s.message();
  EXPECT_FALSE(live->IndexOf(ActorId(7)).has_value());
}

// Rank leaves the query's most common words out of its first pass and scores them only for the
// actors near the pool's edge. On a city where every actor's text shares a few words with the
// challenge (as the national demo's do), the ranking must be the one with every word scored: the
// same actors in the same places, the same scores to the last bit, the same features and reasons.
TEST(MatcherPruning, PruningLeavesTheRankingAsItWas) {
  const std::vector<std::string> words = {"ouderen",  "eenzaamheid",   "zorg",       "buurthuis", "energie",
                                          "isolatie", "schulden",      "armoede",    "sport",     "jongeren",
                                          "taal",     "vrijwilligers", "mantelzorg", "dementie",  "voeding"};
  const std::vector<std::string> caps = {"zorg", "onderzoek", "buurtwerk", "energie", "ict", "financiering"};
  const std::vector<std::string> themes = {"vergrijzing", "armoede", "energietransitie", "jeugd"};
  const std::vector<ActorKind> kinds = {ActorKind::kGovernment, ActorKind::kCareWelfare, ActorKind::kCompany,
                                        ActorKind::kKnowledgeInstitution, ActorKind::kCitizensInitiative};
  uint64_t x = 12345;
  auto next = [&x](uint64_t n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (x >> 33) % n;
  };
  std::vector<domain::Actor> actors;
  for (int i = 1; i <= 3000; ++i) {
    std::string text = "Wij werken graag samen met partners uit de wijk aan";
    for (int k = 0, n = 1 + static_cast<int>(next(5)); k < n; ++k) text += " " + words[next(words.size())];
    actors.push_back(AnActor(i)
                         .Kind(kinds[next(kinds.size())])
                         .In(1 + static_cast<int>(next(3)))
                         .Described(text)
                         .Themes({themes[next(themes.size())]})
                         .Capabilities({caps[next(caps.size())]}));
  }
  std::vector<domain::Tie> ties;
  for (int i = 1; i <= 3000; ++i)
    ties.push_back(ATie(i, 1 + static_cast<int>((next(2999) + static_cast<uint64_t>(i)) % 3000))
                       .Weight(1 + static_cast<double>(next(3))));
  std::erase_if(ties, [](const domain::Tie& t) { return t.a == t.b; });
  std::vector<PastWork> past;
  for (int i = 0; i < 400; ++i)
    past.push_back({ActorId(1 + static_cast<int64_t>(next(3000))),
                    "Samen in de wijk: " + words[next(words.size())] + " en " + words[next(words.size())],
                    ChallengeId(1 + static_cast<int64_t>(next(8)))});
  auto m = Matcher::Build(actors, ties, past);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  int pruned = 0;
  for (int c = 1; c <= 8; ++c) {
    domain::Challenge ch;
    ch.id = ChallengeId(c);  // challenges 1-8 have past work of their own: their members' text is scored without it
    ch.title = "Samen in de wijk tegen " + words[next(words.size())];
    ch.text = "Wij zoeken partners die samen werken aan";
    for (int k = 0; k < 5; ++k) ch.text += " " + words[next(words.size())];
    ch.language = "nl";
    ch.municipality = MunicipalityId(1 + static_cast<int64_t>(next(3)));
    ch.owner = ActorId(1 + static_cast<int64_t>(next(3000)));
    ch.themes = {themes[next(themes.size())]};
    ch.capabilities = {{caps[next(caps.size())], 2.0}, {caps[next(caps.size())], 1.0}};
    // The default weights, and text alone (where the words left out decide more places).
    MatchWeights text_only{.text = 1,
                           .capability = 0,
                           .theme = 0,
                           .area = 0.05,
                           .closeness = 0,
                           .partner = 0,
                           .record = 0,
                           .similar = 0,
                           .owner_similar = 0};
    for (const auto& [limit, weights] : std::vector<std::pair<int, MatchWeights>>{
             {5, {}}, {20, {}}, {600, {}}, {5, text_only}, {20, text_only}}) {  // 600: a pool of every actor
      RankStats stats;
      auto fast = m->Rank(ch, {.limit = limit, .weights = weights, .stats = &stats});
      auto full = m->Rank(ch, {.limit = limit, .weights = weights, .prune = false});
      ASSERT_TRUE(fast.ok() && full.ok()) << c;
      pruned += stats.pruned;
      if (stats.pruned) {
        EXPECT_LT(stats.rescored, stats.reached / 2) << "challenge " << c << ", limit " << limit;
      }
      ASSERT_EQ(fast->size(), full->size()) << "challenge " << c << ", limit " << limit;
      for (size_t k = 0; k < full->size(); ++k) {
        const Match &a = (*fast)[k], &b = (*full)[k];
        ASSERT_EQ(a.actor, b.actor) << "challenge " << c << ", limit " << limit << ", place " << k + 1;
        EXPECT_EQ(a.score, b.score) << "challenge " << c << ", place " << k + 1;
        EXPECT_EQ(a.features, b.features) << "challenge " << c << ", place " << k + 1;
        ASSERT_EQ(a.reasons.size(), b.reasons.size());
        for (size_t r = 0; r < a.reasons.size(); ++r) {
          EXPECT_EQ(a.reasons[r].code, b.reasons[r].code);
          EXPECT_EQ(a.reasons[r].contribution, b.reasons[r].contribution);
          EXPECT_EQ(a.reasons[r].detail, b.reasons[r].detail);
        }
        EXPECT_EQ(a.unexpected, b.unexpected);
      }
    }
  }
  EXPECT_GE(pruned, 24) << "the first pass left no word out, or never settled the pool: the test shows nothing";
}

}  // namespace
}  // namespace weefsel::match
