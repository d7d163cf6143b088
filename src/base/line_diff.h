// base/line_diff.h: a line diff in O((N+M)·D) time and O(N+M+D²) space (Myers 1986), bounded.
//
// LineDiff gives the shortest edit script between two lists of lines as kept (' '), removed ('-')
// and added ('+') lines, in order. Its cost is bounded by `max_edits` (D, the number of removed
// plus added lines): when the two lists differ by more, the result is still a correct diff (the
// common head and tail kept, everything between removed then added) but not the shortest, and
// `minimal` is false. So the worst case of two 20,000-line texts costs what 20,000·max_edits
// steps cost, not the 400-million-cell table of the textbook LCS. Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

namespace weefsel {

struct DiffLine {
  char op = ' ';  // ' ' kept, '-' removed, '+' added
  std::string text;
};

struct LineDiffResult {
  std::vector<DiffLine> lines;
  bool minimal = true;  // false when the edit bound was reached (a coarse diff)
};

LineDiffResult LineDiff(const std::vector<std::string>& a, const std::vector<std::string>& b, size_t max_edits = 2000);

}  // namespace weefsel
