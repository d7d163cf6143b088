// service/core/policy.h: the one rights table of weefsel. For every act a use case checks, one
// rule: the roles that may do it, and the refusal (status, stable reason code, message) for a
// signed-in caller who holds none of them; anonymous callers are refused with 401
// (sign_in_required) unless a rule says otherwise.
//
// Roles are held *in a scope*: the scope of an act names the municipalities it belongs to
// (officers, moderators and residents of any of them qualify), its actors (members of any of
// them), and its owner (the user themselves). The use case reads the scope from the store; the
// policy decides. A platform admin passes every rule that lists Role::kAdmin; the rules that do
// not (a ballot, a support, a review, a pledge: acts of one's own) are rows like any other.
//
// The table is data: the policy's tests walk it (for each rule x role, Can agrees with the
// table), `weefsel rights` prints it as the "Who may do what" table of docs/api.md, and a test
// fails when docs/api.md differs from what MarkdownTable() prints.
// Thread-safety: pure functions over a constant table.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "service/core/principal.h"

namespace weefsel::service {

// Unauthenticated (sign_in_required) for anonymous callers: the first check of a use case that
// reads the store before it knows the act's scope (so that 401 comes before 404).
Status NeedUser(const Principal& p);

namespace core {

// A role of the caller in an act's scope. Column order of the printed table.
enum class Role : uint8_t {
  kAdmin,      // a platform admin
  kOfficer,    // an officer of one of the scope's municipalities
  kModerator,  // a moderator of one of the scope's municipalities
  kMember,     // a member of one of the scope's actors
  kAnyMember,  // a member of any actor
  kResident,   // a resident of one of the scope's municipalities
  kSelf,       // the scope's owner
  kSignedIn,   // anyone signed in
};
inline constexpr int kRoleCount = 8;
std::string_view RoleName(Role r);  // "admin", "officer", ... (the table's column heads)

// A set of roles.
class Roles {
 public:
  constexpr Roles() = default;
  constexpr explicit Roles(Role r) : bits_(Bit(r)) {}
  constexpr Roles operator|(Role r) const { return FromBits(bits_ | Bit(r)); }
  constexpr Roles operator|(Roles o) const { return FromBits(bits_ | o.bits_); }
  constexpr bool Has(Role r) const { return (bits_ & Bit(r)) != 0; }
  constexpr bool Intersects(Roles o) const { return (bits_ & o.bits_) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr bool operator==(const Roles&) const = default;

 private:
  static constexpr uint16_t Bit(Role r) { return static_cast<uint16_t>(1U << static_cast<unsigned>(r)); }
  static constexpr Roles FromBits(uint16_t b) {
    Roles x;
    x.bits_ = b;
    return x;
  }
  uint16_t bits_ = 0;
};
constexpr Roles operator|(Role a, Role b) { return Roles(a) | b; }
constexpr Roles operator|(Role a, Roles b) { return b | a; }

// Every act that a use case checks. The table (policy.cc) has one rule for each, in this order.
enum class Action : uint8_t {
  // accounts and roles
  kCreateAccount,
  kReadAccount,
  kReadGrants,
  kGrantLocalRole,
  kGrantStaffRole,
  kRevokeRole,
  kListTokens,
  kRevokeToken,
  kLinkIdentity,
  kMakeToken,
  kOwnData,
  // municipalities, actors, ties
  kAddMunicipality,
  kChangeMunicipality,
  kSetAppearance,
  kAddActor,
  kChangeActor,
  kMoveActor,
  kRemoveActor,
  kAddTie,
  kRemoveTie,
  kIntroduce,
  kTakeSnapshot,
  // challenges, coalitions, proposals
  kPostChallenge,
  kChangeChallenge,
  kMoveChallenge,
  kMoveChallengePhase,
  kProposeCoalition,
  kInvite,
  kAnswerInvitation,
  kSuggestCoalitions,
  kWriteProposal,
  kReviseProposal,
  kSubmitProposal,
  kDecideProposal,
  kSupportProposal,
  kAskSupport,
  kComment,
  // rounds and votes
  kOpenRound,
  kChangeRound,
  kMoveRoundPhase,
  kFillRound,
  kReviewProjects,
  kReadReviews,
  kReadEarlyResults,
  kVote,
  kSetEligibility,
  kMakeVotingCodes,
  kUploadCensus,
  kReadRegister,
  kReadRegistrations,
  kVoidBallot,
  kOpenCampaign,
  kPledge,
  // experiments
  kStartExperiment,
  kChangeExperiment,
  kRecordMeasurement,
  kSubmitEvidence,
  kAttachEvidenceFile,
  kDecideEvidence,
  kReadAudit,
  // moderation
  kReport,
  kReadModerationQueue,
  kHide,
  kHideProfile,
  kRestore,
  kDismissReport,
  kBlockAccount,
  kUnblockAccount,
  // Right to Challenge
  kKeepTaskList,
  kSetStepDays,
  kFileBidAsActor,
  kFileBidAsResidents,
  kChangeBid,
  kReadBidPartners,
  kMoveBid,
};

// The scope of one act. Words fill the rule's message: {municipality} and {actor} are the first
// of the lists; others ({id}, {role}, ...) come from `words`.
struct Scope {
  std::vector<MunicipalityId> municipalities;
  std::vector<ActorId> actors;
  UserId owner;
  std::vector<std::pair<std::string, std::string>> words;
};

// One row of the table.
struct Rule {
  Action action;
  std::string_view name;  // stable: "municipality.change"
  std::string_view act;   // what is done, for the docs: "change a municipality"
  std::string_view of;    // what the roles are of, for the docs: "its municipality"
  Roles who;
  // The refusal: status code, reason ("" for none), reason parameter ("municipality": the scope's
  // first municipality, or "" for none), and message template.
  StatusCode refusal;
  std::string_view reason;
  std::string_view param;
  std::string_view message;
  // An anonymous caller is told "sign in first: <message>" (no reason) instead of sign_in_required.
  bool sign_in_says_why = false;
};

// The table, one rule per Action in the enum's order.
std::span<const Rule> Rules();
const Rule& RuleOf(Action a);

// The roles `p` holds in `s` (anonymous: none).
Roles RolesIn(const Principal& p, const Scope& s);
// Whether p may do `a` in `s`.
bool Allows(const Principal& p, Action a, const Scope& s);
// Whether p holds one of the rule's roles in `s` other than admin (e.g. to pick the municipality
// that a moderator acts for).
bool InRole(const Principal& p, Action a, const Scope& s);
// Ok when p may do `a` in `s`; Unauthenticated for anonymous callers; else the rule's refusal.
Status Can(const Principal& p, Action a, const Scope& s);

// The table as the markdown of docs/api.md's "Who may do what" (`weefsel rights` prints it).
std::string MarkdownTable();

}  // namespace core
}  // namespace weefsel::service
