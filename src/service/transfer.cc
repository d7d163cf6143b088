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
namespace fields = domain::fields;
using Json = fields::Json;

Result<EntityKind> ParseEntityKind(const std::string& s) {
  if (s == "municipalities") return EntityKind::kMunicipalities;
  if (s == "actors") return EntityKind::kActors;
  if (s == "ties") return EntityKind::kTies;
  if (s == "challenges") return EntityKind::kChallenges;
  return Status::InvalidArgument("unknown kind '" + s + "' (expected municipalities, actors, ties or challenges)");
}

namespace {

// A file read as named columns: a CSV table, or a JSON array of objects flattened to the same
// string form (lists joined by ';', capability needs as "tag:weight", sector mix as "sector:n").
struct Sheet {
  std::string name;
  bool json = false;
  std::vector<std::string> header;
  std::unordered_map<std::string, size_t> index;
  std::vector<CsvRecord> rows;

  bool Has(const std::string& c) const { return index.count(c) > 0; }
  const std::string& Get(const CsvRecord& r, const std::string& c) const {
    static const std::string kEmpty;
    auto it = index.find(c);
    return it == index.end() || it->second >= r.fields.size() ? kEmpty : r.fields[it->second];
  }
  Status Error(const CsvRecord& r, const std::string& c, const std::string& what) const {
    return Status::InvalidArgument(name + (json ? " record " : " line ") + std::to_string(r.line) +
                                   (json ? ", field " : ", column ") + c + ": " + what);
  }
};

std::string Flatten(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return files::NumberText(v.get<double>());
  std::vector<std::string> parts;
  if (v.is_array()) {
    for (const auto& e : v) {
      if (e.is_object() && e.contains("capability"))
        parts.push_back(Flatten(e["capability"]) + ":" + Flatten(e.value("weight", json(1.0))));
      else
        parts.push_back(Flatten(e));
    }
  } else {
    for (auto it = v.begin(); it != v.end(); ++it) parts.push_back(it.key() + ":" + Flatten(it.value()));
  }
  return Join(parts, ";");
}

Result<Sheet> ReadSheet(FileSystem& files, const std::string& path) {
  Sheet s;
  s.name = path;
  std::string ext =
      ToLowerAscii(path.substr(path.find_last_of('.') == std::string::npos ? path.size() : path.find_last_of('.')));
  if (ext == ".json") {
    WEEFSEL_ASSIGN_OR_RETURN(std::string text, files.ReadFile(path));
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return Status::InvalidArgument(path + ": not valid JSON");
    if (!doc.is_array()) return Status::InvalidArgument(path + ": expected a JSON array of objects");
    s.json = true;
    for (const auto& obj : doc)
      if (obj.is_object())
        for (auto it = obj.begin(); it != obj.end(); ++it)
          if (!s.index.count(it.key())) {
            s.index[it.key()] = s.header.size();
            s.header.push_back(it.key());
          }
    int n = 0;
    for (const auto& obj : doc) {
      CsvRecord r;
      r.line = ++n;
      if (!obj.is_object())
        return Status::InvalidArgument(path + " record " + std::to_string(n) + ": expected an object");
      r.fields.assign(s.header.size(), "");
      for (auto it = obj.begin(); it != obj.end(); ++it) r.fields[s.index[it.key()]] = Flatten(it.value());
      s.rows.push_back(std::move(r));
    }
    return s;
  }
  if (ext != ".csv") return Status::InvalidArgument(path + ": unknown file type (expected .csv or .json)");
  WEEFSEL_ASSIGN_OR_RETURN(std::string text, files.ReadFile(path));
  WEEFSEL_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(path, std::move(text), {}));
  s.header = t.header();
  for (size_t i = 0; i < s.header.size(); ++i) s.index[s.header[i]] = i;
  s.rows = t.rows();
  return s;
}

Status RequireColumns(const Sheet& s, const std::vector<std::string>& cols) {
  if (s.json) return Status::Ok();
  for (const auto& c : cols)
    if (!s.Has(c)) return Status::InvalidArgument(s.name + " line 1: missing column '" + c + "' in the header");
  return Status::Ok();
}

// Collects row errors up to a limit.
struct Errors {
  int max;
  std::vector<std::string> messages;
  bool Add(const Status& st) {
    if (!st.ok()) messages.push_back(st.message());
    return static_cast<int>(messages.size()) < max;
  }
  Status ToStatus(int64_t rows) const {
    if (messages.empty()) return Status::Ok();
    std::string m = std::to_string(messages.size()) + (static_cast<int>(messages.size()) >= max ? "+" : "") +
                    " bad row(s), nothing imported:";
    for (const auto& e : messages) m += "\n  " + e;
    return Status::InvalidArgument(m);
  }
};

Result<int64_t> IntField(const Sheet& s, const CsvRecord& r, const std::string& c, bool required, int64_t def = 0) {
  const std::string& v = s.Get(r, c);
  if (Trim(v).empty()) {
    if (required) return s.Error(r, c, "a value is required");
    return def;
  }
  auto x = ParseInt(v);
  if (!x) {
    auto d = ParseDouble(v);                                     // "931298.0" from some exports
    if (auto w = d ? WholeNumber(*d) : std::nullopt) return *w;  // 9e59 is refused (found by fuzz_import)
    return s.Error(r, c, "'" + v + "' is not a whole number");
  }
  return *x;
}

Result<double> RealField(const Sheet& s, const CsvRecord& r, const std::string& c, double def) {
  const std::string& v = s.Get(r, c);
  if (Trim(v).empty()) return def;
  auto x = ParseDouble(v);
  if (!x) return s.Error(r, c, "'" + v + "' is not a number (use a decimal point)");
  return *x;
}

Status Wrap(const Sheet& s, const CsvRecord& r, const Status& st) {
  if (st.ok()) return st;
  // domain messages start with "entity.field: ..."; name the column.
  const std::string& m = st.message();
  auto dot = m.find('.'), colon = m.find(':');
  std::string column = (dot != std::string::npos && colon != std::string::npos && dot < colon)
                           ? m.substr(dot + 1, colon - dot - 1)
                           : "-";
  std::string what = colon != std::string::npos ? std::string(Trim(m.substr(colon + 1))) : m;
  return s.Error(r, column, what);
}

// The municipalities of the store, by CBS code and by id.
struct Municipalities {
  std::unordered_map<std::string, MunicipalityId> by_code;
  std::unordered_set<int64_t> ids;
};

// The text after "entity.field: " of a field reader's error.
std::string WhatOf(const Status& st) {
  const std::string& m = st.message();
  auto colon = m.find(": ");
  return colon == std::string::npos ? m : m.substr(colon + 2);
}

// The cell of `f` in record `r` as the JSON value its loader reads, or an error naming the column.
// Long free text is kept as written, other strings are trimmed; lists are split at ';'; an object
// of a list is its values joined by ':' ("zorg:2", the second value a number, left out: the
// item's default); a map is "key:number" pairs.
template <typename T>
Result<Json> CellValue(const Sheet& s, const CsvRecord& r, const fields::Field<T>& f, const std::string& cell) {
  const std::string trimmed(Trim(cell));
  switch (f.type) {
    case fields::Type::kInteger:
    case fields::Type::kId: {
      WEEFSEL_ASSIGN_OR_RETURN(int64_t v, IntField(s, r, f.name, false));
      return Json(v);
    }
    case fields::Type::kNumber: {
      WEEFSEL_ASSIGN_OR_RETURN(double v, RealField(s, r, f.name, 0));
      return Json(v);
    }
    case fields::Type::kBoolean: {
      std::string b = ToLowerAscii(trimmed);
      if (b != "true" && b != "false" && b != "1" && b != "0") return s.Error(r, f.name, "expected true or false");
      return Json(b == "true" || b == "1");
    }
    case fields::Type::kString:
    case fields::Type::kEnum:
      if (f.format == fields::Format::kDate && !IsIsoDate(trimmed))
        return s.Error(r, f.name, "'" + trimmed + "' is not a date YYYY-MM-DD");
      return Json(f.free_text ? cell : trimmed);
    case fields::Type::kStringList:
      return Json(Split(cell, ';', true));
    case fields::Type::kObjectList: {
      Json items = Json::array();
      for (const auto& part : Split(cell, ';', true)) {
        auto colon = part.rfind(':');
        Json item = Json::object();
        if (!f.item_keys.empty()) item[f.item_keys[0]] = colon == std::string::npos ? part : part.substr(0, colon);
        if (colon != std::string::npos && f.item_keys.size() > 1) {
          auto x = ParseDouble(part.substr(colon + 1));
          if (!x) return s.Error(r, f.name, f.item_keys[1] + " in '" + part + "' must be a number");
          item[f.item_keys[1]] = *x;
        }
        items.push_back(std::move(item));
      }
      return items;
    }
    case fields::Type::kMap: {
      Json map = Json::object();
      for (const auto& part : Split(cell, ';', true)) {
        auto colon = part.find(':');
        std::string key = part.substr(0, colon);
        if (colon == std::string::npos) {
          map[key] = 1;
          continue;
        }
        std::string value = part.substr(colon + 1);
        if (auto n = ParseInt(value)) {
          map[key] = *n;
        } else if (auto x = ParseDouble(value)) {
          map[key] = *x;
        } else {
          return s.Error(r, f.name, "the value in '" + part + "' must be a number");
        }
      }
      return map;
    }
    case fields::Type::kObject:
    case fields::Type::kAny:
      break;
  }
  return Json(nullptr);
}

// A municipality named by the field `f`: its id in column f.name, or its CBS code in
// "<name>_cbs_code" (files::CbsCodeColumn) or, as files written before the two were told apart
// had it, in column f.name. Unset when both are empty; an error when they name two municipalities.
template <typename T>
Result<MunicipalityId> MunicipalityOf(const Sheet& s, const CsvRecord& r, const fields::Field<T>& f,
                                      const Municipalities& munis) {
  const std::string code_column = files::CbsCodeColumn(f.name);
  std::string code(Trim(s.Get(r, code_column))), named(Trim(s.Get(r, f.name)));
  MunicipalityId by_code;
  if (!code.empty()) {
    auto it = munis.by_code.find(code);
    if (it == munis.by_code.end())
      return s.Error(r, code_column, "unknown municipality '" + code + "' (import municipalities first)");
    by_code = it->second;
  }
  if (named.empty()) return by_code;
  MunicipalityId id;
  if (auto n = ParseInt(named)) {
    if (!munis.ids.count(*n))
      return s.Error(r, f.name, "unknown municipality " + named + " (import municipalities first)");
    id = MunicipalityId(*n);
  } else {
    auto it = munis.by_code.find(named);
    if (it == munis.by_code.end())
      return s.Error(r, f.name, "unknown municipality '" + named + "' (import municipalities first)");
    id = it->second;
  }
  if (by_code.valid() && by_code != id)
    return s.Error(r, f.name, "'" + named + "' is not the municipality " + code + " of " + code_column);
  return id;
}

// Reads the exported fields of `table` (fields::InExport) from record `r` onto `t`, in table
// order, each through its loader: an empty cell leaves the entity's default.
template <typename T>
Status LoadRecord(const Sheet& s, const CsvRecord& r, const fields::FieldTable<T>& table, const Municipalities& munis,
                  T& t) {
  Json obj = Json::object();
  for (const auto& f : table.fields) {
    if (!fields::InExport(f)) continue;
    if (f.refers_to == "municipality") {
      WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOf(s, r, f, munis));
      if (m.valid()) obj[f.name] = m.value();
      continue;
    }
    const std::string& cell = s.Get(r, f.name);
    if (Trim(cell).empty()) continue;
    WEEFSEL_ASSIGN_OR_RETURN(obj[f.name], CellValue(s, r, f, cell));
  }
  fields::Fields reader(obj, table.entity);
  for (const auto& f : table.fields) {
    if (!fields::InExport(f) || !obj.contains(f.name)) continue;
    Status st = f.load(reader, t);
    if (!st.ok()) return s.Error(r, f.name, WhatOf(st));
  }
  return Status::Ok();
}

Status RequireValues(const Sheet& s, const CsvRecord& r, const std::vector<std::string>& columns) {
  for (const auto& c : columns)
    if (Trim(s.Get(r, c)).empty()) return s.Error(r, c, "a value is required");
  return Status::Ok();
}

// ---- municipalities

Result<Municipality> ParseMunicipality(const Sheet& s, const CsvRecord& r, bool cbs, const Municipalities& munis) {
  Municipality m;
  if (cbs) {  // CBS's own columns
    m.cbs_code = std::string(Trim(s.Get(r, "gm_code")));
    m.name = std::string(Trim(s.Get(r, "gemeente")));
    m.province = std::string(Trim(s.Get(r, "provincie")));
    WEEFSEL_ASSIGN_OR_RETURN(m.population, IntField(s, r, "inwoners_2024", false));
    WEEFSEL_ASSIGN_OR_RETURN(m.lat, RealField(s, r, "lat", 0));
    WEEFSEL_ASSIGN_OR_RETURN(m.lon, RealField(s, r, "lon", 0));
  } else {
    WEEFSEL_RETURN_IF_ERROR(LoadRecord(s, r, fields::MunicipalityFields(), munis, m));
  }
  Status v = domain::Validate(m);
  if (!v.ok()) {
    std::string col = v.message().find("cbs_code") != std::string::npos ? (cbs ? "gm_code" : "cbs_code") : "";
    if (!col.empty()) return s.Error(r, col, v.message().substr(v.message().find(':') + 2));
    return Wrap(s, r, v);
  }
  return m;
}

// ---- actors

Result<Actor> ParseActor(const Sheet& s, const CsvRecord& r, const Municipalities& munis) {
  Actor a;
  WEEFSEL_RETURN_IF_ERROR(RequireValues(s, r, {"kind"}));
  WEEFSEL_ASSIGN_OR_RETURN(int64_t id, IntField(s, r, "id", false));
  if (id < 0) return s.Error(r, "id", "must be positive");
  WEEFSEL_RETURN_IF_ERROR(LoadRecord(s, r, fields::ActorFields(), munis, a));
  Status st = domain::NormalizeTags(a.themes, a.capabilities);
  if (!st.ok()) return s.Error(r, "themes", st.message());
  WEEFSEL_RETURN_IF_ERROR(Wrap(s, r, domain::Validate(a)));
  return a;
}

// The Amsterdam subsidy register: one row per grant; applicants become actors.
std::string RegisterTheme(const std::string& beleidsterrein) {
  static const std::map<std::string, std::string> kMap = {
      {"Welzijn en Zorg", "zorg"},
      {"Zorg", "zorg"},
      {"Ruimte en Duurzaamheid", "energietransitie"},
      {"Onderwijs", "onderwijs"},
      {"Cultuur", "cultuur"},
      {"Monumenten", "cultuur"},
      {"Participatie", "werk_en_participatie"},
      {"Werk", "werk_en_participatie"},
      {"Economie", "werk_en_participatie"},
      {"Jeugd", "jeugd"},
      {"Sport", "sport"},
      {"Openbare orde en veiligheid", "veiligheid"},
      {"Stedelijke ontwikkeling en wonen", "wonen"},
      {"Inkomen", "armoede"},
      {"Verkeer en openbare ruimte", "mobiliteit"},
  };
  auto it = kMap.find(beleidsterrein);
  return it == kMap.end() ? "" : it->second;  // "Algemeen", "Bestuur en ondersteuning": no theme
}

domain::ActorKind GuessKind(const std::string& name) {
  std::string n = FoldCase(name);
  auto has = [&](const char* w) { return n.find(w) != std::string::npos; };
  if (has("gemeente") || has("stadsdeel") || has("ggd ")) return domain::ActorKind::kGovernment;
  if (has("universiteit") || has("hogeschool") || has("uva") || has("vu ") || has("kennis") || has("onderzoek"))
    return domain::ActorKind::kKnowledgeInstitution;
  if (has("zorg") || has("welzijn") || has("hulp") || has("dienstverlening") || has("maatschappelijk"))
    return domain::ActorKind::kCareWelfare;
  if (has("fonds") || has("foundation")) return domain::ActorKind::kFoundationFunder;
  if (has("b.v.") || has(" bv") || has("n.v.") || has("vof") || has("v.o.f.")) return domain::ActorKind::kCompany;
  if (has("cooperatie") || has("social") || has("sociaal")) return domain::ActorKind::kSocialEnterprise;
  return domain::ActorKind::kCitizensInitiative;
}

Result<std::vector<Actor>> ParseRegister(const Sheet& s, MunicipalityId amsterdam, Errors& errors) {
  struct Acc {
    std::set<std::string> themes;
    std::map<std::string, int> areas;
    std::vector<std::string> projects;
    int first_line = 0;
  };
  std::map<std::string, Acc> by_name;
  std::vector<std::string> order;
  for (const auto& r : s.rows) {
    std::string name(Trim(s.Get(r, "aanvrager")));
    // Private persons are not actors (and are not named); a few grants have no applicant recorded.
    if (name.empty() || name == "(Particulier)") continue;
    auto [it, fresh] = by_name.try_emplace(name);
    if (fresh) {
      order.push_back(name);
      it->second.first_line = r.line;
    }
    std::string theme = RegisterTheme(std::string(Trim(s.Get(r, "beleidsterrein"))));
    if (!theme.empty()) it->second.themes.insert(theme);
    std::string unit(Trim(s.Get(r, "organisatieonderdeel")));
    if (StartsWith(unit, "stadsdeel ")) it->second.areas[unit.substr(10)]++;
    std::string project(Trim(s.Get(r, "projectnaam")));
    if (!project.empty() && it->second.projects.size() < 8 &&
        std::find(it->second.projects.begin(), it->second.projects.end(), project) == it->second.projects.end())
      it->second.projects.push_back(project);
  }
  std::vector<Actor> out;
  for (const auto& name : order) {
    const Acc& acc = by_name[name];
    Actor a;
    a.name = name;
    a.kind = GuessKind(name);
    a.municipality = amsterdam;
    a.themes.assign(acc.themes.begin(), acc.themes.end());
    int best = 0;
    for (const auto& [area, count] : acc.areas)
      if (count > best) {
        best = count;
        a.area = area;
      }
    a.description = "Ontving subsidie van de gemeente Amsterdam (2016-2019) voor: " + Join(acc.projects, "; ") + ".";
    a.source = "amsterdam-subsidieregister";
    Status v = domain::Validate(a);
    if (!v.ok()) {
      CsvRecord r;
      r.line = acc.first_line;
      if (!errors.Add(Wrap(s, r, v))) break;
      continue;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// ---- ties

Result<Tie> ParseTie(const Sheet& s, const CsvRecord& r, const Municipalities& munis) {
  Tie t;
  t.source = domain::TieSource::kImported;  // unless the file says
  WEEFSEL_RETURN_IF_ERROR(RequireValues(s, r, {"a", "b"}));
  WEEFSEL_RETURN_IF_ERROR(LoadRecord(s, r, fields::TieFields(), munis, t));
  WEEFSEL_RETURN_IF_ERROR(Wrap(s, r, domain::Validate(t)));
  domain::Normalize(t);
  return t;
}

// ---- challenges

Result<Challenge> ParseChallenge(const Sheet& s, const CsvRecord& r, const Municipalities& munis) {
  Challenge c;
  WEEFSEL_RETURN_IF_ERROR(LoadRecord(s, r, fields::ChallengeFields(), munis, c));
  if (!c.municipality.valid())
    return s.Error(r, "municipality",
                   "required: the municipality's id, or its CBS code in " + files::CbsCodeColumn("municipality"));
  std::vector<std::string> no_caps;
  Status th = domain::NormalizeTags(c.themes, no_caps);
  if (!th.ok()) return s.Error(r, "themes", th.message());
  for (auto& need : c.capabilities) {
    std::string written = need.capability + ":" + files::NumberText(need.weight);
    need.capability = domain::NormalizeCapability(need.capability);
    if (need.capability.empty()) return s.Error(r, "capabilities", "'" + written + "' has no capability name");
    if (need.weight <= 0) return s.Error(r, "capabilities", "weight in '" + written + "' must be a positive number");
  }
  for (const auto& [sector, n] : c.sector_mix)
    if (n < 0 || n > 50)
      return s.Error(r, "sector_mix", "count of " + std::string(domain::SectorCode(sector)) + " must be 0..50");
  WEEFSEL_RETURN_IF_ERROR(Wrap(s, r, domain::Validate(c)));
  return c;
}

template <typename T, typename F>
Status CheckUniqueIds(const Sheet& s, const std::vector<std::pair<const CsvRecord*, T>>& items, F existing,
                      Errors& errors) {
  std::unordered_set<int64_t> seen;
  for (const auto& [row, e] : items) {
    int64_t id = e.id.value();
    if (id <= 0) continue;
    if (!seen.insert(id).second) {
      if (!errors.Add(s.Error(*row, "id", "id " + std::to_string(id) + " appears twice in the file"))) break;
    } else if (existing(id)) {
      if (!errors.Add(s.Error(*row, "id", "id " + std::to_string(id) + " is already in the database"))) break;
    }
  }
  return Status::Ok();
}

Municipalities MunicipalitiesOf(const std::vector<Municipality>& ms) {
  Municipalities out;
  for (const auto& m : ms) {
    out.by_code[m.cbs_code] = m.id;
    out.ids.insert(m.id.value());
  }
  return out;
}

}  // namespace

Result<ImportReport> Import(storage::Store& store, EntityKind kind, const std::string& path,
                            const ImportOptions& options, FileSystem& files) {
  WEEFSEL_ASSIGN_OR_RETURN(Sheet s, ReadSheet(files, path));
  ImportReport report;
  report.rows = static_cast<int64_t>(s.rows.size());
  report.format = s.json ? "weefsel-json" : "weefsel-csv";
  Errors errors{options.max_errors, {}};
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Municipality> munis, store.ListMunicipalities());
  const Municipalities known = MunicipalitiesOf(munis);
  const auto& codes = known.by_code;

  switch (kind) {
    case EntityKind::kMunicipalities: {
      bool cbs = s.Has("gm_code") && !s.Has("cbs_code");
      if (cbs) report.format = "cbs-gemeenten";
      WEEFSEL_RETURN_IF_ERROR(RequireColumns(
          s, cbs ? std::vector<std::string>{"gm_code", "gemeente"} : std::vector<std::string>{"cbs_code", "name"}));
      std::vector<std::pair<const CsvRecord*, Municipality>> items;
      std::set<std::string> seen_codes;
      for (const auto& r : s.rows) {
        auto m = ParseMunicipality(s, r, cbs, known);
        if (!m.ok()) {
          if (!errors.Add(m.status())) break;
          continue;
        }
        if (!seen_codes.insert(m->cbs_code).second || codes.count(m->cbs_code)) {
          if (!errors.Add(s.Error(
                  r, cbs ? "gm_code" : "cbs_code",
                  "CBS code " + m->cbs_code +
                      (codes.count(m->cbs_code) ? " is already in the database" : " appears twice in the file"))))
            break;
          continue;
        }
        items.emplace_back(&r, std::move(*m));
      }
      std::unordered_set<int64_t> ids;
      for (const auto& m : munis) ids.insert(m.id.value());
      WEEFSEL_RETURN_IF_ERROR(CheckUniqueIds(
          s, items, [&](int64_t id) { return ids.count(id) > 0; }, errors));
      WEEFSEL_RETURN_IF_ERROR(errors.ToStatus(report.rows));
      WEEFSEL_RETURN_IF_ERROR(store.Transaction([&]() -> Status {
        for (auto& [row, m] : items)
          WEEFSEL_RETURN_IF_ERROR(store.Insert(m).status().WithContext(s.name + " line " + std::to_string(row->line)));
        return Status::Ok();
      }));
      report.written = static_cast<int64_t>(items.size());
      return report;
    }
    case EntityKind::kActors: {
      std::vector<Actor> actors;
      if (s.Has("aanvrager")) {
        report.format = "amsterdam-subsidieregister";
        WEEFSEL_RETURN_IF_ERROR(RequireColumns(s, {"aanvrager", "beleidsterrein", "organisatieonderdeel"}));
        auto it = codes.find("GM0363");
        if (it == codes.end())
          return Status::InvalidArgument(
              path +
              ": the Amsterdam subsidy register needs municipality GM0363 (Amsterdam); import municipalities first");
        WEEFSEL_ASSIGN_OR_RETURN(actors, ParseRegister(s, it->second, errors));
        WEEFSEL_RETURN_IF_ERROR(errors.ToStatus(report.rows));
        WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> existing, store.ListActors());
        std::set<std::string> names;
        for (const auto& a : existing)
          if (a.source == "amsterdam-subsidieregister") names.insert(a.name);
        std::vector<Actor> fresh;
        for (auto& a : actors)
          if (!names.count(a.name)) fresh.push_back(std::move(a));  // re-import adds only new applicants
        actors = std::move(fresh);
      } else {
        WEEFSEL_RETURN_IF_ERROR(RequireColumns(s, {"name", "kind"}));
        std::vector<std::pair<const CsvRecord*, Actor>> items;
        for (const auto& r : s.rows) {
          auto a = ParseActor(s, r, known);
          if (!a.ok()) {
            if (!errors.Add(a.status())) break;
            continue;
          }
          items.emplace_back(&r, std::move(*a));
        }
        WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> existing, store.ListActors());
        std::unordered_set<int64_t> ids;
        for (const auto& a : existing) ids.insert(a.id.value());
        WEEFSEL_RETURN_IF_ERROR(CheckUniqueIds(
            s, items, [&](int64_t id) { return ids.count(id) > 0; }, errors));
        WEEFSEL_RETURN_IF_ERROR(errors.ToStatus(report.rows));
        for (auto& [row, a] : items) actors.push_back(std::move(a));
      }
      WEEFSEL_RETURN_IF_ERROR(store.InsertActors(actors));
      report.written = static_cast<int64_t>(actors.size());
      return report;
    }
    case EntityKind::kTies: {
      WEEFSEL_RETURN_IF_ERROR(RequireColumns(s, {"a", "b"}));
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> actors, store.ListActors());
      std::unordered_set<int64_t> actor_ids;
      for (const auto& a : actors) actor_ids.insert(a.id.value());
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Tie> existing, store.ListTies());
      std::unordered_set<int64_t> tie_ids;
      for (const auto& t : existing) tie_ids.insert(t.id.value());
      std::vector<std::pair<const CsvRecord*, Tie>> items;
      for (const auto& r : s.rows) {
        auto t = ParseTie(s, r, known);
        if (!t.ok()) {
          if (!errors.Add(t.status())) break;
          continue;
        }
        bool ok = true;
        for (auto [col, id] : {std::pair<const char*, ActorId>{"a", t->a}, {"b", t->b}})
          if (ok && !actor_ids.count(id.value())) {
            ok = false;
            errors.Add(s.Error(r, col, "unknown actor " + std::to_string(id.value())));
          }
        if (!ok) {
          if (static_cast<int>(errors.messages.size()) >= errors.max) break;
          continue;
        }
        items.emplace_back(&r, std::move(*t));
      }
      WEEFSEL_RETURN_IF_ERROR(CheckUniqueIds(
          s, items, [&](int64_t id) { return tie_ids.count(id) > 0; }, errors));
      WEEFSEL_RETURN_IF_ERROR(errors.ToStatus(report.rows));
      std::vector<Tie> ties;
      ties.reserve(items.size());
      for (auto& [row, t] : items) ties.push_back(std::move(t));
      WEEFSEL_RETURN_IF_ERROR(store.InsertTies(ties));
      report.written = static_cast<int64_t>(ties.size());
      return report;
    }
    case EntityKind::kChallenges: {
      WEEFSEL_RETURN_IF_ERROR(RequireColumns(s, {"title"}));
      std::vector<std::pair<const CsvRecord*, Challenge>> items;
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> actors, store.ListActors());
      std::unordered_set<int64_t> actor_ids;
      for (const auto& a : actors) actor_ids.insert(a.id.value());
      for (const auto& r : s.rows) {
        auto c = ParseChallenge(s, r, known);
        if (!c.ok()) {
          if (!errors.Add(c.status())) break;
          continue;
        }
        if (c->owner.valid() && !actor_ids.count(c->owner.value())) {
          if (!errors.Add(s.Error(r, "owner", "unknown actor " + std::to_string(c->owner.value())))) break;
          continue;
        }
        items.emplace_back(&r, std::move(*c));
      }
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Challenge> existing, store.ListChallenges());
      std::unordered_set<int64_t> ids;
      for (const auto& c : existing) ids.insert(c.id.value());
      WEEFSEL_RETURN_IF_ERROR(CheckUniqueIds(
          s, items, [&](int64_t id) { return ids.count(id) > 0; }, errors));
      WEEFSEL_RETURN_IF_ERROR(errors.ToStatus(report.rows));
      WEEFSEL_RETURN_IF_ERROR(store.Transaction([&]() -> Status {
        for (auto& [row, c] : items)
          WEEFSEL_RETURN_IF_ERROR(store.Insert(c).status().WithContext(s.name + " line " + std::to_string(row->line)));
        return Status::Ok();
      }));
      report.written = static_cast<int64_t>(items.size());
      return report;
    }
  }
  return Status::Internal("unhandled kind");
}

}  // namespace weefsel::service
