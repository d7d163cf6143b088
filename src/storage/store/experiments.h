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
#include "domain/evidence.h"
#include "domain/model.h"
#include "domain/money.h"
#include "storage/store/list_query.h"

namespace weefsel::storage {

using domain::MatchCampaign;      // domain/money.h
using domain::MatchPledge;        // domain/money.h
using domain::MilestoneEvidence;  // domain/evidence.h

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
