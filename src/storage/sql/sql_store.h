// storage/sql/sql_store.h: the Store written once in SQL, over a SqlConnection (internal to storage/).
//
// SqlStore owns its connection and implements every Store method with portable SQL, one file per
// concept in storage/sql/ (the comments below name them), one row reader per entity; what differs
// between SQLite and PostgreSQL (placeholders, bulk COPY, id sequences, error decoding) lives in
// the connection. Every write validates with domain::Validate first, runs in a transaction (a
// savepoint when nested) and bumps the data version. Nested Transaction() calls use savepoints:
// an inner failure undoes only the inner work; nothing is durable until the outermost commit.
// Thread-safety: one thread at a time, like every Store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/migrations.h"
#include "storage/sql/sql_connection.h"
#include "storage/store.h"

namespace weefsel::storage::sql {

class SqlStore final : public Store {
 public:
  // Takes the connection, applies the pending `migrations`, returns the ready store.
  static Result<std::unique_ptr<Store>> Create(std::unique_ptr<SqlConnection> conn,
                                               const std::vector<Migration>& migrations);
  // Takes a further connection (a reader, or a writer beside the first) and migrates nothing: the
  // schema must be there already (FailedPrecondition otherwise, naming the database).
  static Result<std::unique_ptr<Store>> Attach(std::unique_ptr<SqlConnection> conn);

  std::string Dialect() const override { return conn_->Dialect(); }
  Result<int> SchemaVersion() override;
  Status Transaction(const std::function<Status()>& body) override;
  Result<Counts> Count() override;
  // The change feed.
  Result<int64_t> DataVersion() override;
  Result<ChangePage> ChangesSince(int64_t after, int limit) override;

  // municipalities.cc: municipalities and their appearance.
  Result<MunicipalityId> Insert(domain::Municipality& m) override;
  Status Update(const domain::Municipality& m) override;
  Result<domain::Municipality> GetMunicipality(MunicipalityId id) override;
  Result<domain::Municipality> GetMunicipalityByCode(const std::string& cbs_code) override;
  Result<std::vector<domain::Municipality>> ListMunicipalities(const ListQuery& q) override;
  Result<domain::Appearance> GetAppearance(MunicipalityId m) override;
  Status PutAppearance(const domain::Appearance& a) override;

  // network.cc: actors, ties, fabric snapshots.
  Result<ActorId> Insert(domain::Actor& a) override;
  Status InsertActors(std::vector<domain::Actor>& actors) override;
  Status Update(const domain::Actor& a) override;
  Status DeleteActor(ActorId id) override;
  Result<domain::Actor> GetActor(ActorId id) override;
  Result<std::vector<domain::Actor>> ListActors(const ListQuery& q) override;
  Result<TieId> Insert(domain::Tie& t) override;
  Status InsertTies(std::vector<domain::Tie>& ties) override;
  Status DeleteTie(TieId id) override;
  Result<std::vector<domain::Tie>> ListTies(const ListQuery& q) override;
  Result<std::vector<domain::Tie>> TiesOf(ActorId actor) override;
  Result<domain::Tie> GetTie(TieId id) override;
  Result<int64_t> Insert(FabricSnapshot& s) override;
  Result<std::vector<FabricSnapshot>> SnapshotsOf(MunicipalityId m) override;

  // challenges.cc: challenges.
  Result<ChallengeId> Insert(domain::Challenge& c) override;
  Status Update(const domain::Challenge& c) override;
  Result<domain::Challenge> GetChallenge(ChallengeId id) override;
  Result<std::vector<domain::Challenge>> ListChallenges(const ListQuery& q) override;

  // coalitions.cc: coalitions.
  Result<CoalitionId> Insert(domain::Coalition& c) override;
  Status Update(const domain::Coalition& c) override;
  Result<domain::Coalition> GetCoalition(CoalitionId id) override;
  Result<std::vector<domain::Coalition>> CoalitionsOf(ChallengeId challenge) override;
  Result<std::vector<domain::Coalition>> CoalitionsOfChallenges(const std::vector<ChallengeId>& challenges) override;

  // proposals.cc: proposals, comments, supports.
  Result<ProposalId> Insert(domain::Proposal& p) override;
  Status Update(const domain::Proposal& p) override;
  Result<domain::Proposal> GetProposal(ProposalId id) override;
  Result<std::vector<domain::Proposal>> ProposalsOf(ChallengeId challenge) override;
  Result<int64_t> Insert(domain::Comment& c) override;
  Result<std::vector<domain::Comment>> CommentsOf(ProposalId proposal) override;
  Result<domain::Comment> GetComment(int64_t id) override;
  Result<std::vector<domain::Comment>> CommentsBy(UserId user) override;
  Result<int64_t> AddSupport(ProposalId proposal, UserId user, const std::string& at) override;
  Result<bool> HasSupported(ProposalId proposal, UserId user) override;
  Result<int64_t> RemoveSupport(ProposalId proposal, UserId user) override;
  Result<std::vector<ProposalId>> SupportsOf(UserId user) override;

  // rounds.cc: rounds, ballots, reviews, allocations.
  Result<RoundId> Insert(domain::Round& r) override;
  Status Update(const domain::Round& r) override;
  Result<domain::Round> GetRound(RoundId id) override;
  Result<std::vector<domain::Round>> ListRounds(const ListQuery& q) override;
  Result<BallotId> PutBallot(domain::Ballot& b) override;
  Result<BallotId> CastBallot(domain::Ballot& b) override;
  Result<std::vector<domain::Ballot>> BallotsOf(RoundId round) override;
  Result<std::vector<domain::Ballot>> BallotsBy(UserId user) override;
  Result<int64_t> PutReview(domain::Review& r) override;
  Result<std::vector<domain::Review>> ReviewsOf(RoundId round) override;
  Status PutAllocations(RoundId round, const std::vector<Allocation>& rows) override;
  Result<std::vector<Allocation>> AllocationsOf(RoundId round) override;
  Result<std::vector<Allocation>> AllocationsOfProposal(ProposalId proposal) override;

  // fair_votes.cc: fair votes.
  Result<std::string> GetRoundSalt(RoundId round) override;
  Status PutRoundSalt(RoundId round, const std::string& salt) override;
  Status InsertVotingCodes(RoundId round, const std::vector<VotingCode>& codes) override;
  Result<VotingCode> GetVotingCode(RoundId round, const std::string& hash) override;
  Result<bool> UseVotingCode(RoundId round, const std::string& hash) override;
  Result<std::vector<VoteTally>> VotingCodeTally(RoundId round) override;
  Status ReplaceCensus(RoundId round, const std::vector<CensusEntry>& entries) override;
  Result<CensusEntry> GetCensusEntry(RoundId round, const std::string& hash) override;
  Result<bool> MarkCensusVoted(RoundId round, const std::string& hash) override;
  Result<std::vector<VoteTally>> CensusTally(RoundId round) override;
  Result<bool> MarkVerifiedVoter(RoundId round, UserId user) override;
  Status PutSealedBallot(const SealedBallot& b) override;
  Result<SealedBallot> GetSealedBallot(RoundId round, const std::string& token_hash) override;
  Result<std::vector<UserId>> VerifiedVotersOf(RoundId round) override;
  Result<int64_t> VoidBallots(RoundId round, const std::vector<UserId>& users) override;
  Result<std::vector<UserId>> VoidedVotersOf(RoundId round) override;

  // experiments.cc: experiments and money.
  Result<ExperimentId> Insert(domain::Experiment& e) override;
  Status Update(const domain::Experiment& e) override;
  Result<domain::Experiment> GetExperiment(ExperimentId id) override;
  Result<std::vector<domain::Experiment>> ListExperiments(const ListQuery& q) override;
  Result<int64_t> Insert(MilestoneEvidence& e) override;
  Status Update(const MilestoneEvidence& e) override;
  Result<MilestoneEvidence> GetEvidence(int64_t id) override;
  Result<std::vector<MilestoneEvidence>> EvidenceOf(ExperimentId experiment) override;
  Result<int64_t> Insert(MatchCampaign& c) override;
  Result<MatchCampaign> GetMatchCampaign(int64_t id) override;
  Result<std::vector<MatchCampaign>> MatchCampaignsOf(RoundId round) override;
  Result<int64_t> Insert(MatchPledge& p) override;
  Result<std::vector<MatchPledge>> PledgesOf(int64_t campaign) override;

  // files.cc: evidence files.
  Result<int64_t> Insert(EvidenceFile& f) override;
  Result<EvidenceFile> GetEvidenceFile(int64_t id) override;
  Result<std::vector<EvidenceFile>> EvidenceFilesOf(ExperimentId experiment) override;

  // accounts.cc: accounts.
  Result<UserId> Insert(domain::User& u) override;
  Status Update(const domain::User& u) override;
  Result<domain::User> GetUser(UserId id) override;
  Result<domain::User> GetUserByEmail(const std::string& email) override;
  Status Grant(const domain::RoleGrant& g) override;
  Status Revoke(const domain::RoleGrant& g) override;
  Result<std::vector<domain::RoleGrant>> GrantsOf(UserId user) override;
  Result<std::vector<UserId>> UsersWithRoleIn(MunicipalityId m) override;
  Result<std::vector<UserId>> MembersOf(ActorId a) override;
  Result<UserSettings> GetUserSettings(UserId user) override;
  Status PutUserSettings(const UserSettings& s) override;
  Status DeleteUserKeepingBallots(UserId user, const std::string& anonymous_key) override;
  Status PutRegistrationMark(const RegistrationMark& m) override;
  Result<std::vector<RegistrationMark>> RegistrationMarksOf(MunicipalityId m) override;

  // sessions.cc: sessions, tokens, identity links.
  Status PutSession(const StoredSession& s) override;
  Result<StoredSession> GetSession(const std::string& id_hash) override;
  Status TouchSession(const std::string& id_hash, const std::string& last_seen_at,
                      const std::string& expires_at = "") override;
  Status DeleteSession(const std::string& id_hash) override;
  Result<int64_t> DeleteSessionsExpiredBy(const std::string& now) override;
  Result<int64_t> Insert(StoredToken& t) override;
  Result<StoredToken> GetTokenByHash(const std::string& hash) override;
  Status TouchToken(int64_t id, const std::string& last_used_at) override;
  Result<std::vector<StoredToken>> TokensOf(UserId user) override;
  Status DeleteToken(int64_t id) override;
  Result<UserId> FindOidcIdentity(const std::string& issuer, const std::string& subject) override;
  Status LinkOidcIdentity(const OidcIdentity& identity) override;
  Result<std::vector<OidcIdentity>> OidcIdentitiesOf(UserId user) override;
  Status UnlinkOidcIdentity(UserId user, const std::string& issuer, const std::string& subject) override;

  // sessions.cc: the retention sweep.
  Result<RetentionCounts> Purge(const RetentionCutoffs& c) override;

  // notifications.cc: notifications and the outbox.
  Result<int64_t> Insert(Notification& n) override;
  Status InsertNotifications(const std::vector<Notification>& ns) override;
  Result<std::vector<Notification>> NotificationsOf(UserId user, int64_t limit, int64_t offset) override;
  Result<int64_t> UnreadNotifications(UserId user) override;
  Result<int64_t> MarkNotificationsRead(UserId user, const std::vector<int64_t>& ids, const std::string& at) override;
  Result<std::vector<Notification>> NotificationsOn(const std::string& day) override;
  Result<OutboxEntry> GetOutbox(UserId user, const std::string& day) override;
  Status PutOutbox(OutboxEntry& e) override;

  // audit.cc: the audit log.
  Result<int64_t> Append(AuditEntry& e) override;
  Result<std::vector<AuditEntry>> AuditOf(const std::string& entity, int64_t entity_id) override;

  // moderation.cc: moderation.
  Result<int64_t> Insert(Report& r) override;
  Result<Report> GetReport(int64_t id) override;
  Result<std::vector<Report>> ReportsIn(MunicipalityId m, const std::string& status) override;
  Result<std::vector<Report>> ReportsBy(UserId reporter) override;
  Result<int64_t> ResolveReports(const std::string& target, int64_t target_id, int64_t id, const std::string& status,
                                 UserId by, const std::string& at) override;
  Status Hide(const HiddenItem& h) override;
  Status Unhide(const std::string& target, int64_t target_id) override;
  Result<HiddenItem> GetHidden(const std::string& target, int64_t target_id) override;
  Result<std::vector<HiddenItem>> HiddenIn(MunicipalityId m) override;
  Result<std::vector<int64_t>> HiddenIds(const std::string& target) override;
  Result<std::vector<int64_t>> HiddenIdsIn(const std::string& target, MunicipalityId m) override;
  Result<QueuePage> ModerationTargets(MunicipalityId m, int64_t limit, int64_t offset) override;
  Result<std::vector<Report>> OpenReportsOn(const std::string& target, int64_t target_id) override;
  Status Block(const AccountBlock& b) override;
  Status Unblock(UserId user) override;
  Result<AccountBlock> GetBlock(UserId user) override;

  // task_challenges.cc: the Right to Challenge.
  Result<TaskId> Insert(domain::MunicipalTask& t) override;
  Status Update(const domain::MunicipalTask& t) override;
  Result<domain::MunicipalTask> GetTask(TaskId id) override;
  Result<std::vector<domain::MunicipalTask>> TasksOf(MunicipalityId m) override;
  Result<TaskChallengeId> Insert(domain::TaskChallenge& c) override;
  Status Update(const domain::TaskChallenge& c) override;
  Result<domain::TaskChallenge> GetTaskChallenge(TaskChallengeId id) override;
  Result<std::vector<domain::TaskChallenge>> TaskChallengesOf(MunicipalityId m) override;
  Result<domain::TaskChallenge> TaskChallengeOfProposal(ProposalId p) override;
  Result<domain::TaskChallengeSettings> GetTaskChallengeSettings(MunicipalityId m) override;
  Status PutTaskChallengeSettings(const domain::TaskChallengeSettings& s) override;

 private:
  explicit SqlStore(std::unique_ptr<SqlConnection> conn) : conn_(std::move(conn)) {}

  struct FkRef {
    std::string field;  // "tie.b"
    std::string table;  // "actors"
    int64_t id;
  };

  Status Migrate(const std::vector<Migration>& migrations);
  // A write: body in a transaction (savepoint when nested); the scopes it touched are appended to
  // the change feed in the same transaction ("*" when it touched none, so nothing goes stale).
  Status Write(const std::function<Status()>& body);
  // Inside a Write body: this write changes `scope`.
  void Touch(std::string scope);
  // Inside a Write body: touches "<kind>:<id>" for each id the query returns (NULLs skipped).
  Status TouchRows(std::string_view kind, const std::string& sql, const std::vector<SqlValue>& params);
  // Inside a Write body: the fabric of each municipality that has an end of one of the ties.
  Status TouchTieEnds(const std::vector<domain::Tie>& ties);
  Status TouchModerated(const std::string& target, int64_t target_id);
  Result<SqlRows> Q(const std::string& sql, const std::vector<SqlValue>& params = {});
  // The rows of a child table for every parent row one read selected, in one query (instead of one
  // query per parent): `columns` of `child`, the first being `parent_column`, for the parents that
  // "SELECT id FROM <parent><tail>" selects with `params`, ordered by parent_column then `order`.
  Result<SqlRows> ChildRows(const std::string& columns, const std::string& child, const std::string& parent_column,
                            const std::string& order, const std::string& parent, const std::string& tail,
                            const std::vector<SqlValue>& params);
  // Rewrites a connection error: unique -> "<entity>.<field> ... already exists", foreign key ->
  // the first of `refs` whose row is missing.
  Status Explain(const Status& s, std::string_view entity, const std::vector<FkRef>& refs = {});
  Status Exists(const std::string& table, int64_t id, std::string_view what);

  Status WriteActorThemes(const domain::Actor& a);
  Status WriteChallengeChildren(const domain::Challenge& c);
  Status WriteCoalitionMembers(const domain::Coalition& c);
  Status WriteProposalVersions(const domain::Proposal& p);
  Status WriteRoundProjects(const domain::Round& r);
  Status WriteExperimentChildren(const domain::Experiment& e);
  Status WriteMilestones(const std::vector<domain::Milestone>& ms, ProposalId p, int version, ExperimentId e);

  Result<std::vector<domain::Municipality>> ReadMunicipalities(const std::string& tail,
                                                               const std::vector<SqlValue>& params);
  Result<std::vector<domain::Actor>> ReadActors(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Tie>> ReadTies(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Challenge>> ReadChallenges(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Coalition>> ReadCoalitions(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Proposal>> ReadProposals(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Round>> ReadRounds(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Experiment>> ReadExperiments(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::User>> ReadUsers(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::Comment>> ReadComments(const std::string& tail, const std::vector<SqlValue>& params);
  Result<BallotId> WriteBallot(domain::Ballot& b, bool open_only);
  Result<std::vector<domain::Ballot>> ReadBallots(const std::string& tail, const std::vector<SqlValue>& params);
  // The sealed ballots of a round as ballots with no voter and no id, by token hash.
  Result<std::vector<domain::Ballot>> ReadSealedBallots(RoundId round);
  Result<std::vector<domain::MunicipalTask>> ReadTasks(const std::string& tail, const std::vector<SqlValue>& params);
  Result<std::vector<domain::TaskChallenge>> ReadTaskChallenges(const std::string& tail,
                                                                const std::vector<SqlValue>& params);
  // Touches the scopes a write of a task or task challenge of municipality m changes.
  void TouchRtc(std::string_view kind, int64_t id, MunicipalityId m);

  std::vector<std::string> touched_;  // the scopes of the Write being run
  std::unique_ptr<SqlConnection> conn_;
  int depth_ = 0;  // open Transaction() levels
};

}  // namespace weefsel::storage::sql
