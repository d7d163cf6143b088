#include "service/change_follower.h"
#include "storage/store.h"

#include <gtest/gtest.h>

namespace weefsel::service {
namespace {

using storage::Change;
using storage::Store;
using Clock = std::chrono::steady_clock;

Store::ChangePage Page(std::vector<Change> changes, int64_t oldest = 1) { return {std::move(changes), oldest}; }

TEST(ChangeFollower, AScopeChangesOnlyWithItsOwnWrites) {
  ChangeFollower f;
  auto t = Clock::now();
  f.Apply(0, Page({{1, "*"}}), t);
  int64_t a = f.VersionOf({"round:1"}), b = f.VersionOf({"round:2"}), any = f.Any();
  f.Apply(f.Cursor(), Page({{2, "round:1"}}), t);
  EXPECT_NE(f.VersionOf({"round:1"}), a);
  EXPECT_EQ(f.VersionOf({"round:2"}), b) << "a ballot in round 1 leaves round 2";
  EXPECT_EQ(f.VersionOf({"rounds", "round:2"}), b);
  EXPECT_NE(f.VersionOf({"rounds", "round:1"}), a);
  EXPECT_NE(f.Any(), any);
  int64_t r1 = f.VersionOf({"round:1"});
  f.Apply(f.Cursor(), Page({}), t);
  EXPECT_EQ(f.VersionOf({"round:1"}), r1) << "nothing new, nothing changes";
  f.Apply(f.Cursor(), Page({{3, "*"}}), t);
  EXPECT_NE(f.VersionOf({"round:2"}), b) << "\"*\" changes every scope";
}

TEST(ChangeFollower, AnIdCommittedLateIsWaitedForAndThenCounts) {
  ChangeFollower f(std::chrono::seconds(5));
  auto t = Clock::now();
  f.Apply(0, Page({{1, "*"}}), t);
  // Id 2 was taken first but commits after id 3.
  f.Apply(f.Cursor(), Page({{3, "round:3"}}), t);
  EXPECT_EQ(f.gaps(), 1u);
  EXPECT_EQ(f.Cursor(), 1) << "reads again from before the gap";
  int64_t r2 = f.VersionOf({"round:2"}), r3 = f.VersionOf({"round:3"});
  f.Apply(f.Cursor(), Page({{2, "round:2"}, {3, "round:3"}}), t);
  EXPECT_EQ(f.gaps(), 0u);
  EXPECT_NE(f.VersionOf({"round:2"}), r2) << "the late write counts";
  EXPECT_EQ(f.VersionOf({"round:3"}), r3) << "id 3 is not counted twice";
  EXPECT_EQ(f.Cursor(), 3);
}

TEST(ChangeFollower, AGapThatNeverFillsIsGivenUp) {
  ChangeFollower f(std::chrono::milliseconds(100));
  auto t = Clock::now();
  f.Apply(0, Page({{1, "*"}}), t);
  f.Apply(f.Cursor(), Page({{3, "x"}}), t);  // id 2 rolled back
  EXPECT_EQ(f.Cursor(), 1);
  f.Apply(f.Cursor(), Page({{3, "x"}}), t + std::chrono::seconds(1));
  EXPECT_EQ(f.gaps(), 0u);
  EXPECT_EQ(f.Cursor(), 3);
}

TEST(ChangeFollower, FallingBehindThePruningChangesEverything) {
  ChangeFollower f;
  auto t = Clock::now();
  f.Apply(0, Page({{5, "a"}}), t);
  int64_t b = f.VersionOf({"b"});
  f.Apply(f.Cursor(), Page({{200000, "a"}}, /*oldest=*/100001), t);
  EXPECT_NE(f.VersionOf({"b"}), b) << "rows after 5 were pruned unread";
}

TEST(ChangeFollower, StartingAtTheFeedsTailWaitsForItsGaps) {
  ChangeFollower f;
  auto t = Clock::now();
  f.Apply(10, Page({{11, "a"}, {13, "b"}}), t);
  EXPECT_EQ(f.gaps(), 1u);
  int64_t c = f.VersionOf({"c"});
  f.Apply(f.Cursor(), Page({{11, "a"}, {12, "c"}, {13, "b"}}), t);
  EXPECT_NE(f.VersionOf({"c"}), c);
}

}  // namespace
}  // namespace weefsel::service
