// Attack tests over real HTTP on loopback (docs/hardening.md): SQL injection in every filter and
// sort parameter of every list route (from the route table), CSRF, session fixation, login brute
// force, reading or changing another municipality's, actor's or user's data by guessing ids,
// oversized and deeply nested bodies, and the security headers on every kind of response. Runs on
// SQLite (Sqlite/, label unit) and PostgreSQL (Postgres/, label pg).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "service/core/testing.h"
#include "storage/store.h"
#include "tests/api_kit.h"
#include "tests/kit/raw_http.h"

namespace weefsel::apitest {
namespace {

class Security : public ApiWorld {
 protected:
  void SetUp() override {
    ApiWorld::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    experiment_ = MakeExperiment();
    proposal_ = MakeProposal();
    coalition_ = MakeCoalition();
    round_ = MakeRound(domain::RoundPhase::kVoting);
  }

  // The route's path with every {param} replaced by the id of a real entity of the world.
  std::string Concrete(const std::string& path) {
    std::string out;
    std::string prev;
    size_t i = 0;
    while (i < path.size()) {
      size_t slash = path.find('/', i);
      std::string seg = path.substr(i, slash == std::string::npos ? std::string::npos : slash - i);
      if (!seg.empty() && seg.front() == '{') {
        int64_t id = 1;
        if (prev == "actors") id = a1_.value();
        if (prev == "challenges") id = c1_.value();
        if (prev == "municipalities") id = m1_.value();
        if (prev == "proposals") id = proposal_.value();
        if (prev == "coalitions") id = coalition_.value();
        if (prev == "rounds") id = round_.value();
        if (prev == "experiments") id = experiment_.value();
        if (prev == "users") id = users_[kAdmin].value();
        seg = std::to_string(id);
      }
      out += seg;
      prev = seg;
      if (slash == std::string::npos) break;
      out += "/";
      i = slash + 1;
    }
    return out;
  }

  std::string CountsNow() {
    std::string out;
    Status s = service::testing::WithStore(*platform_, [&](storage::Store& st) -> Status {
      auto c = st.Count();
      if (!c.ok()) return c.status();
      out = std::to_string(c->municipalities) + "/" + std::to_string(c->actors) + "/" + std::to_string(c->ties) + "/" +
            std::to_string(c->challenges) + "/" + std::to_string(c->coalitions) + "/" + std::to_string(c->proposals) +
            "/" + std::to_string(c->rounds) + "/" + std::to_string(c->ballots) + "/" + std::to_string(c->experiments) +
            "/" + std::to_string(c->users);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  Resp Login(const std::string& email, const std::string& password, httplib::Headers extra = {}) {
    return Send("POST", "/api/v1/auth/login", {{"email", email}, {"password", password}}, "", std::move(extra));
  }

  ExperimentId experiment_;
  ProposalId proposal_;
  CoalitionId coalition_;
  RoundId round_;
};

using testkit::RawRequest;

std::string CookieOf(const Resp& r) {
  std::string c = r.Header("Set-Cookie");
  return c.substr(0, c.find(';'));
}

// Classic and dialect-specific injection strings, LIKE wildcards, and bytes a database refuses.
const std::vector<std::string> kInjections = {
    "' OR '1'='1",
    "' OR 1=1 --",
    "1 OR 1=1",
    "1; DROP TABLE actors; --",
    "'); DROP TABLE users; --",
    "\" OR \"\"=\"",
    "name; DELETE FROM users",
    "name,(SELECT password_hash FROM users)",
    "-name, id; UPDATE users SET email='x'",
    "(CASE WHEN (SELECT 1)=1 THEN name ELSE id END)",
    "1 UNION SELECT email, password_hash FROM users --",
    "name COLLATE \"C\"",
    "%",
    "_",
    "\\",
    "%' OR '%'='",
    "id` DESC; --",
    std::string("abc\0def", 7),
    "\xC3\x28",          // invalid UTF-8
    "\xF0\x9F\x92\xA9",  // a 4-byte character
    std::string(300, '\''),
};

TEST_P(Security, SqlInjectionInEveryFilterAndSortParameterOfEveryListRoute) {
  const std::string counts_before = CountsNow();
  int probes = 0;
  std::set<std::string> params_seen;
  for (const auto& route : api_->routes()) {
    if (route.method != "GET" || route.query.empty()) continue;
    std::string path = Concrete(route.path);
    for (const auto& param : route.query) {
      params_seen.insert(param);
      for (const auto& payload : kInjections) {
        for (int role : {kAnon, kAdmin}) {
          std::string url = path + "?" + param + "=" + httplib::detail::encode_query_param(payload);
          Resp r = Send("GET", url, nullptr, tokens_[role]);
          ++probes;
          std::string where = route.path + " ?" + param + "=" + payload + " as " + kRoleNames[role];
          ASSERT_NE(r.status, 0) << where;
          EXPECT_LT(r.status, 500) << where << ": " << r.body;
          EXPECT_EQ(r.body.find("$argon2id$"), std::string::npos) << where;
          // No database error leaks out (an error may echo the caller's own input, which is fine).
          for (const char* leak : {"syntax error", "SQLITE", "sqlite3", "pqxx", "ERROR:  ", "no such column"})
            EXPECT_EQ(r.body.find(leak), std::string::npos) << where << ": " << r.body;
          if (r.status >= 400 && r.status < 500 && r.status != 401 && r.status != 403) {
            EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << where;
            // The problem names a parameter of the route (this one, or a required one that is missing).
            std::string field = r.json.value("field", "");
            EXPECT_TRUE(std::find(route.query.begin(), route.query.end(), field) != route.query.end())
                << where << ": " << r.body;
          }
          if (param == "sort" || param == "limit" || param == "offset" || param == "municipality") {
            // Closed vocabularies and numbers: every injection string is refused, naming the parameter.
            if (r.status != 401 && r.status != 403) {
              EXPECT_EQ(r.status, 400) << where << ": " << r.body;
            }
          }
          // Invalid UTF-8 is refused before it reaches a filter, naming the parameter.
          if (payload == "\xC3\x28" && r.status != 401 && r.status != 403) {
            EXPECT_EQ(r.status, 400) << where << ": " << r.body;
            EXPECT_EQ(r.json.value("field", ""), param) << where << ": " << r.body;
          }
          if (param == "q" && r.status == 200 && r.json.contains("items")) {
            // A search string is data: nothing in the world has these characters in its name.
            EXPECT_TRUE(r.json["items"].empty()) << where << ": " << r.body.substr(0, 300);
          }
        }
      }
    }
  }
  EXPECT_GT(probes, 200);
  for (const char* p : {"q", "sort", "municipality", "limit", "offset"}) EXPECT_TRUE(params_seen.count(p)) << p;
  // Nothing was written, nothing was dropped; the server still logs people in.
  EXPECT_EQ(CountsNow(), counts_before);
  EXPECT_EQ(Login("resident@test.nl", kPassword).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/actors?limit=100").json["items"].size(), 3u);
}

TEST_P(Security, InjectionStringsInTextFieldsAndPathsAreData) {
  const std::string evil = "Robert'); DROP TABLE actors; -- \" OR 1=1 %_\\";
  Resp made = As(kOfficer, "POST", "/api/v1/actors",
                 {{"name", evil}, {"kind", "company"}, {"municipality", m1_.value()}, {"description", evil}});
  ASSERT_EQ(made.status, 201) << made.body;
  Resp back = Send("GET", "/api/v1/actors/" + std::to_string(made.json["id"].get<int64_t>()));
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.json["name"], evil);
  EXPECT_EQ(back.json["description"], evil);
  // The search finds it by its literal characters, and the wildcard characters match only themselves.
  Resp found = Send("GET", "/api/v1/actors?q=" + httplib::detail::encode_query_param("%_\\"));
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(found.json["items"].size(), 1u) << found.body;
  EXPECT_EQ(found.json["items"][0]["name"], evil);
  // Ids in paths are numbers, nothing else.
  for (const std::string p :
       {"1%20OR%201=1", "1;DROP%20TABLE%20actors", "1'", "-1", "0x1", "1e3", "99999999999999999999"})
    EXPECT_EQ(Send("GET", "/api/v1/actors/" + p).status, 404) << p;
  EXPECT_EQ(Send("GET", "/api/v1/actors?limit=100").json["items"].size(), 4u);
}

TEST_P(Security, CookieWritesNeedTheSessionsCsrfToken) {
  Resp officer = Login("officer@test.nl", kPassword);
  ASSERT_EQ(officer.status, 200);
  Resp resident = Login("resident@test.nl", kPassword);
  ASSERT_EQ(resident.status, 200);
  std::string cookie = CookieOf(officer);
  std::string csrf = officer.json["csrf_token"];
  std::string other_csrf = resident.json["csrf_token"];
  const std::string counts = CountsNow();
  Json challenge = {{"municipality", m1_.value()}, {"title", "Hittestress"}, {"text", "Te warm"}};
  struct Attempt {
    std::string method, path;
    Json body;
  };
  std::vector<Attempt> writes = {
      {"POST", "/api/v1/challenges", challenge},
      {"PATCH", "/api/v1/challenges/" + Str(c1_), {{"title", "Overgenomen"}}},
      {"DELETE", "/api/v1/actors/" + Str(a2_), nullptr},
      {"POST", "/api/v1/proposals/" + Str(proposal_) + "/comments", {{"text", "via CSRF"}}},
      {"POST", "/api/v1/auth/tokens", {{"name", "stolen"}}},
  };
  for (const auto& w : writes) {
    for (const httplib::Headers& h : std::vector<httplib::Headers>{
             {{"Cookie", cookie}},
             {{"Cookie", cookie}, {"X-CSRF-Token", ""}},
             {{"Cookie", cookie}, {"X-CSRF-Token", other_csrf}},  // another session's token
             {{"Cookie", cookie}, {"X-CSRF-Token", csrf.substr(0, 63)}},
             {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "0"}},
         }) {
      Resp r = Send(w.method, w.path, w.body, "", h);
      EXPECT_EQ(r.status, 403) << w.method << " " << w.path << ": " << r.body;
    }
    // A cross-site form post cannot even send JSON.
    Resp form = SendRaw(w.method, w.path, "title=x", "", {{"Cookie", cookie}}, "application/x-www-form-urlencoded");
    EXPECT_GE(form.status, 400) << w.method << " " << w.path;
    EXPECT_LT(form.status, 500) << w.method << " " << w.path;
  }
  EXPECT_EQ(CountsNow(), counts);
  EXPECT_EQ(Send("GET", "/api/v1/challenges/" + Str(c1_)).json["title"], "Eenzaamheid in Zuilen");
  // With the token the same write goes through.
  EXPECT_EQ(Send("POST", "/api/v1/challenges", challenge, "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status,
            201);
}

TEST_P(Security, LoginDoesNotAdoptASessionIdGivenBeforeIt) {
  // An attacker plants a session id of their choosing; the victim logs in with it in the browser.
  const std::string planted = std::string(64, 'a');
  Resp login = Login("officer@test.nl", kPassword, {{"Cookie", "weefsel_session=" + planted}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string issued = CookieOf(login);
  EXPECT_EQ(issued.find(planted), std::string::npos) << issued;
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", "weefsel_session=" + planted}}).status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", issued}}).json["email"], "officer@test.nl");

  // An attacker with a real (low-privilege) session of their own hands it to the victim: logging in
  // gives the victim a new session, and the attacker's stays the attacker's.
  Resp attacker = Login("resident@test.nl", kPassword);
  std::string attacker_cookie = CookieOf(attacker);
  Resp refused = Login("officer@test.nl", kPassword, {{"Cookie", attacker_cookie}});
  // A login that carries a live session cookie is a write of that session: without its CSRF token it
  // is refused; with it, the victim gets a new session of their own.
  EXPECT_EQ(refused.status, 403) << refused.body;
  Resp victim = Login("officer@test.nl", kPassword,
                      {{"Cookie", attacker_cookie}, {"X-CSRF-Token", attacker.json["csrf_token"].get<std::string>()}});
  ASSERT_EQ(victim.status, 200) << victim.body;
  EXPECT_NE(CookieOf(victim), attacker_cookie);
  Resp me = Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", attacker_cookie}});
  EXPECT_EQ(me.json.value("email", ""), "resident@test.nl") << me.body;
  // Session ids are long and random: two logins never share one.
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.insert(CookieOf(Login("member@test.nl", kPassword)));
  EXPECT_EQ(ids.size(), 5u);
  for (const auto& id : ids) EXPECT_GE(id.size(), std::string("weefsel_session=").size() + 32) << id;
  // After logout the id is dead on the server, not only in the browser.
  std::string csrf = victim.json["csrf_token"];
  EXPECT_EQ(
      Send("POST", "/api/v1/auth/logout", nullptr, "", {{"Cookie", CookieOf(victim)}, {"X-CSRF-Token", csrf}}).status,
      204);
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", CookieOf(victim)}}).status, 401);
}

TEST_P(Security, LoginBruteForceIsStopped) {
  // Case and whitespace variants of the e-mail address count against the same account.
  int refused = 0;
  const std::vector<std::string> variants = {"member@test.nl",  "MEMBER@test.nl", "Member@Test.NL", " member@test.nl",
                                             "member@test.nl ", "member@TEST.nl", "mEmber@test.nl"};
  for (const auto& v : variants) {
    int s = Login(v, "guess").status;
    EXPECT_TRUE(s == 401 || s == 429 || s == 400) << v << ": " << s;
    refused += s == 429;
  }
  EXPECT_GE(refused, 1);
  Resp locked = Login("member@test.nl", kPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.Header("Content-Type"), "application/problem+json");
  // A forged X-Forwarded-For does not buy an attacker a fresh address.
  for (int i = 0; i < 25; ++i)
    Login("nobody" + std::to_string(i) + "@test.nl", "guess",
          {{"X-Forwarded-For", "10.0.0." + std::to_string(i)}, {"X-Real-IP", "10.1.0." + std::to_string(i)}});
  EXPECT_EQ(Login("resident@test.nl", kPassword, {{"X-Forwarded-For", "192.0.2.1"}}).status, 429);
  // The refusal does not tell an attacker whether the account exists.
  clock_.Advance(std::chrono::minutes(16));
  Resp unknown = Login("nobody-at-all@test.nl", "guess");
  Resp known = Login("officer@test.nl", "guess");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(known.status, 401);
  EXPECT_EQ(unknown.json.value("detail", "a"), known.json.value("detail", "b"));
}

TEST_P(Security, GuessingIdsDoesNotReachOtherPeoplesData) {
  const std::string counts = CountsNow();
  // Another municipality's officer cannot change Utrecht's challenge, round or phase.
  EXPECT_EQ(As(kOtherOfficer, "PATCH", "/api/v1/challenges/" + Str(c1_), {{"title", "Overgenomen"}}).status, 403);
  EXPECT_EQ(As(kOtherOfficer, "POST", "/api/v1/challenges",
               {{"municipality", m1_.value()}, {"title", "Namens Utrecht"}, {"text", "x"}})
                .status,
            403);
  EXPECT_EQ(As(kOtherOfficer, "POST", "/api/v1/rounds/" + Str(round_) + "/phase", {{"phase", "published"}}).status,
            403);
  // A member of one actor cannot edit, delete or tie another actor.
  EXPECT_EQ(As(kMember, "PATCH", "/api/v1/actors/" + Str(a2_), {{"name", "Overgenomen"}}).status, 403);
  EXPECT_EQ(As(kMember, "DELETE", "/api/v1/actors/" + Str(a3_)).status, 403);
  EXPECT_EQ(As(kMember, "POST", "/api/v1/actors/" + Str(a3_) + "/ties", {{"b", a2_.value()}}).status, 403);
  // A resident cannot grant themself a role, nor vote in another municipality's round by its id.
  EXPECT_EQ(
      As(kResident, "POST", "/api/v1/users/" + Str(users_[kResident]) + "/grants", {{"role", "platform_admin"}}).status,
      403);
  EXPECT_EQ(As(kResident, "POST", "/api/v1/users/" + Str(users_[kResident]) + "/grants",
               {{"role", "officer"}, {"municipality", m1_.value()}})
                .status,
            403);
  EXPECT_EQ(CountsNow(), counts);
  EXPECT_EQ(Send("GET", "/api/v1/challenges/" + Str(c1_)).json["title"], "Eenzaamheid in Zuilen");

  // Users' private data (e-mail addresses): walk the ids; only one's own record is readable.
  const std::vector<std::string> emails = {"admin@test.nl", "resident@test.nl", "member@test.nl", "officer@test.nl",
                                           "other@test.nl"};
  for (int role : {kAnon, kResident, kMember, kOtherOfficer}) {
    for (int id = 1; id <= 12; ++id) {
      Resp r = Send("GET", "/api/v1/users/" + std::to_string(id), nullptr, tokens_[role]);
      bool own = role != kAnon && id == users_[role].value();
      if (own) {
        EXPECT_EQ(r.status, 200) << kRoleNames[role] << " " << id;
      } else {
        EXPECT_TRUE(r.status == 401 || r.status == 403 || r.status == 404)
            << kRoleNames[role] << " " << id << ": " << r.status;
      }
    }
    // No GET route shows anyone else's e-mail address to this role.
    for (const auto& route : api_->routes()) {
      if (route.method != "GET") continue;
      Resp r = Send("GET", Concrete(route.path), nullptr, tokens_[role]);
      if (r.status != 200) continue;
      for (int owner = kResident; owner < kRoleCount; ++owner) {
        if (owner == role) continue;
        std::string email = emails[owner == kAdmin ? 0 : owner];
        EXPECT_EQ(r.body.find(email), std::string::npos)
            << route.path << " shows " << email << " to " << kRoleNames[role];
      }
    }
  }
  // A resident's ballot is theirs: another resident reading "the ballot" of the round sees their own (none).
  EXPECT_EQ(As(kResident, "PUT", "/api/v1/rounds/" + Str(round_) + "/ballot",
               {{"entries", {{{"project_id", "p1"}, {"points", 1}}}}})
                .status,
            200);
  std::string token2;
  AddUser("buur@test.nl", {{UserId(), domain::Role::kResident, m1_, {}}}, &token2);
  Resp theirs = Send("GET", "/api/v1/rounds/" + Str(round_) + "/ballot", nullptr, token2);
  EXPECT_EQ(theirs.status, 404) << theirs.body;
}

TEST_P(Security, OversizedAndDeeplyNestedBodiesGetAClear4xx) {
  struct Case {
    std::string what, body;
    int status;
  };
  std::string deep_array = std::string(60000, '[') + std::string(60000, ']');
  std::string deep_object;
  for (int i = 0; i < 5000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(5000, '}');
  std::string many_keys = "{";
  for (int i = 0; i < 5000; ++i) many_keys += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":1";
  many_keys += "}";
  std::string long_list = R"({"name":"X","kind":"company","themes":[)";
  for (int i = 0; i < 5000; ++i) long_list += (i ? "," : "") + std::string("\"zorg\"");
  long_list += "]}";
  std::vector<Case> cases = {
      {"just over the limit", "{\"name\":\"" + std::string(64 * 1024, 'x') + "\"}", 413},
      {"60,000 nested arrays", deep_array, 400},
      {"5,000 nested objects", deep_object, 400},
      {"5,000 unknown keys", many_keys, 400},
      {"5,000 list items", long_list, 400},
      {"huge number", R"({"name":"X","kind":"company","municipality":1e999})", 400},
      {"number overflow", R"({"name":"X","kind":"company","municipality":99999999999999999999999})", 400},
      {"invalid UTF-8", "{\"name\":\"\xC3\x28\",\"kind\":\"company\"}", 400},
      {"NUL in a string", std::string("{\"name\":\"a\\u0000b\",\"kind\":\"company\"}"), 400},
      {"truncated", R"({"name":"X","kind":)", 400},
      {"empty", "", 400},
  };
  const std::string counts = CountsNow();
  for (const auto& c : cases) {
    Resp r = SendRaw("POST", "/api/v1/actors", c.body, tokens_[kOfficer]);
    EXPECT_GE(r.status, 400) << c.what << ": " << r.body.substr(0, 200);
    EXPECT_LT(r.status, 500) << c.what << ": " << r.body.substr(0, 200);
    if (c.status == 413) {
      EXPECT_EQ(r.status, 413) << c.what;
    }
    if (r.status != 0) {
      EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << c.what;
    }
  }
  // A 2 MiB body is refused from its Content-Length, before the server reads it.
  std::string head = RawRequest(
      server_->port(), "POST /api/v1/actors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tokens_[kOfficer] +
                           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(2 << 20) +
                           "\r\n\r\n" + std::string(2 << 20, ' '));
  EXPECT_EQ(head.substr(0, 12), "HTTP/1.1 413") << head;
  EXPECT_NE(head.find("application/problem+json"), std::string::npos) << head;
  EXPECT_EQ(CountsNow(), counts);
  // The server is still there.
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
  // A long URL and many headers are refused cleanly too.
  EXPECT_EQ(Send("GET", "/api/v1/actors?q=" + std::string(20000, 'a')).status / 100, 4);
  httplib::Headers many;
  for (int i = 0; i < 200; ++i) many.emplace("X-Junk-" + std::to_string(i), std::string(100, 'j'));
  Resp h = Send("GET", "/api/v1/actors", nullptr, "", many);
  EXPECT_TRUE(h.status == 200 || h.status / 100 == 4) << h.status;
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
}

TEST_P(Security, SecurityHeadersOnEveryKindOfResponse) {
  std::vector<std::pair<std::string, Resp>> answers = {
      {"health", Send("GET", "/healthz")},
      {"cached list", Send("GET", "/api/v1/actors")},
      {"private read", As(kAdmin, "GET", "/api/v1/users/" + Str(users_[kAdmin]))},
      {"write", As(kOfficer, "POST", "/api/v1/challenges",
                   {{"municipality", m1_.value()}, {"title", "Hittestress"}, {"text", "Te warm"}})},
      {"problem 404", Send("GET", "/api/v1/nothing")},
      {"problem 401", Send("GET", "/api/v1/auth/me")},
      {"405", Send("DELETE", "/api/v1/challenges")},
      {"413", SendRaw("POST", "/api/v1/actors", std::string(100 * 1024, ' '), tokens_[kOfficer])},
      {"openapi", Send("GET", "/api/v1/openapi.json")},
      {"web UI", Send("GET", "/")},
      {"web UI route", Send("GET", "/challenges/1")},
  };
  for (const auto& [what, r] : answers) {
    ASSERT_NE(r.status, 0) << what;
    std::string csp = r.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << what << ": " << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << csp;
    EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << what << ": " << csp;
    // Scripts only from the server itself: no inline script, no eval.
    auto script = csp.find("script-src ");
    ASSERT_NE(script, std::string::npos) << what << ": " << csp;
    std::string script_src = csp.substr(script, csp.find(';', script) - script);
    EXPECT_EQ(script_src.find("unsafe-inline"), std::string::npos) << script_src;
    EXPECT_EQ(script_src.find("unsafe-eval"), std::string::npos) << script_src;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY") << what;
    std::string rp = r.Header("Referrer-Policy");
    EXPECT_TRUE(rp == "same-origin" || rp == "strict-origin-when-cross-origin") << what << ": " << rp;
    EXPECT_EQ(r.headers.count("Content-Security-Policy"), 1u) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, Security, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, Security, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
