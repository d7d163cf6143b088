// sql/audit.cc: the audit log.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// The audit log and reviews.

Result<int64_t> SqlStore::Append(AuditEntry& e) {
  if (e.entity.empty() || e.action.empty()) return Status::InvalidArgument("audit: entity and action are required");
  // One statement: atomic without a transaction (or a savepoint inside the caller's).
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("INSERT INTO audit_log (at, user_id, municipality_id, entity, entity_id, action, before_json, "
                   "after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                   {Text(e.at), IdOrNull(e.user), IdOrNull(e.municipality), Text(e.entity), Int(e.entity_id),
                    Text(e.action), Text(e.before), Text(e.after)}));
  const int64_t id = r.Int(0, 0);
  e.id = id;
  return id;
}

Result<std::vector<AuditEntry>> SqlStore::AuditOf(const std::string& entity, int64_t entity_id) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id, at, user_id, municipality_id, entity, entity_id, action, before_json, after_json "
                   "FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
                   {Text(entity), Int(entity_id)}));
  std::vector<AuditEntry> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& e = out[i];
    e.id = r.Int(i, 0);
    e.at = r.Str(i, 1);
    e.user = UserId(r.Null(i, 2) ? 0 : r.Int(i, 2));
    e.municipality = MunicipalityId(r.Null(i, 3) ? 0 : r.Int(i, 3));
    e.entity = r.Str(i, 4);
    e.entity_id = r.Int(i, 5);
    e.action = r.Str(i, 6);
    e.before = r.Str(i, 7);
    e.after = r.Str(i, 8);
  }
  return out;
}

}  // namespace weefsel::storage::sql
