// service/audit/audit_log.cc: the audit log of one entity (contract in audit_log.h).
#include "service/audit/audit_log.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using core::Dump;
using core::IdOrNull;
using core::Snap;
using domain::Role;
using J = nlohmann::json;

Result<std::vector<storage::AuditEntry>> AuditLog::AuditOf(const Principal& p, const std::string& entity, int64_t id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  static const std::set<std::string> kEntities = {
      "municipality", "actor", "tie",     "challenge", "coalition",      "proposal",    "round",
      "experiment",   "user",  "comment", "task",      "task_challenge", "introduction"};
  if (!kEntities.count(entity))
    return Status::InvalidArgument(
        "entity: must be one of municipality, actor, tie, challenge, coalition, proposal, "
        "round, experiment, user, comment, task, task_challenge, introduction");
  if (id < 1) return Status::InvalidArgument("id: must be a positive id");
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, store_->AuditOf(entity, id));
  // Whose log it is: the municipality of the latest entry (entities can move between
  // municipalities; the latest owner's officers read the whole history).
  MunicipalityId m = rows.empty() ? MunicipalityId() : rows.back().municipality;
  if (rows.empty() && !core::Allows(p, Action::kReadAudit, {}))
    return Status::NotFound("audit: no entries for " + entity + " " + std::to_string(id));
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kReadAudit, {.municipalities = {m}, .words = {{"entity", entity}, {"id", std::to_string(id)}}}));
  // Who acted, by name: the log's readers (officers, admins) may see the accounts' names.
  std::map<UserId, std::string> names;
  for (auto& row : rows) row.user_name = DisplayNameLocked(row.user, names);
  return rows;
}

}  // namespace weefsel::service
