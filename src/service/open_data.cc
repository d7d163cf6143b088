#include "service/open_data.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <regex>
#include <set>
#include <string_view>
#include <unordered_map>

#include "base/csv.h"
#include "base/env.h"
#include "base/strings.h"
#include "domain/vocabulary.h"
#include "fabric/export.h"
#include "fabric/fabric.h"
#include "fund/instance.h"
#include "fund/pabulib.h"
#include "service/field_files.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
// A cell keeps its objects' keys in order (a sector mix in sector order in the CSV); the JSON files
// sort them, as every object of the package.
using Cell = nlohmann::ordered_json;

constexpr const char* kRemoved = "[verwijderd]";

// One table of the export: a CSV file and a JSON file with the same rows.
struct Table {
  std::string name;
  std::string description;
  std::vector<std::pair<std::string, std::string>> fields;  // name, Frictionless type
  std::vector<std::vector<Cell>> rows;
};

// The CSV text of a cell; text that a spreadsheet would run as a formula is defused. Lists are
// joined by ';', an object in a list by ':' between its values ("zorg:2"), a map as "key:value"
// pairs joined by ';' (as in the export, service/field_files.h).
std::string CellText(const Cell& v) {
  auto part = [](const Cell& x) { return x.is_number_float() ? files::NumberText(x.get<double>()) : CellText(x); };
  if (v.is_null()) return "";
  if (v.is_string()) return SpreadsheetSafe(v.get<std::string>());
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) {
      if (!e.is_object()) {
        parts.push_back(CellText(e));
        continue;
      }
      std::vector<std::string> values;
      for (const auto& x : e) values.push_back(part(x));
      parts.push_back(Join(values, ":"));
    }
    return Join(parts, ";");
  }
  if (v.is_object()) {
    std::vector<std::string> parts;
    for (auto it = v.begin(); it != v.end(); ++it) parts.push_back(SpreadsheetSafe(it.key()) + ":" + part(it.value()));
    return Join(parts, ";");
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

Cell IdOrNull(int64_t id) { return id > 0 ? Cell(id) : Cell(nullptr); }

class Writer {
 public:
  Writer(FileSystem& files, fs::path dir) : files_(files), dir_(std::move(dir)) {}

  Status WriteTable(const Table& t, OpenDataReport& report) {
    std::vector<std::string> header;
    header.reserve(t.fields.size());
    for (const auto& f : t.fields) header.push_back(f.first);
    std::string csv = CsvLine(header);
    json arr = json::array();
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      json obj = json::object();
      for (size_t i = 0; i < row.size(); ++i) {
        cells.push_back(CellText(row[i]));
        obj[t.fields[i].first] = json(row[i]);
      }
      csv += CsvLine(cells);
      arr.push_back(std::move(obj));
    }
    WEEFSEL_RETURN_IF_ERROR(Write(t.name + ".csv", csv, report));
    WEEFSEL_RETURN_IF_ERROR(Write(t.name + ".json", arr.dump(1) + "\n", report));
    report.records += static_cast<int64_t>(t.rows.size());
    json schema = json::array();
    for (const auto& f : t.fields) schema.push_back({{"name", f.first}, {"type", f.second}});
    resources_.push_back({{"name", t.name},
                          {"path", t.name + ".csv"},
                          {"format", "csv"},
                          {"mediatype", "text/csv"},
                          {"description", t.description},
                          {"schema", {{"fields", schema}}}});
    resources_.push_back({{"name", t.name + "-json"},
                          {"path", t.name + ".json"},
                          {"format", "json"},
                          {"mediatype", "application/json"},
                          {"description", t.description + " (the same rows as JSON)"}});
    return Status::Ok();
  }

  Status WriteResource(const std::string& name, const std::string& content, const std::string& format,
                       const std::string& mediatype, const std::string& description, OpenDataReport& report) {
    WEEFSEL_RETURN_IF_ERROR(Write(name, content, report));
    std::string id = name;
    std::replace(id.begin(), id.end(), '/', '-');
    std::replace(id.begin(), id.end(), '.', '-');
    resources_.push_back(
        {{"name", id}, {"path", name}, {"format", format}, {"mediatype", mediatype}, {"description", description}});
    return Status::Ok();
  }

  Status WritePackage(OpenDataReport& report) {
    json package = {{"profile", "data-package"},
                    {"name", "weefsel-open-data"},
                    {"title", "weefsel open data"},
                    {"description",
                     "Public data of a weefsel platform: municipalities, actors, ties, challenges, coalitions, "
                     "proposals, participatory-budgeting rounds (ballots anonymous, closed rounds only), experiments "
                     "and the collaboration network. Contains no personal data."},
                    {"licenses", json::array({{{"name", "CC0-1.0"},
                                               {"path", "https://creativecommons.org/publicdomain/zero/1.0/"},
                                               {"title", "CC0 1.0"}}})},
                    {"resources", resources_}};
    return Write("datapackage.json", package.dump(1) + "\n", report);
  }

 private:
  Status Write(const std::string& name, const std::string& content, OpenDataReport& report) {
    fs::path path = dir_ / name;
    Status made = files_.CreateDirectories(path.parent_path().string());
    if (!made.ok()) return Status::Internal(made.message());
    WEEFSEL_RETURN_IF_ERROR(files_.WriteFileAtomic(path.string(), content));
    report.files.push_back(name);
    return Status::Ok();
  }

  FileSystem& files_;
  fs::path dir_;
  json resources_ = json::array();
};

// The Frictionless type of a column.
template <typename T>
const char* FrictionlessType(const files::Column<T>& c) {
  namespace fields = domain::fields;
  if (c.cbs_code) return "string";
  switch (c.field->type) {
    case fields::Type::kInteger:
    case fields::Type::kId:
      return "integer";
    case fields::Type::kNumber:
      return "number";
    case fields::Type::kBoolean:
      return "boolean";
    case fields::Type::kStringList:
    case fields::Type::kObjectList:
      return "array";
    case fields::Type::kMap:
    case fields::Type::kObject:
    case fields::Type::kAny:
      return "object";
    case fields::Type::kString:
    case fields::Type::kEnum:
      break;
  }
  switch (c.field->format) {
    case fields::Format::kDate:
      return "date";
    case fields::Format::kDateTime:
      return "datetime";
    case fields::Format::kText:
      break;
  }
  return "string";
}

// A value as the open data writes it: free text scrubbed of personal data.
Cell Published(const files::Json& v, bool free_text) {
  if (free_text && v.is_string()) return ScrubPersonalData(v.get<std::string>());
  if (free_text && v.is_array()) {
    Cell out = Cell::array();
    for (const auto& e : v) out.push_back(e.is_string() ? Cell(ScrubPersonalData(e.get<std::string>())) : e);
    return out;
  }
  return v;
}

// The rows of `t` made of one entity's field table: exactly its public fields
// (fields::InOpenData), with a municipality's CBS code beside its id (files::ColumnsOf), after the
// ids of its owners (`parents`: "coalition" for a coalition's members).
template <typename T>
class PublicRows {
 public:
  PublicRows(Table& t, const domain::fields::FieldTable<T>& table, const files::MunicipalityCodes& codes,
             const std::vector<std::string>& parents = {})
      : t_(t),
        codes_(codes),
        cols_(files::ColumnsOf(table, [](const auto& f) { return domain::fields::InOpenData(f); })) {
    for (const auto& p : parents) t_.fields.emplace_back(p, "integer");
    for (const auto& c : cols_) t_.fields.emplace_back(c.name, FrictionlessType(c));
  }
  void Add(const T& item, std::vector<Cell> row = {}) {
    for (const auto& c : cols_) row.push_back(Published(files::ValueOf(c, item, codes_), c.field->free_text));
    t_.rows.push_back(std::move(row));
  }

 private:
  Table& t_;
  const files::MunicipalityCodes& codes_;
  std::vector<files::Column<T>> cols_;
};

// The open-data table of `items` (PublicRows).
template <typename T>
Table PublicTable(std::string name, std::string description, const domain::fields::FieldTable<T>& table,
                  const std::vector<T>& items, const files::MunicipalityCodes& codes) {
  Table t{std::move(name), std::move(description), {}, {}};
  PublicRows<T> rows(t, table, codes);
  for (const auto& item : items) rows.Add(item);
  return t;
}

bool VotingClosed(domain::RoundPhase p) {
  return p == domain::RoundPhase::kAllocation || p == domain::RoundPhase::kPublished;
}

}  // namespace

std::vector<domain::Ballot> AnonymiseBallots(std::vector<domain::Ballot> ballots) {
  for (auto& b : ballots) {
    b.voter = UserId();
    b.id = BallotId();
    b.cast_at.clear();
  }
  // By the list of (project, points), stably. Each project id is replaced by its rank among the
  // distinct ids first (the same order, compared as integers): comparing the strings, or copying a
  // key per comparison, made sorting 100,000 ballots cost more than running the rule on them.
  std::unordered_map<std::string_view, int> rank;
  for (const auto& b : ballots)
    for (const auto& e : b.entries) rank.emplace(e.project_id, 0);
  std::vector<std::string_view> ids;
  ids.reserve(rank.size());
  for (const auto& [id, r] : rank) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (size_t i = 0; i < ids.size(); ++i) rank[ids[i]] = static_cast<int>(i);
  std::vector<std::pair<int, int64_t>> keys;  // every ballot's entries, one after the other
  std::vector<size_t> start(ballots.size() + 1, 0);
  for (size_t i = 0; i < ballots.size(); ++i) {
    for (const auto& e : ballots[i].entries) keys.emplace_back(rank[e.project_id], e.points);
    start[i + 1] = keys.size();
  }
  std::vector<size_t> order(ballots.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::lexicographical_compare(
        keys.begin() + static_cast<std::ptrdiff_t>(start[a]), keys.begin() + static_cast<std::ptrdiff_t>(start[a + 1]),
        keys.begin() + static_cast<std::ptrdiff_t>(start[b]), keys.begin() + static_cast<std::ptrdiff_t>(start[b + 1]));
  });
  std::vector<domain::Ballot> out;
  out.reserve(ballots.size());
  for (size_t i : order) out.push_back(std::move(ballots[i]));
  return out;
}

Result<std::string> AnonymousRoundPb(const domain::Round& round, std::vector<domain::Ballot> ballots,
                                     const std::string& unit) {
  WEEFSEL_ASSIGN_OR_RETURN(fund::Instance in, fund::FromRound(round, AnonymiseBallots(std::move(ballots))));
  // META: what Pabulib requires, and where the round comes from.
  in.meta = {{"description", round.name},
             {"country", "Netherlands"},
             {"unit", unit},
             {"instance", std::to_string(round.id.value())},
             {"num_projects", std::to_string(in.projects.size())},
             {"num_votes", std::to_string(in.voters.size())},
             {"budget", std::to_string(round.budget_eur)},
             {"vote_type", std::string(fund::VoteTypeCode(in.vote_type))},
             {"rule", round.rule},
             {"currency", "EUR"}};
  if (round.min_length > 0) in.meta.emplace_back("min_length", std::to_string(round.min_length));
  if (round.max_length > 0) in.meta.emplace_back("max_length", std::to_string(round.max_length));
  if (round.max_points > 0) in.meta.emplace_back("max_sum_points", std::to_string(round.max_points));
  if (round.max_points_per_project > 0)
    in.meta.emplace_back("max_points", std::to_string(round.max_points_per_project));
  in.project_columns = {"name"};
  for (size_t i = 0; i < in.projects.size(); ++i) in.projects[i].extra = {round.projects[i].title};
  in.voter_columns.clear();
  for (size_t i = 0; i < in.voters.size(); ++i) {
    in.voters[i].id = std::to_string(i + 1);
    in.voters[i].extra.clear();
  }
  return fund::FormatPb(in);
}

std::string ScrubPersonalData(const std::string& text) {
  static const std::regex kEmail(R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})");
  // Dutch phone numbers: 06-12345678, 020 123 4567, +31 6 12345678, 0031 ...
  static const std::regex kPhone(R"((?:\+31|\b0031|\b0)[\s\-]?[1-9](?:[\s\-]?[0-9]){8})");
  if (text.find('@') == std::string::npos &&
      std::none_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return text;
  std::string out = std::regex_replace(text, kEmail, kRemoved);
  return std::regex_replace(out, kPhone, kRemoved);
}

Result<OpenDataReport> ExportOpenData(storage::Store& store, const std::string& dir, FileSystem& files) {
  fs::path target(dir);
  using Kind = FileSystem::Kind;
  const Kind target_kind = files.KindOf(dir);
  auto held = files.List(dir);
  if (target_kind == Kind::kFile || (target_kind == Kind::kDirectory && (!held.ok() || !held->empty())))
    return Status::InvalidArgument(dir + ": already exists and is not empty (the export writes a fresh directory)");
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (files.KindOf(parent.string()) != Kind::kDirectory)
    return Status::InvalidArgument(parent.string() + ": no such directory");
  fs::path staging = parent / (target.filename().string() + ".partial-" + std::to_string(::getpid()));
  (void)files.RemoveAll(staging.string());
  if (Status made = files.CreateDirectories(staging.string()); !made.ok()) return Status::Internal(made.message());

  OpenDataReport report;
  Writer w(files, staging);
  auto run = [&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Municipality> munis, store.ListMunicipalities());
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Actor> actors, store.ListActors());
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Tie> ties, store.ListTies());
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Challenge> challenges, store.ListChallenges());
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Round> rounds, store.ListRounds());
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Experiment> experiments, store.ListExperiments());
    // Moderation (issue 20): hidden proposals are left out; a round's project that came from one
    // keeps its place (ballots refer to it) without its title.
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden_ids, store.HiddenIds("proposal"));
    const std::set<int64_t> hidden(hidden_ids.begin(), hidden_ids.end());
    files::MunicipalityCodes codes;
    for (const auto& m : munis) codes[m.id.value()] = m.cbs_code;
    auto code_of = [&](MunicipalityId id) -> Cell {
      auto it = codes.find(id.value());
      return it == codes.end() ? Cell(nullptr) : Cell(it->second);
    };

    namespace fields = domain::fields;
    Table t = PublicTable("municipalities", "Municipalities (CBS codes and 2024 population)",
                          fields::MunicipalityFields(), munis, codes);
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    t = PublicTable("actors", "Organisations and initiatives (actors) with their kind, sector, themes and capabilities",
                    fields::ActorFields(), actors, codes);
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    t = PublicTable("ties", "Collaboration ties between actors (undirected; weight = strength); private notes left out",
                    fields::TieFields(), ties, codes);
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));

    t = PublicTable("challenges", "Societal challenges posted by municipalities", fields::ChallengeFields(), challenges,
                    codes);
    Table coalitions{"coalitions", "Coalitions formed for challenges", {}, {}};
    coalitions.fields = {{"id", "integer"},   {"challenge", "integer"},  {"status", "string"},
                         {"score", "number"}, {"explanation", "string"}, {"created_at", "datetime"}};
    Table members{"coalition_members", "Members of each coalition, the sector each brings and what it covers", {}, {}};
    PublicRows<domain::CoalitionMember> member_rows(members, fields::CoalitionMemberFields(), codes, {"coalition"});
    Table proposals{"proposals", "Proposals written by coalitions (current version)", {}, {}};
    proposals.fields = {{"id", "integer"},    {"challenge", "integer"}, {"coalition", "integer"},
                        {"status", "string"}, {"supports", "integer"},  {"version", "integer"},
                        {"title", "string"},  {"plan", "string"},       {"budget_eur", "integer"}};
    for (const auto& c : challenges) {
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Coalition> cs, store.CoalitionsOf(c.id));
      for (const auto& co : cs) {
        coalitions.rows.push_back({co.id.value(), c.id.value(), domain::CoalitionStatusCode(co.status), co.score,
                                   ScrubPersonalData(co.explanation), co.created_at});
        for (const auto& m : co.members) member_rows.Add(m, {co.id.value()});
      }
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Proposal> ps, store.ProposalsOf(c.id));
      for (const auto& p : ps) {
        if (p.versions.empty() || hidden.count(p.id.value())) continue;
        const auto& v = p.versions.back();
        proposals.rows.push_back({p.id.value(), c.id.value(), p.coalition.value(), p.status, p.supports, v.number,
                                  v.title, ScrubPersonalData(v.plan), v.budget_eur});
      }
    }
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(coalitions, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(members, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(proposals, report));

    t = {"rounds", "Participatory-budgeting rounds; ballots of closed rounds are in rounds/round-<id>.pb", {}, {}};
    t.fields = {{"id", "integer"},      {"municipality", "integer"}, {"municipality_cbs_code", "string"},
                {"name", "string"},     {"budget_eur", "integer"},   {"ballot_kind", "string"},
                {"rule", "string"},     {"phase", "string"},         {"projects", "integer"},
                {"ballots", "integer"}, {"pb_file", "string"}};
    Table projects{"round_projects", "The projects of each round with their cost", {}, {}};
    projects.fields = {{"round", "integer"}, {"project_id", "string"}, {"proposal", "integer"},
                       {"title", "string"},  {"cost_eur", "integer"},  {"category", "string"}};
    for (const auto& r : rounds) {
      Cell pb_file = nullptr;
      int64_t ballot_count = 0;
      if (VotingClosed(r.phase)) {
        WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Ballot> ballots, store.BallotsOf(r.id));
        ballot_count = static_cast<int64_t>(ballots.size());
        auto m = std::find_if(munis.begin(), munis.end(), [&](const auto& x) { return x.id == r.municipality; });
        auto pb = AnonymousRoundPb(r, std::move(ballots), m == munis.end() ? "" : m->name);
        if (!pb.ok())
          return Status::InvalidArgument("round " + std::to_string(r.id.value()) + ": " + pb.status().message());
        std::string name = "rounds/round-" + std::to_string(r.id.value()) + ".pb";
        WEEFSEL_RETURN_IF_ERROR(w.WriteResource(name, *pb, "pb", "text/plain",
                                                "Round " + r.name + " in Pabulib format, anonymous ballots", report));
        pb_file = name;
        ++report.rounds_exported;
      } else {
        ++report.rounds_withheld;
      }
      t.rows.push_back({r.id.value(), IdOrNull(r.municipality.value()), code_of(r.municipality), r.name, r.budget_eur,
                        domain::BallotKindCode(r.ballot_kind), r.rule, domain::RoundPhaseCode(r.phase),
                        static_cast<int64_t>(r.projects.size()),
                        VotingClosed(r.phase) ? Cell(ballot_count) : Cell(nullptr), pb_file});
      for (const auto& p : r.projects)
        projects.rows.push_back({r.id.value(), p.project_id, IdOrNull(p.proposal.value()),
                                 hidden.count(p.proposal.value()) ? std::string() : p.title, p.cost_eur, p.category});
    }
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(projects, report));

    t = {"experiments", "Funded experiments: hypotheses, status, outcome and what was learned", {}, {}};
    t.fields = {{"id", "integer"},       {"proposal", "integer"}, {"status", "string"},
                {"hypotheses", "array"}, {"outcome", "string"},   {"learned", "string"}};
    Table indicators{"indicators", "Indicators of each experiment with baseline and target", {}, {}};
    indicators.fields = {{"experiment", "integer"}, {"indicator", "integer"}, {"name", "string"},
                         {"unit", "string"},        {"baseline", "number"},   {"target", "number"}};
    Table measurements{"measurements", "Measurements of each indicator, with date and source", {}, {}};
    measurements.fields = {{"experiment", "integer"},
                           {"indicator", "integer"},
                           {"date", "date"},
                           {"value", "number"},
                           {"source", "string"}};
    Table milestones{"milestones", "Milestones of each experiment and the amount released on approval", {}, {}};
    milestones.fields = {{"experiment", "integer"},
                         {"title", "string"},
                         {"due", "date"},
                         {"amount_eur", "integer"},
                         {"status", "string"}};
    for (const auto& e : experiments) {
      std::vector<std::string> hyps;
      hyps.reserve(e.hypotheses.size());
      for (const auto& h : e.hypotheses) hyps.push_back(ScrubPersonalData(h));
      t.rows.push_back({e.id.value(), e.proposal.value(), e.status, hyps, ScrubPersonalData(e.outcome),
                        ScrubPersonalData(e.learned)});
      for (const auto& ind : e.indicators) {
        indicators.rows.push_back({e.id.value(), ind.id.value(), ind.name, ind.unit, ind.baseline, ind.target});
        for (const auto& m : ind.measurements)
          measurements.rows.push_back({e.id.value(), ind.id.value(), m.date, m.value, ScrubPersonalData(m.source)});
      }
      for (const auto& m : e.milestones)
        milestones.rows.push_back({e.id.value(), m.title, m.due, m.amount_eur, m.status});
    }
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(indicators, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(measurements, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(milestones, report));

    // The fabric: descriptions scrubbed as in actors.csv.
    for (auto& a : actors) a.description = ScrubPersonalData(a.description);
    WEEFSEL_ASSIGN_OR_RETURN(fabric::Fabric fab, fabric::Fabric::FromDomain(actors, ties));
    WEEFSEL_RETURN_IF_ERROR(
        w.WriteResource("fabric.graphml", fabric::ToGraphMl(fab), "graphml", "application/graphml+xml",
                        "The collaboration network (actors and ties) as GraphML, for Gephi or networkx", report));
    return w.WritePackage(report);
  };
  Status st = run();
  if (st.ok()) {
    if (target_kind == Kind::kDirectory) (void)files.Remove(dir);  // an empty directory
    Status moved = files.Rename(staging.string(), dir);
    if (!moved.ok()) st = Status::Internal(dir + ": cannot move the export into place: " + moved.message());
  }
  if (!st.ok()) {
    (void)files.RemoveAll(staging.string());
    return st;
  }
  std::sort(report.files.begin(), report.files.end());
  return report;
}

}  // namespace weefsel::service
