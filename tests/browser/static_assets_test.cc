// Tests for http/static_assets: content types, cache headers, the client-side route fallback,
// API paths left to the API, and paths that try to leave the directory.
#include "http/static_assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace weefsel::http {
namespace {

namespace fs = std::filesystem;

class StaticAssets : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("weefsel-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "assets");
    Write("index.html", "<!doctype html><title>weefsel</title>");
    Write("assets/index-Ab12Cd.js", "console.log(1)");
    Write("assets/index-Ab12Cd.css", "body{}");
    Write("robots.txt", "User-agent: *");
    fs::create_directories(root_.parent_path() / "outside");
    std::ofstream(root_.parent_path() / "secret.txt") << "secret";
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& body) { std::ofstream(root_ / rel) << body; }

  http::Response Get(const std::string& path, const std::string& method = "GET") {
    http::Request req;
    req.method = method;
    req.path = path;
    http::Response res;
    served_ = ServeStatic(root_.string(), req, res);
    return res;
  }

  fs::path root_;
  bool served_ = false;
};

TEST_F(StaticAssets, HashedAssetsAreCachedForAYearWithTheirContentType) {
  auto js = Get("/assets/index-Ab12Cd.js");
  EXPECT_TRUE(served_);
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/assets/index-Ab12Cd.css").Header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(Get("/assets/index-Ab12Cd.css").Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticAssets, IndexAndOtherFilesAreRevalidated) {
  auto root = Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(root.Header("Cache-Control"), "no-cache");
  EXPECT_NE(root.Header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(Get("/robots.txt").Header("Cache-Control"), "no-cache");
  EXPECT_EQ(Get("/robots.txt").Header("Content-Type"), "text/plain; charset=utf-8");
}

TEST_F(StaticAssets, ClientSideRoutesGetIndexHtml) {
  for (const char* path : {"/challenges", "/challenges/12", "/rounds/3/", "/fabric"}) {
    auto r = Get(path);
    EXPECT_TRUE(served_) << path;
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>weefsel</title>") << path;
  }
}

TEST_F(StaticAssets, MissingFilesWithAnExtensionAre404) {
  EXPECT_EQ(Get("/assets/missing-123.js").status, 404);
  EXPECT_EQ(Get("/favicon.ico").status, 404);
  EXPECT_EQ(Get("/assets/chunk").status, 404);
}

TEST_F(StaticAssets, ApiPathsAndOtherMethodsAreLeftToTheApi) {
  for (const char* path : {"/api/v1/challenges", "/api", "/healthz", "/readyz"}) {
    http::Response r = Get(path);
    EXPECT_FALSE(served_) << path;
    EXPECT_TRUE(r.body.empty() && r.headers.empty()) << path;
  }
  Get("/challenges", "POST");
  EXPECT_FALSE(served_);
  auto head = Get("/", "HEAD");
  EXPECT_TRUE(served_);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(StaticAssets, PathsCannotLeaveTheDirectory) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/a\\b"}) {
    auto r = Get(path);
    EXPECT_TRUE(served_) << path;
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << path;
  }
}

TEST_F(StaticAssets, NoRootServesNothing) {
  http::Request req;
  req.method = "GET";
  req.path = "/";
  http::Response res;
  EXPECT_FALSE(ServeStatic("", req, res));
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(ContentTypeFor("a/b.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("x.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("dir.v2/file"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace weefsel::http
