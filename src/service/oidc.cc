#include "service/oidc.h"

#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <set>

#include "base/strings.h"
#include "service/accounts.h"

namespace weefsel::service {
namespace {

using nlohmann::json;

Status Refuse(const std::string& what) { return Status::Unauthenticated("id_token: " + what); }

bool FromBase64Url(std::string_view in, std::string& out) {
  out.assign(in.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(), in.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return false;
  out.resize(len);
  return true;
}

std::string ToBase64Url(const unsigned char* data, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The public key of a JWK (RSA n/e, or EC P-256 x/y); nullptr when it is not one of those.
Pkey KeyOf(const json& jwk) {
  std::string kty = jwk.value("kty", "");
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> n(nullptr, BN_free), e(nullptr, BN_free);
  std::string pub;
  const char* type = nullptr;
  if (kty == "RSA") {
    std::string nb, eb;
    if (!jwk.contains("n") || !jwk.contains("e") || !jwk["n"].is_string() || !jwk["e"].is_string()) return nullptr;
    if (!FromBase64Url(jwk["n"].get<std::string>(), nb) || !FromBase64Url(jwk["e"].get<std::string>(), eb))
      return nullptr;
    if (nb.size() < 256) return nullptr;  // RSA keys below 2048 bits are refused
    n.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(nb.data()), static_cast<int>(nb.size()), nullptr));
    e.reset(BN_bin2bn(reinterpret_cast<const unsigned char*>(eb.data()), static_cast<int>(eb.size()), nullptr));
    if (!n || !e || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
      return nullptr;
    type = "RSA";
  } else if (kty == "EC" && jwk.value("crv", "") == "P-256") {
    std::string x, y;
    if (!jwk.contains("x") || !jwk.contains("y") || !jwk["x"].is_string() || !jwk["y"].is_string()) return nullptr;
    if (!FromBase64Url(jwk["x"].get<std::string>(), x) || !FromBase64Url(jwk["y"].get<std::string>(), y) ||
        x.size() != 32 || y.size() != 32)
      return nullptr;
    pub = std::string(1, '\x04') + x + y;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()))
      return nullptr;
    type = "EC";
  } else {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()), OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr),
                                                                  EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return nullptr;
  return Pkey(key);
}

// A JWS ES256 signature is r||s; OpenSSL verifies the DER form.
bool EcdsaToDer(const std::string& raw, std::string& der) {
  if (raw.size() != 64) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return false;
  }
  unsigned char* out = nullptr;
  int len = i2d_ECDSA_SIG(sig, &out);
  ECDSA_SIG_free(sig);
  if (len <= 0) return false;
  der.assign(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  return true;
}

bool VerifySignature(EVP_PKEY* key, const EVP_MD* md, std::string_view data, const std::string& sig) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > (1u << 20)) return 0;  // at most 1 MiB from a provider
  out->append(data, size * n);
  return size * n;
}

// One request to a provider; the body of a 2xx answer.
Result<std::string> Fetch(const std::string& url, const std::string* form, const std::string& user,
                          const std::string& password, const std::string& bearer = "") {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("libcurl: cannot start a request");
  std::string body;
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, err);
  if (form != nullptr) {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, form->c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl.get(), CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, password.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  if (!bearer.empty()) {
    headers.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + bearer).c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  }
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK)
    return Status::Unavailable(url + ": " + (err[0] != 0 ? std::string(err) : curl_easy_strerror(rc)));
  long code = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code > 299)
    return Status::Unavailable(url + ": HTTP " + std::to_string(code) +
                               (body.empty() ? "" : ": " + body.substr(0, 300)));
  return body;
}

bool LoopbackOrHttps(const std::string& url) {
  return StartsWith(url, "https://") || StartsWith(url, "http://127.0.0.1:") || StartsWith(url, "http://localhost:") ||
         StartsWith(url, "http://[::1]:");
}

}  // namespace

Result<std::vector<OidcProviderConfig>> ParseOidcConfig(const std::string& text, const std::string& source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(source + ": not valid JSON");
  if (!j.is_array()) return Status::InvalidArgument(source + ": must be a JSON list of providers");
  std::vector<OidcProviderConfig> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < j.size(); ++i) {
    std::string at = source + ": [" + std::to_string(i) + "].";
    const json& e = j[i];
    if (!e.is_object()) return Status::InvalidArgument(source + ": [" + std::to_string(i) + "]: must be an object");
    OidcProviderConfig p;
    static const std::set<std::string> kKnown = {
        "id", "name", "municipality", "issuer", "client_id", "client_secret", "redirect_uri", "scope", "audience"};
    for (const auto& [k, v] : e.items())
      if (!kKnown.count(k)) return Status::InvalidArgument(at + k + ": unknown field");
    auto text_field = [&](const char* k, std::string& v, bool required) -> Status {
      if (!e.contains(k)) return required ? Status::InvalidArgument(at + k + ": is required") : Status::Ok();
      if (!e[k].is_string() || (required && e[k].get<std::string>().empty()))
        return Status::InvalidArgument(at + k + ": must be text");
      v = e[k].get<std::string>();
      return Status::Ok();
    };
    WEEFSEL_RETURN_IF_ERROR(text_field("id", p.id, true));
    WEEFSEL_RETURN_IF_ERROR(text_field("name", p.name, true));
    WEEFSEL_RETURN_IF_ERROR(text_field("municipality", p.municipality, false));
    WEEFSEL_RETURN_IF_ERROR(text_field("issuer", p.issuer, true));
    WEEFSEL_RETURN_IF_ERROR(text_field("client_id", p.client_id, true));
    WEEFSEL_RETURN_IF_ERROR(text_field("client_secret", p.client_secret, true));
    WEEFSEL_RETURN_IF_ERROR(text_field("redirect_uri", p.redirect_uri, true));
    WEEFSEL_RETURN_IF_ERROR(text_field("scope", p.scope, false));
    WEEFSEL_RETURN_IF_ERROR(text_field("audience", p.audience, false));
    if (p.audience != "staff" && p.audience != "residents")
      return Status::InvalidArgument(at + "audience: '" + p.audience + "' must be staff or residents");
    if (p.residents() && p.municipality.empty())
      return Status::InvalidArgument(at +
                                     "municipality: required for a resident broker (audience residents): the CBS "
                                     "code of the municipality whose residents sign in through it");
    for (char c : p.id)
      if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-')
        return Status::InvalidArgument(at + "id: '" + p.id + "' may hold only letters, digits and '-'");
    if (!ids.insert(p.id).second) return Status::InvalidArgument(at + "id: '" + p.id + "' is used twice");
    if (!LoopbackOrHttps(p.issuer))
      return Status::InvalidArgument(at + "issuer: '" + p.issuer + "' must be https:// (http only on loopback)");
    if (!LoopbackOrHttps(p.redirect_uri))
      return Status::InvalidArgument(at + "redirect_uri: '" + p.redirect_uri +
                                     "' must be https:// (http only on loopback)");
    if (p.scope.find("openid") == std::string::npos) return Status::InvalidArgument(at + "scope: must include openid");
    out.push_back(std::move(p));
  }
  return out;
}

Result<IdClaims> VerifyIdToken(const std::string& token, const std::string& jwks_text, const IdTokenCheck& check) {
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string::npos || token.find('.', d2 + 1) != std::string::npos || token.size() > 16384)
    return Refuse("not a compact JWS (three base64url parts)");
  std::string header_raw, payload_raw, sig;
  if (!FromBase64Url(std::string_view(token).substr(0, d1), header_raw) ||
      !FromBase64Url(std::string_view(token).substr(d1 + 1, d2 - d1 - 1), payload_raw) ||
      !FromBase64Url(std::string_view(token).substr(d2 + 1), sig))
    return Refuse("a part is not base64url");
  json header = json::parse(header_raw, nullptr, false);
  json claims = json::parse(payload_raw, nullptr, false);
  if (!header.is_object() || !claims.is_object()) return Refuse("header or claims are not a JSON object");
  std::string alg = header.value("alg", "");
  const EVP_MD* md = nullptr;
  bool ec = false;
  if (alg == "RS256") {
    md = EVP_sha256();
  } else if (alg == "RS384") {
    md = EVP_sha384();
  } else if (alg == "RS512") {
    md = EVP_sha512();
  } else if (alg == "ES256") {
    md = EVP_sha256();
    ec = true;
  } else {
    return Refuse("algorithm '" + alg + "' is not accepted (RS256, RS384, RS512, ES256)");
  }
  json jwks = json::parse(jwks_text, nullptr, false);
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array())
    return Status::Unavailable("jwks: not a JWKS document");
  std::string kid = header.value("kid", "");
  std::string_view signed_part = std::string_view(token).substr(0, d2);
  bool verified = false;
  bool candidate = false;
  for (const json& k : jwks["keys"]) {
    if (!k.is_object()) continue;
    if (!kid.empty() && k.value("kid", "") != kid) continue;
    if (k.value("use", "sig") != "sig") continue;
    if ((ec && k.value("kty", "") != "EC") || (!ec && k.value("kty", "") != "RSA")) continue;
    Pkey key = KeyOf(k);
    if (!key) continue;
    candidate = true;
    std::string s = sig;
    if (ec && !EcdsaToDer(sig, s)) break;
    if (VerifySignature(key.get(), md, signed_part, s)) {
      verified = true;
      break;
    }
  }
  if (!candidate) return Refuse("no key in the provider's JWKS for kid '" + kid + "' and " + alg);
  if (!verified) return Refuse("the signature does not verify against the provider's key");

  auto str = [&](const char* k) {
    return claims.contains(k) && claims[k].is_string() ? claims[k].get<std::string>() : "";
  };
  IdClaims out;
  out.issuer = str("iss");
  if (out.issuer != check.issuer) return Refuse("issuer '" + out.issuer + "' is not '" + check.issuer + "'");
  bool audience_ok = false;
  size_t audiences = 0;
  if (claims.contains("aud") && claims["aud"].is_string()) {
    audiences = 1;
    audience_ok = claims["aud"].get<std::string>() == check.audience;
  } else if (claims.contains("aud") && claims["aud"].is_array()) {
    for (const json& a : claims["aud"]) {
      ++audiences;
      if (a.is_string() && a.get<std::string>() == check.audience) audience_ok = true;
    }
  }
  if (!audience_ok)
    return Refuse("the audience is not this client ('" + check.audience + "')").WithReason("wrong_audience");
  if (audiences > 1 && str("azp") != check.audience) return Refuse("several audiences and azp is not this client");
  if (!claims.contains("exp") || !claims["exp"].is_number()) return Refuse("no expiry (exp)");
  if (claims["exp"].get<double>() + static_cast<double>(check.leeway) < static_cast<double>(check.now))
    return Refuse("expired").WithReason("token_expired");
  if (!claims.contains("iat") || !claims["iat"].is_number()) return Refuse("no issue time (iat)");
  if (claims["iat"].get<double>() > static_cast<double>(check.now + check.leeway))
    return Refuse("issued in the future");
  if (str("nonce") != check.nonce || check.nonce.empty()) return Refuse("the nonce is not the one of this login");
  out.subject = str("sub");
  if (out.subject.empty() || out.subject.size() > 255) return Refuse("no subject (sub)");
  out.email = str("email");
  out.email_verified = claims.contains("email_verified") && claims["email_verified"].is_boolean() &&
                       claims["email_verified"].get<bool>();
  out.name = str("name");
  if (!IsUtf8(out.email) || !IsUtf8(out.name) || !IsUtf8(out.subject)) return Refuse("a claim is not valid UTF-8");
  return out;
}

std::string PkceChallenge(const std::string& verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size());
  return ToBase64Url(digest, sizeof digest);
}

Result<std::string> HttpGet(const std::string& url) { return Fetch(url, nullptr, "", ""); }

Result<OidcEndpoints> Discover(const OidcProviderConfig& p) {
  std::string url = p.issuer;
  if (!url.empty() && url.back() == '/') url.pop_back();
  url += "/.well-known/openid-configuration";
  auto body = HttpGet(url);
  if (!body.ok()) return Status::Unavailable("oidc provider '" + p.id + "': " + body.status().message());
  json d = json::parse(*body, nullptr, false);
  if (!d.is_object()) return Status::Unavailable("oidc provider '" + p.id + "': " + url + ": not a JSON object");
  if (d.value("issuer", "") != p.issuer)
    return Status::Unavailable("oidc provider '" + p.id + "': discovery says issuer '" + d.value("issuer", "") +
                               "', configured '" + p.issuer + "'");
  OidcEndpoints e{d.value("authorization_endpoint", ""), d.value("token_endpoint", ""), d.value("jwks_uri", ""),
                  d.value("userinfo_endpoint", "")};
  if (!e.userinfo_endpoint.empty() && !LoopbackOrHttps(e.userinfo_endpoint)) e.userinfo_endpoint.clear();
  for (const auto& [name, v] : {std::pair{"authorization_endpoint", e.authorization_endpoint},
                                std::pair{"token_endpoint", e.token_endpoint}, std::pair{"jwks_uri", e.jwks_uri}})
    if (!LoopbackOrHttps(v))
      return Status::Unavailable("oidc provider '" + p.id + "': discovery has no usable " + name + " ('" + v + "')");
  return e;
}

Result<TokenResponse> ExchangeCode(const OidcProviderConfig& p, const OidcEndpoints& e, const std::string& code,
                                   const std::string& verifier) {
  std::string form = "grant_type=authorization_code&code=" + PercentEncode(code) +
                     "&redirect_uri=" + PercentEncode(p.redirect_uri) + "&code_verifier=" + PercentEncode(verifier);
  // client_secret_basic: id and secret form-encoded, then as user and password (RFC 6749 §2.3.1).
  auto body = Fetch(e.token_endpoint, &form, PercentEncode(p.client_id), PercentEncode(p.client_secret));
  if (!body.ok())
    return Status::Unauthenticated("oidc provider '" + p.id + "' refused the code: " + body.status().message());
  json t = json::parse(*body, nullptr, false);
  if (!t.is_object() || !t.contains("id_token") || !t["id_token"].is_string())
    return Status::Unauthenticated("oidc provider '" + p.id + "': the token response has no id_token");
  TokenResponse out{t["id_token"].get<std::string>(), ""};
  if (t.contains("access_token") && t["access_token"].is_string())
    out.access_token = t["access_token"].get<std::string>();
  return out;
}

std::string OidcLogins::Begin(const std::string& provider, Pending& out) {
  out.provider = provider;
  out.nonce = RandomToken();
  out.verifier = RandomToken();
  out.started = std::chrono::steady_clock::now();
  std::string state = RandomToken();
  std::lock_guard lock(mu_);
  auto now = out.started;
  for (auto it = pending_.begin(); it != pending_.end();)
    it = now - it->second.started > std::chrono::minutes(10) ? pending_.erase(it) : std::next(it);
  if (pending_.size() >= 10000) {
    auto oldest = pending_.begin();
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
      if (it->second.started < oldest->second.started) oldest = it;
    pending_.erase(oldest);
  }
  pending_[state] = out;
  return state;
}

Result<OidcLogins::Pending> OidcLogins::Take(const std::string& state) {
  std::lock_guard lock(mu_);
  auto it = pending_.find(state);
  if (it == pending_.end()) return Status::NotFound("state: unknown or already used login; start again");
  Pending p = it->second;
  pending_.erase(it);
  if (std::chrono::steady_clock::now() - p.started > std::chrono::minutes(10))
    return Status::NotFound("state: the login took longer than ten minutes; start again");
  return p;
}

OidcSignIn::OidcSignIn(std::vector<OidcProviderConfig> providers) : providers_(std::move(providers)) {}

const OidcProviderConfig* OidcSignIn::Find(const std::string& id) const {
  for (const auto& p : providers_)
    if (p.id == id) return &p;
  return nullptr;
}

Result<OidcEndpoints> OidcSignIn::EndpointsOf(const OidcProviderConfig& p) {
  {
    std::lock_guard lock(mu_);
    auto it = endpoints_.find(p.id);
    if (it != endpoints_.end()) return it->second;
  }
  WEEFSEL_ASSIGN_OR_RETURN(OidcEndpoints e, Discover(p));
  std::lock_guard lock(mu_);
  endpoints_[p.id] = e;
  return e;
}

std::map<std::string, std::string> OidcSignIn::Check() {
  std::map<std::string, std::string> out;
  for (const auto& p : providers_) {
    auto e = EndpointsOf(p);
    out[p.id] = e.ok() ? "ok" : e.status().message();
  }
  return out;
}

Result<std::string> OidcSignIn::Begin(const std::string& provider, int64_t link_user) {
  const OidcProviderConfig* p = Find(provider);
  if (p == nullptr) return Status::NotFound("provider: no identity provider '" + provider + "'");
  WEEFSEL_ASSIGN_OR_RETURN(OidcEndpoints e, EndpointsOf(*p));
  OidcLogins::Pending pending;
  pending.link_user = link_user;
  std::string state = logins_.Begin(p->id, pending);
  std::string url = e.authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + PercentEncode(p->client_id) +
         "&redirect_uri=" + PercentEncode(p->redirect_uri) + "&scope=" + PercentEncode(p->scope) + "&state=" + state +
         "&nonce=" + pending.nonce + "&code_challenge=" + PkceChallenge(pending.verifier) +
         "&code_challenge_method=S256";
  return url;
}

Result<IdClaims> OidcSignIn::Complete(const std::string& state, const std::string& code, int64_t now) {
  WEEFSEL_ASSIGN_OR_RETURN(OidcLogins::Pending pending, logins_.Take(state));
  const OidcProviderConfig* p = Find(pending.provider);
  if (p == nullptr) return Status::NotFound("provider: no identity provider '" + pending.provider + "'");
  if (code.empty() || code.size() > 4096) return Status::InvalidArgument("code: missing or too long");
  WEEFSEL_ASSIGN_OR_RETURN(OidcEndpoints e, EndpointsOf(*p));
  WEEFSEL_ASSIGN_OR_RETURN(TokenResponse tokens, ExchangeCode(*p, e, code, pending.verifier));
  // The keys are read at each sign-in, so a provider's key rotation needs nothing here.
  auto jwks = HttpGet(e.jwks_uri);
  if (!jwks.ok()) return Status::Unavailable("oidc provider '" + p->id + "': jwks: " + jwks.status().message());
  WEEFSEL_ASSIGN_OR_RETURN(
      IdClaims claims,
      VerifyIdToken(tokens.id_token, *jwks, IdTokenCheck{p->issuer, p->client_id, pending.nonce, now, 60}));
  // Providers that conform strictly give e-mail and name at the userinfo endpoint only (OpenID
  // Connect Core §5.4): ask it, and take its answer only for the same subject (§5.3.2).
  if (claims.email.empty() && !e.userinfo_endpoint.empty() && !tokens.access_token.empty()) {
    auto info_text = Fetch(e.userinfo_endpoint, nullptr, "", "", tokens.access_token);
    if (!info_text.ok())
      return Status::Unavailable("oidc provider '" + p->id + "': userinfo: " + info_text.status().message());
    json info = json::parse(*info_text, nullptr, false);
    if (!info.is_object() || info.value("sub", "") != claims.subject)
      return Status::Unauthenticated("oidc provider '" + p->id + "': userinfo is not about the signed-in subject");
    auto text = [&](const char* k) {
      return info.contains(k) && info[k].is_string() ? info[k].get<std::string>() : "";
    };
    claims.email = text("email");
    claims.email_verified =
        info.contains("email_verified") && info["email_verified"].is_boolean() && info["email_verified"].get<bool>();
    if (claims.name.empty()) claims.name = text("name");
    if (!IsUtf8(claims.email) || !IsUtf8(claims.name))
      return Status::Unauthenticated("oidc provider '" + p->id + "': userinfo is not valid UTF-8");
  }
  claims.provider = p->id;
  claims.resident_broker = p->residents();
  claims.municipality = p->municipality;
  claims.link_user = pending.link_user;
  return claims;
}

}  // namespace weefsel::service
