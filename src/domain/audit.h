// domain/audit.h: one line of the audit log, as the store keeps it and the service and the API
// show it.
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

// One line of the audit log: who changed what, when, with the entity before and after (JSON
// text; empty when there is no before or after). The log outlives accounts and entities, so it has
// no foreign keys.
struct AuditEntry {
  int64_t id = 0;
  std::string at;               // ISO 8601 UTC
  UserId user;                  // unset for changes made by the system
  MunicipalityId municipality;  // whose officers may read it
  std::string entity;           // "challenge", "round", "proposal", ...
  int64_t entity_id = 0;
  std::string action;  // "create", "update", "phase", "status", ...
  std::string before, after;
  // The acting account's display name, filled in by the service for the log's readers ("" for the
  // system or a deleted account); not stored.
  std::string user_name;
};

}  // namespace weefsel::domain
