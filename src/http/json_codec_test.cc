// Request-body limits of http/json_codec (the decoders themselves are covered through the API
// tests in tests/).
#include "http/json_codec.h"

#include <gtest/gtest.h>

#include <chrono>

namespace weefsel::http {
namespace {

std::string ObjectWithKeys(size_t n) {
  std::string s = "{";
  for (size_t i = 0; i < n; ++i) s += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  return s + "}";
}

// Hostile input finding 3: an 830 KB login body with 90,000 keys took 5.4 s of CPU to parse.
TEST(JsonBodyLimits, AnObjectWithNinetyThousandKeysIsRefusedInALinearPass) {
  std::string body = ObjectWithKeys(90000);
  auto start = std::chrono::steady_clock::now();
  auto r = ParseObject(body);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("more than 200 keys"), std::string::npos) << r.status().message();
  // Not a timing target: a quadratic parse takes seconds here, the check a few milliseconds.
  EXPECT_LT(s, 1.0);
}

TEST(JsonBodyLimits, TwoHundredKeysAreFine) {
  auto r = ParseObject(ObjectWithKeys(200));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 200u);
}

TEST(JsonBodyLimits, TooManyValuesInAllAreRefused) {
  std::string body = "{\"a\":[";
  for (size_t i = 0; i < kMaxJsonValues + 10; ++i) body += i ? ",0" : "0";
  body += "]}";
  auto r = ParseObject(body);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("JSON values"), std::string::npos) << r.status().message();
}

TEST(JsonBodyLimits, DepthInvalidJsonAndNonObjectsAreNamed) {
  EXPECT_NE(ParseObject(std::string(40, '[') + std::string(40, ']')).status().message().find("nested deeper"),
            std::string::npos);
  EXPECT_NE(ParseObject("{\"a\": }").status().message().find("not valid JSON"), std::string::npos);
  EXPECT_NE(ParseObject("{\"a\": \"\xff\"}").status().message().find("not valid JSON"), std::string::npos);
  EXPECT_NE(ParseObject("[1]").status().message().find("must be a JSON object"), std::string::npos);
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(ParseObject("{\"a\": \"" + std::string(40, '[') + "\"}").ok());
}

}  // namespace
}  // namespace weefsel::http
