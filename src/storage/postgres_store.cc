#include "storage/postgres_store.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <pqxx/pqxx>
#include <unordered_map>
#include <utility>

#include "storage/migrations.h"
#include "storage/sql/sql_store.h"

namespace weefsel::storage {

namespace {

// The URL without its password, for messages.
std::string Redact(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

// "Key (cbs_code)=(GM0363) already exists." -> "cbs_code"; "Key (lower(email))=..." -> "email".
std::string KeyColumns(const std::string& what) {
  auto start = what.find("Key (");
  if (start == std::string::npos) return "key";
  start += 5;
  auto end = what.find(")=(", start);
  if (end == std::string::npos) return "key";
  std::string inner = what.substr(start, end - start);
  for (std::string_view strip : {"lower(", "::text", ")"}) {
    for (auto p = inner.find(strip); p != std::string::npos; p = inner.find(strip)) inner.erase(p, strip.size());
  }
  return inner;
}

std::string FirstLine(const std::string& s) {
  std::string out = s.substr(0, s.find('\n'));
  if (out.rfind("ERROR:  ", 0) == 0) out = out.substr(8);
  return out;
}

Status MapError(const std::exception& e, const std::string& where) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e))
    return Status::Unavailable("PostgreSQL connection to " + where + " lost: " + FirstLine(e.what()));
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    if (state == "23505") return Status::AlreadyExists(KeyColumns(e.what()));
    if (state == "23503") return Status::InvalidArgument(std::string(kForeignKeyMarker) + ": " + FirstLine(e.what()));
    if (state == "23514" || state == "23502" || state == "22P02" || state == "22003")
      return Status::InvalidArgument(FirstLine(e.what()));
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P03" || state == "53300")
      return Status::Unavailable("PostgreSQL at " + where + ": " + FirstLine(e.what()));
    if (state == "40001" || state == "40P01")
      return Status::Unavailable("PostgreSQL: " + FirstLine(e.what()) + " (retry)");
    return Status::Internal("PostgreSQL (" + state + "): " + FirstLine(e.what()));
  }
  return Status::Internal(std::string("PostgreSQL: ") + FirstLine(e.what()));
}

std::string ToText(double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

// stream_to in libpqxx 6.4 writes tuples only: rows go out as std::array of the right width.
using RowWriter = void (*)(pqxx::stream_to&, const std::vector<const char*>&);
template <size_t N>
void WriteRow(pqxx::stream_to& stream, const std::vector<const char*>& fields) {
  std::array<const char*, N> row;
  std::copy_n(fields.begin(), N, row.begin());
  stream << row;
}
template <size_t... I>
constexpr std::array<RowWriter, sizeof...(I)> MakeWriters(std::index_sequence<I...>) {
  return {&WriteRow<I + 1>...};
}
constexpr auto kRowWriters = MakeWriters(std::make_index_sequence<16>{});

// Batches at least this large may drop and rebuild the table's foreign keys and indexes.
constexpr size_t kRebuildFrom = 20000;
// Reservations at least this large take one locked contiguous block of the id sequence.
constexpr size_t kReserveBlockFrom = 1000;

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(std::unique_ptr<pqxx::connection> conn, std::string where)
      : conn_(std::move(conn)), tx_(std::make_unique<pqxx::nontransaction>(*conn_)), where_(std::move(where)) {}
  ~PostgresConnection() override {
    tx_.reset();
    conn_.reset();
  }

  std::string Dialect() const override { return "postgres"; }
  std::string BeginSql() const override { return "BEGIN"; }
  std::string OrderText(const std::string& column) const override { return column + " COLLATE \"C\""; }

  Status Exec(const std::string& script) override {
    try {
      tx_->exec(script);
      return Status::Ok();
    } catch (const std::exception& e) {
      return MapError(e, where_);
    }
  }

  Result<SqlRows> Query(const std::string& sql, const std::vector<SqlValue>& params) override {
    try {
      auto it = prepared_.find(sql);
      if (it == prepared_.end()) {
        std::string name = "w" + std::to_string(prepared_.size() + 1);
        conn_->prepare(name, sql);
        it = prepared_.emplace(sql, name).first;
      }
      std::vector<std::string> texts(params.size());
      std::vector<const char*> ptrs(params.size(), nullptr);
      for (size_t i = 0; i < params.size(); ++i) {
        const SqlValue& v = params[i];
        if (std::holds_alternative<std::monostate>(v)) continue;
        if (auto* x = std::get_if<int64_t>(&v))
          texts[i] = std::to_string(*x);
        else if (auto* d = std::get_if<double>(&v))
          texts[i] = ToText(*d);
        else
          texts[i] = std::get<std::string>(v);
        ptrs[i] = texts[i].c_str();
      }
      pqxx::result r = tx_->exec_prepared(it->second, pqxx::prepare::make_dynamic_params(ptrs));
      SqlRows rows;
      rows.rows().reserve(r.size());
      const size_t cols = static_cast<size_t>(r.columns());
      for (const auto& row : r) {
        auto& out = rows.rows().emplace_back(cols);
        for (size_t c = 0; c < cols; ++c) {
          const pqxx::field f = row[static_cast<pqxx::row::size_type>(c)];
          if (!f.is_null()) out[c] = std::string(f.c_str(), f.size());
        }
      }
      return rows;
    } catch (const std::exception& e) {
      return MapError(e, where_);
    }
  }

  Status CopyRows(const std::string& table, const std::vector<std::string>& columns, size_t expected_rows,
                  const std::function<Status(RowSink&)>& produce) override {
    if (columns.empty() || columns.size() > kRowWriters.size())
      return Status::Internal("COPY into " + table + ": unsupported number of columns");
    // A large batch into a table no larger than the batch loads much faster without per-row
    // foreign key triggers and secondary index updates: drop them, COPY, then rebuild the indexes
    // and re-add the foreign keys (each validated by one join). All inside the caller's
    // transaction, so a failure restores them; the table is locked until commit.
    std::vector<std::string> restore;
    if (expected_rows >= kRebuildFrom) {
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows size, Query("SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " LIMIT $1) x",
                                                   {static_cast<int64_t>(expected_rows) + 1}));
      if (static_cast<size_t>(size.Int(0, 0)) <= expected_rows) {
        WEEFSEL_ASSIGN_OR_RETURN(SqlRows fks, Query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                                                    "WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname",
                                                    {table}));
        WEEFSEL_ASSIGN_OR_RETURN(SqlRows idx,
                                 Query("SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x "
                                       "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = $1::regclass "
                                       "AND NOT x.indisprimary AND NOT x.indisunique ORDER BY c.relname",
                                       {table}));
        for (size_t i = 0; i < fks.size(); ++i) {
          WEEFSEL_RETURN_IF_ERROR(Exec("ALTER TABLE " + table + " DROP CONSTRAINT " + fks.Str(i, 0)));
        }
        if (!idx.empty()) WEEFSEL_RETURN_IF_ERROR(Exec("SET LOCAL maintenance_work_mem = '256MB'"));
        for (size_t i = 0; i < idx.size(); ++i) {
          WEEFSEL_RETURN_IF_ERROR(Exec("DROP INDEX " + idx.Str(i, 0)));
          restore.push_back(idx.Str(i, 1));
        }
        for (size_t i = 0; i < fks.size(); ++i)
          restore.push_back("ALTER TABLE " + table + " ADD CONSTRAINT " + fks.Str(i, 0) + " " + fks.Str(i, 1));
      }
    }
    Status s;
    try {
      pqxx::stream_to stream(*tx_, table, columns);
      Sink sink(stream, columns.size());
      s = produce(sink);
      stream.complete();
    } catch (const std::exception& e) {
      return MapError(e, where_);
    }
    for (const auto& sql : restore) {
      if (!s.ok()) break;  // the caller rolls back, which restores what was dropped
      s = Exec(sql);
    }
    return s;
  }

  Result<std::vector<int64_t>> ReserveIds(const std::string& table, size_t n) override {
    std::vector<int64_t> ids;
    if (n == 0) return ids;
    if (n >= kReserveBlockFrom) {
      // One contiguous block: ALTER SEQUENCE (a no-op change) takes a lock that makes concurrent
      // nextval() calls wait until this transaction ends, so nextval + setval cannot interleave.
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows seq, Query("SELECT pg_get_serial_sequence($1, 'id')", {table}));
      if (seq.empty() || seq.Null(0, 0)) return Status::Internal("table " + table + " has no id sequence");
      const std::string name = seq.Str(0, 0);
      WEEFSEL_RETURN_IF_ERROR(Exec("ALTER SEQUENCE " + name + " INCREMENT BY 1"));
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows first, Query("SELECT nextval($1::regclass)", {name}));
      const int64_t start = first.Int(0, 0);
      WEEFSEL_RETURN_IF_ERROR(
          Query("SELECT setval($1::regclass, $2)", {name, start + static_cast<int64_t>(n) - 1}).status());
      ids.resize(n);
      for (size_t i = 0; i < n; ++i) ids[i] = start + static_cast<int64_t>(i);
      return ids;
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Query("SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)",
                                   {table, static_cast<int64_t>(n)}));
    ids.resize(r.size());
    for (size_t i = 0; i < r.size(); ++i) ids[i] = r.Int(i, 0);
    return ids;
  }

  Status SyncIdSequence(const std::string& table) override {
    return Query("SELECT setval(pg_get_serial_sequence('" + table +
                     "', 'id'), GREATEST(MAX(id), nextval(pg_get_serial_sequence('" + table + "', 'id')))) FROM " +
                     table,
                 {})
        .status();
  }

 private:
  // Collects one row's fields as text and hands them to COPY (NULL as a null pointer).
  class Sink final : public RowSink {
   public:
    Sink(pqxx::stream_to& stream, size_t columns)
        : stream_(stream), write_(kRowWriters[columns - 1]), texts_(columns), ptrs_(columns) {}
    void Null() override { ptrs_[col_++] = nullptr; }
    void Int(int64_t v) override { Put(std::to_string(v)); }
    void Dbl(double v) override { Put(ToText(v)); }
    void Text(std::string_view v) override { Put(std::string(v)); }
    Status EndRow() override {
      col_ = 0;
      write_(stream_, ptrs_);
      return Status::Ok();
    }

   private:
    void Put(std::string v) {
      texts_[col_] = std::move(v);
      ptrs_[col_] = texts_[col_].c_str();
      ++col_;
    }
    pqxx::stream_to& stream_;
    RowWriter write_;
    std::vector<std::string> texts_;
    std::vector<const char*> ptrs_;
    size_t col_ = 0;
  };

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::nontransaction> tx_;  // statements run in autocommit; BEGIN/COMMIT are ours
  std::unordered_map<std::string, std::string> prepared_;
  std::string where_;
};

}  // namespace

namespace {
// A session on `url` with `settings` run first; `what` says what it is for in an error.
Result<std::unique_ptr<PostgresConnection>> Connect(const std::string& url, const std::string& settings,
                                                    const std::string& what) {
  std::string where = Redact(url);
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(url);
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot connect to PostgreSQL at " + where + what + ": " + FirstLine(e.what()));
  }
  auto pg = std::make_unique<PostgresConnection>(std::move(conn), where);
  WEEFSEL_RETURN_IF_ERROR(pg->Exec(settings));
  return pg;
}
}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  WEEFSEL_ASSIGN_OR_RETURN(auto pg, Connect(url, "SET client_min_messages = warning", ""));
  return sql::SqlStore::Create(std::move(pg), PostgresMigrations());
}

Result<std::unique_ptr<Store>> OpenPostgresReader(const std::string& url) {
  // Every transaction of this session is read-only: a write through it fails.
  WEEFSEL_ASSIGN_OR_RETURN(
      auto pg, Connect(url, "SET client_min_messages = warning; SET default_transaction_read_only = on", " to read"));
  return sql::SqlStore::Attach(std::move(pg));
}

Result<std::unique_ptr<Store>> OpenPostgresWriter(const std::string& url) {
  WEEFSEL_ASSIGN_OR_RETURN(auto pg, Connect(url, "SET client_min_messages = warning", " to write"));
  return sql::SqlStore::Attach(std::move(pg));  // the writer's Open ran the migrations
}

}  // namespace weefsel::storage
