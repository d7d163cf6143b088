// service/core/audit_snap.cc: the audit snapshots (contract in audit_snap.h), read from the field
// tables.
#include "service/core/audit_snap.h"

#include "domain/fields/entity_fields.h"

namespace weefsel::service::core {

namespace fields = domain::fields;
using J = nlohmann::json;

std::string Dump(const J& j) { return j.dump(-1, ' ', false, J::error_handler_t::replace); }

namespace {

template <typename T>
std::string SnapOf(const fields::FieldTable<T>& table, const T& t) {
  J j = J::object();
  for (const auto& f : table.fields)
    if (fields::InAudit(f) && (f.always || f.present(t))) j[f.name] = J(f.encode(t));
  return Dump(j);
}

}  // namespace

std::string Snap(const domain::Municipality& m) { return SnapOf(fields::MunicipalityFields(), m); }
std::string Snap(const domain::Actor& a) { return SnapOf(fields::ActorFields(), a); }
std::string Snap(const domain::Tie& t) { return SnapOf(fields::TieFields(), t); }
std::string Snap(const domain::Challenge& c) { return SnapOf(fields::ChallengeFields(), c); }
std::string Snap(const domain::Coalition& c) { return SnapOf(fields::CoalitionFields(), c); }
std::string Snap(const domain::Proposal& p) { return SnapOf(fields::ProposalFields(), p); }
std::string Snap(const domain::Round& r) { return SnapOf(fields::RoundFields(), r); }
std::string Snap(const domain::Experiment& e) { return SnapOf(fields::ExperimentFields(), e); }
std::string Snap(const domain::RoleGrant& g) { return SnapOf(fields::RoleGrantFields(), g); }
std::string Snap(const domain::MilestoneEvidence& e) { return SnapOf(fields::MilestoneEvidenceFields(), e); }
std::string Snap(const domain::MatchCampaign& c) { return SnapOf(fields::MatchCampaignFields(), c); }
std::string Snap(const domain::Eligibility& e) { return SnapOf(fields::EligibilityFields(), e); }
std::string Snap(const domain::Appearance& a) { return SnapOf(fields::AppearanceFields(), a); }
std::string Snap(const domain::HiddenItem& h) { return SnapOf(fields::HiddenItemFields(), h); }
std::string Snap(const domain::MunicipalTask& t) { return SnapOf(fields::MunicipalTaskFields(), t); }
std::string Snap(const domain::TaskChallenge& c) { return SnapOf(fields::TaskChallengeFields(), c); }

}  // namespace weefsel::service::core
