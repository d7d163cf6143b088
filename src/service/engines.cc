#include "service/engines.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

#include "base/strings.h"
#include "coalition/pool.h"
#include "domain/vocabulary.h"
#include "fund/pabulib.h"
#include "service/core/policy.h"
#include "service/open_data.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

// FNV-1a over the bytes of strings and numbers, for fingerprints.
class Fnv {
 public:
  void Add(std::string_view s) {
    for (unsigned char c : s) Byte(c);
    Byte(0xff);
  }
  void Add(int64_t v) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff));
  }
  void Add(double v) { Add(static_cast<int64_t>(v * 1e9)); }
  uint64_t value() const { return h_; }

 private:
  void Byte(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  uint64_t h_ = 1469598103934665603ull;
};

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// ---- fund ------------------------------------------------------------------------------------

Status FundService::MayRead(const Principal& p, const domain::Round& r) const {
  if (r.phase >= domain::RoundPhase::kAllocation) return Status::Ok();
  return core::Can(
      p, core::Action::kReadEarlyResults,
      {.municipalities = {r.municipality}, .words = {{"phase", std::string(domain::RoundPhaseCode(r.phase))}}});
}

Result<std::vector<domain::Ballot>> FundService::AnonymousBallots(RoundId id) {
  std::vector<domain::Ballot> ballots;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read([&](storage::Store& store) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(ballots, store.BallotsOf(id));
    return Status::Ok();
  }));
  return AnonymiseBallots(std::move(ballots));
}

Result<Built<RoundResults>> FundService::Build(RoundId id) {
  // Ballots, reviews and the round itself; not other rounds' ballots. The version first.
  WEEFSEL_ASSIGN_OR_RETURN(int64_t as_of, platform_.VersionOf({"rounds", storage::scope::Round(id)}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round round, platform_.GetRound(id));
  WEEFSEL_ASSIGN_OR_RETURN(fund::Rule rule, fund::ParseRule(round.rule));
  fund::VoteType type = fund::VoteType::kApproval;
  switch (round.ballot_kind) {
    case domain::BallotKind::kApproval:
      break;
    case domain::BallotKind::kCumulative:
      type = fund::VoteType::kCumulative;
      break;
    case domain::BallotKind::kOrdinal:
      type = fund::VoteType::kOrdinal;
      break;
    case domain::BallotKind::kScoring:
      type = fund::VoteType::kScoring;
      break;
  }
  if (!fund::RuleApplies(rule, type))
    return Status::FailedPrecondition("round.rule: " + round.rule + " is not defined for " +
                                      std::string(domain::BallotKindCode(round.ballot_kind)) + " ballots");
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, AnonymousBallots(id));
  auto results = std::make_shared<RoundResults>();
  results->round = round;
  results->ballots = static_cast<int64_t>(ballots.size());
  WEEFSEL_ASSIGN_OR_RETURN(results->instance, fund::FromRound(round, ballots));
  fund::RuleOptions options;
  options.explain = true;
  WEEFSEL_ASSIGN_OR_RETURN(results->outcome, fund::RunRule(results->instance, rule, options));
  return Built<RoundResults>{as_of, std::move(results)};
}

Result<Stamped<RoundResults>> FundService::Results(const Principal& p, RoundId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round round, platform_.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(MayRead(p, round));
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.VersionOf({"rounds", storage::scope::Round(id)}));
  return results_.Get(id, version, [this, id](const std::shared_ptr<const RoundResults>&) { return Build(id); });
}

std::vector<std::string> FundService::Errors() const {
  return results_.Errors([](RoundId id) { return "round " + std::to_string(id.value()); });
}

Result<std::string> FundService::ExportPb(const Principal& p, RoundId id) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Round round, platform_.GetRound(id));
  WEEFSEL_RETURN_IF_ERROR(MayRead(p, round));
  WEEFSEL_ASSIGN_OR_RETURN(auto ballots, AnonymousBallots(id));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality m, platform_.GetMunicipality(round.municipality));
  return AnonymousRoundPb(round, std::move(ballots), m.name);
}

// ---- fabric ----------------------------------------------------------------------------------

namespace {
// A municipality's actors and ties (and its record): an edit elsewhere leaves its fabric alone.
std::vector<std::string> FabricScopes(MunicipalityId m) {
  return {storage::scope::Fabric(m), storage::scope::Municipality(m)};
}
}  // namespace

Result<Built<FabricView>> FabricService::BuildView(MunicipalityId m,
                                                   const std::shared_ptr<const FabricView>& previous) {
  WEEFSEL_ASSIGN_OR_RETURN(int64_t as_of, platform_.VersionOf(FabricScopes(m)));
  std::vector<domain::Actor> actors;
  std::vector<domain::Tie> ties;
  WEEFSEL_RETURN_IF_ERROR(platform_.engine_store().Read([&](storage::Store& store) -> Status {
    WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(m).status());
    storage::ListQuery q;
    q.municipality = m;
    WEEFSEL_ASSIGN_OR_RETURN(actors, store.ListActors(q));
    WEEFSEL_ASSIGN_OR_RETURN(ties, store.ListTies(q));
    return Status::Ok();
  }));
  std::unordered_set<int64_t> here;
  for (const auto& a : actors) here.insert(a.id.value());
  std::erase_if(ties, [&](const domain::Tie& t) {
    return !here.count(t.a.value()) || !here.count(t.b.value()) || !t.until.empty();
  });
  Fnv fp;
  for (const auto& a : actors) {
    fp.Add(a.id.value());
    fp.Add(a.name);
    fp.Add(static_cast<int64_t>(a.kind));
    fp.Add(a.area);
    for (const auto& t : a.themes) fp.Add(t);
    fp.Add("|");
    for (const auto& c : a.capabilities) fp.Add(c);
    fp.Add("|");
  }
  for (const auto& t : ties) {
    fp.Add(t.a.value());
    fp.Add(t.b.value());
    fp.Add(t.weight);
    fp.Add(t.from);
  }
  // Nothing the analysis reads changed (a description edit, say): the same view, newer as_of.
  if (previous && previous->fingerprint == fp.value()) return Built<FabricView>{as_of, previous};
  auto start = std::chrono::steady_clock::now();
  auto view = std::make_shared<FabricView>();
  view->municipality = m;
  view->fingerprint = fp.value();
  WEEFSEL_ASSIGN_OR_RETURN(view->fabric, fabric::Fabric::FromDomain(actors, ties));
  // Node order follows the actors given. The view keeps of each actor what the fabric's routes and
  // health read (id, name, kind, area, themes, capabilities): a description, website and source
  // would be kept for every actor of every municipality for nothing. (The national demo's actors
  // have short descriptions: there the views hold 576 MB either way, bench/national/run.sh step (f);
  // real registers' descriptions run to paragraphs.)
  view->actors.resize(actors.size());
  for (auto& a : actors) {
    auto i = view->fabric.IndexOf(a.id);
    if (!i) return Status::Internal("fabric: actor " + std::to_string(a.id.value()) + " has no node");
    a.description = std::string();
    a.website = std::string();
    a.source = std::string();
    view->actors[static_cast<size_t>(*i)] = std::move(a);
  }
  view->ties = std::move(ties);
  WEEFSEL_ASSIGN_OR_RETURN(view->report, fabric::Analyse(view->fabric));
  auto layout_start = std::chrono::steady_clock::now();
  WEEFSEL_ASSIGN_OR_RETURN(view->positions, fabric::Layout(view->fabric));
  view->layout_seconds = SecondsSince(layout_start);
  view->seconds = SecondsSince(start);
  return Built<FabricView>{as_of, std::move(view)};
}

Result<Stamped<FabricView>> FabricService::View(MunicipalityId m) {
  // An unknown id gets its 404 here: it must not take a slot or leave a failed build behind.
  WEEFSEL_RETURN_IF_ERROR(platform_.GetMunicipality(m).status());
  WEEFSEL_ASSIGN_OR_RETURN(int64_t version, platform_.VersionOf(FabricScopes(m)));
  return views_.Get(m, version,
                    [this, m](const std::shared_ptr<const FabricView>& previous) { return BuildView(m, previous); });
}

Result<Stamped<WeaveView>> FabricService::Weave(MunicipalityId m, int k) {
  if (k < 1 || k > 50) return Status::InvalidArgument("k: must be between 1 and 50");
  WEEFSEL_ASSIGN_OR_RETURN(Stamped<FabricView> v, View(m));
  // On the view's version: a stale view gets its own (stale) weave, at once if built before.
  std::shared_ptr<const FabricView> view = v.value;
  WEEFSEL_ASSIGN_OR_RETURN(
      Stamped<WeaveView> w,
      weaves_.Get(
          {m, k}, v.as_of,
          [view, k, as_of = v.as_of](const std::shared_ptr<const WeaveView>&) -> Result<Built<WeaveView>> {
            fabric::WeaveOptions options;
            options.k = k;
            WEEFSEL_ASSIGN_OR_RETURN(auto weave, fabric::SuggestWeaves(view->fabric, options));
            return Built<WeaveView>{as_of, std::make_shared<const WeaveView>(WeaveView{view, std::move(weave)})};
          }));
  w.stale = w.stale || v.stale;
  return w;
}

Result<Stamped<HealthHistory>> FabricService::Health(MunicipalityId m) {
  WEEFSEL_ASSIGN_OR_RETURN(Stamped<FabricView> v, View(m));
  std::shared_ptr<const FabricView> view = v.value;
  WEEFSEL_ASSIGN_OR_RETURN(
      Stamped<HealthHistory> h,
      health_.Get(
          m, v.as_of,
          [this, view, as_of = v.as_of](const std::shared_ptr<const HealthHistory>&) -> Result<Built<HealthHistory>> {
            WEEFSEL_ASSIGN_OR_RETURN(auto history, BuildHealth(*view));
            return Built<HealthHistory>{as_of, std::move(history)};
          }));
  h.stale = h.stale || v.stale;
  return h;
}

void FabricService::Warm(MunicipalityId m) {
  auto version = platform_.VersionOf(FabricScopes(m));
  if (!version.ok()) return;
  views_.Warm(m, *version,
              [this, m](const std::shared_ptr<const FabricView>& previous) { return BuildView(m, previous); });
}

std::vector<std::string> FabricService::Errors() const {
  auto name = [](MunicipalityId m) { return "municipality " + std::to_string(m.value()); };
  std::vector<std::string> out = views_.Errors(name);
  for (auto& e : weaves_.Errors([&](const std::pair<MunicipalityId, int>& mk) {
         return name(mk.first) + " k=" + std::to_string(mk.second);
       }))
    out.push_back(std::move(e));
  for (auto& e : health_.Errors(name)) out.push_back(std::move(e));
  return out;
}

Result<std::shared_ptr<const HealthHistory>> FabricService::BuildHealth(const FabricView& v) {
  auto history = std::make_shared<HealthHistory>();
  std::string first;
  for (const auto& t : v.ties)
    if (IsIsoDate(t.from) && (first.empty() || t.from < first)) first = t.from;
  std::string today = FormatDate(platform_.clock().Now());
  fabric::HealthOptions options;
  // Up to 36 snapshots: the distance between sectors from every actor (a BFS each) only for small
  // fabrics; above 1,000 actors from 500 seeded sources (a Rotterdam of 4,784 actors took 32 s for
  // its first history with 5,000, 6.6 s with 1,000, on a loaded machine).
  options.exact_up_to = 1000;
  std::vector<std::string> dates, labels;
  if (!first.empty() && first <= today) {
    history->dated = true;
    int y = std::stoi(today.substr(0, 4)), mo = std::stoi(today.substr(5, 2));
    int fy = std::stoi(first.substr(0, 4)), fm = std::stoi(first.substr(5, 2));
    // Month ends, newest first, back to the first tie's month (at most 36).
    for (int n = 0; n < 36 && (y > fy || (y == fy && mo >= fm)); ++n) {
      char label[32], last[32];
      snprintf(label, sizeof label, "%04d-%02d", y, mo);
      static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      snprintf(last, sizeof last, "%04d-%02d-%02d", y, mo, mo == 2 && leap ? 29 : kDays[mo - 1]);
      labels.emplace_back(label);
      // The state at the end of the month: ties begun by its last day (today for the current
      // month).
      dates.push_back(n == 0 ? today : std::string(last));
      if (--mo == 0) {
        mo = 12;
        --y;
      }
    }
    std::reverse(dates.begin(), dates.end());
    std::reverse(labels.begin(), labels.end());
  } else {
    dates.push_back(today);
    labels.push_back(today.substr(0, 7));
  }
  // Only ties that started by that date, among the municipality's active ties.
  WEEFSEL_ASSIGN_OR_RETURN(history->months, fabric::HealthOverTime(v.actors, v.ties, dates, options));
  for (size_t i = 0; i < history->months.size() && i < labels.size(); ++i) history->months[i].label = labels[i];
  return std::shared_ptr<const HealthHistory>(history);
}

// ---- coalitions ------------------------------------------------------------------------------

Result<std::shared_ptr<const Suggestions>> CoalitionService::Suggest(const Principal& p, ChallengeId id,
                                                                     const SuggestRequest& req,
                                                                     Infeasible* infeasible) {
  WEEFSEL_ASSIGN_OR_RETURN(domain::Challenge ch, platform_.GetChallenge(id));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kSuggestCoalitions, {.municipalities = {ch.municipality}}));
  if (req.top < 1 || req.top > 10) return Status::InvalidArgument("top: must be between 1 and 10");
  if (req.candidates < 5 || req.candidates > 200)
    return Status::InvalidArgument("candidates: must be between 5 and 200");
  if (req.max_size < 0 || req.max_size > 20) return Status::InvalidArgument("size: must be between 1 and 20");
  return SuggestFor(ch, req, infeasible);
}

Result<std::shared_ptr<const Suggestions>> CoalitionService::SuggestFor(const domain::Challenge& ch,
                                                                        const SuggestRequest& req,
                                                                        Infeasible* infeasible) {
  WEEFSEL_ASSIGN_OR_RETURN(auto matcher, matches_.Snapshot());
  const match::Matcher& mt = *matcher.value;
  match::RankOptions ro;
  ro.limit = static_cast<int>(mt.actors().size());
  ro.diversity = 0.1;
  WEEFSEL_ASSIGN_OR_RETURN(auto ranked, mt.Rank(ch, ro));
  // The matcher is updated in place as actors and ties change (service/matches.h): hold the
  // updates off while its actors and fabric are read below.
  auto read = mt.ReadLock();

  auto out = std::make_shared<Suggestions>();
  out->challenge = ch;
  out->as_of = matcher.as_of;
  out->stale = matcher.stale;
  // The pool: local first (coalition/pool.h); outsiders only where the locals fall short.
  std::vector<coalition::RankedActor> order;
  order.reserve(ranked.size());
  for (const auto& m : ranked) order.push_back({m.actor, m.score});
  coalition::Pool pool = coalition::PoolCandidates(ch, order,
                                                   [&](ActorId id) -> const domain::Actor* {
                                                     auto i = mt.IndexOf(id);
                                                     return i ? &mt.actors()[*i] : nullptr;
                                                   },
                                                   {.best = req.candidates});
  out->candidates = std::move(pool.candidates);
  out->shortfall = std::move(pool.shortfall);
  for (const auto& c : out->candidates) {
    auto node = mt.fabric().IndexOf(c.actor);
    out->nodes.push_back(node ? *node : -1);
  }
  coalition::Rules& rules = out->rules;
  for (const auto& need : ch.capabilities)
    rules.needs.push_back({domain::NormalizeCapability(need.capability), need.weight});
  rules.mix = ch.sector_mix;
  rules.max_size = req.max_size > 0 ? req.max_size : ch.max_coalition_size;
  rules.lead = pool.lead;
  rules.relevance_weight = 1.0;
  rules.unreachable_distance = 10.0;
  for (const auto& c : out->candidates) {
    if (!c.municipality.valid() || out->municipality_names.count(c.municipality.value())) continue;
    auto m = platform_.GetMunicipality(c.municipality);
    if (m.ok()) out->municipality_names[c.municipality.value()] = m->name;
  }

  // What cannot be met, requirement by requirement.
  std::vector<std::pair<std::string, std::string>> unmet;
  for (const auto& need : rules.needs) {
    bool held = std::any_of(out->candidates.begin(), out->candidates.end(), [&](const coalition::Candidate& c) {
      return std::find(c.capabilities.begin(), c.capabilities.end(), need.capability) != c.capabilities.end();
    });
    if (!held)
      unmet.emplace_back("capability:" + need.capability,
                         "capability '" + need.capability + "': no actor on the platform has it (1 holder short)");
  }
  int mix_total = 0;
  for (auto [mix_sector, count] : rules.mix) {
    const domain::Sector sector = mix_sector;  // a plain variable: lambdas may capture it
    mix_total += count;
    int have = static_cast<int>(std::count_if(out->candidates.begin(), out->candidates.end(),
                                              [&](const coalition::Candidate& c) { return c.sector == sector; }));
    if (have < count)
      unmet.emplace_back("sector_mix:" + std::string(domain::SectorCode(sector)),
                         "sector mix needs " + std::to_string(count) + " " + std::string(domain::SectorCode(sector)) +
                             " member(s) but the platform has " + std::to_string(have) + " (" +
                             std::to_string(count - have) + " short)");
  }
  if (mix_total > rules.max_size)
    unmet.emplace_back("max_size", "the sector mix needs at least " + std::to_string(mix_total) +
                                       " members but the size limit is " + std::to_string(rules.max_size) + " (" +
                                       std::to_string(mix_total - rules.max_size) + " too few)");
  if (unmet.empty()) {
    Status check = coalition::CheckRules(out->candidates, rules);
    if (!check.ok()) unmet.emplace_back("max_size", check.message());
  }
  if (!unmet.empty()) {
    if (infeasible) {
      infeasible->requirement = unmet.front().first;
      infeasible->detail.clear();
      for (const auto& [req_name, detail] : unmet)
        infeasible->detail += (infeasible->detail.empty() ? "" : "; ") + detail;
      infeasible->requirements = unmet;
    }
    return std::shared_ptr<const Suggestions>(out);
  }
  coalition::FabricDistances dist(mt.fabric(), out->nodes);
  WEEFSEL_ASSIGN_OR_RETURN(out->teams, coalition::FormHeuristic(out->candidates, dist, rules, req.top));
  for (const auto& t : out->teams) {
    out->explanations.push_back(coalition::Explain(out->candidates, dist, rules, t));
    std::vector<std::tuple<int, int, double>> inside;
    for (size_t a = 0; a < t.members.size(); ++a)
      for (size_t b = a + 1; b < t.members.size(); ++b) {
        int na = out->nodes[static_cast<size_t>(t.members[a])], nb = out->nodes[static_cast<size_t>(t.members[b])];
        if (na >= 0 && nb >= 0 && mt.fabric().Adjacent(na, nb))
          inside.emplace_back(t.members[a], t.members[b], mt.fabric().WeightBetween(na, nb));
      }
    out->ties.push_back(std::move(inside));
  }
  return std::shared_ptr<const Suggestions>(out);
}

// ---- the bundle ------------------------------------------------------------------------------

Engines::Engines(Platform& platform, EngineOptions options)
    : platform_(platform),
      matches_(platform, match_, options.wait, std::move(options.match_model), options.first_wait),
      fabrics_(platform, igraph_, options.wait, options.first_wait),
      funds_(platform, fund_, options.wait, options.first_wait),
      coalitions_(platform, matches_) {}

Engines::~Engines() {
  igraph_.Stop();
  match_.Stop();
  fund_.Stop();
}

std::vector<std::string> Engines::Errors() const {
  std::vector<std::string> out = matches_.Errors();
  for (auto& e : fabrics_.Errors()) out.push_back(std::move(e));
  for (auto& e : funds_.Errors()) out.push_back(std::move(e));
  return out;
}

void Engines::Prewarm() {
  std::vector<MunicipalityId> ids;
  Status read = platform_.engine_store().Read([&](storage::Store& store) -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(auto ms, store.ListMunicipalities());
    for (const auto& m : ms) ids.push_back(m.id);
    return Status::Ok();
  });
  if (!read.ok()) return;  // the first requests build what they need
  matches_.Warm();
  for (MunicipalityId m : ids) fabrics_.Warm(m);
}

}  // namespace weefsel::service
