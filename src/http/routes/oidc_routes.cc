// http/routes/oidc_routes.cc: sign-in with an organisation account (OpenID Connect, service/oidc.h).
// The browser goes to .../login?provider=ID, is sent on to the provider, and comes back to
// .../callback with a code; the callback opens a session (the same cookie as a password login) and
// sends the browser to the web app. A failure sends it to the login page with a reason code the UI
// words (docs/oidc.md), never a raw JSON page. Linking an identity to a signed-in account (started
// with POST .../link from the account page) comes back to the same callback and ends on /account.
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
  if (s.reason() == "wrong_audience" || s.reason() == "token_expired") return "/login?oidc=" + s.reason();
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

// The account page with the reason linking an identity failed, as a code (the UI has the words).
std::string FailedLink(const Status& s) {
  spdlog::warn("oidc link failed: {}", s.ToString());
  if (s.reason() == "wrong_audience" || s.reason() == "token_expired") return "/account?oidc=" + s.reason();
  switch (s.code()) {
    case StatusCode::kNotFound:
      return "/account?oidc=expired";
    case StatusCode::kUnavailable:
      return "/account?oidc=unavailable";
    case StatusCode::kAlreadyExists:
      return "/account?oidc=identity_taken";
    default:
      return "/account?oidc=refused";
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
       .response = Obj({{"providers", ArrayOf(Obj({{"id", Scalar("string")},
                                                   {"name", Scalar("string")},
                                                   {"municipality", Scalar("string")},
                                                   {"audience", Enum({"staff", "residents"})}}))}}),
       .handler = [oidc](Call&) -> Result<Reply> {
         Json list = Json::array();
         if (oidc)
           for (const auto& p : oidc->providers())
             list.push_back(
                 {{"id", p.id}, {"name", p.name}, {"municipality", p.municipality}, {"audience", p.audience}});
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
         // The ID token's times are checked against the platform's clock (its Env's, base/env.h).
         int64_t now = std::chrono::duration_cast<std::chrono::seconds>(P.clock().Now().time_since_epoch()).count();
         auto claims = oidc->Complete(c.req.Param("state"), c.req.Param("code"), now);
         if (!claims.ok()) return Redirect(Failed(claims.status()));
         if (claims->link_user != 0) {
           // Linking (started on the account page): only into the account that started it.
           if (!c.who.authenticated() || c.who.user.value() != claims->link_user)
             return Redirect(FailedLink(
                 Status::PermissionDenied("link: the browser is not signed in to the account that started linking")));
           Status linked = P.LinkOidc(c.who, *claims);
           return Redirect(linked.ok() ? "/account?oidc=linked" : FailedLink(linked));
         }
         auto s = P.SignInWithOidc(*claims, c.req.remote_addr);
         if (!s.ok()) return Redirect(Failed(s.status()));
         Reply r = Redirect("/");
         std::string cookie = std::string(kSessionCookie) + "=" + s->id + "; Path=/; HttpOnly; SameSite=Lax";
         if (options_.secure_cookies || c.req.Header("X-Forwarded-Proto") == "https") cookie += "; Secure";
         r.headers.emplace_back("Set-Cookie", cookie);
         return r;
       }});
  // Linking identities to the signed-in account (docs/oidc.md, "Linking").
  Add({.method = "GET",
       .path = "/api/v1/auth/oidc/links",
       .tag = "accounts",
       .summary = "The identities (organisation accounts, DigiD) linked to your account",
       .success = 200,
       .needs_user = true,
       .response = Obj({{"items", ArrayOf(Obj({{"provider", Scalar("string")},
                                               {"name", Scalar("string")},
                                               {"issuer", Scalar("string")},
                                               {"verified_resident", Scalar("boolean")},
                                               {"made_account", Scalar("boolean")},
                                               {"created_at", Scalar("string")}}))}}),
       .handler = [oidc, &P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.OidcIdentitiesOf(c.who));
         Json items = Json::array();
         for (const auto& l : rows) {
           std::string name = l.provider;
           if (oidc)
             for (const auto& p : oidc->providers())
               if (p.id == l.provider || (l.provider.empty() && p.issuer == l.issuer)) name = p.name;
           if (name.empty()) name = l.issuer;
           items.push_back({{"provider", l.provider},
                            {"name", name},
                            {"issuer", l.issuer},
                            {"verified_resident", l.verified_resident},
                            {"made_account", l.made_account},
                            {"created_at", l.created_at}});
         }
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/auth/oidc/link",
       .tag = "accounts",
       .summary = "Start linking an identity provider's account to yours (from a signed-in session): the URL to send "
                  "the browser to; the provider sends it back to /account",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"provider", StrMax(100)}}, {"provider"}),
       .response = Obj({{"url", Scalar("string")}}),
       .handler = [oidc](Call& c) -> Result<Reply> {
         Fields f(c.body, "link");
         std::string provider;
         WEEFSEL_RETURN_IF_ERROR(f.Str("provider", provider, 100));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (!c.who.authenticated()) return Status::Unauthenticated("sign in first");
         if (!c.session)
           return Status::PermissionDenied("link: only from a signed-in browser session, not with an API token")
               .WithReason("own_only");
         if (!oidc) return Status::NotFound("provider: this platform has no identity providers");
         if (provider.empty()) return Status::InvalidArgument("link.provider: required");
         WEEFSEL_ASSIGN_OR_RETURN(std::string url, oidc->Begin(provider, c.who.user.value()));
         return Ok({{"url", url}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/auth/oidc/unlink",
       .tag = "accounts",
       .summary = "Unlink an identity provider (by issuer) from your account",
       .success = 204,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"issuer", StrMax(1000)}}, {"issuer"}),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "unlink");
         std::string issuer;
         WEEFSEL_RETURN_IF_ERROR(f.Str("issuer", issuer, 1000));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_RETURN_IF_ERROR(P.UnlinkOidc(c.who, issuer));
         return NoContent();
       }});
}

}  // namespace weefsel::http
