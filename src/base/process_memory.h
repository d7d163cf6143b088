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
// mallinfo2 walks every arena's free lists under its lock: call it on demand (/readyz?memory=1 reads
// it at most once a second), not on every request. Thread-safety: thread-safe.
#pragma once

#include <cstdint>

namespace weefsel {

// Whether heap_bytes can be known in this build: glibc 2.33 or later, and glibc's allocator in use
// (under AddressSanitizer the sanitizer's allocator serves malloc, and glibc's counts stay still).
#if defined(__SANITIZE_ADDRESS__)
#define WEEFSEL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WEEFSEL_ASAN 1
#endif
#endif
#if !defined(WEEFSEL_ASAN) && defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
inline constexpr bool kHeapBytesKnown = true;
#else
inline constexpr bool kHeapBytesKnown = false;
#endif

struct ProcessMemory {
  int64_t rss_bytes = -1;   // -1: not known (no /proc)
  int64_t heap_bytes = -1;  // -1: not known (kHeapBytesKnown false)
};

ProcessMemory ReadProcessMemory();

}  // namespace weefsel
