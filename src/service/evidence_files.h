// service/evidence_files.h: the pieces of files attached to milestone evidence (issue 18) that need
// no store: which types are accepted, read from the file's bytes and never from what the client
// says, and the base64 the API carries them in. The use cases are Experiments::AttachEvidenceFile,
// EvidenceFiles and EvidenceFileOf (service/experiments/experiments.h); the limits are in domain/evidence.h.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/evidence.h"

namespace weefsel::service {

// Base64 of a file of at most domain::kMaxEvidenceFileBytes bytes.
inline constexpr size_t kMaxEvidenceFileBase64 = (domain::kMaxEvidenceFileBytes + 2) / 3 * 4;

// "application/pdf", "image/png" or "image/jpeg" from the file's signature; InvalidArgument naming
// `file.data` for anything else (HTML, SVG, scripts, Office files...).
Result<std::string> SniffEvidenceType(std::string_view bytes);

// Standard base64 (padding optional) -> bytes; InvalidArgument naming `file.data` when it is not
// base64, is empty, or the file would be over the limit.
Result<std::string> DecodeEvidenceBase64(std::string_view base64);

// A file name fit for a Content-Disposition header and a listing: the last path part, control
// characters, quotes, backslashes and semicolons dropped, at most 100 bytes; "bestand" when
// nothing is left.
std::string CleanFileName(std::string_view name);

}  // namespace weefsel::service
