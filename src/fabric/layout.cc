// fabric/layout.cc: Fruchterman-Reingold positions through igraph, normalised to [0, 1].
#include "fabric/layout.h"

#include <algorithm>
#include <cmath>

#include "base/clock.h"
#include "fabric/igraph_bridge.h"

namespace weefsel::fabric {

Result<std::vector<Point>> Layout(const Fabric& fabric, const LayoutOptions& options) {
  const int n = fabric.node_count();
  std::vector<Point> out(static_cast<size_t>(n));
  if (n == 0) return out;
  if (n == 1) {
    out[0] = {0.5, 0.5};
    return out;
  }
  if (options.iterations < 1) return Status::InvalidArgument("layout.iterations: must be at least 1");
  // The box igraph keeps nodes in, and the seeded start inside it.
  const double half = std::sqrt(static_cast<double>(n)) / 2.0;
  Rng rng(options.seed);
  std::vector<double> start(static_cast<size_t>(n) * 2);
  for (double& v : start) v = (rng.Real() * 2.0 - 1.0) * half * 0.9;

  std::vector<double> xy(static_cast<size_t>(n) * 2);
  {
    internal::IgraphLock lock;
    internal::IgraphGraph g;
    WEEFSEL_RETURN_IF_ERROR(g.Build(fabric));
    igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(options.seed));
    igraph_matrix_t res;
    WEEFSEL_RETURN_IF_ERROR(internal::Check(igraph_matrix_init(&res, n, 2), "matrix"));
    for (int i = 0; i < n; ++i) {
      MATRIX(res, i, 0) = start[static_cast<size_t>(i) * 2];
      MATRIX(res, i, 1) = start[static_cast<size_t>(i) * 2 + 1];
    }
    igraph_vector_t minx, maxx, miny, maxy;
    igraph_vector_init(&minx, n);
    igraph_vector_init(&maxx, n);
    igraph_vector_init(&miny, n);
    igraph_vector_init(&maxy, n);
    igraph_vector_fill(&minx, -half);
    igraph_vector_fill(&maxx, half);
    igraph_vector_fill(&miny, -half);
    igraph_vector_fill(&maxy, half);
    igraph_layout_grid_t grid = n > options.grid_above ? IGRAPH_LAYOUT_GRID : IGRAPH_LAYOUT_NOGRID;
    igraph_error_t rc =
        igraph_layout_fruchterman_reingold(g.graph(), &res, /*use_seed=*/true, options.iterations,
                                           /*start_temp=*/std::sqrt(static_cast<double>(n)) / 10.0, grid,
                                           fabric.weighted() ? g.weights() : nullptr, &minx, &maxx, &miny, &maxy);
    for (int i = 0; i < n; ++i) {
      xy[static_cast<size_t>(i) * 2] = MATRIX(res, i, 0);
      xy[static_cast<size_t>(i) * 2 + 1] = MATRIX(res, i, 1);
    }
    igraph_vector_destroy(&minx);
    igraph_vector_destroy(&maxx);
    igraph_vector_destroy(&miny);
    igraph_vector_destroy(&maxy);
    igraph_matrix_destroy(&res);
    WEEFSEL_RETURN_IF_ERROR(internal::Check(rc, "layout_fruchterman_reingold"));
  }

  // Normalise: the larger extent maps to [0, 1], the other is centred in it.
  double lo_x = xy[0], hi_x = xy[0], lo_y = xy[1], hi_y = xy[1];
  for (int i = 0; i < n; ++i) {
    double x = xy[static_cast<size_t>(i) * 2], y = xy[static_cast<size_t>(i) * 2 + 1];
    if (!std::isfinite(x) || !std::isfinite(y)) return Status::Internal("layout: igraph gave a non-finite position");
    lo_x = std::min(lo_x, x);
    hi_x = std::max(hi_x, x);
    lo_y = std::min(lo_y, y);
    hi_y = std::max(hi_y, y);
  }
  double span = std::max(hi_x - lo_x, hi_y - lo_y);
  if (span <= 0) span = 1;
  double off_x = (1.0 - (hi_x - lo_x) / span) / 2.0, off_y = (1.0 - (hi_y - lo_y) / span) / 2.0;
  for (int i = 0; i < n; ++i) {
    out[static_cast<size_t>(i)].x = std::clamp(off_x + (xy[static_cast<size_t>(i) * 2] - lo_x) / span, 0.0, 1.0);
    out[static_cast<size_t>(i)].y = std::clamp(off_y + (xy[static_cast<size_t>(i) * 2 + 1] - lo_y) / span, 0.0, 1.0);
  }
  return out;
}

}  // namespace weefsel::fabric
