// The actors slice on its own: a core::Context over an in-memory SQLite store and the slices it
// needs (municipalities, actors, the audit log), no Platform. Rights come from the policy, every
// write leaves its audit entry, and slices on one context see each other's writes.
#include "service/actors/actors.h"

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "base/clock.h"
#include "service/audit/audit_log.h"
#include "service/core/testing.h"
#include "service/municipalities/municipalities.h"

namespace weefsel::service {
namespace {

using testing::FastOptions;
using testing::OpenMemoryStore;

class ActorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = municipalities_.CreateMunicipality(testing::PlatformAdmin(), testing::Utrecht());
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    m_ = made->id;
    officer_ = {UserId(2), "", "officer", {{UserId(2), domain::Role::kOfficer, m_, {}}}};
    resident_ = {UserId(3), "", "resident", {{UserId(3), domain::Role::kResident, m_, {}}}};
  }

  domain::Actor Actor(const std::string& name) {
    domain::Actor a;
    a.name = name;
    a.municipality = m_;
    return a;
  }

  ManualClock clock_{std::chrono::system_clock::from_time_t(1795000000)};  // 2026-11-18
  core::Context context_{OpenMemoryStore(), FastOptions(), clock_};
  Municipalities municipalities_{context_};
  Actors actors_{context_};
  AuditLog audit_{context_};
  MunicipalityId m_;
  Principal officer_, resident_;
};

TEST_F(ActorsTest, AnOfficerAddsAnActorAndTheAuditLogSaysWho) {
  auto a = actors_.CreateActor(officer_, Actor("Buurtkracht"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->source, "api");
  auto listed = actors_.ListActors({});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "Buurtkracht");
  auto log = audit_.AuditOf(officer_, "actor", a->id.value());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->front().action, "create");
  EXPECT_EQ(log->front().user, officer_.user);
  EXPECT_EQ(log->front().municipality, m_);
}

TEST_F(ActorsTest, AResidentMayNotAddAnActor) {
  auto a = actors_.CreateActor(resident_, Actor("Buurtkracht"));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kPermissionDenied) << a.status().ToString();
  EXPECT_TRUE(actors_.ListActors({})->empty());
}

TEST_F(ActorsTest, ATieJoinsTwoActorsAndAnUnknownTieIsNotFound) {
  auto a = actors_.CreateActor(officer_, Actor("Buurtkracht"));
  auto b = actors_.CreateActor(officer_, Actor("Wijkteam Noord"));
  ASSERT_TRUE(a.ok() && b.ok());
  domain::Tie t;
  t.a = a->id;
  t.b = b->id;
  auto tie = actors_.CreateTie(officer_, t);
  ASSERT_TRUE(tie.ok()) << tie.status().ToString();
  auto ties = actors_.TiesOf(b->id);
  ASSERT_TRUE(ties.ok()) << ties.status().ToString();
  ASSERT_EQ(ties->size(), 1u);
  Status gone = actors_.DeleteTie(officer_, a->id, TieId(tie->id.value() + 100));
  EXPECT_EQ(gone.code(), StatusCode::kNotFound) << gone.ToString();
  EXPECT_TRUE(actors_.DeleteTie(officer_, a->id, tie->id).ok());
  EXPECT_TRUE(actors_.TiesOf(a->id)->empty());
}

}  // namespace
}  // namespace weefsel::service
