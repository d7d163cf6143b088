// service/accounts.h: passwords, secrets, CSRF derivation and the in-memory rate limits.
//
// Passwords are hashed with Argon2id through libsodium (crypto_pwhash_str_alg); the hash string
// carries its own salt and cost, so a cost change affects only new hashes. Session ids and API
// tokens are 256-bit random values from libsodium; the store keeps only their BLAKE2b hash
// (HashSecret), so a copy of the database signs nobody in. The CSRF token of a session is derived
// from its id (keyed BLAKE2b), so it needs no column and survives a restart with the session.
// Sessions and tokens themselves are stored (storage::Store, migration 3) and handled by
// service::Platform; this object keeps only the rate-limit counters, IN MEMORY on purpose: they are
// short-lived (a 15-minute or one-hour window), a restart only forgets a window in progress, and
// writing every failed login to the database would turn a password-guessing flood into a write
// flood. Rate limits: a login is refused (ResourceExhausted) once an account or an address has too
// many failures inside the sliding window (a success clears the account's counter); a registration
// is refused once an address has registered too often inside its window.
// Thread-safety: all methods are thread-safe (one internal mutex); the clock must be too.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/ids.h"
#include "base/status.h"

namespace weefsel::service {

// Argon2id cost. The defaults are libsodium's "interactive" limits; tests use the minimum.
struct PasswordCost {
  unsigned long long ops = 0;  // 0 = crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t mem = 0;              // 0 = crypto_pwhash_MEMLIMIT_INTERACTIVE
  static PasswordCost Minimum();
};

// Hashes `password` with Argon2id; InvalidArgument if it is shorter than 8 or longer than 512 bytes.
Result<std::string> HashPassword(const std::string& password, const PasswordCost& cost = {});
bool VerifyPassword(const std::string& hash, const std::string& password);
// A random 256-bit value as 64 hex digits.
std::string RandomToken();
// BLAKE2b-256 of a session id or API token, as 64 hex digits: what the store keeps.
std::string HashSecret(const std::string& secret);
// The CSRF token of the session with this id (keyed BLAKE2b; 64 hex digits).
std::string CsrfFor(const std::string& session_id);

struct Session {
  std::string id;    // the cookie value
  std::string csrf;  // must come back in X-CSRF-Token on state-changing requests
  UserId user;
  std::string expires_at;  // ISO 8601 UTC
};

struct AccountOptions {
  std::chrono::seconds session_ttl{8 * 3600};
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
  int max_registrations_per_address = 10;
  std::chrono::seconds registration_window{3600};
  // A session's last-seen time is written at most this often (not on every request).
  std::chrono::seconds touch_interval{60};
};

class Accounts {
 public:
  Accounts(const Clock& clock, AccountOptions options);

  const AccountOptions& options() const { return options_; }

  // ResourceExhausted if the account or the address is locked out for now.
  Status CheckLoginAllowed(const std::string& account, const std::string& address);
  void RecordLoginFailure(const std::string& account, const std::string& address);
  void RecordLoginSuccess(const std::string& account);
  // Counts a registration attempt from `address`; ResourceExhausted (not counted) once the address
  // has made max_registrations_per_address attempts inside the window.
  Status CountRegistration(const std::string& address);

 private:
  void Prune(std::deque<TimePoint>& q, TimePoint now, std::chrono::seconds window) const;

  const Clock& clock_;
  AccountOptions options_;
  std::mutex mu_;
  std::map<std::string, std::deque<TimePoint>> account_failures_, address_failures_, registrations_;
};

}  // namespace weefsel::service
