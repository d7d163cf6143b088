#include "http/json_codec.h"

#include <algorithm>
#include <vector>

#include "base/strings.h"

namespace weefsel::http {
namespace {

template <typename Tag>
Json IdJson(Id<Tag> id) {
  return id.valid() ? Json(id.value()) : Json(nullptr);
}

Json MilestoneJson(const domain::Milestone& m) {
  return {
      {"title", m.title}, {"due", m.due}, {"amount_eur", m.amount_eur}, {"status", m.status}, {"evidence", m.evidence}};
}

}  // namespace

namespace {

// A SAX pass that only counts: depth, keys of the innermost objects, values in all.
class ShapeCheck {
 public:
  explicit ShapeCheck(int max_depth) : max_depth_(max_depth) {}
  std::string error;

  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(nlohmann::json::number_integer_t) { return Value(); }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return Value(); }
  bool number_float(nlohmann::json::number_float_t, const std::string&) { return Value(); }
  bool string(std::string&) { return Value(); }
  bool binary(nlohmann::json::binary_t&) { return Value(); }
  bool start_object(std::size_t) { return Open(true); }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(false); }
  bool end_array() { return Close(); }
  bool key(std::string&) {
    if (++keys_.back() > kMaxJsonKeysPerObject)
      return Fail("body: an object has more than " + std::to_string(kMaxJsonKeysPerObject) + " keys");
    return Value();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception&) {
    return Fail("body: not valid JSON (at byte " + std::to_string(position) + ")");
  }

 private:
  bool Value() {
    if (++values_ > kMaxJsonValues) return Fail("body: more than " + std::to_string(kMaxJsonValues) + " JSON values");
    return true;
  }
  bool Open(bool object) {
    if (static_cast<int>(keys_.size()) >= max_depth_)
      return Fail("body: JSON nested deeper than " + std::to_string(max_depth_) + " levels");
    keys_.push_back(object ? 0 : kNotObject);
    return Value();
  }
  bool Close() {
    keys_.pop_back();
    return true;
  }
  bool Fail(std::string what) {
    if (error.empty()) error = std::move(what);
    return false;
  }
  static constexpr size_t kNotObject = 0;  // arrays count no keys (never incremented)
  int max_depth_;
  size_t values_ = 0;
  std::vector<size_t> keys_;
};

}  // namespace

Status CheckJsonShape(std::string_view body, int max_depth) {
  ShapeCheck check(max_depth);
  bool ok = nlohmann::json::sax_parse(body.begin(), body.end(), &check, nlohmann::json::input_format_t::json,
                                      /*strict=*/true);
  if (!ok) return Status::InvalidArgument(check.error.empty() ? "body: not valid JSON" : check.error);
  return Status::Ok();
}

Result<Json> ParseObject(std::string_view body) {
  WEEFSEL_RETURN_IF_ERROR(CheckJsonShape(body));
  Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("body: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("body: must be a JSON object");
  return j;
}

// ---- Fields ---------------------------------------------------------------------------------

Status Fields::Error(const std::string& field, const std::string& what) const {
  return Status::InvalidArgument(entity_ + "." + field + ": " + what);
}

Status Fields::Str(const char* name, std::string& out, size_t max) {
  if (!Has(name)) return Status::Ok();
  Seen(name);
  const Json& v = j_.at(name);
  if (v.is_null()) {
    out.clear();
    return Status::Ok();
  }
  if (!v.is_string()) return Error(name, "must be a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > max) return Error(name, "at most " + std::to_string(max) + " characters");
  out = s;
  return Status::Ok();
}

Status Fields::Int(const char* name, int64_t& out) {
  if (!Has(name)) return Status::Ok();
  Seen(name);
  const Json& v = j_.at(name);
  if (v.is_number_integer()) {
    out = v.get<int64_t>();
    return Status::Ok();
  }
  if (v.is_number_float()) {
    // Within ±9e15, where a double is still exact (1e+23 is refused: found by UBSan).
    if (auto w = WholeNumber(v.get<double>()); w && *w > -9'000'000'000'000'000 && *w < 9'000'000'000'000'000) {
      out = *w;
      return Status::Ok();
    }
  }
  return Error(name, "must be an integer");
}

Status Fields::Int(const char* name, int& out) {
  int64_t v = out;
  WEEFSEL_RETURN_IF_ERROR(Int(name, v));
  if (v < -1000000000 || v > 1000000000) return Error(name, "out of range");
  out = static_cast<int>(v);
  return Status::Ok();
}

Status Fields::Dbl(const char* name, double& out) {
  if (!Has(name)) return Status::Ok();
  Seen(name);
  const Json& v = j_.at(name);
  if (!v.is_number()) return Error(name, "must be a number");
  out = v.get<double>();
  return Status::Ok();
}

Status Fields::Bool(const char* name, bool& out) {
  if (!Has(name)) return Status::Ok();
  Seen(name);
  const Json& v = j_.at(name);
  if (!v.is_boolean()) return Error(name, "must be true or false");
  out = v.get<bool>();
  return Status::Ok();
}

Status Fields::StrList(const char* name, std::vector<std::string>& out, size_t max_len) {
  if (!Has(name)) return Status::Ok();
  Seen(name);
  const Json& v = j_.at(name);
  if (!v.is_array()) return Error(name, "must be a list of strings");
  if (v.size() > kMaxListItems) return Error(name, "at most " + std::to_string(kMaxListItems) + " items");
  std::vector<std::string> r;
  for (const auto& e : v) {
    if (!e.is_string()) return Error(name, "must be a list of strings");
    if (e.get_ref<const std::string&>().size() > max_len)
      return Error(name, "items of at most " + std::to_string(max_len) + " characters");
    r.push_back(e.get<std::string>());
  }
  out = std::move(r);
  return Status::Ok();
}

Status Fields::Done() const {
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (std::find(seen_.begin(), seen_.end(), it.key()) == seen_.end()) return Error(it.key(), "unknown field");
  return Status::Ok();
}

namespace {

// Reads an array field of objects, each decoded by `fn(object, index)`.
template <typename Fn>
Status ObjectList(Fields& f, const char* name, const Fields& owner, Fn fn) {
  if (!f.Has(name)) return Status::Ok();
  const Json& v = f.At(name);
  if (!v.is_array()) return owner.Error(name, "must be a list of objects");
  if (v.size() > kMaxListItems) return owner.Error(name, "at most " + std::to_string(kMaxListItems) + " items");
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_object()) return owner.Error(name, "item " + std::to_string(i) + " must be an object");
    WEEFSEL_RETURN_IF_ERROR(fn(v[i], i));
  }
  return Status::Ok();
}

template <typename T, typename Parse>
Status EnumField(Fields& f, const char* name, T& out, Parse parse) {
  std::string s;
  if (!f.Has(name)) return Status::Ok();
  WEEFSEL_RETURN_IF_ERROR(f.Str(name, s));
  auto r = parse(s);
  if (!r.ok()) return f.Error(name, r.status().message());
  out = *r;
  return Status::Ok();
}

Status ApplyMilestone(const Json& j, domain::Milestone& m, const std::string& entity) {
  Fields f(j, entity);
  WEEFSEL_RETURN_IF_ERROR(f.Str("title", m.title));
  WEEFSEL_RETURN_IF_ERROR(f.Str("due", m.due, 10));
  WEEFSEL_RETURN_IF_ERROR(f.Int("amount_eur", m.amount_eur));
  WEEFSEL_RETURN_IF_ERROR(f.Str("status", m.status, 20));
  WEEFSEL_RETURN_IF_ERROR(f.Str("evidence", m.evidence, kMaxStringLength));
  if (m.status != "planned" && m.status != "submitted" && m.status != "approved" && m.status != "rejected")
    return f.Error("status", "must be planned, submitted, approved or rejected");
  if (!m.due.empty() && !IsIsoDate(m.due)) return f.Error("due", "'" + m.due + "' is not a date YYYY-MM-DD");
  return f.Done();
}

}  // namespace

// ---- encoders -------------------------------------------------------------------------------

Json ToJson(const domain::Municipality& m) {
  return {{"id", m.id.value()},         {"cbs_code", m.cbs_code}, {"name", m.name}, {"province", m.province},
          {"population", m.population}, {"lat", m.lat},           {"lon", m.lon}};
}

Json ToJson(const domain::Actor& a) {
  return {{"id", a.id.value()},
          {"name", a.name},
          {"kind", domain::ActorKindCode(a.kind)},
          {"sector", domain::SectorCode(domain::SectorOf(a.kind))},
          {"municipality", IdJson(a.municipality)},
          {"area", a.area},
          {"themes", a.themes},
          {"capabilities", a.capabilities},
          {"description", a.description},
          {"size", a.size},
          {"website", a.website},
          {"generated", a.generated},
          {"source", a.source}};
}

Json ToJson(const domain::Tie& t) {
  return {{"id", t.id.value()},
          {"a", t.a.value()},
          {"b", t.b.value()},
          {"weight", t.weight},
          {"kind", domain::TieKindCode(t.kind)},
          {"source", domain::TieSourceCode(t.source)},
          {"from", t.from},
          {"until", t.until},
          {"note", t.note}};
}

Json ToJson(const domain::Challenge& c) {
  Json caps = Json::array();
  for (const auto& n : c.capabilities) caps.push_back({{"capability", n.capability}, {"weight", n.weight}});
  Json mix = Json::object();
  for (const auto& [sector, n] : c.sector_mix) mix[std::string(domain::SectorCode(sector))] = n;
  return {{"id", c.id.value()},
          {"municipality", IdJson(c.municipality)},
          {"title", c.title},
          {"text", c.text},
          {"language", c.language},
          {"themes", c.themes},
          {"capabilities", caps},
          {"sector_mix", mix},
          {"max_coalition_size", c.max_coalition_size},
          {"budget_eur", c.budget_eur},
          {"area", c.area},
          {"deadline", c.deadline},
          {"phase", domain::ChallengePhaseCode(c.phase)},
          {"owner", IdJson(c.owner)},
          {"created_at", c.created_at}};
}

Json ToJson(const domain::Coalition& c) {
  Json members = Json::array();
  for (const auto& m : c.members)
    members.push_back({{"actor", m.actor.value()},
                       {"role", m.role},
                       {"status", domain::MemberStatusCode(m.status)},
                       {"covers", m.covers}});
  return {{"id", c.id.value()},           {"challenge", c.challenge.value()},
          {"members", members},           {"status", domain::CoalitionStatusCode(c.status)},
          {"explanation", c.explanation}, {"score", c.score},
          {"created_at", c.created_at}};
}

Json ToJson(const domain::Proposal& p) {
  Json versions = Json::array();
  for (const auto& v : p.versions) {
    Json ms = Json::array();
    for (const auto& m : v.milestones) ms.push_back(MilestoneJson(m));
    versions.push_back({{"number", v.number},
                        {"title", v.title},
                        {"plan", v.plan},
                        {"budget_eur", v.budget_eur},
                        {"milestones", ms},
                        {"indicators", v.indicators},
                        {"author", IdJson(v.author)},
                        {"created_at", v.created_at}});
  }
  return {{"id", p.id.value()}, {"coalition", p.coalition.value()}, {"challenge", p.challenge.value()},
          {"status", p.status}, {"supports", p.supports},           {"versions", versions}};
}

Json ToJson(const domain::Round& r) {
  Json projects = Json::array();
  for (const auto& p : r.projects)
    projects.push_back({{"project_id", p.project_id},
                        {"proposal", IdJson(p.proposal)},
                        {"title", p.title},
                        {"cost_eur", p.cost_eur},
                        {"category", p.category},
                        {"neighbourhood", p.neighbourhood}});
  Json criteria = Json::array();
  for (const auto& c : r.criteria)
    criteria.push_back({{"name", c.name}, {"description", c.description}, {"max_score", c.max_score}});
  return {{"id", r.id.value()},
          {"municipality", IdJson(r.municipality)},
          {"name", r.name},
          {"budget_eur", r.budget_eur},
          {"ballot_kind", domain::BallotKindCode(r.ballot_kind)},
          {"rule", r.rule},
          {"phase", domain::RoundPhaseCode(r.phase)},
          {"min_length", r.min_length},
          {"max_length", r.max_length},
          {"max_points", r.max_points},
          {"max_points_per_project", r.max_points_per_project},
          {"projects", projects},
          {"criteria", criteria}};
}

Json ToJson(const domain::Review& r) {
  Json scores = Json::object();
  for (const auto& [name, score] : r.scores) scores[name] = score;
  return {
      {"id", r.id},       {"round", r.round.value()}, {"project_id", r.project_id}, {"reviewer", IdJson(r.reviewer)},
      {"scores", scores}, {"comment", r.comment},     {"created_at", r.created_at}};
}

Json ToJson(const storage::AuditEntry& e) {
  auto parsed = [](const std::string& text) {
    if (text.empty()) return Json(nullptr);
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? Json(text) : j;
  };
  return {{"id", e.id},
          {"at", e.at},
          {"user", IdJson(e.user)},
          {"municipality", IdJson(e.municipality)},
          {"entity", e.entity},
          {"entity_id", e.entity_id},
          {"action", e.action},
          {"before", parsed(e.before)},
          {"after", parsed(e.after)}};
}

Json ToJson(const storage::Allocation& a) {
  return {{"round", a.round.value()},
          {"project_id", a.project_id},
          {"proposal", IdJson(a.proposal)},
          {"amount_eur", a.amount_eur}};
}

Json ToJson(const storage::MilestoneEvidence& e) {
  return {{"id", e.id},
          {"experiment", e.experiment.value()},
          {"milestone", e.milestone + 1},
          {"text", e.text},
          {"link", e.link},
          {"submitted_at", e.submitted_at},
          {"decision", e.decision},
          {"decided_at", e.decided_at},
          {"reason", e.reason},
          {"released_eur", e.released_eur}};
}

Json ToJson(const storage::MatchCampaign& c) {
  return {{"id", c.id},
          {"municipality", c.municipality.value()},
          {"round", c.round.value()},
          {"name", c.name},
          {"ratio_num", c.ratio_num},
          {"ratio_den", c.ratio_den},
          {"campaign_cap_eur", c.campaign_cap_eur},
          {"fund_eur", c.fund_eur},
          {"deadline", c.deadline},
          {"created_at", c.created_at}};
}

Json ToJson(const storage::MatchPledge& p) {
  return {
      {"id", p.id}, {"campaign", p.campaign}, {"project_id", p.project_id}, {"amount_eur", p.amount_eur}, {"at", p.at}};
}

Json ToJson(const service::MunicipalityOverview& o) {
  Json phases = Json::object();
  for (const auto& [phase, n] : o.challenges_per_phase) phases[phase] = n;
  Json experiments = Json::array();
  for (const auto& x : o.experiments) {
    Json indicators = Json::array();
    for (const auto& i : x.indicators) {
      Json latest = nullptr;
      if (i.latest) latest = {{"date", i.latest->date}, {"value", i.latest->value}, {"source", i.latest->source}};
      indicators.push_back({{"id", i.id.value()},
                            {"name", i.name},
                            {"unit", i.unit},
                            {"baseline", i.baseline},
                            {"target", i.target},
                            {"latest", latest},
                            {"progress", i.progress ? Json(*i.progress) : Json(nullptr)}});
    }
    experiments.push_back({{"id", x.id.value()},
                           {"proposal", x.proposal.value()},
                           {"title", x.title},
                           {"status", x.status},
                           {"funded_eur", x.funded_eur},
                           {"released_eur", x.released_eur},
                           {"indicators", indicators}});
  }
  Json commitments = Json::array();
  for (const auto& l : o.commitments) {
    Json line = {
        {"source", l.source}, {"proposal", IdJson(l.proposal)}, {"title", l.title}, {"amount_eur", l.amount_eur}};
    if (l.source == "round") {
      line["round"] = l.round.value();
      line["round_name"] = l.round_name;
      line["project_id"] = l.project_id;
    }
    commitments.push_back(std::move(line));
  }
  return {{"municipality", o.municipality.value()},
          {"money",
           {{"committed_eur", o.committed_eur},
            {"commitments", commitments},
            {"released_eur", o.released_eur},
            {"remaining_eur", o.remaining_eur},
            {"published_rounds", o.published_rounds}}},
          {"challenges_per_phase", phases},
          {"experiments", experiments}};
}

Json ToJson(const service::MatchStanding& s) {
  auto eur = [](int64_t cents) { return static_cast<double>(cents) / 100.0; };
  Json projects = Json::array();
  for (const auto& p : s.projects) {
    const auto& r = p.result;
    projects.push_back({{"project_id", p.project_id},
                        {"title", p.title},
                        {"target_eur", p.cost_eur},
                        {"pledges", p.pledges},
                        {"status", fund::CampaignStatusCode(r.status)},
                        {"raised_cents", r.raised},
                        {"match_cents", r.match},
                        {"match_wanted_cents", r.match_wanted},
                        {"raised_eur", eur(r.raised)},
                        {"match_eur", eur(r.match)},
                        {"reached", r.reached},
                        {"capped", r.capped},
                        {"fund_short", r.fund_short},
                        {"refunded_pledges", r.refunds.size()},
                        {"late_pledges", r.late_pledges.size()},
                        {"reason", r.reason}});
  }
  Json out = ToJson(s.campaign);
  out["at"] = s.at;
  out["fund_used_cents"] = s.fund_used_cents;
  out["fund_left_cents"] = s.fund_left_cents;
  out["fund_used_eur"] = eur(s.fund_used_cents);
  out["fund_left_eur"] = eur(s.fund_left_cents);
  out["projects"] = projects;
  return out;
}

Status Apply(const Json& j, storage::MatchCampaign& c) {
  Fields f(j, "campaign");
  WEEFSEL_RETURN_IF_ERROR(f.Str("name", c.name, 200));
  WEEFSEL_RETURN_IF_ERROR(f.Int("ratio_num", c.ratio_num));
  WEEFSEL_RETURN_IF_ERROR(f.Int("ratio_den", c.ratio_den));
  WEEFSEL_RETURN_IF_ERROR(f.Int("campaign_cap_eur", c.campaign_cap_eur));
  WEEFSEL_RETURN_IF_ERROR(f.Int("fund_eur", c.fund_eur));
  WEEFSEL_RETURN_IF_ERROR(f.Str("deadline", c.deadline, 10));
  return f.Done();
}

Json ToJson(const domain::Ballot& b) {
  Json entries = Json::array();
  for (const auto& e : b.entries) entries.push_back({{"project_id", e.project_id}, {"points", e.points}});
  return {{"id", b.id.value()},
          {"round", b.round.value()},
          {"kind", domain::BallotKindCode(b.kind)},
          {"entries", entries},
          {"cast_at", b.cast_at}};
}

Json ToJson(const domain::Experiment& e) {
  Json indicators = Json::array();
  for (const auto& i : e.indicators) {
    Json ms = Json::array();
    for (const auto& m : i.measurements) ms.push_back({{"date", m.date}, {"value", m.value}, {"source", m.source}});
    indicators.push_back({{"id", i.id.value()},
                          {"name", i.name},
                          {"unit", i.unit},
                          {"baseline", i.baseline},
                          {"target", i.target},
                          {"measurements", ms}});
  }
  Json ms = Json::array();
  for (const auto& m : e.milestones) ms.push_back(MilestoneJson(m));
  return {{"id", e.id.value()},         {"proposal", e.proposal.value()},
          {"hypotheses", e.hypotheses}, {"indicators", indicators},
          {"milestones", ms},           {"status", e.status},
          {"outcome", e.outcome},       {"learned", e.learned}};
}

Json ToJson(const domain::User& u) {
  return {{"id", u.id.value()}, {"email", u.email}, {"display_name", u.display_name}, {"created_at", u.created_at}};
}

Json ToJson(const domain::RoleGrant& g) {
  return {{"user", g.user.value()},
          {"role", domain::RoleCode(g.role)},
          {"municipality", IdJson(g.municipality)},
          {"actor", IdJson(g.actor)}};
}

Json ToJson(const service::Comment& c) {
  return {{"id", c.id},
          {"proposal", c.proposal.value()},
          {"parent", c.parent > 0 ? Json(c.parent) : Json(nullptr)},
          {"author", IdJson(c.author)},
          {"author_name", c.author_name},
          {"text", c.text},
          {"created_at", c.created_at}};
}

Json ToJson(const service::Principal& p) {
  Json grants = Json::array();
  for (const auto& g : p.grants) grants.push_back(ToJson(g));
  return {{"id", p.user.value()}, {"email", p.email}, {"display_name", p.display_name}, {"grants", grants}};
}

// ---- decoders -------------------------------------------------------------------------------

Status Apply(const Json& j, domain::Municipality& m) {
  Fields f(j, "municipality");
  WEEFSEL_RETURN_IF_ERROR(f.Str("cbs_code", m.cbs_code, 6));
  WEEFSEL_RETURN_IF_ERROR(f.Str("name", m.name));
  WEEFSEL_RETURN_IF_ERROR(f.Str("province", m.province));
  WEEFSEL_RETURN_IF_ERROR(f.Int("population", m.population));
  WEEFSEL_RETURN_IF_ERROR(f.Dbl("lat", m.lat));
  WEEFSEL_RETURN_IF_ERROR(f.Dbl("lon", m.lon));
  return f.Done();
}

Status Apply(const Json& j, domain::Actor& a) {
  Fields f(j, "actor");
  WEEFSEL_RETURN_IF_ERROR(f.Str("name", a.name));
  WEEFSEL_RETURN_IF_ERROR(EnumField(f, "kind", a.kind, [](const std::string& s) { return domain::ParseActorKind(s); }));
  WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", a.municipality));
  WEEFSEL_RETURN_IF_ERROR(f.Str("area", a.area));
  WEEFSEL_RETURN_IF_ERROR(f.StrList("themes", a.themes));
  WEEFSEL_RETURN_IF_ERROR(f.StrList("capabilities", a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(f.Str("description", a.description, kMaxStringLength));
  WEEFSEL_RETURN_IF_ERROR(f.Int("size", a.size));
  WEEFSEL_RETURN_IF_ERROR(f.Str("website", a.website));
  return f.Done();
}

Status Apply(const Json& j, domain::Tie& t) {
  Fields f(j, "tie");
  WEEFSEL_RETURN_IF_ERROR(f.IdField("a", t.a));
  WEEFSEL_RETURN_IF_ERROR(f.IdField("b", t.b));
  WEEFSEL_RETURN_IF_ERROR(f.Dbl("weight", t.weight));
  WEEFSEL_RETURN_IF_ERROR(EnumField(f, "kind", t.kind, [](const std::string& s) { return domain::ParseTieKind(s); }));
  WEEFSEL_RETURN_IF_ERROR(
      EnumField(f, "source", t.source, [](const std::string& s) { return domain::ParseTieSource(s); }));
  WEEFSEL_RETURN_IF_ERROR(f.Str("from", t.from, 10));
  WEEFSEL_RETURN_IF_ERROR(f.Str("until", t.until, 10));
  WEEFSEL_RETURN_IF_ERROR(f.Str("note", t.note, kMaxStringLength));
  return f.Done();
}

Status Apply(const Json& j, domain::Challenge& c) {
  Fields f(j, "challenge");
  WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", c.municipality));
  WEEFSEL_RETURN_IF_ERROR(f.Str("title", c.title));
  WEEFSEL_RETURN_IF_ERROR(f.Str("text", c.text, kMaxStringLength));
  WEEFSEL_RETURN_IF_ERROR(f.Str("language", c.language, 2));
  WEEFSEL_RETURN_IF_ERROR(f.StrList("themes", c.themes));
  if (f.Has("capabilities")) {
    std::vector<domain::CapabilityNeed> needs;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "capabilities", f, [&](const Json& o, size_t) -> Status {
      Fields g(o, "challenge.capabilities");
      domain::CapabilityNeed n;
      WEEFSEL_RETURN_IF_ERROR(g.Str("capability", n.capability));
      WEEFSEL_RETURN_IF_ERROR(g.Dbl("weight", n.weight));
      needs.push_back(n);
      return g.Done();
    }));
    c.capabilities = std::move(needs);
  }
  if (f.Has("sector_mix")) {
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
  }
  WEEFSEL_RETURN_IF_ERROR(f.Int("max_coalition_size", c.max_coalition_size));
  WEEFSEL_RETURN_IF_ERROR(f.Int("budget_eur", c.budget_eur));
  WEEFSEL_RETURN_IF_ERROR(f.Str("area", c.area));
  WEEFSEL_RETURN_IF_ERROR(f.Str("deadline", c.deadline, 10));
  WEEFSEL_RETURN_IF_ERROR(
      EnumField(f, "phase", c.phase, [](const std::string& s) { return domain::ParseChallengePhase(s); }));
  WEEFSEL_RETURN_IF_ERROR(f.IdField("owner", c.owner));
  return f.Done();
}

Status Apply(const Json& j, domain::Coalition& c) {
  Fields f(j, "coalition");
  WEEFSEL_RETURN_IF_ERROR(f.IdField("challenge", c.challenge));
  if (f.Has("members")) {
    std::vector<domain::CoalitionMember> members;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "members", f, [&](const Json& o, size_t) -> Status {
      Fields g(o, "coalition.members");
      domain::CoalitionMember m;
      WEEFSEL_RETURN_IF_ERROR(g.IdField("actor", m.actor));
      WEEFSEL_RETURN_IF_ERROR(g.Str("role", m.role, 20));
      WEEFSEL_RETURN_IF_ERROR(g.StrList("covers", m.covers));
      members.push_back(m);
      return g.Done();
    }));
    c.members = std::move(members);
  }
  WEEFSEL_RETURN_IF_ERROR(f.Str("explanation", c.explanation, kMaxStringLength));
  WEEFSEL_RETURN_IF_ERROR(f.Dbl("score", c.score));
  return f.Done();
}

Status Apply(const Json& j, domain::ProposalVersion& v) {
  Fields f(j, "proposal");
  WEEFSEL_RETURN_IF_ERROR(f.Str("title", v.title));
  WEEFSEL_RETURN_IF_ERROR(f.Str("plan", v.plan, kMaxStringLength));
  WEEFSEL_RETURN_IF_ERROR(f.Int("budget_eur", v.budget_eur));
  WEEFSEL_RETURN_IF_ERROR(f.StrList("indicators", v.indicators));
  if (f.Has("milestones")) {
    std::vector<domain::Milestone> ms;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "milestones", f, [&](const Json& o, size_t) -> Status {
      domain::Milestone m;
      WEEFSEL_RETURN_IF_ERROR(ApplyMilestone(o, m, "proposal.milestones"));
      ms.push_back(m);
      return Status::Ok();
    }));
    v.milestones = std::move(ms);
  }
  if (Trim(v.title).empty()) return f.Error("title", "must not be empty");
  if (v.budget_eur < 0) return f.Error("budget_eur", "must not be negative");
  return f.Done();
}

Status Apply(const Json& j, domain::Round& r) {
  Fields f(j, "round");
  WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", r.municipality));
  WEEFSEL_RETURN_IF_ERROR(f.Str("name", r.name));
  WEEFSEL_RETURN_IF_ERROR(f.Int("budget_eur", r.budget_eur));
  WEEFSEL_RETURN_IF_ERROR(
      EnumField(f, "ballot_kind", r.ballot_kind, [](const std::string& s) { return domain::ParseBallotKind(s); }));
  WEEFSEL_RETURN_IF_ERROR(f.Str("rule", r.rule, 100));
  WEEFSEL_RETURN_IF_ERROR(f.Int("min_length", r.min_length));
  WEEFSEL_RETURN_IF_ERROR(f.Int("max_length", r.max_length));
  WEEFSEL_RETURN_IF_ERROR(f.Int("max_points", r.max_points));
  WEEFSEL_RETURN_IF_ERROR(f.Int("max_points_per_project", r.max_points_per_project));
  if (f.Has("projects")) {
    std::vector<domain::RoundProject> projects;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "projects", f, [&](const Json& o, size_t) -> Status {
      Fields g(o, "round.projects");
      domain::RoundProject p;
      WEEFSEL_RETURN_IF_ERROR(g.Str("project_id", p.project_id, 100));
      WEEFSEL_RETURN_IF_ERROR(g.IdField("proposal", p.proposal));
      WEEFSEL_RETURN_IF_ERROR(g.Str("title", p.title));
      WEEFSEL_RETURN_IF_ERROR(g.Int("cost_eur", p.cost_eur));
      WEEFSEL_RETURN_IF_ERROR(g.Str("category", p.category));
      WEEFSEL_RETURN_IF_ERROR(g.Str("neighbourhood", p.neighbourhood));
      projects.push_back(p);
      return g.Done();
    }));
    r.projects = std::move(projects);
  }
  if (f.Has("criteria")) {
    std::vector<domain::ReviewCriterion> criteria;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "criteria", f, [&](const Json& o, size_t) -> Status {
      Fields g(o, "round.criteria");
      domain::ReviewCriterion c;
      WEEFSEL_RETURN_IF_ERROR(g.Str("name", c.name, 100));
      WEEFSEL_RETURN_IF_ERROR(g.Str("description", c.description, 2000));
      WEEFSEL_RETURN_IF_ERROR(g.Int("max_score", c.max_score));
      criteria.push_back(c);
      return g.Done();
    }));
    r.criteria = std::move(criteria);
  }
  return f.Done();
}

Status Apply(const Json& j, domain::Review& r) {
  Fields f(j, "review");
  WEEFSEL_RETURN_IF_ERROR(f.Str("project_id", r.project_id, 100));
  if (!f.Has("project_id")) return f.Error("project_id", "required");
  WEEFSEL_RETURN_IF_ERROR(f.Str("comment", r.comment, 5000));
  if (!f.Has("scores")) return f.Error("scores", "required: an object of criterion -> score");
  const Json& scores = f.At("scores");
  if (!scores.is_object() || scores.size() > kMaxListItems)
    return f.Error("scores", "must be an object of criterion -> integer score");
  for (auto it = scores.begin(); it != scores.end(); ++it) {
    if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0 || it.value().get<int64_t>() > 1000)
      return f.Error("scores", "score of '" + it.key() + "' must be a non-negative integer");
    r.scores[it.key()] = static_cast<int>(it.value().get<int64_t>());
  }
  return f.Done();
}

Status Apply(const Json& j, domain::Experiment& e) {
  Fields f(j, "experiment");
  WEEFSEL_RETURN_IF_ERROR(f.IdField("proposal", e.proposal));
  WEEFSEL_RETURN_IF_ERROR(f.StrList("hypotheses", e.hypotheses, kMaxStringLength));
  if (f.Has("indicators")) {
    std::vector<domain::Indicator> inds;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "indicators", f, [&](const Json& o, size_t) -> Status {
      Fields g(o, "experiment.indicators");
      domain::Indicator i;
      WEEFSEL_RETURN_IF_ERROR(g.IdField("id", i.id));
      WEEFSEL_RETURN_IF_ERROR(g.Str("name", i.name));
      WEEFSEL_RETURN_IF_ERROR(g.Str("unit", i.unit));
      WEEFSEL_RETURN_IF_ERROR(g.Dbl("baseline", i.baseline));
      WEEFSEL_RETURN_IF_ERROR(g.Dbl("target", i.target));
      if (g.Has("measurements")) {
        WEEFSEL_RETURN_IF_ERROR(ObjectList(g, "measurements", g, [&](const Json& mo, size_t) -> Status {
          domain::Measurement m;
          WEEFSEL_RETURN_IF_ERROR(Apply(mo, m));
          i.measurements.push_back(m);
          return Status::Ok();
        }));
      }
      inds.push_back(i);
      return g.Done();
    }));
    // Keep the stored measurements of indicators that are named by id without measurements.
    for (auto& i : inds)
      if (i.id.valid() && i.measurements.empty())
        for (const auto& old : e.indicators)
          if (old.id == i.id) i.measurements = old.measurements;
    e.indicators = std::move(inds);
  }
  if (f.Has("milestones")) {
    std::vector<domain::Milestone> ms;
    WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "milestones", f, [&](const Json& o, size_t) -> Status {
      domain::Milestone m;
      WEEFSEL_RETURN_IF_ERROR(ApplyMilestone(o, m, "experiment.milestones"));
      ms.push_back(m);
      return Status::Ok();
    }));
    e.milestones = std::move(ms);
  }
  WEEFSEL_RETURN_IF_ERROR(f.Str("status", e.status, 20));
  if (e.status != "running" && e.status != "completed" && e.status != "stopped")
    return f.Error("status", "must be running, completed or stopped");
  WEEFSEL_RETURN_IF_ERROR(f.Str("outcome", e.outcome, kMaxStringLength));
  WEEFSEL_RETURN_IF_ERROR(f.Str("learned", e.learned, kMaxStringLength));
  return f.Done();
}

Status Apply(const Json& j, domain::Measurement& m) {
  Fields f(j, "measurement");
  WEEFSEL_RETURN_IF_ERROR(f.Str("date", m.date, 10));
  WEEFSEL_RETURN_IF_ERROR(f.Dbl("value", m.value));
  WEEFSEL_RETURN_IF_ERROR(f.Str("source", m.source));
  if (!IsIsoDate(m.date)) return f.Error("date", "'" + m.date + "' is not a date YYYY-MM-DD");
  return f.Done();
}

Status Apply(const Json& j, domain::RoleGrant& g) {
  Fields f(j, "grant");
  WEEFSEL_RETURN_IF_ERROR(EnumField(f, "role", g.role, [](const std::string& s) { return domain::ParseRole(s); }));
  WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", g.municipality));
  WEEFSEL_RETURN_IF_ERROR(f.IdField("actor", g.actor));
  if (!f.Has("role")) return f.Error("role", "required (platform_admin, officer, moderator, actor_member or resident)");
  return f.Done();
}

Result<std::vector<domain::BallotEntry>> DecodeBallot(const Json& j) {
  Fields f(j, "ballot");
  std::vector<domain::BallotEntry> entries;
  if (!f.Has("entries")) return f.Error("entries", "required: a list of {project_id, points}");
  WEEFSEL_RETURN_IF_ERROR(ObjectList(f, "entries", f, [&](const Json& o, size_t) -> Status {
    Fields g(o, "ballot.entries");
    domain::BallotEntry e;
    WEEFSEL_RETURN_IF_ERROR(g.Str("project_id", e.project_id, 100));
    WEEFSEL_RETURN_IF_ERROR(g.Int("points", e.points));
    entries.push_back(e);
    return g.Done();
  }));
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  return entries;
}

}  // namespace weefsel::http
