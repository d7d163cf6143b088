// fabric/weave_test.cc: each suggestion's gain is the real change of the objective, and joining
// components beats a redundant tie.
#include "fabric/weave.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fabric/export.h"

#include "domain/testing/world.h"
#include "tests/kit/shared_data.h"

namespace weefsel::fabric {
namespace {

using world::AnActor;
using world::ATie;

// Two groups: a square 1-2-3-4 (all companies, theme "energie") with a tail 4-5, and a triangle
// 6-7-8 of civil-society actors, one of whom shares "energie"; an isolate 9 shares "zorg" with 8.
struct SmallWorld {
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;
  SmallWorld() {
    using K = domain::ActorKind;
    actors = {AnActor(1).Kind(K::kCompany).Themes({"energie"}),
              AnActor(2).Kind(K::kCompany).Themes({"energie"}),
              AnActor(3).Kind(K::kCompany).Themes({"energie"}),
              AnActor(4).Kind(K::kCompany).Themes({"energie"}),
              AnActor(5).Kind(K::kKnowledgeInstitution).Themes({"wonen"}),
              AnActor(6).Kind(K::kCitizensInitiative).Themes({"energie"}),
              AnActor(7).Kind(K::kCitizensInitiative).Themes({"zorg"}),
              AnActor(8).Kind(K::kCareWelfare).Themes({"zorg"}),
              AnActor(9).Kind(K::kGovernment).Themes({"zorg"})};
    ties = {ATie(1, 2), ATie(2, 3), ATie(3, 4), ATie(4, 1), ATie(4, 5), ATie(6, 7), ATie(7, 8), ATie(6, 8)};
  }
};

TEST(WeaveTest, StatedGainIsTheRealChangeOfTheObjective) {
  SmallWorld w;
  auto f = Fabric::FromDomain(w.actors, w.ties);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  WeaveOptions o;
  o.k = 6;
  auto result = SuggestWeaves(*f, o);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_GE(result->suggestions.size(), 3u);
  auto ctx = MakeWeaveContext(*f, o);
  ASSERT_TRUE(ctx.ok());
  Fabric current = *f;
  double before = WeaveObjective(current, *ctx);
  EXPECT_NEAR(before, result->objective_before, 1e-12);
  for (const WeaveSuggestion& s : result->suggestions) {
    EXPECT_FALSE(current.Adjacent(s.u, s.v));
    auto next = current.WithEdges({{s.u, s.v, 1.0}});
    ASSERT_TRUE(next.ok());
    WeaveParts parts;
    double after = WeaveObjective(*next, *ctx, &parts);
    EXPECT_NEAR(s.gain, after - before, 1e-12) << s.reason;
    EXPECT_FALSE(s.reason.empty());
    current = std::move(next).value();
    before = after;
  }
  EXPECT_NEAR(result->objective_after, before, 1e-12);
  // Greedy: gains never increase here (the first pick joins the two big groups).
  EXPECT_GT(result->suggestions[0].parts.reach, 0);
}

TEST(WeaveTest, JoiningComponentsBeatsARedundantTie) {
  SmallWorld w;
  auto f = Fabric::FromDomain(w.actors, w.ties);
  ASSERT_TRUE(f.ok());
  auto ctx = MakeWeaveContext(*f);
  ASSERT_TRUE(ctx.ok());
  int a1 = *f->IndexOf(ActorId(1)), a3 = *f->IndexOf(ActorId(3)), a6 = *f->IndexOf(ActorId(6));
  double base = WeaveObjective(*f, *ctx);
  // 1-3 is a chord of the square: redundant (same community, same sector, no bridge on its way).
  double redundant = WeaveObjective(*f->WithEdges({{a1, a3, 1.0}}), *ctx) - base;
  double join = WeaveObjective(*f->WithEdges({{a1, a6, 1.0}}), *ctx) - base;
  EXPECT_LE(redundant, 0);
  EXPECT_GT(join, 0);
  auto result = SuggestWeaves(*f, {});
  ASSERT_TRUE(result.ok());
  const WeaveSuggestion& first = result->suggestions.at(0);
  EXPECT_NE(ctx->community[static_cast<size_t>(first.u)], ctx->community[static_cast<size_t>(first.v)]);
  EXPECT_GT(first.parts.reach, 0);
  EXPECT_NE(first.reason.find("joins two separate parts"), std::string::npos) << first.reason;
  for (const auto& s : result->suggestions) EXPECT_FALSE((s.u == a1 && s.v == a3) || (s.u == a3 && s.v == a1));
}

TEST(WeaveTest, CoveringABridgeCountsItsBridges) {
  // Path 0-1-2-3 inside one component: a tie 0-3 gives all three bridges a second route.
  auto f = Fabric::FromEdgeText("0 1\n1 2\n2 3\n", "");
  ASSERT_TRUE(f.ok());
  WeaveOptions o;
  o.k = 1;
  auto ctx = MakeWeaveContext(*f, o);
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(ctx->initial_bridges, 3);
  WeaveParts parts;
  double base = WeaveObjective(*f, *ctx, &parts);
  EXPECT_NEAR(parts.redundancy, 0.0, 1e-12);  // every pair depends on a single tie
  WeaveParts after;
  WeaveObjective(*f->WithEdges({{0, 3, 1.0}}), *ctx, &after);
  EXPECT_NEAR(after.redundancy, 1.0, 1e-12);  // a cycle: every pair has two routes
  WeaveParts half;
  WeaveObjective(*f->WithEdges({{0, 2, 1.0}}), *ctx, &half);
  EXPECT_NEAR(half.redundancy, 6.0 / 12.0, 1e-12);  // triangle 0-1-2: 3 pairs of 6
  (void)base;
}

// The CLI and the API print weave through one function: its keys, in order, and the ends written
// by the caller.
TEST(WeaveTest, OneJsonObjectForTheCommandLineAndTheApi) {
  SmallWorld w;
  auto f = Fabric::FromDomain(w.actors, w.ties);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  WeaveOptions o;
  o.k = 2;
  auto result = SuggestWeaves(*f, o);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->suggestions.size(), 2u);
  nlohmann::ordered_json j = WeaveObject(*result, [&](int node) {
    return nlohmann::ordered_json{{"node", f->ExternalId(node)}};
  });
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"objective_before", "objective_after", "candidates", "suggestions"}));
  EXPECT_EQ(j["candidates"], result->candidates);
  ASSERT_EQ(j["suggestions"].size(), 2u);
  const auto& first = j["suggestions"][0];
  const WeaveSuggestion& s = result->suggestions[0];
  EXPECT_EQ(first["from"]["node"], f->ExternalId(s.u));
  EXPECT_EQ(first["to"]["node"], f->ExternalId(s.v));
  EXPECT_EQ(first["gain"], s.gain);
  EXPECT_EQ(first["parts"]["bridging"], s.parts.bridging);
  EXPECT_EQ(first["reason"], s.reason);
}

TEST(WeaveTest, RejectsBadOptions) {
  auto f = Fabric::FromEdgeText("0 1\n", "");
  ASSERT_TRUE(f.ok());
  WeaveOptions o;
  o.k = -1;
  EXPECT_FALSE(SuggestWeaves(*f, o).ok());
}

// Every two leaves of a star are friends of friends, seen from both ends; with room for all of them
// per actor each pair is still one candidate (an actor does not choose again a pair that an earlier
// actor chose), so no pair can be suggested twice.
TEST(WeaveTest, EachPlausiblePairIsOneCandidate) {
  std::string edges;
  for (int leaf = 1; leaf <= 10; ++leaf) edges += "0 " + std::to_string(leaf) + "\n";
  auto f = Fabric::FromEdgeText(edges, "");
  ASSERT_TRUE(f.ok());
  WeaveOptions o;
  o.k = 50;
  auto r = SuggestWeaves(*f, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->candidates, 45);
  std::set<std::pair<int, int>> pairs;
  for (const WeaveSuggestion& s : r->suggestions) EXPECT_TRUE(pairs.insert({s.u, s.v}).second) << s.u << "-" << s.v;
  EXPECT_FALSE(r->suggestions.empty());
}

TEST(WeaveTest, HorizonNetworkTenSuggestions) {
  WEEFSEL_REQUIRE_SHARED_DATA("networks/h2020_nl_orgs.edges");
  std::string base = testkit::SharedDataPath("networks/h2020_nl_orgs");
  auto f = Fabric::FromEdgeFiles(base + ".edges", base + ".nodes");
  ASSERT_TRUE(f.ok());
  auto r = SuggestWeaves(*f, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->suggestions.size(), 10u);
  for (size_t i = 0; i < r->suggestions.size(); ++i) {
    EXPECT_GT(r->suggestions[i].gain, 0);
    EXPECT_FALSE(f->Adjacent(r->suggestions[i].u, r->suggestions[i].v));
  }
  // Golden figures of the implementation before 7 December's speed-up (`weefsel fabric weave
  // --json`), which had to keep them: the candidates, the first and last pair, the objective.
  EXPECT_EQ(r->candidates, 27400);
  ASSERT_EQ(r->suggestions.size(), 10u);
  EXPECT_EQ(f->ExternalId(r->suggestions[0].u), 888894443);
  EXPECT_EQ(f->ExternalId(r->suggestions[0].v), 998373277);
  EXPECT_EQ(f->ExternalId(r->suggestions[9].u), 898501689);
  EXPECT_EQ(f->ExternalId(r->suggestions[9].v), 916296630);
  EXPECT_NEAR(r->objective_after, 1.4910963884186477, 1e-12);
}

}  // namespace
}  // namespace weefsel::fabric
