#include "service/matches.h"

namespace weefsel::service {
namespace {

// Actors, ties and the coalitions that are track record; not ballots, comments or rounds.
const std::vector<std::string>& MatcherScopes() {
  static const std::vector<std::string> kScopes = {"actors", "ties", "challenges", "coalitions"};
  return kScopes;
}

}  // namespace

Result<Built<match::Matcher>> MatchService::Build() {
  WEEFSEL_ASSIGN_OR_RETURN(int64_t as_of, platform_.VersionOf(MatcherScopes()));
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;
  std::vector<match::PastWork> past;
  WEEFSEL_RETURN_IF_ERROR(platform_.WithReader([&](storage::Store& store) -> Status {
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
