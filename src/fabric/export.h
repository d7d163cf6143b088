// fabric/export.h: the fabric as files for Gephi, Kumu and other tools.
//
// GraphML (undirected; node attributes label, kind, sector, area, themes, capabilities, the
// columns of an imported .nodes file, and, when a report is given, degree, community, betweenness,
// constraint, coreness and role; edge attribute weight), GEXF 1.2 (the same attributes, for Gephi and networkx)
// and Kumu's two CSV sheets (elements: Label, Type, Tags, Description and the measures;
// connections: From, To, Type, Strength). Node ids in every format are the external ids (ActorId or
// the id in the imported file). Output is deterministic. Pure functions; thread-safe.
#pragma once

#include <string>

#include "fabric/analysis.h"
#include "fabric/fabric.h"

namespace weefsel::fabric {

std::string ToGraphMl(const Fabric& fabric, const Report* report = nullptr);
std::string ToGexf(const Fabric& fabric, const Report* report = nullptr);

struct KumuSheets {
  std::string elements;
  std::string connections;
};
KumuSheets ToKumu(const Fabric& fabric, const Report* report = nullptr);

}  // namespace weefsel::fabric
