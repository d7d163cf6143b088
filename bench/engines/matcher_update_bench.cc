// matcher_update_bench: what keeping the matcher current costs on a large database (issue 16 item 3).
// Reads the matcher's inputs from a weefsel database (e.g. `weefsel demo --national`), builds the
// matcher whole (the peer), then times the incremental updates an edit causes: one actor's
// description edited, one actor added, one tie added, each applied to the previous matcher.
// Prints wall and CPU seconds per step and the ratio of each update to the whole build.
// The peer in the same run is the whole build (read + build), as the server did on every edit before.
// Usage: matcher_update_bench --db national.db [--edits 20]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "service/matches.h"
#include "storage/store.h"

using namespace weefsel;
using Steady = std::chrono::steady_clock;

namespace {
double Cpu() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }
struct Timer {
  Steady::time_point t0 = Steady::now();
  double c0 = Cpu();
  double Wall() const { return std::chrono::duration<double>(Steady::now() - t0).count(); }
  double CpuS() const { return Cpu() - c0; }
};
}  // namespace

int main(int argc, char** argv) {
  std::string db;
  int edits = 20;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" && i + 1 < argc)
      db = argv[++i];
    else if (a == "--edits" && i + 1 < argc)
      edits = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: matcher_update_bench --db FILE [--edits N]\n");
      return 2;
    }
  }
  if (db.empty()) {
    std::fprintf(stderr, "matcher_update_bench: --db is required (a weefsel database, e.g. weefsel demo --national)\n");
    return 2;
  }
  auto store = storage::Store::OpenReader(db);
  if (!store.ok()) {
    std::fprintf(stderr, "matcher_update_bench: %s\n", store.status().ToString().c_str());
    return 1;
  }
  Timer read;
  auto inputs = service::ReadMatcherInputs(**store);
  if (!inputs.ok()) {
    std::fprintf(stderr, "matcher_update_bench: %s\n", inputs.status().ToString().c_str());
    return 1;
  }
  std::printf("read inputs: %zu actors, %zu ties, %zu past works: %.2f s wall, %.2f s CPU\n", inputs->actors.size(),
              inputs->ties.size(), inputs->past.size(), read.Wall(), read.CpuS());
  Timer build;
  auto m = service::BuildMatcher(*inputs);
  if (!m.ok()) {
    std::fprintf(stderr, "matcher_update_bench: %s\n", m.status().ToString().c_str());
    return 1;
  }
  const double build_wall = build.Wall();
  std::printf("whole build: %.2f s wall, %.2f s CPU\n", build_wall, build.CpuS());
  // Updates in place, each timed alone: an actor's description edited, a new actor, a new tie.
  // The actors edited are spread over the list (every n/edits-th), deterministic.
  std::vector<double> edit_ms, add_ms, tie_ms;
  auto ms_since = [](const Timer& t) { return t.Wall() * 1000; };
  const auto& actors = m->actors();
  int64_t next_id = 0;
  for (const auto& a : actors) next_id = std::max<int64_t>(next_id, a.id.value());
  for (int k = 0; k < edits; ++k) {
    const size_t i = actors.size() * static_cast<size_t>(k) / static_cast<size_t>(edits);
    match::MatcherChanges edit;
    domain::Actor a = actors[i];
    a.description += " Wij zoeken vrijwilligers voor eenzame ouderen en energiecoaches in de wijk.";
    edit.actors.push_back(a);
    Timer t1;
    if (Status s = m->Update(edit); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    edit_ms.push_back(ms_since(t1));

    match::MatcherChanges add;
    domain::Actor fresh = actors[i];
    fresh.id = ActorId(++next_id);
    fresh.name = "Nieuw " + std::to_string(k);
    add.actors.push_back(fresh);
    Timer t2;
    if (Status s = m->Update(add); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    add_ms.push_back(ms_since(t2));

    match::MatcherChanges tie;
    domain::Tie t;
    t.id = TieId(1000000000 + k);
    t.a = fresh.id;
    t.b = actors[(i + 1) % actors.size()].id;
    t.weight = 1;
    tie.ties_added.push_back(t);
    Timer t3;
    if (Status s = m->Update(tie); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    tie_ms.push_back(ms_since(t3));
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  auto report = [&](const char* what, const std::vector<double>& v) {
    const double med = median(v);
    std::printf("update in place, %s: median %.1f ms, max %.1f ms over %zu (whole build / update: %.0fx)\n", what, med,
                v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()), v.size(),
                med > 0 ? build_wall * 1000 / med : 0.0);
  };
  report("an actor's description edited", edit_ms);
  report("a new actor", add_ms);
  report("a new tie", tie_ms);
  return 0;
}
