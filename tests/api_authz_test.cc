// The authorisation matrix: every route of the API x every role (anonymous included) -> the
// expected HTTP status. The expectations come from the rights policy (service/core/policy.h), the
// table that the service checks and docs/api.md prints: each route's row names the policy rule its
// act is checked against and the act's scope in the test world (the municipality m1, the actor
// a1, an owner ...); the expected status of a role is the route's success status when
// core::Allows grants the rule to that role's principal in that scope, 401 for anonymous callers,
// else the rule's refusal (403, or 404 where the rule hides the target). Public routes name no rule
// (their success status for everybody). Where the target's state, not the policy, decides a
// cell (no identity providers configured, a wrong password, a ballot only the resident cast),
// the row overrides those cells, with a comment saying why.
//
// A route the server has but the table lacks fails the test, and so does a table entry for a
// route the server does not have. Each cell builds its own request (fresh targets where the
// request changes or removes something), sends it over HTTP with the role's API token, and
// compares the status with the policy's.
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "service/core/policy.h"
#include "service/task_challenges.h"
#include "service/votes.h"
#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

using service::core::Action;
using service::core::Scope;

struct Req {
  std::string path;
  Json body = nullptr;
};

// The act of a route as the policy sees it: the rule it is checked against and its scope in the
// world. No rule: a public route.
struct Act {
  std::optional<Action> rule;
  Scope scope;
};

// Stands for the caller in a scope's owner: the act is on the caller's own account.
const UserId kCaller(-1);

struct Cell {
  std::function<Req()> make;
  Act act;
  // Cells whose status the target's state decides beyond the policy (commented at each row):
  // role (anonymous, resident (m1), member (a1), officer (m1), other officer (m2), admin) -> status.
  std::map<int, int> state = {};
};

class AuthzMatrix : public ApiWorld {
 protected:
  // A submitted proposal (budget 25000) of a fresh challenge of m1 in its proposals phase.
  ProposalId SubmittedProposal() {
    ChallengeId ch = AddChallenge(m1_, "Ronde " + std::to_string(++made_));
    for (auto phase :
         {domain::ChallengePhase::kMatching, domain::ChallengePhase::kForming, domain::ChallengePhase::kProposals})
      Must(platform_->SetChallengePhase(Root(), ch, phase));
    domain::Coalition c;
    c.challenge = ch;
    c.members = {{a1_, "lead", {}, {}}, {a2_, "member", {}, {}}};
    auto co = Must(platform_->ProposeCoalition(Root(), c));
    domain::ProposalVersion v;
    v.title = "Buurtkamers";
    v.budget_eur = 25000;
    auto prop = Must(platform_->CreateProposal(Root(), co.id, v));
    return Must(platform_->SetProposalStatus(Root(), prop.id, "submitted")).id;
  }
  // An experiment (funded with 25000) with one milestone of 5000.
  ExperimentId ExperimentWithMilestone() {
    ExperimentId e = MakeExperiment();
    Must(platform_->UpdateExperiment(Root(), e, [](domain::Experiment& x) {
      x.milestones = {{.title = "Eerste kamer open", .due = "2027-03-01", .amount_eur = 5000}};
      return Status::Ok();
    }));
    return e;
  }
  int64_t MakeCampaign() {
    domain::MatchCampaign c;
    c.round = MakeRound();
    c.name = "Buurt verdubbelt";
    c.fund_eur = 10000;
    c.deadline = "2099-12-31";
    return Must(platform_->CreateMatchCampaign(Root(), c)).id;
  }
  int made_ = 0;
  // The Right to Challenge: a fresh open task of m1 and a fresh bid on it by a1 (received).
  TaskId FreshTask() {
    domain::MunicipalTask t;
    t.municipality = m1_;
    t.title = "Taak " + std::to_string(++made_);
    t.budget_eur = 50000;
    return Must(platform_->task_challenges().CreateTask(Root(), t)).id;
  }
  TaskChallengeId FreshBid() {
    domain::TaskChallenge c;
    c.task = FreshTask();
    c.initiative = a1_;
    c.title = "Wij doen het";
    c.plan = "Een plan";
    c.budget_eur = 40000;
    return Must(platform_->task_challenges().File(Root(), c)).id;
  }
  // Fair votes: a fresh round of m1 restricted to `v` (codes for wijk Zuilen), in `phase`.
  RoundId RestrictedRound(domain::Verification v, domain::RoundPhase phase = domain::RoundPhase::kSubmission) {
    RoundId r = MakeRound();
    domain::Eligibility e{v, {"Zuilen"}, 0};
    Must(platform_->votes().SetEligibility(Root(), r, e));
    for (auto next : {domain::RoundPhase::kReview, domain::RoundPhase::kVoting})
      if (static_cast<int>(next) <= static_cast<int>(phase)) Must(platform_->SetRoundPhase(Root(), r, next));
    return r;
  }
  // A fresh coded round in voting and one unused code of it.
  std::pair<RoundId, std::string> RoundWithCode() {
    RoundId r = RestrictedRound(domain::Verification::kCode);
    std::string csv = Must(platform_->votes().GenerateCodes(Root(), r, 1, "Zuilen"));
    Must(platform_->SetRoundPhase(Root(), r, domain::RoundPhase::kReview));
    Must(platform_->SetRoundPhase(Root(), r, domain::RoundPhase::kVoting));
    auto eol = csv.find('\n');
    return {r, csv.substr(eol + 1, 14)};
  }
  // A fresh resident of m1 (for moderation: someone to report, hide or block).
  UserId FreshResident() { return AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}}); }
  // A fresh comment by a fresh resident on a fresh proposal of m1.
  int64_t FreshComment() {
    UserId u = FreshResident();
    service::Principal author{u, "", "bewoner", {{u, domain::Role::kResident, m1_, {}}}};
    return Must(platform_->AddComment(author, MakeProposal(), "Wat een onzin")).id;
  }

  // ---- the rows' parts ----
  static Act Open() { return {}; }
  static Act Rule(Action a, Scope s = {}) { return {a, std::move(s)}; }
  // The scope of an act of m1 (its officers, moderators and residents).
  Scope M1() const { return {.municipalities = {m1_}}; }
  // The coalition of MakeCoalition (a1 and a2), whose members act for it.
  Scope Coalition() const { return {.actors = {a1_, a2_}}; }
  // A bid of FreshBid: filed by the admin (Root) for a1 on a task of m1.
  Scope Bid() const { return {.municipalities = {m1_}, .actors = {a1_}, .owner = users_[kAdmin]}; }
  // Every role answered `status`; every signed-in role; every role but `role` (signed in).
  static std::map<int, int> Everyone(int status) {
    std::map<int, int> m;
    for (int r = 0; r < kRoleCount; ++r) m[r] = status;
    return m;
  }
  static std::map<int, int> SignedIn(int status) {
    auto m = Everyone(status);
    m.erase(kAnon);
    return m;
  }
  static std::map<int, int> Others(int role, int status) {
    auto m = SignedIn(status);
    m.erase(role);
    return m;
  }

  // What the policy says `who` gets from a route with `success` status for the cell's act: the
  // success status when the rule allows it in the act's scope, 401 when anonymous, else the rule's
  // refusal.
  static int PolicyStatus(const Cell& cell, const service::Principal& who, int success) {
    if (!cell.act.rule) return success;
    Scope scope = cell.act.scope;
    if (scope.owner == kCaller) scope.owner = who.user;
    if (service::core::Allows(who, *cell.act.rule, scope)) return success;
    if (!who.authenticated()) return 401;
    return HttpStatusFor(service::core::RuleOf(*cell.act.rule).refusal);
  }
  // The expected status of a cell: the policy's, unless the row overrides it by state. An
  // override may refuse what the policy allows, never allow what it refuses.
  static int Expected(const Cell& cell, int role, const service::Principal& who, int success) {
    int policy = PolicyStatus(cell, who, success);
    auto it = cell.state.find(role);
    if (it == cell.state.end()) return policy;
    EXPECT_FALSE(it->second < 400 && policy >= 400)
        << "a state override of role " << kRoleNames[role] << " grants what the policy refuses";
    return it->second;
  }

  std::map<std::string, Cell> Table() {
    const std::string v1 = "/api/v1";
    auto fixed = [](std::string path, Json body = nullptr) { return [path, body] { return Req{path, body}; }; };
    std::map<std::string, Cell> t;

    // Operations.
    t["GET /healthz"] = {fixed("/healthz"), Open()};
    t["GET /toegankelijkheid"] = {fixed("/toegankelijkheid"), Open()};
    t["GET /readyz"] = {fixed("/readyz"), Open()};
    t["GET /api/v1/openapi.json"] = {fixed(v1 + "/openapi.json"), Open()};

    // Accounts.
    t["POST /api/v1/auth/login"] = {fixed(v1 + "/auth/login", {{"email", "resident@test.nl"}, {"password", kPassword}}),
                                    Open()};
    // Without identity providers configured: the list is empty, the flow's routes say there are none
    // (state: 404 for everybody).
    t["GET /api/v1/auth/oidc"] = {fixed(v1 + "/auth/oidc"), Open()};
    t["GET /api/v1/auth/oidc/login"] = {fixed(v1 + "/auth/oidc/login?provider=utrecht"), Open(), Everyone(404)};
    t["GET /api/v1/auth/oidc/callback"] = {fixed(v1 + "/auth/oidc/callback?state=s&code=c"), Open(), Everyone(404)};
    // Linking identities: an API token cannot start a link (a browser session only; state: the
    // credential, so 403 for every token); unlinking removes one's own links (the resident has one
    // here; state: another account has no such link, 404), never another account's.
    t["GET /api/v1/auth/oidc/links"] = {fixed(v1 + "/auth/oidc/links"), Rule(Action::kOwnData)};
    t["POST /api/v1/auth/oidc/link"] = {fixed(v1 + "/auth/oidc/link", {{"provider", "utrecht"}}),
                                        Rule(Action::kLinkIdentity, {.owner = kCaller}), SignedIn(403)};
    t["POST /api/v1/auth/oidc/unlink"] = {
        [this, v1] {
          service::IdClaims claims;
          claims.issuer = "https://login.utrecht.example";
          claims.subject = FreshEmail();
          claims.provider = "utrecht";
          claims.link_user = users_[kResident].value();
          Status linked = platform_->LinkOidc(Must(platform_->PrincipalOf(users_[kResident])), claims);
          EXPECT_TRUE(linked.ok()) << linked.ToString();
          return Req{v1 + "/auth/oidc/unlink", {{"issuer", "https://login.utrecht.example"}}};
        },
        Rule(Action::kOwnData), Others(kResident, 404)};
    // Ending one's own session (the handler asks for a signed-in caller, as kOwnData does).
    t["POST /api/v1/auth/logout"] = {fixed(v1 + "/auth/logout"), Rule(Action::kOwnData)};
    t["GET /api/v1/auth/me"] = {fixed(v1 + "/auth/me"), Rule(Action::kOwnData)};
    t["POST /api/v1/auth/register"] = {[this, v1] {
                                         return Req{v1 + "/auth/register",
                                                    {{"email", FreshEmail()},
                                                     {"display_name", "Nieuw"},
                                                     {"password", "welkom-in-utrecht"},
                                                     {"municipality", m1_.value()}}};
                                       },
                                       Open()};
    // The server of the matrix asks no proof of work (register_pow_bits 0); a challenge is public.
    t["GET /api/v1/auth/register/challenge"] = {fixed(v1 + "/auth/register/challenge"), Open()};
    // Tokens are made from a signed-in session: an API token cannot mint more (hostile input 10;
    // state: the credential, so 403 for every token).
    t["POST /api/v1/auth/tokens"] = {fixed(v1 + "/auth/tokens", {{"name", "ci"}}), Rule(Action::kMakeToken),
                                     SignedIn(403)};
    t["GET /api/v1/auth/tokens"] = {fixed(v1 + "/auth/tokens"), Rule(Action::kListTokens, {.owner = kCaller})};
    t["DELETE /api/v1/auth/tokens/{id}"] = {
        [this, v1] {
          service::Principal owner{users_[kResident], "resident@test.nl", "resident", {}};
          Must(platform_->CreateToken(owner, "te intrekken"));
          auto mine = Must(platform_->TokensOf(owner, owner.user));
          return Req{v1 + "/auth/tokens/" + std::to_string(mine.empty() ? 0 : mine.back().id)};
        },
        Rule(Action::kRevokeToken, {.owner = users_[kResident]})};
    t["POST /api/v1/users"] = {
        [this, v1] {
          return Req{v1 + "/users",
                     {{"email", FreshEmail()},
                      {"display_name", "Nieuw"},
                      {"password", "welkom-welkom"},
                      {"grants", Json::array({{{"role", "resident"}, {"municipality", m1_.value()}}})}}};
        },
        Rule(Action::kCreateAccount)};
    t["GET /api/v1/users/{id}"] = {[this, v1] { return Req{v1 + "/users/" + Str(users_[kResident])}; },
                                   Rule(Action::kReadAccount, {.owner = users_[kResident]})};
    t["GET /api/v1/users/{id}/grants"] = {
        [this, v1] { return Req{v1 + "/users/" + Str(users_[kResident]) + "/grants"}; },
        Rule(Action::kReadGrants, {.owner = users_[kResident]})};
    t["POST /api/v1/users/{id}/grants"] = {
        [this, v1] {
          UserId u = AddUser(FreshEmail(), {});
          return Req{v1 + "/users/" + Str(u) + "/grants", {{"role", "resident"}, {"municipality", m1_.value()}}};
        },
        Rule(Action::kGrantLocalRole, M1())};
    t["POST /api/v1/users/{id}/grants/revoke"] = {
        [this, v1] {
          UserId u = AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}});
          return Req{v1 + "/users/" + Str(u) + "/grants/revoke", {{"role", "resident"}, {"municipality", m1_.value()}}};
        },
        Rule(Action::kRevokeRole)};

    // Notifications and account self-service (http/api_self.cc): each user's own; deleting an
    // account with a wrong password is refused for everybody (nobody is deleted here; state: the
    // password, 403).
    t["GET /api/v1/notifications"] = {fixed(v1 + "/notifications?limit=5"), Rule(Action::kOwnData)};
    t["POST /api/v1/notifications/read"] = {fixed(v1 + "/notifications/read", {{"all", true}}), Rule(Action::kOwnData)};
    t["GET /api/v1/me/settings"] = {fixed(v1 + "/me/settings"), Rule(Action::kOwnData)};
    t["PATCH /api/v1/me/settings"] = {fixed(v1 + "/me/settings", {{"digest", true}}), Rule(Action::kOwnData)};
    t["GET /api/v1/me/data"] = {fixed(v1 + "/me/data"), Rule(Action::kOwnData)};
    t["DELETE /api/v1/me"] = {fixed(v1 + "/me", {{"password", "not the password"}}), Rule(Action::kOwnData),
                              SignedIn(403)};
    t["GET /api/v1/open-data"] = {fixed(v1 + "/open-data"), Open()};
    t["GET /api/v1/open-data/file"] = {fixed(v1 + "/open-data/file?path=datapackage.json"), Open()};
    t["GET /api/v1/municipalities/{id}/fabric/snapshots"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/fabric/snapshots"}; }, Open()};
    t["POST /api/v1/municipalities/{id}/fabric/snapshots"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/fabric/snapshots"}; },
        Rule(Action::kTakeSnapshot, M1())};
    t["GET /api/v1/coalitions/{id}/ties"] = {
        [this, v1] { return Req{v1 + "/coalitions/" + Str(MakeCoalition()) + "/ties"}; }, Open()};

    // Municipalities.
    t["GET /api/v1/municipalities"] = {fixed(v1 + "/municipalities"), Open()};
    t["GET /api/v1/municipalities/{id}"] = {[this, v1] { return Req{v1 + "/municipalities/" + Str(m1_)}; }, Open()};
    t["POST /api/v1/municipalities"] = {
        [this, v1] {
          return Req{v1 + "/municipalities",
                     {{"cbs_code", FreshCode()}, {"name", "Nieuwegein"}, {"province", "Utrecht"}}};
        },
        Rule(Action::kAddMunicipality)};
    t["PATCH /api/v1/municipalities/{id}"] = {
        [this, v1] {
          return Req{v1 + "/municipalities/" + Str(m1_), {{"population", 361924}}};
        },
        Rule(Action::kChangeMunicipality, M1())};

    // Actors and ties.
    t["GET /api/v1/vocabulary"] = {fixed(v1 + "/vocabulary"), Open()};
    t["GET /api/v1/actors"] = {fixed(v1 + "/actors?limit=5"), Open()};
    t["GET /api/v1/actors/{id}"] = {[this, v1] { return Req{v1 + "/actors/" + Str(a1_)}; }, Open()};
    t["POST /api/v1/actors"] = {
        [this, v1] {
          return Req{v1 + "/actors",
                     {{"name", "Nieuw Initiatief"}, {"kind", "citizens_initiative"}, {"municipality", m1_.value()}}};
        },
        Rule(Action::kAddActor, M1())};
    t["PATCH /api/v1/actors/{id}"] = {[this, v1] {
                                        return Req{v1 + "/actors/" + Str(a1_), {{"size", 12}}};
                                      },
                                      Rule(Action::kChangeActor, {.municipalities = {m1_}, .actors = {a1_}})};
    t["DELETE /api/v1/actors/{id}"] = {[this, v1] { return Req{v1 + "/actors/" + Str(AddActor("Weg", m1_))}; },
                                       Rule(Action::kRemoveActor, M1())};
    t["GET /api/v1/actors/{id}/ties"] = {[this, v1] { return Req{v1 + "/actors/" + Str(a1_) + "/ties"}; }, Open()};
    t["POST /api/v1/actors/{id}/ties"] = {
        [this, v1] {
          return Req{v1 + "/actors/" + Str(a1_) + "/ties", {{"b", AddActor("Partner", m1_).value()}, {"weight", 2}}};
        },
        Rule(Action::kAddTie, {.municipalities = {m1_}, .actors = {a1_}})};
    t["DELETE /api/v1/actors/{id}/ties/{tie}"] = {[this, v1] {
                                                    domain::Tie tie;
                                                    tie.a = a1_;
                                                    tie.b = AddActor("Partner", m1_);
                                                    tie = Must(platform_->CreateTie(Root(), tie));
                                                    return Req{v1 + "/actors/" + Str(a1_) + "/ties/" + Str(tie.id)};
                                                  },
                                                  Rule(Action::kRemoveTie, {.municipalities = {m1_}, .actors = {a1_}})};
    t["GET /api/v1/ties"] = {[this, v1] { return Req{v1 + "/ties?municipality=" + Str(m1_)}; }, Open()};

    // Challenges and coalitions.
    t["GET /api/v1/challenges"] = {fixed(v1 + "/challenges?limit=50"), Open()};
    t["GET /api/v1/challenges/{id}"] = {[this, v1] { return Req{v1 + "/challenges/" + Str(c1_)}; }, Open()};
    t["POST /api/v1/challenges"] = {[this, v1] {
                                      return Req{v1 + "/challenges",
                                                 {{"municipality", m1_.value()},
                                                  {"title", "Schuldhulp"},
                                                  {"text", "Jongeren met schulden"},
                                                  {"themes", {"armoede"}}}};
                                    },
                                    Rule(Action::kPostChallenge, M1())};
    t["PATCH /api/v1/challenges/{id}"] = {[this, v1] {
                                            return Req{v1 + "/challenges/" + Str(c1_), {{"budget_eur", 50000}}};
                                          },
                                          Rule(Action::kChangeChallenge, M1())};
    t["POST /api/v1/challenges/{id}/phase"] = {
        [this, v1] {
          return Req{v1 + "/challenges/" + Str(AddChallenge(m1_, "Fase")) + "/phase", {{"phase", "matching"}}};
        },
        Rule(Action::kMoveChallengePhase, M1())};
    t["GET /api/v1/proposals/{id}/diff"] = {
        [this, v1] { return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/diff?from=1&to=1"}; }, Open()};
    t["POST /api/v1/rounds/{id}/reviews"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeReviewedRound()) + "/reviews",
                     {{"project_id", "p1"}, {"scores", {{"impact", 4}, {"haalbaarheid", 2}}}}};
        },
        Rule(Action::kReviewProjects, M1())};  // a review is an officer's own judgement: no admin pass
    t["GET /api/v1/rounds/{id}/reviews"] = {[this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound()) + "/reviews"}; },
                                            Rule(Action::kReadReviews, M1())};
    t["GET /api/v1/audit"] = {[this, v1] { return Req{v1 + "/audit?entity=challenge&id=" + Str(c1_)}; },
                              Rule(Action::kReadAudit, M1())};
    t["GET /api/v1/challenges/{id}/matches"] = {
        [this, v1] { return Req{v1 + "/challenges/" + Str(c1_) + "/matches?limit=5"}; }, Open()};
    t["GET /api/v1/challenges/{id}/coalitions"] = {
        [this, v1] { return Req{v1 + "/challenges/" + Str(c1_) + "/coalitions"}; }, Open()};
    t["POST /api/v1/challenges/{id}/coalitions"] = {
        [this, v1] {
          return Req{v1 + "/challenges/" + Str(c1_) + "/coalitions",
                     {{"members", Json::array({{{"actor", a1_.value()}}, {{"actor", a2_.value()}}})}}};
        },
        Rule(Action::kProposeCoalition, M1())};
    t["GET /api/v1/coalitions/{id}"] = {[this, v1] { return Req{v1 + "/coalitions/" + Str(MakeCoalition())}; }, Open()};
    t["POST /api/v1/coalitions/{id}/invite"] = {
        [this, v1] {
          return Req{v1 + "/coalitions/" + Str(MakeCoalition()) + "/invite", {{"actor", a1_.value()}}};
        },
        Rule(Action::kInvite, M1())};
    t["POST /api/v1/coalitions/{id}/accept"] = {
        [this, v1] {
          return Req{v1 + "/coalitions/" + Str(MakeCoalition(domain::MemberStatus::kInvited)) + "/accept",
                     {{"actor", a1_.value()}}};
        },
        Rule(Action::kAnswerInvitation, {.actors = {a1_}})};
    t["POST /api/v1/coalitions/{id}/decline"] = {
        [this, v1] {
          return Req{v1 + "/coalitions/" + Str(MakeCoalition(domain::MemberStatus::kInvited)) + "/decline",
                     {{"actor", a1_.value()}}};
        },
        Rule(Action::kAnswerInvitation, {.actors = {a1_}})};

    // Proposals.
    t["GET /api/v1/challenges/{id}/proposals"] = {
        [this, v1] { return Req{v1 + "/challenges/" + Str(c1_) + "/proposals"}; }, Open()};
    t["POST /api/v1/coalitions/{id}/proposals"] = {
        [this, v1] {
          return Req{v1 + "/coalitions/" + Str(MakeCoalition()) + "/proposals",
                     {{"title", "Buurtkamers"}, {"plan", "Open huis"}, {"budget_eur", 10000}}};
        },
        Rule(Action::kWriteProposal, Coalition())};
    t["GET /api/v1/proposals/{id}"] = {[this, v1] { return Req{v1 + "/proposals/" + Str(MakeProposal())}; }, Open()};
    t["POST /api/v1/proposals/{id}/versions"] = {[this, v1] {
                                                   return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/versions",
                                                              {{"title", "Buurtkamers v2"}, {"budget_eur", 20000}}};
                                                 },
                                                 Rule(Action::kReviseProposal, Coalition())};
    t["POST /api/v1/proposals/{id}/status"] = {
        [this, v1] {
          return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/status", {{"status", "submitted"}}};
        },
        Rule(Action::kSubmitProposal, Coalition())};
    t["GET /api/v1/proposals/{id}/comments"] = {
        [this, v1] { return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/comments"}; }, Open()};
    t["POST /api/v1/proposals/{id}/comments"] = {
        [this, v1] {
          return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/comments", {{"text", "Goed plan!"}}};
        },
        Rule(Action::kComment)};
    t["POST /api/v1/proposals/{id}/supports"] = {
        [this, v1] { return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/supports"}; },
        Rule(Action::kSupportProposal, M1())};
    // Withdrawing: the resident withdraws their own support (each cell a fresh proposal the
    // resident supports); nobody else is a resident of m1, so nobody else may.
    t["DELETE /api/v1/proposals/{id}/supports"] = {
        [this, v1] {
          ProposalId p = MakeProposal();
          EXPECT_EQ(As(kResident, "POST", v1 + "/proposals/" + Str(p) + "/supports").status, 201);
          return Req{v1 + "/proposals/" + Str(p) + "/supports"};
        },
        Rule(Action::kSupportProposal, M1())};
    t["GET /api/v1/proposals/{id}/supports/mine"] = {
        [this, v1] { return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/supports/mine"}; },
        Rule(Action::kAskSupport)};

    // Rounds and ballots.
    t["GET /api/v1/rounds"] = {fixed(v1 + "/rounds"), Open()};
    t["GET /api/v1/rounds/{id}"] = {[this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound())}; }, Open()};
    t["POST /api/v1/rounds"] = {
        [this, v1] {
          return Req{
              v1 + "/rounds",
              {{"municipality", m1_.value()},
               {"name", "Buurtbudget"},
               {"budget_eur", 50000},
               {"projects", Json::array({{{"project_id", "p1"}, {"title", "Speeltuin"}, {"cost_eur", 20000}}})}}};
        },
        Rule(Action::kOpenRound, M1())};
    t["PATCH /api/v1/rounds/{id}"] = {[this, v1] {
                                        return Req{v1 + "/rounds/" + Str(MakeRound()), {{"budget_eur", 120000}}};
                                      },
                                      Rule(Action::kChangeRound, M1())};
    t["POST /api/v1/rounds/{id}/phase"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeRound()) + "/phase", {{"phase", "voting"}}};
        },
        Rule(Action::kMoveRoundPhase, M1())};
    t["PUT /api/v1/rounds/{id}/ballot"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeRound(domain::RoundPhase::kVoting)) + "/ballot",
                     {{"entries", Json::array({{{"project_id", "p1"}, {"points", 1}}})}}};
        },
        Rule(Action::kVote, M1())};
    // One's own ballot and its receipt (state: only the resident cast one, the others' are 404).
    t["GET /api/v1/rounds/{id}/ballot"] = {[this, v1] {
                                             RoundId r = MakeRound(domain::RoundPhase::kVoting);
                                             auto who = Must(platform_->PrincipalOf(users_[kResident]));
                                             EXPECT_TRUE(platform_->CastBallot(who, r, {{"p2", 1}}).ok());
                                             return Req{v1 + "/rounds/" + Str(r) + "/ballot"};
                                           },
                                           Rule(Action::kOwnData), Others(kResident, 404)};
    t["GET /api/v1/rounds/{id}/ballot/receipt"] = {[this, v1] {
                                                     RoundId r = MakeRound(domain::RoundPhase::kVoting);
                                                     auto who = Must(platform_->PrincipalOf(users_[kResident]));
                                                     EXPECT_TRUE(platform_->CastBallot(who, r, {{"p2", 1}}).ok());
                                                     return Req{v1 + "/rounds/" + Str(r) + "/ballot/receipt"};
                                                   },
                                                   Rule(Action::kOwnData), Others(kResident, 404)};
    t["GET /api/v1/rounds/{id}/receipts"] = {
        [this, v1] {
          RoundId r = MakeRound(domain::RoundPhase::kVoting);
          Must(platform_->SetRoundPhase(Root(), r, domain::RoundPhase::kAllocation));
          return Req{v1 + "/rounds/" + Str(r) + "/receipts"};
        },
        Open()};

    // Experiments.
    t["GET /api/v1/experiments"] = {fixed(v1 + "/experiments"), Open()};
    t["GET /api/v1/experiments/{id}"] = {[this, v1] { return Req{v1 + "/experiments/" + Str(MakeExperiment())}; },
                                         Open()};
    t["POST /api/v1/experiments"] = {
        [this, v1] {
          return Req{v1 + "/experiments", {{"proposal", MakeFundedProposal().value()}, {"hypotheses", {"Het werkt"}}}};
        },
        Rule(Action::kStartExperiment, M1())};
    t["PATCH /api/v1/experiments/{id}"] = {
        [this, v1] {
          return Req{v1 + "/experiments/" + Str(MakeExperiment()), {{"outcome", "Minder eenzaamheid"}}};
        },
        Rule(Action::kChangeExperiment, M1())};
    t["POST /api/v1/experiments/{id}/indicators/{indicator}/measurements"] = {
        [this, v1] {
          ExperimentId e = MakeExperiment();
          auto exp = Must(platform_->GetExperiment(e));
          return Req{v1 + "/experiments/" + Str(e) + "/indicators/" + Str(exp.indicators.at(0).id) + "/measurements",
                     {{"date", "2026-10-01"}, {"value", 45.5}, {"source", "enquête"}}};
        },
        Rule(Action::kRecordMeasurement, {.municipalities = {m1_}, .actors = {a1_, a2_}})};

    // The programme's money: proposals into rounds, allocations, milestone evidence, the
    // overview and match-funding. Evidence belongs to the coalition (no officer, but the admin's
    // pass); a pledge is a person's own act (no admin pass).
    t["POST /api/v1/rounds/{id}/proposals"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeRound()) + "/proposals", {{"proposal", SubmittedProposal().value()}}};
        },
        Rule(Action::kFillRound, M1())};
    t["GET /api/v1/rounds/{id}/allocation"] = {
        [this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound()) + "/allocation"}; }, Open()};
    t["POST /api/v1/experiments/{id}/milestones/{milestone}/evidence"] = {
        [this, v1] {
          return Req{v1 + "/experiments/" + Str(ExperimentWithMilestone()) + "/milestones/1/evidence",
                     {{"text", "Foto's van de opening"}, {"link", "https://example.nl/opening"}}};
        },
        Rule(Action::kSubmitEvidence, Coalition())};
    t["GET /api/v1/experiments/{id}/evidence"] = {
        [this, v1] { return Req{v1 + "/experiments/" + Str(MakeExperiment()) + "/evidence"}; }, Open()};
    t["POST /api/v1/experiments/{id}/evidence/{evidence}/decision"] = {
        [this, v1] {
          ExperimentId e = ExperimentWithMilestone();
          auto ev = Must(platform_->SubmitEvidence(Root(), e, 1, "Foto's van de opening", ""));
          return Req{v1 + "/experiments/" + Str(e) + "/evidence/" + std::to_string(ev.id) + "/decision",
                     {{"decision", "approved"}}};
        },
        Rule(Action::kDecideEvidence, M1())};
    // Files attached to evidence (migration 15): like the evidence, the coalition attaches them
    // (the admin's pass) and everybody reads them.
    t["POST /api/v1/experiments/{id}/evidence/{evidence}/files"] = {
        [this, v1] {
          ExperimentId e = ExperimentWithMilestone();
          auto ev = Must(platform_->SubmitEvidence(Root(), e, 1, "Foto's van de opening", ""));
          return Req{v1 + "/experiments/" + Str(e) + "/evidence/" + std::to_string(ev.id) + "/files",
                     {{"name", "opening.png"}, {"data", "iVBORw0KGgowMDAw"}}};
        },
        Rule(Action::kAttachEvidenceFile, Coalition())};
    t["GET /api/v1/experiments/{id}/files"] = {
        [this, v1] { return Req{v1 + "/experiments/" + Str(MakeExperiment()) + "/files"}; }, Open()};
    t["GET /api/v1/experiments/{id}/files/{file}"] = {
        [this, v1] {
          ExperimentId e = ExperimentWithMilestone();
          auto ev = Must(platform_->SubmitEvidence(Root(), e, 1, "Foto's van de opening", ""));
          auto f = Must(platform_->AttachEvidenceFile(Root(), e, ev.id, "opening.png", "\x89PNG\r\n\x1a\n0000"));
          return Req{v1 + "/experiments/" + Str(e) + "/files/" + std::to_string(f.id)};
        },
        Open()};
    t["GET /api/v1/municipalities/{id}/overview"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/overview"}; }, Open()};
    t["POST /api/v1/rounds/{id}/match-campaigns"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeRound()) + "/match-campaigns",
                     {{"name", "Buurt verdubbelt"}, {"fund_eur", 10000}, {"deadline", "2099-12-31"}}};
        },
        Rule(Action::kOpenCampaign, M1())};
    t["GET /api/v1/rounds/{id}/match-campaigns"] = {
        [this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound()) + "/match-campaigns"}; }, Open()};
    t["GET /api/v1/match-campaigns/{id}"] = {
        [this, v1] { return Req{v1 + "/match-campaigns/" + std::to_string(MakeCampaign())}; }, Open()};
    t["POST /api/v1/match-campaigns/{id}/pledges"] = {
        [this, v1] {
          return Req{v1 + "/match-campaigns/" + std::to_string(MakeCampaign()) + "/pledges",
                     {{"project_id", "p1"}, {"amount_eur", 25}}};
        },
        Rule(Action::kPledge, {.municipalities = {m1_}, .actors = {a1_, a2_}})};

    // Engines (http/api_engines.cc). Results and the .pb export of a round in voting are for its
    // officers (everybody from allocation on); the fabric is open data; coalition suggestions are
    // for officers of the challenge's municipality and actor members.
    t["GET /api/v1/rounds/{id}/results"] = {
        [this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound(domain::RoundPhase::kVoting)) + "/results"}; },
        Rule(Action::kReadEarlyResults, M1())};
    t["GET /api/v1/rounds/{id}/export.pb"] = {
        [this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound(domain::RoundPhase::kVoting)) + "/export.pb"}; },
        Rule(Action::kReadEarlyResults, M1())};
    for (std::string part : {"report", "map", "weave", "health", "graphml"})
      t["GET /api/v1/municipalities/{id}/fabric/" + part] = {
          [this, v1, part] { return Req{v1 + "/municipalities/" + Str(m1_) + "/fabric/" + part}; }, Open()};
    t["GET /api/v1/challenges/{id}/coalition-suggestions"] = {
        [this, v1] { return Req{v1 + "/challenges/" + Str(c1_) + "/coalition-suggestions?top=1"}; },
        Rule(Action::kSuggestCoalitions, M1())};

    // Moderation (issue 20): anyone signed in reports; the queue, hiding, restoring, dismissing and
    // blocking are for the moderators and officers of the item's municipality (and admins).
    t["POST /api/v1/reports"] = {
        [this, v1] {
          return Req{v1 + "/reports", {{"target", "comment"}, {"id", FreshComment()}, {"reason", "Beledigend"}}};
        },
        Rule(Action::kReport)};
    t["GET /api/v1/municipalities/{id}/moderation"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/moderation"}; },
        Rule(Action::kReadModerationQueue, M1())};
    t["POST /api/v1/moderation/hide"] = {
        [this, v1] {
          return Req{v1 + "/moderation/hide",
                     {{"target", "comment"}, {"id", FreshComment()}, {"reason", "In strijd met de huisregels"}}};
        },
        Rule(Action::kHide, M1())};
    t["POST /api/v1/moderation/restore"] = {
        [this, v1] {
          int64_t id = FreshComment();
          Must(platform_->Hide(Root(), "comment", id, "In strijd met de huisregels"));
          return Req{v1 + "/moderation/restore", {{"target", "comment"}, {"id", id}}};
        },
        Rule(Action::kRestore, M1())};
    t["POST /api/v1/reports/{id}/dismiss"] = {
        [this, v1] {
          auto r = Must(platform_->ReportContent(Root(), "comment", FreshComment(), "Beledigend"));
          return Req{v1 + "/reports/" + std::to_string(r.id) + "/dismiss"};
        },
        Rule(Action::kDismissReport, M1())};
    t["POST /api/v1/users/{id}/block"] = {
        [this, v1] {
          return Req{v1 + "/users/" + Str(FreshResident()) + "/block", {{"reason", "Scheldt steeds"}}};
        },
        Rule(Action::kBlockAccount, M1())};
    t["GET /api/v1/proposals/{id}/moderation"] = {
        [this, v1] { return Req{v1 + "/proposals/" + Str(MakeProposal()) + "/moderation"}; }, Open()};
    t["POST /api/v1/users/{id}/unblock"] = {[this, v1] {
                                              UserId u = FreshResident();
                                              Must(platform_->BlockAccount(Root(), u, "Scheldt steeds"));
                                              return Req{v1 + "/users/" + Str(u) + "/unblock"};
                                            },
                                            Rule(Action::kUnblockAccount, M1())};

    // The Right to Challenge (issue 20).
    t["GET /api/v1/municipalities/{id}/tasks"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/tasks"}; }, Open()};
    t["POST /api/v1/municipalities/{id}/tasks"] = {[this, v1] {
                                                     return Req{v1 + "/municipalities/" + Str(m1_) + "/tasks",
                                                                {{"title", "Groenonderhoud"}, {"budget_eur", 9000}}};
                                                   },
                                                   Rule(Action::kKeepTaskList, M1())};
    t["GET /api/v1/tasks/{id}"] = {[this, v1] { return Req{v1 + "/tasks/" + Str(FreshTask())}; }, Open()};
    t["PATCH /api/v1/tasks/{id}"] = {[this, v1] {
                                       return Req{v1 + "/tasks/" + Str(FreshTask()), {{"budget_eur", 45000}}};
                                     },
                                     Rule(Action::kKeepTaskList, M1())};
    t["GET /api/v1/municipalities/{id}/task-challenges"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/task-challenges"}; }, Open()};
    t["POST /api/v1/task-challenges"] = {[this, v1] {
                                           return Req{v1 + "/task-challenges",
                                                      {{"task", FreshTask().value()},
                                                       {"initiative", a1_.value()},
                                                       {"title", "Wij doen het"},
                                                       {"plan", "Een plan"},
                                                       {"budget_eur", 40000}}};
                                         },
                                         Rule(Action::kFileBidAsActor, {.actors = {a1_}})};
    t["GET /api/v1/task-challenges/{id}"] = {[this, v1] { return Req{v1 + "/task-challenges/" + Str(FreshBid())}; },
                                             Open()};
    t["PATCH /api/v1/task-challenges/{id}"] = {
        [this, v1] {
          return Req{v1 + "/task-challenges/" + Str(FreshBid()), {{"budget_eur", 35000}}};
        },
        Rule(Action::kChangeBid, Bid())};
    t["POST /api/v1/task-challenges/{id}/step"] = {
        [this, v1] {
          return Req{v1 + "/task-challenges/" + Str(FreshBid()) + "/step",
                     {{"step", "assessment"}, {"decision", "Ontvankelijk"}, {"criteria", {"kwaliteit"}}}};
        },
        Rule(Action::kMoveBid, M1())};
    t["GET /api/v1/task-challenges/{id}/partners"] = {
        [this, v1] { return Req{v1 + "/task-challenges/" + Str(FreshBid()) + "/partners"}; },
        Rule(Action::kReadBidPartners, Bid())};
    t["GET /api/v1/task-challenges/{id}/moderation"] = {
        [this, v1] { return Req{v1 + "/task-challenges/" + Str(FreshBid()) + "/moderation"}; }, Open()};
    t["GET /api/v1/municipalities/{id}/task-challenge-settings"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/task-challenge-settings"}; }, Open()};
    t["PUT /api/v1/municipalities/{id}/task-challenge-settings"] = {
        [this, v1] {
          return Req{v1 + "/municipalities/" + Str(m1_) + "/task-challenge-settings", {{"step_days", {{"talks", 30}}}}};
        },
        Rule(Action::kSetStepDays, M1())};
    t["GET /api/v1/municipalities/{id}/appearance"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m1_) + "/appearance"}; }, Open()};
    t["PUT /api/v1/municipalities/{id}/appearance"] = {
        [this, v1] {
          return Req{v1 + "/municipalities/" + Str(m1_) + "/appearance", {{"theme", "voorbeeld"}}};
        },
        Rule(Action::kSetAppearance, M1())};
    t["PUT /api/v1/municipalities/{id}/logo"] = {
        [this, v1] {
          return Req{v1 + "/municipalities/" + Str(m1_) + "/logo", {{"image", ""}}};
        },
        Rule(Action::kSetAppearance, M1())};
    // No logo is set by this table, so the public read is a 404 for everyone alike.
    t["GET /api/v1/municipalities/{id}/logo"] = {
        [this, v1] { return Req{v1 + "/municipalities/" + Str(m2_) + "/logo"}; }, Open(), Everyone(404)};
    // Each call introduces a new pair (the same pair is refused for 90 days).
    t["POST /api/v1/municipalities/{id}/introductions"] = {
        [this, v1] {
          ActorId a = AddActor(FreshEmail(), m1_), b = AddActor(FreshEmail(), m1_);
          return Req{v1 + "/municipalities/" + Str(m1_) + "/introductions", {{"a", a.value()}, {"b", b.value()}}};
        },
        Rule(Action::kIntroduce, M1())};

    // Fair votes.
    t["GET /api/v1/rounds/{id}/eligibility"] = {
        [this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound()) + "/eligibility"}; }, Open()};
    t["PUT /api/v1/rounds/{id}/eligibility"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeRound()) + "/eligibility", {{"verification", "code"}}};
        },
        Rule(Action::kSetEligibility, M1())};
    t["POST /api/v1/rounds/{id}/voting-codes"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(RestrictedRound(domain::Verification::kCode)) + "/voting-codes",
                     {{"count", 2}, {"wijk", "Zuilen"}}};
        },
        Rule(Action::kMakeVotingCodes, M1())};
    t["PUT /api/v1/rounds/{id}/census"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(RestrictedRound(domain::Verification::kCensus)) + "/census",
                     {{"csv", "identificatie;postcode;geboortedatum;wijk\n123456782;3511AB;1980-04-27;Zuilen\n"}}};
        },
        Rule(Action::kUploadCensus, M1())};
    t["GET /api/v1/rounds/{id}/voting-register"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(RestrictedRound(domain::Verification::kCode)) + "/voting-register"};
        },
        Rule(Action::kReadRegister, M1())};
    t["POST /api/v1/rounds/{id}/verified-ballot"] = {
        [this, v1] {
          auto [r, code] = RoundWithCode();
          return Req{v1 + "/rounds/" + Str(r) + "/verified-ballot",
                     {{"entries", Json::array({{{"project_id", "p1"}, {"points", 1}}})}, {"code", code}}};
        },
        Rule(Action::kVote, M1())};
    t["GET /api/v1/rounds/{id}/registration-clusters"] = {
        [this, v1] { return Req{v1 + "/rounds/" + Str(MakeRound()) + "/registration-clusters"}; },
        Rule(Action::kReadRegistrations, M1())};
    t["POST /api/v1/rounds/{id}/void-ballots"] = {
        [this, v1] {
          return Req{v1 + "/rounds/" + Str(MakeRound()) + "/void-ballots",
                     {{"users", Json::array({users_[kResident].value()})}, {"reason", "bulkregistratie"}}};
        },
        Rule(Action::kVoidBallot, M1())};
    return t;
  }
};

TEST_P(AuthzMatrix, EveryRouteTimesEveryRole) {
  auto table = Table();
  // Each role's principal as the service sees it (its grants read from the store).
  std::array<service::Principal, kRoleCount> principals;
  for (int role = 0; role < kRoleCount; ++role)
    if (role != kAnon) principals[role] = Must(platform_->PrincipalOf(users_[role]));
  std::set<std::string> seen;
  for (const auto& route : api_->routes()) {
    std::string key = route.method + " " + route.path;
    seen.insert(key);
    auto it = table.find(key);
    if (it == table.end()) {
      ADD_FAILURE() << "route " << key << " has no row in the authorisation matrix";
      continue;
    }
    const Cell& cell = it->second;
    // The route's documented security (OpenAPI) agrees with the matrix: a route that names a
    // policy rule needs a user, a public one does not; but round.results guards reads that are
    // public from phase allocation on, so its routes are documented without a user.
    bool public_later = cell.act.rule == Action::kReadEarlyResults;
    EXPECT_EQ(route.needs_user, cell.act.rule.has_value() && !public_later)
        << key << ": needs_user in the route table, but " << (cell.act.rule ? "a rule" : "no rule") << " in the matrix";
    std::string rule = cell.act.rule ? std::string(service::core::RuleOf(*cell.act.rule).name) : "public";
    for (int role = 0; role < kRoleCount; ++role) {
      Req req = cell.make();
      Resp r = As(role, route.method, req.path, req.body);
      int expected = Expected(cell, role, principals[role], route.success);
      EXPECT_EQ(r.status, expected) << key << " as " << kRoleNames[role] << " (" << req.path << "; policy rule " << rule
                                    << (cell.state.count(role) ? ", state override" : "") << "): " << r.body;
      if (r.status >= 400) {
        EXPECT_NE(r.Header("Content-Type").find("application/problem+json"), std::string::npos)
            << key << ": " << r.body;
        EXPECT_EQ(r.json.value("status", 0), r.status) << r.body;
      }
    }
  }
  for (const auto& [key, cell] : table)
    EXPECT_TRUE(seen.count(key)) << "matrix row " << key << " names no route of the server";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuthzMatrix, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, AuthzMatrix, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
