// service/notify.h: notifications by e-mail as one daily digest per user, and the SMTP sender.
//
// Users of civic platforms complain most about message floods, so weefsel never sends a message per
// event: the events of a day (an invitation, a comment on your proposal, a phase change of a round
// you voted in) are gathered into one digest per user, grouped by kind, newest first, in the user's
// language. BuildDigests is pure. SmtpSender (base/env.h's Mailer) delivers through libcurl's SMTP: plain, STARTTLS
// (required, never a silent fall back to plain text) or SMTPS, with the server's certificate
// checked (against the system's CAs or a given file) and optional authentication.
// Thread-safety: BuildDigests is pure; an SmtpSender holds only its options and may be used from
// one thread at a time (each Send opens its own connection).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/env.h"
#include "base/ids.h"
#include "base/status.h"

namespace weefsel::service {

// Something a user should hear about.
struct NotificationEvent {
  UserId user;
  std::string at;     // ISO 8601 UTC, "2026-11-29T10:15:00Z"
  std::string kind;   // "invitation", "comment", "phase", "result", "review", "milestone", ...
  std::string title;  // one line, already in the user's language
  std::string link;   // path on the platform, "/coalitions/12"
};

struct Recipient {
  UserId user;
  std::string email;
  std::string name;
  std::string language = "nl";  // "nl" or "en"
};

// One message (base/env.h): to, to_name, subject, body (plain text, UTF-8, '\n' line ends).
using MailMessage = weefsel::MailMessage;

struct DigestOptions {
  std::string day;                                 // "2026-11-29": events whose `at` starts with it
  std::string base_url = "http://127.0.0.1:8080";  // links are made absolute with it
  size_t max_items_per_kind = 20;                  // more are summarised as "and N more"
};

// One message per recipient who has at least one event on `options.day`; recipients without events
// get nothing, events of unknown users are ignored. Output is ordered by recipient email.
std::vector<MailMessage> BuildDigests(const std::vector<NotificationEvent>& events,
                                      const std::vector<Recipient>& recipients, const DigestOptions& options);

struct SmtpOptions {
  std::string host = "127.0.0.1";
  int port = 25;
  std::string from = "weefsel@localhost";
  std::string helo = "weefsel.localhost";
  int timeout_ms = 10000;
  std::string tls = "none";        // "none", "starttls" (required) or "smtps" (TLS from the start)
  std::string ca_file;             // certificates to trust instead of the system's (a private relay)
  std::string username, password;  // AUTH, when set (only over TLS in practice)
};

// The real Mailer of base/env.h (its in-memory twin is base/mem_env.h's Mailbox).
class SmtpSender final : public Mailer {
 public:
  // `clock` dates the messages (the Date header).
  explicit SmtpSender(SmtpOptions options, const Clock& clock = SystemClock::Default())
      : options_(std::move(options)), clock_(clock) {}
  // Delivers one message; Unavailable when the relay cannot be reached or TLS fails, Internal with
  // the server's reply when it refuses (the caller keeps the message in its outbox and retries).
  Status Send(const MailMessage& message) override;

 private:
  SmtpOptions options_;
  const Clock& clock_;
};

}  // namespace weefsel::service
