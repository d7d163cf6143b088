#include "domain/vocabulary.h"

#include <cctype>
#include <unordered_map>

#include "base/strings.h"

namespace weefsel::domain {

const std::vector<Theme>& Themes() {
  static const std::vector<Theme> kThemes = {
      {"vergrijzing", "Vergrijzing", "Ageing"},
      {"eenzaamheid", "Eenzaamheid", "Loneliness"},
      {"armoede", "Armoede en schulden", "Poverty and debt"},
      {"jeugd", "Jeugd", "Youth"},
      {"onderwijs", "Onderwijs", "Education"},
      {"zorg", "Zorg en welzijn", "Care and welfare"},
      {"ouderenzorg", "Ouderenzorg", "Elderly care"},
      {"gezondheid", "Gezondheid", "Health"},
      {"energietransitie", "Energietransitie", "Energy transition"},
      {"klimaatadaptatie", "Klimaatadaptatie", "Climate adaptation"},
      {"circulaire_economie", "Circulaire economie", "Circular economy"},
      {"wonen", "Wonen", "Housing"},
      {"werk_en_participatie", "Werk en participatie", "Work and participation"},
      {"inclusie", "Inclusie en diversiteit", "Inclusion and diversity"},
      {"mobiliteit", "Mobiliteit", "Mobility"},
      {"voedsel", "Voedsel", "Food"},
      {"veiligheid", "Veiligheid", "Safety"},
      {"cultuur", "Cultuur", "Culture"},
      {"sport", "Sport en bewegen", "Sport and exercise"},
      {"groen", "Groen en natuur", "Green space and nature"},
      {"digitalisering", "Digitale inclusie", "Digital inclusion"},
      {"leefbaarheid", "Leefbaarheid", "Liveability"},
  };
  return kThemes;
}

static std::string Key(std::string_view s) {
  std::string f = FoldCase(Trim(s));
  std::string out;
  for (char c : f) out += (c == ' ' || c == '-') ? '_' : c;
  return out;
}

const Theme* FindTheme(std::string_view code) {
  for (const Theme& t : Themes())
    if (t.code == code) return &t;
  return nullptr;
}

Result<std::string> ParseTheme(std::string_view input) {
  std::string k = Key(input);
  for (const Theme& t : Themes()) {
    if (k == t.code || k == Key(t.nl) || k == Key(t.en)) return std::string(t.code);
  }
  // Common aliases seen in municipal data.
  static const std::unordered_map<std::string, std::string_view> kAliases = {
      {"welzijn", "zorg"},
      {"welzijn_en_zorg", "zorg"},
      {"zorg_en_welzijn", "zorg"},
      {"ouderen", "vergrijzing"},
      {"energie", "energietransitie"},
      {"duurzaamheid", "energietransitie"},
      {"klimaat", "klimaatadaptatie"},
      {"armoedebestrijding", "armoede"},
      {"schulden", "armoede"},
      {"participatie", "werk_en_participatie"},
      {"werk", "werk_en_participatie"},
      {"jongeren", "jeugd"},
      {"educatie", "onderwijs"},
      {"diversiteit", "inclusie"},
      {"natuur", "groen"},
      {"openbare_ruimte", "leefbaarheid"},
      {"kunst_en_cultuur", "cultuur"},
      {"economie", "werk_en_participatie"},
      {"huisvesting", "wonen"},
      {"verkeer", "mobiliteit"},
      {"sport_en_recreatie", "sport"},
      {"voeding", "voedsel"},
      {"care", "zorg"},
      {"elderly", "vergrijzing"},
  };
  if (auto it = kAliases.find(k); it != kAliases.end()) return std::string(it->second);
  return Status::InvalidArgument("unknown theme '" + std::string(input) +
                                 "' (expected a code such as 'vergrijzing', 'energietransitie' or 'wonen')");
}

std::string NormalizeCapability(std::string_view input) {
  std::string f;
  for (char c : FoldCase(Trim(input))) {
    if (c == '&')
      f += " en ";
    else
      f += c;  // "zorg & welzijn" is "zorg en welzijn"
  }
  std::string out;
  bool pending_sep = false;
  for (char c : f) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      if (pending_sep && !out.empty()) out += '-';
      pending_sep = false;
      out += c;
    } else {
      pending_sep = true;
    }
  }
  static const std::unordered_map<std::string, std::string> kSynonyms = {
      {"ict", "software"},
      {"it", "software"},
      {"softwareontwikkeling", "software"},
      {"software-development", "software"},
      {"programmeren", "software"},
      {"onderzoek", "research"},
      {"wetenschappelijk-onderzoek", "research"},
      {"data-analyse", "data-analysis"},
      {"data-analytics", "data-analysis"},
      {"datascience", "data-analysis"},
      {"financiering", "funding"},
      {"fondsenwerving", "funding"},
      {"subsidie", "funding"},
      {"zorg-en-welzijn", "care"},
      {"zorg", "care"},
      {"thuiszorg", "home-care"},
      {"vrijwilligers", "volunteers"},
      {"vrijwilligerswerk", "volunteers"},
      {"communicatie", "communication"},
      {"projectmanagement", "project-management"},
      {"projectleiding", "project-management"},
      {"beleid", "policy"},
      {"evaluatie", "evaluation"},
      {"monitoring", "evaluation"},
      {"bouw", "construction"},
      {"energie-advies", "energy-advice"},
      {"onderwijs", "education"},
      {"training", "education"},
      {"opleiding", "education"},
      {"community-building", "community-organising"},
      {"buurtwerk", "community-organising"},
      {"ontwerp", "design"},
      {"vormgeving", "design"},
      {"juridisch", "legal"},
      {"logistiek", "logistics"},
      {"opbouwwerk", "community-organising"},
      {"energieadvies", "energy-advice"},
      {"gegevensanalyse", "data-analysis"},
      {"software-ontwikkeling", "software"},
  };
  if (auto it = kSynonyms.find(out); it != kSynonyms.end()) return it->second;
  return out;
}

const std::vector<CapabilityTerm>& CapabilityTerms() {
  static const std::vector<CapabilityTerm> kTerms = {
      {"care", "Zorg", "Care"},
      {"community-organising", "Opbouwwerk", "Community organising"},
      {"communication", "Communicatie", "Communication"},
      {"construction", "Bouw", "Construction"},
      {"data-analysis", "Data-analyse", "Data analysis"},
      {"design", "Ontwerp", "Design"},
      {"education", "Onderwijs", "Education"},
      {"energy-advice", "Energieadvies", "Energy advice"},
      {"evaluation", "Evaluatie", "Evaluation"},
      {"funding", "Financiering", "Funding"},
      {"home-care", "Thuiszorg", "Home care"},
      {"legal", "Juridisch", "Legal"},
      {"logistics", "Logistiek", "Logistics"},
      {"policy", "Beleid", "Policy"},
      {"project-management", "Projectmanagement", "Project management"},
      {"research", "Onderzoek", "Research"},
      {"software", "Software", "Software"},
      {"volunteers", "Vrijwilligers", "Volunteers"},
  };
  return kTerms;
}

const CapabilityTerm* FindCapabilityTerm(std::string_view code) {
  for (const CapabilityTerm& t : CapabilityTerms())
    if (t.code == code) return &t;
  return nullptr;
}

namespace {
struct KindInfo {
  ActorKind kind;
  std::string_view code, nl, en;
  Sector sector;
};
const KindInfo kKinds[] = {
    {ActorKind::kSocialEnterprise, "social_enterprise", "Sociale onderneming", "Social enterprise", Sector::kBusiness},
    {ActorKind::kCompany, "company", "Bedrijf", "Company", Sector::kBusiness},
    {ActorKind::kKnowledgeInstitution, "knowledge_institution", "Kennisinstelling", "Knowledge institution",
     Sector::kKnowledge},
    {ActorKind::kCitizensInitiative, "citizens_initiative", "Burgerinitiatief", "Citizens' initiative",
     Sector::kCivilSociety},
    {ActorKind::kCareWelfare, "care_welfare", "Zorg- en welzijnsorganisatie", "Care and welfare organisation",
     Sector::kCivilSociety},
    {ActorKind::kFoundationFunder, "foundation_funder", "Fonds of stichting", "Foundation or funder",
     Sector::kCivilSociety},
    {ActorKind::kGovernment, "government", "Overheid", "Government", Sector::kGovernment},
};
const KindInfo& Info(ActorKind k) { return kKinds[static_cast<int>(k)]; }
}  // namespace

std::string_view ActorKindCode(ActorKind k) { return Info(k).code; }
std::string_view ActorKindLabelNl(ActorKind k) { return Info(k).nl; }
std::string_view ActorKindLabelEn(ActorKind k) { return Info(k).en; }
Sector SectorOf(ActorKind k) { return Info(k).sector; }

const std::vector<ActorKind>& AllActorKinds() {
  static const std::vector<ActorKind> kAll = {
      ActorKind::kSocialEnterprise,   ActorKind::kCompany,     ActorKind::kKnowledgeInstitution,
      ActorKind::kCitizensInitiative, ActorKind::kCareWelfare, ActorKind::kFoundationFunder,
      ActorKind::kGovernment};
  return kAll;
}

Result<ActorKind> ParseActorKind(std::string_view s) {
  std::string k = Key(s);
  for (const KindInfo& i : kKinds)
    if (k == i.code || k == Key(i.nl) || k == Key(i.en)) return i.kind;
  return Status::InvalidArgument("unknown actor kind '" + std::string(s) +
                                 "' (expected one of social_enterprise, company, knowledge_institution, "
                                 "citizens_initiative, care_welfare, foundation_funder, government)");
}

std::string_view SectorCode(Sector s) {
  switch (s) {
    case Sector::kGovernment:
      return "government";
    case Sector::kBusiness:
      return "business";
    case Sector::kKnowledge:
      return "knowledge";
    case Sector::kCivilSociety:
      return "civil_society";
  }
  return "";
}

Result<Sector> ParseSector(std::string_view s) {
  std::string k = Key(s);
  for (int i = 0; i < kSectorCount; ++i)
    if (k == SectorCode(static_cast<Sector>(i))) return static_cast<Sector>(i);
  return Status::InvalidArgument("unknown sector '" + std::string(s) +
                                 "' (expected government, business, knowledge or civil_society)");
}

}  // namespace weefsel::domain
