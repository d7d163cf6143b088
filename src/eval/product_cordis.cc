#include "eval/product_cordis.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <unistd.h>

#include "base/strings.h"
#include "service/matches.h"
#include "service/platform.h"
#include "service/published.h"
#include "service/transfer.h"
#include "storage/sqlite_store.h"

namespace weefsel::eval {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

// One CSV file: a header, then rows of already-formatted fields.
class CsvWriter {
 public:
  CsvWriter(const std::string& path, const std::vector<std::string>& header) : out_(path), path_(path) { Row(header); }
  void Row(const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) out_ << (i ? "," : "") << Quote(fields[i]);
    out_ << "\n";
  }
  Status Close() {
    out_.close();
    if (!out_) return Status::Internal(path_ + ": cannot write");
    return Status::Ok();
  }

 private:
  std::ofstream out_;
  std::string path_;
};

std::string KindOf(const std::string& activity_type) {
  if (activity_type == "HES" || activity_type == "REC") return "knowledge_institution";
  if (activity_type == "PUB") return "government";
  if (activity_type == "OTH") return "foundation_funder";
  return "company";  // PRC and unknown
}

// Ids: actor = organisation index + 1; challenge = project index + 1.
ActorId ActorOf(int32_t org) { return ActorId(static_cast<int64_t>(org) + 1); }
ChallengeId ChallengeOf(size_t project) { return ChallengeId(static_cast<int64_t>(project) + 1); }

std::vector<std::string> ChallengeRow(const CordisProject& p, size_t pi, const std::string& municipality,
                                      const std::string& owner, const std::string& phase) {
  return {std::to_string(ChallengeOf(pi).value()),
          municipality,
          p.title.empty() ? "project " + p.id : p.title,
          p.topic_title,
          "en",
          owner,
          phase};
}

}  // namespace

Result<LearnedSet> ProductCordis::BuildLearnedSet(const CordisData& data, const CordisSplit& split, int years, int pool,
                                                  int every) {
  const int cut_year = static_cast<int>(ParseInt(split.cutoff.substr(0, 4)).value_or(0));
  if (years < 1 || cut_year - years < 2015)
    return Status::InvalidArgument("learned stage: training years " + std::to_string(cut_year - years) + " to " +
                                   std::to_string(cut_year - 1) + ": the first must be 2015 or later (history)");
  match::RankingSet set;
  set.feature_names = match::Matcher::FeatureNames();
  match::OutcomeTrainingReport report;
  for (int y = 1; y <= years; ++y) {
    const int year = cut_year - y;
    const CordisSplit ts{.cutoff = std::to_string(year) + "-01-01", .test_end = std::to_string(year + 1) + "-01-01"};
    WEEFSEL_ASSIGN_OR_RETURN(std::unique_ptr<ProductCordis> pc, Import(data, ts, {.every = every}));
    // The best `pool` of each project by the linear score, as Rank re-scores them, with every
    // feature. Rank only reads the matcher, so the projects are ranked on up to 2 threads, a block
    // of 256 at a time (query i of a block on thread i mod 2), each into its own place; the groups
    // are then added in project order, so the set is the same on any number of threads.
    const size_t n_queries = pc->queries_.size();
    const size_t n_threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 2);
    constexpr size_t kBlock = 256;
    std::vector<Result<std::vector<match::Match>>> lists;
    for (size_t qi = 0; qi < n_queries; ++qi) {
      const size_t in_block = qi % kBlock;
      if (in_block == 0) {
        const size_t end = std::min(n_queries, qi + kBlock);
        lists.assign(end - qi, Status::Internal("not ranked"));
        auto rank_share = [&, begin = qi](size_t first) {
          for (size_t i = first; begin + i < end; i += n_threads)
            lists[i] = match::TrainingCandidates(*pc->matcher_, pc->queries_[begin + i].challenge, pool);
        };
        std::vector<std::thread> helpers;
        for (size_t t = 1; t < n_threads; ++t) helpers.emplace_back(rank_share, t);
        rank_share(0);
        for (auto& h : helpers) h.join();
      }
      const Query& q = pc->queries_[qi];
      const auto& ranked = lists[in_block];
      if (!ranked.ok()) continue;
      std::unordered_set<ActorId> targets(q.targets.begin(), q.targets.end());
      std::vector<std::pair<const match::Match*, float>> rows;
      bool any = false;
      for (const match::Match& m : *ranked) {
        const bool hit = targets.count(m.actor) > 0;
        rows.emplace_back(&m, hit ? 2.f : 0.f);
        any = any || hit;
      }
      if (!any || rows.size() < 2) continue;
      set.OpenGroup();
      for (const auto& [m, label] : rows) set.AddRow(m->features, label);
      ++report.challenges;
      report.outcomes += static_cast<int>(q.targets.size());
    }
  }
  report.rows = set.row_count();
  if (report.challenges == 0)
    return Status::FailedPrecondition("learned stage: no training project has a real partner among its candidates");
  return LearnedSet{std::move(set), report};
}

Result<match::TrainedModel> ProductCordis::TrainLearned(const CordisData& data, const CordisSplit& split, int years,
                                                        const match::OutcomeTrainingOptions& options, int every) {
  WEEFSEL_ASSIGN_OR_RETURN(LearnedSet ls, BuildLearnedSet(data, split, years, options.pool, every));
  WEEFSEL_ASSIGN_OR_RETURN(match::LearnedRanker model, match::LearnedRanker::Train(ls.set, options.params));
  return match::TrainedModel{std::move(model), ls.report};
}

double PairedStandardError(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = std::min(a.size(), b.size());
  if (n < 2) return 0;
  double mean = 0;
  for (size_t i = 0; i < n; ++i) mean += a[i] - b[i];
  mean /= static_cast<double>(n);
  double var = 0;
  for (size_t i = 0; i < n; ++i) var += (a[i] - b[i] - mean) * (a[i] - b[i] - mean);
  var /= static_cast<double>(n - 1);
  return std::sqrt(var / static_cast<double>(n));
}

Result<std::unique_ptr<ProductCordis>> ProductCordis::Import(const CordisData& data, const CordisSplit& split,
                                                             const ProductImportOptions& options) {
  if (options.every < 1) return Status::InvalidArgument("every: must be at least 1");
  const auto start = std::chrono::steady_clock::now();
  auto out = std::unique_ptr<ProductCordis>(new ProductCordis());
  const size_t n_orgs = data.orgs.size();
  // History: per organisation its most frequent activity type and country; co-participations.
  std::vector<std::map<std::string, int>> types(n_orgs), countries(n_orgs);
  std::vector<char> in_history(n_orgs, 0);
  std::map<std::pair<int32_t, int32_t>, std::pair<int, std::string>> ties;  // (a, b) -> (projects, first start)
  std::vector<size_t> history;
  for (size_t pi = 0; pi < data.projects.size(); ++pi) {
    const CordisProject& p = data.projects[pi];
    if (p.start_date.empty() || p.start_date >= split.cutoff) continue;
    history.push_back(pi);
    for (const auto& m : p.members) {
      in_history[m.org] = 1;
      ++types[m.org][m.type];
      ++countries[m.org][m.country];
    }
    for (const auto& a : p.members)
      for (const auto& b : p.members) {
        if (a.org >= b.org) continue;
        auto& t = ties[{a.org, b.org}];
        if (t.first++ == 0 || p.start_date < t.second) t.second = p.start_date;
      }
  }
  out->type_of_.assign(n_orgs + 1, "");
  std::vector<std::string> country_of(n_orgs);
  std::map<std::string, std::string> cbs_of_country;  // country -> pseudo CBS code
  for (size_t o = 0; o < n_orgs; ++o) {
    if (!in_history[o]) continue;
    out->type_of_[o + 1] = MostFrequent(types[o]);
    country_of[o] = MostFrequent(countries[o]);
    cbs_of_country.emplace(country_of[o], "");
  }
  // Countries of coordinators without history (their row's country) need a municipality too.
  for (const CordisProject& p : data.projects)
    for (const auto& m : p.members)
      if (m.coordinator) cbs_of_country.emplace(m.country, "");
  int next_code = 9001;
  for (auto& [country, code] : cbs_of_country) {
    std::ostringstream os;
    os << "GM" << next_code++;
    code = os.str();
  }

  namespace fs = std::filesystem;
  fs::path dir = options.work_dir.empty()
                     ? fs::temp_directory_path() / ("weefsel-cordis-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(std::random_device{}()))
                     : fs::path(options.work_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal(dir.string() + ": " + ec.message());
  struct Cleanup {
    fs::path dir;
    bool remove;
    ~Cleanup() {
      std::error_code e;
      if (remove) fs::remove_all(dir, e);
    }
  } cleanup{dir, options.work_dir.empty()};
  {
    CsvWriter w((dir / "municipalities.csv").string(), {"cbs_code", "name"});
    for (const auto& [country, code] : cbs_of_country) w.Row({code, "CORDIS " + (country.empty() ? "?" : country)});
    WEEFSEL_RETURN_IF_ERROR(w.Close());
  }
  {
    CsvWriter w((dir / "actors.csv").string(), {"id", "name", "kind", "municipality", "source"});
    for (size_t o = 0; o < n_orgs; ++o) {
      if (!in_history[o]) continue;
      const std::string& name = o < data.org_names.size() ? data.org_names[o] : std::string();
      w.Row({std::to_string(ActorOf(static_cast<int32_t>(o)).value()),
             name.empty() ? "PIC " + data.orgs[o] : name.substr(0, 300), KindOf(out->type_of_[o + 1]),
             cbs_of_country[country_of[o]], "cordis"});
    }
    WEEFSEL_RETURN_IF_ERROR(w.Close());
  }
  {
    CsvWriter w((dir / "ties.csv").string(), {"a", "b", "weight", "kind", "source", "from"});
    for (const auto& [ab, t] : ties)
      w.Row({std::to_string(ActorOf(ab.first).value()), std::to_string(ActorOf(ab.second).value()),
             std::to_string(t.first), "worked_together", "imported", t.second});
    WEEFSEL_RETURN_IF_ERROR(w.Close());
  }
  auto coordinator_of = [&](const CordisProject& p) -> const CordisProject::Member* {
    const CordisProject::Member* c = nullptr;
    for (const auto& m : p.members)
      if (m.coordinator) {
        if (c) return nullptr;  // more than one
        c = &m;
      }
    return c;
  };
  {
    CsvWriter w((dir / "history.csv").string(), {"id", "municipality", "title", "text", "language", "owner", "phase"});
    for (size_t pi : history) {
      const CordisProject& p = data.projects[pi];
      const CordisProject::Member* c = coordinator_of(p);
      const std::string municipality =
          cbs_of_country[c ? country_of[c->org] : (p.members.empty() ? "" : country_of[p.members[0].org])];
      w.Row(ChallengeRow(p, pi, municipality, c ? std::to_string(ActorOf(c->org).value()) : "", "funded"));
    }
    WEEFSEL_RETURN_IF_ERROR(w.Close());
  }
  // The queries: as eval/cordis.h selects them (title, one coordinator, >= 3 participants).
  std::vector<size_t> query_projects;
  int scored = 0;
  int dated = 0, titled = 0, one_coord = 0, sized = 0;  // what each filter leaves (for the error below)
  {
    CsvWriter w((dir / "queries.csv").string(), {"id", "municipality", "title", "text", "language", "owner", "phase"});
    for (size_t pi = 0; pi < data.projects.size(); ++pi) {
      const CordisProject& p = data.projects[pi];
      if (p.start_date.empty() || p.start_date < split.cutoff) continue;
      if (!split.test_end.empty() && p.start_date >= split.test_end) continue;
      ++dated;
      if (p.title.empty()) continue;
      ++titled;
      const CordisProject::Member* c = coordinator_of(p);
      if (!c) continue;
      ++one_coord;
      if (p.members.size() < 3) continue;
      ++sized;
      if (split.test_ids && !split.test_ids->count(p.id)) continue;
      ++out->stats_.n_test;
      Query q;
      for (const auto& m : p.members) {
        if (m.org == c->org) continue;
        ++q.n_all_targets;
        if (in_history[m.org]) q.targets.push_back(ActorOf(m.org));
      }
      if (q.targets.empty()) continue;
      if (scored++ % options.every != 0) continue;
      std::vector<std::string> real;
      for (const auto& m : p.members) real.push_back(m.type);
      q.real_mix3 = Mix3(real);
      q.real_helix4 = Helix4(real);
      q.coord_type = in_history[c->org] ? out->type_of_[c->org + 1] : c->type;
      q.challenge.id = ChallengeOf(pi);
      const std::string country = in_history[c->org] ? country_of[c->org] : c->country;
      w.Row(ChallengeRow(p, pi, cbs_of_country[country],
                         in_history[c->org] ? std::to_string(ActorOf(c->org).value()) : "", "open"));
      out->queries_.push_back(std::move(q));
      query_projects.push_back(pi);
    }
    WEEFSEL_RETURN_IF_ERROR(w.Close());
  }
  if (out->stats_.n_test == 0) {
    std::ostringstream os;
    os << "no project qualifies as a query: " << dated << " start on or after " << split.cutoff
       << (split.test_end.empty() ? "" : " and before " + split.test_end) << ", " << titled << " of them have a title, "
       << one_coord << " of those exactly one coordinator, " << sized << " of those >= 3 participants"
       << (split.test_ids ? ", none of them in the --test-ids list (" + std::to_string(split.test_ids->size()) + " ids)"
                          : "");
    return Status::InvalidArgument(os.str());
  }

  WEEFSEL_ASSIGN_OR_RETURN(std::unique_ptr<storage::Store> store, storage::OpenSqliteStore(options.store_path));
  using service::EntityKind;
  const std::pair<EntityKind, const char*> files[] = {{EntityKind::kMunicipalities, "municipalities.csv"},
                                                      {EntityKind::kActors, "actors.csv"},
                                                      {EntityKind::kTies, "ties.csv"},
                                                      {EntityKind::kChallenges, "history.csv"},
                                                      {EntityKind::kChallenges, "queries.csv"}};
  int64_t written[5] = {};
  for (size_t f = 0; f < 5; ++f) {
    WEEFSEL_ASSIGN_OR_RETURN(service::ImportReport r,
                             service::Import(*store, files[f].first, (dir / files[f].second).string()));
    written[f] = r.written;
  }
  out->stats_.municipalities = written[0];
  out->stats_.actors = written[1];
  out->stats_.ties = written[2];
  out->stats_.challenges = written[3] + written[4];
  // Past projects as formed coalitions (no file format holds coalitions: the store directly).
  WEEFSEL_RETURN_IF_ERROR(store->Transaction([&]() -> Status {
    for (size_t pi : history) {
      const CordisProject& p = data.projects[pi];
      domain::Coalition co;
      co.challenge = ChallengeOf(pi);
      co.status = domain::CoalitionStatus::kFormed;
      co.explanation = "CORDIS consortium";
      co.created_at = p.start_date;  // the past work's date (recency components)
      bool lead = false;
      for (const auto& m : p.members) {
        domain::CoalitionMember cm;
        cm.actor = ActorOf(m.org);
        cm.status = domain::MemberStatus::kAccepted;
        if (m.coordinator && !lead) cm.role = "lead", lead = true;
        co.members.push_back(cm);
      }
      WEEFSEL_RETURN_IF_ERROR(store->Insert(co).status());
      ++out->stats_.coalitions;
    }
    return Status::Ok();
  }));
  out->stats_.import_seconds = SecondsSince(start);

  // The matcher as the server builds it, and the posted challenges as the API reads them.
  const auto build_start = std::chrono::steady_clock::now();
  service::PlatformOptions po;
  po.password_cost = service::PasswordCost::Minimum();
  service::Platform platform(std::move(store), po);
  {
    service::BuildWorker worker("matcher");
    service::MatchService matches(platform, worker, std::nullopt);
    auto snapshot = matches.Snapshot();
    worker.Stop();
    if (!snapshot.ok()) return snapshot.status();
    out->matcher_ = snapshot->value;
  }
  for (Query& q : out->queries_) {
    WEEFSEL_ASSIGN_OR_RETURN(q.challenge, platform.GetChallenge(q.challenge.id));
  }
  out->stats_.n_queries = static_cast<int>(out->queries_.size());
  out->stats_.build_seconds = SecondsSince(build_start);
  return out;
}

Result<CordisMetrics> ProductCordis::Evaluate(const match::RankOptions& options) const {
  if (options.limit < 50) return Status::InvalidArgument("limit: at least 50 (recall@50)");
  CordisMetrics out;
  out.n_test = stats_.n_test;
  out.n_scored = static_cast<int>(queries_.size());
  for (const Query& q : queries_) {
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<match::Match> list, matcher_->Rank(q.challenge, options));
    std::unordered_set<int64_t> targets;
    for (ActorId t : q.targets) targets.insert(t.value());
    int hit10 = 0, hit50 = 0;
    double rr = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      if (!targets.count(list[i].actor.value())) continue;
      if (i < 10) ++hit10;
      if (i < 50) ++hit50;
      if (rr == 0) rr = 1.0 / static_cast<double>(i + 1);
    }
    const double nt = static_cast<double>(q.targets.size());
    out.recall10 += hit10 / nt;
    out.recall50 += hit50 / nt;
    out.recall10_all += hit10 / static_cast<double>(q.n_all_targets);
    out.recall50_all += hit50 / static_cast<double>(q.n_all_targets);
    out.mrr += rr;
    out.reciprocal_ranks.push_back(rr);
    std::vector<std::string> team{q.coord_type};
    for (size_t i = 0; i < std::min<size_t>(10, list.size()); ++i) {
      const auto id = static_cast<size_t>(list[i].actor.value());
      team.push_back(id < type_of_.size() ? type_of_[id] : "");
    }
    out.mix3 += Mix3(team);
    out.helix4 += Helix4(team);
    out.real_mix3 += q.real_mix3;
    out.real_helix4 += q.real_helix4;
  }
  if (out.n_scored > 0) {
    const double k = out.n_scored;
    out.recall10 /= k, out.recall50 /= k, out.recall10_all /= k, out.recall50_all /= k, out.mrr /= k;
    out.mix3 /= k, out.helix4 /= k, out.real_mix3 /= k, out.real_helix4 /= k;
  }
  return out;
}

}  // namespace weefsel::eval
