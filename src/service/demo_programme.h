// service/demo_programme.h: the whole programme cycle in the demo, through the platform's own use
// cases (rights, validation and audit log as for any officer), so that a newcomer's `make run`
// shows every part of weefsel and not an empty fund page.
//
// In the first municipality of the database it stages, deterministically from the seed:
//   - residents (accounts with the resident role and a random password nobody knows);
//   - coalitions of its actors that write and submit proposals to its last challenge (the first
//     stays open);
//   - a round with those proposals as projects, a match-funding campaign with pledges, ballots of
//     the residents, and its publication (the allocation under the round's rule);
//   - the funded proposals marked funded, the first of them a running experiment with indicators,
//     measurements and its first milestone released on approved evidence;
//   - a second round, open for voting, so that the demo resident can vote.
// Requires a database with a demo city (GenerateDemo/LoadDemo) and no rounds yet.
#pragma once

#include <cstdint>

#include "base/status.h"
#include "service/platform.h"

namespace weefsel::service {

struct ProgrammeSummary {
  MunicipalityId municipality;
  int residents = 0, proposals = 0, ballots = 0, pledges = 0;
  RoundId published, voting;
  ExperimentId experiment;
};

Result<ProgrammeSummary> StageDemoProgramme(Platform& platform, uint64_t seed, int residents = 60);

}  // namespace weefsel::service
