// match_bench: the figures of issue 5 on synthetic data of realistic shape (seeded, reproducible):
//   1. ranking 100,000 actors for one challenge (median of 21 challenges, or --rankings; target < 50 ms);
//   2. a coalition from 10,000 candidates by the heuristic (median of 5; target < 1 s);
//   3. the exact ILP on 60 candidates (median of 3; target < 5 s), with proof and gap.
// Prints the machine's core count. Usage: match_bench [--actors N] [--seed S] [--rank-only]
//   [--all-features] [--walk W] [--rankings N] [--ab]
// --rank-only stops after 1; --all-features ranks computing every component, also those at weight
// 0 (as the learned stage's training does, and as every ranking did before the tenth session);
// --walk W ranks with the walk component at weight W; --ab ranks each challenge also with every
// feature and with the walk alone, in turn, 3 times each, and prints the medians (thread CPU time)
// and the ratio of the defaults to the cost before the tenth session (every feature but the walk):
// skipping the components at weight 0, measured in one process on the same challenges.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "coalition/coalition.h"
#include "domain/vocabulary.h"
#include "match/matcher.h"

using namespace weefsel;
using Steady = std::chrono::steady_clock;

// Process CPU seconds (all threads): on a shared machine wall-clock figures include waiting.
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }
// This thread's CPU time in ms (the A/B of --ab).
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

namespace {

const char* kWords[] = {"zorg",         "ouderen",
                        "jongeren",     "wijk",
                        "buurt",        "energie",
                        "zon",          "wind",
                        "warmte",       "isolatie",
                        "armoede",      "schulden",
                        "eenzaamheid",  "vrijwilligers",
                        "sport",        "cultuur",
                        "onderwijs",    "school",
                        "taal",         "werk",
                        "participatie", "gezondheid",
                        "voeding",      "groen",
                        "water",        "klimaat",
                        "mobiliteit",   "fiets",
                        "wonen",        "huisvesting",
                        "veiligheid",   "inclusie",
                        "digitaal",     "app",
                        "data",         "onderzoek",
                        "innovatie",    "coöperatie",
                        "mantelzorg",   "dementie",
                        "preventie",    "kunst",
                        "muziek",       "theater",
                        "tuin",         "voedselbank",
                        "kringloop",    "circulair",
                        "afval",        "bewoners",
                        "ondernemers",  "statushouders",
                        "integratie",   "laaggeletterdheid",
                        "thuiszorg",    "ouderenzorg",
                        "jeugdzorg",    "energiecoöperatie",
                        "buurthuis",    "speeltuin"};
const char* kCaps[] = {"zorg",    "ict",       "onderzoek", "beleid",   "financiering", "communicatie",  "buurtwerk",
                       "energie", "onderwijs", "juridisch", "vastgoed", "evaluatie",    "vrijwilligers", "ontwerp",
                       "data",    "marketing", "techniek",  "inkoop",   "training",     "coaching"};
constexpr int kNWords = sizeof(kWords) / sizeof(kWords[0]);
constexpr int kNCaps = sizeof(kCaps) / sizeof(kCaps[0]);

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string Sentence(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += std::string(i ? " " : "") + kWords[rng.Uniform(0, kNWords - 1)];
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int n_actors = 100000;
  uint64_t seed = 42;
  bool leiden = false, rank_only = false, all_features = false, ab = false;
  double walk = 0;
  int rankings = 21;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--leiden")) leiden = true;
    if (!std::strcmp(argv[i], "--rank-only")) rank_only = true;
    if (!std::strcmp(argv[i], "--all-features")) all_features = true;
    if (!std::strcmp(argv[i], "--ab")) ab = true;
    if (i + 1 >= argc) continue;
    if (!std::strcmp(argv[i], "--walk")) walk = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rankings")) rankings = std::max(1, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--actors")) n_actors = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::printf("match_bench: %u cores (std::thread::hardware_concurrency), %d actors, seed %llu\n",
              std::thread::hardware_concurrency(), n_actors, static_cast<unsigned long long>(seed));
  Rng rng(seed);
  const auto& themes = domain::Themes();
  std::vector<domain::Actor> actors(static_cast<size_t>(n_actors));
  for (int i = 0; i < n_actors; ++i) {
    auto& a = actors[static_cast<size_t>(i)];
    a.id = ActorId(i + 1);
    a.name = "actor " + std::to_string(i + 1);
    a.kind = domain::AllActorKinds()[static_cast<size_t>(rng.Uniform(0, domain::kActorKindCount - 1))];
    a.municipality = MunicipalityId(rng.Uniform(1, 50));
    a.description = Sentence(rng, 12);
    for (int k = 0; k < 2; ++k)
      a.themes.push_back(
          std::string(themes[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(themes.size()) - 1))].code));
    for (int k = 0, c = static_cast<int>(rng.Uniform(1, 3)); k < c; ++k)
      a.capabilities.push_back(kCaps[rng.Uniform(0, kNCaps - 1)]);
  }
  // Ties: each actor ties to 3 others, mostly in its own block of 200 (communities), some far.
  std::vector<domain::Tie> ties;
  for (int i = 0; i < n_actors; ++i)
    for (int k = 0; k < 3; ++k) {
      int j = rng.Bernoulli(0.85) ? (i / 200) * 200 + static_cast<int>(rng.Uniform(0, 199))
                                  : static_cast<int>(rng.Uniform(0, n_actors - 1));
      if (j == i || j >= n_actors) continue;
      domain::Tie t;
      t.a = ActorId(std::min(i, j) + 1), t.b = ActorId(std::max(i, j) + 1),
      t.weight = 1 + static_cast<double>(rng.Uniform(0, 3));
      ties.push_back(t);
    }
  std::vector<match::PastWork> past;
  // Dated (2020-2026, from an Rng of its own so that everything else is drawn as before), for the
  // recency components.
  Rng date_rng(seed + 1);
  for (int i = 0; i < n_actors / 4; ++i) {
    past.push_back({ActorId(rng.Uniform(1, n_actors)), Sentence(rng, 8)});
    past.back().date =
        std::to_string(date_rng.Uniform(2020, 2026)) + "-0" + std::to_string(date_rng.Uniform(1, 9)) + "-01";
  }
  auto t0 = Steady::now();
  double c0 = CpuSeconds();
  match::BuildOptions bo;
  if (leiden) bo.grouping = match::Grouping::kLeiden;
  auto built = match::Matcher::Build(actors, ties, past, {}, nullptr, bo);
  if (!built.ok()) {
    std::fprintf(stderr, "%s\n", built.status().ToString().c_str());
    return 1;
  }
  const match::Matcher& m = *built;
  std::printf("matcher setup (text index, fabric, groups by %s): %.2f s wall, %.2f s CPU, %zu ties\n",
              leiden ? "Leiden" : "label propagation", std::chrono::duration<double>(Steady::now() - t0).count(),
              CpuSeconds() - c0, ties.size());

  // 1. Ranking.
  std::vector<double> ms, ms_cpu, ab_skip, ab_every, ab_walk;
  domain::Challenge last;
  for (int q = 0; q < rankings; ++q) {
    domain::Challenge ch;
    ch.title = Sentence(rng, 4);
    ch.text = Sentence(rng, 25);
    ch.language = "nl";
    ch.municipality = MunicipalityId(rng.Uniform(1, 50));
    ch.owner = ActorId(rng.Uniform(1, n_actors));
    ch.themes = {
        std::string(themes[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(themes.size()) - 1))].code)};
    for (int k = 0; k < 4; ++k)
      ch.capabilities.push_back({kCaps[rng.Uniform(0, kNCaps - 1)], 1.0 + static_cast<double>(k)});
    auto t = Steady::now();
    double c = CpuSeconds();
    match::RankOptions ro{.limit = 20};
    ro.all_features = all_features;
    ro.weights.walk = walk;
    auto r = m.Rank(ch, ro);
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t).count());
    ms_cpu.push_back((CpuSeconds() - c) * 1000);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    last = ch;
    // Three arms in turn: the defaults (weight-0 components skipped), every feature (as before the
    // tenth session, and the walk), and the walk alone (a weight too small to move a place: its cost).
    for (int k = 0; ab && k < 9; ++k) {
      const int arm = (k + q) % 3;
      match::RankOptions o = ro;
      o.all_features = arm == 1;
      if (arm == 2) o.weights.walk = 1e-12;
      const double c0 = ThreadCpuMs();
      auto again = m.Rank(ch, o);
      (arm == 0 ? ab_skip : arm == 1 ? ab_every : ab_walk).push_back(ThreadCpuMs() - c0);
      if (!again.ok()) return 1;
    }
  }
  if (ab) {
    // Before the tenth session every ranking computed the five components at weight 0, and there was
    // no walk: every feature minus the walk's own cost.
    const double skip = Median(ab_skip), every = Median(ab_every), walk_cost = Median(ab_walk) - skip;
    std::printf(
        "A/B in one process (%zu rankings per arm, thread CPU): weight-0 components skipped median %.2f ms; "
        "every feature %.2f ms; the walk alone %.2f ms (+%.2f); every feature without the walk (as before) "
        "%.2f ms: ratio skipped / before %.3f\n",
        ab_skip.size(), skip, every, Median(ab_walk), walk_cost, every - walk_cost, skip / (every - walk_cost));
  }
  std::printf(
      "rank %d actors for one challenge%s%s: median %.1f ms wall, %.1f ms CPU (wall min %.1f, max %.1f; %d "
      "challenges) [target < 50 ms]\n",
      n_actors, all_features ? ", every feature" : "", walk != 0 ? (", walk " + std::to_string(walk)).c_str() : "",
      Median(ms), Median(ms_cpu), *std::min_element(ms.begin(), ms.end()), *std::max_element(ms.begin(), ms.end()),
      rankings);
  if (rank_only) return 0;

  // 2. Heuristic coalition from 10,000 candidates.
  const int n_cand = std::min(10000, n_actors);
  std::vector<coalition::Candidate> cands;
  std::vector<int> nodes;
  for (int i = 0; i < n_cand; ++i) {
    const auto& a = actors[static_cast<size_t>(i)];
    coalition::Candidate c{a.id, a.name, domain::SectorOf(a.kind), {}, rng.Real()};
    for (const auto& cap : a.capabilities) c.capabilities.push_back(domain::NormalizeCapability(cap));
    cands.push_back(std::move(c));
    nodes.push_back(*m.fabric().IndexOf(a.id));
  }
  coalition::Rules rules;
  for (const char* c : {"zorg", "ict", "onderzoek", "financiering"})
    rules.needs.push_back({domain::NormalizeCapability(c), 1.0});
  rules.mix = {{domain::Sector::kGovernment, 1},
               {domain::Sector::kBusiness, 1},
               {domain::Sector::kKnowledge, 1},
               {domain::Sector::kCivilSociety, 1}};
  rules.max_size = 6;
  rules.relevance_weight = 0.5;
  rules.unreachable_distance = 10;
  std::vector<double> hs, hs_cpu;
  double h_obj = 0;
  for (int rep = 0; rep < 5; ++rep) {
    coalition::FabricDistances dist(m.fabric(), nodes);  // fresh cache: distances are part of the cost
    rules.lead = rep * 997 % n_cand;
    auto t = Steady::now();
    double c = CpuSeconds();
    auto r = coalition::FormHeuristic(cands, dist, rules, 3);
    hs.push_back(std::chrono::duration<double>(Steady::now() - t).count());
    hs_cpu.push_back(CpuSeconds() - c);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
      return 1;
    }
    h_obj = (*r)[0].objective;
  }
  std::printf(
      "coalition from %d candidates (heuristic, top 3, lead fixed, 4 capabilities + 4-sector mix): median %.3f s wall, "
      "%.3f s CPU [target < 1 s]; last objective %.3f\n",
      n_cand, Median(hs), Median(hs_cpu), h_obj);

  // 3. Exact ILP on 60 candidates: the top 60 of a ranking.
  std::vector<double> es, es_cpu, dist_s;
  int proven = 0, runs = 0;
  double gap = 0, h_vs_e = 0;
  for (int rep = 0; rep < 5; ++rep) {
    last.owner = ActorId(rng.Uniform(1, n_actors));
    auto r = m.Rank(last, {.limit = 60, .diversity = 0.1});
    if (!r.ok()) return 1;
    std::vector<coalition::Candidate> c60;
    std::vector<int> n60;
    for (const auto& x : *r) {
      const auto& a = actors[static_cast<size_t>(x.actor.value() - 1)];
      coalition::Candidate c{a.id, a.name, domain::SectorOf(a.kind), {}, x.score};
      for (const auto& cap : a.capabilities) c.capabilities.push_back(domain::NormalizeCapability(cap));
      c60.push_back(std::move(c));
      n60.push_back(*m.fabric().IndexOf(a.id));
    }
    coalition::FabricDistances dist(m.fabric(), n60);
    coalition::Rules r60 = rules;
    r60.lead.reset();
    r60.needs.clear();
    for (const auto& need : last.capabilities) r60.needs.push_back({domain::NormalizeCapability(need.capability), 1.0});
    // The 60 x 60 distances (60 Dijkstra runs over the fabric) are input to the solver: timed apart.
    auto td = Steady::now();
    for (int i = 0; i < static_cast<int>(c60.size()); ++i) (void)dist.Row(i);
    dist_s.push_back(std::chrono::duration<double>(Steady::now() - td).count());
    auto t = Steady::now();
    double c = CpuSeconds();
    auto e = coalition::FormExact(c60, dist, r60, 1, {.time_limit_seconds = 5.0});
    es.push_back(std::chrono::duration<double>(Steady::now() - t).count());
    es_cpu.push_back(CpuSeconds() - c);
    ++runs;
    std::printf("  exact run %d: %.2f s wall, %.2f s CPU, %s\n", rep, es.back(), es_cpu.back(),
                e.ok() ? ((*e)[0].proven_optimal ? "proven optimal" : "not proven") : "no team");
    if (!e.ok()) {
      std::printf("  exact run %d: %s\n", rep, e.status().ToString().c_str());
      continue;
    }
    proven += (*e)[0].proven_optimal;
    gap = std::max(gap, (*e)[0].gap);
    auto h = coalition::FormHeuristic(c60, dist, r60);
    if (h.ok()) h_vs_e = std::max(h_vs_e, (*h)[0].objective - (*e)[0].objective);
  }
  std::printf(
      "exact ILP on 60 candidates (CBC, 5 s limit, warm start): median %.2f s wall, %.2f s CPU [target < 5 s]; proven "
      "optimal %d/%d, largest gap %.3f; heuristic worse by at most %.3f\n",
      Median(es), Median(es_cpu), proven, runs, gap, h_vs_e);
  std::printf("  (the 60 x 60 fabric distances before each run: median %.2f s wall)\n", Median(dist_s));
  return 0;
}
