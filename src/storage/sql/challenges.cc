// sql/challenges.cc: challenges and their capability needs.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Challenges.

namespace {
// The row of a challenge: the stored fields of its table, and the search key.
const RowMap<Challenge>& ChallengeRows() {
  static const auto* rows =
      new RowMap<Challenge>("challenges", domain::fields::ChallengeFields(),
                            {{"search_key", [](const Challenge& c) { return Text(FoldCase(c.title)); }}});
  return *rows;
}
// A capability need's row: its table's stored fields, its challenge and its place in the list.
const RowMap<domain::CapabilityNeed>& NeedRows() {
  static const auto* rows =
      &(new RowMap<domain::CapabilityNeed>("challenge_capabilities", domain::fields::CapabilityNeedFields()))
           ->Child("challenge_id", "position");
  return *rows;
}
}  // namespace

Result<std::vector<Challenge>> SqlStore::ReadChallenges(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(ChallengeRows().Select() + tail, params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Challenge> out, ChallengeRows().Read(r));
  if (out.empty()) return out;
  // The capability needs of every challenge read: one query, not one per challenge.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows caps, ChildRows(NeedRows().ChildColumns(), "challenge_capabilities", "challenge_id",
                                                   "position", "challenges", tail, params));
  WEEFSEL_RETURN_IF_ERROR(NeedRows().ReadInto(caps, out, at, &Challenge::capabilities));
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
  for (const auto& [sql, p] : NeedRows().InsertChildren(c.id.value(), c.capabilities))
    WEEFSEL_RETURN_IF_ERROR(Q(sql, p).status());
  return Status::Ok();
}

Result<ChallengeId> SqlStore::Insert(Challenge& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Challenge stored = c;
  Status s = Write([&]() -> Status {
    Touch("challenges");
    Touch(scope::Municipality(c.municipality));
    auto [sql, p] = ChallengeRows().Insert(c);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
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
    auto [sql, p] = ChallengeRows().Update(c);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
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

}  // namespace weefsel::storage::sql
