// storage/store/accounts.h: user accounts, their roles, their settings, how they registered,
// and deleting an account while keeping its ballots counted.
//
// Sign-in state (sessions, API tokens, identity-provider links) is in sessions.h; blocks in
// moderation.h. Thread-safety: as Store.
#pragma once

#include <string>
#include <vector>
#include "base/status.h"
#include "domain/account_state.h"
#include "domain/model.h"

namespace weefsel::storage {

using domain::UserSettings;  // domain/account_state.h

// When an account registered itself, and from where: the keyed hash of its address's network
// prefix (service/registration_gate.h), never the address. Kept for a retention period
// (RetentionCutoffs::registrations_before); officers see accounts grouped by it.
struct RegistrationMark {
  UserId user;
  std::string address_key;
  std::string registered_at;  // ISO 8601 UTC
  std::string display_name;   // read only (from the account)
};

// Accounts.
class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Users and their roles. email is unique (case-insensitive).
  virtual Result<UserId> Insert(domain::User& u) = 0;
  virtual Status Update(const domain::User& u) = 0;
  virtual Result<domain::User> GetUser(UserId id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& email) = 0;
  virtual Status Grant(const domain::RoleGrant& g) = 0;
  virtual Status Revoke(const domain::RoleGrant& g) = 0;
  virtual Result<std::vector<domain::RoleGrant>> GrantsOf(UserId user) = 0;
  // Users with any role in a municipality (officer or resident), and the members of an actor;
  // ascending ids, each once.
  virtual Result<std::vector<UserId>> UsersWithRoleIn(MunicipalityId m) = 0;
  virtual Result<std::vector<UserId>> MembersOf(ActorId a) = 0;
  virtual Result<UserSettings> GetUserSettings(UserId user) = 0;  // defaults when none stored
  virtual Status PutUserSettings(const UserSettings& s) = 0;
  // Deletes the account and everything that hangs on it (sessions, tokens, grants, supports,
  // notifications, settings, outbox); comments stay with no author; the user's ballots are moved
  // to a new anonymous voter account (no e-mail of theirs, no name, no password, no roles) so
  // they stay counted without naming anyone. NotFound for an unknown user.
  virtual Status DeleteUserKeepingBallots(UserId user, const std::string& anonymous_key) = 0;

  // Limits against bulk registration.
  // Records how an account registered (one mark per account; AlreadyExists for a second).
  virtual Status PutRegistrationMark(const RegistrationMark& m) = 0;
  // The marks of accounts with a resident role in municipality m, by address key then time.
  virtual Result<std::vector<RegistrationMark>> RegistrationMarksOf(MunicipalityId m) = 0;
};

}  // namespace weefsel::storage
