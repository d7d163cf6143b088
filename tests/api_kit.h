// tests/api_kit.h: a small world served over real HTTP on loopback, for the API tests.
//
// ApiWorld opens a fresh store (a SQLite file in a temporary folder, or a fresh schema in the
// PostgreSQL database named by WEEFSEL_TEST_PG_URL), starts Platform + Api + Server on a free
// port, and builds a small world: municipalities m1 and m2, actors a1, a2 (in m1) and a3 (in m2),
// challenges c1 (m1) and c2 (m2), and one account per role with an API token: resident (of m1),
// member (of a1), officer (of m1), other_officer (of m2), admin. Make* helpers add fresh targets
// for tests that change or remove things. Send() speaks HTTP with httplib's client.
// Test-only; one world per test; not thread-safe except Send().
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "base/strings.h"
#include "http/api.h"
#include "http/server.h"
#include "service/platform.h"
#include "storage/store.h"
#include "tests/kit/shared_data.h"

namespace weefsel::apitest {

using http::Json;

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

inline std::string UniqueName() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return "api" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

struct Resp {
  int status = 0;
  std::string body;
  Json json;
  httplib::Headers headers;
  std::string Header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
};

// The roles of the authorisation matrix, in its column order.
enum RoleIdx { kAnon, kResident, kMember, kOfficer, kOtherOfficer, kAdmin, kRoleCount };
inline const char* kRoleNames[kRoleCount] = {"anonymous", "resident", "member", "officer", "other_officer", "admin"};

class ApiWorld : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("weefsel-" + UniqueName());
      std::filesystem::create_directories(dir_);
      url_ = (dir_ / "weefsel.db").string();
    } else {
      const char* base = std::getenv("WEEFSEL_TEST_PG_URL");
      if (!base || !*base) {
        if (testkit::UnderCi()) FAIL() << "WEEFSEL_TEST_PG_URL is not set under CI (run through scripts/with-postgres)";
        GTEST_SKIP() << "WEEFSEL_TEST_PG_URL not set; run the pg tests through scripts/with-postgres";
      }
      base_url_ = base;
      schema_ = UniqueName();
      try {
        pqxx::connection c(base_url_);
        pqxx::nontransaction w(c);
        w.exec("CREATE SCHEMA " + schema_);
      } catch (const std::exception& e) {
        FAIL() << "cannot create schema in " << base_url_ << ": " << e.what();
      }
      url_ = base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    }
    StartServing();
    if (HasFatalFailure()) return;
    BuildWorld();
  }

  // Opens the store at url_ and starts Platform + Api + Server on a free port.
  void StartServing() {
    auto store = storage::Store::Open(url_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    service::PlatformOptions po;
    po.password_cost = service::PasswordCost::Minimum();
    // Reads through a pool of read-only connections, as `weefsel serve` does: a use case that
    // writes through a reader fails these tests. On PostgreSQL, ballots and token uses write on
    // connections of their own beside the writer's (--writers), as they do there.
    po.readers = {url_, 4, 2};
    po.accounts.register_pow_bits = register_pow_bits_;
    platform_ = std::make_unique<service::Platform>(std::move(store).value(), po, clock_);
    api_ = std::make_unique<http::Api>(*platform_);
    http::ServerOptions so;
    so.port = 0;
    so.threads = 8;
    so.access_log = access_log_;
    so.max_body_bytes = 64 * 1024;
    server_ = std::make_unique<http::Server>(*api_, so);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_keep_alive(true);
  }

  // A restart: the server, the Api and the Platform go away (with everything they kept in
  // memory) and new ones open the same database.
  void Restart() {
    client_.reset();
    server_->Stop();
    server_.reset();
    api_.reset();
    platform_.reset();
    StartServing();
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
    server_.reset();
    api_.reset();
    platform_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) {
      try {
        pqxx::connection c(base_url_);
        pqxx::nontransaction w(c);
        w.exec("DROP SCHEMA " + schema_ + " CASCADE");
      } catch (const std::exception&) {
      }
    }
  }

  // ---- HTTP ----
  Resp Send(const std::string& method, const std::string& path, const Json& body = nullptr,
            const std::string& token = "", httplib::Headers extra = {}) {
    std::string text = body.is_null() ? "" : body.dump();
    return SendRaw(method, path, text, token, std::move(extra));
  }
  Resp SendRaw(const std::string& method, const std::string& path, const std::string& body,
               const std::string& token = "", httplib::Headers extra = {},
               const std::string& content_type = "application/json") {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(extra);
    if (!token.empty()) req.headers.emplace("Authorization", "Bearer " + token);
    if (!body.empty()) {
      req.body = body;
      req.headers.emplace("Content-Type", content_type);
    }
    auto res = client_->send(req);
    Resp r;
    if (!res) {
      ADD_FAILURE() << method << " " << path << ": no response (" << httplib::to_string(res.error()) << ")";
      return r;
    }
    r.status = res->status;
    r.body = res->body;
    r.headers = res->headers;
    if (!r.body.empty()) r.json = Json::parse(r.body, nullptr, false);
    Record(method, path, r);
    return r;
  }
  // WEEFSEL_RECORD_RESPONSES=<dir>: appends every JSON answer (method, the route's path template,
  // status, body) to <dir>/responses-<pid>.jsonl, one JSON object a line, for the check that every
  // answer of the API tests validates against its OpenAPI schema (tests/api_schema_check.sh).
  void Record(const std::string& method, const std::string& path, const Resp& r) {
    static const char* dir = std::getenv("WEEFSEL_RECORD_RESPONSES");
    if (dir == nullptr || *dir == '\0' || !api_ || r.body.empty() || r.json.is_discarded()) return;
    if (r.Header("Content-Type").find("json") == std::string::npos) return;
    std::vector<std::string> segs;
    for (const auto& s : Split(path.substr(0, path.find('?')), '/', /*skip_empty=*/true)) segs.emplace_back(s);
    const http::Route* found = nullptr;
    for (const auto& route : api_->routes()) {
      if (route.method != method || route.segments.size() != segs.size()) continue;
      bool same = true;
      for (size_t i = 0; i < segs.size() && same; ++i) {
        const std::string& t = route.segments[i];
        bool param = t.size() > 2 && t.front() == '{';
        same = param ? (!segs[i].empty() && std::all_of(segs[i].begin(), segs[i].end(), ::isdigit)) : t == segs[i];
      }
      if (same) {
        found = &route;
        break;
      }
    }
    if (found == nullptr) return;
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    std::ofstream out(std::string(dir) + "/responses-" + std::to_string(::getpid()) + ".jsonl", std::ios::app);
    out << Json{{"method", method},
                {"route", found->path},
                {"status", r.status},
                {"content_type", r.Header("Content-Type")},
                {"body", r.json}}
               .dump()
        << "\n";
  }
  Resp As(int role, const std::string& method, const std::string& path, const Json& body = nullptr) {
    return Send(method, path, body, tokens_[role]);
  }

  // ---- the world ----
  // The admin acting in the world's set-up (a stored user, so that authored rows refer to one).
  service::Principal Root() {
    UserId id = users_[kAdmin].valid() ? users_[kAdmin] : UserId(1 << 30);
    return {id, "admin@test.nl", "admin", {{id, domain::Role::kPlatformAdmin, {}, {}}}};
  }

  template <typename T>
  T Must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : T{};
  }

  MunicipalityId AddMunicipality(const std::string& code, const std::string& name) {
    domain::Municipality m;
    m.cbs_code = code;
    m.name = name;
    m.province = "Utrecht";
    m.population = 100000;
    return Must(platform_->CreateMunicipality(Root(), m)).id;
  }
  ActorId AddActor(const std::string& name, MunicipalityId m,
                   domain::ActorKind kind = domain::ActorKind::kSocialEnterprise) {
    domain::Actor a;
    a.name = name;
    a.municipality = m;
    a.kind = kind;
    a.themes = {"eenzaamheid"};
    a.capabilities = {"buurtnetwerken"};
    return Must(platform_->CreateActor(Root(), a)).id;
  }
  ChallengeId AddChallenge(MunicipalityId m, const std::string& title) {
    domain::Challenge c;
    c.municipality = m;
    c.title = title;
    c.text = "Veel ouderen in de wijk zijn eenzaam.";
    c.themes = {"eenzaamheid"};
    c.capabilities = {{"buurtnetwerken", 1.0}};
    return Must(platform_->CreateChallenge(Root(), c)).id;
  }
  UserId AddUser(const std::string& email, std::vector<domain::RoleGrant> grants, std::string* token = nullptr) {
    domain::User u;
    u.email = email;
    u.display_name = email.substr(0, email.find('@'));
    auto made = Must(platform_->CreateUser(Root(), u, kPassword, grants));
    if (token) *token = Must(platform_->CreateToken({made.id, email, u.display_name, {}}, "test"));
    return made.id;
  }
  std::string FreshEmail() { return "u" + std::to_string(++counter_) + "@test.nl"; }
  std::string FreshCode() {
    char buf[8];
    snprintf(buf, sizeof buf, "GM%04d", 5000 + (++counter_ % 4000));
    return buf;
  }

  // A coalition for c1 with a1 (status `a1_status`) and a2.
  CoalitionId MakeCoalition(domain::MemberStatus a1_status = domain::MemberStatus::kProposed) {
    domain::Coalition c;
    c.challenge = c1_;
    c.members = {{a1_, "lead", {}, {}}, {a2_, "member", {}, {}}};
    auto made = Must(platform_->ProposeCoalition(Root(), c));
    if (a1_status == domain::MemberStatus::kInvited) made = Must(platform_->Invite(Root(), made.id, a1_));
    return made.id;
  }
  ProposalId MakeProposal() {
    domain::ProposalVersion v;
    v.title = "Buurtkamers";
    v.plan = "Elke week een open buurtkamer.";
    v.budget_eur = 25000;
    return Must(platform_->CreateProposal(Root(), MakeCoalition(), v)).id;
  }
  RoundId MakeRound(domain::RoundPhase phase = domain::RoundPhase::kSubmission) {
    domain::Round r;
    r.municipality = m1_;
    r.name = "Buurtbudget " + std::to_string(++counter_);
    r.budget_eur = 100000;
    r.ballot_kind = domain::BallotKind::kApproval;
    r.projects = {{"p1", {}, "Speeltuin", 40000, "", ""},
                  {"p2", {}, "Moestuin", 30000, "", ""},
                  {"p3", {}, "Bankjes", 20000, "", ""}};
    auto made = Must(platform_->CreateRound(Root(), r));
    if (phase != domain::RoundPhase::kSubmission) made = Must(platform_->SetRoundPhase(Root(), made.id, phase));
    return made.id;
  }
  // A round that publishes two review criteria, moved on (one phase at a time) to `phase`.
  RoundId MakeReviewedRound(domain::RoundPhase phase = domain::RoundPhase::kReview) {
    RoundId id = MakeRound();
    auto r = Must(platform_->UpdateRound(Root(), id, [](domain::Round& x) {
      x.criteria = {{"impact", "Wat het de buurt oplevert", 5}, {"haalbaarheid", "Kan het zo?", 3}};
      return Status::Ok();
    }));
    while (r.phase != phase) {
      auto next = domain::NextRoundPhase(r.phase);
      if (!next) break;
      r = Must(platform_->SetRoundPhase(Root(), id, *next));
      if (!r.id.valid()) break;
    }
    return id;
  }
  // A proposal that the coalition submitted and the officers funded.
  ProposalId MakeFundedProposal() {
    ProposalId id = MakeProposal();
    Must(platform_->SetProposalStatus(Root(), id, "submitted"));
    Must(platform_->SetProposalStatus(Root(), id, "funded"));
    return id;
  }
  ExperimentId MakeExperiment() {
    domain::Experiment e;
    e.proposal = MakeFundedProposal();
    e.hypotheses = {"Buurtkamers verminderen eenzaamheid"};
    domain::Indicator i;
    i.name = "eenzaamheid";
    i.unit = "%";
    i.baseline = 48;
    i.target = 40;
    e.indicators = {i};
    return Must(platform_->CreateExperiment(Root(), e)).id;
  }

  void BuildWorld() {
    using domain::Role;
    users_[kAdmin] = AddUser("admin@test.nl", {{UserId(), Role::kPlatformAdmin, {}, {}}}, &tokens_[kAdmin]);
    m1_ = AddMunicipality("GM0344", "Utrecht");
    m2_ = AddMunicipality("GM0363", "Amsterdam");
    a1_ = AddActor("Buurtkracht Zuilen", m1_);
    a2_ = AddActor("Hogeschool Utrecht", m1_, domain::ActorKind::kKnowledgeInstitution);
    a3_ = AddActor("Stichting Noord", m2_, domain::ActorKind::kCareWelfare);
    c1_ = AddChallenge(m1_, "Eenzaamheid in Zuilen");
    c2_ = AddChallenge(m2_, "Eenzaamheid in Noord");
    users_[kResident] = AddUser("resident@test.nl", {{UserId(), Role::kResident, m1_, {}}}, &tokens_[kResident]);
    users_[kMember] = AddUser("member@test.nl", {{UserId(), Role::kActorMember, {}, a1_}}, &tokens_[kMember]);
    users_[kOfficer] = AddUser("officer@test.nl", {{UserId(), Role::kOfficer, m1_, {}}}, &tokens_[kOfficer]);
    users_[kOtherOfficer] = AddUser("other@test.nl", {{UserId(), Role::kOfficer, m2_, {}}}, &tokens_[kOtherOfficer]);
  }

  static constexpr const char* kPassword = "correct horse battery";
  bool access_log_ = false;    // a fixture that reads the access log sets it before SetUp
  int register_pow_bits_ = 0;  // a fixture that registers with a proof of work sets it before SetUp

  ManualClock clock_{std::chrono::system_clock::from_time_t(1795000000)};
  std::string url_, base_url_, schema_;
  std::filesystem::path dir_;
  std::unique_ptr<service::Platform> platform_;
  std::unique_ptr<http::Api> api_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<httplib::Client> client_;
  MunicipalityId m1_, m2_;
  ActorId a1_, a2_, a3_;
  ChallengeId c1_, c2_;
  std::string tokens_[kRoleCount];
  UserId users_[kRoleCount];
  int counter_ = 0;
};

// "/api/v1/actors/" + Str(a1_)
template <typename Tag>
std::string Str(weefsel::Id<Tag> v) {
  return std::to_string(v.value());
}

}  // namespace weefsel::apitest
