// http/routes/rounds_routes.cc: the rounds routes of the API (see http/api.h for the table).
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

void Api::BuildRoundRoutes() {
  service::Platform& P = platform_;
  // Rounds and ballots.
  Add({.method = "GET",
       .path = "/api/v1/rounds",
       .tag = "rounds",
       .summary = "List participatory-budgeting rounds (filter: municipality; sort: name, budget_eur)",
       .success = 200,
       .cached = true,
       .scopes = {"rounds"},
       .query = With(kPage, {"municipality", "sort"}),
       .response = PageOf("Round"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListRounds(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}",
       .tag = "rounds",
       .summary = "A round with its projects",
       .success = 200,
       .cached = true,
       .scopes = {"rounds", "round:{id}"},
       .response = Ref("Round"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetRound(c.Path<RoundTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds",
       .tag = "rounds",
       .summary = "Open a round (officers of its municipality)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("RoundWrite"),
       .response = Ref("Round"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Round r;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, r));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateRound(c.who, r));
         return Ok(ToJson(made));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/rounds/{id}",
       .tag = "rounds",
       .summary = "Change a round's projects and limits before voting (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("RoundWrite"),
       .response = Ref("Round"),
       .handler = [&P](Call& c) -> Result<Reply> {
         if (c.body.contains("phase"))
           return Status::InvalidArgument("round.phase: use POST /api/v1/rounds/{id}/phase");
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.UpdateRound(c.who, c.Path<RoundTag>(0), [&](domain::Round& y) { return Apply(c.body, y); }));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/phase",
       .tag = "rounds",
       .summary = "Move a round to a later phase (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"phase", StrMax(20)}}, {"phase"}),
       .response = Ref("Round"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string s, StringOfBody(c.body, "phase", 20));
         auto phase = domain::ParseRoundPhase(s);
         if (!phase.ok()) return Status::InvalidArgument("phase: " + phase.status().message());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.SetRoundPhase(c.who, c.Path<RoundTag>(0), *phase));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/reviews",
       .tag = "rounds",
       .summary = "Review a project of the round in its review phase: a score per published criterion (officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ReviewWrite"),
       .response = Ref("Review"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Review r;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, r));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.PutReview(c.who, c.Path<RoundTag>(0), r));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/reviews",
       .tag = "rounds",
       .summary = "The reviews of a round (officers of its municipality; everybody once published)",
       .success = 200,
       .needs_user = true,
       .response = ItemsOf("Review"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.ReviewsOf(c.who, c.Path<RoundTag>(0)));
         Json items = Json::array();
         for (const auto& r : rows) items.push_back(ToJson(r));
         return Ok({{"items", std::move(items)}});
       }});
}

}  // namespace weefsel::http
