// service/core/audit_snap.h: the audit log's snapshots of an entity as JSON text: the fields its
// field table (domain/fields/entity_fields.h) gives the audit, every field but the personal ones
// (so never e-mail addresses, password hashes, private tie notes or ballot contents), under the
// names and in the forms of the API's JSON; keys sorted.
//
// An audit entry (domain/audit.h, AuditEntry) keeps the entity before and after a change as such
// a snapshot; the slices write them through core::Context::Logged. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "base/ids.h"
#include "domain/appearance.h"
#include "domain/evidence.h"
#include "domain/model.h"
#include "domain/moderation.h"
#include "domain/money.h"
#include "domain/task_challenge.h"

namespace weefsel::service::core {

// JSON text, invalid UTF-8 replaced.
std::string Dump(const nlohmann::json& j);

template <typename Tag>
nlohmann::json IdOrNull(Id<Tag> id) {
  return id.valid() ? nlohmann::json(id.value()) : nlohmann::json(nullptr);
}

std::string Snap(const domain::Municipality& m);
std::string Snap(const domain::Actor& a);
std::string Snap(const domain::Tie& t);
std::string Snap(const domain::Challenge& c);
std::string Snap(const domain::Coalition& c);
std::string Snap(const domain::Proposal& p);
std::string Snap(const domain::Round& r);
std::string Snap(const domain::Experiment& e);
std::string Snap(const domain::RoleGrant& g);
std::string Snap(const domain::MilestoneEvidence& e);
std::string Snap(const domain::MatchCampaign& c);
std::string Snap(const domain::Eligibility& e);
std::string Snap(const domain::Appearance& a);  // the logo as where it is served, not its bytes
std::string Snap(const domain::HiddenItem& h);
std::string Snap(const domain::MunicipalTask& t);
std::string Snap(const domain::TaskChallenge& c);  // never who filed it or decided a step

}  // namespace weefsel::service::core
