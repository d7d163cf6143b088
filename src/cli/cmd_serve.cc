// weefsel serve | user add: the HTTP server and account administration.
#include <pthread.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "base/csv.h"
#include "base/periodic.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "http/api.h"
#include "http/server.h"
#include "http/vocabulary_json.h"
#include "service/core/policy.h"
#include "service/match_retrain.h"
#include "service/matches.h"
#include "service/platform.h"
#include "storage/store.h"

namespace weefsel::cli {
namespace {

struct ServeOptions {
  std::string db = "weefsel.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 16;
  int io_threads = 1;
  int readers = 4;
  int writers = 4;
  int engine_wait_ms = 1000;
  int engine_first_wait_ms = 2000;
  size_t max_connections_per_address = 256;
  bool no_access_log = false;
  bool demo_accounts = false;
  bool secure_cookies = false;
  bool no_retention = false;          // do not run the daily retention sweep
  bool no_prewarm = false;            // build each engine result when first asked, not all at start
  std::string accessibility;          // the deployer's statement (JSON), for /toegankelijkheid
  std::string match_model;            // the matcher's learned stage (weefsel match train)
  int match_retrain_days = 0;         // retrain it on the store's outcomes this often (0: never)
  std::string accessibility_results;  // weefsel's own axe-core results (JSON), attached to it
  std::string oidc;                   // identity providers (JSON), docs/oidc.md
  int register_pow_bits = 14;         // proof of work on registration (service/accounts.h); 0: none
};

Result<std::pair<std::string, int>> ParseListen(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("--listen: expected HOST:PORT, got '" + s + "'");
  auto port = ParseInt(s.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return Status::InvalidArgument("--listen: bad port in '" + s + "'");
  return std::make_pair(s.substr(0, colon), static_cast<int>(*port));
}

// A municipality given as an id or a CBS code.
Result<MunicipalityId> FindMunicipality(storage::Store& store, const std::string& s) {
  if (auto id = ParseInt(s)) return MunicipalityId(*id);
  WEEFSEL_ASSIGN_OR_RETURN(auto m, store.GetMunicipalityByCode(s));
  return m.id;
}

// Demo accounts, created when absent: one per role, on the first municipality and its first actor.
Status EnsureDemoAccounts(service::Platform& platform) {
  struct Demo {
    const char* email;
    const char* name;
    domain::Role role;
  };
  const Demo kDemo[] = {{"admin@weefsel.test", "Demo admin", domain::Role::kPlatformAdmin},
                        {"officer@weefsel.test", "Demo officer", domain::Role::kOfficer},
                        {"member@weefsel.test", "Demo actor member", domain::Role::kActorMember},
                        {"resident@weefsel.test", "Demo resident", domain::Role::kResident}};
  const std::string kPassword = "weefsel-demo";
  MunicipalityId muni;
  ActorId actor;
  WEEFSEL_ASSIGN_OR_RETURN(auto ms, platform.ListMunicipalities({.limit = 1}));
  if (ms.empty())
    return Status::FailedPrecondition("--demo-accounts: the database has no municipality (run weefsel demo first)");
  muni = ms[0].id;
  domain::ListQuery q;
  q.limit = 1;
  q.municipality = muni;
  WEEFSEL_ASSIGN_OR_RETURN(auto as, platform.ListActors(q));
  if (!as.empty()) actor = as[0].id;
  service::Principal root{UserId(1 << 30), "", "", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
  for (const auto& d : kDemo) {
    auto found = platform.FindUserByEmail(root, d.email);
    if (!found.ok() && found.status().code() != StatusCode::kNotFound) return found.status();
    bool exists = found.ok();
    if (!exists) {
      domain::User u;
      u.email = d.email;
      u.display_name = d.name;
      domain::RoleGrant g{UserId(), d.role, {}, {}};
      if (d.role == domain::Role::kOfficer || d.role == domain::Role::kResident) g.municipality = muni;
      if (d.role == domain::Role::kActorMember) g.actor = actor;
      WEEFSEL_RETURN_IF_ERROR(platform.CreateUser(root, u, kPassword, {g}).status());
    }
    std::cout << "  demo account " << d.email << " / " << kPassword << " (" << domain::RoleCode(d.role) << ")\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterServeCommands(CLI::App& app) {
  static ServeOptions o;
  // The OpenAPI document the server publishes at /api/v1/openapi.json, without serving (the web
  // build generates its TypeScript types from it; tests validate responses against it).
  auto* openapi = app.add_subcommand("openapi", "Print the OpenAPI 3.1 document of the JSON API");
  SetAction(openapi, [] {
    auto store = storage::Store::Open(":memory:");
    if (!store.ok()) return Fail(store.status());
    service::Platform platform(std::move(store).value(), {});
    http::Api api(platform);
    std::cout << api.OpenApi().dump(2) << std::endl;
    return 0;
  });
  // The controlled vocabularies as GET /api/v1/vocabulary publishes them: the web build reads its
  // theme, kind and sector labels and the phase orders from this (web/src/generated/vocabulary.json).
  auto* vocabulary =
      app.add_subcommand("vocabulary", "Print the controlled vocabularies (GET /api/v1/vocabulary) as JSON");
  SetAction(vocabulary, [] {
    std::cout << http::VocabularyJson().dump(2) << std::endl;
    return 0;
  });
  // The rights table (service/core/policy.h) as the markdown of docs/api.md, "Who may do what"
  // (a test keeps the two equal).
  auto* rights = app.add_subcommand("rights", "Print the table of who may do what (markdown)");
  SetAction(rights, [] {
    std::cout << service::core::MarkdownTable();
    return 0;
  });
  auto* serve = app.add_subcommand("serve", "Serve the JSON API (/api/v1) over HTTP");
  serve->add_option("--db", o.db, "SQLite file or postgres://... URL")->capture_default_str();
  serve->add_option("--listen", o.listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
  serve->add_option("--threads", o.threads, "worker threads running request handlers (connections cost no thread)")
      ->capture_default_str();
  serve
      ->add_option("--readers", o.readers,
                   "read-only database connections, so that reads run beside each other and beside writes (0: "
                   "every read waits for the writer's connection)")
      ->capture_default_str();
  serve
      ->add_option("--writers", o.writers,
                   "PostgreSQL: further connections for the writes that check themselves (ballots, token uses), "
                   "so that they run beside each other and beside other writes (0: they wait for the writer's "
                   "connection; SQLite has one writer and ignores this)")
      ->capture_default_str();
  serve
      ->add_option("--io-threads", o.io_threads,
                   "event-loop threads reading and writing sockets (1 is enough below about 20,000 requests/s)")
      ->capture_default_str();
  serve
      ->add_option("--max-connections-per-address", o.max_connections_per_address,
                   "open connections one client address may hold (503 beyond); raise it behind a proxy")
      ->capture_default_str();
  serve
      ->add_option("--engine-wait-ms", o.engine_wait_ms,
                   "how long a request waits for an engine rebuild (matches, fabric, results) before the previous "
                   "result answers, marked stale; -1: until it is built")
      ->capture_default_str();
  serve
      ->add_option("--engine-first-wait-ms", o.engine_first_wait_ms,
                   "how long a request waits for a result nobody has built yet (after a start, a fabric the warming "
                   "has not reached) before 503 'building' with Retry-After; -1: until it is built")
      ->capture_default_str();
  serve->add_flag("--no-access-log", o.no_access_log, "do not write an access log line per request");
  serve->add_flag("--demo-accounts", o.demo_accounts,
                  "create demo accounts (admin, officer, member, resident) if absent");
  serve->add_flag("--secure-cookies", o.secure_cookies, "mark the session cookie Secure (when served behind TLS)");
  serve->add_flag("--no-prewarm", o.no_prewarm,
                  "do not build the matcher and every municipality's fabric at start; each is built when first "
                  "asked for (a small machine serving a few municipalities of a large store, or a measurement "
                  "of one engine at a time: bench/national/run.sh)");
  serve->add_flag("--no-retention", o.no_retention,
                  "do not run the retention sweep (docs/privacy.md) at start and daily; run `weefsel retention` "
                  "yourself then");
  serve
      ->add_option("--register-pow-bits", o.register_pow_bits,
                   "proof of work asked of a registration: leading zero bits of BLAKE2b-256 (0: none; each bit "
                   "doubles the work; 14 takes a phone about a second)")
      ->capture_default_str();
  serve->add_option("--oidc", o.oidc,
                    "identity providers for sign-in with an organisation account (JSON, see docs/oidc.md)");
  serve->add_option("--match-model", o.match_model,
                    "the matcher's learned stage (written by `weefsel match train`); a missing or bad file is "
                    "logged and the matches keep the linear score");
  serve
      ->add_option("--match-retrain-days", o.match_retrain_days,
                   "retrain the learned stage on this store's outcomes every N days, on a thread of its own: "
                   "written to MODEL.<time> and MODEL (--match-model) and swapped in; with too few outcomes the "
                   "matches keep what they have (0: never)")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  serve->add_option("--accessibility", o.accessibility,
                    "the accessibility statement (JSON, see docs/accessibility-statement.md) for /toegankelijkheid");
  serve->add_option("--accessibility-results", o.accessibility_results,
                    "axe-core results to attach to the statement (written by the browser tests)");
  SetAction(serve, [] {
    auto listen = ParseListen(o.listen);
    if (!listen.ok()) return Fail(listen.status());
    if (o.threads < 1 || o.threads > 1024) return Fail(Status::InvalidArgument("--threads: must be 1 to 1024"));
    if (o.io_threads < 1 || o.io_threads > 64) return Fail(Status::InvalidArgument("--io-threads: must be 1 to 64"));
    if (o.readers < 0 || o.readers > 256) return Fail(Status::InvalidArgument("--readers: must be 0 to 256"));
    if (o.writers < 0 || o.writers > 256) return Fail(Status::InvalidArgument("--writers: must be 0 to 256"));
    if (o.max_connections_per_address < 1)
      return Fail(Status::InvalidArgument("--max-connections-per-address: must be at least 1"));
    if (o.engine_wait_ms < -1) return Fail(Status::InvalidArgument("--engine-wait-ms: must be -1 or more"));
    if (o.engine_first_wait_ms < -1) return Fail(Status::InvalidArgument("--engine-first-wait-ms: must be -1 or more"));
    if (o.match_retrain_days > 0 && o.match_model.empty())
      return Fail(
          Status::InvalidArgument("--match-retrain-days: needs --match-model MODEL (where the model is written)"));
    if (o.register_pow_bits < 0 || o.register_pow_bits > 28)
      return Fail(Status::InvalidArgument("--register-pow-bits: must be 0 to 28"));
    // SIGINT/SIGTERM are taken by sigwait below: block them before any thread starts (the engines'
    // build workers start with the Api), so that every thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto store = storage::Store::Open(o.db);
    if (!store.ok()) return Fail(store.status());
    service::PlatformOptions po;
    // The secret that keys the hashes of voting codes and census lines (service/voting.h): kept out
    // of the database, so that a copy of it alone cannot test guessed citizen numbers.
    if (const char* key = std::getenv("WEEFSEL_VOTE_KEY")) po.vote_key = key;
    po.readers = {o.db, o.readers, o.writers};
    po.accounts.register_pow_bits = o.register_pow_bits;
    service::Platform platform(std::move(store).value(), po);
    if (o.demo_accounts) {
      Status s = EnsureDemoAccounts(platform);
      if (!s.ok()) return Fail(s);
    }
    http::ApiOptions api_options;
    api_options.secure_cookies = o.secure_cookies;
    if (o.engine_wait_ms >= 0) api_options.engine_wait = std::chrono::milliseconds(o.engine_wait_ms);
    if (o.engine_first_wait_ms >= 0) api_options.engine_first_wait = std::chrono::milliseconds(o.engine_first_wait_ms);
    if (!o.accessibility.empty()) {
      auto text = ReadFile(o.accessibility);
      if (!text.ok()) return Fail(text.status());
      auto st = service::ParseAccessibilityStatement(*text, o.accessibility);
      if (!st.ok()) return Fail(st.status());
      api_options.accessibility = std::make_shared<const service::AccessibilityStatement>(std::move(st).value());
    }
    if (!o.accessibility_results.empty()) {
      auto text = ReadFile(o.accessibility_results);
      if (!text.ok()) return Fail(text.status());
      auto axe = service::ParseAxeResults(*text, o.accessibility_results);
      if (!axe.ok()) return Fail(axe.status());
      api_options.axe_results = std::make_shared<const service::AxeResults>(std::move(axe).value());
    }
    if (!o.oidc.empty()) {
      auto text = ReadFile(o.oidc);
      if (!text.ok()) return Fail(text.status());
      auto providers = service::ParseOidcConfig(*text, o.oidc);
      if (!providers.ok()) return Fail(providers.status());
      // A resident broker makes residents of its municipality: one the platform does not have is a
      // mistake in the file, named like the others.
      for (size_t i = 0; i < providers->size(); ++i) {
        const auto& p = (*providers)[i];
        if (!p.residents()) continue;
        Status known = platform.GetMunicipalityByCode(p.municipality).status();
        if (!known.ok())
          return Fail(Status::InvalidArgument(o.oidc + ": [" + std::to_string(i) + "].municipality: '" +
                                              p.municipality + "' is not a municipality of this platform (" +
                                              known.message() + ")"));
      }
      api_options.oidc = std::make_shared<service::OidcSignIn>(std::move(providers).value());
      // A provider that cannot be reached is named here and retried at each sign-in; passwords work.
      for (const auto& [id, state] : api_options.oidc->Check())
        std::cerr << "weefsel: identity provider '" << id
                  << "': " << (state == "ok" ? std::string("ready") : state + " (retried at each sign-in)")
                  << std::endl;
    }
    // A model that did not load (another matcher's features, after an upgrade) is retrained at the
    // first check when retraining is on, not only when the newest file has aged.
    bool model_refused = false;
    if (!o.match_model.empty()) {
      std::string message;
      api_options.match_model = service::LoadMatchModelOrLinear(o.match_model, message);
      model_refused = api_options.match_model == nullptr && std::filesystem::exists(o.match_model);
      std::cerr << "weefsel: " << message << std::endl;
    }
    http::Api api(platform, api_options);
    http::ServerOptions so;
    so.host = listen->first;
    so.port = listen->second;
    so.threads = o.threads;
    so.io_threads = o.io_threads;
    so.max_connections_per_address = o.max_connections_per_address;
    so.access_log = !o.no_access_log;

    http::Server server(api, so);
    Status s = server.Start();
    if (!s.ok()) return Fail(s);
    if (!o.no_prewarm) api.WarmEngines();
    std::cout << "weefsel: serving " << o.db << " (" << platform.Dialect() << ") at http://" << so.host << ":"
              << server.port() << "/api/v1/ (" << api.routes().size() << " routes, " << so.threads << " threads)"
              << std::endl;
    // The retention sweep of the processing register (docs/privacy.md): at start, then daily. A
    // failure is logged and retried the next day; serving goes on.
    std::unique_ptr<Periodic> retention;
    if (!o.no_retention) {
      retention = std::make_unique<Periodic>(std::chrono::hours(24), [&platform] {
        auto n = platform.ApplyRetention();
        if (!n.ok()) {
          std::cerr << "weefsel: retention sweep failed: " << n.status().ToString() << std::endl;
          return;
        }
        std::cerr << "weefsel: retention sweep removed " << n->sessions << " expired sessions, " << n->audit
                  << " audit entries, " << n->notifications << " notifications, " << n->outbox << " e-mail digests, "
                  << n->tokens << " expired API tokens" << std::endl;
      });
    }
    // The learned stage retrained on the store's outcomes (service/match_retrain.h): checked hourly,
    // trained when the newest model is older than --match-retrain-days; off the request path.
    std::unique_ptr<service::MatchRetrainer> retrainer;
    std::unique_ptr<Periodic> retraining;
    if (o.match_retrain_days > 0) {
      retrainer = std::make_unique<service::MatchRetrainer>(
          platform, api.matches(),
          service::MatchRetrainOptions{.model_path = o.match_model,
                                       .every = std::chrono::hours(24) * o.match_retrain_days,
                                       .due_now = model_refused});
      retraining = std::make_unique<Periodic>(std::chrono::hours(1), [&retrainer] {
        auto said = retrainer->RunIfDue();
        if (!said.ok())
          std::cerr << "weefsel: match model retraining failed: " << said.status().ToString() << std::endl;
        else if (!said->empty())
          std::cerr << "weefsel: " << *said << std::endl;
      });
    }
    int sig = 0;
    sigwait(&signals, &sig);
    std::cerr << "weefsel: signal " << sig << ", finishing requests in flight" << std::endl;
    retraining.reset();
    retention.reset();
    server.Stop();
    server.Wait();
    std::cerr << "weefsel: stopped" << std::endl;
    return 0;
  });

  static std::string email, name, password, role, municipality, db = "weefsel.db";
  static int64_t actor = 0;
  auto* user = app.add_subcommand("user", "Accounts");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Create an account with one role");
  add->add_option("--db", db, "SQLite file or postgres://... URL")->capture_default_str();
  add->add_option("--email", email, "e-mail address (the login)")->required();
  add->add_option("--name", name, "display name")->required();
  add->add_option("--password", password, "password (at least 8 characters)")->required();
  add->add_option("--role", role, "platform_admin | officer | actor_member | resident")->required();
  add->add_option("--municipality", municipality, "for officer and resident: id or CBS code (GM0363)");
  add->add_option("--actor", actor, "for actor_member: the actor's id");
  SetAction(add, [] {
    auto r = domain::ParseRole(role);
    if (!r.ok()) return Fail(Status::InvalidArgument("--role: " + r.status().message()));
    auto store = storage::Store::Open(db);
    if (!store.ok()) return Fail(store.status());
    domain::RoleGrant g{UserId(), *r, {}, ActorId(actor)};
    if (!municipality.empty()) {
      auto m = FindMunicipality(**store, municipality);
      if (!m.ok()) return Fail(m.status().WithContext("--municipality"));
      g.municipality = *m;
    }
    service::Platform platform(std::move(store).value(), {});
    service::Principal root{UserId(1 << 30), "", "", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
    domain::User u;
    u.email = email;
    u.display_name = name;
    auto made = platform.CreateUser(root, u, password, {g});
    if (!made.ok()) return Fail(made.status());
    std::cout << "user " << made->id.value() << " " << made->email << " (" << role << ")\n";
    return 0;
  });
}

}  // namespace weefsel::cli
