// storage/store/files.h: files attached to milestone evidence (PDF, PNG, JPEG), bytes included.
//
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/model.h"

namespace weefsel::storage {

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

// Evidence files.
class FileStore {
 public:
  virtual ~FileStore() = default;

  // Files attached to evidence, oldest first. Insert assigns f.id (NotFound naming
  // `file.evidence` for unknown evidence); the lists leave `bytes` empty; GetEvidenceFile fills it.
  virtual Result<int64_t> Insert(EvidenceFile& f) = 0;
  virtual Result<EvidenceFile> GetEvidenceFile(int64_t id) = 0;
  virtual Result<std::vector<EvidenceFile>> EvidenceFilesOf(ExperimentId experiment) = 0;
};

}  // namespace weefsel::storage
