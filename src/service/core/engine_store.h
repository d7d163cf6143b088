// service/core/engine_store.h: the engines' one way to the store.
//
// The engines (the matcher and its retraining, the fabric and its snapshots, the rounds' results,
// the coalition suggestions, the open-data bundle; service/matches.h, match_retrain.h, engines.h,
// snapshots.h, open_data_feed.h) compute from whole tables that no use case answers (every actor and
// tie of a municipality, every ballot of a round) and keep what they compute. They read the store
// here, under the same locks as the use cases, and not through the Platform's internals: an
// EngineStore gives the Store and nothing else of the Context (not its audit log, rights or
// accounts). Whoever includes service's headers only (http) cannot call the Store's methods, since
// service/core/store_fwd.h declares it and no more; scripts/check-layers holds that rule.
//
// Thread-safety: as the use cases: Read takes a ReadLock, Write the WriteLock.
#pragma once

#include <functional>

#include "base/status.h"
#include "service/core/store_fwd.h"

namespace weefsel::service::core {

class Context;

class EngineStore {
 public:
  explicit EngineStore(Context& context) : cx_(context) {}
  EngineStore(const EngineStore&) = delete;
  EngineStore& operator=(const EngineStore&) = delete;

  // Runs `read` under a ReadLock: on a reader of the pool where there is one (beside writes and
  // other reads), else under the store lock. `read` must only read; its status is returned.
  Status Read(const std::function<Status(storage::Store&)>& read);
  // Runs `write` under the WriteLock, on the writer's connection: what an engine stores of its own
  // results (a fabric snapshot) and the demo's staging. No audit entry is written: these are not a
  // person's changes. A write of several rows runs its own Store::Transaction.
  Status Write(const std::function<Status(storage::Store&)>& write);

 private:
  Context& cx_;
};

}  // namespace weefsel::service::core
