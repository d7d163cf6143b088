// storage/store/audit.h: the audit log: who changed what, when, with the entity before and after.
//
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/model.h"

namespace weefsel::storage {

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

// Audit.
class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // The audit log: appended in the transaction of the change it records; never
  // updated. Writing it does not change DataVersion() on its own.
  virtual Result<int64_t> Append(AuditEntry& e) = 0;
  virtual Result<std::vector<AuditEntry>> AuditOf(const std::string& entity, int64_t entity_id) = 0;  // oldest first
};

}  // namespace weefsel::storage
