// service/platform.h: weefsel's use cases, each with its rights check, over one Store.
//
// Platform is what the HTTP server (and tests) call: every method that changes something takes the
// acting Principal and checks its rights HERE, not in the handlers, each with one call to the
// rights table of service/core/policy.h (printed in docs/api.md, "Who may do what"). Roles are per
// municipality (officer, moderator, resident), per actor (actor member) or platform-wide (admin);
// an admin may do everything but acts of one's own (ballots, supports, reviews, pledges). Reads of
// the open data (municipalities, actors, ties, challenges, coalitions, proposals, rounds,
// experiments) are public; a ballot is readable only by its voter. Updates take a Patch: a
// function applied to the stored entity after the rights check, so a handler can apply just the
// fields it was sent; the result is validated and rights are checked again when the patch moves
// the entity (e.g. to another municipality).
//
// Ownership: Platform owns the Store and the Accounts. Sessions, API tokens (both by hash only),
// comments and supports are in the store, so a restart (or a second server on the same database)
// keeps them; only the login and registration rate-limit counters live in memory (see accounts.h).
// Thread-safety: all methods are thread-safe. Writes are serialised by one mutex over the writer's
// Store; reads take a reader of the pool (PlatformOptions::readers) for the duration of the use
// case, or that mutex when there is none. The slow Argon2id work of Login/Register runs outside both.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/line_diff.h"
#include "base/status.h"
#include "domain/model.h"
#include "fund/match_funding.h"
#include "service/accounts.h"
#include "service/change_follower.h"
#include "service/core/principal.h"
#include "service/oidc.h"
#include "service/reader_pool.h"
#include "storage/store.h"

namespace weefsel::service {

using Comment = domain::Comment;

struct PlatformOptions {
  PasswordCost password_cost;
  AccountOptions accounts;
  // How long DataVersion() may answer from memory. Writes through this Platform are seen at once;
  // writes by other processes (the CLI, a second server) within this time.
  std::chrono::milliseconds version_ttl{100};
  // Connections that only read (service/reader_pool.h), opened on `url` (the database the Store
  // was opened on) up to `count`: reads then run beside each other and beside writes, which keep
  // the one writer's connection and its lock. count 0, or a private in-memory database: every read
  // waits for that lock too.
  struct Readers {
    std::string url;
    int count = 0;
  } readers;
  // The server's secret for the keyed hashes of voting codes and census lines (service/voting.h):
  // kept outside the database (`weefsel serve` reads WEEFSEL_VOTE_KEY); empty: the rounds' salts
  // alone key them.
  std::string vote_key;
  // How long personal data is kept (docs/privacy.md, the processing register); 0 keeps it.
  struct Retention {
    int audit_days = 7 * 365;      // the audit log (who changed what)
    int notifications_days = 365;  // in-app notifications
    int outbox_days = 30;          // e-mail digests, sent or not
    int expired_tokens_days = 30;  // API tokens, this long after they expired
    int registration_days = 90;    // registration marks (time and address key of a new account)
  } retention;
};

// ---- the programme's money (proposals into rounds, milestones, overview, match-funding) ----

// One indicator of an experiment against its baseline and target.
struct IndicatorProgress {
  IndicatorId id;
  std::string name, unit;
  double baseline = 0, target = 0;
  std::optional<domain::Measurement> latest;  // the measurement with the latest date
  // (latest - baseline) / (target - baseline): 0 at the baseline, 1 at the target (may fall
  // outside [0, 1]); unset without a measurement or when target equals baseline.
  std::optional<double> progress;
};

struct ExperimentOverview {
  ExperimentId id;
  ProposalId proposal;
  std::string title;    // the proposal's current title ("" while the proposal is hidden)
  bool hidden = false;  // its proposal is hidden by a moderator
  std::string status;
  int64_t funded_eur = 0;    // see Platform::FundedAmount
  int64_t released_eur = 0;  // approved milestones
  std::vector<IndicatorProgress> indicators;
};

// One source of committed money: a funded project of a published round, or a proposal that an
// officer funded outside any round (status funded, no allocation).
struct CommitmentLine {
  std::string source;  // "round" or "proposal"
  RoundId round;       // source "round"
  std::string round_name;
  std::string project_id;
  ProposalId proposal;  // unset for a round project that did not come from a proposal
  std::string title;    // the project's (or proposal's current) title; "" while its proposal is hidden
  bool hidden = false;  // its proposal is hidden by a moderator
  int64_t amount_eur = 0;
};

// A municipality's programme in public aggregate figures (no personal data).
struct MunicipalityOverview {
  MunicipalityId municipality;
  // The funded allocations of its published rounds plus the proposals funded outside rounds: the
  // sum of `commitments`, so that released (which may draw on either) never exceeds it.
  int64_t committed_eur = 0;
  int64_t released_eur = 0;   // approved milestones of its experiments
  int64_t remaining_eur = 0;  // committed - released
  int64_t published_rounds = 0;
  std::vector<CommitmentLine> commitments;  // published rounds' projects, then proposals funded outside rounds
  std::map<std::string, int64_t> challenges_per_phase;  // every phase code, zeros included
  std::vector<ExperimentOverview> experiments;          // by id
};

// A match-funding campaign with its current settlement under the fund engine.
struct MatchStanding {
  storage::MatchCampaign campaign;
  struct Project {
    std::string project_id, title;
    int64_t cost_eur = 0;         // the campaign's target for the project
    int64_t pledges = 0;          // number of pledges (backers are not shown)
    fund::CampaignResult result;  // amounts in cents; refunds' backers are cleared
  };
  std::vector<Project> projects;  // in the round's order
  int64_t fund_used_cents = 0, fund_left_cents = 0;
  std::string at;  // the moment the settlement was computed (ISO 8601 UTC)
};

// ---- moderation (issue 20) ----

// One reported or hidden item in a municipality's moderation queue. Reporters are not named.
struct ModerationItem {
  std::string target;  // "comment", "proposal" or "profile"
  int64_t target_id = 0;
  MunicipalityId municipality;
  std::string excerpt;  // the comment's text, the proposal's current title, the profile's display name
  ProposalId proposal;  // the proposal it is shown on (comment, proposal)
  UserId author;        // who wrote it (comment, proposal's current version) or whose profile it is
  std::string author_name;
  bool author_blocked = false;
  std::vector<storage::Report> reports;       // its open reports, oldest first (reporter cleared)
  std::optional<storage::HiddenItem> hidden;  // set while hidden
};

// One page of a municipality's moderation queue and the queue's length.
struct ModerationPage {
  int64_t total = 0;
  std::vector<ModerationItem> items;
};

template <typename T>
using Patch = std::function<Status(T&)>;

class Platform {
 public:
  Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock = SystemClock::Default());

  Accounts& accounts() { return accounts_; }
  const Clock& clock() const { return clock_; }
  std::string Dialect();
  // A version that changes with every change to the data (for caches and ETags); see
  // PlatformOptions::version_ttl and service/change_follower.h.
  Result<int64_t> DataVersion();
  // The version of a set of change scopes (storage/store.h, namespace scope): it changes only when
  // a write touches one of them. A cache of something computed from those scopes is valid while it
  // holds.
  Result<int64_t> VersionOf(const std::vector<std::string>& scopes);
  // The same when known without reading the store (fresh within version_ttl and no write since);
  // nullopt otherwise. They do not wait on the store: for the HTTP front's event loop.
  std::optional<int64_t> FreshDataVersion() const;
  std::optional<int64_t> FreshVersionOf(const std::vector<std::string>& scopes) const;
  // The scopes changed after a version VersionOf returned (as far as the platform has read the
  // feed), or nullopt when it no longer remembers that far (ChangeFollower::ChangedSince).
  std::optional<std::vector<std::string>> ChangedSince(int64_t version) const {
    return follower_.ChangedSince(version);
  }
  // OK when the store answers a query.
  Status Ready();
  // Runs `fn` with the store under the platform's lock (for exports and tests).
  Status WithStore(const std::function<Status(storage::Store&)>& fn);
  // Runs `fn` on a reader (or under the store lock when there is none): for services that only
  // read, such as the engines' snapshots and the open data export. A write through it fails.
  Status WithReader(const std::function<Status(storage::Store&)>& fn);
  // The readers open now (0 without a pool); for tests.
  int ReadersOpen() const;

  // Identity.
  Result<Principal> PrincipalOf(UserId user);
  // Checks the password (rate-limited per account and per address) and opens a session.
  Result<Session> Login(const std::string& email, const std::string& password, const std::string& address);
  // Signs in the person of a verified ID token (service/oidc.h): the account linked to the token's
  // issuer and subject, made on the first sign-in with no roles (an admin or officer grants them);
  // AlreadyExists when another account has the token's e-mail address.
  Result<Session> SignInWithOidc(const IdClaims& claims, const std::string& address);
  // The identity links of the signed-in account (docs/oidc.md, "Linking").
  Result<std::vector<storage::OidcIdentity>> OidcIdentitiesOf(const Principal& p);
  // Links the identity of a verified ID token whose login `p` started (claims.link_user) to p's
  // account, so that later sign-ins through the provider land there; through a resident broker the
  // account becomes a (verified) resident of the broker's municipality. AlreadyExists
  // (oidc_identity_taken) when the identity belongs to another account.
  Status LinkOidc(const Principal& p, const IdClaims& claims);
  // Removes the account's links to `issuer`; Conflict (oidc_last_sign_in) when they are the only
  // way an account made by a provider signs in.
  Status UnlinkOidc(const Principal& p, const std::string& issuer);
  // The live session with this id (its CSRF token derived); NotFound when unknown or expired.
  Result<Session> FindSession(const std::string& id);
  // Logout: the session is deleted from the store.
  Status EndSession(const std::string& id);
  // A live API token (its last use is recorded); NotFound when unknown, revoked or expired (a
  // token made before expiry existed expires 90 days after it was made).
  Result<storage::StoredToken> FindToken(const std::string& token);
  // The retention sweep (docs/privacy.md): removes expired sessions and what is older than
  // options().retention allows. `weefsel serve` runs it daily, `weefsel retention` once.
  Result<storage::RetentionCounts> ApplyRetention();
  // Self-registration: a new account with the resident role in `municipality`; rate-limited per
  // address (ResourceExhausted). When a proof of work is asked (AccountOptions::register_pow_bits)
  // `proof` must be a solved challenge (InvalidArgument naming pow_challenge or pow_nonce), used
  // up by the account it makes. The account's registration time and address key
  // (service/accounts.h, AddressKey) are recorded for the officers' view of clusters.
  struct Proof {
    std::string challenge, nonce;
  };
  Result<domain::User> Register(domain::User user, const std::string& password, MunicipalityId municipality,
                                const std::string& address = "", const Proof& proof = {});
  // Admin: a new account with the given grants.
  Result<domain::User> CreateUser(const Principal& p, domain::User user, const std::string& password,
                                  std::vector<domain::RoleGrant> grants);
  Result<domain::User> GetUser(const Principal& p, UserId id);
  Result<std::vector<domain::RoleGrant>> GrantsOf(const Principal& p, UserId id);
  // Admin: any grant. Officer of M: resident or moderator of M, or member of an actor of M.
  Status Grant(const Principal& p, const domain::RoleGrant& g);
  Status Revoke(const Principal& p, const domain::RoleGrant& g);
  // API tokens: created by their user (the token is returned once), listed and revoked by their user
  // (or an admin).
  // An API token (shown once) with a scope ("read": GET only, or "write") that expires after
  // `days` (1 to 365). Made from a signed-in session only: a token cannot mint tokens.
  Result<std::string> CreateToken(const Principal& p, const std::string& name, const std::string& scope = "write",
                                  int days = 90);
  Result<std::vector<storage::StoredToken>> TokensOf(const Principal& p, UserId user);
  Status RevokeToken(const Principal& p, int64_t token_id);

  // Municipalities.
  Result<std::vector<domain::Municipality>> ListMunicipalities(const storage::ListQuery& q);
  Result<domain::Municipality> GetMunicipality(MunicipalityId id);
  Result<domain::Municipality> CreateMunicipality(const Principal& p, domain::Municipality m);
  Result<domain::Municipality> UpdateMunicipality(const Principal& p, MunicipalityId id,
                                                  const Patch<domain::Municipality>& patch);

  // Actors and ties.
  Result<std::vector<domain::Actor>> ListActors(const storage::ListQuery& q);
  Result<domain::Actor> GetActor(ActorId id);
  Result<domain::Actor> CreateActor(const Principal& p, domain::Actor a);
  Result<domain::Actor> UpdateActor(const Principal& p, ActorId id, const Patch<domain::Actor>& patch);
  Status DeleteActor(const Principal& p, ActorId id);
  Result<std::vector<domain::Tie>> ListTies(const storage::ListQuery& q);
  Result<std::vector<domain::Tie>> TiesOf(ActorId actor);
  Result<domain::Tie> CreateTie(const Principal& p, domain::Tie t);
  Status DeleteTie(const Principal& p, ActorId actor, TieId tie);

  // Challenges.
  Result<std::vector<domain::Challenge>> ListChallenges(const storage::ListQuery& q);
  Result<domain::Challenge> GetChallenge(ChallengeId id);
  Result<domain::Challenge> CreateChallenge(const Principal& p, domain::Challenge c);
  // The phase is not changed by a patch (InvalidArgument naming `phase`): see SetChallengePhase.
  Result<domain::Challenge> UpdateChallenge(const Principal& p, ChallengeId id, const Patch<domain::Challenge>& patch);
  // Officers of the challenge's municipality move it one step along open -> matching -> forming ->
  // proposals -> funded -> experiment -> evaluated, or close it from any phase. Any other move is a
  // Conflict naming `phase` and saying which move is next.
  Result<domain::Challenge> SetChallengePhase(const Principal& p, ChallengeId id, domain::ChallengePhase phase);

  // Coalitions: an officer proposes and invites; members of an invited actor accept or decline.
  // Coalitions and proposals are refused (Conflict, `phase`) once the challenge is funded or closed.
  Result<std::vector<domain::Coalition>> CoalitionsOf(ChallengeId challenge);
  Result<domain::Coalition> GetCoalition(CoalitionId id);
  Result<domain::Coalition> ProposeCoalition(const Principal& p, domain::Coalition c);
  Result<domain::Coalition> Invite(const Principal& p, CoalitionId id, ActorId actor);
  Result<domain::Coalition> Accept(const Principal& p, CoalitionId id, ActorId actor);
  Result<domain::Coalition> Decline(const Principal& p, CoalitionId id, ActorId actor);

  // Proposals: written by members of the coalition's actors; supported by residents.
  Result<std::vector<domain::Proposal>> ProposalsOf(ChallengeId challenge);
  Result<domain::Proposal> GetProposal(ProposalId id);
  Result<domain::Proposal> CreateProposal(const Principal& p, CoalitionId coalition, domain::ProposalVersion v);
  Result<domain::Proposal> AddVersion(const Principal& p, ProposalId id, domain::ProposalVersion v);
  // draft -> submitted (coalition members); submitted -> in_round | rejected, in_round -> funded |
  // rejected (officers of the challenge's municipality).
  Result<domain::Proposal> SetProposalStatus(const Principal& p, ProposalId id, const std::string& status);
  Result<std::vector<Comment>> CommentsOf(ProposalId id);
  // Any signed-in user; `parent` (0 = none) makes it a reply to a comment on the same proposal.
  Result<Comment> AddComment(const Principal& p, ProposalId id, const std::string& text, int64_t parent = 0);
  // One support per resident of the challenge's municipality (Conflict on a second).
  Result<domain::Proposal> Support(const Principal& p, ProposalId id);
  // Withdraws the signed-in resident's support (NotFound when they do not support it).
  Result<domain::Proposal> Unsupport(const Principal& p, ProposalId id);
  // Whether the signed-in user supports the proposal.
  Result<bool> Supports(const Principal& p, ProposalId id);

  // Rounds and ballots.
  Result<std::vector<domain::Round>> ListRounds(const storage::ListQuery& q);
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
  // A receipt for the caller's own ballot under their account (service/receipts.cc): what it
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

  // A line diff between two versions of a proposal (numbers from 1): title, budget, plan lines,
  // milestones and indicators, each a line; unchanged lines have op ' ', removed '-', added '+'.
  // Bounded (base/line_diff.h): versions that differ in more than 2,000 lines give a coarse diff
  // (minimal = false). Computed outside the platform's lock.
  Result<LineDiffResult> DiffVersions(ProposalId id, int from, int to);
  // A proposal keeps at most this many versions (each diffable against every other).
  static constexpr size_t kMaxVersions = 200;

  // The audit log of one entity ("challenge", "round", "proposal", "coalition", "experiment",
  // "actor", "municipality", "tie", "user"): officers of its municipality and admins.
  Result<std::vector<storage::AuditEntry>> AuditOf(const Principal& p, const std::string& entity, int64_t id);

  // Experiments: only a funded proposal becomes an experiment.
  Result<std::vector<domain::Experiment>> ListExperiments(const storage::ListQuery& q);
  Result<domain::Experiment> GetExperiment(ExperimentId id);
  Result<domain::Experiment> CreateExperiment(const Principal& p, domain::Experiment e);
  Result<domain::Experiment> UpdateExperiment(const Principal& p, ExperimentId id,
                                              const Patch<domain::Experiment>& patch);
  // Officers of the municipality and members of the proposal's coalition may record measurements.
  Result<domain::Experiment> AddMeasurement(const Principal& p, ExperimentId id, IndicatorId indicator,
                                            domain::Measurement m);

  // ---- the programme's money ----
  // Officers of the round's municipality add a submitted proposal of one of its challenges as a
  // project of a round in its submission phase: project id "proposal-<id>", the current version's
  // title, its budget as the cost; the proposal becomes in_round and the project remembers it.
  // Refused: a round past submission or a challenge not in its proposals phase (Conflict, `phase`);
  // a proposal that is not submitted (Conflict, `proposal.status`) or already a project of the
  // round (Conflict, `proposal`); another municipality's proposal or one without a budget
  // (InvalidArgument, `proposal` / `proposal.budget_eur`).
  Result<domain::Round> AddProposalToRound(const Principal& p, RoundId round, ProposalId proposal);
  // The allocation a published round stored (funded projects); empty before publication.
  Result<std::vector<storage::Allocation>> AllocationsOf(RoundId round);
  // What a proposal was funded with: its allocations in published rounds or, for a proposal an
  // officer funded outside any round, its current budget.
  Result<int64_t> FundedAmount(ProposalId proposal);

  // Milestones (numbered from 1) released on evidence. A member of an actor of the experiment's
  // coalition submits evidence (text, optional http(s) link) for a milestone of a running
  // experiment; officers of the municipality approve it, releasing the milestone's amount, or
  // reject it with a reason (the coalition may then submit new evidence). A milestone is released
  // once; the released total never exceeds the funded amount (Conflict, `amount_eur`).
  Result<storage::MilestoneEvidence> SubmitEvidence(const Principal& p, ExperimentId id, int milestone,
                                                    const std::string& text, const std::string& link);
  Result<storage::MilestoneEvidence> DecideEvidence(const Principal& p, ExperimentId id, int64_t evidence, bool approve,
                                                    const std::string& reason);
  Result<std::vector<storage::MilestoneEvidence>> EvidenceOf(ExperimentId id);
  // Files attached to evidence (service/evidence_files.cc): a member of the coalition attaches a
  // PDF, PNG or JPEG (type read from the bytes, InvalidArgument naming `file.data` otherwise) of at
  // most storage::kMaxEvidenceFileBytes to evidence awaiting a decision (Conflict after), at most
  // kMaxFilesPerEvidence each. Like the evidence, the files are public; the lists carry no bytes.
  static constexpr int kMaxFilesPerEvidence = 5;
  Result<storage::EvidenceFile> AttachEvidenceFile(const Principal& p, ExperimentId id, int64_t evidence,
                                                   const std::string& name, std::string bytes);
  Result<std::vector<storage::EvidenceFile>> EvidenceFiles(ExperimentId id);
  Result<storage::EvidenceFile> EvidenceFileOf(ExperimentId id, int64_t file);

  // Public aggregate figures of a municipality's programme.
  Result<MunicipalityOverview> Overview(MunicipalityId m);

  // Match-funding beside a round: officers of its municipality open a campaign before the round
  // is published; residents of the municipality and members of its actors pledge to the round's
  // projects until the deadline; the standing is the fund engine's settlement now (public).
  Result<storage::MatchCampaign> CreateMatchCampaign(const Principal& p, storage::MatchCampaign c);
  Result<std::vector<storage::MatchCampaign>> MatchCampaignsOf(RoundId round);
  Result<storage::MatchPledge> Pledge(const Principal& p, int64_t campaign, const std::string& project_id,
                                      int64_t amount_eur);
  Result<MatchStanding> MatchStandingOf(int64_t campaign);

  // ---- moderation (service/moderation.cc; docs/api.md, "Moderation") ----
  // Any signed-in user reports a comment, a proposal or a profile (target "profile", id = the
  // account) with a reason (1 to 1000 characters) into the queue of the municipality it belongs to
  // (a profile: `municipality` if given, else the account's municipality, else the reporter's).
  // Refused: an unknown or hidden target (NotFound), one's own content or profile and a second open
  // report of the same target by the same person (Conflict).
  Result<storage::Report> ReportContent(const Principal& p, const std::string& target, int64_t id,
                                        const std::string& reason, MunicipalityId municipality = {});
  // The queue of municipality m (its moderators, officers and admins): every item with open
  // reports and every hidden item, oldest report first.
  Result<ModerationPage> ModerationQueue(const Principal& p, MunicipalityId m, int64_t limit, int64_t offset);
  // Moderators (and officers) of the item's municipality hide it with a public reason (its open
  // reports are closed as "hidden") or restore it. Hiding twice or restoring what is not hidden is a
  // Conflict. A profile belongs to every municipality where the account has a role or was reported.
  Result<storage::HiddenItem> Hide(const Principal& p, const std::string& target, int64_t id,
                                   const std::string& reason);
  Status Restore(const Principal& p, const std::string& target, int64_t id);
  // Closes one open report without hiding its target (Conflict when it is closed already).
  Result<storage::Report> DismissReport(const Principal& p, int64_t report);
  // Blocks an account: it can no longer sign in, and its sessions and tokens end at once. The same
  // rights as hiding its profile; one's own account, admins and officers cannot be blocked
  // (PermissionDenied); a blocked account again is a Conflict, as is unblocking one that is not.
  Result<storage::AccountBlock> BlockAccount(const Principal& p, UserId user, const std::string& reason);
  Status UnblockAccount(const Principal& p, UserId user);
  // What the public may know of moderation on a proposal's page (no text, no author): whether the
  // proposal is hidden and why, and the public reasons of its hidden comments (by comment id).
  struct PublicHidden {
    std::optional<storage::HiddenItem> proposal;
    std::vector<storage::HiddenItem> comments;
  };
  Result<PublicHidden> HiddenOnProposal(ProposalId id);

 private:
  // The Right to Challenge (service/task_challenges.h) uses the store lock, Logged and Now.
  friend class TaskChallenges;
  // "Breng in contact" (service/introductions.h) too.
  friend class Introductions;
  // And a municipality's look (service/appearance.h).
  friend class Appearances;
  // Fair votes (service/votes.h) likewise.
  friend class Votes;
  // Support (give) or Unsupport.
  Result<domain::Proposal> ChangeSupport(const Principal& p, ProposalId id, bool give);
  // Moderation helpers (store lock held): the municipality of a comment or proposal; whether the
  // item is hidden; the municipalities an account answers to (its roles and its reports).
  Result<MunicipalityId> MunicipalityOfTarget(const std::string& target, int64_t id);
  Result<bool> IsHidden(const std::string& target, int64_t id);
  // NotFound when the proposal is hidden (it is gone from every public answer).
  Status VisibleProposal(ProposalId id);
  Result<std::vector<MunicipalityId>> MunicipalitiesOfAccount(UserId user);
  std::string Now() const;
  // A new session for `user` (after a password or an identity provider said who it is).
  Result<Session> OpenSession(UserId user);
  // PermissionDenied (with the moderator's reason) when the account is blocked.
  Status RefuseBlocked(UserId user);
  // The municipality of a resident broker's CBS code (Unavailable when not on the platform).
  Result<MunicipalityId> BrokerMunicipality(const IdClaims& c);
  // The account's display name ("" for none or a deleted account), looked up once per `known` (store
  // lock held). Only for answers whose readers may see account names (the audit log's officers).
  std::string DisplayNameLocked(UserId user, std::map<UserId, std::string>& known);
  // `within` runs in the same transaction, after the user is stored (an OIDC link, say). No
  // `password` makes an account that cannot sign in with one (it signs in through a provider).
  Result<domain::User> InsertUser(domain::User user, const std::optional<std::string>& password,
                                  std::vector<domain::RoleGrant> grants,
                                  const std::function<Status(const domain::User&)>& within = nullptr);
  // The municipality a challenge / proposal / experiment belongs to (store lock held).
  Result<MunicipalityId> MunicipalityOfChallenge(ChallengeId id);
  Result<MunicipalityId> MunicipalityOfProposal(ProposalId id);
  // The actors of a coalition that did not decline: whose members act for it (store lock held).
  Result<std::vector<ActorId>> CoalitionActors(CoalitionId id);
  // The key of a round's receipt codes (store lock held for writing: makes the round's salt when
  // it has none).
  Result<std::string> ReceiptKey(RoundId id);
  // Runs `write` and appends its audit entry (after() gives the entity id and its JSON after the
  // change) in one transaction. For a new municipality, `m` may be unset: the new id is used.
  Status Logged(const Principal& p, MunicipalityId m, std::string_view entity, std::string_view action,
                std::string before, const std::function<Status()>& write,
                const std::function<std::pair<int64_t, std::string>()>& after);

  // Holds the store lock for a use case that may write; on release the cached data version is
  // marked stale, so the next read sees the change at once.
  class WriteLock {
   public:
    // Writes go to the writer's Store even inside a ReadLock of this thread.
    explicit WriteLock(Platform& p);
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

   private:
    Platform& p_;
    std::lock_guard<std::mutex> lock_;
    const void* outer_owner_;
    storage::Store* outer_reader_;
  };

  // Holds a reader for a use case that only reads (its store_ is that reader on this thread), or the
  // store lock when the Platform has no readers. Nested ReadLocks share the outer one's reader.
  class ReadLock {
   public:
    explicit ReadLock(Platform& p);
    ~ReadLock();
    ReadLock(const ReadLock&) = delete;
    ReadLock& operator=(const ReadLock&) = delete;

   private:
    std::unique_lock<std::mutex> lock_;
    ReaderPool::Lease lease_;
    bool bound_ = false;  // this ReadLock set the thread's reader
  };

  // The Store of a use case: the reader this thread holds for this Platform (ReadLock), else the
  // writer's Store, so that the use cases' code reads `store_->` either way.
  class StoreRef {
   public:
    explicit StoreRef(std::unique_ptr<storage::Store> writer) : writer_(std::move(writer)) {}
    storage::Store* operator->() const { return &Current(); }
    storage::Store& operator*() const { return Current(); }

   private:
    storage::Store& Current() const;
    std::unique_ptr<storage::Store> writer_;
  };

  StoreRef store_;
  std::unique_ptr<ReaderPool> readers_;
  PlatformOptions options_;
  const Clock& clock_;
  Accounts accounts_;
  // An Argon2id hash at options_.password_cost, verified when an e-mail address is unknown.
  const std::string& DecoyHash();
  std::once_flag decoy_once_;
  std::string decoy_hash_;
  std::mutex mu_;  // guards store_
  // Reads the change feed into follower_ (under mu_).
  Status Follow();
  // Follows the feed when a write happened here or version_ttl passed.
  Status Refresh();
  bool Fresh() const;

  ChangeFollower follower_;
  std::atomic<bool> dirty_{true};       // a write happened since the feed was read
  std::atomic<int64_t> checked_at_{0};  // steady clock, ns
};

}  // namespace weefsel::service
