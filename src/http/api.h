// http/api.h: the JSON API under /api/v1: one route table, the request pipeline, OpenAPI.
//
// The route table (Api::routes()) is the single place where routes are declared: the server
// dispatches from it, the OpenAPI 3.1 document at /api/v1/openapi.json is generated from it, and
// the authorisation-matrix test iterates over it. Handlers are thin: decode, call one
// service::Platform function (which checks rights), encode.
//
// The pipeline (Api::Handle): route match (404 / 405 as problem+json), the response cache for
// public reads (per store data version), authentication (Bearer API token, or the session cookie
// plus the X-CSRF-Token header on state-changing requests), body limits (JSON object, depth,
// field lengths), the handler, errors as RFC 9457 application/problem+json naming the field, and
// ETags with conditional GET (If-None-Match -> 304) on every successful read.
//
// Thread-safety: Handle may be called from many threads at once (the cache has its own lock; the
// Platform is thread-safe). The Api must outlive the server that calls it.
#pragma once

#include "http/message.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "http/json_codec.h"
#include "http/response_cache.h"
#include "service/accessibility.h"
#include "service/appearance.h"
#include "service/engines.h"
#include "service/introductions.h"
#include "service/oidc.h"
#include "service/platform.h"
#include "service/task_challenges.h"
#include "service/votes.h"

namespace weefsel::http {

struct Call;  // one request as a handler sees it (api.cc)
struct Reply {
  int status = 0;   // 0: the route's success status; set only for another answer (a 422, say)
  Json json;        // the body, unless `raw` is set
  std::string raw;  // a pre-encoded body (with content_type)
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // Built from data older than the current version (an engine result served while its rebuild
  // runs): answered, never stored in the response cache.
  bool stale = false;
};
using Handler = std::function<Result<Reply>(Call&)>;

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // "/api/v1/actors/{id}"; every {param} is a positive integer
  std::string tag;     // OpenAPI tag
  std::string summary;
  int success = 200;        // the status of a successful answer (201 created, 204 no content)
  bool needs_user = false;  // documented security; the service decides the rights
  bool has_body = false;    // expects a JSON object
  bool cached = false;      // public read, cached while its scopes hold
  // The change scopes a cached read depends on (storage/store.h, namespace scope); "{id}" stands
  // for the path's first id. A cached route must name them (a test checks).
  std::vector<std::string> scopes;
  std::vector<std::string> query;  // accepted query parameters
  // The JSON Schemas of the request body (when has_body) and of the successful answer (unless
  // 204), published in the OpenAPI document: a $ref to a component generated from a field table
  // (kit::Ref("Actor"), kit::PageOf("Actor")), a small inline schema, or kit::FreeForm("why") for
  // the few answers without a fixed shape. null: not declared (a test refuses that).
  Json request;
  Json response;
  Handler handler;
  std::vector<std::string> segments;  // path split on '/'
};

struct ApiOptions {
  // How long a request waits for an engine rebuild before the previous result answers, marked
  // stale (service/engines.h); nullopt: until the rebuild ends.
  std::optional<std::chrono::milliseconds> engine_wait;
  // How long a request waits for a result's first build before 503 `building` with Retry-After
  // (service/engines.h, EngineOptions::first_wait); nullopt: until it is built.
  std::optional<std::chrono::milliseconds> engine_first_wait;
  bool secure_cookies = false;    // add Secure to the session cookie (behind TLS)
  size_t cache_bytes = 64 << 20;  // response cache budget (keys and bodies; least recently used out first)
  int64_t max_page_size = 100;
  int64_t default_page_size = 20;
  // GET /toegankelijkheid: the deployer's accessibility statement and weefsel's own axe-core results
  // (either may be absent; the page says so).
  std::shared_ptr<const service::AccessibilityStatement> accessibility;
  std::shared_ptr<const service::AxeResults> axe_results;
  // Sign-in through identity providers (OpenID Connect); nullptr: passwords only.
  std::shared_ptr<service::OidcSignIn> oidc;
  // The matcher's learned stage, loaded at start (`weefsel serve --match-model`); nullptr: linear.
  std::shared_ptr<const match::LearnedRanker> match_model;
};

// One stable refusal code of problem+json answers: its parameters and what it means. The one list,
// published as the enum of Problem.code in the OpenAPI document and as the table in docs/api.md
// ("Refusal codes"; a test checks the two agree). The web UI words each in Dutch and English.
struct RefusalCode {
  std::string_view code;
  std::string_view params;  // "from, to" ("" for none)
  std::string_view meaning;
};
const std::vector<RefusalCode>& RefusalCodes();

class Api {
 public:
  Api(service::Platform& platform, ApiOptions options = {});

  const std::vector<Route>& routes() const { return routes_; }
  // The OpenAPI 3.1 document, generated from routes().
  Json OpenApi() const;
  // Runs the whole pipeline for one request.
  void Handle(const Request& req, Response& res);
  // The answer to a public read from the response cache, when one is there for the data version
  // known without asking the store; false when the request needs Handle (which may block). Never
  // blocks on more than the cache's own lock, so the server may call it on its event loop.
  bool TryCached(const Request& req, Response& res);
  // Queues the first builds of the engines (the matcher, every municipality's fabric) on their
  // workers and returns at once: for a server that starts.
  void WarmEngines() { engines_.Prewarm(); }
  // The matcher's service, for the server's retraining of its learned stage (service/match_retrain.h).
  service::MatchService& matches() { return engines_.matches(); }
  // Writes an RFC 9457 problem for `s` into `res`.
  static void Problem(Response& res, const Status& s, const std::string& instance, int http_status = 0);
  // The problem's `code` and `params`: the reason `s` carries, else one derived from the HTTP
  // status and the field at fault (docs/api.md, "Refusal codes").
  static std::pair<std::string, ReasonParams> RefusalOf(const Status& s, int http_status, const std::string& field);

 private:
  void Add(Route r);
  void BuildRoutes();  // api.cc: every slice below, in order
  // One per slice, each in http/routes/<slice>_routes.cc.
  void BuildOperationRoutes();  // health, readiness, the OpenAPI document
  void BuildAccountRoutes();    // sessions, registration, tokens, users and roles
  void BuildOidcRoutes();       // sign-in through an organisation's identity provider
  void BuildMunicipalityRoutes();
  void BuildActorRoutes();      // actors and ties
  void BuildChallengeRoutes();  // challenges and their matches
  void BuildCoalitionRoutes();
  void BuildProposalRoutes();  // proposals, versions, comments, supports
  void BuildRoundRoutes();     // rounds and ballots
  void BuildAuditRoutes();
  void BuildExperimentRoutes();
  void BuildMoneyRoutes();          // the programme's money, milestones, match-funding
  void BuildEngineRoutes();         // fund results, fabric, coalition suggestions
  void BuildSelfRoutes();           // notifications, settings, own data, account deletion, open data
  void BuildModerationRoutes();     // reports, the moderation queue, hiding, blocking accounts
  void BuildTaskChallengeRoutes();  // the Right to Challenge: task list, bids, steps
  void BuildVoteRoutes();           // fair votes: eligibility, voting codes, census, sealed ballots
  const Route* Prepare(const Request& req, Response& res, std::vector<int64_t>& ids) const;
  bool AnswerFromCache(const Request& req, Response& res, int64_t version);
  // The route's scopes with "{id}" replaced by the path's first id.
  static std::vector<std::string> ScopesOf(const Route& route, const std::vector<int64_t>& ids);
  const Route* Match(const std::string& method, const std::string& path, std::vector<std::string>& params,
                     std::string& allow) const;

  service::Platform& platform_;
  ApiOptions options_;
  service::Engines engines_;
  service::TaskChallenges& task_challenges_ = platform_.task_challenges();
  service::Introductions& introductions_ = platform_.introductions();
  service::Appearances& appearances_ = platform_.appearances();
  service::Votes& votes_ = platform_.votes();
  std::vector<Route> routes_;
  // A plain mutex inside, held only for a lookup or an insert: glibc's shared_mutex lets a stream
  // of readers starve a writer (measured: 700 ms p99 on cache misses under wrk at 64 connections).
  ResponseCache cache_;
  std::string openapi_body_;
};

}  // namespace weefsel::http
