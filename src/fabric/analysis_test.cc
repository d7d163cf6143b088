// fabric/analysis_test.cc: the measures against igraph and against the reference table of issue 4.
#include "fabric/analysis.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "tests/kit/shared_data.h"

namespace weefsel::fabric {
namespace {

Result<Fabric> LoadNetwork(const std::string& name) {
  std::string base = testkit::SharedDataPath("networks/" + name);
  return Fabric::FromEdgeFiles(base + ".edges", base + ".nodes");
}

int ArgMax(const std::vector<double>& v) { return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin()); }
int ArgMinFinite(const std::vector<double>& v) {
  int best = -1;
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isnan(v[i]) && (best < 0 || v[i] < v[static_cast<size_t>(best)])) best = static_cast<int>(i);
  return best;
}

// Our Brandes equals igraph's exact betweenness to `tol` relative (absolute below 1).
void ExpectSameBetweenness(const Fabric& f, bool weighted, double tol) {
  BetweennessOptions o;
  o.weighted = weighted;
  o.threads = 2;
  Betweenness ours = ComputeBetweenness(f, o);
  ASSERT_TRUE(ours.exact);
  auto ref = IgraphBetweenness(f, weighted);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  ASSERT_EQ(ours.values.size(), ref->size());
  for (size_t i = 0; i < ref->size(); ++i)
    ASSERT_NEAR(ours.values[i], (*ref)[i], tol * std::max(1.0, std::fabs((*ref)[i])))
        << "node " << f.ExternalId(static_cast<int>(i));
}

struct TableRow {
  const char* name;
  int64_t top_node;
  double top_betweenness;  // 4 decimals
  int64_t low_node;
  double low_constraint;  // 5 decimals
  int diameter;
};

// gtest prints a parameter in its messages; without this it prints the struct's raw bytes.
void PrintTo(const TableRow& row, std::ostream* os) { *os << row.name; }

class ReferenceTable : public ::testing::TestWithParam<TableRow> {};

TEST_P(ReferenceTable, MatchesIgraphAndTheIssue) {
  const TableRow& row = GetParam();
  WEEFSEL_REQUIRE_SHARED_DATA(std::string("networks/") + row.name + ".edges");
  auto f = LoadNetwork(row.name);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ExpectSameBetweenness(*f, false, 1e-9);
  ExpectSameBetweenness(*f, true, 1e-9);
  Betweenness b = ComputeBetweenness(*f);
  int top = ArgMax(b.values);
  EXPECT_EQ(f->ExternalId(top), row.top_node);
  EXPECT_NEAR(b.values[static_cast<size_t>(top)], row.top_betweenness, 5e-5);
  auto c = Constraint(*f, false);
  ASSERT_TRUE(c.ok());
  int low = ArgMinFinite(*c);
  EXPECT_EQ(f->ExternalId(low), row.low_node);
  EXPECT_NEAR((*c)[static_cast<size_t>(low)], row.low_constraint, 5e-6);
  EXPECT_EQ(b.diameter_hops, row.diameter);
  EXPECT_EQ(DiameterHops(*f), row.diameter);
  auto report = Analyse(*f);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->diameter, row.diameter);
  EXPECT_EQ(report->components.count, 1);
  EXPECT_EQ(report->unweighted.betweenness.values, b.values);
}

INSTANTIATE_TEST_SUITE_P(Networks, ReferenceTable,
                         ::testing::Values(TableRow{"karate", 0, 231.0714, 0, 0.15542, 5},
                                           TableRow{"lesmis", 73, 1624.4688, 73, 0.07060, 5},
                                           TableRow{"football", 82, 215.9858, 82, 0.11803, 4},
                                           TableRow{"dolphins", 36, 454.2741, 36, 0.15216, 8},
                                           TableRow{"florentine", 8, 47.5, 8, 0.20988, 5}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(AnalysisTest, PathGraphByHand) {
  // 0-1-2-3 and an isolate 4.
  auto f = Fabric::FromEdgeText("0 1\n1 2\n2 3\n", "id\n0\n1\n2\n3\n4\n");
  ASSERT_TRUE(f.ok());
  Betweenness b = ComputeBetweenness(*f);
  EXPECT_EQ(b.values, (std::vector<double>{0, 2, 2, 0, 0}));
  EXPECT_EQ(b.diameter_hops, 3);
  auto s = ComputeStructure(*f);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->articulation_points, (std::vector<int>{1, 2}));
  EXPECT_EQ(s->bridges.size(), 3u);
  EXPECT_EQ(s->coreness, (std::vector<int>{1, 1, 1, 1, 0}));
  auto c = Constraint(*f, false);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(std::isnan((*c)[4]));
  EXPECT_DOUBLE_EQ((*c)[0], 1.0);
  auto roles = AssignRoles(*f, b.values, *s, ConnectedComponents(*f));
  EXPECT_EQ(roles[4], Role::kIsolate);
  EXPECT_EQ(roles[1], Role::kBroker);
  EXPECT_EQ(roles[0], Role::kPeripheral);
}

TEST(AnalysisTest, SampledBetweennessIsWithinItsBound) {
  WEEFSEL_REQUIRE_SHARED_DATA("networks/football.edges");
  auto f = LoadNetwork("football");
  ASSERT_TRUE(f.ok());
  Betweenness exact = ComputeBetweenness(*f);
  BetweennessOptions o;
  o.samples = 60;
  o.seed = 7;
  Betweenness est = ComputeBetweenness(*f, o);
  EXPECT_FALSE(est.exact);
  EXPECT_EQ(est.samples, 60);
  EXPECT_GT(est.error_bound, 0);
  double worst = 0;
  for (size_t i = 0; i < exact.values.size(); ++i) worst = std::max(worst, std::fabs(est.values[i] - exact.values[i]));
  EXPECT_LE(worst, est.error_bound);
  EXPECT_GT(worst, 0);  // it is an estimate
  // All sources sampled: exact again.
  o.samples = f->node_count();
  Betweenness all = ComputeBetweenness(*f, o);
  EXPECT_TRUE(all.exact);
  for (size_t i = 0; i < exact.values.size(); ++i) EXPECT_NEAR(all.values[i], exact.values[i], 1e-9);
}

TEST(AnalysisTest, MixingMatrixAndEiIndex) {
  // Two companies tied, each tied to one government body: 1 internal, 2 external ties.
  std::vector<domain::Actor> actors(4);
  for (int i = 0; i < 4; ++i) actors[static_cast<size_t>(i)].id = ActorId(i + 1);
  actors[0].kind = actors[1].kind = domain::ActorKind::kCompany;
  actors[2].kind = actors[3].kind = domain::ActorKind::kGovernment;
  std::vector<domain::Tie> ties(3);
  ties[0].a = ActorId(1);
  ties[0].b = ActorId(2);
  ties[1].a = ActorId(1);
  ties[1].b = ActorId(3);
  ties[2].a = ActorId(2);
  ties[2].b = ActorId(4);
  auto f = Fabric::FromDomain(actors, ties);
  ASSERT_TRUE(f.ok());
  MixingMatrix m = SectorMixing(*f);
  EXPECT_EQ(m.ties, 3);
  EXPECT_NEAR(m.ei_index, (2.0 - 1.0) / 3.0, 1e-12);
  size_t gov = 0, bus = 1;
  EXPECT_EQ(m.observed[bus][bus], 1);
  EXPECT_EQ(m.observed[gov][bus], 2);
  // Business holds 4 of 6 tie ends: expected business-business = 3 * (4/6)^2.
  EXPECT_NEAR(m.expected[bus][bus], 3.0 * 4.0 / 9.0, 1e-12);
  double sum = 0;
  for (size_t a = 0; a < 4; ++a)
    for (size_t b = a; b < 4; ++b) sum += m.expected[a][b];
  EXPECT_NEAR(sum, 3.0, 1e-12);
}

}  // namespace
}  // namespace weefsel::fabric
