// eval/cordis.h: the partner-recommendation evaluation on Horizon 2020 consortia (CORDIS).
//
// Implements the protocol of ../shared/data/cordis/README.md: a temporal split at a cutoff date
// (history = projects that start before it; only history builds anything), test challenges =
// projects from the cutoff on with a title, exactly one coordinator and >= 3 participants; query =
// title + " " + topic_title and the coordinator; candidates = every organisation with a history
// participation except the coordinator; targets = the other participants that appear in history.
// Metrics: recall@10, recall@50 (and the _all variants), MRR of the first in-history target, and
// mix3 / helix4 of the proposed team (coordinator + top 10) and of the real consortium.
//
// The recommender (documented in docs/matching.md) scores a candidate by a weighted sum of
// per-query-normalised features: text (BM25 of the query against history projects; the candidate's
// share of the best-matching projects, also restricted to projects near the coordinator), the
// coordinator's past partners (plain, weighted by the text match of the shared project, decayed by
// age, and those of projects it led), partners of partners, popularity and recent activity, and the
// country mix of the coordinator's partners. By default a LambdaMART second stage (CordisRerank)
// re-orders that linear model's top 100; then a sector re-ranking keeps >= 3 activity types in the
// team.
// Weights are tuned on a validation year before the cutoff (TuneCordis), never on the test set.
//
// Ownership: CordisData owns the loaded files; functions are pure over it.
// Thread-safety: all functions are const over their inputs; safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/status.h"
#include "eval/ranker.h"
#include "match/learned.h"

namespace weefsel::eval {

struct CordisProject {
  std::string id;
  std::string title, topic_title, start_date;
  struct Member {
    int32_t org = 0;   // index into CordisData::orgs
    std::string type;  // activity type in this row (HES, REC, PRC, PUB, OTH)
    std::string country;
    bool coordinator = false;
  };
  std::vector<Member> members;  // one per organisation (duplicate rows merged)
};

struct CordisData {
  std::vector<std::string> orgs;       // org_id (PIC) by index
  std::vector<std::string> org_names;  // legal name by index, where known (else empty)
  std::vector<CordisProject> projects;
};

// Reads projects.csv.gz and participants.csv.gz (gzip or plain .csv) from `dir`; errors name the
// file, line and column.
Result<CordisData> LoadCordis(const std::string& dir);

// Weights chosen by TuneCordis on the 2018 validation year (history before 2018-01-01); each
// feature is normalised per query to a maximum of 1.
struct CordisParams {
  int top_projects = 50;          // text: how many best-matching history projects vote
  double sim_power = 2.0;         // a project's vote is (bm25 / best bm25)^sim_power ...
  double size_power = 0.5;        // ... divided by (members - 1)^size_power
  double w_text = 1.03;           // text votes of the best-matching history projects
  double w_coord = 0.5;           // shared history projects with the coordinator (log scale)
  double w_coord_text = 1.875;    // the same, each shared project weighted by its text match
  double w_two_hop = 0.1275;      // partners of the coordinator's partners
  double w_pop = 0.325;           // history participations (log scale)
  double w_recent = 0.075;        // participations in the last two years before the cutoff
  double w_coord_recent = 0.9;    // shared projects with the coordinator, halved per year of age
  double coord_sim_power = 2.0;   // coord_text counts a shared project as (bm25 / best)^coord_sim_power
  double w_text_near = 1.8;       // text votes of projects that hold the coordinator or its partners
  double coord_size_power = 0.5;  // ... divided by (members - 1)^coord_size_power
  double w_coord_led = 0.85;      // projects the coordinator led together with the candidate
  double w_country = 0.225;       // country affinity: share of the coordinator's partners from that country
  int min_types = 3;              // sector re-ranking: distinct activity types in coordinator + top 10
};

struct CordisMetrics {
  int n_test = 0;    // test projects
  int n_scored = 0;  // with at least one in-history target
  double recall10 = 0, recall50 = 0, recall10_all = 0, recall50_all = 0, mrr = 0;
  double mix3 = 0, helix4 = 0;            // proposed team
  double real_mix3 = 0, real_helix4 = 0;  // real consortia
  std::string ranker_log;                 // second stage: training queries, rows, stage-1 recall@candidates
  std::vector<double> reciprocal_ranks;   // per scored project, in data order (paired comparisons)
};

// The second stage, on by default: a LambdaMART ranker (eval/ranker.h) re-orders the linear
// model's best `candidates` per query, before the sector re-ranking. It is trained at evaluation
// time on the projects of the `train_years` years before the cutoff's year, each year's features
// built from the history before that year (as ValidationYears builds its splits), so nothing from
// the cutoff on feeds it; training is deterministic. CordisRerank::Linear() (enabled = false) is the
// linear model alone. The default was chosen on validation years only (docs/matching.md).
struct CordisRerank {
  // The linear model without a second stage.
  static CordisRerank Linear() { return {.enabled = false}; }

  bool enabled = true;
  int candidates = 100;      // stage-1 top re-ordered (and used for training)
  int train_years = 2;       // e.g. cutoff 2019: trained on 2017 and 2018
  double stage1_weight = 0;  // the trees start from this x the stage-1 score (0: from nothing)
  double blend = 0.7;        // final order by blend x ranker's rank + (1 - blend) x stage-1 rank
  // Chosen on the 2018 validation year (trained on 2016-2017); see docs/matching.md.
  RankerOptions gbdt{.trees = 200, .max_depth = 3, .min_leaf = 50, .learning_rate = 0.05, .ndcg_at = 10};
  // The learner of the second stage: the hand-written LambdaMART (eval/ranker.h, options `gbdt`) or
  // XGBoost (match/learned.h, the product's learned stage; options `xgb`). XGBoost takes no base
  // score: stage1_weight must be 0 with it.
  enum class Learner { kLambdaMart, kXgboost };
  Learner learner = Learner::kLambdaMart;
  match::LearnedParams xgb{.objective = "rank:ndcg",
                           .rounds = 200,
                           .max_depth = 3,
                           .eta = 0.05,
                           .min_child_weight = 1,
                           .tree_method = "hist"};
};

struct CordisSplit {
  std::string cutoff = "2019-01-01";                        // history: start_date < cutoff
  std::string test_end;                                     // test: start_date < test_end (empty: no end)
  std::optional<std::unordered_set<std::string>> test_ids;  // only these test projects
};

// Runs the protocol, by default with the second stage (pass CordisRerank::Linear() for the linear
// model alone). InvalidArgument when no test project qualifies (says which filter emptied it).
Result<CordisMetrics> EvaluateCordis(const CordisData& data, const CordisSplit& split, const CordisParams& params,
                                     const CordisRerank& rerank = {});

// The same for several second-stage settings on one split (its queries and the training years
// prepared once); one result per setting, in order. A setting that is not enabled gives the linear
// model. InvalidArgument when a training year would start before 2015 (no history before it).
Result<std::vector<CordisMetrics>> EvaluateCordisReranks(const CordisData& data, const CordisSplit& split,
                                                         const CordisParams& params,
                                                         const std::vector<CordisRerank>& settings);

struct TuneReport {
  CordisParams best;
  CordisMetrics best_metrics;
  int tried = 0;
  std::string log;  // one line per improvement
};
struct TuneOptions {
  double recall_weight = 1.0;   // objective: recall_weight * recall@10 + MRR, subject to mix3 >= 0.70
  int passes = 2;               // coordinate-search passes over the weights
  bool tune_structure = false;  // also try three other settings of the text votes (top projects, powers)
};
// Coordinate search over the weights on validation splits inside history (e.g. model from
// projects before 2018-01-01, queries = the 2018 projects), their scored projects pooled.
// InvalidArgument when a split has no end or ends after 2019-01-01 (it would read test years).
Result<TuneReport> TuneCordis(const CordisData& data, const std::vector<CordisSplit>& validations,
                              const CordisParams& start, const TuneOptions& options = {});

// The validation years for TuneCordis: 2018, then 2017, ... (`years` of them, at most 4), each with
// the history before its first day.
std::vector<CordisSplit> ValidationYears(int years);

// The weights on one line (tuning logs).
std::string FormatParams(const CordisParams& p);

void PrintMetrics(std::ostream& os, const CordisMetrics& m);

// The team measures of the evaluation, over CORDIS activity types (HES, REC, PRC, PUB, OTH; "" for
// unknown): at least three kinds (mix3), and the quadruple helix (higher education or research,
// private, public, other: helix4). Shared by the research pipeline and eval/product_cordis.h.
bool Mix3(const std::vector<std::string>& types);
bool Helix4(const std::vector<std::string>& types);
// The key with the highest count (the first in key order on a tie); "" for an empty map.
std::string MostFrequent(const std::map<std::string, int>& counts);

}  // namespace weefsel::eval
