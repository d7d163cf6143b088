// service/accessibility.h: the accessibility statement a Dutch public body must publish (Besluit
// digitale toegankelijkheid overheid), in the sections of the model statement of
// toegankelijkheidsverklaring.nl, read from a JSON file the deployer fills in, and the results of
// weefsel's own axe-core runs (written by web/tests/pages.test.mjs) attached to it.
// See docs/accessibility-statement.md for the file's fields.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace weefsel::service {

// A known deviation: what does not work, against which WCAG success criterion, why, and when it
// will be fixed.
struct KnownIssue {
  std::string problem;
  std::string criterion;  // "1.4.3 Contrast (minimum)"
  std::string reason;     // e.g. "onevenredige last" or "in herstel"
  std::string fix_by;     // YYYY-MM-DD, or empty
};

struct AccessibilityStatement {
  std::string organisation;  // "Gemeente Utrecht"
  std::string website;       // "https://weefsel.utrecht.nl"
  char status = 'E';         // A voldoet volledig .. E geen inzicht (the model statement's five)
  // The most recent audit.
  std::string audit_date;  // YYYY-MM-DD, or empty when no audit has been done
  std::string audit_by;
  std::string audit_method;  // "WCAG-EM, steekproef van 12 pagina's"
  std::string audit_report;  // URL of the report
  std::vector<KnownIssue> known_issues;
  std::vector<std::string> measures;  // additional measures taken
  std::string contact_email;
  std::string contact_phone;
  std::string contact_url;
  int response_days = 5;  // working days within which feedback is answered
  std::string ombudsman = "de Nationale ombudsman";
  std::string ombudsman_url = "https://www.nationaleombudsman.nl";
  std::string drawn_up;  // YYYY-MM-DD the statement was signed
  std::string revised;   // YYYY-MM-DD, or empty
};

// The Dutch label of a compliance status ('A' "voldoet volledig", ...).
const char* StatusLabel(char status);

// Parses the deployer's statement file; an error names `source`, the field and what is wrong.
Result<AccessibilityStatement> ParseAccessibilityStatement(const std::string& text, const std::string& source);

// One page checked by axe-core in one language, theme and viewport, and what it found.
struct AxeRun {
  std::string page;
  std::string locale;
  std::string theme;
  std::string viewport;
  struct Violation {
    std::string id;      // axe rule id ("color-contrast")
    std::string impact;  // minor, moderate, serious, critical
    std::string help;
    int nodes = 0;
  };
  std::vector<Violation> violations;
};

struct AxeResults {
  std::string tool;   // "axe-core 4.6.3"
  std::string at;     // YYYY-MM-DD of the run
  std::string rules;  // the rule tags run ("wcag2a, wcag2aa, wcag21a, wcag21aa")
  std::vector<AxeRun> runs;
};

// Parses the axe results file; an error names `source` and the field.
Result<AxeResults> ParseAxeResults(const std::string& text, const std::string& source);

}  // namespace weefsel::service
