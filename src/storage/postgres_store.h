// storage/postgres_store.h: the PostgreSQL backend of Store (libpqxx 6.4).
//
// OpenPostgresStore connects to a "postgresql://" URL (libpq syntax, so "?options=-csearch_path%3Dx"
// selects a schema), applies the PostgreSQL migrations under an advisory lock and returns a Store.
// Each distinct SQL text is prepared once per connection. Bulk inserts (InsertActors, InsertTies)
// reserve ids from the table's identity sequence and stream the rows with COPY (pqxx::stream_to).
// Errors: unique violation -> AlreadyExists naming the field, foreign key violation ->
// InvalidArgument naming the field, a refused or lost connection -> Unavailable.
// Thread-safety: the Store is used by one thread at a time (it owns one connection).
#pragma once

#include <memory>
#include <string>

#include "storage/store.h"

namespace weefsel::storage {

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);
// A second session on the migrated database at `url` whose transactions are all read-only
// (default_transaction_read_only): every write through it fails.
Result<std::unique_ptr<Store>> OpenPostgresReader(const std::string& url);
// A further connection that writes (Store::OpenWriter); the schema must be there already.
Result<std::unique_ptr<Store>> OpenPostgresWriter(const std::string& url);

}  // namespace weefsel::storage
