#include "service/votes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>
#include <utility>

#include "base/clock.h"
#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

using J = nlohmann::json;

std::string R(RoundId id) { return std::to_string(id.value()); }
using core::Dump;
using core::Snap;

bool Before(domain::RoundPhase a, domain::RoundPhase b) { return static_cast<int>(a) < static_cast<int>(b); }

bool Allows(const domain::Eligibility& e, const std::string& wijk) {
  return e.wijken.empty() || std::find(e.wijken.begin(), e.wijken.end(), wijk) != e.wijken.end();
}

Status NeedOfficer(const Principal& p, const domain::Round& r, core::Action act) {
  return core::Can(p, act, {.municipalities = {r.municipality}});
}

}  // namespace

Result<std::string> RoundKeyOf(storage::Store& store, RoundId id, std::string_view vote_key,
                               const voting::RandomBytes& random) {
  WEEFSEL_ASSIGN_OR_RETURN(std::string salt, store.GetRoundSalt(id));
  if (salt.empty()) {
    salt = voting::NewSecretHex(random);
    WEEFSEL_RETURN_IF_ERROR(store.PutRoundSalt(id, salt));
  }
  return voting::RoundKey(vote_key, salt);
}

Result<std::string> Votes::KeyOf(RoundId id) { return RoundKeyOf(*store_, id, options_.vote_key, random_); }

Result<domain::Eligibility> Votes::EligibilityOf(RoundId id) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  return r.eligibility;
}

Result<domain::Eligibility> Votes::SetEligibility(const Principal& p, RoundId id, domain::Eligibility e) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(NeedOfficer(p, r, core::Action::kSetEligibility));
  if (!Before(r.phase, domain::RoundPhase::kVoting))
    return Status::Conflict("phase: who may vote is fixed once voting opens (round " + R(id) + " is in phase " +
                            std::string(domain::RoundPhaseCode(r.phase)) + ")")
        .WithReason("eligibility_fixed", {{"phase", std::string(domain::RoundPhaseCode(r.phase))}});
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(e));
  std::string before = Snap(r.eligibility);
  r.eligibility = e;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "eligibility", before, [&] { return store.Update(r); },
      [&] { return std::make_pair(id.value(), Snap(r.eligibility)); }));
  return r.eligibility;
}

Result<std::string> Votes::GenerateCodes(const Principal& p, RoundId id, int count, const std::string& wijk) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(NeedOfficer(p, r, core::Action::kMakeVotingCodes));
  if (r.eligibility.verification != domain::Verification::kCode)
    return Status::Conflict("eligibility.verification: round " + R(id) +
                            " does not use voting codes; set its verification to \"code\" first")
        .WithReason(
            "wrong_verification",
            {{"verification", std::string(domain::VerificationCode(r.eligibility.verification))}, {"needs", "code"}});
  if (!Before(r.phase, domain::RoundPhase::kAllocation))
    return Status::Conflict("phase: voting in round " + R(id) + " has closed; no more codes")
        .WithReason("voting_closed");
  if (count < 1 || count > 5000) return Status::InvalidArgument("count: must be 1 to 5000 codes at a time");
  if (!wijk.empty() && !Allows(r.eligibility, wijk))
    return Status::InvalidArgument("wijk: '" + wijk + "' is not one of the wijken that vote in round " + R(id))
        .WithReason("wijk_not_voting", {{"wijk", wijk}});
  if (wijk.empty() && !r.eligibility.wijken.empty())
    return Status::InvalidArgument("wijk: round " + R(id) + " is for named wijken; make codes for one of them")
        .WithReason("wijk_required");
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality m, store.GetMunicipality(r.municipality));
  std::vector<voting::LetterCode> letters;
  std::string csv;
  WEEFSEL_RETURN_IF_ERROR(store.Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(std::string key, KeyOf(id));
    std::vector<storage::VotingCode> rows;
    for (int i = 0; i < count; ++i) {
      std::string code = voting::NewCode(random_);
      WEEFSEL_ASSIGN_OR_RETURN(std::string plain, voting::NormalizeCode(code));
      rows.push_back({voting::KeyedHash(key, "code", plain), wijk, false});
      letters.push_back({std::move(code), wijk});
    }
    // 60 random bits a code: a collision (AlreadyExists) is astronomically rare and refuses the batch.
    return Logged(
        p, r.municipality, "round", "codes", "", [&] { return store.InsertVotingCodes(id, rows); },
        [&] {
          return std::make_pair(id.value(), Dump({{"count", count}, {"wijk", wijk}}));
        });
  }));
  return voting::MailMergeCsv(letters, r.name, m.name);
}

Result<int64_t> Votes::UploadCensus(const Principal& p, RoundId id, const std::string& csv) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  // Parsed before the lock: a large file does not hold up everyone else.
  auto lines = voting::ParseCensus(csv);
  WriteLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(NeedOfficer(p, r, core::Action::kUploadCensus));
  if (r.eligibility.verification != domain::Verification::kCensus)
    return Status::Conflict("eligibility.verification: round " + R(id) +
                            " does not check the census; set its verification to \"census\" first")
        .WithReason(
            "wrong_verification",
            {{"verification", std::string(domain::VerificationCode(r.eligibility.verification))}, {"needs", "census"}});
  if (!Before(r.phase, domain::RoundPhase::kVoting))
    return Status::Conflict("phase: the census of round " + R(id) + " is fixed once voting opens")
        .WithReason("eligibility_fixed", {{"phase", std::string(domain::RoundPhaseCode(r.phase))}});
  if (!lines.ok()) return lines.status();
  int64_t n = static_cast<int64_t>(lines->size());
  WEEFSEL_RETURN_IF_ERROR(store.Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(std::string key, KeyOf(id));
    std::vector<storage::CensusEntry> rows;
    rows.reserve(lines->size());
    for (const auto& l : *lines)
      rows.push_back({voting::KeyedHash(key, "census", voting::PersonKey(l.person)), l.wijk,
                      std::stoi(l.person.birth_date.substr(0, 4)), false});
    return Logged(
        p, r.municipality, "round", "census", "", [&] { return store.ReplaceCensus(id, rows); },
        [&] {
          return std::make_pair(id.value(), Dump({{"residents", n}}));
        });
  }));
  return n;
}

Result<VoteRegister> Votes::RegisterOf(const Principal& p, RoundId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  ReadLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(NeedOfficer(p, r, core::Action::kReadRegister));
  VoteRegister out;
  out.eligibility = r.eligibility;
  WEEFSEL_ASSIGN_OR_RETURN(out.codes, store.VotingCodeTally(id));
  WEEFSEL_ASSIGN_OR_RETURN(out.census, store.CensusTally(id));
  if (r.eligibility.verification == domain::Verification::kDigid) {
    WEEFSEL_ASSIGN_OR_RETURN(auto voters, store.VerifiedVotersOf(id));
    out.digid_voters = static_cast<int64_t>(voters.size());
  }
  return out;
}

Result<SealedReceipt> Votes::CastVerified(const Principal& p, RoundId id, VerifiedBallot b) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kVote, {.municipalities = {r.municipality}}));
  if (!r.eligibility.restricted())
    return Status::Conflict("eligibility.verification: round " + R(id) +
                            " is open to every resident; cast your ballot with PUT /api/v1/rounds/" + R(id) + "/ballot")
        .WithReason("round_open_to_all");
  if (r.phase != domain::RoundPhase::kVoting)
    return Status::Conflict(std::string("phase: voting is ") +
                            (Before(r.phase, domain::RoundPhase::kVoting) ? "not open yet" : "closed"))
        .WithReason(Before(r.phase, domain::RoundPhase::kVoting) ? "voting_not_open" : "voting_closed");
  domain::Ballot ballot;
  ballot.round = id;
  ballot.kind = r.ballot_kind;
  ballot.entries = b.entries;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(ballot, r));

  SealedReceipt receipt;
  receipt.round = id;
  receipt.kind = r.ballot_kind;
  receipt.entries = b.entries;
  storage::SealedBallot sealed;
  sealed.round = id;
  sealed.kind = r.ballot_kind;
  sealed.entries = b.entries;

  // A voter changing the ballot: the token is the only link to it.
  if (!b.ballot_token.empty()) {
    WEEFSEL_RETURN_IF_ERROR(store.Transaction([&]() -> Status {
      WEEFSEL_ASSIGN_OR_RETURN(std::string key, KeyOf(id));
      sealed.token_hash = voting::KeyedHash(key, "token", b.ballot_token);
      auto known = store.GetSealedBallot(id, sealed.token_hash);
      if (!known.ok() && known.status().code() == StatusCode::kNotFound)
        return Status::PermissionDenied("ballot_token: no ballot of round " + R(id) +
                                        " has this token; vote with your voting code or census details instead")
            .WithReason("ballot_token_unknown");
      WEEFSEL_RETURN_IF_ERROR(known.status());
      return store.PutSealedBallot(sealed);
    }));
    receipt.ballot_token = b.ballot_token;
    receipt.replaced = true;
    return receipt;
  }

  const bool by_code = r.eligibility.verification == domain::Verification::kCode;
  const bool by_digid = r.eligibility.verification == domain::Verification::kDigid;
  std::string person_key;
  std::string plain_code;
  if (by_digid) {
    // The account itself is the proof: linked to a person through the DigiD broker.
    WEEFSEL_ASSIGN_OR_RETURN(auto links, store.OidcIdentitiesOf(p.user));
    bool verified = std::any_of(links.begin(), links.end(), [](const auto& l) { return l.verified_resident; });
    if (!verified)
      return Status::PermissionDenied("verification: round " + R(id) +
                                      " is for residents who signed in with DigiD: sign in with DigiD, or link "
                                      "DigiD to this account on its account page")
          .WithReason("verification_required", {{"by", "digid"}});
  } else if (by_code) {
    if (b.code.empty())
      return Status::PermissionDenied(
                 "code: round " + R(id) +
                 " is for residents with a voting code: enter the voting code from your letter with your ballot")
          .WithReason("verification_required", {{"by", "code"}});
    WEEFSEL_ASSIGN_OR_RETURN(plain_code, voting::NormalizeCode(b.code));
  } else {
    if (!b.census)
      return Status::PermissionDenied("census: round " + R(id) +
                                      " is for residents in the census: enter your citizen service number (BSN), "
                                      "postcode and birth date with your ballot")
          .WithReason("verification_required", {{"by", "census"}});
    WEEFSEL_ASSIGN_OR_RETURN(voting::CensusPerson person,
                             voting::NormalizePerson(b.census->identifier, b.census->postcode, b.census->birth_date));
    if (r.eligibility.min_age > 0 && voting::AgeOn(person.birth_date, FormatDate(clock_.Now())) < r.eligibility.min_age)
      return Status::PermissionDenied("census.birth_date: residents vote in round " + R(id) + " from the age of " +
                                      std::to_string(r.eligibility.min_age))
          .WithReason("too_young", {{"min_age", std::to_string(r.eligibility.min_age)}});
    person_key = voting::PersonKey(person);
  }

  std::string token = voting::NewSecretHex(random_);
  WEEFSEL_RETURN_IF_ERROR(store.Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(std::string key, KeyOf(id));
    if (by_digid) {
      // Once per account: MarkVerifiedVoter below.
    } else if (by_code) {
      const std::string hash = voting::KeyedHash(key, "code", plain_code);
      auto code = store.GetVotingCode(id, hash);
      if (!code.ok() && code.status().code() == StatusCode::kNotFound)
        return Status::PermissionDenied("code: this is not a voting code of round " + R(id) +
                                        "; check the code on your letter")
            .WithReason("voting_code_unknown");
      WEEFSEL_RETURN_IF_ERROR(code.status());
      if (code->used)
        return Status::Conflict("code: this voting code has been used already; each code is valid for one vote")
            .WithReason("voting_code_used");
      if (!Allows(r.eligibility, code->wijk))
        return Status::PermissionDenied("code: this code is for wijk " + code->wijk +
                                        ", which does not vote in round " + R(id))
            .WithReason("wijk_not_voting", {{"wijk", code->wijk}});
      WEEFSEL_ASSIGN_OR_RETURN(bool used, store.UseVotingCode(id, hash));
      if (!used)
        return Status::Conflict("code: this voting code has been used already; each code is valid for one vote")
            .WithReason("voting_code_used");
    } else {
      const std::string hash = voting::KeyedHash(key, "census", person_key);
      auto entry = store.GetCensusEntry(id, hash);
      if (!entry.ok() && entry.status().code() == StatusCode::kNotFound)
        return Status::PermissionDenied(
                   "census: no resident with this identifier, postcode and birth date is in the "
                   "census of round " +
                   R(id) + "; check what you entered")
            .WithReason("census_no_match");
      WEEFSEL_RETURN_IF_ERROR(entry.status());
      if (entry->voted)
        return Status::Conflict("census: this resident has voted in round " + R(id) + " already")
            .WithReason("census_voted");
      if (!Allows(r.eligibility, entry->wijk))
        return Status::PermissionDenied("census: residents of wijk " + entry->wijk + " do not vote in round " + R(id))
            .WithReason("wijk_not_voting", {{"wijk", entry->wijk}});
      WEEFSEL_ASSIGN_OR_RETURN(bool marked, store.MarkCensusVoted(id, hash));
      if (!marked)
        return Status::Conflict("census: this resident has voted in round " + R(id) + " already")
            .WithReason("census_voted");
    }
    WEEFSEL_ASSIGN_OR_RETURN(bool first, store.MarkVerifiedVoter(id, p.user));
    if (!first)
      return Status::Conflict("ballot: your account has cast a verified ballot in round " + R(id) +
                              " already; change it with its ballot token")
          .WithReason("verified_ballot_cast");
    sealed.token_hash = voting::KeyedHash(key, "token", token);
    return store.PutSealedBallot(sealed);
  }));
  receipt.ballot_token = std::move(token);
  return receipt;
}

Result<std::vector<RegistrationCluster>> Votes::ClustersOf(const Principal& p, RoundId id, int window_minutes,
                                                           int min_accounts) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (window_minutes < 1 || window_minutes > 7 * 24 * 60)
    return Status::InvalidArgument("window_minutes: must be 1 to 10080 (a week)");
  if (min_accounts < 2 || min_accounts > 1000) return Status::InvalidArgument("min_accounts: must be 2 to 1000");
  ReadLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(NeedOfficer(p, r, core::Action::kReadRegistrations));
  WEEFSEL_ASSIGN_OR_RETURN(auto marks, store.RegistrationMarksOf(r.municipality));
  std::set<UserId> voted, voided;
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, store.BallotsOf(id));
  for (const auto& b : ballots)
    if (b.voter.valid()) voted.insert(b.voter);
  WEEFSEL_ASSIGN_OR_RETURN(auto verified, store.VerifiedVotersOf(id));
  voted.insert(verified.begin(), verified.end());
  WEEFSEL_ASSIGN_OR_RETURN(auto gone, store.VoidedVotersOf(id));
  voided.insert(gone.begin(), gone.end());

  std::vector<RegistrationCluster> out;
  const auto window = std::chrono::minutes(window_minutes);
  RegistrationCluster cur;
  std::string cur_key;
  std::optional<TimePoint> last;
  auto flush = [&] {
    if (static_cast<int>(cur.accounts.size()) >= min_accounts) out.push_back(std::move(cur));
    cur = RegistrationCluster();
  };
  for (const auto& m : marks) {
    auto at = ParseTimestamp(m.registered_at);
    if (!at) continue;  // not written by this program: left out rather than guessed
    if (m.address_key != cur_key || !last || *at - *last > window) {
      flush();
      cur.key = m.address_key.substr(0, 12);
      cur.first_at = m.registered_at;
      cur_key = m.address_key;
    }
    last = *at;
    cur.last_at = m.registered_at;
    ClusterAccount a{m.user, m.display_name, m.registered_at, voted.count(m.user) > 0, voided.count(m.user) > 0};
    cur.voted += a.voted;
    cur.voided += a.voided;
    cur.accounts.push_back(std::move(a));
  }
  flush();
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.accounts.size() > b.accounts.size(); });
  return out;
}

Result<VoidOutcome> Votes::VoidBallots(const Principal& p, RoundId id, std::vector<UserId> users,
                                       const std::string& reason) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  storage::Store& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(NeedOfficer(p, r, core::Action::kVoidBallot));
  if (r.phase == domain::RoundPhase::kPublished)
    return Status::Conflict("phase: round " + R(id) + " is published; its ballots can no longer be voided")
        .WithReason("round_published");
  if (r.eligibility.restricted())
    return Status::Conflict("eligibility.verification: the ballots of round " + R(id) +
                            " are sealed (voting codes, census or DigiD): nothing links a ballot to an account, so "
                            "none can be voided on its own")
        .WithReason("ballots_sealed");
  std::string why(Trim(reason));
  if (why.empty()) return Status::InvalidArgument("reason: required: say why these ballots are voided");
  if (why.size() > 500) return Status::InvalidArgument("reason: at most 500 characters");
  if (users.empty() || users.size() > 1000) return Status::InvalidArgument("users: name 1 to 1000 accounts");
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  for (UserId u : users) {
    auto grants = store.GrantsOf(u);
    if (!grants.ok() && grants.status().code() != StatusCode::kNotFound) return grants.status();
    bool resident = false;
    if (grants.ok())
      for (const auto& g : *grants) resident |= g.role == domain::Role::kResident && g.municipality == r.municipality;
    if (!resident)
      return Status::InvalidArgument("users: account " + std::to_string(u.value()) +
                                     " is not a resident of municipality " + std::to_string(r.municipality.value()));
  }
  VoidOutcome out;
  out.accounts = static_cast<int64_t>(users.size());
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "void", "",
      [&]() -> Status {
        WEEFSEL_ASSIGN_OR_RETURN(out.ballots, store.VoidBallots(id, users));
        return Status::Ok();
      },
      [&] {
        J ids = J::array();
        for (UserId u : users) ids.push_back(u.value());
        return std::make_pair(id.value(), Dump({{"accounts", ids}, {"ballots", out.ballots}, {"reason", why}}));
      }));
  return out;
}

}  // namespace weefsel::service
