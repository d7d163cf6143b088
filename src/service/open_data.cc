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

// Columns of one entity's field table as the open data writes them: typed in the package by the
// field, valued by its encoder (free text scrubbed), a municipality's CBS code beside its id.
template <typename T>
class Columns {
 public:
  // Exactly the public fields (fields::InOpenData), in table order.
  static Columns Public(const domain::fields::FieldTable<T>& table) {
    return Columns(files::ColumnsOf(table, [](const auto& f) { return domain::fields::InOpenData(f); }));
  }
  // The named public fields, in the order named, for the files that are views (a proposal with its
  // current version, a round with its counts): `{"number", "version"}` writes the field `number`
  // under the column name `version`. Internal when a name is not a public field of the table.
  struct Pick {
    std::string field;
    std::string column;  // "" for the field's own name
  };
  static Result<Columns> Picked(const domain::fields::FieldTable<T>& table, const std::vector<Pick>& picks) {
    const auto all = Public(table).cols_;
    std::vector<files::Column<T>> out;
    for (const auto& pick : picks) {
      size_t found = 0;
      for (const auto& c : all) {
        if (c.field->name != pick.field) continue;
        out.push_back(c);
        if (!c.cbs_code && !pick.column.empty()) out.back().name = pick.column;
        ++found;
      }
      if (found == 0)
        return Status::Internal("open data: " + table.schema + "." + pick.field + " is not a public field");
    }
    return Columns(std::move(out));
  }

  // Appends the columns to `t`'s fields / their values for `item` to `row`.
  void Declare(Table& t) const {
    for (const auto& c : cols_) t.fields.emplace_back(c.name, FrictionlessType(c));
  }
  void Append(const T& item, const files::MunicipalityCodes& codes, std::vector<Cell>& row) const {
    for (const auto& c : cols_) row.push_back(Published(files::ValueOf(c, item, codes), c.field->free_text));
  }

 private:
  explicit Columns(std::vector<files::Column<T>> cols) : cols_(std::move(cols)) {}
  std::vector<files::Column<T>> cols_;
};

// The rows of `t` made of one entity's field table: exactly its public fields
// (fields::InOpenData), with a municipality's CBS code beside its id (files::ColumnsOf), after the
// ids of its owners (`parents`: "coalition" for a coalition's members).
template <typename T>
class PublicRows {
 public:
  PublicRows(Table& t, const domain::fields::FieldTable<T>& table, const files::MunicipalityCodes& codes,
             const std::vector<std::string>& parents = {})
      : t_(t), codes_(codes), cols_(Columns<T>::Public(table)) {
    for (const auto& p : parents) t_.fields.emplace_back(p, "integer");
    cols_.Declare(t_);
  }
  void Add(const T& item, std::vector<Cell> row = {}) {
    cols_.Append(item, codes_, row);
    t_.rows.push_back(std::move(row));
  }

 private:
  Table& t_;
  const files::MunicipalityCodes& codes_;
  Columns<T> cols_;
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
  if (target_kind == Kind::kFile || target_kind == Kind::kOther ||
      (target_kind == Kind::kDirectory && (!held.ok() || !held->empty())))
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
    // The coalitions without their members (coalition_members has them).
    Table coalitions{"coalitions", "Coalitions formed for challenges", {}, {}};
    WEEFSEL_ASSIGN_OR_RETURN(
        auto coalition_cols,
        Columns<domain::Coalition>::Picked(
            fields::CoalitionFields(),
            {{"id", ""}, {"challenge", ""}, {"status", ""}, {"score", ""}, {"explanation", ""}, {"created_at", ""}}));
    coalition_cols.Declare(coalitions);
    Table members{"coalition_members", "Members of each coalition, the sector each brings and what it covers", {}, {}};
    PublicRows<domain::CoalitionMember> member_rows(members, fields::CoalitionMemberFields(), codes, {"coalition"});
    // A view: each proposal with its current version (the version's number as `version`).
    Table proposals{"proposals", "Proposals written by coalitions (current version)", {}, {}};
    WEEFSEL_ASSIGN_OR_RETURN(auto proposal_cols,
                             Columns<domain::Proposal>::Picked(
                                 fields::ProposalFields(),
                                 {{"id", ""}, {"challenge", ""}, {"coalition", ""}, {"status", ""}, {"supports", ""}}));
    WEEFSEL_ASSIGN_OR_RETURN(
        auto version_cols,
        Columns<domain::ProposalVersion>::Picked(
            fields::ProposalVersionFields(), {{"number", "version"}, {"title", ""}, {"plan", ""}, {"budget_eur", ""}}));
    proposal_cols.Declare(proposals);
    version_cols.Declare(proposals);
    for (const auto& c : challenges) {
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Coalition> cs, store.CoalitionsOf(c.id));
      for (const auto& co : cs) {
        coalition_cols.Append(co, codes, coalitions.rows.emplace_back());
        for (const auto& m : co.members) member_rows.Add(m, {co.id.value()});
      }
      WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Proposal> ps, store.ProposalsOf(c.id));
      for (const auto& p : ps) {
        if (p.versions.empty() || hidden.count(p.id.value())) continue;
        std::vector<Cell>& row = proposals.rows.emplace_back();
        proposal_cols.Append(p, codes, row);
        version_cols.Append(p.versions.back(), codes, row);
      }
    }
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(coalitions, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(members, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(proposals, report));

    // A view: each round with its counts (`projects` is a round's list of projects everywhere
    // else, so the count is `project_count`) and its .pb file; the projects in round_projects.
    t = {"rounds", "Participatory-budgeting rounds; ballots of closed rounds are in rounds/round-<id>.pb", {}, {}};
    WEEFSEL_ASSIGN_OR_RETURN(auto round_cols,
                             Columns<domain::Round>::Picked(fields::RoundFields(), {{"id", ""},
                                                                                    {"municipality", ""},
                                                                                    {"name", ""},
                                                                                    {"budget_eur", ""},
                                                                                    {"ballot_kind", ""},
                                                                                    {"rule", ""},
                                                                                    {"phase", ""}}));
    round_cols.Declare(t);
    t.fields.insert(t.fields.end(), {{"project_count", "integer"}, {"ballots", "integer"}, {"pb_file", "string"}});
    Table projects{"round_projects", "The projects of each round with their cost", {}, {}};
    projects.fields = {{"round", "integer"}};
    WEEFSEL_ASSIGN_OR_RETURN(
        auto project_cols,
        Columns<domain::RoundProject>::Picked(
            fields::RoundProjectFields(),
            {{"project_id", ""}, {"proposal", ""}, {"title", ""}, {"cost_eur", ""}, {"category", ""}}));
    project_cols.Declare(projects);
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
      std::vector<Cell>& row = t.rows.emplace_back();
      round_cols.Append(r, codes, row);
      row.insert(row.end(), {static_cast<int64_t>(r.projects.size()),
                             VotingClosed(r.phase) ? Cell(ballot_count) : Cell(nullptr), pb_file});
      for (domain::RoundProject p : r.projects) {
        if (hidden.count(p.proposal.value())) p.title.clear();
        std::vector<Cell> project{r.id.value()};
        project_cols.Append(p, codes, project);
        projects.rows.push_back(std::move(project));
      }
    }
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(t, report));
    WEEFSEL_RETURN_IF_ERROR(w.WriteTable(projects, report));

    // The experiments without their lists, which have files of their own (an indicator's id is
    // `indicator` there, as in measurements); a milestone's evidence text is not published.
    t = {"experiments", "Funded experiments: hypotheses, status, outcome and what was learned", {}, {}};
    WEEFSEL_ASSIGN_OR_RETURN(
        auto experiment_cols,
        Columns<domain::Experiment>::Picked(
            fields::ExperimentFields(),
            {{"id", ""}, {"proposal", ""}, {"status", ""}, {"hypotheses", ""}, {"outcome", ""}, {"learned", ""}}));
    experiment_cols.Declare(t);
    Table indicators{"indicators", "Indicators of each experiment with baseline and target", {}, {}};
    indicators.fields = {{"experiment", "integer"}};
    WEEFSEL_ASSIGN_OR_RETURN(auto indicator_cols,
                             Columns<domain::Indicator>::Picked(
                                 fields::IndicatorFields(),
                                 {{"id", "indicator"}, {"name", ""}, {"unit", ""}, {"baseline", ""}, {"target", ""}}));
    indicator_cols.Declare(indicators);
    Table measurements{"measurements", "Measurements of each indicator, with date and source", {}, {}};
    PublicRows<domain::Measurement> measurement_rows(measurements, fields::MeasurementFields(), codes,
                                                     {"experiment", "indicator"});
    Table milestones{"milestones", "Milestones of each experiment and the amount released on approval", {}, {}};
    milestones.fields = {{"experiment", "integer"}};
    WEEFSEL_ASSIGN_OR_RETURN(
        auto milestone_cols,
        Columns<domain::Milestone>::Picked(fields::MilestoneFields(),
                                           {{"title", ""}, {"due", ""}, {"amount_eur", ""}, {"status", ""}}));
    milestone_cols.Declare(milestones);
    for (const auto& e : experiments) {
      experiment_cols.Append(e, codes, t.rows.emplace_back());
      for (const auto& ind : e.indicators) {
        std::vector<Cell> row{e.id.value()};
        indicator_cols.Append(ind, codes, row);
        indicators.rows.push_back(std::move(row));
        for (const auto& m : ind.measurements) measurement_rows.Add(m, {e.id.value(), ind.id.value()});
      }
      for (const auto& m : e.milestones) {
        std::vector<Cell> row{e.id.value()};
        milestone_cols.Append(m, codes, row);
        milestones.rows.push_back(std::move(row));
      }
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
