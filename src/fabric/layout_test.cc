// Tests of fabric/layout.h: positions in [0, 1], deterministic per seed, ties pull together.
#include "fabric/layout.h"

#include <gtest/gtest.h>

#include <cmath>

namespace weefsel::fabric {
namespace {

Fabric TwoCliques() {
  // Two 6-cliques joined by one tie, and an isolate.
  std::vector<NodeInfo> nodes(13);
  for (int i = 0; i < 13; ++i) nodes[static_cast<size_t>(i)].external_id = i + 1;
  std::vector<Edge> edges;
  for (int base : {0, 6})
    for (int i = 0; i < 6; ++i)
      for (int j = i + 1; j < 6; ++j) edges.push_back({base + i, base + j, 1.0});
  edges.push_back({5, 6, 1.0});
  auto f = Fabric::FromEdges(nodes, edges, /*weighted=*/false);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return std::move(f).value();
}

double Dist(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

TEST(LayoutTest, InUnitSquareDeterministicAndClustered) {
  Fabric f = TwoCliques();
  auto a = Layout(f);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 13u);
  double lo = 1, hi = 0;
  for (const auto& p : *a) {
    EXPECT_GE(p.x, 0.0);
    EXPECT_LE(p.x, 1.0);
    EXPECT_GE(p.y, 0.0);
    EXPECT_LE(p.y, 1.0);
    lo = std::min({lo, p.x, p.y});
    hi = std::max({hi, p.x, p.y});
  }
  EXPECT_LT(lo, 0.05);  // the larger extent spans [0, 1]
  EXPECT_GT(hi, 0.95);
  auto b = Layout(f);
  ASSERT_TRUE(b.ok());
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_DOUBLE_EQ((*a)[i].x, (*b)[i].x);
    EXPECT_DOUBLE_EQ((*a)[i].y, (*b)[i].y);
  }
  // Members of one clique sit closer to each other than to the other clique's members.
  double within = 0, between = 0;
  int nw = 0, nb = 0;
  for (int i = 0; i < 12; ++i)
    for (int j = i + 1; j < 12; ++j) {
      double d = Dist((*a)[static_cast<size_t>(i)], (*a)[static_cast<size_t>(j)]);
      if ((i < 6) == (j < 6)) {
        within += d;
        ++nw;
      } else {
        between += d;
        ++nb;
      }
    }
  EXPECT_LT(within / nw, 0.7 * between / nb);
  auto c = Layout(f, {.seed = 7});
  ASSERT_TRUE(c.ok());
  bool differs = false;
  for (size_t i = 0; i < a->size(); ++i) differs |= (*a)[i].x != (*c)[i].x;
  EXPECT_TRUE(differs);
}

TEST(LayoutTest, EmptyAndSingleNode) {
  auto empty = Fabric::FromEdges({}, {}, false);
  ASSERT_TRUE(empty.ok());
  auto e = Layout(*empty);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
  std::vector<NodeInfo> one(1);
  one[0].external_id = 42;
  auto single = Fabric::FromEdges(one, {}, false);
  ASSERT_TRUE(single.ok());
  auto s = Layout(*single);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 1u);
  EXPECT_DOUBLE_EQ((*s)[0].x, 0.5);
  auto bad = Layout(TwoCliques(), {.iterations = 0});
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace weefsel::fabric
