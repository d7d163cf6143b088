#include "storage/store.h"

#include "base/strings.h"
#include "storage/postgres_store.h"
#include "storage/sqlite_store.h"

namespace weefsel::storage {

Result<std::unique_ptr<Store>> Store::Open(const std::string& url) {
  if (url.empty()) return Status::InvalidArgument("--db: empty database path or URL");
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) return OpenPostgresStore(url);
  return OpenSqliteStore(url);
}

Result<std::unique_ptr<Store>> Store::OpenReader(const std::string& url) {
  if (url.empty()) return Status::InvalidArgument("--db: empty database path or URL");
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) return OpenPostgresReader(url);
  return OpenSqliteReader(url);
}

Result<std::unique_ptr<Store>> Store::OpenWriter(const std::string& url) {
  if (url.empty()) return Status::InvalidArgument("--db: empty database path or URL");
  if (StartsWith(url, "postgres://") || StartsWith(url, "postgresql://")) return OpenPostgresWriter(url);
  return Status::FailedPrecondition("SQLite writes through one connection at a time");
}

}  // namespace weefsel::storage
