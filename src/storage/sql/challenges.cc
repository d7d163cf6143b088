// sql/challenges.cc: challenges and their capability needs.
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

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
  if (out.empty()) return out;
  // The capability needs of every challenge read: one query, not one per challenge.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows caps, ChildRows("challenge_id, capability, weight", "challenge_capabilities",
                                                   "challenge_id", "position", "challenges", tail, params));
  for (size_t i = 0; i < caps.size(); ++i) {
    auto found = at.find(caps.Int(i, 0));
    if (found == at.end()) continue;  // a challenge written between the two reads
    out[found->second].capabilities.push_back({caps.Str(i, 1), caps.Dbl(i, 2)});
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

}  // namespace weefsel::storage::sql
