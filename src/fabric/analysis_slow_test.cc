// fabric/analysis_slow_test.cc: the larger networks of ../shared/data/networks (label slow):
// our betweenness against igraph's, and Leiden's modularity against leidenalg's best of 10 seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "fabric/analysis.h"
#include "fabric/export.h"
#include "fabric/weave.h"
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

INSTANTIATE_TEST_SUITE_P(Slow, LargerNetworks,
                         ::testing::Values("email-Eu-core", "h2020_nl_orgs", "ca-GrQc", "ca-HepTh"),
                         [](const auto& info) {
                           std::string s = info.param;
                           std::replace(s.begin(), s.end(), '-', '_');
                           return s;
                         });

// Leiden's modularity on the larger networks against leidenalg 0.9.1 (Debian python3-leidenalg),
// best of seeds 0..9 with ModularityVertexPartition and n_iterations=-1 (until stable), printed to
// 6 decimals (bench/fabric/leidenalg_reference.py, 2026-12-05).
// Weighted references are left at 0 (not checked): leidenalg's `.modularity` on a weighted run did
// not match our weighted modularity of the same kind of partition (lesmis: ours 0.5667 against 0.5471,
// h2020_nl_orgs: ours 0.5815 against 0.6145), so the two numbers are not yet known to measure the same.
struct ModularityRow {
  const char* name;
  double unweighted;
  double weighted;  // 0: unweighted network
};

// gtest prints a parameter in its messages; without this it prints the struct's raw bytes.
void PrintTo(const ModularityRow& row, std::ostream* os) { *os << row.name; }

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
    ::testing::Values(ModularityRow{"lesmis", 0.560008, 0}, ModularityRow{"email-Eu-core", 0.417475, 0},
                      ModularityRow{"h2020_nl_orgs", 0.622804, 0}, ModularityRow{"h2020_sc6_orgs", 0.588752, 0},
                      ModularityRow{"ca-GrQc", 0.867891, 0}, ModularityRow{"ca-HepTh", 0.781244, 0},
                      ModularityRow{"ca-AstroPh-lcc", 0.640085, 0}, ModularityRow{"ca-CondMat", 0.748387, 0}),
    [](const auto& info) {
      std::string s = info.param.name;
      std::replace(s.begin(), s.end(), '-', '_');
      return s;
    });

// The report as `weefsel fabric report --json` prints it (Analyse + ToReportJson, the CLI's own
// path), on every network of ../shared/data/networks small enough to be quick; the three largest
// (ca-HepTh, ca-AstroPh-lcc, ca-CondMat) are run by bench/fabric. Checks the keys issue 4 asks for, the
// counts of the data README, the issue's reference table where it has a row, and that the JSON's
// communities have the modularity the JSON states. Weave and the three exports run on each too.
struct ReportRow {
  const char* name;
  int nodes;
  int64_t edges;
  bool weighted;
  int components;
  // The issue's reference row (top_node < 0: none).
  int64_t top_node = -1;
  double top_betweenness = 0;
  int64_t low_node = -1;
  double low_constraint = 0;
  int diameter = -1;
  double modularity = 0;
};

void PrintTo(const ReportRow& row, std::ostream* os) { *os << row.name; }

class ReportJson : public ::testing::TestWithParam<ReportRow> {};

// Node id (JSON key) of the largest (or smallest) non-null value.
std::pair<std::string, double> Extreme(const nlohmann::json& by_node, bool largest) {
  std::pair<std::string, double> best{"", largest ? -1e300 : 1e300};
  for (const auto& [k, v] : by_node.items()) {
    if (v.is_null()) continue;
    double x = v.get<double>();
    if (largest ? x > best.second : x < best.second) best = {k, x};
  }
  return best;
}

TEST_P(ReportJson, HasTheIssuesKeysAndValues) {
  const ReportRow& row = GetParam();
  WEEFSEL_REQUIRE_SHARED_DATA(std::string("networks/") + row.name + ".edges");
  auto f = LoadNetwork(row.name);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->node_count(), row.nodes);
  EXPECT_EQ(f->edge_count(), row.edges);
  EXPECT_EQ(f->weighted(), row.weighted);
  auto report = Analyse(*f);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  nlohmann::json j = nlohmann::json::parse(ToReportJson(*f, *report));
  std::vector<nlohmann::json> levels{j};
  if (row.weighted) {
    ASSERT_TRUE(j.contains("weighted")) << row.name;
    levels.push_back(j["weighted"]);
  } else {
    EXPECT_FALSE(j.contains("weighted"));
  }
  for (size_t level = 0; level < levels.size(); ++level) {
    const nlohmann::json& m = levels[level];
    SCOPED_TRACE(level == 0 ? "unweighted" : "weighted");
    for (const char* key : {"components", "modularity", "communities", "betweenness", "constraint", "diameter"})
      ASSERT_TRUE(m.contains(key)) << key;
    EXPECT_EQ(m["components"].get<int>(), row.components);
    ASSERT_EQ(m["communities"].size(), static_cast<size_t>(row.nodes));
    ASSERT_EQ(m["betweenness"].size(), static_cast<size_t>(row.nodes));
    ASSERT_EQ(m["constraint"].size(), static_cast<size_t>(row.nodes));
    std::vector<int> membership(static_cast<size_t>(row.nodes), -1);
    for (int i = 0; i < row.nodes; ++i) {
      std::string id = std::to_string(f->ExternalId(i));
      ASSERT_TRUE(m["communities"].contains(id)) << "node " << id;
      membership[static_cast<size_t>(i)] = m["communities"][id].get<int>();
      // An isolate's constraint is undefined (null); every other node's is a number.
      EXPECT_EQ(m["constraint"][id].is_null(), f->Degree(i) == 0) << "node " << id;
    }
    EXPECT_NEAR(Modularity(*f, membership, 1.0, level == 1), m["modularity"].get<double>(), 1e-9);
  }
  if (row.top_node >= 0) {
    auto [top, btw] = Extreme(j["betweenness"], true);
    EXPECT_EQ(top, std::to_string(row.top_node));
    EXPECT_NEAR(btw, row.top_betweenness, 5e-5);
    auto [low, con] = Extreme(j["constraint"], false);
    EXPECT_EQ(low, std::to_string(row.low_node));
    EXPECT_NEAR(con, row.low_constraint, 5e-6);
    EXPECT_EQ(j["diameter"].get<int>(), row.diameter);
    EXPECT_GE(j["modularity"].get<double>(), row.modularity - 5e-5 - 1e-9);  // 4-decimal reference
  }
  // weave and export handle the network too.
  WeaveOptions wo;
  wo.k = 3;
  auto w = SuggestWeaves(*f, wo);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_GE(w->objective_after, w->objective_before);
  EXPECT_NE(ToGraphMl(*f, &*report).find("<graphml"), std::string::npos);
  EXPECT_NE(ToGexf(*f, &*report).find("<gexf"), std::string::npos);
  EXPECT_FALSE(ToKumu(*f, &*report).connections.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Slow, ReportJson,
    ::testing::Values(
        ReportRow{"florentine", 15, 20, false, 1, 8, 47.5, 8, 0.20988, 5, 0.3988},
        ReportRow{"davis_women_projection", 18, 139, true, 1}, ReportRow{"davis_bipartite", 32, 89, false, 1},
        ReportRow{"karate", 34, 78, false, 1, 0, 231.0714, 0, 0.15542, 5, 0.4198},
        ReportRow{"dolphins", 62, 159, false, 1, 36, 454.2741, 36, 0.15216, 8, 0.5277},
        ReportRow{"lesmis", 77, 254, true, 1, 73, 1624.4688, 73, 0.07060, 5, 0.5600},
        ReportRow{"football", 115, 613, false, 1, 82, 215.9858, 82, 0.11803, 4, 0.6046},
        ReportRow{"email-Eu-core", 1005, 16064, false, 20}, ReportRow{"h2020_nl_orgs", 2061, 5883, true, 528},
        ReportRow{"h2020_sc6_orgs", 2067, 20634, true, 112}, ReportRow{"ca-GrQc", 5242, 14484, false, 355}),
    [](const auto& info) {
      std::string s = info.param.name;
      std::replace(s.begin(), s.end(), '-', '_');
      return s;
    });

}  // namespace
}  // namespace weefsel::fabric
