// eval/cordis.h: the Horizon 2020 consortia (CORDIS) as ground truth for partner recommendation.
//
// The data and the protocol of ../shared/data/cordis/README.md: a temporal split at a cutoff date
// (history = projects that start before it; only history builds anything), test challenges =
// projects from the cutoff on with a title, exactly one coordinator and >= 3 participants; query =
// title + " " + topic_title and the coordinator; targets = the other participants that appear in
// history. Metrics: recall@10, recall@50 (and the _all variants), MRR of the first in-history
// target, and mix3 / helix4 of the proposed team (coordinator + top 10) and of the real consortium.
//
// Nothing here ranks: the evaluation ranks with the product's matcher (match::Matcher::Rank) through
// a weefsel store (eval/product_cordis.h, `weefsel eval cordis`). Until issue 17 this file held a
// research pipeline of its own (a tuned linear model and a LambdaMART second stage); its signals
// moved into the product's matcher (docs/matching.md, docs/decisions/0006-learned-ranking.md).
//
// Ownership: CordisData owns the loaded files; functions are pure over it.
// Thread-safety: all functions are const over their inputs; safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/status.h"

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

struct CordisMetrics {
  int n_test = 0;    // test projects
  int n_scored = 0;  // with at least one in-history target
  double recall10 = 0, recall50 = 0, recall10_all = 0, recall50_all = 0, mrr = 0;
  double mix3 = 0, helix4 = 0;            // proposed team
  double real_mix3 = 0, real_helix4 = 0;  // real consortia
  std::vector<double> reciprocal_ranks;   // per scored project, in data order (paired comparisons)
};

struct CordisSplit {
  std::string cutoff = "2019-01-01";                        // history: start_date < cutoff
  std::string test_end;                                     // test: start_date < test_end (empty: no end)
  std::optional<std::unordered_set<std::string>> test_ids;  // only these test projects
};

// The validation years, for choosing settings: 2018, then 2017, ... (`years` of them, at most 4),
// each with the history before its first day; they end by 2019-01-01, so never read the test years.
std::vector<CordisSplit> ValidationYears(int years);

// The team measures of the evaluation, over CORDIS activity types (HES, REC, PRC, PUB, OTH; "" for
// unknown): at least three kinds (mix3), and the quadruple helix (higher education or research,
// private, public, other: helix4).
bool Mix3(const std::vector<std::string>& types);
bool Helix4(const std::vector<std::string>& types);
// The key with the highest count (the first in key order on a tie); "" for an empty map.
std::string MostFrequent(const std::map<std::string, int>& counts);

}  // namespace weefsel::eval
