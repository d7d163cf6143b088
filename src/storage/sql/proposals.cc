// sql/proposals.cc: proposals with their versions and milestones, comments and supports. Hidden
// comments and proposals are filtered by the service (moderation.cc keeps the moderation tables).
#include "storage/sql/sql_store.h"

#include <string>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

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

// ---------------------------------------------------------------------------------------------
// Proposals.

namespace {
// The row of a proposal: the stored fields of its table.
const RowMap<Proposal>& ProposalRows() {
  static const auto* rows = new RowMap<Proposal>("proposals", domain::fields::ProposalFields());
  return *rows;
}
}  // namespace

Result<std::vector<Proposal>> SqlStore::ReadProposals(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(ProposalRows().Select() + tail, params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Proposal> out, ProposalRows().Read(r));
  if (out.empty()) return out;
  // The versions of every proposal read, and their milestones: one query each, not one per
  // proposal and one per version.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows v, ChildRows("proposal_id, number, title, plan, budget_eur, indicators, author_user_id, created_at",
                           "proposal_versions", "proposal_id", "number", "proposals", tail, params));
  for (size_t i = 0; i < v.size(); ++i) {
    auto found = at.find(v.Int(i, 0));
    if (found == at.end()) continue;  // a proposal written between the reads
    Proposal& p = out[found->second];
    domain::ProposalVersion pv;
    pv.number = static_cast<int>(v.Int(i, 1));
    pv.title = v.Str(i, 2);
    pv.plan = v.Str(i, 3);
    pv.budget_eur = v.Int(i, 4);
    auto indicators = DecodeList(v.Str(i, 5));
    if (!indicators) return Corrupt("proposal_versions", p.id.value(), "indicators is not a JSON list of strings");
    pv.indicators = std::move(*indicators);
    pv.author = UserId(IntOrZero(v, i, 6));
    pv.created_at = v.Str(i, 7);
    p.versions.push_back(std::move(pv));
  }
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows m, ChildRows("proposal_id, version_number, title, due, amount_eur, status, evidence", "milestones",
                           "proposal_id", "version_number, position", "proposals", tail, params));
  for (size_t i = 0; i < m.size(); ++i) {
    auto found = at.find(m.Int(i, 0));
    if (found == at.end()) continue;
    int number = static_cast<int>(m.Int(i, 1));
    for (auto& pv : out[found->second].versions) {
      if (pv.number != number) continue;
      pv.milestones.push_back(MilestoneAt(m, i, 2));
      break;
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
    auto [sql, params] = ProposalRows().Insert(p);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
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
    auto [sql, params] = ProposalRows().Update(p);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
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
// Comments and supports.

namespace {

// The row of a comment: the stored fields of its table, and the author's name from their account
// (a comment whose author deleted their account keeps its text with no author, author_user_id
// NULL, and is shown as by "removed user").
const RowMap<domain::Comment>& CommentRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<domain::Comment>("comments", domain::fields::CommentFields());
    m->Join("c", "LEFT JOIN users u ON u.id = c.author_user_id");
    m->Joined(domain::fields::Str("author_name", &domain::Comment::author_name, 0),
              "COALESCE(u.display_name, 'removed user')");
    return m;
  }();
  return *rows;
}

}  // namespace

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
    domain::Comment fresh = c;
    fresh.id = 0;  // a new comment always gets a new id
    auto [sql, params] = CommentRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  std::vector<FkRef> refs{{"comment.proposal", "proposals", c.proposal.value()}};
  if (c.author.valid()) refs.push_back({"comment.author", "users", c.author.value()});
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "comment", refs));
  c.id = id;
  return id;
}

// The one row reader of comments, for every read of them (`tail` names the columns as "c.").
Result<std::vector<domain::Comment>> SqlStore::ReadComments(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(CommentRows().Select() + tail, params));
  return CommentRows().Read(r);
}

Result<std::vector<domain::Comment>> SqlStore::CommentsOf(ProposalId proposal) {
  return ReadComments(" WHERE c.proposal_id = $1 ORDER BY c.id", {Int(proposal.value())});
}

Result<domain::Comment> SqlStore::GetComment(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadComments(" WHERE c.id = $1", {Int(id)}));
  if (v.empty()) return Status::NotFound("comment " + std::to_string(id) + " does not exist");
  return std::move(v[0]);
}

Result<std::vector<domain::Comment>> SqlStore::CommentsBy(UserId user) {
  return ReadComments(" WHERE c.author_user_id = $1 ORDER BY c.id", {Int(user.value())});
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

Result<std::vector<ProposalId>> SqlStore::SupportsOf(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT proposal_id FROM proposal_supports WHERE user_id = $1 ORDER BY "
                                        "proposal_id",
                                        {Int(user.value())}));
  std::vector<ProposalId> out;
  for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.Int(i, 0));
  return out;
}

}  // namespace weefsel::storage::sql
