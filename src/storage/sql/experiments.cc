// sql/experiments.cc: experiments (with indicators, measurements and milestones), milestone
// evidence, match-funding campaigns and pledges.
#include "storage/sql/sql_store.h"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/fields/entity_fields.h"
#include "storage/sql/row_map.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// ---------------------------------------------------------------------------------------------
// Experiments.

namespace {
// The row of an experiment: the stored fields of its table.
const RowMap<Experiment>& ExperimentRows() {
  static const auto* rows = new RowMap<Experiment>("experiments", domain::fields::ExperimentFields());
  return *rows;
}
// A measurement's row: its table's stored fields, its indicator and its place in the list.
const RowMap<domain::Measurement>& MeasurementRows() {
  static const auto* rows = &(new RowMap<domain::Measurement>("measurements", domain::fields::MeasurementFields()))
                                 ->Child("indicator_id", "position");
  return *rows;
}
}  // namespace

Result<std::vector<Experiment>> SqlStore::ReadExperiments(const std::string& tail, const Params& params) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(ExperimentRows().Select() + tail, params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<Experiment> out, ExperimentRows().Read(r));
  if (out.empty()) return out;
  // The indicators of every experiment read, their measurements and the milestones: one query
  // each, not one per experiment and one per indicator.
  auto at = IndexById(out);
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows ind, ChildRows("experiment_id, id, name, unit, baseline, target", "indicators",
                                                  "experiment_id", "position", "experiments", tail, params));
  std::unordered_map<int64_t, std::pair<size_t, size_t>> indicator_at;  // id -> (experiment, indicator)
  for (size_t i = 0; i < ind.size(); ++i) {
    auto found = at.find(ind.Int(i, 0));
    if (found == at.end()) continue;  // an experiment written between the reads
    domain::Indicator x;
    x.id = IndicatorId(ind.Int(i, 1));
    x.name = ind.Str(i, 2);
    x.unit = ind.Str(i, 3);
    x.baseline = ind.Dbl(i, 4);
    x.target = ind.Dbl(i, 5);
    auto& indicators = out[found->second].indicators;
    indicator_at[x.id.value()] = {found->second, indicators.size()};
    indicators.push_back(std::move(x));
  }
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows m, ChildRows(MeasurementRows().ChildColumns(), "measurements", "indicator_id", "position", "indicators",
                           " WHERE experiment_id IN (SELECT id FROM experiments" + tail + ")", params));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<domain::Measurement> measured, MeasurementRows().Read(m));
  for (size_t k = 0; k < m.size(); ++k) {
    auto found = indicator_at.find(MeasurementRows().ParentOf(m, k));
    if (found == indicator_at.end()) continue;
    auto [e, x] = found->second;
    out[e].indicators[x].measurements.push_back(std::move(measured[k]));
  }
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows ms, ChildRows("experiment_id, title, due, amount_eur, status, evidence", "milestones", "experiment_id",
                            "position", "experiments", tail, params));
  for (size_t i = 0; i < ms.size(); ++i) {
    auto found = at.find(ms.Int(i, 0));
    if (found == at.end()) continue;
    out[found->second].milestones.push_back(MilestoneAt(ms, i, 1));
  }
  return out;
}

Status SqlStore::WriteExperimentChildren(const Experiment& e) {
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM indicators WHERE experiment_id = $1", {Int(e.id.value())}).status());
  WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM milestones WHERE experiment_id = $1", {Int(e.id.value())}).status());
  bool explicit_ids = false;
  for (size_t i = 0; i < e.indicators.size(); ++i) {
    const auto& x = e.indicators[i];
    Params p{Int(e.id.value()), Int(static_cast<int64_t>(i)), Text(x.name), Text(x.unit), x.baseline, x.target};
    std::string cols = "experiment_id, position, name, unit, baseline, target", vals = "$1, $2, $3, $4, $5, $6";
    if (x.id.valid()) {
      p.push_back(Int(x.id.value()));
      cols += ", id";
      vals += ", $7";
      explicit_ids = true;
    }
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                             Q("INSERT INTO indicators (" + cols + ") VALUES (" + vals + ") RETURNING id", p));
    int64_t ind = r.Int(0, 0);
    for (const auto& [sql, q] : MeasurementRows().InsertChildren(ind, x.measurements))
      WEEFSEL_RETURN_IF_ERROR(Q(sql, q).status());
  }
  if (explicit_ids) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("indicators"));
  return WriteMilestones(e.milestones, ProposalId(), 0, e.id);
}

Result<ExperimentId> SqlStore::Insert(Experiment& e) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  Experiment stored = e;
  Status s = Write([&]() -> Status {
    Touch("experiments");
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfProposal, {Int(e.proposal.value())}));
    auto [sql, p] = ExperimentRows().Insert(e);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    stored.id = ExperimentId(r.Int(0, 0));
    if (e.id.valid()) WEEFSEL_RETURN_IF_ERROR(conn_->SyncIdSequence("experiments"));
    return WriteExperimentChildren(stored);
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "experiment", {{"experiment.proposal", "proposals", e.proposal.value()}}));
  // Hand back the ids the indicators received.
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows ids, Q("SELECT id FROM indicators WHERE experiment_id = $1 ORDER BY position", {Int(stored.id.value())}));
  for (size_t i = 0; i < ids.size() && i < e.indicators.size(); ++i) e.indicators[i].id = IndicatorId(ids.Int(i, 0));
  e.id = stored.id;
  return e.id;
}

Status SqlStore::Update(const Experiment& e) {
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  Status s = Write([&]() -> Status {
    Touch("experiments");
    Touch(scope::Experiment(e.id));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfProposal, {Int(e.proposal.value())}));
    auto [sql, p] = ExperimentRows().Update(e);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    if (r.empty()) return Status::NotFoundOf("experiment", e.id.value());
    return WriteExperimentChildren(e);
  });
  return Explain(s, "experiment", {{"experiment.proposal", "proposals", e.proposal.value()}});
}

Result<Experiment> SqlStore::GetExperiment(ExperimentId id) {
  WEEFSEL_ASSIGN_OR_RETURN(auto v, ReadExperiments(" WHERE id = $1", {Int(id.value())}));
  if (v.empty()) return Status::NotFoundOf("experiment", id.value());
  return std::move(v[0]);
}

Result<std::vector<Experiment>> SqlStore::ListExperiments(const ListQuery& q) {
  Params p;
  Tail t(p);
  WEEFSEL_ASSIGN_OR_RETURN(std::string order, OrderAndPage(q, {{"status", "status", true}}, *conn_, t));
  return ReadExperiments(order, p);
}

// ---------------------------------------------------------------------------------------------
// Milestone evidence and match-funding.

namespace {

// The row of milestone evidence: the stored fields of its table, and who submitted and who
// decided, whom no reader of the table may see (the audit log has who).
const RowMap<MilestoneEvidence>& EvidenceRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<MilestoneEvidence>("milestone_evidence", domain::fields::MilestoneEvidenceFields());
    m->Also(domain::fields::IdOf("submitted_by", &MilestoneEvidence::submitted_by, true).Column());
    m->Also(domain::fields::IdOf("decided_by", &MilestoneEvidence::decided_by, true).Column());
    return m;
  }();
  return *rows;
}

Status ValidateEvidence(const MilestoneEvidence& e) {
  if (!e.experiment.valid()) return Status::InvalidArgument("evidence.experiment: must name an experiment");
  if (e.milestone < 0) return Status::InvalidArgument("evidence.milestone: must be 0 or more");
  if (e.decision != "pending" && e.decision != "approved" && e.decision != "rejected")
    return Status::InvalidArgument("evidence.decision: must be pending, approved or rejected, not '" + e.decision +
                                   "'");
  if (e.released_eur < 0) return Status::InvalidArgument("evidence.released_eur: must not be negative");
  if (e.released_eur > 0 && e.decision != "approved")
    return Status::InvalidArgument("evidence.released_eur: only approved evidence releases money");
  return Status::Ok();
}

// The row of a match-funding campaign: the stored fields of its table.
const RowMap<MatchCampaign>& CampaignRows() {
  static const auto* rows = new RowMap<MatchCampaign>("match_campaigns", domain::fields::MatchCampaignFields());
  return *rows;
}

// The row of a pledge: the stored fields of its table, and the backer, whom no reader of the
// table may see.
const RowMap<MatchPledge>& PledgeRows() {
  static const auto* rows = [] {
    auto* m = new RowMap<MatchPledge>("match_pledges", domain::fields::MatchPledgeFields());
    m->Also(domain::fields::IdOf("backer", &MatchPledge::backer, true).Column("user_id"));
    return m;
  }();
  return *rows;
}

}  // namespace

Result<int64_t> SqlStore::Insert(MilestoneEvidence& e) {
  WEEFSEL_RETURN_IF_ERROR(ValidateEvidence(e));
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Experiment(e.experiment));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfExperiment, {Int(e.experiment.value())}));
    MilestoneEvidence fresh = e;
    fresh.id = 0;  // new evidence always gets a new id
    auto [sql, params] = EvidenceRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "evidence",
                                  {{"evidence.experiment", "experiments", e.experiment.value()},
                                   {"evidence.submitted_by", "users", e.submitted_by.value()},
                                   {"evidence.decided_by", "users", e.decided_by.value()}}));
  e.id = id;
  return id;
}

Status SqlStore::Update(const MilestoneEvidence& e) {
  WEEFSEL_RETURN_IF_ERROR(ValidateEvidence(e));
  Status st = Write([&]() -> Status {
    Touch(scope::Experiment(e.experiment));
    WEEFSEL_RETURN_IF_ERROR(TouchRows("municipality", kMunicipalityOfExperiment, {Int(e.experiment.value())}));
    auto [sql, params] = EvidenceRows().Update(e);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    if (r.empty()) return Status::NotFoundOf("evidence", e.id);
    return Status::Ok();
  });
  return Explain(st, "evidence",
                 {{"evidence.experiment", "experiments", e.experiment.value()},
                  {"evidence.submitted_by", "users", e.submitted_by.value()},
                  {"evidence.decided_by", "users", e.decided_by.value()}});
}

Result<MilestoneEvidence> SqlStore::GetEvidence(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(EvidenceRows().Select() + " WHERE id = $1", {Int(id)}));
  if (r.empty()) return Status::NotFoundOf("evidence", id);
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<MilestoneEvidence> v, EvidenceRows().Read(r));
  return std::move(v.front());
}

Result<std::vector<MilestoneEvidence>> SqlStore::EvidenceOf(ExperimentId experiment) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q(EvidenceRows().Select() + " WHERE experiment_id = $1 ORDER BY id", {Int(experiment.value())}));
  return EvidenceRows().Read(r);
}

Result<int64_t> SqlStore::Insert(MatchCampaign& c) {
  if (Trim(c.name).empty()) return Status::InvalidArgument("campaign.name: must not be empty");
  if (c.ratio_num <= 0 || c.ratio_den <= 0)
    return Status::InvalidArgument("campaign.ratio: numerator and denominator must be positive");
  if (c.campaign_cap_eur < 0) return Status::InvalidArgument("campaign.campaign_cap_eur: must not be negative");
  if (c.fund_eur <= 0) return Status::InvalidArgument("campaign.fund_eur: must be positive");
  if (!IsIsoDate(c.deadline))
    return Status::InvalidArgument("campaign.deadline: '" + c.deadline + "' is not a date YYYY-MM-DD");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    Touch(scope::Round(c.round));
    Touch(scope::Municipality(c.municipality));
    MatchCampaign fresh = c;
    fresh.id = 0;  // a new campaign always gets a new id
    auto [sql, p] = CampaignRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, p));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(st, "campaign",
                                  {{"campaign.municipality", "municipalities", c.municipality.value()},
                                   {"campaign.round", "rounds", c.round.value()}}));
  c.id = id;
  return id;
}

Result<MatchCampaign> SqlStore::GetMatchCampaign(int64_t id) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(CampaignRows().Select() + " WHERE id = $1", {Int(id)}));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<MatchCampaign> v, CampaignRows().Read(r));
  if (v.empty()) return Status::NotFoundOf("campaign", id);
  return std::move(v[0]);
}

Result<std::vector<MatchCampaign>> SqlStore::MatchCampaignsOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(CampaignRows().Select() + " WHERE round_id = $1 ORDER BY id", {Int(round.value())}));
  return CampaignRows().Read(r);
}

Result<int64_t> SqlStore::Insert(MatchPledge& p) {
  if (p.amount_eur <= 0) return Status::InvalidArgument("pledge.amount_eur: must be positive");
  if (p.project_id.empty()) return Status::InvalidArgument("pledge.project_id: must not be empty");
  int64_t id = 0;
  Status st = Write([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(
        TouchRows("round", "SELECT round_id FROM match_campaigns WHERE id = $1", {Int(p.campaign)}));
    MatchPledge fresh = p;
    fresh.id = 0;  // a new pledge always gets a new id
    auto [sql, params] = PledgeRows().Insert(fresh);
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q(sql, params));
    id = r.Int(0, 0);
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(
      Explain(st, "pledge",
              {{"pledge.campaign", "match_campaigns", p.campaign}, {"pledge.backer", "users", p.backer.value()}}));
  p.id = id;
  return id;
}

Result<std::vector<MatchPledge>> SqlStore::PledgesOf(int64_t campaign) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r,
                           Q(PledgeRows().Select() + " WHERE campaign_id = $1 ORDER BY id", {Int(campaign)}));
  return PledgeRows().Read(r);
}

}  // namespace weefsel::storage::sql
