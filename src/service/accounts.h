// service/accounts.h: passwords, sessions, API tokens, CSRF tokens and login rate limits.
//
// Passwords are hashed with Argon2id through libsodium (crypto_pwhash_str_alg); the hash string
// carries its own salt and cost, so a cost change affects only new hashes. Sessions, API tokens and
// the login-failure counters live IN MEMORY in this object: a restart logs everybody out and
// invalidates API tokens (the store has no table for them yet; see docs/api.md). Session ids and
// tokens are 256-bit random values from libsodium; tokens are kept only as a BLAKE2b hash.
// Rate limits: a login is refused (ResourceExhausted) once an account or an address has too many
// failures inside the sliding window; a success clears the account's counter.
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

struct Session {
  std::string id;    // the cookie value
  std::string csrf;  // must come back in X-CSRF-Token on state-changing requests
  UserId user;
  TimePoint expires;
};

struct AccountOptions {
  std::chrono::seconds session_ttl{8 * 3600};
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
};

class Accounts {
 public:
  Accounts(const Clock& clock, AccountOptions options);

  Session CreateSession(UserId user);
  // The live session with this id (expired ones are dropped), or nullopt.
  std::optional<Session> FindSession(const std::string& id);
  void EndSession(const std::string& id);

  // Creates an API token for `user` and returns it (shown once; only its hash is kept).
  std::string CreateToken(UserId user, const std::string& name);
  std::optional<UserId> FindToken(const std::string& token);

  // ResourceExhausted if the account or the address is locked out for now.
  Status CheckLoginAllowed(const std::string& account, const std::string& address);
  void RecordLoginFailure(const std::string& account, const std::string& address);
  void RecordLoginSuccess(const std::string& account);

 private:
  void Prune(std::deque<TimePoint>& q, TimePoint now) const;

  const Clock& clock_;
  AccountOptions options_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;
  std::map<std::string, UserId> tokens_;  // BLAKE2b(token) hex -> user
  std::map<std::string, std::deque<TimePoint>> account_failures_, address_failures_;
};

}  // namespace weefsel::service
