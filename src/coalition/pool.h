// coalition/pool.h: the candidates a coalition is formed from, for one challenge. One function,
// used by the server (service/engines.cc) and the CLI (`weefsel coalition`).
//
// PoolCandidates turns a ranking of actors (from match::Matcher::Rank, passed as plain pairs so that
// this module does not depend on match/) into coalition candidates and the challenge's rules:
//   * the challenge's owner is the lead;
//   * locality: for a challenge in a municipality, candidates come from that municipality; actors
//     in the challenge's wijk (Actor::area equal to Challenge::area) are preferred (relevance
//     + kWijkBonus); an actor of a neighbouring municipality is admitted only for a requirement
//     (capability or sector) the municipality itself cannot meet, and carries that reason; actors
//     from elsewhere are never admitted. A challenge without a municipality pools from everyone;
//   * beyond the best-ranked (PoolRequest::candidates), the 3 best local holders of every needed
//     capability and the best count + 2 local actors of every sector the mix asks for, so that a
//     requirement fails only when the area cannot meet it;
//   * what cannot be met is named, requirement by requirement ("capability:zorg" with "too few local
//     organisations with capability 'zorg': ...").
// Ownership: results are values; the actor lookup is borrowed for the call. Thread-safety: reentrant.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/ids.h"
#include "coalition/coalition.h"
#include "domain/model.h"

namespace weefsel::coalition {

// Where a candidate is based, relative to the challenge.
enum class Locality { kAnywhere, kWijk, kMunicipality, kNeighbour };
std::string_view LocalityCode(Locality l);  // "anywhere", "wijk", "municipality", "neighbour"

struct RankedActor {
  ActorId actor;
  double score = 0;
};

struct PoolRequest {
  int candidates = 60;                   // best-ranked (admissible) actors taken before the per-requirement ones
  int max_size = 0;                      // 0: the challenge's max_coalition_size
  std::optional<domain::SectorMix> mix;  // overrides the challenge's sector mix
};

struct PooledCandidate {
  MunicipalityId municipality;
  std::string area;
  Locality locality = Locality::kAnywhere;
  std::string why;  // for a neighbour: the requirement it was admitted for
};

struct Pool {
  std::vector<Candidate> candidates;    // candidates[0] is the lead when rules.lead is set
  std::vector<PooledCandidate> places;  // per candidate
  Rules rules;
  // Unmet requirements: (requirement, sentence), e.g. ("capability:zorg", "too few local ...").
  std::vector<std::pair<std::string, std::string>> unmet;
};

inline constexpr double kWijkBonus = 0.1;

// `actor_of` returns the actor with that id (nullptr: unknown, skipped); `ranked` is best first and
// may hold every actor; `neighbours` are the challenge municipality's neighbours.
Pool PoolCandidates(const domain::Challenge& challenge, const std::vector<RankedActor>& ranked,
                    const std::function<const domain::Actor*(ActorId)>& actor_of,
                    const std::unordered_set<MunicipalityId>& neighbours, const PoolRequest& request);

}  // namespace weefsel::coalition
