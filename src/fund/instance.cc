#include "fund/instance.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "base/strings.h"

namespace weefsel::fund {

std::string_view VoteTypeCode(VoteType t) {
  switch (t) {
    case VoteType::kApproval:
      return "approval";
    case VoteType::kCumulative:
      return "cumulative";
    case VoteType::kOrdinal:
      return "ordinal";
    case VoteType::kScoring:
      return "scoring";
  }
  return "approval";
}

Result<VoteType> ParseVoteType(std::string_view s) {
  std::string v = ToLowerAscii(Trim(s));
  if (v == "approval") return VoteType::kApproval;
  if (v == "cumulative") return VoteType::kCumulative;
  if (v == "ordinal") return VoteType::kOrdinal;
  if (v == "scoring") return VoteType::kScoring;
  return Status::InvalidArgument("unknown vote type '" + std::string(s) +
                                 "' (expected approval, cumulative, ordinal or scoring)");
}

std::optional<std::string> Instance::Meta(std::string_view key) const {
  for (const auto& [k, v] : meta)
    if (k == key) return v;
  return std::nullopt;
}

int Instance::FindProject(std::string_view id) const {
  for (size_t i = 0; i < projects.size(); ++i)
    if (projects[i].id == id) return static_cast<int>(i);
  return -1;
}

std::optional<Decimal> ParseDecimal(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  Decimal d;
  bool seen_point = false, any_digit = false;
  for (char c : s) {
    if (c == '.' || c == ',') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (d.units > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
    d.units = d.units * 10 + (c - '0');
    if (seen_point) ++d.decimals;
  }
  if (!any_digit) return std::nullopt;
  // Drop trailing zero decimals so "100.00" needs no scale.
  while (d.decimals > 0 && d.units % 10 == 0) {
    d.units /= 10;
    --d.decimals;
  }
  if (neg) d.units = -d.units;
  return d;
}

std::string FormatMoney(int64_t amount, int64_t scale) {
  bool neg = amount < 0;
  uint64_t a = neg ? uint64_t(-(amount + 1)) + 1 : uint64_t(amount);
  std::string s = std::to_string(a / uint64_t(scale));
  uint64_t frac = a % uint64_t(scale);
  if (frac) {
    std::string f = std::to_string(frac);
    int width = 0;
    for (int64_t x = scale; x > 1; x /= 10) ++width;
    f = std::string(width - f.size(), '0') + f;
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return neg ? "-" + s : s;
}

std::vector<int64_t> Utilities(const Instance& in, const Voter& voter) {
  std::vector<int64_t> u(voter.ballot.size());
  int64_t k = static_cast<int64_t>(voter.ballot.size());
  for (size_t r = 0; r < voter.ballot.size(); ++r) {
    const BallotEntry& e = voter.ballot[r];
    switch (in.vote_type) {
      case VoteType::kApproval:
        u[r] = in.projects[e.project].cost;
        break;
      case VoteType::kCumulative:
      case VoteType::kScoring:
        u[r] = e.points;
        break;
      case VoteType::kOrdinal:
        u[r] = k - 1 - static_cast<int64_t>(r);
        break;
    }
  }
  return u;
}

namespace {
domain::BallotKind KindOf(VoteType t) {
  switch (t) {
    case VoteType::kApproval:
      return domain::BallotKind::kApproval;
    case VoteType::kCumulative:
      return domain::BallotKind::kCumulative;
    case VoteType::kOrdinal:
      return domain::BallotKind::kOrdinal;
    case VoteType::kScoring:
      return domain::BallotKind::kScoring;
  }
  return domain::BallotKind::kApproval;
}
VoteType TypeOf(domain::BallotKind k) {
  switch (k) {
    case domain::BallotKind::kApproval:
      return VoteType::kApproval;
    case domain::BallotKind::kCumulative:
      return VoteType::kCumulative;
    case domain::BallotKind::kOrdinal:
      return VoteType::kOrdinal;
    case domain::BallotKind::kScoring:
      return VoteType::kScoring;
  }
  return VoteType::kApproval;
}
int64_t WholeEuros(int64_t amount, int64_t scale) { return (amount + scale - 1) / scale; }
}  // namespace

domain::Round ToRound(const Instance& in) {
  domain::Round r;
  r.name = in.Meta("description").value_or("");
  r.budget_eur = in.budget / in.scale;  // never round a budget up
  r.ballot_kind = KindOf(in.vote_type);
  for (const auto& p : in.projects) {
    domain::RoundProject rp;
    rp.project_id = p.id;
    rp.cost_eur = WholeEuros(p.cost, in.scale);
    rp.category = p.category;
    rp.neighbourhood = p.neighbourhood;
    r.projects.push_back(std::move(rp));
  }
  return r;
}

std::vector<domain::Ballot> ToBallots(const Instance& in) {
  std::vector<domain::Ballot> out;
  out.reserve(in.voters.size());
  for (const auto& v : in.voters) {
    domain::Ballot b;
    b.kind = KindOf(in.vote_type);
    for (size_t r = 0; r < v.ballot.size(); ++r) {
      int64_t points = in.vote_type == VoteType::kOrdinal ? static_cast<int64_t>(r) + 1 : v.ballot[r].points;
      b.entries.push_back({in.projects[v.ballot[r].project].id, points});
    }
    out.push_back(std::move(b));
  }
  return out;
}

Result<Instance> FromRound(const domain::Round& round, const std::vector<domain::Ballot>& ballots) {
  Instance in;
  in.vote_type = TypeOf(round.ballot_kind);
  in.budget = round.budget_eur;
  in.scale = 1;
  in.meta = {{"description", round.name},
             {"budget", std::to_string(round.budget_eur)},
             {"vote_type", std::string(VoteTypeCode(in.vote_type))}};
  if (round.budget_eur < 0) return Status::InvalidArgument("round budget_eur: must not be negative");
  for (const auto& rp : round.projects) {
    if (rp.cost_eur < 0)
      return Status::InvalidArgument("round project " + rp.project_id + " cost_eur: must not be negative");
    if (in.FindProject(rp.project_id) >= 0)
      return Status::InvalidArgument("round project " + rp.project_id + ": listed twice");
    Project p;
    p.id = rp.project_id;
    p.cost = rp.cost_eur;
    p.category = rp.category;
    p.neighbourhood = rp.neighbourhood;
    in.projects.push_back(std::move(p));
  }
  size_t n = 0;
  for (const auto& b : ballots) {
    Voter v;
    v.id = b.voter.valid() ? std::to_string(b.voter.value()) : std::to_string(++n);
    std::vector<std::pair<int64_t, int>> ranked;  // ordinal: (rank, project)
    for (const auto& e : b.entries) {
      int pi = in.FindProject(e.project_id);
      if (pi < 0) return Status::InvalidArgument("ballot " + v.id + " entries: unknown project '" + e.project_id + "'");
      if (e.points < 0) return Status::InvalidArgument("ballot " + v.id + " entries: negative points");
      bool dup = false;
      for (auto& x : v.ballot)
        if (x.project == pi) {
          x.points = e.points;
          dup = true;
        }
      if (dup) continue;
      v.ballot.push_back({pi, in.vote_type == VoteType::kApproval ? 1 : e.points});
    }
    if (in.vote_type == VoteType::kOrdinal) {
      std::stable_sort(v.ballot.begin(), v.ballot.end(),
                       [](const BallotEntry& a, const BallotEntry& b) { return a.points < b.points; });
      for (auto& x : v.ballot) x.points = 1;
    }
    in.voters.push_back(std::move(v));
  }
  return in;
}

}  // namespace weefsel::fund
