// http/routes/route_kit.h: what the route files share (internal to http/): replies, paging,
// ETags, problem fields, and the query parameters of list routes.
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "base/strings.h"
#include "http/call.h"

namespace weefsel::http::kit {

using service::Principal;

inline const std::vector<std::string> kPage = {"limit", "offset"};
inline const std::vector<std::string> kListQ = {"limit", "offset", "municipality", "q", "sort"};
inline std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// ---- the schemas a route declares (OpenAPI; components from http/fields/) ----

// A component schema: "Actor" (as answered) or "ActorWrite" (as a request sends it).
inline Json Ref(const std::string& component) { return {{"$ref", "#/components/schemas/" + component}}; }
// An object with these properties, all required unless listed in `optional`.
inline Json Obj(Json properties, const std::vector<std::string>& optional = {}) {
  Json required = Json::array();
  for (auto it = properties.begin(); it != properties.end(); ++it)
    if (std::find(optional.begin(), optional.end(), it.key()) == optional.end()) required.push_back(it.key());
  return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}
// A request body: only these properties (none required unless listed).
inline Json Body(Json properties, const std::vector<std::string>& required = {}) {
  Json s = {{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}
inline Json ArrayOf(Json item) { return {{"type", "array"}, {"items", std::move(item)}}; }
inline Json Scalar(const char* type) { return {{"type", type}}; }
inline Json Nullable(const char* type) { return {{"type", Json::array({type, "null"})}}; }
inline Json StrMax(size_t max) { return {{"type", "string"}, {"maxLength", max}}; }
inline Json NullableId() { return {{"type", Json::array({"integer", "null"})}}; }
// An object whose top-level keys are given and required, their values of any type (a shallow
// schema for the engines' reports, whose inner shape is their module's own).
inline Json Keys(const std::vector<std::string>& keys) {
  Json props = Json::object();
  for (const auto& k : keys) props[k] = Json::object();
  return Obj(std::move(props));
}
inline Json Enum(const std::vector<std::string>& codes) { return {{"type", "string"}, {"enum", codes}}; }
// {"items": [...]} of one component.
inline Json ItemsOf(const std::string& component) { return Obj({{"items", ArrayOf(Ref(component))}}); }
// A page of a list (StorePage / MemoryPage): items, limit, offset and the link to the next page.
inline Json PageOf(const std::string& component) {
  return Obj({{"items", ArrayOf(Ref(component))},
              {"limit", Scalar("integer")},
              {"offset", Scalar("integer")},
              {"next", Nullable("string")}});
}
// An engine's answer stamped with the data version it was built at (Stamp below).
inline Json Stamped(Json schema) {
  schema["properties"]["as_of"] = Scalar("integer");
  schema["properties"]["stale"] = Scalar("boolean");
  schema["required"].push_back("as_of");
  schema["required"].push_back("stale");
  return schema;
}
// An answer without a fixed shape, marked visibly with the reason (a test counts these).
inline Json FreeForm(const std::string& why) { return {{"x-free-form", why}}; }

inline constexpr const char* kSessionCookie = "weefsel_session";

// A successful answer with the route's declared success status.
inline Reply Ok(Json j) {
  Reply r;
  r.json = std::move(j);
  return r;
}

// An engine's answer (service/published.h): the data version it was built at, in the body
// ("as_of", "stale") when the body is an object and in the Weefsel-As-Of header always; a stale
// answer ("Weefsel-Stale: true") is not stored in the response cache.
inline Reply Stamp(Reply r, int64_t as_of, bool stale) {
  if (r.json.is_object()) {
    r.json["as_of"] = as_of;
    r.json["stale"] = stale;
  }
  r.headers.emplace_back("Weefsel-As-Of", std::to_string(as_of));
  if (stale) r.headers.emplace_back("Weefsel-Stale", "true");
  r.stale = stale;
  return r;
}

// A successful answer without a body (the route declares .success = 204).
inline Reply NoContent() { return Reply{}; }

// 64-bit FNV-1a of the body, as a strong ETag.
inline std::string ETagOf(const std::string& body) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

inline bool EtagMatches(const std::string& header, const std::string& etag) {
  if (header.empty()) return false;
  if (Trim(header) == "*") return true;
  for (const auto& part : Split(header, ',')) {
    std::string_view t = Trim(part);
    if (StartsWith(t, "W/")) t.remove_prefix(2);
    if (t == etag) return true;
  }
  return false;
}

inline std::string CookieValue(const Request& req, const std::string& name) { return req.Cookie(name); }

// The title of a problem: the standard reason phrase (http/message.h).
inline std::string ReasonOf(int status) {
  std::string r = ReasonPhrase(status);
  if (r == "Unknown") return status >= 500 ? "Internal Server Error" : "Error";
  return r;
}

// "actor.name: must not be empty" -> "actor.name"; messages without a leading field give "".
inline std::string FieldOf(const std::string& message) {
  auto colon = message.find(": ");
  if (colon == std::string::npos || colon == 0 || colon > 80) return "";
  std::string head = message.substr(0, colon);
  if (head.find(' ') != std::string::npos) return "";
  return head;
}

inline Result<domain::ListQuery> ListQueryOf(const Call& c) {
  domain::ListQuery q;
  q.limit = c.options.default_page_size;
  const auto& req = c.req;
  if (req.HasParam("limit")) {
    auto v = ParseInt(req.Param("limit"));
    if (!v || *v < 1) return Status::InvalidArgument("limit: must be a positive integer");
    if (*v > c.options.max_page_size)
      return Status::InvalidArgument("limit: at most " + std::to_string(c.options.max_page_size) + " items per page");
    q.limit = *v;
  }
  if (req.HasParam("offset")) {
    auto v = ParseInt(req.Param("offset"));
    if (!v || *v < 0) return Status::InvalidArgument("offset: must be a non-negative integer");
    q.offset = *v;
  }
  if (req.HasParam("municipality")) {
    auto v = ParseInt(req.Param("municipality"));
    if (!v || *v < 1) return Status::InvalidArgument("municipality: must be a municipality id");
    q.municipality = MunicipalityId(*v);
  }
  if (req.HasParam("kind")) {
    auto k = domain::ParseActorKind(req.Param("kind"));
    if (!k.ok()) return Status::InvalidArgument("kind: " + k.status().message());
    q.kind = *k;
  }
  if (req.HasParam("phase")) {
    auto p = domain::ParseChallengePhase(req.Param("phase"));
    if (!p.ok()) return Status::InvalidArgument("phase: " + p.status().message());
    q.phase = *p;
  }
  if (req.HasParam("theme")) {
    auto t = domain::ParseTheme(req.Param("theme"));
    if (!t.ok()) return Status::InvalidArgument("theme: " + t.status().message());
    q.theme = *t;
  }
  if (req.HasParam("q")) {
    q.search = req.Param("q");
    if (q.search.size() > 200) return Status::InvalidArgument("q: at most 200 characters");
  }
  if (req.HasParam("sort")) q.order_by = req.Param("sort");
  return q;
}

inline std::string NextLink(const Call& c, const domain::ListQuery& q) {
  std::string link = c.req.path + "?";
  bool first = true;
  for (const auto& [k, v] : c.req.params) {
    if (k == "offset" || k == "limit") continue;
    link += (first ? "" : "&") + k + "=" + EncodeQueryParam(v);
    first = false;
  }
  link += (first ? "" : "&") + std::string("limit=") + std::to_string(q.limit) +
          "&offset=" + std::to_string(q.offset + q.limit);
  return link;
}

// A page from a store list that was asked for q.limit + 1 rows.
template <typename T>
Reply StorePage(const Call& c, const domain::ListQuery& q, const std::vector<T>& rows) {
  Json items = Json::array();
  size_t n = std::min(rows.size(), static_cast<size_t>(q.limit));
  for (size_t i = 0; i < n; ++i) items.push_back(ToJson(rows[i]));
  bool more = rows.size() > static_cast<size_t>(q.limit);
  return Ok({{"items", std::move(items)},
             {"limit", q.limit},
             {"offset", q.offset},
             {"next", more ? Json(NextLink(c, q)) : Json(nullptr)}});
}

// A page cut from a complete list.
template <typename T>
Reply MemoryPage(const Call& c, const domain::ListQuery& q, const std::vector<T>& all) {
  std::vector<T> slice;
  for (size_t i = static_cast<size_t>(q.offset); i < all.size() && slice.size() <= static_cast<size_t>(q.limit); ++i)
    slice.push_back(all[i]);
  return StorePage(c, q, slice);
}

inline Result<domain::ListQuery> Fetch(const Call& c) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::ListQuery q, ListQueryOf(c));
  return q;
}

inline domain::ListQuery PlusOne(domain::ListQuery q) {
  q.limit += 1;
  return q;
}

// The sort error of the store names "list.order_by"; the API calls it "sort".
inline Status Rename(const Status& s) {
  if (StartsWith(s.message(), "list.order_by: ")) return Status(s.code(), "sort: " + s.message().substr(15));
  return s;
}

// An integer query parameter from lo to hi (limit, offset), `fallback` when absent.
inline Result<int64_t> PageParam(const Call& c, const char* name, int64_t fallback, int64_t lo, int64_t hi) {
  if (!c.req.HasParam(name)) return fallback;
  auto v = ParseInt(c.req.Param(name));
  if (!v || *v < lo || *v > hi)
    return Status::InvalidArgument(std::string(name) + ": must be an integer from " + std::to_string(lo) + " to " +
                                   std::to_string(hi));
  return *v;
}

inline Result<ActorId> ActorOfBody(const Json& body) {
  Fields f(body, "body");
  ActorId a;
  WEEFSEL_RETURN_IF_ERROR(f.IdField("actor", a));
  if (!a.valid()) return f.Error("actor", "required: the id of an actor");
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  return a;
}

inline Result<std::string> StringOfBody(const Json& body, const char* name, size_t max) {
  Fields f(body, "body");
  std::string s;
  WEEFSEL_RETURN_IF_ERROR(f.Str(name, s, max));
  if (!f.Has(name)) return f.Error(name, "required");
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  return s;
}

}  // namespace weefsel::http::kit
