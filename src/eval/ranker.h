// eval/ranker.h: a compact LambdaMART learner-to-rank (gradient-boosted regression trees trained
// with LambdaRank gradients), used as the second stage of the CORDIS recommender.
//
// Rows are grouped by query; each row is a feature vector with a relevance label (0 = not
// relevant). Features are pre-binned into at most `bins` quantile bins (histogram splits); trees
// are grown depth-first to `max_depth` levels with at least `min_leaf` rows per leaf; each leaf
// takes a Newton step on the LambdaRank gradients of NDCG (optionally truncated at `ndcg_at`) or of
// MRR, shrunk by `learning_rate`. Training is deterministic: no sampling, ties broken by row order.
//
// Ownership: a Ranker owns its trees and bin thresholds; RankData is owned by the caller.
// Thread-safety: Train is a pure function; Predict is const and safe to call concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace weefsel::eval {

// Rows of several queries: query q owns rows [query_begin[q], query_begin[q + 1]).
struct RankData {
  int n_features = 0;
  std::vector<float> x;                   // rows x n_features, row-major
  std::vector<float> label;               // one per row, >= 0
  std::vector<size_t> query_begin = {0};  // ascending; back() == number of rows
  std::vector<float> base;                // optional: each row's starting score (e.g. a first
                                          // stage's); the trees learn corrections to it
  size_t rows() const { return label.size(); }
  size_t queries() const { return query_begin.empty() ? 0 : query_begin.size() - 1; }
  // Appends one query's rows (features row-major, n_features each).
  void AddQuery(const std::vector<float>& features, const std::vector<float>& labels);
  // The same with each row's base score.
  void AddQuery(const std::vector<float>& features, const std::vector<float>& labels, const std::vector<float>& bases);
};

struct RankerOptions {
  enum class Objective { kNdcg, kMrr };
  int trees = 200;
  int max_depth = 4;  // levels below the root (a leaf at depth 0 is a constant)
  int min_leaf = 50;  // rows per leaf at least
  double learning_rate = 0.05;
  int bins = 64;    // quantile bins per feature (2 to 256)
  double l2 = 1.0;  // added to the hessian sum of a leaf
  Objective objective = Objective::kNdcg;
  int ndcg_at = 0;  // NDCG truncated at this rank (0: not truncated)
};

class Ranker {
 public:
  // One tree node (the trees are stored flat).
  struct Node {
    int32_t feature = -1;  // -1: leaf
    float threshold = 0;   // go left when value <= threshold
    int32_t left = -1, right = -1;
    double value = 0;  // leaf output (already shrunk)
  };
  // InvalidArgument when the options are out of range, the arrays disagree in size, a label is
  // negative or a feature is not finite (naming the row and feature).
  static Result<Ranker> Train(const RankData& data, const RankerOptions& options);
  // `row` holds n_features values; higher is better.
  // With a base in training, the ranking score is base + Predict.
  double Predict(const float* row) const;
  int n_features() const { return n_features_; }
  int n_trees() const { return static_cast<int>(roots_.size()); }
  // Splits per feature over all trees (how much the model uses each feature).
  std::vector<int> SplitCounts() const;

 private:
  int n_features_ = 0;
  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;
};

// Mean over queries with a relevant row of 1 / rank of the first relevant row when each query's
// rows are ordered by `scores` (descending; ties by row order). Queries without a relevant row
// are skipped.
double MeanReciprocalRank(const RankData& data, const std::vector<double>& scores);

}  // namespace weefsel::eval
