// The HTTP front on Boost.Beast: the only file of weefsel that includes the HTTP library.
#include "http/server.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/clock.h"
#include "http/message.h"
#include "http/static_assets.h"

namespace weefsel::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;

namespace {

// Security headers on every response, errors included (docs/hardening.md): scripts only from this
// server (no inline script, no eval), no framing, no MIME sniffing, no full URLs to other sites.
const std::pair<const char*, const char*> kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
     "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
     "form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"}};

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
// included: replace bad bytes rather than throw (an exception here once ended the process).
std::string JsonEscape(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A client's request id is kept only when it is short printable ASCII without quotes.
std::string RequestIdOf(const std::string& given, uint64_t number) {
  bool printable =
      std::all_of(given.begin(), given.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (given.empty() || given.size() > 100 || !printable) return "r" + std::to_string(number);
  return given;
}

// What a refusal by the front looks like: problem+json with the security headers.
Response FrontProblem(int status, const std::string& detail, const std::string& instance) {
  Response res;
  StatusCode code = status == 503 ? StatusCode::kUnavailable : StatusCode::kInvalidArgument;
  Api::Problem(res, Status(code, detail), instance, status);
  return res;
}

// The status and words for a request the parser refused.
std::pair<int, std::string> ParseRefusal(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return {413, "body: larger than the limit of the server"};
  if (ec == bhttp::error::header_limit) return {431, "headers: larger than the limit of the server"};
  if (ec == bhttp::error::bad_content_length || ec == bhttp::error::multiple_content_length)
    return {400, "Content-Length: malformed or given twice with different values"};
  if (ec == bhttp::error::bad_transfer_encoding)
    return {400, "Transfer-Encoding: unsupported, repeated, or sent with Content-Length"};
  if (ec == bhttp::error::bad_target) return {400, "path: malformed request target"};
  if (ec == bhttp::error::bad_method) return {400, "method: malformed"};
  return {400, "request: malformed HTTP (" + ec.message() + ")"};
}

// The refusal of a request whose target is too long (414), before its body is read; 0 when fine.
int TargetRefusal(std::string_view target, const ServerOptions& o) {
  return target.size() > o.max_target_bytes ? 414 : 0;
}
constexpr const char* kTargetTooLong = "path: the request target is longer than the server accepts";

// An upload that may be larger than other bodies (ServerOptions::max_upload_bytes): a file
// attached to milestone evidence, POST /api/v1/experiments/{id}/evidence/{evidence}/files.
bool IsUpload(std::string_view method, std::string_view target) {
  if (method != "POST") return false;
  target = target.substr(0, target.find('?'));
  constexpr std::string_view kHead = "/api/v1/experiments/", kMid = "/evidence/", kTail = "/files";
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (target.substr(0, kHead.size()) != kHead) return false;
  target.remove_prefix(kHead.size());
  auto mid = target.find(kMid);
  if (mid == std::string_view::npos || !digits(target.substr(0, mid))) return false;
  target.remove_prefix(mid + kMid.size());
  if (target.size() <= kTail.size() || target.substr(target.size() - kTail.size()) != kTail) return false;
  return digits(target.substr(0, target.size() - kTail.size()));
}
constexpr const char* kBadEscape = "path: a '%' must be followed by two hex digits";

// The neutral request; false (and a 400) when the target holds a malformed percent escape.
bool ToRequest(bhttp::request<bhttp::string_body>& r, const std::string& remote, Request& req) {
  req.method = std::string(r.method_string());
  req.target = std::string(r.target());
  bool ok = ParseTarget(req.target, req.path, req.params);
  for (const auto& f : r) req.headers.emplace(std::string(f.name_string()), std::string(f.value()));
  req.body = std::move(r.body());
  req.remote_addr = remote;
  return ok;
}

// The headers every answer carries, the front's own refusals included: its request id and the
// security headers (the server's values win over any a handler set). Applied once, just before
// the answer is written.
void Finish(Response& res, const std::string& request_id) {
  res.ReplaceHeader("X-Request-Id", request_id);
  for (const auto& [k, v] : kSecurityHeaders) res.ReplaceHeader(k, v);
}

// Runs one request through the static files or the Api; never throws.
Response Dispatch(Api& api, const Request& req) {
  Response res;
  try {
    if (!ServeStatic(req, res)) api.Handle(req, res);
  } catch (const std::exception&) {
    res = Response{};
    Api::Problem(res, Status::Internal("unexpected error"), req.path, 500);
  }
  return res;
}

// The wire form of a response. A HEAD answer keeps the Content-Length of the body it omits.
bhttp::response<bhttp::string_body> ToBeast(Response&& res, bool head, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(res.status));
  for (const auto& [k, v] : res.headers) {
    if (!CaseLess{}(k, "Content-Length") && !CaseLess{}("Content-Length", k)) continue;  // set below
    out.insert(k, v);
  }
  bool no_body = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
  if (head) {
    std::string declared = res.Header("Content-Length");
    if (!res.body.empty() || declared.empty()) declared = std::to_string(res.body.size());
    if (!no_body) out.set(bhttp::field::content_length, declared);
  } else if (!no_body) {
    out.body() = std::move(res.body);
    out.prepare_payload();
  } else if (res.status == 304) {
    // No body follows; some HTTP client libraries wait for one unless told.
    out.set(bhttp::field::content_length, "0");
  }
  out.keep_alive(keep_alive);
  return out;
}

}  // namespace

// ---- the server -------------------------------------------------------------------------------

class Connection;

class Server::Impl : public std::enable_shared_from_this<Server::Impl> {
 public:
  Impl(Api& api, ServerOptions o)
      : api_(api),
        o_(std::move(o)),
        acceptor_(asio::make_strand(ioc_)),
        workers_(static_cast<size_t>(std::max(1, o_.threads))),
        logger_(o_.access_log ? AccessLogger() : nullptr) {}

  Status Listen(int& port) {
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(o_.host, std::to_string(o_.port), ec);
    if (ec || results.empty()) return Status::Unavailable("listen: cannot resolve " + o_.host + ": " + ec.message());
    tcp::endpoint ep = results.begin()->endpoint();
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (ec)
      return Status::Unavailable("listen: cannot bind " + o_.host + ":" + std::to_string(o_.port) + ": " +
                                 ec.message());
    acceptor_.listen(o_.listen_backlog, ec);
    if (ec) return Status::Unavailable("listen: cannot listen on " + o_.host + ": " + ec.message());
    port = acceptor_.local_endpoint().port();
    return Status::Ok();
  }

  void Run() {
    Accept();
    int n = std::max(1, o_.io_threads);
    for (int i = 0; i < n; ++i) io_.emplace_back([self = shared_from_this()] { self->ioc_.run(); });
  }

  void Stop() {
    // Once only, and capturing `this`, not a shared pointer: a handler left in the queue of an
    // event loop that has already ended (a second Stop after Wait) would otherwise keep the
    // Impl, which owns that loop, alive for ever.
    if (stop_requested_.exchange(true)) return;
    // On the acceptor's strand: with several I/O threads, an accept completing on one thread must
    // not race the close on another.
    asio::post(acceptor_.get_executor(), [this] {
      stopping_ = true;
      beast::error_code ec;
      acceptor_.close(ec);
      CloseIdle();
    });
  }

  void Wait() {
    for (auto& t : io_)
      if (t.joinable()) t.join();
    workers_.join();
  }

  size_t Connections() {
    std::lock_guard lock(mu_);
    return total_;
  }

  // Admission: false when the address or the server is at its cap.
  bool Admit(const std::string& addr, std::string& why) {
    std::lock_guard lock(mu_);
    if (total_ >= o_.max_connections) {
      why = "server: too many open connections; try again shortly";
      return false;
    }
    if (per_address_[addr] >= o_.max_connections_per_address) {
      why = "server: too many open connections from your address";
      return false;
    }
    ++total_;
    ++per_address_[addr];
    return true;
  }
  void Release(const std::string& addr) {
    std::lock_guard lock(mu_);
    --total_;
    if (--per_address_[addr] == 0) per_address_.erase(addr);
  }
  void Track(const std::shared_ptr<Connection>& c);
  void Untrack(Connection* c) {
    std::lock_guard lock(mu_);
    live_.erase(c);
  }
  void CloseIdle();

  void Log(const std::string& method, const std::string& path, int status, SteadyTime start,
           const std::string& request_id, const std::string& remote) {
    if (!logger_) return;
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    char dur[32];
    snprintf(dur, sizeof dur, "%.3f", ms);
    logger_->info("{{\"ts\":\"{}\",\"method\":{},\"path\":{},\"status\":{},\"ms\":{},\"request_id\":{},\"remote\":{}}}",
                  FormatTimestamp(std::chrono::system_clock::now()), JsonEscape(method), JsonEscape(path), status, dur,
                  JsonEscape(request_id), JsonEscape(remote));
  }

  Api& api_;
  const ServerOptions o_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::thread_pool workers_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<std::thread> io_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<uint64_t> next_request_{1};

 private:
  void Accept();

  std::mutex mu_;  // guards the counts and live_
  size_t total_ = 0;
  std::unordered_map<std::string, size_t> per_address_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> live_;
};

// One client connection: reads requests one after the other (keep-alive), hands each to the
// worker pool, writes the answer. All of its handlers run on its strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Server::Impl> srv, tcp::socket socket, std::string addr, bool admitted)
      : srv_(std::move(srv)), stream_(std::move(socket)), addr_(std::move(addr)), admitted_(admitted) {}
  ~Connection() {
    if (admitted_) srv_->Release(addr_);
    srv_->Untrack(this);
  }

  void Start() { ReadHeader(); }

  // Refuses the connection at admission with a 503 and closes it.
  void Refuse(const std::string& why) {
    busy_ = true;
    start_ = std::chrono::steady_clock::now();
    Send(FrontProblem(503, why, "/"), false, false, 11, "-", "-");
  }

  // Called on the strand when the server stops: an idle connection is closed at once.
  void CloseIfIdle() {
    if (!busy_) {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
    }
  }
  tcp::socket::executor_type Executor() { return stream_.socket().get_executor(); }

 private:
  void ReadHeader() {
    if (srv_->stopping_) return Close();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(srv_->o_.max_header_bytes));
    // The larger of the two limits until the target is known (OnHeader sets the one that applies);
    // a declared Content-Length is checked there against it, before any body byte is read.
    parser_->body_limit(std::max(srv_->o_.max_body_bytes, srv_->o_.max_upload_bytes));
    int seconds = served_ == 0 ? srv_->o_.header_timeout_seconds
                               : std::min(srv_->o_.keep_alive_seconds, srv_->o_.header_timeout_seconds);
    stream_.expires_after(std::chrono::seconds(seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    start_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof || ec == asio::error::bad_descriptor)
      return Close();  // the client left, or sent nothing in time
    busy_ = true;
    if (ec) {
      auto [status, what] = ParseRefusal(ec);
      std::string target = parser_->get().target().empty() ? "/" : std::string(parser_->get().target());
      return Send(FrontProblem(status, what, "-"), false, false, 11, std::string(parser_->get().method_string()),
                  target);
    }
    if (int status = TargetRefusal(parser_->get().target(), srv_->o_))
      return Send(FrontProblem(status, kTargetTooLong, "-"), false, false, parser_->get().version(),
                  std::string(parser_->get().method_string()), "-");
    auto method = parser_->get().method_string();
    auto target = parser_->get().target();
    const size_t limit =
        IsUpload(std::string_view(method.data(), method.size()), std::string_view(target.data(), target.size()))
            ? std::max(srv_->o_.max_body_bytes, srv_->o_.max_upload_bytes)
            : srv_->o_.max_body_bytes;
    if (auto declared = parser_->content_length(); declared && *declared > limit) {
      auto [status, what] = ParseRefusal(bhttp::error::body_limit);
      return Send(FrontProblem(status, what, "-"), false, false, parser_->get().version(),
                  std::string(parser_->get().method_string()), std::string(parser_->get().target()));
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return OnBody({});
    stream_.expires_after(std::chrono::seconds(srv_->o_.body_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code e, size_t) { self->OnBody(e); });
  }

  void OnBody(beast::error_code ec) {
    auto& msg = parser_->get();
    std::string method(msg.method_string()), target(msg.target());
    if (ec == beast::error::timeout)
      return Send(FrontProblem(408, "body: not received in time", "-"), false, false, msg.version(), method, target);
    if (ec == bhttp::error::body_limit ||
        (ec && ec != bhttp::error::end_of_stream && ec != asio::error::eof && ec != asio::error::connection_reset)) {
      auto [status, what] = ParseRefusal(ec);
      return Send(FrontProblem(status, what, "-"), false, false, msg.version(), method, target);
    }
    if (ec) return Close();  // the client went away mid-body
    bool keep = msg.keep_alive() && served_ + 1 < srv_->o_.keep_alive_max_requests && !srv_->stopping_;
    bool head = msg.method() == bhttp::verb::head;
    unsigned version = msg.version();
    auto req = std::make_shared<Request>();
    bool well_formed = ToRequest(msg, addr_, *req);
    std::string id = RequestIdOf(req->Header("X-Request-Id"), srv_->next_request_.fetch_add(1));
    if (!well_formed)  // the body has been read: the connection may stay open
      return Send(FrontProblem(400, kBadEscape, req->path), keep, head, version, req->method, req->path, id);
    // A public read whose answer is in the response cache for a data version known without the
    // store is answered here, on the event loop: no hop to a worker and back (two thread wake-ups,
    // the main cost of a cached answer).
    if (IsApiPath(req->path)) {
      Response cached;
      bool hit = false;
      try {
        hit = srv_->api_.TryCached(*req, cached);
      } catch (const std::exception&) {
        hit = false;  // the worker's Dispatch answers it (and a handler's error with a 500)
      }
      if (hit) return Send(std::move(cached), keep, head, version, req->method, req->path, id);
    }
    stream_.expires_never();
    // The handler may block (store, engines): it runs on the worker pool, never on the event loop.
    // The work guard keeps the event loop alive (a graceful stop waits for this request).
    asio::post(srv_->workers_, [self = shared_from_this(), req, id, keep, head, version,
                                guard = asio::make_work_guard(srv_->ioc_)]() mutable {
      auto res = std::make_shared<Response>(Dispatch(self->srv_->api_, *req));
      asio::post(self->Executor(), [self, req, res, id, keep, head, version, guard = std::move(guard)]() mutable {
        self->Send(std::move(*res), keep, head, version, req->method, req->path, id);
      });
    });
  }

  void Send(Response res, bool keep, bool head, unsigned version, const std::string& method, const std::string& path,
            std::string id = "") {
    // The front's own refusals have no request to take an id from: they get a fresh one.
    if (id.empty()) id = RequestIdOf("", srv_->next_request_.fetch_add(1));
    Finish(res, id);
    int status = res.status;
    res_ = std::make_shared<bhttp::response<bhttp::string_body>>(ToBeast(std::move(res), head, version, keep));
    stream_.expires_after(std::chrono::seconds(30));
    bhttp::async_write(stream_, *res_,
                       [self = shared_from_this(), keep, method, path, status, id](beast::error_code ec, size_t) {
                         self->srv_->Log(method, path, status, self->start_, id, self->addr_);
                         self->res_.reset();
                         if (ec || !keep) return self->Linger();
                         ++self->served_;
                         self->ReadHeader();
                       });
  }

  // Closes after an answer: stop sending, then read and drop what the client still sends (for a
  // moment, and a bounded amount) so that our answer is not lost to a reset (as nginx's
  // lingering close does).
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(std::chrono::seconds(2));
    Drain();
  }
  void Drain() {
    drain_.resize(16 * 1024);
    stream_.async_read_some(asio::buffer(drain_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > (4u << 20)) return self->Close();
      self->Drain();
    });
  }
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  std::shared_ptr<Server::Impl> srv_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> res_;
  std::string addr_;
  bool admitted_;
  bool busy_ = false;  // a request's headers have been read and it is not answered yet
  size_t served_ = 0;
  size_t drained_ = 0;
  std::vector<char> drain_;
  SteadyTime start_ = std::chrono::steady_clock::now();
};

void Server::Impl::Track(const std::shared_ptr<Connection>& c) {
  std::lock_guard lock(mu_);
  live_[c.get()] = c;
}

void Server::Impl::CloseIdle() {
  std::vector<std::shared_ptr<Connection>> conns;
  {
    std::lock_guard lock(mu_);
    for (auto& [p, w] : live_)
      if (auto c = w.lock()) conns.push_back(std::move(c));
  }
  for (auto& c : conns) asio::post(c->Executor(), [c] { c->CloseIfIdle(); });
}

void Server::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
    if (self->stopping_ || !self->acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors and the like: wait a moment rather than spin.
      auto timer = std::make_shared<asio::steady_timer>(self->acceptor_.get_executor(), std::chrono::milliseconds(50));
      timer->async_wait([self, timer](beast::error_code) { self->Accept(); });
      return;
    }
    beast::error_code e;
    auto peer = s.remote_endpoint(e);
    std::string addr = e ? std::string("unknown") : peer.address().to_string();
    s.set_option(tcp::no_delay(true), e);
    std::string why;
    bool admitted = self->Admit(addr, why);
    auto c = std::make_shared<Connection>(self, std::move(s), addr, admitted);
    self->Track(c);
    if (admitted) {
      asio::dispatch(c->Executor(), [c] { c->Start(); });
    } else {
      asio::dispatch(c->Executor(), [c, why] { c->Refuse(why); });
    }
    self->Accept();
  });
}

Server::Server(Api& api, ServerOptions options) : api_(api), options_(std::move(options)) {}

Server::~Server() {
  Stop();
  Wait();
}

Status Server::Start() {
  impl_ = std::make_shared<Impl>(api_, options_);
  WEEFSEL_RETURN_IF_ERROR(impl_->Listen(port_));
  impl_->Run();
  return Status::Ok();
}

void Server::Stop() {
  if (impl_) impl_->Stop();
}

void Server::Wait() {
  if (impl_) impl_->Wait();
}

size_t Server::connections() const { return impl_ ? impl_->Connections() : 0; }

// ---- without a socket (the fuzzer) ------------------------------------------------------------

std::string HandleRawRequest(Api& api, const ServerOptions& options, std::string_view bytes) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  parser.eager(true);
  beast::error_code ec;
  size_t used = 0;
  // Beast's contract (what its own read loop keeps): after need_more, the next put must offer the
  // unconsumed bytes *and more*. All bytes are offered at once, so need_more means the request is
  // incomplete; offering the same bytes again trips the parser's assertions (fuzz_http_request found it).
  while (!ec && used < bytes.size() && !parser.is_done()) {
    size_t n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == bhttp::error::need_more) {
      ec = {};
      break;
    }
    if (n == 0) break;
  }
  // Incomplete (a request's body never ends at EOF): the server would wait, then time out.
  if (!ec && !parser.is_done()) return "";
  Response res;
  bool head = false;
  std::string id = "r1";
  if (ec) {
    res = FrontProblem(ParseRefusal(ec).first, ParseRefusal(ec).second, "-");
  } else {
    auto& msg = parser.get();
    head = msg.method() == bhttp::verb::head;
    Request req;
    if (TargetRefusal(msg.target(), options))
      res = FrontProblem(414, kTargetTooLong, "-");
    else if (!ToRequest(msg, "127.0.0.1", req))
      res = FrontProblem(400, kBadEscape, req.path);
    else
      res = Dispatch(api, req);
    id = RequestIdOf(req.Header("X-Request-Id"), 1);
  }
  Finish(res, id);
  // The access log's escaping of what the request held must not throw either.
  (void)JsonEscape(id);
  auto wire = ToBeast(std::move(res), head, 11, false);
  std::ostringstream out;
  out << wire.base() << wire.body();
  return out.str();
}

}  // namespace weefsel::http
