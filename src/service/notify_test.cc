#include "service/notify.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/kit/shared_data.h"
#include "tests/kit/smtp_sink.h"

namespace weefsel::service {
namespace {

using testkit::BodyOf;
using testkit::SmtpSink;

std::vector<NotificationEvent> DayOfEvents() {
  return {
      {UserId(1), "2026-11-29T09:00:00Z", "comment", "Reactie op Moestuin Noord", "/proposals/3"},
      {UserId(1), "2026-11-29T10:00:00Z", "invitation", "Uitnodiging voor coalitie Eenzaamheid", "/coalitions/7"},
      {UserId(1), "2026-11-29T11:00:00Z", "comment", "Reactie op Moestuin Noord", "/proposals/3"},
      {UserId(1), "2026-11-29T12:00:00Z", "phase", "Buurtbudget Noord: stemmen geopend", "/rounds/2"},
      {UserId(1), "2026-11-28T23:59:59Z", "comment", "Gisteren", "/proposals/3"},  // another day
      {UserId(2), "2026-11-29T08:00:00Z", "result", "Results of Buurtbudget Noord", "/rounds/2"},
      {UserId(3), "2026-11-29T08:00:00Z", "comment", "No recipient known", "/proposals/1"},
  };
}

std::vector<Recipient> People() {
  return {{UserId(1), "anna@voorbeeld.nl", "Anna de Vries", "nl"},
          {UserId(2), "ben@example.org", "Ben", "en"},
          {UserId(4), "quiet@voorbeeld.nl", "Stil", "nl"}};
}

TEST(DigestTest, OneMessagePerUserPerDayGroupedByKind) {
  DigestOptions o;
  o.day = "2026-11-29";
  auto msgs = BuildDigests(DayOfEvents(), People(), o);
  ASSERT_EQ(msgs.size(), 2u);  // Anna and Ben; nobody else had events that day
  const auto& anna = msgs[0];
  EXPECT_EQ(anna.to, "anna@voorbeeld.nl");
  EXPECT_EQ(anna.subject, "weefsel: 4 berichten van 29 november 2026");
  EXPECT_NE(anna.body.find("Beste Anna de Vries"), std::string::npos);
  // Grouped: invitations before comments before phase changes, each with its count.
  size_t inv = anna.body.find("Uitnodigingen (1)"), com = anna.body.find("Reacties (2)"),
         ph = anna.body.find("Fasewijzigingen (1)");
  ASSERT_NE(inv, std::string::npos);
  ASSERT_NE(com, std::string::npos);
  ASSERT_NE(ph, std::string::npos);
  EXPECT_LT(inv, com);
  EXPECT_LT(com, ph);
  EXPECT_EQ(anna.body.find("Gisteren"), std::string::npos);
  EXPECT_NE(anna.body.find("http://127.0.0.1:8080/coalitions/7"), std::string::npos);
  EXPECT_EQ(msgs[1].subject, "weefsel: 1 update for 29 November 2026");
  EXPECT_NE(msgs[1].body.find("Results (1)"), std::string::npos);
}

TEST(DigestTest, LongListsAreSummarised) {
  std::vector<NotificationEvent> ev;
  for (int i = 0; i < 30; ++i)
    ev.push_back({UserId(1), "2026-11-29T10:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z", "support",
                  "Steun " + std::to_string(i), ""});
  DigestOptions o;
  o.day = "2026-11-29";
  o.max_items_per_kind = 5;
  auto msgs = BuildDigests(ev, People(), o);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_NE(msgs[0].body.find("Steunbetuigingen (30)"), std::string::npos);
  EXPECT_NE(msgs[0].body.find("- en nog 25 meer"), std::string::npos);
  EXPECT_NE(msgs[0].body.find("Steun 29"), std::string::npos);  // newest first
  EXPECT_EQ(msgs[0].body.find("Steun 3\n"), std::string::npos);
}

TEST(SmtpTest, DeliversTheDigestsToALocalSink) {
  SmtpSink sink;
  SmtpOptions so;
  so.port = sink.port();
  so.from = "weefsel@gemeente.test";
  SmtpSender sender(so);
  DigestOptions o;
  o.day = "2026-11-29";
  auto msgs = BuildDigests(DayOfEvents(), People(), o);
  for (const auto& m : msgs) ASSERT_TRUE(sender.Send(m).ok());
  auto got = sink.received();
  ASSERT_EQ(got.size(), msgs.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].from, "<weefsel@gemeente.test>");
    EXPECT_EQ(got[i].to, "<" + msgs[i].to + ">");
    EXPECT_NE(got[i].data.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    EXPECT_EQ(BodyOf(got[i].data), msgs[i].body);
  }
  EXPECT_NE(got[0].data.find("To: Anna de Vries <anna@voorbeeld.nl>"), std::string::npos) << got[0].data;
}

TEST(SmtpTest, RefusalsAndUnreachableRelaysAreClearErrors) {
  SmtpSink sink;
  sink.refuse_rcpt = "gone@voorbeeld.nl";
  SmtpOptions so;
  so.port = sink.port();
  so.from = "weefsel@gemeente.test";
  auto st = SmtpSender(so).Send({"gone@voorbeeld.nl", "", "s", "b"});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("RCPT"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("550"), std::string::npos) << st.ToString();
  EXPECT_TRUE(sink.received().empty());

  EXPECT_FALSE(SmtpSender(so).Send({"bad\r\nRCPT TO:<x@y.z>", "", "s", "b"}).ok());

  SmtpOptions closed = so;
  {
    SmtpSink gone;
    closed.port = gone.port();
  }  // nobody listens there any more
  auto down = SmtpSender(closed).Send({"a@b.nl", "", "s", "b"});
  EXPECT_EQ(down.code(), StatusCode::kUnavailable) << down.ToString();
}

// A real mail server (aiosmtpd) with a throwaway certificate, started by the test (issue 19).
class TlsMailServer {
 public:
  explicit TlsMailServer(const std::string& mode) {
    dir_ = std::filesystem::temp_directory_path() / ("weefsel-mail-" + std::to_string(getpid()) + "-" + mode);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "out");
    cert_ = (dir_ / "cert.pem").string();
    std::string key = (dir_ / "key.pem").string();
    std::string gen =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext "
        "subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        key + " -out " + cert_ + " 2>/dev/null";
    if (std::system(gen.c_str()) != 0) return;
    std::string port_file = (dir_ / "port").string();
    pid_ = fork();
    if (pid_ == 0) {
      std::string script = std::string(WEEFSEL_SOURCE_DIR) + "/tests/kit/mail_server.py";
      std::string out = (dir_ / "out").string();
      execl("/usr/bin/python3", "python3", script.c_str(), mode.c_str(), port_file.c_str(), out.c_str(), cert_.c_str(),
            key.c_str(), "weefsel", "geheim-wachtwoord", "weg@voorbeeld.nl", nullptr);
      _exit(127);
    }
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::ifstream f(port_file);
      if (!(f >> port_)) port_ = 0;
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~TlsMailServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  int port() const { return port_; }
  const std::string& cert() const { return cert_; }
  std::vector<nlohmann::json> Received() const {
    std::vector<nlohmann::json> out;
    for (int i = 1;; ++i) {
      std::ifstream f(dir_ / "out" / (std::to_string(i) + ".json"));
      if (!f) return out;
      out.push_back(nlohmann::json::parse(f));
    }
  }

 private:
  std::filesystem::path dir_;
  std::string cert_;
  pid_t pid_ = -1;
  int port_ = 0;
};

SmtpOptions TlsOptions(const TlsMailServer& server, const std::string& tls) {
  SmtpOptions so;
  so.port = server.port();
  so.from = "weefsel@gemeente.test";
  so.tls = tls;
  so.ca_file = server.cert();
  so.username = "weefsel";
  so.password = "geheim-wachtwoord";
  so.timeout_ms = 5000;
  return so;
}

TEST(SmtpTls, DeliversOverStartTlsAndSmtpsWithAuthenticationAndARefusedRecipientLosesNoOther) {
  for (const std::string mode : {"starttls", "smtps"}) {
    TlsMailServer server(mode);
    if (server.port() == 0) {
      if (testkit::UnderCi()) FAIL() << "the test mail server did not start (python3-aiosmtpd, openssl)";
      GTEST_SKIP() << "the test mail server did not start (install python3-aiosmtpd and openssl)";
    }
    SmtpSender sender(TlsOptions(server, mode));
    DigestOptions o;
    o.day = "2026-11-29";
    auto msgs = BuildDigests(DayOfEvents(), People(), o);
    ASSERT_GE(msgs.size(), 2u);
    MailMessage refused = msgs[0];
    refused.to = "weg@voorbeeld.nl";
    Status s = sender.Send(refused);
    EXPECT_FALSE(s.ok()) << mode;
    EXPECT_NE(s.message().find("550"), std::string::npos) << s.ToString();
    for (const auto& m : msgs) ASSERT_TRUE(sender.Send(m).ok()) << mode << ": " << sender.Send(m).ToString();
    auto got = server.Received();
    ASSERT_GE(got.size(), msgs.size()) << mode;
    EXPECT_EQ(got[0]["auth"], true) << mode;
    EXPECT_EQ(got[0]["tls"], true) << mode;
    EXPECT_EQ(got[0]["to"][0], msgs[0].to) << mode;
    EXPECT_NE(got[0]["data"].get<std::string>().find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  }
}

TEST(SmtpTls, AWrongPasswordAnUntrustedCertificateAndAPlainServerAreClearErrors) {
  TlsMailServer server("starttls");
  if (server.port() == 0) {
    if (testkit::UnderCi()) FAIL() << "the test mail server did not start (python3-aiosmtpd, openssl)";
    GTEST_SKIP() << "the test mail server did not start (install python3-aiosmtpd and openssl)";
  }
  MailMessage m{"anna@voorbeeld.nl", "Anna", "s", "b"};
  SmtpOptions wrong = TlsOptions(server, "starttls");
  wrong.password = "fout";
  Status s = SmtpSender(wrong).Send(m);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("smtp.username"), std::string::npos) << s.ToString();
  SmtpOptions untrusted = TlsOptions(server, "starttls");
  untrusted.ca_file.clear();  // the system's CAs do not know the throwaway certificate
  s = SmtpSender(untrusted).Send(m);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("TLS"), std::string::npos) << s.ToString();
  // A relay without STARTTLS: refused, never sent in the clear.
  SmtpSink plain;
  SmtpOptions no_tls = TlsOptions(server, "starttls");
  no_tls.port = plain.port();
  s = SmtpSender(no_tls).Send(m);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("STARTTLS"), std::string::npos) << s.ToString();
  EXPECT_TRUE(plain.received().empty());
  EXPECT_TRUE(server.Received().empty());
}

}  // namespace
}  // namespace weefsel::service
