// match/outcomes.h: training the matcher's learned stage on what happened on the platform.
//
// Every challenge with coalitions is a query group: its candidates are the matcher's best by the
// linear score (OutcomeTrainingOptions::pool) and every actor with an outcome for it among the best
// 2 x pool (one ranked lower could not be re-scored at serving time either); each gets a
// graded label from the outcomes (LabelOutcomes): 3 an accepted member of a coalition whose
// proposal was funded, 2 of a formed coalition, 1 an invitation accepted, 0 declined or not chosen.
// The features are those Rank gives the learned stage (Matcher::FeatureNames()), computed as Rank
// does for that challenge: its own coalitions count neither as track record, nor as text, nor as
// invitation history. Too few outcomes is an error that says how many there are and how many are
// needed; nothing is trained then.
//
// Ownership: takes domain values, returns values. Thread-safety: pure functions over a const
// Matcher, safe from any thread.
#pragma once

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "domain/model.h"
#include "match/learned.h"
#include "match/matcher.h"

namespace weefsel::match {

struct LabelledChallenge {
  domain::Challenge challenge;
  std::unordered_map<ActorId, float> labels;  // actors not named: 0
  int decided = 0;                            // invitations accepted or declined
};

// The labels of a challenge from its coalitions and the coalitions whose proposal was funded.
LabelledChallenge LabelOutcomes(const domain::Challenge& challenge, const std::vector<domain::Coalition>& coalitions,
                                const std::unordered_set<CoalitionId>& funded);

struct OutcomeTrainingOptions {
  int pool = 50;           // best candidates by the linear score per challenge (besides those with an outcome)
  int min_outcomes = 20;   // invitations accepted or declined needed, over all challenges
  int min_challenges = 3;  // challenges whose candidates do not all have the same label
  LearnedParams params;
};

struct OutcomeTrainingReport {
  int challenges = 0;  // query groups trained on
  int outcomes = 0;    // invitations accepted or declined in them
  size_t rows = 0;     // candidates
};

struct TrainedModel {
  LearnedRanker model;
  OutcomeTrainingReport report;
};

// The candidates a training group is drawn from: the best `limit` by the linear score (no diversity
// re-ranking), each with every feature computed, also those of components at weight 0 (which a
// plain Rank skips: RankOptions::all_features). TrainOnOutcomes and the CORDIS evaluation's
// training (eval/product_cordis.h) both collect their rows here.
Result<std::vector<Match>> TrainingCandidates(const Matcher& matcher, const domain::Challenge& challenge, int limit,
                                              const MatchWeights& weights = {});

// FailedPrecondition ("too few outcomes ...") when the outcomes fall short of the options' minimums.
Result<TrainedModel> TrainOnOutcomes(const Matcher& matcher, const std::vector<LabelledChallenge>& challenges,
                                     const OutcomeTrainingOptions& options = {});

}  // namespace weefsel::match
