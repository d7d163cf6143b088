#include <gtest/gtest.h>

#include "base/csv.h"
#include "http/accessibility_page.h"
#include "service/accessibility.h"

namespace weefsel::http {
namespace {

using service::ParseAccessibilityStatement;
using service::ParseAxeResults;

const char* const kMinimal = R"({"organisation": "Gemeente X", "website": "https://x.nl", "status": "D",
  "contact_email": "a@x.nl", "drawn_up": "2026-12-01"})";

TEST(AccessibilityStatement, TheShippedExampleParsesAndRendersEverySectionOfTheModel) {
  auto text = ReadFile(std::string(WEEFSEL_SOURCE_DIR) + "/deploy/toegankelijkheid.example.json");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto st = ParseAccessibilityStatement(*text, "toegankelijkheid.example.json");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->status, 'B');
  ASSERT_EQ(st->known_issues.size(), 1u);
  std::string html = AccessibilityStatementHtml(&*st, nullptr);
  EXPECT_NE(html.find("<html lang=\"nl\">"), std::string::npos);
  for (const char* id : {"nalevingsstatus", "onderzoek", "bekende-problemen", "maatregelen", "contact", "handhaving",
                         "datum", "eigen-tests"})
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  EXPECT_NE(html.find("Status B: voldoet gedeeltelijk"), std::string::npos);
  EXPECT_NE(html.find("20 november 2026"), std::string::npos);  // dates in Dutch
  EXPECT_NE(html.find("1 maart 2027"), std::string::npos);
  EXPECT_NE(html.find("binnen 5 werkdagen"), std::string::npos);
  EXPECT_NE(html.find("mailto:toegankelijkheid@voorbeeldstad.nl"), std::string::npos);
  EXPECT_NE(html.find("geen automatische testresultaten"), std::string::npos);
}

TEST(AccessibilityStatement, AMistakeNamesTheFileTheFieldAndWhatIsWrong) {
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {
      {R"({"organisation": "X"})", "s.json: website: is required"},
      {R"({"organisation": "X", "website": "https://x.nl", "status": "F", "contact_email": "a@x.nl",
          "drawn_up": "2026-12-01"})",
       "s.json: status: 'F' is not one of A, B, C, D, E"},
      {R"({"organisation": "X", "website": "https://x.nl", "status": "A", "contact_email": "a@x.nl",
          "drawn_up": "2026-12-01"})",
       "s.json: audit_date: status A needs the date of the audit"},
      {R"({"organisation": "X", "website": "https://x.nl", "status": "D", "contact_email": "a@x.nl",
          "drawn_up": "1-12-2026"})",
       "s.json: drawn_up: '1-12-2026' is not a date YYYY-MM-DD"},
      {R"({"organisation": "X", "website": "https://x.nl", "status": "D", "contact_email": "a@x.nl",
          "drawn_up": "2026-12-01", "known_issues": [{"problem": "p"}, {"criterion": "1.1.1"}]})",
       "s.json: known_issues[1].problem: is required"},
      {R"({"organisation": "X", "website": "https://x.nl", "status": "D", "contact_email": "a@x.nl",
          "drawn_up": "2026-12-01", "contact_mail": "b@x.nl"})",
       "s.json: contact_mail: unknown field"},
      {R"({"organisation": "X", "website": "https://x.nl", "status": "D", "contact_email": "nobody",
          "drawn_up": "2026-12-01"})",
       "s.json: contact_email: 'nobody' is not an e-mail address"},
      {"[1]", "s.json: must be a JSON object"},
      {"{\"organisation\": ", "s.json: not valid JSON"},
  };
  for (const auto& c : cases) {
    auto st = ParseAccessibilityStatement(c.json, "s.json");
    ASSERT_FALSE(st.ok()) << c.json;
    EXPECT_NE(st.status().message().find(c.says), std::string::npos) << st.status().message();
  }
}

TEST(AccessibilityStatement, DeployerTextIsEscapedAndOnlyWebAndMailLinksAreLinks) {
  std::string json = R"J({"organisation": "Gemeente <script>alert(1)</script>", "website": "javascript:alert(1)",
    "status": "D", "contact_email": "a@x.nl", "drawn_up": "2026-12-01",
    "known_issues": [{"problem": "a \"quoted\" & <b>bold</b> problem"}]})J";
  auto st = ParseAccessibilityStatement(json, "s.json");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  std::string html = AccessibilityStatementHtml(&*st, nullptr);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("Gemeente &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(html.find("a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; problem"), std::string::npos);
  EXPECT_NE(html.find("nog niet gepland"), std::string::npos);
  EXPECT_NE(html.find("nog geen onderzoek"), std::string::npos);
}

TEST(AccessibilityStatement, AxeResultsAreAttachedPerPageWithTheirFindings) {
  auto st = ParseAccessibilityStatement(kMinimal, "s.json");
  ASSERT_TRUE(st.ok());
  auto axe = ParseAxeResults(R"({"tool": "axe-core 4.6.3", "at": "2026-12-05", "rules": "wcag2a, wcag2aa",
    "runs": [{"page": "/", "locale": "nl", "theme": "weefsel", "viewport": "390x844", "violations": []},
             {"page": "/kaart", "locale": "en", "theme": "weefsel", "viewport": "1280x800",
              "violations": [{"id": "color-contrast", "impact": "serious", "help": "Contrast", "nodes": 1}]}]})",
                             "axe.json");
  ASSERT_TRUE(axe.ok()) << axe.status().ToString();
  std::string html = AccessibilityStatementHtml(&*st, &*axe);
  EXPECT_NE(html.find("1 van de 2 controles zonder bevindingen"), std::string::npos);
  EXPECT_NE(html.find("color-contrast (serious, 1 element): Contrast"), std::string::npos);
  EXPECT_NE(html.find("5 december 2026"), std::string::npos);

  auto bad = ParseAxeResults(R"({"tool": "axe", "at": "2026-12-05", "runs": [{"page": "/", "locale": "nl",
    "violations": [{"id": "x", "nodes": -1}]}]})",
                             "axe.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("axe.json: runs[0].violations[0].nodes: must be a whole number"),
            std::string::npos)
      << bad.status().message();
}

TEST(AccessibilityStatement, WithoutAStatementThePageSaysSoAndHowToPublishOne) {
  std::string html = AccessibilityStatementHtml(nullptr, nullptr);
  EXPECT_NE(html.find("nog geen toegankelijkheidsverklaring"), std::string::npos);
  EXPECT_NE(html.find("--accessibility"), std::string::npos);
}

}  // namespace
}  // namespace weefsel::http
