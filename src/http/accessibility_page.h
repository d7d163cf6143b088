// http/accessibility_page.h: the accessibility statement as an HTML page (GET /toegankelijkheid),
// in the order of the Dutch model statement, with weefsel's own axe-core results attached.
#pragma once

#include <string>

#include "service/accessibility.h"

namespace weefsel::http {

// The page for `statement` (nullptr: the deployer has not published one yet, which the page says,
// with how to) and `axe` (nullptr: no results attached).
std::string AccessibilityStatementHtml(const service::AccessibilityStatement* statement,
                                       const service::AxeResults* axe);

}  // namespace weefsel::http
