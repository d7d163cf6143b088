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
#include <vector>

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

// The national demo's large vote (issue 16): in the first municipality of the database (the
// largest city), a round in voting with `ballots` residents, each with an approval ballot over
// twenty projects in the city's five quarters (some projects more popular than others, residents
// preferring their own quarter). Deterministic by seed. Written in bulk, in one transaction through
// the store rather than through the use cases, so that 100,000 ballots take a minute and not hours:
// the residents have no password (nobody can sign in as them, and nothing is hashed), and neither
// they nor their ballots get audit entries or notifications. The round stays in voting, for the
// benchmark to publish (bench/national/run.sh). Can run beside StageDemoProgramme, after it.
struct LargeRound {
  MunicipalityId municipality;
  RoundId round;
  int residents = 0, ballots = 0, projects = 0;
};

Result<LargeRound> StageLargeRound(Platform& platform, uint64_t seed, int ballots);

// What StageLargeRound writes, drawn without a store: the round's projects and budget (approval
// ballots; no municipality, name or phase) and `ballots` approval ballots in voter order (no round,
// voter or cast time). The same seed gives the same draw; bench/fund/national_round_bench times the
// rule on it.
struct LargeRoundDraw {
  domain::Round round;
  std::vector<domain::Ballot> ballots;
};
LargeRoundDraw DrawLargeRound(uint64_t seed, int ballots);

}  // namespace weefsel::service
