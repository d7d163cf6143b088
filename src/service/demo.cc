#include "service/demo.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "base/clock.h"
#include "base/csv.h"
#include "base/strings.h"
#include "storage/store.h"

namespace weefsel::service {

using domain::ActorKind;
using domain::Sector;

namespace {

// Real figures: CBS code, name, province, centroid, inhabitants 2024 and 2021 indicators
// (CBS via shared/data/nl/gemeenten_2025.csv). National means of the indicators over all 342
// municipalities are below.
struct Gemeente {
  std::string code;
  std::string name;
  std::string province;
  double lat, lon;
  int64_t population;
  double pct_65plus, pct_single_households, pct_low_income, wmo_per_1000, pct_youth_care, gas_m3;
  std::vector<std::string> areas;
};

const std::vector<Gemeente>& Gemeenten() {
  static const std::vector<Gemeente> kAll = {
      {"GM0363",
       "Amsterdam",
       "Noord-Holland",
       52.36503,
       4.90839,
       931298,
       13.14,
       53.68,
       11.07,
       74.75,
       10.53,
       887.09,
       {"Centrum", "Noord", "Oost", "Zuid", "West", "Nieuw-West", "Zuidoost", "Weesp"}},
      {"GM0599",
       "Rotterdam",
       "Zuid-Holland",
       51.92681,
       4.30434,
       670610,
       15.48,
       48.26,
       12.1,
       86.0,
       7.5,
       880.0,
       {"Centrum", "Delfshaven", "Feijenoord", "Charlois", "Kralingen-Crooswijk", "Noord", "IJsselmonde",
        "Prins Alexander"}},
      {"GM0518",
       "Den Haag",
       "Zuid-Holland",
       52.06854,
       4.30026,
       566221,
       14.84,
       47.78,
       10.8,
       68.0,
       11.0,
       1070.0,
       {"Centrum", "Escamp", "Laak", "Loosduinen", "Scheveningen", "Segbroek", "Haagse Hout",
        "Leidschenveen-Ypenburg"}},
      {"GM0344",
       "Utrecht",
       "Utrecht",
       52.09115,
       5.07474,
       374238,
       10.55,
       50.05,
       7.7,
       56.0,
       13.5,
       790.0,
       {"Binnenstad", "Oost", "Zuid", "Zuidwest", "West", "Overvecht", "Kanaleneiland", "Leidsche Rijn",
        "Vleuten-De Meern"}},
      {"GM0772",
       "Eindhoven",
       "Noord-Brabant",
       51.45014,
       5.45853,
       246417,
       16.74,
       48.21,
       7.6,
       76.0,
       9.1,
       1140.0,
       {"Centrum", "Stratum", "Strijp", "Woensel-Noord", "Woensel-Zuid", "Tongelre", "Gestel"}},
      {"GM0014",
       "Groningen",
       "Groningen",
       53.21861,
       6.62073,
       243768,
       15.05,
       58.65,
       11.2,
       71.0,
       8.6,
       1190.0,
       {"Centrum", "Oosterpark", "Zuid", "West", "Noordwest", "Oost", "Haren", "Ten Boer"}},
      {"GM0268",
       "Nijmegen",
       "Gelderland",
       51.83853,
       5.83684,
       187049,
       16.37,
       53.37,
       9.5,
       77.0,
       9.1,
       1120.0,
       {"Centrum", "Oost", "Nijmegen-Midden", "Dukenburg", "Lindenholt", "Lent", "Nijmegen-Noord"}},
      {"GM0153",
       "Enschede",
       "Overijssel",
       52.22079,
       6.87779,
       161738,
       17.98,
       46.13,
       10.0,
       101.0,
       9.9,
       1150.0,
       {"Centrum", "Noord", "Oost", "Zuid", "West", "Glanerbrug"}},
      {"GM0193",
       "Zwolle",
       "Overijssel",
       52.51864,
       6.1184,
       133141,
       16.19,
       41.4,
       6.9,
       82.0,
       10.0,
       1140.0,
       {"Binnenstad", "Assendorp", "Holtenbroek", "Stadshagen", "Zwolle-Zuid", "Berkum"}},
      {"GM0080",
       "Leeuwarden",
       "Friesland",
       53.17006,
       5.79786,
       128810,
       19.05,
       46.69,
       9.7,
       91.0,
       12.1,
       1220.0,
       {"Binnenstad", "Huizum", "Bilgaard", "Heechterp-Schieringen", "Camminghaburen", "Grou"}},
      {"GM0917",
       "Heerlen",
       "Limburg",
       50.89331,
       5.96946,
       87461,
       23.53,
       46.34,
       10.5,
       85.0,
       16.3,
       1240.0,
       {"Centrum", "Heerlerheide", "Hoensbroek", "Molenberg", "Zeswegen", "Welten"}},
      {"GM0106",
       "Assen",
       "Drenthe",
       53.00127,
       6.55254,
       69701,
       20.74,
       38.89,
       6.6,
       89.0,
       14.6,
       1290.0,
       {"Centrum", "Assen-Oost", "Assen-West", "Kloosterveen", "Marsdijk", "Pittelo"}},
  };
  return kAll;
}

constexpr double kNl65plus = 21.91, kNlSingle = 33.25, kNlLowIncome = 4.68, kNlWmo = 67.56, kNlYouthCare = 10.48,
                 kNlGas = 1413.93;

// Kind proportions (per mille), after the mix seen in municipal subsidy and partner registers.
struct KindShare {
  ActorKind kind;
  double share;
};
const KindShare kKindShares[] = {
    {ActorKind::kCompany, 0.27},     {ActorKind::kSocialEnterprise, 0.14},     {ActorKind::kCitizensInitiative, 0.22},
    {ActorKind::kCareWelfare, 0.15}, {ActorKind::kKnowledgeInstitution, 0.06}, {ActorKind::kFoundationFunder, 0.07},
    {ActorKind::kGovernment, 0.09},
};

// Themes each kind is drawn to (weights).
std::vector<std::pair<const char*, double>> ThemeAffinity(ActorKind k) {
  switch (k) {
    case ActorKind::kCompany:
      return {{"energietransitie", 4},
              {"circulaire_economie", 3},
              {"mobiliteit", 2},
              {"wonen", 2},
              {"werk_en_participatie", 2},
              {"digitalisering", 2},
              {"voedsel", 1},
              {"klimaatadaptatie", 1},
              {"gezondheid", 1}};
    case ActorKind::kSocialEnterprise:
      return {{"werk_en_participatie", 4},
              {"circulaire_economie", 3},
              {"voedsel", 2},
              {"eenzaamheid", 2},
              {"inclusie", 2},
              {"energietransitie", 2},
              {"armoede", 1},
              {"ouderenzorg", 1},
              {"digitalisering", 1}};
    case ActorKind::kKnowledgeInstitution:
      return {{"gezondheid", 3}, {"energietransitie", 3}, {"vergrijzing", 2},
              {"onderwijs", 3},  {"klimaatadaptatie", 2}, {"armoede", 1},
              {"jeugd", 1},      {"digitalisering", 2},   {"mobiliteit", 1}};
    case ActorKind::kCitizensInitiative:
      return {{"eenzaamheid", 3}, {"leefbaarheid", 4}, {"groen", 3}, {"energietransitie", 2}, {"voedsel", 2},
              {"cultuur", 2},     {"sport", 2},        {"jeugd", 1}, {"vergrijzing", 1},      {"veiligheid", 1}};
    case ActorKind::kCareWelfare:
      return {{"zorg", 4},  {"ouderenzorg", 4}, {"eenzaamheid", 3}, {"vergrijzing", 3},
              {"jeugd", 2}, {"armoede", 2},     {"gezondheid", 2},  {"inclusie", 1}};
    case ActorKind::kFoundationFunder:
      return {{"armoede", 3},  {"cultuur", 2},   {"jeugd", 2}, {"eenzaamheid", 2},
              {"inclusie", 2}, {"onderwijs", 1}, {"groen", 1}};
    case ActorKind::kGovernment:
      return {{"wonen", 3}, {"veiligheid", 2}, {"energietransitie", 2}, {"zorg", 2},
              {"jeugd", 2}, {"armoede", 2},    {"mobiliteit", 1},       {"klimaatadaptatie", 1}};
  }
  return {};
}

// Capabilities that go with a theme, and with a kind.
std::vector<const char*> ThemeCapabilities(const std::string& theme) {
  static const std::map<std::string, std::vector<const char*>> kMap = {
      {"vergrijzing", {"mantelzorgondersteuning", "woningaanpassing", "domotica", "buurtnetwerken"}},
      {"eenzaamheid", {"vrijwilligers", "buurtnetwerken", "huisbezoeken", "ontmoetingsactiviteiten"}},
      {"armoede", {"schuldhulpverlening", "budgetcoaching", "voedselhulp", "toeleiding-naar-werk"}},
      {"jeugd", {"jongerenwerk", "mentoring", "sportbegeleiding", "onderwijsondersteuning"}},
      {"onderwijs", {"education", "taalonderwijs", "lesmateriaal", "research"}},
      {"zorg", {"care", "wijkverpleging", "casemanagement", "dagbesteding"}},
      {"ouderenzorg", {"home-care", "dementiezorg", "dagbesteding", "mantelzorgondersteuning"}},
      {"gezondheid", {"leefstijlcoaching", "preventie", "research", "data-analysis"}},
      {"energietransitie",
       {"energy-advice", "zonnepanelen", "isolatie", "warmtenetten", "energiecooperatie-oprichten"}},
      {"klimaatadaptatie", {"groene-daken", "waterberging", "ontwerp-openbare-ruimte", "research"}},
      {"circulaire_economie", {"hergebruik", "reparatie", "logistics", "afvalscheiding"}},
      {"wonen", {"construction", "woningbeheer", "woningaanpassing", "gebiedsontwikkeling"}},
      {"werk_en_participatie", {"toeleiding-naar-werk", "jobcoaching", "leerwerkplekken", "education"}},
      {"inclusie", {"taalonderwijs", "interculturele-communicatie", "community-organising", "toegankelijkheid"}},
      {"mobiliteit", {"deelmobiliteit", "logistics", "verkeersonderzoek", "software"}},
      {"voedsel", {"stadslandbouw", "voedselhulp", "catering", "logistics"}},
      {"veiligheid", {"buurtbemiddeling", "handhaving", "community-organising", "preventie"}},
      {"cultuur", {"evenementen", "kunsteducatie", "communication", "design"}},
      {"sport", {"sportbegeleiding", "beweegprogrammas", "evenementen", "vrijwilligers"}},
      {"groen", {"groenbeheer", "stadslandbouw", "natuureducatie", "vrijwilligers"}},
      {"digitalisering", {"software", "digitale-vaardigheden", "data-analysis", "design"}},
      {"leefbaarheid", {"community-organising", "buurtbemiddeling", "evenementen", "groenbeheer"}},
  };
  auto it = kMap.find(theme);
  return it == kMap.end() ? std::vector<const char*>{} : it->second;
}

std::vector<const char*> KindCapabilities(ActorKind k) {
  switch (k) {
    case ActorKind::kCompany:
      return {"project-management", "funding", "software", "construction", "logistics"};
    case ActorKind::kSocialEnterprise:
      return {"leerwerkplekken", "community-organising", "project-management"};
    case ActorKind::kKnowledgeInstitution:
      return {"research", "evaluation", "data-analysis", "education"};
    case ActorKind::kCitizensInitiative:
      return {"vrijwilligers", "community-organising", "buurtnetwerken"};
    case ActorKind::kCareWelfare:
      return {"care", "casemanagement", "vrijwilligers"};
    case ActorKind::kFoundationFunder:
      return {"funding", "evaluation", "netwerkregie"};
    case ActorKind::kGovernment:
      return {"policy", "funding", "vergunningverlening", "netwerkregie"};
  }
  return {};
}

template <typename T>
const T& Pick(Rng& rng, const std::vector<T>& v) {
  return v[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(v.size()) - 1))];
}

const std::vector<const char*> kSurnames = {
    "De Vries", "Jansen",    "Bakker", "Visser",   "Smit",         "Meijer",      "De Boer",   "Mulder",
    "De Groot", "Bos",       "Vos",    "Peters",   "Hendriks",     "Van Leeuwen", "Dekker",    "Brouwer",
    "De Wit",   "Dijkstra",  "Smits",  "De Graaf", "Van der Meer", "Kok",         "Jacobs",    "Van Dijk",
    "Yilmaz",   "El Amrani", "Bouzid", "Kaya",     "Nguyen",       "Pinas",       "Wijnhoven", "Postma"};
const std::vector<const char*> kAdjectives = {"Groene", "Warme",    "Sterke",  "Nieuwe",  "Open",    "Samen",
                                              "Slimme", "Zorgzame", "Heldere", "Levende", "Gezonde", "Eerlijke"};
const std::vector<const char*> kNouns = {"Verbinding", "Buurt",  "Draad", "Brug", "Kring",  "Haven", "Werkplaats",
                                         "Tafel",      "Kracht", "Stek",  "Hof",  "Kompas", "Molen", "Schakel"};
const std::vector<const char*> kStreets = {
    "Lindenlaan",  "Kastanjeplein",    "Molenstraat", "Havenkade", "Kerkstraat", "Parkweg",      "Stationsplein",
    "Dorpsstraat", "Wilhelminastraat", "Julianapark", "Beukenhof", "Sluisweg",   "Vlinderbuurt", "Oranjeplein"};
const std::vector<const char*> kTrades = {"Installatietechniek", "Bouw",          "Advies",     "Energie",
                                          "Logistiek",           "Software",      "Schoonmaak", "Catering",
                                          "Architecten",         "Zonnetechniek", "Mobiliteit", "Data"};

std::string ThemeWord(const std::string& theme) {
  const domain::Theme* t = domain::FindTheme(theme);
  return t ? std::string(t->nl) : theme;
}

std::string MakeName(Rng& rng, ActorKind kind, const Gemeente& g, const std::string& area,
                     const std::vector<std::string>& themes) {
  std::string city = g.name;
  switch (kind) {
    case ActorKind::kCompany:
      switch (rng.Uniform(0, 2)) {
        case 0:
          return std::string(Pick(rng, kSurnames)) + " " + Pick(rng, kTrades) + " B.V.";
        case 1:
          return std::string(Pick(rng, kTrades)) + "bedrijf " + city + " " + area;
        default:
          return std::string(Pick(rng, kNouns)) + " " + Pick(rng, kTrades);
      }
    case ActorKind::kSocialEnterprise:
      switch (rng.Uniform(0, 2)) {
        case 0:
          return "De " + std::string(Pick(rng, kAdjectives)) + " " + Pick(rng, kNouns);
        case 1:
          return std::string(Pick(rng, kNouns)) + "werk " + area;
        default:
          return "Coöperatie " + std::string(Pick(rng, kAdjectives)) + " " + city;
      }
    case ActorKind::kKnowledgeInstitution:
      switch (rng.Uniform(0, 2)) {
        case 0:
          return "Lectoraat " + ThemeWord(themes.front()) + " Hogeschool " + city;
        case 1:
          return "Kenniscentrum " + ThemeWord(themes.front()) + " " + city;
        default:
          return "Living Lab " + area + " " + city;
      }
    case ActorKind::kCitizensInitiative:
      switch (rng.Uniform(0, 3)) {
        case 0:
          return "Bewonersinitiatief " + std::string(Pick(rng, kStreets));
        case 1:
          return "Buurtcollectief " + area;
        case 2:
          return "Energiecoöperatie " + area;
        default:
          return "Vrienden van het " + std::string(Pick(rng, kStreets));
      }
    case ActorKind::kCareWelfare:
      switch (rng.Uniform(0, 2)) {
        case 0:
          return "Welzijn " + area + " " + city;
        case 1:
          return "Zorggroep " + std::string(Pick(rng, kNouns)) + " " + city;
        default:
          return "Stichting Thuiszorg " + std::string(Pick(rng, kAdjectives)) + " " + Pick(rng, kNouns);
      }
    case ActorKind::kFoundationFunder:
      return rng.Bernoulli(0.5) ? "Fonds " + std::string(Pick(rng, kSurnames)) + " " + city
                                : "Stichting " + std::string(Pick(rng, kNouns)) + "fonds " + city;
    case ActorKind::kGovernment:
      switch (rng.Uniform(0, 2)) {
        case 0:
          return "Gemeente " + city + ", stadsdeel " + area;
        case 1:
          return "GGD regio " + city;
        default:
          return "Wijkteam " + area + " " + city;
      }
  }
  return "Actor";
}

std::string Describe(const domain::Actor& a, const Gemeente& g) {
  std::vector<std::string> themes, caps;
  for (const auto& t : a.themes) themes.push_back(ToLowerAscii(ThemeWord(t)));
  for (const auto& c : a.capabilities) {
    std::string w = c;
    std::replace(w.begin(), w.end(), '-', ' ');
    caps.push_back(w);
  }
  std::string kind = std::string(domain::ActorKindLabelNl(a.kind));
  kind[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(kind[0])));
  return a.name + " is een " + kind + " in " + a.area + " (" + g.name + "), actief op " + Join(themes, ", ") +
         ". Wij brengen " + Join(caps, ", ") + " in en werken graag samen met partners uit de wijk.";
}

struct ChallengeTemplate {
  const char* theme;
  const char* title;
  const char* text;  // {city}, {value}, {nl}
  std::vector<std::pair<const char*, double>> capabilities;
};

const std::vector<ChallengeTemplate>& Templates() {
  static const std::vector<ChallengeTemplate> kT = {
      {"vergrijzing",
       "Langer zelfstandig thuis wonen in {city}",
       "In {city} is {value}% van de inwoners 65 jaar of ouder (landelijk {nl}%). Hoe zorgen we dat ouderen langer "
       "zelfstandig en veilig thuis kunnen wonen, met woningaanpassing, domotica en steun voor mantelzorgers?",
       {{"woningaanpassing", 2}, {"domotica", 1}, {"mantelzorgondersteuning", 2}, {"research", 1}}},
      {"eenzaamheid",
       "Samen tegen eenzaamheid in {city}",
       "{value}% van de huishoudens in {city} is eenpersoons (landelijk {nl}%). Wij zoeken coalities die "
       "ontmoeting in de buurt organiseren, huisbezoeken doen en vrijwilligers verbinden om eenzaamheid te doorbreken.",
       {{"buurtnetwerken", 2}, {"vrijwilligers", 2}, {"ontmoetingsactiviteiten", 1}, {"evaluation", 1}}},
      {"armoede",
       "Uit de schulden in {city}",
       "In {city} heeft {value}% van de huishoudens een laag inkomen (landelijk {nl}%). Hoe bereiken we gezinnen "
       "eerder met schuldhulpverlening, budgetcoaching en een route naar werk?",
       {{"schuldhulpverlening", 2}, {"budgetcoaching", 1}, {"toeleiding-naar-werk", 1}, {"data-analysis", 1}}},
      {"zorg",
       "Zorg en welzijn dichtbij in de wijken van {city}",
       "{city} telt {value} Wmo-cliënten per 1000 inwoners (landelijk {nl}). Hoe versterken we wijkverpleging, "
       "dagbesteding en casemanagement zodat zorg dichtbij en betaalbaar blijft?",
       {{"wijkverpleging", 2}, {"dagbesteding", 1}, {"casemanagement", 1}, {"software", 1}}},
      {"jeugd",
       "Kansrijk opgroeien in {city}",
       "In {city} krijgt {value}% van de jongeren jeugdzorg (landelijk {nl}%). We zoeken partners voor jongerenwerk, "
       "mentoring en sport die voorkomen dat problemen groter worden.",
       {{"jongerenwerk", 2}, {"mentoring", 2}, {"sportbegeleiding", 1}, {"research", 1}}},
      {"energietransitie",
       "Van het gas af, wijk voor wijk in {city}",
       "Een huishouden in {city} verbruikt gemiddeld {value} m3 gas per jaar (landelijk {nl}). Hoe helpen we bewoners "
       "met energieadvies, isolatie en een eigen energiecoöperatie op weg naar een aardgasvrije wijk?",
       {{"energy-advice", 2}, {"isolatie", 2}, {"energiecooperatie-oprichten", 1}, {"funding", 1}}},
  };
  return kT;
}

std::string Fmt(double v) {
  char buf[32];
  if (v >= 100)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

std::string DateFromDay(int day) {  // days since 2015-01-01 -> ISO date
  TimePoint t = std::chrono::system_clock::from_time_t(1420070400) + std::chrono::hours(24 * day);
  return FormatDate(t);
}

// Every municipality of the CBS file (gemeenten_2025.csv: code, name, province, centroid,
// inhabitants 2024, 2021 indicators); a blank indicator (a municipality merged since) takes the
// national mean. Areas: the seat and four compass quarters (the file names no districts).
Result<std::vector<Gemeente>> ReadGemeenten(const std::string& name, const std::string& text) {
  const std::vector<std::string> cols = {"gm_code",
                                         "gemeente",
                                         "provincie",
                                         "bestuurscentrum",
                                         "lat",
                                         "lon",
                                         "inwoners_2024",
                                         "pct_65plus_2021",
                                         "pct_eenpersoonshh_2021",
                                         "pct_laag_inkomen_hh_2021",
                                         "wmo_clienten_per_1000_2021",
                                         "pct_jongeren_jeugdzorg_2021",
                                         "gem_gasverbruik_m3_2021"};
  WEEFSEL_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(name, text, cols));
  std::vector<Gemeente> out;
  for (const auto& row : t.rows()) {
    auto num = [&](const std::string& col, double fallback, double& v) -> Status {
      const std::string& f = t.Get(row, col);
      if (f.empty()) {
        v = fallback;
        return Status::Ok();
      }
      auto d = ParseDouble(f);
      if (!d || !std::isfinite(*d) || *d < 0) return t.Error(row, col, "not a number >= 0: '" + f + "'");
      v = *d;
      return Status::Ok();
    };
    Gemeente g{};
    g.code = t.Get(row, "gm_code");
    g.name = t.Get(row, "gemeente");
    g.province = t.Get(row, "provincie");
    if (g.code.size() != 6 || g.code.rfind("GM", 0) != 0) return t.Error(row, "gm_code", "not a CBS code GMnnnn");
    if (g.name.empty()) return t.Error(row, "gemeente", "empty");
    double pop = 0;
    WEEFSEL_RETURN_IF_ERROR(num("lat", 52.1, g.lat));
    WEEFSEL_RETURN_IF_ERROR(num("lon", 5.3, g.lon));
    WEEFSEL_RETURN_IF_ERROR(num("inwoners_2024", 0, pop));
    if (pop < 1) return t.Error(row, "inwoners_2024", "a municipality needs inhabitants");
    g.population = static_cast<int64_t>(pop);
    WEEFSEL_RETURN_IF_ERROR(num("pct_65plus_2021", kNl65plus, g.pct_65plus));
    WEEFSEL_RETURN_IF_ERROR(num("pct_eenpersoonshh_2021", kNlSingle, g.pct_single_households));
    WEEFSEL_RETURN_IF_ERROR(num("pct_laag_inkomen_hh_2021", kNlLowIncome, g.pct_low_income));
    WEEFSEL_RETURN_IF_ERROR(num("wmo_clienten_per_1000_2021", kNlWmo, g.wmo_per_1000));
    WEEFSEL_RETURN_IF_ERROR(num("pct_jongeren_jeugdzorg_2021", kNlYouthCare, g.pct_youth_care));
    WEEFSEL_RETURN_IF_ERROR(num("gem_gasverbruik_m3_2021", kNlGas, g.gas_m3));
    std::string seat = t.Get(row, "bestuurscentrum").empty() ? g.name : t.Get(row, "bestuurscentrum");
    g.areas = {seat + " Centrum", seat + " Noord", seat + " Oost", seat + " Zuid", seat + " West"};
    out.push_back(std::move(g));
  }
  if (out.empty()) return Status::InvalidArgument(name + ": no municipalities");
  // Largest first, as the embedded list: the first municipality is the demo programme's.
  std::stable_sort(out.begin(), out.end(),
                   [](const Gemeente& a, const Gemeente& b) { return a.population > b.population; });
  return out;
}

}  // namespace

Result<DemoCity> GenerateDemo(const DemoOptions& o) {
  std::vector<Gemeente> national;
  if (!o.national_csv.empty()) {
    WEEFSEL_ASSIGN_OR_RETURN(national, ReadGemeenten(o.national_csv_name, o.national_csv));
  }
  const std::vector<Gemeente>& all = national.empty() ? Gemeenten() : national;
  const int municipalities = national.empty() ? o.municipalities : static_cast<int>(national.size());
  if (municipalities < 1 || municipalities > static_cast<int>(all.size()))
    return Status::InvalidArgument("--municipalities must lie between 1 and " + std::to_string(all.size()));
  if (o.actors < 10 * municipalities || o.actors > 1000000)
    return Status::InvalidArgument("--actors must lie between " + std::to_string(10 * municipalities) +
                                   " (ten per municipality) and 1000000");
  if (o.challenges_per_municipality < 0 || o.challenges_per_municipality > 6)
    return Status::InvalidArgument("--challenges must lie between 0 and 6 per municipality");

  Rng rng(o.seed);
  DemoCity city;
  std::vector<const Gemeente*> gs;
  double weight_total = 0;
  for (int i = 0; i < municipalities; ++i) {
    const Gemeente& g = all[static_cast<size_t>(i)];
    gs.push_back(&g);
    weight_total += std::pow(static_cast<double>(g.population), 0.7);
    domain::Municipality m{.id = MunicipalityId(i + 1),
                           .cbs_code = g.code,
                           .name = g.name,
                           .province = g.province,
                           .population = g.population,
                           .lat = g.lat,
                           .lon = g.lon};
    city.municipalities.push_back(m);
  }

  // Actors, spread over municipalities by population^0.7, each municipality's own government first.
  std::vector<double> kind_weights;
  for (const auto& ks : kKindShares) kind_weights.push_back(ks.share);
  std::vector<int> muni_of;  // actor index -> municipality index
  std::set<std::string> names;
  int64_t next_id = 1;
  // National (hundreds of small shares): largest remainders, so the total is exact; the embedded
  // list keeps its rounding (the last takes the rest), so its cities stay as they were.
  std::vector<int> national_counts;
  if (!national.empty()) {
    std::vector<std::pair<double, size_t>> rest;
    int given = 0;
    for (size_t mi = 0; mi < gs.size(); ++mi) {
      double share = o.actors * std::pow(static_cast<double>(gs[mi]->population), 0.7) / weight_total;
      national_counts.push_back(static_cast<int>(std::floor(share)));
      given += national_counts.back();
      rest.emplace_back(share - std::floor(share), mi);
    }
    std::stable_sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; given < o.actors && i < rest.size(); ++i, ++given) ++national_counts[rest[i].second];
  }
  for (size_t mi = 0; mi < gs.size(); ++mi) {
    const Gemeente& g = *gs[mi];
    int n =
        !national_counts.empty() ? national_counts[mi]
        : mi + 1 == gs.size()
            ? o.actors - static_cast<int>(city.actors.size())
            : static_cast<int>(std::round(o.actors * std::pow(static_cast<double>(g.population), 0.7) / weight_total));
    for (int k = 0; k < n; ++k) {
      domain::Actor a;
      a.id = ActorId(next_id++);
      a.municipality = MunicipalityId(static_cast<int64_t>(mi) + 1);
      a.kind = k == 0 ? ActorKind::kGovernment : kKindShares[rng.Weighted(kind_weights)].kind;
      a.area = k == 0 ? "" : Pick(rng, g.areas);
      auto affinity = ThemeAffinity(a.kind);
      std::vector<double> tw;
      for (auto& [t, w] : affinity) tw.push_back(w);
      int n_themes = static_cast<int>(rng.Uniform(1, 3));
      for (int t = 0; t < n_themes; ++t) {
        std::string theme = affinity[rng.Weighted(tw)].first;
        if (std::find(a.themes.begin(), a.themes.end(), theme) == a.themes.end()) a.themes.push_back(theme);
      }
      std::vector<std::string> caps;
      for (const auto& t : a.themes)
        for (const char* c : ThemeCapabilities(t))
          if (rng.Bernoulli(0.45)) caps.push_back(c);
      auto kc = KindCapabilities(a.kind);
      caps.push_back(Pick(rng, kc));
      if (rng.Bernoulli(0.4)) caps.push_back(Pick(rng, kc));
      std::vector<std::string> themes_copy = a.themes;
      WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(themes_copy, caps));
      a.capabilities = caps;
      std::string base = k == 0 ? "Gemeente " + std::string(g.name) : MakeName(rng, a.kind, g, a.area, a.themes);
      std::string name = base;
      for (int suffix = 2; names.count(name); ++suffix) name = base + " " + std::to_string(suffix);
      names.insert(name);
      a.name = name;
      if (a.area.empty()) a.area = "Heel " + std::string(g.name);
      a.size = a.kind == ActorKind::kGovernment && k == 0 ? g.population / 100
                                                          : static_cast<int64_t>(std::min(5000.0, rng.Pareto(2, 1.2)));
      a.description = Describe(a, g);
      a.generated = true;
      a.source = "demo";
      muni_of.push_back(static_cast<int>(mi));
      city.actors.push_back(std::move(a));
    }
  }

  // Ties: each actor draws a heavy-tailed number of stubs; partners come from the same
  // municipality, preferring the same area or a shared theme, weighted by their own activity.
  size_t n = city.actors.size();
  std::vector<double> activity(n);
  for (size_t i = 0; i < n; ++i) activity[i] = std::min(rng.Pareto(1.0, 1.8), 60.0);
  std::map<std::pair<int, std::string>, std::vector<size_t>> by_area, by_theme;
  std::map<int, std::vector<size_t>> by_muni;
  for (size_t i = 0; i < n; ++i) {
    const auto& a = city.actors[i];
    if (StartsWith(a.name, "Gemeente ") && a.kind == ActorKind::kGovernment)
      activity[i] = 40;  // municipalities are hubs
    by_area[{muni_of[i], a.area}].push_back(i);
    for (const auto& t : a.themes) by_theme[{muni_of[i], t}].push_back(i);
    by_muni[muni_of[i]].push_back(i);
  }
  auto draw_from = [&](const std::vector<size_t>& pool) {
    std::vector<double> w;
    w.reserve(pool.size());
    for (size_t j : pool) w.push_back(activity[j]);
    return pool[rng.Weighted(w)];
  };
  std::set<std::pair<int64_t, int64_t>> seen;
  int64_t tie_id = 1;
  for (size_t i = 0; i < n; ++i) {
    int stubs = static_cast<int>(std::floor(activity[i] * o.tie_stubs));
    for (int s = 0; s < stubs; ++s) {
      const auto& a = city.actors[i];
      double r = rng.Real();
      const std::vector<size_t>* pool;
      if (r < 0.45)
        pool = &by_area[{muni_of[i], a.area}];
      else if (r < 0.9)
        pool = &by_theme[{muni_of[i], Pick(rng, a.themes)}];
      else
        pool = &by_muni[muni_of[i]];
      if (pool->size() < 2) continue;
      size_t j = draw_from(*pool);
      if (j == i) continue;
      int64_t lo = city.actors[std::min(i, j)].id.value(), hi = city.actors[std::max(i, j)].id.value();
      if (!seen.insert({lo, hi}).second) continue;
      domain::Tie t;
      t.id = TieId(tie_id++);
      t.a = ActorId(lo);
      t.b = ActorId(hi);
      t.weight = static_cast<double>(1 + std::min<int64_t>(4, static_cast<int64_t>(rng.Pareto(1, 2.5)) - 1));
      double k = rng.Real();
      t.kind = k < 0.6    ? domain::TieKind::kWorkedTogether
               : k < 0.85 ? domain::TieKind::kPartnered
                          : domain::TieKind::kCoFunded;
      t.source = rng.Bernoulli(0.7) ? domain::TieSource::kImported : domain::TieSource::kDeclared;
      int start = static_cast<int>(rng.Uniform(0, 3800));
      t.from = DateFromDay(start);
      if (rng.Bernoulli(0.15)) t.until = DateFromDay(start + static_cast<int>(rng.Uniform(90, 1200)));
      city.ties.push_back(t);
    }
  }

  // Challenges: per municipality, the indicators that lie furthest above the national mean.
  int64_t challenge_id = 1;
  for (size_t mi = 0; mi < gs.size(); ++mi) {
    const Gemeente& g = *gs[mi];
    struct Cand {
      size_t tmpl;
      double value, nl, ratio;
    };
    std::vector<Cand> cands = {
        {0, g.pct_65plus, kNl65plus, g.pct_65plus / kNl65plus},
        {1, g.pct_single_households, kNlSingle, g.pct_single_households / kNlSingle},
        {2, g.pct_low_income, kNlLowIncome, g.pct_low_income / kNlLowIncome},
        {3, g.wmo_per_1000, kNlWmo, g.wmo_per_1000 / kNlWmo},
        {4, g.pct_youth_care, kNlYouthCare, g.pct_youth_care / kNlYouthCare},
        {5, g.gas_m3, kNlGas, g.gas_m3 / kNlGas + 0.25},  // every city has a heat transition to make
    };
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.ratio > b.ratio; });
    for (int c = 0; c < o.challenges_per_municipality; ++c) {
      const Cand& cand = cands[static_cast<size_t>(c)];
      const ChallengeTemplate& t = Templates()[cand.tmpl];
      domain::Challenge ch;
      ch.id = ChallengeId(challenge_id++);
      ch.municipality = MunicipalityId(static_cast<int64_t>(mi) + 1);
      ch.title = Replace(t.title, "{city}", g.name);
      ch.text = Replace(Replace(Replace(t.text, "{city}", g.name), "{value}", Fmt(cand.value)), "{nl}", Fmt(cand.nl));
      ch.themes = {t.theme};
      for (auto& [cap, w] : t.capabilities) ch.capabilities.push_back({domain::NormalizeCapability(cap), w});
      ch.sector_mix = {
          {Sector::kGovernment, 1}, {Sector::kBusiness, 1}, {Sector::kKnowledge, 1}, {Sector::kCivilSociety, 1}};
      ch.max_coalition_size = 6;
      ch.budget_eur = (g.population / 1000) * 1000 + 50000;
      ch.deadline = "2027-0" + std::to_string(3 + c) + "-01";
      ch.phase = c == 0 ? domain::ChallengePhase::kOpen : domain::ChallengePhase::kMatching;
      ch.owner = city.actors[0].id;
      for (size_t i = 0; i < n; ++i)
        if (muni_of[i] == static_cast<int>(mi)) {
          ch.owner = city.actors[i].id;
          break;
        }
      ch.created_at = "2026-0" + std::to_string(1 + c) + "-15T09:00:00Z";
      city.challenges.push_back(std::move(ch));
    }
  }
  return city;
}

Status LoadDemo(storage::Store& store, DemoCity& city) {
  return store.Transaction([&]() -> Status {
    for (auto& m : city.municipalities) WEEFSEL_RETURN_IF_ERROR(store.Insert(m).status());
    WEEFSEL_RETURN_IF_ERROR(store.InsertActors(city.actors));
    WEEFSEL_RETURN_IF_ERROR(store.InsertTies(city.ties));
    for (auto& c : city.challenges) WEEFSEL_RETURN_IF_ERROR(store.Insert(c).status());
    return Status::Ok();
  });
}

}  // namespace weefsel::service
