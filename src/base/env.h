// base/env.h: the outside world behind interfaces a test can replace: files, time and mail
// (leveldb's `Env`, ninja's `DiskInterface`).
//
// Service code that touches the world takes an Env (or the one part it needs) instead of calling
// std::filesystem, the system clock or a mail server itself. Env bundles three interfaces:
//   FileSystem  read a file, write one atomically, rename, list a directory, remove, make directories;
//   Clock       now (base/clock.h: audit timestamps, deadlines, outbox times);
//   Mailer      send one message.
// The real ones are DiskFileSystem, SystemClock and (in service/notify.h) SmtpSender; Env::Default()
// is the disk, the system clock and no mail server (NoMailer refuses every message). Their
// in-memory twins (MemFileSystem, ManualClock, Mailbox, bundled as MemEnv) are in base/mem_env.h.
// base/env_test.cc runs one contract over both file systems, so the twin behaves as the disk does
// where a test relies on it.
//
// Ownership: an Env refers to its parts, which must outlive it (it is a small value: copy it
// freely). Thread-safety: DiskFileSystem, SystemClock and NoMailer are thread-safe; an Env is as
// thread-safe as its parts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace weefsel {

// Paths are strings as the platform writes them ('/' separates parts); a relative path is relative
// to the working directory (the disk) or to the twin's root.
class FileSystem {
 public:
  // kOther: something that is neither a regular file nor a directory (a FIFO, socket or device on
  // the disk), which is never read as a file: reading a FIFO would wait for a writer forever.
  enum class Kind { kMissing, kFile, kDirectory, kOther };

  virtual ~FileSystem() = default;

  // The whole file. NotFound when nothing is there; InvalidArgument for a directory.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Replaces the file whole: the bytes go to `path + ".tmp"`, which is renamed over `path`, so a
  // reader sees the old content or the new one, never part of it. The directory must exist
  // (InvalidArgument naming the path when it does not).
  virtual Status WriteFileAtomic(const std::string& path, std::string_view content) = 0;
  // Moves a file or a directory (with all it holds) to `to`, replacing a file there (for a file) or
  // an empty directory (for a directory). NotFound when `from` is missing; Unavailable when the
  // move cannot be made (`to` is a directory that is not empty, of the other kind, or in a
  // directory that does not exist).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // The names (not paths) of what a directory holds, sorted. NotFound when it is not a directory.
  virtual Result<std::vector<std::string>> List(const std::string& dir) = 0;
  // Removes a file or an empty directory. NotFound when nothing is there; Unavailable for a
  // directory that is not empty.
  virtual Status Remove(const std::string& path) = 0;
  // Removes a file, or a directory and all it holds; OK when nothing is there.
  virtual Status RemoveAll(const std::string& path) = 0;
  // Makes a directory and the missing ones above it; OK when it exists. Unavailable when a file
  // is in the way.
  virtual Status CreateDirectories(const std::string& path) = 0;
  virtual Kind KindOf(const std::string& path) = 0;
};

// The real file system (std::filesystem). Thread-safe (as the disk is: two writers of one path race).
class DiskFileSystem final : public FileSystem {
 public:
  static DiskFileSystem& Default();

  Result<std::string> ReadFile(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view content) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Result<std::vector<std::string>> List(const std::string& dir) override;
  Status Remove(const std::string& path) override;
  Status RemoveAll(const std::string& path) override;
  Status CreateDirectories(const std::string& path) override;
  Kind KindOf(const std::string& path) override;
};

// One e-mail message: plain text, UTF-8, '\n' line ends.
struct MailMessage {
  std::string to;
  std::string to_name;
  std::string subject;
  std::string body;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Delivers one message. Unavailable when the mail server cannot be reached (try again later);
  // another error when it refuses the message. The caller keeps what failed and retries.
  virtual Status Send(const MailMessage& message) = 0;
};

// No mail server configured: every Send is Unavailable. Thread-safe.
class NoMailer final : public Mailer {
 public:
  static NoMailer& Default();
  Status Send(const MailMessage& message) override;
};

// The world a use case runs in: its files, its clock and its mail.
class Env {
 public:
  Env(FileSystem& files, const Clock& clock, Mailer& mail) : files_(&files), clock_(&clock), mail_(&mail) {}

  // The disk, the system clock, no mail server.
  static const Env& Default();

  FileSystem& files() const { return *files_; }
  const Clock& clock() const { return *clock_; }
  Mailer& mail() const { return *mail_; }

  // This Env with one part replaced.
  Env WithFiles(FileSystem& files) const { return Env(files, *clock_, *mail_); }
  Env WithClock(const Clock& clock) const { return Env(*files_, clock, *mail_); }
  Env WithMail(Mailer& mail) const { return Env(*files_, *clock_, mail); }

 private:
  FileSystem* files_;
  const Clock* clock_;
  Mailer* mail_;
};

}  // namespace weefsel
