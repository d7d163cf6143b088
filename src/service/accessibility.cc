#include "service/accessibility.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/strings.h"

namespace weefsel::service {
namespace {

using nlohmann::json;

// Reads the fields of one JSON object, refusing unknown ones (a misspelt field would otherwise be
// lost without a word) and naming the file and the field's path on every error.
class Reader {
 public:
  Reader(const json& j, std::string source, std::string where)
      : j_(j), source_(std::move(source)), where_(std::move(where)) {}

  Status Error(const std::string& field, const std::string& what) const {
    return Status::InvalidArgument(source_ + ": " + where_ + field + ": " + what);
  }
  Status Text(const char* field, std::string& out, bool required, size_t max = 2000) {
    seen_.insert(field);
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) {
      if (required) return Error(field, "is required");
      return Status::Ok();
    }
    if (!it->is_string()) return Error(field, "must be text");
    out = it->get<std::string>();
    if (!IsUtf8(out)) return Error(field, "is not valid UTF-8");
    if (out.size() > max) return Error(field, "at most " + std::to_string(max) + " bytes");
    if (required && Trim(out).empty()) return Error(field, "is required");
    return Status::Ok();
  }
  Status Date(const char* field, std::string& out, bool required) {
    WEEFSEL_RETURN_IF_ERROR(Text(field, out, required, 10));
    if (!out.empty() && !IsIsoDate(out)) return Error(field, "'" + out + "' is not a date YYYY-MM-DD");
    return Status::Ok();
  }
  Status Int(const char* field, int& out, int lo, int hi) {
    seen_.insert(field);
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) return Status::Ok();
    if (!it->is_number_integer() || it->get<int64_t>() < lo || it->get<int64_t>() > hi)
      return Error(field, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    out = it->get<int>();
    return Status::Ok();
  }
  // The array at `field` (empty when absent); each element is handed to `fn` with its path.
  template <typename Fn>
  Status Array(const char* field, Fn fn) {
    seen_.insert(field);
    auto it = j_.find(field);
    if (it == j_.end() || it->is_null()) return Status::Ok();
    if (!it->is_array()) return Error(field, "must be a list");
    if (it->size() > 10000) return Error(field, "at most 10000 entries");
    for (size_t i = 0; i < it->size(); ++i)
      WEEFSEL_RETURN_IF_ERROR(fn((*it)[i], where_ + field + "[" + std::to_string(i) + "]."));
    return Status::Ok();
  }
  Status Done() const {
    for (const auto& [k, v] : j_.items())
      if (!seen_.count(k)) return Error(k, "unknown field");
    return Status::Ok();
  }

 private:
  const json& j_;
  std::string source_;
  std::string where_;
  std::set<std::string> seen_;
};

Result<json> ParseJsonObject(const std::string& text, const std::string& source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::InvalidArgument(source + ": not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument(source + ": must be a JSON object");
  return j;
}

Status NotObject(const std::string& source, const std::string& where) {
  std::string at = where.empty() ? where : where.substr(0, where.size() - 1);
  return Status::InvalidArgument(source + ": " + at + ": must be an object");
}

}  // namespace

const char* StatusLabel(char status) {
  switch (status) {
    case 'A':
      return "voldoet volledig";
    case 'B':
      return "voldoet gedeeltelijk";
    case 'C':
      return "eerste maatregelen genomen";
    case 'D':
      return "voldoet niet";
    default:
      return "geen inzicht";
  }
}

Result<AccessibilityStatement> ParseAccessibilityStatement(const std::string& text, const std::string& source) {
  WEEFSEL_ASSIGN_OR_RETURN(json j, ParseJsonObject(text, source));
  AccessibilityStatement st;
  Reader r(j, source, "");
  WEEFSEL_RETURN_IF_ERROR(r.Text("organisation", st.organisation, true, 200));
  WEEFSEL_RETURN_IF_ERROR(r.Text("website", st.website, true, 500));
  std::string status;
  WEEFSEL_RETURN_IF_ERROR(r.Text("status", status, true, 1));
  if (status.size() != 1 || status[0] < 'A' || status[0] > 'E')
    return r.Error("status", "'" + status + "' is not one of A, B, C, D, E (the model statement's statuses)");
  st.status = status[0];
  WEEFSEL_RETURN_IF_ERROR(r.Date("audit_date", st.audit_date, false));
  WEEFSEL_RETURN_IF_ERROR(r.Text("audit_by", st.audit_by, false, 200));
  WEEFSEL_RETURN_IF_ERROR(r.Text("audit_method", st.audit_method, false));
  WEEFSEL_RETURN_IF_ERROR(r.Text("audit_report", st.audit_report, false, 500));
  if ((st.status == 'A' || st.status == 'B') && st.audit_date.empty())
    return r.Error("audit_date", "status " + status + " needs the date of the audit it rests on");
  WEEFSEL_RETURN_IF_ERROR(r.Array("known_issues", [&](const json& e, const std::string& where) -> Status {
    if (!e.is_object()) return NotObject(source, where);
    Reader ir(e, source, where);
    KnownIssue k;
    WEEFSEL_RETURN_IF_ERROR(ir.Text("problem", k.problem, true));
    WEEFSEL_RETURN_IF_ERROR(ir.Text("criterion", k.criterion, false, 200));
    WEEFSEL_RETURN_IF_ERROR(ir.Text("reason", k.reason, false));
    WEEFSEL_RETURN_IF_ERROR(ir.Date("fix_by", k.fix_by, false));
    WEEFSEL_RETURN_IF_ERROR(ir.Done());
    st.known_issues.push_back(std::move(k));
    return Status::Ok();
  }));
  WEEFSEL_RETURN_IF_ERROR(r.Array("measures", [&](const json& e, const std::string& where) -> Status {
    if (!e.is_string() || e.get<std::string>().empty() || !IsUtf8(e.get<std::string>()))
      return Status::InvalidArgument(source + ": " + where.substr(0, where.size() - 1) + ": must be text");
    st.measures.push_back(e.get<std::string>());
    return Status::Ok();
  }));
  WEEFSEL_RETURN_IF_ERROR(r.Text("contact_email", st.contact_email, true, 200));
  if (st.contact_email.find('@') == std::string::npos)
    return r.Error("contact_email", "'" + st.contact_email + "' is not an e-mail address");
  WEEFSEL_RETURN_IF_ERROR(r.Text("contact_phone", st.contact_phone, false, 50));
  WEEFSEL_RETURN_IF_ERROR(r.Text("contact_url", st.contact_url, false, 500));
  WEEFSEL_RETURN_IF_ERROR(r.Int("response_days", st.response_days, 1, 60));
  WEEFSEL_RETURN_IF_ERROR(r.Text("ombudsman", st.ombudsman, false, 200));
  WEEFSEL_RETURN_IF_ERROR(r.Text("ombudsman_url", st.ombudsman_url, false, 500));
  WEEFSEL_RETURN_IF_ERROR(r.Date("drawn_up", st.drawn_up, true));
  WEEFSEL_RETURN_IF_ERROR(r.Date("revised", st.revised, false));
  if (!st.revised.empty() && st.revised < st.drawn_up)
    return r.Error("revised", st.revised + " is before drawn_up " + st.drawn_up);
  WEEFSEL_RETURN_IF_ERROR(r.Done());
  return st;
}

Result<AxeResults> ParseAxeResults(const std::string& text, const std::string& source) {
  WEEFSEL_ASSIGN_OR_RETURN(json j, ParseJsonObject(text, source));
  AxeResults res;
  Reader r(j, source, "");
  WEEFSEL_RETURN_IF_ERROR(r.Text("tool", res.tool, true, 100));
  WEEFSEL_RETURN_IF_ERROR(r.Date("at", res.at, true));
  WEEFSEL_RETURN_IF_ERROR(r.Text("rules", res.rules, false, 200));
  WEEFSEL_RETURN_IF_ERROR(r.Array("runs", [&](const json& e, const std::string& where) -> Status {
    if (!e.is_object()) return NotObject(source, where);
    Reader rr(e, source, where);
    AxeRun run;
    WEEFSEL_RETURN_IF_ERROR(rr.Text("page", run.page, true, 500));
    WEEFSEL_RETURN_IF_ERROR(rr.Text("locale", run.locale, true, 10));
    WEEFSEL_RETURN_IF_ERROR(rr.Text("theme", run.theme, false, 100));
    WEEFSEL_RETURN_IF_ERROR(rr.Text("viewport", run.viewport, false, 20));
    WEEFSEL_RETURN_IF_ERROR(rr.Array("violations", [&](const json& v, const std::string& vw) -> Status {
      if (!v.is_object()) return NotObject(source, vw);
      Reader vr(v, source, vw);
      AxeRun::Violation x;
      WEEFSEL_RETURN_IF_ERROR(vr.Text("id", x.id, true, 100));
      WEEFSEL_RETURN_IF_ERROR(vr.Text("impact", x.impact, false, 20));
      WEEFSEL_RETURN_IF_ERROR(vr.Text("help", x.help, false));
      WEEFSEL_RETURN_IF_ERROR(vr.Int("nodes", x.nodes, 0, 1000000));
      WEEFSEL_RETURN_IF_ERROR(vr.Done());
      run.violations.push_back(std::move(x));
      return Status::Ok();
    }));
    WEEFSEL_RETURN_IF_ERROR(rr.Done());
    res.runs.push_back(std::move(run));
    return Status::Ok();
  }));
  WEEFSEL_RETURN_IF_ERROR(r.Done());
  return res;
}

}  // namespace weefsel::service
