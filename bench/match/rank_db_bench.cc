// rank_db_bench: the ranking as the server does it (service::ReadMatcherInputs, BuildMatcher,
// Matcher::Rank with the server's options), on a store of real size: the cost behind
// GET /challenges/{id}/matches on the national demo, which match_bench's synthetic 100,000 actors
// do not show (issue 16: one request in twenty of the mixed load is a ranking of 250,000 actors).
//
// Usage: rank_db_bench --db FILE|postgresql://... [--challenges N] [--limit L] [--repeat R] [--out FILE] [--no-prune]
//   ranks N challenges (default 200, spread evenly over the store's challenges by id), each R times
//   (default 3; the first is a warm-up, the median of the rest counts); prints the matcher's build
//   time and the per-ranking wall and CPU (median, p90, p99, max over the challenges). --out writes
//   every ranking (challenge, rank, actor, score to 17 digits, reasons' codes) to FILE, so that two
//   builds can be checked to rank identically (diff the files). --no-prune scores every word for
//   every actor (RankOptions::prune = false): the peer of the common words scored last.
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "match/matcher.h"
#include "service/matches.h"
#include "storage/store.h"

using namespace weefsel;
using Steady = std::chrono::steady_clock;

namespace {

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, out_path;
  int n = 200, limit = 20, repeat = 3;
  bool prune = true;
  for (int i = 1; i < argc; i += 2) {
    if (!std::strcmp(argv[i], "--no-prune")) {
      prune = false;
      --i;  // a flag without a value
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "rank_db_bench: %s needs a value\n", argv[i]);
      return 2;
    }
    if (!std::strcmp(argv[i], "--db"))
      db = argv[i + 1];
    else if (!std::strcmp(argv[i], "--challenges"))
      n = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--limit"))
      limit = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--out"))
      out_path = argv[i + 1];
    else {
      std::fprintf(stderr, "rank_db_bench: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (db.empty()) {
    std::fprintf(stderr, "usage: rank_db_bench --db FILE [--challenges N] [--limit L] [--repeat R] [--out FILE]\n");
    return 2;
  }
  auto store = storage::Store::Open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s: %s\n", db.c_str(), store.status().ToString().c_str());
    return 1;
  }
  auto t0 = Steady::now();
  auto inputs = service::ReadMatcherInputs(**store);
  auto challenges = (*store)->ListChallenges();
  if (!inputs.ok() || !challenges.ok()) {
    std::fprintf(stderr, "%s\n", (!inputs.ok() ? inputs.status() : challenges.status()).ToString().c_str());
    return 1;
  }
  const size_t n_actors = inputs->actors.size(), n_ties = inputs->ties.size();
  auto t1 = Steady::now();
  auto matcher = service::BuildMatcher(std::move(inputs).value());
  if (!matcher.ok()) {
    std::fprintf(stderr, "%s\n", matcher.status().ToString().c_str());
    return 1;
  }
  auto t2 = Steady::now();
  std::printf("rank_db_bench: %zu actors, %zu ties, %zu challenges; read %.1f s, matcher built in %.1f s\n", n_actors,
              n_ties, challenges->size(), std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t2 - t1).count());
  std::sort(challenges->begin(), challenges->end(),
            [](const domain::Challenge& a, const domain::Challenge& b) { return a.id < b.id; });
  std::vector<const domain::Challenge*> picked;
  const size_t total = challenges->size();
  for (size_t k = 0; k < std::min<size_t>(static_cast<size_t>(n), total); ++k)
    picked.push_back(&(*challenges)[k * total / std::min<size_t>(static_cast<size_t>(n), total)]);
  std::ofstream out;
  if (!out_path.empty()) out.open(out_path);
  std::vector<double> wall, cpu;
  size_t failed = 0, pruned = 0;
  std::vector<double> reached, rescored;
  for (const domain::Challenge* ch : picked) {
    std::vector<double> w, c;
    Result<std::vector<match::Match>> r = Status::Internal("not ranked");
    for (int rep = 0; rep < repeat; ++rep) {
      auto s = Steady::now();
      double sc = ThreadCpuMs();
      match::RankStats stats;
      r = matcher->Rank(*ch, {.limit = limit, .prune = prune, .stats = &stats});
      if (rep == 0) {
        reached.push_back(static_cast<double>(stats.reached));
        rescored.push_back(static_cast<double>(stats.rescored));
        pruned += stats.pruned;
      }
      if (rep > 0 || repeat == 1) {
        w.push_back(std::chrono::duration<double, std::milli>(Steady::now() - s).count());
        c.push_back(ThreadCpuMs() - sc);
      }
    }
    wall.push_back(Quantile(w, 0.5));
    cpu.push_back(Quantile(c, 0.5));
    if (!r.ok()) {
      ++failed;
      if (out.is_open()) out << ch->id.value() << " error " << r.status().ToString() << "\n";
      continue;
    }
    if (out.is_open())
      for (const match::Match& m : *r) {
        char score[64];
        std::snprintf(score, sizeof score, "%.17g", m.score);
        out << ch->id.value() << " " << m.rank << " " << m.actor.value() << " " << score << (m.unexpected ? " u" : "");
        for (const auto& reason : m.reasons) out << " " << reason.code << (reason.primary ? "*" : "");
        out << "\n";
      }
  }
  std::printf(
      "rank (limit %d, %zu challenges, median of %d runs each): wall ms median %.1f, p90 %.1f, p99 %.1f, max %.1f; "
      "CPU ms median %.1f, p90 %.1f, p99 %.1f; %zu answered an error\n",
      limit, picked.size(), std::max(1, repeat - 1), Quantile(wall, 0.5), Quantile(wall, 0.9), Quantile(wall, 0.99),
      Quantile(wall, 1.0), Quantile(cpu, 0.5), Quantile(cpu, 0.9), Quantile(cpu, 0.99), failed);
  std::printf(
      "first pass: actors reached median %.0f; common words left out in %zu of %zu rankings, then actors scored again "
      "median %.0f, max %.0f\n",
      Quantile(reached, 0.5), pruned, picked.size(), Quantile(rescored, 0.5), Quantile(rescored, 1.0));
  return 0;
}
