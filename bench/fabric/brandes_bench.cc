// bench/fabric/brandes_bench.cc: exact betweenness alone, reduction by reduction, and the machine's
// rate for a plain BFS (the floor under any Brandes: every source scans every arc at least once).
//
// Usage: brandes_bench [--data DIR] [--threads N] [--sources K] [--igraph] [--last] [NAME ...]
// Prints, per network: the plain BFS rate (arc visits per second on one thread, from K sources,
// default 1000) and the time n * 2m / rate / threads that one BFS from every vertex would take;
// then the seconds of the kernel before the reductions (the sampled path with every vertex as a
// source), and of the exact path with none, some and all of the reductions; with --igraph, also
// igraph_betweenness; --last: only the kernel with every reduction. Wall and CPU
// seconds (all threads). Data are read in place.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "fabric/analysis.h"
#include "fabric/brandes.h"
#include "fabric/fabric.h"

using namespace weefsel;
using namespace weefsel::fabric;

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Arc visits per second of a plain BFS (distances only) from the first `sources` vertices.
double BfsRate(const Fabric& f, int sources) {
  const int n = f.node_count();
  const int64_t* off = f.offsets().data();
  const int* tg = f.targets().data();
  std::vector<int> dist(static_cast<size_t>(n), -1), queue;
  queue.reserve(static_cast<size_t>(n));
  int64_t visits = 0;
  auto t = std::chrono::steady_clock::now();
  for (int s = 0; s < std::min(sources, n); ++s) {
    queue.clear();
    queue.push_back(s);
    dist[static_cast<size_t>(s)] = 0;
    for (size_t h = 0; h < queue.size(); ++h) {
      const int v = queue[h];
      for (int64_t a = off[v]; a < off[v + 1]; ++a) {
        const int x = tg[a];
        if (dist[static_cast<size_t>(x)] < 0) {
          dist[static_cast<size_t>(x)] = dist[static_cast<size_t>(v)] + 1;
          queue.push_back(x);
        }
      }
      visits += off[v + 1] - off[v];
    }
    for (int v : queue) dist[static_cast<size_t>(v)] = -1;
  }
  return static_cast<double>(visits) / Since(t);
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::getenv("WEEFSEL_SHARED_DATA") ? std::string(std::getenv("WEEFSEL_SHARED_DATA")) + "/networks"
                                                       : std::string(WEEFSEL_SOURCE_DIR) + "/../shared/data/networks";
  int threads = 2, sources = 1000;
  bool with_igraph = false, only_all = false;
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--sources" && i + 1 < argc)
      sources = std::atoi(argv[++i]);
    else if (a == "--igraph")
      with_igraph = true;
    else if (a == "--last")
      only_all = true;
    else
      names.push_back(a);
  }
  if (names.empty()) names = {"ca-CondMat", "ca-AstroPh-lcc"};
  for (const std::string& name : names) {
    auto f = Fabric::FromEdgeFiles(dir + "/" + name + ".edges", dir + "/" + name + ".nodes");
    if (!f.ok()) {
      std::cerr << f.status().ToString() << "\n";
      return 2;
    }
    const double n = f->node_count(), arcs = static_cast<double>(f->targets().size());
    const double rate = BfsRate(*f, sources);
    std::printf(
        "%-16s n %.0f m %.0f  plain BFS %.3g arc visits/s (1 thread); one BFS from every vertex on %d "
        "threads: %.2f s\n",
        name.c_str(), n, arcs / 2, rate, threads, n * arcs / rate / threads);
    auto run = [&](const char* what, auto fn) {
      auto t = std::chrono::steady_clock::now();
      std::clock_t c = std::clock();
      fn();
      const double wall = Since(t), cpu = static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC;
      std::printf("%-16s %-34s %8.2f s wall %8.2f s CPU\n", name.c_str(), what, wall, cpu);
      std::fflush(stdout);
    };
    if (!only_all)
      run("before (plain kernel, all sources)", [&] {
        BetweennessOptions o;
        o.threads = threads;
        o.samples = f->node_count();
        ComputeBetweenness(*f, o);
      });
    struct Variant {
      const char* what;
      internal::BrandesPlan plan;
    };
    for (const Variant& v :
         {Variant{"new kernel, no reductions", {false, false, false}}, Variant{"+ BFS relabel", {false, false, true}},
          Variant{"+ BFS relabel + leaves", {true, false, true}},
          Variant{"+ BFS relabel + leaves + twins", {true, true, true}}}) {
      if (only_all && !v.plan.merge_twins) continue;
      internal::ExactBetweenness e;
      run(v.what, [&] { e = internal::ComputeExactBetweenness(*f, false, threads, v.plan); });
      std::printf("%-16s   reduced to n %d m %lld\n", name.c_str(), e.reduced_nodes,
                  static_cast<long long>(e.reduced_edges));
    }
    if (with_igraph) run("igraph_betweenness", [&] { (void)IgraphBetweenness(*f, false); });
  }
  return 0;
}
