// fabric/communities_test.cc: our Leiden (FindCommunities): planted communities, determinism for
// a seed and for any number of threads, and on real networks a modularity recomputed here from the
// edge file alone (not through Fabric or Modularity) that reaches leidenalg's best of 10 seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fabric/fabric.h"
#include "fabric/leiden.h"
#include "tests/kit/shared_data.h"

namespace weefsel::fabric {
namespace {

// k cliques of size s in a ring, neighbouring cliques joined by one edge: for k >= 3 and s >= 3 the
// cliques are the communities of maximal modularity (Fortunato & Barthelemy's ring of cliques at
// k below its resolution limit).
Fabric RingOfCliques(int k, int s) {
  std::vector<NodeInfo> nodes(static_cast<size_t>(k * s));
  for (int i = 0; i < k * s; ++i) nodes[static_cast<size_t>(i)].external_id = i;
  std::vector<Edge> edges;
  for (int c = 0; c < k; ++c) {
    for (int a = 0; a < s; ++a)
      for (int b = a + 1; b < s; ++b) edges.push_back({c * s + a, c * s + b, 1.0});
    edges.push_back({c * s, ((c + 1) % k) * s + 1, 1.0});
  }
  auto f = Fabric::FromEdges(nodes, edges, false);
  EXPECT_TRUE(f.ok());
  return std::move(f).value();
}

TEST(CommunitiesTest, FindsTheCliquesOfARingOfCliques) {
  Fabric f = RingOfCliques(8, 5);
  auto p = FindCommunities(f);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->count, 8);
  for (int c = 0; c < 8; ++c)
    for (int a = 1; a < 5; ++a) EXPECT_EQ(p->membership[static_cast<size_t>(c * 5 + a)], p->membership[c * 5]);
  // Each single run finds them too, from singletons and from a bad start (everything together).
  for (uint64_t seed : {1u, 2u, 3u}) {
    internal::LeidenRunOptions o;
    o.seed = seed;
    EXPECT_NEAR(Modularity(f, internal::LeidenRun(f, o)), p->modularity, 1e-12);
    EXPECT_NEAR(Modularity(f, internal::LeidenRun(f, o, std::vector<int>(40, 0))), p->modularity, 1e-12);
  }
}

Result<Fabric> Load(const std::string& name) {
  return Fabric::FromEdgeFiles(testkit::SharedDataPath("networks/" + name + ".edges"),
                               testkit::SharedDataPath("networks/" + name + ".nodes"));
}

TEST(CommunitiesTest, SameSeedSamePartitionWhateverTheThreads) {
  WEEFSEL_REQUIRE_SHARED_DATA("networks/h2020_nl_orgs.edges");
  auto f = Load("h2020_nl_orgs");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  for (bool weighted : {false, true}) {
    CommunityOptions o;
    o.use_weights = weighted;
    o.threads = 2;
    auto a = FindCommunities(*f, o);
    auto b = FindCommunities(*f, o);
    o.threads = 1;
    auto c = FindCommunities(*f, o);
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
    EXPECT_EQ(a->membership, b->membership);
    EXPECT_EQ(a->membership, c->membership);
    EXPECT_EQ(a->modularity, c->modularity);
  }
}

// A planted partition with noise: 12 groups of 50, each pair inside a group joined with
// probability 0.2, across groups 0.01, weights 1-3 (a fixed generator, so the same graph everywhere).
Fabric PlantedPartition() {
  constexpr int kGroups = 12, kSize = 50;
  std::vector<NodeInfo> nodes(kGroups * kSize);
  for (int i = 0; i < kGroups * kSize; ++i) nodes[static_cast<size_t>(i)].external_id = i;
  std::vector<Edge> edges;
  uint64_t x = 42;
  auto next = [&x] {  // a 64-bit linear congruential generator (Knuth's MMIX constants)
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) / 9007199254740992.0;
  };
  for (int a = 0; a < kGroups * kSize; ++a)
    for (int b = a + 1; b < kGroups * kSize; ++b)
      if (next() < (a / kSize == b / kSize ? 0.2 : 0.01)) edges.push_back({a, b, 1.0 + static_cast<int>(next() * 3)});
  auto f = Fabric::FromEdges(nodes, edges, false);
  EXPECT_TRUE(f.ok());
  return std::move(f).value();
}

// The search deals its runs to threads by number: 1, 2 and 3 threads give the same partition, on a
// graph of the test's own (the test above needs the shared networks), weighted and not.
TEST(CommunitiesTest, TheSearchGivesTheSamePartitionOnOneTwoOrThreeThreads) {
  Fabric f = PlantedPartition();
  for (bool weighted : {false, true}) {
    internal::LeidenSearchOptions o;
    o.use_weights = weighted;
    o.seed = 7;
    o.threads = 1;
    std::vector<int> one = internal::LeidenSearch(f, o);
    o.threads = 2;
    std::vector<int> two = internal::LeidenSearch(f, o);
    o.threads = 3;
    std::vector<int> three = internal::LeidenSearch(f, o);
    EXPECT_EQ(one, two) << (weighted ? "weighted" : "unweighted");
    EXPECT_EQ(one, three) << (weighted ? "weighted" : "unweighted");
    // And it finds the planted groups' structure: at least the modularity of the planted partition.
    std::vector<int> planted(600);
    for (int i = 0; i < 600; ++i) planted[static_cast<size_t>(i)] = i / 50;
    EXPECT_GE(Modularity(f, one, 1.0, weighted) + 1e-12, Modularity(f, planted, 1.0, weighted));
  }
}

// A search's fresh runs (from singletons, as its starts) are the next search's starts, topped up
// by new runs: the first search makes one fresh run a round but in its last, so the second makes
// max(0, starts - (rounds - 1)) new start runs (all `starts` without reuse_fresh); the partition is
// the same on 1 and 2 threads.
TEST(CommunitiesTest, TheSecondSearchStartsFromTheFirstsFreshRuns) {
  Fabric f = PlantedPartition();
  for (bool reuse : {true, false}) {
    internal::LeidenSearchOptions o;
    o.use_weights = false;
    o.reuse_fresh = reuse;
    o.threads = 1;
    internal::LeidenSearchTrace trace;
    std::vector<int> one = internal::LeidenSearch(f, o, &trace);
    std::vector<size_t> at;  // the trace's rows of the searches' starts
    for (size_t r = 0; r < trace.rounds.size(); ++r)
      if (trace.rounds[r].start_runs >= 0) at.push_back(r);
    ASSERT_EQ(at.size(), 2u) << "two searches";
    const int fresh_runs = static_cast<int>(at[1] - at[0]) - 2;  // rounds of the first search, less one
    EXPECT_GT(fresh_runs, 0);
    EXPECT_EQ(trace.rounds[at[0]].start_runs, o.starts);
    EXPECT_EQ(trace.rounds[at[1]].start_runs, reuse ? std::max(0, o.starts - fresh_runs) : o.starts)
        << "reuse_fresh " << reuse << ", fresh runs " << fresh_runs;
    o.threads = 2;
    EXPECT_EQ(internal::LeidenSearch(f, o), one) << "reuse_fresh " << reuse;
  }
}

// Components the whole pool agrees on (closed core groups) are left out of the core graph and keep
// labels of their own: 10 triangles, 5 isolates and a ring of 8 cliques of 5 give 23 communities,
// each triangle alone; and a graph of triangles alone (no open group left: an empty core graph).
TEST(CommunitiesTest, ClosedComponentsKeepCommunitiesOfTheirOwn) {
  constexpr int kRing = 40, kTriangles = 10, kIsolates = 5;
  for (bool with_ring : {true, false}) {
    const int first = with_ring ? kRing : 0;
    const int n = first + 3 * kTriangles + kIsolates;
    std::vector<NodeInfo> nodes(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) nodes[static_cast<size_t>(i)].external_id = i;
    std::vector<Edge> edges;
    if (with_ring)
      for (int c = 0; c < 8; ++c) {
        for (int a = 0; a < 5; ++a)
          for (int b = a + 1; b < 5; ++b) edges.push_back({c * 5 + a, c * 5 + b, 1.0});
        edges.push_back({c * 5, ((c + 1) % 8) * 5 + 1, 1.0});
      }
    for (int t = 0; t < kTriangles; ++t) {
      const int a = first + 3 * t;
      edges.push_back({a, a + 1, 1.0});
      edges.push_back({a + 1, a + 2, 1.0});
      edges.push_back({a, a + 2, 1.0});
    }
    auto f = Fabric::FromEdges(nodes, edges, false);
    ASSERT_TRUE(f.ok());
    for (int threads : {1, 2}) {
      CommunityOptions o;
      o.threads = threads;
      auto p = FindCommunities(*f, o);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      EXPECT_EQ(p->count, (with_ring ? 8 : 0) + kTriangles + kIsolates) << "ring " << with_ring;
      for (int t = 0; t < kTriangles; ++t) {
        const int a = first + 3 * t;
        EXPECT_EQ(p->membership[static_cast<size_t>(a + 1)], p->membership[static_cast<size_t>(a)]);
        EXPECT_EQ(p->membership[static_cast<size_t>(a + 2)], p->membership[static_cast<size_t>(a)]);
      }
    }
  }
}

// The mechanism itself, not only the end result above (the whole-graph polish would repair a
// partition whose closed components had gone into the core graph): with triangles and isolates
// alone, no group is open, so every round's core graph is empty.
TEST(CommunitiesTest, ClosedComponentsStayOutOfTheCoreGraph) {
  constexpr int kTriangles = 10, kIsolates = 5;
  const int n = 3 * kTriangles + kIsolates;
  std::vector<NodeInfo> nodes(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) nodes[static_cast<size_t>(i)].external_id = i;
  std::vector<Edge> edges;
  for (int t = 0; t < kTriangles; ++t) {
    edges.push_back({3 * t, 3 * t + 1, 1.0});
    edges.push_back({3 * t + 1, 3 * t + 2, 1.0});
    edges.push_back({3 * t, 3 * t + 2, 1.0});
  }
  auto f = Fabric::FromEdges(nodes, edges, false);
  ASSERT_TRUE(f.ok());
  internal::LeidenSearchOptions o;
  o.rounds = 3;
  internal::LeidenSearchTrace trace;
  internal::LeidenSearch(*f, o, &trace);
  ASSERT_GE(trace.rounds.size(), 2u) << "the starts and at least one round";
  for (size_t r = 1; r < trace.rounds.size(); ++r) {
    EXPECT_EQ(trace.rounds[r].core_groups, 0) << "round " << r;
    EXPECT_EQ(trace.rounds[r].core_arcs, 0) << "round " << r;
  }
}

// Large graphs (effort / ties < large_effort) get large_rounds rounds: on the planted partition
// with a small effort, still the same partition on 1 and 2 threads, at least the planted modularity.
TEST(CommunitiesTest, TheLargeGraphRoundsAreDeterministic) {
  Fabric f = PlantedPartition();
  internal::LeidenSearchOptions o;
  o.use_weights = false;
  o.effort = 1000;  // effort / ties = 0 < large_effort
  o.threads = 1;
  internal::LeidenSearchTrace trace;
  std::vector<int> one = internal::LeidenSearch(f, o, &trace);
  EXPECT_EQ(static_cast<int>(trace.rounds.size()), 1 + o.large_rounds);  // the starts, then the rounds
  o.threads = 2;
  EXPECT_EQ(internal::LeidenSearch(f, o), one);
  std::vector<int> planted(600);
  for (int i = 0; i < 600; ++i) planted[static_cast<size_t>(i)] = i / 50;
  EXPECT_GE(Modularity(f, one, 1.0, false) + 1e-12, Modularity(f, planted, 1.0, false));
}

// Not only the default seed: seeds 1..4 reach leidenalg's best of 10 on the mid-sized networks
// (where the margin is smallest; before the local search had a budget by size, seeds 2 and 3 fell
// short on h2020_nl_orgs and seed 4 on h2020_sc6_orgs).
TEST(CommunitiesTest, SeedsOneToFourReachLeidenalg) {
  const std::pair<const char*, double> networks[] = {
      {"email-Eu-core", 0.417475}, {"h2020_nl_orgs", 0.622804}, {"h2020_sc6_orgs", 0.588752}};
  for (const auto& [name, leidenalg] : networks) {
    WEEFSEL_REQUIRE_SHARED_DATA(std::string("networks/") + name + ".edges");
    auto f = Load(name);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      CommunityOptions o;
      o.use_weights = false;
      o.seed = seed;
      auto p = FindCommunities(*f, o);
      ASSERT_TRUE(p.ok());
      EXPECT_GE(p->modularity, leidenalg - 5e-7) << name << " seed " << seed;
    }
  }
}

// Newman's modularity from the edge file alone: Q = sum over edges inside a community / m
// - sum over communities (degree sum / 2m)^2, with degrees counted from the same lines.
double PlainModularity(const std::string& edges_path, const std::map<int64_t, int>& community_of) {
  std::ifstream in(edges_path);
  std::string line;
  double m = 0, inside = 0;
  std::map<int, double> degree_sum;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    int64_t u = 0, v = 0;
    ls >> u >> v;
    const int cu = community_of.at(u), cv = community_of.at(v);
    m += 1;
    if (cu == cv) inside += 1;
    degree_sum[cu] += 1;
    degree_sum[cv] += 1;
  }
  double q = inside / m;
  for (const auto& [c, d] : degree_sum) q -= (d / (2 * m)) * (d / (2 * m));
  return q;
}

struct Reference {
  const char* name;
  double leidenalg;  // best of seeds 0..9, n_iterations=-1 (bench/fabric/leidenalg_reference.py), 6 decimals
};

void PrintTo(const Reference& r, std::ostream* os) { *os << r.name; }

class StatedModularity : public ::testing::TestWithParam<Reference> {};

TEST_P(StatedModularity, IsTheModularityOfThePartitionAndReachesLeidenalg) {
  const Reference& r = GetParam();
  const std::string edges = std::string("networks/") + r.name + ".edges";
  WEEFSEL_REQUIRE_SHARED_DATA(edges);
  auto f = Load(r.name);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  CommunityOptions o;
  o.use_weights = false;  // leidenalg's reference is on the unweighted graph
  auto p = FindCommunities(*f, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  std::map<int64_t, int> community_of;
  for (int i = 0; i < f->node_count(); ++i) community_of[f->ExternalId(i)] = p->membership[static_cast<size_t>(i)];
  const double plain = PlainModularity(testkit::SharedDataPath(edges), community_of);
  EXPECT_NEAR(p->modularity, plain, 1e-9) << r.name;
  EXPECT_GE(plain, r.leidenalg - 5e-7) << r.name;
  std::cout << r.name << " modularity " << plain << " (leidenalg best of 10: " << r.leidenalg << ")\n";
}

INSTANTIATE_TEST_SUITE_P(Networks, StatedModularity,
                         ::testing::Values(Reference{"karate", 0.419790}, Reference{"ca-GrQc", 0.867891},
                                           Reference{"ca-HepTh", 0.781244}),
                         [](const auto& info) {
                           std::string s = info.param.name;
                           for (char& ch : s)
                             if (ch == '-') ch = '_';
                           return s;
                         });

}  // namespace
}  // namespace weefsel::fabric
