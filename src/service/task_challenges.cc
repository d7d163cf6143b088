#include "service/task_challenges.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <utility>

#include "base/clock.h"
#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

using domain::TaskChallenge;
using domain::TaskChallengeStep;
using J = nlohmann::json;

std::string Code(TaskChallengeStep s) { return std::string(domain::TaskChallengeStepCode(s)); }
using core::Dump;
using core::Snap;

// The scope of a bid: its filer, the initiative's actor and the municipality.
core::Scope BidScope(const TaskChallenge& c) {
  return {.municipalities = {c.municipality}, .actors = {c.initiative}, .owner = c.filed_by};
}

}  // namespace

// ---- the task list ------------------------------------------------------------------------------

Result<std::vector<domain::MunicipalTask>> TaskChallenges::TasksOf(MunicipalityId m) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(m).status());
  return store_->TasksOf(m);
}

Result<domain::MunicipalTask> TaskChallenges::GetTask(TaskId id) {
  ReadLock lock(*this);
  return store_->GetTask(id);
}

Result<domain::MunicipalTask> TaskChallenges::CreateTask(const Principal& p, domain::MunicipalTask t) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(t.municipality).status());
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kKeepTaskList, {.municipalities = {t.municipality}}));
  t.id = TaskId();
  t.created_at = Now();
  std::vector<std::string> caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(t.themes, caps));
  for (auto& n : t.capabilities) n.capability = domain::NormalizeCapability(n.capability);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, t.municipality, "task", "create", "", [&] { return store.Insert(t).status(); },
      [&] { return std::make_pair(t.id.value(), Snap(t)); }));
  return t;
}

Result<domain::MunicipalTask> TaskChallenges::UpdateTask(const Principal& p, TaskId id,
                                                         const Patch<domain::MunicipalTask>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::MunicipalTask t, store.GetTask(id));
  MunicipalityId m = t.municipality;
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kKeepTaskList, {.municipalities = {m}}));
  std::string was = Snap(t);
  WEEFSEL_RETURN_IF_ERROR(patch(t));
  t.id = id;
  t.municipality = m;
  std::vector<std::string> caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(t.themes, caps));
  for (auto& n : t.capabilities) n.capability = domain::NormalizeCapability(n.capability);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "task", "update", was, [&] { return store.Update(t); },
      [&] { return std::make_pair(id.value(), Snap(t)); }));
  return t;
}

// ---- challenges ---------------------------------------------------------------------------------

// A bid hidden by a moderator is gone from every public answer, as a hidden proposal is; only its
// public reason is left (GET /api/v1/task-challenges/{id}/moderation).
Result<std::vector<TaskChallenge>> TaskChallenges::List(MunicipalityId m) {
  ReadLock lock(*this);
  auto& store = *store_;
  if (m.valid()) WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(m).status());
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store.TaskChallengesOf(m));
  WEEFSEL_ASSIGN_OR_RETURN(auto hidden,
                           m.valid() ? store.HiddenIdsIn("task_challenge", m) : store.HiddenIds("task_challenge"));
  std::set<int64_t> gone(hidden.begin(), hidden.end());
  std::erase_if(all, [&](const TaskChallenge& c) { return gone.count(c.id.value()) > 0; });
  return all;
}

Result<TaskChallenge> TaskChallenges::Visible(TaskChallengeId id) {
  WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden("task_challenge", id.value()));
  if (hidden) return Status::NotFound("task challenge " + std::to_string(id.value()) + " does not exist");
  return store_->GetTaskChallenge(id);
}

Result<TaskChallenge> TaskChallenges::Get(TaskChallengeId id) {
  ReadLock lock(*this);
  return Visible(id);
}

Result<std::optional<storage::HiddenItem>> TaskChallenges::HiddenOf(TaskChallengeId id) {
  ReadLock lock(*this);
  auto h = store_->GetHidden("task_challenge", id.value());
  if (h.ok()) {
    h->hidden_by = UserId();  // moderators are not named
    return std::optional<storage::HiddenItem>(*h);
  }
  if (h.status().code() != StatusCode::kNotFound) return h.status();
  WEEFSEL_RETURN_IF_ERROR(store_->GetTaskChallenge(id).status());
  return std::optional<storage::HiddenItem>();
}

Result<TaskChallenge> TaskChallenges::File(const Principal& p, TaskChallenge c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  if (c.task.valid()) {
    auto task = store.GetTask(c.task);
    if (!task.ok())
      return Status::InvalidArgument("task_challenge.task: task " + std::to_string(c.task.value()) +
                                     " is not on any task list");
    if (c.municipality.valid() && c.municipality != task->municipality)
      return Status::InvalidArgument("task_challenge.task: the task belongs to another municipality");
    if (!task->open)
      return Status::Conflict("task_challenge.task: task " + std::to_string(c.task.value()) +
                              " is closed to challenges")
          .WithReason("task_closed", {{"task", std::to_string(c.task.value())}});
    c.municipality = task->municipality;
    c.task_title = task->title;
    c.current_cost_eur = task->budget_eur;
    if (c.themes.empty()) c.themes = task->themes;
    if (c.capabilities.empty()) c.capabilities = task->capabilities;
  }
  if (!c.municipality.valid()) return Status::InvalidArgument("task_challenge.municipality: required without a task");
  WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(c.municipality).status());
  if (c.initiative.valid()) {
    auto actor = store.GetActor(c.initiative);
    if (!actor.ok())
      return Status::InvalidArgument("task_challenge.initiative: actor " + std::to_string(c.initiative.value()) +
                                     " does not exist");
    WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kFileBidAsActor, {.actors = {c.initiative}}));
    c.initiative_name = actor->name;
  } else {
    WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kFileBidAsResidents, {.municipalities = {c.municipality}}));
  }
  for (auto a : c.partners)
    if (!store.GetActor(a).ok())
      return Status::InvalidArgument("task_challenge.partners: actor " + std::to_string(a.value()) + " does not exist");
  std::vector<std::string> caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, caps));
  for (auto& n : c.capabilities) n.capability = domain::NormalizeCapability(n.capability);
  c.id = TaskChallengeId();
  c.filed_by = p.user;
  c.created_at = Now();
  c.step = TaskChallengeStep::kReceived;
  c.criteria.clear();
  c.proposal = ProposalId();
  c.experiment = ExperimentId();
  WEEFSEL_ASSIGN_OR_RETURN(auto settings, store.GetTaskChallengeSettings(c.municipality));
  auto days = settings.step_days.find("received");
  int d = days != settings.step_days.end() ? days->second : domain::DefaultStepDays(TaskChallengeStep::kReceived);
  domain::StepRecord first;
  first.step = TaskChallengeStep::kReceived;
  first.entered_at = c.created_at;
  first.deadline = FormatDate(clock_.Now() + std::chrono::days(d));
  first.decision = "received";
  c.steps = {first};
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "task_challenge", "create", "", [&] { return store.Insert(c).status(); },
      [&] { return std::make_pair(c.id.value(), Snap(c)); }));
  return c;
}

Result<TaskChallenge> TaskChallenges::UpdateBid(const Principal& p, TaskChallengeId id,
                                                const Patch<TaskChallenge>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(TaskChallenge c, Visible(id));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kChangeBid, BidScope(c)));
  if (c.step != TaskChallengeStep::kReceived)
    return Status::Conflict("step: the bid is fixed once the assessment has begun (the challenge is " + Code(c.step) +
                            ")")
        .WithReason("bid_fixed", {{"step", Code(c.step)}});
  TaskChallenge keep = c;
  std::string was = Snap(c);
  WEEFSEL_RETURN_IF_ERROR(patch(c));
  // What the bid may not change: where it stands, who filed it, what the task is when it is listed.
  c.id = keep.id;
  c.municipality = keep.municipality;
  c.task = keep.task;
  c.initiative = keep.initiative;
  c.initiative_name = keep.initiative.valid() ? keep.initiative_name : c.initiative_name;
  c.filed_by = keep.filed_by;
  c.created_at = keep.created_at;
  c.step = keep.step;
  c.steps = keep.steps;
  c.criteria = keep.criteria;
  c.proposal = keep.proposal;
  c.experiment = keep.experiment;
  if (keep.task.valid()) {
    c.task_title = keep.task_title;
    c.current_cost_eur = keep.current_cost_eur;
  }
  for (auto a : c.partners)
    if (!store.GetActor(a).ok())
      return Status::InvalidArgument("task_challenge.partners: actor " + std::to_string(a.value()) + " does not exist");
  std::vector<std::string> caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, caps));
  for (auto& n : c.capabilities) n.capability = domain::NormalizeCapability(n.capability);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "task_challenge", "update", was, [&] { return store.Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<TaskChallenge> TaskChallenges::Move(const Principal& p, TaskChallengeId id, const StepMove& move) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(TaskChallenge c, store.GetTaskChallenge(id));
  MunicipalityId m = c.municipality;
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kMoveBid, {.municipalities = {m}}));
  auto next = domain::NextTaskChallengeStep(c.step);
  std::string ahead = next ? "the next step is " + Code(*next) : "no step follows";
  if (move.step == TaskChallengeStep::kRefused) {
    if (!domain::MayRefuseAt(c.step))
      return Status::Conflict("step: the challenge is " + Code(c.step) + " and can no longer be refused (" + ahead +
                              ")")
          .WithReason("step_not_refusable", {{"step", Code(c.step)}});
  } else if (!next || move.step != *next) {
    return Status::Conflict("step: cannot move from " + Code(c.step) + " to " + Code(move.step) + " (" + ahead +
                            (domain::MayRefuseAt(c.step) ? ", or refused" : "") + ")")
        .WithReason("step_move_not_allowed",
                    {{"from", Code(c.step)}, {"to", Code(move.step)}, {"next", next ? Code(*next) : std::string()}});
  }
  std::string decision(Trim(move.decision));
  std::string reasons(Trim(move.reasons));
  if (decision.empty()) return Status::InvalidArgument("decision: say what was decided");
  if (decision.size() > 5000) return Status::InvalidArgument("decision: at most 5000 bytes");
  if (reasons.size() > 20000) return Status::InvalidArgument("reasons: at most 20000 bytes");
  if ((move.step == TaskChallengeStep::kRefused || move.step == TaskChallengeStep::kDecision) && reasons.empty())
    return Status::InvalidArgument("reasons: a " + Code(move.step) + " step is published with its reasons");
  std::vector<std::string> criteria;
  for (const auto& k : move.criteria)
    if (!Trim(k).empty()) criteria.emplace_back(Trim(k));
  if (move.step == TaskChallengeStep::kAssessment && criteria.empty())
    return Status::InvalidArgument("criteria: the assessment publishes the criteria it applies");
  // The agreement is made with an organisation, whose members then report on the milestones.
  if (move.step == TaskChallengeStep::kAgreement && !c.initiative.valid())
    return Status::Conflict(
               "initiative: an agreement is made with an organisation; residents filing together register their "
               "initiative as an actor first (an officer adds it) and file the bid in its name")
        .WithReason("agreement_needs_actor");
  if (!move.deadline.empty() && !IsIsoDate(move.deadline))
    return Status::InvalidArgument("deadline: '" + move.deadline + "' is not a date YYYY-MM-DD");

  std::string was = Snap(c);
  domain::StepRecord rec;
  rec.step = move.step;
  rec.entered_at = Now();
  rec.decision = decision;
  rec.reasons = reasons;
  rec.decided_by = p.user;
  rec.deadline = move.deadline;
  bool final_step = move.step == TaskChallengeStep::kRefused || move.step == TaskChallengeStep::kEvaluated;
  if (rec.deadline.empty() && !final_step) {
    WEEFSEL_ASSIGN_OR_RETURN(auto settings, store.GetTaskChallengeSettings(m));
    auto days = settings.step_days.find(Code(move.step));
    int d = days != settings.step_days.end() ? days->second : domain::DefaultStepDays(move.step);
    if (d > 0) rec.deadline = FormatDate(clock_.Now() + std::chrono::days(d));
  }
  c.step = move.step;
  c.steps.push_back(rec);
  if (move.step == TaskChallengeStep::kAssessment) c.criteria = criteria;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));

  auto write = [&]() -> Status {
    if (move.step == TaskChallengeStep::kAgreement) {
      // The bid becomes a challenge of the municipality with a formed coalition, a proposal funded
      // outside any round and its experiment: milestones, evidence and the overview follow it.
      domain::Challenge ch;
      ch.municipality = m;
      ch.title = "Uitdaagrecht: " + c.task_title;
      if (ch.title.size() > 300) ch.title = ch.title.substr(0, 300);
      ch.text = c.plan;
      ch.themes = c.themes;
      ch.capabilities = c.capabilities;
      ch.budget_eur = c.budget_eur;
      ch.phase = domain::ChallengePhase::kExperiment;
      ch.owner = c.initiative;
      ch.created_at = rec.entered_at;
      ch.max_coalition_size = std::clamp(static_cast<int>(c.partners.size()) + 1, 1, 50);
      WEEFSEL_RETURN_IF_ERROR(Logged(
          p, m, "challenge", "create", "", [&] { return store.Insert(ch).status(); },
          [&] {
            return std::make_pair(ch.id.value(), Dump({{"title", ch.title}, {"phase", "experiment"}}));
          }));
      domain::Coalition co;
      co.challenge = ch.id;
      co.status = domain::CoalitionStatus::kFormed;
      co.explanation = "the initiative and the partners of Right to Challenge " + std::to_string(id.value());
      co.created_at = rec.entered_at;
      if (c.initiative.valid()) co.members.push_back({c.initiative, "lead", domain::MemberStatus::kAccepted, {}});
      for (auto a : c.partners) co.members.push_back({a, "member", domain::MemberStatus::kAccepted, {}});
      if (!co.members.empty()) WEEFSEL_RETURN_IF_ERROR(store.Insert(co).status());
      domain::Proposal prop;
      prop.challenge = ch.id;
      prop.coalition = co.id;
      prop.status = "funded";
      domain::ProposalVersion v;
      v.title = c.title;
      v.plan = c.plan;
      v.budget_eur = c.budget_eur;
      v.milestones = c.milestones;
      for (const auto& i : c.indicators) v.indicators.push_back(i.name);
      v.author = c.filed_by;
      v.created_at = rec.entered_at;
      prop.versions = {v};
      WEEFSEL_RETURN_IF_ERROR(Logged(
          p, m, "proposal", "create", "", [&] { return store.Insert(prop).status(); },
          [&] {
            return std::make_pair(prop.id.value(), Dump({{"status", "funded"}, {"budget_eur", c.budget_eur}}));
          }));
      domain::Experiment e;
      e.proposal = prop.id;
      e.hypotheses = {c.plan.substr(0, std::min<size_t>(c.plan.size(), 1000))};
      e.indicators = c.indicators;
      e.milestones = c.milestones;
      for (auto& ms : e.milestones) ms.status = "planned";
      WEEFSEL_RETURN_IF_ERROR(Logged(
          p, m, "experiment", "create", "", [&] { return store.Insert(e).status(); },
          [&] {
            return std::make_pair(e.id.value(), Dump({{"proposal", prop.id.value()}, {"status", e.status}}));
          }));
      c.proposal = prop.id;
      c.experiment = e.id;
      if (c.task.valid()) {
        WEEFSEL_ASSIGN_OR_RETURN(domain::MunicipalTask t, store.GetTask(c.task));
        std::string task_was = Snap(t);
        t.open = false;  // the initiative does it now
        WEEFSEL_RETURN_IF_ERROR(Logged(
            p, m, "task", "update", task_was, [&] { return store.Update(t); },
            [&] { return std::make_pair(t.id.value(), Snap(t)); }));
      }
    }
    if (move.step == TaskChallengeStep::kEvaluated && c.experiment.valid()) {
      WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store.GetExperiment(c.experiment));
      e.status = "completed";
      e.outcome = decision;
      WEEFSEL_RETURN_IF_ERROR(store.Update(e));
    }
    return store.Update(c);
  };
  WEEFSEL_RETURN_IF_ERROR(
      Logged(p, m, "task_challenge", "step", was, write, [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

// ---- settings, partners, money ------------------------------------------------------------------

Result<domain::TaskChallengeSettings> TaskChallenges::Settings(MunicipalityId m) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(m).status());
  WEEFSEL_ASSIGN_OR_RETURN(auto s, store_->GetTaskChallengeSettings(m));
  for (auto step : domain::TaskChallengeSteps())
    s.step_days.emplace(Code(step), domain::DefaultStepDays(step));  // the defaults where none is set
  return s;
}

Result<domain::TaskChallengeSettings> TaskChallenges::PutSettings(const Principal& p, domain::TaskChallengeSettings s) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  {
    WriteLock lock(*this);
    auto& store = *store_;
    WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(s.municipality).status());
    WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kSetStepDays, {.municipalities = {s.municipality}}));
    WEEFSEL_RETURN_IF_ERROR(domain::Validate(s));
    WEEFSEL_ASSIGN_OR_RETURN(auto before, store.GetTaskChallengeSettings(s.municipality));
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, s.municipality, "municipality", "task_challenge_settings", Dump(J(before.step_days)),
        [&] { return store.PutTaskChallengeSettings(s); },
        [&] { return std::make_pair(s.municipality.value(), Dump(J(s.step_days))); }));
  }
  return Settings(s.municipality);
}

Result<domain::Challenge> TaskChallenges::AsChallenge(const Principal& p, TaskChallengeId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  ReadLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(TaskChallenge c, Visible(id));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kReadBidPartners, BidScope(c)));
  domain::Challenge ch;
  ch.municipality = c.municipality;
  ch.title = c.task_title;
  ch.text = c.title + "\n" + c.plan;
  if (c.task.valid()) {
    auto task = store.GetTask(c.task);
    if (task.ok()) {
      ch.text += "\n" + task->description;
      ch.area = task->area;
    }
  }
  ch.themes = c.themes;
  ch.capabilities = c.capabilities;
  ch.budget_eur = c.budget_eur;
  ch.owner = c.initiative;
  ch.max_coalition_size = 6;
  return ch;
}

Result<std::vector<domain::Tie>> TaskChallenges::FabricOf(TaskChallengeId id) {
  ReadLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(TaskChallenge c, store.GetTaskChallenge(id));
  std::vector<ActorId> people = c.partners;
  if (c.initiative.valid()) people.insert(people.begin(), c.initiative);
  std::vector<domain::Tie> out;
  std::set<int64_t> seen;
  for (auto a : people) {
    WEEFSEL_ASSIGN_OR_RETURN(auto ties, store.TiesOf(a));
    for (auto& t : ties) {
      if (!t.until.empty()) continue;  // ended
      if (seen.insert(t.id.value()).second) {
        t.note.clear();  // private notes stay private
        out.push_back(std::move(t));
      }
    }
  }
  return out;
}

Result<std::vector<TaskBudgetLine>> TaskChallenges::MoneyOf(MunicipalityId m) {
  ReadLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store.TaskChallengesOf(m));
  std::vector<TaskBudgetLine> out;
  for (const auto& c : all) {
    if (!c.proposal.valid()) continue;  // no agreement (yet)
    TaskBudgetLine line;
    line.challenge = c.id;
    line.task = c.task;
    line.task_title = c.task_title;
    line.initiative_name = c.initiative_name;
    line.task_budget_eur = c.current_cost_eur;
    line.transferred_eur = c.budget_eur;
    line.kept_eur = c.current_cost_eur - c.budget_eur;
    line.proposal = c.proposal;
    line.experiment = c.experiment;
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace weefsel::service
