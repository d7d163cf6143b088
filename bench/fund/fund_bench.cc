// fund_bench: runs every rule on every instance in ../shared/data/pabulib and prints a table:
// instance, projects, voters, rule, seconds (best of --repeat runs, parsing excluded), pabutools'
// seconds from expected.json where it has them, and the speed-up.
//
//   build-fund/bench/fund/fund_bench [--data DIR] [--repeat N] [--rule RULE] [--file SUBSTRING]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fund/pabulib.h"
#include "fund/rules.h"

using namespace weefsel::fund;

int main(int argc, char** argv) {
  std::string dir;
  if (const char* env = std::getenv("WEEFSEL_SHARED_DATA"); env && *env)
    dir = std::string(env) + "/pabulib";
  else
    dir = std::string(WEEFSEL_SOURCE_DIR) + "/../shared/data/pabulib";
  int repeat = 3;
  std::string only_rule, only_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else if (a == "--rule" && i + 1 < argc)
      only_rule = argv[++i];
    else if (a == "--file" && i + 1 < argc)
      only_file = argv[++i];
    else {
      std::fprintf(stderr, "usage: fund_bench [--data DIR] [--repeat N] [--rule RULE] [--file SUBSTRING]\n");
      return 2;
    }
  }
  std::map<std::pair<std::string, std::string>, double> ref;  // (file, rule) -> pabutools seconds
  if (std::ifstream f(dir + "/expected.json"); f) {
    for (const auto& r : nlohmann::json::parse(f)) {
      std::string rule = r.at("rule");
      ref[{r.at("file"), rule.substr(0, rule.find(':'))}] = r.at("seconds");
    }
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".pb") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "fund_bench: no .pb files in %s\n", dir.c_str());
    return 2;
  }
  std::printf(
      "| instance | projects | voters | rule | weefsel s (wall) | weefsel s (cpu) | pabutools s | speed-up (wall) |\n");
  std::printf("|---|---:|---:|---|---:|---:|---:|---:|\n");
  double worst = 0, ours_on_ref = 0, theirs = 0, total_wall = 0, total_cpu = 0;
  std::string worst_what;
  for (const auto& path : files) {
    std::string name = path.filename().string();
    if (!only_file.empty() && name.find(only_file) == std::string::npos) continue;
    auto in = ReadPb(path.string());
    if (!in.ok()) {
      std::fprintf(stderr, "fund_bench: %s\n", in.status().ToString().c_str());
      return 2;
    }
    for (Rule r : kAllRules) {
      if (!RuleApplies(r, in->vote_type)) continue;
      if (!only_rule.empty() && RuleName(r) != only_rule) continue;
      double best = 1e100, best_cpu = 1e100;
      for (int k = 0; k < repeat; ++k) {
        std::clock_t c0 = std::clock();
        auto t0 = std::chrono::steady_clock::now();
        auto out = RunRule(*in, r, {.explain = false});
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!out.ok()) {
          std::fprintf(stderr, "fund_bench: %s %s: %s\n", name.c_str(), std::string(RuleName(r)).c_str(),
                       out.status().ToString().c_str());
          return 1;
        }
        best = std::min(best, s);
        best_cpu = std::min(best_cpu, double(std::clock() - c0) / CLOCKS_PER_SEC);
      }
      total_wall += best;
      total_cpu += best_cpu;
      if (best > worst) {
        worst = best;
        worst_what = name + " " + std::string(RuleName(r));
      }
      auto it = ref.find({name, std::string(RuleName(r))});
      if (it != ref.end()) {
        ours_on_ref += best;
        theirs += it->second;
        std::printf("| %s | %zu | %zu | %s | %.4f | %.4f | %.4f | %.0fx |\n", name.c_str(), in->projects.size(),
                    in->voters.size(), std::string(RuleName(r)).c_str(), best, best_cpu, it->second, it->second / best);
      } else {
        std::printf("| %s | %zu | %zu | %s | %.4f | %.4f | | |\n", name.c_str(), in->projects.size(), in->voters.size(),
                    std::string(RuleName(r)).c_str(), best, best_cpu);
      }
      std::fflush(stdout);
    }
  }
  std::printf("\nslowest: %s %.4f s wall\n", worst_what.c_str(), worst);
  std::printf("all rules on all instances: %.3f s wall, %.3f s cpu\n", total_wall, total_cpu);
  if (theirs > 0)
    std::printf("on the %zu reference records: weefsel %.3f s, pabutools %.3f s, overall speed-up %.0fx\n", ref.size(),
                ours_on_ref, theirs, theirs / ours_on_ref);
  return 0;
}
