// fabric/export.cc: GraphML, GEXF and Kumu CSV writers.
#include "fabric/export.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "base/strings.h"

namespace weefsel::fabric {
namespace {

std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        out += c;
    }
  }
  return out;
}

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
    o << "  <key id=\"n" << a << "\" for=\"node\" attr.name=\"" << Xml(t.attrs[a].name) << "\" attr.type=\""
      << (t.attrs[a].type == "int" ? "long" : t.attrs[a].type) << "\"/>\n";
  o << "  <key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n";
  o << "  <graph id=\"weefsel\" edgedefault=\"undirected\">\n";
  for (int i = 0; i < f.node_count(); ++i) {
    o << "    <node id=\"n" << f.ExternalId(i) << "\">";
    const auto& row = t.values[static_cast<size_t>(i)];
    for (size_t a = 0; a < row.size(); ++a)
      if (!row[a].empty()) o << "<data key=\"n" << a << "\">" << Xml(row[a]) << "</data>";
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
    o << "      <attribute id=\"" << a << "\" title=\"" << Xml(t.attrs[a].name) << "\" type=\""
      << (t.attrs[a].type == "int" ? "integer" : t.attrs[a].type) << "\"/>\n";
  o << "    </attributes>\n    <nodes>\n";
  for (int i = 0; i < f.node_count(); ++i) {
    const auto& row = t.values[static_cast<size_t>(i)];
    o << "      <node id=\"" << f.ExternalId(i) << "\" label=\"" << Xml(row[0]) << "\"><attvalues>";
    for (size_t a = 1; a < row.size(); ++a)
      if (!row[a].empty()) o << "<attvalue for=\"" << a << "\" value=\"" << Xml(row[a]) << "\"/>";
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
