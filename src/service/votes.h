// service/votes.h: fair votes (issue 20, part 2): who may vote in a round, and once.
//
// Officers of a round's municipality set its eligibility rule (domain::Eligibility) until voting
// opens. A round restricted to verified residents takes ballots only through CastVerified:
// - "code": the officers generate one-time voting codes (optionally for a wijk) and download them
//   once, in the answer that makes them, as a mail-merge file; only keyed hashes are stored, so
//   afterwards only counts can be seen. A code votes once.
// - "census": the officers upload the census file (service/voting.h has the format), checked line
//   by line and stored as keyed hashes with the wijk and birth year; all or nothing. A resident who
//   enters a matching identifier, postcode and birth date votes once.
// The ballot is sealed (docs/decisions/0004-secret-ballot.md): it is stored under the hash of a
// random ballot token given to the voter, not under the account or the code; the code or census
// line and the account are only marked as having voted. The token lets the voter replace the
// ballot while voting is open. A sealed ballot cannot be voided on its own: nothing links it to a
// person.
// Refusals: a missing or unknown verification, a wijk or age outside the rule: PermissionDenied
// naming the field; a used code, a census line or account that voted already: Conflict.
// Officers' acts are audited (entity "round": "eligibility", "codes", "census"); votes are not.
//
// Ownership: a slice of the Platform (service/core/context.h), which owns it; it holds no state but its source of
// random bytes. Thread-safety: as Platform (every call runs under the platform's store lock).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "domain/vote_tally.h"
#include "service/core/context.h"
#include "service/core/store_fwd.h"
#include "service/voting.h"

namespace weefsel::service {

// The key of round `id`'s keyed hashes (voting codes, census lines, sealed ballots, receipts): the
// server's vote key with the round's random salt, which is made (and stored) the first time it is
// needed. The caller holds the writer's lock.
Result<std::string> RoundKeyOf(storage::Store& store, RoundId id, std::string_view vote_key,
                               const voting::RandomBytes& random);

// What the officers see of a restricted round: tallies by wijk, never a code or a person.
struct VoteRegister {
  domain::Eligibility eligibility;
  std::vector<domain::VoteTally> codes;   // generated and used, by wijk
  std::vector<domain::VoteTally> census;  // lines and voted, by wijk
  int64_t digid_voters = 0;               // accounts that cast a sealed ballot (a "digid" round)
};

// A ballot for a restricted round with its proof: a voting code, a census person, or the ballot
// token of an earlier sealed ballot (to replace it).
struct VerifiedBallot {
  std::vector<domain::BallotEntry> entries;
  std::string code;
  std::optional<voting::CensusPerson> census;  // as typed; normalised by CastVerified
  std::string ballot_token;
};

struct SealedReceipt {
  RoundId round;
  domain::BallotKind kind = domain::BallotKind::kApproval;
  std::vector<domain::BallotEntry> entries;
  std::string ballot_token;  // keep it to change the ballot; shown once
  bool replaced = false;     // an earlier ballot of this token was replaced
};

// An account in a cluster of registrations: whether it voted in the round (never what) and
// whether an officer voided its ballots there.
struct ClusterAccount {
  UserId user;
  std::string display_name, registered_at;
  bool voted = false, voided = false;
};
// Accounts registered from one network (one address key) in quick succession: each within
// `window` of the one before.
struct RegistrationCluster {
  std::string key;  // the first 12 hex digits of the address key: a label, not the address
  std::string first_at, last_at;
  std::vector<ClusterAccount> accounts;
  int64_t voted = 0, voided = 0;
};
struct VoidOutcome {
  int64_t accounts = 0, ballots = 0;  // accounts named, open ballots deleted
};

class Votes : private core::Slice {
 public:
  explicit Votes(core::Context& context, voting::RandomBytes random = voting::SystemRandom())
      : Slice(context), random_(std::move(random)) {}

  // The round's rule (public).
  Result<domain::Eligibility> EligibilityOf(RoundId id);
  // Officers of the round's municipality, before voting opens (Conflict naming `phase` after).
  Result<domain::Eligibility> SetEligibility(const Principal& p, RoundId id, domain::Eligibility e);
  // Officers: `count` (1 to 5,000) new codes of a round that uses codes, for `wijk` ("" for the
  // whole municipality; one of the round's wijken when it names any), until voting closes. The
  // mail-merge CSV is the only place the codes ever appear.
  Result<std::string> GenerateCodes(const Principal& p, RoundId id, int count, const std::string& wijk);
  // Officers: replaces the census of a round that uses it, before voting opens; the number of
  // residents stored. A bad line refuses the whole file (InvalidArgument naming line and field).
  Result<int64_t> UploadCensus(const Principal& p, RoundId id, const std::string& csv);
  // Officers: the tallies.
  Result<VoteRegister> RegisterOf(const Principal& p, RoundId id);
  // A resident of the municipality casts (or, with a token, replaces) a sealed ballot.
  Result<SealedReceipt> CastVerified(const Principal& p, RoundId id, VerifiedBallot b);

  // Limits against bulk registration (docs/decisions/0005-bulk-registration.md).
  // Officers of the round's municipality: its residents' accounts that registered from one
  // network at least `min_accounts` (2 to 1,000) times, each within `window_minutes` (1 to 10,080)
  // of the one before (registrations are remembered for PlatformOptions::retention
  // .registration_days), largest cluster first, with who voted in the round and who was voided.
  Result<std::vector<RegistrationCluster>> ClustersOf(const Principal& p, RoundId id, int window_minutes,
                                                      int min_accounts);
  // Officers of the round's municipality, before the round is published (Conflict naming `phase`
  // after): voids the ballots of `users` (1 to 1,000 accounts of the municipality) in the round
  // with a `reason` (required, at most 500 characters), in one write with its audit entry
  // (entity "round", action "void"); they cannot vote in the round again. Only ballots stored by
  // account can be voided: in a round of sealed ballots (codes, census) Conflict naming
  // `eligibility.verification`.
  Result<VoidOutcome> VoidBallots(const Principal& p, RoundId id, std::vector<UserId> users, const std::string& reason);

 private:
  // The round's key (salt made on first use); store lock held.
  Result<std::string> KeyOf(RoundId id);
  voting::RandomBytes random_;
};

}  // namespace weefsel::service
