#include "coalition/pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <unordered_map>

#include "domain/vocabulary.h"

namespace weefsel::coalition {
namespace {

using domain::ActorKind;
using domain::Sector;

// Issue 17: "Eenzaamheid onder ouderen" for the Indische Buurt in Amsterdam (1) got coalitions from
// Den Haag (2) and Rotterdam (3) only, because the best-scored actors were there.
class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add(1, "Gemeente Amsterdam", ActorKind::kGovernment, 1, "Centrum", {"beleid"});
    Add(10, "Zorg Rotterdam", ActorKind::kCareWelfare, 3, "", {"zorg"});
    Add(11, "Welzijn Rotterdam", ActorKind::kCareWelfare, 3, "", {"zorg", "vrijwilligers"});
    Add(12, "Ouderen Den Haag", ActorKind::kCareWelfare, 2, "", {"zorg"});
    Add(13, "Onderzoek Den Haag", ActorKind::kKnowledgeInstitution, 2, "", {"onderzoek"});
    Add(20, "Buurtzorg Oost", ActorKind::kCareWelfare, 1, "Oost", {"zorg"});
    Add(21, "Buurthuis Indische Buurt", ActorKind::kCitizensInitiative, 1, "Indische Buurt", {"vrijwilligers"});
    Add(22, "Welzijn West", ActorKind::kCareWelfare, 1, "West", {"zorg"});
    ch_.id = ChallengeId(5);
    ch_.municipality = MunicipalityId(1);
    ch_.area = "indische buurt";
    ch_.owner = ActorId(1);
    ch_.capabilities = {{"zorg", 2}, {"vrijwilligers", 1}};
    // The ranking of the defect: the outsiders on top.
    ranked_ = {{ActorId(10), 0.6}, {ActorId(11), 0.55}, {ActorId(12), 0.5}, {ActorId(13), 0.45},
               {ActorId(20), 0.3}, {ActorId(22), 0.28}, {ActorId(21), 0.2}};
  }
  void Add(int id, std::string name, ActorKind kind, int muni, std::string area, std::vector<std::string> caps) {
    domain::Actor a;
    a.id = ActorId(id);
    a.name = std::move(name);
    a.kind = kind;
    a.municipality = MunicipalityId(muni);
    a.area = std::move(area);
    a.capabilities = std::move(caps);
    actors_[id] = a;
  }
  Pool Run(const PoolOptions& o = {}) {
    return PoolCandidates(
        ch_, ranked_,
        [&](ActorId id) -> const domain::Actor* {
          auto it = actors_.find(static_cast<int>(id.value()));
          return it == actors_.end() ? nullptr : &it->second;
        },
        o);
  }
  static const Candidate* Find(const Pool& p, int id) {
    for (const auto& c : p.candidates)
      if (c.actor == ActorId(id)) return &c;
    return nullptr;
  }
  std::unordered_map<int, domain::Actor> actors_;
  domain::Challenge ch_;
  std::vector<RankedActor> ranked_;
};

TEST_F(PoolTest, LocalActorsOnlyWhenTheyCoverTheNeeds) {
  Pool p = Run();
  ASSERT_TRUE(p.lead.has_value());
  EXPECT_EQ(p.candidates[static_cast<size_t>(*p.lead)].actor, ActorId(1));
  for (const auto& c : p.candidates) {
    EXPECT_EQ(c.municipality, MunicipalityId(1)) << c.name << " is from elsewhere though Amsterdam covers the needs";
    EXPECT_TRUE(c.why.empty()) << c.name;
  }
  EXPECT_NE(Find(p, 20), nullptr);
  EXPECT_NE(Find(p, 21), nullptr);
  EXPECT_NE(Find(p, 22), nullptr);
  EXPECT_TRUE(p.shortfall.empty());
  // The wijk is preferred: the Indische Buurt's buurthuis gets the area bonus (case-insensitive).
  EXPECT_NEAR(Find(p, 21)->relevance, 0.2 + PoolOptions{}.area_bonus, 1e-9);
  EXPECT_NEAR(Find(p, 20)->relevance, 0.3, 1e-9);
}

TEST_F(PoolTest, OutsidersOnlyForWhatTheLocalsLackWithTheReason) {
  ch_.capabilities.push_back({"onderzoek", 1});  // nobody in Amsterdam does research
  ch_.sector_mix[Sector::kKnowledge] = 1;
  Pool p = Run();
  const Candidate* research = Find(p, 13);
  ASSERT_NE(research, nullptr);
  EXPECT_EQ(research->municipality, MunicipalityId(2));
  const std::string tag = domain::NormalizeCapability("onderzoek");  // the vocabulary's tag
  EXPECT_NE(research->why.find("'" + tag + "'"), std::string::npos) << research->why;
  // The better-ranked Rotterdam care organisations are not needed: zorg is held locally.
  EXPECT_EQ(Find(p, 10), nullptr);
  EXPECT_EQ(Find(p, 11), nullptr);
  EXPECT_EQ(Find(p, 12), nullptr);
  ASSERT_EQ(p.shortfall.size(), 2u);
  EXPECT_NE(p.shortfall[0].find("too few local organisations with capability '" + tag + "'"), std::string::npos)
      << p.shortfall[0];
  EXPECT_NE(p.shortfall[1].find("knowledge"), std::string::npos) << p.shortfall[1];
}

TEST_F(PoolTest, ShortfallSaysWhenNobodyAnywhereHasIt) {
  ch_.capabilities.push_back({"juridisch advies", 1});
  Pool p = Run();
  ASSERT_EQ(p.shortfall.size(), 1u);
  EXPECT_NE(p.shortfall[0].find("none elsewhere on the platform either"), std::string::npos) << p.shortfall[0];
}

TEST_F(PoolTest, AChallengeWithoutMunicipalityTakesEveryone) {
  ch_.municipality = MunicipalityId();
  Pool p = Run({.best = 3});
  EXPECT_NE(Find(p, 10), nullptr);
  EXPECT_NE(Find(p, 11), nullptr);
  for (const auto& c : p.candidates) EXPECT_TRUE(c.why.empty()) << c.name;
}

}  // namespace
}  // namespace weefsel::coalition
