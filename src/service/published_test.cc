// Heavy results off the request path (service/published.h): one build per key, the previous value
// served while the next is built, a failed or killed build publishing nothing.
#include "service/published.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace weefsel::service {
namespace {

using namespace std::chrono_literals;

using Pub = Published<int, std::string>;

Pub::Build Value(std::string v, int64_t as_of, std::atomic<int>* calls = nullptr) {
  return [v = std::move(v), as_of, calls](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    if (calls) ++*calls;
    return Built<std::string>{as_of, std::make_shared<const std::string>(v)};
  };
}

TEST(Published, TheFirstGetWaitsForItsBuildAndTheNextGetsReuseIt) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", 0ms);
  std::atomic<int> calls = 0;
  auto a = pub.Get(1, 5, Value("a", 5, &calls));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a->value, "a");
  EXPECT_EQ(a->as_of, 5);
  EXPECT_FALSE(a->stale);
  auto again = pub.Get(1, 5, Value("b", 5, &calls));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->value.get(), a->value.get()) << "the same published object";
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(pub.builds(), 1);
  worker.Stop();
}

TEST(Published, TheBuildRunsOnTheWorkerNotOnTheCallersThread) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", std::nullopt);
  std::thread::id built_on;
  auto r = pub.Get(1, 1, [&](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    built_on = std::this_thread::get_id();
    return Built<std::string>{1, std::make_shared<const std::string>("x")};
  });
  ASSERT_TRUE(r.ok());
  EXPECT_NE(built_on, std::this_thread::get_id());
  worker.Stop();
}

// Builds yield the cores to requests: the worker's thread runs nicer than the caller's, and so do
// the threads a build starts.
TEST(Published, BuildsRunAtALowerPriorityThanRequests) {
  const int caller = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  BuildWorker worker("test");
  std::promise<std::pair<int, int>> seen;
  worker.Post([&](bool) {
    int own = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
    int child = 0;
    std::thread([&] { child = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())); }).join();
    seen.set_value({own, child});
  });
  auto [own, child] = seen.get_future().get();
  EXPECT_EQ(own, std::min(19, caller + BuildWorker::kNice));
  EXPECT_EQ(child, own);
  worker.Stop();
}

TEST(Published, ManyRequestsForOneKeyStartOneBuild) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", std::nullopt);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> calls = 0;
  auto slow = [&](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    ++calls;
    gate.wait();
    return Built<std::string>{7, std::make_shared<const std::string>("slow")};
  };
  std::vector<std::future<Result<Stamped<std::string>>>> asks;
  for (int i = 0; i < 8; ++i) asks.push_back(std::async(std::launch::async, [&] { return pub.Get(1, 7, slow); }));
  std::this_thread::sleep_for(50ms);
  release.set_value();
  for (auto& f : asks) {
    auto r = f.get();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r->value, "slow");
  }
  EXPECT_EQ(calls, 1) << "one build per key at a time";
  worker.Stop();
}

TEST(Published, ThePreviousValueAnswersMarkedStaleWhileTheNextIsBuilt) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", 300ms);
  ASSERT_TRUE(pub.Get(1, 1, Value("old", 1)).ok());
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  auto slow = [&](const std::shared_ptr<const std::string>& previous) -> Result<Built<std::string>> {
    EXPECT_TRUE(previous && *previous == "old") << "the build sees the previous value";
    gate.wait();
    return Built<std::string>{2, std::make_shared<const std::string>("new")};
  };
  auto during = pub.Get(1, 2, slow);
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(*during->value, "old");
  EXPECT_EQ(during->as_of, 1);
  EXPECT_TRUE(during->stale);
  // Later requests during the same rebuild do not wait again: the wait counts from its queueing.
  // (The first waited its 300 ms; this one, after them, would wait as long again if it restarted.)
  auto t0 = std::chrono::steady_clock::now();
  auto later = pub.Get(1, 2, slow);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->stale);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 250ms);
  release.set_value();
  for (int i = 0; i < 200 && pub.Peek(1).as_of != 2; ++i) std::this_thread::sleep_for(5ms);
  auto after = pub.Get(1, 2, Value("unused", 2));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after->value, "new");
  EXPECT_FALSE(after->stale);
  worker.Stop();
}

TEST(Published, WithoutAWaitLimitEveryAnswerIsFresh) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", std::nullopt);
  ASSERT_TRUE(pub.Get(1, 1, Value("old", 1)).ok());
  auto r = pub.Get(1, 2, [](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    std::this_thread::sleep_for(50ms);
    return Built<std::string>{2, std::make_shared<const std::string>("new")};
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->value, "new");
  EXPECT_FALSE(r->stale);
  worker.Stop();
}

// The worker's build dies half-way (an exception, say out of memory): nothing of it is published,
// the previous result stays served and the error is reported; the next build publishes again.
TEST(Published, ABuildKilledMidwayPublishesNothingAndThePreviousStaysServed) {
  BuildWorker worker("test");
  Pub pub(worker, "fabric", std::nullopt);
  ASSERT_TRUE(pub.Get(3, 1, Value("good", 1)).ok());
  auto killed = pub.Get(3, 2, [](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    throw std::runtime_error("killed mid-build");
  });
  ASSERT_TRUE(killed.ok()) << killed.status().ToString();
  EXPECT_EQ(*killed->value, "good");
  EXPECT_EQ(killed->as_of, 1);
  EXPECT_TRUE(killed->stale);
  auto errors = pub.Errors([](int k) { return "municipality " + std::to_string(k); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("fabric municipality 3"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("killed mid-build"), std::string::npos) << errors[0];
  // A build that returns an error instead: the same.
  auto failed = pub.Get(3, 2, [](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    return Status::Unavailable("store gone");
  });
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(*failed->value, "good");
  // Recovery clears the error.
  auto fixed = pub.Get(3, 2, Value("better", 2));
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(*fixed->value, "better");
  EXPECT_FALSE(fixed->stale);
  EXPECT_TRUE(pub.Errors([](int k) { return std::to_string(k); }).empty());
  worker.Stop();
}

TEST(Published, AFirstBuildThatFailsAnswersItsError) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", 0ms);
  auto r = pub.Get(1, 1, [](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    return Status::NotFound("municipality 1 does not exist");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  worker.Stop();
}

TEST(Published, AStoppedWorkerReleasesItsWaitersWithAnError) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", std::nullopt);
  worker.Stop();
  auto r = pub.Get(1, 1, Value("never", 1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("stopped"), std::string::npos) << r.status().ToString();
}

TEST(Published, WarmQueuesABuildAndReturnsAtOnce) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", 0ms);
  pub.Warm(4, 1, Value("warm", 1));
  for (int i = 0; i < 400 && !pub.Peek(4).value; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(pub.Peek(4).value);
  std::atomic<int> calls = 0;
  auto r = pub.Get(4, 1, Value("cold", 1, &calls));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->value, "warm");
  EXPECT_EQ(calls, 0);
  worker.Stop();
}

// After a start the server warms every municipality's fabric; a visitor of one of them must not
// wait behind all the others: a build someone waits for runs before the builds queued by Warm, and
// a key already queued by Warm is moved up (built once, not twice).
TEST(Published, ABuildSomeoneWaitsForRunsBeforeTheWarmingOnes) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", std::nullopt);
  std::mutex mu;
  std::vector<int> order;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> started = false;
  auto recording = [&](int key, bool block) {
    return [&, key, block](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
      if (block) {
        started = true;
        released.wait();
      }
      std::lock_guard lock(mu);
      order.push_back(key);
      return Built<std::string>{1, std::make_shared<const std::string>(std::to_string(key))};
    };
  };
  pub.Warm(0, 1, recording(0, /*block=*/true));  // holds the worker until released
  for (int key = 1; key <= 20; ++key) pub.Warm(key, 1, recording(key, false));
  for (int i = 0; i < 400 && !started; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(started);
  std::atomic<int> calls = 0;
  auto asked = std::async(std::launch::async, [&] {
    return pub.Get(15, 1, [&](const std::shared_ptr<const std::string>& p) {
      ++calls;  // the urgent copy runs with the caller's build; Warm's copy then finds it taken
      return recording(15, false)(p);
    });
  });
  auto fresh = std::async(std::launch::async, [&] { return pub.Get(30, 1, recording(30, false)); });
  std::this_thread::sleep_for(50ms);  // both requests are waiting
  release.set_value();
  auto r15 = asked.get();
  auto r30 = fresh.get();
  ASSERT_TRUE(r15.ok()) << r15.status().ToString();
  ASSERT_TRUE(r30.ok()) << r30.status().ToString();
  EXPECT_EQ(*r15->value, "15");
  EXPECT_EQ(calls, 1);
  for (int i = 0; i < 400 && pub.builds() < 22; ++i) std::this_thread::sleep_for(5ms);
  std::lock_guard lock(mu);
  ASSERT_EQ(order.size(), 22u) << "every key built once";
  EXPECT_EQ(order[0], 0);
  // The two keys asked for come next, before keys 1..20 (except 15) that were only warmed.
  std::vector<int> next(order.begin() + 1, order.begin() + 3);
  std::sort(next.begin(), next.end());
  EXPECT_EQ(next, (std::vector<int>{15, 30}));
  EXPECT_EQ(std::count(order.begin(), order.end(), 15), 1);
  EXPECT_EQ(pub.builds(), 22);
  worker.Stop();
}

// A result nobody has built yet (a fabric the warming after a start has not reached) holds the
// request's thread for `first_wait` at most: then "being built, try again in N s", and the build
// goes on; once it ends the value answers. Without first_wait the request waits for the build.
TEST(Published, AResultNotBuiltYetAnswersBuildingAfterTheFirstWait) {
  BuildWorker worker("test");
  Pub pub(worker, "fabric", 0ms, 100ms);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> started = false;
  pub.Warm(0, 1, [&](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    started = true;
    released.wait();  // holds the worker, as a large city's fabric would
    return Built<std::string>{1, std::make_shared<const std::string>("zero")};
  });
  pub.Warm(1, 1, Value("one", 1));
  EXPECT_EQ(pub.Unbuilt(), 2);
  // Key 0's build holds the worker before key 1 is asked for (else key 1's urgent build runs first).
  for (int i = 0; i < 400 && !started; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(started);
  auto t0 = std::chrono::steady_clock::now();
  auto r = pub.Get(1, 1, Value("one", 1));
  const auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().reason(), "building");
  EXPECT_EQ(r.status().reason_params(), (ReasonParams{{"what", "fabric"}, {"retry_after", "1"}}));
  EXPECT_NE(r.status().message().find("building the fabric (the first time); try again in 1 s"), std::string::npos)
      << r.status().ToString();
  EXPECT_GE(waited, 100ms);
  EXPECT_LT(waited, 1s) << "the request is answered after its first wait, not after the build";
  release.set_value();
  for (int i = 0; i < 400 && pub.Unbuilt() > 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(pub.Unbuilt(), 0);
  auto after = pub.Get(1, 1, Value("unused", 1));
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after->value, "one");
  EXPECT_FALSE(after->stale);
  EXPECT_EQ(pub.builds(), 2) << "key 1 built once, by the build the first request queued";
  worker.Stop();
}

TEST(Published, AFirstBuildThatEndsWithinTheFirstWaitAnswersItsValue) {
  BuildWorker worker("test");
  Pub pub(worker, "thing", 0ms, 2s);
  auto r = pub.Get(1, 1, Value("quick", 1));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r->value, "quick");
  auto failed = pub.Get(2, 1, [](const std::shared_ptr<const std::string>&) -> Result<Built<std::string>> {
    return Status::NotFound("municipality 2 does not exist");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kNotFound) << "a failed first build answers its error, not building";
  worker.Stop();
}

}  // namespace
}  // namespace weefsel::service
