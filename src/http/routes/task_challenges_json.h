// http/routes/task_challenges_json.h: the Right to Challenge entities as JSON (internal to http/).
// A task and a bid are encoded from their field tables (domain/fields/entity_fields.h) and their
// schemas are the OpenAPI components of those tables. Everything here is public: no user ids (the
// audit log says who decided).
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "domain/task_challenge.h"
#include "http/json_codec.h"
#include "service/task_challenges.h"

namespace weefsel::http {

Json TaskJson(const domain::MunicipalTask& t);
// The bid and every step of the path: the steps taken (date, deadline, decision, reasons) and the
// steps still ahead (`reached: false`).
Json TaskChallengeJson(const domain::TaskChallenge& c);
Json TaskChallengeSettingsJson(const domain::TaskChallengeSettings& s);
Json TaskBudgetsJson(const std::vector<service::TaskBudgetLine>& lines);

// The OpenAPI schemas of the encoders above and of the bodies the routes decode: references to the
// field tables' components where there is a table, else written beside the encoders.
Json TaskSchema();
Json TaskWriteSchema();
Json TaskChallengeSchema();
Json TaskChallengeWriteSchema();
Json TaskChallengeStepSchema();
Json TaskChallengeSettingsSchema();
Json TaskChallengeSettingsWriteSchema();
Json TaskBudgetsSchema();

}  // namespace weefsel::http
