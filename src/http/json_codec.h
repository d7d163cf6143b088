// http/json_codec.h: domain values to and from the JSON of the API.
//
// Encoders give the public JSON form of each entity (field names as in domain/model.h; enums by
// their codes; ids as numbers, unset ids as null). Decoders apply the fields present in a JSON
// object onto an entity, so the same function serves create (on a default entity) and PATCH (on
// the stored one). A decoder refuses unknown fields, wrong types and over-long strings or lists
// with InvalidArgument naming the field ("actor.themes: at most 200 items"). Both read the entity's
// field table (domain/fields/entity_fields.h), as do the OpenAPI component schemas.
// CheckJsonShape rejects, in one linear pass before the body is parsed into a value, bodies nested
// deeper than the limit, objects with too many keys and bodies with too many values (an object
// with 90,000 keys took 5 s to parse into an insertion-ordered object: its key lookup is linear).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/fields/json_fields.h"
#include "domain/model.h"
#include "service/platform.h"

namespace weefsel::http {

using Json = domain::fields::Json;

using domain::fields::Fields;  // the reader of request objects (domain/fields/json_fields.h)
using domain::fields::kMaxListItems;
using domain::fields::kMaxNameLength;
using domain::fields::kMaxStringLength;
inline constexpr int kMaxJsonDepth = 16;
inline constexpr size_t kMaxJsonKeysPerObject = 200;  // the largest entity has about 30 fields
inline constexpr size_t kMaxJsonValues = 100000;      // every value, keys included, in one body

// InvalidArgument naming what was exceeded if `body` nests arrays/objects deeper than
// `max_depth`, has an object with more than kMaxJsonKeysPerObject keys, or more than
// kMaxJsonValues values; also if it is not JSON. Linear in the body's size.
Status CheckJsonShape(std::string_view body, int max_depth = kMaxJsonDepth);
// Parses a request body that must be a JSON object.
Result<Json> ParseObject(std::string_view body);

Json ToJson(const domain::Municipality& m);
Json ToJson(const domain::Actor& a);
Json ToJson(const domain::Tie& t);
Json ToJson(const domain::Challenge& c);
Json ToJson(const domain::Coalition& c);
Json ToJson(const domain::Proposal& p);
Json ToJson(const domain::Round& r);
Json ToJson(const domain::Ballot& b);
Json ToJson(const domain::Experiment& e);
Json ToJson(const domain::User& u);  // never the password hash
Json ToJson(const domain::RoleGrant& g);
Json ToJson(const service::Comment& c);
Json ToJson(const service::Principal& p);
Json ToJson(const domain::Review& r);
Json ToJson(const domain::AuditEntry& e);
Json ToJson(const domain::Allocation& a);
Json ToJson(const domain::MilestoneEvidence& e);  // without user ids (the audit log has who)
Json ToJson(const domain::MatchCampaign& c);
Json ToJson(const domain::MatchPledge& p);  // the caller's own pledge
Json ToJson(const service::MunicipalityOverview& o);
Json ToJson(const service::MatchStanding& s);  // amounts in cents and euros; no backers

Status Apply(const Json& j, domain::Municipality& m);
Status Apply(const Json& j, domain::Actor& a);
Status Apply(const Json& j, domain::Tie& t);
Status Apply(const Json& j, domain::Challenge& c);
Status Apply(const Json& j, domain::Coalition& c);  // challenge, members, explanation, score
Status Apply(const Json& j, domain::ProposalVersion& v);
Status Apply(const Json& j, domain::Round& r);
Status Apply(const Json& j, domain::Experiment& e);
Status Apply(const Json& j, domain::Measurement& m);
Status Apply(const Json& j, domain::RoleGrant& g);
Status Apply(const Json& j, domain::Review& r);         // project_id, scores, comment
Status Apply(const Json& j, domain::MatchCampaign& c);  // name, ratio_num, ratio_den, caps, deadline
Result<std::vector<domain::BallotEntry>> DecodeBallot(const Json& j);

}  // namespace weefsel::http
