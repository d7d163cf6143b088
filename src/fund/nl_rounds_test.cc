// The real Dutch rounds: they load, and Assen 2024's recorded outcome is explained.
#include "fund/nl_rounds.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/kit/shared_data.h"

namespace weefsel::fund {
namespace {

Result<std::vector<NlRound>> Load() {
  return LoadNlRounds(testkit::SharedDataPath("nl/participatief_begroten_nl_edities.csv"),
                      testkit::SharedDataPath("nl/participatief_begroten_nl_projecten.csv"));
}

std::vector<std::string> Ids(const NlRound& r, std::vector<int> ps) {
  std::vector<std::string> ids;
  for (int p : ps) ids.push_back(r.instance.projects[p].id);
  std::sort(ids.begin(), ids.end(),
            [](const std::string& a, const std::string& b) { return std::stoi(a) < std::stoi(b); });
  return ids;
}

TEST(NlRounds, AllRoundsLoadAsRounds) {
  WEEFSEL_REQUIRE_SHARED_DATA("nl/participatief_begroten_nl_projecten.csv");
  auto rounds = Load();
  ASSERT_TRUE(rounds.ok()) << rounds.status().ToString();
  ASSERT_EQ(rounds->size(), 41u);
  size_t projects = 0, amsterdam = 0;
  for (const auto& r : *rounds) {
    projects += r.instance.projects.size();
    if (r.gemeente == "Amsterdam") ++amsterdam;
    EXPECT_GT(r.instance.budget, 0) << r.pb_id;
    domain::Round d = r.ToDomainRound();
    EXPECT_EQ(d.projects.size(), r.instance.projects.size());
    EXPECT_EQ(d.budget_eur, r.instance.budget);
  }
  EXPECT_EQ(projects, 1383u);
  EXPECT_EQ(amsterdam, 40u);
}

// Assen 2024 ("Top Idee", 84 young voters, EUR 100,000, decided by equal shares with Add1). The
// file has vote counts but no ballots, so MES cannot be rerun. What the counts do decide: with
// an equal share of 100000/84 = 1190.48 per voter, a project is affordable by equal shares only
// if votes x 1190.48 >= cost. That screen gives exactly the nine recorded winners (76,700 in
// all); greedy by votes instead funds 8 (Crossbaan, 40,000, 25 votes: 29,762 of shares < cost)
// and leaves out 5, 6 and 12.
TEST(NlRounds, Assen2024RecordedOutcome) {
  WEEFSEL_REQUIRE_SHARED_DATA("nl/participatief_begroten_nl_projecten.csv");
  auto rounds = Load();
  ASSERT_TRUE(rounds.ok());
  auto it = std::find_if(rounds->begin(), rounds->end(),
                         [](const NlRound& r) { return r.pb_id == "Netherlands_Assen_2024"; });
  ASSERT_NE(it, rounds->end());
  const NlRound& assen = *it;
  EXPECT_EQ(assen.instance.budget, 100000);
  EXPECT_EQ(assen.voters, 84);
  EXPECT_EQ(assen.instance.projects.size(), 14u);
  EXPECT_EQ(assen.rule, "equalshares/add1");
  std::vector<int> recorded;
  for (size_t p = 0; p < assen.selected.size(); ++p)
    if (assen.selected[p].value_or(false)) recorded.push_back(static_cast<int>(p));
  std::vector<std::string> want = Ids(assen, recorded);
  EXPECT_EQ(want, (std::vector<std::string>{"2", "3", "5", "6", "9", "11", "12", "13", "14"}));
  EXPECT_EQ(Ids(assen, EqualSharesAffordable(assen)), want);
  EXPECT_EQ(Ids(assen, GreedyByVotes(assen)), (std::vector<std::string>{"2", "3", "8", "9", "11", "13", "14"}));
  EXPECT_EQ(assen.ToDomainRound().rule, "mes_add1_greedy");
}

}  // namespace
}  // namespace weefsel::fund
