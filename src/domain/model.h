// domain/model.h: weefsel's entities as plain value types, with their invariants.
//
// Every entity is a struct of values with an `id` (0 until stored). `Validate(x)` checks the
// invariants that hold whatever the store or the caller (a CBS code is GM plus four digits, a tie
// joins two distinct actors with a positive weight, a ballot's points stay within the round's
// limits, ...) and returns InvalidArgument naming the field. Validation never touches I/O.
// Money is in whole euros (int64), as in municipal budgets and Pabulib; dates are ISO "YYYY-MM-DD"
// strings (empty = not set); timestamps are ISO 8601 UTC strings.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "domain/vocabulary.h"

namespace weefsel::domain {

// A Dutch municipality (gemeente), identified by its CBS code.
struct Municipality {
  MunicipalityId id;
  std::string cbs_code;  // "GM0363"
  std::string name;      // "Amsterdam"
  std::string province;  // "Noord-Holland"
  int64_t population = 0;
  double lat = 0, lon = 0;
};

// An organisation or initiative.
struct Actor {
  ActorId id;
  std::string name;
  ActorKind kind = ActorKind::kCompany;
  MunicipalityId municipality;            // home municipality (may be unset for national actors)
  std::string area;                       // wijk or stadsdeel, free text ("Noord")
  std::vector<std::string> themes;        // theme codes
  std::vector<std::string> capabilities;  // normalised capability tags
  std::string description;
  int64_t size = 0;  // people (staff or volunteers); 0 = unknown
  std::string website;
  bool generated = false;  // made by `weefsel demo`, not a real organisation
  std::string source;      // where the record came from ("demo", "amsterdam-subsidieregister")
};

enum class TieKind { kWorkedTogether, kPartnered, kCoFunded };
enum class TieSource { kDeclared, kImported, kPlatform };
std::string_view TieKindCode(TieKind k);
Result<TieKind> ParseTieKind(std::string_view s);
std::string_view TieSourceCode(TieSource s);
Result<TieSource> ParseTieSource(std::string_view s);

// A collaboration tie between two actors (undirected; a < b after Normalize).
struct Tie {
  TieId id;
  ActorId a, b;
  double weight = 1.0;  // strength > 0; path length in the fabric is 1/weight
  TieKind kind = TieKind::kWorkedTogether;
  TieSource source = TieSource::kDeclared;
  std::string from;   // date the tie began, optional
  std::string until;  // date it ended, optional (empty = still active)
  std::string note;
};

struct CapabilityNeed {
  std::string capability;  // normalised tag
  double weight = 1.0;     // > 0
};

// Minimum number of coalition members per sector, e.g. {government:1, business:1, knowledge:1}.
using SectorMix = std::map<Sector, int>;

enum class ChallengePhase { kOpen, kMatching, kForming, kProposals, kFunded, kExperiment, kEvaluated, kClosed };
std::string_view ChallengePhaseCode(ChallengePhase p);
Result<ChallengePhase> ParseChallengePhase(std::string_view s);
// The programme path: open -> matching -> forming -> proposals -> funded -> experiment -> evaluated.
// The phase after `p` on that path; nullopt after evaluated and for closed (closed is the way out,
// from any phase, and not a step of the path).
std::optional<ChallengePhase> NextChallengePhase(ChallengePhase p);

// A societal challenge (vraagstuk) posted by a municipality.
struct Challenge {
  ChallengeId id;
  MunicipalityId municipality;
  std::string title;
  std::string text;
  std::string language = "nl";  // "nl" or "en"
  std::vector<std::string> themes;
  std::vector<CapabilityNeed> capabilities;
  SectorMix sector_mix;
  int max_coalition_size = 6;
  int64_t budget_eur = 0;
  std::string area;      // wijk, or empty for the whole municipality
  std::string deadline;  // date
  ChallengePhase phase = ChallengePhase::kOpen;
  ActorId owner;  // the municipality's own actor, optional
  std::string created_at;
};

enum class MemberStatus { kProposed, kInvited, kAccepted, kDeclined };
std::string_view MemberStatusCode(MemberStatus s);
Result<MemberStatus> ParseMemberStatus(std::string_view s);

struct CoalitionMember {
  ActorId actor;
  std::string role = "member";  // "lead" or "member"
  MemberStatus status = MemberStatus::kProposed;
  std::vector<std::string> covers;  // capabilities this member brings
};

enum class CoalitionStatus { kProposed, kForming, kFormed, kDissolved };
std::string_view CoalitionStatusCode(CoalitionStatus s);
Result<CoalitionStatus> ParseCoalitionStatus(std::string_view s);

struct Coalition {
  CoalitionId id;
  ChallengeId challenge;
  std::vector<CoalitionMember> members;
  CoalitionStatus status = CoalitionStatus::kProposed;
  std::string explanation;
  double score = 0;
  std::string created_at;
};

struct Milestone {
  std::string title;
  std::string due;                 // date
  int64_t amount_eur = 0;          // released when the milestone is approved
  std::string status = "planned";  // planned, submitted, approved, rejected
  std::string evidence;
};

struct ProposalVersion {
  int number = 1;
  std::string title;
  std::string plan;
  int64_t budget_eur = 0;
  std::vector<Milestone> milestones;
  std::vector<std::string> indicators;
  UserId author;
  std::string created_at;
};

struct Proposal {
  ProposalId id;
  CoalitionId coalition;
  ChallengeId challenge;
  std::vector<ProposalVersion> versions;  // oldest first; the last is current
  std::string status = "draft";           // draft, submitted, in_round, funded, rejected
  int64_t supports = 0;
};

// A comment on a proposal; a reply names its parent, a comment on the same proposal.
struct Comment {
  int64_t id = 0;
  ProposalId proposal;
  int64_t parent = 0;       // 0 = a top-level comment
  UserId author;            // unset once the author's account is gone
  std::string author_name;  // filled in on read from the author's account
  std::string text;
  std::string created_at;
};

enum class BallotKind { kApproval, kCumulative, kOrdinal, kScoring };
std::string_view BallotKindCode(BallotKind k);
Result<BallotKind> ParseBallotKind(std::string_view s);

enum class RoundPhase { kSubmission, kReview, kVoting, kAllocation, kPublished };
std::string_view RoundPhaseCode(RoundPhase p);
Result<RoundPhase> ParseRoundPhase(std::string_view s);
// submission -> review -> voting -> allocation -> published; nullopt after published.
std::optional<RoundPhase> NextRoundPhase(RoundPhase p);

// A published review criterion of a round: officers score each project on it from 0 to max_score.
struct ReviewCriterion {
  std::string name;
  std::string description;
  int max_score = 10;
};

struct RoundProject {
  std::string project_id;  // as in .pb files: a string
  ProposalId proposal;     // optional link to a proposal
  std::string title;
  int64_t cost_eur = 0;
  std::string category;       // optional, for per-category budget caps
  std::string neighbourhood;  // optional, for per-neighbourhood caps
  // Read only: its proposal is hidden by a moderator, so its title is left out of every answer
  // (it keeps its place: ballots and results refer to it). Never stored.
  bool hidden = false;
};

// Who may vote in a round (issue 20, "Fair votes"; docs/decisions/0004-secret-ballot.md). Open: every
// resident account of the municipality, one ballot per account (the behaviour before). Code: a
// resident who enters an unused one-time voting code from a letter; census: a resident whose
// identifier, postcode and birth date match a line of the census file the officers uploaded. A
// restricted round (code or census) may further name wijken (a code's or census line's wijk must be
// one of them) and a minimum age (census only: the birth date entered is checked on the day of the
// vote). Digid: a resident whose account signed in through the municipality's DigiD broker (an
// OpenID Connect provider marked "audience": "residents", docs/oidc.md) votes once; the broker
// tells neither wijk nor age, so such a round names neither. Set by officers until voting opens.
enum class Verification { kOpen, kCode, kCensus, kDigid };
std::string_view VerificationCode(Verification v);
Result<Verification> ParseVerification(std::string_view s);

struct Eligibility {
  Verification verification = Verification::kOpen;
  std::vector<std::string> wijken;  // empty: the whole municipality
  int min_age = 0;                  // 0: no minimum
  bool restricted() const { return verification != Verification::kOpen; }
};

// A participatory-budgeting round of a municipal fund.
struct Round {
  RoundId id;
  MunicipalityId municipality;
  std::string name;
  int64_t budget_eur = 0;
  BallotKind ballot_kind = BallotKind::kApproval;
  std::string rule = "mes_add1_greedy";
  RoundPhase phase = RoundPhase::kSubmission;
  int min_length = 0;  // ballot limits: 0 = none
  int max_length = 0;
  int max_points = 0;  // cumulative: total points a voter spreads
  int max_points_per_project = 0;
  std::vector<RoundProject> projects;
  std::vector<ReviewCriterion> criteria;  // published with the round; empty = no reviews
  Eligibility eligibility;                // migration 12
};

// An officer's review of one project of a round: a score for every criterion of the round.
struct Review {
  int64_t id = 0;
  RoundId round;
  std::string project_id;
  UserId reviewer;
  // The reviewer's display name, filled in on read for readers who may see it (the round's officers
  // and admins; "" for others, who see the reviews once the round is published).
  std::string reviewer_name;
  std::map<std::string, int> scores;  // criterion name -> 0..max_score
  std::string comment;
  std::string created_at;
};

struct BallotEntry {
  std::string project_id;
  int64_t points = 1;  // approval: 1; cumulative/scoring: points; ordinal: rank (1 = best)
};

struct Ballot {
  BallotId id;
  RoundId round;
  UserId voter;  // never exported in open data
  BallotKind kind = BallotKind::kApproval;
  std::vector<BallotEntry> entries;
  std::string cast_at;
};

struct Measurement {
  std::string date;
  double value = 0;
  std::string source;
};

struct Indicator {
  IndicatorId id;
  std::string name;
  std::string unit;
  double baseline = 0;
  double target = 0;
  std::vector<Measurement> measurements;
};

struct Experiment {
  ExperimentId id;
  ProposalId proposal;
  std::vector<std::string> hypotheses;
  std::vector<Indicator> indicators;
  std::vector<Milestone> milestones;
  std::string status = "running";  // running, completed, stopped
  std::string outcome;
  std::string learned;
};

// A moderator (per municipality, like an officer) works the municipality's moderation queue:
// hides and restores reported content and blocks accounts, and nothing else an officer does.
enum class Role { kPlatformAdmin, kOfficer, kActorMember, kResident, kModerator };
std::string_view RoleCode(Role r);
Result<Role> ParseRole(std::string_view s);

struct User {
  UserId id;
  std::string email;
  std::string display_name;
  std::string password_hash;  // Argon2id, libsodium's string form
  std::string created_at;
};

// A user's role in a municipality (admin: any municipality) or as a member of an actor.
struct RoleGrant {
  UserId user;
  Role role = Role::kResident;
  MunicipalityId municipality;  // for officer, moderator and resident
  ActorId actor;                // for actor member
};

// Invariants. Each returns InvalidArgument naming the field at fault.
Status ValidateCbsCode(std::string_view code);
Status Validate(const Municipality& m);
Status Validate(const Actor& a);
Status Validate(const Tie& t);
Status Validate(const Challenge& c);
Status Validate(const Coalition& c);
Status Validate(const Proposal& p);
Status Validate(const Round& r);
// wijken (distinct, 1 to 100 characters each, at most 100) and min_age (0 to 120) only with a
// restricted verification; a minimum age needs the census (a letter's code carries no age).
Status Validate(const Eligibility& e);
// A ballot against its round: known projects, points within the round's limits.
Status Validate(const Ballot& b, const Round& r);
Status Validate(const Experiment& e);
Status Validate(const Comment& c);
// A review against its round: a known project, one score within limits for every criterion.
Status Validate(const Review& r, const Round& round);
Status Validate(const User& u);

// Puts a tie's ends in order (a < b).
void Normalize(Tie& t);
// Normalises capability tags and parses themes in place; fails on an unknown theme.
Status NormalizeTags(std::vector<std::string>& themes, std::vector<std::string>& capabilities);

}  // namespace weefsel::domain
