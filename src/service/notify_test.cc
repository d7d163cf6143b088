#include "service/notify.h"

#include <gtest/gtest.h>

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
  EXPECT_NE(st.message().find("RCPT TO"), std::string::npos) << st.ToString();
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

}  // namespace
}  // namespace weefsel::service
