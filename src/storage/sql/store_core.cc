// sql/store_core.cc: SqlStore's plumbing: creating and migrating, transactions, the write wrapper
// that records the change feed, error rewriting, and the counts and versions of the whole store.
#include "storage/sql/sql_store.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/clock.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Plumbing.

Result<std::unique_ptr<Store>> SqlStore::Create(std::unique_ptr<SqlConnection> conn,
                                                const std::vector<Migration>& migrations) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(conn)));
  WEEFSEL_RETURN_IF_ERROR(store->Migrate(migrations));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> SqlStore::Attach(std::unique_ptr<SqlConnection> conn) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(conn)));
  auto version = store->SchemaVersion();
  if (!version.ok() || *version <= 0)
    return Status::FailedPrecondition("the database has no weefsel schema yet: open it for writing first");
  return std::unique_ptr<Store>(std::move(store));
}

Status SqlStore::Migrate(const std::vector<Migration>& migrations) {
  int known = 0;  // the highest number this build knows (the list may have gaps)
  for (const auto& m : migrations) known = std::max(known, m.version);
  return Transaction([&]() -> Status {
    if (conn_->Dialect() == "postgres") {
      // Two processes opening a fresh database at once: one migrates, the other waits.
      WEEFSEL_RETURN_IF_ERROR(conn_->Exec("SELECT pg_advisory_xact_lock(7364217)"));
    }
    WEEFSEL_RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at TEXT NOT NULL)"));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows rows, Q("SELECT version FROM schema_migrations ORDER BY version"));
    std::unordered_set<int64_t> applied;
    int64_t highest = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      applied.insert(rows.Int(i, 0));
      highest = std::max(highest, rows.Int(i, 0));
    }
    if (highest > known)
      return Status::FailedPrecondition("database schema version " + std::to_string(highest) +
                                        " is newer than this weefsel knows (" + std::to_string(known) + ")");
    for (const auto& m : migrations) {
      if (applied.count(m.version)) continue;
      Status s = conn_->Exec(m.sql);
      if (!s.ok()) return s.WithContext("migration " + std::to_string(m.version) + " (" + m.name + ")");
      WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                                {Int(m.version), Text(m.name), Text(FormatTimestamp(SystemClock::Default().Now()))})
                                  .status());
    }
    return Status::Ok();
  });
}

Result<SqlRows> SqlStore::Q(const std::string& sql, const std::vector<SqlValue>& params) {
  return conn_->Query(sql, params);
}

Result<SqlRows> SqlStore::ChildRows(const std::string& columns, const std::string& child,
                                    const std::string& parent_column, const std::string& order,
                                    const std::string& parent, const std::string& tail, const Params& params) {
  return Q("SELECT " + columns + " FROM " + child + " WHERE " + parent_column + " IN (SELECT id FROM " + parent + tail +
               ") ORDER BY " + parent_column + ", " + order,
           params);
}

Status SqlStore::Transaction(const std::function<Status()>& body) {
  const int level = depth_;
  const std::string savepoint = "weefsel_sp" + std::to_string(level);
  WEEFSEL_RETURN_IF_ERROR(conn_->Exec(level == 0 ? conn_->BeginSql() : "SAVEPOINT " + savepoint));
  ++depth_;
  Status s;
  try {
    s = body();
  } catch (const std::exception& e) {
    s = Status::Internal(std::string("transaction body threw: ") + e.what());
  } catch (...) {
    s = Status::Internal("transaction body threw a non-standard exception");
  }
  --depth_;
  if (s.ok()) {
    s = conn_->Exec(level == 0 ? "COMMIT" : "RELEASE SAVEPOINT " + savepoint);
    if (s.ok()) return s;
  }
  if (level == 0) {
    (void)conn_->Exec("ROLLBACK");
  } else {
    (void)conn_->Exec("ROLLBACK TO SAVEPOINT " + savepoint);
    (void)conn_->Exec("RELEASE SAVEPOINT " + savepoint);
  }
  return s;
}

Status SqlStore::Write(const std::function<Status()>& body) {
  std::vector<std::string> outer = std::move(touched_);  // a Write inside a Write records its own
  touched_.clear();
  Status s = Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(body());
    if (touched_.empty()) touched_.emplace_back(scope::kAll);
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    // The feed rows go in last, so that under PostgreSQL the ids are taken just before COMMIT and
    // the window in which a higher id is visible before a lower one stays short (service/platform.cc
    // waits for such gaps).
    std::string sql = "INSERT INTO data_changes (scope) VALUES ";
    Params p;
    for (size_t i = 0; i < touched_.size(); ++i) {
      sql += (i ? ", ($" : "($") + std::to_string(i + 1) + ")";
      p.push_back(Text(touched_[i]));
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql + " RETURNING id", p));
    int64_t lo = INT64_MAX, hi = 0;
    for (size_t i = 0; i < r.size(); ++i) {
      lo = std::min(lo, r.Int(i, 0));
      hi = std::max(hi, r.Int(i, 0));
    }
    // Keep the newest kFeedRows rows: prune when the ids cross a multiple of 1024.
    constexpr int64_t kFeedRows = 100000;
    if (hi > kFeedRows && hi / 1024 != (lo - 1) / 1024)
      WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM data_changes WHERE id <= $1", {Int(hi - kFeedRows)}).status());
    return Status::Ok();
  });
  touched_ = std::move(outer);
  return s;
}

void SqlStore::Touch(std::string scope) { touched_.push_back(std::move(scope)); }

Status SqlStore::TouchRows(std::string_view kind, const std::string& sql, const std::vector<SqlValue>& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
  for (size_t i = 0; i < r.size(); ++i)
    if (!r.Null(i, 0)) Touch(scope::Of(kind, r.Int(i, 0)));
  return Status::Ok();
}

Status SqlStore::TouchTieEnds(const std::vector<Tie>& ties) {
  std::vector<int64_t> ends;
  ends.reserve(ties.size() * 2);
  for (const auto& t : ties) {
    ends.push_back(t.a.value());
    ends.push_back(t.b.value());
  }
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  // A bulk import touches every municipality's fabric with one query. Otherwise one fixed query per
  // end: the connections cache prepared statements by their text, so a text with the ids in it
  // would add a statement per write (it did: the server grew by 120 MB a minute under load).
  if (ends.size() > 64) return TouchRows("fabric", "SELECT id FROM municipalities", {});
  for (int64_t id : ends)
    WEEFSEL_RETURN_IF_ERROR(TouchRows("fabric", "SELECT municipality_id FROM actors WHERE id = $1", {Int(id)}));
  return Status::Ok();
}

Status SqlStore::Exists(const std::string& table, int64_t id, std::string_view what) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT 1 FROM " + table + " WHERE id = $1", {Int(id)}));
  if (r.empty())
    return Status::InvalidArgument(std::string(what) + ": " + Singular(table) + " " + std::to_string(id) +
                                   " does not exist");
  return Status::Ok();
}

Status SqlStore::Explain(const Status& s, std::string_view entity, const std::vector<FkRef>& refs) {
  if (s.ok()) return s;
  if (s.code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists(std::string(entity) + "." + s.message() + ": a row with this value already exists");
  if (s.code() == StatusCode::kInvalidArgument && StartsWith(s.message(), kForeignKeyMarker)) {
    for (const auto& ref : refs) {
      if (ref.id <= 0) continue;  // an unset reference is NULL and cannot be the culprit
      Status e = Exists(ref.table, ref.id, ref.field);
      if (!e.ok()) return e;
    }
    return Status::InvalidArgument(std::string(entity) + ": refers to a row that does not exist (" + s.message() + ")");
  }
  return s;
}

Result<int> SqlStore::SchemaVersion() {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(r.Int(0, 0));
}

Result<int64_t> SqlStore::DataVersion() {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT COALESCE(MAX(id), 0) FROM data_changes"));
  return r.Int(0, 0);
}

Result<Store::ChangePage> SqlStore::ChangesSince(int64_t after, int limit) {
  // One statement (it runs after every write): the oldest id kept first, then the page.
  ChangePage page;
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT 0 AS part, COALESCE(MIN(id), 0) AS id, '' AS scope FROM data_changes "
                             "UNION ALL SELECT 1, id, scope FROM (SELECT id, scope FROM data_changes WHERE id > $1 "
                             "ORDER BY id LIMIT $2) AS page ORDER BY part, id",
                             {Int(after), Int(limit)}));
  if (r.empty()) return Status::Internal("data_changes: no oldest id read");
  page.oldest = r.Int(0, 1);
  page.changes.resize(r.size() - 1);
  for (size_t i = 1; i < r.size(); ++i) page.changes[i - 1] = {r.Int(i, 1), r.Str(i, 2)};
  return page;
}

Result<Counts> SqlStore::Count() {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r,
      Q("SELECT (SELECT COUNT(*) FROM municipalities), (SELECT COUNT(*) FROM actors), (SELECT COUNT(*) FROM ties), "
        "(SELECT COUNT(*) FROM challenges), (SELECT COUNT(*) FROM coalitions), (SELECT COUNT(*) FROM proposals), "
        "(SELECT COUNT(*) FROM rounds), (SELECT COUNT(*) FROM ballots), (SELECT COUNT(*) FROM experiments), "
        "(SELECT COUNT(*) FROM users)"));
  Counts c;
  c.municipalities = r.Int(0, 0);
  c.actors = r.Int(0, 1);
  c.ties = r.Int(0, 2);
  c.challenges = r.Int(0, 3);
  c.coalitions = r.Int(0, 4);
  c.proposals = r.Int(0, 5);
  c.rounds = r.Int(0, 6);
  c.ballots = r.Int(0, 7);
  c.experiments = r.Int(0, 8);
  c.users = r.Int(0, 9);
  return c;
}

}  // namespace weefsel::storage::sql
