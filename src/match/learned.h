// match/learned.h: a learned ranking model (gradient-boosted trees, XGBoost's C API) for the
// matcher's second stage.
//
// A LearnedRanker is trained on query groups of feature vectors (one group per challenge, one row
// per candidate actor, a graded label per row: higher is better) with a pairwise or NDCG ranking
// objective, deterministically (fixed seed, one thread; exact or histogram tree method). It predicts a score per
// row and, per row, each feature's contribution to that score (TreeSHAP; the contributions and the
// bias add up to the score), which the matcher turns into reasons.
//
// Model files: a first line "weefsel-match-model <version> <feature,feature,...>" and then XGBoost's
// JSON model. Load refuses a file of another version, of other features than the caller expects,
// or one XGBoost cannot read, with a message naming the file and what is wrong.
//
// Ownership: a LearnedRanker owns its XGBoost booster (freed with the last copy; copies share it).
// Thread-safety: Predict and Contributions are const and serialised by a lock of their own, so one
// model may serve many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace weefsel::match {

// Rows of features in query groups. rows holds group_sizes' sum times feature_names.size() values,
// row after row, the rows of a group together; labels one per row.
struct RankingSet {
  std::vector<std::string> feature_names;
  std::vector<float> rows;
  std::vector<float> labels;
  std::vector<unsigned> group_sizes;

  size_t row_count() const { return labels.size(); }
  void AddRow(const std::vector<float>& features, float label);  // to the group opened last
  void OpenGroup() { group_sizes.push_back(0); }
  // The first `per_group` rows of every group (rows are kept in their order: pass a set whose groups
  // are sorted best first, e.g. by the linear score), without the groups left with fewer than two
  // rows or with one label only (nothing to learn from them).
  RankingSet TopOfGroups(size_t per_group) const;
};

struct LearnedParams {
  std::string objective = "rank:pairwise";  // or "rank:ndcg"
  int rounds = 60;
  int max_depth = 4;
  double eta = 0.2;
  double min_child_weight = 0.1;
  double lambda = 1.0;
  int seed = 0;
  double subsample = 1.0;             // share of the rows each tree is grown on (drawn with `seed`: deterministic)
  std::string tree_method = "exact";  // or "hist" (binned: faster on many rows; also deterministic)
};

class LearnedRanker {
 public:
  // The file format's version; a file of another version is refused by Load.
  static constexpr int kFormatVersion = 1;

  // InvalidArgument for an empty set, rows that do not fill the groups, or fewer than two features
  // names; Internal (with XGBoost's message) when XGBoost fails.
  static Result<LearnedRanker> Train(const RankingSet& set, const LearnedParams& params = {});
  // NotFound for a missing file; InvalidArgument for a file that is not a weefsel match model, is
  // of another version, or names other features than `expected_features` (when given).
  static Result<LearnedRanker> Load(const std::string& path, const std::vector<std::string>& expected_features = {});
  Status Save(const std::string& path) const;
  // The bytes Save writes (for a caller that writes the file itself, through base/env.h).
  Result<std::string> FileContent() const;

  // One score per row (rows: n * feature_count() values).
  Result<std::vector<float>> Predict(const std::vector<float>& rows) const;
  // Per row, feature_count() + 1 values: each feature's contribution, then the bias; they add up to
  // the row's score.
  Result<std::vector<float>> Contributions(const std::vector<float>& rows) const;

  const std::vector<std::string>& feature_names() const { return features_; }
  size_t feature_count() const { return features_.size(); }

 private:
  struct Booster;
  Result<std::vector<float>> Run(const std::vector<float>& rows, int option_mask) const;

  std::vector<std::string> features_;
  std::shared_ptr<Booster> booster_;
};

}  // namespace weefsel::match
