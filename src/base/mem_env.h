// base/mem_env.h: the in-memory twins of base/env.h's world, for tests and for work that needs a
// file system but no disk (leveldb's helpers/memenv, ninja's VirtualFileSystem).
//
// MemFileSystem keeps files and directories in a map: the same contract as DiskFileSystem
// (base/env_test.cc runs one suite over both), with "/" and "." always there as directories.
// Mailbox records the messages sent to it, and refuses those to an address a test names (to try a
// retry). MemEnv owns one of each with a ManualClock (base/clock.h) and gives them as an Env.
//
// Ownership: MemEnv owns its parts; its env() refers to them (keep the MemEnv alive while the Env
// is used). Thread-safety: MemFileSystem and Mailbox are thread-safe (one mutex each); ManualClock
// is not (set it while nothing reads it).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/env.h"
#include "base/status.h"

namespace weefsel {

class MemFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view content) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Result<std::vector<std::string>> List(const std::string& dir) override;
  Status Remove(const std::string& path) override;
  Status RemoveAll(const std::string& path) override;
  Status CreateDirectories(const std::string& path) override;
  Kind KindOf(const std::string& path) override;

  // Every file under `dir` (a directory; "/" or "." for all) by its path relative to `dir`, its
  // bytes moved out: those files are gone from the file system afterwards.
  std::map<std::string, std::string> TakeFiles(const std::string& dir);
  // How many files it holds.
  size_t FileCount() const;

 private:
  struct Node {
    bool dir = false;
    std::string bytes;
  };
  Kind KindLocked(const std::string& path) const;

  mutable std::mutex mu_;
  std::map<std::string, Node> nodes_;  // by normal path (no "." or ".." parts, no trailing '/')
};

class Mailbox final : public Mailer {
 public:
  // Records the message, or refuses it (Unavailable with the reason Refuse gave) when its address
  // is refused.
  Status Send(const MailMessage& message) override;
  // Messages to `address` are refused, and not recorded, until Accept(address).
  void Refuse(const std::string& address, const std::string& reason);
  void Accept(const std::string& address);
  // The messages delivered, in the order they were sent.
  std::vector<MailMessage> messages() const;
  // How many sends were tried, refused ones included.
  int attempts() const;

 private:
  mutable std::mutex mu_;
  std::vector<MailMessage> messages_;
  std::map<std::string, std::string> refused_;  // address -> reason
  int attempts_ = 0;
};

// An Env whose files, clock and mail are all in memory. Not copyable (its env() points into it).
class MemEnv {
 public:
  explicit MemEnv(TimePoint now) : clock_(now), env_(files_, clock_, mail_) {}
  MemEnv(const MemEnv&) = delete;
  MemEnv& operator=(const MemEnv&) = delete;

  MemFileSystem& files() { return files_; }
  ManualClock& clock() { return clock_; }
  Mailbox& mail() { return mail_; }
  const Env& env() const { return env_; }

 private:
  MemFileSystem files_;
  ManualClock clock_;
  Mailbox mail_;
  Env env_;
};

}  // namespace weefsel
