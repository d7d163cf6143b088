// http/server.h: the HTTP server around an Api: sockets, thread pool, limits, access log.
//
// Server runs cpp-httplib with a fixed-size worker pool (each keep-alive connection holds a worker
// while it is open, so the pool size bounds the concurrent connections served), request size
// limits (body, URI), keep-alive, and a structured access log line per request (method, path,
// status, duration, request id; the id comes from X-Request-Id or is generated, and is echoed
// back). Every request goes to Api::Handle. Stop() ends the accept loop and lets requests in flight
// finish before Wait()/Run() returns (graceful shutdown).
// Thread-safety: Start/Stop/Wait may be called from different threads; Stop is idempotent.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "base/status.h"
#include "http/api.h"

namespace httplib {
class Server;
}

namespace weefsel::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 = any free port (see Server::port())
  int threads = 64;                 // worker pool size
  size_t max_body_bytes = 1 << 20;  // 413 above this
  int keep_alive_seconds = 5;
  size_t keep_alive_max_requests = 10000;
  bool access_log = true;
  int listen_backlog = 1024;  // pending connections the kernel queues before accept
};

class Server {
 public:
  Server(Api& api, ServerOptions options);
  ~Server();

  // Binds the socket and starts serving in a background thread.
  Status Start();
  // The bound port (after Start).
  int port() const { return port_; }
  // Stops accepting, finishes requests in flight; idempotent.
  void Stop();
  // Blocks until the server has stopped.
  void Wait();

 private:
  Api& api_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int listen_fd_ = -1;  // the listening socket, seen through httplib's socket-options hook
  std::atomic<uint64_t> next_request_{1};
};

}  // namespace weefsel::http
