// weefsel fabric report | weave | export: the fabric engine on edge files.
//
// FILE.edges holds `u v [w]` lines; the nodes (isolates included) come from --nodes, or from the
// sibling FILE.nodes when it exists (as in ../shared/data/networks). All logic is in fabric/.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "fabric/analysis.h"
#include "fabric/export.h"
#include "fabric/fabric.h"
#include "fabric/weave.h"

namespace weefsel::cli {
namespace {

using nlohmann::json;

struct FabricArgs {
  std::string edges;
  std::string nodes;
  bool json = false;
  int runs = 10;
  uint64_t seed = 1;
  double resolution = 1.0;
  int threads = 2;
  int samples = 0;
  int k = 10;
  std::string format = "graphml";
  std::string out;
  bool measures = false;
};

void AddInput(CLI::App* sub, FabricArgs& a) {
  sub->add_option("edges", a.edges, "edge file: 'u v' or 'u v w' per line, '#' comments")->required();
  sub->add_option("--nodes", a.nodes,
                  "tab-separated node file with an 'id' header (default: FILE.nodes next to FILE.edges if present)");
}

Result<fabric::Fabric> Load(const FabricArgs& a) {
  std::string nodes = a.nodes;
  if (nodes.empty()) {
    std::filesystem::path p(a.edges);
    if (p.extension() == ".edges") {
      std::filesystem::path sib = p;
      sib.replace_extension(".nodes");
      if (std::filesystem::exists(sib)) nodes = sib.string();
    }
  }
  return fabric::Fabric::FromEdgeFiles(a.edges, nodes);
}

json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json ByNode(const fabric::Fabric& f, const std::vector<double>& v) {
  json o = json::object();
  for (int i = 0; i < f.node_count(); ++i) o[std::to_string(f.ExternalId(i))] = Num(v[static_cast<size_t>(i)]);
  return o;
}

json ByNodeInt(const fabric::Fabric& f, const std::vector<int>& v) {
  json o = json::object();
  for (int i = 0; i < f.node_count(); ++i) o[std::to_string(f.ExternalId(i))] = v[static_cast<size_t>(i)];
  return o;
}

json MeasuresJson(const fabric::Fabric& f, const fabric::Measures& m, int components, int diameter) {
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

json MixingJson(const fabric::MixingMatrix& m) {
  return json{{"categories", m.categories},
              {"observed", m.observed},
              {"expected", m.expected},
              {"ties", m.ties},
              {"ei_index", m.ei_index}};
}

json ReportJson(const fabric::Fabric& f, const fabric::Report& r) {
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
    roles[std::to_string(f.ExternalId(i))] = std::string(fabric::RoleCode(r.roles[static_cast<size_t>(i)]));
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
  return j;
}

void PrintTop(const fabric::Fabric& f, const std::vector<double>& v, bool lowest, const char* title) {
  std::vector<int> idx;
  for (int i = 0; i < f.node_count(); ++i)
    if (!std::isnan(v[static_cast<size_t>(i)])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
    return lowest ? v[static_cast<size_t>(a)] < v[static_cast<size_t>(b)]
                  : v[static_cast<size_t>(a)] > v[static_cast<size_t>(b)];
  });
  std::cout << title << ":";
  for (size_t i = 0; i < idx.size() && i < 5; ++i) {
    const auto& n = f.node(idx[i]);
    std::cout << "  " << n.external_id;
    if (!n.label.empty()) std::cout << " (" << n.label << ")";
    std::cout << " " << std::setprecision(6) << v[static_cast<size_t>(idx[i])];
  }
  std::cout << "\n";
}

void PrintReport(const fabric::Fabric& f, const fabric::Report& r) {
  std::cout << std::fixed << std::setprecision(4);
  std::cout << "nodes " << r.nodes << ", ties " << r.edges << (r.weighted ? " (weighted)" : "") << "\n";
  std::cout << "components " << r.components.count << ", largest " << r.components.sizes[0] << " ("
            << 100.0 * r.components.sizes[0] / std::max(1, r.nodes) << "%), diameter of the largest " << r.diameter
            << " hops\n";
  std::cout << "communities (Leiden) " << r.unweighted.communities.count << ", modularity "
            << r.unweighted.communities.modularity << " (Louvain " << r.unweighted.louvain_modularity << ")\n";
  if (r.weighted_measures)
    std::cout << "weighted: communities " << r.weighted_measures->communities.count << ", modularity "
              << r.weighted_measures->communities.modularity << "\n";
  std::cout << std::defaultfloat;
  PrintTop(f, r.unweighted.betweenness.values, false, "brokers (raw betweenness)");
  if (!r.unweighted.betweenness.exact)
    std::cout << "  (estimated from " << r.unweighted.betweenness.samples
              << " sources, error <= " << r.unweighted.betweenness.error_bound << " with 95% confidence)\n";
  PrintTop(f, r.unweighted.constraint, true, "structural holes (lowest constraint)");
  int counts[5] = {0, 0, 0, 0, 0};
  for (auto role : r.roles) ++counts[static_cast<int>(role)];
  std::cout << "roles:";
  for (int i = 0; i < 5; ++i) std::cout << " " << fabric::RoleCode(static_cast<fabric::Role>(i)) << " " << counts[i];
  std::cout << "\narticulation points " << r.structure.articulation_points.size() << ", bridges "
            << r.structure.bridges.size() << ", transitivity " << r.structure.transitivity << "\n";
  if (r.sectors.ties > 0) {
    std::cout << "sector mixing (observed / expected), E-I index " << r.sectors.ei_index << "\n";
    for (size_t a = 0; a < r.sectors.categories.size(); ++a) {
      std::cout << "  " << std::setw(14) << r.sectors.categories[a];
      for (size_t b = 0; b < r.sectors.categories.size(); ++b)
        std::cout << "  " << std::setw(6) << r.sectors.observed[a][b] << "/" << std::setw(8) << std::setprecision(5)
                  << r.sectors.expected[a][b];
      std::cout << "\n";
    }
  }
  std::cout << "seconds:";
  for (const auto& [k, v] : r.seconds) std::cout << " " << k << " " << std::setprecision(3) << v;
  std::cout << "\n";
}

}  // namespace

void RegisterFabricCommands(CLI::App& app) {
  static FabricArgs a;
  auto* fab = app.add_subcommand("fabric", "The collaboration network: report, weave suggestions, export");
  fab->require_subcommand(1);

  auto* report = fab->add_subcommand("report", "Communities, brokers, structural holes, cores, roles, sector mixing");
  AddInput(report, a);
  report->add_flag("--json", a.json, "one JSON object (node ids as in the files)");
  report->add_option("--runs", a.runs, "Leiden/Louvain runs (best kept)")->capture_default_str();
  report->add_option("--seed", a.seed, "random seed")->capture_default_str();
  report->add_option("--resolution", a.resolution, "modularity resolution")->capture_default_str();
  report->add_option("--threads", a.threads, "threads for betweenness")->capture_default_str();
  report->add_option("--samples", a.samples, "estimate betweenness from this many sources (0 = exact)")
      ->capture_default_str();
  SetAction(report, [] {
    if (a.runs < 1) return Fail(Status::InvalidArgument("--runs must be >= 1"));
    if (a.threads < 1) return Fail(Status::InvalidArgument("--threads must be >= 1"));
    if (a.samples < 0) return Fail(Status::InvalidArgument("--samples must be >= 0"));
    if (!(a.resolution > 0)) return Fail(Status::InvalidArgument("--resolution must be > 0"));
    auto f = Load(a);
    if (!f.ok()) return Fail(f.status());
    fabric::ReportOptions o;
    o.communities.runs = a.runs;
    o.communities.seed = a.seed;
    o.communities.resolution = a.resolution;
    o.betweenness.threads = a.threads;
    o.betweenness.samples = a.samples;
    o.betweenness.seed = a.seed;
    auto r = fabric::Analyse(*f, o);
    if (!r.ok()) return Fail(r.status());
    if (a.json) {
      std::cout << ReportJson(*f, *r).dump() << "\n";
    } else {
      PrintReport(*f, *r);
    }
    return 0;
  });

  auto* weave = fab->add_subcommand("weave", "The introductions that most strengthen the fabric");
  AddInput(weave, a);
  weave->add_option("--k", a.k, "number of suggestions")->capture_default_str();
  weave->add_option("--seed", a.seed, "random seed (communities)")->capture_default_str();
  weave->add_flag("--json", a.json, "JSON output");
  SetAction(weave, [] {
    if (a.k < 0) return Fail(Status::InvalidArgument("--k must be >= 0"));
    auto f = Load(a);
    if (!f.ok()) return Fail(f.status());
    fabric::WeaveOptions o;
    o.k = a.k;
    o.communities.seed = a.seed;
    auto w = fabric::SuggestWeaves(*f, o);
    if (!w.ok()) return Fail(w.status());
    if (a.json) {
      json list = json::array();
      for (const auto& s : w->suggestions)
        list.push_back({{"u", f->ExternalId(s.u)},
                        {"v", f->ExternalId(s.v)},
                        {"gain", s.gain},
                        {"parts",
                         {{"reach", s.parts.reach},
                          {"bridging", s.parts.bridging},
                          {"redundancy", s.parts.redundancy},
                          {"mix", s.parts.mix}}},
                        {"reason", s.reason}});
      std::cout << json{{"objective_before", w->objective_before},
                        {"objective_after", w->objective_after},
                        {"candidates", w->candidates},
                        {"suggestions", list}}
                       .dump()
                << "\n";
    } else {
      std::cout << "objective " << w->objective_before << " -> " << w->objective_after << " (" << w->candidates
                << " candidate pairs)\n";
      int i = 1;
      for (const auto& s : w->suggestions) {
        auto name = [&](int x) {
          const auto& n = f->node(x);
          return std::to_string(n.external_id) + (n.label.empty() ? "" : " (" + n.label + ")");
        };
        std::cout << i++ << ". " << name(s.u) << " + " << name(s.v) << "  gain " << s.gain << "  " << s.reason << "\n";
      }
    }
    return 0;
  });

  auto* exp = fab->add_subcommand("export", "GraphML, GEXF (Gephi) or Kumu CSV");
  AddInput(exp, a);
  exp->add_option("--format", a.format, "graphml, gexf or kumu")->capture_default_str();
  exp->add_option("--out", a.out, "output file (kumu: prefix for -elements.csv and -connections.csv); default stdout");
  exp->add_flag("--with-measures", a.measures, "add the report's measures as node attributes");
  SetAction(exp, [] {
    if (a.format != "graphml" && a.format != "gexf" && a.format != "kumu")
      return Fail(Status::InvalidArgument("--format: expected graphml, gexf or kumu, got '" + a.format + "'"));
    auto f = Load(a);
    if (!f.ok()) return Fail(f.status());
    std::optional<fabric::Report> report;
    if (a.measures) {
      auto r = fabric::Analyse(*f);
      if (!r.ok()) return Fail(r.status());
      report = std::move(r).value();
    }
    const fabric::Report* rp = report ? &*report : nullptr;
    auto write = [](const std::string& path, const std::string& text) -> Status {
      if (path.empty()) {
        std::cout << text;
        return Status::Ok();
      }
      std::ofstream out(path, std::ios::binary);
      if (!out) return Status::InvalidArgument("--out: cannot write " + path);
      out << text;
      return out ? Status::Ok() : Status::Internal("writing " + path + " failed");
    };
    Status s;
    if (a.format == "graphml") {
      s = write(a.out, fabric::ToGraphMl(*f, rp));
    } else if (a.format == "gexf") {
      s = write(a.out, fabric::ToGexf(*f, rp));
    } else {
      fabric::KumuSheets k = fabric::ToKumu(*f, rp);
      if (a.out.empty()) {
        std::cout << "# elements\n" << k.elements << "# connections\n" << k.connections;
      } else {
        s = write(a.out + "-elements.csv", k.elements);
        if (s.ok()) s = write(a.out + "-connections.csv", k.connections);
      }
    }
    return s.ok() ? 0 : Fail(s);
  });
}

}  // namespace weefsel::cli
