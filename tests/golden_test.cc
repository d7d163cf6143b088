// golden_test: each engine on a small input with its whole output checked in (issue 22, the test
// kit): testdata/golden/<case>.in.json -> <case>.out.json. A change of an engine's answer shows as a
// diff of the case's output in review, not only as a failed assertion somewhere. After an intended
// change: WEEFSEL_UPDATE_GOLDEN=1 build/tests/golden_test rewrites the .out.json files; read the diff
// before committing it.
//
// Input (one case a file), by engine:
// - "fabric_report" and "match": one world: "actors": [{id, name, kind, municipality, description,
//   themes, capabilities}], "ties": [{a, b, weight}], "past_work": [{actor, text}], "neighbours":
//   [[m1, m2]], "challenge": {title, text, municipality, owner, capabilities: {tag: weight}},
//   "limit": n;
// - "fund_rules": "pb": the lines of a Pabulib file, "rules": [name], "category_caps": bool;
// - "coalition": "candidates": [{actor, name, sector, capabilities, relevance}], "distances": rows
//   (null: no path), "rules": {needs: {tag: weight}, mix: {sector: n}, max_size, lead,
//   relevance_weight}, "n_best": n; the heuristic's and CBC's teams;
// - "match_funding": "policy": {ratio_num, ratio_den, campaign_cap, fund_cap}, "campaigns": [{id,
//   target, deadline}], "pledges": [{id, campaign, backer, amount, at}], "now".
// Numbers compare to a relative 1e-9 (the sanitizer build's clang and the release build's gcc round
// the last bits differently).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coalition/coalition.h"
#include "domain/vocabulary.h"
#include "fabric/analysis.h"
#include "fabric/export.h"
#include "fund/match_funding.h"
#include "fund/pabulib.h"
#include "fund/rules.h"
#include "match/match_json.h"
#include "match/matcher.h"

namespace weefsel {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kDir = fs::path(WEEFSEL_SOURCE_DIR) / "testdata" / "golden";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<domain::Actor> Actors(const Json& in) {
  std::vector<domain::Actor> out;
  for (const Json& j : in.value("actors", Json::array())) {
    domain::Actor a;
    a.id = ActorId(j.at("id").get<int64_t>());
    a.name = j.value("name", "actor " + std::to_string(a.id.value()));
    a.kind = domain::ParseActorKind(j.value("kind", "company")).value();
    if (j.contains("municipality")) a.municipality = MunicipalityId(j["municipality"].get<int64_t>());
    a.description = j.value("description", "");
    a.themes = j.value("themes", std::vector<std::string>{});
    a.capabilities = j.value("capabilities", std::vector<std::string>{});
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<domain::Tie> Ties(const Json& in) {
  std::vector<domain::Tie> out;
  for (const Json& j : in.value("ties", Json::array())) {
    domain::Tie t;
    t.a = ActorId(j.at("a").get<int64_t>());
    t.b = ActorId(j.at("b").get<int64_t>());
    t.weight = j.value("weight", 1.0);
    out.push_back(t);
  }
  return out;
}

// The fabric report without its timings.
Json FabricReport(const Json& in) {
  auto f = fabric::Fabric::FromDomain(Actors(in), Ties(in));
  if (!f.ok()) return {{"error", f.status().ToString()}};
  auto r = fabric::Analyse(*f);
  if (!r.ok()) return {{"error", r.status().ToString()}};
  Json j = Json::parse(fabric::ToReportJson(*f, *r));
  for (const char* timing : {"seconds", "wall_seconds", "layout_seconds"}) j.erase(timing);
  return j;
}

Json Match(const Json& in) {
  std::vector<match::PastWork> past;
  for (const Json& j : in.value("past_work", Json::array()))
    past.push_back({ActorId(j.at("actor").get<int64_t>()), j.at("text").get<std::string>(), {}});
  match::Neighbours nb;
  for (const Json& pair : in.value("neighbours", Json::array())) {
    MunicipalityId x(pair.at(0).get<int64_t>()), y(pair.at(1).get<int64_t>());
    nb[x].insert(y);
    nb[y].insert(x);
  }
  auto m = match::Matcher::Build(Actors(in), Ties(in), past, nb);
  if (!m.ok()) return {{"error", m.status().ToString()}};
  const Json& cj = in.at("challenge");
  domain::Challenge c;
  c.title = cj.value("title", "");
  c.text = cj.value("text", "");
  c.language = cj.value("language", "nl");
  c.municipality = MunicipalityId(cj.value("municipality", int64_t{0}));
  c.owner = ActorId(cj.value("owner", int64_t{0}));
  const Json needs = cj.value("capabilities", Json::object());  // named: items() of a temporary would dangle
  for (const auto& [tag, w] : needs.items()) c.capabilities.push_back({tag, w.get<double>()});
  auto ranked = m->Rank(c, {.limit = in.value("limit", 10)});
  if (!ranked.ok()) return {{"error", ranked.status().ToString()}};
  Json out = Json::array();
  for (const match::Match& x : *ranked) out.push_back(Json::parse(match::ToJson(x).dump()));
  return out;
}

// Each rule's selection and its explanation of every project.
Json FundRules(const Json& in) {
  std::string text;
  for (const Json& line : in.at("pb")) text += line.get<std::string>() + "\n";
  auto instance = fund::ParsePb("golden", std::move(text));
  if (!instance.ok()) return {{"error", instance.status().ToString()}};
  fund::RuleOptions options;
  options.category_caps = in.value("category_caps", false);
  Json out = Json::array();
  for (const Json& name : in.at("rules")) {
    auto rule = fund::ParseRule(name.get<std::string>());
    if (!rule.ok()) return {{"error", rule.status().ToString()}};
    auto o = fund::RunRule(*instance, *rule, options);
    if (!o.ok()) return {{"error", o.status().ToString()}};
    Json projects = Json::array();
    for (const fund::Explanation& e : o->explanations)
      projects.push_back({{"project", e.project_id},
                          {"funded", e.funded},
                          {"verdict", fund::VerdictCode(e.verdict)},
                          {"step", e.step},
                          {"supporters", e.supporters},
                          {"utility", e.utility},
                          {"money_left", e.money_left},
                          {"rho", e.rho},
                          {"reason", e.reason}});
    out.push_back({{"rule", fund::RuleName(o->rule)},
                   {"selected", o->SortedIds(*instance)},
                   {"total_cost", fund::FormatMoney(o->total_cost, instance->scale)},
                   {"budget_increments", o->budget_increments},
                   {"projects", std::move(projects)}});
  }
  return out;
}

// The best teams by the heuristic and by CBC, with their account.
Json Coalitions(const Json& in) {
  std::vector<coalition::Candidate> candidates;
  for (const Json& j : in.at("candidates")) {
    coalition::Candidate c;
    c.actor = ActorId(j.at("actor").get<int64_t>());
    c.name = j.value("name", "");
    auto sector = domain::ParseSector(j.at("sector").get<std::string>());
    if (!sector.ok()) return {{"error", sector.status().ToString()}};
    c.sector = *sector;
    c.capabilities = j.value("capabilities", std::vector<std::string>{});
    c.relevance = j.value("relevance", 0.0);
    candidates.push_back(std::move(c));
  }
  const int n = static_cast<int>(candidates.size());
  std::vector<double> values;
  for (const Json& row : in.at("distances"))
    for (const Json& d : row) values.push_back(d.is_null() ? std::numeric_limits<double>::infinity() : d.get<double>());
  if (values.size() != static_cast<size_t>(n) * static_cast<size_t>(n)) return {{"error", "distances: not n x n"}};
  coalition::MatrixDistances distances(n, std::move(values));
  const Json& rj = in.at("rules");
  coalition::Rules rules;
  const Json needs = rj.value("needs", Json::object());
  for (const auto& [tag, w] : needs.items()) rules.needs.push_back({tag, w.get<double>()});
  const Json mix = rj.value("mix", Json::object());
  for (const auto& [sector, count] : mix.items()) rules.mix[domain::ParseSector(sector).value()] = count.get<int>();
  rules.max_size = rj.value("max_size", 6);
  if (rj.contains("lead")) rules.lead = rj["lead"].get<int>();
  rules.relevance_weight = rj.value("relevance_weight", 0.0);
  const int n_best = in.value("n_best", 1);
  auto teams_json = [&](const std::vector<coalition::Team>& teams, bool exact) {
    Json out = Json::array();
    for (const coalition::Team& t : teams) {
      Json covers = Json::object();
      for (const auto& [need, member] : t.covers) covers[need] = candidates[static_cast<size_t>(member)].name;
      Json members = Json::array();
      for (int m : t.members) members.push_back(candidates[static_cast<size_t>(m)].name);
      Json team = {{"members", std::move(members)},
                   {"communication", t.communication},
                   {"relevance", t.relevance},
                   {"objective", t.objective},
                   {"covers", std::move(covers)},
                   {"unconnected", t.unconnected},
                   {"explain", coalition::Explain(candidates, distances, rules, t)}};
      if (exact) team["proven_optimal"] = t.proven_optimal;
      out.push_back(std::move(team));
    }
    return out;
  };
  auto heuristic = coalition::FormHeuristic(candidates, distances, rules, n_best);
  if (!heuristic.ok()) return {{"error", heuristic.status().ToString()}};
  auto exact = coalition::FormExact(candidates, distances, rules, n_best);
  if (!exact.ok()) return {{"error", exact.status().ToString()}};
  return {{"heuristic", teams_json(*heuristic, false)}, {"exact", teams_json(*exact, true)}};
}

// The settlement of every campaign.
Json MatchFunding(const Json& in) {
  const Json& pj = in.at("policy");
  fund::MatchPolicy policy{pj.value("ratio_num", int64_t{1}), pj.value("ratio_den", int64_t{1}),
                           pj.value("campaign_cap", int64_t{0}), pj.value("fund_cap", int64_t{0})};
  std::vector<fund::Campaign> campaigns;
  for (const Json& j : in.at("campaigns"))
    campaigns.push_back(
        {j.at("id").get<std::string>(), j.at("target").get<int64_t>(), j.at("deadline").get<int64_t>()});
  std::vector<fund::Pledge> pledges;
  for (const Json& j : in.at("pledges"))
    pledges.push_back({j.at("id").get<std::string>(), j.at("campaign").get<std::string>(),
                       j.at("backer").get<std::string>(), j.at("amount").get<int64_t>(), j.at("at").get<int64_t>()});
  auto s = fund::SettleMatchFunding(policy, campaigns, pledges, in.at("now").get<int64_t>());
  if (!s.ok()) return {{"error", s.status().ToString()}};
  Json out = Json::array();
  for (const fund::CampaignResult& c : s->campaigns) {
    Json refunds = Json::array();
    for (const fund::Refund& r : c.refunds)
      refunds.push_back({{"pledge", r.pledge}, {"backer", r.backer}, {"amount", r.amount}});
    out.push_back({{"id", c.id},
                   {"status", fund::CampaignStatusCode(c.status)},
                   {"raised", c.raised},
                   {"reached", c.reached},
                   {"reached_at", c.reached_at},
                   {"match", c.match},
                   {"match_wanted", c.match_wanted},
                   {"capped", c.capped},
                   {"fund_short", c.fund_short},
                   {"refunds", std::move(refunds)},
                   {"late_pledges", c.late_pledges},
                   {"reason", c.reason}});
  }
  return {{"campaigns", std::move(out)}, {"fund_used", s->fund_used}, {"fund_left", s->fund_left}};
}

// The first place where `got` differs from `want`, as a JSON pointer with both values; "" if none.
std::string FirstDifference(const Json& want, const Json& got, const std::string& at = "") {
  if (want.is_number() && got.is_number()) {
    double a = want.get<double>(), b = got.get<double>();
    if (std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)})) return "";
    return (at.empty() ? "/" : at) + ": want " + want.dump() + ", got " + got.dump();
  }
  if (want.type() != got.type() || (!want.is_structured() && want != got))
    return (at.empty() ? "/" : at) + ": want " + want.dump() + ", got " + got.dump();
  if (want.is_array()) {
    if (want.size() != got.size())
      return (at.empty() ? "/" : at) + ": want " + std::to_string(want.size()) + " items, got " +
             std::to_string(got.size());
    for (size_t i = 0; i < want.size(); ++i)
      if (auto d = FirstDifference(want[i], got[i], at + "/" + std::to_string(i)); !d.empty()) return d;
  } else if (want.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k)) return at + "/" + k + ": missing";
      if (auto d = FirstDifference(v, got[k], at + "/" + k); !d.empty()) return d;
    }
    for (const auto& [k, v] : got.items())
      if (!want.contains(k)) return at + "/" + k + ": not expected, got " + v.dump();
  }
  return "";
}

TEST(Golden, EveryEngineCaseGivesItsCheckedInOutput) {
  ASSERT_TRUE(fs::is_directory(kDir)) << kDir;
  const bool update = std::getenv("WEEFSEL_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    std::string name = entry.path().filename().string();
    if (name.size() < 8 || name.compare(name.size() - 8, 8, ".in.json") != 0) continue;
    ++cases;
    std::string stem = name.substr(0, name.size() - 8);
    SCOPED_TRACE(stem);
    Json in = Json::parse(Slurp(entry.path()));
    std::string engine = in.value("engine", "");
    Json got = engine == "fabric_report"   ? FabricReport(in)
               : engine == "match"         ? Match(in)
               : engine == "fund_rules"    ? FundRules(in)
               : engine == "coalition"     ? Coalitions(in)
               : engine == "match_funding" ? MatchFunding(in)
                                           : Json{{"error", "unknown engine '" + engine + "'"}};
    ASSERT_FALSE(got.is_object() && got.contains("error")) << got.dump();
    fs::path out = kDir / (stem + ".out.json");
    if (update) {
      std::ofstream(out, std::ios::binary) << got.dump(2) << "\n";
      continue;
    }
    ASSERT_TRUE(fs::exists(out)) << out << " is missing; WEEFSEL_UPDATE_GOLDEN=1 writes it";
    EXPECT_EQ(FirstDifference(Json::parse(Slurp(out)), got), "")
        << stem << ": the engine's answer changed; if intended, WEEFSEL_UPDATE_GOLDEN=1 rewrites " << out;
  }
  EXPECT_GE(cases, 5) << "cases missing in " << kDir;
}

}  // namespace
}  // namespace weefsel
