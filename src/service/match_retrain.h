// service/match_retrain.h: the server retrains the matcher's learned stage on its own outcomes.
//
// `weefsel serve --match-model PATH --match-retrain-days N` keeps the learned stage (match/learned.h)
// fresh: every N days, off the request path (on a thread of its own, base/periodic.h), it trains a
// model on the store's outcomes (TrainMatchModel: invitations accepted and declined, coalitions
// formed, proposals funded), writes it as a versioned file beside the old ones,
// PATH.<UTC time, 20261206T161500Z>, then replaces PATH with it (both writes atomic: a reader sees
// the old file or the new one, never half of one; a restarted server loads PATH, the newest), swaps
// it into the MatchService and says so. With too few outcomes nothing is written and the matches
// keep the model they had (or the linear score). When a retrain is due is decided from the newest
// versioned file's time, so a restart does not retrain at once; with none, or when PATH did not load
// (MatchRetrainOptions::due_now), the first check trains.
// The training ranks with the matcher the MatchService serves (MatchService::Snapshot), not a second
// one built for it (on the national demo a whole matcher is gigabytes and seconds), on a thread
// running BuildWorker::kNice levels below the server (base/thread_priority.h). Of the versioned
// files the newest `keep` stay; older ones are removed after a successful retrain. The files and the
// clock are the Env's (base/env.h): the disk and the system clock in the server, twins in tests.
//
// Ownership: borrows the Platform and the MatchService (both outlive it). Thread-safety: RunIfDue is
// not reentrant; call it from one thread (the Periodic's).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "base/clock.h"
#include "base/env.h"
#include "base/status.h"
#include "match/outcomes.h"
#include "service/matches.h"
#include "service/platform.h"

namespace weefsel::service {

struct MatchRetrainOptions {
  std::string model_path;                                    // PATH (see above)
  std::chrono::seconds every = std::chrono::hours(24 * 30);  // how old the newest model may get
  match::OutcomeTrainingOptions training;                    // minimum outcomes and challenges, the learner
  int keep = 12;                                             // versioned files kept, the newest (>= 1)
  // Train at the first check whatever the newest file's time: the server sets it when PATH did not
  // load (a model of another matcher's features, after an upgrade that added one; a damaged
  // file), so that the matches do not stay on the linear score until the interval has passed.
  bool due_now = false;
};

class MatchRetrainer {
 public:
  // The model files are read and written through env.files(); env.clock() says when a retrain is due.
  MatchRetrainer(Platform& platform, MatchService& matches, MatchRetrainOptions options,
                 const Env& env = Env::Default());
  // Env::Default() with this clock.
  MatchRetrainer(Platform& platform, MatchService& matches, MatchRetrainOptions options, const Clock& clock)
      : MatchRetrainer(platform, matches, std::move(options), Env::Default().WithClock(clock)) {}

  // Retrains when due. The message says what happened ("" when not due): "match model PATH.<time>
  // trained on ... and swapped in", or why not ("too few outcomes ...; matches keep ..."). An error
  // only when the store cannot be read or the files cannot be written (then the old model stays).
  Result<std::string> RunIfDue();

  // The time of the newest versioned model file (nullopt: none yet).
  std::optional<TimePoint> last_trained() const { return last_; }

  // The versioned file name for a model trained at `t`: PATH.20261206T161500Z.
  static std::string VersionedPath(const std::string& path, TimePoint t);

 private:
  Platform& platform_;
  MatchService& matches_;
  MatchRetrainOptions options_;
  Env env_;
  const Clock& clock_;                     // env_.clock()
  std::optional<TimePoint> last_;          // the newest versioned model's time
  std::optional<TimePoint> last_attempt_;  // a failed try (too few outcomes) waits a day
  bool niced_ = false;                     // the calling thread runs kNice below the server
};

}  // namespace weefsel::service
