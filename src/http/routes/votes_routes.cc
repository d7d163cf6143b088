// http/routes/votes_routes.cc: fair votes (issue 20, part 2): a round's eligibility rule, one-time
// voting codes (made and downloaded once as a mail-merge CSV), the census file, the officers'
// register of counts, and the sealed ballot of a restricted round. Rights and rules are in
// service/votes.h; docs/api.md has the routes, docs/decisions/0004-secret-ballot.md the design.
#include <string>
#include <vector>

#include "http/api.h"
#include "http/call.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"
#include "service/votes.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

namespace {

// The largest census file a request may carry (the server's body limit is the real bound).
constexpr size_t kMaxCensusBytes = 8u << 20;

Json EligibilitySchema() { return Ref("Eligibility"); }

Json ToJson(const domain::Eligibility& e) { return Encode(fields::EligibilityFields(), e); }

Json TallySchema() {
  return ArrayOf(Obj({{"wijk", Scalar("string")}, {"total", Scalar("integer")}, {"used", Scalar("integer")}}));
}

Json ToJson(const std::vector<domain::VoteTally>& rows) {
  Json out = Json::array();
  for (const auto& t : rows) out.push_back({{"wijk", t.wijk}, {"total", t.total}, {"used", t.used}});
  return out;
}

Json EntriesSchema() {
  return {{"type", "array"},
          {"maxItems", kMaxListItems},
          {"items", Obj({{"project_id", StrMax(100)}, {"points", Scalar("integer")}}, {"points"})}};
}

Json EntriesJson(const std::vector<domain::BallotEntry>& entries) {
  Json out = Json::array();
  for (const auto& e : entries) out.push_back({{"project_id", e.project_id}, {"points", e.points}});
  return out;
}

Result<domain::Eligibility> DecodeEligibility(const Json& body) {
  domain::Eligibility e;
  WEEFSEL_RETURN_IF_ERROR(Decode(fields::EligibilityFields(), body, e));
  return e;
}

Result<service::VerifiedBallot> DecodeVerified(const Json& body) {
  Fields f(body, "ballot");
  service::VerifiedBallot b;
  if (!f.Has("entries")) return f.Error("entries", "required: the projects you vote for");
  WEEFSEL_ASSIGN_OR_RETURN(b.entries, DecodeBallot(Json{{"entries", f.At("entries")}}));
  WEEFSEL_RETURN_IF_ERROR(f.Str("code", b.code, 40));
  WEEFSEL_RETURN_IF_ERROR(f.Str("ballot_token", b.ballot_token, 128));
  if (f.Has("census")) {
    const Json& c = f.At("census");
    if (!c.is_object()) return Status::InvalidArgument("census: must be {identifier, postcode, birth_date}");
    Fields g(c, "census");
    service::voting::CensusPerson p;
    WEEFSEL_RETURN_IF_ERROR(g.Str("identifier", p.identifier, 40));
    WEEFSEL_RETURN_IF_ERROR(g.Str("postcode", p.postcode, 20));
    WEEFSEL_RETURN_IF_ERROR(g.Str("birth_date", p.birth_date, 20));
    WEEFSEL_RETURN_IF_ERROR(g.Done());
    b.census = p;
  }
  WEEFSEL_RETURN_IF_ERROR(f.Done());
  return b;
}

}  // namespace

void Api::BuildVoteRoutes() {
  service::Votes& V = votes_;
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/eligibility",
       .tag = "rounds",
       .summary = "Who may vote in a round: open, by voting code, by census or by DigiD, with wijken and a minimum age",
       .success = 200,
       .response = EligibilitySchema(),
       .handler = [&V](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto e, V.EligibilityOf(c.Path<RoundTag>(0)));
         return Ok(ToJson(e));
       }});
  Add({.method = "PUT",
       .path = "/api/v1/rounds/{id}/eligibility",
       .tag = "rounds",
       .summary = "Set who may vote in a round, until voting opens (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Ref("EligibilityWrite"),
       .response = EligibilitySchema(),
       .handler = [&V](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto e, DecodeEligibility(c.body));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, V.SetEligibility(c.who, c.Path<RoundTag>(0), e));
         return Ok(ToJson(x));
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/voting-codes",
       .tag = "rounds",
       .summary = "Make one-time voting codes and download them, once, as a mail-merge CSV (officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"count", Scalar("integer")}, {"wijk", StrMax(100)}}, {"count"}),
       .response = FreeForm("a mail-merge file (text/csv; separator ';'): code, wijk, brief"),
       .handler = [&V](Call& c) -> Result<Reply> {
         Fields f(c.body, "voting_codes");
         int64_t count = 0;
         std::string wijk;
         WEEFSEL_RETURN_IF_ERROR(f.Int("count", count));
         if (!f.Has("count")) return f.Error("count", "required: how many codes to make");
         WEEFSEL_RETURN_IF_ERROR(f.Str("wijk", wijk, 100));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (count < 1 || count > 5000) return Status::InvalidArgument("count: must be 1 to 5000 codes at a time");
         WEEFSEL_ASSIGN_OR_RETURN(std::string csv,
                                  V.GenerateCodes(c.who, c.Path<RoundTag>(0), static_cast<int>(count), wijk));
         Reply r;
         r.raw = std::move(csv);
         r.content_type = "text/csv; charset=utf-8";
         r.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"stemcodes-ronde-" + std::to_string(c.ids.at(0)) + ".csv\"");
         r.headers.emplace_back("Cache-Control", "no-store");
         return r;
       }});
  Add({.method = "PUT",
       .path = "/api/v1/rounds/{id}/census",
       .tag = "rounds",
       .summary = "Replace the census of a round before voting opens; a bad line refuses the file (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"csv", StrMax(kMaxCensusBytes)}}, {"csv"}),
       .response = Obj({{"residents", Scalar("integer")}}),
       .handler = [&V](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string csv, StringOfBody(c.body, "csv", kMaxCensusBytes));
         WEEFSEL_ASSIGN_OR_RETURN(int64_t n, V.UploadCensus(c.who, c.Path<RoundTag>(0), csv));
         return Ok({{"residents", n}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/voting-register",
       .tag = "rounds",
       .summary = "Counts of a round's voting codes and census by wijk: made, used, voted; the accounts that voted "
                  "with DigiD (officers)",
       .success = 200,
       .needs_user = true,
       .response = Obj({{"eligibility", EligibilitySchema()},
                        {"codes", TallySchema()},
                        {"census", TallySchema()},
                        {"digid_voters", Scalar("integer")}}),
       .handler = [&V](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto reg, V.RegisterOf(c.who, c.Path<RoundTag>(0)));
         return Ok({{"eligibility", ToJson(reg.eligibility)},
                    {"codes", ToJson(reg.codes)},
                    {"census", ToJson(reg.census)},
                    {"digid_voters", reg.digid_voters}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/verified-ballot",
       .tag = "rounds",
       .summary = "Cast a sealed ballot in a restricted round with a voting code or census details, or replace it "
                  "with its ballot token (residents)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request =
           Body({{"entries", EntriesSchema()},
                 {"code", StrMax(40)},
                 {"ballot_token", StrMax(128)},
                 {"census", Body({{"identifier", StrMax(40)}, {"postcode", StrMax(20)}, {"birth_date", StrMax(20)}},
                                 {"identifier", "postcode", "birth_date"})}},
                {"entries"}),
       .response = Obj({{"round", Scalar("integer")},
                        {"kind", Scalar("string")},
                        {"entries", EntriesSchema()},
                        {"ballot_token", Scalar("string")},
                        {"replaced", Scalar("boolean")}}),
       .handler = [&V](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto b, DecodeVerified(c.body));
         WEEFSEL_ASSIGN_OR_RETURN(auto x, V.CastVerified(c.who, c.Path<RoundTag>(0), std::move(b)));
         Reply r = Ok({{"round", x.round.value()},
                       {"kind", std::string(domain::BallotKindCode(x.kind))},
                       {"entries", EntriesJson(x.entries)},
                       {"ballot_token", x.ballot_token},
                       {"replaced", x.replaced}});
         r.headers.emplace_back("Cache-Control", "no-store");
         return r;
       }});
  // Limits against bulk registration (docs/decisions/0005-bulk-registration.md).
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/registration-clusters",
       .tag = "rounds",
       .summary = "Accounts of the municipality registered from one network in quick succession, with who voted in "
                  "the round (never what) and who was voided (officers): window_minutes (default 60), min_accounts "
                  "(default 3)",
       .success = 200,
       .needs_user = true,
       .query = {"window_minutes", "min_accounts"},
       .response = Obj({{"window_minutes", Scalar("integer")},
                        {"min_accounts", Scalar("integer")},
                        {"clusters", ArrayOf(Obj({{"key", Scalar("string")},
                                                  {"first_at", Scalar("string")},
                                                  {"last_at", Scalar("string")},
                                                  {"size", Scalar("integer")},
                                                  {"voted", Scalar("integer")},
                                                  {"voided", Scalar("integer")},
                                                  {"accounts", ArrayOf(Obj({{"user", Scalar("integer")},
                                                                            {"display_name", Scalar("string")},
                                                                            {"registered_at", Scalar("string")},
                                                                            {"voted", Scalar("boolean")},
                                                                            {"voided", Scalar("boolean")}}))}}))}}),
       .handler = [&V](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(int64_t window, PageParam(c, "window_minutes", 60, 1, 10080));
         WEEFSEL_ASSIGN_OR_RETURN(int64_t min, PageParam(c, "min_accounts", 3, 2, 1000));
         WEEFSEL_ASSIGN_OR_RETURN(
             auto clusters, V.ClustersOf(c.who, c.Path<RoundTag>(0), static_cast<int>(window), static_cast<int>(min)));
         Json items = Json::array();
         for (const auto& k : clusters) {
           Json accounts = Json::array();
           for (const auto& a : k.accounts)
             accounts.push_back({{"user", a.user.value()},
                                 {"display_name", a.display_name},
                                 {"registered_at", a.registered_at},
                                 {"voted", a.voted},
                                 {"voided", a.voided}});
           items.push_back({{"key", k.key},
                            {"first_at", k.first_at},
                            {"last_at", k.last_at},
                            {"size", k.accounts.size()},
                            {"voted", k.voted},
                            {"voided", k.voided},
                            {"accounts", accounts}});
         }
         Reply r = Ok({{"window_minutes", window}, {"min_accounts", min}, {"clusters", items}});
         r.headers.emplace_back("Cache-Control", "no-store");
         return r;
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/void-ballots",
       .tag = "rounds",
       .summary = "Void the ballots of named accounts in a round before it is published, with a reason; audited, "
                  "results recomputed (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"users", Json{{"type", "array"}, {"maxItems", 1000}, {"items", Scalar("integer")}}},
                        {"reason", StrMax(500)}},
                       {"users", "reason"}),
       .response = Obj({{"accounts", Scalar("integer")}, {"ballots", Scalar("integer")}}),
       .handler = [&V](Call& c) -> Result<Reply> {
         Fields f(c.body, "void");
         std::string reason;
         WEEFSEL_RETURN_IF_ERROR(f.Str("reason", reason, 500));
         if (!f.Has("users") || !f.At("users").is_array())
           return Status::InvalidArgument("users: required: a list of account ids");
         std::vector<UserId> users;
         for (const auto& u : f.At("users")) {
           if (!u.is_number_integer() || u.get<int64_t>() <= 0)
             return Status::InvalidArgument("users: each must be an account id (a positive integer)");
           users.emplace_back(u.get<int64_t>());
         }
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto out, V.VoidBallots(c.who, c.Path<RoundTag>(0), std::move(users), reason));
         return Ok({{"accounts", out.accounts}, {"ballots", out.ballots}});
       }});
}

}  // namespace weefsel::http
