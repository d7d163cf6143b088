// service/matches.h: the actors that fit a challenge, from the match engine on a store snapshot.
//
// MatchService reads a snapshot of the store (actors, ties, and as past work the challenges whose
// coalitions an actor joined) and builds a match::Matcher from it on a build worker of its own
// (service/published.h), never on the request thread. The matcher is kept until the version of its
// scopes (actors, ties, challenges, coalitions) moves; then one build is queued, and it is an
// update in place when it can be (issue 16 item 3): the scopes changed since the matcher's version
// (Platform::ChangedSince) name the actors, ties and challenges written, the service reads just
// those and applies them (match::Matcher::Update), in milliseconds on 250,000 actors. It builds
// afresh when the changes name a kind without its items (a bulk import, a deleted actor), a past
// work changed (a coalition formed, a challenge's text edited), the platform no longer remembers
// the changes, or kWholeBuildAfter changes have been applied since the last whole build (an update
// keeps the groups of the whole build; a new actor has none until then). When the wait given runs
// out first, the previous matcher answers, marked stale, with the version it was built at.
// Ranking on a built Matcher runs concurrently.
// With a learned model (match/learned.h, loaded at start by the caller, and swapped by SetModel
// when service/match_retrain.h retrains it), the matches are re-scored by it (the matcher's second
// stage); without one, the linear score.
// TrainMatchModel trains that model on the store's outcomes (invitations accepted and declined,
// coalitions formed, proposals funded; match/outcomes.h): `weefsel match train`.
// Ownership: borrows the Platform and the worker (both outlive it; stop the worker first).
// Thread-safety: thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "match/learned.h"
#include "match/matcher.h"
#include "match/outcomes.h"
#include "service/core/store_fwd.h"
#include "service/platform.h"
#include "service/published.h"

namespace weefsel::service {

struct RankedMatches {
  std::vector<match::Match> items;
  int64_t as_of = -1;  // the data version the matcher was built at
  bool stale = false;  // the data have moved on; a rebuild is under way
};

// What the matcher is built from, read from a store: actors, ties, past work (the accepted members
// of formed coalitions) and invitation outcomes.
struct MatcherInputs {
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;
  std::vector<match::PastWork> past;
  std::vector<match::Outcome> outcomes;
};
Result<MatcherInputs> ReadMatcherInputs(storage::Store& store);
Result<match::Matcher> BuildMatcher(MatcherInputs inputs);

// The challenges with coalitions, each with its candidates' labels (match::LabelOutcomes): the
// outcomes the learned stage is trained on.
Result<std::vector<match::LabelledChallenge>> ReadLabelledChallenges(storage::Store& store);
// Trains the learned stage on the store's outcomes, with a matcher built from the store (`weefsel
// match train`; a server trains on the matcher it serves, MatchService::Snapshot, instead of a
// second one). FailedPrecondition ("too few outcomes ...") when there are too few; nothing is
// trained then.
Result<match::TrainedModel> TrainMatchModel(storage::Store& store, const match::OutcomeTrainingOptions& options = {});

// The model at `path` for MatchService (its features checked against the matcher's), or nullptr
// and, in `message`, why not and that the matches use the linear score: a missing or bad model file
// never stops the server (`weefsel serve --match-model`, docs/matching.md).
std::shared_ptr<const match::LearnedRanker> LoadMatchModelOrLinear(const std::string& path, std::string& message);

class MatchService {
 public:
  MatchService(Platform& platform, BuildWorker& worker, std::optional<std::chrono::milliseconds> wait,
               std::shared_ptr<const match::LearnedRanker> model = nullptr,
               std::optional<std::chrono::milliseconds> first_wait = std::nullopt)
      : platform_(platform), model_(std::move(model)), matcher_(worker, "matcher", wait, first_wait) {}

  // The best `limit` actors for the challenge, with their reasons. NotFound for an unknown challenge.
  Result<RankedMatches> MatchesFor(ChallengeId id, int limit);
  // The published matcher (built if there is none yet); shared with the coalition service.
  Result<Stamped<match::Matcher>> Snapshot();
  // Queues a build when the matcher is missing or old; returns at once.
  void Warm();
  // The last build's error, if it failed ("matcher: ...").
  std::vector<std::string> Errors() const;
  // 1 while the matcher's first build is queued or running, else 0.
  int64_t Unbuilt() const { return matcher_.Unbuilt(); }
  int64_t builds() const { return matcher_.builds(); }
  // Of those, the whole builds and the updates in place (tests, metrics).
  int64_t whole_builds() const { return whole_builds_.load(); }
  int64_t updates() const { return updates_.load(); }
  // The learned model the matches are re-scored with (nullptr: the linear score).
  std::shared_ptr<const match::LearnedRanker> model() const {
    std::lock_guard<std::mutex> lock(model_mu_);
    return model_;
  }
  // Swaps in another model (a retrained one); rankings under way finish with the one they took.
  void SetModel(std::shared_ptr<const match::LearnedRanker> model) {
    std::lock_guard<std::mutex> lock(model_mu_);
    model_ = std::move(model);
  }

 private:
  Result<Built<match::Matcher>> Build(const std::shared_ptr<const match::Matcher>& previous);
  // The changes named by `scopes` read from the store, or nullopt when they need a whole build.
  Result<std::optional<match::MatcherChanges>> ChangesFrom(const std::vector<std::string>& scopes,
                                                           const match::Matcher& matcher);

  Platform& platform_;
  // The matcher last built, which updates change in place, its version, and the changes applied
  // since its whole build. Touched by builds only, which run one at a time on the worker.
  std::shared_ptr<match::Matcher> live_;
  int64_t live_as_of_ = -1;
  size_t changed_since_whole_ = 0;
  std::atomic<int64_t> whole_builds_{0}, updates_{0};
  // Changes applied in place before a whole build (or a tenth of the actors, when more).
  static constexpr size_t kWholeBuildAfter = 1000;
  mutable std::mutex model_mu_;
  std::shared_ptr<const match::LearnedRanker> model_;  // guarded by model_mu_
  Published<int, match::Matcher> matcher_;             // one key: the whole platform
};

}  // namespace weefsel::service
