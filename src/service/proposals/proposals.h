// service/proposals/proposals.h: proposals, their versions, comments and supports.
//
// Proposals are written by members of the coalition's actors and decided by officers; residents
// of the challenge's municipality support them; any signed-in user comments. A proposal hidden by
// a moderator is gone from every public answer.
//
// Ownership: Proposals borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/line_diff.h"
#include "base/status.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class Proposals : private core::Slice {
 public:
  explicit Proposals(core::Context& context) : Slice(context) {}

  // Proposals: written by members of the coalition's actors; supported by residents.
  Result<std::vector<domain::Proposal>> ProposalsOf(ChallengeId challenge);
  Result<domain::Proposal> GetProposal(ProposalId id);
  Result<domain::Proposal> CreateProposal(const Principal& p, CoalitionId coalition, domain::ProposalVersion v);
  Result<domain::Proposal> AddVersion(const Principal& p, ProposalId id, domain::ProposalVersion v);
  // draft -> submitted (coalition members); submitted -> in_round | rejected, in_round -> funded |
  // rejected (officers of the challenge's municipality).
  Result<domain::Proposal> SetProposalStatus(const Principal& p, ProposalId id, const std::string& status);
  Result<std::vector<Comment>> CommentsOf(ProposalId id);
  // Any signed-in user; `parent` (0 = none) makes it a reply to a comment on the same proposal.
  Result<Comment> AddComment(const Principal& p, ProposalId id, const std::string& text, int64_t parent = 0);
  // One support per resident of the challenge's municipality (Conflict on a second).
  Result<domain::Proposal> Support(const Principal& p, ProposalId id);
  // Withdraws the signed-in resident's support (NotFound when they do not support it).
  Result<domain::Proposal> Unsupport(const Principal& p, ProposalId id);
  // Whether the signed-in user supports the proposal.
  Result<bool> Supports(const Principal& p, ProposalId id);

  // A line diff between two versions of a proposal (numbers from 1): title, budget, plan lines,
  // milestones and indicators, each a line; unchanged lines have op ' ', removed '-', added '+'.
  // Bounded (base/line_diff.h): versions that differ in more than 2,000 lines give a coarse diff
  // (minimal = false). Computed outside the platform's lock.
  Result<LineDiffResult> DiffVersions(ProposalId id, int from, int to);
  // A proposal keeps at most this many versions (each diffable against every other).
  static constexpr size_t kMaxVersions = 200;

 private:
  // Support (give) or Unsupport.
  Result<domain::Proposal> ChangeSupport(const Principal& p, ProposalId id, bool give);
};

}  // namespace weefsel::service
