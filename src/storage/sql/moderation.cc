// sql/moderation.cc: reports, hidden items and blocked accounts (store/moderation.h), each row
// through its field table (RowMap). This file keeps the moderation tables themselves; the comments
// are read in proposals.cc.
#include <string>
#include <utility>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_store.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {

// The row of a report: the stored fields of its table, and who reported and who resolved it, whom
// no reader of the table may see (the audit log has who).
const RowMap<Report>& ReportRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<Report>("reports", domain::fields::ReportFields());
    m->Also(domain::fields::IdOf("reporter", &Report::reporter, true).Column("reporter_user_id"));
    m->Also(domain::fields::IdOf("resolved_by", &Report::resolved_by, true).Column());
    return m;
  }();
  return *rows;
}

// The row of a hidden item (keyless: its key is what it hides): the stored fields of its table, and
// who hid it.
const RowMap<HiddenItem>& HiddenRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<HiddenItem>("hidden_items", domain::fields::HiddenItemFields());
    m->Also(domain::fields::IdOf("hidden_by", &HiddenItem::hidden_by, true).Column());
    return m;
  }();
  return *rows;
}

// The row of an account block (keyless: its key is the account): the stored fields of its table,
// and who blocked it.
const RowMap<AccountBlock>& BlockRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<AccountBlock>("account_blocks", domain::fields::AccountBlockFields());
    m->Also(domain::fields::IdOf("blocked_by", &AccountBlock::blocked_by, true).Column());
    return m;
  }();
  return *rows;
}

bool KnownTarget(const std::string& t) {
  return t == "comment" || t == "proposal" || t == "profile" || t == "task_challenge";
}

}  // namespace

Result<int64_t> SqlStore::Insert(Report& x) {
  if (!KnownTarget(x.target))
    return Status::InvalidArgument("report.target: must be comment, proposal, profile or task_challenge");
  if (x.target_id < 1) return Status::InvalidArgument("report.id: must be a positive id");
  if (x.reason.empty()) return Status::InvalidArgument("report.reason: must not be empty");
  int64_t id = 0;
  // Not a Write: no public answer depends on a report.
  Status st = Transaction([&]() -> Status {
    if (x.reporter.valid()) {
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows seen, Q("SELECT 1 FROM reports WHERE target = $1 AND target_id = $2 AND "
                                               "reporter_user_id = $3 AND status = 'open'",
                                               {Text(x.target), Int(x.target_id), Int(x.reporter.value())}));
      if (!seen.empty())
        return Status::AlreadyExists("report: you have reported this " + x.target + " already; it awaits a moderator");
    }
    Report fresh = x;
    fresh.id = 0;  // a new report always gets a new id
    auto [sql, params] = ReportRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kAlreadyExists) return st;
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "report",
                                  {{"report.municipality", "municipalities", x.municipality.value()},
                                   {"report.reporter", "users", x.reporter.value()}}));
  x.id = id;
  return id;
}

Result<Report> SqlStore::GetReport(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(ReportRows().Select() + " WHERE id = $1", {Int(id)}));
  if (r.empty()) return Status::NotFound("report " + std::to_string(id) + " does not exist");
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Report> v, ReportRows().Read(r));
  return std::move(v.front());
}

Result<std::vector<Report>> SqlStore::ReportsIn(MunicipalityId m, const std::string& status) {
  std::string sql = ReportRows().Select() + " WHERE municipality_id = $1";
  Params p{Int(m.value())};
  if (!status.empty()) {
    sql += " AND status = $2";
    p.push_back(Text(status));
  }
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql + " ORDER BY id", p));
  return ReportRows().Read(r);
}

Result<std::vector<Report>> SqlStore::ReportsBy(UserId reporter) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(ReportRows().Select() + " WHERE reporter_user_id = $1 ORDER BY id", {Int(reporter.value())}));
  return ReportRows().Read(r);
}

Result<int64_t> SqlStore::ResolveReports(const std::string& target, int64_t target_id, int64_t id,
                                         const std::string& status, UserId by, const std::string& at) {
  if (status != "hidden" && status != "dismissed")
    return Status::InvalidArgument("report.status: must be hidden or dismissed");
  int64_t changed = 0;
  Status st = Transaction([&]() -> Status {
    SqlRows r;
    if (id > 0) {
      WEEFSEL_ASSIGN_OR_RETURN(r, Q("UPDATE reports SET status = $1, resolved_by = $2, resolved_at = $3 "
                                    "WHERE id = $4 AND status = 'open' RETURNING id",
                                    {Text(status), IdOrNull(by), Text(at), Int(id)}));
    } else {
      WEEFSEL_ASSIGN_OR_RETURN(r, Q("UPDATE reports SET status = $1, resolved_by = $2, resolved_at = $3 "
                                    "WHERE target = $4 AND target_id = $5 AND status = 'open' RETURNING id",
                                    {Text(status), IdOrNull(by), Text(at), Text(target), Int(target_id)}));
    }
    changed = static_cast<int64_t>(r.size());
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(st);
  return changed;
}

// The change scopes hiding or restoring an item touches: a comment its proposal; a proposal the
// proposals, itself, its challenge's list and its municipality's programme; a profile (a name on
// comments anywhere) everything.
Status SqlStore::TouchModerated(const std::string& target, int64_t target_id) {
  if (target == "comment")
    return TouchRows("proposal", "SELECT proposal_id FROM comments WHERE id = $1", {Int(target_id)});
  if (target == "proposal") {
    Touch("proposals");
    Touch(scope::Of("proposal", target_id));
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("challenge", "SELECT challenge_id FROM proposals WHERE id = $1", {Int(target_id)}));
    // The rounds it is a project of show it without its title while hidden (and their results).
    Touch("rounds");
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("round", "SELECT DISTINCT round_id FROM round_projects WHERE proposal_id = $1", {Int(target_id)}));
    return TouchRows("municipality",
                     "SELECT c.municipality_id FROM proposals p JOIN challenges c ON c.id = p.challenge_id "
                     "WHERE p.id = $1",
                     {Int(target_id)});
  }
  if (target == "task_challenge") {  // a Right to Challenge bid: its lists and its page
    Touch("task_challenges");
    Touch(scope::Of("task_challenge", target_id));
    return TouchRows("municipality", "SELECT municipality_id FROM task_challenges WHERE id = $1", {Int(target_id)});
  }
  Touch(std::string(scope::kAll));
  return Status::Ok();
}

Status SqlStore::Hide(const HiddenItem& h) {
  if (!KnownTarget(h.target))
    return Status::InvalidArgument("hidden.target: must be comment, proposal, profile or task_challenge");
  if (h.reason.empty()) return Status::InvalidArgument("hidden.reason: must not be empty");
  Status st = Write([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(TouchModerated(h.target, h.target_id));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows seen, Q("SELECT 1 FROM hidden_items WHERE target = $1 AND target_id = $2",
                                             {Text(h.target), Int(h.target_id)}));
    if (!seen.empty())
      return Status::AlreadyExists("hidden: " + h.target + " " + std::to_string(h.target_id) + " is hidden already");
    auto [sql, params] = HiddenRows().Insert(h);
    return Q(sql, params).status();
  });
  if (st.code() == StatusCode::kAlreadyExists) return st;
  return Explain(st, "hidden",
                 {{"hidden.municipality", "municipalities", h.municipality.value()},
                  {"hidden.hidden_by", "users", h.hidden_by.value()}});
}

Status SqlStore::Unhide(const std::string& target, int64_t target_id) {
  return Write([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(TouchModerated(target, target_id));
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("DELETE FROM hidden_items WHERE target = $1 AND target_id = $2 RETURNING target",
                               {Text(target), Int(target_id)}));
    if (r.empty()) return Status::NotFound("hidden: " + target + " " + std::to_string(target_id) + " is not hidden");
    return Status::Ok();
  });
}

Result<HiddenItem> SqlStore::GetHidden(const std::string& target, int64_t target_id) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(HiddenRows().Select() + " WHERE target = $1 AND target_id = $2", {Text(target), Int(target_id)}));
  if (r.empty()) return Status::NotFound("hidden: " + target + " " + std::to_string(target_id) + " is not hidden");
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<HiddenItem> v, HiddenRows().Read(r));
  return std::move(v.front());
}

Result<std::vector<HiddenItem>> SqlStore::HiddenIn(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r,
      Q(HiddenRows().Select() + " WHERE municipality_id = $1 ORDER BY hidden_at, target, target_id", {Int(m.value())}));
  return HiddenRows().Read(r);
}

Result<std::vector<int64_t>> SqlStore::HiddenIds(const std::string& target) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT target_id FROM hidden_items WHERE target = $1 ORDER BY target_id", {Text(target)}));
  std::vector<int64_t> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) out.push_back(r.Int(i, 0));
  return out;
}

Result<std::vector<int64_t>> SqlStore::HiddenIdsIn(const std::string& target, MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT target_id FROM hidden_items WHERE target = $1 AND municipality_id = $2 "
                                        "ORDER BY target_id",
                                        {Text(target), Int(m.value())}));
  std::vector<int64_t> out;
  out.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) out.push_back(r.Int(i, 0));
  return out;
}

Result<Store::QueuePage> SqlStore::ModerationTargets(MunicipalityId m, int64_t limit, int64_t offset) {
  if (limit < 1 || offset < 0) return Status::InvalidArgument("limit: must be at least 1, offset at least 0");
  // Both indexed on the municipality (reports_queue, hidden_items_municipality).
  static constexpr const char* kQueue =
      "SELECT target, target_id, created_at AS at FROM reports WHERE municipality_id = $1 AND status = 'open' "
      "UNION ALL SELECT target, target_id, hidden_at AS at FROM hidden_items WHERE municipality_id = $1";
  QueuePage page;
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows n, Q(std::string("SELECT COUNT(*) FROM (SELECT DISTINCT target, target_id FROM (") + kQueue + ") q) d",
                   {Int(m.value())}));
  page.total = n.Int(0, 0);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string("SELECT target, target_id, MIN(at) AS first FROM (") + kQueue +
                                            ") q GROUP BY target, target_id ORDER BY first, target, target_id "
                                            "LIMIT $2 OFFSET $3",
                                        {Int(m.value()), Int(limit), Int(offset)}));
  page.targets.reserve(r.size());
  for (size_t i = 0; i < r.size(); ++i) page.targets.emplace_back(r.Str(i, 0), r.Int(i, 1));
  return page;
}

Result<std::vector<Report>> SqlStore::OpenReportsOn(const std::string& target, int64_t target_id) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(ReportRows().Select() + " WHERE target = $1 AND target_id = $2 AND status = 'open' ORDER BY id",
                   {Text(target), Int(target_id)}));
  return ReportRows().Read(r);
}

Status SqlStore::Block(const AccountBlock& b) {
  if (b.reason.empty()) return Status::InvalidArgument("block.reason: must not be empty");
  Status st = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows seen, Q("SELECT 1 FROM account_blocks WHERE user_id = $1", {Int(b.user.value())}));
    if (!seen.empty())
      return Status::AlreadyExists("block: account " + std::to_string(b.user.value()) + " is blocked already");
    auto [sql, params] = BlockRows().Insert(b);
    WEEFSEL_RETURN_IF_ERROR(Q(sql, params).status());
    WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM sessions WHERE user_id = $1", {Int(b.user.value())}).status());
    return Q("DELETE FROM api_tokens WHERE user_id = $1", {Int(b.user.value())}).status();
  });
  if (st.code() == StatusCode::kAlreadyExists) return st;
  return Explain(st, "block",
                 {{"block.user", "users", b.user.value()},
                  {"block.municipality", "municipalities", b.municipality.value()},
                  {"block.blocked_by", "users", b.blocked_by.value()}});
}

Status SqlStore::Unblock(UserId user) {
  return Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("DELETE FROM account_blocks WHERE user_id = $1 RETURNING user_id", {Int(user.value())}));
    if (r.empty()) return Status::NotFound("block: account " + std::to_string(user.value()) + " is not blocked");
    return Status::Ok();
  });
}

Result<AccountBlock> SqlStore::GetBlock(UserId user) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(BlockRows().Select() + " WHERE user_id = $1", {Int(user.value())}));
  if (r.empty()) return Status::NotFound("block: account " + std::to_string(user.value()) + " is not blocked");
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<AccountBlock> v, BlockRows().Read(r));
  return std::move(v.front());
}

}  // namespace weefsel::storage::sql
