#include "service/platform.h"

#include <algorithm>

#include "base/strings.h"

namespace weefsel::service {

using domain::Role;

bool Principal::IsAdmin() const {
  return std::any_of(grants.begin(), grants.end(), [](const auto& g) { return g.role == Role::kPlatformAdmin; });
}
bool Principal::IsOfficerOf(MunicipalityId m) const {
  return m.valid() && std::any_of(grants.begin(), grants.end(),
                                  [m](const auto& g) { return g.role == Role::kOfficer && g.municipality == m; });
}
bool Principal::IsResidentOf(MunicipalityId m) const {
  return m.valid() && std::any_of(grants.begin(), grants.end(),
                                  [m](const auto& g) { return g.role == Role::kResident && g.municipality == m; });
}
bool Principal::IsMemberOf(ActorId a) const {
  return a.valid() && std::any_of(grants.begin(), grants.end(),
                                  [a](const auto& g) { return g.role == Role::kActorMember && g.actor == a; });
}

namespace {

Status NeedUser(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated("sign in (session cookie or API token) first");
  return Status::Ok();
}

// Unauthenticated for anonymous callers, PermissionDenied(why) when `allowed` is false.
Status Require(const Principal& p, bool allowed, const std::string& why) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (!allowed && !p.IsAdmin()) return Status::PermissionDenied(why);
  return Status::Ok();
}

// As Require, without the admin's pass: for acts that belong to a person (voting, supporting).
Status RequireOwn(const Principal& p, bool allowed, const std::string& why) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (!allowed) return Status::PermissionDenied(why);
  return Status::Ok();
}

std::string M(MunicipalityId m) { return std::to_string(m.value()); }

int PhaseIndex(domain::RoundPhase p) { return static_cast<int>(p); }

}  // namespace

Platform::Platform(std::unique_ptr<storage::Store> store, PlatformOptions options, const Clock& clock)
    : store_(std::move(store)), options_(options), clock_(clock), accounts_(clock, options.accounts) {}

std::string Platform::Now() const { return FormatTimestamp(clock_.Now()); }

std::string Platform::Dialect() {
  std::lock_guard lock(mu_);
  return store_->Dialect();
}

// Holds the store lock for a use case that may write; on release the cached data version is
// marked stale, so the next read sees the change at once.
class Platform::WriteLock {
 public:
  explicit WriteLock(Platform& p) : p_(p), lock_(p.mu_) {}
  ~WriteLock() { p_.dirty_.store(true); }

 private:
  Platform& p_;
  std::lock_guard<std::mutex> lock_;
};

Result<int64_t> Platform::DataVersion() {
  int64_t now =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  int64_t ttl = static_cast<int64_t>(options_.version_ttl.count()) * 1000000;
  if (!dirty_.load() && now - checked_at_.load() < ttl) return version_.load();
  std::unique_lock lock(mu_, std::defer_lock);
  if (!dirty_.load()) {
    // Fresh enough unless the store changed behind our back: let one thread look, the others go on.
    if (!lock.try_lock()) return version_.load();
  } else {
    lock.lock();
  }
  dirty_.store(false);
  auto v = store_->DataVersion();
  if (!v.ok()) {
    dirty_.store(true);
    return v.status();
  }
  version_.store(*v);
  checked_at_.store(now);
  return *v;
}

Status Platform::Ready() {
  std::lock_guard lock(mu_);
  auto v = store_->SchemaVersion();
  return v.ok() ? Status::Ok() : v.status();
}

Status Platform::WithStore(const std::function<Status(storage::Store&)>& fn) {
  WriteLock lock(*this);
  return fn(*store_);
}

// ---- identity -------------------------------------------------------------------------------

Result<Principal> Platform::PrincipalOf(UserId user) {
  std::lock_guard lock(mu_);
  WEEFSEL_ASSIGN_OR_RETURN(domain::User u, store_->GetUser(user));
  WEEFSEL_ASSIGN_OR_RETURN(auto grants, store_->GrantsOf(user));
  return Principal{u.id, u.email, u.display_name, std::move(grants)};
}

Result<Session> Platform::Login(const std::string& email, const std::string& password, const std::string& address) {
  std::string account = FoldCase(Trim(email));
  WEEFSEL_RETURN_IF_ERROR(accounts_.CheckLoginAllowed(account, address));
  Result<domain::User> user = Status::NotFound("");
  {
    std::lock_guard lock(mu_);
    user = store_->GetUserByEmail(std::string(Trim(email)));
  }
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  // Verify even for unknown accounts so that timing does not tell which e-mail addresses exist.
  static const std::string kDummy = HashPassword("not-a-real-password", PasswordCost::Minimum()).value();
  bool good = VerifyPassword(user.ok() ? user->password_hash : kDummy, password) && user.ok();
  if (!good) {
    accounts_.RecordLoginFailure(account, address);
    return Status::Unauthenticated("login: unknown e-mail address or wrong password");
  }
  accounts_.RecordLoginSuccess(account);
  return accounts_.CreateSession(user->id);
}

Result<domain::User> Platform::Register(domain::User user, const std::string& password, MunicipalityId municipality) {
  if (!municipality.valid()) return Status::InvalidArgument("municipality: required (the municipality you live in)");
  return InsertUser(std::move(user), password, {{UserId(), Role::kResident, municipality, {}}});
}

Result<domain::User> Platform::CreateUser(const Principal& p, domain::User user, const std::string& password,
                                          std::vector<domain::RoleGrant> grants) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, false, "only a platform admin may create accounts"));
  return InsertUser(std::move(user), password, std::move(grants));
}

Result<domain::User> Platform::InsertUser(domain::User user, const std::string& password,
                                          std::vector<domain::RoleGrant> grants) {
  user.id = UserId();
  user.email = std::string(Trim(user.email));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(user));
  WEEFSEL_ASSIGN_OR_RETURN(user.password_hash, HashPassword(password, options_.password_cost));
  user.created_at = Now();
  WriteLock lock(*this);
  for (const auto& g : grants) {
    if (g.role == Role::kOfficer || g.role == Role::kResident) {
      if (!g.municipality.valid())
        return Status::InvalidArgument("grants.municipality: required for role " +
                                       std::string(domain::RoleCode(g.role)));
      WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(g.municipality).status());
    }
    if (g.role == Role::kActorMember) {
      if (!g.actor.valid()) return Status::InvalidArgument("grants.actor: required for role actor_member");
      WEEFSEL_RETURN_IF_ERROR(store_->GetActor(g.actor).status());
    }
  }
  WEEFSEL_RETURN_IF_ERROR(store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(store_->Insert(user).status());
    for (auto g : grants) {
      g.user = user.id;
      WEEFSEL_RETURN_IF_ERROR(store_->Grant(g));
    }
    return Status::Ok();
  }));
  return user;
}

Result<domain::User> Platform::GetUser(const Principal& p, UserId id) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.user == id, "you may read only your own account"));
  std::lock_guard lock(mu_);
  return store_->GetUser(id);
}

Result<std::vector<domain::RoleGrant>> Platform::GrantsOf(const Principal& p, UserId id) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.user == id, "you may read only your own grants"));
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(id).status());
  return store_->GrantsOf(id);
}

Status Platform::Grant(const Principal& p, const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetUser(g.user).status());
  bool allowed = false;
  if (g.role == Role::kResident) {
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(g.municipality).status());
    allowed = p.IsOfficerOf(g.municipality);
  } else if (g.role == Role::kActorMember) {
    WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(g.actor));
    allowed = p.IsOfficerOf(a.municipality);
  } else if (g.role == Role::kOfficer) {
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(g.municipality).status());
  }
  WEEFSEL_RETURN_IF_ERROR(Require(
      p, allowed,
      "granting role " + std::string(domain::RoleCode(g.role)) + " needs a platform admin" +
          (g.role == Role::kOfficer || g.role == Role::kPlatformAdmin ? "" : " or an officer of the municipality")));
  return store_->Grant(g);
}

Status Platform::Revoke(const Principal& p, const domain::RoleGrant& g) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, false, "only a platform admin may revoke roles"));
  WriteLock lock(*this);
  return store_->Revoke(g);
}

Result<std::string> Platform::CreateToken(const Principal& p, const std::string& name) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (Trim(name).empty() || name.size() > 200)
    return Status::InvalidArgument("token.name: must be 1 to 200 characters");
  return accounts_.CreateToken(p.user, name);
}

// ---- municipalities -------------------------------------------------------------------------

Result<std::vector<domain::Municipality>> Platform::ListMunicipalities(const storage::ListQuery& q) {
  std::lock_guard lock(mu_);
  return store_->ListMunicipalities(q);
}

Result<domain::Municipality> Platform::GetMunicipality(MunicipalityId id) {
  std::lock_guard lock(mu_);
  return store_->GetMunicipality(id);
}

Result<domain::Municipality> Platform::CreateMunicipality(const Principal& p, domain::Municipality m) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, false, "only a platform admin may add municipalities"));
  m.id = MunicipalityId();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(m).status());
  return m;
}

Result<domain::Municipality> Platform::UpdateMunicipality(const Principal& p, MunicipalityId id,
                                                          const Patch<domain::Municipality>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality m, store_->GetMunicipality(id));
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(id), "only officers of municipality " + M(id) + " may change it"));
  WEEFSEL_RETURN_IF_ERROR(patch(m));
  m.id = id;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(m));
  return m;
}

// ---- actors and ties ------------------------------------------------------------------------

Result<std::vector<domain::Actor>> Platform::ListActors(const storage::ListQuery& q) {
  std::lock_guard lock(mu_);
  return store_->ListActors(q);
}

Result<domain::Actor> Platform::GetActor(ActorId id) {
  std::lock_guard lock(mu_);
  return store_->GetActor(id);
}

Result<domain::Actor> Platform::CreateActor(const Principal& p, domain::Actor a) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(a.municipality),
                                  "only officers of municipality " + M(a.municipality) + " may add its actors"));
  a.id = ActorId();
  a.generated = false;
  if (a.source.empty()) a.source = "api";
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(a.themes, a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  WriteLock lock(*this);
  if (a.municipality.valid())
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(a.municipality).status().WithContext("actor.municipality"));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(a).status());
  return a;
}

Result<domain::Actor> Platform::UpdateActor(const Principal& p, ActorId id, const Patch<domain::Actor>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(id));
  WEEFSEL_RETURN_IF_ERROR(Require(
      p, p.IsOfficerOf(a.municipality) || p.IsMemberOf(id),
      "only members of actor " + std::to_string(id.value()) + " or officers of its municipality may change it"));
  MunicipalityId before = a.municipality;
  WEEFSEL_RETURN_IF_ERROR(patch(a));
  a.id = id;
  if (a.municipality != before)
    WEEFSEL_RETURN_IF_ERROR(
        Require(p, p.IsOfficerOf(a.municipality),
                "actor.municipality: only officers of municipality " + M(a.municipality) + " may move an actor there"));
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(a.themes, a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  if (a.municipality.valid())
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(a.municipality).status().WithContext("actor.municipality"));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(a));
  return a;
}

Status Platform::DeleteActor(const Principal& p, ActorId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(id));
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(a.municipality),
                                  "only officers of municipality " + M(a.municipality) + " may remove its actors"));
  return store_->DeleteActor(id);
}

Result<std::vector<domain::Tie>> Platform::ListTies(const storage::ListQuery& q) {
  std::lock_guard lock(mu_);
  return store_->ListTies(q);
}

Result<std::vector<domain::Tie>> Platform::TiesOf(ActorId actor) {
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetActor(actor).status());
  return store_->TiesOf(actor);
}

Result<domain::Tie> Platform::CreateTie(const Principal& p, domain::Tie t) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  t.id = TieId();
  domain::Normalize(t);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(t.a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor b, store_->GetActor(t.b));
  WEEFSEL_RETURN_IF_ERROR(Require(
      p, p.IsMemberOf(a.id) || p.IsMemberOf(b.id) || p.IsOfficerOf(a.municipality) || p.IsOfficerOf(b.municipality),
      "only members of one of the two actors or officers of their municipality may add a tie"));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(t).status());
  return t;
}

Status Platform::DeleteTie(const Principal& p, ActorId actor, TieId tie) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto ties, store_->TiesOf(actor));
  auto it = std::find_if(ties.begin(), ties.end(), [tie](const auto& t) { return t.id == tie; });
  if (it == ties.end())
    return Status::NotFound("tie " + std::to_string(tie.value()) + " of actor " + std::to_string(actor.value()));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(it->a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor b, store_->GetActor(it->b));
  WEEFSEL_RETURN_IF_ERROR(Require(
      p, p.IsMemberOf(a.id) || p.IsMemberOf(b.id) || p.IsOfficerOf(a.municipality) || p.IsOfficerOf(b.municipality),
      "only members of one of the two actors or officers of their municipality may remove a tie"));
  return store_->DeleteTie(tie);
}

// ---- challenges -----------------------------------------------------------------------------

Result<std::vector<domain::Challenge>> Platform::ListChallenges(const storage::ListQuery& q) {
  std::lock_guard lock(mu_);
  return store_->ListChallenges(q);
}

Result<domain::Challenge> Platform::GetChallenge(ChallengeId id) {
  std::lock_guard lock(mu_);
  return store_->GetChallenge(id);
}

Result<domain::Challenge> Platform::CreateChallenge(const Principal& p, domain::Challenge c) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(c.municipality),
                                  "only officers of municipality " + M(c.municipality) + " may post its challenges"));
  c.id = ChallengeId();
  c.created_at = Now();
  for (auto& need : c.capabilities) need.capability = domain::NormalizeCapability(need.capability);
  std::vector<std::string> no_caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, no_caps));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(c.municipality).status().WithContext("challenge.municipality"));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(c).status());
  return c;
}

Result<domain::Challenge> Platform::UpdateChallenge(const Principal& p, ChallengeId id,
                                                    const Patch<domain::Challenge>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(c.municipality),
                                  "only officers of municipality " + M(c.municipality) + " may change its challenges"));
  MunicipalityId before = c.municipality;
  std::string created = c.created_at;
  WEEFSEL_RETURN_IF_ERROR(patch(c));
  c.id = id;
  c.created_at = created;
  if (c.municipality != before)
    WEEFSEL_RETURN_IF_ERROR(Require(
        p, p.IsOfficerOf(c.municipality),
        "challenge.municipality: only officers of municipality " + M(c.municipality) + " may move a challenge there"));
  for (auto& need : c.capabilities) need.capability = domain::NormalizeCapability(need.capability);
  std::vector<std::string> no_caps;
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(c.themes, no_caps));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(c.municipality).status().WithContext("challenge.municipality"));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(c));
  return c;
}

Result<MunicipalityId> Platform::MunicipalityOfChallenge(ChallengeId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge c, store_->GetChallenge(id));
  return c.municipality;
}

Result<MunicipalityId> Platform::MunicipalityOfProposal(ProposalId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal p, store_->GetProposal(id));
  return MunicipalityOfChallenge(p.challenge);
}

// ---- coalitions -----------------------------------------------------------------------------

Result<std::vector<domain::Coalition>> Platform::CoalitionsOf(ChallengeId challenge) {
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetChallenge(challenge).status());
  return store_->CoalitionsOf(challenge);
}

Result<domain::Coalition> Platform::GetCoalition(CoalitionId id) {
  std::lock_guard lock(mu_);
  return store_->GetCoalition(id);
}

Result<domain::Coalition> Platform::ProposeCoalition(const Principal& p, domain::Coalition c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(Require(
      p, p.IsOfficerOf(m), "only officers of municipality " + M(m) + " may propose coalitions for its challenges"));
  c.id = CoalitionId();
  c.status = domain::CoalitionStatus::kProposed;
  c.created_at = Now();
  for (auto& mem : c.members) {
    mem.status = domain::MemberStatus::kProposed;
    WEEFSEL_RETURN_IF_ERROR(store_->GetActor(mem.actor).status().WithContext("coalition.members"));
  }
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(c).status());
  return c;
}

namespace {

void SettleStatus(domain::Coalition& c) {
  using domain::MemberStatus;
  int accepted = 0, open = 0;
  for (const auto& m : c.members) {
    if (m.status == MemberStatus::kAccepted) ++accepted;
    if (m.status == MemberStatus::kInvited || m.status == MemberStatus::kProposed) ++open;
  }
  if (accepted > 0 && open == 0)
    c.status = domain::CoalitionStatus::kFormed;
  else if (accepted == 0 && open == 0)
    c.status = domain::CoalitionStatus::kDissolved;
  else
    c.status = domain::CoalitionStatus::kForming;
}

}  // namespace

Result<domain::Coalition> Platform::Invite(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(
      Require(p, p.IsOfficerOf(m), "only officers of municipality " + M(m) + " may invite actors into coalitions"));
  WEEFSEL_RETURN_IF_ERROR(store_->GetActor(actor).status().WithContext("invite.actor"));
  if (c.status == domain::CoalitionStatus::kDissolved)
    return Status::Conflict("coalition: dissolved coalitions take no invitations");
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end()) {
    domain::CoalitionMember mem;
    mem.actor = actor;
    mem.status = domain::MemberStatus::kInvited;
    c.members.push_back(mem);
  } else if (it->status == domain::MemberStatus::kAccepted) {
    return Status::Conflict("invite.actor: actor " + std::to_string(actor.value()) + " has already accepted");
  } else {
    it->status = domain::MemberStatus::kInvited;
  }
  SettleStatus(c);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(c));
  return c;
}

Result<domain::Coalition> Platform::Accept(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(
      Require(p, p.IsMemberOf(actor),
              "only members of actor " + std::to_string(actor.value()) + " may answer its invitations"));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end() || it->status != domain::MemberStatus::kInvited)
    return Status::Conflict("accept.actor: actor " + std::to_string(actor.value()) +
                            " has no open invitation to coalition " + std::to_string(id.value()));
  it->status = domain::MemberStatus::kAccepted;
  SettleStatus(c);
  WEEFSEL_RETURN_IF_ERROR(store_->Update(c));
  return c;
}

Result<domain::Coalition> Platform::Decline(const Principal& p, CoalitionId id, ActorId actor) {
  WEEFSEL_RETURN_IF_ERROR(
      Require(p, p.IsMemberOf(actor),
              "only members of actor " + std::to_string(actor.value()) + " may answer its invitations"));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  auto it = std::find_if(c.members.begin(), c.members.end(), [actor](const auto& m) { return m.actor == actor; });
  if (it == c.members.end() ||
      (it->status != domain::MemberStatus::kInvited && it->status != domain::MemberStatus::kProposed))
    return Status::Conflict("decline.actor: actor " + std::to_string(actor.value()) +
                            " has no open invitation to coalition " + std::to_string(id.value()));
  it->status = domain::MemberStatus::kDeclined;
  SettleStatus(c);
  WEEFSEL_RETURN_IF_ERROR(store_->Update(c));
  return c;
}

// ---- proposals ------------------------------------------------------------------------------

Result<bool> Platform::IsCoalitionMember(const Principal& p, CoalitionId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(id));
  for (const auto& m : c.members)
    if (m.status != domain::MemberStatus::kDeclined && p.IsMemberOf(m.actor)) return true;
  return false;
}

Result<std::vector<domain::Proposal>> Platform::ProposalsOf(ChallengeId challenge) {
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetChallenge(challenge).status());
  return store_->ProposalsOf(challenge);
}

Result<domain::Proposal> Platform::GetProposal(ProposalId id) {
  std::lock_guard lock(mu_);
  return store_->GetProposal(id);
}

Result<domain::Proposal> Platform::CreateProposal(const Principal& p, CoalitionId coalition,
                                                  domain::ProposalVersion v) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(coalition));
  WEEFSEL_ASSIGN_OR_RETURN(bool member, IsCoalitionMember(p, coalition));
  WEEFSEL_RETURN_IF_ERROR(Require(p, member, "only members of the coalition's actors may write its proposals"));
  domain::Proposal prop;
  prop.coalition = coalition;
  prop.challenge = c.challenge;
  v.number = 1;
  v.author = p.user;
  v.created_at = Now();
  prop.versions.push_back(std::move(v));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(prop));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(prop).status());
  return prop;
}

Result<domain::Proposal> Platform::AddVersion(const Principal& p, ProposalId id, domain::ProposalVersion v) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(bool member, IsCoalitionMember(p, prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Require(p, member, "only members of the coalition's actors may revise its proposals"));
  if (prop.status != "draft" && prop.status != "submitted")
    return Status::Conflict("proposal.status: a proposal that is " + prop.status + " can no longer be revised");
  v.number = static_cast<int>(prop.versions.size()) + 1;
  v.author = p.user;
  v.created_at = Now();
  prop.versions.push_back(std::move(v));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(prop));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(prop));
  return prop;
}

Result<domain::Proposal> Platform::SetProposalStatus(const Principal& p, ProposalId id, const std::string& status) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  const std::string& from = prop.status;
  if (status == "submitted") {
    WEEFSEL_ASSIGN_OR_RETURN(bool member, IsCoalitionMember(p, prop.coalition));
    WEEFSEL_RETURN_IF_ERROR(Require(p, member, "only members of the coalition's actors may submit its proposal"));
    if (from != "draft") return Status::Conflict("proposal.status: only a draft can be submitted (it is " + from + ")");
  } else if (status == "in_round" || status == "rejected" || status == "funded") {
    WEEFSEL_RETURN_IF_ERROR(
        Require(p, p.IsOfficerOf(m), "only officers of municipality " + M(m) + " may decide on proposals"));
    bool ok = (status == "in_round" && from == "submitted") ||
              (status == "rejected" && (from == "submitted" || from == "in_round")) ||
              (status == "funded" && (from == "in_round" || from == "submitted"));
    if (!ok) return Status::Conflict("proposal.status: cannot go from " + from + " to " + status);
  } else {
    return Status::InvalidArgument("status: must be submitted, in_round, funded or rejected");
  }
  prop.status = status;
  WEEFSEL_RETURN_IF_ERROR(store_->Update(prop));
  return prop;
}

Result<std::vector<Comment>> Platform::CommentsOf(ProposalId id) {
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  auto it = comments_.find(id);
  if (it == comments_.end()) return std::vector<Comment>{};
  return it->second;
}

Result<Comment> Platform::AddComment(const Principal& p, ProposalId id, const std::string& text) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (Trim(text).empty()) return Status::InvalidArgument("comment.text: must not be empty");
  if (text.size() > 5000) return Status::InvalidArgument("comment.text: at most 5000 characters");
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  Comment c{next_comment_++, id, p.user, p.display_name, std::string(Trim(text)), Now()};
  comments_[id].push_back(c);
  return c;
}

Result<domain::Proposal> Platform::Support(const Principal& p, ProposalId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_RETURN_IF_ERROR(
      RequireOwn(p, p.IsResidentOf(m), "only residents of municipality " + M(m) + " may support its proposals"));
  if (supports_.count({id, p.user}))
    return Status::Conflict("support: you already support proposal " + std::to_string(id.value()));
  prop.supports += 1;
  WEEFSEL_RETURN_IF_ERROR(store_->Update(prop));
  supports_.insert({id, p.user});
  return prop;
}

// ---- rounds and ballots ---------------------------------------------------------------------

Result<std::vector<domain::Round>> Platform::ListRounds(const storage::ListQuery& q) {
  std::lock_guard lock(mu_);
  return store_->ListRounds(q);
}

Result<domain::Round> Platform::GetRound(RoundId id) {
  std::lock_guard lock(mu_);
  return store_->GetRound(id);
}

Result<domain::Round> Platform::CreateRound(const Principal& p, domain::Round r) {
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(r.municipality),
                                  "only officers of municipality " + M(r.municipality) + " may open its rounds"));
  r.id = RoundId();
  r.phase = domain::RoundPhase::kSubmission;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(r.municipality).status().WithContext("round.municipality"));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(r).status());
  return r;
}

Result<domain::Round> Platform::UpdateRound(const Principal& p, RoundId id, const Patch<domain::Round>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(r.municipality),
                                  "only officers of municipality " + M(r.municipality) + " may change its rounds"));
  if (PhaseIndex(r.phase) >= PhaseIndex(domain::RoundPhase::kVoting))
    return Status::Conflict("round.phase: a round cannot change once voting has opened");
  domain::Round before = r;
  WEEFSEL_RETURN_IF_ERROR(patch(r));
  r.id = id;
  r.municipality = before.municipality;
  r.phase = before.phase;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(r));
  return r;
}

Result<domain::Round> Platform::SetRoundPhase(const Principal& p, RoundId id, domain::RoundPhase phase) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Require(p, p.IsOfficerOf(r.municipality),
                                  "only officers of municipality " + M(r.municipality) + " may move its rounds on"));
  if (PhaseIndex(phase) <= PhaseIndex(r.phase))
    return Status::Conflict("phase: a round moves forward only (it is in " +
                            std::string(domain::RoundPhaseCode(r.phase)) + ")");
  r.phase = phase;
  WEEFSEL_RETURN_IF_ERROR(store_->Update(r));
  return r;
}

Result<domain::Ballot> Platform::CastBallot(const Principal& p, RoundId id, std::vector<domain::BallotEntry> entries) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(
      RequireOwn(p, p.IsResidentOf(r.municipality),
                 "only residents of municipality " + M(r.municipality) + " may vote in its rounds"));
  if (r.phase != domain::RoundPhase::kVoting)
    return Status::Conflict(
        std::string("round.phase: voting is ") +
        (PhaseIndex(r.phase) < PhaseIndex(domain::RoundPhase::kVoting) ? "not open yet" : "closed"));
  domain::Ballot b;
  b.round = id;
  b.voter = p.user;
  b.kind = r.ballot_kind;
  b.entries = std::move(entries);
  b.cast_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(b, r));
  WEEFSEL_RETURN_IF_ERROR(store_->PutBallot(b).status());
  return b;
}

Result<domain::Ballot> Platform::OwnBallot(const Principal& p, RoundId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  std::lock_guard lock(mu_);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(id).status());
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, store_->BallotsOf(id));
  for (auto& b : ballots)
    if (b.voter == p.user) return b;
  return Status::NotFound("ballot: you have not voted in round " + std::to_string(id.value()));
}

// ---- experiments ----------------------------------------------------------------------------

Result<std::vector<domain::Experiment>> Platform::ListExperiments(const storage::ListQuery& q) {
  std::lock_guard lock(mu_);
  return store_->ListExperiments(q);
}

Result<domain::Experiment> Platform::GetExperiment(ExperimentId id) {
  std::lock_guard lock(mu_);
  return store_->GetExperiment(id);
}

Result<domain::Experiment> Platform::CreateExperiment(const Principal& p, domain::Experiment e) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(
      Require(p, p.IsOfficerOf(m), "only officers of municipality " + M(m) + " may start experiments"));
  e.id = ExperimentId();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(store_->Insert(e).status());
  return e;
}

Result<domain::Experiment> Platform::UpdateExperiment(const Principal& p, ExperimentId id,
                                                      const Patch<domain::Experiment>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(e.proposal));
  WEEFSEL_RETURN_IF_ERROR(
      Require(p, p.IsOfficerOf(m), "only officers of municipality " + M(m) + " may change experiments"));
  ProposalId proposal = e.proposal;
  WEEFSEL_RETURN_IF_ERROR(patch(e));
  e.id = id;
  e.proposal = proposal;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(e));
  return store_->GetExperiment(id);
}

Result<domain::Experiment> Platform::AddMeasurement(const Principal& p, ExperimentId id, IndicatorId indicator,
                                                    domain::Measurement m) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Experiment e, store_->GetExperiment(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(e.proposal));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId muni, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_ASSIGN_OR_RETURN(bool member, IsCoalitionMember(p, prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(
      Require(p, member || p.IsOfficerOf(muni),
              "only officers of municipality " + M(muni) + " or members of the coalition may record measurements"));
  auto it =
      std::find_if(e.indicators.begin(), e.indicators.end(), [indicator](const auto& i) { return i.id == indicator; });
  if (it == e.indicators.end())
    return Status::NotFound("indicator " + std::to_string(indicator.value()) + " of experiment " +
                            std::to_string(id.value()));
  if (!IsIsoDate(m.date)) return Status::InvalidArgument("measurement.date: '" + m.date + "' is not a date YYYY-MM-DD");
  it->measurements.push_back(std::move(m));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  WEEFSEL_RETURN_IF_ERROR(store_->Update(e));
  return store_->GetExperiment(id);
}

}  // namespace weefsel::service
