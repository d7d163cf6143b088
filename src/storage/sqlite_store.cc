#include "storage/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

#include "base/strings.h"
#include "storage/migrations.h"
#include "storage/sql/sql_store.h"

namespace weefsel::storage {

namespace {

// "$12" -> "?12": SQLite's numbered parameters keep the PostgreSQL numbering.
std::string Rewrite(const std::string& sql) {
  std::string out = sql;
  bool quoted = false;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\'') quoted = !quoted;
    if (!quoted && out[i] == '$' && i + 1 < out.size() && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

// Batches at least this large may drop and rebuild the table's secondary indexes.
constexpr size_t kRebuildIndexesFrom = 20000;
// Rows per multi-row INSERT in bulk loads. Every statement inside a savepoint ends by truncating
// SQLite's in-memory sub-journal, which walks it from its start: under publication's savepoints the
// 100,000 notifications of a round's result spent 0.8 s there in 64-row statements.
constexpr size_t kRowsPerInsert = 512;

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string path, bool reader = false)
      : db_(db), path_(std::move(path)), reader_(reader) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  std::string Dialect() const override { return "sqlite"; }
  // A reader's transaction only reads: a deferred BEGIN takes no write lock (a snapshot at its
  // first SELECT).
  std::string BeginSql() const override { return reader_ ? "BEGIN" : "BEGIN IMMEDIATE"; }
  std::string OrderText(const std::string& column) const override { return column; }

  Status Exec(const std::string& script) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    if (rc != SQLITE_OK) return Error(rc, msg);
    return Status::Ok();
  }

  Result<SqlRows> Query(const std::string& sql, const std::vector<SqlValue>& params) override {
    WEEFSEL_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    for (size_t i = 0; i < params.size(); ++i) Bind(stmt, static_cast<int>(i) + 1, params[i]);
    SqlRows rows;
    const int cols = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status s = Error(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        return s;
      }
      auto& row = rows.rows().emplace_back(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row[c] = static_cast<int64_t>(sqlite3_column_int64(stmt, c));
            break;
          case SQLITE_FLOAT:
            row[c] = sqlite3_column_double(stmt, c);
            break;
          case SQLITE_NULL:
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row[c] = std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
          }
        }
      }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rows;
  }

  Status CopyRows(const std::string& table, const std::vector<std::string>& columns, size_t expected_rows,
                  const std::function<Status(RowSink&)>& produce) override {
    // A large batch into a table no larger than the batch loads faster without its secondary
    // indexes, which are rebuilt by sorting afterwards (in the same transaction).
    std::vector<std::string> rebuild;
    if (expected_rows >= kRebuildIndexesFrom) {
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows size, Query("SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " LIMIT $1)",
                                                   {static_cast<int64_t>(expected_rows) + 1}));
      if (static_cast<size_t>(size.Int(0, 0)) <= expected_rows) {
        WEEFSEL_ASSIGN_OR_RETURN(SqlRows idx, Query("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND "
                                                    "tbl_name = $1 AND sql IS NOT NULL",
                                                    {table}));
        for (size_t i = 0; i < idx.size(); ++i) {
          WEEFSEL_RETURN_IF_ERROR(Exec("DROP INDEX " + idx.Str(i, 0)));
          rebuild.push_back(idx.Str(i, 1));
        }
      }
    }
    // Rows go out kRowsPerInsert at a time through one multi-row INSERT; the rest one by one.
    const size_t batch = std::max<size_t>(1, std::min<size_t>(kRowsPerInsert, 32000 / columns.size()));
    WEEFSEL_ASSIGN_OR_RETURN(sqlite3_stmt * multi, Prepare(InsertSql(table, columns, batch)));
    WEEFSEL_ASSIGN_OR_RETURN(sqlite3_stmt * single, Prepare(InsertSql(table, columns, 1)));
    Sink sink(this, multi, single, columns.size(), batch);
    Status s = produce(sink);
    if (s.ok()) s = sink.Flush();
    sqlite3_reset(multi);
    sqlite3_clear_bindings(multi);
    sqlite3_reset(single);
    sqlite3_clear_bindings(single);
    for (const auto& create : rebuild) {
      if (!s.ok()) break;  // the caller rolls back, which restores the dropped indexes
      s = Exec(create);
    }
    return s;
  }

  Result<std::vector<int64_t>> ReserveIds(const std::string& table, size_t n) override {
    // Inside BEGIN IMMEDIATE this connection holds the write lock, so max(id) + 1 ... is ours.
    std::vector<int64_t> ids;
    if (n == 0) return ids;
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Query("SELECT COALESCE(MAX(id), 0) FROM " + table, {}));
    int64_t next = r.Int(0, 0) + 1;
    ids.resize(n);
    for (size_t i = 0; i < n; ++i) ids[i] = next + static_cast<int64_t>(i);
    return ids;
  }

  Status SyncIdSequence(const std::string&) override { return Status::Ok(); }  // rowids follow max(id)

 private:
  static std::string InsertSql(const std::string& table, const std::vector<std::string>& columns, size_t rows) {
    std::string sql = "INSERT INTO " + table + " (";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += ") VALUES ";
    for (size_t r = 0; r < rows; ++r) {
      sql += r ? ", (" : "(";
      for (size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
      sql += ")";
    }
    return sql;
  }

  // Buffers up to `batch` rows, then binds them to the multi-row INSERT and steps it once.
  class Sink final : public RowSink {
   public:
    Sink(SqliteConnection* conn, sqlite3_stmt* multi, sqlite3_stmt* single, size_t columns, size_t batch)
        : conn_(conn), multi_(multi), single_(single), columns_(columns), batch_(batch), cells_(columns * batch) {}
    void Null() override { Next().type = SQLITE_NULL; }
    void Int(int64_t v) override {
      Cell& c = Next();
      c.type = SQLITE_INTEGER;
      c.i = v;
    }
    void Dbl(double v) override {
      Cell& c = Next();
      c.type = SQLITE_FLOAT;
      c.d = v;
    }
    void Text(std::string_view v) override {
      Cell& c = Next();
      c.type = SQLITE_TEXT;
      c.s.assign(v);
    }
    Status EndRow() override {
      col_ = 0;
      if (++rows_ < batch_) return Status::Ok();
      Status s = Step(multi_, 0, batch_);
      rows_ = 0;
      return s;
    }
    // Writes the rows still buffered.
    Status Flush() {
      for (size_t r = 0; r < rows_; ++r) WEEFSEL_RETURN_IF_ERROR(Step(single_, r, 1));
      rows_ = 0;
      return Status::Ok();
    }

   private:
    struct Cell {
      int type = SQLITE_NULL;
      int64_t i = 0;
      double d = 0;
      std::string s;
    };
    Cell& Next() { return cells_[rows_ * columns_ + col_++]; }
    Status Step(sqlite3_stmt* stmt, size_t first_row, size_t rows) {
      int param = 0;
      for (size_t k = first_row * columns_; k < (first_row + rows) * columns_; ++k) {
        const Cell& c = cells_[k];
        ++param;
        switch (c.type) {
          case SQLITE_INTEGER:
            sqlite3_bind_int64(stmt, param, c.i);
            break;
          case SQLITE_FLOAT:
            sqlite3_bind_double(stmt, param, c.d);
            break;
          case SQLITE_TEXT:
            sqlite3_bind_text(stmt, param, c.s.data(), static_cast<int>(c.s.size()), SQLITE_STATIC);
            break;
          default:
            sqlite3_bind_null(stmt, param);
        }
      }
      int rc = sqlite3_step(stmt);
      sqlite3_reset(stmt);
      if (rc != SQLITE_DONE) return conn_->Error(sqlite3_extended_errcode(conn_->db_), sqlite3_errmsg(conn_->db_));
      return Status::Ok();
    }

    SqliteConnection* conn_;
    sqlite3_stmt* multi_;
    sqlite3_stmt* single_;
    size_t columns_, batch_;
    std::vector<Cell> cells_;
    size_t rows_ = 0, col_ = 0;
  };

  Result<sqlite3_stmt*> Prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    std::string rewritten = Rewrite(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc, sqlite3_errmsg(db_)).WithContext("preparing SQL");
    cache_.emplace(sql, stmt);
    return stmt;
  }

  static void Bind(sqlite3_stmt* stmt, int i, const SqlValue& v) {
    if (auto* x = std::get_if<int64_t>(&v))
      sqlite3_bind_int64(stmt, i, *x);
    else if (auto* d = std::get_if<double>(&v))
      sqlite3_bind_double(stmt, i, *d);
    else if (auto* s = std::get_if<std::string>(&v))
      sqlite3_bind_text(stmt, i, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    else
      sqlite3_bind_null(stmt, i);
  }

  Status Error(int rc, const std::string& msg) const {
    switch (rc) {
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_PRIMARYKEY: {
        // "UNIQUE constraint failed: municipalities.cbs_code" -> "cbs_code"
        std::string cols;
        auto colon = msg.find(": ");
        std::string list = colon == std::string::npos ? msg : msg.substr(colon + 2);
        for (size_t start = 0; start <= list.size();) {
          size_t end = list.find(", ", start);
          std::string item = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
          auto dot = item.find('.');
          cols += (cols.empty() ? "" : ", ") + (dot == std::string::npos ? item : item.substr(dot + 1));
          if (end == std::string::npos) break;
          start = end + 2;
        }
        return Status::AlreadyExists(cols);
      }
      case SQLITE_CONSTRAINT_FOREIGNKEY:
        return Status::InvalidArgument(std::string(kForeignKeyMarker) + ": " + msg);
      case SQLITE_CONSTRAINT_CHECK:
      case SQLITE_CONSTRAINT_NOTNULL:
        return Status::InvalidArgument(msg);
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return Status::Unavailable("database " + path_ + " is busy: " + msg);
      default:
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
          return Status::Unavailable("database " + path_ + " is busy: " + msg);
        if ((rc & 0xff) == SQLITE_CONSTRAINT) return Status::InvalidArgument(msg);
        return Status::Internal("sqlite " + path_ + ": " + msg);
    }
  }

  sqlite3* db_;
  std::string path_;
  bool reader_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

namespace {
bool IsPrivateSqlite(const std::string& path) {
  return path == ":memory:" || path.empty() || StartsWith(path, "file::memory:") ||
         path.find("mode=memory") != std::string::npos;
}

// The connection to `path` with `flags`, extended result codes and the 5 s busy timeout; `what`
// says what it is for in an error.
Result<std::unique_ptr<SqliteConnection>> Connect(const std::string& path, int flags, bool reader,
                                                  const std::string& what) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Unavailable("cannot open SQLite database '" + path + "'" + what + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return std::make_unique<SqliteConnection>(db, path, reader);
}
}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteReader(const std::string& path) {
  if (IsPrivateSqlite(path))
    return Status::FailedPrecondition("--db " + path + ": an in-memory database has no second connection to read from");
  // Read-write without CREATE, then query_only: the file must exist and be migrated already, and
  // every write through this connection fails ("attempt to write a readonly database").
  WEEFSEL_ASSIGN_OR_RETURN(auto conn, Connect(path, SQLITE_OPEN_READWRITE, /*reader=*/true, " to read"));
  WEEFSEL_RETURN_IF_ERROR(
      conn->Exec("PRAGMA query_only = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"));
  return sql::SqlStore::Attach(std::move(conn));
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  WEEFSEL_ASSIGN_OR_RETURN(auto conn, Connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, false, ""));
  Status s = conn->Exec(
      "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
      "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;");
  if (!s.ok()) {
    if (s.code() == StatusCode::kInternal)
      return Status::Unavailable("cannot use SQLite database '" + path + "': " + s.message());
    return s;
  }
  return sql::SqlStore::Create(std::move(conn), SqliteMigrations());
}

}  // namespace weefsel::storage
