#include <gtest/gtest.h>

#include "domain/model.h"
#include "domain/vocabulary.h"

namespace weefsel::domain {
namespace {

TEST(VocabularyTest, ThemesByCodeOrLabel) {
  EXPECT_EQ(ParseTheme("Ouderenzorg").value(), "ouderenzorg");
  EXPECT_EQ(ParseTheme("Energy transition").value(), "energietransitie");
  EXPECT_EQ(ParseTheme("werk en participatie").value(), "werk_en_participatie");
  EXPECT_EQ(ParseTheme("Welzijn en Zorg").value(), "zorg");
  EXPECT_FALSE(ParseTheme("ruimtevaart").ok());
}

TEST(VocabularyTest, CapabilitiesNormalise) {
  EXPECT_EQ(NormalizeCapability("  Data Analyse "), "data-analysis");
  EXPECT_EQ(NormalizeCapability("Zorg & Welzijn"), "care");
  EXPECT_EQ(NormalizeCapability("Coöperatie_oprichten"), "cooperatie-oprichten");
  EXPECT_EQ(NormalizeCapability("ICT"), "software");
  EXPECT_EQ(NormalizeCapability("!!"), "");
}

// Issue 17: "vrijwilligers" is stored as "volunteers" and was shown in English in the Dutch UI.
// Every canonical tag has a Dutch and an English label, and both labels normalise back to it.
TEST(VocabularyTest, CapabilityTagsHaveDutchLabelsThatRoundTrip) {
  const CapabilityTerm* v = FindCapabilityTerm(NormalizeCapability("vrijwilligers"));
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->nl, "Vrijwilligers");
  EXPECT_EQ(v->en, "Volunteers");
  EXPECT_EQ(FindCapabilityTerm("woningcorporatie"), nullptr);
  ASSERT_FALSE(CapabilityTerms().empty());
  for (const CapabilityTerm& t : CapabilityTerms()) {
    EXPECT_EQ(NormalizeCapability(t.nl), t.code) << t.nl;
    EXPECT_EQ(NormalizeCapability(t.en), t.code) << t.en;
    EXPECT_EQ(NormalizeCapability(t.code), t.code) << t.code;
    EXPECT_FALSE(t.nl.empty());
  }
}

TEST(VocabularyTest, KindsMapOntoSectors) {
  EXPECT_EQ(SectorOf(ActorKind::kSocialEnterprise), Sector::kBusiness);
  EXPECT_EQ(SectorOf(ActorKind::kCareWelfare), Sector::kCivilSociety);
  EXPECT_EQ(SectorOf(ActorKind::kKnowledgeInstitution), Sector::kKnowledge);
  EXPECT_EQ(ParseActorKind("Burgerinitiatief").value(), ActorKind::kCitizensInitiative);
  EXPECT_EQ(ParseActorKind("care_welfare").value(), ActorKind::kCareWelfare);
  EXPECT_FALSE(ParseActorKind("alien").ok());
  for (ActorKind k : AllActorKinds()) EXPECT_EQ(ParseActorKind(ActorKindCode(k)).value(), k);
}

TEST(ModelTest, CbsCode) {
  EXPECT_TRUE(ValidateCbsCode("GM0363").ok());
  EXPECT_FALSE(ValidateCbsCode("GM363").ok());
  EXPECT_FALSE(ValidateCbsCode("XX0363").ok());
  EXPECT_FALSE(ValidateCbsCode("GM03a3").ok());
}

TEST(ModelTest, TieInvariants) {
  Tie t{.a = ActorId(2), .b = ActorId(1)};
  EXPECT_TRUE(Validate(t).ok());
  Normalize(t);
  EXPECT_EQ(t.a, ActorId(1));
  t.b = t.a;
  EXPECT_NE(Validate(t).message().find("two different actors"), std::string::npos);
  t.b = ActorId(5);
  t.weight = 0;
  EXPECT_NE(Validate(t).message().find("tie.weight"), std::string::npos);
  t.weight = 1;
  t.from = "2024-01-01";
  t.until = "2023-01-01";
  EXPECT_NE(Validate(t).message().find("tie.until"), std::string::npos);
}

TEST(ModelTest, ChallengeMixMustFitSize) {
  Challenge c{.municipality = MunicipalityId(1), .title = "Eenzaamheid in Noord"};
  c.sector_mix = {{Sector::kGovernment, 2}, {Sector::kBusiness, 2}};
  c.max_coalition_size = 3;
  Status s = Validate(c);
  EXPECT_NE(s.message().find("sector_mix"), std::string::npos);
  c.max_coalition_size = 4;
  EXPECT_TRUE(Validate(c).ok());
  c.capabilities = {{"care", 1}, {"care", 2}};
  EXPECT_NE(Validate(c).message().find("twice"), std::string::npos);
}

TEST(ModelTest, BallotWithinRoundLimits) {
  Round r{.municipality = MunicipalityId(1),
          .name = "Buurtbudget",
          .budget_eur = 1000,
          .ballot_kind = BallotKind::kCumulative};
  r.max_points = 10;
  r.max_points_per_project = 6;
  r.projects = {{.project_id = "a", .cost_eur = 500}, {.project_id = "b", .cost_eur = 700}};
  ASSERT_TRUE(Validate(r).ok());
  Ballot b{.kind = BallotKind::kCumulative, .entries = {{"a", 5}, {"b", 5}}};
  EXPECT_TRUE(Validate(b, r).ok());
  b.entries = {{"a", 6}, {"b", 5}};
  EXPECT_NE(Validate(b, r).message().find("11 points"), std::string::npos);
  b.entries = {{"a", 7}};
  EXPECT_NE(Validate(b, r).message().find("at most 6"), std::string::npos);
  b.entries = {{"c", 1}};
  EXPECT_NE(Validate(b, r).message().find("unknown project"), std::string::npos);
  b.kind = BallotKind::kApproval;
  EXPECT_FALSE(Validate(b, r).ok());
}

TEST(ModelTest, OrdinalRanksDistinct) {
  Round r{.municipality = MunicipalityId(1), .name = "R", .budget_eur = 10, .ballot_kind = BallotKind::kOrdinal};
  r.projects = {{.project_id = "a", .cost_eur = 5}, {.project_id = "b", .cost_eur = 5}};
  Ballot b{.kind = BallotKind::kOrdinal, .entries = {{"a", 1}, {"b", 1}}};
  EXPECT_FALSE(Validate(b, r).ok());
  b.entries = {{"a", 2}, {"b", 1}};
  EXPECT_TRUE(Validate(b, r).ok());
}

TEST(ModelTest, EnumCodesRoundTrip) {
  EXPECT_EQ(ParseTieKind("co_funded").value(), TieKind::kCoFunded);
  EXPECT_EQ(ParseChallengePhase(ChallengePhaseCode(ChallengePhase::kExperiment)).value(), ChallengePhase::kExperiment);
  EXPECT_EQ(ParseRole("officer").value(), Role::kOfficer);
  EXPECT_NE(ParseRoundPhase("later").status().message().find("expected one of submission"), std::string::npos);
}

TEST(ModelTest, NormalizeTagsRejectsUnknownTheme) {
  std::vector<std::string> themes = {"Eenzaamheid", "eenzaamheid"}, caps = {"Data analyse", "data-analysis"};
  ASSERT_TRUE(NormalizeTags(themes, caps).ok());
  EXPECT_EQ(themes, std::vector<std::string>{"eenzaamheid"});
  EXPECT_EQ(caps, std::vector<std::string>{"data-analysis"});
  themes = {"maanlanding"};
  EXPECT_FALSE(NormalizeTags(themes, caps).ok());
}

TEST(ModelTest, ActorWebsiteIsAWebAddress) {
  Actor a;
  a.name = "Buurtkracht";
  EXPECT_TRUE(Validate(a).ok());  // no website at all
  for (const char* ok : {"https://buurtkracht.nl", "http://example.org/over-ons?x=1", "HTTPS://Example.NL"}) {
    a.website = ok;
    EXPECT_TRUE(Validate(a).ok()) << ok;
  }
  for (const char* bad : {"javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
                          "www.example.nl", "https://a.nl/\"onmouseover=alert(1)", "https://a.nl/<x>"}) {
    a.website = bad;
    Status s = Validate(a);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("website"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace weefsel::domain
