// service/rounds/receipts.cc: the receipt a resident gets for a ballot in an open round, and the list of
// receipt codes a round publishes once voting has closed (issue 18; docs/decisions/0007-ballot-receipt.md).
//
// A receipt code is hex(BLAKE2b-256(key = round key, "receipt\n" + the ballot as stored)), its first
// 64 bits written "XXXX-XXXX-XXXX-XXXX". The round key is the one of the round's voting codes
// (service/voting.h: the server's vote key and the round's random salt), so nobody without the
// database and the vote key can recompute a code from a guessed ballot. The codes are computed from
// the ballots as they are stored, never stored themselves: a ballot changed or dropped after the
// vote no longer gives the code its voter holds.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "base/strings.h"
#include "service/core/policy.h"
#include "service/rounds/rounds.h"
#include "service/votes.h"
#include "service/voting.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

// Everything the ballot says and whose it is: round, voter, time, kind and entries in order.
std::string ReceiptText(const domain::Ballot& b) {
  std::string s = std::to_string(b.round.value()) + "|" + std::to_string(b.voter.value()) + "|" + b.cast_at + "|" +
                  std::string(domain::BallotKindCode(b.kind));
  for (const auto& e : b.entries) s += "|" + e.project_id + ":" + std::to_string(e.points);
  return s;
}

std::string CodeOf(const std::string& round_key, const domain::Ballot& b) {
  std::string hex = voting::KeyedHash(round_key, "receipt", ReceiptText(b)).substr(0, 16);
  std::string out;
  for (size_t i = 0; i < hex.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  }
  return out;
}

}  // namespace

Result<std::string> Rounds::ReceiptKey(RoundId id) {
  {
    ReadLock lock(*this);
    WEEFSEL_ASSIGN_OR_RETURN(std::string salt, store_->GetRoundSalt(id));
    if (!salt.empty()) return voting::RoundKey(options_.vote_key, salt);
  }
  // A round that needed no key until now (an open round's first receipt): its salt is made once.
  WriteLock lock(*this);
  return RoundKeyOf(*store_, id, options_.vote_key, voting::SystemRandom());
}

Result<Rounds::Receipt> Rounds::OwnReceipt(const Principal& p, RoundId id) {
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kOwnData, {}));
  domain::Round r;
  std::optional<domain::Ballot> mine;
  {
    ReadLock lock(*this);  // the account's own ballots, not the round's
    WEEFSEL_ASSIGN_OR_RETURN(r, store_->GetRound(id));
    WEEFSEL_ASSIGN_OR_RETURN(auto own, store_->BallotsBy(p.user));
    for (auto& b : own)
      if (b.round == id) mine = std::move(b);
  }
  if (!p.user.valid() || !mine)
    return Status::NotFound("ballot: you have no ballot under your account in round " + std::to_string(id.value()) +
                            (r.eligibility.restricted() ? " (a sealed ballot is kept under its ballot token)" : ""));
  WEEFSEL_ASSIGN_OR_RETURN(std::string key, ReceiptKey(id));
  Receipt out;
  out.round = id;
  out.code = CodeOf(key, *mine);
  out.kind = mine->kind;
  out.entries = mine->entries;
  out.cast_at = mine->cast_at;
  for (const auto& e : mine->entries) {
    if (e.points <= 0) continue;
    for (const auto& proj : r.projects)
      if (proj.project_id == e.project_id) out.total_eur += proj.cost_eur;
  }
  return out;
}

Result<std::vector<std::string>> Rounds::Receipts(RoundId id) {
  std::vector<domain::Ballot> ballots;
  {
    ReadLock lock(*this);
    WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
    if (r.phase != domain::RoundPhase::kAllocation && r.phase != domain::RoundPhase::kPublished)
      return Status::Conflict("round.phase: the receipt codes are published when voting has closed");
    WEEFSEL_ASSIGN_OR_RETURN(ballots, store_->BallotsOf(id));
  }
  std::vector<std::string> codes;
  bool any = std::any_of(ballots.begin(), ballots.end(), [](const domain::Ballot& b) { return b.voter.valid(); });
  if (!any) return codes;
  WEEFSEL_ASSIGN_OR_RETURN(std::string key, ReceiptKey(id));
  for (const auto& b : ballots)
    if (b.voter.valid()) codes.push_back(CodeOf(key, b));  // sealed ballots have their ballot token
  std::sort(codes.begin(), codes.end());                   // the order says nothing about who voted when
  return codes;
}

}  // namespace weefsel::service
