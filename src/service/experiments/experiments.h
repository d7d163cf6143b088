// service/experiments/experiments.h: experiments, their measurements, milestone evidence and its files.
//
// Only a funded proposal becomes an experiment. Officers of the municipality change it; members
// of the coalition record measurements and submit evidence for milestones, which officers approve
// (releasing the milestone's amount) or reject.
//
// Ownership: Experiments borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/evidence.h"
#include "domain/list_query.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class Experiments : private core::Slice {
 public:
  explicit Experiments(core::Context& context) : Slice(context) {}

  Result<std::vector<domain::Experiment>> ListExperiments(const domain::ListQuery& q);
  Result<domain::Experiment> GetExperiment(ExperimentId id);
  Result<domain::Experiment> CreateExperiment(const Principal& p, domain::Experiment e);
  Result<domain::Experiment> UpdateExperiment(const Principal& p, ExperimentId id,
                                              const Patch<domain::Experiment>& patch);
  // Officers of the municipality and members of the proposal's coalition may record measurements.
  Result<domain::Experiment> AddMeasurement(const Principal& p, ExperimentId id, IndicatorId indicator,
                                            domain::Measurement m);

  // Milestones (numbered from 1) released on evidence. A member of an actor of the experiment's
  // coalition submits evidence (text, optional http(s) link) for a milestone of a running
  // experiment; officers of the municipality approve it, releasing the milestone's amount, or
  // reject it with a reason (the coalition may then submit new evidence). A milestone is released
  // once; the released total never exceeds the funded amount (Conflict, `amount_eur`).
  Result<domain::MilestoneEvidence> SubmitEvidence(const Principal& p, ExperimentId id, int milestone,
                                                   const std::string& text, const std::string& link);
  Result<domain::MilestoneEvidence> DecideEvidence(const Principal& p, ExperimentId id, int64_t evidence, bool approve,
                                                   const std::string& reason);
  Result<std::vector<domain::MilestoneEvidence>> EvidenceOf(ExperimentId id);
  // Files attached to evidence (service/evidence_files.cc): a member of the coalition attaches a
  // PDF, PNG or JPEG (type read from the bytes, InvalidArgument naming `file.data` otherwise) of at
  // most domain::kMaxEvidenceFileBytes to evidence awaiting a decision (Conflict after), at most
  // kMaxFilesPerEvidence each. Like the evidence, the files are public; the lists carry no bytes.
  static constexpr int kMaxFilesPerEvidence = 5;
  Result<domain::EvidenceFile> AttachEvidenceFile(const Principal& p, ExperimentId id, int64_t evidence,
                                                  const std::string& name, std::string bytes);
  Result<std::vector<domain::EvidenceFile>> EvidenceFiles(ExperimentId id);
  Result<domain::EvidenceFile> EvidenceFileOf(ExperimentId id, int64_t file);
};

}  // namespace weefsel::service
