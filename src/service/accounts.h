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
//
// Proof of work on registration (docs/decisions/0005-bulk-registration.md): when
// AccountOptions::register_pow_bits is above 0, a registration must carry a solved challenge. The
// challenge is a random salt with a difficulty and an expiry, signed with a keyed BLAKE2b under a
// random key of this process (so it needs no table, and a restart invalidates what was handed out);
// the client finds a nonce (decimal digits) such that BLAKE2b-256(salt || nonce), over the salt's
// hex text followed by the nonce's digits, starts with that many zero bits. Each challenge is used
// once: used ones are remembered in memory until they expire (bounded like the other tables).
// Thread-safety: all methods are thread-safe (one internal mutex); the clock must be too.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

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
  // Proof of work on registration: leading zero bits asked (0: no proof asked; at most 32), and
  // how long a challenge may be solved. `weefsel serve` asks 14 bits: about a second on a phone.
  int register_pow_bits = 0;
  std::chrono::seconds register_pow_ttl{600};
  // The challenges' signing key is derived from this secret when it is set (`weefsel serve` passes
  // WEEFSEL_VOTE_KEY), so that several server processes behind one balancer accept each other's
  // challenges; unset, each process draws a random key (its challenges die with it).
  std::string pow_secret;
};

// A proof-of-work challenge for registration, as handed to a client.
struct RegistrationChallenge {
  std::string token;  // sent back as pow_challenge: "<salt>.<expiry unix s>.<bits>.<mac>"
  std::string salt;   // 32 hex digits
  int bits = 0;
  std::string expires_at;  // ISO 8601 UTC
};

// Leading zero bits of BLAKE2b-256(salt || nonce) (the texts' bytes, concatenated).
int ProofOfWorkBits(std::string_view salt, std::string_view nonce);
// The smallest nonce (decimal) with at least `bits` leading zero bits: what a client does; for
// tests and tools.
std::string SolveProofOfWork(std::string_view salt, int bits);
// The key under which registrations from one network are grouped: hex of a keyed BLAKE2b-256 of
// the address's /24 (IPv4, also IPv4-mapped IPv6) or /48 (IPv6) prefix; an address that does not
// parse is hashed whole. `key` is the server's secret (may be empty).
std::string AddressKey(std::string_view address, std::string_view key);

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

  // A new proof-of-work challenge at the configured difficulty.
  RegistrationChallenge NewRegistrationChallenge();
  // Whether `token` is a live challenge of this process and `nonce` solves it; InvalidArgument
  // naming pow_challenge or pow_nonce otherwise (a used challenge included). Does not use it up.
  // Ok when no proof is asked (register_pow_bits 0) and none is sent.
  Status CheckRegistrationProof(const std::string& token, const std::string& nonce);
  // Marks a checked challenge used; InvalidArgument naming pow_challenge when it was already.
  Status UseRegistrationChallenge(const std::string& token);

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
  unsigned char pow_key_[32];                         // signs challenges (AccountOptions::pow_secret)
  std::map<std::string, TimePoint> used_challenges_;  // salt -> expiry
};

}  // namespace weefsel::service
