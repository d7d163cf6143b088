// service/core/store_fwd.h: the storage types that service's headers name, declared only.
//
// Service's headers take and hold a storage::Store by reference or pointer and never use it
// inline: its definition (storage/store.h) is included by service's .cc files alone, and
// weefsel_service links weefsel_storage PRIVATE, so that http, which includes service's headers,
// does not reach the store. The value types the headers need are in domain/.
#pragma once

namespace weefsel::storage {
class Store;
struct ChangePage;
}  // namespace weefsel::storage
