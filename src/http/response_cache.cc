#include "http/response_cache.h"

namespace weefsel::http {

std::shared_ptr<const ResponseCache::Entry> ResponseCache::Get(const std::string& key, int64_t version) {
  std::lock_guard lock(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return nullptr;
  if (it->second.entry->version != version) {
    EraseLocked(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.entry;
}

void ResponseCache::Put(const std::string& key, std::shared_ptr<const Entry> entry) {
  size_t cost = Cost(key, *entry);
  std::lock_guard lock(mu_);
  if (auto it = map_.find(key); it != map_.end()) EraseLocked(it);
  if (cost > max_bytes_ / 4) return;
  while (bytes_ + cost > max_bytes_ && !lru_.empty()) EraseLocked(map_.find(lru_.back()));
  lru_.push_front(key);
  map_.emplace(key, Slot{std::move(entry), lru_.begin()});
  bytes_ += cost;
}

void ResponseCache::EraseLocked(std::unordered_map<std::string, Slot>::iterator it) {
  bytes_ -= Cost(it->first, *it->second.entry);
  lru_.erase(it->second.lru);
  map_.erase(it);
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t ResponseCache::entries() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

}  // namespace weefsel::http
