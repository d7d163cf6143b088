// weefsel digest | fabric snapshot: the daily jobs a municipality runs from cron: the e-mail
// digest of a day's notifications (sent once per user per day through the outbox) and the
// monthly snapshot of each municipality's fabric.
#include <iostream>

#include "base/clock.h"
#include "base/csv.h"
#include "base/env.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "service/notifications/notifications.h"
#include "service/snapshots.h"
#include "storage/store.h"

namespace weefsel::cli {

namespace {

Result<std::pair<std::string, int>> HostPort(const std::string& s) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Status::InvalidArgument("--smtp: expected HOST:PORT, got '" + s + "'");
  auto port = ParseInt(s.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535)
    return Status::InvalidArgument("--smtp: port must be 1..65535, got '" + s.substr(colon + 1) + "'");
  return std::make_pair(s.substr(0, colon), static_cast<int>(*port));
}

}  // namespace

void RegisterDigestCommands(CLI::App& app) {
  static std::string db = "weefsel.db", day, smtp = "127.0.0.1:25", from = "weefsel@localhost",
                     base_url = "http://127.0.0.1:8080", tls = "none", ca_file, user, password_file;
  auto* d = app.add_subcommand(
      "digest",
      "Send each user one e-mail with the day's notifications (a second run of the same day sends nothing "
      "twice; failures are retried)");
  d->add_option("--db", db, "SQLite file or postgres://... URL")->capture_default_str();
  d->add_option("--date", day, "the day, YYYY-MM-DD (UTC)")->required();
  d->add_option("--smtp", smtp, "the mail server, HOST:PORT")->capture_default_str();
  d->add_option("--smtp-tls", tls, "none | starttls (required, never a fall back to plain) | smtps")
      ->capture_default_str();
  d->add_option("--smtp-ca", ca_file, "certificates to trust for the mail server instead of the system's");
  d->add_option("--smtp-user", user, "log in to the mail server as this user");
  d->add_option("--smtp-password-file", password_file,
                "a file holding the mail server password (not on the command line, where ps shows it)");
  d->add_option("--from", from, "the sender address")->capture_default_str();
  d->add_option("--base-url", base_url, "the platform's address, for links in the mail")->capture_default_str();
  SetAction(d, [] {
    if (!IsIsoDate(day) || day.size() != 10)
      return Fail(Status::InvalidArgument("--date: expected YYYY-MM-DD, got '" + day + "'"));
    auto hp = HostPort(smtp);
    if (!hp.ok()) return Fail(hp.status());
    auto store = storage::Store::Open(db);
    if (!store.ok()) return Fail(store.status().WithContext(db));
    service::SmtpOptions so;
    so.host = hp->first;
    so.port = hp->second;
    so.from = from;
    so.tls = tls;
    so.ca_file = ca_file;
    so.username = user;
    if (!password_file.empty()) {
      auto pw = ReadFile(password_file);
      if (!pw.ok()) return Fail(pw.status().WithContext("--smtp-password-file"));
      so.password = std::string(Trim(*pw));
    }
    if (tls != "none" && tls != "starttls" && tls != "smtps")
      return Fail(Status::InvalidArgument("--smtp-tls: must be none, starttls or smtps, got '" + tls + "'"));
    service::SmtpSender sender(so);
    service::DigestOptions opts;
    opts.day = day;
    opts.base_url = base_url;
    auto report = service::SendDailyDigests(**store, Env::Default().WithMail(sender), opts);
    if (!report.ok()) return Fail(report.status());
    std::cout << "digest " << day << ": " << report->sent << " sent, " << report->already_sent << " already sent, "
              << report->opted_out << " opted out, " << report->failed << " failed\n";
    for (const auto& e : report->errors) std::cerr << "weefsel: " << e << "\n";
    return report->failed > 0 ? 1 : 0;
  });

  // `fabric snapshot` joins the `fabric` group of cmd_fabric.cc when it is registered first.
  static std::string snap_db = "weefsel.db";
  static int64_t only = 0;
  CLI::App* fabric = nullptr;
  try {
    fabric = app.get_subcommand("fabric");
  } catch (const CLI::OptionNotFound&) {
    fabric = app.add_subcommand("fabric", "The collaboration network");
  }
  auto* s = fabric->add_subcommand(
      "snapshot", "Store this month's snapshot of each municipality's fabric (health, typology) unless it is taken");
  s->add_option("--db", snap_db, "SQLite file or postgres://... URL")->capture_default_str();
  s->add_option("--municipality", only, "only this municipality (id)");
  SetAction(s, [] {
    auto store = storage::Store::Open(snap_db);
    if (!store.ok()) return Fail(store.status().WithContext(snap_db));
    auto taken = service::TakeMonthlySnapshots(**store, FormatTimestamp(SystemClock::Default().Now()),
                                               only > 0 ? MunicipalityId(only) : MunicipalityId());
    if (!taken.ok()) return Fail(taken.status());
    std::cout << "fabric snapshot: " << *taken << " taken\n";
    return 0;
  });
}

}  // namespace weefsel::cli
