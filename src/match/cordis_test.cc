// The CORDIS evaluation as a regression test on the visible test set. Issue 5's targets are
// recall@10 >= 0.176 and MRR >= 0.365 with team mix3 >= 0.70. recall@10 and mix3 are asserted at
// the target; MRR at the level reached (0.359 with the validation-tuned weights, 2026-11-29): the
// 0.365 target is NOT met yet (see docs/matching.md). The weights are the defaults of CordisParams,
// tuned on the 2018 validation year only (history before 2018-01-01).
#include <gtest/gtest.h>

#include "match/cordis.h"
#include "tests/kit/shared_data.h"

namespace weefsel::match {
namespace {

TEST(CordisEval, BeatsTheBaselinesOnTheVisibleTestSet) {
  WEEFSEL_REQUIRE_SHARED_DATA("cordis/projects.csv.gz");
  auto data = LoadCordis(testkit::SharedDataPath("cordis"));
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  auto m = EvaluateCordis(*data, {}, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->n_test, 1654);
  EXPECT_EQ(m->n_scored, 1637);
  EXPECT_GE(m->recall10, 0.176);
  EXPECT_GE(m->mrr, 0.357);  // regression floor (0.359 reached); the target is 0.365 (not met)
  EXPECT_GT(m->mrr, 0.304);  // the best baseline's MRR (TF-IDF + network + popularity)
  EXPECT_GE(m->mix3, 0.70);
  EXPECT_GT(m->recall50, 0.290);  // best baseline's recall@50
}

TEST(CordisEval, BadSplitSaysWhichFilterEmptiedIt) {
  WEEFSEL_REQUIRE_SHARED_DATA("cordis/projects.csv.gz");
  auto data = LoadCordis(testkit::SharedDataPath("cordis"));
  ASSERT_TRUE(data.ok());
  CordisSplit split;
  split.test_ids = std::unordered_set<std::string>{"no-such-project"};
  auto m = EvaluateCordis(*data, split, {});
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("--test-ids"), std::string::npos) << m.status().message();
  EXPECT_EQ(LoadCordis("/nonexistent").status().code(), StatusCode::kNotFound);
}

TEST(CordisTune, ValidationStaysInsideHistory) {
  auto years = ValidationYears(2);
  ASSERT_EQ(years.size(), 2U);
  EXPECT_EQ(years[0].cutoff, "2018-01-01");
  EXPECT_EQ(years[0].test_end, "2019-01-01");
  EXPECT_EQ(years[1].cutoff, "2017-01-01");
  EXPECT_EQ(years[1].test_end, "2018-01-01");
  // A split without an end, or one that ends after 2019-01-01, would tune on the test years.
  auto open_end = TuneCordis(CordisData{}, {CordisSplit{.cutoff = "2018-01-01"}}, {});
  EXPECT_EQ(open_end.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(open_end.status().message().find("test years"), std::string::npos) << open_end.status().message();
  auto late = TuneCordis(CordisData{}, {CordisSplit{.cutoff = "2019-01-01", .test_end = "2020-01-01"}}, {});
  EXPECT_EQ(late.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TuneCordis(CordisData{}, {}, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace weefsel::match
