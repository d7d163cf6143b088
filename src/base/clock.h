// base/clock.h: time and randomness behind interfaces a test can replace.
//
// Clock gives the current time; SystemClock reads the real one, ManualClock is set by tests.
// Rng is a seeded pseudo-random generator (std::mt19937_64): every random choice in weefsel takes
// a seed so that results are reproducible byte for byte across runs and machines (we draw with
// our own integer/real helpers because std:: distributions differ between standard libraries).
// Thread-safety: SystemClock is thread-safe; ManualClock and Rng are not (one per thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace weefsel {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  static SystemClock& Default();
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint t) : t_(t) {}
  TimePoint Now() const override { return t_; }
  void Advance(std::chrono::seconds s) { t_ += s; }
  void Set(TimePoint t) { t_ = t; }

 private:
  TimePoint t_;
};

// ISO 8601 in UTC: "2026-11-29T09:38:01Z"; dates "2026-11-29".
std::string FormatTimestamp(TimePoint t);
std::string FormatDate(TimePoint t);
// The time of "2026-11-29T09:38:01Z" (exactly that form); nullopt for anything else.
std::optional<TimePoint> ParseTimestamp(std::string_view s);

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  uint64_t Next() { return gen_(); }
  // Uniform integer in [lo, hi], inclusive; unbiased.
  int64_t Uniform(int64_t lo, int64_t hi);
  // Uniform real in [0, 1).
  double Real();
  bool Bernoulli(double p) { return Real() < p; }
  // Index drawn with probability proportional to weights (all >= 0, at least one > 0).
  size_t Weighted(const std::vector<double>& weights);
  // Pareto-distributed value >= xm with shape alpha (heavy tail).
  double Pareto(double xm, double alpha);
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[static_cast<size_t>(Uniform(0, static_cast<int64_t>(i) - 1))]);
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace weefsel
