#include "eval/ranker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "base/clock.h"

namespace weefsel::eval {
namespace {

double Uniform(Rng& rng) { return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53; }

// Queries of `rows` rows with features (x0, x1, noise); a row is relevant when (x0, x1) lies in a
// small box in the middle of the unit square: no linear score puts those rows first.
RankData BoxQueries(uint64_t seed, int queries, int rows) {
  Rng rng(seed);
  RankData d;
  d.n_features = 3;
  for (int q = 0; q < queries; ++q) {
    std::vector<float> x, y;
    for (int r = 0; r < rows; ++r) {
      const double a = Uniform(rng), b = Uniform(rng), c = Uniform(rng);
      x.insert(x.end(), {static_cast<float>(a), static_cast<float>(b), static_cast<float>(c)});
      y.push_back(std::abs(a - 0.5) < 0.15 && std::abs(b - 0.5) < 0.15 ? 1.f : 0.f);
    }
    d.AddQuery(x, y);
  }
  return d;
}

std::vector<double> Predictions(const Ranker& r, const RankData& d) {
  std::vector<double> s(d.rows());
  for (size_t i = 0; i < d.rows(); ++i) s[i] = r.Predict(&d.x[i * d.n_features]);
  return s;
}

// The best MRR any linear score a*x0 + b*x1 reaches (directions every 5 degrees).
double BestLinearMrr(const RankData& d) {
  double best = 0;
  for (int deg = 0; deg < 360; deg += 5) {
    const double a = std::cos(deg * std::numbers::pi / 180), b = std::sin(deg * std::numbers::pi / 180);
    std::vector<double> s(d.rows());
    for (size_t i = 0; i < d.rows(); ++i) s[i] = a * d.x[i * 3] + b * d.x[i * 3 + 1];
    best = std::max(best, MeanReciprocalRank(d, s));
  }
  return best;
}

TEST(Ranker, LearnsANonLinearRankingNoLinearOrderFinds) {
  const RankData train = BoxQueries(1, 300, 30), test = BoxQueries(2, 300, 30);
  RankerOptions o{.trees = 60, .max_depth = 4, .min_leaf = 5, .learning_rate = 0.2};
  auto r = Ranker::Train(train, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->n_trees(), 60);
  const double gbdt = MeanReciprocalRank(test, Predictions(*r, test));
  const double linear = BestLinearMrr(test);
  EXPECT_GT(gbdt, 0.9) << "linear " << linear;
  EXPECT_GT(gbdt, linear + 0.3) << "gbdt " << gbdt << ", linear " << linear;
  // It splits on the two informative features, hardly on the noise.
  std::vector<int> splits = r->SplitCounts();
  ASSERT_EQ(splits.size(), 3U);
  EXPECT_GT(splits[0] + splits[1], 4 * splits[2]);
}

TEST(Ranker, MrrAndTruncatedNdcgObjectivesLearnToo) {
  const RankData train = BoxQueries(3, 300, 30), test = BoxQueries(4, 300, 30);
  for (auto [objective, at] :
       {std::pair{RankerOptions::Objective::kMrr, 0}, std::pair{RankerOptions::Objective::kNdcg, 5}}) {
    RankerOptions o{
        .trees = 60, .max_depth = 4, .min_leaf = 5, .learning_rate = 0.2, .objective = objective, .ndcg_at = at};
    auto r = Ranker::Train(train, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_GT(MeanReciprocalRank(test, Predictions(*r, test)), 0.85) << "ndcg_at " << at;
  }
}

TEST(Ranker, MoreTreesFitTheTrainingDataBetter) {
  const RankData train = BoxQueries(5, 200, 30);
  auto one = Ranker::Train(train, {.trees = 1, .max_depth = 1, .min_leaf = 5});
  auto many = Ranker::Train(train, {.trees = 40, .max_depth = 4, .min_leaf = 5, .learning_rate = 0.2});
  ASSERT_TRUE(one.ok() && many.ok());
  EXPECT_GT(MeanReciprocalRank(train, Predictions(*many, train)),
            MeanReciprocalRank(train, Predictions(*one, train)) + 0.2);
}

TEST(Ranker, IsDeterministic) {
  const RankData train = BoxQueries(6, 100, 20);
  RankerOptions o{.trees = 20, .max_depth = 3, .min_leaf = 3};
  auto a = Ranker::Train(train, o);
  auto b = Ranker::Train(train, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Predictions(*a, train), Predictions(*b, train));
}

TEST(Ranker, TreesCorrectTheBaseScores) {
  RankData d = BoxQueries(7, 100, 20);
  RankData based = d;
  for (size_t r = 0; r < d.rows(); ++r) based.base.push_back(30 * d.label[r]);  // already perfect, by a wide margin
  RankerOptions o{.trees = 10, .max_depth = 3, .min_leaf = 5, .learning_rate = 0.2};
  auto plain = Ranker::Train(d, o);
  auto corrected = Ranker::Train(based, o);
  ASSERT_TRUE(plain.ok() && corrected.ok());
  double most_plain = 0, most_corrected = 0;
  for (size_t r = 0; r < d.rows(); ++r) {
    most_plain = std::max(most_plain, std::abs(plain->Predict(&d.x[r * 3])));
    most_corrected = std::max(most_corrected, std::abs(corrected->Predict(&d.x[r * 3])));
  }
  EXPECT_GT(most_plain, 0.1);
  EXPECT_LT(most_corrected, 1e-6);  // nothing left to correct: the gradients vanish
  based.base.pop_back();
  EXPECT_NE(Ranker::Train(based, o).status().message().find("base holds"), std::string::npos);
}

TEST(Ranker, EmptyQueriesConstantFeaturesAndNoRelevantRowsAreHarmless) {
  RankData d;
  d.n_features = 2;
  d.AddQuery({}, {});                         // empty query
  d.AddQuery({1, 5, 1, 5, 1, 5}, {0, 0, 0});  // nothing relevant
  d.AddQuery({1, 5, 1, 5}, {1, 1});           // everything relevant
  d.AddQuery({1, 5, 1, 5, 1, 5}, {0, 1, 0});  // identical rows: nothing to split on
  auto r = Ranker::Train(d, {.trees = 5, .min_leaf = 1});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const float row[2] = {1, 5};
  EXPECT_TRUE(std::isfinite(r->Predict(row)));
  // Ties are broken by row order: the relevant row is second of three equal scores.
  EXPECT_DOUBLE_EQ(MeanReciprocalRank(d, Predictions(*r, d)), (1.0 + 0.5) / 2);

  RankData none;
  none.n_features = 1;
  auto z = Ranker::Train(none, {});
  ASSERT_TRUE(z.ok());
  const float v = 3;
  EXPECT_EQ(z->Predict(&v), 0.0);
  EXPECT_EQ(MeanReciprocalRank(none, {}), 0.0);
}

TEST(Ranker, MeanReciprocalRankByHand) {
  RankData d;
  d.n_features = 1;
  d.AddQuery({0, 0, 0}, {0, 0, 1});
  d.AddQuery({0, 0}, {1, 0});
  d.AddQuery({0}, {0});  // skipped: nothing relevant
  EXPECT_DOUBLE_EQ(MeanReciprocalRank(d, {3, 2, 1, 0, 1}), (1.0 / 3 + 1.0 / 2) / 2);
  EXPECT_DOUBLE_EQ(MeanReciprocalRank(d, {1, 2, 3, 1, 0, 7}), (1.0 + 1.0) / 2);
}

TEST(Ranker, BadInputIsAnErrorThatSaysWhere) {
  RankData d;
  d.n_features = 2;
  d.AddQuery({1, 2, 3, std::numeric_limits<float>::quiet_NaN()}, {0, 1});
  auto nan = Ranker::Train(d, {});
  EXPECT_EQ(nan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(nan.status().message().find("row 1, feature 1"), std::string::npos) << nan.status().message();

  RankData shape;
  shape.n_features = 2;
  shape.AddQuery({1, 2, 3}, {0, 1});
  EXPECT_NE(Ranker::Train(shape, {}).status().message().find("expected rows (2) x features (2)"), std::string::npos);

  RankData neg;
  neg.n_features = 1;
  neg.AddQuery({1}, {-1});
  EXPECT_NE(Ranker::Train(neg, {}).status().message().find("row 0: label"), std::string::npos);

  RankData ok;
  ok.n_features = 1;
  ok.AddQuery({1, 2}, {0, 1});
  EXPECT_EQ(Ranker::Train(ok, {.bins = 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Ranker::Train(ok, {.learning_rate = 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Ranker::Train(ok, {.min_leaf = 0}).status().code(), StatusCode::kInvalidArgument);
  ok.query_begin = {0, 3};
  EXPECT_EQ(Ranker::Train(ok, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace weefsel::eval
