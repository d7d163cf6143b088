#include "match/outcomes.h"

#include <algorithm>
#include <string>

namespace weefsel::match {

LabelledChallenge LabelOutcomes(const domain::Challenge& challenge, const std::vector<domain::Coalition>& coalitions,
                                const std::unordered_set<CoalitionId>& funded) {
  LabelledChallenge out;
  out.challenge = challenge;
  for (const auto& co : coalitions) {
    for (const auto& m : co.members) {
      float label = 0;
      if (m.status == domain::MemberStatus::kAccepted) {
        label = funded.count(co.id) ? 3.f : co.status == domain::CoalitionStatus::kFormed ? 2.f : 1.f;
        ++out.decided;
      } else if (m.status == domain::MemberStatus::kDeclined) {
        ++out.decided;
      } else {
        continue;  // proposed or invited, no answer: no outcome
      }
      float& l = out.labels[m.actor];  // an actor in two coalitions keeps its best outcome
      l = std::max(l, label);
    }
  }
  return out;
}

Result<std::vector<Match>> TrainingCandidates(const Matcher& matcher, const domain::Challenge& challenge, int limit,
                                              const MatchWeights& weights) {
  RankOptions ro;
  ro.limit = std::max(1, limit);
  ro.diversity = 0;
  ro.weights = weights;
  ro.all_features = true;  // the model learns from every feature, weighted or not
  return matcher.Rank(challenge, ro);
}

Result<TrainedModel> TrainOnOutcomes(const Matcher& matcher, const std::vector<LabelledChallenge>& challenges,
                                     const OutcomeTrainingOptions& options) {
  RankingSet set;
  set.feature_names = Matcher::FeatureNames();
  OutcomeTrainingReport report;
  int all_outcomes = 0;
  for (const LabelledChallenge& lc : challenges) {
    all_outcomes += lc.decided;
    if (lc.labels.empty()) continue;
    // The best 2 x pool by the linear score (the learned stage re-scores 5 x limit at serving time):
    // the first `pool` of them, and any further ones with an outcome.
    // (2 x pool <= the 100 the learned stage re-scores, matcher.cc.)
    auto ranked = TrainingCandidates(matcher, lc.challenge, 2 * options.pool);
    if (!ranked.ok()) continue;  // nothing to match on, or no candidate: no group
    std::vector<const Match*> rows;
    float lo = 1e9f, hi = -1e9f;
    for (const Match& m : *ranked) {
      auto l = lc.labels.find(m.actor);
      if (m.score_rank > options.pool && l == lc.labels.end()) continue;
      const float label = l == lc.labels.end() ? 0.f : l->second;
      lo = std::min(lo, label), hi = std::max(hi, label);
      rows.push_back(&m);
    }
    if (rows.size() < 2 || lo == hi) continue;  // a group with one label teaches no order
    set.OpenGroup();
    for (const Match* m : rows) {
      auto l = lc.labels.find(m->actor);
      set.AddRow(m->features, l == lc.labels.end() ? 0.f : l->second);
    }
    ++report.challenges;
    report.outcomes += lc.decided;
  }
  report.rows = set.row_count();
  if (report.challenges < options.min_challenges || report.outcomes < options.min_outcomes)
    return Status::FailedPrecondition(
        "too few outcomes to train the match model: " + std::to_string(report.outcomes) +
        " invitations accepted or declined on " + std::to_string(report.challenges) +
        " challenge(s) with candidates to tell apart (" + std::to_string(all_outcomes) + " outcomes in all, on " +
        std::to_string(challenges.size()) + " challenge(s)); training needs at least " +
        std::to_string(options.min_outcomes) + " on " + std::to_string(options.min_challenges) +
        " challenge(s). Until then matches keep the linear score; no model was written");
  WEEFSEL_ASSIGN_OR_RETURN(LearnedRanker model, LearnedRanker::Train(set, options.params));
  return TrainedModel{std::move(model), report};
}

}  // namespace weefsel::match
