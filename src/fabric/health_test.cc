// fabric/health_test.cc: health snapshots, ARI/NMI, typology and export.
#include "fabric/health.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "domain/testing/world.h"
#include "fabric/export.h"

namespace weefsel::fabric {
namespace {

using world::AnActor;
using world::ATie;

using K = domain::ActorKind;

TEST(ClusterAgreementTest, KnownValues) {
  std::vector<int> truth = {0, 0, 0, 1, 1, 1}, pred = {0, 0, 1, 1, 2, 2};
  EXPECT_NEAR(AdjustedRandIndex(truth, pred), 0.24242424242424243, 1e-12);
  // MI = (2/3) ln 2; entropies ln 2 and ln 3; arithmetic normalisation.
  EXPECT_NEAR(NormalizedMutualInformation(truth, pred),
              (2.0 / 3.0) * std::log(2.0) / ((std::log(2.0) + std::log(3.0)) / 2), 1e-12);
  std::vector<int> relabelled = {5, 5, 5, 2, 2, 2};
  EXPECT_NEAR(AdjustedRandIndex(truth, relabelled), 1.0, 1e-12);
  EXPECT_NEAR(NormalizedMutualInformation(truth, relabelled), 1.0, 1e-12);
  EXPECT_LT(AdjustedRandIndex({0, 1, 0, 1, 0, 1}, truth), 0.0);
}

TEST(HealthTest, SnapshotsAndComparison) {
  // 1 (company) - 2 (government) from 2020; 3 (company) - 4 (company) from 2020; 2-3 from 2022.
  std::vector<domain::Actor> actors = {AnActor(1).Kind(K::kCompany), AnActor(2).Kind(K::kGovernment),
                                       AnActor(3).Kind(K::kCompany), AnActor(4).Kind(K::kCompany),
                                       AnActor(5).Kind(K::kCitizensInitiative)};
  std::vector<domain::Tie> ties = {ATie(1, 2).Since("2020-01-01"), ATie(3, 4).Since("2020-01-01"),
                                   ATie(2, 3).Since("2022-01-01")};
  auto snaps = HealthOverTime(actors, ties, {"2021-01-01", "2023-01-01"});
  ASSERT_TRUE(snaps.ok()) << snaps.status().ToString();
  const HealthSnapshot& a = (*snaps)[0];
  const HealthSnapshot& b = (*snaps)[1];
  EXPECT_EQ(a.ties, 2);
  EXPECT_DOUBLE_EQ(a.cross_sector_share, 0.5);
  EXPECT_EQ(a.isolates, 1);
  EXPECT_EQ(a.components, 3);
  EXPECT_DOUBLE_EQ(a.largest_component_share, 2.0 / 5);
  EXPECT_DOUBLE_EQ(a.mean_sector_distance, 1.0);  // only 1-2 connect different sectors
  EXPECT_EQ(b.ties, 3);
  EXPECT_DOUBLE_EQ(b.cross_sector_share, 2.0 / 3);
  EXPECT_DOUBLE_EQ(b.largest_component_share, 4.0 / 5);
  // Path 1-2-3-4: government 2 to companies 1, 3 (1 hop) and 4 (2 hops), from both ends.
  EXPECT_DOUBLE_EQ(b.mean_sector_distance, 4.0 / 3);
  auto deltas = CompareHealth(a, b);
  auto find = [&](const std::string& f) {
    return *std::find_if(deltas.begin(), deltas.end(), [&](const HealthDelta& d) { return d.field == f; });
  };
  EXPECT_TRUE(find("largest_component_share").better);
  EXPECT_TRUE(find("cross_sector_share").better);
  EXPECT_DOUBLE_EQ(find("ties").change, 1.0);
  EXPECT_FALSE(HealthOverTime(actors, ties, {"2021-13-01"}).ok());
}

std::vector<domain::Actor> TwoKindsOfActors(int n_each, int offset) {
  std::vector<domain::Actor> actors;
  for (int i = 0; i < n_each; ++i)
    actors.push_back(
        AnActor(offset + i).Kind(K::kCareWelfare).Themes({"ouderenzorg", "eenzaamheid"}).Capabilities({"zorg"}));
  for (int i = 0; i < n_each; ++i)
    actors.push_back(
        AnActor(offset + 100 + i).Kind(K::kCompany).Themes({"energie"}).Capabilities({"installatie", "isolatie"}));
  return actors;
}

TEST(TypologyTest, FindsTheTwoKindsAndIsStable) {
  auto actors = TwoKindsOfActors(6, 1);
  std::vector<domain::Tie> ties;
  for (int i = 1; i < 6; ++i) ties.push_back(ATie(i, i + 1));
  for (int i = 101; i < 106; ++i) ties.push_back(ATie(i, i + 1));
  auto f = Fabric::FromDomain(actors, ties);
  ASSERT_TRUE(f.ok());
  TypologyOptions o;
  o.groups = 2;
  auto t1 = FindTypology(*f, "2024", o);
  ASSERT_TRUE(t1.ok()) << t1.status().ToString();
  ASSERT_EQ(t1->groups.size(), 2u);
  // Every care actor shares a group, every company the other.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(t1->group[static_cast<size_t>(i)], t1->group[0]);
  for (int i = 6; i < 12; ++i) EXPECT_EQ(t1->group[static_cast<size_t>(i)], t1->group[6]);
  EXPECT_NE(t1->group[0], t1->group[6]);
  std::string names = t1->groups[0].name + " | " + t1->groups[1].name;
  EXPECT_NE(names.find("kind:care_welfare"), std::string::npos) << names;
  EXPECT_NE(names.find("kind:company"), std::string::npos) << names;
  // Another period with the same actors, different seed: the typology holds.
  o.seed = 99;
  auto t2 = FindTypology(*f, "2025", o);
  ASSERT_TRUE(t2.ok());
  TypologyStability s = CompareTypologies(*t1, *t2);
  EXPECT_EQ(s.common_actors, 12);
  EXPECT_NEAR(s.ari, 1.0, 1e-12);
  EXPECT_NEAR(s.nmi, 1.0, 1e-12);
}

TEST(ExportTest, GraphMlGexfKumu) {
  std::vector<domain::Actor> actors = {AnActor(7).Kind(K::kCompany).Themes({"energie"}),
                                       AnActor(8).Kind(K::kGovernment)};
  actors[0].name = "Smit & Zonen <bv>";
  std::vector<domain::Tie> ties = {ATie(7, 8)};
  ties[0].weight = 2.5;
  auto f = Fabric::FromDomain(actors, ties);
  ASSERT_TRUE(f.ok());
  auto report = Analyse(*f);
  ASSERT_TRUE(report.ok());
  std::string g = ToGraphMl(*f, &*report);
  EXPECT_NE(g.find("Smit &amp; Zonen &lt;bv&gt;"), std::string::npos);
  EXPECT_NE(g.find("<edge id=\"e0\" source=\"n7\" target=\"n8\"><data key=\"w\">2.5</data></edge>"), std::string::npos);
  EXPECT_NE(g.find("attr.name=\"betweenness\""), std::string::npos);
  std::string x = ToGexf(*f);
  EXPECT_NE(x.find("<node id=\"7\" label=\"Smit &amp; Zonen &lt;bv&gt;\">"), std::string::npos);
  EXPECT_NE(x.find("weight=\"2.5\""), std::string::npos);
  KumuSheets k = ToKumu(*f, &*report);
  EXPECT_EQ(k.connections, "From,To,Type,Strength\n7,8,tie,2.5\n");
  EXPECT_EQ(std::count(k.elements.begin(), k.elements.end(), '\n'), 3);
  EXPECT_EQ(k.elements.rfind("Label,Name,Type,Tags,Description", 0), 0u);
}

}  // namespace
}  // namespace weefsel::fabric
