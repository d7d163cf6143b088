#include "service/open_data_feed.h"

#include "base/mem_env.h"
#include "service/open_data.h"
#include "storage/store.h"

namespace weefsel::service {

Result<std::shared_ptr<const OpenDataBundle>> OpenDataFeed::Current() {
  std::lock_guard lock(mu_);
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.DataVersion());
  if (current_ && current_->version == version) return current_;
  // The export writes into a file system in memory: the same files as on disk, without a
  // temporary directory to make, read back and remove.
  MemFileSystem files;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read(
      [&](storage::Store& store) { return ExportOpenData(store, "/open-data", files).status(); }));
  auto bundle = std::make_shared<OpenDataBundle>();
  bundle->version = version;
  bundle->files = files.TakeFiles("/open-data");
  ++exports_;
  current_ = std::move(bundle);
  return current_;
}

}  // namespace weefsel::service
