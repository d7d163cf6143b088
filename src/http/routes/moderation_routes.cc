// http/routes/moderation_routes.cc: the moderation routes of the API (issue 20; see http/api.h for
// the table and service/platform.h for the rights): reports, the queue of a municipality, hiding
// and restoring, dismissing reports, blocking and unblocking accounts.
#include "domain/fields/field_table.h"
#include "http/api.h"
#include "http/call.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

namespace {

// Reporters are never named in answers (the service clears them, this leaves them out).
Json ReportJson(const domain::Report& r) { return Encode(fields::ReportFields(), r); }

Json HiddenJson(const domain::HiddenItem& h) { return Encode(fields::HiddenItemFields(), h); }

Json BlockJson(const domain::AccountBlock& b) { return Encode(fields::AccountBlockFields(), b); }

Json ItemJson(const service::ModerationItem& it) { return Encode(fields::ModerationItemFields(), it); }

// The schemas of the answers above: the field tables' components or shapes, else written beside the
// encoders.
Json ReportSchema() { return Ref("Report"); }
Json HiddenSchema() { return Ref("HiddenItem"); }
Json HiddenPublic() {
  return Obj({{"id", Scalar("integer")}, {"reason", Scalar("string")}, {"hidden_at", Scalar("string")}});
}
Json BlockSchema() { return ShapeSchema(fields::AccountBlockFields()); }
Json ItemSchema() { return ShapeSchema(fields::ModerationItemFields()); }

// {target, id[, reason]} of a moderation request.
struct TargetBody {
  std::string target, reason;
  int64_t id = 0;
  MunicipalityId municipality;
};
Result<TargetBody> DecodeTarget(const Json& body, bool with_reason, bool with_municipality = false) {
  Fields f(body, "body");
  TargetBody t;
  WEEFSEL_RETURN_IF_ERROR(f.Str("target", t.target, 20));
  WEEFSEL_RETURN_IF_ERROR(f.Int("id", t.id));
  if (with_reason) WEEFSEL_RETURN_IF_ERROR(f.Str("reason", t.reason, 4000));
  if (with_municipality && f.Has("municipality") && !f.At("municipality").is_null())
    WEEFSEL_RETURN_IF_ERROR(f.IdField("municipality", t.municipality));
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  if (!f.Has("target")) return f.Error("target", "required (comment, proposal, profile or task_challenge)");
  if (!f.Has("id")) return f.Error("id", "required (the comment's, proposal's or account's id)");
  return t;
}

}  // namespace

void Api::BuildModerationRoutes() {
  service::Platform& P = platform_;
  Add({.method = "POST",
       .path = "/api/v1/reports",
       .tag = "moderation",
       .summary = "Report a comment, proposal or profile with a reason (any signed-in user)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"target", StrMax(20)}, {"id", Scalar("integer")}, {"reason", StrMax(4000)}}, {"target", "id"}),
       .response = ReportSchema(),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(TargetBody t, DecodeTarget(c.body, true, true));
         WEEFSEL_ASSIGN_OR_RETURN(auto r, P.ReportContent(c.who, t.target, t.id, t.reason, t.municipality));
         return Ok(ReportJson(r));
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/moderation",
       .tag = "moderation",
       .summary = "The moderation queue: reported and hidden items (moderators, officers), paged",
       .success = 200,
       .needs_user = true,
       .query = {"limit", "offset"},
       .response = Obj({{"items", ArrayOf(ItemSchema())},
                        {"total", Scalar("integer")},
                        {"limit", Scalar("integer")},
                        {"offset", Scalar("integer")},
                        {"next", Nullable("string")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(int64_t limit,
                                  PageParam(c, "limit", c.options.default_page_size, 1, c.options.max_page_size));
         WEEFSEL_ASSIGN_OR_RETURN(int64_t offset, PageParam(c, "offset", 0, 0, int64_t{1} << 40));
         WEEFSEL_ASSIGN_OR_RETURN(auto page, P.ModerationQueue(c.who, c.Path<MunicipalityTag>(0), limit, offset));
         Json items = Json::array();
         const int64_t total = page.total;
         for (const auto& it : page.items) items.push_back(ItemJson(it));
         domain::ListQuery q;
         q.limit = limit;
         q.offset = offset;
         return Ok({{"items", std::move(items)},
                    {"total", total},
                    {"limit", limit},
                    {"offset", offset},
                    {"next", offset + limit < total ? Json(NextLink(c, q)) : Json(nullptr)}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/moderation/hide",
       .tag = "moderation",
       .summary = "Hide a comment, proposal or profile with a public reason (moderators, officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"target", StrMax(20)},
                        {"id", Scalar("integer")},
                        {"reason", StrMax(4000)},
                        {"municipality", NullableId()}},
                       {"target", "id"}),
       .response = HiddenSchema(),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(TargetBody t, DecodeTarget(c.body, true));
         WEEFSEL_ASSIGN_OR_RETURN(auto h, P.Hide(c.who, t.target, t.id, t.reason));
         return Ok(HiddenJson(h));
       }});
  Add({.method = "POST",
       .path = "/api/v1/moderation/restore",
       .tag = "moderation",
       .summary = "Restore a hidden comment, proposal or profile (moderators, officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"target", StrMax(20)}, {"id", Scalar("integer")}}, {"target", "id"}),
       .response = Obj({{"target", Scalar("string")}, {"target_id", Scalar("integer")}, {"hidden", Scalar("boolean")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(TargetBody t, DecodeTarget(c.body, false));
         WEEFSEL_RETURN_IF_ERROR(P.Restore(c.who, t.target, t.id));
         return Ok({{"target", t.target}, {"target_id", t.id}, {"hidden", false}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/reports/{id}/dismiss",
       .tag = "moderation",
       .summary = "Close a report without hiding its target (moderators, officers)",
       .success = 200,
       .needs_user = true,
       .response = ReportSchema(),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto r, P.DismissReport(c.who, c.ids.at(0)));
         return Ok(ReportJson(r));
       }});
  Add({.method = "POST",
       .path = "/api/v1/users/{id}/block",
       .tag = "moderation",
       .summary = "Block an account: no sign-in, sessions and tokens end (moderators, officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = WriteSchema(fields::AccountBlockFields()),
       .response = BlockSchema(),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::AccountBlock body;  // the reason
         WEEFSEL_RETURN_IF_ERROR(Decode(fields::AccountBlockFields(), c.body, body, "body"));
         WEEFSEL_ASSIGN_OR_RETURN(auto b, P.BlockAccount(c.who, c.Path<UserTag>(0), body.reason));
         return Ok(BlockJson(b));
       }});
  Add({.method = "GET",
       .path = "/api/v1/proposals/{id}/moderation",
       .tag = "moderation",
       .summary = "The public reasons why a proposal or its comments are hidden (no text, no author)",
       .success = 200,
       .response = Obj(
           {{"proposal", Json{{"oneOf", {HiddenPublic(), Scalar("null")}}}}, {"comments", ArrayOf(HiddenPublic())}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.HiddenOnProposal(c.Path<ProposalTag>(0)));
         auto pub = [](const domain::HiddenItem& h) {
           return Json{{"id", h.target_id}, {"reason", h.reason}, {"hidden_at", h.hidden_at}};
         };
         Json comments = Json::array();
         for (const auto& h : x.comments) comments.push_back(pub(h));
         return Ok({{"proposal", x.proposal ? pub(*x.proposal) : Json(nullptr)}, {"comments", std::move(comments)}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/users/{id}/unblock",
       .tag = "moderation",
       .summary = "Unblock an account (moderators, officers)",
       .success = 200,
       .needs_user = true,
       .response = Obj({{"user", Scalar("integer")}, {"blocked", Scalar("boolean")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.UnblockAccount(c.who, c.Path<UserTag>(0)));
         return Ok({{"user", c.ids.at(0)}, {"blocked", false}});
       }});
}

}  // namespace weefsel::http
