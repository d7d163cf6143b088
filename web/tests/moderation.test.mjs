// Moderation (issue 20), in Dutch: a resident reports a comment with "Melden" on the proposal page;
// the officer works the "Moderatie" page (axe-core finds no serious or critical violation there),
// hides the comment with a public reason and blocks its author (after a confirmation). The comment
// is gone from the API and the proposal page, and the blocked account can no longer sign in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, apiAs, uiLogin, go, shot, confirm, axe, prerequisites } from "./harness.mjs";

const missing = prerequisites();
const skip = { skip: missing.join(", ") || false };
let server, browser, page;

before(async () => {
  if (missing.length) return;
  server = await startServer({ actors: 200 });
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
});
after(async () => { await browser?.close(); await server?.stop(); });

test("a reported comment is hidden by the officer and its author blocked, in the UI", skip, async () => {
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  const resident = await apiAs(server.base, "resident");
  // A proposal of the member's coalition with an offending comment by the member.
  const c = await officer.post("/challenges", { municipality: 1, title: "Opgave moderatie", text: "Eenzaamheid onder ouderen in de wijk.",
    themes: ["eenzaamheid"], budget_eur: 100000, deadline: "2027-12-31" });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "matching" });
  const co = await officer.post(`/challenges/${c.id}/coalitions`, { members: [{ actor: 1, role: "lead" }], explanation: "Buurtnetwerk" });
  await officer.post(`/coalitions/${co.id}/invite`, { actor: 1 });
  await member.post(`/coalitions/${co.id}/accept`, { actor: 1 });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "forming" });
  await officer.post(`/challenges/${c.id}/phase`, { phase: "proposals" });
  const p = await member.post(`/coalitions/${co.id}/proposals`, { title: "Buurtkamers", plan: "Elke week open.", budget_eur: 20000 });
  const bad = await member.post(`/proposals/${p.id}/comments`, { text: "Jullie zijn allemaal idioten" });
  const good = await resident.post(`/proposals/${p.id}/comments`, { text: "Goed plan, ik help mee" });

  // The resident reports it with a reason.
  await uiLogin(page, server.base, "resident");
  await go(page, server.base, `/proposals/${p.id}`);
  const item = page.locator(`#comment-${bad.id}`);
  assert.equal(await page.locator(`#comment-${good.id} button.report[data-target="comment"]`).count(), 0, "no Melden on one's own comment");
  await item.locator('button.report[data-target="comment"]').click();
  await item.getByLabel("Waarom meldt u dit?").fill("Beledigend voor de buurt");
  assert.deepEqual(await axe(page), [], "axe: proposal page with the report form");
  await item.getByRole("button", { name: "Melding versturen" }).click();
  await item.getByText("Bedankt, uw melding is verstuurd.").waitFor();

  // The officer's queue.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/");
  await page.getByRole("link", { name: "Moderatie" }).first().click();
  await page.waitForFunction(() => document.body.dataset.ready === "/moderation");
  const card = page.locator(`li.moderation-item[data-target="comment"][data-id="${bad.id}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /Jullie zijn allemaal idioten/);
  assert.match(await card.innerText(), /Beledigend voor de buurt/);
  assert.deepEqual(await axe(page), [], "axe: the moderation page");
  await shot(page, "moderation-queue");

  await card.getByLabel("Openbare reden om te verbergen").fill("In strijd met de huisregels: geen scheldwoorden");
  await card.getByRole("button", { name: "Verbergen" }).click();
  await page.locator(`li.moderation-item[data-id="${bad.id}"][data-hidden="true"]`).waitFor();
  const hiddenCard = page.locator(`li.moderation-item[data-id="${bad.id}"]`);
  assert.match(await hiddenCard.innerText(), /Openbare reden: In strijd met de huisregels/);

  // Block the author (asks first).
  await hiddenCard.locator("details.block summary").click();
  await hiddenCard.getByLabel("Reden van de blokkade").fill("Scheldt herhaaldelijk");
  await hiddenCard.getByRole("button", { name: "Blokkeren" }).click();
  await confirm(page);
  await page.locator(`li.moderation-item[data-id="${bad.id}"] .blocked`).waitFor();
  assert.deepEqual(await axe(page), [], "axe: the moderation page after acting");
  await shot(page, "moderation-hidden-blocked");

  // Gone everywhere: the API's list and the proposal page; the blocked account cannot sign in.
  const comments = (await resident.get(`/proposals/${p.id}/comments?limit=100`)).items.map((x) => x.id);
  assert.ok(!comments.includes(bad.id), "hidden comment in the API list");
  assert.ok(comments.includes(good.id));
  await go(page, server.base, `/proposals/${p.id}`);
  await page.locator(`#comment-${good.id}`).waitFor();
  assert.equal(await page.locator(`#comment-${bad.id}`).count(), 0, "hidden comment on the proposal page");
  assert.ok(!(await page.locator("main").innerText()).includes("Jullie zijn allemaal idioten"));
  await page.locator(`ul.hidden-comments li[data-id="${bad.id}"]`).getByText(/Reden: In strijd met de huisregels/).waitFor();
  await assert.rejects(apiAs(server.base, "member"), /403/, "a blocked account cannot sign in");
  await assert.rejects(member.post(`/proposals/${p.id}/comments`, { text: "Nog eentje" }), /401/, "a blocked account cannot write");
  // The audit log has every step.
  const log = (await officer.get(`/audit?entity=comment&id=${bad.id}`)).items.map((e) => e.action);
  assert.deepEqual(log, ["report", "hide"]);
});
