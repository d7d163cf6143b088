// storage/store/challenges.h: the challenges a municipality posts (with their capability needs).
//
// Thread-safety: as Store.
#pragma once

#include <vector>
#include "base/status.h"
#include "domain/model.h"
#include "storage/store/list_query.h"

namespace weefsel::storage {

// Challenges.
class ChallengeStore {
 public:
  virtual ~ChallengeStore() = default;

  // Challenges.
  virtual Result<ChallengeId> Insert(domain::Challenge& c) = 0;
  virtual Status Update(const domain::Challenge& c) = 0;
  virtual Result<domain::Challenge> GetChallenge(ChallengeId id) = 0;
  virtual Result<std::vector<domain::Challenge>> ListChallenges(const ListQuery& q = {}) = 0;
};

}  // namespace weefsel::storage
