// storage/store/sessions.h: how an account stays signed in: sessions, API tokens and its links
// to identity providers (OpenID Connect).
//
// Account state, not open data: writing it does not change DataVersion(). Thread-safety: as Store.
#pragma once

#include <string>
#include <vector>
#include "base/status.h"
#include "domain/account_state.h"
#include "domain/model.h"

namespace weefsel::storage {

// A signed-in session, stored by the BLAKE2b hash of its id only (the id itself is the cookie).
// The CSRF token is derived from the id (service/accounts.h), so it is not stored.
struct StoredSession {
  std::string id_hash;  // hex
  UserId user;
  std::string created_at, last_seen_at, expires_at;  // ISO 8601 UTC ("2026-11-29T09:38:01Z")
};
using domain::OidcIdentity;  // domain/account_state.h
using domain::StoredToken;   // domain/account_state.h

// Sessions, tokens, identity links.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Sessions and API tokens. They are account state, not open data: writing them
  // does not change DataVersion(). Deleting a user deletes their sessions and tokens.
  virtual Status PutSession(const StoredSession& s) = 0;                     // AlreadyExists on a taken hash
  virtual Result<StoredSession> GetSession(const std::string& id_hash) = 0;  // NotFound
  // Records activity; a non-empty `expires_at` also moves the expiry (sliding sessions).
  virtual Status TouchSession(const std::string& id_hash, const std::string& last_seen_at,
                              const std::string& expires_at = "") = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;                 // absent: OK
  virtual Result<int64_t> DeleteSessionsExpiredBy(const std::string& now) = 0;  // expires_at <= now; returns count
  virtual Result<int64_t> Insert(StoredToken& t) = 0;                           // assigns t.id
  virtual Result<StoredToken> GetTokenByHash(const std::string& hash) = 0;      // NotFound
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
};

}  // namespace weefsel::storage
