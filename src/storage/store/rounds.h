// storage/store/rounds.h: participatory budgeting rounds (with their projects and criteria), the
// ballots cast in them, the reviews of their projects and the allocation a published round commits.
//
// Restricted rounds' codes, census and sealed ballots are in fair_votes.h. Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/model.h"
#include "domain/money.h"
#include "storage/store/list_query.h"

namespace weefsel::storage {

using domain::Allocation;  // domain/money.h

// Rounds, ballots, reviews, allocations.
class RoundStore {
 public:
  virtual ~RoundStore() = default;

  // Rounds (with their projects) and ballots. One ballot per voter per round: PutBallot replaces.
  virtual Result<RoundId> Insert(domain::Round& r) = 0;
  virtual Status Update(const domain::Round& r) = 0;
  virtual Result<domain::Round> GetRound(RoundId id) = 0;
  virtual Result<std::vector<domain::Round>> ListRounds(const ListQuery& q = {}) = 0;
  virtual Result<BallotId> PutBallot(domain::Ballot& b) = 0;
  // A voter's ballot, validated by the caller against the round as read before the write (a round's
  // projects and limits are fixed once voting opens): written only if, in the same statement, the
  // round is still in voting and the voter has not been voided in it; FailedPrecondition ("ballot:
  // round N is not open to this voter") otherwise, with nothing written. Replaces the voter's ballot.
  virtual Result<BallotId> CastBallot(domain::Ballot& b) = 0;
  virtual Result<std::vector<domain::Ballot>> BallotsOf(RoundId round) = 0;
  // The ballots an account cast, by id (its own rows only: sealed ballots have no voter).
  virtual Result<std::vector<domain::Ballot>> BallotsBy(UserId user) = 0;

  // Reviews: one per reviewer per project of a round; PutReview replaces it.
  virtual Result<int64_t> PutReview(domain::Review& r) = 0;
  virtual Result<std::vector<domain::Review>> ReviewsOf(RoundId round) = 0;  // by project, then reviewer

  // Round allocations. PutAllocations replaces the round's rows.
  virtual Status PutAllocations(RoundId round, const std::vector<Allocation>& rows) = 0;
  virtual Result<std::vector<Allocation>> AllocationsOf(RoundId round) = 0;  // by project_id
  virtual Result<std::vector<Allocation>> AllocationsOfProposal(ProposalId proposal) = 0;
};

}  // namespace weefsel::storage
