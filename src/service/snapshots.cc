#include "service/snapshots.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

#include "base/clock.h"
#include "fabric/fabric.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

using J = nlohmann::json;

std::string Dump(const J& j) { return j.dump(-1, ' ', false, J::error_handler_t::replace); }

struct FabricData {
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;  // active, both ends in the municipality
};

Result<FabricData> ReadFabric(storage::Store& store, MunicipalityId m) {
  WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(m).status());
  FabricData d;
  storage::ListQuery q;
  q.municipality = m;
  WEEFSEL_ASSIGN_OR_RETURN(d.actors, store.ListActors(q));
  WEEFSEL_ASSIGN_OR_RETURN(d.ties, store.ListTies(q));
  std::unordered_set<int64_t> here;
  for (const auto& a : d.actors) here.insert(a.id.value());
  std::erase_if(d.ties, [&](const domain::Tie& t) {
    return !here.count(t.a.value()) || !here.count(t.b.value()) || !t.until.empty();
  });
  return d;
}

Result<storage::FabricSnapshot> Measure(const FabricData& d, MunicipalityId m, const std::string& taken_at,
                                        const std::string& trigger) {
  storage::FabricSnapshot s;
  s.municipality = m;
  s.taken_at = taken_at;
  s.period = taken_at.substr(0, 7);
  s.trigger = trigger;
  WEEFSEL_ASSIGN_OR_RETURN(fabric::Fabric f, fabric::Fabric::FromDomain(d.actors, d.ties));
  if (f.node_count() == 0) {
    s.health = Dump({{"actors", 0}, {"ties", 0}});
    s.typology = Dump({{"groups", J::array()}, {"actors", J::array()}, {"group", J::array()}});
    return s;
  }
  WEEFSEL_ASSIGN_OR_RETURN(fabric::HealthSnapshot h, fabric::MeasureHealth(f, s.period));
  s.health = Dump({{"actors", h.actors},
                   {"ties", h.ties},
                   {"cross_sector_share", h.cross_sector_share},
                   {"largest_component_share", h.largest_component_share},
                   {"isolates", h.isolates},
                   {"components", h.components},
                   {"modularity", h.modularity},
                   {"mean_sector_distance", h.mean_sector_distance},
                   {"sector_distance_exact", h.sector_distance_exact}});
  WEEFSEL_ASSIGN_OR_RETURN(fabric::Typology t, fabric::FindTypology(f, s.period));
  J groups = J::array();
  for (const auto& g : t.groups)
    groups.push_back({{"id", g.id}, {"name", g.name}, {"features", g.features}, {"size", g.size}});
  s.typology = Dump({{"groups", groups}, {"actors", t.actors}, {"group", t.group}});
  return s;
}

fabric::Typology TypologyOf(const storage::FabricSnapshot& s) {
  fabric::Typology t;
  t.label = s.period;
  J j = J::parse(s.typology, nullptr, false);
  if (!j.is_object()) return t;
  for (const auto& a : j.value("actors", J::array()))
    if (a.is_number_integer()) t.actors.push_back(a.get<int64_t>());
  for (const auto& g : j.value("group", J::array()))
    if (g.is_number_integer()) t.group.push_back(g.get<int>());
  if (t.group.size() != t.actors.size()) t.actors.clear(), t.group.clear();
  return t;
}

Status MayTake(const Principal& p, MunicipalityId m) {
  return core::Can(p, core::Action::kTakeSnapshot, {.municipalities = {m}});
}

}  // namespace

Result<storage::FabricSnapshot> MeasureSnapshot(storage::Store& store, MunicipalityId m, const std::string& taken_at,
                                                const std::string& trigger) {
  WEEFSEL_ASSIGN_OR_RETURN(FabricData d, ReadFabric(store, m));
  return Measure(d, m, taken_at, trigger);
}

Result<int> TakeMonthlySnapshots(storage::Store& store, const std::string& now, MunicipalityId only) {
  std::vector<MunicipalityId> ms;
  if (only.valid()) {
    ms.push_back(only);
  } else {
    WEEFSEL_ASSIGN_OR_RETURN(auto all, store.ListMunicipalities());
    for (const auto& m : all) ms.push_back(m.id);
  }
  int taken = 0;
  for (MunicipalityId m : ms) {
    WEEFSEL_ASSIGN_OR_RETURN(auto have, store.SnapshotsOf(m));
    if (!have.empty() && have.back().period >= now.substr(0, 7)) continue;
    WEEFSEL_ASSIGN_OR_RETURN(storage::FabricSnapshot s, MeasureSnapshot(store, m, now, "monthly"));
    WEEFSEL_RETURN_IF_ERROR(store.Insert(s).status());
    ++taken;
  }
  return taken;
}

Result<storage::FabricSnapshot> SnapshotService::Take(const Principal& p, MunicipalityId m) {
  WEEFSEL_RETURN_IF_ERROR(MayTake(p, m));
  FabricData d;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read([&](storage::Store& store) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(d, ReadFabric(store, m));
    return Status::Ok();
  }));
  WEEFSEL_ASSIGN_OR_RETURN(storage::FabricSnapshot snap,
                           Measure(d, m, FormatTimestamp(platform_.clock().Now()), "on_demand"));
  WEEFSEL_RETURN_IF_ERROR(
      platform_.engine_store().Write([&](storage::Store& store) { return store.Insert(snap).status(); }));
  return snap;
}

Result<std::vector<SnapshotWithStability>> SnapshotService::List(MunicipalityId m) {
  std::vector<storage::FabricSnapshot> snaps;
  std::string now = FormatTimestamp(platform_.clock().Now());
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Write([&](storage::Store& s) -> Status {
    WEEFSEL_RETURN_IF_ERROR(s.GetMunicipality(m).status());
    WEEFSEL_RETURN_IF_ERROR(TakeMonthlySnapshots(s, now, m).status());
    WEEFSEL_ASSIGN_OR_RETURN(snaps, s.SnapshotsOf(m));
    return Status::Ok();
  }));
  std::vector<SnapshotWithStability> out;
  for (size_t i = 0; i < snaps.size(); ++i) {
    SnapshotWithStability s{snaps[i], std::nullopt};
    if (i > 0) s.since_previous = fabric::CompareTypologies(TypologyOf(snaps[i - 1]), TypologyOf(snaps[i]));
    out.push_back(std::move(s));
  }
  return out;
}

Result<CoalitionTies> SnapshotService::TiesOf(CoalitionId id) {
  CoalitionTies out;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read([&](storage::Store& s) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(out.coalition, s.GetCoalition(id));
    out.since = out.coalition.created_at.substr(0, 10);
    std::unordered_set<int64_t> members;
    for (const auto& m : out.coalition.members)
      if (m.status == domain::MemberStatus::kAccepted) members.insert(m.actor.value());
    std::unordered_set<int64_t> seen;
    for (int64_t a : members) {
      WEEFSEL_ASSIGN_OR_RETURN(auto ties, s.TiesOf(ActorId(a)));
      for (auto& t : ties) {
        if (!members.count(t.a.value()) || !members.count(t.b.value())) continue;
        if (t.from.empty() || t.from.substr(0, 10) < out.since) continue;
        if (seen.insert(t.id.value()).second) out.ties.push_back(std::move(t));
      }
    }
    std::sort(out.ties.begin(), out.ties.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    return Status::Ok();
  }));
  return out;
}

}  // namespace weefsel::service
