// http/fields/entity_fields.h: the field table of every entity the API encodes or decodes.
//
// One table per entity (field_table.h says what a field records); the JSON codecs
// (http/json_codec.cc) and the OpenAPI component schemas (http/openapi.cc) read them. Adding a
// field to an entity's JSON is one edit in its table here (plus, for a stored field, a migration).
// Thread-safety: each table is built on first use (a function-local static) and then only read.
#pragma once

#include "http/fields/field_table.h"
#include "service/platform.h"

namespace weefsel::http::fields {

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
const FieldTable<service::Principal>& PrincipalFields();
const FieldTable<domain::AuditEntry>& AuditEntryFields();
const FieldTable<domain::Allocation>& AllocationFields();
const FieldTable<domain::MilestoneEvidence>& MilestoneEvidenceFields();
const FieldTable<domain::MatchCampaign>& MatchCampaignFields();
const FieldTable<domain::MatchPledge>& MatchPledgeFields();
const FieldTable<service::MunicipalityOverview>& MunicipalityOverviewFields();
const FieldTable<service::MatchStanding>& MatchStandingFields();

// components.schemas of the OpenAPI document: for every table its read schema ("Actor") and, when
// a request may write it, its write schema ("ActorWrite").
Json ComponentSchemas();

}  // namespace weefsel::http::fields
