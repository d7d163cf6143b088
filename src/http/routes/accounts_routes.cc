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
  Add({"POST",
       "/api/v1/auth/login",
       "accounts",
       "Sign in with e-mail and password: sets the session cookie, returns the CSRF token",
       false,
       true,
       false,
       {},
       [this, &P](Call& c) -> Result<Reply> {
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
  Add({"POST",
       "/api/v1/auth/logout",
       "accounts",
       "End the session",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         if (!c.who.authenticated()) return Status::Unauthenticated("sign in first");
         if (c.session) WEEFSEL_RETURN_IF_ERROR(P.EndSession(c.session->id));
         Reply r = NoContent();
         r.headers.emplace_back("Set-Cookie",
                                std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
         return r;
       }});
  Add({"GET",
       "/api/v1/auth/me",
       "accounts",
       "The signed-in user with their roles (and the session's CSRF token)",
       true,
       false,
       false,
       {},
       [](Call& c) -> Result<Reply> {
         if (!c.who.authenticated()) return Status::Unauthenticated("sign in first");
         Json j = ToJson(c.who);
         if (c.session) j["csrf_token"] = c.session->csrf;
         return Ok(j);
       }});
  Add({"POST",
       "/api/v1/auth/register",
       "accounts",
       "Create a resident account in a municipality",
       false,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "user");
         domain::User u;
         std::string password;
         MunicipalityId m;
         WEEFSEL_RETURN_IF_ERROR(f.Str("email", u.email));
         WEEFSEL_RETURN_IF_ERROR(f.Str("display_name", u.display_name));
         WEEFSEL_RETURN_IF_ERROR(f.Str("password", password, 512));
         WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", m));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(domain::User made, P.Register(u, password, m, c.req.remote_addr));
         return Ok(ToJson(made), 201);
       }});
  Add({"POST",
       "/api/v1/auth/tokens",
       "accounts",
       "Create an API token for integrations (shown once; from a signed-in session only): name, scope (read: GET "
       "only, the default; write), expires_in_days (1 to 365, default 90)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "token");
         std::string name, scope = "read";
         int64_t days = 90;
         WEEFSEL_RETURN_IF_ERROR(f.Str("name", name, 200));
         WEEFSEL_RETURN_IF_ERROR(f.Str("scope", scope, 10));
         WEEFSEL_RETURN_IF_ERROR(f.Int("expires_in_days", days));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (days < 1 || days > 365) return Status::InvalidArgument("token.expires_in_days: must be 1 to 365");
         WEEFSEL_ASSIGN_OR_RETURN(std::string token, P.CreateToken(c.who, name, scope, static_cast<int>(days)));
         return Ok({{"name", name}, {"token", token}, {"scope", scope}, {"expires_in_days", days}}, 201);
       }});
  Add({"GET",
       "/api/v1/auth/tokens",
       "accounts",
       "Your API tokens: id, name, created, last used (never the token)",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
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
  Add({"DELETE",
       "/api/v1/auth/tokens/{id}",
       "accounts",
       "Revoke one of your API tokens",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.RevokeToken(c.who, c.ids.at(0)));
         return NoContent();
       }});

  // Users and roles.
  Add({"POST",
       "/api/v1/users",
       "accounts",
       "Create an account with roles (platform admin)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
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
         return Ok(ToJson(made), 201);
       }});
  Add({"GET",
       "/api/v1/users/{id}",
       "accounts",
       "An account (yourself, or any as platform admin)",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(domain::User u, P.GetUser(c.who, c.Path<UserTag>(0)));
         return Ok(ToJson(u));
       }});
  Add({"GET",
       "/api/v1/users/{id}/grants",
       "accounts",
       "The roles of an account",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto grants, P.GrantsOf(c.who, c.Path<UserTag>(0)));
         Json items = Json::array();
         for (const auto& g : grants) items.push_back(ToJson(g));
         return Ok({{"items", items}});
       }});
  Add({"POST",
       "/api/v1/users/{id}/grants",
       "accounts",
       "Grant a role (admin; officers: residents and actor members of their municipality)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::RoleGrant g;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, g));
         g.user = c.Path<UserTag>(0);
         WEEFSEL_RETURN_IF_ERROR(P.Grant(c.who, g));
         return Ok(ToJson(g), 201);
       }});
  Add({"POST",
       "/api/v1/users/{id}/grants/revoke",
       "accounts",
       "Revoke a role (platform admin)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::RoleGrant g;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, g));
         g.user = c.Path<UserTag>(0);
         WEEFSEL_RETURN_IF_ERROR(P.Revoke(c.who, g));
         return NoContent();
       }});
}

}  // namespace weefsel::http
