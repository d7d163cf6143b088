#include "match/match_json.h"

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "base/strings.h"
#include "domain/vocabulary.h"

namespace weefsel::match {
namespace {

// The count a reason's detail starts with ("3 past coalition(s) ..."), after the learned stage's
// "learned: " mark.
std::optional<int64_t> LeadingCount(std::string_view detail) {
  constexpr std::string_view kLearned = "learned: ";
  if (detail.substr(0, kLearned.size()) == kLearned) detail.remove_prefix(kLearned.size());
  size_t n = 0;
  while (n < detail.size() && detail[n] >= '0' && detail[n] <= '9') ++n;
  return ParseInt(std::string(detail.substr(0, n)));
}

}  // namespace

nlohmann::ordered_json ToJson(const Reason& r) {
  nlohmann::ordered_json params = {{"value", r.value}, {"contribution", r.contribution}};
  if (r.code == "capability") {
    params["items"] = r.items;
    params["named_in_text"] = r.named_in_text;
  }
  if (r.code == "text" || r.code == "theme") params["reduced"] = r.detail.find("(reduced") != std::string::npos;
  if (r.code == "area") params["same_municipality"] = r.value >= 1;
  if (r.code == "closeness" && r.value > 0) params["steps"] = static_cast<int>(std::lround(1 / r.value));
  if (r.code == "similar" || r.code == "owner_similar" || r.code == "near_similar") {
    if (auto count = LeadingCount(r.detail)) params["count"] = *count;
    if (!r.items.empty()) params["example"] = r.items.front();
  }
  if (r.code == "recent_similar" || r.code == "recent_partner" || r.code == "active" || r.code == "partners2" ||
      r.code == "walk") {
    if (auto count = LeadingCount(r.detail)) params["count"] = *count;
  }
  if (r.code == "recent_similar" && !r.items.empty()) params["example"] = r.items.front();
  if (r.code == "recent_partner" && r.items.size() == 2) {
    params["example"] = r.items[0];
    if (auto year = ParseInt(r.items[1])) params["year"] = *year;
  }
  if (r.code == "active" && !r.items.empty())
    if (auto year = ParseInt(r.items.front())) params["year"] = *year;
  if (r.code == "kind_fit") {
    // The detail leads with the share of the votes ("37% of the partners ..."); items = the kind's code.
    if (auto share = LeadingCount(r.detail)) params["share"] = static_cast<double>(*share) / 100.0;
    if (!r.items.empty()) params["kind"] = r.items.front();
  }
  if (r.code == "invitations_accepted" || r.code == "invitations_declined")
    params["count"] = static_cast<int>(std::lround(r.value));
  if (r.learned) {
    params["learned"] = true;
    params["direction"] = r.contribution > 0 ? "up" : r.contribution < 0 ? "down" : "none";
  }
  if (r.code == "record") {
    // The count of past coalitions leads the detail ("3 past coalition(s) or project(s)"); value is
    // its log-scaled share.
    if (auto count = LeadingCount(r.detail)) params["count"] = *count;
  }
  return {{"code", r.code},       {"params", params},    {"value", r.value},
          {"items", r.items},     {"detail", r.detail},  {"contribution", r.contribution},
          {"primary", r.primary}, {"learned", r.learned}};
}

nlohmann::ordered_json ToJson(const Match& m) {
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const Reason& r : m.reasons) reasons.push_back(ToJson(r));
  return {{"actor", m.actor.value()},
          {"name", m.name},
          {"sector", domain::SectorCode(m.sector)},
          {"score", m.score},
          {"scored_by", m.learned ? "learned" : "linear"},
          {"community", m.community},
          {"unexpected", m.unexpected},
          {"rank", m.rank},
          {"score_rank", m.score_rank},
          {"moved_up", m.moved_up},
          {"reasons", reasons}};
}

}  // namespace weefsel::match
