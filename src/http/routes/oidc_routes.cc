// http/routes/oidc_routes.cc: sign-in with an organisation account (OpenID Connect, service/oidc.h).
// The browser goes to .../login?provider=ID, is sent on to the provider, and comes back to
// .../callback with a code; the callback opens a session (the same cookie as a password login) and
// sends the browser to the web app. A failure sends it to the login page with a reason code the UI
// words (docs/oidc.md), never a raw JSON page.
#include <spdlog/spdlog.h>

#include <chrono>

#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

namespace {

Reply Redirect(const std::string& location) {
  Reply r;
  r.status = 302;
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// The login page with the reason a sign-in failed, as a code (the UI has the words).
std::string Failed(const Status& s) {
  spdlog::warn("oidc sign-in failed: {}", s.ToString());  // the operator's side of the story
  switch (s.code()) {
    case StatusCode::kNotFound:
      return "/login?oidc=expired";
    case StatusCode::kUnavailable:
      return "/login?oidc=unavailable";
    case StatusCode::kAlreadyExists:
      return "/login?oidc=email_taken";
    case StatusCode::kResourceExhausted:
      return "/login?oidc=too_many";
    default:
      return "/login?oidc=refused";
  }
}

}  // namespace

void Api::BuildOidcRoutes() {
  service::Platform& P = platform_;
  std::shared_ptr<service::OidcSignIn> oidc = options_.oidc;
  Add({.method = "GET",
       .path = "/api/v1/auth/oidc",
       .tag = "accounts",
       .summary = "The identity providers one may sign in with (organisation accounts, OpenID Connect)",
       .success = 200,
       .response = Obj({{"providers", ArrayOf(Scalar("object"))}}),
       .handler = [oidc](Call&) -> Result<Reply> {
         Json list = Json::array();
         if (oidc)
           for (const auto& p : oidc->providers())
             list.push_back({{"id", p.id}, {"name", p.name}, {"municipality", p.municipality}});
         return Ok({{"providers", list}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/auth/oidc/login",
       .tag = "accounts",
       .summary = "Start signing in with an identity provider: redirects to it (authorisation code flow with PKCE)",
       .success = 302,
       .query = {"provider"},
       .response = FreeForm("a redirect to the identity provider, no body"),
       .handler = [oidc](Call& c) -> Result<Reply> {
         if (!oidc) return Status::NotFound("provider: this platform has no identity providers");
         std::string provider = c.req.Param("provider");
         if (provider.empty()) return Status::InvalidArgument("provider: required");
         auto url = oidc->Begin(provider);
         if (!url.ok()) {
           if (url.status().code() == StatusCode::kNotFound) return url.status();
           return Redirect(Failed(url.status()));
         }
         return Redirect(*url);
       }});
  Add({.method = "GET",
       .path = "/api/v1/auth/oidc/callback",
       .tag = "accounts",
       .summary = "Where the identity provider sends the browser back: opens a session and redirects to the app",
       .success = 302,
       .query = {"state", "code", "error", "error_description", "iss", "session_state"},
       .response = FreeForm("a redirect into the web UI, no body"),
       .handler = [this, oidc, &P](Call& c) -> Result<Reply> {
         if (!oidc) return Status::NotFound("state: this platform has no identity providers to sign in with");
         if (c.req.HasParam("error")) return Redirect("/login?oidc=cancelled");
         int64_t now =
             std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
         auto claims = oidc->Complete(c.req.Param("state"), c.req.Param("code"), now);
         if (!claims.ok()) return Redirect(Failed(claims.status()));
         auto s = P.SignInWithOidc(*claims, c.req.remote_addr);
         if (!s.ok()) return Redirect(Failed(s.status()));
         Reply r = Redirect("/");
         std::string cookie = std::string(kSessionCookie) + "=" + s->id + "; Path=/; HttpOnly; SameSite=Lax";
         if (options_.secure_cookies || c.req.Header("X-Forwarded-Proto") == "https") cookie += "; Secure";
         r.headers.emplace_back("Set-Cookie", cookie);
         return r;
       }});
}

}  // namespace weefsel::http
