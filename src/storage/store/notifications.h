// storage/store/notifications.h: in-app notifications and the daily digest's outbox.
//
// Account state, like sessions: writing it does not change DataVersion(). Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/account_state.h"
#include "domain/model.h"

namespace weefsel::storage {

using domain::Notification;  // domain/account_state.h
// One digest message per user per day in the outbox: status "sent" or "failed".
struct OutboxEntry {
  int64_t id = 0;
  UserId user;
  std::string day;  // "2026-11-29"
  std::string subject, body;
  std::string status;
  std::string error;
  int attempts = 0;
  std::string updated_at;
};

// Notifications.
class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  virtual Result<int64_t> Insert(Notification& n) = 0;  // assigns n.id
  // Many at once, all or none, ids not returned: one bulk write instead of a statement (and a
  // savepoint) each, for a fan-out to every resident of a city (100,000 rows one by one took 1.4 s).
  virtual Status InsertNotifications(const std::vector<Notification>& ns) = 0;
  // A user's notifications: unread first, then newest first; `limit` 0 = all.
  virtual Result<std::vector<Notification>> NotificationsOf(UserId user, int64_t limit, int64_t offset) = 0;
  virtual Result<int64_t> UnreadNotifications(UserId user) = 0;
  // Marks the user's notifications with these ids (all unread ones when `ids` is empty) read at
  // `at`; ids of other users' notifications are ignored. Returns how many changed.
  virtual Result<int64_t> MarkNotificationsRead(UserId user, const std::vector<int64_t>& ids,
                                                const std::string& at) = 0;
  // Every notification whose `at` starts with `day` ("2026-11-29"), by user then id.
  virtual Result<std::vector<Notification>> NotificationsOn(const std::string& day) = 0;
  // The outbox entry of a user and day; NotFound when none.
  virtual Result<OutboxEntry> GetOutbox(UserId user, const std::string& day) = 0;
  virtual Status PutOutbox(OutboxEntry& e) = 0;  // insert or replace the (user, day) entry
};

}  // namespace weefsel::storage
