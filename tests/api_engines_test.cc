// API tests of the engine routes (http/api_engines.cc) over real HTTP on loopback, on SQLite
// (label unit) and PostgreSQL (label pg): round results with explanations and the .pb export (a
// round trip through the Pabulib parser), the fabric of a municipality (report, map, weave,
// health, GraphML; cached per data version), and coalition suggestions with the 422 answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "fund/pabulib.h"
#include "fund/rules.h"
#include "service/core/testing.h"
#include "service/demo.h"
#include "service/engines.h"
#include "storage/store.h"
#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

class EnginesApi : public ApiWorld {
 protected:
  // Three residents of m1 cast approval ballots {p1,p2}, {p1,p2}, {p1,p3} in a voting round with
  // budget 60,000 under the rule `rule`.
  RoundId VotedRound(const std::string& rule) {
    domain::Round r;
    r.municipality = m1_;
    r.name = "Buurtbudget Zuilen";
    r.budget_eur = 60000;
    r.rule = rule;
    r.projects = {{"p1", {}, "Speeltuin", 40000, "", ""},
                  {"p2", {}, "Moestuin", 30000, "", ""},
                  {"p3", {}, "Bankjes", 20000, "", ""}};
    RoundId id = Must(platform_->CreateRound(Root(), r)).id;
    Must(platform_->SetRoundPhase(Root(), id, domain::RoundPhase::kVoting));
    std::vector<std::vector<std::string>> votes = {{"p1", "p2"}, {"p1", "p2"}, {"p1", "p3"}};
    for (const auto& v : votes) {
      UserId u = AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}});
      auto who = Must(platform_->PrincipalOf(u));
      std::vector<domain::BallotEntry> entries;
      for (const auto& p : v) entries.push_back({p, 1});
      EXPECT_TRUE(platform_->CastBallot(who, id, entries).ok());
      voters_.push_back(u);
    }
    return id;
  }

  // m1 gets two triangles of actors joined through a1, plus an isolate; ties begin in different
  // months of 2026.
  void WeaveM1() {
    for (int i = 0; i < 6; ++i)
      extra_.push_back(AddActor("Actor " + std::to_string(i), m1_,
                                i % 2 ? domain::ActorKind::kCompany : domain::ActorKind::kCareWelfare));
    isolate_ = AddActor("Eenling", m1_);
    auto tie = [&](ActorId a, ActorId b, const std::string& from) {
      domain::Tie t;
      t.a = a;
      t.b = b;
      t.weight = 1;
      t.from = from;
      Must(platform_->CreateTie(Root(), t));
    };
    tie(extra_[0], extra_[1], "2026-03-10");
    tie(extra_[1], extra_[2], "2026-03-12");
    tie(extra_[0], extra_[2], "2026-04-01");
    tie(extra_[3], extra_[4], "2026-05-05");
    tie(extra_[4], extra_[5], "2026-06-05");
    tie(extra_[3], extra_[5], "2026-07-05");
    tie(a1_, extra_[0], "2026-08-01");
    tie(a1_, extra_[3], "2026-09-01");
    tie(a2_, a1_, "2026-09-15");
  }

  std::vector<UserId> voters_;
  std::vector<ActorId> extra_;
  ActorId isolate_;
};

TEST_P(EnginesApi, RoundResultsExplainWhyFundedOrNot) {
  RoundId r = VotedRound("greedy");
  std::string path = "/api/v1/rounds/" + Str(r) + "/results";
  // Voting: only officers (and admins) see the results.
  EXPECT_EQ(Send("GET", path).status, 401);
  EXPECT_EQ(As(kResident, "GET", path).status, 403);
  EXPECT_EQ(As(kOtherOfficer, "GET", path).status, 403);
  Resp o = As(kOfficer, "GET", path);
  ASSERT_EQ(o.status, 200) << o.body;
  // Greedy by supporters: p1 (3, 40,000) fits, p2 (2, 30,000) does not fit in the 20,000 left,
  // p3 (1, 20,000) fits.
  EXPECT_EQ(o.json["winners"], Json::array({"p1", "p3"}));
  EXPECT_EQ(o.json["spent_eur"].get<double>(), 60000.0);
  EXPECT_EQ(o.json["ballots"], 3);
  EXPECT_EQ(o.json["rule"], "greedy");
  ASSERT_EQ(o.json["projects"].size(), 3u);
  const Json& p2 = o.json["projects"][1];
  EXPECT_EQ(p2["project_id"], "p2");
  EXPECT_EQ(p2["title"], "Moestuin");
  EXPECT_FALSE(p2["funded"].get<bool>());
  EXPECT_EQ(p2["verdict"]["code"], "did_not_fit");
  EXPECT_EQ(p2["verdict"]["params"]["money_left_eur"].get<double>(), 20000.0);
  EXPECT_EQ(p2["verdict"]["params"]["supporters"], 2);
  EXPECT_FALSE(p2["text"].get<std::string>().empty());
  const Json& p1 = o.json["projects"][0];
  EXPECT_TRUE(p1["funded"].get<bool>());
  EXPECT_EQ(p1["verdict"]["code"], "funded_greedy");
  EXPECT_EQ(p1["step"], 1);
  // From allocation on everybody sees them, the same numbers.
  Must(platform_->SetRoundPhase(Root(), r, domain::RoundPhase::kAllocation));
  Resp anon = Send("GET", path);
  ASSERT_EQ(anon.status, 200) << anon.body;
  EXPECT_EQ(anon.json["winners"], o.json["winners"]);
  EXPECT_EQ(anon.json["phase"], "allocation");
  EXPECT_EQ(Send("GET", "/api/v1/rounds/999999/results").status, 404);
}

TEST_P(EnginesApi, RoundResultsUnderEqualShares) {
  RoundId r = VotedRound("mes_add1_greedy");
  Must(platform_->SetRoundPhase(Root(), r, domain::RoundPhase::kAllocation));
  Resp res = Send("GET", "/api/v1/rounds/" + Str(r) + "/results");
  ASSERT_EQ(res.status, 200) << res.body;
  // The same as the fund engine on the same ballots.
  auto round = Must(platform_->GetRound(r));
  std::vector<domain::Ballot> ballots;
  ASSERT_TRUE(service::testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
                WEEFSEL_ASSIGN_OR_RETURN(ballots, s.BallotsOf(r));
                return Status::Ok();
              }).ok());
  auto in = Must(fund::FromRound(round, ballots));
  auto out = Must(fund::RunRule(in, fund::Rule::kMesAdd1Greedy));
  Json winners = Json::array();
  for (int i : out.selected) winners.push_back(in.projects[static_cast<size_t>(i)].id);
  EXPECT_EQ(res.json["winners"], winners);
  for (const auto& p : res.json["projects"]) {
    std::string code = p["verdict"]["code"];
    EXPECT_EQ(p["funded"].get<bool>(), code.rfind("funded", 0) == 0) << p.dump();
  }
  // A rule that does not apply to the ballots is a conflict naming round.rule.
  domain::Round cum = round;
  cum.id = RoundId();
  cum.ballot_kind = domain::BallotKind::kCumulative;
  cum.rule = "phragmen";
  cum.max_points = 10;
  RoundId c = Must(platform_->CreateRound(Root(), cum)).id;
  Resp bad = As(kOfficer, "GET", "/api/v1/rounds/" + Str(c) + "/results");
  EXPECT_EQ(bad.status, 409) << bad.body;
  EXPECT_EQ(bad.json.value("field", ""), "round.rule") << bad.body;
}

TEST_P(EnginesApi, PbExportRoundTripsThroughTheParser) {
  RoundId r = VotedRound("greedy");
  std::string path = "/api/v1/rounds/" + Str(r) + "/export.pb";
  EXPECT_EQ(As(kResident, "GET", path).status, 403);
  Resp res = As(kOfficer, "GET", path);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.Header("Content-Disposition").find(".pb"), std::string::npos);
  auto in = fund::ParsePb("export.pb", res.body);
  ASSERT_TRUE(in.ok()) << in.status().ToString() << "\n" << res.body;
  EXPECT_EQ(in->budget, 60000 * in->scale);
  ASSERT_EQ(in->projects.size(), 3u);
  EXPECT_EQ(in->projects[1].id, "p2");
  EXPECT_EQ(in->projects[1].cost, 30000 * in->scale);
  ASSERT_EQ(in->voters.size(), 3u);
  // Anonymous: voters are numbered, no user id appears as a voter.
  std::multiset<std::vector<std::string>> got, want = {{"p1", "p2"}, {"p1", "p2"}, {"p1", "p3"}};
  for (const auto& v : in->voters) {
    for (UserId u : voters_) EXPECT_NE(v.id, std::to_string(u.value()));
    std::vector<std::string> ids;
    for (const auto& e : v.ballot) ids.push_back(in->projects[static_cast<size_t>(e.project)].id);
    std::sort(ids.begin(), ids.end());
    got.insert(ids);
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(in->Meta("vote_type").value_or(""), "approval");
  EXPECT_EQ(in->Meta("num_votes").value_or(""), "3");
  // The parsed file gives the same outcome as the results route.
  auto out = Must(fund::RunRule(*in, fund::Rule::kGreedy));
  EXPECT_EQ(out.SortedIds(*in), (std::vector<std::string>{"p1", "p3"}));
  // Writing what was read gives the same text.
  EXPECT_EQ(fund::FormatPb(*in), res.body);
}

TEST_P(EnginesApi, FabricMapAndReport) {
  WeaveM1();
  std::string base = "/api/v1/municipalities/" + Str(m1_) + "/fabric";
  Resp map = Send("GET", base + "/map");
  ASSERT_EQ(map.status, 200) << map.body;
  // m1: a1, a2, six more and the isolate; m2's actor is not in it.
  ASSERT_EQ(map.json["actors"].size(), 9u);
  EXPECT_EQ(map.json["ties"].size(), 9u);
  std::map<int64_t, Json> by_id;
  for (const auto& a : map.json["actors"]) {
    by_id[a["id"].get<int64_t>()] = a;
    EXPECT_GE(a["x"].get<double>(), 0.0);
    EXPECT_LE(a["x"].get<double>(), 1.0);
    EXPECT_GE(a["y"].get<double>(), 0.0);
    EXPECT_LE(a["y"].get<double>(), 1.0);
    EXPECT_TRUE(a.contains("sector") && a.contains("themes") && a.contains("kind"));
  }
  EXPECT_FALSE(by_id.count(a3_.value()));
  EXPECT_EQ(by_id[isolate_.value()]["role"], "isolate");
  EXPECT_EQ(by_id[isolate_.value()]["degree"], 0);
  EXPECT_EQ(by_id[a1_.value()]["degree"], 3);
  // The triangles are communities of their own.
  EXPECT_EQ(by_id[extra_[0].value()]["community"], by_id[extra_[1].value()]["community"]);
  EXPECT_EQ(by_id[extra_[3].value()]["community"], by_id[extra_[4].value()]["community"]);
  EXPECT_NE(by_id[extra_[0].value()]["community"], by_id[extra_[4].value()]["community"]);
  for (const auto& t : map.json["ties"]) {
    EXPECT_TRUE(by_id.count(t["from"].get<int64_t>()));
    EXPECT_TRUE(by_id.count(t["to"].get<int64_t>()));
  }

  Resp rep = Send("GET", base + "/report");
  ASSERT_EQ(rep.status, 200) << rep.body;
  EXPECT_EQ(rep.json["actors"], 9);
  EXPECT_EQ(rep.json["ties"], 9);
  EXPECT_EQ(rep.json["components"]["count"], 2);  // the woven part and the isolate
  EXPECT_GT(rep.json["modularity"].get<double>(), 0.2);
  EXPECT_EQ(rep.json["roles"]["isolate"], 1);
  // a1 joins the two triangles (and a2): an articulation point and the top broker.
  std::set<int64_t> ap;
  for (const auto& a : rep.json["articulation_points"]) ap.insert(a["id"].get<int64_t>());
  EXPECT_TRUE(ap.count(a1_.value()));
  ASSERT_FALSE(rep.json["brokers"].empty());
  EXPECT_EQ(rep.json["brokers"][0]["id"], a1_.value());
  EXPECT_NEAR(rep.json["health"]["largest_component_share"].get<double>(), 8.0 / 9.0, 1e-9);
  EXPECT_TRUE(rep.json["sector_mixing"].contains("observed"));
  EXPECT_TRUE(rep.json.contains("ei_index"));

  // Cached per data version: the same ETag and a 304; a new tie changes the map.
  Resp again = Send("GET", base + "/map");
  EXPECT_EQ(again.Header("ETag"), map.Header("ETag"));
  EXPECT_EQ(Send("GET", base + "/map", nullptr, "", {{"If-None-Match", map.Header("ETag")}}).status, 304);
  domain::Tie t;
  t.a = isolate_;
  t.b = a2_;
  Must(platform_->CreateTie(Root(), t));
  Resp after = Send("GET", base + "/map");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.json["ties"].size(), 10u);
  EXPECT_NE(after.Header("ETag"), map.Header("ETag"));

  EXPECT_EQ(Send("GET", "/api/v1/municipalities/999999/fabric/map").status, 404);
  // Unknown ids neither queue builds nor count as failed builds: an anonymous stream of them cannot
  // grow the engines' state or flip readiness to degraded.
  for (int id = 999990; id < 999999; ++id)
    EXPECT_EQ(Send("GET", "/api/v1/municipalities/" + std::to_string(id) + "/fabric/report").status, 404);
  Resp ready = Send("GET", "/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.json["status"], "ready") << ready.body;
  EXPECT_TRUE(ready.json["engines"]["failed_builds"].empty()) << ready.body;
  Resp other = Send("GET", "/api/v1/municipalities/" + Str(m2_) + "/fabric/map");
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.json["actors"].size(), 1u);
}

TEST_P(EnginesApi, FabricWeaveHealthGraphml) {
  WeaveM1();
  std::string base = "/api/v1/municipalities/" + Str(m1_) + "/fabric";
  Resp w = Send("GET", base + "/weave?k=3");
  ASSERT_EQ(w.status, 200) << w.body;
  ASSERT_FALSE(w.json["suggestions"].empty());
  EXPECT_LE(w.json["suggestions"].size(), 3u);
  double before = w.json["objective_before"], total = 0;
  for (const auto& s : w.json["suggestions"]) {
    EXPECT_GT(s["gain"].get<double>(), 0);
    EXPECT_FALSE(s["reason"].get<std::string>().empty());
    EXPECT_NE(s["from"]["id"], s["to"]["id"]);
    EXPECT_FALSE(s["from"]["name"].get<std::string>().empty());
    total += s["gain"].get<double>();
  }
  EXPECT_NEAR(before + total, w.json["objective_after"].get<double>(), 1e-9);
  EXPECT_EQ(Send("GET", base + "/weave?k=0").status, 400);
  EXPECT_EQ(Send("GET", base + "/weave?k=51").status, 400);
  EXPECT_EQ(Send("GET", base + "/weave?k=x").json.value("field", ""), "k");

  Resp h = Send("GET", base + "/health");
  ASSERT_EQ(h.status, 200) << h.body;
  EXPECT_TRUE(h.json["dated"].get<bool>());
  const Json& months = h.json["months"];
  ASSERT_GE(months.size(), 7u);  // March 2026 to the test clock's November 2026
  EXPECT_EQ(months[0]["month"], "2026-03");
  EXPECT_EQ(months[0]["ties"], 2);  // the two ties begun in March
  EXPECT_EQ(months.back()["ties"], 9);
  for (size_t i = 1; i < months.size(); ++i) {
    EXPECT_LT(months[i - 1]["month"].get<std::string>(), months[i]["month"].get<std::string>());
    EXPECT_LE(months[i - 1]["ties"].get<int>(), months[i]["ties"].get<int>());
  }
  EXPECT_GT(months.back()["largest_component_share"].get<double>(), months[0]["largest_component_share"].get<double>());

  Resp g = Send("GET", base + "/graphml");
  ASSERT_EQ(g.status, 200);
  EXPECT_EQ(g.Header("Content-Type"), "application/graphml+xml");
  EXPECT_NE(g.body.find("<graphml"), std::string::npos);
  EXPECT_NE(g.body.find("<node id=\"n" + Str(a1_) + "\""), std::string::npos);
}

// "Breng in contact" on a weave suggestion: the members of both sides hear about the other, once.
TEST_P(EnginesApi, AnIntroductionTellsBothSidesOnce) {
  using domain::Role;
  std::string hu;
  AddUser(FreshEmail(), {{UserId(), Role::kActorMember, {}, a2_}}, &hu);
  std::string path = "/api/v1/municipalities/" + Str(m1_) + "/introductions";
  Json body = {{"a", a2_.value()}, {"b", a1_.value()}, {"note", "Allebei bezig met eenzaamheid in Zuilen"}};
  Resp r = As(kOfficer, "POST", path, body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["a"]["id"], a1_.value());  // the pair in id order
  EXPECT_EQ(r.json["a"]["notified"], 1);      // the member of a1
  EXPECT_EQ(r.json["b"]["name"], "Hogeschool Utrecht");
  EXPECT_EQ(r.json["b"]["notified"], 1);

  // Each side hears of the other, with the note, linked to the other's page.
  auto note_of = [&](const std::string& token) -> Json {
    Resp n = Send("GET", "/api/v1/notifications", nullptr, token);
    for (const auto& item : n.json["items"])
      if (item["kind"] == "introduction") return item;
    return nullptr;
  };
  Json seen = note_of(tokens_[kMember]);
  ASSERT_FALSE(seen.is_null());
  EXPECT_NE(seen["title"].get<std::string>().find("Hogeschool Utrecht"), std::string::npos) << seen;
  EXPECT_NE(seen["title"].get<std::string>().find("eenzaamheid in Zuilen"), std::string::npos) << seen;
  EXPECT_EQ(seen["link"], "/actors/" + Str(a2_));
  seen = note_of(hu);
  ASSERT_FALSE(seen.is_null());
  EXPECT_NE(seen["title"].get<std::string>().find("Buurtkracht Zuilen"), std::string::npos) << seen;
  EXPECT_TRUE(note_of(tokens_[kOfficer]).is_null());  // not told of their own act

  // Once per quiet period, in either order; the audit log keeps it for the officers.
  Resp again = As(kOfficer, "POST", path, {{"a", a1_.value()}, {"b", a2_.value()}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("were introduced on"), std::string::npos) << again.body;
  Resp log = As(kOfficer, "GET", "/api/v1/audit?entity=introduction&id=" + Str(a1_));
  ASSERT_EQ(log.status, 200) << log.body;
  ASSERT_EQ(log.json["items"].size(), 1u);
  EXPECT_EQ(log.json["items"][0]["action"], "create");

  // Wrong roles and wrong moves.
  ActorId other = AddActor("Wijkteam Noord", m2_);
  EXPECT_EQ(Send("POST", path, {{"a", a1_.value()}, {"b", other.value()}}).status, 401);
  EXPECT_EQ(As(kResident, "POST", path, {{"a", a1_.value()}, {"b", other.value()}}).status, 403);
  EXPECT_EQ(As(kMember, "POST", path, {{"a", a1_.value()}, {"b", other.value()}}).status, 403);
  EXPECT_EQ(As(kOtherOfficer, "POST", path, {{"a", a1_.value()}, {"b", other.value()}}).status, 403);
  EXPECT_EQ(As(kOfficer, "POST", path, {{"a", a1_.value()}, {"b", a1_.value()}}).status, 400);
  EXPECT_EQ(As(kOfficer, "POST", path, {{"a", a1_.value()}}).json.value("field", ""), "introduction.b");
  EXPECT_EQ(As(kOfficer, "POST", path, {{"a", a1_.value()}, {"b", 999999}}).status, 404);
  EXPECT_EQ(As(kOfficer, "POST", path, {{"a", a3_.value()}, {"b", other.value()}}).status, 400);  // both of m2
  Resp long_note =
      As(kOfficer, "POST", path, {{"a", a1_.value()}, {"b", other.value()}, {"note", std::string(1001, 'x')}});
  EXPECT_EQ(long_note.status, 400);
  EXPECT_EQ(long_note.json.value("field", ""), "introduction.note");
  // A local actor with one from elsewhere is fine (weave suggestions may reach across the border).
  Resp across = As(kOfficer, "POST", path, {{"a", a1_.value()}, {"b", other.value()}});
  EXPECT_EQ(across.status, 201) << across.body;
  EXPECT_EQ(across.json["b"]["notified"], 0);  // nobody of Wijkteam Noord has an account
}

TEST_P(EnginesApi, CoalitionSuggestionsAndTheUnmetRequirement) {
  std::string path = "/api/v1/challenges/" + Str(c1_) + "/coalition-suggestions?top=2";
  EXPECT_EQ(Send("GET", path).status, 401);
  EXPECT_EQ(As(kResident, "GET", path).status, 403);
  EXPECT_EQ(As(kOtherOfficer, "GET", path).status, 403);
  Resp s = As(kOfficer, "GET", path);
  ASSERT_EQ(s.status, 200) << s.body;
  ASSERT_FALSE(s.json["teams"].empty());
  for (const auto& team : s.json["teams"]) {
    ASSERT_FALSE(team["members"].empty());
    bool covered = false;
    for (const auto& c : team["covers"]) covered |= c["capability"] == "buurtnetwerken";
    EXPECT_TRUE(covered) << team.dump();
    for (const auto& m : team["members"]) EXPECT_TRUE(m.contains("sector") && m.contains("covers"));
  }
  EXPECT_EQ(As(kMember, "GET", path).status, 200);

  // Nobody has this capability: 422 naming it.
  domain::Challenge x;
  x.municipality = m1_;
  x.title = "Kernfusie in de wijk";
  x.text = "Een kleine reactor voor de buurt.";
  x.capabilities = {{"kernfusie", 1.0}, {"buurtnetwerken", 1.0}};
  ChallengeId id = Must(platform_->CreateChallenge(Root(), x)).id;
  Resp bad = As(kOfficer, "GET", "/api/v1/challenges/" + Str(id) + "/coalition-suggestions");
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.Header("Content-Type").find("application/problem+json"), std::string::npos);
  EXPECT_EQ(bad.json["requirement"], "capability:kernfusie");
  EXPECT_NE(bad.json["detail"].get<std::string>().find("kernfusie"), std::string::npos);
  // A sector mix the platform cannot meet names the sector and by how much.
  domain::Challenge y = x;
  y.capabilities = {{"buurtnetwerken", 1.0}};
  y.sector_mix = {{domain::Sector::kGovernment, 2}};
  ChallengeId yid = Must(platform_->CreateChallenge(Root(), y)).id;
  Resp mix = As(kOfficer, "GET", "/api/v1/challenges/" + Str(yid) + "/coalition-suggestions");
  ASSERT_EQ(mix.status, 422) << mix.body;
  EXPECT_EQ(mix.json["requirement"], "sector_mix:government");
  EXPECT_NE(mix.json["detail"].get<std::string>().find("2 short"), std::string::npos) << mix.body;
  EXPECT_EQ(As(kOfficer, "GET", "/api/v1/challenges/" + Str(c1_) + "/coalition-suggestions?top=11").status, 400);
}

// Issue 17's feedback loop: a coalition proposed for a challenge made its members jump up that
// challenge's matches. Only formed coalitions are track record, and never for their own challenge.
TEST_P(EnginesApi, OnlyFormedCoalitionsOfOtherChallengesAreTrackRecord) {
  auto scores = [&](ChallengeId c) {
    Resp r = Send("GET", "/api/v1/challenges/" + Str(c) + "/matches?limit=10");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<int64_t, std::pair<double, bool>> out;  // actor -> (score, has a record reason)
    for (const auto& m : r.json["items"]) {
      bool record = false;
      for (const auto& reason : m["reasons"]) record |= reason["code"] == "record";
      out[m["actor"].get<int64_t>()] = {m["score"].get<double>(), record};
    }
    return out;
  };
  auto before = scores(c1_);
  ASSERT_FALSE(before.empty());
  domain::Coalition co;
  co.challenge = c1_;
  co.members = {{a2_, "lead", {}, {}}, {a3_, "member", {}, {}}};
  CoalitionId own = Must(platform_->ProposeCoalition(Root(), co)).id;
  EXPECT_EQ(scores(c1_), before) << "a proposed coalition changed its own challenge's matches";
  // Formed, it is still no evidence for its own challenge.
  for (ActorId a : {a2_, a3_}) {
    Must(platform_->Invite(Root(), own, a));
    Must(platform_->Accept(Root(), own, a));
  }
  ASSERT_EQ(Must(platform_->GetCoalition(own)).status, domain::CoalitionStatus::kFormed);
  // (The corpus statistics of the text index include the formed coalition's text, so scores may
  // move by a little; no record, and no jump.)
  auto formed = scores(c1_);
  ASSERT_EQ(formed.size(), before.size());
  for (const auto& [actor, score_record] : formed) {
    ASSERT_TRUE(before.count(actor));
    EXPECT_NEAR(score_record.first, before[actor].first, 0.02) << "actor " << actor;
    EXPECT_FALSE(score_record.second) << "actor " << actor << " has a record reason for its own challenge";
  }
  // For another challenge it is track record; a proposal for another challenge is not.
  auto other = scores(c2_);
  ASSERT_TRUE(other.count(a2_.value()));
  EXPECT_TRUE(other[a2_.value()].second) << "formed coalition for c1 counts for c2";
  domain::Coalition proposed;
  proposed.challenge = c2_;
  proposed.members = {{a1_, "lead", {}, {}}, {a3_, "member", {}, {}}};
  Must(platform_->ProposeCoalition(Root(), proposed));
  auto c1_now = scores(c1_);
  ASSERT_TRUE(c1_now.count(a1_.value()));
  EXPECT_FALSE(c1_now[a1_.value()].second) << "a proposal for c2 is no track record for c1";
}

// Issue 17: capability codes were shown in English in the Dutch UI; the vocabulary gives labels.
TEST_P(EnginesApi, VocabularyGivesDutchLabels) {
  Resp r = Send("GET", "/api/v1/vocabulary");
  ASSERT_EQ(r.status, 200) << r.body;
  bool volunteers = false;
  for (const auto& c : r.json["capabilities"]) {
    EXPECT_TRUE(c.contains("code") && c.contains("nl") && c.contains("en")) << c.dump();
    if (c["code"] == "volunteers") volunteers = c["nl"] == "Vrijwilligers";
  }
  EXPECT_TRUE(volunteers) << r.body;
  ASSERT_FALSE(r.json["themes"].empty());
  ASSERT_FALSE(r.json["actor_kinds"].empty());
}

TEST_P(EnginesApi, MatchReasonsCarryCodesAndParams) {
  Resp r = Send("GET", "/api/v1/challenges/" + Str(c1_) + "/matches?limit=5");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(r.json["items"].empty());
  const std::set<std::string> codes = {"text",    "capability", "theme",      "area",     "closeness",
                                       "partner", "record",     "unexpected", "diversity"};
  bool capability_seen = false;
  for (const auto& m : r.json["items"]) {
    double sum = 0;
    for (const auto& reason : m["reasons"]) {
      std::string code = reason["code"];
      EXPECT_TRUE(codes.count(code)) << code;
      const Json& p = reason["params"];
      ASSERT_TRUE(p.is_object()) << reason.dump();
      double v = p["value"].get<double>();
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0);
      EXPECT_DOUBLE_EQ(p["contribution"].get<double>(), reason["contribution"].get<double>());
      sum += reason["contribution"].get<double>();
      if (code == "capability") {
        capability_seen = true;
        EXPECT_EQ(p["items"], Json::array({"buurtnetwerken"})) << reason.dump();
      }
      if (code == "area") {
        EXPECT_EQ(p["same_municipality"], v >= 1);
      }
      if (code == "text" || code == "theme") {
        EXPECT_TRUE(p["reduced"].is_boolean());
      }
    }
    EXPECT_NEAR(sum, m["score"].get<double>(), 1e-9) << m.dump();
  }
  EXPECT_TRUE(capability_seen);
}

// Issue 17: "Eenzaamheid onder ouderen" for a neighbourhood got coalitions of organisations from
// other cities only, with no city to show it. Amsterdam (m2) actors match the text better than the
// Utrecht (m1) ones; Utrecht's own actors cover what the challenge needs.
TEST_P(EnginesApi, CoalitionSuggestionsForANeighbourhoodAreLocal) {
  auto outsider = [&](const std::string& name, std::vector<std::string> caps) {
    domain::Actor a;
    a.name = name;
    a.municipality = m2_;
    a.kind = domain::ActorKind::kCareWelfare;
    a.description = "Eenzaamheid in Zuilen: veel ouderen in de wijk zijn eenzaam. Eenzaamheid onder ouderen.";
    a.themes = {"eenzaamheid"};
    a.capabilities = std::move(caps);
    return Must(platform_->CreateActor(Root(), a)).id;
  };
  ActorId far1 = outsider("Ouderenwerk Amsterdam", {"buurtnetwerken"});
  ActorId far2 = outsider("Buurtnetwerk Amsterdam", {"buurtnetwerken"});
  std::string path = "/api/v1/challenges/" + Str(c1_) + "/coalition-suggestions?top=3";
  Resp s = As(kOfficer, "GET", path);
  ASSERT_EQ(s.status, 200) << s.body;
  ASSERT_FALSE(s.json["teams"].empty()) << s.body;
  for (const auto& team : s.json["teams"])
    for (const auto& m : team["members"]) {
      EXPECT_EQ(m["municipality"], m1_.value()) << m.dump();
      EXPECT_EQ(m["municipality_name"], "Utrecht") << m.dump();
      EXPECT_EQ(m["local"], true) << m.dump();
      EXPECT_NE(m["actor"], far1.value());
      EXPECT_NE(m["actor"], far2.value());
    }
  EXPECT_TRUE(s.json["shortfall"].empty()) << s.body;

  // A capability nobody in Utrecht has: an Amsterdam holder joins, with the reason, and the
  // answer names the shortfall.
  ActorId research = outsider("Onderzoek Amsterdam", {"onderzoek"});
  domain::Challenge x;
  x.municipality = m1_;
  x.title = "Eenzaamheid onder ouderen meten";
  x.text = "Veel ouderen in de wijk zijn eenzaam.";
  x.capabilities = {{"buurtnetwerken", 1.0}, {"onderzoek", 1.0}};
  ChallengeId xid = Must(platform_->CreateChallenge(Root(), x)).id;
  Resp r = As(kOfficer, "GET", "/api/v1/challenges/" + Str(xid) + "/coalition-suggestions");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(r.json["teams"].empty()) << r.body;
  ASSERT_EQ(r.json["shortfall"].size(), 1u) << r.body;
  EXPECT_NE(r.json["shortfall"][0].get<std::string>().find("too few local organisations with capability"),
            std::string::npos)
      << r.body;
  for (const auto& team : r.json["teams"])
    for (const auto& m : team["members"]) {
      if (m["actor"] == research.value()) {
        EXPECT_EQ(m["municipality_name"], "Amsterdam");
        EXPECT_EQ(m["local"], false);
        EXPECT_NE(m["why"].get<std::string>().find("no organisation in the challenge's municipality"),
                  std::string::npos);
      } else {
        EXPECT_EQ(m["municipality"], m1_.value()) << m.dump() << " joined though Utrecht has the capability";
      }
    }
}

// Issue 17, "a feedback loop": once a coalition was proposed for a challenge, its members jumped to
// the top of that challenge's matches (+0.1 for "1 eerdere coalitie", and its text).
TEST_P(EnginesApi, AProposedCoalitionIsNoTrackRecordForItsChallenge) {
  auto score_of = [&](ActorId who) {
    Resp r = Send("GET", "/api/v1/challenges/" + Str(c1_) + "/matches?limit=20");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& m : r.json["items"])
      if (m["actor"] == who.value()) {
        for (const auto& reason : m["reasons"]) EXPECT_NE(reason["code"], "record") << m.dump();
        return m["score"].get<double>();
      }
    return -1.0;
  };
  const double a3_before = score_of(a3_);
  const double a2_before = score_of(a2_);
  domain::Coalition c;
  c.challenge = c1_;
  c.members = {{a3_, "member", {}, {}}, {a2_, "member", {}, {}}};
  CoalitionId made = Must(platform_->ProposeCoalition(Root(), c)).id;
  EXPECT_NEAR(score_of(a3_), a3_before, 1e-9) << "a merely proposed coalition raised its member";
  EXPECT_NEAR(score_of(a2_), a2_before, 1e-9);
  // Even formed, it is no track record for its own challenge.
  Must(platform_->Invite(Root(), made, a3_));
  Must(platform_->Invite(Root(), made, a2_));
  Must(platform_->Accept(Root(), made, a3_));
  Must(platform_->Accept(Root(), made, a2_));
  ASSERT_EQ(Must(platform_->GetCoalition(made)).status, domain::CoalitionStatus::kFormed);
  EXPECT_NEAR(score_of(a3_), a3_before, 1e-9) << "a coalition for this very challenge counted";
  // For another challenge on the same theme it is track record.
  Resp other = Send("GET", "/api/v1/challenges/" + Str(c2_) + "/matches?limit=20");
  ASSERT_EQ(other.status, 200) << other.body;
  bool record = false;
  for (const auto& m : other.json["items"])
    if (m["actor"] == a3_.value())
      for (const auto& reason : m["reasons"]) record |= reason["code"] == "record";
  EXPECT_TRUE(record) << other.body;
}

// Serving core II: caches depend on the scopes they read (storage/store.h, namespace scope).
TEST_P(EnginesApi, ABallotInOneRoundLeavesTheOtherRoundsResultsCached) {
  RoundId a = VotedRound("greedy"), b = VotedRound("greedy");
  service::BuildWorker worker("fund");
  service::FundService fund(*platform_, worker, std::nullopt);
  auto a1 = Must(fund.Results(Root(), a)).value;
  auto b1 = Must(fund.Results(Root(), b)).value;
  int64_t fabric1 = Must(platform_->VersionOf({storage::scope::Fabric(m1_)}));
  int64_t fabric2 = Must(platform_->VersionOf({storage::scope::Fabric(m2_)}));
  UserId u = AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}});
  ASSERT_TRUE(platform_->CastBallot(Must(platform_->PrincipalOf(u)), a, {{"p3", 1}}).ok());
  auto a2 = Must(fund.Results(Root(), a)).value;
  auto b2 = Must(fund.Results(Root(), b)).value;
  ASSERT_TRUE(a2 && b2);
  EXPECT_NE(a2.get(), a1.get()) << "round A is counted again";
  EXPECT_EQ(a2->ballots, 4);
  EXPECT_EQ(b2.get(), b1.get()) << "round B's results were not recomputed";
  EXPECT_EQ(Must(platform_->VersionOf({storage::scope::Fabric(m1_)})), fabric1) << "a ballot leaves the fabric";
  // An actor edit in m2 changes m2's fabric and leaves m1's.
  Must(platform_->UpdateActor(Root(), a3_, [](domain::Actor& x) -> Status {
    x.description = "Nieuw";
    return Status::Ok();
  }));
  EXPECT_EQ(Must(platform_->VersionOf({storage::scope::Fabric(m1_)})), fabric1);
  EXPECT_NE(Must(platform_->VersionOf({storage::scope::Fabric(m2_)})), fabric2);
  EXPECT_EQ(Must(fund.Results(Root(), b)).value.get(), b1.get());
  worker.Stop();
}

// Two servers on one database (two processes behind a balancer): a write through one is visible
// through the other within a second, cached reads included.
TEST_P(EnginesApi, AWriteThroughOneServerIsVisibleThroughAnother) {
  auto store = storage::Store::Open(url_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  service::PlatformOptions po;
  po.password_cost = service::PasswordCost::Minimum();
  service::Platform other(std::move(store).value(), po);
  http::Api api(other);
  http::ServerOptions so;
  so.port = 0;
  so.threads = 2;
  http::Server server(api, so);
  ASSERT_TRUE(server.Start().ok());
  httplib::Client client("127.0.0.1", server.port());
  std::string path = "/api/v1/actors/" + Str(a1_);
  auto before = client.Get(path);
  ASSERT_TRUE(before && before->status == 200);
  ASSERT_EQ(Json::parse(before->body)["description"], Json::parse(Send("GET", path).body)["description"]);
  Resp w = As(kAdmin, "PATCH", path, {{"description", "Gewijzigd via de eerste server"}});
  ASSERT_EQ(w.status, 200) << w.body;
  auto start = std::chrono::steady_clock::now();
  std::string seen;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) {
    auto r = client.Get(path);
    ASSERT_TRUE(r && r->status == 200);
    seen = Json::parse(r->body)["description"];
    if (seen == "Gewijzigd via de eerste server") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(seen, "Gewijzigd via de eerste server") << "not visible through the second server within 1 s";
  server.Stop();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, EnginesApi, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, EnginesApi, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
