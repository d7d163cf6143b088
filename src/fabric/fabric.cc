// fabric/fabric.cc: building the Fabric graph, distances, components and modularity.
#include "fabric/fabric.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <queue>
#include <sstream>
#include <unordered_set>

#include "base/strings.h"

namespace weefsel::fabric {
namespace {

struct RawEdge {
  int u, v;
  double w;
};

std::optional<domain::ActorKind> KindFromType(std::string_view type) {
  std::string t = ToLowerAscii(Trim(type));
  if (t == "prc") return domain::ActorKind::kCompany;
  if (t == "hes" || t == "rec") return domain::ActorKind::kKnowledgeInstitution;
  if (t == "pub") return domain::ActorKind::kGovernment;
  if (t == "oth") return domain::ActorKind::kFoundationFunder;
  auto k = domain::ParseActorKind(t);
  if (k.ok()) return *k;
  return std::nullopt;
}

// Splits on runs of spaces and tabs.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<int64_t> FastInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<Fabric> Fabric::FromEdges(std::vector<NodeInfo> nodes, const std::vector<Edge>& edges, bool weighted) {
  Fabric f;
  const int n = static_cast<int>(nodes.size());
  f.nodes_ = std::move(nodes);
  f.index_.reserve(f.nodes_.size());
  for (int i = 0; i < n; ++i) {
    if (!f.index_.emplace(f.nodes_[static_cast<size_t>(i)].external_id, i).second)
      return Status::InvalidArgument("node " + std::to_string(i) + ": duplicate id " +
                                     std::to_string(f.nodes_[static_cast<size_t>(i)].external_id));
  }
  std::vector<RawEdge> raw;
  raw.reserve(edges.size());
  for (size_t k = 0; k < edges.size(); ++k) {
    const Edge& e = edges[k];
    if (e.u < 0 || e.v < 0 || e.u >= n || e.v >= n)
      return Status::InvalidArgument("edge " + std::to_string(k) + ": node index out of range");
    if (e.u == e.v)
      return Status::InvalidArgument("edge " + std::to_string(k) + ": self-loop on node " + std::to_string(e.u));
    if (!(e.weight > 0) || !std::isfinite(e.weight))
      return Status::InvalidArgument("edge " + std::to_string(k) + ": weight must be > 0");
    raw.push_back({std::min(e.u, e.v), std::max(e.u, e.v), e.weight});
  }
  std::sort(raw.begin(), raw.end(),
            [](const RawEdge& a, const RawEdge& b) { return a.u != b.u ? a.u < b.u : a.v < b.v; });
  std::vector<RawEdge> merged;
  merged.reserve(raw.size());
  for (const RawEdge& e : raw) {
    if (!merged.empty() && merged.back().u == e.u && merged.back().v == e.v) {
      merged.back().w += e.w;
    } else {
      merged.push_back(e);
    }
  }
  bool any_non_unit = false;
  std::vector<int64_t> deg(static_cast<size_t>(n) + 1, 0);
  for (const RawEdge& e : merged) {
    ++deg[static_cast<size_t>(e.u) + 1];
    ++deg[static_cast<size_t>(e.v) + 1];
    if (e.w != 1.0) any_non_unit = true;
  }
  f.weighted_ = weighted && any_non_unit;
  f.offsets_.assign(static_cast<size_t>(n) + 1, 0);
  for (int i = 0; i < n; ++i)
    f.offsets_[static_cast<size_t>(i) + 1] = f.offsets_[static_cast<size_t>(i)] + deg[static_cast<size_t>(i) + 1];
  const size_t arcs = merged.size() * 2;
  f.targets_.assign(arcs, 0);
  f.arc_weights_.assign(arcs, 1.0);
  f.strength_.assign(static_cast<size_t>(n), 0.0);
  std::vector<int64_t> pos(f.offsets_.begin(), f.offsets_.end() - 1);
  // merged is sorted by (u, v): filling u's row in order keeps rows sorted for the "v > u" part;
  // the reverse arcs (v -> u) arrive in increasing u too. Rows are sorted afterwards to be safe.
  for (const RawEdge& e : merged) {
    double w = weighted ? e.w : 1.0;
    f.targets_[static_cast<size_t>(pos[static_cast<size_t>(e.u)])] = e.v;
    f.arc_weights_[static_cast<size_t>(pos[static_cast<size_t>(e.u)]++)] = w;
    f.targets_[static_cast<size_t>(pos[static_cast<size_t>(e.v)])] = e.u;
    f.arc_weights_[static_cast<size_t>(pos[static_cast<size_t>(e.v)]++)] = w;
    f.strength_[static_cast<size_t>(e.u)] += w;
    f.strength_[static_cast<size_t>(e.v)] += w;
    f.total_weight_ += w;
  }
  f.adjacency_.resize(arcs);
  for (int i = 0; i < n; ++i) {
    size_t b = static_cast<size_t>(f.offsets_[static_cast<size_t>(i)]);
    size_t e = static_cast<size_t>(f.offsets_[static_cast<size_t>(i) + 1]);
    for (size_t a = b; a < e; ++a) f.adjacency_[a] = {f.targets_[a], f.arc_weights_[a]};
    std::sort(f.adjacency_.begin() + static_cast<std::ptrdiff_t>(b),
              f.adjacency_.begin() + static_cast<std::ptrdiff_t>(e),
              [](const Neighbour& x, const Neighbour& y) { return x.node < y.node; });
    for (size_t a = b; a < e; ++a) {
      f.targets_[a] = f.adjacency_[a].node;
      f.arc_weights_[a] = f.adjacency_[a].weight;
    }
  }
  return f;
}

Result<Fabric> Fabric::FromDomain(const std::vector<domain::Actor>& actors, const std::vector<domain::Tie>& ties,
                                  const BuildOptions& options) {
  std::vector<NodeInfo> nodes;
  nodes.reserve(actors.size());
  std::unordered_map<int64_t, int> index;
  for (size_t i = 0; i < actors.size(); ++i) {
    const domain::Actor& a = actors[i];
    if (!a.id.valid()) return Status::InvalidArgument("actors[" + std::to_string(i) + "].id: actor has no id");
    if (!index.emplace(a.id.value(), static_cast<int>(i)).second)
      return Status::InvalidArgument("actors[" + std::to_string(i) + "].id: duplicate actor id " +
                                     std::to_string(a.id.value()));
    NodeInfo info;
    info.external_id = a.id.value();
    info.label = a.name;
    info.kind = a.kind;
    info.area = a.area;
    info.themes = a.themes;
    info.capabilities = a.capabilities;
    nodes.push_back(std::move(info));
  }
  std::vector<Edge> edges;
  edges.reserve(ties.size());
  for (size_t k = 0; k < ties.size(); ++k) {
    const domain::Tie& t = ties[k];
    std::string where = "ties[" + std::to_string(k) + "]";
    if (t.a == t.b)
      return Status::InvalidArgument(where + ": tie joins actor " + std::to_string(t.a.value()) + " to itself");
    if (!(t.weight > 0) || !std::isfinite(t.weight)) return Status::InvalidArgument(where + ".weight: must be > 0");
    auto ia = index.find(t.a.value());
    auto ib = index.find(t.b.value());
    if (ia == index.end()) return Status::InvalidArgument(where + ".a: unknown actor " + std::to_string(t.a.value()));
    if (ib == index.end()) return Status::InvalidArgument(where + ".b: unknown actor " + std::to_string(t.b.value()));
    if (!options.include_ended) {
      if (options.as_of.empty()) {
        if (!t.until.empty()) continue;
      } else {
        if (!t.from.empty() && t.from > options.as_of) continue;
        if (!t.until.empty() && t.until < options.as_of) continue;
      }
    }
    edges.push_back({ia->second, ib->second, t.weight});
  }
  return FromEdges(std::move(nodes), edges, true);
}

Result<Fabric> Fabric::FromEdgeText(std::string_view edges_text, std::string_view nodes_text, std::string_view name) {
  std::vector<NodeInfo> nodes;
  std::unordered_map<int64_t, int> index;
  const bool have_nodes = !nodes_text.empty();
  std::string nodes_name = std::string(name) + " (nodes)";
  if (have_nodes) {
    std::vector<std::string> columns;
    int line_no = 0;
    size_t start = 0;
    int label_col = -1, type_col = -1;
    while (start <= nodes_text.size()) {
      size_t end = nodes_text.find('\n', start);
      if (end == std::string_view::npos) end = nodes_text.size();
      std::string_view line = nodes_text.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (Trim(line).empty() || line[0] == '#') {
        if (end == nodes_text.size()) break;
        continue;
      }
      std::vector<std::string> cells = Split(line, '\t');
      if (columns.empty()) {
        columns = cells;
        if (columns.empty() || Trim(columns[0]) != "id")
          return Status::InvalidArgument(nodes_name + " line " + std::to_string(line_no) +
                                         ": header must start with column 'id'");
        for (size_t c = 1; c < columns.size(); ++c) {
          std::string lc = ToLowerAscii(Trim(columns[c]));
          if (label_col < 0 && (lc == "label" || lc == "name")) label_col = static_cast<int>(c);
          if (type_col < 0 && (lc == "type" || lc == "kind")) type_col = static_cast<int>(c);
        }
        if (end == nodes_text.size()) break;
        continue;
      }
      auto id = FastInt(Trim(cells[0]));
      if (!id)
        return Status::InvalidArgument(nodes_name + " line " + std::to_string(line_no) +
                                       ", field id: not an integer: '" + std::string(cells[0]) + "'");
      if (!index.emplace(*id, static_cast<int>(nodes.size())).second)
        return Status::InvalidArgument(nodes_name + " line " + std::to_string(line_no) + ", field id: duplicate node " +
                                       std::to_string(*id));
      NodeInfo info;
      info.external_id = *id;
      for (size_t c = 1; c < columns.size() && c < cells.size(); ++c)
        info.attributes.emplace_back(columns[c], cells[c]);
      if (label_col > 0 && static_cast<size_t>(label_col) < cells.size())
        info.label = cells[static_cast<size_t>(label_col)];
      if (type_col > 0 && static_cast<size_t>(type_col) < cells.size())
        info.kind = KindFromType(cells[static_cast<size_t>(type_col)]);
      nodes.push_back(std::move(info));
      if (end == nodes_text.size()) break;
    }
    if (columns.empty())
      return Status::InvalidArgument(nodes_name + ": empty file, expected a header line starting with 'id'");
  }
  std::vector<Edge> edges;
  bool weighted = false;
  int line_no = 0;
  size_t start = 0;
  while (start < edges_text.size()) {
    size_t end = edges_text.find('\n', start);
    if (end == std::string_view::npos) end = edges_text.size();
    std::string_view line = edges_text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    std::string_view t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    auto fields = Fields(t);
    std::string where = std::string(name) + " line " + std::to_string(line_no);
    if (fields.size() != 2 && fields.size() != 3)
      return Status::InvalidArgument(where + ": expected 'u v' or 'u v w', found " + std::to_string(fields.size()) +
                                     " fields");
    auto u = FastInt(fields[0]);
    auto v = FastInt(fields[1]);
    if (!u) return Status::InvalidArgument(where + ", field u: not an integer: '" + std::string(fields[0]) + "'");
    if (!v) return Status::InvalidArgument(where + ", field v: not an integer: '" + std::string(fields[1]) + "'");
    double w = 1.0;
    if (fields.size() == 3) {
      auto pw = ParseDouble(fields[2]);
      if (!pw || !(*pw > 0) || !std::isfinite(*pw))
        return Status::InvalidArgument(where + ", field w: weight must be a number > 0, got '" +
                                       std::string(fields[2]) + "'");
      w = *pw;
      weighted = true;
    }
    if (*u == *v) return Status::InvalidArgument(where + ": self-loop on node " + std::to_string(*u));
    int iu = 0, iv = 0;  // both set by the loop below
    for (int side = 0; side < 2; ++side) {
      int64_t id = side == 0 ? *u : *v;
      auto it = index.find(id);
      int idx;
      if (it == index.end()) {
        if (have_nodes)
          return Status::InvalidArgument(where + ", field " + (side == 0 ? "u" : "v") + ": node " + std::to_string(id) +
                                         " is not listed in the .nodes file");
        idx = static_cast<int>(nodes.size());
        index.emplace(id, idx);
        NodeInfo info;
        info.external_id = id;
        nodes.push_back(std::move(info));
      } else {
        idx = it->second;
      }
      (side == 0 ? iu : iv) = idx;
    }
    edges.push_back({iu, iv, w});
  }
  return FromEdges(std::move(nodes), edges, weighted);
}

Result<Fabric> Fabric::FromEdgeFiles(const std::string& edges_path, const std::string& nodes_path) {
  WEEFSEL_ASSIGN_OR_RETURN(std::string edges_text, ReadFile(edges_path));
  std::string nodes_text;
  if (!nodes_path.empty()) {
    WEEFSEL_ASSIGN_OR_RETURN(nodes_text, ReadFile(nodes_path));
    if (Trim(nodes_text).empty())
      return Status::InvalidArgument(nodes_path + ": empty file, expected a header line starting with 'id'");
  }
  auto f = FromEdgeText(edges_text, nodes_text, edges_path);
  if (!f.ok()) {
    // Name the nodes file by its path rather than "<edges> (nodes)".
    std::string msg = f.status().message();
    std::string tag = edges_path + " (nodes)";
    if (size_t p = msg.find(tag); p != std::string::npos) msg.replace(p, tag.size(), nodes_path);
    return Status(f.status().code(), msg);
  }
  return f;
}

std::optional<int> Fabric::IndexOfExternal(int64_t external_id) const {
  auto it = index_.find(external_id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Status Fabric::AddNodes(const std::vector<NodeInfo>& nodes) {
  std::unordered_set<int64_t> fresh;
  for (size_t k = 0; k < nodes.size(); ++k)
    if (index_.count(nodes[k].external_id) || !fresh.insert(nodes[k].external_id).second)
      return Status::InvalidArgument("nodes[" + std::to_string(k) + "]: duplicate id " +
                                     std::to_string(nodes[k].external_id));
  for (const NodeInfo& info : nodes) {
    index_.emplace(info.external_id, static_cast<int>(nodes_.size()));
    nodes_.push_back(info);
    offsets_.push_back(offsets_.back());
    strength_.push_back(0.0);
  }
  return Status::Ok();
}

void Fabric::ChangeArc(int u, int v, double delta) {
  const auto b = static_cast<std::ptrdiff_t>(offsets_[static_cast<size_t>(u)]);
  const auto e = static_cast<std::ptrdiff_t>(offsets_[static_cast<size_t>(u) + 1]);
  auto it = std::lower_bound(adjacency_.begin() + b, adjacency_.begin() + e, v,
                             [](const Neighbour& a, int x) { return a.node < x; });
  const auto pos = it - adjacency_.begin();
  const auto upos = static_cast<size_t>(pos);
  if (pos < e && it->node == v) {
    const double w = it->weight + delta;
    if (w > 1e-12 * std::max(1.0, std::fabs(delta))) {
      it->weight = w;
      arc_weights_[upos] = w;
    } else {
      adjacency_.erase(it);
      targets_.erase(targets_.begin() + pos);
      arc_weights_.erase(arc_weights_.begin() + pos);
      for (size_t r = static_cast<size_t>(u) + 1; r < offsets_.size(); ++r) --offsets_[r];
    }
  } else {
    adjacency_.insert(it, {v, delta});
    targets_.insert(targets_.begin() + pos, v);
    arc_weights_.insert(arc_weights_.begin() + pos, delta);
    for (size_t r = static_cast<size_t>(u) + 1; r < offsets_.size(); ++r) ++offsets_[r];
  }
  strength_[static_cast<size_t>(u)] += delta;
}

Status Fabric::ChangeEdges(const std::vector<Edge>& added, const std::vector<Edge>& removed) {
  WEEFSEL_ASSIGN_OR_RETURN(EdgeChange change, PrepareEdges(added, removed, kArcsChangedInPlace));
  Apply(change);
  return Status::Ok();
}

Result<Fabric::EdgeChange> Fabric::PrepareEdges(const std::vector<Edge>& added, const std::vector<Edge>& removed,
                                                size_t in_place) const {
  const int n = node_count();
  auto check = [&](const std::vector<Edge>& edges, const char* what) -> Status {
    for (size_t k = 0; k < edges.size(); ++k) {
      const Edge& e = edges[k];
      std::string where = std::string(what) + "[" + std::to_string(k) + "]";
      if (e.u < 0 || e.v < 0 || e.u >= n || e.v >= n)
        return Status::InvalidArgument(where + ": node index out of range");
      if (e.u == e.v) return Status::InvalidArgument(where + ": self-loop on node " + std::to_string(e.u));
      if (!(e.weight > 0) || !std::isfinite(e.weight)) return Status::InvalidArgument(where + ": weight must be > 0");
    }
    return Status::Ok();
  };
  WEEFSEL_RETURN_IF_ERROR(check(added, "added"));
  WEEFSEL_RETURN_IF_ERROR(check(removed, "removed"));
  // Removals must find their weight (after the additions of the same call).
  std::map<std::pair<int, int>, double> net;
  for (const Edge& e : added) net[{std::min(e.u, e.v), std::max(e.u, e.v)}] += e.weight;
  for (size_t k = 0; k < removed.size(); ++k) {
    const Edge& e = removed[k];
    const std::pair<int, int> key{std::min(e.u, e.v), std::max(e.u, e.v)};
    net[key] -= e.weight;
    if (WeightBetween(key.first, key.second) + net[key] < -1e-9 * std::max(1.0, e.weight))
      return Status::InvalidArgument("removed[" + std::to_string(k) + "]: nodes " + std::to_string(key.first) +
                                     " and " + std::to_string(key.second) + " have less weight between them");
  }
  // The arcs' changes, sorted by (from, to). A few are changed in place by Apply (each moves the
  // arrays' tail, half of them on average); more are merged into new arrays here in one pass (a
  // million ties are two million arcs, 56 MB with their weights: moving the tail once per arc cost
  // that much per tie).
  EdgeChange change;
  for (const auto& [key, delta] : net) {
    if (delta == 0) continue;
    change.arcs.push_back({key.first, key.second, delta});
    change.arcs.push_back({key.second, key.first, delta});
    change.total_weight_delta += delta;
  }
  std::sort(change.arcs.begin(), change.arcs.end(),
            [](const ArcChange& a, const ArcChange& b) { return a.u != b.u ? a.u < b.u : a.v < b.v; });
  if (change.arcs.size() <= in_place) return change;
  change.merged = true;
  const auto& arcs = change.arcs;
  change.offsets.assign(offsets_.size(), 0);
  change.strength = strength_;
  std::vector<Neighbour>& adjacency = change.adjacency;
  adjacency.reserve(adjacency_.size() + arcs.size());
  size_t c = 0;
  for (int u = 0; u < n; ++u) {
    const auto b = static_cast<size_t>(offsets_[static_cast<size_t>(u)]);
    const auto e = static_cast<size_t>(offsets_[static_cast<size_t>(u) + 1]);
    if (c == arcs.size() || arcs[c].u != u) {
      adjacency.insert(adjacency.end(), adjacency_.begin() + static_cast<std::ptrdiff_t>(b),
                       adjacency_.begin() + static_cast<std::ptrdiff_t>(e));
    } else {
      // Row u merged with its changes (both sorted by node): a weight changed, an arc gone when its
      // weight reaches 0, a new arc (as ChangeArc does one at a time).
      size_t k = b;
      for (; c < arcs.size() && arcs[c].u == u; ++c) {
        const ArcChange& a = arcs[c];
        while (k < e && adjacency_[k].node < a.v) adjacency.push_back(adjacency_[k++]);
        change.strength[static_cast<size_t>(u)] += a.delta;
        if (k < e && adjacency_[k].node == a.v) {
          const double w = adjacency_[k++].weight + a.delta;
          if (w > 1e-12 * std::max(1.0, std::fabs(a.delta))) adjacency.push_back({a.v, w});
        } else {
          adjacency.push_back({a.v, a.delta});
        }
      }
      while (k < e) adjacency.push_back(adjacency_[k++]);
    }
    change.offsets[static_cast<size_t>(u) + 1] = static_cast<int64_t>(adjacency.size());
  }
  change.targets.resize(adjacency.size());
  change.arc_weights.resize(adjacency.size());
  for (size_t k = 0; k < adjacency.size(); ++k) {
    change.targets[k] = adjacency[k].node;
    change.arc_weights[k] = adjacency[k].weight;
  }
  change.weighted =
      std::any_of(change.arc_weights.begin(), change.arc_weights.end(), [](double w) { return w != 1.0; });
  return change;
}

void Fabric::Apply(EdgeChange& change) {
  total_weight_ += change.total_weight_delta;
  change.total_weight_delta = 0;
  if (!change.merged) {
    for (const ArcChange& a : change.arcs) ChangeArc(a.u, a.v, a.delta);
    change.arcs.clear();
    weighted_ = std::any_of(arc_weights_.begin(), arc_weights_.end(), [](double w) { return w != 1.0; });
    return;
  }
  offsets_.swap(change.offsets);
  targets_.swap(change.targets);
  arc_weights_.swap(change.arc_weights);
  adjacency_.swap(change.adjacency);
  strength_.swap(change.strength);
  std::swap(weighted_, change.weighted);
  change.merged = false;
  change.arcs.clear();
}

double Fabric::WeightBetween(int u, int v) const {
  auto row = Neighbours(u);
  auto it = std::lower_bound(row.begin(), row.end(), v, [](const Neighbour& a, int x) { return a.node < x; });
  if (it != row.end() && it->node == v) return it->weight;
  return 0;
}

std::vector<Edge> Fabric::Edges() const {
  std::vector<Edge> out;
  out.reserve(static_cast<size_t>(edge_count()));
  for (int u = 0; u < node_count(); ++u)
    for (const Neighbour& nb : Neighbours(u))
      if (nb.node > u) out.push_back({u, nb.node, nb.weight});
  return out;
}

Result<Fabric> Fabric::WithEdges(const std::vector<Edge>& extra) const {
  std::vector<Edge> all = Edges();
  all.insert(all.end(), extra.begin(), extra.end());
  bool was_weighted = weighted_;
  auto f = FromEdges(nodes_, all, true);
  if (f.ok() && was_weighted) f->weighted_ = true;
  return f;
}

std::vector<int> Fabric::HopDistances(int source, int max_hops) const {
  std::vector<int> dist(static_cast<size_t>(node_count()), -1);
  if (source < 0 || source >= node_count()) return dist;
  std::vector<int> queue;
  queue.reserve(static_cast<size_t>(node_count()));
  dist[static_cast<size_t>(source)] = 0;
  queue.push_back(source);
  for (size_t head = 0; head < queue.size(); ++head) {
    int u = queue[head];
    int du = dist[static_cast<size_t>(u)];
    if (max_hops >= 0 && du >= max_hops) continue;
    for (int64_t a = offsets_[static_cast<size_t>(u)]; a < offsets_[static_cast<size_t>(u) + 1]; ++a) {
      int v = targets_[static_cast<size_t>(a)];
      if (dist[static_cast<size_t>(v)] < 0) {
        dist[static_cast<size_t>(v)] = du + 1;
        queue.push_back(v);
      }
    }
  }
  return dist;
}

std::vector<double> Fabric::WeightedDistances(int source, double max_length) const {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> dist(static_cast<size_t>(node_count()), inf);
  if (source < 0 || source >= node_count()) return dist;
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  dist[static_cast<size_t>(source)] = 0;
  heap.push({0.0, source});
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    if (d > dist[static_cast<size_t>(u)]) continue;
    for (int64_t a = offsets_[static_cast<size_t>(u)]; a < offsets_[static_cast<size_t>(u) + 1]; ++a) {
      int v = targets_[static_cast<size_t>(a)];
      double nd = d + 1.0 / arc_weights_[static_cast<size_t>(a)];
      if (nd > max_length) continue;
      if (nd < dist[static_cast<size_t>(v)]) {
        dist[static_cast<size_t>(v)] = nd;
        heap.push({nd, v});
      }
    }
  }
  return dist;
}

Components ConnectedComponents(const Fabric& fabric) {
  const int n = fabric.node_count();
  std::vector<int> raw(static_cast<size_t>(n), -1);
  std::vector<int> sizes;
  std::vector<int> queue;
  queue.reserve(static_cast<size_t>(n));
  const auto& off = fabric.offsets();
  const auto& tg = fabric.targets();
  for (int s = 0; s < n; ++s) {
    if (raw[static_cast<size_t>(s)] >= 0) continue;
    int c = static_cast<int>(sizes.size());
    queue.clear();
    queue.push_back(s);
    raw[static_cast<size_t>(s)] = c;
    for (size_t h = 0; h < queue.size(); ++h) {
      int u = queue[h];
      for (int64_t a = off[static_cast<size_t>(u)]; a < off[static_cast<size_t>(u) + 1]; ++a) {
        int v = tg[static_cast<size_t>(a)];
        if (raw[static_cast<size_t>(v)] < 0) {
          raw[static_cast<size_t>(v)] = c;
          queue.push_back(v);
        }
      }
    }
    sizes.push_back(static_cast<int>(queue.size()));
  }
  // Renumber by decreasing size; ties keep discovery order (= smallest node index first).
  std::vector<int> order(sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return sizes[static_cast<size_t>(a)] > sizes[static_cast<size_t>(b)]; });
  std::vector<int> rank(sizes.size());
  for (size_t r = 0; r < order.size(); ++r) rank[static_cast<size_t>(order[r])] = static_cast<int>(r);
  Components out;
  out.count = static_cast<int>(sizes.size());
  out.membership.resize(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    out.membership[static_cast<size_t>(i)] = rank[static_cast<size_t>(raw[static_cast<size_t>(i)])];
  out.sizes.resize(sizes.size());
  for (size_t c = 0; c < sizes.size(); ++c) out.sizes[static_cast<size_t>(rank[c])] = sizes[c];
  return out;
}

double Modularity(const Fabric& fabric, const std::vector<int>& membership, double resolution, bool use_weights) {
  const int n = fabric.node_count();
  if (fabric.edge_count() == 0 || static_cast<int>(membership.size()) != n) return 0;
  int k = 0;
  for (int c : membership) k = std::max(k, c + 1);
  std::vector<double> in(static_cast<size_t>(k), 0), tot(static_cast<size_t>(k), 0);
  double total = 0;
  for (int u = 0; u < n; ++u) {
    int cu = membership[static_cast<size_t>(u)];
    for (const Neighbour& nb : fabric.Neighbours(u)) {
      double w = use_weights ? nb.weight : 1.0;
      tot[static_cast<size_t>(cu)] += w;
      total += w;
      if (membership[static_cast<size_t>(nb.node)] == cu) in[static_cast<size_t>(cu)] += w;
    }
  }
  // total = 2W; in[c] = 2 w_in(c); tot[c] = s_c.
  double q = 0;
  for (int c = 0; c < k; ++c) {
    double a = tot[static_cast<size_t>(c)] / total;
    q += in[static_cast<size_t>(c)] / total - resolution * a * a;
  }
  return q;
}

}  // namespace weefsel::fabric
