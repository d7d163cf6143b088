// http/routes/challenges_routes.cc: the challenges routes of the API (see http/api.h for the table).
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

void Api::BuildChallengeRoutes() {
  service::Platform& P = platform_;
  // Challenges.
  Add({.method = "GET",
       .path = "/api/v1/challenges",
       .tag = "challenges",
       .summary =
           "List challenges (filters: municipality, theme, phase, q; sort: title, created_at, deadline, budget_eur)",
       .success = 200,
       .cached = true,
       .scopes = {"challenges"},
       .query = With(kListQ, {"theme", "phase"}),
       .response = PageOf("Challenge"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListChallenges(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({.method = "GET",
       .path = "/api/v1/challenges/{id}",
       .tag = "challenges",
       .summary = "A challenge",
       .success = 200,
       .cached = true,
       .scopes = {"challenges", "challenge:{id}"},
       .response = Ref("Challenge"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetChallenge(c.Path<ChallengeTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/challenges",
       .tag = "challenges",
       .summary = "Post a challenge (officers of its municipality)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ChallengeWrite"),
       .response = Ref("Challenge"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Challenge x;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, x));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateChallenge(c.who, x));
         return Ok(ToJson(made));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/challenges/{id}",
       .tag = "challenges",
       .summary = "Change a challenge (officers; the phase moves with POST .../phase)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ChallengeWrite"),
       .response = Ref("Challenge"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.UpdateChallenge(c.who, c.Path<ChallengeTag>(0),
                                                            [&](domain::Challenge& y) { return Apply(c.body, y); }));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/challenges/{id}/phase",
       .tag = "challenges",
       .summary =
           "Move a challenge one phase on: open, matching, forming, proposals, funded, experiment, evaluated; or "
           "closed (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"phase", StrMax(20)}}, {"phase"}),
       .response = Ref("Challenge"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string s, StringOfBody(c.body, "phase", 20));
         auto phase = domain::ParseChallengePhase(s);
         if (!phase.ok()) return Status::InvalidArgument("phase: " + phase.status().message());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.SetChallengePhase(c.who, c.Path<ChallengeTag>(0), *phase));
         return Ok(ToJson(x));
       }});

  // Matches (the match engine on a snapshot of the store, rebuilt when the data change).
  Add({.method = "GET",
       .path = "/api/v1/challenges/{id}/matches",
       .tag = "challenges",
       .summary = "The actors that fit a challenge, best first, each with the reasons that carried it",
       .success = 200,
       .cached = true,
       .scopes = {"actors", "ties", "challenges", "coalitions"},
       .query = {"limit"},
       .response = Stamped(Obj({{"items", ArrayOf(Scalar("object"))}, {"limit", Scalar("integer")}})),
       .handler = [this](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto ranked,
                                  engines_.matches().MatchesFor(c.Path<ChallengeTag>(0), static_cast<int>(q.limit)));
         Json items = Json::array();
         for (const auto& m : ranked.items) items.push_back(match::ToJson(m));
         return Stamp(Ok({{"items", items}, {"limit", q.limit}}), ranked.as_of, ranked.stale);
       }});
}

}  // namespace weefsel::http
