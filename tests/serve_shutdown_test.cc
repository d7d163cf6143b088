// Graceful shutdown of `weefsel serve`, as a process: a request in flight when SIGTERM arrives is
// answered in full, no new connection is accepted after the signal, and the process exits 0. And
// its housekeeping: the retention sweep runs at start; a bad accessibility statement stops the start.
// The in-flight request is made slow from the client side (its body is sent in two halves with the
// signal in between), so the test does not depend on how fast the machine is.
// Label unit; the weefsel binary comes from the build (WEEFSEL_BIN).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/serve_process.h"

namespace {

using weefsel::testkit::ServeProcess;

using Clock = std::chrono::steady_clock;

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads until the peer closes the connection or `timeout` passes.
std::string ReadUntilClosed(int fd, std::chrono::seconds timeout) {
  std::string out;
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST(ServeShutdown, RequestInFlightFinishesAndTheProcessExitsZero) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("weefsel-shutdown-" + std::to_string(getpid()) + "-" + std::to_string(rd() % 100000));
  std::filesystem::create_directories(dir);
  std::string error;
  {
    ServeProcess serve;
    ASSERT_TRUE(serve.Start((dir / "weefsel.db").string(), &error)) << error;

    // The server answers.
    int probe = Connect(serve.port());
    ASSERT_GE(probe, 0);
    ASSERT_TRUE(SendAll(probe, "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    EXPECT_EQ(ReadUntilClosed(probe, std::chrono::seconds(10)).substr(0, 12), "HTTP/1.1 200");
    close(probe);

    // A login whose body is only half sent: the request is in flight.
    const std::string body = R"({"email":"nobody@example.nl","password":"not the password"})";
    int fd = Connect(serve.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd,
                        "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                        "Content-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_EQ(kill(serve.pid(), SIGTERM), 0);

    // The process waits for the request; new connections are no longer accepted.
    EXPECT_EQ(serve.ExitStatus(std::chrono::milliseconds(700)), -1) << "exited with a request in flight";
    int late = -1;
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      late = Connect(serve.port());
      if (late < 0) break;
      close(late);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_LT(late, 0) << "a new connection was accepted after SIGTERM";

    // The rest of the body: the request is answered in full (unknown account: 401 problem+json).
    ASSERT_TRUE(SendAll(fd, body.substr(body.size() / 2)));
    std::string reply = ReadUntilClosed(fd, std::chrono::seconds(20));
    close(fd);
    EXPECT_EQ(reply.substr(0, 12), "HTTP/1.1 401") << reply;
    EXPECT_NE(reply.find("application/problem+json"), std::string::npos) << reply;
    EXPECT_NE(reply.find("\"status\":401"), std::string::npos) << reply;

    EXPECT_EQ(serve.ExitStatus(std::chrono::seconds(20)), 0);
  }
  std::filesystem::remove_all(dir);
}

TEST(ServeHousekeeping, TheRetentionSweepRunsAtStartAndTheStatementIsServed) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("weefsel-housekeeping-" + std::to_string(getpid()) + "-" + std::to_string(rd() % 100000));
  std::filesystem::create_directories(dir);
  std::string error;
  {
    ServeProcess serve;
    std::string example = std::string(WEEFSEL_SOURCE_DIR) + "/deploy/toegankelijkheid.example.json";
    ASSERT_TRUE(serve.Start((dir / "weefsel.db").string(), &error, {"--accessibility", example})) << error;
    EXPECT_NE(serve.Output(std::chrono::seconds(20), "retention sweep removed").find("retention sweep removed"),
              std::string::npos)
        << serve.Output(std::chrono::milliseconds(0));
    int fd = Connect(serve.port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "GET /toegankelijkheid HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    std::string page = ReadUntilClosed(fd, std::chrono::seconds(10));
    close(fd);
    EXPECT_EQ(page.substr(0, 12), "HTTP/1.1 200");
    EXPECT_NE(page.find("Gemeente Voorbeeldstad"), std::string::npos);
    ASSERT_EQ(kill(serve.pid(), SIGTERM), 0);
    EXPECT_EQ(serve.ExitStatus(std::chrono::seconds(20)), 0);
  }
  {
    // A statement with a mistake: the server does not start, and says where the mistake is.
    auto bad = dir / "toegankelijkheid.json";
    std::ofstream(bad) << R"({"organisation": "X", "website": "https://x.nl", "status": "Z"})";
    ServeProcess serve;
    EXPECT_FALSE(serve.Start((dir / "weefsel.db").string(), &error, {"--accessibility", bad.string()}));
    EXPECT_NE(error.find("toegankelijkheid.json: status: 'Z' is not one of A, B, C, D, E"), std::string::npos) << error;
    EXPECT_EQ(serve.ExitStatus(std::chrono::seconds(10)), 2);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
