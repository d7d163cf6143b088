// fabric_api_bench: the demo city's fabric through the API (issue 22: this was the test
// EnginesPerf, a benchmark labelled unit that could not fail). For each of the demo's
// municipalities (1,500 actors over 4): the fabric map and report cold (analysis + layout +
// encoding) and from the response cache, weave and health, each through Api::Handle in process.
// The peer in the same run is the cached answer (the cold figure's ratio to it is printed).
// Usage: fabric_api_bench [--runs 200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "http/api.h"
#include "service/demo.h"
#include "storage/store.h"

using namespace weefsel;
using Json = nlohmann::json;

int main(int argc, char** argv) {
  int runs = 200;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--runs") runs = std::max(1, std::atoi(argv[++i]));
  auto store = storage::Store::Open(":memory:");
  if (!store.ok()) {
    std::fprintf(stderr, "fabric_api_bench: %s\n", store.status().ToString().c_str());
    return 1;
  }
  auto city = service::GenerateDemo({});
  if (!city.ok() || !service::LoadDemo(**store, *city).ok()) {
    std::fprintf(stderr, "fabric_api_bench: the demo city could not be made\n");
    return 1;
  }
  service::PlatformOptions po;
  po.password_cost = service::PasswordCost::Minimum();
  service::Platform platform(std::move(store).value(), po);
  http::Api api(platform);
  auto get = [&](const std::string& path, double* seconds) {
    http::Request req;
    req.method = "GET";
    req.path = path;
    req.target = path;
    http::Response res;
    auto t0 = std::chrono::steady_clock::now();
    api.Handle(req, res);
    *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
  };
  for (const auto& m : city->municipalities) {
    std::string base = "/api/v1/municipalities/" + std::to_string(m.id.value()) + "/fabric/";
    double map_cold = 0, report_cold = 0, t = 0, cached = 0, weave = 0, health = 0;
    auto map = get(base + "map", &map_cold);
    auto report = get(base + "report", &report_cold);
    if (map.status != 200 || report.status != 200) {
      std::fprintf(stderr, "fabric_api_bench: %s: map %d, report %d\n", m.name.c_str(), map.status, report.status);
      return 1;
    }
    for (int i = 0; i < runs; ++i) {
      get(base + (i % 2 ? "report" : "map"), &t);
      cached += t;
    }
    cached /= runs;
    Json j = Json::parse(map.body);
    Json rj = Json::parse(report.body);
    int weave_status = get(base + "weave", &weave).status;
    int health_status = get(base + "health", &health).status;
    std::printf(
        "ENGINES_PERF %s actors=%zu ties=%zu map_cold_ms=%.1f (analysis+layout %.1f, layout %.1f) map_bytes=%zu "
        "report_ms=%.1f cached_ms=%.3f cold/cached=%.0fx weave_k10_ms=%.1f (%d) health_ms=%.1f (%d)\n",
        m.name.c_str(), j["actors"].size(), j["ties"].size(), map_cold * 1e3, rj["seconds"].get<double>() * 1e3,
        rj["layout_seconds"].get<double>() * 1e3, map.body.size(), report_cold * 1e3, cached * 1e3,
        cached > 0 ? map_cold / cached : 0.0, weave * 1e3, weave_status, health * 1e3, health_status);
  }
  return 0;
}
