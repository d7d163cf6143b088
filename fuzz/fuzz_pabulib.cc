// libFuzzer target: the Pabulib .pb reader (fund/pabulib.h). Any input must give an instance or a
// clean error, never a crash; an instance that parses must survive FormatPb -> ParsePb unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fund/pabulib.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto in = weefsel::fund::ParsePb("fuzz.pb", text);
  if (!in.ok()) {
    if (in.status().message().empty()) abort();  // errors always say what was wrong
    return 0;
  }
  std::string once = weefsel::fund::FormatPb(*in);
  auto again = weefsel::fund::ParsePb("fuzz-again.pb", once);
  if (!again.ok()) {
    fprintf(stderr, "written instance does not re-read: %s\n", again.status().ToString().c_str());
    abort();
  }
  if (weefsel::fund::FormatPb(*again) != once) {
    fprintf(stderr, "write -> read -> write changed the instance\n");
    abort();
  }
  return 0;
}
