// service/accounts/identity.h: sign-in, sessions, API tokens, accounts and their role grants.
//
// Passwords (rate-limited, service/accounts.h) and identity providers (service/oidc.h) open
// sessions; admins make accounts; officers grant the roles of their municipality; a user makes and
// revokes their own API tokens. The retention sweep lives here too.
//
// Ownership: Identity borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/account_state.h"
#include "domain/model.h"
#include "service/core/context.h"
#include "service/oidc.h"

namespace weefsel::service {

class Identity : private core::Slice {
 public:
  explicit Identity(core::Context& context) : Slice(context) {}

  Result<Principal> PrincipalOf(UserId user);
  // Checks the password (rate-limited per account and per address) and opens a session.
  Result<Session> Login(const std::string& email, const std::string& password, const std::string& address);
  // Signs in the person of a verified ID token (service/oidc.h): the account linked to the token's
  // issuer and subject, made on the first sign-in with no roles (an admin or officer grants them);
  // AlreadyExists when another account has the token's e-mail address.
  Result<Session> SignInWithOidc(const IdClaims& claims, const std::string& address);
  // The identity links of the signed-in account (docs/oidc.md, "Linking").
  Result<std::vector<domain::OidcIdentity>> OidcIdentitiesOf(const Principal& p);
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
  Result<domain::StoredToken> FindToken(const std::string& token);
  // The retention sweep (docs/privacy.md): removes expired sessions and what is older than
  // options().retention allows. `weefsel serve` runs it daily, `weefsel retention` once.
  Result<domain::RetentionCounts> ApplyRetention();
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
  // Admin: the account with this e-mail address (NotFound when there is none).
  Result<domain::User> FindUserByEmail(const Principal& p, const std::string& email);
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
  Result<std::vector<domain::StoredToken>> TokensOf(const Principal& p, UserId user);
  Status RevokeToken(const Principal& p, int64_t token_id);

 private:
  // A new session for `user` (after a password or an identity provider said who it is).
  Result<Session> OpenSession(UserId user);
  // PermissionDenied (with the moderator's reason) when the account is blocked.
  Status RefuseBlocked(UserId user);
  // The municipality of a resident broker's CBS code (Unavailable when not on the platform).
  Result<MunicipalityId> BrokerMunicipality(const IdClaims& c);
  // `within` runs in the same transaction, after the user is stored (an OIDC link, say). No
  // `password` makes an account that cannot sign in with one (it signs in through a provider).
  Result<domain::User> InsertUser(domain::User user, const std::optional<std::string>& password,
                                  std::vector<domain::RoleGrant> grants,
                                  const std::function<Status(const domain::User&)>& within = nullptr);
};

}  // namespace weefsel::service
