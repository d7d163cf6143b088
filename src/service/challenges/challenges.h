// service/challenges/challenges.h: a municipality's challenges and their phases.
//
// Public reads; officers of the municipality post, change and move a challenge one phase at a
// time (open -> matching -> forming -> proposals -> funded -> experiment -> evaluated, or closed).
//
// Ownership: Challenges borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/list_query.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class Challenges : private core::Slice {
 public:
  explicit Challenges(core::Context& context) : Slice(context) {}

  Result<std::vector<domain::Challenge>> ListChallenges(const domain::ListQuery& q);
  Result<domain::Challenge> GetChallenge(ChallengeId id);
  Result<domain::Challenge> CreateChallenge(const Principal& p, domain::Challenge c);
  // The phase is not changed by a patch (InvalidArgument naming `phase`): see SetChallengePhase.
  Result<domain::Challenge> UpdateChallenge(const Principal& p, ChallengeId id, const Patch<domain::Challenge>& patch);
  // Officers of the challenge's municipality move it one step along open -> matching -> forming ->
  // proposals -> funded -> experiment -> evaluated, or close it from any phase. Any other move is a
  // Conflict naming `phase` and saying which move is next.
  Result<domain::Challenge> SetChallengePhase(const Principal& p, ChallengeId id, domain::ChallengePhase phase);
};

}  // namespace weefsel::service
