// service/coalitions/coalitions.h: coalitions of actors that answer a challenge.
//
// Officers propose a coalition and invite actors; members of an invited actor accept or decline.
//
// Ownership: Coalitions borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

// Coalitions and proposals belong to the phases before funding: Conflict (challenge_past_proposals)
// once the challenge is past its proposals phase. `what` says what is refused ("proposals are written").
Status OpenForCoalitions(const domain::Challenge& c, std::string_view what);

class Coalitions : private core::Slice {
 public:
  explicit Coalitions(core::Context& context) : Slice(context) {}

  // Coalitions: an officer proposes and invites; members of an invited actor accept or decline.
  // Coalitions and proposals are refused (Conflict, `phase`) once the challenge is funded or closed.
  Result<std::vector<domain::Coalition>> CoalitionsOf(ChallengeId challenge);
  Result<domain::Coalition> GetCoalition(CoalitionId id);
  Result<domain::Coalition> ProposeCoalition(const Principal& p, domain::Coalition c);
  Result<domain::Coalition> Invite(const Principal& p, CoalitionId id, ActorId actor);
  Result<domain::Coalition> Accept(const Principal& p, CoalitionId id, ActorId actor);
  Result<domain::Coalition> Decline(const Principal& p, CoalitionId id, ActorId actor);
};

}  // namespace weefsel::service
