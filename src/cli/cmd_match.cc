// weefsel match | coalition | eval cordis | eval teams: matching, team formation and their
// evaluations (eval cordis ranks with the product's matcher, like the API). A thin shell over match/ and coalition/
// (see docs/matching.md).
#include <algorithm>
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
  double diversity = match::RankOptions{}.diversity;
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
  // What the server's matcher is built from (service::ReadMatcherInputs): actors, ties, the formed
  // coalitions as past work and the invitation outcomes. Rank leaves out the ranked challenge's own.
  WEEFSEL_ASSIGN_OR_RETURN(service::MatcherInputs in, service::ReadMatcherInputs(*l.store));
  match::BuildOptions bo;  // with the invitation outcomes, for the learned stage
  bo.outcomes = std::move(in.outcomes);
  match::Neighbours nb;
  if (!o.neighbours.empty()) {
    WEEFSEL_ASSIGN_OR_RETURN(auto munis, l.store->ListMunicipalities());
    WEEFSEL_ASSIGN_OR_RETURN(nb, match::Matcher::ReadNeighbours(o.neighbours, munis));
  }
  WEEFSEL_ASSIGN_OR_RETURN(auto m,
                           match::Matcher::Build(std::move(in.actors), in.ties, in.past, std::move(nb), nullptr, bo));
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
  static bool json = false;
  static double exact_seconds = 2;
  auto* ev = app.add_subcommand("eval", "Evaluations on real data");
  ev->require_subcommand(1);
  // The product's matcher on CORDIS (eval/product_cordis.h): history imported into a weefsel store,
  // every query ranked by match::Matcher::Rank. Nothing else ranks (docs/matching.md).
  static int validate = 0, every = 1, limit = 100, train_years = 2;
  static std::vector<std::string> settings, learners;
  static bool learned_flag = false;
  static match::OutcomeTrainingOptions training = [] {
    match::OutcomeTrainingOptions t;
    t.pool = 100;  // the learned stage re-scores at most the best 100 (match/matcher.cc)
    return t;
  }();
  auto* cordis = ev->add_subcommand(
      "cordis",
      "Partner recommendation on Horizon 2020 consortia (protocol of the folder's README), ranked by the product's "
      "matcher (match::Matcher::Rank, as GET /challenges/{id}/matches) on the history imported into a weefsel store");
  cordis->alias("product-cordis");
  cordis->add_option("dir", dir, "folder with projects.csv.gz and participants.csv.gz")->required();
  cordis->add_option("--test-ids", test_ids, "only these test projects (one project_id a line)");
  cordis
      ->add_option("--validate", validate,
                   "evaluate on this validation year (2016-2018; history before it) instead of the test years")
      ->check(CLI::Range(2016, 2018));
  cordis->add_option("--every", every, "keep every n-th scored query (1: all)")->capture_default_str();
  cordis->add_option("--limit", limit, "list length asked of Rank (>= 50; MRR counts ranks within it)")
      ->capture_default_str();
  cordis->add_option("--setting", settings,
                     "weights on top of the product's defaults, e.g. similar=0.3,near_similar=0.2,diversity=0 "
                     "(keys: text capability theme area closeness partner record similar owner_similar near_similar "
                     "recent_partner active recent_similar partners2 kind_fit walk walk_restart walk_owner walk_degree "
                     "diversity places mix gate); repeat for a grid, each line with its MRR change against the first "
                     "and the paired SE");
  cordis->add_flag("--learned", learned_flag,
                   "also train the product's learned stage (XGBoost) on the --train-years before the cutoff, each "
                   "ranked on the history before it, and evaluate each setting with it (a second line)");
  cordis->add_option("--train-years", train_years, "--learned: history years trained on")
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  cordis->add_option("--rounds", training.params.rounds, "--learned: boosting rounds")->capture_default_str();
  cordis->add_option("--depth", training.params.max_depth, "--learned: tree depth")->capture_default_str();
  cordis->add_option("--eta", training.params.eta, "--learned: learning rate")->capture_default_str();
  cordis->add_option("--pool", training.pool, "--learned: best linear candidates per training challenge")
      ->capture_default_str();
  cordis->add_option("--objective", training.params.objective, "--learned: rank:pairwise or rank:ndcg")
      ->capture_default_str();
  cordis->add_option(
      "--learner", learners,
      "--learned: a learner setting on top of --rounds, --depth, --eta, --objective, --pool, e.g. "
      "without=active+kind_fit (features held at 0 in training), "
      "depth=6,eta=0.1,objective=ndcg (keys: rounds depth eta objective (pairwise or ndcg) mcw lambda subsample "
      "pool (training candidates per project) rescore (candidates re-scored, RankOptions::learned_pool)); repeat "
      "to train several on the same training data, each line with its MRR change against the first learner");
  cordis->add_flag("--json", json, "one JSON object per setting (and per setting with the learned stage)");
  SetAction(cordis, [] {
    auto data = eval::LoadCordis(dir);
    if (!data.ok()) return Fail(data.status());
    eval::CordisSplit split;
    if (validate > 0)
      split = {.cutoff = std::to_string(validate) + "-01-01", .test_end = std::to_string(validate + 1) + "-01-01"};
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
    auto pc = eval::ProductCordis::Import(*data, split, {.every = every});
    if (!pc.ok()) return Fail(pc.status());
    const eval::ProductImportStats& st = (*pc)->stats();
    std::cerr << std::fixed << std::setprecision(1) << "imported " << st.municipalities << " municipalities, "
              << st.actors << " actors, " << st.ties << " ties, " << st.challenges << " challenges, " << st.coalitions
              << " coalitions in " << st.import_seconds << " s; matcher built in " << st.build_seconds << " s; "
              << st.n_queries << " queries of " << st.n_test << "\n";
    // The learners: each a LearnedParams, a training pool and a re-scoring pool.
    struct Learner {
      std::string setting;
      match::LearnedParams params;
      int pool = 100, rescore = 100;
      std::vector<size_t> without;  // features held at 0 in training: the model cannot use them
      std::optional<match::LearnedRanker> model;
    };
    std::vector<Learner> models;
    if (learned_flag) {
      std::vector<std::string> specs = learners;
      if (specs.empty()) specs.push_back("");
      int max_pool = 1;
      for (const std::string& spec : specs) {
        Learner l{.setting = spec, .params = training.params, .pool = training.pool, .rescore = 100};
        for (const auto& kv : Split(spec, ',', true)) {
          auto eq = kv.find('=');
          if (eq == std::string::npos)
            return Fail(Status::InvalidArgument("--learner: expected key=value, got '" + kv + "'"));
          const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
          if (key == "objective") {
            l.params.objective = value.rfind("rank:", 0) == 0 ? value : "rank:" + value;
            continue;
          }
          if (key == "without") {
            const auto& names = match::Matcher::FeatureNames();
            for (const auto& name : Split(value, '+', true)) {
              auto f = std::find(names.begin(), names.end(), name);
              if (f == names.end())
                return Fail(Status::InvalidArgument("--learner: without: unknown feature '" + name + "'"));
              l.without.push_back(static_cast<size_t>(f - names.begin()));
            }
            continue;
          }
          auto v = ParseDouble(value);
          if (!v) return Fail(Status::InvalidArgument("--learner: expected key=number, got '" + kv + "'"));
          if (key == "rounds")
            l.params.rounds = static_cast<int>(*v);
          else if (key == "depth")
            l.params.max_depth = static_cast<int>(*v);
          else if (key == "eta")
            l.params.eta = *v;
          else if (key == "mcw")
            l.params.min_child_weight = *v;
          else if (key == "lambda")
            l.params.lambda = *v;
          else if (key == "subsample")
            l.params.subsample = *v;
          else if (key == "pool")
            l.pool = static_cast<int>(*v);
          else if (key == "rescore")
            l.rescore = static_cast<int>(*v);
          else
            return Fail(Status::InvalidArgument("--learner: unknown key '" + key + "'"));
        }
        max_pool = std::max(max_pool, l.pool);
        models.push_back(std::move(l));
      }
      const auto t0 = std::chrono::steady_clock::now();
      auto ls = eval::ProductCordis::BuildLearnedSet(*data, split, train_years, max_pool);
      if (!ls.ok()) return Fail(ls.status());
      std::cerr << std::fixed << std::setprecision(1) << "learned stage: " << ls->report.challenges
                << " training challenges, " << ls->report.rows << " candidates (best " << max_pool
                << " by the linear score) in "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
      for (Learner& l : models) {
        const auto t1 = std::chrono::steady_clock::now();
        match::RankingSet subset;
        const match::RankingSet* train = &ls->set;
        if (l.pool < max_pool) subset = ls->set.TopOfGroups(static_cast<size_t>(l.pool)), train = &subset;
        if (!l.without.empty()) {
          if (train != &subset) subset = ls->set, train = &subset;
          const size_t n = subset.feature_names.size();
          for (size_t r = 0; r * n < subset.rows.size(); ++r)
            for (size_t f : l.without) subset.rows[r * n + f] = 0.f;
        }
        auto model = match::LearnedRanker::Train(*train, l.params);
        if (!model.ok()) return Fail(model.status());
        l.model = std::move(model).value();
        std::cerr << std::defaultfloat << std::setprecision(6) << "learner ["
                  << (l.setting.empty() ? "defaults" : l.setting) << "]: " << l.params.objective << " "
                  << l.params.rounds << " rounds depth " << l.params.max_depth << " eta " << l.params.eta << " pool "
                  << l.pool << " rescore " << l.rescore << "; trained in " << std::fixed << std::setprecision(1)
                  << std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count() << " s\n";
      }
    }
    std::vector<std::string> lines = settings;
    if (lines.empty()) lines.push_back("");
    auto diff = [](const std::vector<double>& a, const std::vector<double>& b) {
      double d = 0;
      for (size_t k = 0; k < a.size() && k < b.size(); ++k) d += a[k] - b[k];
      return a.empty() ? 0.0 : d / static_cast<double>(a.size());
    };
    auto print = [&](const std::string& what, const std::string& setting, const eval::CordisMetrics& m,
                     const std::vector<std::pair<std::string, const std::vector<double>*>>& against) {
      if (json) {
        nlohmann::json j = {{"method", what},          {"setting", setting},     {"recall@10", m.recall10},
                            {"recall@50", m.recall50}, {"mrr", m.mrr},           {"mix3", m.mix3},
                            {"helix4", m.helix4},      {"n_scored", m.n_scored}, {"n_test", m.n_test},
                            {"limit", limit},          {"validate", validate}};
        std::cout << j.dump() << std::endl;
        return;
      }
      std::cout << std::fixed << std::setprecision(4) << what << " [" << (setting.empty() ? "defaults" : setting)
                << "]: recall@10 " << m.recall10 << " recall@50 " << m.recall50 << " MRR " << m.mrr << " mix3 "
                << m.mix3 << " scored " << m.n_scored;
      for (const auto& [name, ref] : against)
        std::cout << " | MRR - " << name << " " << std::showpos << diff(m.reciprocal_ranks, *ref) << std::noshowpos
                  << " (paired SE " << eval::PairedStandardError(m.reciprocal_ranks, *ref) << ")";
      std::cout << std::endl;
    };
    std::vector<double> first;
    std::vector<std::vector<double>> first_learned;  // per learner, on the first setting
    for (const std::string& setting : lines) {
      match::RankOptions o;
      o.limit = limit;
      double places = o.diversity_places;
      double mix = o.mix_sectors;
      for (const auto& kv : Split(setting, ',', true)) {
        auto eq = kv.find('=');
        auto v = eq == std::string::npos ? std::nullopt : ParseDouble(kv.substr(eq + 1));
        if (!v) return Fail(Status::InvalidArgument("--setting: expected key=number, got '" + kv + "'"));
        const std::string key = kv.substr(0, eq);
        match::MatchWeights& w = o.weights;
        std::map<std::string, double*> keys = {{"text", &w.text},
                                               {"capability", &w.capability},
                                               {"theme", &w.theme},
                                               {"area", &w.area},
                                               {"closeness", &w.closeness},
                                               {"partner", &w.partner},
                                               {"record", &w.record},
                                               {"similar", &w.similar},
                                               {"owner_similar", &w.owner_similar},
                                               {"near_similar", &w.near_similar},
                                               {"recent_partner", &w.recent_partner},
                                               {"active", &w.active},
                                               {"recent_similar", &w.recent_similar},
                                               {"partners2", &w.partners2},
                                               {"kind_fit", &w.kind_fit},
                                               {"walk", &w.walk},
                                               {"walk_restart", &o.walk_restart},
                                               {"walk_owner", &o.walk_owner_share},
                                               {"walk_degree", &o.walk_degree_power},
                                               {"diversity", &o.diversity},
                                               {"places", &places},
                                               {"mix", &mix},
                                               {"gate", &o.capability_gate}};
        auto it = keys.find(key);
        if (it == keys.end()) return Fail(Status::InvalidArgument("--setting: unknown key '" + key + "'"));
        *it->second = *v;
      }
      o.diversity_places = static_cast<int>(places);
      o.mix_sectors = static_cast<int>(mix);
      auto m = (*pc)->Evaluate(o);
      if (!m.ok()) return Fail(m.status());
      std::vector<std::pair<std::string, const std::vector<double>*>> against;
      if (!first.empty()) against.emplace_back("first", &first);
      print("product", setting, *m, against);
      std::vector<double> learner0;
      for (size_t k = 0; k < models.size(); ++k) {
        Learner& l = models[k];
        match::RankOptions lo = o;
        lo.learned = &*l.model;
        lo.learned_pool = l.rescore;
        auto lm = (*pc)->Evaluate(lo);
        if (!lm.ok()) return Fail(lm.status());
        std::vector<std::pair<std::string, const std::vector<double>*>> vs = {{"linear", &m->reciprocal_ranks}};
        if (k > 0) vs.emplace_back("first learner", &learner0);
        if (first_learned.size() > k) vs.emplace_back("first setting", &first_learned[k]);
        const std::string label =
            setting + (l.setting.empty() ? "" : std::string(setting.empty() ? "" : " | ") + "learner " + l.setting);
        print("product + learned", label, *lm, vs);
        if (k == 0) learner0 = lm->reciprocal_ranks;
        if (first_learned.size() == k) first_learned.push_back(lm->reciprocal_ranks);
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
