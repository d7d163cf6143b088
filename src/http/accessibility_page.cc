#include "http/accessibility_page.h"

#include <map>
#include <sstream>

#include "base/strings.h"

namespace weefsel::http {
namespace {

std::string E(std::string_view s) { return XmlEscape(s); }

// "2026-12-05" as "5 december 2026".
std::string DutchDate(const std::string& iso) {
  static const char* const kMonths[] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                        "juli",    "augustus", "september", "oktober", "november", "december"};
  if (!IsIsoDate(iso)) return iso;
  int month = std::stoi(iso.substr(5, 2));
  int day = std::stoi(iso.substr(8, 2));
  return std::to_string(day) + " " + kMonths[month - 1] + " " + iso.substr(0, 4);
}

// A link only to http(s) and mailto addresses (a statement file is trusted, but not to run script).
std::string Link(const std::string& url, const std::string& text) {
  if (!(url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 || url.rfind("mailto:", 0) == 0)) return E(text);
  return "<a href=\"" + E(url) + "\">" + E(text) + "</a>";
}

void Head(std::ostringstream& o, const std::string& title) {
  o << "<!doctype html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << E(title)
    << "</title>\n<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:0 auto;"
       "padding:1rem;color:#1a1a1a;background:#fff}a{color:#0b57a4}table{border-collapse:collapse;width:100%}"
       "th,td{border-bottom:1px solid #8a8a8a;padding:.25rem .5rem;text-align:left;vertical-align:top}"
       ".wrap{overflow-x:auto}dt{font-weight:600}</style>\n</head>\n<body>\n<main>\n";
}

void AxeSection(std::ostringstream& o, const service::AxeResults* axe) {
  o << "<h2 id=\"eigen-tests\">Eigen tests van weefsel</h2>\n";
  if (axe == nullptr) {
    o << "<p>Bij deze installatie zijn geen automatische testresultaten meegeleverd.</p>\n";
    return;
  }
  size_t pages = axe->runs.size();
  size_t clean = 0;
  std::map<std::string, int> by_impact;
  for (const auto& run : axe->runs) {
    if (run.violations.empty()) ++clean;
    for (const auto& v : run.violations) by_impact[v.impact.empty() ? "onbekend" : v.impact] += v.nodes;
  }
  o << "<p>weefsel controleert elke pagina automatisch met " << E(axe->tool)
    << (axe->rules.empty() ? "" : " (regels " + E(axe->rules) + ")") << ". Laatste run: " << E(DutchDate(axe->at))
    << ". " << clean << " van de " << pages << (pages == 1 ? " controle" : " controles")
    << " zonder bevindingen. Automatische tests vinden maar een deel van de problemen; ze vervangen geen "
       "onderzoek door deskundigen.</p>\n";
  o << "<div class=\"wrap\"><table>\n<caption>Resultaten per pagina, taal, thema en schermbreedte</caption>\n"
    << "<thead><tr><th scope=\"col\">Pagina</th><th scope=\"col\">Taal</th><th scope=\"col\">Thema</th>"
    << "<th scope=\"col\">Scherm</th><th scope=\"col\">Bevindingen</th></tr></thead>\n<tbody>\n";
  for (const auto& run : axe->runs) {
    o << "<tr><td>" << E(run.page) << "</td><td>" << E(run.locale) << "</td><td>" << E(run.theme) << "</td><td>"
      << E(run.viewport) << "</td><td>";
    if (run.violations.empty()) {
      o << "geen";
    } else {
      o << "<ul>";
      for (const auto& v : run.violations)
        o << "<li>" << E(v.id) << " (" << E(v.impact) << ", " << v.nodes << (v.nodes == 1 ? " element" : " elementen")
          << "): " << E(v.help) << "</li>";
      o << "</ul>";
    }
    o << "</td></tr>\n";
  }
  o << "</tbody></table></div>\n";
}

}  // namespace

std::string AccessibilityStatementHtml(const service::AccessibilityStatement* st, const service::AxeResults* axe) {
  std::ostringstream o;
  if (st == nullptr) {
    Head(o, "Toegankelijkheidsverklaring");
    o << "<h1>Toegankelijkheidsverklaring</h1>\n"
      << "<p>De organisatie die dit platform aanbiedt, heeft hier nog geen toegankelijkheidsverklaring "
         "gepubliceerd. Overheidsorganisaties zijn daartoe verplicht (Besluit digitale toegankelijkheid "
         "overheid). De beheerder vult het bestand in dat <code>weefsel serve --accessibility</code> leest; "
         "zie <code>docs/accessibility-statement.md</code>.</p>\n";
    AxeSection(o, axe);
    o << "</main>\n</body>\n</html>\n";
    return o.str();
  }
  Head(o, "Toegankelijkheidsverklaring " + st->organisation);
  o << "<h1>Toegankelijkheidsverklaring</h1>\n"
    << "<p>" << E(st->organisation) << " wil dat iedereen " << Link(st->website, st->website)
    << " kan gebruiken, en werkt eraan dat de website voldoet aan de toegankelijkheidseisen "
       "(WCAG 2.1 niveau A en AA, volgens EN 301 549).</p>\n";

  o << "<h2 id=\"nalevingsstatus\">Nalevingsstatus</h2>\n<p>Status " << st->status << ": "
    << E(service::StatusLabel(st->status)) << ". ";
  switch (st->status) {
    case 'A':
      o << "De website voldoet volledig aan de eisen.";
      break;
    case 'B':
      o << "De website voldoet gedeeltelijk aan de eisen; de afwijkingen staan hieronder.";
      break;
    case 'C':
      o << "Er zijn eerste maatregelen genomen om aan de eisen te voldoen.";
      break;
    case 'D':
      o << "De website voldoet (nog) niet aan de eisen.";
      break;
    default:
      o << "Er is nog geen inzicht in de mate waarin de website aan de eisen voldoet.";
  }
  o << "</p>\n";

  o << "<h2 id=\"onderzoek\">Onderzoek</h2>\n";
  if (st->audit_date.empty()) {
    o << "<p>Er is nog geen onderzoek naar de toegankelijkheid door deskundigen gedaan.</p>\n";
  } else {
    o << "<p>Het meest recente onderzoek is uitgevoerd op " << E(DutchDate(st->audit_date));
    if (!st->audit_by.empty()) o << " door " << E(st->audit_by);
    o << ".";
    if (!st->audit_method.empty()) o << " Werkwijze: " << E(st->audit_method) << ".";
    if (!st->audit_report.empty()) o << " " << Link(st->audit_report, "Lees het onderzoeksrapport") << ".";
    o << "</p>\n";
  }

  o << "<h2 id=\"bekende-problemen\">Bekende problemen</h2>\n";
  if (st->known_issues.empty()) {
    o << "<p>Er zijn geen bekende afwijkingen van de eisen.</p>\n";
  } else {
    o << "<div class=\"wrap\"><table>\n<caption>Afwijkingen van de eisen</caption>\n<thead><tr>"
      << "<th scope=\"col\">Probleem</th><th scope=\"col\">Succescriterium</th><th scope=\"col\">Reden</th>"
      << "<th scope=\"col\">Opgelost vóór</th></tr></thead>\n<tbody>\n";
    for (const auto& k : st->known_issues)
      o << "<tr><td>" << E(k.problem) << "</td><td>" << E(k.criterion) << "</td><td>" << E(k.reason) << "</td><td>"
        << E(k.fix_by.empty() ? std::string("nog niet gepland") : DutchDate(k.fix_by)) << "</td></tr>\n";
    o << "</tbody></table></div>\n";
  }
  if (!st->measures.empty()) {
    o << "<h2 id=\"maatregelen\">Aanvullende maatregelen</h2>\n<ul>\n";
    for (const auto& m : st->measures) o << "<li>" << E(m) << "</li>\n";
    o << "</ul>\n";
  }

  o << "<h2 id=\"contact\">Feedback en contact</h2>\n"
    << "<p>Loopt u tegen een toegankelijkheidsprobleem aan, of kunt u bepaalde inhoud niet gebruiken? "
       "Laat het ons weten. U krijgt binnen "
    << st->response_days << (st->response_days == 1 ? " werkdag" : " werkdagen") << " een reactie.</p>\n<dl>\n"
    << "<dt>E-mail</dt><dd>" << Link("mailto:" + st->contact_email, st->contact_email) << "</dd>\n";
  if (!st->contact_phone.empty()) o << "<dt>Telefoon</dt><dd>" << E(st->contact_phone) << "</dd>\n";
  if (!st->contact_url.empty()) o << "<dt>Formulier</dt><dd>" << Link(st->contact_url, st->contact_url) << "</dd>\n";
  o << "</dl>\n";

  o << "<h2 id=\"handhaving\">Handhavingsprocedure</h2>\n"
    << "<p>Bent u niet tevreden met hoe uw verzoek of klacht is behandeld? Dan kunt u contact opnemen met "
    << Link(st->ombudsman_url, st->ombudsman) << ".</p>\n";

  o << "<h2 id=\"datum\">Datum</h2>\n<p>Deze verklaring is opgesteld op " << E(DutchDate(st->drawn_up));
  if (!st->revised.empty()) o << " en herzien op " << E(DutchDate(st->revised));
  o << ".</p>\n";
  AxeSection(o, axe);
  o << "</main>\n</body>\n</html>\n";
  return o.str();
}

}  // namespace weefsel::http
