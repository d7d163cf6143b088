#include "service/accounts.h"

#include <sodium.h>
#include <stddef.h>  // crack.h uses size_t without including it
// clang-format off
#include <crack.h>
// clang-format on

#include <arpa/inet.h>

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

int LeadingZeros(const unsigned char* h, size_t n) {
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    if (h[i] == 0) {
      bits += 8;
      continue;
    }
    for (int b = 7; b >= 0 && !(h[i] >> b & 1); --b) ++bits;
    break;
  }
  return bits;
}

// The MAC of a challenge's fields, as hex.
std::string ChallengeMac(const unsigned char* key, std::string_view fields) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(fields.data()), fields.size(), key, 32);
  return Hex(h, sizeof h);
}

}  // namespace

int ProofOfWorkBits(std::string_view salt, std::string_view nonce) {
  EnsureSodium();
  crypto_generichash_state st;
  unsigned char h[32];
  crypto_generichash_init(&st, nullptr, 0, sizeof h);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(salt.data()), salt.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(nonce.data()), nonce.size());
  crypto_generichash_final(&st, h, sizeof h);
  return LeadingZeros(h, sizeof h);
}

std::string SolveProofOfWork(std::string_view salt, int bits) {
  for (uint64_t n = 0;; ++n) {
    std::string nonce = std::to_string(n);
    if (ProofOfWorkBits(salt, nonce) >= bits) return nonce;
  }
}

std::string AddressKey(std::string_view address, std::string_view key) {
  EnsureSodium();
  std::string a(address);
  std::string prefix;
  unsigned char v6[16];
  unsigned char v4[4];
  if (inet_pton(AF_INET, a.c_str(), v4) == 1) {
    prefix = "v4:" + Hex(v4, 3);
  } else if (inet_pton(AF_INET6, a.c_str(), v6) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    prefix = std::equal(kMapped, kMapped + 12, v6) ? "v4:" + Hex(v6 + 12, 3) : "v6:" + Hex(v6, 6);
  } else {
    prefix = "raw:" + a;
  }
  unsigned char k[32];
  crypto_generichash(k, sizeof k, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
  std::string text = "weefsel-address-v1\n" + prefix;
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(text.data()), text.size(), k, sizeof k);
  return Hex(h, sizeof h);
}

Status CheckPasswordStrength(const std::string& password, const std::string& email) {
  auto weak = [](const std::string& why) {
    return Status::InvalidArgument("password: too easy to guess: " + why).WithReason("password_too_weak");
  };
  if (password.size() < 8)
    return Status::InvalidArgument("password: must be at least 8 characters")
        .WithReason("password_too_short", {{"min", "8"}});
  if (password.size() > 512)
    return Status::InvalidArgument("password: must be at most 512 characters")
        .WithReason("password_too_long", {{"max", "512"}});
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
  if (password.size() < 8)
    return Status::InvalidArgument("password: must be at least 8 characters")
        .WithReason("password_too_short", {{"min", "8"}});
  if (password.size() > 512)
    return Status::InvalidArgument("password: must be at most 512 characters")
        .WithReason("password_too_long", {{"max", "512"}});
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

Accounts::Accounts(const Clock& clock, AccountOptions options) : clock_(clock), options_(options) {
  EnsureSodium();
  if (options_.pow_secret.empty()) {
    randombytes_buf(pow_key_, sizeof pow_key_);
  } else {
    // A key of its own, derived from the deployment's secret (never the secret itself).
    std::string in = std::string("weefsel/registration-challenge/v1") + '\0' + options_.pow_secret;
    crypto_generichash(pow_key_, sizeof pow_key_, reinterpret_cast<const unsigned char*>(in.data()), in.size(), nullptr,
                       0);
    sodium_memzero(in.data(), in.size());
  }
}

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
  if (static_cast<int>(q.size()) >= options_.max_registrations_per_address) {
    auto secs = std::chrono::ceil<std::chrono::seconds>(q.front() + options_.registration_window - now).count();
    return Status::ResourceExhausted("register: too many registrations from this address; try again in " +
                                     std::to_string(std::max<int64_t>(secs, 1)) + " s")
        .WithReason("too_many_registrations");
  }
  q.push_back(now);
  return Status::Ok();
}

RegistrationChallenge Accounts::NewRegistrationChallenge() {
  EnsureSodium();
  unsigned char salt[16];
  randombytes_buf(salt, sizeof salt);
  RegistrationChallenge c;
  c.salt = Hex(salt, sizeof salt);
  c.bits = std::clamp(options_.register_pow_bits, 0, 32);
  TimePoint expires = clock_.Now() + options_.register_pow_ttl;
  c.expires_at = FormatTimestamp(expires);
  std::string fields =
      c.salt + "." +
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count()) + "." +
      std::to_string(c.bits);
  c.token = fields + "." + ChallengeMac(pow_key_, fields);
  return c;
}

Status Accounts::CheckRegistrationProof(const std::string& token, const std::string& nonce) {
  if (options_.register_pow_bits <= 0 && token.empty() && nonce.empty()) return Status::Ok();
  if (token.empty())
    return Status::InvalidArgument(
               "pow_challenge: required: fetch a challenge (GET /api/v1/auth/register/challenge) and solve it")
        .WithReason("pow_required");
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos || parts.size() > 4) break;
    start = dot + 1;
  }
  auto digits = [](const std::string& s, size_t max) {
    return !s.empty() && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  const std::string not_ours =
      "pow_challenge: not a challenge of this server (or from before it restarted); fetch a new one";
  if (parts.size() != 4 || parts[0].size() != 32 || !digits(parts[1], 12) || !digits(parts[2], 2))
    return Status::InvalidArgument(not_ours).WithReason("pow_unknown");
  std::string fields = parts[0] + "." + parts[1] + "." + parts[2];
  std::string mac = ChallengeMac(pow_key_, fields);
  if (parts[3].size() != mac.size() || sodium_memcmp(parts[3].data(), mac.data(), mac.size()) != 0)
    return Status::InvalidArgument(not_ours).WithReason("pow_unknown");
  TimePoint expires{std::chrono::seconds(std::stoll(parts[1]))};
  TimePoint now = clock_.Now();
  if (expires <= now)
    return Status::InvalidArgument("pow_challenge: expired; fetch a new one").WithReason("pow_expired");
  {
    std::lock_guard lock(mu_);
    if (used_challenges_.count(parts[0]))
      return Status::InvalidArgument("pow_challenge: used already; fetch a new one").WithReason("pow_used");
  }
  if (!digits(nonce, 20))
    return Status::InvalidArgument("pow_nonce: required: the decimal number that solves pow_challenge")
        .WithReason("pow_wrong");
  int bits = std::stoi(parts[2]);
  if (ProofOfWorkBits(parts[0], nonce) < bits)
    return Status::InvalidArgument("pow_nonce: does not solve pow_challenge (BLAKE2b-256(salt || nonce) needs " +
                                   std::to_string(bits) + " leading zero bits)")
        .WithReason("pow_wrong");
  return Status::Ok();
}

Status Accounts::UseRegistrationChallenge(const std::string& token) {
  if (token.empty()) return Status::Ok();
  std::string salt = token.substr(0, token.find('.'));
  size_t a = token.find('.') + 1;
  TimePoint expires{std::chrono::seconds(std::stoll(token.substr(a, token.find('.', a) - a)))};
  TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (used_challenges_.size() >= options_.max_tracked)
    for (auto it = used_challenges_.begin(); it != used_challenges_.end();)
      it = it->second <= now ? used_challenges_.erase(it) : std::next(it);
  // Still full of live challenges: refuse rather than forget one (a flood of solved challenges).
  if (used_challenges_.size() >= options_.max_tracked)
    return Status::ResourceExhausted("register: too many registrations just now; try again in 60 s")
        .WithReason("too_many_registrations");
  if (!used_challenges_.emplace(salt, expires).second)
    return Status::InvalidArgument("pow_challenge: used already; fetch a new one").WithReason("pow_used");
  return Status::Ok();
}

}  // namespace weefsel::service
