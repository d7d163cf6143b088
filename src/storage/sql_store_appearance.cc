// SqlStore, migration 13: how a municipality's pages look (see store.h for the contract). The logo
// is kept as hex text of its bytes so that SQLite and PostgreSQL both hold it in a text column.
#include <string>
#include <vector>

#include "storage/sql_store.h"

namespace weefsel::storage {

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

Result<std::string> Unhex(std::string_view hex, int64_t row) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2) return Status::Internal("municipality_appearance row " + std::to_string(row) + ": odd logo_hex");
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return Status::Internal("municipality_appearance row " + std::to_string(row) + ": logo_hex is not hex");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

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
  WEEFSEL_ASSIGN_OR_RETURN(a.logo, Unhex(r.Str(0, 3), m.value()));
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
              SqlValue(Hex(a.logo)), SqlValue(a.updated_at)})
        .status();
  });
  return Explain(st, "appearance", {{"appearance.municipality", "municipalities", a.municipality.value()}});
}

}  // namespace weefsel::storage
