// domain/money.h: the money around a round: the allocation a published round commits, and
// match-funding campaigns with residents' pledges (the fund engine computes the matches).
//
// Money is in whole euros, as in domain/model.h. Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

// A match-funding campaign beside a round: residents pledge to the round's projects
// and the municipality adds ratio_num/ratio_den euro per euro pledged, up to a cap per project and
// the campaign's fund, for projects whose pledges reach their cost by the deadline (fund engine).
struct MatchCampaign {
  int64_t id = 0;
  MunicipalityId municipality;
  RoundId round;
  std::string name;
  int64_t ratio_num = 1;
  int64_t ratio_den = 1;
  int64_t campaign_cap_eur = 0;  // largest match for one project (0: no cap)
  int64_t fund_eur = 0;          // the whole match fund
  std::string deadline;          // date; pledges until the end of that day (UTC) count
  std::string created_at;
};
struct MatchPledge {
  int64_t id = 0;
  int64_t campaign = 0;
  std::string project_id;
  UserId backer;  // personal: never in open data
  int64_t amount_eur = 0;
  std::string at;  // ISO 8601 UTC
};
// One funded project of a published round: the round's allocation is written once,
// when the round is published, and is what the municipality has committed.
struct Allocation {
  RoundId round;
  std::string project_id;
  ProposalId proposal;  // unset when the project did not come from a proposal
  int64_t amount_eur = 0;
};

}  // namespace weefsel::domain
