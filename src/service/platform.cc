#include "service/platform.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "base/log.h"
#include "base/strings.h"
#include "fund/instance.h"
#include "fund/rules.h"
#include "service/core/policy.h"
#include "service/notifications.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using domain::Role;

namespace {

std::string M(MunicipalityId m) { return std::to_string(m.value()); }

int PhaseIndex(domain::RoundPhase p) { return static_cast<int>(p); }

// The round's outcome under its rule as allocation rows (defined with the programme's money).
Result<std::vector<storage::Allocation>> Allocate(const domain::Round& round,
                                                  const std::vector<domain::Ballot>& ballots);

// A patch may plan, add and change milestones, but their status and evidence move only through
// SubmitEvidence / DecideEvidence; a milestone with evidence keeps its place, title and amount.
Status KeepMilestoneState(const std::vector<domain::Milestone>& before, std::vector<domain::Milestone>& after) {
  for (size_t i = 0; i < before.size(); ++i) {
    const auto& b = before[i];
    if (i >= after.size()) {
      if (b.status != "planned")
        return Status::Conflict("experiment.milestones: milestone " + std::to_string(i + 1) + " is " + b.status +
                                " and cannot be removed");
      continue;
    }
    auto& a = after[i];
    if (b.status != "planned" && (a.title != b.title || a.amount_eur != b.amount_eur))
      return Status::Conflict("experiment.milestones: milestone " + std::to_string(i + 1) + " is " + b.status +
                              "; its title and amount are fixed");
    a.status = b.status;
    a.evidence = b.evidence;
  }
  for (size_t i = before.size(); i < after.size(); ++i) {
    after[i].status = "planned";
    after[i].evidence.clear();
  }
  return Status::Ok();
}

// ---- audit snapshots: the public fields of an entity as JSON text (never e-mail addresses,
// password hashes or ballot contents).
using J = nlohmann::json;
std::string Dump(const J& j) { return j.dump(-1, ' ', false, J::error_handler_t::replace); }
template <typename Tag>
J IdOrNull(Id<Tag> id) {
  return id.valid() ? J(id.value()) : J(nullptr);
}

std::string Snap(const domain::Municipality& m) {
  return Dump({{"cbs_code", m.cbs_code}, {"name", m.name}, {"province", m.province}, {"population", m.population}});
}
std::string Snap(const domain::Actor& a) {
  return Dump({{"name", a.name},
               {"kind", domain::ActorKindCode(a.kind)},
               {"municipality", IdOrNull(a.municipality)},
               {"area", a.area},
               {"themes", a.themes},
               {"capabilities", a.capabilities},
               {"description", a.description},
               {"website", a.website}});
}
std::string Snap(const domain::Tie& t) {
  return Dump({{"a", t.a.value()},
               {"b", t.b.value()},
               {"weight", t.weight},
               {"kind", domain::TieKindCode(t.kind)},
               {"from", t.from},
               {"until", t.until}});
}
std::string Snap(const domain::Challenge& c) {
  J caps = J::array();
  for (const auto& n : c.capabilities) caps.push_back({{"capability", n.capability}, {"weight", n.weight}});
  return Dump({{"title", c.title},
               {"phase", domain::ChallengePhaseCode(c.phase)},
               {"municipality", c.municipality.value()},
               {"text", c.text},
               {"themes", c.themes},
               {"capabilities", caps},
               {"budget_eur", c.budget_eur},
               {"area", c.area},
               {"deadline", c.deadline},
               {"max_coalition_size", c.max_coalition_size}});
}
std::string Snap(const domain::Coalition& c) {
  J members = J::array();
  for (const auto& m : c.members)
    members.push_back({{"actor", m.actor.value()}, {"role", m.role}, {"status", domain::MemberStatusCode(m.status)}});
  return Dump({{"challenge", c.challenge.value()},
               {"status", domain::CoalitionStatusCode(c.status)},
               {"members", members},
               {"explanation", c.explanation}});
}
std::string Snap(const domain::Proposal& p) {
  const auto* v = p.versions.empty() ? nullptr : &p.versions.back();
  return Dump({{"challenge", p.challenge.value()},
               {"coalition", IdOrNull(p.coalition)},
               {"status", p.status},
               {"supports", p.supports},
               {"versions", p.versions.size()},
               {"title", v ? v->title : ""},
               {"budget_eur", v ? v->budget_eur : 0}});
}
std::string Snap(const domain::Round& r) {
  J projects = J::array(), criteria = J::array();
  for (const auto& p : r.projects)
    projects.push_back({{"project_id", p.project_id}, {"title", p.title}, {"cost_eur", p.cost_eur}});
  for (const auto& c : r.criteria) criteria.push_back({{"name", c.name}, {"max_score", c.max_score}});
  return Dump({{"name", r.name},
               {"phase", domain::RoundPhaseCode(r.phase)},
               {"budget_eur", r.budget_eur},
               {"ballot_kind", domain::BallotKindCode(r.ballot_kind)},
               {"rule", r.rule},
               {"projects", projects},
               {"criteria", criteria}});
}
std::string Snap(const domain::Experiment& e) {
  J indicators = J::array();
  for (const auto& i : e.indicators)
    indicators.push_back({{"id", i.id.value()}, {"name", i.name}, {"measurements", i.measurements.size()}});
  return Dump({{"proposal", e.proposal.value()},
               {"status", e.status},
               {"hypotheses", e.hypotheses},
               {"indicators", indicators},
               {"outcome", e.outcome},
               {"learned", e.learned}});
}
std::string Snap(const domain::RoleGrant& g) {
  return Dump({{"user", g.user.value()},
               {"role", domain::RoleCode(g.role)},
               {"municipality", IdOrNull(g.municipality)},
               {"actor", IdOrNull(g.actor)}});
}

}  // namespace

Status Platform::Logged(const Principal& p, MunicipalityId m, std::string_view entity, std::string_view action,
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
    // The users concerned hear about it in the same transaction (service/notifications.h).
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

Platform::Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock)
    : store_(std::move(store)), options_(options), clock_(clock), accounts_(clock, AccountOptionsOf(options)) {
  if (options_.readers.count > 0 && !options_.readers.url.empty()) {
    // A private in-memory database has no second connection: reads share the writer's lock.
    auto pool = ReaderPool::Create(options_.readers.url, options_.readers.count);
    if (pool.ok()) {
      readers_ = std::move(pool).value();
    } else if (pool.status().code() != StatusCode::kFailedPrecondition) {
      spdlog::warn("reads share the writer's connection: {}", pool.status().ToString());
    }
  }
}

// The reader a thread holds (ReadLock) and the Platform's StoreRef it belongs to.
namespace {
struct ThreadReader {
  const void* owner = nullptr;
  storage::Store* store = nullptr;
};
thread_local ThreadReader t_reader;
}  // namespace

storage::Store& Platform::StoreRef::Current() const {
  if (t_reader.owner == this) return *t_reader.store;
  return *writer_;
}

Platform::ReadLock::ReadLock(Platform& p) {
  if (t_reader.owner == &p.store_) return;  // nested: the outer ReadLock's reader serves
  if (p.readers_) {
    // A failure was logged by the pool (once per retry period): read on the writer's connection.
    auto lease = p.readers_->Acquire();
    if (lease.ok()) {
      lease_ = std::move(lease).value();
      t_reader = {&p.store_, lease_.get()};
      bound_ = true;
      return;
    }
  }
  lock_ = std::unique_lock(p.mu_);
}

Platform::ReadLock::~ReadLock() {
  if (bound_) t_reader = {};
}

Platform::WriteLock::WriteLock(Platform& p)
    : p_(p), lock_(p.mu_), outer_owner_(t_reader.owner), outer_reader_(t_reader.store) {
  t_reader = {};
}

Platform::WriteLock::~WriteLock() {
  t_reader = {outer_owner_, outer_reader_};
  p_.dirty_.store(true);
}

int Platform::ReadersOpen() const { return readers_ ? readers_->open() : 0; }

std::string Platform::Now() const { return FormatTimestamp(clock_.Now()); }

const std::string& Platform::DecoyHash() {
  std::call_once(decoy_once_, [this] {
    auto h = HashPassword(RandomToken(), options_.password_cost);
    if (h.ok()) decoy_hash_ = std::move(h).value();
  });
  return decoy_hash_;
}

std::string Platform::Dialect() {
  ReadLock lock(*this);
  return store_->Dialect();
}

Status Platform::Follow() {
  auto now = std::chrono::steady_clock::now();
  if (!follower_.started()) {
    // Start at the feed's last stretch, so that writes still committing are waited for as gaps.
    WEEFSEL_ASSIGN_OR_RETURN(int64_t head, store_->DataVersion());
    int64_t after = std::max<int64_t>(0, head - 1000);
    WEEFSEL_ASSIGN_OR_RETURN(auto page, store_->ChangesSince(after, 100000));
    follower_.Apply(after, page, now);
    return Status::Ok();
  }
  constexpr int kPage = 10000;
  for (;;) {
    int64_t after = follower_.Cursor();
    WEEFSEL_ASSIGN_OR_RETURN(auto page, store_->ChangesSince(after, kPage));
    follower_.Apply(after, page, now);
    if (page.changes.size() < static_cast<size_t>(kPage)) return Status::Ok();
  }
}

Status Platform::Refresh() {
  int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t ttl = static_cast<int64_t>(options_.version_ttl.count()) * 1000000;
  if (!dirty_.load() && now - checked_at_.load() < ttl) return Status::Ok();
  std::unique_lock lock(mu_, std::defer_lock);
  if (!dirty_.load()) {
    // Fresh enough unless the store changed behind our back: let one thread look, the others go on.
    if (!lock.try_lock()) return Status::Ok();
  } else {
    lock.lock();
  }
  dirty_.store(false);
  Status s = Follow();
  if (!s.ok()) {
    dirty_.store(true);
    return s;
  }
  checked_at_.store(now);
  return Status::Ok();
}

bool Platform::Fresh() const {
  int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t ttl = static_cast<int64_t>(options_.version_ttl.count()) * 1000000;
  return !dirty_.load() && now - checked_at_.load() < ttl;
}

Result<int64_t> Platform::VersionOf(const std::vector<std::string>& scopes) {
  WEEFSEL_RETURN_IF_ERROR(Refresh());
  return follower_.VersionOf(scopes);
}

std::optional<int64_t> Platform::FreshVersionOf(const std::vector<std::string>& scopes) const {
  if (!Fresh()) return std::nullopt;
  return follower_.VersionOf(scopes);
}

Result<int64_t> Platform::DataVersion() {
  WEEFSEL_RETURN_IF_ERROR(Refresh());
  return follower_.Any();
}

std::optional<int64_t> Platform::FreshDataVersion() const {
  if (!Fresh()) return std::nullopt;
  return follower_.Any();
}

Status Platform::Ready() {
  {
    std::lock_guard lock(mu_);
    auto v = store_->SchemaVersion();
    if (!v.ok()) return v.status();
  }
  if (!readers_) return Status::Ok();
  ReadLock lock(*this);  // a reader answers too
  auto v = store_->SchemaVersion();
  return v.ok() ? Status::Ok() : v.status();
}

Status Platform::WithStore(const std::function<Status(storage::Store&)>& fn) {
  WriteLock lock(*this);
  return fn(*store_);
}

Status Platform::WithReader(const std::function<Status(storage::Store&)>& fn) {
  ReadLock lock(*this);
  return fn(*store_);
}

// ---- identity -------------------------------------------------------------------------------

Result<Principal> Platform::PrincipalOf(UserId user) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::User u, store_->GetUser(user));
  // A blocked account has no sessions or tokens left; this closes the gap of a request in flight.
  if (store_->GetBlock(user).ok())
    return Status::Unauthenticated("this account is blocked").WithReason("account_blocked");
  WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_->GrantsOf(user));
  return Principal{u.id, u.email, u.display_name, std::move(grants)};
}

Result<Session> Platform::Login(const std::string& email, const std::string& password, const std::string& address) {
  Result<domain::User> user = Status::NotFound("");
  {
    ReadLock lock(*this);
    user = store_->GetUserByEmail(std::string(Trim(email)));
  }
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  // The throttle's key is the account's id (every spelling of its e-mail address is one account);
  // an unknown address counts only against the address that tried it.
  std::string account = user.ok() ? std::to_string(user->id.value()) : std::string();
  WEEFSEL_RETURN_IF_ERROR(accounts_.CheckLoginAllowed(account, address));
  // Verify even for unknown accounts, against a hash of the same cost as real ones, so that timing
  // does not tell which e-mail addresses exist.
  bool good = VerifyPassword(user.ok() ? user->password_hash : DecoyHash(), password) && user.ok();
  if (!good) {
    accounts_.RecordLoginFailure(account, address);
    return Status::Unauthenticated("login: unknown e-mail address or wrong password").WithReason("wrong_credentials");
  }
  accounts_.RecordLoginSuccess(account, address);
  WEEFSEL_RETURN_IF_ERROR(RefuseBlocked(user->id));
  return OpenSession(user->id);
}

Status Platform::RefuseBlocked(UserId user) {
  ReadLock lock(*this);
  auto b = store_->GetBlock(user);
  if (b.ok())
    return Status::PermissionDenied("login: this account is blocked by a moderator: " + b->reason)
        .WithReason("account_blocked");
  if (b.status().code() != StatusCode::kNotFound) return b.status();
  return Status::Ok();
}

Result<Session> Platform::OpenSession(UserId user) {
  TimePoint now = clock_.Now();
  Session session{RandomToken(), "", user, FormatTimestamp(now + options_.accounts.session_ttl)};
  session.csrf = CsrfFor(session.id);
  storage::StoredSession row{HashSecret(session.id), user, FormatTimestamp(now), FormatTimestamp(now),
                             session.expires_at};
  std::lock_guard lock(mu_);
  // Expired sessions are swept at each login (indexed on expires_at), so the table stays small.
  WEEFSEL_RETURN_IF_ERROR(store_->DeleteSessionsExpiredBy(row.created_at).status());
  WEEFSEL_RETURN_IF_ERROR(store_->PutSession(row));
  return session;
}

Result<Session> Platform::SignInWithOidc(const IdClaims& c, const std::string& address) {
  Result<UserId> linked = Status::NotFound("");
  {
    ReadLock lock(*this);
    linked = store_->FindOidcIdentity(c.issuer, c.subject);
  }
  if (linked.ok()) {
    WEEFSEL_RETURN_IF_ERROR(RefuseBlocked(*linked));
    return OpenSession(*linked);
  }
  if (linked.status().code() != StatusCode::kNotFound) return linked.status();
  // The first sign-in makes the account: through a resident broker (DigiD) a resident of the
  // broker's municipality; otherwise with no rights until an admin or officer grants them.
  WEEFSEL_RETURN_IF_ERROR(accounts_.CountRegistration(address));
  if (c.email.empty())
    return Status::InvalidArgument("id_token: the identity provider sent no e-mail address (scope email)");
  std::vector<domain::RoleGrant> grants;
  if (c.resident_broker) {
    WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId home, BrokerMunicipality(c));
    grants.push_back({UserId(), Role::kResident, home, {}});
  }
  domain::User u;
  u.email = c.email;
  u.display_name = c.name.empty() ? c.email : c.name;
  // No password (one nobody knows): the account signs in through its provider. Its registration
  // mark, as for a self-registered account, lets officers see many accounts made from one network.
  std::string address_key = AddressKey(address, options_.vote_key);
  auto made = InsertUser(u, std::nullopt, grants, [&](const domain::User& x) {
    WEEFSEL_RETURN_IF_ERROR(store_->LinkOidcIdentity(
        {c.issuer, c.subject, x.id, c.provider, c.resident_broker, /*made_account=*/true, Now()}));
    return store_->PutRegistrationMark({x.id, address_key, x.created_at, ""});
  });
  if (!made.ok() && made.status().code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists("an account with the e-mail address " + c.email +
                                 " exists already; sign in with its password and link this identity on its "
                                 "account page")
        .WithReason("email_taken");
  if (!made.ok()) return made.status();
  return OpenSession(made->id);
}

Result<MunicipalityId> Platform::BrokerMunicipality(const IdClaims& c) {
  ReadLock lock(*this);
  auto m = store_->GetMunicipalityByCode(c.municipality);
  if (m.ok()) return m->id;
  if (m.status().code() != StatusCode::kNotFound) return m.status();
  // A deployment mistake (the broker's municipality is not on the platform): the operator's to mend.
  return Status::Unavailable("oidc provider '" + c.provider + "': municipality: '" + c.municipality +
                             "' is not a municipality of this platform");
}

Result<std::vector<storage::OidcIdentity>> Platform::OidcIdentitiesOf(const Principal& p) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOwnData, {}));
  ReadLock lock(*this);
  return store_->OidcIdentitiesOf(p.user);
}

Status Platform::LinkOidc(const Principal& p, const IdClaims& c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kLinkIdentity, {.owner = UserId(c.link_user)}));
  MunicipalityId home;
  if (c.resident_broker) {
    WEEFSEL_ASSIGN_OR_RETURN(home, BrokerMunicipality(c));
  }
  WriteLock lock(*this);
  auto link = [&]() -> Status {
    auto linked = store_->FindOidcIdentity(c.issuer, c.subject);
    if (linked.ok() && *linked == p.user) return Status::Ok();  // linked already: nothing to do
    if (linked.ok())
      return Status::AlreadyExists("oidc identity: this account at " + c.provider +
                                   " is linked to another weefsel account; unlink it there first")
          .WithReason("oidc_identity_taken", {{"provider", c.provider}});
    if (linked.status().code() != StatusCode::kNotFound) return linked.status();
    return store_->LinkOidcIdentity(
        {c.issuer, c.subject, p.user, c.provider, c.resident_broker, /*made_account=*/false, Now()});
  };
  if (!c.resident_broker || p.IsResidentOf(home)) return store_->Transaction(link);
  // DigiD says the person lives in the broker's municipality: the account becomes its resident,
  // audited as any grant is.
  domain::RoleGrant g{p.user, Role::kResident, home, {}};
  return Logged(
      p, home, "user", "grant", "",
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(link());
        return store_->Grant(g);
      },
      [&] { return std::make_pair(g.user.value(), Snap(g)); });
}

Status Platform::UnlinkOidc(const Principal& p, const std::string& issuer) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOwnData, {}));
  if (issuer.empty()) return Status::InvalidArgument("issuer: required (the identity provider to unlink)");
  WriteLock lock(*this);
  return store_->Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(auto links, store_->OidcIdentitiesOf(p.user));
    bool made = false;
    size_t matched = 0;
    for (const auto& l : links) {
      made = made || l.made_account;
      if (l.issuer == issuer) ++matched;
    }
    if (matched == 0) return Status::NotFound("issuer: your account has no link to identity provider " + issuer);
    if (made && matched == links.size())
      return Status::Conflict(
                 "issuer: your account signs in only through this identity provider (it has no "
                 "password); link another one before unlinking it")
          .WithReason("oidc_last_sign_in");
    for (const auto& l : links)
      if (l.issuer == issuer) WEEFSEL_RETURN_IF_ERROR(store_->UnlinkOidcIdentity(p.user, l.issuer, l.subject));
    return Status::Ok();
  });
}

Result<Session> Platform::FindSession(const std::string& id) {
  if (id.empty() || id.size() > 200) return Status::NotFound("session: no such session");
  TimePoint now = clock_.Now();
  std::string now_text = FormatTimestamp(now);
  std::string hash = HashSecret(id);
  // Every signed-in request reads its session: on a reader, so that it does not wait for writes;
  // the writer's lock only for the rare expiry or touch below.
  Result<storage::StoredSession> found = Status::NotFound("");
  {
    ReadLock read(*this);
    found = store_->GetSession(hash);
  }
  WEEFSEL_ASSIGN_OR_RETURN(storage::StoredSession row, std::move(found));
  std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
  if (row.expires_at <= now_text) {
    lock.lock();
    WEEFSEL_RETURN_IF_ERROR(store_->DeleteSession(hash));
    return Status::NotFound("session: expired");
  }
  // Last seen is written at most once per touch interval, not on every request; each write moves
  // the expiry (sliding), but never past the session's maximum age.
  if (FormatTimestamp(now - options_.accounts.touch_interval) >= row.last_seen_at) {
    TimePoint expires = now + options_.accounts.session_ttl;
    if (auto made = ParseTimestamp(row.created_at))
      expires = std::min(expires, *made + options_.accounts.session_max_age);
    std::string expires_text = std::max(FormatTimestamp(expires), row.expires_at);
    lock.lock();
    WEEFSEL_RETURN_IF_ERROR(store_->TouchSession(hash, now_text, expires_text));
    row.expires_at = expires_text;
  }
  return Session{id, CsrfFor(id), row.user, row.expires_at};
}

Result<storage::RetentionCounts> Platform::ApplyRetention() {
  TimePoint now = clock_.Now();
  auto before = [&](int days) {
    return days > 0 ? FormatTimestamp(now - std::chrono::hours(24) * days) : std::string();
  };
  const auto& r = options_.retention;
  storage::RetentionCutoffs c{FormatTimestamp(now),  before(r.audit_days),          before(r.notifications_days),
                              before(r.outbox_days), before(r.expired_tokens_days), before(r.registration_days)};
  std::lock_guard lock(mu_);
  return store_->Purge(c);
}

Status Platform::EndSession(const std::string& id) {
  std::lock_guard lock(mu_);
  return store_->DeleteSession(HashSecret(id));
}

Result<storage::StoredToken> Platform::FindToken(const std::string& token) {
  if (token.empty() || token.size() > 200) return Status::NotFound("token: no such API token");
  std::string hash = HashSecret(token);
  std::string now = Now();
  Result<storage::StoredToken> found = Status::NotFound("");
  {
    ReadLock read(*this);  // as FindSession: the writer's lock only to record a use
    found = store_->GetTokenByHash(hash);
  }
  WEEFSEL_ASSIGN_OR_RETURN(storage::StoredToken row, std::move(found));
  std::string expires = row.expires_at;
  if (expires.empty()) {
    auto made = ParseTimestamp(row.created_at);
    expires = made ? FormatTimestamp(*made + std::chrono::hours(24 * 90)) : std::string();
  }
  if (expires <= now) return Status::NotFound("token: expired");
  // Last use to the minute: enough to tell a live integration from a forgotten token.
  if (row.last_used_at.substr(0, 16) != now.substr(0, 16)) {
    std::lock_guard lock(mu_);
    WEEFSEL_RETURN_IF_ERROR(store_->TouchToken(row.id, now));
  }
  return row;
}

Result<domain::User> Platform::Register(domain::User user, const std::string& password, MunicipalityId municipality,
                                        const std::string& address, const Proof& proof) {
  WEEFSEL_RETURN_IF_ERROR(accounts_.CountRegistration(address));
  WEEFSEL_RETURN_IF_ERROR(accounts_.CheckRegistrationProof(proof.challenge, proof.nonce));
  if (!municipality.valid()) return Status::InvalidArgument("municipality: required (the municipality you live in)");
  std::string address_key = AddressKey(address, options_.vote_key);
  // The challenge is used up, and the mark written, with the account: all or nothing.
  return InsertUser(std::move(user), password, {{UserId(), Role::kResident, municipality, {}}},
                    [&](const domain::User& made) -> Status {
                      WEEFSEL_RETURN_IF_ERROR(accounts_.UseRegistrationChallenge(proof.challenge));
                      return store_->PutRegistrationMark({made.id, address_key, made.created_at, ""});
                    });
}

Result<domain::User> Platform::CreateUser(const Principal& p, domain::User user, const std::string& password,
                                          std::vector<domain::RoleGrant> grants) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kCreateAccount, {}));
  return InsertUser(std::move(user), password, std::move(grants));
}

Result<domain::User> Platform::InsertUser(domain::User user, const std::optional<std::string>& password,
                                          std::vector<domain::RoleGrant> grants,
                                          const std::function<Status(const domain::User&)>& within) {
  user.id = UserId();
  user.email = std::string(Trim(user.email));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(user));
  // An account that signs in elsewhere (an identity provider) gets a password nobody knows.
  if (!password) {
    WEEFSEL_ASSIGN_OR_RETURN(user.password_hash, HashPassword(RandomToken(), options_.password_cost));
  } else {
    WEEFSEL_RETURN_IF_ERROR(CheckPasswordStrength(*password, user.email));
    WEEFSEL_ASSIGN_OR_RETURN(user.password_hash, HashPassword(*password, options_.password_cost));
  }
  user.created_at = Now();
  WriteLock lock(*this);
  // Every letter case of an address is one account (the store's index agrees); say so in words.
  if (auto existing = store_->GetUserByEmail(user.email); existing.ok())
    return Status::AlreadyExists("user.email: an account with this e-mail address already exists; sign in instead")
        .WithReason("email_taken");
  for (const auto& g : grants) {
    if (g.role == Role::kOfficer || g.role == Role::kResident || g.role == Role::kModerator) {
      if (!g.municipality.valid())
        return Status::InvalidArgument("grants.municipality: required for role " +
                                       std::string(domain::RoleCode(g.role)));
      WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(g.municipality).status());
    }
    if (g.role == Role::kActorMember) {
      if (!g.actor.valid()) return Status::InvalidArgument("grants.actor: required for role actor_member");
      WEEFSEL_RETURN_IF_ERROR(store_->GetActor(g.actor).status());
    }
  }
  MunicipalityId home;
  for (const auto& g : grants)
    if (g.municipality.valid()) home = g.municipality;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      Principal{user.id, "", "", {}}, home, "user", "create", "",
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(store_->Insert(user).status());
        for (auto g : grants) {
          g.user = user.id;
          WEEFSEL_RETURN_IF_ERROR(store_->Grant(g));
        }
        return within ? within(user) : Status::Ok();
      },
      [&] {
        J roles = J::array();
        for (auto g : grants) {
          g.user = user.id;
          roles.push_back(J::parse(Snap(g)));
        }
        return std::make_pair(user.id.value(), Dump({{"display_name", user.display_name}, {"grants", roles}}));
      }));
  return user;
}

Result<domain::User> Platform::GetUser(const Principal& p, UserId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadAccount, {.owner = id}));
  ReadLock lock(*this);
  return store_->GetUser(id);
}

Result<std::vector<domain::RoleGrant>> Platform::GrantsOf(const Principal& p, UserId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadGrants, {.owner = id}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(id).status());
  return store_->GrantsOf(id);
}

Status Platform::Grant(const Principal& p, const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(g.user).status());
  // Officers appoint their municipality's moderators as they admit its residents, and the members
  // of its actors; officers and admins are appointed by admins.
  Action act = Action::kGrantStaffRole;
  core::Scope scope{.words = {{"role", std::string(domain::RoleCode(g.role))}}};
  if (g.role == Role::kResident || g.role == Role::kModerator) {
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(g.municipality).status());
    act = Action::kGrantLocalRole;
    scope.municipalities = {g.municipality};
  } else if (g.role == Role::kActorMember) {
    WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(g.actor));
    act = Action::kGrantLocalRole;
    scope.municipalities = {a.municipality};
  } else if (g.role == Role::kOfficer) {
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(g.municipality).status());
  }
  WEEFSEL_RETURN_IF_ERROR(Can(p, act, scope));
  MunicipalityId m = g.municipality;
  if (!m.valid() && g.actor.valid()) {
    WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(g.actor));
    m = a.municipality;
  }
  return Logged(
      p, m, "user", "grant", "", [&] { return store_->Grant(g); },
      [&] { return std::make_pair(g.user.value(), Snap(g)); });
}

Status Platform::Revoke(const Principal& p, const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kRevokeRole, {}));
  WriteLock lock(*this);
  return Logged(
      p, g.municipality, "user", "revoke", Snap(g), [&] { return store_->Revoke(g); },
      [&] { return std::make_pair(g.user.value(), std::string()); });
}

Result<std::string> Platform::CreateToken(const Principal& p, const std::string& name, const std::string& scope,
                                          int days) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMakeToken, {}));
  if (!p.token_scope.empty())
    return Status::PermissionDenied("API tokens are made from a signed-in session, not with another API token");
  if (Trim(name).empty() || name.size() > 200)
    return Status::InvalidArgument("token.name: must be 1 to 200 characters");
  if (scope != "read" && scope != "write") return Status::InvalidArgument("token.scope: must be read or write");
  if (days < 1 || days > 365) return Status::InvalidArgument("token.expires_in_days: must be 1 to 365");
  std::string token = "wf_" + RandomToken();
  TimePoint now = clock_.Now();
  storage::StoredToken row{0,
                           HashSecret(token),
                           p.user,
                           std::string(Trim(name)),
                           FormatTimestamp(now),
                           "",
                           FormatTimestamp(now + std::chrono::hours(24 * days)),
                           scope};
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(row).status());
  return token;
}

Result<std::vector<storage::StoredToken>> Platform::TokensOf(const Principal& p, UserId user) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kListTokens, {.owner = user}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(user).status());
  return store_->TokensOf(user);
}

Status Platform::RevokeToken(const Principal& p, int64_t token_id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::lock_guard lock(mu_);
  // Only the owner's (or, for an admin, any) tokens are visible: others' ids are NotFound.
  WEEFSEL_ASSIGN_OR_RETURN(auto mine, store_->TokensOf(p.user));
  bool own = std::any_of(mine.begin(), mine.end(), [token_id](const auto& t) { return t.id == token_id; });
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kRevokeToken, {.owner = own ? p.user : UserId(), .words = {{"id", std::to_string(token_id)}}}));
  return store_->DeleteToken(token_id);
}

// ---- municipalities -------------------------------------------------------------------------

Result<std::vector<domain::Municipality>> Platform::ListMunicipalities(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListMunicipalities(q);
}

Result<domain::Municipality> Platform::GetMunicipality(MunicipalityId id) {
  ReadLock lock(*this);
  return store_->GetMunicipality(id);
}

Result<domain::Municipality> Platform::CreateMunicipality(const Principal& p, domain::Municipality m) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAddMunicipality, {}));
  m.id = MunicipalityId();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, MunicipalityId(), "municipality", "create", "", [&] { return store_->Insert(m).status(); },
      [&] { return std::make_pair(m.id.value(), Snap(m)); }));
  return m;
}

Result<domain::Municipality> Platform::UpdateMunicipality(const Principal& p, MunicipalityId id,
                                                          const Patch<domain::Municipality>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality m, store_->GetMunicipality(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeMunicipality, {.municipalities = {id}}));
  std::string was = Snap(m);
  WEEFSEL_RETURN_IF_ERROR(patch(m));
  m.id = id;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, id, "municipality", "update", was, [&] { return store_->Update(m); },
      [&] { return std::make_pair(id.value(), Snap(m)); }));
  return m;
}

// ---- actors and ties ------------------------------------------------------------------------

Result<std::vector<domain::Actor>> Platform::ListActors(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListActors(q);
}

Result<domain::Actor> Platform::GetActor(ActorId id) {
  ReadLock lock(*this);
  return store_->GetActor(id);
}

Result<domain::Actor> Platform::CreateActor(const Principal& p, domain::Actor a) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAddActor, {.municipalities = {a.municipality}}));
  a.id = ActorId();
  a.generated = false;
  if (a.source.empty()) a.source = "api";
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(a.themes, a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  WriteLock lock(*this);
  if (a.municipality.valid())
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(a.municipality).status().WithContext("actor.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, a.municipality, "actor", "create", "", [&] { return store_->Insert(a).status(); },
      [&] { return std::make_pair(a.id.value(), Snap(a)); }));
  return a;
}

Result<domain::Actor> Platform::UpdateActor(const Principal& p, ActorId id, const Patch<domain::Actor>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeActor, {.municipalities = {a.municipality}, .actors = {id}}));
  MunicipalityId before = a.municipality;
  std::string was = Snap(a);
  WEEFSEL_RETURN_IF_ERROR(patch(a));
  a.id = id;
  if (a.municipality != before)
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveActor, {.municipalities = {a.municipality}}));
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(a.themes, a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  if (a.municipality.valid())
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(a.municipality).status().WithContext("actor.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, a.municipality, "actor", "update", was, [&] { return store_->Update(a); },
      [&] { return std::make_pair(id.value(), Snap(a)); }));
  return a;
}

Status Platform::DeleteActor(const Principal& p, ActorId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kRemoveActor, {.municipalities = {a.municipality}}));
  return Logged(
      p, a.municipality, "actor", "delete", Snap(a), [&] { return store_->DeleteActor(id); },
      [&] { return std::make_pair(id.value(), std::string()); });
}

Result<std::vector<domain::Tie>> Platform::ListTies(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListTies(q);
}

Result<std::vector<domain::Tie>> Platform::TiesOf(ActorId actor) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetActor(actor).status());
  return store_->TiesOf(actor);
}

Result<domain::Tie> Platform::CreateTie(const Principal& p, domain::Tie t) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  t.id = TieId();
  domain::Normalize(t);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(t.a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor b, store_->GetActor(t.b));
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kAddTie, {.municipalities = {a.municipality, b.municipality}, .actors = {a.id, b.id}}));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, a.municipality.valid() ? a.municipality : b.municipality, "tie", "create", "",
      [&] { return store_->Insert(t).status(); }, [&] { return std::make_pair(t.id.value(), Snap(t)); }));
  return t;
}

Status Platform::DeleteTie(const Principal& p, ActorId actor, TieId tie) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto ties, store_->TiesOf(actor));
  auto it = std::find_if(ties.begin(), ties.end(), [tie](const auto& t) { return t.id == tie; });
  if (it == ties.end())
    return Status::NotFound("tie " + std::to_string(tie.value()) + " of actor " + std::to_string(actor.value()));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(it->a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor b, store_->GetActor(it->b));
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kRemoveTie, {.municipalities = {a.municipality, b.municipality}, .actors = {a.id, b.id}}));
  return Logged(
      p, a.municipality.valid() ? a.municipality : b.municipality, "tie", "delete", Snap(*it),
      [&] { return store_->DeleteTie(tie); }, [&] { return std::make_pair(tie.value(), std::string()); });
}

// ---- challenges -----------------------------------------------------------------------------

Result<std::vector<domain::Challenge>> Platform::ListChallenges(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListChallenges(q);
}

Result<domain::Challenge> Platform::GetChallenge(ChallengeId id) {
  ReadLock lock(*this);
  return store_->GetChallenge(id);
}

Result<domain::Challenge> Platform::CreateChallenge(const Principal& p, domain::Challenge c) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kPostChallenge, {.municipalities = {c.municipality}}));
  c.id = ChallengeId();
  c.created_at = Now();
  for (auto& need : c.capabilities) need.capability = domain::NormalizeCapability(need.capability);
  std::vector<std::string> no_caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, no_caps));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(c.municipality).status().WithContext("challenge.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "challenge", "create", "", [&] { return store_->Insert(c).status(); },
      [&] { return std::make_pair(c.id.value(), Snap(c)); }));
  return c;
}

Result<domain::Challenge> Platform::UpdateChallenge(const Principal& p, ChallengeId id,
                                                    const Patch<domain::Challenge>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeChallenge, {.municipalities = {c.municipality}}));
  MunicipalityId before = c.municipality;
  std::string created = c.created_at;
  domain::ChallengePhase phase = c.phase;
  std::string was = Snap(c);
  WEEFSEL_RETURN_IF_ERROR(patch(c));
  c.id = id;
  c.created_at = created;
  if (c.phase != phase)
    return Status::InvalidArgument("phase: a challenge changes phase with POST /api/v1/challenges/" +
                                   std::to_string(id.value()) + "/phase, one step at a time")
        .WithReason("phase_not_editable");
  if (c.municipality != before)
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveChallenge, {.municipalities = {c.municipality}}));
  for (auto& need : c.capabilities) need.capability = domain::NormalizeCapability(need.capability);
  std::vector<std::string> no_caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, no_caps));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(c.municipality).status().WithContext("challenge.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "challenge", "update", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<domain::Challenge> Platform::SetChallengePhase(const Principal& p, ChallengeId id,
                                                      domain::ChallengePhase phase) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveChallengePhase, {.municipalities = {c.municipality}}));
  auto next = domain::NextChallengePhase(c.phase);
  bool closing = phase == domain::ChallengePhase::kClosed && c.phase != domain::ChallengePhase::kClosed;
  if (!closing && next != phase) {
    std::string now(domain::ChallengePhaseCode(c.phase));
    std::string to(domain::ChallengePhaseCode(phase));
    std::string then = next ? std::string(domain::ChallengePhaseCode(*next)) : "";
    return Status::Conflict("phase: challenge " + std::to_string(id.value()) + " is in phase " + now +
                            (next ? "; it moves to " + then + " next" : "; it moves no further") +
                            (c.phase == domain::ChallengePhase::kClosed ? "" : " (or to closed)") + ", not to " + to)
        .WithReason("phase_move_not_allowed", {{"what", "challenge"}, {"from", now}, {"to", to}, {"next", then}});
  }
  std::string was = Snap(c);
  c.phase = phase;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "challenge", "phase", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

namespace {
// Coalitions and proposals belong to the phases before funding.
Status OpenForCoalitions(const domain::Challenge& c, std::string_view what) {
  if (static_cast<int>(c.phase) <= static_cast<int>(domain::ChallengePhase::kProposals)) return Status::Ok();
  std::string now(domain::ChallengePhaseCode(c.phase));
  return Status::Conflict("phase: challenge " + std::to_string(c.id.value()) + " is " + now + "; " + std::string(what) +
                          " only until the proposals phase")
      .WithReason("challenge_past_proposals", {{"phase", now}});
}
}  // namespace

Result<MunicipalityId> Platform::MunicipalityOfChallenge(ChallengeId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  return c.municipality;
}

Result<MunicipalityId> Platform::MunicipalityOfProposal(ProposalId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal p, store_->GetProposal(id));
  return MunicipalityOfChallenge(p.challenge);
}

// ---- coalitions -----------------------------------------------------------------------------

Result<std::vector<domain::Coalition>> Platform::CoalitionsOf(ChallengeId challenge) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetChallenge(challenge).status());
  return store_->CoalitionsOf(challenge);
}

Result<domain::Coalition> Platform::GetCoalition(CoalitionId id) {
  ReadLock lock(*this);
  return store_->GetCoalition(id);
}

Result<domain::Coalition> Platform::ProposeCoalition(const Principal& p, domain::Coalition c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, store_->GetChallenge(c.challenge));
  MunicipalityId m = challenge.municipality;
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kProposeCoalition, {.municipalities = {m}}));
  WEEFSEL_RETURN_IF_ERROR(OpenForCoalitions(challenge, "coalitions are proposed"));
  c.id = CoalitionId();
  c.status = domain::CoalitionStatus::kProposed;
  c.created_at = Now();
  for (auto& mem : c.members) {
    mem.status = domain::MemberStatus::kProposed;
    WEEFSEL_RETURN_IF_ERROR(store_->GetActor(mem.actor).status().WithContext("coalition.members"));
  }
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "create", "", [&] { return store_->Insert(c).status(); },
      [&] { return std::make_pair(c.id.value(), Snap(c)); }));
  return c;
}

namespace {

void SettleStatus(domain::Coalition& c) {
  using domain::MemberStatus;
  int accepted = 0, open = 0;
  for (const auto& m : c.members) {
    if (m.status == MemberStatus::kAccepted) ++accepted;
    if (m.status == MemberStatus::kInvited || m.status == MemberStatus::kProposed) ++open;
  }
  if (accepted > 0 && open == 0)
    c.status = domain::CoalitionStatus::kFormed;
  else if (accepted == 0 && open == 0)
    c.status = domain::CoalitionStatus::kDissolved;
  else
    c.status = domain::CoalitionStatus::kForming;
}

}  // namespace

Result<domain::Coalition> Platform::Invite(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::string was = Snap(c);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kInvite, {.municipalities = {m}}));
  WEEFSEL_RETURN_IF_ERROR(store_->GetActor(actor).status().WithContext("invite.actor"));
  if (c.status == domain::CoalitionStatus::kDissolved)
    return Status::Conflict("coalition: dissolved coalitions take no invitations").WithReason("coalition_dissolved");
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end()) {
    domain::CoalitionMember mem;
    mem.actor = actor;
    mem.status = domain::MemberStatus::kInvited;
    c.members.push_back(mem);
  } else if (it->status == domain::MemberStatus::kAccepted) {
    return Status::Conflict("invite.actor: actor " + std::to_string(actor.value()) + " has already accepted")
        .WithReason("already_accepted", {{"actor", std::to_string(actor.value())}});
  } else {
    it->status = domain::MemberStatus::kInvited;
  }
  SettleStatus(c);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "invite", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<domain::Coalition> Platform::Accept(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAnswerInvitation, {.actors = {actor}}));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::string was = Snap(c);
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end() || it->status != domain::MemberStatus::kInvited)
    return Status::Conflict("accept.actor: actor " + std::to_string(actor.value()) +
                            " has no open invitation to coalition " + std::to_string(id.value()));
  it->status = domain::MemberStatus::kAccepted;
  SettleStatus(c);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "accept", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

Result<domain::Coalition> Platform::Decline(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAnswerInvitation, {.actors = {actor}}));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::string was = Snap(c);
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end() ||
      (it->status != domain::MemberStatus::kInvited && it->status != domain::MemberStatus::kProposed))
    return Status::Conflict("decline.actor: actor " + std::to_string(actor.value()) +
                            " has no open invitation to coalition " + std::to_string(id.value()));
  it->status = domain::MemberStatus::kDeclined;
  SettleStatus(c);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "coalition", "decline", was, [&] { return store_->Update(c); },
      [&] { return std::make_pair(id.value(), Snap(c)); }));
  return c;
}

// ---- proposals ------------------------------------------------------------------------------

Result<std::vector<ActorId>> Platform::CoalitionActors(CoalitionId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  std::vector<ActorId> out;
  for (const auto& m : c.members)
    if (m.status != domain::MemberStatus::kDeclined) out.push_back(m.actor);
  return out;
}

Result<std::vector<domain::Proposal>> Platform::ProposalsOf(ChallengeId challenge) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge ch, store_->GetChallenge(challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store_->ProposalsOf(challenge));
  // A proposal is hidden in its challenge's municipality: only that municipality's are read.
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIdsIn("proposal", ch.municipality));
  std::erase_if(
      all, [&](const domain::Proposal& x) { return std::binary_search(hidden.begin(), hidden.end(), x.id.value()); });
  return all;
}

Result<domain::Proposal> Platform::GetProposal(ProposalId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  return store_->GetProposal(id);
}

Status Platform::VisibleProposal(ProposalId id) {
  WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden("proposal", id.value()));
  if (hidden) return Status::NotFound("proposal " + std::to_string(id.value()) + " does not exist");
  return Status::Ok();
}

Result<domain::Proposal> Platform::CreateProposal(const Principal& p, CoalitionId coalition,
                                                  domain::ProposalVersion v) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(coalition));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kWriteProposal, {.actors = actors}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, store_->GetChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(OpenForCoalitions(challenge, "proposals are written"));
  domain::Proposal prop;
  prop.coalition = coalition;
  prop.challenge = c.challenge;
  v.number = 1;
  v.author = p.user;
  v.created_at = Now();
  prop.versions.push_back(std::move(v));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(prop));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, challenge.municipality, "proposal", "create", "", [&] { return store_->Insert(prop).status(); },
      [&] { return std::make_pair(prop.id.value(), Snap(prop)); }));
  return prop;
}

Result<domain::Proposal> Platform::AddVersion(const Principal& p, ProposalId id, domain::ProposalVersion v) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReviseProposal, {.actors = actors}));
  if (prop.status != "draft" && prop.status != "submitted")
    return Status::Conflict("proposal.status: a proposal that is " + prop.status + " can no longer be revised")
        .WithReason("proposal_not_revisable", {{"status", prop.status}});
  if (prop.versions.size() >= kMaxVersions)
    return Status::Conflict("proposal.versions: a proposal has at most " + std::to_string(kMaxVersions) +
                            " versions; start a new proposal")
        .WithReason("too_many_versions", {{"max", std::to_string(kMaxVersions)}});
  std::string was = Snap(prop);
  v.number = static_cast<int>(prop.versions.size()) + 1;
  v.author = p.user;
  v.created_at = Now();
  prop.versions.push_back(std::move(v));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(prop));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "proposal", "version", was, [&] { return store_->Update(prop); },
      [&] { return std::make_pair(id.value(), Snap(prop)); }));
  return prop;
}

Result<domain::Proposal> Platform::SetProposalStatus(const Principal& p, ProposalId id, const std::string& status) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  const std::string& from = prop.status;
  if (status == "submitted") {
    WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kSubmitProposal, {.actors = actors}));
    if (from != "draft")
      return Status::Conflict("proposal.status: only a draft can be submitted (it is " + from + ")")
          .WithReason("status_move_not_allowed", {{"what", "proposal"}, {"from", from}, {"to", status}});
  } else if (status == "in_round" || status == "rejected" || status == "funded") {
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kDecideProposal, {.municipalities = {m}}));
    bool ok = (status == "in_round" && from == "submitted") ||
              (status == "rejected" && (from == "submitted" || from == "in_round")) ||
              (status == "funded" && (from == "in_round" || from == "submitted"));
    if (!ok)
      return Status::Conflict("proposal.status: cannot go from " + from + " to " + status)
          .WithReason("status_move_not_allowed", {{"what", "proposal"}, {"from", from}, {"to", status}});
  } else {
    return Status::InvalidArgument("status: must be submitted, in_round, funded or rejected");
  }
  std::string was = Snap(prop);
  prop.status = status;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "proposal", "status", was, [&] { return store_->Update(prop); },
      [&] { return std::make_pair(id.value(), Snap(prop)); }));
  return prop;
}

Result<std::vector<Comment>> Platform::CommentsOf(ProposalId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store_->CommentsOf(id));
  // Moderation: hidden comments are gone; a hidden profile's name is not shown.
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIdsIn("comment", m));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> profiles, store_->HiddenIds("profile"));
  std::erase_if(all, [&](const Comment& c) { return std::binary_search(hidden.begin(), hidden.end(), c.id); });
  for (auto& c : all)
    if (c.author.valid() && std::binary_search(profiles.begin(), profiles.end(), c.author.value()))
      c.author_name = "hidden profile";
  return all;
}

Result<Comment> Platform::AddComment(const Principal& p, ProposalId id, const std::string& text, int64_t parent) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kComment, {}));
  Comment c;
  c.proposal = id;
  c.parent = parent;
  c.author = p.user;
  c.author_name = p.display_name;
  c.text = std::string(Trim(text));
  c.created_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(id));
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  if (parent > 0) {
    WEEFSEL_ASSIGN_OR_RETURN(bool gone, IsHidden("comment", parent));
    if (gone) return Status::InvalidArgument("comment.parent: comment " + std::to_string(parent) + " does not exist");
  }
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "proposal", "comment", "", [&] { return store_->Insert(c).status(); },
      [&] {
        return std::make_pair(id.value(), Dump({{"comment", c.id}, {"parent", c.parent}, {"text", c.text}}));
      }));
  return c;
}

Result<domain::Proposal> Platform::Support(const Principal& p, ProposalId id) { return ChangeSupport(p, id, true); }

Result<domain::Proposal> Platform::Unsupport(const Principal& p, ProposalId id) { return ChangeSupport(p, id, false); }

// Giving and withdrawing a support: the same rights and the same audit entry, one store call apart.
Result<domain::Proposal> Platform::ChangeSupport(const Principal& p, ProposalId id, bool give) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kSupportProposal, {.municipalities = {m}}));
  std::string was = Snap(prop);
  Result<int64_t> count = 0;
  Status s = Logged(
      p, m, "proposal", give ? "support" : "unsupport", was,
      [&] {
        count = give ? store_->AddSupport(id, p.user, Now()) : store_->RemoveSupport(id, p.user);
        return count.status();
      },
      [&] {
        prop.supports = *count;
        return std::make_pair(id.value(), Snap(prop));
      });
  if (give && s.code() == StatusCode::kAlreadyExists)
    return Status::Conflict("support: you already support proposal " + std::to_string(id.value()))
        .WithReason("already_supports", {{"proposal", std::to_string(id.value())}});
  if (!give && s.code() == StatusCode::kNotFound && StartsWith(s.message(), "support:"))
    return Status::NotFound("support: you do not support proposal " + std::to_string(id.value()))
        .WithReason("not_supporting", {{"proposal", std::to_string(id.value())}});
  WEEFSEL_RETURN_IF_ERROR(s);
  return prop;
}

Result<bool> Platform::Supports(const Principal& p, ProposalId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAskSupport, {}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  return store_->HasSupported(id, p.user);
}

// ---- rounds and ballots ---------------------------------------------------------------------

namespace {
// Moderation (issue 20): a round's project whose proposal is hidden keeps its place (ballots and
// results refer to it) without its title, marked `hidden`. One read per municipality.
Status LeaveOutHiddenTitles(storage::Store& store, std::vector<domain::Round>& rounds) {
  std::map<int64_t, std::vector<int64_t>> hidden;  // per municipality, ascending
  for (auto& r : rounds) {
    if (std::none_of(r.projects.begin(), r.projects.end(),
                     [](const domain::RoundProject& p) { return p.proposal.valid(); }))
      continue;
    auto it = hidden.find(r.municipality.value());
    if (it == hidden.end()) {
      WEEFSEL_ASSIGN_OR_RETURN(auto ids, store.HiddenIdsIn("proposal", r.municipality));
      it = hidden.emplace(r.municipality.value(), std::move(ids)).first;
    }
    for (auto& p : r.projects)
      if (p.proposal.valid() && std::binary_search(it->second.begin(), it->second.end(), p.proposal.value())) {
        p.title.clear();
        p.hidden = true;
      }
  }
  return Status::Ok();
}
}  // namespace

Result<std::vector<domain::Round>> Platform::ListRounds(const storage::ListQuery& q) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto rounds, store_->ListRounds(q));
  WEEFSEL_RETURN_IF_ERROR(LeaveOutHiddenTitles(*store_, rounds));
  return rounds;
}

Result<domain::Round> Platform::GetRound(RoundId id) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  std::vector<domain::Round> one{std::move(r)};
  WEEFSEL_RETURN_IF_ERROR(LeaveOutHiddenTitles(*store_, one));
  return std::move(one.front());
}

Result<domain::Round> Platform::CreateRound(const Principal& p, domain::Round r) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOpenRound, {.municipalities = {r.municipality}}));
  r.id = RoundId();
  r.phase = domain::RoundPhase::kSubmission;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(r.municipality).status().WithContext("round.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "create", "", [&] { return store_->Insert(r).status(); },
      [&] { return std::make_pair(r.id.value(), Snap(r)); }));
  return r;
}

Result<domain::Round> Platform::UpdateRound(const Principal& p, RoundId id, const Patch<domain::Round>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeRound, {.municipalities = {r.municipality}}));
  if (PhaseIndex(r.phase) >= PhaseIndex(domain::RoundPhase::kVoting))
    return Status::Conflict("round.phase: a round cannot change once voting has opened")
        .WithReason("round_fixed", {{"phase", std::string(domain::RoundPhaseCode(r.phase))}});
  domain::Round before = r;
  WEEFSEL_RETURN_IF_ERROR(patch(r));
  r.id = id;
  r.municipality = before.municipality;
  r.phase = before.phase;
  // A client that read the round got no title for a project whose proposal is hidden: sending the
  // project back without one keeps the stored title.
  for (auto& project : r.projects) {
    project.hidden = false;
    if (!project.title.empty() || !project.proposal.valid()) continue;
    for (const auto& was : before.projects)
      if (was.project_id == project.project_id && was.proposal == project.proposal) project.title = was.title;
  }
  if (Snap(r) != Snap(before) && PhaseIndex(r.phase) >= PhaseIndex(domain::RoundPhase::kReview)) {
    domain::Round same = before;
    same.name = r.name;
    if (Snap(same) != Snap(r))
      return Status::Conflict("phase: budget, projects and criteria of a round are fixed once review has begun")
          .WithReason("round_fixed", {{"phase", std::string(domain::RoundPhaseCode(r.phase))}});
  }
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "update", Snap(before), [&] { return store_->Update(r); },
      [&] { return std::make_pair(id.value(), Snap(r)); }));
  return r;
}

Result<domain::Round> Platform::SetRoundPhase(const Principal& p, RoundId id, domain::RoundPhase phase) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveRoundPhase, {.municipalities = {r.municipality}}));
  auto next = domain::NextRoundPhase(r.phase);
  // Review may be skipped by a round that publishes no criteria (nothing to review on).
  bool skip_review =
      r.phase == domain::RoundPhase::kSubmission && phase == domain::RoundPhase::kVoting && r.criteria.empty();
  if (next != phase && !skip_review) {
    std::string now(domain::RoundPhaseCode(r.phase)), to(domain::RoundPhaseCode(phase));
    std::string then = next ? std::string(domain::RoundPhaseCode(*next)) : "";
    return Status::Conflict("phase: round " + std::to_string(id.value()) + " is in phase " + now +
                            (next ? "; it moves to " + then + " next" : "; it moves no further") + ", not to " + to)
        .WithReason("phase_move_not_allowed", {{"what", "round"}, {"from", now}, {"to", to}, {"next", then}});
  }
  std::string was = Snap(r);
  r.phase = phase;
  if (phase != domain::RoundPhase::kPublished) {
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, r.municipality, "round", "phase", was, [&] { return store_->Update(r); },
        [&] { return std::make_pair(id.value(), Snap(r)); }));
    return r;
  }
  // Publication stores the allocation under the round's rule: what the municipality commits.
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, store_->BallotsOf(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, Allocate(r, ballots));
  WEEFSEL_RETURN_IF_ERROR(store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, r.municipality, "round", "phase", was, [&] { return store_->Update(r); },
        [&] { return std::make_pair(id.value(), Snap(r)); }));
    return Logged(
        p, r.municipality, "round", "allocation", "", [&] { return store_->PutAllocations(id, rows); },
        [&] {
          J funded = J::array();
          int64_t total = 0;
          for (const auto& a : rows) {
            funded.push_back(
                {{"project_id", a.project_id}, {"proposal", IdOrNull(a.proposal)}, {"amount_eur", a.amount_eur}});
            total += a.amount_eur;
          }
          return std::make_pair(id.value(), Dump({{"funded", funded}, {"committed_eur", total}}));
        });
  }));
  return r;
}

Result<domain::Review> Platform::PutReview(const Principal& p, RoundId id, domain::Review review) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReviewProjects, {.municipalities = {r.municipality}}));
  if (r.phase != domain::RoundPhase::kReview)
    return Status::Conflict("phase: round " + std::to_string(id.value()) + " is in phase " +
                            std::string(domain::RoundPhaseCode(r.phase)) + "; reviews are written in the review phase")
        .WithReason("wrong_round_phase",
                    {{"phase", std::string(domain::RoundPhaseCode(r.phase))}, {"needs", "review"}});
  review.id = 0;
  review.round = id;
  review.reviewer = p.user;
  review.created_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(review, r));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "review", "", [&] { return store_->PutReview(review).status(); },
      [&] {
        J scores(review.scores);
        return std::make_pair(id.value(), Dump({{"review", review.id},
                                                {"project_id", review.project_id},
                                                {"scores", scores},
                                                {"comment", review.comment}}));
      }));
  return review;
}

Result<std::vector<domain::Review>> Platform::ReviewsOf(const Principal& p, RoundId id) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  if (r.phase != domain::RoundPhase::kPublished)
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadReviews,
                                {.municipalities = {r.municipality}, .words = {{"id", std::to_string(id.value())}}}));
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, store_->ReviewsOf(id));
  if (core::Allows(p, Action::kReadReviews, {.municipalities = {r.municipality}})) {
    std::map<UserId, std::string> names;
    for (auto& row : rows) row.reviewer_name = DisplayNameLocked(row.reviewer, names);
  }
  return rows;
}

Result<domain::Ballot> Platform::CastBallot(const Principal& p, RoundId id, std::vector<domain::BallotEntry> entries) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kVote, {.municipalities = {r.municipality}}));
  if (r.eligibility.restricted())
    return Status::PermissionDenied(
               std::string("verification: round ") + std::to_string(id.value()) + " is for residents verified " +
               (r.eligibility.verification == domain::Verification::kCode
                    ? "by the voting code from their letter: enter your voting code"
                : r.eligibility.verification == domain::Verification::kDigid
                    ? "with DigiD: sign in with DigiD (or link it on your account page) and cast"
                    : "against the census: enter your citizen service number (BSN), postcode and birth date") +
               " with your ballot (POST /api/v1/rounds/" + std::to_string(id.value()) + "/verified-ballot)")
        .WithReason("verification_required",
                    {{"by", std::string(domain::VerificationCode(r.eligibility.verification))}});
  if (r.phase != domain::RoundPhase::kVoting)
    return Status::Conflict(std::string("round.phase: voting is ") +
                            (PhaseIndex(r.phase) < PhaseIndex(domain::RoundPhase::kVoting) ? "not open yet" : "closed"))
        .WithReason(PhaseIndex(r.phase) < PhaseIndex(domain::RoundPhase::kVoting) ? "voting_not_open"
                                                                                  : "voting_closed");
  WEEFSEL_ASSIGN_OR_RETURN(auto voided, store_->VoidedVotersOf(id));
  if (std::find(voided.begin(), voided.end(), p.user) != voided.end())
    return Status::PermissionDenied("ballot: an officer voided your ballot in round " + std::to_string(id.value()) +
                                    "; you cannot vote in it again")
        .WithReason("ballot_voided");
  domain::Ballot b;
  b.round = id;
  b.voter = p.user;
  b.kind = r.ballot_kind;
  b.entries = std::move(entries);
  b.cast_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(b, r));
  // The audit records that this user voted, never what.
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "ballot", "", [&] { return store_->PutBallot(b).status(); },
      [&] {
        return std::make_pair(id.value(), Dump({{"ballot", b.id.value()}}));
      }));
  return b;
}

Result<domain::Ballot> Platform::OwnBallot(const Principal& p, RoundId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOwnData, {}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(id).status());
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, store_->BallotsBy(p.user));
  for (auto& b : ballots)
    if (b.round == id) return b;
  return Status::NotFound("ballot: you have not voted in round " + std::to_string(id.value())).WithReason("not_voted");
}

// ---- experiments ----------------------------------------------------------------------------

Result<std::vector<domain::Experiment>> Platform::ListExperiments(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListExperiments(q);
}

Result<domain::Experiment> Platform::GetExperiment(ExperimentId id) {
  ReadLock lock(*this);
  return store_->GetExperiment(id);
}

Result<domain::Experiment> Platform::CreateExperiment(const Principal& p, domain::Experiment e) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kStartExperiment, {.municipalities = {m}}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  if (prop.status != "funded")
    return Status::Conflict("proposal.status: only a funded proposal becomes an experiment (proposal " +
                            std::to_string(prop.id.value()) + " is " + prop.status + ")")
        .WithReason("wrong_proposal_status", {{"status", prop.status}, {"needs", "funded"}});
  e.id = ExperimentId();
  WEEFSEL_RETURN_IF_ERROR(KeepMilestoneState({}, e.milestones));  // every milestone starts planned
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "create", "", [&] { return store_->Insert(e).status(); },
      [&] { return std::make_pair(e.id.value(), Snap(e)); }));
  return e;
}

Result<domain::Experiment> Platform::UpdateExperiment(const Principal& p, ExperimentId id,
                                                      const Patch<domain::Experiment>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeExperiment, {.municipalities = {m}}));
  ProposalId proposal = e.proposal;
  std::string was = Snap(e);
  std::vector<domain::Milestone> milestones = e.milestones;
  WEEFSEL_RETURN_IF_ERROR(patch(e));
  e.id = id;
  e.proposal = proposal;
  WEEFSEL_RETURN_IF_ERROR(KeepMilestoneState(milestones, e.milestones));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "update", was, [&] { return store_->Update(e); },
      [&] { return std::make_pair(id.value(), Snap(e)); }));
  return store_->GetExperiment(id);
}

Result<domain::Experiment> Platform::AddMeasurement(const Principal& p, ExperimentId id, IndicatorId indicator,
                                                    domain::Measurement m) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId muni, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kRecordMeasurement, {.municipalities = {muni}, .actors = actors}));
  auto it =
      std::find_if(e.indicators.begin(), e.indicators.end(), [indicator](const auto& i) { return i.id == indicator; });
  if (it == e.indicators.end())
    return Status::NotFound("indicator " + std::to_string(indicator.value()) + " of experiment " +
                            std::to_string(id.value()));
  if (!IsIsoDate(m.date)) return Status::InvalidArgument("measurement.date: '" + m.date + "' is not a date YYYY-MM-DD");
  std::string was = Snap(e);
  it->measurements.push_back(std::move(m));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, muni, "experiment", "measurement", was, [&] { return store_->Update(e); },
      [&] { return std::make_pair(id.value(), Snap(e)); }));
  return store_->GetExperiment(id);
}

// ---- versions and the audit log ------------------------------------------------------------

namespace {

// A proposal version as lines: what the diff compares.
std::vector<std::string> LinesOf(const domain::ProposalVersion& v) {
  std::vector<std::string> out{"title: " + v.title, "budget_eur: " + std::to_string(v.budget_eur)};
  for (const auto& line : Split(v.plan, '\n')) out.push_back("plan: " + std::string(line));
  for (const auto& m : v.milestones)
    out.push_back("milestone: " + m.title + " (" + m.due + ", " + std::to_string(m.amount_eur) + " EUR)");
  for (const auto& i : v.indicators) out.push_back("indicator: " + i);
  return out;
}

}  // namespace

Result<LineDiffResult> Platform::DiffVersions(ProposalId id, int from, int to) {
  domain::Proposal prop;
  {
    ReadLock lock(*this);
    WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
    WEEFSEL_ASSIGN_OR_RETURN(prop, store_->GetProposal(id));
  }
  int n = static_cast<int>(prop.versions.size());
  if (from < 1 || from > n)
    return Status::InvalidArgument("from: proposal " + std::to_string(id.value()) + " has versions 1 to " +
                                   std::to_string(n));
  if (to < 1 || to > n)
    return Status::InvalidArgument("to: proposal " + std::to_string(id.value()) + " has versions 1 to " +
                                   std::to_string(n));
  return LineDiff(LinesOf(prop.versions[from - 1]), LinesOf(prop.versions[to - 1]));
}

Result<std::vector<storage::AuditEntry>> Platform::AuditOf(const Principal& p, const std::string& entity, int64_t id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  static const std::set<std::string> kEntities = {
      "municipality", "actor", "tie",     "challenge", "coalition",      "proposal",    "round",
      "experiment",   "user",  "comment", "task",      "task_challenge", "introduction"};
  if (!kEntities.count(entity))
    return Status::InvalidArgument(
        "entity: must be one of municipality, actor, tie, challenge, coalition, proposal, "
        "round, experiment, user, comment, task, task_challenge, introduction");
  if (id < 1) return Status::InvalidArgument("id: must be a positive id");
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, store_->AuditOf(entity, id));
  // Whose log it is: the municipality of the latest entry (entities can move between
  // municipalities; the latest owner's officers read the whole history).
  MunicipalityId m = rows.empty() ? MunicipalityId() : rows.back().municipality;
  if (rows.empty() && !core::Allows(p, Action::kReadAudit, {}))
    return Status::NotFound("audit: no entries for " + entity + " " + std::to_string(id));
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kReadAudit, {.municipalities = {m}, .words = {{"entity", entity}, {"id", std::to_string(id)}}}));
  // Who acted, by name: the log's readers (officers, admins) may see the accounts' names.
  std::map<UserId, std::string> names;
  for (auto& row : rows) row.user_name = DisplayNameLocked(row.user, names);
  return rows;
}

std::string Platform::DisplayNameLocked(UserId user, std::map<UserId, std::string>& known) {
  if (!user.valid()) return "";
  auto it = known.find(user);
  if (it != known.end()) return it->second;
  auto u = store_->GetUser(user);
  return known[user] = u.ok() ? u->display_name : "";
}

// ---- the programme's money -----------------------------------------------------------------

namespace {

std::string Num(int64_t v) { return std::to_string(v); }

// Seconds since the epoch of "YYYY-MM-DD" (at `seconds` into that day) or "YYYY-MM-DDTHH:MM:SSZ".
std::optional<int64_t> EpochOf(std::string_view s, int64_t seconds = 0) {
  if (s.size() < 10 || !IsIsoDate(s.substr(0, 10))) return std::nullopt;
  auto y = ParseInt(s.substr(0, 4)), mo = ParseInt(s.substr(5, 2)), d = ParseInt(s.substr(8, 2));
  if (!y || !mo || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*y)),
                                  std::chrono::month(static_cast<unsigned>(*mo)),
                                  std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t days = std::chrono::sys_days(ymd).time_since_epoch().count();
  if (s.size() >= 19 && s[10] == 'T') {
    auto h = ParseInt(s.substr(11, 2)), mi = ParseInt(s.substr(14, 2)), se = ParseInt(s.substr(17, 2));
    if (!h || !mi || !se) return std::nullopt;
    seconds = *h * 3600 + *mi * 60 + *se;
  }
  return days * 86400 + seconds;
}

std::string Snap(const storage::MilestoneEvidence& e) {
  return Dump({{"evidence", e.id},
               {"milestone", e.milestone + 1},
               {"text", e.text},
               {"link", e.link},
               {"decision", e.decision},
               {"reason", e.reason},
               {"released_eur", e.released_eur}});
}

std::string Snap(const storage::MatchCampaign& c) {
  return Dump({{"round", c.round.value()},
               {"name", c.name},
               {"ratio_num", c.ratio_num},
               {"ratio_den", c.ratio_den},
               {"campaign_cap_eur", c.campaign_cap_eur},
               {"fund_eur", c.fund_eur},
               {"deadline", c.deadline}});
}

bool IsHttpLink(const std::string& s) { return StartsWith(s, "https://") || StartsWith(s, "http://"); }

// The round's outcome under its rule, as allocation rows (funded projects at their cost).
Result<std::vector<storage::Allocation>> Allocate(const domain::Round& round,
                                                  const std::vector<domain::Ballot>& ballots) {
  std::vector<storage::Allocation> out;
  if (ballots.empty()) return out;  // nobody voted: nothing is funded
  WEEFSEL_ASSIGN_OR_RETURN(fund::Rule rule, fund::ParseRule(round.rule));
  WEEFSEL_ASSIGN_OR_RETURN(fund::Instance in, fund::FromRound(round, ballots));
  if (!fund::RuleApplies(rule, in.vote_type))
    return Status::FailedPrecondition("round.rule: " + round.rule + " is not defined for " +
                                      std::string(domain::BallotKindCode(round.ballot_kind)) + " ballots");
  WEEFSEL_ASSIGN_OR_RETURN(fund::Outcome outcome, fund::RunRule(in, rule));
  for (int index : outcome.selected) {
    const std::string& id = in.projects.at(static_cast<size_t>(index)).id;
    auto it = std::find_if(round.projects.begin(), round.projects.end(),
                           [&](const domain::RoundProject& p) { return p.project_id == id; });
    if (it == round.projects.end()) return Status::Internal("allocation: the rule chose unknown project '" + id + "'");
    out.push_back({round.id, it->project_id, it->proposal, it->cost_eur});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.project_id < b.project_id; });
  return out;
}

// The funded amount of a proposal (store lock held).
Result<int64_t> FundedAmountLocked(storage::Store& store, ProposalId proposal) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store.GetProposal(proposal));
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, store.AllocationsOfProposal(proposal));
  if (!rows.empty()) {
    int64_t sum = 0;
    for (const auto& a : rows) sum += a.amount_eur;
    return sum;
  }
  if (prop.status == "funded" && !prop.versions.empty()) return prop.versions.back().budget_eur;
  return 0;
}

}  // namespace

Result<domain::Round> Platform::AddProposalToRound(const Principal& p, RoundId id, ProposalId proposal) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kFillRound, {.municipalities = {r.municipality}}));
  auto prop_or = store_->GetProposal(proposal);
  if (prop_or.ok()) {
    WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden("proposal", proposal.value()));
    if (hidden) prop_or = Status::NotFound("");  // hidden by a moderator: as if it did not exist
  }
  if (prop_or.status().code() == StatusCode::kNotFound)
    return Status::InvalidArgument("proposal: proposal " + Num(proposal.value()) + " does not exist")
        .WithReason("not_found", {{"what", "proposal"}, {"id", Num(proposal.value())}});
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, std::move(prop_or));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, store_->GetChallenge(prop.challenge));
  if (challenge.municipality != r.municipality)
    return Status::InvalidArgument("proposal: proposal " + Num(proposal.value()) +
                                   " answers a challenge of municipality " + M(challenge.municipality) +
                                   ", not of the round's municipality " + M(r.municipality));
  if (r.phase != domain::RoundPhase::kSubmission)
    return Status::Conflict("phase: round " + Num(id.value()) + " is in phase " +
                            std::string(domain::RoundPhaseCode(r.phase)) +
                            "; proposals enter a round in its submission phase")
        .WithReason("wrong_round_phase",
                    {{"phase", std::string(domain::RoundPhaseCode(r.phase))}, {"needs", "submission"}});
  if (challenge.phase != domain::ChallengePhase::kProposals)
    return Status::Conflict("phase: challenge " + Num(challenge.id.value()) + " is " +
                            std::string(domain::ChallengePhaseCode(challenge.phase)) +
                            "; its proposals enter a round in its proposals phase")
        .WithReason("wrong_challenge_phase",
                    {{"phase", std::string(domain::ChallengePhaseCode(challenge.phase))}, {"needs", "proposals"}});
  bool listed = std::any_of(r.projects.begin(), r.projects.end(),
                            [&](const domain::RoundProject& x) { return x.proposal == proposal; });
  if (listed)
    return Status::Conflict("proposal: proposal " + Num(proposal.value()) + " is already a project of round " +
                            Num(id.value()))
        .WithReason("already_in_round", {{"proposal", Num(proposal.value())}, {"round", Num(id.value())}});
  if (prop.status != "submitted")
    return Status::Conflict("proposal.status: only a submitted proposal enters a round (proposal " +
                            Num(proposal.value()) + " is " + prop.status + ")")
        .WithReason("wrong_proposal_status", {{"status", prop.status}, {"needs", "submitted"}});
  const domain::ProposalVersion& v = prop.versions.back();
  if (v.budget_eur <= 0)
    return Status::InvalidArgument("proposal.budget_eur: proposal " + Num(proposal.value()) +
                                   " has no budget; a project needs a cost");
  domain::RoundProject project;
  project.project_id = "proposal-" + Num(proposal.value());
  project.proposal = proposal;
  project.title = v.title;
  project.cost_eur = v.budget_eur;
  project.neighbourhood = challenge.area;
  bool taken = std::any_of(r.projects.begin(), r.projects.end(),
                           [&](const domain::RoundProject& x) { return x.project_id == project.project_id; });
  if (taken)
    return Status::Conflict("proposal: round " + Num(id.value()) + " already has a project '" + project.project_id +
                            "'")
        .WithReason("already_in_round", {{"proposal", Num(proposal.value())}, {"round", Num(id.value())}});
  std::string round_was = Snap(r), prop_was = Snap(prop);
  r.projects.push_back(std::move(project));
  prop.status = "in_round";
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WEEFSEL_RETURN_IF_ERROR(store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, r.municipality, "round", "add_proposal", round_was, [&] { return store_->Update(r); },
        [&] { return std::make_pair(id.value(), Snap(r)); }));
    return Logged(
        p, r.municipality, "proposal", "status", prop_was, [&] { return store_->Update(prop); },
        [&] { return std::make_pair(proposal.value(), Snap(prop)); });
  }));
  return r;
}

Result<std::vector<storage::Allocation>> Platform::AllocationsOf(RoundId round) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(round).status());
  return store_->AllocationsOf(round);
}

Result<int64_t> Platform::FundedAmount(ProposalId proposal) {
  ReadLock lock(*this);
  return FundedAmountLocked(*store_, proposal);
}

Result<storage::MilestoneEvidence> Platform::SubmitEvidence(const Principal& p, ExperimentId id, int milestone,
                                                            const std::string& text, const std::string& link) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::string body(Trim(text)), url(Trim(link));
  if (body.empty()) return Status::InvalidArgument("evidence.text: must not be empty");
  if (body.size() > 8000) return Status::InvalidArgument("evidence.text: at most 8000 bytes");
  if (!url.empty() && (!IsHttpLink(url) || url.size() > 2000 || url.find_first_of(" \t\r\n") != std::string::npos))
    return Status::InvalidArgument("evidence.link: must be an http(s) URL of at most 2000 bytes");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kSubmitEvidence, {.actors = actors}));
  if (milestone < 1 || static_cast<size_t>(milestone) > e.milestones.size())
    return Status::NotFound("milestone " + std::to_string(milestone) + " of experiment " + Num(id.value()) +
                            " (it has " + std::to_string(e.milestones.size()) + ")");
  if (e.status != "running")
    return Status::Conflict("experiment.status: experiment " + Num(id.value()) + " is " + e.status +
                            "; evidence is submitted while it runs");
  domain::Milestone& ms = e.milestones[static_cast<size_t>(milestone - 1)];
  if (ms.status == "approved")
    return Status::Conflict("milestone.status: milestone " + std::to_string(milestone) + " is already released")
        .WithReason("milestone_released", {{"milestone", std::to_string(milestone)}});
  if (ms.status == "submitted")
    return Status::Conflict("milestone.status: milestone " + std::to_string(milestone) +
                            " already has evidence awaiting an officer's decision");
  storage::MilestoneEvidence ev;
  ev.experiment = id;
  ev.milestone = milestone - 1;
  ev.text = body;
  ev.link = url;
  ev.submitted_by = p.user;
  ev.submitted_at = Now();
  std::string was = Snap(e);
  ms.status = "submitted";
  ms.evidence = body;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "evidence", was,
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(store_->Insert(ev).status());
        return store_->Update(e);
      },
      [&] { return std::make_pair(id.value(), Snap(ev)); }));
  return ev;
}

Result<storage::MilestoneEvidence> Platform::DecideEvidence(const Principal& p, ExperimentId id, int64_t evidence,
                                                            bool approve, const std::string& reason) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::string why(Trim(reason));
  if (!approve && why.empty()) return Status::InvalidArgument("reason: say why the evidence is rejected");
  if (why.size() > 4000) return Status::InvalidArgument("reason: at most 4000 bytes");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kDecideEvidence, {.municipalities = {m}}));
  auto ev_or = store_->GetEvidence(evidence);
  if (!ev_or.ok() || ev_or->experiment != id)
    return Status::NotFound("evidence " + Num(evidence) + " of experiment " + Num(id.value()));
  storage::MilestoneEvidence ev = *ev_or;
  if (ev.decision != "pending")
    return Status::Conflict("evidence.decision: evidence " + Num(evidence) + " was already " + ev.decision)
        .WithReason("already_decided", {{"decision", ev.decision}});
  if (static_cast<size_t>(ev.milestone) >= e.milestones.size())
    return Status::Conflict("milestone: milestone " + std::to_string(ev.milestone + 1) + " no longer exists");
  domain::Milestone& ms = e.milestones[static_cast<size_t>(ev.milestone)];
  if (approve) {
    if (ms.status == "approved")
      return Status::Conflict("milestone.status: milestone " + std::to_string(ev.milestone + 1) +
                              " is already released")
          .WithReason("milestone_released", {{"milestone", std::to_string(ev.milestone + 1)}});
    WEEFSEL_ASSIGN_OR_RETURN(int64_t funded, FundedAmountLocked(*store_, e.proposal));
    WEEFSEL_ASSIGN_OR_RETURN(auto all, store_->EvidenceOf(id));
    int64_t released = 0;
    for (const auto& x : all) released += x.released_eur;
    if (released + ms.amount_eur > funded)
      return Status::Conflict("amount_eur: releasing " + Num(ms.amount_eur) + " EUR would bring experiment " +
                              Num(id.value()) + " to " + Num(released + ms.amount_eur) + " EUR released of " +
                              Num(funded) + " EUR funded")
          .WithReason("budget_exceeded", {{"amount_eur", Num(ms.amount_eur)},
                                          {"total_eur", Num(released + ms.amount_eur)},
                                          {"budget_eur", Num(funded)}});
  }
  std::string was = Snap(e);
  ev.decision = approve ? "approved" : "rejected";
  ev.decided_by = p.user;
  ev.decided_at = Now();
  ev.reason = why;
  ev.released_eur = approve ? ms.amount_eur : 0;
  ms.status = ev.decision;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", approve ? "release" : "reject_evidence", was,
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(store_->Update(ev));
        return store_->Update(e);
      },
      [&] { return std::make_pair(id.value(), Snap(ev)); }));
  return ev;
}

Result<std::vector<storage::MilestoneEvidence>> Platform::EvidenceOf(ExperimentId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetExperiment(id).status());
  return store_->EvidenceOf(id);
}

Result<MunicipalityOverview> Platform::Overview(MunicipalityId m) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(m).status());
  MunicipalityOverview out;
  out.municipality = m;
  for (auto phase :
       {domain::ChallengePhase::kOpen, domain::ChallengePhase::kMatching, domain::ChallengePhase::kForming,
        domain::ChallengePhase::kProposals, domain::ChallengePhase::kFunded, domain::ChallengePhase::kExperiment,
        domain::ChallengePhase::kEvaluated, domain::ChallengePhase::kClosed})
    out.challenges_per_phase[std::string(domain::ChallengePhaseCode(phase))] = 0;
  storage::ListQuery q;
  q.municipality = m;
  WEEFSEL_ASSIGN_OR_RETURN(auto rounds, store_->ListRounds(q));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIdsIn("proposal", m));
  auto is_hidden = [&](ProposalId id) {
    return id.valid() && std::binary_search(hidden.begin(), hidden.end(), id.value());
  };
  for (const auto& r : rounds) {
    if (r.phase != domain::RoundPhase::kPublished) continue;
    ++out.published_rounds;
    WEEFSEL_ASSIGN_OR_RETURN(auto rows, store_->AllocationsOf(r.id));
    for (const auto& a : rows) {
      CommitmentLine line{"round", r.id, r.name, a.project_id, a.proposal, a.project_id};
      line.amount_eur = a.amount_eur;
      for (const auto& project : r.projects)
        if (project.project_id == a.project_id && !project.title.empty()) line.title = project.title;
      // The money stays counted; the title of a hidden proposal is left out.
      if (is_hidden(a.proposal)) {
        line.title.clear();
        line.hidden = true;
      }
      out.committed_eur += a.amount_eur;
      out.commitments.push_back(std::move(line));
    }
  }
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store_->ListChallenges(q));
  std::map<ProposalId, std::string> titles;
  for (const auto& c : challenges) {
    ++out.challenges_per_phase[std::string(domain::ChallengePhaseCode(c.phase))];
    WEEFSEL_ASSIGN_OR_RETURN(auto props, store_->ProposalsOf(c.id));
    for (const auto& prop : props) {
      titles[prop.id] = prop.versions.empty() ? "" : prop.versions.back().title;
      if (prop.status != "funded" || prop.versions.empty()) continue;
      // Funded by an officer outside any round: its budget is committed (FundedAmountLocked).
      WEEFSEL_ASSIGN_OR_RETURN(auto allocated, store_->AllocationsOfProposal(prop.id));
      if (!allocated.empty()) continue;  // a round winner: counted with its round
      const auto& v = prop.versions.back();
      out.committed_eur += v.budget_eur;
      CommitmentLine line{"proposal", RoundId(), "", "", prop.id, is_hidden(prop.id) ? "" : v.title};
      line.hidden = is_hidden(prop.id);
      line.amount_eur = v.budget_eur;
      out.commitments.push_back(std::move(line));
    }
  }
  WEEFSEL_ASSIGN_OR_RETURN(auto experiments, store_->ListExperiments({}));
  for (const auto& e : experiments) {
    auto title = titles.find(e.proposal);
    if (title == titles.end()) continue;  // another municipality's
    ExperimentOverview x;
    x.id = e.id;
    x.proposal = e.proposal;
    x.hidden = is_hidden(e.proposal);
    x.title = x.hidden ? "" : title->second;
    x.status = e.status;
    WEEFSEL_ASSIGN_OR_RETURN(x.funded_eur, FundedAmountLocked(*store_, e.proposal));
    WEEFSEL_ASSIGN_OR_RETURN(auto evidence, store_->EvidenceOf(e.id));
    for (const auto& ev : evidence) x.released_eur += ev.released_eur;
    out.released_eur += x.released_eur;
    for (const auto& i : e.indicators) {
      IndicatorProgress ip;
      ip.id = i.id;
      ip.name = i.name;
      ip.unit = i.unit;
      ip.baseline = i.baseline;
      ip.target = i.target;
      for (const auto& meas : i.measurements)
        if (!ip.latest || meas.date >= ip.latest->date) ip.latest = meas;  // the last recorded wins a tie
      if (ip.latest && i.target != i.baseline) ip.progress = (ip.latest->value - i.baseline) / (i.target - i.baseline);
      x.indicators.push_back(std::move(ip));
    }
    out.experiments.push_back(std::move(x));
  }
  out.remaining_eur = out.committed_eur - out.released_eur;
  return out;
}

Result<storage::MatchCampaign> Platform::CreateMatchCampaign(const Principal& p, storage::MatchCampaign c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  c.name = std::string(Trim(c.name));
  if (c.name.empty()) return Status::InvalidArgument("campaign.name: must not be empty");
  if (c.name.size() > 200) return Status::InvalidArgument("campaign.name: at most 200 bytes");
  if (c.ratio_num <= 0 || c.ratio_num > 100)
    return Status::InvalidArgument("campaign.ratio_num: must be between 1 and 100");
  if (c.ratio_den <= 0 || c.ratio_den > 100)
    return Status::InvalidArgument("campaign.ratio_den: must be between 1 and 100");
  constexpr int64_t kMaxEur = 1'000'000'000'000;  // keeps cents far from overflow
  if (c.campaign_cap_eur < 0 || c.campaign_cap_eur > kMaxEur)
    return Status::InvalidArgument("campaign.campaign_cap_eur: must be 0 (no cap) or a positive amount");
  if (c.fund_eur <= 0 || c.fund_eur > kMaxEur) return Status::InvalidArgument("campaign.fund_eur: must be positive");
  if (!EpochOf(c.deadline) || c.deadline.size() != 10)
    return Status::InvalidArgument("campaign.deadline: '" + c.deadline + "' is not a date YYYY-MM-DD");
  auto now = EpochOf(Now());
  if (now && *EpochOf(c.deadline, 86399) < *now)
    return Status::InvalidArgument("campaign.deadline: " + c.deadline + " has passed");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(c.round));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOpenCampaign, {.municipalities = {r.municipality}}));
  if (r.phase == domain::RoundPhase::kPublished)
    return Status::Conflict("phase: round " + Num(r.id.value()) + " is published; campaigns run beside open rounds");
  c.id = 0;
  c.municipality = r.municipality;
  c.created_at = Now();
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "match_campaign", "", [&] { return store_->Insert(c).status(); },
      [&] { return std::make_pair(r.id.value(), Snap(c)); }));
  return c;
}

Result<std::vector<storage::MatchCampaign>> Platform::MatchCampaignsOf(RoundId round) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(round).status());
  return store_->MatchCampaignsOf(round);
}

Result<storage::MatchPledge> Platform::Pledge(const Principal& p, int64_t campaign, const std::string& project_id,
                                              int64_t amount_eur) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (amount_eur <= 0) return Status::InvalidArgument("pledge.amount_eur: must be positive");
  if (amount_eur > 1'000'000) return Status::InvalidArgument("pledge.amount_eur: at most 1000000 EUR per pledge");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(storage::MatchCampaign c, store_->GetMatchCampaign(campaign));
  // The scope's actors: the caller's actors that belong to the campaign's municipality.
  core::Scope scope{.municipalities = {c.municipality}};
  for (const auto& g : p.grants) {
    if (g.role != domain::Role::kActorMember || !g.actor.valid()) continue;
    auto a = store_->GetActor(g.actor);
    if (a.ok() && a->municipality == c.municipality) scope.actors.push_back(g.actor);
  }
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kPledge, scope));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(c.round));
  bool known = std::any_of(r.projects.begin(), r.projects.end(),
                           [&](const domain::RoundProject& x) { return x.project_id == project_id; });
  if (!known) return Status::InvalidArgument("pledge.project_id: '" + project_id + "' is not a project of the round");
  std::string now = Now();
  auto deadline = EpochOf(c.deadline, 86399), at = EpochOf(now);
  if (!deadline || !at) return Status::Internal("campaign " + Num(campaign) + ": unreadable deadline or clock");
  if (*at > *deadline)
    return Status::Conflict("deadline: campaign " + Num(campaign) + " closed at the end of " + c.deadline)
        .WithReason("campaign_closed", {{"deadline", c.deadline}});
  storage::MatchPledge pledge;
  pledge.campaign = campaign;
  pledge.project_id = project_id;
  pledge.backer = p.user;
  pledge.amount_eur = amount_eur;
  pledge.at = now;
  // The audit names the pledge and its amount, not the backer's name (the entry's user is the actor).
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "round", "pledge", "", [&] { return store_->Insert(pledge).status(); },
      [&] {
        return std::make_pair(c.round.value(), Dump({{"campaign", campaign},
                                                     {"pledge", pledge.id},
                                                     {"project_id", project_id},
                                                     {"amount_eur", amount_eur}}));
      }));
  return pledge;
}

Result<MatchStanding> Platform::MatchStandingOf(int64_t campaign) {
  ReadLock lock(*this);
  MatchStanding out;
  WEEFSEL_ASSIGN_OR_RETURN(out.campaign, store_->GetMatchCampaign(campaign));
  const storage::MatchCampaign& c = out.campaign;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(c.round));
  WEEFSEL_ASSIGN_OR_RETURN(auto pledges, store_->PledgesOf(campaign));
  auto deadline = EpochOf(c.deadline, 86399);
  out.at = Now();
  auto now = EpochOf(out.at);
  if (!deadline || !now) return Status::Internal("campaign " + Num(campaign) + ": unreadable deadline or clock");
  fund::MatchPolicy policy;
  policy.ratio_num = c.ratio_num;
  policy.ratio_den = c.ratio_den;
  policy.campaign_cap = c.campaign_cap_eur * 100;
  policy.fund_cap = c.fund_eur * 100;
  std::vector<fund::Campaign> campaigns;
  for (const auto& project : r.projects) {
    campaigns.push_back({project.project_id, project.cost_eur * 100, *deadline});
    MatchStanding::Project x;
    x.project_id = project.project_id;
    x.title = project.title;
    x.cost_eur = project.cost_eur;
    out.projects.push_back(std::move(x));
  }
  std::vector<fund::Pledge> engine_pledges;
  for (const auto& pl : pledges) {
    auto at = EpochOf(pl.at);
    if (!at) return Status::Internal("pledge " + Num(pl.id) + ": unreadable time '" + pl.at + "'");
    char id[24];
    snprintf(id, sizeof id, "%012lld", static_cast<long long>(pl.id));  // string order = pledge order
    engine_pledges.push_back({id, pl.project_id, "u" + Num(pl.backer.value()), pl.amount_eur * 100, *at});
    for (auto& x : out.projects)
      if (x.project_id == pl.project_id) ++x.pledges;
  }
  WEEFSEL_ASSIGN_OR_RETURN(fund::Settlement s, fund::SettleMatchFunding(policy, campaigns, engine_pledges, *now));
  for (size_t i = 0; i < s.campaigns.size() && i < out.projects.size(); ++i) {
    out.projects[i].result = std::move(s.campaigns[i]);
    for (auto& refund : out.projects[i].result.refunds) refund.backer.clear();  // no personal data
  }
  out.fund_used_cents = s.fund_used;
  out.fund_left_cents = s.fund_left;
  return out;
}

}  // namespace weefsel::service
