// fund/match_funding.h: municipal match-funding of crowdfunding campaigns.
//
// Residents pledge to campaigns that have a target and a deadline. The municipality adds r euro
// per euro raised (r is an exact fraction, e.g. 1/1 doubles), up to a cap per campaign and up to
// the fund's total, but only once a campaign has reached its target with pledges alone; pledges
// that arrive after that raise the match further until the cap. Settlement replays the pledges in
// a deterministic order (time, then campaign id as a string, then pledge id), so when the fund
// runs out it is always the same campaign that gets the last euro; a campaign that misses its
// target by its deadline gets nothing and every pledge is refunded. Amounts are integer cents.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace weefsel::fund {

struct MatchPolicy {
  int64_t ratio_num = 1;  // match r = ratio_num / ratio_den euro per euro raised
  int64_t ratio_den = 1;
  int64_t campaign_cap = 0;  // largest match for one campaign, cents (0: no cap)
  int64_t fund_cap = 0;      // the whole match fund, cents
};

struct Campaign {
  std::string id;
  int64_t target = 0;    // cents, > 0
  int64_t deadline = 0;  // seconds since the epoch; pledges at or before it count
};

struct Pledge {
  std::string id;  // unique; breaks ties between pledges at the same second
  std::string campaign;
  std::string backer;
  int64_t amount = 0;  // cents, > 0
  int64_t at = 0;      // seconds since the epoch
};

enum class CampaignStatus { kOpen, kFunded, kFailed };
std::string_view CampaignStatusCode(CampaignStatus s);

struct Refund {
  std::string pledge, backer;
  int64_t amount = 0;
};

struct CampaignResult {
  std::string id;
  CampaignStatus status = CampaignStatus::kOpen;
  int64_t raised = 0;                     // accepted pledges, cents
  bool reached = false;                   // target reached by pledges
  int64_t reached_at = 0;                 // time of the pledge that reached it
  int64_t match = 0;                      // municipal match granted, cents
  int64_t match_wanted = 0;               // what the ratio and cap would give with an unlimited fund
  bool capped = false;                    // the per-campaign cap limited the match
  bool fund_short = false;                // the fund ran out before the full match
  std::vector<Refund> refunds;            // failed campaigns: every accepted pledge
  std::vector<std::string> late_pledges;  // pledges after the deadline (not accepted)
  std::string reason;                     // one sentence with the numbers
};

struct Settlement {
  std::vector<CampaignResult> campaigns;  // in the order given
  int64_t fund_used = 0;
  int64_t fund_left = 0;
};

// Settles everything known at time `now` (pledges after `now` are ignored; campaigns whose deadline
// is after `now` and that have not reached their target stay open). Bad input (unknown campaign,
// duplicate ids, non-positive amounts or targets, a zero ratio denominator) is InvalidArgument
// naming the record and field.
Result<Settlement> SettleMatchFunding(const MatchPolicy& policy, const std::vector<Campaign>& campaigns,
                                      const std::vector<Pledge>& pledges, int64_t now);

}  // namespace weefsel::fund
