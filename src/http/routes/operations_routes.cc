// http/routes/operations_routes.cc: the operations routes of the API (see http/api.h for the table).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/process_memory.h"
#include "base/strings.h"
#include "http/accessibility_page.h"
#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"
#include "match/match_json.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

void Api::BuildOperationRoutes() {
  service::Platform& P = platform_;
  // Operations.
  Add({.method = "GET",
       .path = "/healthz",
       .tag = "operations",
       .summary = "Liveness: the process answers",
       .success = 200,
       .response = Obj({{"status", Enum({"ok"})}}),
       .handler = [](Call&) -> Result<Reply> {
         return Ok({{"status", "ok"}});
       }});
  // /readyz?memory=1 is anonymous, and mallinfo2 walks every arena's free lists under its lock
  // (every thread's malloc waits meanwhile): the memory is read at most once a second, and every
  // request within that second gets the same reading.
  struct MemoryReading {
    std::mutex mu;
    std::optional<std::chrono::steady_clock::time_point> at;
    ProcessMemory value;
  };
  auto reading = std::make_shared<MemoryReading>();
  Add({.method = "GET",
       .path = "/readyz",
       .tag = "operations",
       .summary = "Readiness: the store answers; engine builds that failed are listed (their previous results "
                  "are served meanwhile), and how many results still wait for their first build (after a "
                  "start: the matcher and each municipality's fabric; a request for one of them meanwhile may "
                  "get 503 `building` with Retry-After). With memory=1 also the process's memory: its resident set "
                  "and the bytes its allocator has handed out (the engines' state, caches and requests in flight; "
                  "-1 where the system does not say), read at most once a second",
       .success = 200,
       .query = {"memory"},
       .response =
           Obj({{"status", Enum({"ready", "degraded"})},
                {"store", Scalar("string")},
                {"engines", Obj({{"failed_builds", ArrayOf(Scalar("string"))}, {"warming", Scalar("integer")}})},
                {"memory", Obj({{"rss_bytes", Scalar("integer")}, {"heap_bytes", Scalar("integer")}})}},
               {"memory"}),
       .handler = [&P, this, reading](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.Ready());
         std::string memory = c.req.Param("memory");
         if (!memory.empty() && memory != "0" && memory != "1") {
           return Status::InvalidArgument("memory: expected 0 or 1, got '" + memory + "'");
         }
         std::vector<std::string> failed = engines_.Errors();
         Json body = {{"status", failed.empty() ? "ready" : "degraded"},
                      {"store", P.Dialect()},
                      {"engines", {{"failed_builds", failed}, {"warming", engines_.Warming()}}}};
         if (memory == "1") {
           ProcessMemory m;
           {
             std::lock_guard lock(reading->mu);
             auto now = std::chrono::steady_clock::now();
             if (!reading->at || now - *reading->at >= std::chrono::seconds(1)) {
               reading->value = ReadProcessMemory();
               reading->at = now;
             }
             m = reading->value;
           }
           body["memory"] = {{"rss_bytes", m.rss_bytes}, {"heap_bytes", m.heap_bytes}};
         }
         return Ok(std::move(body));
       }});
  // The accessibility statement is rendered once: it changes only with a restart.
  auto statement = std::make_shared<const std::string>(
      AccessibilityStatementHtml(options_.accessibility.get(), options_.axe_results.get()));
  Add({.method = "GET",
       .path = "/toegankelijkheid",
       .tag = "operations",
       .summary = "The accessibility statement (HTML, in the sections of the Dutch model statement), with "
                  "weefsel's own axe-core results",
       .success = 200,
       .response = FreeForm("an HTML page (text/html), not JSON"),
       .handler = [statement](Call&) -> Result<Reply> {
         Reply r;
         r.raw = *statement;
         r.content_type = "text/html; charset=utf-8";
         return r;
       }});
  Add({.method = "GET",
       .path = "/api/v1/openapi.json",
       .tag = "operations",
       .summary = "This API as an OpenAPI 3.1 document",
       .success = 200,
       .response = FreeForm("this OpenAPI 3.1 document"),
       .handler = [this](Call&) -> Result<Reply> {
         Reply r;
         r.raw = openapi_body_;
         return r;
       }});
}

}  // namespace weefsel::http
