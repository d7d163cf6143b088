#include "base/line_diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace weefsel {
namespace {

// Both sides rebuilt from the script: the kept and removed lines give a, the kept and added b.
void ExpectScriptRebuilds(const std::vector<std::string>& a, const std::vector<std::string>& b,
                          const LineDiffResult& d) {
  std::vector<std::string> ra, rb;
  for (const auto& l : d.lines) {
    if (l.op != '+') ra.push_back(l.text);
    if (l.op != '-') rb.push_back(l.text);
  }
  EXPECT_EQ(ra, a);
  EXPECT_EQ(rb, b);
}

size_t Edits(const LineDiffResult& d) {
  return std::count_if(d.lines.begin(), d.lines.end(), [](const DiffLine& l) { return l.op != ' '; });
}

size_t LcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}

TEST(LineDiff, SmallCases) {
  auto d = LineDiff({"a", "b", "c"}, {"a", "x", "c"});
  ASSERT_EQ(d.lines.size(), 4u);
  EXPECT_EQ(d.lines[0].op, ' ');
  EXPECT_EQ(d.lines[3].op, ' ');
  EXPECT_TRUE(d.minimal);
  EXPECT_TRUE(LineDiff({}, {}).lines.empty());
  EXPECT_EQ(Edits(LineDiff({}, {"a", "b"})), 2u);
  EXPECT_EQ(Edits(LineDiff({"a", "b"}, {})), 2u);
}

TEST(LineDiff, ShortestOnRandomTextsAgainstTheTextbookTable) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> a, b;
    size_t n = rng() % 30, m = rng() % 30;
    for (size_t i = 0; i < n; ++i) a.push_back(std::string(1, static_cast<char>('a' + rng() % 4)));
    for (size_t i = 0; i < m; ++i) b.push_back(std::string(1, static_cast<char>('a' + rng() % 4)));
    auto d = LineDiff(a, b);
    ASSERT_TRUE(d.minimal);
    ExpectScriptRebuilds(a, b, d);
    EXPECT_EQ(Edits(d), n + m - 2 * LcsLength(a, b)) << "round " << round;
  }
}

// Hostile input finding 4: two versions with 20,000-line plans cost 8.7 s and 1.8 GB to diff.
TEST(LineDiff, TwentyThousandDifferentLinesGiveACoarseCorrectDiffCheaply) {
  std::vector<std::string> a, b;
  for (int i = 0; i < 20000; ++i) {
    a.push_back("a" + std::to_string(i));
    b.push_back("b" + std::to_string(i));
  }
  a.push_back("same");
  b.push_back("same");
  auto d = LineDiff(a, b, 2000);
  EXPECT_FALSE(d.minimal);
  ExpectScriptRebuilds(a, b, d);
  EXPECT_EQ(d.lines.back().op, ' ');
}

TEST(LineDiff, LongTextsWithFewChangesStayMinimal) {
  std::vector<std::string> a;
  for (int i = 0; i < 20000; ++i) a.push_back("line " + std::to_string(i));
  auto b = a;
  b[100] = "changed";
  b.erase(b.begin() + 5000);
  b.insert(b.begin() + 15000, "new");
  auto d = LineDiff(a, b);
  EXPECT_TRUE(d.minimal);
  EXPECT_EQ(Edits(d), 4u);
  ExpectScriptRebuilds(a, b, d);
}

}  // namespace
}  // namespace weefsel
