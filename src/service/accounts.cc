#include "service/accounts.h"

#include <sodium.h>
#include <stddef.h>  // crack.h uses size_t without including it
// clang-format off
#include <crack.h>
// clang-format on

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <vector>

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

Status CheckPasswordStrength(const std::string& password, const std::string& email) {
  auto weak = [](const std::string& why) { return Status::InvalidArgument("password: too easy to guess: " + why); };
  if (password.size() < 8) return Status::InvalidArgument("password: must be at least 8 characters");
  if (password.size() > 512) return Status::InvalidArgument("password: must be at most 512 characters");
  std::string letters;  // lower-case letters only: "Welkom01!" -> "welkom"
  for (unsigned char c : password)
    if (std::isalpha(c)) letters += static_cast<char>(std::tolower(c));
  static const std::set<std::string> kCommonDutch = {
      "wachtwoord", "welkom",    "geheim",  "inloggen", "voetbal", "ajax",   "feyenoord", "psv",
      "zomer",      "winter",    "lente",   "herfst",   "hallo",   "hoihoi", "nederland", "holland",
      "amsterdam",  "rotterdam", "utrecht", "gemeente", "schatje", "liefde", "qwerty",    "azerty"};
  if (kCommonDutch.count(letters)) return weak("a common password");
  std::string local = email.substr(0, email.find('@'));
  for (auto& c : local) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string lower = password;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (local.size() >= 4 && lower.find(local) != std::string::npos) return weak("it contains your e-mail name");
  static std::mutex crack_mu;  // cracklib keeps static state
  static const bool have_dict = std::filesystem::exists(std::string(GetDefaultCracklibDict()) + ".pwd");
  std::lock_guard lock(crack_mu);
  // Without its dictionary cracklib still checks length, variety and sequences; the dictionary
  // comes with Debian's cracklib-runtime (scripts/install-deps).
  const char* why = FascistCheck(password.c_str(), have_dict ? GetDefaultCracklibDict() : "/nonexistent");
  if (why && (have_dict || std::string(why).find("dictionary") == std::string::npos)) return weak(why);
  return Status::Ok();
}

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

namespace {

std::string PairKey(const std::string& account, const std::string& address) { return account + "|" + address; }

}  // namespace

void Accounts::Bound(Table& t, TimePoint now, std::chrono::seconds window) {
  if (t.size() < options_.max_tracked) return;
  for (auto it = t.begin(); it != t.end();) {
    Prune(it->second, now, window);
    it = it->second.empty() ? t.erase(it) : std::next(it);
  }
  if (t.size() < options_.max_tracked) return;
  // Still full of live entries: drop the stalest half (their last event is the oldest).
  std::vector<std::pair<TimePoint, std::string>> by_age;
  by_age.reserve(t.size());
  for (const auto& [k, q] : t) by_age.emplace_back(q.back(), k);
  auto mid = by_age.begin() + static_cast<std::ptrdiff_t>(by_age.size() / 2);
  std::nth_element(by_age.begin(), mid, by_age.end());
  for (auto it = by_age.begin(); it != mid; ++it) t.erase(it->second);
}

void Accounts::BoundAccounts(TimePoint now) {
  if (accounts_.size() < options_.max_tracked) return;
  for (auto it = accounts_.begin(); it != accounts_.end();) {
    Prune(it->second.failures, now, options_.failure_window);
    for (auto k = it->second.known_addresses.begin(); k != it->second.known_addresses.end();)
      k = k->second + options_.known_address_ttl <= now ? it->second.known_addresses.erase(k) : std::next(k);
    it = it->second.failures.empty() && it->second.known_addresses.empty() ? accounts_.erase(it) : std::next(it);
  }
  if (accounts_.size() >= options_.max_tracked) accounts_.erase(accounts_.begin());
}

Status Accounts::CheckLoginAllowed(const std::string& account, const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (auto it = address_failures_.find(address); it != address_failures_.end()) {
    Prune(it->second, now, options_.failure_window);
    if (static_cast<int>(it->second.size()) >= options_.max_failures_per_address)
      return Status::ResourceExhausted("login: too many failed attempts from this address; try again later");
  }
  if (account.empty()) return Status::Ok();
  if (auto it = pair_failures_.find(PairKey(account, address)); it != pair_failures_.end()) {
    Prune(it->second, now, options_.failure_window);
    if (static_cast<int>(it->second.size()) >= options_.max_failures_per_pair)
      return Status::ResourceExhausted(
          "login: too many failed attempts for this account from this address; try again later");
  }
  auto it = accounts_.find(account);
  if (it == accounts_.end()) return Status::Ok();
  AccountState& st = it->second;
  Prune(st.failures, now, options_.failure_window);
  int over = static_cast<int>(st.failures.size()) - options_.account_slowdown_after;
  if (over < 0 || st.failures.empty()) return Status::Ok();
  if (auto k = st.known_addresses.find(address);
      k != st.known_addresses.end() && k->second + options_.known_address_ttl > now)
    return Status::Ok();
  auto delay =
      std::min<std::chrono::seconds>(std::chrono::seconds(1LL << std::min(over, 20)), options_.max_account_delay);
  auto wait = st.failures.back() + delay - now;
  if (wait > std::chrono::seconds(0)) {
    auto secs = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return Status::ResourceExhausted("login: many failed attempts for this account; try again in " +
                                     std::to_string(secs) + " s");
  }
  return Status::Ok();
}

void Accounts::RecordLoginFailure(const std::string& account, const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (!address_failures_.count(address)) Bound(address_failures_, now, options_.failure_window);
  address_failures_[address].push_back(now);
  if (account.empty()) return;  // an unknown e-mail address: nothing keyed by it is kept
  std::string pair = PairKey(account, address);
  if (!pair_failures_.count(pair)) Bound(pair_failures_, now, options_.failure_window);
  pair_failures_[pair].push_back(now);
  if (!accounts_.count(account)) BoundAccounts(now);
  auto& f = accounts_[account].failures;
  Prune(f, now, options_.failure_window);
  f.push_back(now);
}

void Accounts::RecordLoginSuccess(const std::string& account, const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  pair_failures_.erase(PairKey(account, address));
  if (!accounts_.count(account)) BoundAccounts(now);
  auto& known = accounts_[account].known_addresses;
  known[address] = now;
  if (known.size() > 16) {  // keep the most recent few
    auto oldest =
        std::min_element(known.begin(), known.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    known.erase(oldest);
  }
}

size_t Accounts::TrackedKeys() {
  std::lock_guard lock(mu_);
  return pair_failures_.size() + address_failures_.size() + registrations_.size() + accounts_.size();
}

Status Accounts::CountRegistration(const std::string& address) {
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (!registrations_.count(address)) Bound(registrations_, now, options_.registration_window);
  auto& q = registrations_[address];
  Prune(q, now, options_.registration_window);
  if (static_cast<int>(q.size()) >= options_.max_registrations_per_address)
    return Status::ResourceExhausted("register: too many registrations from this address; try again later");
  q.push_back(now);
  return Status::Ok();
}

}  // namespace weefsel::service
