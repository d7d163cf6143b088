// bench/fabric/communities_bench.cc: the communities step alone (FindCommunities, unweighted, as the
// report's `modularity`) against igraph's C Leiden run until stable (n_iterations = -1) from seeds
// 0..9, the time budget of issue 21. leidenalg's figures come from bench/fabric/leidenalg_reference.py.
//
// Usage: communities_bench [--data DIR] [--seed S] [--runs R] [--threads T] [--starts N] [--rounds R]
//                         [--patience P] [--effort E] [--no-igraph] [--trace] [--plain]
//                         [--set KEY=VALUE ...] [NAME ...]
// Prints per network: weefsel's modularity, communities, wall and CPU seconds; igraph's best
// modularity of the 10 runs and their wall and CPU seconds together; the ratio of the CPU seconds
// (weefsel / igraph) and the load average (1 min) after the network. CPU counts every thread.
// --trace prints the search's rounds (LeidenSearch with the same options, run once more), each
// round's CPU split into core runs, polish and fresh runs. --plain also times our Leiden alone until
// stable x 10 (seeds 0..9, one thread). --set KEY=VALUE (a LeidenSearchOptions field, e.g. fresh=0,
// large_rounds=3) runs LeidenSearch alone with it instead of FindCommunities, and prints its
// modularity and CPU seconds as the last line (for experiments).
#include <igraph/igraph.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "fabric/fabric.h"
#include "fabric/leiden.h"

using namespace weefsel;
using namespace weefsel::fabric;

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
double CpuSince(std::clock_t c) { return static_cast<double>(std::clock() - c) / CLOCKS_PER_SEC; }

// igraph's Leiden maximising modularity (node weights = degrees, resolution 1/2m), until stable,
// seeds 0..9; returns the best modularity (our own function on igraph's membership).
double IgraphLeidenBestOf10(const Fabric& f) {
  const int n = f.node_count();
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 0);
  for (int u = 0; u < n; ++u)
    for (const auto& nb : f.Neighbours(u))
      if (u < nb.node) {
        igraph_vector_int_push_back(&edges, u);
        igraph_vector_int_push_back(&edges, nb.node);
      }
  igraph_t g;
  igraph_create(&g, &edges, n, IGRAPH_UNDIRECTED);
  igraph_vector_t node_w;
  igraph_vector_init(&node_w, n);
  double two_m = 0;
  for (int i = 0; i < n; ++i) {
    VECTOR(node_w)[i] = f.Degree(i);
    two_m += f.Degree(i);
  }
  igraph_vector_int_t memb;
  igraph_vector_int_init(&memb, n);
  double best = -1;
  for (int s = 0; s < 10 && two_m > 0; ++s) {
    igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(s));
    igraph_integer_t k = 0;
    igraph_real_t q = 0;
    igraph_community_leiden(&g, nullptr, &node_w, 1.0 / two_m, 0.01, false, -1, &memb, &k, &q);
    std::vector<int> m(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) m[static_cast<size_t>(i)] = static_cast<int>(VECTOR(memb)[i]);
    best = std::max(best, Modularity(f, m, 1.0, false));
  }
  igraph_vector_int_destroy(&memb);
  igraph_vector_destroy(&node_w);
  igraph_destroy(&g);
  igraph_vector_int_destroy(&edges);
  return best;
}

std::string Ratio(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

// The 1-minute load average (the machine is shared; figures are read beside it).
double LoadAverage() {
  double load = -1;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = -1;
    std::fclose(f);
  }
  return load;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::getenv("WEEFSEL_SHARED_DATA") ? std::string(std::getenv("WEEFSEL_SHARED_DATA")) + "/networks"
                                                       : std::string(WEEFSEL_SOURCE_DIR) + "/../shared/data/networks";
  uint64_t seed = 1;
  bool with_igraph = true;
  int runs = CommunityOptions{}.runs, threads = CommunityOptions{}.threads;
  CommunityOptions defaults;
  int starts = defaults.starts, rounds = defaults.rounds, patience = defaults.patience;
  int64_t effort = defaults.effort;
  bool trace = false, plain = false;
  std::vector<std::string> sets;  // --set KEY=VALUE: a LeidenSearchOptions field (experiments; --trace)
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--starts" && i + 1 < argc)
      starts = std::atoi(argv[++i]);
    else if (a == "--rounds" && i + 1 < argc)
      rounds = std::atoi(argv[++i]);
    else if (a == "--patience" && i + 1 < argc)
      patience = std::atoi(argv[++i]);
    else if (a == "--effort" && i + 1 < argc)
      effort = std::strtoll(argv[++i], nullptr, 10);
    else if (a == "--trace")
      trace = true;
    else if (a == "--plain")
      plain = true;
    else if (a == "--set" && i + 1 < argc)
      sets.emplace_back(argv[++i]);
    else if (a == "--no-igraph")
      with_igraph = false;
    else
      names.push_back(a);
  }
  if (names.empty())
    for (const char* n :
         {"florentine", "davis_women_projection", "davis_bipartite", "karate", "dolphins", "lesmis", "football",
          "email-Eu-core", "h2020_nl_orgs", "h2020_sc6_orgs", "ca-GrQc", "ca-HepTh", "ca-AstroPh-lcc", "ca-CondMat"})
      names.emplace_back(n);
  std::printf("%-24s %11s %6s %9s %9s | %11s %9s %9s | %7s %5s\n", "network", "weefsel_Q", "k", "wall_s", "cpu_s",
              "igraph_Q", "wall_s", "cpu_s", "cpu_x", "load");
  for (const std::string& name : names) {
    auto f = Fabric::FromEdgeFiles(dir + "/" + name + ".edges", dir + "/" + name + ".nodes");
    if (!f.ok()) {
      std::cerr << f.status().ToString() << "\n";
      return 2;
    }
    CommunityOptions co;
    co.use_weights = false;
    co.seed = seed;
    co.runs = runs;
    co.threads = threads;
    co.starts = starts;
    co.rounds = rounds;
    co.patience = patience;
    co.effort = effort;
    auto t = std::chrono::steady_clock::now();
    std::clock_t c = std::clock();
    if (!sets.empty()) trace = true;  // --set: LeidenSearch alone (below), not FindCommunities
    if (sets.empty()) {
      auto p = FindCommunities(*f, co);
      double wall = Since(t), cpu = CpuSince(c);
      if (!p.ok()) {
        std::cerr << p.status().ToString() << "\n";
        return 1;
      }
      double ig_q = 0, ig_wall = 0, ig_cpu = 0;
      if (with_igraph) {
        t = std::chrono::steady_clock::now();
        c = std::clock();
        ig_q = IgraphLeidenBestOf10(*f);
        ig_wall = Since(t);
        ig_cpu = CpuSince(c);
      }
      std::printf("%-24s %11.8f %6d %9.3f %9.3f | %11.8f %9.3f %9.3f | %7s %5.2f\n", name.c_str(), p->modularity,
                  p->count, wall, cpu, ig_q, ig_wall, ig_cpu,
                  with_igraph && ig_cpu > 0.005 ? Ratio(cpu / ig_cpu).c_str() : "-", LoadAverage());
    }
    if (plain) {
      // Our kernel alone, as igraph's: 10 runs until stable from singletons, seeds 0..9, one thread.
      t = std::chrono::steady_clock::now();
      c = std::clock();
      double best = -1;
      for (uint64_t s = 0; s < 10; ++s) {
        internal::LeidenRunOptions ro;
        ro.use_weights = false;
        ro.seed = s;
        best = std::max(best, Modularity(*f, internal::LeidenRun(*f, ro), 1.0, false));
      }
      std::printf("    plain: our Leiden until stable x 10, best %.8f, wall %.3f s, cpu %.3f s\n", best, Since(t),
                  CpuSince(c));
    }
    if (trace) {
      internal::LeidenSearchOptions so;
      so.use_weights = false;
      so.seed = seed;
      so.threads = threads;
      so.starts = std::max(1, std::min(runs, starts));
      so.rounds = rounds;
      so.patience = patience;
      so.effort = effort;
      for (const std::string& kv : sets) {
        const std::string key = kv.substr(0, kv.find('=')), val = kv.substr(kv.find('=') + 1);
        const double x = std::strtod(val.c_str(), nullptr);
        if (key == "fresh")
          so.fresh = static_cast<int>(x);
        else if (key == "keep")
          so.keep = static_cast<int>(x);
        else if (key == "large_effort")
          so.large_effort = static_cast<int>(x);
        else if (key == "polish_gains_only")
          so.polish_gains_only = x != 0;
        else if (key == "large_rounds")
          so.large_rounds = static_cast<int>(x);
        else if (key == "polish_iterations")
          so.polish_iterations = static_cast<int>(x);
        else if (key == "polish_until_stable_effort")
          so.polish_until_stable_effort = static_cast<int>(x);
        else if (key == "core_share")
          so.core_share = x;
        else if (key == "core_runs")
          so.core_runs = static_cast<int>(x);
        else if (key == "core_runs_max")
          so.core_runs_max = static_cast<int>(x);
        else if (key == "core_iterations")
          so.core_iterations = static_cast<int>(x);
        else if (key == "start_iterations")
          so.start_iterations = static_cast<int>(x);
        else if (key == "searches")
          so.searches = static_cast<int>(x);
        else if (key == "rounds_per_effort")
          so.rounds_per_effort = static_cast<int>(x);
        else if (key == "rounds_max")
          so.rounds_max = static_cast<int>(x);
        else if (key == "patience_max")
          so.patience_max = static_cast<int>(x);
        else if (key == "effort_per_patience")
          so.effort_per_patience = static_cast<int>(x);
        else if (key == "theta")
          so.theta = x;
        else if (key == "min_gain")
          so.min_gain = x;
        else if (key == "reuse_fresh")
          so.reuse_fresh = x != 0;
        else {
          std::cerr << "unknown --set " << key << "\n";
          return 2;
        }
      }
      internal::LeidenSearchTrace tr;
      const std::clock_t c0 = std::clock();
      const std::vector<int> sm = internal::LeidenSearch(*f, so, &tr);
      const double scpu = CpuSince(c0);
      for (size_t r = 0; r < tr.rounds.size(); ++r)
        std::printf(
            "    round %2zu: core groups %6d, arcs %8lld, best on the core graph %.8f, best %.8f, cpu %.3f s (core "
            "runs %.3f, polish %.3f, fresh %.3f)\n",
            r, tr.rounds[r].core_groups, static_cast<long long>(tr.rounds[r].core_arcs), tr.rounds[r].core_best,
            tr.rounds[r].best, tr.rounds[r].cpu_s, tr.rounds[r].runs_s, tr.rounds[r].polish_s, tr.rounds[r].fresh_s);
      std::printf("%-24s %11.8f %6s %9s %9.3f   (LeidenSearch with the --set options)\n", name.c_str(),
                  Modularity(*f, sm, 1.0, false), "-", "-", scpu);
    }
    std::fflush(stdout);
  }
  return 0;
}
