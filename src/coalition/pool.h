// coalition/pool.h: which actors a challenge's coalitions are formed from (the candidate pool).
//
// One function for the server (service/engines.cc) and the CLI (weefsel coalition). A
// neighbourhood challenge gets local coalitions: the pool holds the challenge's owner (as lead),
// the best-ranked actors of the challenge's own municipality, and for every needed capability and
// every sector of the sector mix the best local actors that have it; an actor of the challenge's
// wijk (area) gets a small relevance bonus. Actors from other municipalities join only where the
// local pool falls short (no local holder of a capability; fewer local actors of a sector than the
// mix asks for), each with the reason (Candidate::why), and the shortfall is said in a sentence.
// Among outsiders the ranking decides, and the matcher already ranks neighbouring municipalities
// above distant ones. A challenge without a municipality treats every actor as local.
//
// Ownership: results are values; the lookup is only called during the call. Thread-safety:
// reentrant.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"
#include "coalition/coalition.h"
#include "domain/model.h"

namespace weefsel::coalition {

struct RankedActor {
  ActorId actor;
  double score = 0;  // the match score (relevance)
};

// The actor with that id, or nullptr when unknown.
using ActorLookup = std::function<const domain::Actor*(ActorId)>;

struct PoolOptions {
  int best = 60;             // best-ranked local actors taken
  int per_capability = 3;    // best holders taken per needed capability
  int per_sector_extra = 2;  // actors per sector of the mix beyond the count it asks for
  double area_bonus = 0.05;  // relevance added for an actor of the challenge's wijk
};

struct Pool {
  std::vector<Candidate> candidates;
  std::optional<int> lead;             // the owner's index, when the challenge has one
  std::vector<std::string> shortfall;  // what the local pool lacks, one sentence each
};

// `ranked`: every actor worth considering, best first (the owner may be absent).
Pool PoolCandidates(const domain::Challenge& challenge, const std::vector<RankedActor>& ranked,
                    const ActorLookup& actor, const PoolOptions& options = {});

}  // namespace weefsel::coalition
