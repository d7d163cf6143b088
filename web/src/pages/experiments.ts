// Experiments: the list and one experiment with its indicators as line charts (with the baseline
// and target), a table of the same numbers, its milestones with the money released on approved
// evidence (coalition members submit evidence, officers approve or reject it), outcome and lessons.
import { h, field } from "../dom";
import { api, Challenge, Coalition, Experiment, Indicator, Proposal, hasRoute, hasRole, currentUser, myActors } from "../api";
import { t, num, date, euro, getLocale, experimentStatusLabel } from "../i18n";
import { Ctx, navigate } from "../router";
import { setTitle, announce, errorBox } from "../feedback";
import { empty, dl, confirmDialog } from "./common";
import { pagedList, offsetOf } from "./list";
import { useMunicipalityTheme } from "../theme";

type Milestone = Experiment["milestones"][number];

export async function experiments({ main, query: q }: Ctx): Promise<void> {
  main.append(h("h1", {}, t("experiments.title")), h("p", { class: "lead" }, t("experiments.lead")));
  await pagedList<Experiment>(main, {
    path: "/experiments", source: "/experiments", values: {}, limit: 20, offset: offsetOf(q), none: t("experiments.none"),
    render: (items) => h("ul", { class: "cards" }, items.map((e) => h("li", { class: "card" },
      h("h2", { class: "h3" }, h("a", { href: `/experiments/${e.id}` }, t("experiment.named", { id: e.id }))),
      h("p", { class: "meta" }, experimentStatusLabel(e.status), " · ", t("experiment.indicators", { n: e.indicators.length }))))),
  });
}

export async function experiment({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const e = await api.get<Experiment>(`/experiments/${id}`);
  const p = await api.get<Proposal>(`/proposals/${e.proposal}`).catch(() => null);
  setTitle(t("experiment.named", { id }));
  void useMunicipalityTheme(p ? api.get<Challenge>(`/challenges/${p.challenge}`).then((c) => c.municipality) : null);
  main.append(h("p", { class: "crumbs" }, h("a", { href: "/experiments" }, t("experiments.title"))),
    h("h1", {}, t("experiment.named", { id })),
    p ? h("p", {}, t("experiment.forProposal"), " ", h("a", { href: `/coalitions/${p.coalition}#proposal-${p.id}` }, p.versions.at(-1)?.title ?? `#${p.id}`)) : "",
    h("p", {}, h("strong", {}, t("experiment.status") + ": "), experimentStatusLabel(e.status), e.outcome ? ` · ${e.outcome}` : ""),
    e.hypotheses.length ? h("section", {}, h("h2", {}, t("experiment.hypotheses")), h("ul", {}, e.hypotheses.map((x) => h("li", {}, x)))) : "");
  const roles = await experimentRoles(p);
  const canMeasure = (roles.member || roles.officer) && (await hasRoute("POST", "/api/v1/experiments/{id}/indicators/{indicator}/measurements"));
  const { Chart, registerables } = await import("chart.js");
  Chart.register(...registerables);
  const sec = h("section", { "aria-labelledby": "h-ind" }, h("h2", { id: "h-ind" }, t("experiment.indicatorsTitle")));
  main.append(sec);
  if (!e.indicators.length) sec.append(empty(t("experiment.noIndicators")));
  for (const ind of e.indicators) {
    const canvas = h("canvas", { role: "img", "aria-label": t("experiment.chartLabel", { name: ind.name }) });
    const ms = [...ind.measurements].sort((a, b) => a.date.localeCompare(b.date));
    sec.append(h("figure", { class: "chart" }, h("figcaption", {}, h("h3", {}, ind.name), ` (${ind.unit}) · ${t("experiment.baseline")} ${num(ind.baseline, 2)} · ${t("experiment.target")} ${num(ind.target, 2)}`),
      h("div", { class: "canvas-wrap" }, canvas),
      h("table", { class: "table small" }, h("caption", {}, t("experiment.tableOf", { name: ind.name })),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("experiment.date")), h("th", { scope: "col" }, t("experiment.value")), h("th", { scope: "col" }, t("experiment.source")))),
        h("tbody", {}, ms.map((m) => h("tr", {}, h("td", {}, date(m.date)), h("td", { class: "num" }, num(m.value, 2)), h("td", {}, m.source))))),
      canMeasure ? measurementForm(e, ind) : null));
    new Chart(canvas, {
      type: "line",
      data: {
        labels: ms.map((m) => date(m.date)),
        datasets: [
          { label: ind.name, data: ms.map((m) => m.value), borderColor: "#14532d", backgroundColor: "#14532d", pointStyle: "circle" },
          { label: t("experiment.baseline"), data: ms.map(() => ind.baseline), borderColor: "#6b7280", borderDash: [6, 4], pointStyle: false },
          { label: t("experiment.target"), data: ms.map(() => ind.target), borderColor: "#1d4ed8", borderDash: [2, 3], pointStyle: false },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, locale: getLocale() === "nl" ? "nl-NL" : "en-GB" },
    });
  }
  main.append(await milestonesSection(e, p));
  if (roles.officer && (await hasRoute("PATCH", "/api/v1/experiments/{id}"))) main.append(officerTools(e));
  if (e.outcome || e.learned) main.append(h("section", { "aria-labelledby": "h-outcome" }, h("h2", { id: "h-outcome" }, t("experiment.outcomeTitle")),
    dl([[t("experiment.outcome"), e.outcome || "—"], [t("experiment.learned"), e.learned || "—"]])));
}

// Who the reader is for this experiment: a member of the proposal's coalition, an officer of its municipality.
async function experimentRoles(p: Proposal | null): Promise<{ member: boolean; officer: boolean }> {
  if (!p || !currentUser()) return { member: false, officer: false };
  const [co, ch] = await Promise.all([api.get<Coalition>(`/coalitions/${p.coalition}`).catch(() => null), api.get<Challenge>(`/challenges/${p.challenge}`).catch(() => null)]);
  const mine = new Set(myActors());
  return { member: !!co?.members.some((x) => x.status === "accepted" && mine.has(x.actor)), officer: !!ch && hasRole("officer", { municipality: ch.municipality }) };
}

// Record a measurement of one indicator (officers and members of the coalition).
function measurementForm(e: Experiment, ind: Indicator): HTMLElement {
  const when = h("input", { type: "date", name: `date-${ind.id}`, required: true, value: new Date().toISOString().slice(0, 10) });
  const value = h("input", { type: "number", name: `value-${ind.id}`, step: "any", required: true, inputmode: "decimal" });
  const source = h("input", { name: `source-${ind.id}`, maxlength: 500 });
  const status = h("div");
  return h("details", { class: "measure" }, h("summary", {}, t("measure.add", { name: ind.name })),
    h("form", { class: "stack measurement-form", "data-indicator": ind.id, onsubmit: async (ev: Event) => {
      ev.preventDefault();
      try {
        await api.post(`/experiments/${e.id}/indicators/${ind.id}/measurements`, { date: when.value, value: Number(value.value), source: source.value });
        announce(t("measure.saved"));
        navigate(location.pathname);
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("experiment.date"), when), field(t("measure.value", { unit: ind.unit }), value), field(t("experiment.source"), source), status,
      h("button", { type: "submit" }, t("measure.save"))));
}

// Officers add indicators and milestones (PATCH with the whole lists: stored indicators by id keep
// their measurements, stored milestones are sent back unchanged).
function officerTools(e: Experiment): HTMLElement {
  const keepIndicators = e.indicators.map(({ id, name, unit, baseline, target }) => ({ id, name, unit, baseline, target }));
  const keepMilestones = e.milestones.map((m) => ({ title: m.title ?? "", due: m.due ?? "", amount_eur: Number(m.amount_eur ?? 0), status: m.status ?? "planned", evidence: m.evidence ?? "" }));
  const patch = (body: unknown, done: string, status: HTMLElement) => async (ev: Event) => {
    ev.preventDefault();
    try {
      await api.patch(`/experiments/${e.id}`, body instanceof Function ? body() : body);
      announce(done);
      navigate(location.pathname);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  };
  const name = h("input", { name: "indicator-name", required: true, maxlength: 500 });
  const unit = h("input", { name: "indicator-unit", maxlength: 100 });
  const baseline = h("input", { type: "number", name: "indicator-baseline", step: "any", required: true, inputmode: "decimal" });
  const target = h("input", { type: "number", name: "indicator-target", step: "any", required: true, inputmode: "decimal" });
  const s1 = h("div");
  const title = h("input", { name: "milestone-title", required: true, maxlength: 500 });
  const due = h("input", { type: "date", name: "milestone-due" });
  const amount = h("input", { type: "number", name: "milestone-amount", min: 0, step: 1, required: true, inputmode: "numeric" });
  const s2 = h("div");
  return h("section", { "aria-labelledby": "h-tools", class: "officer-tools experiment-tools" }, h("h2", { id: "h-tools" }, t("experiment.tools")),
    h("form", { class: "stack add-indicator", onsubmit: patch(() => ({ indicators: [...keepIndicators,
      { name: name.value, unit: unit.value, baseline: Number(baseline.value), target: Number(target.value) }] }), t("indicator.added"), s1) },
      h("h3", {}, t("indicator.addTitle")), field(t("indicator.name"), name), field(t("indicator.unit"), unit), field(t("indicator.baseline"), baseline),
      field(t("indicator.target"), target), s1, h("button", { type: "submit" }, t("indicator.add"))),
    h("form", { class: "stack add-milestone", onsubmit: patch(() => ({ milestones: [...keepMilestones,
      { title: title.value, due: due.value, amount_eur: Number(amount.value), status: "planned", evidence: "" }] }), t("milestone.added"), s2) },
      h("h3", {}, t("milestone.addTitle")), field(t("milestone.title"), title), field(t("milestone.due"), due), field(t("milestone.amountEur"), amount),
      s2, h("button", { type: "submit" }, t("milestone.add"))));
}

const MILESTONE_MARK: Record<string, string> = { planned: "○", submitted: "✉", approved: "✔", rejected: "✘" };

function milestoneStatus(status: string): string {
  const k = `milestone.status.${status}` as Parameters<typeof t>[0];
  const s = t(k);
  return s === k ? status : s;
}

// Milestones: what is due when, the amount released on approved evidence, the evidence itself; the
// sum released so far against the sum of all milestones.
async function milestonesSection(e: Experiment, p: Proposal | null): Promise<HTMLElement> {
  const sec = h("section", { "aria-labelledby": "h-ms", class: "milestones" }, h("h2", { id: "h-ms" }, t("experiment.milestones")));
  const ms = e.milestones;
  if (!ms.length) { sec.append(empty(t("experiment.noMilestones"))); return sec; }
  const amount = (m: Milestone) => Number(m.amount_eur ?? 0) || 0;
  const total = ms.reduce((s, m) => s + amount(m), 0);
  const released = ms.filter((m) => m.status === "approved").reduce((s, m) => s + amount(m), 0);
  sec.append(h("p", { class: "lead released" }, t("milestone.released", { released: euro(released), total: euro(total) })),
    h("meter", { min: 0, max: total || 1, value: released, "aria-label": t("milestone.releasedMeter") }));
  const actions = await milestoneActions(e, p);
  sec.append(h("table", { class: "table milestone-table" }, h("caption", { class: "visually-hidden" }, t("experiment.milestones")),
    h("thead", {}, h("tr", {}, [t("milestone.title"), t("milestone.due"), t("milestone.amount"), t("milestone.status"), t("milestone.evidence")]
      .map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, ms.map((m, i) => h("tr", { "data-status": String(m.status ?? "planned"), "data-index": i },
      h("th", { scope: "row" }, String(m.title ?? "")), h("td", {}, m.due ? date(String(m.due)) : "—"),
      h("td", { class: "num" }, euro(amount(m))),
      h("td", {}, (MILESTONE_MARK[String(m.status)] ?? "○") + " " + milestoneStatus(String(m.status ?? "planned"))),
      h("td", {}, (actions ? actions(m, i) : null) ?? (String(m.evidence ?? "") || "—")))))));
  return sec;
}

interface EvidenceFile { id: number; evidence: number; experiment: number; name: string; content_type: string; size_bytes: number; uploaded_at: string; url: string }

// Files attached to evidence (issue 18): a PDF, PNG or JPEG of at most 5 MB, checked here before it
// is sent (the server reads the type from the bytes and checks again).
const FILE_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg";
const MAX_FILE_BYTES = 5 * 1024 * 1024;
function fileKind(type: string): string { return type === "application/pdf" ? "PDF" : type === "image/png" ? "PNG" : type === "image/jpeg" ? "JPEG" : type; }
function fileSize(bytes: number): string { return bytes >= 1024 * 1024 ? `${num(bytes / (1024 * 1024), 1)} MB` : `${num(Math.max(1, Math.round(bytes / 1024)))} kB`; }
function fileProblem(f: File): string | null {
  if (f.size > MAX_FILE_BYTES) return t("files.tooLarge", { name: f.name, size: fileSize(f.size) });
  if (f.type && !["application/pdf", "image/png", "image/jpeg"].includes(f.type)) return t("files.wrongType", { name: f.name });
  return null;
}
async function upload(e: Experiment, evidence: number, f: File): Promise<void> {
  const data = await new Promise<string>((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => fail(r.error);
    r.readAsDataURL(f);
  });
  await api.post(`/experiments/${e.id}/evidence/${evidence}/files`, { name: f.name, data });
}
// A member adds a file to evidence that awaits a decision.
function attachForm(e: Experiment, evidence: number): HTMLElement {
  const file = h("input", { type: "file", name: `attach-${evidence}`, accept: FILE_ACCEPT, required: true });
  const status = h("div");
  return h("form", { class: "stack attach-form", "data-evidence": evidence, onsubmit: async (ev: Event) => {
    ev.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    const wrong = fileProblem(chosen);
    if (wrong) { status.replaceChildren(h("div", { class: "error", role: "alert" }, wrong)); return; }
    try { await upload(e, evidence, chosen); announce(t("files.added", { name: chosen.name })); navigate(location.pathname); }
    catch (err) { status.replaceChildren(errorBox(err)); }
  } }, field(t("files.attachMore"), file, t("files.hint")), status, h("button", { type: "submit", class: "small" }, t("files.add")));
}

interface Evidence { id: number; experiment: number; milestone: number; text: string; link: string; submitted_at: string; decision: string;
  decided_at: string; reason: string; released_eur: number }

// Only an http(s) address becomes a link.
function httpLink(url: string): string | null {
  return /^https?:\/\//i.test(url) ? url : null;
}

// Per milestone: the evidence submitted so far with the officers' decisions; a form for members of
// the coalition to submit evidence, and approve/reject for officers of the municipality, when the
// server offers those routes (null when it does not). The server checks every right again.
async function milestoneActions(e: Experiment, p: Proposal | null): Promise<((m: Milestone, i: number) => HTMLElement | null) | null> {
  if (!(await hasRoute("GET", "/api/v1/experiments/{id}/evidence"))) return null;
  const evidence = (await api.get<{ items: Evidence[] }>(`/experiments/${e.id}/evidence`).catch(() => ({ items: [] as Evidence[] }))).items;
  let member = false, officer = false;
  if (p && currentUser()) {
    const [co, ch] = await Promise.all([api.get<Coalition>(`/coalitions/${p.coalition}`).catch(() => null), api.get<Challenge>(`/challenges/${p.challenge}`).catch(() => null)]);
    const mine = new Set(myActors());
    member = !!co?.members.some((x) => x.status === "accepted" && mine.has(x.actor));
    officer = !!ch && hasRole("officer", { municipality: ch.municipality });
  }
  const canSubmit = member && (await hasRoute("POST", "/api/v1/experiments/{id}/milestones/{milestone}/evidence"));
  const withFiles = await hasRoute("GET", "/api/v1/experiments/{id}/files");
  const files = withFiles ? (await api.get<{ items: EvidenceFile[] }>(`/experiments/${e.id}/files`).catch(() => ({ items: [] as EvidenceFile[] }))).items : [];
  const canAttach = member && withFiles && (await hasRoute("POST", "/api/v1/experiments/{id}/evidence/{evidence}/files"));
  const canDecide = officer && (await hasRoute("POST", "/api/v1/experiments/{id}/evidence/{evidence}/decision"));
  return (m: Milestone, i: number) => {
    const n = i + 1;
    const mine = evidence.filter((x) => x.milestone === n);
    const box = h("div", { class: "evidence" });
    if (mine.length) box.append(h("ul", { class: "evidence-list" }, mine.map((x) => {
      const status = h("div");
      const reason = h("input", { name: `reason-${x.id}`, id: `reason-${x.id}`, maxlength: 4000 });
      const decide = (decision: "approved" | "rejected") => async () => {
        // Releasing money is confirmed first, naming the amount.
        if (decision === "approved" && !(await confirmDialog(t("milestone.confirmRelease", { amount: euro(Number(m.amount_eur ?? 0)), title: String(m.title ?? n) }),
          t("milestone.release", { amount: euro(Number(m.amount_eur ?? 0)) })))) return;
        status.replaceChildren();
        try {
          await api.post(`/experiments/${e.id}/evidence/${x.id}/decision`, { decision, reason: reason.value });
          announce(decision === "approved" ? t("milestone.approvedNow") : t("milestone.rejectedNow"));
          navigate(location.pathname);
        } catch (err) { status.replaceChildren(errorBox(err)); }
      };
      const link = httpLink(x.link);
      const attached = files.filter((f) => f.evidence === x.id);
      return h("li", { "data-evidence": x.id, "data-decision": x.decision },
        h("p", { class: "text" }, x.text), link ? h("p", {}, h("a", { href: link, rel: "noopener noreferrer nofollow", target: "_blank" }, t("milestone.evidenceLink"))) : null,
        attached.length ? h("ul", { class: "evidence-files", "aria-label": t("files.title") }, attached.map((f) => h("li", { "data-file": f.id },
          h("a", { href: f.url, download: f.name }, "📎 " + f.name), " ", h("span", { class: "meta" }, `(${fileKind(f.content_type)}, ${fileSize(f.size_bytes)})`)))) : null,
        canAttach && x.decision === "pending" ? attachForm(e, x.id) : null,
        h("p", { class: "meta" }, t("milestone.submittedAt", { date: date(x.submitted_at) }), " · ",
          (x.decision === "approved" ? "✔ " : x.decision === "rejected" ? "✘ " : "… ") + t(`milestone.decision.${x.decision}` as Parameters<typeof t>[0]),
          x.released_eur ? " · " + t("milestone.releasedNow", { amount: euro(x.released_eur) }) : "", x.reason ? " · " + x.reason : ""),
        canDecide && x.decision === "pending" ? h("div", { class: "decide" },
          h("div", { class: "field" }, h("label", { for: `reason-${x.id}` }, t("milestone.reason")), reason),
          h("button", { type: "button", onclick: decide("approved") }, t("milestone.approve", { title: String(m.title ?? n) })), " ",
          h("button", { type: "button", class: "secondary", onclick: decide("rejected") }, t("milestone.reject", { title: String(m.title ?? n) })), status) : null);
    })));
    const open = m.status !== "approved" && !mine.some((x) => x.decision === "pending" || x.decision === "approved");
    if (canSubmit && open) {
      const text = h("textarea", { name: `evidence-${n}`, rows: 2, required: true, maxlength: 8000 });
      const link = h("input", { type: "url", name: `evidence-link-${n}`, maxlength: 2000, placeholder: "https://" });
      const file = h("input", { type: "file", name: `evidence-file-${n}`, accept: FILE_ACCEPT });
      const status = h("div");
      box.append(h("details", {}, h("summary", {}, t("milestone.submit", { title: String(m.title ?? n) })),
        h("form", { class: "stack evidence-form", "data-milestone": n, onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const chosen = file.files?.[0] ?? null;
          const wrong = chosen ? fileProblem(chosen) : null;
          if (wrong) { status.replaceChildren(h("div", { class: "error", role: "alert" }, wrong)); return; }
          try {
            const made = await api.post<Evidence>(`/experiments/${e.id}/milestones/${n}/evidence`, link.value ? { text: text.value, link: link.value } : { text: text.value });
            if (chosen && canAttach) await upload(e, made.id, chosen);
            announce(t("milestone.submitted"));
            navigate(location.pathname);
          } catch (err) { status.replaceChildren(errorBox(err)); }
        } }, field(t("milestone.evidenceText"), text), field(t("milestone.evidenceUrl"), link),
          canAttach ? field(t("files.attach"), file, t("files.hint")) : null, status,
          h("button", { type: "submit" }, t("milestone.submitButton")))));
    }
    return box.childNodes.length ? box : null;
  };
}
