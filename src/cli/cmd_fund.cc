// weefsel pb FILE.pb --rule RULE [--json] | --all-rules: the fund engine on a Pabulib file.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "fund/pabulib.h"
#include "fund/rules.h"

namespace weefsel::cli {

namespace {

struct PbOptions {
  std::string file;
  std::string rule;
  bool all_rules = false;
  bool json = false;
  bool category_caps = false;
  bool neighbourhood_caps = false;
  std::string write;
};

// A JSON string literal (escaping by nlohmann::json; invalid UTF-8 is replaced, never thrown).
std::string JsonString(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

std::string JsonIds(const std::vector<std::string>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + JsonString(ids[i]);
  return out + "]";
}

std::string OutcomeJson(const fund::Instance& in, const fund::Outcome& o, bool explanations) {
  std::ostringstream j;
  std::vector<std::string> order;
  for (int p : o.selected) order.push_back(in.projects[p].id);
  j << "{\"rule\":" << JsonString(fund::RuleName(o.rule)) << ",\"selected\":" << JsonIds(o.SortedIds(in))
    << ",\"selection_order\":" << JsonIds(order)
    << ",\"total_cost\":" << JsonString(fund::FormatMoney(o.total_cost, in.scale))
    << ",\"budget\":" << JsonString(fund::FormatMoney(in.budget, in.scale));
  if (o.rule == fund::Rule::kMesAdd1Greedy || o.rule == fund::Rule::kMesAdd1UntilInfeasibleGreedy)
    j << ",\"budget_increments\":" << o.budget_increments;
  if (explanations) {
    j << ",\"explanations\":[";
    for (size_t i = 0; i < o.explanations.size(); ++i) {
      const auto& e = o.explanations[i];
      j << (i ? "," : "") << "{\"project\":" << JsonString(e.project_id)
        << ",\"funded\":" << (e.funded ? "true" : "false")
        << ",\"verdict\":" << JsonString(fund::VerdictCode(e.verdict)) << ",\"step\":" << e.step
        << ",\"cost\":" << Num(e.cost) << ",\"supporters\":" << e.supporters << ",\"utility\":" << Num(e.utility);
      if (e.money_left >= 0) j << ",\"money_left\":" << Num(e.money_left);
      if (e.rho >= 0) j << ",\"rho\":" << Num(e.rho);
      if (e.supporters_money >= 0) j << ",\"supporters_money\":" << Num(e.supporters_money);
      if (e.load >= 0) j << ",\"load\":" << Num(e.load);
      if (!e.payments.empty()) {
        j << ",\"payments\":[";
        for (size_t k = 0; k < e.payments.size(); ++k)
          j << (k ? "," : "") << "{\"voters\":" << e.payments[k].voters << ",\"paid_each\":" << Num(e.payments[k].paid)
            << ",\"left_each\":" << Num(e.payments[k].left) << "}";
        j << "]";
      }
      j << ",\"reason\":" << JsonString(e.reason) << "}";
    }
    j << "]";
  }
  j << "}";
  return j.str();
}

std::string Header(const PbOptions& o, const fund::Instance& in) {
  return o.file + ": " + std::to_string(in.projects.size()) + " projects, " + std::to_string(in.voters.size()) +
         " voters, " + std::string(fund::VoteTypeCode(in.vote_type)) + " ballots, budget " +
         fund::FormatMoney(in.budget, in.scale);
}

int RunPb(const PbOptions& o) {
  if (o.rule.empty() && !o.all_rules)
    return Fail(
        Status::InvalidArgument("pb: give --rule RULE (mes, mes_add1_greedy, mes_add1_until_infeasible_greedy, "
                                "greedy, phragmen, max_welfare) or --all-rules"));
  std::optional<fund::Rule> rule;
  if (!o.rule.empty()) {
    auto r = fund::ParseRule(o.rule);
    if (!r.ok()) return Fail(Status::InvalidArgument("--rule: " + r.status().message()));
    rule = *r;
  }
  auto in = fund::ReadPb(o.file);
  if (!in.ok()) return Fail(in.status());
  if (!o.write.empty()) {
    Status s = fund::WritePb(o.write, *in);
    if (!s.ok()) return Fail(s);
  }
  fund::RuleOptions opts;
  opts.category_caps = o.category_caps;
  opts.neighbourhood_caps = o.neighbourhood_caps;

  if (o.all_rules) {
    opts.explain = false;
    std::ostringstream js;
    js << "{\"file\":" << JsonString(o.file) << ",\"budget\":" << JsonString(fund::FormatMoney(in->budget, in->scale))
       << ",\"rules\":{";
    if (!o.json) {
      std::cout << Header(o, *in) << "\n\n";
      std::printf("%-34s %8s %14s  %s\n", "rule", "funded", "total cost", "selected");
    }
    bool first = true;
    for (fund::Rule r : fund::kAllRules) {
      if (rule && r != *rule) continue;
      std::string name(fund::RuleName(r));
      if (!fund::RuleApplies(r, in->vote_type)) {
        if (o.json)
          js << (first ? "" : ",") << JsonString(name) << ":null";
        else
          std::printf("%-34s %8s %14s  %s\n", name.c_str(), "n/a", "", "(needs approval ballots)");
        first = false;
        continue;
      }
      auto out = fund::RunRule(*in, r, opts);
      if (!out.ok()) return Fail(out.status());
      if (o.json) {
        js << (first ? "" : ",") << JsonString(name) << ":" << OutcomeJson(*in, *out, false);
      } else {
        std::string ids;
        for (const auto& id : out->SortedIds(*in)) ids += (ids.empty() ? "" : " ") + id;
        std::printf("%-34s %8zu %14s  %s\n", name.c_str(), out->selected.size(),
                    fund::FormatMoney(out->total_cost, in->scale).c_str(), ids.c_str());
      }
      first = false;
    }
    js << "}}";
    if (o.json) std::cout << js.str() << "\n";
    return 0;
  }

  auto out = fund::RunRule(*in, *rule, opts);
  if (!out.ok()) return Fail(out.status());
  if (o.json) {
    std::string j = OutcomeJson(*in, *out, true);
    std::cout << "{\"file\":" << JsonString(o.file) << "," << j.substr(1) << "\n";
    return 0;
  }
  std::cout << Header(o, *in) << "\n";
  std::cout << "rule " << fund::RuleName(*rule) << ": " << out->selected.size() << " projects funded, total cost "
            << fund::FormatMoney(out->total_cost, in->scale) << " of " << fund::FormatMoney(in->budget, in->scale);
  if (*rule == fund::Rule::kMesAdd1Greedy || *rule == fund::Rule::kMesAdd1UntilInfeasibleGreedy) {
    if (out->budget_increments >= 0)
      std::cout << " (voter budgets raised by " << out->budget_increments << " each)";
    else
      std::cout << " (all supported projects fit: every one is funded)";
  }
  std::cout << "\nselected:";
  for (const auto& id : out->SortedIds(*in)) std::cout << " " << id;
  std::cout << "\n\nwhy, per project (in the order funded, then the rest):\n";
  std::vector<int> order = out->selected;
  for (size_t p = 0; p < in->projects.size(); ++p)
    if (!out->explanations[p].funded) order.push_back(static_cast<int>(p));
  for (int p : order) {
    const auto& e = out->explanations[p];
    std::cout << "  " << (e.funded ? "+ " : "- ") << e.project_id << ": " << e.reason << "\n";
  }
  return 0;
}

}  // namespace

void RegisterFundCommands(CLI::App& app) {
  static PbOptions opts;
  auto* pb = app.add_subcommand("pb", "Run participatory-budgeting rules on a Pabulib .pb file, with explanations");
  pb->add_option("file", opts.file, "the .pb file")->required();
  pb->add_option("--rule", opts.rule,
                 "mes, mes_add1_greedy, mes_add1_until_infeasible_greedy, greedy, phragmen or max_welfare");
  pb->add_flag("--all-rules", opts.all_rules, "run every rule and print a comparison table");
  pb->add_flag("--json", opts.json, "print JSON (`selected` lists the funded project ids as strings)");
  pb->add_flag("--category-caps", opts.category_caps, "respect META budget_per_category (Amsterdam)");
  pb->add_flag("--neighbourhood-caps", opts.neighbourhood_caps, "respect META budget_per_neighbourhood (Amsterdam)");
  pb->add_option("--write", opts.write, "also write the parsed instance back as a .pb file");
  SetAction(pb, [] { return RunPb(opts); });
}

}  // namespace weefsel::cli
