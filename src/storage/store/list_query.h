// storage/store/list_query.h: the filters and paging every list of a Store takes.
//
// The value is domain::ListQuery (domain/list_query.h), since service's and http's code passes it
// too; each list says which fields it honours and which columns it may be ordered by.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include "base/ids.h"
#include "domain/list_query.h"
#include "domain/model.h"

namespace weefsel::storage {

using domain::ListQuery;  // domain/list_query.h

}  // namespace weefsel::storage
