// The user flows in a real browser (Debian Chromium via playwright-core) against
// `weefsel serve` on a fresh demo database:
//  - a resident signs in, votes in an open round within its limits (the ballot shows the budget
//    and refuses a ballot over the limit), and after the round is closed sees the result section;
//  - an officer posts a challenge, proposes a coalition with its explanation and invites actors;
//    the challenge page shows the coalition with its reasons (and the matching section);
//  - an actor member accepts the coalition invitation and writes and edits the proposal
//    (versions, comments).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, apiAs, uiLogin, go, ready, shot, openRound, prerequisites } from "./harness.mjs";

const missing = prerequisites();
let server, browser, page;

before(async () => {
  if (missing.length) return;
  server = await startServer();
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
});
after(async () => { await browser?.close(); await server?.stop(); });

test("a resident votes in an open round within its limits and sees the result after closing", { skip: missing.join(", ") || false }, async () => {
  const officer = await apiAs(server.base, "officer");
  const round = await openRound(officer, { ballot_kind: "approval", min_length: 1, max_length: 2 });
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/rounds/${round.id}`);
  await page.getByRole("heading", { level: 1, name: "Buurtbudget Noord 2027" }).waitFor();
  const summary = page.locator("#ballot-summary");
  // Three projects where at most two are allowed: the summary says so and the vote is refused.
  await page.getByLabel(/Moestuin bij de school/).check();
  await page.getByLabel(/Buurtkamer voor ouderen/).check();
  await page.getByLabel(/Veilige fietsroute/).check();
  await assert.doesNotReject(summary.getByText("Kies hoogstens 2 projecten.").waitFor());
  assert.match(await summary.innerText(), /€\s?135\.000/);  // 30k + 45k + 60k, formatted in Dutch
  const cast = page.getByRole("button", { name: "Stem uitbrengen" });
  assert.equal(await cast.getAttribute("aria-disabled"), "true", "the button says the ballot cannot be cast");
  await cast.click({ force: true });  // still focusable and pressable: it explains why not
  await page.getByRole("alert").getByText("Kies hoogstens 2 projecten.").waitFor();
  const none = await page.evaluate((id) => fetch(`/api/v1/rounds/${id}/ballot`).then((r) => r.status), round.id);
  assert.equal(none, 404, "no ballot may be stored while the ballot breaks the limits");
  // Within the limits: stored.
  await page.getByLabel(/Veilige fietsroute/).uncheck();
  await summary.getByText("Uw stembiljet voldoet aan de regels.").waitFor();
  assert.match(await summary.innerText(), /€\s?75\.000/);
  await shot(page, "flow-resident-ballot");
  await page.getByRole("button", { name: "Stem uitbrengen" }).click();
  await page.getByText("Uw stem is opgeslagen.", { exact: false }).first().waitFor();
  const ballot = await page.evaluate((id) => fetch(`/api/v1/rounds/${id}/ballot`).then((r) => r.json()), round.id);
  assert.deepEqual(ballot.entries.map((e) => e.project_id).sort(), ["p1", "p2"]);
  // The officer closes voting; the resident sees the results section.
  await officer.post(`/rounds/${round.id}/phase`, { phase: "allocation" });
  await go(page, server.base, `/rounds/${round.id}`);
  await page.getByRole("heading", { level: 2, name: "Uitslag" }).waitFor();
  assert.equal(await page.locator('.phases [aria-current="step"]').innerText().then((s) => s.split("\n")[0].trim()), "Toewijzen");
  assert.equal(await page.getByRole("button", { name: "Stem uitbrengen" }).count(), 0, "no voting after closing");
  await shot(page, "flow-resident-result");
});

let coalitionId = 0;

test("an officer posts a challenge and sees proposed coalitions with their reasons", { skip: missing.join(", ") || false }, async () => {
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/challenges/new");
  await page.getByLabel("Titel").fill("Buurtkamers tegen eenzaamheid in Noord");
  await page.getByLabel("Beschrijving van de opgave").fill("Wij zoeken partners die in Noord buurtkamers openen en vrijwilligers verbinden.");
  await page.getByLabel("Thema's").selectOption(["eenzaamheid", "vergrijzing"]);
  await page.getByLabel("Gevraagde kwaliteiten").fill("volunteers, buurtnetwerken");
  await page.getByLabel("Budget").fill("120000");
  await page.getByLabel("Deadline").fill("2027-06-01");
  await page.getByRole("button", { name: "Opgave plaatsen" }).click();
  await page.getByRole("heading", { level: 1, name: "Buurtkamers tegen eenzaamheid in Noord" }).waitFor();
  const challengeId = Number(new URL(page.url()).pathname.split("/").pop());
  assert.ok(challengeId > 0);
  await page.getByRole("heading", { name: "Passende organisaties" }).waitFor();
  // Matched actors with their reasons, when the server offers matching (else the page says so).
  const openapi = await page.evaluate(() => fetch("/api/v1/openapi.json").then((r) => r.json()));
  if (openapi.paths["/api/v1/challenges/{id}/matches"]) {
    const first = page.locator("ol.matches > li").first();
    await first.waitFor();
    assert.ok(await first.locator("ul.reasons li").count() > 0, "a matched actor comes with its reasons");
  } else {
    await page.getByText("Deze server biedt (nog) geen automatische matching").waitFor();
  }
  // Propose a coalition: the member's own organisation (actor 1) and one found by search.
  await page.getByText("Zelf een coalitie voorstellen").click();
  const search = page.getByLabel("Zoek een organisatie");
  await search.fill("Gemeente Amsterdam");
  await page.getByRole("button", { name: "Zoek", exact: true }).click();
  await page.getByRole("button", { name: "Voeg Gemeente Amsterdam toe" }).click();
  await search.fill("a");
  await page.getByRole("button", { name: "Zoek", exact: true }).click();
  const add = page.locator(".results button").filter({ hasNotText: "Gemeente Amsterdam" }).first();
  await add.click();
  await page.getByLabel("Waarom deze coalitie (toelichting)").fill("De gemeente brengt ruimte en regie in; de partner brengt vrijwilligers en bereik in de buurt.");
  await page.getByRole("button", { name: "Coalitie voorstellen" }).click();
  await page.waitForFunction(() => location.pathname.startsWith("/coalitions/") && document.body.dataset.ready?.startsWith("/coalitions/"));
  coalitionId = Number(new URL(page.url()).pathname.split("/").pop());
  // Back on the challenge: the coalition with its explanation; invite its members.
  await go(page, server.base, `/challenges/${challengeId}`);
  const card = page.locator("article.coalition").first();
  await card.getByText("De gemeente brengt ruimte en regie in").waitFor();
  assert.match(await card.innerText(), /Waarom deze coalitie:/);
  await card.getByRole("button", { name: "Nodig Gemeente Amsterdam uit" }).click();
  await ready(page, `/challenges/${challengeId}`);
  await page.locator("article.coalition").first().getByText("Uitgenodigd").first().waitFor();
  await shot(page, "flow-officer-challenge");
});

test("an actor member accepts the coalition invitation and edits the proposal", { skip: missing.join(", ") || false }, async () => {
  assert.ok(coalitionId > 0, "the officer flow made a coalition");
  await uiLogin(page, server.base, "member");
  await go(page, server.base, `/coalitions/${coalitionId}`);
  await page.getByRole("button", { name: "Accepteer namens Gemeente Amsterdam" }).click();
  await ready(page, `/coalitions/${coalitionId}`);
  await page.getByRole("row", { name: /Gemeente Amsterdam/ }).getByText("Geaccepteerd").waitFor();
  // Write the proposal, then a second version.
  await page.getByLabel("Titel van het voorstel").fill("Drie buurtkamers in Noord");
  await page.getByLabel("Plan").fill("Wij openen drie buurtkamers, vijf dagen per week, met vrijwilligers uit de buurt.");
  await page.getByLabel("Gevraagd budget (euro)").fill("90000");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByRole("heading", { level: 3, name: "Drie buurtkamers in Noord" }).waitFor();
  await page.getByLabel("Titel van het voorstel").fill("Vier buurtkamers in Noord");
  await page.getByLabel("Gevraagd budget (euro)").fill("110000");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByRole("heading", { level: 3, name: "Vier buurtkamers in Noord" }).waitFor();
  await page.getByText("Alle 2 versies").click();
  await page.getByText("v1: Drie buurtkamers in Noord").waitFor();
  await page.getByLabel("Uw reactie").fill("Kunnen we de bibliotheek in Noord erbij vragen?");
  await page.getByRole("button", { name: "Reactie plaatsen" }).click();
  await page.locator(".comments").getByText("Kunnen we de bibliotheek in Noord erbij vragen?").waitFor();
  const props = await page.evaluate(() => fetch(location.pathname.replace("/coalitions/", "/api/v1/coalitions/")).then((r) => r.json()));
  assert.equal(props.members.find((m) => m.actor === 1)?.status, "accepted");
  await shot(page, "flow-member-proposal");
});
