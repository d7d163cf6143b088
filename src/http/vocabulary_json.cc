#include "http/vocabulary_json.h"

#include <array>
#include <optional>
#include <string_view>

#include "domain/model.h"
#include "domain/vocabulary.h"

namespace weefsel::http {

using Json = nlohmann::json;

namespace {

// The four sectors of a coalition's mix have no labels in the domain (it needs only their codes);
// the API's vocabulary is where the UI finds them.
struct SectorLabel {
  domain::Sector sector;
  std::string_view nl, en;
};
constexpr std::array<SectorLabel, domain::kSectorCount> kSectorLabels{{
    {domain::Sector::kGovernment, "Overheid", "Government"},
    {domain::Sector::kBusiness, "Bedrijfsleven", "Business"},
    {domain::Sector::kKnowledge, "Kennis", "Knowledge"},
    {domain::Sector::kCivilSociety, "Maatschappelijk middenveld", "Civil society"},
}};

}  // namespace

Json VocabularyJson() {
  Json caps = Json::array(), themes = Json::array(), kinds = Json::array(), sectors = Json::array();
  for (const auto& t : domain::CapabilityTerms()) caps.push_back({{"code", t.code}, {"nl", t.nl}, {"en", t.en}});
  for (const auto& t : domain::Themes()) themes.push_back({{"code", t.code}, {"nl", t.nl}, {"en", t.en}});
  for (auto k : domain::AllActorKinds())
    kinds.push_back({{"code", domain::ActorKindCode(k)},
                     {"nl", domain::ActorKindLabelNl(k)},
                     {"en", domain::ActorKindLabelEn(k)},
                     {"sector", domain::SectorCode(domain::SectorOf(k))}});
  for (const SectorLabel& s : kSectorLabels)
    sectors.push_back({{"code", domain::SectorCode(s.sector)}, {"nl", s.nl}, {"en", s.en}});
  // The programme path in order (closed is the way out from any phase, not a step of the path).
  Json challenge_phases = Json::array(), round_phases = Json::array();
  for (std::optional p = domain::ChallengePhase::kOpen; p; p = domain::NextChallengePhase(*p))
    challenge_phases.push_back(domain::ChallengePhaseCode(*p));
  for (std::optional p = domain::RoundPhase::kSubmission; p; p = domain::NextRoundPhase(*p))
    round_phases.push_back(domain::RoundPhaseCode(*p));
  return {{"capabilities", caps},
          {"themes", themes},
          {"actor_kinds", kinds},
          {"sectors", sectors},
          {"challenge_phases", challenge_phases},
          {"round_phases", round_phases}};
}

}  // namespace weefsel::http
