// storage/sqlite_store.h: the SQLite backend of Store (one file, or ":memory:").
//
// OpenSqliteStore opens the file (creating it), sets WAL journaling, synchronous=NORMAL,
// foreign_keys=ON and a 5 s busy timeout, applies the SQLite migrations and returns a Store. Every
// distinct SQL text is prepared once and cached for the life of the connection; bulk inserts step
// one cached INSERT per row inside one transaction.
// Thread-safety: the Store is used by one thread at a time; several processes may share a file.
#pragma once

#include <memory>
#include <string>

#include "storage/store.h"

namespace weefsel::storage {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);
// A second connection to the migrated file at `path` that only reads (PRAGMA query_only): every
// write through it fails. FailedPrecondition for an in-memory database, which has no second
// connection.
Result<std::unique_ptr<Store>> OpenSqliteReader(const std::string& path);

}  // namespace weefsel::storage
