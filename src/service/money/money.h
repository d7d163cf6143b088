// service/money/money.h: the programme's money: proposals into rounds, allocations, overview, match-funding.
//
// Officers put submitted proposals into a round; a published round's allocation is what the
// municipality commits; the overview sums commitments and releases in public figures; match-
// funding campaigns run beside a round and are settled by the fund engine.
//
// Ownership: Money borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "domain/money.h"
#include "fund/match_funding.h"
#include "service/core/context.h"
#include "service/core/store_fwd.h"

namespace weefsel::service {

// One indicator of an experiment against its baseline and target.
struct IndicatorProgress {
  IndicatorId id;
  std::string name, unit;
  double baseline = 0, target = 0;
  std::optional<domain::Measurement> latest;  // the measurement with the latest date
  // (latest - baseline) / (target - baseline): 0 at the baseline, 1 at the target (may fall
  // outside [0, 1]); unset without a measurement or when target equals baseline.
  std::optional<double> progress;
};

struct ExperimentOverview {
  ExperimentId id;
  ProposalId proposal;
  std::string title;    // the proposal's current title ("" while the proposal is hidden)
  bool hidden = false;  // its proposal is hidden by a moderator
  std::string status;
  int64_t funded_eur = 0;    // see Platform::FundedAmount
  int64_t released_eur = 0;  // approved milestones
  std::vector<IndicatorProgress> indicators;
};

// One source of committed money: a funded project of a published round, or a proposal that an
// officer funded outside any round (status funded, no allocation).
struct CommitmentLine {
  std::string source;  // "round" or "proposal"
  RoundId round;       // source "round"
  std::string round_name;
  std::string project_id;
  ProposalId proposal;  // unset for a round project that did not come from a proposal
  std::string title;    // the project's (or proposal's current) title; "" while its proposal is hidden
  bool hidden = false;  // its proposal is hidden by a moderator
  int64_t amount_eur = 0;
};

// A municipality's programme in public aggregate figures (no personal data).
struct MunicipalityOverview {
  MunicipalityId municipality;
  // The funded allocations of its published rounds plus the proposals funded outside rounds: the
  // sum of `commitments`, so that released (which may draw on either) never exceeds it.
  int64_t committed_eur = 0;
  int64_t released_eur = 0;   // approved milestones of its experiments
  int64_t remaining_eur = 0;  // committed - released
  int64_t published_rounds = 0;
  std::vector<CommitmentLine> commitments;  // published rounds' projects, then proposals funded outside rounds
  std::map<std::string, int64_t> challenges_per_phase;  // every phase code, zeros included
  std::vector<ExperimentOverview> experiments;          // by id
};

// A match-funding campaign with its current settlement under the fund engine.
struct MatchStanding {
  domain::MatchCampaign campaign;
  struct Project {
    std::string project_id, title;
    int64_t cost_eur = 0;         // the campaign's target for the project
    int64_t pledges = 0;          // number of pledges (backers are not shown)
    fund::CampaignResult result;  // amounts in cents; refunds' backers are cleared
  };
  std::vector<Project> projects;  // in the round's order
  int64_t fund_used_cents = 0, fund_left_cents = 0;
  std::string at;  // the moment the settlement was computed (ISO 8601 UTC)
};

// The funded amount of a proposal (store lock held): its allocations in published rounds or, for a
// proposal funded outside any round, its current budget. The experiments' milestone releases
// (service/experiments/experiments.cc) are checked against it.
Result<int64_t> FundedAmountLocked(storage::Store& store, ProposalId proposal);

class Money : private core::Slice {
 public:
  explicit Money(core::Context& context) : Slice(context) {}

  // Officers of the round's municipality add a submitted proposal of one of its challenges as a
  // project of a round in its submission phase: project id "proposal-<id>", the current version's
  // title, its budget as the cost; the proposal becomes in_round and the project remembers it.
  // Refused: a round past submission or a challenge not in its proposals phase (Conflict, `phase`);
  // a proposal that is not submitted (Conflict, `proposal.status`) or already a project of the
  // round (Conflict, `proposal`); another municipality's proposal or one without a budget
  // (InvalidArgument, `proposal` / `proposal.budget_eur`).
  Result<domain::Round> AddProposalToRound(const Principal& p, RoundId round, ProposalId proposal);
  // The allocation a published round stored (funded projects); empty before publication.
  Result<std::vector<domain::Allocation>> AllocationsOf(RoundId round);
  // What a proposal was funded with: its allocations in published rounds or, for a proposal an
  // officer funded outside any round, its current budget.
  Result<int64_t> FundedAmount(ProposalId proposal);
  // Public aggregate figures of a municipality's programme.
  Result<MunicipalityOverview> Overview(MunicipalityId m);

  // Match-funding beside a round: officers of its municipality open a campaign before the round
  // is published; residents of the municipality and members of its actors pledge to the round's
  // projects until the deadline; the standing is the fund engine's settlement now (public).
  Result<domain::MatchCampaign> CreateMatchCampaign(const Principal& p, domain::MatchCampaign c);
  Result<std::vector<domain::MatchCampaign>> MatchCampaignsOf(RoundId round);
  Result<domain::MatchPledge> Pledge(const Principal& p, int64_t campaign, const std::string& project_id,
                                     int64_t amount_eur);
  Result<MatchStanding> MatchStandingOf(int64_t campaign);
};

}  // namespace weefsel::service
