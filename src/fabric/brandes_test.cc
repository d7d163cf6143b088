// fabric/brandes_test.cc: exact betweenness on reduced graphs against igraph's igraph_betweenness,
// on small graphs built to exercise each reduction (leaves, twins, blocks, weights, components)
// under every combination of reductions, and on ca-GrQc (ca-HepTh, 15 s with igraph's part, is in
// analysis_slow_test.cc).
#include "fabric/brandes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <random>

#include "fabric/analysis.h"
#include "tests/kit/shared_data.h"

namespace weefsel::fabric {
namespace {

using internal::BrandesPlan;
using internal::ComputeExactBetweenness;
using internal::ExactBetweenness;

Fabric Build(int n, const std::vector<Edge>& edges, bool weighted = false) {
  std::vector<NodeInfo> nodes(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) nodes[static_cast<size_t>(i)].external_id = i;
  auto f = Fabric::FromEdges(std::move(nodes), edges, weighted);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return std::move(*f);
}

// Equal to igraph to `tol` relative (absolute below 1); unweighted, the diameter as a BFS sweep.
void ExpectSame(const Fabric& f, bool weighted, const BrandesPlan& plan, int threads = 2, double tol = 1e-9) {
  ExactBetweenness ours = ComputeExactBetweenness(f, weighted, threads, plan);
  auto ref = IgraphBetweenness(f, weighted);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  ASSERT_EQ(ours.values.size(), ref->size());
  for (size_t i = 0; i < ref->size(); ++i)
    ASSERT_NEAR(ours.values[i], (*ref)[i], tol * std::max(1.0, std::fabs((*ref)[i])))
        << "node " << i << " weighted " << weighted << " strip " << plan.strip_leaves << " twins " << plan.merge_twins
        << " relabel " << plan.relabel;
  if (weighted && f.weighted()) {
    EXPECT_EQ(ours.diameter_hops, -1);
  } else {
    EXPECT_EQ(ours.diameter_hops, DiameterHops(f)) << "strip " << plan.strip_leaves << " twins " << plan.merge_twins;
  }
}

// Every combination of the reductions, unweighted and (when the fabric has weights) weighted.
void ExpectSameEveryPlan(const Fabric& f) {
  for (int bits = 0; bits < 8; ++bits) {
    BrandesPlan plan;
    plan.strip_leaves = bits & 1;
    plan.merge_twins = bits & 2;
    plan.relabel = bits & 4;
    ExpectSame(f, false, plan);
    if (f.weighted()) ExpectSame(f, true, plan);
  }
}

TEST(BrandesTest, LongPathIsStrippedToOneVertex) {
  std::vector<Edge> e;
  for (int i = 0; i + 1 < 300; ++i) e.push_back({i, i + 1});
  Fabric f = Build(300, e);
  ExpectSameEveryPlan(f);
  ExactBetweenness b = ComputeExactBetweenness(f, false, 2);
  EXPECT_EQ(b.reduced_nodes, 1);
  EXPECT_EQ(b.diameter_hops, 299);
  EXPECT_EQ(b.values[150], 150.0 * 149.0);
}

TEST(BrandesTest, Star) {
  std::vector<Edge> e;
  for (int i = 1; i <= 40; ++i) e.push_back({0, i});
  Fabric f = Build(41, e);
  ExpectSameEveryPlan(f);
  EXPECT_EQ(ComputeExactBetweenness(f, false, 2).values[0], 40.0 * 39.0 / 2);
}

TEST(BrandesTest, ChainOfBlocksWithHangingTrees) {
  // Cliques of 4 and cycles of 5 in a chain, each block sharing a cut vertex with the next, and
  // trees hanging from some block vertices.
  std::vector<Edge> e;
  int n = 0, cut = n++;
  for (int b = 0; b < 12; ++b) {
    const int size = b % 2 ? 5 : 4;
    std::vector<int> vs{cut};
    for (int i = 1; i < size; ++i) vs.push_back(n++);
    if (size == 4) {
      for (int i = 0; i < 4; ++i)
        for (int j = i + 1; j < 4; ++j) e.push_back({vs[static_cast<size_t>(i)], vs[static_cast<size_t>(j)]});
    } else {
      for (int i = 0; i < 5; ++i) e.push_back({vs[static_cast<size_t>(i)], vs[static_cast<size_t>((i + 1) % 5)]});
    }
    if (b % 3 == 0) {  // a small tree on the block's second vertex: a path of 2 with a fork
      const int a = n++, c = n++, d = n++;
      e.push_back({vs[1], a});
      e.push_back({a, c});
      e.push_back({a, d});
    }
    cut = vs.back();
  }
  Fabric f = Build(n, e);
  ExpectSameEveryPlan(f);
}

TEST(BrandesTest, TwinsWithAndWithoutLeaves) {
  // A clique {0..4} whose members all tie to 5 and 6 (closed twins); 5-7-6 closes a cycle; 2 and 3
  // carry leaves, so the class's members stand for different numbers of vertices; {8, 9} are open
  // twins on 5 and 6; 10..12 is a second clique of twins joined to 7.
  std::vector<Edge> e;
  for (int i = 0; i < 5; ++i) {
    for (int j = i + 1; j < 5; ++j) e.push_back({i, j});
    e.push_back({i, 5});
    e.push_back({i, 6});
  }
  e.push_back({5, 7});
  e.push_back({6, 7});
  for (int v : {8, 9}) {
    e.push_back({v, 5});
    e.push_back({v, 6});
  }
  for (int i = 10; i < 13; ++i) {
    for (int j = i + 1; j < 13; ++j) e.push_back({i, j});
    e.push_back({i, 7});
  }
  e.push_back({2, 13});
  e.push_back({13, 14});
  e.push_back({3, 15});
  Fabric f = Build(16, e);
  ExpectSameEveryPlan(f);
  EXPECT_LT(ComputeExactBetweenness(f, false, 2).reduced_nodes, 9);
}

TEST(BrandesTest, WeightedWithTiedLengths) {
  // Weights 1, 2 and 4 make equal lengths along different routes (1/2 + 1/2 = 1/1), the case where
  // igraph's epsilon rule decides which paths are shortest; leaves and twins too.
  std::mt19937 rng(11);
  std::vector<Edge> e;
  const int n = 60;
  for (int i = 0; i < n - 6; ++i)
    for (int j = i + 1; j < n - 6; ++j)
      if (std::uniform_int_distribution<int>(0, 9)(rng) == 0)
        e.push_back({i, j, static_cast<double>(1 << std::uniform_int_distribution<int>(0, 2)(rng))});
  for (int i = n - 6; i < n; ++i) e.push_back({i - 3, i, 2.0});  // leaves and a short tail
  Fabric f = Build(n, e, true);
  ASSERT_TRUE(f.weighted());
  ExpectSameEveryPlan(f);
}

TEST(BrandesTest, DisconnectedWithIsolatesPairsTreesAndCycles) {
  std::vector<Edge> e{{0, 1}, {2, 3}, {3, 4}, {3, 5}, {5, 6}, {7, 8}, {8, 9}, {9, 10}, {10, 7}, {10, 11}};
  // The largest component: a grid 6 x 6 with a tail.
  const int base = 13;
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 6; ++c) {
      const int v = base + r * 6 + c;
      if (c + 1 < 6) e.push_back({v, v + 1});
      if (r + 1 < 6) e.push_back({v, v + 6});
    }
  e.push_back({base + 35, base + 36});
  e.push_back({base + 36, base + 37});
  Fabric f = Build(base + 38, e);  // 12 is an isolate
  ExpectSameEveryPlan(f);
}

TEST(BrandesTest, RandomSparseGraphsWithOneAndTwoThreads) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    const int n = 150;
    std::vector<Edge> e;
    for (int i = 1; i < n; ++i) {  // a random tree, then extra edges: leaves, blocks and twins mix
      e.push_back({std::uniform_int_distribution<int>(0, i - 1)(rng), i,
                   static_cast<double>(std::uniform_int_distribution<int>(1, 3)(rng))});
    }
    for (int x = 0; x < 60; ++x) {
      int a = std::uniform_int_distribution<int>(0, n - 1)(rng), b = std::uniform_int_distribution<int>(0, n - 1)(rng);
      if (a != b) e.push_back({a, b, 1.0});
    }
    Fabric f = Build(n, e, true);
    ExpectSame(f, false, {}, 1);
    ExpectSame(f, true, {}, 1);
    ExpectSame(f, false, {}, 2);
    ExpectSame(f, true, {}, 2);
  }
}

TEST(BrandesTest, EmptyAndSingleVertex) {
  EXPECT_TRUE(ComputeExactBetweenness(Build(0, {}), false, 2).values.empty());
  ExactBetweenness one = ComputeExactBetweenness(Build(1, {}), false, 2);
  EXPECT_EQ(one.values, std::vector<double>{0});
  EXPECT_EQ(one.diameter_hops, 0);
}

// A co-authorship network: many leaves and twins (about 3 s, most of it igraph's).
class CoAuthorship : public ::testing::TestWithParam<const char*> {};

TEST_P(CoAuthorship, EqualsIgraph) {
  const std::string name = GetParam();
  WEEFSEL_REQUIRE_SHARED_DATA("networks/" + name + ".edges");
  const std::string base = testkit::SharedDataPath("networks/" + name);
  auto f = Fabric::FromEdgeFiles(base + ".edges", base + ".nodes");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ExpectSame(*f, false, {});
}

INSTANTIATE_TEST_SUITE_P(Networks, CoAuthorship, ::testing::Values("ca-GrQc"), [](const auto& info) {
  std::string s = info.param;
  std::replace(s.begin(), s.end(), '-', '_');
  return s;
});

}  // namespace
}  // namespace weefsel::fabric
