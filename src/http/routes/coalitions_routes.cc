// http/routes/coalitions_routes.cc: the coalitions routes of the API (see http/api.h for the table).
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

void Api::BuildCoalitionRoutes() {
  service::Platform& P = platform_;
  // Coalitions.
  Add({.method = "GET",
       .path = "/api/v1/challenges/{id}/coalitions",
       .tag = "coalitions",
       .summary = "The coalitions proposed for a challenge",
       .success = 200,
       .cached = true,
       .scopes = {"coalitions", "challenge:{id}"},
       .query = kPage,
       .response = PageOf("Coalition"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.CoalitionsOf(c.Path<ChallengeTag>(0)));
         return MemoryPage(c, q, rows);
       }});
  Add({.method = "POST",
       .path = "/api/v1/challenges/{id}/coalitions",
       .tag = "coalitions",
       .summary = "Propose a coalition (officers of the challenge's municipality)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("CoalitionWrite"),
       .response = Ref("Coalition"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Coalition x;
         if (c.body.contains("challenge")) return Status::InvalidArgument("coalition.challenge: given by the path");
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, x));
         x.challenge = c.Path<ChallengeTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.ProposeCoalition(c.who, x));
         return Ok(ToJson(made));
       }});
  Add({.method = "GET",
       .path = "/api/v1/coalitions/{id}",
       .tag = "coalitions",
       .summary = "A coalition with its members",
       .success = 200,
       .cached = true,
       .scopes = {"coalitions"},
       .response = Ref("Coalition"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetCoalition(c.Path<CoalitionTag>(0)));
         return Ok(ToJson(x));
       }});
  struct Answer {
    const char* verb;
    const char* summary;
    Result<domain::Coalition> (service::Platform::*fn)(const Principal&, CoalitionId, ActorId);
    bool officer;
  };
  for (const Answer& ans :
       {Answer{"invite", "Invite an actor into the coalition (officers)", &service::Platform::Invite, true},
        Answer{"accept", "Accept the invitation of an actor (its members)", &service::Platform::Accept, false},
        Answer{"decline", "Decline the invitation of an actor (its members)", &service::Platform::Decline, false}}) {
    auto fn = ans.fn;
    Add({.method = "POST",
         .path = std::string("/api/v1/coalitions/{id}/") + ans.verb,
         .tag = "coalitions",
         .summary = ans.summary,
         .success = 200,
         .needs_user = true,
         .has_body = true,
         .request = Body({{"actor", Scalar("integer")}}, {"actor"}),
         .response = Ref("Coalition"),
         .handler = [&P, fn](Call& c) -> Result<Reply> {
           WEEFSEL_ASSIGN_OR_RETURN(ActorId a, ActorOfBody(c.body));
           WEEFSEL_ASSIGN_OR_RETURN(auto x, (P.*fn)(c.who, c.Path<CoalitionTag>(0), a));
           return Ok(ToJson(x));
         }});
  }
}

}  // namespace weefsel::http
