// http/routes/engines_routes.cc: the engine routes of the API (fund results and .pb export, the
// fabric of a municipality, coalition suggestions), added to Api's one route table by
// BuildEngineRoutes(). Handlers decode, call one service in service/engines.h (which checks rights
// and caches), encode. The JSON shapes are documented in docs/api.md ("Engines"). Where an answer
// shows an entity or part of one (an actor on the fabric map, a capability need, a tie) it is
// encoded from the entity's field table (EncodeOnly, Encode, ToJson); the engines' own results
// (reports, layouts, teams, outcomes) are written here.
#include <algorithm>
#include <cmath>
#include <memory>

#include "base/strings.h"
#include "fabric/export.h"
#include "fund/instance.h"
#include "http/api.h"
#include "http/call.h"
#include "http/fields/entity_fields.h"
#include "http/routes/route_kit.h"
#include "match/match_json.h"
#include "service/engines.h"
#include "service/introductions.h"

namespace weefsel::http {
namespace {

using kit::ArrayOf;
using kit::Body;
using kit::FreeForm;
using kit::Keys;
using kit::Obj;
using kit::Ok;
using kit::Scalar;
using kit::Stamp;
using kit::Stamped;
using kit::StrMax;

Json Num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Result<int> IntParam(const Call& c, const char* name, int fallback, int lo, int hi) {
  if (!c.req.HasParam(name)) return fallback;
  auto v = ParseInt(c.req.Param(name));
  if (!v || *v < lo || *v > hi)
    return Status::InvalidArgument(std::string(name) + ": must be an integer from " + std::to_string(lo) + " to " +
                                   std::to_string(hi));
  return static_cast<int>(*v);
}

Json TallyJson(const fabric::Tally& t, size_t max = 10) {
  Json out = Json::array();
  for (size_t i = 0; i < t.size() && i < max; ++i) out.push_back({{"label", t[i].first}, {"count", t[i].second}});
  return out;
}

Json MixingJson(const fabric::MixingMatrix& m) {
  return {{"categories", m.categories},
          {"observed", m.observed},
          {"expected", m.expected},
          {"ties", m.ties},
          {"ei_index", m.ei_index}};
}

Json ActorRef(const service::FabricView& v, int node) {
  return EncodeOnly(fields::ActorFields(), v.actors[static_cast<size_t>(node)], {"id", "name"});
}

// Health indicators read off the report (no extra computation).
Json ReportHealth(const service::FabricView& v) {
  const fabric::Report& r = v.report;
  int isolates = 0;
  for (int d : r.degree) isolates += d == 0 ? 1 : 0;
  double diag = 0;
  for (size_t i = 0; i < r.sectors.observed.size(); ++i) diag += r.sectors.observed[i][i];
  double cross = r.sectors.ties > 0 ? 1.0 - diag / static_cast<double>(r.sectors.ties) : 0.0;
  double largest = r.nodes > 0 && !r.components.sizes.empty() ? double(r.components.sizes[0]) / r.nodes : 0.0;
  return {{"largest_component_share", largest},
          {"isolates", isolates},
          {"cross_sector_share", cross},
          {"sector_ei_index", r.sectors.ei_index},
          {"modularity", r.unweighted.communities.modularity},
          {"transitivity", r.structure.transitivity},
          {"bridges", r.structure.bridges.size()},
          {"articulation_points", r.structure.articulation_points.size()}};
}

Json ReportJson(const service::FabricView& v) {
  const fabric::Report& r = v.report;
  const fabric::Fabric& f = v.fabric;
  Json roles = {{"hub", 0}, {"broker", 0}, {"peripheral", 0}, {"member", 0}, {"isolate", 0}};
  for (auto role : r.roles)
    roles[std::string(fabric::RoleCode(role))] = roles[std::string(fabric::RoleCode(role))].get<int>() + 1;
  // Brokers: the 20 actors with the highest betweenness, with their constraint and role.
  std::vector<int> order(static_cast<size_t>(f.node_count()));
  for (int i = 0; i < f.node_count(); ++i) order[static_cast<size_t>(i)] = i;
  const auto& bt = r.unweighted.betweenness.values;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return bt[static_cast<size_t>(a)] > bt[static_cast<size_t>(b)]; });
  Json brokers = Json::array();
  for (size_t k = 0; k < order.size() && k < 20; ++k) {
    int i = order[k];
    if (!(bt[static_cast<size_t>(i)] > 0)) break;
    Json b = ActorRef(v, i);
    b["betweenness"] = bt[static_cast<size_t>(i)];
    b["constraint"] = Num(r.unweighted.constraint[static_cast<size_t>(i)]);
    b["degree"] = r.degree[static_cast<size_t>(i)];
    b["role"] = std::string(fabric::RoleCode(r.roles[static_cast<size_t>(i)]));
    brokers.push_back(std::move(b));
  }
  Json communities = Json::array();
  for (const auto& p : r.profiles) {
    Json top = Json::array();
    for (int t : p.top_nodes) top.push_back(ActorRef(v, t));
    communities.push_back({{"id", p.community},
                           {"size", p.size},
                           {"kinds", TallyJson(p.kinds)},
                           {"sectors", TallyJson(p.sectors)},
                           {"themes", TallyJson(p.themes, 5)},
                           {"areas", TallyJson(p.areas, 5)},
                           {"capabilities", TallyJson(p.capabilities, 5)},
                           {"internal_ties", p.internal_ties},
                           {"external_ties", p.external_ties},
                           {"top_actors", top}});
  }
  Json ap = Json::array();
  for (int a : r.structure.articulation_points) ap.push_back(ActorRef(v, a));
  Json bridges = Json::array();
  for (const auto& e : r.structure.bridges) bridges.push_back({{"from", f.ExternalId(e.u)}, {"to", f.ExternalId(e.v)}});
  Json sizes = Json::array();
  for (size_t i = 0; i < r.components.sizes.size() && i < 20; ++i) sizes.push_back(r.components.sizes[i]);
  Json out = {{"municipality", v.municipality.value()},
              {"actors", r.nodes},
              {"ties", r.edges},
              {"weighted", r.weighted},
              {"components", {{"count", r.components.count}, {"largest", sizes}}},
              {"diameter", r.diameter},
              {"modularity", r.unweighted.communities.modularity},
              {"community_count", r.unweighted.communities.count},
              {"louvain_modularity", r.unweighted.louvain_modularity},
              {"transitivity", r.structure.transitivity},
              {"roles", roles},
              {"brokers", brokers},
              {"communities", communities},
              {"articulation_points", ap},
              {"bridges", bridges},
              {"kind_mixing", MixingJson(r.kinds)},
              {"sector_mixing", MixingJson(r.sectors)},
              {"ei_index", r.sectors.ei_index},
              {"health", ReportHealth(v)},
              {"seconds", v.seconds},
              {"layout_seconds", v.layout_seconds}};
  if (r.weighted_measures) out["weighted_modularity"] = r.weighted_measures->communities.modularity;
  return out;
}

Json MapJson(const service::FabricView& v) {
  const fabric::Report& r = v.report;
  const auto& membership = r.unweighted.communities.membership;
  Json actors = Json::array();
  for (size_t i = 0; i < v.actors.size(); ++i) {
    Json a = EncodeOnly(fields::ActorFields(), v.actors[i], {"id", "name", "kind", "sector", "themes"});
    a["community"] = membership[i];
    a["role"] = std::string(fabric::RoleCode(r.roles[i]));
    a["degree"] = r.degree[i];
    a["x"] = std::round(v.positions[i].x * 1e5) / 1e5;
    a["y"] = std::round(v.positions[i].y * 1e5) / 1e5;
    actors.push_back(std::move(a));
  }
  Json ties = Json::array();
  for (const auto& e : v.fabric.Edges())
    ties.push_back({{"from", v.fabric.ExternalId(e.u)}, {"to", v.fabric.ExternalId(e.v)}, {"weight", e.weight}});
  Json communities = Json::array();
  for (const auto& p : r.profiles)
    communities.push_back({{"id", p.community},
                           {"size", p.size},
                           {"top_theme", p.themes.empty() ? Json(nullptr) : Json(p.themes[0].first)},
                           {"top_sector", p.sectors.empty() ? Json(nullptr) : Json(p.sectors[0].first)}});
  return {{"municipality", v.municipality.value()},
          {"layout", "fruchterman_reingold"},
          {"modularity", r.unweighted.communities.modularity},
          {"communities", communities},
          {"actors", actors},
          {"ties", ties}};
}

Json WeaveJson(const service::FabricView& v, const fabric::WeaveResult& w, int k) {
  Json out = {{"municipality", v.municipality.value()}, {"k", k}};
  out.update(fabric::WeaveObject(w, [&](int node) { return ActorRef(v, node); }));
  return out;
}

Json HealthJson(MunicipalityId m, const service::HealthHistory& h) {
  Json months = Json::array();
  for (const auto& s : h.months)
    months.push_back({{"month", s.label},
                      {"actors", s.actors},
                      {"ties", s.ties},
                      {"cross_sector_share", s.cross_sector_share},
                      {"largest_component_share", s.largest_component_share},
                      {"isolates", s.isolates},
                      {"components", s.components},
                      {"modularity", s.modularity},
                      {"mean_sector_distance", s.mean_sector_distance}});
  return {{"municipality", m.value()}, {"dated", h.dated}, {"months", months}};
}

// The verdict's parameters: the numbers its sentence is made of (absent ones left out).
Json VerdictParams(const fund::Explanation& e) {
  Json p = {{"cost_eur", e.cost}, {"supporters", e.supporters}, {"utility", e.utility}};
  if (e.step > 0) p["step"] = e.step;
  if (e.money_left >= 0) p["money_left_eur"] = e.money_left;
  if (e.rho >= 0) p["rho"] = e.rho;
  if (e.supporters_money >= 0) p["supporters_money_eur"] = e.supporters_money;
  if (e.load >= 0) p["load"] = e.load;
  if (!e.payments.empty()) {
    Json pay = Json::array();
    for (const auto& g : e.payments) pay.push_back({{"voters", g.voters}, {"paid_eur", g.paid}, {"left_eur", g.left}});
    p["payments"] = pay;
  }
  return p;
}

Json ResultsJson(const service::RoundResults& res) {
  const domain::Round& r = res.round;
  const fund::Instance& in = res.instance;
  Json winners = Json::array();
  for (int i : res.outcome.selected) winners.push_back(in.projects[static_cast<size_t>(i)].id);
  Json projects = Json::array();
  for (size_t i = 0; i < res.outcome.explanations.size() && i < r.projects.size(); ++i) {
    const fund::Explanation& e = res.outcome.explanations[i];
    projects.push_back(
        {{"project_id", e.project_id},
         {"title", r.projects[i].title},
         {"cost_eur", r.projects[i].cost_eur},
         {"funded", e.funded},
         {"step", e.step > 0 ? Json(e.step) : Json(nullptr)},
         {"supporters", e.supporters},
         {"verdict", {{"code", std::string(fund::VerdictCode(e.verdict))}, {"params", VerdictParams(e)}}},
         {"text", e.reason}});
  }
  return {{"round", r.id.value()},
          {"name", r.name},
          {"phase", std::string(domain::RoundPhaseCode(r.phase))},
          {"rule", std::string(fund::RuleName(res.outcome.rule))},
          {"ballot_kind", std::string(domain::BallotKindCode(r.ballot_kind))},
          {"budget_eur", r.budget_eur},
          {"spent_eur", fund::MoneyToDouble(res.outcome.total_cost, in.scale)},
          {"ballots", res.ballots},
          {"budget_increments", res.outcome.budget_increments},
          {"winners", winners},
          {"projects", projects}};
}

Reply Unprocessable(const std::string& instance, const service::Infeasible& inf) {
  Json reqs = Json::array();
  for (const auto& [name, detail] : inf.requirements) reqs.push_back({{"requirement", name}, {"detail", detail}});
  Json p = {{"type", "https://weefsel.nl/problems/infeasible-coalition"},
            {"title", "Unprocessable Content"},
            {"status", 422},
            {"detail", "coalition cannot be formed: " + inf.detail},
            {"instance", instance},
            {"field", "requirement"},
            {"code", "infeasible_coalition"},
            {"params", {{"requirement", inf.requirement}}},
            {"requirement", inf.requirement},
            {"requirements", reqs}};
  Reply r;
  r.status = 422;
  r.raw = p.dump();
  r.content_type = "application/problem+json";
  return r;
}

Json SuggestionsJson(const service::Suggestions& s) {
  const auto& cands = s.candidates;
  Json needs = Json::array();
  for (const auto& n : s.rules.needs) needs.push_back(Encode(fields::CapabilityNeedFields(), n));
  Json mix = Json::object();
  for (auto [sector, count] : s.rules.mix) mix[std::string(domain::SectorCode(sector))] = count;
  Json teams = Json::array();
  for (size_t k = 0; k < s.teams.size(); ++k) {
    const coalition::Team& t = s.teams[k];
    Json members = Json::array();
    for (int m : t.members) {
      Json covers = Json::array();
      for (const auto& [cap, who] : t.covers)
        if (who == m) covers.push_back(cap);
      const auto& c = cands[static_cast<size_t>(m)];
      auto city = s.municipality_names.find(c.municipality.value());
      members.push_back({{"actor", c.actor.value()},
                         {"name", c.name},
                         {"sector", std::string(domain::SectorCode(c.sector))},
                         {"covers", covers},
                         {"lead", s.rules.lead && *s.rules.lead == m},
                         {"relevance", c.relevance},
                         {"municipality", c.municipality.valid() ? Json(c.municipality.value()) : Json(nullptr)},
                         {"municipality_name", city != s.municipality_names.end() ? Json(city->second) : Json(nullptr)},
                         {"area", c.area},
                         {"local", c.why.empty()},
                         {"why", c.why}});
    }
    Json covers = Json::array();
    for (const auto& [cap, who] : t.covers)
      covers.push_back({{"capability", cap}, {"actor", cands[static_cast<size_t>(who)].actor.value()}});
    Json ties = Json::array();
    for (const auto& [a, b, w] : s.ties[k])
      ties.push_back({{"from", cands[static_cast<size_t>(a)].actor.value()},
                      {"to", cands[static_cast<size_t>(b)].actor.value()},
                      {"strength", w}});
    teams.push_back({{"rank", k + 1},
                     {"members", members},
                     {"covers", covers},
                     {"ties", ties},
                     {"communication_cost", t.communication},
                     {"relevance", t.relevance},
                     {"objective", t.objective},
                     {"explanation", s.explanations[k]}});
  }
  return {{"challenge", s.challenge.id.value()},
          {"rules",
           {{"needs", needs},
            {"sector_mix", mix},
            {"max_size", s.rules.max_size},
            {"lead", s.rules.lead ? Json(cands[static_cast<size_t>(*s.rules.lead)].actor.value()) : Json(nullptr)}}},
          {"candidates", cands.size()},
          {"shortfall", s.shortfall},
          {"teams", teams}};
}

}  // namespace

void Api::BuildEngineRoutes() {
  service::FundService* funds = &engines_.funds();
  service::FabricService* fabrics = &engines_.fabrics();
  service::CoalitionService* coalitions = &engines_.coalitions();

  // Fund.
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/results",
       .tag = "rounds",
       .summary =
           "The round's outcome under its rule: winners, money spent, and per project why it was or was not funded "
           "(officers any time; everybody from phase allocation on)",
       .success = 200,
       .response = Stamped(Scalar("object")),
       .handler = [funds](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto res, funds->Results(c.who, c.Path<RoundTag>(0)));
         return Stamp(Ok(ResultsJson(*res.value)), res.as_of, res.stale);
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/export.pb",
       .tag = "rounds",
       .summary = "The round as a Pabulib .pb file with anonymous ballots (same rights as the results)",
       .success = 200,
       .response = FreeForm("a Pabulib .pb file (text/plain), not JSON"),
       .handler = [funds](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(std::string pb, funds->ExportPb(c.who, c.Path<RoundTag>(0)));
         Reply r;
         r.raw = std::move(pb);
         r.content_type = "text/plain; charset=utf-8";
         r.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"round-" + std::to_string(c.ids.at(0)) + ".pb\"");
         return r;
       }});

  // Fabric of a municipality (public data: actors and ties are open).
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/fabric/report",
       .tag = "fabric",
       .summary = "The fabric report of a municipality: components, communities, roles, brokers, mixing, E-I, health",
       .success = 200,
       .cached = true,
       .scopes = {"fabric:{id}", "municipality:{id}"},
       .response = Stamped(Keys({"municipality",
                                 "actors",
                                 "ties",
                                 "weighted",
                                 "components",
                                 "diameter",
                                 "modularity",
                                 "community_count",
                                 "louvain_modularity",
                                 "transitivity",
                                 "roles",
                                 "brokers",
                                 "communities",
                                 "articulation_points",
                                 "bridges",
                                 "kind_mixing",
                                 "sector_mixing",
                                 "ei_index",
                                 "health",
                                 "seconds",
                                 "layout_seconds"})),
       .handler = [fabrics](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto v, fabrics->View(c.Path<MunicipalityTag>(0)));
         return Stamp(Ok(ReportJson(*v.value)), v.as_of, v.stale);
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/fabric/map",
       .tag = "fabric",
       .summary =
           "Every actor (community, role, degree, position in [0,1]) and every tie of a municipality, in one response",
       .success = 200,
       .cached = true,
       .scopes = {"fabric:{id}", "municipality:{id}"},
       .response = Stamped(Keys({"municipality", "layout", "modularity", "communities", "actors", "ties"})),
       .handler = [fabrics](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto v, fabrics->View(c.Path<MunicipalityTag>(0)));
         return Stamp(Ok(MapJson(*v.value)), v.as_of, v.stale);
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/fabric/weave",
       .tag = "fabric",
       .summary =
           "Weave suggestions: the k (1..50, default 10) introductions that most strengthen the fabric, with reason "
           "and gain",
       .success = 200,
       .cached = true,
       .scopes = {"fabric:{id}", "municipality:{id}"},
       .query = {"k"},
       .response = Stamped(Scalar("object")),
       .handler = [fabrics](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(int k, IntParam(c, "k", 10, 1, 50));
         MunicipalityId m = c.Path<MunicipalityTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto w, fabrics->Weave(m, k));
         return Stamp(Ok(WeaveJson(*w.value->view, w.value->weave, k)), w.as_of, w.stale);
       }});
  // "Breng in contact": an officer acts on a weave suggestion (service/introductions.h).
  service::Introductions& I = introductions_;
  Add({.method = "POST",
       .path = "/api/v1/municipalities/{id}/introductions",
       .tag = "fabric",
       .summary = "Introduce two organisations to each other (officers): the members of each are notified, naming "
                  "the other; the same two once per 90 days",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request =
           Body({{"a", Scalar("integer")}, {"b", Scalar("integer")}, {"note", StrMax(service::kMaxIntroductionNote)}},
                {"a", "b"}),
       .response =
           Obj({{"municipality", Scalar("integer")},
                {"at", Scalar("string")},
                {"note", Scalar("string")},
                {"a", Obj({{"id", Scalar("integer")}, {"name", Scalar("string")}, {"notified", Scalar("integer")}})},
                {"b", Obj({{"id", Scalar("integer")}, {"name", Scalar("string")}, {"notified", Scalar("integer")}})}}),
       .handler = [&I](Call& c) -> Result<Reply> {
         Fields f(c.body, "introduction");
         ActorId a, b;
         std::string note;
         WEEFSEL_RETURN_IF_ERROR(f.IdField("a", a));
         WEEFSEL_RETURN_IF_ERROR(f.IdField("b", b));
         WEEFSEL_RETURN_IF_ERROR(f.Str("note", note, service::kMaxIntroductionNote));
         if (!a.valid()) return f.Error("a", "required: the id of an actor");
         if (!b.valid()) return f.Error("b", "required: the id of an actor");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto in, I.Introduce(c.who, c.Path<MunicipalityTag>(0), a, b, std::move(note)));
         auto party = [](const service::IntroducedParty& x) {
           return Json{{"id", x.actor.value()}, {"name", x.name}, {"notified", x.notified}};
         };
         return Ok({{"municipality", in.municipality.value()},
                    {"at", in.at},
                    {"note", in.note},
                    {"a", party(in.a)},
                    {"b", party(in.b)}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/fabric/health",
       .tag = "fabric",
       .summary = "The fabric's health per month (from the ties' start dates)",
       .success = 200,
       .cached = true,
       .scopes = {"fabric:{id}", "municipality:{id}"},
       .response = Stamped(Scalar("object")),
       .handler = [fabrics](Call& c) -> Result<Reply> {
         MunicipalityId m = c.Path<MunicipalityTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto h, fabrics->Health(m));
         return Stamp(Ok(HealthJson(m, *h.value)), h.as_of, h.stale);
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/fabric/graphml",
       .tag = "fabric",
       .summary = "The fabric as GraphML (application/graphml+xml) with the report's measures per actor",
       .success = 200,
       .response = FreeForm("a GraphML document (application/xml), not JSON"),
       .handler = [fabrics](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto stamped, fabrics->View(c.Path<MunicipalityTag>(0)));
         const auto& v = stamped.value;
         Reply r;
         r.raw = fabric::ToGraphMl(v->fabric, &v->report);
         r.content_type = "application/graphml+xml";
         r.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"fabric-" + std::to_string(c.ids.at(0)) + ".graphml\"");
         return Stamp(std::move(r), stamped.as_of, stamped.stale);
       }});

  // Coalitions from the engine.
  Add({.method = "GET",
       .path = "/api/v1/challenges/{id}/coalition-suggestions",
       .tag = "coalitions",
       .summary =
           "The coalition engine's best teams for a challenge, with who covers what; 422 names the requirement that "
           "cannot be met (officers of the challenge's municipality, actor members)",
       .success = 200,
       .needs_user = true,
       .query = {"top", "candidates", "size"},
       .response = Stamped(Scalar("object")),
       .handler = [coalitions](Call& c) -> Result<Reply> {
         service::SuggestRequest req;
         WEEFSEL_ASSIGN_OR_RETURN(req.top, IntParam(c, "top", 3, 1, 10));
         WEEFSEL_ASSIGN_OR_RETURN(req.candidates, IntParam(c, "candidates", 60, 5, 200));
         WEEFSEL_ASSIGN_OR_RETURN(req.max_size, IntParam(c, "size", 0, 1, 20));
         service::Infeasible inf;
         WEEFSEL_ASSIGN_OR_RETURN(auto s, coalitions->Suggest(c.who, c.Path<ChallengeTag>(0), req, &inf));
         if (!inf.requirement.empty()) return Unprocessable(c.req.path, inf);
         return Stamp(Ok(SuggestionsJson(*s)), s->as_of, s->stale);
       }});
  // The Right to Challenge in reverse: who could join a bid (the matcher and the coalition engine on
  // the task's capabilities and themes, the initiative as lead) and the fabric behind it.
  service::TaskChallenges* rtc = &task_challenges_;
  service::MatchService* matches = &engines_.matches();
  Add({.method = "GET",
       .path = "/api/v1/task-challenges/{id}/partners",
       .tag = "right-to-challenge",
       .summary = "Who could join a Right to Challenge bid: actors that fit the task with their reasons, teams "
                  "around the initiative, and the ties of the initiative and its partners (the initiative, actor "
                  "members, officers of the municipality)",
       .success = 200,
       .needs_user = true,
       .query = {"limit"},
       .response = Stamped(Keys({"task_challenge", "matches", "teams", "shortfall", "ties"})),
       .handler = [coalitions, rtc, matches](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(int limit, IntParam(c, "limit", 10, 1, 50));
         auto id = c.Path<TaskChallengeTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge ch, rtc->AsChallenge(c.who, id));
         WEEFSEL_ASSIGN_OR_RETURN(auto bid, rtc->Get(id));
         WEEFSEL_ASSIGN_OR_RETURN(auto matcher, matches->Snapshot());
         match::RankOptions ro;
         ro.limit = limit + 1 + static_cast<int>(bid.partners.size());
         WEEFSEL_ASSIGN_OR_RETURN(auto ranked, matcher.value->Rank(ch, ro));
         Json items = Json::array();
         for (const auto& m : ranked) {
           if (m.actor == bid.initiative) continue;
           if (std::find(bid.partners.begin(), bid.partners.end(), m.actor) != bid.partners.end()) continue;
           if (static_cast<int>(items.size()) >= limit) break;
           items.push_back(match::ToJson(m));
         }
         service::Infeasible inf;
         service::SuggestRequest req;
         WEEFSEL_ASSIGN_OR_RETURN(auto s, coalitions->SuggestFor(ch, req, &inf));
         Json teams = inf.requirement.empty() ? SuggestionsJson(*s)["teams"] : Json::array();
         Json ties = Json::array();
         WEEFSEL_ASSIGN_OR_RETURN(auto fabric, rtc->FabricOf(id));
         for (const auto& t : fabric) ties.push_back(ToJson(t));
         return Stamp(Ok({{"task_challenge", id.value()},
                          {"matches", items},
                          {"teams", teams},
                          {"shortfall", inf.requirement.empty() ? Json(s->shortfall) : Json(inf.detail)},
                          {"ties", ties}}),
                      matcher.as_of, matcher.stale);
       }});
}

}  // namespace weefsel::http
