// http/routes/audit_routes.cc: the audit routes of the API (see http/api.h for the table).
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

void Api::BuildAuditRoutes() {
  service::Platform& P = platform_;
  // The audit log.
  Add({.method = "GET",
       .path = "/api/v1/audit",
       .tag = "audit",
       .summary =
           "Every change of one entity: who, when, action, before and after (officers of its municipality, admins)",
       .success = 200,
       .needs_user = true,
       .query = {"entity", "id"},
       .response = ItemsOf("AuditEntry"),
       .handler = [&P](Call& c) -> Result<Reply> {
         if (!c.req.HasParam("entity")) return Status::InvalidArgument("entity: required");
         if (!c.req.HasParam("id")) return Status::InvalidArgument("id: required");
         auto id = ParseInt(c.req.Param("id"));
         if (!id || *id < 1) return Status::InvalidArgument("id: must be a positive id");
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.AuditOf(c.who, c.req.Param("entity"), *id));
         Json items = Json::array();
         for (const auto& e : rows) items.push_back(ToJson(e));
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "PUT",
       .path = "/api/v1/rounds/{id}/ballot",
       .tag = "rounds",
       .summary = "Cast or replace your ballot while voting is open (residents)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("BallotWrite"),
       .response = Ref("Ballot"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto entries, DecodeBallot(c.body));
         WEEFSEL_ASSIGN_OR_RETURN(auto b, P.CastBallot(c.who, c.Path<RoundTag>(0), entries));
         return Ok(ToJson(b));
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/ballot",
       .tag = "rounds",
       .summary = "Your own ballot in a round",
       .success = 200,
       .needs_user = true,
       .response = Ref("Ballot"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto b, P.OwnBallot(c.who, c.Path<RoundTag>(0)));
         return Ok(ToJson(b));
       }});
  // The receipt of your own ballot, and the codes of every counted ballot once voting has closed
  // (service/rounds/receipts.cc, docs/decisions/0007-ballot-receipt.md).
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/ballot/receipt",
       .tag = "rounds",
       .summary = "The receipt of your own ballot: what it chose, their cost together, when, and its receipt code",
       .success = 200,
       .needs_user = true,
       .response = Obj({{"round", Scalar("integer")},
                        {"code", Scalar("string")},
                        {"kind", Scalar("string")},
                        {"entries", ArrayOf(Obj({{"project_id", Scalar("string")}, {"points", Scalar("integer")}}))},
                        {"total_eur", Scalar("integer")},
                        {"cast_at", Scalar("string")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto r, P.OwnReceipt(c.who, c.Path<RoundTag>(0)));
         Json entries = Json::array();
         for (const auto& e : r.entries) entries.push_back({{"project_id", e.project_id}, {"points", e.points}});
         return Ok({{"round", r.round.value()},
                    {"code", r.code},
                    {"kind", std::string(domain::BallotKindCode(r.kind))},
                    {"entries", std::move(entries)},
                    {"total_eur", r.total_eur},
                    {"cast_at", r.cast_at}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/receipts",
       .tag = "rounds",
       .summary = "The receipt codes of every ballot the round counts, sorted, once voting has closed (409 before)",
       .success = 200,
       .cached = true,  // one hash per ballot: computed once per change of the round, not per request
       .scopes = {"round:{id}"},
       .response = Obj({{"round", Scalar("integer")}, {"codes", ArrayOf(Scalar("string"))}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         RoundId id = c.Path<RoundTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto codes, P.Receipts(id));
         return Ok({{"round", id.value()}, {"codes", codes}});
       }});
}

}  // namespace weefsel::http
