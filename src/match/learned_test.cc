#include "match/learned.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "base/csv.h"

namespace weefsel::match {
namespace {

// Four candidates per query on two binary features; the good ones have exactly one of the two
// (XOR). No linear score w1*x1 + w2*x2 puts (1,0) and (0,1) above both (0,0) and (1,1): that would
// need w1 > 0, w2 > 0 and w1 + w2 < 0.
RankingSet Xor(int groups) {
  RankingSet set;
  set.feature_names = {"a", "b"};
  for (int g = 0; g < groups; ++g) {
    set.OpenGroup();
    set.AddRow({0, 0}, 0);
    set.AddRow({1, 1}, 0);
    set.AddRow({1, 0}, 1);
    set.AddRow({0, 1}, 1);
  }
  return set;
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("weefsel_learned_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

TEST(LearnedRankerTest, RanksXorThatNoLinearOrderCan) {
  auto model = LearnedRanker::Train(Xor(8), {.rounds = 20, .max_depth = 2});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto s = model->Predict({0, 0, 1, 1, 1, 0, 0, 1});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 4u);
  const float worst_good = std::min((*s)[2], (*s)[3]);
  const float best_bad = std::max((*s)[0], (*s)[1]);
  EXPECT_GT(worst_good, best_bad);
}

// TopOfGroups keeps each group's first rows, and drops groups left with one row or one label.
TEST(LearnedRankerTest, TopOfGroupsKeepsTheFirstRowsOfEachGroup) {
  RankingSet set;
  set.feature_names = {"a", "b"};
  set.OpenGroup();  // a hit on place 1: kept, cut to 2 rows
  set.AddRow({1, 0}, 2);
  set.AddRow({0, 1}, 0);
  set.AddRow({0, 0}, 0);
  set.OpenGroup();  // its only hit on place 3: nothing left to learn from in the first 2
  set.AddRow({1, 1}, 0);
  set.AddRow({0, 1}, 0);
  set.AddRow({1, 0}, 2);
  set.OpenGroup();  // shorter than the cut: kept whole
  set.AddRow({0, 0}, 0);
  set.AddRow({1, 0}, 2);
  RankingSet top = set.TopOfGroups(2);
  EXPECT_EQ(top.feature_names, set.feature_names);
  EXPECT_EQ(top.group_sizes, (std::vector<unsigned>{2, 2}));
  EXPECT_EQ(top.labels, (std::vector<float>{2, 0, 0, 2}));
  EXPECT_EQ(top.rows, (std::vector<float>{1, 0, 0, 1, 0, 0, 1, 0}));
  EXPECT_EQ(set.TopOfGroups(1).row_count(), 0u);
  EXPECT_EQ(set.TopOfGroups(10).group_sizes, set.group_sizes);
}

TEST(LearnedRankerTest, NdcgObjectiveAndSubsamplingAreDeterministic) {
  const LearnedParams p{.objective = "rank:ndcg", .rounds = 20, .max_depth = 2, .subsample = 0.8};
  auto a = LearnedRanker::Train(Xor(8), p);
  auto b = LearnedRanker::Train(Xor(8), p);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString();
  const std::vector<float> rows = {0, 0, 1, 1, 1, 0, 0, 1};
  auto sa = a->Predict(rows), sb = b->Predict(rows);
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(*sa, *sb);
  EXPECT_GT(std::min((*sa)[2], (*sa)[3]), std::max((*sa)[0], (*sa)[1]));
}

TEST(LearnedRankerTest, ContributionsAddUpToTheScore) {
  auto model = LearnedRanker::Train(Xor(8), {.rounds = 20, .max_depth = 2});
  ASSERT_TRUE(model.ok());
  const std::vector<float> rows = {0, 0, 1, 1, 1, 0, 0, 1};
  auto s = model->Predict(rows);
  auto c = model->Contributions(rows);
  ASSERT_TRUE(s.ok() && c.ok());
  ASSERT_EQ(c->size(), 4u * 3u);
  for (size_t r = 0; r < 4; ++r) EXPECT_NEAR((*c)[r * 3] + (*c)[r * 3 + 1] + (*c)[r * 3 + 2], (*s)[r], 1e-4);
}

TEST(LearnedRankerTest, TrainingIsDeterministicAndSurvivesSaveAndLoad) {
  auto a = LearnedRanker::Train(Xor(4), {.rounds = 10});
  auto b = LearnedRanker::Train(Xor(4), {.rounds = 10});
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<float> rows = {0, 0, 1, 1, 1, 0, 0, 1};
  EXPECT_EQ(*a->Predict(rows), *b->Predict(rows));
  const std::string path = TempPath("model");
  ASSERT_TRUE(a->Save(path).ok());
  auto loaded = LearnedRanker::Load(path, {"a", "b"});
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->feature_names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*loaded->Predict(rows), *a->Predict(rows));
  std::filesystem::remove(path);
}

TEST(LearnedRankerTest, BadModelFilesAreClearErrors) {
  auto missing = LearnedRanker::Load(TempPath("absent"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no such file"), std::string::npos);

  const std::string path = TempPath("bad");
  ASSERT_TRUE(WriteFileAtomic(path, "hello\n{}").ok());
  auto not_ours = LearnedRanker::Load(path);
  ASSERT_FALSE(not_ours.ok());
  EXPECT_NE(not_ours.status().message().find("not a weefsel match model"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(path, "weefsel-match-model 99 a,b\n{}").ok());
  auto version = LearnedRanker::Load(path);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.status().message().find("format version 99"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(path, "weefsel-match-model 1 a,b\n{\"broken\": ").ok());
  auto broken = LearnedRanker::Load(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(broken.status().message().find("xgboost cannot read the model"), std::string::npos)
      << broken.status().message();

  auto model = LearnedRanker::Train(Xor(2), {.rounds = 2});
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(model->Save(path).ok());
  auto other = LearnedRanker::Load(path, {"a", "c"});
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("trained on features a,b"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(LearnedRankerTest, RefusesRowsThatDoNotFillTheGroups) {
  RankingSet set = Xor(1);
  set.group_sizes = {3};
  EXPECT_EQ(LearnedRanker::Train(set).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace weefsel::match
