#include "service/connection_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "service/core/testing.h"
#include "service/platform.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ReaderPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("weefsel-readers-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    url_ = (dir_ / "weefsel.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static domain::Municipality Utrecht() { return {MunicipalityId(), "GM0344", "Utrecht", "Utrecht", 360000, 0, 0}; }

  fs::path dir_;
  std::string url_;
};

TEST_F(ReaderPoolTest, ReadersSeeCommittedWritesAndRefuseToWrite) {
  auto writer = storage::Store::Open(url_);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  auto made = ConnectionPool::Create(url_, 2);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ConnectionPool& pool = **made;
  EXPECT_EQ(pool.open(), 1) << "one at start, the others on first need";
  auto a = pool.Acquire();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  domain::Municipality m = Utrecht();
  ASSERT_TRUE((*writer)->Insert(m).ok());
  auto seen = a->get()->GetMunicipality(m.id);
  ASSERT_TRUE(seen.ok()) << "a reader sees what the writer committed: " << seen.status().ToString();
  EXPECT_EQ(seen->name, "Utrecht");
  domain::Municipality other{MunicipalityId(), "GM0363", "Amsterdam", "Noord-Holland", 900000, 0, 0};
  auto wrote = a->get()->Insert(other);
  EXPECT_FALSE(wrote.ok()) << "a write through a reader fails";
  EXPECT_EQ((*writer)->ListMunicipalities()->size(), 1u) << "and changes nothing";
  auto b = pool.Acquire();
  ASSERT_TRUE(b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_EQ(pool.open(), 2);
  // A third thread waits until one comes back, and then gets that one.
  storage::Store* first = a->get();
  auto third = std::async(std::launch::async, [&] { return pool.Acquire(); });
  EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout) << "no more than 2 readers";
  { ConnectionPool::Lease gone = std::move(a).value(); }
  ASSERT_EQ(third.wait_for(5s), std::future_status::ready);
  auto got = third.get();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->get(), first);
  EXPECT_EQ(pool.open(), 2);
}

// When a new reader cannot be opened, the error comes back once; for the retry period after it a
// reader is waited for rather than a connection attempted again on every read.
TEST_F(ReaderPoolTest, AFailedOpenIsNotRetriedOnEveryRead) {
  auto writer = storage::Store::Open(url_);
  ASSERT_TRUE(writer.ok());
  auto made = ConnectionPool::Create(url_, 2, std::chrono::hours(1));
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ConnectionPool& pool = **made;
  auto a = pool.Acquire();
  ASSERT_TRUE(a.ok());
  storage::Store* first = a->get();
  writer->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(url_ + suffix);  // a second open now fails
  auto refused = pool.Acquire();
  ASSERT_FALSE(refused.ok()) << "the failed open is reported";
  EXPECT_NE(refused.status().message().find("weefsel.db"), std::string::npos) << refused.status().ToString();
  auto next = std::async(std::launch::async, [&] { return pool.Acquire(); });
  EXPECT_EQ(next.wait_for(100ms), std::future_status::timeout) << "waits for the lent reader instead of opening again";
  { ConnectionPool::Lease gone = std::move(a).value(); }
  ASSERT_EQ(next.wait_for(5s), std::future_status::ready);
  auto got = next.get();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->get(), first);
  EXPECT_EQ(pool.open(), 1);
}

TEST_F(ReaderPoolTest, AnInMemoryDatabaseHasNoReaderAndAnUnmigratedFileIsNamed) {
  auto memory = storage::Store::OpenReader(":memory:");
  ASSERT_FALSE(memory.ok());
  EXPECT_EQ(memory.status().code(), StatusCode::kFailedPrecondition) << memory.status().ToString();
  auto missing = storage::Store::OpenReader((dir_ / "nothing-here.db").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nothing-here.db"), std::string::npos) << missing.status().ToString();
  EXPECT_FALSE(fs::exists(dir_ / "nothing-here.db")) << "a reader creates no file";
}

// A use case's write in progress: holds the platform's write lock (on another thread) from
// construction until Finish() (or destruction).
class WriteInProgress {
 public:
  explicit WriteInProgress(Platform& platform)
      : released_(release_.get_future().share()), writer_([this, &platform] {
          Status s = testing::WithStore(platform, [&](storage::Store&) {
            entered_.set_value();
            released_.wait();
            return Status::Ok();
          });
          EXPECT_TRUE(s.ok());
        }) {
    entered_.get_future().wait();
  }
  ~WriteInProgress() { Finish(); }
  void Finish() {
    if (!writer_.joinable()) return;
    release_.set_value();
    writer_.join();
  }

 private:
  std::promise<void> entered_, release_;
  std::shared_future<void> released_;
  std::thread writer_;
};

// While a use case holds the writer's lock, a read with readers goes ahead; without readers it
// waits for the write to end (the case before the pool).
TEST_F(ReaderPoolTest, AReadDoesNotWaitForAWriteInProgress) {
  for (int readers : {4, 0}) {
    SCOPED_TRACE("readers " + std::to_string(readers));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto store = storage::Store::Open(url_);
    ASSERT_TRUE(store.ok());
    domain::Municipality m = Utrecht();
    ASSERT_TRUE((*store)->Insert(m).ok());
    PlatformOptions po;
    po.readers = {url_, readers};
    Platform platform(std::move(store).value(), po);
    WriteInProgress writing(platform);
    auto read = std::async(std::launch::async, [&] { return platform.GetMunicipality(m.id); });
    auto state = read.wait_for(readers ? 5s : 300ms);
    writing.Finish();
    if (readers) {
      ASSERT_EQ(state, std::future_status::ready) << "the read waited for the write";
      EXPECT_EQ(platform.ReadersOpen(), 1);
    } else {
      EXPECT_EQ(state, std::future_status::timeout) << "without readers a read waits for the writer";
      EXPECT_EQ(platform.ReadersOpen(), 0);
    }
    auto got = read.get();
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->name, "Utrecht");
  }
}

// The engines' way to the store (service/core/engine_store.h): Read runs on a reader of the pool,
// beside a write in progress, and cannot write; Write runs on the writer's connection.
TEST_F(ReaderPoolTest, TheEnginesReadOnAReaderAndWriteOnTheWriter) {
  auto store = storage::Store::Open(url_);
  ASSERT_TRUE(store.ok());
  domain::Municipality m = Utrecht();
  ASSERT_TRUE((*store)->Insert(m).ok());
  PlatformOptions po;
  po.readers = {url_, 2};
  Platform platform(std::move(store).value(), po);
  core::EngineStore& engines = platform.engine_store();

  WriteInProgress writing(platform);
  auto read = std::async(std::launch::async, [&] {
    std::string name;
    Status s = engines.Read([&](storage::Store& st) -> Status {
      WEEFSEL_ASSIGN_OR_RETURN(auto got, st.GetMunicipality(m.id));
      name = got.name;
      return Status::Ok();
    });
    return s.ok() ? name : s.ToString();
  });
  auto state = read.wait_for(5s);
  writing.Finish();
  ASSERT_EQ(state, std::future_status::ready) << "an engine's read waited for a use case's write";
  EXPECT_EQ(read.get(), "Utrecht");

  domain::Municipality amsterdam{MunicipalityId(), "GM0363", "Amsterdam", "Noord-Holland", 900000, 0, 0};
  Status refused = engines.Read([&](storage::Store& st) { return st.Insert(amsterdam).status(); });
  EXPECT_FALSE(refused.ok()) << "a write inside Read goes to a reader, which refuses it";
  Status wrote = engines.Write([&](storage::Store& st) { return st.Insert(amsterdam).status(); });
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  auto all = platform.ListMunicipalities({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

}  // namespace
}  // namespace weefsel::service
