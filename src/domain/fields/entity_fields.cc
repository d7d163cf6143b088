// domain/fields/entity_fields.cc: the field tables of the domain entities (entity_fields.h).
#include "domain/fields/entity_fields.h"

#include <optional>
#include <string>
#include <vector>

#include "base/strings.h"

namespace weefsel::domain::fields {
namespace {

const std::vector<std::string> kSectorCodes = {"government", "business", "knowledge", "civil_society"};

FieldTable<domain::Municipality> MakeMunicipalityFields() {
  using M = domain::Municipality;
  return {"Municipality",
          "municipality",
          {IdOf("id", &M::id, false).ReadOnly().Column(), Str("cbs_code", &M::cbs_code, 6).Column(),
           Str("name", &M::name).Column(), Str("province", &M::province).Column(),
           Int("population", &M::population).Column(), Num("lat", &M::lat).Column(), Num("lon", &M::lon).Column()}};
}

std::vector<std::string> ActorKindCodes() {
  std::vector<std::string> out;
  for (auto k : domain::AllActorKinds()) out.emplace_back(domain::ActorKindCode(k));
  return out;
}

FieldTable<domain::Actor> MakeActorFields() {
  using A = domain::Actor;
  Field<A> kind =
      Enum("kind", &A::kind, 0, domain::ActorKindCode, [](const std::string& s) { return domain::ParseActorKind(s); });
  kind.codes = ActorKindCodes();
  return {
      "Actor",
      "actor",
      {IdOf("id", &A::id, false).ReadOnly().Column(), Str("name", &A::name).Column(), std::move(kind).Column(),
       Computed<A>(
           "sector", Type::kEnum,
           [](const A& a) { return Json(std::string(domain::SectorCode(domain::SectorOf(a.kind)))); }, kSectorCodes),
       IdOf("municipality", &A::municipality, true).RefersTo("municipality").Column("municipality_id"),
       Str("area", &A::area).Column(), StrList("themes", &A::themes).Column(),
       StrList("capabilities", &A::capabilities).Column(),
       Str("description", &A::description, kMaxStringLength).Column(), Int("size", &A::size).Column(),
       Str("website", &A::website).Column(), Bool("generated", &A::generated).ReadOnly().Column(),
       // Where an imported actor came from ("amsterdam-subsidieregister"): not published as open data.
       Str("source", &A::source, 0).ReadOnly().Internal().Column()}};
}

FieldTable<domain::Tie> MakeTieFields() {
  using T = domain::Tie;
  return {
      "Tie",
      "tie",
      {IdOf("id", &T::id, false).ReadOnly().Column(), IdOf("a", &T::a, false).Column(),
       IdOf("b", &T::b, false).Column(), Num("weight", &T::weight).Column(),
       Enum("kind", &T::kind, static_cast<int>(domain::TieKind::kCoFunded) + 1, domain::TieKindCode,
            [](const std::string& s) { return domain::ParseTieKind(s); })
           .Column(),
       Enum("source", &T::source, static_cast<int>(domain::TieSource::kPlatform) + 1, domain::TieSourceCode,
            [](const std::string& s) { return domain::ParseTieSource(s); })
           .Column(),
       Str("from", &T::from, 10).Date().Column("from_date"), Str("until", &T::until, 10).Date().Column("until_date"),
       Str("note", &T::note, kMaxStringLength)
           .Personal()
           .Describe("private: left out of open data and of a coalition's ties")
           .Column()}};
}

FieldTable<domain::CapabilityNeed> MakeCapabilityNeedFields() {
  using N = domain::CapabilityNeed;
  return {"CapabilityNeed",
          "challenge.capabilities",
          {Str("capability", &N::capability).Column(), Num("weight", &N::weight).Column()}};
}

FieldTable<domain::Challenge> MakeChallengeFields() {
  using C = domain::Challenge;
  Json mix_schema = {{"type", "object"},
                     {"propertyNames", {{"enum", kSectorCodes}}},
                     {"additionalProperties", {{"type", "integer"}}},
                     {"description", "sector -> the least number of members from it"}};
  auto mix_encode = [](const C& c) {
    Json mix = Json::object();
    for (const auto& [sector, n] : c.sector_mix) mix[std::string(domain::SectorCode(sector))] = n;
    return mix;
  };
  auto mix_decode = [](Fields& f, C& c) -> Status {
    if (!f.Has("sector_mix")) return Status::Ok();
    const Json& mix = f.At("sector_mix");
    if (!mix.is_object()) return f.Error("sector_mix", "must be an object {sector: minimum}");
    domain::SectorMix out;
    for (auto it = mix.begin(); it != mix.end(); ++it) {
      auto s = domain::ParseSector(it.key());
      if (!s.ok()) return f.Error("sector_mix", s.status().message());
      if (!it.value().is_number_integer())
        return f.Error("sector_mix", "minimum for " + it.key() + " must be an integer");
      out[*s] = it.value().get<int>();
    }
    c.sector_mix = std::move(out);
    return Status::Ok();
  };
  // Stored as a list of "sector:n" items.
  auto mix_to_column = [](const Json& mix) {
    Json items = Json::array();
    for (auto it = mix.begin(); it != mix.end(); ++it) items.push_back(it.key() + ":" + it.value().dump());
    return items;
  };
  auto mix_from_column = [](const Json& items) -> Result<Json> {
    if (items.is_null()) return Json::object();  // an empty column
    if (!items.is_array()) return Status::Internal("sector_mix is not a JSON list of strings");
    Json mix = Json::object();
    for (const auto& item : items) {
      const std::string s = item.is_string() ? item.get<std::string>() : item.dump();
      auto colon = s.find(':');
      std::optional<int64_t> n;
      if (item.is_string() && colon != std::string::npos) n = ParseInt(s.substr(colon + 1));
      if (!n) return Status::Internal("bad sector_mix item '" + s + "'");
      mix[s.substr(0, colon)] = *n;
    }
    return mix;
  };
  return {"Challenge",
          "challenge",
          {IdOf("id", &C::id, false).ReadOnly().Column(),
           IdOf("municipality", &C::municipality, true).RefersTo("municipality").Column("municipality_id"),
           Str("title", &C::title).Column(), Str("text", &C::text, kMaxStringLength).Column(),
           Str("language", &C::language, 2).Column(), StrList("themes", &C::themes).Column(),
           ObjList("capabilities", &C::capabilities, &CapabilityNeedFields).Child("challenge_capabilities"),
           Custom<C>("sector_mix", Type::kMap, mix_schema, mix_encode, mix_decode)
               .Column()
               .ColumnForm(mix_to_column, mix_from_column),
           Int("max_coalition_size", &C::max_coalition_size).Column(), Int("budget_eur", &C::budget_eur).Column(),
           Str("area", &C::area).Column(), Str("deadline", &C::deadline, 10).Date().Column(),
           Enum("phase", &C::phase, static_cast<int>(domain::ChallengePhase::kClosed) + 1, domain::ChallengePhaseCode,
                [](const std::string& s) { return domain::ParseChallengePhase(s); })
               .Column(),
           IdOf("owner", &C::owner, true).Column("owner_actor_id"),
           Str("created_at", &C::created_at, 0).ReadOnly().DateTime().Column()}};
}

FieldTable<domain::CoalitionMember> MakeCoalitionMemberFields() {
  using M = domain::CoalitionMember;
  return {"CoalitionMember",
          "coalition.members",
          {IdOf("actor", &M::actor, false).Column("actor_id"), Str("role", &M::role, 20).Column(),
           Enum("status", &M::status, static_cast<int>(domain::MemberStatus::kDeclined) + 1, domain::MemberStatusCode,
                [](const std::string& s) { return domain::ParseMemberStatus(s); })
               .ReadOnly()
               .Column(),
           StrList("covers", &M::covers).Column()}};
}

FieldTable<domain::Coalition> MakeCoalitionFields() {
  using C = domain::Coalition;
  return {
      "Coalition",
      "coalition",
      {IdOf("id", &C::id, false).ReadOnly().Column(), IdOf("challenge", &C::challenge, false).Column("challenge_id"),
       ObjList("members", &C::members, &CoalitionMemberFields).Child("coalition_members"),
       Enum("status", &C::status, static_cast<int>(domain::CoalitionStatus::kDissolved) + 1,
            domain::CoalitionStatusCode, [](const std::string& s) { return domain::ParseCoalitionStatus(s); })
           .ReadOnly()
           .Column(),
       Str("explanation", &C::explanation, kMaxStringLength).Column(), Num("score", &C::score).Column(),
       Str("created_at", &C::created_at, 0).ReadOnly().DateTime().NotInFiles().Column()}};
}

FieldTable<domain::Milestone> MakeMilestoneFields() {
  using M = domain::Milestone;
  FieldTable<M> t{"Milestone",
                  "milestones",
                  {Str("title", &M::title), Str("due", &M::due, 10).Date(), Int("amount_eur", &M::amount_eur),
                   Str("status", &M::status, 20), Str("evidence", &M::evidence, kMaxStringLength)}};
  t.fields[3].type = Type::kEnum;
  t.fields[3].codes = {"planned", "submitted", "approved", "rejected"};
  t.check = [](Fields& f, const M& m) -> Status {
    if (m.status != "planned" && m.status != "submitted" && m.status != "approved" && m.status != "rejected")
      return f.Error("status", "must be planned, submitted, approved or rejected");
    if (!m.due.empty() && !IsIsoDate(m.due)) return f.Error("due", "'" + m.due + "' is not a date YYYY-MM-DD");
    return Status::Ok();
  };
  return t;
}

FieldTable<domain::ProposalVersion> MakeProposalVersionFields() {
  using V = domain::ProposalVersion;
  FieldTable<V> t{
      "ProposalVersion",
      "proposal",
      {Int("number", &V::number).ReadOnly(), Str("title", &V::title), Str("plan", &V::plan, kMaxStringLength),
       Int("budget_eur", &V::budget_eur), ObjList("milestones", &V::milestones, &MilestoneFields),
       StrList("indicators", &V::indicators), IdOf("author", &V::author, true).ReadOnly(),
       Computed<V>("created_at", Type::kString, [](const V& v) { return Json(v.created_at); })}};
  t.check = [](Fields& f, const V& v) -> Status {
    if (Trim(v.title).empty()) return f.Error("title", "must not be empty");
    if (v.budget_eur < 0) return f.Error("budget_eur", "must not be negative");
    return Status::Ok();
  };
  return t;
}

FieldTable<domain::Proposal> MakeProposalFields() {
  using P = domain::Proposal;
  FieldTable<P> t{"Proposal",
                  "proposal",
                  {IdOf("id", &P::id, false).Column(), IdOf("coalition", &P::coalition, false).Column("coalition_id"),
                   IdOf("challenge", &P::challenge, false).Column("challenge_id"),
                   Str("status", &P::status, 20).Column(), Int("supports", &P::supports).NotInFiles().Column(),
                   ObjList("versions", &P::versions, &ProposalVersionFields).Child("proposal_versions")}};
  t.fields[3].type = Type::kEnum;
  t.fields[3].codes = {"draft", "submitted", "in_round", "funded", "rejected"};
  AllReadOnly(t);  // proposals change through their own routes
  return t;
}

FieldTable<domain::RoundProject> MakeRoundProjectFields() {
  using R = domain::RoundProject;
  return {
      "RoundProject",
      "round.projects",
      {Str("project_id", &R::project_id, 100).Column(), IdOf("proposal", &R::proposal, true).Column("proposal_id"),
       Str("title", &R::title).Column(), Int("cost_eur", &R::cost_eur).Column(), Str("category", &R::category).Column(),
       Str("neighbourhood", &R::neighbourhood).Column(), Bool("hidden", &R::hidden).ReadOnly()}};
}

FieldTable<domain::ReviewCriterion> MakeReviewCriterionFields() {
  using C = domain::ReviewCriterion;
  return {"ReviewCriterion",
          "round.criteria",
          {Str("name", &C::name, 100).Column(), Str("description", &C::description, 2000).Column(),
           Int("max_score", &C::max_score).Column()}};
}

FieldTable<domain::Round> MakeRoundFields() {
  using R = domain::Round;
  return {
      "Round",
      "round",
      {IdOf("id", &R::id, false).ReadOnly().Column(),
       IdOf("municipality", &R::municipality, true).RefersTo("municipality").Column("municipality_id"),
       Str("name", &R::name).Column(), Int("budget_eur", &R::budget_eur).Column(),
       Enum("ballot_kind", &R::ballot_kind, static_cast<int>(domain::BallotKind::kScoring) + 1, domain::BallotKindCode,
            [](const std::string& s) { return domain::ParseBallotKind(s); })
           .Column(),
       Str("rule", &R::rule, 100).Column(),
       Enum("phase", &R::phase, static_cast<int>(domain::RoundPhase::kPublished) + 1, domain::RoundPhaseCode,
            [](const std::string& s) { return domain::ParseRoundPhase(s); })
           .ReadOnly()
           .Column(),
       Int("min_length", &R::min_length).Column(), Int("max_length", &R::max_length).Column(),
       Int("max_points", &R::max_points).Column(), Int("max_points_per_project", &R::max_points_per_project).Column(),
       ObjList("projects", &R::projects, &RoundProjectFields).Child("round_projects"),
       ObjList("criteria", &R::criteria, &ReviewCriterionFields).Child("round_criteria")}};
}

FieldTable<domain::Review> MakeReviewFields() {
  using R = domain::Review;
  Json scores_schema = {{"type", "object"},
                        {"additionalProperties", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}}},
                        {"maxProperties", kMaxListItems},
                        {"description", "criterion name -> score"}};
  auto scores_encode = [](const R& r) {
    Json scores = Json::object();
    for (const auto& [name, score] : r.scores) scores[name] = score;
    return scores;
  };
  auto scores_decode = [](Fields& f, R& r) -> Status {
    const Json& scores = f.At("scores");
    if (!scores.is_object() || scores.size() > kMaxListItems)
      return f.Error("scores", "must be an object of criterion -> integer score");
    for (auto it = scores.begin(); it != scores.end(); ++it) {
      if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0 || it.value().get<int64_t>() > 1000)
        return f.Error("scores", "score of '" + it.key() + "' must be a non-negative integer");
      r.scores[it.key()] = static_cast<int>(it.value().get<int64_t>());
    }
    return Status::Ok();
  };
  // The id and the time (computed fields before) are stored read-only fields kept out of files; the
  // reviewer's name is no column (the service fills it in for those who may see it).
  return {"Review",
          "review",
          {Int("id", &R::id).ReadOnly().NotInFiles().Column(),
           IdOf("round", &R::round, false).ReadOnly().Column("round_id"),
           Str("project_id", &R::project_id, 100).Required().Column(),
           IdOf("reviewer", &R::reviewer, true).ReadOnly().Column("reviewer_user_id"),
           Computed<R>("reviewer_name", Type::kString, [](const R& r) { return Json(r.reviewer_name); }),
           Custom<R>("scores", Type::kMap, scores_schema, scores_encode, scores_decode)
               .Required("required: an object of criterion -> score")
               .Column(),
           Str("comment", &R::comment, 5000).Column(),
           Str("created_at", &R::created_at, 0).ReadOnly().NotInFiles().Column()}};
}

FieldTable<domain::BallotEntry> MakeBallotEntryFields() {
  using E = domain::BallotEntry;
  return {"BallotEntry",
          "ballot.entries",
          {Str("project_id", &E::project_id, 100).Column(), Int("points", &E::points).Column()}};
}

FieldTable<domain::Ballot> MakeBallotFields() {
  using B = domain::Ballot;
  // The voter is in no table (never shown: the store keeps it beside the table); cast_at, a computed
  // field before, is a stored read-only field kept out of files.
  return {"Ballot",
          "ballot",
          {IdOf("id", &B::id, false).ReadOnly().Column(), IdOf("round", &B::round, false).ReadOnly().Column("round_id"),
           Enum("kind", &B::kind, static_cast<int>(domain::BallotKind::kScoring) + 1, domain::BallotKindCode,
                [](const std::string& s) { return domain::ParseBallotKind(s); })
               .ReadOnly()
               .Column(),
           ObjList("entries", &B::entries, &BallotEntryFields)
               .Required("required: a list of {project_id, points}")
               .Child("ballot_entries"),
           Str("cast_at", &B::cast_at, 0).ReadOnly().NotInFiles().Column()}};
}

FieldTable<domain::Measurement> MakeMeasurementFields() {
  using M = domain::Measurement;
  FieldTable<M> t{"Measurement",
                  "measurement",
                  {Str("date", &M::date, 10).Date().Column(), Num("value", &M::value).Column(),
                   Str("source", &M::source).Column()}};
  t.fields[2].free_text = true;  // who measured may be named with an address: open data scrubs it
  t.check = [](Fields& f, const M& m) -> Status {
    if (!IsIsoDate(m.date)) return f.Error("date", "'" + m.date + "' is not a date YYYY-MM-DD");
    return Status::Ok();
  };
  return t;
}

FieldTable<domain::Indicator> MakeIndicatorFields() {
  using I = domain::Indicator;
  return {"Indicator",
          "experiment.indicators",
          {IdOf("id", &I::id, false), Str("name", &I::name), Str("unit", &I::unit), Num("baseline", &I::baseline),
           Num("target", &I::target), ObjList("measurements", &I::measurements, &MeasurementFields, "measurement")}};
}

FieldTable<domain::Experiment> MakeExperimentFields() {
  using E = domain::Experiment;
  Field<E> indicators = ObjList("indicators", &E::indicators, &IndicatorFields);
  // Keeps the stored measurements of indicators that are named by id without measurements.
  indicators.decode = [plain = indicators.decode](Fields& f, E& e) -> Status {
    if (!f.Has("indicators")) return Status::Ok();
    std::vector<domain::Indicator> old = e.indicators;
    WEEFSEL_RETURN_IF_ERROR(plain(f, e));
    for (auto& i : e.indicators)
      if (i.id.valid() && i.measurements.empty())
        for (const auto& o : old)
          if (o.id == i.id) i.measurements = o.measurements;
    return Status::Ok();
  };
  return {
      "Experiment",
      "experiment",
      {IdOf("id", &E::id, false).ReadOnly().Column(), IdOf("proposal", &E::proposal, false).Column("proposal_id"),
       StrList("hypotheses", &E::hypotheses, kMaxStringLength).Column(), std::move(indicators).Child("indicators"),
       ObjList("milestones", &E::milestones, &MilestoneFields).Child("milestones"),
       StrEnum("status", &E::status, {"running", "completed", "stopped"}, "must be running, completed or stopped")
           .Column(),
       Str("outcome", &E::outcome, kMaxStringLength).Column(), Str("learned", &E::learned, kMaxStringLength).Column()}};
}

FieldTable<domain::User> MakeUserFields() {
  using U = domain::User;
  FieldTable<U> t{
      "User",
      "user",
      {IdOf("id", &U::id, false).Column(), Str("email", &U::email).Personal().Column(),
       Str("display_name", &U::display_name).Column(), Str("created_at", &U::created_at, 0).NotInFiles().Column()}};
  AllReadOnly(t);  // never the password hash (the store keeps it beside the table: sql/accounts.cc)
  return t;
}

FieldTable<domain::RoleGrant> MakeRoleGrantFields() {
  using G = domain::RoleGrant;
  FieldTable<G> t{"RoleGrant",
                  "grant",
                  {IdOf("user", &G::user, false).ReadOnly().Column("user_id"),
                   Enum("role", &G::role, static_cast<int>(domain::Role::kModerator) + 1, domain::RoleCode,
                        [](const std::string& s) { return domain::ParseRole(s); })
                       .Column(),
                   IdOf("municipality", &G::municipality, true).Column("municipality_id"),
                   IdOf("actor", &G::actor, true).Column("actor_id")}};
  t.fields[1].required = true;  // in the schema; checked last (the check below), as before the table
  t.fields[1].required_message.clear();
  t.check = [](Fields& f, const G&) -> Status {
    if (!f.Has("role"))
      return f.Error("role", "required (platform_admin, officer, moderator, actor_member or resident)");
    return Status::Ok();
  };
  return t;
}

FieldTable<domain::Comment> MakeCommentFields() {
  using C = domain::Comment;
  // The parent: 0 in the member for a top-level comment, shown as null and stored as NULL.
  Field<C> parent = Int("parent", &C::parent).ReadOnly().Nullable().NotInFiles().Column("parent_id");
  parent.encode = [](const C& c) { return c.parent > 0 ? Json(c.parent) : Json(nullptr); };
  parent.put = [](const C& c, CellOut& out) {
    if (c.parent > 0)
      out.Int(c.parent);
    else
      out.Null();
  };
  parent.take = [](C& c, CellIn& in) {
    c.parent = in.IsNull() ? 0 : in.Int();
    return Status::Ok();
  };
  // The id, the text and the time (computed fields before) are stored read-only fields kept out of
  // files; the author's name is no column of the row (the store reads it from the author's account).
  return {"Comment",
          "comment",
          {Int("id", &C::id).ReadOnly().NotInFiles().Column(),
           IdOf("proposal", &C::proposal, false).ReadOnly().Column("proposal_id"), std::move(parent),
           IdOf("author", &C::author, true).ReadOnly().Personal().Column("author_user_id"),
           Computed<C>("author_name", Type::kString, [](const C& c) { return Json(c.author_name); }),
           Str("text", &C::text, 0).ReadOnly().NotInFiles().Column(),
           Str("created_at", &C::created_at, 0).ReadOnly().NotInFiles().Column()}};
}

FieldTable<domain::AuditEntry> MakeAuditEntryFields() {
  using A = domain::AuditEntry;
  auto parsed = [](const std::string& text) {
    if (text.empty()) return Json(nullptr);
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? Json(text) : j;
  };
  Json snapshot = {{"description", "the entity's JSON before/after the change (null: none)"}};
  // The id, the time, the entity and the action (computed fields before) are stored read-only fields
  // kept out of files; the snapshots are shown parsed and stored as the text they were written as
  // (the store adds their columns: storage/sql/audit.cc); the user's name is the service's.
  return {"AuditEntry",
          "audit",
          {Int("id", &A::id).ReadOnly().NotInFiles().Column(), Str("at", &A::at, 0).ReadOnly().NotInFiles().Column(),
           IdOf("user", &A::user, true).ReadOnly().Audit().Column("user_id"),
           Computed<A>("user_name", Type::kString, [](const A& e) { return Json(e.user_name); }).Audit(),
           IdOf("municipality", &A::municipality, true).ReadOnly().Column("municipality_id"),
           Str("entity", &A::entity, 0).ReadOnly().NotInFiles().Column(),
           Int("entity_id", &A::entity_id).ReadOnly().NotInFiles().Column(),
           Str("action", &A::action, 0).ReadOnly().NotInFiles().Column(),
           Custom<A>("before", Type::kAny, snapshot, [parsed](const A& e) { return parsed(e.before); }).Audit(),
           Custom<A>("after", Type::kAny, snapshot, [parsed](const A& e) { return parsed(e.after); }).Audit()}};
}

FieldTable<domain::Allocation> MakeAllocationFields() {
  using A = domain::Allocation;
  FieldTable<A> t{
      "Allocation",
      "allocation",
      {IdOf("round", &A::round, false).Column("round_id"), Str("project_id", &A::project_id, 100).Column(),
       IdOf("proposal", &A::proposal, true).Column("proposal_id"), Int("amount_eur", &A::amount_eur).Column()}};
  AllReadOnly(t);
  return t;
}

FieldTable<domain::MilestoneEvidence> MakeMilestoneEvidenceFields() {
  using E = domain::MilestoneEvidence;
  // Shown from 1, stored as the index into the experiment's milestones (from 0); kept out of files.
  Field<E> milestone = Computed<E>("milestone", Type::kInteger, [](const E& e) { return Json(e.milestone + 1); })
                           .Describe("the milestone's number, from 1")
                           .Column()
                           .ColumnForm([](const Json& shown) { return Json(shown.get<int64_t>() - 1); },
                                       [](const Json& stored) -> Result<Json> {
                                         if (!stored.is_number_integer()) return Status::Internal("not an integer");
                                         return Json(stored.get<int64_t>() + 1);
                                       });
  milestone.stored_load = [](Fields& r, E& e) -> Status {
    int shown = 1;
    WEEFSEL_RETURN_IF_ERROR(r.Int("milestone", shown));
    e.milestone = shown - 1;
    return Status::Ok();
  };
  FieldTable<E> t{
      "MilestoneEvidence",
      "evidence",
      {Int("id", &E::id).NotInFiles().Column(), IdOf("experiment", &E::experiment, false).Column("experiment_id"),
       std::move(milestone), Str("text", &E::text, kMaxStringLength).Column(), Str("link", &E::link).Column(),
       Str("submitted_at", &E::submitted_at).Column(), Str("decision", &E::decision, 20).Column(),
       Str("decided_at", &E::decided_at).Column(), Str("reason", &E::reason, kMaxStringLength).Column(),
       Int("released_eur", &E::released_eur).Column()}};
  t.fields[6].type = Type::kEnum;
  t.fields[6].codes = {"pending", "approved", "rejected"};
  AllReadOnly(t);  // without user ids (the audit log has who; the store keeps them beside the table)
  return t;
}

FieldTable<domain::MatchCampaign> MakeMatchCampaignFields() {
  using C = domain::MatchCampaign;
  return {"MatchCampaign",
          "campaign",
          {Int("id", &C::id).ReadOnly().NotInFiles().Column(),
           IdOf("municipality", &C::municipality, false).ReadOnly().Column("municipality_id"),
           IdOf("round", &C::round, false).ReadOnly().Column("round_id"), Str("name", &C::name, 200).Column(),
           Int("ratio_num", &C::ratio_num).Column(), Int("ratio_den", &C::ratio_den).Column(),
           Int("campaign_cap_eur", &C::campaign_cap_eur).Column(), Int("fund_eur", &C::fund_eur).Column(),
           Str("deadline", &C::deadline, 10).Column(),
           Str("created_at", &C::created_at, 0).ReadOnly().NotInFiles().Column()}};
}

FieldTable<domain::MatchPledge> MakeMatchPledgeFields() {
  using P = domain::MatchPledge;
  FieldTable<P> t{"MatchPledge",
                  "pledge",
                  {Int("id", &P::id).NotInFiles().Column(), Int("campaign", &P::campaign).Column("campaign_id"),
                   Str("project_id", &P::project_id, 100).Column(), Int("amount_eur", &P::amount_eur).Column(),
                   Str("at", &P::at).Column()}};
  AllReadOnly(t);  // the caller's own pledge; never the backer (the store keeps it beside the table)
  return t;
}

FieldTable<domain::Eligibility> MakeEligibilityFields() {
  using E = domain::Eligibility;
  Field<E> verification =
      Enum("verification", &E::verification, static_cast<int>(domain::Verification::kDigid) + 1,
           domain::VerificationCode, [](const std::string& s) { return domain::ParseVerification(s); });
  verification.decode = [](Fields& f, E& e) -> Status {
    std::string code = "open";
    WEEFSEL_RETURN_IF_ERROR(f.Str("verification", code, 20));
    auto v = domain::ParseVerification(code);
    if (!v.ok()) return f.Error("verification", "must be open, code, census or digid");
    e.verification = *v;
    return Status::Ok();
  };
  verification.load = verification.decode;
  verification.take = nullptr;  // the store reads it as `load` does
  return {"Eligibility",
          "eligibility",
          {std::move(verification).Required("required: open, code, census or digid").Column(),
           StrList("wijken", &E::wijken, 100).Column(), Int("min_age", &E::min_age).Column()}};
}

FieldTable<domain::Appearance> MakeAppearanceFields() {
  using A = domain::Appearance;
  FieldTable<A> t{
      "Appearance",
      "appearance",
      {IdOf("municipality", &A::municipality, false).ReadOnly(), Str("theme", &A::theme, 40),
       Str("display_name", &A::display_name, 120),
       Computed<A>("logo", Type::kString,
                   [](const A& a) {
                     return a.logo.empty()
                                ? Json(nullptr)
                                : Json("/api/v1/municipalities/" + std::to_string(a.municipality.value()) + "/logo");
                   })
           .Nullable()
           .Describe("where the logo is served (null: no logo)"),
       Str("logo_type", &A::logo_type, 40).ReadOnly(), Str("updated_at", &A::updated_at, 0).ReadOnly().DateTime()}};
  return t;  // a request writes the theme and the name; the logo's bytes have a route of their own
}

FieldTable<domain::Report> MakeReportFields() {
  using R = domain::Report;
  // Shown as null while open, stored as '' (the column's default); kept out of files.
  Field<R> resolved_at = Str("resolved_at", &R::resolved_at, 0).Nullable().DateTime().NotInFiles().Column();
  resolved_at.encode = [](const R& r) { return r.resolved_at.empty() ? Json(nullptr) : Json(r.resolved_at); };
  FieldTable<R> t{
      "Report",
      "report",
      {Int("id", &R::id).NotInFiles().Column(), IdOf("municipality", &R::municipality, false).Column("municipality_id"),
       Str("target", &R::target, 20).Column(), Int("target_id", &R::target_id).Column(),
       Str("reason", &R::reason, 4000).Column(), Str("created_at", &R::created_at, 0).DateTime().Column(),
       StrEnum("status", &R::status, {"open", "hidden", "dismissed"}, "must be open, hidden or dismissed").Column(),
       std::move(resolved_at)}};
  AllReadOnly(t);  // without user ids (the audit log has who; the store keeps them beside the table)
  return t;
}

FieldTable<domain::HiddenItem> MakeHiddenItemFields() {
  using H = domain::HiddenItem;
  FieldTable<H> t{"HiddenItem",
                  "hidden",
                  {Str("target", &H::target, 20).Column(), Int("target_id", &H::target_id).Column(),
                   IdOf("municipality", &H::municipality, true).Column("municipality_id"),
                   Str("reason", &H::reason, 4000).Column(), Str("hidden_at", &H::hidden_at, 0).DateTime().Column()}};
  AllReadOnly(t);  // without who hid it (the audit log has who; the store keeps it beside the table)
  return t;
}

FieldTable<domain::MunicipalTask> MakeMunicipalTaskFields() {
  using T = domain::MunicipalTask;
  Field<T> needs = ObjList("capabilities", &T::capabilities, &CapabilityNeedFields);
  needs.decode = [](Fields& f, T& t) { return DecodeNeeds(f, "task", t.capabilities); };
  needs.load = needs.decode;
  return {"Task",
          "task",
          {IdOf("id", &T::id, false).ReadOnly().Column(),
           IdOf("municipality", &T::municipality, false).ReadOnly().Column("municipality_id"),
           Str("title", &T::title).Column(), Str("description", &T::description, kMaxStringLength).Column(),
           StrList("themes", &T::themes).Column(), std::move(needs).Column(),
           Int("budget_eur", &T::budget_eur).Column(), Str("area", &T::area).Column(), Bool("open", &T::open).Column(),
           Str("created_at", &T::created_at, 0).ReadOnly().DateTime().Column()}};
}

FieldTable<domain::Milestone> MakeTaskMilestoneFields() {
  using M = domain::Milestone;
  FieldTable<M> t{"TaskMilestone",
                  "task_challenge.milestones",
                  {Str("title", &M::title), Str("due", &M::due, 10).Date(), Int("amount_eur", &M::amount_eur)}};
  AllReadOnly(t);
  return t;
}

FieldTable<domain::Indicator> MakeTaskIndicatorFields() {
  using I = domain::Indicator;
  FieldTable<I> t{
      "TaskIndicator",
      "task_challenge.indicators",
      {Str("name", &I::name), Str("unit", &I::unit), Num("baseline", &I::baseline), Num("target", &I::target)}};
  AllReadOnly(t);
  return t;
}

std::vector<std::string> TaskChallengeStepCodes() {
  std::vector<std::string> codes;
  for (auto step : domain::TaskChallengeSteps()) codes.emplace_back(domain::TaskChallengeStepCode(step));
  codes.emplace_back(domain::TaskChallengeStepCode(domain::TaskChallengeStep::kRefused));
  return codes;
}

// A bid's path: the steps taken (date, deadline, decision, reasons; never who decided) and the
// steps still ahead (`reached: false`; none after a refusal).
Json TaskChallengeStepsJson(const domain::TaskChallenge& c) {
  Json steps = Json::array();
  auto ahead = [](domain::TaskChallengeStep s) {
    return Json{{"step", std::string(domain::TaskChallengeStepCode(s))},
                {"reached", false},
                {"entered_at", ""},
                {"deadline", ""},
                {"decision", ""},
                {"reasons", ""}};
  };
  for (const auto& s : c.steps)
    steps.push_back({{"step", std::string(domain::TaskChallengeStepCode(s.step))},
                     {"reached", true},
                     {"entered_at", s.entered_at},
                     {"deadline", s.deadline},
                     {"decision", s.decision},
                     {"reasons", s.reasons}});
  if (c.step != domain::TaskChallengeStep::kRefused)
    for (auto next = domain::NextTaskChallengeStep(c.step); next; next = domain::NextTaskChallengeStep(*next))
      steps.push_back(ahead(*next));
  return steps;
}

// A bid's milestones or indicators: shown as the bid states them (`shown`), read as an
// experiment's (the agreement makes the bid's experiment from them), by the experiment table's
// rules with the bid's name in the errors; a request writes them as `write_ref` describes.
template <typename U>
Field<domain::TaskChallenge> BidPlanPart(const std::string& name, std::vector<U> domain::TaskChallenge::*m,
                                         std::vector<U> domain::Experiment::*em, const FieldTable<U>& (*shown)(),
                                         const std::string& write_ref) {
  Field<domain::TaskChallenge> f = ObjList(name, m, shown);
  f.decode = [name, m, em](Fields& r, domain::TaskChallenge& c) -> Status {
    if (!r.Has(name.c_str())) return Status::Ok();
    domain::Experiment e;
    e.*em = c.*m;
    Status st = Decode(ExperimentFields(), Json{{name, r.At(name.c_str())}}, e);
    if (!st.ok()) return Status::InvalidArgument(r.entity() + "." + st.message().substr(st.message().find('.') + 1));
    c.*m = std::move(e.*em);
    return Status::Ok();
  };
  f.load = f.decode;
  f.item_schema = [shown, write_ref](bool write) {
    return Json{{"$ref", "#/components/schemas/" + (write ? write_ref : shown().schema)}};
  };
  return f;
}

FieldTable<domain::TaskChallenge> MakeTaskChallengeFields() {
  using C = domain::TaskChallenge;
  const Json step_codes = {{"type", "string"}, {"enum", TaskChallengeStepCodes()}};
  const Json step_schema = {{"type", "array"},
                            {"items",
                             {{"type", "object"},
                              {"properties",
                               {{"step", step_codes},
                                {"reached", {{"type", "boolean"}}},
                                {"entered_at", {{"type", "string"}}},
                                {"deadline", {{"type", "string"}}},
                                {"decision", {{"type", "string"}}},
                                {"reasons", {{"type", "string"}}}}},
                              {"required", {"step", "reached", "entered_at", "deadline", "decision", "reasons"}}}},
                            {"description", "the steps taken, then the steps still ahead (reached: false)"}};
  auto partners = [](const C& c) {
    Json out = Json::array();
    for (auto a : c.partners) out.push_back(a.value());
    return out;
  };
  // A request names partners by their actor ids (that each exists is the service's check).
  auto decode_partners = [](Fields& f, C& c) -> Status {
    if (!f.Has("partners")) return Status::Ok();
    const Json& list = f.At("partners");
    if (!list.is_array() || list.size() > kMaxListItems) return f.Error("partners", "must be a list of actor ids");
    std::vector<ActorId> out;
    for (const auto& a : list) {
      if (!a.is_number_integer() || a.get<int64_t>() < 1) return f.Error("partners", "must be a list of actor ids");
      out.emplace_back(a.get<int64_t>());
    }
    c.partners = std::move(out);
    return Status::Ok();
  };
  Field<C> needs = ObjList("capabilities", &C::capabilities, &CapabilityNeedFields);
  needs.decode = [](Fields& f, C& c) { return DecodeNeeds(f, f.entity(), c.capabilities); };
  needs.load = needs.decode;
  auto next_steps = [](const C& c) {
    Json moves = Json::array();
    if (auto next = domain::NextTaskChallengeStep(c.step))
      moves.push_back(std::string(domain::TaskChallengeStepCode(*next)));
    if (domain::MayRefuseAt(c.step)) moves.push_back("refused");
    return moves;
  };
  // Who filed the bid and who decided each step are in no table (the store keeps them beside it:
  // storage/sql/task_challenges.cc); `steps` shows the steps taken without them.
  FieldTable<C> t{
      "TaskChallenge",
      "task_challenge",
      {IdOf("id", &C::id, false).ReadOnly().Column(),
       IdOf("municipality", &C::municipality, false).RefersTo("municipality").Column("municipality_id"),
       IdOf("task", &C::task, true).Column("task_id"),
       Str("task_title", &C::task_title).Column(),
       Int("current_cost_eur", &C::current_cost_eur).Column(),
       IdOf("initiative", &C::initiative, true).Column("initiative_actor_id"),
       Str("initiative_name", &C::initiative_name).Column(),
       Str("title", &C::title).Column(),
       Str("plan", &C::plan, kMaxStringLength).Column(),
       Int("budget_eur", &C::budget_eur).Column(),
       Custom<C>("partners", Type::kAny, {{"type", "array"}, {"items", {{"type", "integer"}}}}, partners,
                 decode_partners)
           .Column(),
       StrList("themes", &C::themes).Column(),
       std::move(needs).Column(),
       BidPlanPart("milestones", &C::milestones, &domain::Experiment::milestones, &TaskMilestoneFields,
                   "MilestoneWrite")
           .Column(),
       BidPlanPart("indicators", &C::indicators, &domain::Experiment::indicators, &TaskIndicatorFields,
                   "IndicatorWrite")
           .Column(),
       StrList("criteria", &C::criteria).ReadOnly().Column(),
       Enum("step", &C::step, static_cast<int>(domain::TaskChallengeStep::kRefused) + 1, domain::TaskChallengeStepCode,
            [](const std::string& s) { return domain::ParseTaskChallengeStep(s); })
           .ReadOnly()
           .Column(),
       Custom<C>("next_steps", Type::kAny, {{"type", "array"}, {"items", step_codes}}, next_steps),
       Computed<C>("editable", Type::kBoolean,
                   [](const C& c) { return Json(c.step == domain::TaskChallengeStep::kReceived); }),
       Custom<C>("steps", Type::kAny, step_schema, TaskChallengeStepsJson),
       IdOf("proposal", &C::proposal, true).ReadOnly().Column("proposal_id"),
       IdOf("experiment", &C::experiment, true).ReadOnly().Column("experiment_id"),
       Str("created_at", &C::created_at, 0).ReadOnly().DateTime().Column()}};
  return t;
}

}  // namespace

Status DecodeNeeds(Fields& f, const std::string& entity, std::vector<domain::CapabilityNeed>& out) {
  if (!f.Has("capabilities")) return Status::Ok();
  const Json& list = f.At("capabilities");
  if (!list.is_array() || list.size() > kMaxListItems)
    return Status::InvalidArgument(entity + ".capabilities: must be a list of {capability, weight}");
  std::vector<domain::CapabilityNeed> needs;
  for (const auto& o : list) {
    if (o.is_string()) {
      needs.push_back({o.get<std::string>(), 1.0});
      continue;
    }
    if (!o.is_object())
      return Status::InvalidArgument(entity + ".capabilities: must be a list of {capability, weight}");
    Fields g(o, entity + ".capabilities");
    domain::CapabilityNeed n;
    WEEFSEL_RETURN_IF_ERROR(g.Str("capability", n.capability));
    WEEFSEL_RETURN_IF_ERROR(g.Dbl("weight", n.weight));
    WEEFSEL_RETURN_IF_ERROR(g.Done());
    needs.push_back(n);
  }
  out = std::move(needs);
  return Status::Ok();
}

WEEFSEL_FIELD_TABLE(domain::Municipality, MunicipalityFields)
WEEFSEL_FIELD_TABLE(domain::Actor, ActorFields)
WEEFSEL_FIELD_TABLE(domain::Tie, TieFields)
WEEFSEL_FIELD_TABLE(domain::CapabilityNeed, CapabilityNeedFields)
WEEFSEL_FIELD_TABLE(domain::Challenge, ChallengeFields)
WEEFSEL_FIELD_TABLE(domain::CoalitionMember, CoalitionMemberFields)
WEEFSEL_FIELD_TABLE(domain::Coalition, CoalitionFields)
WEEFSEL_FIELD_TABLE(domain::Milestone, MilestoneFields)
WEEFSEL_FIELD_TABLE(domain::ProposalVersion, ProposalVersionFields)
WEEFSEL_FIELD_TABLE(domain::Proposal, ProposalFields)
WEEFSEL_FIELD_TABLE(domain::RoundProject, RoundProjectFields)
WEEFSEL_FIELD_TABLE(domain::ReviewCriterion, ReviewCriterionFields)
WEEFSEL_FIELD_TABLE(domain::Round, RoundFields)
WEEFSEL_FIELD_TABLE(domain::Review, ReviewFields)
WEEFSEL_FIELD_TABLE(domain::BallotEntry, BallotEntryFields)
WEEFSEL_FIELD_TABLE(domain::Ballot, BallotFields)
WEEFSEL_FIELD_TABLE(domain::Measurement, MeasurementFields)
WEEFSEL_FIELD_TABLE(domain::Indicator, IndicatorFields)
WEEFSEL_FIELD_TABLE(domain::Experiment, ExperimentFields)
WEEFSEL_FIELD_TABLE(domain::User, UserFields)
WEEFSEL_FIELD_TABLE(domain::RoleGrant, RoleGrantFields)
WEEFSEL_FIELD_TABLE(domain::Comment, CommentFields)
WEEFSEL_FIELD_TABLE(domain::AuditEntry, AuditEntryFields)
WEEFSEL_FIELD_TABLE(domain::Allocation, AllocationFields)
WEEFSEL_FIELD_TABLE(domain::MilestoneEvidence, MilestoneEvidenceFields)
WEEFSEL_FIELD_TABLE(domain::MatchCampaign, MatchCampaignFields)
WEEFSEL_FIELD_TABLE(domain::MatchPledge, MatchPledgeFields)
WEEFSEL_FIELD_TABLE(domain::Eligibility, EligibilityFields)
WEEFSEL_FIELD_TABLE(domain::Appearance, AppearanceFields)
WEEFSEL_FIELD_TABLE(domain::Report, ReportFields)
WEEFSEL_FIELD_TABLE(domain::HiddenItem, HiddenItemFields)
WEEFSEL_FIELD_TABLE(domain::MunicipalTask, MunicipalTaskFields)
WEEFSEL_FIELD_TABLE(domain::Milestone, TaskMilestoneFields)
WEEFSEL_FIELD_TABLE(domain::Indicator, TaskIndicatorFields)
WEEFSEL_FIELD_TABLE(domain::TaskChallenge, TaskChallengeFields)

// ---- account state and fabric snapshots (issue 22 item 3; entity_fields.h) ---------------------
namespace {

FieldTable<domain::Notification> MakeNotificationFields() {
  using N = domain::Notification;
  // Shown as null while unread, stored as '' (the column's default).
  Field<N> read_at = Str("read_at", &N::read_at, 0).Nullable().DateTime().Column();
  read_at.encode = [](const N& n) { return n.read_at.empty() ? Json(nullptr) : Json(n.read_at); };
  FieldTable<N> t{
      "Notification",
      "notification",
      {Int("id", &N::id).Column(), Str("at", &N::at, 0).DateTime().Column(), Str("kind", &N::kind, 0).Column(),
       // In the reader's language: the Dutch title here (see entity_fields.h).
       Computed<N>("title", Type::kString, [](const N& n) { return Json(n.title); }),
       Str("title_nl", &N::title, 0).Column("title"), Str("title_en", &N::title_en, 0).Column(),
       Str("link", &N::link, 0).Column(),
       Computed<N>("read", Type::kBoolean, [](const N& n) { return Json(!n.read_at.empty()); }), std::move(read_at)}};
  AllReadOnly(t);  // notifications are made from the audit log, and marked read by their own route
  return t;
}

FieldTable<domain::UserSettings> MakeUserSettingsFields() {
  using S = domain::UserSettings;
  return {"UserSettings", "settings", {Bool("digest", &S::digest).Column(), Str("language", &S::language, 8).Column()}};
}

FieldTable<domain::AccountBlock> MakeAccountBlockFields() {
  using B = domain::AccountBlock;
  return {"AccountBlock",
          "block",
          {IdOf("user", &B::user, false).ReadOnly().Column("user_id"),
           IdOf("municipality", &B::municipality, true).ReadOnly().RefersTo("municipality").Column("municipality_id"),
           Str("reason", &B::reason, 4000).Column(), Str("at", &B::at, 0).ReadOnly().DateTime().Column()}};
}

Json ParsedOrNull(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(nullptr) : j;
}

// A JSON object kept as text in `m`: the API shows `shown` of it parsed (null when it is not JSON);
// the store keeps the text as it is ("{}" when empty) and reads it back as it is (`stored_load`:
// the column's JSON, the whole of it; not in files).
Field<domain::FabricSnapshot> JsonText(const std::string& name, std::string domain::FabricSnapshot::*m, Json schema,
                                       std::function<Json(Json)> shown) {
  using S = domain::FabricSnapshot;
  Field<S> f =
      Custom<S>(name, Type::kAny, std::move(schema), [m, shown](const S& s) { return shown(ParsedOrNull(s.*m)); });
  f.stored_load = [m, name](Fields& r, S& s) -> Status {
    if (!r.Has(name.c_str())) return Status::Ok();
    const Json& v = r.At(name.c_str());
    s.*m = v.is_string() ? v.get<std::string>() : v.dump();
    return Status::Ok();
  };
  f.put = [m](const S& s, CellOut& c) { c.Text((s.*m).empty() ? "{}" : s.*m); };
  f.take = [m](S& s, CellIn& c) {
    s.*m = c.Text();
    return Status::Ok();
  };
  return f;
}

FieldTable<domain::FabricSnapshot> MakeFabricSnapshotFields() {
  using S = domain::FabricSnapshot;
  auto groups = [](Json typology) {
    // The per-actor assignment is for the stability measure; the API shows the groups.
    Json g = typology.is_object() ? typology.value("groups", Json::array()) : Json::array();
    return Json{{"groups", std::move(g)}};
  };
  const Json typology_schema = {
      {"type", "object"}, {"properties", {{"groups", {{"type", "array"}}}}}, {"required", {"groups"}}};
  FieldTable<S> t{"FabricSnapshot",
                  "snapshot",
                  {Int("id", &S::id).Column(), IdOf("municipality", &S::municipality, false).Column("municipality_id"),
                   Str("taken_at", &S::taken_at, 0).DateTime().Column(), Str("period", &S::period, 7).Column(),
                   Str("trigger", &S::trigger, 20).Column("trigger_kind"),
                   JsonText("health", &S::health, Json::object(), [](Json h) { return h; }).Column(),
                   JsonText("typology", &S::typology, typology_schema, groups).Column()}};
  AllReadOnly(t);  // taken by the service (service/snapshots.h), never written by a request
  return t;
}

}  // namespace

WEEFSEL_FIELD_TABLE(domain::Notification, NotificationFields)
WEEFSEL_FIELD_TABLE(domain::UserSettings, UserSettingsFields)
WEEFSEL_FIELD_TABLE(domain::AccountBlock, AccountBlockFields)
WEEFSEL_FIELD_TABLE(domain::FabricSnapshot, FabricSnapshotFields)
// ---- end of account state and fabric snapshots ------------------------------------------------

}  // namespace weefsel::domain::fields
