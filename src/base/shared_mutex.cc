#include "base/shared_mutex.h"

#include <cerrno>
#include <system_error>

namespace weefsel {

namespace {

void Check(int rc, const char* what) {
  if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

}  // namespace

WriterFirstSharedMutex::WriterFirstSharedMutex() {
  pthread_rwlockattr_t attr;
  Check(pthread_rwlockattr_init(&attr), "pthread_rwlockattr_init");
  Check(pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP),
        "pthread_rwlockattr_setkind_np");
  Check(pthread_rwlock_init(&rw_, &attr), "pthread_rwlock_init");
  pthread_rwlockattr_destroy(&attr);
}

WriterFirstSharedMutex::~WriterFirstSharedMutex() { pthread_rwlock_destroy(&rw_); }

void WriterFirstSharedMutex::lock() { Check(pthread_rwlock_wrlock(&rw_), "pthread_rwlock_wrlock"); }
bool WriterFirstSharedMutex::try_lock() { return pthread_rwlock_trywrlock(&rw_) == 0; }
void WriterFirstSharedMutex::unlock() { pthread_rwlock_unlock(&rw_); }
void WriterFirstSharedMutex::lock_shared() {
  int rc;
  // EAGAIN: the most read locks the implementation allows are held; wait for one to go.
  while ((rc = pthread_rwlock_rdlock(&rw_)) == EAGAIN) {
  }
  Check(rc, "pthread_rwlock_rdlock");
}
bool WriterFirstSharedMutex::try_lock_shared() { return pthread_rwlock_tryrdlock(&rw_) == 0; }
void WriterFirstSharedMutex::unlock_shared() { pthread_rwlock_unlock(&rw_); }

}  // namespace weefsel
