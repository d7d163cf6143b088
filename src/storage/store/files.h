// storage/store/files.h: files attached to milestone evidence (PDF, PNG, JPEG), bytes included.
//
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/evidence.h"
#include "domain/model.h"

namespace weefsel::storage {

using domain::EvidenceFile;           // domain/evidence.h
using domain::kMaxEvidenceFileBytes;  // domain/evidence.h

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
