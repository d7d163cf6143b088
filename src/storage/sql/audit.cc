// sql/audit.cc: the audit log.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {
// The row of an audit entry: the stored fields of its table, and the snapshots as the text they
// were written as (the table shows them parsed).
const RowMap<AuditEntry>& AuditRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<AuditEntry>("audit_log", domain::fields::AuditEntryFields());
    m->Also(domain::fields::Str("before", &AuditEntry::before, 0).Column("before_json"));
    m->Also(domain::fields::Str("after", &AuditEntry::after, 0).Column("after_json"));
    return m;
  }();
  return *rows;
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// The audit log.

Result<int64_t> SqlStore::Append(AuditEntry& e) {
  if (e.entity.empty() || e.action.empty()) return Status::InvalidArgument("audit: entity and action are required");
  AuditEntry fresh = e;
  fresh.id = 0;  // a new entry always gets a new id
  // One statement: atomic without a transaction (or a savepoint inside the caller's).
  auto [sql, params] = AuditRows().Insert(fresh);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
  const int64_t id = r.Int(0, 0);
  e.id = id;
  return id;
}

Result<std::vector<AuditEntry>> SqlStore::AuditOf(const std::string& entity, int64_t entity_id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(AuditRows().Select() + " WHERE entity = $1 AND entity_id = $2 ORDER BY id",
                                        {Text(entity), Int(entity_id)}));
  return AuditRows().Read(r);
}

}  // namespace weefsel::storage::sql
