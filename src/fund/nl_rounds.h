// fund/nl_rounds.h: the real Dutch participatory-budgeting rounds (Amsterdam 2019-2022, Assen 2024)
// from ../shared/data/nl/participatief_begroten_nl_{edities,projecten}.csv, as fund Instances and
// domain Rounds.
//
// These files keep only META and PROJECTS of the Pabulib originals: projects, costs, vote counts
// and the recorded outcome (`geselecteerd`), no ballots. Rules that need ballots cannot run on
// them; the helpers here work on vote counts only: greedy by votes, and the equal-shares
// affordability screen (a project can be bought by equal shares only if its supporters' initial
// shares, votes x budget / voters, cover its cost). Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/model.h"
#include "fund/instance.h"

namespace weefsel::fund {

struct NlRound {
  std::string pb_id;  // e.g. Netherlands_Assen_2024
  std::string gemeente, gebied, omschrijving, rule, vote_type;
  int64_t voters = 0;                         // aantal_stemmers
  Instance instance;                          // projects (id, cost, category) and budget; no voters
  std::vector<int64_t> votes;                 // per project
  std::vector<std::optional<bool>> selected;  // per project, empty when not recorded

  domain::Round ToDomainRound() const;
};

// Reads both CSV files; errors name the file, line and column.
Result<std::vector<NlRound>> LoadNlRounds(const std::string& editions_csv, const std::string& projects_csv);

// Greedy by votes (most votes first, ties to the smallest id as a string), skipping what does not fit.
std::vector<int> GreedyByVotes(const NlRound& r);
// Projects whose supporters' equal shares cover their cost: votes * budget / voters >= cost.
std::vector<int> EqualSharesAffordable(const NlRound& r);

}  // namespace weefsel::fund
