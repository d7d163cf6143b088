// tests/kit/smtp_sink.h: a local SMTP sink for tests that send mail (the digest end to end).
//
// SmtpSink listens on 127.0.0.1 on a free port, speaks just enough SMTP (EHLO, MAIL, RCPT, DATA,
// QUIT) and records each message; `refuse_rcpt` makes RCPT TO that address fail with 550. BodyOf
// decodes the base64 body of a recorded message. Test-only; received() may be called from any
// thread.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace weefsel::testkit {

class SmtpSink {
 public:
  struct Received {
    std::string from, to, data;
  };

  SmtpSink() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 8);
    thread_ = std::thread([this] { Serve(); });
  }
  ~SmtpSink() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<Received> received() {
    std::lock_guard<std::mutex> l(mu_);
    return received_;
  }
  std::string refuse_rcpt;  // RCPT TO this address gets 550

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      Session(c);
      ::close(c);
    }
  }
  static void Say(int c, const std::string& s) { (void)::send(c, s.data(), s.size(), MSG_NOSIGNAL); }
  void Session(int c) {
    Say(c, "220 sink ESMTP\r\n");
    std::string buf, from, to;
    bool in_data = false;
    std::string data;
    char tmp[4096];
    while (true) {
      ssize_t n = ::recv(c, tmp, sizeof tmp, 0);
      if (n <= 0) return;
      buf.append(tmp, static_cast<size_t>(n));
      size_t eol;
      while ((eol = buf.find("\r\n")) != std::string::npos) {
        std::string line = buf.substr(0, eol);
        buf.erase(0, eol + 2);
        if (in_data) {
          if (line == ".") {
            in_data = false;
            std::lock_guard<std::mutex> l(mu_);
            received_.push_back({from, to, data});
            Say(c, "250 queued\r\n");
          } else {
            data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\n";
          }
        } else if (line.rfind("EHLO", 0) == 0) {
          Say(c, "250-sink\r\n250 8BITMIME\r\n");
        } else if (line.rfind("MAIL FROM:", 0) == 0) {
          from = line.substr(10);
          Say(c, "250 ok\r\n");
        } else if (line.rfind("RCPT TO:", 0) == 0) {
          to = line.substr(8);
          Say(c, to == "<" + refuse_rcpt + ">" ? "550 no such user\r\n" : "250 ok\r\n");
        } else if (line == "DATA") {
          data.clear();
          in_data = true;
          Say(c, "354 go ahead\r\n");
        } else if (line == "QUIT") {
          Say(c, "221 bye\r\n");
          return;
        } else {
          Say(c, "500 what\r\n");
        }
      }
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<Received> received_;
};

inline std::string BodyOf(const std::string& data) {
  size_t start = data.find("\n\n");
  std::string b64;
  for (char ch : data.substr(start + 2))
    if (ch != '\n') b64 += ch;
  std::string out(b64.size(), '\0');
  size_t len = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(), b64.size(), nullptr,
                              &len, nullptr, sodium_base64_VARIANT_ORIGINAL),
            0);
  out.resize(len);
  return out;
}

}  // namespace weefsel::testkit
