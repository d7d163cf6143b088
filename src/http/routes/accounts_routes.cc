// http/routes/accounts_routes.cc: the accounts routes of the API (see http/api.h for the table).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/strings.h"
#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"
#include "match/match_json.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

void Api::BuildAccountRoutes() {
  service::Platform& P = platform_;
  // Accounts and sessions.
  Add({.method = "POST",
       .path = "/api/v1/auth/login",
       .tag = "accounts",
       .summary = "Sign in with e-mail and password: sets the session cookie, returns the CSRF token",
       .success = 200,
       .has_body = true,
       .request = Body({{"email", StrMax(kMaxNameLength)}, {"password", StrMax(512)}}),
       .response = Obj({{"user", Ref("Principal")}, {"csrf_token", Scalar("string")}}),
       .handler = [this, &P](Call& c) -> Result<Reply> {
         Fields f(c.body, "login");
         std::string email, password;
         WEEFSEL_RETURN_IF_ERROR(f.Str("email", email));
         WEEFSEL_RETURN_IF_ERROR(f.Str("password", password, 512));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(service::Session s, P.Login(email, password, c.req.remote_addr));
         WEEFSEL_ASSIGN_OR_RETURN(Principal who, P.PrincipalOf(s.user));
         Reply r = Ok({{"user", ToJson(who)}, {"csrf_token", s.csrf}});
         std::string cookie = std::string(kSessionCookie) + "=" + s.id + "; Path=/; HttpOnly; SameSite=Lax";
         if (options_.secure_cookies || c.req.Header("X-Forwarded-Proto") == "https") cookie += "; Secure";
         r.headers.emplace_back("Set-Cookie", cookie);
         return r;
       }});
  Add({.method = "POST",
       .path = "/api/v1/auth/logout",
       .tag = "accounts",
       .summary = "End the session",
       .success = 204,
       .needs_user = true,
       .handler = [&P](Call& c) -> Result<Reply> {
         if (!c.who.authenticated()) return Status::Unauthenticated("sign in first");
         if (c.session) WEEFSEL_RETURN_IF_ERROR(P.EndSession(c.session->id));
         Reply r = NoContent();
         r.headers.emplace_back("Set-Cookie",
                                std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
         return r;
       }});
  Add({.method = "GET",
       .path = "/api/v1/auth/me",
       .tag = "accounts",
       .summary = "The signed-in user with their roles (and the session's CSRF token)",
       .success = 200,
       .needs_user = true,
       .response = Json{{"allOf", {Ref("Principal"), Obj({{"csrf_token", Scalar("string")}}, {"csrf_token"})}}},
       .handler = [](Call& c) -> Result<Reply> {
         if (!c.who.authenticated()) return Status::Unauthenticated("sign in first");
         Json j = ToJson(c.who);
         if (c.session) j["csrf_token"] = c.session->csrf;
         return Ok(j);
       }});
  Add({.method = "GET",
       .path = "/api/v1/auth/register/challenge",
       .tag = "accounts",
       .summary = "A proof-of-work challenge for registering: find a nonce (decimal digits) such that "
                  "BLAKE2b-256(salt || nonce) starts with `bits` zero bits; send challenge and nonce with the "
                  "registration, once, before expires_at",
       .success = 200,
       .response = Obj({{"challenge", Scalar("string")},
                        {"salt", Scalar("string")},
                        {"bits", Scalar("integer")},
                        {"algorithm", Scalar("string")},
                        {"expires_at", Scalar("string")}}),
       .handler = [&P](Call&) -> Result<Reply> {
         service::RegistrationChallenge ch = P.accounts().NewRegistrationChallenge();
         Reply r = Ok({{"challenge", ch.token},
                       {"salt", ch.salt},
                       {"bits", ch.bits},
                       {"algorithm", "blake2b-256"},
                       {"expires_at", ch.expires_at}});
         r.headers.emplace_back("Cache-Control", "no-store");
         return r;
       }});
  Add({.method = "POST",
       .path = "/api/v1/auth/register",
       .tag = "accounts",
       .summary = "Create a resident account in a municipality, with a solved proof-of-work challenge "
                  "(pow_challenge, pow_nonce) when the server asks for one",
       .success = 201,
       .has_body = true,
       .request = Body({{"email", StrMax(kMaxNameLength)},
                        {"display_name", StrMax(kMaxNameLength)},
                        {"password", StrMax(512)},
                        {"municipality", NullableId()},
                        {"pow_challenge", StrMax(200)},
                        {"pow_nonce", StrMax(20)}}),
       .response = Ref("User"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "user");
         domain::User u;
         std::string password;
         MunicipalityId m;
         WEEFSEL_RETURN_IF_ERROR(f.Str("email", u.email));
         WEEFSEL_RETURN_IF_ERROR(f.Str("display_name", u.display_name));
         WEEFSEL_RETURN_IF_ERROR(f.Str("password", password, 512));
         WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", m));
         service::Platform::Proof proof;
         WEEFSEL_RETURN_IF_ERROR(f.Str("pow_challenge", proof.challenge, 200));
         WEEFSEL_RETURN_IF_ERROR(f.Str("pow_nonce", proof.nonce, 20));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(domain::User made, P.Register(u, password, m, c.req.remote_addr, proof));
         return Ok(ToJson(made));
       }});
  Add({.method = "POST",
       .path = "/api/v1/auth/tokens",
       .tag = "accounts",
       .summary =
           "Create an API token for integrations (shown once; from a signed-in session only): name, scope (read: GET "
           "only, the default; write), expires_in_days (1 to 365, default 90)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"name", StrMax(200)},
                        {"scope", Enum({"read", "write"})},
                        {"expires_in_days", Json{{"type", "integer"}, {"minimum", 1}, {"maximum", 365}}}}),
       .response = Obj({{"name", Scalar("string")},
                        {"token", Scalar("string")},
                        {"scope", Scalar("string")},
                        {"expires_in_days", Scalar("integer")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "token");
         std::string name, scope = "read";
         int64_t days = 90;
         WEEFSEL_RETURN_IF_ERROR(f.Str("name", name, 200));
         WEEFSEL_RETURN_IF_ERROR(f.Str("scope", scope, 10));
         WEEFSEL_RETURN_IF_ERROR(f.Int("expires_in_days", days));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (days < 1 || days > 365) return Status::InvalidArgument("token.expires_in_days: must be 1 to 365");
         WEEFSEL_ASSIGN_OR_RETURN(std::string token, P.CreateToken(c.who, name, scope, static_cast<int>(days)));
         return Ok({{"name", name}, {"token", token}, {"scope", scope}, {"expires_in_days", days}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/auth/tokens",
       .tag = "accounts",
       .summary = "Your API tokens: id, name, created, last used (never the token)",
       .success = 200,
       .needs_user = true,
       .response = Obj({{"items", ArrayOf(Obj({{"id", Scalar("integer")},
                                               {"name", Scalar("string")},
                                               {"created_at", Scalar("string")},
                                               {"scope", Scalar("string")},
                                               {"expires_at", Nullable("string")},
                                               {"last_used_at", Nullable("string")}}))}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.TokensOf(c.who, c.who.user));
         Json items = Json::array();
         for (const auto& t : rows)
           items.push_back({{"id", t.id},
                            {"name", t.name},
                            {"created_at", t.created_at},
                            {"scope", t.scope},
                            {"expires_at", t.expires_at.empty() ? Json(nullptr) : Json(t.expires_at)},
                            {"last_used_at", t.last_used_at.empty() ? Json(nullptr) : Json(t.last_used_at)}});
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "DELETE",
       .path = "/api/v1/auth/tokens/{id}",
       .tag = "accounts",
       .summary = "Revoke one of your API tokens",
       .success = 204,
       .needs_user = true,
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.RevokeToken(c.who, c.ids.at(0)));
         return NoContent();
       }});

  // Users and roles.
  Add({.method = "POST",
       .path = "/api/v1/users",
       .tag = "accounts",
       .summary = "Create an account with roles (platform admin)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"email", StrMax(kMaxNameLength)},
                        {"display_name", StrMax(kMaxNameLength)},
                        {"password", StrMax(512)},
                        {"grants", Json{{"type", "array"}, {"items", Ref("RoleGrantWrite")}, {"maxItems", 50}}}}),
       .response = Ref("User"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "user");
         domain::User u;
         std::string password;
         std::vector<domain::RoleGrant> grants;
         WEEFSEL_RETURN_IF_ERROR(f.Str("email", u.email));
         WEEFSEL_RETURN_IF_ERROR(f.Str("display_name", u.display_name));
         WEEFSEL_RETURN_IF_ERROR(f.Str("password", password, 512));
         if (f.Has("grants")) {
           const Json& g = f.At("grants");
           if (!g.is_array() || g.size() > 50) return f.Error("grants", "must be a list of at most 50 grants");
           for (const auto& e : g) {
             if (!e.is_object()) return f.Error("grants", "must be a list of objects");
             domain::RoleGrant rg;
             WEEFSEL_RETURN_IF_ERROR(Apply(e, rg));
             grants.push_back(rg);
           }
         }
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(domain::User made, P.CreateUser(c.who, u, password, grants));
         return Ok(ToJson(made));
       }});
  Add({.method = "GET",
       .path = "/api/v1/users/{id}",
       .tag = "accounts",
       .summary = "An account (yourself, or any as platform admin)",
       .success = 200,
       .needs_user = true,
       .response = Ref("User"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(domain::User u, P.GetUser(c.who, c.Path<UserTag>(0)));
         return Ok(ToJson(u));
       }});
  Add({.method = "GET",
       .path = "/api/v1/users/{id}/grants",
       .tag = "accounts",
       .summary = "The roles of an account",
       .success = 200,
       .needs_user = true,
       .response = ItemsOf("RoleGrant"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto grants, P.GrantsOf(c.who, c.Path<UserTag>(0)));
         Json items = Json::array();
         for (const auto& g : grants) items.push_back(ToJson(g));
         return Ok({{"items", items}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/users/{id}/grants",
       .tag = "accounts",
       .summary = "Grant a role (admin; officers: residents and actor members of their municipality)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("RoleGrantWrite"),
       .response = Ref("RoleGrant"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::RoleGrant g;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, g));
         g.user = c.Path<UserTag>(0);
         WEEFSEL_RETURN_IF_ERROR(P.Grant(c.who, g));
         return Ok(ToJson(g));
       }});
  Add({.method = "POST",
       .path = "/api/v1/users/{id}/grants/revoke",
       .tag = "accounts",
       .summary = "Revoke a role (platform admin)",
       .success = 204,
       .needs_user = true,
       .has_body = true,
       .request = Ref("RoleGrantWrite"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::RoleGrant g;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, g));
         g.user = c.Path<UserTag>(0);
         WEEFSEL_RETURN_IF_ERROR(P.Revoke(c.who, g));
         return NoContent();
       }});
}

}  // namespace weefsel::http
