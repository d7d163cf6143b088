// fund/fund_test_kit.h: builders for small hand-made instances in the fund tests.
// Header-only, test code only. Thread-safety: none needed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "fund/instance.h"

namespace weefsel::fund::testkit {

// An approval instance: projects as (id, cost), ballots as lists of ids.
inline Instance Approval(int64_t budget, const std::vector<std::pair<std::string, int64_t>>& projects,
                         const std::vector<std::vector<std::string>>& ballots) {
  Instance in;
  in.vote_type = VoteType::kApproval;
  in.budget = budget;
  for (const auto& [id, cost] : projects) in.projects.push_back({id, cost, "", "", {}});
  int n = 0;
  for (const auto& b : ballots) {
    Voter v;
    v.id = std::to_string(++n);
    for (const auto& id : b) v.ballot.push_back({in.FindProject(id), 1});
    in.voters.push_back(std::move(v));
  }
  return in;
}

// A cumulative instance: ballots as lists of (id, points).
inline Instance Cumulative(int64_t budget, const std::vector<std::pair<std::string, int64_t>>& projects,
                           const std::vector<std::vector<std::pair<std::string, int64_t>>>& ballots) {
  Instance in;
  in.vote_type = VoteType::kCumulative;
  in.budget = budget;
  for (const auto& [id, cost] : projects) in.projects.push_back({id, cost, "", "", {}});
  int n = 0;
  for (const auto& b : ballots) {
    Voter v;
    v.id = std::to_string(++n);
    for (const auto& [id, pts] : b) v.ballot.push_back({in.FindProject(id), pts});
    in.voters.push_back(std::move(v));
  }
  return in;
}

}  // namespace weefsel::fund::testkit
