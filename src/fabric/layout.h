// fabric/layout.h: positions of a Fabric's nodes in the plane, for drawing the fabric map.
//
// Layout() runs igraph's Fruchterman-Reingold force-directed layout (tie weights pull harder),
// started from seeded positions drawn by weefsel's own Rng, with igraph's generator seeded too, so
// the same fabric and seed give the same picture. Above `grid_above` nodes igraph's grid variant
// is used (repulsion from nearby nodes only), so the cost grows about linearly with the nodes.
// Nodes are kept inside a square proportional to sqrt(n) so isolates and small components stay in
// view, and the result is normalised to [0, 1] on both axes (aspect kept, centred).
//
// Ownership: returns values. Thread-safety: igraph is called under the fabric module's one lock;
// Layout may be called from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "fabric/fabric.h"

namespace weefsel::fabric {

struct Point {
  double x = 0;
  double y = 0;
};

struct LayoutOptions {
  int iterations = 300;
  uint64_t seed = 1;
  int grid_above = 300;  // nodes; larger fabrics use the grid variant (O(n) per iteration)
};

// One point per node (node order), each coordinate in [0, 1]. An empty fabric gives no points; a
// single node sits at (0.5, 0.5).
Result<std::vector<Point>> Layout(const Fabric& fabric, const LayoutOptions& options = {});

}  // namespace weefsel::fabric
