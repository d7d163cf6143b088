// storage/store/retention.h: the retention sweep (docs/privacy.md): what is deleted once it is
// older than its retention period.
//
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include "base/status.h"
#include "domain/account_state.h"

namespace weefsel::storage {

// What the retention sweep removes (docs/privacy.md): everything dated before its cutoff (ISO 8601
// UTC text; an empty cutoff keeps that kind). Sessions go when they have expired by `now`.
struct RetentionCutoffs {
  std::string now;                    // sessions with expires_at <= now
  std::string audit_before;           // audit_log.at
  std::string notifications_before;   // notifications.at
  std::string outbox_before;          // outbox.day (a date; compared on its first 10 characters)
  std::string tokens_expired_before;  // api_tokens whose stored expiry is before this
  std::string registrations_before;   // registration_marks.registered_at
};
using domain::RetentionCounts;  // domain/account_state.h

// Retention.
class RetentionStore {
 public:
  virtual ~RetentionStore() = default;

  // The retention sweep: deletes what is older than its cutoff, in one transaction; the counts.
  virtual Result<RetentionCounts> Purge(const RetentionCutoffs& c) = 0;
};

}  // namespace weefsel::storage
