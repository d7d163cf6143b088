// service/platform.h: weefsel's use cases, each with its rights check, over one Store.
//
// Platform is what the HTTP server (and tests) call: every method that changes something takes the
// acting Principal and checks its rights in the use case, not in the handlers, each with one call
// to the rights table of service/core/policy.h (printed in docs/api.md, "Who may do what"). Roles
// are per municipality (officer, moderator, resident), per actor (actor member) or platform-wide
// (admin); an admin may do everything but acts of one's own (ballots, supports, reviews, pledges).
// Reads of the open data (municipalities, actors, ties, challenges, coalitions, proposals, rounds,
// experiments) are public; a ballot is readable only by its voter. Updates take a Patch: a
// function applied to the stored entity after the rights check, so a handler can apply just the
// fields it was sent; the result is validated and rights are checked again when the patch moves
// the entity (e.g. to another municipality).
//
// The use cases live in slices, one small class per area (service/<area>/<area>.h, each with its
// contract): accounts/identity.h, municipalities/, actors/, challenges/, coalitions/, proposals/,
// rounds/, experiments/, money/, moderation/, self_service/ and audit/audit_log.h. They share one
// unit of work, service/core/context.h (the store, its lock and readers, Logged = the write, its
// audit entry and its notifications in one transaction). Platform is the bundle: it is that
// context, holds one of each slice (reachable as identity(), actors(), ...), and forwards its
// methods to them, so that callers keep one object. The change feed's versions (DataVersion, VersionOf) are its own.
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
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/env.h"
#include "base/line_diff.h"
#include "base/status.h"
#include "domain/account_state.h"
#include "domain/audit.h"
#include "domain/evidence.h"
#include "domain/list_query.h"
#include "domain/model.h"
#include "domain/moderation.h"
#include "domain/money.h"
#include "fund/match_funding.h"
#include "service/accounts.h"
#include "service/accounts/identity.h"
#include "service/actors/actors.h"
#include "service/appearance.h"
#include "service/audit/audit_log.h"
#include "service/challenges/challenges.h"
#include "service/change_follower.h"
#include "service/coalitions/coalitions.h"
#include "service/connection_pool.h"
#include "service/core/context.h"
#include "service/core/engine_store.h"
#include "service/core/principal.h"
#include "service/core/store_fwd.h"
#include "service/experiments/experiments.h"
#include "service/introductions.h"
#include "service/moderation/moderation.h"
#include "service/money/money.h"
#include "service/municipalities/municipalities.h"
#include "service/oidc.h"
#include "service/proposals/proposals.h"
#include "service/rounds/rounds.h"
#include "service/self_service/self_service.h"
#include "service/task_challenges.h"
#include "service/votes.h"

namespace weefsel::service {

namespace testing {
struct PlatformStore;
}

class Platform : private core::Context {
 public:
  // The world it runs in (base/env.h): the clock dates every audit entry, session and deadline;
  // tests give a MemEnv's (base/mem_env.h).
  Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Env& env);
  // Env::Default() with this clock.
  Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock = SystemClock::Default());

  Accounts& accounts() { return accounts_; }
  // The slices whose use cases are called on the slice itself rather than forwarded here: the
  // Right to Challenge (service/task_challenges.h), "Breng in contact" (service/introductions.h),
  // a municipality's look (service/appearance.h) and fair votes (service/votes.h).
  TaskChallenges& task_challenges() { return task_challenges_; }
  Introductions& introductions() { return introductions_; }
  Appearances& appearances() { return appearances_; }
  Votes& votes() { return votes_; }
  // The engines' way to the store (service/core/engine_store.h): the matcher, the fabric, the
  // rounds' results, snapshots and the open-data bundle read whole tables there.
  core::EngineStore& engine_store() { return engine_store_; }
  const Clock& clock() const { return clock_; }
  const Env& env() const { return env_; }
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
  // The readers open now (0 without a pool); for tests.
  int ReadersOpen() const;

  // The slices.
  Identity& identity() { return identity_; }
  Municipalities& municipalities() { return municipalities_; }
  Actors& actors() { return actors_; }
  Challenges& challenges() { return challenges_; }
  Coalitions& coalitions() { return coalitions_; }
  Proposals& proposals() { return proposals_; }
  Rounds& rounds() { return rounds_; }
  AuditLog& audit() { return audit_; }
  Experiments& experiments() { return experiments_; }
  Money& money() { return money_; }
  Moderation& moderation() { return moderation_; }
  SelfService& self_service() { return self_service_; }

  // The slices' types and limits under their old names.
  using Proof = Identity::Proof;
  static constexpr size_t kMaxVersions = Proposals::kMaxVersions;
  using Receipt = Rounds::Receipt;
  static constexpr int kMaxFilesPerEvidence = Experiments::kMaxFilesPerEvidence;
  using PublicHidden = Moderation::PublicHidden;

  // The use cases, forwarded to their slices (the contracts are in the slices' headers).
  // Identity: sign-in, sessions, tokens, accounts, grants (service/accounts/identity.h).
  Result<Principal> PrincipalOf(UserId user) { return identity_.PrincipalOf(user); }
  Result<Session> Login(const std::string& email, const std::string& password, const std::string& address) {
    return identity_.Login(email, password, address);
  }
  Result<Session> SignInWithOidc(const IdClaims& claims, const std::string& address) {
    return identity_.SignInWithOidc(claims, address);
  }
  Result<std::vector<domain::OidcIdentity>> OidcIdentitiesOf(const Principal& p) {
    return identity_.OidcIdentitiesOf(p);
  }
  Status LinkOidc(const Principal& p, const IdClaims& claims) { return identity_.LinkOidc(p, claims); }
  Status UnlinkOidc(const Principal& p, const std::string& issuer) { return identity_.UnlinkOidc(p, issuer); }
  Result<Session> FindSession(const std::string& id) { return identity_.FindSession(id); }
  Status EndSession(const std::string& id) { return identity_.EndSession(id); }
  Result<domain::StoredToken> FindToken(const std::string& token) { return identity_.FindToken(token); }
  Result<domain::RetentionCounts> ApplyRetention() { return identity_.ApplyRetention(); }
  Result<domain::User> Register(domain::User user, const std::string& password, MunicipalityId municipality,
                                const std::string& address = "", const Proof& proof = {}) {
    return identity_.Register(std::move(user), password, municipality, address, proof);
  }
  Result<domain::User> CreateUser(const Principal& p, domain::User user, const std::string& password,
                                  std::vector<domain::RoleGrant> grants) {
    return identity_.CreateUser(p, std::move(user), password, std::move(grants));
  }
  Result<domain::User> GetUser(const Principal& p, UserId id) { return identity_.GetUser(p, id); }
  Result<domain::User> FindUserByEmail(const Principal& p, const std::string& email) {
    return identity_.FindUserByEmail(p, email);
  }
  Result<std::vector<domain::RoleGrant>> GrantsOf(const Principal& p, UserId id) { return identity_.GrantsOf(p, id); }
  Status Grant(const Principal& p, const domain::RoleGrant& g) { return identity_.Grant(p, g); }
  Status Revoke(const Principal& p, const domain::RoleGrant& g) { return identity_.Revoke(p, g); }
  Result<std::string> CreateToken(const Principal& p, const std::string& name, const std::string& scope = "write",
                                  int days = 90) {
    return identity_.CreateToken(p, name, scope, days);
  }
  Result<std::vector<domain::StoredToken>> TokensOf(const Principal& p, UserId user) {
    return identity_.TokensOf(p, user);
  }
  Status RevokeToken(const Principal& p, int64_t token_id) { return identity_.RevokeToken(p, token_id); }

  // Municipalities (service/municipalities/municipalities.h).
  Result<std::vector<domain::Municipality>> ListMunicipalities(const domain::ListQuery& q) {
    return municipalities_.ListMunicipalities(q);
  }
  Result<domain::Municipality> GetMunicipality(MunicipalityId id) { return municipalities_.GetMunicipality(id); }
  Result<domain::Municipality> GetMunicipalityByCode(const std::string& cbs_code) {
    return municipalities_.GetMunicipalityByCode(cbs_code);
  }
  Result<domain::Municipality> CreateMunicipality(const Principal& p, domain::Municipality m) {
    return municipalities_.CreateMunicipality(p, std::move(m));
  }
  Result<domain::Municipality> UpdateMunicipality(const Principal& p, MunicipalityId id,
                                                  const Patch<domain::Municipality>& patch) {
    return municipalities_.UpdateMunicipality(p, id, patch);
  }

  // Actors and ties (service/actors/actors.h).
  Result<std::vector<domain::Actor>> ListActors(const domain::ListQuery& q) { return actors_.ListActors(q); }
  Result<domain::Actor> GetActor(ActorId id) { return actors_.GetActor(id); }
  Result<domain::Actor> CreateActor(const Principal& p, domain::Actor a) {
    return actors_.CreateActor(p, std::move(a));
  }
  Result<domain::Actor> UpdateActor(const Principal& p, ActorId id, const Patch<domain::Actor>& patch) {
    return actors_.UpdateActor(p, id, patch);
  }
  Status DeleteActor(const Principal& p, ActorId id) { return actors_.DeleteActor(p, id); }
  Result<std::vector<domain::Tie>> ListTies(const domain::ListQuery& q) { return actors_.ListTies(q); }
  Result<std::vector<domain::Tie>> TiesOf(ActorId actor) { return actors_.TiesOf(actor); }
  Result<domain::Tie> CreateTie(const Principal& p, domain::Tie t) { return actors_.CreateTie(p, std::move(t)); }
  Status DeleteTie(const Principal& p, ActorId actor, TieId tie) { return actors_.DeleteTie(p, actor, tie); }

  // Challenges (service/challenges/challenges.h).
  Result<std::vector<domain::Challenge>> ListChallenges(const domain::ListQuery& q) {
    return challenges_.ListChallenges(q);
  }
  Result<domain::Challenge> GetChallenge(ChallengeId id) { return challenges_.GetChallenge(id); }
  Result<domain::Challenge> CreateChallenge(const Principal& p, domain::Challenge c) {
    return challenges_.CreateChallenge(p, std::move(c));
  }
  Result<domain::Challenge> UpdateChallenge(const Principal& p, ChallengeId id, const Patch<domain::Challenge>& patch) {
    return challenges_.UpdateChallenge(p, id, patch);
  }
  Result<domain::Challenge> SetChallengePhase(const Principal& p, ChallengeId id, domain::ChallengePhase phase) {
    return challenges_.SetChallengePhase(p, id, phase);
  }

  // Coalitions (service/coalitions/coalitions.h).
  Result<std::vector<domain::Coalition>> CoalitionsOf(ChallengeId challenge) {
    return coalitions_.CoalitionsOf(challenge);
  }
  Result<domain::Coalition> GetCoalition(CoalitionId id) { return coalitions_.GetCoalition(id); }
  Result<domain::Coalition> ProposeCoalition(const Principal& p, domain::Coalition c) {
    return coalitions_.ProposeCoalition(p, std::move(c));
  }
  Result<domain::Coalition> Invite(const Principal& p, CoalitionId id, ActorId actor) {
    return coalitions_.Invite(p, id, actor);
  }
  Result<domain::Coalition> Accept(const Principal& p, CoalitionId id, ActorId actor) {
    return coalitions_.Accept(p, id, actor);
  }
  Result<domain::Coalition> Decline(const Principal& p, CoalitionId id, ActorId actor) {
    return coalitions_.Decline(p, id, actor);
  }

  // Proposals, comments, supports, version diffs (service/proposals/proposals.h).
  Result<std::vector<domain::Proposal>> ProposalsOf(ChallengeId challenge) { return proposals_.ProposalsOf(challenge); }
  Result<domain::Proposal> GetProposal(ProposalId id) { return proposals_.GetProposal(id); }
  Result<domain::Proposal> CreateProposal(const Principal& p, CoalitionId coalition, domain::ProposalVersion v) {
    return proposals_.CreateProposal(p, coalition, std::move(v));
  }
  Result<domain::Proposal> AddVersion(const Principal& p, ProposalId id, domain::ProposalVersion v) {
    return proposals_.AddVersion(p, id, std::move(v));
  }
  Result<domain::Proposal> SetProposalStatus(const Principal& p, ProposalId id, const std::string& status) {
    return proposals_.SetProposalStatus(p, id, status);
  }
  Result<std::vector<Comment>> CommentsOf(ProposalId id) { return proposals_.CommentsOf(id); }
  Result<Comment> AddComment(const Principal& p, ProposalId id, const std::string& text, int64_t parent = 0) {
    return proposals_.AddComment(p, id, text, parent);
  }
  Result<domain::Proposal> Support(const Principal& p, ProposalId id) { return proposals_.Support(p, id); }
  Result<domain::Proposal> Unsupport(const Principal& p, ProposalId id) { return proposals_.Unsupport(p, id); }
  Result<bool> Supports(const Principal& p, ProposalId id) { return proposals_.Supports(p, id); }
  Result<LineDiffResult> DiffVersions(ProposalId id, int from, int to) { return proposals_.DiffVersions(id, from, to); }

  // Rounds, reviews, ballots, receipts (service/rounds/rounds.h).
  Result<std::vector<domain::Round>> ListRounds(const domain::ListQuery& q) { return rounds_.ListRounds(q); }
  Result<domain::Round> GetRound(RoundId id) { return rounds_.GetRound(id); }
  Result<domain::Round> CreateRound(const Principal& p, domain::Round r) {
    return rounds_.CreateRound(p, std::move(r));
  }
  Result<domain::Round> UpdateRound(const Principal& p, RoundId id, const Patch<domain::Round>& patch) {
    return rounds_.UpdateRound(p, id, patch);
  }
  Result<domain::Round> SetRoundPhase(const Principal& p, RoundId id, domain::RoundPhase phase) {
    return rounds_.SetRoundPhase(p, id, phase);
  }
  Result<domain::Review> PutReview(const Principal& p, RoundId id, domain::Review review) {
    return rounds_.PutReview(p, id, std::move(review));
  }
  Result<std::vector<domain::Review>> ReviewsOf(const Principal& p, RoundId id) { return rounds_.ReviewsOf(p, id); }
  Result<domain::Ballot> CastBallot(const Principal& p, RoundId id, std::vector<domain::BallotEntry> entries) {
    return rounds_.CastBallot(p, id, std::move(entries));
  }
  Result<domain::Ballot> OwnBallot(const Principal& p, RoundId id) { return rounds_.OwnBallot(p, id); }
  Result<Receipt> OwnReceipt(const Principal& p, RoundId id) { return rounds_.OwnReceipt(p, id); }
  Result<std::vector<std::string>> Receipts(RoundId id) { return rounds_.Receipts(id); }

  // The audit log (service/audit/audit_log.h).
  Result<std::vector<domain::AuditEntry>> AuditOf(const Principal& p, const std::string& entity, int64_t id) {
    return audit_.AuditOf(p, entity, id);
  }

  // Experiments, measurements, milestone evidence and its files (service/experiments/experiments.h).
  Result<std::vector<domain::Experiment>> ListExperiments(const domain::ListQuery& q) {
    return experiments_.ListExperiments(q);
  }
  Result<domain::Experiment> GetExperiment(ExperimentId id) { return experiments_.GetExperiment(id); }
  Result<domain::Experiment> CreateExperiment(const Principal& p, domain::Experiment e) {
    return experiments_.CreateExperiment(p, std::move(e));
  }
  Result<domain::Experiment> UpdateExperiment(const Principal& p, ExperimentId id,
                                              const Patch<domain::Experiment>& patch) {
    return experiments_.UpdateExperiment(p, id, patch);
  }
  Result<domain::Experiment> AddMeasurement(const Principal& p, ExperimentId id, IndicatorId indicator,
                                            domain::Measurement m) {
    return experiments_.AddMeasurement(p, id, indicator, std::move(m));
  }
  Result<domain::MilestoneEvidence> SubmitEvidence(const Principal& p, ExperimentId id, int milestone,
                                                   const std::string& text, const std::string& link) {
    return experiments_.SubmitEvidence(p, id, milestone, text, link);
  }
  Result<domain::MilestoneEvidence> DecideEvidence(const Principal& p, ExperimentId id, int64_t evidence, bool approve,
                                                   const std::string& reason) {
    return experiments_.DecideEvidence(p, id, evidence, approve, reason);
  }
  Result<std::vector<domain::MilestoneEvidence>> EvidenceOf(ExperimentId id) { return experiments_.EvidenceOf(id); }
  Result<domain::EvidenceFile> AttachEvidenceFile(const Principal& p, ExperimentId id, int64_t evidence,
                                                  const std::string& name, std::string bytes) {
    return experiments_.AttachEvidenceFile(p, id, evidence, name, std::move(bytes));
  }
  Result<std::vector<domain::EvidenceFile>> EvidenceFiles(ExperimentId id) { return experiments_.EvidenceFiles(id); }
  Result<domain::EvidenceFile> EvidenceFileOf(ExperimentId id, int64_t file) {
    return experiments_.EvidenceFileOf(id, file);
  }

  // The programme's money (service/money/money.h).
  Result<domain::Round> AddProposalToRound(const Principal& p, RoundId round, ProposalId proposal) {
    return money_.AddProposalToRound(p, round, proposal);
  }
  Result<std::vector<domain::Allocation>> AllocationsOf(RoundId round) { return money_.AllocationsOf(round); }
  Result<int64_t> FundedAmount(ProposalId proposal) { return money_.FundedAmount(proposal); }
  Result<MunicipalityOverview> Overview(MunicipalityId m) { return money_.Overview(m); }
  Result<domain::MatchCampaign> CreateMatchCampaign(const Principal& p, domain::MatchCampaign c) {
    return money_.CreateMatchCampaign(p, std::move(c));
  }
  Result<std::vector<domain::MatchCampaign>> MatchCampaignsOf(RoundId round) { return money_.MatchCampaignsOf(round); }
  Result<domain::MatchPledge> Pledge(const Principal& p, int64_t campaign, const std::string& project_id,
                                     int64_t amount_eur) {
    return money_.Pledge(p, campaign, project_id, amount_eur);
  }
  Result<MatchStanding> MatchStandingOf(int64_t campaign) { return money_.MatchStandingOf(campaign); }

  // Moderation (service/moderation/moderation.h).
  Result<domain::Report> ReportContent(const Principal& p, const std::string& target, int64_t id,
                                       const std::string& reason, MunicipalityId municipality = {}) {
    return moderation_.ReportContent(p, target, id, reason, municipality);
  }
  Result<ModerationPage> ModerationQueue(const Principal& p, MunicipalityId m, int64_t limit, int64_t offset) {
    return moderation_.ModerationQueue(p, m, limit, offset);
  }
  Result<domain::HiddenItem> Hide(const Principal& p, const std::string& target, int64_t id,
                                  const std::string& reason) {
    return moderation_.Hide(p, target, id, reason);
  }
  Status Restore(const Principal& p, const std::string& target, int64_t id) {
    return moderation_.Restore(p, target, id);
  }
  Result<domain::Report> DismissReport(const Principal& p, int64_t report) {
    return moderation_.DismissReport(p, report);
  }
  Result<domain::AccountBlock> BlockAccount(const Principal& p, UserId user, const std::string& reason) {
    return moderation_.BlockAccount(p, user, reason);
  }
  Status UnblockAccount(const Principal& p, UserId user) { return moderation_.UnblockAccount(p, user); }
  Result<PublicHidden> HiddenOnProposal(ProposalId id) { return moderation_.HiddenOnProposal(id); }

 private:
  // What the tests inspect of the store (service/core/testing.h; tests only).
  friend struct testing::PlatformStore;

  // Reads the change feed into follower_ (under mu_).
  Status Follow();
  // Follows the feed when a write happened here or version_ttl passed.
  Status Refresh();
  bool Fresh() const;

  Identity identity_{*this};
  Municipalities municipalities_{*this};
  Actors actors_{*this};
  Challenges challenges_{*this};
  Coalitions coalitions_{*this};
  Proposals proposals_{*this};
  Rounds rounds_{*this};
  AuditLog audit_{*this};
  Experiments experiments_{*this};
  Money money_{*this};
  Moderation moderation_{*this};
  SelfService self_service_{*this};
  TaskChallenges task_challenges_{*this};
  Introductions introductions_{*this};
  Appearances appearances_{*this};
  Votes votes_{*this};
  core::EngineStore engine_store_{*this};
};

}  // namespace weefsel::service
