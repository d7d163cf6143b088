// service/transfer.h: importing and exporting entities as CSV and JSON files.
//
// Kinds: municipalities, actors, ties, challenges. The format follows the file's extension
// (.csv or .json). The columns are the exported fields of each entity's field table
// (domain/fields/entity_fields.h, through service/field_files.h), documented in
// docs/data-formats.md; `municipality` is an id, its CBS code beside it, and the import also reads
// the CBS code in `municipality` (files written before the two were told apart). Besides weefsel's
// own columns, two real sources are read directly: CBS municipality tables (gm_code, gemeente,
// provincie, inwoners_2024, lat, lon: shared/data/nl/gemeenten_2025.csv) and the Amsterdam subsidy
// register (aanvrager, beleidsterrein, organisatieonderdeel, projectnaam), whose applicants become
// actors of Amsterdam.
//
// Imports are all-or-nothing: every row is parsed and validated first, errors are collected (each
// naming file, line, column and what was expected) up to a limit, and only a clean file is written,
// in one transaction. Exported files re-import to the same data (ids kept).
// Files are read and written through a FileSystem (base/env.h): the disk unless a test gives its
// in-memory twin.
// Thread-safety: functions use the Store they are given (one thread at a time).
#pragma once

#include <string>

#include "base/env.h"
#include "base/status.h"
#include "service/core/store_fwd.h"

namespace weefsel::service {

enum class EntityKind { kMunicipalities, kActors, kTies, kChallenges };
Result<EntityKind> ParseEntityKind(const std::string& s);

struct ImportReport {
  int64_t rows = 0;     // records read
  int64_t written = 0;  // entities written
  std::string format;   // "weefsel-csv", "weefsel-json", "cbs-gemeenten", "amsterdam-subsidieregister"
};

struct ImportOptions {
  int max_errors = 20;  // stop collecting after this many bad rows
};

Result<ImportReport> Import(storage::Store& store, EntityKind kind, const std::string& path,
                            const ImportOptions& options = {}, FileSystem& files = DiskFileSystem::Default());
// Returns the number of entities written.
Result<int64_t> Export(storage::Store& store, EntityKind kind, const std::string& path,
                       FileSystem& files = DiskFileSystem::Default());

// A readable summary of what the store holds: municipalities, actors by kind, challenges, ties.
Result<std::string> Summary(storage::Store& store);

}  // namespace weefsel::service
