// Backup and restore round trips (storage/backup.h): a world written through the API, a backup
// taken while the server runs, changes made after it, then a restore that must give back every row
// of every table exactly. Runs on SQLite (Sqlite/, label unit) and PostgreSQL (Postgres/, label pg,
// through pg_dump/pg_restore). Also: bad backup files change nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <sqlite3.h>

#include "storage/backup.h"
#include "storage/store.h"
#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

class Backup : public ApiWorld {
 protected:
  std::string BackupFile(const std::string& name) {
    if (dir_.empty()) {
      dir_ = std::filesystem::temp_directory_path() / ("weefsel-backup-" + UniqueName());
      std::filesystem::create_directories(dir_);
    }
    return (dir_ / name).string();
  }

  // Writes through the API so that every table the platform keeps gets rows.
  void Populate() {
    ExperimentId e = MakeExperiment();
    ASSERT_TRUE(e.valid());
    RoundId r = MakeRound(domain::RoundPhase::kVoting);
    Resp ballot = As(kResident, "PUT", "/api/v1/rounds/" + Str(r) + "/ballot",
                     {{"entries", {{{"project_id", "p1"}, {"points", 1}}, {{"project_id", "p3"}, {"points", 1}}}}});
    ASSERT_EQ(ballot.status, 200) << ballot.body;
    Resp tie = As(kMember, "POST", "/api/v1/actors/" + Str(a1_) + "/ties", {{"b", a2_.value()}, {"weight", 0.5}});
    ASSERT_EQ(tie.status, 201) << tie.body;
    ProposalId p = MakeProposal();
    Resp comment = As(kMember, "POST", "/api/v1/proposals/" + Str(p) + "/comments", {{"text", "Goed plan; ëén vraag"}});
    ASSERT_EQ(comment.status, 201) << comment.body;
  }

  std::vector<std::string> Rows() {
    auto rows = storage::DumpAllRows(url_);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::string>{};
  }

  void StopServer() {
    client_.reset();
    if (server_) server_->Stop();
    server_.reset();
    api_.reset();
    platform_.reset();
  }
};

std::map<std::string, int> RowsPerTable(const std::vector<std::string>& rows) {
  std::map<std::string, int> n;
  for (const auto& r : rows) n[r.substr(0, r.find('|'))]++;
  return n;
}

TEST_P(Backup, RoundTripGivesBackEveryRowOfEveryTable) {
  Populate();
  auto before = Rows();
  auto tables = RowsPerTable(before);
  // The world fills most tables; the comparison below covers all of them, empty or not.
  for (const char* t : {"municipalities", "actors", "ties", "challenges", "coalitions", "proposals", "rounds",
                        "ballots", "experiments", "users", "schema_migrations"})
    EXPECT_GT(tables[t], 0) << t << " is empty: the round trip would not test it";

  std::string file = BackupFile("weefsel.backup");
  auto info = storage::Backup(url_, file);  // while the server is running
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_GT(info->bytes, 0);
  EXPECT_GT(info->schema_version, 0);
  EXPECT_EQ(info->dialect, GetParam() == Backend::kSqlite ? "sqlite" : "postgres");

  // Changes after the backup: new rows, changed rows and removed rows.
  Resp made = As(kOfficer, "POST", "/api/v1/challenges",
                 {{"municipality", m1_.value()}, {"title", "Hittestress"}, {"text", "Te warm in de zomer"}});
  ASSERT_EQ(made.status, 201) << made.body;
  Resp renamed = As(kAdmin, "PATCH", "/api/v1/actors/" + Str(a2_), {{"name", "Hogeschool Utrecht (HU)"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  Resp gone = As(kAdmin, "DELETE", "/api/v1/actors/" + Str(a3_));
  ASSERT_EQ(gone.status, 204) << gone.body;
  auto changed = Rows();
  ASSERT_NE(changed, before);

  StopServer();
  auto restored = storage::Restore(url_, file);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->schema_version, info->schema_version);
  auto after = Rows();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) ASSERT_EQ(after[i], before[i]) << "row " << i;

  // The restored database opens and keeps working.
  auto store = storage::Store::Open(url_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto counts = (*store)->Count();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->actors, 3);
  EXPECT_EQ(counts->challenges, 2);
  domain::Municipality m;
  m.cbs_code = "GM0599";
  m.name = "Rotterdam";
  m.province = "Zuid-Holland";
  m.population = 650000;
  auto id = (*store)->Insert(m);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
}

TEST_P(Backup, BadBackupFilesChangeNothing) {
  auto before = Rows();
  std::string junk = BackupFile("junk.backup");
  {
    std::ofstream out(junk);
    out << "this is not a backup\n";
  }
  auto r = storage::Restore(url_, junk);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(junk), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(storage::Restore(url_, BackupFile("missing.backup")).ok());
  EXPECT_EQ(storage::Restore(url_, BackupFile("missing.backup")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Rows(), before);
  // The server still answers on the unchanged database.
  EXPECT_EQ(Send("GET", "/api/v1/actors/" + Str(a1_)).status, 200);
}

TEST_P(Backup, SqliteBackupRestoresIntoAFreshFile) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "SQLite only";
  Populate();
  auto before = Rows();
  std::string file = BackupFile("copy.backup");
  ASSERT_TRUE(storage::Backup(url_, file).ok());
  // The backup is one self-contained file (no WAL beside it) and is itself a weefsel database.
  EXPECT_FALSE(std::filesystem::exists(file + "-wal"));
  auto copy = storage::DumpAllRows(file);
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  EXPECT_EQ(*copy, before);
  std::string fresh = BackupFile("fresh.db");
  ASSERT_TRUE(storage::Restore(fresh, file).ok());
  auto rows = storage::DumpAllRows(fresh);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, before);
  // A database that does not exist cannot be backed up; a newer schema is refused on restore.
  EXPECT_EQ(storage::Backup(BackupFile("nope.db"), BackupFile("x")).status().code(), StatusCode::kNotFound);
  {
    auto store = storage::Store::Open(fresh);
    ASSERT_TRUE(store.ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(fresh.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto newer = storage::Restore(BackupFile("other.db"), fresh);
  EXPECT_EQ(newer.status().code(), StatusCode::kFailedPrecondition) << newer.status().ToString();
}

TEST(BackupUrl, SchemaOfAPostgresUrl) {
  EXPECT_EQ(storage::PostgresSchemaOf("postgresql://u@h:5432/db?options=-csearch_path%3Dapi1_2"), "api1_2");
  EXPECT_EQ(storage::PostgresSchemaOf("postgresql://u@h/db?sslmode=disable&options=-c%20search_path%3Dx"), "x");
  EXPECT_EQ(storage::PostgresSchemaOf("postgresql://u@h/db"), "");
  EXPECT_EQ(storage::PostgresSchemaOf("postgresql://u@h/db?options=-cstatement_timeout%3D5"), "");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, Backup, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, Backup, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
