// The audit snapshots read the field tables (domain/fields/): each snapshot has exactly the
// fields the table gives the audit (every one but the personal ones), so a field added to a table
// is in the audit log without another edit, and a personal one never is.
#include "service/core/audit_snap.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/fields/entity_fields.h"

namespace weefsel::service::core {
namespace {

namespace fields = domain::fields;

template <typename T>
void ExpectAuditFields(const fields::FieldTable<T>& table, const T& t) {
  auto snap = nlohmann::json::parse(Snap(t));
  std::set<std::string> keys, expected;
  for (auto it = snap.begin(); it != snap.end(); ++it) keys.insert(it.key());
  for (const auto& f : table.fields) {
    if (fields::InAudit(f) && (f.always || f.present(t))) expected.insert(f.name);
    if (f.visibility == fields::Visibility::kPersonal) {
      EXPECT_FALSE(snap.contains(f.name)) << table.schema << "." << f.name;
    }
    if (snap.contains(f.name)) {
      EXPECT_EQ(snap[f.name], nlohmann::json(f.encode(t))) << table.schema << "." << f.name;
    }
  }
  EXPECT_EQ(keys, expected) << table.schema;
}

// The lists an audit snapshot nests are encoded whole: their item tables hold nothing personal.
template <typename T>
void ExpectNoPersonalFields(const fields::FieldTable<T>& table) {
  for (const auto& f : table.fields)
    EXPECT_NE(f.visibility, fields::Visibility::kPersonal) << table.schema << "." << f.name;
}

TEST(AuditSnapTest, SnapshotsHaveTheAuditFieldsOfTheFieldTables) {
  domain::Actor a;
  a.id = ActorId(4);
  a.name = "Buurtkracht";
  a.municipality = MunicipalityId(2);
  a.source = "amsterdam-subsidieregister";
  ExpectAuditFields(fields::ActorFields(), a);
  domain::Tie t;
  t.a = ActorId(1);
  t.b = ActorId(2);
  t.note = "privé";
  ExpectAuditFields(fields::TieFields(), t);
  EXPECT_EQ(Snap(t).find("privé"), std::string::npos);
  domain::Challenge c;
  c.capabilities = {{"zorg", 2}};
  c.sector_mix[domain::Sector::kBusiness] = 1;
  ExpectAuditFields(fields::ChallengeFields(), c);
  domain::Coalition co;
  co.members.push_back({});
  ExpectAuditFields(fields::CoalitionFields(), co);
  domain::Proposal p;
  p.versions.push_back({});
  ExpectAuditFields(fields::ProposalFields(), p);
  domain::Round r;
  r.projects.push_back({});
  r.criteria.push_back({});
  ExpectAuditFields(fields::RoundFields(), r);
  domain::Experiment e;
  e.indicators.push_back({});
  e.milestones.push_back({});
  ExpectAuditFields(fields::ExperimentFields(), e);
  ExpectAuditFields(fields::MunicipalityFields(), domain::Municipality{});
  ExpectAuditFields(fields::RoleGrantFields(), domain::RoleGrant{});
  ExpectAuditFields(fields::MilestoneEvidenceFields(), domain::MilestoneEvidence{});
  ExpectAuditFields(fields::MatchCampaignFields(), domain::MatchCampaign{});
  ExpectNoPersonalFields(fields::CapabilityNeedFields());
  ExpectNoPersonalFields(fields::CoalitionMemberFields());
  ExpectNoPersonalFields(fields::ProposalVersionFields());
  ExpectNoPersonalFields(fields::MilestoneFields());
  ExpectNoPersonalFields(fields::RoundProjectFields());
  ExpectNoPersonalFields(fields::ReviewCriterionFields());
  ExpectNoPersonalFields(fields::IndicatorFields());
  ExpectNoPersonalFields(fields::MeasurementFields());
  ExpectNoPersonalFields(fields::TaskMilestoneFields());
  ExpectNoPersonalFields(fields::TaskIndicatorFields());
}

// The task challenges, appearance, moderation and eligibility snapshots read their tables too, and
// keep out what those tables leave out: who filed a bid or decided a step, who hid an item, a
// logo's bytes.
TEST(AuditSnapTest, TaskChallengesAppearanceModerationAndEligibilityReadTheirTables) {
  domain::MunicipalTask task;
  task.id = TaskId(3);
  task.municipality = MunicipalityId(2);
  task.capabilities = {{"zorg", 1}};
  ExpectAuditFields(fields::MunicipalTaskFields(), task);
  domain::TaskChallenge bid;
  bid.id = TaskChallengeId(5);
  bid.municipality = MunicipalityId(2);
  bid.filed_by = UserId(77);
  bid.partners = {ActorId(8)};
  bid.milestones.push_back({});
  bid.indicators.push_back({});
  bid.steps.push_back({.step = domain::TaskChallengeStep::kReceived, .decided_by = UserId(78)});
  ExpectAuditFields(fields::TaskChallengeFields(), bid);
  EXPECT_EQ(Snap(bid).find("77"), std::string::npos);
  EXPECT_EQ(Snap(bid).find("78"), std::string::npos);
  domain::Appearance look;
  look.municipality = MunicipalityId(2);
  look.logo = "\x89PNG-bytes";
  look.logo_type = "image/png";
  ExpectAuditFields(fields::AppearanceFields(), look);
  EXPECT_EQ(Snap(look).find("PNG-bytes"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(Snap(look))["logo"], "/api/v1/municipalities/2/logo");
  domain::HiddenItem hidden;
  hidden.target = "comment";
  hidden.target_id = 9;
  hidden.hidden_by = UserId(79);
  ExpectAuditFields(fields::HiddenItemFields(), hidden);
  EXPECT_EQ(Snap(hidden).find("79"), std::string::npos);
  domain::Eligibility e;
  e.verification = domain::Verification::kCensus;
  e.wijken = {"Oost"};
  ExpectAuditFields(fields::EligibilityFields(), e);
  EXPECT_EQ(nlohmann::json::parse(Snap(e))["verification"], "census");
}

}  // namespace
}  // namespace weefsel::service::core
