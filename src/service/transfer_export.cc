// service/transfer_export.cc: exporting entities as CSV and JSON files, and the data summary
// (contract in transfer.h; the import is in transfer.cc).
#include "service/transfer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/csv.h"
#include "base/strings.h"
#include "service/field_files.h"
#include "storage/store.h"

namespace weefsel::service {

using domain::Actor;
using domain::Challenge;
using domain::Municipality;
using domain::Tie;
using json = nlohmann::ordered_json;

namespace {

// One record per entity: the table's exported fields (files::ColumnsOf, fields::InExport), as a
// CSV row and as a JSON object.
template <typename T>
void AddRecords(const domain::fields::FieldTable<T>& table, const std::vector<T>& items,
                const files::MunicipalityCodes& codes, std::vector<std::string>& columns,
                std::vector<std::vector<std::string>>& rows, json& arr) {
  auto cols = files::ColumnsOf(table, [](const auto& f) { return domain::fields::InExport(f); });
  for (const auto& c : cols) columns.push_back(c.name);
  for (const auto& t : items) {
    std::vector<std::string> row;
    json obj = json::object();
    for (const auto& c : cols) {
      json v = files::ValueOf(c, t, codes);
      row.push_back(files::Flatten(v));
      obj[c.name] = std::move(v);
    }
    rows.push_back(std::move(row));
    arr.push_back(std::move(obj));
  }
}

}  // namespace

Result<int64_t> Export(storage::Store& store, EntityKind kind, const std::string& path, FileSystem& files) {
  std::string ext =
      ToLowerAscii(path.substr(path.find_last_of('.') == std::string::npos ? path.size() : path.find_last_of('.')));
  bool as_json = ext == ".json";
  if (!as_json && ext != ".csv") return Status::InvalidArgument(path + ": unknown file type (expected .csv or .json)");
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Municipality> munis, store.ListMunicipalities());
  files::MunicipalityCodes codes;
  for (const auto& m : munis) codes[m.id.value()] = m.cbs_code;

  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // for CSV
  json arr = json::array();
  namespace fields = domain::fields;
  switch (kind) {
    case EntityKind::kMunicipalities:
      AddRecords(fields::MunicipalityFields(), munis, codes, columns, rows, arr);
      break;
    case EntityKind::kActors: {
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> actors, store.ListActors());
      AddRecords(fields::ActorFields(), actors, codes, columns, rows, arr);
      break;
    }
    case EntityKind::kTies: {
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Tie> ties, store.ListTies());
      AddRecords(fields::TieFields(), ties, codes, columns, rows, arr);
      break;
    }
    case EntityKind::kChallenges: {
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Challenge> cs, store.ListChallenges());
      AddRecords(fields::ChallengeFields(), cs, codes, columns, rows, arr);
      break;
    }
  }
  std::string out;
  if (as_json) {
    out = arr.dump(2) + "\n";
  } else {
    out = CsvLine(columns);
    for (const auto& r : rows) out += CsvLine(r);
  }
  WEEFSEL_RETURN_IF_ERROR(files.WriteFileAtomic(path, out));
  return static_cast<int64_t>(rows.size());
}

Result<std::string> Summary(storage::Store& store) {
  WEEFSEL_ASSIGN_OR_RETURN(storage::Counts counts, store.Count());
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Municipality> munis, store.ListMunicipalities());
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> actors, store.ListActors());
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Challenge> challenges, store.ListChallenges());
  std::map<int64_t, std::array<int64_t, domain::kActorKindCount>> per_muni;
  std::array<int64_t, domain::kActorKindCount> total{};
  for (const auto& a : actors) {
    per_muni[a.municipality.value()][static_cast<size_t>(a.kind)]++;
    total[static_cast<size_t>(a.kind)]++;
  }
  std::string out;
  char line[256];
  std::snprintf(
      line, sizeof line, "weefsel (%s store): %lld municipalities, %lld actors, %lld ties, %lld challenges\n\n",
      store.Dialect().c_str(), static_cast<long long>(counts.municipalities), static_cast<long long>(counts.actors),
      static_cast<long long>(counts.ties), static_cast<long long>(counts.challenges));
  out += line;
  out += "Actors by kind:\n";
  for (domain::ActorKind k : domain::AllActorKinds()) {
    std::snprintf(line, sizeof line, "  %-32s %8lld\n", std::string(domain::ActorKindLabelNl(k)).c_str(),
                  static_cast<long long>(total[static_cast<size_t>(k)]));
    out += line;
  }
  out += "\nMunicipalities:\n";
  for (const auto& m : munis) {
    int64_t n = 0;
    for (auto c : per_muni[m.id.value()]) n += c;
    int64_t ch =
        std::count_if(challenges.begin(), challenges.end(), [&](const Challenge& c) { return c.municipality == m.id; });
    std::snprintf(line, sizeof line, "  %s %-24s %-14s %9lld inhabitants %6lld actors %3lld challenges\n",
                  m.cbs_code.c_str(), m.name.c_str(), m.province.c_str(), static_cast<long long>(m.population),
                  static_cast<long long>(n), static_cast<long long>(ch));
    out += line;
  }
  if (!challenges.empty()) {
    out += "\nChallenges:\n";
    for (const auto& c : challenges) {
      std::snprintf(line, sizeof line, "  #%-4lld [%-9s] ", static_cast<long long>(c.id.value()),
                    std::string(domain::ChallengePhaseCode(c.phase)).c_str());
      out += line + c.title + "\n";
    }
  }
  return out;
}

}  // namespace weefsel::service
