#include "match/matcher.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "base/csv.h"
#include "base/strings.h"
#include "domain/vocabulary.h"

namespace weefsel::match {
namespace {

enum Component { kText, kCapability, kTheme, kArea, kCloseness, kPartner, kRecord, kComponents };
constexpr const char* kCodes[kComponents] = {"text", "capability", "theme", "area", "closeness", "partner", "record"};

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

Result<Matcher> Matcher::Build(std::vector<domain::Actor> actors, const std::vector<domain::Tie>& ties,
                               const std::vector<PastWork>& past, Neighbours neighbours,
                               std::shared_ptr<const text::Analyzer> analyzer) {
  Matcher m;
  m.analyzer_ = analyzer ? std::move(analyzer) : std::make_shared<text::Analyzer>();
  m.actors_ = std::move(actors);
  m.neighbours_ = std::move(neighbours);
  for (size_t i = 0; i < m.actors_.size(); ++i) {
    if (!m.actors_[i].id.valid())
      return Status::InvalidArgument("actor #" + std::to_string(i + 1) + " (" + m.actors_[i].name + ") has no id");
    if (!m.index_.emplace(m.actors_[i].id, i).second)
      return Status::InvalidArgument("actor id " + std::to_string(m.actors_[i].id.value()) + " appears twice");
  }
  std::vector<std::string> docs(m.actors_.size());
  m.record_.assign(m.actors_.size(), 0);
  for (const PastWork& w : past) {
    auto it = m.index_.find(w.actor);
    if (it == m.index_.end())
      return Status::InvalidArgument("past work names unknown actor " + std::to_string(w.actor.value()));
    docs[it->second] += " " + w.text;
    m.max_record_ = std::max(m.max_record_, ++m.record_[it->second]);
  }
  for (size_t i = 0; i < m.actors_.size(); ++i) {
    const domain::Actor& a = m.actors_[i];
    std::string doc = a.name + " " + a.description + docs[i];
    for (const auto& th : a.themes) {
      if (const domain::Theme* t = domain::FindTheme(th)) doc += " " + std::string(t->nl) + " " + std::string(t->en);
      m.by_theme_[th].push_back(i);
    }
    for (const auto& c : a.capabilities) {
      std::string tag = domain::NormalizeCapability(c);
      std::string words = tag;
      std::replace(words.begin(), words.end(), '-', ' ');
      doc += " " + words;
      if (!tag.empty()) m.by_capability_[tag].push_back(i);
    }
    if (a.municipality.valid()) m.by_municipality_[a.municipality].push_back(i);
    m.text_index_.Add(m.analyzer_->Analyze(doc));
  }
  m.text_index_.Finalize();
  WEEFSEL_ASSIGN_OR_RETURN(fabric::Fabric f, fabric::Fabric::FromDomain(m.actors_, ties));
  m.fabric_ = std::make_shared<fabric::Fabric>(std::move(f));
  m.node_of_.assign(m.actors_.size(), -1);
  for (size_t i = 0; i < m.actors_.size(); ++i)
    if (auto n = m.fabric_->IndexOf(m.actors_[i].id)) m.node_of_[i] = *n;
  m.community_.assign(m.actors_.size(), -1);
  if (m.fabric_->edge_count() > 0) {
    WEEFSEL_ASSIGN_OR_RETURN(fabric::Partition p, fabric::FindCommunities(*m.fabric_, {.runs = 3}));
    for (size_t i = 0; i < m.actors_.size(); ++i)
      if (m.node_of_[i] >= 0) m.community_[i] = p.membership[static_cast<size_t>(m.node_of_[i])];
  }
  return m;
}

std::optional<size_t> Matcher::IndexOf(ActorId id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Match>> Matcher::Rank(const domain::Challenge& ch, const RankOptions& options) const {
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
  const double wt[kComponents] = {w.text, w.capability, w.theme, w.area, w.closeness, w.partner, w.record};

  thread_local std::vector<std::array<float, kComponents>> comp;
  thread_local std::vector<char> touched_flag;
  thread_local std::vector<size_t> touched;
  comp.assign(actors_.size(), {});
  touched_flag.assign(actors_.size(), 0);
  touched.clear();
  auto at = [&](size_t i) -> std::array<float, kComponents>& {
    if (!touched_flag[i]) touched_flag[i] = 1, touched.push_back(i);
    return comp[i];
  };
  // Text.
  auto text_scores = text_index_.Score(terms);
  double best = 0;
  for (auto [doc, s] : text_scores) best = std::max(best, s);
  if (best > 0)
    for (auto [doc, s] : text_scores) at(static_cast<size_t>(doc))[kText] = static_cast<float>(s / best);
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
  }
  // Record, and the total.
  struct Scored {
    size_t i;
    double score;
  };
  std::vector<Scored> scored;
  scored.reserve(touched.size());
  for (size_t i : touched) {
    if (owner && i == *owner) continue;
    comp[i][kRecord] = max_record_ > 0 ? static_cast<float>(std::log1p(record_[i]) / std::log1p(max_record_)) : 0.f;
    double s = 0;
    for (int k = 0; k < kComponents; ++k) s += wt[k] * comp[i][k];
    scored.push_back({i, s});
  }
  if (scored.empty())
    return Status::NotFound(
        "no actor matches the challenge on text, capabilities, themes, area or the owner's network");
  auto by_score = [](const Scored& a, const Scored& b) {
    return a.score > b.score || (a.score == b.score && a.i < b.i);
  };
  size_t pool = std::min(scored.size(), static_cast<size_t>(options.limit) * 5);
  std::partial_sort(scored.begin(), scored.begin() + static_cast<ptrdiff_t>(pool), scored.end(), by_score);
  scored.resize(pool);
  // Diversity re-ranking (maximal marginal relevance): each earlier pick from the same fabric
  // community or the same sector lowers a candidate's adjusted score.
  const double top = scored.front().score;
  const int home = owner ? community_[*owner] : community_[scored.front().i];
  std::map<int, int> per_community;
  std::map<domain::Sector, int> per_sector;
  std::vector<char> taken(pool, 0);
  std::vector<Match> out;
  while (static_cast<int>(out.size()) < options.limit && out.size() < pool) {
    size_t best_k = 0;
    double best_adj = -1e300;
    for (size_t k = 0; k < pool; ++k) {
      if (taken[k]) continue;
      size_t i = scored[k].i;
      int c = community_[i];
      domain::Sector s = domain::SectorOf(actors_[i].kind);
      double pen = options.diversity * top * (0.15 * (c >= 0 ? per_community[c] : 0) + 0.10 * per_sector[s]);
      double adj = scored[k].score - pen;
      if (adj > best_adj) best_adj = adj, best_k = k;
    }
    taken[best_k] = 1;
    size_t i = scored[best_k].i;
    const domain::Actor& a = actors_[i];
    Match mt;
    mt.actor = a.id;
    mt.name = a.name;
    mt.sector = domain::SectorOf(a.kind);
    mt.score = scored[best_k].score;
    mt.community = community_[i];
    mt.unexpected = mt.community >= 0 && home >= 0 && mt.community != home;
    bool promoted = false;
    for (size_t k = 0; k < best_k; ++k) promoted = promoted || !taken[k];
    for (int k = 0; k < kComponents; ++k) {
      double v = comp[i][k];
      if (v <= 0 || wt[k] <= 0) continue;
      Reason r{kCodes[k], "", wt[k] * v};
      switch (k) {
        case kText:
          r.detail = "text relevance " + Percent(v) + " of the best match";
          break;
        case kCapability: {
          std::vector<std::string> has;
          for (size_t q = 0; q < need_tags.size(); ++q) {
            const auto& caps = a.capabilities;
            for (const auto& c : caps)
              if (domain::NormalizeCapability(c) == need_tags[q]) {
                has.push_back(need_tags[q]);
                break;
              }
          }
          r.detail = "has " + Join(has, ", ") + " (" + Percent(v) + " of the capability weight)";
          break;
        }
        case kTheme:
          r.detail = "works on " + Percent(v) + " of the challenge's themes";
          break;
        case kArea:
          r.detail = v >= 1 ? "based in the challenge's municipality" : "based in a neighbouring municipality";
          break;
        case kCloseness:
          r.detail = std::to_string(static_cast<int>(std::lround(1 / v))) + " step(s) from the owner in the fabric";
          break;
        case kPartner:
          r.detail = "has worked with the owner (tie strength " + Percent(v) + " of the owner's strongest)";
          break;
        case kRecord:
          r.detail = std::to_string(record_[i]) + " past coalition(s) or project(s)";
          break;
      }
      mt.reasons.push_back(std::move(r));
    }
    std::sort(mt.reasons.begin(), mt.reasons.end(),
              [](const Reason& x, const Reason& y) { return x.contribution > y.contribution; });
    if (promoted && mt.unexpected)
      mt.reasons.push_back(
          {"diversity", "from another community than the owner's: moved up by the diversity re-ranking", 0});
    if (mt.community >= 0) ++per_community[mt.community];
    ++per_sector[mt.sector];
    out.push_back(std::move(mt));
  }
  return out;
}

}  // namespace weefsel::match
