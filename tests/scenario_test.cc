// The programme scenario (issue 8): one challenge walks every phase, open -> matching -> forming ->
// proposals -> funded -> experiment -> evaluated, with its round walking submission -> review ->
// voting -> allocation -> published, over real HTTP with the role that may take each step. At
// every step a wrong role is refused (401/403) and so is a move the phase does not allow (409
// naming `phase`); at the end the audit log holds the steps, readable by the municipality's
// officers and not by others. Runs on SQLite (Sqlite/, label unit) and PostgreSQL (Postgres/,
// label pg).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

class Scenario : public ApiWorld {
 protected:
  // A refusal of a wrong role: 403 (or 401 for anonymous), problem+json.
  void Refused(int role, const std::string& method, const std::string& path, const Json& body, const std::string& why) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, role == kAnon ? 401 : 403)
        << why << ": " << kRoleNames[role] << " " << method << " " << path << " -> " << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << why;
  }
  // A move the phase does not allow: 409 naming the field `phase`.
  void WrongPhase(int role, const std::string& method, const std::string& path, const Json& body,
                  const std::string& why) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, 409) << why << ": " << r.body;
    EXPECT_EQ(r.json.value("field", ""), "phase") << why << ": " << r.body;
  }
  Json Ok(int role, const std::string& method, const std::string& path, const Json& body, int status = 200) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, status) << kRoleNames[role] << " " << method << " " << path << ": " << r.body;
    return r.json;
  }
};

TEST_P(Scenario, OneChallengeThroughEveryPhaseWithRightsAtEachStep) {
  const std::string v1 = "/api/v1";

  // open: an officer posts the challenge; a resident may not.
  Json post = {{"municipality", m1_.value()},
               {"title", "Eenzaamheid onder ouderen in Zuilen"},
               {"text", "Veel ouderen in Zuilen zijn eenzaam."},
               {"themes", {"eenzaamheid"}},
               {"capabilities", Json::array({{{"capability", "buurtnetwerken"}, {"weight", 1}}})}};
  Refused(kResident, "POST", v1 + "/challenges", post, "posting a challenge");
  Json ch = Ok(kOfficer, "POST", v1 + "/challenges", post, 201);
  ASSERT_TRUE(ch.contains("id"));
  const std::string c = v1 + "/challenges/" + std::to_string(ch["id"].get<int64_t>());
  EXPECT_EQ(ch["phase"], "open");
  auto move = [&](const char* phase) { return Json{{"phase", phase}}; };

  // open -> matching: officers of this municipality only; no skipping; the phase is not PATCHed.
  Refused(kAnon, "POST", c + "/phase", move("matching"), "moving the challenge");
  Refused(kMember, "POST", c + "/phase", move("matching"), "moving the challenge");
  Refused(kOtherOfficer, "POST", c + "/phase", move("matching"), "moving another municipality's challenge");
  WrongPhase(kOfficer, "POST", c + "/phase", move("forming"), "skipping matching");
  Resp patched = As(kOfficer, "PATCH", c, move("matching"));
  EXPECT_EQ(patched.status, 400) << patched.body;
  EXPECT_EQ(patched.json.value("field", ""), "phase");
  EXPECT_EQ(Ok(kOfficer, "POST", c + "/phase", move("matching"))["phase"], "matching");
  WrongPhase(kOfficer, "POST", c + "/phase", move("open"), "moving back");

  // matching: an officer proposes a coalition and invites; the actor's member accepts.
  Json coalition_body = {{"members", Json::array({{{"actor", a1_.value()}, {"role", "lead"}},
                                                  {{"actor", a2_.value()}, {"role", "member"}}})},
                         {"explanation", "Buurtnetwerk en hogeschool"}};
  Refused(kMember, "POST", c + "/coalitions", coalition_body, "proposing a coalition");
  Json co = Ok(kOfficer, "POST", c + "/coalitions", coalition_body, 201);
  const std::string k = v1 + "/coalitions/" + std::to_string(co["id"].get<int64_t>());
  Refused(kResident, "POST", k + "/invite", {{"actor", a1_.value()}}, "inviting an actor");
  Ok(kOfficer, "POST", k + "/invite", {{"actor", a1_.value()}});
  Refused(kOfficer, "POST", k + "/accept", {{"actor", a1_.value()}}, "accepting for an actor one is not member of");
  Ok(kMember, "POST", k + "/accept", {{"actor", a1_.value()}});

  // matching -> forming.
  Refused(kMember, "POST", c + "/phase", move("forming"), "moving the challenge");
  Ok(kOfficer, "POST", c + "/phase", move("forming"));

  // forming: the coalition writes a proposal (two versions); a resident may not.
  Json version1 = {{"title", "Buurtkamers"},
                   {"plan", "Elke week een open buurtkamer.\nVrijwilligers halen ouderen op."},
                   {"budget_eur", 30000}};
  Refused(kResident, "POST", k + "/proposals", version1, "writing a proposal");
  Json prop = Ok(kMember, "POST", k + "/proposals", version1, 201);
  const std::string p = v1 + "/proposals/" + std::to_string(prop["id"].get<int64_t>());
  Refused(kOfficer, "POST", p + "/versions", {{"title", "Van de ambtenaar"}}, "revising another's proposal");
  Ok(kMember, "POST", p + "/versions",
     {{"title", "Buurtkamers"},
      {"plan", "Elke week een open buurtkamer.\nOok op zaterdag.\nVrijwilligers halen ouderen op."},
      {"budget_eur", 27500}},
     201);
  Json diff = Ok(kAnon, "GET", p + "/diff?from=1&to=2", nullptr);
  EXPECT_EQ(diff["added"], 2) << diff.dump();  // the budget line and "Ook op zaterdag."
  EXPECT_EQ(diff["removed"], 1) << diff.dump();
  std::set<std::string> added;
  for (const auto& l : diff["lines"])
    if (l["op"] == "+") added.insert(l["text"].get<std::string>());
  EXPECT_TRUE(added.count("plan: Ook op zaterdag.")) << diff.dump();
  EXPECT_TRUE(added.count("budget_eur: 27500")) << diff.dump();

  // forming -> proposals: residents comment (with a reply) and support; the coalition submits.
  Refused(kOtherOfficer, "POST", c + "/phase", move("proposals"), "moving another municipality's challenge");
  Ok(kOfficer, "POST", c + "/phase", move("proposals"));
  Json comment = Ok(kResident, "POST", p + "/comments", {{"text", "Graag ook op zaterdag"}}, 201);
  Ok(kMember, "POST", p + "/comments", {{"text", "Staat erin (versie 2)"}, {"parent", comment["id"]}}, 201);
  Refused(kMember, "POST", p + "/supports", nullptr, "supporting (not a resident)");
  EXPECT_EQ(Ok(kResident, "POST", p + "/supports", nullptr, 201)["supports"], 1);
  Refused(kResident, "POST", p + "/status", {{"status", "submitted"}}, "submitting another's proposal");
  Ok(kMember, "POST", p + "/status", {{"status", "submitted"}});

  // The round: submission -> review (criteria published) -> voting -> allocation -> published.
  Json round_body = {
      {"municipality", m1_.value()},
      {"name", "Buurtbudget Zuilen"},
      {"budget_eur", 60000},
      {"ballot_kind", "approval"},
      {"projects", Json::array({{{"project_id", "bankjes"}, {"title", "Bankjes"}, {"cost_eur", 12000}}})},
      {"criteria",
       Json::array({{{"name", "impact"}, {"max_score", 5}}, {{"name", "haalbaarheid"}, {"max_score", 3}}})}};
  Refused(kMember, "POST", v1 + "/rounds", round_body, "opening a round");
  Json round = Ok(kOfficer, "POST", v1 + "/rounds", round_body, 201);
  const std::string r = v1 + "/rounds/" + std::to_string(round["id"].get<int64_t>());
  EXPECT_EQ(round["criteria"].size(), 2u);
  // The submitted proposal enters the round as its project (cost: the current version's budget);
  // only the municipality's officers add it, once, while the round takes submissions.
  Json add = {{"proposal", prop["id"]}};
  Refused(kMember, "POST", r + "/proposals", add, "adding a proposal to a round");
  Refused(kOtherOfficer, "POST", r + "/proposals", add, "adding to another municipality's round");
  Json filled = Ok(kOfficer, "POST", r + "/proposals", add, 201);
  const std::string project = "proposal-" + std::to_string(prop["id"].get<int64_t>());
  ASSERT_EQ(filled["projects"].size(), 2u) << filled.dump();
  EXPECT_EQ(filled["projects"][1]["project_id"], project);
  EXPECT_EQ(filled["projects"][1]["proposal"], prop["id"]);
  EXPECT_EQ(filled["projects"][1]["cost_eur"], 27500);
  EXPECT_EQ(Ok(kAnon, "GET", p, nullptr)["status"], "in_round");
  Resp twice = As(kOfficer, "POST", r + "/proposals", add);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.json.value("field", ""), "proposal") << twice.body;
  Json review = {{"project_id", project}, {"scores", {{"impact", 4}, {"haalbaarheid", 3}}}, {"comment", "Sterk"}};
  WrongPhase(kOfficer, "POST", r + "/reviews", review, "reviewing before the review phase");
  WrongPhase(kOfficer, "POST", r + "/phase", move("voting"), "skipping review when criteria are published");
  Refused(kResident, "POST", r + "/phase", move("review"), "moving the round");
  Ok(kOfficer, "POST", r + "/phase", move("review"));
  WrongPhase(kOfficer, "POST", r + "/proposals", add, "adding a proposal once review has begun");
  WrongPhase(kOfficer, "PATCH", r, {{"budget_eur", 70000}}, "changing the budget once review has begun");
  Refused(kResident, "POST", r + "/reviews", review, "reviewing (not an officer)");
  Refused(kOtherOfficer, "POST", r + "/reviews", review, "reviewing another municipality's round");
  Ok(kOfficer, "POST", r + "/reviews", review, 201);
  Resp bad_review = As(kOfficer, "POST", r + "/reviews", {{"project_id", "bankjes"}, {"scores", {{"impact", 9}}}});
  EXPECT_EQ(bad_review.status, 400) << bad_review.body;
  EXPECT_EQ(bad_review.json.value("field", ""), "review.scores");
  Refused(kResident, "GET", r + "/reviews", nullptr, "reading reviews before publication");
  EXPECT_EQ(Ok(kOfficer, "GET", r + "/reviews", nullptr)["items"].size(), 1u);
  Json ballot = {{"entries", Json::array({{{"project_id", project}, {"points", 1}}})}};
  EXPECT_EQ(As(kResident, "PUT", r + "/ballot", ballot).status, 409);  // voting is not open yet
  Ok(kOfficer, "POST", r + "/phase", move("voting"));
  Refused(kOfficer, "PUT", r + "/ballot", ballot, "voting (not a resident)");
  Ok(kResident, "PUT", r + "/ballot", ballot);
  // Match-funding beside the round: officers open a campaign; residents pledge; the fund engine
  // settles it (1:1 once a project's pledges reach its cost).
  Json campaign_body = {{"name", "Zuilen verdubbelt"}, {"ratio_num", 1},   {"ratio_den", 1},
                        {"campaign_cap_eur", 5000},    {"fund_eur", 8000}, {"deadline", "2099-12-31"}};
  Refused(kResident, "POST", r + "/match-campaigns", campaign_body, "opening a campaign");
  Json campaign = Ok(kOfficer, "POST", r + "/match-campaigns", campaign_body, 201);
  const std::string mc = v1 + "/match-campaigns/" + std::to_string(campaign["id"].get<int64_t>());
  Refused(kOfficer, "POST", mc + "/pledges", {{"project_id", "bankjes"}, {"amount_eur", 100}}, "pledging (officer)");
  Ok(kResident, "POST", mc + "/pledges", {{"project_id", "bankjes"}, {"amount_eur", 12000}}, 201);
  Ok(kMember, "POST", mc + "/pledges", {{"project_id", project}, {"amount_eur", 500}}, 201);
  Json standing = Ok(kAnon, "GET", mc, nullptr);
  ASSERT_EQ(standing["projects"].size(), 2u) << standing.dump();
  EXPECT_EQ(standing["projects"][0]["project_id"], "bankjes");
  EXPECT_EQ(standing["projects"][0]["raised_cents"], 1200000);
  EXPECT_EQ(standing["projects"][0]["match_cents"], 500000) << "1:1, capped at 5000 per project";
  EXPECT_EQ(standing["projects"][1]["match_cents"], 0) << "500 of 27500 has not reached its target";
  EXPECT_EQ(standing["fund_left_cents"], 300000);
  EXPECT_EQ(standing.dump().find("backer"), std::string::npos) << "who pledged is not shown";
  WrongPhase(kOfficer, "POST", r + "/reviews", review, "reviewing once voting is open");
  Refused(kMember, "POST", r + "/phase", move("allocation"), "closing the vote");
  Ok(kOfficer, "POST", r + "/phase", move("allocation"));
  Ok(kOfficer, "POST", r + "/phase", move("published"));
  // Publication stores the allocation: the proposal's project is funded at its cost.
  Json allocation = Ok(kAnon, "GET", r + "/allocation", nullptr);
  bool funded_project = false;
  for (const auto& a : allocation["items"])
    if (a["project_id"] == project) funded_project = a["amount_eur"] == 27500 && a["proposal"] == prop["id"];
  EXPECT_TRUE(funded_project) << allocation.dump();
  const int64_t committed = allocation["committed_eur"].get<int64_t>();
  EXPECT_GE(committed, 27500);
  WrongPhase(kOfficer, "POST", r + "/phase", move("voting"), "reopening a published round");
  EXPECT_EQ(Ok(kResident, "GET", r + "/reviews", nullptr)["items"].size(), 1u);  // public once published

  // proposals -> funded: officers fund the proposal and move the challenge on.
  Refused(kMember, "POST", p + "/status", {{"status", "funded"}}, "funding one's own proposal");
  Ok(kOfficer, "POST", p + "/status", {{"status", "funded"}});
  Refused(kResident, "POST", c + "/phase", move("funded"), "moving the challenge");
  Ok(kOfficer, "POST", c + "/phase", move("funded"));
  WrongPhase(kOfficer, "POST", c + "/coalitions", coalition_body, "proposing a coalition after funding");
  WrongPhase(kMember, "POST", k + "/proposals", version1, "writing a proposal after funding");

  // funded -> experiment: officers start the experiment; the coalition records measurements.
  Json experiment_body = {
      {"proposal", prop["id"]},
      {"hypotheses", {"Buurtkamers verminderen eenzaamheid"}},
      {"indicators", Json::array({{{"name", "eenzaamheid"}, {"unit", "%"}, {"baseline", 48}, {"target", 40}}})},
      {"milestones", Json::array({{{"title", "Eerste buurtkamer open"}, {"due", "2027-03-01"}, {"amount_eur", 10000}},
                                  {{"title", "Tien buurtkamers"}, {"due", "2027-09-01"}, {"amount_eur", 17500}},
                                  {{"title", "Extra"}, {"due", "2027-12-01"}, {"amount_eur", 1}}})}};
  Refused(kMember, "POST", v1 + "/experiments", experiment_body, "starting an experiment");
  Json exp = Ok(kOfficer, "POST", v1 + "/experiments", experiment_body, 201);
  const std::string e = v1 + "/experiments/" + std::to_string(exp["id"].get<int64_t>());
  Refused(kMember, "POST", c + "/phase", move("experiment"), "moving the challenge");
  Ok(kOfficer, "POST", c + "/phase", move("experiment"));
  Json stored = Ok(kAnon, "GET", e, nullptr);
  ASSERT_EQ(stored["indicators"].size(), 1u) << stored.dump();
  std::string m = e + "/indicators/" + std::to_string(stored["indicators"][0]["id"].get<int64_t>()) + "/measurements";
  Json measurement = {{"date", "2027-06-01"}, {"value", 43.5}, {"source", "buurtenquête"}};
  Refused(kResident, "POST", m, measurement, "recording a measurement");
  Ok(kMember, "POST", m, measurement, 201);

  // Milestones are released on evidence: the coalition submits it, an officer decides.
  const std::string m1 = e + "/milestones/1/evidence";
  Json evidence = {{"text", "De eerste buurtkamer is open; bezoekerslijst bijgevoegd."},
                   {"link", "https://example.nl/buurtkamer"}};
  Refused(kResident, "POST", m1, evidence, "submitting evidence (not in the coalition)");
  Refused(kOfficer, "POST", m1, evidence, "submitting evidence (an officer decides, does not submit)");
  Json ev1 = Ok(kMember, "POST", m1, evidence, 201);
  EXPECT_EQ(ev1["decision"], "pending");
  const std::string d1 = e + "/evidence/" + std::to_string(ev1["id"].get<int64_t>()) + "/decision";
  Refused(kMember, "POST", d1, {{"decision", "approved"}}, "approving one's own evidence");
  Refused(kOtherOfficer, "POST", d1, {{"decision", "approved"}}, "approving another municipality's milestone");
  Resp no_reason = As(kOfficer, "POST", d1, {{"decision", "rejected"}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_EQ(no_reason.json.value("field", ""), "reason");
  Json rejected = Ok(kOfficer, "POST", d1, {{"decision", "rejected"}, {"reason", "Geen bezoekerslijst bijgevoegd"}});
  EXPECT_EQ(rejected["released_eur"], 0);
  Json ev2 = Ok(kMember, "POST", m1, evidence, 201);
  const std::string d2 = e + "/evidence/" + std::to_string(ev2["id"].get<int64_t>()) + "/decision";
  EXPECT_EQ(Ok(kOfficer, "POST", d2, {{"decision", "approved"}})["released_eur"], 10000);
  EXPECT_EQ(As(kOfficer, "POST", d2, {{"decision", "approved"}}).status, 409) << "released twice";
  EXPECT_EQ(As(kMember, "POST", m1, evidence).status, 409) << "evidence for a released milestone";
  EXPECT_EQ(Ok(kAnon, "GET", e, nullptr)["milestones"][0]["status"], "approved");
  // Evidence told the officer it awaits a decision; the decisions told the coalition.
  auto milestone_notes = [&](int role) {
    std::vector<std::string> titles;
    Json page = Ok(role, "GET", "/api/v1/notifications?limit=100", nullptr);
    for (const auto& n : page["items"])
      if (n.value("kind", "") == "milestone") titles.push_back(n.value("title", "") + "|" + n.value("link", ""));
    return titles;
  };
  auto officer_notes = milestone_notes(kOfficer), member_notes = milestone_notes(kMember);
  EXPECT_EQ(officer_notes.size(), 2u) << "two pieces of evidence submitted so far";
  EXPECT_EQ(member_notes.size(), 2u) << "one rejection, one release";
  for (const auto& t : member_notes) EXPECT_NE(t.find("Mijlpaal 1 "), std::string::npos) << t;
  EXPECT_TRUE(milestone_notes(kResident).empty());
  Json ev3 = Ok(kMember, "POST", e + "/milestones/2/evidence", {{"text", "Tien kamers open"}}, 201);
  Ok(kOfficer, "POST", e + "/evidence/" + std::to_string(ev3["id"].get<int64_t>()) + "/decision",
     {{"decision", "approved"}});
  Json ev4 = Ok(kMember, "POST", e + "/milestones/3/evidence", {{"text", "Nog een euro"}}, 201);
  Resp over = As(kOfficer, "POST", e + "/evidence/" + std::to_string(ev4["id"].get<int64_t>()) + "/decision",
                 {{"decision", "approved"}});
  EXPECT_EQ(over.status, 409) << "27501 EUR would exceed the 27500 funded: " << over.body;
  EXPECT_EQ(over.json.value("field", ""), "amount_eur") << over.body;
  EXPECT_EQ(Ok(kAnon, "GET", e + "/evidence", nullptr)["items"].size(), 4u);

  // The municipality's overview: money committed, released and remaining; indicators; phases.
  Json overview = Ok(kAnon, "GET", v1 + "/municipalities/" + std::to_string(m1_.value()) + "/overview", nullptr);
  EXPECT_EQ(overview["money"]["committed_eur"], committed) << overview.dump();
  EXPECT_EQ(overview["money"]["released_eur"], 27500) << overview.dump();
  EXPECT_EQ(overview["money"]["remaining_eur"], committed - 27500) << overview.dump();
  // Each committed euro is traceable to its source: the round's funded projects (this proposal was
  // funded by the round, so it is not counted a second time as funded outside a round).
  int64_t traced = 0;
  for (const auto& line : overview["money"]["commitments"]) {
    EXPECT_EQ(line["source"], "round") << line.dump();
    traced += line["amount_eur"].get<int64_t>();
  }
  EXPECT_EQ(traced, committed) << overview.dump();
  EXPECT_EQ(overview["challenges_per_phase"]["experiment"], 1) << overview.dump();
  ASSERT_EQ(overview["experiments"].size(), 1u) << overview.dump();
  const Json& ind = overview["experiments"][0]["indicators"][0];
  EXPECT_EQ(ind["latest"]["value"], 43.5);
  EXPECT_DOUBLE_EQ(ind["progress"].get<double>(), (43.5 - 48.0) / (40.0 - 48.0));
  EXPECT_EQ(overview.dump().find("@test.nl"), std::string::npos) << "no personal data";

  // experiment -> evaluated: officers record the outcome and close the path.
  Refused(kMember, "PATCH", e, {{"outcome", "Minder eenzaamheid"}}, "recording the outcome");
  Ok(kOfficer, "PATCH", e,
     {{"status", "completed"}, {"outcome", "Eenzaamheid 48% -> 43,5%"}, {"learned", "Ophalen werkt"}});
  Refused(kOtherOfficer, "POST", c + "/phase", move("evaluated"), "moving another municipality's challenge");
  Json done = Ok(kOfficer, "POST", c + "/phase", move("evaluated"));
  EXPECT_EQ(done["phase"], "evaluated");
  WrongPhase(kOfficer, "POST", c + "/phase", move("experiment"), "moving back after evaluation");
  WrongPhase(kAdmin, "POST", c + "/phase", move("open"), "even an admin keeps to the path");

  // The audit log: every phase of the challenge, with before and after, for its officers.
  std::string audit = v1 + "/audit?entity=challenge&id=" + std::to_string(ch["id"].get<int64_t>());
  Refused(kAnon, "GET", audit, nullptr, "reading the audit log");
  Refused(kResident, "GET", audit, nullptr, "reading the audit log");
  Refused(kMember, "GET", audit, nullptr, "reading the audit log");
  Refused(kOtherOfficer, "GET", audit, nullptr, "reading another municipality's audit log");
  Json log = Ok(kOfficer, "GET", audit, nullptr);
  std::vector<std::string> phases;
  for (const auto& entry : log["items"]) {
    EXPECT_FALSE(entry["at"].get<std::string>().empty());
    if (entry["action"] != "phase") continue;
    EXPECT_EQ(entry["user"], users_[kOfficer].value()) << entry.dump();
    phases.push_back(entry["before"]["phase"].get<std::string>() + ">" + entry["after"]["phase"].get<std::string>());
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"open>matching", "matching>forming", "forming>proposals",
                                              "proposals>funded", "funded>experiment", "experiment>evaluated"}));
  ASSERT_GE(log["items"].size(), 7u);
  EXPECT_EQ(log["items"][0]["action"], "create");
  EXPECT_EQ(log["items"][0]["before"], nullptr);
  EXPECT_EQ(Ok(kAdmin, "GET", audit, nullptr)["items"].size(), log["items"].size());
  // The proposal's and the round's logs too; a ballot is logged without its content.
  std::set<std::string> proposal_actions, round_actions;
  Json proposal_log =
      Ok(kOfficer, "GET", v1 + "/audit?entity=proposal&id=" + std::to_string(prop["id"].get<int64_t>()), nullptr);
  for (const auto& entry : proposal_log["items"]) proposal_actions.insert(entry["action"].get<std::string>());
  EXPECT_EQ(proposal_actions, (std::set<std::string>{"create", "version", "comment", "support", "status"}));
  Json round_log =
      Ok(kOfficer, "GET", v1 + "/audit?entity=round&id=" + std::to_string(round["id"].get<int64_t>()), nullptr);
  for (const auto& entry : round_log["items"]) {
    round_actions.insert(entry["action"].get<std::string>());
    if (entry["action"] == "ballot") {
      EXPECT_FALSE(entry["after"].contains("entries")) << entry.dump();
    }
  }
  EXPECT_EQ(round_actions, (std::set<std::string>{"create", "add_proposal", "phase", "review", "ballot",
                                                  "match_campaign", "pledge", "allocation"}));
  // The experiment's log: the releases and the rejection, with who decided.
  std::set<std::string> experiment_actions;
  Json experiment_log =
      Ok(kOfficer, "GET", v1 + "/audit?entity=experiment&id=" + std::to_string(exp["id"].get<int64_t>()), nullptr);
  for (const auto& entry : experiment_log["items"]) experiment_actions.insert(entry["action"].get<std::string>());
  EXPECT_TRUE(experiment_actions.count("evidence") && experiment_actions.count("release") &&
              experiment_actions.count("reject_evidence"))
      << experiment_log.dump();
}

// The refusals of the programme's money that the walk above does not meet, each naming its field.
TEST_P(Scenario, ProgrammeMoneyRefusesWithReasons) {
  const std::string v1 = "/api/v1";
  auto field = [](const Resp& r) { return r.json.value("field", ""); };

  // Proposals into rounds: the challenge's phase, the proposal's status, budget and municipality.
  RoundId round = MakeRound();
  const std::string add = v1 + "/rounds/" + Str(round) + "/proposals";
  ProposalId early = MakeProposal();  // c1 is still open
  Must(platform_->SetProposalStatus(Root(), early, "submitted"));
  Resp r = As(kOfficer, "POST", add, {{"proposal", early.value()}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r), "phase") << r.body;
  for (auto phase :
       {domain::ChallengePhase::kMatching, domain::ChallengePhase::kForming, domain::ChallengePhase::kProposals})
    Must(platform_->SetChallengePhase(Root(), c1_, phase));
  ProposalId draft = MakeProposal();
  r = As(kOfficer, "POST", add, {{"proposal", draft.value()}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r), "proposal.status") << r.body;
  domain::ProposalVersion unbudgeted;
  unbudgeted.title = "Zonder begroting";
  auto no_budget = Must(platform_->CreateProposal(Root(), MakeCoalition(), unbudgeted));
  Must(platform_->SetProposalStatus(Root(), no_budget.id, "submitted"));
  r = As(kOfficer, "POST", add, {{"proposal", no_budget.id.value()}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "proposal.budget_eur") << r.body;
  r = As(kOfficer, "POST", add, {{"proposal", 999999}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "proposal") << r.body;
  // Another municipality's round does not take m1's proposal, even from an admin.
  domain::Round other;
  other.municipality = m2_;
  other.name = "Noord";
  other.budget_eur = 1000;
  other.projects = {{"x", {}, "X", 100, "", ""}};
  other = Must(platform_->CreateRound(Root(), other));
  r = As(kAdmin, "POST", v1 + "/rounds/" + Str(other.id) + "/proposals", {{"proposal", early.value()}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "proposal") << r.body;
  EXPECT_EQ(As(kOfficer, "POST", add, {{"proposal", early.value()}}).status, 201);
  EXPECT_EQ(Must(platform_->GetProposal(early)).status, "in_round");

  // A published round without ballots commits nothing.
  RoundId quiet = MakeRound(domain::RoundPhase::kVoting);
  Must(platform_->SetRoundPhase(Root(), quiet, domain::RoundPhase::kAllocation));
  Must(platform_->SetRoundPhase(Root(), quiet, domain::RoundPhase::kPublished));
  EXPECT_EQ(As(kAnon, "GET", v1 + "/rounds/" + Str(quiet) + "/allocation").json["committed_eur"], 0);

  // Milestones: unknown number, a bad link, missing text, pending evidence, an experiment that no
  // longer runs; PATCH cannot approve a milestone nor change one that has evidence.
  ExperimentId e = MakeExperiment();  // funded with 25000
  Must(platform_->UpdateExperiment(Root(), e, [](domain::Experiment& x) {
    x.milestones = {{.title = "Start", .due = "2027-01-01", .amount_eur = 5000, .status = "approved"}};
    return Status::Ok();
  }));
  EXPECT_EQ(Must(platform_->GetExperiment(e)).milestones[0].status, "planned") << "PATCH does not release";
  const std::string ex = v1 + "/experiments/" + Str(e);
  EXPECT_EQ(As(kMember, "POST", ex + "/milestones/2/evidence", {{"text", "x"}}).status, 404);
  r = As(kMember, "POST", ex + "/milestones/1/evidence", {{"text", "x"}, {"link", "javascript:alert(1)"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "evidence.link") << r.body;
  r = As(kMember, "POST", ex + "/milestones/1/evidence", {{"link", "https://example.nl"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "evidence.text") << r.body;
  EXPECT_EQ(As(kMember, "POST", ex + "/milestones/1/evidence", {{"text", "Gestart"}}).status, 201);
  r = As(kMember, "POST", ex + "/milestones/1/evidence", {{"text", "Nog eens"}});
  EXPECT_EQ(r.status, 409) << "evidence already pending: " << r.body;
  r = As(kOfficer, "PATCH", ex, {{"milestones", Json::array({{{"title", "Start"}, {"amount_eur", 9000}}})}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r), "experiment.milestones") << r.body;
  r = As(kOfficer, "POST", ex + "/evidence/999999/decision", {{"decision", "approved"}});
  EXPECT_EQ(r.status, 404) << r.body;
  r = As(kOfficer, "POST", ex + "/evidence/1/decision", {{"decision", "maybe"}});
  EXPECT_EQ(r.status, 400) << r.body;
  Must(platform_->UpdateExperiment(Root(), e, [](domain::Experiment& x) {
    x.status = "stopped";
    x.milestones.push_back({.title = "Later", .due = "2027-06-01", .amount_eur = 100});
    return Status::Ok();
  }));
  r = As(kMember, "POST", ex + "/milestones/2/evidence", {{"text", "Te laat"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r), "experiment.status") << r.body;

  // The overview of an unknown municipality; of another one: its own figures only.
  EXPECT_EQ(As(kAnon, "GET", v1 + "/municipalities/999999/overview").status, 404);
  Json noord = As(kAnon, "GET", v1 + "/municipalities/" + Str(m2_) + "/overview").json;
  EXPECT_EQ(noord["money"]["committed_eur"], 0) << noord.dump();
  EXPECT_EQ(noord["experiments"].size(), 0u) << noord.dump();

  // Match-funding: a passed deadline, a bad ratio, a published round, an unknown project, another
  // municipality's resident; after the deadline pledges are refused and a project that missed its
  // target gets nothing, its pledges refunded.
  RoundId open = MakeRound();
  const std::string campaigns = v1 + "/rounds/" + Str(open) + "/match-campaigns";
  r = As(kOfficer, "POST", campaigns, {{"name", "Te laat"}, {"fund_eur", 100}, {"deadline", "2020-01-01"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "campaign.deadline") << r.body;
  r = As(kOfficer, "POST", campaigns,
         {{"name", "Nul"}, {"fund_eur", 100}, {"ratio_den", 0}, {"deadline", "2099-01-01"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "campaign.ratio_den") << r.body;
  r = As(kOfficer, "POST", v1 + "/rounds/" + Str(quiet) + "/match-campaigns",
         {{"name", "Na afloop"}, {"fund_eur", 100}, {"deadline", "2099-01-01"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r), "phase") << r.body;
  std::string soon = FormatDate(clock_.Now() + std::chrono::hours(24 * 2));
  Json made = As(kOfficer, "POST", campaigns,
                 {{"name", "Snel"}, {"ratio_num", 1}, {"ratio_den", 2}, {"fund_eur", 100000}, {"deadline", soon}})
                  .json;
  ASSERT_TRUE(made.contains("id")) << made.dump();
  const std::string mc = v1 + "/match-campaigns/" + std::to_string(made["id"].get<int64_t>());
  r = As(kResident, "POST", mc + "/pledges", {{"project_id", "p9"}, {"amount_eur", 10}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(field(r), "pledge.project_id") << r.body;
  r = As(kResident, "POST", mc + "/pledges", {{"project_id", "p1"}, {"amount_eur", 0}});
  EXPECT_EQ(r.status, 400) << r.body;
  std::string noord_token;
  AddUser("noord@test.nl", {{UserId(), domain::Role::kResident, m2_, {}}}, &noord_token);
  EXPECT_EQ(Send("POST", mc + "/pledges", {{"project_id", "p1"}, {"amount_eur", 10}}, noord_token).status, 403);
  EXPECT_EQ(As(kResident, "POST", mc + "/pledges", {{"project_id", "p3"}, {"amount_eur", 20000}}).status, 201);
  EXPECT_EQ(As(kResident, "POST", mc + "/pledges", {{"project_id", "p1"}, {"amount_eur", 100}}).status, 201);
  Json before = As(kAnon, "GET", mc).json;
  EXPECT_EQ(before["projects"][0]["status"], "open") << before.dump();
  EXPECT_EQ(before["projects"][2]["status"], "funded") << before.dump();
  EXPECT_EQ(before["projects"][2]["match_cents"], 1000000) << "1:2 of 20000 EUR: " << before.dump();
  clock_.Advance(std::chrono::hours(24 * 3));
  r = As(kResident, "POST", mc + "/pledges", {{"project_id", "p1"}, {"amount_eur", 100}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(field(r), "deadline") << r.body;
  Json after = As(kAnon, "GET", mc).json;
  EXPECT_EQ(after["projects"][0]["status"], "failed") << after.dump();
  EXPECT_EQ(after["projects"][0]["match_cents"], 0) << after.dump();
  EXPECT_EQ(after["projects"][0]["refunded_pledges"], 1) << after.dump();
  EXPECT_EQ(after["fund_used_cents"], 1000000) << after.dump();
}

// Moderation (issue 20): a resident reports a comment, a moderator appointed by an officer hides it
// with a public reason and it is gone from the API; a hidden proposal is gone from lists, its page
// and the open data; an account is blocked and can neither sign in nor write. At every step a wrong
// role is refused and so is a wrong move (reporting one's own, twice, hiding twice, restoring what is
// not hidden, dismissing a closed report, blocking twice or an officer).
TEST_P(Scenario, ModerationReportHideRestoreAndBlock) {
  const std::string v1 = "/api/v1";
  auto Id = [](const Json& j) { return j.value("id", int64_t{0}); };
  auto Conflict = [&](const std::string& token, const std::string& method, const std::string& path, const Json& body,
                      const std::string& why) {
    Resp r = Send(method, path, body, token);
    EXPECT_EQ(r.status, 409) << why << ": " << r.body;
  };

  // Wim, a resident of m1, comments; Mo will become m1's moderator.
  std::string wim_token, mo_token;
  const std::string wim_email = FreshEmail();
  UserId wim = AddUser(wim_email, {{UserId(), domain::Role::kResident, m1_, {}}}, &wim_token);
  UserId mo = AddUser(FreshEmail(), {}, &mo_token);
  ProposalId prop = MakeProposal();
  const std::string pp = v1 + "/proposals/" + std::to_string(prop.value());
  Resp said = Send("POST", pp + "/comments", {{"text", "Jullie zijn allemaal idioten"}}, wim_token);
  ASSERT_EQ(said.status, 201) << said.body;
  const int64_t cid = Id(said.json);
  Json kept = Ok(kResident, "POST", pp + "/comments", {{"text", "Goed plan, doe ik mee"}}, 201);
  const int64_t kept_id = Id(kept);

  // Reporting: signed in only; not one's own; with a reason; once while open; only what exists.
  Json report = {{"target", "comment"}, {"id", cid}, {"reason", "Beledigend"}};
  Refused(kAnon, "POST", v1 + "/reports", report, "reporting anonymously");
  Conflict(wim_token, "POST", v1 + "/reports", report, "reporting one's own comment");
  Resp no_reason = As(kResident, "POST", v1 + "/reports", {{"target", "comment"}, {"id", cid}, {"reason", " "}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_EQ(no_reason.json.value("field", ""), "reason");
  Resp bad_kind = As(kResident, "POST", v1 + "/reports", {{"target", "actor"}, {"id", cid}, {"reason", "x"}});
  EXPECT_EQ(bad_kind.status, 400) << bad_kind.body;
  EXPECT_EQ(As(kResident, "POST", v1 + "/reports", {{"target", "comment"}, {"id", 999999}, {"reason", "x"}}).status,
            404);
  Json made = Ok(kResident, "POST", v1 + "/reports", report, 201);
  EXPECT_EQ(made["status"], "open");
  EXPECT_EQ(made["municipality"], m1_.value());
  EXPECT_FALSE(made.contains("reporter")) << made;
  Conflict(tokens_[kResident], "POST", v1 + "/reports", report, "reporting the same comment twice");
  // The report tells m1's officers (and moderators) with the reason, and names no reporter.
  Json told = nullptr;
  const Json officer_notes = Ok(kOfficer, "GET", v1 + "/notifications", nullptr);
  for (const auto& n : officer_notes["items"])
    if (n["kind"] == "report") told = n;
  ASSERT_FALSE(told.is_null()) << "the officer was not told of the report: " << officer_notes.dump();
  EXPECT_EQ(told["title"], "Nieuwe melding: een reactie is gemeld: \u201cBeledigend\u201d");
  EXPECT_EQ(told["link"], "/moderation?municipality=" + std::to_string(m1_.value()));
  const Json reporter_notes = Ok(kResident, "GET", v1 + "/notifications", nullptr);
  for (const auto& n : reporter_notes["items"])
    EXPECT_NE(n["kind"], "report") << "the reporter is not told of their own report";
  const Json other_notes = Ok(kOtherOfficer, "GET", v1 + "/notifications", nullptr);
  for (const auto& n : other_notes["items"])
    EXPECT_NE(n["kind"], "report") << "another municipality's officer is not told";

  // Appointing a moderator: officers of m1 (and admins), not residents or other municipalities' officers.
  const std::string grants = v1 + "/users/" + std::to_string(mo.value()) + "/grants";
  Json moderator = {{"role", "moderator"}, {"municipality", m1_.value()}};
  Refused(kResident, "POST", grants, moderator, "appointing a moderator");
  Refused(kOtherOfficer, "POST", grants, moderator, "appointing another municipality's moderator");
  Ok(kOfficer, "POST", grants, moderator, 201);

  // The queue: m1's moderators and officers; reporters are not named.
  const std::string queue = v1 + "/municipalities/" + std::to_string(m1_.value()) + "/moderation";
  Refused(kResident, "GET", queue, nullptr, "reading the moderation queue");
  Refused(kOtherOfficer, "GET", queue, nullptr, "reading another municipality's queue");
  Resp q = Send("GET", queue, nullptr, mo_token);
  ASSERT_EQ(q.status, 200) << q.body;
  ASSERT_EQ(q.json["items"].size(), 1u) << q.body;
  const Json& item = q.json["items"][0];
  EXPECT_EQ(item["target"], "comment");
  EXPECT_EQ(item["target_id"], cid);
  EXPECT_EQ(item["excerpt"], "Jullie zijn allemaal idioten");
  EXPECT_EQ(item["author"], wim.value());
  EXPECT_EQ(item["reports"].size(), 1u);
  EXPECT_EQ(item["reports"][0]["reason"], "Beledigend");
  EXPECT_EQ(q.body.find("reporter"), std::string::npos) << q.body;
  // The queue is paged: a count of everything in it, and a link to the next page while there is one.
  EXPECT_EQ(q.json["total"], 1);
  EXPECT_TRUE(q.json["next"].is_null());
  Resp beyond = Send("GET", queue + "?limit=1&offset=1", nullptr, mo_token);
  ASSERT_EQ(beyond.status, 200) << beyond.body;
  EXPECT_TRUE(beyond.json["items"].empty());
  EXPECT_EQ(beyond.json["total"], 1);
  EXPECT_EQ(Send("GET", queue + "?limit=0", nullptr, mo_token).json.value("field", ""), "limit");

  // Hiding: the item's moderators with a public reason; not twice.
  Json hide = {{"target", "comment"}, {"id", cid}, {"reason", "In strijd met de huisregels"}};
  Refused(kResident, "POST", v1 + "/moderation/hide", hide, "hiding a comment");
  Refused(kMember, "POST", v1 + "/moderation/hide", hide, "hiding a comment");
  Refused(kOtherOfficer, "POST", v1 + "/moderation/hide", hide, "hiding another municipality's comment");
  Resp hide_no_reason =
      Send("POST", v1 + "/moderation/hide", {{"target", "comment"}, {"id", cid}, {"reason", ""}}, mo_token);
  EXPECT_EQ(hide_no_reason.status, 400) << hide_no_reason.body;
  Resp hidden = Send("POST", v1 + "/moderation/hide", hide, mo_token);
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.json["reason"], "In strijd met de huisregels");
  Conflict(mo_token, "POST", v1 + "/moderation/hide", hide, "hiding twice");

  // Gone from the API: the proposal's comments no longer hold it; it cannot be reported again.
  auto comment_ids = [&]() {
    std::set<int64_t> ids;
    Resp list = As(kAnon, "GET", pp + "/comments?limit=100");
    EXPECT_EQ(list.status, 200) << list.body;
    for (const auto& x : list.json["items"]) ids.insert(Id(x));
    return ids;
  };
  EXPECT_FALSE(comment_ids().count(cid));
  EXPECT_TRUE(comment_ids().count(kept_id));
  // Only the public reason is left where it was: no text, no author.
  Resp tombstones = As(kAnon, "GET", pp + "/moderation");
  ASSERT_EQ(tombstones.status, 200) << tombstones.body;
  ASSERT_EQ(tombstones.json["comments"].size(), 1u) << tombstones.body;
  EXPECT_EQ(tombstones.json["comments"][0]["id"], cid);
  EXPECT_EQ(tombstones.json["comments"][0]["reason"], "In strijd met de huisregels");
  EXPECT_EQ(tombstones.body.find("idioten"), std::string::npos);
  EXPECT_TRUE(tombstones.json["proposal"].is_null());
  EXPECT_EQ(As(kMember, "POST", v1 + "/reports", report).status, 404);
  Json listed = Send("GET", queue, nullptr, mo_token).json;
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_TRUE(listed["items"][0]["reports"].empty()) << "hiding closes its reports";
  EXPECT_EQ(listed["items"][0]["hidden"]["reason"], "In strijd met de huisregels");

  // Restoring: moderators; only what is hidden.
  Json restore = {{"target", "comment"}, {"id", cid}};
  Refused(kResident, "POST", v1 + "/moderation/restore", restore, "restoring a comment");
  Refused(kOtherOfficer, "POST", v1 + "/moderation/restore", restore, "restoring another municipality's comment");
  Ok(kOfficer, "POST", v1 + "/moderation/restore", restore);
  EXPECT_TRUE(comment_ids().count(cid));
  Conflict(mo_token, "POST", v1 + "/moderation/restore", restore, "restoring what is not hidden");
  ASSERT_EQ(Send("POST", v1 + "/moderation/hide", hide, mo_token).status, 200);
  EXPECT_FALSE(comment_ids().count(cid));

  // A hidden proposal is gone from its challenge's list, its page, its comments and the open data.
  domain::ProposalVersion v;
  v.title = "Schandelijke buurtkamers";
  v.budget_eur = 1000;
  auto secret = Must(platform_->CreateProposal(Root(), MakeCoalition(), v));
  const std::string sp = v1 + "/proposals/" + std::to_string(secret.id.value());
  auto open_data_proposals = [&]() {
    Resp pkg = As(kAnon, "GET", v1 + "/open-data");
    EXPECT_EQ(pkg.status, 200) << pkg.body;
    for (const auto& res : pkg.json["resources"])
      if (res.value("name", "") == "proposals") return As(kAnon, "GET", res.value("url", "")).body;
    ADD_FAILURE() << "no proposals resource in " << pkg.body;
    return std::string();
  };
  EXPECT_NE(open_data_proposals().find("Schandelijke buurtkamers"), std::string::npos);
  Json report_proposal = {{"target", "proposal"}, {"id", secret.id.value()}, {"reason", "Discriminerend"}};
  Json made_p = Ok(kResident, "POST", v1 + "/reports", report_proposal, 201);
  const std::string dismiss = v1 + "/reports/" + std::to_string(Id(made_p)) + "/dismiss";
  Refused(kResident, "POST", dismiss, nullptr, "dismissing a report");
  Refused(kOtherOfficer, "POST", dismiss, nullptr, "dismissing another municipality's report");
  EXPECT_EQ(Send("POST", dismiss, nullptr, mo_token).json["status"], "dismissed");
  Conflict(mo_token, "POST", dismiss, nullptr, "dismissing a closed report");
  ASSERT_EQ(Send("POST", v1 + "/moderation/hide",
                 {{"target", "proposal"}, {"id", secret.id.value()}, {"reason", "Discriminerend"}}, mo_token)
                .status,
            200);
  EXPECT_EQ(As(kAnon, "GET", sp).status, 404);
  EXPECT_EQ(As(kAnon, "GET", sp + "/moderation").json["proposal"].value("reason", ""), "Discriminerend");
  EXPECT_EQ(As(kAnon, "GET", sp + "/comments").status, 404);
  Resp list = As(kAnon, "GET", v1 + "/challenges/" + std::to_string(c1_.value()) + "/proposals?limit=100");
  ASSERT_EQ(list.status, 200);
  for (const auto& x : list.json["items"]) EXPECT_NE(Id(x), secret.id.value()) << "hidden proposal listed";
  EXPECT_EQ(open_data_proposals().find("Schandelijke buurtkamers"), std::string::npos)
      << "hidden proposal in open data";
  EXPECT_NE(open_data_proposals().find("Buurtkamers"), std::string::npos);

  // Profiles: reported by others only.
  Json report_profile = {{"target", "profile"}, {"id", wim.value()}, {"reason", "Nepnaam"}};
  Conflict(wim_token, "POST", v1 + "/reports", report_profile, "reporting one's own profile");
  Json made_profile = Ok(kMember, "POST", v1 + "/reports", report_profile, 201);
  EXPECT_EQ(made_profile["municipality"], m1_.value());

  // Blocking: the account's moderators; not oneself, not an officer, not twice. A blocked account
  // cannot write (its token is gone) or sign in.
  const std::string block = v1 + "/users/" + std::to_string(wim.value()) + "/block";
  Json why = {{"reason", "Scheldt herhaaldelijk"}};
  Refused(kResident, "POST", block, why, "blocking an account");
  Refused(kOtherOfficer, "POST", block, why, "blocking another municipality's resident");
  EXPECT_EQ(Send("POST", v1 + "/users/" + std::to_string(users_[kOfficer].value()) + "/block", why, mo_token).status,
            403)
      << "an officer cannot be blocked";
  EXPECT_EQ(Send("POST", v1 + "/users/" + std::to_string(mo.value()) + "/block", why, mo_token).status, 403)
      << "nobody blocks themselves";
  Resp blocked = Send("POST", block, why, mo_token);
  ASSERT_EQ(blocked.status, 200) << blocked.body;
  Conflict(mo_token, "POST", block, why, "blocking twice");
  EXPECT_EQ(Send("POST", pp + "/comments", {{"text", "Nog eentje"}}, wim_token).status, 401);
  EXPECT_EQ(Send("GET", v1 + "/auth/me", nullptr, wim_token).status, 401);
  Resp login = Send("POST", v1 + "/auth/login", {{"email", wim_email}, {"password", kPassword}});
  EXPECT_EQ(login.status, 403) << login.body;
  const std::string unblock = v1 + "/users/" + std::to_string(wim.value()) + "/unblock";
  Refused(kResident, "POST", unblock, nullptr, "unblocking an account");
  Ok(kOfficer, "POST", unblock, nullptr);
  Conflict(mo_token, "POST", unblock, nullptr, "unblocking an account that is not blocked");
  EXPECT_EQ(Send("POST", v1 + "/auth/login", {{"email", wim_email}, {"password", kPassword}}).status, 200);

  // Everything is in the audit log, for m1's officers.
  const std::string audit = v1 + "/audit?entity=comment&id=" + std::to_string(cid);
  Refused(kOtherOfficer, "GET", audit, nullptr, "reading another municipality's audit log");
  std::vector<std::string> actions;
  Json comment_log = Ok(kOfficer, "GET", audit, nullptr);
  for (const auto& e : comment_log["items"]) actions.push_back(e.value("action", ""));
  EXPECT_EQ(actions, (std::vector<std::string>{"report", "hide", "restore", "hide"}));
  actions.clear();
  Json user_log = Ok(kOfficer, "GET", v1 + "/audit?entity=user&id=" + std::to_string(wim.value()), nullptr);
  for (const auto& e : user_log["items"]) actions.push_back(e.value("action", ""));
  EXPECT_NE(std::find(actions.begin(), actions.end(), "block"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "unblock"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "report"), actions.end());
}

// Moderation (issue 20): a hidden proposal keeps its place in a round (ballots and results refer to
// it) and its money in the overview, but its title is gone from both; an officer who saves the
// round as read keeps the stored title; restored, the title is back everywhere.
TEST_P(Scenario, AHiddenProposalsTitleIsLeftOutOfRoundsAndTheOverview) {
  const std::string v1 = "/api/v1";
  domain::ProposalVersion v;
  v.title = "Geheime moestuin";
  v.plan = "Een moestuin achter het buurthuis.";
  v.budget_eur = 30000;
  const ProposalId prop = Must(platform_->CreateProposal(Root(), MakeCoalition(), v)).id;
  Must(platform_->SetProposalStatus(Root(), prop, "submitted"));
  domain::Round r;
  r.municipality = m1_;
  r.name = "Buurtbudget met moestuin";
  r.budget_eur = 100000;
  r.ballot_kind = domain::BallotKind::kApproval;
  r.projects = {{"p1", prop, "Geheime moestuin", 30000, "", ""}, {"p2", {}, "Bankjes", 20000, "", ""}};
  const RoundId round = Must(platform_->CreateRound(Root(), r)).id;
  Must(platform_->SetProposalStatus(Root(), prop, "funded"));  // funded outside the round too
  domain::Experiment e;
  e.proposal = prop;
  e.hypotheses = {"Samen tuinieren verbindt"};
  domain::Indicator i;
  i.name = "eenzaamheid";
  i.unit = "%";
  i.baseline = 48;
  i.target = 40;
  e.indicators = {i};
  Must(platform_->CreateExperiment(Root(), e));
  const std::string rp = v1 + "/rounds/" + std::to_string(round.value());
  const std::string overview = v1 + "/municipalities/" + std::to_string(m1_.value()) + "/overview";
  auto line_of = [&](const Json& o) {
    for (const auto& l : o["money"]["commitments"])
      if (l.value("proposal", int64_t{0}) == prop.value()) return l;
    ADD_FAILURE() << "no commitment line for the proposal in " << o.dump();
    return Json();
  };
  Json before = Ok(kAnon, "GET", overview, nullptr);
  EXPECT_EQ(line_of(before)["title"], "Geheime moestuin");
  EXPECT_EQ(Ok(kAnon, "GET", rp, nullptr)["projects"][0]["title"], "Geheime moestuin");

  ASSERT_EQ(As(kOfficer, "POST", v1 + "/moderation/hide",
               {{"target", "proposal"}, {"id", prop.value()}, {"reason", "Reclame"}})
                .status,
            200);
  Resp got = As(kAnon, "GET", rp);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body.find("Geheime moestuin"), std::string::npos) << got.body;
  EXPECT_EQ(got.json["projects"].size(), 2u) << "the project keeps its place";
  EXPECT_EQ(got.json["projects"][0]["title"], "");
  EXPECT_EQ(got.json["projects"][0]["hidden"], true);
  EXPECT_EQ(got.json["projects"][1]["title"], "Bankjes");
  EXPECT_EQ(got.json["projects"][1]["hidden"], false);
  Resp listed = As(kAnon, "GET", v1 + "/rounds?municipality=" + std::to_string(m1_.value()));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find("Geheime moestuin"), std::string::npos) << listed.body;
  Resp after = As(kAnon, "GET", overview);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.body.find("Geheime moestuin"), std::string::npos) << after.body;
  EXPECT_EQ(line_of(after.json)["hidden"], true);
  EXPECT_EQ(line_of(after.json)["amount_eur"], 30000) << "the money stays counted";
  EXPECT_EQ(after.json["money"]["committed_eur"], before["money"]["committed_eur"]);

  // The officer saves the round as the API showed it (no title for the hidden project): the
  // stored title stays.
  Json projects = got.json["projects"];
  for (auto& x : projects) x.erase("hidden");
  Resp saved = As(kOfficer, "PATCH", rp, {{"name", "Buurtbudget 2027"}, {"projects", projects}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  Ok(kOfficer, "POST", v1 + "/moderation/restore", {{"target", "proposal"}, {"id", prop.value()}});
  Json back = Ok(kAnon, "GET", rp, nullptr);
  EXPECT_EQ(back["name"], "Buurtbudget 2027");
  EXPECT_EQ(back["projects"][0]["title"], "Geheime moestuin");
  EXPECT_EQ(back["projects"][0]["hidden"], false);
  EXPECT_EQ(line_of(Ok(kAnon, "GET", overview, nullptr))["title"], "Geheime moestuin");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, Scenario, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, Scenario, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
