// fabric/analysis_slow_test.cc: the larger networks of ../shared/data/networks (label slow):
// our betweenness against igraph's, and Leiden's modularity against leidenalg's best of 10 seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "fabric/analysis.h"
#include "tests/kit/shared_data.h"

namespace weefsel::fabric {
namespace {

Result<Fabric> LoadNetwork(const std::string& name) {
  std::string base = testkit::SharedDataPath("networks/" + name);
  return Fabric::FromEdgeFiles(base + ".edges", base + ".nodes");
}

void ExpectSameBetweenness(const Fabric& f, bool weighted, double tol) {
  BetweennessOptions o;
  o.weighted = weighted;
  Betweenness ours = ComputeBetweenness(f, o);
  ASSERT_TRUE(ours.exact);
  auto ref = IgraphBetweenness(f, weighted);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  ASSERT_EQ(ours.values.size(), ref->size());
  for (size_t i = 0; i < ref->size(); ++i)
    ASSERT_NEAR(ours.values[i], (*ref)[i], tol * std::max(1.0, std::fabs((*ref)[i])))
        << "node " << f.ExternalId(static_cast<int>(i));
  EXPECT_EQ(ours.diameter_hops >= 0, !weighted);
  if (!weighted) {
    EXPECT_EQ(ours.diameter_hops, DiameterHops(f));
  }
}

// The larger networks: our betweenness against igraph's, diameter against a plain BFS sweep.
class LargerNetworks : public ::testing::TestWithParam<const char*> {};

TEST_P(LargerNetworks, BetweennessEqualsIgraph) {
  std::string name = GetParam();
  WEEFSEL_REQUIRE_SHARED_DATA("networks/" + name + ".edges");
  auto f = LoadNetwork(name);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ExpectSameBetweenness(*f, false, 1e-9);
  if (f->weighted()) ExpectSameBetweenness(*f, true, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Slow, LargerNetworks, ::testing::Values("email-Eu-core", "h2020_nl_orgs", "ca-GrQc"),
                         [](const auto& info) {
                           std::string s = info.param;
                           std::replace(s.begin(), s.end(), '-', '_');
                           return s;
                         });

// Leiden's modularity on the larger networks against leidenalg 0.9.1 (Debian python3-leidenalg),
// best of seeds 0..9 with ModularityVertexPartition, printed to 6 decimals
// (bench/fabric/leidenalg_reference.py).
// Weighted references are left at 0 (not checked): leidenalg's `.modularity` on a weighted run did
// not match our weighted modularity of the same kind of partition (lesmis: ours 0.5667 against 0.5471,
// h2020_nl_orgs: ours 0.5815 against 0.6145), so the two numbers are not yet known to measure the same.
struct ModularityRow {
  const char* name;
  double unweighted;
  double weighted;  // 0: unweighted network
};

class LargerModularity : public ::testing::TestWithParam<ModularityRow> {};

TEST_P(LargerModularity, ReachesLeidenalg) {
  const ModularityRow& row = GetParam();
  WEEFSEL_REQUIRE_SHARED_DATA(std::string("networks/") + row.name + ".edges");
  auto f = LoadNetwork(row.name);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  CommunityOptions o;
  o.use_weights = false;
  auto p = FindCommunities(*f, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_GE(p->modularity, row.unweighted - 5e-7) << row.name;
  std::cout << row.name << " modularity " << p->modularity << " (leidenalg " << row.unweighted << ")\n";
  if (row.weighted > 0) {
    o.use_weights = true;
    auto pw = FindCommunities(*f, o);
    ASSERT_TRUE(pw.ok());
    EXPECT_GE(pw->modularity, row.weighted - 5e-7) << row.name << " weighted";
    std::cout << row.name << " weighted modularity " << pw->modularity << " (leidenalg " << row.weighted << ")\n";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Slow, LargerModularity,
    ::testing::Values(ModularityRow{"lesmis", 0.560008, 0}, ModularityRow{"email-Eu-core", 0.417372, 0},
                      ModularityRow{"h2020_nl_orgs", 0.622485, 0}, ModularityRow{"h2020_sc6_orgs", 0.584598, 0},
                      ModularityRow{"ca-GrQc", 0.866877, 0}, ModularityRow{"ca-HepTh", 0.778933, 0}),
    [](const auto& info) {
      std::string s = info.param.name;
      std::replace(s.begin(), s.end(), '-', '_');
      return s;
    });

}  // namespace
}  // namespace weefsel::fabric
