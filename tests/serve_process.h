// A `weefsel serve` process for tests that need the server as a process (shutdown, housekeeping,
// several servers on one database): started on a free port with its output captured, killed when
// the object goes. Test-only. WEEFSEL_BIN names the binary (a compile definition of the test).
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace weefsel::testkit {

class ServeProcess {
  using Clock = std::chrono::steady_clock;

 public:
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
  }

  // Starts `weefsel serve` on a free port and waits for its "serving ... at http://HOST:PORT/" line.
  bool Start(const std::string& db, std::string* error, std::vector<std::string> extra = {}) {
    int fds[2];
    if (pipe(fds) != 0) return Fail("pipe failed", error);
    pid_ = fork();
    if (pid_ < 0) return Fail("fork failed", error);
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      close(fds[1]);
      std::vector<std::string> args = {WEEFSEL_BIN, "serve", "--db",           db, "--listen", "127.0.0.1:0",
                                       "--threads", "4",     "--no-access-log"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(WEEFSEL_BIN, argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
    std::string& seen = seen_;
    auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[512];
      ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) return Fail("weefsel serve exited before serving: " + seen, error);
      seen.append(buf, static_cast<size_t>(n));
      auto at = seen.find("http://127.0.0.1:");
      if (at != std::string::npos && seen.find('/', at + 17) != std::string::npos) {
        port_ = std::stoi(seen.substr(at + 17));
        return true;
      }
    }
    return Fail("weefsel serve did not report its port within 60 s: " + seen, error);
  }

  // The exit status if the process has ended (waiting up to `wait`), or -1 while it runs.
  int ExitStatus(std::chrono::milliseconds wait) {
    auto deadline = Clock::now() + wait;
    do {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (Clock::now() < deadline);
    return -1;
  }

  // Everything the process wrote to stdout and stderr so far, reading for up to `wait` more until
  // `until` appears (empty: just what is there).
  const std::string& Output(std::chrono::milliseconds wait, const std::string& until = "") {
    auto deadline = Clock::now() + wait;
    while (Clock::now() < deadline && (until.empty() || seen_.find(until) == std::string::npos)) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[512];
      ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) break;
      seen_.append(buf, static_cast<size_t>(n));
    }
    return seen_;
  }

  pid_t pid() const { return pid_; }
  int port() const { return port_; }

 private:
  static bool Fail(const std::string& what, std::string* error) {
    *error = what;
    return false;
  }
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
  bool exited_ = false;
  std::string seen_;
};

}  // namespace weefsel::testkit
