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

Accounts::Accounts(const Clock& clock, AccountOptions options) : clock_(clock), options_(options) {}

Session Accounts::CreateSession(UserId user) {
  Session s{RandomToken(), RandomToken(), user, clock_.Now() + options_.session_ttl};
  std::lock_guard lock(mu_);
  sessions_[s.id] = s;
  return s;
}

std::optional<Session> Accounts::FindSession(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= clock_.Now()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void Accounts::EndSession(const std::string& id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
}

std::string Accounts::CreateToken(UserId user, const std::string& name) {
  std::string token = "wf_" + RandomToken();
  std::lock_guard lock(mu_);
  tokens_[HashToken(token)] = user;
  return token;
}

std::optional<UserId> Accounts::FindToken(const std::string& token) {
  std::string h = HashToken(token);
  std::lock_guard lock(mu_);
  auto it = tokens_.find(h);
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}

void Accounts::Prune(std::deque<TimePoint>& q, TimePoint now) const {
  while (!q.empty() && q.front() + options_.failure_window <= now) q.pop_front();
}

Status Accounts::CheckLoginAllowed(const std::string& account, const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto& a = account_failures_[account];
  Prune(a, now);
  if (static_cast<int>(a.size()) >= options_.max_failures_per_account)
    return Status::ResourceExhausted("login: too many failed attempts for this account; try again later");
  auto& b = address_failures_[address];
  Prune(b, now);
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

}  // namespace weefsel::service
