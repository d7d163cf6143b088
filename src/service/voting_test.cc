// Fair votes without HTTP (issue 20, part 2): voting codes, keyed hashes, the census file's format
// and the Votes use cases on a real SQLite store: a bad census line names its line and field and
// writes nothing; codes and citizen numbers never reach the database in clear; a code votes once.
#include "service/voting.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <set>

#include "base/strings.h"
#include "service/core/testing.h"
#include "service/votes.h"
#include "storage/backup.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

using voting::CensusLine;

// Deterministic bytes for tests: a counter, so each call differs.
voting::RandomBytes Counter() {
  auto n = std::make_shared<uint64_t>(0);
  return [n](unsigned char* out, size_t len) {
    for (size_t i = 0; i < len; ++i) out[i] = static_cast<unsigned char>((*n)++ * 37 + i);
  };
}

TEST(VotingCodes, AreTwelveLettersOfTheAlphabetInGroupsOfFour) {
  std::set<std::string> seen;
  auto random = voting::SystemRandom();
  for (int i = 0; i < 2000; ++i) {
    std::string code = voting::NewCode(random);
    ASSERT_EQ(code.size(), 14u) << code;
    EXPECT_EQ(code[4], '-');
    EXPECT_EQ(code[9], '-');
    for (char c : code) {
      if (c != '-') {
        EXPECT_NE(voting::kCodeAlphabet.find(c), std::string_view::npos) << code;
      }
    }
    EXPECT_TRUE(seen.insert(code).second) << "a repeated code: " << code;
  }
  EXPECT_EQ(voting::kCodeAlphabet.size(), 32u);
  for (char c : std::string("0O1I")) EXPECT_EQ(voting::kCodeAlphabet.find(c), std::string_view::npos) << c;
}

TEST(VotingCodes, AreTypedWithOrWithoutDashesInEitherCase) {
  auto a = voting::NormalizeCode("7kqm-4xrt-h2pw");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, "7KQM4XRTH2PW");
  EXPECT_EQ(*voting::NormalizeCode(" 7KQM 4XRT H2PW "), "7KQM4XRTH2PW");
  auto zero = voting::NormalizeCode("7KQM-4XRT-H2P0");
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("'0'"), std::string::npos) << zero.status().message();
  EXPECT_EQ(zero.status().message().rfind("code: ", 0), 0u);
  EXPECT_FALSE(voting::NormalizeCode("7KQM-4XRT").ok());
}

TEST(KeyedHash, DependsOnTheVoteKeyTheSaltAndThePurpose) {
  std::string k1 = voting::RoundKey("geheim", "aa");
  EXPECT_EQ(k1.size(), 32u);
  std::string h = voting::KeyedHash(k1, "code", "7KQM4XRTH2PW");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, voting::KeyedHash(voting::RoundKey("geheim", "aa"), "code", "7KQM4XRTH2PW")) << "deterministic";
  EXPECT_NE(h, voting::KeyedHash(voting::RoundKey("anders", "aa"), "code", "7KQM4XRTH2PW"));
  EXPECT_NE(h, voting::KeyedHash(voting::RoundKey("geheim", "bb"), "code", "7KQM4XRTH2PW"));
  EXPECT_NE(h, voting::KeyedHash(k1, "census", "7KQM4XRTH2PW"));
}

constexpr const char* kCensus =
    "identificatie;postcode;geboortedatum;wijk\n"
    "123456782;3511 AB;1980-04-27;Zuilen\n"
    "999999990;3572ab;2012-01-02;Overvecht\n";

TEST(CensusFile, IsReadWithItsColumnsInAnyOrderAndNormalised) {
  auto lines = voting::ParseCensus(kCensus);
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].line, 2);
  EXPECT_EQ((*lines)[0].person.postcode, "3511AB");
  EXPECT_EQ((*lines)[1].person.postcode, "3572AB");
  EXPECT_EQ((*lines)[1].wijk, "Overvecht");
  auto comma = voting::ParseCensus("wijk,birth_date,postcode,identifier\nZuilen,1980-04-27,3511AB,123456782\n");
  ASSERT_TRUE(comma.ok()) << comma.status().ToString();
  EXPECT_EQ(voting::PersonKey((*comma)[0].person), voting::PersonKey((*lines)[0].person));
}

TEST(CensusFile, ABadLineIsRefusedNamingItsLineAndField) {
  struct Case {
    std::string line, expect;
  };
  for (const auto& c : std::vector<Case>{{"123456782;3511 AB;27-04-1980;Zuilen", "census line 3, field birth_date"},
                                         {"123456782;AB 3511;1980-04-27;Zuilen", "census line 3, field postcode"},
                                         {"12;3511AB;1980-04-27;Zuilen", "census line 3, field identifier"},
                                         {"123456782;3511AB;1980-04-27;", "census line 3, field wijk"},
                                         {"123456782;3511AB;1980-04-27", "census line 3, field *"},
                                         {"123456782;3511 ab;1980-04-27;Noord",
                                          "census line 3, field identifier: the "
                                          "same resident as on line 2"}}) {
    std::string text =
        "identificatie;postcode;geboortedatum;wijk\n123456782;3511AB;1980-04-27;Zuilen\n" + c.line + "\n";
    auto r = voting::ParseCensus(text);
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(c.expect, 0), 0u) << r.status().message();
  }
  auto missing = voting::ParseCensus("identificatie;postcode;wijk\n123456782;3511AB;Zuilen\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "census line 1, field birth_date: column missing from the header");
  EXPECT_FALSE(voting::ParseCensus("").ok());
  EXPECT_FALSE(voting::ParseCensus("identificatie;postcode;geboortedatum;wijk\n").ok());
}

TEST(CensusFile, AgeIsCountedInWholeYears) {
  EXPECT_EQ(voting::AgeOn("2012-01-02", "2028-01-01"), 15);
  EXPECT_EQ(voting::AgeOn("2012-01-02", "2028-01-02"), 16);
  EXPECT_EQ(voting::AgeOn("1980-04-27", "2026-12-06"), 46);
}

TEST(MailMerge, HasTheCodeTheWijkAndADutchLetterLine) {
  std::string csv =
      voting::MailMergeCsv({{"7KQM-4XRT-H2PW", "Zuilen"}, {"ABCD-EFGH-JKLM", "=1+1"}}, "Buurtbudget", "Utrecht");
  EXPECT_EQ(csv.rfind("code;wijk;brief\n", 0), 0u) << csv;
  EXPECT_NE(csv.find("7KQM-4XRT-H2PW;Zuilen;Met deze code stemt u eenmalig in Buurtbudget van de gemeente Utrecht"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(";'=1+1;"), std::string::npos) << "a wijk that looks like a formula is defused: " << csv;
}

// ---- the use cases on a real store ----

class VotesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("weefsel-votes-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    url_ = (dir_ / "w.db").string();
    auto store = storage::Store::Open(url_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    PlatformOptions po;
    po.password_cost = PasswordCost::Minimum();
    po.vote_key = "test-key";
    platform_ = std::make_unique<Platform>(std::move(store).value(), po, clock_);
    votes_ = std::make_unique<Votes>(testing::ContextOf(*platform_), Counter());
    Principal root{UserId(1 << 30), "", "", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
    domain::Municipality m{MunicipalityId(), "GM0344", "Utrecht", "Utrecht", 360000, 0, 0};
    m_ = platform_->CreateMunicipality(root, m)->id;
    domain::User officer{UserId(), "officer@test.nl", "officer", "", ""};
    officer_ = MakePrincipal(officer, {UserId(), domain::Role::kOfficer, m_, {}}, root);
    domain::User voter{UserId(), "voter@test.nl", "voter", "", ""};
    voter_ = MakePrincipal(voter, {UserId(), domain::Role::kResident, m_, {}}, root);
    domain::Round r;
    r.municipality = m_;
    r.name = "Buurtbudget";
    r.budget_eur = 100000;
    r.projects = {{"p1", {}, "Speeltuin", 40000, "", ""}, {"p2", {}, "Moestuin", 30000, "", ""}};
    round_ = platform_->CreateRound(officer_, r)->id;
  }
  void TearDown() override {
    votes_.reset();
    platform_.reset();
    std::filesystem::remove_all(dir_);
  }
  Principal MakePrincipal(domain::User u, domain::RoleGrant g, const Principal& root) {
    auto made = platform_->CreateUser(root, u, "correct horse battery", {g});
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return *platform_->PrincipalOf(made->id);
  }
  void OpenVoting() {
    for (auto phase : {domain::RoundPhase::kReview, domain::RoundPhase::kVoting})
      ASSERT_TRUE(platform_->SetRoundPhase(officer_, round_, phase).ok());
  }
  std::string Dump() {
    auto rows = storage::DumpAllRows(url_);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::string all;
    for (const auto& r : *rows) all += r + "\n";
    return all;
  }

  ManualClock clock_{std::chrono::system_clock::from_time_t(1795000000)};  // 2026-11-18
  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Votes> votes_;
  MunicipalityId m_;
  RoundId round_;
  Principal officer_, voter_;
};

TEST_F(VotesTest, ABadCensusLineWritesNothing) {
  ASSERT_TRUE(votes_->SetEligibility(officer_, round_, {domain::Verification::kCensus, {}, 16}).ok());
  auto good = votes_->UploadCensus(officer_, round_, kCensus);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(*good, 2);
  std::string bad = std::string(kCensus) + "111222333;3511AB;1990-02-30;Zuilen\n";
  auto refused = votes_->UploadCensus(officer_, round_, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message().rfind("census line 4, field birth_date", 0), 0u) << refused.status().message();
  auto reg = votes_->RegisterOf(officer_, round_);
  ASSERT_TRUE(reg.ok());
  int64_t lines = 0;
  for (const auto& t : reg->census) lines += t.total;
  EXPECT_EQ(lines, 2) << "the refused file replaced nothing";
  std::string db = Dump();
  EXPECT_EQ(db.find("123456782"), std::string::npos) << "a citizen number is stored in clear";
  EXPECT_EQ(db.find("3511AB"), std::string::npos) << "a postcode is stored in clear";
  EXPECT_EQ(db.find("111222333"), std::string::npos);

  OpenVoting();
  VerifiedBallot young;
  young.entries = {{"p1", 1}};
  young.census = voting::CensusPerson{"999999990", "3572 AB", "2012-01-02"};
  auto too_young = votes_->CastVerified(voter_, round_, young);
  EXPECT_EQ(too_young.status().code(), StatusCode::kPermissionDenied) << too_young.status().ToString();
  VerifiedBallot adult = young;
  adult.census = voting::CensusPerson{"123456782", "3511ab", "1980-04-27"};
  auto ok = votes_->CastVerified(voter_, round_, adult);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(votes_->CastVerified(voter_, round_, adult).status().code(), StatusCode::kConflict);
}

TEST_F(VotesTest, ACodeVotesOnceAndIsNeverStoredInClear) {
  ASSERT_TRUE(votes_->SetEligibility(officer_, round_, {domain::Verification::kCode, {}, 0}).ok());
  auto csv = votes_->GenerateCodes(officer_, round_, 3, "");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  std::vector<std::string> codes;
  for (const auto& line : Split(*csv, '\n', true))
    if (line.rfind("code;", 0) != 0) codes.emplace_back(line.substr(0, 14));
  ASSERT_EQ(codes.size(), 3u) << *csv;
  std::string db = Dump();
  for (const auto& c : codes) {
    EXPECT_EQ(db.find(c), std::string::npos) << c;
    EXPECT_EQ(db.find(*voting::NormalizeCode(c)), std::string::npos) << c;
  }
  OpenVoting();
  VerifiedBallot b;
  b.entries = {{"p2", 1}};
  EXPECT_EQ(votes_->CastVerified(voter_, round_, b).status().code(), StatusCode::kPermissionDenied);
  b.code = codes[0];
  auto first = votes_->CastVerified(voter_, round_, b);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->ballot_token.size(), 64u);
  auto again = votes_->CastVerified(voter_, round_, b);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_NE(again.status().message().find("used already"), std::string::npos) << again.status().message();
  // The token changes the ballot; the tally counts one ballot with no voter.
  VerifiedBallot change;
  change.entries = {{"p1", 1}};
  change.ballot_token = first->ballot_token;
  ASSERT_TRUE(votes_->CastVerified(voter_, round_, change).ok());
  ASSERT_TRUE(testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
                auto ballots = s.BallotsOf(round_);
                EXPECT_TRUE(ballots.ok());
                EXPECT_EQ(ballots->size(), 1u);
                EXPECT_FALSE((*ballots)[0].voter.valid());
                EXPECT_EQ((*ballots)[0].entries[0].project_id, "p1");
                return Status::Ok();
              }).ok());
  EXPECT_EQ(Dump().find(first->ballot_token), std::string::npos) << "the ballot token is stored in clear";
}

}  // namespace
}  // namespace weefsel::service
