// service/snapshots.h: the fabric over time, stored: snapshots of a municipality's fabric (health
// indicators and typology) taken monthly and on demand, the typology's stability between
// consecutive snapshots, and the ties each coalition added.
//
// A snapshot measures the fabric of the municipality's actors and their active ties (both ends in
// the municipality) with fabric::MeasureHealth and fabric::FindTypology (seeded: the same data
// gives the same snapshot) and stores both as JSON (domain::FabricSnapshot). The monthly snapshot
// is taken by `weefsel fabric snapshot` (cron) for every municipality, and by the server when the
// snapshots of a municipality are listed and the month changed since its last snapshot; officers
// take one on demand. Stability between two snapshots is the adjusted Rand index and normalised
// mutual information of their typologies over the actors present in both (fabric/health.h).
// The ties a coalition added are the ties between two of its accepted members that began on or
// after the day the coalition was formed.
//
// Ownership: refers to a Platform that must outlive it; no state of its own.
// Thread-safety: as Platform (store access under its lock; the measuring runs outside it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/fabric_snapshot.h"
#include "domain/model.h"
#include "fabric/health.h"
#include "service/core/store_fwd.h"
#include "service/platform.h"

namespace weefsel::service {

struct SnapshotWithStability {
  domain::FabricSnapshot snapshot;
  std::optional<fabric::TypologyStability> since_previous;  // unset for the first
};

struct CoalitionTies {
  domain::Coalition coalition;
  std::string since;  // the day the coalition was formed (YYYY-MM-DD)
  std::vector<domain::Tie> ties;
};

// Measures the municipality's fabric now (pure given the store's data; labels with `period`).
Result<domain::FabricSnapshot> MeasureSnapshot(storage::Store& store, MunicipalityId m, const std::string& taken_at,
                                               const std::string& trigger);

// Takes the monthly snapshot of every municipality (or only `only`, when valid) whose last snapshot
// is of an earlier month than `now` (ISO 8601), or that has none. Returns how many were taken.
Result<int> TakeMonthlySnapshots(storage::Store& store, const std::string& now, MunicipalityId only = {});

class SnapshotService {
 public:
  explicit SnapshotService(Platform& platform) : platform_(platform) {}

  // Officers of the municipality (and admins): a snapshot now.
  Result<domain::FabricSnapshot> Take(const Principal& p, MunicipalityId m);
  // Public: the stored snapshots, oldest first, each with the typology's stability since the one
  // before; takes this month's snapshot first when it is due.
  Result<std::vector<SnapshotWithStability>> List(MunicipalityId m);
  // Public: the ties between the coalition's accepted members that began since it was formed.
  Result<CoalitionTies> TiesOf(CoalitionId id);

 private:
  Platform& platform_;
};

}  // namespace weefsel::service
