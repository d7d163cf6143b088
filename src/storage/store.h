// storage/store.h: the one interface to weefsel's persistent data.
//
// A Store holds every entity of domain/model.h. Two backends implement it: SQLite (the embedded
// default, one file, WAL, foreign keys on) and PostgreSQL (libpqxx). The same contract test suite
// (tests/store_contract_test.cc) runs against both. Open() picks the backend from the URL:
// "postgres://..." or "postgresql://..." for PostgreSQL, anything else is a SQLite file path
// (":memory:" for a private in-memory database). Opening applies the numbered migrations of the
// dialect that have not run yet and records the schema version.
//
// Ids: Insert* assigns the new id into the entity passed in (and returns it). If the entity's id
// is already set (> 0), Insert keeps that id (AlreadyExists if it is taken), so exports re-import
// with the same ids; later automatic ids continue above the largest id in use. Update* replaces the
// whole row; a missing row is NotFound. Constraint violations (duplicate CBS code, a tie to an
// unknown actor) are AlreadyExists / InvalidArgument naming the field, never an exception.
//
// Transactions: Transaction(body) runs body inside BEGIN ... COMMIT; if body returns a non-OK
// status (or throws), everything it wrote is rolled back and that status is returned. Calls nest:
// an inner Transaction joins the outer one. Bulk inserts (InsertActors, InsertTies) are one
// transaction each when not already inside one, and use COPY on PostgreSQL.
// (Both backends join through a SAVEPOINT: a failing inner body or a failed write such as a
// duplicate undoes only its own writes and leaves the outer transaction usable; nothing is durable
// until the outermost body succeeds. A throwing body is rolled back and returns Internal.)
//
// Thread-safety: a Store object is used by one thread at a time; open one per thread (or guard it)
// for concurrent use. Several processes may share one SQLite file (busy timeout 5 s).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/appearance.h"
#include "domain/model.h"
#include "domain/task_challenge.h"

namespace weefsel::storage {

// Filters and paging for lists. Unset fields do not filter. Results are ordered by id unless
// `order_by` names a column the list allows (then ties break by id).
struct ListQuery {
  int64_t limit = 0;  // 0 = no limit
  int64_t offset = 0;
  MunicipalityId municipality;
  std::optional<domain::ActorKind> kind;        // actors
  std::string theme;                            // actors, challenges: theme code
  std::string search;                           // case-insensitive substring of name/title
  std::optional<domain::ChallengePhase> phase;  // challenges
  std::string order_by;                         // e.g. "name", "-created_at"
};

struct Counts {
  int64_t municipalities = 0, actors = 0, ties = 0, challenges = 0, coalitions = 0, proposals = 0, rounds = 0,
          ballots = 0, experiments = 0, users = 0;
};

// A signed-in session, stored by the BLAKE2b hash of its id only (the id itself is the cookie).
// The CSRF token is derived from the id (service/accounts.h), so it is not stored.
struct StoredSession {
  std::string id_hash;  // hex
  UserId user;
  std::string created_at, last_seen_at, expires_at;  // ISO 8601 UTC ("2026-11-29T09:38:01Z")
};

// What the retention sweep removes (docs/privacy.md): everything dated before its cutoff (ISO 8601
// UTC text; an empty cutoff keeps that kind). Sessions go when they have expired by `now`.
struct RetentionCutoffs {
  std::string now;                    // sessions with expires_at <= now
  std::string audit_before;           // audit_log.at
  std::string notifications_before;   // notifications.at
  std::string outbox_before;          // outbox.day (a date; compared on its first 10 characters)
  std::string tokens_expired_before;  // api_tokens whose stored expiry is before this
  std::string registrations_before;   // registration_marks.registered_at (migration 14)
};
struct RetentionCounts {
  int64_t sessions = 0, audit = 0, notifications = 0, outbox = 0, tokens = 0, registrations = 0;
};

// An API token, stored by the BLAKE2b hash of the token only.
struct StoredToken {
  int64_t id = 0;
  std::string hash;  // hex
  UserId user;
  std::string name;
  std::string created_at;
  std::string last_used_at;     // empty until first used
  std::string expires_at;       // ISO 8601 UTC; empty for tokens made before expiry existed (migration 7)
  std::string scope = "write";  // "read" (GET only) or "write"
};

// An account's link to a person at an identity provider (OpenID Connect; migration 8, `provider`
// `verified_resident` and `made_account` migration 16).
struct OidcIdentity {
  std::string issuer;
  std::string subject;
  UserId user;
  std::string provider;            // the configured provider's id it was linked through ("" before 16)
  bool verified_resident = false;  // linked through a resident broker (DigiD, docs/oidc.md)
  bool made_account = false;       // its first sign-in made the account (whose password nobody knows)
  std::string created_at;
};

// One line of the audit log: who changed what, when, with the entity before and after (JSON
// text; empty when there is no before or after). The log outlives accounts and entities, so it has
// no foreign keys.
struct AuditEntry {
  int64_t id = 0;
  std::string at;               // ISO 8601 UTC
  UserId user;                  // unset for changes made by the system
  MunicipalityId municipality;  // whose officers may read it
  std::string entity;           // "challenge", "round", "proposal", ...
  int64_t entity_id = 0;
  std::string action;  // "create", "update", "phase", "status", ...
  std::string before, after;
  // The acting account's display name, filled in by the service for the log's readers ("" for the
  // system or a deleted account); not stored.
  std::string user_name;
};

// One funded project of a published round (migration 5): the round's allocation is written once,
// when the round is published, and is what the municipality has committed.
struct Allocation {
  RoundId round;
  std::string project_id;
  ProposalId proposal;  // unset when the project did not come from a proposal
  int64_t amount_eur = 0;
};

// Evidence for one milestone of an experiment and the officer's decision on it (migration 5).
// An approval releases the milestone's amount (`released_eur`); a rejection says why.
struct MilestoneEvidence {
  int64_t id = 0;
  ExperimentId experiment;
  int milestone = 0;  // index into the experiment's milestones
  std::string text;
  std::string link;  // optional http(s) URL
  UserId submitted_by;
  std::string submitted_at;
  std::string decision = "pending";  // pending, approved, rejected
  UserId decided_by;
  std::string decided_at;
  std::string reason;
  int64_t released_eur = 0;
};

// A file attached to milestone evidence (migration 15): a PDF, PNG or JPEG of at most
// kMaxEvidenceFileBytes, its type read from its bytes (service/evidence_files.h). `bytes` is
// filled only by GetEvidenceFile; the lists carry the rest.
inline constexpr int64_t kMaxEvidenceFileBytes = 5 * 1024 * 1024;
struct EvidenceFile {
  int64_t id = 0;
  int64_t evidence = 0;  // milestone_evidence.id
  ExperimentId experiment;
  std::string name;          // as uploaded, for the download's file name
  std::string content_type;  // "application/pdf", "image/png", "image/jpeg"
  int64_t size = 0;
  std::string bytes;
  UserId uploaded_by;
  std::string uploaded_at;
};

// A match-funding campaign beside a round (migration 5): residents pledge to the round's projects
// and the municipality adds ratio_num/ratio_den euro per euro pledged, up to a cap per project and
// the campaign's fund, for projects whose pledges reach their cost by the deadline (fund engine).
struct MatchCampaign {
  int64_t id = 0;
  MunicipalityId municipality;
  RoundId round;
  std::string name;
  int64_t ratio_num = 1;
  int64_t ratio_den = 1;
  int64_t campaign_cap_eur = 0;  // largest match for one project (0: no cap)
  int64_t fund_eur = 0;          // the whole match fund
  std::string deadline;          // date; pledges until the end of that day (UTC) count
  std::string created_at;
};

struct MatchPledge {
  int64_t id = 0;
  int64_t campaign = 0;
  std::string project_id;
  UserId backer;  // personal: never in open data
  int64_t amount_eur = 0;
  std::string at;  // ISO 8601 UTC
};

// An in-app notification (migration 6): made from an audit entry for each user concerned
// (service/notifications.h has the mapping). Account state, like sessions: writing it does not
// change DataVersion(); deleting the user deletes their notifications.
struct Notification {
  int64_t id = 0;
  UserId user;
  std::string at;        // ISO 8601 UTC
  std::string kind;      // "invitation", "comment", "phase", "result", ...
  std::string title;     // Dutch
  std::string title_en;  // English
  std::string link;      // path on the platform, "/proposals/12"
  int64_t audit_id = 0;  // the audit entry it came from (0: none)
  std::string read_at;   // empty while unread
};

// A user's own settings (migration 6); users without a row have the defaults.
struct UserSettings {
  UserId user;
  bool digest = true;           // receive the daily digest by e-mail
  std::string language = "nl";  // "nl" or "en"
};

// One digest message per user per day in the outbox (migration 6): status "sent" or "failed".
struct OutboxEntry {
  int64_t id = 0;
  UserId user;
  std::string day;  // "2026-11-29"
  std::string subject, body;
  std::string status;
  std::string error;
  int attempts = 0;
  std::string updated_at;
};

// A stored snapshot of a municipality's fabric (migration 6): the health indicators and the
// typology as JSON text, taken monthly or on demand.
struct FabricSnapshot {
  int64_t id = 0;
  MunicipalityId municipality;
  std::string taken_at;  // ISO 8601 UTC
  std::string period;    // "2026-11": the month it stands for
  std::string trigger;   // "monthly" or "on_demand"
  std::string health;    // JSON object
  std::string typology;  // JSON object
};

// Change scopes (migration 9): each write records the scopes it changed in the change feed, in the
// same transaction, so that a cache depends on the scopes it read rather than on every write. A
// scope is a kind ("actors": any actor written) or one thing ("round:12"). Entity writes touch their
// kind and their own scopes; the frequent small writes (a ballot, a comment, a support, a review, a
// pledge) touch only the one thing they change, so a ballot in round A leaves round B's results and
// every fabric cached. "fabric:M" changes with the actors and ties of municipality M,
// "municipality:M" with its programme (the record, challenges, rounds, proposals, experiments,
// money); "*" is every scope at once (rare wide changes such as erasing an account).
// A write of one or a few actors or ties touches "actor:N" / "tie:N" for each instead of the kind
// ("actors", "ties"); readers of the feed count them as changes of the kind too
// (service/change_follower.h), and engines that keep themselves current apply just those
// (service/matches.h). A bulk write (more than kFewRows) touches the kind alone. Every write that
// touches "challenges" or "coalitions" also touches the challenge's own scope.
namespace scope {
inline constexpr std::string_view kAll = "*";
inline std::string Of(std::string_view kind, int64_t id) { return std::string(kind) + ":" + std::to_string(id); }
inline constexpr size_t kFewRows = 64;
inline std::string Actor(ActorId a) { return Of("actor", a.value()); }
inline std::string Tie(TieId t) { return Of("tie", t.value()); }
inline std::string Fabric(MunicipalityId m) { return Of("fabric", m.value()); }
inline std::string Municipality(MunicipalityId m) { return Of("municipality", m.value()); }
inline std::string Challenge(ChallengeId c) { return Of("challenge", c.value()); }
inline std::string Proposal(ProposalId p) { return Of("proposal", p.value()); }
inline std::string Round(RoundId r) { return Of("round", r.value()); }
inline std::string Experiment(ExperimentId e) { return Of("experiment", e.value()); }
inline std::string TaskChallenge(TaskChallengeId c) { return Of("task_challenge", c.value()); }
}  // namespace scope

// One row of the change feed: a write's id (increasing in the order writes took it, which under
// PostgreSQL need not be the order they committed) and one scope it changed.
struct Change {
  int64_t id = 0;
  std::string scope;
};

// ---- moderation (migration 10) ----
// A resident's report of a comment, a proposal or a profile (an account's public face: its display
// name on comments), with a reason, in the queue of one municipality. A report is open until a
// moderator acts on its target: "hidden" when the target was hidden, "dismissed" when the report
// was judged unfounded. The reporter is personal data: never in open data, not shown in the queue.
struct Report {
  int64_t id = 0;
  MunicipalityId municipality;
  std::string target;  // "comment", "proposal" or "profile"
  int64_t target_id = 0;
  UserId reporter;
  std::string reason;
  std::string created_at;
  std::string status = "open";  // open, hidden, dismissed
  UserId resolved_by;
  std::string resolved_at;
};

// A hidden comment, proposal or profile with its public reason. Hidden comments and proposals are
// left out of CommentsOf and ProposalsOf (and so of every page and export built on them); a hidden
// profile's display name is replaced by "hidden profile" on comments.
struct HiddenItem {
  std::string target;  // as Report::target
  int64_t target_id = 0;
  MunicipalityId municipality;
  std::string reason;  // public: shown where the item was
  UserId hidden_by;
  std::string hidden_at;
};

// A blocked account: it cannot sign in, and its sessions and API tokens are gone.
struct AccountBlock {
  UserId user;
  MunicipalityId municipality;  // whose moderator blocked it (unset: an admin)
  std::string reason;
  UserId blocked_by;
  std::string at;
};

// ---- fair votes (migration 12; docs/decisions/0004-secret-ballot.md) ----
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
// Codes and census lines of one wijk ("" for codes of the whole municipality).
struct VoteTally {
  std::string wijk;
  int64_t total = 0, used = 0;
};
// A ballot of a restricted round: under the hash of the ballot token its voter keeps, never under
// an account or a code. BallotsOf lists it with no voter and no id.
struct SealedBallot {
  RoundId round;
  std::string token_hash;
  domain::BallotKind kind = domain::BallotKind::kApproval;
  std::vector<domain::BallotEntry> entries;
};

// ---- limits against bulk registration (migration 14) ----
// When an account registered itself, and from where: the keyed hash of its address's network
// prefix (service/registration_gate.h), never the address. Kept for a retention period
// (RetentionCutoffs::registrations_before); officers see accounts grouped by it.
struct RegistrationMark {
  UserId user;
  std::string address_key;
  std::string registered_at;  // ISO 8601 UTC
  std::string display_name;   // read only (from the account)
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens (creating if needed) and migrates the database at `url`.
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  // A further connection to the database at `url`, already opened and migrated by Open, that only
  // reads: every write through it fails (SQLite: query_only; PostgreSQL: read-only transactions).
  // Several readers let reads run beside each other and beside the writer (service::ReaderPool).
  // FailedPrecondition for a private in-memory SQLite database.
  static Result<std::unique_ptr<Store>> OpenReader(const std::string& url);

  virtual std::string Dialect() const = 0;  // "sqlite" or "postgres"
  virtual Result<int> SchemaVersion() = 0;
  virtual Status Transaction(const std::function<Status()>& body) = 0;
  virtual Result<Counts> Count() = 0;
  // The highest id of the change feed: it grows whenever any entity changes.
  virtual Result<int64_t> DataVersion() = 0;
  // The change feed after `after` (at most `limit` rows, by id) and the oldest id the feed still
  // holds (older rows are pruned once 100,000 newer ones exist; a reader further behind than that
  // must assume everything changed).
  struct ChangePage {
    std::vector<Change> changes;
    int64_t oldest = 0;
  };
  virtual Result<ChangePage> ChangesSince(int64_t after, int limit) = 0;

  // Municipalities: cbs_code is unique.
  virtual Result<MunicipalityId> Insert(domain::Municipality& m) = 0;
  virtual Status Update(const domain::Municipality& m) = 0;
  virtual Result<domain::Municipality> GetMunicipality(MunicipalityId id) = 0;
  virtual Result<domain::Municipality> GetMunicipalityByCode(const std::string& cbs_code) = 0;
  virtual Result<std::vector<domain::Municipality>> ListMunicipalities(const ListQuery& q = {}) = 0;

  // Actors.
  virtual Result<ActorId> Insert(domain::Actor& a) = 0;
  virtual Status InsertActors(std::vector<domain::Actor>& actors) = 0;  // bulk; assigns ids
  virtual Status Update(const domain::Actor& a) = 0;
  virtual Status DeleteActor(ActorId id) = 0;  // and its ties
  virtual Result<domain::Actor> GetActor(ActorId id) = 0;
  virtual Result<std::vector<domain::Actor>> ListActors(const ListQuery& q = {}) = 0;

  // Ties (undirected; stored with a < b).
  virtual Result<TieId> Insert(domain::Tie& t) = 0;
  virtual Status InsertTies(std::vector<domain::Tie>& ties) = 0;  // bulk; assigns ids
  virtual Status DeleteTie(TieId id) = 0;
  virtual Result<std::vector<domain::Tie>> ListTies(const ListQuery& q = {}) = 0;  // municipality: either end's
  virtual Result<std::vector<domain::Tie>> TiesOf(ActorId actor) = 0;
  virtual Result<domain::Tie> GetTie(TieId id) = 0;  // NotFound when there is none

  // Challenges.
  virtual Result<ChallengeId> Insert(domain::Challenge& c) = 0;
  virtual Status Update(const domain::Challenge& c) = 0;
  virtual Result<domain::Challenge> GetChallenge(ChallengeId id) = 0;
  virtual Result<std::vector<domain::Challenge>> ListChallenges(const ListQuery& q = {}) = 0;

  // Coalitions (with their members).
  virtual Result<CoalitionId> Insert(domain::Coalition& c) = 0;
  virtual Status Update(const domain::Coalition& c) = 0;
  virtual Result<domain::Coalition> GetCoalition(CoalitionId id) = 0;
  virtual Result<std::vector<domain::Coalition>> CoalitionsOf(ChallengeId challenge) = 0;

  // Proposals (with their versions).
  virtual Result<ProposalId> Insert(domain::Proposal& p) = 0;
  virtual Status Update(const domain::Proposal& p) = 0;
  virtual Result<domain::Proposal> GetProposal(ProposalId id) = 0;
  virtual Result<std::vector<domain::Proposal>> ProposalsOf(ChallengeId challenge) = 0;

  // Rounds (with their projects) and ballots. One ballot per voter per round: PutBallot replaces.
  virtual Result<RoundId> Insert(domain::Round& r) = 0;
  virtual Status Update(const domain::Round& r) = 0;
  virtual Result<domain::Round> GetRound(RoundId id) = 0;
  virtual Result<std::vector<domain::Round>> ListRounds(const ListQuery& q = {}) = 0;
  virtual Result<BallotId> PutBallot(domain::Ballot& b) = 0;
  virtual Result<std::vector<domain::Ballot>> BallotsOf(RoundId round) = 0;

  // Experiments (with indicators, measurements and milestones).
  virtual Result<ExperimentId> Insert(domain::Experiment& e) = 0;
  virtual Status Update(const domain::Experiment& e) = 0;
  virtual Result<domain::Experiment> GetExperiment(ExperimentId id) = 0;
  virtual Result<std::vector<domain::Experiment>> ListExperiments(const ListQuery& q = {}) = 0;

  // Users and their roles. email is unique (case-insensitive).
  virtual Result<UserId> Insert(domain::User& u) = 0;
  virtual Status Update(const domain::User& u) = 0;
  virtual Result<domain::User> GetUser(UserId id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& email) = 0;
  virtual Status Grant(const domain::RoleGrant& g) = 0;
  virtual Status Revoke(const domain::RoleGrant& g) = 0;
  virtual Result<std::vector<domain::RoleGrant>> GrantsOf(UserId user) = 0;

  // Sessions and API tokens (migration 3). They are account state, not open data: writing them
  // does not change DataVersion(). Deleting a user deletes their sessions and tokens.
  virtual Status PutSession(const StoredSession& s) = 0;                     // AlreadyExists on a taken hash
  virtual Result<StoredSession> GetSession(const std::string& id_hash) = 0;  // NotFound
  // Records activity; a non-empty `expires_at` also moves the expiry (sliding sessions).
  virtual Status TouchSession(const std::string& id_hash, const std::string& last_seen_at,
                              const std::string& expires_at = "") = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;                 // absent: OK
  virtual Result<int64_t> DeleteSessionsExpiredBy(const std::string& now) = 0;  // expires_at <= now; returns count
  // The retention sweep: deletes what is older than its cutoff, in one transaction; the counts.
  virtual Result<RetentionCounts> Purge(const RetentionCutoffs& c) = 0;
  virtual Result<int64_t> Insert(StoredToken& t) = 0;                       // assigns t.id
  virtual Result<StoredToken> GetTokenByHash(const std::string& hash) = 0;  // NotFound
  virtual Status TouchToken(int64_t id, const std::string& last_used_at) = 0;
  virtual Result<std::vector<StoredToken>> TokensOf(UserId user) = 0;  // oldest first
  virtual Status DeleteToken(int64_t id) = 0;                          // NotFound
  // Accounts of an identity provider (OpenID Connect): the account of (issuer, subject), NotFound
  // when none; Link records it (AlreadyExists when the pair is linked already, NotFound naming
  // oidc_identity.user for an unknown account); the links of an account, oldest first; Unlink
  // removes one link of the account (NotFound when it has no such link).
  virtual Result<UserId> FindOidcIdentity(const std::string& issuer, const std::string& subject) = 0;
  virtual Status LinkOidcIdentity(const OidcIdentity& identity) = 0;
  virtual Result<std::vector<OidcIdentity>> OidcIdentitiesOf(UserId user) = 0;
  virtual Status UnlinkOidcIdentity(UserId user, const std::string& issuer, const std::string& subject) = 0;

  // Comments on proposals (oldest first), with replies through `parent` (a comment of the same
  // proposal). The author's display name is filled in on read.
  virtual Result<int64_t> Insert(domain::Comment& c) = 0;
  virtual Result<std::vector<domain::Comment>> CommentsOf(ProposalId proposal) = 0;

  // Supports: one per user per proposal (AlreadyExists on a second). AddSupport also counts it in
  // proposals.supports in the same transaction and returns the new count.
  virtual Result<int64_t> AddSupport(ProposalId proposal, UserId user, const std::string& at) = 0;
  virtual Result<bool> HasSupported(ProposalId proposal, UserId user) = 0;
  // Withdraws the user's support (NotFound when there is none), takes it off proposals.supports in
  // the same transaction and returns the new count.
  virtual Result<int64_t> RemoveSupport(ProposalId proposal, UserId user) = 0;

  // The audit log (migration 4): appended in the transaction of the change it records; never
  // updated. Writing it does not change DataVersion() on its own.
  virtual Result<int64_t> Append(AuditEntry& e) = 0;
  virtual Result<std::vector<AuditEntry>> AuditOf(const std::string& entity, int64_t entity_id) = 0;  // oldest first

  // Reviews (migration 4): one per reviewer per project of a round; PutReview replaces it.
  virtual Result<int64_t> PutReview(domain::Review& r) = 0;
  virtual Result<std::vector<domain::Review>> ReviewsOf(RoundId round) = 0;  // by project, then reviewer

  // ---- migration 6: notifications, settings, the digest outbox, account self-service, snapshots.
  // Users with any role in a municipality (officer or resident), and the members of an actor;
  // ascending ids, each once.
  virtual Result<std::vector<UserId>> UsersWithRoleIn(MunicipalityId m) = 0;
  virtual Result<std::vector<UserId>> MembersOf(ActorId a) = 0;
  virtual Result<int64_t> Insert(Notification& n) = 0;  // assigns n.id
  // A user's notifications: unread first, then newest first; `limit` 0 = all.
  virtual Result<std::vector<Notification>> NotificationsOf(UserId user, int64_t limit, int64_t offset) = 0;
  virtual Result<int64_t> UnreadNotifications(UserId user) = 0;
  // Marks the user's notifications with these ids (all unread ones when `ids` is empty) read at
  // `at`; ids of other users' notifications are ignored. Returns how many changed.
  virtual Result<int64_t> MarkNotificationsRead(UserId user, const std::vector<int64_t>& ids,
                                                const std::string& at) = 0;
  // Every notification whose `at` starts with `day` ("2026-11-29"), by user then id.
  virtual Result<std::vector<Notification>> NotificationsOn(const std::string& day) = 0;
  virtual Result<UserSettings> GetUserSettings(UserId user) = 0;  // defaults when none stored
  virtual Status PutUserSettings(const UserSettings& s) = 0;
  // The outbox entry of a user and day; NotFound when none.
  virtual Result<OutboxEntry> GetOutbox(UserId user, const std::string& day) = 0;
  virtual Status PutOutbox(OutboxEntry& e) = 0;  // insert or replace the (user, day) entry
  // What is stored about a user beyond their account row (for their data download).
  virtual Result<std::vector<ProposalId>> SupportsOf(UserId user) = 0;
  virtual Result<std::vector<domain::Comment>> CommentsBy(UserId user) = 0;
  virtual Result<std::vector<domain::Ballot>> BallotsBy(UserId user) = 0;
  // Deletes the account and everything that hangs on it (sessions, tokens, grants, supports,
  // notifications, settings, outbox); comments stay with no author; the user's ballots are moved
  // to a new anonymous voter account (no e-mail of theirs, no name, no password, no roles) so
  // they stay counted without naming anyone. NotFound for an unknown user.
  virtual Status DeleteUserKeepingBallots(UserId user, const std::string& anonymous_key) = 0;
  virtual Result<int64_t> Insert(FabricSnapshot& s) = 0;                          // assigns s.id; changes DataVersion()
  virtual Result<std::vector<FabricSnapshot>> SnapshotsOf(MunicipalityId m) = 0;  // oldest first
  // Round allocations (migration 5). PutAllocations replaces the round's rows.
  virtual Status PutAllocations(RoundId round, const std::vector<Allocation>& rows) = 0;
  virtual Result<std::vector<Allocation>> AllocationsOf(RoundId round) = 0;  // by project_id
  virtual Result<std::vector<Allocation>> AllocationsOfProposal(ProposalId proposal) = 0;

  // Milestone evidence (migration 5), oldest first.
  virtual Result<int64_t> Insert(MilestoneEvidence& e) = 0;  // assigns e.id
  virtual Status Update(const MilestoneEvidence& e) = 0;     // NotFound
  virtual Result<MilestoneEvidence> GetEvidence(int64_t id) = 0;
  virtual Result<std::vector<MilestoneEvidence>> EvidenceOf(ExperimentId experiment) = 0;
  // Files attached to evidence (migration 15), oldest first. Insert assigns f.id (NotFound naming
  // `file.evidence` for unknown evidence); the lists leave `bytes` empty; GetEvidenceFile fills it.
  virtual Result<int64_t> Insert(EvidenceFile& f) = 0;
  virtual Result<EvidenceFile> GetEvidenceFile(int64_t id) = 0;
  virtual Result<std::vector<EvidenceFile>> EvidenceFilesOf(ExperimentId experiment) = 0;

  // Match-funding campaigns and pledges (migration 5), oldest first.
  virtual Result<int64_t> Insert(MatchCampaign& c) = 0;  // assigns c.id
  virtual Result<MatchCampaign> GetMatchCampaign(int64_t id) = 0;
  virtual Result<std::vector<MatchCampaign>> MatchCampaignsOf(RoundId round) = 0;
  virtual Result<int64_t> Insert(MatchPledge& p) = 0;  // assigns p.id
  virtual Result<std::vector<MatchPledge>> PledgesOf(int64_t campaign) = 0;

  // ---- moderation (migration 10). Reports and blocks are account state (DataVersion() stays);
  // hiding and restoring change public answers, so they change DataVersion().
  // A comment by id, hidden or not (NotFound).
  virtual Result<domain::Comment> GetComment(int64_t id) = 0;
  // Assigns r.id; AlreadyExists when the reporter has an open report on the same target.
  virtual Result<int64_t> Insert(Report& r) = 0;
  virtual Result<Report> GetReport(int64_t id) = 0;  // NotFound
  // The reports of a municipality, oldest first; `status` "" gives every status.
  virtual Result<std::vector<Report>> ReportsIn(MunicipalityId m, const std::string& status) = 0;
  // The reports an account made, oldest first (its own data: GET /me/data).
  virtual Result<std::vector<Report>> ReportsBy(UserId reporter) = 0;
  // Closes the open reports of a target (or the one report `id` when id > 0) with `status`;
  // returns how many changed.
  virtual Result<int64_t> ResolveReports(const std::string& target, int64_t target_id, int64_t id,
                                         const std::string& status, UserId by, const std::string& at) = 0;
  virtual Status Hide(const HiddenItem& h) = 0;                             // AlreadyExists when hidden already
  virtual Status Unhide(const std::string& target, int64_t target_id) = 0;  // NotFound when not hidden
  virtual Result<HiddenItem> GetHidden(const std::string& target, int64_t target_id) = 0;  // NotFound
  virtual Result<std::vector<HiddenItem>> HiddenIn(MunicipalityId m) = 0;                  // oldest first
  // The ids of every hidden item of one kind ("comment", "proposal", "profile"), ascending.
  virtual Result<std::vector<int64_t>> HiddenIds(const std::string& target) = 0;
  // The same, of the items hidden in one municipality (what a list of that municipality's
  // proposals or comments needs; profiles are hidden platform-wide: use HiddenIds).
  virtual Result<std::vector<int64_t>> HiddenIdsIn(const std::string& target, MunicipalityId m) = 0;
  // One page of a municipality's moderation queue: the targets with an open report or hidden in
  // it, each once, ordered by their first open report or hiding (then target, id), with the
  // queue's length. Read in the store so that a long queue is not read whole for one page.
  struct QueuePage {
    int64_t total = 0;
    std::vector<std::pair<std::string, int64_t>> targets;
  };
  virtual Result<QueuePage> ModerationTargets(MunicipalityId m, int64_t limit, int64_t offset) = 0;
  // The open reports of one target, oldest first.
  virtual Result<std::vector<Report>> OpenReportsOn(const std::string& target, int64_t target_id) = 0;
  // Blocks an account and deletes its sessions and API tokens (AlreadyExists when blocked).
  virtual Status Block(const AccountBlock& b) = 0;
  virtual Status Unblock(UserId user) = 0;                 // NotFound when not blocked
  virtual Result<AccountBlock> GetBlock(UserId user) = 0;  // NotFound when not blocked

  // ---- the Right to Challenge (migration 11; domain/task_challenge.h). Writes change the scopes
  // "tasks" / "task_challenges", the one task challenge and the municipality's programme.
  virtual Result<TaskId> Insert(domain::MunicipalTask& t) = 0;  // assigns t.id
  virtual Status Update(const domain::MunicipalTask& t) = 0;    // NotFound
  virtual Result<domain::MunicipalTask> GetTask(TaskId id) = 0;
  virtual Result<std::vector<domain::MunicipalTask>> TasksOf(MunicipalityId m) = 0;  // by id
  virtual Result<TaskChallengeId> Insert(domain::TaskChallenge& c) = 0;              // assigns c.id
  virtual Status Update(const domain::TaskChallenge& c) = 0;                         // NotFound
  virtual Result<domain::TaskChallenge> GetTaskChallenge(TaskChallengeId id) = 0;
  // The challenges filed in m (every municipality when m is unset), by id.
  virtual Result<std::vector<domain::TaskChallenge>> TaskChallengesOf(MunicipalityId m) = 0;
  // The challenge whose agreement made this proposal; NotFound when none did.
  virtual Result<domain::TaskChallenge> TaskChallengeOfProposal(ProposalId p) = 0;
  // The municipality's step days (empty map when it set none).
  virtual Result<domain::TaskChallengeSettings> GetTaskChallengeSettings(MunicipalityId m) = 0;
  virtual Status PutTaskChallengeSettings(const domain::TaskChallengeSettings& s) = 0;

  // ---- migration 13: how a municipality's pages look (domain/appearance.h).
  // The municipality's appearance (every field empty when none was set; NotFound for no municipality
  // is not checked here: the caller reads the municipality first).
  virtual Result<domain::Appearance> GetAppearance(MunicipalityId m) = 0;
  // Replaces it whole (Validate first); InvalidArgument naming the field, NotFound-like foreign key
  // error for an unknown municipality.
  virtual Status PutAppearance(const domain::Appearance& a) = 0;
  // ---- fair votes (migration 12). Codes, census lines, marks and sealed ballots are written
  // without a time. Sealed ballots change the round's scope (its results); the rest does not.
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

  // ---- limits against bulk registration (migration 14).
  // Records how an account registered (one mark per account; AlreadyExists for a second).
  virtual Status PutRegistrationMark(const RegistrationMark& m) = 0;
  // The marks of accounts with a resident role in municipality m, by address key then time.
  virtual Result<std::vector<RegistrationMark>> RegistrationMarksOf(MunicipalityId m) = 0;
  // Voids the ballots of `users` in the round in one write: their (open) ballots are deleted and
  // they are marked voided, so they cannot vote in the round again; the number of ballots deleted.
  // Changes the round's scope (its results).
  virtual Result<int64_t> VoidBallots(RoundId round, const std::vector<UserId>& users) = 0;
  virtual Result<std::vector<UserId>> VoidedVotersOf(RoundId round) = 0;  // by id
};

}  // namespace weefsel::storage
