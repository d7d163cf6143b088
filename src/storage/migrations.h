// storage/migrations.h: the numbered schema migrations of each SQL dialect (internal to storage/).
//
// A migration is applied once, in order, inside the transaction that opens the store, and its
// number is recorded in `schema_migrations`; the schema version is the highest number applied.
// Migrations are append-only: never edit one that has shipped, add the next number instead.
// Thread-safety: immutable data.
#pragma once

#include <string>
#include <vector>

namespace weefsel::storage {

struct Migration {
  int version;
  std::string name;
  std::string sql;  // one or more statements
};

const std::vector<Migration>& SqliteMigrations();
const std::vector<Migration>& PostgresMigrations();

}  // namespace weefsel::storage
