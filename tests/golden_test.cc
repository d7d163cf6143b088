// golden_test: each engine on a small input with its whole output checked in (issue 22, the test
// kit): testdata/golden/<case>.in.json -> <case>.out.json. A change of an engine's answer shows as a
// diff of the case's output in review, not only as a failed assertion somewhere. After an intended
// change: WEEFSEL_UPDATE_GOLDEN=1 build/tests/golden_test rewrites the .out.json files; read the diff
// before committing it.
//
// Input (one world per case): {"engine": "fabric_report" | "match", "actors": [{id, name, kind,
// municipality, description, themes, capabilities}], "ties": [{a, b, weight}], "past_work":
// [{actor, text}], "neighbours": [[m1, m2]], "challenge": {title, text, municipality, owner,
// capabilities: {tag: weight}}, "limit": n}. Numbers compare to a relative 1e-9 (the sanitizer
// build's clang and the release build's gcc round the last bits differently).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/vocabulary.h"
#include "fabric/analysis.h"
#include "fabric/export.h"
#include "match/match_json.h"
#include "match/matcher.h"

namespace weefsel {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path kDir = fs::path(WEEFSEL_SOURCE_DIR) / "testdata" / "golden";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<domain::Actor> Actors(const Json& in) {
  std::vector<domain::Actor> out;
  for (const Json& j : in.value("actors", Json::array())) {
    domain::Actor a;
    a.id = ActorId(j.at("id").get<int64_t>());
    a.name = j.value("name", "actor " + std::to_string(a.id.value()));
    a.kind = domain::ParseActorKind(j.value("kind", "company")).value();
    if (j.contains("municipality")) a.municipality = MunicipalityId(j["municipality"].get<int64_t>());
    a.description = j.value("description", "");
    a.themes = j.value("themes", std::vector<std::string>{});
    a.capabilities = j.value("capabilities", std::vector<std::string>{});
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<domain::Tie> Ties(const Json& in) {
  std::vector<domain::Tie> out;
  for (const Json& j : in.value("ties", Json::array())) {
    domain::Tie t;
    t.a = ActorId(j.at("a").get<int64_t>());
    t.b = ActorId(j.at("b").get<int64_t>());
    t.weight = j.value("weight", 1.0);
    out.push_back(t);
  }
  return out;
}

// The fabric report without its timings.
Json FabricReport(const Json& in) {
  auto f = fabric::Fabric::FromDomain(Actors(in), Ties(in));
  if (!f.ok()) return {{"error", f.status().ToString()}};
  auto r = fabric::Analyse(*f);
  if (!r.ok()) return {{"error", r.status().ToString()}};
  Json j = Json::parse(fabric::ToReportJson(*f, *r));
  for (const char* timing : {"seconds", "wall_seconds", "layout_seconds"}) j.erase(timing);
  return j;
}

Json Match(const Json& in) {
  std::vector<match::PastWork> past;
  for (const Json& j : in.value("past_work", Json::array()))
    past.push_back({ActorId(j.at("actor").get<int64_t>()), j.at("text").get<std::string>(), {}});
  match::Neighbours nb;
  for (const Json& pair : in.value("neighbours", Json::array())) {
    MunicipalityId x(pair.at(0).get<int64_t>()), y(pair.at(1).get<int64_t>());
    nb[x].insert(y);
    nb[y].insert(x);
  }
  auto m = match::Matcher::Build(Actors(in), Ties(in), past, nb);
  if (!m.ok()) return {{"error", m.status().ToString()}};
  const Json& cj = in.at("challenge");
  domain::Challenge c;
  c.title = cj.value("title", "");
  c.text = cj.value("text", "");
  c.language = cj.value("language", "nl");
  c.municipality = MunicipalityId(cj.value("municipality", int64_t{0}));
  c.owner = ActorId(cj.value("owner", int64_t{0}));
  const Json needs = cj.value("capabilities", Json::object());  // named: items() of a temporary would dangle
  for (const auto& [tag, w] : needs.items()) c.capabilities.push_back({tag, w.get<double>()});
  auto ranked = m->Rank(c, {.limit = in.value("limit", 10)});
  if (!ranked.ok()) return {{"error", ranked.status().ToString()}};
  Json out = Json::array();
  for (const match::Match& x : *ranked) out.push_back(Json::parse(match::ToJson(x).dump()));
  return out;
}

// The first place where `got` differs from `want`, as a JSON pointer with both values; "" if none.
std::string FirstDifference(const Json& want, const Json& got, const std::string& at = "") {
  if (want.is_number() && got.is_number()) {
    double a = want.get<double>(), b = got.get<double>();
    if (std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)})) return "";
    return (at.empty() ? "/" : at) + ": want " + want.dump() + ", got " + got.dump();
  }
  if (want.type() != got.type() || (!want.is_structured() && want != got))
    return (at.empty() ? "/" : at) + ": want " + want.dump() + ", got " + got.dump();
  if (want.is_array()) {
    if (want.size() != got.size())
      return (at.empty() ? "/" : at) + ": want " + std::to_string(want.size()) + " items, got " +
             std::to_string(got.size());
    for (size_t i = 0; i < want.size(); ++i)
      if (auto d = FirstDifference(want[i], got[i], at + "/" + std::to_string(i)); !d.empty()) return d;
  } else if (want.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (!got.contains(k)) return at + "/" + k + ": missing";
      if (auto d = FirstDifference(v, got[k], at + "/" + k); !d.empty()) return d;
    }
    for (const auto& [k, v] : got.items())
      if (!want.contains(k)) return at + "/" + k + ": not expected, got " + v.dump();
  }
  return "";
}

TEST(Golden, EveryEngineCaseGivesItsCheckedInOutput) {
  ASSERT_TRUE(fs::is_directory(kDir)) << kDir;
  const bool update = std::getenv("WEEFSEL_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    std::string name = entry.path().filename().string();
    if (name.size() < 8 || name.compare(name.size() - 8, 8, ".in.json") != 0) continue;
    ++cases;
    std::string stem = name.substr(0, name.size() - 8);
    SCOPED_TRACE(stem);
    Json in = Json::parse(Slurp(entry.path()));
    std::string engine = in.value("engine", "");
    Json got = engine == "fabric_report" ? FabricReport(in)
               : engine == "match"       ? Match(in)
                                         : Json{{"error", "unknown engine"}};
    ASSERT_FALSE(got.is_object() && got.contains("error")) << got.dump();
    fs::path out = kDir / (stem + ".out.json");
    if (update) {
      std::ofstream(out, std::ios::binary) << got.dump(2) << "\n";
      continue;
    }
    ASSERT_TRUE(fs::exists(out)) << out << " is missing; WEEFSEL_UPDATE_GOLDEN=1 writes it";
    EXPECT_EQ(FirstDifference(Json::parse(Slurp(out)), got), "")
        << stem << ": the engine's answer changed; if intended, WEEFSEL_UPDATE_GOLDEN=1 rewrites " << out;
  }
  EXPECT_GE(cases, 2) << "no cases in " << kDir;
}

}  // namespace
}  // namespace weefsel
