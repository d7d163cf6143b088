// service/core/audit_snap.cc: the audit snapshots (contract in audit_snap.h).
#include "service/core/audit_snap.h"
#include "storage/store.h"

namespace weefsel::service::core {

using J = nlohmann::json;

std::string Dump(const J& j) { return j.dump(-1, ' ', false, J::error_handler_t::replace); }

std::string Snap(const domain::Municipality& m) {
  return Dump({{"cbs_code", m.cbs_code}, {"name", m.name}, {"province", m.province}, {"population", m.population}});
}
std::string Snap(const domain::Actor& a) {
  return Dump({{"name", a.name},
               {"kind", domain::ActorKindCode(a.kind)},
               {"municipality", IdOrNull(a.municipality)},
               {"area", a.area},
               {"themes", a.themes},
               {"capabilities", a.capabilities},
               {"description", a.description},
               {"website", a.website}});
}
std::string Snap(const domain::Tie& t) {
  return Dump({{"a", t.a.value()},
               {"b", t.b.value()},
               {"weight", t.weight},
               {"kind", domain::TieKindCode(t.kind)},
               {"from", t.from},
               {"until", t.until}});
}
std::string Snap(const domain::Challenge& c) {
  J caps = J::array();
  for (const auto& n : c.capabilities) caps.push_back({{"capability", n.capability}, {"weight", n.weight}});
  return Dump({{"title", c.title},
               {"phase", domain::ChallengePhaseCode(c.phase)},
               {"municipality", c.municipality.value()},
               {"text", c.text},
               {"themes", c.themes},
               {"capabilities", caps},
               {"budget_eur", c.budget_eur},
               {"area", c.area},
               {"deadline", c.deadline},
               {"max_coalition_size", c.max_coalition_size}});
}
std::string Snap(const domain::Coalition& c) {
  J members = J::array();
  for (const auto& m : c.members)
    members.push_back({{"actor", m.actor.value()}, {"role", m.role}, {"status", domain::MemberStatusCode(m.status)}});
  return Dump({{"challenge", c.challenge.value()},
               {"status", domain::CoalitionStatusCode(c.status)},
               {"members", members},
               {"explanation", c.explanation}});
}
std::string Snap(const domain::Proposal& p) {
  const auto* v = p.versions.empty() ? nullptr : &p.versions.back();
  return Dump({{"challenge", p.challenge.value()},
               {"coalition", IdOrNull(p.coalition)},
               {"status", p.status},
               {"supports", p.supports},
               {"versions", p.versions.size()},
               {"title", v ? v->title : ""},
               {"budget_eur", v ? v->budget_eur : 0}});
}
std::string Snap(const domain::Round& r) {
  J projects = J::array(), criteria = J::array();
  for (const auto& p : r.projects)
    projects.push_back({{"project_id", p.project_id}, {"title", p.title}, {"cost_eur", p.cost_eur}});
  for (const auto& c : r.criteria) criteria.push_back({{"name", c.name}, {"max_score", c.max_score}});
  return Dump({{"name", r.name},
               {"phase", domain::RoundPhaseCode(r.phase)},
               {"budget_eur", r.budget_eur},
               {"ballot_kind", domain::BallotKindCode(r.ballot_kind)},
               {"rule", r.rule},
               {"projects", projects},
               {"criteria", criteria}});
}
std::string Snap(const domain::Experiment& e) {
  J indicators = J::array();
  for (const auto& i : e.indicators)
    indicators.push_back({{"id", i.id.value()}, {"name", i.name}, {"measurements", i.measurements.size()}});
  return Dump({{"proposal", e.proposal.value()},
               {"status", e.status},
               {"hypotheses", e.hypotheses},
               {"indicators", indicators},
               {"outcome", e.outcome},
               {"learned", e.learned}});
}
std::string Snap(const domain::RoleGrant& g) {
  return Dump({{"user", g.user.value()},
               {"role", domain::RoleCode(g.role)},
               {"municipality", IdOrNull(g.municipality)},
               {"actor", IdOrNull(g.actor)}});
}

std::string Snap(const storage::MilestoneEvidence& e) {
  return Dump({{"evidence", e.id},
               {"milestone", e.milestone + 1},
               {"text", e.text},
               {"link", e.link},
               {"decision", e.decision},
               {"reason", e.reason},
               {"released_eur", e.released_eur}});
}

std::string Snap(const storage::MatchCampaign& c) {
  return Dump({{"round", c.round.value()},
               {"name", c.name},
               {"ratio_num", c.ratio_num},
               {"ratio_den", c.ratio_den},
               {"campaign_cap_eur", c.campaign_cap_eur},
               {"fund_eur", c.fund_eur},
               {"deadline", c.deadline}});
}

}  // namespace weefsel::service::core
