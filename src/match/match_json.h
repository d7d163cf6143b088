// match/match_json.h: the JSON form of a match and its reasons, shared by the CLI (`weefsel match
// --json`) and the HTTP API (GET /api/v1/challenges/{id}/matches), so both print the same object.
//
// A reason carries a stable `code`, numeric `params` for localisation (value and contribution
// always; `items` for capability, `reduced` for text and theme, `same_municipality` for area,
// `steps` for closeness, `count` for record and for invitations_accepted / invitations_declined;
// with the learned stage, `learned` true and `direction` up or down: the reason is a feature's share
// of the model's score, which may be negative; `model_base` is the model's base score; docs/api.md lists them), the
// English `detail` and its `contribution` to the score.
//
// Ownership: returns values; holds nothing. Thread-safety: pure functions, safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "match/matcher.h"

namespace weefsel::match {

nlohmann::ordered_json ToJson(const Reason& r);
// {actor, name, sector, score, scored_by (linear or learned), community, unexpected, reasons[]}.
nlohmann::ordered_json ToJson(const Match& m);

}  // namespace weefsel::match
