// storage/store/coalitions.h: coalitions of actors formed for a challenge, with their members.
//
// Thread-safety: as Store.
#pragma once

#include <vector>
#include "base/status.h"
#include "domain/model.h"

namespace weefsel::storage {

// Coalitions.
class CoalitionStore {
 public:
  virtual ~CoalitionStore() = default;

  // Coalitions (with their members).
  virtual Result<CoalitionId> Insert(domain::Coalition& c) = 0;
  virtual Status Update(const domain::Coalition& c) = 0;
  virtual Result<domain::Coalition> GetCoalition(CoalitionId id) = 0;
  virtual Result<std::vector<domain::Coalition>> CoalitionsOf(ChallengeId challenge) = 0;
  // The coalitions of several challenges in one read (instead of CoalitionsOf for each): by
  // challenge id, then id; challenges without coalitions contribute nothing.
  virtual Result<std::vector<domain::Coalition>> CoalitionsOfChallenges(const std::vector<ChallengeId>& challenges) = 0;
};

}  // namespace weefsel::storage
