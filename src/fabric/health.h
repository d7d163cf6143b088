// fabric/health.h: the fabric's health over time, and a typology of innovators found from data.
//
// Health: for a snapshot of the fabric, the share of cross-sector ties, the share of actors in the
// largest component, isolates, modularity (unweighted Leiden) and the mean hop distance between
// actors of different sectors; two snapshots are compared field by field. Snapshots of domain data
// are the ties active on a date (BuildOptions::as_of).
//
// Typology: each actor is described by binary features (its kind, themes, capabilities and fabric
// role); seeded k-means (k-means++ starts, best of several restarts) groups them; each group is named
// from the features most over-represented in it (lift against all actors). Between two periods the
// stability of the grouping is the adjusted Rand index and the normalised mutual information
// (arithmetic mean normalisation, as scikit-learn's default) over the actors present in both.
// This answers whether a fixed typology of innovators holds: ARI near 1 means it does.
//
// Thread-safety: reentrant; reads its inputs only.
#pragma once

#include <string>
#include <vector>

#include "domain/model.h"
#include "fabric/analysis.h"
#include "fabric/fabric.h"

namespace weefsel::fabric {

struct HealthSnapshot {
  std::string label;  // e.g. the as-of date
  int actors = 0;
  int64_t ties = 0;
  double cross_sector_share = 0;       // ties whose ends have known kinds in different sectors
  double largest_component_share = 0;  // actors in the largest component / actors
  int isolates = 0;
  int components = 0;
  double modularity = 0;
  // Mean hop distance between connected actors of different sectors: exact (BFS from every actor
  // of known kind) up to `exact_up_to` actors, else from `samples` seeded sources. 0 if none.
  double mean_sector_distance = 0;
  bool sector_distance_exact = true;
};

struct HealthOptions {
  int exact_up_to = 5000;
  int samples = 500;
  uint64_t seed = 1;
  // The modularity of each snapshot: three starts and 2 rounds of the search (fabric/leiden.h), not
  // the report's full search. A history of 36 month ends runs it 36 times, and what it shows is the
  // change from month to month, which a light search of a fixed seed follows as well (the full
  // search took a large city's first health history from seconds to about a minute).
  CommunityOptions communities{.runs = 3, .rounds = 2};
};

Result<HealthSnapshot> MeasureHealth(const Fabric& fabric, std::string label, const HealthOptions& options = {});

// One snapshot per date (ties active on that date).
Result<std::vector<HealthSnapshot>> HealthOverTime(const std::vector<domain::Actor>& actors,
                                                   const std::vector<domain::Tie>& ties,
                                                   const std::vector<std::string>& dates,
                                                   const HealthOptions& options = {});

struct HealthDelta {
  std::string field;
  double before = 0, after = 0;
  double change = 0;    // after - before
  bool better = false;  // in the direction that strengthens the fabric
};
std::vector<HealthDelta> CompareHealth(const HealthSnapshot& before, const HealthSnapshot& after);

// Clustering agreement between two labelings of the same items (same length, labels >= 0).
double AdjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b);
double NormalizedMutualInformation(const std::vector<int>& a, const std::vector<int>& b);

struct TypologyOptions {
  int groups = 6;  // k; capped at the number of distinct actors
  int restarts = 10;
  int max_iterations = 100;
  int max_tags = 40;  // most frequent themes/capabilities used as features
  uint64_t seed = 1;
};

struct TypeGroup {
  int id = 0;
  std::string name;                   // top features joined by " + "
  std::vector<std::string> features;  // most over-represented features, best first
  int size = 0;
};

struct Typology {
  std::string label;
  std::vector<int64_t> actors;  // external ids, fabric order
  std::vector<int> group;       // actor -> group
  std::vector<TypeGroup> groups;
};

// Groups of the actors of `fabric` (roles from a fresh analysis of the fabric).
Result<Typology> FindTypology(const Fabric& fabric, std::string label, const TypologyOptions& options = {});

struct TypologyStability {
  int common_actors = 0;
  double ari = 0;
  double nmi = 0;
};
TypologyStability CompareTypologies(const Typology& a, const Typology& b);

}  // namespace weefsel::fabric
