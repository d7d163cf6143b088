// service/published.h: heavy results built off the request path and published by a swap.
//
// BuildWorker: one thread that runs posted jobs in order, at a lower CPU priority than the
// request threads (kNice). A job someone waits for is urgent: it runs before every job queued
// only to warm a result up (after a start, 342 municipalities' fabric reports), so that the first
// visitor of a small town's fabric page does not wait for every other municipality's. Everything that calls igraph (the
// fabric report, layout, weave and health) shares one such worker, as igraph's global state requires; the matcher and
// the fund engine have their own (service/engines.h, Engines).
//
// Published<Key, T>: per key, the latest value a build produced and the data version it was read
// at (`as_of`). Get(key, version, build):
//   - the value, fresh, when its as_of is at least `version`;
//   - otherwise it queues one build of the key on the worker, urgent (none when one is queued or
//     running: one build per key at a time, and no lock held across builds; a build queued by Warm
//     and not yet started is moved up to the urgent ones) and waits for it at most the
//     `wait` given at construction, counted from when that build was queued (nullopt: until it
//     ends). When the wait runs out and a previous value exists, that value is served, marked
//     stale, while the build goes on: during a long rebuild, later requests are answered at once.
//     The next Get after it finishes finds the new value. With no previous value, Get waits for the
//     first build at most the `first_wait` given at construction (nullopt: until it ends), counted
//     from the request; when it runs out, the answer is Unavailable with the reason `building`
//     (what, retry_after: the mean time of this kind's builds so far, in whole seconds, 1 to 60),
//     and the build goes on: a request for a result nobody has built yet holds its thread for
//     `first_wait` at most, not for the build (and for every build queued before it).
//   - A build that fails (or throws) publishes nothing: the previous value stays served (stale) and
//     its error is kept for Errors() (the /readyz report) and logged by the caller; the next Get
//     tries again. Nothing half-built is ever served: a value is published whole or not at all.
// The build reads its own version first, then its data, so as_of never claims more than was read.
//
// Ownership: a Published borrows its BuildWorker; stop the worker (BuildWorker::Stop) before the
// Published and whatever its builds use are destroyed. Thread-safety: all methods thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/status.h"

namespace weefsel::service {

class BuildWorker {
 public:
  // A job learns whether it may run (false: the worker stops before it ran; release waiters).
  using Job = std::function<void(bool run)>;

  // `nice`: how much nicer than the process its thread runs (0: as the requests; see kNice).
  explicit BuildWorker(std::string name, int nice = kNice);
  ~BuildWorker();  // Stop()
  BuildWorker(const BuildWorker&) = delete;
  BuildWorker& operator=(const BuildWorker&) = delete;

  const std::string& name() const { return name_; }
  // Queues the job, after the other urgent ones when `urgent` (before every job that is not);
  // false (and the job dropped) once the worker stops.
  bool Post(Job job, bool urgent = false);
  // Lets the running job end, tells the queued ones they will not run, joins the thread. Later
  // posts are refused. Idempotent.
  void Stop();
  // Jobs run so far (tests, metrics).
  int64_t runs() const;
  // How much nicer than the process the worker's thread runs (Linux per-thread nice): builds yield
  // the cores to the threads that answer requests.
  static constexpr int kNice = 10;

 private:
  void Loop();

  std::string name_;
  const int nice_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> urgent_, queue_;
  bool stopping_ = false;
  int64_t runs_ = 0;
  std::thread thread_;
};

// A value with the version it was built at; stale when the data have moved on since.
template <typename T>
struct Stamped {
  std::shared_ptr<const T> value;
  int64_t as_of = -1;
  bool stale = false;
};

// What a build returns: the version it read first, and the value built from what it read then.
template <typename T>
struct Built {
  int64_t as_of = -1;
  std::shared_ptr<const T> value;
};

template <typename Key, typename T>
class Published {
 public:
  // The build gets the previous value (nullptr at first) to reuse what did not change.
  using Build = std::function<Result<Built<T>>(const std::shared_ptr<const T>& previous)>;

  Published(BuildWorker& worker, std::string what, std::optional<std::chrono::milliseconds> wait,
            std::optional<std::chrono::milliseconds> first_wait = std::nullopt)
      : worker_(worker), what_(std::move(what)), wait_(wait), first_wait_(first_wait) {}

  Result<Stamped<T>> Get(const Key& key, int64_t version, Build build) {
    std::unique_lock lock(mu_);
    auto& slot = slots_[key];
    if (!slot) slot = std::make_shared<Slot>();
    std::shared_ptr<Slot> s = slot;  // stays alive for the job even if the map is cleared
    if (s->value && s->as_of >= version) return Stamped<T>{s->value, s->as_of, false};
    // A build already under way may have read older data than `version`: without a wait limit,
    // build again until the value is fresh or a build fails.
    const auto arrived = std::chrono::steady_clock::now();
    for (;;) {
      const int64_t ended = s->ended;
      Queue(s, build, /*urgent=*/true);
      auto done = [&] { return s->ended != ended; };
      if (s->value && wait_) {
        cv_.wait_until(lock, s->started + *wait_, done);
      } else if (!s->value && first_wait_) {
        cv_.wait_until(lock, arrived + *first_wait_, done);
      } else {
        cv_.wait(lock, done);
      }
      if (s->value && s->as_of >= version) return Stamped<T>{s->value, s->as_of, false};
      if (!s->value && first_wait_ && s->building) return Building();
      if (wait_ || !s->error.ok()) break;
    }
    if (s->value) return Stamped<T>{s->value, s->as_of, true};
    return s->error.ok() ? Status::Unavailable(what_ + ": not built yet") : s->error;
  }

  // Queues a build of `key` when its value is older than `version` (or missing) and none is under
  // way; returns at once (to warm up after a start).
  void Warm(const Key& key, int64_t version, Build build) {
    std::lock_guard lock(mu_);
    auto& slot = slots_[key];
    if (!slot) slot = std::make_shared<Slot>();
    if (slot->value && slot->as_of >= version) return;
    Queue(slot, std::move(build), /*urgent=*/false);
  }

  // The value of `key` as it is, without building (nullptr value when none).
  Stamped<T> Peek(const Key& key) const {
    std::lock_guard lock(mu_);
    auto it = slots_.find(key);
    if (it == slots_.end() || !it->second->value) return {};
    return {it->second->value, it->second->as_of, false};
  }

  // "what key: error" for each key whose last build failed.
  std::vector<std::string> Errors(const std::function<std::string(const Key&)>& name) const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [k, s] : slots_)
      if (!s->error.ok()) out.push_back(what_ + " " + name(k) + ": " + s->error.message());
    return out;
  }

  // Builds run so far for this kind of result (tests, metrics).
  int64_t builds() const {
    std::lock_guard lock(mu_);
    return builds_;
  }

  // Keys with a build queued or running and no value yet (after a start: the warming still to do).
  int64_t Unbuilt() const {
    std::lock_guard lock(mu_);
    int64_t n = 0;
    for (const auto& [k, s] : slots_) n += s->building && !s->value;
    return n;
  }

 private:
  struct Slot {
    std::shared_ptr<const T> value;
    int64_t as_of = -1;
    bool building = false;                          // a build is queued or running
    bool running = false;                           // ... and has started
    bool urgent = false;                            // ... and is (also) in the urgent queue
    int64_t ticket = 0;                             // of the build queued last; a job of an older one is a copy
    std::chrono::steady_clock::time_point started;  // of the build under way
    int64_t ended = 0;                              // builds ended (published or failed); waiters watch it change
    Status error;                                   // of the last build; OK when it published
  };

  // mu_ held. "Being built, try again in N s": N is the mean time of the builds so far (1 to 60).
  Status Building() const {
    const double mean = builds_ ? build_seconds_ / static_cast<double>(builds_) : 1.0;
    const int retry = static_cast<int>(std::clamp(std::ceil(mean), 1.0, 60.0));
    return Status::Unavailable("building the " + what_ + " (the first time); try again in " + std::to_string(retry) +
                               " s")
        .WithReason("building", {{"what", what_}, {"retry_after", std::to_string(retry)}});
  }

  // mu_ held. A build queued by Warm that someone now waits for gets a copy of its job in the
  // urgent queue: whichever copy comes first runs it, the other finds it taken (its ticket) and ends.
  void Queue(const std::shared_ptr<Slot>& s, Build build, bool urgent) {
    if (s->building) {
      if (!urgent || s->running || s->urgent) return;
      s->urgent = true;
      worker_.Post(
          [this, s, build = std::move(build), ticket = s->ticket](bool run) { RunBuild(s, build, run, ticket); },
          /*urgent=*/true);
      return;
    }
    s->building = true;
    s->running = false;
    s->urgent = urgent;
    s->started = std::chrono::steady_clock::now();
    const int64_t ticket = ++s->ticket;
    if (!worker_.Post([this, s, build = std::move(build), ticket](bool run) { RunBuild(s, build, run, ticket); },
                      urgent)) {
      s->building = false;
      s->error = Status::Unavailable(what_ + ": the build worker " + worker_.name() + " stopped");
      ++s->ended;
    }
  }

  void RunBuild(const std::shared_ptr<Slot>& s, const Build& build, bool run, int64_t ticket) {
    std::shared_ptr<const T> previous;
    {
      std::lock_guard lock(mu_);
      // The other copy of this build's job ran it (or runs it), or a later build was queued since.
      if (!s->building || s->running || s->ticket != ticket) return;
      s->running = true;
      previous = s->value;
    }
    Result<Built<T>> r = Status::Unavailable(what_ + ": the build worker " + worker_.name() + " stopped");
    const auto began = std::chrono::steady_clock::now();
    if (run) {
      try {
        r = build(previous);
      } catch (const std::exception& e) {
        r = Status::Internal(what_ + ": the build failed: " + e.what());
      }
      if (r.ok() && !r->value) r = Status::Internal(what_ + ": the build produced nothing");
    }
    {
      std::lock_guard lock(mu_);
      if (r.ok()) {
        s->value = std::move(r->value);
        s->as_of = r->as_of;
        s->error = Status::Ok();
      } else {
        s->error = r.status();
        spdlog::error("{}: build failed ({}): {}", what_,
                      s->value ? "the previous result stays served" : "nothing to serve yet", r.status().ToString());
      }
      s->building = false;
      s->running = false;
      s->urgent = false;
      ++s->ended;
      ++builds_;
      build_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    }
    cv_.notify_all();
  }

  BuildWorker& worker_;
  const std::string what_;
  const std::optional<std::chrono::milliseconds> wait_;
  const std::optional<std::chrono::milliseconds> first_wait_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<Key, std::shared_ptr<Slot>> slots_;
  int64_t builds_ = 0;
  double build_seconds_ = 0;  // the builds' time, summed
};

}  // namespace weefsel::service
