// domain/account_state.h: what an account has beside its user row: its settings, API tokens,
// links to identity providers and in-app notifications; and what the retention sweep removed.
//
// Account state, not open data. Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

// A user's own settings; users without a row have the defaults.
struct UserSettings {
  UserId user;
  bool digest = true;           // receive the daily digest by e-mail
  std::string language = "nl";  // "nl" or "en"
};
// An API token, stored by the BLAKE2b hash of the token only.
struct StoredToken {
  int64_t id = 0;
  std::string hash;  // hex
  UserId user;
  std::string name;
  std::string created_at;
  std::string last_used_at;     // empty until first used
  std::string expires_at;       // ISO 8601 UTC; empty for tokens made before tokens expired
  std::string scope = "write";  // "read" (GET only) or "write"
};
// An account's link to a person at an identity provider (OpenID Connect).
struct OidcIdentity {
  std::string issuer;
  std::string subject;
  UserId user;
  std::string provider;            // the configured provider's id it was linked through ("" for old links)
  bool verified_resident = false;  // linked through a resident broker (DigiD, docs/oidc.md)
  bool made_account = false;       // its first sign-in made the account (whose password nobody knows)
  std::string created_at;
};
// An in-app notification: made from an audit entry for each user concerned (the mapping is in
// service/notifications/notifications.h). Account state, like sessions: writing it does not
// change DataVersion(); deleting the user deletes their notifications.
struct Notification {
  int64_t id = 0;
  UserId user;
  std::string at;        // ISO 8601 UTC
  std::string kind;      // "invitation", "comment", "phase", "result", ...
  std::string title;     // Dutch
  std::string title_en;  // English
  std::string link;      // path on the platform, "/proposals/12"
  int64_t audit_id = 0;  // the audit entry it came from (0: none)
  std::string read_at;   // empty while unread
};
struct RetentionCounts {
  int64_t sessions = 0, audit = 0, notifications = 0, outbox = 0, tokens = 0, registrations = 0;
};

}  // namespace weefsel::domain
