// coalition/pool.h: the candidate pooling shared by the server and the CLI (issue 17).
#include "coalition/pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace weefsel::coalition {
namespace {

using domain::ActorKind;

// A fixture city after issue 17's walk-through: a challenge in Amsterdam's Indische Buurt; the
// best-ranked actors (by score) are in Rotterdam and Den Haag, Diemen is the neighbour.
class PoolTest : public ::testing::Test {
 protected:
  static constexpr int kAmsterdam = 1, kDiemen = 2, kRotterdam = 3, kDenHaag = 4;
  void SetUp() override {
    Add(1, "Gemeente Amsterdam", ActorKind::kGovernment, kAmsterdam, "", {"beleid"});
    Add(2, "Ouderenzorg Rotterdam", ActorKind::kCareWelfare, kRotterdam, "", {"ouderenwerk", "vervoer"});
    Add(3, "Welzijn Rotterdam-Zuid", ActorKind::kCareWelfare, kRotterdam, "", {"ouderenwerk"});
    Add(4, "Haagse Zorg", ActorKind::kCareWelfare, kDenHaag, "", {"ouderenwerk"});
    Add(10, "Buurtzorg Indische Buurt", ActorKind::kCareWelfare, kAmsterdam, "Indische Buurt", {"ouderenwerk"});
    Add(11, "Welzijn Amsterdam Zuid", ActorKind::kCareWelfare, kAmsterdam, "Zuid", {"ouderenwerk"});
    Add(12, "Bewoners Dapperbuurt", ActorKind::kCitizensInitiative, kAmsterdam, "Oost", {"buurtnetwerken"});
    Add(20, "Diemen Vervoer BV", ActorKind::kCompany, kDiemen, "", {"vervoer"});
    // Ranked best first: the other cities score highest (issue 17's observation).
    ranked_ = {{ActorId(2), 0.9},   {ActorId(3), 0.85}, {ActorId(4), 0.8}, {ActorId(11), 0.6},
               {ActorId(10), 0.55}, {ActorId(12), 0.4}, {ActorId(20), 0.3}};
    ch_.id = ChallengeId(7);
    ch_.municipality = MunicipalityId(kAmsterdam);
    ch_.area = "indische buurt";
    ch_.title = "Eenzaamheid onder ouderen";
    ch_.owner = ActorId(1);
    ch_.capabilities = {{"ouderenwerk", 1}, {"vervoer", 1}};
    ch_.sector_mix = {{domain::Sector::kCivilSociety, 2}, {domain::Sector::kGovernment, 1}};
    ch_.max_coalition_size = 5;
  }
  void Add(int id, std::string name, ActorKind kind, int muni, std::string area, std::vector<std::string> caps) {
    domain::Actor a;
    a.id = ActorId(id);
    a.name = std::move(name);
    a.kind = kind;
    a.municipality = MunicipalityId(muni);
    a.area = std::move(area);
    a.capabilities = std::move(caps);
    actors_[id] = a;
  }
  Pool Run(std::unordered_set<MunicipalityId> near) {
    return PoolCandidates(ch_, ranked_,
                          [&](ActorId id) -> const domain::Actor* {
                            auto it = actors_.find(static_cast<int>(id.value()));
                            return it == actors_.end() ? nullptr : &it->second;
                          },
                          near, {});
  }
  const PooledCandidate* PlaceOf(const Pool& p, int id) {
    for (size_t i = 0; i < p.candidates.size(); ++i)
      if (p.candidates[i].actor == ActorId(id)) return &p.places[i];
    return nullptr;
  }
  std::map<int, domain::Actor> actors_;
  std::vector<RankedActor> ranked_;
  domain::Challenge ch_;
};

TEST_F(PoolTest, NeighbourhoodChallengeGetsALocalCoalition) {
  Pool p = Run({MunicipalityId(kDiemen)});
  ASSERT_TRUE(p.unmet.empty()) << p.unmet.front().second;
  for (int other_city : {2, 3, 4}) EXPECT_EQ(PlaceOf(p, other_city), nullptr) << "actor " << other_city;
  ASSERT_NE(PlaceOf(p, 10), nullptr);
  EXPECT_EQ(PlaceOf(p, 10)->locality, Locality::kWijk);
  EXPECT_EQ(PlaceOf(p, 11)->locality, Locality::kMunicipality);
  EXPECT_EQ(PlaceOf(p, 1)->locality, Locality::kMunicipality);
  ASSERT_TRUE(p.rules.lead.has_value());
  EXPECT_EQ(p.candidates[static_cast<size_t>(*p.rules.lead)].actor, ActorId(1));
  // The wijk is preferred: its care organisation overtakes the better-scored one elsewhere in town.
  double wijk = 0, town = 0;
  for (const auto& c : p.candidates) {
    if (c.actor == ActorId(10)) wijk = c.relevance;
    if (c.actor == ActorId(11)) town = c.relevance;
  }
  EXPECT_GT(wijk, town);
  // Nobody in Amsterdam offers transport: the neighbour comes in, saying why.
  const PooledCandidate* diemen = PlaceOf(p, 20);
  ASSERT_NE(diemen, nullptr);
  EXPECT_EQ(diemen->locality, Locality::kNeighbour);
  EXPECT_NE(diemen->why.find("vervoer"), std::string::npos) << diemen->why;
  EXPECT_EQ(diemen->municipality, MunicipalityId(kDiemen));

  // The team formed from this pool is local, meets the mix and covers every need.
  std::vector<double> d(p.candidates.size() * p.candidates.size(), 1.0);
  for (size_t i = 0; i < p.candidates.size(); ++i) d[i * p.candidates.size() + i] = 0;
  MatrixDistances dist(static_cast<int>(p.candidates.size()), d);
  auto teams = FormHeuristic(p.candidates, dist, p.rules, 2);
  ASSERT_TRUE(teams.ok()) << teams.status().ToString();
  ASSERT_FALSE(teams->empty());
  std::set<domain::Sector> sectors;
  for (int m : teams->front().members) {
    const PooledCandidate& place = p.places[static_cast<size_t>(m)];
    EXPECT_TRUE(place.municipality == MunicipalityId(kAmsterdam) || place.municipality == MunicipalityId(kDiemen));
    sectors.insert(p.candidates[static_cast<size_t>(m)].sector);
  }
  EXPECT_TRUE(sectors.count(domain::Sector::kCivilSociety) && sectors.count(domain::Sector::kGovernment));
}

TEST_F(PoolTest, WithoutALocalHolderTheAnswerSaysWhyNot) {
  Pool p = Run({});  // no neighbours known
  ASSERT_FALSE(p.unmet.empty());
  EXPECT_EQ(p.unmet.front().first, "capability:vervoer");
  EXPECT_NE(p.unmet.front().second.find("too few local organisations with capability 'vervoer'"), std::string::npos)
      << p.unmet.front().second;
  EXPECT_NE(p.unmet.front().second.find("2 elsewhere"), std::string::npos) << p.unmet.front().second;
  for (int other_city : {2, 3, 4, 20}) EXPECT_EQ(PlaceOf(p, other_city), nullptr) << "actor " << other_city;
  // A sector mix the area cannot meet is named, with by how much.
  ch_.capabilities = {{"ouderenwerk", 1}};
  ch_.sector_mix = {{domain::Sector::kBusiness, 2}};
  Pool q = Run({MunicipalityId(kDiemen)});
  ASSERT_EQ(q.unmet.size(), 1u);
  EXPECT_EQ(q.unmet.front().first, "sector_mix:business");
  EXPECT_NE(q.unmet.front().second.find("too few local organisations of sector business"), std::string::npos);
  ASSERT_NE(PlaceOf(q, 20), nullptr) << "the neighbour's company is admitted for the mix";
  EXPECT_NE(PlaceOf(q, 20)->why.find("business"), std::string::npos);
  EXPECT_NE(q.unmet.front().second.find("1 short"), std::string::npos) << q.unmet.front().second;
}

TEST_F(PoolTest, AChallengeWithoutMunicipalityPoolsFromEveryone) {
  ch_.municipality = MunicipalityId();
  ch_.area.clear();
  Pool p = Run({});
  EXPECT_TRUE(p.unmet.empty());
  ASSERT_NE(PlaceOf(p, 2), nullptr);
  EXPECT_EQ(PlaceOf(p, 2)->locality, Locality::kAnywhere);
}

}  // namespace
}  // namespace weefsel::coalition
