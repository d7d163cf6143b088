// service/moderation/moderation.cc: reports, the moderation queue, hiding and restoring, blocking accounts
// (issue 20; the contract is in moderation.h). Every decision is written to the audit log in the
// transaction that makes it: entity "comment", "proposal" or "user" (a profile or an account),
// actions "report", "hide", "restore", "dismiss", "block" and "unblock".
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "service/moderation/moderation.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

using core::Dump;
using core::Snap;

constexpr size_t kMaxReason = 1000;

Status CheckTarget(const std::string& target) {
  if (target != "comment" && target != "proposal" && target != "profile" && target != "task_challenge")
    return Status::InvalidArgument("target: must be comment, proposal, profile or task_challenge");
  return Status::Ok();
}

Result<std::string> CheckReason(const std::string& reason) {
  std::string r(Trim(reason));
  if (r.empty()) return Status::InvalidArgument("reason: required (say why)");
  if (r.size() > kMaxReason)
    return Status::InvalidArgument("reason: at most " + std::to_string(kMaxReason) + " characters");
  return r;
}

// The audit log's entity for a target: a profile is the account's ("user").
std::string EntityOf(const std::string& target) { return target == "profile" ? "user" : target; }

}  // namespace

Result<storage::Report> Moderation::ReportContent(const Principal& p, const std::string& target, int64_t id,
                                                  const std::string& reason, MunicipalityId municipality) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kReport, {}));
  WEEFSEL_RETURN_IF_ERROR(CheckTarget(target));
  if (id < 1) return Status::InvalidArgument("id: must be a positive id");
  WEEFSEL_ASSIGN_OR_RETURN(std::string why, CheckReason(reason));
  WriteLock lock(*this);
  storage::Report r;
  r.target = target;
  r.target_id = id;
  r.reporter = p.user;
  r.reason = why;
  r.created_at = Now();
  const std::string gone = target + " " + std::to_string(id) + " does not exist";
  WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden(target, id));
  if (hidden) return Status::NotFound(gone);
  if (target == "profile") {
    auto u = store_->GetUser(UserId(id));
    if (!u.ok()) return u.status().code() == StatusCode::kNotFound ? Status::NotFound(gone) : u.status();
    if (UserId(id) == p.user)
      return Status::Conflict("target: you cannot report your own profile").WithReason("report_own");
    if (municipality.valid()) {
      WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(municipality).status());
      r.municipality = municipality;
    } else {
      WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_->GrantsOf(UserId(id)));
      for (const auto& g : grants)
        if (!r.municipality.valid() && g.municipality.valid()) r.municipality = g.municipality;
      for (const auto& g : p.grants)
        if (!r.municipality.valid() && g.municipality.valid()) r.municipality = g.municipality;
      if (!r.municipality.valid())
        return Status::InvalidArgument("municipality: required (whose moderators should look at this profile)");
    }
  } else {
    UserId author;
    if (target == "comment") {
      auto c = store_->GetComment(id);
      if (!c.ok()) return c.status().code() == StatusCode::kNotFound ? Status::NotFound(gone) : c.status();
      WEEFSEL_ASSIGN_OR_RETURN(bool on_hidden, IsHidden("proposal", c->proposal.value()));
      if (on_hidden) return Status::NotFound(gone);
      author = c->author;
    } else if (target == "task_challenge") {
      auto tc = store_->GetTaskChallenge(TaskChallengeId(id));
      if (!tc.ok()) return tc.status().code() == StatusCode::kNotFound ? Status::NotFound(gone) : tc.status();
      author = tc->filed_by;
    } else {
      auto pr = store_->GetProposal(ProposalId(id));
      if (!pr.ok()) return pr.status().code() == StatusCode::kNotFound ? Status::NotFound(gone) : pr.status();
      if (!pr->versions.empty()) author = pr->versions.back().author;
    }
    if (author.valid() && author == p.user)
      return Status::Conflict("target: you cannot report your own " + target).WithReason("report_own");
    WEEFSEL_ASSIGN_OR_RETURN(r.municipality, MunicipalityOfTarget(target, id));
  }
  Status st = Logged(
      p, r.municipality, EntityOf(target), "report", "",
      [&]() -> Status {
        Status s = store_->Insert(r).status();
        if (s.code() == StatusCode::kAlreadyExists) return Status::Conflict(s.message()).WithReason("already_reported");
        return s;
      },
      [&] {
        return std::make_pair(id, Dump({{"report", r.id}, {"target", target}, {"reason", r.reason}}));
      });
  WEEFSEL_RETURN_IF_ERROR(st);
  return r;
}

Result<ModerationPage> Moderation::ModerationQueue(const Principal& p, MunicipalityId m, int64_t limit,
                                                   int64_t offset) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(m).status());
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kReadModerationQueue, {.municipalities = {m}}));
  // The store pages the queue; only the page's items are read in full.
  WEEFSEL_ASSIGN_OR_RETURN(storage::Store::QueuePage page, store_->ModerationTargets(m, limit, offset));
  ModerationPage out;
  out.total = page.total;
  auto& items = out.items;
  for (const auto& [target, id] : page.targets) {
    ModerationItem it;
    it.target = target;
    it.target_id = id;
    it.municipality = m;
    WEEFSEL_ASSIGN_OR_RETURN(auto reports, store_->OpenReportsOn(target, id));
    for (auto& r : reports) {
      if (r.municipality != m) continue;  // a profile may be reported in several municipalities
      r.reporter = UserId();              // reporters are not named to moderators
      it.reports.push_back(std::move(r));
    }
    items.push_back(std::move(it));
  }
  for (auto& it : items) {
    if (auto h = store_->GetHidden(it.target, it.target_id); h.ok())
      it.hidden = *h;
    else if (h.status().code() != StatusCode::kNotFound)
      return h.status();
    if (it.target == "comment") {
      if (auto c = store_->GetComment(it.target_id); c.ok()) {
        it.excerpt = c->text;
        it.proposal = c->proposal;
        it.author = c->author;
        it.author_name = c->author_name;
      }
    } else if (it.target == "proposal") {
      if (auto pr = store_->GetProposal(ProposalId(it.target_id)); pr.ok() && !pr->versions.empty()) {
        it.excerpt = pr->versions.back().title;
        it.proposal = pr->id;
        it.author = pr->versions.back().author;
      }
    } else if (it.target == "task_challenge") {
      if (auto tc = store_->GetTaskChallenge(TaskChallengeId(it.target_id)); tc.ok()) {
        it.excerpt = tc->title;
        it.author = tc->filed_by;
      }
    } else {
      it.author = UserId(it.target_id);
    }
    if (it.author.valid()) {
      if (auto u = store_->GetUser(it.author); u.ok()) {
        it.author_name = u->display_name;
        if (it.target == "profile") it.excerpt = u->display_name;
      }
      it.author_blocked = store_->GetBlock(it.author).ok();
    }
  }
  return out;
}

Result<storage::HiddenItem> Moderation::Hide(const Principal& p, const std::string& target, int64_t id,
                                             const std::string& reason) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WEEFSEL_RETURN_IF_ERROR(CheckTarget(target));
  if (id < 1) return Status::InvalidArgument("id: must be a positive id");
  WriteLock lock(*this);
  storage::HiddenItem h;
  h.target = target;
  h.target_id = id;
  h.hidden_by = p.user;
  h.hidden_at = Now();
  if (target == "profile") {
    WEEFSEL_RETURN_IF_ERROR(store_->GetUser(UserId(id)).status());
    WEEFSEL_ASSIGN_OR_RETURN(auto munis, MunicipalitiesOfAccount(UserId(id)));
    WEEFSEL_RETURN_IF_ERROR(
        core::Can(p, core::Action::kHideProfile, {.municipalities = munis, .words = {{"id", std::to_string(id)}}}));
    // The municipality the moderator acts for: the first of the account's that they moderate
    // (an admin: the first).
    for (MunicipalityId m : munis)
      if (!h.municipality.valid() && core::InRole(p, core::Action::kHideProfile, {.municipalities = {m}}))
        h.municipality = m;
    if (!h.municipality.valid() && !munis.empty()) h.municipality = munis.front();
  } else {
    WEEFSEL_ASSIGN_OR_RETURN(h.municipality, MunicipalityOfTarget(target, id));
    WEEFSEL_RETURN_IF_ERROR(
        core::Can(p, core::Action::kHide, {.municipalities = {h.municipality}, .words = {{"target", target}}}));
  }
  WEEFSEL_ASSIGN_OR_RETURN(h.reason, CheckReason(reason));
  WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden(target, id));
  if (hidden)
    return Status::Conflict("hidden: " + target + " " + std::to_string(id) + " is hidden already")
        .WithReason("already_hidden");
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, h.municipality, EntityOf(target), "hide", "",
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(store_->Hide(h));
        return store_->ResolveReports(target, id, 0, "hidden", p.user, h.hidden_at).status();
      },
      [&] { return std::make_pair(id, Snap(h)); }));
  return h;
}

Status Moderation::Restore(const Principal& p, const std::string& target, int64_t id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WEEFSEL_RETURN_IF_ERROR(CheckTarget(target));
  if (id < 1) return Status::InvalidArgument("id: must be a positive id");
  WriteLock lock(*this);
  auto h = store_->GetHidden(target, id);
  MunicipalityId m;
  if (h.ok()) {
    m = h->municipality;
  } else if (h.status().code() != StatusCode::kNotFound) {
    return h.status();
  } else if (target == "profile") {
    WEEFSEL_RETURN_IF_ERROR(store_->GetUser(UserId(id)).status());
    WEEFSEL_ASSIGN_OR_RETURN(auto munis, MunicipalitiesOfAccount(UserId(id)));
    for (MunicipalityId x : munis)
      if (!m.valid() && core::InRole(p, core::Action::kRestore, {.municipalities = {x}})) m = x;
  } else {
    WEEFSEL_ASSIGN_OR_RETURN(m, MunicipalityOfTarget(target, id));
  }
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kRestore, {.municipalities = {m}}));
  if (!h.ok())
    return Status::Conflict("hidden: " + target + " " + std::to_string(id) + " is not hidden").WithReason("not_hidden");
  return Logged(
      p, m, EntityOf(target), "restore", Snap(*h), [&] { return store_->Unhide(target, id); },
      [&] {
        return std::make_pair(id, Dump({{"target", target}, {"id", id}, {"hidden", false}}));
      });
}

Result<storage::Report> Moderation::DismissReport(const Principal& p, int64_t report) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(storage::Report r, store_->GetReport(report));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kDismissReport, {.municipalities = {r.municipality}}));
  if (r.status != "open")
    return Status::Conflict("report.status: report " + std::to_string(report) + " is " + r.status + " already")
        .WithReason("report_handled", {{"status", r.status}});
  std::string at = Now();
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, EntityOf(r.target), "dismiss", "",
      [&] { return store_->ResolveReports("", 0, report, "dismissed", p.user, at).status(); },
      [&] {
        return std::make_pair(r.target_id, Dump({{"report", r.id}, {"status", "dismissed"}}));
      }));
  r.status = "dismissed";
  r.resolved_by = p.user;
  r.resolved_at = at;
  r.reporter = UserId();
  return r;
}

Result<storage::AccountBlock> Moderation::BlockAccount(const Principal& p, UserId user, const std::string& reason) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(user).status());
  WEEFSEL_ASSIGN_OR_RETURN(auto munis, MunicipalitiesOfAccount(user));
  storage::AccountBlock b;
  b.user = user;
  b.blocked_by = p.user;
  b.at = Now();
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kBlockAccount,
                                    {.municipalities = munis, .words = {{"id", std::to_string(user.value())}}}));
  for (MunicipalityId m : munis)
    if (!b.municipality.valid() && core::InRole(p, core::Action::kBlockAccount, {.municipalities = {m}}))
      b.municipality = m;
  if (user == p.user) return Status::PermissionDenied("you cannot block your own account").WithReason("block_own");
  WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_->GrantsOf(user));
  for (const auto& g : grants)
    if (g.role == domain::Role::kPlatformAdmin || g.role == domain::Role::kOfficer)
      return Status::PermissionDenied("an admin or officer account cannot be blocked (revoke the role first)")
          .WithReason("block_staff");
  WEEFSEL_ASSIGN_OR_RETURN(b.reason, CheckReason(reason));
  if (store_->GetBlock(user).ok())
    return Status::Conflict("block: account " + std::to_string(user.value()) + " is blocked already")
        .WithReason("already_blocked");
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, b.municipality, "user", "block", "", [&] { return store_->Block(b); },
      [&] {
        return std::make_pair(user.value(), Dump({{"blocked", true}, {"reason", b.reason}, {"at", b.at}}));
      }));
  return b;
}

Result<Moderation::PublicHidden> Moderation::HiddenOnProposal(ProposalId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  PublicHidden out;
  if (auto h = store_->GetHidden("proposal", id.value()); h.ok()) {
    out.proposal = *h;
  } else if (h.status().code() != StatusCode::kNotFound) {
    return h.status();
  }
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIds("comment"));
  if (hidden.empty()) return out;
  WEEFSEL_ASSIGN_OR_RETURN(auto comments, store_->CommentsOf(id));
  for (const auto& c : comments) {
    if (!std::binary_search(hidden.begin(), hidden.end(), c.id)) continue;
    WEEFSEL_ASSIGN_OR_RETURN(auto h, store_->GetHidden("comment", c.id));
    out.comments.push_back(std::move(h));
  }
  return out;
}

Status Moderation::UnblockAccount(const Principal& p, UserId user) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(user).status());
  auto b = store_->GetBlock(user);
  MunicipalityId m;
  if (b.ok()) m = b->municipality;
  if (!core::InRole(p, core::Action::kUnblockAccount, {.municipalities = {m}})) {
    WEEFSEL_ASSIGN_OR_RETURN(auto munis, MunicipalitiesOfAccount(user));
    m = MunicipalityId();
    for (MunicipalityId x : munis)
      if (!m.valid() && core::InRole(p, core::Action::kUnblockAccount, {.municipalities = {x}})) m = x;
  }
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kUnblockAccount, {.municipalities = {m}}));
  if (!b.ok()) {
    if (b.status().code() != StatusCode::kNotFound) return b.status();
    return Status::Conflict("block: account " + std::to_string(user.value()) + " is not blocked")
        .WithReason("not_blocked");
  }
  return Logged(
      p, m, "user", "unblock", Dump({{"blocked", true}, {"reason", b->reason}}), [&] { return store_->Unblock(user); },
      [&] {
        return std::make_pair(user.value(), Dump({{"blocked", false}}));
      });
}

}  // namespace weefsel::service
