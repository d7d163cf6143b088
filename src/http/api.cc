#include "http/api.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>

#include "base/strings.h"
#include "http/call.h"
#include "match/match_json.h"

namespace weefsel::http {

using service::Principal;

namespace {

constexpr const char* kSessionCookie = "weefsel_session";

Reply Ok(Json j, int status = 200) {
  Reply r;
  r.status = status;
  r.json = std::move(j);
  return r;
}

Reply NoContent() {
  Reply r;
  r.status = 204;
  return r;
}

// 64-bit FNV-1a of the body, as a strong ETag.
std::string ETagOf(const std::string& body) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

bool EtagMatches(const std::string& header, const std::string& etag) {
  if (header.empty()) return false;
  if (Trim(header) == "*") return true;
  for (const auto& part : Split(header, ',')) {
    std::string_view t = Trim(part);
    if (StartsWith(t, "W/")) t.remove_prefix(2);
    if (t == etag) return true;
  }
  return false;
}

std::string CookieValue(const Request& req, const std::string& name) { return req.Cookie(name); }

std::string ReasonOf(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

// "actor.name: must not be empty" -> "actor.name"; messages without a leading field give "".
std::string FieldOf(const std::string& message) {
  auto colon = message.find(": ");
  if (colon == std::string::npos || colon == 0 || colon > 80) return "";
  std::string head = message.substr(0, colon);
  if (head.find(' ') != std::string::npos) return "";
  return head;
}

Result<storage::ListQuery> ListQueryOf(const Call& c) {
  storage::ListQuery q;
  q.limit = c.options.default_page_size;
  const auto& req = c.req;
  if (req.HasParam("limit")) {
    auto v = ParseInt(req.Param("limit"));
    if (!v || *v < 1) return Status::InvalidArgument("limit: must be a positive integer");
    if (*v > c.options.max_page_size)
      return Status::InvalidArgument("limit: at most " + std::to_string(c.options.max_page_size) + " items per page");
    q.limit = *v;
  }
  if (req.HasParam("offset")) {
    auto v = ParseInt(req.Param("offset"));
    if (!v || *v < 0) return Status::InvalidArgument("offset: must be a non-negative integer");
    q.offset = *v;
  }
  if (req.HasParam("municipality")) {
    auto v = ParseInt(req.Param("municipality"));
    if (!v || *v < 1) return Status::InvalidArgument("municipality: must be a municipality id");
    q.municipality = MunicipalityId(*v);
  }
  if (req.HasParam("kind")) {
    auto k = domain::ParseActorKind(req.Param("kind"));
    if (!k.ok()) return Status::InvalidArgument("kind: " + k.status().message());
    q.kind = *k;
  }
  if (req.HasParam("phase")) {
    auto p = domain::ParseChallengePhase(req.Param("phase"));
    if (!p.ok()) return Status::InvalidArgument("phase: " + p.status().message());
    q.phase = *p;
  }
  if (req.HasParam("theme")) {
    auto t = domain::ParseTheme(req.Param("theme"));
    if (!t.ok()) return Status::InvalidArgument("theme: " + t.status().message());
    q.theme = *t;
  }
  if (req.HasParam("q")) {
    q.search = req.Param("q");
    if (q.search.size() > 200) return Status::InvalidArgument("q: at most 200 characters");
  }
  if (req.HasParam("sort")) q.order_by = req.Param("sort");
  return q;
}

std::string NextLink(const Call& c, const storage::ListQuery& q) {
  std::string link = c.req.path + "?";
  bool first = true;
  for (const auto& [k, v] : c.req.params) {
    if (k == "offset" || k == "limit") continue;
    link += (first ? "" : "&") + k + "=" + EncodeQueryParam(v);
    first = false;
  }
  link += (first ? "" : "&") + std::string("limit=") + std::to_string(q.limit) +
          "&offset=" + std::to_string(q.offset + q.limit);
  return link;
}

// A page from a store list that was asked for q.limit + 1 rows.
template <typename T>
Reply StorePage(const Call& c, const storage::ListQuery& q, const std::vector<T>& rows) {
  Json items = Json::array();
  size_t n = std::min(rows.size(), static_cast<size_t>(q.limit));
  for (size_t i = 0; i < n; ++i) items.push_back(ToJson(rows[i]));
  bool more = rows.size() > static_cast<size_t>(q.limit);
  return Ok({{"items", std::move(items)},
             {"limit", q.limit},
             {"offset", q.offset},
             {"next", more ? Json(NextLink(c, q)) : Json(nullptr)}});
}

// A page cut from a complete list.
template <typename T>
Reply MemoryPage(const Call& c, const storage::ListQuery& q, const std::vector<T>& all) {
  std::vector<T> slice;
  for (size_t i = static_cast<size_t>(q.offset); i < all.size() && slice.size() <= static_cast<size_t>(q.limit); ++i)
    slice.push_back(all[i]);
  return StorePage(c, q, slice);
}

Result<storage::ListQuery> Fetch(const Call& c) {
  WEEFSEL_ASSIGN_OR_RETURN(storage::ListQuery q, ListQueryOf(c));
  return q;
}

storage::ListQuery PlusOne(storage::ListQuery q) {
  q.limit += 1;
  return q;
}

// The sort error of the store names "list.order_by"; the API calls it "sort".
Status Rename(const Status& s) {
  if (StartsWith(s.message(), "list.order_by: ")) return Status(s.code(), "sort: " + s.message().substr(15));
  return s;
}

Result<ActorId> ActorOfBody(const Json& body) {
  Fields f(body, "body");
  ActorId a;
  WEEFSEL_RETURN_IF_ERROR(f.IdField("actor", a));
  if (!a.valid()) return f.Error("actor", "required: the id of an actor");
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  return a;
}

Result<std::string> StringOfBody(const Json& body, const char* name, size_t max) {
  Fields f(body, "body");
  std::string s;
  WEEFSEL_RETURN_IF_ERROR(f.Str(name, s, max));
  if (!f.Has(name)) return f.Error(name, "required");
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  return s;
}

}  // namespace

// ---- the route table ------------------------------------------------------------------------

Api::Api(service::Platform& platform, ApiOptions options)
    : platform_(platform), matches_(platform), options_(options), cache_(options.cache_bytes) {
  BuildRoutes();
  openapi_body_ = OpenApi().dump();
}

void Api::Add(Route r) {
  for (const auto& s : Split(r.path, '/', /*skip_empty=*/true)) r.segments.push_back(s);
  routes_.push_back(std::move(r));
}

void Api::BuildRoutes() {
  service::Platform& P = platform_;
  const std::vector<std::string> kPage = {"limit", "offset"};
  const std::vector<std::string> kListQ = {"limit", "offset", "municipality", "q", "sort"};
  auto with = [](std::vector<std::string> a, std::vector<std::string> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };

  // Operations.
  Add({"GET",
       "/healthz",
       "operations",
       "Liveness: the process answers",
       false,
       false,
       false,
       {},
       [](Call&) -> Result<Reply> {
         return Ok({{"status", "ok"}});
       }});
  Add({"GET",
       "/readyz",
       "operations",
       "Readiness: the store answers",
       false,
       false,
       false,
       {},
       [&P](Call&) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.Ready());
         return Ok({{"status", "ready"}, {"store", P.Dialect()}});
       }});
  Add({"GET",
       "/api/v1/openapi.json",
       "operations",
       "This API as an OpenAPI 3.1 document",
       false,
       false,
       false,
       {},
       [this](Call&) -> Result<Reply> {
         Reply r;
         r.raw = openapi_body_;
         return r;
       }});

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

  // Municipalities.
  Add({"GET", "/api/v1/municipalities", "municipalities",
       "List municipalities (sort: name, cbs_code, province, population)", false, false, true,
       with(kPage, {"q", "sort"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListMunicipalities(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({"GET",
       "/api/v1/municipalities/{id}",
       "municipalities",
       "A municipality",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto m, P.GetMunicipality(c.Path<MunicipalityTag>(0)));
         return Ok(ToJson(m));
       }});
  Add({"POST",
       "/api/v1/municipalities",
       "municipalities",
       "Add a municipality (platform admin)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Municipality m;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateMunicipality(c.who, m));
         return Ok(ToJson(made), 201);
       }});
  Add({"PATCH",
       "/api/v1/municipalities/{id}",
       "municipalities",
       "Change a municipality (its officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto m,
                                  P.UpdateMunicipality(c.who, c.Path<MunicipalityTag>(0),
                                                       [&](domain::Municipality& x) { return Apply(c.body, x); }));
         return Ok(ToJson(m));
       }});

  // Actors and ties.
  Add({"GET", "/api/v1/actors", "actors",
       "List actors (filters: municipality, kind, theme, q; sort: name, kind, size, area)", false, false, true,
       with(kListQ, {"kind", "theme"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListActors(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({"GET", "/api/v1/actors/{id}", "actors", "An actor", false, false, true, {}, [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto a, P.GetActor(c.Path<ActorTag>(0)));
         return Ok(ToJson(a));
       }});
  Add({"POST",
       "/api/v1/actors",
       "actors",
       "Add an actor (officers of its municipality)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Actor a;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, a));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateActor(c.who, a));
         return Ok(ToJson(made), 201);
       }});
  Add({"PATCH",
       "/api/v1/actors/{id}",
       "actors",
       "Change an actor (its members, officers of its municipality)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(
             auto a, P.UpdateActor(c.who, c.Path<ActorTag>(0), [&](domain::Actor& x) { return Apply(c.body, x); }));
         return Ok(ToJson(a));
       }});
  Add({"DELETE",
       "/api/v1/actors/{id}",
       "actors",
       "Remove an actor and its ties (officers of its municipality)",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.DeleteActor(c.who, c.Path<ActorTag>(0)));
         return NoContent();
       }});
  Add({"GET", "/api/v1/actors/{id}/ties", "ties", "The ties of an actor", false, false, true, kPage,
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto ties, P.TiesOf(c.Path<ActorTag>(0)));
         return MemoryPage(c, q, ties);
       }});
  Add({"POST",
       "/api/v1/actors/{id}/ties",
       "ties",
       "Declare a tie from this actor to another (members of either, officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Tie t;
         t.a = c.Path<ActorTag>(0);
         if (c.body.contains("a")) return Status::InvalidArgument("tie.a: given by the path");
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, t));
         if (!t.b.valid()) return Status::InvalidArgument("tie.b: required: the id of the other actor");
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateTie(c.who, t));
         return Ok(ToJson(made), 201);
       }});
  Add({"DELETE",
       "/api/v1/actors/{id}/ties/{tie}",
       "ties",
       "Remove a tie (members of either actor, officers)",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.DeleteTie(c.who, c.Path<ActorTag>(0), c.Path<TieTag>(1)));
         return NoContent();
       }});
  Add({"GET", "/api/v1/ties", "ties", "List ties (filter: municipality of either end; sort: weight, from)", false,
       false, true, with(kPage, {"municipality", "sort"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListTies(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});

  // Challenges.
  Add({"GET", "/api/v1/challenges", "challenges",
       "List challenges (filters: municipality, theme, phase, q; sort: title, created_at, deadline, budget_eur)", false,
       false, true, with(kListQ, {"theme", "phase"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListChallenges(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({"GET",
       "/api/v1/challenges/{id}",
       "challenges",
       "A challenge",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetChallenge(c.Path<ChallengeTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/challenges",
       "challenges",
       "Post a challenge (officers of its municipality)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Challenge x;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, x));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateChallenge(c.who, x));
         return Ok(ToJson(made), 201);
       }});
  Add({"PATCH",
       "/api/v1/challenges/{id}",
       "challenges",
       "Change a challenge (officers; the phase moves with POST .../phase)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.UpdateChallenge(c.who, c.Path<ChallengeTag>(0),
                                                            [&](domain::Challenge& y) { return Apply(c.body, y); }));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/challenges/{id}/phase",
       "challenges",
       "Move a challenge one phase on: open, matching, forming, proposals, funded, experiment, evaluated; or "
       "closed (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string s, StringOfBody(c.body, "phase", 20));
         auto phase = domain::ParseChallengePhase(s);
         if (!phase.ok()) return Status::InvalidArgument("phase: " + phase.status().message());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.SetChallengePhase(c.who, c.Path<ChallengeTag>(0), *phase));
         return Ok(ToJson(x));
       }});

  // Matches (the match engine on a snapshot of the store, rebuilt when the data change).
  Add({"GET",
       "/api/v1/challenges/{id}/matches",
       "challenges",
       "The actors that fit a challenge, best first, each with the reasons that carried it",
       false,
       false,
       true,
       {"limit"},
       [this](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto ranked, matches_.MatchesFor(c.Path<ChallengeTag>(0), static_cast<int>(q.limit)));
         Json items = Json::array();
         for (const auto& m : ranked) items.push_back(match::ToJson(m));
         return Ok({{"items", items}, {"limit", q.limit}});
       }});

  // Coalitions.
  Add({"GET", "/api/v1/challenges/{id}/coalitions", "coalitions", "The coalitions proposed for a challenge", false,
       false, true, kPage, [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.CoalitionsOf(c.Path<ChallengeTag>(0)));
         return MemoryPage(c, q, rows);
       }});
  Add({"POST",
       "/api/v1/challenges/{id}/coalitions",
       "coalitions",
       "Propose a coalition (officers of the challenge's municipality)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Coalition x;
         if (c.body.contains("challenge")) return Status::InvalidArgument("coalition.challenge: given by the path");
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, x));
         x.challenge = c.Path<ChallengeTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.ProposeCoalition(c.who, x));
         return Ok(ToJson(made), 201);
       }});
  Add({"GET",
       "/api/v1/coalitions/{id}",
       "coalitions",
       "A coalition with its members",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetCoalition(c.Path<CoalitionTag>(0)));
         return Ok(ToJson(x));
       }});
  struct Answer {
    const char* verb;
    const char* summary;
    Result<domain::Coalition> (service::Platform::*fn)(const Principal&, CoalitionId, ActorId);
    bool officer;
  };
  for (const Answer& ans :
       {Answer{"invite", "Invite an actor into the coalition (officers)", &service::Platform::Invite, true},
        Answer{"accept", "Accept the invitation of an actor (its members)", &service::Platform::Accept, false},
        Answer{"decline", "Decline the invitation of an actor (its members)", &service::Platform::Decline, false}}) {
    auto fn = ans.fn;
    Add({"POST",
         std::string("/api/v1/coalitions/{id}/") + ans.verb,
         "coalitions",
         ans.summary,
         true,
         true,
         false,
         {},
         [&P, fn](Call& c) -> Result<Reply> {
           WEEFSEL_ASSIGN_OR_RETURN(ActorId a, ActorOfBody(c.body));
           WEEFSEL_ASSIGN_OR_RETURN(auto x, (P.*fn)(c.who, c.Path<CoalitionTag>(0), a));
           return Ok(ToJson(x));
         }});
  }

  // Proposals.
  Add({"GET", "/api/v1/challenges/{id}/proposals", "proposals", "The proposals for a challenge", false, false, true,
       kPage, [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.ProposalsOf(c.Path<ChallengeTag>(0)));
         return MemoryPage(c, q, rows);
       }});
  Add({"POST",
       "/api/v1/coalitions/{id}/proposals",
       "proposals",
       "Write a proposal (members of the coalition's actors)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::ProposalVersion v;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, v));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateProposal(c.who, c.Path<CoalitionTag>(0), v));
         return Ok(ToJson(made), 201);
       }});
  Add({"GET",
       "/api/v1/proposals/{id}",
       "proposals",
       "A proposal with all its versions",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetProposal(c.Path<ProposalTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({"GET",
       "/api/v1/proposals/{id}/diff",
       "proposals",
       "A line diff between two versions of a proposal (from, to: version numbers)",
       false,
       false,
       true,
       {"from", "to"},
       [&P](Call& c) -> Result<Reply> {
         int64_t from = 0, to = 0;
         using Param = std::pair<const char*, int64_t*>;
         for (auto [name, out] : {Param{"from", &from}, Param{"to", &to}}) {
           if (!c.req.HasParam(name))
             return Status::InvalidArgument(std::string(name) + ": required (a version number)");
           auto v = ParseId(c.req.Param(name));
           if (!v || *v > 100000)
             return Status::InvalidArgument(std::string(name) + ": must be a version number (1, 2, ...)");
           *out = *v;
         }
         WEEFSEL_ASSIGN_OR_RETURN(auto diff,
                                  P.DiffVersions(c.Path<ProposalTag>(0), static_cast<int>(from), static_cast<int>(to)));
         Json items = Json::array();
         int added = 0, removed = 0;
         for (const auto& l : diff.lines) {
           items.push_back({{"op", std::string(1, l.op)}, {"text", l.text}});
           added += l.op == '+';
           removed += l.op == '-';
         }
         return Ok({{"proposal", c.ids.at(0)},
                    {"from", from},
                    {"to", to},
                    {"added", added},
                    {"removed", removed},
                    {"minimal", diff.minimal},
                    {"lines", std::move(items)}});
       }});
  Add({"POST",
       "/api/v1/proposals/{id}/versions",
       "proposals",
       "Add a new version (members of the coalition's actors)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::ProposalVersion v;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, v));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.AddVersion(c.who, c.Path<ProposalTag>(0), v));
         return Ok(ToJson(x), 201);
       }});
  Add({"POST",
       "/api/v1/proposals/{id}/status",
       "proposals",
       "Submit (coalition) or decide on (officers) a proposal",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string status, StringOfBody(c.body, "status", 20));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.SetProposalStatus(c.who, c.Path<ProposalTag>(0), status));
         return Ok(ToJson(x));
       }});
  Add({"GET", "/api/v1/proposals/{id}/comments", "proposals", "The comments on a proposal", false, false, false, kPage,
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.CommentsOf(c.Path<ProposalTag>(0)));
         return MemoryPage(c, q, rows);
       }});
  Add({"POST",
       "/api/v1/proposals/{id}/comments",
       "proposals",
       "Comment on a proposal, or reply to a comment with parent (any signed-in user)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "comment");
         std::string text;
         int64_t parent = 0;
         WEEFSEL_RETURN_IF_ERROR(f.Str("text", text, 5000));
         if (!f.Has("text")) return f.Error("text", "required");
         if (f.Has("parent") && !f.At("parent").is_null()) WEEFSEL_RETURN_IF_ERROR(f.Int("parent", parent));
         if (parent < 0) return f.Error("parent", "must be the id of a comment on this proposal");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.AddComment(c.who, c.Path<ProposalTag>(0), text, parent));
         return Ok(ToJson(x), 201);
       }});
  Add({"POST",
       "/api/v1/proposals/{id}/supports",
       "proposals",
       "Support a proposal (residents of its municipality, once)",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.Support(c.who, c.Path<ProposalTag>(0)));
         return Ok(ToJson(x), 201);
       }});

  // Rounds and ballots.
  Add({"GET", "/api/v1/rounds", "rounds",
       "List participatory-budgeting rounds (filter: municipality; sort: name, budget_eur)", false, false, true,
       with(kPage, {"municipality", "sort"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListRounds(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({"GET",
       "/api/v1/rounds/{id}",
       "rounds",
       "A round with its projects",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetRound(c.Path<RoundTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/rounds",
       "rounds",
       "Open a round (officers of its municipality)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Round r;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, r));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateRound(c.who, r));
         return Ok(ToJson(made), 201);
       }});
  Add({"PATCH",
       "/api/v1/rounds/{id}",
       "rounds",
       "Change a round's projects and limits before voting (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         if (c.body.contains("phase"))
           return Status::InvalidArgument("round.phase: use POST /api/v1/rounds/{id}/phase");
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.UpdateRound(c.who, c.Path<RoundTag>(0), [&](domain::Round& y) { return Apply(c.body, y); }));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/rounds/{id}/phase",
       "rounds",
       "Move a round to a later phase (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string s, StringOfBody(c.body, "phase", 20));
         auto phase = domain::ParseRoundPhase(s);
         if (!phase.ok()) return Status::InvalidArgument("phase: " + phase.status().message());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.SetRoundPhase(c.who, c.Path<RoundTag>(0), *phase));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/rounds/{id}/reviews",
       "rounds",
       "Review a project of the round in its review phase: a score per published criterion (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Review r;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, r));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.PutReview(c.who, c.Path<RoundTag>(0), r));
         return Ok(ToJson(x), 201);
       }});
  Add({"GET",
       "/api/v1/rounds/{id}/reviews",
       "rounds",
       "The reviews of a round (officers of its municipality; everybody once published)",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.ReviewsOf(c.who, c.Path<RoundTag>(0)));
         Json items = Json::array();
         for (const auto& r : rows) items.push_back(ToJson(r));
         return Ok({{"items", std::move(items)}});
       }});

  // The audit log.
  Add({"GET",
       "/api/v1/audit",
       "audit",
       "Every change of one entity: who, when, action, before and after (officers of its municipality, admins)",
       true,
       false,
       false,
       {"entity", "id"},
       [&P](Call& c) -> Result<Reply> {
         if (!c.req.HasParam("entity")) return Status::InvalidArgument("entity: required");
         if (!c.req.HasParam("id")) return Status::InvalidArgument("id: required");
         auto id = ParseInt(c.req.Param("id"));
         if (!id || *id < 1) return Status::InvalidArgument("id: must be a positive id");
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.AuditOf(c.who, c.req.Param("entity"), *id));
         Json items = Json::array();
         for (const auto& e : rows) items.push_back(ToJson(e));
         return Ok({{"items", std::move(items)}});
       }});
  Add({"PUT",
       "/api/v1/rounds/{id}/ballot",
       "rounds",
       "Cast or replace your ballot while voting is open (residents)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto entries, DecodeBallot(c.body));
         WEEFSEL_ASSIGN_OR_RETURN(auto b, P.CastBallot(c.who, c.Path<RoundTag>(0), entries));
         return Ok(ToJson(b));
       }});
  Add({"GET",
       "/api/v1/rounds/{id}/ballot",
       "rounds",
       "Your own ballot in a round",
       true,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto b, P.OwnBallot(c.who, c.Path<RoundTag>(0)));
         return Ok(ToJson(b));
       }});

  // Experiments.
  Add({"GET", "/api/v1/experiments", "experiments", "List experiments (sort: status)", false, false, true,
       with(kPage, {"sort"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListExperiments(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({"GET",
       "/api/v1/experiments/{id}",
       "experiments",
       "An experiment with indicators, measurements and milestones",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetExperiment(c.Path<ExperimentTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/experiments",
       "experiments",
       "Start an experiment for a proposal (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Experiment e;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, e));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateExperiment(c.who, e));
         return Ok(ToJson(made), 201);
       }});
  Add({"PATCH",
       "/api/v1/experiments/{id}",
       "experiments",
       "Change an experiment: status, outcome, milestones (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         if (c.body.contains("proposal")) return Status::InvalidArgument("experiment.proposal: cannot change");
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.UpdateExperiment(c.who, c.Path<ExperimentTag>(0),
                                                             [&](domain::Experiment& y) { return Apply(c.body, y); }));
         return Ok(ToJson(x));
       }});
  Add({"POST",
       "/api/v1/experiments/{id}/indicators/{indicator}/measurements",
       "experiments",
       "Record a measurement (officers, coalition members)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Measurement m;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         WEEFSEL_ASSIGN_OR_RETURN(auto x,
                                  P.AddMeasurement(c.who, c.Path<ExperimentTag>(0), c.Path<IndicatorTag>(1), m));
         return Ok(ToJson(x), 201);
       }});

  // The programme's money: proposals into rounds, allocations, milestones released on evidence,
  // the municipality's overview and match-funding campaigns beside rounds.
  Add({"POST",
       "/api/v1/rounds/{id}/proposals",
       "rounds",
       "Add a submitted proposal of the municipality's challenge as a project of the round (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "body");
         ProposalId proposal;
         WEEFSEL_RETURN_IF_ERROR(f.IdField("proposal", proposal));
         if (!proposal.valid()) return Status::InvalidArgument("proposal: required (a proposal id)");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.AddProposalToRound(c.who, c.Path<RoundTag>(0), proposal));
         return Ok(ToJson(x), 201);
       }});
  Add({"GET",
       "/api/v1/rounds/{id}/allocation",
       "rounds",
       "The funded projects a published round committed to (empty before publication)",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.AllocationsOf(c.Path<RoundTag>(0)));
         Json items = Json::array();
         int64_t total = 0;
         for (const auto& a : rows) {
           items.push_back(ToJson(a));
           total += a.amount_eur;
         }
         return Ok({{"items", std::move(items)}, {"committed_eur", total}});
       }});
  Add({"POST",
       "/api/v1/experiments/{id}/milestones/{milestone}/evidence",
       "experiments",
       "Submit evidence for a milestone (numbered from 1) of a running experiment (members of the coalition)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "evidence");
         std::string text, link;
         WEEFSEL_RETURN_IF_ERROR(f.Str("text", text, 8000));
         WEEFSEL_RETURN_IF_ERROR(f.Str("link", link, 2000));
         if (!f.Has("text")) return f.Error("text", "required");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         int64_t milestone = c.ids.at(1);
         if (milestone > 1000) return Status::NotFound("milestone " + std::to_string(milestone));
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.SubmitEvidence(c.who, c.Path<ExperimentTag>(0), static_cast<int>(milestone), text, link));
         return Ok(ToJson(x), 201);
       }});
  Add({"GET",
       "/api/v1/experiments/{id}/evidence",
       "experiments",
       "The evidence submitted for an experiment's milestones with the officers' decisions",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.EvidenceOf(c.Path<ExperimentTag>(0)));
         Json items = Json::array();
         for (const auto& e : rows) items.push_back(ToJson(e));
         return Ok({{"items", std::move(items)}});
       }});
  Add({"POST",
       "/api/v1/experiments/{id}/evidence/{evidence}/decision",
       "experiments",
       "Approve evidence (releasing the milestone's amount) or reject it with a reason (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "body");
         std::string decision, reason;
         WEEFSEL_RETURN_IF_ERROR(f.Str("decision", decision, 20));
         WEEFSEL_RETURN_IF_ERROR(f.Str("reason", reason, 4000));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (decision != "approved" && decision != "rejected")
           return Status::InvalidArgument("decision: must be approved or rejected");
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.DecideEvidence(c.who, c.Path<ExperimentTag>(0), c.ids.at(1), decision == "approved", reason));
         return Ok(ToJson(x));
       }});
  Add({"GET",
       "/api/v1/municipalities/{id}/overview",
       "municipalities",
       "The programme in figures: money committed, released and remaining; indicators against targets; "
       "challenges per phase",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto o, P.Overview(c.Path<MunicipalityTag>(0)));
         return Ok(ToJson(o));
       }});
  Add({"POST",
       "/api/v1/rounds/{id}/match-campaigns",
       "match-funding",
       "Open a match-funding campaign beside a round: ratio, cap per project, fund, deadline (officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         storage::MatchCampaign m;
         m.ratio_num = 1;
         m.ratio_den = 1;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         m.round = c.Path<RoundTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.CreateMatchCampaign(c.who, m));
         return Ok(ToJson(x), 201);
       }});
  Add({"GET",
       "/api/v1/rounds/{id}/match-campaigns",
       "match-funding",
       "The match-funding campaigns beside a round",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.MatchCampaignsOf(c.Path<RoundTag>(0)));
         Json items = Json::array();
         for (const auto& m : rows) items.push_back(ToJson(m));
         return Ok({{"items", std::move(items)}});
       }});
  Add({"GET",
       "/api/v1/match-campaigns/{id}",
       "match-funding",
       "A campaign with its current match allocation per project, settled by the fund engine now",
       false,
       false,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto s, P.MatchStandingOf(c.ids.at(0)));
         return Ok(ToJson(s));
       }});
  Add({"POST",
       "/api/v1/match-campaigns/{id}/pledges",
       "match-funding",
       "Pledge an amount to a project of the campaign's round (residents, members of the municipality's actors)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "pledge");
         std::string project;
         int64_t amount = 0;
         WEEFSEL_RETURN_IF_ERROR(f.Str("project_id", project, 200));
         WEEFSEL_RETURN_IF_ERROR(f.Int("amount_eur", amount));
         if (!f.Has("project_id")) return f.Error("project_id", "required");
         if (!f.Has("amount_eur")) return f.Error("amount_eur", "required");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.Pledge(c.who, c.ids.at(0), project, amount));
         return Ok(ToJson(x), 201);
       }});

  BuildEngineRoutes();
  BuildSelfRoutes();
}

// ---- OpenAPI --------------------------------------------------------------------------------

Json Api::OpenApi() const {
  Json paths = Json::object();
  for (const Route& r : routes_) {
    Json op = {{"operationId", ""}, {"summary", r.summary}, {"tags", Json::array({r.tag})}};
    std::string opid = ToLowerAscii(r.method);
    Json params = Json::array();
    for (const auto& s : r.segments) {
      if (s.size() > 2 && s.front() == '{') {
        std::string name = s.substr(1, s.size() - 2);
        params.push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}, {"minimum", 1}}}});
        opid += "_by_" + name;
      } else {
        opid += "_" + s;
      }
    }
    for (const auto& q : r.query) {
      Json schema =
          (q == "limit" || q == "offset" || q == "municipality") ? Json{{"type", "integer"}} : Json{{"type", "string"}};
      if (q == "limit") schema["maximum"] = options_.max_page_size;
      params.push_back({{"name", q}, {"in", "query"}, {"required", false}, {"schema", schema}});
    }
    for (char& ch : opid)
      if (ch == '.' || ch == '-') ch = '_';
    op["operationId"] = opid;
    if (!params.empty()) op["parameters"] = params;
    if (r.has_body)
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    Json problem = {
        {"description", "An RFC 9457 problem naming the field at fault"},
        {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    Json ok = {{"description", "Success"}, {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    Json responses = Json::object();
    if (r.method == "DELETE" || r.path == "/api/v1/auth/logout" || r.path == "/api/v1/users/{id}/grants/revoke")
      responses["204"] = {{"description", "Done"}};
    else
      responses[r.method == "POST" && r.path.find("/invite") == std::string::npos &&
                        r.path.find("/accept") == std::string::npos && r.path.find("/decline") == std::string::npos &&
                        r.path.find("/status") == std::string::npos && r.path.find("/phase") == std::string::npos &&
                        r.path != "/api/v1/auth/login"
                    ? "201"
                    : "200"] = ok;
    if (r.method == "GET") responses["304"] = {{"description", "Not modified (If-None-Match matched the ETag)"}};
    responses["default"] = problem;
    op["responses"] = responses;
    if (r.needs_user) op["security"] = Json::array({{{"session", Json::array()}}, {{"token", Json::array()}}});
    paths[r.path][ToLowerAscii(r.method)] = op;
  }
  Json problem_schema = {{"type", "object"},
                         {"properties",
                          {{"type", {{"type", "string"}}},
                           {"title", {{"type", "string"}}},
                           {"status", {{"type", "integer"}}},
                           {"detail", {{"type", "string"}}},
                           {"instance", {{"type", "string"}}},
                           {"field", {{"type", "string"}}},
                           {"request_id", {{"type", "string"}}}}}};
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "weefsel API"},
        {"version", "1"},
        {"description", "weefsel: an open platform for social innovation in Dutch municipalities. See docs/api.md."},
        {"license", {{"name", "AGPL-3.0-or-later"}, {"identifier", "AGPL-3.0-or-later"}}}}},
      {"paths", paths},
      {"components",
       {{"schemas", {{"Problem", problem_schema}}},
        {"securitySchemes",
         {{"session",
           {{"type", "apiKey"},
            {"in", "cookie"},
            {"name", kSessionCookie},
            {"description",
             "Session cookie from POST /api/v1/auth/login; state-changing requests also need the X-CSRF-Token "
             "header"}}},
          {"token",
           {{"type", "http"}, {"scheme", "bearer"}, {"description", "API token from POST /api/v1/auth/tokens"}}}}}}}};
}

// ---- the pipeline ---------------------------------------------------------------------------

const Route* Api::Match(const std::string& method, const std::string& path, std::vector<std::string>& params,
                        std::string& allow) const {
  std::vector<std::string> segs = Split(path, '/', /*skip_empty=*/true);
  const Route* found = nullptr;
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::vector<std::string> got;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      const std::string& s = r.segments[i];
      if (s.size() > 2 && s.front() == '{')
        got.push_back(segs[i]);
      else
        ok = s == segs[i];
    }
    if (!ok) continue;
    if (r.method == method) {
      params = std::move(got);
      found = &r;
    } else if (allow.find(r.method) == std::string::npos) {
      allow += (allow.empty() ? "" : ", ") + r.method;
    }
  }
  return found;
}

void Api::Problem(Response& res, const Status& s, const std::string& instance, int http_status) {
  int status = http_status ? http_status : HttpStatusFor(s.code());
  std::string slug(StatusCodeName(s.code()));
  std::replace(slug.begin(), slug.end(), ' ', '-');
  Json p = {{"type", "https://weefsel.nl/problems/" + slug},
            {"title", ReasonOf(status)},
            {"status", status},
            {"detail", s.message()},
            {"instance", instance}};
  std::string field = FieldOf(s.message());
  if (!field.empty()) p["field"] = field;
  res.status = status;
  // Input echoed in a message may be invalid UTF-8: replace it rather than throw (a 500).
  res.SetContent(p.dump(-1, ' ', false, Json::error_handler_t::replace), "application/problem+json");
}

void Api::Handle(const Request& req, Response& res) {
  std::vector<std::string> raw_params;
  std::string allow;
  // HEAD is answered as GET (the server drops the body).
  const Route* route = Match(req.method == "HEAD" ? "GET" : req.method, req.path, raw_params, allow);
  if (!route) {
    if (!allow.empty()) {
      res.SetHeader("Allow", allow);
      Problem(res, Status::InvalidArgument("method: " + req.method + " is not allowed here (allowed: " + allow + ")"),
              req.path, 405);
    } else {
      Problem(res, Status::NotFound("path: no route " + req.method + " " + req.path), req.path);
    }
    return;
  }
  auto fail = [&](const Status& s) { Problem(res, s, req.path); };

  Call call{req, {}, {}, std::nullopt, Json(), options_};
  for (size_t i = 0; i < raw_params.size(); ++i) {
    // One spelling per id: "0005" would be another cache key for the same entity.
    auto v = ParseId(raw_params[i]);
    if (!v) return Problem(res, Status::NotFound("path: '" + raw_params[i] + "' is not an id"), req.path);
    call.ids.push_back(*v);
  }
  if (route->has_body && !StartsWith(req.Header("Content-Type"), "application/json"))
    return Problem(res, Status::InvalidArgument("Content-Type: send application/json"), req.path, 415);
  for (const auto& [k, v] : req.params) {
    if (std::find(route->query.begin(), route->query.end(), k) == route->query.end())
      return fail(
          Status::InvalidArgument(k + ": unknown query parameter" +
                                  (route->query.empty() ? "" : " (accepted: " + Join(route->query, ", ") + ")")));
    if (v.size() > 1000) return fail(Status::InvalidArgument(k + ": at most 1000 characters"));
    if (!IsUtf8(v)) return fail(Status::InvalidArgument(k + ": not valid UTF-8"));
  }

  // Public reads come from the cache while the data version holds.
  int64_t version = -1;
  if (route->cached) {
    auto v = platform_.DataVersion();
    if (!v.ok()) return fail(v.status());
    version = *v;
    if (auto hit = cache_.Get(req.target, version)) {
      res.SetHeader("ETag", hit->etag);
      res.SetHeader("Cache-Control", "no-cache");
      if (EtagMatches(req.Header("If-None-Match"), hit->etag)) {
        res.status = 304;
        return;
      }
      res.status = 200;
      res.SetContent(hit->body, "application/json");
      return;
    }
  }

  // Who is calling: an API token, or a session cookie (then CSRF on state-changing requests).
  bool reads = req.method == "GET" || req.method == "HEAD";
  std::string auth = req.Header("Authorization");
  UserId user;
  std::string token_scope;
  if (!auth.empty()) {
    if (!StartsWith(auth, "Bearer "))
      return fail(Status::Unauthenticated("Authorization: only Bearer API tokens are accepted"));
    auto t = platform_.FindToken(std::string(Trim(auth.substr(7))));
    if (!t.ok())
      return fail(t.status().code() == StatusCode::kNotFound
                      ? Status::Unauthenticated("Authorization: unknown, revoked or expired API token")
                      : t.status());
    if (t->scope != "write" && !reads)
      return fail(Status::PermissionDenied("Authorization: this API token may only read (scope " + t->scope + ")"));
    user = t->user;
    token_scope = t->scope;
  } else if (std::string sid = CookieValue(req, kSessionCookie); !sid.empty()) {
    auto session = platform_.FindSession(sid);
    if (!session.ok() && session.status().code() != StatusCode::kNotFound) return fail(session.status());
    if (session.ok()) call.session = std::move(session).value();
    if (call.session) {
      if (!reads && req.Header("X-CSRF-Token") != call.session->csrf)
        return fail(Status::PermissionDenied("X-CSRF-Token: missing or wrong CSRF token for this session"));
      user = call.session->user;
    }
  }
  if (user.valid()) {
    auto who = platform_.PrincipalOf(user);
    if (!who.ok())
      return fail(who.status().code() == StatusCode::kNotFound ? Status::Unauthenticated("the account no longer exists")
                                                               : who.status());
    call.who = std::move(who).value();
    call.who.token_scope = token_scope;
  }

  if (route->has_body) {
    std::string ct = req.Header("Content-Type");
    if (!StartsWith(ct, "application/json"))
      return Problem(res, Status::InvalidArgument("Content-Type: send application/json"), req.path, 415);
    auto body = ParseObject(req.body);
    if (!body.ok()) return fail(body.status());
    call.body = std::move(body).value();
  } else if (!req.body.empty() && !reads && req.body != "{}") {
    return fail(Status::InvalidArgument("body: this request takes no body"));
  }

  Result<Reply> reply = Status::Internal("no reply");
  try {
    reply = route->handler(call);
  } catch (const std::exception& e) {
    reply = Status::Internal(std::string("unexpected error: ") + e.what());
  }
  if (!reply.ok()) return fail(reply.status());
  Reply& r = *reply;
  for (const auto& [k, v] : r.headers) res.SetHeader(k, v);
  res.status = r.status;
  if (r.status == 204) return;
  // Stored text may hold invalid UTF-8 (an import, an old row): replace it rather than throw.
  std::string body = r.raw.empty() ? r.json.dump(-1, ' ', false, Json::error_handler_t::replace) : std::move(r.raw);
  if (reads && r.status == 200) {
    std::string etag = ETagOf(body);
    res.SetHeader("ETag", etag);
    res.SetHeader("Cache-Control", route->cached ? "no-cache" : "private, no-cache");
    if (route->cached) {
      cache_.Put(req.target, std::make_shared<const ResponseCache::Entry>(ResponseCache::Entry{version, body, etag}));
    }
    if (EtagMatches(req.Header("If-None-Match"), etag)) {
      res.status = 304;
      return;
    }
  }
  res.SetContent(body, r.content_type);
}

}  // namespace weefsel::http
