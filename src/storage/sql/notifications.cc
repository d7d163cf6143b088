// sql/notifications.cc: in-app notifications and the daily digest's outbox (store/notifications.h).
#include <algorithm>
#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_store.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {

// The row of a notification: the stored fields of its table, and whom it is for and the audit
// entry it came from (an unset one NULL), whom no reader of the table sees.
const RowMap<Notification>& NotificationRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<Notification>("notifications", domain::fields::NotificationFields());
    m->Also(domain::fields::IdOf("user", &Notification::user, false).Column("user_id"));
    domain::fields::Field<Notification> audit = domain::fields::Int("audit_id", &Notification::audit_id).Column();
    audit.put = [](const Notification& n, domain::fields::CellOut& c) {
      if (n.audit_id > 0)
        c.Int(n.audit_id);
      else
        c.Null();
    };
    audit.take = [](Notification& n, domain::fields::CellIn& c) {
      n.audit_id = c.IsNull() ? 0 : c.Int();
      return Status::Ok();
    };
    m->Also(audit);
    return m;
  }();
  return *rows;
}

// What every notification needs; `at` names it in the message ("notification." or "notifications[3].").
Status Check(const Notification& n, const std::string& at) {
  if (!n.user.valid()) return Status::InvalidArgument(at + "user: must name a user");
  if (n.kind.empty()) return Status::InvalidArgument(at + "kind: must not be empty");
  if (n.title.empty()) return Status::InvalidArgument(at + "title: must not be empty");
  return Status::Ok();
}

}  // namespace

Result<int64_t> SqlStore::Insert(Notification& n) {
  WEEFSEL_RETURN_IF_ERROR(Check(n, "notification."));
  int64_t id = 0;
  Status st = Transaction([&]() -> Status {
    Notification fresh = n;
    fresh.id = 0;  // a new notification always gets a new id
    auto [sql, params] = NotificationRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "notification", {{"notification.user", "users", n.user.value()}}));
  n.id = id;
  return id;
}

Status SqlStore::InsertNotifications(const std::vector<Notification>& ns) {
  for (size_t i = 0; i < ns.size(); ++i)
    WEEFSEL_RETURN_IF_ERROR(Check(ns[i], "notifications[" + std::to_string(i) + "]."));
  if (ns.empty()) return Status::Ok();
  Status st = Transaction([&]() -> Status {
    // New ids (a notification's own is not kept), reserved so that the bulk write names them.
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> ids, conn_->ReserveIds("notifications", ns.size()));
    const RowMap<Notification>& map = NotificationRows();
    return conn_->CopyRows("notifications", map.CopyColumns(), ns.size(), [&](RowSink& sink) -> Status {
      for (size_t i = 0; i < ns.size(); ++i) {
        map.Sink(sink, ids[i], ns[i]);
        WEEFSEL_RETURN_IF_ERROR(sink.EndRow());
      }
      return Status::Ok();
    });
  });
  if (st.ok()) return st;
  std::vector<FkRef> refs;  // only on failure: which user does not exist
  for (size_t i = 0; i < ns.size(); ++i)
    refs.push_back({"notifications[" + std::to_string(i) + "].user", "users", ns[i].user.value()});
  return Explain(st, "notification", refs);
}

Result<std::vector<Notification>> SqlStore::NotificationsOf(UserId user, int64_t limit, int64_t offset) {
  std::string sql = NotificationRows().Select() +
                    " WHERE user_id = $1 ORDER BY CASE WHEN read_at = '' THEN 0 ELSE 1 END, "
                    "id DESC";
  Params p{Int(user.value())};
  if (limit > 0) {
    sql += " LIMIT $2 OFFSET $3";
    p.push_back(Int(limit));
    p.push_back(Int(std::max<int64_t>(offset, 0)));
  }
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
  return NotificationRows().Read(r);
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
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(NotificationRows().Select() + " WHERE at >= $1 AND at < $2 ORDER BY user_id, id",
                             {Text(day), Text(day + "U")}));
  return NotificationRows().Read(r);
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

}  // namespace weefsel::storage::sql
