// fabric/fabric_test.cc: building the graph, distances, components, modularity and communities.
#include "fabric/fabric.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>

#include "tests/kit/shared_data.h"

namespace weefsel::fabric {
namespace {

Fabric Build(std::string_view edges, std::string_view nodes = "") {
  auto f = Fabric::FromEdgeText(edges, nodes, "test.edges");
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return std::move(f).value();
}

TEST(FabricTest, BuildsFromEdgeTextWithIsolates) {
  Fabric f = Build("# c\n1 2\n2 3 2\n", "id\tlabel\n1\ta\n2\tb\n3\tc\n9\tlonely\n");
  EXPECT_EQ(f.node_count(), 4);
  EXPECT_EQ(f.edge_count(), 2);
  EXPECT_TRUE(f.weighted());
  EXPECT_EQ(f.node(3).label, "lonely");
  EXPECT_EQ(f.Degree(*f.IndexOfExternal(9)), 0);
  EXPECT_DOUBLE_EQ(f.WeightBetween(*f.IndexOfExternal(2), *f.IndexOfExternal(3)), 2.0);
  EXPECT_DOUBLE_EQ(f.Strength(*f.IndexOfExternal(2)), 3.0);
  EXPECT_EQ(ConnectedComponents(f).count, 2);
}

TEST(FabricTest, ErrorsNameLineAndField) {
  auto bad = Fabric::FromEdgeText("1 2\n2 x\n", "", "a.edges");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("a.edges line 2, field v"), std::string::npos) << bad.status().message();
  auto loop = Fabric::FromEdgeText("3 3\n", "", "a.edges");
  EXPECT_FALSE(loop.ok());
  auto missing = Fabric::FromEdgeText("1 5\n", "id\n1\n2\n", "a.edges");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("node 5"), std::string::npos);
  auto neg = Fabric::FromEdgeText("1 2 -1\n", "", "a.edges");
  EXPECT_FALSE(neg.ok());
  auto header = Fabric::FromEdgeText("1 2\n", "name\n1\n", "a.edges");
  EXPECT_FALSE(header.ok());
  EXPECT_FALSE(Fabric::FromEdgeFiles("/nonexistent.edges").ok());
}

TEST(FabricTest, FromDomainMergesTiesAndMapsIds) {
  std::vector<domain::Actor> actors(3);
  for (int i = 0; i < 3; ++i) actors[static_cast<size_t>(i)].id = ActorId(10 + i);
  std::vector<domain::Tie> ties(3);
  ties[0].a = ActorId(10);
  ties[0].b = ActorId(11);
  ties[0].weight = 1;
  ties[1].a = ActorId(11);
  ties[1].b = ActorId(10);
  ties[1].weight = 2;
  ties[2].a = ActorId(11);
  ties[2].b = ActorId(12);
  ties[2].until = "2020-01-01";
  auto f = Fabric::FromDomain(actors, ties);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->edge_count(), 1);  // the ended tie is left out
  EXPECT_DOUBLE_EQ(f->WeightBetween(*f->IndexOf(ActorId(10)), *f->IndexOf(ActorId(11))), 3.0);
  EXPECT_EQ(f->ActorOf(2), ActorId(12));
  BuildOptions all;
  all.include_ended = true;
  EXPECT_EQ(Fabric::FromDomain(actors, ties, all)->edge_count(), 2);
  ties[2].b = ActorId(99);
  auto bad = Fabric::FromDomain(actors, ties);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ties[2].b"), std::string::npos);
}

TEST(FabricTest, HopAndWeightedDistances) {
  // 0-1-2-3 path plus a strong shortcut 0-3 of weight 0.25 (length 4).
  Fabric f = Build("0 1 1\n1 2 1\n2 3 1\n0 3 0.25\n4 5 1\n");
  int s = *f.IndexOfExternal(0);
  auto hops = f.HopDistances(s);
  EXPECT_EQ(hops[static_cast<size_t>(*f.IndexOfExternal(3))], 1);
  EXPECT_EQ(hops[static_cast<size_t>(*f.IndexOfExternal(2))], 2);
  EXPECT_EQ(hops[static_cast<size_t>(*f.IndexOfExternal(5))], -1);
  auto bounded = f.HopDistances(s, 1);
  EXPECT_EQ(bounded[static_cast<size_t>(*f.IndexOfExternal(2))], -1);
  auto wd = f.WeightedDistances(s);
  EXPECT_DOUBLE_EQ(wd[static_cast<size_t>(*f.IndexOfExternal(3))], 3.0);
  EXPECT_TRUE(std::isinf(wd[static_cast<size_t>(*f.IndexOfExternal(5))]));
  auto wb = f.WeightedDistances(s, 1.5);
  EXPECT_TRUE(std::isinf(wb[static_cast<size_t>(*f.IndexOfExternal(2))]));
}

TEST(FabricTest, ModularityOfTwoTriangles) {
  Fabric f = Build("0 1\n1 2\n0 2\n3 4\n4 5\n3 5\n2 3\n");
  std::vector<int> m = {0, 0, 0, 1, 1, 1};
  // W = 7; each community: in = 3 edges, degree sum 7. Q = 2 * (3/7 - (7/14)^2).
  EXPECT_NEAR(Modularity(f, m), 2 * (3.0 / 7 - 0.25), 1e-12);
  auto p = FindCommunities(f);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->count, 2);
  EXPECT_NEAR(p->modularity, 2 * (3.0 / 7 - 0.25), 1e-12);
}

struct ModularityCase {
  const char* name;
  double reference;
};

// gtest prints a parameter in its messages; without this it prints the struct's raw bytes.
void PrintTo(const ModularityCase& c, std::ostream* os) { *os << c.name; }

class ReferenceModularity : public ::testing::TestWithParam<ModularityCase> {};

TEST_P(ReferenceModularity, ReachesLeidenalg) {
  const ModularityCase& c = GetParam();
  std::string base = std::string("networks/") + c.name;
  WEEFSEL_REQUIRE_SHARED_DATA(base + ".edges");
  auto f = Fabric::FromEdgeFiles(testkit::SharedDataPath(base + ".edges"), testkit::SharedDataPath(base + ".nodes"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  CommunityOptions o;
  o.use_weights = false;
  auto p = FindCommunities(*f, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // The references are leidenalg's best of seeds 0..9, n_iterations=-1, printed to 6 decimals.
  EXPECT_GE(p->modularity, c.reference - 5e-7) << c.name;
  EXPECT_NEAR(p->modularity, Modularity(*f, p->membership, 1.0, false), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Networks, ReferenceModularity,
                         ::testing::Values(ModularityCase{"karate", 0.419790}, ModularityCase{"lesmis", 0.560008},
                                           ModularityCase{"football", 0.604570}, ModularityCase{"dolphins", 0.527728},
                                           ModularityCase{"florentine", 0.398750},
                                           ModularityCase{"davis_bipartite", 0.336006}),
                         [](const auto& info) { return std::string(info.param.name); });

// Changes in place (issue 16: the matcher's fabric follows ties) equal a fabric built afresh from
// the changed edge list: rows sorted, weights of a pair added up and taken off, a pair dropped at 0,
// a new node isolated until an edge comes.
TEST(FabricChange, InPlaceEqualsAFreshBuild) {
  std::vector<NodeInfo> nodes(6);
  for (int i = 0; i < 6; ++i) nodes[static_cast<size_t>(i)].external_id = 100 + i;
  std::vector<Edge> edges = {{0, 1, 1}, {1, 2, 2}, {2, 3, 1}, {3, 4, 1}, {0, 4, 3}, {1, 2, 1}};
  auto live = Fabric::FromEdges(nodes, edges);
  ASSERT_TRUE(live.ok());
  NodeInfo extra;
  extra.external_id = 106;
  ASSERT_TRUE(live->AddNodes({extra}).ok());
  EXPECT_EQ(live->AddNodes({extra}).code(), StatusCode::kInvalidArgument) << "a duplicate id";
  // Added: a new pair, more weight on 1-2, an edge to the new node; removed: 0-1 whole, 0-4 in part.
  ASSERT_TRUE(live->ChangeEdges({{5, 0, 1}, {2, 1, 0.5}, {6, 3, 2}}, {{0, 1, 1}, {4, 0, 1}}).ok());
  nodes.push_back(extra);
  auto fresh = Fabric::FromEdges(nodes, {{1, 2, 3.5}, {2, 3, 1}, {3, 4, 1}, {0, 4, 2}, {0, 5, 1}, {3, 6, 2}});
  ASSERT_TRUE(fresh.ok());
  ASSERT_EQ(live->node_count(), fresh->node_count());
  EXPECT_EQ(live->edge_count(), fresh->edge_count());
  EXPECT_NEAR(live->TotalWeight(), fresh->TotalWeight(), 1e-12);
  EXPECT_EQ(live->IndexOf(ActorId(106)), 6);
  auto expect_fresh = [&](const Fabric& changed, const char* how) {
    for (int i = 0; i < fresh->node_count(); ++i) {
      auto a = changed.Neighbours(i), b = fresh->Neighbours(i);
      ASSERT_EQ(a.size(), b.size()) << how << ", node " << i;
      for (size_t k = 0; k < a.size(); ++k) {
        EXPECT_EQ(a[k].node, b[k].node) << how << ", node " << i;
        EXPECT_NEAR(a[k].weight, b[k].weight, 1e-12) << how << ", node " << i;
      }
      EXPECT_NEAR(changed.Strength(i), fresh->Strength(i), 1e-12) << how;
      EXPECT_EQ(changed.HopDistances(i), fresh->HopDistances(i)) << how;
    }
  };
  expect_fresh(*live, "one call");
  // The same changes one call each: a call of a few arcs changes them in place (Fabric::ChangeArc),
  // the call above rewrote the arrays in one pass; both give the fresh fabric.
  auto one_by_one = Fabric::FromEdges(std::vector<NodeInfo>(nodes.begin(), nodes.end() - 1), edges);
  ASSERT_TRUE(one_by_one.ok());
  ASSERT_TRUE(one_by_one->AddNodes({extra}).ok());
  for (const Edge& e : std::vector<Edge>{{5, 0, 1}, {2, 1, 0.5}, {6, 3, 2}})
    ASSERT_TRUE(one_by_one->ChangeEdges({e}, {}).ok());
  for (const Edge& e : std::vector<Edge>{{0, 1, 1}, {4, 0, 1}}) ASSERT_TRUE(one_by_one->ChangeEdges({}, {e}).ok());
  expect_fresh(*one_by_one, "one call per edge");
  // Bad changes change nothing.
  EXPECT_EQ(live->ChangeEdges({{0, 0, 1}}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(live->ChangeEdges({}, {{0, 1, 1}}).code(), StatusCode::kInvalidArgument) << "0-1 is gone";
  EXPECT_EQ(live->ChangeEdges({{0, 9, 1}}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(live->edge_count(), fresh->edge_count());
}

}  // namespace
}  // namespace weefsel::fabric
