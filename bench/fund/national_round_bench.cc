// national_round_bench: the rule of the national demo's large round (issue 16: publishing the
// 100,000-ballot round in < 2 s). The round is drawn by service::DrawLargeRound, the draw
// service::StageLargeRound writes (twenty projects, heavy-tailed appeal, a home quarter per voter),
// so the benchmark needs no database. It times what publishing and the first results request do with the
// ballots: FromRound, then RunRule under the round's rule (mes_add1_greedy) with explanations.
//
// bench/national/run.sh then has residents replace ballots through the API (ballots.lua: one to three
// projects each); --replaced N does the same to the first N ballots.
//
//   build/bench/fund/national_round_bench [--ballots N] [--replaced N] [--seed S] [--repeat N] [--rule RULE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "domain/model.h"
#include "fund/instance.h"
#include "fund/rules.h"
#include "service/demo_programme.h"

using namespace weefsel;

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int ballots = 100000, repeat = 3, replaced = 0;
  uint64_t seed = 1;
  std::string rule_name = "mes_add1_greedy";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--ballots" && i + 1 < argc)
      ballots = std::max(1, std::atoi(argv[++i]));
    else if (a == "--replaced" && i + 1 < argc)
      replaced = std::max(0, std::atoi(argv[++i]));
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else if (a == "--rule" && i + 1 < argc)
      rule_name = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: national_round_bench [--ballots N] [--replaced N] [--seed S] [--repeat N] [--rule RULE]\n");
      return 2;
    }
  }
  auto rule = fund::ParseRule(rule_name);
  if (!rule.ok()) {
    std::fprintf(stderr, "national_round_bench: %s\n", rule.status().ToString().c_str());
    return 2;
  }
  // The round and ballots service::StageLargeRound writes, drawn without a store.
  service::LargeRoundDraw draw = service::DrawLargeRound(seed, ballots);
  domain::Round& round = draw.round;
  std::vector<domain::Ballot>& cast = draw.ballots;
  const size_t n = round.projects.size();
  for (size_t i = 0; i < cast.size() && i < static_cast<size_t>(replaced); ++i) {  // as ballots.lua writes them
    cast[i].entries.clear();
    for (size_t k = 0; k <= i % 3; ++k) {
      const std::string& id = round.projects[(i * 7 + k * 5) % n].project_id;
      bool dup = false;
      for (const auto& e : cast[i].entries) dup = dup || e.project_id == id;
      if (!dup) cast[i].entries.push_back({id, 1});
    }
  }
  std::set<std::vector<std::string>> distinct;
  for (const auto& b : cast) {
    std::vector<std::string> ids;
    for (const auto& e : b.entries) ids.push_back(e.project_id);
    distinct.insert(ids);
  }
  std::printf("round: %zu projects, budget %lld EUR, %d ballots (%d replaced; %zu distinct), rule %s, seed %llu\n",
              round.projects.size(), static_cast<long long>(round.budget_eur), ballots, replaced, distinct.size(),
              rule_name.c_str(), static_cast<unsigned long long>(seed));
  double best_from = 1e100, best_rule = 1e100, best_plain = 1e100, best_cpu = 1e100;
  fund::Outcome outcome;
  for (int k = 0; k < repeat; ++k) {
    auto t0 = std::chrono::steady_clock::now();
    auto in = fund::FromRound(round, cast);
    best_from = std::min(best_from, Seconds(t0));
    if (!in.ok()) {
      std::fprintf(stderr, "national_round_bench: %s\n", in.status().ToString().c_str());
      return 1;
    }
    std::clock_t c0 = std::clock();
    t0 = std::chrono::steady_clock::now();
    auto out = fund::RunRule(*in, *rule, {.explain = true});
    best_rule = std::min(best_rule, Seconds(t0));
    best_cpu = std::min(best_cpu, double(std::clock() - c0) / CLOCKS_PER_SEC);
    if (!out.ok()) {
      std::fprintf(stderr, "national_round_bench: %s\n", out.status().ToString().c_str());
      return 1;
    }
    t0 = std::chrono::steady_clock::now();
    auto plain = fund::RunRule(*in, *rule, {.explain = false});
    best_plain = std::min(best_plain, Seconds(t0));
    outcome = std::move(*out);
  }
  std::printf("funded (%zu, budget increments %lld):", outcome.selected.size(),
              static_cast<long long>(outcome.budget_increments));
  for (int p : outcome.selected) std::printf(" %s", round.projects[static_cast<size_t>(p)].project_id.c_str());
  std::printf("\n");
  std::printf("| step | seconds (best of %d) | of the 2 s limit |\n|---|---:|---:|\n", repeat);
  std::printf("| FromRound | %.3f | %.0f%% |\n", best_from, 100 * best_from / 2);
  std::printf("| RunRule, explanations (publishing, results) | %.3f (cpu %.3f) | %.0f%% |\n", best_rule, best_cpu,
              100 * best_rule / 2);
  std::printf("| RunRule, no explanations | %.3f | %.0f%% |\n", best_plain, 100 * best_plain / 2);
  std::printf("| FromRound + RunRule | %.3f | %.0f%% |\n", best_from + best_rule, 100 * (best_from + best_rule) / 2);
  return 0;
}
