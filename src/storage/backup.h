// storage/backup.h: backing up and restoring a weefsel database (SQLite or PostgreSQL).
//
// SQLite: Backup copies the live database into a new file with SQLite's online backup API (a
// consistent snapshot, safe while a server writes; written to FILE.tmp, checked, then renamed, so a
// failed backup never leaves a half file). Restore checks that FILE is an intact weefsel database
// (integrity_check, schema_migrations present, schema not newer than this build) and then copies it
// over the target with the same API, in one step: readers see the old or the new database.
// PostgreSQL: Backup runs `pg_dump --format=custom` and Restore runs `pg_restore --clean
// --if-exists --single-transaction` (Debian's postgresql-client); when the URL selects a schema
// (options=-csearch_path=NAME), only that schema is dumped and restored.
// Thread-safety: free functions; each opens its own connections. Not to be run twice at once on
// the same target.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace weefsel::storage {

struct BackupInfo {
  std::string dialect;  // "sqlite" or "postgres"
  int schema_version = 0;
  int64_t bytes = 0;  // size of the backup file
};

// Writes a backup of the database at `url` (a SQLite path or postgres:// URL) to `file`.
Result<BackupInfo> Backup(const std::string& url, const std::string& file);

// Replaces the contents of the database at `url` with the backup in `file`.
Result<BackupInfo> Restore(const std::string& url, const std::string& file);

// The schema named by `options=-csearch_path=NAME` (or `-c search_path=NAME`) in a PostgreSQL
// URL, URL-decoded; empty when the URL names none. Exposed for tests.
std::string PostgresSchemaOf(const std::string& url);

// Every row of every table of the database at `url`, as text lines "table|col=value|...", tables
// by name and rows in primary-key order: two databases with equal dumps hold the same data.
// Used by the round-trip tests.
Result<std::vector<std::string>> DumpAllRows(const std::string& url);

}  // namespace weefsel::storage
