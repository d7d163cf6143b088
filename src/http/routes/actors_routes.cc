// http/routes/actors_routes.cc: the actors routes of the API (see http/api.h for the table).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/strings.h"
#include "domain/vocabulary.h"
#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"
#include "http/vocabulary_json.h"
#include "match/match_json.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

void Api::BuildActorRoutes() {
  service::Platform& P = platform_;
  // The controlled vocabularies of an actor's fields with their Dutch and English labels (issue 17:
  // a capability typed as "vrijwilligers" is stored as its code "volunteers" and shown in Dutch).
  Add({.method = "GET",
       .path = "/api/v1/vocabulary",
       .tag = "actors",
       .summary = "The controlled vocabularies: capability tags, themes, actor kinds and sectors, each code with its "
                  "Dutch (nl) "
                  "and English (en) label; the challenge and round phases in programme order",
       .success = 200,
       .cached = true,
       .scopes = {"actors", "challenges"},
       .response = Obj(
           {{"capabilities",
             ArrayOf(Obj({{"code", Scalar("string")}, {"nl", Scalar("string")}, {"en", Scalar("string")}}))},
            {"themes", ArrayOf(Obj({{"code", Scalar("string")}, {"nl", Scalar("string")}, {"en", Scalar("string")}}))},
            {"actor_kinds", ArrayOf(Obj({{"code", Scalar("string")},
                                         {"nl", Scalar("string")},
                                         {"en", Scalar("string")},
                                         {"sector", Scalar("string")}}))},
            {"sectors", ArrayOf(Obj({{"code", Scalar("string")}, {"nl", Scalar("string")}, {"en", Scalar("string")}}))},
            {"challenge_phases", ArrayOf(Scalar("string"))},
            {"round_phases", ArrayOf(Scalar("string"))}}),
       .handler = [](Call&) -> Result<Reply> { return Ok(VocabularyJson()); }});
  // Actors and ties.
  Add({.method = "GET",
       .path = "/api/v1/actors",
       .tag = "actors",
       .summary = "List actors (filters: municipality, kind, theme, q; sort: name, kind, size, area)",
       .success = 200,
       .cached = true,
       .scopes = {"actors"},
       .query = With(kListQ, {"kind", "theme"}),
       .response = PageOf("Actor"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListActors(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({.method = "GET",
       .path = "/api/v1/actors/{id}",
       .tag = "actors",
       .summary = "An actor",
       .success = 200,
       .cached = true,
       .scopes = {"actors"},
       .response = Ref("Actor"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto a, P.GetActor(c.Path<ActorTag>(0)));
         return Ok(ToJson(a));
       }});
  Add({.method = "POST",
       .path = "/api/v1/actors",
       .tag = "actors",
       .summary = "Add an actor (officers of its municipality)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ActorWrite"),
       .response = Ref("Actor"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Actor a;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, a));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateActor(c.who, a));
         return Ok(ToJson(made));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/actors/{id}",
       .tag = "actors",
       .summary = "Change an actor (its members, officers of its municipality)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ActorWrite"),
       .response = Ref("Actor"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(
             auto a, P.UpdateActor(c.who, c.Path<ActorTag>(0), [&](domain::Actor& x) { return Apply(c.body, x); }));
         return Ok(ToJson(a));
       }});
  Add({.method = "DELETE",
       .path = "/api/v1/actors/{id}",
       .tag = "actors",
       .summary = "Remove an actor and its ties (officers of its municipality)",
       .success = 204,
       .needs_user = true,
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.DeleteActor(c.who, c.Path<ActorTag>(0)));
         return NoContent();
       }});
  Add({.method = "GET",
       .path = "/api/v1/actors/{id}/ties",
       .tag = "ties",
       .summary = "The ties of an actor",
       .success = 200,
       .cached = true,
       .scopes = {"actors", "ties"},
       .query = kPage,
       .response = PageOf("Tie"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         WEEFSEL_ASSIGN_OR_RETURN(auto ties, P.TiesOf(c.Path<ActorTag>(0)));
         return MemoryPage(c, q, ties);
       }});
  Add({.method = "POST",
       .path = "/api/v1/actors/{id}/ties",
       .tag = "ties",
       .summary = "Declare a tie from this actor to another (members of either, officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("TieWrite"),
       .response = Ref("Tie"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Tie t;
         t.a = c.Path<ActorTag>(0);
         if (c.body.contains("a")) return Status::InvalidArgument("tie.a: given by the path");
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, t));
         if (!t.b.valid()) return Status::InvalidArgument("tie.b: required: the id of the other actor");
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateTie(c.who, t));
         return Ok(ToJson(made));
       }});
  Add({.method = "DELETE",
       .path = "/api/v1/actors/{id}/ties/{tie}",
       .tag = "ties",
       .summary = "Remove a tie (members of either actor, officers)",
       .success = 204,
       .needs_user = true,
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_RETURN_IF_ERROR(P.DeleteTie(c.who, c.Path<ActorTag>(0), c.Path<TieTag>(1)));
         return NoContent();
       }});
  Add({.method = "GET",
       .path = "/api/v1/ties",
       .tag = "ties",
       .summary = "List ties (filter: municipality of either end; sort: weight, from)",
       .success = 200,
       .cached = true,
       .scopes = {"ties"},
       .query = With(kPage, {"municipality", "sort"}),
       .response = PageOf("Tie"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListTies(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
}

}  // namespace weefsel::http
