// domain/fields/entity_fields.h: the field table of every domain entity.
//
// One table per entity (field_table.h says what a field records and which consumer takes it): the
// API's JSON codecs and OpenAPI schemas (http/), the audit snapshots, the export and import of
// files and the open data (service/) all read them. Adding a field to an entity is one edit in its
// table here (plus, for a stored field, a migration). The tables of service/'s read models
// (overviews, standings, the principal) are in http/fields/entity_fields.h.
// Thread-safety: each table is built on first use (a function-local static) and then only read.
#pragma once

#include <string>
#include <vector>

#include "domain/account_state.h"
#include "domain/appearance.h"
#include "domain/audit.h"
#include "domain/evidence.h"
#include "domain/fabric_snapshot.h"
#include "domain/fields/field_table.h"
#include "domain/model.h"
#include "domain/moderation.h"
#include "domain/money.h"
#include "domain/task_challenge.h"

namespace weefsel::domain::fields {

const FieldTable<domain::Municipality>& MunicipalityFields();
const FieldTable<domain::Actor>& ActorFields();
const FieldTable<domain::Tie>& TieFields();
const FieldTable<domain::CapabilityNeed>& CapabilityNeedFields();
const FieldTable<domain::Challenge>& ChallengeFields();
const FieldTable<domain::CoalitionMember>& CoalitionMemberFields();
const FieldTable<domain::Coalition>& CoalitionFields();
const FieldTable<domain::Milestone>& MilestoneFields();
const FieldTable<domain::ProposalVersion>& ProposalVersionFields();
const FieldTable<domain::Proposal>& ProposalFields();
const FieldTable<domain::RoundProject>& RoundProjectFields();
const FieldTable<domain::ReviewCriterion>& ReviewCriterionFields();
const FieldTable<domain::Round>& RoundFields();
const FieldTable<domain::Review>& ReviewFields();
const FieldTable<domain::BallotEntry>& BallotEntryFields();
const FieldTable<domain::Ballot>& BallotFields();
const FieldTable<domain::Measurement>& MeasurementFields();
const FieldTable<domain::Indicator>& IndicatorFields();
const FieldTable<domain::Experiment>& ExperimentFields();
const FieldTable<domain::User>& UserFields();
const FieldTable<domain::RoleGrant>& RoleGrantFields();
const FieldTable<domain::Comment>& CommentFields();
const FieldTable<domain::AuditEntry>& AuditEntryFields();
const FieldTable<domain::Allocation>& AllocationFields();
const FieldTable<domain::MilestoneEvidence>& MilestoneEvidenceFields();
const FieldTable<domain::MatchCampaign>& MatchCampaignFields();
const FieldTable<domain::MatchPledge>& MatchPledgeFields();
const FieldTable<domain::Eligibility>& EligibilityFields();
const FieldTable<domain::Appearance>& AppearanceFields();
const FieldTable<domain::Report>& ReportFields();
const FieldTable<domain::HiddenItem>& HiddenItemFields();
// The Right to Challenge: a task of a municipality's list and a bid against one. A bid shows the
// parts of an experiment's milestones and indicators that it states (TaskMilestone, TaskIndicator)
// and reads them as an experiment's (the agreement makes its experiment from them).
const FieldTable<domain::MunicipalTask>& MunicipalTaskFields();
const FieldTable<domain::Milestone>& TaskMilestoneFields();
const FieldTable<domain::Indicator>& TaskIndicatorFields();
const FieldTable<domain::TaskChallenge>& TaskChallengeFields();

// Reads "capabilities" of a request: a list of {capability, weight} objects or of bare capability
// codes (weight 1); errors name `entity` ("task.capabilities: ...").
Status DecodeNeeds(Fields& f, const std::string& entity, std::vector<domain::CapabilityNeed>& out);

// ---- account state and fabric snapshots (issue 22 item 3) -----------------------------------
// Entities whose routes declared their answers inline before they had a table: their OpenAPI
// schemas are the tables' shapes (ShapeSchema, field_table.h), not components. Who a notification is for, the
// audit entry it came from, whose settings they are and who blocked an account are in no table
// (no reader of it may see them, or the route's caller is who): the store adds them to its rows
// (storage/sql/, RowMap::Also).
//
// A notification: "title" is the Dutch title here; the API's answer shows the English one to a
// reader who chose English (http/routes/self_routes.cc). Read-only.
const FieldTable<domain::Notification>& NotificationFields();
// A user's settings: what PATCH /me/settings writes (digest, language).
const FieldTable<domain::UserSettings>& UserSettingsFields();
// A blocked account: a request writes the reason only.
const FieldTable<domain::AccountBlock>& AccountBlockFields();
// A stored snapshot of a municipality's fabric: its health as stored, its typology's groups (the
// per-actor assignment is kept for the stability measure, not shown). Read-only.
const FieldTable<domain::FabricSnapshot>& FabricSnapshotFields();
// ---- end of account state and fabric snapshots ------------------------------------------------

}  // namespace weefsel::domain::fields
