// Notifications from the audit log, the daily digest through the outbox, account self-service
// (data download, deletion with anonymised ballots), open data and fabric snapshots over the API.
// Runs on SQLite (label unit) and PostgreSQL (label pg).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <set>

#include "service/core/testing.h"
#include "service/notifications/notifications.h"
#include "storage/store.h"
#include "tests/api_kit.h"
#include "tests/kit/smtp_sink.h"

namespace weefsel::apitest {
namespace {

class SelfApi : public ApiWorld {
 protected:
  std::string V1(const std::string& rest) { return "/api/v1" + rest; }

  Resp Notes(int role, const std::string& query = "") { return As(role, "GET", V1("/notifications" + query)); }

  // Every text cell of every table of the test's database, for "nothing names them" scans.
  void ForEachCell(const std::function<void(const std::string& table, const std::string& cell)>& fn) {
    if (GetParam() == Backend::kSqlite) {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open_v2(url_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
      std::vector<std::string> tables;
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1, &st, nullptr);
      while (sqlite3_step(st) == SQLITE_ROW)
        tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
      sqlite3_finalize(st);
      for (const auto& t : tables) {
        sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
          for (int i = 0; i < sqlite3_column_count(st); ++i)
            if (const unsigned char* v = sqlite3_column_text(st, i)) fn(t, reinterpret_cast<const char*>(v));
        sqlite3_finalize(st);
      }
      sqlite3_close(db);
      return;
    }
    pqxx::connection c(base_url_);
    pqxx::nontransaction w(c);
    auto tables = w.exec("SELECT table_name FROM information_schema.tables WHERE table_schema = " + w.quote(schema_));
    for (const auto& row : tables) {
      std::string t = row[0].as<std::string>();
      auto rows = w.exec("SELECT * FROM " + schema_ + "." + w.quote_name(t));
      for (const auto& r : rows)
        for (const auto& f : r)
          if (!f.is_null()) fn(t, f.c_str());
    }
  }
};

TEST_P(SelfApi, AuditEntriesNotifyTheUsersConcerned) {
  // An officer invites a1 into a coalition: a1's member hears of it, the officer does not.
  CoalitionId co = MakeCoalition();
  Resp r = As(kOfficer, "POST", V1("/coalitions/" + Str(co) + "/invite"), {{"actor", a1_.value()}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Notes(kMember);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["items"].size(), 1u) << r.body;
  EXPECT_EQ(r.json["items"][0]["kind"], "invitation");
  EXPECT_EQ(r.json["items"][0]["link"], "/coalitions/" + Str(co));
  EXPECT_NE(r.json["items"][0]["title"].get<std::string>().find("Eenzaamheid in Zuilen"), std::string::npos);
  EXPECT_EQ(r.json["unread"], 1);
  EXPECT_EQ(Notes(kOfficer).json["items"].size(), 0u) << "the acting user is not notified of their own act";
  EXPECT_EQ(Notes(kResident).json["items"].size(), 0u);

  // The member accepts; a proposal of the coalition gets a comment from the resident: the member
  // (coalition) and the admin (author of the version) hear of it, the resident does not.
  ASSERT_EQ(As(kMember, "POST", V1("/coalitions/" + Str(co) + "/accept"), {{"actor", a1_.value()}}).status, 200);
  domain::ProposalVersion v;
  v.title = "Buurtkamers in Zuilen";
  v.plan = "Elke week een open buurtkamer.";
  v.budget_eur = 25000;
  ProposalId prop = Must(platform_->CreateProposal(Root(), co, v)).id;
  r = As(kResident, "POST", V1("/proposals/" + Str(prop) + "/comments"), {{"text", "Ook op zaterdag?"}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = Notes(kMember);
  ASSERT_EQ(r.json["items"].size(), 2u) << r.body;
  EXPECT_EQ(r.json["items"][0]["kind"], "comment") << "newest first";
  EXPECT_EQ(r.json["items"][0]["link"], "/proposals/" + Str(prop));
  EXPECT_EQ(Notes(kAdmin).json["items"].size(), 1u);
  EXPECT_EQ(Notes(kResident).json["items"].size(), 0u);

  // A phase change of c1 reaches everyone with a role in m1, not the officers of m2.
  ASSERT_EQ(As(kOfficer, "POST", V1("/challenges/" + Str(c1_) + "/phase"), {{"phase", "matching"}}).status, 200);
  r = Notes(kResident);
  ASSERT_EQ(r.json["items"].size(), 1u) << r.body;
  EXPECT_EQ(r.json["items"][0]["kind"], "phase");
  EXPECT_EQ(Notes(kOtherOfficer).json["items"].size(), 0u);
  EXPECT_EQ(Notes(kMember).json["items"].size(), 2u) << "a1's member has no role in m1 itself";

  // Paging, unread first: mark the newest read; it drops behind the older unread one.
  r = Notes(kMember, "?limit=1");
  ASSERT_EQ(r.json["items"].size(), 1u);
  int64_t newest = r.json["items"][0]["id"];
  r = As(kMember, "POST", V1("/notifications/read"), {{"ids", {newest}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["changed"], 1);
  r = Notes(kMember);
  EXPECT_EQ(r.json["unread"], 1);
  EXPECT_EQ(r.json["items"][0]["kind"], "invitation");
  EXPECT_EQ(r.json["items"][1]["id"], newest);
  EXPECT_EQ(r.json["items"][1]["read"], true);
  EXPECT_EQ(Notes(kMember, "?limit=1&offset=1").json["items"][0]["id"], newest);
  // Another user's notification ids change nothing; "all" marks the rest.
  int64_t admins = Notes(kAdmin).json["items"][0]["id"];
  EXPECT_EQ(As(kMember, "POST", V1("/notifications/read"), {{"ids", {admins}}}).json["changed"], 0);
  EXPECT_EQ(Notes(kAdmin).json["unread"], 1);
  EXPECT_EQ(As(kMember, "POST", V1("/notifications/read"), {{"all", true}}).json["changed"], 1);
  EXPECT_EQ(Notes(kMember).json["unread"], 0);
  // Bad requests name the field.
  r = As(kMember, "POST", V1("/notifications/read"), Json::object());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json["field"], "read.ids");
  EXPECT_EQ(Notes(kMember, "?limit=0").status, 400);
  EXPECT_EQ(Notes(kAnon).status, 401);
}

TEST_P(SelfApi, DailyDigestOneMessagePerUserOnceEvenWhenRunTwice) {
  CoalitionId co = MakeCoalition();
  ASSERT_EQ(As(kOfficer, "POST", V1("/coalitions/" + Str(co) + "/invite"), {{"actor", a1_.value()}}).status, 200);
  ASSERT_EQ(As(kOfficer, "POST", V1("/challenges/" + Str(c1_) + "/phase"), {{"phase", "matching"}}).status, 200);
  ASSERT_EQ(As(kOfficer, "POST", V1("/challenges/" + Str(c1_) + "/phase"), {{"phase", "forming"}}).status, 200);
  // The resident opts out; the admin reads English.
  Resp r = As(kResident, "PATCH", V1("/me/settings"), {{"digest", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["digest"], false);
  EXPECT_EQ(As(kResident, "GET", V1("/me/settings")).json["digest"], false);
  EXPECT_EQ(As(kAdmin, "PATCH", V1("/me/settings"), {{"language", "en"}}).status, 200);
  r = As(kAdmin, "PATCH", V1("/me/settings"), {{"language", "fr"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json["field"], "settings.language") << r.body;
  // An officer grants a fresh user a role: the fresh user hears of it.
  UserId fresh = AddUser(FreshEmail(), {});
  ASSERT_EQ(As(kOfficer, "POST", V1("/users/" + Str(fresh) + "/grants"),
               {{"role", "resident"}, {"municipality", m1_.value()}})
                .status,
            201);

  testkit::SmtpSink sink;
  service::SmtpOptions so;
  so.port = sink.port();
  so.from = "noreply@weefsel.test";
  service::SmtpSender sender(so);
  // The real SMTP sender (to a sink) and a clock at the morning after, for the outbox.
  ManualClock morning(*ParseTimestamp("2026-11-19T06:00:00Z"));
  const Env env = Env::Default().WithMail(sender).WithClock(morning);
  service::DigestOptions opts;
  opts.day = "2026-11-18";  // the test clock's day
  service::DigestRunReport first, second, other_day;
  auto run = [&](service::DigestRunReport& into, const std::string& day) {
    opts.day = day;
    ASSERT_TRUE(service::testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
                  WEEFSEL_ASSIGN_OR_RETURN(into, service::SendDailyDigests(s, env, opts));
                  return Status::Ok();
                }).ok());
  };
  run(first, "2026-11-18");
  // member: invitation + 0 phases (no role in m1); officer: nothing (own acts); resident: opted out;
  // fresh user: role + nothing else (the phases came before the grant).
  std::map<std::string, std::string> bodies;
  for (const auto& m : sink.received()) bodies[m.to] = testkit::BodyOf(m.data);
  EXPECT_EQ(first.sent, static_cast<int64_t>(bodies.size()));
  EXPECT_EQ(first.opted_out, 1);
  EXPECT_EQ(first.failed, 0);
  EXPECT_EQ(bodies.count("<resident@test.nl>"), 0u) << "opted out";
  EXPECT_EQ(bodies.count("<officer@test.nl>"), 0u);
  ASSERT_EQ(bodies.count("<member@test.nl>"), 1u);
  EXPECT_NE(bodies["<member@test.nl>"].find("Uitnodiging voor een coalitie"), std::string::npos)
      << bodies["<member@test.nl>"];
  EXPECT_EQ(first.sent, 2) << "member and the fresh user";

  run(second, "2026-11-18");
  EXPECT_EQ(second.sent, 0);
  EXPECT_EQ(second.already_sent, first.sent);
  EXPECT_EQ(sink.received().size(), static_cast<size_t>(first.sent)) << "nothing is sent twice";
  run(other_day, "2026-11-17");
  EXPECT_EQ(other_day.sent + other_day.already_sent + other_day.opted_out, 0);
}

TEST_P(SelfApi, RepliesResultsAndRefusedDigestsAreRetried) {
  // A reply reaches the parent comment's author; a published round reaches everyone with a role.
  ProposalId prop = MakeProposal();
  auto resident = Must(platform_->PrincipalOf(users_[kResident]));
  auto officer = Must(platform_->PrincipalOf(users_[kOfficer]));
  auto top = Must(platform_->AddComment(resident, prop, "Ook op zaterdag?"));
  ASSERT_TRUE(platform_->AddComment(officer, prop, "Ja, dat kan.", top.id).ok());
  Resp r = Notes(kResident);
  ASSERT_EQ(r.json["items"].size(), 1u) << r.body;
  EXPECT_EQ(r.json["items"][0]["kind"], "comment");
  RoundId round = MakeRound(domain::RoundPhase::kVoting);
  ASSERT_TRUE(platform_->SetRoundPhase(officer, round, domain::RoundPhase::kAllocation).ok());
  ASSERT_TRUE(platform_->SetRoundPhase(officer, round, domain::RoundPhase::kPublished).ok());
  r = Notes(kResident, "?limit=1");
  EXPECT_EQ(r.json["items"][0]["kind"], "result") << r.body;
  EXPECT_EQ(r.json["items"][0]["link"], "/rounds/" + Str(round));

  // The relay refuses the resident: failed in the outbox, retried (and sent) by the next run.
  testkit::SmtpSink sink;
  sink.refuse_rcpt = "resident@test.nl";
  service::SmtpOptions so;
  so.port = sink.port();
  service::SmtpSender sender(so);
  // The real SMTP sender (to a sink) and a clock at the morning after, for the outbox.
  ManualClock morning(*ParseTimestamp("2026-11-19T06:00:00Z"));
  const Env env = Env::Default().WithMail(sender).WithClock(morning);
  service::DigestOptions opts;
  opts.day = "2026-11-18";
  auto run = [&] {
    service::DigestRunReport out;
    EXPECT_TRUE(service::testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
                  WEEFSEL_ASSIGN_OR_RETURN(out, service::SendDailyDigests(s, env, opts));
                  return Status::Ok();
                }).ok());
    return out;
  };
  service::DigestRunReport first = run();
  EXPECT_EQ(first.failed, 1);
  ASSERT_EQ(first.errors.size(), 1u);
  EXPECT_NE(first.errors[0].find("550"), std::string::npos) << first.errors[0];
  sink.refuse_rcpt.clear();
  service::DigestRunReport second = run();
  EXPECT_EQ(second.sent, 1) << "only the failed one is retried";
  EXPECT_EQ(second.already_sent, first.sent);
  EXPECT_EQ(second.failed, 0);
}

TEST_P(SelfApi, DataDownloadAndDeletionKeepTheRoundsResult) {
  // A resident with a distinctive name votes, supports, comments, and signs in with a session.
  const std::string email = "zeldzaam.qx@voorbeeld.nl", name = "Qxandra Zeldzaam";
  domain::User u;
  u.email = email;
  u.display_name = name;
  UserId me = Must(platform_->CreateUser(Root(), u, kPassword, {{UserId(), domain::Role::kResident, m1_, {}}})).id;
  std::string token = Must(platform_->CreateToken({me, email, name, {}}, "mine"));
  RoundId round = MakeRound(domain::RoundPhase::kVoting);
  auto voter = [&](UserId id) { return Must(platform_->PrincipalOf(id)); };
  ASSERT_TRUE(platform_->CastBallot(voter(me), round, {{"p1", 1}, {"p2", 1}}).ok());
  ASSERT_TRUE(platform_->CastBallot(voter(users_[kResident]), round, {{"p2", 1}}).ok());
  UserId third = AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}});
  ASSERT_TRUE(platform_->CastBallot(voter(third), round, {{"p1", 1}, {"p3", 1}}).ok());
  ProposalId prop = MakeProposal();
  ASSERT_TRUE(platform_->Support(voter(me), prop).ok());
  auto comment = Must(platform_->AddComment(voter(me), prop, "Goed plan, doe ook de zaterdag."));
  // A report the resident made on someone else's comment is their data too.
  auto other = Must(platform_->AddComment(voter(third), prop, "Onzin."));
  Resp reported = Send("POST", V1("/reports"), {{"target", "comment"}, {"id", other.id}, {"reason", "Grof"}}, token);
  ASSERT_EQ(reported.status, 201) << reported.body;
  ASSERT_EQ(As(kOfficer, "POST", V1("/rounds/" + Str(round) + "/phase"), {{"phase", "allocation"}}).status, 200);
  Resp before = As(kOfficer, "GET", V1("/rounds/" + Str(round) + "/results"));
  ASSERT_EQ(before.status, 200) << before.body;

  // The download names everything.
  Resp data = Send("GET", V1("/me/data"), nullptr, token);
  ASSERT_EQ(data.status, 200) << data.body;
  EXPECT_NE(data.Header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(data.json["account"]["email"], email);
  EXPECT_EQ(data.json["account"].count("password_hash"), 0u);
  EXPECT_EQ(data.json["roles"].size(), 1u);
  EXPECT_EQ(data.json["ballots"].size(), 1u);
  EXPECT_EQ(data.json["ballots"][0]["entries"].size(), 2u);
  EXPECT_EQ(data.json["supports"][0]["proposal"], prop.value());
  EXPECT_EQ(data.json["comments"][0]["text"], "Goed plan, doe ook de zaterdag.");
  EXPECT_EQ(data.json["api_tokens"].size(), 1u);
  ASSERT_EQ(data.json["reports"].size(), 1u) << data.body;
  EXPECT_EQ(data.json["reports"][0]["target_id"], other.id);
  EXPECT_EQ(data.json["reports"][0]["reason"], "Grof");
  EXPECT_EQ(data.json["reports"][0]["status"], "open");
  EXPECT_TRUE(data.json["block"].is_null());
  EXPECT_EQ(data.body.find("argon2"), std::string::npos) << "no password hash";

  // Deletion: needs the session's CSRF token and the right password.
  Resp login = Send("POST", V1("/auth/login"), {{"email", email}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie = login.Header("Set-Cookie").substr(0, login.Header("Set-Cookie").find(';'));
  std::string csrf = login.json["csrf_token"];
  Resp r = Send("DELETE", V1("/me"), {{"password", kPassword}}, "", {{"Cookie", cookie}});
  EXPECT_EQ(r.status, 403) << "no CSRF token: " << r.body;
  r = Send("DELETE", V1("/me"), {{"password", "wrong password"}}, "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.json["field"], "password");
  r = Send("DELETE", V1("/me"), Json::object(), "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(r.status, 400) << r.body;
  ASSERT_EQ(Send("GET", V1("/auth/me"), nullptr, token).status, 200) << "still there after refusals";
  r = Send("DELETE", V1("/me"), {{"password", kPassword}}, "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_EQ(r.status, 204) << r.body;

  // Sessions and tokens are gone; the result is unchanged; the comment stays without its author.
  EXPECT_EQ(Send("GET", V1("/auth/me"), nullptr, token).status, 401);
  EXPECT_EQ(Send("GET", V1("/auth/me"), nullptr, "", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(Send("POST", V1("/auth/login"), {{"email", email}, {"password", kPassword}}).status, 401);
  Resp after = As(kOfficer, "GET", V1("/rounds/" + Str(round) + "/results"));
  ASSERT_EQ(after.status, 200) << after.body;
  // The erasure is a write to every scope, so the result is recomputed (a newer as_of); its content
  // is the same.
  EXPECT_GT(after.json["as_of"].get<int64_t>(), before.json["as_of"].get<int64_t>());
  for (auto* j : {&after.json, &before.json}) {
    j->erase("as_of");
    j->erase("stale");
  }
  EXPECT_EQ(after.json, before.json) << "the round's result is unchanged";
  size_t counted = 0;
  ASSERT_TRUE(service::testing::WithStore(*platform_, [&](storage::Store& s) -> Status {
                WEEFSEL_ASSIGN_OR_RETURN(auto b, s.BallotsOf(round));
                counted = b.size();
                return Status::Ok();
              }).ok());
  EXPECT_EQ(counted, 3u) << "the ballots stay counted";
  Resp comments = Send("GET", V1("/proposals/" + Str(prop) + "/comments"));
  ASSERT_EQ(comments.status, 200);
  bool found = false;
  for (const auto& c : comments.json["items"])
    if (c["id"] == comment.id) {
      found = true;
      EXPECT_EQ(c["author_name"], "removed user");
      EXPECT_TRUE(c["author"].is_null());
    }
  EXPECT_TRUE(found) << comments.body;
  EXPECT_EQ(Must(platform_->GetProposal(prop)).supports, 1) << "the support count stays";

  // Nothing stored names them: no cell of any table holds their e-mail address or name.
  int cells = 0;
  ForEachCell([&](const std::string& table, const std::string& cell) {
    ++cells;
    EXPECT_EQ(cell.find(email), std::string::npos) << table << ": " << cell;
    EXPECT_EQ(cell.find("Qxandra"), std::string::npos) << table << ": " << cell;
    EXPECT_EQ(cell.find("zeldzaam"), std::string::npos) << table << ": " << cell;
  });
  EXPECT_GT(cells, 100);
}

TEST_P(SelfApi, OpenDataFromTheApiIsTheExportWithoutPersonalData) {
  // A resident with a distinctive name comments with contact details in the text and votes in a
  // round that closes.
  domain::User u;
  u.email = "qwerty.naamloos@voorbeeld.nl";
  u.display_name = "Qwerty Naamloos";
  UserId who = Must(platform_->CreateUser(Root(), u, kPassword, {{UserId(), domain::Role::kResident, m1_, {}}})).id;
  auto me = Must(platform_->PrincipalOf(who));
  ProposalId prop = MakeProposal();
  ASSERT_TRUE(platform_->AddComment(me, prop, "Mail mij op qwerty.naamloos@voorbeeld.nl of bel 06-12345678").ok());
  RoundId round = MakeRound(domain::RoundPhase::kVoting);
  ASSERT_TRUE(platform_->CastBallot(me, round, {{"p1", 1}}).ok());
  ASSERT_TRUE(platform_->SetRoundPhase(Root(), round, domain::RoundPhase::kAllocation).ok());

  Resp pkg = Send("GET", V1("/open-data"));
  ASSERT_EQ(pkg.status, 200) << pkg.body;
  ASSERT_TRUE(pkg.json["resources"].is_array());
  ASSERT_GT(pkg.json["resources"].size(), 5u);
  std::string all = pkg.body;
  std::set<std::string> paths;
  for (const auto& res : pkg.json["resources"]) {
    std::string url = res["url"];
    Resp f = Send("GET", url);
    ASSERT_EQ(f.status, 200) << url << ": " << f.body;
    paths.insert(res["path"]);
    all += f.body;
  }
  EXPECT_TRUE(paths.count("actors.csv")) << pkg.body;
  bool has_pb = false;
  for (const auto& p : paths) has_pb = has_pb || p.ends_with(".pb");
  EXPECT_TRUE(has_pb) << "the closed round is exported as .pb";
  // No e-mail address of any account, no resident's name, no phone number, no password hash.
  for (const char* email : {"qwerty.naamloos@voorbeeld.nl", "resident@test.nl", "member@test.nl", "officer@test.nl",
                            "admin@test.nl", "other@test.nl"})
    EXPECT_EQ(all.find(email), std::string::npos) << email;
  EXPECT_EQ(all.find("Qwerty"), std::string::npos);
  EXPECT_EQ(all.find("06-12345678"), std::string::npos);
  EXPECT_EQ(all.find("argon2"), std::string::npos);
  EXPECT_EQ(Send("GET", V1("/open-data/file?path=../../etc/passwd")).status, 404);
  EXPECT_EQ(Send("GET", V1("/open-data/file?path=%27%3B%20DROP")).json.value("field", ""), "path");
  EXPECT_EQ(Send("GET", V1("/open-data/file")).status, 400);

  // Cached per data version: a change shows at once.
  Resp before = Send("GET", V1("/open-data/file?path=actors.csv"));
  EXPECT_EQ(before.body.find("Nieuw Buurtinitiatief"), std::string::npos);
  AddActor("Nieuw Buurtinitiatief", m1_);
  Resp after = Send("GET", V1("/open-data/file?path=actors.csv"));
  EXPECT_NE(after.body.find("Nieuw Buurtinitiatief"), std::string::npos);
}

TEST_P(SelfApi, FabricSnapshotsMonthlyAndOnDemandWithStability) {
  domain::Tie t;
  t.a = a1_;
  t.b = a2_;
  t.from = "2026-01-01";
  ASSERT_TRUE(platform_->CreateTie(Root(), t).ok());
  const std::string path = V1("/municipalities/" + Str(m1_) + "/fabric/snapshots");
  Resp r = Send("GET", path);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["items"].size(), 1u) << "this month's snapshot is taken when due";
  EXPECT_EQ(r.json["items"][0]["trigger"], "monthly");
  EXPECT_EQ(r.json["items"][0]["period"], "2026-11");
  EXPECT_EQ(r.json["items"][0]["health"]["actors"], 2);
  EXPECT_EQ(r.json["items"][0]["health"]["ties"], 1);
  EXPECT_TRUE(r.json["items"][0]["stability"].is_null());
  EXPECT_FALSE(r.json["items"][0]["typology"]["groups"].empty());
  EXPECT_EQ(Send("GET", path).json["items"].size(), 1u) << "not twice in a month";

  EXPECT_EQ(As(kResident, "POST", path).status, 403);
  EXPECT_EQ(As(kOtherOfficer, "POST", path).status, 403);
  r = As(kOfficer, "POST", path);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["trigger"], "on_demand");
  r = Send("GET", path);
  ASSERT_EQ(r.json["items"].size(), 2u);
  EXPECT_EQ(r.json["items"][1]["stability"]["common_actors"], 2);

  // A month later the server takes the next monthly snapshot on its own.
  clock_.Advance(std::chrono::hours(24 * 20));
  r = Send("GET", path);
  ASSERT_EQ(r.json["items"].size(), 3u) << r.body;
  EXPECT_EQ(r.json["items"][2]["period"], "2026-12");
  EXPECT_EQ(r.json["items"][2]["trigger"], "monthly");
  EXPECT_EQ(Send("GET", V1("/municipalities/999/fabric/snapshots")).status, 404);
}

TEST_P(SelfApi, CoalitionTiesAreThoseBetweenMembersSinceItFormed) {
  domain::Coalition c;
  c.challenge = c1_;
  c.members = {{a1_, "lead", {}, {}}, {a2_, "member", {}, {}}, {a3_, "member", {}, {}}};
  CoalitionId co = Must(platform_->ProposeCoalition(Root(), c)).id;
  for (ActorId a : {a1_, a2_}) {
    ASSERT_TRUE(platform_->Invite(Root(), co, a).ok());
    ASSERT_TRUE(platform_->Accept(Root(), co, a).ok());
  }
  auto tie = [&](ActorId a, ActorId b, const std::string& from) {
    domain::Tie t;
    t.a = a;
    t.b = b;
    t.from = from;
    t.note = "privé";
    return Must(platform_->CreateTie(Root(), t)).id;
  };
  tie(a1_, a2_, "2020-03-01");                // before the coalition
  TieId added = tie(a1_, a2_, "2026-11-18");  // since
  tie(a1_, a3_, "2026-11-18");                // a3 did not accept
  Resp r = Send("GET", V1("/coalitions/" + Str(co) + "/ties"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["since"], "2026-11-18");
  ASSERT_EQ(r.json["ties"].size(), 1u) << r.body;
  EXPECT_EQ(r.json["ties"][0]["id"], added.value());
  EXPECT_FALSE(r.json["ties"][0].contains("note"));
  EXPECT_EQ(Send("GET", V1("/coalitions/999999/ties")).status, 404);
}

// docs/privacy.md: a session slides with use (8 hours without use ends it) and ends at the latest
// 7 days after sign-in; the retention sweep removes it from the store.
TEST_P(SelfApi, SessionsSlideWithUseAndEndAtTheirMaximumAge) {
  Resp login = Send("POST", "/api/v1/auth/login", {{"email", "resident@test.nl"}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string set = login.Header("Set-Cookie");
  httplib::Headers cookie = {{"Cookie", set.substr(0, set.find(';'))}};
  // Used every 7 hours, it lives on past its first 8 hours ...
  for (int i = 0; i < 23; ++i) {
    clock_.Advance(std::chrono::hours(7));
    ASSERT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", cookie).status, 200) << "after " << 7 * (i + 1) << " h";
  }
  // ... but not past 7 days (161 h now; the next use is at 168 h).
  clock_.Advance(std::chrono::hours(7));
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", cookie).status, 401);
  // A session left alone for 8 hours ends; the sweep removes it.
  Resp again = Send("POST", "/api/v1/auth/login", {{"email", "resident@test.nl"}, {"password", kPassword}});
  ASSERT_EQ(again.status, 200);
  clock_.Advance(std::chrono::hours(9));
  auto swept = platform_->ApplyRetention();
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_GE(swept->sessions, 1);
  set = again.Header("Set-Cookie");
  EXPECT_EQ(Send("GET", "/api/v1/auth/me", nullptr, "", {{"Cookie", set.substr(0, set.find(';'))}}).status, 401);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SelfApi, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, SelfApi, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
