// End-to-end tests of the weefsel program: real processes, real files, exit statuses and messages.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/csv.h"
#include "tests/kit/shared_data.h"

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string out;  // stdout and stderr together
};

Outcome Weefsel(const std::string& args) {
  std::string cmd = std::string(WEEFSEL_BIN) + " " + args + " 2>&1";
  Outcome r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weefsel_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string P(const std::string& n) { return (dir_ / n).string(); }
  fs::path dir_;
};

TEST_F(CliTest, DemoThenStats) {
  Outcome d = Weefsel("demo --db " + P("w.db") + " --seed 2 --actors 400 --municipalities 2");
  ASSERT_EQ(d.status, 0) << d.out;
  EXPECT_NE(d.out.find("400 actors"), std::string::npos) << d.out;
  Outcome s = Weefsel("stats --db " + P("w.db"));
  ASSERT_EQ(s.status, 0) << s.out;
  EXPECT_NE(s.out.find("2 municipalities, 400 actors"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("Burgerinitiatief"), std::string::npos);
  EXPECT_NE(s.out.find("GM0363 Amsterdam"), std::string::npos);
  // The demo goes only into an empty database.
  Outcome again = Weefsel("demo --db " + P("w.db"));
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.out.find("is not empty"), std::string::npos) << again.out;
}

TEST_F(CliTest, SameSeedSameCityByteForByte) {
  for (const char* db : {"a.db", "b.db"}) ASSERT_EQ(Weefsel("demo --db " + P(db) + " --seed 5 --actors 300").status, 0);
  for (const char* kind : {"actors", "ties", "challenges"}) {
    ASSERT_EQ(
        Weefsel(std::string("export ") + kind + " " + P(std::string("a_") + kind + ".json") + " --db " + P("a.db"))
            .status,
        0);
    ASSERT_EQ(
        Weefsel(std::string("export ") + kind + " " + P(std::string("b_") + kind + ".json") + " --db " + P("b.db"))
            .status,
        0);
    EXPECT_EQ(weefsel::ReadFile(P(std::string("a_") + kind + ".json")).value(),
              weefsel::ReadFile(P(std::string("b_") + kind + ".json")).value())
        << kind;
  }
}

TEST_F(CliTest, BadInputExitsTwoAndChangesNothing) {
  ASSERT_EQ(Weefsel("demo --db " + P("w.db") + " --seed 1 --actors 200 --municipalities 1").status, 0);
  std::string before = Weefsel("stats --db " + P("w.db")).out;
  std::ofstream(P("ties.csv")) << "a,b,weight\n1,2,1\n1,9999,2\n";
  Outcome r = Weefsel("import ties " + P("ties.csv") + " --db " + P("w.db"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("ties.csv line 3, column b: unknown actor 9999"), std::string::npos) << r.out;
  EXPECT_EQ(before, Weefsel("stats --db " + P("w.db")).out);

  Outcome missing = Weefsel("import actors " + P("absent.csv") + " --db " + P("w.db"));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.out.find("absent.csv: no such file"), std::string::npos) << missing.out;
  Outcome kind = Weefsel("import planets " + P("ties.csv") + " --db " + P("w.db"));
  EXPECT_EQ(kind.status, 2);
  EXPECT_NE(kind.out.find("unknown kind 'planets'"), std::string::npos) << kind.out;
  Outcome opt = Weefsel("demo --db " + P("x.db") + " --municipalities 40");
  EXPECT_EQ(opt.status, 2);
  EXPECT_NE(opt.out.find("--municipalities"), std::string::npos) << opt.out;
  // A DigiD broker for a municipality the platform does not have stops the start, naming the setting.
  std::ofstream(P("oidc.json")) << R"([{"id": "digid", "name": "Makelaar", "audience": "residents",
    "municipality": "GM9999", "issuer": "http://127.0.0.1:9", "client_id": "w", "client_secret": "s",
    "redirect_uri": "http://127.0.0.1:9/api/v1/auth/oidc/callback"}])";
  Outcome broker = Weefsel("serve --db " + P("w.db") + " --listen 127.0.0.1:0 --oidc " + P("oidc.json"));
  EXPECT_EQ(broker.status, 2);
  EXPECT_NE(broker.out.find("oidc.json: [0].municipality: 'GM9999' is not a municipality of this platform"),
            std::string::npos)
      << broker.out;
  EXPECT_EQ(before, Weefsel("stats --db " + P("w.db")).out);
}

TEST_F(CliTest, ImportsTheRealMunicipalities) {
  WEEFSEL_REQUIRE_SHARED_DATA("nl/gemeenten_2025.csv");
  Outcome r = Weefsel("import municipalities " + weefsel::testkit::SharedDataPath("nl/gemeenten_2025.csv") + " --db " +
                      P("nl.db"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("imported 342 municipalities"), std::string::npos) << r.out;
  ASSERT_EQ(Weefsel("export municipalities " + P("m.csv") + " --db " + P("nl.db")).status, 0);
  // Re-importing the export into a fresh database gives the same export.
  ASSERT_EQ(Weefsel("import municipalities " + P("m.csv") + " --db " + P("nl2.db")).status, 0);
  ASSERT_EQ(Weefsel("export municipalities " + P("m2.csv") + " --db " + P("nl2.db")).status, 0);
  EXPECT_EQ(weefsel::ReadFile(P("m.csv")).value(), weefsel::ReadFile(P("m2.csv")).value());
}

TEST_F(CliTest, TheNationalDemoHoldsEveryMunicipalityWithItsRealPopulation) {
  WEEFSEL_REQUIRE_SHARED_DATA("nl/gemeenten_2025.csv");
  std::string csv = weefsel::testkit::SharedDataPath("nl/gemeenten_2025.csv");
  Outcome r = Weefsel("demo --national " + csv + " --actors 4000 --challenges 1 --no-programme --db " + P("nl.db"));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("342 municipalities, 4000 actors"), std::string::npos) << r.out;
  ASSERT_EQ(Weefsel("export municipalities " + P("m.csv") + " --db " + P("nl.db")).status, 0);
  std::string exported = weefsel::ReadFile(P("m.csv")).value();
  // The largest first (the demo programme's city), with its population from the CBS file.
  EXPECT_NE(exported.find("GM0363,Amsterdam"), std::string::npos);
  EXPECT_LT(exported.find("Amsterdam"), exported.find("Rotterdam"));
  EXPECT_NE(exported.find("GM0014,Groningen,Groningen,243768"), std::string::npos) << exported.substr(0, 600);
  // A bad row names its file, line and column, and nothing is written.
  std::string text = weefsel::ReadFile(csv).value();
  size_t at = text.find("243768");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 6, "veel");
  ASSERT_TRUE(weefsel::WriteFileAtomic(P("bad.csv"), text).ok());
  Outcome bad = Weefsel("demo --national " + P("bad.csv") + " --actors 4000 --db " + P("bad.db"));
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("line 2, column inwoners_2024"), std::string::npos) << bad.out;
}

TEST_F(CliTest, TheNationalDemoHoldsALargeRoundInItsLargestCity) {
  WEEFSEL_REQUIRE_SHARED_DATA("nl/gemeenten_2025.csv");
  std::string csv = weefsel::testkit::SharedDataPath("nl/gemeenten_2025.csv");
  Outcome r =
      Weefsel("demo --national " + csv + " --actors 4000 --challenges 1 --national-ballots 50 --db " + P("nl.db"));
  ASSERT_EQ(r.status, 0) << r.out;
  // Amsterdam is municipality 1 (largest first); the programme's two rounds come before it.
  EXPECT_NE(r.out.find("large round 3 in municipality 1: 20 projects, 50 resident ballots, open for voting"),
            std::string::npos)
      << r.out;
  Outcome none =
      Weefsel("demo --national " + csv + " --actors 4000 --challenges 1 --national-ballots 0 --db " + P("none.db"));
  ASSERT_EQ(none.status, 0) << none.out;
  EXPECT_EQ(none.out.find("large round"), std::string::npos) << none.out;
}

}  // namespace
