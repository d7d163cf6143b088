// weefsel init | demo | import | export | stats: the store's subcommands.
#include <cstdlib>
#include <iostream>

#include "base/csv.h"
#include "cli/commands.h"
#include "service/demo.h"
#include "service/demo_programme.h"
#include "service/open_data.h"
#include "service/platform.h"
#include "service/transfer.h"
#include "storage/store.h"

namespace weefsel::cli {

namespace {

struct StoreOptions {
  std::string db = "weefsel.db";
};

void AddDb(CLI::App* sub, StoreOptions& o) {
  sub->add_option("--db", o.db, "SQLite file or postgres://... URL")->capture_default_str();
}

}  // namespace

void RegisterStoreCommands(CLI::App& app) {
  static StoreOptions opts;

  auto* init = app.add_subcommand("init", "Create or migrate a database");
  AddDb(init, opts);
  SetAction(init, [] {
    auto store = storage::Store::Open(opts.db);
    if (!store.ok()) return Fail(store.status());
    auto v = (*store)->SchemaVersion();
    if (!v.ok()) return Fail(v.status());
    std::cout << opts.db << ": " << (*store)->Dialect() << " database at schema version " << *v << "\n";
    return 0;
  });

  static service::DemoOptions demo;
  auto* d = app.add_subcommand("demo", "Generate a realistic demo city (deterministic) into an empty database");
  AddDb(d, opts);
  d->add_option("--seed", demo.seed, "random seed")->capture_default_str();
  d->add_option("--actors", demo.actors, "number of actors")->capture_default_str();
  d->add_option("--municipalities", demo.municipalities, "number of municipalities (1-12)")->capture_default_str();
  d->add_option("--challenges", demo.challenges_per_municipality, "challenges per municipality (0-6)")
      ->capture_default_str();
  static std::string national;
  auto* national_opt =
      d->add_option("--national", national,
                    "all 342 municipalities with their real populations and indicators from the CBS file (default "
                    "$WEEFSEL_SHARED_DATA/nl/gemeenten_2025.csv); --actors defaults to 250000 then")
          ->expected(0, 1);
  static int national_ballots = 100000;
  d->add_option("--national-ballots", national_ballots,
                "with --national: residents of the largest city, each with a ballot in a round left in voting "
                "(0: no such round; part of the programme, so not with --no-programme)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  static bool no_programme = false;
  d->add_flag("--no-programme", no_programme,
              "only the network and challenges: no residents, proposals, rounds, match-funding or experiment");
  SetAction(d, [d, national_opt] {
    if (national_opt->count() > 0) {
      if (national.empty()) {
        const char* shared = std::getenv("WEEFSEL_SHARED_DATA");
        national = std::string(shared && *shared ? shared : "../shared/data") + "/nl/gemeenten_2025.csv";
      }
      auto text = ReadFile(national);
      if (!text.ok()) return Fail(text.status());
      demo.national_csv = std::move(text).value();
      demo.national_csv_name = national;
      demo.tie_stubs = service::DemoOptions::kNationalTieStubs;
      if (d->get_option("--actors")->count() == 0) demo.actors = 250000;
    }
    auto city = service::GenerateDemo(demo);
    if (!city.ok()) return Fail(city.status());
    auto store = storage::Store::Open(opts.db);
    if (!store.ok()) return Fail(store.status());
    auto counts = (*store)->Count();
    if (!counts.ok()) return Fail(counts.status());
    if (counts->municipalities || counts->actors || counts->ties || counts->challenges)
      return Fail(Status::FailedPrecondition(
          opts.db + " is not empty; the demo goes into an empty database (choose another --db)"));
    Status s = service::LoadDemo(**store, *city);
    if (!s.ok()) return Fail(s);
    std::cout << "demo city (seed " << demo.seed << "): " << city->municipalities.size() << " municipalities, "
              << city->actors.size() << " actors, " << city->ties.size() << " ties, " << city->challenges.size()
              << " challenges written to " << opts.db << "\n";
    if (no_programme || demo.challenges_per_municipality == 0) return 0;
    // The whole programme cycle in the first municipality, through the platform's use cases.
    service::PlatformOptions po;
    po.password_cost = service::PasswordCost::Minimum();  // the residents' random passwords are never used
    service::Platform platform(std::move(store).value(), po);
    auto staged = service::StageDemoProgramme(platform, demo.seed);
    if (!staged.ok() && staged.status().code() == StatusCode::kFailedPrecondition) {
      // A city too small for it (a handful of actors): the network stands, the programme is left out.
      std::cout << "demo programme left out: " << staged.status().message() << "\n";
      return 0;
    }
    if (!staged.ok()) return Fail(staged.status());
    std::cout << "demo programme in municipality " << staged->municipality.value() << ": " << staged->residents
              << " residents, " << staged->proposals << " proposals, round " << staged->published.value()
              << " published with " << staged->ballots << " ballots and " << staged->pledges
              << " match-funding pledges, experiment " << staged->experiment.value() << " running, round "
              << staged->voting.value() << " open for voting\n";
    if (demo.national_csv.empty() || national_ballots == 0) return 0;
    auto large = service::StageLargeRound(platform, demo.seed, national_ballots);
    if (!large.ok()) return Fail(large.status());
    std::cout << "large round " << large->round.value() << " in municipality " << large->municipality.value() << ": "
              << large->projects << " projects, " << large->ballots << " resident ballots, open for voting\n";
    return 0;
  });

  static std::string kind, file;
  auto* im = app.add_subcommand("import",
                                "Import municipalities, actors, ties or challenges from CSV or JSON (all or nothing)");
  AddDb(im, opts);
  im->add_option("kind", kind, "municipalities | actors | ties | challenges")->required();
  im->add_option("file", file, "a .csv or .json file")->required();
  SetAction(im, [] {
    auto k = service::ParseEntityKind(kind);
    if (!k.ok()) return Fail(k.status());
    auto store = storage::Store::Open(opts.db);
    if (!store.ok()) return Fail(store.status());
    auto r = service::Import(**store, *k, file);
    if (!r.ok()) return Fail(r.status());
    std::cout << "imported " << r->written << " " << kind << " from " << file << " (" << r->rows << " rows, format "
              << r->format << ")\n";
    return 0;
  });

  static std::string open_data_dir;
  auto* ex = app.add_subcommand(
      "export",
      "Export municipalities, actors, ties or challenges as CSV or JSON, or with --open-data DIR every public "
      "entity (CSV and JSON, closed rounds as .pb with anonymous ballots, the fabric as GraphML; no personal data)");
  AddDb(ex, opts);
  auto* kind_opt = ex->add_option("kind", kind, "municipalities | actors | ties | challenges");
  auto* file_opt = ex->add_option("file", file, "a .csv or .json file");
  auto* od = ex->add_option("--open-data", open_data_dir, "write the open-data export into this new directory");
  od->excludes(kind_opt)->excludes(file_opt);
  SetAction(ex, [] {
    if (!open_data_dir.empty()) {
      auto store = storage::Store::Open(opts.db);
      if (!store.ok()) return Fail(store.status());
      auto r = service::ExportOpenData(**store, open_data_dir);
      if (!r.ok()) return Fail(r.status());
      std::cout << "exported open data to " << open_data_dir << ": " << r->files.size() << " files, " << r->records
                << " records, " << r->rounds_exported << " closed rounds as .pb";
      if (r->rounds_withheld > 0) std::cout << " (" << r->rounds_withheld << " rounds still open: ballots withheld)";
      std::cout << "\n";
      return 0;
    }
    if (kind.empty() || file.empty())
      return Fail(Status::InvalidArgument("export: give KIND and FILE, or --open-data DIR"));
    auto k = service::ParseEntityKind(kind);
    if (!k.ok()) return Fail(k.status());
    auto store = storage::Store::Open(opts.db);
    if (!store.ok()) return Fail(store.status());
    auto n = service::Export(**store, *k, file);
    if (!n.ok()) return Fail(n.status());
    std::cout << "exported " << *n << " " << kind << " to " << file << "\n";
    return 0;
  });

  auto* st =
      app.add_subcommand("stats", "Print a summary of the database: municipalities, actors by kind, challenges, ties");
  AddDb(st, opts);
  SetAction(st, [] {
    auto store = storage::Store::Open(opts.db);
    if (!store.ok()) return Fail(store.status());
    auto s = service::Summary(**store);
    if (!s.ok()) return Fail(s.status());
    std::cout << *s;
    return 0;
  });

  static service::PlatformOptions::Retention retention;
  auto* rt = app.add_subcommand("retention",
                                "Remove personal data past its retention period (docs/privacy.md): expired "
                                "sessions, old audit entries, notifications and mail, long-expired API tokens");
  AddDb(rt, opts);
  rt->add_option("--audit-days", retention.audit_days, "keep audit entries this many days (0: keep all)")
      ->capture_default_str();
  rt->add_option("--notification-days", retention.notifications_days, "keep notifications this many days")
      ->capture_default_str();
  rt->add_option("--outbox-days", retention.outbox_days, "keep e-mail digests this many days")->capture_default_str();
  rt->add_option("--expired-token-days", retention.expired_tokens_days,
                 "remove API tokens this many days after they expired")
      ->capture_default_str();
  rt->add_option("--registration-days", retention.registration_days,
                 "keep the time and address key of self-registrations this many days")
      ->capture_default_str();
  SetAction(rt, [] {
    auto store = storage::Store::Open(opts.db);
    if (!store.ok()) return Fail(store.status());
    service::PlatformOptions po;
    po.retention = retention;
    service::Platform platform(std::move(store).value(), po);
    auto n = platform.ApplyRetention();
    if (!n.ok()) return Fail(n.status());
    std::cout << "removed " << n->sessions << " expired sessions, " << n->audit << " audit entries, "
              << n->notifications << " notifications, " << n->outbox << " e-mail digests, " << n->tokens
              << " expired API tokens, " << n->registrations << " registration marks\n";
    return 0;
  });
}

}  // namespace weefsel::cli
