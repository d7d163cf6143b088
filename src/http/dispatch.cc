// http/dispatch.cc: the request pipeline (route match, cache, authentication, body, handler,
// problem+json) of Api::Handle.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/strings.h"
#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"
#include "match/match_json.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace)

const Route* Api::Match(const std::string& method, const std::string& path, std::vector<std::string>& params,
                        std::string& allow) const {
  std::vector<std::string> segs = Split(path, '/', /*skip_empty=*/true);
  const Route* found = nullptr;
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::vector<std::string> got;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      const std::string& s = r.segments[i];
      if (s.size() > 2 && s.front() == '{')
        got.push_back(segs[i]);
      else
        ok = s == segs[i];
    }
    if (!ok) continue;
    if (r.method == method) {
      params = std::move(got);
      found = &r;
    } else if (allow.find(r.method) == std::string::npos) {
      allow += (allow.empty() ? "" : ", ") + r.method;
    }
  }
  return found;
}

const std::vector<RefusalCode>& RefusalCodes() {
  static const std::vector<RefusalCode> kCodes = {
      // Derived from the HTTP status and the field when the service names no reason.
      {"invalid_request", "", "400: the request is malformed (no single field at fault)"},
      {"invalid_field", "field", "400: the named field is missing or wrong"},
      {"sign_in_required", "", "401: sign in first (or the session or API token is not valid)"},
      {"forbidden", "field", "403: not allowed (field: what was refused, such as X-CSRF-Token)"},
      {"not_found", "what, id", "404: no such entity (what: challenge, round, ...), or no such path (field: path)"},
      {"method_not_allowed", "", "405: the path does not take this method (see Allow)"},
      {"request_timeout", "", "408: the request did not arrive in time"},
      {"already_exists", "field", "409: a duplicate"},
      {"conflict", "field", "409: the state does not allow this"},
      {"too_large", "field", "413 / 431: the body or the headers are too large"},
      {"uri_too_long", "", "414: the request target is too long"},
      {"unsupported_media_type", "", "415: send application/json"},
      {"rate_limited", "retry_after", "429: too many attempts; try again in retry_after seconds"},
      {"unavailable", "", "503: the store is unavailable or the server is busy"},
      {"building", "what, retry_after",
       "503: the result (what: matcher, fabric, weave, fabric health, round results) is being built for the first "
       "time; try again in retry_after seconds (also the Retry-After header)"},
      {"internal", "", "500: a bug"},
      // Named by the service.
      {"wrong_credentials", "", "401: unknown e-mail address or wrong password"},
      {"account_blocked", "", "401/403: a moderator blocked this account"},
      {"email_taken", "", "409: an account with this e-mail address exists"},
      {"admin_only", "", "403: only a platform admin may do this"},
      {"own_only", "", "403: only for one's own account"},
      {"oidc_identity_taken", "provider", "409: this identity at provider is linked to another account"},
      {"oidc_last_sign_in", "", "409: the account signs in only through this identity provider; link another first"},
      {"not_officer_of_municipality", "municipality", "403: only officers of the municipality (its id) may do this"},
      {"not_resident_of_municipality", "municipality", "403: only residents of the municipality may do this"},
      {"not_coalition_member", "", "403: only members of the coalition's actors may do this"},
      {"phase_not_editable", "", "400: the phase moves with POST .../phase, not with PATCH"},
      {"phase_move_not_allowed", "what, from, to, next",
       "409: a challenge or round (what) in phase from cannot move to to; next is its next phase (\"\" for none)"},
      {"status_move_not_allowed", "what, from, to", "409: a proposal's status cannot go from from to to"},
      {"challenge_past_proposals", "phase", "409: the challenge is past its proposals phase (it is in phase)"},
      {"wrong_round_phase", "phase, needs", "409: the round is in phase; this needs phase needs"},
      {"wrong_challenge_phase", "phase, needs", "409: the challenge is in phase; this needs phase needs"},
      {"wrong_proposal_status", "status, needs", "409: the proposal is status; this needs status needs"},
      {"round_fixed", "phase", "409: budget, projects and criteria of a round are fixed in this phase"},
      {"proposal_not_revisable", "status", "409: a proposal with this status takes no new versions"},
      {"too_many_versions", "max", "409: a proposal has at most max versions"},
      {"coalition_dissolved", "", "409: a dissolved coalition takes no invitations"},
      {"already_accepted", "actor", "409: the actor already accepted"},
      {"already_supports", "proposal", "409: you already support the proposal"},
      {"not_supporting", "proposal", "404: you do not support the proposal"},
      {"already_in_round", "proposal, round", "409: the proposal is already a project of the round"},
      {"voting_not_open", "", "409: voting has not opened yet"},
      {"voting_closed", "", "409: voting has closed"},
      {"verification_required", "by", "403: the round is for verified residents (by: code, census or digid)"},
      {"ballot_voided", "", "403: an officer voided your ballot in this round"},
      {"not_voted", "", "404: you have not voted in this round"},
      {"ballot_points_per_project", "max", "400: at most max points per project"},
      {"ballot_too_many_points", "points, max", "400: the ballot spends points, more than max"},
      {"ballot_too_few_projects", "min", "400: choose at least min projects"},
      {"ballot_too_many_projects", "max", "400: choose at most max projects"},
      {"budget_exceeded", "amount_eur, total_eur, budget_eur",
       "409: releasing amount_eur would bring the total to total_eur, over the budget_eur funded"},
      {"milestone_released", "milestone", "409: the milestone (1-based) is already released"},
      {"already_decided", "decision", "409: the evidence was already approved or rejected"},
      {"campaign_closed", "deadline", "409: the match-funding campaign closed at the end of deadline"},
      {"infeasible_coalition", "requirement", "422: no coalition meets the rules (the first unmet requirement)"},
      // Registration, moderation, fair votes and the Right to Challenge.
      {"password_too_short", "min", "400: the password needs at least min characters"},
      {"password_too_long", "max", "400: the password has at most max characters"},
      {"password_too_weak", "", "400: the password is too easy to guess"},
      {"too_many_registrations", "retry_after",
       "429: too many registrations from this address (or just now); try again in retry_after seconds"},
      {"pow_required", "", "400: registering needs a solved proof-of-work challenge"},
      {"pow_unknown", "", "400: the challenge is not this server's (or from before it restarted)"},
      {"pow_expired", "", "400: the challenge expired"},
      {"pow_used", "", "400: the challenge was used already"},
      {"pow_wrong", "", "400: the nonce does not solve the challenge"},
      {"not_moderator_of_municipality", "municipality",
       "403: only moderators and officers of the municipality (its id, when known) may do this"},
      {"report_own", "", "409: you cannot report your own contribution or profile"},
      {"already_reported", "", "409: you reported this already"},
      {"already_hidden", "", "409: the item is hidden already"},
      {"not_hidden", "", "409: the item is not hidden"},
      {"report_handled", "status", "409: the report is handled already (its status)"},
      {"block_own", "", "403: you cannot block your own account"},
      {"block_staff", "", "403: an admin or officer account cannot be blocked (revoke the role first)"},
      {"already_blocked", "", "409: the account is blocked already"},
      {"not_blocked", "", "409: the account is not blocked"},
      {"eligibility_fixed", "phase",
       "409: who may vote (and the census) is fixed once voting opens; the round is in phase"},
      {"wrong_verification", "verification, needs", "409: the round is verified by verification; this needs needs"},
      {"round_open_to_all", "", "409: every resident votes in this round with an ordinary ballot"},
      {"wijk_not_voting", "wijk", "403 / 400: the wijk does not vote in this round"},
      {"wijk_required", "", "400: the round is for named wijken; name one"},
      {"voting_code_unknown", "", "403: this is not a voting code of the round"},
      {"voting_code_used", "", "409: the voting code has been used already"},
      {"census_no_match", "", "403: no resident with these details is in the round's census"},
      {"census_voted", "", "409: this resident has voted in the round already"},
      {"too_young", "min_age", "403: residents vote in this round from the age of min_age"},
      {"ballot_token_unknown", "", "403: no ballot of the round has this ballot token"},
      {"verified_ballot_cast", "",
       "409: your account has cast a verified ballot in the round already (change it with its ballot token)"},
      {"round_published", "", "409: the round is published; its ballots are final"},
      {"voting_code_malformed", "", "400: a voting code has 12 letters and digits (no 0, O, 1 or I)"},
      {"census_malformed", "field", "400: the BSN, postcode or birth date (field) is not written right"},
      {"ballots_sealed", "", "409: the round's ballots are sealed: none can be voided on its own"},
      {"task_closed", "task", "409: the task (its id) is closed to challenges"},
      {"not_bidder", "", "403: only the filer and members of the initiative may change the bid"},
      {"bid_fixed", "step", "409: the bid is fixed once the assessment has begun (it is at step)"},
      {"step_not_refusable", "step", "409: a challenge at step can no longer be refused"},
      {"step_move_not_allowed", "from, to, next",
       "409: a challenge at step from cannot move to to; next is its next step (\"\" for none)"},
      {"agreement_needs_actor", "",
       "409: an agreement is made with an organisation; register the initiative as one first"},
  };
  return kCodes;
}

namespace {

// "challenge 7 does not exist" (after any "field: "): the entity and its id; false otherwise.
bool ParseMissing(const std::string& m, std::string& what, std::string& id) {
  static const std::string kTail = " does not exist";
  if (m.size() <= kTail.size() || m.compare(m.size() - kTail.size(), kTail.size(), kTail) != 0) return false;
  std::string head = m.substr(0, m.size() - kTail.size());
  if (size_t colon = head.rfind(": "); colon != std::string::npos) head = head.substr(colon + 2);
  size_t space = head.rfind(' ');
  if (space == std::string::npos || space == 0 || space + 1 == head.size()) return false;
  id = head.substr(space + 1);
  what = head.substr(0, space);
  if (!std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  return std::all_of(what.begin(), what.end(), [](unsigned char c) { return std::islower(c) || c == '_' || c == ' '; });
}

}  // namespace

// The refusal's stable code and parameters (docs/api.md, "Refusal codes"): the reason the service
// gave, else one derived from the HTTP status and the field at fault.
std::pair<std::string, ReasonParams> Api::RefusalOf(const Status& s, int http_status, const std::string& field) {
  if (!s.reason().empty()) return {s.reason(), s.reason_params()};
  ReasonParams params;
  if (!field.empty()) params.emplace_back("field", field);
  switch (http_status) {
    case 400:
    case 422:
      return {field.empty() ? "invalid_request" : "invalid_field", params};
    case 401:
      return {"sign_in_required", params};
    case 403:
      return {"forbidden", params};
    case 404: {
      std::string what, id;
      if (ParseMissing(s.message(), what, id)) return {"not_found", {{"what", what}, {"id", id}}};
      return {"not_found", params};
    }
    case 405:
      return {"method_not_allowed", {}};
    case 408:
      return {"request_timeout", {}};
    case 409:
      return {s.code() == StatusCode::kAlreadyExists ? "already_exists" : "conflict", params};
    case 413:
    case 431:
      return {"too_large", params};
    case 414:
      return {"uri_too_long", {}};
    case 415:
      return {"unsupported_media_type", {}};
    case 429:
      return {"rate_limited", {}};
    case 503:
      return {"unavailable", {}};
    default:
      return {http_status >= 500 ? "internal" : "invalid_request", {}};
  }
}

void Api::Problem(Response& res, const Status& s, const std::string& instance, int http_status) {
  int status = http_status ? http_status : HttpStatusFor(s.code());
  std::string slug(StatusCodeName(s.code()));
  std::replace(slug.begin(), slug.end(), ' ', '-');
  std::string field = FieldOf(s.message());
  auto [code, params] = RefusalOf(s, status, field);
  if (status == 429) {
    // A rate limit says how long to wait ("try again in N s"); otherwise a minute.
    std::string wait = "60";
    const std::string& m = s.message();
    if (size_t at = m.rfind("try again in "); at != std::string::npos) {
      size_t from = at + 13, to = from;
      while (to < m.size() && std::isdigit(static_cast<unsigned char>(m[to]))) ++to;
      if (to > from && to - from < 10) wait = m.substr(from, to - from);
    }
    if (std::none_of(params.begin(), params.end(), [](const auto& kv) { return kv.first == "retry_after"; }))
      params.emplace_back("retry_after", wait);
  }
  // A refusal that says when to come back (a rate limit; a result being built, service/published.h)
  // says it in the header too.
  for (const auto& [k, v] : params)
    if (k == "retry_after") res.SetHeader("Retry-After", v);
  Json jparams = Json::object();
  for (const auto& [k, v] : params) jparams[k] = v;
  Json p = {{"type", "https://weefsel.nl/problems/" + slug},
            {"title", ReasonOf(status)},
            {"status", status},
            {"detail", s.message()},
            {"instance", instance},
            {"code", code},
            {"params", std::move(jparams)}};
  if (!field.empty()) p["field"] = field;
  res.status = status;
  // Input echoed in a message may be invalid UTF-8: replace it rather than throw (a 500).
  res.SetContent(p.dump(-1, ' ', false, Json::error_handler_t::replace), "application/problem+json");
}

// The pipeline's first steps, which read nothing but the request: the route, its ids, the query
// parameters. nullptr with `res` holding the problem when the request goes no further.
const Route* Api::Prepare(const Request& req, Response& res, std::vector<int64_t>& ids) const {
  std::vector<std::string> raw_params;
  std::string allow;
  // HEAD is answered as GET (the server drops the body).
  const Route* route = Match(req.method == "HEAD" ? "GET" : req.method, req.path, raw_params, allow);
  if (!route) {
    if (!allow.empty()) {
      res.SetHeader("Allow", allow);
      Problem(res, Status::InvalidArgument("method: " + req.method + " is not allowed here (allowed: " + allow + ")"),
              req.path, 405);
    } else {
      Problem(res, Status::NotFound("path: no route " + req.method + " " + req.path), req.path);
    }
    return nullptr;
  }
  auto fail = [&](const Status& s) {
    Problem(res, s, req.path);
    return nullptr;
  };
  for (const std::string& raw : raw_params) {
    // One spelling per id: "0005" would be another cache key for the same entity.
    auto v = ParseId(raw);
    if (!v) return fail(Status::NotFound("path: '" + raw + "' is not an id"));
    ids.push_back(*v);
  }
  if (route->has_body && !StartsWith(req.Header("Content-Type"), "application/json")) {
    Problem(res, Status::InvalidArgument("Content-Type: send application/json"), req.path, 415);
    return nullptr;
  }
  for (const auto& [k, v] : req.params) {
    if (std::find(route->query.begin(), route->query.end(), k) == route->query.end())
      return fail(
          Status::InvalidArgument(k + ": unknown query parameter" +
                                  (route->query.empty() ? "" : " (accepted: " + Join(route->query, ", ") + ")")));
    if (v.size() > 1000) return fail(Status::InvalidArgument(k + ": at most 1000 characters"));
    if (!IsUtf8(v)) return fail(Status::InvalidArgument(k + ": not valid UTF-8"));
  }
  return route;
}

bool Api::AnswerFromCache(const Request& req, Response& res, int64_t version) {
  auto hit = cache_.Get(req.target, version);
  if (!hit) return false;
  res.SetHeader("ETag", hit->etag);
  res.SetHeader("Cache-Control", "no-cache");
  if (EtagMatches(req.Header("If-None-Match"), hit->etag)) {
    res.status = 304;
    return true;
  }
  res.status = 200;
  res.SetContent(hit->body, hit->content_type);
  return true;
}

std::vector<std::string> Api::ScopesOf(const Route& route, const std::vector<int64_t>& ids) {
  std::vector<std::string> out;
  out.reserve(route.scopes.size());
  for (const auto& s : route.scopes) {
    size_t at = s.find("{id}");
    out.push_back(at == std::string::npos || ids.empty() ? s
                                                         : s.substr(0, at) + std::to_string(ids[0]) + s.substr(at + 4));
  }
  return out;
}

bool Api::TryCached(const Request& req, Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  // Matching the route costs more than asking whether the versions are fresh: ask first.
  if (!platform_.FreshDataVersion()) return false;
  Response scratch;
  std::vector<int64_t> ids;
  const Route* route = Prepare(req, scratch, ids);
  if (!route || !route->cached) return false;
  std::optional<int64_t> version = platform_.FreshVersionOf(ScopesOf(*route, ids));
  if (!version) return false;
  return AnswerFromCache(req, res, *version);
}

void Api::Handle(const Request& req, Response& res) {
  Call call{req, {}, {}, std::nullopt, Json(), options_};
  const Route* route = Prepare(req, res, call.ids);
  if (!route) return;
  auto fail = [&](const Status& s) { Problem(res, s, req.path); };

  // Public reads come from the cache while the version of their scopes holds.
  int64_t version = -1;
  if (route->cached) {
    auto v = platform_.VersionOf(ScopesOf(*route, call.ids));
    if (!v.ok()) return fail(v.status());
    version = *v;
    if (AnswerFromCache(req, res, version)) return;
  }

  // Who is calling: an API token, or a session cookie (then CSRF on state-changing requests).
  bool reads = req.method == "GET" || req.method == "HEAD";
  std::string auth = req.Header("Authorization");
  UserId user;
  std::string token_scope;
  if (!auth.empty()) {
    if (!StartsWith(auth, "Bearer "))
      return fail(Status::Unauthenticated("Authorization: only Bearer API tokens are accepted"));
    auto t = platform_.FindToken(std::string(Trim(auth.substr(7))));
    if (!t.ok())
      return fail(t.status().code() == StatusCode::kNotFound
                      ? Status::Unauthenticated("Authorization: unknown, revoked or expired API token")
                      : t.status());
    if (t->scope != "write" && !reads)
      return fail(Status::PermissionDenied("Authorization: this API token may only read (scope " + t->scope + ")"));
    user = t->user;
    token_scope = t->scope;
  } else if (std::string sid = CookieValue(req, kSessionCookie); !sid.empty()) {
    auto session = platform_.FindSession(sid);
    if (!session.ok() && session.status().code() != StatusCode::kNotFound) return fail(session.status());
    if (session.ok()) call.session = std::move(session).value();
    if (call.session) {
      if (!reads && req.Header("X-CSRF-Token") != call.session->csrf)
        return fail(Status::PermissionDenied("X-CSRF-Token: missing or wrong CSRF token for this session"));
      user = call.session->user;
    }
  }
  if (user.valid()) {
    auto who = platform_.PrincipalOf(user);
    if (!who.ok())
      return fail(who.status().code() == StatusCode::kNotFound ? Status::Unauthenticated("the account no longer exists")
                                                               : who.status());
    call.who = std::move(who).value();
    call.who.token_scope = token_scope;
  }

  if (route->has_body) {  // Prepare checked the Content-Type
    auto body = ParseObject(req.body);
    if (!body.ok()) return fail(body.status());
    call.body = std::move(body).value();
  } else if (!req.body.empty() && !reads && req.body != "{}") {
    return fail(Status::InvalidArgument("body: this request takes no body"));
  }

  Result<Reply> reply = Status::Internal("no reply");
  try {
    reply = route->handler(call);
  } catch (const std::exception& e) {
    reply = Status::Internal(std::string("unexpected error: ") + e.what());
  }
  if (!reply.ok()) return fail(reply.status());
  Reply& r = *reply;
  for (const auto& [k, v] : r.headers) res.SetHeader(k, v);
  res.status = r.status != 0 ? r.status : route->success;
  if (res.status == 204) return;
  // Stored text may hold invalid UTF-8 (an import, an old row): replace it rather than throw.
  std::string body = r.raw.empty() ? r.json.dump(-1, ' ', false, Json::error_handler_t::replace) : std::move(r.raw);
  if (reads && res.status == 200) {
    std::string etag = ETagOf(body);
    res.SetHeader("ETag", etag);
    res.SetHeader("Cache-Control", route->cached ? "no-cache" : "private, no-cache");
    if (route->cached && !r.stale) {
      cache_.Put(req.target, std::make_shared<const ResponseCache::Entry>(
                                 ResponseCache::Entry{version, body, etag, r.content_type}));
    }
    if (EtagMatches(req.Header("If-None-Match"), etag)) {
      res.status = 304;
      return;
    }
  }
  res.SetContent(body, r.content_type);
}

}  // namespace weefsel::http
