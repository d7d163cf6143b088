// service/accounts/identity.cc: sign-in, sessions, tokens, accounts and grants (contract in identity.h).
#include "service/accounts/identity.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using core::Dump;
using core::IdOrNull;
using core::Snap;
using domain::Role;
using J = nlohmann::json;

Result<Principal> Identity::PrincipalOf(UserId user) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::User u, store_->GetUser(user));
  // A blocked account has no sessions or tokens left; this closes the gap of a request in flight.
  if (store_->GetBlock(user).ok())
    return Status::Unauthenticated("this account is blocked").WithReason("account_blocked");
  WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_->GrantsOf(user));
  return Principal{u.id, u.email, u.display_name, std::move(grants)};
}

Result<Session> Identity::Login(const std::string& email, const std::string& password, const std::string& address) {
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

Status Identity::RefuseBlocked(UserId user) {
  ReadLock lock(*this);
  auto b = store_->GetBlock(user);
  if (b.ok())
    return Status::PermissionDenied("login: this account is blocked by a moderator: " + b->reason)
        .WithReason("account_blocked");
  if (b.status().code() != StatusCode::kNotFound) return b.status();
  return Status::Ok();
}

Result<Session> Identity::OpenSession(UserId user) {
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

Result<Session> Identity::SignInWithOidc(const IdClaims& c, const std::string& address) {
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

Result<MunicipalityId> Identity::BrokerMunicipality(const IdClaims& c) {
  ReadLock lock(*this);
  auto m = store_->GetMunicipalityByCode(c.municipality);
  if (m.ok()) return m->id;
  if (m.status().code() != StatusCode::kNotFound) return m.status();
  // A deployment mistake (the broker's municipality is not on the platform): the operator's to mend.
  return Status::Unavailable("oidc provider '" + c.provider + "': municipality: '" + c.municipality +
                             "' is not a municipality of this platform");
}

Result<std::vector<storage::OidcIdentity>> Identity::OidcIdentitiesOf(const Principal& p) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOwnData, {}));
  ReadLock lock(*this);
  return store_->OidcIdentitiesOf(p.user);
}

Status Identity::LinkOidc(const Principal& p, const IdClaims& c) {
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

Status Identity::UnlinkOidc(const Principal& p, const std::string& issuer) {
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

Result<Session> Identity::FindSession(const std::string& id) {
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

Result<storage::RetentionCounts> Identity::ApplyRetention() {
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

Status Identity::EndSession(const std::string& id) {
  std::lock_guard lock(mu_);
  return store_->DeleteSession(HashSecret(id));
}

Result<storage::StoredToken> Identity::FindToken(const std::string& token) {
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
  // One UPDATE of the token's own row: beside other writes on PostgreSQL.
  if (row.last_used_at.substr(0, 16) != now.substr(0, 16)) {
    CheckedWriteLock lock(*this);
    WEEFSEL_RETURN_IF_ERROR(store_->TouchToken(row.id, now));
  }
  return row;
}

Result<domain::User> Identity::Register(domain::User user, const std::string& password, MunicipalityId municipality,
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

Result<domain::User> Identity::CreateUser(const Principal& p, domain::User user, const std::string& password,
                                          std::vector<domain::RoleGrant> grants) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kCreateAccount, {}));
  return InsertUser(std::move(user), password, std::move(grants));
}

Result<domain::User> Identity::InsertUser(domain::User user, const std::optional<std::string>& password,
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

Result<domain::User> Identity::GetUser(const Principal& p, UserId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadAccount, {.owner = id}));
  ReadLock lock(*this);
  return store_->GetUser(id);
}

Result<domain::User> Identity::FindUserByEmail(const Principal& p, const std::string& email) {
  // Whose account it is, is what is asked: the rule's owner is unknown, so only an admin passes.
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadAccount, {}));
  ReadLock lock(*this);
  return store_->GetUserByEmail(email);
}

Result<std::vector<domain::RoleGrant>> Identity::GrantsOf(const Principal& p, UserId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReadGrants, {.owner = id}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(id).status());
  return store_->GrantsOf(id);
}

Status Identity::Grant(const Principal& p, const domain::RoleGrant& g) {
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

Status Identity::Revoke(const Principal& p, const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kRevokeRole, {}));
  WriteLock lock(*this);
  return Logged(
      p, g.municipality, "user", "revoke", Snap(g), [&] { return store_->Revoke(g); },
      [&] { return std::make_pair(g.user.value(), std::string()); });
}

Result<std::string> Identity::CreateToken(const Principal& p, const std::string& name, const std::string& scope,
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

Result<std::vector<storage::StoredToken>> Identity::TokensOf(const Principal& p, UserId user) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kListTokens, {.owner = user}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(user).status());
  return store_->TokensOf(user);
}

Status Identity::RevokeToken(const Principal& p, int64_t token_id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::lock_guard lock(mu_);
  // Only the owner's (or, for an admin, any) tokens are visible: others' ids are NotFound.
  WEEFSEL_ASSIGN_OR_RETURN(auto mine, store_->TokensOf(p.user));
  bool own = std::any_of(mine.begin(), mine.end(), [token_id](const auto& t) { return t.id == token_id; });
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kRevokeToken, {.owner = own ? p.user : UserId(), .words = {{"id", std::to_string(token_id)}}}));
  return store_->DeleteToken(token_id);
}

}  // namespace weefsel::service
