// domain/evidence.h: the evidence for an experiment's milestones and the files attached to it.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

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
// A file attached to milestone evidence: a PDF, PNG or JPEG of at most
// kMaxEvidenceFileBytes, its type read from its bytes (service/evidence_files.h). `bytes` is
// filled only by GetEvidenceFile; the lists carry the rest.
inline constexpr int64_t kMaxEvidenceFileBytes = 5 * 1024 * 1024;
struct EvidenceFile {
  int64_t id = 0;
  int64_t evidence = 0;  // milestone_evidence.id
  ExperimentId experiment;
  std::string name;          // as uploaded, for the download's file name
  std::string content_type;  // "application/pdf", "image/png", "image/jpeg"
  int64_t size = 0;
  std::string bytes;
  UserId uploaded_by;
  std::string uploaded_at;
};

}  // namespace weefsel::domain
