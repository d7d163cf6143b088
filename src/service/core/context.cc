// service/core/context.cc: the unit of work the slices share (contract in context.h).
#include "service/core/context.h"

#include <algorithm>
#include <set>

#include "base/log.h"
#include "base/strings.h"
#include "service/notifications/notifications.h"
#include "storage/store.h"

namespace weefsel::service::core {

Status Context::Logged(const Principal& p, MunicipalityId m, std::string_view entity, std::string_view action,
                       std::string before, const std::function<Status()>& write,
                       const std::function<std::pair<int64_t, std::string>()>& after) {
  return store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(write());
    auto [id, now] = after();
    storage::AuditEntry e;
    e.at = Now();
    e.user = p.user;
    e.municipality = m.valid() || entity != "municipality" ? m : MunicipalityId(id);
    e.entity = std::string(entity);
    e.entity_id = id;
    e.action = std::string(action);
    e.before = std::move(before);
    e.after = std::move(now);
    WEEFSEL_ASSIGN_OR_RETURN(e.id, store_->Append(e));
    // The users concerned hear about it in the same transaction (service/notifications/notifications.h).
    return NotifyFromAudit(*store_, e);
  });
}

namespace {
// The accounts' options, with the registration challenges keyed by the deployment's secret unless
// they name one of their own.
AccountOptions AccountOptionsOf(const PlatformOptions& o) {
  AccountOptions a = o.accounts;
  if (a.pow_secret.empty()) a.pow_secret = o.vote_key;
  return a;
}
}  // namespace

Context::Context(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock)
    : Context(std::move(store), std::move(options), Env::Default().WithClock(clock)) {}

Context::Context(std::unique_ptr<storage::Store> store, PlatformOptions options, const Env& env)
    : store_(std::move(store)),
      options_(options),
      env_(env),
      clock_(env_.clock()),
      accounts_(env_.clock(), AccountOptionsOf(options)) {
  if (options_.readers.count > 0 && !options_.readers.url.empty()) {
    // A private in-memory database has no second connection: reads share the writer's lock.
    auto pool = ConnectionPool::Create(options_.readers.url, options_.readers.count);
    if (pool.ok()) {
      readers_ = std::move(pool).value();
    } else if (pool.status().code() != StatusCode::kFailedPrecondition) {
      spdlog::warn("reads share the writer's connection: {}", pool.status().ToString());
    }
  }
  if (readers_ && options_.readers.writers > 0) {
    // SQLite answers FailedPrecondition: one writer at a time, the store lock's.
    auto pool = ConnectionPool::Create(options_.readers.url, options_.readers.writers, std::chrono::seconds(5),
                                       ConnectionPool::Kind::kWrite);
    if (pool.ok()) {
      writers_ = std::move(pool).value();
    } else if (pool.status().code() != StatusCode::kFailedPrecondition) {
      spdlog::warn("every write waits for the writer's connection: {}", pool.status().ToString());
    }
  }
}

// The reader a thread holds (ReadLock) and the Context's StoreRef it belongs to.
namespace {
struct ThreadReader {
  const void* owner = nullptr;
  storage::Store* store = nullptr;
};
thread_local ThreadReader t_reader;
}  // namespace

Context::StoreRef::StoreRef(std::unique_ptr<storage::Store> writer) : writer_(std::move(writer)) {}
Context::StoreRef::~StoreRef() = default;
Context::~Context() = default;

storage::Store& Context::StoreRef::Current() const {
  if (t_reader.owner == this) return *t_reader.store;
  return *writer_;
}

Context::ReadLock::ReadLock(Context& c) {
  if (t_reader.owner == &c.store_) return;  // nested: the outer ReadLock's reader serves
  if (c.readers_) {
    // A failure was logged by the pool (once per retry period): read on the writer's connection.
    auto lease = c.readers_->Acquire();
    if (lease.ok()) {
      lease_ = std::move(lease).value();
      t_reader = {&c.store_, lease_.get()};
      bound_ = true;
      return;
    }
  }
  lock_ = std::unique_lock(c.mu_);
}

Context::ReadLock::~ReadLock() {
  if (bound_) t_reader = {};
}

Context::WriteLock::WriteLock(Context& c)
    : c_(c), lock_(c.mu_), outer_owner_(t_reader.owner), outer_reader_(t_reader.store) {
  t_reader = {};
}

Context::WriteLock::~WriteLock() {
  t_reader = {outer_owner_, outer_reader_};
  c_.dirty_.store(true);
}

Context::CheckedWriteLock::CheckedWriteLock(Context& c)
    : c_(c), outer_owner_(t_reader.owner), outer_reader_(t_reader.store) {
  if (c.writers_) {
    // A failure was logged by the pool (once per retry period): write on the writer's connection.
    auto lease = c.writers_->Acquire();
    if (lease.ok()) {
      lease_ = std::move(lease).value();
      t_reader = {&c.store_, lease_.get()};
      return;
    }
  }
  lock_ = std::unique_lock(c.mu_);
  t_reader = {};
}

Context::CheckedWriteLock::~CheckedWriteLock() {
  t_reader = {outer_owner_, outer_reader_};
  c_.dirty_.store(true);
}

std::string Context::Now() const { return FormatTimestamp(clock_.Now()); }

const std::string& Context::DecoyHash() {
  std::call_once(decoy_once_, [this] {
    auto h = HashPassword(RandomToken(), options_.password_cost);
    if (h.ok()) decoy_hash_ = std::move(h).value();
  });
  return decoy_hash_;
}

// ---- reads the slices share (store lock held) ---------------------------------------------

Result<MunicipalityId> Context::MunicipalityOfChallenge(ChallengeId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  return c.municipality;
}

Result<MunicipalityId> Context::MunicipalityOfProposal(ProposalId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal p, store_->GetProposal(id));
  return MunicipalityOfChallenge(p.challenge);
}

Result<std::vector<ActorId>> Context::CoalitionActors(CoalitionId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::vector<ActorId> out;
  for (const auto& m : c.members)
    if (m.status != domain::MemberStatus::kDeclined) out.push_back(m.actor);
  return out;
}

Status Context::VisibleProposal(ProposalId id) {
  WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden("proposal", id.value()));
  if (hidden) return Status::NotFound("proposal " + std::to_string(id.value()) + " does not exist");
  return Status::Ok();
}

std::string Context::DisplayNameLocked(UserId user, std::map<UserId, std::string>& known) {
  if (!user.valid()) return "";
  auto it = known.find(user);
  if (it != known.end()) return it->second;
  auto u = store_->GetUser(user);
  return known[user] = u.ok() ? u->display_name : "";
}

Result<MunicipalityId> Context::MunicipalityOfTarget(const std::string& target, int64_t id) {
  if (target == "comment") {
    WEEFSEL_ASSIGN_OR_RETURN(domain::Comment c, store_->GetComment(id));
    return MunicipalityOfProposal(c.proposal);
  }
  if (target == "proposal") return MunicipalityOfProposal(ProposalId(id));
  if (target == "task_challenge") {  // a Right to Challenge bid (service/task_challenges.h)
    WEEFSEL_ASSIGN_OR_RETURN(auto c, store_->GetTaskChallenge(TaskChallengeId(id)));
    return c.municipality;
  }
  return Status::InvalidArgument("target: a profile has no single municipality");
}

Result<bool> Context::IsHidden(const std::string& target, int64_t id) {
  auto h = store_->GetHidden(target, id);
  if (h.ok()) return true;
  if (h.status().code() == StatusCode::kNotFound) return false;
  return h.status();
}

Result<std::vector<MunicipalityId>> Context::MunicipalitiesOfAccount(UserId user) {
  std::set<int64_t> out;
  WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_->GrantsOf(user));
  for (const auto& g : grants)
    if (g.municipality.valid()) out.insert(g.municipality.value());
  WEEFSEL_ASSIGN_OR_RETURN(auto munis, store_->ListMunicipalities());
  // Where its profile or its writing was reported (queues are small).
  for (const auto& m : munis) {
    if (out.count(m.id.value())) continue;
    WEEFSEL_ASSIGN_OR_RETURN(auto reports, store_->ReportsIn(m.id, ""));
    for (const auto& r : reports) {
      bool concerns = false;
      if (r.target == "profile") {
        concerns = r.target_id == user.value();
      } else if (r.target == "comment") {
        auto c = store_->GetComment(r.target_id);
        concerns = c.ok() && c->author == user;
      } else if (r.target == "proposal") {
        auto pr = store_->GetProposal(ProposalId(r.target_id));
        concerns = pr.ok() && !pr->versions.empty() && pr->versions.back().author == user;
      } else if (r.target == "task_challenge") {
        auto tc = store_->GetTaskChallenge(TaskChallengeId(r.target_id));
        concerns = tc.ok() && tc->filed_by == user;
      }
      if (concerns) {
        out.insert(m.id.value());
        break;
      }
    }
  }
  std::vector<MunicipalityId> v;
  for (int64_t m : out) v.emplace_back(m);
  return v;
}

}  // namespace weefsel::service::core
