// service/evidence_files.cc: files attached to milestone evidence (service/evidence_files.h) and
// the use cases of service/experiments/experiments.h that store and read them.
#include "service/evidence_files.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "service/base64.h"
#include "service/core/policy.h"
#include "service/experiments/experiments.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

bool Begins(std::string_view b, std::string_view sig) { return b.substr(0, sig.size()) == sig; }

std::string Mib(int64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

}  // namespace

Result<std::string> SniffEvidenceType(std::string_view b) {
  if (Begins(b, "%PDF-")) return std::string("application/pdf");
  if (Begins(b, "\x89PNG\r\n\x1a\n")) return std::string("image/png");
  if (Begins(b, "\xff\xd8\xff")) return std::string("image/jpeg");
  return Status::InvalidArgument("file.data: must be a PDF, PNG or JPEG file (read from its contents)");
}

Result<std::string> DecodeEvidenceBase64(std::string_view base64) {
  if (base64.empty()) return Status::InvalidArgument("file.data: must not be empty");
  if (base64.size() > kMaxEvidenceFileBase64 + 2)
    return Status::InvalidArgument("file.data: the file is over " + Mib(storage::kMaxEvidenceFileBytes));
  std::optional<std::string> bytes = BytesOfBase64(base64);
  if (!bytes) return Status::InvalidArgument("file.data: must be base64 (RFC 4648) of the file's bytes");
  if (static_cast<int64_t>(bytes->size()) > storage::kMaxEvidenceFileBytes)
    return Status::InvalidArgument("file.data: the file is over " + Mib(storage::kMaxEvidenceFileBytes));
  return std::move(*bytes);
}

std::string CleanFileName(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == ';') continue;
    out.push_back(static_cast<char>(c));
  }
  out = std::string(Trim(out));
  if (out.size() > 100) {
    size_t cut = 100;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    out.resize(cut);
  }
  if (out.empty() || out == "." || out == "..") out = "bestand";
  return out;
}

Result<storage::EvidenceFile> Experiments::AttachEvidenceFile(const Principal& p, ExperimentId id, int64_t evidence,
                                                              const std::string& name, std::string bytes) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WEEFSEL_ASSIGN_OR_RETURN(std::string type, SniffEvidenceType(bytes));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kAttachEvidenceFile, {.actors = actors}));
  auto ev = store_->GetEvidence(evidence);
  if (!ev.ok() || ev->experiment != id)
    return Status::NotFound("evidence " + std::to_string(evidence) + " of experiment " + std::to_string(id.value()));
  if (ev->decision != "pending")
    return Status::Conflict("evidence.decision: evidence " + std::to_string(evidence) + " is " + ev->decision +
                            "; files are attached while it awaits a decision");
  WEEFSEL_ASSIGN_OR_RETURN(auto files, store_->EvidenceFilesOf(id));
  int same = 0;
  for (const auto& f : files) same += f.evidence == evidence ? 1 : 0;
  if (same >= kMaxFilesPerEvidence)
    return Status::Conflict("evidence.files: evidence has at most " + std::to_string(kMaxFilesPerEvidence) + " files");
  storage::EvidenceFile f;
  f.evidence = evidence;
  f.experiment = id;
  f.name = CleanFileName(name);
  f.content_type = type;
  f.bytes = std::move(bytes);
  f.uploaded_by = p.user;
  f.uploaded_at = Now();
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "experiment", "evidence_file", "", [&] { return store_->Insert(f).status(); },
      [&] {
        nlohmann::json j = {{"file", f.id},
                            {"evidence", f.evidence},
                            {"name", f.name},
                            {"type", f.content_type},
                            {"size_bytes", f.size}};
        return std::make_pair(id.value(), j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      }));
  f.bytes.clear();
  return f;
}

Result<std::vector<storage::EvidenceFile>> Experiments::EvidenceFiles(ExperimentId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetExperiment(id).status());
  return store_->EvidenceFilesOf(id);
}

Result<storage::EvidenceFile> Experiments::EvidenceFileOf(ExperimentId id, int64_t file) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetExperiment(id).status());
  auto f = store_->GetEvidenceFile(file);
  if (!f.ok() || f->experiment != id)
    return Status::NotFound("file " + std::to_string(file) + " of experiment " + std::to_string(id.value()));
  return f;
}

}  // namespace weefsel::service
