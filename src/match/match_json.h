// match/match_json.h: the JSON form of a match and its reasons, shared by the CLI (`weefsel match
// --json`) and the HTTP API (GET /api/v1/challenges/{id}/matches), so both print the same object.
//
// A reason carries a stable `code`, numeric `params` for localisation (value and contribution
// always; `items` for capability, `reduced` for text and theme, `same_municipality` for area,
// `steps` for closeness, `count` for record; docs/api.md lists them), the English `detail` and
// its `contribution` to the score.
//
// Ownership: returns values; holds nothing. Thread-safety: pure functions, safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "match/matcher.h"

namespace weefsel::match {

nlohmann::ordered_json ToJson(const Reason& r);
// {actor, name, sector, score, community, unexpected, reasons[]}.
nlohmann::ordered_json ToJson(const Match& m);

}  // namespace weefsel::match
