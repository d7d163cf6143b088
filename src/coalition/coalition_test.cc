#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "base/clock.h"
#include "coalition/coalition.h"

namespace weefsel::coalition {
namespace {

using domain::Sector;

// A small world: 8 candidates on a line 0-1-2-...-7 (distance |i-j|), various sectors and skills.
struct World {
  std::vector<Candidate> cands;
  std::unique_ptr<MatrixDistances> d;
};

World Line() {
  World w;
  const Sector s[] = {Sector::kGovernment, Sector::kBusiness,  Sector::kKnowledge,  Sector::kCivilSociety,
                      Sector::kBusiness,   Sector::kKnowledge, Sector::kGovernment, Sector::kCivilSociety};
  const std::vector<std::vector<std::string>> caps = {{"beleid"}, {"zorg"},         {"onderzoek"},
                                                      {"buurt"},  {"zorg", "ict"},  {"onderzoek", "ict"},
                                                      {"beleid"}, {"buurt", "zorg"}};
  for (int i = 0; i < 8; ++i)
    w.cands.push_back({ActorId(i + 1), "a" + std::to_string(i), s[i], caps[static_cast<size_t>(i)], 0.0});
  std::vector<double> m(64);
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) m[static_cast<size_t>(i * 8 + j)] = std::abs(i - j);
  w.d = std::make_unique<MatrixDistances>(8, m);
  return w;
}

TEST(Coalition, HeuristicAndExactFindTheTightTeam) {
  World w = Line();
  Rules r;
  r.needs = {{"zorg", 1}, {"onderzoek", 1}, {"beleid", 1}};
  r.max_size = 4;
  auto h = FormHeuristic(w.cands, *w.d, r, 3);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto e = FormExact(w.cands, *w.d, r, 2);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  // {0,1,2} and {5,6,7}: pairwise 1 + 2 + 1 = 4 is optimal.
  EXPECT_DOUBLE_EQ((*e)[0].communication, 4.0);
  EXPECT_TRUE((*e)[0].proven_optimal);
  EXPECT_DOUBLE_EQ((*h)[0].objective, (*e)[0].objective);
  EXPECT_DOUBLE_EQ((*e)[1].communication, 4.0);  // the other optimum comes second
  ASSERT_EQ(e->size(), 2u);
  EXPECT_GE((*e)[1].objective, (*e)[0].objective);
  EXPECT_NE((*e)[1].members, (*e)[0].members);
  // Each need names its covering member.
  EXPECT_EQ((*e)[0].covers.size(), 3u);
}

TEST(Coalition, MixAndLeadAreHonoured) {
  World w = Line();
  Rules r;
  r.needs = {{"ict", 1}};
  r.mix = {{Sector::kGovernment, 1}, {Sector::kCivilSociety, 1}};
  r.lead = 7;
  r.max_size = 4;
  auto e = FormExact(w.cands, *w.d, r);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(Feasible(w.cands, r, (*e)[0].members));
  EXPECT_EQ((*e)[0].members, (std::vector<int>{5, 6, 7}));
  auto h = FormHeuristic(w.cands, *w.d, r);
  ASSERT_TRUE(h.ok());
  EXPECT_DOUBLE_EQ((*h)[0].objective, (*e)[0].objective);
}

TEST(Coalition, BadInputSaysWhatAndHowMuch) {
  World w = Line();
  Rules r;
  r.needs = {{"kernfusie", 1}};
  auto s = CheckRules(w.cands, r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'kernfusie': none of the 8 candidates"), std::string::npos) << s.message();
  EXPECT_FALSE(FormHeuristic(w.cands, *w.d, r).ok());

  Rules mix;
  mix.mix = {{Sector::kGovernment, 3}};
  s = CheckRules(w.cands, mix);
  EXPECT_NE(s.message().find("needs 3 government member(s) but only 2"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("(1 short)"), std::string::npos);

  Rules small;
  small.mix = {{Sector::kGovernment, 1}, {Sector::kBusiness, 1}, {Sector::kKnowledge, 1}, {Sector::kCivilSociety, 1}};
  small.max_size = 3;
  s = CheckRules(w.cands, small);
  EXPECT_NE(s.message().find("at least 4 members but the size limit is 3 (1 too few)"), std::string::npos)
      << s.message();

  Rules cover;
  cover.needs = {{"beleid", 1}, {"onderzoek", 1}, {"buurt", 1}};
  cover.max_size = 2;
  s = CheckRules(w.cands, cover);
  EXPECT_NE(s.message().find("needs at least 3 members but the size limit is 2 (1 too few)"), std::string::npos)
      << s.message();
  auto h = FormHeuristic(w.cands, *w.d, cover);
  EXPECT_FALSE(h.ok());
  EXPECT_NE(h.status().message().find("1 too few"), std::string::npos) << h.status().message();
}

// Random small instances: the heuristic is never better than the exact optimum (a check on both),
// and close to it on average.
TEST(Coalition, HeuristicAgainstExactOnRandomInstances) {
  Rng rng(7);
  double gap_sum = 0;
  int solved = 0;
  for (int inst = 0; inst < 8; ++inst) {
    const int n = 20;
    std::vector<Candidate> cands;
    std::vector<double> x(n), y(n);
    const char* skills[] = {"a", "b", "c", "d", "e", "f"};
    for (int i = 0; i < n; ++i) {
      Candidate c;
      c.actor = ActorId(i + 1);
      c.sector = static_cast<Sector>(rng.Uniform(0, 3));
      for (const char* s : skills)
        if (rng.Bernoulli(0.25)) c.capabilities.push_back(s);
      c.relevance = rng.Real();
      cands.push_back(c);
      x[static_cast<size_t>(i)] = rng.Real(), y[static_cast<size_t>(i)] = rng.Real();
    }
    std::vector<double> m(static_cast<size_t>(n * n));
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        m[static_cast<size_t>(i * n + j)] = std::hypot(x[static_cast<size_t>(i)] - x[static_cast<size_t>(j)],
                                                       y[static_cast<size_t>(i)] - y[static_cast<size_t>(j)]);
    MatrixDistances d(n, m);
    Rules r;
    r.needs = {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}};
    r.mix = {{Sector::kGovernment, 1}, {Sector::kKnowledge, 1}};
    r.max_size = 5;
    r.relevance_weight = 0.2;
    if (!CheckRules(cands, r).ok()) continue;
    auto e = FormExact(cands, d, r, 1, {.time_limit_seconds = 60});  // generous: CI machines are shared
    auto h = FormHeuristic(cands, d, r);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    EXPECT_TRUE((*e)[0].proven_optimal);
    EXPECT_TRUE(Feasible(cands, r, (*h)[0].members));
    EXPECT_GE((*h)[0].objective, (*e)[0].objective - 1e-6);
    gap_sum += (*h)[0].objective - (*e)[0].objective;
    ++solved;
  }
  ASSERT_GE(solved, 4);
  EXPECT_LT(gap_sum / solved, 0.25) << "heuristic far from the optimum on average";
}

TEST(Coalition, ExactRefusesTooManyCandidates) {
  std::vector<Candidate> cands(100);
  MatrixDistances d(100, std::vector<double>(10000, 1.0));
  Rules r;
  auto e = FormExact(cands, d, r);
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("20 too many"), std::string::npos);
}

// A member with no path to the rest is allowed only at the unreachable-pair cost, so a connected
// team wins when one exists; when none does, the team names the member that needs an introduction.
TEST(Coalition, DisconnectedMembersArePenalisedAndNamed) {
  const double inf = std::numeric_limits<double>::infinity();
  // 0-1 connected (distance 1); 2 holds "data" and is connected to 0 at distance 3; 3 holds "data"
  // and is connected to no one; 4 holds "kunst" and is connected to no one.
  std::vector<Candidate> cands = {{ActorId(1), "gem", Sector::kGovernment, {"beleid"}, 0},
                                  {ActorId(2), "zorg", Sector::kCivilSociety, {"zorg"}, 0},
                                  {ActorId(3), "lab", Sector::kKnowledge, {"data"}, 0},
                                  {ActorId(4), "eiland", Sector::kKnowledge, {"data"}, 5},
                                  {ActorId(5), "atelier", Sector::kCivilSociety, {"kunst"}, 0}};
  std::vector<double> m = {0,   1,   3,   inf, inf,  //
                           1,   0,   4,   inf, inf,  //
                           3,   4,   0,   inf, inf,  //
                           inf, inf, inf, 0,   inf,  //
                           inf, inf, inf, inf, 0};
  MatrixDistances d(5, m);
  Rules r;
  r.needs = {{"beleid", 1}, {"zorg", 1}, {"data", 1}};
  r.max_size = 4;
  r.relevance_weight = 0.5;  // the unconnected lab is more relevant, but not 100 - 3.5 worth
  for (bool exact : {false, true}) {
    auto t = exact ? FormExact(cands, d, r) : FormHeuristic(cands, d, r);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ((*t)[0].members, (std::vector<int>{0, 1, 2})) << (exact ? "exact" : "heuristic");
    EXPECT_TRUE((*t)[0].unconnected.empty());
  }
  r.needs.push_back({"kunst", 1});  // only the unconnected atelier has it
  auto t = FormExact(cands, d, r);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)[0].unconnected, (std::vector<int>{4}));
  EXPECT_DOUBLE_EQ((*t)[0].communication, 1 + 3 + 4 + 3 * r.unreachable_distance);
  EXPECT_NE(
      Explain(cands, d, r, (*t)[0]).find("atelier [civil_society] (no known tie: introduction needed) covers kunst"),
      std::string::npos)
      << Explain(cands, d, r, (*t)[0]);
}

}  // namespace
}  // namespace weefsel::coalition
