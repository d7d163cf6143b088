#include "base/thread_priority.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace weefsel {

bool LowerThreadPriority(int steps) {
  errno = 0;
  const int process = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::getpid()));  // the main thread's
  if (errno != 0) return false;
  return ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(19, process + steps)) == 0;
}

}  // namespace weefsel
