// http/routes/municipalities_routes.cc: the municipalities routes of the API (see http/api.h for the table).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/strings.h"
#include "http/api.h"
#include "http/call.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"
#include "match/match_json.h"
#include "service/appearance.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

namespace {

Json AppearanceJson(const domain::Appearance& a) { return Encode(fields::AppearanceFields(), a); }

}  // namespace

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

  // How a municipality's pages look (service/appearance.h): theme, name, logo.
  service::Appearances& A = appearances_;
  const Json appearance = Ref("Appearance");
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/appearance",
       .tag = "municipalities",
       .summary = "How the municipality's pages look: NL Design System theme, the name they show, the logo's URL",
       .success = 200,
       .cached = true,
       .scopes = {"municipality:{id}"},
       .response = appearance,
       .handler = [&A](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto a, A.Get(c.Path<MunicipalityTag>(0)));
         return Ok(AppearanceJson(a));
       }});
  Add({.method = "PUT",
       .path = "/api/v1/municipalities/{id}/appearance",
       .tag = "municipalities",
       .summary = "Set the theme (voorbeeld, denhaag, utrecht; empty: the default) and the name the pages show "
                  "(officers of the municipality, admins)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("AppearanceWrite"),
       .response = appearance,
       .handler = [&A](Call& c) -> Result<Reply> {
         // The body is checked first (a bad body is refused before the rights are asked), then the
         // fields it names are written onto the stored appearance by the same table.
         domain::Appearance checked;
         WEEFSEL_RETURN_IF_ERROR(Decode(fields::AppearanceFields(), c.body, checked));
         WEEFSEL_ASSIGN_OR_RETURN(auto a, A.Change(c.who, c.Path<MunicipalityTag>(0), [&](domain::Appearance& x) {
           return Decode(fields::AppearanceFields(), c.body, x);
         }));
         return Ok(AppearanceJson(a));
       }});
  Add({.method = "PUT",
       .path = "/api/v1/municipalities/{id}/logo",
       .tag = "municipalities",
       .summary = "Set the logo: {\"image\": base64 of a PNG, JPEG or WebP of at most 256 KiB} (\"\" removes it; "
                  "officers of the municipality, admins)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"image", StrMax(service::kMaxLogoBase64)}}, {"image"}),
       .response = appearance,
       .handler = [&A](Call& c) -> Result<Reply> {
         Fields f(c.body, "logo");
         std::string b64;
         WEEFSEL_RETURN_IF_ERROR(f.Str("image", b64, service::kMaxLogoBase64));
         if (!f.Has("image")) return f.Error("image", "required: base64 of the image, or \"\" to remove the logo");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(std::string bytes, service::DecodeLogoBase64(b64));
         WEEFSEL_ASSIGN_OR_RETURN(auto a, A.SetLogo(c.who, c.Path<MunicipalityTag>(0), bytes));
         return Ok(AppearanceJson(a));
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/logo",
       .tag = "municipalities",
       .summary = "The municipality's logo image (404 when it has none)",
       .success = 200,
       // Cached with its content type until the municipality changes. Browsers revalidate it on each
       // use (Cache-Control: no-cache) and the ETag answers 304, so a new logo shows at once.
       .cached = true,
       .scopes = {"municipality:{id}"},
       .response = FreeForm("an image (image/png, image/jpeg or image/webp), not JSON"),
       .handler = [&A](Call& c) -> Result<Reply> {
         MunicipalityId m = c.Path<MunicipalityTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto a, A.Get(m));
         if (a.logo.empty()) return Status::NotFound("municipality " + std::to_string(m.value()) + " has no logo");
         Reply r;
         r.raw = std::move(a.logo);
         r.content_type = a.logo_type;
         return r;
       }});
}

}  // namespace weefsel::http
