#include "service/core/policy.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace weefsel::service {

namespace {
using domain::RoleGrant;
using R = core::Role;
}  // namespace

bool Principal::IsAdmin() const {
  return std::any_of(grants.begin(), grants.end(),
                     [](const RoleGrant& g) { return g.role == domain::Role::kPlatformAdmin; });
}

bool Principal::IsResidentOf(MunicipalityId m) const {
  return core::RolesIn(*this, {.municipalities = {m}}).Has(R::kResident);
}

Status NeedUser(const Principal& p) {
  if (!p.authenticated())
    return Status::Unauthenticated("sign in (session cookie or API token) first").WithReason("sign_in_required");
  return Status::Ok();
}

namespace core {
namespace {

constexpr StatusCode kDenied = StatusCode::kPermissionDenied;
constexpr Roles kAdminOnly = Roles(R::kAdmin);
constexpr Roles kOfficers = R::kOfficer | R::kAdmin;
constexpr Roles kModerators = R::kModerator | R::kOfficer | R::kAdmin;
constexpr Roles kMembers = R::kMember | R::kAdmin;
constexpr Roles kOwn = R::kSelf | R::kAdmin;
constexpr std::string_view kNotOfficer = "not_officer_of_municipality";
constexpr std::string_view kNotModerator = "not_moderator_of_municipality";
constexpr std::string_view kNotResident = "not_resident_of_municipality";
constexpr std::string_view kNotMember = "not_coalition_member";
constexpr std::string_view kM = "municipality";

// The table. One rule per Action, in the enum's order (static_asserts below the table check both).
// clang-format off
constexpr Rule kRules[] = {
  // accounts and roles
  {Action::kCreateAccount, "user.create", "create an account", "", kAdminOnly, kDenied, "admin_only", "",
   "only a platform admin may create accounts"},
  {Action::kReadAccount, "user.read", "read an account", "the account", kOwn, kDenied, "own_only", "",
   "you may read only your own account"},
  {Action::kReadGrants, "user.grants", "read an account's roles", "the account", kOwn, kDenied, "own_only", "",
   "you may read only your own grants"},
  {Action::kGrantLocalRole, "role.grant_local", "grant `resident` or `moderator` of a municipality, `actor_member` of an actor",
   "the municipality (of the actor)", kOfficers, kDenied, "", "",
   "granting role {role} needs a platform admin or an officer of the municipality"},
  {Action::kGrantStaffRole, "role.grant_staff", "grant `officer` or `platform_admin`", "", kAdminOnly, kDenied, "", "",
   "granting role {role} needs a platform admin"},
  {Action::kRevokeRole, "role.revoke", "revoke a role", "", kAdminOnly, kDenied, "admin_only", "",
   "only a platform admin may revoke roles"},
  {Action::kListTokens, "token.list", "list API tokens", "their user", kOwn, kDenied, "own_only", "",
   "you may list only your own API tokens"},
  {Action::kRevokeToken, "token.revoke", "revoke an API token (others' tokens are 404)", "its user", kOwn,
   StatusCode::kNotFound, "", "", "token {id} does not exist"},
  {Action::kLinkIdentity, "identity.link", "link an identity provider's account (to the account that started the sign-in)",
   "that account", Roles(R::kSelf), kDenied, "own_only", "",
   "link: this sign-in was started by another account; start it again from your account page"},
  {Action::kMakeToken, "token.create", "make an API token (from a signed-in session, not with another token)", "",
   Roles(R::kSignedIn), kDenied, "", "", "sign in first"},
  {Action::kOwnData, "user.own_data",
   "read / mark read one's notifications, change one's settings, download one's data, delete one's account (password); "
   "read one's ballot, receipt and linked identities (one's own only: no admin override)",
   "", Roles(R::kSignedIn), kDenied, "", "", "sign in first"},
  // municipalities, actors, ties
  {Action::kAddMunicipality, "municipality.create", "add a municipality", "", kAdminOnly, kDenied, "admin_only", "",
   "only a platform admin may add municipalities"},
  {Action::kChangeMunicipality, "municipality.change", "change a municipality", "it", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may change it"},
  {Action::kSetAppearance, "municipality.appearance", "set a municipality's look (theme, logo)", "it", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} and admins set its look"},
  {Action::kAddActor, "actor.create", "add an actor", "the actor's municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may add its actors"},
  {Action::kChangeActor, "actor.change", "change an actor", "the actor; its municipality", R::kMember | kOfficers, kDenied,
   "", "", "only members of actor {actor} or officers of its municipality may change it"},
  {Action::kMoveActor, "actor.move", "move an actor to another municipality", "the new municipality", kOfficers, kDenied,
   kNotOfficer, kM, "actor.municipality: only officers of municipality {municipality} may move an actor there"},
  {Action::kRemoveActor, "actor.delete", "remove an actor", "the actor's municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may remove its actors"},
  {Action::kAddTie, "tie.create", "add a tie", "either actor; either actor's municipality", R::kMember | kOfficers, kDenied,
   "", "", "only members of one of the two actors or officers of their municipality may add a tie"},
  {Action::kRemoveTie, "tie.delete", "remove a tie", "either actor; either actor's municipality", R::kMember | kOfficers,
   kDenied, "", "", "only members of one of the two actors or officers of their municipality may remove a tie"},
  {Action::kIntroduce, "introduction.create", "introduce two organisations", "the municipality", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} introduce organisations there"},
  {Action::kTakeSnapshot, "fabric.snapshot", "take a fabric snapshot now", "the municipality", kOfficers, kDenied, "", "",
   "only officers of municipality {municipality} may take snapshots of its fabric"},
  // challenges, coalitions, proposals
  {Action::kPostChallenge, "challenge.create", "post a challenge", "its municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may post its challenges"},
  {Action::kChangeChallenge, "challenge.change", "change a challenge", "its municipality", kOfficers, kDenied, kNotOfficer,
   kM, "only officers of municipality {municipality} may change its challenges"},
  {Action::kMoveChallenge, "challenge.move", "move a challenge to another municipality", "the new municipality", kOfficers,
   kDenied, kNotOfficer, kM,
   "challenge.municipality: only officers of municipality {municipality} may move a challenge there"},
  {Action::kMoveChallengePhase, "challenge.phase", "move a challenge one phase on (or close it)", "its municipality",
   kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may move its challenges to another phase"},
  {Action::kProposeCoalition, "coalition.create", "propose a coalition", "the challenge's municipality", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} may propose coalitions for its challenges"},
  {Action::kInvite, "coalition.invite", "invite an actor into a coalition", "the challenge's municipality", kOfficers,
   kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may invite actors into coalitions"},
  {Action::kAnswerInvitation, "coalition.answer", "accept / decline an invitation", "the invited actor", kMembers, kDenied,
   "", "", "only members of actor {actor} may answer its invitations"},
  {Action::kSuggestCoalitions, "coalition.suggest", "ask for coalition suggestions", "the challenge's municipality",
   R::kAnyMember | kOfficers, kDenied, "", "",
   "coalition suggestions are for officers of the challenge's municipality and actor members", true},
  {Action::kWriteProposal, "proposal.create", "write a proposal", "the coalition's (non-declined) actors", kMembers, kDenied,
   kNotMember, "", "only members of the coalition's actors may write its proposals"},
  {Action::kReviseProposal, "proposal.revise", "add a version to a proposal", "the coalition's (non-declined) actors",
   kMembers, kDenied, kNotMember, "", "only members of the coalition's actors may revise its proposals"},
  {Action::kSubmitProposal, "proposal.submit", "submit a proposal", "the coalition's (non-declined) actors", kMembers,
   kDenied, kNotMember, "", "only members of the coalition's actors may submit its proposal"},
  {Action::kDecideProposal, "proposal.decide", "put a proposal in a round, fund or reject it", "the challenge's municipality",
   kOfficers, kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may decide on proposals"},
  {Action::kSupportProposal, "proposal.support", "support a proposal (once), withdraw that support",
   "the challenge's municipality", Roles(R::kResident), kDenied, kNotResident, kM,
   "only residents of municipality {municipality} may support its proposals"},
  {Action::kAskSupport, "proposal.supports_mine", "ask whether one supports a proposal", "", Roles(R::kSignedIn),
   kDenied, "", "", "sign in first"},
  {Action::kComment, "proposal.comment", "comment on a proposal, reply to a comment", "", Roles(R::kSignedIn), kDenied,
   "", "", "sign in first"},
  // rounds and votes
  {Action::kOpenRound, "round.create", "open a round", "its municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may open its rounds"},
  {Action::kChangeRound, "round.change", "change a round (before voting)", "its municipality", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} may change its rounds"},
  {Action::kMoveRoundPhase, "round.phase", "move a round's phase forward", "its municipality", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} may move its rounds on"},
  {Action::kFillRound, "round.fill", "add a submitted proposal to a round as its project", "the round's municipality",
   kOfficers, kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may fill its rounds"},
  {Action::kReviewProjects, "round.review", "review a round's projects (review phase only; not admins: a review is one's own judgement)",
   "its municipality", Roles(R::kOfficer), kDenied, "forbidden", "",
   "only officers of municipality {municipality} may review the projects of its rounds"},
  {Action::kReadReviews, "round.reviews", "read a round's reviews (everybody once published)", "its municipality",
   kOfficers, kDenied, kNotOfficer, kM,
   "the reviews of round {id} are for officers of municipality {municipality} until the round is published"},
  {Action::kReadEarlyResults, "round.results", "read a round's results before phase allocation (everybody after)",
   "its municipality", kOfficers, kDenied, "", "",
   "round.phase: the results of a round in phase {phase} are for its officers; everybody sees them from phase "
   "allocation on", true},
  {Action::kVote, "round.vote", "cast a ballot, or a sealed ballot in a restricted round", "the round's municipality",
   Roles(R::kResident), kDenied, kNotResident, kM, "only residents of municipality {municipality} may vote in its rounds"},
  {Action::kSetEligibility, "round.eligibility", "set who may vote in a round (until voting opens)",
   "the round's municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may set who votes in its rounds"},
  {Action::kMakeVotingCodes, "round.codes", "make voting codes (download once)", "the round's municipality", kOfficers,
   kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may make voting codes for its rounds"},
  {Action::kUploadCensus, "round.census", "upload the census (until voting opens)", "the round's municipality", kOfficers,
   kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may upload the census for its rounds"},
  {Action::kReadRegister, "round.register", "read the voting register (counts)", "the round's municipality", kOfficers,
   kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may see the voting register of its rounds"},
  {Action::kReadRegistrations, "round.registrations", "see how the voters' accounts registered",
   "the round's municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may see how accounts registered"},
  {Action::kVoidBallot, "round.void", "void ballots", "the round's municipality", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may void ballots in its rounds"},
  {Action::kOpenCampaign, "campaign.create", "open a match-funding campaign beside a round", "the round's municipality",
   kOfficers, kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may open campaigns"},
  {Action::kPledge, "campaign.pledge", "pledge to a project of a campaign (not admins: a pledge is one's own)",
   "the municipality; its actors", R::kResident | R::kMember, kDenied, "forbidden", "",
   "only residents of municipality {municipality} and members of its actors may pledge"},
  // experiments
  {Action::kStartExperiment, "experiment.create", "start an experiment (of a funded proposal)",
   "the municipality of its proposal", kOfficers, kDenied, kNotOfficer, kM,
   "only officers of municipality {municipality} may start experiments"},
  {Action::kChangeExperiment, "experiment.change", "change an experiment", "the municipality of its proposal", kOfficers,
   kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may change experiments"},
  {Action::kRecordMeasurement, "experiment.measure", "record a measurement",
   "the municipality of its proposal; the coalition's actors", R::kMember | kOfficers, kDenied, "", "",
   "only officers of municipality {municipality} or members of the coalition may record measurements"},
  {Action::kSubmitEvidence, "evidence.submit", "submit evidence for a milestone", "the coalition's (non-declined) actors",
   kMembers, kDenied, kNotMember, "", "only members of the coalition's actors may submit evidence for its milestones"},
  {Action::kAttachEvidenceFile, "evidence.attach", "attach a file to evidence", "the coalition's (non-declined) actors",
   kMembers, kDenied, "", "", "only members of the coalition's actors may attach files to its evidence"},
  {Action::kDecideEvidence, "evidence.decide", "approve / reject milestone evidence", "the experiment's municipality",
   kOfficers, kDenied, kNotOfficer, kM, "only officers of municipality {municipality} may decide on milestone evidence"},
  {Action::kReadAudit, "audit.read", "read the audit log of an entity (an entity without entries: admins only)",
   "its municipality", kOfficers, kDenied, kNotOfficer, kM,
   "the audit log of {entity} {id} is for officers of municipality {municipality} and admins"},
  // moderation
  {Action::kReport, "moderation.report", "report a comment, proposal or profile (with a reason; not one's own; once while open)",
   "", Roles(R::kSignedIn), kDenied, "", "", "sign in first"},
  {Action::kReadModerationQueue, "moderation.queue", "read the moderation queue", "the municipality", kModerators, kDenied,
   kNotModerator, kM, "the moderation queue of municipality {municipality} is for its moderators, officers and admins"},
  {Action::kHide, "moderation.hide", "hide a comment or proposal (public reason)", "the item's municipality", kModerators,
   kDenied, kNotModerator, kM, "only moderators and officers of municipality {municipality} may hide its {target}s"},
  {Action::kHideProfile, "moderation.hide_profile", "hide a profile (public reason)",
   "a municipality where the account has a role or was reported", kModerators, kDenied, kNotModerator, "",
   "profile {id} is for the moderators of the municipalities where it has a role or was reported"},
  {Action::kRestore, "moderation.restore", "restore a hidden item", "the item's municipality", kModerators, kDenied,
   kNotModerator, kM, "only moderators and officers of the item's municipality may restore it"},
  {Action::kDismissReport, "moderation.dismiss", "dismiss a report", "the item's municipality", kModerators, kDenied,
   kNotModerator, kM, "only moderators and officers of municipality {municipality} may dismiss its reports"},
  {Action::kBlockAccount, "moderation.block", "block an account (not admins, officers or oneself)",
   "a municipality where the account has a role or was reported", kModerators, kDenied, kNotModerator, "",
   "account {id} is for the moderators of the municipalities where it has a role or was reported"},
  {Action::kUnblockAccount, "moderation.unblock", "unblock an account",
   "the block's municipality, or one where the account has a role or was reported", kModerators, kDenied, kNotModerator,
   kM, "only moderators and officers of the account's municipality may unblock it"},
  // Right to Challenge
  {Action::kKeepTaskList, "task.keep", "keep the task list (Right to Challenge)", "the municipality", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} keep its task list"},
  {Action::kSetStepDays, "task_challenge.step_days", "set the default step days (Right to Challenge)", "the municipality",
   kOfficers, kDenied, kNotOfficer, kM, "only officers of municipality {municipality} set its step days"},
  {Action::kFileBidAsActor, "task_challenge.file_as_actor", "file a Right to Challenge bid in an actor's name",
   "the initiative's actor", kMembers, kDenied, "", "", "only members of actor {actor} may file a challenge in its name"},
  {Action::kFileBidAsResidents, "task_challenge.file_as_residents", "file a Right to Challenge bid as residents together",
   "the municipality", R::kResident | R::kAdmin, kDenied, "", "",
   "residents of municipality {municipality} file together; an organisation files as its actor (initiative)"},
  {Action::kChangeBid, "task_challenge.change", "change a bid while it is received", "its filer; the initiative's actor",
   R::kSelf | kMembers, kDenied, "not_bidder", "", "only the filer and members of the initiative may change the bid"},
  {Action::kReadBidPartners, "task_challenge.partners", "ask who could join a bid",
   "its filer; the initiative's actor; its municipality", R::kSelf | R::kMember | R::kAnyMember | kOfficers, kDenied, "",
   "", "who could join is for the initiative, actor members and the municipality's officers"},
  {Action::kMoveBid, "task_challenge.step", "move a bid one step on, or refuse it", "its municipality", kOfficers, kDenied,
   kNotOfficer, kM, "only officers of municipality {municipality} assess its challenges"},
};
// clang-format on

constexpr bool InEnumOrder() {
  for (size_t i = 0; i < std::size(kRules); ++i)
    if (static_cast<size_t>(kRules[i].action) != i) return false;
  return true;
}
static_assert(InEnumOrder(), "kRules: one rule per Action, in the enum's order");
static_assert(static_cast<size_t>(Action::kMoveBid) + 1 == std::size(kRules), "kRules: a rule for every Action");

template <typename Id>
bool Contains(const std::vector<Id>& ids, Id id) {
  return id.valid() && std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string Id(int64_t v) { return std::to_string(v); }

// The rule's message with {municipality}, {actor} and the scope's words filled in.
std::string Message(const Rule& r, const Scope& s) {
  std::string out;
  std::string_view m = r.message;
  while (!m.empty()) {
    size_t open = m.find('{');
    size_t close = open == std::string_view::npos ? open : m.find('}', open);
    if (close == std::string_view::npos) {
      out += m;
      break;
    }
    out += m.substr(0, open);
    std::string_view key = m.substr(open + 1, close - open - 1);
    if (key == "municipality") {
      out += Id(s.municipalities.empty() ? 0 : s.municipalities.front().value());
    } else if (key == "actor") {
      out += Id(s.actors.empty() ? 0 : s.actors.front().value());
    } else {
      auto it = std::find_if(s.words.begin(), s.words.end(), [key](const auto& w) { return w.first == key; });
      assert(it != s.words.end() && "policy: a message names a word the scope lacks");
      if (it != s.words.end()) out += it->second;
    }
    m.remove_prefix(close + 1);
  }
  return out;
}

}  // namespace

std::string_view RoleName(Role r) {
  static constexpr std::array<std::string_view, kRoleCount> kNames = {
      "admin", "officer", "moderator", "member", "any member", "resident", "self", "signed in"};
  return kNames.at(static_cast<size_t>(r));
}

std::span<const Rule> Rules() { return kRules; }

const Rule& RuleOf(Action a) { return kRules[static_cast<size_t>(a)]; }

Roles RolesIn(const Principal& p, const Scope& s) {
  Roles out;
  if (!p.authenticated()) return out;
  out = out | R::kSignedIn;
  if (s.owner.valid() && s.owner == p.user) out = out | R::kSelf;
  for (const RoleGrant& g : p.grants) {
    switch (g.role) {
      case domain::Role::kPlatformAdmin:
        out = out | R::kAdmin;
        break;
      case domain::Role::kOfficer:
        if (Contains(s.municipalities, g.municipality)) out = out | R::kOfficer;
        break;
      case domain::Role::kModerator:
        if (Contains(s.municipalities, g.municipality)) out = out | R::kModerator;
        break;
      case domain::Role::kResident:
        if (Contains(s.municipalities, g.municipality)) out = out | R::kResident;
        break;
      case domain::Role::kActorMember:
        out = out | R::kAnyMember;
        if (Contains(s.actors, g.actor)) out = out | R::kMember;
        break;
    }
  }
  return out;
}

bool Allows(const Principal& p, Action a, const Scope& s) { return RolesIn(p, s).Intersects(RuleOf(a).who); }

bool InRole(const Principal& p, Action a, const Scope& s) {
  Roles held = RolesIn(p, s);
  for (int i = 0; i < kRoleCount; ++i) {
    auto r = static_cast<Role>(i);
    if (r != Role::kAdmin && held.Has(r) && RuleOf(a).who.Has(r)) return true;
  }
  return false;
}

Status Can(const Principal& p, Action a, const Scope& s) {
  const Rule& rule = RuleOf(a);
  if (Allows(p, a, s)) return Status::Ok();
  if (!p.authenticated()) {
    if (rule.sign_in_says_why) return Status::Unauthenticated("sign in first: " + Message(rule, s));
    return NeedUser(p);
  }
  Status refusal(rule.refusal, Message(rule, s));
  if (rule.reason.empty()) return refusal;
  ReasonParams params;
  if (rule.param == "municipality")
    params.emplace_back("municipality", Id(s.municipalities.empty() ? 0 : s.municipalities.front().value()));
  return refusal.WithReason(std::string(rule.reason), std::move(params));
}

std::string MarkdownTable() {
  std::string out = "| rule | act | roles of | ";
  std::string line = "|---|---|---|";
  for (int i = 0; i < kRoleCount; ++i) {
    out += std::string(RoleName(static_cast<Role>(i))) + " | ";
    line += "---|";
  }
  out.pop_back();
  out += "\n" + line + "\n";
  for (const Rule& r : kRules) {
    out += "| `" + std::string(r.name) + "` | " + std::string(r.act) + " | " + std::string(r.of.empty() ? "—" : r.of) +
           " |";
    for (int i = 0; i < kRoleCount; ++i) out += r.who.Has(static_cast<Role>(i)) ? " ✓ |" : " |";
    out += "\n";
  }
  return out;
}

}  // namespace core
}  // namespace weefsel::service
