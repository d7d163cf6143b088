// sql/municipalities.cc: municipalities and their appearance. The logo is kept as hex text of its
// bytes so that SQLite and PostgreSQL both hold it in a text column.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/hex.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Municipalities.

namespace {
// The row of a municipality: the stored fields of its table, and the search key.
const RowMap<Municipality>& MunicipalityRows() {
  static const auto* rows =
      new RowMap<Municipality>("municipalities", domain::fields::MunicipalityFields(),
                               {{"search_key", [](const Municipality& m) { return Text(FoldCase(m.name)); }}});
  return *rows;
}
}  // namespace

Result<std::vector<Municipality>> SqlStore::ReadMunicipalities(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(MunicipalityRows().Select() + tail, params));
  return MunicipalityRows().Read(r);
}

Result<MunicipalityId> SqlStore::Insert(Municipality& m) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  int64_t id = 0;
  Status s = Write([&]() -> Status {
    Touch("municipalities");
    auto [sql, p] = MunicipalityRows().Insert(m);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    id = r.Int(0, 0);
    if (m.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("municipalities"));
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "municipality"));
  m.id = MunicipalityId(id);
  return m.id;
}

Status SqlStore::Update(const Municipality& m) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  Status s = Write([&]() -> Status {
    Touch("municipalities");
    Touch(scope::Municipality(m.id));
    auto [sql, p] = MunicipalityRows().Update(m);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    if (r.empty()) return Status::NotFoundOf("municipality", m.id.value());
    return Status::Ok();
  });
  return Explain(s, "municipality");
}

Result<Municipality> SqlStore::GetMunicipality(MunicipalityId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadMunicipalities(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("municipality", id.value());
  return std::move(v[0]);
}

Result<Municipality> SqlStore::GetMunicipalityByCode(const std::string& cbs_code) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadMunicipalities(" WHERE cbs_code = $1", {Text(cbs_code)}));
  if (v.empty()) return Status::NotFound("municipality with CBS code '" + cbs_code + "' does not exist");
  return std::move(v[0]);
}

Result<std::vector<Municipality>> SqlStore::ListMunicipalities(const ListQuery& q) {
  Params p;
  Tail t(p);
  if (!q.search.empty()) t.Where("search_key LIKE " + t.Param(LikePattern(q.search)) + kLikeEscape);
  std::string where = t.WhereClause();
  WEEFSEL_ASSIGN_OR_RETURN(std::string order, OrderAndPage(q,
                                                           {{"name", "search_key", true},
                                                            {"cbs_code", "cbs_code", true},
                                                            {"province", "province", true},
                                                            {"population", "population", false}},
                                                           *conn_, t));
  return ReadMunicipalities(where + order, p);
}

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

}  // namespace weefsel::storage::sql
