// The server's retraining of the matcher's learned stage (service/match_retrain.h) on a real SQLite
// file store, with a manual clock (no real waiting): too few outcomes are said and change nothing;
// enough give a versioned model file and PATH, swapped into the MatchService; the next retrain waits
// for the interval, also across a restart; each retrain leaves its own versioned file, the newest
// `keep` stay; the training ranks with the served matcher on a thread below the server's priority.
#include "service/match_retrain.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/mem_env.h"
#include "service/engines.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

namespace fs = std::filesystem;
using domain::ActorKind;
using S = domain::MemberStatus;
using std::chrono::hours;

class MatchRetrainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weefsel_match_retrain_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = storage::Store::Open((dir_ / "weefsel.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = store->get();
    platform_ = std::make_unique<Platform>(std::move(store).value(), PlatformOptions{});
    domain::Municipality m;
    m.cbs_code = "GM0363", m.name = "Amsterdam", m.province = "Noord-Holland";
    muni_ = Must(store_->Insert(m));
    const std::string energy = "Energiecoöperatie: zonnepanelen op daken en energie besparen met bewoners";
    west_ = AddActor("Zon West", ActorKind::kCompany, energy);
    east_ = AddActor("Zon Oost", ActorKind::kCompany, energy);
    a3_ = AddActor("Buurtenergie", ActorKind::kCitizensInitiative, energy + " in de buurt");
    a4_ = AddActor("Installatiebedrijf", ActorKind::kCompany, "Installateur van zonnepanelen en warmtepompen");
    fresh_ = AddChallenge("Zonnepanelen voor de sporthal");
  }
  void TearDown() override {
    platform_.reset();
    fs::remove_all(dir_);
  }

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
  // `n` more past challenges with a coalition each: Zon Oost accepts, Zon West declines (4 outcomes).
  void History(int n) {
    for (int k = 1; k <= n; ++k) {
      domain::Coalition co;
      co.challenge = AddChallenge("Zonnepanelen project " + std::to_string(++made_));
      co.status = domain::CoalitionStatus::kForming;
      co.members = {{west_, "member", S::kDeclined, {}},
                    {east_, "lead", S::kAccepted, {}},
                    {a3_, "member", made_ % 2 ? S::kAccepted : S::kDeclined, {}},
                    {a4_, "member", made_ % 2 ? S::kDeclined : S::kAccepted, {}}};
      Must(store_->Insert(co));
    }
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  int VersionedFiles() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) n += e.path().filename().string().rfind("model.", 0) == 0;
    return n;
  }

  fs::path dir_;
  storage::Store* store_ = nullptr;
  std::unique_ptr<Platform> platform_;
  MunicipalityId muni_;
  ActorId west_, east_, a3_, a4_;
  ChallengeId fresh_;
  int made_ = 0;
};

TEST_F(MatchRetrainTest, RetrainsWhenDueIntoAVersionedFileAndSwapsTheModelIn) {
  ManualClock clock(*ParseTimestamp("2026-12-01T03:00:00Z"));
  Engines engines(*platform_, {});
  const MatchRetrainOptions options{.model_path = Path("model"), .every = hours(24 * 30)};
  MatchRetrainer retrainer(*platform_, engines.matches(), options, clock);
  EXPECT_FALSE(retrainer.last_trained());

  // Too few outcomes: said, nothing written, the matches stay linear.
  History(2);
  auto said = retrainer.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("not retrained: too few outcomes"), std::string::npos) << *said;
  EXPECT_NE(said->find("linear score"), std::string::npos) << *said;
  EXPECT_FALSE(fs::exists(Path("model")));
  EXPECT_EQ(VersionedFiles(), 0);
  EXPECT_EQ(engines.matches().model(), nullptr);
  // The next try waits a day.
  History(4);
  clock.Advance(hours(23));
  EXPECT_EQ(*retrainer.RunIfDue(), "");
  EXPECT_EQ(engines.matches().model(), nullptr);

  // Enough outcomes a day later: trained, written (versioned and PATH), swapped in.
  clock.Advance(hours(1));
  const TimePoint first = clock.Now();
  said = retrainer.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("swapped in"), std::string::npos) << *said;
  EXPECT_EQ(MatchRetrainer::VersionedPath(Path("model"), first), Path("model.20261202T030000Z"));
  EXPECT_TRUE(fs::exists(Path("model.20261202T030000Z"))) << *said;
  EXPECT_NE(said->find(Path("model.20261202T030000Z")), std::string::npos) << *said;
  std::string message;
  EXPECT_NE(LoadMatchModelOrLinear(Path("model"), message), nullptr) << message;
  const auto model = engines.matches().model();
  ASSERT_NE(model, nullptr);
  auto ms = Must(engines.matches().MatchesFor(fresh_, 10)).items;
  ASSERT_FALSE(ms.empty());
  EXPECT_TRUE(ms.front().learned);
  int east = -1, west = -1;
  for (size_t k = 0; k < ms.size(); ++k) {
    if (ms[k].actor == east_) east = static_cast<int>(k);
    if (ms[k].actor == west_) west = static_cast<int>(k);
  }
  ASSERT_GE(east, 0);
  ASSERT_GE(west, 0);
  EXPECT_LT(east, west) << "the retrained model puts the actor that accepted first";

  // Not due again within the interval, also for a restarted server (it reads the versioned files).
  clock.Advance(hours(24 * 30 - 1));
  EXPECT_EQ(*retrainer.RunIfDue(), "");
  MatchRetrainer restarted(*platform_, engines.matches(), options, clock);
  ASSERT_TRUE(restarted.last_trained());
  EXPECT_EQ(*restarted.last_trained(), first);
  EXPECT_EQ(*restarted.RunIfDue(), "");
  EXPECT_EQ(engines.matches().model(), model);

  // Due after the interval: a second versioned file beside the first, and a new model swapped in.
  clock.Advance(hours(1));
  said = restarted.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("swapped in"), std::string::npos) << *said;
  EXPECT_EQ(VersionedFiles(), 2);
  EXPECT_TRUE(fs::exists(Path("model.20261202T030000Z")));
  EXPECT_TRUE(fs::exists(Path("model.20270101T030000Z")));
  EXPECT_NE(engines.matches().model(), model);
  EXPECT_NE(engines.matches().model(), nullptr);
}

TEST_F(MatchRetrainTest, TrainsOnTheServedMatcherBelowTheServersPriorityAndKeepsTheNewestFiles) {
  ManualClock clock(*ParseTimestamp("2026-12-01T03:00:00Z"));
  History(6);
  Engines engines(*platform_, {});
  MatchRetrainOptions options{.model_path = Path("model"), .every = hours(24)};
  options.keep = 2;
  MatchRetrainer retrainer(*platform_, engines.matches(), options, clock);
  const int process = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::getpid()));
  // Nothing has asked for matches yet: the served matcher is not built.
  ASSERT_EQ(engines.matches().whole_builds(), 0);
  std::vector<std::string> said;
  int thread_nice = -100;
  // Four retrains a day apart, on a thread of their own as the server's Periodic runs them.
  std::thread([&] {
    for (int k = 0; k < 4; ++k, clock.Advance(hours(24))) {
      auto r = retrainer.RunIfDue();
      said.push_back(r.ok() ? *r : r.status().ToString());
    }
    thread_nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  }).join();
  ASSERT_EQ(said.size(), 4u);
  for (const auto& m : said) EXPECT_NE(m.find("swapped in"), std::string::npos) << m;
  EXPECT_EQ(thread_nice, std::min(19, process + BuildWorker::kNice)) << "the training yields the cores to requests";
  // The training built the served matcher (once) and ranked with it four times; a matcher built
  // for the training alone would have left the served one unbuilt.
  EXPECT_EQ(engines.matches().whole_builds(), 1);
  // The newest two versioned files stay; each retrain after the second removed one.
  EXPECT_EQ(VersionedFiles(), 2);
  EXPECT_FALSE(fs::exists(Path("model.20261201T030000Z")));
  EXPECT_FALSE(fs::exists(Path("model.20261202T030000Z")));
  EXPECT_TRUE(fs::exists(Path("model.20261203T030000Z")));
  EXPECT_TRUE(fs::exists(Path("model.20261204T030000Z")));
  EXPECT_EQ(said[1].find("removed"), std::string::npos) << said[1];
  EXPECT_NE(said[2].find("; 1 older model file removed"), std::string::npos) << said[2];
  std::string message;
  EXPECT_NE(LoadMatchModelOrLinear(Path("model"), message), nullptr) << message;
}

TEST_F(MatchRetrainTest, TooFewOutcomesKeepTheModelTheMatchesHave) {
  ManualClock clock(*ParseTimestamp("2026-12-01T03:00:00Z"));
  History(6);
  auto trained = TrainMatchModel(*store_);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  auto loaded = std::make_shared<const match::LearnedRanker>(trained->model);
  Engines engines(*platform_, {.match_model = loaded});
  // Training needs more outcomes than the store has: the loaded model stays.
  MatchRetrainOptions options{.model_path = Path("model"), .every = hours(24)};
  options.training.min_outcomes = 1000;
  MatchRetrainer retrainer(*platform_, engines.matches(), options, clock);
  auto said = retrainer.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("keep the model they have"), std::string::npos) << *said;
  EXPECT_EQ(engines.matches().model(), loaded);
  EXPECT_EQ(VersionedFiles(), 0);
}

// The model files through base/env.h's in-memory twin: a restart reads the newest versioned file's
// time from it, each retrain writes PATH and PATH.<time> there, pruning removes only the older
// versioned files, and the disk is not touched.
TEST_F(MatchRetrainTest, WithTheFilesInMemoryTheVersionsAndPruningTouchNoDisk) {
  MemEnv mem(*ParseTimestamp("2026-12-01T03:00:00Z"));
  ASSERT_TRUE(mem.files().CreateDirectories("/models").ok());
  ASSERT_TRUE(mem.files().WriteFileAtomic("/models/model.20261120T030000Z", "an older model").ok());
  ASSERT_TRUE(mem.files().WriteFileAtomic("/models/model.notes", "not a version").ok());
  History(6);
  Engines engines(*platform_, {});
  MatchRetrainOptions options{.model_path = "/models/model", .every = hours(24 * 14)};
  options.keep = 2;
  MatchRetrainer retrainer(*platform_, engines.matches(), options, mem.env());
  ASSERT_TRUE(retrainer.last_trained());
  EXPECT_EQ(FormatTimestamp(*retrainer.last_trained()), "2026-11-20T03:00:00Z") << "read from the twin";
  EXPECT_EQ(*retrainer.RunIfDue(), "") << "11 days after the newest model: not due";

  mem.clock().Set(*ParseTimestamp("2026-12-04T03:00:00Z"));  // 14 days after it
  auto said = retrainer.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("swapped in"), std::string::npos) << *said;
  EXPECT_EQ(said->find("removed"), std::string::npos) << "two versions are kept: " << *said;
  mem.clock().Advance(hours(24 * 14));
  said = retrainer.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("; 1 older model file removed"), std::string::npos) << *said;
  EXPECT_EQ(*mem.files().List("/models"),
            (std::vector<std::string>{"model", "model.20261204T030000Z", "model.20261218T030000Z", "model.notes"}));
  const std::string newest = *mem.files().ReadFile("/models/model.20261218T030000Z");
  EXPECT_EQ(*mem.files().ReadFile("/models/model"), newest) << "PATH is the newest version";
  EXPECT_EQ(newest.rfind("weefsel-match-model", 0), 0u) << newest.substr(0, 40);
  EXPECT_NE(engines.matches().model(), nullptr);
  EXPECT_FALSE(fs::exists("/models")) << "nothing went to the disk";
}

// After an upgrade whose matcher has a feature more, PATH no longer loads and the matches are
// linear; the server marks the retrain due (cmd_serve), so it does not wait for the file to age.
TEST_F(MatchRetrainTest, AModelThatDidNotLoadIsRetrainedAtTheFirstCheck) {
  MemEnv mem(*ParseTimestamp("2026-12-01T03:00:00Z"));
  ASSERT_TRUE(mem.files().CreateDirectories("/models").ok());
  ASSERT_TRUE(mem.files().WriteFileAtomic("/models/model.20261130T030000Z", "a model of 17 features").ok());
  History(6);
  Engines engines(*platform_, {});
  MatchRetrainOptions options{.model_path = "/models/model", .every = hours(24 * 14)};
  MatchRetrainer waits(*platform_, engines.matches(), options, mem.env());
  EXPECT_EQ(*waits.RunIfDue(), "") << "a day after the newest file: not due by its age";
  EXPECT_EQ(engines.matches().model(), nullptr);

  options.due_now = true;
  MatchRetrainer retrainer(*platform_, engines.matches(), options, mem.env());
  auto said = retrainer.RunIfDue();
  ASSERT_TRUE(said.ok()) << said.status().ToString();
  EXPECT_NE(said->find("swapped in"), std::string::npos) << *said;
  EXPECT_NE(engines.matches().model(), nullptr);
  mem.clock().Advance(hours(2));
  EXPECT_EQ(*retrainer.RunIfDue(), "") << "trained: the next is due by age again";
}

}  // namespace
}  // namespace weefsel::service
