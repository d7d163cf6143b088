#include "service/transfer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "base/csv.h"
#include "service/demo.h"
#include "service/field_files.h"
#include "storage/store.h"
#include "tests/kit/shared_data.h"

namespace weefsel::service {
namespace {

namespace fs = std::filesystem;

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weefsel_transfer_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<storage::Store> NewStore(const std::string& name) {
    auto s = storage::Store::Open((dir_ / name).string());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  std::string Write(const std::string& name, const std::string& content) {
    std::ofstream(Path(name)) << content;
    return Path(name);
  }
  std::string ExportAll(storage::Store& store, const std::string& prefix, const std::string& ext) {
    std::string all;
    for (const char* kind : {"municipalities", "actors", "ties", "challenges"}) {
      std::string p = Path(prefix + kind + ext);
      auto n = Export(store, ParseEntityKind(kind).value(), p);
      EXPECT_TRUE(n.ok()) << n.status().ToString();
      all += ReadFile(p).value();
    }
    return all;
  }
  // Imports `file` as `kind`, expects failure naming `expected`, and checks nothing changed.
  void ExpectRejected(storage::Store& store, EntityKind kind, const std::string& file, const std::string& expected) {
    auto before = store.Count().value();
    auto version = store.DataVersion().value();
    auto r = Import(store, kind, file);
    ASSERT_FALSE(r.ok()) << "import of " << file << " should fail";
    EXPECT_NE(r.status().message().find(expected), std::string::npos) << r.status().message();
    auto after = store.Count().value();
    EXPECT_EQ(before.municipalities, after.municipalities);
    EXPECT_EQ(before.actors, after.actors);
    EXPECT_EQ(before.ties, after.ties);
    EXPECT_EQ(before.challenges, after.challenges);
    EXPECT_EQ(version, store.DataVersion().value());
  }

  fs::path dir_;
};

TEST_F(TransferTest, DemoIsDeterministicByteForByte) {
  DemoOptions o{.seed = 7, .municipalities = 3, .actors = 600};
  auto a = GenerateDemo(o), b = GenerateDemo(o);
  ASSERT_TRUE(a.ok() && b.ok());
  auto s1 = NewStore("a.db"), s2 = NewStore("b.db");
  ASSERT_TRUE(LoadDemo(*s1, *a).ok()) << LoadDemo(*s1, *a).ToString();
  ASSERT_TRUE(LoadDemo(*s2, *b).ok()) << LoadDemo(*s2, *b).ToString();
  EXPECT_EQ(ExportAll(*s1, "a_", ".csv"), ExportAll(*s2, "b_", ".csv"));
  o.seed = 8;
  auto c = GenerateDemo(o);
  ASSERT_TRUE(c.ok());
  auto s3 = NewStore("c.db");
  ASSERT_TRUE(LoadDemo(*s3, *c).ok()) << LoadDemo(*s3, *c).ToString();
  EXPECT_NE(ExportAll(*s1, "a_", ".csv"), ExportAll(*s3, "c_", ".csv"));
}

TEST_F(TransferTest, DemoCityIsRealistic) {
  auto city = GenerateDemo({.seed = 1, .municipalities = 4, .actors = 2000});
  ASSERT_TRUE(city.ok());
  EXPECT_EQ(city->actors.size(), 2000u);
  EXPECT_EQ(city->municipalities.size(), 4u);
  EXPECT_EQ(city->challenges.size(), 12u);
  std::map<domain::ActorKind, int> kinds;
  std::map<int64_t, int> degree;
  for (const auto& a : city->actors) {
    kinds[a.kind]++;
    EXPECT_TRUE(a.generated);
    EXPECT_TRUE(domain::Validate(a).ok()) << a.name;
    EXPECT_FALSE(a.themes.empty());
  }
  EXPECT_EQ(kinds.size(), 7u);
  EXPECT_GT(kinds[domain::ActorKind::kCompany], kinds[domain::ActorKind::kKnowledgeInstitution] * 2);
  for (const auto& t : city->ties) {
    degree[t.a.value()]++;
    degree[t.b.value()]++;
    EXPECT_TRUE(domain::Validate(t).ok());
  }
  int max_degree = 0;
  for (auto& [id, d] : degree) max_degree = std::max(max_degree, d);
  double mean = 2.0 * static_cast<double>(city->ties.size()) / 2000.0;
  EXPECT_GT(mean, 1.5);
  EXPECT_GT(max_degree, 8 * mean) << "degree distribution should be heavy-tailed";
  for (const auto& c : city->challenges)
    EXPECT_TRUE(domain::Validate(c).ok()) << c.title << ": " << domain::Validate(c).ToString();
  // Amsterdam has more single-person households than the national mean: loneliness is among its challenges.
  bool loneliness = false;
  for (const auto& c : city->challenges)
    if (c.municipality == MunicipalityId(1) && c.themes[0] == "eenzaamheid") loneliness = true;
  EXPECT_TRUE(loneliness);
}

TEST_F(TransferTest, ExportThenImportGivesTheSameData) {
  auto city = GenerateDemo({.seed = 3, .municipalities = 2, .actors = 300});
  ASSERT_TRUE(city.ok());
  auto src = NewStore("src.db");
  ASSERT_TRUE(LoadDemo(*src, *city).ok()) << LoadDemo(*src, *city).ToString();
  for (const std::string ext : {".csv", ".json"}) {
    std::string first = ExportAll(*src, "x_", ext);
    auto dst = NewStore("dst" + ext + ".db");
    for (const char* kind : {"municipalities", "actors", "ties", "challenges"}) {
      auto r = Import(*dst, ParseEntityKind(kind).value(), Path(std::string("x_") + kind + ext));
      ASSERT_TRUE(r.ok()) << kind << ext << ": " << r.status().ToString();
    }
    EXPECT_EQ(first, ExportAll(*dst, "y_", ext)) << ext;
  }
}

TEST_F(TransferTest, BadInputIsNamedAndLosesNothing) {
  auto store = NewStore("bad.db");
  std::string munis = Write("m.csv", "cbs_code,name,province,population\nGM0363,Amsterdam,Noord-Holland,931298\n");
  ASSERT_TRUE(Import(*store, EntityKind::kMunicipalities, munis).ok());
  std::string actors = Write("a.csv",
                             "id,name,kind,municipality,themes\n1,Buurtkracht,citizens_initiative,GM0363,"
                             "eenzaamheid\n2,Hogeschool,knowledge_institution,GM0363,\n");
  ASSERT_TRUE(Import(*store, EntityKind::kActors, actors).ok());

  ExpectRejected(*store, EntityKind::kActors, Path("nope.csv"), "nope.csv: no such file");
  ExpectRejected(*store, EntityKind::kActors, Write("h.csv", "id,naam,kind\n3,x,company\n"),
                 "line 1: missing column 'name'");
  ExpectRejected(*store, EntityKind::kMunicipalities,
                 Write("n.csv", "cbs_code,name,population\nGM0001,A,10\nGM0002,B,veel\n"),
                 "line 3, column population: 'veel' is not a whole number");
  ExpectRejected(*store, EntityKind::kMunicipalities, Write("c.csv", "cbs_code,name\nGM0003,C\nAM0363,Amsterdam\n"),
                 "line 3, column cbs_code: invalid CBS code 'AM0363'");
  ExpectRejected(*store, EntityKind::kActors, Write("t.csv", "id,name,kind,themes\n3,X,company,ruimtevaart\n"),
                 "line 2, column themes: unknown theme 'ruimtevaart'");
  ExpectRejected(*store, EntityKind::kActors, Write("d.csv", "id,name,kind\n3,X,company\n3,Y,company\n"),
                 "line 3, column id: id 3 appears twice");
  ExpectRejected(*store, EntityKind::kActors, Write("e.csv", "id,name,kind\n1,X,company\n"),
                 "id 1 is already in the database");
  ExpectRejected(*store, EntityKind::kActors, Write("k.csv", "id,name,kind\n3,X,bakery\n"),
                 "line 2, column kind: unknown actor kind 'bakery'");
  ExpectRejected(*store, EntityKind::kTies, Write("u.csv", "a,b,weight\n1,2,1\n1,99,1\n"),
                 "line 3, column b: unknown actor 99");
  ExpectRejected(*store, EntityKind::kTies, Write("f.csv", "a,b,from\n1,2,2024-13-01\n"),
                 "line 2, column from: '2024-13-01' is not a date");
  ExpectRejected(*store, EntityKind::kTies, Write("w.csv", "a,b,weight\n1,2,-1\n"), "line 2, column weight");
  ExpectRejected(*store, EntityKind::kTies, Write("j.json", "[{\"a\": 1, \"b\": 2}, {\"a\": 1, \"b\": 1}]"),
                 "record 2, field b");
  ExpectRejected(*store, EntityKind::kTies, Write("bad.json", "[{\"a\": 1,"), "not valid JSON");
  ExpectRejected(*store, EntityKind::kChallenges,
                 Write("ch.csv", "municipality,title,sector_mix\nGM0363,Eenzaamheid,government:1;aliens:2\n"),
                 "line 2, column sector_mix: unknown sector 'aliens'");
  // A good row before a bad one is not written either.
  ExpectRejected(*store, EntityKind::kTies, Write("mixed.csv", "a,b\n1,2\n2,2\n"), "line 3");
  EXPECT_EQ(store->Count().value().ties, 0);
}

TEST_F(TransferTest, ErrorsAreCollectedUpToALimit) {
  auto store = NewStore("many.db");
  std::string text = "cbs_code,name\n";
  for (int i = 0; i < 50; ++i) text += "XX" + std::to_string(1000 + i) + ",Plaats\n";
  auto r = Import(*store, EntityKind::kMunicipalities, Write("many.csv", text), {.max_errors = 5});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("5+ bad row(s)"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("line 6,"), std::string::npos);
  EXPECT_EQ(r.status().message().find("line 7,"), std::string::npos);
}

TEST_F(TransferTest, RealMunicipalitiesAndAmsterdamRegister) {
  WEEFSEL_REQUIRE_SHARED_DATA("nl/gemeenten_2025.csv");
  WEEFSEL_REQUIRE_SHARED_DATA("nl/amsterdam_subsidieregister_2016_2019.csv");
  auto store = NewStore("real.db");
  auto m = Import(*store, EntityKind::kMunicipalities, testkit::SharedDataPath("nl/gemeenten_2025.csv"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->written, 342);
  EXPECT_EQ(m->format, "cbs-gemeenten");
  auto ams = store->GetMunicipalityByCode("GM0363");
  ASSERT_TRUE(ams.ok());
  EXPECT_EQ(ams->name, "Amsterdam");
  EXPECT_GT(ams->population, 900000);
  auto a = Import(*store, EntityKind::kActors, testkit::SharedDataPath("nl/amsterdam_subsidieregister_2016_2019.csv"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->format, "amsterdam-subsidieregister");
  EXPECT_GT(a->written, 2000);  // 2,626 distinct applicants less private persons
  EXPECT_LT(a->written, 2626);
  auto actors = store->ListActors().value();
  int with_area = 0, with_theme = 0;
  for (const auto& x : actors) {
    EXPECT_EQ(x.municipality, ams->id);
    with_area += !x.area.empty();
    with_theme += !x.themes.empty();
  }
  EXPECT_GT(with_area, 500);
  EXPECT_GT(with_theme, 1500);
  // Re-importing adds nothing new.
  auto again =
      Import(*store, EntityKind::kActors, testkit::SharedDataPath("nl/amsterdam_subsidieregister_2016_2019.csv"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->written, 0);
}

// The export and import read the field tables (domain/fields/): each file has exactly the exported
// fields (fields::InExport) in table order, a municipality's CBS code beside its id, and every one
// of them comes back through the import, field by field. A field added to a table is checked here
// without another edit.
template <typename T>
std::vector<std::string> ExportedColumns(const domain::fields::FieldTable<T>& table) {
  return files::ColumnNames(table, [](const auto& f) { return domain::fields::InExport(f); });
}

template <typename T>
void ExpectSameFields(const domain::fields::FieldTable<T>& table, const std::vector<T>& a, const std::vector<T>& b,
                      const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  ASSERT_FALSE(a.empty()) << what;
  for (const auto& f : table.fields) {
    if (!domain::fields::InExport(f)) continue;
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(f.encode(a[i]), f.encode(b[i])) << what << ": " << f.name << " of #" << i;
  }
}

TEST_F(TransferTest, EveryExportedFieldOfTheFieldTablesRoundTrips) {
  namespace fields = domain::fields;
  auto city = GenerateDemo({.seed = 5, .municipalities = 2, .actors = 200});
  ASSERT_TRUE(city.ok());
  city->actors[0].source = "amsterdam-subsidieregister";
  city->actors[0].size = 12;
  city->actors[0].website = "https://buurt.example";
  city->ties[0].note = "kent elkaar van het buurthuis";
  city->ties[0].until = "2026-12-31";
  auto src = NewStore("src.db");
  ASSERT_TRUE(LoadDemo(*src, *city).ok());
  const std::vector<std::pair<std::string, std::vector<std::string>>> columns = {
      // in import order
      {"municipalities", ExportedColumns(fields::MunicipalityFields())},
      {"actors", ExportedColumns(fields::ActorFields())},
      {"ties", ExportedColumns(fields::TieFields())},
      {"challenges", ExportedColumns(fields::ChallengeFields())}};
  EXPECT_EQ(columns[1].second[4], "municipality_cbs_code");
  for (const std::string ext : {".csv", ".json"}) {
    auto dst = NewStore("rt" + ext + ".db");
    for (const auto& [kind, expected] : columns) {
      std::string path = Path("rt_" + kind + ext);
      ASSERT_TRUE(Export(*src, ParseEntityKind(kind).value(), path).ok()) << kind;
      std::vector<std::string> header;
      if (ext == ".csv") {
        header = CsvTable::Parse(kind, ReadFile(path).value(), {}).value().header();
      } else {
        auto arr = nlohmann::ordered_json::parse(ReadFile(path).value());
        ASSERT_FALSE(arr.empty()) << kind;
        for (auto it = arr[0].begin(); it != arr[0].end(); ++it) header.push_back(it.key());
      }
      EXPECT_EQ(header, expected) << kind << ext;
      auto r = Import(*dst, ParseEntityKind(kind).value(), path);
      ASSERT_TRUE(r.ok()) << kind << ext << ": " << r.status().ToString();
    }
    ExpectSameFields(fields::MunicipalityFields(), src->ListMunicipalities().value(), dst->ListMunicipalities().value(),
                     "municipalities" + ext);
    ExpectSameFields(fields::ActorFields(), src->ListActors().value(), dst->ListActors().value(), "actors" + ext);
    ExpectSameFields(fields::TieFields(), src->ListTies().value(), dst->ListTies().value(), "ties" + ext);
    ExpectSameFields(fields::ChallengeFields(), src->ListChallenges().value(), dst->ListChallenges().value(),
                     "challenges" + ext);
  }
}

// "municipality" is the municipality's id in every form (issue 22); files written before, with
// the CBS code in "municipality", still import, and a code that contradicts the id is refused.
TEST_F(TransferTest, MunicipalityIsAnIdAndTheOldCbsCodeFormStillImports) {
  auto store = NewStore("m.db");
  ASSERT_TRUE(
      Import(*store, EntityKind::kMunicipalities, Write("m.csv", "cbs_code,name\nGM0363,Amsterdam\nGM0344,Utrecht\n"))
          .ok());
  auto ams = store->GetMunicipalityByCode("GM0363").value();
  auto utr = store->GetMunicipalityByCode("GM0344").value();
  std::string old_form = Write("old.csv", "id,name,kind,municipality\n1,Buurtkracht,citizens_initiative,GM0344\n");
  ASSERT_TRUE(Import(*store, EntityKind::kActors, old_form).ok());
  std::string by_id = Write("id.json",
                            "[{\"id\": 2, \"name\": \"Hogeschool\", \"kind\": \"knowledge_institution\", "
                            "\"municipality\": " +
                                std::to_string(ams.id.value()) + "}]");
  ASSERT_TRUE(Import(*store, EntityKind::kActors, by_id).ok());
  std::string by_code = Write("code.csv", "id,name,kind,municipality_cbs_code\n3,Bakkerij,company,GM0344\n");
  ASSERT_TRUE(Import(*store, EntityKind::kActors, by_code).ok());
  EXPECT_EQ(store->GetActor(ActorId(1)).value().municipality, utr.id);
  EXPECT_EQ(store->GetActor(ActorId(2)).value().municipality, ams.id);
  EXPECT_EQ(store->GetActor(ActorId(3)).value().municipality, utr.id);
  ExpectRejected(*store, EntityKind::kActors,
                 Write("both.csv", "id,name,kind,municipality,municipality_cbs_code\n4,X,company," +
                                       std::to_string(ams.id.value()) + ",GM0344\n"),
                 "line 2, column municipality: '" + std::to_string(ams.id.value()) +
                     "' is not the municipality GM0344 of municipality_cbs_code");
  ExpectRejected(*store, EntityKind::kActors, Write("unknown.csv", "id,name,kind,municipality\n4,X,company,999\n"),
                 "line 2, column municipality: unknown municipality 999");
  ExpectRejected(*store, EntityKind::kChallenges, Write("ch.csv", "title\nEenzaamheid\n"),
                 "line 2, column municipality: required");
  std::string exported = Path("actors.csv");
  ASSERT_TRUE(Export(*store, EntityKind::kActors, exported).ok());
  EXPECT_NE(ReadFile(exported).value().find("\n1,Buurtkracht,citizens_initiative," + std::to_string(utr.id.value()) +
                                            ",GM0344,"),
            std::string::npos)
      << ReadFile(exported).value();
}

}  // namespace
}  // namespace weefsel::service
