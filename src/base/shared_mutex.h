// base/shared_mutex.h: a reader-writer lock whose writers do not starve.
//
// std::shared_mutex on glibc prefers readers: while any reader holds the lock, new readers get it
// too, so a writer waits until no reader is left. The matcher is read by every match request (a
// ranking takes tens of milliseconds) and updated in place after each edit; under steady traffic
// its readers overlap without end and the update never ran (measured on the national demo: match
// requests queued behind an update that waited seconds). WriterFirstSharedMutex is a
// pthread_rwlock_t of kind PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP: once a writer waits, new
// readers wait behind it, so an update waits for the rankings under way and no longer.
// It meets the SharedMutex requirements (std::unique_lock, std::shared_lock). Not recursive: a
// thread that holds it shared must not take it shared again while a writer may be waiting.
// Thread-safety: that is its purpose. Not copyable or movable.
#pragma once

#include <pthread.h>

namespace weefsel {

class WriterFirstSharedMutex {
 public:
  WriterFirstSharedMutex();
  ~WriterFirstSharedMutex();
  WriterFirstSharedMutex(const WriterFirstSharedMutex&) = delete;
  WriterFirstSharedMutex& operator=(const WriterFirstSharedMutex&) = delete;

  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  bool try_lock_shared();
  void unlock_shared();

 private:
  pthread_rwlock_t rw_;
};

}  // namespace weefsel
