#include "coalition/pool.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "domain/vocabulary.h"

namespace weefsel::coalition {
namespace {

bool SameArea(const std::string& a, const std::string& b) {
  if (a.empty() || a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool Holds(const domain::Actor& a, const std::string& capability) {
  return std::any_of(a.capabilities.begin(), a.capabilities.end(),
                     [&](const std::string& c) { return domain::NormalizeCapability(c) == capability; });
}

}  // namespace

Pool PoolCandidates(const domain::Challenge& ch, const std::vector<RankedActor>& ranked, const ActorLookup& actor,
                    const PoolOptions& options) {
  Pool pool;
  std::unordered_set<int64_t> seen;
  auto local = [&](const domain::Actor& a) { return !ch.municipality.valid() || a.municipality == ch.municipality; };
  auto add = [&](ActorId id, double score, const std::string& why) {
    const domain::Actor* a = actor(id);
    if (!a || !seen.insert(id.value()).second) return false;
    Candidate c{a->id, a->name, domain::SectorOf(a->kind), {}, score};
    for (const auto& cap : a->capabilities) c.capabilities.push_back(domain::NormalizeCapability(cap));
    if (local(*a) && !ch.area.empty() && SameArea(a->area, ch.area)) c.relevance += options.area_bonus;
    c.municipality = a->municipality;
    c.area = a->area;
    if (!local(*a)) c.why = why;
    pool.candidates.push_back(std::move(c));
    return true;
  };
  if (ch.owner.valid() && add(ch.owner, 0, "the challenge's owner")) pool.lead = 0;
  int taken = 0;
  for (const auto& r : ranked) {
    if (taken >= options.best) break;
    const domain::Actor* a = actor(r.actor);
    if (a && local(*a) && add(r.actor, r.score, "")) ++taken;
  }
  // Every needed capability: its best local holders; outsiders only when no local actor has it.
  for (const auto& need : ch.capabilities) {
    const std::string cap = domain::NormalizeCapability(need.capability);
    int got = 0;
    for (const auto& r : ranked) {
      if (got >= options.per_capability) break;
      const domain::Actor* a = actor(r.actor);
      if (!a || !local(*a) || !Holds(*a, cap)) continue;
      add(r.actor, r.score, "");
      ++got;
    }
    bool held = std::any_of(pool.candidates.begin(), pool.candidates.end(), [&](const Candidate& c) {
      return c.why.empty() && std::find(c.capabilities.begin(), c.capabilities.end(), cap) != c.capabilities.end();
    });
    if (held) continue;
    const std::string why = "no organisation in the challenge's municipality has capability '" + cap + "'";
    int outside = 0;
    for (const auto& r : ranked) {
      if (outside >= options.per_capability) break;
      const domain::Actor* a = actor(r.actor);
      if (!a || local(*a) || !Holds(*a, cap)) continue;
      add(r.actor, r.score, why);
      ++outside;
    }
    pool.shortfall.push_back("too few local organisations with capability '" + cap + "' (none): " +
                             (outside > 0 ? std::to_string(outside) + " from other municipalities considered"
                                          : std::string("none elsewhere on the platform either")));
  }
  // Every sector of the mix: its best local actors; outsiders for what the locals lack.
  for (auto [mix_sector, count] : ch.sector_mix) {
    const domain::Sector sector = mix_sector;
    int got = 0;
    for (const auto& r : ranked) {
      if (got >= count + options.per_sector_extra) break;
      const domain::Actor* a = actor(r.actor);
      if (!a || !local(*a) || domain::SectorOf(a->kind) != sector) continue;
      add(r.actor, r.score, "");
      ++got;
    }
    const int have =
        static_cast<int>(std::count_if(pool.candidates.begin(), pool.candidates.end(),
                                       [&](const Candidate& c) { return c.why.empty() && c.sector == sector; }));
    if (have >= count) continue;
    const std::string code(domain::SectorCode(sector));
    const std::string why = "too few " + code + " organisations in the challenge's municipality (" +
                            std::to_string(have) + " of " + std::to_string(count) + ")";
    int outside = 0;
    for (const auto& r : ranked) {
      if (outside >= count - have + options.per_sector_extra) break;
      const domain::Actor* a = actor(r.actor);
      if (!a || local(*a) || domain::SectorOf(a->kind) != sector) continue;
      if (add(r.actor, r.score, why)) ++outside;
    }
    pool.shortfall.push_back("too few local " + code + " organisations (" + std::to_string(have) + " of " +
                             std::to_string(count) + " the sector mix asks for): " +
                             (outside > 0 ? std::to_string(outside) + " from other municipalities considered"
                                          : std::string("none elsewhere on the platform either")));
  }
  return pool;
}

}  // namespace weefsel::coalition
