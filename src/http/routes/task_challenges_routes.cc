// http/routes/task_challenges_routes.cc: the Right to Challenge (uitdaagrecht) routes of the API:
// the task list a municipality keeps, the challenges filed against its tasks, the officers' steps
// and the default step days. Rights are checked in service/task_challenges.h. A task and a bid are
// encoded and decoded by their field tables (domain/fields/entity_fields.h).
#include <string>
#include <vector>

#include "http/api.h"
#include "http/call.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"
#include "http/routes/task_challenges_json.h"
#include "service/task_challenges.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

namespace {

Status ApplyTask(const Json& j, domain::MunicipalTask& t) { return Decode(fields::MunicipalTaskFields(), j, t); }

// The bid: what the initiative files and may change until the assessment begins.
Status ApplyBid(const Json& j, domain::TaskChallenge& c) { return Decode(fields::TaskChallengeFields(), j, c); }

}  // namespace

void Api::BuildTaskChallengeRoutes() {
  service::TaskChallenges& T = task_challenges_;
  // The task list the officers keep.
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/tasks",
       .tag = "right-to-challenge",
       .summary = "The municipality's published task list: what each task costs today and what it takes",
       .success = 200,
       .cached = true,
       .scopes = {"tasks", "municipality:{id}"},
       .response = Obj({{"items", ArrayOf(TaskSchema())}}),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, T.TasksOf(c.Path<MunicipalityTag>(0)));
         Json items = Json::array();
         for (const auto& t : rows) items.push_back(TaskJson(t));
         return Ok({{"items", items}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/municipalities/{id}/tasks",
       .tag = "right-to-challenge",
       .summary = "Put a task on the municipality's task list (officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = TaskWriteSchema(),
       .response = TaskSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         domain::MunicipalTask t;
         WEEFSEL_RETURN_IF_ERROR(ApplyTask(c.body, t));
         t.municipality = c.Path<MunicipalityTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto made, T.CreateTask(c.who, t));
         return Ok(TaskJson(made));
       }});
  Add({.method = "GET",
       .path = "/api/v1/tasks/{id}",
       .tag = "right-to-challenge",
       .summary = "A task of a municipality's task list",
       .success = 200,
       .cached = true,
       .scopes = {"tasks", "task:{id}"},
       .response = TaskSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto t, T.GetTask(c.Path<TaskTag>(0)));
         return Ok(TaskJson(t));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/tasks/{id}",
       .tag = "right-to-challenge",
       .summary = "Change a task of the list: title, description, cost, themes, capabilities, open (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = TaskWriteSchema(),
       .response = TaskSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto t, T.UpdateTask(c.who, c.Path<TaskTag>(0),
                                                       [&](domain::MunicipalTask& x) { return ApplyTask(c.body, x); }));
         return Ok(TaskJson(t));
       }});

  // Challenges and their published steps.
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/task-challenges",
       .tag = "right-to-challenge",
       .summary = "The Right to Challenge bids filed in the municipality, each with its published steps",
       .success = 200,
       .cached = true,
       .scopes = {"task_challenges", "municipality:{id}"},
       .response = Obj({{"items", ArrayOf(TaskChallengeSchema())}}),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, T.List(c.Path<MunicipalityTag>(0)));
         Json items = Json::array();
         for (const auto& x : rows) items.push_back(TaskChallengeJson(x));
         return Ok({{"items", items}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/task-challenges",
       .tag = "right-to-challenge",
       .summary = "File a Right to Challenge bid against a task (members of the initiative's actor; residents "
                  "filing together)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = TaskChallengeWriteSchema(),
       .response = TaskChallengeSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         domain::TaskChallenge x;
         WEEFSEL_RETURN_IF_ERROR(ApplyBid(c.body, x));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, T.File(c.who, x));
         return Ok(TaskChallengeJson(made));
       }});
  Add({.method = "GET",
       .path = "/api/v1/task-challenges/{id}",
       .tag = "right-to-challenge",
       .summary = "A Right to Challenge bid with every step: date, deadline, decision and reasons",
       .success = 200,
       .cached = true,
       .scopes = {"task_challenges", "task_challenge:{id}"},
       .response = TaskChallengeSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, T.Get(c.Path<TaskChallengeTag>(0)));
         return Ok(TaskChallengeJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/task-challenges/{id}/moderation",
       .tag = "right-to-challenge",
       .summary = "Whether a moderator hid the bid, and the public reason",
       .success = 200,
       .response = Keys({"task_challenge", "hidden", "reason", "hidden_at"}),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto h, T.HiddenOf(c.Path<TaskChallengeTag>(0)));
         return Ok({{"task_challenge", c.Path<TaskChallengeTag>(0).value()},
                    {"hidden", h.has_value()},
                    {"reason", h ? Json(h->reason) : Json(nullptr)},
                    {"hidden_at", h ? Json(h->hidden_at) : Json(nullptr)}});
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/task-challenges/{id}",
       .tag = "right-to-challenge",
       .summary = "Change the bid before the assessment begins (its filer, members of the initiative)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = TaskChallengeWriteSchema(),
       .response = TaskChallengeSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, T.UpdateBid(c.who, c.Path<TaskChallengeTag>(0),
                                                      [&](domain::TaskChallenge& y) { return ApplyBid(c.body, y); }));
         return Ok(TaskChallengeJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/task-challenges/{id}/step",
       .tag = "right-to-challenge",
       .summary = "Move the bid to its next step or refuse it, with the decision, reasons and deadline (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = TaskChallengeStepSchema(),
       .response = TaskChallengeSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         Fields f(c.body, "step");
         std::string step;
         service::StepMove move;
         WEEFSEL_RETURN_IF_ERROR(f.Str("step", step, 20));
         WEEFSEL_RETURN_IF_ERROR(f.Str("decision", move.decision, kMaxStringLength));
         WEEFSEL_RETURN_IF_ERROR(f.Str("reasons", move.reasons, kMaxStringLength));
         WEEFSEL_RETURN_IF_ERROR(f.Str("deadline", move.deadline, 20));
         WEEFSEL_RETURN_IF_ERROR(f.StrList("criteria", move.criteria));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         auto parsed = domain::ParseTaskChallengeStep(step);
         if (!parsed.ok()) return Status::InvalidArgument("step: " + parsed.status().message());
         move.step = *parsed;
         WEEFSEL_ASSIGN_OR_RETURN(auto x, T.Move(c.who, c.Path<TaskChallengeTag>(0), move));
         return Ok(TaskChallengeJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/task-challenge-settings",
       .tag = "right-to-challenge",
       .summary = "The days each step of the assessment takes by default (its deadline when the officer sets none)",
       .success = 200,
       .cached = true,
       .scopes = {"municipality:{id}"},
       .response = TaskChallengeSettingsSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto s, T.Settings(c.Path<MunicipalityTag>(0)));
         return Ok(TaskChallengeSettingsJson(s));
       }});
  Add({.method = "PUT",
       .path = "/api/v1/municipalities/{id}/task-challenge-settings",
       .tag = "right-to-challenge",
       .summary = "Set the default days per step: {step_days: {assessment: 56, ...}} (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = TaskChallengeSettingsWriteSchema(),
       .response = TaskChallengeSettingsSchema(),
       .handler = [&T](Call& c) -> Result<Reply> {
         domain::TaskChallengeSettings s;
         s.municipality = c.Path<MunicipalityTag>(0);
         Fields f(c.body, "settings");
         if (f.Has("step_days")) {
           const Json& days = f.At("step_days");
           if (!days.is_object()) return Status::InvalidArgument("settings.step_days: must be an object {step: days}");
           for (auto it = days.begin(); it != days.end(); ++it) {
             if (!it.value().is_number_integer())
               return Status::InvalidArgument("settings.step_days: days for " + it.key() + " must be an integer");
             s.step_days[it.key()] = it.value().get<int>();
           }
         }
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto out, T.PutSettings(c.who, s));
         return Ok(TaskChallengeSettingsJson(out));
       }});
}

}  // namespace weefsel::http
