// sql/municipalities.cc: municipalities and their appearance. The logo is kept as hex text of its
// bytes so that SQLite and PostgreSQL both hold it in a text column.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "storage/hex.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Municipalities.

namespace {
constexpr const char* kMunicipalityColumns =
    "SELECT id, cbs_code, name, province, population, lat, lon FROM municipalities";
}

Result<std::vector<Municipality>> SqlStore::ReadMunicipalities(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kMunicipalityColumns) + tail, params));
  std::vector<Municipality> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Municipality& m = out[i];
    m.id = MunicipalityId(r.Int(i, 0));
    m.cbs_code = r.Str(i, 1);
    m.name = r.Str(i, 2);
    m.province = r.Str(i, 3);
    m.population = r.Int(i, 4);
    m.lat = r.Dbl(i, 5);
    m.lon = r.Dbl(i, 6);
  }
  return out;
}

Result<MunicipalityId> SqlStore::Insert(Municipality& m) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  int64_t id = 0;
  Status s = Write([&]() -> Status {
    Touch("municipalities");
    Params p{Text(m.cbs_code), Text(m.name), Text(FoldCase(m.name)), Text(m.province), Int(m.population), m.lat, m.lon};
    std::string cols = "cbs_code, name, search_key, province, population, lat, lon";
    std::string vals = "$1, $2, $3, $4, $5, $6, $7";
    if (m.id.valid()) {
      p.push_back(Int(m.id.value()));
      cols += ", id";
      vals += ", $8";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO municipalities (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
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
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE municipalities SET cbs_code = $1, name = $2, search_key = $3, province = $4, population = $5, "
          "lat = $6, lon = $7 WHERE id = $8 RETURNING id",
          {Text(m.cbs_code), Text(m.name), Text(FoldCase(m.name)), Text(m.province), Int(m.population), m.lat, m.lon,
           Int(m.id.value())}));
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
