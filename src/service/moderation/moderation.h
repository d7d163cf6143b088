// service/moderation/moderation.h: reports, the moderation queue, hiding and restoring, blocking accounts.
//
// Issue 20; docs/api.md, "Moderation". Reporters are not named; every decision is audited.
//
// Ownership: Moderation borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "domain/moderation.h"
#include "service/core/context.h"

namespace weefsel::service {

// One reported or hidden item in a municipality's moderation queue. Reporters are not named.
struct ModerationItem {
  std::string target;  // "comment", "proposal" or "profile"
  int64_t target_id = 0;
  MunicipalityId municipality;
  std::string excerpt;  // the comment's text, the proposal's current title, the profile's display name
  ProposalId proposal;  // the proposal it is shown on (comment, proposal)
  UserId author;        // who wrote it (comment, proposal's current version) or whose profile it is
  std::string author_name;
  bool author_blocked = false;
  std::vector<domain::Report> reports;       // its open reports, oldest first (reporter cleared)
  std::optional<domain::HiddenItem> hidden;  // set while hidden
};

// One page of a municipality's moderation queue and the queue's length.
struct ModerationPage {
  int64_t total = 0;
  std::vector<ModerationItem> items;
};

class Moderation : private core::Slice {
 public:
  explicit Moderation(core::Context& context) : Slice(context) {}

  // Any signed-in user reports a comment, a proposal or a profile (target "profile", id = the
  // account) with a reason (1 to 1000 characters) into the queue of the municipality it belongs to
  // (a profile: `municipality` if given, else the account's municipality, else the reporter's).
  // Refused: an unknown or hidden target (NotFound), one's own content or profile and a second open
  // report of the same target by the same person (Conflict).
  Result<domain::Report> ReportContent(const Principal& p, const std::string& target, int64_t id,
                                       const std::string& reason, MunicipalityId municipality = {});
  // The queue of municipality m (its moderators, officers and admins): every item with open
  // reports and every hidden item, oldest report first.
  Result<ModerationPage> ModerationQueue(const Principal& p, MunicipalityId m, int64_t limit, int64_t offset);
  // Moderators (and officers) of the item's municipality hide it with a public reason (its open
  // reports are closed as "hidden") or restore it. Hiding twice or restoring what is not hidden is a
  // Conflict. A profile belongs to every municipality where the account has a role or was reported.
  Result<domain::HiddenItem> Hide(const Principal& p, const std::string& target, int64_t id, const std::string& reason);
  Status Restore(const Principal& p, const std::string& target, int64_t id);
  // Closes one open report without hiding its target (Conflict when it is closed already).
  Result<domain::Report> DismissReport(const Principal& p, int64_t report);
  // Blocks an account: it can no longer sign in, and its sessions and tokens end at once. The same
  // rights as hiding its profile; one's own account, admins and officers cannot be blocked
  // (PermissionDenied); a blocked account again is a Conflict, as is unblocking one that is not.
  Result<domain::AccountBlock> BlockAccount(const Principal& p, UserId user, const std::string& reason);
  Status UnblockAccount(const Principal& p, UserId user);
  // What the public may know of moderation on a proposal's page (no text, no author): whether the
  // proposal is hidden and why, and the public reasons of its hidden comments (by comment id).
  struct PublicHidden {
    std::optional<domain::HiddenItem> proposal;
    std::vector<domain::HiddenItem> comments;
  };
  Result<PublicHidden> HiddenOnProposal(ProposalId id);
};

}  // namespace weefsel::service
