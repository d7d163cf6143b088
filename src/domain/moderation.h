// domain/moderation.h: residents' reports, hidden items and blocked accounts.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>

#include "base/ids.h"

namespace weefsel::domain {

// A resident's report of a comment, a proposal or a profile (an account's public face: its display
// name on comments), with a reason, in the queue of one municipality. A report is open until a
// moderator acts on its target: "hidden" when the target was hidden, "dismissed" when the report
// was judged unfounded. The reporter is personal data: never in open data, not shown in the queue.
struct Report {
  int64_t id = 0;
  MunicipalityId municipality;
  std::string target;  // "comment", "proposal" or "profile"
  int64_t target_id = 0;
  UserId reporter;
  std::string reason;
  std::string created_at;
  std::string status = "open";  // open, hidden, dismissed
  UserId resolved_by;
  std::string resolved_at;
};
// A hidden comment, proposal or profile with its public reason. The store returns hidden comments
// and proposals like any other (CommentsOf, ProposalsOf): the service leaves them out of every page
// and export, with HiddenIds / HiddenIdsIn; a hidden profile's display name is replaced by "hidden
// profile" on comments.
struct HiddenItem {
  std::string target;  // as Report::target
  int64_t target_id = 0;
  MunicipalityId municipality;
  std::string reason;  // public: shown where the item was
  UserId hidden_by;
  std::string hidden_at;
};
// A blocked account: it cannot sign in, and its sessions and API tokens are gone.
struct AccountBlock {
  UserId user;
  MunicipalityId municipality;  // whose moderator blocked it (unset: an admin)
  std::string reason;
  UserId blocked_by;
  std::string at;
};

}  // namespace weefsel::domain
