// service/field_files.h: the field tables (domain/fields/) as the columns of files: the export
// and import of entities (transfer.h) and the open data (open_data.h).
//
// A file's record of an entity has one column per field its consumer takes (fields::InExport,
// fields::InOpenData), in table order, under the field's name and with its API value (ids as
// numbers, enums by their codes). A field that refers to a municipality (Field::refers_to) is
// followed by "<name>_cbs_code", the municipality's CBS code, so that a file can be read against
// another database and joined with CBS statistics; the import takes either (see transfer.cc).
// In CSV, lists are joined by ';', an object of a list by ':' between its values
// ("zorg:2" for a capability need), a map as "key:value" pairs joined by ';'.
// Thread-safety: pure functions over constant tables.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/strings.h"
#include "domain/fields/entity_fields.h"

namespace weefsel::service::files {

namespace fields = domain::fields;
using Json = fields::Json;
using MunicipalityCodes = std::unordered_map<int64_t, std::string>;  // id -> CBS code

template <typename T>
struct Column {
  std::string name;
  const fields::Field<T>* field = nullptr;  // the field, or for a code column the id it follows
  bool cbs_code = false;                    // the CBS code of the municipality `field` names
};

inline std::string CbsCodeColumn(const std::string& field) { return field + "_cbs_code"; }

template <typename T, typename Take>
std::vector<Column<T>> ColumnsOf(const fields::FieldTable<T>& table, Take take) {
  std::vector<Column<T>> out;
  for (const auto& f : table.fields) {
    if (!take(f)) continue;
    out.push_back({f.name, &f, false});
    if (f.refers_to == "municipality") out.push_back({CbsCodeColumn(f.name), &f, true});
  }
  return out;
}

// The names of ColumnsOf(table, take).
template <typename T, typename Take>
std::vector<std::string> ColumnNames(const fields::FieldTable<T>& table, Take take) {
  std::vector<std::string> out;
  for (const auto& c : ColumnsOf(table, take)) out.push_back(c.name);
  return out;
}

// The column's value for `t` (a CBS code column: the code, or null when the id is unset or unknown).
template <typename T>
Json ValueOf(const Column<T>& c, const T& t, const MunicipalityCodes& codes) {
  if (!c.cbs_code) return c.field->encode(t);
  Json id = c.field->encode(t);
  if (!id.is_number_integer()) return nullptr;
  auto it = codes.find(id.get<int64_t>());
  return it == codes.end() ? Json(nullptr) : Json(it->second);
}

inline std::string NumberText(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

// A value as one CSV cell (the form of the header comment); null is the empty cell.
inline std::string Flatten(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return NumberText(v.get<double>());
  std::vector<std::string> parts;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (e.is_object()) {
        std::vector<std::string> values;
        for (const auto& x : e) values.push_back(Flatten(x));
        parts.push_back(Join(values, ":"));
      } else {
        parts.push_back(Flatten(e));
      }
    }
  } else {
    for (auto it = v.begin(); it != v.end(); ++it) parts.push_back(it.key() + ":" + Flatten(it.value()));
  }
  return Join(parts, ";");
}

}  // namespace weefsel::service::files
