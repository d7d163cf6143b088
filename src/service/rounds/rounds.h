// service/rounds/rounds.h: participatory budgeting rounds, their reviews, ballots and receipts.
//
// Officers open a round and move it one phase at a time (submission -> review -> voting ->
// allocation -> published); publication stores the allocation under the round's rule. Residents
// cast one ballot each while voting is open (service/votes.h for verified ballots).
//
// Ownership: Rounds borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock (a cast the
// CheckedWriteLock); the rounds kept for casting have a mutex of their own.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/list_query.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class Rounds : private core::Slice {
 public:
  explicit Rounds(core::Context& context) : Slice(context) {}

  Result<std::vector<domain::Round>> ListRounds(const domain::ListQuery& q);
  Result<domain::Round> GetRound(RoundId id);
  Result<domain::Round> CreateRound(const Principal& p, domain::Round r);
  // Projects, limits and name may change until voting opens.
  Result<domain::Round> UpdateRound(const Principal& p, RoundId id, const Patch<domain::Round>& patch);
  // Phases move one step forward (submission -> review -> voting -> allocation -> published); the
  // review phase may be skipped only by a round that publishes no review criteria.
  Result<domain::Round> SetRoundPhase(const Principal& p, RoundId id, domain::RoundPhase phase);
  // Officers of the round's municipality review its projects during the review phase: a score for
  // every published criterion. A second review of the same project by the same officer replaces it.
  Result<domain::Review> PutReview(const Principal& p, RoundId id, domain::Review review);
  // The reviews of a round: officers of its municipality (and admins); everybody once published.
  Result<std::vector<domain::Review>> ReviewsOf(const Principal& p, RoundId id);
  // One ballot per resident per round: a second replaces the first while voting is open; outside
  // the voting phase a ballot is refused (Conflict). A round restricted to verified residents
  // refuses it (PermissionDenied naming the verification it needs): see service/votes.h.
  Result<domain::Ballot> CastBallot(const Principal& p, RoundId id, std::vector<domain::BallotEntry> entries);
  Result<domain::Ballot> OwnBallot(const Principal& p, RoundId id);
  // A receipt for the caller's own ballot under their account (service/rounds/receipts.cc): what it
  // chose, the money those projects cost together, when, and a receipt code. From allocation on,
  // Receipts lists the codes of every ballot the round counts (sorted; Conflict before), so a voter
  // can check theirs is counted without the list saying what anyone voted or who holds which code
  // (docs/decisions/0007-ballot-receipt.md). Sealed ballots keep their ballot token instead.
  struct Receipt {
    RoundId round;
    std::string code;  // "XXXX-XXXX-XXXX-XXXX"
    domain::BallotKind kind = domain::BallotKind::kApproval;
    std::vector<domain::BallotEntry> entries;
    int64_t total_eur = 0;
    std::string cast_at;
  };
  Result<Receipt> OwnReceipt(const Principal& p, RoundId id);
  Result<std::vector<std::string>> Receipts(RoundId id);

 private:
  // The key of a round's receipt codes (store lock held for writing: makes the round's salt when
  // it has none).
  Result<std::string> ReceiptKey(RoundId id);
  // The round a ballot is checked against: from memory once read in voting (projects, limits and
  // eligibility are fixed from then on, and the phase is checked by the write itself), else read.
  Result<domain::Round> RoundForBallot(RoundId id);
  void Forget(RoundId id);

  std::mutex voting_mu_;
  std::map<RoundId, domain::Round> voting_;  // rounds read in voting; at most kVotingKept
};

}  // namespace weefsel::service
