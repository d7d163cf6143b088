// Two `weefsel serve` processes on one PostgreSQL database, as behind a load balancer (issue 16,
// item 1): a write through one is visible through the other within a second, also where the other
// had the answer in its cache; a session made through one is valid on the other; and with the
// deployment's secret (WEEFSEL_VOTE_KEY) a registration challenge handed out by one is accepted by
// the other. Label pg (needs WEEFSEL_TEST_PG_URL: run through scripts/with-postgres).
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "service/accounts.h"
#include "tests/kit/shared_data.h"
#include "tests/serve_process.h"

namespace {

using Json = nlohmann::json;
using weefsel::testkit::ServeProcess;
using Clock = std::chrono::steady_clock;

// Runs the weefsel binary with `args` (each quoted for the shell); returns its exit status and
// its output in `out`.
int Weefsel(const std::vector<std::string>& args, std::string* out) {
  std::string cmd = WEEFSEL_BIN;
  for (const auto& a : args) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += " " + q + "'";
  }
  cmd += " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A schema of its own in the test database, dropped at the end.
class Schema {
 public:
  explicit Schema(std::string base) : base_(std::move(base)) {
    name_ = "two_servers_" + std::to_string(getpid()) + "_" +
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000000);
    pqxx::connection c(base_);
    pqxx::nontransaction w(c);
    w.exec("CREATE SCHEMA " + name_);
  }
  ~Schema() {
    try {
      pqxx::connection c(base_);
      pqxx::nontransaction w(c);
      w.exec("DROP SCHEMA " + name_ + " CASCADE");
    } catch (const std::exception&) {  // the test database is thrown away by scripts/with-postgres anyway
    }
  }
  std::string Url() const {
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_;
  }

 private:
  std::string base_, name_;
};

TEST(TwoServers, AWriteThroughOneIsSeenThroughTheOtherWithinASecond) {
  const char* base = std::getenv("WEEFSEL_TEST_PG_URL");
  if (!base || !*base) {
    if (weefsel::testkit::UnderCi())
      FAIL() << "WEEFSEL_TEST_PG_URL is not set under CI (run through scripts/with-postgres)";
    GTEST_SKIP() << "WEEFSEL_TEST_PG_URL not set; run the pg tests through scripts/with-postgres";
  }
  Schema schema(base);
  const std::string db = schema.Url();
  std::string out;
  ASSERT_EQ(
      Weefsel({"demo", "--db", db, "--actors", "120", "--municipalities", "1", "--challenges", "1", "--no-programme"},
              &out),
      0)
      << out;
  const std::string email = "beheer@twee-servers.nl", password = "twee-servers-een-database";
  ASSERT_EQ(Weefsel({"user", "add", "--db", db, "--email", email, "--name", "Beheer", "--password", password, "--role",
                     "platform_admin"},
                    &out),
            0)
      << out;

  setenv("WEEFSEL_VOTE_KEY", "het gedeelde geheim van deze test", 1);  // inherited by both servers
  ServeProcess a, b;
  std::string error;
  const std::vector<std::string> options = {"--register-pow-bits", "8", "--readers", "2"};
  ASSERT_TRUE(a.Start(db, &error, options)) << error;
  ASSERT_TRUE(b.Start(db, &error, options)) << error;
  httplib::Client to_a("127.0.0.1", a.port()), to_b("127.0.0.1", b.port());

  // Signed in through A; the session is valid on B.
  auto login =
      to_a.Post("/api/v1/auth/login", Json{{"email", email}, {"password", password}}.dump(), "application/json");
  ASSERT_TRUE(login) << "no answer from server A";
  ASSERT_EQ(login->status, 200) << login->body;
  std::string cookie = login->get_header_value("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  const std::string csrf = Json::parse(login->body).value("csrf_token", "");
  const httplib::Headers signed_in = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  auto me = to_b.Get("/api/v1/auth/me", signed_in);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << "a session made through A is unknown to B: " << me->body;

  // B reads a challenge twice (the second answer from its cache), then A changes it.
  auto title_on_b = [&]() {
    auto r = to_b.Get("/api/v1/challenges/1");
    return r && r->status == 200 ? Json::parse(r->body).value("title", "") : std::string("(no answer)");
  };
  const std::string before = title_on_b();
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(title_on_b(), before);
  const std::string changed = "Eenzaamheid onder ouderen, aangepast via server A";
  auto patched = to_a.Patch("/api/v1/challenges/1", signed_in, Json{{"title", changed}}.dump(), "application/json");
  ASSERT_TRUE(patched);
  ASSERT_EQ(patched->status, 200) << patched->body;
  const auto written = Clock::now();
  std::string seen = title_on_b();
  while (seen != changed && Clock::now() - written < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = title_on_b();
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - written).count();
  ASSERT_EQ(seen, changed) << "B still answers the old title 5 s after the write through A";
  EXPECT_LT(ms, 1000) << "B saw the write through A only after " << ms << " ms";
  std::printf("write through A visible through B after %lld ms\n", static_cast<long long>(ms));

  // A registration challenge from A is accepted by B (both derive its key from WEEFSEL_VOTE_KEY).
  auto ch = to_a.Get("/api/v1/auth/register/challenge");
  ASSERT_TRUE(ch);
  ASSERT_EQ(ch->status, 200) << ch->body;
  Json challenge = Json::parse(ch->body);
  Json body = {
      {"email", "nieuw@twee-servers.nl"},
      {"display_name", "Nieuwe bewoner"},
      {"password", "stem-veilig-in-de-stad"},
      {"municipality", 1},
      {"pow_challenge", challenge["challenge"]},
      {"pow_nonce", weefsel::service::SolveProofOfWork(challenge.value("salt", ""), challenge.value("bits", 0))}};
  auto made = to_b.Post("/api/v1/auth/register", body.dump(), "application/json");
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 201) << "B refused A's registration challenge: " << made->body;
  unsetenv("WEEFSEL_VOTE_KEY");
}

}  // namespace
