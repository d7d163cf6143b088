// storage/store/network.h: the collaboration network: actors, the ties between them, and the
// stored snapshots of a municipality's fabric (its health and typology over time).
//
// What fabric/ and match/ read as their input. Thread-safety: as Store.
#pragma once

#include <string>
#include <vector>
#include "base/status.h"
#include "domain/fabric_snapshot.h"
#include "domain/model.h"
#include "storage/store/list_query.h"

namespace weefsel::storage {

using domain::FabricSnapshot;  // domain/fabric_snapshot.h

// Actors, ties and fabric snapshots.
class NetworkStore {
 public:
  virtual ~NetworkStore() = default;

  // Actors.
  virtual Result<ActorId> Insert(domain::Actor& a) = 0;
  virtual Status InsertActors(std::vector<domain::Actor>& actors) = 0;  // bulk; assigns ids
  virtual Status Update(const domain::Actor& a) = 0;
  virtual Status DeleteActor(ActorId id) = 0;  // and its ties
  virtual Result<domain::Actor> GetActor(ActorId id) = 0;
  virtual Result<std::vector<domain::Actor>> ListActors(const ListQuery& q = {}) = 0;
  // Ties (undirected; stored with a < b).
  virtual Result<TieId> Insert(domain::Tie& t) = 0;
  virtual Status InsertTies(std::vector<domain::Tie>& ties) = 0;  // bulk; assigns ids
  virtual Status DeleteTie(TieId id) = 0;
  virtual Result<std::vector<domain::Tie>> ListTies(const ListQuery& q = {}) = 0;  // municipality: either end's
  virtual Result<std::vector<domain::Tie>> TiesOf(ActorId actor) = 0;
  virtual Result<domain::Tie> GetTie(TieId id) = 0;  // NotFound when there is none

  // Fabric snapshots, oldest first.
  virtual Result<int64_t> Insert(FabricSnapshot& s) = 0;                          // assigns s.id; changes DataVersion()
  virtual Result<std::vector<FabricSnapshot>> SnapshotsOf(MunicipalityId m) = 0;  // oldest first
};

}  // namespace weefsel::storage
