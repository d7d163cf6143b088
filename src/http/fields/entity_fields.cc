// http/fields/entity_fields.cc: the field tables of service/'s read models and the OpenAPI
// component schemas of every table (contract in entity_fields.h).
#include "http/fields/entity_fields.h"

#include <string>
#include <vector>

namespace weefsel::http::fields {
namespace {

Json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

FieldTable<service::Principal> MakePrincipalFields() {
  using P = service::Principal;
  FieldTable<P> t{"Principal",
                  "principal",
                  {IdOf("id", &P::user, false), Str("email", &P::email).Personal(),
                   Str("display_name", &P::display_name), ObjList("grants", &P::grants, &RoleGrantFields)}};
  AllReadOnly(t);
  return t;
}

// ---- the municipality overview (public aggregate figures) ----

FieldTable<service::IndicatorProgress> MakeIndicatorProgressFields() {
  using I = service::IndicatorProgress;
  return {
      "IndicatorProgress",
      "indicator",
      {IdOf("id", &I::id, false), Str("name", &I::name), Str("unit", &I::unit), Num("baseline", &I::baseline),
       Num("target", &I::target),
       Custom<I>("latest", Type::kObject, {{"oneOf", {Ref("Measurement"), {{"type", "null"}}}}},
                 [](const I& i) { return i.latest ? Encode(MeasurementFields(), *i.latest) : Json(nullptr); }),
       Computed<I>("progress", Type::kNumber, [](const I& i) { return i.progress ? Json(*i.progress) : Json(nullptr); })
           .Nullable()
           .Describe("(latest - baseline) / (target - baseline); null without a measurement")}};
}
WEEFSEL_FIELD_TABLE(service::IndicatorProgress, IndicatorProgressFields)

FieldTable<service::ExperimentOverview> MakeExperimentOverviewFields() {
  using X = service::ExperimentOverview;
  return {"ExperimentOverview",
          "experiment",
          {IdOf("id", &X::id, false), IdOf("proposal", &X::proposal, false), Str("title", &X::title),
           Bool("hidden", &X::hidden), Str("status", &X::status, 20), Int("funded_eur", &X::funded_eur),
           Int("released_eur", &X::released_eur), ObjList("indicators", &X::indicators, &IndicatorProgressFields)}};
}
WEEFSEL_FIELD_TABLE(service::ExperimentOverview, ExperimentOverviewFields)

FieldTable<service::CommitmentLine> MakeCommitmentLineFields() {
  using L = service::CommitmentLine;
  auto from_round = [](const L& l) { return l.source == "round"; };
  FieldTable<L> t{
      "CommitmentLine",
      "commitment",
      {Str("source", &L::source, 20), IdOf("proposal", &L::proposal, true), Str("title", &L::title),
       Bool("hidden", &L::hidden), Int("amount_eur", &L::amount_eur),
       IdOf("round", &L::round, false).OnlyWhen(from_round), Str("round_name", &L::round_name).OnlyWhen(from_round),
       Str("project_id", &L::project_id, 100).OnlyWhen(from_round)}};
  t.fields[0].type = Type::kEnum;
  // "task_challenge": the overview route marks the proposal a Right to Challenge agreement funded
  // (money_routes.cc), with the bid's id in `task_challenge`.
  t.fields[0].codes = {"round", "proposal", "task_challenge"};
  return t;
}
WEEFSEL_FIELD_TABLE(service::CommitmentLine, CommitmentLineFields)

FieldTable<service::MunicipalityOverview> MakeOverviewMoneyFields() {
  using O = service::MunicipalityOverview;
  return {"OverviewMoney",
          "money",
          {Int("committed_eur", &O::committed_eur), ObjList("commitments", &O::commitments, &CommitmentLineFields),
           Int("released_eur", &O::released_eur), Int("remaining_eur", &O::remaining_eur),
           Int("published_rounds", &O::published_rounds)}};
}
WEEFSEL_FIELD_TABLE(service::MunicipalityOverview, OverviewMoneyFields)

FieldTable<service::MunicipalityOverview> MakeMunicipalityOverviewFields() {
  using O = service::MunicipalityOverview;
  Json phases_schema = {{"type", "object"},
                        {"additionalProperties", {{"type", "integer"}}},
                        {"description", "phase code -> number of challenges (every phase, zeros included)"}};
  FieldTable<O> t{"MunicipalityOverview",
                  "overview",
                  {IdOf("municipality", &O::municipality, false),
                   Custom<O>("money", Type::kObject, Ref("OverviewMoney"),
                             [](const O& o) { return Encode(OverviewMoneyFields(), o); }),
                   Custom<O>("challenges_per_phase", Type::kMap, phases_schema,
                             [](const O& o) {
                               Json phases = Json::object();
                               for (const auto& [phase, n] : o.challenges_per_phase) phases[phase] = n;
                               return phases;
                             }),
                   ObjList("experiments", &O::experiments, &ExperimentOverviewFields)}};
  AllReadOnly(t);
  return t;
}

// ---- a match-funding campaign's standing ----

double Eur(int64_t cents) { return static_cast<double>(cents) / 100.0; }

FieldTable<service::MatchStanding::Project> MakeMatchProjectFields() {
  using P = service::MatchStanding::Project;
  std::vector<std::string> statuses;
  for (auto s : {fund::CampaignStatus::kOpen, fund::CampaignStatus::kFunded, fund::CampaignStatus::kFailed})
    statuses.emplace_back(fund::CampaignStatusCode(s));
  return {"MatchProject",
          "project",
          {Str("project_id", &P::project_id, 100), Str("title", &P::title), Int("target_eur", &P::cost_eur),
           Int("pledges", &P::pledges),
           Computed<P>(
               "status", Type::kEnum,
               [](const P& p) { return Json(std::string(fund::CampaignStatusCode(p.result.status))); }, statuses),
           Computed<P>("raised_cents", Type::kInteger, [](const P& p) { return Json(p.result.raised); }),
           Computed<P>("match_cents", Type::kInteger, [](const P& p) { return Json(p.result.match); }),
           Computed<P>("match_wanted_cents", Type::kInteger, [](const P& p) { return Json(p.result.match_wanted); }),
           Computed<P>("raised_eur", Type::kNumber, [](const P& p) { return Json(Eur(p.result.raised)); }),
           Computed<P>("match_eur", Type::kNumber, [](const P& p) { return Json(Eur(p.result.match)); }),
           Computed<P>("reached", Type::kBoolean, [](const P& p) { return Json(p.result.reached); }),
           Computed<P>("capped", Type::kBoolean, [](const P& p) { return Json(p.result.capped); }),
           Computed<P>("fund_short", Type::kBoolean, [](const P& p) { return Json(p.result.fund_short); }),
           Computed<P>("refunded_pledges", Type::kInteger, [](const P& p) { return Json(p.result.refunds.size()); }),
           Computed<P>("late_pledges", Type::kInteger, [](const P& p) { return Json(p.result.late_pledges.size()); }),
           Computed<P>("reason", Type::kString, [](const P& p) { return Json(p.result.reason); })}};
}
WEEFSEL_FIELD_TABLE(service::MatchStanding::Project, MatchProjectFields)

FieldTable<service::MatchStanding> MakeMatchStandingFields() {
  using S = service::MatchStanding;
  FieldTable<S> t{"MatchStanding", "standing", {}};
  for (const auto& f : MatchCampaignFields().fields) t.fields.push_back(Lift(f, &S::campaign));
  t.fields.push_back(Str("at", &S::at));
  t.fields.push_back(Int("fund_used_cents", &S::fund_used_cents));
  t.fields.push_back(Int("fund_left_cents", &S::fund_left_cents));
  t.fields.push_back(
      Computed<S>("fund_used_eur", Type::kNumber, [](const S& s) { return Json(Eur(s.fund_used_cents)); }));
  t.fields.push_back(
      Computed<S>("fund_left_eur", Type::kNumber, [](const S& s) { return Json(Eur(s.fund_left_cents)); }));
  t.fields.push_back(ObjList("projects", &S::projects, &MatchProjectFields));
  AllReadOnly(t);
  return t;
}

}  // namespace

WEEFSEL_FIELD_TABLE(service::Principal, PrincipalFields)
WEEFSEL_FIELD_TABLE(service::MunicipalityOverview, MunicipalityOverviewFields)
WEEFSEL_FIELD_TABLE(service::MatchStanding, MatchStandingFields)

// ---- read models whose routes declare them in their shape (entity_fields.h) --------------------
namespace {

FieldTable<service::ModerationItem> MakeModerationItemFields() {
  using I = service::ModerationItem;
  FieldTable<I> t{
      "ModerationItem",
      "moderation",
      {Str("target", &I::target, 20), Int("target_id", &I::target_id), IdOf("municipality", &I::municipality, false),
       Str("excerpt", &I::excerpt, 0), IdOf("proposal", &I::proposal, true), IdOf("author", &I::author, true),
       Str("author_name", &I::author_name), Bool("author_blocked", &I::author_blocked),
       ObjList("reports", &I::reports, &ReportFields),
       Custom<I>("hidden", Type::kObject, {{"oneOf", {Ref(HiddenItemFields().schema), {{"type", "null"}}}}},
                 [](const I& i) { return i.hidden ? Encode(HiddenItemFields(), *i.hidden) : Json(nullptr); })}};
  AllReadOnly(t);
  return t;
}

FieldTable<service::TaskBudgetLine> MakeTaskBudgetLineFields() {
  using L = service::TaskBudgetLine;
  FieldTable<L> t{
      "TaskBudgetLine",
      "task_budget",
      {IdOf("task_challenge", &L::challenge, false), IdOf("task", &L::task, true), Str("task_title", &L::task_title),
       Str("initiative_name", &L::initiative_name), Int("task_budget_eur", &L::task_budget_eur),
       Int("transferred_eur", &L::transferred_eur), Int("kept_eur", &L::kept_eur), IdOf("proposal", &L::proposal, true),
       IdOf("experiment", &L::experiment, true)}};
  AllReadOnly(t);
  return t;
}

}  // namespace

WEEFSEL_FIELD_TABLE(service::ModerationItem, ModerationItemFields)
WEEFSEL_FIELD_TABLE(service::TaskBudgetLine, TaskBudgetLineFields)
// ---- end of read models declared in their shape -------------------------------------------------

namespace {

template <typename T>
void AddSchemas(Json& out, const FieldTable<T>& table) {
  out[table.schema] = ReadSchema(table);
  if (HasWritable(table)) out[table.schema + "Write"] = WriteSchema(table);
}

}  // namespace

Json ComponentSchemas() {
  Json s = Json::object();
  AddSchemas(s, MunicipalityFields());
  AddSchemas(s, ActorFields());
  AddSchemas(s, TieFields());
  s["TiePublic"] = ReadSchema(TieFields(), /*public_only=*/true);
  AddSchemas(s, CapabilityNeedFields());
  AddSchemas(s, ChallengeFields());
  AddSchemas(s, CoalitionMemberFields());
  AddSchemas(s, CoalitionFields());
  AddSchemas(s, MilestoneFields());
  AddSchemas(s, ProposalVersionFields());
  AddSchemas(s, ProposalFields());
  AddSchemas(s, RoundProjectFields());
  AddSchemas(s, ReviewCriterionFields());
  AddSchemas(s, RoundFields());
  AddSchemas(s, ReviewFields());
  AddSchemas(s, BallotEntryFields());
  AddSchemas(s, BallotFields());
  AddSchemas(s, MeasurementFields());
  AddSchemas(s, IndicatorFields());
  AddSchemas(s, ExperimentFields());
  AddSchemas(s, UserFields());
  AddSchemas(s, RoleGrantFields());
  AddSchemas(s, CommentFields());
  AddSchemas(s, PrincipalFields());
  AddSchemas(s, AuditEntryFields());
  AddSchemas(s, AllocationFields());
  AddSchemas(s, MilestoneEvidenceFields());
  AddSchemas(s, MatchCampaignFields());
  AddSchemas(s, MatchPledgeFields());
  AddSchemas(s, IndicatorProgressFields());
  AddSchemas(s, ExperimentOverviewFields());
  AddSchemas(s, CommitmentLineFields());
  AddSchemas(s, OverviewMoneyFields());
  AddSchemas(s, MunicipalityOverviewFields());
  AddSchemas(s, MatchProjectFields());
  AddSchemas(s, MatchStandingFields());
  AddSchemas(s, EligibilityFields());
  AddSchemas(s, AppearanceFields());
  AddSchemas(s, ReportFields());
  AddSchemas(s, HiddenItemFields());
  AddSchemas(s, MunicipalTaskFields());
  AddSchemas(s, TaskMilestoneFields());
  AddSchemas(s, TaskIndicatorFields());
  AddSchemas(s, TaskChallengeFields());
  return s;
}

}  // namespace weefsel::http::fields
