// service/oidc.h: sign-in with an organisation account through OpenID Connect (issue 19): the
// authorisation code flow with PKCE (S256), state and nonce, against each municipality's identity
// provider (or a broker, the way DigiD is reached in practice).
//
// The ID token is checked here, not by a library: Debian 12 packages no C++ JOSE library that reads
// a JWKS (libjwt 1.10 and cpp-jwt take a PEM key), so the RS256/ES256 signature is verified with
// OpenSSL's libcrypto against the provider's JWKS, and issuer, audience, expiry, issued-at and
// nonce are checked by the rules of OpenID Connect Core §3.1.3.7 (docs/decisions/0002-oidc-token-checks.md).
// HTTP to the provider (discovery, JWKS, token endpoint) goes through libcurl.
//
// Thread-safety: OidcLogins is safe to share; the free functions are pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"

namespace weefsel::service {

// One identity provider, as the deployer configures it (--oidc FILE, docs/oidc.md).
struct OidcProviderConfig {
  std::string id;            // short name in URLs: /api/v1/auth/oidc/{id}/login
  std::string name;          // shown on the login page ("Inloggen met Gemeente Utrecht-account")
  std::string municipality;  // CBS code of the municipality it serves ("GM0344")
  std::string issuer;        // https://login.example.nl (discovery at issuer/.well-known/openid-configuration)
  std::string client_id;
  std::string client_secret;  // sent as client_secret_basic
  std::string redirect_uri;   // https://weefsel.example.nl/api/v1/auth/oidc/callback
  std::string scope = "openid email profile";
  // Who signs in through it: "staff" (officers and members, the default) or "residents" (a broker
  // such as the one DigiD is reached through): a resident account of `municipality` (then
  // required), a verified resident for rounds whose eligibility is "digid".
  std::string audience = "staff";
  bool residents() const { return audience == "residents"; }
};

// Parses the deployer's provider list (a JSON array); errors name `source`, the entry and field.
Result<std::vector<OidcProviderConfig>> ParseOidcConfig(const std::string& text, const std::string& source);

// What a verified ID token says about the person.
struct IdClaims {
  std::string issuer;
  std::string subject;
  std::string email;
  bool email_verified = false;
  std::string name;
  // Filled in by OidcSignIn::Complete from the provider's configuration and the login: the
  // provider's id, whether it is a resident broker and the CBS code of its municipality, and the
  // account that asked to link this identity (0 for a sign-in).
  std::string provider;
  bool resident_broker = false;
  std::string municipality;
  int64_t link_user = 0;
};

struct IdTokenCheck {
  std::string issuer;    // must equal iss
  std::string audience;  // the client id: must be in aud (and azp when aud has several)
  std::string nonce;     // must equal nonce
  int64_t now = 0;       // seconds since the epoch
  int64_t leeway = 60;   // clock skew allowed on exp and iat
};

// Verifies a compact JWS ID token against the keys of `jwks` (a JWKS document): the signature
// (RS256, RS384, RS512 or ES256 by the key with the token's kid; "none" and HMAC are refused), then
// the claims. Unauthenticated naming what failed.
Result<IdClaims> VerifyIdToken(const std::string& token, const std::string& jwks, const IdTokenCheck& check);

// PKCE (RFC 7636): the S256 challenge of a verifier (state, nonce and verifier are RandomToken()s
// of service/accounts.h: 32 random bytes in hex, 64 characters, within PKCE's 43 to 128).
std::string PkceChallenge(const std::string& verifier);

// Discovery, JWKS and the token endpoint of one provider over HTTP(S) (libcurl; certificate and
// host checked). Unavailable naming the provider and URL when it cannot be reached.
struct OidcEndpoints {
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;  // may be empty
};
Result<OidcEndpoints> Discover(const OidcProviderConfig& p);
Result<std::string> HttpGet(const std::string& url);
// Exchanges an authorisation code for the token response's id_token (and access_token, for the
// userinfo endpoint).
struct TokenResponse {
  std::string id_token;
  std::string access_token;
};
Result<TokenResponse> ExchangeCode(const OidcProviderConfig& p, const OidcEndpoints& e, const std::string& code,
                                   const std::string& verifier);

// The logins in progress between the redirect to the provider and its callback: state -> the
// provider, nonce and PKCE verifier, for at most ten minutes; at most 10,000 at a time (the oldest
// go first), so an attacker starting logins costs memory that stays bounded.
class OidcLogins {
 public:
  struct Pending {
    std::string provider;
    std::string nonce;
    std::string verifier;
    std::chrono::steady_clock::time_point started;
    int64_t link_user = 0;  // the account linking this identity; 0 for a sign-in
  };
  // A new login: its state, with nonce and verifier filled in `out` (`out.link_user` is kept).
  std::string Begin(const std::string& provider, Pending& out);
  // Takes the login of `state` (once only); NotFound when unknown or expired.
  Result<Pending> Take(const std::string& state);

 private:
  std::mutex mu_;
  std::map<std::string, Pending> pending_;
};

// The sign-in flow over the configured providers: the redirect to a provider, and the callback's
// code exchanged and its ID token verified. A provider's discovery is retried on each use until it
// succeeds, so a provider that is down at start costs only its own logins (passwords keep working).
class OidcSignIn {
 public:
  explicit OidcSignIn(std::vector<OidcProviderConfig> providers);
  const std::vector<OidcProviderConfig>& providers() const { return providers_; }
  // Discovers every provider now; per provider id, "ok" or what failed (for the start-up log and
  // /readyz).
  std::map<std::string, std::string> Check();
  // The provider's authorisation URL for a new login (state, nonce and PKCE challenge in it).
  // NotFound for an unknown provider; Unavailable when it cannot be reached. With `link_user`, the
  // login links the identity to that account instead of signing in (Complete says so).
  Result<std::string> Begin(const std::string& provider, int64_t link_user = 0);
  // The verified claims of a callback's `state` and `code` (with the provider's id, audience and
  // municipality and the login's link_user filled in); `now` in seconds since the epoch.
  Result<IdClaims> Complete(const std::string& state, const std::string& code, int64_t now);

 private:
  const OidcProviderConfig* Find(const std::string& id) const;
  Result<OidcEndpoints> EndpointsOf(const OidcProviderConfig& p);

  std::vector<OidcProviderConfig> providers_;
  OidcLogins logins_;
  std::mutex mu_;
  std::map<std::string, OidcEndpoints> endpoints_;  // discovered
};

}  // namespace weefsel::service
