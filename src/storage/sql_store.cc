#include "storage/sql_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <unordered_set>

#include "base/clock.h"
#include "base/strings.h"

namespace weefsel::storage {

// ---------------------------------------------------------------------------------------------
// SqlRows accessors.

int64_t SqlRows::Int(size_t r, size_t c) const {
  const SqlValue& v = rows_[r][c];
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) {
    // Saturate: casting a double outside int64 (or NaN) is undefined behaviour.
    if (std::isnan(*d)) return 0;
    if (*d >= 9.2e18) return INT64_MAX;
    if (*d <= -9.2e18) return INT64_MIN;
    return static_cast<int64_t>(*d);
  }
  if (auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

double SqlRows::Dbl(size_t r, size_t c) const {
  const SqlValue& v = rows_[r][c];
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string SqlRows::Str(size_t r, size_t c) const {
  const SqlValue& v = rows_[r][c];
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, res.ptr);
  }
  return "";
}

namespace {

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
SqlValue Int(int64_t v) { return v; }
SqlValue Text(std::string_view s) { return std::string(s); }

// Lists of strings are stored as JSON arrays of strings: readable in the database and exports.
std::string EncodeList(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::vector<std::string>> DecodeList(std::string_view s) {
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

Status Corrupt(std::string_view table, int64_t id, std::string_view what) {
  return Status::Internal(std::string(table) + " row " + std::to_string(id) + ": " + std::string(what));
}

Result<std::vector<std::string>> ListColumn(const SqlRows& r, size_t row, size_t col, std::string_view table,
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
std::string LikePattern(std::string_view search) {
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
Result<std::string> OrderAndPage(const ListQuery& q, const std::vector<OrderColumn>& allowed, const SqlConnection& conn,
                                 Tail& tail) {
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

std::string Singular(std::string_view table) {
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

std::string EncodeSectorMix(const domain::SectorMix& mix) {
  std::vector<std::string> items;
  for (auto& [s, n] : mix) items.push_back(std::string(domain::SectorCode(s)) + ":" + std::to_string(n));
  return EncodeList(items);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Plumbing.

Result<std::unique_ptr<Store>> SqlStore::Create(std::unique_ptr<SqlConnection> conn,
                                                const std::vector<Migration>& migrations) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(conn)));
  WEEFSEL_RETURN_IF_ERROR(store->Migrate(migrations));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> SqlStore::CreateReader(std::unique_ptr<SqlConnection> conn) {
  std::unique_ptr<SqlStore> store(new SqlStore(std::move(conn)));
  auto version = store->SchemaVersion();
  if (!version.ok() || *version <= 0)
    return Status::FailedPrecondition("the database has no weefsel schema yet: open it for writing first");
  return std::unique_ptr<Store>(std::move(store));
}

Status SqlStore::Migrate(const std::vector<Migration>& migrations) {
  int known = 0;  // the highest number this build knows (the list may have gaps)
  for (const auto& m : migrations) known = std::max(known, m.version);
  return Transaction([&]() -> Status {
    if (conn_->Dialect() == "postgres") {
      // Two processes opening a fresh database at once: one migrates, the other waits.
      WEEFSEL_RETURN_IF_ERROR(conn_->Exec("SELECT pg_advisory_xact_lock(7364217)"));
    }
    WEEFSEL_RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at TEXT NOT NULL)"));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows rows, Q("SELECT version FROM schema_migrations ORDER BY version"));
    std::unordered_set<int64_t> applied;
    int64_t highest = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      applied.insert(rows.Int(i, 0));
      highest = std::max(highest, rows.Int(i, 0));
    }
    if (highest > known)
      return Status::FailedPrecondition("database schema version " + std::to_string(highest) +
                                        " is newer than this weefsel knows (" + std::to_string(known) + ")");
    for (const auto& m : migrations) {
      if (applied.count(m.version)) continue;
      Status s = conn_->Exec(m.sql);
      if (!s.ok()) return s.WithContext("migration " + std::to_string(m.version) + " (" + m.name + ")");
      WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                                {Int(m.version), Text(m.name), Text(FormatTimestamp(SystemClock::Default().Now()))})
                                  .status());
    }
    return Status::Ok();
  });
}

Result<SqlRows> SqlStore::Q(const std::string& sql, const std::vector<SqlValue>& params) {
  return conn_->Query(sql, params);
}

Status SqlStore::Transaction(const std::function<Status()>& body) {
  const int level = depth_;
  const std::string savepoint = "weefsel_sp" + std::to_string(level);
  WEEFSEL_RETURN_IF_ERROR(conn_->Exec(level == 0 ? conn_->BeginSql() : "SAVEPOINT " + savepoint));
  ++depth_;
  Status s;
  try {
    s = body();
  } catch (const std::exception& e) {
    s = Status::Internal(std::string("transaction body threw: ") + e.what());
  } catch (...) {
    s = Status::Internal("transaction body threw a non-standard exception");
  }
  --depth_;
  if (s.ok()) {
    s = conn_->Exec(level == 0 ? "COMMIT" : "RELEASE SAVEPOINT " + savepoint);
    if (s.ok()) return s;
  }
  if (level == 0) {
    (void)conn_->Exec("ROLLBACK");
  } else {
    (void)conn_->Exec("ROLLBACK TO SAVEPOINT " + savepoint);
    (void)conn_->Exec("RELEASE SAVEPOINT " + savepoint);
  }
  return s;
}

Status SqlStore::Write(const std::function<Status()>& body) {
  std::vector<std::string> outer = std::move(touched_);  // a Write inside a Write records its own
  touched_.clear();
  Status s = Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(body());
    if (touched_.empty()) touched_.emplace_back(scope::kAll);
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    // The feed rows go in last, so that under PostgreSQL the ids are taken just before COMMIT and
    // the window in which a higher id is visible before a lower one stays short (service/platform.cc
    // waits for such gaps).
    std::string sql = "INSERT INTO data_changes (scope) VALUES ";
    Params p;
    for (size_t i = 0; i < touched_.size(); ++i) {
      sql += (i ? ", ($" : "($") + std::to_string(i + 1) + ")";
      p.push_back(Text(touched_[i]));
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql + " RETURNING id", p));
    int64_t lo = INT64_MAX, hi = 0;
    for (size_t i = 0; i < r.size(); ++i) {
      lo = std::min(lo, r.Int(i, 0));
      hi = std::max(hi, r.Int(i, 0));
    }
    // Keep the newest kFeedRows rows: prune when the ids cross a multiple of 1024.
    constexpr int64_t kFeedRows = 100000;
    if (hi > kFeedRows && hi / 1024 != (lo - 1) / 1024)
      WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM data_changes WHERE id <= $1", {Int(hi - kFeedRows)}).status());
    return Status::Ok();
  });
  touched_ = std::move(outer);
  return s;
}

void SqlStore::Touch(std::string scope) { touched_.push_back(std::move(scope)); }

Status SqlStore::TouchRows(std::string_view kind, const std::string& sql, const std::vector<SqlValue>& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
  for (size_t i = 0; i < r.size(); ++i)
    if (!r.Null(i, 0)) Touch(scope::Of(kind, r.Int(i, 0)));
  return Status::Ok();
}

Status SqlStore::TouchTieEnds(const std::vector<Tie>& ties) {
  std::vector<int64_t> ends;
  ends.reserve(ties.size() * 2);
  for (const auto& t : ties) {
    ends.push_back(t.a.value());
    ends.push_back(t.b.value());
  }
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  // A bulk import touches every municipality's fabric with one query. Otherwise one fixed query per
  // end: the connections cache prepared statements by their text, so a text with the ids in it
  // would add a statement per write (it did: the server grew by 120 MB a minute under load).
  if (ends.size() > 64) return TouchRows("fabric", "SELECT id FROM municipalities", {});
  for (int64_t id : ends)
    WEEFSEL_RETURN_IF_ERROR(TouchRows("fabric", "SELECT municipality_id FROM actors WHERE id = $1", {Int(id)}));
  return Status::Ok();
}

Status SqlStore::Exists(const std::string& table, int64_t id, std::string_view what) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT 1 FROM " + table + " WHERE id = $1", {Int(id)}));
  if (r.empty())
    return Status::InvalidArgument(std::string(what) + ": " + Singular(table) + " " + std::to_string(id) +
                                   " does not exist");
  return Status::Ok();
}

Status SqlStore::Explain(const Status& s, std::string_view entity, const std::vector<FkRef>& refs) {
  if (s.ok()) return s;
  if (s.code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists(std::string(entity) + "." + s.message() + ": a row with this value already exists");
  if (s.code() == StatusCode::kInvalidArgument && StartsWith(s.message(), kForeignKeyMarker)) {
    for (const auto& ref : refs) {
      if (ref.id <= 0) continue;  // an unset reference is NULL and cannot be the culprit
      Status e = Exists(ref.table, ref.id, ref.field);
      if (!e.ok()) return e;
    }
    return Status::InvalidArgument(std::string(entity) + ": refers to a row that does not exist (" + s.message() + ")");
  }
  return s;
}

Result<int> SqlStore::SchemaVersion() {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(r.Int(0, 0));
}

Result<int64_t> SqlStore::DataVersion() {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT COALESCE(MAX(id), 0) FROM data_changes"));
  return r.Int(0, 0);
}

Result<Store::ChangePage> SqlStore::ChangesSince(int64_t after, int limit) {
  ChangePage page;
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows oldest, Q("SELECT COALESCE(MIN(id), 0) FROM data_changes"));
  page.oldest = oldest.Int(0, 0);
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id, scope FROM data_changes WHERE id > $1 ORDER BY id LIMIT $2", {Int(after), Int(limit)}));
  page.changes.resize(r.size());
  for (size_t i = 0; i < r.size(); ++i) page.changes[i] = {r.Int(i, 0), r.Str(i, 1)};
  return page;
}

Result<Counts> SqlStore::Count() {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r,
      Q("SELECT (SELECT COUNT(*) FROM municipalities), (SELECT COUNT(*) FROM actors), (SELECT COUNT(*) FROM ties), "
        "(SELECT COUNT(*) FROM challenges), (SELECT COUNT(*) FROM coalitions), (SELECT COUNT(*) FROM proposals), "
        "(SELECT COUNT(*) FROM rounds), (SELECT COUNT(*) FROM ballots), (SELECT COUNT(*) FROM experiments), "
        "(SELECT COUNT(*) FROM users)"));
  Counts c;
  c.municipalities = r.Int(0, 0);
  c.actors = r.Int(0, 1);
  c.ties = r.Int(0, 2);
  c.challenges = r.Int(0, 3);
  c.coalitions = r.Int(0, 4);
  c.proposals = r.Int(0, 5);
  c.rounds = r.Int(0, 6);
  c.ballots = r.Int(0, 7);
  c.experiments = r.Int(0, 8);
  c.users = r.Int(0, 9);
  return c;
}

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

// ---------------------------------------------------------------------------------------------
// Actors.

namespace {
constexpr const char* kActorColumns =
    "SELECT id, name, kind, municipality_id, area, themes, capabilities, description, size, website, generated, source "
    "FROM actors";
const std::vector<std::string> kActorCopyColumns = {
    "id",           "name",        "search_key", "kind",    "municipality_id", "area",  "themes",
    "capabilities", "description", "size",       "website", "generated",       "source"};

void SinkActor(RowSink& s, int64_t id, const Actor& a) {
  s.Int(id);
  s.Text(a.name);
  s.Text(FoldCase(a.name));
  s.Text(domain::ActorKindCode(a.kind));
  if (a.municipality.valid())
    s.Int(a.municipality.value());
  else
    s.Null();
  s.Text(a.area);
  s.Text(EncodeList(a.themes));
  s.Text(EncodeList(a.capabilities));
  s.Text(a.description);
  s.Int(a.size);
  s.Text(a.website);
  s.Int(a.generated ? 1 : 0);
  s.Text(a.source);
}
}  // namespace

Result<std::vector<Actor>> SqlStore::ReadActors(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kActorColumns) + tail, params));
  std::vector<Actor> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Actor& a = out[i];
    a.id = ActorId(r.Int(i, 0));
    a.name = r.Str(i, 1);
    WEEFSEL_ASSIGN_OR_RETURN(a.kind, Code(domain::ParseActorKind(r.Str(i, 2)), "actors", a.id.value()));
    a.municipality = MunicipalityId(r.Null(i, 3) ? 0 : r.Int(i, 3));
    a.area = r.Str(i, 4);
    WEEFSEL_ASSIGN_OR_RETURN(a.themes, ListColumn(r, i, 5, "actors", "themes"));
    WEEFSEL_ASSIGN_OR_RETURN(a.capabilities, ListColumn(r, i, 6, "actors", "capabilities"));
    a.description = r.Str(i, 7);
    a.size = r.Int(i, 8);
    a.website = r.Str(i, 9);
    a.generated = r.Int(i, 10) != 0;
    a.source = r.Str(i, 11);
  }
  return out;
}

Status SqlStore::WriteActorThemes(const Actor& a) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM actor_themes WHERE actor_id = $1", {Int(a.id.value())}).status());
  for (const auto& t : a.themes)
    WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO actor_themes (actor_id, theme) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                              {Int(a.id.value()), Text(t)})
                                .status());
  return Status::Ok();
}

Result<ActorId> SqlStore::Insert(Actor& a) {
  std::vector<Actor> one{a};
  WEEFSEL_RETURN_IF_ERROR(InsertActors(one));
  a.id = one[0].id;
  return a.id;
}

Status SqlStore::InsertActors(std::vector<Actor>& actors) {
  for (size_t i = 0; i < actors.size(); ++i) {
    Status v = domain::Validate(actors[i]);
    if (!v.ok()) return actors.size() == 1 ? v : v.WithContext("actors[" + std::to_string(i) + "]");
  }
  if (actors.empty()) return Status::Ok();
  std::vector<int64_t> ids(actors.size());
  Status s = Write([&]() -> Status {
    for (const auto& a : actors) Touch(scope::Fabric(a.municipality));
    size_t fresh = 0;
    for (const auto& a : actors) fresh += !a.id.valid();
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> reserved, conn_->ReserveIds("actors", fresh));
    size_t next = 0;
    for (size_t i = 0; i < actors.size(); ++i) ids[i] = actors[i].id.valid() ? actors[i].id.value() : reserved[next++];
    if (actors.size() > scope::kFewRows)
      Touch("actors");
    else
      for (int64_t id : ids) Touch(scope::Actor(ActorId(id)));
    WEEFSEL_RETURN_IF_ERROR(conn_->CopyRows("actors", kActorCopyColumns, actors.size(), [&](RowSink& sink) -> Status {
      for (size_t i = 0; i < actors.size(); ++i) {
        SinkActor(sink, ids[i], actors[i]);
        WEEFSEL_RETURN_IF_ERROR(sink.EndRow());
      }
      return Status::Ok();
    }));
    WEEFSEL_RETURN_IF_ERROR(
        conn_->CopyRows("actor_themes", {"actor_id", "theme"}, actors.size() * 2, [&](RowSink& sink) -> Status {
          for (size_t i = 0; i < actors.size(); ++i) {
            const auto& themes = actors[i].themes;
            for (size_t k = 0; k < themes.size(); ++k) {
              if (std::find(themes.begin(), themes.begin() + static_cast<std::ptrdiff_t>(k), themes[k]) !=
                  themes.begin() + static_cast<std::ptrdiff_t>(k))
                continue;  // a repeated theme is stored once
              sink.Int(ids[i]);
              sink.Text(themes[k]);
              WEEFSEL_RETURN_IF_ERROR(sink.EndRow());
            }
          }
          return Status::Ok();
        }));
    if (fresh < actors.size()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("actors"));
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kAlreadyExists) {
      // Name the first id that is taken (or repeated in the batch).
      std::unordered_set<int64_t> seen;
      for (const auto& a : actors) {
        if (!a.id.valid()) continue;
        if (!seen.insert(a.id.value()).second)
          return Status::AlreadyExists("actor.id: " + std::to_string(a.id.value()) + " appears twice");
        WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT 1 FROM actors WHERE id = $1", {Int(a.id.value())}));
        if (!r.empty()) return Status::AlreadyExists("actor.id: " + std::to_string(a.id.value()) + " already exists");
      }
      return Explain(s, "actor");
    }
    if (s.code() == StatusCode::kInvalidArgument && StartsWith(s.message(), kForeignKeyMarker)) {
      std::unordered_set<int64_t> checked;
      for (const auto& a : actors) {
        if (!a.municipality.valid() || !checked.insert(a.municipality.value()).second) continue;
        WEEFSEL_RETURN_IF_ERROR(Exists("municipalities", a.municipality.value(), "actor.municipality"));
      }
    }
    return Explain(s, "actor");
  }
  for (size_t i = 0; i < actors.size(); ++i) actors[i].id = ActorId(ids[i]);
  return Status::Ok();
}

Status SqlStore::Update(const Actor& a) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  Status s = Write([&]() -> Status {
    Touch(scope::Actor(a.id));
    Touch(scope::Fabric(a.municipality));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("fabric", "SELECT municipality_id FROM actors WHERE id = $1", {Int(a.id.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE actors SET name = $1, search_key = $2, kind = $3, municipality_id = $4, area = $5, themes = $6, "
          "capabilities = $7, description = $8, size = $9, website = $10, generated = $11, source = $12 "
          "WHERE id = $13 RETURNING id",
          {Text(a.name), Text(FoldCase(a.name)), Text(domain::ActorKindCode(a.kind)), IdOrNull(a.municipality),
           Text(a.area), Text(EncodeList(a.themes)), Text(EncodeList(a.capabilities)), Text(a.description), Int(a.size),
           Text(a.website), Int(a.generated ? 1 : 0), Text(a.source), Int(a.id.value())}));
    if (r.empty()) return Status::NotFoundOf("actor", a.id.value());
    return WriteActorThemes(a);
  });
  return Explain(s, "actor", {{"actor.municipality", "municipalities", a.municipality.value()}});
}

Status SqlStore::DeleteActor(ActorId id) {
  Status s = Write([&]() -> Status {
    Touch("actors");
    Touch("ties");
    Touch("coalitions");
    WEEFSEL_RETURN_IF_ERROR(TouchRows("fabric", "SELECT municipality_id FROM actors WHERE id = $1", {Int(id.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM actors WHERE id = $1 RETURNING id", {Int(id.value())}));
    if (r.empty()) return Status::NotFoundOf("actor", id.value());
    return Status::Ok();
  });
  if (s.code() == StatusCode::kInvalidArgument && StartsWith(s.message(), kForeignKeyMarker))
    return Status::FailedPrecondition("actor " + std::to_string(id.value()) +
                                      " is a member of a coalition; remove it from the coalition first");
  return s;
}

Result<Actor> SqlStore::GetActor(ActorId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadActors(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("actor", id.value());
  return std::move(v[0]);
}

Result<std::vector<Actor>> SqlStore::ListActors(const ListQuery& q) {
  Params p;
  Tail t(p);
  if (q.municipality.valid()) t.Where("municipality_id = " + t.Param(Int(q.municipality.value())));
  if (q.kind) t.Where("kind = " + t.Param(Text(domain::ActorKindCode(*q.kind))));
  if (!q.theme.empty())
    t.Where("id IN (SELECT actor_id FROM actor_themes WHERE theme = " + t.Param(Text(q.theme)) + ")");
  if (!q.search.empty()) t.Where("search_key LIKE " + t.Param(LikePattern(q.search)) + kLikeEscape);
  std::string where = t.WhereClause();
  WEEFSEL_ASSIGN_OR_RETURN(
      std::string order,
      OrderAndPage(
          q, {{"name", "search_key", true}, {"kind", "kind", true}, {"size", "size", false}, {"area", "area", true}},
          *conn_, t));
  return ReadActors(where + order, p);
}

// ---------------------------------------------------------------------------------------------
// Ties.

namespace {
constexpr const char* kTieColumns = "SELECT id, a, b, weight, kind, source, from_date, until_date, note FROM ties";
const std::vector<std::string> kTieCopyColumns = {"id",     "a",         "b",          "weight", "kind",
                                                  "source", "from_date", "until_date", "note"};
}  // namespace

Result<std::vector<Tie>> SqlStore::ReadTies(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kTieColumns) + tail, params));
  std::vector<Tie> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Tie& t = out[i];
    t.id = TieId(r.Int(i, 0));
    t.a = ActorId(r.Int(i, 1));
    t.b = ActorId(r.Int(i, 2));
    t.weight = r.Dbl(i, 3);
    WEEFSEL_ASSIGN_OR_RETURN(t.kind, Code(domain::ParseTieKind(r.Str(i, 4)), "ties", t.id.value()));
    WEEFSEL_ASSIGN_OR_RETURN(t.source, Code(domain::ParseTieSource(r.Str(i, 5)), "ties", t.id.value()));
    t.from = r.Str(i, 6);
    t.until = r.Str(i, 7);
    t.note = r.Str(i, 8);
  }
  return out;
}

Result<TieId> SqlStore::Insert(Tie& t) {
  std::vector<Tie> one{t};
  WEEFSEL_RETURN_IF_ERROR(InsertTies(one));
  t = one[0];
  return t.id;
}

Status SqlStore::InsertTies(std::vector<Tie>& ties) {
  for (size_t i = 0; i < ties.size(); ++i) {
    domain::Normalize(ties[i]);
    Status v = domain::Validate(ties[i]);
    if (!v.ok()) return ties.size() == 1 ? v : v.WithContext("ties[" + std::to_string(i) + "]");
  }
  if (ties.empty()) return Status::Ok();
  std::vector<int64_t> ids(ties.size());
  Status s = Write([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(TouchTieEnds(ties));
    size_t fresh = 0;
    for (const auto& t : ties) fresh += !t.id.valid();
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> reserved, conn_->ReserveIds("ties", fresh));
    size_t next = 0;
    for (size_t i = 0; i < ties.size(); ++i) ids[i] = ties[i].id.valid() ? ties[i].id.value() : reserved[next++];
    if (ties.size() > scope::kFewRows)
      Touch("ties");
    else
      for (int64_t id : ids) Touch(scope::Tie(TieId(id)));
    WEEFSEL_RETURN_IF_ERROR(conn_->CopyRows("ties", kTieCopyColumns, ties.size(), [&](RowSink& sink) -> Status {
      for (size_t i = 0; i < ties.size(); ++i) {
        const Tie& t = ties[i];
        sink.Int(ids[i]);
        sink.Int(t.a.value());
        sink.Int(t.b.value());
        sink.Dbl(t.weight);
        sink.Text(domain::TieKindCode(t.kind));
        sink.Text(domain::TieSourceCode(t.source));
        sink.Text(t.from);
        sink.Text(t.until);
        sink.Text(t.note);
        WEEFSEL_RETURN_IF_ERROR(sink.EndRow());
      }
      return Status::Ok();
    }));
    if (fresh < ties.size()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("ties"));
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument && StartsWith(s.message(), kForeignKeyMarker)) {
      // Find the first tie whose end is missing: one pass over the actor ids.
      std::unordered_set<int64_t> ends;
      for (const auto& t : ties) {
        ends.insert(t.a.value());
        ends.insert(t.b.value());
      }
      std::unordered_set<int64_t> present;
      if (ends.size() <= 64) {
        for (int64_t id : ends) {
          WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT 1 FROM actors WHERE id = $1", {Int(id)}));
          if (!r.empty()) present.insert(id);
        }
      } else {
        WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT id FROM actors"));
        for (size_t i = 0; i < r.size(); ++i) present.insert(r.Int(i, 0));
      }
      for (size_t i = 0; i < ties.size(); ++i) {
        std::string where = ties.size() == 1 ? "tie" : "ties[" + std::to_string(i) + "]: tie";
        if (!present.count(ties[i].a.value()))
          return Status::InvalidArgument(where + ".a: actor " + std::to_string(ties[i].a.value()) + " does not exist");
        if (!present.count(ties[i].b.value()))
          return Status::InvalidArgument(where + ".b: actor " + std::to_string(ties[i].b.value()) + " does not exist");
      }
    }
    if (s.code() == StatusCode::kAlreadyExists) {
      std::unordered_set<int64_t> seen;
      for (const auto& t : ties) {
        if (!t.id.valid()) continue;
        if (!seen.insert(t.id.value()).second)
          return Status::AlreadyExists("tie.id: " + std::to_string(t.id.value()) + " appears twice");
        WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT 1 FROM ties WHERE id = $1", {Int(t.id.value())}));
        if (!r.empty()) return Status::AlreadyExists("tie.id: " + std::to_string(t.id.value()) + " already exists");
      }
    }
    return Explain(s, "tie");
  }
  for (size_t i = 0; i < ties.size(); ++i) ties[i].id = TieId(ids[i]);
  return Status::Ok();
}

Status SqlStore::DeleteTie(TieId id) {
  return Write([&]() -> Status {
    Touch(scope::Tie(id));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("fabric",
                                      "SELECT municipality_id FROM actors WHERE id IN (SELECT a FROM ties WHERE id = "
                                      "$1 UNION SELECT b FROM ties WHERE id = $1)",
                                      {Int(id.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM ties WHERE id = $1 RETURNING id", {Int(id.value())}));
    if (r.empty()) return Status::NotFoundOf("tie", id.value());
    return Status::Ok();
  });
}

Result<std::vector<Tie>> SqlStore::ListTies(const ListQuery& q) {
  Params p;
  Tail t(p);
  if (q.municipality.valid()) {
    std::string m = t.Param(Int(q.municipality.value()));
    t.Where("(a IN (SELECT id FROM actors WHERE municipality_id = " + m +
            ") OR b IN (SELECT id FROM actors WHERE municipality_id = " + m + "))");
  }
  std::string where = t.WhereClause();
  WEEFSEL_ASSIGN_OR_RETURN(std::string order,
                           OrderAndPage(q, {{"weight", "weight", false}, {"from", "from_date", true}}, *conn_, t));
  return ReadTies(where + order, p);
}

Result<std::vector<Tie>> SqlStore::TiesOf(ActorId actor) {
  return ReadTies(" WHERE a = $1 OR b = $1 ORDER BY id", {Int(actor.value())});
}

Result<Tie> SqlStore::GetTie(TieId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadTies(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("tie", id.value());
  return std::move(v[0]);
}

// ---------------------------------------------------------------------------------------------
// Challenges.

namespace {
constexpr const char* kChallengeColumns =
    "SELECT id, municipality_id, title, text, language, themes, sector_mix, max_coalition_size, budget_eur, area, "
    "deadline, phase, owner_actor_id, created_at FROM challenges";
}

Result<std::vector<Challenge>> SqlStore::ReadChallenges(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kChallengeColumns) + tail, params));
  std::vector<Challenge> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Challenge& c = out[i];
    c.id = ChallengeId(r.Int(i, 0));
    c.municipality = MunicipalityId(r.Int(i, 1));
    c.title = r.Str(i, 2);
    c.text = r.Str(i, 3);
    c.language = r.Str(i, 4);
    WEEFSEL_ASSIGN_OR_RETURN(c.themes, ListColumn(r, i, 5, "challenges", "themes"));
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<std::string> mix, ListColumn(r, i, 6, "challenges", "sector_mix"));
    for (const auto& item : mix) {
      auto colon = item.find(':');
      if (colon == std::string::npos) return Corrupt("challenges", c.id.value(), "bad sector_mix item '" + item + "'");
      WEEFSEL_ASSIGN_OR_RETURN(domain::Sector sector,
                               Code(domain::ParseSector(item.substr(0, colon)), "challenges", c.id.value()));
      auto n = ParseInt(item.substr(colon + 1));
      if (!n) return Corrupt("challenges", c.id.value(), "bad sector_mix item '" + item + "'");
      c.sector_mix[sector] = static_cast<int>(*n);
    }
    c.max_coalition_size = static_cast<int>(r.Int(i, 7));
    c.budget_eur = r.Int(i, 8);
    c.area = r.Str(i, 9);
    c.deadline = r.Str(i, 10);
    WEEFSEL_ASSIGN_OR_RETURN(c.phase, Code(domain::ParseChallengePhase(r.Str(i, 11)), "challenges", c.id.value()));
    c.owner = ActorId(r.Null(i, 12) ? 0 : r.Int(i, 12));
    c.created_at = r.Str(i, 13);
  }
  for (auto& c : out) {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows caps,
                             Q("SELECT capability, weight FROM challenge_capabilities WHERE challenge_id = $1 "
                               "ORDER BY position",
                               {Int(c.id.value())}));
    for (size_t i = 0; i < caps.size(); ++i) c.capabilities.push_back({caps.Str(i, 0), caps.Dbl(i, 1)});
  }
  return out;
}

Status SqlStore::WriteChallengeChildren(const Challenge& c) {
  Params id{Int(c.id.value())};
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM challenge_themes WHERE challenge_id = $1", id).status());
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM challenge_capabilities WHERE challenge_id = $1", id).status());
  for (const auto& t : c.themes)
    WEEFSEL_RETURN_IF_ERROR(
        Q("INSERT INTO challenge_themes (challenge_id, theme) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {Int(c.id.value()), Text(t)})
            .status());
  for (size_t i = 0; i < c.capabilities.size(); ++i)
    WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO challenge_capabilities (challenge_id, position, capability, weight) "
                              "VALUES ($1, $2, $3, $4)",
                              {Int(c.id.value()), Int(static_cast<int64_t>(i)), Text(c.capabilities[i].capability),
                               c.capabilities[i].weight})
                                .status());
  return Status::Ok();
}

Result<ChallengeId> SqlStore::Insert(Challenge& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Challenge stored = c;
  Status s = Write([&]() -> Status {
    Touch("challenges");
    Touch(scope::Municipality(c.municipality));
    Params p{IdOrNull(c.municipality),
             Text(c.title),
             Text(FoldCase(c.title)),
             Text(c.text),
             Text(c.language),
             Text(EncodeList(c.themes)),
             Text(EncodeSectorMix(c.sector_mix)),
             Int(c.max_coalition_size),
             Int(c.budget_eur),
             Text(c.area),
             Text(c.deadline),
             Text(domain::ChallengePhaseCode(c.phase)),
             IdOrNull(c.owner),
             Text(c.created_at)};
    std::string cols =
        "municipality_id, title, search_key, text, language, themes, sector_mix, max_coalition_size, "
        "budget_eur, area, deadline, phase, owner_actor_id, created_at";
    std::string vals = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14";
    if (c.id.valid()) {
      p.push_back(Int(c.id.value()));
      cols += ", id";
      vals += ", $15";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO challenges (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    stored.id = ChallengeId(r.Int(0, 0));
    Touch(scope::Challenge(stored.id));
    if (c.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("challenges"));
    return WriteChallengeChildren(stored);
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "challenge",
                                  {{"challenge.municipality", "municipalities", c.municipality.value()},
                                   {"challenge.owner", "actors", c.owner.value()}}));
  c.id = stored.id;
  return c.id;
}

Status SqlStore::Update(const Challenge& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Status s = Write([&]() -> Status {
    Touch("challenges");
    Touch(scope::Challenge(c.id));
    Touch(scope::Municipality(c.municipality));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("municipality", "SELECT municipality_id FROM challenges WHERE id = $1", {Int(c.id.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE challenges SET municipality_id = $1, title = $2, search_key = $3, text = $4, language = $5, themes = "
          "$6, "
          "sector_mix = $7, max_coalition_size = $8, budget_eur = $9, area = $10, deadline = $11, phase = $12, "
          "owner_actor_id = $13, created_at = $14 WHERE id = $15 RETURNING id",
          {IdOrNull(c.municipality), Text(c.title), Text(FoldCase(c.title)), Text(c.text), Text(c.language),
           Text(EncodeList(c.themes)), Text(EncodeSectorMix(c.sector_mix)), Int(c.max_coalition_size),
           Int(c.budget_eur), Text(c.area), Text(c.deadline), Text(domain::ChallengePhaseCode(c.phase)),
           IdOrNull(c.owner), Text(c.created_at), Int(c.id.value())}));
    if (r.empty()) return Status::NotFoundOf("challenge", c.id.value());
    return WriteChallengeChildren(c);
  });
  return Explain(s, "challenge",
                 {{"challenge.municipality", "municipalities", c.municipality.value()},
                  {"challenge.owner", "actors", c.owner.value()}});
}

Result<Challenge> SqlStore::GetChallenge(ChallengeId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadChallenges(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("challenge", id.value());
  return std::move(v[0]);
}

Result<std::vector<Challenge>> SqlStore::ListChallenges(const ListQuery& q) {
  Params p;
  Tail t(p);
  if (q.municipality.valid()) t.Where("municipality_id = " + t.Param(Int(q.municipality.value())));
  if (q.phase) t.Where("phase = " + t.Param(Text(domain::ChallengePhaseCode(*q.phase))));
  if (!q.theme.empty())
    t.Where("id IN (SELECT challenge_id FROM challenge_themes WHERE theme = " + t.Param(Text(q.theme)) + ")");
  if (!q.search.empty()) t.Where("search_key LIKE " + t.Param(LikePattern(q.search)) + kLikeEscape);
  std::string where = t.WhereClause();
  WEEFSEL_ASSIGN_OR_RETURN(std::string order, OrderAndPage(q,
                                                           {{"title", "search_key", true},
                                                            {"created_at", "created_at", true},
                                                            {"deadline", "deadline", true},
                                                            {"budget_eur", "budget_eur", false}},
                                                           *conn_, t));
  return ReadChallenges(where + order, p);
}

// ---------------------------------------------------------------------------------------------
// Coalitions.

Result<std::vector<Coalition>> SqlStore::ReadCoalitions(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id, challenge_id, status, explanation, score, created_at FROM coalitions" + tail, params));
  std::vector<Coalition> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Coalition& c = out[i];
    c.id = CoalitionId(r.Int(i, 0));
    c.challenge = ChallengeId(r.Int(i, 1));
    WEEFSEL_ASSIGN_OR_RETURN(c.status, Code(domain::ParseCoalitionStatus(r.Str(i, 2)), "coalitions", c.id.value()));
    c.explanation = r.Str(i, 3);
    c.score = r.Dbl(i, 4);
    c.created_at = r.Str(i, 5);
  }
  for (auto& c : out) {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows m, Q("SELECT actor_id, role, status, covers FROM coalition_members "
                                          "WHERE coalition_id = $1 ORDER BY position",
                                          {Int(c.id.value())}));
    for (size_t i = 0; i < m.size(); ++i) {
      domain::CoalitionMember member;
      member.actor = ActorId(m.Int(i, 0));
      member.role = m.Str(i, 1);
      WEEFSEL_ASSIGN_OR_RETURN(member.status,
                               Code(domain::ParseMemberStatus(m.Str(i, 2)), "coalition_members", c.id.value()));
      auto covers = DecodeList(m.Str(i, 3));
      if (!covers) return Corrupt("coalition_members", c.id.value(), "covers is not a JSON list of strings");
      member.covers = std::move(*covers);
      c.members.push_back(std::move(member));
    }
  }
  return out;
}

Status SqlStore::WriteCoalitionMembers(const Coalition& c) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM coalition_members WHERE coalition_id = $1", {Int(c.id.value())}).status());
  for (size_t i = 0; i < c.members.size(); ++i) {
    const auto& m = c.members[i];
    WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO coalition_members (coalition_id, position, actor_id, role, status, covers) "
                              "VALUES ($1, $2, $3, $4, $5, $6)",
                              {Int(c.id.value()), Int(static_cast<int64_t>(i)), Int(m.actor.value()), Text(m.role),
                               Text(domain::MemberStatusCode(m.status)), Text(EncodeList(m.covers))})
                                .status());
  }
  return Status::Ok();
}

Result<CoalitionId> SqlStore::Insert(Coalition& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Coalition stored = c;
  Status s = Write([&]() -> Status {
    Touch("coalitions");
    Touch(scope::Challenge(c.challenge));
    Params p{Int(c.challenge.value()), Text(domain::CoalitionStatusCode(c.status)), Text(c.explanation), c.score,
             Text(c.created_at)};
    std::string cols = "challenge_id, status, explanation, score, created_at", vals = "$1, $2, $3, $4, $5";
    if (c.id.valid()) {
      p.push_back(Int(c.id.value()));
      cols += ", id";
      vals += ", $6";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO coalitions (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    stored.id = CoalitionId(r.Int(0, 0));
    if (c.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("coalitions"));
    return WriteCoalitionMembers(stored);
  });
  std::vector<FkRef> refs{{"coalition.challenge", "challenges", c.challenge.value()}};
  for (const auto& m : c.members) refs.push_back({"coalition.members", "actors", m.actor.value()});
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "coalition", refs));
  c.id = stored.id;
  return c.id;
}

Status SqlStore::Update(const Coalition& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Status s = Write([&]() -> Status {
    Touch("coalitions");
    Touch(scope::Challenge(c.challenge));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("UPDATE coalitions SET challenge_id = $1, status = $2, explanation = $3, score = $4, "
                     "created_at = $5 WHERE id = $6 RETURNING id",
                     {Int(c.challenge.value()), Text(domain::CoalitionStatusCode(c.status)), Text(c.explanation),
                      c.score, Text(c.created_at), Int(c.id.value())}));
    if (r.empty()) return Status::NotFoundOf("coalition", c.id.value());
    return WriteCoalitionMembers(c);
  });
  std::vector<FkRef> refs{{"coalition.challenge", "challenges", c.challenge.value()}};
  for (const auto& m : c.members) refs.push_back({"coalition.members", "actors", m.actor.value()});
  return Explain(s, "coalition", refs);
}

Result<Coalition> SqlStore::GetCoalition(CoalitionId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadCoalitions(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("coalition", id.value());
  return std::move(v[0]);
}

Result<std::vector<Coalition>> SqlStore::CoalitionsOf(ChallengeId challenge) {
  return ReadCoalitions(" WHERE challenge_id = $1 ORDER BY id", {Int(challenge.value())});
}

// ---------------------------------------------------------------------------------------------
// Milestones (of proposal versions and of experiments).

Status SqlStore::WriteMilestones(const std::vector<domain::Milestone>& ms, ProposalId p, int version, ExperimentId e) {
  for (size_t i = 0; i < ms.size(); ++i) {
    const auto& m = ms[i];
    WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO milestones (proposal_id, version_number, experiment_id, position, title, "
                              "due, amount_eur, status, "
                              "evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                              {IdOrNull(p), p.valid() ? SqlValue(Int(version)) : SqlValue(std::monostate{}),
                               IdOrNull(e), Int(static_cast<int64_t>(i)), Text(m.title), Text(m.due), Int(m.amount_eur),
                               Text(m.status), Text(m.evidence)})
                                .status());
  }
  return Status::Ok();
}

Result<std::vector<domain::Milestone>> SqlStore::ReadMilestones(const std::string& where, int64_t id, int64_t version) {
  Params p{Int(id)};
  if (version) p.push_back(Int(version));
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r,
      Q("SELECT title, due, amount_eur, status, evidence FROM milestones WHERE " + where + " ORDER BY position", p));
  std::vector<domain::Milestone> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    out[i].title = r.Str(i, 0);
    out[i].due = r.Str(i, 1);
    out[i].amount_eur = r.Int(i, 2);
    out[i].status = r.Str(i, 3);
    out[i].evidence = r.Str(i, 4);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Proposals.

Result<std::vector<Proposal>> SqlStore::ReadProposals(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT id, coalition_id, challenge_id, status, supports FROM proposals" + tail, params));
  std::vector<Proposal> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Proposal& p = out[i];
    p.id = ProposalId(r.Int(i, 0));
    p.coalition = CoalitionId(r.Null(i, 1) ? 0 : r.Int(i, 1));
    p.challenge = ChallengeId(r.Int(i, 2));
    p.status = r.Str(i, 3);
    p.supports = r.Int(i, 4);
  }
  for (auto& p : out) {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows v,
                             Q("SELECT number, title, plan, budget_eur, indicators, author_user_id, created_at "
                               "FROM proposal_versions WHERE proposal_id = $1 ORDER BY number",
                               {Int(p.id.value())}));
    for (size_t i = 0; i < v.size(); ++i) {
      domain::ProposalVersion pv;
      pv.number = static_cast<int>(v.Int(i, 0));
      pv.title = v.Str(i, 1);
      pv.plan = v.Str(i, 2);
      pv.budget_eur = v.Int(i, 3);
      auto indicators = DecodeList(v.Str(i, 4));
      if (!indicators) return Corrupt("proposal_versions", p.id.value(), "indicators is not a JSON list of strings");
      pv.indicators = std::move(*indicators);
      pv.author = UserId(v.Null(i, 5) ? 0 : v.Int(i, 5));
      pv.created_at = v.Str(i, 6);
      WEEFSEL_ASSIGN_OR_RETURN(pv.milestones,
                               ReadMilestones("proposal_id = $1 AND version_number = $2", p.id.value(), pv.number));
      p.versions.push_back(std::move(pv));
    }
  }
  return out;
}

Status SqlStore::WriteProposalVersions(const Proposal& p) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM milestones WHERE proposal_id = $1", {Int(p.id.value())}).status());
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM proposal_versions WHERE proposal_id = $1", {Int(p.id.value())}).status());
  for (const auto& v : p.versions) {
    WEEFSEL_RETURN_IF_ERROR(
        Q("INSERT INTO proposal_versions (proposal_id, number, title, plan, budget_eur, indicators, "
          "author_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {Int(p.id.value()), Int(v.number), Text(v.title), Text(v.plan), Int(v.budget_eur),
           Text(EncodeList(v.indicators)), IdOrNull(v.author), Text(v.created_at)})
            .status());
    WEEFSEL_RETURN_IF_ERROR(WriteMilestones(v.milestones, p.id, v.number, ExperimentId()));
  }
  return Status::Ok();
}

Result<ProposalId> SqlStore::Insert(Proposal& p) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(p));
  Proposal stored = p;
  Status s = Write([&]() -> Status {
    Touch("proposals");
    Touch(scope::Challenge(p.challenge));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("municipality", "SELECT municipality_id FROM challenges WHERE id = $1", {Int(p.challenge.value())}));
    Params params{IdOrNull(p.coalition), Int(p.challenge.value()), Text(p.status), Int(p.supports)};
    std::string cols = "coalition_id, challenge_id, status, supports", vals = "$1, $2, $3, $4";
    if (p.id.valid()) {
      params.push_back(Int(p.id.value()));
      cols += ", id";
      vals += ", $5";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO proposals (" + cols + ") VALUES (" + vals + ") RETURNING id", params));
    stored.id = ProposalId(r.Int(0, 0));
    if (p.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("proposals"));
    return WriteProposalVersions(stored);
  });
  std::vector<FkRef> refs{{"proposal.challenge", "challenges", p.challenge.value()}};
  if (p.coalition.valid()) refs.push_back({"proposal.coalition", "coalitions", p.coalition.value()});
  for (const auto& v : p.versions)
    if (v.author.valid()) refs.push_back({"proposal.versions.author", "users", v.author.value()});
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "proposal", refs));
  p.id = stored.id;
  return p.id;
}

Status SqlStore::Update(const Proposal& p) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(p));
  Status s = Write([&]() -> Status {
    Touch("proposals");
    Touch(scope::Proposal(p.id));
    Touch(scope::Challenge(p.challenge));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("municipality", "SELECT municipality_id FROM challenges WHERE id = $1", {Int(p.challenge.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE proposals SET coalition_id = $1, challenge_id = $2, status = $3, supports = $4 "
          "WHERE id = $5 RETURNING id",
          {IdOrNull(p.coalition), Int(p.challenge.value()), Text(p.status), Int(p.supports), Int(p.id.value())}));
    if (r.empty()) return Status::NotFoundOf("proposal", p.id.value());
    return WriteProposalVersions(p);
  });
  std::vector<FkRef> refs{{"proposal.challenge", "challenges", p.challenge.value()}};
  if (p.coalition.valid()) refs.push_back({"proposal.coalition", "coalitions", p.coalition.value()});
  for (const auto& v : p.versions)
    if (v.author.valid()) refs.push_back({"proposal.versions.author", "users", v.author.value()});
  return Explain(s, "proposal", refs);
}

Result<Proposal> SqlStore::GetProposal(ProposalId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadProposals(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("proposal", id.value());
  return std::move(v[0]);
}

Result<std::vector<Proposal>> SqlStore::ProposalsOf(ChallengeId challenge) {
  return ReadProposals(" WHERE challenge_id = $1 ORDER BY id", {Int(challenge.value())});
}

// ---------------------------------------------------------------------------------------------
// Rounds and ballots.

Result<std::vector<Round>> SqlStore::ReadRounds(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id, municipality_id, name, budget_eur, ballot_kind, rule, phase, min_length, "
                   "max_length, max_points, max_points_per_project, verification, wijken, min_age FROM rounds" +
                       tail,
                   params));
  std::vector<Round> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Round& x = out[i];
    x.id = RoundId(r.Int(i, 0));
    x.municipality = MunicipalityId(r.Int(i, 1));
    x.name = r.Str(i, 2);
    x.budget_eur = r.Int(i, 3);
    WEEFSEL_ASSIGN_OR_RETURN(x.ballot_kind, Code(domain::ParseBallotKind(r.Str(i, 4)), "rounds", x.id.value()));
    x.rule = r.Str(i, 5);
    WEEFSEL_ASSIGN_OR_RETURN(x.phase, Code(domain::ParseRoundPhase(r.Str(i, 6)), "rounds", x.id.value()));
    x.min_length = static_cast<int>(r.Int(i, 7));
    x.max_length = static_cast<int>(r.Int(i, 8));
    x.max_points = static_cast<int>(r.Int(i, 9));
    x.max_points_per_project = static_cast<int>(r.Int(i, 10));
    WEEFSEL_ASSIGN_OR_RETURN(x.eligibility.verification,
                             Code(domain::ParseVerification(r.Str(i, 11)), "rounds", x.id.value()));
    WEEFSEL_ASSIGN_OR_RETURN(x.eligibility.wijken, ListColumn(r, i, 12, "rounds", "wijken"));
    x.eligibility.min_age = static_cast<int>(r.Int(i, 13));
  }
  for (auto& x : out) {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows p, Q("SELECT project_id, proposal_id, title, cost_eur, category, neighbourhood "
                                          "FROM round_projects WHERE round_id = $1 ORDER BY position",
                                          {Int(x.id.value())}));
    for (size_t i = 0; i < p.size(); ++i) {
      domain::RoundProject rp;
      rp.project_id = p.Str(i, 0);
      rp.proposal = ProposalId(p.Null(i, 1) ? 0 : p.Int(i, 1));
      rp.title = p.Str(i, 2);
      rp.cost_eur = p.Int(i, 3);
      rp.category = p.Str(i, 4);
      rp.neighbourhood = p.Str(i, 5);
      x.projects.push_back(std::move(rp));
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows c, Q("SELECT name, description, max_score FROM round_criteria "
                                          "WHERE round_id = $1 ORDER BY position",
                                          {Int(x.id.value())}));
    for (size_t i = 0; i < c.size(); ++i)
      x.criteria.push_back({c.Str(i, 0), c.Str(i, 1), static_cast<int>(c.Int(i, 2))});
  }
  return out;
}

Status SqlStore::WriteRoundProjects(const Round& r) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM round_projects WHERE round_id = $1", {Int(r.id.value())}).status());
  for (size_t i = 0; i < r.projects.size(); ++i) {
    const auto& p = r.projects[i];
    WEEFSEL_RETURN_IF_ERROR(
        Q("INSERT INTO round_projects (round_id, position, project_id, proposal_id, title, cost_eur, "
          "category, neighbourhood) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {Int(r.id.value()), Int(static_cast<int64_t>(i)), Text(p.project_id), IdOrNull(p.proposal), Text(p.title),
           Int(p.cost_eur), Text(p.category), Text(p.neighbourhood)})
            .status());
  }
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM round_criteria WHERE round_id = $1", {Int(r.id.value())}).status());
  for (size_t i = 0; i < r.criteria.size(); ++i) {
    const auto& c = r.criteria[i];
    WEEFSEL_RETURN_IF_ERROR(
        Q("INSERT INTO round_criteria (round_id, position, name, description, max_score) "
          "VALUES ($1, $2, $3, $4, $5)",
          {Int(r.id.value()), Int(static_cast<int64_t>(i)), Text(c.name), Text(c.description), Int(c.max_score)})
            .status());
  }
  return Status::Ok();
}

namespace {
Params RoundParams(const Round& r) {
  return {Int(r.municipality.value()),
          Text(r.name),
          Text(FoldCase(r.name)),
          Int(r.budget_eur),
          Text(domain::BallotKindCode(r.ballot_kind)),
          Text(r.rule),
          Text(domain::RoundPhaseCode(r.phase)),
          Int(r.min_length),
          Int(r.max_length),
          Int(r.max_points),
          Int(r.max_points_per_project),
          Text(domain::VerificationCode(r.eligibility.verification)),
          Text(EncodeList(r.eligibility.wijken)),
          Int(r.eligibility.min_age)};
}
}  // namespace

Result<RoundId> SqlStore::Insert(Round& r) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  Round stored = r;
  Status s = Write([&]() -> Status {
    Touch("rounds");
    Touch(scope::Municipality(r.municipality));
    Params p = RoundParams(r);
    std::string cols =
        "municipality_id, name, search_key, budget_eur, ballot_kind, rule, phase, min_length, max_length, "
        "max_points, max_points_per_project, verification, wijken, min_age";
    std::string vals = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14";
    if (r.id.valid()) {
      p.push_back(Int(r.id.value()));
      cols += ", id";
      vals += ", $15";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows rows,
                             Q("INSERT INTO rounds (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    stored.id = RoundId(rows.Int(0, 0));
    if (r.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("rounds"));
    return WriteRoundProjects(stored);
  });
  std::vector<FkRef> refs{{"round.municipality", "municipalities", r.municipality.value()}};
  for (const auto& p : r.projects)
    if (p.proposal.valid()) refs.push_back({"round.projects.proposal", "proposals", p.proposal.value()});
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "round", refs));
  r.id = stored.id;
  return r.id;
}

Status SqlStore::Update(const Round& r) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  Status s = Write([&]() -> Status {
    Touch("rounds");
    Touch(scope::Round(r.id));
    Touch(scope::Municipality(r.municipality));
    Params p = RoundParams(r);
    p.push_back(Int(r.id.value()));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows rows,
        Q("UPDATE rounds SET municipality_id = $1, name = $2, search_key = $3, budget_eur = $4, "
          "ballot_kind = $5, rule = $6, phase = $7, min_length = $8, max_length = $9, "
          "max_points = $10, max_points_per_project = $11, verification = $12, wijken = $13, min_age = $14 "
          "WHERE id = $15 RETURNING id",
          p));
    if (rows.empty()) return Status::NotFoundOf("round", r.id.value());
    return WriteRoundProjects(r);
  });
  std::vector<FkRef> refs{{"round.municipality", "municipalities", r.municipality.value()}};
  for (const auto& p : r.projects)
    if (p.proposal.valid()) refs.push_back({"round.projects.proposal", "proposals", p.proposal.value()});
  return Explain(s, "round", refs);
}

Result<Round> SqlStore::GetRound(RoundId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadRounds(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("round", id.value());
  return std::move(v[0]);
}

Result<std::vector<Round>> SqlStore::ListRounds(const ListQuery& q) {
  Params p;
  Tail t(p);
  if (q.municipality.valid()) t.Where("municipality_id = " + t.Param(Int(q.municipality.value())));
  if (!q.search.empty()) t.Where("search_key LIKE " + t.Param(LikePattern(q.search)) + kLikeEscape);
  std::string where = t.WhereClause();
  WEEFSEL_ASSIGN_OR_RETURN(
      std::string order,
      OrderAndPage(q, {{"name", "search_key", true}, {"budget_eur", "budget_eur", false}}, *conn_, t));
  return ReadRounds(where + order, p);
}

Result<std::vector<Ballot>> SqlStore::ReadBallots(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT id, round_id, voter_user_id, kind, cast_at FROM ballots" + tail, params));
  std::vector<Ballot> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Ballot& b = out[i];
    b.id = BallotId(r.Int(i, 0));
    b.round = RoundId(r.Int(i, 1));
    b.voter = UserId(r.Int(i, 2));
    WEEFSEL_ASSIGN_OR_RETURN(b.kind, Code(domain::ParseBallotKind(r.Str(i, 3)), "ballots", b.id.value()));
    b.cast_at = r.Str(i, 4);
  }
  for (auto& b : out) {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows e,
        Q("SELECT project_id, points FROM ballot_entries WHERE ballot_id = $1 ORDER BY position", {Int(b.id.value())}));
    for (size_t i = 0; i < e.size(); ++i) b.entries.push_back({e.Str(i, 0), e.Int(i, 1)});
  }
  return out;
}

Result<BallotId> SqlStore::PutBallot(Ballot& b) {
  if (!b.voter.valid()) return Status::InvalidArgument("ballot.voter: must name a user");
  auto round = GetRound(b.round);
  if (!round.ok()) {
    if (round.status().code() == StatusCode::kNotFound)
      return Status::InvalidArgument("ballot.round: round " + std::to_string(b.round.value()) + " does not exist");
    return round.status();
  }
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(b, *round));
  int64_t id = 0;
  Status s = Write([&]() -> Status {
    Touch(scope::Round(b.round));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows existing, Q("SELECT id FROM ballots WHERE round_id = $1 AND voter_user_id = $2",
                                                 {Int(b.round.value()), Int(b.voter.value())}));
    if (!existing.empty()) {
      id = existing.Int(0, 0);
      WEEFSEL_RETURN_IF_ERROR(Q("UPDATE ballots SET kind = $1, cast_at = $2 WHERE id = $3",
                                {Text(domain::BallotKindCode(b.kind)), Text(b.cast_at), Int(id)})
                                  .status());
      WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM ballot_entries WHERE ballot_id = $1", {Int(id)}).status());
    } else {
      WEEFSEL_ASSIGN_OR_RETURN(
          SqlRows r,
          Q("INSERT INTO ballots (round_id, voter_user_id, kind, cast_at) VALUES ($1, $2, $3, $4) "
            "RETURNING id",
            {Int(b.round.value()), Int(b.voter.value()), Text(domain::BallotKindCode(b.kind)), Text(b.cast_at)}));
      id = r.Int(0, 0);
    }
    for (size_t i = 0; i < b.entries.size(); ++i)
      WEEFSEL_RETURN_IF_ERROR(
          Q("INSERT INTO ballot_entries (ballot_id, position, project_id, points) VALUES ($1, $2, $3, $4)",
            {Int(id), Int(static_cast<int64_t>(i)), Text(b.entries[i].project_id), Int(b.entries[i].points)})
              .status());
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "ballot", {{"ballot.voter", "users", b.voter.value()}}));
  b.id = BallotId(id);
  return b.id;
}

Result<std::vector<Ballot>> SqlStore::BallotsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(auto out, ReadBallots(" WHERE round_id = $1 ORDER BY id", {Int(round.value())}));
  WEEFSEL_ASSIGN_OR_RETURN(auto sealed, ReadSealedBallots(round));
  for (auto& b : sealed) out.push_back(std::move(b));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Experiments.

Result<std::vector<Experiment>> SqlStore::ReadExperiments(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id, proposal_id, hypotheses, status, outcome, learned FROM experiments" + tail, params));
  std::vector<Experiment> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    Experiment& e = out[i];
    e.id = ExperimentId(r.Int(i, 0));
    e.proposal = ProposalId(r.Int(i, 1));
    WEEFSEL_ASSIGN_OR_RETURN(e.hypotheses, ListColumn(r, i, 2, "experiments", "hypotheses"));
    e.status = r.Str(i, 3);
    e.outcome = r.Str(i, 4);
    e.learned = r.Str(i, 5);
  }
  for (auto& e : out) {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows ind,
                             Q("SELECT id, name, unit, baseline, target FROM indicators WHERE experiment_id = $1 "
                               "ORDER BY position",
                               {Int(e.id.value())}));
    for (size_t i = 0; i < ind.size(); ++i) {
      domain::Indicator x;
      x.id = IndicatorId(ind.Int(i, 0));
      x.name = ind.Str(i, 1);
      x.unit = ind.Str(i, 2);
      x.baseline = ind.Dbl(i, 3);
      x.target = ind.Dbl(i, 4);
      WEEFSEL_ASSIGN_OR_RETURN(
          SqlRows m, Q("SELECT date, value, source FROM measurements WHERE indicator_id = $1 ORDER BY position",
                       {Int(x.id.value())}));
      for (size_t k = 0; k < m.size(); ++k) x.measurements.push_back({m.Str(k, 0), m.Dbl(k, 1), m.Str(k, 2)});
      e.indicators.push_back(std::move(x));
    }
    WEEFSEL_ASSIGN_OR_RETURN(e.milestones, ReadMilestones("experiment_id = $1", e.id.value(), 0));
  }
  return out;
}

Status SqlStore::WriteExperimentChildren(const Experiment& e) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM indicators WHERE experiment_id = $1", {Int(e.id.value())}).status());
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM milestones WHERE experiment_id = $1", {Int(e.id.value())}).status());
  bool explicit_ids = false;
  for (size_t i = 0; i < e.indicators.size(); ++i) {
    const auto& x = e.indicators[i];
    Params p{Int(e.id.value()), Int(static_cast<int64_t>(i)), Text(x.name), Text(x.unit), x.baseline, x.target};
    std::string cols = "experiment_id, position, name, unit, baseline, target", vals = "$1, $2, $3, $4, $5, $6";
    if (x.id.valid()) {
      p.push_back(Int(x.id.value()));
      cols += ", id";
      vals += ", $7";
      explicit_ids = true;
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO indicators (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    int64_t ind = r.Int(0, 0);
    for (size_t k = 0; k < x.measurements.size(); ++k) {
      const auto& m = x.measurements[k];
      WEEFSEL_RETURN_IF_ERROR(
          Q("INSERT INTO measurements (indicator_id, position, date, value, source) VALUES ($1, $2, $3, $4, $5)",
            {Int(ind), Int(static_cast<int64_t>(k)), Text(m.date), m.value, Text(m.source)})
              .status());
    }
  }
  if (explicit_ids) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("indicators"));
  return WriteMilestones(e.milestones, ProposalId(), 0, e.id);
}

Result<ExperimentId> SqlStore::Insert(Experiment& e) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  Experiment stored = e;
  Status s = Write([&]() -> Status {
    Touch("experiments");
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfProposal, {Int(e.proposal.value())}));
    Params p{Int(e.proposal.value()), Text(EncodeList(e.hypotheses)), Text(e.status), Text(e.outcome), Text(e.learned)};
    std::string cols = "proposal_id, hypotheses, status, outcome, learned", vals = "$1, $2, $3, $4, $5";
    if (e.id.valid()) {
      p.push_back(Int(e.id.value()));
      cols += ", id";
      vals += ", $6";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO experiments (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    stored.id = ExperimentId(r.Int(0, 0));
    if (e.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("experiments"));
    return WriteExperimentChildren(stored);
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "experiment", {{"experiment.proposal", "proposals", e.proposal.value()}}));
  // Hand back the ids the indicators received.
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows ids, Q("SELECT id FROM indicators WHERE experiment_id = $1 ORDER BY position", {Int(stored.id.value())}));
  for (size_t i = 0; i < ids.size() && i < e.indicators.size(); ++i) e.indicators[i].id = IndicatorId(ids.Int(i, 0));
  e.id = stored.id;
  return e.id;
}

Status SqlStore::Update(const Experiment& e) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  Status s = Write([&]() -> Status {
    Touch("experiments");
    Touch(scope::Experiment(e.id));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfProposal, {Int(e.proposal.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("UPDATE experiments SET proposal_id = $1, hypotheses = $2, status = $3, outcome = $4, "
                     "learned = $5 WHERE id = $6 RETURNING id",
                     {Int(e.proposal.value()), Text(EncodeList(e.hypotheses)), Text(e.status), Text(e.outcome),
                      Text(e.learned), Int(e.id.value())}));
    if (r.empty()) return Status::NotFoundOf("experiment", e.id.value());
    return WriteExperimentChildren(e);
  });
  return Explain(s, "experiment", {{"experiment.proposal", "proposals", e.proposal.value()}});
}

Result<Experiment> SqlStore::GetExperiment(ExperimentId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadExperiments(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("experiment", id.value());
  return std::move(v[0]);
}

Result<std::vector<Experiment>> SqlStore::ListExperiments(const ListQuery& q) {
  Params p;
  Tail t(p);
  WEEFSEL_ASSIGN_OR_RETURN(std::string order, OrderAndPage(q, {{"status", "status", true}}, *conn_, t));
  return ReadExperiments(order, p);
}

// ---------------------------------------------------------------------------------------------
// Users and roles.

Result<std::vector<User>> SqlStore::ReadUsers(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT id, email, display_name, password_hash, created_at FROM users" + tail, params));
  std::vector<User> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    out[i].id = UserId(r.Int(i, 0));
    out[i].email = r.Str(i, 1);
    out[i].display_name = r.Str(i, 2);
    out[i].password_hash = r.Str(i, 3);
    out[i].created_at = r.Str(i, 4);
  }
  return out;
}

Result<UserId> SqlStore::Insert(User& u) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(u));
  int64_t id = 0;
  Status s = Write([&]() -> Status {
    Touch("users");
    Params p{Text(u.email), Text(u.display_name), Text(u.password_hash), Text(u.created_at)};
    std::string cols = "email, display_name, password_hash, created_at", vals = "$1, $2, $3, $4";
    if (u.id.valid()) {
      p.push_back(Int(u.id.value()));
      cols += ", id";
      vals += ", $5";
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("INSERT INTO users (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    id = r.Int(0, 0);
    if (u.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("users"));
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "user"));
  u.id = UserId(id);
  return u.id;
}

Status SqlStore::Update(const User& u) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(u));
  Status s = Write([&]() -> Status {
    Touch("users");
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE users SET email = $1, display_name = $2, password_hash = $3, created_at = $4 "
          "WHERE id = $5 RETURNING id",
          {Text(u.email), Text(u.display_name), Text(u.password_hash), Text(u.created_at), Int(u.id.value())}));
    if (r.empty()) return Status::NotFoundOf("user", u.id.value());
    return Status::Ok();
  });
  return Explain(s, "user");
}

Result<User> SqlStore::GetUser(UserId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadUsers(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("user", id.value());
  return std::move(v[0]);
}

Result<User> SqlStore::GetUserByEmail(const std::string& email) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadUsers(" WHERE lower(email) = lower($1)", {Text(email)}));
  if (v.empty()) return Status::NotFound("no user with e-mail '" + email + "'");
  return std::move(v[0]);
}

namespace {
Status ValidateGrant(const domain::RoleGrant& g) {
  if (!g.user.valid()) return Status::InvalidArgument("role_grant.user: must name a user");
  if (g.role == domain::Role::kActorMember && !g.actor.valid())
    return Status::InvalidArgument("role_grant.actor: an actor_member grant must name an actor");
  if ((g.role == domain::Role::kOfficer || g.role == domain::Role::kModerator) && !g.municipality.valid())
    return Status::InvalidArgument("role_grant.municipality: an " + std::string(domain::RoleCode(g.role)) +
                                   " grant must name a municipality");
  return Status::Ok();
}
}  // namespace

Status SqlStore::Grant(const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(ValidateGrant(g));
  Status s = Write([&]() -> Status {
    Touch("users");
    return Q("INSERT INTO role_grants (user_id, role, municipality_id, actor_id) VALUES ($1, $2, $3, $4) ON CONFLICT "
             "DO NOTHING",
             {Int(g.user.value()), Text(domain::RoleCode(g.role)), IdOrNull(g.municipality), IdOrNull(g.actor)})
        .status();
  });
  std::vector<FkRef> refs{{"role_grant.user", "users", g.user.value()}};
  if (g.municipality.valid()) refs.push_back({"role_grant.municipality", "municipalities", g.municipality.value()});
  if (g.actor.valid()) refs.push_back({"role_grant.actor", "actors", g.actor.value()});
  return Explain(s, "role_grant", refs);
}

Status SqlStore::Revoke(const domain::RoleGrant& g) {
  return Write([&]() -> Status {
    Touch("users");
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND "
          "COALESCE(municipality_id, 0) = $3 AND COALESCE(actor_id, 0) = $4 RETURNING user_id",
          {Int(g.user.value()), Text(domain::RoleCode(g.role)), Int(g.municipality.value()), Int(g.actor.value())}));
    if (r.empty())
      return Status::NotFound("user " + std::to_string(g.user.value()) + " has no such " +
                              std::string(domain::RoleCode(g.role)) + " grant");
    return Status::Ok();
  });
}

Result<std::vector<domain::RoleGrant>> SqlStore::GrantsOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT role, municipality_id, actor_id FROM role_grants WHERE user_id = $1 "
                                        "ORDER BY role, COALESCE(municipality_id, 0), COALESCE(actor_id, 0)",
                                        {Int(user.value())}));
  std::vector<domain::RoleGrant> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    out[i].user = user;
    WEEFSEL_ASSIGN_OR_RETURN(out[i].role, Code(domain::ParseRole(r.Str(i, 0)), "role_grants", user.value()));
    out[i].municipality = MunicipalityId(r.Null(i, 1) ? 0 : r.Int(i, 1));
    out[i].actor = ActorId(r.Null(i, 2) ? 0 : r.Int(i, 2));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sessions and API tokens: account state, written without bumping the data version.

Status SqlStore::PutSession(const StoredSession& s) {
  if (s.id_hash.empty()) return Status::InvalidArgument("session.id_hash: must not be empty");
  if (!s.user.valid()) return Status::InvalidArgument("session.user: must name a user");
  Status st = Transaction([&]() -> Status {
    return Q("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, "
             "$5)",
             {Text(s.id_hash), Int(s.user.value()), Text(s.created_at), Text(s.last_seen_at), Text(s.expires_at)})
        .status();
  });
  return Explain(st, "session", {{"session.user", "users", s.user.value()}});
}

Result<StoredSession> SqlStore::GetSession(const std::string& id_hash) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id_hash, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
                   {Text(id_hash)}));
  if (r.empty()) return Status::NotFound("session: no such session");
  return StoredSession{r.Str(0, 0), UserId(r.Int(0, 1)), r.Str(0, 2), r.Str(0, 3), r.Str(0, 4)};
}

Status SqlStore::TouchSession(const std::string& id_hash, const std::string& last_seen_at,
                              const std::string& expires_at) {
  if (!expires_at.empty())
    return Q("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
             {Text(last_seen_at), Text(expires_at), Text(id_hash)})
        .status();
  return Q("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2", {Text(last_seen_at), Text(id_hash)}).status();
}

Status SqlStore::DeleteSession(const std::string& id_hash) {
  return Q("DELETE FROM sessions WHERE id_hash = $1", {Text(id_hash)}).status();
}

Result<int64_t> SqlStore::DeleteSessionsExpiredBy(const std::string& now) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM sessions WHERE expires_at <= $1 RETURNING user_id", {Text(now)}));
  return static_cast<int64_t>(r.size());
}

Result<RetentionCounts> SqlStore::Purge(const RetentionCutoffs& c) {
  RetentionCounts out;
  Status st = Transaction([&]() -> Status {
    auto count = [&](const std::string& sql, const std::string& cutoff, int64_t& n) -> Status {
      if (cutoff.empty()) return Status::Ok();
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql + " RETURNING 1", {Text(cutoff)}));
      n = static_cast<int64_t>(r.size());
      return Status::Ok();
    };
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM sessions WHERE expires_at <= $1", c.now, out.sessions));
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM audit_log WHERE at < $1", c.audit_before, out.audit));
    WEEFSEL_RETURN_IF_ERROR(
        count("DELETE FROM notifications WHERE at < $1", c.notifications_before, out.notifications));
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM outbox WHERE day < $1", c.outbox_before.substr(0, 10), out.outbox));
    WEEFSEL_RETURN_IF_ERROR(count("DELETE FROM api_tokens WHERE expires_at <> '' AND expires_at < $1",
                                  c.tokens_expired_before, out.tokens));
    return count("DELETE FROM registration_marks WHERE registered_at < $1", c.registrations_before, out.registrations);
  });
  WEEFSEL_RETURN_IF_ERROR(st);
  return out;
}

Result<int64_t> SqlStore::Insert(StoredToken& t) {
  if (t.hash.empty()) return Status::InvalidArgument("token.hash: must not be empty");
  if (!t.user.valid()) return Status::InvalidArgument("token.user: must name a user");
  if (Trim(t.name).empty()) return Status::InvalidArgument("token.name: must not be empty");
  if (t.scope != "read" && t.scope != "write") return Status::InvalidArgument("token.scope: must be read or write");
  int64_t id = 0;
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO api_tokens (token_hash, user_id, name, created_at, last_used_at, expires_at, scope) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {Text(t.hash), Int(t.user.value()), Text(t.name), Text(t.created_at), Text(t.last_used_at),
                      Text(t.expires_at), Text(t.scope)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "token", {{"token.user", "users", t.user.value()}}));
  t.id = id;
  return id;
}

namespace {
std::vector<StoredToken> TokenRows(const SqlRows& r) {
  std::vector<StoredToken> out(r.size());
  for (size_t i = 0; i < r.size(); ++i)
    out[i] = StoredToken{r.Int(i, 0), r.Str(i, 1), UserId(r.Int(i, 2)), r.Str(i, 3),
                         r.Str(i, 4), r.Str(i, 5), r.Str(i, 6),         r.Str(i, 7)};
  return out;
}
constexpr const char* kTokenColumns =
    "SELECT id, token_hash, user_id, name, created_at, last_used_at, expires_at, scope FROM api_tokens";
}  // namespace

Result<StoredToken> SqlStore::GetTokenByHash(const std::string& hash) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kTokenColumns) + " WHERE token_hash = $1", {Text(hash)}));
  if (r.empty()) return Status::NotFound("token: no such API token");
  return TokenRows(r)[0];
}

Status SqlStore::TouchToken(int64_t id, const std::string& last_used_at) {
  return Q("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {Text(last_used_at), Int(id)}).status();
}

Result<std::vector<StoredToken>> SqlStore::TokensOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(std::string(kTokenColumns) + " WHERE user_id = $1 ORDER BY id", {Int(user.value())}));
  return TokenRows(r);
}

Status SqlStore::DeleteToken(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM api_tokens WHERE id = $1 RETURNING id", {Int(id)}));
  if (r.empty()) return Status::NotFoundOf("token", id);
  return Status::Ok();
}

Result<UserId> SqlStore::FindOidcIdentity(const std::string& issuer, const std::string& subject) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT user_id FROM oidc_identities WHERE issuer = $1 AND subject = $2",
                                        {Text(issuer), Text(subject)}));
  if (r.empty()) return Status::NotFound("oidc identity: no account for this subject of " + issuer);
  return UserId(r.Int(0, 0));
}

Status SqlStore::LinkOidcIdentity(const OidcIdentity& o) {
  if (o.issuer.empty() || o.subject.empty())
    return Status::InvalidArgument("oidc identity: issuer and subject are required");
  // Not a Write: no public answer depends on it, so the data version (and every cache) stays.
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows taken, Q("SELECT 1 FROM oidc_identities WHERE issuer = $1 AND subject = $2",
                                              {Text(o.issuer), Text(o.subject)}));
    if (!taken.empty()) return Status::AlreadyExists("oidc identity: this subject of " + o.issuer + " has an account");
    return Q("INSERT INTO oidc_identities (issuer, subject, user_id, created_at, provider, verified_resident, "
             "made_account) VALUES ($1, $2, $3, $4, $5, $6, $7)",
             {Text(o.issuer), Text(o.subject), Int(o.user.value()), Text(o.created_at), Text(o.provider),
              Int(o.verified_resident ? 1 : 0), Int(o.made_account ? 1 : 0)})
        .status();
  });
  return Explain(st, "oidc identity", {{"oidc_identity.user", "users", o.user.value()}});
}

Result<std::vector<OidcIdentity>> SqlStore::OidcIdentitiesOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT issuer, subject, provider, verified_resident, made_account, created_at FROM "
                             "oidc_identities WHERE user_id = $1 ORDER BY created_at, issuer, subject",
                             {Int(user.value())}));
  std::vector<OidcIdentity> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({r.Str(i, 0), r.Str(i, 1), user, r.Str(i, 2), r.Int(i, 3) != 0, r.Int(i, 4) != 0, r.Str(i, 5)});
  return out;
}

Status SqlStore::UnlinkOidcIdentity(UserId user, const std::string& issuer, const std::string& subject) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("DELETE FROM oidc_identities WHERE user_id = $1 AND issuer = $2 AND "
                                        "subject = $3 RETURNING user_id",
                                        {Int(user.value()), Text(issuer), Text(subject)}));
  if (r.empty())
    return Status::NotFound("oidc identity: account " + std::to_string(user.value()) +
                            " has no link to this subject of " + issuer);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Comments and supports.

Result<int64_t> SqlStore::Insert(domain::Comment& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Proposal(c.proposal));
    if (c.parent > 0) {
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows p, Q("SELECT proposal_id FROM comments WHERE id = $1", {Int(c.parent)}));
      if (p.empty())
        return Status::InvalidArgument("comment.parent: comment " + std::to_string(c.parent) + " does not exist");
      if (p.Int(0, 0) != c.proposal.value())
        return Status::InvalidArgument("comment.parent: comment " + std::to_string(c.parent) +
                                       " is on another proposal");
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("INSERT INTO comments (proposal_id, parent_id, author_user_id, text, "
                                          "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                          {Int(c.proposal.value()), c.parent > 0 ? Int(c.parent) : SqlValue{},
                                           IdOrNull(c.author), Text(c.text), Text(c.created_at)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  std::vector<FkRef> refs{{"comment.proposal", "proposals", c.proposal.value()}};
  if (c.author.valid()) refs.push_back({"comment.author", "users", c.author.value()});
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "comment", refs));
  c.id = id;
  return id;
}

Result<std::vector<domain::Comment>> SqlStore::CommentsOf(ProposalId proposal) {
  WEEFSEL_ASSIGN_OR_RETURN(
      // A comment whose author deleted their account is shown as by "removed user".
      SqlRows r,
      Q("SELECT c.id, c.proposal_id, c.parent_id, c.author_user_id, COALESCE(u.display_name, 'removed user'), "
        "c.text, c.created_at FROM comments c LEFT JOIN users u ON u.id = c.author_user_id "
        "WHERE c.proposal_id = $1 ORDER BY c.id",
        {Int(proposal.value())}));
  std::vector<domain::Comment> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& c = out[i];
    c.id = r.Int(i, 0);
    c.proposal = ProposalId(r.Int(i, 1));
    c.parent = r.Null(i, 2) ? 0 : r.Int(i, 2);
    c.author = UserId(r.Null(i, 3) ? 0 : r.Int(i, 3));
    c.author_name = r.Str(i, 4);
    c.text = r.Str(i, 5);
    c.created_at = r.Str(i, 6);
  }
  return out;
}

Result<int64_t> SqlStore::AddSupport(ProposalId proposal, UserId user, const std::string& at) {
  int64_t count = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Proposal(proposal));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("challenge", "SELECT challenge_id FROM proposals WHERE id = $1", {Int(proposal.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows seen, Q("SELECT 1 FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2",
                                             {Int(proposal.value()), Int(user.value())}));
    if (!seen.empty())
      return Status::AlreadyExists("support: user " + std::to_string(user.value()) + " already supports proposal " +
                                   std::to_string(proposal.value()));
    WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO proposal_supports (proposal_id, user_id, created_at) VALUES ($1, $2, $3)",
                              {Int(proposal.value()), Int(user.value()), Text(at)})
                                .status());
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE proposals SET supports = supports + 1 WHERE id = $1 RETURNING supports", {Int(proposal.value())}));
    if (r.empty()) return Status::NotFoundOf("proposal", proposal.value());
    count = r.Int(0, 0);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kAlreadyExists && !StartsWith(st.message(), "support:"))
    return Status::AlreadyExists("support: user " + std::to_string(user.value()) + " already supports proposal " +
                                 std::to_string(proposal.value()));
  WEEFSEL_RETURN_IF_ERROR(Explain(
      st, "support", {{"support.proposal", "proposals", proposal.value()}, {"support.user", "users", user.value()}}));
  return count;
}

Result<bool> SqlStore::HasSupported(ProposalId proposal, UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT 1 FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2",
                                        {Int(proposal.value()), Int(user.value())}));
  return !r.empty();
}

Result<int64_t> SqlStore::RemoveSupport(ProposalId proposal, UserId user) {
  int64_t count = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Proposal(proposal));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("challenge", "SELECT challenge_id FROM proposals WHERE id = $1", {Int(proposal.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows gone, Q("DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2 RETURNING proposal_id",
                        {Int(proposal.value()), Int(user.value())}));
    if (gone.empty())
      return Status::NotFound("support: user " + std::to_string(user.value()) + " does not support proposal " +
                              std::to_string(proposal.value()));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("UPDATE proposals SET supports = CASE WHEN supports > 0 THEN supports - 1 ELSE 0 END WHERE id = $1 "
          "RETURNING supports",
          {Int(proposal.value())}));
    if (r.empty()) return Status::NotFoundOf("proposal", proposal.value());
    count = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(st);
  return count;
}

// ---------------------------------------------------------------------------------------------
// The audit log and reviews.

Result<int64_t> SqlStore::Append(AuditEntry& e) {
  if (e.entity.empty() || e.action.empty()) return Status::InvalidArgument("audit: entity and action are required");
  int64_t id = 0;
  WEEFSEL_RETURN_IF_ERROR(Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO audit_log (at, user_id, municipality_id, entity, entity_id, action, before_json, "
                     "after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                     {Text(e.at), IdOrNull(e.user), IdOrNull(e.municipality), Text(e.entity), Int(e.entity_id),
                      Text(e.action), Text(e.before), Text(e.after)}));
    id = r.Int(0, 0);
    return Status::Ok();
  }));
  e.id = id;
  return id;
}

Result<std::vector<AuditEntry>> SqlStore::AuditOf(const std::string& entity, int64_t entity_id) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT id, at, user_id, municipality_id, entity, entity_id, action, before_json, after_json "
                   "FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
                   {Text(entity), Int(entity_id)}));
  std::vector<AuditEntry> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& e = out[i];
    e.id = r.Int(i, 0);
    e.at = r.Str(i, 1);
    e.user = UserId(r.Null(i, 2) ? 0 : r.Int(i, 2));
    e.municipality = MunicipalityId(r.Null(i, 3) ? 0 : r.Int(i, 3));
    e.entity = r.Str(i, 4);
    e.entity_id = r.Int(i, 5);
    e.action = r.Str(i, 6);
    e.before = r.Str(i, 7);
    e.after = r.Str(i, 8);
  }
  return out;
}

Result<int64_t> SqlStore::PutReview(domain::Review& r) {
  WEEFSEL_ASSIGN_OR_RETURN(Round round, GetRound(r.round));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r, round));
  if (!r.reviewer.valid()) return Status::InvalidArgument("review.reviewer: must name a user");
  nlohmann::json scores = nlohmann::json::object();
  for (const auto& [name, score] : r.scores) scores[name] = score;
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Round(r.round));
    WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM reviews WHERE round_id = $1 AND project_id = $2 AND reviewer_user_id = $3",
                              {Int(r.round.value()), Text(r.project_id), Int(r.reviewer.value())})
                                .status());
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows rows, Q("INSERT INTO reviews (round_id, project_id, reviewer_user_id, scores, comment, created_at) "
                        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                        {Int(r.round.value()), Text(r.project_id), Int(r.reviewer.value()),
                         Text(scores.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)), Text(r.comment),
                         Text(r.created_at)}));
    id = rows.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "review", {{"review.reviewer", "users", r.reviewer.value()}}));
  r.id = id;
  return id;
}

Result<std::vector<domain::Review>> SqlStore::ReviewsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT id, round_id, project_id, reviewer_user_id, scores, comment, created_at "
                             "FROM reviews WHERE round_id = $1 ORDER BY project_id, reviewer_user_id",
                             {Int(round.value())}));
  std::vector<domain::Review> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& v = out[i];
    v.id = r.Int(i, 0);
    v.round = RoundId(r.Int(i, 1));
    v.project_id = r.Str(i, 2);
    v.reviewer = UserId(r.Int(i, 3));
    nlohmann::json j = nlohmann::json::parse(r.Str(i, 4), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return Corrupt("reviews", v.id, "scores is not a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it.value().is_number_integer())
        return Corrupt("reviews", v.id, "score of '" + it.key() + "' is not an integer");
      v.scores[it.key()] = it.value().get<int>();
    }
    v.comment = r.Str(i, 5);
    v.created_at = r.Str(i, 6);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Allocations, milestone evidence and match-funding (migration 5).

namespace {

Allocation AllocationAt(const SqlRows& r, size_t i) {
  Allocation a;
  a.round = RoundId(r.Int(i, 0));
  a.project_id = r.Str(i, 1);
  a.proposal = ProposalId(r.Null(i, 2) ? 0 : r.Int(i, 2));
  a.amount_eur = r.Int(i, 3);
  return a;
}

constexpr const char* kEvidenceColumns =
    "SELECT id, experiment_id, milestone, text, link, submitted_by, submitted_at, decision, decided_by, decided_at, "
    "reason, released_eur FROM milestone_evidence ";

MilestoneEvidence EvidenceAt(const SqlRows& r, size_t i) {
  MilestoneEvidence e;
  e.id = r.Int(i, 0);
  e.experiment = ExperimentId(r.Int(i, 1));
  e.milestone = static_cast<int>(r.Int(i, 2));
  e.text = r.Str(i, 3);
  e.link = r.Str(i, 4);
  e.submitted_by = UserId(r.Null(i, 5) ? 0 : r.Int(i, 5));
  e.submitted_at = r.Str(i, 6);
  e.decision = r.Str(i, 7);
  e.decided_by = UserId(r.Null(i, 8) ? 0 : r.Int(i, 8));
  e.decided_at = r.Str(i, 9);
  e.reason = r.Str(i, 10);
  e.released_eur = r.Int(i, 11);
  return e;
}

Status ValidateEvidence(const MilestoneEvidence& e) {
  if (!e.experiment.valid()) return Status::InvalidArgument("evidence.experiment: must name an experiment");
  if (e.milestone < 0) return Status::InvalidArgument("evidence.milestone: must be 0 or more");
  if (e.decision != "pending" && e.decision != "approved" && e.decision != "rejected")
    return Status::InvalidArgument("evidence.decision: must be pending, approved or rejected, not '" + e.decision +
                                   "'");
  if (e.released_eur < 0) return Status::InvalidArgument("evidence.released_eur: must not be negative");
  if (e.released_eur > 0 && e.decision != "approved")
    return Status::InvalidArgument("evidence.released_eur: only approved evidence releases money");
  return Status::Ok();
}

constexpr const char* kCampaignColumns =
    "SELECT id, municipality_id, round_id, name, ratio_num, ratio_den, campaign_cap_eur, fund_eur, deadline, "
    "created_at FROM match_campaigns ";

MatchCampaign CampaignAt(const SqlRows& r, size_t i) {
  MatchCampaign c;
  c.id = r.Int(i, 0);
  c.municipality = MunicipalityId(r.Int(i, 1));
  c.round = RoundId(r.Int(i, 2));
  c.name = r.Str(i, 3);
  c.ratio_num = r.Int(i, 4);
  c.ratio_den = r.Int(i, 5);
  c.campaign_cap_eur = r.Int(i, 6);
  c.fund_eur = r.Int(i, 7);
  c.deadline = r.Str(i, 8);
  c.created_at = r.Str(i, 9);
  return c;
}

}  // namespace

Status SqlStore::PutAllocations(RoundId round, const std::vector<Allocation>& rows) {
  std::unordered_set<std::string> seen;
  for (const auto& a : rows) {
    if (a.round != round)
      return Status::InvalidArgument("allocation.round: project '" + a.project_id + "' names another round");
    if (a.project_id.empty()) return Status::InvalidArgument("allocation.project_id: must not be empty");
    if (a.amount_eur < 0)
      return Status::InvalidArgument("allocation.amount_eur: project '" + a.project_id + "' has a negative amount");
    if (!seen.insert(a.project_id).second)
      return Status::InvalidArgument("allocation.project_id: project '" + a.project_id + "' appears twice");
  }
  Status st = Write([&]() -> Status {
    Touch(scope::Round(round));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("municipality", "SELECT municipality_id FROM rounds WHERE id = $1", {Int(round.value())}));
    WEEFSEL_RETURN_IF_ERROR(Exists("rounds", round.value(), "allocation.round"));
    WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM round_allocations WHERE round_id = $1", {Int(round.value())}).status());
    for (const auto& a : rows)
      WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO round_allocations (round_id, project_id, proposal_id, amount_eur) "
                                "VALUES ($1, $2, $3, $4)",
                                {Int(round.value()), Text(a.project_id), IdOrNull(a.proposal), Int(a.amount_eur)})
                                  .status());
    return Status::Ok();
  });
  std::vector<FkRef> refs{{"allocation.round", "rounds", round.value()}};
  for (const auto& a : rows) refs.push_back({"allocation.proposal", "proposals", a.proposal.value()});
  return Explain(st, "allocation", refs);
}

Result<std::vector<Allocation>> SqlStore::AllocationsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT round_id, project_id, proposal_id, amount_eur FROM round_allocations "
                                        "WHERE round_id = $1 ORDER BY " +
                                            conn_->OrderText("project_id"),
                                        {Int(round.value())}));
  std::vector<Allocation> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(AllocationAt(r, i));
  return out;
}

Result<std::vector<Allocation>> SqlStore::AllocationsOfProposal(ProposalId proposal) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT round_id, project_id, proposal_id, amount_eur FROM round_allocations "
                                        "WHERE proposal_id = $1 ORDER BY round_id, " +
                                            conn_->OrderText("project_id"),
                                        {Int(proposal.value())}));
  std::vector<Allocation> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(AllocationAt(r, i));
  return out;
}

Result<int64_t> SqlStore::Insert(MilestoneEvidence& e) {
  WEEFSEL_RETURN_IF_ERROR(ValidateEvidence(e));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Experiment(e.experiment));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfExperiment, {Int(e.experiment.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("INSERT INTO milestone_evidence (experiment_id, milestone, text, link, submitted_by, submitted_at, decision, "
          "decided_by, decided_at, reason, released_eur) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
          "RETURNING id",
          {Int(e.experiment.value()), Int(e.milestone), Text(e.text), Text(e.link), IdOrNull(e.submitted_by),
           Text(e.submitted_at), Text(e.decision), IdOrNull(e.decided_by), Text(e.decided_at), Text(e.reason),
           Int(e.released_eur)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "evidence",
                                  {{"evidence.experiment", "experiments", e.experiment.value()},
                                   {"evidence.submitted_by", "users", e.submitted_by.value()},
                                   {"evidence.decided_by", "users", e.decided_by.value()}}));
  e.id = id;
  return id;
}

Status SqlStore::Update(const MilestoneEvidence& e) {
  WEEFSEL_RETURN_IF_ERROR(ValidateEvidence(e));
  Status st = Write([&]() -> Status {
    Touch(scope::Experiment(e.experiment));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfExperiment, {Int(e.experiment.value())}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("UPDATE milestone_evidence SET experiment_id = $2, milestone = $3, text = $4, link = $5, "
                     "submitted_by = $6, submitted_at = $7, decision = $8, decided_by = $9, decided_at = $10, "
                     "reason = $11, released_eur = $12 WHERE id = $1 RETURNING id",
                     {Int(e.id), Int(e.experiment.value()), Int(e.milestone), Text(e.text), Text(e.link),
                      IdOrNull(e.submitted_by), Text(e.submitted_at), Text(e.decision), IdOrNull(e.decided_by),
                      Text(e.decided_at), Text(e.reason), Int(e.released_eur)}));
    if (r.empty()) return Status::NotFoundOf("evidence", e.id);
    return Status::Ok();
  });
  return Explain(st, "evidence",
                 {{"evidence.experiment", "experiments", e.experiment.value()},
                  {"evidence.submitted_by", "users", e.submitted_by.value()},
                  {"evidence.decided_by", "users", e.decided_by.value()}});
}

Result<MilestoneEvidence> SqlStore::GetEvidence(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kEvidenceColumns) + "WHERE id = $1", {Int(id)}));
  if (r.empty()) return Status::NotFoundOf("evidence", id);
  return EvidenceAt(r, 0);
}

Result<std::vector<MilestoneEvidence>> SqlStore::EvidenceOf(ExperimentId experiment) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(std::string(kEvidenceColumns) + "WHERE experiment_id = $1 ORDER BY id", {Int(experiment.value())}));
  std::vector<MilestoneEvidence> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(EvidenceAt(r, i));
  return out;
}

Result<int64_t> SqlStore::Insert(MatchCampaign& c) {
  if (Trim(c.name).empty()) return Status::InvalidArgument("campaign.name: must not be empty");
  if (c.ratio_num <= 0 || c.ratio_den <= 0)
    return Status::InvalidArgument("campaign.ratio: numerator and denominator must be positive");
  if (c.campaign_cap_eur < 0) return Status::InvalidArgument("campaign.campaign_cap_eur: must not be negative");
  if (c.fund_eur <= 0) return Status::InvalidArgument("campaign.fund_eur: must be positive");
  if (!IsIsoDate(c.deadline))
    return Status::InvalidArgument("campaign.deadline: '" + c.deadline + "' is not a date YYYY-MM-DD");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Round(c.round));
    Touch(scope::Municipality(c.municipality));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r,
        Q("INSERT INTO match_campaigns (municipality_id, round_id, name, ratio_num, ratio_den, "
          "campaign_cap_eur, fund_eur, deadline, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "RETURNING id",
          {Int(c.municipality.value()), Int(c.round.value()), Text(c.name), Int(c.ratio_num), Int(c.ratio_den),
           Int(c.campaign_cap_eur), Int(c.fund_eur), Text(c.deadline), Text(c.created_at)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "campaign",
                                  {{"campaign.municipality", "municipalities", c.municipality.value()},
                                   {"campaign.round", "rounds", c.round.value()}}));
  c.id = id;
  return id;
}

Result<MatchCampaign> SqlStore::GetMatchCampaign(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kCampaignColumns) + "WHERE id = $1", {Int(id)}));
  if (r.empty()) return Status::NotFoundOf("campaign", id);
  return CampaignAt(r, 0);
}

Result<std::vector<MatchCampaign>> SqlStore::MatchCampaignsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(std::string(kCampaignColumns) + "WHERE round_id = $1 ORDER BY id", {Int(round.value())}));
  std::vector<MatchCampaign> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(CampaignAt(r, i));
  return out;
}

Result<int64_t> SqlStore::Insert(MatchPledge& p) {
  if (p.amount_eur <= 0) return Status::InvalidArgument("pledge.amount_eur: must be positive");
  if (p.project_id.empty()) return Status::InvalidArgument("pledge.project_id: must not be empty");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("round", "SELECT round_id FROM match_campaigns WHERE id = $1", {Int(p.campaign)}));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO match_pledges (campaign_id, project_id, user_id, amount_eur, at) "
                     "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     {Int(p.campaign), Text(p.project_id), IdOrNull(p.backer), Int(p.amount_eur), Text(p.at)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(
      Explain(st, "pledge",
              {{"pledge.campaign", "match_campaigns", p.campaign}, {"pledge.backer", "users", p.backer.value()}}));
  p.id = id;
  return id;
}

Result<std::vector<MatchPledge>> SqlStore::PledgesOf(int64_t campaign) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q("SELECT id, campaign_id, project_id, user_id, amount_eur, at FROM match_pledges "
                             "WHERE campaign_id = $1 ORDER BY id",
                             {Int(campaign)}));
  std::vector<MatchPledge> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    auto& p = out[i];
    p.id = r.Int(i, 0);
    p.campaign = r.Int(i, 1);
    p.project_id = r.Str(i, 2);
    p.backer = UserId(r.Null(i, 3) ? 0 : r.Int(i, 3));
    p.amount_eur = r.Int(i, 4);
    p.at = r.Str(i, 5);
  }
  return out;
}

}  // namespace weefsel::storage
