// sql/network.cc: actors, ties (bulk writes go through CopyRows) and fabric snapshots.
#include "storage/sql/sql_store.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Actors.

namespace {
// The row of an actor: the stored fields of its table (through their typed `put` and `take`:
// row_map.h) and the search key. The bulk write (CopyRows) and the UPDATE take their columns from
// it too, so a new actor column is one `.Column()` in ActorFields() plus the migration.
const RowMap<Actor>& ActorRows() {
  static const auto* rows = new RowMap<Actor>("actors", domain::fields::ActorFields(),
                                              {{"search_key", [](const Actor& a) { return Text(FoldCase(a.name)); }}});
  return *rows;
}
}  // namespace

Result<std::vector<Actor>> SqlStore::ReadActors(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(ActorRows().Select() + tail, params));
  return ActorRows().Read(r);
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
    const RowMap<Actor>& map = ActorRows();
    WEEFSEL_RETURN_IF_ERROR(conn_->CopyRows("actors", map.CopyColumns(), actors.size(), [&](RowSink& sink) -> Status {
      for (size_t i = 0; i < actors.size(); ++i) {
        map.Sink(sink, ids[i], actors[i]);
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
    auto [sql, p] = ActorRows().Update(a);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
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
// The row of a tie: the stored fields of its table; the bulk write takes its columns from it too.
const RowMap<Tie>& TieRows() {
  static const auto* rows = new RowMap<Tie>("ties", domain::fields::TieFields());
  return *rows;
}
}  // namespace

Result<std::vector<Tie>> SqlStore::ReadTies(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(TieRows().Select() + tail, params));
  return TieRows().Read(r);
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
    const RowMap<Tie>& map = TieRows();
    WEEFSEL_RETURN_IF_ERROR(conn_->CopyRows("ties", map.CopyColumns(), ties.size(), [&](RowSink& sink) -> Status {
      for (size_t i = 0; i < ties.size(); ++i) {
        map.Sink(sink, ids[i], ties[i]);
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
// Fabric snapshots, through their field table.

namespace {
const RowMap<FabricSnapshot>& SnapshotRows() {
  static const auto* rows = new RowMap<FabricSnapshot>("fabric_snapshots", domain::fields::FabricSnapshotFields());
  return *rows;
}
}  // namespace

Result<int64_t> SqlStore::Insert(FabricSnapshot& s) {
  if (s.period.size() != 7) return Status::InvalidArgument("snapshot.period: expected YYYY-MM, got '" + s.period + "'");
  if (s.trigger != "monthly" && s.trigger != "on_demand")
    return Status::InvalidArgument("snapshot.trigger: '" + s.trigger + "' is not one of monthly, on_demand");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Fabric(s.municipality));
    FabricSnapshot fresh = s;
    fresh.id = 0;  // a new snapshot always gets a new id
    auto [sql, params] = SnapshotRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(
      Explain(st, "snapshot", {{"snapshot.municipality", "municipalities", s.municipality.value()}}));
  s.id = id;
  return id;
}

Result<std::vector<FabricSnapshot>> SqlStore::SnapshotsOf(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(SnapshotRows().Select() + " WHERE municipality_id = $1 ORDER BY taken_at, id", {Int(m.value())}));
  return SnapshotRows().Read(r);
}

}  // namespace weefsel::storage::sql
