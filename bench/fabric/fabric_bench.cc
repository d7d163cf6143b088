// bench/fabric/fabric_bench.cc: seconds per analysis of the full fabric report on each network,
// and the same analyses by igraph's own functions called in sequence (one thread).
//
// Usage: fabric_bench [--data DIR] [--no-igraph] [--threads N] [--weave-k K] [NAME ...]
// Prints one line per network and analysis: "network  analysis  weefsel_s  igraph_s", then totals,
// then a JSON line per network (for bench/fabric/compare.py). Data are read in place.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "fabric/analysis.h"
#include "fabric/fabric.h"
#include "fabric/weave.h"

using namespace weefsel;
using namespace weefsel::fabric;

int main(int argc, char** argv) {
  std::string dir = std::getenv("WEEFSEL_SHARED_DATA") ? std::string(std::getenv("WEEFSEL_SHARED_DATA")) + "/networks"
                                                       : std::string(WEEFSEL_SOURCE_DIR) + "/../shared/data/networks";
  bool with_igraph = true;
  int threads = 2;
  int weave_k = 10;
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--no-igraph")
      with_igraph = false;
    else if (a == "--threads" && i + 1 < argc)
      threads = std::atoi(argv[++i]);
    else if (a == "--weave-k" && i + 1 < argc)
      weave_k = std::atoi(argv[++i]);
    else
      names.push_back(a);
  }
  if (names.empty()) {
    for (const char* n :
         {"florentine", "davis_women_projection", "davis_bipartite", "karate", "dolphins", "lesmis", "football",
          "email-Eu-core", "h2020_nl_orgs", "h2020_sc6_orgs", "ca-GrQc", "ca-HepTh", "ca-AstroPh-lcc", "ca-CondMat"})
      names.emplace_back(n);
  }
  std::printf("%-24s %-22s %12s %12s\n", "network", "analysis", "weefsel_s", "igraph_s");
  for (const std::string& name : names) {
    auto t0 = std::chrono::steady_clock::now();
    auto f = Fabric::FromEdgeFiles(dir + "/" + name + ".edges", dir + "/" + name + ".nodes");
    if (!f.ok()) {
      std::cerr << f.status().ToString() << "\n";
      return 2;
    }
    double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ReportOptions ro;
    ro.betweenness.threads = threads;
    std::clock_t c0 = std::clock();
    auto report = Analyse(*f, ro);
    double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    if (!report.ok()) {
      std::cerr << report.status().ToString() << "\n";
      return 1;
    }
    std::map<std::string, double> ig;
    double ig_total = 0, ig_mod = 0, ig_diam = 0;
    double ig_cpu = 0;
    if (with_igraph) {
      std::clock_t c1 = std::clock();
      auto base = RunIgraphBaseline(*f);
      ig_cpu = static_cast<double>(std::clock() - c1) / CLOCKS_PER_SEC;
      if (!base.ok()) {
        std::cerr << base.status().ToString() << "\n";
        return 1;
      }
      for (auto& [k, v] : base->seconds) {
        ig[k] += v;
        ig_total += v;
      }
      ig_mod = base->modularity;
      ig_diam = base->diameter;
    }
    // The report's igraph analyses overlap its betweenness (two threads), so its total is wall time.
    const double total = report->wall_seconds;
    std::printf("%-24s %-22s %12.4f %12s\n", name.c_str(), "load", load, "-");
    for (auto& [k, v] : report->seconds) {
      if (with_igraph && ig.count(k))
        std::printf("%-24s %-22s %12.4f %12.4f\n", name.c_str(), k.c_str(), v, ig[k]);
      else
        std::printf("%-24s %-22s %12.4f %12s\n", name.c_str(), k.c_str(), v, "-");
    }
    double weave_s = 0, weave_cpu = 0;
    {
      auto tw = std::chrono::steady_clock::now();
      std::clock_t cw = std::clock();
      WeaveOptions wo;
      wo.k = weave_k;
      auto w = SuggestWeaves(*f, wo);
      weave_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - tw).count();
      weave_cpu = static_cast<double>(std::clock() - cw) / CLOCKS_PER_SEC;
      if (!w.ok()) {
        std::cerr << w.status().ToString() << "\n";
        return 1;
      }
      std::printf("%-24s %-22s %12.4f %12s   (%zu suggestions, %.4f CPU seconds)\n", name.c_str(),
                  ("weave_k" + std::to_string(weave_k)).c_str(), weave_s, "-", w->suggestions.size(), weave_cpu);
    }
    std::printf("%-24s %-22s %12.4f %12.4f   (CPU seconds, all threads)\n", name.c_str(), "TOTAL report CPU", cpu,
                ig_cpu);
    std::printf(
        "%-24s %-22s %12.4f %12.4f   speedup %.1fx  modularity %.6f (igraph leiden best of 10: %.6f)  diameter %d "
        "(igraph %g)\n",
        name.c_str(), "TOTAL report", total, ig_total, with_igraph && total > 0 ? ig_total / total : 0.0,
        report->unweighted.communities.modularity, ig_mod, report->diameter, ig_diam);
    std::printf(
        "JSON "
        "{\"network\":\"%s\",\"nodes\":%d,\"edges\":%lld,\"report_s\":%.6f,\"igraph_c_s\":%.6f,\"weave_s\":%.6f,"
        "\"weave_cpu_s\":%.6f,"
        "\"report_cpu_s\":%.6f,\"igraph_c_cpu_s\":%.6f,\"modularity\":%.6f,\"igraph_modularity\":%.6f,\"betweenness_"
        "s\":%.6f,\"igraph_betweenness_s\":%.6f}\n",
        name.c_str(), f->node_count(), static_cast<long long>(f->edge_count()), total, ig_total, weave_s, weave_cpu,
        cpu, ig_cpu, report->unweighted.communities.modularity, ig_mod,
        [&] {
          for (auto& [k, v] : report->seconds)
            if (k == "betweenness") return v;
          return 0.0;
        }(),
        ig["betweenness"]);
    std::fflush(stdout);
  }
  return 0;
}
