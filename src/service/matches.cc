#include "service/matches.h"

#include <unordered_set>

namespace weefsel::service {
namespace {

// Actors, ties and the coalitions that are track record; not ballots, comments or rounds.
const std::vector<std::string>& MatcherScopes() {
  static const std::vector<std::string> kScopes = {"actors", "ties", "challenges", "coalitions"};
  return kScopes;
}

}  // namespace

Result<MatcherInputs> ReadMatcherInputs(storage::Store& store) {
  MatcherInputs in;
  WEEFSEL_ASSIGN_OR_RETURN(in.actors, store.ListActors());
  WEEFSEL_ASSIGN_OR_RETURN(in.ties, store.ListTies());
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store.ListChallenges());
  for (const auto& c : challenges) {
    WEEFSEL_ASSIGN_OR_RETURN(auto coalitions, store.CoalitionsOf(c.id));
    // Only formed coalitions are track record; Rank leaves out those of the challenge it ranks.
    for (auto& w : match::PastWorkFromCoalitions(c, coalitions)) in.past.push_back(std::move(w));
    for (const auto& o : match::OutcomesFromCoalitions(coalitions)) in.outcomes.push_back(o);
  }
  return in;
}

Result<match::Matcher> BuildMatcher(MatcherInputs in) {
  match::BuildOptions options;
  options.outcomes = std::move(in.outcomes);
  return match::Matcher::Build(std::move(in.actors), in.ties, in.past, {}, nullptr, options);
}

Result<match::TrainedModel> TrainMatchModel(storage::Store& store, const match::OutcomeTrainingOptions& options) {
  WEEFSEL_ASSIGN_OR_RETURN(MatcherInputs inputs, ReadMatcherInputs(store));
  std::vector<match::LabelledChallenge> labelled;
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store.ListChallenges());
  for (const auto& c : challenges) {
    WEEFSEL_ASSIGN_OR_RETURN(auto coalitions, store.CoalitionsOf(c.id));
    if (coalitions.empty()) continue;
    std::unordered_set<CoalitionId> funded;
    WEEFSEL_ASSIGN_OR_RETURN(auto proposals, store.ProposalsOf(c.id));
    for (const auto& p : proposals)
      if (p.status == "funded") funded.insert(p.coalition);
    labelled.push_back(match::LabelOutcomes(c, coalitions, funded));
  }
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

Result<Built<match::Matcher>> MatchService::Build() {
  WEEFSEL_ASSIGN_OR_RETURN(int64_t as_of, platform_.VersionOf(MatcherScopes()));
  MatcherInputs inputs;
  WEEFSEL_RETURN_IF_ERROR(platform_.WithReader([&](storage::Store& store) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(inputs, ReadMatcherInputs(store));
    return Status::Ok();
  }));
  WEEFSEL_ASSIGN_OR_RETURN(auto built, BuildMatcher(std::move(inputs)));
  return Built<match::Matcher>{as_of, std::make_shared<const match::Matcher>(std::move(built))};
}

Result<Stamped<match::Matcher>> MatchService::Snapshot() {
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.VersionOf(MatcherScopes()));
  return matcher_.Get(0, version, [this](const std::shared_ptr<const match::Matcher>&) { return Build(); });
}

void MatchService::Warm() {
  auto version = platform_.VersionOf(MatcherScopes());
  if (!version.ok()) return;
  matcher_.Warm(0, *version, [this](const std::shared_ptr<const match::Matcher>&) { return Build(); });
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
