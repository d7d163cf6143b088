// domain/list_query.h: the filters and paging every list takes (the store's lists, the service's
// and the API's list parameters).
//
// A plain value; each list says which fields it honours and which columns it may be ordered by.
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/ids.h"
#include "domain/model.h"

namespace weefsel::domain {

// Filters and paging for lists. Unset fields do not filter. Results are ordered by id unless
// `order_by` names a column the list allows (then ties break by id).
struct ListQuery {
  int64_t limit = 0;  // 0 = no limit
  int64_t offset = 0;
  MunicipalityId municipality;
  std::optional<ActorKind> kind;        // actors
  std::string theme;                    // actors, challenges: theme code
  std::string search;                   // case-insensitive substring of name/title
  std::optional<ChallengePhase> phase;  // challenges
  std::string order_by;                 // e.g. "name", "-created_at"
};

}  // namespace weefsel::domain
