// service/open_data_feed.h: the open-data export (service/open_data.h) served from memory, made
// once per data version.
//
// Current() returns the files of `weefsel export --open-data` (datapackage.json, every public
// entity as CSV and JSON, closed rounds as .pb with anonymous ballots, the fabric as GraphML) by
// their relative path. The export runs under the platform's store lock into a file system in
// memory (base/mem_env.h's MemFileSystem, never the disk), whose files become the bundle; it is
// redone only when the store's data version changed. The content is exactly the CLI export's, so
// the same privacy rules hold.
//
// Ownership: refers to a Platform that must outlive it; owns the current bundle (shared, immutable).
// Thread-safety: Current() may be called from many threads; one export runs at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "service/platform.h"

namespace weefsel::service {

struct OpenDataBundle {
  int64_t version = -1;
  std::map<std::string, std::string> files;  // relative path ("rounds/round-3.pb") -> content
};

class OpenDataFeed {
 public:
  explicit OpenDataFeed(Platform& platform) : platform_(platform) {}
  Result<std::shared_ptr<const OpenDataBundle>> Current();
  int64_t exports() const { return exports_.load(); }  // how many exports ran (for tests)

 private:
  Platform& platform_;
  std::mutex mu_;
  std::shared_ptr<const OpenDataBundle> current_;
  std::atomic<int64_t> exports_{0};
};

}  // namespace weefsel::service
