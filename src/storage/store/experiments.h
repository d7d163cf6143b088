// storage/store/experiments.h: experiments (a funded proposal carried out, with indicators,
// measurements and milestones), the evidence for their milestones and the money around them:
// match-funding campaigns beside a round and residents' pledges.
//
// Files attached to evidence are in files.h. Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/model.h"
#include "storage/store/list_query.h"

namespace weefsel::storage {

// Evidence for one milestone of an experiment and the officer's decision on it.
// An approval releases the milestone's amount (`released_eur`); a rejection says why.
struct MilestoneEvidence {
  int64_t id = 0;
  ExperimentId experiment;
  int milestone = 0;  // index into the experiment's milestones
  std::string text;
  std::string link;  // optional http(s) URL
  UserId submitted_by;
  std::string submitted_at;
  std::string decision = "pending";  // pending, approved, rejected
  UserId decided_by;
  std::string decided_at;
  std::string reason;
  int64_t released_eur = 0;
};
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

// Experiments, evidence, match-funding.
class ExperimentStore {
 public:
  virtual ~ExperimentStore() = default;

  // Experiments (with indicators, measurements and milestones).
  virtual Result<ExperimentId> Insert(domain::Experiment& e) = 0;
  virtual Status Update(const domain::Experiment& e) = 0;
  virtual Result<domain::Experiment> GetExperiment(ExperimentId id) = 0;
  virtual Result<std::vector<domain::Experiment>> ListExperiments(const ListQuery& q = {}) = 0;

  // Milestone evidence, oldest first.
  virtual Result<int64_t> Insert(MilestoneEvidence& e) = 0;  // assigns e.id
  virtual Status Update(const MilestoneEvidence& e) = 0;     // NotFound
  virtual Result<MilestoneEvidence> GetEvidence(int64_t id) = 0;
  virtual Result<std::vector<MilestoneEvidence>> EvidenceOf(ExperimentId experiment) = 0;

  // Match-funding campaigns and pledges, oldest first.
  virtual Result<int64_t> Insert(MatchCampaign& c) = 0;  // assigns c.id
  virtual Result<MatchCampaign> GetMatchCampaign(int64_t id) = 0;
  virtual Result<std::vector<MatchCampaign>> MatchCampaignsOf(RoundId round) = 0;
  virtual Result<int64_t> Insert(MatchPledge& p) = 0;  // assigns p.id
  virtual Result<std::vector<MatchPledge>> PledgesOf(int64_t campaign) = 0;
};

}  // namespace weefsel::storage
