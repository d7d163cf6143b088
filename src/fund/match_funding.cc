#include "fund/match_funding.h"

#include <algorithm>
#include <map>
#include <set>

#include "fund/instance.h"

namespace weefsel::fund {

std::string_view CampaignStatusCode(CampaignStatus s) {
  switch (s) {
    case CampaignStatus::kOpen:
      return "open";
    case CampaignStatus::kFunded:
      return "funded";
    case CampaignStatus::kFailed:
      return "failed";
  }
  return "open";
}

namespace {
std::string Euro(int64_t cents) { return "EUR " + FormatMoney(cents, 100); }
}  // namespace

Result<Settlement> SettleMatchFunding(const MatchPolicy& policy, const std::vector<Campaign>& campaigns,
                                      const std::vector<Pledge>& pledges, int64_t now) {
  if (policy.ratio_den <= 0) return Status::InvalidArgument("match policy ratio_den: must be positive");
  if (policy.ratio_num < 0) return Status::InvalidArgument("match policy ratio_num: must not be negative");
  if (policy.campaign_cap < 0) return Status::InvalidArgument("match policy campaign_cap: must not be negative");
  if (policy.fund_cap < 0) return Status::InvalidArgument("match policy fund_cap: must not be negative");
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < campaigns.size(); ++i) {
    const Campaign& c = campaigns[i];
    if (c.id.empty()) return Status::InvalidArgument("campaign #" + std::to_string(i + 1) + " id: empty");
    if (!index.emplace(c.id, i).second) return Status::InvalidArgument("campaign " + c.id + " id: listed twice");
    if (c.target <= 0) return Status::InvalidArgument("campaign " + c.id + " target: must be positive");
  }
  std::set<std::string> pledge_ids;
  for (size_t i = 0; i < pledges.size(); ++i) {
    const Pledge& p = pledges[i];
    std::string name = "pledge " + (p.id.empty() ? "#" + std::to_string(i + 1) : p.id);
    if (p.id.empty()) return Status::InvalidArgument(name + " id: empty");
    if (!pledge_ids.insert(p.id).second) return Status::InvalidArgument(name + " id: listed twice");
    if (!index.count(p.campaign))
      return Status::InvalidArgument(name + " campaign: unknown campaign '" + p.campaign + "'");
    if (p.amount <= 0) return Status::InvalidArgument(name + " amount: must be positive");
  }

  // Replay in a deterministic order: time, campaign id, pledge id.
  std::vector<const Pledge*> order;
  for (const auto& p : pledges)
    if (p.at <= now) order.push_back(&p);
  std::sort(order.begin(), order.end(), [](const Pledge* a, const Pledge* b) {
    if (a->at != b->at) return a->at < b->at;
    if (a->campaign != b->campaign) return a->campaign < b->campaign;
    return a->id < b->id;
  });

  Settlement s;
  s.fund_left = policy.fund_cap;
  s.campaigns.resize(campaigns.size());
  for (size_t i = 0; i < campaigns.size(); ++i) s.campaigns[i].id = campaigns[i].id;
  auto wanted = [&](int64_t raised) {
    __int128 m = static_cast<__int128>(raised) * policy.ratio_num / policy.ratio_den;
    int64_t w = m > INT64_MAX ? INT64_MAX : static_cast<int64_t>(m);
    return w;
  };
  for (const Pledge* p : order) {
    size_t ci = index[p->campaign];
    const Campaign& c = campaigns[ci];
    CampaignResult& r = s.campaigns[ci];
    if (p->at > c.deadline) {
      r.late_pledges.push_back(p->id);
      continue;
    }
    r.raised += p->amount;
    if (!r.reached && r.raised >= c.target) {
      r.reached = true;
      r.reached_at = p->at;
    }
    if (!r.reached) continue;
    int64_t want = wanted(r.raised);
    r.capped = policy.campaign_cap > 0 && want > policy.campaign_cap;
    if (r.capped) want = policy.campaign_cap;
    r.match_wanted = want;
    int64_t more = std::max<int64_t>(0, want - r.match);
    int64_t grant = std::min(more, s.fund_left);
    if (grant < more) r.fund_short = true;
    r.match += grant;
    s.fund_left -= grant;
    s.fund_used += grant;
  }
  for (size_t i = 0; i < campaigns.size(); ++i) {
    const Campaign& c = campaigns[i];
    CampaignResult& r = s.campaigns[i];
    if (r.reached) {
      r.status = CampaignStatus::kFunded;
      r.reason = "reached its target of " + Euro(c.target) + " (raised " + Euro(r.raised) + "); match " + Euro(r.match);
      if (r.capped) r.reason += ", limited by the campaign cap of " + Euro(policy.campaign_cap);
      if (r.fund_short) r.reason += ", " + Euro(r.match_wanted - r.match) + " short because the match fund ran out";
    } else if (c.deadline <= now) {
      r.status = CampaignStatus::kFailed;
      for (const Pledge* p : order)
        if (p->campaign == c.id && p->at <= c.deadline) r.refunds.push_back({p->id, p->backer, p->amount});
      r.reason = "missed its target of " + Euro(c.target) + " by its deadline (raised " + Euro(r.raised) +
                 "): no match, " + std::to_string(r.refunds.size()) + " pledges refunded";
    } else {
      r.status = CampaignStatus::kOpen;
      r.reason = "open: " + Euro(r.raised) + " of " + Euro(c.target) + " raised so far";
    }
    if (!r.late_pledges.empty())
      r.reason += "; " + std::to_string(r.late_pledges.size()) + " pledges came after the deadline and do not count";
  }
  return s;
}

}  // namespace weefsel::fund
