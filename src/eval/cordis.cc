#include "eval/cordis.h"

#include <zlib.h>

#include <cstdio>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "base/csv.h"
#include "base/strings.h"

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

std::vector<CordisSplit> ValidationYears(int years) {
  std::vector<CordisSplit> out;
  for (int y = 2018; y > 2018 - years && y >= 2015; --y)
    out.push_back({.cutoff = std::to_string(y) + "-01-01", .test_end = std::to_string(y + 1) + "-01-01"});
  return out;
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
