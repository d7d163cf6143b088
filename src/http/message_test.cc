#include "http/message.h"

#include <gtest/gtest.h>

namespace weefsel::http {
namespace {

TEST(Message, TargetsDecodeIntoPathAndParameters) {
  std::string path;
  Params params;
  EXPECT_TRUE(ParseTarget("/api/v1/actors%2F1?q=zorg+thuis&q=%C3%A9&sort=-name&flag", path, params));
  EXPECT_EQ(path, "/api/v1/actors/1");
  ASSERT_EQ(params.count("q"), 2u);
  EXPECT_EQ(params.find("q")->second, "zorg thuis");
  EXPECT_EQ(std::next(params.find("q"))->second, "\xC3\xA9");
  EXPECT_EQ(params.find("sort")->second, "-name");
  EXPECT_EQ(params.find("flag")->second, "");
  EXPECT_TRUE(ParseTarget("/a%FF", path, params));
  EXPECT_EQ(path, "/a\xFF");
  EXPECT_TRUE(params.empty());
}

TEST(Message, MalformedPercentEscapesAreRefused) {
  std::string path;
  Params params;
  for (const char* target : {"/a%G1", "/a%", "/a%4", "/x?q=%", "/x?q=%2", "/x?q=a%zzb", "/x?%GG=1", "/x?q=1&r=%4"})
    EXPECT_FALSE(ParseTarget(target, path, params)) << target;
  EXPECT_TRUE(ParseTarget("/x?q=%25%41", path, params));
  EXPECT_EQ(params.find("q")->second, "%A");
  EXPECT_TRUE(ParseTarget("/%41%62", path, params));
  EXPECT_EQ(path, "/Ab");
}

TEST(Message, HeadersAreCaseInsensitiveAndCookiesAreFound) {
  Request r;
  r.headers.emplace("content-type", "application/json");
  r.headers.emplace("Cookie", "a=1; weefsel_session=abc");
  r.headers.emplace("COOKIE", "b=2");
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.HeaderCount("cookie"), 2u);
  EXPECT_EQ(r.Cookie("weefsel_session"), "abc");
  EXPECT_EQ(r.Cookie("b"), "2");
  EXPECT_EQ(r.Cookie("weefsel"), "");
  Response res;
  res.SetHeader("Set-Cookie", "a=1");
  res.SetHeader("Set-Cookie", "b=2");
  res.SetContent("{}", "application/json");
  res.SetContent("[]", "application/problem+json");
  EXPECT_EQ(res.headers.count("set-cookie"), 2u);
  EXPECT_EQ(res.headers.count("Content-Type"), 1u);
  EXPECT_EQ(res.Header("content-type"), "application/problem+json");
}

TEST(Message, QueryValuesRoundTrip) {
  std::string path;
  Params params;
  EXPECT_TRUE(ParseTarget("/x?v=" + EncodeQueryParam("a b&c=d/é%"), path, params));
  EXPECT_EQ(params.find("v")->second, "a b&c=d/é%");
}

}  // namespace
}  // namespace weefsel::http
