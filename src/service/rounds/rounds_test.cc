// The rounds slice on its own: a core::Context over an in-memory SQLite store with the slices it
// needs (municipalities, identity, rounds), no Platform. Phases move one step at a time, by
// officers only; a resident votes while voting is open, and a second ballot replaces the first.
#include "service/rounds/rounds.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "base/clock.h"
#include "service/accounts/identity.h"
#include "service/core/testing.h"
#include "service/municipalities/municipalities.h"

namespace weefsel::service {
namespace {

using testing::FastOptions;
using testing::OpenMemoryStore;

class RoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Principal root = testing::PlatformAdmin();
    auto muni = municipalities_.CreateMunicipality(root, testing::Utrecht());
    ASSERT_TRUE(muni.ok()) << muni.status().ToString();
    m_ = muni->id;
    officer_ = Make(root, "officer@test.nl", {UserId(), domain::Role::kOfficer, m_, {}});
    voter_ = Make(root, "voter@test.nl", {UserId(), domain::Role::kResident, m_, {}});
    domain::Round r;
    r.municipality = m_;
    r.name = "Buurtbudget";
    r.budget_eur = 100000;
    r.projects = {{"p1", {}, "Speeltuin", 40000, "", ""}, {"p2", {}, "Moestuin", 30000, "", ""}};
    auto made = rounds_.CreateRound(officer_, r);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    round_ = made->id;
  }

  Principal Make(const Principal& root, const std::string& email, domain::RoleGrant g) {
    return testing::MakeAccount(identity_, root, email, g);
  }

  ManualClock clock_{std::chrono::system_clock::from_time_t(1795000000)};  // 2026-11-18
  core::Context context_{OpenMemoryStore(), FastOptions(), clock_};
  Municipalities municipalities_{context_};
  Identity identity_{context_};
  Rounds rounds_{context_};
  MunicipalityId m_;
  Principal officer_, voter_;
  RoundId round_;
};

TEST_F(RoundsTest, PhasesMoveOneStepAndASecondBallotReplacesTheFirst) {
  auto early = rounds_.CastBallot(voter_, round_, {{"p1", 1}});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), StatusCode::kConflict) << early.status().ToString();
  EXPECT_EQ(early.status().reason(), "voting_not_open");

  auto jump = rounds_.SetRoundPhase(officer_, round_, domain::RoundPhase::kPublished);
  ASSERT_FALSE(jump.ok());
  EXPECT_EQ(jump.status().code(), StatusCode::kConflict) << jump.status().ToString();
  EXPECT_EQ(jump.status().reason(), "phase_move_not_allowed");

  for (auto phase : {domain::RoundPhase::kReview, domain::RoundPhase::kVoting}) {
    auto moved = rounds_.SetRoundPhase(officer_, round_, phase);
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    EXPECT_EQ(moved->phase, phase);
  }
  ASSERT_TRUE(rounds_.CastBallot(voter_, round_, {{"p1", 1}}).ok());
  auto second = rounds_.CastBallot(voter_, round_, {{"p2", 1}});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto own = rounds_.OwnBallot(voter_, round_);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  ASSERT_EQ(own->entries.size(), 1u);
  EXPECT_EQ(own->entries.front().project_id, "p2");
}

// A cast checks the round it keeps in memory (or reads) before any lock, and the write checks the
// phase and the voter again: a round closed by another server (here a second Rounds slice, whose
// phase change this one does not hear of) or a voter voided meanwhile is refused with its reason,
// and nothing is written.
TEST_F(RoundsTest, ACastAfterTheRoundClosedElsewhereOrTheVoterWasVoidedWritesNothing) {
  for (auto phase : {domain::RoundPhase::kReview, domain::RoundPhase::kVoting})
    ASSERT_TRUE(rounds_.SetRoundPhase(officer_, round_, phase).ok());
  ASSERT_TRUE(rounds_.CastBallot(voter_, round_, {{"p1", 1}}).ok());  // the round is kept from here

  Principal other_voter = Make(testing::PlatformAdmin(), "other@test.nl", {UserId(), domain::Role::kResident, m_, {}});
  ASSERT_TRUE(context_.store_->VoidBallots(round_, {other_voter.user}).ok());
  auto voided = rounds_.CastBallot(other_voter, round_, {{"p2", 1}});
  ASSERT_FALSE(voided.ok());
  EXPECT_EQ(voided.status().reason(), "ballot_voided") << voided.status().ToString();

  Rounds elsewhere{context_};
  ASSERT_TRUE(elsewhere.SetRoundPhase(officer_, round_, domain::RoundPhase::kAllocation).ok());
  auto late = rounds_.CastBallot(voter_, round_, {{"p2", 1}});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kConflict) << late.status().ToString();
  EXPECT_EQ(late.status().reason(), "voting_closed");
  auto ballots = context_.store_->BallotsOf(round_);
  ASSERT_TRUE(ballots.ok());
  ASSERT_EQ(ballots->size(), 1u);
  EXPECT_EQ(ballots->front().entries.front().project_id, "p1") << "the late cast left the ballot as it was";
}

TEST_F(RoundsTest, AResidentMayNotMoveARoundsPhase) {
  auto moved = rounds_.SetRoundPhase(voter_, round_, domain::RoundPhase::kReview);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.status().code(), StatusCode::kPermissionDenied) << moved.status().ToString();
  auto r = rounds_.GetRound(round_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->phase, domain::RoundPhase::kSubmission);
}

}  // namespace
}  // namespace weefsel::service
