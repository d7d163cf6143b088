// domain/vocabulary.h: the controlled vocabularies of weefsel.
//
// Themes are a fixed list with a stable code (used in storage, the API and exports) and Dutch and
// English labels; an input theme may be given by code or by either label, in any case and with or
// without diacritics. Capability tags are free but normalised (lower case, diacritics folded,
// spaces to hyphens, synonyms mapped onto one canonical tag) so that "Zorg & Welzijn" and
// "zorg-en-welzijn" are one capability. Actor kinds map onto the four sectors of a coalition's mix.
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace weefsel::domain {

struct Theme {
  std::string_view code;  // "ouderenzorg"
  std::string_view nl;    // "Ouderenzorg"
  std::string_view en;    // "Elderly care"
};

const std::vector<Theme>& Themes();
// Finds a theme by code or label; NotFound names the input and lists nothing else.
Result<std::string> ParseTheme(std::string_view input);
const Theme* FindTheme(std::string_view code);

// The canonical capability tags that synonyms map onto, with Dutch and English labels, for the UI
// (GET /api/v1/vocabulary): a tag is stored as its code ("volunteers") and shown by its label
// ("Vrijwilligers" in Dutch). Each Dutch and English label normalises back to its code. Tags
// outside this list are free words, shown as typed.
struct CapabilityTerm {
  std::string_view code;  // "volunteers"
  std::string_view nl;    // "Vrijwilligers"
  std::string_view en;    // "Volunteers"
};
const std::vector<CapabilityTerm>& CapabilityTerms();
const CapabilityTerm* FindCapabilityTerm(std::string_view code);

// Lower case, diacritics folded, runs of spaces/underscores/'&'/'/' to one hyphen, synonyms mapped.
// Returns an empty string for input with no letters or digits.
std::string NormalizeCapability(std::string_view input);

enum class ActorKind {
  kSocialEnterprise,
  kCompany,
  kKnowledgeInstitution,
  kCitizensInitiative,
  kCareWelfare,
  kFoundationFunder,
  kGovernment,
};
inline constexpr int kActorKindCount = 7;

enum class Sector { kGovernment, kBusiness, kKnowledge, kCivilSociety };
inline constexpr int kSectorCount = 4;

std::string_view ActorKindCode(ActorKind k);  // "social_enterprise"
std::string_view ActorKindLabelNl(ActorKind k);
std::string_view ActorKindLabelEn(ActorKind k);
Result<ActorKind> ParseActorKind(std::string_view s);
const std::vector<ActorKind>& AllActorKinds();

Sector SectorOf(ActorKind k);
std::string_view SectorCode(Sector s);  // "government", "business", "knowledge", "civil_society"
Result<Sector> ParseSector(std::string_view s);

}  // namespace weefsel::domain
