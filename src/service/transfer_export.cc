// service/transfer_export.cc: exporting entities as CSV and JSON files, and the data summary
// (contract in transfer.h; the import is in transfer.cc).
#include "service/transfer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/csv.h"
#include "base/strings.h"
#include "storage/store.h"

namespace weefsel::service {

using domain::Actor;
using domain::Challenge;
using domain::Municipality;
using domain::Tie;
using json = nlohmann::ordered_json;

namespace {

// Columns of weefsel's own format, in export order.
const std::vector<std::string> kMunicipalityColumns = {"id",         "cbs_code", "name", "province",
                                                       "population", "lat",      "lon"};
const std::vector<std::string> kActorColumns = {"id",   "name",    "kind",         "municipality",
                                                "area", "themes",  "capabilities", "description",
                                                "size", "website", "generated",    "source"};
const std::vector<std::string> kTieColumns = {"id", "a", "b", "weight", "kind", "source", "from", "until", "note"};
const std::vector<std::string> kChallengeColumns = {
    "id",         "municipality",       "title",      "text", "language", "themes", "capabilities",
    "sector_mix", "max_coalition_size", "budget_eur", "area", "deadline", "phase",  "owner",
    "created_at"};

std::string Num(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::string CodeOf(const std::unordered_map<int64_t, std::string>& codes, MunicipalityId id) {
  auto it = codes.find(id.value());
  return it == codes.end() ? "" : it->second;
}

std::string NeedsList(const std::vector<domain::CapabilityNeed>& needs) {
  std::vector<std::string> parts;
  for (const auto& n : needs) parts.push_back(n.capability + ":" + Num(n.weight));
  return Join(parts, ";");
}

std::string MixList(const domain::SectorMix& mix) {
  std::vector<std::string> parts;
  for (const auto& [s, n] : mix) parts.push_back(std::string(domain::SectorCode(s)) + ":" + std::to_string(n));
  return Join(parts, ";");
}

}  // namespace

Result<int64_t> Export(storage::Store& store, EntityKind kind, const std::string& path) {
  std::string ext =
      ToLowerAscii(path.substr(path.find_last_of('.') == std::string::npos ? path.size() : path.find_last_of('.')));
  bool as_json = ext == ".json";
  if (!as_json && ext != ".csv") return Status::InvalidArgument(path + ": unknown file type (expected .csv or .json)");
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Municipality> munis, store.ListMunicipalities());
  std::unordered_map<int64_t, std::string> codes;
  for (const auto& m : munis) codes[m.id.value()] = m.cbs_code;

  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // for CSV
  json arr = json::array();
  switch (kind) {
    case EntityKind::kMunicipalities:
      columns = kMunicipalityColumns;
      for (const auto& m : munis) {
        rows.push_back({std::to_string(m.id.value()), m.cbs_code, m.name, m.province, std::to_string(m.population),
                        Num(m.lat), Num(m.lon)});
        arr.push_back({{"id", m.id.value()},
                       {"cbs_code", m.cbs_code},
                       {"name", m.name},
                       {"province", m.province},
                       {"population", m.population},
                       {"lat", m.lat},
                       {"lon", m.lon}});
      }
      break;
    case EntityKind::kActors: {
      columns = kActorColumns;
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Actor> actors, store.ListActors());
      for (const auto& a : actors) {
        std::string code = CodeOf(codes, a.municipality);
        rows.push_back({std::to_string(a.id.value()), a.name, std::string(domain::ActorKindCode(a.kind)), code, a.area,
                        Join(a.themes, ";"), Join(a.capabilities, ";"), a.description, std::to_string(a.size),
                        a.website, a.generated ? "true" : "false", a.source});
        arr.push_back({{"id", a.id.value()},
                       {"name", a.name},
                       {"kind", domain::ActorKindCode(a.kind)},
                       {"municipality", code},
                       {"area", a.area},
                       {"themes", a.themes},
                       {"capabilities", a.capabilities},
                       {"description", a.description},
                       {"size", a.size},
                       {"website", a.website},
                       {"generated", a.generated},
                       {"source", a.source}});
      }
      break;
    }
    case EntityKind::kTies: {
      columns = kTieColumns;
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Tie> ties, store.ListTies());
      for (const auto& t : ties) {
        rows.push_back({std::to_string(t.id.value()), std::to_string(t.a.value()), std::to_string(t.b.value()),
                        Num(t.weight), std::string(domain::TieKindCode(t.kind)),
                        std::string(domain::TieSourceCode(t.source)), t.from, t.until, t.note});
        arr.push_back({{"id", t.id.value()},
                       {"a", t.a.value()},
                       {"b", t.b.value()},
                       {"weight", t.weight},
                       {"kind", domain::TieKindCode(t.kind)},
                       {"source", domain::TieSourceCode(t.source)},
                       {"from", t.from},
                       {"until", t.until},
                       {"note", t.note}});
      }
      break;
    }
    case EntityKind::kChallenges: {
      columns = kChallengeColumns;
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<Challenge> cs, store.ListChallenges());
      for (const auto& c : cs) {
        std::string code = CodeOf(codes, c.municipality);
        rows.push_back({std::to_string(c.id.value()), code, c.title, c.text, c.language, Join(c.themes, ";"),
                        NeedsList(c.capabilities), MixList(c.sector_mix), std::to_string(c.max_coalition_size),
                        std::to_string(c.budget_eur), c.area, c.deadline,
                        std::string(domain::ChallengePhaseCode(c.phase)),
                        c.owner.valid() ? std::to_string(c.owner.value()) : "", c.created_at});
        json caps = json::array();
        for (const auto& n : c.capabilities) caps.push_back({{"capability", n.capability}, {"weight", n.weight}});
        json mix = json::object();
        for (const auto& [s, n] : c.sector_mix) mix[std::string(domain::SectorCode(s))] = n;
        arr.push_back({{"id", c.id.value()},
                       {"municipality", code},
                       {"title", c.title},
                       {"text", c.text},
                       {"language", c.language},
                       {"themes", c.themes},
                       {"capabilities", caps},
                       {"sector_mix", mix},
                       {"max_coalition_size", c.max_coalition_size},
                       {"budget_eur", c.budget_eur},
                       {"area", c.area},
                       {"deadline", c.deadline},
                       {"phase", domain::ChallengePhaseCode(c.phase)},
                       {"owner", c.owner.valid() ? json(c.owner.value()) : json(nullptr)},
                       {"created_at", c.created_at}});
      }
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
  WEEFSEL_RETURN_IF_ERROR(WriteFileAtomic(path, out));
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
