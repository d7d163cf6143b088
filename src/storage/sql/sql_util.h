// storage/sql/sql_util.h: what every concept file of SqlStore shares (internal to storage/sql/):
// parameter helpers, list columns stored as JSON arrays, corrupt-row errors, the WHERE/ORDER/LIMIT
// tail builder of the lists and the change-scope queries. Thread-safety: plain functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/strings.h"
#include "domain/model.h"
#include "storage/sql/sql_connection.h"
#include "storage/store.h"

namespace weefsel::storage::sql {

// The municipality of a proposal (through its challenge) and of an experiment (through its
// proposal), for the scopes a write touches.
constexpr const char* kMunicipalityOfProposal =
    "SELECT c.municipality_id FROM proposals p JOIN challenges c ON c.id = p.challenge_id WHERE p.id = $1";
constexpr const char* kMunicipalityOfExperiment =
    "SELECT c.municipality_id FROM experiments e JOIN proposals p ON p.id = e.proposal_id "
    "JOIN challenges c ON c.id = p.challenge_id WHERE e.id = $1";

using domain::Actor;
using domain::Ballot;
using domain::Challenge;
using domain::Coalition;
using domain::Experiment;
using domain::Municipality;
using domain::Proposal;
using domain::Round;
using domain::Tie;
using domain::User;
using Params = std::vector<SqlValue>;

template <typename Tag>
SqlValue IdOrNull(Id<Tag> id) {
  if (!id.valid()) return std::monostate{};
  return id.value();
}
inline SqlValue Int(int64_t v) { return v; }
inline SqlValue Text(std::string_view s) { return std::string(s); }

// Lists of strings are stored as JSON arrays of strings: readable in the database and exports.
inline std::string EncodeList(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::optional<std::vector<std::string>> DecodeList(std::string_view s) {
  if (s.find_first_not_of(" \n\t") == std::string_view::npos) return std::vector<std::string>{};  // empty column
  nlohmann::json j = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(j.size());
  for (const auto& e : j) {
    if (!e.is_string()) return std::nullopt;
    out.push_back(e.get<std::string>());
  }
  return out;
}

inline Status Corrupt(std::string_view table, int64_t id, std::string_view what) {
  return Status::Internal(std::string(table) + " row " + std::to_string(id) + ": " + std::string(what));
}

inline Result<std::vector<std::string>> ListColumn(const SqlRows& r, size_t row, size_t col, std::string_view table,
                                                   std::string_view column) {
  auto v = DecodeList(r.Str(row, col));
  if (!v) return Corrupt(table, r.Int(row, 0), std::string(column) + " is not a JSON list of strings");
  return std::move(*v);
}

// Parses an enum code read back from the database; a bad one means a corrupt row.
template <typename T>
Result<T> Code(Result<T> parsed, std::string_view table, int64_t id) {
  if (!parsed.ok()) return Corrupt(table, id, parsed.status().message());
  return parsed;
}

// "%needle%" for `search_key LIKE $n ESCAPE '\'`, folded like the stored keys.
inline std::string LikePattern(std::string_view search) {
  std::string out = "%";
  for (char c : FoldCase(Trim(search))) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

constexpr const char* kLikeEscape = " ESCAPE '\\'";

// Builds WHERE/ORDER/LIMIT tails with numbered parameters.
class Tail {
 public:
  explicit Tail(Params& params) : params_(params) {}
  std::string Param(SqlValue v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }
  void Where(const std::string& cond) { where_.push_back(cond); }
  std::string WhereClause() const {
    std::string out;
    for (size_t i = 0; i < where_.size(); ++i) out += (i ? " AND " : " WHERE ") + where_[i];
    return out;
  }

 private:
  Params& params_;
  std::vector<std::string> where_;
};

struct OrderColumn {
  std::string_view name;    // as the caller writes it
  std::string_view column;  // SQL column
  bool text;
};

// ORDER BY <allowed column> [DESC], id; then LIMIT/OFFSET as parameters.
inline Result<std::string> OrderAndPage(const ListQuery& q, const std::vector<OrderColumn>& allowed,
                                        const SqlConnection& conn, Tail& tail) {
  if (q.limit < 0) return Status::InvalidArgument("list.limit: must not be negative");
  if (q.offset < 0) return Status::InvalidArgument("list.offset: must not be negative");
  std::string order = " ORDER BY ";
  if (!q.order_by.empty()) {
    bool desc = q.order_by[0] == '-';
    std::string_view name = std::string_view(q.order_by).substr(desc ? 1 : 0);
    const OrderColumn* found = nullptr;
    for (const auto& c : allowed)
      if (c.name == name) found = &c;
    if (!found) {
      std::string names;
      for (const auto& c : allowed) names += (names.empty() ? "" : ", ") + std::string(c.name);
      return Status::InvalidArgument("list.order_by: cannot order by '" + std::string(name) +
                                     "' (allowed: " + (names.empty() ? "none" : names) + ", with '-' for descending)");
    }
    std::string col(found->column);
    order += (found->text ? conn.OrderText(col) : col) + (desc ? " DESC" : "") + ", ";
  }
  order += "id";
  int64_t limit = q.limit > 0 ? q.limit : std::numeric_limits<int64_t>::max();
  order += " LIMIT " + tail.Param(limit) + " OFFSET " + tail.Param(q.offset);
  return order;
}

inline std::string Singular(std::string_view table) {
  if (table == "municipalities") return "municipality";
  if (table == "actors") return "actor";
  if (table == "challenges") return "challenge";
  if (table == "coalitions") return "coalition";
  if (table == "proposals") return "proposal";
  if (table == "rounds") return "round";
  if (table == "users") return "user";
  if (table == "experiments") return "experiment";
  return std::string(table);
}

// The one row reader of milestones: "title, due, amount_eur, status, evidence" from column `c`.
inline domain::Milestone MilestoneAt(const SqlRows& r, size_t i, size_t c) {
  domain::Milestone m;
  m.title = r.Str(i, c);
  m.due = r.Str(i, c + 1);
  m.amount_eur = r.Int(i, c + 2);
  m.status = r.Str(i, c + 3);
  m.evidence = r.Str(i, c + 4);
  return m;
}

// The index of each row by its id, to attach the child rows of a batched read to their parent.
template <typename T>
std::unordered_map<int64_t, size_t> IndexById(const std::vector<T>& rows) {
  std::unordered_map<int64_t, size_t> at;
  at.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) at.emplace(rows[i].id.value(), i);
  return at;
}

// A column of user ids (the first), in the order read.
inline std::vector<UserId> UserIds(const SqlRows& r) {
  std::vector<UserId> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.Int(i, 0));
  return out;
}

inline int64_t IntOrZero(const SqlRows& r, size_t i, size_t c) { return r.Null(i, c) ? 0 : r.Int(i, c); }

}  // namespace weefsel::storage::sql
