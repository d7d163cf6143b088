// The HTTP front under hostile clients (issue 15; docs/hardening.md): slow headers, slow bodies,
// too many connections from one address, framing tricks. Over real sockets on loopback, against a
// Server with short timeouts so that each case takes a few seconds. The store is SQLite (the
// front does not depend on it). Label unit.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "http/api.h"
#include "http/server.h"
#include "service/platform.h"
#include "storage/store.h"
#include "tests/kit/raw_http.h"

namespace weefsel::http {
namespace {

using testkit::RawRequest;
using testkit::RawStatus;
using Clock = std::chrono::steady_clock;

// A connected socket from `source` (127.0.0.0/8) that has sent `bytes`; -1 on failure.
int OpenAndSend(int port, const std::string& source, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  if (!bytes.empty() && send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True when the server has closed `fd` (a read gives EOF or an error), within `wait`.
bool ClosedByServer(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    // An answer (408) may come before the close: read on.
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  }
}

class HttpFront : public ::testing::Test {
 protected:
  void SetUp() override {
    rlimit r{};
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
    ASSERT_GE(r.rlim_cur, 2500u) << "the test holds 1,000 connections at both ends: raise `ulimit -n`";
    dir_ = std::filesystem::temp_directory_path() / ("weefsel-front-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    auto store = storage::Store::Open((dir_ / "w.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    service::PlatformOptions po;
    po.password_cost = service::PasswordCost::Minimum();
    platform_ = std::make_unique<service::Platform>(std::move(store).value(), po);
    api_ = std::make_unique<Api>(*platform_);
  }
  void Serve(ServerOptions o) {
    o.port = 0;
    o.access_log = false;
    server_ = std::make_unique<Server>(*api_, o);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void TearDown() override {
    for (int fd : fds_) close(fd);
    if (server_) server_->Stop();
    server_.reset();
    api_.reset();
    platform_.reset();
    std::filesystem::remove_all(dir_);
  }
  int Port() const { return server_->port(); }
  // The time a GET takes, from a fresh address, or a failure.
  std::pair<int, double> TimedGet(const std::string& path, const std::string& source = "127.0.0.200") {
    auto start = Clock::now();
    std::string r = RawRequest(Port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", source, 5);
    return {RawStatus(r), std::chrono::duration<double>(Clock::now() - start).count()};
  }

  std::filesystem::path dir_;
  std::unique_ptr<service::Platform> platform_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<Server> server_;
  std::vector<int> fds_;
};

// Issue 15: 70 half-sent requests took cpp-httplib's 64 workers and /healthz stopped answering.
TEST_F(HttpFront, AThousandHalfSentRequestsDoNotStopOthersAndAreClosedAfterTheHeaderTimeout) {
  ServerOptions o;
  o.threads = 4;
  o.header_timeout_seconds = 2;
  Serve(o);
  for (int i = 0; i < 1000; ++i) {
    // Ten addresses, a hundred each (under the per-address cap), each a request line and no more.
    int fd = OpenAndSend(Port(), "127.0.0." + std::to_string(10 + i % 10), "GET /api/v1/challenges HTTP/1.1\r\nHo");
    ASSERT_GE(fd, 0) << "connection " << i;
    fds_.push_back(fd);
  }
  auto [health, health_s] = TimedGet("/healthz");
  EXPECT_EQ(health, 200);
  EXPECT_LT(health_s, 1.0);
  auto [read, read_s] = TimedGet("/api/v1/challenges");
  EXPECT_EQ(read, 200);
  EXPECT_LT(read_s, 1.0);
  EXPECT_GE(server_->connections(), 1000u);
  // After the header timeout every slow connection has been closed by the server.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  int closed = 0;
  for (int fd : fds_) closed += ClosedByServer(fd, std::chrono::milliseconds(1000));
  EXPECT_EQ(closed, 1000);
  EXPECT_LE(server_->connections(), 1u);
}

TEST_F(HttpFront, ConnectionsPerAddressAreCappedWithA503) {
  ServerOptions o;
  o.max_connections_per_address = 20;
  o.header_timeout_seconds = 5;
  Serve(o);
  for (int i = 0; i < 20; ++i) {
    int fd = OpenAndSend(Port(), "127.0.0.5", "");
    ASSERT_GE(fd, 0);
    fds_.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the server accept them
  std::string over = RawRequest(Port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.0.5");
  EXPECT_EQ(RawStatus(over), 503) << over;
  EXPECT_NE(over.find("application/problem+json"), std::string::npos) << over;
  EXPECT_NE(over.find("your address"), std::string::npos) << over;
  // Another address is served.
  EXPECT_EQ(TimedGet("/healthz", "127.0.0.6").first, 200);
}

TEST_F(HttpFront, ATrickledBodyIsTimedOut) {
  ServerOptions o;
  o.body_timeout_seconds = 1;
  Serve(o);
  int fd = OpenAndSend(Port(), "127.0.0.7",
                       "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1000\r\n\r\n{");
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  auto start = Clock::now();
  bool closed = false;
  for (int i = 0; i < 30 && !closed; ++i) {  // a byte every 100 ms: never done within a second
    send(fd, " ", 1, MSG_NOSIGNAL);
    closed = ClosedByServer(fd, std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(TimedGet("/healthz").first, 200);
}

// Requests in flight finish when the server stops; idle connections are closed at once.
TEST_F(HttpFront, StopClosesIdleConnectionsAndFinishesRequestsInFlight) {
  Serve(ServerOptions{});
  int idle = OpenAndSend(Port(), "127.0.0.8", "");
  std::string body = R"({"email":"a@b.nl","password":"not the password"})";
  int busy = OpenAndSend(Port(), "127.0.0.9",
                         "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Content-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  ASSERT_GE(idle, 0);
  ASSERT_GE(busy, 0);
  fds_ = {idle, busy};
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server_->Stop();
  EXPECT_TRUE(ClosedByServer(idle, std::chrono::milliseconds(2000)));
  send(busy, body.data() + 10, body.size() - 10, MSG_NOSIGNAL);
  char buf[4096];
  pollfd p{busy, POLLIN, 0};
  ASSERT_GT(poll(&p, 1, 5000), 0);
  ssize_t n = recv(busy, buf, sizeof buf, 0);
  ASSERT_GT(n, 12);
  EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 401");
  server_->Wait();
}

// Several event-loop threads share one acceptor (on its own strand) and the connection counts: 8
// clients x 50 requests each over fresh connections all get their answer, the counts return to zero,
// and a Stop while clients are still connecting ends cleanly (ThreadSanitizer-free race check:
// ASan/UBSan run this test in make test-sanitize).
TEST_F(HttpFront, SeveralEventLoopThreadsServeEveryRequestAndStopCleanly) {
  ServerOptions o;
  o.io_threads = 4;
  o.threads = 4;
  Serve(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i)
    clients.emplace_back([&, i] {
      std::string source = "127.0.1." + std::to_string(i + 1);
      for (int k = 0; k < 50; ++k) {
        std::string r = RawRequest(Port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", source, 5);
        if (RawStatus(r) == 200) ++ok;
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 400);
  for (int i = 0; i < 100 && server_->connections() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(server_->connections(), 0u);
  // Stop while connections are arriving from four threads.
  std::atomic<bool> done{false};
  std::vector<std::thread> late;
  for (int i = 0; i < 4; ++i)
    late.emplace_back([&, i] {
      while (!done)
        (void)RawRequest(Port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.2." + std::to_string(i + 1), 1);
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  server_->Stop();
  server_->Wait();
  done = true;
  for (auto& t : late) t.join();
}

// ---- framing and size limits: each refused with its own status (docs/hardening.md) ----

const std::string kLogin =
    "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n";

// What the server has answered on `fd` within `wait` (the head at least), without sending more.
std::string AnswerOn(int fd, std::chrono::milliseconds wait) {
  std::string out;
  char buf[4096];
  auto until = Clock::now() + wait;
  pollfd p{fd, POLLIN, 0};
  while (out.find("\r\n\r\n") == std::string::npos && Clock::now() < until) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count());
    if (poll(&p, 1, std::max(left, 1)) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST_F(HttpFront, AContentLengthOverTheLimitIsRefusedWith413BeforeAnyBodyByte) {
  Serve(ServerOptions{});
  int fd = OpenAndSend(Port(), "127.0.0.31", kLogin + "Content-Length: 2000000\r\n\r\n");
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  std::string r = AnswerOn(fd, std::chrono::milliseconds(1000));  // no body byte was sent
  EXPECT_EQ(RawStatus(r), 413) << r;
  EXPECT_NE(r.find("application/problem+json"), std::string::npos) << r;
}

TEST_F(HttpFront, AChunkedBodyOverTheLimitIsRefusedWith413WithoutWaitingForItsEnd) {
  ServerOptions o;
  o.max_body_bytes = 64 << 10;
  Serve(o);
  int fd = OpenAndSend(Port(), "127.0.0.32", kLogin + "Transfer-Encoding: chunked\r\n\r\n");
  ASSERT_GE(fd, 0);
  fds_.push_back(fd);
  std::string chunk = "4000\r\n" + std::string(0x4000, 'x') + "\r\n";
  for (int i = 0; i < 8; ++i) send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL | MSG_DONTWAIT);  // 128 KiB
  // The last chunk (0) never comes: the answer must not wait for it.
  std::string r = AnswerOn(fd, std::chrono::milliseconds(2000));
  EXPECT_EQ(RawStatus(r), 413) << r.substr(0, 300);
}

// The one upload route (a file attached to milestone evidence) takes bodies up to
// max_upload_bytes; every other route keeps max_body_bytes, judged from the request line.
TEST_F(HttpFront, OnlyTheEvidenceFileRouteTakesALargerBody) {
  ServerOptions o;
  o.max_body_bytes = 64 << 10;
  o.max_upload_bytes = 256 << 10;
  Serve(o);
  const std::string body = "{\"name\":\"a.png\",\"data\":\"" + std::string(100 << 10, 'A') + "\"}";
  auto post = [&](const std::string& path, size_t length, const std::string& from) {
    return RawRequest(Port(),
                      "POST " + path +
                          " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n" +
                          "Content-Length: " + std::to_string(length) + "\r\n\r\n" + body.substr(0, length),
                      from);
  };
  EXPECT_EQ(RawStatus(post("/api/v1/experiments/1/evidence/2/files", body.size(), "127.0.0.41")), 401)
      << "past the front: the API asks who is uploading";
  EXPECT_EQ(RawStatus(post("/api/v1/actors", body.size(), "127.0.0.42")), 413);
  EXPECT_EQ(RawStatus(post("/api/v1/experiments/1/evidence/2/files/x", body.size(), "127.0.0.43")), 413);
  EXPECT_EQ(RawStatus(post("/api/v1/experiments/1/evidence/2/files", 300 << 10, "127.0.0.44")), 413)
      << "over the upload limit, refused from the declared length";
}

TEST_F(HttpFront, ConflictingContentLengthsAreRefusedWith400) {
  Serve(ServerOptions{});
  std::string r = RawRequest(Port(), kLogin + "Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}", "127.0.0.33");
  EXPECT_EQ(RawStatus(r), 400) << r;
}

TEST_F(HttpFront, ContentLengthWithTransferEncodingIsRefusedWith400) {
  Serve(ServerOptions{});
  std::string r = RawRequest(
      Port(), kLogin + "Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", "127.0.0.34");
  EXPECT_EQ(RawStatus(r), 400) << r;
}

TEST_F(HttpFront, ASignedContentLengthIsRefusedWith400) {
  Serve(ServerOptions{});
  std::string r = RawRequest(Port(), kLogin + "Content-Length: +2\r\n\r\n{}", "127.0.0.35");
  EXPECT_EQ(RawStatus(r), 400) << r;
}

TEST_F(HttpFront, ManyHeadersAreRefusedWith431) {
  Serve(ServerOptions{});
  std::string flood = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) flood += "X-A" + std::to_string(i) + ": 1\r\n";
  std::string r = RawRequest(Port(), flood + "\r\n", "127.0.0.36");
  EXPECT_EQ(RawStatus(r), 431) << r.substr(0, 300);
  EXPECT_EQ(TimedGet("/healthz").first, 200);
}

TEST_F(HttpFront, ATooLongTargetIsRefusedWith414) {
  Serve(ServerOptions{});
  std::string r = RawRequest(
      Port(),
      "GET /api/v1/challenges?q=" + std::string(10000, 'a') + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "127.0.0.37");
  EXPECT_EQ(RawStatus(r), 414) << r.substr(0, 300);
}

TEST_F(HttpFront, MalformedPercentEscapesAreRefusedWith400) {
  Serve(ServerOptions{});
  for (const char* target : {"/healthz%G1", "/api/v1/challenges?q=%", "/api/v1/challenges?q=a%2"}) {
    std::string r = RawRequest(
        Port(), std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "127.0.0.38");
    EXPECT_EQ(RawStatus(r), 400) << target << ": " << r.substr(0, 300);
    EXPECT_NE(r.find("two hex digits"), std::string::npos) << target << ": " << r.substr(0, 400);
  }
}

}  // namespace
}  // namespace weefsel::http
