// The Right to Challenge scenario (issue 20, docs/right-to-challenge.md): an officer keeps the task
// list; an initiative files a challenge against a task, sees who could join it, and changes its bid
// while it is received; the officers move it through every published step (received -> assessment
// -> talks -> decision -> agreement -> running -> evaluated), over real HTTP. At every step a wrong
// role is refused (401/403) and so is a move the step does not allow (409 naming `step`). The
// agreement makes it an experiment whose milestones are released on evidence, and the overview
// shows the task's budget moving to the initiative and still reconciles. A second bid is refused
// with its reasons, published. Runs on SQLite (Sqlite/, label unit) and PostgreSQL (Postgres/, pg).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

class RightToChallenge : public ApiWorld {
 protected:
  void Refused(int role, const std::string& method, const std::string& path, const Json& body, const std::string& why) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, role == kAnon ? 401 : 403)
        << why << ": " << kRoleNames[role] << " " << method << " " << path << " -> " << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << why;
  }
  void WrongStep(int role, const std::string& path, const Json& body, const std::string& why) {
    Resp r = As(role, "POST", path, body);
    EXPECT_EQ(r.status, 409) << why << ": " << r.body;
    EXPECT_EQ(r.json.value("field", ""), "step") << why << ": " << r.body;
  }
  Json Ok(int role, const std::string& method, const std::string& path, const Json& body, int status = 200) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, status) << kRoleNames[role] << " " << method << " " << path << ": " << r.body;
    return r.json;
  }
  static Json Move(const char* step, const char* decision, const char* reasons = "") {
    return {{"step", step}, {"decision", decision}, {"reasons", reasons}};
  }
};

TEST_P(RightToChallenge, AnInitiativeTakesATaskOverStepByStep) {
  const std::string v1 = "/api/v1";
  const std::string muni = v1 + "/municipalities/" + std::to_string(m1_.value());

  // The officer keeps the task list; nobody else writes it.
  Json task_body = {{"title", "Groenonderhoud Zuilen"},
                    {"description", "Maaien, snoeien en zwerfvuil in de wijk Zuilen."},
                    {"themes", {"eenzaamheid"}},
                    {"capabilities", Json::array({{{"capability", "buurtnetwerken"}, {"weight", 1}}})},
                    {"budget_eur", 120000},
                    {"area", "Zuilen"}};
  Refused(kAnon, "POST", muni + "/tasks", task_body, "adding a task");
  Refused(kMember, "POST", muni + "/tasks", task_body, "adding a task");
  Refused(kOtherOfficer, "POST", muni + "/tasks", task_body, "adding to another municipality's task list");
  Json task = Ok(kOfficer, "POST", muni + "/tasks", task_body, 201);
  const int64_t task_id = task["id"].get<int64_t>();
  EXPECT_EQ(Ok(kAnon, "GET", muni + "/tasks", nullptr)["items"].size(), 1u);
  Refused(kResident, "PATCH", v1 + "/tasks/" + std::to_string(task_id), {{"budget_eur", 1}}, "changing a task");
  EXPECT_EQ(Ok(kOfficer, "PATCH", v1 + "/tasks/" + std::to_string(task_id), {{"budget_eur", 125000}})["budget_eur"],
            125000);

  // The initiative files its challenge: members of its actor only; the task gives title and cost.
  Json bid = {
      {"task", task_id},
      {"initiative", a1_.value()},
      {"title", "Zuilen groen door de buurt"},
      {"plan", "Buurtbewoners onderhouden het groen, met een leerwerkplek voor jongeren."},
      {"budget_eur", 100000},
      {"partners", {a2_.value()}},
      {"milestones", Json::array({{{"title", "Eerste seizoen"}, {"due", "2027-10-01"}, {"amount_eur", 40000}},
                                  {{"title", "Tweede seizoen"}, {"due", "2028-10-01"}, {"amount_eur", 60000}}})},
      {"indicators", Json::array({{{"name", "tevredenheid groen"}, {"unit", "%"}, {"baseline", 55}, {"target", 70}}})}};
  Refused(kAnon, "POST", v1 + "/task-challenges", bid, "filing a challenge");
  Refused(kResident, "POST", v1 + "/task-challenges", bid, "filing in an actor's name without being its member");
  Refused(kOfficer, "POST", v1 + "/task-challenges", bid, "filing in an actor's name as an officer");
  Json filed = Ok(kMember, "POST", v1 + "/task-challenges", bid, 201);
  const std::string tc = v1 + "/task-challenges/" + std::to_string(filed["id"].get<int64_t>());
  EXPECT_EQ(filed["step"], "received");
  EXPECT_EQ(filed["task_title"], "Groenonderhoud Zuilen");
  EXPECT_EQ(filed["current_cost_eur"], 125000);
  EXPECT_EQ(filed["initiative_name"], "Buurtkracht Zuilen");
  ASSERT_EQ(filed["steps"].size(), 7u) << "every step of the path is listed: " << filed.dump();
  EXPECT_TRUE(filed["steps"][0]["reached"].get<bool>());
  EXPECT_FALSE(filed["steps"][0]["deadline"].get<std::string>().empty()) << "a default deadline";
  EXPECT_FALSE(filed["steps"][1]["reached"].get<bool>());

  // Who could join: the matcher and the coalition engine in reverse, and the fabric behind it.
  Refused(kAnon, "GET", tc + "/partners", nullptr, "asking who could join");
  Refused(kResident, "GET", tc + "/partners", nullptr, "asking who could join (not the initiative)");
  Json partners = Ok(kMember, "GET", tc + "/partners", nullptr);
  EXPECT_TRUE(partners.contains("matches")) << partners.dump();
  EXPECT_TRUE(partners.contains("teams")) << partners.dump();
  EXPECT_TRUE(partners.contains("ties")) << partners.dump();
  for (const auto& m : partners["matches"]) {
    EXPECT_NE(m["actor"], a1_.value()) << "the initiative is not its own partner";
    EXPECT_NE(m["actor"], a2_.value()) << "a partner already named is not suggested";
  }
  Ok(kOfficer, "GET", tc + "/partners", nullptr);

  // received: the initiative may still change its bid; others may not; the officer moves it on.
  Refused(kResident, "PATCH", tc, {{"budget_eur", 90000}}, "changing another's bid");
  Refused(kOfficer, "PATCH", tc, {{"budget_eur", 90000}}, "an officer changing the bid");
  EXPECT_EQ(Ok(kMember, "PATCH", tc,
               {{"budget_eur", 100000}, {"plan", "Buurtbewoners en jongeren onderhouden het groen."}})["plan"],
            "Buurtbewoners en jongeren onderhouden het groen.");
  Json assess = {{"step", "assessment"},
                 {"decision", "Ontvankelijk; de beoordeling begint"},
                 {"criteria", {"kwaliteit", "kosten", "betrokkenheid van de buurt"}},
                 {"deadline", "2027-03-01"}};
  Refused(kAnon, "POST", tc + "/step", assess, "moving the challenge");
  Refused(kMember, "POST", tc + "/step", assess, "the initiative moving its own challenge");
  Refused(kOtherOfficer, "POST", tc + "/step", assess, "moving another municipality's challenge");
  WrongStep(kOfficer, tc + "/step", Move("talks", "Gesprek"), "skipping the assessment");
  Resp no_criteria = As(kOfficer, "POST", tc + "/step", Move("assessment", "Beoordeling"));
  EXPECT_EQ(no_criteria.status, 400) << no_criteria.body;
  EXPECT_EQ(no_criteria.json.value("field", ""), "criteria");
  Json assessed = Ok(kOfficer, "POST", tc + "/step", assess);
  EXPECT_EQ(assessed["step"], "assessment");
  EXPECT_EQ(assessed["criteria"].size(), 3u);
  EXPECT_EQ(assessed["steps"][1]["deadline"], "2027-03-01");

  // assessment: the bid is fixed now.
  Resp fixed = As(kMember, "PATCH", tc, {{"budget_eur", 80000}});
  EXPECT_EQ(fixed.status, 409) << fixed.body;
  EXPECT_EQ(fixed.json.value("field", ""), "step");
  WrongStep(kOfficer, tc + "/step", Move("received", "Terug"), "moving back");
  Refused(kResident, "POST", tc + "/step", Move("talks", "Gesprek"), "moving the challenge");
  Json talks = Ok(kOfficer, "POST", tc + "/step", Move("talks", "Voldoet aan de criteria; gesprek gepland"));
  EXPECT_FALSE(talks["steps"][2]["deadline"].get<std::string>().empty()) << "the default deadline";

  // talks -> decision: reasons are required and published.
  WrongStep(kOfficer, tc + "/step", Move("agreement", "Overeenkomst"), "skipping the decision");
  Resp no_reasons = As(kOfficer, "POST", tc + "/step", Move("decision", "Toegekend"));
  EXPECT_EQ(no_reasons.status, 400) << no_reasons.body;
  EXPECT_EQ(no_reasons.json.value("field", ""), "reasons");
  Refused(kMember, "POST", tc + "/step", Move("decision", "Toegekend", "Goedkoper"), "deciding one's own bid");
  Json decided =
      Ok(kOfficer, "POST", tc + "/step", Move("decision", "Toegekend", "Goedkoper en met meer buurtbetrokkenheid"));
  EXPECT_EQ(decided["steps"][3]["reasons"], "Goedkoper en met meer buurtbetrokkenheid");

  // decision -> agreement: the bid becomes an experiment; the task's budget moves.
  Refused(kOtherOfficer, "POST", tc + "/step", Move("agreement", "Getekend"), "another municipality's agreement");
  WrongStep(kOfficer, tc + "/step", Move("running", "Loopt"), "running before an agreement");
  Json agreed = Ok(kOfficer, "POST", tc + "/step", Move("agreement", "Overeenkomst getekend voor twee jaar"));
  ASSERT_TRUE(agreed["experiment"].is_number()) << agreed.dump();
  ASSERT_TRUE(agreed["proposal"].is_number()) << agreed.dump();
  WrongStep(kOfficer, tc + "/step", Move("refused", "Toch niet", "Te laat"), "refusing after the agreement");
  EXPECT_FALSE(Ok(kAnon, "GET", v1 + "/tasks/" + std::to_string(task_id), nullptr)["open"].get<bool>())
      << "the task is closed to further challenges";
  Resp again = As(kMember, "POST", v1 + "/task-challenges", bid);
  EXPECT_EQ(again.status, 409) << "a task taken over is closed: " << again.body;

  const std::string e = v1 + "/experiments/" + std::to_string(agreed["experiment"].get<int64_t>());
  Json exp = Ok(kAnon, "GET", e, nullptr);
  EXPECT_EQ(exp["status"], "running");
  ASSERT_EQ(exp["milestones"].size(), 2u) << exp.dump();
  ASSERT_EQ(exp["indicators"].size(), 1u) << exp.dump();
  EXPECT_EQ(Ok(kAnon, "GET", v1 + "/proposals/" + std::to_string(agreed["proposal"].get<int64_t>()), nullptr)["status"],
            "funded");

  // The initiative submits milestone evidence like any coalition; an officer releases it.
  Json ev = Ok(kMember, "POST", e + "/milestones/1/evidence", {{"text", "Eerste seizoen gemaaid en gesnoeid"}}, 201);
  Refused(kResident, "POST", e + "/milestones/1/evidence", {{"text", "x"}}, "evidence from outside the initiative");
  Ok(kOfficer, "POST", e + "/evidence/" + std::to_string(ev["id"].get<int64_t>()) + "/decision",
     {{"decision", "approved"}});

  // agreement -> running -> evaluated.
  Refused(kMember, "POST", tc + "/step", Move("running", "Loopt"), "moving the challenge");
  Ok(kOfficer, "POST", tc + "/step", Move("running", "Het eerste seizoen is begonnen"));
  WrongStep(kOfficer, tc + "/step", Move("agreement", "Nog eens"), "moving back");
  Refused(kResident, "POST", tc + "/step", Move("evaluated", "Geëvalueerd"), "evaluating");
  Json done = Ok(kOfficer, "POST", tc + "/step", Move("evaluated", "Tevredenheid gestegen; voortzetten"));
  EXPECT_EQ(done["step"], "evaluated");
  EXPECT_TRUE(done["next_steps"].empty());
  WrongStep(kAdmin, tc + "/step", Move("running", "Terug"), "even an admin keeps to the path");
  EXPECT_EQ(Ok(kAnon, "GET", e, nullptr)["status"], "completed");

  // The public page lists every step with its date, decision and reasons.
  Json page = Ok(kAnon, "GET", tc, nullptr);
  ASSERT_EQ(page["steps"].size(), 7u) << page.dump();
  std::vector<std::string> steps;
  for (const auto& s : page["steps"]) {
    EXPECT_TRUE(s["reached"].get<bool>()) << s.dump();
    EXPECT_FALSE(s["entered_at"].get<std::string>().empty());
    EXPECT_FALSE(s["decision"].get<std::string>().empty());
    steps.push_back(s["step"].get<std::string>());
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"received", "assessment", "talks", "decision", "agreement", "running",
                                             "evaluated"}));
  EXPECT_EQ(page.dump().find("@test.nl"), std::string::npos) << "no personal data";
  EXPECT_EQ(page.dump().find("decided_by"), std::string::npos) << "no user ids";

  // The money: the task's budget moved to the initiative, and the overview still reconciles.
  Json overview = Ok(kAnon, "GET", muni + "/overview", nullptr);
  ASSERT_EQ(overview["task_budgets"].size(), 1u) << overview.dump();
  const Json& moved = overview["task_budgets"][0];
  EXPECT_EQ(moved["task_budget_eur"], 125000);
  EXPECT_EQ(moved["transferred_eur"], 100000);
  EXPECT_EQ(moved["kept_eur"], 25000);
  EXPECT_EQ(moved["initiative_name"], "Buurtkracht Zuilen");
  int64_t traced = 0;
  bool from_task = false;
  for (const auto& line : overview["money"]["commitments"]) {
    traced += line["amount_eur"].get<int64_t>();
    if (line["source"] == "task_challenge") from_task = line["amount_eur"] == 100000;
  }
  EXPECT_TRUE(from_task) << overview.dump();
  EXPECT_EQ(traced, overview["money"]["committed_eur"].get<int64_t>()) << overview.dump();
  EXPECT_EQ(overview["money"]["released_eur"], 40000) << overview.dump();
  EXPECT_EQ(overview["money"]["remaining_eur"].get<int64_t>(),
            overview["money"]["committed_eur"].get<int64_t>() - 40000);

  // A second bid (residents together, a stated task) is refused; the refusal and its reasons are public.
  Json residents = {{"municipality", m1_.value()},
                    {"task_title", "Beheer van het buurthuis"},
                    {"current_cost_eur", 80000},
                    {"initiative_name", "Bewoners van de Prinses Margrietstraat"},
                    {"title", "Wij beheren het buurthuis"},
                    {"plan", "Een stichting van bewoners beheert het buurthuis."},
                    {"budget_eur", 70000}};
  Refused(kMember, "POST", v1 + "/task-challenges", residents, "filing as residents without being one");
  Json second = Ok(kResident, "POST", v1 + "/task-challenges", residents, 201);
  const std::string tc2 = v1 + "/task-challenges/" + std::to_string(second["id"].get<int64_t>());
  Ok(kResident, "PATCH", tc2, {{"budget_eur", 65000}});
  Resp refuse_no_reasons = As(kOfficer, "POST", tc2 + "/step", Move("refused", "Afgewezen"));
  EXPECT_EQ(refuse_no_reasons.status, 400) << refuse_no_reasons.body;
  EXPECT_EQ(refuse_no_reasons.json.value("field", ""), "reasons");
  Refused(kResident, "POST", tc2 + "/step", Move("refused", "Afgewezen", "x"), "refusing one's own bid");
  Json refused = Ok(kOfficer, "POST", tc2 + "/step",
                    Move("refused", "Niet ontvankelijk", "Het buurthuis wordt al door een stichting beheerd"));
  EXPECT_EQ(refused["step"], "refused");
  WrongStep(kOfficer, tc2 + "/step", Move("assessment", "Toch"), "moving a refused challenge");
  Json listed = Ok(kAnon, "GET", muni + "/task-challenges", nullptr);
  ASSERT_EQ(listed["items"].size(), 2u);
  EXPECT_EQ(listed["items"][1]["steps"].back()["reasons"], "Het buurthuis wordt al door een stichting beheerd");

  // An agreement is made with an organisation: a residents' bid cannot reach one (409 `initiative`).
  Json third = Ok(kResident, "POST", v1 + "/task-challenges", residents, 201);
  const std::string tc3 = v1 + "/task-challenges/" + std::to_string(third["id"].get<int64_t>());
  Ok(kOfficer, "POST", tc3 + "/step", {{"step", "assessment"}, {"decision", "Ontvankelijk"}, {"criteria", {"kosten"}}});
  Ok(kOfficer, "POST", tc3 + "/step", Move("talks", "Gesprek"));
  Ok(kOfficer, "POST", tc3 + "/step", Move("decision", "Toegekend", "Goed plan"));
  Resp no_actor = As(kOfficer, "POST", tc3 + "/step", Move("agreement", "Getekend"));
  EXPECT_EQ(no_actor.status, 409) << no_actor.body;
  EXPECT_EQ(no_actor.json.value("field", ""), "initiative") << no_actor.body;

  // Moderation follows proposals: a report, a hide with a public reason (the bid is gone from its
  // page and the list), a restore.
  const int64_t second_id = second["id"].get<int64_t>();
  Json report = {{"target", "task_challenge"}, {"id", second_id}, {"reason", "Bevat een scheldwoord"}};
  EXPECT_EQ(As(kResident, "POST", v1 + "/reports", report).status, 409) << "one's own bid is not reported";
  Ok(kMember, "POST", v1 + "/reports", report, 201);
  Json hide = {{"target", "task_challenge"}, {"id", second_id}, {"reason", "In strijd met de huisregels"}};
  Refused(kMember, "POST", v1 + "/moderation/hide", hide, "hiding a bid");
  Refused(kOtherOfficer, "POST", v1 + "/moderation/hide", hide, "hiding another municipality's bid");
  Ok(kOfficer, "POST", v1 + "/moderation/hide", hide);
  EXPECT_EQ(As(kAnon, "GET", tc2).status, 404);
  EXPECT_EQ(Ok(kAnon, "GET", muni + "/task-challenges", nullptr)["items"].size(), 2u) << "the hidden bid is left out";
  Json why = Ok(kAnon, "GET", tc2 + "/moderation", nullptr);
  EXPECT_TRUE(why["hidden"].get<bool>());
  EXPECT_EQ(why["reason"], "In strijd met de huisregels");
  Ok(kOfficer, "POST", v1 + "/moderation/restore", {{"target", "task_challenge"}, {"id", second_id}});
  EXPECT_EQ(Ok(kAnon, "GET", tc2, nullptr)["step"], "refused");

  // Settings: the default days per step, set by officers.
  Refused(kResident, "PUT", muni + "/task-challenge-settings", {{"step_days", {{"assessment", 30}}}}, "settings");
  Json settings = Ok(kOfficer, "PUT", muni + "/task-challenge-settings", {{"step_days", {{"assessment", 30}}}});
  EXPECT_EQ(settings["step_days"]["assessment"], 30);
  EXPECT_EQ(Ok(kAnon, "GET", muni + "/task-challenge-settings", nullptr)["step_days"]["talks"], 42);

  // Notifications: each new bid told the municipality's officers, each step the initiative.
  auto notes = [&](int role) {
    int n = 0;
    Json page = Ok(role, "GET", "/api/v1/notifications?limit=100", nullptr);
    for (const auto& x : page["items"])
      if (x.value("kind", "") == "task_challenge") ++n;
    return n;
  };
  EXPECT_EQ(notes(kOfficer), 3) << "three bids filed";
  EXPECT_EQ(notes(kMember), 6) << "six steps of the first bid";
  EXPECT_EQ(notes(kResident), 4) << "the refusal of the residents' bid, three steps of the third";
  EXPECT_EQ(notes(kOtherOfficer), 0);

  // The audit log has every step, for the municipality's officers.
  const std::string audit = v1 + "/audit?entity=task_challenge&id=" + std::to_string(filed["id"].get<int64_t>());
  Refused(kMember, "GET", audit, nullptr, "reading the audit log");
  Refused(kOtherOfficer, "GET", audit, nullptr, "reading another municipality's audit log");
  std::vector<std::string> actions;
  Json log = Ok(kOfficer, "GET", audit, nullptr);
  for (const auto& entry : log["items"]) actions.push_back(entry["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "update", "step", "step", "step", "step", "step", "step"}));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RightToChallenge, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, RightToChallenge, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
