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
#include <optional>

#include "cli/commands.h"
#include "fabric/analysis.h"
#include "fabric/export.h"
#include "fabric/fabric.h"
#include "fabric/health.h"
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
  std::string compare;        // a second edge file (health, typology)
  std::string compare_nodes;  // its node file
  int groups = 6;
};

void AddInput(CLI::App* sub, FabricArgs& a) {
  sub->add_option("edges", a.edges, "edge file: 'u v' or 'u v w' per line, '#' comments")->required();
  sub->add_option("--nodes", a.nodes,
                  "tab-separated node file with an 'id' header (default: FILE.nodes next to FILE.edges if present)");
}

Result<fabric::Fabric> LoadFiles(const std::string& edges, std::string nodes) {
  if (nodes.empty()) {
    std::filesystem::path p(edges);
    if (p.extension() == ".edges") {
      std::filesystem::path sib = p;
      sib.replace_extension(".nodes");
      if (std::filesystem::exists(sib)) nodes = sib.string();
    }
  }
  return fabric::Fabric::FromEdgeFiles(edges, nodes);
}

Result<fabric::Fabric> Load(const FabricArgs& a) { return LoadFiles(a.edges, a.nodes); }

void AddCompare(CLI::App* sub, FabricArgs& a, const char* what) {
  sub->add_option("--compare", a.compare, what);
  sub->add_option("--compare-nodes", a.compare_nodes,
                  "node file of --compare (default: its sibling .nodes file if present)");
}

json HealthJson(const fabric::HealthSnapshot& h) {
  return json{{"label", h.label},
              {"actors", h.actors},
              {"ties", h.ties},
              {"cross_sector_share", h.cross_sector_share},
              {"largest_component_share", h.largest_component_share},
              {"isolates", h.isolates},
              {"components", h.components},
              {"modularity", h.modularity},
              {"mean_sector_distance", h.mean_sector_distance},
              {"sector_distance_exact", h.sector_distance_exact}};
}

void PrintHealth(const fabric::HealthSnapshot& h) {
  std::cout << h.label << ": actors " << h.actors << ", ties " << h.ties << ", cross-sector share "
            << h.cross_sector_share << ", in the largest component " << h.largest_component_share << ", isolates "
            << h.isolates << ", components " << h.components << ", modularity " << h.modularity
            << ", mean distance between sectors " << h.mean_sector_distance
            << (h.sector_distance_exact ? "" : " (sampled)") << "\n";
}

json TypologyJson(const fabric::Typology& t) {
  json groups = json::array();
  for (const auto& g : t.groups)
    groups.push_back({{"id", g.id}, {"name", g.name}, {"features", g.features}, {"size", g.size}});
  json members = json::object();
  for (size_t i = 0; i < t.actors.size(); ++i) members[std::to_string(t.actors[i])] = t.group[i];
  return json{{"label", t.label}, {"groups", groups}, {"group_of", members}};
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
  auto* fab =
      app.add_subcommand("fabric", "The collaboration network: report, weave suggestions, health, typology, export");
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
      std::cout << fabric::ToReportJson(*f, *r) << "\n";
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
      std::cout << fabric::WeaveObject(*w, [&](int node) { return nlohmann::ordered_json(f->ExternalId(node)); }).dump()
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
  auto* health = fab->add_subcommand(
      "health",
      "Health of the fabric: cross-sector share of ties, share in the largest component, isolates, components, "
      "modularity and mean distance between sectors; with --compare, the change to a second snapshot. Sectors "
      "come from a 'type' column of the .nodes file (CORDIS PRC/HES/REC/PUB/OTH or an actor kind); without "
      "one the sector measures are 0");
  AddInput(health, a);
  AddCompare(health, a, "a later snapshot as a second edge file: print both and the change of every field");
  health->add_option("--seed", a.seed, "random seed (communities, sampled distances)")->capture_default_str();
  health->add_flag("--json", a.json, "JSON output");
  SetAction(health, [] {
    auto f = Load(a);
    if (!f.ok()) return Fail(f.status());
    fabric::HealthOptions o;
    o.seed = a.seed;
    o.communities.seed = a.seed;
    auto h = fabric::MeasureHealth(*f, a.edges, o);
    if (!h.ok()) return Fail(h.status());
    std::optional<fabric::HealthSnapshot> later;
    if (!a.compare.empty()) {
      auto g = LoadFiles(a.compare, a.compare_nodes);
      if (!g.ok()) return Fail(g.status());
      auto h2 = fabric::MeasureHealth(*g, a.compare, o);
      if (!h2.ok()) return Fail(h2.status());
      later = std::move(h2).value();
    }
    if (a.json) {
      json j = HealthJson(*h);
      if (later) {
        json changes = json::array();
        for (const auto& d : fabric::CompareHealth(*h, *later))
          changes.push_back({{"field", d.field},
                             {"before", d.before},
                             {"after", d.after},
                             {"change", d.change},
                             {"better", d.better}});
        j = json{{"before", j}, {"after", HealthJson(*later)}, {"changes", changes}};
      }
      std::cout << j.dump() << "\n";
      return 0;
    }
    PrintHealth(*h);
    if (later) {
      PrintHealth(*later);
      for (const auto& d : fabric::CompareHealth(*h, *later))
        std::cout << "  " << std::left << std::setw(24) << d.field << std::right << " " << d.before << " -> " << d.after
                  << " (" << (d.change >= 0 ? "+" : "") << d.change << ", "
                  << (d.change == 0 ? "same"
                      : d.better    ? "better"
                                    : "worse")
                  << ")\n";
    }
    return 0;
  });

  auto* typology = fab->add_subcommand(
      "typology",
      "Groups of nodes by k-means over their kind (a 'type' column of .nodes), themes and capabilities (empty in "
      "plain edge files) and fabric role (hub, broker, peripheral, isolate, member), named from their most "
      "over-represented features; with --compare, the same on a second edge file and the stability (adjusted "
      "Rand index, normalised mutual information) over the node ids present in both");
  AddInput(typology, a);
  AddCompare(typology, a, "a second period as an edge file: its typology and the stability between the two");
  typology->add_option("--groups", a.groups, "number of groups (k)")->capture_default_str();
  typology->add_option("--seed", a.seed, "random seed (k-means)")->capture_default_str();
  typology->add_flag("--json", a.json, "JSON output");
  SetAction(typology, [] {
    if (a.groups < 1) return Fail(Status::InvalidArgument("--groups must be >= 1"));
    auto f = Load(a);
    if (!f.ok()) return Fail(f.status());
    fabric::TypologyOptions o;
    o.groups = a.groups;
    o.seed = a.seed;
    auto t = fabric::FindTypology(*f, a.edges, o);
    if (!t.ok()) return Fail(t.status());
    std::optional<fabric::Typology> other;
    if (!a.compare.empty()) {
      auto g = LoadFiles(a.compare, a.compare_nodes);
      if (!g.ok()) return Fail(g.status());
      auto t2 = fabric::FindTypology(*g, a.compare, o);
      if (!t2.ok()) return Fail(t2.status());
      other = std::move(t2).value();
    }
    if (a.json) {
      json j = TypologyJson(*t);
      if (other) {
        fabric::TypologyStability st = fabric::CompareTypologies(*t, *other);
        j = json{{"first", j},
                 {"second", TypologyJson(*other)},
                 {"stability", {{"common_actors", st.common_actors}, {"ari", st.ari}, {"nmi", st.nmi}}}};
      }
      std::cout << j.dump() << "\n";
      return 0;
    }
    auto print = [](const fabric::Typology& ty) {
      std::cout << ty.label << ": " << ty.actors.size() << " nodes in " << ty.groups.size() << " groups\n";
      for (const auto& g : ty.groups) std::cout << "  " << g.id << ". " << g.name << "  (" << g.size << ")\n";
    };
    print(*t);
    if (other) {
      print(*other);
      fabric::TypologyStability st = fabric::CompareTypologies(*t, *other);
      std::cout << "stability over " << st.common_actors << " common nodes: adjusted Rand index " << st.ari
                << ", normalised mutual information " << st.nmi << "\n";
    }
    return 0;
  });
}

}  // namespace weefsel::cli
