#include "service/matches.h"

namespace weefsel::service {

Result<std::shared_ptr<const match::Matcher>> MatchService::Snapshot() {
  // Actors, ties and the coalitions that are track record; not ballots, comments or rounds.
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.VersionOf({"actors", "ties", "challenges", "coalitions"}));
  std::lock_guard lock(build_mu_);
  if (matcher_ && version_ == version) return matcher_;
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;
  std::vector<match::PastWork> past;
  WEEFSEL_RETURN_IF_ERROR(platform_.WithStore([&](storage::Store& store) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(actors, store.ListActors());
    WEEFSEL_ASSIGN_OR_RETURN(ties, store.ListTies());
    WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store.ListChallenges());
    for (const auto& c : challenges) {
      WEEFSEL_ASSIGN_OR_RETURN(auto coalitions, store.CoalitionsOf(c.id));
      // Only formed coalitions are track record; Rank leaves out those of the challenge it ranks.
      for (auto& w : match::PastWorkFromCoalitions(c, coalitions)) past.push_back(std::move(w));
    }
    return Status::Ok();
  }));
  WEEFSEL_ASSIGN_OR_RETURN(auto built, match::Matcher::Build(std::move(actors), ties, past));
  matcher_ = std::make_shared<const match::Matcher>(std::move(built));
  version_ = version;
  return matcher_;
}

Result<std::vector<match::Match>> MatchService::MatchesFor(ChallengeId id, int limit) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, platform_.GetChallenge(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto matcher, Snapshot());
  match::RankOptions options;
  options.limit = limit;
  return matcher->Rank(challenge, options);
}

}  // namespace weefsel::service
