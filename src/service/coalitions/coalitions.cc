// service/coalitions/coalitions.cc: coalitions (contract in coalitions.h).
#include "service/coalitions/coalitions.h"

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
#include "storage/store.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using core::Dump;
using core::IdOrNull;
using core::Snap;
using domain::Role;
using J = nlohmann::json;

// Coalitions and proposals belong to the phases before funding.
Status OpenForCoalitions(const domain::Challenge& c, std::string_view what) {
  if (static_cast<int>(c.phase) <= static_cast<int>(domain::ChallengePhase::kProposals)) return Status::Ok();
  std::string now(domain::ChallengePhaseCode(c.phase));
  return Status::Conflict("phase: challenge " + std::to_string(c.id.value()) + " is " + now + "; " + std::string(what) +
                          " only until the proposals phase")
      .WithReason("challenge_past_proposals", {{"phase", now}});
}

Result<std::vector<domain::Coalition>> Coalitions::CoalitionsOf(ChallengeId challenge) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetChallenge(challenge).status());
  return store_->CoalitionsOf(challenge);
}

Result<domain::Coalition> Coalitions::GetCoalition(CoalitionId id) {
  ReadLock lock(*this);
  return store_->GetCoalition(id);
}

Result<domain::Coalition> Coalitions::ProposeCoalition(const Principal& p, domain::Coalition c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, store_->GetChallenge(c.challenge));
  MunicipalityId m = challenge.municipality;
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kProposeCoalition, {.municipalities = {m}}));
  WEEFSEL_RETURN_IF_ERROR(OpenForCoalitions(challenge, "coalitions are proposed"));
  c.id = CoalitionId();
  c.status = domain::CoalitionStatus::kProposed;
  c.created_at = Now();
  for (auto& mem : c.members) {
    mem.status = domain::MemberStatus::kProposed;
    WEEFSEL_RETURN_IF_ERROR(store_->GetActor(mem.actor).status().WithContext("coalition.members"));
  }
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "create", "", [&] { return store_->Insert(c).status(); },
      [&] { return std::make_pair(c.id.value(), Snap(c)); }));
  return c;
}

namespace {

void SettleStatus(domain::Coalition& c) {
  using domain::MemberStatus;
  int accepted = 0, open = 0;
  for (const auto& m : c.members) {
    if (m.status == MemberStatus::kAccepted) ++accepted;
    if (m.status == MemberStatus::kInvited || m.status == MemberStatus::kProposed) ++open;
  }
  if (accepted > 0 && open == 0)
    c.status = domain::CoalitionStatus::kFormed;
  else if (accepted == 0 && open == 0)
    c.status = domain::CoalitionStatus::kDissolved;
  else
    c.status = domain::CoalitionStatus::kForming;
}

}  // namespace

Result<domain::Coalition> Coalitions::Invite(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::string was = Snap(c);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kInvite, {.municipalities = {m}}));
  WEEFSEL_RETURN_IF_ERROR(store_->GetActor(actor).status().WithContext("invite.actor"));
  if (c.status == domain::CoalitionStatus::kDissolved)
    return Status::Conflict("coalition: dissolved coalitions take no invitations").WithReason("coalition_dissolved");
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end()) {
    domain::CoalitionMember mem;
    mem.actor = actor;
    mem.status = domain::MemberStatus::kInvited;
    c.members.push_back(mem);
  } else if (it->status == domain::MemberStatus::kAccepted) {
    return Status::Conflict("invite.actor: actor " + std::to_string(actor.value()) + " has already accepted")
        .WithReason("already_accepted", {{"actor", std::to_string(actor.value())}});
  } else {
    it->status = domain::MemberStatus::kInvited;
  }
  SettleStatus(c);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "invite", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<domain::Coalition> Coalitions::Accept(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAnswerInvitation, {.actors = {actor}}));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::string was = Snap(c);
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end() || it->status != domain::MemberStatus::kInvited)
    return Status::Conflict("accept.actor: actor " + std::to_string(actor.value()) +
                            " has no open invitation to coalition " + std::to_string(id.value()));
  it->status = domain::MemberStatus::kAccepted;
  SettleStatus(c);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "accept", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<domain::Coalition> Coalitions::Decline(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAnswerInvitation, {.actors = {actor}}));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::string was = Snap(c);
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end() ||
      (it->status != domain::MemberStatus::kInvited && it->status != domain::MemberStatus::kProposed))
    return Status::Conflict("decline.actor: actor " + std::to_string(actor.value()) +
                            " has no open invitation to coalition " + std::to_string(id.value()));
  it->status = domain::MemberStatus::kDeclined;
  SettleStatus(c);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "decline", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

}  // namespace weefsel::service
