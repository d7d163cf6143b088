// fund/prepared.h (internal): an Instance turned into the compact form the rules work on.
//
// Identical ballots are merged (pabutools' as_multiprofile), each project gets its supporters with
// their utility, and projects get a rank by string id for tie-breaking. Built once per rule run;
// read-only afterwards. Not part of the module's public interface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fund/instance.h"
#include "fund/rules.h"

namespace weefsel::fund::internal {

struct Support {
  int ballot = 0;  // index of the distinct ballot
  int mult = 0;    // how many voters cast it
};

struct Prepared {
  const Instance* in = nullptr;
  int num_projects = 0;
  int64_t num_voters = 0;
  std::vector<int64_t> mult;                       // per distinct ballot: how many voters cast it
  std::vector<std::vector<Support>> support;       // per project: ballots with positive utility
  std::vector<std::vector<int64_t>> support_util;  // parallel to support: the utility (> 0)
  std::vector<int64_t> uniform_util;               // per project: the utility if every supporter gives the same, else 0
  std::vector<int64_t> total_util;                 // per project: sum of mult * util
  std::vector<int64_t> supporters;                 // per project: voters with positive utility
  std::vector<int> rank;                           // per project: position in string-id order
  // Caps: per project the group index (-1: none) and the room of each group, in scale units.
  std::vector<int> cat_group, nb_group;
  std::vector<int64_t> cat_cap, nb_cap;

  static Prepared Build(const Instance& in, const RuleOptions& options);
  int64_t cost(int p) const { return in->projects[p].cost; }
};

// Tracks how much of each capped group is used; `Fits` checks budget-free cap room only.
class CapRoom {
 public:
  explicit CapRoom(const Prepared& P) : P_(&P), cat_used_(P.cat_cap.size(), 0), nb_used_(P.nb_cap.size(), 0) {}
  bool Fits(int p) const {
    int c = P_->cat_group[p], n = P_->nb_group[p];
    if (c >= 0 && cat_used_[c] + P_->cost(p) > P_->cat_cap[c]) return false;
    if (n >= 0 && nb_used_[n] + P_->cost(p) > P_->nb_cap[n]) return false;
    return true;
  }
  void Add(int p) {
    if (P_->cat_group[p] >= 0) cat_used_[P_->cat_group[p]] += P_->cost(p);
    if (P_->nb_group[p] >= 0) nb_used_[P_->nb_group[p]] += P_->cost(p);
  }

 private:
  const Prepared* P_;
  std::vector<int64_t> cat_used_, nb_used_;
};

// Method of Equal Shares on a prepared instance with every voter starting at
// (budget + increments * scale * n) / n. `eligible` marks the projects MES may fund.
struct MesResult {
  std::vector<int> selected;  // in order
  int64_t cost = 0;
  // Explanation data (filled when record is true).
  std::vector<double> rho;                          // per project, -1 if not funded
  std::vector<std::vector<PaymentGroup>> payments;  // per project
  std::vector<double> supporters_money;             // per project, money its supporters had when dropped
  std::vector<bool> cap_blocked;                    // per project
};
MesResult RunMes(const Prepared& P, int64_t increments, bool record);

}  // namespace weefsel::fund::internal
