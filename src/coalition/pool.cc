#include "coalition/pool.h"

#include <algorithm>

#include "base/strings.h"
#include "domain/vocabulary.h"

namespace weefsel::coalition {

std::string_view LocalityCode(Locality l) {
  switch (l) {
    case Locality::kAnywhere:
      return "anywhere";
    case Locality::kWijk:
      return "wijk";
    case Locality::kMunicipality:
      return "municipality";
    case Locality::kNeighbour:
      return "neighbour";
  }
  return "anywhere";
}

Pool PoolCandidates(const domain::Challenge& ch, const std::vector<RankedActor>& ranked,
                    const std::function<const domain::Actor*(ActorId)>& actor_of,
                    const std::unordered_set<MunicipalityId>& neighbours, const PoolRequest& request) {
  Pool out;
  const bool local = ch.municipality.valid();
  const std::string wijk = FoldCase(Trim(ch.area));
  auto locality_of = [&](const domain::Actor& a) -> std::optional<Locality> {
    if (!local) return Locality::kAnywhere;
    if (a.municipality == ch.municipality)
      return !wijk.empty() && FoldCase(Trim(a.area)) == wijk ? Locality::kWijk : Locality::kMunicipality;
    if (a.municipality.valid() && neighbours.count(a.municipality)) return Locality::kNeighbour;
    return std::nullopt;
  };
  std::unordered_set<int64_t> seen;
  // Adds the actor when admissible; `why` set admits a neighbour (with that reason).
  auto add = [&](ActorId id, double relevance, const std::string& why, bool any_place = false) {
    if (seen.count(id.value())) return false;
    const domain::Actor* a = actor_of(id);
    if (!a) return false;
    auto loc = locality_of(*a);
    if (!any_place && (!loc || (*loc == Locality::kNeighbour && why.empty()))) return false;
    seen.insert(id.value());
    Locality place = loc ? *loc : Locality::kAnywhere;
    Candidate c{a->id, a->name, domain::SectorOf(a->kind), {}, relevance + (place == Locality::kWijk ? kWijkBonus : 0)};
    for (const auto& cap : a->capabilities) c.capabilities.push_back(domain::NormalizeCapability(cap));
    out.candidates.push_back(std::move(c));
    out.places.push_back({a->municipality, a->area, place, place == Locality::kNeighbour ? why : ""});
    return true;
  };
  Rules& rules = out.rules;
  for (const auto& need : ch.capabilities)
    rules.needs.push_back({domain::NormalizeCapability(need.capability), need.weight});
  rules.mix = request.mix ? *request.mix : ch.sector_mix;
  rules.max_size = request.max_size > 0 ? request.max_size : ch.max_coalition_size;
  rules.relevance_weight = 1.0;
  rules.unreachable_distance = 10.0;
  if (ch.owner.valid() && add(ch.owner, 0, "", /*any_place=*/true)) rules.lead = 0;

  int taken = 0;
  for (const auto& r : ranked) {
    if (taken >= request.candidates) break;
    if (add(r.actor, r.score, "")) ++taken;
  }
  auto holds = [](const domain::Actor& a, const std::string& tag) {
    return std::any_of(a.capabilities.begin(), a.capabilities.end(),
                       [&](const std::string& c) { return domain::NormalizeCapability(c) == tag; });
  };
  auto pooled_holds = [&](const std::string& tag) {
    return std::any_of(out.candidates.begin(), out.candidates.end(), [&](const Candidate& c) {
      return std::find(c.capabilities.begin(), c.capabilities.end(), tag) != c.capabilities.end();
    });
  };
  const std::string here = local ? "the challenge's municipality" : "the platform";
  // Capabilities: the 3 best local holders; neighbours only when there is no local one.
  for (const auto& need : rules.needs) {
    int got = 0, elsewhere = 0;
    for (const auto& r : ranked) {
      const domain::Actor* a = actor_of(r.actor);
      if (!a || !holds(*a, need.capability)) continue;
      auto loc = locality_of(*a);
      if (!loc || *loc == Locality::kNeighbour) {
        ++elsewhere;
        continue;
      }
      if (got < 3) add(r.actor, r.score, ""), ++got;
    }
    if (pooled_holds(need.capability)) continue;
    int from_neighbours = 0;
    for (const auto& r : ranked) {
      if (from_neighbours >= 3) break;
      const domain::Actor* a = actor_of(r.actor);
      if (a && holds(*a, need.capability) &&
          add(r.actor, r.score,
              "neighbouring municipality: no organisation in " + here + " has capability '" + need.capability + "'"))
        ++from_neighbours;
    }
    if (pooled_holds(need.capability)) continue;
    if (local)
      out.unmet.emplace_back("capability:" + need.capability,
                             "too few local organisations with capability '" + need.capability +
                                 "': none in the challenge's municipality or its neighbours (1 holder short; " +
                                 std::to_string(elsewhere) + " elsewhere on the platform)");
    else
      out.unmet.emplace_back("capability:" + need.capability,
                             "capability '" + need.capability + "': no actor on the platform has it (1 holder short)");
  }
  // Sectors: the best count + 2 local actors of each; neighbours for what the municipality lacks.
  int mix_total = 0;
  for (auto [mix_sector, count] : rules.mix) {
    const domain::Sector sector = mix_sector;
    mix_total += count;
    auto have = [&] {
      return static_cast<int>(std::count_if(out.candidates.begin(), out.candidates.end(),
                                            [&](const Candidate& c) { return c.sector == sector; }));
    };
    int got = 0;
    for (const auto& r : ranked) {
      if (got >= count + 2) break;
      const domain::Actor* a = actor_of(r.actor);
      if (!a || domain::SectorOf(a->kind) != sector) continue;
      auto loc = locality_of(*a);
      if (!loc || *loc == Locality::kNeighbour) continue;
      add(r.actor, r.score, "");
      ++got;
    }
    const std::string code(domain::SectorCode(sector));
    for (const auto& r : ranked) {
      if (have() >= count) break;
      const domain::Actor* a = actor_of(r.actor);
      if (a && domain::SectorOf(a->kind) == sector)
        add(r.actor, r.score,
            "neighbouring municipality: too few " + code + " organisations in " + here + " for the sector mix");
    }
    const int h = have();
    if (h < count)
      out.unmet.emplace_back(
          "sector_mix:" + code,
          local ? "too few local organisations of sector " + code + ": the sector mix needs " + std::to_string(count) +
                      ", the challenge's municipality and its neighbours "
                      "have " +
                      std::to_string(h) + " (" + std::to_string(count - h) + " short)"
                : "sector mix needs " + std::to_string(count) + " " + code + " member(s) but the platform has " +
                      std::to_string(h) + " (" + std::to_string(count - h) + " short)");
  }
  if (mix_total > rules.max_size)
    out.unmet.emplace_back("max_size", "the sector mix needs at least " + std::to_string(mix_total) +
                                           " members but the size limit is " + std::to_string(rules.max_size) + " (" +
                                           std::to_string(mix_total - rules.max_size) + " too few)");
  if (out.unmet.empty()) {
    Status check = CheckRules(out.candidates, rules);
    if (!check.ok()) out.unmet.emplace_back("max_size", check.message());
  }
  return out;
}

}  // namespace weefsel::coalition
