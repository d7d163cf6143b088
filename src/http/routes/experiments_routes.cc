// http/routes/experiments_routes.cc: the experiments routes of the API (see http/api.h for the table).
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

void Api::BuildExperimentRoutes() {
  service::Platform& P = platform_;
  // Experiments.
  Add({.method = "GET",
       .path = "/api/v1/experiments",
       .tag = "experiments",
       .summary = "List experiments (sort: status)",
       .success = 200,
       .cached = true,
       .scopes = {"experiments"},
       .query = With(kPage, {"sort"}),
       .response = PageOf("Experiment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto q, Fetch(c));
         auto rows = P.ListExperiments(PlusOne(q));
         if (!rows.ok()) return Rename(rows.status());
         return StorePage(c, q, *rows);
       }});
  Add({.method = "GET",
       .path = "/api/v1/experiments/{id}",
       .tag = "experiments",
       .summary = "An experiment with indicators, measurements and milestones",
       .success = 200,
       .cached = true,
       .scopes = {"experiments", "experiment:{id}"},
       .response = Ref("Experiment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.GetExperiment(c.Path<ExperimentTag>(0)));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/experiments",
       .tag = "experiments",
       .summary = "Start an experiment for a proposal (officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ExperimentWrite"),
       .response = Ref("Experiment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Experiment e;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, e));
         WEEFSEL_ASSIGN_OR_RETURN(auto made, P.CreateExperiment(c.who, e));
         return Ok(ToJson(made));
       }});
  Add({.method = "PATCH",
       .path = "/api/v1/experiments/{id}",
       .tag = "experiments",
       .summary = "Change an experiment: status, outcome, milestones (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("ExperimentWrite"),
       .response = Ref("Experiment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         if (c.body.contains("proposal")) return Status::InvalidArgument("experiment.proposal: cannot change");
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.UpdateExperiment(c.who, c.Path<ExperimentTag>(0),
                                                             [&](domain::Experiment& y) { return Apply(c.body, y); }));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/experiments/{id}/indicators/{indicator}/measurements",
       .tag = "experiments",
       .summary = "Record a measurement (officers, coalition members)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("MeasurementWrite"),
       .response = Ref("Experiment"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::Measurement m;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         WEEFSEL_ASSIGN_OR_RETURN(auto x,
                                  P.AddMeasurement(c.who, c.Path<ExperimentTag>(0), c.Path<IndicatorTag>(1), m));
         return Ok(ToJson(x));
       }});
}

}  // namespace weefsel::http
