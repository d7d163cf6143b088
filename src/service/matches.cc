#include "service/matches.h"

#include <algorithm>
#include <map>
#include <thread>
#include <unordered_set>

#include "base/log.h"
#include "base/strings.h"
#include "base/thread_priority.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

// Actors, ties and the coalitions that are track record; not ballots, comments or rounds.
const std::vector<std::string>& MatcherScopes() {
  static const std::vector<std::string> kScopes = {"actors", "ties", "challenges", "coalitions"};
  return kScopes;
}

}  // namespace

namespace {

// The challenges' ids, for the batched reads below.
std::vector<ChallengeId> IdsOf(const std::vector<domain::Challenge>& challenges) {
  std::vector<ChallengeId> ids;
  ids.reserve(challenges.size());
  for (const auto& c : challenges) ids.push_back(c.id);
  return ids;
}

// Calls fn(challenge, its coalitions) for each challenge, from one read of every coalition
// (CoalitionsOfChallenges: by challenge, then id) instead of one read per challenge.
template <typename Fn>
Status ForEachChallengeWithCoalitions(storage::Store& store, const std::vector<domain::Challenge>& challenges, Fn fn) {
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store.CoalitionsOfChallenges(IdsOf(challenges)));
  std::map<ChallengeId, std::vector<domain::Coalition>> by_challenge;
  for (auto& co : all) by_challenge[co.challenge].push_back(std::move(co));
  static const std::vector<domain::Coalition> kNone;
  for (const auto& c : challenges) {
    auto it = by_challenge.find(c.id);
    WEEFSEL_RETURN_IF_ERROR(fn(c, it == by_challenge.end() ? kNone : it->second));
  }
  return Status::Ok();
}

}  // namespace

Result<MatcherInputs> ReadMatcherInputs(storage::Store& store) {
  MatcherInputs in;
  WEEFSEL_ASSIGN_OR_RETURN(in.actors, store.ListActors());
  WEEFSEL_ASSIGN_OR_RETURN(in.ties, store.ListTies());
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store.ListChallenges());
  WEEFSEL_RETURN_IF_ERROR(ForEachChallengeWithCoalitions(
      store, challenges, [&](const domain::Challenge& c, const std::vector<domain::Coalition>& coalitions) {
        // Only formed coalitions are track record; Rank leaves out those of the challenge it ranks.
        for (auto& w : match::PastWorkFromCoalitions(c, coalitions)) in.past.push_back(std::move(w));
        for (const auto& o : match::OutcomesFromCoalitions(coalitions)) in.outcomes.push_back(o);
        return Status::Ok();
      }));
  return in;
}

Result<match::Matcher> BuildMatcher(MatcherInputs in) {
  match::BuildOptions options;
  options.outcomes = std::move(in.outcomes);
  return match::Matcher::Build(std::move(in.actors), in.ties, in.past, {}, nullptr, options);
}

Result<std::vector<match::LabelledChallenge>> ReadLabelledChallenges(storage::Store& store) {
  std::vector<match::LabelledChallenge> labelled;
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store.ListChallenges());
  WEEFSEL_RETURN_IF_ERROR(ForEachChallengeWithCoalitions(
      store, challenges, [&](const domain::Challenge& c, const std::vector<domain::Coalition>& coalitions) -> Status {
        if (coalitions.empty()) return Status::Ok();
        std::unordered_set<CoalitionId> funded;
        WEEFSEL_ASSIGN_OR_RETURN(auto proposals, store.ProposalsOf(c.id));
        for (const auto& p : proposals)
          if (p.status == "funded") funded.insert(p.coalition);
        labelled.push_back(match::LabelOutcomes(c, coalitions, funded));
        return Status::Ok();
      }));
  return labelled;
}

Result<match::TrainedModel> TrainMatchModel(storage::Store& store, const match::OutcomeTrainingOptions& options) {
  WEEFSEL_ASSIGN_OR_RETURN(MatcherInputs inputs, ReadMatcherInputs(store));
  WEEFSEL_ASSIGN_OR_RETURN(auto labelled, ReadLabelledChallenges(store));
  WEEFSEL_ASSIGN_OR_RETURN(match::Matcher matcher, BuildMatcher(std::move(inputs)));
  return match::TrainOnOutcomes(matcher, labelled, options);
}

std::shared_ptr<const match::LearnedRanker> LoadMatchModelOrLinear(const std::string& path, std::string& message) {
  auto model = match::LearnedRanker::Load(path, match::Matcher::FeatureNames());
  if (!model.ok()) {
    message = model.status().message() + "; matches use the linear score";
    return nullptr;
  }
  message = "match model " + path + " loaded: matches are re-scored by it";
  return std::make_shared<const match::LearnedRanker>(std::move(model).value());
}

Result<std::optional<match::MatcherChanges>> MatchService::ChangesFrom(const std::vector<std::string>& scopes,
                                                                       const match::Matcher& matcher) {
  const std::optional<match::MatcherChanges> kWhole;  // a whole build is needed
  std::vector<ActorId> actors;
  std::vector<TieId> ties;
  std::vector<ChallengeId> challenges;
  for (const std::string& scope : scopes) {
    // A kind without its items (a bulk write, a deleted actor) or everything: build afresh.
    if (scope == storage::scope::kAll || scope == "actors" || scope == "ties") return kWhole;
    auto id = [&](size_t prefix) { return ParseInt(std::string_view(scope).substr(prefix)); };
    if (scope.starts_with("actor:")) {
      auto n = id(6);
      if (!n) return kWhole;
      actors.emplace_back(*n);
    } else if (scope.starts_with("tie:")) {
      auto n = id(4);
      if (!n) return kWhole;
      ties.emplace_back(*n);
    } else if (scope.starts_with("challenge:")) {
      auto n = id(10);
      if (!n) return kWhole;
      challenges.emplace_back(*n);
    }
    // "challenges" and "coalitions" come with the challenge's own scope (storage/store.h); the
    // other scopes (rounds, fabrics, municipalities, ...) are not the matcher's.
  }
  match::MatcherChanges changes;
  bool whole = false;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read([&](storage::Store& store) -> Status {
    for (ActorId a : actors) {
      auto actor = store.GetActor(a);
      if (actor.status().code() == StatusCode::kNotFound) {
        whole = true;  // deleted: its place in the dense index goes with a whole build
        return Status::Ok();
      }
      WEEFSEL_RETURN_IF_ERROR(actor.status());
      changes.actors.push_back(std::move(actor).value());
    }
    for (TieId t : ties) {
      auto tie = store.GetTie(t);
      if (tie.status().code() == StatusCode::kNotFound) {
        changes.ties_removed.push_back(t);
        continue;
      }
      WEEFSEL_RETURN_IF_ERROR(tie.status());
      changes.ties_added.push_back(std::move(tie).value());
    }
    for (ChallengeId c : challenges) {
      auto challenge = store.GetChallenge(c);
      std::vector<match::PastWork> past;
      if (challenge.ok()) {
        WEEFSEL_ASSIGN_OR_RETURN(auto coalitions, store.CoalitionsOf(c));
        past = match::PastWorkFromCoalitions(*challenge, coalitions);
        changes.outcomes[c] = match::OutcomesFromCoalitions(coalitions);
      } else if (challenge.status().code() == StatusCode::kNotFound) {
        changes.outcomes[c] = {};
      } else {
        return challenge.status();
      }
      std::sort(past.begin(), past.end(), [](const match::PastWork& a, const match::PastWork& b) {
        return a.actor != b.actor ? a.actor < b.actor : a.text < b.text;
      });
      auto held = matcher.PastWorkFor(c);
      auto same = [](const match::PastWork& a, const match::PastWork& b) {
        return a.actor == b.actor && a.text == b.text && a.challenge == b.challenge;
      };
      if (!std::equal(past.begin(), past.end(), held.begin(), held.end(), same)) {
        whole = true;  // track record changed: the work index and the records go with a whole build
        return Status::Ok();
      }
    }
    return Status::Ok();
  }));
  if (whole) return kWhole;
  return std::optional<match::MatcherChanges>(std::move(changes));
}

Result<Built<match::Matcher>> MatchService::Build(const std::shared_ptr<const match::Matcher>& previous) {
  WEEFSEL_ASSIGN_OR_RETURN(int64_t as_of, platform_.VersionOf(MatcherScopes()));
  // An update in place of the matcher served now, when the changes since it allow one.
  if (previous && live_ && previous.get() == live_.get()) {
    if (auto scopes = platform_.ChangedSince(live_as_of_)) {
      auto changes = ChangesFrom(*scopes, *live_);
      if (!changes.ok()) return changes.status();
      if (*changes) {
        const size_t n = (*changes)->actors.size() + (*changes)->ties_added.size() + (*changes)->ties_removed.size();
        const size_t limit = std::max<size_t>(kWholeBuildAfter, live_->actors().size() / 10);
        if (changed_since_whole_ + n <= limit) {
          Status applied = live_->Update(**changes);
          if (applied.ok()) {
            changed_since_whole_ += n;
            live_as_of_ = as_of;
            ++updates_;
            return Built<match::Matcher>{as_of, previous};
          }
          spdlog::warn("matcher: an update in place failed, building afresh: {}", applied.ToString());
        }
      }
    }
  }
  // A whole build takes a core for a minute on the national demo: it runs on a thread of its own,
  // BuildWorker::kNice steps below the requests (an update in place above runs at their priority,
  // as it holds the lock every ranking needs, and takes milliseconds).
  Result<match::Matcher> built = Status::Internal("matcher: the whole build did not run");
  std::thread whole([&] {
    LowerThreadPriority(BuildWorker::kNice);
    try {
      MatcherInputs inputs;
      Status read = platform_.engine_store().Read([&](storage::Store& store) -> Status {
        WEEFSEL_ASSIGN_OR_RETURN(inputs, ReadMatcherInputs(store));
        return Status::Ok();
      });
      built = read.ok() ? BuildMatcher(std::move(inputs)) : Result<match::Matcher>(read);
    } catch (const std::exception& e) {
      built = Status::Internal(std::string("matcher: the whole build failed: ") + e.what());
    }
  });
  whole.join();
  if (!built.ok()) return built.status();
  live_ = std::make_shared<match::Matcher>(std::move(built).value());
  live_as_of_ = as_of;
  changed_since_whole_ = 0;
  ++whole_builds_;
  return Built<match::Matcher>{as_of, live_};
}

Result<Stamped<match::Matcher>> MatchService::Snapshot() {
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.VersionOf(MatcherScopes()));
  return matcher_.Get(0, version,
                      [this](const std::shared_ptr<const match::Matcher>& previous) { return Build(previous); });
}

void MatchService::Warm() {
  auto version = platform_.VersionOf(MatcherScopes());
  if (!version.ok()) return;
  matcher_.Warm(0, *version, [this](const std::shared_ptr<const match::Matcher>& previous) { return Build(previous); });
}

Result<RankedMatches> MatchService::MatchesFor(ChallengeId id, int limit) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, platform_.GetChallenge(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto matcher, Snapshot());
  match::RankOptions options;
  options.limit = limit;
  const std::shared_ptr<const match::LearnedRanker> model = this->model();  // kept for the whole ranking
  options.learned = model.get();
  RankedMatches out;
  WEEFSEL_ASSIGN_OR_RETURN(out.items, matcher.value->Rank(challenge, options));
  out.as_of = matcher.as_of;
  out.stale = matcher.stale;
  return out;
}

std::vector<std::string> MatchService::Errors() const {
  return matcher_.Errors([](int) { return std::string("(all municipalities)"); });
}

}  // namespace weefsel::service
