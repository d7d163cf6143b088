// service/connection_pool.h: further connections to the store's database, of one kind (readers, or
// writers beside the first), lent to one thread at a time.
//
// The Platform writes through one Store under one mutex. Reads need no such queue: SQLite in WAL
// mode and PostgreSQL both let readers run beside each other and beside a writer. A pool of readers
// opens up to `size` read-only connections (storage::Store::OpenReader) on first need and lends
// each to one thread at a time; a thread that finds them all lent waits for one to come back.
// Like the writer's connection, a reader whose PostgreSQL connection is lost is not reopened.
// When a new reader cannot be opened (PostgreSQL at max_connections, say), the pool says so once in
// the log and tries again only after `retry` (5 s): meanwhile a thread that finds no reader idle
// waits for a lent one, or, when none is lent, gets the error at once (the Platform then reads on
// the writer's connection), so a refusing database costs no connection attempt per request.
//
// The same pool lends writers (Kind::kWrite, storage::Store::OpenWriter): PostgreSQL connections for
// the writes that may run beside the writer's because their statements check what they depend on.
//
// Thread-safety: all methods are thread-safe. A Lease is used by the thread that holds it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "service/core/store_fwd.h"

namespace weefsel::service {

class ConnectionPool {
 public:
  // Opens the first reader on `url` (the database the writer opened) at once, so that a database
  // without readers (FailedPrecondition: a private in-memory one) or a refusing one is known at
  // start; up to `size` (> 0) in all, the others on first need.
  enum class Kind { kRead, kWrite };
  static Result<std::unique_ptr<ConnectionPool>> Create(std::string url, int size,
                                                        std::chrono::milliseconds retry = std::chrono::seconds(5),
                                                        Kind kind = Kind::kRead);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease();
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    storage::Store* get() const { return store_.get(); }

   private:
    friend class ConnectionPool;
    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<storage::Store> store_;
  };

  // A reader for this thread: an idle one, a new one while fewer than `size` are open, or the
  // first one returned. Fails (with the open's error) only when no reader is open or lent and a new
  // one cannot be opened, or could not be within the last `retry`.
  Result<Lease> Acquire();

  int size() const { return size_; }
  // Readers open now (lent or idle); for tests and /readyz.
  int open() const;

 private:
  ConnectionPool(std::string url, int size, std::chrono::milliseconds retry, Kind kind);
  Result<std::unique_ptr<storage::Store>> Open() const;
  void Return(std::unique_ptr<storage::Store> store);

  const std::string url_;
  const int size_;
  const std::chrono::milliseconds retry_;
  const Kind kind_;
  Status failed_;                                     // the last failed open, while retry_ runs
  std::chrono::steady_clock::time_point retry_at_{};  // no new reader is opened before this
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<storage::Store>> idle_;
  int open_ = 0;  // idle + lent + being opened
};

}  // namespace weefsel::service
