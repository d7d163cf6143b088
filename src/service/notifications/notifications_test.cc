// The notifications slice with the world in memory (base/mem_env.h): a MemEnv's clock dates the
// audit entry and the notification a phase change makes, and the daily digest goes to its Mailbox,
// not to a mail server. A refused message stays in the outbox as failed and is sent by the next run,
// once. Over an in-memory SQLite store, with the slices it needs (no Platform).
#include "service/notifications/notifications.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/mem_env.h"
#include "service/accounts/identity.h"
#include "service/core/testing.h"
#include "service/municipalities/municipalities.h"
#include "service/rounds/rounds.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Principal root = testing::PlatformAdmin();
    auto muni = municipalities_.CreateMunicipality(root, testing::Utrecht());
    ASSERT_TRUE(muni.ok()) << muni.status().ToString();
    m_ = muni->id;
    officer_ = Make(root, "officer@test.nl", {UserId(), domain::Role::kOfficer, m_, {}});
    resident_ = Make(root, "resident@test.nl", {UserId(), domain::Role::kResident, m_, {}});
    domain::Round r;
    r.municipality = m_;
    r.name = "Buurtbudget Oost";
    r.budget_eur = 100000;
    r.projects = {{"p1", {}, "Speeltuin", 40000, "", ""}};
    auto made = rounds_.CreateRound(officer_, r);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    round_ = made->id;
  }

  Principal Make(const Principal& root, const std::string& email, domain::RoleGrant g) {
    return testing::MakeAccount(identity_, root, email, g);
  }

  DigestRunReport RunDigest(const std::string& day) {
    DigestOptions o;
    o.day = day;
    o.base_url = "https://weefsel.utrecht.example";
    core::Context::WriteLock lock(context_);
    auto report = SendDailyDigests(*context_.store_, env_.env(), o);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : DigestRunReport{};
  }

  storage::OutboxEntry Outbox(UserId user, const std::string& day) {
    core::Context::ReadLock lock(context_);
    auto e = context_.store_->GetOutbox(user, day);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? *e : storage::OutboxEntry{};
  }

  MemEnv env_{*ParseTimestamp("2026-11-18T14:30:00Z")};
  core::Context context_{testing::OpenMemoryStore(), testing::FastOptions(), env_.env()};
  Municipalities municipalities_{context_};
  Identity identity_{context_};
  Rounds rounds_{context_};
  MunicipalityId m_;
  Principal officer_, resident_;
  RoundId round_;
};

TEST_F(NotificationsTest, APhaseChangeIsDatedByTheEnvsClockAndItsDigestLandsInTheMailbox) {
  env_.clock().Advance(minutes(15));  // 14:45
  ASSERT_TRUE(rounds_.SetRoundPhase(officer_, round_, domain::RoundPhase::kReview).ok());
  {
    core::Context::ReadLock lock(context_);
    auto log = context_.store_->AuditOf("round", round_.value());
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_EQ(log->size(), 2u);  // create, phase
    EXPECT_EQ(log->front().at, "2026-11-18T14:30:00Z");
    EXPECT_EQ(log->back().at, "2026-11-18T14:45:00Z") << "the audit entry takes the settable clock's time";
    auto notes = context_.store_->NotificationsOn("2026-11-18");
    ASSERT_TRUE(notes.ok()) << notes.status().ToString();
    std::vector<std::string> at_for_resident;
    for (const auto& n : *notes)
      if (n.user == resident_.user && n.kind == "phase") at_for_resident.push_back(n.at);
    EXPECT_EQ(at_for_resident, std::vector<std::string>{"2026-11-18T14:45:00Z"});
  }
  EXPECT_TRUE(env_.mail().messages().empty()) << "nothing is mailed before the digest runs";

  env_.clock().Set(*ParseTimestamp("2026-11-19T06:00:00Z"));  // the morning run
  DigestRunReport report = RunDigest("2026-11-18");
  EXPECT_EQ(report.sent, 1) << "the resident; the officer acted and hears nothing of it";
  EXPECT_EQ(report.failed, 0);
  const std::vector<MailMessage> sent = env_.mail().messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "resident@test.nl");
  EXPECT_EQ(sent[0].to_name, "resident");
  EXPECT_EQ(sent[0].subject, "weefsel: 1 bericht van 18 november 2026");
  EXPECT_NE(sent[0].body.find("Buurtbudget Oost"), std::string::npos) << sent[0].body;
  EXPECT_NE(sent[0].body.find("https://weefsel.utrecht.example/rounds/" + std::to_string(round_.value())),
            std::string::npos)
      << sent[0].body;
  const storage::OutboxEntry out = Outbox(resident_.user, "2026-11-18");
  EXPECT_EQ(out.status, "sent");
  EXPECT_EQ(out.updated_at, "2026-11-19T06:00:00Z") << "the outbox is dated by the same clock";
  EXPECT_EQ(out.body, sent[0].body);
}

TEST_F(NotificationsTest, ARefusedDigestStaysFailedAndTheNextRunSendsItOnce) {
  ASSERT_TRUE(rounds_.SetRoundPhase(officer_, round_, domain::RoundPhase::kReview).ok());
  env_.mail().Refuse("resident@test.nl", "452 mailbox full");
  env_.clock().Set(*ParseTimestamp("2026-11-19T06:00:00Z"));
  DigestRunReport first = RunDigest("2026-11-18");
  EXPECT_EQ(first.sent, 0);
  EXPECT_EQ(first.failed, 1);
  ASSERT_EQ(first.errors.size(), 1u);
  EXPECT_NE(first.errors[0].find("452 mailbox full"), std::string::npos) << first.errors[0];
  storage::OutboxEntry out = Outbox(resident_.user, "2026-11-18");
  EXPECT_EQ(out.status, "failed");
  EXPECT_EQ(out.attempts, 1);
  EXPECT_TRUE(env_.mail().messages().empty());

  env_.mail().Accept("resident@test.nl");
  env_.clock().Advance(hours(1));
  DigestRunReport second = RunDigest("2026-11-18");
  EXPECT_EQ(second.sent, 1);
  out = Outbox(resident_.user, "2026-11-18");
  EXPECT_EQ(out.status, "sent");
  EXPECT_EQ(out.attempts, 2);
  EXPECT_EQ(out.updated_at, "2026-11-19T07:00:00Z");

  DigestRunReport third = RunDigest("2026-11-18");
  EXPECT_EQ(third.sent, 0);
  EXPECT_EQ(third.already_sent, 1);
  EXPECT_EQ(env_.mail().messages().size(), 1u) << "sent once";
  EXPECT_EQ(env_.mail().attempts(), 2) << "the third run does not try";
}

}  // namespace
}  // namespace weefsel::service
