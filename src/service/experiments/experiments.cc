// service/experiments/experiments.cc: experiments and milestone evidence (contract in experiments.h).
#include "service/experiments/experiments.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "service/money/money.h"
#include "storage/store.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using core::Dump;
using core::IdOrNull;
using core::Snap;
using domain::Role;
using J = nlohmann::json;

namespace {

std::string Num(int64_t v) { return std::to_string(v); }

bool IsHttpLink(const std::string& s) { return StartsWith(s, "https://") || StartsWith(s, "http://"); }

// A patch may plan, add and change milestones, but their status and evidence move only through
// SubmitEvidence / DecideEvidence; a milestone with evidence keeps its place, title and amount.
Status KeepMilestoneState(const std::vector<domain::Milestone>& before, std::vector<domain::Milestone>& after) {
  for (size_t i = 0; i < before.size(); ++i) {
    const auto& b = before[i];
    if (i >= after.size()) {
      if (b.status != "planned")
        return Status::Conflict("experiment.milestones: milestone " + std::to_string(i + 1) + " is " + b.status +
                                " and cannot be removed");
      continue;
    }
    auto& a = after[i];
    if (b.status != "planned" && (a.title != b.title || a.amount_eur != b.amount_eur))
      return Status::Conflict("experiment.milestones: milestone " + std::to_string(i + 1) + " is " + b.status +
                              "; its title and amount are fixed");
    a.status = b.status;
    a.evidence = b.evidence;
  }
  for (size_t i = before.size(); i < after.size(); ++i) {
    after[i].status = "planned";
    after[i].evidence.clear();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<domain::Experiment>> Experiments::ListExperiments(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListExperiments(q);
}

Result<domain::Experiment> Experiments::GetExperiment(ExperimentId id) {
  ReadLock lock(*this);
  return store_->GetExperiment(id);
}

Result<domain::Experiment> Experiments::CreateExperiment(const Principal& p, domain::Experiment e) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kStartExperiment, {.municipalities = {m}}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  if (prop.status != "funded")
    return Status::Conflict("proposal.status: only a funded proposal becomes an experiment (proposal " +
                            std::to_string(prop.id.value()) + " is " + prop.status + ")")
        .WithReason("wrong_proposal_status", {{"status", prop.status}, {"needs", "funded"}});
  e.id = ExperimentId();
  WEEFSEL_RETURN_IF_ERROR(KeepMilestoneState({}, e.milestones));  // every milestone starts planned
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "create", "", [&] { return store_->Insert(e).status(); },
      [&] { return std::make_pair(e.id.value(), Snap(e)); }));
  return e;
}

Result<domain::Experiment> Experiments::UpdateExperiment(const Principal& p, ExperimentId id,
                                                         const Patch<domain::Experiment>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeExperiment, {.municipalities = {m}}));
  ProposalId proposal = e.proposal;
  std::string was = Snap(e);
  std::vector<domain::Milestone> milestones = e.milestones;
  WEEFSEL_RETURN_IF_ERROR(patch(e));
  e.id = id;
  e.proposal = proposal;
  WEEFSEL_RETURN_IF_ERROR(KeepMilestoneState(milestones, e.milestones));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "update", was, [&] { return store_->Update(e); },
      [&] { return std::make_pair(id.value(), Snap(e)); }));
  return store_->GetExperiment(id);
}

Result<domain::Experiment> Experiments::AddMeasurement(const Principal& p, ExperimentId id, IndicatorId indicator,
                                                       domain::Measurement m) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId muni, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kRecordMeasurement, {.municipalities = {muni}, .actors = actors}));
  auto it =
      std::find_if(e.indicators.begin(), e.indicators.end(), [indicator](const auto& i) { return i.id == indicator; });
  if (it == e.indicators.end())
    return Status::NotFound("indicator " + std::to_string(indicator.value()) + " of experiment " +
                            std::to_string(id.value()));
  if (!IsIsoDate(m.date)) return Status::InvalidArgument("measurement.date: '" + m.date + "' is not a date YYYY-MM-DD");
  std::string was = Snap(e);
  it->measurements.push_back(std::move(m));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, muni, "experiment", "measurement", was, [&] { return store_->Update(e); },
      [&] { return std::make_pair(id.value(), Snap(e)); }));
  return store_->GetExperiment(id);
}

Result<storage::MilestoneEvidence> Experiments::SubmitEvidence(const Principal& p, ExperimentId id, int milestone,
                                                               const std::string& text, const std::string& link) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::string body(Trim(text)), url(Trim(link));
  if (body.empty()) return Status::InvalidArgument("evidence.text: must not be empty");
  if (body.size() > 8000) return Status::InvalidArgument("evidence.text: at most 8000 bytes");
  if (!url.empty() && (!IsHttpLink(url) || url.size() > 2000 || url.find_first_of(" \t\r\n") != std::string::npos))
    return Status::InvalidArgument("evidence.link: must be an http(s) URL of at most 2000 bytes");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kSubmitEvidence, {.actors = actors}));
  if (milestone < 1 || static_cast<size_t>(milestone) > e.milestones.size())
    return Status::NotFound("milestone " + std::to_string(milestone) + " of experiment " + Num(id.value()) +
                            " (it has " + std::to_string(e.milestones.size()) + ")");
  if (e.status != "running")
    return Status::Conflict("experiment.status: experiment " + Num(id.value()) + " is " + e.status +
                            "; evidence is submitted while it runs");
  domain::Milestone& ms = e.milestones[static_cast<size_t>(milestone - 1)];
  if (ms.status == "approved")
    return Status::Conflict("milestone.status: milestone " + std::to_string(milestone) + " is already released")
        .WithReason("milestone_released", {{"milestone", std::to_string(milestone)}});
  if (ms.status == "submitted")
    return Status::Conflict("milestone.status: milestone " + std::to_string(milestone) +
                            " already has evidence awaiting an officer's decision");
  storage::MilestoneEvidence ev;
  ev.experiment = id;
  ev.milestone = milestone - 1;
  ev.text = body;
  ev.link = url;
  ev.submitted_by = p.user;
  ev.submitted_at = Now();
  std::string was = Snap(e);
  ms.status = "submitted";
  ms.evidence = body;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "evidence", was,
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(store_->Insert(ev).status());
        return store_->Update(e);
      },
      [&] { return std::make_pair(id.value(), Snap(ev)); }));
  return ev;
}

Result<storage::MilestoneEvidence> Experiments::DecideEvidence(const Principal& p, ExperimentId id, int64_t evidence,
                                                               bool approve, const std::string& reason) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::string why(Trim(reason));
  if (!approve && why.empty()) return Status::InvalidArgument("reason: say why the evidence is rejected");
  if (why.size() > 4000) return Status::InvalidArgument("reason: at most 4000 bytes");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kDecideEvidence, {.municipalities = {m}}));
  auto ev_or = store_->GetEvidence(evidence);
  if (!ev_or.ok() || ev_or->experiment != id)
    return Status::NotFound("evidence " + Num(evidence) + " of experiment " + Num(id.value()));
  storage::MilestoneEvidence ev = *ev_or;
  if (ev.decision != "pending")
    return Status::Conflict("evidence.decision: evidence " + Num(evidence) + " was already " + ev.decision)
        .WithReason("already_decided", {{"decision", ev.decision}});
  if (static_cast<size_t>(ev.milestone) >= e.milestones.size())
    return Status::Conflict("milestone: milestone " + std::to_string(ev.milestone + 1) + " no longer exists");
  domain::Milestone& ms = e.milestones[static_cast<size_t>(ev.milestone)];
  if (approve) {
    if (ms.status == "approved")
      return Status::Conflict("milestone.status: milestone " + std::to_string(ev.milestone + 1) +
                              " is already released")
          .WithReason("milestone_released", {{"milestone", std::to_string(ev.milestone + 1)}});
    WEEFSEL_ASSIGN_OR_RETURN(int64_t funded, FundedAmountLocked(*store_, e.proposal));
    WEEFSEL_ASSIGN_OR_RETURN(auto all, store_->EvidenceOf(id));
    int64_t released = 0;
    for (const auto& x : all) released += x.released_eur;
    if (released + ms.amount_eur > funded)
      return Status::Conflict("amount_eur: releasing " + Num(ms.amount_eur) + " EUR would bring experiment " +
                              Num(id.value()) + " to " + Num(released + ms.amount_eur) + " EUR released of " +
                              Num(funded) + " EUR funded")
          .WithReason("budget_exceeded", {{"amount_eur", Num(ms.amount_eur)},
                                          {"total_eur", Num(released + ms.amount_eur)},
                                          {"budget_eur", Num(funded)}});
  }
  std::string was = Snap(e);
  ev.decision = approve ? "approved" : "rejected";
  ev.decided_by = p.user;
  ev.decided_at = Now();
  ev.reason = why;
  ev.released_eur = approve ? ms.amount_eur : 0;
  ms.status = ev.decision;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", approve ? "release" : "reject_evidence", was,
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(store_->Update(ev));
        return store_->Update(e);
      },
      [&] { return std::make_pair(id.value(), Snap(ev)); }));
  return ev;
}

Result<std::vector<storage::MilestoneEvidence>> Experiments::EvidenceOf(ExperimentId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetExperiment(id).status());
  return store_->EvidenceOf(id);
}

}  // namespace weefsel::service
