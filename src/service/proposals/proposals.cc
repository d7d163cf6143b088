// service/proposals/proposals.cc: proposals, versions, comments and supports (contract in proposals.h).
#include "service/proposals/proposals.h"

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
#include "service/coalitions/coalitions.h"
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

// A proposal version as lines: what the diff compares.
std::vector<std::string> LinesOf(const domain::ProposalVersion& v) {
  std::vector<std::string> out{"title: " + v.title, "budget_eur: " + std::to_string(v.budget_eur)};
  for (const auto& line : Split(v.plan, '\n')) out.push_back("plan: " + std::string(line));
  for (const auto& m : v.milestones)
    out.push_back("milestone: " + m.title + " (" + m.due + ", " + std::to_string(m.amount_eur) + " EUR)");
  for (const auto& i : v.indicators) out.push_back("indicator: " + i);
  return out;
}

}  // namespace

Result<std::vector<domain::Proposal>> Proposals::ProposalsOf(ChallengeId challenge) {
  ReadLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge ch, store_->GetChallenge(challenge));
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store_->ProposalsOf(challenge));
  // A proposal is hidden in its challenge's municipality: only that municipality's are read.
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIdsIn("proposal", ch.municipality));
  std::erase_if(
      all, [&](const domain::Proposal& x) { return std::binary_search(hidden.begin(), hidden.end(), x.id.value()); });
  return all;
}

Result<domain::Proposal> Proposals::GetProposal(ProposalId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  return store_->GetProposal(id);
}

Result<domain::Proposal> Proposals::CreateProposal(const Principal& p, CoalitionId coalition,
                                                   domain::ProposalVersion v) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Coalition c, store_->GetCoalition(coalition));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kWriteProposal, {.actors = actors}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge challenge, store_->GetChallenge(c.challenge));
  WEEFSEL_RETURN_IF_ERROR(OpenForCoalitions(challenge, "proposals are written"));
  domain::Proposal prop;
  prop.coalition = coalition;
  prop.challenge = c.challenge;
  v.number = 1;
  v.author = p.user;
  v.created_at = Now();
  prop.versions.push_back(std::move(v));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(prop));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, challenge.municipality, "proposal", "create", "", [&] { return store_->Insert(prop).status(); },
      [&] { return std::make_pair(prop.id.value(), Snap(prop)); }));
  return prop;
}

Result<domain::Proposal> Proposals::AddVersion(const Principal& p, ProposalId id, domain::ProposalVersion v) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kReviseProposal, {.actors = actors}));
  if (prop.status != "draft" && prop.status != "submitted")
    return Status::Conflict("proposal.status: a proposal that is " + prop.status + " can no longer be revised")
        .WithReason("proposal_not_revisable", {{"status", prop.status}});
  if (prop.versions.size() >= kMaxVersions)
    return Status::Conflict("proposal.versions: a proposal has at most " + std::to_string(kMaxVersions) +
                            " versions; start a new proposal")
        .WithReason("too_many_versions", {{"max", std::to_string(kMaxVersions)}});
  std::string was = Snap(prop);
  v.number = static_cast<int>(prop.versions.size()) + 1;
  v.author = p.user;
  v.created_at = Now();
  prop.versions.push_back(std::move(v));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(prop));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "proposal", "version", was, [&] { return store_->Update(prop); },
      [&] { return std::make_pair(id.value(), Snap(prop)); }));
  return prop;
}

Result<domain::Proposal> Proposals::SetProposalStatus(const Principal& p, ProposalId id, const std::string& status) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  const std::string& from = prop.status;
  if (status == "submitted") {
    WEEFSEL_ASSIGN_OR_RETURN(auto actors, CoalitionActors(prop.coalition));
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kSubmitProposal, {.actors = actors}));
    if (from != "draft")
      return Status::Conflict("proposal.status: only a draft can be submitted (it is " + from + ")")
          .WithReason("status_move_not_allowed", {{"what", "proposal"}, {"from", from}, {"to", status}});
  } else if (status == "in_round" || status == "rejected" || status == "funded") {
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kDecideProposal, {.municipalities = {m}}));
    bool ok = (status == "in_round" && from == "submitted") ||
              (status == "rejected" && (from == "submitted" || from == "in_round")) ||
              (status == "funded" && (from == "in_round" || from == "submitted"));
    if (!ok)
      return Status::Conflict("proposal.status: cannot go from " + from + " to " + status)
          .WithReason("status_move_not_allowed", {{"what", "proposal"}, {"from", from}, {"to", status}});
  } else {
    return Status::InvalidArgument("status: must be submitted, in_round, funded or rejected");
  }
  std::string was = Snap(prop);
  prop.status = status;
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "proposal", "status", was, [&] { return store_->Update(prop); },
      [&] { return std::make_pair(id.value(), Snap(prop)); }));
  return prop;
}

Result<std::vector<Comment>> Proposals::CommentsOf(ProposalId id) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(auto all, store_->CommentsOf(id));
  // Moderation: hidden comments are gone; a hidden profile's name is not shown.
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> hidden, store_->HiddenIdsIn("comment", m));
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<int64_t> profiles, store_->HiddenIds("profile"));
  std::erase_if(all, [&](const Comment& c) { return std::binary_search(hidden.begin(), hidden.end(), c.id); });
  for (auto& c : all)
    if (c.author.valid() && std::binary_search(profiles.begin(), profiles.end(), c.author.value()))
      c.author_name = "hidden profile";
  return all;
}

Result<Comment> Proposals::AddComment(const Principal& p, ProposalId id, const std::string& text, int64_t parent) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kComment, {}));
  Comment c;
  c.proposal = id;
  c.parent = parent;
  c.author = p.user;
  c.author_name = p.display_name;
  c.text = std::string(Trim(text));
  c.created_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(c));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfProposal(id));
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  if (parent > 0) {
    WEEFSEL_ASSIGN_OR_RETURN(bool gone, IsHidden("comment", parent));
    if (gone) return Status::InvalidArgument("comment.parent: comment " + std::to_string(parent) + " does not exist");
  }
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "proposal", "comment", "", [&] { return store_->Insert(c).status(); },
      [&] {
        return std::make_pair(id.value(), Dump({{"comment", c.id}, {"parent", c.parent}, {"text", c.text}}));
      }));
  return c;
}

Result<domain::Proposal> Proposals::Support(const Principal& p, ProposalId id) { return ChangeSupport(p, id, true); }

Result<domain::Proposal> Proposals::Unsupport(const Principal& p, ProposalId id) { return ChangeSupport(p, id, false); }

// Giving and withdrawing a support: the same rights and the same audit entry, one store call apart.
Result<domain::Proposal> Proposals::ChangeSupport(const Principal& p, ProposalId id, bool give) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Proposal prop, store_->GetProposal(id));
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  WEEFSEL_ASSIGN_OR_RETURN(MunicipalityId m, MunicipalityOfChallenge(prop.challenge));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kSupportProposal, {.municipalities = {m}}));
  std::string was = Snap(prop);
  Result<int64_t> count = 0;
  Status s = Logged(
      p, m, "proposal", give ? "support" : "unsupport", was,
      [&] {
        count = give ? store_->AddSupport(id, p.user, Now()) : store_->RemoveSupport(id, p.user);
        return count.status();
      },
      [&] {
        prop.supports = *count;
        return std::make_pair(id.value(), Snap(prop));
      });
  if (give && s.code() == StatusCode::kAlreadyExists)
    return Status::Conflict("support: you already support proposal " + std::to_string(id.value()))
        .WithReason("already_supports", {{"proposal", std::to_string(id.value())}});
  if (!give && s.code() == StatusCode::kNotFound && StartsWith(s.message(), "support:"))
    return Status::NotFound("support: you do not support proposal " + std::to_string(id.value()))
        .WithReason("not_supporting", {{"proposal", std::to_string(id.value())}});
  WEEFSEL_RETURN_IF_ERROR(s);
  return prop;
}

Result<bool> Proposals::Supports(const Principal& p, ProposalId id) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAskSupport, {}));
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetProposal(id).status());
  WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
  return store_->HasSupported(id, p.user);
}

Result<LineDiffResult> Proposals::DiffVersions(ProposalId id, int from, int to) {
  domain::Proposal prop;
  {
    ReadLock lock(*this);
    WEEFSEL_RETURN_IF_ERROR(VisibleProposal(id));
    WEEFSEL_ASSIGN_OR_RETURN(prop, store_->GetProposal(id));
  }
  int n = static_cast<int>(prop.versions.size());
  if (from < 1 || from > n)
    return Status::InvalidArgument("from: proposal " + std::to_string(id.value()) + " has versions 1 to " +
                                   std::to_string(n));
  if (to < 1 || to > n)
    return Status::InvalidArgument("to: proposal " + std::to_string(id.value()) + " has versions 1 to " +
                                   std::to_string(n));
  return LineDiff(LinesOf(prop.versions[from - 1]), LinesOf(prop.versions[to - 1]));
}

}  // namespace weefsel::service
