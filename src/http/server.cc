#include "http/server.h"
#include "http/static_assets.h"

#include <httplib.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <algorithm>
#include <chrono>

namespace weefsel::http {
namespace {

thread_local std::chrono::steady_clock::time_point t_start;
thread_local std::string t_request_id;

std::shared_ptr<spdlog::logger> AccessLogger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::get("access");
    if (!l) {
      l = spdlog::stderr_logger_mt("access");
      l->set_pattern("%v");
      l->set_level(spdlog::level::info);
    }
    return l;
  }();
  return logger;
}

// Request bytes (path, method, request id) may be anything a client sends, invalid UTF-8
// included: replace bad bytes rather than throw (an exception here ended the process).
std::string JsonEscape(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Server::Server(Api& api, ServerOptions options) : api_(api), options_(std::move(options)) {}

Server::~Server() {
  Stop();
  Wait();
}

Status Server::Start() {
  server_ = std::make_unique<httplib::Server>();
  auto& s = *server_;
  int threads = options_.threads > 0 ? options_.threads : 1;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_payload_max_length(options_.max_body_bytes);
  s.set_keep_alive_timeout(options_.keep_alive_seconds);
  s.set_keep_alive_max_count(options_.keep_alive_max_requests);
  s.set_read_timeout(10, 0);
  s.set_write_timeout(10, 0);
  s.set_tcp_nodelay(true);
  // Remember the listening socket so that Start() can raise its backlog (below); keep the
  // library's default option (SO_REUSEADDR) since this callback replaces it.
  s.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = sock;
  });
  // Security headers on every response, errors included (docs/hardening.md): scripts only from this
  // server (no inline script, no eval), no framing, no MIME sniffing, no full URLs to other sites.
  s.set_default_headers({{"Content-Security-Policy",
                          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                          "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
                          "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
                         {"X-Content-Type-Options", "nosniff"},
                         {"X-Frame-Options", "DENY"},
                         {"Referrer-Policy", "strict-origin-when-cross-origin"}});

  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_start = std::chrono::steady_clock::now();
    t_request_id = req.get_header_value("X-Request-Id");
    // A client's id is echoed and logged only when it is short printable ASCII without quotes.
    bool printable = std::all_of(t_request_id.begin(), t_request_id.end(),
                                 [](char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; });
    if (t_request_id.empty() || t_request_id.size() > 100 || !printable)
      t_request_id = "r" + std::to_string(next_request_.fetch_add(1));
    res.set_header("X-Request-Id", t_request_id);
    if (ServeStatic(req, res)) {  // the web UI (web/dist)
      // ServeStatic adds its own copies of some security headers: keep one of each, the server's.
      for (const char* k :
           {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"}) {
        auto range = res.headers.equal_range(k);
        if (range.first != range.second) res.headers.erase(std::next(range.first), range.second);
      }
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto handle = [this](const httplib::Request& req, httplib::Response& res) { api_.Handle(req, res); };
  s.Get(".*", handle);
  s.Post(".*", handle);
  s.Put(".*", handle);
  s.Patch(".*", handle);
  s.Delete(".*", handle);
  s.Options(".*", handle);
  // Errors httplib raises itself (413, 414, 400 on a malformed request): give them a problem body.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    StatusCode code = res.status == 413 || res.status == 414 || res.status == 400 ? StatusCode::kInvalidArgument
                      : res.status == 404                                         ? StatusCode::kNotFound
                                                                                  : StatusCode::kInternal;
    std::string what = res.status == 413   ? "body: larger than the limit of the server"
                       : res.status == 414 ? "path: URI too long"
                                           : "request: could not be handled";
    Api::Problem(res, Status(code, what), req.path, res.status);
  });
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    Api::Problem(res, Status::Internal("unexpected error"), req.path, 500);
  });
  if (options_.access_log) {
    auto logger = AccessLogger();
    s.set_logger([logger](const httplib::Request& req, const httplib::Response& res) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_start).count();
      char dur[32];
      snprintf(dur, sizeof dur, "%.3f", ms);
      logger->info(
          "{{\"ts\":\"{}\",\"method\":{},\"path\":{},\"status\":{},\"ms\":{},\"request_id\":{},\"remote\":\"{}\"}}",
          FormatTimestamp(std::chrono::system_clock::now()), JsonEscape(req.method), JsonEscape(req.path), res.status,
          dur, JsonEscape(t_request_id), req.remote_addr);
    });
  }

  if (options_.port == 0) {
    port_ = s.bind_to_any_port(options_.host);
    if (port_ <= 0) return Status::Unavailable("listen: cannot bind " + options_.host);
  } else {
    if (!s.bind_to_port(options_.host, options_.port))
      return Status::Unavailable("listen: cannot bind " + options_.host + ":" + std::to_string(options_.port));
    port_ = options_.port;
  }
  // Debian's cpp-httplib is compiled with a listen backlog of 5: when more clients connect at once
  // the kernel drops their handshakes, and each dropped one costs the client a retransmission
  // (200 ms to seconds: the p99 tail seen in bench/http). Calling listen() again on the bound
  // socket raises the backlog (Linux and the BSDs allow it).
  if (listen_fd_ >= 0 && ::listen(listen_fd_, options_.listen_backlog) != 0)
    return Status::Unavailable("listen: cannot set the backlog of " + options_.host);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void Server::Stop() {
  if (!server_ || !thread_.joinable()) return;
  // The accept loop may not have started yet: wait (briefly) until it runs, then stop it.
  for (int i = 0; i < 200 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server_->stop();
}

void Server::Wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace weefsel::http
