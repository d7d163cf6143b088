// The product's matcher on CORDIS (eval/product_cordis.h), kept cheap for CI: one test (CTest runs
// each test in a process of its own, so the import is paid once), the 2016 validation year (its
// history, 2014-2015, is the smallest to import into an in-memory SQLite store; the weights were
// chosen on 2018), every 4th scored query. Floors sit a little below the figures measured on this
// subsample (docs/matching.md); the full validation years and the test set are read by
// `weefsel eval cordis`. The test prints what it measured ("measured: ...").
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "eval/product_cordis.h"
#include "tests/kit/shared_data.h"

namespace weefsel::eval {
namespace {

TEST(ProductCordis, TheProductsMatcherOnTheValidationYearThroughTheStore) {
  WEEFSEL_REQUIRE_SHARED_DATA("cordis/projects.csv.gz");
  auto data = LoadCordis(testkit::SharedDataPath("cordis"));
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  auto pc = ProductCordis::Import(*data, {.cutoff = "2016-01-01", .test_end = "2017-01-01"}, {.every = 4});
  ASSERT_TRUE(pc.ok()) << pc.status().ToString();
  const ProductCordis& product = **pc;

  // The import: organisations with a history participation as actors, their co-participations as
  // ties, history projects as challenges with one formed coalition each, plus the queries.
  const ProductImportStats& s = product.stats();
  EXPECT_EQ(s.actors, 11042);
  EXPECT_EQ(s.ties, 148418);
  EXPECT_EQ(s.coalitions, 5085);
  EXPECT_EQ(s.challenges, s.coalitions + s.n_queries);
  EXPECT_EQ(s.n_test, 1521);    // qualifying 2016 projects (title, one coordinator, >= 3 participants)
  EXPECT_EQ(s.n_queries, 373);  // every 4th of the 1,490 with an in-history partner
  EXPECT_EQ(static_cast<int64_t>(product.matcher().actors().size()), s.actors);
  EXPECT_EQ(product.Evaluate({.limit = 10}).status().code(), StatusCode::kInvalidArgument);

  // The product's defaults (what GET /challenges/{id}/matches ranks with, limit 100) on every 4th
  // query of 2016: 0.092 / 0.242 / MRR 0.260 / mix3 1.0 measured since the sector floor (eleventh
  // session; 0.086 / 0.225 / MRR 0.251 / mix3 0.99 with the diversity penalty 0.3 alone, 0.082 /
  // 0.128 / MRR 0.224 with the sixth session's defaults); the issue asks mix3 >= 0.70.
  match::RankOptions o;
  o.limit = 100;
  auto m = product.Evaluate(o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->n_scored, s.n_queries);
  EXPECT_GE(m->recall10, 0.088);
  EXPECT_GE(m->recall50, 0.235);
  EXPECT_GE(m->mrr, 0.252);
  EXPECT_GE(m->mix3, 0.95);
  // The two components taken from the research pipeline pay in MRR and recall@50: without them 0.099
  // / 0.235 / MRR 0.226 (recall@10 is 0.007 higher without them on this small year, since the sector
  // floor; it was 0.011 lower with the old re-ranking).
  match::RankOptions off = o;
  off.weights.similar = off.weights.owner_similar = 0;
  auto before = product.Evaluate(off);
  ASSERT_TRUE(before.ok());
  std::cout << "measured: defaults " << m->recall10 << " / " << m->recall50 << " / MRR " << m->mrr << " / mix3 "
            << m->mix3 << "; without the similar-work components " << before->recall10 << " / " << before->recall50
            << " / MRR " << before->mrr << std::endl;
  EXPECT_GT(m->mrr, before->mrr + 0.03);
  EXPECT_GT(m->recall50, before->recall50 + 0.003);  // +0.007 here

  // A list as the API returns it: reasons add up to each score, and similar past work is named.
  ASSERT_GT(product.queries(), 0U);
  auto list = product.matcher().Rank(product.query(0), o);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  int similar = 0;
  for (const match::Match& x : *list) {
    double sum = 0;
    for (const match::Reason& r : x.reasons) {
      sum += r.contribution;
      similar += r.code == "similar" && !r.items.empty();
    }
    EXPECT_NEAR(sum, x.score, 1e-6) << x.name;
  }
  EXPECT_GT(similar, 0);

  // The learned stage (XGBoost), trained as `weefsel eval cordis --learned` trains it but small:
  // on every 2nd project of 2015, ranked on the history before 2015 (2014 alone). Measured 0.085 /
  // 0.230 / MRR 0.194 / mix3 0.99, below the linear score here (MRR 0.251): trained on one year of
  // history it has too little to learn from (on the test split, trained on 2017-2018, it adds
  // +0.0015 MRR; docs/matching.md). These are regression floors, not evidence that it pays. The
  // learned stage costs this test about 5 s of CPU (training on 436 projects included).
  // (TrainLearned is BuildLearnedSet and LearnedRanker::Train; apart here to look at the rows.)
  match::OutcomeTrainingOptions training;
  training.pool = 100;
  auto ls = ProductCordis::BuildLearnedSet(*data, {.cutoff = "2016-01-01"}, 1, training.pool, 2);
  ASSERT_TRUE(ls.ok()) << ls.status().ToString();
  // The training rows hold every feature, also those of the components at weight 0, which a plain
  // Rank does not compute (tenth session).
  {
    const auto& names = ls->set.feature_names;
    const size_t n = names.size();
    const match::MatchWeights w;
    const std::map<std::string, double> at_weight = {{"near_similar", w.near_similar},
                                                     {"recent_similar", w.recent_similar},
                                                     {"partners2", w.partners2},
                                                     {"kind_fit", w.kind_fit},
                                                     {"walk", w.walk}};
    for (const auto& [name, weight] : at_weight) {
      const auto f = static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
      ASSERT_LT(f, n) << name;
      size_t nonzero = 0;
      for (size_t r = 0; r < ls->set.row_count(); ++r) nonzero += ls->set.rows[r * n + f] != 0.f;
      EXPECT_GT(nonzero, ls->set.row_count() / 20) << name << " (weight " << weight << ") is 0 in the training rows";
    }
  }
  auto trained = match::LearnedRanker::Train(ls->set, training.params);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  const match::TrainedModel model{std::move(trained).value(), ls->report};
  match::RankOptions lo = o;
  lo.learned = &model.model;
  auto learned = product.Evaluate(lo);
  ASSERT_TRUE(learned.ok()) << learned.status().ToString();
  std::cout << "measured: learned stage " << learned->recall10 << " / " << learned->recall50 << " / MRR "
            << learned->mrr << " / mix3 " << learned->mix3 << " (" << model.report.challenges << " training projects)"
            << std::endl;
  EXPECT_GE(learned->mrr, 0.185);
  EXPECT_GE(learned->recall10, 0.08);
  EXPECT_GE(learned->mix3, 0.70);
  auto relist = product.matcher().Rank(product.query(0), lo);
  ASSERT_TRUE(relist.ok()) << relist.status().ToString();
  for (const match::Match& x : *relist) {
    EXPECT_TRUE(x.learned);
    double sum = 0;
    for (const match::Reason& r : x.reasons) sum += r.contribution;
    EXPECT_NEAR(sum, x.score, 1e-4) << x.name;
  }
}

}  // namespace
}  // namespace weefsel::eval
