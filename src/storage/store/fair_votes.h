// storage/store/fair_votes.h: what keeps a restricted round's vote fair and secret: the round's
// salt, one-time voting codes, the census, sealed ballots and the marks of who voted
// (docs/decisions/0004-secret-ballot.md), and the voiding of ballots cast by bulk registrations.
//
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/model.h"
#include "domain/vote_tally.h"

namespace weefsel::storage {

// A one-time voting code of a round, stored only as the hex of its keyed hash.
struct VotingCode {
  std::string hash;
  std::string wijk;  // "" when generated for the whole municipality
  bool used = false;
};
// A line of a round's census file: the keyed hash of its identifying fields, the wijk and the
// birth year (for the eligibility check), and whether its resident has voted.
struct CensusEntry {
  std::string hash;
  std::string wijk;
  int birth_year = 0;
  bool voted = false;
};
using domain::VoteTally;  // domain/vote_tally.h
// A ballot of a restricted round: under the hash of the ballot token its voter keeps, never under
// an account or a code. BallotsOf lists it with no voter and no id.
struct SealedBallot {
  RoundId round;
  std::string token_hash;
  domain::BallotKind kind = domain::BallotKind::kApproval;
  std::vector<domain::BallotEntry> entries;
};

// Fair votes.
class FairVoteStore {
 public:
  virtual ~FairVoteStore() = default;

  // Codes, census lines, marks and sealed ballots are written without a time. Sealed ballots change
  // the round's scope (its results); the rest does not.
  // The round's salt ("" when none yet); PutRoundSalt sets it once (AlreadyExists after).
  virtual Result<std::string> GetRoundSalt(RoundId round) = 0;
  virtual Status PutRoundSalt(RoundId round, const std::string& salt) = 0;
  // Adds codes (AlreadyExists when a hash is there already: nothing is written).
  virtual Status InsertVotingCodes(RoundId round, const std::vector<VotingCode>& codes) = 0;
  virtual Result<VotingCode> GetVotingCode(RoundId round, const std::string& hash) = 0;  // NotFound
  // Marks an unused code used; false when it was used already (or is unknown).
  virtual Result<bool> UseVotingCode(RoundId round, const std::string& hash) = 0;
  virtual Result<std::vector<VoteTally>> VotingCodeTally(RoundId round) = 0;  // by wijk
  // Replaces the round's census with `entries` in one transaction (AlreadyExists on a duplicate).
  virtual Status ReplaceCensus(RoundId round, const std::vector<CensusEntry>& entries) = 0;
  virtual Result<CensusEntry> GetCensusEntry(RoundId round, const std::string& hash) = 0;  // NotFound
  // Marks a line voted; false when it had voted already (or is unknown).
  virtual Result<bool> MarkCensusVoted(RoundId round, const std::string& hash) = 0;
  virtual Result<std::vector<VoteTally>> CensusTally(RoundId round) = 0;  // by wijk
  // Records that an account cast a verified ballot in the round; false when it had already.
  virtual Result<bool> MarkVerifiedVoter(RoundId round, UserId user) = 0;
  // Inserts or replaces (by token hash) a sealed ballot; entries are validated against the round.
  virtual Status PutSealedBallot(const SealedBallot& b) = 0;
  virtual Result<SealedBallot> GetSealedBallot(RoundId round, const std::string& token_hash) = 0;  // NotFound
  // The accounts that cast a verified (sealed) ballot in the round, by id.
  virtual Result<std::vector<UserId>> VerifiedVotersOf(RoundId round) = 0;
  // Voids the ballots of `users` in the round in one write: their (open) ballots are deleted and
  // they are marked voided, so they cannot vote in the round again; the number of ballots deleted.
  // Changes the round's scope (its results).
  virtual Result<int64_t> VoidBallots(RoundId round, const std::vector<UserId>& users) = 0;
  virtual Result<std::vector<UserId>> VoidedVotersOf(RoundId round) = 0;  // by id
};

}  // namespace weefsel::storage
