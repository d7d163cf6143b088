#include "base/line_diff.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace weefsel {
namespace {

// Myers' greedy forward search over the middle part a[0..n) / b[0..m) (lines as integer ids).
// Returns false when more than max_d edits are needed; otherwise appends the script to out.
bool Myers(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, size_t max_d, std::vector<char>& ops) {
  // Positions fit in 32 bits (texts are bounded far below that); the saved frontiers are the
  // memory of the search (D² values: 16 MB at the 2,000-edit bound, not 32).
  const int32_t n = static_cast<int32_t>(a.size()), m = static_cast<int32_t>(b.size());
  const int32_t limit = static_cast<int32_t>(std::min<int64_t>(int64_t{n} + m, static_cast<int64_t>(max_d)));
  const int32_t off = limit + 1;
  std::vector<int32_t> v(static_cast<size_t>(2 * limit + 3), 0);
  std::vector<std::vector<int32_t>> trace;  // trace[d] = v[-d..d] before step d
  int64_t found = -1;
  for (int64_t d = 0; d <= limit && found < 0; ++d) {
    trace.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));
    for (int64_t k = -d; k <= d; k += 2) {
      int64_t x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
      int64_t y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return false;
  // Walk back from (n, m) through the saved frontiers.
  std::vector<char> rev;
  int64_t x = n, y = m;
  for (int64_t d = found; d > 0; --d) {
    const auto& pv = trace[d];  // v[-d..d] before step d = after step d-1
    auto at = [&](int64_t k) { return pv[k + d]; };
    int64_t k = x - y;
    bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    int64_t pk = down ? k + 1 : k - 1;
    int64_t px = at(pk), py = px - pk;
    int64_t sx = down ? px : px + 1;  // where the snake of step d starts
    while (x > sx) rev.push_back(' '), --x, --y;
    rev.push_back(down ? '+' : '-');
    x = px;
    y = py;
  }
  while (x > 0) rev.push_back(' '), --x;
  ops.insert(ops.end(), rev.rbegin(), rev.rend());
  return true;
}

}  // namespace

LineDiffResult LineDiff(const std::vector<std::string>& a, const std::vector<std::string>& b, size_t max_edits) {
  LineDiffResult out;
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  for (size_t i = 0; i < head; ++i) out.lines.push_back({' ', a[i]});

  // The middle, with each distinct line as a small integer so that comparisons are cheap.
  std::unordered_map<std::string_view, uint32_t> ids;
  auto ids_of = [&](const std::vector<std::string>& lines) {
    std::vector<uint32_t> v;
    v.reserve(lines.size() - head - tail);
    for (size_t i = head; i < lines.size() - tail; ++i)
      v.push_back(ids.emplace(lines[i], static_cast<uint32_t>(ids.size())).first->second);
    return v;
  };
  std::vector<uint32_t> ma = ids_of(a), mb = ids_of(b);
  std::vector<char> ops;
  if (Myers(ma, mb, max_edits, ops)) {
    size_t i = head, j = head;
    for (char op : ops) {
      if (op == ' ')
        out.lines.push_back({' ', a[i++]}), ++j;
      else if (op == '-')
        out.lines.push_back({'-', a[i++]});
      else
        out.lines.push_back({'+', b[j++]});
    }
  } else {
    out.minimal = false;
    for (size_t i = head; i < a.size() - tail; ++i) out.lines.push_back({'-', a[i]});
    for (size_t j = head; j < b.size() - tail; ++j) out.lines.push_back({'+', b[j]});
  }
  for (size_t i = a.size() - tail; i < a.size(); ++i) out.lines.push_back({' ', a[i]});
  return out;
}

}  // namespace weefsel
