#include "storage/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "base/strings.h"
#include "storage/migrations.h"

extern char** environ;

namespace weefsel::storage {
namespace {

bool IsPostgres(const std::string& url) { return StartsWith(url, "postgres://") || StartsWith(url, "postgresql://"); }

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

// ---- SQLite ----

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

Result<Db> OpenDb(const std::string& path, int flags, const std::string& what) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Status::InvalidArgument(what + " " + path + ": cannot open (" + msg + ")");
  }
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

// Runs `sql` and returns the first column of every row as text.
Result<std::vector<std::string>> Column(sqlite3* db, const std::string& sql, const std::string& what) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    return Status::InvalidArgument(what + ": " + sqlite3_errmsg(db));
  std::vector<std::string> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char* t = sqlite3_column_text(st, 0);
    out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
  }
  std::string err = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(st);
  if (!err.empty()) return Status::InvalidArgument(what + ": " + err);
  return out;
}

// Copies database `from` into `to` with the online backup API, retrying while the source is busy.
Status CopyDb(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return Status::Internal(what + ": " + sqlite3_errmsg(to));
  int rc;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    rc = sqlite3_backup_step(b, 1024);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_OK) continue;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return Status::Unavailable(what + ": " + sqlite3_errstr(rc));
  return Status::Ok();
}

// Checks that `db` is an intact weefsel database and returns its schema version.
Result<int> CheckSqliteDb(sqlite3* db, const std::string& path) {
  WEEFSEL_ASSIGN_OR_RETURN(auto ic, Column(db, "PRAGMA integrity_check", path + ": integrity check"));
  if (ic.empty() || ic[0] != "ok")
    return Status::InvalidArgument(path + ": integrity check failed: " + (ic.empty() ? "no answer" : ic[0]));
  WEEFSEL_ASSIGN_OR_RETURN(
      auto has, Column(db, "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_migrations'", path));
  if (has.empty()) return Status::InvalidArgument(path + ": not a weefsel database (no schema_migrations table)");
  WEEFSEL_ASSIGN_OR_RETURN(auto v, Column(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", path));
  std::optional<int64_t> version = v.empty() ? std::optional<int64_t>(0) : ParseInt(v[0]);
  if (!version) return Status::InvalidArgument(path + ": schema_migrations: bad version");
  int newest = 0;
  for (const auto& m : SqliteMigrations()) newest = std::max(newest, m.version);
  if (*version > newest)
    return Status::FailedPrecondition(path + ": schema version " + std::to_string(*version) +
                                      " is newer than this weefsel knows (" + std::to_string(newest) + ")");
  return static_cast<int>(*version);
}

Result<BackupInfo> BackupSqlite(const std::string& path, const std::string& file) {
  if (path == ":memory:") return Status::InvalidArgument("--db: an in-memory database cannot be backed up");
  if (!std::filesystem::exists(path)) return Status::NotFound("--db " + path + ": no such database");
  WEEFSEL_ASSIGN_OR_RETURN(Db src, OpenDb(path, SQLITE_OPEN_READWRITE, "--db"));
  std::string tmp = file + ".tmp";
  std::filesystem::remove(tmp);
  BackupInfo info{"sqlite", 0, 0};
  {
    WEEFSEL_ASSIGN_OR_RETURN(Db dst, OpenDb(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "backup file"));
    Status s = CopyDb(src.get(), dst.get(), "backup " + path);
    // A backup is one self-contained file: no WAL beside it.
    if (s.ok()) s = Column(dst.get(), "PRAGMA journal_mode=DELETE", tmp).status();
    if (s.ok()) {
      auto v = CheckSqliteDb(dst.get(), tmp);
      if (v.ok()) info.schema_version = *v;
      s = v.status();
    }
    if (!s.ok()) {
      dst.reset();
      std::filesystem::remove(tmp);
      return s;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    return Status::InvalidArgument(file + ": cannot write the backup (" + ec.message() + ")");
  }
  info.bytes = FileSize(file);
  return info;
}

Result<BackupInfo> RestoreSqlite(const std::string& path, const std::string& file) {
  if (!std::filesystem::is_regular_file(file)) return Status::NotFound(file + ": no such backup file");
  WEEFSEL_ASSIGN_OR_RETURN(Db src, OpenDb(file, SQLITE_OPEN_READONLY, "backup file"));
  BackupInfo info{"sqlite", 0, FileSize(file)};
  WEEFSEL_ASSIGN_OR_RETURN(info.schema_version, CheckSqliteDb(src.get(), file));
  WEEFSEL_ASSIGN_OR_RETURN(Db dst, OpenDb(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "--db"));
  WEEFSEL_RETURN_IF_ERROR(CopyDb(src.get(), dst.get(), "restore into " + path));
  WEEFSEL_ASSIGN_OR_RETURN(auto ic, Column(dst.get(), "PRAGMA integrity_check", path));
  if (ic.empty() || ic[0] != "ok") return Status::Internal(path + ": integrity check failed after the restore");
  return info;
}

// ---- PostgreSQL ----

// Runs argv (no shell) and returns Ok when it exits 0; otherwise an error with its stderr.
Status RunTool(const std::vector<std::string>& argv, const std::string& what) {
  char tmpl[] = "/tmp/weefsel-tool-XXXXXX";
  int err_fd = mkstemp(tmpl);
  if (err_fd < 0) return Status::Internal(what + ": cannot create a temporary file");
  std::string err_path = tmpl;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(err_fd);
  std::string err_text;
  auto read_err = [&] {
    std::ifstream in(err_path);
    std::stringstream ss;
    ss << in.rdbuf();
    err_text = ss.str();
    std::filesystem::remove(err_path);
    while (!err_text.empty() && (err_text.back() == '\n' || err_text.back() == ' ')) err_text.pop_back();
    if (err_text.size() > 2000) err_text = err_text.substr(0, 2000) + "...";
  };
  if (rc != 0) {
    read_err();
    return Status::Unavailable(what + ": cannot run " + argv[0] +
                               " (install Debian's postgresql-client): " + std::strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  read_err();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  return Status::Unavailable(what + ": " + argv[0] + " failed" + (err_text.empty() ? "" : ": " + err_text));
}

int PostgresSchemaVersion(const std::string& url) {
  try {
    pqxx::connection c(url);
    pqxx::nontransaction w(c);
    auto r = w.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return r.empty() ? 0 : r[0][0].as<int>();
  } catch (const std::exception&) {
    return 0;
  }
}

Result<BackupInfo> BackupPostgres(const std::string& url, const std::string& file) {
  std::string tmp = file + ".tmp";
  std::filesystem::remove(tmp);
  std::vector<std::string> argv = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file=" + tmp};
  std::string schema = PostgresSchemaOf(url);
  if (!schema.empty()) argv.push_back("--schema=" + schema);
  argv.push_back("--dbname=" + url);
  Status s = RunTool(argv, "backup");
  if (!s.ok()) {
    std::filesystem::remove(tmp);
    return s;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Status::InvalidArgument(file + ": cannot write the backup (" + ec.message() + ")");
  return BackupInfo{"postgres", PostgresSchemaVersion(url), FileSize(file)};
}

Result<BackupInfo> RestorePostgres(const std::string& url, const std::string& file) {
  if (!std::filesystem::is_regular_file(file)) return Status::NotFound(file + ": no such backup file");
  // A quick look at the archive first: a file that is not a pg_dump archive changes nothing.
  Status listed = RunTool({"pg_restore", "--list", file}, "restore");
  if (!listed.ok())
    return Status::InvalidArgument(file + ": not a PostgreSQL backup made by weefsel backup (" + listed.message() +
                                   ")");
  std::vector<std::string> argv = {"pg_restore",      "--clean",         "--if-exists",
                                   "--no-owner",      "--no-privileges", "--single-transaction",
                                   "--exit-on-error", "--dbname=" + url};
  std::string schema = PostgresSchemaOf(url);
  if (!schema.empty()) argv.push_back("--schema=" + schema);
  argv.push_back(file);
  WEEFSEL_RETURN_IF_ERROR(RunTool(argv, "restore"));
  return BackupInfo{"postgres", PostgresSchemaVersion(url), FileSize(file)};
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string Quote(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::string PostgresSchemaOf(const std::string& url) {
  auto q = url.find('?');
  if (q == std::string::npos) return "";
  std::stringstream params(url.substr(q + 1));
  std::string kv;
  while (std::getline(params, kv, '&')) {
    if (!StartsWith(kv, "options=")) continue;
    std::string opts = UrlDecode(kv.substr(8));
    for (const std::string key : {"-csearch_path=", "-c search_path="}) {
      auto at = opts.find(key);
      if (at == std::string::npos) continue;
      std::string v = opts.substr(at + key.size());
      v = v.substr(0, v.find_first_of(" ,"));
      return v;
    }
  }
  return "";
}

Result<BackupInfo> Backup(const std::string& url, const std::string& file) {
  if (url.empty()) return Status::InvalidArgument("--db: empty database path or URL");
  if (file.empty()) return Status::InvalidArgument("FILE: empty backup file name");
  return IsPostgres(url) ? BackupPostgres(url, file) : BackupSqlite(url, file);
}

Result<BackupInfo> Restore(const std::string& url, const std::string& file) {
  if (url.empty()) return Status::InvalidArgument("--db: empty database path or URL");
  if (file.empty()) return Status::InvalidArgument("FILE: empty backup file name");
  return IsPostgres(url) ? RestorePostgres(url, file) : RestoreSqlite(url, file);
}

Result<std::vector<std::string>> DumpAllRows(const std::string& url) {
  std::vector<std::string> out;
  if (IsPostgres(url)) {
    try {
      pqxx::connection c(url);
      pqxx::read_transaction w(c);
      auto tables = w.exec(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND "
          "table_type = 'BASE TABLE' ORDER BY table_name");
      for (const auto& t : tables) {
        std::string name = t[0].c_str();
        auto probe = w.exec("SELECT * FROM " + Quote(name) + " LIMIT 0");
        std::string order;
        for (pqxx::row::size_type i = 1; i <= probe.columns(); ++i) order += (i > 1 ? "," : "") + std::to_string(i);
        auto rows = w.exec("SELECT * FROM " + Quote(name) + (order.empty() ? "" : " ORDER BY " + order));
        for (const auto& row : rows) {
          std::string line = name;
          for (pqxx::row::size_type i = 0; i < row.size(); ++i)
            line += "|" + std::string(rows.column_name(i)) + "=" + (row[i].is_null() ? "NULL" : row[i].c_str());
          out.push_back(std::move(line));
        }
      }
    } catch (const std::exception& e) {
      return Status::Unavailable(std::string("--db: ") + e.what());
    }
    return out;
  }
  WEEFSEL_ASSIGN_OR_RETURN(Db db, OpenDb(url, SQLITE_OPEN_READONLY, "--db"));
  WEEFSEL_ASSIGN_OR_RETURN(
      auto tables,
      Column(db.get(), "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
             url));
  for (const auto& name : tables) {
    sqlite3_stmt* st = nullptr;
    std::string probe = "SELECT * FROM " + Quote(name);
    if (sqlite3_prepare_v2(db.get(), probe.c_str(), -1, &st, nullptr) != SQLITE_OK)
      return Status::Internal(url + ": " + sqlite3_errmsg(db.get()));
    int n = sqlite3_column_count(st);
    sqlite3_finalize(st);
    std::string sql = probe;
    for (int i = 1; i <= n; ++i) sql += (i == 1 ? " ORDER BY " : ",") + std::to_string(i);
    if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      return Status::Internal(url + ": " + sqlite3_errmsg(db.get()));
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string line = name;
      for (int i = 0; i < n; ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        line += "|" + std::string(sqlite3_column_name(st, i)) + "=" +
                (sqlite3_column_type(st, i) == SQLITE_NULL ? "NULL" : reinterpret_cast<const char*>(t));
      }
      out.push_back(std::move(line));
    }
    sqlite3_finalize(st);
  }
  return out;
}

}  // namespace weefsel::storage
