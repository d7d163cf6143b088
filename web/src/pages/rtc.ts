// The Right to Challenge (uitdaagrecht; docs/right-to-challenge.md): the municipality's task list
// (kept by its officers), the challenges filed against its tasks, the filing form, and one
// challenge's public page with every step of the assessment (date, deadline, decision, reasons),
// who could join it, the initiative's changes while it is received and the officers' step control
// (with a confirmation). The server checks every right; the page only hides what cannot work.
import { h, field, select } from "../dom";
import { api, Actor, Page, Tie, currentUser, hasRole, myActors, query, Task, TaskChallenge, TaskChallengeStep } from "../api";
import { t, euro, date, num, tieKindLabel, Key } from "../i18n";
import { Ctx, navigate } from "../router";
import { setTitle, announce, errorBox } from "../feedback";
import { municipalities, chosenMunicipality, chooseMunicipality, empty, dl, stepper, confirmDialog, actor } from "./common";
import { reasonText, Reason } from "./reasons";
import { useMunicipalityTheme } from "../theme";

type Step = TaskChallengeStep;
type Bid = TaskChallenge;
interface MatchItem { actor: number; name: string; score: number; reasons: Reason[] }
interface Partners { matches: MatchItem[]; teams: { rank: number; members: { actor: number; name: string; lead: boolean }[]; explanation: string }[]; ties: Tie[] }

export const RTC_STEPS = ["received", "assessment", "talks", "decision", "agreement", "running", "evaluated"];
export function stepLabel(s: string): string { return t(("rtcstep." + s) as Key); }
// The decision of a step: the officer's words; the server's own note on filing ("received") in the reader's language.
function decisionText(s: Step): string {
  if (s.step === "received" && s.decision === "received") return t("rtc.receivedNote");
  return s.decision || "—";
}

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const lines = (s: string) => s.split("\n").map((x) => x.trim()).filter(Boolean);

// A form's alert area: the server's refusal goes here, the page stays as it is.
async function attempt(status: HTMLElement, act: () => Promise<void>): Promise<void> {
  status.replaceChildren();
  try { await act(); } catch (e) { status.replaceChildren(errorBox(e)); }
}

// ---- the list: tasks and challenges of a municipality ---------------------------------------------

export async function rtcIndex({ main, query: q }: Ctx): Promise<void> {
  const ms = await municipalities();
  const id = Number(q.get("municipality") ?? "") || chosenMunicipality() || ms[0]?.id || 0;
  const m = ms.find((x) => x.id === id);
  setTitle(t("rtc.title"));
  void useMunicipalityTheme(id);
  const choice = select("municipality", ms.map((x): [string, string] => [String(x.id), x.name]), String(id));
  main.append(h("h1", {}, m ? t("rtc.titleOf", { name: m.name }) : t("rtc.title")), h("p", { class: "lead" }, t("rtc.lead")),
    h("form", { class: "filters", "aria-label": t("rtc.choose"), onsubmit: (e: Event) => {
      e.preventDefault();
      chooseMunicipality(Number(choice.value));
      navigate(`/right-to-challenge?municipality=${encodeURIComponent(choice.value)}`);
    } }, field(t("filter.municipality"), choice), h("button", { type: "submit" }, t("filter.apply"))));
  if (!id) return;
  const [tasks, bids] = await Promise.all([
    api.get<{ items: Task[] }>(`/municipalities/${id}/tasks`), api.get<{ items: Bid[] }>(`/municipalities/${id}/task-challenges`)]);
  const officer = hasRole("officer", { municipality: id });
  const taskSec = h("section", { "aria-labelledby": "h-tasks" }, h("h2", { id: "h-tasks" }, t("rtc.tasks")), h("p", {}, t("rtc.tasksLead")));
  main.append(taskSec);
  if (!tasks.items.length) taskSec.append(empty(t("rtc.noTasks")));
  else taskSec.append(h("table", { class: "table tasks" }, h("caption", { class: "visually-hidden" }, t("rtc.tasks")),
    h("thead", {}, h("tr", {}, [t("rtc.task"), t("rtc.cost"), t("rtc.open"), ""].map((x, i) => h("th", { scope: "col", class: i === 1 ? "num" : null }, x)))),
    h("tbody", {}, tasks.items.map((task) => {
      const status = h("div", { class: "task-status" });
      return h("tr", { "data-task": task.id },
        h("th", { scope: "row" }, task.title, task.description ? h("p", { class: "meta" }, task.description) : null),
        h("td", { class: "num" }, euro(task.budget_eur)),
        h("td", {}, task.open ? t("rtc.openYes") : t("rtc.openNo")),
        h("td", {}, task.open ? h("a", { href: `/right-to-challenge/new?municipality=${id}&task=${task.id}`, class: "challenge-task" }, t("rtc.challengeTask", { title: task.title })) : null,
          officer ? h("button", { type: "button", class: "secondary toggle-task", onclick: () => attempt(status, async () => {
            await api.patch(`/tasks/${task.id}`, { open: !task.open });
            announce(t("rtc.taskChanged"));
            navigate(location.pathname + location.search);
          }) }, task.open ? t("rtc.closeTask") : t("rtc.reopenTask")) : null, status));
    }))));
  taskSec.append(h("p", {}, h("a", { href: `/right-to-challenge/new?municipality=${id}` }, t("rtc.fileStated"))));
  if (officer) main.append(taskForm(id), await settingsForm(id));

  const sec = h("section", { "aria-labelledby": "h-bids" }, h("h2", { id: "h-bids" }, t("rtc.challenges")));
  main.append(sec);
  if (!bids.items.length) { sec.append(empty(t("rtc.noChallenges"))); return; }
  sec.append(h("table", { class: "table bids" }, h("caption", { class: "visually-hidden" }, t("rtc.challenges")),
    h("thead", {}, h("tr", {}, [t("rtc.bidTitle"), t("rtc.task"), t("rtc.initiative"), t("rtc.step")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, bids.items.map((b) => h("tr", { "data-bid": b.id, "data-step": b.step },
      h("th", { scope: "row" }, h("a", { href: `/right-to-challenge/${b.id}` }, b.title)), h("td", {}, b.task_title),
      h("td", {}, b.initiative_name), h("td", {}, stepLabel(b.step)))))));
}

// The officer adds a task to the list.
function taskForm(municipality: number): HTMLElement {
  const title = h("input", { type: "text", name: "task-title", required: true, maxlength: 200 });
  const description = h("textarea", { name: "task-description", rows: 3 });
  const cost = h("input", { type: "number", name: "task-budget", min: 0, step: 1, required: true, inputmode: "numeric" });
  const themes = h("input", { type: "text", name: "task-themes" });
  const caps = h("input", { type: "text", name: "task-capabilities" });
  const area = h("input", { type: "text", name: "task-area" });
  const status = h("div", {});
  return h("section", { "aria-labelledby": "h-addtask", class: "officer-tools" }, h("h2", { id: "h-addtask" }, t("rtc.addTask")), h("p", {}, t("rtc.addTaskLead")),
    h("form", { class: "stack task-form", onsubmit: (e: Event) => { e.preventDefault(); void attempt(status, async () => {
      await api.post(`/municipalities/${municipality}/tasks`, { title: title.value, description: description.value, budget_eur: Number(cost.value),
        themes: list(themes.value), capabilities: list(caps.value).map((c) => ({ capability: c, weight: 1 })), area: area.value });
      announce(t("rtc.taskAdded"));
      navigate(location.pathname + location.search);
    }); } },
    field(t("rtc.taskTitle"), title), field(t("rtc.description"), description), field(t("rtc.cost"), cost),
    field(t("rtc.themes"), themes), field(t("rtc.capabilities"), caps), field(t("rtc.area"), area),
    h("button", { type: "submit" }, t("rtc.addTask")), status));
}

// The officer sets the default days per step.
async function settingsForm(municipality: number): Promise<HTMLElement> {
  const s = await api.get<{ step_days: Record<string, number> }>(`/municipalities/${municipality}/task-challenge-settings`);
  const inputs = RTC_STEPS.filter((x) => x !== "evaluated").map((step) => [step, h("input", { type: "number", name: `days-${step}`, min: 0, max: 3650, value: s.step_days[step] ?? 0, inputmode: "numeric" })] as const);
  const status = h("div", {});
  return h("section", { "aria-labelledby": "h-days", class: "officer-tools" }, h("h2", { id: "h-days" }, t("rtc.settings")),
    h("form", { class: "stack settings-form", onsubmit: (e: Event) => { e.preventDefault(); void attempt(status, async () => {
      await api.put(`/municipalities/${municipality}/task-challenge-settings`, { step_days: Object.fromEntries(inputs.map(([k, i]) => [k, Number(i.value)])) });
      announce(t("rtc.settingsSaved"));
      status.replaceChildren(h("p", { role: "status" }, t("rtc.settingsSaved")));
    }); } }, inputs.map(([k, i]) => field(stepLabel(k), i)), h("button", { type: "submit" }, t("rtc.save")), status));
}

// ---- filing -----------------------------------------------------------------------------------

function parseMilestones(s: string) {
  return lines(s).map((l) => { const [title, due, amount] = l.split(";").map((x) => x.trim()); return { title, due: due ?? "", amount_eur: Number(amount ?? 0) || 0 }; });
}
function parseIndicators(s: string) {
  return lines(s).map((l) => { const [name, unit, baseline, target] = l.split(";").map((x) => x.trim()); return { name, unit: unit ?? "", baseline: Number(baseline ?? 0) || 0, target: Number(target ?? 0) || 0 }; });
}

export async function rtcNew({ main, query: q }: Ctx): Promise<void> {
  const municipality = Number(q.get("municipality") ?? "") || chosenMunicipality() || 0;
  setTitle(t("rtc.new"));
  void useMunicipalityTheme(municipality || null);
  main.append(h("p", { class: "crumbs" }, h("a", { href: `/right-to-challenge?municipality=${municipality}` }, t("rtc.title"))),
    h("h1", {}, t("rtc.new")), h("p", { class: "lead" }, t("rtc.newLead")));
  const me = currentUser();
  const actors = myActors();
  const resident = hasRole("resident", { municipality });
  if (!me || (!actors.length && !resident)) { main.append(h("p", { class: "notice" }, t("rtc.signIn"))); return; }
  const tasks = municipality ? (await api.get<{ items: Task[] }>(`/municipalities/${municipality}/tasks`)).items.filter((x) => x.open) : [];
  const taskChoice = select("task", [...tasks.map((x): [string, string] => [String(x.id), `${x.title} (${euro(x.budget_eur)})`]), ["", t("rtc.statedTask")]],
    q.get("task") ?? (tasks[0] ? String(tasks[0].id) : ""));
  const statedTitle = h("input", { type: "text", name: "task_title", maxlength: 200 });
  const statedCost = h("input", { type: "number", name: "current_cost_eur", min: 0, inputmode: "numeric" });
  const stated = h("div", { class: "stated" }, field(t("rtc.statedTitle"), statedTitle), field(t("rtc.statedCost"), statedCost));
  // (style, not the hidden attribute: the fields' CSS display would override it)
  const showStated = () => { stated.style.display = taskChoice.value !== "" ? "none" : ""; };
  taskChoice.addEventListener("change", showStated);
  showStated();
  const mine = await Promise.all(actors.map((a) => actor(a).catch(() => null)));
  const who = select("initiative", [...mine.filter((a): a is Actor => !!a).map((a): [string, string] => [String(a.id), a.name]),
    ...(resident ? [["", t("rtc.asResidents")] as [string, string]] : [])]);
  const groupName = h("input", { type: "text", name: "initiative_name", maxlength: 200 });
  const group = field(t("rtc.initiativeName"), groupName);
  const showGroup = () => { group.style.display = who.value !== "" ? "none" : ""; };
  who.addEventListener("change", showGroup);
  showGroup();
  const title = h("input", { type: "text", name: "title", required: true, maxlength: 200 });
  const plan = h("textarea", { name: "plan", rows: 6, required: true });
  const budget = h("input", { type: "number", name: "budget_eur", min: 1, required: true, inputmode: "numeric" });
  const others = municipality ? (await api.get<Page<Actor>>("/actors" + query({ municipality, limit: 100, sort: "name" }))).items : [];
  const partners = h("select", { name: "partners", multiple: true, size: 6 });
  for (const a of others) partners.append(h("option", { value: a.id }, a.name));
  const milestones = h("textarea", { name: "milestones", rows: 3 });
  const indicators = h("textarea", { name: "indicators", rows: 3 });
  const status = h("div", {});
  main.append(h("form", { class: "stack bid-form", onsubmit: (e: Event) => { e.preventDefault(); void attempt(status, async () => {
    const body: Record<string, unknown> = { title: title.value, plan: plan.value, budget_eur: Number(budget.value),
      partners: [...partners.selectedOptions].map((o) => Number(o.value)).filter((x) => String(x) !== who.value),
      milestones: parseMilestones(milestones.value), indicators: parseIndicators(indicators.value) };
    if (taskChoice.value) body.task = Number(taskChoice.value);
    else Object.assign(body, { municipality, task_title: statedTitle.value, current_cost_eur: Number(statedCost.value) || 0 });
    if (who.value) body.initiative = Number(who.value);
    else body.initiative_name = groupName.value;
    const made = await api.post<Bid>("/task-challenges", body);
    announce(t("rtc.filed"));
    navigate(`/right-to-challenge/${made.id}`);
  }); } },
  field(t("rtc.whichTask"), taskChoice), stated, field(t("rtc.initiative"), who), group,
  field(t("rtc.bidTitle"), title), field(t("rtc.plan"), plan), field(t("rtc.budget"), budget),
  field(t("rtc.partners"), partners, t("rtc.partnersHint")), field(t("rtc.milestones"), milestones), field(t("rtc.indicators"), indicators),
  h("button", { type: "submit" }, t("rtc.file")), status));
}

// ---- one challenge ------------------------------------------------------------------------------

export async function rtcPage({ main, params }: Ctx): Promise<void> {
  const id = Number(params[0]);
  const b = await api.get<Bid>(`/task-challenges/${id}`);
  setTitle(b.title);
  void useMunicipalityTheme(b.municipality);
  main.append(h("p", { class: "crumbs" }, h("a", { href: `/right-to-challenge?municipality=${b.municipality}` }, t("rtc.title"))),
    h("h1", {}, b.title), h("p", { class: "lead" }, t("rtc.now", { step: stepLabel(b.step) })));
  if (b.step === "refused") main.append(h("p", { class: "notice refused" }, t("rtc.refusedNote")));
  else main.append(stepper(RTC_STEPS, b.step, t("rtc.steps"), stepLabel));
  if (b.experiment) main.append(h("p", { class: "experiment-link" }, t("rtc.experiment"), h("a", { href: `/experiments/${b.experiment}` }, t("rtc.experimentLink"))));
  const partnerNames = await Promise.all(b.partners.map((a) => actor(a).then((x) => x.name).catch(() => `#${a}`)));
  main.append(h("section", { "aria-labelledby": "h-bid" }, h("h2", { id: "h-bid" }, t("rtc.bid")),
    dl([[t("rtc.task"), b.task_title], [t("rtc.by"), b.initiative ? h("a", { href: `/actors/${b.initiative}` }, b.initiative_name) : b.initiative_name],
      [t("rtc.currentCost"), euro(b.current_cost_eur)], [t("rtc.proposedBudget"), euro(b.budget_eur)],
      [t("rtc.saving"), euro(b.current_cost_eur - b.budget_eur)], [t("rtc.partners"), partnerNames.join(", ") || "—"],
      [t("rtc.criteria"), b.criteria.join(", ") || "—"]]),
    h("p", { class: "plan" }, b.plan)));
  main.append(h("section", { "aria-labelledby": "h-steps" }, h("h2", { id: "h-steps" }, t("rtc.steps")), h("p", {}, t("rtc.stepsLead")),
    h("table", { class: "table steps" }, h("caption", { class: "visually-hidden" }, t("rtc.steps")),
      h("thead", {}, h("tr", {}, [t("rtc.step"), t("rtc.date"), t("rtc.deadline"), t("rtc.decision"), t("rtc.reasons")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, b.steps.map((s) => h("tr", { "data-step": s.step, "data-reached": String(s.reached) },
        h("th", { scope: "row" }, stepLabel(s.step)), h("td", {}, s.reached ? date(s.entered_at) : t("rtc.notYet")),
        h("td", {}, s.deadline ? date(s.deadline) : "—"), h("td", {}, decisionText(s)), h("td", { class: "reasons" }, s.reasons || "—")))))));
  const me = currentUser();
  // The initiative's members; for residents filing together, residents of the municipality (the
  // server knows who filed and refuses the others).
  const bidder = !!me && (b.initiative != null ? myActors().includes(b.initiative) : hasRole("resident", { municipality: b.municipality }));
  const officer = hasRole("officer", { municipality: b.municipality });
  if (me && (bidder || officer || myActors().length)) main.append(await partnersSection(b, b.editable && bidder));
  if (b.editable && bidder) main.append(editForm(b));
  if (officer && b.next_steps.length) main.append(assessForm(b));
}

// Who could join; while the bid may change, the initiative adds a suggested actor as a partner.
async function partnersSection(b: Bid, canAdd: boolean): Promise<HTMLElement> {
  const sec = h("section", { "aria-labelledby": "h-partners", class: "partners" }, h("h2", { id: "h-partners" }, t("rtc.whoCouldJoin")), h("p", {}, t("rtc.whoLead")));
  let p: Partners;
  try { p = await api.get<Partners>(`/task-challenges/${b.id}/partners`); } catch (e) { sec.append(errorBox(e)); return sec; }
  const status = h("div", {});
  sec.append(p.matches.length ? h("ol", { class: "matches" }, p.matches.map((m) => h("li", { "data-actor": m.actor },
    h("a", { href: `/actors/${m.actor}` }, m.name), ` · ${num(m.score, 2)} `,
    canAdd ? h("button", { type: "button", class: "secondary add-partner", "aria-label": t("rtc.addPartnerNamed", { name: m.name }),
      onclick: () => attempt(status, async () => {
        await api.patch(`/task-challenges/${b.id}`, { partners: [...b.partners, m.actor] });
        announce(t("rtc.partnerAdded", { name: m.name }));
        navigate(location.pathname);
      }) }, t("rtc.addPartner")) : null,
    h("ul", { class: "reasons" }, m.reasons.slice(0, 3).map((r) => h("li", {}, reasonText(r)))))))
    : empty(t("rtc.noMatches")), status);
  if (p.teams.length) sec.append(h("h3", {}, t("rtc.teams")), h("ol", { class: "teams" }, p.teams.map((team) => h("li", {},
    h("strong", {}, t("rtc.team", { n: team.rank }) + ": "),
    team.members.map((x) => x.lead ? `${x.name} (${t("rtc.leadMember")})` : x.name).join(", ")))));
  sec.append(h("h3", {}, t("rtc.fabric")), h("p", { class: "fabric-count" }, t("rtc.fabricCount", { n: p.ties.length })));
  const shown = p.ties.slice(0, 20);
  const names = new Map<number, string>();
  await Promise.all([...new Set(shown.flatMap((x) => [x.a, x.b]))].map((a) => actor(a).then((x) => names.set(a, x.name)).catch(() => names.set(a, `#${a}`))));
  if (shown.length) sec.append(h("ul", { class: "ties" }, shown.map((x) => h("li", {},
    h("a", { href: `/actors/${x.a}` }, names.get(x.a) ?? `#${x.a}`), " — ", h("a", { href: `/actors/${x.b}` }, names.get(x.b) ?? `#${x.b}`),
    ` (${tieKindLabel(x.kind)})`))));
  return sec;
}

// The initiative changes its bid while it is received.
function editForm(b: Bid): HTMLElement {
  const title = h("input", { type: "text", name: "edit-title", value: b.title, required: true, maxlength: 200 });
  const plan = h("textarea", { name: "edit-plan", rows: 5, required: true });
  plan.value = b.plan;
  const budget = h("input", { type: "number", name: "edit-budget", value: b.budget_eur, min: 1, required: true, inputmode: "numeric" });
  const status = h("div", {});
  return h("section", { "aria-labelledby": "h-edit" }, h("h2", { id: "h-edit" }, t("rtc.edit")),
    h("form", { class: "stack edit-form", onsubmit: (e: Event) => { e.preventDefault(); void attempt(status, async () => {
      await api.patch(`/task-challenges/${b.id}`, { title: title.value, plan: plan.value, budget_eur: Number(budget.value) });
      announce(t("rtc.saved"));
      navigate(location.pathname);
    }); } }, field(t("rtc.bidTitle"), title), field(t("rtc.plan"), plan), field(t("rtc.budget"), budget),
    h("button", { type: "submit" }, t("rtc.save")), status));
}

// The officer's control: the next step (or a refusal) with decision, reasons, deadline and, for the
// assessment, the criteria; a confirmation before it is published.
function assessForm(b: Bid): HTMLElement {
  const step = select("step", b.next_steps.map((s): [string, string] => [s, stepLabel(s)]), b.next_steps[0]);
  const decision = h("textarea", { name: "decision", rows: 2, required: true });
  const reasons = h("textarea", { name: "reasons", rows: 3 });
  const deadline = h("input", { type: "date", name: "deadline" });
  const criteria = h("textarea", { name: "criteria", rows: 3 });
  const status = h("div", { class: "step-status" });
  const button = h("button", { type: "submit", class: "step-apply" }, t("rtc.apply"));
  return h("section", { "aria-labelledby": "h-assess", class: "officer-tools" }, h("h2", { id: "h-assess" }, t("rtc.assess")), h("p", {}, t("rtc.assessLead")),
    h("form", { class: "stack assess-form", onsubmit: async (e: Event) => {
      e.preventDefault();
      const label = stepLabel(step.value);
      if (!(await confirmDialog(t("rtc.confirm", { step: label }), t("rtc.confirmYes", { step: label })))) return;
      button.disabled = true;
      await attempt(status, async () => {
        await api.post(`/task-challenges/${b.id}/step`, { step: step.value, decision: decision.value, reasons: reasons.value, deadline: deadline.value, criteria: lines(criteria.value) });
        announce(t("rtc.moved", { step: label }));
        navigate(location.pathname);
      });
      button.disabled = false;
    } }, field(t("rtc.moveTo"), step), field(t("rtc.decision"), decision), field(t("rtc.reasons"), reasons, t("rtc.reasonsHint")),
    field(t("rtc.deadline"), deadline, t("rtc.deadlineHint")), field(t("rtc.criteria"), criteria, t("rtc.criteriaHint")), button, status));
}

// The overview's part: task budgets that moved to an initiative (pages/overview.ts).
export interface TaskBudget { task_challenge: number; task: number | null; task_title: string; initiative_name: string; task_budget_eur: number; transferred_eur: number; kept_eur: number; experiment: number | null }
export function taskBudgetsSection(lines: TaskBudget[]): HTMLElement | null {
  if (!lines.length) return null;
  return h("section", { "aria-labelledby": "h-rtc-money", class: "task-budgets" }, h("h2", { id: "h-rtc-money" }, t("rtc.budgets")), h("p", {}, t("rtc.budgetsLead")),
    h("table", { class: "table task-budgets" }, h("caption", { class: "visually-hidden" }, t("rtc.budgets")),
      h("thead", {}, h("tr", {}, [t("rtc.task"), t("rtc.initiative"), t("rtc.taskBudget"), t("rtc.transferred"), t("rtc.kept")].map((x, i) => h("th", { scope: "col", class: i >= 2 ? "num" : null }, x)))),
      h("tbody", {}, lines.map((l) => h("tr", { "data-task-challenge": l.task_challenge },
        h("th", { scope: "row" }, h("a", { href: `/right-to-challenge/${l.task_challenge}` }, l.task_title)), h("td", {}, l.initiative_name),
        h("td", { class: "num" }, euro(l.task_budget_eur)), h("td", { class: "num", "data-transferred": l.transferred_eur }, euro(l.transferred_eur)),
        h("td", { class: "num" }, euro(l.kept_eur)))))));
}
