// weefsel match | coalition | eval cordis | eval teams: matching, team formation and their
// evaluations. A thin shell over match/ and coalition/ (see docs/matching.md).
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/commands.h"
#include "coalition/coalition.h"
#include "coalition/pool.h"
#include "eval/cordis.h"
#include "eval/product_cordis.h"
#include "eval/teams.h"
#include "match/learned.h"
#include "match/match_json.h"
#include "match/matcher.h"
#include "match/outcomes.h"
#include "service/matches.h"
#include "service/transfer.h"
#include "storage/store.h"

namespace weefsel::cli {
namespace {

struct MatchOptions {
  std::string db = "weefsel.db";
  std::string actors, ties, challenges, neighbours;
  int64_t challenge = 0;
  int limit = 20;
  double diversity = 0.3;
  bool json = false;
  std::string model;  // the learned stage's model file (weefsel match train)
  // coalition
  int top = 3;
  int candidates = 60;
  int size = 0;
  std::string mix;
  bool exact = false;
  double seconds = 5;
};

struct Loaded {
  std::unique_ptr<storage::Store> store;
  domain::Challenge challenge;
  std::unique_ptr<match::Matcher> matcher;
};

// The store named by --db, or an in-memory one filled from --actors/--ties/--challenges files.
Result<Loaded> Load(const MatchOptions& o) {
  Loaded l;
  bool files = !o.actors.empty() || !o.challenges.empty();
  WEEFSEL_ASSIGN_OR_RETURN(l.store, storage::Store::Open(files ? ":memory:" : o.db));
  if (files) {
    if (o.actors.empty() || o.challenges.empty())
      return Status::InvalidArgument("--actors and --challenges go together (and --ties optionally)");
    WEEFSEL_ASSIGN_OR_RETURN(auto r1, service::Import(*l.store, service::EntityKind::kActors, o.actors));
    if (!o.ties.empty()) {
      WEEFSEL_ASSIGN_OR_RETURN(auto r2, service::Import(*l.store, service::EntityKind::kTies, o.ties));
      (void)r2;
    }
    WEEFSEL_ASSIGN_OR_RETURN(auto r3, service::Import(*l.store, service::EntityKind::kChallenges, o.challenges));
    (void)r1, (void)r3;
  }
  if (o.challenge <= 0) return Status::InvalidArgument("--challenge: give the id of a challenge (a positive number)");
  WEEFSEL_ASSIGN_OR_RETURN(l.challenge, l.store->GetChallenge(ChallengeId(o.challenge)));
  WEEFSEL_ASSIGN_OR_RETURN(auto actors, l.store->ListActors());
  WEEFSEL_ASSIGN_OR_RETURN(auto ties, l.store->ListTies());
  // Past work: the challenges whose coalitions an actor was part of (other than this one).
  std::vector<match::PastWork> past;
  match::BuildOptions bo;  // with the invitation outcomes, for the learned stage
  WEEFSEL_ASSIGN_OR_RETURN(auto challenges, l.store->ListChallenges());
  for (const auto& c : challenges) {
    if (c.id == l.challenge.id) continue;
    WEEFSEL_ASSIGN_OR_RETURN(auto coalitions, l.store->CoalitionsOf(c.id));
    for (auto& w : match::PastWorkFromCoalitions(c, coalitions)) past.push_back(std::move(w));
    for (const auto& oc : match::OutcomesFromCoalitions(coalitions)) bo.outcomes.push_back(oc);
  }
  match::Neighbours nb;
  if (!o.neighbours.empty()) {
    WEEFSEL_ASSIGN_OR_RETURN(auto munis, l.store->ListMunicipalities());
    WEEFSEL_ASSIGN_OR_RETURN(nb, match::Matcher::ReadNeighbours(o.neighbours, munis));
  }
  WEEFSEL_ASSIGN_OR_RETURN(auto m, match::Matcher::Build(std::move(actors), ties, past, std::move(nb), nullptr, bo));
  l.matcher = std::make_unique<match::Matcher>(std::move(m));
  return l;
}

void AddInputs(CLI::App* sub, MatchOptions& o) {
  sub->add_option("--db", o.db, "SQLite file or postgres://... URL")->capture_default_str();
  sub->add_option("--actors", o.actors, "actors file (.csv/.json, docs/data-formats.md) instead of --db");
  sub->add_option("--ties", o.ties, "ties file (with --actors)");
  sub->add_option("--challenges", o.challenges, "challenges file (with --actors)");
  sub->add_option("--challenge", o.challenge, "id of the challenge")->required();
  sub->add_option("--neighbours", o.neighbours,
                  "municipal neighbours CSV (gm_code_a, gm_code_b), e.g. gemeenten_buren_2025.csv");
  sub->add_flag("--json", o.json, "print JSON");
}

int RunMatch(const MatchOptions& o) {
  std::optional<match::LearnedRanker> model;
  if (!o.model.empty()) {
    auto m = match::LearnedRanker::Load(o.model, match::Matcher::FeatureNames());
    if (!m.ok()) return Fail(m.status());
    model = std::move(m).value();
  }
  auto l = Load(o);
  if (!l.ok()) return Fail(l.status());
  auto r = l->matcher->Rank(l->challenge,
                            {.limit = o.limit, .diversity = o.diversity, .learned = model ? &*model : nullptr});
  if (!r.ok()) return Fail(r.status());
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& m : *r) out.push_back(match::ToJson(m));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Challenge " << l->challenge.id.value() << ": " << l->challenge.title << "\n";
  int rank = 0;
  for (const auto& m : *r) {
    std::cout << std::setw(3) << ++rank << ". " << m.name << " [" << domain::SectorCode(m.sector) << "] score "
              << std::fixed << std::setprecision(3) << m.score << (m.unexpected ? "  (from an unexpected corner)" : "")
              << "\n";
    for (const auto& x : m.reasons)
      std::cout << "       " << std::setw(10) << std::left << x.code << std::right << " " << std::showpos
                << x.contribution << std::noshowpos << "  " << x.detail << "\n";
  }
  return 0;
}

Result<domain::SectorMix> ParseMix(const std::string& s) {
  domain::SectorMix mix;
  for (const std::string& part : Split(s, ',', true)) {
    auto eq = part.find('=');
    WEEFSEL_ASSIGN_OR_RETURN(domain::Sector sec, domain::ParseSector(Trim(part.substr(0, eq))));
    auto n = eq == std::string::npos ? std::optional<int64_t>(1) : ParseInt(part.substr(eq + 1));
    if (!n || *n < 0) return Status::InvalidArgument("--mix: '" + part + "': expected sector=count with count >= 0");
    mix[sec] = static_cast<int>(*n);
  }
  return mix;
}

int RunCoalition(const MatchOptions& o) {
  auto l = Load(o);
  if (!l.ok()) return Fail(l.status());
  domain::Challenge ch = l->challenge;
  if (!o.mix.empty()) {
    auto mix = ParseMix(o.mix);
    if (!mix.ok()) return Fail(mix.status());
    ch.sector_mix = *mix;
  }
  const match::Matcher& mt = *l->matcher;
  auto ranked = mt.Rank(ch, {.limit = static_cast<int>(mt.actors().size()), .diversity = 0.1});
  if (!ranked.ok()) return Fail(ranked.status());
  // Candidates: the same pool as the server's (coalition/pool.h): local first, the owner as lead.
  std::vector<coalition::RankedActor> order;
  for (const auto& m : *ranked) order.push_back({m.actor, m.score});
  coalition::Pool pool = coalition::PoolCandidates(ch, order,
                                                   [&](ActorId id) -> const domain::Actor* {
                                                     auto i = mt.IndexOf(id);
                                                     return i ? &mt.actors()[*i] : nullptr;
                                                   },
                                                   {.best = o.candidates});
  const std::vector<coalition::Candidate>& cands = pool.candidates;
  const std::optional<int> lead = pool.lead;
  std::vector<int> nodes;
  for (const auto& c : cands) {
    auto node = mt.fabric().IndexOf(c.actor);
    nodes.push_back(node ? *node : -1);
  }
  for (const auto& s : pool.shortfall) std::cerr << "note: " << s << "\n";
  coalition::FabricDistances dist(mt.fabric(), nodes);
  coalition::Rules rules;
  for (const auto& need : ch.capabilities)
    rules.needs.push_back({domain::NormalizeCapability(need.capability), need.weight});
  rules.mix = ch.sector_mix;
  rules.max_size = o.size > 0 ? o.size : ch.max_coalition_size;
  rules.lead = lead;
  rules.relevance_weight = 1.0;
  rules.unreachable_distance = 10.0;
  auto teams = o.exact ? coalition::FormExact(cands, dist, rules, o.top, {.time_limit_seconds = o.seconds})
                       : coalition::FormHeuristic(cands, dist, rules, o.top);
  if (!teams.ok()) return Fail(teams.status());
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : *teams) {
      nlohmann::json members = nlohmann::json::array();
      for (int m : t.members) {
        nlohmann::json covers = nlohmann::json::array();
        for (const auto& [cap, who] : t.covers)
          if (who == m) covers.push_back(cap);
        members.push_back({{"actor", cands[static_cast<size_t>(m)].actor.value()},
                           {"name", cands[static_cast<size_t>(m)].name},
                           {"sector", domain::SectorCode(cands[static_cast<size_t>(m)].sector)},
                           {"covers", covers},
                           {"lead", lead && *lead == m}});
      }
      out.push_back({{"members", members},
                     {"communication_cost", t.communication},
                     {"relevance", t.relevance},
                     {"objective", t.objective},
                     {"proven_optimal", t.proven_optimal},
                     {"gap", t.gap}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "Challenge " << ch.id.value() << ": " << ch.title << " (" << cands.size() << " candidates, "
            << (o.exact ? "exact ILP" : "heuristic") << ")\n";
  int k = 0;
  for (const auto& t : *teams) {
    std::cout << "\nCoalition " << ++k << ": " << coalition::Explain(cands, dist, rules, t);
    // Direct ties inside the team.
    for (size_t a = 0; a < t.members.size(); ++a)
      for (size_t b = a + 1; b < t.members.size(); ++b) {
        int na = nodes[static_cast<size_t>(t.members[a])], nb = nodes[static_cast<size_t>(t.members[b])];
        if (na >= 0 && nb >= 0 && mt.fabric().Adjacent(na, nb))
          std::cout << "  tie: " << cands[static_cast<size_t>(t.members[a])].name << " - "
                    << cands[static_cast<size_t>(t.members[b])].name << " (strength "
                    << mt.fabric().WeightBetween(na, nb) << ")\n";
      }
  }
  return 0;
}

}  // namespace

void RegisterMatchCommands(CLI::App& app) {
  static MatchOptions mo;
  auto* m = app.add_subcommand("match", "Rank the actors for a challenge, with reasons");
  AddInputs(m, mo);
  m->add_option("--limit", mo.limit, "how many actors")->capture_default_str();
  m->add_option("--diversity", mo.diversity, "diversity re-ranking strength (0 = off)")->capture_default_str();
  m->add_option("--model", mo.model,
                "re-score the best candidates with this learned model (written by `weefsel match train`)");
  // `match train` is a subcommand of `match`: --challenge is checked by the ranking itself.
  m->get_option("--challenge")->required(false);
  static std::string train_db = "weefsel.db", train_out;
  static match::OutcomeTrainingOptions train_options;
  auto* train = m->add_subcommand(
      "train",
      "Train the matcher's learned stage (XGBoost, rank:pairwise) on the platform's outcomes: invitations "
      "accepted or declined, coalitions formed, proposals funded. Writes nothing when there are too few");
  train->add_option("--db", train_db, "SQLite file or postgres://... URL")->capture_default_str();
  train->add_option("--out", train_out, "the model file to write (for `weefsel serve --match-model`)")->required();
  train->add_option("--min-outcomes", train_options.min_outcomes, "invitations accepted or declined needed")
      ->capture_default_str();
  train->add_option("--min-challenges", train_options.min_challenges, "challenges with outcomes to tell apart needed")
      ->capture_default_str();
  train->add_option("--rounds", train_options.params.rounds, "boosting rounds")->capture_default_str();
  SetAction(train, [] {
    auto store = storage::Store::Open(train_db);
    if (!store.ok()) return Fail(store.status());
    auto trained = service::TrainMatchModel(**store, train_options);
    if (!trained.ok()) return Fail(trained.status());
    Status s = trained->model.Save(train_out);
    if (!s.ok()) return Fail(s);
    std::cout << "trained the match model on " << trained->report.challenges << " challenges, "
              << trained->report.outcomes << " invitations accepted or declined, " << trained->report.rows
              << " candidates; wrote " << train_out << "\n";
    return 0;
  });
  SetAction(m, [train] {
    if (train->parsed()) return 0;  // CLI11 runs the parent's action after the subcommand's
    return RunMatch(mo);
  });

  auto* c = app.add_subcommand("coalition", "Propose complete cross-sector coalitions for a challenge");
  AddInputs(c, mo);
  c->add_option("--top", mo.top, "how many coalitions")->capture_default_str();
  c->add_option("--candidates", mo.candidates, "best-ranked actors to form teams from")->capture_default_str();
  c->add_option("--size", mo.size, "size limit (default: the challenge's)");
  c->add_option("--mix", mo.mix,
                "sector mix, e.g. government=1,business=1,knowledge=1,civil_society=1 (default: the challenge's)");
  c->add_flag("--exact", mo.exact, "solve exactly with CBC (at most 80 candidates)");
  c->add_option("--seconds", mo.seconds, "time limit of the exact solver")->capture_default_str();
  SetAction(c, [] { return RunCoalition(mo); });

  static std::string dir, test_ids;
  static bool json = false, tune = false;
  static double exact_seconds = 2, tune_recall_weight = 1.0;
  static int tune_years = 1, validate_year = 0;
  static std::vector<std::string> rankers{"gbdt"};
  static std::string objective = "ndcg";
  // Second-stage defaults: those of eval::CordisRerank (chosen on the 2018 validation year).
  static const eval::CordisRerank kRerank;
  static std::vector<double> min_child_weight{kRerank.xgb.min_child_weight};
  static std::vector<int> candidates{kRerank.candidates}, train_years{kRerank.train_years}, trees{kRerank.gbdt.trees},
      depth{kRerank.gbdt.max_depth}, min_leaf{kRerank.gbdt.min_leaf}, ndcg_at{kRerank.gbdt.ndcg_at};
  static std::vector<double> learning_rate{kRerank.gbdt.learning_rate}, stage1_weight{kRerank.stage1_weight},
      blend{kRerank.blend};
  auto* ev = app.add_subcommand("eval", "Evaluations on real data");
  ev->require_subcommand(1);
  auto* cordis = ev->add_subcommand(
      "cordis", "Partner recommendation on Horizon 2020 consortia (protocol of the folder's README)");
  cordis->add_option("dir", dir, "folder with projects.csv.gz and participants.csv.gz")->required();
  cordis->add_option("--test-ids", test_ids, "only these test projects (one project_id a line)");
  cordis->add_flag("--json", json, "one JSON object with recall@10, recall@50, mrr, mix3, n_scored");
  cordis->add_flag("--tune", tune, "first tune the weights on the 2018 validation year (history < 2018) and use them");
  cordis->add_option("--tune-years", tune_years, "validation years pooled by --tune: 2018, 2017, ... (1 to 4)")
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  cordis
      ->add_option("--tune-recall-weight", tune_recall_weight,
                   "--tune maximises this x recall@10 + MRR (subject to mix3 >= 0.70)")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  cordis
      ->add_option("--ranker", rankers,
                   "gbdt: a LambdaMART second stage (eval/ranker.h) re-orders the linear model's top (default); "
                   "xgboost: XGBoost's (match/learned.h) does; linear: without it. Comma-separated: a grid of each")
      ->check(CLI::IsMember({"linear", "gbdt", "xgboost"}))
      ->delimiter(',')
      ->capture_default_str();
  cordis->add_option("--min-child-weight", min_child_weight, "xgboost: hessian sum per leaf at least")
      ->delimiter(',')
      ->capture_default_str();
  cordis
      ->add_option("--validate", validate_year,
                   "evaluate on this validation year (2016-2018; history before it) instead of the test years")
      ->check(CLI::Range(2016, 2018));
  // Second-stage settings; several comma-separated values evaluate every combination (one line each).
  cordis->add_option("--candidates", candidates, "gbdt: stage-1 top re-ordered")->delimiter(',')->capture_default_str();
  cordis->add_option("--train-years", train_years, "gbdt: years before the cutoff's year trained on")
      ->delimiter(',')
      ->capture_default_str();
  cordis->add_option("--trees", trees, "gbdt: boosting rounds")->delimiter(',')->capture_default_str();
  cordis->add_option("--depth", depth, "gbdt: tree depth")->delimiter(',')->capture_default_str();
  cordis->add_option("--min-leaf", min_leaf, "gbdt: rows per leaf at least")->delimiter(',')->capture_default_str();
  cordis->add_option("--learning-rate", learning_rate, "gbdt: shrinkage")->delimiter(',')->capture_default_str();
  cordis->add_option("--ndcg-at", ndcg_at, "gbdt: NDCG truncation (0: none)")->delimiter(',')->capture_default_str();
  cordis->add_option("--stage1-weight", stage1_weight, "gbdt: trees start from this x the stage-1 score")
      ->delimiter(',')
      ->capture_default_str();
  cordis->add_option("--blend", blend, "gbdt: order by blend x ranker's rank + (1 - blend) x stage-1 rank")
      ->delimiter(',')
      ->capture_default_str();
  cordis
      ->add_option("--objective", objective, "gbdt: ndcg or mrr; xgboost: ndcg (rank:ndcg) or pairwise (rank:pairwise)")
      ->check(CLI::IsMember({"ndcg", "mrr", "pairwise"}))
      ->capture_default_str();
  SetAction(cordis, [] {
    auto data = eval::LoadCordis(dir);
    if (!data.ok()) return Fail(data.status());
    eval::CordisSplit split;
    if (!test_ids.empty()) {
      std::ifstream in(test_ids);
      if (!in) return Fail(Status::NotFound(test_ids + ": cannot open"));
      std::unordered_set<std::string> ids;
      std::string line;
      while (std::getline(in, line))
        if (!Trim(line).empty()) ids.insert(std::string(Trim(line)));
      if (ids.empty()) return Fail(Status::InvalidArgument(test_ids + ": no project ids"));
      split.test_ids = std::move(ids);
    }
    eval::CordisParams params;
    if (tune) {
      auto t =
          eval::TuneCordis(*data, eval::ValidationYears(tune_years), params, {.recall_weight = tune_recall_weight});
      if (!t.ok()) return Fail(t.status());
      std::cerr << t->log << "validation (" << t->best_metrics.n_scored << " scored): recall@10 "
                << t->best_metrics.recall10 << ", MRR " << t->best_metrics.mrr << "; " << eval::FormatParams(t->best)
                << "\n";
      params = t->best;
    }
    if (validate_year > 0) {
      split.cutoff = std::to_string(validate_year) + "-01-01";
      split.test_end = std::to_string(validate_year + 1) + "-01-01";
    }
    std::vector<eval::CordisRerank> settings;
    const std::string ranker = rankers.empty() ? "gbdt" : rankers.front();
    for (const std::string& learner : rankers) {
      if (learner == "linear") {
        settings.push_back(eval::CordisRerank::Linear());
        continue;
      }
      if (learner == "xgboost") {
        if (objective == "mrr")
          return Fail(Status::InvalidArgument("--objective mrr is gbdt's; xgboost: ndcg or pairwise"));
        for (int k : candidates)
          for (int ty : train_years)
            for (int t : trees)
              for (int dp : depth)
                for (double mcw : min_child_weight)
                  for (double lr : learning_rate)
                    for (double bl : blend) {
                      eval::CordisRerank r{.enabled = true, .candidates = k, .train_years = ty, .blend = bl};
                      r.learner = eval::CordisRerank::Learner::kXgboost;
                      r.xgb.rounds = t, r.xgb.max_depth = dp, r.xgb.min_child_weight = mcw, r.xgb.eta = lr;
                      r.xgb.objective = objective == "pairwise" ? "rank:pairwise" : "rank:ndcg";
                      settings.push_back(r);
                    }
        continue;
      }
      if (objective == "pairwise") return Fail(Status::InvalidArgument("--objective pairwise is xgboost's"));
      for (int k : candidates)
        for (int ty : train_years)
          for (int t : trees)
            for (int dp : depth)
              for (int ml : min_leaf)
                for (double lr : learning_rate)
                  for (int at : ndcg_at)
                    for (double sw : stage1_weight)
                      for (double bl : blend) {
                        eval::CordisRerank r{
                            .enabled = true, .candidates = k, .train_years = ty, .stage1_weight = sw, .blend = bl};
                        r.gbdt = {.trees = t, .max_depth = dp, .min_leaf = ml, .learning_rate = lr, .ndcg_at = at};
                        r.gbdt.objective = objective == "mrr" ? eval::RankerOptions::Objective::kMrr
                                                              : eval::RankerOptions::Objective::kNdcg;
                        settings.push_back(r);
                      }
    }
    if (settings.size() > 1 || (ranker != "linear" && validate_year > 0)) {
      // A grid: one line per setting (validation runs), each with its MRR difference to the linear
      // model and the standard error of that paired difference.
      settings.insert(settings.begin(), eval::CordisRerank::Linear());
      auto ms = eval::EvaluateCordisReranks(*data, split, params, settings);
      if (!ms.ok()) return Fail(ms.status());
      for (const auto& m : *ms)
        if (!m.ranker_log.empty()) std::cerr << m.ranker_log << "\n";
      size_t first_learned = 0;  // the first second-stage setting: the others are also compared with it
      for (size_t i = 0; i < settings.size() && first_learned == 0; ++i)
        if (settings[i].enabled) first_learned = i;
      for (size_t i = 0; i < settings.size(); ++i) {
        const auto& r = settings[i];
        const auto& m = (*ms)[i];
        if (!r.enabled) {
          std::cout << std::fixed << std::setprecision(4) << "linear | recall@10 " << m.recall10 << " recall@50 "
                    << m.recall50 << " MRR " << m.mrr << " mix3 " << m.mix3 << " scored " << m.n_scored << std::endl;
          continue;
        }
        if (r.learner == eval::CordisRerank::Learner::kXgboost)
          std::cout << std::fixed << std::setprecision(4) << "xgboost K=" << r.candidates << " years=" << r.train_years
                    << " rounds=" << r.xgb.rounds << " depth=" << r.xgb.max_depth
                    << " min_child_weight=" << r.xgb.min_child_weight << " eta=" << r.xgb.eta << " blend=" << r.blend
                    << " " << r.xgb.objective;
        else
          std::cout << std::fixed << std::setprecision(4) << "gbdt K=" << r.candidates << " years=" << r.train_years
                    << " trees=" << r.gbdt.trees << " depth=" << r.gbdt.max_depth << " min_leaf=" << r.gbdt.min_leaf
                    << " lr=" << r.gbdt.learning_rate << " ndcg_at=" << r.gbdt.ndcg_at << " s1w=" << r.stage1_weight
                    << " blend=" << r.blend << " " << objective;
        std::cout << " | recall@10 " << m.recall10 << " recall@50 " << m.recall50 << " MRR " << m.mrr << " mix3 "
                  << m.mix3 << " scored " << m.n_scored;
        const auto& base = ms->front().reciprocal_ranks;
        if (i > 0 && base.size() == m.reciprocal_ranks.size() && base.size() > 1) {
          double sum = 0, sq = 0;
          const double n = static_cast<double>(base.size());
          for (size_t k = 0; k < base.size(); ++k) {
            const double dk = m.reciprocal_ranks[k] - base[k];
            sum += dk, sq += dk * dk;
          }
          const double mean = sum / n, var = (sq - n * mean * mean) / (n - 1);
          std::cout << " | MRR - linear " << std::showpos << mean << std::noshowpos << " (paired SE "
                    << std::sqrt(std::max(0.0, var) / n) << ")";
        }
        const auto& first = (*ms)[first_learned].reciprocal_ranks;
        if (i > first_learned && first.size() == m.reciprocal_ranks.size() && !first.empty()) {
          double d = 0;
          for (size_t k = 0; k < first.size(); ++k) d += m.reciprocal_ranks[k] - first[k];
          std::cout << " | MRR - first learned " << std::showpos << d / static_cast<double>(first.size())
                    << std::noshowpos << " (paired SE " << eval::PairedStandardError(m.reciprocal_ranks, first) << ")";
        }
        std::cout << std::endl;
      }
      return 0;
    }
    auto m = eval::EvaluateCordis(*data, split, params, settings.front());
    if (!m.ok()) return Fail(m.status());
    if (!m->ranker_log.empty()) std::cerr << m->ranker_log << "\n";
    if (json) {
      nlohmann::json j = {{"recall@10", m->recall10},
                          {"recall@50", m->recall50},
                          {"mrr", m->mrr},
                          {"mix3", m->mix3},
                          {"n_scored", m->n_scored},
                          {"helix4", m->helix4},
                          {"recall@10_all", m->recall10_all},
                          {"recall@50_all", m->recall50_all},
                          {"n_test", m->n_test},
                          {"ranker", ranker}};
      std::cout << j.dump() << "\n";
    } else {
      eval::PrintMetrics(std::cout, *m);
    }
    return 0;
  });
  // The product's matcher on CORDIS (eval/product_cordis.h): history imported into a weefsel store.
  static int product_validate = 0, product_every = 1, product_limit = 100;
  static std::vector<std::string> product_settings;
  static std::string product_compare = "none";
  static bool product_learned = false;
  static int product_train_years = 2;
  static match::OutcomeTrainingOptions product_training;
  auto* product = ev->add_subcommand(
      "product-cordis",
      "The product's matcher (match::Matcher::Rank, as GET /challenges/{id}/matches) on Horizon 2020 consortia: "
      "the history imported into a weefsel store");
  product->add_option("dir", dir, "folder with projects.csv.gz and participants.csv.gz")->required();
  product
      ->add_option("--validate", product_validate,
                   "evaluate on this validation year (2016-2018; history before it) instead of the test years")
      ->check(CLI::Range(2016, 2018));
  product->add_option("--every", product_every, "keep every n-th scored query (1: all)")->capture_default_str();
  product->add_option("--limit", product_limit, "list length asked of Rank (>= 50; MRR counts ranks within it)")
      ->capture_default_str();
  product->add_option("--setting", product_settings,
                      "weights on top of the product's defaults, e.g. similar=0.3,owner_similar=0.2,diversity=0 "
                      "(keys: text capability theme area closeness partner record similar owner_similar diversity "
                      "gate); repeat for a grid, each line with its MRR change against the first and the paired SE");
  product
      ->add_option("--compare", product_compare,
                   "also run the research pipeline (linear or gbdt) on the same split and give the paired MRR "
                   "difference (needs --every 1)")
      ->check(CLI::IsMember({"none", "linear", "gbdt"}))
      ->capture_default_str();
  product->add_flag("--learned", product_learned,
                    "also train the product's learned stage (XGBoost) on the --train-years before the cutoff, each "
                    "ranked on the history before it, and evaluate each setting with it (a second line)");
  product->add_option("--train-years", product_train_years, "--learned: history years trained on")
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  product->add_option("--rounds", product_training.params.rounds, "--learned: boosting rounds")->capture_default_str();
  product->add_option("--depth", product_training.params.max_depth, "--learned: tree depth")->capture_default_str();
  product->add_option("--eta", product_training.params.eta, "--learned: learning rate")->capture_default_str();
  product->add_option("--pool", product_training.pool, "--learned: best linear candidates per training challenge")
      ->capture_default_str();
  product->add_option("--objective", product_training.params.objective, "--learned: rank:pairwise or rank:ndcg")
      ->capture_default_str();
  product->add_flag("--json", json, "one JSON object per setting");
  SetAction(product, [] {
    auto data = eval::LoadCordis(dir);
    if (!data.ok()) return Fail(data.status());
    eval::CordisSplit split;
    if (product_validate > 0)
      split = {.cutoff = std::to_string(product_validate) + "-01-01",
               .test_end = std::to_string(product_validate + 1) + "-01-01"};
    auto pc = eval::ProductCordis::Import(*data, split, {.every = product_every});
    if (!pc.ok()) return Fail(pc.status());
    const eval::ProductImportStats& st = (*pc)->stats();
    std::cerr << std::fixed << std::setprecision(1) << "imported " << st.municipalities << " municipalities, "
              << st.actors << " actors, " << st.ties << " ties, " << st.challenges << " challenges, " << st.coalitions
              << " coalitions in " << st.import_seconds << " s; matcher built in " << st.build_seconds << " s; "
              << st.n_queries << " queries of " << st.n_test << "\n";
    std::optional<match::TrainedModel> learned;
    if (product_learned) {
      const auto t0 = std::chrono::steady_clock::now();
      auto tm = eval::ProductCordis::TrainLearned(*data, split, product_train_years, product_training);
      if (!tm.ok()) return Fail(tm.status());
      learned = std::move(tm).value();
      std::cerr << "learned stage: " << learned->report.challenges << " training challenges, " << learned->report.rows
                << " candidates, " << product_training.params.objective << " " << product_training.params.rounds
                << " rounds depth " << product_training.params.max_depth << " eta " << product_training.params.eta
                << "; trained in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
                << " s\n";
    }
    std::vector<std::string> settings = product_settings;
    if (settings.empty()) settings.push_back("");
    std::optional<eval::CordisMetrics> research;
    if (product_compare != "none") {
      auto r = eval::EvaluateCordis(*data, split, {},
                                    product_compare == "linear" ? eval::CordisRerank::Linear() : eval::CordisRerank{});
      if (!r.ok()) return Fail(r.status());
      research = *r;
      std::cout << std::fixed << std::setprecision(4) << "research (" << product_compare << "): recall@10 "
                << r->recall10 << " recall@50 " << r->recall50 << " MRR " << r->mrr << " mix3 " << r->mix3 << " scored "
                << r->n_scored << std::endl;
    }
    std::vector<double> first;
    for (const std::string& setting : settings) {
      match::RankOptions o;
      o.limit = product_limit;
      for (const auto& kv : Split(setting, ',', true)) {
        auto eq = kv.find('=');
        auto v = eq == std::string::npos ? std::nullopt : ParseDouble(kv.substr(eq + 1));
        if (!v) return Fail(Status::InvalidArgument("--setting: expected key=number, got '" + kv + "'"));
        const std::string key = kv.substr(0, eq);
        match::MatchWeights& w = o.weights;
        std::map<std::string, double*> keys = {
            {"text", &w.text},           {"capability", &w.capability}, {"theme", &w.theme},
            {"area", &w.area},           {"closeness", &w.closeness},   {"partner", &w.partner},
            {"record", &w.record},       {"similar", &w.similar},       {"owner_similar", &w.owner_similar},
            {"diversity", &o.diversity}, {"gate", &o.capability_gate}};
        auto it = keys.find(key);
        if (it == keys.end()) return Fail(Status::InvalidArgument("--setting: unknown key '" + key + "'"));
        *it->second = *v;
      }
      auto m = (*pc)->Evaluate(o);
      if (!m.ok()) return Fail(m.status());
      if (learned) {
        match::RankOptions lo = o;
        lo.learned = &learned->model;
        auto lm = (*pc)->Evaluate(lo);
        if (!lm.ok()) return Fail(lm.status());
        double d = 0;
        for (size_t k = 0; k < lm->reciprocal_ranks.size(); ++k) d += lm->reciprocal_ranks[k] - m->reciprocal_ranks[k];
        d /= std::max<double>(1, static_cast<double>(lm->reciprocal_ranks.size()));
        std::cout << std::fixed << std::setprecision(4) << "product + learned ["
                  << (setting.empty() ? "defaults" : setting) << "]: recall@10 " << lm->recall10 << " recall@50 "
                  << lm->recall50 << " MRR " << lm->mrr << " mix3 " << lm->mix3 << " scored " << lm->n_scored
                  << " | MRR - linear product " << std::showpos << d << std::noshowpos << " (paired SE "
                  << eval::PairedStandardError(lm->reciprocal_ranks, m->reciprocal_ranks) << ")";
        if (research && research->reciprocal_ranks.size() == lm->reciprocal_ranks.size()) {
          double dr = 0;
          for (size_t k = 0; k < lm->reciprocal_ranks.size(); ++k)
            dr += lm->reciprocal_ranks[k] - research->reciprocal_ranks[k];
          std::cout << " | MRR - research " << std::showpos << dr / static_cast<double>(lm->reciprocal_ranks.size())
                    << std::noshowpos << " (paired SE "
                    << eval::PairedStandardError(lm->reciprocal_ranks, research->reciprocal_ranks) << ")";
        }
        std::cout << std::endl;
      }
      auto diff = [](const std::vector<double>& a, const std::vector<double>& b) {
        double d = 0;
        for (size_t k = 0; k < a.size(); ++k) d += a[k] - b[k];
        return a.empty() ? 0.0 : d / static_cast<double>(a.size());
      };
      if (json) {
        nlohmann::json j = {
            {"setting", setting},     {"recall@10", m->recall10},    {"recall@50", m->recall50}, {"mrr", m->mrr},
            {"mix3", m->mix3},        {"helix4", m->helix4},         {"n_scored", m->n_scored},  {"n_test", m->n_test},
            {"limit", product_limit}, {"validate", product_validate}};
        std::cout << j.dump() << std::endl;
      } else {
        std::cout << std::fixed << std::setprecision(4) << "product [" << (setting.empty() ? "defaults" : setting)
                  << "]: recall@10 " << m->recall10 << " recall@50 " << m->recall50 << " MRR " << m->mrr << " mix3 "
                  << m->mix3 << " scored " << m->n_scored;
        if (!first.empty())
          std::cout << " | MRR - first " << std::showpos << diff(m->reciprocal_ranks, first) << std::noshowpos
                    << " (paired SE " << eval::PairedStandardError(m->reciprocal_ranks, first) << ")";
        if (research && research->reciprocal_ranks.size() == m->reciprocal_ranks.size())
          std::cout << " | MRR - research " << std::showpos << diff(m->reciprocal_ranks, research->reciprocal_ranks)
                    << std::noshowpos << " (paired SE "
                    << eval::PairedStandardError(m->reciprocal_ranks, research->reciprocal_ranks) << ")";
        std::cout << std::endl;
      }
      if (first.empty()) first = m->reciprocal_ranks;
    }
    return 0;
  });
  auto* teams = ev->add_subcommand(
      "teams", "Lappas-style team formation on h2020_nl_orgs (RarestFirst vs heuristic vs exact ILP)");
  teams->add_option("dir", dir, "the shared data folder (holding teams/ and networks/)")->required();
  teams->add_option("--exact-seconds", exact_seconds, "time limit of the exact solver per task")->capture_default_str();
  SetAction(teams, [] {
    auto r = eval::RunTeamsBenchmark(dir, {.exact_seconds = exact_seconds});
    if (!r.ok()) return Fail(r.status());
    std::cout << eval::FormatTeamsReport(*r);
    return 0;
  });
}

}  // namespace weefsel::cli
