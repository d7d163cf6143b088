// service/rounds/rounds.cc: rounds, reviews and ballots (contract in rounds.h).
#include "service/rounds/rounds.h"

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
#include "fund/instance.h"
#include "fund/rules.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
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

int PhaseIndex(domain::RoundPhase p) { return static_cast<int>(p); }

// What a round fixes once review has begun: its budget, ballot kind and rule, its projects (id,
// title, cost) and criteria (name, maximum score); the name may still change.
bool SameFixedPart(const domain::Round& a, const domain::Round& b) {
  auto same_projects =
      std::equal(a.projects.begin(), a.projects.end(), b.projects.begin(), b.projects.end(),
                 [](const domain::RoundProject& x, const domain::RoundProject& y) {
                   return x.project_id == y.project_id && x.title == y.title && x.cost_eur == y.cost_eur;
                 });
  auto same_criteria = std::equal(a.criteria.begin(), a.criteria.end(), b.criteria.begin(), b.criteria.end(),
                                  [](const domain::ReviewCriterion& x, const domain::ReviewCriterion& y) {
                                    return x.name == y.name && x.max_score == y.max_score;
                                  });
  return a.budget_eur == b.budget_eur && a.ballot_kind == b.ballot_kind && a.rule == b.rule && same_projects &&
         same_criteria;
}

// A ballot for a round not in voting (now).
Status VotingNotOpen(domain::RoundPhase phase) {
  const bool early = PhaseIndex(phase) < PhaseIndex(domain::RoundPhase::kVoting);
  return Status::Conflict(std::string("round.phase: voting is ") + (early ? "not open yet" : "closed"))
      .WithReason(early ? "voting_not_open" : "voting_closed");
}

// A ballot of a voter whose ballot an officer voided.
Status Voided(RoundId id) {
  return Status::PermissionDenied("ballot: an officer voided your ballot in round " + std::to_string(id.value()) +
                                  "; you cannot vote in it again")
      .WithReason("ballot_voided");
}

// The round's outcome under its rule, as allocation rows (funded projects at their cost).
Result<std::vector<storage::Allocation>> Allocate(const domain::Round& round,
                                                  const std::vector<domain::Ballot>& ballots) {
  std::vector<storage::Allocation> out;
  if (ballots.empty()) return out;  // nobody voted: nothing is funded
  WEEFSEL_ASSIGN_OR_RETURN(fund::Rule rule, fund::ParseRule(round.rule));
  WEEFSEL_ASSIGN_OR_RETURN(fund::Instance in, fund::FromRound(round, ballots));
  if (!fund::RuleApplies(rule, in.vote_type))
    return Status::FailedPrecondition("round.rule: " + round.rule + " is not defined for " +
                                      std::string(domain::BallotKindCode(round.ballot_kind)) + " ballots");
  WEEFSEL_ASSIGN_OR_RETURN(fund::Outcome outcome, fund::RunRule(in, rule));
  for (int index : outcome.selected) {
    const std::string& id = in.projects.at(static_cast<size_t>(index)).id;
    auto it = std::find_if(round.projects.begin(), round.projects.end(),
                           [&](const domain::RoundProject& p) { return p.project_id == id; });
    if (it == round.projects.end()) return Status::Internal("allocation: the rule chose unknown project '" + id + "'");
    out.push_back({round.id, it->project_id, it->proposal, it->cost_eur});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.project_id < b.project_id; });
  return out;
}

// Moderation (issue 20): a round's project whose proposal is hidden keeps its place (ballots and
// results refer to it) without its title, marked `hidden`. One read per municipality.
Status LeaveOutHiddenTitles(storage::Store& store, std::vector<domain::Round>& rounds) {
  std::map<int64_t, std::vector<int64_t>> hidden;  // per municipality, ascending
  for (auto& r : rounds) {
    if (std::none_of(r.projects.begin(), r.projects.end(),
                     [](const domain::RoundProject& p) { return p.proposal.valid(); }))
      continue;
    auto it = hidden.find(r.municipality.value());
    if (it == hidden.end()) {
      WEEFSEL_ASSIGN_OR_RETURN(auto ids, store.HiddenIdsIn("proposal", r.municipality));
      it = hidden.emplace(r.municipality.value(), std::move(ids)).first;
    }
    for (auto& p : r.projects)
      if (p.proposal.valid() && std::binary_search(it->second.begin(), it->second.end(), p.proposal.value())) {
        p.title.clear();
        p.hidden = true;
      }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<domain::Round>> Rounds::ListRounds(const storage::ListQuery& q) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto rounds, store_->ListRounds(q));
  WEEFSEL_RETURN_IF_ERROR(LeaveOutHiddenTitles(*store_, rounds));
  return rounds;
}

Result<domain::Round> Rounds::GetRound(RoundId id) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  std::vector<domain::Round> one{std::move(r)};
  WEEFSEL_RETURN_IF_ERROR(LeaveOutHiddenTitles(*store_, one));
  return std::move(one.front());
}

Result<domain::Round> Rounds::CreateRound(const Principal& p, domain::Round r) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOpenRound, {.municipalities = {r.municipality}}));
  r.id = RoundId();
  r.phase = domain::RoundPhase::kSubmission;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(r.municipality).status().WithContext("round.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "create", "", [&] { return store_->Insert(r).status(); },
      [&] { return std::make_pair(r.id.value(), Snap(r)); }));
  return r;
}

Result<domain::Round> Rounds::UpdateRound(const Principal& p, RoundId id, const Patch<domain::Round>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeRound, {.municipalities = {r.municipality}}));
  if (PhaseIndex(r.phase) >= PhaseIndex(domain::RoundPhase::kVoting))
    return Status::Conflict("round.phase: a round cannot change once voting has opened")
        .WithReason("round_fixed", {{"phase", std::string(domain::RoundPhaseCode(r.phase))}});
  domain::Round before = r;
  WEEFSEL_RETURN_IF_ERROR(patch(r));
  r.id = id;
  r.municipality = before.municipality;
  r.phase = before.phase;
  // A client that read the round got no title for a project whose proposal is hidden: sending the
  // project back without one keeps the stored title.
  for (auto& project : r.projects) {
    project.hidden = false;
    if (!project.title.empty() || !project.proposal.valid()) continue;
    for (const auto& was : before.projects)
      if (was.project_id == project.project_id && was.proposal == project.proposal) project.title = was.title;
  }
  if (PhaseIndex(r.phase) >= PhaseIndex(domain::RoundPhase::kReview) && !SameFixedPart(r, before)) {
    return Status::Conflict("phase: budget, projects and criteria of a round are fixed once review has begun")
        .WithReason("round_fixed", {{"phase", std::string(domain::RoundPhaseCode(r.phase))}});
  }
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "update", Snap(before), [&] { return store_->Update(r); },
      [&] { return std::make_pair(id.value(), Snap(r)); }));
  return r;
}

Result<domain::Round> Rounds::SetRoundPhase(const Principal& p, RoundId id, domain::RoundPhase phase) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveRoundPhase, {.municipalities = {r.municipality}}));
  auto next = domain::NextRoundPhase(r.phase);
  // Review may be skipped by a round that publishes no criteria (nothing to review on).
  bool skip_review =
      r.phase == domain::RoundPhase::kSubmission && phase == domain::RoundPhase::kVoting && r.criteria.empty();
  if (next != phase && !skip_review) {
    std::string now(domain::RoundPhaseCode(r.phase)), to(domain::RoundPhaseCode(phase));
    std::string then = next ? std::string(domain::RoundPhaseCode(*next)) : "";
    return Status::Conflict("phase: round " + std::to_string(id.value()) + " is in phase " + now +
                            (next ? "; it moves to " + then + " next" : "; it moves no further") + ", not to " + to)
        .WithReason("phase_move_not_allowed", {{"what", "round"}, {"from", now}, {"to", to}, {"next", then}});
  }
  std::string was = Snap(r);
  r.phase = phase;
  Forget(id);  // a cast finds the new phase at once (the write's check would find it too)
  if (phase != domain::RoundPhase::kPublished) {
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, r.municipality, "round", "phase", was, [&] { return store_->Update(r); },
        [&] { return std::make_pair(id.value(), Snap(r)); }));
    return r;
  }
  // Publication stores the allocation under the round's rule: what the municipality commits.
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, store_->BallotsOf(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, Allocate(r, ballots));
  WEEFSEL_RETURN_IF_ERROR(store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, r.municipality, "round", "phase", was, [&] { return store_->Update(r); },
        [&] { return std::make_pair(id.value(), Snap(r)); }));
    return Logged(
        p, r.municipality, "round", "allocation", "", [&] { return store_->PutAllocations(id, rows); },
        [&] {
          J funded = J::array();
          int64_t total = 0;
          for (const auto& a : rows) {
            funded.push_back(
                {{"project_id", a.project_id}, {"proposal", IdOrNull(a.proposal)}, {"amount_eur", a.amount_eur}});
            total += a.amount_eur;
          }
          return std::make_pair(id.value(), Dump({{"funded", funded}, {"committed_eur", total}}));
        });
  }));
  return r;
}

Result<domain::Review> Rounds::PutReview(const Principal& p, RoundId id, domain::Review review) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReviewProjects, {.municipalities = {r.municipality}}));
  if (r.phase != domain::RoundPhase::kReview)
    return Status::Conflict("phase: round " + std::to_string(id.value()) + " is in phase " +
                            std::string(domain::RoundPhaseCode(r.phase)) + "; reviews are written in the review phase")
        .WithReason("wrong_round_phase",
                    {{"phase", std::string(domain::RoundPhaseCode(r.phase))}, {"needs", "review"}});
  review.id = 0;
  review.round = id;
  review.reviewer = p.user;
  review.created_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(review, r));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "review", "", [&] { return store_->PutReview(review).status(); },
      [&] {
        J scores(review.scores);
        return std::make_pair(id.value(), Dump({{"review", review.id},
                                                {"project_id", review.project_id},
                                                {"scores", scores},
                                                {"comment", review.comment}}));
      }));
  return review;
}

Result<std::vector<domain::Review>> Rounds::ReviewsOf(const Principal& p, RoundId id) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  if (r.phase != domain::RoundPhase::kPublished)
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadReviews,
                                {.municipalities = {r.municipality}, .words = {{"id", std::to_string(id.value())}}}));
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, store_->ReviewsOf(id));
  if (core::Allows(p, Action::kReadReviews, {.municipalities = {r.municipality}})) {
    std::map<UserId, std::string> names;
    for (auto& row : rows) row.reviewer_name = DisplayNameLocked(row.reviewer, names);
  }
  return rows;
}

Result<domain::Ballot> Rounds::CastBallot(const Principal& p, RoundId id, std::vector<domain::BallotEntry> entries) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  // The round is read beside other requests (and kept once in voting), not under the writer's lock:
  // what a ballot is checked against (projects, limits, eligibility) is fixed once voting opens
  // (UpdateRound, Votes::SetEligibility), and the rest (still in voting, the voter not voided) is
  // checked again by the write itself (Store::CastBallot).
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, RoundForBallot(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kVote, {.municipalities = {r.municipality}}));
  if (r.eligibility.restricted())
    return Status::PermissionDenied(
               std::string("verification: round ") + std::to_string(id.value()) + " is for residents verified " +
               (r.eligibility.verification == domain::Verification::kCode
                    ? "by the voting code from their letter: enter your voting code"
                : r.eligibility.verification == domain::Verification::kDigid
                    ? "with DigiD: sign in with DigiD (or link it on your account page) and cast"
                    : "against the census: enter your citizen service number (BSN), postcode and birth date") +
               " with your ballot (POST /api/v1/rounds/" + std::to_string(id.value()) + "/verified-ballot)")
        .WithReason("verification_required",
                    {{"by", std::string(domain::VerificationCode(r.eligibility.verification))}});
  if (r.phase != domain::RoundPhase::kVoting) return VotingNotOpen(r.phase);
  domain::Ballot b;
  b.round = id;
  b.voter = p.user;
  b.kind = r.ballot_kind;
  b.entries = std::move(entries);
  b.cast_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(b, r));
  // Beside other writes on PostgreSQL (a connection of its own): CastBallot checks in its statement.
  CheckedWriteLock lock(*this);
  // The audit records that this user voted, never what.
  Status cast = Logged(
      p, r.municipality, "round", "ballot", "", [&] { return store_->CastBallot(b).status(); },
      [&] {
        return std::make_pair(id.value(), Dump({{"ballot", b.id.value()}}));
      });
  if (cast.code() != StatusCode::kFailedPrecondition) {
    WEEFSEL_RETURN_IF_ERROR(cast);
    return b;
  }
  // Closed or voided between the read and the write: say which, as read now.
  Forget(id);
  WEEFSEL_ASSIGN_OR_RETURN(r, store_->GetRound(id));
  if (r.phase != domain::RoundPhase::kVoting) return VotingNotOpen(r.phase);
  WEEFSEL_ASSIGN_OR_RETURN(auto voided, store_->VoidedVotersOf(id));
  if (std::find(voided.begin(), voided.end(), p.user) != voided.end()) return Voided(id);
  return cast;
}

Result<domain::Round> Rounds::RoundForBallot(RoundId id) {
  {
    std::lock_guard lock(voting_mu_);
    if (auto it = voting_.find(id); it != voting_.end()) return it->second;
  }
  domain::Round r;
  {
    ReadLock read(*this);
    WEEFSEL_ASSIGN_OR_RETURN(r, store_->GetRound(id));
  }
  if (r.phase == domain::RoundPhase::kVoting) {
    constexpr size_t kVotingKept = 256;  // rounds in voting at once, across all municipalities
    std::lock_guard lock(voting_mu_);
    if (voting_.size() >= kVotingKept) voting_.clear();
    voting_.emplace(id, r);
  }
  return r;
}

void Rounds::Forget(RoundId id) {
  std::lock_guard lock(voting_mu_);
  voting_.erase(id);
}

Result<domain::Ballot> Rounds::OwnBallot(const Principal& p, RoundId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOwnData, {}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(id).status());
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, store_->BallotsBy(p.user));
  for (auto& b : ballots)
    if (b.round == id) return b;
  return Status::NotFound("ballot: you have not voted in round " + std::to_string(id.value())).WithReason("not_voted");
}

}  // namespace weefsel::service
