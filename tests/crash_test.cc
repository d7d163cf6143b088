// Crash safety (docs/hardening.md): a write load (ballots, comments, ties) against a real
// `weefsel serve` process, killed with SIGKILL at random moments, at least 20 times, and
// restarted. After every kill the database passes its integrity check and after every restart
// every write that got a 2xx answer is there, and every ballot is the last acknowledged one or the
// one in flight at the kill. On SQLite (Sqlite/, label slow) the check is PRAGMA integrity_check;
// on PostgreSQL (Postgres/, label pg; a fresh schema in WEEFSEL_TEST_PG_URL) it is amcheck's
// bt_index_check with heapallindexed on every index of the schema (every row reachable through
// every index, every index ordered) plus the foreign keys re-validated.
// The seed of the kill times is printed (WEEFSEL_CRASH_SEED repeats a run).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "service/platform.h"
#include "storage/store.h"
#include "tests/api_kit.h"

#ifndef WEEFSEL_BIN
#error "WEEFSEL_BIN must name the weefsel binary"
#endif

namespace weefsel {
namespace {

using Json = nlohmann::json;
using apitest::Backend;
constexpr const char* kPassword = "crash test password";
constexpr int kKills = 22;
constexpr int kResidents = 12;
constexpr int kActors = 120;

struct Server {
  pid_t pid = -1;
  int port = 0;
};

// Starts `weefsel serve` on a free port and waits until /readyz answers.
Server Start(const std::string& db, const std::filesystem::path& dir, int n) {
  std::string out = (dir / ("serve-" + std::to_string(n) + ".out")).string();
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(WEEFSEL_BIN, WEEFSEL_BIN, "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0", "--threads", "16",
          "--no-access-log", static_cast<char*>(nullptr));
    _exit(127);
  }
  Server s{pid, 0};
  for (int i = 0; i < 600 && s.port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto at = text.find("http://127.0.0.1:");
    if (at != std::string::npos) s.port = std::atoi(text.c_str() + at + 17);
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      ADD_FAILURE() << "weefsel serve exited: " << text;
      return {-1, 0};
    }
  }
  if (s.port == 0) ADD_FAILURE() << "weefsel serve did not print its address";
  return s;
}

void Kill(Server& s) {
  if (s.pid <= 0) return;
  kill(s.pid, SIGKILL);
  int status = 0;
  waitpid(s.pid, &status, 0);
  s.pid = -1;
}

struct Login {
  std::string cookie, csrf;
};

Login LogIn(httplib::Client& c, const std::string& email) {
  Json body = {{"email", email}, {"password", kPassword}};
  auto r = c.Post("/api/v1/auth/login", body.dump(), "application/json");
  if (!r || r->status != 200) {
    ADD_FAILURE() << "login " << email << ": " << (r ? r->body : httplib::to_string(r.error()));
    return {};
  }
  std::string set = r->get_header_value("Set-Cookie");
  return {set.substr(0, set.find(';')), Json::parse(r->body)["csrf_token"]};
}

// What the writers had acknowledged, and what was in flight when the server died.
struct Ledger {
  std::mutex mu;
  std::set<std::string> comments;                         // acknowledged comment texts
  std::set<std::pair<int64_t, int64_t>> ties;             // acknowledged ties (a < b)
  std::map<int, std::string> ballot_acked;                // resident -> project of the last acknowledged ballot
  std::map<int, std::set<std::string>> ballot_in_flight;  // resident -> ballots sent but never answered
  std::set<std::pair<int64_t, int64_t>> tie_pairs_used;
  int64_t acked = 0, failed = 0;
};

class CrashSafety : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("weefsel-crash-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "weefsel.db").string();
    if (GetParam() == Backend::kPostgres) {
      const char* base = std::getenv("WEEFSEL_TEST_PG_URL");
      if (!base || !*base) {
        if (testkit::UnderCi()) FAIL() << "WEEFSEL_TEST_PG_URL is not set under CI (run through scripts/with-postgres)";
        GTEST_SKIP() << "WEEFSEL_TEST_PG_URL not set; run the pg tests through scripts/with-postgres";
      }
      pg_base_ = base;
      schema_ = "crash" + apitest::UniqueName();
      try {
        pqxx::connection c(pg_base_);
        pqxx::nontransaction w(c);
        w.exec("CREATE SCHEMA " + schema_);
        w.exec("CREATE EXTENSION IF NOT EXISTS amcheck");
      } catch (const std::exception& e) {
        FAIL() << "cannot prepare " << pg_base_ << ": " << e.what();
      }
      db_ = pg_base_ + (pg_base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    }
    auto store = storage::Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    service::PlatformOptions po;
    po.password_cost = service::PasswordCost::Minimum();
    service::Platform p(std::move(store).value(), po);
    UserId admin_id(1 << 30);
    service::Principal root{admin_id, "admin@crash.nl", "admin", {{admin_id, domain::Role::kPlatformAdmin, {}, {}}}};
    domain::User admin;
    admin.email = "admin@crash.nl";
    admin.display_name = "admin";
    auto made_admin = p.CreateUser(root, admin, kPassword, {{UserId(), domain::Role::kPlatformAdmin, {}, {}}});
    ASSERT_TRUE(made_admin.ok()) << made_admin.status().ToString();
    root.user = made_admin->id;
    domain::Municipality m;
    m.cbs_code = "GM0344";
    m.name = "Utrecht";
    m.province = "Utrecht";
    m.population = 360000;
    auto mm = p.CreateMunicipality(root, m);
    ASSERT_TRUE(mm.ok()) << mm.status().ToString();
    for (int i = 0; i < kActors; ++i) {
      domain::Actor a;
      a.name = "Actor " + std::to_string(i);
      a.municipality = mm->id;
      a.kind = domain::ActorKind::kSocialEnterprise;
      a.themes = {"eenzaamheid"};
      auto made = p.CreateActor(root, a);
      ASSERT_TRUE(made.ok()) << made.status().ToString();
      actors_.push_back(made->id.value());
    }
    domain::Challenge c;
    c.municipality = mm->id;
    c.title = "Eenzaamheid";
    c.text = "Veel ouderen zijn eenzaam.";
    c.themes = {"eenzaamheid"};
    auto cc = p.CreateChallenge(root, c);
    ASSERT_TRUE(cc.ok()) << cc.status().ToString();
    domain::Coalition co;
    co.challenge = cc->id;
    co.members = {{ActorId(actors_[0]), "lead", {}, {}}, {ActorId(actors_[1]), "member", {}, {}}};
    auto made_co = p.ProposeCoalition(root, co);
    ASSERT_TRUE(made_co.ok()) << made_co.status().ToString();
    domain::ProposalVersion v;
    v.title = "Buurtkamers";
    v.plan = "Elke week een open buurtkamer.";
    v.budget_eur = 25000;
    auto prop = p.CreateProposal(root, made_co->id, v);
    ASSERT_TRUE(prop.ok()) << prop.status().ToString();
    proposal_ = prop->id.value();
    domain::Round r;
    r.municipality = mm->id;
    r.name = "Buurtbudget";
    r.budget_eur = 100000;
    r.ballot_kind = domain::BallotKind::kApproval;
    for (int i = 0; i < 6; ++i)
      r.projects.push_back({"p" + std::to_string(i), {}, "Project " + std::to_string(i), 10000, "", ""});
    auto made_round = p.CreateRound(root, r);
    ASSERT_TRUE(made_round.ok()) << made_round.status().ToString();
    auto voting = p.SetRoundPhase(root, made_round->id, domain::RoundPhase::kVoting);
    ASSERT_TRUE(voting.ok()) << voting.status().ToString();
    round_ = made_round->id.value();
    for (int i = 0; i < kResidents; ++i) {
      domain::User u;
      u.email = "resident" + std::to_string(i) + "@crash.nl";
      u.display_name = "resident " + std::to_string(i);
      auto made = p.CreateUser(root, u, kPassword, {{UserId(), domain::Role::kResident, mm->id, {}}});
      ASSERT_TRUE(made.ok()) << made.status().ToString();
    }
    domain::User officer;
    officer.email = "officer@crash.nl";
    officer.display_name = "officer";
    auto made_officer = p.CreateUser(root, officer, kPassword, {{UserId(), domain::Role::kOfficer, mm->id, {}}});
    ASSERT_TRUE(made_officer.ok()) << made_officer.status().ToString();
  }

  void TearDown() override {
    if (!HasFailure()) {
      std::filesystem::remove_all(dir_);
      if (!schema_.empty()) {
        try {
          pqxx::connection c(pg_base_);
          pqxx::nontransaction w(c);
          w.exec("DROP SCHEMA " + schema_ + " CASCADE");
        } catch (const std::exception&) {
        }
      }
    }
  }

  std::string IntegrityCheck() { return GetParam() == Backend::kSqlite ? SqliteIntegrityCheck() : PgIntegrityCheck(); }

  // amcheck on every index of the schema (heapallindexed: every row is found through every index),
  // then every foreign key validated again from scratch. "ok", or what failed.
  std::string PgIntegrityCheck() {
    try {
      pqxx::connection c(pg_base_);
      pqxx::nontransaction w(c);
      auto indexes = w.exec(
          "SELECT c.oid::bigint, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
          "WHERE n.nspname = " +
          w.quote(schema_) + " AND a.amname = 'btree'");
      if (indexes.empty()) return "no indexes found in schema " + schema_;
      for (const auto& row : indexes) w.exec("SELECT bt_index_check(" + row[0].as<std::string>() + ", true)");
      // Every foreign key checked again: no row points at a missing parent.
      auto fks = w.exec(
          "SELECT k.conname, k.conrelid::regclass::text, k.confrelid::regclass::text, "
          "(SELECT string_agg(quote_ident(a.attname), ',' ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY "
          "x(attnum, n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum), "
          "(SELECT string_agg(quote_ident(a.attname), ',' ORDER BY x.n) FROM unnest(k.confkey) WITH ORDINALITY "
          "x(attnum, n) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum) "
          "FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
          "WHERE k.contype = 'f' AND n.nspname = " +
          w.quote(schema_));
      auto prefixed = [](const std::string& cols, const std::string& alias) {
        std::string out;
        std::stringstream in(cols);
        for (std::string col; std::getline(in, col, ',');) out += (out.empty() ? "" : ",") + alias + "." + col;
        return out;
      };
      for (const auto& row : fks) {
        std::string child = prefixed(row[3].as<std::string>(), "c"), parent = prefixed(row[4].as<std::string>(), "p");
        auto orphans = w.exec1("SELECT count(*) FROM " + row[1].as<std::string>() + " c WHERE ROW(" + child +
                               ") IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + row[2].as<std::string>() +
                               " p WHERE (" + parent + ") = (" + child + "))");
        if (orphans[0].as<int64_t>() != 0)
          return "foreign key " + row[0].as<std::string>() + ": " + orphans[0].as<std::string>() + " orphan rows";
      }
      checked_indexes_ = static_cast<int64_t>(indexes.size());
      checked_fks_ = static_cast<int64_t>(fks.size());
      return "ok";
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  std::string SqliteIntegrityCheck() {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return "cannot open";
    std::string result;
    sqlite3_exec(
        db, "PRAGMA integrity_check",
        [](void* out, int, char** v, char**) {
          *static_cast<std::string*>(out) += v[0] ? v[0] : "NULL";
          return 0;
        },
        &result, nullptr);
    sqlite3_close(db);
    return result;
  }

  // Checks every acknowledged write through the API of a freshly started server.
  void Verify(httplib::Client& c, const Login& officer, const std::vector<Login>& residents) {
    httplib::Headers auth = {{"Cookie", officer.cookie}};
    std::set<std::string> comments;
    for (int offset = 0;; offset += 100) {
      auto r = c.Get(
          ("/api/v1/proposals/" + std::to_string(proposal_) + "/comments?limit=100&offset=" + std::to_string(offset))
              .c_str(),
          auth);
      ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
      Json j = Json::parse(r->body);
      for (const auto& x : j["items"]) comments.insert(x.value("text", ""));
      if (j["next"].is_null()) break;
    }
    std::set<std::pair<int64_t, int64_t>> ties;
    for (int64_t a : actors_) {
      auto r = c.Get(("/api/v1/actors/" + std::to_string(a) + "/ties?limit=100").c_str());
      ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
      Json page = Json::parse(r->body);
      EXPECT_TRUE(page["next"].is_null()) << "actor " << a << " has more than 100 ties";
      for (const auto& t : page["items"]) {
        int64_t x = t["a"], y = t["b"];
        ties.insert({std::min(x, y), std::max(x, y)});
      }
    }
    std::lock_guard lock(ledger_.mu);
    for (const auto& text : ledger_.comments) EXPECT_TRUE(comments.count(text)) << "lost comment " << text;
    for (const auto& t : ledger_.ties) EXPECT_TRUE(ties.count(t)) << "lost tie " << t.first << "-" << t.second;
    for (int i = 0; i < kResidents; ++i) {
      auto r = c.Get(("/api/v1/rounds/" + std::to_string(round_) + "/ballot").c_str(),
                     httplib::Headers{{"Cookie", residents[i].cookie}});
      ASSERT_TRUE(r) << "no answer";
      std::string stored;
      if (r->status == 200) {
        Json j = Json::parse(r->body);
        if (!j["entries"].empty()) stored = j["entries"][0]["project_id"];
      }
      std::string acked = ledger_.ballot_acked.count(i) ? ledger_.ballot_acked[i] : "";
      const auto& unanswered = ledger_.ballot_in_flight[i];
      std::string flying;
      for (const auto& f : unanswered) flying += f + " ";
      EXPECT_TRUE(stored == acked || unanswered.count(stored))
          << "resident " << i << ": stored ballot for '" << stored << "', acknowledged '" << acked << "', in flight '"
          << flying << "'";
      // What was stored is now the acknowledged state.
      ledger_.ballot_acked[i] = stored;
      ledger_.ballot_in_flight.erase(i);
      checked_ballots_ += !stored.empty();
    }
    checked_comments_ = static_cast<int64_t>(ledger_.comments.size());
    checked_ties_ = static_cast<int64_t>(ledger_.ties.size());
  }

  // One writer: comments, ties and ballots in turn until `stop`.
  void Writer(int port, int w, int round_no, const Login& member, const std::vector<Login>& residents,
              std::atomic<bool>& stop) {
    httplib::Client c("127.0.0.1", port);
    c.set_keep_alive(true);
    c.set_connection_timeout(2);
    c.set_read_timeout(5);
    std::mt19937_64 rng(static_cast<uint64_t>(round_no * 1000 + w));
    for (int n = 0; !stop.load(); ++n) {
      int what = n % 3;
      if (what == 0) {
        std::string text = "c-" + std::to_string(round_no) + "-" + std::to_string(w) + "-" + std::to_string(n);
        Json body = {{"text", text}};
        auto r = c.Post(("/api/v1/proposals/" + std::to_string(proposal_) + "/comments").c_str(),
                        httplib::Headers{{"Cookie", member.cookie}, {"X-CSRF-Token", member.csrf}}, body.dump(),
                        "application/json");
        std::lock_guard lock(ledger_.mu);
        if (r && r->status / 100 == 2) {
          ledger_.comments.insert(text);
          ++ledger_.acked;
        } else {
          ++ledger_.failed;
        }
      } else if (what == 1) {
        std::pair<int64_t, int64_t> pair;
        {
          std::lock_guard lock(ledger_.mu);
          if (ledger_.tie_pairs_used.size() * 2 > actors_.size() * (actors_.size() - 1) / 2) continue;
          do {
            int64_t a = actors_[rng() % actors_.size()], b = actors_[rng() % actors_.size()];
            pair = {std::min(a, b), std::max(a, b)};
          } while (pair.first == pair.second || ledger_.tie_pairs_used.count(pair));
          ledger_.tie_pairs_used.insert(pair);
        }
        Json body = {{"b", pair.second}, {"weight", 0.5}};
        auto r = c.Post(("/api/v1/actors/" + std::to_string(pair.first) + "/ties").c_str(),
                        httplib::Headers{{"Cookie", officer_.cookie}, {"X-CSRF-Token", officer_.csrf}}, body.dump(),
                        "application/json");
        std::lock_guard lock(ledger_.mu);
        if (r && r->status / 100 == 2) {
          ledger_.ties.insert(pair);
          ++ledger_.acked;
        } else {
          ++ledger_.failed;
        }
      } else {
        // Each writer votes for its own residents, one request at a time per resident.
        int resident = static_cast<int>((w + kWriters * (n / 3)) % kResidents);
        if (resident % kWriters != w) continue;
        std::string project = "p" + std::to_string(rng() % 6);
        {
          std::lock_guard lock(ledger_.mu);
          ledger_.ballot_in_flight[resident].insert(project);
        }
        Json body = {{"entries", {{{"project_id", project}, {"points", 1}}}}};
        auto r =
            c.Put(("/api/v1/rounds/" + std::to_string(round_) + "/ballot").c_str(),
                  httplib::Headers{{"Cookie", residents[resident].cookie}, {"X-CSRF-Token", residents[resident].csrf}},
                  body.dump(), "application/json");
        std::lock_guard lock(ledger_.mu);
        if (r && r->status / 100 == 2) {
          // Earlier unanswered ballots may still land, in any order: keep them as possible.
          ledger_.ballot_acked[resident] = project;
          ledger_.ballot_in_flight[resident].erase(project);
          ++ledger_.acked;
        } else if (r) {
          // A clear refusal: nothing was written.
          ledger_.ballot_in_flight[resident].erase(project);
          ++ledger_.failed;
        } else {
          ++ledger_.failed;  // no answer: it may or may not have been written; stays in flight
        }
      }
    }
  }

  static constexpr int kWriters = 4;
  std::filesystem::path dir_;
  std::string db_;
  std::vector<int64_t> actors_;
  int64_t proposal_ = 0, round_ = 0;
  Ledger ledger_;
  Login officer_;
  int64_t checked_comments_ = 0, checked_ties_ = 0, checked_ballots_ = 0;
  int64_t checked_indexes_ = 0, checked_fks_ = 0;
  std::string pg_base_, schema_;
};

TEST_P(CrashSafety, AcknowledgedWritesSurviveSigkill) {
  uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("WEEFSEL_CRASH_SEED")) seed = std::strtoull(s, nullptr, 10);
  std::cout << "WEEFSEL_CRASH_SEED=" << seed << std::endl;
  std::mt19937_64 rng(seed);
  int kills = 0;
  for (int round_no = 0; round_no <= kKills; ++round_no) {
    Server s = Start(db_, dir_, round_no);
    ASSERT_GT(s.port, 0);
    httplib::Client c("127.0.0.1", s.port);
    c.set_read_timeout(30);
    auto ready = c.Get("/readyz");
    ASSERT_TRUE(ready && ready->status == 200);
    officer_ = LogIn(c, "officer@crash.nl");
    Login member = LogIn(c, "admin@crash.nl");
    std::vector<Login> residents;
    for (int i = 0; i < kResidents; ++i) residents.push_back(LogIn(c, "resident" + std::to_string(i) + "@crash.nl"));
    ASSERT_FALSE(HasFailure());
    if (round_no > 0) {
      Verify(c, officer_, residents);
      ASSERT_FALSE(HasFailure()) << "after kill " << round_no;
    }
    if (round_no == kKills) {
      Kill(s);
      break;
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back([&, w] { Writer(s.port, w, round_no, member, residents, stop); });
    // Kill at a random moment: somewhere between 50 ms and 1.5 s into the load.
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 1450));
    Kill(s);
    ++kills;
    stop = true;
    for (auto& t : writers) t.join();
    std::string ic = IntegrityCheck();
    ASSERT_EQ(ic, "ok") << "after kill " << kills;
  }
  std::cout << "CRASH_SAFETY kills=" << kills << " acknowledged_writes=" << ledger_.acked
            << " failed_or_cut=" << ledger_.failed << " comments_checked=" << checked_comments_
            << " ties_checked=" << checked_ties_ << " ballots_checked=" << checked_ballots_;
  if (GetParam() == Backend::kPostgres)
    std::cout << " pg_indexes_checked=" << checked_indexes_ << " pg_foreign_keys_checked=" << checked_fks_;
  std::cout << std::endl;
  EXPECT_GE(kills, 20);
  EXPECT_GT(ledger_.acked, 100) << "the load wrote too little to test anything";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CrashSafety, ::testing::Values(Backend::kSqlite), apitest::BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, CrashSafety, ::testing::Values(Backend::kPostgres), apitest::BackendName);

}  // namespace
}  // namespace weefsel
