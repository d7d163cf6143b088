#include "service/open_data_feed.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/open_data.h"
#include "storage/store.h"

namespace weefsel::service {

namespace fs = std::filesystem;

Result<std::shared_ptr<const OpenDataBundle>> OpenDataFeed::Current() {
  std::lock_guard lock(mu_);
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.DataVersion());
  if (current_ && current_->version == version) return current_;
  static std::atomic<int> counter{0};
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec) /
                 ("weefsel-open-data-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  if (ec) return Status::Unavailable("open data: no temporary directory: " + ec.message());
  auto bundle = std::make_shared<OpenDataBundle>();
  bundle->version = version;
  Status st = [&]() -> Status {
    Platform::ReadLock read(platform_);
    return ExportOpenData(*platform_.store_, dir.string()).status();
  }();
  if (st.ok()) {
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in && !in.eof()) {
        st = Status::Internal("open data: cannot read " + it->path().string());
        break;
      }
      bundle->files[fs::relative(it->path(), dir).generic_string()] = text.str();
    }
    if (ec && st.ok()) st = Status::Internal("open data: cannot list " + dir.string() + ": " + ec.message());
  }
  fs::remove_all(dir, ec);
  WEEFSEL_RETURN_IF_ERROR(st);
  ++exports_;
  current_ = std::move(bundle);
  return current_;
}

}  // namespace weefsel::service
