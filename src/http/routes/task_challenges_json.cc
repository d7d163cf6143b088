#include "http/routes/task_challenges_json.h"

#include <string>

#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"

namespace weefsel::http {

namespace {

Json IdOrNull(int64_t id) { return id > 0 ? Json(id) : Json(nullptr); }

}  // namespace

Json TaskJson(const domain::MunicipalTask& t) { return Encode(fields::MunicipalTaskFields(), t); }

Json TaskChallengeJson(const domain::TaskChallenge& c) { return Encode(fields::TaskChallengeFields(), c); }

Json TaskChallengeSettingsJson(const domain::TaskChallengeSettings& s) {
  Json days = Json::object();
  for (auto step : domain::TaskChallengeSteps()) {
    auto code = std::string(domain::TaskChallengeStepCode(step));
    auto it = s.step_days.find(code);
    days[code] = it != s.step_days.end() ? it->second : domain::DefaultStepDays(step);
  }
  return {{"municipality", s.municipality.value()}, {"step_days", days}};
}

Json TaskBudgetsJson(const std::vector<service::TaskBudgetLine>& lines) {
  Json out = Json::array();
  for (const auto& l : lines)
    out.push_back({{"task_challenge", l.challenge.value()},
                   {"task", IdOrNull(l.task.value())},
                   {"task_title", l.task_title},
                   {"initiative_name", l.initiative_name},
                   {"task_budget_eur", l.task_budget_eur},
                   {"transferred_eur", l.transferred_eur},
                   {"kept_eur", l.kept_eur},
                   {"proposal", IdOrNull(l.proposal.value())},
                   {"experiment", IdOrNull(l.experiment.value())}});
  return out;
}

namespace {

using kit::ArrayOf;
using kit::Body;
using kit::NullableId;
using kit::Obj;
using kit::Scalar;

Json Strings() { return ArrayOf(Scalar("string")); }
Json StepCodes() {
  std::vector<std::string> codes;
  for (auto step : domain::TaskChallengeSteps()) codes.emplace_back(domain::TaskChallengeStepCode(step));
  codes.emplace_back("refused");
  return kit::Enum(codes);
}

}  // namespace

Json TaskSchema() { return kit::Ref("Task"); }

Json TaskWriteSchema() { return kit::Ref("TaskWrite"); }

Json TaskChallengeSchema() { return kit::Ref("TaskChallenge"); }

Json TaskChallengeWriteSchema() { return kit::Ref("TaskChallengeWrite"); }

Json TaskChallengeStepSchema() {
  return Body({{"step", StepCodes()},
               {"decision", Scalar("string")},
               {"reasons", Scalar("string")},
               {"deadline", Scalar("string")},
               {"criteria", Strings()}},
              {"step", "decision"});
}

Json TaskChallengeSettingsSchema() {
  return Obj({{"municipality", Scalar("integer")},
              {"step_days", {{"type", "object"}, {"additionalProperties", Scalar("integer")}}}});
}

Json TaskChallengeSettingsWriteSchema() {
  return Body({{"step_days", {{"type", "object"}, {"additionalProperties", Scalar("integer")}}}});
}

Json TaskBudgetsSchema() {
  return ArrayOf(Obj({{"task_challenge", Scalar("integer")},
                      {"task", NullableId()},
                      {"task_title", Scalar("string")},
                      {"initiative_name", Scalar("string")},
                      {"task_budget_eur", Scalar("integer")},
                      {"transferred_eur", Scalar("integer")},
                      {"kept_eur", Scalar("integer")},
                      {"proposal", NullableId()},
                      {"experiment", NullableId()}}));
}

}  // namespace weefsel::http
