// round_results_bench: the steps publishing a round and its first results request take, timed one
// by one on a real database (issue 16: publishing the 100,000-ballot round in < 2 s). Reads only.
//
//   build/bench/engines/round_results_bench --db national.db [--round ID] [--repeat N]
// The round defaults to the national demo's large round (`weefsel demo --national`, a name starting
// "Stadsbudget "). Steps: BallotsOf (both publishing and results read every ballot),
// AnonymiseBallots (results), FromRound + RunRule under the round's rule with explanations (both).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fund/instance.h"
#include "fund/rules.h"
#include "service/open_data.h"
#include "storage/store.h"

using namespace weefsel;

namespace {
double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::string db;
  int64_t round_id = 0;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" && i + 1 < argc)
      db = argv[++i];
    else if (a == "--round" && i + 1 < argc)
      round_id = std::atoll(argv[++i]);
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else
      db.clear(), i = argc;
  }
  if (db.empty()) {
    std::fprintf(stderr, "usage: round_results_bench --db FILE [--round ID] [--repeat N]\n");
    return 2;
  }
  auto store = storage::Store::Open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "round_results_bench: %s\n", store.status().ToString().c_str());
    return 1;
  }
  if (round_id == 0) {
    auto rounds = (*store)->ListRounds({.limit = 1000});
    if (rounds.ok())
      for (const auto& r : *rounds)
        if (r.name.rfind("Stadsbudget ", 0) == 0) round_id = r.id.value();
  }
  auto round = (*store)->GetRound(RoundId(round_id));
  if (!round.ok()) {
    std::fprintf(stderr, "round_results_bench: round %lld: %s\n", static_cast<long long>(round_id),
                 round.status().ToString().c_str());
    return 1;
  }
  auto rule = fund::ParseRule(round->rule);
  if (!rule.ok()) return 1;
  double read = 1e100, anon = 1e100, from = 1e100, run = 1e100;
  size_t ballots = 0, funded = 0;
  for (int k = 0; k < repeat; ++k) {
    auto t0 = std::chrono::steady_clock::now();
    auto cast = (*store)->BallotsOf(round->id);
    read = std::min(read, Since(t0));
    if (!cast.ok()) {
      std::fprintf(stderr, "round_results_bench: %s\n", cast.status().ToString().c_str());
      return 1;
    }
    ballots = cast->size();
    t0 = std::chrono::steady_clock::now();
    auto anonymous = service::AnonymiseBallots(std::move(*cast));  // as FundService hands them over
    anon = std::min(anon, Since(t0));
    t0 = std::chrono::steady_clock::now();
    auto in = fund::FromRound(*round, anonymous);
    from = std::min(from, Since(t0));
    if (!in.ok()) return 1;
    t0 = std::chrono::steady_clock::now();
    auto out = fund::RunRule(*in, *rule, {.explain = true});
    run = std::min(run, Since(t0));
    if (!out.ok()) return 1;
    funded = out->selected.size();
  }
  std::printf("round %lld: %zu ballots, rule %s, %zu funded\n", static_cast<long long>(round_id), ballots,
              round->rule.c_str(), funded);
  std::printf("| step | seconds (best of %d) |\n|---|---:|\n", repeat);
  std::printf("| BallotsOf | %.3f |\n| AnonymiseBallots | %.3f |\n| FromRound | %.3f |\n| RunRule | %.3f |\n", read,
              anon, from, run);
  std::printf("| publishing's reads and rule (BallotsOf + FromRound + RunRule) | %.3f |\n", read + from + run);
  std::printf("| the results build (all four) | %.3f |\n", read + anon + from + run);
  return 0;
}
