// SqlStore, migration 13: how a municipality's pages look (see store.h for the contract). The logo
// is kept as hex text of its bytes so that SQLite and PostgreSQL both hold it in a text column.
#include <string>
#include <vector>

#include "storage/hex.h"
#include "storage/sql_store.h"

namespace weefsel::storage {

namespace {}  // namespace

Result<domain::Appearance> SqlStore::GetAppearance(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT theme, display_name, logo_type, logo_hex, updated_at "
                                        "FROM municipality_appearance WHERE municipality_id = $1",
                                        {SqlValue(m.value())}));
  domain::Appearance a;
  a.municipality = m;
  if (r.empty()) return a;
  a.theme = r.Str(0, 0);
  a.display_name = r.Str(0, 1);
  a.logo_type = r.Str(0, 2);
  WEEFSEL_ASSIGN_OR_RETURN(a.logo, BytesOfHex(r.Str(0, 3), "municipality_appearance", "logo_hex", m.value()));
  a.updated_at = r.Str(0, 4);
  return a;
}

Status SqlStore::PutAppearance(const domain::Appearance& a) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  Status st = Write([&]() -> Status {
    Touch(scope::Municipality(a.municipality));
    WEEFSEL_RETURN_IF_ERROR(
        Q("DELETE FROM municipality_appearance WHERE municipality_id = $1", {SqlValue(a.municipality.value())})
            .status());
    return Q("INSERT INTO municipality_appearance (municipality_id, theme, display_name, logo_type, logo_hex, "
             "updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
             {SqlValue(a.municipality.value()), SqlValue(a.theme), SqlValue(a.display_name), SqlValue(a.logo_type),
              SqlValue(HexOf(a.logo)), SqlValue(a.updated_at)})
        .status();
  });
  return Explain(st, "appearance", {{"appearance.municipality", "municipalities", a.municipality.value()}});
}

}  // namespace weefsel::storage
