// base/env.h's seams: one file-system contract run over the disk (a fresh temporary directory) and
// its in-memory twin, so that a test on MemFileSystem means what it would on the disk; the
// Mailbox; Env's parts.
#include "base/env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "base/mem_env.h"

namespace weefsel {
namespace {

using Kind = FileSystem::Kind;

struct DiskWorld {
  DiskWorld() {
    root = (std::filesystem::temp_directory_path() / ("weefsel_env_" + std::to_string(::getpid()) + "_" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
  }
  ~DiskWorld() { std::filesystem::remove_all(root); }
  FileSystem& files() { return DiskFileSystem::Default(); }
  std::string root;
};

struct MemWorld {
  MemWorld() { EXPECT_TRUE(mem.CreateDirectories(root).ok()); }
  FileSystem& files() { return mem; }
  MemFileSystem mem;
  std::string root = "/tmp/weefsel_env";
};

template <typename World>
class FileSystemContract : public ::testing::Test {
 protected:
  FileSystem& fs() { return world_.files(); }
  std::string At(const std::string& rel) const { return world_.root + "/" + rel; }
  std::vector<std::string> Names(const std::string& rel) {
    auto names = fs().List(rel.empty() ? world_.root : At(rel));
    EXPECT_TRUE(names.ok()) << names.status().ToString();
    return names.ok() ? *names : std::vector<std::string>{};
  }
  World world_;
};

using Worlds = ::testing::Types<DiskWorld, MemWorld>;
TYPED_TEST_SUITE(FileSystemContract, Worlds);

TYPED_TEST(FileSystemContract, WritesReadsAndReplacesAFileWhole) {
  auto& fs = this->fs();
  EXPECT_EQ(fs.ReadFile(this->At("a.txt")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs.KindOf(this->At("a.txt")), Kind::kMissing);
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("a.txt"), "eerste\n").ok());
  EXPECT_EQ(fs.KindOf(this->At("a.txt")), Kind::kFile);
  EXPECT_EQ(*fs.ReadFile(this->At("a.txt")), "eerste\n");
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("a.txt"), std::string("tw\0ee", 5)).ok());
  EXPECT_EQ(*fs.ReadFile(this->At("a.txt")), std::string("tw\0ee", 5)) << "bytes, not C strings";
  EXPECT_EQ(this->Names(""), std::vector<std::string>{"a.txt"}) << "no temporary file is left";
  // A directory is not a file; a file needs its directory.
  EXPECT_EQ(fs.ReadFile(this->world_.root).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(fs.WriteFileAtomic(this->At("nergens/b.txt"), "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(fs.KindOf(this->At("nergens/b.txt")), Kind::kMissing);
}

TYPED_TEST(FileSystemContract, MakesDirectoriesAndListsThemSorted) {
  auto& fs = this->fs();
  ASSERT_TRUE(fs.CreateDirectories(this->At("x/y/z")).ok());
  ASSERT_TRUE(fs.CreateDirectories(this->At("x/y")).ok()) << "an existing directory is fine";
  EXPECT_EQ(fs.KindOf(this->At("x/y")), Kind::kDirectory);
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("x/b.csv"), "b").ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("x/a.csv"), "a").ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("x/y/z/diep.txt"), "d").ok());
  EXPECT_EQ(this->Names("x"), (std::vector<std::string>{"a.csv", "b.csv", "y"})) << "names only, one level";
  EXPECT_EQ(this->Names("x/y/z"), std::vector<std::string>{"diep.txt"});
  EXPECT_EQ(fs.List(this->At("x/a.csv")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs.List(this->At("geen")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs.CreateDirectories(this->At("x/a.csv/sub")).code(), StatusCode::kUnavailable) << "a file is in the way";
  EXPECT_EQ(*fs.ReadFile(this->At("x/./y/../a.csv")), "a") << "paths are read as the disk reads them";
}

TYPED_TEST(FileSystemContract, RenamesFilesAndWholeDirectories) {
  auto& fs = this->fs();
  ASSERT_TRUE(fs.CreateDirectories(this->At("staging/rounds")).ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("staging/datapackage.json"), "{}").ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("staging/rounds/round-1.pb"), "META").ok());
  ASSERT_TRUE(fs.CreateDirectories(this->At("target")).ok());
  // A directory replaces an empty one, and takes all it holds along.
  ASSERT_TRUE(fs.Rename(this->At("staging"), this->At("target")).ok());
  EXPECT_EQ(fs.KindOf(this->At("staging")), Kind::kMissing);
  EXPECT_EQ(*fs.ReadFile(this->At("target/rounds/round-1.pb")), "META");
  EXPECT_EQ(this->Names("target"), (std::vector<std::string>{"datapackage.json", "rounds"}));
  // A file replaces a file.
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("new.txt"), "nieuw").ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("old.txt"), "oud").ok());
  ASSERT_TRUE(fs.Rename(this->At("new.txt"), this->At("old.txt")).ok());
  EXPECT_EQ(*fs.ReadFile(this->At("old.txt")), "nieuw");
  EXPECT_EQ(fs.KindOf(this->At("new.txt")), Kind::kMissing);
  // What cannot be moved: nothing, onto a directory that holds something, into a missing directory.
  EXPECT_EQ(fs.Rename(this->At("weg"), this->At("elders")).code(), StatusCode::kNotFound);
  ASSERT_TRUE(fs.CreateDirectories(this->At("other")).ok());
  EXPECT_EQ(fs.Rename(this->At("other"), this->At("target")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(fs.Rename(this->At("old.txt"), this->At("geen/map/old.txt")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(fs.Rename(this->At("old.txt"), this->At("other")).code(), StatusCode::kUnavailable);
  EXPECT_EQ(*fs.ReadFile(this->At("old.txt")), "nieuw") << "a failed move leaves the file";
}

TYPED_TEST(FileSystemContract, RemovesFilesEmptyDirectoriesAndWholeTrees) {
  auto& fs = this->fs();
  ASSERT_TRUE(fs.CreateDirectories(this->At("tree/branch")).ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("tree/branch/leaf"), "l").ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("tree-sibling"), "s").ok());
  EXPECT_EQ(fs.Remove(this->At("tree")).code(), StatusCode::kUnavailable) << "not empty";
  EXPECT_EQ(fs.Remove(this->At("geen")).code(), StatusCode::kNotFound);
  ASSERT_TRUE(fs.Remove(this->At("tree/branch/leaf")).ok());
  ASSERT_TRUE(fs.Remove(this->At("tree/branch")).ok());
  EXPECT_EQ(this->Names("tree"), std::vector<std::string>{});
  ASSERT_TRUE(fs.CreateDirectories(this->At("tree/a/b")).ok());
  ASSERT_TRUE(fs.WriteFileAtomic(this->At("tree/a/b/c"), "c").ok());
  ASSERT_TRUE(fs.RemoveAll(this->At("tree")).ok());
  EXPECT_EQ(fs.KindOf(this->At("tree")), Kind::kMissing);
  EXPECT_EQ(fs.KindOf(this->At("tree/a/b/c")), Kind::kMissing);
  EXPECT_EQ(*fs.ReadFile(this->At("tree-sibling")), "s") << "a name that only begins the same stays";
  EXPECT_TRUE(fs.RemoveAll(this->At("tree")).ok()) << "nothing to remove is fine";
}

// A FIFO (or socket, or device) is neither a file nor a directory: never read, since reading a
// FIFO waits for a writer forever (a static asset or an import could otherwise hang a thread).
TEST(DiskFileSystemTest, AFifoIsNotAFileAndIsNotRead) {
  DiskWorld world;
  const std::string fifo = world.root + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  FileSystem& files = world.files();
  EXPECT_EQ(files.KindOf(fifo), FileSystem::Kind::kOther);
  auto read = files.ReadFile(fifo);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument) << read.status().ToString();
}

TEST(MemFileSystemTest, TakesTheFilesOfADirectoryByRelativePath) {
  MemFileSystem fs;
  ASSERT_TRUE(fs.CreateDirectories("/out/rounds").ok());
  ASSERT_TRUE(fs.CreateDirectories("rel").ok());
  ASSERT_TRUE(fs.WriteFileAtomic("/out/a.csv", "a").ok());
  ASSERT_TRUE(fs.WriteFileAtomic("/out/rounds/round-2.pb", "pb").ok());
  ASSERT_TRUE(fs.WriteFileAtomic("/elders.txt", "e").ok());
  ASSERT_TRUE(fs.WriteFileAtomic("rel/r.txt", "r").ok());
  EXPECT_EQ(fs.FileCount(), 4u);
  auto taken = fs.TakeFiles("/out");
  EXPECT_EQ(taken, (std::map<std::string, std::string>{{"a.csv", "a"}, {"rounds/round-2.pb", "pb"}}));
  EXPECT_EQ(fs.FileCount(), 2u) << "taken files are gone";
  EXPECT_EQ(fs.TakeFiles("."), (std::map<std::string, std::string>{{"rel/r.txt", "r"}}));
  EXPECT_EQ(*fs.ReadFile("/elders.txt"), "e");
}

TEST(MailboxTest, RecordsWhatIsSentAndRefusesANamedAddress) {
  Mailbox box;
  ASSERT_TRUE(box.Send({"anna@voorbeeld.nl", "Anna", "Onderwerp", "Tekst\n"}).ok());
  box.Refuse("ben@example.org", "mailbox full");
  Status refused = box.Send({"ben@example.org", "Ben", "Subject", "Text\n"});
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.message().find("mailbox full"), std::string::npos);
  box.Accept("ben@example.org");
  ASSERT_TRUE(box.Send({"ben@example.org", "Ben", "Subject", "Text\n"}).ok());
  ASSERT_EQ(box.messages().size(), 2u);
  EXPECT_EQ(box.messages()[0].subject, "Onderwerp");
  EXPECT_EQ(box.messages()[1].to, "ben@example.org");
  EXPECT_EQ(box.attempts(), 3);
}

TEST(EnvTest, TheDefaultIsTheDiskTheSystemClockAndNoMailServer) {
  const Env& env = Env::Default();
  EXPECT_EQ(&env.files(), &DiskFileSystem::Default());
  EXPECT_EQ(&env.clock(), &SystemClock::Default());
  EXPECT_EQ(env.mail().Send({"a@b.nl", "", "s", "b"}).code(), StatusCode::kUnavailable);
}

TEST(EnvTest, AMemEnvGivesItsOwnPartsAndOnePartCanBeReplaced) {
  MemEnv mem(*ParseTimestamp("2026-11-18T09:46:40Z"));
  EXPECT_EQ(FormatTimestamp(mem.env().clock().Now()), "2026-11-18T09:46:40Z");
  mem.clock().Advance(std::chrono::hours(24));
  EXPECT_EQ(FormatDate(mem.env().clock().Now()), "2026-11-19") << "the Env reads the clock the test sets";
  ASSERT_TRUE(mem.env().files().WriteFileAtomic("/x", "y").ok());
  EXPECT_EQ(*mem.files().ReadFile("/x"), "y");
  ASSERT_TRUE(mem.env().mail().Send({"a@b.nl", "", "s", "b"}).ok());
  EXPECT_EQ(mem.mail().messages().size(), 1u);
  Env mixed = Env::Default().WithClock(mem.clock());
  EXPECT_EQ(&mixed.files(), &DiskFileSystem::Default());
  EXPECT_EQ(&mixed.clock(), &mem.clock());
}

}  // namespace
}  // namespace weefsel
