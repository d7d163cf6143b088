// service/challenges/challenges.cc: challenges (contract in challenges.h).
#include "service/challenges/challenges.h"

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

Result<std::vector<domain::Challenge>> Challenges::ListChallenges(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListChallenges(q);
}

Result<domain::Challenge> Challenges::GetChallenge(ChallengeId id) {
  ReadLock lock(*this);
  return store_->GetChallenge(id);
}

Result<domain::Challenge> Challenges::CreateChallenge(const Principal& p, domain::Challenge c) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kPostChallenge, {.municipalities = {c.municipality}}));
  c.id = ChallengeId();
  c.created_at = Now();
  for (auto& need : c.capabilities) need.capability = domain::NormalizeCapability(need.capability);
  std::vector<std::string> no_caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, no_caps));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(c.municipality).status().WithContext("challenge.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "challenge", "create", "", [&] { return store_->Insert(c).status(); },
      [&] { return std::make_pair(c.id.value(), Snap(c)); }));
  return c;
}

Result<domain::Challenge> Challenges::UpdateChallenge(const Principal& p, ChallengeId id,
                                                      const Patch<domain::Challenge>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeChallenge, {.municipalities = {c.municipality}}));
  MunicipalityId before = c.municipality;
  std::string created = c.created_at;
  domain::ChallengePhase phase = c.phase;
  std::string was = Snap(c);
  WEEFSEL_RETURN_IF_ERROR(patch(c));
  c.id = id;
  c.created_at = created;
  if (c.phase != phase)
    return Status::InvalidArgument("phase: a challenge changes phase with POST /api/v1/challenges/" +
                                   std::to_string(id.value()) + "/phase, one step at a time")
        .WithReason("phase_not_editable");
  if (c.municipality != before)
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveChallenge, {.municipalities = {c.municipality}}));
  for (auto& need : c.capabilities) need.capability = domain::NormalizeCapability(need.capability);
  std::vector<std::string> no_caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, no_caps));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(c.municipality).status().WithContext("challenge.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "challenge", "update", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<domain::Challenge> Challenges::SetChallengePhase(const Principal& p, ChallengeId id,
                                                        domain::ChallengePhase phase) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveChallengePhase, {.municipalities = {c.municipality}}));
  auto next = domain::NextChallengePhase(c.phase);
  bool closing = phase == domain::ChallengePhase::kClosed && c.phase != domain::ChallengePhase::kClosed;
  if (!closing && next != phase) {
    std::string now(domain::ChallengePhaseCode(c.phase));
    std::string to(domain::ChallengePhaseCode(phase));
    std::string then = next ? std::string(domain::ChallengePhaseCode(*next)) : "";
    return Status::Conflict("phase: challenge " + std::to_string(id.value()) + " is in phase " + now +
                            (next ? "; it moves to " + then + " next" : "; it moves no further") +
                            (c.phase == domain::ChallengePhase::kClosed ? "" : " (or to closed)") + ", not to " + to)
        .WithReason("phase_move_not_allowed", {{"what", "challenge"}, {"from", now}, {"to", to}, {"next", then}});
  }
  std::string was = Snap(c);
  c.phase = phase;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "challenge", "phase", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

}  // namespace weefsel::service
