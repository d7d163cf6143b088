// sql/coalitions.cc: coalitions and their members.
#include "storage/sql/sql_store.h"

#include <algorithm>
#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Coalitions.

namespace {
// The row of a coalition: the stored fields of its table.
const RowMap<Coalition>& CoalitionRows() {
  static const auto* rows = new RowMap<Coalition>("coalitions", domain::fields::CoalitionFields());
  return *rows;
}
// A member's row: the stored fields of its table, its coalition and its place in the list.
const RowMap<domain::CoalitionMember>& MemberRows() {
  static const auto* rows =
      &(new RowMap<domain::CoalitionMember>("coalition_members", domain::fields::CoalitionMemberFields()))
           ->Child("coalition_id", "position");
  return *rows;
}
}  // namespace

Result<std::vector<Coalition>> SqlStore::ReadCoalitions(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(CoalitionRows().Select() + tail, params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Coalition> out, CoalitionRows().Read(r));
  if (out.empty()) return out;
  // The members of every coalition read: one query, not one per coalition.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows m, ChildRows(MemberRows().ChildColumns(), "coalition_members", "coalition_id",
                                                "position", "coalitions", tail, params));
  WEEFSEL_RETURN_IF_ERROR(MemberRows().ReadInto(m, out, at, &Coalition::members));
  return out;
}

Status SqlStore::WriteCoalitionMembers(const Coalition& c) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM coalition_members WHERE coalition_id = $1", {Int(c.id.value())}).status());
  for (const auto& [sql, p] : MemberRows().InsertChildren(c.id.value(), c.members))
    WEEFSEL_RETURN_IF_ERROR(Q(sql, p).status());
  return Status::Ok();
}

Result<CoalitionId> SqlStore::Insert(Coalition& c) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  Coalition stored = c;
  Status s = Write([&]() -> Status {
    Touch("coalitions");
    Touch(scope::Challenge(c.challenge));
    auto [sql, p] = CoalitionRows().Insert(c);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
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
    auto [sql, p] = CoalitionRows().Update(c);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
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

Result<std::vector<Coalition>> SqlStore::CoalitionsOfChallenges(const std::vector<ChallengeId>& challenges) {
  std::vector<int64_t> ids;
  ids.reserve(challenges.size());
  for (ChallengeId c : challenges) ids.push_back(c.value());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  // Up to kChunk challenges a query. Each IN list is padded (with its last id) to a power of two,
  // so the connection's statement cache holds a few texts rather than one per length.
  constexpr size_t kChunk = 256;
  std::vector<Coalition> out;
  for (size_t from = 0; from < ids.size(); from += kChunk) {
    size_t n = std::min(kChunk, ids.size() - from), width = 1;
    while (width < n) width *= 2;
    Params p;
    std::string in;
    for (size_t i = 0; i < width; ++i) {
      p.push_back(Int(ids[from + std::min(i, n - 1)]));
      in += (i ? ", $" : "$") + std::to_string(i + 1);
    }
    WEEFSEL_ASSIGN_OR_RETURN(auto some,
                             ReadCoalitions(" WHERE challenge_id IN (" + in + ") ORDER BY challenge_id, id", p));
    for (auto& c : some) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace weefsel::storage::sql
