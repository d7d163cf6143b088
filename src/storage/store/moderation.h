// storage/store/moderation.h: residents' reports, hidden items and blocked accounts.
//
// Reports and blocks are account state (DataVersion() stays); hiding and restoring change public
// answers, so they change DataVersion(). Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>
#include "base/status.h"
#include "domain/model.h"
#include "domain/moderation.h"

namespace weefsel::storage {

using domain::AccountBlock;  // domain/moderation.h
using domain::HiddenItem;    // domain/moderation.h
using domain::Report;        // domain/moderation.h

// Moderation.
class ModerationStore {
 public:
  virtual ~ModerationStore() = default;

  // Assigns r.id; AlreadyExists when the reporter has an open report on the same target.
  virtual Result<int64_t> Insert(Report& r) = 0;
  virtual Result<Report> GetReport(int64_t id) = 0;  // NotFound
  // The reports of a municipality, oldest first; `status` "" gives every status.
  virtual Result<std::vector<Report>> ReportsIn(MunicipalityId m, const std::string& status) = 0;
  // The reports an account made, oldest first (its own data: GET /me/data).
  virtual Result<std::vector<Report>> ReportsBy(UserId reporter) = 0;
  // Closes the open reports of a target (or the one report `id` when id > 0) with `status`;
  // returns how many changed.
  virtual Result<int64_t> ResolveReports(const std::string& target, int64_t target_id, int64_t id,
                                         const std::string& status, UserId by, const std::string& at) = 0;
  virtual Status Hide(const HiddenItem& h) = 0;                             // AlreadyExists when hidden already
  virtual Status Unhide(const std::string& target, int64_t target_id) = 0;  // NotFound when not hidden
  virtual Result<HiddenItem> GetHidden(const std::string& target, int64_t target_id) = 0;  // NotFound
  virtual Result<std::vector<HiddenItem>> HiddenIn(MunicipalityId m) = 0;                  // oldest first
  // The ids of every hidden item of one kind ("comment", "proposal", "profile"), ascending.
  virtual Result<std::vector<int64_t>> HiddenIds(const std::string& target) = 0;
  // The same, of the items hidden in one municipality (what a list of that municipality's
  // proposals or comments needs; profiles are hidden platform-wide: use HiddenIds).
  virtual Result<std::vector<int64_t>> HiddenIdsIn(const std::string& target, MunicipalityId m) = 0;
  // One page of a municipality's moderation queue: the targets with an open report or hidden in
  // it, each once, ordered by their first open report or hiding (then target, id), with the
  // queue's length. Read in the store so that a long queue is not read whole for one page.
  struct QueuePage {
    int64_t total = 0;
    std::vector<std::pair<std::string, int64_t>> targets;
  };
  virtual Result<QueuePage> ModerationTargets(MunicipalityId m, int64_t limit, int64_t offset) = 0;
  // The open reports of one target, oldest first.
  virtual Result<std::vector<Report>> OpenReportsOn(const std::string& target, int64_t target_id) = 0;
  // Blocks an account and deletes its sessions and API tokens (AlreadyExists when blocked).
  virtual Status Block(const AccountBlock& b) = 0;
  virtual Status Unblock(UserId user) = 0;                 // NotFound when not blocked
  virtual Result<AccountBlock> GetBlock(UserId user) = 0;  // NotFound when not blocked
};

}  // namespace weefsel::storage
