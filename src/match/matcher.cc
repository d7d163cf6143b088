#include "match/matcher.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <map>
#include <mutex>
#include <numeric>
#include <sstream>
#include <unordered_set>
#include <utility>

#include "base/clock.h"
#include "base/csv.h"
#include "base/strings.h"
#include "domain/vocabulary.h"

namespace weefsel::match {
namespace {

// Share of a need's weight for an actor that names it only in its text (see Rank).
constexpr double kTextMentionShare = 0.5;
// The share of a query's ideal text score that the first pass of Rank may leave to its most common
// words (the actors close to the pool's edge get their exact score after).
constexpr double kTextSkipShare = 0.02;

enum Component {
  kText,
  kCapability,
  kTheme,
  kArea,
  kCloseness,
  kPartner,
  kRecord,
  kSimilar,
  kOwnerSimilar,
  kNearSimilar,
  kRecentPartner,
  kActive,
  kRecentSimilar,
  kPartners2,
  kKindFit,
  kWalk,
  kComponents
};
constexpr const char* kCodes[kComponents] = {
    "text",          "capability",   "theme",          "area",   "closeness",      "partner",   "record",   "similar",
    "owner_similar", "near_similar", "recent_partner", "active", "recent_similar", "partners2", "kind_fit", "walk"};
// The learned stage's features beyond the components: invitations accepted and declined.
enum HistoryFeature { kAccepted = kComponents, kDeclined, kFeatures };
// How many of the best-matching past works vote in the similar component.
constexpr size_t kSimilarWorks = 50;
// Past work loses half its weight in the recency components per this many years before the newest
// dated past work the matcher holds.
constexpr double kRecencyHalfLife = 2.0;
// partners2 walks from the owner's this many strongest ties (bounds the cost for an owner with
// thousands of partners).
constexpr size_t kPartners2Ties = 50;
// The walk (tenth session; its restart chance and owner's share are RankOptions): the residual per
// unit of tie strength below which a node is not pushed (the work is at most 1 / (kWalkEpsilon x
// the restart chance) units of tie strength, with ties of strength >= 1), the least restart chance
// (it bounds that work), and a cap on the pushes whatever the strengths.
constexpr double kWalkEpsilon = 1e-5;
constexpr double kWalkMinRestart = 0.05;
constexpr size_t kWalkMaxPushes = 200000;

// "2018-03-01" or "2018-03-01T09:00:00Z" -> 2018.16; NaN for anything else.
double YearOf(const std::string& date) {
  if (date.size() < 10 || date[4] != '-' || date[7] != '-') return std::nan("");
  auto y = ParseInt(date.substr(0, 4)), m = ParseInt(date.substr(5, 2)), d = ParseInt(date.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nan("");
  return static_cast<double>(*y) + static_cast<double>(*m - 1) / 12.0 + static_cast<double>(*d - 1) / 365.0;
}

std::string Shorten(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "...";
}

// Weighted label propagation (Raghavan et al. 2007): every node starts in its own group and, in a
// fixed seeded order, takes the label with the largest tie weight among its neighbours (ties to the
// smallest label); stops when a sweep changes nothing, after at most 20 sweeps. Linear per sweep.
std::vector<int> LabelPropagation(const fabric::Fabric& f) {
  const int n = f.node_count();
  std::vector<int> label(static_cast<size_t>(n));
  std::iota(label.begin(), label.end(), 0);
  std::vector<int> order(label);
  Rng rng(20261129);
  rng.Shuffle(order);
  std::vector<double> acc(static_cast<size_t>(n), 0.0);
  std::vector<int> seen;
  for (int sweep = 0; sweep < 20; ++sweep) {
    int changed = 0;
    for (int v : order) {
      seen.clear();
      for (const auto& nb : f.Neighbours(v)) {
        int l = label[static_cast<size_t>(nb.node)];
        if (acc[static_cast<size_t>(l)] == 0.0) seen.push_back(l);
        acc[static_cast<size_t>(l)] += nb.weight > 0 ? nb.weight : 1e-9;
      }
      if (seen.empty()) continue;
      int best = label[static_cast<size_t>(v)];
      double best_w = acc[static_cast<size_t>(best)];
      for (int l : seen) {
        double w = acc[static_cast<size_t>(l)];
        if (w > best_w + 1e-12 || (std::fabs(w - best_w) <= 1e-12 && l < best)) best = l, best_w = w;
      }
      for (int l : seen) acc[static_cast<size_t>(l)] = 0.0;
      if (best != label[static_cast<size_t>(v)]) label[static_cast<size_t>(v)] = best, ++changed;
    }
    if (changed == 0) break;
  }
  // Dense group numbers in order of first appearance.
  std::unordered_map<int, int> dense;
  for (int& l : label) l = dense.emplace(l, static_cast<int>(dense.size())).first->second;
  return label;
}

std::string Percent(double v) {
  std::ostringstream os;
  os << static_cast<int>(std::lround(v * 100)) << "%";
  return os.str();
}

}  // namespace

Result<Neighbours> Matcher::ReadNeighbours(const std::string& path,
                                           const std::vector<domain::Municipality>& municipalities) {
  WEEFSEL_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Read(path, {"gm_code_a", "gm_code_b"}));
  std::unordered_map<std::string, MunicipalityId> by_code;
  for (const auto& m : municipalities) by_code[m.cbs_code] = m.id;
  Neighbours out;
  for (const CsvRecord& r : t.rows()) {
    const std::string& a = t.Get(r, "gm_code_a");
    const std::string& b = t.Get(r, "gm_code_b");
    if (!domain::ValidateCbsCode(a).ok()) return t.Error(r, "gm_code_a", "not a CBS municipality code: '" + a + "'");
    if (!domain::ValidateCbsCode(b).ok()) return t.Error(r, "gm_code_b", "not a CBS municipality code: '" + b + "'");
    auto ia = by_code.find(a), ib = by_code.find(b);
    if (ia == by_code.end() || ib == by_code.end()) continue;  // municipalities we do not hold
    out[ia->second].insert(ib->second);
    out[ib->second].insert(ia->second);
  }
  return out;
}

std::vector<PastWork> PastWorkFromCoalitions(const domain::Challenge& challenge,
                                             const std::vector<domain::Coalition>& coalitions) {
  std::vector<PastWork> out;
  for (const auto& co : coalitions) {
    if (co.status != domain::CoalitionStatus::kFormed) continue;
    for (const auto& m : co.members)
      if (m.status == domain::MemberStatus::kAccepted)
        out.push_back({m.actor, challenge.title + " " + challenge.text, challenge.id, co.created_at});
  }
  return out;
}

std::vector<Outcome> OutcomesFromCoalitions(const std::vector<domain::Coalition>& coalitions) {
  std::vector<Outcome> out;
  for (const auto& co : coalitions)
    for (const auto& m : co.members)
      if (m.status == domain::MemberStatus::kAccepted || m.status == domain::MemberStatus::kDeclined)
        out.push_back({m.actor, co.challenge, m.status == domain::MemberStatus::kAccepted});
  return out;
}

const std::vector<std::string>& Matcher::FeatureNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names(kCodes, kCodes + kComponents);
    names.emplace_back("invitations_accepted");
    names.emplace_back("invitations_declined");
    return names;
  }();
  return kNames;
}

Result<Matcher> Matcher::Build(std::vector<domain::Actor> actors, const std::vector<domain::Tie>& ties,
                               const std::vector<PastWork>& past, Neighbours neighbours,
                               std::shared_ptr<const text::Analyzer> analyzer, const BuildOptions& options) {
  Matcher m;
  m.analyzer_ = analyzer ? std::move(analyzer) : std::make_shared<text::Analyzer>();
  m.actors_ = std::move(actors);
  // Room for actors added in place (Update) before a whole build, so that one does not copy them all.
  m.actors_.reserve(m.actors_.size() + m.actors_.size() / 8 + 16);
  m.index_.reserve(m.actors_.capacity());
  m.neighbours_ = std::move(neighbours);
  for (size_t i = 0; i < m.actors_.size(); ++i) {
    if (!m.actors_[i].id.valid())
      return Status::InvalidArgument("actor #" + std::to_string(i + 1) + " (" + m.actors_[i].name + ") has no id");
    if (!m.index_.emplace(m.actors_[i].id, i).second)
      return Status::InvalidArgument("actor id " + std::to_string(m.actors_[i].id.value()) + " appears twice");
  }
  std::vector<std::string> docs(m.actors_.size());
  // Per challenge, per actor: how many works (for OwnPast).
  std::map<std::pair<ChallengeId, size_t>, int> tied;
  m.record_.assign(m.actors_.size(), 0);
  m.past_of_.assign(m.actors_.size(), {});
  m.works_of_.assign(m.actors_.size(), {});
  std::unordered_map<ChallengeId, int32_t> work_of_challenge;
  std::vector<std::string> work_text;
  for (const PastWork& w : past) {
    auto it = m.index_.find(w.actor);
    if (it == m.index_.end())
      return Status::InvalidArgument("past work names unknown actor " + std::to_string(w.actor.value()));
    docs[it->second] += " " + w.text;
    m.past_of_[it->second].emplace_back(w.challenge, w.text);
    m.max_record_ = std::max(m.max_record_, ++m.record_[it->second]);
    if (w.challenge.valid()) ++tied[{w.challenge, it->second}];
    // One document per challenge (its text as first seen); work without a challenge stands alone.
    int32_t work = -1;
    if (w.challenge.valid()) {
      auto [wit, fresh] = work_of_challenge.emplace(w.challenge, static_cast<int32_t>(work_text.size()));
      work = wit->second;
      if (!fresh) {
        // Several formed coalitions for one challenge: the work is as recent as the latest.
        if (double y = YearOf(w.date); !std::isnan(y)) {
          double& held = m.work_year_[static_cast<size_t>(work)];
          if (std::isnan(held) || y > held) held = y;
        }
        auto& mem = m.work_members_[static_cast<size_t>(work)];
        if (std::find(mem.begin(), mem.end(), it->second) == mem.end()) {
          mem.push_back(it->second);
          m.works_of_[it->second].push_back(work);
        }
        continue;
      }
    } else {
      work = static_cast<int32_t>(work_text.size());
    }
    work_text.push_back(w.text);
    m.work_year_.push_back(YearOf(w.date));
    m.work_challenge_.push_back(w.challenge);
    m.work_members_.push_back({it->second});
    m.works_of_[it->second].push_back(work);
  }
  m.work_title_.reserve(work_text.size());
  for (const std::string& t : work_text) {
    m.work_index_.Add(m.analyzer_->Analyze(t));
    m.work_title_.push_back(Shorten(std::string(Trim(t)), 80));
  }
  m.work_index_.Finalize();
  m.work_of_challenge_ = std::move(work_of_challenge);
  {
    double newest = -1e300;
    for (double y : m.work_year_)
      if (!std::isnan(y)) newest = std::max(newest, y);
    m.work_recency_.assign(m.work_year_.size(), 0.f);
    for (size_t k = 0; k < m.work_year_.size(); ++k)
      if (!std::isnan(m.work_year_[k]))
        m.work_recency_[k] = static_cast<float>(std::exp2(-(newest - m.work_year_[k]) / kRecencyHalfLife));
    m.activity_.assign(m.actors_.size(), 0.f);
    for (size_t i = 0; i < m.actors_.size(); ++i) {
      for (int32_t w : m.works_of_[i]) m.activity_[i] += m.work_recency_[static_cast<size_t>(w)];
      m.max_activity_ = std::max(m.max_activity_, m.activity_[i]);
    }
  }
  m.kind_.reserve(m.actors_.capacity());
  for (size_t i = 0; i < m.actors_.size(); ++i) {
    const domain::Actor& a = m.actors_[i];
    m.kind_.push_back(static_cast<uint8_t>(a.kind));
    for (const auto& th : a.themes) m.by_theme_[th].push_back(i);
    for (const auto& c : a.capabilities) {
      std::string tag = domain::NormalizeCapability(c);
      if (!tag.empty()) m.by_capability_[tag].push_back(i);
    }
    if (a.municipality.valid()) m.by_municipality_[a.municipality].push_back(i);
    m.text_index_.Add(m.analyzer_->Analyze(m.DocOf(i, ChallengeId())));
  }
  for (const auto& [key, works] : tied) m.own_past_[key.first].push_back({key.second, works});
  m.outcomes_of_.assign(m.actors_.size(), {});
  for (const Outcome& o : options.outcomes)
    if (auto it = m.index_.find(o.actor); it != m.index_.end()) {
      m.outcomes_of_[it->second].emplace_back(o.challenge, o.accepted);
      m.outcome_holders_[o.challenge].push_back(it->second);
    }
  m.text_index_.Finalize();
  WEEFSEL_ASSIGN_OR_RETURN(m.edges_, m.EdgesOf(ties));
  WEEFSEL_RETURN_IF_ERROR(m.RebuildFabric());
  m.community_.assign(m.actors_.size(), -1);
  if (!options.communities.empty()) {
    for (size_t i = 0; i < m.actors_.size(); ++i)
      if (auto it = options.communities.find(m.actors_[i].id); it != options.communities.end())
        m.community_[i] = it->second;
  } else if (m.fabric_->edge_count() > 0) {
    std::vector<int> membership;
    if (options.grouping == Grouping::kLeiden) {
      WEEFSEL_ASSIGN_OR_RETURN(fabric::Partition p, fabric::FindCommunities(*m.fabric_, {.runs = 3}));
      membership = std::move(p.membership);
    } else {
      membership = LabelPropagation(*m.fabric_);
    }
    for (size_t i = 0; i < m.actors_.size(); ++i)
      if (m.node_of_[i] >= 0) m.community_[i] = membership[static_cast<size_t>(m.node_of_[i])];
  }
  return m;
}

Result<std::vector<Matcher::TieEdge>> Matcher::EdgesOf(const std::vector<domain::Tie>& ties) const {
  std::vector<TieEdge> out;
  out.reserve(ties.size());
  for (size_t k = 0; k < ties.size(); ++k) {
    const domain::Tie& t = ties[k];
    std::string where = "ties[" + std::to_string(k) + "]";
    if (t.a == t.b)
      return Status::InvalidArgument(where + ": tie joins actor " + std::to_string(t.a.value()) + " to itself");
    if (!(t.weight > 0) || !std::isfinite(t.weight)) return Status::InvalidArgument(where + ".weight: must be > 0");
    auto ia = index_.find(t.a), ib = index_.find(t.b);
    if (ia == index_.end()) return Status::InvalidArgument(where + ".a: unknown actor " + std::to_string(t.a.value()));
    if (ib == index_.end()) return Status::InvalidArgument(where + ".b: unknown actor " + std::to_string(t.b.value()));
    if (!t.until.empty()) continue;  // ended: not in the fabric (as fabric::Fabric::FromDomain)
    out.push_back({t.id, static_cast<int>(ia->second), static_cast<int>(ib->second), t.weight});
  }
  return out;
}

Status Matcher::RebuildFabric() {
  std::vector<fabric::NodeInfo> nodes(actors_.size());
  for (size_t i = 0; i < actors_.size(); ++i) nodes[i].external_id = actors_[i].id.value();
  std::vector<fabric::Edge> edges;
  edges.reserve(edges_.size());
  for (const TieEdge& e : edges_) edges.push_back({e.a, e.b, e.weight});
  WEEFSEL_ASSIGN_OR_RETURN(fabric::Fabric f, fabric::Fabric::FromEdges(std::move(nodes), edges, true));
  fabric_ = std::make_shared<fabric::Fabric>(std::move(f));
  node_of_.resize(actors_.size());
  std::iota(node_of_.begin(), node_of_.end(), 0);  // node i is actor i
  return Status::Ok();
}

namespace {

// Sorted index lists (Build fills them in actor order): take `i` out of, or put it into, the list.
void EraseSorted(std::vector<size_t>& list, size_t i) {
  auto [lo, hi] = std::equal_range(list.begin(), list.end(), i);
  list.erase(lo, hi);
}
void InsertSorted(std::vector<size_t>& list, size_t i) {
  list.insert(std::upper_bound(list.begin(), list.end(), i), i);
}

}  // namespace

Status Matcher::Update(const MatcherChanges& changes) {
  if (changes.empty()) return Status::Ok();
  // One Update at a time. Only Update writes the matcher, so what it reads before taking the lock
  // cannot change under it: the ties' part (the fabric with the new edges, made on a copy) is
  // prepared while the rankings go on, and the rankings wait only while the result is swapped in
  // (under a stream of new ties the rankings were held for the whole change of the fabric).
  std::lock_guard updating(lock_.update);
  // Check everything first: an Update that fails changes nothing.
  std::unordered_map<ActorId, size_t> fresh_index;  // the new actors, and where they will go
  for (size_t k = 0; k < changes.actors.size(); ++k) {
    const domain::Actor& a = changes.actors[k];
    if (!a.id.valid()) return Status::InvalidArgument("actors[" + std::to_string(k) + "] (" + a.name + ") has no id");
    if (!index_.count(a.id) && !fresh_index.emplace(a.id, actors_.size() + fresh_index.size()).second)
      return Status::InvalidArgument("actor id " + std::to_string(a.id.value()) + " appears twice");
  }
  for (size_t k = 0; k < changes.ties_added.size(); ++k) {
    const domain::Tie& t = changes.ties_added[k];
    for (ActorId end : {t.a, t.b})
      if (!index_.count(end) && !fresh_index.count(end))
        return Status::InvalidArgument("ties_added[" + std::to_string(k) + "]: unknown actor " +
                                       std::to_string(end.value()));
    if (t.a == t.b || !(t.weight > 0) || !std::isfinite(t.weight))
      return Status::InvalidArgument("ties_added[" + std::to_string(k) +
                                     "]: a tie of an actor to itself or with a weight that is not > 0");
  }
  auto index_of = [&](ActorId id) {
    auto it = index_.find(id);
    return it != index_.end() ? it->second : fresh_index.at(id);
  };
  // Ties: what leaves and enters the matcher's own list, and the fabric with it (groups kept).
  std::unordered_set<TieId> gone(changes.ties_removed.begin(), changes.ties_removed.end());
  std::vector<fabric::Edge> added, removed;
  if (!gone.empty())
    for (const TieEdge& e : edges_)
      if (e.id.valid() && gone.count(e.id)) removed.push_back({e.a, e.b, e.weight});
  // Ties already in (a change seen twice): one pass over the list for all of them, not one per tie
  // (up to 1,000 changes between whole builds against a million ties).
  std::unordered_set<TieId> present;
  if (!changes.ties_added.empty()) {
    std::vector<TieId> asked;  // sorted: a comparison or two per tie of the list, no hashing
    for (const domain::Tie& t : changes.ties_added)
      if (t.id.valid()) asked.push_back(t.id);
    std::sort(asked.begin(), asked.end());
    for (const TieEdge& e : edges_)
      if (std::binary_search(asked.begin(), asked.end(), e.id) && !gone.count(e.id)) present.insert(e.id);
  }
  std::vector<TieEdge> entering;
  for (const domain::Tie& t : changes.ties_added) {
    if (!t.until.empty()) continue;                              // ended: not in the fabric
    if (t.id.valid() && !present.insert(t.id).second) continue;  // already in, or twice in this change
    entering.push_back({t.id, static_cast<int>(index_of(t.a)), static_cast<int>(index_of(t.b)), t.weight});
    added.push_back({entering.back().a, entering.back().b, t.weight});
  }
  // The fabric's new arrays, made while the rankings go on (with new actors, whose nodes the
  // fabric gets first, the ties are changed under the lock instead: an actor added is rare).
  fabric::Fabric::EdgeChange edge_change;
  const bool ties_changed = !added.empty() || !removed.empty();
  if (ties_changed && fresh_index.empty()) {
    WEEFSEL_ASSIGN_OR_RETURN(edge_change, fabric_->PrepareEdges(added, removed));
  }
  std::unique_lock lock(lock_.mu);
  // New actors are nodes of the fabric (isolated until a tie comes), as in a whole build: checked
  // before anything changes.
  if (!fresh_index.empty()) {
    std::vector<fabric::NodeInfo> nodes(fresh_index.size());
    for (const auto& [id, i] : fresh_index) nodes[i - actors_.size()].external_id = id.value();
    WEEFSEL_RETURN_IF_ERROR(fabric_->AddNodes(nodes));
    if (ties_changed) {
      auto prepared = fabric_->PrepareEdges(added, removed);
      if (!prepared.ok()) {
        // Nothing else has changed: the nodes go again (a fabric with a failed change is not served).
        WEEFSEL_RETURN_IF_ERROR(RebuildFabric());
        return prepared.status();
      }
      edge_change = std::move(prepared).value();
    }
  }
  // Actors: edited in place (same index), new ones appended.
  auto index_lists = [&](size_t i, bool add) {
    const domain::Actor& a = actors_[i];
    auto apply = [&](std::vector<size_t>& list) { add ? InsertSorted(list, i) : EraseSorted(list, i); };
    for (const auto& th : a.themes) apply(by_theme_[th]);
    for (const auto& c : a.capabilities)
      if (std::string tag = domain::NormalizeCapability(c); !tag.empty()) apply(by_capability_[tag]);
    if (a.municipality.valid()) apply(by_municipality_[a.municipality]);
  };
  for (const domain::Actor& a : changes.actors) {
    if (auto it = index_.find(a.id); it != index_.end()) {
      const size_t i = it->second;
      std::vector<std::string> old_terms = analyzer_->Analyze(DocOf(i, ChallengeId()));
      index_lists(i, false);
      actors_[i] = a;
      kind_[i] = static_cast<uint8_t>(a.kind);
      index_lists(i, true);
      text_index_.Replace(static_cast<int32_t>(i), old_terms, analyzer_->Analyze(DocOf(i, ChallengeId())));
    } else {
      const size_t i = actors_.size();
      actors_.push_back(a);
      index_.emplace(a.id, i);
      record_.push_back(0);
      activity_.push_back(0.f);
      kind_.push_back(static_cast<uint8_t>(a.kind));
      past_of_.emplace_back();
      works_of_.emplace_back();
      outcomes_of_.emplace_back();
      node_of_.push_back(-1);
      community_.push_back(-1);
      index_lists(i, true);
      text_index_.Add(analyzer_->Analyze(DocOf(i, ChallengeId())));
    }
  }
  if (!changes.actors.empty()) text_index_.Finalize();
  if (!gone.empty()) std::erase_if(edges_, [&](const TieEdge& e) { return e.id.valid() && gone.count(e.id); });
  edges_.insert(edges_.end(), entering.begin(), entering.end());
  if (ties_changed) fabric_->Apply(edge_change);  // swaps the arrays made above (the old ones freed after the lock)
  if (!fresh_index.empty()) {
    node_of_.resize(actors_.size());
    std::iota(node_of_.begin(), node_of_.end(), 0);  // node i is actor i
  }
  // Outcomes: each challenge's replace what the matcher had for it (only the actors that hold
  // some of that challenge's are visited).
  for (const auto& [challenge_id, list] : changes.outcomes) {
    const ChallengeId challenge = challenge_id;  // a structured binding cannot be captured before C++20 in clang 14
    auto& holders = outcome_holders_[challenge];
    for (size_t i : holders) std::erase_if(outcomes_of_[i], [&](const auto& o) { return o.first == challenge; });
    holders.clear();
    for (const Outcome& o : list)
      if (auto it = index_.find(o.actor); it != index_.end()) {
        outcomes_of_[it->second].emplace_back(o.challenge, o.accepted);
        holders.push_back(it->second);
      }
    if (holders.empty()) outcome_holders_.erase(challenge);
  }
  return Status::Ok();
}

std::vector<PastWork> Matcher::PastWorkFor(ChallengeId challenge) const {
  std::shared_lock lock(lock_.mu);
  std::vector<PastWork> out;
  auto own = own_past_.find(challenge);
  if (own == own_past_.end()) return out;
  for (const OwnPast& o : own->second)
    for (const auto& [c, text] : past_of_[o.actor])
      if (c == challenge) out.push_back({actors_[o.actor].id, text, c});
  std::sort(out.begin(), out.end(), [](const PastWork& a, const PastWork& b) {
    return a.actor != b.actor ? a.actor < b.actor : a.text < b.text;
  });
  return out;
}

std::string Matcher::DocOf(size_t i, ChallengeId without) const {
  const domain::Actor& a = actors_[i];
  std::string doc = a.name + " " + a.description;
  for (const auto& [challenge, text] : past_of_[i])
    if (!without.valid() || challenge != without) doc += " " + text;
  for (const auto& th : a.themes)
    if (const domain::Theme* t = domain::FindTheme(th)) doc += " " + std::string(t->nl) + " " + std::string(t->en);
  for (const auto& c : a.capabilities) {
    std::string words = domain::NormalizeCapability(c);
    std::replace(words.begin(), words.end(), '-', ' ');
    doc += " " + words;
  }
  return doc;
}

std::optional<size_t> Matcher::IndexOf(ActorId id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Match>> Matcher::Rank(const domain::Challenge& ch, const RankOptions& options) const {
  std::shared_lock lock(lock_.mu);
  return RankLocked(ch, options);
}

Result<std::vector<Match>> Matcher::RankLocked(const domain::Challenge& ch, const RankOptions& options) const {
  text::Language lang = text::ParseLanguage(ch.language).ok() ? *text::ParseLanguage(ch.language)
                                                              : text::DetectLanguage(ch.title + " " + ch.text);
  std::vector<std::string> terms = analyzer_->Analyze(ch.title + " " + ch.text, lang);
  if (terms.empty() && ch.capabilities.empty() && ch.themes.empty())
    return Status::InvalidArgument(
        "challenge: nothing to match on: the title and text have no searchable words, and no capabilities or themes "
        "are given");
  if (options.limit < 1)
    return Status::InvalidArgument("limit must be at least 1, got " + std::to_string(options.limit));
  std::optional<size_t> owner;
  if (ch.owner.valid()) {
    owner = IndexOf(ch.owner);
    if (!owner)
      return Status::InvalidArgument("challenge owner " + std::to_string(ch.owner.value()) + " is not among the " +
                                     std::to_string(actors_.size()) + " actors");
  }
  const MatchWeights& w = options.weights;
  const double wt[kComponents] = {
      w.text,          w.capability,   w.theme,          w.area,   w.closeness,      w.partner,   w.record,   w.similar,
      w.owner_similar, w.near_similar, w.recent_partner, w.active, w.recent_similar, w.partners2, w.kind_fit, w.walk};
  // A component at weight 0 adds nothing to a linear score: it is computed only when a learned
  // stage reads it as a feature, or a caller collecting training rows asks for every feature. Only
  // the ones that cost something apart are skipped; each adds no candidates that others do not
  // reach, so the list is the same either way (Matcher.SkippingWeightZeroComponentsChangesNoRanking).
  const bool every_feature = options.learned != nullptr || options.all_features;
  const bool need_near = every_feature || wt[kNearSimilar] != 0;
  const bool need_recent_similar = every_feature || wt[kRecentSimilar] != 0;
  const bool need_partners2 = every_feature || wt[kPartners2] != 0;
  const bool need_kind_fit = every_feature || wt[kKindFit] != 0;
  const bool need_walk = every_feature || wt[kWalk] != 0;

  thread_local std::vector<std::array<float, kComponents>> comp;
  thread_local std::vector<char> touched_flag;
  thread_local std::vector<size_t> touched;
  // All zero between rankings: each clears what it touched as it leaves (however it leaves), so a
  // ranking that reaches 100,000 of 250,000 actors does not first write 10 MB of zeros.
  if (comp.size() != actors_.size()) {
    comp.assign(actors_.size(), {});
    touched_flag.assign(actors_.size(), 0);
  }
  touched.clear();
  struct ClearTouched {
    ~ClearTouched() {
      for (size_t i : touched) comp[i] = {}, touched_flag[i] = 0;
      touched.clear();
    }
  } clear_touched;
  auto at = [&](size_t i) -> std::array<float, kComponents>& {
    if (!touched_flag[i]) touched_flag[i] = 1, touched.push_back(i);
    return comp[i];
  };
  // Text, on an absolute scale: BM25 over the query's ideal score, the sum of the IDF of its
  // distinct terms (a term no actor uses counts at the highest possible IDF). An actor whose text
  // holds every query term once, at average length, scores about 1; a hit on one common word of a
  // long challenge stays small even when nobody does better.
  // Past work for this very challenge is no evidence for it: its members' text is scored without
  // it, and it does not count in the IDF of the query's terms either (their past work would make
  // the challenge's own words look common).
  text::TermIndex::Replacements without_own;
  if (auto own = own_past_.find(ch.id); own != own_past_.end() && ch.id.valid())
    for (const OwnPast& o : own->second)
      without_own.emplace_back(static_cast<int32_t>(o.actor), analyzer_->Analyze(DocOf(o.actor, ch.id)));
  // The query's most common words (held by an eighth of the actors or more) are left out of this
  // first pass while their bounds add up to at most kTextSkipShare of the ideal score: on the
  // national demo a challenge's words reach nearly every one of 250,000 actors through a few words
  // that everyone uses, and these add next to nothing. The best candidates get their exact text
  // score below (text_skipped: the bound of what was left out), and the ranking is the same as with
  // every word scored (MatcherTest.PruningLeavesTheRankingAsItWas).
  const text::TermIndex::Query text_query = text_index_.Prepare(terms, without_own);
  double ideal = 0, text_skipped = 0;
  {
    // The ideal: the IDF of each distinct word of the query, the highest possible for a word no
    // actor uses.
    const double n_docs = static_cast<double>(text_index_.size());
    const double max_idf = std::log(1.0 + (n_docs + 0.5) / 0.5);
    ideal = static_cast<double>(text_query.unknown) * max_idf;
    for (const auto& t : text_query.terms) ideal += t.idf;
    const bool prune =
        options.prune && ideal > 0 && std::all_of(std::begin(wt), std::end(wt), [](double x) { return x >= 0; });
    auto text_scores = text_index_.ScoreSelective(text_query, prune ? kTextSkipShare * ideal : 0,
                                                  std::max<size_t>(1, text_index_.size() / 8), &text_skipped);
    if (ideal > 0)
      for (auto [doc, s] : text_scores)
        at(static_cast<size_t>(doc))[kText] = static_cast<float>(std::min(1.0, s / ideal));
  }
  // Past work like this challenge (research pipeline's text votes): the best-matching kSimilarWorks
  // past works vote for their members, (bm25 / best)^2 / sqrt(members - 1); and every past work of
  // the owner votes so for its other members (owner_similar). Work for this very challenge is left
  // out. Each component is divided by the best actor's sum.
  struct WorkVotes {
    int works = 0;      // votes received
    int32_t best = -1;  // the best-matching work among them
  };
  thread_local std::unordered_map<size_t, WorkVotes> similar_of, owner_similar_of, near_similar_of, recent_similar_of;
  similar_of.clear();
  owner_similar_of.clear();
  near_similar_of.clear();
  recent_similar_of.clear();
  // kind_fit: the share of the most similar past works' votes that went to each kind of
  // organisation (the owner's left out), and the largest share.
  std::array<double, domain::kActorKindCount> kind_votes{};
  double kind_votes_total = 0, kind_votes_max = 0;
  // near_similar, recent_similar and kind_fit at weight 0 only when every feature is asked for
  // (need_... above).
  if (work_index_.size() > 0 && !terms.empty()) {
    // The challenge's own past work neither votes nor counts in the IDF of its words: scored as if
    // that document had no words.
    text::TermIndex::Replacements own_work;
    if (ch.id.valid())
      if (auto it = work_of_challenge_.find(ch.id); it != work_of_challenge_.end())
        own_work.emplace_back(it->second, std::vector<std::string>{});
    auto works = work_index_.Score(terms, own_work);
    if (ch.id.valid())
      std::erase_if(works, [&](const auto& e) { return work_challenge_[static_cast<size_t>(e.first)] == ch.id; });
    double best = 0;
    for (const auto& [doc, sc] : works) best = std::max(best, sc);
    if (best > 0) {
      auto by_score = [](const auto& a, const auto& b) {
        return a.second > b.second || (a.second == b.second && a.first < b.first);
      };
      auto vote = [&](int32_t work, double sc) {
        const size_t members = work_members_[static_cast<size_t>(work)].size();
        return std::pow(sc / best, 2.0) / std::sqrt(static_cast<double>(std::max<size_t>(1, members - 1)));
      };
      float max_similar = 0, max_owner = 0, max_near = 0, max_recent = 0;
      // Nearness to the owner (near_similar): 1 for the owner, 0.5 x log(1 + tie) / log(1 + the
      // owner's strongest tie) for its partners, 0 for the rest.
      thread_local std::unordered_map<size_t, float> near;
      near.clear();
      if (owner && need_near) {
        near[*owner] = 1.f;
        if (node_of_[*owner] >= 0) {
          double max_w = 1;
          for (const auto& nb : fabric_->Neighbours(node_of_[*owner])) max_w = std::max(max_w, nb.weight);
          for (const auto& nb : fabric_->Neighbours(node_of_[*owner]))
            if (auto ai = IndexOf(fabric_->ActorOf(nb.node)))
              near[*ai] = static_cast<float>(0.5 * std::log1p(std::max(0.0, nb.weight)) / std::log1p(max_w));
        }
      }
      {
        const size_t k = std::min(works.size(), kSimilarWorks);
        std::partial_sort(works.begin(), works.begin() + static_cast<ptrdiff_t>(k), works.end(), by_score);
        for (size_t r = 0; r < k; ++r) {
          const auto [work, sc] = works[r];
          const auto v = static_cast<float>(vote(work, sc));
          float close = 0;
          if (need_near)
            for (size_t i : work_members_[static_cast<size_t>(work)])
              if (auto n = near.find(i); n != near.end()) close = std::max(close, n->second);
          for (size_t i : work_members_[static_cast<size_t>(work)]) {
            if (owner && i == *owner) continue;
            max_similar = std::max(max_similar, at(i)[kSimilar] += v);
            WorkVotes& wv = similar_of[i];
            if (wv.works++ == 0) wv.best = work;
            if (need_kind_fit) {
              kind_votes[kind_[i]] += v;
              kind_votes_total += v;
            }
            if (const float rec = work_recency_[static_cast<size_t>(work)]; need_recent_similar && rec > 0) {
              max_recent = std::max(max_recent, at(i)[kRecentSimilar] += v * rec);
              WorkVotes& rv = recent_similar_of[i];
              if (rv.works++ == 0) rv.best = work;
            }
            if (close > 0) {
              max_near = std::max(max_near, at(i)[kNearSimilar] += v * close);
              WorkVotes& nv = near_similar_of[i];
              if (nv.works++ == 0) nv.best = work;
            }
          }
        }
      }
      if (owner) {
        thread_local std::unordered_map<int32_t, double> score_of;
        score_of.clear();
        for (const auto& [doc, sc] : works) score_of.emplace(doc, sc);
        for (int32_t work : works_of_[*owner]) {
          auto sc = score_of.find(work);
          if (sc == score_of.end()) continue;
          const auto v = static_cast<float>(vote(work, sc->second));
          for (size_t i : work_members_[static_cast<size_t>(work)]) {
            if (i == *owner) continue;
            max_owner = std::max(max_owner, at(i)[kOwnerSimilar] += v);
            WorkVotes& wv = owner_similar_of[i];
            ++wv.works;
            if (wv.best < 0 || sc->second > score_of[wv.best]) wv.best = work;
          }
        }
      }
      for (size_t i : touched) {
        if (max_similar > 0) comp[i][kSimilar] /= max_similar;
        if (max_owner > 0) comp[i][kOwnerSimilar] /= max_owner;
        if (max_near > 0) comp[i][kNearSimilar] /= max_near;
        if (max_recent > 0) comp[i][kRecentSimilar] /= max_recent;
      }
      for (double v : kind_votes) kind_votes_max = std::max(kind_votes_max, v);
    }
  }
  // Capabilities and themes.
  double total_weight = 0;
  std::vector<std::string> need_tags;
  for (const auto& need : ch.capabilities) {
    need_tags.push_back(domain::NormalizeCapability(need.capability));
    total_weight += need.weight;
  }
  for (size_t k = 0; k < need_tags.size(); ++k) {
    auto it = by_capability_.find(need_tags[k]);
    if (it == by_capability_.end() || total_weight <= 0) continue;
    for (size_t i : it->second) at(i)[kCapability] += static_cast<float>(ch.capabilities[k].weight / total_weight);
  }
  // A need that no actor lists as a capability (a word outside the vocabulary: "woningcorporatie",
  // "huisarts") is looked for in the actors' text: an actor whose text names it gets
  // kTextMentionShare of that need's weight, and its reason says "named in its text".
  thread_local std::unordered_map<size_t, std::vector<size_t>> named_in_text;
  named_in_text.clear();
  for (size_t k = 0; k < need_tags.size() && total_weight > 0; ++k) {
    if (need_tags[k].empty() || by_capability_.count(need_tags[k])) continue;
    std::vector<std::string> words;
    for (const auto& part : Split(need_tags[k], '-', true)) {
      std::string stem = analyzer_->Stem(part, lang);
      if (!stem.empty() && text_index_.Idf(stem, without_own) > 0) words.push_back(stem);
    }
    for (auto [doc, s] : text_index_.Score(words, without_own)) {
      if (s <= 0) continue;
      auto i = static_cast<size_t>(doc);
      at(i)[kCapability] += static_cast<float>(kTextMentionShare * ch.capabilities[k].weight / total_weight);
      named_in_text[i].push_back(k);
    }
  }
  for (const auto& th : ch.themes) {
    auto it = by_theme_.find(th);
    if (it == by_theme_.end()) continue;
    for (size_t i : it->second) at(i)[kTheme] += 1.0f / static_cast<float>(ch.themes.size());
  }
  // Area.
  if (ch.municipality.valid()) {
    if (auto it = by_municipality_.find(ch.municipality); it != by_municipality_.end())
      for (size_t i : it->second) at(i)[kArea] = 1.0f;
    if (auto nb = neighbours_.find(ch.municipality); nb != neighbours_.end())
      for (MunicipalityId m : nb->second)
        if (auto it = by_municipality_.find(m); it != by_municipality_.end())
          for (size_t i : it->second) at(i)[kArea] = std::max(at(i)[kArea], 0.5f);
  }
  // For the reasons of partners2 and recent_partner: through how many of the owner's partners, and
  // how many recent works with the owner (the latest of them).
  struct RecentWork {
    int works = 0;
    int32_t latest = -1;
  };
  thread_local std::unordered_map<size_t, int> partners2_via;
  thread_local std::unordered_map<size_t, RecentWork> recent_partner_of;
  partners2_via.clear();
  recent_partner_of.clear();
  // Closeness to the owner in the fabric, and direct partnership.
  std::vector<size_t> actor_of_node;
  if (owner && node_of_[*owner] >= 0) {
    int src = node_of_[*owner];
    std::vector<int> hops = fabric_->HopDistances(src, 3);
    double max_w = 0;
    for (const auto& nb : fabric_->Neighbours(src)) max_w = std::max(max_w, nb.weight);
    std::unordered_map<int, double> direct;
    for (const auto& nb : fabric_->Neighbours(src)) direct[nb.node] = nb.weight / max_w;
    for (size_t n = 0; n < hops.size(); ++n) {
      if (hops[n] <= 0) continue;
      ActorId a = fabric_->ActorOf(static_cast<int>(n));
      auto ai = IndexOf(a);
      if (!ai) continue;
      at(*ai)[kCloseness] = 1.0f / static_cast<float>(hops[n]);
      if (auto d = direct.find(static_cast<int>(n)); d != direct.end())
        at(*ai)[kPartner] = static_cast<float>(d->second);
    }
    // Partners of the owner's partners (resource allocation, Zhou et al. 2009, on the tie
    // strengths): the owner's strongest kPartners2Ties ties each pass on their share of the
    // owner's strength to the partner's own partners, in proportion to those ties. (Its actors
    // are within 2 hops of the owner, all reached by closeness above.)
    std::vector<fabric::Neighbour> first;
    if (need_partners2) first.assign(fabric_->Neighbours(src).begin(), fabric_->Neighbours(src).end());
    double s_owner = 0;
    for (const auto& nb : first) s_owner += nb.weight;
    const size_t keep = std::min(first.size(), kPartners2Ties);
    std::partial_sort(
        first.begin(), first.begin() + static_cast<ptrdiff_t>(keep), first.end(),
        [](const auto& a, const auto& b) { return a.weight > b.weight || (a.weight == b.weight && a.node < b.node); });
    float max_p2 = 0;
    std::vector<size_t> p2_touched;
    for (size_t k = 0; k < keep && s_owner > 0; ++k) {
      double s_j = 0;
      for (const auto& nb : fabric_->Neighbours(first[k].node)) s_j += nb.weight;
      if (s_j <= 0) continue;
      const double share = first[k].weight / s_owner;
      for (const auto& nb : fabric_->Neighbours(first[k].node)) {
        if (nb.node == src) continue;
        auto ai = IndexOf(fabric_->ActorOf(nb.node));
        if (!ai) continue;
        float& c = at(*ai)[kPartners2];
        if (c == 0) p2_touched.push_back(*ai);
        c += static_cast<float>(share * nb.weight / s_j);
        max_p2 = std::max(max_p2, c);
        ++partners2_via[*ai];
      }
    }
    if (max_p2 > 0)
      for (size_t i : p2_touched) comp[i][kPartners2] /= max_p2;
  }
  // The owner's recent partners: every past work of the owner (not for this challenge) votes for
  // its other members by its recency, 1 / sqrt(members - 1) as in similar; divided by the best's.
  if (owner) {
    float max_rp = 0;
    std::vector<size_t> rp_touched;
    for (int32_t work : works_of_[*owner]) {
      const auto wk = static_cast<size_t>(work);
      if (ch.id.valid() && work_challenge_[wk] == ch.id) continue;
      const float rec = work_recency_[wk];
      if (rec <= 0) continue;
      const size_t members = work_members_[wk].size();
      const auto v = static_cast<float>(rec / std::sqrt(static_cast<double>(std::max<size_t>(1, members - 1))));
      for (size_t i : work_members_[wk]) {
        if (i == *owner) continue;
        float& c = at(i)[kRecentPartner];
        if (c == 0) rp_touched.push_back(i);
        c += v;
        max_rp = std::max(max_rp, c);
        RecentWork& r = recent_partner_of[i];
        ++r.works;
        if (r.latest < 0 || work_year_[wk] > work_year_[static_cast<size_t>(r.latest)]) r.latest = work;
      }
    }
    if (max_rp > 0)
      for (size_t i : rp_touched) comp[i][kRecentPartner] /= max_rp;
  }
  // A random walk with restart (personalised PageRank) on the ties: it restarts at the owner
  // (RankOptions::walk_owner_share) and at the actors of the most similar past works (the rest, by
  // their similar votes), and at each step moves along a tie in proportion to its strength.
  // Approximated by pushes (Andersen, Chung and Lang 2006): a node whose residual exceeds
  // kWalkEpsilon times its strength keeps the restart chance of it and passes the rest on to its
  // partners. Only actors that
  // another component reached get the value (the walk adds no candidates: at weight 0 the list is
  // the same whether it is computed or not); divided by the best of them. Node n of the fabric is
  // actor n (RebuildFabric, Update).
  thread_local std::vector<int> walk_seeds;  // for the reasons: the nodes the walk restarts at, sorted
  walk_seeds.clear();
  if (need_walk && fabric_->edge_count() > 0) {
    const auto n_nodes = static_cast<size_t>(fabric_->node_count());
    thread_local std::vector<double> walk_p, walk_r;
    thread_local std::vector<char> walk_queued;
    thread_local std::vector<int> walk_seen, walk_queue;
    if (walk_p.size() != n_nodes) {
      walk_p.assign(n_nodes, 0.0);
      walk_r.assign(n_nodes, 0.0);
      walk_queued.assign(n_nodes, 0);
    }
    walk_seen.clear();
    walk_queue.clear();
    std::vector<std::pair<int, double>> restart;
    for (const auto& [i, votes] : similar_of)
      if (node_of_[i] >= 0 && comp[i][kSimilar] > 0) restart.emplace_back(node_of_[i], comp[i][kSimilar]);
    std::sort(restart.begin(), restart.end());  // a fixed order of sums and pushes, whatever the hash map's
    double similar_sum = 0;
    for (const auto& [node, mass] : restart) similar_sum += mass;
    const bool owner_in = owner && node_of_[*owner] >= 0;
    const double owner_share = std::clamp(options.walk_owner_share, 0.0, 1.0);
    const double restart_chance = std::clamp(options.walk_restart, kWalkMinRestart, 1.0);
    const double to_similar = similar_sum <= 0 ? 0 : owner_in ? 1 - owner_share : 1;
    for (auto& [node, mass] : restart) mass = mass / similar_sum * to_similar;
    if (owner_in && owner_share > 0) restart.emplace_back(node_of_[*owner], to_similar > 0 ? owner_share : 1.0);
    auto add = [&](int node, double mass) {
      const auto n = static_cast<size_t>(node);
      if (walk_r[n] == 0 && walk_p[n] == 0) walk_seen.push_back(node);
      walk_r[n] += mass;
      if (!walk_queued[n] && walk_r[n] > kWalkEpsilon * fabric_->Strength(node))
        walk_queued[n] = 1, walk_queue.push_back(node);
    };
    for (const auto& [node, mass] : restart) {
      add(node, mass);
      walk_seeds.push_back(node);
    }
    std::sort(walk_seeds.begin(), walk_seeds.end());
    walk_seeds.erase(std::unique(walk_seeds.begin(), walk_seeds.end()), walk_seeds.end());
    for (size_t head = 0; head < walk_queue.size() && head < kWalkMaxPushes; ++head) {
      const int u = walk_queue[head];
      const auto un = static_cast<size_t>(u);
      walk_queued[un] = 0;
      const double ru = walk_r[un], su = fabric_->Strength(u);
      walk_r[un] = 0;
      if (su <= 0) {  // no ties: the walk stays
        walk_p[un] += ru;
        continue;
      }
      walk_p[un] += restart_chance * ru;
      const double spread = (1 - restart_chance) * ru / su;
      for (const auto& nb : fabric_->Neighbours(u)) add(nb.node, spread * nb.weight);
    }
    // The time spent on an actor, divided by its strength to the power walk_degree_power (0: as
    // is; 1: per unit of tie strength, so that hubs are not first merely for their many ties).
    const double power = std::clamp(options.walk_degree_power, 0.0, 1.0);
    auto value = [&](size_t node) {
      const double st = fabric_->Strength(static_cast<int>(node));
      return power == 0 || st <= 0 ? walk_p[node] : walk_p[node] / std::pow(st, power);
    };
    double max_walk = 0;
    for (int node : walk_seen) {
      const auto i = static_cast<size_t>(node);
      if (i < actors_.size() && touched_flag[i] && !(owner && i == *owner)) max_walk = std::max(max_walk, value(i));
    }
    for (int node : walk_seen) {
      const auto i = static_cast<size_t>(node);
      if (max_walk > 0 && i < actors_.size() && touched_flag[i] && !(owner && i == *owner) && walk_p[i] > 0)
        comp[i][kWalk] = static_cast<float>(value(i) / max_walk);
    }
    for (int node : walk_seen) {
      const auto i = static_cast<size_t>(node);
      walk_p[i] = walk_r[i] = 0;
      walk_queued[i] = 0;
    }
  }
  // Record, and the total.
  struct Scored {
    size_t i;
    double score;
  };
  std::vector<Scored> scored;
  scored.reserve(touched.size());
  // Capability gate: with needs named, an actor holding none keeps a share of text and theme.
  const bool gated = total_weight > 0;
  const double gate = std::clamp(options.capability_gate, 0.0, 1.0);
  double w_plain[kComponents], w_gated[kComponents];
  for (int k = 0; k < kComponents; ++k) {
    w_plain[k] = wt[k];
    w_gated[k] = gated && (k == kText || k == kTheme) ? wt[k] * gate : wt[k];
  }
  // The capability gate: an actor holding none of the needs gets the gated weights.
  auto weights_of = [&](size_t i) -> const double* { return gated && comp[i][kCapability] <= 0 ? w_gated : w_plain; };
  const double log_max_record = max_record_ > 0 ? std::log1p(max_record_) : 0;
  const std::vector<OwnPast>* own_past = nullptr;
  if (auto own = own_past_.find(ch.id); own != own_past_.end() && ch.id.valid()) own_past = &own->second;
  auto record_of = [&](size_t i) {
    int r = record_[i];
    if (own_past)
      for (const OwnPast& o : *own_past)
        if (o.actor == i) r -= o.works;
    return r;
  };
  // The actor's recent activity without the challenge's own past work (no feedback loop).
  const int32_t own_work = [&] {
    if (!ch.id.valid()) return int32_t{-1};
    auto it = work_of_challenge_.find(ch.id);
    return it == work_of_challenge_.end() ? int32_t{-1} : it->second;
  }();
  // Per actor in the score below (100,000 actors): plain array reads, one logarithm for the active.
  const float log_max_activity = max_activity_ > 0 ? std::log1p(max_activity_) : 0.f;
  auto activity_of = [&](size_t i) {
    float a = activity_[i];
    if (own_work >= 0 && own_past && a > 0) {
      const auto& mem = work_members_[static_cast<size_t>(own_work)];
      if (std::find(mem.begin(), mem.end(), i) != mem.end()) a -= work_recency_[static_cast<size_t>(own_work)];
    }
    return std::max(0.f, a);
  };
  auto kind_share = [&](size_t i) { return kind_votes[kind_[i]]; };
  auto score_of = [&](size_t i) {
    std::array<float, kComponents>& c = comp[i];
    const int record = record_of(i);
    c[kRecord] = max_record_ > 0 && record != 0 ? static_cast<float>(std::log1p(record) / log_max_record) : 0.f;
    const float act = activity_of(i);
    c[kActive] = log_max_activity > 0 && act > 0 ? static_cast<float>(std::log1p(act) / log_max_activity) : 0.f;
    c[kKindFit] = kind_votes_max > 0 ? static_cast<float>(kind_share(i) / kind_votes_max) : 0.f;
    const double* w = weights_of(i);
    double s = 0;
    for (int k = 0; k < kComponents; ++k) s += w[k] * c[k];
    return s;
  };
  // In index order, not in the order they were touched: the memory is read front to back (with
  // 250,000 actors the scores are 10 MB), and the sort below is a total order, so the ranking is
  // the same. The sum runs over the components in the same order, so every score is the same too.
  auto score_all = [&] {
    scored.clear();
    for (size_t i = 0; i < touched_flag.size(); ++i) {
      if (!touched_flag[i] || (owner && i == *owner)) continue;
      const double s = score_of(i);
      if (s <= 0) continue;  // e.g. its only link was the challenge's own coalition, left out above
      scored.push_back({i, s});
    }
  };
  score_all();
  if (options.stats) *options.stats = RankStats{.reached = scored.size()};
  auto by_score = [](const Scored& a, const Scored& b) {
    return a.score > b.score || (a.score == b.score && a.i < b.i);
  };
  size_t pool_target = static_cast<size_t>(options.limit) * 5;
  if (options.learned)
    pool_target = std::min(pool_target, static_cast<size_t>(std::max({1, options.learned_pool, options.limit})));
  if (text_skipped > 0) {
    // The words left out of the first pass add at most `slack` to any actor's score (a float's
    // rounding of the text share included). An actor the first pass did not reach at all has at
    // most that and its record. With pool_target actors at or above theta in the first pass, the
    // true pool lies among the actors within slack of theta; they get their exact text score. Else
    // (few actors matched, or theta within reach of the unreached) every word is scored after all.
    const double slack = wt[kText] * (text_skipped / ideal + 1e-6) + 1e-9;
    bool exact = scored.size() >= pool_target;
    if (exact) {
      // The pool's edge: the worst of the best pool_target (a heap whose front is that worst).
      std::vector<Scored> best;
      best.reserve(pool_target);
      for (const Scored& x : scored) {
        if (best.size() < pool_target) {
          best.push_back(x);
          std::push_heap(best.begin(), best.end(), by_score);
        } else if (by_score(x, best.front())) {
          std::pop_heap(best.begin(), best.end(), by_score);
          best.back() = x;
          std::push_heap(best.begin(), best.end(), by_score);
        }
      }
      const double theta = best.front().score;
      // Components that any actor the first pass left out may still have in full.
      exact = theta > slack + wt[kRecord] + std::max(0.0, wt[kActive]) + std::max(0.0, wt[kKindFit]);
      if (exact) {
        std::erase_if(scored, [&](const Scored& x) { return x.score + slack < theta; });
        if (options.stats) options.stats->pruned = true, options.stats->rescored = scored.size();
        for (Scored& x : scored) {
          const double s = text_index_.ScoreDocument(text_query, static_cast<int32_t>(x.i));
          comp[x.i][kText] = static_cast<float>(std::min(1.0, s / ideal));
          x.score = score_of(x.i);
        }
      }
    }
    if (!exact) {
      for (auto [doc, s] : text_index_.ScoreSelective(text_query, 0, 0, nullptr))
        at(static_cast<size_t>(doc))[kText] = static_cast<float>(std::min(1.0, s / ideal));
      score_all();
    }
  }
  if (scored.empty())
    return Status::NotFound(
        "no actor matches the challenge on text, capabilities, themes, area or the owner's network");
  const size_t pool = std::min(scored.size(), pool_target);
  std::partial_sort(scored.begin(), scored.begin() + static_cast<ptrdiff_t>(pool), scored.end(), by_score);
  scored.resize(pool);
  // The learned stage's features of an actor: the components before weighting, and its invitations
  // accepted and declined for other challenges than this one.
  auto features_of = [&](size_t i) {
    std::vector<float> f(comp[i].begin(), comp[i].end());
    f.resize(kFeatures, 0.f);
    for (const auto& [challenge, accepted] : outcomes_of_[i])
      if (!ch.id.valid() || challenge != ch.id) f[accepted ? kAccepted : kDeclined] += 1.f;
    return f;
  };
  // Learned second stage: the model's score replaces the linear one for the pool, and each
  // candidate keeps its features' contributions (then the bias) for its reasons.
  std::vector<std::vector<float>> features(pool), contributions;
  for (size_t k = 0; k < pool; ++k) features[k] = features_of(scored[k].i);
  const LearnedRanker* learned = options.learned;
  if (learned) {
    if (learned->feature_names() != FeatureNames())
      return Status::FailedPrecondition("the match model was trained on other features (" +
                                        Join(learned->feature_names(), ",") + "); retrain it");
    std::vector<float> rows;
    rows.reserve(pool * kFeatures);
    for (const auto& f : features) rows.insert(rows.end(), f.begin(), f.end());
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<float> c, learned->Contributions(rows));
    contributions.resize(pool);
    std::vector<size_t> order(pool);
    for (size_t k = 0; k < pool; ++k) {
      contributions[k].assign(c.begin() + static_cast<ptrdiff_t>(k * (kFeatures + 1)),
                              c.begin() + static_cast<ptrdiff_t>((k + 1) * (kFeatures + 1)));
      double sc = 0;
      for (float x : contributions[k]) sc += x;
      scored[k].score = sc;
      order[k] = k;
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return by_score(scored[a], scored[b]); });
    std::vector<Scored> s2(pool);
    std::vector<std::vector<float>> f2(pool), c2(pool);
    for (size_t k = 0; k < pool; ++k) {
      s2[k] = scored[order[k]];
      f2[k] = std::move(features[order[k]]);
      c2[k] = std::move(contributions[order[k]]);
    }
    scored = std::move(s2), features = std::move(f2), contributions = std::move(c2);
  }
  // Diversity re-ranking (maximal marginal relevance): each earlier pick from the same fabric
  // community or the same sector lowers a candidate's adjusted score. The penalty scales with the
  // best score (linear scores are >= 0), or with the spread of the pool's scores (a model's scores
  // may be negative).
  const double top = scored.front().score;
  const double scale = learned ? top - scored.back().score : top;
  // The groups an "unexpected corner" must lie outside: the owner's and the 5 best-scored actors'.
  std::unordered_set<int> expected_groups;
  if (owner && community_[*owner] >= 0) expected_groups.insert(community_[*owner]);
  for (size_t k = 0; k < std::min<size_t>(5, pool); ++k)
    if (community_[scored[k].i] >= 0) expected_groups.insert(community_[scored[k].i]);
  std::map<int, int> per_community;
  std::map<domain::Sector, int> per_sector;
  std::vector<char> taken(pool, 0);
  std::vector<Match> out;
  // The reason for component k of actor i with value v and contribution c (weight * v, or the
  // learned stage's share).
  auto reason_of = [&](size_t i, int k, double v, double c, bool reduced) {
    const domain::Actor& a = actors_[i];
    Reason r{kCodes[k], "", c, v, {}};
    switch (k) {
      case kText:
        r.detail = "text relevance " + Percent(v) + " of an ideal match" +
                   (reduced ? " (reduced: none of the needed capabilities)" : "");
        break;
      case kCapability: {
        std::vector<std::string> has;
        for (const auto& tag : need_tags) {
          for (const auto& cap : a.capabilities)
            if (domain::NormalizeCapability(cap) == tag) {
              has.push_back(tag);
              break;
            }
        }
        std::vector<std::string> named;
        if (auto t = named_in_text.find(i); t != named_in_text.end())
          for (size_t q : t->second) named.push_back(need_tags[q]);
        r.detail = (has.empty() && named.empty() ? "has none of the needed capabilities" : "") +
                   (has.empty() ? "" : "has " + Join(has, ", ")) + (has.empty() || named.empty() ? "" : "; ") +
                   (named.empty() ? "" : "names " + Join(named, ", ") + " in its text (not as a capability)") + " (" +
                   Percent(v) + " of the capability weight)";
        r.items = has;
        r.named_in_text = named;
        break;
      }
      case kTheme:
        r.detail = "works on " + Percent(v) + " of the challenge's themes" +
                   (reduced ? " (reduced: none of the needed capabilities)" : "");
        break;
      case kArea:
        r.detail = v >= 1  ? "based in the challenge's municipality"
                   : v > 0 ? "based in a neighbouring municipality"
                           : "based outside the challenge's municipality and its neighbours";
        break;
      case kCloseness:
        r.detail = v > 0
                       ? std::to_string(static_cast<int>(std::lround(1 / v))) + " step(s) from the owner in the fabric"
                       : "more than 3 steps from the owner in the fabric";
        break;
      case kPartner:
        r.detail = v > 0 ? "has worked with the owner (tie strength " + Percent(v) + " of the owner's strongest)"
                         : "has no direct tie with the owner";
        break;
      case kRecord:
        r.detail = std::to_string(record_of(i)) + " past coalition(s) or project(s)";
        break;
      case kSimilar:
      case kOwnerSimilar:
      case kNearSimilar: {
        const auto& votes = k == kSimilar ? similar_of : k == kOwnerSimilar ? owner_similar_of : near_similar_of;
        auto wv = votes.find(i);
        const int works = wv == votes.end() ? 0 : wv->second.works;
        const int32_t best = wv == votes.end() ? -1 : wv->second.best;
        r.detail =
            std::to_string(works) +
            (k == kSimilar        ? " of the most similar past challenges or projects"
             : k == kOwnerSimilar ? " similar past challenge(s) or project(s) with the owner"
                                  : " of the most similar past challenges or projects in the owner's circle (the "
                                    "owner or its partners took part)") +
            (best >= 0 ? ", e.g. '" + work_title_[static_cast<size_t>(best)] + "'" : "");
        if (best >= 0) r.items = {work_title_[static_cast<size_t>(best)]};
        break;
      }
      case kRecentSimilar: {
        auto wv = recent_similar_of.find(i);
        const int works = wv == recent_similar_of.end() ? 0 : wv->second.works;
        const int32_t best = wv == recent_similar_of.end() ? -1 : wv->second.best;
        r.detail = std::to_string(works) +
                   " of the most similar past challenges or projects, recent ones counting more" +
                   (best >= 0 ? ", e.g. '" + work_title_[static_cast<size_t>(best)] + "' (" +
                                    std::to_string(static_cast<int>(work_year_[static_cast<size_t>(best)])) + ")"
                              : "");
        if (best >= 0) r.items = {work_title_[static_cast<size_t>(best)]};
        break;
      }
      case kRecentPartner: {
        auto rp = recent_partner_of.find(i);
        const int works = rp == recent_partner_of.end() ? 0 : rp->second.works;
        const int32_t latest = rp == recent_partner_of.end() ? -1 : rp->second.latest;
        r.detail = std::to_string(works) + " past challenge(s) or project(s) with the owner" +
                   (latest >= 0 ? ", the latest in " +
                                      std::to_string(static_cast<int>(work_year_[static_cast<size_t>(latest)])) +
                                      ": '" + work_title_[static_cast<size_t>(latest)] + "'"
                                : "");
        if (latest >= 0)
          r.items = {work_title_[static_cast<size_t>(latest)],
                     std::to_string(static_cast<int>(work_year_[static_cast<size_t>(latest)]))};
        break;
      }
      case kActive: {
        int recent = 0, latest = 0;
        for (int32_t wk : works_of_[i]) {
          const auto w2 = static_cast<size_t>(wk);
          if (w2 == static_cast<size_t>(own_work) || std::isnan(work_year_[w2])) continue;
          latest = std::max(latest, static_cast<int>(work_year_[w2]));
          if (work_recency_[w2] >= 0.5f) ++recent;
        }
        r.detail = std::to_string(recent) + " past challenge(s) or project(s) in the last " +
                   std::to_string(static_cast<int>(kRecencyHalfLife)) + " years" +
                   (latest > 0 ? ", the latest in " + std::to_string(latest) : "");
        if (latest > 0) r.items = {std::to_string(latest)};
        break;
      }
      case kPartners2: {
        auto via = partners2_via.find(i);
        const int n = via == partners2_via.end() ? 0 : via->second;
        r.detail = std::to_string(n) + " of the owner's partners worked with it";
        break;
      }
      case kWalk: {
        // Its partners among the nodes the walk restarts at (the owner, the actors of the most
        // similar past work).
        int tied = 0;
        if (node_of_[i] >= 0)
          for (const auto& nb : fabric_->Neighbours(node_of_[i]))
            tied += std::binary_search(walk_seeds.begin(), walk_seeds.end(), nb.node) ? 1 : 0;
        r.detail = std::to_string(tied) +
                   " of its partners are the owner or took part in the most similar past work; a walk over the "
                   "ties from them reaches it " +
                   Percent(v) + " as often as the actor it reaches most";
        break;
      }
      case kKindFit: {
        const double share = kind_votes_total > 0 ? kind_share(i) / kind_votes_total : 0;
        r.detail = Percent(share) + " of the partners on the most similar past work were organisations of its kind (" +
                   std::string(domain::ActorKindCode(a.kind)) + ")";
        r.items = {std::string(domain::ActorKindCode(a.kind))};
        break;
      }
    }
    return r;
  };
  // The reasons of the learned stage: every feature that moved the score (up or down), and the
  // model's base; they add up to the score.
  auto learned_reasons = [&](size_t i, const std::vector<float>& f, const std::vector<float>& c) {
    std::vector<Reason> rs;
    for (int k = 0; k < kFeatures; ++k) {
      const double ck = c[static_cast<size_t>(k)];
      if (ck == 0) continue;
      const double v = f[static_cast<size_t>(k)];
      Reason r;
      if (k < kComponents) {
        r = reason_of(i, k, v, ck, false);
      } else {
        const int n = static_cast<int>(std::lround(v));
        r.code = k == kAccepted ? "invitations_accepted" : "invitations_declined";
        r.detail = std::to_string(n) + " invitation(s) to coalitions for other challenges " +
                   (k == kAccepted ? "accepted" : "declined");
        r.contribution = ck;
        r.value = v;
      }
      r.detail = "learned: " + r.detail + (ck > 0 ? " (moved it up)" : " (moved it down)");
      r.learned = true;
      rs.push_back(std::move(r));
    }
    std::sort(rs.begin(), rs.end(),
              [](const Reason& x, const Reason& y) { return std::fabs(x.contribution) > std::fabs(y.contribution); });
    Reason base{"model_base", "learned: the model's base score, the same for every actor", c[kFeatures], 0, {}};
    base.learned = true;
    rs.push_back(std::move(base));
    return rs;
  };
  // The list's order (indices into scored): the first diversity_places by the re-ranking, the
  // rest in score order.
  const size_t n_out = std::min<size_t>(static_cast<size_t>(std::max(options.limit, 0)), pool);
  std::vector<size_t> order;
  order.reserve(n_out);
  {
    std::vector<char> picked(pool, 0);
    size_t first_free = 0;
    while (order.size() < n_out) {
      size_t best_k = 0;
      if (options.diversity == 0 || static_cast<int>(order.size()) >= options.diversity_places) {
        while (picked[first_free]) ++first_free;
        best_k = first_free;
      } else {
        double best_adj = -1e300;
        for (size_t k = 0; k < pool; ++k) {
          if (picked[k]) continue;
          size_t i = scored[k].i;
          int c = community_[i];
          domain::Sector s = domain::SectorOf(actors_[i].kind);
          double pen = options.diversity * scale * (0.15 * (c >= 0 ? per_community[c] : 0) + 0.10 * per_sector[s]);
          double adj = scored[k].score - pen;
          if (adj > best_adj) best_adj = adj, best_k = k;
        }
      }
      picked[best_k] = 1;
      const size_t i = scored[best_k].i;
      if (community_[i] >= 0) ++per_community[community_[i]];
      ++per_sector[domain::SectorOf(actors_[i].kind)];
      order.push_back(best_k);
    }
  }
  // The sector floor (part of the re-ranking: not with diversity 0): while the owner and the first
  // diversity_places hold fewer than mix_sectors sectors, the best-scored candidate of a sector not there yet takes the
  // last of those places, and the lowest-placed actor of a sector held twice there moves to the place after them.
  std::vector<char> floor_pick(pool, 0);
  const size_t places = std::min<size_t>(static_cast<size_t>(std::max(options.diversity_places, 0)), order.size());
  if (options.diversity > 0 && options.mix_sectors > 0 && places > 0) {
    std::map<domain::Sector, int> held;
    if (owner) ++held[domain::SectorOf(actors_[*owner].kind)];
    for (size_t p = 0; p < places; ++p) ++held[domain::SectorOf(actors_[scored[order[p]].i].kind)];
    while (static_cast<int>(held.size()) < options.mix_sectors) {
      std::vector<char> in_places(pool, 0);
      for (size_t p = 0; p < places; ++p) in_places[order[p]] = 1;
      size_t add = pool;
      for (size_t k = 0; k < pool && add == pool; ++k)
        if (!in_places[k] && !held.count(domain::SectorOf(actors_[scored[k].i].kind))) add = k;
      size_t drop = places;
      for (size_t p = places; p-- > 0 && drop == places;)
        if (held[domain::SectorOf(actors_[scored[order[p]].i].kind)] > 1) drop = p;
      if (add == pool || drop == places) break;
      const size_t dropped = order[drop];
      --held[domain::SectorOf(actors_[scored[dropped].i].kind)];
      ++held[domain::SectorOf(actors_[scored[add].i].kind)];
      std::erase(order, add);
      order.erase(order.begin() + static_cast<std::ptrdiff_t>(drop));
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(places) - 1, add);
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(places), dropped);
      if (order.size() > n_out) order.resize(n_out);
      floor_pick[add] = 1;
    }
  }
  for (size_t best_k : order) {
    taken[best_k] = 1;
    size_t i = scored[best_k].i;
    const domain::Actor& a = actors_[i];
    Match mt;
    mt.actor = a.id;
    mt.name = a.name;
    mt.sector = domain::SectorOf(a.kind);
    mt.score = scored[best_k].score;
    mt.learned = learned != nullptr;
    mt.features = features[best_k];
    mt.community = community_[i];
    // Unexpected corner: in a group outside the expected ones, not within 2 steps of the owner
    // (closeness is 1 / hops), and relevant on its own content.
    const double content = std::max(comp[i][kText], comp[i][kCapability]);
    mt.unexpected = mt.community >= 0 && !expected_groups.count(mt.community) && comp[i][kCloseness] < 0.5f &&
                    content >= options.unexpected_min;
    bool promoted = false;
    for (size_t k = 0; k < best_k; ++k) promoted = promoted || !taken[k];
    if (learned) {
      mt.reasons = learned_reasons(i, features[best_k], contributions[best_k]);
      // The two features that moved it most are primary, a third when it still moved it 0.05 or more.
      for (size_t k = 0; k < mt.reasons.size() && k < 3; ++k)
        mt.reasons[k].primary =
            mt.reasons[k].code != "model_base" && (k < 2 || std::fabs(mt.reasons[k].contribution) >= 0.05);
    } else {
      for (int k = 0; k < kComponents; ++k) {
        double v = comp[i][k];
        const double wk = weights_of(i)[k];
        if (v <= 0 || wk <= 0) continue;
        mt.reasons.push_back(reason_of(i, k, v, wk * v, wk < wt[k]));
      }
      std::sort(mt.reasons.begin(), mt.reasons.end(),
                [](const Reason& x, const Reason& y) { return x.contribution > y.contribution; });
      // The two reasons that contribute most are primary, a third when it still adds 0.05 or more.
      for (size_t k = 0; k < mt.reasons.size() && k < 3; ++k)
        mt.reasons[k].primary = k < 2 || mt.reasons[k].contribution >= 0.05;
    }
    if (mt.unexpected)
      mt.reasons.push_back({"unexpected",
                            "from an unexpected corner: a group none of the owner and the best-scored actors belong "
                            "to, more than 2 steps from the owner, relevant by its own text or capabilities",
                            0,
                            0,
                            {}});
    mt.rank = static_cast<int>(out.size()) + 1;
    mt.score_rank = static_cast<int>(best_k) + 1;
    mt.moved_up = promoted;
    if (promoted)
      mt.reasons.push_back(
          {"diversity",
           (floor_pick[best_k] ? "moved up so that the first " + std::to_string(places) + " places hold at least " +
                                     std::to_string(options.mix_sectors) + " sectors with the owner's: place "
                               : std::string("moved up by the diversity re-ranking (another group or "
                                             "sector): place ")) +
               std::to_string(mt.rank) + " in the list, " + std::to_string(mt.score_rank) + " by score",
           0,
           0,
           {},
           {},
           true});
    out.push_back(std::move(mt));
  }
  return out;
}

}  // namespace weefsel::match
