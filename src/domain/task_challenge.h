// domain/task_challenge.h: the Right to Challenge (uitdaagrecht) as value types.
//
// A municipality keeps a published list of the tasks it performs (MunicipalTask: what it costs
// today, the themes and capabilities it takes). An initiative (an actor, or residents together)
// files a TaskChallenge: it challenges the municipality to let it take a task over, with what it
// proposes, for what budget, with which partners, and the milestones and indicators it would be
// held to. The municipality's officers move the challenge through the published steps of the
// assessment (received -> assessment -> talks -> decision -> agreement -> running -> evaluated);
// `refused` is the way out before an agreement. Every step keeps its date, deadline, decision and
// reasons, and all of it is public, refusals included (docs/right-to-challenge.md).
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "domain/model.h"

namespace weefsel {
using TaskId = Id<struct TaskTag>;                    // a task on a municipality's task list
using TaskChallengeId = Id<struct TaskChallengeTag>;  // a Right to Challenge bid
}  // namespace weefsel

namespace weefsel::domain {

// A task on the municipality's published task list.
struct MunicipalTask {
  TaskId id;
  MunicipalityId municipality;
  std::string title;
  std::string description;
  std::vector<std::string> themes;           // theme codes
  std::vector<CapabilityNeed> capabilities;  // what the task takes
  int64_t budget_eur = 0;                    // what it costs the municipality a year today
  std::string area;                          // wijk, or empty for the whole municipality
  bool open = true;                          // open to challenges (closed tasks stay listed)
  std::string created_at;
};

enum class TaskChallengeStep { kReceived, kAssessment, kTalks, kDecision, kAgreement, kRunning, kEvaluated, kRefused };
std::string_view TaskChallengeStepCode(TaskChallengeStep s);
Result<TaskChallengeStep> ParseTaskChallengeStep(std::string_view s);
// The published path: received -> assessment -> talks -> decision -> agreement -> running ->
// evaluated. The step after `s` on it; nullopt after evaluated and for refused.
std::optional<TaskChallengeStep> NextTaskChallengeStep(TaskChallengeStep s);
// Whether the municipality may still refuse at `s` (before an agreement is made).
bool MayRefuseAt(TaskChallengeStep s);
// Every step of the path, in order (refused not included).
const std::vector<TaskChallengeStep>& TaskChallengeSteps();

// One step the challenge went through, as published.
struct StepRecord {
  TaskChallengeStep step = TaskChallengeStep::kReceived;
  std::string entered_at;  // ISO 8601 UTC
  std::string deadline;    // date by which the municipality completes this step ("" : none)
  std::string decision;    // what was decided on entering the step
  std::string reasons;     // why (required for a refusal and for the decision)
  UserId decided_by;       // not published
};

// A Right to Challenge bid and its assessment.
struct TaskChallenge {
  TaskChallengeId id;
  MunicipalityId municipality;
  TaskId task;                   // a task of the list, or unset when the task is stated
  std::string task_title;        // the task challenged
  int64_t current_cost_eur = 0;  // what it costs the municipality today
  ActorId initiative;            // the initiative's actor; unset for residents together
  std::string initiative_name;   // the initiative's name (the actor's, or the residents' group)
  UserId filed_by;
  std::string title;
  std::string plan;        // what the initiative proposes
  int64_t budget_eur = 0;  // for what budget
  std::vector<ActorId> partners;
  std::vector<std::string> themes;
  std::vector<CapabilityNeed> capabilities;  // what the task takes (for finding partners)
  std::vector<Milestone> milestones;         // what the experiment would be held to
  std::vector<Indicator> indicators;
  std::vector<std::string> criteria;  // assessment criteria, published with the assessment step
  TaskChallengeStep step = TaskChallengeStep::kReceived;
  std::vector<StepRecord> steps;  // oldest first; the last is the current step
  ProposalId proposal;            // the funded proposal made at the agreement
  ExperimentId experiment;        // the experiment it runs as
  std::string created_at;
};

// Per municipality: the default number of days each step may take (its deadline when the officer
// sets none).
struct TaskChallengeSettings {
  MunicipalityId municipality;
  std::map<std::string, int> step_days;  // step code -> days; missing steps take the default
};
// The default days of a step (the bylaws of many municipalities: 8 weeks for the assessment).
int DefaultStepDays(TaskChallengeStep s);

Status Validate(const MunicipalTask& t);
Status Validate(const TaskChallenge& c);
Status Validate(const TaskChallengeSettings& s);

}  // namespace weefsel::domain
