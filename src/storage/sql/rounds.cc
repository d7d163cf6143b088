// sql/rounds.cc: rounds with their projects and criteria, ballots, reviews and allocations.
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
// Rounds and ballots.

namespace {
// The row of a round: the stored fields of its table and of its eligibility's, and the search key.
const RowMap<Round>& RoundRows() {
  static const auto* rows = [] {
    auto* map = new RowMap<Round>("rounds", domain::fields::RoundFields(),
                                  {{"search_key", [](const Round& r) { return Text(FoldCase(r.name)); }}});
    map->Embed(domain::fields::EligibilityFields(), &Round::eligibility);
    return map;
  }();
  return *rows;
}
// A project's and a review criterion's rows: their tables' stored fields, the round and the place in
// its list.
const RowMap<domain::RoundProject>& ProjectRows() {
  static const auto* rows = &(new RowMap<domain::RoundProject>("round_projects", domain::fields::RoundProjectFields()))
                                 ->Child("round_id", "position");
  return *rows;
}
const RowMap<domain::ReviewCriterion>& CriterionRows() {
  static const auto* rows =
      &(new RowMap<domain::ReviewCriterion>("round_criteria", domain::fields::ReviewCriterionFields()))
           ->Child("round_id", "position");
  return *rows;
}
}  // namespace

Result<std::vector<Round>> SqlStore::ReadRounds(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(RoundRows().Select() + tail, params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Round> out, RoundRows().Read(r));
  if (out.empty()) return out;
  // The projects and criteria of every round read: one query each, not two per round.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows p, ChildRows(ProjectRows().ChildColumns(), "round_projects", "round_id", "position",
                                                "rounds", tail, params));
  WEEFSEL_RETURN_IF_ERROR(ProjectRows().ReadInto(p, out, at, &Round::projects));
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows c, ChildRows(CriterionRows().ChildColumns(), "round_criteria", "round_id",
                                                "position", "rounds", tail, params));
  WEEFSEL_RETURN_IF_ERROR(CriterionRows().ReadInto(c, out, at, &Round::criteria));
  return out;
}

Status SqlStore::WriteRoundProjects(const Round& r) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM round_projects WHERE round_id = $1", {Int(r.id.value())}).status());
  for (const auto& [sql, p] : ProjectRows().InsertChildren(r.id.value(), r.projects))
    WEEFSEL_RETURN_IF_ERROR(Q(sql, p).status());
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM round_criteria WHERE round_id = $1", {Int(r.id.value())}).status());
  for (const auto& [sql, p] : CriterionRows().InsertChildren(r.id.value(), r.criteria))
    WEEFSEL_RETURN_IF_ERROR(Q(sql, p).status());
  return Status::Ok();
}

Result<RoundId> SqlStore::Insert(Round& r) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  Round stored = r;
  Status s = Write([&]() -> Status {
    Touch("rounds");
    Touch(scope::Municipality(r.municipality));
    auto [sql, p] = RoundRows().Insert(r);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows rows, Q(sql, p));
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
    auto [sql, p] = RoundRows().Update(r);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows rows, Q(sql, p));
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

namespace {
// The row of a ballot: the stored fields of its table, and the voter, whom no reader of the table may
// see. Its entries are a child table (ballot_entries), written and read below.
const RowMap<Ballot>& BallotRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<Ballot>("ballots", domain::fields::BallotFields());
    m->Also(domain::fields::IdOf("voter", &Ballot::voter, false).Column("voter_user_id"));
    return m;
  }();
  return *rows;
}
// A ballot entry's row: its table's stored fields, the ballot and the entry's place in it.
const RowMap<domain::BallotEntry>& EntryRows() {
  static const auto* rows = &(new RowMap<domain::BallotEntry>("ballot_entries", domain::fields::BallotEntryFields()))
                                 ->Child("ballot_id", "position");
  return *rows;
}
}  // namespace

Result<std::vector<Ballot>> SqlStore::ReadBallots(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(BallotRows().Select() + tail, params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Ballot> out, BallotRows().Read(r));
  if (out.empty()) return out;
  // The entries of every ballot read: one query, not one per ballot.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows e, ChildRows(EntryRows().ChildColumns(), "ballot_entries", "ballot_id", "position",
                                                "ballots", tail, params));
  WEEFSEL_RETURN_IF_ERROR(EntryRows().ReadInto(e, out, at, &Ballot::entries));
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
  return WriteBallot(b, false);
}

Result<BallotId> SqlStore::CastBallot(Ballot& b) {
  if (!b.voter.valid()) return Status::InvalidArgument("ballot.voter: must name a user");
  return WriteBallot(b, true);
}

// The ballot row and its entries in one Write, in four statements whatever the number of entries:
// the ballot upserted (one row per voter and round), its old entries deleted, the new ones inserted
// in one statement. With `open_only`, the upsert writes nothing unless the round is in voting and
// the voter not voided, checked in the same statement (a cast needs no read of the round then).
Result<BallotId> SqlStore::WriteBallot(Ballot& b, bool open_only) {
  int64_t id = 0;
  Status s = Write([&]() -> Status {
    Touch(scope::Round(b.round));
    const RowMap<Ballot>& rows = BallotRows();
    std::string where = "true";
    if (open_only)
      where = "EXISTS (SELECT 1 FROM rounds WHERE id = " + rows.Param("round_id") + " AND phase = $" +
              std::to_string(rows.ParamCount() + 1) +
              ") AND NOT EXISTS (SELECT 1 FROM voided_voters WHERE round_id = " + rows.Param("round_id") +
              " AND user_id = " + rows.Param("voter_user_id") + ")";
    auto [sql, p] = rows.Upsert(b, {"round_id", "voter_user_id"}, where);
    if (open_only) p.push_back(Text(domain::RoundPhaseCode(domain::RoundPhase::kVoting)));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    if (r.empty())
      return Status::FailedPrecondition("ballot: round " + std::to_string(b.round.value()) +
                                        " is not open to this voter");
    id = r.Int(0, 0);
    WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM ballot_entries WHERE ballot_id = $1", {Int(id)}).status());
    // Entries in statements of at most 100 rows (400 parameters).
    for (const auto& [insert, q] : EntryRows().InsertChildren(id, b.entries))
      WEEFSEL_RETURN_IF_ERROR(Q(insert, q).status());
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

Result<std::vector<domain::Ballot>> SqlStore::BallotsBy(UserId user) {
  // The account's own rows only (sealed ballots have no voter), not every ballot of its rounds.
  return ReadBallots(" WHERE voter_user_id = $1 ORDER BY id", {Int(user.value())});
}

namespace {
// The row of a review: the stored fields of its table (the reviewer's name is the service's).
const RowMap<domain::Review>& ReviewRows() {
  static const auto* rows = new RowMap<domain::Review>("reviews", domain::fields::ReviewFields());
  return *rows;
}
}  // namespace

Result<int64_t> SqlStore::PutReview(domain::Review& r) {
  WEEFSEL_ASSIGN_OR_RETURN(Round round, GetRound(r.round));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r, round));
  if (!r.reviewer.valid()) return Status::InvalidArgument("review.reviewer: must name a user");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Round(r.round));
    WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM reviews WHERE round_id = $1 AND project_id = $2 AND reviewer_user_id = $3",
                              {Int(r.round.value()), Text(r.project_id), Int(r.reviewer.value())})
                                .status());
    domain::Review fresh = r;
    fresh.id = 0;  // a review replaced gets a new id
    auto [sql, params] = ReviewRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows rows, Q(sql, params));
    id = rows.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "review", {{"review.reviewer", "users", r.reviewer.value()}}));
  r.id = id;
  return id;
}

Result<std::vector<domain::Review>> SqlStore::ReviewsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r,
      Q(ReviewRows().Select() + " WHERE round_id = $1 ORDER BY project_id, reviewer_user_id", {Int(round.value())}));
  return ReviewRows().Read(r);
}

// ---------------------------------------------------------------------------------------------
// Allocations.

namespace {
// The row of an allocation (keyless: a round's are replaced whole): the stored fields of its table.
const RowMap<Allocation>& AllocationRows() {
  static const auto* rows = new RowMap<Allocation>("round_allocations", domain::fields::AllocationFields());
  return *rows;
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
    for (const auto& a : rows) {
      auto [sql, params] = AllocationRows().Insert(a);
      WEEFSEL_RETURN_IF_ERROR(Q(sql, params).status());
    }
    return Status::Ok();
  });
  std::vector<FkRef> refs{{"allocation.round", "rounds", round.value()}};
  for (const auto& a : rows) refs.push_back({"allocation.proposal", "proposals", a.proposal.value()});
  return Explain(st, "allocation", refs);
}

Result<std::vector<Allocation>> SqlStore::AllocationsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(AllocationRows().Select() + " WHERE round_id = $1 ORDER BY " + conn_->OrderText("project_id"),
                   {Int(round.value())}));
  return AllocationRows().Read(r);
}

Result<std::vector<Allocation>> SqlStore::AllocationsOfProposal(ProposalId proposal) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(AllocationRows().Select() + " WHERE proposal_id = $1 ORDER BY round_id, " +
                                            conn_->OrderText("project_id"),
                                        {Int(proposal.value())}));
  return AllocationRows().Read(r);
}

}  // namespace weefsel::storage::sql
