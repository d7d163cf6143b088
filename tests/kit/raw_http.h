// tests/kit/raw_http.h: raw bytes over a TCP connection, for tests of what a well-behaved HTTP
// client library would never send (malformed requests, forged headers, another source address).
// Header-only; each call opens and closes its own socket (thread-safe).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace weefsel::testkit {

// Sends `bytes` to 127.0.0.1:port on a new connection (from `source`, any 127.0.0.0/8 address, when
// given) and returns what the server answers until it closes the connection, `timeout_s` pass, or
// one whole response head and at least 200 bytes have arrived. "connect failed" when it cannot.
inline std::string RawRequest(int port, const std::string& bytes, const std::string& source = "", int timeout_s = 2) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      close(fd);
      return "bind failed";
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return "connect failed";
  }
  timeval tv{timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  timeval stv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &stv, sizeof stv);
  for (size_t off = 0; off < bytes.size();) {
    ssize_t w = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (w <= 0) break;  // the server may answer and close before reading everything
    off += static_cast<size_t>(w);
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos && out.size() > 200) break;
  }
  close(fd);
  return out;
}

// The status code of a raw response ("HTTP/1.1 413 ..." -> 413), or 0.
inline int RawStatus(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

}  // namespace weefsel::testkit
