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
// flood.
//
// Login throttling (docs/hardening.md) is built so that an attacker cannot lock a user out:
// - per (account, address): after max_failures_per_pair failures in the window, that address may
//   not try that account again until the window has passed (the attacker's own address);
// - per address: after max_failures_per_address failures of any accounts, the address is refused;
// - per account, from all addresses together: after account_slowdown_after failures, attempts on
//   the account are spaced by a delay that doubles with each further failure (up to
//   max_account_delay) instead of a lock-out; addresses that signed in to the account successfully
//   before (remembered for known_address_ttl) are exempt, so the owner still gets in.
// Unknown e-mail addresses are counted only against the address that tried them: nothing keyed by
// a made-up e-mail address is stored. Every table is bounded (max_tracked keys; expired entries are
// swept, then the stalest dropped), so a flood of failures costs bounded memory.
// A registration is refused once an address has registered too often inside its window.
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
// InvalidArgument naming why ("password: too easy to guess: ...") when a new password is weak, as
// NIST SP 800-63B asks (no composition rules): shorter than 8 characters, whitespace only, fewer
// than 4 different characters, a sequence or keyboard run, a dictionary word or a common password
// (cracklib's FascistCheck with its dictionary, plus a short list of common Dutch ones), or the
// account's own e-mail name. Thread-safe (cracklib is called under a lock).
Status CheckPasswordStrength(const std::string& password, const std::string& email);
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
  // A session ends after session_ttl without use (each use, recorded at most every touch_interval,
  // moves its expiry: sliding), and at the latest session_max_age after sign-in.
  std::chrono::seconds session_ttl{8 * 3600};
  std::chrono::seconds session_max_age{7 * 24 * 3600};
  int max_failures_per_pair = 5;  // one account from one address
  int max_failures_per_address = 20;
  int account_slowdown_after = 10;  // failures of one account from all addresses before the delay
  std::chrono::seconds max_account_delay{60};
  std::chrono::seconds known_address_ttl{30 * 24 * 3600};
  std::chrono::seconds failure_window{15 * 60};
  size_t max_tracked = 100000;  // keys per table
  int max_registrations_per_address = 10;
  std::chrono::seconds registration_window{3600};
  // A session's last-seen time is written at most this often (not on every request).
  std::chrono::seconds touch_interval{60};
};

class Accounts {
 public:
  Accounts(const Clock& clock, AccountOptions options);

  const AccountOptions& options() const { return options_; }

  // ResourceExhausted (naming how long to wait) if this login attempt is refused for now.
  // `account` is the stable key of an existing account (its id), or empty for an unknown e-mail.
  Status CheckLoginAllowed(const std::string& account, const std::string& address);
  void RecordLoginFailure(const std::string& account, const std::string& address);
  void RecordLoginSuccess(const std::string& account, const std::string& address);
  // Keys held in all tables together (for tests and /readyz-style checks).
  size_t TrackedKeys();
  // Counts a registration attempt from `address`; ResourceExhausted (not counted) once the address
  // has made max_registrations_per_address attempts inside the window.
  Status CountRegistration(const std::string& address);

 private:
  using Table = std::map<std::string, std::deque<TimePoint>>;
  struct AccountState {
    std::deque<TimePoint> failures;
    std::map<std::string, TimePoint> known_addresses;  // address -> last successful sign-in
  };
  void Prune(std::deque<TimePoint>& q, TimePoint now, std::chrono::seconds window) const;
  // Makes room for one more key in `t` (sweeps expired entries, then drops the stalest).
  void Bound(Table& t, TimePoint now, std::chrono::seconds window);
  void BoundAccounts(TimePoint now);

  const Clock& clock_;
  AccountOptions options_;
  std::mutex mu_;
  Table pair_failures_, address_failures_, registrations_;
  std::map<std::string, AccountState> accounts_;
};

}  // namespace weefsel::service
