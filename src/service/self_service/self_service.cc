#include "service/self_service/self_service.h"

#include "base/clock.h"
#include "service/accounts.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

Result<NotificationPage> SelfService::Notifications(const Principal& p, int64_t limit, int64_t offset) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  NotificationPage page;
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(page.items, store_->NotificationsOf(p.user, limit, offset));
  WEEFSEL_ASSIGN_OR_RETURN(page.unread, store_->UnreadNotifications(p.user));
  WEEFSEL_ASSIGN_OR_RETURN(storage::UserSettings settings, store_->GetUserSettings(p.user));
  page.language = settings.language;
  return page;
}

Result<int64_t> SelfService::MarkRead(const Principal& p, const std::vector<int64_t>& ids) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  std::string now = Now();
  WriteLock lock(*this);
  return store_->MarkNotificationsRead(p.user, ids, now);
}

Result<storage::UserSettings> SelfService::Settings(const Principal& p) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  WriteLock lock(*this);
  return store_->GetUserSettings(p.user);
}

Result<storage::UserSettings> SelfService::PutSettings(const Principal& p, storage::UserSettings settings) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  settings.user = p.user;
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->PutUserSettings(settings));
  return settings;
}

Result<UserData> SelfService::DataOf(const Principal& p) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  UserData d;
  WriteLock lock(*this);
  storage::Store& s = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(d.user, s.GetUser(p.user));
  d.user.password_hash.clear();
  WEEFSEL_ASSIGN_OR_RETURN(d.grants, s.GrantsOf(p.user));
  WEEFSEL_ASSIGN_OR_RETURN(d.settings, s.GetUserSettings(p.user));
  WEEFSEL_ASSIGN_OR_RETURN(d.tokens, s.TokensOf(p.user));
  for (auto& t : d.tokens) t.hash.clear();
  WEEFSEL_ASSIGN_OR_RETURN(d.supports, s.SupportsOf(p.user));
  WEEFSEL_ASSIGN_OR_RETURN(d.comments, s.CommentsBy(p.user));
  WEEFSEL_ASSIGN_OR_RETURN(d.ballots, s.BallotsBy(p.user));
  WEEFSEL_ASSIGN_OR_RETURN(d.notifications, s.NotificationsOf(p.user, 0, 0));
  WEEFSEL_ASSIGN_OR_RETURN(d.reports, s.ReportsBy(p.user));
  auto block = s.GetBlock(p.user);
  if (block.ok()) {
    d.block = std::move(block).value();
  } else if (block.status().code() != StatusCode::kNotFound) {
    return block.status();
  }
  return d;
}

Status SelfService::DeleteAccount(const Principal& p, const std::string& password) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  std::string hash;
  {
    WriteLock lock(*this);
    WEEFSEL_ASSIGN_OR_RETURN(domain::User u, store_->GetUser(p.user));
    hash = u.password_hash;
  }
  // The slow Argon2id check runs outside the store lock.
  if (hash.empty() || !VerifyPassword(hash, password))
    return Status::PermissionDenied("password: wrong password; the account was not deleted");
  std::string now = Now();
  WriteLock lock(*this);
  storage::Store& s = *store_;
  return s.Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(s.DeleteUserKeepingBallots(p.user, RandomToken()));
    storage::AuditEntry e;
    e.at = now;
    e.entity = "user";
    e.entity_id = p.user.value();
    e.action = "delete";
    e.after = R"({"removed":true})";
    return s.Append(e).status();
  });
}

}  // namespace weefsel::service
