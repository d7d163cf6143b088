// API tests over real HTTP on loopback: the OpenAPI document against the route table, sessions
// with CSRF, login rate limits, ETags and conditional GET, paging/filtering/sorting, problem+json
// errors and limits, the coalition, proposal, ballot and experiment flows, concurrency, and the
// round trip from the API to the CLI's export (service/transfer.h). Runs on SQLite (Sqlite/,
// label unit) and PostgreSQL (Postgres/, label pg).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "base/process_memory.h"
#include "base/strings.h"
#include "service/core/testing.h"
#include "service/transfer.h"
#include "storage/store.h"
#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

class Api : public ApiWorld {};

std::string CookieOf(const Resp& r) {
  std::string c = r.Header("Set-Cookie");
  return c.substr(0, c.find(';'));
}

// A cached read names the change scopes it depends on (http/api.h Route::scopes), each a kind the
// store touches or "<kind>:{id}"; without them a write elsewhere would leave it stale or drop it.
TEST_P(Api, EveryCachedRouteNamesItsScopes) {
  const std::set<std::string> kinds = {
      "municipalities", "actors",      "ties",   "challenges",   "coalitions",      "proposals",
      "rounds",         "experiments", "fabric", "municipality", "challenge",       "proposal",
      "round",          "experiment",  "tasks",  "task",         "task_challenges", "task_challenge"};
  int cached = 0;
  for (const auto& route : api_->routes()) {
    if (!route.cached) {
      EXPECT_TRUE(route.scopes.empty()) << route.path << ": scopes on a route that is not cached";
      continue;
    }
    ++cached;
    EXPECT_EQ(route.method, "GET") << route.path;
    EXPECT_FALSE(route.scopes.empty()) << route.path;
    for (const auto& s : route.scopes) {
      std::string kind = s.substr(0, s.find(':'));
      EXPECT_TRUE(kinds.count(kind)) << route.path << ": unknown scope " << s;
      if (s.find(':') != std::string::npos) {
        EXPECT_EQ(s.substr(s.find(':')), ":{id}") << route.path;
        EXPECT_NE(route.path.find("{id}"), std::string::npos) << route.path;
      }
    }
  }
  EXPECT_GE(cached, 20);
}

TEST_P(Api, OpenApiListsExactlyTheRoutesTheServerHas) {
  Resp r = Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["openapi"], "3.1.0");
  std::set<std::string> documented, served;
  for (auto& [path, ops] : r.json["paths"].items())
    for (auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(toupper(ch));
      documented.insert(m + " " + path);
      EXPECT_FALSE(op.value("operationId", "").empty()) << path;
    }
  for (const auto& route : api_->routes()) served.insert(route.method + " " + route.path);
  EXPECT_EQ(documented, served);
  EXPECT_GE(served.size(), 50u);
  // And every documented operation reaches a handler: no "no route" 404 and no 405.
  for (const auto& key : documented) {
    std::string method = key.substr(0, key.find(' '));
    std::string path = key.substr(key.find(' ') + 1);
    std::string concrete;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i] == '{') {
        concrete += "1";
        i = path.find('}', i);
      } else {
        concrete += path[i];
      }
    }
    Resp x =
        Send(method, concrete, method == "GET" || method == "DELETE" ? Json(nullptr) : Json::object(), tokens_[kAdmin]);
    EXPECT_NE(x.status, 405) << key;
    // A success is the one the document declares (the route's .success, not a guess from its path).
    if (x.status >= 200 && x.status < 300) {
      std::string lower = method;
      for (auto& ch : lower) ch = static_cast<char>(tolower(ch));
      EXPECT_TRUE(r.json["paths"][path][lower]["responses"].contains(std::to_string(x.status)))
          << key << " answered " << x.status << ", documented " << r.json["paths"][path][lower]["responses"].dump();
    }
    EXPECT_FALSE(x.status == 404 && x.json.value("detail", "").find("no route") != std::string::npos)
        << key << ": " << x.body;
  }
  // A path the server does not have is a problem+json 404; a known path with a wrong method is 405.
  Resp nf = Send("GET", "/api/v1/nothing-here");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.Header("Content-Type"), "application/problem+json");
  Resp na = Send("DELETE", "/api/v1/challenges");
  EXPECT_EQ(na.status, 405);
  EXPECT_EQ(na.Header("Allow"), "GET, POST");
}

TEST_P(Api, TheAccessibilityStatementIsAnHtmlPageNotTheWebApp) {
  Resp r = Send("GET", "/toegankelijkheid");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<h1>Toegankelijkheidsverklaring</h1>"), std::string::npos) << r.body;
  EXPECT_FALSE(r.Header("Content-Security-Policy").empty());
}

// A municipality's look (service/appearance.h): its officers set the theme, name and logo; anyone
// reads them; the logo is served as the image it is, and only images of the allowed kinds get in.
TEST_P(Api, AMunicipalitysOfficersSetItsThemeNameAndLogo) {
  const std::string m1 = "/api/v1/municipalities/" + Str(m1_), m2 = "/api/v1/municipalities/" + Str(m2_);
  Resp none = Send("GET", m1 + "/appearance");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json["theme"], "");
  EXPECT_TRUE(none.json["logo"].is_null());
  EXPECT_EQ(Send("GET", m1 + "/logo").status, 404);

  Json look = {{"theme", "utrecht"}, {"display_name", "Gemeente Utrecht"}};
  EXPECT_EQ(Send("PUT", m1 + "/appearance", look).status, 401);
  EXPECT_EQ(As(kResident, "PUT", m1 + "/appearance", look).status, 403);
  EXPECT_EQ(As(kOtherOfficer, "PUT", m1 + "/appearance", look).status, 403);
  Resp set = As(kOfficer, "PUT", m1 + "/appearance", look);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Send("GET", m1 + "/appearance").json["display_name"], "Gemeente Utrecht");
  // Utrecht's tokens are for Utrecht only (their licence); unknown themes and names with control
  // characters are refused, naming the field.
  Resp licence = As(kOtherOfficer, "PUT", m2 + "/appearance", {{"theme", "utrecht"}});
  EXPECT_EQ(licence.status, 400) << licence.body;
  EXPECT_NE(licence.body.find("Municipality of Utrecht"), std::string::npos) << licence.body;
  EXPECT_EQ(As(kOtherOfficer, "PUT", m2 + "/appearance", {{"theme", "denhaag"}}).status, 200);
  Resp unknown = As(kOfficer, "PUT", m1 + "/appearance", {{"theme", "paars"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown theme 'paars'"), std::string::npos) << unknown.body;
  EXPECT_EQ(As(kOfficer, "PUT", m1 + "/appearance", {{"display_name", "a\tb"}}).status, 400);
  EXPECT_EQ(As(kOfficer, "PUT", m1 + "/appearance", {{"colour", "red"}}).status, 400);

  // A 1x1 PNG: stored, served with its type and the same bytes.
  const std::string png_b64 =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  EXPECT_EQ(As(kResident, "PUT", m1 + "/logo", {{"image", png_b64}}).status, 403);
  Resp logo = As(kOfficer, "PUT", m1 + "/logo", {{"image", png_b64}});
  ASSERT_EQ(logo.status, 200) << logo.body;
  EXPECT_EQ(logo.json["logo_type"], "image/png");
  const std::string url = logo.json["logo"].get<std::string>();
  EXPECT_EQ(url, m1 + "/logo");
  Resp image = Send("GET", url);
  ASSERT_EQ(image.status, 200);
  EXPECT_EQ(image.Header("Content-Type"), "image/png");
  EXPECT_EQ(image.Header("X-Content-Type-Options"), "nosniff");
  ASSERT_EQ(image.body.size(), 70u);
  EXPECT_EQ(image.body.substr(1, 3), "PNG");
  Resp cached = Send("GET", url);  // from the response cache: the same bytes, still an image
  EXPECT_EQ(cached.Header("Content-Type"), "image/png");
  EXPECT_EQ(cached.body, image.body);
  EXPECT_EQ(Send("GET", url, nullptr, "", {{"If-None-Match", cached.Header("ETag")}}).status, 304);
  // SVG (it can carry script), text that is not base64, and too large an image are refused.
  const std::string svg_b64 =
      "PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnPjxzY3JpcHQ+YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4=";
  Resp svg = As(kOfficer, "PUT", m1 + "/logo", {{"image", svg_b64}});
  EXPECT_EQ(svg.status, 400);
  EXPECT_NE(svg.body.find("SVG and other types are refused"), std::string::npos) << svg.body;
  EXPECT_EQ(As(kOfficer, "PUT", m1 + "/logo", {{"image", "niet*base64"}}).status, 400);
  // (the test server takes bodies up to 64 KiB; production 1 MiB, above the 256 KiB of a logo)
  EXPECT_EQ(As(kOfficer, "PUT", m1 + "/logo", {{"image", std::string(100000, 'A')}}).status, 413);
  EXPECT_EQ(As(kOfficer, "PUT", m1 + "/logo", Json::object()).json.value("field", ""), "logo.image");
  EXPECT_EQ(Send("GET", url).body, image.body);  // the refusals changed nothing
  // "" removes the logo; every change is in the municipality's audit log.
  EXPECT_TRUE(As(kOfficer, "PUT", m1 + "/logo", {{"image", ""}}).json["logo"].is_null());
  EXPECT_EQ(Send("GET", m1 + "/logo").status, 404);
  Resp log = As(kOfficer, "GET", "/api/v1/audit?entity=municipality&id=" + Str(m1_));
  ASSERT_EQ(log.status, 200) << log.body;
  int changes = 0;
  for (const auto& e : log.json["items"]) changes += e["action"] == "appearance";
  EXPECT_EQ(changes, 3);
}

TEST_P(Api, HealthAndReadiness) {
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
  Resp r = Send("GET", "/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["store"], GetParam() == Backend::kSqlite ? "sqlite" : "postgres");
  EXPECT_FALSE(r.Header("X-Request-Id").empty());
  EXPECT_FALSE(r.json.contains("memory"));
  Resp memory = Send("GET", "/readyz?memory=1");
  ASSERT_EQ(memory.status, 200) << memory.body;
  EXPECT_GT(memory.json["memory"]["rss_bytes"].get<int64_t>(), 0);
  if (kHeapBytesKnown)  // not under AddressSanitizer, whose allocator glibc cannot count
    EXPECT_GT(memory.json["memory"]["heap_bytes"].get<int64_t>(), 0);
  else
    EXPECT_EQ(memory.json["memory"]["heap_bytes"].get<int64_t>(), -1);
  // Read at most once a second (anonymous callers cannot make the server walk its heap at will):
  // 64 MB touched in between does not show in a second reading within that second.
  {
    auto block = std::make_unique<char[]>(64 << 20);
    std::memset(block.get(), 1, 64 << 20);
    Resp again = Send("GET", "/readyz?memory=1");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json["memory"], memory.json["memory"]);
  }
  Resp bad = Send("GET", "/readyz?memory=yes");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["field"], "memory") << bad.body;
  Resp mine = Send("GET", "/healthz", nullptr, "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(mine.Header("X-Request-Id"), "abc-123");
}

TEST_P(Api, SessionCookieNeedsCsrfTokenOnWrites) {
  Resp bad = Send("POST", "/api/v1/auth/login", {{"email", "officer@test.nl"}, {"password", "wrong password"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Header("Set-Cookie"), "");
  Resp login = Send("POST", "/api/v1/auth/login", {{"email", "OFFICER@test.nl"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string set = login.Header("Set-Cookie");
  EXPECT_NE(set.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(set.find("Secure"), std::string::npos);
  std::string cookie = CookieOf(login);
  std::string csrf = login.json["csrf_token"];
  ASSERT_EQ(csrf.size(), 64u);

  Resp me = Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", cookie}});
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json["email"], "officer@test.nl");
  EXPECT_EQ(me.json["csrf_token"], csrf);

  Json challenge = {{"municipality", m1_.value()}, {"title", "Hittestress"}, {"text", "Te warm in de zomer"}};
  Resp no_csrf = Send("POST", "/api/v1/challenges", challenge, "", {{"Cookie", cookie}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(no_csrf.json["field"], "X-CSRF-Token");
  Resp wrong =
      Send("POST", "/api/v1/challenges", challenge, "", {{"Cookie", cookie}, {"X-CSRF-Token", std::string(64, 'a')}});
  EXPECT_EQ(wrong.status, 403);
  Resp ok = Send("POST", "/api/v1/challenges", challenge, "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(ok.status, 201) << ok.body;

  // Behind TLS the cookie is Secure.
  Resp tls = Send("POST", "/api/v1/auth/login", {{"email", "officer@test.nl"}, {"password", kPassword}}, "",
                  {{"X-Forwarded-Proto", "https"}});
  EXPECT_NE(tls.Header("Set-Cookie").find("Secure"), std::string::npos);

  Resp out = Send("POST", "/api/v1/auth/logout", nullptr, "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", cookie}}).status, 401);

  // Sessions expire.
  Resp again = Send("POST", "/api/v1/auth/login", {{"email", "officer@test.nl"}, {"password", kPassword}});
  std::string c2 = CookieOf(again);
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", c2}}).status, 200);
  clock_.Advance(std::chrono::hours(9));
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", c2}}).status, 401);

  // API tokens: no CSRF needed; unknown tokens are refused.
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "wf_nope").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Authorization", "Basic eDp5"}}).status, 401);
}

TEST_P(Api, PasswordsAreArgon2id) {
  auto u = service::testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
    auto user = s.GetUserByEmail("resident@test.nl");
    if (!user.ok()) return user.status();
    EXPECT_TRUE(StartsWith(user->password_hash, "$argon2id$")) << user->password_hash;
    EXPECT_EQ(user->password_hash.find(kPassword), std::string::npos);
    return Status::Ok();
  });
  EXPECT_TRUE(u.ok()) << u.ToString();
  Resp me = Send("GET", "/api/v1/users/" + Str(users_[kResident]), nullptr, tokens_[kResident]);
  ASSERT_EQ(me.status, 200);
  EXPECT_FALSE(me.json.contains("password_hash"));
  Resp shortpw =
      Send("POST", "/api/v1/auth/register",
           {{"email", "kort@test.nl"}, {"display_name", "Kort"}, {"password", "kort"}, {"municipality", m1_.value()}});
  EXPECT_EQ(shortpw.status, 400);
  EXPECT_EQ(shortpw.json["field"], "password");
}

TEST_P(Api, LoginIsRateLimitedPerAccountAndPerAddress) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(
        Send("POST", "/api/v1/auth/login", {{"email", "member@test.nl"}, {"password", "guess " + std::to_string(i)}})
            .status,
        401);
  // Locked now, even with the right password.
  Resp locked = Send("POST", "/api/v1/auth/login", {{"email", "member@test.nl"}, {"password", kPassword}});
  EXPECT_EQ(locked.status, 429) << locked.body;
  // Another account from the same address still works (the address limit is higher) ...
  EXPECT_EQ(Send("POST", "/api/v1/auth/login", {{"email", "resident@test.nl"}, {"password", kPassword}}).status, 200);
  // ... until the address has too many failures (20 in the window).
  for (int i = 0; i < 15; ++i)
    Send("POST", "/api/v1/auth/login",
         {{"email", "nobody" + std::to_string(i) + "@test.nl"}, {"password", "guess guess"}});
  EXPECT_EQ(Send("POST", "/api/v1/auth/login", {{"email", "resident@test.nl"}, {"password", kPassword}}).status, 429);
  // The window slides.
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_EQ(Send("POST", "/api/v1/auth/login", {{"email", "member@test.nl"}, {"password", kPassword}}).status, 200);
}

TEST_P(Api, ETagsAndConditionalGet) {
  Resp a = Send("GET", "/api/v1/challenges?limit=50");
  ASSERT_EQ(a.status, 200);
  std::string etag = a.Header("ETag");
  ASSERT_FALSE(etag.empty());
  Resp cached = Send("GET", "/api/v1/challenges?limit=50");
  EXPECT_EQ(cached.body, a.body);
  EXPECT_EQ(cached.Header("ETag"), etag);
  Resp nm = Send("GET", "/api/v1/challenges?limit=50", nullptr, "", {{"If-None-Match", etag}});
  EXPECT_EQ(nm.status, 304);
  EXPECT_TRUE(nm.body.empty());
  // A change makes the list new, with a new ETag.
  ASSERT_EQ(
      As(kOfficer, "POST", "/api/v1/challenges", {{"municipality", m1_.value()}, {"title", "Nieuw"}, {"text", "x"}})
          .status,
      201);
  Resp b = Send("GET", "/api/v1/challenges?limit=50", nullptr, "", {{"If-None-Match", etag}});
  EXPECT_EQ(b.status, 200);
  EXPECT_NE(b.Header("ETag"), etag);
  EXPECT_EQ(b.json["items"].size(), a.json["items"].size() + 1);
  // Single entities too, and changes through PATCH show at once.
  Resp c = Send("GET", "/api/v1/actors/" + Str(a1_));
  ASSERT_EQ(As(kMember, "PATCH", "/api/v1/actors/" + Str(a1_), {{"description", "Buurtwerk in Zuilen"}}).status, 200);
  Resp d = Send("GET", "/api/v1/actors/" + Str(a1_), nullptr, "", {{"If-None-Match", c.Header("ETag")}});
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(d.json["description"], "Buurtwerk in Zuilen");
}

TEST_P(Api, PagingFilteringSorting) {
  for (const char* n : {"Delta", "Alfa", "Echo", "Charlie", "Bravo"})
    ASSERT_EQ(As(kOfficer, "POST", "/api/v1/actors",
                 {{"name", std::string("Paging ") + n}, {"kind", "company"}, {"municipality", m1_.value()}})
                  .status,
              201);
  std::vector<std::string> names;
  std::string next = "/api/v1/actors?q=paging&sort=name&limit=2";
  int pages = 0;
  while (!next.empty() && pages < 10) {
    Resp r = Send("GET", next);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& a : r.json["items"]) names.push_back(a["name"]);
    next = r.json["next"].is_null() ? "" : r.json["next"].get<std::string>();
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names,
            (std::vector<std::string>{"Paging Alfa", "Paging Bravo", "Paging Charlie", "Paging Delta", "Paging Echo"}));
  Resp desc = Send("GET", "/api/v1/actors?q=paging&sort=-name&limit=1");
  EXPECT_EQ(desc.json["items"][0]["name"], "Paging Echo");
  Resp kind = Send("GET", "/api/v1/actors?kind=knowledge_institution");
  ASSERT_EQ(kind.json["items"].size(), 1u);
  EXPECT_EQ(kind.json["items"][0]["name"], "Hogeschool Utrecht");
  Resp muni = Send("GET", "/api/v1/actors?municipality=" + Str(m2_));
  ASSERT_EQ(muni.json["items"].size(), 1u);
  EXPECT_EQ(muni.json["items"][0]["name"], "Stichting Noord");
  Resp ch = Send("GET", "/api/v1/challenges?municipality=" + Str(m2_) + "&phase=open");
  ASSERT_EQ(ch.json["items"].size(), 1u);

  struct Bad {
    std::string query, field;
  };
  for (const Bad& b :
       {Bad{"sort=colour", "sort"}, Bad{"limit=1000", "limit"}, Bad{"limit=0", "limit"}, Bad{"offset=-1", "offset"},
        Bad{"kind=spaceship", "kind"}, Bad{"theme=quantum", "theme"}, Bad{"colour=red", "colour"}}) {
    Resp r = Send("GET", "/api/v1/actors?" + b.query);
    EXPECT_EQ(r.status, 400) << b.query << ": " << r.body;
    EXPECT_EQ(r.json.value("field", ""), b.field) << b.query << ": " << r.body;
  }
}

TEST_P(Api, ErrorsAreProblemsNamingTheFieldAndLimitsHold) {
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const std::string ok_start = R"({"kind":"company","municipality":)" + Str(m1_);
  std::vector<Case> cases = {
      {ok_start + R"(,"name":""})", 400, "actor.name"},
      {ok_start + R"(,"name":"X","colour":"red"})", 400, "actor.colour"},
      {ok_start + R"(,"name":42})", 400, "actor.name"},
      {ok_start + R"(,"name":"X","kind":"spaceship"})", 400, "actor.kind"},
      {ok_start + R"(,"name":"X","themes":"zorg"})", 400, "actor.themes"},
      {ok_start + R"(,"name":")" + std::string(600, 'x') + R"("})", 400, "actor.name"},
      {ok_start + R"(,"name":"X","capabilities":[)" +
           [] {
             std::string s;
             for (int i = 0; i < 250; ++i) s += (i ? "," : "") + std::string("\"c\"");
             return s;
           }() +
           "]}",
       400, "actor.capabilities"},
      {"[1,2,3]", 400, "body"},
      {"{not json", 400, "body"},
      {std::string(40, '[') + std::string(40, ']'), 400, "body"},
  };
  for (const auto& c : cases) {
    Resp r = SendRaw("POST", "/api/v1/actors", c.body, tokens_[kOfficer]);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 80) << ": " << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.json.value("field", ""), c.field) << c.body.substr(0, 80) << ": " << r.body;
    EXPECT_EQ(r.json.value("status", 0), c.status);
    EXPECT_FALSE(r.json.value("detail", "").empty());
  }
  // Too large a body: 413 from the server's limit (64 KiB in this world).
  Resp big =
      SendRaw("POST", "/api/v1/actors", R"({"name":")" + std::string(100 * 1024, 'x') + R"("})", tokens_[kOfficer]);
  EXPECT_EQ(big.status, 413);
  // Not JSON at all.
  Resp form = SendRaw("POST", "/api/v1/actors", "name=x", tokens_[kOfficer], {}, "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 415);
  // Unknown ids are 404s; ids that are not numbers too.
  EXPECT_EQ(Send("GET", "/api/v1/actors/999999").status, 404);
  EXPECT_EQ(Send("GET", "/api/v1/actors/abc").status, 404);
  // A tie to an actor that does not exist.
  Resp tie = As(kOfficer, "POST", "/api/v1/actors/" + Str(a1_) + "/ties", {{"b", 999999}});
  EXPECT_EQ(tie.status, 404) << tie.body;
  // A duplicate CBS code.
  Resp dup = As(kAdmin, "POST", "/api/v1/municipalities",
                {{"cbs_code", "GM0344"}, {"name", "Utrecht"}, {"province", "Utrecht"}});
  EXPECT_EQ(dup.status, 409) << dup.body;
  Resp badcode = As(kAdmin, "POST", "/api/v1/municipalities", {{"cbs_code", "XX12"}, {"name", "Nergens"}});
  EXPECT_EQ(badcode.status, 400);
  EXPECT_EQ(badcode.json.value("field", ""), "municipality.cbs_code") << badcode.body;
}

TEST_P(Api, CoalitionFlow) {
  Resp made = As(kOfficer, "POST", "/api/v1/challenges/" + Str(c1_) + "/coalitions",
                 {{"members", Json::array({{{"actor", a1_.value()}, {"role", "lead"}}, {{"actor", a2_.value()}}})},
                  {"explanation", "Buurtnetwerk en onderzoek"}});
  ASSERT_EQ(made.status, 201) << made.body;
  std::string id = std::to_string(made.json["id"].get<int64_t>());
  EXPECT_EQ(made.json["status"], "proposed");
  // Not invited yet: accepting is a conflict.
  EXPECT_EQ(As(kMember, "POST", "/api/v1/coalitions/" + id + "/accept", {{"actor", a1_.value()}}).status, 409);
  // A member of a1 cannot answer for a2.
  EXPECT_EQ(As(kMember, "POST", "/api/v1/coalitions/" + id + "/accept", {{"actor", a2_.value()}}).status, 403);
  ASSERT_EQ(As(kOfficer, "POST", "/api/v1/coalitions/" + id + "/invite", {{"actor", a1_.value()}}).status, 200);
  Resp inv = As(kOfficer, "POST", "/api/v1/coalitions/" + id + "/invite", {{"actor", a2_.value()}});
  EXPECT_EQ(inv.json["status"], "forming");
  Resp acc = As(kMember, "POST", "/api/v1/coalitions/" + id + "/accept", {{"actor", a1_.value()}});
  ASSERT_EQ(acc.status, 200) << acc.body;
  EXPECT_EQ(acc.json["members"][0]["status"], "accepted");
  EXPECT_EQ(acc.json["status"], "forming");
  Resp dec = As(kAdmin, "POST", "/api/v1/coalitions/" + id + "/decline", {{"actor", a2_.value()}});
  ASSERT_EQ(dec.status, 200);
  EXPECT_EQ(dec.json["status"], "formed");  // every member still in has accepted
  Resp list = Send("GET", "/api/v1/challenges/" + Str(c1_) + "/coalitions");
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.json["items"][0]["members"][1]["status"], "declined");
  // Coalitions of the wrong municipality's officer: refused.
  EXPECT_EQ(As(kOtherOfficer, "POST", "/api/v1/coalitions/" + id + "/invite", {{"actor", a3_.value()}}).status, 403);
}

TEST_P(Api, ProposalVersionsCommentsSupports) {
  CoalitionId co = MakeCoalition();
  Resp p = As(kMember, "POST", "/api/v1/coalitions/" + Str(co) + "/proposals",
              {{"title", "Buurtkamers"},
               {"plan", "Drie buurtkamers"},
               {"budget_eur", 30000},
               {"milestones", Json::array({{{"title", "Start"}, {"due", "2027-01-15"}, {"amount_eur", 10000}}})}});
  ASSERT_EQ(p.status, 201) << p.body;
  std::string id = std::to_string(p.json["id"].get<int64_t>());
  EXPECT_EQ(p.json["versions"][0]["author"], users_[kMember].value());
  Resp v2 = As(kMember, "POST", "/api/v1/proposals/" + id + "/versions",
               {{"title", "Buurtkamers (herzien)"}, {"budget_eur", 27500}});
  ASSERT_EQ(v2.status, 201);
  EXPECT_EQ(v2.json["versions"].size(), 2u);
  EXPECT_EQ(v2.json["versions"][1]["number"], 2);
  EXPECT_EQ(As(kMember, "POST", "/api/v1/proposals/" + id + "/versions", {{"title", ""}}).status, 400);
  EXPECT_EQ(As(kResident, "POST", "/api/v1/proposals/" + id + "/comments", {{"text", "Graag ook op zaterdag"}}).status,
            201);
  EXPECT_EQ(As(kOfficer, "POST", "/api/v1/proposals/" + id + "/comments", {{"text", "   "}}).status, 400);
  Resp comments = Send("GET", "/api/v1/proposals/" + id + "/comments");
  ASSERT_EQ(comments.json["items"].size(), 1u);
  EXPECT_EQ(comments.json["items"][0]["text"], "Graag ook op zaterdag");
  Resp s1 = As(kResident, "POST", "/api/v1/proposals/" + id + "/supports");
  ASSERT_EQ(s1.status, 201);
  EXPECT_EQ(s1.json["supports"], 1);
  EXPECT_EQ(As(kResident, "POST", "/api/v1/proposals/" + id + "/supports").status, 409);
  EXPECT_EQ(Send("GET", "/api/v1/proposals/" + id).json["supports"], 1);
  // The resident's own support: asked for, withdrawn (count and cached proposal follow), given again.
  EXPECT_EQ(As(kResident, "GET", "/api/v1/proposals/" + id + "/supports/mine").json["supported"], true);
  EXPECT_EQ(As(kOfficer, "GET", "/api/v1/proposals/" + id + "/supports/mine").json["supported"], false);
  EXPECT_EQ(Send("GET", "/api/v1/proposals/" + id + "/supports/mine").status, 401);
  EXPECT_EQ(As(kMember, "DELETE", "/api/v1/proposals/" + id + "/supports").status, 403);
  Resp w = As(kResident, "DELETE", "/api/v1/proposals/" + id + "/supports");
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(w.json["supports"], 0);
  EXPECT_EQ(Send("GET", "/api/v1/proposals/" + id).json["supports"], 0);
  EXPECT_EQ(As(kResident, "GET", "/api/v1/proposals/" + id + "/supports/mine").json["supported"], false);
  Resp again = As(kResident, "DELETE", "/api/v1/proposals/" + id + "/supports");
  EXPECT_EQ(again.status, 404) << again.body;
  EXPECT_NE(again.body.find("you do not support proposal"), std::string::npos) << again.body;
  EXPECT_EQ(As(kResident, "POST", "/api/v1/proposals/" + id + "/supports").json["supports"], 1);
  Resp trail = As(kOfficer, "GET", "/api/v1/audit?entity=proposal&id=" + id);
  ASSERT_EQ(trail.status, 200) << trail.body;
  std::vector<std::string> acts;
  for (const auto& e : trail.json["items"]) acts.push_back(e["action"].get<std::string>());
  EXPECT_NE(std::find(acts.begin(), acts.end(), "unsupport"), acts.end()) << trail.body;
  // Status: the coalition submits, the officer decides; no revisions once decided.
  EXPECT_EQ(As(kOfficer, "POST", "/api/v1/proposals/" + id + "/status", {{"status", "funded"}}).status, 409);
  EXPECT_EQ(As(kMember, "POST", "/api/v1/proposals/" + id + "/status", {{"status", "submitted"}}).status, 200);
  EXPECT_EQ(As(kMember, "POST", "/api/v1/proposals/" + id + "/status", {{"status", "funded"}}).status, 403);
  EXPECT_EQ(As(kOfficer, "POST", "/api/v1/proposals/" + id + "/status", {{"status", "funded"}}).status, 200);
  EXPECT_EQ(As(kMember, "POST", "/api/v1/proposals/" + id + "/versions", {{"title", "Te laat"}}).status, 409);
  EXPECT_EQ(As(kOfficer, "POST", "/api/v1/proposals/" + id + "/status", {{"status", "maybe"}}).status, 400);
  Resp list = Send("GET", "/api/v1/challenges/" + Str(c1_) + "/proposals");
  EXPECT_EQ(list.json["items"].size(), 1u);
}

// Sessions, API tokens, comments (with replies) and supports are in the store: a new Platform and
// Api over the same database (a restart) still know them.
TEST_P(Api, SessionsTokensCommentsAndSupportsSurviveARestart) {
  ProposalId prop = MakeProposal();
  std::string path = "/api/v1/proposals/" + Str(prop);
  Resp login = Send("POST", "/api/v1/auth/login", {{"email", "resident@test.nl"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie = CookieOf(login);
  std::string csrf = login.json["csrf_token"];
  httplib::Headers session = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  Resp c1 = Send("POST", path + "/comments", {{"text", "Graag ook op zaterdag"}}, "", session);
  ASSERT_EQ(c1.status, 201) << c1.body;
  EXPECT_EQ(c1.json["parent"], nullptr);
  int64_t first = c1.json["id"];
  Resp reply = As(kMember, "POST", path + "/comments", {{"text", "Zaterdag kan, vanaf april"}, {"parent", first}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.json["parent"], first);
  EXPECT_EQ(Send("POST", path + "/supports", nullptr, "", session).status, 201);
  Resp tok = Send("POST", "/api/v1/auth/tokens", {{"name", "koppeling"}, {"scope", "write"}}, "", session);
  ASSERT_EQ(tok.status, 201) << tok.body;
  std::string token = tok.json["token"];

  Restart();

  Resp me = Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", cookie}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["email"], "resident@test.nl");
  EXPECT_EQ(me.json["csrf_token"], csrf) << "the CSRF token is derived from the session, so it survives too";
  Resp comments = Send("GET", path + "/comments");
  ASSERT_EQ(comments.status, 200);
  ASSERT_EQ(comments.json["items"].size(), 2u) << comments.body;
  EXPECT_EQ(comments.json["items"][0]["text"], "Graag ook op zaterdag");
  EXPECT_EQ(comments.json["items"][0]["author_name"], "resident");
  EXPECT_EQ(comments.json["items"][1]["parent"], first);
  EXPECT_EQ(comments.json["items"][1]["author"], users_[kMember].value());
  // The support is remembered: a second one is still refused, and the count holds.
  EXPECT_EQ(Send("POST", path + "/supports", nullptr, "", session).status, 409);
  EXPECT_EQ(Send("GET", path).json["supports"], 1);
  // The token still works, is listed (never shown again) and can be revoked.
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, token).status, 200);
  Resp mine = Send("GET", "/api/v1/auth/tokens", nullptr, token);
  ASSERT_EQ(mine.status, 200) << mine.body;
  int64_t token_id = 0;
  for (const auto& t : mine.json["items"]) {
    EXPECT_FALSE(t.contains("token"));
    if (t["name"] == "koppeling") {
      token_id = t["id"];
      EXPECT_NE(t["last_used_at"], nullptr);
    }
  }
  ASSERT_GT(token_id, 0) << mine.body;
  EXPECT_EQ(As(kOfficer, "DELETE", "/api/v1/auth/tokens/" + std::to_string(token_id)).status, 404)
      << "another user's token is not yours to revoke";
  EXPECT_EQ(Send("DELETE", "/api/v1/auth/tokens/" + std::to_string(token_id), nullptr, token).status, 204);
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, token).status, 401);
  // A reply must answer a comment on the same proposal.
  ProposalId other = MakeProposal();
  Resp wrong =
      As(kMember, "POST", "/api/v1/proposals/" + Str(other) + "/comments", {{"text", "Hier?"}, {"parent", first}});
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(wrong.json["field"], "comment.parent");
  // Logout deletes the session: after another restart it is still gone.
  EXPECT_EQ(Send("POST", "/api/v1/auth/logout", nullptr, "", session).status, 204);
  Restart();
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", cookie}}).status, 401);
  // What the store holds is a hash: the cookie value itself is nowhere in it.
  ASSERT_TRUE(service::testing::WithStore(*platform_, [&](storage::Store& st) -> Status {
                auto row = st.GetSession(cookie.substr(cookie.find('=') + 1));
                EXPECT_EQ(row.status().code(), StatusCode::kNotFound);
                return Status::Ok();
              }).ok());
}

TEST_P(Api, RegistrationIsRateLimitedPerAddress) {
  int created = 0, limited = 0;
  for (int i = 0; i < 12; ++i) {
    Resp r = Send("POST", "/api/v1/auth/register",
                  {{"email", FreshEmail()},
                   {"display_name", "Nieuw"},
                   {"password", "welkom-in-utrecht"},
                   {"municipality", m1_.value()}});
    if (r.status == 201) ++created;
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(r.Header("Content-Type"), "application/problem+json");
    }
  }
  EXPECT_EQ(created, 10);
  EXPECT_EQ(limited, 2);
  // The window slides: an hour later the address may register again.
  clock_.Advance(std::chrono::minutes(61));
  EXPECT_EQ(Send("POST", "/api/v1/auth/register",
                 {{"email", FreshEmail()},
                  {"display_name", "Nieuw"},
                  {"password", "welkom-in-utrecht"},
                  {"municipality", m1_.value()}})
                .status,
            201);
}

// Refusals carry a stable code with parameters (docs/api.md, "Refusal codes") beside the English
// detail, so the UI can word them in the reader's language.
TEST_P(Api, RefusalsCarryACodeWithParameters) {
  auto params = [](const Resp& r) { return r.json.value("params", Json::object()); };
  // A phase move out of order names both phases and the next one.
  RoundId r = MakeRound();
  std::string base = "/api/v1/rounds/" + Str(r);
  ASSERT_EQ(As(kOfficer, "POST", base + "/phase", {{"phase", "voting"}}).status, 200);
  Resp back = As(kOfficer, "POST", base + "/phase", {{"phase", "submission"}});
  EXPECT_EQ(back.status, 409);
  EXPECT_EQ(back.json.value("code", ""), "phase_move_not_allowed") << back.body;
  EXPECT_EQ(params(back), (Json{{"what", "round"}, {"from", "voting"}, {"to", "submission"}, {"next", "allocation"}}));
  EXPECT_EQ(back.json.value("field", ""), "phase");  // the field and the English detail stay
  EXPECT_NE(back.json.value("detail", "").find("is in phase voting"), std::string::npos);
  // An officer of another municipality.
  Resp other = As(kOtherOfficer, "POST", base + "/phase", {{"phase", "allocation"}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.json.value("code", ""), "not_officer_of_municipality") << other.body;
  EXPECT_EQ(params(other), (Json{{"municipality", Str(m1_)}}));
  // Not found names what and which.
  Resp missing = As(kResident, "GET", "/api/v1/challenges/99999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json.value("code", ""), "not_found");
  EXPECT_EQ(params(missing), (Json{{"what", "challenge"}, {"id", "99999"}}));
  // Supporting twice.
  ProposalId prop = MakeProposal();
  std::string support = "/api/v1/proposals/" + Str(prop) + "/supports";
  ASSERT_EQ(As(kResident, "POST", support).status / 100, 2);
  Resp twice = As(kResident, "POST", support);
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json.value("code", ""), "already_supports") << twice.body;
  EXPECT_EQ(params(twice), (Json{{"proposal", Str(prop)}}));
  // Sign-in: a wrong password, and no one signed in.
  Resp wrong = Send("POST", "/api/v1/auth/login", {{"email", "officer@test.nl"}, {"password", "not-the-password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json.value("code", ""), "wrong_credentials");
  Resp anon = Send("POST", "/api/v1/challenges", {{"municipality", m1_.value()}, {"title", "x"}, {"text", "y"}});
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(anon.json.value("code", ""), "sign_in_required");
  // Without a reason from the service the code comes from the status and the field.
  Resp bad = As(kResident, "GET", "/api/v1/challenges?limit=0");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json.value("code", ""), "invalid_field");
  EXPECT_EQ(params(bad), (Json{{"field", "limit"}}));
  // Every code the answers used is in the published list.
  Json codes = api_->OpenApi()["components"]["schemas"]["Problem"]["properties"]["code"]["enum"];
  for (const Resp* x : {&back, &other, &missing, &twice, &wrong, &anon, &bad})
    EXPECT_NE(std::find(codes.begin(), codes.end(), x->json["code"]), codes.end()) << x->json["code"];
}

// The audit log's readers see who acted by name, not as "account N".
TEST_P(Api, AuditNamesTheAccounts) {
  std::string challenge = "/api/v1/challenges/" + Str(c1_);
  ASSERT_EQ(As(kOfficer, "PATCH", challenge, {{"title", "Eenzaamheid in Zuilen en Ondiep"}}).status, 200);
  std::string name = As(kOfficer, "GET", "/api/v1/auth/me").json.value("display_name", "");
  ASSERT_FALSE(name.empty());
  Resp log = As(kOfficer, "GET", "/api/v1/audit?entity=challenge&id=" + Str(c1_));
  ASSERT_EQ(log.status, 200) << log.body;
  const Json& last = log.json["items"].back();
  EXPECT_EQ(last["user"], users_[kOfficer].value());
  EXPECT_EQ(last.value("user_name", ""), name) << last.dump();
}

TEST_P(Api, OneBallotPerResidentPerRound) {
  RoundId r = MakeRound();
  std::string base = "/api/v1/rounds/" + Str(r);
  Json ballot1 = {
      {"entries", Json::array({{{"project_id", "p1"}, {"points", 1}}, {{"project_id", "p2"}, {"points", 1}}})}};
  Json ballot2 = {{"entries", Json::array({{{"project_id", "p3"}, {"points", 1}}})}};
  Resp early = As(kResident, "PUT", base + "/ballot", ballot1);
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.json.value("detail", "").find("not open yet"), std::string::npos);
  // The officer may change projects before voting, then open it.
  EXPECT_EQ(As(kOfficer, "PATCH", base, {{"max_length", 2}}).status, 200);
  ASSERT_EQ(As(kOfficer, "POST", base + "/phase", {{"phase", "voting"}}).status, 200);
  EXPECT_EQ(As(kOfficer, "PATCH", base, {{"budget_eur", 1}}).status, 409);
  EXPECT_EQ(As(kOfficer, "POST", base + "/phase", {{"phase", "review"}}).status, 409);  // forward only
  EXPECT_EQ(As(kResident, "PUT", base + "/ballot", ballot1).status, 200);
  EXPECT_EQ(As(kResident, "GET", base + "/ballot").json["entries"].size(), 2u);
  // A second ballot replaces the first.
  EXPECT_EQ(As(kResident, "PUT", base + "/ballot", ballot2).status, 200);
  Resp mine = As(kResident, "GET", base + "/ballot");
  ASSERT_EQ(mine.json["entries"].size(), 1u);
  EXPECT_EQ(mine.json["entries"][0]["project_id"], "p3");
  Status counted = service::testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
    auto ballots = s.BallotsOf(r);
    EXPECT_TRUE(ballots.ok());
    EXPECT_EQ(ballots->size(), 1u);
    return Status::Ok();
  });
  EXPECT_TRUE(counted.ok());
  // Invalid ballots name the field.
  Resp unknown =
      As(kResident, "PUT", base + "/ballot", {{"entries", Json::array({{{"project_id", "p9"}, {"points", 1}}})}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json.value("field", ""), "ballot.entries");
  // Residents of another municipality may not vote here.
  std::string other_token;
  AddUser("elders@test.nl", {{UserId(), domain::Role::kResident, m2_, {}}}, &other_token);
  EXPECT_EQ(Send("PUT", base + "/ballot", ballot2, other_token).status, 403);
  // Once voting has closed, a ballot is refused.
  ASSERT_EQ(As(kOfficer, "POST", base + "/phase", {{"phase", "allocation"}}).status, 200);
  Resp late = As(kResident, "PUT", base + "/ballot", ballot1);
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(late.json.value("detail", "").find("closed"), std::string::npos);
  EXPECT_EQ(As(kResident, "GET", base + "/ballot").json["entries"][0]["project_id"], "p3");
}

TEST_P(Api, ExperimentsWithMeasurements) {
  // Only a funded proposal becomes an experiment.
  ProposalId draft = MakeProposal();
  Resp early = As(kOfficer, "POST", "/api/v1/experiments", {{"proposal", draft.value()}, {"hypotheses", {"Te vroeg"}}});
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.json.value("field", ""), "proposal.status");
  ProposalId prop = MakeFundedProposal();
  Resp e = As(
      kOfficer, "POST", "/api/v1/experiments",
      {{"proposal", prop.value()},
       {"hypotheses", {"Buurtkamers verminderen eenzaamheid"}},
       {"indicators", Json::array({{{"name", "eenzaamheid"}, {"unit", "%"}, {"baseline", 48}, {"target", 40}}})},
       {"milestones", Json::array({{{"title", "Eerste kamer open"}, {"due", "2027-03-01"}, {"amount_eur", 5000}}})}});
  ASSERT_EQ(e.status, 201) << e.body;
  std::string id = std::to_string(e.json["id"].get<int64_t>());
  Resp got = Send("GET", "/api/v1/experiments/" + id);
  ASSERT_EQ(got.json["indicators"].size(), 1u);
  std::string ind = std::to_string(got.json["indicators"][0]["id"].get<int64_t>());
  Resp m = As(kMember, "POST", "/api/v1/experiments/" + id + "/indicators/" + ind + "/measurements",
              {{"date", "2027-06-01"}, {"value", 44.0}, {"source", "GGD-monitor"}});
  ASSERT_EQ(m.status, 201) << m.body;
  EXPECT_EQ(m.json["indicators"][0]["measurements"][0]["value"], 44.0);
  Resp bad = As(kMember, "POST", "/api/v1/experiments/" + id + "/indicators/" + ind + "/measurements",
                {{"date", "juni"}, {"value", 1}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json.value("field", ""), "measurement.date");
  EXPECT_EQ(As(kMember, "POST", "/api/v1/experiments/" + id + "/indicators/99999/measurements",
               {{"date", "2027-06-01"}, {"value", 1}})
                .status,
            404);
  Resp done =
      As(kOfficer, "PATCH", "/api/v1/experiments/" + id, {{"status", "completed"}, {"outcome", "Eenzaamheid daalde"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["status"], "completed");
  EXPECT_EQ(done.json["indicators"][0]["measurements"].size(), 1u);
  EXPECT_EQ(As(kOfficer, "PATCH", "/api/v1/experiments/" + id, {{"status", "abandoned"}}).status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/experiments").json["items"].size(), 1u);
}

// Evidence with attachments (issue 18, migration 15): a member of the coalition attaches a PDF, PNG
// or JPEG of at most 5 MB, its type read from its bytes; a wrong type or too large a file is a 400
// naming `file.data`; the file is served as a download with its own type and nosniff.
TEST_P(Api, EvidenceCarriesFilesServedAsDownloadsOfTheirOwnType) {
  ProposalId prop = MakeFundedProposal();
  Resp e = As(kOfficer, "POST", "/api/v1/experiments",
              {{"proposal", prop.value()},
               {"hypotheses", {"Buurtkamers verminderen eenzaamheid"}},
               {"milestones", Json::array({{{"title", "Eerste kamer open"}, {"amount_eur", 5000}}})}});
  ASSERT_EQ(e.status, 201) << e.body;
  const std::string x = "/api/v1/experiments/" + std::to_string(e.json["id"].get<int64_t>());
  Resp ev = As(kMember, "POST", x + "/milestones/1/evidence", {{"text", "De kamer is open."}});
  ASSERT_EQ(ev.status, 201) << ev.body;
  const std::string files = x + "/evidence/" + std::to_string(ev.json["id"].get<int64_t>()) + "/files";
  const std::string png_b64 =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  EXPECT_EQ(Send("POST", files, {{"name", "a.png"}, {"data", png_b64}}).status, 401);
  EXPECT_EQ(As(kResident, "POST", files, {{"name", "a.png"}, {"data", png_b64}}).status, 403);
  Resp up = As(kMember, "POST", files, {{"name", "../Opening \"kamer\";\r\n.png"}, {"data", png_b64}});
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(up.json["content_type"], "image/png");
  EXPECT_EQ(up.json["size_bytes"], 70);
  EXPECT_EQ(up.json["name"], "Opening kamer.png") << "no path, quotes, semicolons or line breaks";
  // The type comes from the bytes, not the name: HTML called .pdf, and an SVG, are refused.
  const std::string html_b64 = "PGh0bWw+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjwvaHRtbD4=";  // <html><script>...
  Resp html = As(kMember, "POST", files, {{"name", "verslag.pdf"}, {"data", html_b64}});
  EXPECT_EQ(html.status, 400) << html.body;
  EXPECT_EQ(html.json.value("field", ""), "file.data");
  EXPECT_NE(html.body.find("PDF, PNG or JPEG"), std::string::npos) << html.body;
  Resp notb64 = As(kMember, "POST", files, {{"name", "a.png"}, {"data", "niet*base64"}});
  EXPECT_EQ(notb64.json.value("field", ""), "file.data") << notb64.body;
  EXPECT_EQ(As(kMember, "POST", files, {{"name", "a.png"}}).json.value("field", ""), "file.data");
  // Over 5 MB: refused naming the field (the server takes this route's bodies up to 7 MiB).
  std::string big = "/9j/" + std::string((5 * 1024 * 1024 + 3) / 3 * 4, 'A');
  Resp large = As(kMember, "POST", files, {{"name", "foto.jpg"}, {"data", big}});
  EXPECT_EQ(large.status, 400) << large.body.substr(0, 300);
  EXPECT_EQ(large.json.value("field", ""), "file.data");
  // Listed without bytes; served as a download of its own type.
  Resp list = Send("GET", x + "/files");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["items"].size(), 1u);
  const std::string url = list.json["items"][0]["url"].get<std::string>();
  Resp got = Send("GET", url);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Header("Content-Type"), "image/png");
  EXPECT_EQ(got.Header("X-Content-Type-Options"), "nosniff");
  // (cpp-httplib percent-decodes header values it receives, so the UTF-8 form reads "Opening kamer.png"
  // here; on the wire it is "Opening%20kamer.png")
  EXPECT_EQ(got.Header("Content-Disposition")
                .rfind("attachment; filename=\"Opening kamer.png\"; filename*=UTF-8''Opening", 0),
            0u)
      << got.Header("Content-Disposition");
  EXPECT_EQ(got.body.size(), 70u);
  EXPECT_EQ(got.body.substr(1, 3), "PNG");
  EXPECT_EQ(Send("GET", x + "/files/99999").status, 404);
  // Once decided, the evidence takes no more files.
  Resp decided = As(kOfficer, "POST", x + "/evidence/" + std::to_string(ev.json["id"].get<int64_t>()) + "/decision",
                    {{"decision", "approved"}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  Resp late = As(kMember, "POST", files, {{"name", "a.png"}, {"data", png_b64}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.json.value("field", ""), "evidence.decision");
}

TEST_P(Api, ConcurrentReadsAndWrites) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_keep_alive(true);
      httplib::Headers h = {{"Authorization", "Bearer " + tokens_[kOfficer]}};
      for (int i = 0; i < 15; ++i) {
        if (t % 2 == 0) {
          Json body = {{"name", "Parallel " + std::to_string(t) + "-" + std::to_string(i)},
                       {"kind", "company"},
                       {"municipality", m1_.value()}};
          auto r = c.Post("/api/v1/actors", h, body.dump(), "application/json");
          if (!r || r->status != 201) ++failures;
        } else {
          auto r = c.Get("/api/v1/actors?limit=100&q=parallel");
          if (!r || r->status != 200) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Resp all = Send("GET", "/api/v1/actors?q=parallel&limit=100");
  EXPECT_EQ(all.json["items"].size(), 45u);
}

TEST_P(Api, MatchesOfAChallengeFollowTheData) {
  Resp r = Send("GET", "/api/v1/challenges/" + Str(c1_) + "/matches?limit=3");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(r.json["items"].empty());
  EXPECT_LE(r.json["items"].size(), 3u);
  EXPECT_EQ(r.json["items"][0]["actor"], a1_.value()) << r.body;  // same theme, capability and municipality
  EXPECT_FALSE(r.json["items"][0]["reasons"].empty());
  EXPECT_EQ(Send("GET", "/api/v1/challenges/999999/matches").status, 404);
  EXPECT_EQ(Send("GET", "/api/v1/challenges/" + Str(c1_) + "/matches?limit=1000").json.value("field", ""), "limit");
  // A new actor that fits shows up: the matcher is rebuilt for the new data version.
  Resp made = As(kOfficer, "POST", "/api/v1/actors",
                 {{"name", "Zuilen Samen"},
                  {"kind", "citizens_initiative"},
                  {"municipality", m1_.value()},
                  {"themes", {"eenzaamheid"}},
                  {"capabilities", {"buurtnetwerken"}},
                  {"description", "Eenzaamheid in Zuilen te lijf met buurtnetwerken"}});
  ASSERT_EQ(made.status, 201);
  Resp again = Send("GET", "/api/v1/challenges/" + Str(c1_) + "/matches?limit=10");
  bool found = false;
  for (const auto& m : again.json["items"]) found |= m["actor"] == made.json["id"];
  EXPECT_TRUE(found) << again.body;
}

// What the API creates is what the CLI export (service::Export) shows.
TEST_P(Api, RoundTripApiToExport) {
  Resp a = As(kOfficer, "POST", "/api/v1/actors",
              {{"name", "Coöperatie De Groene Wijk"},
               {"kind", "social_enterprise"},
               {"municipality", m1_.value()},
               {"area", "Overvecht"},
               {"themes", {"Energietransitie"}},
               {"capabilities", {"Zonnepanelen", "buurtnetwerken"}},
               {"description", "Zonnedaken, samen"},
               {"size", 14},
               {"website", "https://groenewijk.example"}});
  ASSERT_EQ(a.status, 201) << a.body;
  Resp t = As(kOfficer, "POST", "/api/v1/actors/" + std::to_string(a.json["id"].get<int64_t>()) + "/ties",
              {{"b", a2_.value()}, {"weight", 2.5}, {"kind", "partnered"}, {"from", "2025-03-01"}});
  ASSERT_EQ(t.status, 201) << t.body;
  Resp c = As(kOfficer, "POST", "/api/v1/challenges",
              {{"municipality", m1_.value()},
               {"title", "Energiearmoede in Overvecht"},
               {"text", "Hoge energierekeningen"},
               {"themes", {"energietransitie"}},
               {"capabilities", Json::array({{{"capability", "Zonnepanelen"}, {"weight", 2}}})},
               {"sector_mix", {{"business", 1}, {"government", 1}}},
               {"budget_eur", 80000},
               {"deadline", "2027-06-30"}});
  ASSERT_EQ(c.status, 201) << c.body;

  std::map<std::string, Json> exported;
  for (const char* kind : {"actors", "ties", "challenges"}) {
    std::string path =
        (dir_.empty() ? std::filesystem::temp_directory_path() / (schema_ + kind) : dir_ / kind).string() + ".json";
    Status s = service::testing::WithStore(*platform_, [&](storage::Store& store) -> Status {
      auto n = service::Export(store, service::ParseEntityKind(kind).value(), path);
      return n.ok() ? Status::Ok() : n.status();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    exported[kind] = Json::parse(ss.str());
    std::filesystem::remove(path);
  }
  auto find = [](const Json& arr, int64_t id) {
    for (const auto& e : arr)
      if (e.value("id", int64_t{0}) == id) return e;
    return Json();
  };
  Json ea = find(exported["actors"], a.json["id"]);
  ASSERT_FALSE(ea.is_null()) << exported["actors"].dump();
  for (const char* f : {"name", "kind", "area", "description", "size", "website", "themes", "capabilities"})
    EXPECT_EQ(ea[f], a.json[f]) << f << ": export " << ea[f] << " vs API " << a.json[f];
  // "municipality" is the municipality's id in the export as in the API (issue 22: one meaning per
  // field name); the export names it by CBS code beside it.
  EXPECT_EQ(ea["municipality"], a.json["municipality"]);
  EXPECT_EQ(ea["municipality_cbs_code"], "GM0344");
  EXPECT_EQ(a.json["themes"], Json::array({"energietransitie"}));
  Json et = find(exported["ties"], t.json["id"]);
  ASSERT_FALSE(et.is_null()) << exported["ties"].dump();
  for (const char* f : {"a", "b", "weight", "kind", "from"}) EXPECT_EQ(et[f], t.json[f]) << f;
  Json ec = find(exported["challenges"], c.json["id"]);
  ASSERT_FALSE(ec.is_null());
  for (const char* f :
       {"title", "text", "themes", "capabilities", "sector_mix", "budget_eur", "deadline", "phase", "created_at"})
    EXPECT_EQ(ec[f], c.json[f]) << f;
  EXPECT_EQ(ec["municipality"], c.json["municipality"]);
  EXPECT_EQ(ec["municipality_cbs_code"], "GM0344");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, Api, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, Api, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
