// The programme workflow in a real browser (issue 8: "the UI shows each phase"), one test per flow,
// against `weefsel serve` on a fresh demo database:
//  - a challenge page shows its phase as a stepper; an officer moves it on, a refused move shows the
//    server's reason, a resident sees the stepper without buttons;
//  - a round page shows its phase; in review an officer scores a project per published criterion,
//    residents see the criteria, and once published the reviews and the results;
//  - a proposal page lists the versions with a diff between any two, threaded comments with
//    replies (a reply posted in the page), and the support button with its count (a supporter sees
//    that and may withdraw the support; a second support refused with the reason);
//  - the audit log page shows a challenge's phase changes compactly to its officer and refuses a resident;
//  - the notifications bell carries the unread count, the page lists and marks them read;
//  - a person downloads their data, turns the digest off and deletes their account; their ballot stays counted;
//  - a proposal enters a round, its milestone money is released on approved evidence, the overview counts it;
//  - an officer opens a match-funding campaign, a resident pledges; fabric snapshots; open data;
//  - script payloads stored in the new pages' fields stay text.
// Flows whose API route the server under test does not offer (read from its OpenAPI document) are
// reported as skipped, with the route named.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { confirm, startServer, startBrowser, apiAs, uiLogin, go, shot, prerequisites, registerByApi } from "./harness.mjs";

const missing = prerequisites();
let server, browser, page;
const pageErrors = [];

before(async () => {
  if (missing.length) return;
  server = await startServer({ actors: 300 });
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => { pageErrors.push(e.message); console.error("pageerror:", e.message); });
});
after(async () => { await browser?.close(); await server?.stop(); });

const skip = { skip: missing.join(", ") || false };
const current = (p) => p.locator('.stepper [aria-current="step"]').getAttribute("data-phase");

async function newChallenge(officer, title) {
  return officer.post("/challenges", { municipality: 1, title, text: "Ouderen in de wijk ontmoeten elkaar te weinig.", themes: ["eenzaamheid"], budget_eur: 60000 });
}

// A challenge in phase forming with an accepted coalition (actor 1, the demo member's organisation)
// and a proposal in two versions; returns { challenge, coalition, proposal }.
async function proposalWorld(officer, member) {
  const c = await newChallenge(officer, "Buurtkamers tegen eenzaamheid");
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  const co = await officer.post(`/challenges/${c.id}/coalitions`, { members: [{ actor: 1, role: "lead" }], explanation: "Buurtnetwerk" });
  await officer.post(`/coalitions/${co.id}/invite`, { actor: 1 });
  await member.post(`/coalitions/${co.id}/accept`, { actor: 1 });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "forming" });
  const p = await member.post(`/coalitions/${co.id}/proposals`, { title: "Buurtkamers", plan: "Elke week een open buurtkamer.\nVrijwilligers halen ouderen op.", budget_eur: 30000 });
  await member.post(`/proposals/${p.id}/versions`, { title: "Buurtkamers", plan: "Elke week een open buurtkamer.\nOok op zaterdag.\nVrijwilligers halen ouderen op.", budget_eur: 27500 });
  return { challenge: c, coalition: co, proposal: p };
}

test("a challenge page shows its phase; the officer moves it on and sees a refusal's reason; a resident sees no buttons", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const c = await newChallenge(officer, "Samen koken in de wijk");
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/challenges/${c.id}`);
  const steps = page.locator(".stepper li");
  assert.deepEqual(await steps.evaluateAll((els) => els.map((e) => e.dataset.phase)),
    ["open", "matching", "forming", "proposals", "funded", "experiment", "evaluated"]);
  assert.equal(await page.getByRole("list", { name: "Fasen van de opgave" }).count(), 1, "the stepper is a labelled list");
  assert.equal(await current(page), "open");
  assert.equal(await page.locator('.stepper [aria-current="step"]').innerText().then((s) => s.split("\n")[0].trim()), "Open");
  // The officer moves the challenge on: the server stores it and the stepper follows.
  await page.getByRole("button", { name: "Naar de volgende fase: Matchen" }).click();
  await confirm(page);
  await page.getByRole("button", { name: "Naar de volgende fase: Coalitie vormen" }).waitFor();
  assert.equal(await current(page), "matching");
  assert.equal((await officer.get(`/challenges/${c.id}`)).phase, "matching");
  assert.equal(await page.locator(".stepper li.done").count(), 1, "open is marked done");
  // Another officer moves it meanwhile: the stale button's move is refused and the reason shown.
  await officer.post(`/challenges/${c.id}/phase`, { phase: "forming" });
  await page.getByRole("button", { name: "Naar de volgende fase: Coalitie vormen" }).click();
  await confirm(page);
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /De uitdaging staat al in de fase ‘Coalitie vormen’\./);  // phase_move_not_allowed
  await page.getByText("De server weigerde deze stap", { exact: false }).waitFor();
  assert.equal((await officer.get(`/challenges/${c.id}`)).phase, "forming", "the refused move changed nothing");
  await shot(page, "workflow-challenge-refused");
  // In English the stepper and the button are worded in English.
  await go(page, server.base, `/challenges/${c.id}?lang=en`);
  await page.getByRole("button", { name: "Move to the next phase: Proposals" }).waitFor();
  assert.equal(await page.getByRole("list", { name: "Phases of the challenge" }).count(), 1);
  await page.evaluate(() => localStorage.setItem("weefsel.locale", "nl"));
  // A resident sees the stepper at the same phase, without any button to move it.
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/challenges/${c.id}`);
  assert.equal(await current(page), "forming");
  assert.equal(await page.locator(".phase-next").count(), 0, "no phase buttons for residents");
  assert.equal(await page.locator("a.audit-link").count(), 0, "no audit link for residents");
});

test("a round page shows its phase; officers score per criterion in review; residents see criteria, then reviews and results", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const resident = await apiAs(server.base, "resident");
  const r = await officer.post("/rounds", { municipality: 1, name: "Buurtbudget Oost 2027", budget_eur: 50000, ballot_kind: "approval", max_length: 2, min_length: 1,
    rule: "mes_add1_greedy",
    projects: [{ project_id: "tuin", title: "Pluktuin", cost_eur: 20000 }, { project_id: "bank", title: "Bankjes langs de route", cost_eur: 15000 }],
    criteria: [{ name: "impact", description: "Wat het de buurt oplevert", max_score: 5 }, { name: "haalbaarheid", max_score: 3 }] });
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/rounds/${r.id}`);
  assert.deepEqual(await page.locator(".stepper li").evaluateAll((els) => els.map((e) => e.dataset.phase)),
    ["submission", "review", "voting", "allocation", "published"]);
  assert.equal(await current(page), "submission");
  await page.getByRole("button", { name: "Naar de volgende fase: Beoordelen" }).click();
  await confirm(page);
  await page.getByRole("heading", { level: 3, name: "Projecten beoordelen" }).waitFor();
  assert.equal(await current(page), "review");
  // Score the first project per criterion (labelled inputs with their maximum).
  const form = page.locator('form.review-form[data-project="tuin"]');
  await form.getByLabel("impact (0–5)").fill("4");
  await form.getByLabel("haalbaarheid (0–3)").fill("2");
  await form.getByLabel("Toelichting").fill("Veel steun in de buurt");
  await form.getByRole("button", { name: "Beoordeling opslaan: Pluktuin" }).click();
  await form.getByText("Beoordeling van Pluktuin opgeslagen.").waitFor();
  const stored = await officer.get(`/rounds/${r.id}/reviews`);
  assert.equal(stored.items.length, 1);
  assert.deepEqual(stored.items[0].scores, { impact: 4, haalbaarheid: 2 });
  const row = page.locator('table.scores tr[data-project="tuin"]');
  assert.match(await row.innerText(), /Pluktuin.*4.*2.*Veel steun/s);
  // A score above the criterion's maximum is refused in the page (the input's own limit).
  await page.locator('form.review-form[data-project="bank"]').getByLabel("impact (0–5)").fill("9");
  await page.locator('form.review-form[data-project="bank"]').getByLabel("haalbaarheid (0–3)").fill("1");
  await page.getByRole("button", { name: "Beoordeling opslaan: Bankjes langs de route" }).click();
  assert.equal(await page.locator('form.review-form[data-project="bank"] input[name="impact"]').evaluate((e) => e.validity.rangeOverflow), true);
  assert.equal((await officer.get(`/rounds/${r.id}/reviews`)).items.length, 1, "the over-limit review was not sent");
  await shot(page, "workflow-round-review");
  // A resident sees the published criteria but neither reviews nor review forms before publication.
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/rounds/${r.id}`);
  assert.equal(await current(page), "review");
  await page.getByRole("heading", { level: 2, name: "Beoordelingscriteria" }).waitFor();
  assert.match(await page.locator('.criteria li[data-criterion="impact"]').innerText(), /impact · score 0 tot en met 5 · Wat het de buurt oplevert/);
  assert.equal(await page.locator("form.review-form").count(), 0);
  assert.equal(await page.locator(".phase-next").count(), 0);
  assert.equal(await page.getByRole("heading", { level: 2, name: "Beoordelingen" }).count(), 0, "reviews stay with officers until published");
  // Voting, allocation, publication: the resident votes; then sees results and the reviews.
  await officer.post(`/rounds/${r.id}/phase`, { phase: "voting" });
  await resident.put(`/rounds/${r.id}/ballot`, { entries: [{ project_id: "tuin", points: 1 }] });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "allocation" });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "published" });
  await go(page, server.base, `/rounds/${r.id}`);
  assert.equal(await current(page), "published");
  assert.equal(await page.locator(".stepper li.done").count(), 4);
  await page.getByRole("heading", { level: 2, name: "Uitslag" }).waitFor();
  assert.match(await page.locator('table.results tr[data-project="tuin"]').innerText(), /✔ gefinancierd/);
  await page.getByRole("heading", { level: 2, name: "Beoordelingen" }).waitFor();
  assert.match(await page.locator('table.scores tr[data-project="tuin"]').innerText(), /Pluktuin.*4.*2/s);
  assert.equal(await page.locator("form.review-form").count(), 0);
  await shot(page, "workflow-round-published");
});

test("a proposal page shows versions with a diff, threaded comments with replies, and supports", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  const { challenge, proposal } = await proposalWorld(officer, member);
  await officer.post(`/challenges/${challenge.id}/phase`, { phase: "proposals" });
  const payload = `<img src=x onerror="window.__xss=1">`;
  const first = await member.post(`/proposals/${proposal.id}/comments`, { text: "Wie doet er mee? " + payload });
  await uiLogin(page, server.base, "resident");
  // The challenge page links to the proposal page.
  await go(page, server.base, `/challenges/${challenge.id}`);
  await page.getByRole("link", { name: "Buurtkamers" }).first().click();
  await page.waitForFunction((p) => document.body.dataset.ready === p, `/proposals/${proposal.id}`);
  await page.getByRole("heading", { level: 1, name: "Buurtkamers" }).waitFor();
  // Versions, newest first, and the diff from v1 to v2 with added and removed lines marked.
  assert.deepEqual(await page.locator(".versions tbody tr").evaluateAll((els) => els.map((e) => e.dataset.version)), ["2", "1"]);
  await page.locator(".diff").waitFor();
  assert.equal(await page.locator(".diff-summary").innerText(), "Van versie 1 naar 2: 2 regel(s) toegevoegd, 1 verwijderd.");
  const added = await page.locator(".diff li.add").evaluateAll((els) => els.map((e) => e.textContent));
  assert.ok(added.some((s) => s.includes("Plan: Ook op zaterdag.")), added.join("|"));
  assert.ok(added.every((s) => s.startsWith("+toegevoegd: ")), "added lines carry a + and a word, not colour alone");
  assert.ok(await page.locator(".diff li.del").evaluateAll((els) => els.some((e) => /Budget: €\s?30\.000/.test(e.textContent))));
  const colours = await page.locator(".diff li.add").first().evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.notEqual(colours, await page.locator(".diff li.del").first().evaluate((e) => getComputedStyle(e).backgroundColor));
  // Compare the other way round: what was added is now removed.
  await page.getByLabel("Van versie").selectOption("2");
  await page.getByLabel("Naar versie").selectOption("1");
  await page.getByRole("button", { name: "Vergelijk" }).click();
  await page.getByText("Van versie 2 naar 1: 1 regel(s) toegevoegd, 2 verwijderd.").waitFor();
  // Comments: the member's comment shows its payload as text; the resident replies in the page.
  const firstLi = page.locator(`#comment-${first.id}`);
  assert.match(await firstLi.locator(".text").innerText(), /Wie doet er mee\? <img/);
  assert.equal(await page.locator(".comment-section img").count(), 0, "no markup from comment text");
  await firstLi.getByRole("button", { name: "Reageer" }).click();
  await firstLi.getByLabel("Uw antwoord aan Demo actor member").fill("Ik wil wel helpen op zaterdag");
  await firstLi.getByRole("button", { name: "Antwoord plaatsen" }).click();
  const reply = page.locator(`#comment-${first.id} > ul.replies > li`);
  await reply.first().waitFor();
  assert.match(await reply.first().locator(".text").innerText(), /Ik wil wel helpen op zaterdag/);
  const stored = (await member.get(`/proposals/${proposal.id}/comments?limit=100`)).items;
  assert.equal(stored.find((c) => c.text === "Ik wil wel helpen op zaterdag")?.parent, first.id, "the reply is stored under its comment");
  // A reply to the reply nests one level deeper.
  const replyId = stored.find((c) => c.text === "Ik wil wel helpen op zaterdag").id;
  await member.post(`/proposals/${proposal.id}/comments`, { text: "Fijn, dank je", parent: replyId });
  await go(page, server.base, `/proposals/${proposal.id}`);
  await page.locator(`#comment-${first.id} > ul.replies > li#comment-${replyId} > ul.replies > li`).getByText("Fijn, dank je").waitFor();
  // Support: the count goes up; a second support is refused, in Dutch (the button is gone after the first).
  assert.equal(await page.locator(".support-count").getAttribute("data-count"), "0");
  await page.getByRole("button", { name: "Steun dit voorstel" }).click();
  await page.locator("#main").getByText("U steunt dit voorstel.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Steun dit voorstel" }).count(), 0, "no second support button");
  assert.equal(await page.locator(".support-count").innerText(), "1 steunbetuiging");
  assert.equal((await member.get(`/proposals/${proposal.id}`)).supports, 1);
  // On a later visit the page knows the resident supports it: no support button, a withdraw button.
  await go(page, server.base, `/proposals/${proposal.id}`);
  await page.locator(".support").getByText("U steunt dit voorstel.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Steun dit voorstel" }).count(), 0, "no support button for a supporter");
  // Withdrawing: the count goes down, here and on the server, and the support button is back.
  await page.getByRole("button", { name: "Steun intrekken" }).click();
  await page.locator("#main").getByText("U steunt dit voorstel niet meer.").waitFor();
  assert.equal(await page.locator(".support-count").innerText(), "0 steunbetuigingen");
  assert.equal((await member.get(`/proposals/${proposal.id}`)).supports, 0);
  assert.equal(await page.getByRole("button", { name: "Steun intrekken" }).count(), 0);
  await go(page, server.base, `/proposals/${proposal.id}`);
  assert.equal(await page.locator(".support").getAttribute("data-supported"), "false");
  assert.equal(await page.getByRole("button", { name: "Steun intrekken" }).count(), 0, "nothing to withdraw after a reload");
  // Supported again elsewhere (another tab): the page's button is refused with the reason, in Dutch.
  const resident = await apiAs(server.base, "resident");
  await resident.post(`/proposals/${proposal.id}/supports`);
  await page.getByRole("button", { name: "Steun dit voorstel" }).click();
  await page.locator("#main").getByText("U steunt dit voorstel al.").waitFor();
  await page.getByRole("button", { name: "Steun intrekken" }).waitFor();
  assert.equal((await member.get(`/proposals/${proposal.id}`)).supports, 1);
  // The audit log says it in words.
  assert.deepEqual((await officer.get(`/audit?entity=proposal&id=${proposal.id}`)).items.map((e) => e.action).filter((a) => a.includes("support")),
    ["support", "unsupport", "support"]);
  assert.equal(await page.evaluate(() => window.__xss), undefined, "no script from comment text ran");
  await shot(page, "workflow-proposal");
});

test("the audit log page shows a challenge's changes compactly to its officer and refuses a resident", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const c = await newChallenge(officer, "Energiecoach aan huis");
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "forming" });
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/challenges/${c.id}`);
  await page.getByRole("link", { name: "Logboek van deze opgave" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "/audit");
  await page.getByRole("heading", { level: 2, name: `Logboek van opgave ${c.id}` }).waitFor();
  const log = await officer.get(`/audit?entity=challenge&id=${c.id}`);
  const rows = page.locator("table.audit-log tbody tr");
  assert.equal(await rows.count(), log.items.length);
  assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => e.dataset.action)), log.items.map((e) => e.action).reverse(), "newest first");
  // The phase changes show only the field that changed, before and after.
  const phaseRows = page.locator('table.audit-log tr[data-action="phase"]');
  assert.equal(await phaseRows.count(), 2);
  assert.equal(await phaseRows.nth(0).locator(".change li").count(), 1, "only the changed field");
  assert.equal(await phaseRows.nth(0).locator('.change li[data-field="phase"]').innerText(), "phase: matching → forming");
  assert.equal(await phaseRows.nth(1).locator('.change li[data-field="phase"]').innerText(), "phase: open → matching");
  assert.match(await phaseRows.nth(0).innerText(), /u\s+naar andere fase/);
  // The filter: another entity and id through the form.
  await page.getByLabel("Soort").selectOption("challenge");
  await page.getByLabel("Nummer").fill("1");
  await page.getByRole("button", { name: "Toon logboek" }).click();
  await page.waitForFunction(() => location.search === "?entity=challenge&id=1" && document.body.dataset.ready === "/audit");
  await page.getByRole("heading", { level: 2, name: "Logboek van opgave 1" }).waitFor();
  await shot(page, "workflow-audit");
  // A resident is refused with the server's reason.
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/audit?entity=challenge&id=${c.id}`);
  await page.getByRole("alert").getByText("Dit mag alleen een ambtenaar van deze gemeente.", { exact: false }).waitFor();
  assert.equal(await page.locator("table.audit-log").count(), 0);
  assert.deepEqual(pageErrors, [], "no script errors in any flow");
});

// Whether the server under test offers a route (from its OpenAPI document).
async function offers(method, path) {
  const doc = await fetch(server.base + "/api/v1/openapi.json").then((r) => r.json());
  return Boolean(doc.paths?.[path]?.[method.toLowerCase()]);
}

test("the notifications bell shows the unread count; the page lists them and marks them read", skip, async (t) => {
  if (!(await offers("GET", "/api/v1/notifications"))) { t.skip("the server has no notifications route"); return; }
  const officer = await apiAs(server.base, "officer");
  const resident = await apiAs(server.base, "resident");
  await resident.post("/notifications/read", { all: true }).catch(() => null);
  const c = await newChallenge(officer, "Repaircafé in de bibliotheek");
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  const unread = (await resident.get("/notifications?limit=1")).unread;
  assert.ok(unread >= 2, `the resident hears of the new challenge and its phase change (${unread})`);
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, "/");
  const bell = page.getByRole("link", { name: `Meldingen ${unread} ongelezen` });
  await bell.waitFor();
  await bell.click();
  await page.waitForFunction(() => document.body.dataset.ready === "/notifications");
  assert.equal(await page.locator("#unread-count").getAttribute("data-unread"), String(unread));
  const items = page.locator("ul.notifications li.unread");
  assert.equal(await items.count(), unread);
  const links = await page.locator("ul.notifications li a").evaluateAll((els) => els.map((e) => e.getAttribute("href")));
  assert.ok(links.includes(`/challenges/${c.id}`), `a notification links to the challenge (${links.join(", ")})`);
  assert.ok(links.every((l) => l.startsWith("/") && !l.startsWith("//")), "only links on this site");
  // Opening one notification's target marks that one read (and no other); the bell counts one less.
  const first = page.locator("ul.notifications li.unread").first();
  const firstId = Number(await first.getAttribute("data-id"));
  const target = await first.locator("a").getAttribute("href");
  await first.locator("a").click();
  await page.waitForFunction((p) => document.body.dataset.ready === p, target.split("?")[0].split("#")[0]);
  await page.getByRole("link", { name: `Meldingen ${unread - 1} ongelezen` }).waitFor();
  const after = await resident.get("/notifications?limit=100");
  assert.equal(after.unread, unread - 1);
  assert.equal(after.items.find((n) => n.id === firstId)?.read, true, "the opened notification is read");
  await page.getByRole("link", { name: `Meldingen ${unread - 1} ongelezen` }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "/notifications");
  await page.getByRole("button", { name: "Alles als gelezen markeren" }).click();
  await page.getByRole("link", { name: "Meldingen 0 ongelezen" }).waitFor();
  assert.equal((await resident.get("/notifications?limit=1")).unread, 0);
  assert.equal(await page.locator("ul.notifications li.unread").count(), 0);
  await shot(page, "workflow-notifications");
});

test("a person downloads their data and deletes their account; their ballot stays counted", skip, async (t) => {
  if (!(await offers("DELETE", "/api/v1/me"))) { t.skip("the server has no account deletion route"); return; }
  const officer = await apiAs(server.base, "officer");
  const email = `wim.${Date.now()}@example.test`, password = "een-lang-wachtwoord";
  // Registration asks a proof of work (web/src/pow.ts): registerByApi solves it.
  await registerByApi(server.base, { display_name: "Wim de Vries", email, password, municipality: 1 })
    .then((r) => assert.equal(r.status, 201));
  const r = await officer.post("/rounds", { municipality: 1, name: "Buurtbudget Centrum 2027", budget_eur: 30000, ballot_kind: "approval",
    projects: [{ project_id: "a", title: "Bloembakken", cost_eur: 10000 }, { project_id: "b", title: "Muurschildering", cost_eur: 25000 }] });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "voting" });
  await uiLogin(page, server.base, email, password);
  await go(page, server.base, `/rounds/${r.id}`);
  await page.getByLabel(/Muurschildering/).check();
  await page.getByRole("button", { name: "Stem uitbrengen" }).click();
  await page.getByText("Uw stem is opgeslagen.", { exact: false }).first().waitFor();
  await officer.post(`/rounds/${r.id}/phase`, { phase: "allocation" });
  const before = await officer.get(`/rounds/${r.id}/results`);
  assert.equal(before.ballots, 1);
  // My data: the link downloads everything stored about the account.
  await go(page, server.base, "/account");
  const link = page.getByRole("link", { name: "Mijn gegevens downloaden" });
  assert.equal(await link.getAttribute("download"), "weefsel-my-data.json");
  const data = await page.evaluate((href) => fetch(href).then((x) => x.json()), await link.getAttribute("href"));
  assert.equal(data.account.email, email);
  assert.equal(data.ballots.length, 1);
  // The daily digest can be turned off on the same page.
  const digest = page.getByLabel("Stuur mij één e-mail per dag met mijn meldingen");
  assert.equal(await digest.isChecked(), true);
  await digest.uncheck();
  await page.getByText("U krijgt geen dagelijkse samenvatting meer.").waitFor();
  assert.equal(await page.evaluate(() => fetch("/api/v1/me/settings").then((x) => x.json()).then((j) => j.digest)), false);
  // Delete: a wrong password is refused with the reason; the right one deletes and signs out.
  await page.getByLabel("Bevestig met uw wachtwoord").fill("niet-het-wachtwoord");
  await page.getByLabel("Ja, verwijder mijn account definitief").check();
  await page.getByRole("button", { name: "Account verwijderen" }).click();
  await page.locator("section.danger").getByRole("alert").waitFor();
  assert.equal((await fetch(server.base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }) })).status, 200, "a refused deletion leaves the account");
  await page.getByLabel("Bevestig met uw wachtwoord").fill(password);
  await page.getByRole("button", { name: "Account verwijderen" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "/");
  await page.getByRole("link", { name: "Inloggen" }).waitFor();
  assert.notEqual((await fetch(server.base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }) })).status, 200, "the account is gone");
  const after = await officer.get(`/rounds/${r.id}/results`);
  assert.equal(after.ballots, 1, "the ballot stays counted");
  assert.deepEqual(after.winners, before.winners);
});

test("a proposal enters a round; its milestone money is released on approved evidence; the overview counts it", skip, async (t) => {
  for (const [m, p] of [["POST", "/api/v1/rounds/{id}/proposals"], ["POST", "/api/v1/experiments/{id}/milestones/{milestone}/evidence"],
    ["GET", "/api/v1/municipalities/{id}/overview"]])
    if (!(await offers(m, p))) { t.skip(`the server has no ${m} ${p}`); return; }
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  const resident = await apiAs(server.base, "resident");
  const { challenge, proposal } = await proposalWorld(officer, member);
  await officer.post(`/challenges/${challenge.id}/phase`, { phase: "proposals" });
  await member.post(`/proposals/${proposal.id}/status`, { status: "submitted" });
  const r = await officer.post("/rounds", { municipality: 1, name: "Buurtbudget Zuilen 2027", budget_eur: 50000, ballot_kind: "approval", projects: [] });
  // The officer adds the submitted proposal to the round from the round page.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/rounds/${r.id}`);
  const add = page.locator("section.add-proposal");
  await add.getByLabel("Ingediend voorstel").selectOption({ label: `Buurtkamers · € 27.500 (Buurtkamers tegen eenzaamheid)` });
  await add.getByRole("button", { name: "Toevoegen aan de ronde" }).click();
  await page.getByRole("cell", { name: "€ 27.500" }).first().waitFor();
  const round = await officer.get(`/rounds/${r.id}`);
  assert.deepEqual(round.projects.map((p) => p.proposal), [proposal.id], "the project remembers its proposal");
  const pid = round.projects[0].project_id;
  // The round runs: a resident votes for it, the round is published and commits the money.
  await officer.post(`/rounds/${r.id}/phase`, { phase: "voting" });
  await resident.put(`/rounds/${r.id}/ballot`, { entries: [{ project_id: pid, points: 1 }] });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "allocation" });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "published" });
  if ((await officer.get(`/proposals/${proposal.id}`)).status !== "funded") await officer.post(`/proposals/${proposal.id}/status`, { status: "funded" });
  await officer.post(`/challenges/${challenge.id}/phase`, { phase: "funded" });
  const exp = await officer.post("/experiments", { proposal: proposal.id, hypotheses: ["Buurtkamers verminderen eenzaamheid"],
    indicators: [{ name: "eenzaamheid", unit: "%", baseline: 48, target: 40 }],
    milestones: [{ title: "Eerste buurtkamer open", due: "2027-03-01", amount_eur: 5000 }, { title: "Vijf buurtkamers open", due: "2027-09-01", amount_eur: 10000 }] });
  await officer.post(`/challenges/${challenge.id}/phase`, { phase: "experiment" });
  await member.post(`/experiments/${exp.id}/indicators/${exp.indicators[0].id}/measurements`, { date: "2027-06-01", value: 44, source: "buurtenquête" });
  // The coalition's member submits evidence for the first milestone.
  await uiLogin(page, server.base, "member");
  await go(page, server.base, `/experiments/${exp.id}`);
  await page.getByText("Bewijs indienen voor: Eerste buurtkamer open").click();
  const form = page.locator('form.evidence-form[data-milestone="1"]');
  await form.getByLabel("Wat is er bereikt?").fill("De buurtkamer in de Rode Brug is sinds 1 maart open.");
  await form.getByLabel("Link naar het bewijs (optioneel)").fill("https://example.org/buurtkamer");
  await form.getByRole("button", { name: "Bewijs indienen" }).click();
  await page.locator('.milestone-table tr[data-index="0"][data-status="submitted"]').waitFor();
  assert.equal(await page.locator('.evidence-list li[data-decision="pending"]').count(), 1);
  assert.equal(await page.getByRole("button", { name: /^Goedkeuren/ }).count(), 0, "members do not decide");
  // The officer approves it: the amount is released.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/experiments/${exp.id}`);
  await page.getByLabel("Toelichting bij het besluit").fill("Gezien bij het werkbezoek");
  await page.getByRole("button", { name: "Goedkeuren: Eerste buurtkamer open" }).click();
  assert.match(await page.locator("dialog.confirm").innerText(), /€\s?5\.000 vrijgeven/);
  await confirm(page);
  await page.locator('.milestone-table tr[data-index="0"][data-status="approved"]').waitFor();
  assert.match(await page.locator(".released").innerText(), /€\s?5\.000 vrijgegeven van €\s?15\.000/);
  assert.equal(await page.locator('.evidence-list li[data-decision="approved"] a').getAttribute("href"), "https://example.org/buurtkamer");
  await shot(page, "workflow-milestone-approved");
  // The municipality's overview shows the money and the indicator against its target, as the server computed them.
  const o = await officer.get("/municipalities/1/overview");
  await go(page, server.base, "/overview?municipality=1");
  const fmt = (n) => new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(n);
  assert.equal(await page.locator('[data-figure="committed"]').innerText(), fmt(o.money.committed_eur));
  assert.equal(await page.locator('[data-figure="released"]').innerText(), fmt(o.money.released_eur));
  assert.ok(o.money.committed_eur >= 27500 && o.money.released_eur >= 5000, JSON.stringify(o.money));
  const row = page.locator(`article[data-experiment="${exp.id}"] tr[data-indicator="${exp.indicators[0].id}"]`);
  assert.match(await row.innerText(), /eenzaamheid \(%\)\s+48\s+44 · 1 juni 2027\s+40\s+50%/);
  assert.equal(await page.locator('.phase-counts tr[data-phase="experiment"] td').innerText(), String(o.challenges_per_phase.experiment));
  await shot(page, "workflow-overview");
});

test("an officer opens a match-funding campaign beside a round; a resident pledges and sees the match", skip, async (t) => {
  if (!(await offers("POST", "/api/v1/rounds/{id}/match-campaigns"))) { t.skip("the server has no match-funding routes"); return; }
  const officer = await apiAs(server.base, "officer");
  const r = await officer.post("/rounds", { municipality: 1, name: "Buurtbudget Overvecht 2027", budget_eur: 40000, ballot_kind: "approval",
    projects: [{ project_id: "moes", title: "Moestuin", cost_eur: 1000 }, { project_id: "speel", title: "Speelplek", cost_eur: 20000 }] });
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/rounds/${r.id}`);
  await page.getByText("Matchfundingcampagne openen").click();
  const f = page.locator("details.new-campaign form");
  await f.getByLabel("Naam van de campagne").fill("Samen sparen");
  await f.getByLabel("Euro van de gemeente").fill("1");
  await f.getByLabel("Per toegezegde euro").fill("1");
  await f.getByLabel("Hoogste bijdrage per project (euro)").fill("5000");
  await f.getByLabel("Fonds van de gemeente (euro)").fill("10000");
  await f.getByLabel("Deadline").fill("2099-12-31");
  await f.getByRole("button", { name: "Campagne openen" }).click();
  await page.locator("article.campaign").waitFor();
  const campaigns = (await officer.get(`/rounds/${r.id}/match-campaigns`)).items;
  assert.equal(campaigns.length, 1);
  assert.equal(campaigns[0].name, "Samen sparen");
  // A resident pledges 600 euro to the vegetable garden; the standing comes from the fund engine.
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/rounds/${r.id}`);
  const pledge = page.locator("form.pledge-form");
  await pledge.getByLabel("Project").selectOption("moes");
  await pledge.getByLabel("Bedrag (euro)").fill("600");
  await pledge.getByRole("button", { name: "Toezeggen" }).click();
  await page.locator('table.standing tr[data-project="moes"]').getByText("€ 600").first().waitFor();
  const s = await officer.get(`/match-campaigns/${campaigns[0].id}`);
  const moes = s.projects.find((p) => p.project_id === "moes");
  assert.equal(moes.raised_eur, 600);
  assert.equal(moes.pledges, 1);
  const fmt = (n) => new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(n);
  const cells = await page.locator('table.standing tr[data-project="moes"] td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 4), [fmt(1000), "1", fmt(600), fmt(moes.match_eur)]);
  // The state in Dutch from the standing's fields, not the engine's English sentence (moes.reason).
  assert.equal(cells[4], `○ loopt · ${fmt(600)} van ${fmt(1000)} toegezegd`);
  assert.doesNotMatch(cells[4], /raised|so far|EUR/);
  assert.equal(await page.locator("details.new-campaign").count(), 0, "residents do not open campaigns");
  await shot(page, "workflow-match-funding");
});

test("the fabric page lists its snapshots and an officer takes one; the open-data page lists the files", skip, async (t) => {
  if (!(await offers("POST", "/api/v1/municipalities/{id}/fabric/snapshots"))) { t.skip("the server has no fabric snapshot routes"); return; }
  const officer = await apiAs(server.base, "officer");
  await uiLogin(page, server.base, "officer");
  await page.evaluate(() => localStorage.setItem("weefsel.municipality", "1"));
  await go(page, server.base, "/fabric?municipality=1");
  const table = page.locator("table.snapshot-table");
  await table.waitFor({ timeout: 60000 });
  const before = await table.locator("tbody tr").count();
  await page.getByRole("button", { name: "Nu een momentopname maken" }).click();
  await page.locator(`table.snapshot-table tbody tr:nth-child(${before + 1})`).waitFor();
  const items = (await officer.get("/municipalities/1/fabric/snapshots")).items;
  assert.equal(await table.locator("tbody tr").count(), items.length);
  const last = items[items.length - 1];
  assert.equal(last.trigger, "on_demand");
  const row = table.locator(`tr[data-snapshot="${last.id}"]`);
  assert.match(await row.innerText(), /op verzoek/);
  assert.match(await row.innerText(), new RegExp(new Intl.NumberFormat("nl-NL").format(last.health.ties)));
  if (last.stability) assert.match(await row.innerText(), /ARI .*NMI/);
  await shot(page, "workflow-fabric-snapshots");
  if (await offers("GET", "/api/v1/open-data")) {
    await go(page, server.base, "/open-data");
    const pkg = await officer.get("/open-data");
    assert.equal(await page.locator("table.open-data tbody tr").count(), pkg.resources.length);
    const href = await page.locator("table.open-data tbody tr a").first().getAttribute("href");
    assert.equal(await page.evaluate((u) => fetch(u).then((r) => r.status), href), 200);
  }
});

test("user text on the new pages stays text: round with criteria, reviews and campaigns, audit log, overview, notifications", skip, async () => {
  const P = (tag) => `<img src=x onerror="(window.__xss=window.__xss||[]).push('${tag}')"><script>window.__xss=1</script>XSS-${tag}`;
  const officer = await apiAs(server.base, "officer");
  const resident = await apiAs(server.base, "resident");
  await resident.post("/notifications/read", { all: true }).catch(() => null);
  const c = await newChallenge(officer, P("challenge"));
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  const r = await officer.post("/rounds", { municipality: 1, name: P("round"), budget_eur: 10000, ballot_kind: "approval",
    projects: [{ project_id: "x", title: P("project"), cost_eur: 1000 }], criteria: [{ name: "impact", description: P("criterion"), max_score: 5 }] });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "review" });
  await officer.post(`/rounds/${r.id}/reviews`, { project_id: "x", scores: { impact: 3 }, comment: P("review") });
  const roundTags = ["round", "project", "criterion", "review"];
  if (await offers("POST", "/api/v1/rounds/{id}/match-campaigns")) {
    await officer.post(`/rounds/${r.id}/match-campaigns`, { name: P("campaign"), fund_eur: 1000, deadline: "2099-12-31" });
    roundTags.push("campaign");
  }
  const pages = [["officer", `/rounds/${r.id}`, roundTags], ["officer", `/audit?entity=challenge&id=${c.id}`, ["challenge"]],
    ["officer", "/overview?municipality=1", []]];
  if (await offers("GET", "/api/v1/notifications")) pages.push(["resident", "/notifications", ["challenge"]]);
  let who = "";
  for (const [as, path, tags] of pages) {
    if (as !== who) { await uiLogin(page, server.base, as); who = as; }
    await go(page, server.base, path);
    const text = await page.locator("main").evaluate((m) => m.textContent);  // closed <details> included
    for (const tag of tags) assert.ok(text.includes(`XSS-${tag}`), `${path}: the ${tag} text is shown`);
    assert.equal(await page.locator("main img[src=x], main script, main [onerror]").count(), 0, `${path}: no payload became markup`);
    assert.equal(await page.evaluate(() => window.__xss), undefined, `${path}: no payload ran`);
  }
});

test("a coalition page shows the ties the coalition added since it formed", skip, async (t) => {
  if (!(await offers("GET", "/api/v1/coalitions/{id}/ties"))) { t.skip("the server has no coalition ties route"); return; }
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  const admin = await apiAs(server.base, "admin");
  const neighbours = new Set((await officer.get("/actors/1/ties?limit=100")).items.flatMap((x) => [x.a, x.b]));
  const other = (await officer.get("/actors?municipality=1&limit=100")).items.find((a) => a.id !== 1 && !neighbours.has(a.id));
  assert.ok(other, "an actor of the municipality without a tie to actor 1");
  const c = await newChallenge(officer, "Samen sterker in de wijk");
  const co = await officer.post(`/challenges/${c.id}/coalitions`, { members: [{ actor: 1 }, { actor: other.id }], explanation: "Nieuwe samenwerking" });
  for (const a of [1, other.id]) await officer.post(`/coalitions/${co.id}/invite`, { actor: a });
  await member.post(`/coalitions/${co.id}/accept`, { actor: 1 });
  await admin.post(`/coalitions/${co.id}/accept`, { actor: other.id });
  const today = new Date().toISOString().slice(0, 10);
  const tie = await officer.post("/actors/1/ties", { b: other.id, from: today });
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/coalitions/${co.id}`);
  const sec = page.locator("section.ties-added");
  await sec.getByRole("heading", { name: "Verbindingen die deze coalitie toevoegde" }).waitFor();
  assert.match(await sec.innerText(), /1 nieuwe verbinding\b/);
  const li = sec.locator(`li[data-tie="${tie.id}"]`);
  assert.match(await li.innerText(), new RegExp(other.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
});
