// libFuzzer target: whole raw HTTP requests (request line, headers, body) through the server's
// request handling (http::HandleRawRequest: the parser with the server's limits, the static files,
// the Api with its cache, authentication and every route) against a small world in a SQLite file.
// Properties: a complete request gets one well-formed HTTP/1.1 response, never a 5xx; nothing
// throws or crashes.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "http/api.h"
#include "http/server.h"
#include "service/platform.h"
#include "storage/store.h"

namespace {

using namespace weefsel;

struct World {
  std::unique_ptr<service::Platform> platform;
  std::unique_ptr<http::Api> api;
  http::ServerOptions options;
};

World& TheWorld() {
  static World* w = [] {
    auto* world = new World;
    auto dir = std::filesystem::temp_directory_path() / ("weefsel-fuzz-http-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto store = storage::Store::Open((dir / "w.db").string());
    if (!store.ok()) abort();
    service::PlatformOptions po;
    po.password_cost = service::PasswordCost::Minimum();
    world->platform = std::make_unique<service::Platform>(std::move(store).value(), po);
    service::Principal root{UserId(1 << 30), "", "", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
    domain::Municipality m;
    m.cbs_code = "GM0344";
    m.name = "Utrecht";
    m.province = "Utrecht";
    m.population = 360000;
    auto made = world->platform->CreateMunicipality(root, m);
    if (!made.ok()) abort();
    domain::Actor a;
    a.name = "Buurtkracht";
    a.municipality = made->id;
    a.kind = domain::ActorKind::kSocialEnterprise;
    a.themes = {"eenzaamheid"};
    if (!world->platform->CreateActor(root, a).ok()) abort();
    world->api = std::make_unique<http::Api>(*world->platform);
    world->options.max_body_bytes = 64 * 1024;
    world->options.max_header_bytes = 16 * 1024;
    return world;
  }();
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string out = http::HandleRawRequest(*w.api, w.options, bytes);
  if (out.empty()) return 0;  // incomplete: the server would wait for more, then time out
  if (out.rfind("HTTP/1.1 ", 0) != 0 || out.size() < 12) abort();
  int status = std::atoi(out.substr(9, 3).c_str());
  if (status < 100 || status >= 500) abort();
  return 0;
}
