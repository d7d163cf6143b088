#include "http/api.h"

#include "base/strings.h"

namespace weefsel::http {

Api::Api(service::Platform& platform, ApiOptions options)
    : platform_(platform),
      options_(options),
      engines_(platform, service::EngineOptions{options.engine_wait, options.engine_first_wait, options.match_model}),
      cache_(options.cache_bytes) {
  BuildRoutes();
  openapi_body_ = OpenApi().dump();
}

void Api::Add(Route r) {
  for (const auto& s : Split(r.path, '/', /*skip_empty=*/true)) r.segments.push_back(s);
  routes_.push_back(std::move(r));
}
void Api::BuildRoutes() {
  // In this order: the dispatcher takes the first route that matches (http/dispatch.cc).
  BuildOperationRoutes();
  BuildAccountRoutes();
  BuildOidcRoutes();
  BuildMunicipalityRoutes();
  BuildActorRoutes();
  BuildChallengeRoutes();
  BuildCoalitionRoutes();
  BuildProposalRoutes();
  BuildRoundRoutes();
  BuildAuditRoutes();
  BuildExperimentRoutes();
  BuildMoneyRoutes();
  BuildEngineRoutes();
  BuildSelfRoutes();
  BuildModerationRoutes();
  BuildTaskChallengeRoutes();
  BuildVoteRoutes();
}

}  // namespace weefsel::http
