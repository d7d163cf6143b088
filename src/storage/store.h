// storage/store.h: the one interface to weefsel's persistent data.
//
// A Store holds every entity of domain/model.h. It is the union of narrow interfaces, one per
// concept, each in its own header under storage/store/ (accounts, sessions, network, challenges,
// coalitions, proposals, rounds, fair votes, experiments and money, files, notifications, audit,
// moderation, the Right to Challenge, retention, the change feed); code that needs one concept may
// take that interface. What holds for all of them is said here. Two backends implement it: SQLite (the embedded
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

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "storage/store/accounts.h"
#include "storage/store/audit.h"
#include "storage/store/challenges.h"
#include "storage/store/change_feed.h"
#include "storage/store/coalitions.h"
#include "storage/store/experiments.h"
#include "storage/store/fair_votes.h"
#include "storage/store/files.h"
#include "storage/store/list_query.h"
#include "storage/store/moderation.h"
#include "storage/store/municipalities.h"
#include "storage/store/network.h"
#include "storage/store/notifications.h"
#include "storage/store/proposals.h"
#include "storage/store/retention.h"
#include "storage/store/rounds.h"
#include "storage/store/sessions.h"
#include "storage/store/task_challenges.h"

namespace weefsel::storage {

struct Counts {
  int64_t municipalities = 0, actors = 0, ties = 0, challenges = 0, coalitions = 0, proposals = 0, rounds = 0,
          ballots = 0, experiments = 0, users = 0;
};

// Every concept's interface, plus opening, transactions and counts. A backend implements them all.
class Store : public ChangeFeed,
              public MunicipalityStore,
              public NetworkStore,
              public ChallengeStore,
              public CoalitionStore,
              public ProposalStore,
              public RoundStore,
              public FairVoteStore,
              public ExperimentStore,
              public FileStore,
              public AccountStore,
              public SessionStore,
              public RetentionStore,
              public NotificationStore,
              public AuditStore,
              public ModerationStore,
              public TaskChallengeStore {
 public:
  ~Store() override = default;

  // Opens (creating if needed) and migrates the database at `url`.
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  // A further connection to the database at `url`, already opened and migrated by Open, that only
  // reads: every write through it fails (SQLite: query_only; PostgreSQL: read-only transactions).
  // Several readers let reads run beside each other and beside the writer (service::ConnectionPool).
  // FailedPrecondition for a private in-memory SQLite database.
  static Result<std::unique_ptr<Store>> OpenReader(const std::string& url);
  // A further connection to the database at `url`, already opened and migrated by Open, that
  // writes beside the writer's, for writes whose statements check what they depend on themselves
  // (CastBallot): PostgreSQL locks rows, so several such connections write at once.
  // FailedPrecondition for SQLite, which has one writer at a time.
  static Result<std::unique_ptr<Store>> OpenWriter(const std::string& url);

  virtual std::string Dialect() const = 0;  // "sqlite" or "postgres"
  virtual Result<int> SchemaVersion() = 0;
  virtual Status Transaction(const std::function<Status()>& body) = 0;
  virtual Result<Counts> Count() = 0;

  // Insert and Update are overloaded by entity across the interfaces; these make every overload
  // visible through a Store, as when it was one class.
  using AccountStore::Insert;
  using AccountStore::Update;
  using ChallengeStore::Insert;
  using ChallengeStore::Update;
  using CoalitionStore::Insert;
  using CoalitionStore::Update;
  using ExperimentStore::Insert;
  using ExperimentStore::Update;
  using FileStore::Insert;
  using ModerationStore::Insert;
  using MunicipalityStore::Insert;
  using MunicipalityStore::Update;
  using NetworkStore::Insert;
  using NetworkStore::Update;
  using NotificationStore::Insert;
  using ProposalStore::Insert;
  using ProposalStore::Update;
  using RoundStore::Insert;
  using RoundStore::Update;
  using SessionStore::Insert;
  using TaskChallengeStore::Insert;
  using TaskChallengeStore::Update;
};

}  // namespace weefsel::storage
