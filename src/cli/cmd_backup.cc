// weefsel backup | restore: copies of a database (SQLite online backup; pg_dump/pg_restore).
#include <iostream>

#include "cli/commands.h"
#include "storage/backup.h"

namespace weefsel::cli {

void RegisterBackupCommands(CLI::App& app) {
  static std::string db = "weefsel.db";
  static std::string file;

  auto* b =
      app.add_subcommand("backup", "Write a consistent backup of a database to FILE (safe while `weefsel serve` runs)");
  b->add_option("--db", db, "SQLite file or postgres://... URL")->capture_default_str();
  b->add_option("file", file, "the backup file to write (replaced if it exists)")->required();
  SetAction(b, [] {
    auto info = storage::Backup(db, file);
    if (!info.ok()) return Fail(info.status());
    std::cout << "backed up " << db << " (" << info->dialect << ", schema version " << info->schema_version << ") to "
              << file << " (" << info->bytes << " bytes)\n";
    return 0;
  });

  auto* r = app.add_subcommand(
      "restore", "Replace the contents of a database with a backup made by `weefsel backup` (stop the server first)");
  r->add_option("--db", db, "SQLite file or postgres://... URL")->capture_default_str();
  r->add_option("file", file, "the backup file to read")->required();
  SetAction(r, [] {
    auto info = storage::Restore(db, file);
    if (!info.ok()) return Fail(info.status());
    std::cout << "restored " << db << " (" << info->dialect << ", schema version " << info->schema_version << ") from "
              << file << "\n";
    return 0;
  });
}

}  // namespace weefsel::cli
