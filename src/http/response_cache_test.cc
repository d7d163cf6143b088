#include "http/response_cache.h"

#include <gtest/gtest.h>

namespace weefsel::http {
namespace {

std::shared_ptr<const ResponseCache::Entry> Body(int64_t version, size_t n, char c = 'x') {
  return std::make_shared<const ResponseCache::Entry>(ResponseCache::Entry{version, std::string(n, c), "\"e\""});
}

TEST(ResponseCache, HitsOnlyAtTheVersionItWasStoredAt) {
  ResponseCache cache(1 << 20);
  cache.Put("/a", Body(3, 10));
  EXPECT_NE(cache.Get("/a", 3), nullptr);
  EXPECT_EQ(cache.Get("/a", 4), nullptr);
  EXPECT_EQ(cache.entries(), 0u);  // the stale entry is dropped
}

TEST(ResponseCache, StaysWithinItsByteBudgetEvictingTheLeastRecentlyUsed) {
  ResponseCache cache(100'000);
  for (int i = 0; i < 1000; ++i) {
    cache.Put("/p/" + std::to_string(i), Body(1, 5'000));
    ASSERT_LE(cache.bytes(), cache.max_bytes());
  }
  size_t n = cache.entries();
  EXPECT_LE(n, 20u);
  // The most recent keys survive, the early ones are gone.
  EXPECT_NE(cache.Get("/p/999", 1), nullptr);
  EXPECT_EQ(cache.Get("/p/0", 1), nullptr);
  // The oldest survivor, touched again, outlives the next insert; the next oldest goes instead.
  std::string oldest = "/p/" + std::to_string(1000 - n), next = "/p/" + std::to_string(1001 - n);
  ASSERT_NE(cache.Get(oldest, 1), nullptr);
  cache.Put("/q", Body(1, 5'000));
  EXPECT_NE(cache.Get(oldest, 1), nullptr);
  EXPECT_EQ(cache.Get(next, 1), nullptr);
}

TEST(ResponseCache, ABodyLargerThanAQuarterOfTheBudgetIsNotCached) {
  ResponseCache cache(100'000);
  cache.Put("/small", Body(1, 100));
  cache.Put("/huge", Body(1, 30'000));
  EXPECT_EQ(cache.Get("/huge", 1), nullptr);
  EXPECT_NE(cache.Get("/small", 1), nullptr);
}

TEST(ResponseCache, ReplacingAKeyKeepsTheCountOfBytesRight) {
  ResponseCache cache(100'000);
  cache.Put("/a", Body(1, 1'000));
  size_t one = cache.bytes();
  cache.Put("/a", Body(2, 1'000));
  EXPECT_EQ(cache.bytes(), one);
  EXPECT_EQ(cache.entries(), 1u);
}

}  // namespace
}  // namespace weefsel::http
