// http/vocabulary_json.h: the controlled vocabularies as the API publishes them
// (GET /api/v1/vocabulary) and as `weefsel vocabulary` prints them for the web build
// (web/src/generated/vocabulary.json: the UI's theme, kind and sector labels and the phase orders
// come from here, not from a copy; tests/vocabulary_current.sh fails when the two drift).
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

namespace weefsel::http {

// {capabilities, themes, actor_kinds, sectors: [{code, nl, en}...], challenge_phases,
// round_phases: [code...] in programme order}.
nlohmann::json VocabularyJson();

}  // namespace weefsel::http
