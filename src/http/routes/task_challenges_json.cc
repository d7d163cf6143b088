#include "http/routes/task_challenges_json.h"

#include <string>

#include "http/routes/route_kit.h"

namespace weefsel::http {

namespace {

Json IdOrNull(int64_t id) { return id > 0 ? Json(id) : Json(nullptr); }

Json NeedsJson(const std::vector<domain::CapabilityNeed>& needs) {
  Json out = Json::array();
  for (const auto& n : needs) out.push_back({{"capability", n.capability}, {"weight", n.weight}});
  return out;
}

}  // namespace

Json TaskJson(const domain::MunicipalTask& t) {
  return {{"id", t.id.value()},
          {"municipality", t.municipality.value()},
          {"title", t.title},
          {"description", t.description},
          {"themes", t.themes},
          {"capabilities", NeedsJson(t.capabilities)},
          {"budget_eur", t.budget_eur},
          {"area", t.area},
          {"open", t.open},
          {"created_at", t.created_at}};
}

Json TaskChallengeJson(const domain::TaskChallenge& c) {
  Json partners = Json::array();
  for (auto a : c.partners) partners.push_back(a.value());
  Json milestones = Json::array();
  for (const auto& m : c.milestones)
    milestones.push_back({{"title", m.title}, {"due", m.due}, {"amount_eur", m.amount_eur}});
  Json indicators = Json::array();
  for (const auto& i : c.indicators)
    indicators.push_back({{"name", i.name}, {"unit", i.unit}, {"baseline", i.baseline}, {"target", i.target}});
  Json steps = Json::array();
  for (const auto& s : c.steps)
    steps.push_back({{"step", std::string(domain::TaskChallengeStepCode(s.step))},
                     {"reached", true},
                     {"entered_at", s.entered_at},
                     {"deadline", s.deadline},
                     {"decision", s.decision},
                     {"reasons", s.reasons}});
  // The steps still ahead on the path (none after a refusal).
  if (c.step != domain::TaskChallengeStep::kRefused)
    for (auto next = domain::NextTaskChallengeStep(c.step); next; next = domain::NextTaskChallengeStep(*next))
      steps.push_back({{"step", std::string(domain::TaskChallengeStepCode(*next))},
                       {"reached", false},
                       {"entered_at", ""},
                       {"deadline", ""},
                       {"decision", ""},
                       {"reasons", ""}});
  auto next = domain::NextTaskChallengeStep(c.step);
  Json moves = Json::array();
  if (next) moves.push_back(std::string(domain::TaskChallengeStepCode(*next)));
  if (domain::MayRefuseAt(c.step)) moves.push_back("refused");
  return {{"id", c.id.value()},
          {"municipality", c.municipality.value()},
          {"task", IdOrNull(c.task.value())},
          {"task_title", c.task_title},
          {"current_cost_eur", c.current_cost_eur},
          {"initiative", IdOrNull(c.initiative.value())},
          {"initiative_name", c.initiative_name},
          {"title", c.title},
          {"plan", c.plan},
          {"budget_eur", c.budget_eur},
          {"partners", partners},
          {"themes", c.themes},
          {"capabilities", NeedsJson(c.capabilities)},
          {"milestones", milestones},
          {"indicators", indicators},
          {"criteria", c.criteria},
          {"step", std::string(domain::TaskChallengeStepCode(c.step))},
          {"next_steps", moves},
          {"editable", c.step == domain::TaskChallengeStep::kReceived},
          {"steps", steps},
          {"proposal", IdOrNull(c.proposal.value())},
          {"experiment", IdOrNull(c.experiment.value())},
          {"created_at", c.created_at}};
}

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

Json Needs() { return ArrayOf(Obj({{"capability", Scalar("string")}, {"weight", Scalar("number")}})); }
Json Strings() { return ArrayOf(Scalar("string")); }
Json StepCodes() {
  std::vector<std::string> codes;
  for (auto step : domain::TaskChallengeSteps()) codes.emplace_back(domain::TaskChallengeStepCode(step));
  codes.emplace_back("refused");
  return kit::Enum(codes);
}
Json MilestonesSchema() {
  return ArrayOf(Obj({{"title", Scalar("string")}, {"due", Scalar("string")}, {"amount_eur", Scalar("integer")}}));
}
Json IndicatorsSchema() {
  return ArrayOf(Obj({{"name", Scalar("string")},
                      {"unit", Scalar("string")},
                      {"baseline", Scalar("number")},
                      {"target", Scalar("number")}}));
}

}  // namespace

Json TaskSchema() {
  return Obj({{"id", Scalar("integer")},
              {"municipality", Scalar("integer")},
              {"title", Scalar("string")},
              {"description", Scalar("string")},
              {"themes", Strings()},
              {"capabilities", Needs()},
              {"budget_eur", Scalar("integer")},
              {"area", Scalar("string")},
              {"open", Scalar("boolean")},
              {"created_at", Scalar("string")}});
}

Json TaskWriteSchema() {
  return Body({{"title", Scalar("string")},
               {"description", Scalar("string")},
               {"themes", Strings()},
               {"capabilities", Needs()},
               {"budget_eur", Scalar("integer")},
               {"area", Scalar("string")},
               {"open", Scalar("boolean")}});
}

Json TaskChallengeSchema() {
  Json step = Obj({{"step", StepCodes()},
                   {"reached", Scalar("boolean")},
                   {"entered_at", Scalar("string")},
                   {"deadline", Scalar("string")},
                   {"decision", Scalar("string")},
                   {"reasons", Scalar("string")}});
  return Obj({{"id", Scalar("integer")},
              {"municipality", Scalar("integer")},
              {"task", NullableId()},
              {"task_title", Scalar("string")},
              {"current_cost_eur", Scalar("integer")},
              {"initiative", NullableId()},
              {"initiative_name", Scalar("string")},
              {"title", Scalar("string")},
              {"plan", Scalar("string")},
              {"budget_eur", Scalar("integer")},
              {"partners", ArrayOf(Scalar("integer"))},
              {"themes", Strings()},
              {"capabilities", Needs()},
              {"milestones", MilestonesSchema()},
              {"indicators", IndicatorsSchema()},
              {"criteria", Strings()},
              {"step", StepCodes()},
              {"next_steps", ArrayOf(StepCodes())},
              {"editable", Scalar("boolean")},
              {"steps", ArrayOf(step)},
              {"proposal", NullableId()},
              {"experiment", NullableId()},
              {"created_at", Scalar("string")}});
}

Json TaskChallengeWriteSchema() {
  return Body({{"municipality", Scalar("integer")},
               {"task", Scalar("integer")},
               {"task_title", Scalar("string")},
               {"current_cost_eur", Scalar("integer")},
               {"initiative", Scalar("integer")},
               {"initiative_name", Scalar("string")},
               {"title", Scalar("string")},
               {"plan", Scalar("string")},
               {"budget_eur", Scalar("integer")},
               {"themes", Strings()},
               {"capabilities", Needs()},
               {"partners", ArrayOf(Scalar("integer"))},
               {"milestones", MilestonesSchema()},
               {"indicators", IndicatorsSchema()}});
}

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
