// service/task_challenges.h: the Right to Challenge (uitdaagrecht) use cases, with their rights.
//
// A municipality's officers keep its published task list (what each task costs today, what it
// takes). An initiative files a challenge against a task of the list (or a task it states): the
// members of the filing actor, or residents of the municipality filing together under a name.
// Until the assessment begins, the filer and the members of the initiative's actor may change the
// bid. Officers of the municipality then move it one published step at a time (received ->
// assessment -> talks -> decision -> agreement -> running -> evaluated) with a decision text and a
// deadline (given, or today plus the municipality's days for that step); reasons are required for
// the decision and for a refusal (the way out before an agreement); the assessment step publishes
// its criteria. An agreement needs the initiative to be an actor (residents filing together
// register theirs first): its members report on the milestones. At the agreement the bid becomes
// the programme's own kind of work, so that everything that follows funded proposals follows it
// too: a challenge of the municipality (in its experiment phase), a formed coalition of the
// initiative and its partners, a proposal funded outside any round with the bid's budget
// (committed money in the overview), and an experiment with the bid's indicators and milestones
// (released on evidence). The task is then closed to further challenges, and the overview shows
// its budget moving to the initiative (MoneyOf).
// Every change is audited (entity "task", "task_challenge") in the transaction of the change.
//
// Ownership: a slice of the Platform (service/core/context.h), which owns it; it holds no state.
// Thread-safety: as thread-safe as Platform (every call runs under the platform's store lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "domain/moderation.h"
#include "domain/task_challenge.h"
#include "service/core/context.h"

namespace weefsel::service {

// An officer's move of a challenge to its next step (or to "refused").
struct StepMove {
  domain::TaskChallengeStep step = domain::TaskChallengeStep::kReceived;
  std::string decision;               // required
  std::string reasons;                // required for "decision" and "refused"
  std::string deadline;               // date; empty: today + the municipality's days for the step
  std::vector<std::string> criteria;  // required when moving to "assessment"
};

// One task's budget in the money overview: what it cost, what moved to the initiative by an
// agreement, what the municipality keeps (cost = transferred + kept).
struct TaskBudgetLine {
  TaskChallengeId challenge;
  TaskId task;  // unset for a stated task
  std::string task_title;
  std::string initiative_name;
  int64_t task_budget_eur = 0;
  int64_t transferred_eur = 0;
  int64_t kept_eur = 0;
  ProposalId proposal;
  ExperimentId experiment;
};

class TaskChallenges : private core::Slice {
 public:
  explicit TaskChallenges(core::Context& context) : Slice(context) {}

  // The task list (public).
  Result<std::vector<domain::MunicipalTask>> TasksOf(MunicipalityId m);
  Result<domain::MunicipalTask> GetTask(TaskId id);
  // Officers of the task's municipality.
  Result<domain::MunicipalTask> CreateTask(const Principal& p, domain::MunicipalTask t);
  Result<domain::MunicipalTask> UpdateTask(const Principal& p, TaskId id, const Patch<domain::MunicipalTask>& patch);

  // Challenges (public reads).
  Result<std::vector<domain::TaskChallenge>> List(MunicipalityId m);
  // A bid hidden by a moderator (target "task_challenge" of service/moderation/moderation.cc) is NotFound here
  // and left out of List, as a hidden proposal is.
  Result<domain::TaskChallenge> Get(TaskChallengeId id);
  // Whether the bid is hidden and the public reason (no moderator named); NotFound for no bid.
  Result<std::optional<domain::HiddenItem>> HiddenOf(TaskChallengeId id);
  // Members of `c.initiative` (or, with no initiative, residents of the municipality) file; the
  // task of the list gives the title and current cost (Conflict when it is closed to challenges).
  Result<domain::TaskChallenge> File(const Principal& p, domain::TaskChallenge c);
  // The filer and members of the initiative, while the challenge is received (Conflict, `step`).
  Result<domain::TaskChallenge> UpdateBid(const Principal& p, TaskChallengeId id,
                                          const Patch<domain::TaskChallenge>& patch);
  // Officers of the municipality: one step on, or refused (see the header comment).
  Result<domain::TaskChallenge> Move(const Principal& p, TaskChallengeId id, const StepMove& move);

  // The municipality's step days (public); officers change them.
  Result<domain::TaskChallengeSettings> Settings(MunicipalityId m);
  Result<domain::TaskChallengeSettings> PutSettings(const Principal& p, domain::TaskChallengeSettings s);

  // The challenge as the matcher and the coalition engine see a challenge: the task's themes and
  // capabilities, the bid's text, the initiative as its owner (and lead). Who may ask: signed in
  // (Unauthenticated otherwise) as its filer, a member of any actor, an officer of the
  // municipality or an admin (PermissionDenied otherwise).
  Result<domain::Challenge> AsChallenge(const Principal& p, TaskChallengeId id);
  // The ties of the initiative and its partners (the fabric of the people behind it).
  Result<std::vector<domain::Tie>> FabricOf(TaskChallengeId id);
  // The tasks whose budget moved to an initiative by an agreement (public).
  Result<std::vector<TaskBudgetLine>> MoneyOf(MunicipalityId m);

 private:
  // The bid, NotFound when there is none or a moderator hid it. The caller holds a lock.
  Result<domain::TaskChallenge> Visible(TaskChallengeId id);
};

}  // namespace weefsel::service
