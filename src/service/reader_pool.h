// service/reader_pool.h: connections that only read, lent to one thread at a time.
//
// The Platform writes through one Store under one mutex. Reads need no such queue: SQLite in WAL
// mode and PostgreSQL both let readers run beside each other and beside a writer. A ReaderPool
// opens up to `size` read-only connections (storage::Store::OpenReader) on first need and lends
// each to one thread at a time; a thread that finds them all lent waits for one to come back.
// Like the writer's connection, a reader whose PostgreSQL connection is lost is not reopened.
//
// Thread-safety: all methods are thread-safe. A Lease is used by the thread that holds it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/store.h"

namespace weefsel::service {

class ReaderPool {
 public:
  // `url` is the database the writer opened; `size` > 0.
  ReaderPool(std::string url, int size);
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    storage::Store* get() const { return store_.get(); }

   private:
    friend class ReaderPool;
    ReaderPool* pool_ = nullptr;
    std::unique_ptr<storage::Store> store_;
  };

  // A reader for this thread: an idle one, a new one while fewer than `size` are open, or the
  // first one returned. Fails (Unavailable, FailedPrecondition) only when a new one cannot be opened.
  Result<Lease> Acquire();

  int size() const { return size_; }
  // Readers open now (lent or idle); for tests and /readyz.
  int open() const;

 private:
  void Return(std::unique_ptr<storage::Store> store);

  const std::string url_;
  const int size_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<storage::Store>> idle_;
  int open_ = 0;  // idle + lent + being opened
};

}  // namespace weefsel::service
