// The ID token checks of service/oidc.h against tokens signed here with keys made here (OpenSSL):
// a good token passes; a forged signature, another key, a wrong issuer, audience or nonce, an
// expired token, alg "none" and HMAC are refused, each with its reason. The end-to-end flow against
// a real OpenID provider is web/tests/oidc.test.mjs.
#include "service/oidc.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace weefsel::service {
namespace {

using nlohmann::json;

std::string B64(const std::string& s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::string BnBytes(EVP_PKEY* k, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(k, name, &bn), 1);
  std::string out(static_cast<size_t>(std::max(BN_num_bytes(bn), pad)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

struct Key {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey{nullptr, EVP_PKEY_free};
  std::string kid;
  bool ec = false;

  static Key Rsa(const std::string& kid) {
    Key k;
    k.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
    k.kid = kid;
    return k;
  }
  static Key Ec(const std::string& kid) {
    Key k;
    k.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    k.kid = kid;
    k.ec = true;
    return k;
  }
  json Jwk() const {
    if (!ec)
      return {{"kty", "RSA"},
              {"kid", kid},
              {"use", "sig"},
              {"n", B64(BnBytes(pkey.get(), OSSL_PKEY_PARAM_RSA_N))},
              {"e", B64(BnBytes(pkey.get(), OSSL_PKEY_PARAM_RSA_E))}};
    return {{"kty", "EC"},
            {"kid", kid},
            {"crv", "P-256"},
            {"x", B64(BnBytes(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))},
            {"y", B64(BnBytes(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
  }
  std::string Sign(const json& claims, const std::string& alg = "") const {
    json header = {{"alg", alg.empty() ? (ec ? "ES256" : "RS256") : alg}, {"kid", kid}, {"typ", "JWT"}};
    std::string input = B64(header.dump()) + "." + B64(claims.dump());
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()), 1);
    size_t len = 0;
    EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string sig(len, '\0');
    EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
              1);
    sig.resize(len);
    if (ec) {  // DER to the JWS form r||s
      const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
      ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
      std::string raw(64, '\0');
      BN_bn2binpad(ECDSA_SIG_get0_r(s), reinterpret_cast<unsigned char*>(raw.data()), 32);
      BN_bn2binpad(ECDSA_SIG_get0_s(s), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
      ECDSA_SIG_free(s);
      sig = raw;
    }
    return input + "." + B64(sig);
  }
};

const int64_t kNow = 1796000000;

json Claims() {
  return {{"iss", "https://login.gemeente.example"},
          {"sub", "officer-17"},
          {"aud", "weefsel"},
          {"exp", kNow + 300},
          {"iat", kNow - 5},
          {"nonce", "n-123"},
          {"email", "a.jansen@gemeente.example"},
          {"email_verified", true},
          {"name", "A. Jansen"}};
}

IdTokenCheck Check() { return {"https://login.gemeente.example", "weefsel", "n-123", kNow, 60}; }

std::string Refusal(const Result<IdClaims>& r) { return r.ok() ? "accepted" : r.status().message(); }

TEST(OidcIdToken, AGoodTokenPassesAndGivesTheClaims) {
  Key rsa = Key::Rsa("k1");
  Key ec = Key::Ec("k2");
  std::string jwks = json{{"keys", {rsa.Jwk(), ec.Jwk()}}}.dump();
  for (const Key* k : {&rsa, &ec}) {
    auto c = VerifyIdToken(k->Sign(Claims()), jwks, Check());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->subject, "officer-17");
    EXPECT_EQ(c->email, "a.jansen@gemeente.example");
    EXPECT_TRUE(c->email_verified);
    EXPECT_EQ(c->name, "A. Jansen");
  }
}

TEST(OidcIdToken, ForgedWrongAudienceExpiredAndReplayedTokensAreRefusedWithTheirReason) {
  Key rsa = Key::Rsa("k1");
  Key other = Key::Rsa("k1");  // an attacker's key under the provider's kid
  std::string jwks = json{{"keys", {rsa.Jwk()}}}.dump();

  EXPECT_NE(Refusal(VerifyIdToken(other.Sign(Claims()), jwks, Check())).find("signature does not verify"),
            std::string::npos);
  // A token whose claims were changed after signing.
  std::string good = rsa.Sign(Claims());
  json forged = Claims();
  forged["sub"] = "admin";
  std::string tampered = good.substr(0, good.find('.')) + "." + B64(forged.dump()) + good.substr(good.rfind('.'));
  EXPECT_NE(Refusal(VerifyIdToken(tampered, jwks, Check())).find("signature does not verify"), std::string::npos);

  json c = Claims();
  c["aud"] = "another-client";
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("audience"), std::string::npos);
  // The login page words these two (docs/oidc.md): they carry their reason.
  EXPECT_EQ(VerifyIdToken(rsa.Sign(c), jwks, Check()).status().reason(), "wrong_audience");
  c = Claims();
  c["aud"] = {"weefsel", "another-client"};  // several audiences without azp
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("azp"), std::string::npos);
  c["azp"] = "weefsel";
  EXPECT_TRUE(VerifyIdToken(rsa.Sign(c), jwks, Check()).ok());

  c = Claims();
  c["exp"] = kNow - 61;
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("expired"), std::string::npos);
  EXPECT_EQ(VerifyIdToken(rsa.Sign(c), jwks, Check()).status().reason(), "token_expired");
  c["exp"] = kNow - 30;  // within the leeway for clock skew
  EXPECT_TRUE(VerifyIdToken(rsa.Sign(c), jwks, Check()).ok());
  c = Claims();
  c["iat"] = kNow + 3600;
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("future"), std::string::npos);
  c = Claims();
  c["iss"] = "https://evil.example";
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("issuer"), std::string::npos);
  c = Claims();
  c["nonce"] = "n-of-another-login";
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("nonce"), std::string::npos);
  c = Claims();
  c.erase("exp");
  EXPECT_NE(Refusal(VerifyIdToken(rsa.Sign(c), jwks, Check())).find("exp"), std::string::npos);
}

TEST(OidcIdToken, AlgorithmsOtherThanTheProvidersSignaturesAreRefused) {
  Key rsa = Key::Rsa("k1");
  std::string jwks = json{{"keys", {rsa.Jwk()}}}.dump();
  json h = {{"alg", "none"}, {"kid", "k1"}};
  std::string none = B64(h.dump()) + "." + B64(Claims().dump()) + ".";
  EXPECT_NE(Refusal(VerifyIdToken(none, jwks, Check())).find("'none' is not accepted"), std::string::npos);
  h["alg"] = "HS256";  // the classic confusion: the public key used as an HMAC secret
  std::string hs = B64(h.dump()) + "." + B64(Claims().dump()) + "." + B64("x");
  EXPECT_NE(Refusal(VerifyIdToken(hs, jwks, Check())).find("'HS256' is not accepted"), std::string::npos);
  // An RS256 token with an unknown kid, and garbage.
  Key stranger = Key::Rsa("k9");
  EXPECT_NE(Refusal(VerifyIdToken(stranger.Sign(Claims()), jwks, Check())).find("no key"), std::string::npos);
  EXPECT_NE(Refusal(VerifyIdToken("a.b", jwks, Check())).find("compact JWS"), std::string::npos);
  EXPECT_NE(Refusal(VerifyIdToken("@@.@@.@@", jwks, Check())).find("base64url"), std::string::npos);
}

TEST(OidcConfig, AMistakeNamesTheEntryAndTheField) {
  auto ok = ParseOidcConfig(R"([{"id": "utrecht", "name": "Gemeente Utrecht", "municipality": "GM0344",
    "issuer": "https://login.utrecht.example", "client_id": "weefsel", "client_secret": "s",
    "redirect_uri": "https://weefsel.example/api/v1/auth/oidc/callback"}])",
                            "oidc.json");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->at(0).scope, "openid email profile");
  EXPECT_EQ(ok->at(0).audience, "staff") << "officers and members unless marked a resident broker";
  EXPECT_FALSE(ok->at(0).residents());
  auto broker = ParseOidcConfig(R"([{"id": "digid", "name": "Makelaar", "municipality": "GM0344",
    "issuer": "https://makelaar.example", "client_id": "weefsel", "client_secret": "s",
    "redirect_uri": "https://weefsel.example/api/v1/auth/oidc/callback", "audience": "residents"}])",
                                "oidc.json");
  ASSERT_TRUE(broker.ok()) << broker.status().ToString();
  EXPECT_TRUE(broker->at(0).residents());
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {
      {R"([{"id": "u"}])", "oidc.json: [0].name: is required"},
      {R"([{"id": "u", "name": "U", "issuer": "http://login.example", "client_id": "c", "client_secret": "s",
            "redirect_uri": "https://w.example/cb"}])",
       "oidc.json: [0].issuer: 'http://login.example' must be https://"},
      {R"([{"id": "u v", "name": "U", "issuer": "https://l", "client_id": "c", "client_secret": "s",
            "redirect_uri": "https://w/cb"}])",
       "oidc.json: [0].id: 'u v' may hold only"},
      {R"([{"id": "u", "name": "U", "issuer": "https://l", "client_id": "c", "client_secret": "s",
            "redirect_uri": "https://w/cb", "secret": "x"}])",
       "oidc.json: [0].secret: unknown field"},
      {R"({})", "oidc.json: must be a JSON list"},
      {R"([{"id": "u", "name": "U", "issuer": "https://l", "client_id": "c", "client_secret": "s",
            "redirect_uri": "https://w/cb", "audience": "burgers"}])",
       "oidc.json: [0].audience: 'burgers' must be staff or residents"},
      {R"([{"id": "digid", "name": "U", "issuer": "https://l", "client_id": "c", "client_secret": "s",
            "redirect_uri": "https://w/cb", "audience": "residents"}])",
       "oidc.json: [0].municipality: required for a resident broker"},
  };
  for (const auto& c : cases) {
    auto r = ParseOidcConfig(c.json, "oidc.json");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
  }
}

TEST(OidcLogins, AStateIsUsedOnceAndPkceIsS256) {
  OidcLogins logins;
  OidcLogins::Pending p;
  std::string state = logins.Begin("utrecht", p);
  EXPECT_EQ(state.size(), 64u);
  EXPECT_NE(p.nonce, p.verifier);
  auto taken = logins.Take(state);
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->provider, "utrecht");
  EXPECT_EQ(taken->verifier, p.verifier);
  EXPECT_FALSE(logins.Take(state).ok());  // a replayed callback
  EXPECT_FALSE(logins.Take("made-up").ok());
  // RFC 7636 appendix B.
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace weefsel::service
