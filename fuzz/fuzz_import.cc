// libFuzzer target: the CSV and JSON importers (service/transfer.h) against an in-memory SQLite
// store holding a small demo city (so that ids in the input can refer to real rows). The first
// byte picks the kind (municipalities, actors, ties, challenges) and the format (.csv / .json);
// the rest is the file. Imports are all or nothing: a failed import must leave the store unchanged.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "service/demo.h"
#include "service/transfer.h"
#include "storage/store.h"

namespace {

weefsel::storage::Store* TheStore() {
  static std::unique_ptr<weefsel::storage::Store> store = [] {
    auto s = weefsel::storage::Store::Open(":memory:");
    if (!s.ok()) abort();
    weefsel::service::DemoOptions o;
    o.municipalities = 2;
    o.actors = 40;
    o.challenges_per_municipality = 1;
    auto city = weefsel::service::GenerateDemo(o);
    if (!city.ok() || !weefsel::service::LoadDemo(**s, *city).ok()) abort();
    return std::move(s).value();
  }();
  return store.get();
}

std::string Dir() {
  static std::string dir = [] {
    const char* base = getenv("TMPDIR");
    std::string d = std::string(base && *base ? base : "/tmp") + "/weefsel-fuzz-import-" + std::to_string(getpid());
    mkdir(d.c_str(), 0700);
    return d;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const weefsel::service::EntityKind kinds[] = {
      weefsel::service::EntityKind::kMunicipalities, weefsel::service::EntityKind::kActors,
      weefsel::service::EntityKind::kTies, weefsel::service::EntityKind::kChallenges};
  auto kind = kinds[data[0] & 3];
  bool json = (data[0] & 4) != 0;
  std::string path = Dir() + (json ? "/input.json" : "/input.csv");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  }
  auto* store = TheStore();
  auto before = store->Count();
  auto r = weefsel::service::Import(*store, kind, path);
  if (!r.ok()) {
    if (r.status().message().empty()) abort();
    auto after = store->Count();
    if (before.ok() && after.ok() &&
        (before->municipalities != after->municipalities || before->actors != after->actors ||
         before->ties != after->ties || before->challenges != after->challenges)) {
      fprintf(stderr, "a failed import changed the store: %s\n", r.status().ToString().c_str());
      abort();
    }
  }
  return 0;
}
