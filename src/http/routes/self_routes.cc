// http/routes/self_routes.cc: the routes of a user's own account (notifications, settings, their data, the
// deletion of their account), added to Api's one route table by BuildSelfRoutes(). Handlers
// decode, call service::SelfService (which acts on the caller's own data only), encode. The JSON
// shapes are listed in docs/api.md ("Notifications and account self-service").
#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "domain/fields/field_table.h"
#include "http/api.h"
#include "http/call.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"
#include "service/open_data_feed.h"
#include "service/self_service/self_service.h"
#include "service/snapshots.h"

namespace weefsel::http {
namespace {

using kit::ArrayOf;
using kit::Body;
using kit::FreeForm;
using kit::Keys;
using kit::Obj;
using kit::Ok;
using kit::PageParam;
using kit::Ref;
using kit::Scalar;
using kit::StrMax;

// The answers here are encoded by their field tables (domain/fields/entity_fields.h) and declared
// in their shape (ShapeSchema, domain/fields/field_table.h).
Json NotificationJson(const domain::Notification& n, const std::string& language) {
  Json j = Encode(fields::NotificationFields(), n);
  if (language == "en" && !n.title_en.empty()) j["title"] = n.title_en;  // in the reader's language
  return j;
}
Json NotificationSchema() { return ShapeSchema(fields::NotificationFields()); }
Json SettingsSchema() { return ShapeSchema(fields::UserSettingsFields()); }
Json SnapshotSchema(bool with_stability) {
  Json s = ShapeSchema(fields::FabricSnapshotFields());
  if (with_stability) {
    s["properties"]["stability"] = {
        {"oneOf",
         {Obj({{"common_actors", Scalar("integer")}, {"ari", Scalar("number")}, {"nmi", Scalar("number")}}),
          Scalar("null")}}};
    s["required"].push_back("stability");
  }
  return s;
}

Json SettingsJson(const domain::UserSettings& s) { return Encode(fields::UserSettingsFields(), s); }

Json SnapshotJson(const domain::FabricSnapshot& s) { return Encode(fields::FabricSnapshotFields(), s); }

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string ContentTypeOf(const std::string& path) {
  if (EndsWith(path, ".csv")) return "text/csv; charset=utf-8";
  if (EndsWith(path, ".json")) return "application/json";
  if (EndsWith(path, ".graphml")) return "application/xml";
  return "text/plain; charset=utf-8";
}

}  // namespace

void Api::BuildSelfRoutes() {
  service::Platform& P = platform_;

  Add({.method = "GET",
       .path = "/api/v1/notifications",
       .tag = "notifications",
       .summary = "Your notifications, unread first, then newest first (paged)",
       .success = 200,
       .needs_user = true,
       .query = {"limit", "offset"},
       .response = Obj({{"items", ArrayOf(NotificationSchema())},
                        {"unread", Scalar("integer")},
                        {"limit", Scalar("integer")},
                        {"offset", Scalar("integer")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(int64_t limit,
                                  PageParam(c, "limit", c.options.default_page_size, 1, c.options.max_page_size));
         WEEFSEL_ASSIGN_OR_RETURN(int64_t offset, PageParam(c, "offset", 0, 0, int64_t{1} << 40));
         WEEFSEL_ASSIGN_OR_RETURN(service::NotificationPage page, P.self_service().Notifications(c.who, limit, offset));
         Json items = Json::array();
         for (const auto& n : page.items) items.push_back(NotificationJson(n, page.language));
         return Ok({{"items", std::move(items)}, {"unread", page.unread}, {"limit", limit}, {"offset", offset}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/notifications/read",
       .tag = "notifications",
       .summary = "Mark notifications read: {\"ids\": [..]} or {\"all\": true}",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"ids", Json{{"type", "array"}, {"items", Scalar("integer")}, {"maxItems", 1000}}},
                        {"all", Scalar("boolean")}}),
       .response = Obj({{"changed", Scalar("integer")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "read");
         bool all = false;
         WEEFSEL_RETURN_IF_ERROR(f.Bool("all", all));
         std::vector<int64_t> ids;
         if (f.Has("ids")) {
           const Json& j = f.At("ids");
           if (!j.is_array() || j.size() > 1000) return f.Error("ids", "must be a list of at most 1000 ids");
           for (const auto& v : j) {
             if (!v.is_number_integer() || v.get<int64_t>() < 1) return f.Error("ids", "must be positive integers");
             ids.push_back(v.get<int64_t>());
           }
         }
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (all == !ids.empty()) return f.Error("ids", "send either a non-empty list of ids or \"all\": true");
         WEEFSEL_ASSIGN_OR_RETURN(int64_t changed, P.self_service().MarkRead(c.who, ids));
         return Ok({{"changed", changed}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/me/settings",
       .tag = "accounts",
       .summary = "Your settings: the daily digest by e-mail (on/off) and your language",
       .success = 200,
       .needs_user = true,
       .response = SettingsSchema(),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(domain::UserSettings s, P.self_service().Settings(c.who));
         return Ok(SettingsJson(s));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/me/settings",
       .tag = "accounts",
       .summary = "Change your settings: {\"digest\": false} opts out of the daily digest; \"language\": nl or en",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = WriteSchema(fields::UserSettingsFields()),
       .response = SettingsSchema(),
       .handler = [&P](Call& c) -> Result<Reply> {
         service::SelfService& self = P.self_service();
         WEEFSEL_ASSIGN_OR_RETURN(domain::UserSettings s, self.Settings(c.who));
         WEEFSEL_RETURN_IF_ERROR(Decode(fields::UserSettingsFields(), c.body, s));
         WEEFSEL_ASSIGN_OR_RETURN(s, self.PutSettings(c.who, s));
         return Ok(SettingsJson(s));
       }});
  Add({.method = "GET",
       .path = "/api/v1/me/data",
       .tag = "accounts",
       .summary = "Everything stored about you (account, roles, settings, tokens, supports, comments, ballots, "
                  "notifications, the reports you made, a block of your account) as a JSON download",
       .success = 200,
       .needs_user = true,
       .response = Keys({"account", "roles", "settings", "api_tokens", "supports", "comments", "ballots",
                         "notifications", "reports", "block"}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(service::UserData d, P.self_service().DataOf(c.who));
         Json grants = Json::array(), tokens = Json::array(), supports = Json::array(), comments = Json::array(),
              ballots = Json::array(), notes = Json::array();
         for (const auto& g : d.grants) grants.push_back(ToJson(g));
         for (const auto& t : d.tokens)
           tokens.push_back(
               {{"id", t.id}, {"name", t.name}, {"created_at", t.created_at}, {"last_used_at", t.last_used_at}});
         for (ProposalId p : d.supports) supports.push_back({{"proposal", p.value()}});
         for (const auto& cm : d.comments) comments.push_back(ToJson(cm));
         for (const auto& b : d.ballots) ballots.push_back(ToJson(b));
         for (const auto& n : d.notifications) notes.push_back(NotificationJson(n, d.settings.language));
         Json reports = Json::array();
         for (const auto& r : d.reports)
           reports.push_back(
               EncodeOnly(fields::ReportFields(), r,
                          {"id", "target", "target_id", "reason", "created_at", "status", "resolved_at"}));
         Json block = d.block ? EncodeOnly(fields::AccountBlockFields(), *d.block, {"reason", "at"}) : Json(nullptr);
         Json all = {{"account", ToJson(d.user)},
                     {"roles", std::move(grants)},
                     {"settings", SettingsJson(d.settings)},
                     {"api_tokens", std::move(tokens)},
                     {"supports", std::move(supports)},
                     {"comments", std::move(comments)},
                     {"ballots", std::move(ballots)},
                     {"notifications", std::move(notes)},
                     {"reports", std::move(reports)},
                     {"block", std::move(block)}};
         Reply r = Ok(std::move(all));
         r.headers.emplace_back("Content-Disposition", "attachment; filename=\"weefsel-my-data.json\"");
         return r;
       }});
  Add({.method = "DELETE",
       .path = "/api/v1/me",
       .tag = "accounts",
       .summary =
           "Delete your account ({\"password\": ...}): sessions and tokens end, comments stay as by \"removed user\", "
           "ballots stay counted with an anonymous voter key",
       .success = 204,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"password", StrMax(512)}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "account");
         std::string password;
         WEEFSEL_RETURN_IF_ERROR(f.Str("password", password, 512));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (password.empty()) return f.Error("password", "confirm the deletion with your password");
         WEEFSEL_RETURN_IF_ERROR(P.self_service().DeleteAccount(c.who, password));
         Reply r;
         r.headers.emplace_back("Set-Cookie", "weefsel_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
         return r;
       }});

  // Open data: the same files as `weefsel export --open-data`, made once per data version.
  auto feed = std::make_shared<service::OpenDataFeed>(P);
  Add({.method = "GET",
       .path = "/api/v1/open-data",
       .tag = "open data",
       .summary = "The open-data package (Frictionless datapackage.json, CC0); each resource's `url` serves its file",
       .success = 200,
       .response = FreeForm("a Frictionless datapackage.json; its shape is the Data Package standard's"),
       .handler = [feed](Call&) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto bundle, feed->Current());
         auto it = bundle->files.find("datapackage.json");
         if (it == bundle->files.end()) return Status::Internal("open data: the export wrote no datapackage.json");
         Json pkg = Json::parse(it->second, nullptr, false);
         if (!pkg.is_object()) return Status::Internal("open data: datapackage.json is not a JSON object");
         if (pkg.contains("resources") && pkg["resources"].is_array())
           for (auto& res : pkg["resources"])
             if (res.is_object() && res.contains("path") && res["path"].is_string())
               res["url"] = "/api/v1/open-data/file?path=" + res["path"].get<std::string>();
         return Ok(std::move(pkg));
       }});
  Add({.method = "GET",
       .path = "/api/v1/open-data/file",
       .tag = "open data",
       .summary = "One file of the open-data package (?path= as listed in datapackage.json)",
       .success = 200,
       .query = {"path"},
       .response = FreeForm("one file of the package (CSV or JSON), as datapackage.json describes it"),
       .handler = [feed](Call& c) -> Result<Reply> {
         if (!c.req.HasParam("path")) return Status::InvalidArgument("path: name a file of datapackage.json");
         std::string path = c.req.Param("path");
         bool plain = !path.empty() && path.size() <= 200 && std::all_of(path.begin(), path.end(), [](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-' || ch == '/';
         });
         if (!plain) return Status::InvalidArgument("path: a file name of datapackage.json (letters, digits, . _ - /)");
         WEEFSEL_ASSIGN_OR_RETURN(auto bundle, feed->Current());
         auto it = bundle->files.find(path);
         if (it == bundle->files.end()) return Status::NotFound("path: no open-data file '" + path + "'");
         Reply r;
         r.raw = it->second;
         r.content_type = ContentTypeOf(path);
         std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
         r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + "\"");
         return r;
       }});

  // Fabric snapshots and the ties coalitions added (service/snapshots.h).
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/fabric/snapshots",
       .tag = "fabric",
       .summary =
           "Stored snapshots of the fabric (health, typology), oldest first, with the typology's stability (ARI, "
           "NMI) since the one before; this month's is taken first when due",
       .success = 200,
       .response = Obj({{"items", ArrayOf(SnapshotSchema(true))}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto list, service::SnapshotService(P).List(c.Path<MunicipalityTag>(0)));
         Json items = Json::array();
         for (const auto& s : list) {
           Json j = SnapshotJson(s.snapshot);
           j["stability"] = s.since_previous ? Json{{"common_actors", s.since_previous->common_actors},
                                                    {"ari", s.since_previous->ari},
                                                    {"nmi", s.since_previous->nmi}}
                                             : Json(nullptr);
           items.push_back(std::move(j));
         }
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/municipalities/{id}/fabric/snapshots",
       .tag = "fabric",
       .summary = "Take a snapshot of the fabric now (officers of the municipality)",
       .success = 201,
       .needs_user = true,
       .response = SnapshotSchema(false),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto s, service::SnapshotService(P).Take(c.who, c.Path<MunicipalityTag>(0)));
         return Ok(SnapshotJson(s));
       }});
  Add({.method = "GET",
       .path = "/api/v1/coalitions/{id}/ties",
       .tag = "coalitions",
       .summary = "The ties the coalition added: between its accepted members, begun since it was formed",
       .success = 200,
       .response =
           Obj({{"coalition", Scalar("integer")}, {"since", Scalar("string")}, {"ties", ArrayOf(Ref("TiePublic"))}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto t, service::SnapshotService(P).TiesOf(c.Path<CoalitionTag>(0)));
         Json ties = Json::array();
         for (const auto& tie : t.ties) {
           Json j = ToJson(tie);
           j.erase("note");  // private notes stay private
           ties.push_back(std::move(j));
         }
         return Ok({{"coalition", t.coalition.id.value()}, {"since", t.since}, {"ties", std::move(ties)}});
       }});
}

}  // namespace weefsel::http
