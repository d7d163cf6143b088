#include "fund/nl_rounds.h"

#include <algorithm>
#include <map>

#include "base/csv.h"
#include "base/strings.h"

namespace weefsel::fund {

domain::Round NlRound::ToDomainRound() const {
  domain::Round r = ToRound(instance);
  r.name = omschrijving;
  r.rule = rule == "equalshares/add1" ? "mes_add1_greedy" : rule;
  return r;
}

Result<std::vector<NlRound>> LoadNlRounds(const std::string& editions_csv, const std::string& projects_csv) {
  WEEFSEL_ASSIGN_OR_RETURN(CsvTable ed, CsvTable::Read(editions_csv, {"pb_id", "gemeente", "budget", "aantal_stemmers",
                                                                      "stemtype", "regel"}));
  WEEFSEL_ASSIGN_OR_RETURN(
      CsvTable pr, CsvTable::Read(projects_csv, {"pb_id", "project_id", "kosten_eur", "stemmen", "geselecteerd"}));
  std::vector<NlRound> rounds;
  std::map<std::string, size_t> index;
  for (const auto& row : ed.rows()) {
    NlRound r;
    r.pb_id = ed.Get(row, "pb_id");
    r.gemeente = ed.Get(row, "gemeente");
    r.gebied = ed.Get(row, "gebied");
    r.omschrijving = ed.Get(row, "omschrijving");
    r.rule = ed.Get(row, "regel");
    r.vote_type = ed.Get(row, "stemtype");
    if (r.pb_id.empty()) return ed.Error(row, "pb_id", "empty");
    if (index.count(r.pb_id)) return ed.Error(row, "pb_id", "round '" + r.pb_id + "' listed twice");
    auto budget = ParseDecimal(ed.Get(row, "budget"));
    if (!budget || budget->units < 0 || budget->decimals != 0)
      return ed.Error(row, "budget", "'" + ed.Get(row, "budget") + "' is not a whole number of euros");
    auto voters = ParseInt(ed.Get(row, "aantal_stemmers"));
    if (!voters || *voters < 0)
      return ed.Error(row, "aantal_stemmers", "'" + ed.Get(row, "aantal_stemmers") + "' is not a count");
    r.voters = *voters;
    r.instance.budget = budget->units;
    r.instance.scale = 1;
    r.instance.vote_type = VoteType::kApproval;  // approval and choose-1 are both approval ballots
    r.instance.meta = {{"description", r.omschrijving},
                       {"budget", ed.Get(row, "budget")},
                       {"vote_type", "approval"},
                       {"rule", r.rule},
                       {"unit", r.gemeente}};
    r.instance.project_columns = {"name", "category", "votes", "selected"};
    index[r.pb_id] = rounds.size();
    rounds.push_back(std::move(r));
  }
  for (const auto& row : pr.rows()) {
    auto it = index.find(pr.Get(row, "pb_id"));
    if (it == index.end())
      return pr.Error(row, "pb_id", "unknown round '" + pr.Get(row, "pb_id") + "' (not in the editions file)");
    NlRound& r = rounds[it->second];
    Project p;
    p.id = std::string(Trim(pr.Get(row, "project_id")));
    if (p.id.empty()) return pr.Error(row, "project_id", "empty");
    if (r.instance.FindProject(p.id) >= 0)
      return pr.Error(row, "project_id", "project '" + p.id + "' listed twice in " + r.pb_id);
    auto cost = ParseDecimal(pr.Get(row, "kosten_eur"));
    if (!cost || cost->units < 0 || cost->decimals != 0)
      return pr.Error(row, "kosten_eur", "'" + pr.Get(row, "kosten_eur") + "' is not a whole number of euros");
    auto votes = ParseInt(pr.Get(row, "stemmen"));
    if (!votes || *votes < 0) return pr.Error(row, "stemmen", "'" + pr.Get(row, "stemmen") + "' is not a count");
    std::string sel(Trim(pr.Get(row, "geselecteerd")));
    std::optional<bool> selected;
    if (sel == "1")
      selected = true;
    else if (sel == "0")
      selected = false;
    else if (!sel.empty())
      return pr.Error(row, "geselecteerd", "'" + sel + "' is not 0, 1 or empty");
    p.cost = cost->units;
    p.category = pr.Has("categorie") ? pr.Get(row, "categorie") : "";
    p.extra = {pr.Has("naam") ? pr.Get(row, "naam") : "", p.category, std::to_string(*votes), sel};
    r.instance.projects.push_back(std::move(p));
    r.votes.push_back(*votes);
    r.selected.push_back(selected);
  }
  return rounds;
}

std::vector<int> GreedyByVotes(const NlRound& r) {
  const auto& ps = r.instance.projects;
  std::vector<int> order(ps.size());
  for (size_t i = 0; i < ps.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (r.votes[a] != r.votes[b]) return r.votes[a] > r.votes[b];
    return ps[a].id < ps[b].id;
  });
  std::vector<int> out;
  int64_t left = r.instance.budget;
  for (int p : order)
    if (ps[p].cost <= left) {
      out.push_back(p);
      left -= ps[p].cost;
    }
  return out;
}

std::vector<int> EqualSharesAffordable(const NlRound& r) {
  std::vector<int> out;
  if (r.voters <= 0) return out;
  for (size_t p = 0; p < r.instance.projects.size(); ++p) {
    // votes * budget / voters >= cost, exactly
    __int128 lhs = static_cast<__int128>(r.votes[p]) * r.instance.budget;
    __int128 rhs = static_cast<__int128>(r.instance.projects[p].cost) * r.voters;
    if (r.votes[p] > 0 && lhs >= rhs) out.push_back(static_cast<int>(p));
  }
  return out;
}

}  // namespace weefsel::fund
