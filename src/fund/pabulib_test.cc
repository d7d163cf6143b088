// The .pb reader and writer: the quirks of real files, bad input with line and field, round trips.
#include "fund/pabulib.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/kit/shared_data.h"

namespace weefsel::fund {
namespace {

// BOM, CRLF, quoted fields with ';' and "", columns in another order, a decimal-comma budget,
// string ids, a project nobody votes for, and a project listed twice in one ballot.
const char* kCumulative =
    "\xEF\xBB\xBF"
    "META\r\n"
    "key;value\r\n"
    "description;\"Test; with \"\"quotes\"\"\"\r\n"
    "num_projects;3\r\n"
    "num_votes;3\r\n"
    "budget;100,5\r\n"
    "vote_type;cumulative\r\n"
    "PROJECTS\r\n"
    "name;cost;project_id;category\r\n"
    "\"Park; bench\";40.25;L20/01/VIII;groen\r\n"
    "Library;60;L20/03/VIII;cultuur\r\n"
    "Nobody;10;X9;groen\r\n"
    "VOTES\r\n"
    "points;voter_id;vote;age\r\n"
    "3,2;v1;L20/01/VIII,L20/03/VIII;31\r\n"
    "1,1,1,1;v2;L20/03/VIII,L20/03/VIII,L20/01/VIII,L20/03/VIII;45\r\n"
    "5;v3;L20/01/VIII;\r\n";

TEST(Pabulib, ReadsTheQuirksOfRealFiles) {
  auto in = ParsePb("t.pb", kCumulative);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->vote_type, VoteType::kCumulative);
  EXPECT_EQ(in->scale, 100);
  EXPECT_EQ(in->budget, 10050);
  ASSERT_EQ(in->projects.size(), 3u);
  EXPECT_EQ(in->projects[0].id, "L20/01/VIII");
  EXPECT_EQ(in->projects[0].cost, 4025);
  EXPECT_EQ(in->projects[0].category, "groen");
  EXPECT_EQ(in->projects[0].extra[0], "Park; bench");
  EXPECT_EQ(*in->Meta("description"), "Test; with \"quotes\"");
  ASSERT_EQ(in->voters.size(), 3u);
  // v2 lists L20/03/VIII three times: one entry, first position, last points (1).
  ASSERT_EQ(in->voters[1].ballot.size(), 2u);
  EXPECT_EQ(in->voters[1].ballot[0].project, 1);
  EXPECT_EQ(in->voters[1].ballot[0].points, 1);
  EXPECT_EQ(in->voters[0].ballot[0].points, 3);
  EXPECT_EQ(in->voter_columns, (std::vector<std::string>{"age"}));
}

TEST(Pabulib, WriteThenReadGivesTheSameInstance) {
  auto in = ParsePb("t.pb", kCumulative);
  ASSERT_TRUE(in.ok());
  std::string text = FormatPb(*in);
  auto again = ParsePb("again.pb", text);
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << text;
  EXPECT_EQ(again->budget, in->budget);
  EXPECT_EQ(again->scale, in->scale);
  EXPECT_EQ(again->meta, in->meta);
  ASSERT_EQ(again->projects.size(), in->projects.size());
  for (size_t i = 0; i < in->projects.size(); ++i) {
    EXPECT_EQ(again->projects[i].id, in->projects[i].id);
    EXPECT_EQ(again->projects[i].cost, in->projects[i].cost);
    EXPECT_EQ(again->projects[i].extra, in->projects[i].extra);
  }
  ASSERT_EQ(again->voters.size(), in->voters.size());
  for (size_t i = 0; i < in->voters.size(); ++i) {
    EXPECT_EQ(again->voters[i].id, in->voters[i].id);
    ASSERT_EQ(again->voters[i].ballot.size(), in->voters[i].ballot.size());
    for (size_t k = 0; k < in->voters[i].ballot.size(); ++k) {
      EXPECT_EQ(again->voters[i].ballot[k].project, in->voters[i].ballot[k].project);
      EXPECT_EQ(again->voters[i].ballot[k].points, in->voters[i].ballot[k].points);
    }
    EXPECT_EQ(again->voters[i].extra, in->voters[i].extra);
  }
  EXPECT_EQ(FormatPb(*again), text);
}

// One bad thing at a time: the message names the line and the field.
struct BadCase {
  const char* what;
  const char* text;
  const char* expect;
};

TEST(Pabulib, BadInputNamesLineAndField) {
  const std::string head = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n2;20\n";
  const BadCase cases[] = {
      {"unknown project", "VOTES\nvoter_id;vote\na;1,7\n", "line 11: field vote: unknown project '7'"},
      {"negative cost", nullptr, "line 7: field cost: must not be negative"},
      {"non-numeric cost", nullptr, "line 7: field cost: 'ten' is not a number"},
      {"truncated row", "VOTES\nvoter_id;vote;age\na;1\n", "line 11: 2 fields, expected 3"},
      {"missing section", "", "missing section VOTES"},
  };
  for (const auto& c : cases) {
    std::string text;
    if (std::string(c.what) == "negative cost")
      text =
          "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-10\nVOTES\nvoter_id;vote\n";
    else if (std::string(c.what) == "non-numeric cost")
      text =
          "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;ten\nVOTES\nvoter_id;vote\n";
    else
      text = head + c.text;
    auto in = ParsePb("bad.pb", text);
    ASSERT_FALSE(in.ok()) << c.what;
    EXPECT_EQ(in.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_NE(in.status().message().find(c.expect), std::string::npos) << c.what << ": " << in.status().message();
    EXPECT_NE(in.status().message().find("bad.pb"), std::string::npos) << c.what;
  }
}

TEST(Pabulib, PointsMustMatchTheBallot) {
  std::string text =
      "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;10\n2;20\n"
      "VOTES\nvoter_id;vote;points\na;1,2;3\n";
  auto in = ParsePb("p.pb", text);
  ASSERT_FALSE(in.ok());
  EXPECT_NE(in.status().message().find("line 11: field points: 1 numbers for 2 projects"), std::string::npos)
      << in.status().message();
  auto bad = ParsePb("p.pb",
                     "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;10\n"
                     "VOTES\nvoter_id;vote;points\na;1;x\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("field points: 'x' is not a whole number"), std::string::npos);
}

// Hostile inputs written by hand for the fuzzer's regression set (they are not Pabulib data, so they
// live here as text, not as .pb files): a byte-order mark with CRLF line ends and quoted ids holding
// the separator, numbers beyond double and int64, a file cut off after a section name, and a vote
// for an unknown project. Each gives an instance that survives write -> read, or an error that says
// where and what.
TEST(Pabulib, HostileInputsGiveAnInstanceOrAClearError) {
  auto bom = ParsePb("bom.pb",
                     "\xEF\xBB\xBFMETA\r\nkey;value\r\n\"budget\";\"1,5\"\r\n\"vote_type\";\"approval\"\r\n"
                     "PROJECTS\r\nproject_id;cost\r\n\"a;b\";1\r\nVOTES\r\nvoter_id;vote\r\n1;\"a;b\"\r\n");
  ASSERT_TRUE(bom.ok()) << bom.status().ToString();
  ASSERT_EQ(bom->projects.size(), 1u);
  EXPECT_EQ(bom->projects[0].id, "a;b");
  ASSERT_EQ(bom->voters.size(), 1u);
  ASSERT_EQ(bom->voters[0].ballot.size(), 1u);
  EXPECT_EQ(bom->voters[0].ballot[0].project, 0);
  std::string once = FormatPb(*bom);
  auto again = ParsePb("again.pb", once);
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << once;
  EXPECT_EQ(FormatPb(*again), once);

  const BadCase cases[] = {
      {"budget beyond double",
       "META\nkey;value\nbudget;1e400\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;-0\n"
       "VOTES\nvoter_id;vote;points\n1;1;99999999999999999999999",
       "line 3: field budget: '1e400' is not a number"},
      {"points beyond int64",
       "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;1\n"
       "VOTES\nvoter_id;vote;points\n1;1;99999999999999999999999",
       "line 10: field points"},
      {"cut after a section name", "META\nkey;value\nvote_type;ordinal\nPROJECTS\nproject_id;cost\nVOTES\n",
       "section VOTES has no header line"},
      {"unknown and repeated projects",
       "META\nkey;value\nnum_projects;1\nnum_votes;1\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
       "1;50\nVOTES\nvoter_id;vote\n1;1,1,1,2",
       "line 12: field vote"},
  };
  for (const auto& c : cases) {
    auto in = ParsePb("hostile.pb", c.text);
    ASSERT_FALSE(in.ok()) << c.what;
    EXPECT_EQ(in.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_NE(in.status().message().find(c.expect), std::string::npos) << c.what << ": " << in.status().message();
  }
}

// A file cut off in the middle of VOTES no longer matches META num_votes.
TEST(Pabulib, TruncatedFileIsCaughtByTheCounts) {
  std::string text =
      "META\nkey;value\nnum_votes;3\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n"
      "VOTES\nvoter_id;vote\na;1\nb;1\n";
  auto in = ParsePb("cut.pb", text);
  ASSERT_FALSE(in.ok());
  EXPECT_NE(in.status().message().find("line 3: field num_votes: META says 3 but the file has 2"), std::string::npos)
      << in.status().message();
  auto cut = ParsePb("cut.pb", "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\n");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("PROJECTS"), std::string::npos) << cut.status().message();
}

TEST(Pabulib, DecimalsAndMoney) {
  EXPECT_EQ(ParseDecimal("308298.85")->units, 30829885);
  EXPECT_EQ(ParseDecimal("308298.85")->decimals, 2);
  EXPECT_EQ(ParseDecimal("1,5")->units, 15);
  EXPECT_EQ(ParseDecimal("100.00")->decimals, 0);
  EXPECT_FALSE(ParseDecimal("1.2.3"));
  EXPECT_FALSE(ParseDecimal("12a"));
  EXPECT_FALSE(ParseDecimal(""));
  EXPECT_EQ(FormatMoney(30829885, 100), "308298.85");
  EXPECT_EQ(FormatMoney(1000, 1), "1000");
  EXPECT_EQ(FormatMoney(1050, 100), "10.5");
}

// Every real file reads, writes and reads back to the same projects and ballots.
TEST(Pabulib, EveryRealFileRoundTrips) {
  WEEFSEL_REQUIRE_SHARED_DATA("pabulib/expected.json");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testkit::SharedDataPath("pabulib"))) {
    if (entry.path().extension() != ".pb") continue;
    ++files;
    auto in = ReadPb(entry.path().string());
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    auto again = ParsePb("again", FormatPb(*in));
    ASSERT_TRUE(again.ok()) << entry.path() << ": " << again.status().ToString();
    EXPECT_EQ(again->budget, in->budget);
    ASSERT_EQ(again->projects.size(), in->projects.size());
    ASSERT_EQ(again->voters.size(), in->voters.size());
    for (size_t i = 0; i < in->voters.size(); i += 97) {
      ASSERT_EQ(again->voters[i].ballot.size(), in->voters[i].ballot.size());
      for (size_t k = 0; k < in->voters[i].ballot.size(); ++k)
        EXPECT_EQ(again->voters[i].ballot[k].points, in->voters[i].ballot[k].points);
    }
  }
  EXPECT_EQ(files, 27);
}

// The quirks the README lists, on the real files.
TEST(Pabulib, RealFileQuirks) {
  WEEFSEL_REQUIRE_SHARED_DATA("pabulib/poland_czestochowa_2020_.pb");
  auto cz = ReadPb(testkit::SharedDataPath("pabulib/poland_czestochowa_2020_.pb"));
  ASSERT_TRUE(cz.ok());
  int p579 = cz->FindProject("579");
  bool found = false;
  for (const auto& v : cz->voters)
    if (v.id == "13026") {
      for (const auto& e : v.ballot)
        if (e.project == p579) {
          EXPECT_EQ(e.points, 1);  // listed four times with 1 point: the last entry counts
          found = true;
        }
    }
  EXPECT_TRUE(found);
  auto kam = ReadPb(testkit::SharedDataPath("pabulib/poland_warszawa_2017_kamionek.pb"));
  ASSERT_TRUE(kam.ok());
  EXPECT_EQ(FormatMoney(kam->budget, kam->scale), "308298.85");
}

// Conversion to the domain's round and ballots and back keeps projects and ballots.
TEST(Pabulib, DomainRoundTrip) {
  auto in = ParsePb("t.pb", kCumulative);
  ASSERT_TRUE(in.ok());
  in->scale = 1;  // whole euros for the domain
  for (auto& p : in->projects) p.cost = 10;
  in->budget = 100;
  auto back = FromRound(ToRound(*in), ToBallots(*in));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->voters.size(), in->voters.size());
  for (size_t i = 0; i < in->voters.size(); ++i) {
    ASSERT_EQ(back->voters[i].ballot.size(), in->voters[i].ballot.size());
    for (size_t k = 0; k < in->voters[i].ballot.size(); ++k) {
      EXPECT_EQ(back->voters[i].ballot[k].project, in->voters[i].ballot[k].project);
      EXPECT_EQ(back->voters[i].ballot[k].points, in->voters[i].ballot[k].points);
    }
  }
}

}  // namespace
}  // namespace weefsel::fund
