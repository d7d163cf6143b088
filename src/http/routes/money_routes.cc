// http/routes/money_routes.cc: the money routes of the API (see http/api.h for the table).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <optional>
#include "base/strings.h"
#include "http/api.h"
#include "http/call.h"
#include "http/routes/route_kit.h"
#include "http/routes/task_challenges_json.h"
#include "match/match_json.h"
#include "service/evidence_files.h"

namespace weefsel::http {

using namespace kit;  // NOLINT(google-build-using-namespace): the routes' shared vocabulary

void Api::BuildMoneyRoutes() {
  service::Platform& P = platform_;
  // The programme's money: proposals into rounds, allocations, milestones released on evidence,
  // the municipality's overview and match-funding campaigns beside rounds.
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/proposals",
       .tag = "rounds",
       .summary = "Add a submitted proposal of the municipality's challenge as a project of the round (officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"proposal", Scalar("integer")}}, {"proposal"}),
       .response = Ref("Round"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "body");
         ProposalId proposal;
         WEEFSEL_RETURN_IF_ERROR(f.IdField("proposal", proposal));
         if (!proposal.valid()) return Status::InvalidArgument("proposal: required (a proposal id)");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.AddProposalToRound(c.who, c.Path<RoundTag>(0), proposal));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/allocation",
       .tag = "rounds",
       .summary = "The funded projects a published round committed to (empty before publication)",
       .success = 200,
       .cached = true,
       .scopes = {"rounds", "round:{id}"},
       .response = Obj({{"items", ArrayOf(Ref("Allocation"))}, {"committed_eur", Scalar("integer")}}),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.AllocationsOf(c.Path<RoundTag>(0)));
         Json items = Json::array();
         int64_t total = 0;
         for (const auto& a : rows) {
           items.push_back(ToJson(a));
           total += a.amount_eur;
         }
         return Ok({{"items", std::move(items)}, {"committed_eur", total}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/experiments/{id}/milestones/{milestone}/evidence",
       .tag = "experiments",
       .summary =
           "Submit evidence for a milestone (numbered from 1) of a running experiment (members of the coalition)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"text", StrMax(8000)}, {"link", StrMax(2000)}}),
       .response = Ref("MilestoneEvidence"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "evidence");
         std::string text, link;
         WEEFSEL_RETURN_IF_ERROR(f.Str("text", text, 8000));
         WEEFSEL_RETURN_IF_ERROR(f.Str("link", link, 2000));
         if (!f.Has("text")) return f.Error("text", "required");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         int64_t milestone = c.ids.at(1);
         if (milestone > 1000) return Status::NotFound("milestone " + std::to_string(milestone));
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.SubmitEvidence(c.who, c.Path<ExperimentTag>(0), static_cast<int>(milestone), text, link));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/experiments/{id}/evidence",
       .tag = "experiments",
       .summary = "The evidence submitted for an experiment's milestones with the officers' decisions",
       .success = 200,
       .cached = true,
       .scopes = {"experiments", "experiment:{id}"},
       .response = ItemsOf("MilestoneEvidence"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.EvidenceOf(c.Path<ExperimentTag>(0)));
         Json items = Json::array();
         for (const auto& e : rows) items.push_back(ToJson(e));
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "POST",
       .path = "/api/v1/experiments/{id}/evidence/{evidence}/decision",
       .tag = "experiments",
       .summary = "Approve evidence (releasing the milestone's amount) or reject it with a reason (officers)",
       .success = 200,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"decision", StrMax(20)}, {"reason", StrMax(4000)}}),
       .response = Ref("MilestoneEvidence"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "body");
         std::string decision, reason;
         WEEFSEL_RETURN_IF_ERROR(f.Str("decision", decision, 20));
         WEEFSEL_RETURN_IF_ERROR(f.Str("reason", reason, 4000));
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         if (decision != "approved" && decision != "rejected")
           return Status::InvalidArgument("decision: must be approved or rejected");
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.DecideEvidence(c.who, c.Path<ExperimentTag>(0), c.ids.at(1), decision == "approved", reason));
         return Ok(ToJson(x));
       }});
  // Files attached to evidence (service/evidence_files.h): a PDF, PNG or JPEG of at most 5 MiB,
  // sent as base64 in JSON (the server takes bodies up to ServerOptions::max_upload_bytes on this
  // route), its type read from its bytes; served as a download with its own type.
  auto file_json = [](const domain::EvidenceFile& f) -> Json {
    return {{"id", f.id},
            {"evidence", f.evidence},
            {"experiment", f.experiment.value()},
            {"name", f.name},
            {"content_type", f.content_type},
            {"size_bytes", f.size},
            {"uploaded_at", f.uploaded_at},
            {"url", "/api/v1/experiments/" + std::to_string(f.experiment.value()) + "/files/" + std::to_string(f.id)}};
  };
  const Json file_schema = Obj({{"id", Scalar("integer")},
                                {"evidence", Scalar("integer")},
                                {"experiment", Scalar("integer")},
                                {"name", Scalar("string")},
                                {"content_type", Scalar("string")},
                                {"size_bytes", Scalar("integer")},
                                {"uploaded_at", Scalar("string")},
                                {"url", Scalar("string")}});
  Add({.method = "POST",
       .path = "/api/v1/experiments/{id}/evidence/{evidence}/files",
       .tag = "experiments",
       .summary = "Attach a file to evidence awaiting a decision: {name, data: base64 of a PDF, PNG or JPEG of at most "
                  "5 MB}, its type read from its bytes (members of the coalition)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request =
           Body({{"name", StrMax(400)}, {"data", StrMax(service::kMaxEvidenceFileBase64 + 2)}}, {"name", "data"}),
       .response = file_schema,
       .handler = [&P, file_json](Call& c) -> Result<Reply> {
         Fields f(c.body, "file");
         std::string name, data;
         WEEFSEL_RETURN_IF_ERROR(f.Str("name", name, 400));
         WEEFSEL_RETURN_IF_ERROR(f.Str("data", data, service::kMaxEvidenceFileBase64 + 2));
         if (!f.Has("data")) return f.Error("data", "required: base64 of the file");
         if (!f.Has("name")) return f.Error("name", "required: the file's name");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(std::string bytes, service::DecodeEvidenceBase64(data));
         WEEFSEL_ASSIGN_OR_RETURN(
             auto x, P.AttachEvidenceFile(c.who, c.Path<ExperimentTag>(0), c.ids.at(1), name, std::move(bytes)));
         return Ok(file_json(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/experiments/{id}/files",
       .tag = "experiments",
       .summary = "The files attached to an experiment's evidence (name, type, size, download URL)",
       .success = 200,
       .cached = true,
       .scopes = {"experiments", "experiment:{id}"},
       .response = Obj({{"items", ArrayOf(file_schema)}}),
       .handler = [&P, file_json](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.EvidenceFiles(c.Path<ExperimentTag>(0)));
         Json items = Json::array();
         for (const auto& f : rows) items.push_back(file_json(f));
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/experiments/{id}/files/{file}",
       .tag = "experiments",
       .summary = "One attached file, as a download (Content-Disposition: attachment) with its own type",
       .success = 200,
       .response = FreeForm("the file's bytes (application/pdf, image/png or image/jpeg), not JSON"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto f, P.EvidenceFileOf(c.Path<ExperimentTag>(0), c.ids.at(1)));
         // The name as ASCII (others replaced by '_') and as UTF-8 (RFC 6266 / 5987).
         std::string ascii, pct;
         for (unsigned char ch : f.name) {
           ascii.push_back(ch < 0x80 ? static_cast<char>(ch) : '_');
           if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
             pct.push_back(static_cast<char>(ch));
           } else {
             static constexpr char kHex[] = "0123456789ABCDEF";
             pct += '%';
             pct += kHex[ch >> 4];
             pct += kHex[ch & 15];
           }
         }
         Reply r;
         r.raw = std::move(f.bytes);
         r.content_type = f.content_type;
         r.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + pct);
         r.headers.emplace_back("Cache-Control", "private, no-cache");
         return r;
       }});
  Add({.method = "GET",
       .path = "/api/v1/municipalities/{id}/overview",
       .tag = "municipalities",
       .summary = "The programme in figures: money committed, released and remaining; indicators against targets; "
                  "challenges per phase",
       .success = 200,
       .cached = true,
       .scopes = {"municipalities", "municipality:{id}"},
       .response = {{"allOf",
                     Json::array({Ref("MunicipalityOverview"), Obj({{"task_budgets", TaskBudgetsSchema()}})})}},
       .handler = [this, &P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto o, P.Overview(c.Path<MunicipalityTag>(0)));
         Json j = ToJson(o);
         // The Right to Challenge: the budgets that moved from a task to an initiative. Their
         // proposals are among the commitments (source "task_challenge" instead of "proposal").
         WEEFSEL_ASSIGN_OR_RETURN(auto moved, task_challenges_.MoneyOf(c.Path<MunicipalityTag>(0)));
         for (auto& line : j["money"]["commitments"])
           for (const auto& m : moved)
             if (line["source"] == "proposal" && line["proposal"] == m.proposal.value()) {
               line["source"] = "task_challenge";
               line["task_challenge"] = m.challenge.value();
             }
         j["task_budgets"] = TaskBudgetsJson(moved);
         return Ok(j);
       }});
  Add({.method = "POST",
       .path = "/api/v1/rounds/{id}/match-campaigns",
       .tag = "match-funding",
       .summary = "Open a match-funding campaign beside a round: ratio, cap per project, fund, deadline (officers)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Ref("MatchCampaignWrite"),
       .response = Ref("MatchCampaign"),
       .handler = [&P](Call& c) -> Result<Reply> {
         domain::MatchCampaign m;
         m.ratio_num = 1;
         m.ratio_den = 1;
         WEEFSEL_RETURN_IF_ERROR(Apply(c.body, m));
         m.round = c.Path<RoundTag>(0);
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.CreateMatchCampaign(c.who, m));
         return Ok(ToJson(x));
       }});
  Add({.method = "GET",
       .path = "/api/v1/rounds/{id}/match-campaigns",
       .tag = "match-funding",
       .summary = "The match-funding campaigns beside a round",
       .success = 200,
       .cached = true,
       .scopes = {"rounds", "round:{id}"},
       .response = ItemsOf("MatchStanding"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto rows, P.MatchCampaignsOf(c.Path<RoundTag>(0)));
         Json items = Json::array();
         for (const auto& m : rows) items.push_back(ToJson(m));
         return Ok({{"items", std::move(items)}});
       }});
  Add({.method = "GET",
       .path = "/api/v1/match-campaigns/{id}",
       .tag = "match-funding",
       .summary = "A campaign with its current match allocation per project, settled by the fund engine now",
       .success = 200,
       .response = Ref("MatchStanding"),
       .handler = [&P](Call& c) -> Result<Reply> {
         WEEFSEL_ASSIGN_OR_RETURN(auto s, P.MatchStandingOf(c.ids.at(0)));
         return Ok(ToJson(s));
       }});
  Add({.method = "POST",
       .path = "/api/v1/match-campaigns/{id}/pledges",
       .tag = "match-funding",
       .summary =
           "Pledge an amount to a project of the campaign's round (residents, members of the municipality's actors)",
       .success = 201,
       .needs_user = true,
       .has_body = true,
       .request = Body({{"project_id", StrMax(200)}, {"amount_eur", Scalar("integer")}}),
       .response = Ref("MatchPledge"),
       .handler = [&P](Call& c) -> Result<Reply> {
         Fields f(c.body, "pledge");
         std::string project;
         int64_t amount = 0;
         WEEFSEL_RETURN_IF_ERROR(f.Str("project_id", project, 200));
         WEEFSEL_RETURN_IF_ERROR(f.Int("amount_eur", amount));
         if (!f.Has("project_id")) return f.Error("project_id", "required");
         if (!f.Has("amount_eur")) return f.Error("amount_eur", "required");
         WEEFSEL_RETURN_IF_ERROR(f.Done());
         WEEFSEL_ASSIGN_OR_RETURN(auto x, P.Pledge(c.who, c.ids.at(0), project, amount));
         return Ok(ToJson(x));
       }});
}

}  // namespace weefsel::http
