// domain/vote_tally.h: how many of a restricted round's voting codes and census lines were used,
// per wijk.
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

// Codes and census lines of one wijk ("" for codes of the whole municipality).
struct VoteTally {
  std::string wijk;
  int64_t total = 0, used = 0;
};

}  // namespace weefsel::domain
