// http/fields/entity_fields.h: the field tables the API reads: every domain entity's (from
// domain/fields/entity_fields.h) and those of service/'s read models (the signed-in principal,
// a municipality's overview, a match-funding campaign's standing), which domain/ cannot see.
//
// The JSON codecs (http/json_codec.cc) and the OpenAPI component schemas (http/openapi.cc) read
// them. Thread-safety: each table is built on first use (a function-local static), then only read.
#pragma once

#include "domain/fields/entity_fields.h"
#include "service/platform.h"

namespace weefsel::http::fields {

using namespace ::weefsel::domain::fields;  // NOLINT(google-build-using-namespace): the tables and builders

const FieldTable<service::Principal>& PrincipalFields();
const FieldTable<service::MunicipalityOverview>& MunicipalityOverviewFields();
const FieldTable<service::MatchStanding>& MatchStandingFields();

// ---- read models whose routes declare them in their shape (issue 22 item 3) -----------------
// Not components: their routes declare them inline (ShapeSchema, domain/fields/field_table.h), as before.
// An item of a municipality's moderation queue: the reported or hidden item, its open reports, its
// hiding.
const FieldTable<service::ModerationItem>& ModerationItemFields();
// A line of the Right to Challenge budgets in the money overview.
const FieldTable<service::TaskBudgetLine>& TaskBudgetLineFields();
// ---- end of read models declared in their shape ----------------------------------------------

// components.schemas of the OpenAPI document: for every table its read schema ("Actor") and, when
// a request may write it, its write schema ("ActorWrite").
Json ComponentSchemas();

}  // namespace weefsel::http::fields
