// bench/storage/row_read_bench.cc: what reading an entity's rows costs, per row mapper.
//
// Fills a private in-memory SQLite store with N challenges (every main-row field set, no capability
// needs, so the child query finds nothing), N actors and N ties (each actor to the next, every
// field set), and N ballots of N voters in one approval round of 20 projects (3 entries each, as
// the national demo's round: `weefsel demo --national`), then times ListChallenges, ListActors,
// ListTies and BallotsOf over all N rows, R times each, and prints the best and the median in rows
// per second; and the time of the one bulk write of the actors and of the ties (InsertActors,
// InsertTies). `--only ballots` fills and reads the ballots alone. Usage:
//   row_read_bench [--rows N] [--repeat R] [--only challenges|actors|ties|ballots]
//   (defaults: 100000 rows, 7 repeats)
// Exit status: 0, or 1 when the store refuses a write or a read, 2 on bad arguments.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "domain/model.h"
#include "storage/store.h"

namespace {

using namespace weefsel;
using Clock = std::chrono::steady_clock;

struct Figures {
  double best_s = 0, median_s = 0;
};

// Runs `read` `repeat` times; each must return the number of rows read.
Figures Time(int repeat, int64_t rows, const std::function<Result<size_t>()>& read) {
  std::vector<double> s;
  for (int i = 0; i < repeat; ++i) {
    auto t0 = Clock::now();
    auto n = read();
    double took = std::chrono::duration<double>(Clock::now() - t0).count();
    if (!n.ok() || static_cast<int64_t>(*n) != rows) {
      std::fprintf(stderr, "read failed: %s\n", n.ok() ? "wrong row count" : n.status().ToString().c_str());
      std::exit(1);
    }
    s.push_back(took);
  }
  std::sort(s.begin(), s.end());
  return {s.front(), s[s.size() / 2]};
}

void Check(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 100000;
  int repeat = 7;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rows") && i + 1 < argc) {
      rows = std::atoll(argv[++i]);
    } else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr, "usage: row_read_bench [--rows N] [--repeat R] [--only challenges|actors|ties|ballots]\n");
      return 2;
    }
  }
  if (rows < 1 || repeat < 1) return 2;
  auto opened = storage::Store::Open(":memory:");
  Check(opened.status(), "open");
  auto& store = **opened;
  domain::Municipality m{.cbs_code = "GM0363", .name = "Amsterdam", .province = "Noord-Holland", .population = 1};
  Check(store.Insert(m).status(), "municipality");
  auto line = [&](const char* name, const Figures& f) {
    std::printf("%-11s %7lld rows  best %.3f s (%.0f rows/s)  median %.3f s (%.0f rows/s)\n", name,
                static_cast<long long>(rows), f.best_s, static_cast<double>(rows) / f.best_s, f.median_s,
                static_cast<double>(rows) / f.median_s);
  };
  if (only.empty() || only == "ballots") {
    domain::Round round{.municipality = m.id, .name = "Stadsbudget", .budget_eur = 1000000};
    round.phase = domain::RoundPhase::kVoting;
    for (int p = 0; p < 20; ++p)
      round.projects.push_back({.project_id = "project-" + std::to_string(p), .title = "Project", .cost_eur = 50000});
    Check(store.Insert(round).status(), "round");
    Check(store.Transaction([&]() -> Status {
      for (int64_t i = 0; i < rows; ++i) {
        domain::User u{.email = "kiezer" + std::to_string(i) + "@bench.test", .display_name = "Kiezer"};
        u.created_at = "2026-10-01T09:00:00Z";
        WEEFSEL_RETURN_IF_ERROR(store.Insert(u).status());
        domain::Ballot b{.round = round.id, .voter = u.id, .cast_at = "2026-11-01T10:00:00Z"};
        for (int64_t k = 0; k < 3; ++k) b.entries.push_back({"project-" + std::to_string((i + 7 * k) % 20), 1});
        WEEFSEL_RETURN_IF_ERROR(store.CastBallot(b).status());
      }
      return Status::Ok();
    }),
          "ballots");
    line("ballots", Time(repeat, rows, [&]() -> Result<size_t> {
           WEEFSEL_ASSIGN_OR_RETURN(auto v, store.BallotsOf(round.id));
           return v.size();
         }));
    if (only == "ballots") return 0;
  }
  std::vector<domain::Actor> actors(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    domain::Actor& a = actors[static_cast<size_t>(i)];
    a.name = "Stichting Bench " + std::to_string(i);
    a.kind = domain::ActorKind::kSocialEnterprise;
    a.municipality = m.id;
    a.area = "Noord";
    a.themes = {"eenzaamheid", "wonen"};
    a.capabilities = {"care", "software"};
    a.description = "Een gegenereerde organisatie voor de benchmark.";
    a.size = 1 + i % 500;
    a.website = "https://example.nl";
    a.source = "bench";
  }
  auto w0 = Clock::now();
  Check(store.InsertActors(actors), "actors");
  const double actors_write_s = std::chrono::duration<double>(Clock::now() - w0).count();
  std::vector<domain::Tie> ties(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    domain::Tie& t = ties[static_cast<size_t>(i)];
    t.a = actors[static_cast<size_t>(i)].id;
    t.b = actors[static_cast<size_t>((i + 1) % rows)].id;
    t.weight = 1.0 + static_cast<double>(i % 7);
    t.kind = domain::TieKind::kCoFunded;
    t.source = domain::TieSource::kPlatform;
    t.from = "2025-01-01";
    t.until = "2026-12-31";
    t.note = "Samen gefinancierd.";
  }
  w0 = Clock::now();
  if (rows > 1) Check(store.InsertTies(ties), "ties");
  const double ties_write_s = std::chrono::duration<double>(Clock::now() - w0).count();
  std::printf("bulk write  %7lld actors %.3f s, %lld ties %.3f s (InsertActors, InsertTies: CopyRows, once)\n",
              static_cast<long long>(rows), actors_write_s, static_cast<long long>(rows > 1 ? rows : 0), ties_write_s);
  for (int64_t i = 0; i < rows; ++i) {
    domain::Challenge c;
    c.municipality = m.id;
    c.title = "Uitdaging " + std::to_string(i);
    c.text = "Een gegenereerde uitdaging voor de benchmark, met een tekst van een paar regels.";
    c.language = "nl";
    c.themes = {"eenzaamheid", "wonen"};
    c.sector_mix = {{domain::Sector::kBusiness, 1}, {domain::Sector::kCivilSociety, 1}};
    c.max_coalition_size = 5;
    c.budget_eur = 10000 + i;
    c.area = "Noord";
    c.deadline = "2027-06-30";
    c.owner = actors[static_cast<size_t>(i)].id;
    c.created_at = "2026-12-07T12:00:00Z";
    Check(store.Insert(c).status(), "challenge");
  }
  storage::ListQuery all;
  if (only.empty() || only == "challenges")
    line("challenges", Time(repeat, rows, [&]() -> Result<size_t> {
           WEEFSEL_ASSIGN_OR_RETURN(auto v, store.ListChallenges(all));
           return v.size();
         }));
  if (only.empty() || only == "actors")
    line("actors", Time(repeat, rows, [&]() -> Result<size_t> {
           WEEFSEL_ASSIGN_OR_RETURN(auto v, store.ListActors(all));
           return v.size();
         }));
  if ((only.empty() || only == "ties") && rows > 1)
    line("ties", Time(repeat, rows, [&]() -> Result<size_t> {
           WEEFSEL_ASSIGN_OR_RETURN(auto v, store.ListTies(all));
           return v.size();
         }));
  return 0;
}
