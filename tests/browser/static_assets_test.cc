// Tests for http/static_assets: content types, cache headers, the client-side route fallback,
// API paths left to the API, and paths that try to leave the directory; each on the disk and on
// base/env.h's in-memory file system.
#include "http/static_assets.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "base/mem_env.h"

namespace weefsel::http {
namespace {

namespace fs = std::filesystem;

// A directory on the disk, removed afterwards.
struct OnDisk {
  OnDisk()
      : root(fs::temp_directory_path() /
             ("weefsel-static-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
             "dist") {}
  ~OnDisk() { fs::remove_all(root.parent_path()); }
  FileSystem& files() { return DiskFileSystem::Default(); }
  fs::path root;
};

// A directory in memory.
struct InMemory {
  FileSystem& files() { return mem; }
  MemFileSystem mem;
  fs::path root = "/srv/weefsel/dist";
};

template <typename Where>
class StaticAssets : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(where_.files().CreateDirectories((where_.root / "assets").string()).ok());
    Write("index.html", "<!doctype html><title>weefsel</title>");
    Write("assets/index-Ab12Cd.js", "console.log(1)");
    Write("assets/index-Ab12Cd.css", "body{}");
    Write("robots.txt", "User-agent: *");
    ASSERT_TRUE(where_.files().CreateDirectories((where_.root.parent_path() / "outside").string()).ok());
    ASSERT_TRUE(where_.files().WriteFileAtomic((where_.root.parent_path() / "secret.txt").string(), "secret").ok());
  }
  void Write(const std::string& rel, const std::string& body) {
    ASSERT_TRUE(where_.files().WriteFileAtomic((where_.root / rel).string(), body).ok());
  }

  http::Response Get(const std::string& path, const std::string& method = "GET") {
    http::Request req;
    req.method = method;
    req.path = path;
    http::Response res;
    served_ = ServeStatic(where_.root.string(), req, res, where_.files());
    return res;
  }

  Where where_;
  bool served_ = false;
};

using Places = ::testing::Types<OnDisk, InMemory>;
TYPED_TEST_SUITE(StaticAssets, Places);

TYPED_TEST(StaticAssets, HashedAssetsAreCachedForAYearWithTheirContentType) {
  auto js = this->Get("/assets/index-Ab12Cd.js");
  EXPECT_TRUE(this->served_);
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(this->Get("/assets/index-Ab12Cd.css").Header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(this->Get("/assets/index-Ab12Cd.css").Header("X-Content-Type-Options"), "nosniff");
}

TYPED_TEST(StaticAssets, IndexAndOtherFilesAreRevalidated) {
  auto root = this->Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(root.Header("Cache-Control"), "no-cache");
  EXPECT_NE(root.Header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(this->Get("/robots.txt").Header("Cache-Control"), "no-cache");
  EXPECT_EQ(this->Get("/robots.txt").Header("Content-Type"), "text/plain; charset=utf-8");
}

TYPED_TEST(StaticAssets, ClientSideRoutesGetIndexHtml) {
  for (const char* path : {"/challenges", "/challenges/12", "/rounds/3/", "/fabric"}) {
    auto r = this->Get(path);
    EXPECT_TRUE(this->served_) << path;
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>weefsel</title>") << path;
  }
}

TYPED_TEST(StaticAssets, MissingFilesWithAnExtensionAre404) {
  EXPECT_EQ(this->Get("/assets/missing-123.js").status, 404);
  EXPECT_EQ(this->Get("/favicon.ico").status, 404);
  EXPECT_EQ(this->Get("/assets/chunk").status, 404);
}

TYPED_TEST(StaticAssets, ApiPathsAndOtherMethodsAreLeftToTheApi) {
  for (const char* path : {"/api/v1/challenges", "/api", "/healthz", "/readyz"}) {
    http::Response r = this->Get(path);
    EXPECT_FALSE(this->served_) << path;
    EXPECT_TRUE(r.body.empty() && r.headers.empty()) << path;
  }
  this->Get("/challenges", "POST");
  EXPECT_FALSE(this->served_);
  auto head = this->Get("/", "HEAD");
  EXPECT_TRUE(this->served_);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TYPED_TEST(StaticAssets, PathsCannotLeaveTheDirectory) {
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/a\\b"}) {
    auto r = this->Get(path);
    EXPECT_TRUE(this->served_) << path;
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << path;
  }
}

TYPED_TEST(StaticAssets, NoRootServesNothing) {
  http::Request req;
  req.method = "GET";
  req.path = "/";
  http::Response res;
  EXPECT_FALSE(ServeStatic("", req, res, this->where_.files()));
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
