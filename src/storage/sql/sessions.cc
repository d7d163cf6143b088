// sql/sessions.cc: sessions, API tokens, identity-provider links and the retention sweep:
// account state, written without bumping the data version.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Sessions and API tokens: account state, written without bumping the data version.

Status SqlStore::PutSession(const StoredSession& s) {
  if (s.id_hash.empty()) return Status::InvalidArgument("session.id_hash: must not be empty");
  if (!s.user.valid()) return Status::InvalidArgument("session.user: must name a user");
  Status st = Transaction([&]() -> Status {
    return Q("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, "
             "$5)",
             {Text(s.id_hash), Int(s.user.value()), Text(s.created_at), Text(s.last_seen_at), Text(s.expires_at)})
        .status();
  });
  return Explain(st, "session", {{"session.user", "users", s.user.value()}});
}

Result<StoredSession> SqlStore::GetSession(const std::string& id_hash) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id_hash, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
                   {Text(id_hash)}));
  if (r.empty()) return Status::NotFound("session: no such session");
  return StoredSession{r.Str(0, 0), UserId(r.Int(0, 1)), r.Str(0, 2), r.Str(0, 3), r.Str(0, 4)};
}

Status SqlStore::TouchSession(const std::string& id_hash, const std::string& last_seen_at,
                              const std::string& expires_at) {
  if (!expires_at.empty())
    return Q("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
             {Text(last_seen_at), Text(expires_at), Text(id_hash)})
        .status();
  return Q("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2", {Text(last_seen_at), Text(id_hash)}).status();
}

Status SqlStore::DeleteSession(const std::string& id_hash) {
  return Q("DELETE FROM sessions WHERE id_hash = $1", {Text(id_hash)}).status();
}

Result<int64_t> SqlStore::DeleteSessionsExpiredBy(const std::string& now) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM sessions WHERE expires_at <= $1 RETURNING user_id", {Text(now)}));
  return static_cast<int64_t>(r.size());
}

Result<RetentionCounts> SqlStore::Purge(const RetentionCutoffs& c) {
  RetentionCounts out;
  Status st = Transaction([&]() -> Status {
    auto count = [&](const std::string& sql, const std::string& cutoff, int64_t& n) -> Status {
      if (cutoff.empty()) return Status::Ok();
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql + " RETURNING 1", {Text(cutoff)}));
      n = static_cast<int64_t>(r.size());
      return Status::Ok();
    };
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM sessions WHERE expires_at <= $1", c.now, out.sessions));
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM audit_log WHERE at < $1", c.audit_before, out.audit));
    WEEFSEL_RETURN_IF_ERROR(
        count("DELETE FROM notifications WHERE at < $1", c.notifications_before, out.notifications));
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM outbox WHERE day < $1", c.outbox_before.substr(0, 10), out.outbox));
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM api_tokens WHERE expires_at <> '' AND expires_at < $1",
                                  c.tokens_expired_before, out.tokens));
    return count("DELETE FROM registration_marks WHERE registered_at < $1", c.registrations_before, out.registrations);
  });
  WEEFSEL_RETURN_IF_ERROR(st);
  return out;
}

Result<int64_t> SqlStore::Insert(StoredToken& t) {
  if (t.hash.empty()) return Status::InvalidArgument("token.hash: must not be empty");
  if (!t.user.valid()) return Status::InvalidArgument("token.user: must name a user");
  if (Trim(t.name).empty()) return Status::InvalidArgument("token.name: must not be empty");
  if (t.scope != "read" && t.scope != "write") return Status::InvalidArgument("token.scope: must be read or write");
  int64_t id = 0;
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO api_tokens (token_hash, user_id, name, created_at, last_used_at, expires_at, scope) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {Text(t.hash), Int(t.user.value()), Text(t.name), Text(t.created_at), Text(t.last_used_at),
                      Text(t.expires_at), Text(t.scope)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "token", {{"token.user", "users", t.user.value()}}));
  t.id = id;
  return id;
}

namespace {
std::vector<StoredToken> TokenRows(const SqlRows& r) {
  std::vector<StoredToken> out(r.size());
  for (size_t i = 0; i < r.size(); ++i)
    out[i] = StoredToken{r.Int(i, 0), r.Str(i, 1), UserId(r.Int(i, 2)), r.Str(i, 3),
                         r.Str(i, 4), r.Str(i, 5), r.Str(i, 6),         r.Str(i, 7)};
  return out;
}
constexpr const char* kTokenColumns =
    "SELECT id, token_hash, user_id, name, created_at, last_used_at, expires_at, scope FROM api_tokens";
}  // namespace

Result<StoredToken> SqlStore::GetTokenByHash(const std::string& hash) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kTokenColumns) + " WHERE token_hash = $1", {Text(hash)}));
  if (r.empty()) return Status::NotFound("token: no such API token");
  return TokenRows(r)[0];
}

Status SqlStore::TouchToken(int64_t id, const std::string& last_used_at) {
  return Q("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {Text(last_used_at), Int(id)}).status();
}

Result<std::vector<StoredToken>> SqlStore::TokensOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(std::string(kTokenColumns) + " WHERE user_id = $1 ORDER BY id", {Int(user.value())}));
  return TokenRows(r);
}

Status SqlStore::DeleteToken(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM api_tokens WHERE id = $1 RETURNING id", {Int(id)}));
  if (r.empty()) return Status::NotFoundOf("token", id);
  return Status::Ok();
}

Result<UserId> SqlStore::FindOidcIdentity(const std::string& issuer, const std::string& subject) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2",
                                        {Text(issuer), Text(subject)}));
  if (r.empty()) return Status::NotFound("oidc identity: no account for this subject of " + issuer);
  return UserId(r.Int(0, 0));
}

Status SqlStore::LinkOidcIdentity(const OidcIdentity& o) {
  if (o.issuer.empty() || o.subject.empty())
    return Status::InvalidArgument("oidc identity: issuer and subject are required");
  // Not a Write: no public answer depends on it, so the data version (and every cache) stays.
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows taken, Q("SELECT 1 FROM oidc_identities WHERE issuer = $1 AND subject = $2",
                                              {Text(o.issuer), Text(o.subject)}));
    if (!taken.empty()) return Status::AlreadyExists("oidc identity: this subject of " + o.issuer + " has an account");
    return Q("INSERT INTO oidc_identities (issuer, subject, user_id, created_at, provider, verified_resident, "
             "made_account) VALUES ($1, $2, $3, $4, $5, $6, $7)",
             {Text(o.issuer), Text(o.subject), Int(o.user.value()), Text(o.created_at), Text(o.provider),
              Int(o.verified_resident ? 1 : 0), Int(o.made_account ? 1 : 0)})
        .status();
  });
  return Explain(st, "oidc identity", {{"oidc_identity.user", "users", o.user.value()}});
}

Result<std::vector<OidcIdentity>> SqlStore::OidcIdentitiesOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT issuer, subject, provider, verified_resident, made_account, created_at FROM "
                             "oidc_identities WHERE user_id = $1 ORDER BY created_at, issuer, subject",
                             {Int(user.value())}));
  std::vector<OidcIdentity> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({r.Str(i, 0), r.Str(i, 1), user, r.Str(i, 2), r.Int(i, 3) != 0, r.Int(i, 4) != 0, r.Str(i, 5)});
  return out;
}

Status SqlStore::UnlinkOidcIdentity(UserId user, const std::string& issuer, const std::string& subject) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM oidc_identities WHERE user_id = $1 AND issuer = $2 AND "
                                        "subject = $3 RETURNING user_id",
                                        {Int(user.value()), Text(issuer), Text(subject)}));
  if (r.empty())
    return Status::NotFound("oidc identity: account " + std::to_string(user.value()) +
                            " has no link to this subject of " + issuer);
  return Status::Ok();
}

}  // namespace weefsel::storage::sql
