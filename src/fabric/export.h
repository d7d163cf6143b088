// fabric/export.h: the fabric as files for Gephi, Kumu and other tools.
//
// GraphML (undirected; node attributes label, kind, sector, area, themes, capabilities, the
// columns of an imported .nodes file, and, when a report is given, degree, community, betweenness,
// constraint, coreness and role; edge attribute weight), GEXF 1.2 (the same attributes, for Gephi and networkx)
// and Kumu's two CSV sheets (elements: Label, Type, Tags, Description and the measures;
// connections: From, To, Type, Strength). Node ids in every format are the external ids (ActorId or
// the id in the imported file). Output is deterministic. Pure functions; thread-safe.
//
// ToReportJson is the report as one JSON object (what `weefsel fabric report --json` prints): at
// least `components` (count), `modularity` (best partition found), `communities` (node id ->
// community), `betweenness` and `constraint` (node id -> raw value; constraint null for isolates)
// and `diameter` (largest component, hops), all unweighted; on a weighted fabric the weighted
// measures under `weighted` with the same keys. Node ids are the external ids, as JSON keys.
//
// WeaveObject is weave's result as one JSON object, the same for `weefsel fabric weave --json` and
// `GET .../fabric/weave`: `objective_before`, `objective_after`, `candidates` and `suggestions`,
// each with `from`, `to` (written by `node`: the CLI writes the external id, the API the actor's
// id and name), `gain`, `parts` (reach, bridging, redundancy, mix) and `reason`.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "fabric/analysis.h"
#include "fabric/fabric.h"
#include "fabric/weave.h"

namespace weefsel::fabric {

std::string ToGraphMl(const Fabric& fabric, const Report* report = nullptr);
std::string ToGexf(const Fabric& fabric, const Report* report = nullptr);

struct KumuSheets {
  std::string elements;
  std::string connections;
};
KumuSheets ToKumu(const Fabric& fabric, const Report* report = nullptr);

// The report as one JSON object (compact, one line, no trailing newline).
std::string ToReportJson(const Fabric& fabric, const Report& report);

// Weave's result as one JSON object (keys in the order above); `node` writes a suggestion's end.
nlohmann::ordered_json WeaveObject(const WeaveResult& weave,
                                   const std::function<nlohmann::ordered_json(int node)>& node);

}  // namespace weefsel::fabric
