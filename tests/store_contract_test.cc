// tests/store_contract_test.cc: the one contract every Store backend keeps.
//
// The same parameterised suite runs against SQLite (instantiation Sqlite/, label unit: a fresh
// database file per test) and PostgreSQL (instantiation Postgres/, label pg: a fresh schema per
// test in the database named by WEEFSEL_TEST_PG_URL; scripts/with-postgres provides one). Without
// the URL the PostgreSQL tests skip, except under CI=true where that is a failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <sqlite3.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "domain/fields/entity_fields.h"
#include "storage/migrations.h"
#include "storage/store.h"
#include "tests/kit/shared_data.h"

namespace weefsel::storage {
namespace {

using namespace domain;

enum class Backend { kSqlite, kPostgres };
void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::kSqlite ? "sqlite" : "postgres"); }
std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

bool Contains(const Status& s, std::string_view needle) { return s.message().find(needle) != std::string::npos; }

// Full dumps of entities, so that a round trip compares every field and a failure shows which.
std::string Dump(const Municipality& m) {
  std::ostringstream o;
  o << m.id << '|' << m.cbs_code << '|' << m.name << '|' << m.province << '|' << m.population << '|' << m.lat << '|'
    << m.lon;
  return o.str();
}
std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "[" + s + "]";
  return out;
}
std::string Dump(const Actor& a) {
  std::ostringstream o;
  o << a.id << '|' << a.name << '|' << ActorKindCode(a.kind) << '|' << a.municipality << '|' << a.area << '|'
    << Join(a.themes) << '|' << Join(a.capabilities) << '|' << a.description << '|' << a.size << '|' << a.website << '|'
    << a.generated << '|' << a.source;
  return o.str();
}
std::string Dump(const Tie& t) {
  std::ostringstream o;
  o.precision(17);
  o << t.id << '|' << t.a << '|' << t.b << '|' << t.weight << '|' << TieKindCode(t.kind) << '|'
    << TieSourceCode(t.source) << '|' << t.from << '|' << t.until << '|' << t.note;
  return o.str();
}
std::string Dump(const Challenge& c) {
  std::ostringstream o;
  o << c.id << '|' << c.municipality << '|' << c.title << '|' << c.text << '|' << c.language << '|' << Join(c.themes)
    << '|';
  for (const auto& n : c.capabilities) o << n.capability << '=' << n.weight << ',';
  o << '|';
  for (const auto& [s, n] : c.sector_mix) o << SectorCode(s) << '=' << n << ',';
  o << '|' << c.max_coalition_size << '|' << c.budget_eur << '|' << c.area << '|' << c.deadline << '|'
    << ChallengePhaseCode(c.phase) << '|' << c.owner << '|' << c.created_at;
  return o.str();
}
std::string Dump(const Coalition& c) {
  std::ostringstream o;
  o << c.id << '|' << c.challenge << '|' << CoalitionStatusCode(c.status) << '|' << c.explanation << '|' << c.score
    << '|' << c.created_at << '|';
  for (const auto& m : c.members)
    o << m.actor << ':' << m.role << ':' << MemberStatusCode(m.status) << ':' << Join(m.covers) << ',';
  return o.str();
}
std::string Dump(const std::vector<Milestone>& ms) {
  std::ostringstream o;
  for (const auto& m : ms)
    o << '{' << m.title << ':' << m.due << ':' << m.amount_eur << ':' << m.status << ':' << m.evidence << '}';
  return o.str();
}
std::string Dump(const Proposal& p) {
  std::ostringstream o;
  o << p.id << '|' << p.coalition << '|' << p.challenge << '|' << p.status << '|' << p.supports << '|';
  for (const auto& v : p.versions)
    o << '<' << v.number << ':' << v.title << ':' << v.plan << ':' << v.budget_eur << ':' << Join(v.indicators) << ':'
      << v.author << ':' << v.created_at << ':' << Dump(v.milestones) << '>';
  return o.str();
}
std::string Dump(const Round& r) {
  std::ostringstream o;
  o << r.id << '|' << r.municipality << '|' << r.name << '|' << r.budget_eur << '|' << BallotKindCode(r.ballot_kind)
    << '|' << r.rule << '|' << RoundPhaseCode(r.phase) << '|' << r.min_length << '|' << r.max_length << '|'
    << r.max_points << '|' << r.max_points_per_project << '|';
  for (const auto& p : r.projects)
    o << '<' << p.project_id << ':' << p.proposal << ':' << p.title << ':' << p.cost_eur << ':' << p.category << ':'
      << p.neighbourhood << '>';
  return o.str();
}
std::string Dump(const Ballot& b) {
  std::ostringstream o;
  o << b.id << '|' << b.round << '|' << b.voter << '|' << BallotKindCode(b.kind) << '|' << b.cast_at << '|';
  for (const auto& e : b.entries) o << e.project_id << '=' << e.points << ',';
  return o.str();
}
std::string Dump(const Experiment& e) {
  std::ostringstream o;
  o.precision(17);
  o << e.id << '|' << e.proposal << '|' << Join(e.hypotheses) << '|' << e.status << '|' << e.outcome << '|' << e.learned
    << '|';
  for (const auto& i : e.indicators) {
    o << '<' << i.id << ':' << i.name << ':' << i.unit << ':' << i.baseline << ':' << i.target << ':';
    for (const auto& m : i.measurements) o << m.date << '=' << m.value << '@' << m.source << ',';
    o << '>';
  }
  o << Dump(e.milestones);
  return o.str();
}
std::string Dump(const User& u) {
  return std::to_string(u.id.value()) + "|" + u.email + "|" + u.display_name + "|" + u.password_hash + "|" +
         u.created_at;
}

// Builders for a small world.
Municipality Gemeente(std::string code, std::string name) {
  return Municipality{.cbs_code = std::move(code),
                      .name = std::move(name),
                      .province = "Noord-Holland",
                      .population = 1000,
                      .lat = 52.37,
                      .lon = 4.89};
}
Actor Org(std::string name, MunicipalityId m = {}, ActorKind kind = ActorKind::kSocialEnterprise,
          std::vector<std::string> themes = {"eenzaamheid"}) {
  Actor a;
  a.name = std::move(name);
  a.kind = kind;
  a.municipality = m;
  a.area = "Noord";
  a.themes = std::move(themes);
  a.capabilities = {"care", "software"};
  a.description = "Een \"organisatie\"\tmet\nregels en een backslash \\.";
  a.size = 12;
  a.website = "https://example.nl";
  a.generated = true;
  a.source = "test";
  return a;
}

std::string UniqueName() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

// ---- every stored field round-trips ----------------------------------------------------------

// A value for stored field `f` that differs from its value in `u` (a part of an entity) and, on an
// insert, from a fresh entity's (a boolean: only the latter): ids, maps and lists of objects keep
// theirs (the fixture points ids at rows that exist); `overrides` gives the value of a field whose
// rules a generic one would break (a challenge's language).
template <typename U>
fields::Json Sample(const fields::Field<U>& f, const U& u, const std::map<std::string, fields::Json>& overrides,
                    bool insert) {
  using fields::Json;
  using fields::Type;
  if (auto it = overrides.find(f.name); it != overrides.end()) return it->second;
  Json now = f.encode(u);  // returned as it is for ids, maps and lists of objects
  const Json fresh = f.encode(U{});
  switch (f.type) {
    case Type::kInteger:
      return now.is_number_integer() ? now.get<int64_t>() + 3 : 3;
    case Type::kNumber:
      return (now.is_number() ? now.get<double>() : 0.0) + 0.25;
    case Type::kBoolean:
      return !((insert ? fresh : now).is_boolean() && (insert ? fresh : now).get<bool>());
    case Type::kEnum: {  // the next code, cyclically, that is not the current one (nor a fresh one's)
      auto at = std::find(f.codes.begin(), f.codes.end(), now.is_string() ? now.get<std::string>() : "");
      size_t k = at == f.codes.end() ? 0 : static_cast<size_t>(at - f.codes.begin());
      for (size_t step = 1; step <= f.codes.size(); ++step) {
        const std::string& code = f.codes[(k + step) % f.codes.size()];
        if (Json(code) != now && (!insert || Json(code) != fresh)) return code;
      }
      return now;
    }
    case Type::kString: {
      const std::string s = now.is_string() ? now.get<std::string>() : "";
      if (f.format == fields::Format::kDate) return s == "2031-02-03" ? "2031-02-04" : "2031-02-03";
      if (f.format == fields::Format::kDateTime)
        return s == "2031-02-03T04:05:06Z" ? "2031-02-04T04:05:06Z" : "2031-02-03T04:05:06Z";
      return s + "-\u00fc'";  // a non-ASCII letter and a quote
    }
    case Type::kStringList: {
      if (now.size() < 2) return Json::array({"x1", "x2"});
      Json reversed = Json::array();
      for (auto it = now.rbegin(); it != now.rend(); ++it) reversed.push_back(*it);
      return reversed;
    }
    default:
      return now;
  }
}

::testing::AssertionResult Written(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}
template <typename V>
::testing::AssertionResult Written(const Result<V>& r) {
  return Written(r.status());
}

// Sets each field of `table` that has a column (ids and the key excepted) to a Sample.
template <typename U>
void SetSamples(const fields::FieldTable<U>& table, U& u, bool insert,
                const std::map<std::string, fields::Json>& overrides = {}) {
  for (const auto& f : table.fields) {
    if (f.column.empty() || f.type == fields::Type::kId) continue;
    fields::Json j = {{f.name, Sample(f, u, overrides, insert)}};
    fields::Fields r(j, table.entity);
    Status s = (f.load ? f.load : f.stored_load)(r, u);
    ASSERT_TRUE(s.ok()) << table.schema << "." << f.name << ": " << s.ToString();
  }
}

// Every stored field of `table` reads back as written; on an insert, every column field but the
// key was set away from its default (else a dropped column would go unseen; an update's Sample
// differs from the value before it).
template <typename U>
void ExpectStored(const fields::FieldTable<U>& table, const U& want, const U& got, const std::string& what) {
  const U none{};
  const bool inserted = what.find("insert") != std::string::npos;  // an update may come back to a default
  for (const auto& f : table.fields) {
    if (!fields::Stored(f)) continue;
    EXPECT_EQ(f.encode(got).dump(), f.encode(want).dump())
        << what << ": " << table.schema << "." << f.name << " does not come back from the store";
    if (inserted && !f.column.empty() && f.column != "id") {
      EXPECT_NE(f.encode(want).dump(), f.encode(none).dump())
          << what << ": the fixture leaves " << table.schema << "." << f.name << " at its default";
    }
  }
}

class StoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("weefsel-store-" + UniqueName());
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
    auto s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void TearDown() override {
    store_.reset();
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

  // Runs SQL behind the store's back (to plant what only a bug or another program could write).
  void ExecRaw(const std::string& sql) {
    if (GetParam() == Backend::kSqlite) {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(url_.c_str(), &db), SQLITE_OK);
      char* err = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      std::string msg = err ? err : "";
      sqlite3_free(err);
      sqlite3_close(db);
      ASSERT_EQ(rc, SQLITE_OK) << msg;
    } else {
      pqxx::connection c(base_url_);
      pqxx::nontransaction w(c);
      w.exec("SET search_path = " + schema_ + "; " + sql);
    }
  }

  void Reopen() {
    store_.reset();
    auto s = Store::Open(url_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  MunicipalityId AddGemeente(std::string code = "GM0363", std::string name = "Amsterdam") {
    Municipality m = Gemeente(std::move(code), std::move(name));
    auto id = store_->Insert(m);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return m.id;
  }
  ActorId AddActor(std::string name, MunicipalityId m = {}, ActorKind kind = ActorKind::kSocialEnterprise,
                   std::vector<std::string> themes = {"eenzaamheid"}) {
    Actor a = Org(std::move(name), m, kind, std::move(themes));
    auto id = store_->Insert(a);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return a.id;
  }
  UserId AddUser(std::string email) {
    User u{.email = std::move(email),
           .display_name = "Anne de Vries",
           .password_hash = "$argon2id$x",
           .created_at = "2026-11-29T10:00:00Z"};
    auto id = store_->Insert(u);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return u.id;
  }
  ChallengeId AddChallenge(MunicipalityId m, std::string title = "Eenzaamheid onder ouderen in Noord") {
    Challenge c{.municipality = m, .title = std::move(title), .text = "Veel ouderen zijn eenzaam."};
    c.themes = {"eenzaamheid", "vergrijzing"};
    auto id = store_->Insert(c);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return c.id;
  }
  int64_t Version() {
    auto v = store_->DataVersion();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : -1;
  }

  std::string url_, base_url_, schema_;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

// Adding a stored field is one edit in its table plus a migration: every field with a column
// (set to a value the fixture did not have) and every child-table field comes back from the store,
// through Insert and through Update, for the entities the generic row mapper writes
// (municipalities, actors and ties, whose inserts are bulk writes, challenges, coalitions,
// proposals, rounds with their eligibility, experiments, users, match-funding campaigns and
// pledges, milestone evidence, reports and hidden items, comments, reviews, ballots, the Right to
// Challenge's tasks and bids, role grants, allocations and the audit log); a field the mapper drops
// or garbles fails here, named.
TEST_P(StoreContract, EveryStoredFieldRoundTrips) {
  Municipality g = Gemeente("GM0599", "Rotterdam");
  SetSamples(fields::MunicipalityFields(), g, true, {{"cbs_code", "GM0518"}});
  ASSERT_TRUE(Written(store_->Insert(g)));
  ExpectStored(fields::MunicipalityFields(), g, *store_->GetMunicipality(g.id), "municipality insert");
  SetSamples(fields::MunicipalityFields(), g, false, {{"cbs_code", "GM0344"}});
  ASSERT_TRUE(Written(store_->Update(g)));
  ExpectStored(fields::MunicipalityFields(), g, *store_->GetMunicipality(g.id), "municipality update");

  MunicipalityId m = AddGemeente();
  ActorId a1 = AddActor("Een", m), a2 = AddActor("Twee", m);

  Actor a = Org("Drie", m, ActorKind::kSocialEnterprise, {"eenzaamheid", "armoede"});
  SetSamples(fields::ActorFields(), a, true);
  ASSERT_TRUE(Written(store_->Insert(a)));
  ExpectStored(fields::ActorFields(), a, *store_->GetActor(a.id), "actor insert");
  SetSamples(fields::ActorFields(), a, false);
  ASSERT_TRUE(Written(store_->Update(a)));
  ExpectStored(fields::ActorFields(), a, *store_->GetActor(a.id), "actor update");

  Tie t{.a = a1, .b = a2, .weight = 1};
  SetSamples(fields::TieFields(), t, true);
  ASSERT_TRUE(Written(store_->Insert(t)));
  ExpectStored(fields::TieFields(), t, *store_->GetTie(t.id), "tie insert");  // ties are never updated

  User u{.email = "anne@example.nl", .display_name = "Anne", .password_hash = "$argon2id$een"};
  SetSamples(fields::UserFields(), u, true, {{"email", "bea@example.nl"}});
  ASSERT_TRUE(Written(store_->Insert(u)));
  ExpectStored(fields::UserFields(), u, *store_->GetUser(u.id), "user insert");
  EXPECT_EQ(store_->GetUser(u.id)->password_hash, "$argon2id$een") << "user insert: the password hash (in no table)";
  SetSamples(fields::UserFields(), u, false, {{"email", "cor@example.nl"}});
  u.password_hash = "$argon2id$twee";
  ASSERT_TRUE(Written(store_->Update(u)));
  ExpectStored(fields::UserFields(), u, *store_->GetUser(u.id), "user update");
  EXPECT_EQ(store_->GetUser(u.id)->password_hash, "$argon2id$twee") << "user update: the password hash";

  Challenge c{.municipality = m, .title = "Eenzaamheid", .text = "Tekst", .language = "nl"};
  c.themes = {"eenzaamheid", "vergrijzing"};
  c.capabilities = {{"care", 2.5}, {"software", 1}};
  c.sector_mix = {{Sector::kGovernment, 1}, {Sector::kKnowledge, 1}};
  c.owner = a1;
  SetSamples(fields::ChallengeFields(), c, true, {{"language", "en"}});
  ASSERT_TRUE(Written(store_->Insert(c)));
  ExpectStored(fields::ChallengeFields(), c, *store_->GetChallenge(c.id), "challenge insert");
  SetSamples(fields::ChallengeFields(), c, false, {{"language", "nl"}});
  ASSERT_TRUE(Written(store_->Update(c)));
  ExpectStored(fields::ChallengeFields(), c, *store_->GetChallenge(c.id), "challenge update");

  Coalition co{.challenge = c.id, .members = {{.actor = a1, .role = "lead", .covers = {"care"}}}};
  SetSamples(fields::CoalitionFields(), co, true);
  ASSERT_TRUE(Written(store_->Insert(co)));
  ExpectStored(fields::CoalitionFields(), co, *store_->GetCoalition(co.id), "coalition insert");
  SetSamples(fields::CoalitionFields(), co, false);
  ASSERT_TRUE(Written(store_->Update(co)));
  ExpectStored(fields::CoalitionFields(), co, *store_->GetCoalition(co.id), "coalition update");

  Proposal p{.coalition = co.id, .challenge = c.id};
  p.versions = {{.number = 1, .title = "Plan", .plan = "Zo", .budget_eur = 100}};
  SetSamples(fields::ProposalFields(), p, true);
  ASSERT_TRUE(Written(store_->Insert(p)));
  ExpectStored(fields::ProposalFields(), p, *store_->GetProposal(p.id), "proposal insert");
  SetSamples(fields::ProposalFields(), p, false);
  ASSERT_TRUE(Written(store_->Update(p)));
  ExpectStored(fields::ProposalFields(), p, *store_->GetProposal(p.id), "proposal update");

  Round r{.municipality = m, .name = "Buurtbudget", .budget_eur = 1000};
  r.projects = {{.project_id = "p1", .title = "Bankjes", .cost_eur = 100}};
  r.criteria = {{.name = "impact", .description = "Wat het oplevert", .max_score = 5}};
  SetSamples(fields::RoundFields(), r, true);
  SetSamples(fields::EligibilityFields(), r.eligibility, true, {{"verification", "census"}});
  ASSERT_TRUE(Written(store_->Insert(r)));
  ExpectStored(fields::RoundFields(), r, *store_->GetRound(r.id), "round insert");
  ExpectStored(fields::EligibilityFields(), r.eligibility, store_->GetRound(r.id)->eligibility, "round insert");
  SetSamples(fields::RoundFields(), r, false);
  SetSamples(fields::EligibilityFields(), r.eligibility, false, {{"verification", "code"}, {"min_age", 0}});
  ASSERT_TRUE(Written(store_->Update(r)));
  ExpectStored(fields::RoundFields(), r, *store_->GetRound(r.id), "round update");
  ExpectStored(fields::EligibilityFields(), r.eligibility, store_->GetRound(r.id)->eligibility, "round update");

  MatchCampaign mc{
      .municipality = m, .round = r.id, .name = "Verdubbelaar", .fund_eur = 1000, .deadline = "2031-01-01"};
  SetSamples(fields::MatchCampaignFields(), mc, true, {{"deadline", "2031-02-03"}});
  ASSERT_TRUE(Written(store_->Insert(mc)));
  ExpectStored(fields::MatchCampaignFields(), mc, *store_->GetMatchCampaign(mc.id), "campaign insert");
  // campaigns are never updated

  UserId backer = AddUser("backer@example.nl");
  MatchPledge pl{.campaign = mc.id, .project_id = "p1", .backer = backer, .amount_eur = 10, .at = "2031-01-01"};
  SetSamples(fields::MatchPledgeFields(), pl, true, {{"campaign", mc.id}});
  ASSERT_TRUE(Written(store_->Insert(pl)));
  auto pledges = store_->PledgesOf(mc.id);
  ASSERT_TRUE(pledges.ok() && pledges->size() == 1u) << pledges.status().ToString();
  ExpectStored(fields::MatchPledgeFields(), pl, pledges->front(), "pledge insert");
  EXPECT_EQ(pledges->front().backer, backer) << "pledge insert: the backer (in no table)";
  // pledges are never updated

  Experiment e{.proposal = p.id};
  e.indicators = {{.name = "eenzaamheid", .unit = "%", .baseline = 40, .target = 30}};
  e.indicators[0].measurements = {{"2027-01-01", 38, "enquete"}};
  e.milestones = {{.title = "Start", .due = "2027-02-01", .amount_eur = 10}};
  SetSamples(fields::ExperimentFields(), e, true);
  ASSERT_TRUE(Written(store_->Insert(e)));
  ExpectStored(fields::ExperimentFields(), e, *store_->GetExperiment(e.id), "experiment insert");
  SetSamples(fields::ExperimentFields(), e, false);
  ASSERT_TRUE(Written(store_->Update(e)));
  ExpectStored(fields::ExperimentFields(), e, *store_->GetExperiment(e.id), "experiment update");

  UserId submitter = AddUser("indiener@example.nl"), officer = AddUser("ambtenaar@example.nl");
  MilestoneEvidence ev{.experiment = e.id, .text = "Verslag", .submitted_by = submitter, .submitted_at = "2031-01-01"};
  SetSamples(fields::MilestoneEvidenceFields(), ev, true);  // approved, with money released
  ev.decided_by = officer;
  ASSERT_TRUE(Written(store_->Insert(ev)));
  ExpectStored(fields::MilestoneEvidenceFields(), ev, *store_->GetEvidence(ev.id), "evidence insert");
  EXPECT_EQ(store_->GetEvidence(ev.id)->submitted_by, submitter) << "evidence insert: who submitted (in no table)";
  EXPECT_EQ(store_->GetEvidence(ev.id)->decided_by, officer) << "evidence insert: who decided (in no table)";
  SetSamples(fields::MilestoneEvidenceFields(), ev, false,
             {{"id", ev.id}, {"decision", "rejected"}, {"released_eur", 0}});  // the id is the key
  std::swap(ev.submitted_by, ev.decided_by);
  ASSERT_TRUE(Written(store_->Update(ev)));
  auto evs = store_->EvidenceOf(e.id);
  ASSERT_TRUE(evs.ok() && evs->size() == 1u) << evs.status().ToString();
  ExpectStored(fields::MilestoneEvidenceFields(), ev, evs->front(), "evidence update");
  EXPECT_EQ(evs->front().submitted_by, officer) << "evidence update: who submitted (in no table)";
  EXPECT_EQ(evs->front().decided_by, submitter) << "evidence update: who decided (in no table)";

  Report rep{.municipality = m, .reporter = submitter, .resolved_by = officer};
  SetSamples(fields::ReportFields(), rep, true, {{"target", "proposal"}});
  ASSERT_TRUE(Written(store_->Insert(rep)));
  ExpectStored(fields::ReportFields(), rep, *store_->GetReport(rep.id), "report insert");
  EXPECT_EQ(store_->GetReport(rep.id)->reporter, submitter) << "report insert: the reporter (in no table)";
  EXPECT_EQ(store_->GetReport(rep.id)->resolved_by, officer) << "report insert: who resolved it (in no table)";
  // reports change only by ResolveReports (its own UPDATE of status, resolved_by and resolved_at)

  HiddenItem hid{.municipality = m, .hidden_by = officer};
  SetSamples(fields::HiddenItemFields(), hid, true, {{"target", "profile"}});
  ASSERT_TRUE(Written(store_->Hide(hid)));
  ExpectStored(fields::HiddenItemFields(), hid, *store_->GetHidden(hid.target, hid.target_id), "hidden insert");
  auto hiddens = store_->HiddenIn(m);
  ASSERT_TRUE(hiddens.ok() && hiddens->size() == 1u) << hiddens.status().ToString();
  EXPECT_EQ(hiddens->front().hidden_by, officer) << "hidden insert: who hid it (in no table)";
  // hidden items are never updated (Unhide deletes them)

  Comment top{.proposal = p.id, .author = submitter, .text = "Eerst", .created_at = "2031-01-01"};
  ASSERT_TRUE(Written(store_->Insert(top)));
  Comment cm{.proposal = p.id, .author = officer};
  SetSamples(fields::CommentFields(), cm, true, {{"parent", top.id}});
  ASSERT_TRUE(Written(store_->Insert(cm)));
  ExpectStored(fields::CommentFields(), cm, *store_->GetComment(cm.id), "comment insert");
  EXPECT_EQ(store_->GetComment(cm.id)->author_name, "Anne de Vries") << "comment insert: the author's name (joined)";
  auto by = store_->CommentsBy(officer);
  ASSERT_TRUE(by.ok() && by->size() == 1u) << by.status().ToString();
  ExpectStored(fields::CommentFields(), cm, by->front(), "comment insert (CommentsBy)");
  // comments are never updated

  Review rv{.round = r.id, .reviewer = officer, .scores = {{"impact", 4}}};
  SetSamples(fields::ReviewFields(), rv, true, {{"project_id", "p1"}});
  ASSERT_TRUE(Written(store_->PutReview(rv)));
  auto reviews = store_->ReviewsOf(r.id);
  ASSERT_TRUE(reviews.ok() && reviews->size() == 1u) << reviews.status().ToString();
  ExpectStored(fields::ReviewFields(), rv, reviews->front(), "review insert");
  // a review is replaced (PutReview deletes the reviewer's old one), never updated

  Round vr{.municipality = m, .name = "Stemronde", .budget_eur = 1000, .ballot_kind = BallotKind::kCumulative};
  vr.projects = {{.project_id = "p1", .title = "Bankjes", .cost_eur = 100},
                 {.project_id = "p2", .title = "Bomen", .cost_eur = 100}};
  ASSERT_TRUE(Written(store_->Insert(vr)));
  Ballot bal{.round = vr.id, .voter = submitter, .entries = {{"p1", 2}, {"p2", 1}}};
  SetSamples(fields::BallotFields(), bal, true, {{"kind", "cumulative"}});
  ASSERT_TRUE(Written(store_->PutBallot(bal)));
  auto ballots = store_->BallotsOf(vr.id);
  ASSERT_TRUE(ballots.ok() && ballots->size() == 1u) << ballots.status().ToString();
  ExpectStored(fields::BallotFields(), bal, ballots->front(), "ballot insert");
  EXPECT_EQ(ballots->front().voter, submitter) << "ballot insert: the voter (in no table)";
  SetSamples(fields::BallotFields(), bal, false, {{"kind", "cumulative"}});
  bal.entries = {{"p2", 3}};
  ASSERT_TRUE(Written(store_->PutBallot(bal)));  // the same voter and round: the row is updated
  auto mine = store_->BallotsBy(submitter);
  ASSERT_TRUE(mine.ok() && mine->size() == 1u) << mine.status().ToString();
  ExpectStored(fields::BallotFields(), bal, mine->front(), "ballot update");
  EXPECT_EQ(mine->front().voter, submitter) << "ballot update: the voter (in no table)";

  const fields::Json themes = fields::Json::array({"eenzaamheid", "vergrijzing"});
  MunicipalTask task{.municipality = m, .title = "Groenonderhoud", .capabilities = {{"care", 2}}};
  SetSamples(fields::MunicipalTaskFields(), task, true, {{"themes", themes}});
  ASSERT_TRUE(Written(store_->Insert(task)));
  ExpectStored(fields::MunicipalTaskFields(), task, *store_->GetTask(task.id), "task insert");
  SetSamples(fields::MunicipalTaskFields(), task, false, {{"themes", fields::Json::array({"vergrijzing"})}});
  ASSERT_TRUE(Written(store_->Update(task)));
  ExpectStored(fields::MunicipalTaskFields(), task, *store_->GetTask(task.id), "task update");

  TaskChallenge bid;
  bid.municipality = m;
  bid.task = task.id;
  bid.initiative = a1;
  bid.filed_by = submitter;
  bid.partners = {a2};
  bid.capabilities = {{"care", 1.5}};
  bid.milestones = {{.title = "Start", .due = "2031-03-01", .amount_eur = 1}};  // within the budget
  bid.indicators = {{.name = "uren", .unit = "u", .baseline = 1, .target = 2}};
  bid.proposal = p.id;
  bid.experiment = e.id;
  bid.steps = {{.entered_at = "2031-01-01T00:00:00Z", .decision = "ontvangen", .decided_by = officer}};
  SetSamples(fields::TaskChallengeFields(), bid, true, {{"themes", themes}});
  ASSERT_TRUE(Written(store_->Insert(bid)));
  auto got_bid = store_->GetTaskChallenge(bid.id);
  ASSERT_TRUE(got_bid.ok()) << got_bid.status().ToString();
  ExpectStored(fields::TaskChallengeFields(), bid, *got_bid, "bid insert");
  EXPECT_EQ(got_bid->filed_by, submitter) << "bid insert: who filed it (in no table)";
  ASSERT_EQ(got_bid->steps.size(), 1u) << "bid insert: the steps taken";
  EXPECT_EQ(got_bid->steps[0].decided_by, officer) << "bid insert: who decided a step (in no table)";
  EXPECT_EQ(got_bid->steps[0].decision, "ontvangen") << "bid insert: the steps taken";
  SetSamples(fields::TaskChallengeFields(), bid, false, {{"themes", fields::Json::array({"vergrijzing"})}});
  bid.filed_by = officer;
  bid.steps[0].decided_by = submitter;
  ASSERT_TRUE(Written(store_->Update(bid)));
  got_bid = store_->GetTaskChallenge(bid.id);
  ASSERT_TRUE(got_bid.ok()) << got_bid.status().ToString();
  ExpectStored(fields::TaskChallengeFields(), bid, *got_bid, "bid update");
  EXPECT_EQ(got_bid->filed_by, officer) << "bid update: who filed it (in no table)";
  ASSERT_EQ(got_bid->steps.size(), 1u) << "bid update: the steps taken";
  EXPECT_EQ(got_bid->steps[0].decided_by, submitter) << "bid update: who decided a step (in no table)";

  RoleGrant grant{.user = officer, .municipality = m, .actor = a1};
  SetSamples(fields::RoleGrantFields(), grant, true, {{"role", "moderator"}});
  ASSERT_TRUE(Written(store_->Grant(grant)));
  auto grants = store_->GrantsOf(officer);
  ASSERT_TRUE(grants.ok() && grants->size() == 1u) << grants.status().ToString();
  ExpectStored(fields::RoleGrantFields(), grant, grants->front(), "grant insert");
  // grants are never updated (Revoke deletes them)

  Allocation al{.round = r.id, .proposal = p.id};
  SetSamples(fields::AllocationFields(), al, true);
  ASSERT_TRUE(Written(store_->PutAllocations(r.id, {al})));
  auto allocations = store_->AllocationsOf(r.id);
  ASSERT_TRUE(allocations.ok() && allocations->size() == 1u) << allocations.status().ToString();
  ExpectStored(fields::AllocationFields(), al, allocations->front(), "allocation insert");
  // a round's allocations are replaced whole, never updated

  AuditEntry ae{.user = officer, .municipality = m, .before = R"({"naam":"oud"})", .after = R"({"naam":"nieuw"})"};
  SetSamples(fields::AuditEntryFields(), ae, true);
  ASSERT_TRUE(Written(store_->Append(ae)));
  auto log = store_->AuditOf(ae.entity, ae.entity_id);
  ASSERT_TRUE(log.ok() && log->size() == 1u) << log.status().ToString();
  ExpectStored(fields::AuditEntryFields(), ae, log->front(), "audit insert");
  EXPECT_EQ(log->front().before, ae.before) << "audit insert: the snapshot before (in no table)";
  EXPECT_EQ(log->front().after, ae.after) << "audit insert: the snapshot after (in no table)";
  // the log is never updated
}

// --- opening and migrations -------------------------------------------------------------------

TEST_P(StoreContract, RecordsSchemaVersionAndDialect) {
  const auto& migrations = GetParam() == Backend::kSqlite ? SqliteMigrations() : PostgresMigrations();
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, migrations.back().version);
  EXPECT_GE(*v, 2);
  EXPECT_EQ(store_->Dialect(), GetParam() == Backend::kSqlite ? "sqlite" : "postgres");
  auto c = store_->Count();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->municipalities + c->actors + c->ties + c->challenges + c->users, 0);
}

TEST_P(StoreContract, MigrationsAreIdempotentOnReopen) {
  MunicipalityId m = AddGemeente();
  ActorId a = AddActor("Buurtkracht", m);
  int64_t version = Version();
  Reopen();
  Reopen();
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, (GetParam() == Backend::kSqlite ? SqliteMigrations() : PostgresMigrations()).back().version);
  EXPECT_EQ(Version(), version) << "reopening must not count as a write";
  auto got = store_->GetActor(a);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "Buurtkracht");
  // Ids keep counting after a reopen.
  ActorId b = AddActor("Tweede", m);
  EXPECT_GT(b.value(), a.value());
}

TEST_P(StoreContract, RefusesASchemaNewerThanItKnows) {
  ExecRaw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 'x')");
  store_.reset();
  auto s = Store::Open(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition) << s.status().ToString();
  EXPECT_TRUE(Contains(s.status(), "999")) << s.status().ToString();
}

TEST_P(StoreContract, CorruptRowsAreErrorsNotCrashes) {
  ActorId a = AddActor("Heel");
  ActorId b = AddActor("Kapot");
  ExecRaw("UPDATE actors SET kind = 'alien' WHERE id = " + std::to_string(b.value()));
  Status s = store_->GetActor(b).status();
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_TRUE(Contains(s, "actors row " + std::to_string(b.value()))) << s.ToString();
  EXPECT_TRUE(store_->GetActor(a).ok());
  ExecRaw("UPDATE actors SET kind = 'company', themes = '[\"jeugd\"' WHERE id = " + std::to_string(b.value()));
  s = store_->GetActor(b).status();
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_TRUE(Contains(s, "themes")) << s.ToString();
}

// --- CRUD of every entity -----------------------------------------------------------------------

TEST_P(StoreContract, MunicipalityCrud) {
  Municipality m = Gemeente("GM0363", "Amsterdam");
  auto id = store_->Insert(m);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_TRUE(id->valid());
  EXPECT_EQ(*id, m.id);
  auto got = store_->GetMunicipality(m.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Dump(*got), Dump(m));
  auto by_code = store_->GetMunicipalityByCode("GM0363");
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(by_code->id, m.id);

  m.name = "Gemeente Amsterdam";
  m.population = 931298;
  m.lat = 52.3676;
  ASSERT_TRUE(store_->Update(m).ok());
  EXPECT_EQ(Dump(*store_->GetMunicipality(m.id)), Dump(m));

  EXPECT_EQ(store_->GetMunicipality(MunicipalityId(999)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetMunicipalityByCode("GM9999").status().code(), StatusCode::kNotFound);
  Municipality ghost = Gemeente("GM0001", "Nergens");
  ghost.id = MunicipalityId(999);
  EXPECT_EQ(store_->Update(ghost).code(), StatusCode::kNotFound);

  Municipality dup = Gemeente("GM0363", "Nog een Amsterdam");
  Status s = store_->Insert(dup).status();
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(Contains(s, "cbs_code")) << s.ToString();

  Municipality bad = Gemeente("GM363", "Fout");
  s = store_->Insert(bad).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "cbs_code")) << s.ToString();
  EXPECT_EQ(store_->Count()->municipalities, 1);
  EXPECT_FALSE(bad.id.valid());
}

TEST_P(StoreContract, ActorCrud) {
  MunicipalityId m = AddGemeente();
  Actor a = Org("Zorgcoöperatie Noord", m, ActorKind::kCareWelfare, {"zorg", "ouderenzorg"});
  ASSERT_TRUE(store_->Insert(a).ok());
  ASSERT_TRUE(a.id.valid());
  EXPECT_EQ(Dump(*store_->GetActor(a.id)), Dump(a));

  a.name = "Zorgcoöperatie Noord-West";
  a.themes = {"jeugd"};
  a.capabilities = {"data-analysis"};
  a.municipality = MunicipalityId();
  a.generated = false;
  ASSERT_TRUE(store_->Update(a).ok());
  EXPECT_EQ(Dump(*store_->GetActor(a.id)), Dump(a));
  ListQuery by_theme{.theme = "jeugd"};
  EXPECT_EQ(store_->ListActors(by_theme)->size(), 1u);
  by_theme.theme = "zorg";
  EXPECT_EQ(store_->ListActors(by_theme)->size(), 0u) << "themes index follows updates";

  Actor ghost = Org("Spook");
  ghost.id = ActorId(424242);
  EXPECT_EQ(store_->Update(ghost).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetActor(ActorId(424242)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteActor(ActorId(424242)).code(), StatusCode::kNotFound);

  Actor nameless = Org("   ");
  Status s = store_->Insert(nameless).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "actor.name")) << s.ToString();
  Actor unknown_theme = Org("Thema", m, ActorKind::kCompany, {"ruimtevaart"});
  s = store_->Insert(unknown_theme).status();
  EXPECT_TRUE(Contains(s, "actor.themes")) << s.ToString();

  Actor homeless = Org("Zwerver", MunicipalityId(777));
  s = store_->Insert(homeless).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "actor.municipality")) << s.ToString();
  EXPECT_TRUE(Contains(s, "777")) << s.ToString();
  EXPECT_EQ(store_->Count()->actors, 1);

  ActorId b = AddActor("Partner", m);
  Tie t{.a = a.id, .b = b};
  ASSERT_TRUE(store_->Insert(t).ok());
  ASSERT_TRUE(store_->DeleteActor(a.id).ok());
  EXPECT_EQ(store_->GetActor(a.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->TiesOf(b)->empty()) << "deleting an actor deletes its ties";
  EXPECT_EQ(store_->Count()->ties, 0);
}

TEST_P(StoreContract, TieCrudAndForeignKeys) {
  ActorId a = AddActor("Een");
  ActorId b = AddActor("Twee");
  ActorId c = AddActor("Drie");
  Tie t{.a = b,
        .b = a,
        .weight = 0.1,
        .kind = TieKind::kCoFunded,
        .source = TieSource::kImported,
        .from = "2024-01-01",
        .until = "2025-06-30",
        .note = "samen \"gefinancierd\""};
  ASSERT_TRUE(store_->Insert(t).ok());
  EXPECT_TRUE(t.id.valid());
  EXPECT_EQ(t.a, a) << "stored with a < b";
  auto ties = store_->TiesOf(a);
  ASSERT_TRUE(ties.ok());
  ASSERT_EQ(ties->size(), 1u);
  EXPECT_EQ(Dump((*ties)[0]), Dump(t));
  Tie u{.a = b, .b = c};
  ASSERT_TRUE(store_->Insert(u).ok());
  EXPECT_EQ(store_->TiesOf(b)->size(), 2u);
  EXPECT_EQ(store_->ListTies()->size(), 2u);

  Tie dangling{.a = a, .b = ActorId(999)};
  Status s = store_->Insert(dangling).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "tie.b")) << s.ToString();
  EXPECT_TRUE(Contains(s, "actor 999")) << s.ToString();
  Tie self{.a = a, .b = a};
  s = store_->Insert(self).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "tie.b")) << s.ToString();
  Tie weightless{.a = a, .b = c, .weight = 0};
  EXPECT_TRUE(Contains(store_->Insert(weightless).status(), "tie.weight"));
  EXPECT_EQ(store_->Count()->ties, 2);

  ASSERT_TRUE(store_->DeleteTie(t.id).ok());
  EXPECT_EQ(store_->DeleteTie(t.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->TiesOf(a)->size(), 0u);
}

TEST_P(StoreContract, ChallengeCrud) {
  MunicipalityId m = AddGemeente();
  ActorId owner = AddActor("Gemeente Amsterdam", m, ActorKind::kGovernment);
  Challenge c{.municipality = m, .title = "Eenzaamheid onder ouderen", .text = "Tekst", .language = "nl"};
  c.themes = {"eenzaamheid", "vergrijzing"};
  c.capabilities = {{"care", 2.5}, {"software", 1}};
  c.sector_mix = {{Sector::kGovernment, 1}, {Sector::kKnowledge, 1}};
  c.max_coalition_size = 5;
  c.budget_eur = 250000;
  c.area = "Noord";
  c.deadline = "2027-03-01";
  c.owner = owner;
  c.created_at = "2026-11-29T10:00:00Z";
  ASSERT_TRUE(store_->Insert(c).ok());
  EXPECT_EQ(Dump(*store_->GetChallenge(c.id)), Dump(c));

  c.phase = ChallengePhase::kMatching;
  c.capabilities = {{"data-analysis", 1}};
  c.sector_mix.clear();
  c.themes = {"armoede"};
  ASSERT_TRUE(store_->Update(c).ok());
  EXPECT_EQ(Dump(*store_->GetChallenge(c.id)), Dump(c));
  EXPECT_EQ(store_->ListChallenges({.theme = "armoede"})->size(), 1u);
  EXPECT_EQ(store_->ListChallenges({.theme = "eenzaamheid"})->size(), 0u);
  EXPECT_EQ(store_->ListChallenges({.phase = ChallengePhase::kMatching})->size(), 1u);
  EXPECT_EQ(store_->ListChallenges({.phase = ChallengePhase::kOpen})->size(), 0u);

  EXPECT_EQ(store_->GetChallenge(ChallengeId(5000)).status().code(), StatusCode::kNotFound);
  Challenge nowhere{.municipality = MunicipalityId(31337), .title = "Waar?"};
  Status s = store_->Insert(nowhere).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "challenge.municipality")) << s.ToString();
  Challenge untitled{.municipality = m};
  EXPECT_TRUE(Contains(store_->Insert(untitled).status(), "challenge.title"));
  EXPECT_EQ(store_->Count()->challenges, 1);
}

TEST_P(StoreContract, CoalitionCrud) {
  MunicipalityId m = AddGemeente();
  ChallengeId ch = AddChallenge(m);
  ActorId a = AddActor("Lead", m), b = AddActor("Lid", m);
  Coalition c{
      .challenge = ch, .explanation = "dekt zorg en software", .score = 0.75, .created_at = "2026-11-29T10:00:00Z"};
  c.members = {{.actor = a, .role = "lead", .status = MemberStatus::kAccepted, .covers = {"care"}},
               {.actor = b, .role = "member", .status = MemberStatus::kInvited, .covers = {"software", "care"}}};
  ASSERT_TRUE(store_->Insert(c).ok());
  EXPECT_EQ(Dump(*store_->GetCoalition(c.id)), Dump(c));
  c.members.pop_back();
  c.status = CoalitionStatus::kFormed;
  ASSERT_TRUE(store_->Update(c).ok());
  EXPECT_EQ(Dump(*store_->GetCoalition(c.id)), Dump(c));
  auto of = store_->CoalitionsOf(ch);
  ASSERT_TRUE(of.ok());
  ASSERT_EQ(of->size(), 1u);
  EXPECT_EQ((*of)[0].id, c.id);
  EXPECT_EQ(store_->GetCoalition(CoalitionId(77)).status().code(), StatusCode::kNotFound);

  Coalition ghost_member{.challenge = ch, .members = {{.actor = ActorId(8888)}}};
  Status s = store_->Insert(ghost_member).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "coalition.members")) << s.ToString();
  EXPECT_TRUE(Contains(s, "8888")) << s.ToString();
  Coalition empty{.challenge = ch};
  EXPECT_TRUE(Contains(store_->Insert(empty).status(), "coalition.members"));
  EXPECT_EQ(store_->Count()->coalitions, 1);

  s = store_->DeleteActor(a);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_TRUE(store_->GetActor(a).ok());
}

// The batched reads (one query per child table for all the parents of a read) give what reading
// each parent alone gives: children stay with their own parent, in order, also on a paged list.
TEST_P(StoreContract, BatchedReadsGiveWhatOneByOneReadsGive) {
  MunicipalityId m = AddGemeente();
  ChallengeId first = AddChallenge(m, "Eerste"), none = AddChallenge(m, "Zonder"), third = AddChallenge(m, "Derde");
  ActorId a = AddActor("Lead", m), b = AddActor("Lid", m);
  for (auto [ch, why] : {std::pair{first, "zorg"}, std::pair{third, "software"}, std::pair{first, "beide"}}) {
    Coalition c{.challenge = ch, .explanation = why, .score = 0.5, .created_at = "2026-11-29T10:00:00Z"};
    c.members = {{.actor = a, .role = "lead", .covers = {"care", why}}, {.actor = b, .role = "member", .covers = {}}};
    ASSERT_TRUE(store_->Insert(c).ok()) << why;
  }
  std::string one_by_one;
  for (ChallengeId ch : {first, none, third}) {
    auto of = store_->CoalitionsOf(ch);
    ASSERT_TRUE(of.ok()) << of.status().ToString();
    for (const Coalition& c : *of) one_by_one += Dump(c);
  }
  std::string batched;
  auto all = store_->CoalitionsOfChallenges({third, first, none, first});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  for (const Coalition& c : *all) batched += Dump(c);
  EXPECT_EQ(batched, one_by_one);
  // Many ids (more than one query's worth, most without coalitions) and none at all.
  std::vector<ChallengeId> many;
  for (int64_t id = 1; id <= 600; ++id) many.emplace_back(id);
  many.push_back(third);
  EXPECT_EQ(store_->CoalitionsOfChallenges(many)->size(), 3u);
  EXPECT_TRUE(store_->CoalitionsOfChallenges({})->empty());

  for (const std::string name : {"Aalten", "Borne", "Cuijk"}) {
    Round r{.municipality = m, .name = name, .budget_eur = 1000};
    r.projects = {{.project_id = name + "-1", .cost_eur = 10}, {.project_id = name + "-2", .cost_eur = 20}};
    r.criteria = {{name + " haalbaar", "", 5}};
    ASSERT_TRUE(store_->Insert(r).ok());
  }
  auto page = store_->ListRounds({.limit = 1, .offset = 1, .municipality = m, .order_by = "-name"});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].name, "Borne");
  EXPECT_EQ(Dump((*page)[0]), Dump(*store_->GetRound((*page)[0].id)));
  ASSERT_EQ((*page)[0].projects.size(), 2u);
  EXPECT_EQ((*page)[0].projects[1].project_id, "Borne-2");
  std::string rounds_one_by_one, rounds_batched;
  auto rounds = store_->ListRounds({.municipality = m});
  ASSERT_TRUE(rounds.ok()) << rounds.status().ToString();
  ASSERT_EQ(rounds->size(), 3u);
  for (const Round& r : *rounds) {
    rounds_batched += Dump(r);
    rounds_one_by_one += Dump(*store_->GetRound(r.id));
    ASSERT_EQ(r.criteria.size(), 1u) << r.name;
    EXPECT_EQ(r.criteria[0].name, r.name + " haalbaar");
    EXPECT_EQ(r.criteria[0].max_score, 5);
  }
  EXPECT_EQ(rounds_batched, rounds_one_by_one);
}

TEST_P(StoreContract, ProposalCrud) {
  MunicipalityId m = AddGemeente();
  ChallengeId ch = AddChallenge(m);
  UserId author = AddUser("anne@example.nl");
  Proposal p{.challenge = ch, .status = "draft", .supports = 3};
  ProposalVersion v1{.number = 1,
                     .title = "Koffie op de hoek",
                     .plan = "Plan",
                     .budget_eur = 40000,
                     .indicators = {"eenzaamheidsscore"},
                     .author = author,
                     .created_at = "2026-11-29T10:00:00Z"};
  v1.milestones = {
      {.title = "Start", .due = "2027-01-01", .amount_eur = 10000},
      {.title = "Evaluatie", .due = "2027-06-01", .amount_eur = 30000, .status = "submitted", .evidence = "rapport"}};
  p.versions = {v1};
  ASSERT_TRUE(store_->Insert(p).ok());
  EXPECT_EQ(Dump(*store_->GetProposal(p.id)), Dump(p));
  ProposalVersion v2 = v1;
  v2.number = 2;
  v2.title = "Koffie op elke hoek";
  v2.milestones.pop_back();
  p.versions.push_back(v2);
  p.status = "submitted";
  ASSERT_TRUE(store_->Update(p).ok());
  EXPECT_EQ(Dump(*store_->GetProposal(p.id)), Dump(p));
  EXPECT_EQ(store_->ProposalsOf(ch)->size(), 1u);
  EXPECT_EQ(store_->GetProposal(ProposalId(99)).status().code(), StatusCode::kNotFound);

  Proposal orphan{.challenge = ChallengeId(4040), .versions = {v1}};
  Status s = store_->Insert(orphan).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "proposal.challenge")) << s.ToString();
  Proposal versionless{.challenge = ch};
  EXPECT_TRUE(Contains(store_->Insert(versionless).status(), "proposal.versions"));
}

// Lists longer than one statement of child rows (100 VALUES rows, RowMap::InsertChildren): a
// round's 250 projects and a ballot's 250 entries come back whole and in their order.
TEST_P(StoreContract, ListsOfMoreThanOneStatementComeBackInOrder) {
  MunicipalityId m = AddGemeente();
  Round r{
      .municipality = m, .name = "Groot buurtbudget", .budget_eur = 1000000, .ballot_kind = BallotKind::kCumulative};
  r.max_points = 250;
  r.max_points_per_project = 2;
  for (int i = 0; i < 250; ++i)
    r.projects.push_back(
        {.project_id = "p" + std::to_string(i), .title = "Project " + std::to_string(i), .cost_eur = 100 + i});
  ASSERT_TRUE(store_->Insert(r).ok());
  EXPECT_EQ(Dump(*store_->GetRound(r.id)), Dump(r));
  r.phase = RoundPhase::kVoting;
  ASSERT_TRUE(store_->Update(r).ok());
  Ballot b{.round = r.id,
           .voter = AddUser("veel@example.nl"),
           .kind = BallotKind::kCumulative,
           .cast_at = "2026-12-08T09:00:00Z"};
  for (int i = 249; i >= 0; --i) b.entries.push_back({"p" + std::to_string(i), 1});
  ASSERT_TRUE(store_->PutBallot(b).ok());
  auto ballots = store_->BallotsOf(r.id);
  ASSERT_TRUE(ballots.ok());
  ASSERT_EQ(ballots->size(), 1u);
  EXPECT_EQ(Dump((*ballots)[0]), Dump(b));
}

TEST_P(StoreContract, RoundsAndOneBallotPerVoter) {
  MunicipalityId m = AddGemeente();
  Round r{.municipality = m, .name = "Buurtbudget Noord", .budget_eur = 100000, .ballot_kind = BallotKind::kCumulative};
  r.max_points = 10;
  r.max_points_per_project = 6;
  r.projects = {
      {.project_id = "p1", .title = "Speeltuin", .cost_eur = 40000, .category = "groen", .neighbourhood = "Noord"},
      {.project_id = "p2", .title = "Buurthuis", .cost_eur = 70000}};
  ASSERT_TRUE(store_->Insert(r).ok());
  EXPECT_EQ(Dump(*store_->GetRound(r.id)), Dump(r));
  r.phase = RoundPhase::kVoting;
  r.projects.push_back({.project_id = "p3", .cost_eur = 5000});
  ASSERT_TRUE(store_->Update(r).ok());
  EXPECT_EQ(Dump(*store_->GetRound(r.id)), Dump(r));
  EXPECT_EQ(store_->ListRounds({.municipality = m})->size(), 1u);

  UserId anne = AddUser("anne@example.nl"), bob = AddUser("bob@example.nl");
  Ballot b{.round = r.id,
           .voter = anne,
           .kind = BallotKind::kCumulative,
           .entries = {{"p1", 6}, {"p2", 4}},
           .cast_at = "2026-11-29T11:00:00Z"};
  ASSERT_TRUE(store_->PutBallot(b).ok());
  BallotId first = b.id;
  EXPECT_TRUE(first.valid());
  Ballot again{.round = r.id,
               .voter = anne,
               .kind = BallotKind::kCumulative,
               .entries = {{"p3", 2}},
               .cast_at = "2026-11-29T12:00:00Z"};
  ASSERT_TRUE(store_->PutBallot(again).ok());
  EXPECT_EQ(again.id, first) << "a second ballot replaces the first";
  Ballot other{.round = r.id, .voter = bob, .kind = BallotKind::kCumulative, .entries = {{"p1", 1}}};
  ASSERT_TRUE(store_->PutBallot(other).ok());
  auto ballots = store_->BallotsOf(r.id);
  ASSERT_TRUE(ballots.ok());
  ASSERT_EQ(ballots->size(), 2u);
  EXPECT_EQ(Dump((*ballots)[0]), Dump(again));
  EXPECT_EQ(Dump((*ballots)[1]), Dump(other));
  EXPECT_EQ(store_->Count()->ballots, 2);

  Ballot greedy{.round = r.id, .voter = bob, .kind = BallotKind::kCumulative, .entries = {{"p1", 6}, {"p2", 6}}};
  Status s = store_->PutBallot(greedy).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "ballot.entries")) << s.ToString();
  EXPECT_EQ(Dump((*store_->BallotsOf(r.id))[1]), Dump(other)) << "a rejected ballot leaves the old one";
  Ballot unknown_project{.round = r.id, .voter = bob, .kind = BallotKind::kCumulative, .entries = {{"p9", 1}}};
  EXPECT_TRUE(Contains(store_->PutBallot(unknown_project).status(), "p9"));
  Ballot no_round{.round = RoundId(123), .voter = bob, .kind = BallotKind::kCumulative};
  s = store_->PutBallot(no_round).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "ballot.round")) << s.ToString();
  Ballot ghost_voter{.round = r.id, .voter = UserId(5555), .kind = BallotKind::kCumulative, .entries = {{"p1", 1}}};
  s = store_->PutBallot(ghost_voter).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "ballot.voter")) << s.ToString();
  Round broke{.municipality = m, .name = "Leeg", .budget_eur = 0};
  EXPECT_TRUE(Contains(store_->Insert(broke).status(), "round.budget_eur"));
}

// A cast (Store::CastBallot) checks the round and the voter in its own statement, so that it needs
// no read before it: written only while the round is in voting and the voter not voided.
TEST_P(StoreContract, CastBallotWritesOnlyIntoAnOpenRoundForAVoterNotVoided) {
  MunicipalityId m = AddGemeente();
  Round r{.municipality = m, .name = "Buurtbudget Noord", .budget_eur = 100000};
  r.projects = {{.project_id = "p1", .title = "Speeltuin", .cost_eur = 40000},
                {.project_id = "p2", .title = "Buurthuis", .cost_eur = 70000}};
  ASSERT_TRUE(store_->Insert(r).ok());
  UserId anne = AddUser("anne@example.nl"), bob = AddUser("bob@example.nl");
  Ballot b{.round = r.id, .voter = anne, .kind = BallotKind::kApproval, .entries = {{"p1", 1}, {"p2", 1}}};
  Status early = store_->CastBallot(b).status();
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition) << early.ToString();
  EXPECT_TRUE(Contains(early, "not open")) << early.ToString();
  EXPECT_EQ(store_->Count()->ballots, 0) << "nothing is written before voting opens";

  r.phase = RoundPhase::kVoting;
  ASSERT_TRUE(store_->Update(r).ok());
  int64_t before = Version();
  ASSERT_TRUE(store_->CastBallot(b).ok());
  EXPECT_GT(Version(), before) << "a cast is a change of the round";
  Ballot again{.round = r.id, .voter = anne, .kind = BallotKind::kApproval, .entries = {{"p2", 1}}};
  ASSERT_TRUE(store_->CastBallot(again).ok());
  EXPECT_EQ(again.id, b.id) << "a second cast replaces the first";
  Ballot bobs{.round = r.id, .voter = bob, .kind = BallotKind::kApproval, .entries = {{"p1", 1}}};
  ASSERT_TRUE(store_->CastBallot(bobs).ok());
  auto ballots = store_->BallotsOf(r.id);
  ASSERT_TRUE(ballots.ok());
  ASSERT_EQ(ballots->size(), 2u);
  EXPECT_EQ(Dump((*ballots)[0]), Dump(again));

  ASSERT_TRUE(store_->VoidBallots(r.id, {bob}).ok());
  Status voided = store_->CastBallot(bobs).status();
  EXPECT_EQ(voided.code(), StatusCode::kFailedPrecondition) << voided.ToString();
  EXPECT_EQ(store_->BallotsOf(r.id)->size(), 1u) << "a voided voter's cast writes nothing";

  r.phase = RoundPhase::kAllocation;
  ASSERT_TRUE(store_->Update(r).ok());
  Ballot late{.round = r.id, .voter = anne, .kind = BallotKind::kApproval, .entries = {{"p1", 1}}};
  EXPECT_EQ(store_->CastBallot(late).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Dump((*store_->BallotsOf(r.id))[0]), Dump(again)) << "a late cast leaves the ballot as it was";
}

// PostgreSQL lends further writers (Store::OpenWriter) for casts beside each other; SQLite has one
// writer. Casts from several connections at once all land, each once, with one change each.
TEST_P(StoreContract, WritersBesideTheFirstCastBallotsAtOnce) {
  auto writer = Store::OpenWriter(url_);
  if (GetParam() == Backend::kSqlite) {
    EXPECT_EQ(writer.status().code(), StatusCode::kFailedPrecondition) << writer.status().ToString();
    return;
  }
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  MunicipalityId m = AddGemeente();
  Round r{.municipality = m, .name = "Buurtbudget Noord", .budget_eur = 100000};
  r.phase = RoundPhase::kVoting;
  r.projects = {{.project_id = "p1", .title = "Speeltuin", .cost_eur = 40000},
                {.project_id = "p2", .title = "Buurthuis", .cost_eur = 70000}};
  ASSERT_TRUE(store_->Insert(r).ok());
  constexpr int kThreads = 4, kVoters = 40;
  std::vector<UserId> voters;
  for (int i = 0; i < kThreads * kVoters; ++i) voters.push_back(AddUser("v" + std::to_string(i) + "@example.nl"));
  std::vector<std::unique_ptr<Store>> writers;
  writers.push_back(std::move(writer).value());
  for (int t = 1; t < kThreads; ++t) {
    auto w = Store::OpenWriter(url_);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    writers.push_back(std::move(w).value());
  }
  int64_t before = Version();
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      // Every voter casts twice (the second replaces the first), the threads' voters interleaved.
      for (int round = 0; round < 2; ++round)
        for (int i = t; i < kThreads * kVoters; i += kThreads) {
          Ballot b{.round = r.id, .voter = voters[static_cast<size_t>(i)], .kind = BallotKind::kApproval};
          b.entries = {{round == 0 ? "p1" : "p2", 1}};
          if (i % 3 == 0) b.entries.push_back({round == 0 ? "p2" : "p1", 1});
          if (!writers[static_cast<size_t>(t)]->CastBallot(b).ok()) ++failed;
        }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  auto ballots = store_->BallotsOf(r.id);
  ASSERT_TRUE(ballots.ok());
  ASSERT_EQ(ballots->size(), static_cast<size_t>(kThreads * kVoters));
  for (const auto& b : *ballots) {
    size_t i = static_cast<size_t>(std::find(voters.begin(), voters.end(), b.voter) - voters.begin());
    ASSERT_LT(i, voters.size());
    ASSERT_FALSE(b.entries.empty());
    EXPECT_EQ(b.entries[0].project_id, "p2") << "the second cast of voter " << i << " replaced the first";
    EXPECT_EQ(b.entries.size(), i % 3 == 0 ? 2u : 1u);
  }
  auto changes = store_->ChangesSince(before, 100000);
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->changes.size(), static_cast<size_t>(2 * kThreads * kVoters)) << "one change per cast";
}

TEST_P(StoreContract, ExperimentCrud) {
  MunicipalityId m = AddGemeente();
  ChallengeId ch = AddChallenge(m);
  Proposal p{.challenge = ch, .versions = {{.number = 1, .title = "Plan"}}};
  ASSERT_TRUE(store_->Insert(p).ok());
  Experiment e{.proposal = p.id, .hypotheses = {"koffie helpt", "ontmoeting helpt"}, .outcome = "", .learned = ""};
  e.indicators = {{.name = "eenzaamheid",
                   .unit = "score",
                   .baseline = 6.2,
                   .target = 5.0,
                   .measurements = {{"2027-01-01", 6.1, "enquête"}, {"2027-02-01", 5.9, "enquête"}}},
                  {.name = "bezoekers", .unit = "n", .baseline = 0, .target = 100}};
  e.milestones = {{.title = "Eerste meting", .due = "2027-01-15", .amount_eur = 5000}};
  ASSERT_TRUE(store_->Insert(e).ok());
  EXPECT_TRUE(e.indicators[0].id.valid());
  EXPECT_TRUE(e.indicators[1].id.valid());
  EXPECT_NE(e.indicators[0].id, e.indicators[1].id);
  EXPECT_EQ(Dump(*store_->GetExperiment(e.id)), Dump(e));
  e.status = "completed";
  e.learned = "ontmoeting werkt";
  e.indicators[1].measurements.push_back({"2027-03-01", 80, "teller"});
  ASSERT_TRUE(store_->Update(e).ok());
  EXPECT_EQ(Dump(*store_->GetExperiment(e.id)), Dump(e));
  EXPECT_EQ(store_->ListExperiments()->size(), 1u);
  EXPECT_EQ(store_->GetExperiment(ExperimentId(3)).status().code(), StatusCode::kNotFound);
  Experiment bad_date{.proposal = p.id, .indicators = {{.name = "x", .measurements = {{"gisteren", 1, ""}}}}};
  EXPECT_TRUE(Contains(store_->Insert(bad_date).status(), "experiment.indicators"));
  Experiment orphan{.proposal = ProposalId(4711)};
  Status s = store_->Insert(orphan).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "experiment.proposal")) << s.ToString();
}

TEST_P(StoreContract, UsersAndRoleGrants) {
  MunicipalityId m = AddGemeente();
  ActorId a = AddActor("Buurtkracht", m);
  UserId u = AddUser("Anne@Example.nl");
  auto got = store_->GetUser(u);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "Anne@Example.nl");
  auto by_email = store_->GetUserByEmail("anne@example.NL");
  ASSERT_TRUE(by_email.ok()) << by_email.status().ToString();
  EXPECT_EQ(Dump(*by_email), Dump(*got));
  EXPECT_EQ(store_->GetUserByEmail("niemand@example.nl").status().code(), StatusCode::kNotFound);

  User twin{.email = "anne@example.nl", .display_name = "Anne 2"};
  Status s = store_->Insert(twin).status();
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(Contains(s, "email")) << s.ToString();
  User noat{.email = "anne", .display_name = "Anne"};
  EXPECT_TRUE(Contains(store_->Insert(noat).status(), "user.email"));
  got->display_name = "Anne de Vries-Jansen";
  ASSERT_TRUE(store_->Update(*got).ok());
  EXPECT_EQ(store_->GetUser(u)->display_name, "Anne de Vries-Jansen");

  RoleGrant officer{.user = u, .role = Role::kOfficer, .municipality = m};
  RoleGrant member{.user = u, .role = Role::kActorMember, .actor = a};
  ASSERT_TRUE(store_->Grant(officer).ok());
  ASSERT_TRUE(store_->Grant(officer).ok()) << "granting twice is harmless";
  ASSERT_TRUE(store_->Grant(member).ok());
  auto grants = store_->GrantsOf(u);
  ASSERT_TRUE(grants.ok());
  ASSERT_EQ(grants->size(), 2u);
  ASSERT_TRUE(store_->Revoke(officer).ok());
  EXPECT_EQ(store_->Revoke(officer).code(), StatusCode::kNotFound);
  grants = store_->GrantsOf(u);
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].role, Role::kActorMember);
  EXPECT_EQ((*grants)[0].actor, a);

  RoleGrant stranger{.user = UserId(999), .role = Role::kPlatformAdmin};
  s = store_->Grant(stranger);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "role_grant.user")) << s.ToString();
}

// --- transactions -----------------------------------------------------------------------------

TEST_P(StoreContract, SessionsAreKeptByHashAndDoNotTouchTheDataVersion) {
  UserId u = AddUser("anne@example.nl");
  UserId w = AddUser("wim@example.nl");
  int64_t version = Version();
  StoredSession s{"hash-a", u, "2026-11-29T10:00:00Z", "2026-11-29T10:00:00Z", "2026-11-29T18:00:00Z"};
  ASSERT_TRUE(store_->PutSession(s).ok());
  ASSERT_TRUE(
      store_->PutSession({"hash-b", w, "2026-11-29T09:00:00Z", "2026-11-29T09:00:00Z", "2026-11-29T11:00:00Z"}).ok());
  EXPECT_EQ(store_->PutSession(s).code(), StatusCode::kAlreadyExists);
  Status unknown_user = store_->PutSession({"hash-c", UserId(999), "x", "x", "x"});
  EXPECT_EQ(unknown_user.code(), StatusCode::kInvalidArgument) << unknown_user.ToString();
  EXPECT_TRUE(Contains(unknown_user, "session.user")) << unknown_user.ToString();
  auto got = store_->GetSession("hash-a");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->user, u);
  EXPECT_EQ(got->expires_at, "2026-11-29T18:00:00Z");
  ASSERT_TRUE(store_->TouchSession("hash-a", "2026-11-29T12:34:56Z").ok());
  Reopen();
  got = store_->GetSession("hash-a");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->last_seen_at, "2026-11-29T12:34:56Z");
  EXPECT_EQ(got->created_at, "2026-11-29T10:00:00Z");
  // Expired ones go in one sweep; live ones stay.
  auto swept = store_->DeleteSessionsExpiredBy("2026-11-29T11:00:00Z");
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(store_->GetSession("hash-b").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetSession("hash-a").ok());
  ASSERT_TRUE(store_->DeleteSession("hash-a").ok());
  EXPECT_TRUE(store_->DeleteSession("hash-a").ok()) << "deleting twice is fine (logout twice)";
  EXPECT_EQ(store_->GetSession("hash-a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Version(), version) << "sessions are account state, not open data";
}

// The retention sweep of docs/privacy.md: each kind goes when it is past its cutoff, and only then.
TEST_P(StoreContract, AnIdentityProvidersSubjectLeadsToOneAccountAndGoesWithIt) {
  UserId u = AddUser("jansen@gemeente.example");
  const std::string iss = "https://login.gemeente.example";
  EXPECT_EQ(store_->FindOidcIdentity(iss, "s-1").status().code(), StatusCode::kNotFound);
  int64_t version = Version();
  ASSERT_TRUE(store_->LinkOidcIdentity({iss, "s-1", u, "gemeente", false, true, "2026-12-05T10:00:00Z"}).ok());
  EXPECT_EQ(Version(), version);  // no public answer depends on it: caches stay
  ASSERT_TRUE(store_->FindOidcIdentity(iss, "s-1").ok());
  EXPECT_EQ(*store_->FindOidcIdentity(iss, "s-1"), u);
  // The same subject at another issuer is another person.
  EXPECT_EQ(store_->FindOidcIdentity("https://other.example", "s-1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LinkOidcIdentity({iss, "s-1", u, "gemeente", false, false, "2026-12-05T10:00:00Z"}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->LinkOidcIdentity({iss, "s-2", UserId(999999), "", false, false, "2026-12-05T10:00:00Z"}).code(),
            StatusCode::kInvalidArgument);
  // Erasure (art. 17): the link goes with the account.
  ASSERT_TRUE(store_->DeleteUserKeepingBallots(u, "k-1").ok());
  EXPECT_EQ(store_->FindOidcIdentity(iss, "s-1").status().code(), StatusCode::kNotFound);
}

// Migration 16: an account's links keep the provider, the resident-broker mark and whether the link
// made the account, oldest first; unlinking removes one link of that account only.
TEST_P(StoreContract, AnAccountListsAndUnlinksItsIdentities) {
  UserId u = AddUser("de.vries@example.nl");
  UserId other = AddUser("bakker@example.nl");
  const std::string digid = "https://digid-makelaar.example", gemeente = "https://login.gemeente.example";
  ASSERT_TRUE(
      store_->LinkOidcIdentity({gemeente, "medewerker-7", u, "gemeente", false, false, "2026-12-05T09:00:00Z"}).ok());
  ASSERT_TRUE(store_->LinkOidcIdentity({digid, "pseudoniem-1", u, "digid", true, false, "2026-12-06T09:00:00Z"}).ok());
  ASSERT_TRUE(
      store_->LinkOidcIdentity({digid, "pseudoniem-2", other, "digid", true, true, "2026-12-06T10:00:00Z"}).ok());
  auto links = store_->OidcIdentitiesOf(u);
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0].issuer, gemeente);
  EXPECT_EQ((*links)[0].subject, "medewerker-7");
  EXPECT_EQ((*links)[0].provider, "gemeente");
  EXPECT_FALSE((*links)[0].verified_resident);
  EXPECT_EQ((*links)[0].created_at, "2026-12-05T09:00:00Z");
  EXPECT_EQ((*links)[1].provider, "digid");
  EXPECT_TRUE((*links)[1].verified_resident);
  EXPECT_FALSE((*links)[1].made_account);
  EXPECT_EQ((*links)[1].user, u);
  auto others = store_->OidcIdentitiesOf(other);
  ASSERT_TRUE(others.ok());
  ASSERT_EQ(others->size(), 1u);
  EXPECT_TRUE((*others)[0].made_account);
  // Another account's link is not this account's to remove.
  EXPECT_EQ(store_->UnlinkOidcIdentity(u, digid, "pseudoniem-2").code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->FindOidcIdentity(digid, "pseudoniem-2"), other);
  ASSERT_TRUE(store_->UnlinkOidcIdentity(u, digid, "pseudoniem-1").ok());
  EXPECT_EQ(store_->FindOidcIdentity(digid, "pseudoniem-1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->OidcIdentitiesOf(u)->size(), 1u);
  EXPECT_EQ(store_->UnlinkOidcIdentity(u, digid, "pseudoniem-1").code(), StatusCode::kNotFound) << "gone already";
  EXPECT_TRUE(store_->OidcIdentitiesOf(UserId(999999))->empty());
}

TEST_P(StoreContract, RetentionPurgesWhatIsPastItsCutoffAndNothingElse) {
  UserId u = AddUser("anne@example.nl");
  ASSERT_TRUE(
      store_->PutSession({"old", u, "2026-01-01T10:00:00Z", "2026-01-01T10:00:00Z", "2026-01-01T18:00:00Z"}).ok());
  ASSERT_TRUE(
      store_->PutSession({"live", u, "2026-11-29T10:00:00Z", "2026-11-29T10:00:00Z", "2026-11-29T18:00:00Z"}).ok());
  // A touch with an expiry slides the session.
  ASSERT_TRUE(store_->TouchSession("live", "2026-11-29T17:00:00Z", "2026-11-30T01:00:00Z").ok());
  EXPECT_EQ(store_->GetSession("live")->expires_at, "2026-11-30T01:00:00Z");
  for (const char* at : {"2018-05-01T00:00:00Z", "2026-11-01T00:00:00Z"}) {
    AuditEntry e{0, at, u, MunicipalityId(), "user", u.value(), "update", "", "{}"};
    ASSERT_TRUE(store_->Append(e).ok());
    Notification n{0, u, at, "phase", "Fase", "Phase", "/x", e.id, ""};
    ASSERT_TRUE(store_->Insert(n).ok());
    OutboxEntry o{0, u, std::string(at).substr(0, 10), "Onderwerp", "Tekst", "sent", "", 1, at};
    ASSERT_TRUE(store_->PutOutbox(o).ok());
  }
  StoredToken expired{0, "t-old", u, "oud", "2025-01-01T00:00:00Z", "", "2025-04-01T00:00:00Z", "read"};
  StoredToken legacy{0, "t-legacy", u, "zonder", "2025-01-01T00:00:00Z", "", "", "write"};
  ASSERT_TRUE(store_->Insert(expired).ok());
  ASSERT_TRUE(store_->Insert(legacy).ok());
  int64_t version = Version();
  RetentionCutoffs c{"2026-11-29T12:00:00Z", "2019-11-29T12:00:00Z", "2025-11-29T12:00:00Z", "2026-10-30T12:00:00Z",
                     "2026-10-30T12:00:00Z"};
  auto n = store_->Purge(c);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->sessions, 1);
  EXPECT_EQ(n->audit, 1);
  EXPECT_EQ(n->notifications, 1);
  EXPECT_EQ(n->outbox, 1);
  EXPECT_EQ(n->tokens, 1);
  EXPECT_EQ(store_->GetSession("old").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetSession("live").ok());
  EXPECT_EQ(store_->AuditOf("user", u.value())->size(), 1u);
  EXPECT_EQ(store_->NotificationsOf(u, 10, 0)->size(), 1u);
  EXPECT_EQ(store_->GetOutbox(u, "2018-05-01").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetOutbox(u, "2026-11-01").ok());
  EXPECT_EQ(store_->GetTokenByHash("t-old").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetTokenByHash("t-legacy").ok()) << "a token without a stored expiry is the service's to judge";
  // Empty cutoffs keep everything; a second sweep finds nothing.
  n = store_->Purge(c);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->sessions + n->audit + n->notifications + n->outbox + n->tokens, 0);
  EXPECT_EQ(Version(), version) << "account state and logs, not open data";
}

TEST_P(StoreContract, NotificationsGoInInBulkAllOrNone) {
  UserId anne = AddUser("anne@example.nl");
  UserId wim = AddUser("wim@example.nl");
  int64_t version = Version();
  // Enough rows to take the bulk path's batches (and, on SQLite, its index rebuild) more than once.
  std::vector<Notification> ns;
  for (int i = 0; i < 1500; ++i)
    ns.push_back({0, i % 3 ? anne : wim, "2026-11-29T10:00:00Z", "result", "Uitslag " + std::to_string(i),
                  i % 2 ? "" : "Results", "/rounds/3", i % 5 ? 0 : 7, ""});
  ASSERT_TRUE(store_->InsertNotifications(ns).ok());
  ASSERT_TRUE(store_->InsertNotifications({}).ok());
  auto mine = store_->NotificationsOf(wim, 0, 0);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 500u);
  EXPECT_EQ(mine->back().title, "Uitslag 0") << "newest first";
  EXPECT_EQ(mine->back().title_en, "Results");
  EXPECT_EQ(mine->back().audit_id, 7);
  EXPECT_EQ(mine->back().link, "/rounds/3");
  EXPECT_EQ((*mine)[0].title, "Uitslag 1497");
  EXPECT_EQ((*mine)[0].audit_id, 0) << "no audit entry is NULL, read as 0";
  EXPECT_EQ(*store_->UnreadNotifications(anne), 1000);
  EXPECT_EQ(Version(), version) << "account state, not open data";
  // A row the store refuses leaves none of the batch behind.
  std::vector<Notification> bad = {{0, anne, "2026-11-29T11:00:00Z", "result", "Goed", "", "", 0, ""},
                                   {0, UserId(987654), "2026-11-29T11:00:00Z", "result", "Niemand", "", "", 0, ""}};
  Status s = store_->InsertNotifications(bad);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("987654"), std::string::npos) << s.ToString();
  EXPECT_EQ(*store_->UnreadNotifications(anne), 1000);
  bad[1] = {0, wim, "2026-11-29T11:00:00Z", "", "Geen soort", "", "", 0, ""};
  EXPECT_EQ(store_->InsertNotifications(bad).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_->UnreadNotifications(anne), 1000);
}

TEST_P(StoreContract, ApiTokensAreListedTouchedAndRevoked) {
  UserId u = AddUser("anne@example.nl");
  UserId w = AddUser("wim@example.nl");
  int64_t version = Version();
  StoredToken a{0, "h1", u, "ci", "2026-11-29T10:00:00Z", ""};
  StoredToken b{0, "h2", u, "dashboard", "2026-11-29T10:05:00Z", ""};
  StoredToken c{0, "h3", w, "other", "2026-11-29T10:06:00Z", ""};
  for (auto* t : {&a, &b, &c}) {
    auto id = store_->Insert(*t);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_EQ(*id, t->id);
  }
  EXPECT_NE(a.id, b.id);
  StoredToken dup{0, "h1", w, "copy", "x", ""};
  EXPECT_EQ(store_->Insert(dup).status().code(), StatusCode::kAlreadyExists);
  StoredToken nameless{0, "h9", w, " ", "x", ""};
  EXPECT_EQ(store_->Insert(nameless).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->TouchToken(b.id, "2026-11-29T11:00:00Z").ok());
  Reopen();
  auto got = store_->GetTokenByHash("h2");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, b.id);
  EXPECT_EQ(got->user, u);
  EXPECT_EQ(got->name, "dashboard");
  EXPECT_EQ(got->last_used_at, "2026-11-29T11:00:00Z");
  auto mine = store_->TokensOf(u);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].name, "ci");
  EXPECT_EQ((*mine)[0].last_used_at, "");
  ASSERT_TRUE(store_->DeleteToken(a.id).ok());
  EXPECT_EQ(store_->DeleteToken(a.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTokenByHash("h1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->TokensOf(u)->size(), 1u);
  EXPECT_EQ(Version(), version);
}

// Regression: the comment row was read by three copies that had drifted (two read a NULL author as
// 0, the third read it without a NULL check; two named a removed author "removed user", the third
// ""). One reader now serves CommentsOf, GetComment and CommentsBy.
TEST_P(StoreContract, CommentRowsOfAnAuthorlessCommentAndOfARemovedUserReadAlike) {
  MunicipalityId m = AddGemeente();
  ChallengeId ch = AddChallenge(m);
  UserId anne = AddUser("anne@example.nl");
  UserId wim = AddUser("wim@example.nl");
  Proposal p{.challenge = ch, .versions = {{.number = 1, .title = "Buurtkamers"}}};
  ASSERT_TRUE(store_->Insert(p).ok());
  Comment none{.proposal = p.id, .text = "Zonder naam", .created_at = "2026-11-29T10:00:00Z"};
  ASSERT_TRUE(store_->Insert(none).ok());
  Comment gone{.proposal = p.id, .author = wim, .text = "Van Wim", .created_at = "2026-11-29T10:01:00Z"};
  ASSERT_TRUE(store_->Insert(gone).ok());
  Comment kept{.proposal = p.id, .parent = gone.id, .author = anne, .text = "Van Anne", .created_at = "c"};
  ASSERT_TRUE(store_->Insert(kept).ok());
  ASSERT_TRUE(store_->DeleteUserKeepingBallots(wim, "k-wim").ok());
  Reopen();

  auto list = store_->CommentsOf(p.id);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_FALSE((*list)[i].author.valid()) << i;
    EXPECT_EQ((*list)[i].author_name, "removed user") << i;
    EXPECT_EQ((*list)[i].parent, 0) << i;
  }
  EXPECT_EQ((*list)[1].text, "Van Wim");
  EXPECT_EQ((*list)[2].author, anne);
  EXPECT_EQ((*list)[2].author_name, "Anne de Vries");
  EXPECT_EQ((*list)[2].parent, gone.id);
  for (const Comment& c : *list) {
    auto one = store_->GetComment(c.id);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    EXPECT_EQ(one->author, c.author);
    EXPECT_EQ(one->author_name, c.author_name);
    EXPECT_EQ(one->parent, c.parent);
    EXPECT_EQ(one->text, c.text);
    EXPECT_EQ(one->created_at, c.created_at);
  }
  auto by_anne = store_->CommentsBy(anne);
  ASSERT_TRUE(by_anne.ok()) << by_anne.status().ToString();
  ASSERT_EQ(by_anne->size(), 1u);
  EXPECT_EQ((*by_anne)[0].author_name, "Anne de Vries");
  EXPECT_EQ((*by_anne)[0].parent, gone.id);
  EXPECT_TRUE(store_->CommentsBy(wim)->empty());
}

TEST_P(StoreContract, CommentsWithRepliesAndOneSupportPerUser) {
  MunicipalityId m = AddGemeente();
  ChallengeId ch = AddChallenge(m);
  UserId u = AddUser("anne@example.nl");
  UserId w = AddUser("wim@example.nl");
  Proposal p{.challenge = ch, .versions = {{.number = 1, .title = "Buurtkamers"}}};
  ASSERT_TRUE(store_->Insert(p).ok());
  Proposal q{.challenge = ch, .versions = {{.number = 1, .title = "Moestuin"}}};
  ASSERT_TRUE(store_->Insert(q).ok());

  int64_t version = Version();
  Comment top{.proposal = p.id, .author = u, .text = "Ook op zaterdag?", .created_at = "2026-11-29T10:00:00Z"};
  auto id = store_->Insert(top);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_GT(Version(), version) << "comments are open data";
  Comment reply{.proposal = p.id, .parent = top.id, .author = w, .text = "Ja, vanaf april", .created_at = "b"};
  ASSERT_TRUE(store_->Insert(reply).ok());
  Comment elsewhere{.proposal = q.id, .parent = top.id, .author = w, .text = "Hier?", .created_at = "c"};
  Status s = store_->Insert(elsewhere).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "comment.parent")) << s.ToString();
  Comment dangling{.proposal = p.id, .parent = 12345, .author = w, .text = "?", .created_at = "c"};
  EXPECT_TRUE(Contains(store_->Insert(dangling).status(), "comment.parent"));
  Comment empty{.proposal = p.id, .author = w, .text = "  ", .created_at = "c"};
  EXPECT_TRUE(Contains(store_->Insert(empty).status(), "comment.text"));
  Comment orphan{.proposal = ProposalId(999), .author = w, .text = "Hallo", .created_at = "c"};
  EXPECT_TRUE(Contains(store_->Insert(orphan).status(), "comment.proposal"));

  Reopen();
  auto list = store_->CommentsOf(p.id);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].text, "Ook op zaterdag?");
  EXPECT_EQ((*list)[0].parent, 0);
  EXPECT_EQ((*list)[0].author_name, "Anne de Vries");
  EXPECT_EQ((*list)[1].parent, top.id);
  EXPECT_EQ((*list)[1].author, w);
  EXPECT_EQ(store_->CommentsOf(q.id)->size(), 0u);

  auto n = store_->AddSupport(p.id, u, "2026-11-29T10:00:00Z");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(*store_->AddSupport(p.id, w, "2026-11-29T10:01:00Z"), 2);
  auto again = store_->AddSupport(p.id, u, "2026-11-29T10:02:00Z");
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists) << again.status().ToString();
  EXPECT_EQ(*store_->AddSupport(q.id, u, "2026-11-29T10:03:00Z"), 1) << "one per user per proposal";
  EXPECT_EQ(store_->AddSupport(ProposalId(999), u, "x").status().code(), StatusCode::kInvalidArgument);
  Reopen();
  EXPECT_TRUE(*store_->HasSupported(p.id, u));
  EXPECT_FALSE(*store_->HasSupported(q.id, w));
  EXPECT_EQ(store_->GetProposal(p.id)->supports, 2);
  EXPECT_EQ(store_->GetProposal(q.id)->supports, 1);

  // Withdrawing: the row and one count go, only the user's own; a second withdrawal finds nothing.
  auto left = store_->RemoveSupport(p.id, u);
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_EQ(*left, 1);
  EXPECT_EQ(store_->RemoveSupport(p.id, u).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RemoveSupport(q.id, w).status().code(), StatusCode::kNotFound) << "w never supported q";
  EXPECT_EQ(store_->RemoveSupport(ProposalId(999), u).status().code(), StatusCode::kNotFound);
  Reopen();
  EXPECT_FALSE(*store_->HasSupported(p.id, u));
  EXPECT_TRUE(*store_->HasSupported(p.id, w));
  EXPECT_EQ(store_->GetProposal(p.id)->supports, 1);
  EXPECT_EQ(store_->GetProposal(q.id)->supports, 1);
  // Supporting again after withdrawing counts again.
  EXPECT_EQ(*store_->AddSupport(p.id, u, "2026-11-29T10:04:00Z"), 2);
}

TEST_P(StoreContract, AuditLogIsAppendedInTheTransactionOfTheChange) {
  MunicipalityId m = AddGemeente();
  AuditEntry e{0,
               "2026-11-29T10:00:00Z",
               UserId(),
               m,
               "challenge",
               7,
               "phase",
               R"({"phase":"open"})",
               R"({"phase":"matching"})"};
  auto id = store_->Append(e);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(e.id, *id);
  AuditEntry other{0, "2026-11-29T10:01:00Z", UserId(), m, "round", 7, "create", "", "{}"};
  ASSERT_TRUE(store_->Append(other).ok());
  // Rolled back with the change it belongs to.
  Status failed = store_->Transaction([&]() -> Status {
    AuditEntry lost{0, "2026-11-29T10:02:00Z", UserId(), m, "challenge", 7, "phase", "", ""};
    EXPECT_TRUE(store_->Append(lost).ok());
    return Status::Conflict("the change failed");
  });
  EXPECT_EQ(failed.code(), StatusCode::kConflict);
  AuditEntry bad{0, "x", UserId(), m, "", 1, "", "", ""};
  EXPECT_EQ(store_->Append(bad).status().code(), StatusCode::kInvalidArgument);
  Reopen();
  auto rows = store_->AuditOf("challenge", 7);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].action, "phase");
  EXPECT_EQ((*rows)[0].municipality, m);
  EXPECT_FALSE((*rows)[0].user.valid());
  EXPECT_EQ((*rows)[0].before, R"({"phase":"open"})");
  EXPECT_EQ((*rows)[0].after, R"({"phase":"matching"})");
  EXPECT_EQ(store_->AuditOf("round", 7)->size(), 1u);
  EXPECT_EQ(store_->AuditOf("challenge", 8)->size(), 0u);
}

TEST_P(StoreContract, RoundCriteriaAndOneReviewPerOfficerPerProject) {
  MunicipalityId m = AddGemeente();
  UserId u = AddUser("anne@example.nl");
  UserId w = AddUser("wim@example.nl");
  Round r{.municipality = m, .name = "Buurtbudget", .budget_eur = 1000};
  r.projects = {{"p1", {}, "Speeltuin", 400, "", ""}, {"p2", {}, "Bankjes", 300, "", ""}};
  r.criteria = {{"impact", "Wat het oplevert", 5}, {"haalbaarheid", "", 3}};
  ASSERT_TRUE(store_->Insert(r).ok());
  Round twice = r;
  twice.id = RoundId();
  twice.criteria.push_back({"impact", "", 2});
  EXPECT_TRUE(Contains(store_->Insert(twice).status(), "round.criteria"));
  Reopen();
  auto got = store_->GetRound(r.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->criteria.size(), 2u);
  EXPECT_EQ(got->criteria[0].name, "impact");
  EXPECT_EQ(got->criteria[0].description, "Wat het oplevert");
  EXPECT_EQ(got->criteria[1].max_score, 3);

  Review a{.round = r.id,
           .project_id = "p1",
           .reviewer = u,
           .scores = {{"impact", 4}, {"haalbaarheid", 2}},
           .comment = "Sterk plan",
           .created_at = "2026-11-29T10:00:00Z"};
  ASSERT_TRUE(store_->PutReview(a).ok());
  Review b{.round = r.id, .project_id = "p1", .reviewer = w, .scores = {{"impact", 1}, {"haalbaarheid", 3}}};
  ASSERT_TRUE(store_->PutReview(b).ok());
  Review again = a;
  again.scores["impact"] = 5;
  ASSERT_TRUE(store_->PutReview(again).ok());  // replaces u's review of p1
  Review too_high{.round = r.id, .project_id = "p2", .reviewer = u, .scores = {{"impact", 6}, {"haalbaarheid", 1}}};
  EXPECT_TRUE(Contains(store_->PutReview(too_high).status(), "review.scores"));
  Review missing{.round = r.id, .project_id = "p2", .reviewer = u, .scores = {{"impact", 3}}};
  EXPECT_TRUE(Contains(store_->PutReview(missing).status(), "haalbaarheid"));
  Review unknown{.round = r.id, .project_id = "p9", .reviewer = u, .scores = {{"impact", 3}, {"haalbaarheid", 1}}};
  EXPECT_TRUE(Contains(store_->PutReview(unknown).status(), "review.project_id"));
  Reopen();
  auto reviews = store_->ReviewsOf(r.id);
  ASSERT_TRUE(reviews.ok()) << reviews.status().ToString();
  ASSERT_EQ(reviews->size(), 2u);
  EXPECT_EQ((*reviews)[0].reviewer, u);
  EXPECT_EQ((*reviews)[0].scores.at("impact"), 5);
  EXPECT_EQ((*reviews)[0].comment, "Sterk plan");
  EXPECT_EQ((*reviews)[1].scores.at("haalbaarheid"), 3);
}

TEST_P(StoreContract, AllocationsEvidenceAndMatchFunding) {
  MunicipalityId m = AddGemeente();
  UserId u = AddUser("anne@example.nl");
  ChallengeId ch = AddChallenge(m);
  Proposal p{.challenge = ch, .versions = {{.number = 1, .title = "Buurtkamers", .budget_eur = 25000}}};
  ASSERT_TRUE(store_->Insert(p).ok());
  Round r{.municipality = m, .name = "Buurtbudget", .budget_eur = 60000};
  r.projects = {{"proposal-1", p.id, "Buurtkamers", 25000, "", ""}, {"bankjes", {}, "Bankjes", 12000, "", ""}};
  ASSERT_TRUE(store_->Insert(r).ok());

  // Allocations: replaced as a whole, read per round (by project id) and per proposal.
  int64_t v0 = Version();
  ASSERT_TRUE(store_->PutAllocations(r.id, {{r.id, "proposal-1", p.id, 25000}, {r.id, "bankjes", {}, 12000}}).ok());
  EXPECT_GT(Version(), v0) << "an allocation is a write";
  Reopen();
  auto rows = store_->AllocationsOf(r.id);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].project_id, "bankjes");
  EXPECT_FALSE((*rows)[0].proposal.valid());
  EXPECT_EQ((*rows)[1].proposal, p.id);
  EXPECT_EQ((*rows)[1].amount_eur, 25000);
  ASSERT_TRUE(store_->PutAllocations(r.id, {{r.id, "proposal-1", p.id, 25000}}).ok());
  EXPECT_EQ(store_->AllocationsOf(r.id)->size(), 1u);
  auto of_proposal = store_->AllocationsOfProposal(p.id);
  ASSERT_TRUE(of_proposal.ok());
  ASSERT_EQ(of_proposal->size(), 1u);
  EXPECT_EQ((*of_proposal)[0].round, r.id);
  EXPECT_TRUE(
      Contains(store_->PutAllocations(r.id, {{r.id, "x", {}, 1}, {r.id, "x", {}, 2}}), "allocation.project_id"));
  EXPECT_TRUE(Contains(store_->PutAllocations(r.id, {{r.id, "x", {}, -1}}), "allocation.amount_eur"));
  EXPECT_TRUE(Contains(store_->PutAllocations(r.id, {{r.id, "x", ProposalId(4711), 1}}), "allocation.proposal"));
  EXPECT_TRUE(Contains(store_->PutAllocations(RoundId(99), {}), "allocation.round"));
  EXPECT_EQ(store_->AllocationsOf(r.id)->size(), 1u) << "a refused write changes nothing";

  // Evidence for a milestone, then the officer's decision.
  Experiment e{.proposal = p.id};
  e.milestones = {{.title = "Eerste kamer open", .due = "2027-03-01", .amount_eur = 10000}};
  ASSERT_TRUE(store_->Insert(e).ok());
  MilestoneEvidence ev{.experiment = e.id,
                       .milestone = 0,
                       .text = "Foto's en bezoekerslijst",
                       .link = "https://example.nl/verslag",
                       .submitted_by = u,
                       .submitted_at = "2027-03-02T10:00:00Z"};
  ASSERT_TRUE(store_->Insert(ev).ok());
  EXPECT_GT(ev.id, 0);
  ev.decision = "approved";
  ev.decided_by = u;
  ev.decided_at = "2027-03-03T09:00:00Z";
  ev.released_eur = 10000;
  ASSERT_TRUE(store_->Update(ev).ok());
  Reopen();
  auto got = store_->GetEvidence(ev.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, "Foto's en bezoekerslijst");
  EXPECT_EQ(got->link, "https://example.nl/verslag");
  EXPECT_EQ(got->submitted_by, u);
  EXPECT_EQ(got->decision, "approved");
  EXPECT_EQ(got->released_eur, 10000);
  EXPECT_EQ(store_->EvidenceOf(e.id)->size(), 1u);
  MilestoneEvidence bad = ev;
  bad.decision = "maybe";
  EXPECT_TRUE(Contains(store_->Update(bad), "evidence.decision"));
  bad = ev;
  bad.decision = "rejected";  // a rejection releases nothing
  EXPECT_TRUE(Contains(store_->Update(bad), "evidence.released_eur"));
  bad = ev;
  bad.id = 0;
  bad.experiment = ExperimentId(4711);
  EXPECT_TRUE(Contains(store_->Insert(bad).status(), "evidence.experiment"));
  EXPECT_EQ(store_->GetEvidence(4711).status().code(), StatusCode::kNotFound);
  ev.id = 4711;
  EXPECT_EQ(store_->Update(ev).code(), StatusCode::kNotFound);

  // A match-funding campaign beside the round, with pledges.
  MatchCampaign c{.municipality = m,
                  .round = r.id,
                  .name = "Buurt verdubbelt",
                  .ratio_num = 1,
                  .ratio_den = 1,
                  .campaign_cap_eur = 5000,
                  .fund_eur = 20000,
                  .deadline = "2027-06-30",
                  .created_at = "2027-01-01T00:00:00Z"};
  ASSERT_TRUE(store_->Insert(c).ok());
  MatchPledge pl{
      .campaign = c.id, .project_id = "bankjes", .backer = u, .amount_eur = 50, .at = "2027-02-01T12:00:00Z"};
  ASSERT_TRUE(store_->Insert(pl).ok());
  MatchPledge second = pl;
  second.amount_eur = 70;
  ASSERT_TRUE(store_->Insert(second).ok());
  Reopen();
  auto campaign = store_->GetMatchCampaign(c.id);
  ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
  EXPECT_EQ(campaign->name, "Buurt verdubbelt");
  EXPECT_EQ(campaign->campaign_cap_eur, 5000);
  EXPECT_EQ(campaign->deadline, "2027-06-30");
  EXPECT_EQ(store_->MatchCampaignsOf(r.id)->size(), 1u);
  auto pledges = store_->PledgesOf(c.id);
  ASSERT_TRUE(pledges.ok());
  ASSERT_EQ(pledges->size(), 2u);
  EXPECT_EQ((*pledges)[0].backer, u);
  EXPECT_EQ((*pledges)[1].amount_eur, 70);
  MatchCampaign no_fund = c;
  no_fund.fund_eur = 0;
  EXPECT_TRUE(Contains(store_->Insert(no_fund).status(), "campaign.fund_eur"));
  MatchCampaign bad_date = c;
  bad_date.deadline = "morgen";
  EXPECT_TRUE(Contains(store_->Insert(bad_date).status(), "campaign.deadline"));
  MatchCampaign orphan = c;
  orphan.round = RoundId(4711);
  EXPECT_TRUE(Contains(store_->Insert(orphan).status(), "campaign.round"));
  MatchPledge zero = pl;
  zero.amount_eur = 0;
  EXPECT_TRUE(Contains(store_->Insert(zero).status(), "pledge.amount_eur"));
  MatchPledge lost = pl;
  lost.campaign = 4711;
  EXPECT_TRUE(Contains(store_->Insert(lost).status(), "pledge.campaign"));

  // A deleted account leaves its pledges (anonymous) and evidence in place.
  ExecRaw(std::string(GetParam() == Backend::kSqlite ? "PRAGMA foreign_keys = ON; " : "") +
          "DELETE FROM users WHERE id = " + std::to_string(u.value()));
  Reopen();
  EXPECT_FALSE((*store_->PledgesOf(c.id))[0].backer.valid());
  EXPECT_FALSE(store_->GetEvidence(got->id)->submitted_by.valid());
}

// Migration 15: files attached to evidence keep their bytes exactly (every byte value, a large
// file), are listed per experiment without their bytes, go with their evidence, and a file over
// the limit, empty, or for unknown evidence is refused naming the field.
TEST_P(StoreContract, EvidenceFilesKeepTheirBytesAndGoWithTheirEvidence) {
  MunicipalityId m = AddGemeente();
  UserId u = AddUser("bram@example.nl");
  ChallengeId ch = AddChallenge(m);
  Proposal p{.challenge = ch, .versions = {{.number = 1, .title = "Buurtkamers", .budget_eur = 25000}}};
  ASSERT_TRUE(store_->Insert(p).ok());
  Experiment e{.proposal = p.id};
  e.milestones = {{.title = "Eerste kamer open", .due = "2027-03-01", .amount_eur = 10000}};
  ASSERT_TRUE(store_->Insert(e).ok());
  MilestoneEvidence ev{
      .experiment = e.id, .milestone = 0, .text = "Foto's", .submitted_by = u, .submitted_at = "2027-03-02T10:00:00Z"};
  ASSERT_TRUE(store_->Insert(ev).ok());

  std::string every;
  for (int i = 0; i < 256; ++i) every.push_back(static_cast<char>(i));
  EvidenceFile small{.evidence = ev.id,
                     .name = "verslag.pdf",
                     .content_type = "application/pdf",
                     .bytes = "%PDF-1.4\n" + every,
                     .uploaded_by = u,
                     .uploaded_at = "2027-03-02T10:01:00Z"};
  int64_t v0 = Version();
  ASSERT_TRUE(store_->Insert(small).ok());
  EXPECT_GT(small.id, 0);
  EXPECT_EQ(small.experiment, e.id);
  EXPECT_EQ(small.size, static_cast<int64_t>(small.bytes.size()));
  EXPECT_GT(Version(), v0) << "an attachment is a write";
  std::string big(static_cast<size_t>(kMaxEvidenceFileBytes), '\xff');
  EvidenceFile large{.evidence = ev.id,
                     .name = "foto.jpg",
                     .content_type = "image/jpeg",
                     .bytes = big,
                     .uploaded_at = "2027-03-02T10:02:00Z"};
  ASSERT_TRUE(store_->Insert(large).ok()) << "exactly the limit is allowed";
  Reopen();
  auto got = store_->GetEvidenceFile(small.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, small.bytes) << "every byte value comes back";
  EXPECT_EQ(got->name, "verslag.pdf");
  EXPECT_EQ(got->content_type, "application/pdf");
  EXPECT_EQ(got->evidence, ev.id);
  EXPECT_EQ(got->experiment, e.id);
  EXPECT_EQ(got->uploaded_by, u);
  EXPECT_EQ(store_->GetEvidenceFile(large.id)->bytes.size(), big.size());
  auto list = store_->EvidenceFilesOf(e.id);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, small.id) << "oldest first";
  EXPECT_TRUE((*list)[0].bytes.empty() && (*list)[1].bytes.empty()) << "lists carry no bytes";
  EXPECT_EQ((*list)[1].size, kMaxEvidenceFileBytes);
  EXPECT_FALSE((*list)[1].uploaded_by.valid());

  EvidenceFile bad = small;
  bad.id = 0;
  bad.bytes = big + "x";
  EXPECT_TRUE(Contains(store_->Insert(bad).status(), "file.data")) << "over the limit";
  bad.bytes.clear();
  EXPECT_TRUE(Contains(store_->Insert(bad).status(), "file.data")) << "empty";
  bad.bytes = "%PDF-";
  bad.evidence = 4711;
  EXPECT_EQ(store_->Insert(bad).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetEvidenceFile(4711).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->EvidenceFilesOf(e.id)->size(), 2u) << "a refused write changes nothing";

  // The files go with their evidence (and the experiment's).
  ExecRaw(std::string(GetParam() == Backend::kSqlite ? "PRAGMA foreign_keys = ON; " : "") +
          "DELETE FROM milestone_evidence WHERE id = " + std::to_string(ev.id));
  Reopen();
  EXPECT_TRUE(store_->EvidenceFilesOf(e.id)->empty());
  EXPECT_EQ(store_->GetEvidenceFile(small.id).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, TransactionRollbackLeavesNothing) {
  int64_t before = Version();
  Status s = store_->Transaction([&]() -> Status {
    MunicipalityId m = AddGemeente();
    ActorId a = AddActor("Een", m), b = AddActor("Twee", m);
    Tie t{.a = a, .b = b};
    WEEFSEL_RETURN_IF_ERROR(store_->Insert(t).status());
    std::vector<Actor> more{Org("Drie"), Org("Vier")};
    WEEFSEL_RETURN_IF_ERROR(store_->InsertActors(more));
    EXPECT_EQ(store_->Count()->actors, 4) << "writes are visible inside the transaction";
    return Status::Conflict("changed my mind");
  });
  EXPECT_EQ(s, Status::Conflict("changed my mind"));
  auto c = store_->Count();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->municipalities + c->actors + c->ties, 0);
  EXPECT_EQ(Version(), before);

  s = store_->Transaction([&]() -> Status {
    AddGemeente();
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_TRUE(Contains(s, "boom"));
  EXPECT_EQ(store_->Count()->municipalities, 0);
  // The store is usable afterwards.
  AddGemeente();
  EXPECT_EQ(store_->Count()->municipalities, 1);
}

TEST_P(StoreContract, NestedTransactions) {
  Status s = store_->Transaction([&]() -> Status {
    AddGemeente("GM0001", "Eerste");
    Status inner = store_->Transaction([&]() -> Status {
      AddGemeente("GM0002", "Tweede");
      return Status::InvalidArgument("inner fails");
    });
    EXPECT_EQ(inner.code(), StatusCode::kInvalidArgument);
    // A failed statement inside the transaction (duplicate code) does not poison it.
    Municipality dup = Gemeente("GM0001", "Dubbel");
    EXPECT_EQ(store_->Insert(dup).status().code(), StatusCode::kAlreadyExists);
    AddGemeente("GM0003", "Derde");
    return store_->Transaction([&]() -> Status {
      AddGemeente("GM0004", "Vierde");
      return Status::Ok();
    });
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(store_->GetMunicipalityByCode("GM0001").ok());
  EXPECT_EQ(store_->GetMunicipalityByCode("GM0002").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetMunicipalityByCode("GM0003").ok());
  EXPECT_TRUE(store_->GetMunicipalityByCode("GM0004").ok());

  // An inner success is undone when the outer transaction fails.
  s = store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(store_->Transaction([&]() -> Status {
      AddGemeente("GM0005", "Vijfde");
      return Status::Ok();
    }));
    return Status::Internal("outer fails");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(store_->GetMunicipalityByCode("GM0005").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Count()->municipalities, 3);
}

// --- bulk inserts -----------------------------------------------------------------------------

TEST_P(StoreContract, BulkInserts) {
  MunicipalityId m = AddGemeente();
  std::vector<Actor> actors;
  for (int i = 0; i < 300; ++i)
    actors.push_back(Org("Actor " + std::to_string(i), i % 2 ? m : MunicipalityId(), ActorKind::kCompany,
                         i % 3 ? std::vector<std::string>{"wonen", "jeugd", "wonen"} : std::vector<std::string>{}));
  ASSERT_TRUE(store_->InsertActors(actors).ok());
  std::set<ActorId> ids;
  for (const auto& a : actors) {
    EXPECT_TRUE(a.id.valid());
    ids.insert(a.id);
  }
  EXPECT_EQ(ids.size(), actors.size());
  EXPECT_EQ(Dump(*store_->GetActor(actors[137].id)), Dump(actors[137]));
  EXPECT_EQ(store_->ListActors({.theme = "wonen"})->size(), 200u);

  std::vector<Tie> ties;
  for (int i = 0; i < 1000; ++i)
    ties.push_back(Tie{.a = actors[(i * 7) % 300].id,
                       .b = actors[(i * 7 + 1 + i % 50) % 300].id,
                       .weight = 1.0 + i % 5,
                       .note = i % 10 ? "" : "tab\there"});
  ASSERT_TRUE(store_->InsertTies(ties).ok());
  EXPECT_EQ(store_->Count()->ties, 1000);
  auto of = store_->TiesOf(ties[500].a);
  ASSERT_TRUE(of.ok());
  bool found = false;
  for (const auto& t : *of) found |= Dump(t) == Dump(ties[500]);
  EXPECT_TRUE(found);
  auto listed = store_->ListTies({.limit = 1, .offset = 10});
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(Dump((*listed)[0]), Dump(ties[10]));

  // One bad row: nothing of the batch stays, and the error names the row and the field.
  int64_t version = Version();
  std::vector<Tie> bad{{.a = actors[0].id, .b = actors[1].id}, {.a = actors[2].id, .b = ActorId(999999)}};
  Status s = store_->InsertTies(bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "ties[1]")) << s.ToString();
  EXPECT_TRUE(Contains(s, "actor 999999")) << s.ToString();
  EXPECT_EQ(store_->Count()->ties, 1000);
  EXPECT_EQ(Version(), version);
  std::vector<Actor> bad_actors{Org("Goed"), Org("")};
  s = store_->InsertActors(bad_actors);
  EXPECT_TRUE(Contains(s, "actors[1]")) << s.ToString();
  EXPECT_EQ(store_->Count()->actors, 300);

  // Caller-chosen ids are kept, duplicates refused, and generated ids continue past them.
  std::vector<Actor> chosen{Org("Vijfduizend"), Org("Zesduizend")};
  chosen[0].id = ActorId(5000);
  chosen[1].id = ActorId(6000);
  ASSERT_TRUE(store_->InsertActors(chosen).ok());
  EXPECT_EQ(store_->GetActor(ActorId(6000))->name, "Zesduizend");
  std::vector<Actor> again{Org("Weer vijfduizend")};
  again[0].id = ActorId(5000);
  s = store_->InsertActors(again);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(Contains(s, "5000")) << s.ToString();
  ActorId next = AddActor("Daarna");
  EXPECT_GT(next.value(), 6000);
  std::vector<Tie> none;
  EXPECT_TRUE(store_->InsertTies(none).ok());
}

// Large batches take the fast path (SQLite: indexes dropped and rebuilt; PostgreSQL: foreign
// keys and indexes dropped, COPY, rebuilt). The constraints must hold before, during and after.
TEST_P(StoreContract, LargeBulkKeepsConstraints) {
  std::vector<Actor> actors;
  for (int i = 0; i < 1000; ++i)
    actors.push_back(Org("Groot " + std::to_string(i), {}, ActorKind::kCompany, {"wonen"}));
  ASSERT_TRUE(store_->InsertActors(actors).ok());
  auto make_ties = [&](size_t n) {
    std::vector<Tie> ties;
    for (size_t i = 0; i < n; ++i)
      ties.push_back(Tie{.a = actors[i % 1000].id, .b = actors[(i * 31 + 1 + i / 1000) % 1000].id});
    for (auto& t : ties)
      if (t.a == t.b) t.b = actors[(static_cast<size_t>(t.a.value()) + 1) % 1000].id;
    return ties;
  };
  // A bad tie at the very end: nothing stays, and the error names it.
  std::vector<Tie> bad = make_ties(25000);
  bad.back().b = ActorId(77777777);
  Status s = store_->InsertTies(bad);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "ties[24999]")) << s.ToString();
  EXPECT_TRUE(Contains(s, "actor 77777777")) << s.ToString();
  EXPECT_EQ(store_->Count()->ties, 0);

  std::vector<Tie> good = make_ties(25000);
  ASSERT_TRUE(store_->InsertTies(good).ok());
  EXPECT_EQ(store_->Count()->ties, 25000);
  EXPECT_EQ(good.back().id.value() - good.front().id.value(), 24999);
  auto of = store_->TiesOf(actors[5].id);
  ASSERT_TRUE(of.ok());
  EXPECT_GE(of->size(), 25u);
  // The foreign keys are back: a dangling tie and a dangling theme owner are refused.
  Tie dangling{.a = actors[0].id, .b = ActorId(88888888)};
  EXPECT_EQ(store_->Insert(dangling).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_->DeleteActor(actors[5].id).ok());
  EXPECT_TRUE(store_->TiesOf(actors[5].id)->empty()) << "cascade survives the rebuild";
  EXPECT_EQ(store_->ListActors({.theme = "wonen"})->size(), 999u);

  std::vector<Actor> many;
  for (int i = 0; i < 21000; ++i) many.push_back(Org("Veel " + std::to_string(i), MunicipalityId(4242)));
  s = store_->InsertActors(many);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(Contains(s, "actor.municipality")) << s.ToString();
  EXPECT_EQ(store_->Count()->actors, 999);
}

// Two stores on one database (two connections, as two processes would have) never hand out the
// same id, whether ids come from a bulk block or one at a time.
TEST_P(StoreContract, TwoConnectionsShareIdsSafely) {
  auto other = Store::Open(url_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  std::vector<Actor> bulk;
  for (int i = 0; i < 1500; ++i) bulk.push_back(Org("Bulk " + std::to_string(i)));
  ASSERT_TRUE(store_->InsertActors(bulk).ok());
  Actor single = Org("Los");
  ASSERT_TRUE((*other)->Insert(single).ok());
  std::vector<Actor> more{Org("Nog een"), Org("En nog een")};
  ASSERT_TRUE((*other)->InsertActors(more).ok());
  ActorId last = AddActor("Laatste");
  std::set<ActorId> ids{single.id, more[0].id, more[1].id, last};
  for (const auto& a : bulk) ids.insert(a.id);
  EXPECT_EQ(ids.size(), bulk.size() + 4);
  EXPECT_GT(single.id, bulk.back().id);
  EXPECT_EQ((*other)->Count()->actors, 1504);
  int64_t v = Version();
  Actor late = Org("Via de ander");
  ASSERT_TRUE((*other)->Insert(late).ok());
  EXPECT_NE(Version(), v) << "the data version sees writes through another connection";
}

// --- lists --------------------------------------------------------------------------------------

TEST_P(StoreContract, ListFiltersPagingAndOrder) {
  MunicipalityId ams = AddGemeente("GM0363", "Amsterdam");
  MunicipalityId utr = AddGemeente("GM0344", "Utrecht");
  ActorId a1 = AddActor("Zorgcoöperatie Oost", ams, ActorKind::kCareWelfare, {"zorg"});
  ActorId a2 = AddActor("buurtkracht", ams, ActorKind::kCitizensInitiative, {"eenzaamheid", "zorg"});
  ActorId a3 = AddActor("Energie Coöp Utrecht", utr, ActorKind::kSocialEnterprise, {"energietransitie"});
  ActorId a4 = AddActor("Hogeschool 100%_Wijs", utr, ActorKind::kKnowledgeInstitution, {"onderwijs"});
  auto names = [](const Result<std::vector<Actor>>& r) {
    std::vector<std::string> out;
    if (r.ok())
      for (const auto& a : *r) out.push_back(a.name);
    return out;
  };
  EXPECT_EQ(names(store_->ListActors()), (std::vector<std::string>{"Zorgcoöperatie Oost", "buurtkracht",
                                                                   "Energie Coöp Utrecht", "Hogeschool 100%_Wijs"}));
  EXPECT_EQ(store_->ListActors({.municipality = ams})->size(), 2u);
  EXPECT_EQ(store_->ListActors({.kind = ActorKind::kCareWelfare})->front().id, a1);
  EXPECT_EQ(store_->ListActors({.theme = "zorg"})->size(), 2u);
  EXPECT_EQ(store_->ListActors({.municipality = ams, .theme = "eenzaamheid"})->front().id, a2);
  EXPECT_EQ(store_->ListActors({.municipality = utr, .theme = "zorg"})->size(), 0u);
  // Search folds case and diacritics; LIKE wildcards in the needle are literal.
  EXPECT_EQ(names(store_->ListActors({.search = "COOP"})),
            (std::vector<std::string>{"Zorgcoöperatie Oost", "Energie Coöp Utrecht"}));
  EXPECT_EQ(names(store_->ListActors({.search = "coöp utr"})), (std::vector<std::string>{"Energie Coöp Utrecht"}));
  EXPECT_EQ(names(store_->ListActors({.search = "100%_"})), (std::vector<std::string>{"Hogeschool 100%_Wijs"}));
  EXPECT_TRUE(store_->ListActors({.search = "%"})->size() == 1u);
  EXPECT_EQ(
      names(store_->ListActors({.order_by = "name"})),
      (std::vector<std::string>{"buurtkracht", "Energie Coöp Utrecht", "Hogeschool 100%_Wijs", "Zorgcoöperatie Oost"}));
  EXPECT_EQ(
      names(store_->ListActors({.order_by = "-name"})),
      (std::vector<std::string>{"Zorgcoöperatie Oost", "Hogeschool 100%_Wijs", "Energie Coöp Utrecht", "buurtkracht"}));
  EXPECT_EQ(names(store_->ListActors({.limit = 2, .offset = 1, .order_by = "name"})),
            (std::vector<std::string>{"Energie Coöp Utrecht", "Hogeschool 100%_Wijs"}));
  EXPECT_EQ(names(store_->ListActors({.offset = 3})), (std::vector<std::string>{"Hogeschool 100%_Wijs"}));
  EXPECT_EQ(store_->ListActors({.limit = 10, .offset = 10})->size(), 0u);
  // Equal sizes tie-break by id.
  auto by_size = store_->ListActors({.order_by = "-size"});
  ASSERT_TRUE(by_size.ok());
  EXPECT_EQ(by_size->front().id, a1);
  EXPECT_EQ(by_size->back().id, a4);
  Status s = store_->ListActors({.order_by = "password"}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s, "order_by")) << s.ToString();
  EXPECT_EQ(store_->ListActors({.limit = -1}).status().code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(store_->ListMunicipalities({.order_by = "name"})->front().name, "Amsterdam");
  EXPECT_EQ(store_->ListMunicipalities({.order_by = "-name"})->front().name, "Utrecht");
  EXPECT_EQ(store_->ListMunicipalities({.search = "utr"})->front().id, utr);

  Tie t1{.a = a1, .b = a2}, t2{.a = a3, .b = a4}, t3{.a = a2, .b = a3};
  ASSERT_TRUE(store_->Insert(t1).ok());
  ASSERT_TRUE(store_->Insert(t2).ok());
  ASSERT_TRUE(store_->Insert(t3).ok());
  auto ams_ties = store_->ListTies({.municipality = ams});
  ASSERT_TRUE(ams_ties.ok());
  ASSERT_EQ(ams_ties->size(), 2u) << "ties with either end in the municipality";
  EXPECT_EQ((*ams_ties)[0].id, t1.id);
  EXPECT_EQ((*ams_ties)[1].id, t3.id);

  ChallengeId c1 = AddChallenge(ams, "Eenzaamheid in Oost");
  AddChallenge(utr, "Energiearmoede in Overvecht");
  EXPECT_EQ(store_->ListChallenges({.municipality = ams})->front().id, c1);
  EXPECT_EQ(store_->ListChallenges({.search = "ENERGIE"})->size(), 1u);
  EXPECT_EQ(store_->ListChallenges({.order_by = "title"})->front().title, "Eenzaamheid in Oost");
}

// --- data version -------------------------------------------------------------------------------

TEST_P(StoreContract, DataVersionChangesOnEveryWrite) {
  int64_t v0 = Version();
  MunicipalityId m = AddGemeente();
  int64_t v1 = Version();
  EXPECT_NE(v1, v0);
  (void)store_->ListActors();
  (void)store_->GetMunicipality(m);
  EXPECT_EQ(Version(), v1) << "reads do not change the version";
  Municipality changed = *store_->GetMunicipality(m);
  changed.population = 5;
  ASSERT_TRUE(store_->Update(changed).ok());
  int64_t v2 = Version();
  EXPECT_NE(v2, v1);
  ActorId a = AddActor("Een", m), b = AddActor("Twee", m);
  int64_t v3 = Version();
  EXPECT_NE(v3, v2);
  Tie t{.a = a, .b = b};
  ASSERT_TRUE(store_->Insert(t).ok());
  int64_t v4 = Version();
  EXPECT_NE(v4, v3);
  ASSERT_TRUE(store_->DeleteTie(t.id).ok());
  int64_t v5 = Version();
  EXPECT_NE(v5, v4);
  Municipality dup = Gemeente("GM0363", "Dubbel");
  EXPECT_FALSE(store_->Insert(dup).ok());
  EXPECT_EQ(Version(), v5) << "a failed write leaves the version";
  UserId u = AddUser("x@example.nl");
  int64_t v6 = Version();
  EXPECT_NE(v6, v5);
  ASSERT_TRUE(store_->Grant({.user = u, .role = Role::kPlatformAdmin}).ok());
  EXPECT_NE(Version(), v6);
}

// The scopes each write records in the change feed (migration 9): exactly its own, so that a
// ballot or a comment leaves every other cache standing.
TEST_P(StoreContract, EachWriteRecordsExactlyItsScopes) {
  auto scopes_since = [&](int64_t after) {
    auto page = store_->ChangesSince(after, 1000);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::set<std::string> out;
    if (page.ok())
      for (const auto& c : page->changes) out.insert(c.scope);
    return out;
  };
  using Set = std::set<std::string>;
  MunicipalityId ams = AddGemeente(), utr = AddGemeente("GM0344", "Utrecht");
  ActorId a = AddActor("Een", ams), b = AddActor("Twee", utr);
  ChallengeId c = AddChallenge(ams);
  std::string M = std::to_string(ams.value()), U = std::to_string(utr.value()), C = std::to_string(c.value());

  int64_t v = Version();
  Actor edited = *store_->GetActor(a);
  edited.description = "Nieuwe omschrijving";
  ASSERT_TRUE(store_->Update(edited).ok());
  const std::string A = "actor:" + std::to_string(a.value());
  EXPECT_EQ(scopes_since(v), (Set{A, "fabric:" + M})) << "an actor edit names the actor and leaves Utrecht's fabric";
  v = Version();
  edited.municipality = utr;
  ASSERT_TRUE(store_->Update(edited).ok());
  EXPECT_EQ(scopes_since(v), (Set{A, "fabric:" + M, "fabric:" + U})) << "moving: both fabrics";

  v = Version();
  Tie t{.a = a, .b = b};
  ASSERT_TRUE(store_->Insert(t).ok());
  const std::string T = "tie:" + std::to_string(t.id.value());
  EXPECT_EQ(scopes_since(v), (Set{T, "fabric:" + U}));
  auto stored_tie = store_->GetTie(t.id);
  ASSERT_TRUE(stored_tie.ok()) << stored_tie.status().ToString();
  EXPECT_EQ(stored_tie->a, t.a);
  v = Version();
  ASSERT_TRUE(store_->DeleteTie(t.id).ok());
  EXPECT_EQ(scopes_since(v), (Set{T, "fabric:" + U}));
  EXPECT_EQ(store_->GetTie(t.id).status().code(), StatusCode::kNotFound);
  // A bulk write names its kind, not each of its rows.
  std::vector<Actor> many(scope::kFewRows + 1);
  for (size_t i = 0; i < many.size(); ++i) {
    many[i].name = "Bulk " + std::to_string(i);
    many[i].kind = domain::ActorKind::kCompany;
    many[i].municipality = ams;
  }
  v = Version();
  ASSERT_TRUE(store_->InsertActors(many).ok());
  EXPECT_EQ(scopes_since(v), (Set{"actors", "fabric:" + M}));
  // A new challenge names itself (the matcher reads its coalitions by it).
  v = Version();
  ChallengeId c2 = AddChallenge(ams);
  EXPECT_EQ(scopes_since(v), (Set{"challenges", "challenge:" + std::to_string(c2.value()), "municipality:" + M}));

  Round r1{.municipality = ams, .name = "A", .budget_eur = 1000, .ballot_kind = BallotKind::kApproval};
  r1.projects = {{.project_id = "p1", .title = "Speeltuin", .cost_eur = 400}};
  Round r2 = r1;
  r2.name = "B";
  ASSERT_TRUE(store_->Insert(r1).ok());
  ASSERT_TRUE(store_->Insert(r2).ok());
  r1.phase = RoundPhase::kVoting;
  v = Version();
  ASSERT_TRUE(store_->Update(r1).ok());
  std::string R1 = std::to_string(r1.id.value());
  EXPECT_EQ(scopes_since(v), (Set{"rounds", "round:" + R1, "municipality:" + M}));
  UserId anne = AddUser("anne@example.nl");
  v = Version();
  Ballot ballot{.round = r1.id, .voter = anne, .kind = BallotKind::kApproval, .entries = {{"p1", 1}}};
  ASSERT_TRUE(store_->PutBallot(ballot).ok());
  EXPECT_EQ(scopes_since(v), (Set{"round:" + R1})) << "a ballot touches its round only";

  Proposal p{.challenge = c, .status = "draft"};
  p.versions.push_back({.number = 1,
                        .title = "Buurtkamer",
                        .plan = "Een plek",
                        .budget_eur = 500,
                        .created_at = "2026-12-01T09:00:00Z"});
  v = Version();
  ASSERT_TRUE(store_->Insert(p).ok());
  EXPECT_EQ(scopes_since(v), (Set{"proposals", "challenge:" + C, "municipality:" + M}));
  std::string P = std::to_string(p.id.value());
  v = Version();
  domain::Comment comment{.proposal = p.id, .author = anne, .text = "Mooi", .created_at = "2026-12-01T10:00:00Z"};
  ASSERT_TRUE(store_->Insert(comment).ok());
  EXPECT_EQ(scopes_since(v), (Set{"proposal:" + P}));
  v = Version();
  ASSERT_TRUE(store_->AddSupport(p.id, anne, "2026-12-01T10:00:00Z").ok());
  EXPECT_EQ(scopes_since(v), (Set{"proposal:" + P, "challenge:" + C}));

  v = Version();
  Municipality dup = Gemeente("GM0363", "Dubbel");
  EXPECT_FALSE(store_->Insert(dup).ok());
  EXPECT_TRUE(scopes_since(v).empty()) << "a failed write records nothing";
  v = Version();
  ASSERT_TRUE(store_->DeleteUserKeepingBallots(anne, "anon-1").ok());
  EXPECT_EQ(scopes_since(v), (Set{"*"})) << "erasing an account may touch anything";
}

// --- moderation (migration 10) ----------------------------------------------------------------

TEST_P(StoreContract, ModerationReportsHiddenItemsAndBlocks) {
  MunicipalityId m = AddGemeente();
  MunicipalityId other = AddGemeente("GM0344", "Utrecht");
  ChallengeId ch = AddChallenge(m);
  UserId anne = AddUser("anne@example.nl");
  UserId wim = AddUser("wim@example.nl");
  UserId mod = AddUser("moderator@example.nl");
  Proposal p{.challenge = ch, .versions = {{.number = 1, .title = "Buurtkamers"}}};
  ASSERT_TRUE(store_->Insert(p).ok());
  Comment rude{.proposal = p.id, .author = wim, .text = "Scheldwoorden", .created_at = "2026-11-29T10:00:00Z"};
  ASSERT_TRUE(store_->Insert(rude).ok());
  Comment fine{.proposal = p.id, .author = anne, .text = "Goed plan", .created_at = "2026-11-29T10:01:00Z"};
  ASSERT_TRUE(store_->Insert(fine).ok());

  auto got = store_->GetComment(rude.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->text, "Scheldwoorden");
  EXPECT_EQ(got->proposal, p.id);
  EXPECT_EQ(store_->GetComment(9999).status().code(), StatusCode::kNotFound);

  // Reports: one open report per reporter and target; reports are not open data.
  int64_t version = Version();
  Report r{.municipality = m,
           .target = "comment",
           .target_id = rude.id,
           .reporter = anne,
           .reason = "Beledigend",
           .created_at = "2026-11-29T11:00:00Z"};
  ASSERT_TRUE(store_->Insert(r).ok());
  EXPECT_GT(r.id, 0);
  EXPECT_EQ(Version(), version) << "a report changes no public answer";
  Report again = r;
  again.id = 0;
  EXPECT_EQ(store_->Insert(again).status().code(), StatusCode::kAlreadyExists);
  Report bad = again;
  bad.target = "actor";
  EXPECT_TRUE(Contains(store_->Insert(bad).status(), "report.target"));
  bad = again;
  bad.reason = "";
  EXPECT_TRUE(Contains(store_->Insert(bad).status(), "report.reason"));
  bad = again;
  bad.target_id = fine.id;  // not reported yet: the unknown municipality is what is wrong
  bad.municipality = MunicipalityId(999);
  EXPECT_TRUE(Contains(store_->Insert(bad).status(), "report.municipality"));
  Report second{.municipality = m,
                .target = "comment",
                .target_id = rude.id,
                .reporter = mod,
                .reason = "Haatzaaiend",
                .created_at = "2026-11-29T11:05:00Z"};
  ASSERT_TRUE(store_->Insert(second).ok());
  Report profile{.municipality = other,
                 .target = "profile",
                 .target_id = wim.value(),
                 .reporter = anne,
                 .reason = "Nepnaam",
                 .created_at = "2026-11-29T11:06:00Z"};
  ASSERT_TRUE(store_->Insert(profile).ok());

  auto queue = store_->ReportsIn(m, "open");
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ(queue->at(0).id, r.id);
  EXPECT_EQ(queue->at(0).reason, "Beledigend");
  EXPECT_EQ(queue->at(0).reporter, anne);
  EXPECT_EQ(queue->at(0).status, "open");
  EXPECT_EQ(store_->ReportsIn(other, "")->size(), 1u);
  EXPECT_EQ(store_->GetReport(r.id)->target_id, rude.id);
  EXPECT_EQ(store_->GetReport(9999).status().code(), StatusCode::kNotFound);

  // Hiding: changes public answers (data version); twice is refused; restoring needs a hidden item.
  version = Version();
  HiddenItem h{.target = "comment",
               .target_id = rude.id,
               .municipality = m,
               .reason = "In strijd met de huisregels",
               .hidden_by = mod,
               .hidden_at = "2026-11-29T12:00:00Z"};
  ASSERT_TRUE(store_->Hide(h).ok());
  EXPECT_GT(Version(), version) << "hiding changes public answers";
  EXPECT_EQ(store_->Hide(h).code(), StatusCode::kAlreadyExists);
  auto hidden = store_->GetHidden("comment", rude.id);
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_EQ(hidden->reason, "In strijd met de huisregels");
  EXPECT_EQ(hidden->hidden_by, mod);
  EXPECT_EQ(store_->GetHidden("comment", fine.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->HiddenIn(m)->size(), 1u);
  EXPECT_EQ(store_->HiddenIn(other)->size(), 0u);
  EXPECT_EQ(*store_->HiddenIds("comment"), std::vector<int64_t>{rude.id});
  EXPECT_TRUE(store_->HiddenIds("proposal")->empty());

  // The queue, paged in the store: each target once, by its first open report or hiding.
  HiddenItem hp{.target = "proposal",
                .target_id = p.id.value(),
                .municipality = m,
                .reason = "Reclame",
                .hidden_by = mod,
                .hidden_at = "2026-11-29T10:00:00Z"};
  ASSERT_TRUE(store_->Hide(hp).ok());
  EXPECT_EQ(*store_->HiddenIdsIn("proposal", m), std::vector<int64_t>{p.id.value()});
  EXPECT_TRUE(store_->HiddenIdsIn("proposal", other)->empty());
  EXPECT_EQ(*store_->HiddenIdsIn("comment", m), std::vector<int64_t>{rude.id});
  auto page = store_->ModerationTargets(m, 10, 0);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 2);
  using Target = std::pair<std::string, int64_t>;
  EXPECT_EQ(page->targets, (std::vector<Target>{{"proposal", p.id.value()}, {"comment", rude.id}}));
  EXPECT_EQ(store_->ModerationTargets(m, 1, 1)->targets, (std::vector<Target>{{"comment", rude.id}}));
  EXPECT_EQ(store_->ModerationTargets(m, 1, 1)->total, 2);
  EXPECT_TRUE(store_->ModerationTargets(m, 10, 2)->targets.empty());
  EXPECT_EQ(store_->ModerationTargets(other, 10, 0)->targets, (std::vector<Target>{{"profile", wim.value()}}));
  EXPECT_EQ(store_->ModerationTargets(m, 0, 0).status().code(), StatusCode::kInvalidArgument);
  auto on = store_->OpenReportsOn("comment", rude.id);
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  ASSERT_EQ(on->size(), 2u);
  EXPECT_EQ(on->at(0).id, r.id);
  EXPECT_EQ(on->at(1).id, second.id);
  ASSERT_TRUE(store_->Unhide("proposal", p.id.value()).ok());
  EXPECT_EQ(store_->ModerationTargets(m, 10, 0)->total, 1);

  // Resolving: every open report of the target, or one by id; closed ones stay closed.
  auto n = store_->ResolveReports("comment", rude.id, 0, "hidden", mod, "2026-11-29T12:00:00Z");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(*store_->ResolveReports("comment", rude.id, 0, "hidden", mod, "x"), 0);
  EXPECT_EQ(store_->ReportsIn(m, "open")->size(), 0u);
  EXPECT_EQ(store_->GetReport(r.id)->status, "hidden");
  EXPECT_EQ(store_->GetReport(r.id)->resolved_by, mod);
  EXPECT_EQ(*store_->ResolveReports("", 0, profile.id, "dismissed", mod, "x"), 1);
  EXPECT_EQ(store_->GetReport(profile.id)->status, "dismissed");
  EXPECT_EQ(store_->ResolveReports("", 0, profile.id, "open", mod, "x").status().code(), StatusCode::kInvalidArgument);

  version = Version();
  ASSERT_TRUE(store_->Unhide("comment", rude.id).ok());
  EXPECT_GT(Version(), version);
  EXPECT_EQ(store_->Unhide("comment", rude.id).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->HiddenIn(m)->size(), 0u);
  EXPECT_TRUE(store_->HiddenIds("comment")->empty());

  // Blocking: the account's sessions and tokens go; twice is refused; unblocking needs a block.
  ASSERT_TRUE(
      store_->PutSession({"wim-session", wim, "2026-11-29T09:00:00Z", "2026-11-29T09:00:00Z", "2099-01-01T00:00:00Z"})
          .ok());
  StoredToken t{.hash = "wim-token", .user = wim, .name = "ci", .created_at = "2026-11-29T09:00:00Z"};
  ASSERT_TRUE(store_->Insert(t).ok());
  EXPECT_EQ(store_->GetBlock(wim).status().code(), StatusCode::kNotFound);
  AccountBlock b{.user = wim,
                 .municipality = m,
                 .reason = "Herhaaldelijk beledigend",
                 .blocked_by = mod,
                 .at = "2026-11-29T12:30:00Z"};
  ASSERT_TRUE(store_->Block(b).ok());
  EXPECT_EQ(store_->Block(b).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetSession("wim-session").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTokenByHash("wim-token").status().code(), StatusCode::kNotFound);
  auto blocked = store_->GetBlock(wim);
  ASSERT_TRUE(blocked.ok()) << blocked.status().ToString();
  EXPECT_EQ(blocked->reason, "Herhaaldelijk beledigend");
  EXPECT_EQ(blocked->municipality, m);
  AccountBlock nobody = b;
  nobody.user = UserId(999);
  EXPECT_TRUE(Contains(store_->Block(nobody), "block.user"));

  Reopen();
  EXPECT_TRUE(store_->GetBlock(wim).ok());
  EXPECT_EQ(store_->ReportsIn(m, "")->size(), 2u);
  ASSERT_TRUE(store_->Unblock(wim).ok());
  EXPECT_EQ(store_->Unblock(wim).code(), StatusCode::kNotFound);

  // Deleting the reporter keeps their reports without a reporter; deleting the account drops its block.
  ASSERT_TRUE(store_->Block(b).ok());
  ASSERT_TRUE(store_->DeleteUserKeepingBallots(anne, "anon-key").ok());
  EXPECT_FALSE(store_->GetReport(r.id)->reporter.valid());
  ASSERT_TRUE(store_->DeleteUserKeepingBallots(wim, "anon-key-2").ok());
  EXPECT_EQ(store_->GetBlock(wim).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::Values(Backend::kPostgres), BackendName);

// ---- account state and fabric snapshots through their field tables (issue 22 item 3) -----------

// As EveryStoredFieldRoundTrips, for the rows the generic row mapper writes from the tables of
// notifications (one by one and in bulk), a user's settings (insert, then the same row replaced),
// account blocks and fabric snapshots: every field with a column comes back, and so do the store's
// own columns beside the tables (whom a notification is for and its audit entry, who blocked).
TEST_P(StoreContract, EveryStoredFieldOfAccountStateRoundTrips) {
  MunicipalityId m = AddGemeente();
  UserId reader = AddUser("lezer@example.nl"), officer = AddUser("moderator@example.nl");

  Notification n{.user = reader, .kind = "comment", .title = "Reactie", .audit_id = 41};
  SetSamples(fields::NotificationFields(), n, true);
  ASSERT_TRUE(Written(store_->Insert(n)));
  auto mine = store_->NotificationsOf(reader, 0, 0);
  ASSERT_TRUE(mine.ok() && mine->size() == 1u) << mine.status().ToString();
  ExpectStored(fields::NotificationFields(), n, mine->front(), "notification insert");
  EXPECT_EQ(mine->front().user, reader) << "notification insert: whom it is for (in no table)";
  EXPECT_EQ(mine->front().audit_id, 41) << "notification insert: its audit entry (in no table)";

  Notification first{.user = officer, .kind = "phase", .title = "Fase", .link = "/challenges/1"};
  SetSamples(fields::NotificationFields(), first, true);
  Notification second = first;
  second.audit_id = 42;
  second.read_at = "";
  ASSERT_TRUE(Written(store_->InsertNotifications({first, second})));
  auto bulk = store_->NotificationsOf(officer, 0, 0);  // unread first
  ASSERT_TRUE(bulk.ok() && bulk->size() == 2u) << bulk.status().ToString();
  second.id = (*bulk)[0].id;
  first.id = (*bulk)[1].id;
  EXPECT_GT(first.id, n.id);
  EXPECT_NE(first.id, second.id);
  ExpectStored(fields::NotificationFields(), second, (*bulk)[0], "notification bulk write (unread)");
  ExpectStored(fields::NotificationFields(), first, (*bulk)[1], "notification bulk insert");
  EXPECT_EQ((*bulk)[0].audit_id, 42) << "notification bulk insert: its audit entry (in no table)";
  EXPECT_EQ((*bulk)[1].audit_id, 0) << "notification bulk insert: no audit entry";
  EXPECT_EQ((*bulk)[1].user, officer) << "notification bulk insert: whom it is for (in no table)";

  UserSettings s{.user = reader};
  SetSamples(fields::UserSettingsFields(), s, true, {{"language", "en"}});
  ASSERT_TRUE(Written(store_->PutUserSettings(s)));
  ExpectStored(fields::UserSettingsFields(), s, *store_->GetUserSettings(reader), "settings insert");
  SetSamples(fields::UserSettingsFields(), s, false, {{"language", "nl"}});
  ASSERT_TRUE(Written(store_->PutUserSettings(s)));
  ExpectStored(fields::UserSettingsFields(), s, *store_->GetUserSettings(reader), "settings update");
  EXPECT_EQ(store_->GetUserSettings(reader)->user, reader);

  AccountBlock b{.user = reader, .municipality = m, .blocked_by = officer};
  SetSamples(fields::AccountBlockFields(), b, true);
  ASSERT_TRUE(Written(store_->Block(b)));
  ExpectStored(fields::AccountBlockFields(), b, *store_->GetBlock(reader), "block insert");
  EXPECT_EQ(store_->GetBlock(reader)->blocked_by, officer) << "block insert: who blocked it (in no table)";
  // blocks are never updated (Unblock deletes them)

  FabricSnapshot f{.municipality = m};
  SetSamples(fields::FabricSnapshotFields(), f, true,
             {{"period", "2031-02"},
              {"trigger", "on_demand"},
              {"health", fields::Json::parse(R"({"density":0.25})")},
              {"typology", fields::Json::parse(R"({"groups":[{"size":3}],"assignment":{"7":0}})")}});
  ASSERT_TRUE(Written(store_->Insert(f)));
  auto snaps = store_->SnapshotsOf(m);
  ASSERT_TRUE(snaps.ok() && snaps->size() == 1u) << snaps.status().ToString();
  ExpectStored(fields::FabricSnapshotFields(), f, snaps->front(), "snapshot insert");
  // The API shows the typology's groups; the store keeps the whole of it (the stability measure
  // reads the assignment).
  EXPECT_EQ(snaps->front().typology, f.typology) << "snapshot insert: the typology as written";
  EXPECT_EQ(snaps->front().health, f.health) << "snapshot insert: the health as written";
  // snapshots are never updated
}
// ---- end of account state and fabric snapshots -----------------------------------------------

// --- opening failures (no server needed) ------------------------------------------------------

TEST(StoreOpen, UnreachablePostgresIsUnavailable) {
  auto s = Store::Open("postgresql://weefsel:secret@127.0.0.1:1/weefsel?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable) << s.status().ToString();
  EXPECT_EQ(s.status().message().find("secret"), std::string::npos) << "the password is not echoed";
}

TEST(StoreOpen, UnopenableSqliteIsUnavailable) {
  auto s = Store::Open("/nonexistent-dir-weefsel/sub/weefsel.db");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable) << s.status().ToString();
  EXPECT_TRUE(Contains(s.status(), "/nonexistent-dir-weefsel/sub/weefsel.db"));
  EXPECT_EQ(Store::Open("").status().code(), StatusCode::kInvalidArgument);
}

// Two processes on one SQLite file: a writer waits up to the 5 s busy timeout for another's
// transaction, then gets Unavailable (503), not a hang or a crash.
TEST(SqliteStore, BusyWriterIsUnavailableAfterTimeout) {
  auto dir = std::filesystem::temp_directory_path() / ("weefsel-busy-" + UniqueName());
  std::filesystem::create_directories(dir);
  std::string path = (dir / "weefsel.db").string();
  auto first = Store::Open(path);
  auto second = Store::Open(path);
  ASSERT_TRUE(first.ok() && second.ok());
  Status blocked;
  double waited = 0;
  Status outer = (*first)->Transaction([&]() -> Status {
    Municipality m = Gemeente("GM0001", "Eerste");
    WEEFSEL_RETURN_IF_ERROR((*first)->Insert(m).status());
    Municipality other = Gemeente("GM0002", "Tweede");
    auto start = std::chrono::steady_clock::now();
    blocked = (*second)->Insert(other).status();
    waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return Status::Ok();
  });
  ASSERT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_EQ(blocked.code(), StatusCode::kUnavailable) << blocked.ToString();
  EXPECT_GE(waited, 4.0);
  Municipality later = Gemeente("GM0003", "Derde");
  EXPECT_TRUE((*second)->Insert(later).ok()) << "free again once the other commits";
  EXPECT_EQ((*second)->Count()->municipalities, 2);
  first->reset();
  second->reset();
  std::filesystem::remove_all(dir);
}

TEST(StoreOpen, InMemorySqliteWorks) {
  auto s = Store::Open(":memory:");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Municipality m = Gemeente("GM0014", "Groningen");
  ASSERT_TRUE((*s)->Insert(m).ok());
  EXPECT_EQ((*s)->Count()->municipalities, 1);
}

// The Right to Challenge (migration 11): the task list, bids with their published steps (read and
// written whole), settings, and the scopes their writes record.
TEST_P(StoreContract, TasksBidsStepsAndSettings) {
  MunicipalityId m = AddGemeente();
  ActorId initiative = AddActor("Buurtkracht", m), partner = AddActor("Hogeschool", m);
  UserId filer = AddUser("filer@example.nl");
  MunicipalTask task{.municipality = m, .title = "Groenonderhoud", .description = "Maaien en snoeien"};
  task.themes = {"groen"};
  task.capabilities = {{"groenbeheer", 1.5}};
  task.budget_eur = 120000;
  int64_t v = Version();
  ASSERT_TRUE(store_->Insert(task).ok());
  EXPECT_GT(Version(), v);
  auto got = store_->GetTask(task.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->title, "Groenonderhoud");
  EXPECT_EQ(got->capabilities.size(), 1u);
  EXPECT_EQ(got->capabilities[0].capability, "groenbeheer");
  EXPECT_DOUBLE_EQ(got->capabilities[0].weight, 1.5);
  EXPECT_TRUE(got->open);
  task.open = false;
  ASSERT_TRUE(store_->Update(task).ok());
  EXPECT_FALSE(store_->GetTask(task.id)->open);
  EXPECT_EQ(store_->TasksOf(m)->size(), 1u);
  EXPECT_EQ(store_->GetTask(TaskId(999)).status().code(), StatusCode::kNotFound);
  MunicipalTask untitled{.municipality = m};
  EXPECT_TRUE(Contains(store_->Insert(untitled).status(), "task.title"));

  TaskChallenge c{.municipality = m, .task = task.id, .task_title = "Groenonderhoud", .current_cost_eur = 120000};
  c.initiative = initiative;
  c.initiative_name = "Buurtkracht";
  c.filed_by = filer;
  c.title = "De buurt doet het groen";
  c.plan = "Bewoners onderhouden het groen";
  c.budget_eur = 100000;
  c.partners = {partner};
  c.milestones = {{.title = "Eerste seizoen", .due = "2027-10-01", .amount_eur = 40000}};
  c.indicators = {{.name = "tevredenheid", .unit = "%", .baseline = 55, .target = 70}};
  c.steps = {{.step = TaskChallengeStep::kReceived,
              .entered_at = "2026-12-06T10:00:00Z",
              .deadline = "2026-12-20",
              .decision = "received",
              .decided_by = filer}};
  ASSERT_TRUE(store_->Insert(c).ok());
  auto read = store_->GetTaskChallenge(c.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->partners, std::vector<ActorId>{partner});
  ASSERT_EQ(read->milestones.size(), 1u);
  EXPECT_EQ(read->milestones[0].amount_eur, 40000);
  ASSERT_EQ(read->indicators.size(), 1u);
  EXPECT_DOUBLE_EQ(read->indicators[0].target, 70);
  ASSERT_EQ(read->steps.size(), 1u);
  EXPECT_EQ(read->steps[0].deadline, "2026-12-20");
  EXPECT_EQ(read->steps[0].decided_by, filer);

  c.step = TaskChallengeStep::kRefused;
  c.steps.push_back({.step = TaskChallengeStep::kRefused,
                     .entered_at = "2026-12-07T10:00:00Z",
                     .decision = "Afgewezen",
                     .reasons = "Te duur"});
  int64_t before = Version();
  ASSERT_TRUE(store_->Update(c).ok());
  auto page = store_->ChangesSince(before, 100);
  ASSERT_TRUE(page.ok());
  std::set<std::string> scopes;
  for (const auto& ch : page->changes) scopes.insert(ch.scope);
  EXPECT_EQ(scopes, (std::set<std::string>{"task_challenges", "task_challenge:" + std::to_string(c.id.value()),
                                           "municipality:" + std::to_string(m.value())}));
  read = store_->GetTaskChallenge(c.id);
  EXPECT_EQ(read->step, TaskChallengeStep::kRefused);
  ASSERT_EQ(read->steps.size(), 2u);
  EXPECT_EQ(read->steps[1].reasons, "Te duur");
  EXPECT_EQ(store_->TaskChallengesOf(m)->size(), 1u);
  EXPECT_EQ(store_->TaskChallengesOf({})->size(), 1u);
  EXPECT_EQ(store_->TaskChallengeOfProposal(ProposalId(1)).status().code(), StatusCode::kNotFound);
  TaskChallenge unknown_task = c;
  unknown_task.task = TaskId(4242);
  Status s = store_->Insert(unknown_task).status();
  EXPECT_TRUE(Contains(s, "task_challenge.task")) << s.ToString();

  auto settings = store_->GetTaskChallengeSettings(m);
  ASSERT_TRUE(settings.ok());
  EXPECT_TRUE(settings->step_days.empty());
  ASSERT_TRUE(store_->PutTaskChallengeSettings({.municipality = m, .step_days = {{"assessment", 30}}}).ok());
  ASSERT_TRUE(store_->PutTaskChallengeSettings({.municipality = m, .step_days = {{"talks", 20}}}).ok());
  EXPECT_EQ(store_->GetTaskChallengeSettings(m)->step_days, (std::map<std::string, int>{{"talks", 20}}));
  EXPECT_FALSE(store_->PutTaskChallengeSettings({.municipality = m, .step_days = {{"refused", 3}}}).ok());
}

// Migration 13: a municipality's look, the logo's bytes exactly as they went in (NUL and 0xff too).
TEST_P(StoreContract, AppearanceKeepsTheLogosBytes) {
  MunicipalityId m = AddGemeente();
  auto none = store_->GetAppearance(m);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->theme.empty() && none->logo.empty());
  domain::Appearance a{.municipality = m, .theme = "denhaag", .display_name = "Gemeente Proef"};
  a.logo = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\xff\x7f", 3);
  a.logo_type = "image/png";
  ASSERT_TRUE(store_->PutAppearance(a).ok());
  auto read = store_->GetAppearance(m);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->theme, "denhaag");
  EXPECT_EQ(read->display_name, "Gemeente Proef");
  EXPECT_EQ(read->logo, a.logo);
  EXPECT_EQ(read->logo_type, "image/png");
  // Validated before anything is written: an SVG, a type that is not the bytes', an unknown theme.
  domain::Appearance svg = a;
  svg.logo = "<svg/>";
  svg.logo_type = "image/svg+xml";
  EXPECT_FALSE(store_->PutAppearance(svg).ok());
  domain::Appearance wrong = a;
  wrong.logo_type = "image/jpeg";
  EXPECT_FALSE(store_->PutAppearance(wrong).ok());
  domain::Appearance huge = a;
  huge.logo.resize(domain::kMaxLogoBytes + 1, 'x');
  EXPECT_FALSE(store_->PutAppearance(huge).ok());
  domain::Appearance unknown = a;
  unknown.theme = "paars";
  EXPECT_FALSE(store_->PutAppearance(unknown).ok());
  EXPECT_EQ(store_->GetAppearance(m)->logo, a.logo);
  EXPECT_FALSE(store_->PutAppearance({.municipality = MunicipalityId(999999)}).ok());
}

}  // namespace
}  // namespace weefsel::storage
