// The unit of work on its own (service/core/context.h): Logged keeps a write and its audit entry
// together, in one transaction, over an in-memory SQLite store.
#include "service/core/context.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "base/clock.h"
#include "base/mem_env.h"
#include "service/core/testing.h"
#include "storage/store.h"

namespace weefsel::service::core {
namespace {

class ContextTest : public ::testing::Test {
 protected:
  ManualClock clock_{std::chrono::system_clock::from_time_t(1795000000)};  // 2026-11-18
  Context context_{testing::OpenMemoryStore(), PlatformOptions{}, clock_};
  Principal admin_{UserId(7), "", "admin", {{UserId(7), domain::Role::kPlatformAdmin, {}, {}}}};
};

TEST_F(ContextTest, LoggedWritesTheEntityAndItsAuditEntryWithTheNewId) {
  domain::Municipality m = testing::Utrecht();
  Context::WriteLock lock(context_);
  Status s = context_.Logged(
      admin_, MunicipalityId(), "municipality", "create", "", [&] { return context_.store_->Insert(m).status(); },
      [&] { return std::make_pair(m.id.value(), std::string(R"({"name":"Utrecht"})")); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(m.id.valid());
  auto log = context_.store_->AuditOf("municipality", m.id.value());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->size(), 1u);
  const storage::AuditEntry& e = log->front();
  EXPECT_EQ(e.user, admin_.user);
  EXPECT_EQ(e.municipality, m.id) << "a new municipality's entry belongs to the new municipality";
  EXPECT_EQ(e.action, "create");
  EXPECT_EQ(e.before, "");
  EXPECT_EQ(e.after, R"({"name":"Utrecht"})");
  EXPECT_EQ(e.at, context_.Now());
}

TEST_F(ContextTest, AFailedWriteLeavesNeitherTheEntityNorAnAuditEntry) {
  domain::Municipality m = testing::Utrecht();
  Context::WriteLock lock(context_);
  Status s = context_.Logged(
      admin_, MunicipalityId(), "municipality", "create", "",
      [&]() -> Status {
        WEEFSEL_RETURN_IF_ERROR(context_.store_->Insert(m).status());
        return Status::Conflict("test: refused after the insert");
      },
      [&] { return std::make_pair(m.id.value(), std::string()); });
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
  auto all = context_.store_->ListMunicipalities();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(all->empty());
  auto log = context_.store_->AuditOf("municipality", m.id.value());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_TRUE(log->empty());
}

// A Platform built on a MemEnv (base/mem_env.h) dates what it logs by that Env's clock: a test
// sets the time instead of reading it.
TEST(PlatformEnvTest, APlatformOnAMemEnvDatesItsAuditLogByTheSettableClock) {
  MemEnv mem(*ParseTimestamp("2026-11-18T08:00:00Z"));
  Platform platform(testing::OpenMemoryStore(), testing::FastOptions(), mem.env());
  EXPECT_EQ(&platform.env().clock(), &mem.clock());
  EXPECT_EQ(&platform.clock(), &mem.clock());
  const Principal admin = testing::PlatformAdmin();
  auto m = platform.CreateMunicipality(admin, testing::Utrecht());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  mem.clock().Advance(std::chrono::minutes(90));
  domain::Actor a;
  a.name = "Buurtkracht";
  a.kind = domain::ActorKind::kCitizensInitiative;
  a.municipality = m->id;
  auto made = platform.CreateActor(admin, a);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::vector<std::string> at;
  ASSERT_TRUE(testing::WithStore(platform, [&](storage::Store& s) -> Status {
                for (auto [entity, id] :
                     {std::pair<std::string, int64_t>{"municipality", m->id.value()}, {"actor", made->id.value()}}) {
                  WEEFSEL_ASSIGN_OR_RETURN(auto log, s.AuditOf(entity, id));
                  for (const auto& e : log) at.push_back(e.at);
                }
                return Status::Ok();
              }).ok());
  EXPECT_EQ(at, (std::vector<std::string>{"2026-11-18T08:00:00Z", "2026-11-18T09:30:00Z"}));
}

}  // namespace
}  // namespace weefsel::service::core
