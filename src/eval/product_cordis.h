// eval/product_cordis.h: the CORDIS evaluation through the product (issue 17, item 1).
//
// The research pipeline (eval/cordis.h) ranks with features of its own; this evaluation measures
// what a user gets. It imports the CORDIS history (projects that start before the split's cutoff)
// into a real weefsel store (SQLite, in memory by default) through the ordinary import path
// (service::Import of CSV files, as `weefsel import` reads them):
//   countries          -> municipalities (pseudo CBS codes GM9001, GM9002, ...; an organisation's
//                         country is its most frequent one in history), so the matcher's area
//                         component means "same country as the coordinator";
//   organisations      -> actors (name, or "PIC <id>" when unknown; kind from the activity type:
//                         HES and REC knowledge_institution, PRC company, PUB government, OTH
//                         foundation_funder; source "cordis");
//   co-participations  -> ties (weight = shared history projects, from = the first one's start);
//   history projects   -> challenges (title, topic title as text, English, the coordinator as
//                         owner; untitled projects get their id as title) with one formed
//                         coalition each, every participant an accepted member (the coordinator
//                         its lead): the track record and past work the matcher reads;
//   query projects     -> challenges (title, topic title, the coordinator as owner when it has
//                         history, its country's municipality), imported the same way.
// The matcher is then built by service::MatchService from that store, as the server builds it,
// and each query is ranked by match::Matcher::Rank, the call behind GET /challenges/{id}/matches.
// Metrics as in eval/cordis.h: recall@10, recall@50, MRR (reciprocal rank within the returned
// list of RankOptions::limit, 0 beyond it), mix3 / helix4 of coordinator + top 10 by the
// organisations' activity types.
//
// Ownership: ProductCordis owns the matcher and the queries (the store is closed after the
// build). Thread-safety: Evaluate is const and may run concurrently.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "eval/cordis.h"
#include "match/matcher.h"
#include "match/outcomes.h"

namespace weefsel::eval {

struct ProductImportOptions {
  std::string store_path = ":memory:";  // SQLite file or ":memory:"
  std::string work_dir;                 // where the CSV files are written (empty: a temp directory)
  int every = 1;                        // keep every n-th scored query (1: all), in data order
};

struct ProductImportStats {
  int64_t municipalities = 0, actors = 0, ties = 0, challenges = 0, coalitions = 0;
  int n_test = 0;             // qualifying query projects
  int n_queries = 0;          // kept and with an in-history target
  double import_seconds = 0;  // writing the CSV files and importing them
  double build_seconds = 0;   // MatchService building the matcher from the store
};

// The learned stage's training data: one query group per training project (its candidates in linear
// order, best first), and what it holds.
struct LearnedSet {
  match::RankingSet set;
  match::OutcomeTrainingReport report;
};

class ProductCordis {
 public:
  // InvalidArgument when no project qualifies as a query; import errors as service::Import gives.
  static Result<std::unique_ptr<ProductCordis>> Import(const CordisData& data, const CordisSplit& split,
                                                       const ProductImportOptions& options = {});

  // Ranks every query with Matcher::Rank(challenge, options); options.limit must be >= 50.
  Result<CordisMetrics> Evaluate(const match::RankOptions& options) const;

  // Trains the product's learned stage (match::LearnedRanker, XGBoost) as the research pipeline
  // trains its second stage, honest in time: for each of the `years` years before the split's
  // cutoff, the history before that year is imported into a store of its own and that year's
  // projects are posted and ranked exactly as the queries are (Matcher::Rank, diversity 0, every
  // feature computed: match::TrainingCandidates); the
  // best options.pool by the linear score form a group, the real partners among them labelled 2
  // (pass 100: the learned stage re-scores at most the best 100). Ranking history projects on the
  // whole history instead would leak: their own consortium made the ties between the coordinator
  // and its partners.
  // `every`: keep every n-th training project (1: all; a cheaper model for tests).
  // FailedPrecondition when no year gives a group.
  static Result<match::TrainedModel> TrainLearned(const CordisData& data, const CordisSplit& split, int years,
                                                  const match::OutcomeTrainingOptions& options, int every = 1);
  // TrainLearned's training data alone (groups of the best `pool` by the linear score), to train
  // several learners on it (RankingSet::TopOfGroups gives the groups of a smaller pool).
  static Result<LearnedSet> BuildLearnedSet(const CordisData& data, const CordisSplit& split, int years, int pool,
                                            int every = 1);

  const ProductImportStats& stats() const { return stats_; }
  // The posted challenges, as the store gives them back (in data order).
  size_t queries() const { return queries_.size(); }
  const domain::Challenge& query(size_t i) const { return queries_[i].challenge; }
  const match::Matcher& matcher() const { return *matcher_; }

 private:
  struct Query {
    domain::Challenge challenge;
    std::vector<ActorId> targets;  // in history
    int n_all_targets = 0;
    std::string coord_type;
    bool real_mix3 = false, real_helix4 = false;
  };
  std::shared_ptr<const match::Matcher> matcher_;
  std::vector<Query> queries_;
  std::vector<std::string> type_of_;  // by actor id value (activity type in history)
  ProductImportStats stats_;
};

// Paired standard error of the mean difference a - b (per-query values in the same order).
double PairedStandardError(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace weefsel::eval
