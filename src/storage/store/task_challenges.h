// storage/store/task_challenges.h: the Right to Challenge (domain/task_challenge.h): a
// municipality's tasks and the challenges residents file to take one over.
//
// Writes change the scopes "tasks" / "task_challenges", the one task challenge and the
// municipality's programme. Thread-safety: as Store.
#pragma once

#include <vector>
#include "base/status.h"
#include "domain/model.h"
#include "domain/task_challenge.h"

namespace weefsel::storage {

// Right to Challenge.
class TaskChallengeStore {
 public:
  virtual ~TaskChallengeStore() = default;

  virtual Result<TaskId> Insert(domain::MunicipalTask& t) = 0;  // assigns t.id
  virtual Status Update(const domain::MunicipalTask& t) = 0;    // NotFound
  virtual Result<domain::MunicipalTask> GetTask(TaskId id) = 0;
  virtual Result<std::vector<domain::MunicipalTask>> TasksOf(MunicipalityId m) = 0;  // by id
  virtual Result<TaskChallengeId> Insert(domain::TaskChallenge& c) = 0;              // assigns c.id
  virtual Status Update(const domain::TaskChallenge& c) = 0;                         // NotFound
  virtual Result<domain::TaskChallenge> GetTaskChallenge(TaskChallengeId id) = 0;
  // The challenges filed in m (every municipality when m is unset), by id.
  virtual Result<std::vector<domain::TaskChallenge>> TaskChallengesOf(MunicipalityId m) = 0;
  // The challenge whose agreement made this proposal; NotFound when none did.
  virtual Result<domain::TaskChallenge> TaskChallengeOfProposal(ProposalId p) = 0;
  // The municipality's step days (empty map when it set none).
  virtual Result<domain::TaskChallengeSettings> GetTaskChallengeSettings(MunicipalityId m) = 0;
  virtual Status PutTaskChallengeSettings(const domain::TaskChallengeSettings& s) = 0;
};

}  // namespace weefsel::storage
