// Match-funding campaigns beside a round: the municipality adds a ratio of every euro pledged to a
// project, up to a cap per project and the campaign's fund, for projects whose pledges reach their
// cost by the deadline. The standing per project is settled by the fund engine on the server
// (GET /match-campaigns/{id}); residents pledge, officers open campaigns. Shown only when the
// server offers the routes.
import { h, field, select } from "../dom";
import { api, hasRoute, currentUser, Round, MatchCampaign, MatchStanding } from "../api";
import { t, euro, date } from "../i18n";
import { navigate } from "../router";
import { announce, errorBox } from "../feedback";
import { empty } from "./common";

type Campaign = MatchCampaign;
type Standing = MatchStanding;

function statusText(code: string): string {
  const k = `match.status.${code}` as Parameters<typeof t>[0];
  const s = t(k);
  return s === k ? code : s;
}

// Why a project stands where it does, in the reader's language from the standing's fields (the
// server's `reason` is an English sentence for logs and the API).
function standingWhy(p: Standing["projects"][number]): string {
  let why = p.status === "funded"
    ? t("match.why.funded", { match: euro(p.match_eur) }) + (p.capped ? t("match.why.capped") : "") +
      (p.fund_short ? t("match.why.short", { short: euro((p.match_wanted_cents - p.match_cents) / 100) }) : "")
    : p.status === "failed" ? t("match.why.failed", { n: p.refunded_pledges })
    : t("match.why.open", { raised: euro(p.raised_eur), target: euro(p.target_eur) });
  if (p.late_pledges > 0) why += " · " + t("match.why.late", { n: p.late_pledges });
  return why;
}

export async function matchSection(r: Round, officer: boolean): Promise<HTMLElement | null> {
  if (!(await hasRoute("GET", "/api/v1/rounds/{id}/match-campaigns"))) return null;
  const sec = h("section", { "aria-labelledby": "h-match-funding", class: "match-funding" }, h("h2", { id: "h-match-funding" }, t("match.title")),
    h("p", {}, t("match.lead")));
  let campaigns: Campaign[] = [];
  try { campaigns = (await api.get<{ items: Campaign[] }>(`/rounds/${r.id}/match-campaigns`)).items; }
  catch (e) { sec.append(errorBox(e)); return sec; }
  if (!campaigns.length) sec.append(empty(t("match.none")));
  for (const c of campaigns) {
    try { sec.append(await campaignView(await api.get<Standing>(`/match-campaigns/${c.id}`))); }
    catch (e) { sec.append(errorBox(e)); }
  }
  if (officer) sec.append(newCampaignForm(r));
  return sec;
}

async function campaignView(s: Standing): Promise<HTMLElement> {
  const art = h("article", { class: "card campaign", "data-campaign": s.id },
    h("h3", {}, s.name || t("match.named", { id: s.id })),
    h("p", { class: "meta" }, t("match.terms", { num: s.ratio_num, den: s.ratio_den, cap: s.campaign_cap_eur ? euro(s.campaign_cap_eur) : t("match.noCap"),
      fund: euro(s.fund_eur), deadline: date(s.deadline) })),
    h("p", {}, t("match.fundLeft", { used: euro(s.fund_used_eur), left: euro(s.fund_left_eur) })),
    h("table", { class: "table standing" }, h("caption", { class: "visually-hidden" }, t("match.standingOf", { name: s.name })),
      h("thead", {}, h("tr", {}, [t("round.project"), t("match.target"), t("match.pledges"), t("match.raised"), t("match.match"), t("match.status")]
        .map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, s.projects.map((p) => h("tr", { "data-project": p.project_id, "data-status": p.status },
        h("th", { scope: "row" }, p.title || p.project_id), h("td", { class: "num" }, euro(p.target_eur)), h("td", { class: "num" }, String(p.pledges)),
        h("td", { class: "num" }, euro(p.raised_eur)), h("td", { class: "num" }, euro(p.match_eur)),
        h("td", {}, (p.reached ? "✔ " : "○ ") + statusText(p.status), h("span", { class: "meta" }, " · " + standingWhy(p))))))));
  if (currentUser() && (await hasRoute("POST", "/api/v1/match-campaigns/{id}/pledges"))) {
    const project = select("project_id", s.projects.map((p): [string, string] => [p.project_id, p.title || p.project_id]));
    const amount = h("input", { type: "number", name: "amount_eur", min: 1, step: 1, required: true, inputmode: "numeric" });
    const status = h("div");
    art.append(h("form", { class: "filters pledge-form", "aria-label": t("match.pledgeTitle", { name: s.name }), onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await api.post(`/match-campaigns/${s.id}/pledges`, { project_id: project.value, amount_eur: Number(amount.value) });
        announce(t("match.pledged"));
        navigate(location.pathname);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("match.pledgeProject"), project), field(t("match.pledgeAmount"), amount), h("button", { type: "submit" }, t("match.pledge")), status));
  }
  return art;
}

function newCampaignForm(r: Round): HTMLElement {
  const name = h("input", { name: "name", required: true, maxlength: 200 });
  const num = h("input", { type: "number", name: "ratio_num", min: 1, step: 1, value: 1, required: true, inputmode: "numeric" });
  const den = h("input", { type: "number", name: "ratio_den", min: 1, step: 1, value: 1, required: true, inputmode: "numeric" });
  const cap = h("input", { type: "number", name: "campaign_cap_eur", min: 0, step: 100, value: 0, inputmode: "numeric" });
  const fund = h("input", { type: "number", name: "fund_eur", min: 0, step: 100, required: true, inputmode: "numeric" });
  const deadline = h("input", { type: "date", name: "deadline", required: true });
  const status = h("div");
  return h("details", { class: "new-campaign" }, h("summary", {}, t("match.new")),
    h("form", { class: "stack narrow", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await api.post(`/rounds/${r.id}/match-campaigns`, { name: name.value, ratio_num: Number(num.value), ratio_den: Number(den.value),
          campaign_cap_eur: Number(cap.value), fund_eur: Number(fund.value), deadline: deadline.value });
        announce(t("match.opened"));
        navigate(location.pathname);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("match.f.name"), name), field(t("match.f.num"), num, t("match.f.ratioHint")), field(t("match.f.den"), den),
      field(t("match.f.cap"), cap, t("match.f.capHint")), field(t("match.f.fund"), fund), field(t("match.f.deadline"), deadline), status,
      h("button", { type: "submit" }, t("match.open"))));
}
