// base/process_memory.h: how much memory this process holds, for /readyz and the benchmarks.
//
// ReadProcessMemory() gives two figures:
//   rss_bytes   the resident set (VmRSS, /proc/self/statm): what the kernel counts against the
//               machine, including memory the allocator has freed but kept;
//   heap_bytes  the bytes malloc has handed out and not had back (glibc's mallinfo2: uordblks +
//               hblkhd, over every arena): what live objects hold, without the allocator's slack.
// A difference of heap_bytes across one engine build, with nothing else running, is the memory that
// engine's published state holds (bench/national/run.sh, step (f)); an RSS difference would also
// count the build's temporaries that glibc keeps for reuse.
// mallinfo2 walks every arena's free lists under its lock: call it on demand (/readyz?memory=1),
// not on every request. Thread-safety: thread-safe.
#pragma once

#include <cstdint>

namespace weefsel {

struct ProcessMemory {
  int64_t rss_bytes = -1;   // -1: not known (no /proc)
  int64_t heap_bytes = -1;  // -1: not known (not glibc)
};

ProcessMemory ReadProcessMemory();

}  // namespace weefsel
