// domain/fabric_snapshot.h: a stored snapshot of a municipality's fabric (its health and typology
// over time).
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

// A stored snapshot of a municipality's fabric: the health indicators and the
// typology as JSON text, taken monthly or on demand.
struct FabricSnapshot {
  int64_t id = 0;
  MunicipalityId municipality;
  std::string taken_at;  // ISO 8601 UTC
  std::string period;    // "2026-11": the month it stands for
  std::string trigger;   // "monthly" or "on_demand"
  std::string health;    // JSON object
  std::string typology;  // JSON object
};

}  // namespace weefsel::domain
