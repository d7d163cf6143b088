// http/response_cache.h: the cache of public read responses, bounded by bytes, least recently
// used out first.
//
// An entry is a response body and its ETag, valid for the data version it was computed at; a
// lookup at another version misses (and drops the stale entry). The cache never holds more than
// `max_bytes` of keys and bodies together: inserting evicts the least recently used entries until
// the new one fits, and a body larger than a quarter of the budget is not cached at all (so one
// huge response cannot flush everything else). Keys are the request target; callers refuse
// non-canonical ids (leading zeros) before they get here, and the byte bound holds whatever the
// keys are. Thread-safety: all methods are thread-safe (one mutex, held for a lookup or insert).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace weefsel::http {

class ResponseCache {
 public:
  struct Entry {
    int64_t version = -1;
    std::string body;
    std::string etag;
    std::string content_type = "application/json";  // non-JSON answers (an image) keep theirs
  };

  explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The entry for `key` if it was stored at `version`; marks it most recently used.
  std::shared_ptr<const Entry> Get(const std::string& key, int64_t version);
  // Stores (or replaces) the entry for `key`, evicting least recently used entries to stay within
  // the byte budget.
  void Put(const std::string& key, std::shared_ptr<const Entry> entry);

  size_t bytes() const;
  size_t entries() const;
  size_t max_bytes() const { return max_bytes_; }

 private:
  struct Slot {
    std::shared_ptr<const Entry> entry;
    std::list<std::string>::iterator lru;  // position in lru_ (front = most recent)
  };
  static size_t Cost(const std::string& key, const Entry& e) { return key.size() + e.body.size() + e.etag.size() + 64; }
  void EraseLocked(std::unordered_map<std::string, Slot>::iterator it);

  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> map_;
  std::list<std::string> lru_;
  size_t bytes_ = 0;
};

}  // namespace weefsel::http
