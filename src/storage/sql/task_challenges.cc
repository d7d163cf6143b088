// sql/task_challenges.cc: the Right to Challenge (store/task_challenges.h). Tasks and bids are
// mapped through their field tables (row_map.h); a bid's lists (partners, themes, capabilities,
// milestones, indicators, criteria) and its steps taken are JSON text in its row, read and written
// whole with the bid.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_store.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {

using Json = nlohmann::json;
using domain::fields::Fields;

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The steps a bid has taken as stored: with who decided each (the table's `steps` shows them
// without, and with the steps still ahead).
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

Status StepsOf(Fields& r, domain::TaskChallenge& c) {
  const Json& j = r.At("steps");
  c.steps.clear();
  if (!j.is_array()) return Status::Ok();
  for (const auto& e : j) {
    if (!e.is_object()) return Status::Internal("steps: a step is not an object");
    domain::StepRecord s;
    auto step = domain::ParseTaskChallengeStep(e.value("step", std::string()));
    if (!step.ok()) return Status::Internal("steps: " + step.status().message());
    s.step = *step;
    s.entered_at = e.value("entered_at", std::string());
    s.deadline = e.value("deadline", std::string());
    s.decision = e.value("decision", std::string());
    s.reasons = e.value("reasons", std::string());
    s.decided_by = UserId(e.value("decided_by", int64_t{0}));
    c.steps.push_back(std::move(s));
  }
  return Status::Ok();
}

// The row of a task: the stored fields of its table.
const RowMap<domain::MunicipalTask>& TaskRows() {
  static const auto* rows = new RowMap<domain::MunicipalTask>("municipal_tasks", domain::fields::MunicipalTaskFields());
  return *rows;
}

// The row of a bid: the stored fields of its table, who filed it and the steps taken with who
// decided each, whom no reader of the table may see.
const RowMap<domain::TaskChallenge>& BidRows() {
  static const auto* rows = [] {
    using domain::TaskChallenge;
    auto* m = new RowMap<TaskChallenge>("task_challenges", domain::fields::TaskChallengeFields());
    m->Also(domain::fields::IdOf("filed_by", &TaskChallenge::filed_by, true).Column());
    m->Also(
        domain::fields::Custom<TaskChallenge>(
            "steps", domain::fields::Type::kAny, {}, [](const TaskChallenge& c) { return StepsJson(c.steps); }, StepsOf)
            .Column());
    return m;
  }();
  return *rows;
}

}  // namespace

void SqlStore::TouchRtc(std::string_view kind, int64_t id, MunicipalityId m) {
  Touch(std::string(kind) + "s");
  if (id > 0) Touch(scope::Of(kind, id));
  Touch(scope::Municipality(m));
}

Result<std::vector<domain::MunicipalTask>> SqlStore::ReadTasks(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(TaskRows().Select() + " " + tail, params));
  return TaskRows().Read(r);
}

Result<TaskId> SqlStore::Insert(domain::MunicipalTask& t) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    domain::MunicipalTask fresh = t;
    fresh.id = TaskId();  // a new task always gets a new id
    auto [sql, params] = TaskRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
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
    auto [sql, params] = TaskRows().Update(t);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
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
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(BidRows().Select() + " " + tail, params));
  return BidRows().Read(r);
}

Result<TaskChallengeId> SqlStore::Insert(domain::TaskChallenge& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    domain::TaskChallenge fresh = c;
    fresh.id = TaskChallengeId();  // a new bid always gets a new id
    auto [sql, params] = BidRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
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
    auto [sql, params] = BidRows().Update(c);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
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
