#include "http/routes/task_challenges_json.h"

#include <string>

#include "domain/fields/field_table.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"

namespace weefsel::http {

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
  for (const auto& l : lines) out.push_back(Encode(fields::TaskBudgetLineFields(), l));
  return out;
}

namespace {

using kit::ArrayOf;
using kit::Body;
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

Json TaskBudgetsSchema() { return ArrayOf(ShapeSchema(fields::TaskBudgetLineFields())); }

}  // namespace weefsel::http
