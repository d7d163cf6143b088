// The officer's back office and voting (issue 18), on a phone (390×844), in Dutch: an officer opens
// a round on the Fonds page, adds projects and a submitted proposal, moves the phases (each after
// a confirmation; cancelling changes nothing) and publishes; confirms the winner's funding, starts
// its experiment, adds a milestone, records a measurement and releases a milestone (confirmed);
// funds a second proposal outside the round; the overview's money reconciles. Residents: the
// ballot's budget meter stops at the budget, projects show their plan and proposal, and there is
// no outcome before ballots exist.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, apiAs, uiLogin, go, shot, confirm, prerequisites } from "./harness.mjs";

const missing = prerequisites();
const skip = { skip: missing.join(", ") || false };
let server, browser, page;

before(async () => {
  if (missing.length) return;
  server = await startServer();
  browser = await startBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
});
after(async () => { await browser?.close(); await server?.stop(); });

async function fitsPhone(page, what) {
  const [w, inner] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
  assert.ok(w <= inner, `${what}: ${w} px wide in ${inner} px`);
}

// A challenge in its proposals phase with a coalition (actor 1, the member's) and a proposal.
async function proposalWorld(officer, member, title, budget) {
  const c = await officer.post("/challenges", { municipality: 1, title: `Opgave ${title}`, text: "Eenzaamheid onder ouderen in de wijk.",
    themes: ["eenzaamheid"], budget_eur: 100000, deadline: "2027-12-31" });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  const co = await officer.post(`/challenges/${c.id}/coalitions`, { members: [{ actor: 1, role: "lead" }], explanation: "Buurtnetwerk" });
  await officer.post(`/coalitions/${co.id}/invite`, { actor: 1 });
  await member.post(`/coalitions/${co.id}/accept`, { actor: 1 });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "forming" });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "proposals" });
  const p = await member.post(`/coalitions/${co.id}/proposals`, { title, plan: `${title}: elke week open, vrijwilligers halen ouderen op.`, budget_eur: budget });
  return { challenge: c, proposal: p };
}

test("an officer runs a round, its winner's experiment and a direct funding in the UI; the overview reconciles", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  const resident = await apiAs(server.base, "resident");
  const { proposal } = await proposalWorld(officer, member, "Buurtkamers", 40000);
  const direct = await proposalWorld(officer, member, "Maaltijden aan huis", 25000);
  await member.post(`/proposals/${direct.proposal.id}/status`, { status: "submitted" });

  // The member submits the first proposal from its page (after a confirmation).
  await uiLogin(page, server.base, "member");
  await go(page, server.base, `/proposals/${proposal.id}`);
  await page.getByRole("button", { name: "Voorstel indienen" }).click();
  await confirm(page);
  await page.getByText("Stand van het voorstel: Ingediend.").waitFor();
  assert.equal((await officer.get(`/proposals/${proposal.id}`)).status, "submitted");

  // The officer opens a round on the Fonds page.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/rounds");
  const form = page.locator("section.new-round");
  await form.getByLabel("Naam van de ronde").fill("Buurtbudget Oost 2027");
  await form.getByLabel("Gemeente").selectOption("1");
  await form.getByLabel("Budget (euro)").fill("100000");
  await form.getByRole("button", { name: "Ronde openen" }).click();
  await page.getByRole("heading", { level: 1, name: "Buurtbudget Oost 2027" }).waitFor();
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  const made = await officer.get(`/rounds/${id}`);
  assert.equal(made.budget_eur, 100000);
  assert.equal(made.phase, "submission");
  await fitsPhone(page, "new round");
  // Two projects of its own and the submitted proposal.
  for (const [title, cost] of [["Speelplek", "70000"], ["Bankjes", "15000"]]) {
    const add = page.locator("section.add-project");
    await add.getByLabel("Naam van het project").fill(title);
    await add.getByLabel("Kosten (euro)").fill(cost);
    await add.getByRole("button", { name: "Project toevoegen" }).click();
    await page.getByRole("rowheader", { name: title }).waitFor();
  }
  await page.locator("section.add-proposal").getByLabel("Ingediend voorstel").selectOption({ label: "Buurtkamers · € 40.000 (Opgave Buurtkamers)" });
  await page.locator("section.add-proposal").getByRole("button", { name: "Toevoegen aan de ronde" }).click();
  await page.getByRole("rowheader", { name: "Buurtkamers" }).waitFor();
  const round = await officer.get(`/rounds/${id}`);
  assert.deepEqual(round.projects.map((p) => [p.title, p.cost_eur]), [["Speelplek", 70000], ["Bankjes", 15000], ["Buurtkamers", 40000]]);
  const winner = round.projects.find((p) => p.proposal === proposal.id).project_id;

  // A phase move asks first; cancelling changes nothing.
  await page.getByRole("button", { name: "Naar de volgende fase: Stemmen" }).click();
  assert.match(await page.locator("dialog.confirm").innerText(), /De stemming gaat open/);
  await page.locator("dialog.confirm").getByRole("button", { name: "Annuleren" }).click();
  assert.equal((await officer.get(`/rounds/${id}`)).phase, "submission", "cancelled: still in submission");
  await page.getByRole("button", { name: "Naar de volgende fase: Stemmen" }).click();
  await confirm(page);
  await page.getByRole("button", { name: "Naar de volgende fase: Toewijzen" }).waitFor();
  assert.equal((await officer.get(`/rounds/${id}`)).phase, "voting");
  // No ballots yet: no provisional outcome, only the words.
  await page.getByText("Er is nog niet gestemd, dus er is nog geen uitkomst.").waitFor();
  assert.equal(await page.locator("table.results").count(), 0);
  await resident.put(`/rounds/${id}/ballot`, { entries: [{ project_id: winner, points: 1 }, { project_id: round.projects[1].project_id, points: 1 }] });
  await go(page, server.base, `/rounds/${id}`);
  await page.locator("table.results").waitFor();
  await page.getByRole("button", { name: "Naar de volgende fase: Toewijzen" }).click();
  await confirm(page);
  await page.getByRole("button", { name: "Naar de volgende fase: Uitslag gepubliceerd" }).click();
  assert.match(await page.locator("dialog.confirm").innerText(), /gepubliceerd en het geld .* toegezegd/);
  await confirm(page);
  await page.locator('.stepper[data-phase="published"]').waitFor();
  const allocation = await officer.get(`/rounds/${id}/allocation`);
  assert.ok(allocation.items.some((a) => a.proposal === proposal.id), "the proposal won");
  await shot(page, "backoffice-round-published");

  // The winner's follow-up: confirm its funding, start its experiment.
  await page.getByRole("link", { name: "Financiering en experiment van Buurtkamers" }).click();
  await page.getByRole("button", { name: "Financiering vastleggen (gekozen in de ronde)" }).click();
  await confirm(page);
  await page.getByRole("heading", { name: "Experiment starten" }).waitFor();
  assert.equal((await officer.get(`/proposals/${proposal.id}`)).status, "funded");
  const xf = page.locator("form.experiment-form");
  await xf.getByLabel(/Wat verwachten we/).fill("Buurtkamers verminderen eenzaamheid\nOuderen komen vaker buiten");
  await xf.getByLabel("Naam van de indicator").fill("Eenzame ouderen");
  await xf.getByLabel("Eenheid").fill("%");
  await xf.getByLabel("Nulmeting").fill("48");
  await xf.getByLabel("Doel").fill("40");
  await xf.getByLabel("Mijlpaal", { exact: true }).fill("Eerste buurtkamer open");
  await xf.getByLabel("Bedrag bij deze mijlpaal (euro)").fill("15000");
  await fitsPhone(page, "experiment form");
  await xf.getByRole("button", { name: "Experiment starten" }).click();
  await page.waitForFunction(() => /^\/experiments\/\d+$/.test(document.body.dataset.ready ?? ""));
  const expId = Number(new URL(page.url()).pathname.split("/").pop());
  let exp = await officer.get(`/experiments/${expId}`);
  assert.equal(exp.proposal, proposal.id);
  assert.deepEqual(exp.hypotheses, ["Buurtkamers verminderen eenzaamheid", "Ouderen komen vaker buiten"]);
  // A second milestone and a measurement, in the page.
  const tools = page.locator("section.experiment-tools");
  await tools.locator("form.add-milestone").getByLabel("Mijlpaal", { exact: true }).fill("Vijf buurtkamers open");
  await tools.locator("form.add-milestone").getByLabel("Bedrag bij deze mijlpaal (euro)").fill("20000");
  await tools.getByRole("button", { name: "Mijlpaal toevoegen" }).click();
  await page.getByRole("rowheader", { name: "Vijf buurtkamers open" }).waitFor();
  await page.getByText("Meting toevoegen: Eenzame ouderen").click();
  const mf = page.locator("form.measurement-form");
  await mf.getByLabel("Datum").fill("2027-06-01");
  await mf.getByLabel("Waarde (%)").fill("44,5".replace(",", "."));
  await mf.getByLabel("Bron").fill("buurtenquête");
  await mf.getByRole("button", { name: "Meting opslaan" }).click();
  await page.getByRole("cell", { name: "buurtenquête" }).waitFor();
  exp = await officer.get(`/experiments/${expId}`);
  assert.deepEqual(exp.milestones.map((m) => [m.title, m.amount_eur]), [["Eerste buurtkamer open", 15000], ["Vijf buurtkamers open", 20000]]);
  assert.deepEqual(exp.indicators[0].measurements, [{ date: "2027-06-01", value: 44.5, source: "buurtenquête" }]);
  // The member submits evidence; the officer's release asks first (cancel keeps it), then releases.
  await member.post(`/experiments/${expId}/milestones/1/evidence`, { text: "De eerste buurtkamer is open." });
  await go(page, server.base, `/experiments/${expId}`);
  await page.getByRole("button", { name: "Goedkeuren: Eerste buurtkamer open" }).click();
  assert.match(await page.locator("dialog.confirm").innerText(), /€\s?15\.000 vrijgeven/);
  await page.locator("dialog.confirm").getByRole("button", { name: "Annuleren" }).click();
  assert.equal((await officer.get(`/experiments/${expId}`)).milestones[0].status, "submitted", "cancelled: nothing released");
  await page.getByRole("button", { name: "Goedkeuren: Eerste buurtkamer open" }).click();
  await confirm(page);
  await page.locator('.milestone-table tr[data-index="0"][data-status="approved"]').waitFor();
  await shot(page, "backoffice-experiment");

  // A proposal funded outside any round, from its page.
  await go(page, server.base, `/proposals/${direct.proposal.id}`);
  await page.getByRole("button", { name: /^Financieren buiten een ronde \(€\s?25\.000\)$/ }).click();
  await confirm(page);
  await page.getByText("Stand van het voorstel: Gefinancierd.").waitFor();

  // The overview reconciles: committed = the round's allocation + the direct funding; every line
  // traced to its source, the lines add up to the total, released ≤ committed.
  await go(page, server.base, "/overview?municipality=1");
  const o = await officer.get("/municipalities/1/overview");
  const roundsTotal = o.money.commitments.filter((l) => l.source === "round").reduce((s, l) => s + l.amount_eur, 0);
  assert.ok(roundsTotal >= allocation.committed_eur, "the new round's allocation is counted");
  assert.equal(o.money.committed_eur, roundsTotal + 25000 + o.money.commitments.filter((l) => l.source === "proposal" && l.proposal !== direct.proposal.id).reduce((s, l) => s + l.amount_eur, 0));
  assert.ok(o.money.commitments.some((l) => l.source === "proposal" && l.proposal === direct.proposal.id && l.amount_eur === 25000));
  assert.equal(o.money.commitments.filter((l) => l.proposal === proposal.id).length, 1, "the winner counts once, with its round");
  const lines = await page.locator("table.commitments tbody tr").evaluateAll((rs) => rs.map((r) => Number(r.dataset.amount)));
  assert.equal(lines.reduce((s, x) => s + x, 0), o.money.committed_eur, "the lines shown add up to the total");
  assert.equal(Number(await page.locator("table.commitments [data-total]").getAttribute("data-total")), o.money.committed_eur);
  const shown = (k) => page.locator(`[data-figure=${k}]`).innerText().then((s) => Number(s.replace(/[^\d]/g, "")));
  assert.equal(await shown("committed"), o.money.committed_eur);
  assert.equal(await shown("released"), o.money.released_eur);
  assert.ok(o.money.released_eur >= 15000 && o.money.released_eur <= o.money.committed_eur, "released ≤ committed");
  assert.equal(await shown("remaining"), o.money.committed_eur - o.money.released_eur);
  await fitsPhone(page, "overview");
  await shot(page, "backoffice-overview");
});

test("the ballot's budget meter stops at the budget; projects show their plan and proposal", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  const { proposal } = await proposalWorld(officer, member, "Repair café", 10000);
  await member.post(`/proposals/${proposal.id}/status`, { status: "submitted" });
  const r = await officer.post("/rounds", { municipality: 1, name: "Buurtbudget Noord 2028", budget_eur: 100000, ballot_kind: "approval", max_length: 0,
    projects: [{ project_id: "p1", title: "Moestuin", cost_eur: 30000 }, { project_id: "p2", title: "Buurtkamer", cost_eur: 45000 },
      { project_id: "p3", title: "Fietsroute", cost_eur: 60000 }] });
  await officer.post(`/rounds/${r.id}/proposals`, { proposal: proposal.id });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "voting" });
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/rounds/${r.id}`);
  // The proposal's project shows its plan and a link to the proposal.
  const fromProposal = page.locator(`li.project[data-project="proposal-${proposal.id}"]`);
  assert.match(await fromProposal.locator(".pdesc").innerText(), /elke week open/);
  assert.equal(await fromProposal.getByRole("link", { name: "Lees het voorstel: Repair café" }).getAttribute("href"), `/proposals/${proposal.id}`);
  await page.getByLabel(/Moestuin/).check();
  await page.getByLabel(/Buurtkamer/).check();
  // 75.000 chosen: the 60.000 route does not fit, and says so before it is tried.
  const route = page.locator('li.project[data-project="p3"]');
  assert.equal(await route.locator(".nofit").isVisible(), true);
  await page.getByLabel(/Fietsroute/).click();
  assert.equal(await page.getByLabel(/Fietsroute/).isChecked(), false, "not added");
  const alert = await page.locator(".over-budget").innerText();
  assert.match(alert, /Fietsroute past niet meer: uw keuze zou €\s?135\.000 kosten, meer dan het budget van €\s?100\.000\. Er is nog €\s?25\.000 over/);
  assert.equal(await page.locator("meter").first().evaluate((m) => m.value <= m.max), true);
  assert.match(await page.locator("#ballot-summary").innerText(), /€\s?75\.000/);
  // The 10.000 repair café still fits; the ballot is stored as chosen.
  await page.getByLabel(/Repair café/).check();
  await page.getByRole("button", { name: "Stem uitbrengen" }).click();
  await page.getByText("Uw stem is opgeslagen.").first().waitFor();
  const resident = await apiAs(server.base, "resident");
  const ballot = await resident.get(`/rounds/${r.id}/ballot`);
  assert.deepEqual(ballot.entries.map((e) => e.project_id).sort(), ["p1", "p2", `proposal-${proposal.id}`]);
  await fitsPhone(page, "ballot");
  await shot(page, "backoffice-ballot");
});

// ---- Issue 18, "done when" -------------------------------------------------------------------
// A new officer runs a whole programme cycle in the UI alone, on the phone, in Dutch: challenge →
// coalition → proposal → round → result → experiment → measurement → release. The organisation's
// member accepts the invitation, writes and submits the proposal, records a measurement and submits
// evidence with an attachment; a resident votes. Every step's outcome is checked against the API,
// no page scrolls sideways, and each step is photographed in the three themes
// (build/screenshots/cycle-<n>-<step>-<theme>.png): the cycle runs once, and at each step the same
// page is shown again with the `?theme=` preview of Den Haag and Utrecht, then restored. It shares
// this file's server and browser (a file of its own would add ~35 s of demo city and start-up).
// A 1×1 PNG, attached to the milestone's evidence.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

const withTheme = (path, theme) => {
  const u = new URL(path, "http://x");
  u.searchParams.set("theme", theme);
  return u.pathname + u.search + u.hash;
};
const themeIs = (theme) => page.waitForFunction((th) => document.documentElement.dataset.theme === th, theme);

// The step's page in the municipality's own theme (Amsterdam has none: the example theme), then the
// same page previewed in Den Haag's and Utrecht's themes; the preview is forgotten afterwards.
async function step(n, name) {
  const here = new URL(page.url());
  const path = here.pathname + here.search + here.hash;
  await themeIs("voorbeeld");
  await fitsPhone(page, `${name} (voorbeeld)`);
  await shot(page, `cycle-${n}-${name}-voorbeeld`);
  for (const theme of ["denhaag", "utrecht"]) {
    await go(page, server.base, withTheme(path, theme));
    await themeIs(theme);
    await fitsPhone(page, `${name} (${theme})`);
    await shot(page, `cycle-${n}-${name}-${theme}`);
  }
  await go(page, server.base, withTheme(path, "auto"));
  await themeIs("voorbeeld");
}

// Moves the challenge on the challenge page to `label`'s phase, after the confirmation.
async function nextChallengePhase(code, label) {
  await page.getByRole("button", { name: `Naar de volgende fase: ${label}` }).click();
  await confirm(page);
  await page.locator(`.stepper[data-phase="${code}"]`).waitFor();
}

test("a new officer runs the whole programme cycle in the UI, on a phone, in Dutch, in three themes", skip, async () => {
  const started = Date.now();
  const officer = await apiAs(server.base, "officer");  // reads only: every change below is made in the UI

  // 1. Challenge: the officer posts it, with the municipality's own organisation as its lead.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/challenges/new");
  await page.getByLabel("Titel").fill("Energiearmoede in Noord");
  await page.getByLabel("Beschrijving van de opgave").fill("Huishoudens in Noord met hoge energierekeningen. Wij zoeken partners voor isolatie, buurtnetwerken en vrijwilligers.");
  await page.getByLabel("Thema's").selectOption(["energietransitie", "wonen"]);
  await page.getByLabel("Gevraagde kwaliteiten").fill("isolatie, buurtnetwerken, volunteers");
  await page.getByLabel("Budget").fill("100000");
  await page.getByLabel("Deadline").fill("2027-12-31");
  await page.getByLabel(/^Penvoerder namens de gemeente/).selectOption({ label: "Gemeente Amsterdam" });
  await fitsPhone(page, "new challenge form");
  await page.getByRole("button", { name: "Opgave plaatsen" }).click();
  await page.getByRole("heading", { level: 1, name: "Energiearmoede in Noord" }).waitFor();
  const challengeId = Number(new URL(page.url()).pathname.split("/").pop());
  const ch = await officer.get(`/challenges/${challengeId}`);
  assert.equal(ch.phase, "open");
  assert.equal(ch.owner, 1, "Gemeente Amsterdam leads");
  assert.deepEqual(ch.capabilities.map((c) => c.capability), ["isolatie", "buurtnetwerken", "volunteers"]);
  await step(1, "opgave");

  // 2. Coalition: matching, the engine's first suggestion becomes the coalition, its members are
  // invited; the member accepts for Gemeente Amsterdam.
  await nextChallengePhase("matching", "Matchen");
  const first = page.locator("section.suggestions article.suggestion").first();
  await first.waitFor();
  assert.match(await first.locator("tbody tr").first().innerText(), /Gemeente Amsterdam.*penvoerder/s, "the lead heads every suggestion");
  await first.getByRole("button", { name: "Stel voorstel 1 voor als coalitie" }).click();
  await page.waitForFunction(() => /^\/coalitions\/\d+$/.test(document.body.dataset.ready ?? ""));
  const coalitionId = Number(new URL(page.url()).pathname.split("/").pop());
  let co = await officer.get(`/coalitions/${coalitionId}`);
  assert.equal(co.challenge, challengeId);
  assert.ok(co.members.length >= 2 && co.members.some((m) => m.actor === 1 && m.role === "lead"), "the suggested team, led by actor 1");
  const names = [];
  for (const m of co.members) names.push((await officer.get(`/actors/${m.actor}`)).name);
  for (const name of names) {
    await page.getByRole("button", { name: `Nodig ${name} uit` }).click();
    await page.getByRole("row", { name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).getByText("Uitgenodigd").waitFor();
  }
  co = await officer.get(`/coalitions/${coalitionId}`);
  assert.ok(co.members.every((m) => m.status === "invited"), "every member invited");
  await go(page, server.base, `/challenges/${challengeId}`);
  await nextChallengePhase("forming", "Coalitie vormen");
  await uiLogin(page, server.base, "member");
  await go(page, server.base, `/coalitions/${coalitionId}`);
  await page.getByRole("button", { name: "Accepteer namens Gemeente Amsterdam" }).click();
  await page.getByRole("row", { name: /^Gemeente Amsterdam/ }).getByText("Geaccepteerd").waitFor();
  assert.equal((await officer.get(`/coalitions/${coalitionId}`)).members.find((m) => m.actor === 1).status, "accepted");
  await step(2, "coalitie");

  // 3. Proposal: the officer opens the proposals phase; the member writes the proposal and submits it.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/challenges/${challengeId}`);
  await nextChallengePhase("proposals", "Voorstellen");
  await uiLogin(page, server.base, "member");
  await go(page, server.base, `/coalitions/${coalitionId}`);
  await page.getByLabel("Titel van het voorstel").fill("Isolatiecoaches in Noord");
  await page.getByLabel("Plan").fill("Buurtbewoners worden isolatiecoach en helpen 200 huishoudens met kleine maatregelen.");
  await page.getByLabel("Gevraagd budget (euro)").fill("40000");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByRole("heading", { level: 3, name: "Isolatiecoaches in Noord" }).waitFor();
  await page.getByRole("link", { name: "Isolatiecoaches in Noord" }).click();
  await page.waitForFunction(() => /^\/proposals\/\d+$/.test(document.body.dataset.ready ?? ""));
  const proposalId = Number(new URL(page.url()).pathname.split("/").pop());
  await page.getByRole("button", { name: "Voorstel indienen" }).click();
  await confirm(page);
  await page.getByText("Stand van het voorstel: Ingediend.").waitFor();
  const prop = await officer.get(`/proposals/${proposalId}`);
  assert.equal(prop.status, "submitted");
  assert.equal(prop.coalition, coalitionId);
  assert.equal(prop.versions.at(-1).budget_eur, 40000);
  await step(3, "voorstel");

  // 4. Round: the officer opens a round, adds a project of its own and the proposal, opens voting.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/rounds");
  const form = page.locator("section.new-round");
  await form.getByLabel("Naam van de ronde").fill("Buurtbudget Noord 2027");
  await form.getByLabel("Gemeente").selectOption("1");
  await form.getByLabel("Budget (euro)").fill("60000");
  await form.getByRole("button", { name: "Ronde openen" }).click();
  await page.getByRole("heading", { level: 1, name: "Buurtbudget Noord 2027" }).waitFor();
  const roundId = Number(new URL(page.url()).pathname.split("/").pop());
  const add = page.locator("section.add-project");
  await add.getByLabel("Naam van het project").fill("Bankjes aan het IJ");
  await add.getByLabel("Kosten (euro)").fill("15000");
  await add.getByRole("button", { name: "Project toevoegen" }).click();
  await page.getByRole("rowheader", { name: "Bankjes aan het IJ" }).waitFor();
  const pick = page.locator("section.add-proposal").getByLabel("Ingediend voorstel");
  const value = await pick.locator("option", { hasText: "Isolatiecoaches in Noord" }).getAttribute("value");
  await pick.selectOption(value);
  await page.locator("section.add-proposal").getByRole("button", { name: "Toevoegen aan de ronde" }).click();
  await page.getByRole("rowheader", { name: "Isolatiecoaches in Noord" }).waitFor();
  await page.getByRole("button", { name: "Naar de volgende fase: Stemmen" }).click();
  await confirm(page);
  await page.getByRole("button", { name: "Naar de volgende fase: Toewijzen" }).waitFor();
  const round = await officer.get(`/rounds/${roundId}`);
  assert.equal(round.phase, "voting");
  assert.deepEqual(round.projects.map((p) => [p.title, p.cost_eur, p.proposal ?? null]),
    [["Bankjes aan het IJ", 15000, null], ["Isolatiecoaches in Noord", 40000, proposalId]]);
  await step(4, "ronde");

  // 5. Result: a resident votes in the page; the officer closes voting and publishes.
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/rounds/${roundId}`);
  await page.getByLabel(/Isolatiecoaches in Noord/).check();
  await page.getByLabel(/Bankjes aan het IJ/).check();
  await page.getByRole("button", { name: "Stem uitbrengen" }).click();
  await page.getByText("Uw stem is opgeslagen.", { exact: false }).first().waitFor();
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/rounds/${roundId}`);
  await page.getByRole("button", { name: "Naar de volgende fase: Toewijzen" }).click();
  await confirm(page);
  await page.getByRole("button", { name: "Naar de volgende fase: Uitslag gepubliceerd" }).click();
  await confirm(page);
  await page.locator('.stepper[data-phase="published"]').waitFor();
  const allocation = await officer.get(`/rounds/${roundId}/allocation`);
  assert.ok(allocation.items.some((a) => a.proposal === proposalId), "the proposal won");
  await page.locator("table.results").waitFor();
  await step(5, "uitslag");

  // 6. Experiment: the winner's funding is confirmed and its experiment started.
  await page.getByRole("link", { name: "Financiering en experiment van Isolatiecoaches in Noord" }).click();
  await page.getByRole("button", { name: "Financiering vastleggen (gekozen in de ronde)" }).click();
  await confirm(page);
  await page.getByRole("heading", { name: "Experiment starten" }).waitFor();
  assert.equal((await officer.get(`/proposals/${proposalId}`)).status, "funded");
  const xf = page.locator("form.experiment-form");
  await xf.getByLabel(/Wat verwachten we/).fill("Isolatiecoaches verlagen de energierekening");
  await xf.getByLabel("Naam van de indicator").fill("Huishoudens met energiearmoede");
  await xf.getByLabel("Eenheid").fill("%");
  await xf.getByLabel("Nulmeting").fill("18");
  await xf.getByLabel("Doel").fill("12");
  await xf.getByLabel("Mijlpaal", { exact: true }).fill("Twintig coaches opgeleid");
  await xf.getByLabel("Bedrag bij deze mijlpaal (euro)").fill("10000");
  await xf.getByRole("button", { name: "Experiment starten" }).click();
  await page.waitForFunction(() => /^\/experiments\/\d+$/.test(document.body.dataset.ready ?? ""));
  const expId = Number(new URL(page.url()).pathname.split("/").pop());
  let exp = await officer.get(`/experiments/${expId}`);
  assert.equal(exp.proposal, proposalId);
  assert.deepEqual(exp.milestones.map((m) => [m.title, m.amount_eur, m.status]), [["Twintig coaches opgeleid", 10000, "planned"]]);
  await step(6, "experiment");

  // 7. Measurement: the member records one and submits the milestone's evidence.
  await uiLogin(page, server.base, "member");
  await go(page, server.base, `/experiments/${expId}`);
  await page.getByText("Meting toevoegen: Huishoudens met energiearmoede").click();
  const mf = page.locator("form.measurement-form");
  await mf.getByLabel("Datum").fill("2027-09-01");
  await mf.getByLabel("Waarde (%)").fill("16.5");
  await mf.getByLabel("Bron").fill("energiemonitor");
  await mf.getByRole("button", { name: "Meting opslaan" }).click();
  await page.getByRole("cell", { name: "energiemonitor" }).waitFor();
  await page.getByText("Bewijs indienen voor: Twintig coaches opgeleid").click();
  const ef = page.locator("form.evidence-form");
  await ef.getByLabel("Wat is er bereikt?").fill("Twintig buurtbewoners hebben de cursus isolatiecoach afgerond.");
  // With an attachment (issue 18): a file over 5 MB is refused in the page, a PNG is attached.
  await ef.getByLabel("Bijlage (niet verplicht)").setInputFiles({ name: "groot.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(6 * 1024 * 1024, 0xff) });
  await ef.getByRole("button", { name: "Bewijs indienen" }).click();
  await ef.getByRole("alert").getByText("groot.jpg is 6 MB; een bijlage mag hoogstens 5 MB zijn.").waitFor();
  assert.equal((await officer.get(`/experiments/${expId}/evidence`)).items.length, 0, "nothing sent");
  await ef.getByLabel("Bijlage (niet verplicht)").setInputFiles({ name: "certificaten.png", mimeType: "image/png", buffer: PNG });
  await ef.getByRole("button", { name: "Bewijs indienen" }).click();
  await page.locator('.milestone-table tr[data-index="0"][data-status="submitted"]').waitFor();
  await page.locator(".evidence-files a", { hasText: "certificaten.png" }).waitFor();
  exp = await officer.get(`/experiments/${expId}`);
  assert.deepEqual(exp.indicators[0].measurements, [{ date: "2027-09-01", value: 16.5, source: "energiemonitor" }]);
  assert.equal(exp.milestones[0].status, "submitted");
  const files = (await officer.get(`/experiments/${expId}/files`)).items;
  assert.deepEqual(files.map((f) => [f.name, f.content_type, f.size_bytes]), [["certificaten.png", "image/png", PNG.length]]);
  const dl = await fetch(server.base + files[0].url);
  assert.equal(dl.headers.get("content-type"), "image/png");
  assert.equal(dl.headers.get("x-content-type-options"), "nosniff");
  assert.match(dl.headers.get("content-disposition"), /^attachment; filename="certificaten\.png"/);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), PNG);
  await step(7, "meting");

  // 8. Release: the officer approves the evidence, after confirming the amount.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/experiments/${expId}`);
  await page.getByRole("button", { name: "Goedkeuren: Twintig coaches opgeleid" }).click();
  assert.match(await page.locator("dialog.confirm").innerText(), /€\s?10\.000 vrijgeven/);
  await confirm(page);
  await page.locator('.milestone-table tr[data-index="0"][data-status="approved"]').waitFor();
  exp = await officer.get(`/experiments/${expId}`);
  assert.equal(exp.milestones[0].status, "approved");
  const evidence = (await officer.get(`/experiments/${expId}/evidence`)).items;
  assert.equal(evidence[0].released_eur, 10000);
  await step(8, "vrijgave");
  console.log(`CYCLE_SECONDS ${((Date.now() - started) / 1000).toFixed(1)}`);
});
