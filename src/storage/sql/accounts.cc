// sql/accounts.cc: users and their roles, settings, deleting an account while keeping its
// ballots, and registration marks.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Users and roles.

namespace {
// The row of a user: the stored fields of its table, and the password hash, which is in no table
// (no reader of UserFields() may see it).
const RowMap<User>& UserRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<User>("users", domain::fields::UserFields());
    m->Also(domain::fields::Str("password_hash", &User::password_hash, 0).Column());
    return m;
  }();
  return *rows;
}
}  // namespace

Result<std::vector<User>> SqlStore::ReadUsers(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(UserRows().Select() + tail, params));
  return UserRows().Read(r);
}

Result<UserId> SqlStore::Insert(User& u) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(u));
  int64_t id = 0;
  Status s = Write([&]() -> Status {
    Touch("users");
    auto [sql, p] = UserRows().Insert(u);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    id = r.Int(0, 0);
    if (u.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("users"));
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "user"));
  u.id = UserId(id);
  return u.id;
}

Status SqlStore::Update(const User& u) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(u));
  Status s = Write([&]() -> Status {
    Touch("users");
    auto [sql, p] = UserRows().Update(u);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    if (r.empty()) return Status::NotFoundOf("user", u.id.value());
    return Status::Ok();
  });
  return Explain(s, "user");
}

Result<User> SqlStore::GetUser(UserId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadUsers(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("user", id.value());
  return std::move(v[0]);
}

Result<User> SqlStore::GetUserByEmail(const std::string& email) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadUsers(" WHERE lower(email) = lower($1)", {Text(email)}));
  if (v.empty()) return Status::NotFound("no user with e-mail '" + email + "'");
  return std::move(v[0]);
}

namespace {
// The row of a role grant (keyless: a user's grants are deleted by what they grant): the stored
// fields of its table.
const RowMap<domain::RoleGrant>& GrantRows() {
  static const auto* rows = new RowMap<domain::RoleGrant>("role_grants", domain::fields::RoleGrantFields());
  return *rows;
}

Status ValidateGrant(const domain::RoleGrant& g) {
  if (!g.user.valid()) return Status::InvalidArgument("role_grant.user: must name a user");
  if (g.role == domain::Role::kActorMember && !g.actor.valid())
    return Status::InvalidArgument("role_grant.actor: an actor_member grant must name an actor");
  if ((g.role == domain::Role::kOfficer || g.role == domain::Role::kModerator) && !g.municipality.valid())
    return Status::InvalidArgument("role_grant.municipality: an " + std::string(domain::RoleCode(g.role)) +
                                   " grant must name a municipality");
  return Status::Ok();
}
}  // namespace

Status SqlStore::Grant(const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(ValidateGrant(g));
  Status s = Write([&]() -> Status {
    Touch("users");
    auto [sql, params] = GrantRows().Insert(g);
    return Q(sql + " ON CONFLICT DO NOTHING", params).status();
  });
  std::vector<FkRef> refs{{"role_grant.user", "users", g.user.value()}};
  if (g.municipality.valid()) refs.push_back({"role_grant.municipality", "municipalities", g.municipality.value()});
  if (g.actor.valid()) refs.push_back({"role_grant.actor", "actors", g.actor.value()});
  return Explain(s, "role_grant", refs);
}

Status SqlStore::Revoke(const domain::RoleGrant& g) {
  return Write([&]() -> Status {
    Touch("users");
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND "
          "COALESCE(municipality_id, 0) = $3 AND COALESCE(actor_id, 0) = $4 RETURNING user_id",
          {Int(g.user.value()), Text(domain::RoleCode(g.role)), Int(g.municipality.value()), Int(g.actor.value())}));
    if (r.empty())
      return Status::NotFound("user " + std::to_string(g.user.value()) + " has no such " +
                              std::string(domain::RoleCode(g.role)) + " grant");
    return Status::Ok();
  });
}

Result<std::vector<domain::RoleGrant>> SqlStore::GrantsOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(GrantRows().Select() + " WHERE user_id = $1 ORDER BY role, COALESCE(municipality_id, 0), "
                                                    "COALESCE(actor_id, 0)",
                             {Int(user.value())}));
  return GrantRows().Read(r);
}

Result<std::vector<UserId>> SqlStore::UsersWithRoleIn(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT DISTINCT user_id FROM role_grants WHERE municipality_id = $1 AND "
                                        "role IN ('officer', 'resident') ORDER BY user_id",
                                        {Int(m.value())}));
  return UserIds(r);
}

Result<std::vector<UserId>> SqlStore::MembersOf(ActorId a) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT DISTINCT user_id FROM role_grants WHERE actor_id = $1 AND "
                                        "role = 'actor_member' ORDER BY user_id",
                                        {Int(a.value())}));
  return UserIds(r);
}

namespace {

// The row of a user's settings (keyless: its key is the user): the stored fields of its table, and
// whose they are.
const RowMap<UserSettings>& SettingsRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<UserSettings>("user_settings", domain::fields::UserSettingsFields());
    m->Also(domain::fields::IdOf("user", &UserSettings::user, false).Column("user_id"));
    return m;
  }();
  return *rows;
}

}  // namespace

Result<UserSettings> SqlStore::GetUserSettings(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(SettingsRows().Select() + " WHERE user_id = $1", {Int(user.value())}));
  UserSettings s;  // the defaults, for a user without a row
  s.user = user;
  if (r.empty()) return s;
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<UserSettings> v, SettingsRows().Read(r));
  return std::move(v.front());
}

Status SqlStore::PutUserSettings(const UserSettings& s) {
  if (s.language != "nl" && s.language != "en")
    return Status::InvalidArgument("settings.language: '" + s.language + "' is not one of nl, en");
  Status st = Transaction([&]() -> Status {
    // The user's row, replaced when there is one.
    auto [sql, params] = SettingsRows().Upsert(s, {"user_id"});
    return Q(sql, params).status();
  });
  return Explain(st, "settings", {{"settings.user", "users", s.user.value()}});
}

Status SqlStore::DeleteUserKeepingBallots(UserId user, const std::string& anonymous_key) {
  if (anonymous_key.empty()) return Status::InvalidArgument("anonymous_key: must not be empty");
  return Write([&]() -> Status {
    Touch(std::string(scope::kAll));  // ballots, comments, reviews and pledges lose their author anywhere
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows found, Q("SELECT 1 FROM users WHERE id = $1", {Int(user.value())}));
    if (found.empty()) return Status::NotFound("user " + std::to_string(user.value()) + " does not exist");
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows ballots,
                             Q("SELECT COUNT(*) FROM ballots WHERE voter_user_id = $1", {Int(user.value())}));
    if (ballots.Int(0, 0) > 0) {
      // A voter key that is not a person: no e-mail of theirs, no name, no password, no roles, and an
      // id unrelated to the account's (so the audit log's user ids do not lead to the ballots).
      WEEFSEL_ASSIGN_OR_RETURN(
          SqlRows made, Q("INSERT INTO users (email, display_name, password_hash, created_at) VALUES ($1, $2, '', '') "
                          "RETURNING id",
                          {Text("voter-" + anonymous_key + "@anonymous.invalid"), Text("anonymous voter")}));
      WEEFSEL_RETURN_IF_ERROR(Q("UPDATE ballots SET voter_user_id = $1, cast_at = '' WHERE voter_user_id = $2",
                                {Int(made.Int(0, 0)), Int(user.value())})
                                  .status());
    }
    // The audit entries about the account itself carried its display name.
    WEEFSEL_RETURN_IF_ERROR(Q("UPDATE audit_log SET before_json = '', after_json = '{\"removed\":true}' WHERE "
                              "entity = 'user' AND entity_id = $1",
                              {Int(user.value())})
                                .status());
    // Sessions, tokens, grants, supports, notifications, settings and the outbox go with the row
    // (ON DELETE CASCADE); comments and proposal versions keep their text without an author.
    return Q("DELETE FROM users WHERE id = $1", {Int(user.value())}).status();
  });
}

Status SqlStore::PutRegistrationMark(const RegistrationMark& m) {
  if (!m.user.valid()) return Status::InvalidArgument("registration.user: must name a user");
  if (m.address_key.empty()) return Status::InvalidArgument("registration.address_key: must not be empty");
  Status s = Transaction([&]() -> Status {
    return Q("INSERT INTO registration_marks (user_id, address_key, registered_at) VALUES ($1, $2, $3)",
             {Int(m.user.value()), Text(m.address_key), Text(m.registered_at)})
        .status();
  });
  return Explain(s, "registration", {{"registration.user", "users", m.user.value()}});
}

Result<std::vector<RegistrationMark>> SqlStore::RegistrationMarksOf(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT r.user_id, r.address_key, r.registered_at, u.display_name FROM registration_marks r "
                   "JOIN users u ON u.id = r.user_id WHERE EXISTS (SELECT 1 FROM role_grants g WHERE "
                   "g.user_id = r.user_id AND g.role = 'resident' AND g.municipality_id = $1) "
                   "ORDER BY r.address_key, r.registered_at, r.user_id",
                   {Int(m.value())}));
  std::vector<RegistrationMark> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) out[i] = {UserId(r.Int(i, 0)), r.Str(i, 1), r.Str(i, 2), r.Str(i, 3)};
  return out;
}

}  // namespace weefsel::storage::sql
