// bench/storage/storage_bench.cc: how fast weefsel loads a network into each Store backend.
//
// Generates a deterministic city (seeded: 100,000 actors with themes and capabilities, 1,000,000
// ties between distinct actors) and times Store::InsertActors and Store::InsertTies, each one
// bulk call in one transaction, into a fresh SQLite file and into a fresh schema of a PostgreSQL
// database (COPY). Prints rows per second; targets: SQLite >= 100,000 rows/s, PostgreSQL >= half
// of SQLite. Usage:
//   storage_bench [--actors N] [--ties N] [--seed N] [--sqlite FILE] [--only sqlite|postgres]
//   scripts/with-postgres storage_bench     # PostgreSQL URL from WEEFSEL_TEST_PG_URL (or WEEFSEL_BENCH_PG_URL)
// Exit status: 0 when every backend that ran met its target, 1 otherwise, 2 on bad arguments.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "base/clock.h"
#include "domain/model.h"
#include "storage/store.h"

namespace {

using namespace weefsel;
using Clock = std::chrono::steady_clock;

struct Options {
  int64_t actors = 100000;
  int64_t ties = 1000000;
  uint64_t seed = 42;
  std::string sqlite_path;
  std::string only;
};

struct Figures {
  double actor_s = 0, tie_s = 0, cpu_s = 0;
  int64_t actors = 0, ties = 0;
  double RowsPerSecond() const { return (actors + ties) / (actor_s + tie_s); }
};

const char* kThemes[] = {"vergrijzing", "eenzaamheid",      "armoede",          "jeugd", "zorg",
                         "ouderenzorg", "energietransitie", "klimaatadaptatie", "wonen", "werk_en_participatie",
                         "mobiliteit",  "voedsel",          "veiligheid"};
const char* kCapabilities[] = {"care",          "software", "data-analysis", "fundraising",
                               "communication", "research", "logistics"};
const char* kAreas[] = {"Noord", "Oost", "Zuid", "West", "Centrum", "Nieuw-West", "Zuidoost"};

std::vector<domain::Actor> MakeActors(const Options& o) {
  Rng rng(o.seed);
  std::vector<domain::Actor> out(static_cast<size_t>(o.actors));
  for (int64_t i = 0; i < o.actors; ++i) {
    domain::Actor& a = out[static_cast<size_t>(i)];
    a.name = "Stichting Bench " + std::to_string(i);
    a.kind = domain::AllActorKinds()[static_cast<size_t>(rng.Uniform(0, domain::kActorKindCount - 1))];
    a.area = kAreas[rng.Uniform(0, 6)];
    a.themes = {kThemes[rng.Uniform(0, 6)], kThemes[rng.Uniform(7, 12)]};
    a.capabilities = {kCapabilities[rng.Uniform(0, 3)], kCapabilities[rng.Uniform(4, 6)]};
    a.description = "Een gegenereerde organisatie voor de benchmark.";
    a.size = rng.Uniform(1, 500);
    a.generated = true;
    a.source = "bench";
  }
  return out;
}

std::vector<domain::Tie> MakeTies(const Options& o, const std::vector<domain::Actor>& actors) {
  Rng rng(o.seed + 1);
  std::vector<domain::Tie> out(static_cast<size_t>(o.ties));
  const int64_t n = static_cast<int64_t>(actors.size());
  for (auto& t : out) {
    int64_t a = rng.Uniform(0, n - 1), b = rng.Uniform(0, n - 2);
    if (b >= a) ++b;
    t.a = actors[static_cast<size_t>(a)].id;
    t.b = actors[static_cast<size_t>(b)].id;
    t.weight = 1 + static_cast<double>(rng.Uniform(0, 9)) / 2;
    t.kind = domain::TieKind::kWorkedTogether;
    t.source = domain::TieSource::kImported;
  }
  return out;
}

bool Run(const std::string& label, const std::string& url, const Options& o, Figures& f) {
  auto opened = storage::Store::Open(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s: %s\n", label.c_str(), opened.status().ToString().c_str());
    return false;
  }
  auto& store = *opened;
  std::vector<domain::Actor> actors = MakeActors(o);
  std::clock_t c0 = std::clock();
  auto t0 = Clock::now();
  if (Status s = store->InsertActors(actors); !s.ok()) {
    std::fprintf(stderr, "%s: InsertActors: %s\n", label.c_str(), s.ToString().c_str());
    return false;
  }
  auto t1 = Clock::now();
  std::clock_t c1 = std::clock();
  std::vector<domain::Tie> ties = MakeTies(o, actors);  // needs the ids the actors received
  std::clock_t c2 = std::clock();
  auto t2 = Clock::now();
  if (Status s = store->InsertTies(ties); !s.ok()) {
    std::fprintf(stderr, "%s: InsertTies: %s\n", label.c_str(), s.ToString().c_str());
    return false;
  }
  auto t3 = Clock::now();
  std::clock_t c3 = std::clock();
  auto counts = store->Count();
  if (!counts.ok() || counts->actors != o.actors || counts->ties != o.ties) {
    std::fprintf(stderr, "%s: counts after import do not match\n", label.c_str());
    return false;
  }
  f.actors = o.actors;
  f.ties = o.ties;
  f.actor_s = std::chrono::duration<double>(t1 - t0).count();
  f.tie_s = std::chrono::duration<double>(t3 - t2).count();
  f.cpu_s =
      static_cast<double>((c1 - c0) + (c3 - c2)) / CLOCKS_PER_SEC;  // this process only (not the PostgreSQL server)
  std::printf(
      "%-9s actors %8lld in %6.2f s = %9.0f rows/s | ties %8lld in %6.2f s = %9.0f rows/s | total %9.0f rows/s"
      " (client CPU %.2f s)\n",
      label.c_str(), static_cast<long long>(f.actors), f.actor_s, f.actors / f.actor_s, static_cast<long long>(f.ties),
      f.tie_s, f.ties / f.tie_s, f.RowsPerSecond(), f.cpu_s);
  std::fflush(stdout);
  return true;
}

int Usage(const char* msg) {
  std::fprintf(stderr,
               "storage_bench: %s\nusage: storage_bench [--actors N] [--ties N] [--seed N] [--sqlite FILE] "
               "[--only sqlite|postgres]\n",
               msg);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if ((arg == "--actors" || arg == "--ties" || arg == "--seed" || arg == "--sqlite" || arg == "--only") &&
        !(v = next()))
      return Usage(("missing value after " + arg).c_str());
    if (arg == "--actors")
      o.actors = std::atoll(v);
    else if (arg == "--ties")
      o.ties = std::atoll(v);
    else if (arg == "--seed")
      o.seed = std::strtoull(v, nullptr, 10);
    else if (arg == "--sqlite")
      o.sqlite_path = v;
    else if (arg == "--only")
      o.only = v;
    else
      return Usage(("unknown argument " + arg).c_str());
  }
  if (o.actors < 2 || o.ties < 0) return Usage("--actors must be >= 2 and --ties >= 0");
  if (!o.only.empty() && o.only != "sqlite" && o.only != "postgres") return Usage("--only takes sqlite or postgres");

  std::printf("storage_bench: %lld actors, %lld ties, seed %llu\n", static_cast<long long>(o.actors),
              static_cast<long long>(o.ties), static_cast<unsigned long long>(o.seed));
  bool ok = true;
  Figures sqlite, pg;
  bool ran_sqlite = false, ran_pg = false;

  if (o.only.empty() || o.only == "sqlite") {
    std::string path =
        o.sqlite_path.empty()
            ? (std::filesystem::temp_directory_path() / ("weefsel-bench-" + std::to_string(::getpid()) + ".db"))
                  .string()
            : o.sqlite_path;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    ran_sqlite = Run("sqlite", path, o, sqlite);
    ok &= ran_sqlite;
    if (o.sqlite_path.empty())
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }

  if (o.only.empty() || o.only == "postgres") {
    const char* base = std::getenv("WEEFSEL_BENCH_PG_URL");
    if (!base || !*base) base = std::getenv("WEEFSEL_TEST_PG_URL");
    if (!base || !*base) {
      std::printf("postgres  skipped: set WEEFSEL_BENCH_PG_URL or run through scripts/with-postgres\n");
      if (o.only == "postgres") ok = false;
    } else {
      std::string schema = "bench_" + std::to_string(::getpid());
      std::string url = std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") +
                        "options=-csearch_path%3D" + schema;
      try {
        pqxx::connection c(base);
        pqxx::nontransaction w(c);
        w.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        ran_pg = Run("postgres", url, o, pg);
        ok &= ran_pg;
        w.exec("DROP SCHEMA " + schema + " CASCADE");
      } catch (const std::exception& e) {
        std::fprintf(stderr, "postgres: %s\n", e.what());
        ok = false;
      }
    }
  }

  if (ran_sqlite) {
    bool met = sqlite.RowsPerSecond() >= 100000;
    std::printf("target    sqlite >= 100000 rows/s: %s\n", met ? "met" : "MISSED");
    ok &= met;
  }
  if (ran_pg && ran_sqlite) {
    bool met = pg.RowsPerSecond() >= sqlite.RowsPerSecond() / 2;
    std::printf("target    postgres >= half of sqlite (%.0f rows/s): %s (%.2f of sqlite)\n", sqlite.RowsPerSecond() / 2,
                met ? "met" : "MISSED", pg.RowsPerSecond() / sqlite.RowsPerSecond());
    ok &= met;
  }
  return ok ? 0 : 1;
}
