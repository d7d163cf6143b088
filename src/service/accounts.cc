#include "service/accounts.h"

#include <sodium.h>

#include <cstdlib>

namespace weefsel::service {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) std::abort();  // no secure randomness: nothing safe can follow
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string HashToken(const std::string& token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return Hex(h, sizeof h);
}

}  // namespace

PasswordCost PasswordCost::Minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Result<std::string> HashPassword(const std::string& password, const PasswordCost& cost) {
  EnsureSodium();
  if (password.size() < 8) return Status::InvalidArgument("password: must be at least 8 characters");
  if (password.size() > 512) return Status::InvalidArgument("password: must be at most 512 characters");
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops = cost.ops ? cost.ops : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = cost.mem ? cost.mem : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::Unavailable("password hashing ran out of memory");
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken() {
  EnsureSodium();
  unsigned char b[32];
  randombytes_buf(b, sizeof b);
  return Hex(b, sizeof b);
}

std::string HashSecret(const std::string& secret) { return HashToken(secret); }

std::string CsrfFor(const std::string& session_id) {
  EnsureSodium();
  static constexpr char kContext[] = "weefsel csrf v1";
  unsigned char key[crypto_generichash_KEYBYTES_MAX];
  // The key is the session id's own hash, so the derivation needs no server-side secret.
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(session_id.data()), session_id.size(),
                     nullptr, 0);
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(kContext), sizeof kContext - 1, key,
                     sizeof key);
  return Hex(h, sizeof h);
}

Accounts::Accounts(const Clock& clock, AccountOptions options) : clock_(clock), options_(options) {}

void Accounts::Prune(std::deque<TimePoint>& q, TimePoint now, std::chrono::seconds window) const {
  while (!q.empty() && q.front() + window <= now) q.pop_front();
}

Status Accounts::CheckLoginAllowed(const std::string& account, const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto& a = account_failures_[account];
  Prune(a, now, options_.failure_window);
  if (static_cast<int>(a.size()) >= options_.max_failures_per_account)
    return Status::ResourceExhausted("login: too many failed attempts for this account; try again later");
  auto& b = address_failures_[address];
  Prune(b, now, options_.failure_window);
  if (static_cast<int>(b.size()) >= options_.max_failures_per_address)
    return Status::ResourceExhausted("login: too many failed attempts from this address; try again later");
  return Status::Ok();
}

void Accounts::RecordLoginFailure(const std::string& account, const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  account_failures_[account].push_back(now);
  address_failures_[address].push_back(now);
}

void Accounts::RecordLoginSuccess(const std::string& account) {
  std::lock_guard lock(mu_);
  account_failures_.erase(account);
}

Status Accounts::CountRegistration(const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto& q = registrations_[address];
  Prune(q, now, options_.registration_window);
  if (static_cast<int>(q.size()) >= options_.max_registrations_per_address)
    return Status::ResourceExhausted("register: too many registrations from this address; try again later");
  q.push_back(now);
  return Status::Ok();
}

}  // namespace weefsel::service
