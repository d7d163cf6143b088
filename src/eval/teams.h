// eval/teams.h: the Lappas-style team-formation benchmark on Horizon 2020 organisations.
//
// Follows ../shared/data/teams/README.md: the graph is networks/h2020_nl_orgs restricted to its
// largest connected component; an edge's length is the Jaccard distance of the two organisations'
// project sets, d = 1 - w / (p_i + p_j - w); an organisation's skills are its programme parts plus
// "type:<org_type>"; the 80 tasks of h2020_nl_tasks.csv each name k skills. For every task it
// runs RarestFirst (Lappas et al. 2009, the baseline), weefsel's heuristic (FormHeuristic) and the
// exact ILP (FormExact) on a candidate pool of at most 60 organisations drawn around the heuristic's
// team, and reports per k the mean diameter and the mean communication cost (sum of pairwise
// distances between members, the objective weefsel minimises), team sizes, and the gap between the
// heuristic and the proven optimum on the same pool.
// Thread-safety: a pure function of its files.
#pragma once

#include <map>
#include <string>

#include "base/status.h"

namespace weefsel::eval {

struct TeamsMethodStats {
  double diameter = 0, sum_distance = 0, size = 0;  // means over solved tasks
  int solved = 0;
};

struct TeamsKStats {
  int tasks = 0;
  TeamsMethodStats rarest_first, heuristic, exact, heuristic_on_pool;
  int exact_proven = 0;
  double mean_gap = 0;  // heuristic_on_pool vs exact, relative, over tasks with both
  double mean_exact_seconds = 0;
};

struct TeamsReport {
  int nodes = 0, edges = 0, lcc_nodes = 0, lcc_edges = 0, skills = 0;
  std::map<int, TeamsKStats> by_k;
  TeamsKStats all;
  double seconds = 0;
};

struct TeamsOptions {
  int pool_size = 60;
  double exact_seconds = 2.0;  // per task
};

// `data_dir` is the shared data folder holding teams/ and networks/.
Result<TeamsReport> RunTeamsBenchmark(const std::string& data_dir, const TeamsOptions& options = {});
std::string FormatTeamsReport(const TeamsReport& r);

}  // namespace weefsel::eval
