// service/self_service/self_service.h: what a signed-in user does about their own account: their
// in-app notifications, their settings (digest opt-out, language), the download of everything
// stored about them, and the deletion of their account.
//
// Every method acts on the Principal's own data only (there is no admin override: these are a
// person's acts). Deleting an account needs the account's password; it removes the user row and
// everything that hangs on it (sessions, tokens, roles, supports, notifications, settings,
// outbox), keeps their comments with no author ("removed user"), and moves their ballots to a fresh
// anonymous voter key, so every round's result stays the same and nothing left names them.
//
// A slice (service/core/context.h): Platform holds one (Platform::self_service()).
// Ownership: SelfService borrows the Context that holds it; it has no state of its own.
// Thread-safety: thread-safe (each call runs under the store lock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/account_state.h"
#include "domain/model.h"
#include "domain/moderation.h"
#include "service/core/context.h"
#include "service/core/principal.h"

namespace weefsel::service {

struct NotificationPage {
  std::vector<domain::Notification> items;  // unread first, then newest first
  int64_t unread = 0;
  std::string language;  // the user's language (which title to show)
};

// Everything stored about one user (for GET /me/data).
struct UserData {
  domain::User user;  // password_hash cleared
  std::vector<domain::RoleGrant> grants;
  domain::UserSettings settings;
  std::vector<domain::StoredToken> tokens;  // hashes cleared
  std::vector<ProposalId> supports;
  std::vector<domain::Comment> comments;
  std::vector<domain::Ballot> ballots;
  std::vector<domain::Notification> notifications;
  std::vector<domain::Report> reports;        // the reports the user made (moderation)
  std::optional<domain::AccountBlock> block;  // when a moderator blocked the account
};

class SelfService : private core::Slice {
 public:
  explicit SelfService(core::Context& context) : Slice(context) {}

  Result<NotificationPage> Notifications(const Principal& p, int64_t limit, int64_t offset);
  // Marks the given notifications (all when `ids` is empty) read; returns how many changed.
  Result<int64_t> MarkRead(const Principal& p, const std::vector<int64_t>& ids);
  Result<domain::UserSettings> Settings(const Principal& p);
  Result<domain::UserSettings> PutSettings(const Principal& p, domain::UserSettings s);
  Result<UserData> DataOf(const Principal& p);
  // PermissionDenied naming `password` when it is wrong; the account is gone when this returns OK.
  Status DeleteAccount(const Principal& p, const std::string& password);
};

}  // namespace weefsel::service
