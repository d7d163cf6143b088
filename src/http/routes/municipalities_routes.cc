// http/routes/municipalities_routes.cc: the municipalities routes of the API (see http/api.h for the table).
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

void Api::BuildMunicipalityRoutes() {
  service::Platform& P = platform_;
  // Municipalities.
  Add({.method = "GET",
       .path = "/api/v1/municipalities",
       .tag = "municipalities",
       .summary = "List municipalities (sort: name, cbs_code, province, population)",
       .success = 200,
       .cached = true,
       .scopes = {"municipalities"},
       .query = With(kPage, {"q", "sort"}),
       .response = PageOf("Municipality"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListMunicipalities(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}",
       .tag = "municipalities",
       .summary = "A municipality",
       .success = 200,
       .cached = true,
       .scopes = {"municipalities"},
       .response = Ref("Municipality"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto m, P.GetMunicipality(c.Path<MunicipalityTag>(0)));
         return Ok(ToJson(m));
       }});
  Add({.method = "POST",
       .path = "/api/v1/municipalities",
       .tag = "municipalities",
       .summary = "Add a municipality (platform admin)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("MunicipalityWrite"),
       .response = Ref("Municipality"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Municipality m;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateMunicipality(c.who, m));
         return Ok(ToJson(made));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/municipalities/{id}",
       .tag = "municipalities",
       .summary = "Change a municipality (its officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("MunicipalityWrite"),
       .response = Ref("Municipality"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto m,
                                  P.UpdateMunicipality(c.who, c.Path<MunicipalityTag>(0),
                                                       [&](domain::Municipality& x) { return Apply(c.body, x); }));
         return Ok(ToJson(m));
       }});
}

}  // namespace weefsel::http
