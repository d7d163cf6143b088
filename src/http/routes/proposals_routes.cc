// http/routes/proposals_routes.cc: the proposals routes of the API (see http/api.h for the table).
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

void Api::BuildProposalRoutes() {
  service::Platform& P = platform_;
  // Proposals.
  Add({.method = "GET",
       .path = "/api/v1/challenges/{id}/proposals",
       .tag = "proposals",
       .summary = "The proposals for a challenge",
       .success = 200,
       .cached = true,
       .scopes = {"proposals", "challenge:{id}"},
       .query = kPage,
       .response = PageOf("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.ProposalsOf(c.Path<ChallengeTag>(0)));
         return MemoryPage(c, q, rows);
       }});
  Add({.method = "POST",
       .path = "/api/v1/coalitions/{id}/proposals",
       .tag = "proposals",
       .summary = "Write a proposal (members of the coalition's actors)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ProposalVersionWrite"),
       .response = Ref("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::ProposalVersion v;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, v));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateProposal(c.who, c.Path<CoalitionTag>(0), v));
         return Ok(ToJson(made));
       }});
  Add({.method = "GET",
       .path = "/api/v1/proposals/{id}",
       .tag = "proposals",
       .summary = "A proposal with all its versions",
       .success = 200,
       .cached = true,
       .scopes = {"proposals", "proposal:{id}"},
       .response = Ref("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetProposal(c.Path<ProposalTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/proposals/{id}/diff",
       .tag = "proposals",
       .summary = "A line diff between two versions of a proposal (from, to: version numbers)",
       .success = 200,
       .cached = true,
       .scopes = {"proposals", "proposal:{id}"},
       .query = {"from", "to"},
       .response = Obj({{"proposal", Scalar("integer")},
                        {"from", Scalar("integer")},
                        {"to", Scalar("integer")},
                        {"added", Scalar("integer")},
                        {"removed", Scalar("integer")},
                        {"minimal", Scalar("boolean")},
                        {"lines", ArrayOf(Obj({{"op", Enum({"+", "-", " "})}, {"text", Scalar("string")}}))}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         int64_t from = 0, to = 0;
         using Param = std::pair<const char*, int64_t*>;
         for (auto [name, out] : {Param{"from", &from}, Param{"to", &to}}) {
           if (!c.req.HasParam(name))
             return Status::InvalidArgument(std::string(name) + ": required (a version number)");
           auto v = ParseId(c.req.Param(name));
           if (!v || *v > 100000)
             return Status::InvalidArgument(std::string(name) + ": must be a version number (1, 2, ...)");
           *out = *v;
         }
         WEEFSEL_ASSIGN_OR_RETURN(auto diff,
                                  P.DiffVersions(c.Path<ProposalTag>(0), static_cast<int>(from), static_cast<int>(to)));
         Json items = Json::array();
         int added = 0, removed = 0;
         for (const auto& l : diff.lines) {
           items.push_back({{"op", std::string(1, l.op)}, {"text", l.text}});
           added += l.op == '+';
           removed += l.op == '-';
         }
         return Ok({{"proposal", c.ids.at(0)},
                    {"from", from},
                    {"to", to},
                    {"added", added},
                    {"removed", removed},
                    {"minimal", diff.minimal},
                    {"lines", std::move(items)}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/proposals/{id}/versions",
       .tag = "proposals",
       .summary = "Add a new version (members of the coalition's actors)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ProposalVersionWrite"),
       .response = Ref("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::ProposalVersion v;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, v));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.AddVersion(c.who, c.Path<ProposalTag>(0), v));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/proposals/{id}/status",
       .tag = "proposals",
       .summary = "Submit (coalition) or decide on (officers) a proposal",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"status", StrMax(20)}}, {"status"}),
       .response = Ref("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string status, StringOfBody(c.body, "status", 20));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.SetProposalStatus(c.who, c.Path<ProposalTag>(0), status));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/proposals/{id}/comments",
       .tag = "proposals",
       .summary = "The comments on a proposal",
       .success = 200,
       .query = kPage,
       .response = PageOf("Comment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.CommentsOf(c.Path<ProposalTag>(0)));
         return MemoryPage(c, q, rows);
       }});
  Add({.method = "POST",
       .path = "/api/v1/proposals/{id}/comments",
       .tag = "proposals",
       .summary = "Comment on a proposal, or reply to a comment with parent (any signed-in user)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"text", StrMax(5000)}, {"parent", NullableId()}}),
       .response = Ref("Comment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "comment");
         std::string text;
         int64_t parent = 0;
         WEEFSEL_RETURN_IF_ERROR(f.Str("text", text, 5000));
         if (!f.Has("text")) return f.Error("text", "required");
         if (f.Has("parent") && !f.At("parent").is_null()) WEEFSEL_RETURN_IF_ERROR(f.Int("parent", parent));
         if (parent < 0) return f.Error("parent", "must be the id of a comment on this proposal");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.AddComment(c.who, c.Path<ProposalTag>(0), text, parent));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/proposals/{id}/supports",
       .tag = "proposals",
       .summary = "Support a proposal (residents of its municipality, once)",
       .success = 201,
       .needs_user = true,
       .response = Ref("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.Support(c.who, c.Path<ProposalTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({.method = "DELETE",
       .path = "/api/v1/proposals/{id}/supports",
       .tag = "proposals",
       .summary = "Withdraw your support for a proposal (404 when you do not support it)",
       .needs_user = true,
       .response = Ref("Proposal"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.Unsupport(c.who, c.Path<ProposalTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/proposals/{id}/supports/mine",
       .tag = "proposals",
       .summary = "Whether you support the proposal: {\"supported\": true|false}",
       .needs_user = true,
       .response = Obj({{"supported", Scalar("boolean")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(bool yes, P.Supports(c.who, c.Path<ProposalTag>(0)));
         return Ok(Json{{"supported", yes}});
       }});
}

}  // namespace weefsel::http
