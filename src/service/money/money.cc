// service/money/money.cc: the programme's money (contract in money.h).
#include "service/money/money.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/strings.h"
#include "fund/match_funding.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using core::Dump;
using core::IdOrNull;
using core::Snap;
using domain::Role;
using J = nlohmann::json;

namespace {

std::string Num(int64_t v) { return std::to_string(v); }
std::string M(MunicipalityId m) { return std::to_string(m.value()); }

// Seconds since the epoch of "YYYY-MM-DD" (at `seconds` into that day) or "YYYY-MM-DDTHH:MM:SSZ".
std::optional<int64_t> EpochOf(std::string_view s, int64_t seconds = 0) {
  if (s.size() < 10 || !IsIsoDate(s.substr(0, 10))) return std::nullopt;
  auto y = ParseInt(s.substr(0, 4)), mo = ParseInt(s.substr(5, 2)), d = ParseInt(s.substr(8, 2));
  if (!y || !mo || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*y)),
                                  std::chrono::month(static_cast<unsigned>(*mo)),
                                  std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t days = std::chrono::sys_days(ymd).time_since_epoch().count();
  if (s.size() >= 19 && s[10] == 'T') {
    auto h = ParseInt(s.substr(11, 2)), mi = ParseInt(s.substr(14, 2)), se = ParseInt(s.substr(17, 2));
    if (!h || !mi || !se) return std::nullopt;
    seconds = *h * 3600 + *mi * 60 + *se;
  }
  return days * 86400 + seconds;
}

}  // namespace

Result<int64_t> FundedAmountLocked(storage::Store& store, ProposalId proposal) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store.GetProposal(proposal));
  WEEFSEL_ASSIGN_OR_RETURN(auto rows, store.AllocationsOfProposal(proposal));
  if (!rows.empty()) {
    int64_t sum = 0;
    for (const auto& a : rows) sum += a.amount_eur;
    return sum;
  }
  if (prop.status == "funded" && !prop.versions.empty()) return prop.versions.back().budget_eur;
  return 0;
}

Result<domain::Round> Money::AddProposalToRound(const Principal& p, RoundId id, ProposalId proposal) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kFillRound, {.municipalities = {r.municipality}}));
  auto prop_or = store_->GetProposal(proposal);
  if (prop_or.ok()) {
    WEEFSEL_ASSIGN_OR_RETURN(bool hidden, IsHidden("proposal", proposal.value()));
    if (hidden) prop_or = Status::NotFound("");  // hidden by a moderator: as if it did not exist
  }
  if (prop_or.status().code() == StatusCode::kNotFound)
    return Status::InvalidArgument("proposal: proposal " + Num(proposal.value()) + " does not exist")
        .WithReason("not_found", {{"what", "proposal"}, {"id", Num(proposal.value())}});
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, std::move(prop_or));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, store_->GetChallenge(prop.challenge));
  if (challenge.municipality != r.municipality)
    return Status::InvalidArgument("proposal: proposal " + Num(proposal.value()) +
                                   " answers a challenge of municipality " + M(challenge.municipality) +
                                   ", not of the round's municipality " + M(r.municipality));
  if (r.phase != domain::RoundPhase::kSubmission)
    return Status::Conflict("phase: round " + Num(id.value()) + " is in phase " +
                            std::string(domain::RoundPhaseCode(r.phase)) +
                            "; proposals enter a round in its submission phase")
        .WithReason("wrong_round_phase",
                    {{"phase", std::string(domain::RoundPhaseCode(r.phase))}, {"needs", "submission"}});
  if (challenge.phase != domain::ChallengePhase::kProposals)
    return Status::Conflict("phase: challenge " + Num(challenge.id.value()) + " is " +
                            std::string(domain::ChallengePhaseCode(challenge.phase)) +
                            "; its proposals enter a round in its proposals phase")
        .WithReason("wrong_challenge_phase",
                    {{"phase", std::string(domain::ChallengePhaseCode(challenge.phase))}, {"needs", "proposals"}});
  bool listed = std::any_of(r.projects.begin(), r.projects.end(),
                            [&](const domain::RoundProject& x) { return x.proposal == proposal; });
  if (listed)
    return Status::Conflict("proposal: proposal " + Num(proposal.value()) + " is already a project of round " +
                            Num(id.value()))
        .WithReason("already_in_round", {{"proposal", Num(proposal.value())}, {"round", Num(id.value())}});
  if (prop.status != "submitted")
    return Status::Conflict("proposal.status: only a submitted proposal enters a round (proposal " +
                            Num(proposal.value()) + " is " + prop.status + ")")
        .WithReason("wrong_proposal_status", {{"status", prop.status}, {"needs", "submitted"}});
  const domain::ProposalVersion& v = prop.versions.back();
  if (v.budget_eur <= 0)
    return Status::InvalidArgument("proposal.budget_eur: proposal " + Num(proposal.value()) +
                                   " has no budget; a project needs a cost");
  domain::RoundProject project;
  project.project_id = "proposal-" + Num(proposal.value());
  project.proposal = proposal;
  project.title = v.title;
  project.cost_eur = v.budget_eur;
  project.neighbourhood = challenge.area;
  bool taken = std::any_of(r.projects.begin(), r.projects.end(),
                           [&](const domain::RoundProject& x) { return x.project_id == project.project_id; });
  if (taken)
    return Status::Conflict("proposal: round " + Num(id.value()) + " already has a project '" + project.project_id +
                            "'")
        .WithReason("already_in_round", {{"proposal", Num(proposal.value())}, {"round", Num(id.value())}});
  std::string round_was = Snap(r), prop_was = Snap(prop);
  r.projects.push_back(std::move(project));
  prop.status = "in_round";
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(r));
  WEEFSEL_RETURN_IF_ERROR(store_->Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(Logged(
        p, r.municipality, "round", "add_proposal", round_was, [&] { return store_->Update(r); },
        [&] { return std::make_pair(id.value(), Snap(r)); }));
    return Logged(
        p, r.municipality, "proposal", "status", prop_was, [&] { return store_->Update(prop); },
        [&] { return std::make_pair(proposal.value(), Snap(prop)); });
  }));
  return r;
}

Result<std::vector<storage::Allocation>> Money::AllocationsOf(RoundId round) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(round).status());
  return store_->AllocationsOf(round);
}

Result<int64_t> Money::FundedAmount(ProposalId proposal) {
  ReadLock lock(*this);
  return FundedAmountLocked(*store_, proposal);
}

Result<MunicipalityOverview> Money::Overview(MunicipalityId m) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(m).status());
  MunicipalityOverview out;
  out.municipality = m;
  for (auto phase :
       {domain::ChallengePhase::kOpen, domain::ChallengePhase::kMatching, domain::ChallengePhase::kForming,
        domain::ChallengePhase::kProposals, domain::ChallengePhase::kFunded, domain::ChallengePhase::kExperiment,
        domain::ChallengePhase::kEvaluated, domain::ChallengePhase::kClosed})
    out.challenges_per_phase[std::string(domain::ChallengePhaseCode(phase))] = 0;
  storage::ListQuery q;
  q.municipality = m;
  WEEFSEL_ASSIGN_OR_RETURN(auto rounds, store_->ListRounds(q));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIdsIn("proposal", m));
  auto is_hidden = [&](ProposalId id) {
    return id.valid() && std::binary_search(hidden.begin(), hidden.end(), id.value());
  };
  for (const auto& r : rounds) {
    if (r.phase != domain::RoundPhase::kPublished) continue;
    ++out.published_rounds;
    WEEFSEL_ASSIGN_OR_RETURN(auto rows, store_->AllocationsOf(r.id));
    for (const auto& a : rows) {
      CommitmentLine line{"round", r.id, r.name, a.project_id, a.proposal, a.project_id};
      line.amount_eur = a.amount_eur;
      for (const auto& project : r.projects)
        if (project.project_id == a.project_id && !project.title.empty()) line.title = project.title;
      // The money stays counted; the title of a hidden proposal is left out.
      if (is_hidden(a.proposal)) {
        line.title.clear();
        line.hidden = true;
      }
      out.committed_eur += a.amount_eur;
      out.commitments.push_back(std::move(line));
    }
  }
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, store_->ListChallenges(q));
  std::map<ProposalId, std::string> titles;
  for (const auto& c : challenges) {
    ++out.challenges_per_phase[std::string(domain::ChallengePhaseCode(c.phase))];
    WEEFSEL_ASSIGN_OR_RETURN(auto props, store_->ProposalsOf(c.id));
    for (const auto& prop : props) {
      titles[prop.id] = prop.versions.empty() ? "" : prop.versions.back().title;
      if (prop.status != "funded" || prop.versions.empty()) continue;
      // Funded by an officer outside any round: its budget is committed (FundedAmountLocked).
      WEEFSEL_ASSIGN_OR_RETURN(auto allocated, store_->AllocationsOfProposal(prop.id));
      if (!allocated.empty()) continue;  // a round winner: counted with its round
      const auto& v = prop.versions.back();
      out.committed_eur += v.budget_eur;
      CommitmentLine line{"proposal", RoundId(), "", "", prop.id, is_hidden(prop.id) ? "" : v.title};
      line.hidden = is_hidden(prop.id);
      line.amount_eur = v.budget_eur;
      out.commitments.push_back(std::move(line));
    }
  }
  WEEFSEL_ASSIGN_OR_RETURN(auto experiments, store_->ListExperiments({}));
  for (const auto& e : experiments) {
    auto title = titles.find(e.proposal);
    if (title == titles.end()) continue;  // another municipality's
    ExperimentOverview x;
    x.id = e.id;
    x.proposal = e.proposal;
    x.hidden = is_hidden(e.proposal);
    x.title = x.hidden ? "" : title->second;
    x.status = e.status;
    WEEFSEL_ASSIGN_OR_RETURN(x.funded_eur, FundedAmountLocked(*store_, e.proposal));
    WEEFSEL_ASSIGN_OR_RETURN(auto evidence, store_->EvidenceOf(e.id));
    for (const auto& ev : evidence) x.released_eur += ev.released_eur;
    out.released_eur += x.released_eur;
    for (const auto& i : e.indicators) {
      IndicatorProgress ip;
      ip.id = i.id;
      ip.name = i.name;
      ip.unit = i.unit;
      ip.baseline = i.baseline;
      ip.target = i.target;
      for (const auto& meas : i.measurements)
        if (!ip.latest || meas.date >= ip.latest->date) ip.latest = meas;  // the last recorded wins a tie
      if (ip.latest && i.target != i.baseline) ip.progress = (ip.latest->value - i.baseline) / (i.target - i.baseline);
      x.indicators.push_back(std::move(ip));
    }
    out.experiments.push_back(std::move(x));
  }
  out.remaining_eur = out.committed_eur - out.released_eur;
  return out;
}

Result<storage::MatchCampaign> Money::CreateMatchCampaign(const Principal& p, storage::MatchCampaign c) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  c.name = std::string(Trim(c.name));
  if (c.name.empty()) return Status::InvalidArgument("campaign.name: must not be empty");
  if (c.name.size() > 200) return Status::InvalidArgument("campaign.name: at most 200 bytes");
  if (c.ratio_num <= 0 || c.ratio_num > 100)
    return Status::InvalidArgument("campaign.ratio_num: must be between 1 and 100");
  if (c.ratio_den <= 0 || c.ratio_den > 100)
    return Status::InvalidArgument("campaign.ratio_den: must be between 1 and 100");
  constexpr int64_t kMaxEur = 1'000'000'000'000;  // keeps cents far from overflow
  if (c.campaign_cap_eur < 0 || c.campaign_cap_eur > kMaxEur)
    return Status::InvalidArgument("campaign.campaign_cap_eur: must be 0 (no cap) or a positive amount");
  if (c.fund_eur <= 0 || c.fund_eur > kMaxEur) return Status::InvalidArgument("campaign.fund_eur: must be positive");
  if (!EpochOf(c.deadline) || c.deadline.size() != 10)
    return Status::InvalidArgument("campaign.deadline: '" + c.deadline + "' is not a date YYYY-MM-DD");
  auto now = EpochOf(Now());
  if (now && *EpochOf(c.deadline, 86399) < *now)
    return Status::InvalidArgument("campaign.deadline: " + c.deadline + " has passed");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(c.round));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kOpenCampaign, {.municipalities = {r.municipality}}));
  if (r.phase == domain::RoundPhase::kPublished)
    return Status::Conflict("phase: round " + Num(r.id.value()) + " is published; campaigns run beside open rounds");
  c.id = 0;
  c.municipality = r.municipality;
  c.created_at = Now();
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, r.municipality, "round", "match_campaign", "", [&] { return store_->Insert(c).status(); },
      [&] { return std::make_pair(r.id.value(), Snap(c)); }));
  return c;
}

Result<std::vector<storage::MatchCampaign>> Money::MatchCampaignsOf(RoundId round) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetRound(round).status());
  return store_->MatchCampaignsOf(round);
}

Result<storage::MatchPledge> Money::Pledge(const Principal& p, int64_t campaign, const std::string& project_id,
                                           int64_t amount_eur) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (amount_eur <= 0) return Status::InvalidArgument("pledge.amount_eur: must be positive");
  if (amount_eur > 1'000'000) return Status::InvalidArgument("pledge.amount_eur: at most 1000000 EUR per pledge");
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(storage::MatchCampaign c, store_->GetMatchCampaign(campaign));
  // The scope's actors: the caller's actors that belong to the campaign's municipality.
  core::Scope scope{.municipalities = {c.municipality}};
  for (const auto& g : p.grants) {
    if (g.role != domain::Role::kActorMember || !g.actor.valid()) continue;
    auto a = store_->GetActor(g.actor);
    if (a.ok() && a->municipality == c.municipality) scope.actors.push_back(g.actor);
  }
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kPledge, scope));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(c.round));
  bool known = std::any_of(r.projects.begin(), r.projects.end(),
                           [&](const domain::RoundProject& x) { return x.project_id == project_id; });
  if (!known) return Status::InvalidArgument("pledge.project_id: '" + project_id + "' is not a project of the round");
  std::string now = Now();
  auto deadline = EpochOf(c.deadline, 86399), at = EpochOf(now);
  if (!deadline || !at) return Status::Internal("campaign " + Num(campaign) + ": unreadable deadline or clock");
  if (*at > *deadline)
    return Status::Conflict("deadline: campaign " + Num(campaign) + " closed at the end of " + c.deadline)
        .WithReason("campaign_closed", {{"deadline", c.deadline}});
  storage::MatchPledge pledge;
  pledge.campaign = campaign;
  pledge.project_id = project_id;
  pledge.backer = p.user;
  pledge.amount_eur = amount_eur;
  pledge.at = now;
  // The audit names the pledge and its amount, not the backer's name (the entry's user is the actor).
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, c.municipality, "round", "pledge", "", [&] { return store_->Insert(pledge).status(); },
      [&] {
        return std::make_pair(c.round.value(), Dump({{"campaign", campaign},
                                                     {"pledge", pledge.id},
                                                     {"project_id", project_id},
                                                     {"amount_eur", amount_eur}}));
      }));
  return pledge;
}

Result<MatchStanding> Money::MatchStandingOf(int64_t campaign) {
  ReadLock lock(*this);
  MatchStanding out;
  WEEFSEL_ASSIGN_OR_RETURN(out.campaign, store_->GetMatchCampaign(campaign));
  const storage::MatchCampaign& c = out.campaign;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round r, store_->GetRound(c.round));
  WEEFSEL_ASSIGN_OR_RETURN(auto pledges, store_->PledgesOf(campaign));
  auto deadline = EpochOf(c.deadline, 86399);
  out.at = Now();
  auto now = EpochOf(out.at);
  if (!deadline || !now) return Status::Internal("campaign " + Num(campaign) + ": unreadable deadline or clock");
  fund::MatchPolicy policy;
  policy.ratio_num = c.ratio_num;
  policy.ratio_den = c.ratio_den;
  policy.campaign_cap = c.campaign_cap_eur * 100;
  policy.fund_cap = c.fund_eur * 100;
  std::vector<fund::Campaign> campaigns;
  for (const auto& project : r.projects) {
    campaigns.push_back({project.project_id, project.cost_eur * 100, *deadline});
    MatchStanding::Project x;
    x.project_id = project.project_id;
    x.title = project.title;
    x.cost_eur = project.cost_eur;
    out.projects.push_back(std::move(x));
  }
  std::vector<fund::Pledge> engine_pledges;
  for (const auto& pl : pledges) {
    auto at = EpochOf(pl.at);
    if (!at) return Status::Internal("pledge " + Num(pl.id) + ": unreadable time '" + pl.at + "'");
    char id[24];
    snprintf(id, sizeof id, "%012lld", static_cast<long long>(pl.id));  // string order = pledge order
    engine_pledges.push_back({id, pl.project_id, "u" + Num(pl.backer.value()), pl.amount_eur * 100, *at});
    for (auto& x : out.projects)
      if (x.project_id == pl.project_id) ++x.pledges;
  }
  WEEFSEL_ASSIGN_OR_RETURN(fund::Settlement s, fund::SettleMatchFunding(policy, campaigns, engine_pledges, *now));
  for (size_t i = 0; i < s.campaigns.size() && i < out.projects.size(); ++i) {
    out.projects[i].result = std::move(s.campaigns[i]);
    for (auto& refund : out.projects[i].result.refunds) refund.backer.clear();  // no personal data
  }
  out.fund_used_cents = s.fund_used;
  out.fund_left_cents = s.fund_left;
  return out;
}

}  // namespace weefsel::service
