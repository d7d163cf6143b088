#include "service/core/engine_store.h"

#include "service/core/context.h"

namespace weefsel::service::core {

Status EngineStore::Read(const std::function<Status(storage::Store&)>& read) {
  Context::ReadLock lock(cx_);
  return read(*cx_.store_);
}

Status EngineStore::Write(const std::function<Status(storage::Store&)>& write) {
  Context::WriteLock lock(cx_);
  return write(*cx_.store_);
}

}  // namespace weefsel::service::core
