// service/core/context.h: the unit of work the use cases share, and the base of the slices.
//
// The use cases live in slices, one class per area under service/<area>/ (accounts, municipalities,
// actors and ties, challenges, coalitions, proposals, rounds, experiments, money, moderation,
// audit); service/platform.h bundles them. What they share is here: the Store (the writer's, or
// the reader a thread holds), the reader pool, the options, the Env (base/env.h: the clock that
// dates audit entries and deadlines, files, mail; MemEnv's twins in tests), the accounts' rate limits,
// the store lock, and `Logged`, which runs a write and appends its audit entry (and the
// notifications it causes) in one transaction. Every write goes through the audit log with the
// change-feed scopes the store records in the same transaction.
//
// Ownership: Context owns the Store, the reader pool and the Accounts; Platform is one (privately),
// and every slice borrows it through core::Slice. Thread-safety: the locks below are how the use
// cases are made thread-safe: WriteLock holds the store lock (writes are serialised on the
// writer's connection); ReadLock holds a reader of the pool (or, without one, the store lock) and
// binds it to the thread, so that `store_->` inside a read-only use case reads on it. The helpers
// marked "store lock held" expect one of the two locks.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/env.h"
#include "base/status.h"
#include "domain/model.h"
#include "service/accounts.h"
#include "service/change_follower.h"
#include "service/connection_pool.h"
#include "service/core/principal.h"
#include "service/core/store_fwd.h"

namespace weefsel::service {

using Comment = domain::Comment;

struct PlatformOptions {
  PasswordCost password_cost;
  AccountOptions accounts;
  // How long DataVersion() may answer from memory. Writes through this Platform are seen at once;
  // writes by other processes (the CLI, a second server) within this time.
  std::chrono::milliseconds version_ttl{100};
  // Connections that only read (service/connection_pool.h), opened on `url` (the database the Store
  // was opened on) up to `count`: reads then run beside each other and beside writes, which keep
  // the one writer's connection and its lock. count 0, or a private in-memory database: every read
  // waits for that lock too.
  struct Readers {
    std::string url;
    int count = 0;
    // PostgreSQL: connections, opened on `url` up to this many, for writes that need not wait for
    // the writer's lock (Context::CheckedWriteLock: casting a ballot). 0, or SQLite: they wait.
    int writers = 0;
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

// An update of an entity: applied to the stored entity after the rights check (service/platform.h).
template <typename T>
using Patch = std::function<Status(T&)>;

namespace core {

class Context {
 public:
  Context(std::unique_ptr<storage::Store> store, PlatformOptions options, const Env& env);
  // Env::Default() with this clock.
  Context(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Holds the store lock for a use case that may write; on release the cached data version is
  // marked stale, so the next read sees the change at once.
  class WriteLock {
   public:
    // Writes go to the writer's Store even inside a ReadLock of this thread.
    explicit WriteLock(Context& c);
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

   private:
    Context& c_;
    std::lock_guard<std::mutex> lock_;
    const void* outer_owner_;
    storage::Store* outer_reader_;
  };

  // Holds a connection of its own for a use case whose write checks what it depends on in its own
  // statements (Store::CastBallot: the round still in voting), so that it need not queue behind
  // other writes: a writer of the pool (PostgreSQL locks rows), bound to the thread as a reader is,
  // so that `store_->` writes on it. Without one (SQLite, none configured, or none could be opened)
  // it holds the store lock, as WriteLock. On release the cached data version is marked stale.
  class CheckedWriteLock {
   public:
    explicit CheckedWriteLock(Context& c);
    ~CheckedWriteLock();
    CheckedWriteLock(const CheckedWriteLock&) = delete;
    CheckedWriteLock& operator=(const CheckedWriteLock&) = delete;

   private:
    Context& c_;
    std::unique_lock<std::mutex> lock_;
    ConnectionPool::Lease lease_;
    const void* outer_owner_;
    storage::Store* outer_reader_;
  };

  // Holds a reader for a use case that only reads (its store_ is that reader on this thread), or the
  // store lock when there are no readers. Nested ReadLocks share the outer one's reader.
  class ReadLock {
   public:
    explicit ReadLock(Context& c);
    ~ReadLock();
    ReadLock(const ReadLock&) = delete;
    ReadLock& operator=(const ReadLock&) = delete;

   private:
    std::unique_lock<std::mutex> lock_;
    ConnectionPool::Lease lease_;
    bool bound_ = false;  // this ReadLock set the thread's reader
  };

  // The Store of a use case: the reader this thread holds for this Context (ReadLock), else the
  // writer's Store, so that the use cases' code reads `store_->` either way.
  class StoreRef {
   public:
    explicit StoreRef(std::unique_ptr<storage::Store> writer);
    ~StoreRef();
    storage::Store* operator->() const { return &Current(); }
    storage::Store& operator*() const { return Current(); }

   private:
    storage::Store& Current() const;
    std::unique_ptr<storage::Store> writer_;
  };

  // Runs `write` and appends its audit entry (after() gives the entity id and its JSON after the
  // change) in one transaction. For a new municipality, `m` may be unset: the new id is used.
  Status Logged(const Principal& p, MunicipalityId m, std::string_view entity, std::string_view action,
                std::string before, const std::function<Status()>& write,
                const std::function<std::pair<int64_t, std::string>()>& after);
  // The clock's now as ISO 8601 UTC.
  std::string Now() const;
  // An Argon2id hash at options_.password_cost, verified when an e-mail address is unknown.
  const std::string& DecoyHash();

  // Reads the slices share (store lock held).
  // The municipality a challenge / proposal belongs to.
  Result<MunicipalityId> MunicipalityOfChallenge(ChallengeId id);
  Result<MunicipalityId> MunicipalityOfProposal(ProposalId id);
  // The actors of a coalition that did not decline: whose members act for it.
  Result<std::vector<ActorId>> CoalitionActors(CoalitionId id);
  // Moderation (service/moderation/moderation.cc): the municipality of a comment, proposal or
  // task challenge; whether the item is hidden; the municipalities an account answers to (its
  // roles and its reports).
  Result<MunicipalityId> MunicipalityOfTarget(const std::string& target, int64_t id);
  Result<bool> IsHidden(const std::string& target, int64_t id);
  Result<std::vector<MunicipalityId>> MunicipalitiesOfAccount(UserId user);
  // NotFound when the proposal is hidden (it is gone from every public answer).
  Status VisibleProposal(ProposalId id);
  // The account's display name ("" for none or a deleted account), looked up once per `known`.
  // Only for answers whose readers may see account names (the audit log's officers).
  std::string DisplayNameLocked(UserId user, std::map<UserId, std::string>& known);

  StoreRef store_;
  std::unique_ptr<ConnectionPool> readers_;
  std::unique_ptr<ConnectionPool> writers_;  // for CheckedWriteLock (PostgreSQL)
  PlatformOptions options_;
  Env env_;
  const Clock& clock_;  // env_.clock()
  Accounts accounts_;
  std::once_flag decoy_once_;
  std::string decoy_hash_;
  std::mutex mu_;  // guards store_
  ChangeFollower follower_;
  std::atomic<bool> dirty_{true};       // a write happened since the feed was read
  std::atomic<int64_t> checked_at_{0};  // steady clock, ns
};

// The base of a slice: the Context's state and helpers under the names the use cases use, so that
// a use case reads `WriteLock lock(*this); ... store_->...; Logged(...)` in any slice.
class Slice {
 protected:
  explicit Slice(Context& context)
      : cx_(context),
        store_(context.store_),
        options_(context.options_),
        env_(context.env_),
        clock_(context.clock_),
        accounts_(context.accounts_),
        mu_(context.mu_) {}

  class WriteLock : public Context::WriteLock {
   public:
    explicit WriteLock(Slice& s) : Context::WriteLock(s.cx_) {}
  };
  class ReadLock : public Context::ReadLock {
   public:
    explicit ReadLock(Slice& s) : Context::ReadLock(s.cx_) {}
  };
  class CheckedWriteLock : public Context::CheckedWriteLock {
   public:
    explicit CheckedWriteLock(Slice& s) : Context::CheckedWriteLock(s.cx_) {}
  };

  Status Logged(const Principal& p, MunicipalityId m, std::string_view entity, std::string_view action,
                std::string before, const std::function<Status()>& write,
                const std::function<std::pair<int64_t, std::string>()>& after) {
    return cx_.Logged(p, m, entity, action, std::move(before), write, after);
  }
  std::string Now() const { return cx_.Now(); }
  const std::string& DecoyHash() { return cx_.DecoyHash(); }
  Result<MunicipalityId> MunicipalityOfChallenge(ChallengeId id) { return cx_.MunicipalityOfChallenge(id); }
  Result<MunicipalityId> MunicipalityOfProposal(ProposalId id) { return cx_.MunicipalityOfProposal(id); }
  Result<std::vector<ActorId>> CoalitionActors(CoalitionId id) { return cx_.CoalitionActors(id); }
  Result<MunicipalityId> MunicipalityOfTarget(const std::string& target, int64_t id) {
    return cx_.MunicipalityOfTarget(target, id);
  }
  Result<bool> IsHidden(const std::string& target, int64_t id) { return cx_.IsHidden(target, id); }
  Result<std::vector<MunicipalityId>> MunicipalitiesOfAccount(UserId user) { return cx_.MunicipalitiesOfAccount(user); }
  Status VisibleProposal(ProposalId id) { return cx_.VisibleProposal(id); }
  std::string DisplayNameLocked(UserId user, std::map<UserId, std::string>& known) {
    return cx_.DisplayNameLocked(user, known);
  }

  Context& cx_;
  Context::StoreRef& store_;
  const PlatformOptions& options_;
  const Env& env_;
  const Clock& clock_;
  Accounts& accounts_;
  std::mutex& mu_;
};

}  // namespace core
}  // namespace weefsel::service
