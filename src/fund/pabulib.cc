#include "fund/pabulib.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "base/csv.h"
#include "base/strings.h"

namespace weefsel::fund {
namespace {

enum class Section { kNone, kMeta, kProjects, kVotes };

std::optional<Section> SectionOf(const CsvRecord& rec) {
  if (rec.fields.size() != 1) return std::nullopt;
  std::string s = ToLowerAscii(Trim(rec.fields[0]));
  if (s == "meta") return Section::kMeta;
  if (s == "projects") return Section::kProjects;
  if (s == "votes") return Section::kVotes;
  return std::nullopt;
}

bool IsBlank(const CsvRecord& rec) {
  for (const auto& f : rec.fields)
    if (!Trim(f).empty()) return false;
  return true;
}

struct Table {
  int header_line = 0;
  std::vector<std::string> header;
  std::vector<CsvRecord> rows;
  int Column(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
};

int64_t Pow10(int d) {
  int64_t r = 1;
  while (d-- > 0) r *= 10;
  return r;
}

}  // namespace

Result<Instance> ParsePb(const std::string& name, std::string text) {
  CsvReader reader(name, std::move(text), ';');
  Table tables[4];
  bool seen[4] = {false, false, false, false};
  Section current = Section::kNone;
  bool expect_header = false;
  auto err = [&](int line, const std::string& what) {
    return Status::InvalidArgument(name + " line " + std::to_string(line) + ": " + what);
  };
  while (true) {
    WEEFSEL_ASSIGN_OR_RETURN(std::optional<CsvRecord> rec, reader.Next());
    if (!rec) break;
    if (IsBlank(*rec)) continue;
    if (auto s = SectionOf(*rec)) {
      int idx = static_cast<int>(*s);
      if (seen[idx]) return err(rec->line, "section " + std::string(Trim(rec->fields[0])) + " appears twice");
      if (static_cast<int>(*s) <= static_cast<int>(current))
        return err(rec->line, "section " + std::string(Trim(rec->fields[0])) +
                                  " is out of order (expected META, PROJECTS, VOTES)");
      if (expect_header) return err(rec->line, "the previous section has no header line");
      seen[idx] = true;
      current = *s;
      expect_header = true;
      continue;
    }
    if (current == Section::kNone)
      return err(rec->line, "expected the section line META, found '" + rec->fields[0] + "'");
    Table& t = tables[static_cast<int>(current)];
    if (expect_header) {
      t.header_line = rec->line;
      for (auto& f : rec->fields) t.header.push_back(std::string(Trim(f)));
      expect_header = false;
      continue;
    }
    if (rec->fields.size() != t.header.size())
      return err(rec->line, std::to_string(rec->fields.size()) + " fields, expected " +
                                std::to_string(t.header.size()) + " as in the header (line " +
                                std::to_string(t.header_line) + "); is the file truncated?");
    t.rows.push_back(std::move(*rec));
  }
  const char* kNames[4] = {"", "META", "PROJECTS", "VOTES"};
  for (int i = 1; i <= 3; ++i) {
    if (!seen[i])
      return Status::InvalidArgument(name + ": missing section " + kNames[i] + " (the file may be truncated)");
    if (tables[i].header.empty())
      return Status::InvalidArgument(name + ": section " + std::string(kNames[i]) +
                                     " has no header line (the file may be truncated)");
  }

  Instance in;
  // META
  const Table& meta = tables[1];
  std::optional<Decimal> budget;
  int budget_line = 0;
  for (const auto& row : meta.rows) {
    if (row.fields.size() < 2) return err(row.line, "META rows need a key and a value");
    std::string key(Trim(row.fields[0]));
    std::string value(Trim(row.fields[1]));
    in.meta.emplace_back(key, value);
    if (key == "budget") {
      budget = ParseDecimal(value);
      budget_line = row.line;
      if (!budget) return err(row.line, "field budget: '" + value + "' is not a number");
      if (budget->units < 0) return err(row.line, "field budget: must not be negative, got " + value);
    } else if (key == "vote_type") {
      auto vt = ParseVoteType(value);
      if (!vt.ok()) return err(row.line, "field vote_type: " + vt.status().message());
      in.vote_type = *vt;
    }
  }
  if (!budget) return Status::InvalidArgument(name + ": META has no budget");
  if (!in.Meta("vote_type")) return Status::InvalidArgument(name + ": META has no vote_type");

  // PROJECTS
  const Table& pt = tables[2];
  int c_id = pt.Column("project_id"), c_cost = pt.Column("cost");
  if (c_id < 0) return err(pt.header_line, "PROJECTS header has no project_id column");
  if (c_cost < 0) return err(pt.header_line, "PROJECTS header has no cost column");
  int c_cat = pt.Column("category");
  if (c_cat < 0) c_cat = pt.Column("categories");
  int c_nb = pt.Column("neighbourhood");
  std::vector<int> extra_cols;
  for (size_t i = 0; i < pt.header.size(); ++i)
    if (static_cast<int>(i) != c_id && static_cast<int>(i) != c_cost) {
      extra_cols.push_back(static_cast<int>(i));
      in.project_columns.push_back(pt.header[i]);
    }
  std::vector<Decimal> costs;
  std::unordered_map<std::string, int> index;
  int max_decimals = budget->decimals;
  for (const auto& row : pt.rows) {
    Project p;
    p.id = std::string(Trim(row.fields[c_id]));
    if (p.id.empty()) return err(row.line, "field project_id: empty");
    if (index.count(p.id)) return err(row.line, "field project_id: project '" + p.id + "' is listed twice");
    auto cost = ParseDecimal(row.fields[c_cost]);
    if (!cost) return err(row.line, "field cost: '" + row.fields[c_cost] + "' is not a number");
    if (cost->units < 0) return err(row.line, "field cost: must not be negative, got " + row.fields[c_cost]);
    max_decimals = std::max(max_decimals, cost->decimals);
    if (max_decimals > 6) return err(row.line, "field cost: more than 6 decimals are not supported");
    costs.push_back(*cost);
    if (c_cat >= 0) p.category = std::string(Trim(row.fields[c_cat]));
    if (c_nb >= 0) p.neighbourhood = std::string(Trim(row.fields[c_nb]));
    for (int c : extra_cols) p.extra.push_back(row.fields[c]);
    index.emplace(p.id, static_cast<int>(in.projects.size()));
    in.projects.push_back(std::move(p));
  }
  if (max_decimals > 6) return err(budget_line, "field budget: more than 6 decimals are not supported");
  in.scale = Pow10(max_decimals);
  auto rescale = [&](const Decimal& d) { return d.units * Pow10(max_decimals - d.decimals); };
  in.budget = rescale(*budget);
  for (size_t i = 0; i < costs.size(); ++i) in.projects[i].cost = rescale(costs[i]);
  for (auto& [k, v] : in.meta)
    if (k == "budget") v = FormatMoney(in.budget, in.scale);  // "100,5" and "100.50" read as "100.5"

  // VOTES
  const Table& vt = tables[3];
  int c_voter = vt.Column("voter_id"), c_vote = vt.Column("vote"), c_points = vt.Column("points");
  if (c_voter < 0) return err(vt.header_line, "VOTES header has no voter_id column");
  if (c_vote < 0) return err(vt.header_line, "VOTES header has no vote column");
  bool uses_points = in.vote_type == VoteType::kCumulative || in.vote_type == VoteType::kScoring;
  if (uses_points && c_points < 0)
    return err(vt.header_line,
               "VOTES header has no points column, which " + std::string(VoteTypeCode(in.vote_type)) + " ballots need");
  std::vector<int> vextra;
  for (size_t i = 0; i < vt.header.size(); ++i) {
    int ii = static_cast<int>(i);
    if (ii == c_voter || ii == c_vote || (uses_points && ii == c_points)) continue;
    vextra.push_back(ii);
    in.voter_columns.push_back(vt.header[i]);
  }
  std::vector<int> slot(in.projects.size(), -1);  // position of a project in the current ballot
  in.voters.reserve(vt.rows.size());
  for (const auto& row : vt.rows) {
    Voter v;
    v.id = std::string(Trim(row.fields[c_voter]));
    std::vector<std::string> ids = Split(row.fields[c_vote], ',');
    if (ids.size() == 1 && Trim(ids[0]).empty()) ids.clear();
    std::vector<std::string> pts;
    if (uses_points) {
      pts = Split(row.fields[c_points], ',');
      if (pts.size() == 1 && Trim(pts[0]).empty()) pts.clear();
      if (pts.size() != ids.size())
        return err(row.line, "field points: " + std::to_string(pts.size()) + " numbers for " +
                                 std::to_string(ids.size()) + " projects in field vote");
    }
    for (size_t k = 0; k < ids.size(); ++k) {
      std::string pid(Trim(ids[k]));
      auto it = index.find(pid);
      if (it == index.end()) return err(row.line, "field vote: unknown project '" + pid + "' (not in PROJECTS)");
      int64_t points = 1;
      if (uses_points) {
        auto p = ParseInt(pts[k]);
        if (!p) return err(row.line, "field points: '" + pts[k] + "' is not a whole number");
        if (*p < 0) return err(row.line, "field points: negative points " + pts[k]);
        points = *p;
      }
      int pi = it->second;
      if (slot[pi] >= 0) {
        // Listed twice: pabutools keeps the first position and the last points (a dict update);
        // for an ordinal ballot the first rank stays.
        if (uses_points) v.ballot[slot[pi]].points = points;
        continue;
      }
      slot[pi] = static_cast<int>(v.ballot.size());
      v.ballot.push_back({pi, points});
    }
    for (const auto& e : v.ballot) slot[e.project] = -1;
    for (int c : vextra) v.extra.push_back(row.fields[c]);
    in.voters.push_back(std::move(v));
  }

  // Counts announced in META must match (a cut-off file is caught here).
  for (const auto& row : meta.rows) {
    std::string key(Trim(row.fields[0]));
    if (key != "num_projects" && key != "num_votes") continue;
    auto n = ParseInt(row.fields[1]);
    size_t actual = key == "num_projects" ? in.projects.size() : in.voters.size();
    if (!n) return err(row.line, "field " + key + ": '" + row.fields[1] + "' is not a whole number");
    if (static_cast<size_t>(*n) != actual)
      return err(row.line, "field " + key + ": META says " + row.fields[1] + " but the file has " +
                               std::to_string(actual) + " (is the file truncated?)");
  }

  // Group caps (Amsterdam): categories / neighbourhoods with parallel budget lists.
  auto caps = [&](const char* names_key, const char* budgets_key, std::vector<GroupCap>& out) -> Status {
    auto names = in.Meta(names_key);
    auto budgets = in.Meta(budgets_key);
    if (!budgets) return Status::Ok();
    if (!names) return Status::InvalidArgument(name + ": META has " + budgets_key + " but no " + names_key);
    auto ns = Split(*names, ','), bs = Split(*budgets, ',');
    if (ns.size() != bs.size())
      return Status::InvalidArgument(name + ": META " + budgets_key + " has " + std::to_string(bs.size()) +
                                     " amounts for " + std::to_string(ns.size()) + " " + names_key);
    for (size_t i = 0; i < ns.size(); ++i) {
      auto d = ParseDecimal(bs[i]);
      if (!d || d->units < 0)
        return Status::InvalidArgument(name + ": META " + budgets_key + ": '" + bs[i] + "' is not an amount");
      if (d->decimals > max_decimals)
        return Status::InvalidArgument(name + ": META " + budgets_key + ": too many decimals in '" + bs[i] + "'");
      out.push_back({std::string(Trim(ns[i])), rescale(*d)});
    }
    return Status::Ok();
  };
  WEEFSEL_RETURN_IF_ERROR(caps("categories", "budget_per_category", in.category_caps));
  WEEFSEL_RETURN_IF_ERROR(caps("neighbourhoods", "budget_per_neighbourhood", in.neighbourhood_caps));
  return in;
}

Result<Instance> ReadPb(const std::string& path) {
  WEEFSEL_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParsePb(path, std::move(text));
}

std::string FormatPb(const Instance& in) {
  std::string out = "META\n";
  out += CsvLine({"key", "value"}, ';');
  auto put_meta = [&](const std::string& k, const std::string& v) { out += CsvLine({k, v}, ';'); };
  bool has_budget = false, has_type = false;
  for (const auto& [k, v] : in.meta) {
    if (k == "key") continue;
    if (k == "budget") {
      put_meta(k, FormatMoney(in.budget, in.scale));
      has_budget = true;
    } else if (k == "vote_type") {
      put_meta(k, std::string(VoteTypeCode(in.vote_type)));
      has_type = true;
    } else if (k == "num_projects") {
      put_meta(k, std::to_string(in.projects.size()));
    } else if (k == "num_votes") {
      put_meta(k, std::to_string(in.voters.size()));
    } else {
      put_meta(k, v);
    }
  }
  if (!has_budget) put_meta("budget", FormatMoney(in.budget, in.scale));
  if (!has_type) put_meta("vote_type", std::string(VoteTypeCode(in.vote_type)));

  out += "PROJECTS\n";
  std::vector<std::string> header = {"project_id", "cost"};
  header.insert(header.end(), in.project_columns.begin(), in.project_columns.end());
  auto has_col = [&](const std::vector<std::string>& cols, const char* c) {
    return std::find(cols.begin(), cols.end(), c) != cols.end();
  };
  bool add_cat =
      !has_col(in.project_columns, "category") && !has_col(in.project_columns, "categories") &&
      std::any_of(in.projects.begin(), in.projects.end(), [](const Project& p) { return !p.category.empty(); });
  bool add_nb =
      !has_col(in.project_columns, "neighbourhood") &&
      std::any_of(in.projects.begin(), in.projects.end(), [](const Project& p) { return !p.neighbourhood.empty(); });
  if (add_cat) header.push_back("category");
  if (add_nb) header.push_back("neighbourhood");
  out += CsvLine(header, ';');
  for (const auto& p : in.projects) {
    std::vector<std::string> row = {p.id, FormatMoney(p.cost, in.scale)};
    row.insert(row.end(), p.extra.begin(), p.extra.end());
    row.resize(2 + in.project_columns.size());
    if (add_cat) row.push_back(p.category);
    if (add_nb) row.push_back(p.neighbourhood);
    out += CsvLine(row, ';');
  }

  out += "VOTES\n";
  bool uses_points = in.vote_type == VoteType::kCumulative || in.vote_type == VoteType::kScoring;
  std::vector<std::string> vh = {"voter_id", "vote"};
  if (uses_points) vh.push_back("points");
  vh.insert(vh.end(), in.voter_columns.begin(), in.voter_columns.end());
  out += CsvLine(vh, ';');
  for (const auto& v : in.voters) {
    std::string ids, pts;
    for (size_t k = 0; k < v.ballot.size(); ++k) {
      if (k) {
        ids += ',';
        pts += ',';
      }
      ids += in.projects[v.ballot[k].project].id;
      pts += std::to_string(v.ballot[k].points);
    }
    std::vector<std::string> row = {v.id, ids};
    if (uses_points) row.push_back(pts);
    row.insert(row.end(), v.extra.begin(), v.extra.end());
    row.resize(vh.size());
    out += CsvLine(row, ';');
  }
  return out;
}

Status WritePb(const std::string& path, const Instance& in) { return WriteFileAtomic(path, FormatPb(in)); }

}  // namespace weefsel::fund
