// fabric/export.cc: GraphML, GEXF and Kumu CSV writers.
#include "fabric/export.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/strings.h"

namespace weefsel::fabric {
namespace {

std::string Csv(std::string_view s) {
  bool quote = s.find_first_of(",\"\n\r") != std::string_view::npos;
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Num(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

struct Attr {
  std::string name;
  std::string type;  // string, double, int
};

// The node attributes (name, type) and each node's values, in a fixed order.
struct NodeTable {
  std::vector<Attr> attrs;
  std::vector<std::vector<std::string>> values;  // [node][attr], empty = missing
};

NodeTable Table(const Fabric& f, const Report* r) {
  NodeTable t;
  t.attrs = {{"label", "string"}, {"kind", "string"},   {"sector", "string"},
             {"area", "string"},  {"themes", "string"}, {"capabilities", "string"}};
  std::vector<std::string> extra;
  std::map<std::string, size_t> extra_index;
  for (const NodeInfo& n : f.nodes())
    for (const auto& [k, v] : n.attributes)
      if (!extra_index.count(k)) {
        extra_index[k] = extra.size();
        extra.push_back(k);
      }
  for (const auto& e : extra) t.attrs.push_back({"attr_" + e, "string"});
  if (r) {
    for (const Attr& a : std::vector<Attr>{{"degree", "int"},
                                           {"community", "int"},
                                           {"betweenness", "double"},
                                           {"constraint", "double"},
                                           {"coreness", "int"},
                                           {"role", "string"}})
      t.attrs.push_back(a);
  }
  t.values.resize(static_cast<size_t>(f.node_count()));
  for (int i = 0; i < f.node_count(); ++i) {
    const NodeInfo& n = f.node(i);
    auto& row = t.values[static_cast<size_t>(i)];
    row.push_back(n.label.empty() ? std::to_string(n.external_id) : n.label);
    row.push_back(n.kind ? std::string(domain::ActorKindCode(*n.kind)) : "");
    row.push_back(n.kind ? std::string(domain::SectorCode(domain::SectorOf(*n.kind))) : "");
    row.push_back(n.area);
    row.push_back(Join(n.themes, ";"));
    row.push_back(Join(n.capabilities, ";"));
    std::vector<std::string> ev(extra.size());
    for (const auto& [k, v] : n.attributes) ev[extra_index[k]] = v;
    row.insert(row.end(), ev.begin(), ev.end());
    if (r) {
      size_t u = static_cast<size_t>(i);
      row.push_back(std::to_string(r->degree[u]));
      row.push_back(std::to_string(r->unweighted.communities.membership[u]));
      row.push_back(Num(r->unweighted.betweenness.values[u]));
      row.push_back(Num(r->unweighted.constraint[u]));
      row.push_back(std::to_string(r->structure.coreness[u]));
      row.push_back(std::string(RoleCode(r->roles[u])));
    }
  }
  return t;
}

}  // namespace

std::string ToGraphMl(const Fabric& f, const Report* r) {
  NodeTable t = Table(f, r);
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
       "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
       "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
       "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  for (size_t a = 0; a < t.attrs.size(); ++a)
    o << "  <key id=\"n" << a << "\" for=\"node\" attr.name=\"" << XmlEscape(t.attrs[a].name) << "\" attr.type=\""
      << (t.attrs[a].type == "int" ? "long" : t.attrs[a].type) << "\"/>\n";
  o << "  <key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n";
  o << "  <graph id=\"weefsel\" edgedefault=\"undirected\">\n";
  for (int i = 0; i < f.node_count(); ++i) {
    o << "    <node id=\"n" << f.ExternalId(i) << "\">";
    const auto& row = t.values[static_cast<size_t>(i)];
    for (size_t a = 0; a < row.size(); ++a)
      if (!row[a].empty()) o << "<data key=\"n" << a << "\">" << XmlEscape(row[a]) << "</data>";
    o << "</node>\n";
  }
  int64_t e = 0;
  for (const Edge& edge : f.Edges())
    o << "    <edge id=\"e" << e++ << "\" source=\"n" << f.ExternalId(edge.u) << "\" target=\"n" << f.ExternalId(edge.v)
      << "\"><data key=\"w\">" << Num(edge.weight) << "</data></edge>\n";
  o << "  </graph>\n</graphml>\n";
  return o.str();
}

std::string ToGexf(const Fabric& f, const Report* r) {
  NodeTable t = Table(f, r);
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n"
    << "  <meta><creator>weefsel</creator><description>collaboration fabric</description></meta>\n"
    << "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
    << "    <attributes class=\"node\">\n";
  // Attribute 0 (label) is the node label in GEXF, not an attribute.
  for (size_t a = 1; a < t.attrs.size(); ++a)
    o << "      <attribute id=\"" << a << "\" title=\"" << XmlEscape(t.attrs[a].name) << "\" type=\""
      << (t.attrs[a].type == "int" ? "integer" : t.attrs[a].type) << "\"/>\n";
  o << "    </attributes>\n    <nodes>\n";
  for (int i = 0; i < f.node_count(); ++i) {
    const auto& row = t.values[static_cast<size_t>(i)];
    o << "      <node id=\"" << f.ExternalId(i) << "\" label=\"" << XmlEscape(row[0]) << "\"><attvalues>";
    for (size_t a = 1; a < row.size(); ++a)
      if (!row[a].empty()) o << "<attvalue for=\"" << a << "\" value=\"" << XmlEscape(row[a]) << "\"/>";
    o << "</attvalues></node>\n";
  }
  o << "    </nodes>\n    <edges>\n";
  int64_t e = 0;
  for (const Edge& edge : f.Edges())
    o << "      <edge id=\"" << e++ << "\" source=\"" << f.ExternalId(edge.u) << "\" target=\"" << f.ExternalId(edge.v)
      << "\" weight=\"" << Num(edge.weight) << "\"/>\n";
  o << "    </edges>\n  </graph>\n</gexf>\n";
  return o.str();
}

KumuSheets ToKumu(const Fabric& f, const Report* r) {
  NodeTable t = Table(f, r);
  KumuSheets k;
  std::ostringstream el, co;
  // Kumu links connections to elements by Label, so the label must be unique: use the id, and keep
  // a readable name in its own column.
  el << "Label,Name,Type,Tags,Description";
  for (size_t a = 2; a < t.attrs.size(); ++a) el << "," << Csv(t.attrs[a].name);
  el << "\n";
  for (int i = 0; i < f.node_count(); ++i) {
    const auto& row = t.values[static_cast<size_t>(i)];
    const NodeInfo& n = f.node(i);
    std::vector<std::string> tags = n.themes;
    tags.insert(tags.end(), n.capabilities.begin(), n.capabilities.end());
    el << f.ExternalId(i) << "," << Csv(row[0]) << "," << Csv(row[1]) << "," << Csv(Join(tags, "|")) << ",";
    for (size_t a = 2; a < row.size(); ++a) el << "," << Csv(row[a]);
    el << "\n";
  }
  co << "From,To,Type,Strength\n";
  for (const Edge& edge : f.Edges())
    co << f.ExternalId(edge.u) << "," << f.ExternalId(edge.v) << ",tie," << Num(edge.weight) << "\n";
  k.elements = el.str();
  k.connections = co.str();
  return k;
}

}  // namespace weefsel::fabric

namespace weefsel::fabric {
namespace {

using nlohmann::json;

json JsonNum(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json ByNode(const Fabric& f, const std::vector<double>& v) {
  json o = json::object();
  for (int i = 0; i < f.node_count(); ++i) o[std::to_string(f.ExternalId(i))] = JsonNum(v[static_cast<size_t>(i)]);
  return o;
}

json ByNodeInt(const Fabric& f, const std::vector<int>& v) {
  json o = json::object();
  for (int i = 0; i < f.node_count(); ++i) o[std::to_string(f.ExternalId(i))] = v[static_cast<size_t>(i)];
  return o;
}

json MeasuresJson(const Fabric& f, const Measures& m, int components, int diameter) {
  json j;
  j["components"] = components;
  j["modularity"] = m.communities.modularity;
  j["community_count"] = m.communities.count;
  j["louvain_modularity"] = m.louvain_modularity;
  j["communities"] = ByNodeInt(f, m.communities.membership);
  j["betweenness"] = ByNode(f, m.betweenness.values);
  j["betweenness_exact"] = m.betweenness.exact;
  if (!m.betweenness.exact) {
    j["betweenness_samples"] = m.betweenness.samples;
    j["betweenness_error_bound"] = m.betweenness.error_bound;
  }
  j["constraint"] = ByNode(f, m.constraint);
  j["diameter"] = diameter;
  return j;
}

json MixingJson(const MixingMatrix& m) {
  return json{{"categories", m.categories},
              {"observed", m.observed},
              {"expected", m.expected},
              {"ties", m.ties},
              {"ei_index", m.ei_index}};
}

json ReportObject(const Fabric& f, const Report& r) {
  json j = MeasuresJson(f, r.unweighted, r.components.count, r.diameter);
  j["nodes"] = r.nodes;
  j["edges"] = r.edges;
  j["is_weighted"] = r.weighted;
  j["largest_component"] = r.components.sizes.empty() ? 0 : r.components.sizes[0];
  j["degree"] = ByNodeInt(f, r.degree);
  if (r.weighted) j["strength"] = ByNode(f, r.strength);
  j["coreness"] = ByNodeInt(f, r.structure.coreness);
  j["clustering"] = ByNode(f, r.structure.clustering);
  j["transitivity"] = r.structure.transitivity;
  json ap = json::array();
  for (int a : r.structure.articulation_points) ap.push_back(f.ExternalId(a));
  j["articulation_points"] = ap;
  json br = json::array();
  for (const auto& e : r.structure.bridges) br.push_back({f.ExternalId(e.u), f.ExternalId(e.v)});
  j["bridges"] = br;
  json roles = json::object();
  for (int i = 0; i < f.node_count(); ++i)
    roles[std::to_string(f.ExternalId(i))] = std::string(RoleCode(r.roles[static_cast<size_t>(i)]));
  j["roles"] = roles;
  json profiles = json::array();
  for (const auto& p : r.profiles) {
    json top = json::array();
    for (int t : p.top_nodes) top.push_back(f.ExternalId(t));
    profiles.push_back({{"community", p.community},
                        {"size", p.size},
                        {"kinds", p.kinds},
                        {"sectors", p.sectors},
                        {"themes", p.themes},
                        {"areas", p.areas},
                        {"capabilities", p.capabilities},
                        {"internal_ties", p.internal_ties},
                        {"external_ties", p.external_ties},
                        {"top_nodes", top}});
  }
  j["community_profiles"] = profiles;
  j["kind_mixing"] = MixingJson(r.kinds);
  j["sector_mixing"] = MixingJson(r.sectors);
  j["ei_index"] = r.sectors.ei_index;
  if (r.weighted_measures) j["weighted"] = MeasuresJson(f, *r.weighted_measures, r.components.count, r.diameter);
  json secs = json::object();
  for (const auto& [k, v] : r.seconds) secs[k] = v;
  j["seconds"] = secs;
  j["wall_seconds"] = r.wall_seconds;
  return j;
}

}  // namespace

std::string ToReportJson(const Fabric& fabric, const Report& report) { return ReportObject(fabric, report).dump(); }

nlohmann::ordered_json WeaveObject(const WeaveResult& weave,
                                   const std::function<nlohmann::ordered_json(int node)>& node) {
  using ojson = nlohmann::ordered_json;
  ojson items = ojson::array();
  for (const auto& s : weave.suggestions)
    items.push_back({{"from", node(s.u)},
                     {"to", node(s.v)},
                     {"gain", s.gain},
                     {"parts",
                      {{"reach", s.parts.reach},
                       {"bridging", s.parts.bridging},
                       {"redundancy", s.parts.redundancy},
                       {"mix", s.parts.mix}}},
                     {"reason", s.reason}});
  return {{"objective_before", weave.objective_before},
          {"objective_after", weave.objective_after},
          {"candidates", weave.candidates},
          {"suggestions", std::move(items)}};
}

}  // namespace weefsel::fabric
