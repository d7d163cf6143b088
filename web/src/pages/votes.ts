// Fair votes on a round's page (docs/api.md, "Fair votes"): who may vote, the officers' tools
// (the rule, voting codes downloaded once as a mail merge, the census upload, the counts), and the
// voter's first step in a restricted round (a voting code, or BSN + postcode + birth date) with the
// sealed ballot's receipt kept in this browser. Refusals are worded here, in the reader's language.
import { h, field, select } from "../dom";
import { api, ApiError, Round, currentUser, Eligibility } from "../api";
import { t, num, Key, getLocale } from "../i18n";
import { navigate } from "../router";
import { announce, errorBox } from "../feedback";
import { empty } from "./common";

export type { Eligibility };
interface Tally { wijk: string; total: number; used: number }
interface Register { eligibility: Eligibility; codes: Tally[]; census: Tally[]; digid_voters: number }

export async function eligibilityOf(r: Round): Promise<Eligibility> {
  return api.get<Eligibility>(`/rounds/${r.id}/eligibility`).catch(() => ({ verification: "open", wijken: [], min_age: 0 }));
}

export function eligibilityText(e: Eligibility): string {
  const base = t(e.verification === "code" ? "votes.code" : e.verification === "census" ? "votes.census" : e.verification === "digid" ? "votes.digid" : "votes.open");
  const parts = [base];
  if (e.wijken.length) parts.push(t("votes.inWijken", { wijken: e.wijken.join(", ") }));
  if (e.min_age) parts.push(t("votes.fromAge", { n: e.min_age }));
  return parts.join(", ");
}

// ---- officers ----

export async function officerVotes(r: Round, e: Eligibility): Promise<HTMLElement> {
  const sec = h("section", { "aria-labelledby": "h-votes", class: "officer-tools fair-votes" },
    h("h2", { id: "h-votes" }, t("votes.officerTitle")));
  const before = r.phase === "submission" || r.phase === "review";
  // How to restrict the round is said only while it can still be done.
  if (before) sec.append(h("p", {}, t("votes.officerLead")), ruleForm(r, e));
  else sec.append(h("p", { class: "notice" }, t("votes.fixed")));
  if (e.verification === "code" && r.phase !== "allocation" && r.phase !== "published") sec.append(codesForm(r, e));
  if (e.verification === "census" && before) sec.append(censusForm(r));
  if (e.verification !== "open") sec.append(await registerBox(r));
  if (r.phase === "voting" || r.phase === "allocation") sec.append(await clustersBox(r, e));
  return sec;
}

// ---- limits against bulk registration: the officers' view of clusters and voiding ----

interface ClusterAccount { user: number; display_name: string; registered_at: string; voted: boolean; voided: boolean }
interface Cluster { key: string; first_at: string; last_at: string; size: number; voted: number; voided: number; accounts: ClusterAccount[] }

function moment(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(getLocale() === "nl" ? "nl-NL" : "en-GB",
    { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Amsterdam" }).format(d);
}

async function clustersBox(r: Round, e: Eligibility): Promise<HTMLElement> {
  const box = h("section", { class: "votes-clusters", "aria-labelledby": "h-clusters" }, h("h3", { id: "h-clusters" }, t("votes.clustersTitle")));
  let view: { window_minutes: number; min_accounts: number; clusters: Cluster[] };
  try { view = await api.get(`/rounds/${r.id}/registration-clusters`); } catch (err) { box.append(errorBox(err)); return box; }
  box.append(h("p", {}, t("votes.clustersLead", { min: view.min_accounts, minutes: view.window_minutes })));
  if (!view.clusters.length) { box.append(empty(t("votes.clustersNone"))); return box; }
  const sealed = e.verification !== "open";
  const picks: HTMLInputElement[] = [];
  const yes = (b: boolean) => t(b ? "votes.yes" : "votes.no");
  for (const k of view.clusters) {
    const rows = k.accounts.map((a) => {
      const pick = h("input", { type: "checkbox", name: "user", value: String(a.user), id: `void-${a.user}`, disabled: a.voided });
      if (!sealed) picks.push(pick);
      const who = `${a.display_name} (${t("votes.account").toLowerCase()} ${a.user})`;
      return h("tr", { "data-user": a.user },
        h("th", { scope: "row" }, sealed ? who : h("label", { for: pick.id }, pick, " ", who)),
        h("td", {}, moment(a.registered_at)), h("td", {}, yes(a.voted)), h("td", {}, yes(a.voided)));
    });
    const all = h("input", { type: "checkbox", id: `void-all-${k.key}`, onchange: (ev: Event) => {
      const on = (ev.target as HTMLInputElement).checked;
      for (const a of k.accounts) { const c = picks.find((p) => p.value === String(a.user)); if (c && !c.disabled) c.checked = on; }
    } });
    box.append(h("table", { class: "table", "data-cluster": k.key },
      h("caption", {}, t("votes.cluster", { key: k.key.slice(0, 6), n: k.size, from: moment(k.first_at), to: moment(k.last_at), voted: k.voted, voided: k.voided })),
      h("thead", {}, h("tr", {}, [t("votes.account"), t("votes.registeredAt"), t("votes.hasVoted"), t("votes.isVoided")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows)),
    ...(sealed ? [] : [h("p", { class: "field-inline" }, h("label", { for: all.id }, all, " ", t("votes.wholeCluster")))]));
  }
  if (sealed) { box.append(h("p", { class: "notice" }, t("votes.sealedNoVoid"))); return box; }
  const reason = h("textarea", { name: "reason", rows: 2, maxlength: 500, required: true });
  const status = h("div");
  box.append(h("form", { class: "stack votes-void", onsubmit: async (ev: Event) => {
    ev.preventDefault();
    const users = picks.filter((p) => p.checked).map((p) => Number(p.value));
    if (!users.length) { status.replaceChildren(errorBox(new ApiError(400, t("votes.err.pick"), "users", true))); return; }
    try {
      const res = await api.post<{ accounts: number; ballots: number }>(`/rounds/${r.id}/void-ballots`, { users, reason: reason.value });
      announce(t("votes.voided", { n: res.ballots }));
      navigate(location.pathname);
    } catch (err) { status.replaceChildren(errorBox(err)); }  // worded by its refusal code
  } }, field(t("votes.voidReason"), reason, t("votes.voidHint")), status, h("button", { type: "submit" }, t("votes.voidButton"))));
  return box;
}

function ruleForm(r: Round, e: Eligibility): HTMLElement {
  const verification = select("verification", [["open", t("votes.open")], ["code", t("votes.code")], ["census", t("votes.census")], ["digid", t("votes.digid")]], e.verification);
  const wijken = h("input", { name: "wijken", id: "votes-wijken", maxlength: 2000, value: e.wijken.join(", ") });
  const minAge = h("input", { type: "number", name: "min_age", id: "votes-min-age", min: 0, max: 120, step: 1, inputmode: "numeric", value: e.min_age });
  const status = h("div");
  return h("form", { class: "stack votes-rule", onsubmit: async (ev: Event) => {
    ev.preventDefault();
    try {
      await api.put(`/rounds/${r.id}/eligibility`, { verification: verification.value,
        wijken: wijken.value.split(",").map((w) => w.trim()).filter((w) => w), min_age: Number(minAge.value) || 0 });
      announce(t("votes.saved"));
      navigate(location.pathname);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, field(t("votes.verification"), verification), field(t("votes.wijken"), wijken), field(t("votes.minAge"), minAge, t("votes.minAgeHint")),
  status, h("button", { type: "submit" }, t("votes.save")));
}

function codesForm(r: Round, e: Eligibility): HTMLElement {
  const count = h("input", { type: "number", name: "count", min: 1, max: 5000, step: 1, required: true, inputmode: "numeric", value: 100 });
  const wijk = select("wijk", e.wijken.length ? e.wijken.map((w): [string, string] => [w, w]) : [["", t("votes.wholeMunicipality")]], e.wijken[0] ?? "");
  const status = h("div");
  return h("form", { class: "stack votes-codes", "aria-labelledby": "h-codes", onsubmit: async (ev: Event) => {
    ev.preventDefault();
    status.replaceChildren();
    try {
      const n = Number(count.value);
      const csv = await api.postText(`/rounds/${r.id}/voting-codes`, { count: n, ...(wijk.value ? { wijk: wijk.value } : {}) });
      const a = h("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: `stemcodes-ronde-${r.id}${wijk.value ? "-" + wijk.value : ""}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      status.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("votes.codesMade", { n })));
      announce(t("votes.codesMade", { n }));
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, h("h3", { id: "h-codes" }, t("votes.codesTitle")), h("p", {}, t("votes.codesLead")),
  field(t("votes.count"), count), field(t("votes.wijk"), wijk), status, h("button", { type: "submit" }, t("votes.makeCodes")));
}

function censusForm(r: Round): HTMLElement {
  const file = h("input", { type: "file", name: "census", accept: ".csv,text/csv", required: true });
  const status = h("div");
  return h("form", { class: "stack votes-census", "aria-labelledby": "h-census", onsubmit: async (ev: Event) => {
    ev.preventDefault();
    status.replaceChildren();
    const f = file.files?.[0];
    if (!f) return;
    try {
      const res = await api.put<{ residents: number }>(`/rounds/${r.id}/census`, { csv: await f.text() });
      status.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("votes.uploaded", { n: res.residents })));
      announce(t("votes.uploaded", { n: res.residents }));
    } catch (err) {
      // The server names the line and the field: shown as it is, after the general words.
      status.replaceChildren(h("div", { class: "error", role: "alert" }, h("strong", {}, t("error.title") + " "),
        err instanceof ApiError && err.status === 400 ? err.detail : errorBox(err)));
    }
  } }, h("h3", { id: "h-census" }, t("votes.censusTitle")), h("p", {}, t("votes.censusLead")),
  field(t("votes.censusFile"), file), status, h("button", { type: "submit" }, t("votes.upload")));
}

async function registerBox(r: Round): Promise<HTMLElement> {
  const box = h("div", { class: "votes-register" }, h("h3", {}, t("votes.register")));
  try {
    const reg = await api.get<Register>(`/rounds/${r.id}/voting-register`);
    const table = (caption: Key, rows: Tally[], made: Key, used: Key) => rows.length
      ? h("table", { class: "table" }, h("caption", {}, t(caption)),
        h("thead", {}, h("tr", {}, [t("votes.wijk"), t(made), t(used)].map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, rows.map((x) => h("tr", { "data-wijk": x.wijk }, h("th", { scope: "row" }, x.wijk || t("votes.wholeMunicipality")),
          h("td", { class: "num" }, num(x.total)), h("td", { class: "num" }, num(x.used))))))
      : empty(t("votes.none"));
    box.append(reg.eligibility.verification === "digid" ? h("p", { class: "digid-voters" }, t("votes.digidVoters", { n: reg.digid_voters }))
      : reg.eligibility.verification === "code" ? table("votes.registerCodes", reg.codes, "votes.made", "votes.usedCodes")
      : table("votes.registerCensus", reg.census, "votes.lines", "votes.voted"));
  } catch (e) { box.append(errorBox(e)); }
  return box;
}

// ---- the voter ----

// The receipt is kept per round and account, so that someone else signing in on a shared computer
// does not find it.
const tokenKey = (round: number) => `weefsel.ballotToken.${round}.${currentUser()?.id ?? 0}`;

// The first step of a restricted round: the fields that prove eligibility, or (after a vote in
// this browser) the note that the receipt will change the vote. `body(entries)` builds the request.
export function verificationStep(r: Round, e: Eligibility): { el: HTMLElement; cast: (entries: { project_id: string; points: number }[]) => Promise<void>; voted: () => boolean } {
  const box = h("fieldset", { class: "verify" }, h("legend", {}, t("votes.stepTitle")));
  let token = localStorage.getItem(tokenKey(r.id)) ?? "";
  const code = h("input", { id: "vote-code", name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: false, maxlength: 20,
    "aria-describedby": "vote-code-hint" });
  const bsn = h("input", { id: "vote-bsn", name: "identifier", inputmode: "numeric", autocomplete: "off", maxlength: 40 });
  const postcode = h("input", { id: "vote-postcode", name: "postcode", autocomplete: "postal-code", maxlength: 10 });
  const born = h("input", { id: "vote-born", name: "birth_date", type: "date", autocomplete: "bday" });
  const fields = e.verification === "digid" ? h("p", { class: "hint" }, t("votes.digidHint"))
    : e.verification === "code"
    ? h("div", { class: "field" }, h("label", { for: "vote-code" }, t("votes.codeLabel")), code, h("p", { class: "hint", id: "vote-code-hint" }, t("votes.codeHint")))
    : h("div", {}, h("p", { class: "hint" }, t("votes.censusHint")),
      h("div", { class: "field" }, h("label", { for: "vote-bsn" }, t("votes.bsn")), bsn),
      h("div", { class: "field" }, h("label", { for: "vote-postcode" }, t("votes.postcode")), postcode),
      h("div", { class: "field" }, h("label", { for: "vote-born" }, t("votes.birthDate")), born));
  const receipt = h("div", { class: "receipt" });
  const show = () => {
    // display, not `hidden`: the .field class sets a display that would win over the attribute.
    fields.style.display = token ? "none" : "";
    receipt.replaceChildren(...(token ? [h("p", { class: "notice" }, t("votes.withToken"))] : []));
  };
  box.append(fields, receipt, h("p", { class: "meta" }, t("votes.secret")));
  show();
  const cast = async (entries: { project_id: string; points: number }[]) => {
    const body: Record<string, unknown> = { entries };
    if (token) body.ballot_token = token;
    else if (e.verification === "code") body.code = code.value;
    else if (bsn.value || postcode.value || born.value) body.census = { identifier: bsn.value, postcode: postcode.value, birth_date: born.value };
    try {
      const res = await api.post<{ ballot_token: string }>(`/rounds/${r.id}/verified-ballot`, body);
      token = res.ballot_token;
      localStorage.setItem(tokenKey(r.id), token);
      show();
      receipt.append(h("p", { class: "token" }, t("votes.keepToken", { token })));
    } catch (err) {
      if (err instanceof ApiError && err.fieldName === "ballot_token") { localStorage.removeItem(tokenKey(r.id)); token = ""; show(); }
      throw err;  // errorBox words the refusal code (refusalText in i18n.ts)
    }
  };
  return { el: box, cast, voted: () => token !== "" };
}
