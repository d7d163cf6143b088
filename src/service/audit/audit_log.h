// service/audit/audit_log.h: reading the audit log of one entity.
//
// Every write is audited by core::Context::Logged in the transaction that makes it; this slice
// reads one entity's entries back for the officers of its municipality and admins.
//
// Ownership: AuditLog borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/audit.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class AuditLog : private core::Slice {
 public:
  explicit AuditLog(core::Context& context) : Slice(context) {}

  // The audit log of one entity ("challenge", "round", "proposal", "coalition", "experiment",
  // "actor", "municipality", "tie", "user"): officers of its municipality and admins.
  Result<std::vector<domain::AuditEntry>> AuditOf(const Principal& p, const std::string& entity, int64_t id);
};

}  // namespace weefsel::service
