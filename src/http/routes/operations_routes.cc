// http/routes/operations_routes.cc: the operations routes of the API (see http/api.h for the table).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/strings.h"
#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"
#include "match/match_json.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

void Api::BuildOperationRoutes() {
  service::Platform& P = platform_;
  // Operations.
  Add({"GET",
       "/healthz",
       "operations",
       "Liveness: the process answers",
       false,
       false,
       false,
       {},
       [](Call&) -> Result<Reply> {
         return Ok({{"status", "ok"}});
       }});
  Add({"GET",
       "/readyz",
       "operations",
       "Readiness: the store answers",
       false,
       false,
       false,
       {},
       [&P](Call&) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.Ready());
         return Ok({{"status", "ready"}, {"store", P.Dialect()}});
       }});
  Add({"GET",
       "/api/v1/openapi.json",
       "operations",
       "This API as an OpenAPI 3.1 document",
       false,
       false,
       false,
       {},
       [this](Call&) -> Result<Reply> {
         Reply r;
         r.raw = openapi_body_;
         return r;
       }});
}

}  // namespace weefsel::http
