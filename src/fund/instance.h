// fund/instance.h: the value types of a participatory-budgeting election: an Instance holds the
// projects, the budget, the voters and their ballots, exactly as a Pabulib .pb file describes them.
//
// Money is kept exact: every amount is an int64 count of `scale` units per currency unit (scale is
// a power of ten chosen when reading, so "308298.85" becomes 30829885 with scale 100). Rules
// therefore never see floating point. Project ids are strings, and ties are broken by comparing
// them as strings, as pabutools does. The Instance owns all its data; it is a plain value with no
// internal synchronisation (share it read-only between threads, or copy it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/model.h"

namespace weefsel::fund {

enum class VoteType { kApproval, kCumulative, kOrdinal, kScoring };
std::string_view VoteTypeCode(VoteType t);
Result<VoteType> ParseVoteType(std::string_view s);

struct Project {
  std::string id;
  int64_t cost = 0;                // in Instance::scale units
  std::string category;            // optional, for per-category caps
  std::string neighbourhood;       // optional, for per-neighbourhood caps
  std::vector<std::string> extra;  // other PROJECTS columns, parallel to Instance::project_columns
};

// One entry of a ballot: the project's index in Instance::projects and its points (approval: 1;
// cumulative/scoring: the points; ordinal: unused, the order of entries is the ranking).
struct BallotEntry {
  int project = 0;
  int64_t points = 1;
};

struct Voter {
  std::string id;
  std::vector<BallotEntry> ballot;  // no project twice (the last listing wins, as in pabutools)
  std::vector<std::string> extra;   // other VOTES columns, parallel to Instance::voter_columns
};

// A budget cap on a group of projects (a category or a neighbourhood), in scale units.
struct GroupCap {
  std::string group;
  int64_t cap = 0;
};

struct Instance {
  std::vector<std::pair<std::string, std::string>> meta;  // every META row in file order
  VoteType vote_type = VoteType::kApproval;
  int64_t budget = 0;  // scale units
  int64_t scale = 1;   // units per currency unit (a power of ten)
  std::vector<Project> projects;
  std::vector<Voter> voters;
  std::vector<std::string> project_columns;  // names of Project::extra
  std::vector<std::string> voter_columns;    // names of Voter::extra
  std::vector<GroupCap> category_caps;       // from META categories + budget_per_category
  std::vector<GroupCap> neighbourhood_caps;  // from META neighbourhoods + budget_per_neighbourhood

  // The META value for `key`, if present.
  std::optional<std::string> Meta(std::string_view key) const;
  // Index of the project with this id, or -1.
  int FindProject(std::string_view id) const;
};

// Exact decimal money: "1234.5" or "1234,5" -> value in units of 10^-decimals. Returns nullopt for
// anything else (signs are accepted; callers reject negatives with their own message).
struct Decimal {
  int64_t units = 0;
  int decimals = 0;
};
std::optional<Decimal> ParseDecimal(std::string_view s);
// `amount` scale units as a decimal string without trailing zeros ("308298.85", "1000").
std::string FormatMoney(int64_t amount, int64_t scale);
// A double for display (never used for decisions).
inline double MoneyToDouble(int64_t amount, int64_t scale) { return double(amount) / double(scale); }

// Utility of each ballot entry under the satisfaction the README prescribes for the vote type:
// approval -> the project's cost (Cost_Sat), cumulative/scoring -> points, ordinal -> Borda
// (rank r of k gets k-1-r). Returned parallel to voter.ballot.
std::vector<int64_t> Utilities(const Instance& in, const Voter& voter);

// Conversion to and from the domain's round and ballots (costs in whole euros are rounded up when
// the instance has cents; projects keep their string ids).
domain::Round ToRound(const Instance& in);
std::vector<domain::Ballot> ToBallots(const Instance& in);
Result<Instance> FromRound(const domain::Round& round, const std::vector<domain::Ballot>& ballots);

}  // namespace weefsel::fund
