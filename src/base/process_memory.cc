// base/process_memory.cc: see process_memory.h.
#include "base/process_memory.h"

#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace weefsel {

ProcessMemory ReadProcessMemory() {
  ProcessMemory m;
  // statm: size resident shared text lib data dt, in pages.
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0;
  int64_t resident = 0;
  if (statm >> size >> resident) m.rss_bytes = resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
  if constexpr (kHeapBytesKnown) {
    struct mallinfo2 info = mallinfo2();
    m.heap_bytes = static_cast<int64_t>(info.uordblks + info.hblkhd);
  }
  return m;
}

}  // namespace weefsel
