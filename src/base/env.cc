#include "base/env.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "base/csv.h"

namespace weefsel {

namespace {

namespace fs = std::filesystem;

Status Failed(const std::string& path, const std::string& what, const std::error_code& ec) {
  return Status::Unavailable(path + ": " + what + " (" + ec.message() + ")");
}

}  // namespace

DiskFileSystem& DiskFileSystem::Default() {
  static DiskFileSystem files;
  return files;
}

Result<std::string> DiskFileSystem::ReadFile(const std::string& path) {
  if (KindOf(path) == Kind::kOther)
    return Status::InvalidArgument(path + ": not a regular file (a FIFO, socket or device is not read)");
  return weefsel::ReadFile(path);
}

Status DiskFileSystem::WriteFileAtomic(const std::string& path, std::string_view content) {
  return weefsel::WriteFileAtomic(path, content);
}

Status DiskFileSystem::Rename(const std::string& from, const std::string& to) {
  if (KindOf(from) == Kind::kMissing) return Status::NotFound(from + ": no such file or directory");
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) return Failed(from, "cannot be moved to " + to, ec);
  return Status::Ok();
}

Result<std::vector<std::string>> DiskFileSystem::List(const std::string& dir) {
  if (KindOf(dir) != Kind::kDirectory) return Status::NotFound(dir + ": no such directory");
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (ec) return Failed(dir, "cannot be listed", ec);
  std::sort(names.begin(), names.end());
  return names;
}

Status DiskFileSystem::Remove(const std::string& path) {
  if (KindOf(path) == Kind::kMissing) return Status::NotFound(path + ": no such file or directory");
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return Failed(path, "cannot be removed", ec);
  return Status::Ok();
}

Status DiskFileSystem::RemoveAll(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Failed(path, "cannot be removed", ec);
  return Status::Ok();
}

Status DiskFileSystem::CreateDirectories(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Failed(path, "cannot create directory", ec);
  if (KindOf(path) != Kind::kDirectory)
    return Status::Unavailable(path + ": cannot create directory (a file is there)");
  return Status::Ok();
}

FileSystem::Kind DiskFileSystem::KindOf(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Kind::kMissing;
  if (fs::is_directory(st)) return Kind::kDirectory;
  return fs::is_regular_file(st) ? Kind::kFile : Kind::kOther;
}

NoMailer& NoMailer::Default() {
  static NoMailer mailer;
  return mailer;
}

Status NoMailer::Send(const MailMessage& message) {
  return Status::Unavailable("mail to " + message.to + ": no mail server configured");
}

const Env& Env::Default() {
  static const Env env(DiskFileSystem::Default(), SystemClock::Default(), NoMailer::Default());
  return env;
}

}  // namespace weefsel
