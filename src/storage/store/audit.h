// storage/store/audit.h: the audit log: who changed what, when, with the entity before and after.
//
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/audit.h"
#include "domain/model.h"

namespace weefsel::storage {

using domain::AuditEntry;  // domain/audit.h

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
