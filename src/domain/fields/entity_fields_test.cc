// The field tables added for the Right to Challenge, appearance, moderation and eligibility encode
// exactly the JSON the API answered before they existed (key names and order pinned here), and
// EncodeOnly picks part of an entity in its table's order.
#include "domain/fields/entity_fields.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/fields/field_table.h"

namespace weefsel::domain::fields {
namespace {

std::vector<std::string> Keys(const Json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

TEST(EntityFieldsTest, EncodeOnlyPicksFieldsInTableOrder) {
  Actor a;
  a.id = ActorId(4);
  a.name = "Buurtkracht";
  a.kind = ActorKind::kSocialEnterprise;
  a.themes = {"armoede"};
  a.website = "https://example.nl";
  Json j = EncodeOnly(ActorFields(), a, {"themes", "sector", "name", "id", "kind"});
  EXPECT_EQ(Keys(j), (std::vector<std::string>{"id", "name", "kind", "sector", "themes"}));
  EXPECT_EQ(j["id"], 4);
  EXPECT_EQ(j["kind"], std::string(ActorKindCode(a.kind)));
  EXPECT_EQ(j["sector"], std::string(SectorCode(SectorOf(a.kind))));
  EXPECT_FALSE(j.contains("website"));
}

TEST(EntityFieldsTest, TaskAndBidKeepTheirApiKeys) {
  MunicipalTask t;
  t.id = TaskId(3);
  t.municipality = MunicipalityId(2);
  t.capabilities = {{"zorg", 2}};
  Json task = Encode(MunicipalTaskFields(), t);
  EXPECT_EQ(Keys(task), (std::vector<std::string>{"id", "municipality", "title", "description", "themes",
                                                  "capabilities", "budget_eur", "area", "open", "created_at"}));
  EXPECT_EQ(task["capabilities"], Json::parse(R"([{"capability":"zorg","weight":2.0}])"));

  TaskChallenge c;
  c.id = TaskChallengeId(5);
  c.municipality = MunicipalityId(2);
  c.partners = {ActorId(8), ActorId(9)};
  c.milestones.push_back({.title = "Start", .due = "2027-01-01", .amount_eur = 100, .status = "approved"});
  c.indicators.push_back({.id = IndicatorId(6), .name = "Bereik", .unit = "mensen", .baseline = 1, .target = 2});
  c.steps.push_back({.step = TaskChallengeStep::kReceived, .entered_at = "2026-12-01T10:00:00Z"});
  Json bid = Encode(TaskChallengeFields(), c);
  EXPECT_EQ(Keys(bid), (std::vector<std::string>{"id",
                                                 "municipality",
                                                 "task",
                                                 "task_title",
                                                 "current_cost_eur",
                                                 "initiative",
                                                 "initiative_name",
                                                 "title",
                                                 "plan",
                                                 "budget_eur",
                                                 "partners",
                                                 "themes",
                                                 "capabilities",
                                                 "milestones",
                                                 "indicators",
                                                 "criteria",
                                                 "step",
                                                 "next_steps",
                                                 "editable",
                                                 "steps",
                                                 "proposal",
                                                 "experiment",
                                                 "created_at"}));
  EXPECT_TRUE(bid["task"].is_null());
  EXPECT_TRUE(bid["initiative"].is_null());
  EXPECT_EQ(bid["partners"], Json::parse("[8,9]"));
  EXPECT_EQ(bid["milestones"], Json::parse(R"([{"title":"Start","due":"2027-01-01","amount_eur":100}])"));
  EXPECT_EQ(bid["indicators"], Json::parse(R"([{"name":"Bereik","unit":"mensen","baseline":1.0,"target":2.0}])"));
  EXPECT_EQ(bid["next_steps"], Json::parse(R"(["assessment","refused"])"));
  EXPECT_EQ(bid["editable"], true);
  // The step taken, then the six still ahead.
  ASSERT_EQ(bid["steps"].size(), 7u);
  EXPECT_EQ(bid["steps"][0]["reached"], true);
  EXPECT_EQ(bid["steps"][6], Json::parse(R"({"step":"evaluated","reached":false,"entered_at":"","deadline":"",
                                               "decision":"","reasons":""})"));
  // After a refusal nothing lies ahead.
  c.step = TaskChallengeStep::kRefused;
  c.steps.push_back({.step = TaskChallengeStep::kRefused});
  bid = Encode(TaskChallengeFields(), c);
  EXPECT_EQ(bid["steps"].size(), 2u);
  EXPECT_EQ(bid["next_steps"], Json::array());
  EXPECT_EQ(bid["editable"], false);
}

TEST(EntityFieldsTest, AppearanceReportHiddenAndEligibilityKeepTheirApiKeys) {
  Appearance a;
  a.municipality = MunicipalityId(2);
  EXPECT_EQ(Keys(Encode(AppearanceFields(), a)),
            (std::vector<std::string>{"municipality", "theme", "display_name", "logo", "logo_type", "updated_at"}));
  EXPECT_TRUE(Encode(AppearanceFields(), a)["logo"].is_null());
  a.logo = "bytes";
  EXPECT_EQ(Encode(AppearanceFields(), a)["logo"], "/api/v1/municipalities/2/logo");
  // A request writes the theme and the name, nothing else.
  EXPECT_TRUE(Decode(AppearanceFields(), Json::parse(R"({"theme":"denhaag","display_name":"Den Haag"})"), a).ok());
  EXPECT_EQ(a.theme, "denhaag");
  EXPECT_EQ(Decode(AppearanceFields(), Json::parse(R"({"theme":")" + std::string(41, 'x') + R"("})"), a).message(),
            "appearance.theme: at most 40 characters");
  EXPECT_EQ(Decode(AppearanceFields(), Json::parse(R"({"logo_type":"image/png"})"), a).message(),
            "appearance.logo_type: unknown field");

  Report r;
  r.id = 7;
  r.municipality = MunicipalityId(2);
  r.reporter = UserId(40);
  Json report = Encode(ReportFields(), r);
  EXPECT_EQ(Keys(report), (std::vector<std::string>{"id", "municipality", "target", "target_id", "reason", "created_at",
                                                    "status", "resolved_at"}));
  EXPECT_TRUE(report["resolved_at"].is_null());

  HiddenItem h;
  EXPECT_EQ(Keys(Encode(HiddenItemFields(), h)),
            (std::vector<std::string>{"target", "target_id", "municipality", "reason", "hidden_at"}));
  EXPECT_TRUE(Encode(HiddenItemFields(), h)["municipality"].is_null());

  Eligibility e;
  e.verification = Verification::kCode;
  e.wijken = {"Oost"};
  EXPECT_EQ(Encode(EligibilityFields(), e), Json::parse(R"({"verification":"code","wijken":["Oost"],"min_age":0})"));
}

TEST(EntityFieldsTest, EligibilityDecodesWithItsMessages) {
  Eligibility e;
  EXPECT_EQ(Decode(EligibilityFields(), Json::parse(R"({"wijken":[]})"), e).message(),
            "eligibility.verification: required: open, code, census or digid");
  EXPECT_EQ(Decode(EligibilityFields(), Json::parse(R"({"verification":"postcode"})"), e).message(),
            "eligibility.verification: must be open, code, census or digid");
  EXPECT_EQ(Decode(EligibilityFields(), Json::parse(R"({"verification":"open","age":3})"), e).message(),
            "eligibility.age: unknown field");
  ASSERT_TRUE(Decode(EligibilityFields(), Json::parse(R"({"verification":"census","min_age":16})"), e).ok());
  EXPECT_EQ(e.verification, Verification::kCensus);
  EXPECT_EQ(e.min_age, 16);
}

TEST(EntityFieldsTest, TaskDecodesCapabilitiesAsObjectsOrCodes) {
  MunicipalTask t;
  ASSERT_TRUE(Decode(MunicipalTaskFields(),
                     Json::parse(R"({"title":"Groen","capabilities":["zorg",{"capability":"groen","weight":3}]})"), t)
                  .ok());
  ASSERT_EQ(t.capabilities.size(), 2u);
  EXPECT_EQ(t.capabilities[0].capability, "zorg");
  EXPECT_EQ(t.capabilities[0].weight, 1.0);
  EXPECT_EQ(t.capabilities[1].weight, 3.0);
  EXPECT_EQ(Decode(MunicipalTaskFields(), Json::parse(R"({"capabilities":[1]})"), t).message(),
            "task.capabilities: must be a list of {capability, weight}");
  EXPECT_EQ(Decode(MunicipalTaskFields(), Json::parse(R"({"municipality":4})"), t).message(),
            "task.municipality: unknown field");
}

TEST(EntityFieldsTest, BidDecodesPartnersAndItsPlanAsBeforeTheTable) {
  TaskChallenge c;
  auto decode = [&c](const char* body) { return Decode(TaskChallengeFields(), Json::parse(body), c); };
  ASSERT_TRUE(decode(R"({"municipality":2,"title":"Groen","partners":[8,9],"capabilities":["zorg"],
                         "milestones":[{"title":"Start","due":"2027-01-01","amount_eur":100}],
                         "indicators":[{"name":"Bereik","unit":"mensen","baseline":1,"target":2}]})")
                  .ok());
  EXPECT_EQ(c.municipality, MunicipalityId(2));
  EXPECT_EQ(c.partners, (std::vector<ActorId>{ActorId(8), ActorId(9)}));
  ASSERT_EQ(c.milestones.size(), 1u);
  EXPECT_EQ(c.milestones[0].amount_eur, 100);
  ASSERT_EQ(c.indicators.size(), 1u);
  EXPECT_EQ(c.indicators[0].target, 2.0);
  EXPECT_EQ(decode(R"({"partners":[0]})").message(), "task_challenge.partners: must be a list of actor ids");
  EXPECT_EQ(decode(R"({"milestones":[{"status":"done"}]})").message(),
            "task_challenge.milestones.status: must be planned, submitted, approved or rejected");
  EXPECT_EQ(decode(R"({"indicators":{}})").message(), "task_challenge.indicators: must be a list of objects");
  EXPECT_EQ(decode(R"({"step":"talks"})").message(), "task_challenge.step: unknown field");
  EXPECT_EQ(decode(R"({"criteria":[]})").message(), "task_challenge.criteria: unknown field");
}

// Every field of a stored entity that is read back (from a file: `load`; or only from the store:
// `stored_load`) says where the store keeps it, and every field with a column can be read back:
// so a new field cannot be forgotten by the store (storage/sql/row_map.h writes the columns; the
// store contract's EveryStoredFieldRoundTrips checks the values).
template <typename T>
void ExpectEveryReadFieldStored(const FieldTable<T>& table) {
  for (const auto& f : table.fields) {
    const bool read_back = f.load || f.stored_load;
    EXPECT_TRUE(!read_back || Stored(f)) << table.schema << "." << f.name
                                         << " is read back but has no .Column() (nor .Child(table))";
    EXPECT_TRUE(f.column.empty() || read_back) << table.schema << "." << f.name << " has a column but no loader";
    EXPECT_TRUE(f.column.empty() || f.child_table.empty()) << table.schema << "." << f.name << ": column or child";
  }
}

TEST(EntityFieldsTest, StoredEntitiesSayWhereEachFieldIsKept) {
  ExpectEveryReadFieldStored(MunicipalityFields());
  ExpectEveryReadFieldStored(ActorFields());
  ExpectEveryReadFieldStored(TieFields());
  ExpectEveryReadFieldStored(ChallengeFields());
  ExpectEveryReadFieldStored(CapabilityNeedFields());  // in challenge_capabilities, a child table
  ExpectEveryReadFieldStored(CoalitionFields());
  ExpectEveryReadFieldStored(CoalitionMemberFields());  // in coalition_members, a child table
  ExpectEveryReadFieldStored(ProposalFields());
  ExpectEveryReadFieldStored(RoundFields());
  ExpectEveryReadFieldStored(ReviewCriterionFields());  // in round_criteria, a child table
  ExpectEveryReadFieldStored(EligibilityFields());      // in the round's row
  ExpectEveryReadFieldStored(ExperimentFields());
  ExpectEveryReadFieldStored(MeasurementFields());  // in measurements, a child table of indicators
  ExpectEveryReadFieldStored(UserFields());
  ExpectEveryReadFieldStored(MatchCampaignFields());
  ExpectEveryReadFieldStored(MatchPledgeFields());
  ExpectEveryReadFieldStored(MilestoneEvidenceFields());
  ExpectEveryReadFieldStored(ReportFields());
  ExpectEveryReadFieldStored(HiddenItemFields());
  ExpectEveryReadFieldStored(CommentFields());
  ExpectEveryReadFieldStored(ReviewFields());
  ExpectEveryReadFieldStored(BallotFields());
  ExpectEveryReadFieldStored(BallotEntryFields());  // in ballot_entries, a child table
  ExpectEveryReadFieldStored(MunicipalTaskFields());
  ExpectEveryReadFieldStored(TaskChallengeFields());
  ExpectEveryReadFieldStored(RoleGrantFields());
  ExpectEveryReadFieldStored(AllocationFields());
  ExpectEveryReadFieldStored(AuditEntryFields());
}

// A stored field kept out of files is read back by the store only, and its JSON is unchanged.
TEST(EntityFieldsTest, NotInFilesKeepsTheFieldOutOfFilesOnly) {
  for (const auto& f : ProposalFields().fields) {
    if (f.name != "supports") continue;
    EXPECT_FALSE(InExport(f));
    EXPECT_TRUE(f.stored_load);
    EXPECT_EQ(f.column, "supports");
    Proposal p;
    p.supports = 7;
    EXPECT_EQ(f.encode(p), 7);
    Json j = {{"supports", 9}};
    Fields r(j, "proposal");
    ASSERT_TRUE(f.stored_load(r, p).ok());
    EXPECT_EQ(p.supports, 9);
  }
}

// A stored row's strings are not held to a request's limits (the store reads what it wrote).
TEST(EntityFieldsTest, StoredRowsAreReadWithoutLimits) {
  Json j = {{"name", std::string(kMaxNameLength + 1, 'x')}};
  std::string out;
  Fields checked(j, "actor");
  EXPECT_FALSE(checked.Str("name", out).ok());
  Fields stored(j, "actor", Source::kStoredRow);
  ASSERT_TRUE(stored.Str("name", out).ok());
  EXPECT_EQ(out.size(), kMaxNameLength + 1);
}

// The challenges table keeps sector_mix as it always did: a JSON list of "sector:n" items.
TEST(EntityFieldsTest, SectorMixColumnIsAListOfSectorColonCount) {
  for (const auto& f : ChallengeFields().fields) {
    if (f.name != "sector_mix") continue;
    Challenge c;
    c.sector_mix = {{Sector::kGovernment, 1}, {Sector::kCivilSociety, 2}};
    Json column = f.to_column(f.encode(c));
    EXPECT_EQ(column.dump(), R"(["government:1","civil_society:2"])");
    auto back = f.from_column(column);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, f.encode(c));
    EXPECT_FALSE(f.from_column(Json::array({"government"})).ok());
    EXPECT_FALSE(f.from_column(Json::array({"government:x"})).ok());
    EXPECT_EQ(*f.from_column(Json()), Json::object());
  }
}

// ---- account state and fabric snapshots (issue 22 item 3) -----------------------------------

// Their tables encode exactly the JSON the API answered when these were written by hand (keys and
// order pinned), and ShapeSchema declares them as the routes did.
TEST(EntityFieldsTest, AccountStateAndSnapshotsKeepTheirApiKeys) {
  Notification n{.id = 7,
                 .user = UserId(3),
                 .at = "2026-12-01T10:00:00Z",
                 .kind = "comment",
                 .title = "Nieuwe reactie",
                 .title_en = "New comment",
                 .link = "/proposals/2",
                 .audit_id = 9};
  Json j = Encode(NotificationFields(), n);
  EXPECT_EQ(
      j.dump(),
      R"({"id":7,"at":"2026-12-01T10:00:00Z","kind":"comment","title":"Nieuwe reactie",)"
      R"("title_nl":"Nieuwe reactie","title_en":"New comment","link":"/proposals/2","read":false,"read_at":null})");
  n.read_at = "2026-12-02T10:00:00Z";
  EXPECT_EQ(Encode(NotificationFields(), n)["read"], true);
  EXPECT_EQ(Encode(NotificationFields(), n)["read_at"], "2026-12-02T10:00:00Z");
  EXPECT_EQ(ShapeSchema(NotificationFields()).dump(),
            R"({"type":"object","properties":{"id":{"type":"integer"},"at":{"type":"string"},)"
            R"("kind":{"type":"string"},"title":{"type":"string"},"title_nl":{"type":"string"},)"
            R"("title_en":{"type":"string"},"link":{"type":"string"},"read":{"type":"boolean"},)"
            R"("read_at":{"type":["string","null"]}},"required":["id","at","kind","title","title_nl","title_en",)"
            R"("link","read","read_at"]})");

  UserSettings s{.user = UserId(3), .digest = false, .language = "en"};
  EXPECT_EQ(Encode(UserSettingsFields(), s).dump(), R"({"digest":false,"language":"en"})");
  EXPECT_EQ(WriteSchema(UserSettingsFields()).dump(),
            R"({"type":"object","properties":{"digest":{"type":"boolean"},"language":{"type":"string","maxLength":8}},)"
            R"("additionalProperties":false})");
  EXPECT_TRUE(Decode(UserSettingsFields(), Json{{"digest", true}}, s).ok());
  EXPECT_TRUE(s.digest);
  EXPECT_EQ(s.language, "en");  // absent: kept
  EXPECT_EQ(Decode(UserSettingsFields(), Json{{"language", "nederlands"}}, s).message(),
            "settings.language: at most 8 characters");
  EXPECT_EQ(Decode(UserSettingsFields(), Json{{"user", 4}}, s).message(), "settings.user: unknown field");

  AccountBlock b{.user = UserId(4), .reason = "spam", .blocked_by = UserId(2), .at = "2026-12-01T10:00:00Z"};
  EXPECT_EQ(Encode(AccountBlockFields(), b).dump(),
            R"({"user":4,"municipality":null,"reason":"spam","at":"2026-12-01T10:00:00Z"})");
  EXPECT_EQ(Decode(AccountBlockFields(), Json{{"at", "x"}}, b, "body").message(), "body.at: unknown field");
  EXPECT_EQ(
      WriteSchema(AccountBlockFields()).dump(),
      R"({"type":"object","properties":{"reason":{"type":"string","maxLength":4000}},"additionalProperties":false})");

  FabricSnapshot f{.id = 5,
                   .municipality = MunicipalityId(2),
                   .taken_at = "2026-12-01T10:00:00Z",
                   .period = "2026-12",
                   .trigger = "monthly",
                   .health = R"({"density":0.5})",
                   .typology = R"({"groups":[{"name":"kern"}],"assignment":{"7":0}})"};
  EXPECT_EQ(Encode(FabricSnapshotFields(), f).dump(),
            R"({"id":5,"municipality":2,"taken_at":"2026-12-01T10:00:00Z","period":"2026-12","trigger":"monthly",)"
            R"("health":{"density":0.5},"typology":{"groups":[{"name":"kern"}]}})");
  f.health = "not json";
  f.typology = "";
  EXPECT_EQ(Encode(FabricSnapshotFields(), f)["health"], Json(nullptr));
  EXPECT_EQ(Encode(FabricSnapshotFields(), f)["typology"], Json::parse(R"({"groups":[]})"));
  EXPECT_EQ(ShapeSchema(FabricSnapshotFields())["properties"]["typology"].dump(),
            R"({"type":"object","properties":{"groups":{"type":"array"}},"required":["groups"]})");
  EXPECT_EQ(ShapeSchema(FabricSnapshotFields())["properties"]["health"].dump(), "{}");
}

TEST(EntityFieldsTest, AccountStateAndSnapshotsSayWhereEachFieldIsKept) {
  ExpectEveryReadFieldStored(NotificationFields());
  ExpectEveryReadFieldStored(UserSettingsFields());
  ExpectEveryReadFieldStored(AccountBlockFields());
  ExpectEveryReadFieldStored(FabricSnapshotFields());
  // Kept as they were stored: a snapshot's typology whole (the API shows its groups only).
  for (const auto& fd : FabricSnapshotFields().fields) {
    if (fd.name != "typology") continue;
    Json row = {{"typology", Json::parse(R"({"groups":[],"assignment":{"7":1}})")}};
    Fields r(row, "snapshot", Source::kStoredRow);
    FabricSnapshot f;
    ASSERT_TRUE(fd.stored_load(r, f).ok());
    EXPECT_EQ(f.typology, R"({"groups":[],"assignment":{"7":1}})");
    EXPECT_FALSE(InExport(fd));
  }
}
// ---- end of account state and fabric snapshots ------------------------------------------------

}  // namespace
}  // namespace weefsel::domain::fields
