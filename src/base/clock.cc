#include "base/clock.h"

#include <cassert>
#include <cmath>
#include <ctime>

namespace weefsel {

SystemClock& SystemClock::Default() {
  static SystemClock clock;
  return clock;
}

static std::string Format(TimePoint t, const char* fmt) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string FormatTimestamp(TimePoint t) { return Format(t, "%Y-%m-%dT%H:%M:%SZ"); }
std::string FormatDate(TimePoint t) { return Format(t, "%Y-%m-%d"); }

std::optional<TimePoint> ParseTimestamp(std::string_view s) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return std::nullopt;
  auto num = [&](size_t at, size_t n) -> std::optional<int> {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(static_cast<unsigned>(*mo)),
                                  std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::time_point_cast<TimePoint::duration>(std::chrono::sys_days(ymd) + std::chrono::hours(*h) +
                                                           std::chrono::minutes(*mi) + std::chrono::seconds(*se));
}

int64_t Rng::Uniform(int64_t lo, int64_t hi) {
  assert(lo <= hi);
  uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
  if (range == 0) return static_cast<int64_t>(gen_());  // full 64-bit range
  uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t x;
  do {
    x = gen_();
  } while (x >= limit);
  return lo + static_cast<int64_t>(x % range);
}

double Rng::Real() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }

size_t Rng::Weighted(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  assert(total > 0);
  double r = Real() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  for (size_t i = weights.size(); i > 0; --i)
    if (weights[i - 1] > 0) return i - 1;
  return 0;
}

double Rng::Pareto(double xm, double alpha) { return xm / std::pow(1.0 - Real(), 1.0 / alpha); }

}  // namespace weefsel
