// sql/files.cc: files attached to milestone evidence (store/files.h). The bytes are kept as hex
// text, as the municipality's logo is (municipalities.cc), so SQLite
// and PostgreSQL both hold them in a text column; the lists never read that column.
#include <string>
#include <vector>

#include "storage/hex.h"
#include "storage/sql/sql_store.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {

constexpr const char* kMunicipalityOfEvidence =
    "SELECT c.municipality_id FROM milestone_evidence v JOIN experiments e ON e.id = v.experiment_id "
    "JOIN proposals p ON p.id = e.proposal_id JOIN challenges c ON c.id = p.challenge_id WHERE v.id = $1";

constexpr const char* kColumns =
    "SELECT f.id, f.evidence_id, v.experiment_id, f.name, f.content_type, f.size_bytes, f.uploaded_by, f.uploaded_at ";

EvidenceFile FileAt(const SqlRows& r, size_t i) {
  EvidenceFile f;
  f.id = r.Int(i, 0);
  f.evidence = r.Int(i, 1);
  f.experiment = ExperimentId(r.Int(i, 2));
  f.name = r.Str(i, 3);
  f.content_type = r.Str(i, 4);
  f.size = r.Int(i, 5);
  if (!r.Null(i, 6)) f.uploaded_by = UserId(r.Int(i, 6));
  f.uploaded_at = r.Str(i, 7);
  return f;
}

}  // namespace

Result<int64_t> SqlStore::Insert(EvidenceFile& f) {
  if (f.bytes.empty()) return Status::InvalidArgument("file.data: must not be empty");
  if (static_cast<int64_t>(f.bytes.size()) > kMaxEvidenceFileBytes)
    return Status::InvalidArgument("file.data: at most " + std::to_string(kMaxEvidenceFileBytes / (1024 * 1024)) +
                                   " MiB");
  if (f.name.empty() || f.name.size() > 200) return Status::InvalidArgument("file.name: 1 to 200 bytes");
  if (f.content_type.empty()) return Status::InvalidArgument("file.content_type: required");
  f.size = static_cast<int64_t>(f.bytes.size());
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows ev,
                             Q("SELECT experiment_id FROM milestone_evidence WHERE id = $1", {SqlValue(f.evidence)}));
    if (ev.empty())
      return Status::NotFound("file.evidence: evidence " + std::to_string(f.evidence) + " does not exist");
    f.experiment = ExperimentId(ev.Int(0, 0));
    Touch(scope::Experiment(f.experiment));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfEvidence, {SqlValue(f.evidence)}));
    SqlValue by = f.uploaded_by.valid() ? SqlValue(f.uploaded_by.value()) : SqlValue(std::monostate{});
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("INSERT INTO evidence_files (evidence_id, name, content_type, size_bytes, data_hex, uploaded_by, "
                     "uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {SqlValue(f.evidence), SqlValue(f.name), SqlValue(f.content_type), SqlValue(f.size),
                      SqlValue(HexOf(f.bytes)), by, SqlValue(f.uploaded_at)}));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "file", {{"file.uploaded_by", "users", f.uploaded_by.value()}}));
  f.id = id;
  return id;
}

Result<EvidenceFile> SqlStore::GetEvidenceFile(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(std::string(kColumns) + ", f.data_hex FROM evidence_files f "
                                           "JOIN milestone_evidence v ON v.id = f.evidence_id WHERE f.id = $1",
                   {SqlValue(id)}));
  if (r.empty()) return Status::NotFound("file " + std::to_string(id) + " does not exist");
  EvidenceFile f = FileAt(r, 0);
  WEEFSEL_ASSIGN_OR_RETURN(f.bytes, BytesOfHex(r.Str(0, 8), "evidence_files", "data_hex", id));
  return f;
}

Result<std::vector<EvidenceFile>> SqlStore::EvidenceFilesOf(ExperimentId experiment) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(std::string(kColumns) + "FROM evidence_files f JOIN milestone_evidence v "
                                                                "ON v.id = f.evidence_id WHERE v.experiment_id = $1 "
                                                                "ORDER BY f.id",
                                        {SqlValue(experiment.value())}));
  std::vector<EvidenceFile> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(FileAt(r, i));
  return out;
}

}  // namespace weefsel::storage::sql
