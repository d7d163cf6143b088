#include "domain/model.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "base/strings.h"

namespace weefsel::domain {

namespace {

// A table-driven enum <-> code mapping.
template <typename E, size_t N>
struct Codes {
  std::array<std::pair<E, std::string_view>, N> items;
  std::string_view what;
  std::string_view Code(E e) const {
    for (auto& [v, c] : items)
      if (v == e) return c;
    return "";
  }
  Result<E> Parse(std::string_view s) const {
    std::string k = ToLowerAscii(Trim(s));
    for (auto& [v, c] : items)
      if (k == c) return v;
    std::string expected;
    for (auto& [v, c] : items) expected += (expected.empty() ? "" : ", ") + std::string(c);
    return Status::InvalidArgument("unknown " + std::string(what) + " '" + std::string(s) + "' (expected one of " +
                                   expected + ")");
  }
};

constexpr Codes<TieKind, 3> kTieKinds{{{{TieKind::kWorkedTogether, "worked_together"},
                                        {TieKind::kPartnered, "partnered"},
                                        {TieKind::kCoFunded, "co_funded"}}},
                                      "tie kind"};
constexpr Codes<TieSource, 3> kTieSources{
    {{{TieSource::kDeclared, "declared"}, {TieSource::kImported, "imported"}, {TieSource::kPlatform, "platform"}}},
    "tie source"};
constexpr Codes<ChallengePhase, 8> kPhases{{{{ChallengePhase::kOpen, "open"},
                                             {ChallengePhase::kMatching, "matching"},
                                             {ChallengePhase::kForming, "forming"},
                                             {ChallengePhase::kProposals, "proposals"},
                                             {ChallengePhase::kFunded, "funded"},
                                             {ChallengePhase::kExperiment, "experiment"},
                                             {ChallengePhase::kEvaluated, "evaluated"},
                                             {ChallengePhase::kClosed, "closed"}}},
                                           "challenge phase"};
constexpr Codes<MemberStatus, 4> kMemberStatuses{{{{MemberStatus::kProposed, "proposed"},
                                                   {MemberStatus::kInvited, "invited"},
                                                   {MemberStatus::kAccepted, "accepted"},
                                                   {MemberStatus::kDeclined, "declined"}}},
                                                 "member status"};
constexpr Codes<CoalitionStatus, 4> kCoalitionStatuses{{{{CoalitionStatus::kProposed, "proposed"},
                                                         {CoalitionStatus::kForming, "forming"},
                                                         {CoalitionStatus::kFormed, "formed"},
                                                         {CoalitionStatus::kDissolved, "dissolved"}}},
                                                       "coalition status"};
constexpr Codes<BallotKind, 4> kBallotKinds{{{{BallotKind::kApproval, "approval"},
                                              {BallotKind::kCumulative, "cumulative"},
                                              {BallotKind::kOrdinal, "ordinal"},
                                              {BallotKind::kScoring, "scoring"}}},
                                            "ballot kind"};
constexpr Codes<RoundPhase, 5> kRoundPhases{{{{RoundPhase::kSubmission, "submission"},
                                              {RoundPhase::kReview, "review"},
                                              {RoundPhase::kVoting, "voting"},
                                              {RoundPhase::kAllocation, "allocation"},
                                              {RoundPhase::kPublished, "published"}}},
                                            "round phase"};
constexpr Codes<Role, 5> kRoles{{{{Role::kPlatformAdmin, "platform_admin"},
                                  {Role::kOfficer, "officer"},
                                  {Role::kActorMember, "actor_member"},
                                  {Role::kResident, "resident"},
                                  {Role::kModerator, "moderator"}}},
                                "role"};

Status Field(std::string_view entity, std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(entity) + "." + std::string(field) + ": " + std::string(what));
}

bool OptionalDate(const std::string& d) { return d.empty() || IsIsoDate(d); }

}  // namespace

std::string_view TieKindCode(TieKind k) { return kTieKinds.Code(k); }
Result<TieKind> ParseTieKind(std::string_view s) { return kTieKinds.Parse(s); }
std::string_view TieSourceCode(TieSource s) { return kTieSources.Code(s); }
Result<TieSource> ParseTieSource(std::string_view s) { return kTieSources.Parse(s); }
std::string_view ChallengePhaseCode(ChallengePhase p) { return kPhases.Code(p); }
Result<ChallengePhase> ParseChallengePhase(std::string_view s) { return kPhases.Parse(s); }
std::string_view MemberStatusCode(MemberStatus s) { return kMemberStatuses.Code(s); }
Result<MemberStatus> ParseMemberStatus(std::string_view s) { return kMemberStatuses.Parse(s); }
std::string_view CoalitionStatusCode(CoalitionStatus s) { return kCoalitionStatuses.Code(s); }
Result<CoalitionStatus> ParseCoalitionStatus(std::string_view s) { return kCoalitionStatuses.Parse(s); }
std::string_view BallotKindCode(BallotKind k) { return kBallotKinds.Code(k); }
Result<BallotKind> ParseBallotKind(std::string_view s) { return kBallotKinds.Parse(s); }
constexpr Codes<Verification, 4> kVerifications{{{{Verification::kOpen, "open"},
                                                  {Verification::kCode, "code"},
                                                  {Verification::kCensus, "census"},
                                                  {Verification::kDigid, "digid"}}},
                                                "verification"};
std::string_view VerificationCode(Verification v) { return kVerifications.Code(v); }
Result<Verification> ParseVerification(std::string_view s) { return kVerifications.Parse(s); }
std::string_view RoundPhaseCode(RoundPhase p) { return kRoundPhases.Code(p); }
Result<RoundPhase> ParseRoundPhase(std::string_view s) { return kRoundPhases.Parse(s); }
std::optional<ChallengePhase> NextChallengePhase(ChallengePhase p) {
  if (p == ChallengePhase::kEvaluated || p == ChallengePhase::kClosed) return std::nullopt;
  return static_cast<ChallengePhase>(static_cast<int>(p) + 1);
}
std::optional<RoundPhase> NextRoundPhase(RoundPhase p) {
  if (p == RoundPhase::kPublished) return std::nullopt;
  return static_cast<RoundPhase>(static_cast<int>(p) + 1);
}
std::string_view RoleCode(Role r) { return kRoles.Code(r); }
Result<Role> ParseRole(std::string_view s) { return kRoles.Parse(s); }

Status ValidateCbsCode(std::string_view code) {
  bool ok =
      code.size() == 6 && code[0] == 'G' && code[1] == 'M' &&
      std::all_of(code.begin() + 2, code.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (!ok)
    return Status::InvalidArgument("invalid CBS code '" + std::string(code) +
                                   "' (expected GM and four digits, e.g. GM0363)");
  return Status::Ok();
}

Status Validate(const Municipality& m) {
  WEEFSEL_RETURN_IF_ERROR(ValidateCbsCode(m.cbs_code).WithContext("municipality.cbs_code"));
  if (Trim(m.name).empty()) return Field("municipality", "name", "must not be empty");
  if (m.population < 0) return Field("municipality", "population", "must not be negative");
  if (m.lat < -90 || m.lat > 90) return Field("municipality", "lat", "must lie between -90 and 90");
  if (m.lon < -180 || m.lon > 180) return Field("municipality", "lon", "must lie between -180 and 180");
  return Status::Ok();
}

static Status ValidateThemes(std::string_view entity, const std::vector<std::string>& themes) {
  for (const auto& t : themes)
    if (!FindTheme(t)) return Field(entity, "themes", "unknown theme code '" + t + "'");
  return Status::Ok();
}

static Status ValidateCapabilities(std::string_view entity, const std::vector<std::string>& caps) {
  for (const auto& c : caps)
    if (c.empty() || NormalizeCapability(c) != c)
      return Field(entity, "capabilities", "capability '" + c + "' is not normalised (use NormalizeCapability)");
  return Status::Ok();
}

Status Validate(const Actor& a) {
  if (Trim(a.name).empty()) return Field("actor", "name", "must not be empty");
  if (a.name.size() > 300) return Field("actor", "name", "longer than 300 bytes");
  if (a.size < 0) return Field("actor", "size", "must not be negative");
  if (a.description.size() > 20000) return Field("actor", "description", "longer than 20000 bytes");
  if (!a.website.empty()) {
    // A web address only: a javascript: or data: URL would run when someone follows the link.
    std::string lower = FoldCase(Trim(a.website));
    if (a.website.size() > 2000 || !(StartsWith(lower, "http://") || StartsWith(lower, "https://")) ||
        lower.find_first_of(" \t\r\n\"<>") != std::string::npos)
      return Field("actor", "website", "must be an http:// or https:// address");
  }
  WEEFSEL_RETURN_IF_ERROR(ValidateThemes("actor", a.themes));
  return ValidateCapabilities("actor", a.capabilities);
}

Status Validate(const Tie& t) {
  if (!t.a.valid()) return Field("tie", "a", "must name an actor");
  if (!t.b.valid()) return Field("tie", "b", "must name an actor");
  if (t.a == t.b) return Field("tie", "b", "a tie joins two different actors");
  if (!(t.weight > 0) || t.weight > 1e6) return Field("tie", "weight", "must be a positive number");
  if (!OptionalDate(t.from)) return Field("tie", "from", "'" + t.from + "' is not a date YYYY-MM-DD");
  if (!OptionalDate(t.until)) return Field("tie", "until", "'" + t.until + "' is not a date YYYY-MM-DD");
  if (!t.from.empty() && !t.until.empty() && t.until < t.from) return Field("tie", "until", "is before from");
  return Status::Ok();
}

Status Validate(const Challenge& c) {
  if (!c.municipality.valid()) return Field("challenge", "municipality", "must name a municipality");
  if (Trim(c.title).empty()) return Field("challenge", "title", "must not be empty");
  if (c.title.size() > 300) return Field("challenge", "title", "longer than 300 bytes");
  if (c.language != "nl" && c.language != "en") return Field("challenge", "language", "must be 'nl' or 'en'");
  if (c.budget_eur < 0) return Field("challenge", "budget_eur", "must not be negative");
  if (c.max_coalition_size < 1 || c.max_coalition_size > 50)
    return Field("challenge", "max_coalition_size", "must lie between 1 and 50");
  if (!OptionalDate(c.deadline)) return Field("challenge", "deadline", "'" + c.deadline + "' is not a date YYYY-MM-DD");
  WEEFSEL_RETURN_IF_ERROR(ValidateThemes("challenge", c.themes));
  std::set<std::string> seen;
  for (const auto& n : c.capabilities) {
    if (n.capability.empty() || NormalizeCapability(n.capability) != n.capability)
      return Field("challenge", "capabilities", "capability '" + n.capability + "' is not normalised");
    if (!(n.weight > 0)) return Field("challenge", "capabilities", "weight of '" + n.capability + "' must be positive");
    if (!seen.insert(n.capability).second)
      return Field("challenge", "capabilities", "'" + n.capability + "' listed twice");
  }
  int min_members = 0;
  for (auto& [s, n] : c.sector_mix) {
    if (n < 0) return Field("challenge", "sector_mix", "negative minimum for " + std::string(SectorCode(s)));
    min_members += n;
  }
  if (min_members > c.max_coalition_size)
    return Field("challenge", "sector_mix",
                 "needs " + std::to_string(min_members) + " members but max_coalition_size is " +
                     std::to_string(c.max_coalition_size));
  return Status::Ok();
}

Status Validate(const Coalition& c) {
  if (!c.challenge.valid()) return Field("coalition", "challenge", "must name a challenge");
  if (c.members.empty()) return Field("coalition", "members", "must not be empty");
  std::set<ActorId> seen;
  int leads = 0;
  for (const auto& m : c.members) {
    if (!m.actor.valid()) return Field("coalition", "members", "a member must name an actor");
    if (!seen.insert(m.actor).second)
      return Field("coalition", "members", "actor " + std::to_string(m.actor.value()) + " listed twice");
    if (m.role != "lead" && m.role != "member") return Field("coalition", "members", "role must be 'lead' or 'member'");
    leads += m.role == "lead";
  }
  if (leads > 1) return Field("coalition", "members", "at most one lead");
  return Status::Ok();
}

Status Validate(const Proposal& p) {
  if (!p.challenge.valid()) return Field("proposal", "challenge", "must name a challenge");
  if (p.versions.empty()) return Field("proposal", "versions", "needs at least one version");
  for (size_t i = 0; i < p.versions.size(); ++i) {
    const auto& v = p.versions[i];
    if (v.number != static_cast<int>(i) + 1) return Field("proposal", "versions", "numbers must run 1, 2, 3, ...");
    if (Trim(v.title).empty()) return Field("proposal", "title", "must not be empty");
    if (v.budget_eur < 0) return Field("proposal", "budget_eur", "must not be negative");
    for (const auto& m : v.milestones) {
      if (m.amount_eur < 0) return Field("proposal", "milestones", "amount must not be negative");
      if (!OptionalDate(m.due)) return Field("proposal", "milestones", "due '" + m.due + "' is not a date");
    }
  }
  return Status::Ok();
}

Status Validate(const Round& r) {
  if (!r.municipality.valid()) return Field("round", "municipality", "must name a municipality");
  if (Trim(r.name).empty()) return Field("round", "name", "must not be empty");
  if (r.budget_eur <= 0) return Field("round", "budget_eur", "must be positive");
  if (r.min_length < 0 || r.max_length < 0 || (r.max_length && r.min_length > r.max_length))
    return Field("round", "max_length", "limits must satisfy 0 <= min_length <= max_length");
  if (r.max_points < 0 || r.max_points_per_project < 0) return Field("round", "max_points", "must not be negative");
  std::set<std::string> ids;
  for (const auto& p : r.projects) {
    if (Trim(p.project_id).empty()) return Field("round", "projects", "a project needs an id");
    if (!ids.insert(p.project_id).second)
      return Field("round", "projects", "project id '" + p.project_id + "' listed twice");
    if (p.cost_eur <= 0) return Field("round", "projects", "cost of project '" + p.project_id + "' must be positive");
  }
  std::set<std::string> names;
  for (const auto& c : r.criteria) {
    if (Trim(c.name).empty()) return Field("round", "criteria", "a criterion needs a name");
    if (!names.insert(c.name).second) return Field("round", "criteria", "criterion '" + c.name + "' listed twice");
    if (c.max_score < 1 || c.max_score > 100)
      return Field("round", "criteria", "max_score of '" + c.name + "' must be 1 to 100");
  }
  return Validate(r.eligibility);
}

Status Validate(const Eligibility& e) {
  if (e.min_age < 0 || e.min_age > 120) return Field("eligibility", "min_age", "must be 0 to 120");
  if (e.wijken.size() > 100) return Field("eligibility", "wijken", "at most 100 wijken");
  std::set<std::string> seen;
  for (const auto& w : e.wijken) {
    if (Trim(w).empty() || w.size() > 100) return Field("eligibility", "wijken", "a wijk needs 1 to 100 characters");
    if (!seen.insert(w).second) return Field("eligibility", "wijken", "wijk '" + w + "' listed twice");
  }
  if (!e.restricted() && (!e.wijken.empty() || e.min_age > 0))
    return Field("eligibility", "verification",
                 "wijken and a minimum age need verified residents (verification code or census)");
  if (e.verification == Verification::kDigid && (!e.wijken.empty() || e.min_age > 0))
    return Field("eligibility", "verification",
                 "the DigiD broker tells neither wijk nor age: use the census for wijken or a minimum age");
  if (e.verification == Verification::kCode && e.min_age > 0)
    return Field("eligibility", "min_age", "a minimum age needs the census: a voting code carries no birth date");
  return Status::Ok();
}

Status Validate(const Review& r, const Round& round) {
  if (!r.round.valid()) return Field("review", "round", "must name a round");
  bool known = std::any_of(round.projects.begin(), round.projects.end(),
                           [&](const RoundProject& p) { return p.project_id == r.project_id; });
  if (!known) return Field("review", "project_id", "'" + r.project_id + "' is not a project of the round");
  if (round.criteria.empty()) return Field("review", "scores", "the round publishes no review criteria");
  for (const auto& entry : r.scores) {
    const std::string& name = entry.first;
    const int score = entry.second;
    auto it = std::find_if(round.criteria.begin(), round.criteria.end(),
                           [&name](const ReviewCriterion& c) { return c.name == name; });
    if (it == round.criteria.end()) return Field("review", "scores", "'" + name + "' is not a criterion of the round");
    if (score < 0 || score > it->max_score)
      return Field("review", "scores", "score for '" + name + "' must be 0 to " + std::to_string(it->max_score));
  }
  for (const auto& c : round.criteria)
    if (!r.scores.count(c.name)) return Field("review", "scores", "missing a score for '" + c.name + "'");
  if (r.comment.size() > 5000) return Field("review", "comment", "at most 5000 characters");
  return Status::Ok();
}

Status Validate(const Ballot& b, const Round& r) {
  if (b.kind != r.ballot_kind)
    return Field(
        "ballot", "kind",
        std::string(BallotKindCode(b.kind)) + " ballot in a " + std::string(BallotKindCode(r.ballot_kind)) + " round");
  std::set<std::string> known, seen;
  for (const auto& p : r.projects) known.insert(p.project_id);
  int64_t total = 0;
  for (const auto& e : b.entries) {
    if (!known.count(e.project_id)) return Field("ballot", "entries", "unknown project '" + e.project_id + "'");
    if (!seen.insert(e.project_id).second)
      return Field("ballot", "entries", "project '" + e.project_id + "' appears twice");
    switch (b.kind) {
      case BallotKind::kApproval:
        if (e.points != 1) return Field("ballot", "entries", "an approval ballot gives 1 point per project");
        break;
      case BallotKind::kCumulative:
      case BallotKind::kScoring:
        if (e.points <= 0) return Field("ballot", "entries", "points for '" + e.project_id + "' must be positive");
        if (r.max_points_per_project && e.points > r.max_points_per_project)
          return Field("ballot", "entries",
                       "at most " + std::to_string(r.max_points_per_project) + " points per project")
              .WithReason("ballot_points_per_project", {{"max", std::to_string(r.max_points_per_project)}});
        break;
      case BallotKind::kOrdinal:
        if (e.points < 1 || e.points > static_cast<int64_t>(b.entries.size()))
          return Field("ballot", "entries", "ranks must run from 1 to the number of projects ranked");
        break;
    }
    total += e.points;
  }
  if (b.kind == BallotKind::kOrdinal) {
    std::set<int64_t> ranks;
    for (const auto& e : b.entries) ranks.insert(e.points);
    if (ranks.size() != b.entries.size()) return Field("ballot", "entries", "two projects share a rank");
  }
  if (b.kind == BallotKind::kCumulative && r.max_points && total > r.max_points)
    return Field("ballot", "entries",
                 "spends " + std::to_string(total) + " points, more than the " + std::to_string(r.max_points) +
                     " allowed")
        .WithReason("ballot_too_many_points",
                    {{"points", std::to_string(total)}, {"max", std::to_string(r.max_points)}});
  int64_t n = static_cast<int64_t>(b.entries.size());
  if (r.min_length && n < r.min_length)
    return Field("ballot", "entries", "choose at least " + std::to_string(r.min_length) + " projects")
        .WithReason("ballot_too_few_projects", {{"min", std::to_string(r.min_length)}});
  if (r.max_length && n > r.max_length)
    return Field("ballot", "entries", "choose at most " + std::to_string(r.max_length) + " projects")
        .WithReason("ballot_too_many_projects", {{"max", std::to_string(r.max_length)}});
  if (b.kind == BallotKind::kApproval) {
    int64_t cost = 0;
    for (const auto& e : b.entries)
      for (const auto& p : r.projects)
        if (p.project_id == e.project_id) cost += p.cost_eur;
    (void)cost;  // approval ballots may exceed the budget in most Dutch rounds; limits are by count
  }
  return Status::Ok();
}

Status Validate(const Experiment& e) {
  if (!e.proposal.valid()) return Field("experiment", "proposal", "must name a proposal");
  for (const auto& i : e.indicators) {
    if (Trim(i.name).empty()) return Field("experiment", "indicators", "an indicator needs a name");
    for (const auto& m : i.measurements)
      if (!IsIsoDate(m.date))
        return Field("experiment", "indicators", "measurement date '" + m.date + "' is not a date");
  }
  for (const auto& m : e.milestones)
    if (m.amount_eur < 0) return Field("experiment", "milestones", "amount must not be negative");
  return Status::Ok();
}

Status Validate(const Comment& c) {
  if (!c.proposal.valid()) return Field("comment", "proposal", "must name a proposal");
  if (c.parent < 0) return Field("comment", "parent", "must be a comment id or 0");
  if (Trim(c.text).empty()) return Field("comment", "text", "must not be empty");
  if (c.text.size() > 5000) return Field("comment", "text", "at most 5000 characters");
  return Status::Ok();
}

Status Validate(const User& u) {
  auto at = u.email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= u.email.size() || u.email.find(' ') != std::string::npos)
    return Field("user", "email", "'" + u.email + "' is not an e-mail address");
  if (Trim(u.display_name).empty()) return Field("user", "display_name", "must not be empty");
  return Status::Ok();
}

void Normalize(Tie& t) {
  if (t.b < t.a) std::swap(t.a, t.b);
}

Status NormalizeTags(std::vector<std::string>& themes, std::vector<std::string>& capabilities) {
  std::vector<std::string> out;
  for (const auto& t : themes) {
    if (Trim(t).empty()) continue;
    WEEFSEL_ASSIGN_OR_RETURN(std::string code, ParseTheme(t));
    if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
  }
  themes = std::move(out);
  std::vector<std::string> caps;
  for (const auto& c : capabilities) {
    std::string n = NormalizeCapability(c);
    if (!n.empty() && std::find(caps.begin(), caps.end(), n) == caps.end()) caps.push_back(n);
  }
  capabilities = std::move(caps);
  return Status::Ok();
}

}  // namespace weefsel::domain
