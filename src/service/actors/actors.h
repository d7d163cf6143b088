// service/actors/actors.h: actors (the organisations of the network) and the ties between them.
//
// Public reads; officers of an actor's municipality and the actor's members change it; a tie
// is added or removed by whoever may change one of its two actors.
//
// Ownership: Actors borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/list_query.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class Actors : private core::Slice {
 public:
  explicit Actors(core::Context& context) : Slice(context) {}

  Result<std::vector<domain::Actor>> ListActors(const domain::ListQuery& q);
  Result<domain::Actor> GetActor(ActorId id);
  Result<domain::Actor> CreateActor(const Principal& p, domain::Actor a);
  Result<domain::Actor> UpdateActor(const Principal& p, ActorId id, const Patch<domain::Actor>& patch);
  Status DeleteActor(const Principal& p, ActorId id);
  Result<std::vector<domain::Tie>> ListTies(const domain::ListQuery& q);
  Result<std::vector<domain::Tie>> TiesOf(ActorId actor);
  Result<domain::Tie> CreateTie(const Principal& p, domain::Tie t);
  Status DeleteTie(const Principal& p, ActorId actor, TieId tie);
};

}  // namespace weefsel::service
