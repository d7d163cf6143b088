// http/server.h: the HTTP front around an Api: sockets, event loop, worker pool, limits, log.
//
// Server is event-driven (Boost.Beast over Asio; docs/decisions/0001-http-front.md): a few I/O
// threads run every connection asynchronously, so an open connection costs a socket and a few
// kilobytes, never a thread. Each complete request is handed to a bounded pool of worker threads
// that runs Api::Handle (which may block on the store or an engine); the answer is written back by
// the connection's I/O strand. Only http/server.cc includes the library; handlers see
// http::Request / http::Response (http/message.h).
//
// Hostile clients cost others nothing: the request line and headers must arrive within
// header_timeout, a body within body_timeout, an idle keep-alive connection is closed after
// keep_alive_seconds; connections are capped per client address and in total (503
// application/problem+json beyond either); headers are limited to max_header_bytes (431), a body
// to max_body_bytes, or max_upload_bytes for an evidence file's upload (413, from a declared
// Content-Length before anything is read, and for chunked bodies as they arrive); conflicting Content-Length /
// Transfer-Encoding and malformed requests are 400. Every response carries the security headers, and one JSON
// access-log line is written per request (logger "access"; request bytes escaped with invalid UTF-8 replaced). Stop()
// closes the listening socket and idle connections; requests in flight (headers read) finish and are answered before
// Wait() returns (graceful shutdown). Thread-safety: Start/Stop/Wait may be called from different threads; Stop is
// idempotent.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/api.h"

namespace weefsel::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 = any free port (see Server::port())
  int threads = 16;                 // worker pool running handlers
  int io_threads = 1;               // event-loop threads
  size_t max_body_bytes = 1 << 20;  // 413 above this
  // 413 above this for a file attached to milestone evidence (5 MiB of file as base64 in JSON).
  size_t max_upload_bytes = 7 << 20;
  size_t max_header_bytes = 32 << 10;  // request line and headers; 431 above this
  size_t max_target_bytes = 8 << 10;   // the request target (path and query); 414 above this
  int keep_alive_seconds = 5;          // idle time between requests on one connection
  int header_timeout_seconds = 10;     // the request line and headers must arrive within this
  int body_timeout_seconds = 30;       // the whole body must arrive within this
  size_t keep_alive_max_requests = 10000;
  size_t max_connections = 20000;            // in total (503 beyond)
  size_t max_connections_per_address = 256;  // per client IP address (503 beyond)
  bool access_log = true;
  int listen_backlog = 1024;  // pending connections the kernel queues before accept
};

class Server {
 public:
  Server(Api& api, ServerOptions options);
  ~Server();

  // Binds the socket and starts serving in background threads.
  Status Start();
  // The bound port (after Start).
  int port() const { return port_; }
  // Stops accepting, closes idle connections, finishes requests in flight; idempotent.
  void Stop();
  // Blocks until the server has stopped.
  void Wait();
  // Open connections now (for tests and /readyz-style checks).
  size_t connections() const;

  class Impl;  // http/server.cc

 private:
  Api& api_;
  ServerOptions options_;
  std::shared_ptr<Impl> impl_;
  int port_ = 0;
};

// Runs the server's request handling on raw request bytes without a socket: parses them as the
// server does (same limits), runs the Api or a static file, and returns the raw response. For the
// fuzzer (fuzz/fuzz_http_request.cc) and tests.
std::string HandleRawRequest(Api& api, const ServerOptions& options, std::string_view bytes);

}  // namespace weefsel::http
