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
  Add({"GET", "/api/v1/municipalities", "municipalities",
       "List municipalities (sort: name, cbs_code, province, population)", false, false, true,
       With(kPage, {"q", "sort"}), [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListMunicipalities(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({"GET",
       "/api/v1/municipalities/{id}",
       "municipalities",
       "A municipality",
       false,
       false,
       true,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto m, P.GetMunicipality(c.Path<MunicipalityTag>(0)));
         return Ok(ToJson(m));
       }});
  Add({"POST",
       "/api/v1/municipalities",
       "municipalities",
       "Add a municipality (platform admin)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         domain::Municipality m;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateMunicipality(c.who, m));
         return Ok(ToJson(made), 201);
       }});
  Add({"PATCH",
       "/api/v1/municipalities/{id}",
       "municipalities",
       "Change a municipality (its officers)",
       true,
       true,
       false,
       {},
       [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto m,
                                  P.UpdateMunicipality(c.who, c.Path<MunicipalityTag>(0),
                                                       [&](domain::Municipality& x) { return Apply(c.body, x); }));
         return Ok(ToJson(m));
       }});
}

}  // namespace weefsel::http
