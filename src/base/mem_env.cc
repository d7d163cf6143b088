#include "base/mem_env.h"

#include <algorithm>
#include <filesystem>
#include <utility>

namespace weefsel {

namespace {

// "a/./b/../c/" -> "a/c"; "" -> "."; "/" stays "/".
std::string Normal(const std::string& path) {
  std::string s = std::filesystem::path(path).lexically_normal().generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "." : s;
}

bool IsRoot(const std::string& p) { return p == "/" || p == "."; }

std::string Parent(const std::string& p) {
  std::string s = std::filesystem::path(p).parent_path().generic_string();
  return s.empty() ? "." : s;
}

std::string NameOf(const std::string& p) { return std::filesystem::path(p).filename().string(); }

// Whether `p` lies inside directory `dir` (not `dir` itself).
bool IsUnder(const std::string& p, const std::string& dir) {
  if (dir == ".") return p != "." && p[0] != '/';
  if (dir == "/") return p != "/" && p[0] == '/';
  return p.size() > dir.size() + 1 && p.compare(0, dir.size(), dir) == 0 && p[dir.size()] == '/';
}

}  // namespace

FileSystem::Kind MemFileSystem::KindLocked(const std::string& p) const {
  if (IsRoot(p)) return Kind::kDirectory;
  auto it = nodes_.find(p);
  if (it == nodes_.end()) return Kind::kMissing;
  return it->second.dir ? Kind::kDirectory : Kind::kFile;
}

FileSystem::Kind MemFileSystem::KindOf(const std::string& path) {
  std::lock_guard lock(mu_);
  return KindLocked(Normal(path));
}

Result<std::string> MemFileSystem::ReadFile(const std::string& path) {
  std::lock_guard lock(mu_);
  const std::string p = Normal(path);
  switch (KindLocked(p)) {
    case Kind::kMissing:
      return Status::NotFound(path + ": no such file");
    case Kind::kDirectory:
      return Status::InvalidArgument(path + ": is a directory, expected a file");
    case Kind::kOther:  // never made in memory
      return Status::InvalidArgument(path + ": not a regular file");
    case Kind::kFile:
      break;
  }
  return nodes_.at(p).bytes;
}

Status MemFileSystem::WriteFileAtomic(const std::string& path, std::string_view content) {
  std::lock_guard lock(mu_);
  const std::string p = Normal(path);
  if (KindLocked(Parent(p)) != Kind::kDirectory)
    return Status::InvalidArgument(path + ": cannot be written (No such file or directory)");
  if (KindLocked(p) == Kind::kDirectory) return Status::Unavailable(path + ": rename failed (Is a directory)");
  nodes_[p] = Node{false, std::string(content)};
  return Status::Ok();
}

Status MemFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  const std::string f = Normal(from), t = Normal(to);
  const Kind kf = KindLocked(f), kt = KindLocked(t);
  if (kf == Kind::kMissing) return Status::NotFound(from + ": no such file or directory");
  auto cannot = [&](const char* why) {
    return Status::Unavailable(from + ": cannot be moved to " + to + " (" + why + ")");
  };
  if (f == t) return Status::Ok();
  if (IsRoot(f) || IsRoot(t)) return cannot("Device or resource busy");
  if (KindLocked(Parent(t)) != Kind::kDirectory) return cannot("No such file or directory");
  if (kf == Kind::kFile) {
    if (kt == Kind::kDirectory) return cannot("Is a directory");
    nodes_[t] = std::move(nodes_.at(f));
    nodes_.erase(f);
    return Status::Ok();
  }
  if (kt == Kind::kFile) return cannot("Not a directory");
  if (IsUnder(t, f)) return cannot("Invalid argument");
  for (const auto& [p, n] : nodes_)
    if (IsUnder(p, t)) return cannot("Directory not empty");
  std::map<std::string, Node> moved;
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (it->first == f || IsUnder(it->first, f)) {
      moved[t + it->first.substr(f.size())] = std::move(it->second);
      it = nodes_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [p, n] : moved) nodes_[p] = std::move(n);
  return Status::Ok();
}

Result<std::vector<std::string>> MemFileSystem::List(const std::string& dir) {
  std::lock_guard lock(mu_);
  const std::string d = Normal(dir);
  if (KindLocked(d) != Kind::kDirectory) return Status::NotFound(dir + ": no such directory");
  std::vector<std::string> names;  // the map's order is the names' order within one directory
  for (const auto& [p, n] : nodes_)
    if (IsUnder(p, d) && Parent(p) == d) names.push_back(NameOf(p));
  std::sort(names.begin(), names.end());
  return names;
}

Status MemFileSystem::Remove(const std::string& path) {
  std::lock_guard lock(mu_);
  const std::string p = Normal(path);
  const Kind k = KindLocked(p);
  if (k == Kind::kMissing) return Status::NotFound(path + ": no such file or directory");
  if (IsRoot(p)) return Status::Unavailable(path + ": cannot be removed (Device or resource busy)");
  if (k == Kind::kDirectory)
    for (const auto& [q, n] : nodes_)
      if (IsUnder(q, p)) return Status::Unavailable(path + ": cannot be removed (Directory not empty)");
  nodes_.erase(p);
  return Status::Ok();
}

Status MemFileSystem::RemoveAll(const std::string& path) {
  std::lock_guard lock(mu_);
  const std::string p = Normal(path);
  for (auto it = nodes_.begin(); it != nodes_.end();)
    it = it->first == p || IsUnder(it->first, p) ? nodes_.erase(it) : std::next(it);
  return Status::Ok();
}

Status MemFileSystem::CreateDirectories(const std::string& path) {
  std::lock_guard lock(mu_);
  std::vector<std::string> missing;
  for (std::string p = Normal(path);; p = Parent(p)) {
    const Kind k = KindLocked(p);
    if (k == Kind::kFile) return Status::Unavailable(path + ": cannot create directory (a file is there)");
    if (k == Kind::kDirectory) break;
    missing.push_back(p);
  }
  for (const auto& p : missing) nodes_[p] = Node{true, {}};
  return Status::Ok();
}

std::map<std::string, std::string> MemFileSystem::TakeFiles(const std::string& dir) {
  std::lock_guard lock(mu_);
  const std::string d = Normal(dir);
  std::map<std::string, std::string> out;
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (!it->second.dir && IsUnder(it->first, d)) {
      out[d == "." ? it->first : it->first.substr(d == "/" ? 1 : d.size() + 1)] = std::move(it->second.bytes);
      it = nodes_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

size_t MemFileSystem::FileCount() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [p, node] : nodes_) n += node.dir ? 0 : 1;
  return n;
}

Status Mailbox::Send(const MailMessage& message) {
  std::lock_guard lock(mu_);
  ++attempts_;
  if (auto it = refused_.find(message.to); it != refused_.end())
    return Status::Unavailable("mail to " + message.to + ": " + it->second);
  messages_.push_back(message);
  return Status::Ok();
}

void Mailbox::Refuse(const std::string& address, const std::string& reason) {
  std::lock_guard lock(mu_);
  refused_[address] = reason;
}

void Mailbox::Accept(const std::string& address) {
  std::lock_guard lock(mu_);
  refused_.erase(address);
}

std::vector<MailMessage> Mailbox::messages() const {
  std::lock_guard lock(mu_);
  return messages_;
}

int Mailbox::attempts() const {
  std::lock_guard lock(mu_);
  return attempts_;
}

}  // namespace weefsel
