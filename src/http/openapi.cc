// http/openapi.cc: the OpenAPI 3.1 document, generated from the route table: each route's request
// and response schema as it declares them (http/api.h, Route::request / response), the component
// schemas from the field tables (http/fields/entity_fields.h).
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

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace)

// ---- OpenAPI --------------------------------------------------------------------------------

Json Api::OpenApi() const {
  Json paths = Json::object();
  for (const Route& r : routes_) {
    Json op = {{"operationId", ""}, {"summary", r.summary}, {"tags", Json::array({r.tag})}};
    std::string opid = ToLowerAscii(r.method);
    Json params = Json::array();
    for (const auto& s : r.segments) {
      if (s.size() > 2 && s.front() == '{') {
        std::string name = s.substr(1, s.size() - 2);
        params.push_back(
            {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "integer"}, {"minimum", 1}}}});
        opid += "_by_" + name;
      } else {
        opid += "_" + s;
      }
    }
    for (const auto& q : r.query) {
      Json schema =
          (q == "limit" || q == "offset" || q == "municipality") ? Json{{"type", "integer"}} : Json{{"type", "string"}};
      if (q == "limit") schema["maximum"] = options_.max_page_size;
      params.push_back({{"name", q}, {"in", "query"}, {"required", false}, {"schema", schema}});
    }
    for (char& ch : opid)
      if (ch == '.' || ch == '-') ch = '_';
    op["operationId"] = opid;
    if (!params.empty()) op["parameters"] = params;
    if (r.has_body) {
      Json schema = r.request.is_null() ? Json{{"type", "object"}} : r.request;
      op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    Json problem = {
        {"description", "An RFC 9457 problem naming the field at fault"},
        {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    Json answer = r.response.is_null() ? Json{{"type", "object"}} : r.response;
    Json ok = {{"description", "Success"}, {"content", {{"application/json", {{"schema", answer}}}}}};
    Json responses = Json::object();
    if (r.success == 204)
      responses["204"] = {{"description", "Done"}};
    else
      responses[std::to_string(r.success)] = ok;
    if (r.method == "GET") responses["304"] = {{"description", "Not modified (If-None-Match matched the ETag)"}};
    responses["default"] = problem;
    op["responses"] = responses;
    if (r.needs_user) op["security"] = Json::array({{{"session", Json::array()}}, {{"token", Json::array()}}});
    paths[r.path][ToLowerAscii(r.method)] = op;
  }
  Json schemas = fields::ComponentSchemas();
  Json codes = Json::array();
  for (const RefusalCode& c : RefusalCodes()) codes.push_back(std::string(c.code));
  Json problem_schema = {
      {"type", "object"},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"detail", {{"type", "string"}}},
        {"instance", {{"type", "string"}}},
        {"field", {{"type", "string"}}},
        {"code",
         {{"type", "string"},
          {"description", "A stable refusal code for the client to word (docs/api.md, Refusal codes)"},
          {"enum", codes}}},
        {"params",
         {{"type", "object"},
          {"description", "The code's parameters, all strings"},
          {"additionalProperties", {{"type", "string"}}}}},
        {"request_id", {{"type", "string"}}}}}};
  schemas["Problem"] = problem_schema;
  return {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "weefsel API"},
        {"version", "1"},
        {"description", "weefsel: an open platform for social innovation in Dutch municipalities. See docs/api.md."},
        {"license", {{"name", "AGPL-3.0-or-later"}, {"identifier", "AGPL-3.0-or-later"}}}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"securitySchemes",
         {{"session",
           {{"type", "apiKey"},
            {"in", "cookie"},
            {"name", kSessionCookie},
            {"description",
             "Session cookie from POST /api/v1/auth/login; state-changing requests also need the X-CSRF-Token "
             "header"}}},
          {"token",
           {{"type", "http"}, {"scheme", "bearer"}, {"description", "API token from POST /api/v1/auth/tokens"}}}}}}}};
}

// ---- the pipeline ---------------------------------------------------------------------------

}  // namespace weefsel::http
