// The matcher's learned stage on a real store (issue 17): a model trained on the platform's
// outcomes moves an actor whose invitations were accepted above an equal one whose invitations
// were declined, and says so in its reasons; too few outcomes and bad model files are clear errors,
// and the matches keep the linear score.
#include "service/matches.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>

#include "base/csv.h"
#include "match/match_json.h"
#include "service/engines.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

namespace fs = std::filesystem;
using domain::ActorKind;
using S = domain::MemberStatus;

class MatchModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weefsel_match_model_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = storage::Store::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = store->get();
    platform_ = std::make_unique<Platform>(std::move(store).value(), PlatformOptions{});
    domain::Municipality m;
    m.cbs_code = "GM0363", m.name = "Amsterdam", m.province = "Noord-Holland";
    muni_ = Must(store_->Insert(m));
    const std::string energy = "Energiecoöperatie: zonnepanelen op daken en energie besparen met bewoners";
    west_ = AddActor("Zon West", ActorKind::kCompany, energy);  // first on a tie of the linear score
    east_ = AddActor("Zon Oost", ActorKind::kCompany, energy);
    a3_ = AddActor("Buurtenergie", ActorKind::kCitizensInitiative, energy + " in de buurt");
    a4_ = AddActor("Installatiebedrijf", ActorKind::kCompany, "Installateur van zonnepanelen en warmtepompen");
    AddActor("Hogeschool", ActorKind::kKnowledgeInstitution, "Onderzoek naar energie in wijken");
    fresh_ = AddChallenge("Zonnepanelen voor de sporthal");
  }
  void TearDown() override { fs::remove_all(dir_); }

  template <typename T>
  T Must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }
  ActorId AddActor(std::string name, ActorKind kind, std::string desc) {
    domain::Actor a;
    a.name = std::move(name), a.kind = kind, a.municipality = muni_, a.description = std::move(desc);
    return Must(store_->Insert(a));
  }
  ChallengeId AddChallenge(std::string title) {
    domain::Challenge c;
    c.municipality = muni_, c.title = std::move(title);
    c.text = "Zonnepanelen op daken in de wijk, samen met bewoners";
    return Must(store_->Insert(c));
  }
  // `n` past challenges, each with a coalition still forming (one member declined): Zon Oost
  // accepted, Zon West declined, two others accepted and declined in turn (4 outcomes each).
  void History(int n) {
    for (int k = 1; k <= n; ++k) {
      domain::Coalition co;
      co.challenge = AddChallenge("Zonnepanelen project " + std::to_string(k));
      co.status = domain::CoalitionStatus::kForming;
      co.members = {{west_, "member", S::kDeclined, {}},
                    {east_, "lead", S::kAccepted, {}},
                    {a3_, "member", k % 2 ? S::kAccepted : S::kDeclined, {}},
                    {a4_, "member", k % 2 ? S::kDeclined : S::kAccepted, {}}};
      Must(store_->Insert(co));
    }
  }
  std::vector<match::Match> Matches(std::shared_ptr<const match::LearnedRanker> model) {
    EngineOptions o;
    o.match_model = std::move(model);
    Engines engines(*platform_, o);
    return Must(engines.matches().MatchesFor(fresh_, 10)).items;
  }
  static int Place(const std::vector<match::Match>& ms, ActorId a) {
    for (size_t k = 0; k < ms.size(); ++k)
      if (ms[k].actor == a) return static_cast<int>(k);
    return -1;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  storage::Store* store_ = nullptr;
  std::unique_ptr<Platform> platform_;
  MunicipalityId muni_;
  ActorId west_, east_, a3_, a4_;
  ChallengeId fresh_;
};

TEST_F(MatchModelTest, ModelFromOutcomesMovesTheActorWhoAcceptedAboveTheOneWhoDeclined) {
  History(6);
  auto trained = TrainMatchModel(*store_);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  EXPECT_EQ(trained->report.challenges, 6);
  EXPECT_EQ(trained->report.outcomes, 24);
  ASSERT_TRUE(trained->model.Save(Path("model")).ok());
  std::string message;
  auto model = LoadMatchModelOrLinear(Path("model"), message);
  ASSERT_NE(model, nullptr) << message;

  auto linear = Matches(nullptr);
  ASSERT_GE(Place(linear, west_), 0);
  ASSERT_GE(Place(linear, east_), 0);
  EXPECT_FALSE(linear.front().learned);

  auto learned = Matches(model);
  const int east = Place(learned, east_), west = Place(learned, west_);
  ASSERT_GE(east, 0);
  ASSERT_GE(west, 0);
  EXPECT_LT(east, west) << "the actor whose invitations were accepted comes first";
  const match::Match& e = learned[static_cast<size_t>(east)];
  EXPECT_TRUE(e.learned);
  auto json = match::ToJson(e);
  EXPECT_EQ(json["scored_by"], "learned");
  bool said = false;
  double sum = 0;
  for (const auto& r : json["reasons"]) {
    sum += r["contribution"].get<double>();
    if (r["code"] == "invitations_accepted") {
      said = true;
      EXPECT_EQ(r["params"]["count"], 6);
      EXPECT_EQ(r["params"]["direction"], "up");
    }
  }
  EXPECT_TRUE(said) << json.dump(2);
  EXPECT_NEAR(sum, json["score"].get<double>(), 1e-4);
}

TEST_F(MatchModelTest, TooFewOutcomesIsAClearErrorAndMatchesStayLinear) {
  History(2);
  auto trained = TrainMatchModel(*store_);
  ASSERT_FALSE(trained.ok());
  EXPECT_EQ(trained.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(trained.status().message().find("too few outcomes"), std::string::npos) << trained.status().message();
  EXPECT_NE(trained.status().message().find("linear score"), std::string::npos);
  for (const auto& m : Matches(nullptr)) EXPECT_FALSE(m.learned);
}

TEST_F(MatchModelTest, BadModelFilesAreClearErrorsAndTheMatchesStayLinear) {
  std::string message;
  EXPECT_EQ(LoadMatchModelOrLinear(Path("absent"), message), nullptr);
  EXPECT_NE(message.find("no such file"), std::string::npos) << message;
  EXPECT_NE(message.find("linear score"), std::string::npos) << message;
  ASSERT_TRUE(WriteFileAtomic(Path("bad"), "not a model").ok());
  EXPECT_EQ(LoadMatchModelOrLinear(Path("bad"), message), nullptr);
  EXPECT_NE(message.find("not a weefsel match model"), std::string::npos) << message;
  // A model of other features (an older weefsel's) is refused too.
  ASSERT_TRUE(WriteFileAtomic(Path("old"), "weefsel-match-model 1 text,capability\n{}").ok());
  EXPECT_EQ(LoadMatchModelOrLinear(Path("old"), message), nullptr);
  EXPECT_NE(message.find("trained on features text,capability"), std::string::npos) << message;
  auto ms = Matches(nullptr);
  ASSERT_FALSE(ms.empty());
  for (const auto& m : ms) {
    EXPECT_FALSE(m.learned);
    EXPECT_EQ(match::ToJson(m)["scored_by"], "linear");
  }
}

// Issue 16 item 3: the matcher follows actor edits, new actors, ties and new challenges by updates
// in place, builds afresh when past work changes or an actor is deleted, and what the updated
// matcher ranks equals what a matcher built afresh ranks.
TEST_F(MatchModelTest, TheMatcherFollowsEditsInPlaceAndBuildsAfreshWhenPastWorkChanges) {
  Engines engines(*platform_);
  MatchService& ms = engines.matches();
  auto settle = [] { std::this_thread::sleep_for(PlatformOptions{}.version_ttl + std::chrono::milliseconds(20)); };
  auto scores = [&](MatchService& service) {
    std::map<int64_t, double> out;
    for (const auto& m : Must(service.MatchesFor(fresh_, 20)).items) out[m.actor.value()] = m.score;
    return out;
  };
  auto first = scores(ms);
  EXPECT_EQ(ms.whole_builds(), 1);
  EXPECT_EQ(ms.updates(), 0);

  // The Hogeschool rewrites its description: the next answer has it, by an update in place.
  auto hogeschool = Must(store_->ListActors({.search = "Hogeschool"}));
  ASSERT_EQ(hogeschool.size(), 1u);
  domain::Actor h = hogeschool[0];
  h.description = "Zonnepanelen op daken in de wijk: onderzoek samen met bewoners";
  ASSERT_TRUE(store_->Update(h).ok());
  // A new actor and a tie to it.
  ActorId newcomer = AddActor("Zonnige Buurt", ActorKind::kCitizensInitiative, "Zonnepanelen op daken in de wijk");
  domain::Tie t;
  t.a = newcomer, t.b = east_, t.weight = 2;
  Must(store_->Insert(t));
  // A new challenge elsewhere is no track record: nothing to rebuild.
  AddChallenge("Groene schoolpleinen");
  settle();
  auto second = scores(ms);
  EXPECT_EQ(ms.whole_builds(), 1) << "edits, a new actor, a tie and a new challenge need no whole build";
  EXPECT_EQ(ms.updates(), 1);
  EXPECT_GT(second[h.id.value()], first[h.id.value()]) << "the edit shows at once";
  EXPECT_TRUE(second.count(newcomer.value())) << "the new actor is matched";
  {
    Engines afresh(*platform_);
    auto reference = scores(afresh.matches());
    ASSERT_EQ(reference.size(), second.size());
    for (const auto& [id, score] : reference) EXPECT_NEAR(second[id], score, 1e-9) << "actor " << id;
  }

  // A coalition formed: past work changed, so the matcher is built afresh.
  domain::Coalition co;
  co.challenge = AddChallenge("Zonnepanelen op de sporthal");
  co.status = domain::CoalitionStatus::kFormed;
  co.members = {{a3_, "lead", S::kAccepted, {}}, {a4_, "member", S::kAccepted, {}}};
  Must(store_->Insert(co));
  settle();
  scores(ms);
  EXPECT_EQ(ms.whole_builds(), 2);
  // A deleted actor: built afresh, and it is gone.
  ASSERT_TRUE(store_->DeleteTie(t.id).ok());
  ASSERT_TRUE(store_->DeleteActor(newcomer).ok());
  settle();
  auto third = scores(ms);
  EXPECT_EQ(ms.whole_builds(), 3);
  EXPECT_FALSE(third.count(newcomer.value()));
}

}  // namespace
}  // namespace weefsel::service
