// The CORDIS evaluation as a regression test on the visible test set. Issue 5's targets are
// recall@10 >= 0.176 and MRR >= 0.365 with team mix3 >= 0.70. The default model is the linear
// model plus the LambdaMART second stage (CordisRerank{}); it reaches 0.191 / MRR 0.368 / mix3 0.985
// (2026-11-29), asserted with a small margin below; the linear model alone (0.187 / MRR 0.359) is
// asserted at its own level. The weights are the defaults of CordisParams, tuned on the 2018
// validation year only (history before 2018-01-01); the second stage's settings were chosen on the
// validation years 2016-2018 (CordisRerank.* tests them on 2018 only).
#include <gtest/gtest.h>

#include "eval/cordis.h"
#include "tests/kit/shared_data.h"

namespace weefsel::eval {
namespace {

TEST(CordisEval, BeatsTheBaselinesOnTheVisibleTestSet) {
  WEEFSEL_REQUIRE_SHARED_DATA("cordis/projects.csv.gz");
  auto data = LoadCordis(testkit::SharedDataPath("cordis"));
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  // The default model and the linear model alone, on one shared preparation of the queries.
  auto ms = EvaluateCordisReranks(*data, {}, {}, {CordisRerank{}, CordisRerank::Linear()});
  ASSERT_TRUE(ms.ok()) << ms.status().ToString();
  ASSERT_EQ(ms->size(), 2U);
  const CordisMetrics &m = (*ms)[0], &linear = (*ms)[1];
  EXPECT_EQ(m.n_test, 1654);
  EXPECT_EQ(m.n_scored, 1637);
  EXPECT_NE(m.ranker_log.find("2017:"), std::string::npos) << m.ranker_log;  // trained on 2017-2018
  EXPECT_NE(m.ranker_log.find("2018:"), std::string::npos) << m.ranker_log;
  EXPECT_EQ(m.ranker_log.find("2019:"), std::string::npos) << m.ranker_log;
  EXPECT_GE(m.recall10, 0.185);  // 0.191 reached; the target is 0.176
  EXPECT_GE(m.recall50, 0.340);  // 0.349 reached
  EXPECT_GE(m.mrr, 0.362);       // 0.368 reached; the target is 0.365
  EXPECT_GT(m.mrr, 0.304);       // the best baseline's MRR (TF-IDF + network + popularity)
  EXPECT_GE(m.mix3, 0.70);
  EXPECT_GT(m.recall50, 0.290);  // best baseline's recall@50
  // The linear model alone: its own regression floors (0.187 / 0.339 / MRR 0.359 / mix3 0.99).
  EXPECT_EQ(linear.n_scored, 1637);
  EXPECT_TRUE(linear.ranker_log.empty()) << linear.ranker_log;
  EXPECT_GE(linear.recall10, 0.176);
  EXPECT_GE(linear.mrr, 0.357);
  EXPECT_GT(linear.recall50, 0.290);
  EXPECT_GE(linear.mix3, 0.70);
}

TEST(CordisEval, BadSplitSaysWhichFilterEmptiedIt) {
  // A small world (no need to load the real files for an error message): one history project and
  // one test project that the --test-ids list leaves out.
  CordisData data;
  data.orgs = {"a", "b", "c"};
  data.org_names = {"", "", ""};
  auto project = [](std::string id, std::string start) {
    CordisProject p;
    p.id = std::move(id);
    p.title = "Urban energy transition";
    p.topic_title = "Smart cities";
    p.start_date = std::move(start);
    p.members = {{0, "HES", "NL", true}, {1, "PRC", "DE", false}, {2, "PUB", "BE", false}};
    return p;
  };
  data.projects = {project("1", "2017-03-01"), project("2", "2019-05-01")};
  CordisSplit split;
  split.test_ids = std::unordered_set<std::string>{"no-such-project"};
  auto m = EvaluateCordis(data, split, {}, CordisRerank::Linear());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("--test-ids"), std::string::npos) << m.status().message();
  EXPECT_EQ(LoadCordis("/nonexistent").status().code(), StatusCode::kNotFound);
}

// The second stage on the 2018 validation year (history before 2018; trained on 2016 and 2017, each
// from its own history). Nothing here reads the test years.
TEST(CordisRerank, SecondStageOnTheValidationYear) {
  WEEFSEL_REQUIRE_SHARED_DATA("cordis/projects.csv.gz");
  auto data = LoadCordis(testkit::SharedDataPath("cordis"));
  ASSERT_TRUE(data.ok());
  const CordisSplit v2018 = ValidationYears(1).front();
  CordisRerank none{.enabled = true, .stage1_weight = 1, .blend = 1};  // no trees: the stage-1 order
  none.gbdt.trees = 0;
  const CordisRerank gbdt;  // the default
  auto ms = EvaluateCordisReranks(*data, v2018, {}, {CordisRerank::Linear(), none, gbdt});
  ASSERT_TRUE(ms.ok()) << ms.status().ToString();
  ASSERT_EQ(ms->size(), 3U);
  const CordisMetrics &linear = (*ms)[0], &same = (*ms)[1], &second = (*ms)[2];
  EXPECT_EQ(linear.n_scored, 1152);
  EXPECT_NEAR(linear.mrr, 0.314, 0.001);  // the figure docs/matching.md gives for the validation year
  // Re-ordering by the stage-1 score alone changes nothing in the top 50: the two stages share one
  // pipeline. (Beyond 50 the second stage ranks a target by its place in the list, the linear model
  // by its stage-1 score, which differ by one where the sector re-ranking moved a candidate.)
  EXPECT_EQ(same.recall10, linear.recall10);
  EXPECT_EQ(same.recall50, linear.recall50);
  ASSERT_EQ(same.reciprocal_ranks.size(), linear.reciprocal_ranks.size());
  for (size_t i = 0; i < same.reciprocal_ranks.size(); ++i) {
    if (linear.reciprocal_ranks[i] >= 1.0 / 50) {
      EXPECT_EQ(same.reciprocal_ranks[i], linear.reciprocal_ranks[i]) << i;
    }
  }
  EXPECT_NEAR(same.mrr, linear.mrr, 1e-4);
  // The trained second stage: recall@50 clearly up (+0.018 reached), MRR and recall@10 at least
  // level (+0.004 and +0.006 reached, inside the noise), mix3 kept.
  EXPECT_GT(second.recall50, linear.recall50 + 0.01);
  EXPECT_GT(second.mrr, linear.mrr - 0.005);
  EXPECT_GT(second.recall10, linear.recall10 - 0.005);
  EXPECT_GE(second.mix3, 0.70);
  EXPECT_NE(second.ranker_log.find("2016:"), std::string::npos) << second.ranker_log;
  EXPECT_EQ(second.ranker_log.find("2018:"), std::string::npos) << second.ranker_log;
}

TEST(CordisRerank, TrainingYearsMustHaveHistory) {
  // The settings are checked before any data is read: an empty world will do.
  const CordisData data;
  CordisRerank r{.enabled = true, .train_years = 4};  // 2018 - 4 = 2014: no history before it
  auto m = EvaluateCordis(data, ValidationYears(1).front(), {}, r);
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("2014"), std::string::npos) << m.status().message();
  r.train_years = 3;
  r.candidates = 0;
  EXPECT_EQ(EvaluateCordis(data, ValidationYears(1).front(), {}, r).status().code(), StatusCode::kInvalidArgument);
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
}  // namespace weefsel::eval
