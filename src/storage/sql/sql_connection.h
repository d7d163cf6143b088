// storage/sql_connection.h: the narrow SQL surface the two backends share (internal to storage/).
//
// SqlStore (sql_store.h) implements every Store method once, in SQL written with PostgreSQL-style
// numbered placeholders ($1, $2, ...). A SqlConnection runs that SQL on one backend: the SQLite one
// rewrites $N to ?N and caches prepared statements; the PostgreSQL one prepares each distinct text
// once per connection. Both turn their library's errors into Status values with one vocabulary:
//   - unique violation      -> AlreadyExists, message = the column(s) at fault ("cbs_code")
//   - foreign key violation -> InvalidArgument whose message starts with kForeignKeyMarker
//   - busy / lost connection-> Unavailable
//   - anything else         -> Internal (or InvalidArgument for CHECK / NOT NULL)
// SqlStore rewrites the first two into messages that name the entity and field.
// Thread-safety: none; a connection belongs to one Store, used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace weefsel::storage {

inline constexpr std::string_view kForeignKeyMarker = "foreign key violation";

// A parameter or result cell: NULL, integer, real or text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

// A result set. Cells keep the type the backend gave (SQLite: typed; PostgreSQL: text) and the
// accessors convert, so the store reads both alike.
class SqlRows {
 public:
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  bool Null(size_t r, size_t c) const { return std::holds_alternative<std::monostate>(rows_[r][c]); }
  int64_t Int(size_t r, size_t c) const;
  double Dbl(size_t r, size_t c) const;
  std::string Str(size_t r, size_t c) const;
  std::vector<std::vector<SqlValue>>& rows() { return rows_; }

 private:
  std::vector<std::vector<SqlValue>> rows_;
};

// Receives the rows of a bulk insert, field by field. EndRow() writes the row (SQLite: one step
// of a cached INSERT; PostgreSQL: one line of COPY) and reports the first failure.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Null() = 0;
  virtual void Int(int64_t v) = 0;
  virtual void Dbl(double v) = 0;
  virtual void Text(std::string_view v) = 0;
  virtual Status EndRow() = 0;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual std::string Dialect() const = 0;
  // Runs a script of one or more statements without parameters (migrations, BEGIN, SAVEPOINT).
  virtual Status Exec(const std::string& script) = 0;
  // Runs one statement with parameters; the statement is prepared once and cached.
  virtual Result<SqlRows> Query(const std::string& sql, const std::vector<SqlValue>& params) = 0;
  // The statement that opens a top-level transaction ("BEGIN IMMEDIATE" on SQLite).
  virtual std::string BeginSql() const = 0;
  // Bulk insert into `table` (columns in order); `produce` feeds about `expected_rows` rows to
  // the sink. Must run inside a transaction.
  virtual Status CopyRows(const std::string& table, const std::vector<std::string>& columns, size_t expected_rows,
                          const std::function<Status(RowSink&)>& produce) = 0;
  // Reserves `n` fresh ids for `table` (must run inside a transaction).
  virtual Result<std::vector<int64_t>> ReserveIds(const std::string& table, size_t n) = 0;
  // Called after rows with caller-chosen ids went into `table`, so generated ids do not collide.
  virtual Status SyncIdSequence(const std::string& table) = 0;
  // Wraps a text expression so that ORDER BY compares bytes on every backend.
  virtual std::string OrderText(const std::string& column) const = 0;
};

}  // namespace weefsel::storage
