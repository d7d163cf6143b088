// service/notifications/notifications.h: in-app notifications made from the audit log, and the
// daily digest run.
//
// Every change made through service::Platform writes an audit entry (core/context.h); in the same
// transaction NotifyFromAudit turns it into one notification for each user concerned, so a change
// and its notifications are stored together or not at all. Who is concerned (the acting user never
// hears about their own act):
//
//   audit entity / action        kind         recipients
//   coalition / invite           invitation   members of each actor newly invited
//   coalition / accept, decline  coalition    members of the coalition's other invited or accepted actors
//   proposal / comment           comment      authors of the proposal's versions and members of its
//                                             coalition's accepted actors (and the parent comment's author)
//   proposal / status, version   proposal     the same as for comments
//   round / review               review       authors and coalition members of the reviewed project's proposal
//   challenge / create           challenge    everyone with a role (officer, resident) in its municipality
//   challenge / phase            phase        everyone with a role in its municipality
//   round / phase                phase        everyone with a role in its municipality; on "published"
//                                result       instead
//   experiment / evidence        milestone    officers of the municipality (evidence awaits their decision)
//   experiment / release,        milestone    authors and coalition members of the experiment's proposal
//                reject_evidence
//   round / match_campaign       campaign     everyone with a role in its municipality
//   user / grant                 role         the user who received the role
//   introduction / create        introduction members of each of the two actors, naming the other
//   comment, proposal, user,     report       moderators and officers of the municipality (the
//   task_challenge / report                   reporter is not named)
//   (anything else: nobody; supports, ballots and measurements are too frequent to notify)
//
// SendDailyDigests gathers one day's notifications into one message per user (BuildDigests),
// skips users who opted out (UserSettings::digest) and users whose digest of that day is already
// in the outbox as sent, sends the rest and records each result in the outbox, so running it
// twice for a day sends nothing twice and retries only the failures.
// Thread-safety: both functions use the Store they are given, one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "domain/audit.h"
#include "service/core/store_fwd.h"
#include "service/notify.h"

namespace weefsel::service {

// Stores the notifications for audit entry `e` (e.id set); call inside the change's transaction.
Status NotifyFromAudit(storage::Store& store, const domain::AuditEntry& e);

struct DigestRunReport {
  int64_t sent = 0;          // delivered now
  int64_t already_sent = 0;  // in the outbox as sent by an earlier run
  int64_t opted_out = 0;     // users who turned the digest off
  int64_t failed = 0;        // refused or unreachable: in the outbox as failed, retried next run
  std::vector<std::string> errors;
};

// Sends through env.mail() (SmtpSender in the CLI; a Mailbox in tests); env.clock()'s now is the
// time recorded in the outbox.
Result<DigestRunReport> SendDailyDigests(storage::Store& store, const Env& env, const DigestOptions& options);

}  // namespace weefsel::service
