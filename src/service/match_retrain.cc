#include "service/match_retrain.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include "base/thread_priority.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

// "2026-12-06T16:15:00Z" <-> "20261206T161500Z" (no ':' in file names).
std::string CompactStamp(TimePoint t) {
  std::string s = FormatTimestamp(t);
  std::erase_if(s, [](char c) { return c == '-' || c == ':'; });
  return s;
}

std::optional<TimePoint> ParseCompactStamp(const std::string& s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  return ParseTimestamp(s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" + s.substr(9, 2) + ":" +
                        s.substr(11, 2) + ":" + s.substr(13, 2) + "Z");
}

// The PATH.<stamp> files beside PATH with their times, newest first.
std::vector<std::pair<TimePoint, std::string>> Versions(FileSystem& files, const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const std::string prefix = p.filename().string() + ".";
  std::vector<std::pair<TimePoint, std::string>> versions;
  auto names = files.List(dir.string());
  for (const std::string& name : names.ok() ? *names : std::vector<std::string>{}) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (auto t = ParseCompactStamp(name.substr(prefix.size()))) versions.emplace_back(*t, (dir / name).string());
  }
  std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  return versions;
}

// The time of the newest PATH.<stamp> file (nullopt: none).
std::optional<TimePoint> NewestVersion(FileSystem& files, const std::string& path) {
  auto versions = Versions(files, path);
  if (versions.empty()) return std::nullopt;
  return versions.front().first;
}

// Removes the versioned files after the newest `keep`; says how many went (a file that cannot be
// removed stays, and the next retrain tries again).
int Prune(FileSystem& files, const std::string& path, int keep) {
  int removed = 0;
  auto versions = Versions(files, path);
  for (size_t k = static_cast<size_t>(std::max(1, keep)); k < versions.size(); ++k)
    removed += files.Remove(versions[k].second).ok() ? 1 : 0;
  return removed;
}

}  // namespace

std::string MatchRetrainer::VersionedPath(const std::string& path, TimePoint t) { return path + "." + CompactStamp(t); }

MatchRetrainer::MatchRetrainer(Platform& platform, MatchService& matches, MatchRetrainOptions options, const Env& env)
    : platform_(platform),
      matches_(matches),
      options_(std::move(options)),
      env_(env),
      clock_(env_.clock()),
      last_(NewestVersion(env_.files(), options_.model_path)) {}

Result<std::string> MatchRetrainer::RunIfDue() {
  const TimePoint now = clock_.Now();
  if (last_ && now - *last_ < options_.every && !options_.due_now) return std::string();
  // After too few outcomes, try again a day later (or after `every`, when shorter).
  const auto retry = std::min<std::chrono::seconds>(options_.every, std::chrono::hours(24));
  if (last_attempt_ && now - *last_attempt_ < retry) return std::string();
  last_attempt_ = now;
  if (!niced_) niced_ = LowerThreadPriority(BuildWorker::kNice);
  std::vector<match::LabelledChallenge> labelled;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read([&](storage::Store& store) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(labelled, ReadLabelledChallenges(store));
    return Status::Ok();
  }));
  // The matcher the matches are served from (built first when there is none yet); Rank takes its
  // lock shared, so requests and in-place updates go on meanwhile.
  WEEFSEL_ASSIGN_OR_RETURN(Stamped<match::Matcher> matcher, matches_.Snapshot());
  std::optional<Result<match::TrainedModel>> trained;
  trained.emplace(match::TrainOnOutcomes(*matcher.value, labelled, options_.training));
  if (!trained->ok()) {
    if (trained->status().code() != StatusCode::kFailedPrecondition) return trained->status();
    return "match model not retrained: " + trained->status().message() +
           (matches_.model() ? "; the matches keep the model they have" : "; the matches keep the linear score");
  }
  match::TrainedModel& t = trained->value();
  const std::string versioned = VersionedPath(options_.model_path, now);
  WEEFSEL_ASSIGN_OR_RETURN(const std::string content, t.model.FileContent());
  WEEFSEL_RETURN_IF_ERROR(env_.files().WriteFileAtomic(versioned, content));
  WEEFSEL_RETURN_IF_ERROR(env_.files().WriteFileAtomic(options_.model_path, content));
  matches_.SetModel(std::make_shared<const match::LearnedRanker>(std::move(t.model)));
  last_ = now;
  options_.due_now = false;
  const int removed = Prune(env_.files(), options_.model_path, options_.keep);
  return "match model " + versioned + " trained on " + std::to_string(t.report.outcomes) +
         " invitations accepted or declined on " + std::to_string(t.report.challenges) + " challenges (" +
         std::to_string(t.report.rows) + " candidates), written to " + options_.model_path +
         " and swapped in: the matches are re-scored by it" +
         (removed ? "; " + std::to_string(removed) + " older model file" + (removed > 1 ? "s" : "") + " removed" : "");
}

}  // namespace weefsel::service
