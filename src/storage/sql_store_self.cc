// SqlStore, migration 6: notifications, user settings, the digest outbox, what a user may download
// or delete about themselves, and stored fabric snapshots (see store.h for the contract).
#include <algorithm>
#include <string>
#include <vector>

#include "storage/sql_store.h"

namespace weefsel::storage {

namespace {

using Params = std::vector<SqlValue>;

SqlValue Int(int64_t v) { return v; }
SqlValue Text(std::string_view s) { return std::string(s); }

std::vector<UserId> UserIds(const SqlRows& r) {
  std::vector<UserId> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.Int(i, 0));
  return out;
}

constexpr const char* kNotificationColumns = "id, user_id, at, kind, title, title_en, link, audit_id, read_at";

std::vector<Notification> ReadNotifications(const SqlRows& r) {
  std::vector<Notification> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& n = out[i];
    n.id = r.Int(i, 0);
    n.user = UserId(r.Int(i, 1));
    n.at = r.Str(i, 2);
    n.kind = r.Str(i, 3);
    n.title = r.Str(i, 4);
    n.title_en = r.Str(i, 5);
    n.link = r.Str(i, 6);
    n.audit_id = r.Null(i, 7) ? 0 : r.Int(i, 7);
    n.read_at = r.Str(i, 8);
  }
  return out;
}

}  // namespace

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

Result<int64_t> SqlStore::Insert(Notification& n) {
  if (!n.user.valid()) return Status::InvalidArgument("notification.user: must name a user");
  if (n.kind.empty()) return Status::InvalidArgument("notification.kind: must not be empty");
  if (n.title.empty()) return Status::InvalidArgument("notification.title: must not be empty");
  int64_t id = 0;
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO notifications (user_id, at, kind, title, title_en, link, audit_id, read_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                     {Int(n.user.value()), Text(n.at), Text(n.kind), Text(n.title), Text(n.title_en), Text(n.link),
                      n.audit_id > 0 ? SqlValue(Int(n.audit_id)) : SqlValue(std::monostate{}), Text(n.read_at)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "notification", {{"notification.user", "users", n.user.value()}}));
  n.id = id;
  return id;
}

Result<std::vector<Notification>> SqlStore::NotificationsOf(UserId user, int64_t limit, int64_t offset) {
  std::string sql = std::string("SELECT ") + kNotificationColumns +
                    " FROM notifications WHERE user_id = $1 ORDER BY CASE WHEN read_at = '' THEN 0 ELSE 1 END, "
                    "id DESC";
  Params p{Int(user.value())};
  if (limit > 0) {
    sql += " LIMIT $2 OFFSET $3";
    p.push_back(Int(limit));
    p.push_back(Int(std::max<int64_t>(offset, 0)));
  }
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
  return ReadNotifications(r);
}

Result<int64_t> SqlStore::UnreadNotifications(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at = ''", {Int(user.value())}));
  return r.Int(0, 0);
}

Result<int64_t> SqlStore::MarkNotificationsRead(UserId user, const std::vector<int64_t>& ids, const std::string& at) {
  int64_t changed = 0;
  WEEFSEL_RETURN_IF_ERROR(Transaction([&]() -> Status {
    if (ids.empty()) {
      WEEFSEL_ASSIGN_OR_RETURN(
          SqlRows r, Q("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = '' RETURNING id",
                       {Text(at), Int(user.value())}));
      changed = static_cast<int64_t>(r.size());
      return Status::Ok();
    }
    for (int64_t id : ids) {
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 "
                                            "AND read_at = '' RETURNING id",
                                            {Text(at), Int(id), Int(user.value())}));
      changed += static_cast<int64_t>(r.size());
    }
    return Status::Ok();
  }));
  return changed;
}

Result<std::vector<Notification>> SqlStore::NotificationsOn(const std::string& day) {
  if (day.size() != 10) return Status::InvalidArgument("day: expected YYYY-MM-DD, got '" + day + "'");
  // `at` is ISO 8601 UTC: the day's notifications sort between the day and the day + 'U' ('T' < 'U').
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string("SELECT ") + kNotificationColumns +
                                            " FROM notifications WHERE at >= $1 AND at < $2 ORDER BY user_id, id",
                                        {Text(day), Text(day + "U")}));
  return ReadNotifications(r);
}

Result<UserSettings> SqlStore::GetUserSettings(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT digest, language FROM user_settings WHERE user_id = $1", {Int(user.value())}));
  UserSettings s;
  s.user = user;
  if (!r.empty()) {
    s.digest = r.Int(0, 0) != 0;
    s.language = r.Str(0, 1);
  }
  return s;
}

Status SqlStore::PutUserSettings(const UserSettings& s) {
  if (s.language != "nl" && s.language != "en")
    return Status::InvalidArgument("settings.language: '" + s.language + "' is not one of nl, en");
  Status st = Transaction([&]() -> Status {
    return Q("INSERT INTO user_settings (user_id, digest, language) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO "
             "UPDATE SET digest = excluded.digest, language = excluded.language",
             {Int(s.user.value()), Int(s.digest ? 1 : 0), Text(s.language)})
        .status();
  });
  return Explain(st, "settings", {{"settings.user", "users", s.user.value()}});
}

Result<OutboxEntry> SqlStore::GetOutbox(UserId user, const std::string& day) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT id, user_id, day, subject, body, status, error, attempts, updated_at "
                                        "FROM outbox WHERE user_id = $1 AND day = $2",
                                        {Int(user.value()), Text(day)}));
  if (r.empty()) return Status::NotFound("outbox: nothing for user " + std::to_string(user.value()) + " on " + day);
  OutboxEntry e;
  e.id = r.Int(0, 0);
  e.user = UserId(r.Int(0, 1));
  e.day = r.Str(0, 2);
  e.subject = r.Str(0, 3);
  e.body = r.Str(0, 4);
  e.status = r.Str(0, 5);
  e.error = r.Str(0, 6);
  e.attempts = static_cast<int>(r.Int(0, 7));
  e.updated_at = r.Str(0, 8);
  return e;
}

Status SqlStore::PutOutbox(OutboxEntry& e) {
  if (e.status != "sent" && e.status != "failed")
    return Status::InvalidArgument("outbox.status: '" + e.status + "' is not one of sent, failed");
  int64_t id = 0;
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("INSERT INTO outbox (user_id, day, subject, body, status, error, attempts, updated_at) VALUES ($1, $2, $3, "
          "$4, $5, $6, $7, $8) ON CONFLICT (user_id, day) DO UPDATE SET subject = excluded.subject, body = "
          "excluded.body, status = excluded.status, error = excluded.error, attempts = excluded.attempts, "
          "updated_at = excluded.updated_at RETURNING id",
          {Int(e.user.value()), Text(e.day), Text(e.subject), Text(e.body), Text(e.status), Text(e.error),
           Int(e.attempts), Text(e.updated_at)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "outbox", {{"outbox.user", "users", e.user.value()}}));
  e.id = id;
  return Status::Ok();
}

Result<std::vector<ProposalId>> SqlStore::SupportsOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT proposal_id FROM proposal_supports WHERE user_id = $1 ORDER BY "
                                        "proposal_id",
                                        {Int(user.value())}));
  std::vector<ProposalId> out;
  for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.Int(i, 0));
  return out;
}

Result<std::vector<domain::Comment>> SqlStore::CommentsBy(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT c.id, c.proposal_id, c.parent_id, c.author_user_id, COALESCE(u.display_name, ''), c.text, "
                   "c.created_at FROM comments c LEFT JOIN users u ON u.id = c.author_user_id "
                   "WHERE c.author_user_id = $1 ORDER BY c.id",
                   {Int(user.value())}));
  std::vector<domain::Comment> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& c = out[i];
    c.id = r.Int(i, 0);
    c.proposal = ProposalId(r.Int(i, 1));
    c.parent = r.Null(i, 2) ? 0 : r.Int(i, 2);
    c.author = UserId(r.Int(i, 3));
    c.author_name = r.Str(i, 4);
    c.text = r.Str(i, 5);
    c.created_at = r.Str(i, 6);
  }
  return out;
}

Result<std::vector<domain::Ballot>> SqlStore::BallotsBy(UserId user) {
  // The account's own rows only (sealed ballots have no voter), not every ballot of its rounds.
  return ReadBallots(" WHERE voter_user_id = $1 ORDER BY id", {Int(user.value())});
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

Result<int64_t> SqlStore::Insert(FabricSnapshot& s) {
  if (s.period.size() != 7) return Status::InvalidArgument("snapshot.period: expected YYYY-MM, got '" + s.period + "'");
  if (s.trigger != "monthly" && s.trigger != "on_demand")
    return Status::InvalidArgument("snapshot.trigger: '" + s.trigger + "' is not one of monthly, on_demand");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Fabric(s.municipality));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO fabric_snapshots (municipality_id, taken_at, period, trigger_kind, health, typology) "
                     "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                     {Int(s.municipality.value()), Text(s.taken_at), Text(s.period), Text(s.trigger),
                      Text(s.health.empty() ? "{}" : s.health), Text(s.typology.empty() ? "{}" : s.typology)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(
      Explain(st, "snapshot", {{"snapshot.municipality", "municipalities", s.municipality.value()}}));
  s.id = id;
  return id;
}

Result<std::vector<FabricSnapshot>> SqlStore::SnapshotsOf(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT id, municipality_id, taken_at, period, trigger_kind, health, typology "
                                        "FROM fabric_snapshots WHERE municipality_id = $1 ORDER BY taken_at, id",
                                        {Int(m.value())}));
  std::vector<FabricSnapshot> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& s = out[i];
    s.id = r.Int(i, 0);
    s.municipality = MunicipalityId(r.Int(i, 1));
    s.taken_at = r.Str(i, 2);
    s.period = r.Str(i, 3);
    s.trigger = r.Str(i, 4);
    s.health = r.Str(i, 5);
    s.typology = r.Str(i, 6);
  }
  return out;
}

}  // namespace weefsel::storage
