#include "service/notifications/notifications.h"
#include "storage/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace weefsel::service {

namespace {

using J = nlohmann::json;

J ParseOrEmpty(const std::string& text) {
  if (text.empty()) return J::object();
  J j = J::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? J::object() : j;
}

std::string Quote(const std::string& s) { return "\u201c" + s + "\u201d"; }

// At most `max` bytes of `s`, cut before a UTF-8 continuation byte so no character is split.
std::string Utf8Prefix(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

struct Message {
  std::string kind, nl, en, link;
};

// Collects recipients (without the acting user) and writes one notification each.
class Fanout {
 public:
  Fanout(storage::Store& store, const storage::AuditEntry& e) : store_(store), e_(e) {}

  Status AddUser(UserId u) {
    if (u.valid() && u != e_.user) users_.insert(u.value());
    return Status::Ok();
  }
  Status AddUsers(const std::vector<UserId>& us) {
    for (UserId u : us) WEEFSEL_RETURN_IF_ERROR(AddUser(u));
    return Status::Ok();
  }
  Status AddMembersOf(ActorId a) {
    WEEFSEL_ASSIGN_OR_RETURN(auto us, store_.MembersOf(a));
    return AddUsers(us);
  }
  Status AddRolesIn(MunicipalityId m) {
    if (!m.valid()) return Status::Ok();
    WEEFSEL_ASSIGN_OR_RETURN(auto us, store_.UsersWithRoleIn(m));
    return AddUsers(us);
  }
  // The officers of municipality m (a role of officer there); with `moderators`, its moderators too.
  Status AddOfficersOf(MunicipalityId m, bool moderators = false) {
    if (!m.valid()) return Status::Ok();
    WEEFSEL_ASSIGN_OR_RETURN(auto us, store_.UsersWithRoleIn(m));
    for (UserId u : us) {
      WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_.GrantsOf(u));
      for (const auto& g : grants)
        if ((g.role == domain::Role::kOfficer || (moderators && g.role == domain::Role::kModerator)) &&
            g.municipality == m)
          WEEFSEL_RETURN_IF_ERROR(AddUser(u));
    }
    return Status::Ok();
  }
  // Authors of the proposal's versions and members of its coalition's accepted actors.
  Status AddProposalPeople(ProposalId id) {
    auto p = store_.GetProposal(id);
    if (!p.ok()) return p.status().code() == StatusCode::kNotFound ? Status::Ok() : p.status();
    for (const auto& v : p->versions) WEEFSEL_RETURN_IF_ERROR(AddUser(v.author));
    if (!p->coalition.valid()) return Status::Ok();
    WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_.GetCoalition(p->coalition));
    for (const auto& m : c.members)
      if (m.status == domain::MemberStatus::kAccepted) WEEFSEL_RETURN_IF_ERROR(AddMembersOf(m.actor));
    return Status::Ok();
  }

  // One bulk write: a round's phase change tells every user with a role in a city of 100,000 voters.
  Status Write(const Message& m) {
    std::vector<storage::Notification> ns;
    ns.reserve(users_.size());
    for (int64_t u : users_) {
      storage::Notification& n = ns.emplace_back();
      n.user = UserId(u);
      n.at = e_.at;
      n.kind = m.kind;
      n.title = m.nl;
      n.title_en = m.en;
      n.link = m.link;
      n.audit_id = e_.id;
    }
    return store_.InsertNotifications(ns);
  }

 private:
  storage::Store& store_;
  const storage::AuditEntry& e_;
  std::set<int64_t> users_;
};

std::string ChallengeTitle(storage::Store& store, ChallengeId id) {
  auto c = store.GetChallenge(id);
  return c.ok() ? c->title : "#" + std::to_string(id.value());
}

std::string ProposalTitle(storage::Store& store, ProposalId id) {
  auto p = store.GetProposal(id);
  if (!p.ok() || p->versions.empty()) return "#" + std::to_string(id.value());
  return p->versions.back().title;
}

Status FromCoalition(storage::Store& store, const storage::AuditEntry& e, Fanout& out, Message& msg) {
  J before = ParseOrEmpty(e.before), after = ParseOrEmpty(e.after);
  std::map<int64_t, std::string> was;
  for (const auto& m : before.value("members", J::array()))
    was[m.value("actor", int64_t{0})] = m.value("status", std::string());
  std::string challenge = ChallengeTitle(store, ChallengeId(after.value("challenge", int64_t{0})));
  msg.link = "/coalitions/" + std::to_string(e.entity_id);
  if (e.action == "invite") {
    for (const auto& m : after.value("members", J::array())) {
      int64_t actor = m.value("actor", int64_t{0});
      if (m.value("status", std::string()) == "invited" && was[actor] != "invited")
        WEEFSEL_RETURN_IF_ERROR(out.AddMembersOf(ActorId(actor)));
    }
    msg.kind = "invitation";
    msg.nl = "Uitnodiging voor een coalitie bij " + Quote(challenge);
    msg.en = "Invitation to a coalition for " + Quote(challenge);
    return Status::Ok();
  }
  // accept / decline: the other members hear who answered.
  int64_t answered = 0;
  for (const auto& m : after.value("members", J::array())) {
    int64_t actor = m.value("actor", int64_t{0});
    std::string status = m.value("status", std::string());
    if (status != was[actor]) answered = actor;
  }
  for (const auto& m : after.value("members", J::array())) {
    int64_t actor = m.value("actor", int64_t{0});
    std::string status = m.value("status", std::string());
    if (actor != answered && (status == "accepted" || status == "invited"))
      WEEFSEL_RETURN_IF_ERROR(out.AddMembersOf(ActorId(actor)));
  }
  std::string name = "#" + std::to_string(answered);
  if (auto a = store.GetActor(ActorId(answered)); a.ok()) name = a->name;
  bool yes = e.action == "accept";
  msg.kind = "coalition";
  msg.nl = name + (yes ? " doet mee aan de coalitie bij " : " doet niet mee aan de coalitie bij ") + Quote(challenge);
  msg.en = name + (yes ? " joined the coalition for " : " declined the coalition for ") + Quote(challenge);
  return Status::Ok();
}

Status FromProposal(storage::Store& store, const storage::AuditEntry& e, Fanout& out, Message& msg) {
  ProposalId id(e.entity_id);
  std::string title = ProposalTitle(store, id);
  msg.link = "/proposals/" + std::to_string(e.entity_id);
  WEEFSEL_RETURN_IF_ERROR(out.AddProposalPeople(id));
  if (e.action == "comment") {
    J after = ParseOrEmpty(e.after);
    int64_t parent = after.value("parent", int64_t{0});
    if (parent > 0) {
      WEEFSEL_ASSIGN_OR_RETURN(auto comments, store.CommentsOf(id));
      for (const auto& c : comments)
        if (c.id == parent) WEEFSEL_RETURN_IF_ERROR(out.AddUser(c.author));
    }
    msg.kind = "comment";
    msg.nl = "Nieuwe reactie op " + Quote(title);
    msg.en = "New comment on " + Quote(title);
  } else if (e.action == "status") {
    std::string status = ParseOrEmpty(e.after).value("status", std::string());
    msg.kind = "proposal";
    msg.nl = Quote(title) + " heeft nu de status " + status;
    msg.en = Quote(title) + " is now " + status;
  } else {  // version
    msg.kind = "proposal";
    msg.nl = "Nieuwe versie van " + Quote(title);
    msg.en = "New version of " + Quote(title);
  }
  return Status::Ok();
}

Status FromRoundReview(storage::Store& store, const storage::AuditEntry& e, Fanout& out, Message& msg) {
  std::string project = ParseOrEmpty(e.after).value("project_id", std::string());
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(RoundId(e.entity_id)));
  for (const auto& p : r.projects) {
    if (p.project_id != project) continue;
    if (p.proposal.valid()) WEEFSEL_RETURN_IF_ERROR(out.AddProposalPeople(p.proposal));
    msg.kind = "review";
    msg.nl = Quote(p.title) + " is beoordeeld in " + Quote(r.name);
    msg.en = Quote(p.title) + " was reviewed in " + Quote(r.name);
    msg.link = "/rounds/" + std::to_string(e.entity_id);
  }
  return Status::Ok();
}

// Milestone evidence: submitted -> the municipality's officers (they decide); released or rejected
// -> the proposal's people (the coalition that submitted it).
Status FromEvidence(storage::Store& store, const storage::AuditEntry& e, Fanout& out, Message& msg) {
  auto x = store.GetExperiment(ExperimentId(e.entity_id));
  if (!x.ok()) return x.status().code() == StatusCode::kNotFound ? Status::Ok() : x.status();
  J after = ParseOrEmpty(e.after);
  std::string milestone = std::to_string(after.value("milestone", int64_t{0}));  // 1-based in the audit
  std::string title = ProposalTitle(store, x->proposal);
  msg.link = "/experiments/" + std::to_string(e.entity_id);
  msg.kind = "milestone";
  if (e.action == "evidence") {
    WEEFSEL_RETURN_IF_ERROR(out.AddOfficersOf(e.municipality));
    msg.nl = "Bewijs voor mijlpaal " + milestone + " van " + Quote(title) + " wacht op een besluit";
    msg.en = "Evidence for milestone " + milestone + " of " + Quote(title) + " awaits a decision";
  } else {
    WEEFSEL_RETURN_IF_ERROR(out.AddProposalPeople(x->proposal));
    bool yes = e.action == "release";
    msg.nl = "Mijlpaal " + milestone + " van " + Quote(title) + (yes ? " is goedgekeurd" : " is afgewezen");
    msg.en = "Milestone " + milestone + " of " + Quote(title) + (yes ? " was approved" : " was rejected");
  }
  return Status::Ok();
}

// The words a resident reads for a code in a notification and its mail (the web UI has the same
// labels in web/src/i18n.ts); the code itself when it is unknown.
std::string Words(std::string_view code, bool dutch) {
  static const std::map<std::string_view, std::pair<const char*, const char*>> kWords = {
      {"open", {"open", "open"}},
      {"matching", {"matchen", "matching"}},
      {"forming", {"coalitie vormen", "forming coalitions"}},
      {"proposals", {"voorstellen", "proposals"}},
      {"funded", {"gefinancierd", "funded"}},
      {"experiment", {"experiment", "experiment"}},
      {"evaluated", {"geëvalueerd", "evaluated"}},
      {"closed", {"gesloten", "closed"}},
      {"submission", {"indienen", "submission"}},
      {"review", {"beoordelen", "review"}},
      {"voting", {"stemmen", "voting"}},
      {"allocation", {"toewijzen", "allocation"}},
      {"platform_admin", {"beheerder", "platform admin"}},
      {"officer", {"ambtenaar", "officer"}},
      {"actor_member", {"lid van een organisatie", "member of an organisation"}},
      {"resident", {"inwoner", "resident"}},
      {"moderator", {"moderator", "moderator"}},
  };
  auto it = kWords.find(code);
  if (it == kWords.end()) return std::string(code);
  return dutch ? it->second.first : it->second.second;
}

}  // namespace

Status NotifyFromAudit(storage::Store& store, const storage::AuditEntry& e) {
  Fanout out(store, e);
  Message msg;
  const std::string id = std::to_string(e.entity_id);
  if (e.entity == "coalition" && (e.action == "invite" || e.action == "accept" || e.action == "decline")) {
    WEEFSEL_RETURN_IF_ERROR(FromCoalition(store, e, out, msg));
  } else if (e.entity == "proposal" && (e.action == "comment" || e.action == "status" || e.action == "version")) {
    WEEFSEL_RETURN_IF_ERROR(FromProposal(store, e, out, msg));
  } else if (e.entity == "round" && e.action == "review") {
    WEEFSEL_RETURN_IF_ERROR(FromRoundReview(store, e, out, msg));
  } else if (e.entity == "experiment" &&
             (e.action == "evidence" || e.action == "release" || e.action == "reject_evidence")) {
    WEEFSEL_RETURN_IF_ERROR(FromEvidence(store, e, out, msg));
  } else if (e.entity == "round" && e.action == "match_campaign") {
    WEEFSEL_RETURN_IF_ERROR(out.AddRolesIn(e.municipality));
    msg.kind = "campaign";
    msg.link = "/rounds/" + id;
    msg.nl = "Nieuwe matchfinancieringscampagne bij een ronde: steun projecten, de gemeente legt bij";
    msg.en = "A new match-funding campaign beside a round: back projects, the municipality adds to it";
  } else if (e.entity == "challenge" && (e.action == "create" || e.action == "phase")) {
    J after = ParseOrEmpty(e.after);
    std::string title = after.value("title", std::string());
    WEEFSEL_RETURN_IF_ERROR(out.AddRolesIn(e.municipality));
    msg.link = "/challenges/" + id;
    if (e.action == "create") {
      msg.kind = "challenge";
      msg.nl = "Nieuwe opgave: " + Quote(title);
      msg.en = "New challenge: " + Quote(title);
    } else {
      std::string phase = after.value("phase", std::string());
      msg.kind = "phase";
      msg.nl = Quote(title) + " is nu in de fase " + Quote(Words(phase, true));
      msg.en = Quote(title) + " moved to the phase " + Quote(Words(phase, false));
    }
  } else if (e.entity == "round" && e.action == "phase") {
    J after = ParseOrEmpty(e.after);
    std::string name = after.value("name", std::string()), phase = after.value("phase", std::string());
    WEEFSEL_RETURN_IF_ERROR(out.AddRolesIn(e.municipality));
    msg.link = "/rounds/" + id;
    if (phase == "published") {
      msg.kind = "result";
      msg.nl = "De uitslag van " + Quote(name) + " is bekend";
      msg.en = "The results of " + Quote(name) + " are published";
    } else {
      msg.kind = "phase";
      msg.nl = Quote(name) + " is nu in de fase " + Quote(Words(phase, true));
      msg.en = Quote(name) + " moved to the phase " + Quote(Words(phase, false));
    }
  } else if (e.entity == "task_challenge" && (e.action == "create" || e.action == "step")) {
    // The Right to Challenge: a new bid tells the municipality's officers; each step tells the
    // filer and the initiative's members (service/task_challenges.h).
    J after = ParseOrEmpty(e.after);
    std::string title = after.value("title", std::string());
    msg.link = "/right-to-challenge/" + id;
    msg.kind = "task_challenge";
    if (e.action == "create") {
      WEEFSEL_RETURN_IF_ERROR(out.AddOfficersOf(e.municipality));
      msg.nl = "Nieuwe uitdaging (uitdaagrecht): " + Quote(title);
      msg.en = "A new Right to Challenge bid: " + Quote(title);
    } else {
      auto bid = store.GetTaskChallenge(TaskChallengeId(e.entity_id));
      if (!bid.ok()) return Status::Ok();
      WEEFSEL_RETURN_IF_ERROR(out.AddUser(bid->filed_by));
      if (bid->initiative.valid()) WEEFSEL_RETURN_IF_ERROR(out.AddMembersOf(bid->initiative));
      static const std::map<std::string, std::pair<std::string, std::string>> kSteps = {
          {"received", {"ontvangen", "received"}},      {"assessment", {"beoordeling", "assessment"}},
          {"talks", {"gesprekken", "talks"}},           {"decision", {"besluit", "decision"}},
          {"agreement", {"overeenkomst", "agreement"}}, {"running", {"uitvoering", "running"}},
          {"evaluated", {"geëvalueerd", "evaluated"}},  {"refused", {"afgewezen", "refused"}}};
      std::string step = after.value("step", std::string());
      auto words = kSteps.find(step);
      std::string nl = words != kSteps.end() ? words->second.first : step;
      std::string en = words != kSteps.end() ? words->second.second : step;
      msg.nl = Quote(title) + " is nu in de stap " + Quote(nl);
      msg.en = Quote(title) + " moved to the step " + Quote(en);
    }
  } else if (e.action == "report") {
    // A report (service/moderation/moderation.cc) tells the municipality's moderators and officers, who keep
    // its moderation queue; the reporter is not named.
    static const std::map<std::string, std::pair<std::string, std::string>> kWhat = {
        {"comment", {"een reactie", "a comment"}},
        {"proposal", {"een voorstel", "a proposal"}},
        {"user", {"een profiel", "a profile"}},
        {"task_challenge", {"een uitdaging (uitdaagrecht)", "a Right to Challenge bid"}}};
    auto what = kWhat.find(e.entity);
    if (what == kWhat.end()) return Status::Ok();
    WEEFSEL_RETURN_IF_ERROR(out.AddOfficersOf(e.municipality, /*moderators=*/true));
    std::string reason = ParseOrEmpty(e.after).value("reason", std::string());
    if (reason.size() > 140) reason = Utf8Prefix(reason, 140) + "…";
    msg.kind = "report";
    msg.link = "/moderation?municipality=" + std::to_string(e.municipality.value());
    msg.nl = "Nieuwe melding: " + what->second.first + " is gemeld" + (reason.empty() ? "" : ": " + Quote(reason));
    msg.en = "New report: " + what->second.second + " was reported" + (reason.empty() ? "" : ": " + Quote(reason));
  } else if (e.entity == "introduction" && e.action == "create") {
    // "Breng in contact" (service/introductions.h): each side's members hear about the other.
    J after = ParseOrEmpty(e.after);
    std::string note = after.value("note", std::string()), from = after.value("municipality_name", std::string());
    for (const char* side : {"a", "b"}) {
      const J& me = after.value(side, J::object());
      const J& other = after.value(side[0] == 'a' ? "b" : "a", J::object());
      Fanout party(store, e);
      WEEFSEL_RETURN_IF_ERROR(party.AddMembersOf(ActorId(me.value("id", int64_t{0}))));
      std::string name = other.value("name", std::string());
      Message m;
      m.kind = "introduction";
      m.link = "/actors/" + std::to_string(other.value("id", int64_t{0}));
      m.nl = "Kennismaking: de gemeente " + from + " brengt u in contact met " + Quote(name) +
             (note.empty() ? "" : ". " + Quote(note));
      m.en = "Introduction: the municipality of " + from + " puts you in touch with " + Quote(name) +
             (note.empty() ? "" : ". " + Quote(note));
      WEEFSEL_RETURN_IF_ERROR(party.Write(m));
    }
    return Status::Ok();
  } else if (e.entity == "user" && e.action == "grant") {
    J after = ParseOrEmpty(e.after);
    WEEFSEL_RETURN_IF_ERROR(out.AddUser(UserId(after.value("user", int64_t{0}))));
    std::string role = after.value("role", std::string());
    msg.kind = "role";
    msg.nl = "U hebt de rol " + Quote(Words(role, true)) + " gekregen";
    msg.en = "You were given the role " + Quote(Words(role, false));
    msg.link = "/account";
  } else {
    return Status::Ok();
  }
  if (msg.kind.empty()) return Status::Ok();
  return out.Write(msg);
}

Result<DigestRunReport> SendDailyDigests(storage::Store& store, const Env& env, const DigestOptions& options) {
  const std::string now = FormatTimestamp(env.clock().Now());
  WEEFSEL_ASSIGN_OR_RETURN(auto notes, store.NotificationsOn(options.day));
  std::map<int64_t, std::vector<storage::Notification>> by_user;
  for (auto& n : notes) by_user[n.user.value()].push_back(std::move(n));
  DigestRunReport report;
  for (const auto& [uid, list] : by_user) {
    UserId user(uid);
    WEEFSEL_ASSIGN_OR_RETURN(storage::UserSettings settings, store.GetUserSettings(user));
    if (!settings.digest) {
      ++report.opted_out;
      continue;
    }
    auto old = store.GetOutbox(user, options.day);
    if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
    if (old.ok() && old->status == "sent") {
      ++report.already_sent;
      continue;
    }
    WEEFSEL_ASSIGN_OR_RETURN(domain::User u, store.GetUser(user));
    Recipient who{user, u.email, u.display_name, settings.language};
    std::vector<NotificationEvent> events;
    for (const auto& n : list) {
      const std::string& title = settings.language == "en" && !n.title_en.empty() ? n.title_en : n.title;
      events.push_back({user, n.at, n.kind, title, n.link});
    }
    auto messages = BuildDigests(events, {who}, options);
    if (messages.empty()) continue;
    storage::OutboxEntry entry;
    entry.user = user;
    entry.day = options.day;
    entry.subject = messages[0].subject;
    entry.body = messages[0].body;
    entry.attempts = (old.ok() ? old->attempts : 0) + 1;
    entry.updated_at = now;
    Status sent = env.mail().Send(messages[0]);
    entry.status = sent.ok() ? "sent" : "failed";
    entry.error = sent.ok() ? "" : sent.message();
    WEEFSEL_RETURN_IF_ERROR(store.PutOutbox(entry));
    if (sent.ok()) {
      ++report.sent;
    } else {
      ++report.failed;
      report.errors.push_back("user " + std::to_string(uid) + ": " + sent.ToString());
    }
  }
  return report;
}

}  // namespace weefsel::service
