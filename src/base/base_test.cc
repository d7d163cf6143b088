#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <limits>
#include <memory>
#include <thread>

#include "base/clock.h"
#include "base/ids.h"
#include "base/periodic.h"
#include "base/process_memory.h"
#include "base/shared_mutex.h"
#include "base/status.h"

namespace weefsel {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("x: " + std::to_string(x) + " is odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  WEEFSEL_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, CodesMapOntoHttp) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(StatusTest, ResultPropagates) {
  EXPECT_EQ(Quarter(8).value(), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().ToString(), "invalid argument: x: 3 is odd");
  EXPECT_EQ(r.status().WithContext("file.csv line 2").message(), "file.csv line 2: x: 3 is odd");
}

TEST(StatusTest, ReasonTravelsWithCopiesAndContext) {
  Status plain = Status::Conflict("phase: no");
  EXPECT_EQ(plain.reason(), "");
  EXPECT_TRUE(plain.reason_params().empty());
  Status s = plain.WithReason("phase_move_not_allowed", {{"from", "voting"}, {"to", "draft"}});
  EXPECT_EQ(plain.reason(), "");  // the original is untouched
  Status copy = s.WithContext("round 3");
  EXPECT_EQ(copy.message(), "round 3: phase: no");
  EXPECT_EQ(copy.reason(), "phase_move_not_allowed");
  ASSERT_EQ(copy.reason_params().size(), 2U);
  EXPECT_EQ(copy.reason_params()[1].second, "draft");
  Status missing = Status::NotFoundOf("challenge", 99999);
  EXPECT_EQ(missing.message(), "challenge 99999 does not exist");
  EXPECT_EQ(missing.reason(), "not_found");
  EXPECT_EQ(missing.reason_params(), (ReasonParams{{"what", "challenge"}, {"id", "99999"}}));
}

TEST(IdTest, StrongIdsCompare) {
  ActorId a(3), b(4);
  EXPECT_LT(a, b);
  EXPECT_FALSE(ActorId().valid());
  EXPECT_TRUE(a.valid());
}

TEST(RngTest, SameSeedSameSequence) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
  EXPECT_NE(Rng(42).Next(), c.Next());
}

TEST(RngTest, UniformStaysInRangeAndCoversIt) {
  Rng r(7);
  std::vector<int> seen(6, 0);
  for (int i = 0; i < 6000; ++i) {
    int64_t x = r.Uniform(1, 6);
    ASSERT_GE(x, 1);
    ASSERT_LE(x, 6);
    seen[x - 1]++;
  }
  for (int s : seen) EXPECT_GT(s, 800);
}

TEST(RngTest, WeightedNeverPicksZeroWeight) {
  Rng r(1);
  for (int i = 0; i < 1000; ++i) EXPECT_NE(r.Weighted({1.0, 0.0, 2.0}), 1u);
}

TEST(ClockTest, FormatsUtc) {
  TimePoint t = std::chrono::system_clock::from_time_t(0) + std::chrono::hours(24 * 365);
  EXPECT_EQ(FormatTimestamp(t), "1971-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(t), "1971-01-01");
  ManualClock c(t);
  c.Advance(std::chrono::seconds(61));
  EXPECT_EQ(FormatTimestamp(c.Now()), "1971-01-01T00:01:01Z");
}

}  // namespace
}  // namespace weefsel

#include "base/strings.h"

namespace weefsel {
namespace {

TEST(StringsTest, FoldCaseFoldsDutchDiacritics) {
  EXPECT_EQ(FoldCase("Energiecoöperatie"), "energiecooperatie");
  EXPECT_EQ(FoldCase("ÉÉN café"), "een cafe");
  EXPECT_EQ(FoldCase("Straße"), "strasse");
  EXPECT_EQ(FoldCase("Łódź"), "lodz");
}

TEST(StringsTest, StrictNumbers) {
  EXPECT_EQ(ParseInt(" 42 "), 42);
  EXPECT_FALSE(ParseInt("42x").has_value());
  EXPECT_FALSE(ParseInt("").has_value());
  EXPECT_DOUBLE_EQ(*ParseDouble("2.5"), 2.5);
  EXPECT_FALSE(ParseDouble("2,5").has_value());
}

TEST(StringsTest, IdsHaveOneSpelling) {
  EXPECT_EQ(ParseId("5"), 5);
  EXPECT_EQ(ParseId("123456789012345678"), 123456789012345678);
  for (const char* bad : {"", "0", "05", "0005", "+5", " 5", "5 ", "-5", "5x", "1234567890123456789", "\xff"})
    EXPECT_FALSE(ParseId(bad).has_value()) << bad;
}

TEST(StringsTest, WholeNumbersOnlyInsideInt64) {
  EXPECT_EQ(WholeNumber(931298.0), 931298);
  EXPECT_EQ(WholeNumber(-42.0), -42);
  EXPECT_EQ(WholeNumber(-0.0), 0);
  EXPECT_EQ(WholeNumber(8.9e18), int64_t{8900000000000000000});
  for (double bad : {0.5, -1.25, 9.0e18, -9.3e18, 1e23, 9.22e59, std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()})
    EXPECT_FALSE(WholeNumber(bad).has_value()) << bad;
}

TEST(StringsTest, Utf8IsCheckedStrictly) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("co\xC3\xB6peratie \xE2\x82\xAC \xF0\x9F\x98\x80"));               // ö, €, an emoji
  for (std::string_view bad : {std::string_view("\xC3"), std::string_view("\xC0\xAF"),  // truncated, overlong '/'
                               std::string_view("\xED\xA0\x80"),                        // a surrogate
                               std::string_view("\xF4\x90\x80\x80"),                    // above U+10FFFF
                               std::string_view("\xFF"),
                               std::string_view("a\x80"
                                                "b")})
    EXPECT_FALSE(IsUtf8(bad)) << bad.size();
}

TEST(StringsTest, IsoDates) {
  EXPECT_TRUE(IsIsoDate("2024-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-02-29"));
  EXPECT_FALSE(IsIsoDate("2023-13-01"));
  EXPECT_FALSE(IsIsoDate("29-02-2024"));
}

TEST(StringsTest, SplitAndJoin) {
  EXPECT_EQ(Split("a;b;;c", ';').size(), 4u);
  EXPECT_EQ(Split("a;b;;c", ';', true).size(), 3u);
  EXPECT_EQ(Join({"a", "b"}, "|"), "a|b");
}

}  // namespace
}  // namespace weefsel

#include "base/csv.h"

namespace weefsel {
namespace {

TEST(CsvTest, QuotesBomCrlfAndLines) {
  std::string text =
      "\xEF\xBB\xBFid,name,note\r\n1,\"Buurt, Noord\",\"zegt \"\"hoi\"\"\"\r\n\r\n2,Zuid,\"twee\nregels\"\r\n3,Oost,\n";
  auto t = CsvTable::Parse("x.csv", text, {"id", "name"});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->rows().size(), 3u);
  EXPECT_EQ(t->Get(t->rows()[0], "name"), "Buurt, Noord");
  EXPECT_EQ(t->Get(t->rows()[0], "note"), "zegt \"hoi\"");
  EXPECT_EQ(t->rows()[1].line, 4);
  EXPECT_EQ(t->Get(t->rows()[1], "note"), "twee\nregels");
  EXPECT_EQ(t->rows()[2].line, 6);
  EXPECT_EQ(t->Error(t->rows()[2], "id", "bad").message(), "x.csv line 6, column id: bad");
}

TEST(CsvTest, ErrorsNameThePlace) {
  EXPECT_EQ(CsvTable::Parse("f.csv", "a,b\n1\n", {}).status().message(),
            "f.csv line 2: 1 fields, expected 2 as in the header");
  EXPECT_EQ(CsvTable::Parse("f.csv", "a,b\n1,2\n", {"c"}).status().message(),
            "f.csv line 1: missing column 'c' in the header");
  EXPECT_EQ(CsvTable::Parse("f.csv", "a\n\"open\n", {}).status().message(),
            "f.csv line 2: a quoted field is never closed");
  EXPECT_FALSE(CsvTable::Parse("f.csv", "", {}).ok());
  EXPECT_EQ(ReadFile("/nonexistent/x.csv").status().code(), StatusCode::kNotFound);
}

TEST(CsvTest, WriteThenReadRoundTrips) {
  std::vector<std::string> fields = {"a,b", "say \"x\"", "line\nbreak", " pad", "plain"};
  std::string text = "h1,h2,h3,h4,h5\n" + CsvLine(fields);
  auto t = CsvTable::Parse("rt", text, {});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows()[0].fields, fields);
}

TEST(PeriodicTest, RunsAtOnceThenEveryPeriodAndStopsWithoutWaitingForTheNext) {
  std::atomic<int> runs{0};
  {
    Periodic p(std::chrono::milliseconds(20), [&] { ++runs; });
    for (int i = 0; i < 200 && runs.load() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(runs.load(), 3);
  int after = runs.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(runs.load(), after);  // nothing runs once it is destroyed

  // A daily period: the first run happens now, and destruction does not wait a day.
  auto t0 = std::chrono::steady_clock::now();
  std::atomic<int> daily{0};
  {
    Periodic p(std::chrono::hours(24), [&] { ++daily; });
    while (daily.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(daily.load(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

// Once a writer waits, new readers wait behind it (glibc's std::shared_mutex would let them in, and
// a writer facing a stream of overlapping readers, as the matcher's update faces rankings, would
// wait without end). The writer then gets the lock when the readers under way are done.
TEST(WriterFirstSharedMutex, ANewReaderWaitsBehindAWaitingWriter) {
  WriterFirstSharedMutex mu;
  mu.lock_shared();  // a ranking under way
  std::atomic<bool> wrote = false;
  std::thread writer([&] {
    mu.lock();
    wrote = true;
    mu.unlock();
  });
  // Until the writer waits, a new reader still gets in; once it waits, none does.
  bool refused = false;
  for (int i = 0; i < 2000 && !refused; ++i) {
    if (mu.try_lock_shared()) {
      mu.unlock_shared();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else {
      refused = true;
    }
  }
  EXPECT_TRUE(refused) << "a reader got in past a waiting writer for 2 s";
  EXPECT_FALSE(wrote) << "the writer waits for the reader under way";
  mu.unlock_shared();
  writer.join();
  EXPECT_TRUE(wrote);
  ASSERT_TRUE(mu.try_lock_shared()) << "readers get in again once the writer is done";
  mu.unlock_shared();
}

TEST(ProcessMemoryTest, HeapAndResidentSetGrowWithWhatIsHeldAndTheHeapShrinksWhenItIsFreed) {
  constexpr int64_t kBytes = 64 << 20;
  ProcessMemory before = ReadProcessMemory();
  ASSERT_GT(before.rss_bytes, 0);
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);  // touched, so resident
  ProcessMemory held = ReadProcessMemory();
  EXPECT_GE(held.rss_bytes - before.rss_bytes, kBytes / 2);
  if (!kHeapBytesKnown) {  // under AddressSanitizer: glibc's allocator is not the one in use
    EXPECT_EQ(held.heap_bytes, -1);
    GTEST_SKIP() << "heap_bytes is not known in this build (AddressSanitizer's allocator)";
  }
  ASSERT_GT(before.heap_bytes, 0);
  EXPECT_GE(held.heap_bytes - before.heap_bytes, kBytes);
  block.reset();
  ProcessMemory after = ReadProcessMemory();
  EXPECT_LT(after.heap_bytes - before.heap_bytes, kBytes / 4);
}

}  // namespace
}  // namespace weefsel
