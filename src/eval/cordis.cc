#include "eval/cordis.h"

#include <zlib.h>

#include <cstdio>

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "base/csv.h"
#include "base/strings.h"
#include "eval/ranker.h"
#include "text/analyzer.h"
#include "text/search_index.h"

namespace weefsel::eval {
namespace {

Result<std::string> ReadMaybeGzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files transparently
  if (!f) return Status::NotFound(path + ": cannot open");
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  int err = 0;
  const char* msg = gzerror(f, &err);
  std::string what = msg ? msg : "";
  gzclose(f);
  if (n < 0 || (err != Z_OK && err != Z_STREAM_END))
    return Status::InvalidArgument(path + ": not a readable gzip file: " + what);
  return out;
}

Result<std::string> FindFile(const std::string& dir, const std::string& stem) {
  for (const char* ext : {".csv.gz", ".csv"}) {
    std::string p = dir + "/" + stem + ext;
    if (FILE* f = std::fopen(p.c_str(), "rb")) {
      std::fclose(f);
      return p;
    }
  }
  return Status::NotFound(dir + ": neither " + stem + ".csv.gz nor " + stem + ".csv exists");
}

// The per-candidate features of a query, in this order (weights in CordisParams):
// The first kFeatures enter the linear score; the extras only the second-stage ranker.
enum Feature {
  kText,
  kCoord,
  kCoordText,
  kTwoHop,
  kCoordRecent,
  kTextNear,
  kCoordLed,
  kFeatures,
  kVotes = kFeatures,  // extra: how many of the best-matching projects hold the candidate
  kBestSim,            // extra: bm25 / best of the candidate's best project among the 200 best
  kAllFeatures
};
using Features = std::array<float, kAllFeatures>;

// Everything the recommender derives from history (start_date < cutoff).
struct Model {
  std::vector<int32_t> history;            // project indices
  std::vector<char> in_history;            // per org
  std::vector<std::string> type, country;  // per org, most frequent in history
  std::vector<int32_t> country_id;         // per org, index into countries
  std::vector<std::string> countries;
  std::vector<int> year;       // per project: start year (0 unknown)
  std::vector<int> last_year;  // per org: start year of its latest history project
  std::vector<float> degree;   // per org: distinct history partners, log-scaled to [0, 1]
  int cut_year = 2019;
  std::vector<float> pop, recent;                             // per org, log-scaled to [0, 1]
  std::vector<std::vector<int32_t>> projects_of;              // per org: history project indices
  std::vector<std::vector<std::pair<int32_t, int32_t>>> adj;  // co-participation counts, by org
  text::TermIndex index;                                      // over history projects with text
  std::vector<int32_t> index_project;                         // TermIndex doc -> project index
};

std::string TextOf(const CordisProject& p) { return p.title + " " + p.topic_title; }

std::vector<std::string> Terms(const text::Analyzer& a, const std::string& s) {
  return a.Analyze(s, text::Language::kEnglish);
}

Model BuildModel(const CordisData& d, const std::string& cutoff, const text::Analyzer& analyzer) {
  Model m;
  const size_t n = d.orgs.size();
  m.in_history.assign(n, 0);
  m.type.assign(n, "");
  m.country.assign(n, "");
  m.pop.assign(n, 0);
  m.recent.assign(n, 0);
  m.projects_of.assign(n, {});
  std::vector<std::unordered_map<int32_t, int32_t>> adj(n);
  std::vector<std::map<std::string, int>> types(n), countries(n);
  std::vector<int> count(n, 0), recent(n, 0);
  int cut_year = static_cast<int>(ParseInt(cutoff.substr(0, 4)).value_or(2019));
  std::string recent_from = std::to_string(cut_year - 2) + cutoff.substr(4);
  for (size_t pi = 0; pi < d.projects.size(); ++pi) {
    const CordisProject& p = d.projects[pi];
    if (p.start_date.empty() || p.start_date >= cutoff) continue;
    m.history.push_back(static_cast<int32_t>(pi));
    for (const auto& mem : p.members) {
      m.in_history[mem.org] = 1;
      ++types[mem.org][mem.type];
      ++countries[mem.org][mem.country];
      ++count[mem.org];
      if (p.start_date >= recent_from) ++recent[mem.org];
      m.projects_of[mem.org].push_back(static_cast<int32_t>(pi));
    }
    for (const auto& a : p.members)
      for (const auto& b : p.members)
        if (a.org != b.org) ++adj[a.org][b.org];
    if (!p.title.empty()) {
      m.index.Add(Terms(analyzer, TextOf(p)));
      m.index_project.push_back(static_cast<int32_t>(pi));
    }
  }
  m.index.Finalize();
  m.cut_year = cut_year;
  m.year.assign(d.projects.size(), 0);
  for (size_t pi = 0; pi < d.projects.size(); ++pi)
    if (d.projects[pi].start_date.size() >= 4)
      m.year[pi] = static_cast<int>(ParseInt(d.projects[pi].start_date.substr(0, 4)).value_or(0));
  m.last_year.assign(n, 0);
  for (int32_t pi : m.history)
    for (const auto& mem : d.projects[pi].members) m.last_year[mem.org] = std::max(m.last_year[mem.org], m.year[pi]);
  m.adj.resize(n);
  for (size_t o = 0; o < n; ++o) {
    m.adj[o].assign(adj[o].begin(), adj[o].end());
    std::sort(m.adj[o].begin(), m.adj[o].end());
  }
  double max_c = 1, max_r = 1;
  for (size_t o = 0; o < n; ++o) {
    max_c = std::max(max_c, std::log1p(count[o]));
    max_r = std::max(max_r, std::log1p(recent[o]));
  }
  double max_d = 1;
  for (size_t o = 0; o < n; ++o) max_d = std::max(max_d, std::log1p(static_cast<double>(m.adj[o].size())));
  m.degree.assign(n, 0);
  for (size_t o = 0; o < n; ++o)
    m.degree[o] = static_cast<float>(std::log1p(static_cast<double>(m.adj[o].size())) / max_d);
  for (size_t o = 0; o < n; ++o) {
    m.type[o] = MostFrequent(types[o]);
    m.country[o] = MostFrequent(countries[o]);
    m.pop[o] = static_cast<float>(std::log1p(count[o]) / max_c);
    m.recent[o] = static_cast<float>(std::log1p(recent[o]) / max_r);
  }
  std::unordered_map<std::string, int32_t> cid;
  m.country_id.assign(n, 0);
  m.countries.push_back("");
  cid[""] = 0;
  for (size_t o = 0; o < n; ++o) {
    auto [it, ins] = cid.emplace(m.country[o], static_cast<int32_t>(m.countries.size()));
    if (ins) m.countries.push_back(m.country[o]);
    m.country_id[o] = it->second;
  }
  return m;
}

struct Query {
  int32_t project = 0;
  int32_t coord = 0;
  std::string coord_type, coord_country;
  std::vector<int32_t> targets;  // in history
  int n_all_targets = 0;
  bool real_mix3 = false, real_helix4 = false;
  std::vector<std::pair<int32_t, Features>> sparse;  // by org; linear features normalised per feature to max 1
  Features raw_max{};                                // the maximum of each linear feature before normalising
  double best_bm25 = 0;                              // the best history project's BM25
  int matched = 0;                                   // history projects with a BM25 above 0
  std::vector<float> country_affinity;               // by country id, max 1
};

struct Structure {
  int top_projects;
  double sim_power, size_power, coord_sim_power, coord_size_power;
};

Query MakeQuery(const CordisData& d, const Model& m, const text::Analyzer& analyzer, int32_t pi, const Structure& st) {
  const CordisProject& p = d.projects[pi];
  Query q;
  q.project = pi;
  std::vector<std::string> real_types;
  for (const auto& mem : p.members) {
    real_types.push_back(mem.type);
    if (mem.coordinator) {
      q.coord = mem.org;
      q.coord_type = m.in_history[mem.org] ? m.type[mem.org] : mem.type;
      q.coord_country = m.in_history[mem.org] ? m.country[mem.org] : mem.country;
    }
  }
  for (const auto& mem : p.members) {
    if (mem.org == q.coord) continue;
    ++q.n_all_targets;
    if (m.in_history[mem.org]) q.targets.push_back(mem.org);
  }
  q.real_mix3 = Mix3(real_types);
  q.real_helix4 = Helix4(real_types);

  // Dense scratch buffers with touched lists (the two-hop feature touches many organisations).
  thread_local std::vector<Features> f;
  thread_local std::vector<char> touched_flag;
  thread_local std::vector<int32_t> touched;
  thread_local std::vector<float> sim;  // project -> bm25 / best
  f.assign(d.orgs.size(), Features{});
  touched_flag.assign(d.orgs.size(), 0);
  touched.clear();
  sim.assign(d.projects.size(), 0.f);
  auto at = [&](int32_t o) -> Features& {
    if (!touched_flag[o]) touched_flag[o] = 1, touched.push_back(o);
    return f[o];
  };
  // Closeness of each organisation to the coordinator: 1 for itself, log-scaled ties for partners.
  thread_local std::vector<float> near;
  near.assign(d.orgs.size(), 0.f);
  if (m.in_history[q.coord]) {
    double wmax = 1;
    for (auto [o, w] : m.adj[q.coord]) wmax = std::max<double>(wmax, w);
    for (auto [o, w] : m.adj[q.coord]) near[o] = static_cast<float>(0.5 * std::log1p(w) / std::log1p(wmax));
    near[q.coord] = 1.f;
  }
  // Text: history projects by BM25 against the query.
  auto scored = m.index.Score(Terms(analyzer, TextOf(p)));
  double best = 0;
  for (auto [doc, s] : scored) best = std::max(best, s);
  q.best_bm25 = best;
  q.matched = static_cast<int>(scored.size());
  if (best > 0) {
    constexpr size_t kBestSimProjects = 200;
    size_t k = std::min(scored.size(), static_cast<size_t>(std::max(0, st.top_projects)));
    size_t sorted = std::min(scored.size(), std::max(k, kBestSimProjects));
    auto by_score = [](auto a, auto b) { return a.second > b.second || (a.second == b.second && a.first < b.first); };
    std::partial_sort(scored.begin(), scored.begin() + sorted, scored.end(), by_score);
    for (size_t i = 0; i < scored.size(); ++i) {
      int32_t proj = m.index_project[scored[i].first];
      double s = scored[i].second / best;
      sim[proj] = static_cast<float>(s);
      if (i < sorted)
        for (const auto& mem : d.projects[proj].members)
          if (mem.org != q.coord) at(mem.org)[kBestSim] = std::max(at(mem.org)[kBestSim], static_cast<float>(s));
      if (i >= k) continue;
      const auto& members = d.projects[proj].members;
      double vote = std::pow(s, st.sim_power) / std::pow(std::max<size_t>(1, members.size() - 1), st.size_power);
      float close = 0;
      for (const auto& mem : members) close = std::max(close, near[mem.org]);
      for (const auto& mem : members) {
        if (mem.org == q.coord) continue;
        Features& fo = at(mem.org);
        fo[kText] += static_cast<float>(vote);
        fo[kTextNear] += static_cast<float>(vote) * close;
        fo[kVotes] += 1.f;
      }
    }
  }
  // Where the coordinator's partners come from (country affinity), else its own country.
  q.country_affinity.assign(m.countries.size(), 0.f);
  if (m.in_history[q.coord] && !m.adj[q.coord].empty()) {
    float mxa = 0;
    for (auto [o, w] : m.adj[q.coord])
      mxa = std::max(mxa, q.country_affinity[m.country_id[o]] += static_cast<float>(w));
    for (float& v : q.country_affinity) v /= mxa;
  } else {
    for (size_t c = 0; c < m.countries.size(); ++c)
      q.country_affinity[c] = m.countries[c] == q.coord_country ? 1.f : 0.f;
  }
  // The coordinator's past partners, plainly and by the text match of the shared project.
  if (m.in_history[q.coord]) {
    for (int32_t proj : m.projects_of[q.coord]) {
      double decay = std::pow(0.5, std::max(0, m.cut_year - m.year[proj] - 1));
      const auto& members = d.projects[proj].members;
      bool led =
          std::any_of(members.begin(), members.end(), [&](const auto& x) { return x.org == q.coord && x.coordinator; });
      for (const auto& mem : members) {
        if (mem.org == q.coord) continue;
        Features& fo = at(mem.org);
        fo[kCoordRecent] += static_cast<float>(decay);
        if (led) fo[kCoordLed] += 1.f;  // partners the coordinator chose itself
      }
    }
    for (auto [o, w] : m.adj[q.coord]) at(o)[kCoord] = static_cast<float>(std::log1p(w));
    for (int32_t proj : m.projects_of[q.coord]) {
      if (sim[proj] <= 0) continue;
      const auto& members = d.projects[proj].members;
      double v = std::pow(sim[proj], st.coord_sim_power) /
                 std::pow(std::max<size_t>(1, members.size() - 1), st.coord_size_power);
      for (const auto& mem : members)
        if (mem.org != q.coord) at(mem.org)[kCoordText] += static_cast<float>(v);
    }
    // Partners of the 30 strongest partners.
    std::vector<std::pair<int32_t, int32_t>> nb(m.adj[q.coord].begin(), m.adj[q.coord].end());
    std::sort(nb.begin(), nb.end(),
              [](auto a, auto b) { return a.second > b.second || (a.second == b.second && a.first < b.first); });
    if (nb.size() > 30) nb.resize(30);
    for (auto [mid, wcm] : nb) {
      double deg = static_cast<double>(m.adj[mid].size());
      double wc = std::log1p(wcm) / std::log2(2 + deg);
      for (auto [o, wmo] : m.adj[mid])
        if (o != q.coord) at(o)[kTwoHop] += static_cast<float>(wc * std::log1p(wmo));
    }
  }
  Features mx{};
  for (int32_t o : touched)
    for (int k = 0; k < kFeatures; ++k) mx[k] = std::max(mx[k], f[o][k]);
  q.raw_max = mx;
  q.sparse.reserve(touched.size());
  for (int32_t o : touched) {
    Features v = f[o];
    for (int k = 0; k < kFeatures; ++k) v[k] = mx[k] > 0 ? v[k] / mx[k] : 0;
    q.sparse.push_back({o, v});
  }
  std::sort(q.sparse.begin(), q.sparse.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return q;
}

struct Prepared {
  Model model;
  std::vector<Query> queries;
  int n_test = 0;
};

Result<Prepared> Prepare(const CordisData& d, const CordisSplit& split, const Structure& st) {
  text::Analyzer analyzer(nullptr);  // CORDIS is English: no Dutch decompounding
  Prepared pr;
  pr.model = BuildModel(d, split.cutoff, analyzer);
  int dated = 0, titled = 0, one_coord = 0;
  for (size_t pi = 0; pi < d.projects.size(); ++pi) {
    const CordisProject& p = d.projects[pi];
    if (p.start_date.empty() || p.start_date < split.cutoff) continue;
    if (!split.test_end.empty() && p.start_date >= split.test_end) continue;
    ++dated;
    if (p.title.empty()) continue;
    ++titled;
    int coords = 0;
    for (const auto& mem : p.members) coords += mem.coordinator;
    if (coords != 1) continue;
    ++one_coord;
    if (p.members.size() < 3) continue;
    if (split.test_ids && !split.test_ids->count(p.id)) continue;
    ++pr.n_test;
    Query q = MakeQuery(d, pr.model, analyzer, static_cast<int32_t>(pi), st);
    if (q.targets.empty()) continue;
    pr.queries.push_back(std::move(q));
  }
  if (pr.n_test == 0) {
    std::ostringstream os;
    os << "no test project qualifies: " << dated << " start on or after " << split.cutoff
       << (split.test_end.empty() ? "" : " and before " + split.test_end) << ", " << titled << " of them have a title, "
       << one_coord << " have exactly one coordinator, none of those has >= 3 participants"
       << (split.test_ids ? " and is in the --test-ids list (" + std::to_string(split.test_ids->size()) + " ids)" : "");
    return Status::InvalidArgument(os.str());
  }
  return pr;
}

// Stage 1, the linear model: popularity, recency and country affinity for every organisation in
// history, plus the weighted per-query features (-inf outside history and for the coordinator).
std::vector<float> BaseScores(const Model& m, const CordisParams& w) {
  constexpr float kOut = -std::numeric_limits<float>::infinity();
  std::vector<float> base(m.in_history.size());
  for (size_t o = 0; o < base.size(); ++o)
    base[o] = m.in_history[o] ? static_cast<float>(w.w_pop * m.pop[o] + w.w_recent * m.recent[o]) : kOut;
  return base;
}

void LinearScores(const Model& m, const Query& q, const CordisParams& w, const std::vector<float>& base,
                  std::vector<float>& score) {
  const float wc = static_cast<float>(w.w_country);
  for (size_t o = 0; o < base.size(); ++o) score[o] = base[o] + wc * q.country_affinity[m.country_id[o]];
  score[q.coord] = -std::numeric_limits<float>::infinity();
  const double wf[kFeatures] = {w.w_text,         w.w_coord,     w.w_coord_text, w.w_two_hop,
                                w.w_coord_recent, w.w_text_near, w.w_coord_led};
  for (const auto& [o, f] : q.sparse) {
    if (!m.in_history[o] || o == q.coord) continue;
    for (int k = 0; k < kFeatures; ++k) score[o] += static_cast<float>(wf[k] * f[k]);
  }
}

// The best `k` organisations by score (ties: lower index first).
std::vector<int32_t> TopOf(const std::vector<float>& score, size_t k, std::vector<int32_t>& idx) {
  std::iota(idx.begin(), idx.end(), 0);
  auto better = [&](int32_t a, int32_t b) { return score[a] > score[b] || (score[a] == score[b] && a < b); };
  k = std::min(k, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(), better);
  return {idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k)};
}

int TypeIndex(const std::string& t) {
  static const char* const kTypes[] = {"HES", "REC", "PRC", "PUB", "OTH"};
  for (int i = 0; i < 5; ++i)
    if (t == kTypes[i]) return i;
  return -1;
}

// The second stage's feature vector of the candidate at stage-1 position `rank` of `top`
// (kRankFeatures values appended to `x`): the linear features normalised and raw, stage-1 score
// and rank, popularity, activity, country, activity types of candidate and coordinator, the
// coordinator's experience and the query's text match.
constexpr int kRankFeatures = 41;
constexpr int kStage1Score = 18, kStage1Rank = 20;  // positions in the vector
void AppendRankFeatures(const Model& m, const Query& q, const std::vector<int32_t>& top, size_t rank,
                        const std::vector<float>& score, std::vector<float>& x) {
  const int32_t o = top[rank];
  const size_t at = x.size();
  x.resize(at + kRankFeatures, 0.f);
  float* v = &x[at];
  auto it =
      std::lower_bound(q.sparse.begin(), q.sparse.end(), o, [](const auto& e, int32_t org) { return e.first < org; });
  Features f{};
  if (it != q.sparse.end() && it->first == o) f = it->second;
  for (int k = 0; k < kFeatures; ++k) v[k] = f[k], v[kFeatures + k] = f[k] * q.raw_max[k];  // 0..13
  v[14] = m.pop[o], v[15] = m.recent[o];
  v[16] = q.country_affinity[m.country_id[o]];
  v[17] = m.country[o] == q.coord_country ? 1.f : 0.f;
  const float top_score = score[top[0]];
  v[kStage1Score] = score[o], v[19] = score[o] - top_score, v[kStage1Rank] = static_cast<float>(rank);
  v[21] = top_score > 0 ? score[o] / top_score : 0.f;
  // Counts on the scale of their history (the training years' histories are shorter).
  v[22] = m.degree[o];
  v[23] = static_cast<float>(m.cut_year - m.last_year[o]);
  const int t = TypeIndex(m.type[o]), ct = TypeIndex(q.coord_type);
  if (t >= 0) v[24 + t] = 1.f;  // 24..28
  v[29] = !m.type[o].empty() && m.type[o] == q.coord_type ? 1.f : 0.f;
  const bool coord_known = m.in_history[q.coord] != 0;
  v[30] = coord_known ? m.pop[q.coord] : 0.f;
  v[31] = coord_known ? m.degree[q.coord] : 0.f;
  if (ct >= 0) v[32 + ct] = 1.f;  // 32..36
  v[37] = f[kVotes], v[38] = f[kBestSim];
  v[39] = static_cast<float>(q.best_bm25);
  v[40] = static_cast<float>(q.matched) / static_cast<float>(std::max<size_t>(1, m.index_project.size()));
  for (int k = 0; k < kRankFeatures; ++k)
    if (!std::isfinite(v[k])) v[k] = 0.f;  // stage-1 scores of -inf never reach the top, but be safe
}

struct Stage2 {
  const Ranker* ranker = nullptr;
  const match::LearnedRanker* xgb = nullptr;  // instead of ranker
  size_t candidates = 0;                      // the stage-1 top this many are re-ordered
  double stage1_weight = 0;                   // ranking score = this x stage-1 score + the ranker's
  double blend = 1;                           // order by blend x ranker's rank + (1 - blend) x stage-1 rank
};

CordisMetrics Score(const Prepared& pr, const CordisParams& w, const Stage2& s2 = {}) {
  const Model& m = pr.model;
  const size_t n = m.in_history.size();
  CordisMetrics out;
  out.n_test = pr.n_test;
  out.n_scored = static_cast<int>(pr.queries.size());
  constexpr float kOut = -std::numeric_limits<float>::infinity();
  const std::vector<float> base = BaseScores(m, w);
  std::vector<float> score(n);
  std::vector<int32_t> idx(n);
  constexpr size_t kTop = 60;
  const bool rerank = (s2.ranker != nullptr || s2.xgb != nullptr) && s2.candidates > 0;
  std::vector<float> rows;
  std::vector<std::pair<double, size_t>> pred;
  for (const Query& q : pr.queries) {
    LinearScores(m, q, w, base, score);
    std::vector<int32_t> top = TopOf(score, rerank ? std::max(kTop, s2.candidates) : kTop, idx);
    if (rerank) {
      // Stage 2: the ranker re-orders the stage-1 top `candidates` (ties keep the stage-1 order).
      const size_t k = std::min(s2.candidates, top.size());
      rows.clear();
      pred.clear();
      for (size_t i = 0; i < k; ++i) AppendRankFeatures(m, q, top, i, score, rows);
      std::vector<float> xgb_scores;
      if (s2.xgb) {
        auto p = s2.xgb->Predict(rows);
        // XGBoost fails only on a broken model or memory exhaustion: the stage-1 order then, said in the log.
        if (!p.ok() && out.ranker_log.empty()) out.ranker_log = "stage-1 order kept: " + p.status().ToString();
        xgb_scores = p.ok() ? std::move(p).value() : std::vector<float>(k, 0.f);
      }
      for (size_t i = 0; i < k; ++i) {
        const float* v = &rows[i * kRankFeatures];
        const double learned = s2.xgb ? static_cast<double>(xgb_scores[i]) : s2.ranker->Predict(v);
        pred.push_back({-(s2.stage1_weight * v[kStage1Score] + learned), i});
      }
      std::sort(pred.begin(), pred.end());
      if (s2.blend < 1) {
        // Rank fusion: pred[r] is the ranker's r-th; its stage-1 rank is pred[r].second.
        for (size_t r = 0; r < k; ++r)
          pred[r].first = s2.blend * static_cast<double>(r) + (1 - s2.blend) * static_cast<double>(pred[r].second);
        std::stable_sort(pred.begin(), pred.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      }
      std::vector<int32_t> reordered(top);
      for (size_t i = 0; i < k; ++i) reordered[i] = top[pred[i].second];
      top = std::move(reordered);
    }
    // Sector re-ranking: keep >= min_types activity types among coordinator + top 10 by moving up
    // the best candidate of a missing type, replacing the lowest member whose type is repeated.
    for (int guard = 0; guard < 3; ++guard) {
      std::map<std::string, int> tc;
      ++tc[q.coord_type];
      for (int i = 0; i < 10; ++i) ++tc[m.type[top[i]]];
      int distinct = 0;
      for (auto& [t, c] : tc) distinct += !t.empty() && c > 0;
      if (distinct >= w.min_types) break;
      int pick = -1;
      for (size_t i = 10; i < kTop && pick < 0; ++i)
        if (!m.type[top[i]].empty() && !tc.count(m.type[top[i]])) pick = static_cast<int>(i);
      if (pick < 0) break;
      int drop = -1;
      for (int i = 9; i >= 0 && drop < 0; --i)
        if (tc[m.type[top[i]]] > 1 || m.type[top[i]] == q.coord_type) drop = i;
      if (drop < 0) break;
      int32_t moved = top[pick];
      top.erase(top.begin() + pick);
      top.insert(top.begin() + drop + 1, moved);  // behind the dropped one ...
      std::swap(top[drop], top[drop + 1]);        // ... then ahead of it: `moved` takes its place
    }
    std::unordered_set<int32_t> tset(q.targets.begin(), q.targets.end());
    int hit10 = 0, hit50 = 0;
    double rr = 0;
    for (size_t i = 0; i < 50; ++i) {
      if (!tset.count(top[i])) continue;
      if (i < 10) ++hit10;
      ++hit50;
      if (rr == 0) rr = 1.0 / static_cast<double>(i + 1);
    }
    for (size_t i = 50; rerank && rr == 0 && i < top.size(); ++i)
      if (tset.count(top[i])) rr = 1.0 / static_cast<double>(i + 1);
    if (rr == 0) {
      // Outside the list: stage-1 rank (the list holds the stage-1 top, in another order).
      float best = kOut;
      for (int32_t t : q.targets) best = std::max(best, score[t]);
      size_t above = 0;
      for (size_t o = 0; o < n; ++o) above += score[o] > best;
      rr = 1.0 / static_cast<double>(std::max<size_t>(above + 1, rerank ? top.size() + 1 : 51));
    }
    out.recall10 += static_cast<double>(hit10) / q.targets.size();
    out.recall50 += static_cast<double>(hit50) / q.targets.size();
    out.recall10_all += static_cast<double>(hit10) / q.n_all_targets;
    out.recall50_all += static_cast<double>(hit50) / q.n_all_targets;
    out.mrr += rr;
    out.reciprocal_ranks.push_back(rr);
    std::vector<std::string> team{q.coord_type};
    for (int i = 0; i < 10; ++i) team.push_back(m.type[top[i]]);
    out.mix3 += Mix3(team);
    out.helix4 += Helix4(team);
    out.real_mix3 += q.real_mix3;
    out.real_helix4 += q.real_helix4;
  }
  if (out.n_scored > 0) {
    double k = out.n_scored;
    out.recall10 /= k, out.recall50 /= k, out.recall10_all /= k, out.recall50_all /= k, out.mrr /= k;
    out.mix3 /= k, out.helix4 /= k, out.real_mix3 /= k, out.real_helix4 /= k;
  }
  return out;
}

// Training rows of one prepared split: for every query, its stage-1 top `candidates` with their
// stage-2 features, label 1 for a real partner. Queries without a partner there are left out
// (they carry no gradient). Stage-1 recall@candidates is added to *recall_at_k (a sum over queries).
void AppendTrainingRows(const Prepared& pr, const CordisParams& w, size_t candidates, RankData& out,
                        double* recall_at_k) {
  const Model& m = pr.model;
  const std::vector<float> base = BaseScores(m, w);
  std::vector<float> score(m.in_history.size());
  std::vector<int32_t> idx(m.in_history.size());
  std::vector<float> x, y;
  for (const Query& q : pr.queries) {
    LinearScores(m, q, w, base, score);
    std::vector<int32_t> top = TopOf(score, candidates, idx);
    std::unordered_set<int32_t> tset(q.targets.begin(), q.targets.end());
    x.clear();
    y.clear();
    int hits = 0;
    for (size_t i = 0; i < top.size(); ++i) {
      AppendRankFeatures(m, q, top, i, score, x);
      y.push_back(tset.count(top[i]) ? 1.f : 0.f);
      hits += y.back() > 0;
    }
    if (recall_at_k) *recall_at_k += static_cast<double>(hits) / static_cast<double>(q.targets.size());
    if (hits > 0) out.AddQuery(x, y);
  }
}

}  // namespace

Result<CordisData> LoadCordis(const std::string& dir) {
  WEEFSEL_ASSIGN_OR_RETURN(std::string ppath, FindFile(dir, "projects"));
  WEEFSEL_ASSIGN_OR_RETURN(std::string apath, FindFile(dir, "participants"));
  WEEFSEL_ASSIGN_OR_RETURN(std::string ptext, ReadMaybeGzip(ppath));
  WEEFSEL_ASSIGN_OR_RETURN(std::string atext, ReadMaybeGzip(apath));
  WEEFSEL_ASSIGN_OR_RETURN(
      CsvTable pt, CsvTable::Parse(ppath, std::move(ptext), {"project_id", "title", "topic_title", "start_date"}));
  WEEFSEL_ASSIGN_OR_RETURN(CsvTable at,
                           CsvTable::Parse(apath, std::move(atext), {"project_id", "org_id", "activity_type", "role"}));
  CordisData d;
  std::unordered_map<std::string, int32_t> proj_index, org_index;
  for (const CsvRecord& r : pt.rows()) {
    const std::string& id = pt.Get(r, "project_id");
    if (id.empty()) return pt.Error(r, "project_id", "empty project id");
    const std::string& date = pt.Get(r, "start_date");
    if (!date.empty() && !IsIsoDate(date)) return pt.Error(r, "start_date", "not a YYYY-MM-DD date: '" + date + "'");
    if (!proj_index.emplace(id, static_cast<int32_t>(d.projects.size())).second)
      return pt.Error(r, "project_id", "duplicate project id " + id);
    CordisProject p;
    p.id = id;
    p.title = pt.Get(r, "title");
    p.topic_title = pt.Get(r, "topic_title");
    p.start_date = date;
    d.projects.push_back(std::move(p));
  }
  for (const CsvRecord& r : at.rows()) {
    auto pit = proj_index.find(at.Get(r, "project_id"));
    if (pit == proj_index.end()) return at.Error(r, "project_id", "unknown project '" + at.Get(r, "project_id") + "'");
    const std::string& org = at.Get(r, "org_id");
    if (org.empty()) return at.Error(r, "org_id", "empty organisation id");
    const std::string& role = at.Get(r, "role");
    if (role != "coordinator" && role != "participant" && role != "partner")
      return at.Error(r, "role", "expected coordinator, participant or partner, got '" + role + "'");
    auto emplaced = org_index.emplace(org, static_cast<int32_t>(d.orgs.size()));
    auto oit = emplaced.first;
    if (emplaced.second) {
      d.orgs.push_back(org);
      d.org_names.emplace_back();
    }
    if (at.Has("org_name") && d.org_names[oit->second].empty()) d.org_names[oit->second] = at.Get(r, "org_name");
    CordisProject& p = d.projects[pit->second];
    auto same = std::find_if(p.members.begin(), p.members.end(), [&](const auto& m) { return m.org == oit->second; });
    if (same != p.members.end()) {
      same->coordinator = same->coordinator || role == "coordinator";
      continue;
    }
    p.members.push_back({oit->second, at.Get(r, "activity_type"), at.Get(r, "country"), role == "coordinator"});
  }
  return d;
}

Result<CordisMetrics> EvaluateCordis(const CordisData& data, const CordisSplit& split, const CordisParams& params,
                                     const CordisRerank& rerank) {
  WEEFSEL_ASSIGN_OR_RETURN(std::vector<CordisMetrics> m, EvaluateCordisReranks(data, split, params, {rerank}));
  return m.front();
}

Result<std::vector<CordisMetrics>> EvaluateCordisReranks(const CordisData& data, const CordisSplit& split,
                                                         const CordisParams& params,
                                                         const std::vector<CordisRerank>& settings) {
  const Structure st{params.top_projects, params.sim_power, params.size_power, params.coord_sim_power,
                     params.coord_size_power};
  int years = 0, max_k = 0;
  for (const CordisRerank& r : settings) {
    if (!r.enabled) continue;
    if (r.candidates < 1 || r.train_years < 1)
      return Status::InvalidArgument("second stage: candidates and train_years must be at least 1");
    years = std::max(years, r.train_years), max_k = std::max(max_k, r.candidates);
  }
  const int cut_year = static_cast<int>(ParseInt(split.cutoff.substr(0, 4)).value_or(0));
  if (years > 0 && cut_year - years < 2015)
    return Status::InvalidArgument("second stage: training year " + std::to_string(cut_year - years) +
                                   " starts before 2015 (no history before it); cutoff " + split.cutoff);
  WEEFSEL_ASSIGN_OR_RETURN(Prepared test, Prepare(data, split, st));
  // Training rows of each year before the cutoff (index 0: the year just before), at the largest
  // candidate count; a smaller one keeps the rows whose stage-1 rank (feature 20) is below it.
  std::vector<RankData> per_year(years);
  std::vector<std::string> year_log(years);
  for (int y = 0; y < years; ++y) {
    const int year = cut_year - 1 - y;
    CordisSplit ts{.cutoff = std::to_string(year) + "-01-01", .test_end = std::to_string(year + 1) + "-01-01"};
    WEEFSEL_ASSIGN_OR_RETURN(Prepared tr, Prepare(data, ts, st));
    per_year[y].n_features = kRankFeatures;
    double recall = 0;
    AppendTrainingRows(tr, params, static_cast<size_t>(max_k), per_year[y], &recall);
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << year << ": " << tr.queries.size() << " queries, stage-1 recall@"
       << max_k << " " << (tr.queries.empty() ? 0.0 : recall / static_cast<double>(tr.queries.size()));
    year_log[y] = os.str();
  }
  std::vector<CordisMetrics> out;
  for (const CordisRerank& r : settings) {
    if (!r.enabled) {
      out.push_back(Score(test, params));
      continue;
    }
    RankData train;
    train.n_features = kRankFeatures;
    std::vector<float> x, y, b;
    for (int yi = 0; yi < r.train_years; ++yi) {
      const RankData& d = per_year[yi];
      for (size_t q = 0; q < d.queries(); ++q) {
        x.clear();
        y.clear();
        b.clear();
        bool any = false;
        for (size_t row = d.query_begin[q]; row < d.query_begin[q + 1]; ++row) {
          const float* v = &d.x[row * kRankFeatures];
          if (v[kStage1Rank] >= static_cast<float>(r.candidates)) continue;
          x.insert(x.end(), v, v + kRankFeatures);
          y.push_back(d.label[row]);
          b.push_back(static_cast<float>(r.stage1_weight * v[kStage1Score]));
          any = any || d.label[row] > 0;
        }
        if (any) train.AddQuery(x, y, b);
      }
    }
    if (r.learner == CordisRerank::Learner::kXgboost) {
      if (r.stage1_weight != 0) return Status::InvalidArgument("second stage: XGBoost takes no stage1_weight");
      match::RankingSet set;
      for (int f = 0; f < kRankFeatures; ++f) set.feature_names.push_back("f" + std::to_string(f));
      set.rows = train.x;
      set.labels = train.label;
      for (size_t q = 0; q < train.queries(); ++q)
        set.group_sizes.push_back(static_cast<unsigned>(train.query_begin[q + 1] - train.query_begin[q]));
      WEEFSEL_ASSIGN_OR_RETURN(match::LearnedRanker xgb, match::LearnedRanker::Train(set, r.xgb));
      CordisMetrics m =
          Score(test, params, {.xgb = &xgb, .candidates = static_cast<size_t>(r.candidates), .blend = r.blend});
      std::ostringstream os;
      os << "second stage (xgboost " << r.xgb.objective << ", " << r.xgb.tree_method << "): " << train.queries()
         << " training queries, " << train.rows() << " rows, " << r.xgb.rounds << " rounds; years";
      for (int yi = 0; yi < r.train_years; ++yi) os << " | " << year_log[yi];
      m.ranker_log = os.str();
      out.push_back(std::move(m));
      continue;
    }
    WEEFSEL_ASSIGN_OR_RETURN(Ranker ranker, Ranker::Train(train, r.gbdt));
    CordisMetrics m = Score(test, params,
                            {.ranker = &ranker,
                             .candidates = static_cast<size_t>(r.candidates),
                             .stage1_weight = r.stage1_weight,
                             .blend = r.blend});
    std::ostringstream os;
    os << "second stage: " << train.queries() << " training queries, " << train.rows() << " rows, " << ranker.n_trees()
       << " trees; years";
    for (int yi = 0; yi < r.train_years; ++yi) os << " | " << year_log[yi];
    // The features the trees split on most (positions in AppendRankFeatures).
    std::vector<int> splits = ranker.SplitCounts();
    std::vector<int> by_use(splits.size());
    std::iota(by_use.begin(), by_use.end(), 0);
    std::stable_sort(by_use.begin(), by_use.end(), [&](int a, int b) { return splits[a] > splits[b]; });
    os << " | " << std::accumulate(splits.begin(), splits.end(), 0) << " splits, most on (feature:splits)";
    for (size_t i = 0; i < std::min<size_t>(8, by_use.size()); ++i) os << " " << by_use[i] << ":" << splits[by_use[i]];
    m.ranker_log = os.str();
    out.push_back(std::move(m));
  }
  return out;
}

namespace {

Structure StructureOf(const CordisParams& p) {
  return {p.top_projects, p.sim_power, p.size_power, p.coord_sim_power, p.coord_size_power};
}

// Metrics of several splits pooled as if they were one (each scored project counts once).
CordisMetrics ScorePooled(const std::vector<Prepared>& prs, const CordisParams& w) {
  CordisMetrics out;
  for (const Prepared& pr : prs) {
    CordisMetrics m = Score(pr, w);
    const double k = m.n_scored;
    out.n_test += m.n_test;
    out.n_scored += m.n_scored;
    out.recall10 += k * m.recall10, out.recall50 += k * m.recall50, out.mrr += k * m.mrr;
    out.recall10_all += k * m.recall10_all, out.recall50_all += k * m.recall50_all;
    out.mix3 += k * m.mix3, out.helix4 += k * m.helix4;
    out.real_mix3 += k * m.real_mix3, out.real_helix4 += k * m.real_helix4;
  }
  if (out.n_scored > 0) {
    const double k = out.n_scored;
    out.recall10 /= k, out.recall50 /= k, out.recall10_all /= k, out.recall50_all /= k, out.mrr /= k;
    out.mix3 /= k, out.helix4 /= k, out.real_mix3 /= k, out.real_helix4 /= k;
  }
  return out;
}

}  // namespace

std::string FormatParams(const CordisParams& p) {
  std::ostringstream os;
  os << "top=" << p.top_projects << " simp=" << p.sim_power << " sizep=" << p.size_power << " text=" << p.w_text
     << " text_near=" << p.w_text_near << " coord=" << p.w_coord << " coord_text=" << p.w_coord_text
     << " coord_recent=" << p.w_coord_recent << " coord_led=" << p.w_coord_led << " two_hop=" << p.w_two_hop
     << " pop=" << p.w_pop << " recent=" << p.w_recent << " country=" << p.w_country;
  return os.str();
}

std::vector<CordisSplit> ValidationYears(int years) {
  std::vector<CordisSplit> out;
  for (int y = 2018; y > 2018 - years && y >= 2015; --y)
    out.push_back({.cutoff = std::to_string(y) + "-01-01", .test_end = std::to_string(y + 1) + "-01-01"});
  return out;
}

Result<TuneReport> TuneCordis(const CordisData& data, const std::vector<CordisSplit>& validations,
                              const CordisParams& start, const TuneOptions& options) {
  if (validations.empty()) return Status::InvalidArgument("TuneCordis: no validation split");
  for (const CordisSplit& v : validations)
    if (v.test_end.empty() || v.test_end > "2019-01-01")
      return Status::InvalidArgument("TuneCordis: validation split from " + v.cutoff + " to '" + v.test_end +
                                     "' reaches into the test years (it must end by 2019-01-01)");
  TuneReport rep;
  rep.best = start;
  const double wr = options.recall_weight;
  auto objective = [wr](const CordisMetrics& m) { return m.mix3 >= 0.70 ? wr * m.recall10 + m.mrr : -1 + m.mix3; };
  double best_obj = -10;
  std::ostringstream log;
  auto note = [&](const char* what) {
    log << std::fixed << std::setprecision(4) << what << ": r10=" << rep.best_metrics.recall10
        << " mrr=" << rep.best_metrics.mrr << " mix3=" << rep.best_metrics.mix3 << " | " << FormatParams(rep.best)
        << "\n";
  };
  // Weights: coordinate search with multiplicative and additive steps, on the prepared splits.
  auto tune_weights = [&](const std::vector<Prepared>& prs) {
    CordisParams& b = rep.best;
    double* ws[] = {&b.w_coord_led, &b.w_text_near,    &b.w_text, &b.w_coord,  &b.w_coord_text,
                    &b.w_two_hop,   &b.w_coord_recent, &b.w_pop,  &b.w_recent, &b.w_country};
    for (int pass = 0; pass < options.passes; ++pass) {
      bool improved = false;
      for (double* wp : ws) {
        double orig = *wp, best_v = orig;
        for (double v : {0.0, orig * 0.5, orig * 0.75, orig * 1.5, orig * 2, orig + 0.1, orig + 0.3}) {
          *wp = v;
          CordisMetrics mm = ScorePooled(prs, rep.best);
          ++rep.tried;
          if (objective(mm) > best_obj + 1e-6) {
            best_obj = objective(mm), best_v = v, rep.best_metrics = mm, improved = true;
            *wp = v;
            note("weight");
          }
          *wp = best_v;
        }
      }
      if (!improved) break;
    }
  };
  // Structure: the start's settings of the text votes, and with tune_structure a few others, each
  // followed by a weight search.
  struct S {
    int top;
    double simp, sizep;
  };
  std::vector<S> structures = {{start.top_projects, start.sim_power, start.size_power}};
  if (options.tune_structure) structures.insert(structures.end(), {{50, 2, 0.5}, {150, 3, 0.5}, {300, 2, 0}});
  CordisParams best_overall = rep.best;
  double best_overall_obj = -10;
  CordisMetrics best_overall_m;
  for (const S& s : structures) {
    CordisParams p = best_overall;
    p.top_projects = s.top, p.sim_power = s.simp, p.size_power = s.sizep;
    std::vector<Prepared> prs;
    for (const CordisSplit& v : validations) {
      WEEFSEL_ASSIGN_OR_RETURN(Prepared pr, Prepare(data, v, StructureOf(p)));
      prs.push_back(std::move(pr));
    }
    rep.best = p;
    rep.best_metrics = ScorePooled(prs, rep.best);
    best_obj = objective(rep.best_metrics);
    ++rep.tried;
    note("structure");
    tune_weights(prs);
    if (best_obj > best_overall_obj)
      best_overall_obj = best_obj, best_overall = rep.best, best_overall_m = rep.best_metrics;
  }
  rep.best = best_overall;
  rep.best_metrics = best_overall_m;
  rep.log = log.str();
  return rep;
}

void PrintMetrics(std::ostream& os, const CordisMetrics& m) {
  os << std::fixed << std::setprecision(3);
  os << "| method | recall@10 | recall@50 | MRR | team mix3 | team helix4 |\n|---|---|---|---|---|---|\n";
  os << "| weefsel | " << m.recall10 << " | " << m.recall50 << " | " << m.mrr << " | " << std::setprecision(2) << m.mix3
     << " | " << m.helix4 << " |\n";
  os << std::setprecision(3);
  os << "test projects " << m.n_test << ", scored " << m.n_scored << "; recall@10_all " << m.recall10_all
     << ", recall@50_all " << m.recall50_all << "; real consortia mix3 " << std::setprecision(2) << m.real_mix3
     << ", helix4 " << m.real_helix4 << "\n";
}

bool Mix3(const std::vector<std::string>& types) {
  std::unordered_set<std::string> s(types.begin(), types.end());
  s.erase("");
  return s.size() >= 3;
}
bool Helix4(const std::vector<std::string>& types) {
  std::unordered_set<std::string> s(types.begin(), types.end());
  return (s.count("HES") || s.count("REC")) && s.count("PRC") && s.count("PUB") && s.count("OTH");
}

std::string MostFrequent(const std::map<std::string, int>& m) {
  std::string best;
  int n = -1;
  for (const auto& [k, v] : m)
    if (v > n) best = k, n = v;
  return best;
}

}  // namespace weefsel::eval
