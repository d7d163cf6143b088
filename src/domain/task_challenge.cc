#include "domain/task_challenge.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "base/strings.h"

namespace weefsel::domain {

namespace {

constexpr std::array<std::pair<TaskChallengeStep, std::string_view>, 8> kSteps{{
    {TaskChallengeStep::kReceived, "received"},
    {TaskChallengeStep::kAssessment, "assessment"},
    {TaskChallengeStep::kTalks, "talks"},
    {TaskChallengeStep::kDecision, "decision"},
    {TaskChallengeStep::kAgreement, "agreement"},
    {TaskChallengeStep::kRunning, "running"},
    {TaskChallengeStep::kEvaluated, "evaluated"},
    {TaskChallengeStep::kRefused, "refused"},
}};

Status Field(std::string_view entity, std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(entity) + "." + std::string(field) + ": " + std::string(what));
}

constexpr int64_t kMaxEur = 1'000'000'000'000;

Status ValidateNeeds(std::string_view entity, const std::vector<CapabilityNeed>& needs) {
  std::set<std::string> seen;
  for (const auto& n : needs) {
    if (n.capability.empty() || NormalizeCapability(n.capability) != n.capability)
      return Field(entity, "capabilities", "capability '" + n.capability + "' is not normalised");
    if (!(n.weight > 0)) return Field(entity, "capabilities", "weight of '" + n.capability + "' must be positive");
    if (!seen.insert(n.capability).second) return Field(entity, "capabilities", "'" + n.capability + "' listed twice");
  }
  return Status::Ok();
}

Status ValidateThemes(std::string_view entity, const std::vector<std::string>& themes) {
  for (const auto& t : themes)
    if (!ParseTheme(t).ok()) return Field(entity, "themes", "unknown theme '" + t + "'");
  return Status::Ok();
}

}  // namespace

std::string_view TaskChallengeStepCode(TaskChallengeStep s) {
  for (const auto& [step, code] : kSteps)
    if (step == s) return code;
  return "received";
}

Result<TaskChallengeStep> ParseTaskChallengeStep(std::string_view s) {
  for (const auto& [step, code] : kSteps)
    if (code == s) return step;
  return Status::InvalidArgument("unknown step '" + std::string(s) +
                                 "' (received, assessment, talks, decision, agreement, running, evaluated, refused)");
}

std::optional<TaskChallengeStep> NextTaskChallengeStep(TaskChallengeStep s) {
  if (s == TaskChallengeStep::kEvaluated || s == TaskChallengeStep::kRefused) return std::nullopt;
  return static_cast<TaskChallengeStep>(static_cast<int>(s) + 1);
}

bool MayRefuseAt(TaskChallengeStep s) {
  return s == TaskChallengeStep::kReceived || s == TaskChallengeStep::kAssessment || s == TaskChallengeStep::kTalks ||
         s == TaskChallengeStep::kDecision;
}

const std::vector<TaskChallengeStep>& TaskChallengeSteps() {
  static const std::vector<TaskChallengeStep> kPath = {TaskChallengeStep::kReceived,  TaskChallengeStep::kAssessment,
                                                       TaskChallengeStep::kTalks,     TaskChallengeStep::kDecision,
                                                       TaskChallengeStep::kAgreement, TaskChallengeStep::kRunning,
                                                       TaskChallengeStep::kEvaluated};
  return kPath;
}

int DefaultStepDays(TaskChallengeStep s) {
  switch (s) {
    case TaskChallengeStep::kReceived:
      return 14;  // admissibility: two weeks
    case TaskChallengeStep::kAssessment:
      return 56;  // eight weeks
    case TaskChallengeStep::kTalks:
      return 42;
    case TaskChallengeStep::kDecision:
      return 28;
    case TaskChallengeStep::kAgreement:
      return 42;
    case TaskChallengeStep::kRunning:
      return 365;  // the experiment's first year
    case TaskChallengeStep::kEvaluated:
      return 0;  // the end
    case TaskChallengeStep::kRefused:
      return 0;
  }
  return 0;
}

Status Validate(const MunicipalTask& t) {
  if (!t.municipality.valid()) return Field("task", "municipality", "must name a municipality");
  if (Trim(t.title).empty()) return Field("task", "title", "must not be empty");
  if (t.title.size() > 200) return Field("task", "title", "at most 200 bytes");
  if (t.description.size() > 20000) return Field("task", "description", "at most 20000 bytes");
  if (t.budget_eur < 0 || t.budget_eur > kMaxEur) return Field("task", "budget_eur", "must be 0 or a positive amount");
  WEEFSEL_RETURN_IF_ERROR(ValidateThemes("task", t.themes));
  return ValidateNeeds("task", t.capabilities);
}

Status Validate(const TaskChallenge& c) {
  if (!c.municipality.valid()) return Field("task_challenge", "municipality", "must name a municipality");
  if (Trim(c.task_title).empty()) return Field("task_challenge", "task_title", "must name the task challenged");
  if (c.task_title.size() > 200) return Field("task_challenge", "task_title", "at most 200 bytes");
  if (Trim(c.title).empty()) return Field("task_challenge", "title", "must not be empty");
  if (c.title.size() > 200) return Field("task_challenge", "title", "at most 200 bytes");
  if (Trim(c.plan).empty()) return Field("task_challenge", "plan", "must say what the initiative proposes");
  if (c.plan.size() > 50000) return Field("task_challenge", "plan", "at most 50000 bytes");
  if (!c.initiative.valid() && Trim(c.initiative_name).empty())
    return Field("task_challenge", "initiative_name", "residents filing together must name their initiative");
  if (c.initiative_name.size() > 200) return Field("task_challenge", "initiative_name", "at most 200 bytes");
  if (c.current_cost_eur < 0 || c.current_cost_eur > kMaxEur)
    return Field("task_challenge", "current_cost_eur", "must be 0 or a positive amount");
  if (c.budget_eur <= 0 || c.budget_eur > kMaxEur)
    return Field("task_challenge", "budget_eur", "must be a positive amount");
  std::set<int64_t> partners;
  for (auto a : c.partners) {
    if (!a.valid()) return Field("task_challenge", "partners", "must be actor ids");
    if (a == c.initiative) return Field("task_challenge", "partners", "the initiative is not its own partner");
    if (!partners.insert(a.value()).second) return Field("task_challenge", "partners", "an actor is listed twice");
  }
  if (c.partners.size() > 50) return Field("task_challenge", "partners", "at most 50");
  WEEFSEL_RETURN_IF_ERROR(ValidateThemes("task_challenge", c.themes));
  WEEFSEL_RETURN_IF_ERROR(ValidateNeeds("task_challenge", c.capabilities));
  int64_t milestones = 0;
  for (const auto& m : c.milestones) {
    if (Trim(m.title).empty()) return Field("task_challenge", "milestones", "a milestone needs a title");
    if (!m.due.empty() && !IsIsoDate(m.due)) return Field("task_challenge", "milestones", "due is not a date");
    if (m.amount_eur < 0) return Field("task_challenge", "milestones", "amount must not be negative");
    milestones += m.amount_eur;
  }
  if (milestones > c.budget_eur)
    return Field("task_challenge", "milestones", "the milestones' amounts add up to more than the budget");
  for (const auto& i : c.indicators)
    if (Trim(i.name).empty()) return Field("task_challenge", "indicators", "an indicator needs a name");
  for (const auto& s : c.steps)
    if (!s.deadline.empty() && !IsIsoDate(s.deadline))
      return Field("task_challenge", "deadline", "'" + s.deadline + "' is not a date YYYY-MM-DD");
  return Status::Ok();
}

Status Validate(const TaskChallengeSettings& s) {
  if (!s.municipality.valid()) return Field("settings", "municipality", "must name a municipality");
  for (const auto& [code, days] : s.step_days) {
    if (!ParseTaskChallengeStep(code).ok() || code == "refused")
      return Field("settings", "step_days", "unknown step '" + code + "'");
    if (days < 0 || days > 3650) return Field("settings", "step_days", "days must be between 0 and 3650");
  }
  return Status::Ok();
}

}  // namespace weefsel::domain
