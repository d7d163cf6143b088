// sql/task_challenges.cc: the Right to Challenge (store/task_challenges.h). A task
// challenge's lists (partners, themes, capabilities, milestones, indicators, criteria) and its
// published steps are JSON text in their row: they are read and written whole with the challenge.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "storage/sql/sql_store.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {

using Json = nlohmann::json;

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Parses a JSON column; a corrupt one is an Internal error naming the row.
Result<Json> Column(const SqlRows& r, size_t i, size_t c, std::string_view table) {
  std::string text = r.Str(i, c);
  if (text.empty()) return Json::array();
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Corrupt(table, r.Int(i, 0), "a column is not JSON");
  return j;
}

Json NeedsJson(const std::vector<domain::CapabilityNeed>& needs) {
  Json j = Json::array();
  for (const auto& n : needs) j.push_back({{"capability", n.capability}, {"weight", n.weight}});
  return j;
}

std::vector<domain::CapabilityNeed> NeedsOf(const Json& j) {
  std::vector<domain::CapabilityNeed> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) out.push_back({e.value("capability", std::string()), e.value("weight", 1.0)});
  return out;
}

std::vector<std::string> StringsOf(const Json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& e : j)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

Json MilestonesJson(const std::vector<domain::Milestone>& ms) {
  Json j = Json::array();
  for (const auto& m : ms) j.push_back({{"title", m.title}, {"due", m.due}, {"amount_eur", m.amount_eur}});
  return j;
}

std::vector<domain::Milestone> MilestonesOf(const Json& j) {
  std::vector<domain::Milestone> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    domain::Milestone m;
    m.title = e.value("title", std::string());
    m.due = e.value("due", std::string());
    m.amount_eur = e.value("amount_eur", int64_t{0});
    out.push_back(std::move(m));
  }
  return out;
}

Json IndicatorsJson(const std::vector<domain::Indicator>& is) {
  Json j = Json::array();
  for (const auto& i : is)
    j.push_back({{"name", i.name}, {"unit", i.unit}, {"baseline", i.baseline}, {"target", i.target}});
  return j;
}

std::vector<domain::Indicator> IndicatorsOf(const Json& j) {
  std::vector<domain::Indicator> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    domain::Indicator i;
    i.name = e.value("name", std::string());
    i.unit = e.value("unit", std::string());
    i.baseline = e.value("baseline", 0.0);
    i.target = e.value("target", 0.0);
    out.push_back(std::move(i));
  }
  return out;
}

Json StepsJson(const std::vector<domain::StepRecord>& steps) {
  Json j = Json::array();
  for (const auto& s : steps)
    j.push_back({{"step", std::string(domain::TaskChallengeStepCode(s.step))},
                 {"entered_at", s.entered_at},
                 {"deadline", s.deadline},
                 {"decision", s.decision},
                 {"reasons", s.reasons},
                 {"decided_by", s.decided_by.value()}});
  return j;
}

Result<std::vector<domain::StepRecord>> StepsOf(const Json& j, int64_t id) {
  std::vector<domain::StepRecord> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    domain::StepRecord s;
    auto step = domain::ParseTaskChallengeStep(e.value("step", std::string()));
    if (!step.ok()) return Corrupt("task_challenges", id, step.status().message());
    s.step = *step;
    s.entered_at = e.value("entered_at", std::string());
    s.deadline = e.value("deadline", std::string());
    s.decision = e.value("decision", std::string());
    s.reasons = e.value("reasons", std::string());
    s.decided_by = UserId(e.value("decided_by", int64_t{0}));
    out.push_back(std::move(s));
  }
  return out;
}

constexpr const char* kTaskColumns =
    "id, municipality_id, title, description, themes, capabilities, budget_eur, area, open, created_at";

constexpr const char* kChallengeColumns =
    "id, municipality_id, task_id, task_title, current_cost_eur, initiative_actor_id, initiative_name, filed_by, "
    "title, plan, budget_eur, partners, themes, capabilities, milestones, indicators, criteria, step, steps, "
    "proposal_id, experiment_id, created_at";

Params ChallengeParams(const domain::TaskChallenge& c) {
  Json partners = Json::array();
  for (auto a : c.partners) partners.push_back(a.value());
  return {Int(c.municipality.value()),
          IdOrNull(c.task),
          Text(c.task_title),
          Int(c.current_cost_eur),
          IdOrNull(c.initiative),
          Text(c.initiative_name),
          IdOrNull(c.filed_by),
          Text(c.title),
          Text(c.plan),
          Int(c.budget_eur),
          Text(Dump(partners)),
          Text(Dump(Json(c.themes))),
          Text(Dump(NeedsJson(c.capabilities))),
          Text(Dump(MilestonesJson(c.milestones))),
          Text(Dump(IndicatorsJson(c.indicators))),
          Text(Dump(Json(c.criteria))),
          Text(domain::TaskChallengeStepCode(c.step)),
          Text(Dump(StepsJson(c.steps))),
          IdOrNull(c.proposal),
          IdOrNull(c.experiment),
          Text(c.created_at)};
}

}  // namespace

void SqlStore::TouchRtc(std::string_view kind, int64_t id, MunicipalityId m) {
  Touch(std::string(kind) + "s");
  if (id > 0) Touch(scope::Of(kind, id));
  Touch(scope::Municipality(m));
}

Result<std::vector<domain::MunicipalTask>> SqlStore::ReadTasks(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(std::string("SELECT ") + kTaskColumns + " FROM municipal_tasks " + tail, params));
  std::vector<domain::MunicipalTask> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& t = out[i];
    t.id = TaskId(r.Int(i, 0));
    t.municipality = MunicipalityId(r.Int(i, 1));
    t.title = r.Str(i, 2);
    t.description = r.Str(i, 3);
    WEEFSEL_ASSIGN_OR_RETURN(Json themes, Column(r, i, 4, "municipal_tasks"));
    t.themes = StringsOf(themes);
    WEEFSEL_ASSIGN_OR_RETURN(Json caps, Column(r, i, 5, "municipal_tasks"));
    t.capabilities = NeedsOf(caps);
    t.budget_eur = r.Int(i, 6);
    t.area = r.Str(i, 7);
    t.open = r.Int(i, 8) != 0;
    t.created_at = r.Str(i, 9);
  }
  return out;
}

Result<TaskId> SqlStore::Insert(domain::MunicipalTask& t) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO municipal_tasks (municipality_id, title, description, themes, capabilities, "
                     "budget_eur, area, open, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                     {Int(t.municipality.value()), Text(t.title), Text(t.description), Text(Dump(Json(t.themes))),
                      Text(Dump(NeedsJson(t.capabilities))), Int(t.budget_eur), Text(t.area), Int(t.open ? 1 : 0),
                      Text(t.created_at)}));
    id = r.Int(0, 0);
    TouchRtc("task", id, t.municipality);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "task", {{"task.municipality", "municipalities", t.municipality.value()}}));
  t.id = TaskId(id);
  return t.id;
}

Status SqlStore::Update(const domain::MunicipalTask& t) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  Status st = Write([&]() -> Status {
    TouchRtc("task", t.id.value(), t.municipality);
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("UPDATE municipal_tasks SET municipality_id = $1, title = $2, description = $3, themes = $4, "
                     "capabilities = $5, budget_eur = $6, area = $7, open = $8 WHERE id = $9 RETURNING id",
                     {Int(t.municipality.value()), Text(t.title), Text(t.description), Text(Dump(Json(t.themes))),
                      Text(Dump(NeedsJson(t.capabilities))), Int(t.budget_eur), Text(t.area), Int(t.open ? 1 : 0),
                      Int(t.id.value())}));
    if (r.empty()) return Status::NotFound("task " + std::to_string(t.id.value()) + " does not exist");
    return Status::Ok();
  });
  if (st.code() == StatusCode::kNotFound) return st;
  return Explain(st, "task", {{"task.municipality", "municipalities", t.municipality.value()}});
}

Result<domain::MunicipalTask> SqlStore::GetTask(TaskId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, ReadTasks("WHERE id = $1", {Int(id.value())}));
  if (rows.empty()) return Status::NotFound("task " + std::to_string(id.value()) + " does not exist");
  return rows.front();
}

Result<std::vector<domain::MunicipalTask>> SqlStore::TasksOf(MunicipalityId m) {
  return ReadTasks("WHERE municipality_id = $1 ORDER BY id", {Int(m.value())});
}

Result<std::vector<domain::TaskChallenge>> SqlStore::ReadTaskChallenges(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(std::string("SELECT ") + kChallengeColumns + " FROM task_challenges " + tail, params));
  std::vector<domain::TaskChallenge> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& c = out[i];
    int64_t id = r.Int(i, 0);
    c.id = TaskChallengeId(id);
    c.municipality = MunicipalityId(r.Int(i, 1));
    c.task = TaskId(IntOrZero(r, i, 2));
    c.task_title = r.Str(i, 3);
    c.current_cost_eur = r.Int(i, 4);
    c.initiative = ActorId(IntOrZero(r, i, 5));
    c.initiative_name = r.Str(i, 6);
    c.filed_by = UserId(IntOrZero(r, i, 7));
    c.title = r.Str(i, 8);
    c.plan = r.Str(i, 9);
    c.budget_eur = r.Int(i, 10);
    WEEFSEL_ASSIGN_OR_RETURN(Json partners, Column(r, i, 11, "task_challenges"));
    if (partners.is_array())
      for (const auto& a : partners)
        if (a.is_number_integer()) c.partners.emplace_back(a.get<int64_t>());
    WEEFSEL_ASSIGN_OR_RETURN(Json themes, Column(r, i, 12, "task_challenges"));
    c.themes = StringsOf(themes);
    WEEFSEL_ASSIGN_OR_RETURN(Json caps, Column(r, i, 13, "task_challenges"));
    c.capabilities = NeedsOf(caps);
    WEEFSEL_ASSIGN_OR_RETURN(Json ms, Column(r, i, 14, "task_challenges"));
    c.milestones = MilestonesOf(ms);
    WEEFSEL_ASSIGN_OR_RETURN(Json is, Column(r, i, 15, "task_challenges"));
    c.indicators = IndicatorsOf(is);
    WEEFSEL_ASSIGN_OR_RETURN(Json criteria, Column(r, i, 16, "task_challenges"));
    c.criteria = StringsOf(criteria);
    auto step = domain::ParseTaskChallengeStep(r.Str(i, 17));
    if (!step.ok()) return Corrupt("task_challenges", id, step.status().message());
    c.step = *step;
    WEEFSEL_ASSIGN_OR_RETURN(Json steps, Column(r, i, 18, "task_challenges"));
    WEEFSEL_ASSIGN_OR_RETURN(c.steps, StepsOf(steps, id));
    c.proposal = ProposalId(IntOrZero(r, i, 19));
    c.experiment = ExperimentId(IntOrZero(r, i, 20));
    c.created_at = r.Str(i, 21);
  }
  return out;
}

Result<TaskChallengeId> SqlStore::Insert(domain::TaskChallenge& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("INSERT INTO task_challenges (municipality_id, task_id, task_title, current_cost_eur, initiative_actor_id, "
          "initiative_name, filed_by, title, plan, budget_eur, partners, themes, capabilities, milestones, "
          "indicators, criteria, step, steps, proposal_id, experiment_id, created_at) VALUES ($1, $2, $3, $4, $5, "
          "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id",
          ChallengeParams(c)));
    id = r.Int(0, 0);
    TouchRtc("task_challenge", id, c.municipality);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "task_challenge",
                                  {{"task_challenge.municipality", "municipalities", c.municipality.value()},
                                   {"task_challenge.task", "municipal_tasks", c.task.value()},
                                   {"task_challenge.initiative", "actors", c.initiative.value()},
                                   {"task_challenge.filed_by", "users", c.filed_by.value()}}));
  c.id = TaskChallengeId(id);
  return c.id;
}

Status SqlStore::Update(const domain::TaskChallenge& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Status st = Write([&]() -> Status {
    TouchRtc("task_challenge", c.id.value(), c.municipality);
    Params p = ChallengeParams(c);
    p.push_back(Int(c.id.value()));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE task_challenges SET municipality_id = $1, task_id = $2, task_title = $3, current_cost_eur = $4, "
          "initiative_actor_id = $5, initiative_name = $6, filed_by = $7, title = $8, plan = $9, budget_eur = $10, "
          "partners = $11, themes = $12, capabilities = $13, milestones = $14, indicators = $15, criteria = $16, "
          "step = $17, steps = $18, proposal_id = $19, experiment_id = $20, created_at = $21 WHERE id = $22 "
          "RETURNING id",
          p));
    if (r.empty()) return Status::NotFound("task challenge " + std::to_string(c.id.value()) + " does not exist");
    return Status::Ok();
  });
  if (st.code() == StatusCode::kNotFound) return st;
  return Explain(st, "task_challenge",
                 {{"task_challenge.task", "municipal_tasks", c.task.value()},
                  {"task_challenge.initiative", "actors", c.initiative.value()},
                  {"task_challenge.proposal", "proposals", c.proposal.value()},
                  {"task_challenge.experiment", "experiments", c.experiment.value()}});
}

Result<domain::TaskChallenge> SqlStore::GetTaskChallenge(TaskChallengeId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, ReadTaskChallenges("WHERE id = $1", {Int(id.value())}));
  if (rows.empty()) return Status::NotFound("task challenge " + std::to_string(id.value()) + " does not exist");
  return rows.front();
}

Result<std::vector<domain::TaskChallenge>> SqlStore::TaskChallengesOf(MunicipalityId m) {
  if (!m.valid()) return ReadTaskChallenges("ORDER BY id", {});
  return ReadTaskChallenges("WHERE municipality_id = $1 ORDER BY id", {Int(m.value())});
}

Result<domain::TaskChallenge> SqlStore::TaskChallengeOfProposal(ProposalId p) {
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, ReadTaskChallenges("WHERE proposal_id = $1 ORDER BY id", {Int(p.value())}));
  if (rows.empty()) return Status::NotFound("no task challenge made proposal " + std::to_string(p.value()));
  return rows.front();
}

Result<domain::TaskChallengeSettings> SqlStore::GetTaskChallengeSettings(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT step_days FROM task_challenge_settings WHERE municipality_id = $1", {Int(m.value())}));
  domain::TaskChallengeSettings s;
  s.municipality = m;
  if (r.empty()) return s;
  Json j = Json::parse(r.Str(0, 0), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Corrupt("task_challenge_settings", m.value(), "step_days is not a JSON object");
  for (const auto& [k, v] : j.items())
    if (v.is_number_integer()) s.step_days[k] = v.get<int>();
  return s;
}

Status SqlStore::PutTaskChallengeSettings(const domain::TaskChallengeSettings& s) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(s));
  Json days = Json::object();
  for (const auto& [k, v] : s.step_days) days[k] = v;
  Status st = Write([&]() -> Status {
    Touch(scope::Municipality(s.municipality));
    WEEFSEL_RETURN_IF_ERROR(
        Q("DELETE FROM task_challenge_settings WHERE municipality_id = $1", {Int(s.municipality.value())}).status());
    return Q("INSERT INTO task_challenge_settings (municipality_id, step_days) VALUES ($1, $2)",
             {Int(s.municipality.value()), Text(Dump(days))})
        .status();
  });
  return Explain(st, "settings", {{"settings.municipality", "municipalities", s.municipality.value()}});
}

}  // namespace weefsel::storage::sql
