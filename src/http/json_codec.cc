#include "http/json_codec.h"

#include <algorithm>
#include <vector>

#include "base/strings.h"
#include "http/fields/entity_fields.h"

namespace weefsel::http {

namespace {

// A SAX pass that only counts: depth, keys of the innermost objects, values in all.
class ShapeCheck {
 public:
  explicit ShapeCheck(int max_depth) : max_depth_(max_depth) {}
  std::string error;

  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(nlohmann::json::number_integer_t) { return Value(); }
  bool number_unsigned(nlohmann::json::number_unsigned_t) { return Value(); }
  bool number_float(nlohmann::json::number_float_t, const std::string&) { return Value(); }
  bool string(std::string&) { return Value(); }
  bool binary(nlohmann::json::binary_t&) { return Value(); }
  bool start_object(std::size_t) { return Open(true); }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(false); }
  bool end_array() { return Close(); }
  bool key(std::string&) {
    if (++keys_.back() > kMaxJsonKeysPerObject)
      return Fail("body: an object has more than " + std::to_string(kMaxJsonKeysPerObject) + " keys");
    return Value();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception&) {
    return Fail("body: not valid JSON (at byte " + std::to_string(position) + ")");
  }

 private:
  bool Value() {
    if (++values_ > kMaxJsonValues) return Fail("body: more than " + std::to_string(kMaxJsonValues) + " JSON values");
    return true;
  }
  bool Open(bool object) {
    if (static_cast<int>(keys_.size()) >= max_depth_)
      return Fail("body: JSON nested deeper than " + std::to_string(max_depth_) + " levels");
    keys_.push_back(object ? 0 : kNotObject);
    return Value();
  }
  bool Close() {
    keys_.pop_back();
    return true;
  }
  bool Fail(std::string what) {
    if (error.empty()) error = std::move(what);
    return false;
  }
  static constexpr size_t kNotObject = 0;  // arrays count no keys (never incremented)
  int max_depth_;
  size_t values_ = 0;
  std::vector<size_t> keys_;
};

}  // namespace

Status CheckJsonShape(std::string_view body, int max_depth) {
  ShapeCheck check(max_depth);
  bool ok = nlohmann::json::sax_parse(body.begin(), body.end(), &check, nlohmann::json::input_format_t::json,
                                      /*strict=*/true);
  if (!ok) return Status::InvalidArgument(check.error.empty() ? "body: not valid JSON" : check.error);
  return Status::Ok();
}

Result<Json> ParseObject(std::string_view body) {
  WEEFSEL_RETURN_IF_ERROR(CheckJsonShape(body));
  Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("body: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("body: must be a JSON object");
  return j;
}

// ---- encoders and decoders: each reads its entity's field table (http/fields/) -------------

#define WEEFSEL_ENCODE(Type, Table) \
  Json ToJson(const Type& x) { return fields::Encode(fields::Table(), x); }
#define WEEFSEL_DECODE(Type, Table) \
  Status Apply(const Json& j, Type& x) { return fields::Decode(fields::Table(), j, x); }

WEEFSEL_ENCODE(domain::Municipality, MunicipalityFields)
WEEFSEL_ENCODE(domain::Actor, ActorFields)
WEEFSEL_ENCODE(domain::Tie, TieFields)
WEEFSEL_ENCODE(domain::Challenge, ChallengeFields)
WEEFSEL_ENCODE(domain::Coalition, CoalitionFields)
WEEFSEL_ENCODE(domain::Proposal, ProposalFields)
WEEFSEL_ENCODE(domain::Round, RoundFields)
WEEFSEL_ENCODE(domain::Ballot, BallotFields)
WEEFSEL_ENCODE(domain::Experiment, ExperimentFields)
WEEFSEL_ENCODE(domain::User, UserFields)
WEEFSEL_ENCODE(domain::RoleGrant, RoleGrantFields)
WEEFSEL_ENCODE(service::Comment, CommentFields)
WEEFSEL_ENCODE(service::Principal, PrincipalFields)
WEEFSEL_ENCODE(domain::Review, ReviewFields)
WEEFSEL_ENCODE(domain::AuditEntry, AuditEntryFields)
WEEFSEL_ENCODE(domain::Allocation, AllocationFields)
WEEFSEL_ENCODE(domain::MilestoneEvidence, MilestoneEvidenceFields)
WEEFSEL_ENCODE(domain::MatchCampaign, MatchCampaignFields)
WEEFSEL_ENCODE(domain::MatchPledge, MatchPledgeFields)
WEEFSEL_ENCODE(service::MunicipalityOverview, MunicipalityOverviewFields)
WEEFSEL_ENCODE(service::MatchStanding, MatchStandingFields)

WEEFSEL_DECODE(domain::Municipality, MunicipalityFields)
WEEFSEL_DECODE(domain::Actor, ActorFields)
WEEFSEL_DECODE(domain::Tie, TieFields)
WEEFSEL_DECODE(domain::Challenge, ChallengeFields)
WEEFSEL_DECODE(domain::Coalition, CoalitionFields)
WEEFSEL_DECODE(domain::ProposalVersion, ProposalVersionFields)
WEEFSEL_DECODE(domain::Round, RoundFields)
WEEFSEL_DECODE(domain::Experiment, ExperimentFields)
WEEFSEL_DECODE(domain::Measurement, MeasurementFields)
WEEFSEL_DECODE(domain::RoleGrant, RoleGrantFields)
WEEFSEL_DECODE(domain::Review, ReviewFields)
WEEFSEL_DECODE(domain::MatchCampaign, MatchCampaignFields)

#undef WEEFSEL_ENCODE
#undef WEEFSEL_DECODE

Result<std::vector<domain::BallotEntry>> DecodeBallot(const Json& j) {
  domain::Ballot b;
  WEEFSEL_RETURN_IF_ERROR(fields::Decode(fields::BallotFields(), j, b));
  return std::move(b.entries);
}

}  // namespace weefsel::http
