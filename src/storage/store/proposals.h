// storage/store/proposals.h: the proposals coalitions write (with their versions), the comments
// on them and residents' supports.
//
// Comments and supports are the frequent small writes: they touch only their proposal's scope.
// Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "base/status.h"
#include "domain/model.h"

namespace weefsel::storage {

// Proposals, comments, supports.
class ProposalStore {
 public:
  virtual ~ProposalStore() = default;

  // Proposals (with their versions).
  virtual Result<ProposalId> Insert(domain::Proposal& p) = 0;
  virtual Status Update(const domain::Proposal& p) = 0;
  virtual Result<domain::Proposal> GetProposal(ProposalId id) = 0;
  virtual Result<std::vector<domain::Proposal>> ProposalsOf(ChallengeId challenge) = 0;
  // Comments on proposals (oldest first), with replies through `parent` (a comment of the same
  // proposal). The author's display name is filled in on read.
  virtual Result<int64_t> Insert(domain::Comment& c) = 0;
  virtual Result<std::vector<domain::Comment>> CommentsOf(ProposalId proposal) = 0;
  // A comment by id, hidden or not (NotFound).
  virtual Result<domain::Comment> GetComment(int64_t id) = 0;
  // The comments an account wrote, oldest first (its own data).
  virtual Result<std::vector<domain::Comment>> CommentsBy(UserId user) = 0;

  // Supports: one per user per proposal (AlreadyExists on a second). AddSupport also counts it in
  // proposals.supports in the same transaction and returns the new count.
  virtual Result<int64_t> AddSupport(ProposalId proposal, UserId user, const std::string& at) = 0;
  virtual Result<bool> HasSupported(ProposalId proposal, UserId user) = 0;
  // Withdraws the user's support (NotFound when there is none), takes it off proposals.supports in
  // the same transaction and returns the new count.
  virtual Result<int64_t> RemoveSupport(ProposalId proposal, UserId user) = 0;
  // The proposals an account supported (its own data).
  virtual Result<std::vector<ProposalId>> SupportsOf(UserId user) = 0;
};

}  // namespace weefsel::storage
