// The Right to Challenge (issue 20), end to end in the UI, in Dutch: the officer puts a task on the
// municipality's task list; the initiative (the demo member's organisation) challenges it with the
// filing form and sees who could join; the officer moves it through every step up to the agreement
// with the step control (each step after a confirmation), after which it runs as an experiment and
// the overview shows the task's budget moving to the initiative. The public page lists every step
// with date, decision and reasons; the English page too. axe-core finds no serious or critical
// violation on any of the new pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, apiAs, uiLogin, go, shot, confirm, axe, prerequisites, setLocale } from "./harness.mjs";

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

async function noViolations(what) {
  assert.deepEqual(await axe(page), [], "axe: " + what);
}

test("an initiative takes a task over from the municipality, in the UI", skip, async () => {
  const member = await apiAs(server.base, "member");
  const actorId = member.user?.grants?.find((g) => g.role === "actor_member")?.actor
    ?? (await member.get("/auth/me")).grants.find((g) => g.role === "actor_member").actor;

  // The officer keeps the task list.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, "/right-to-challenge?municipality=1");
  await noViolations("the task list (officer)");
  await page.getByLabel("Naam van de taak").fill("Groenonderhoud in de wijk");
  await page.getByLabel("Omschrijving").fill("Maaien, snoeien en zwerfvuil ruimen.");
  await page.getByLabel("Kosten per jaar").fill("120000");
  await page.getByRole("button", { name: "Taak toevoegen aan de lijst" }).click();
  const taskRow = page.locator("table.tasks tr", { hasText: "Groenonderhoud in de wijk" });
  await taskRow.waitFor();
  await shot(page, "rtc-task-list");

  // The initiative files its challenge.
  await uiLogin(page, server.base, "member");
  await go(page, server.base, "/right-to-challenge?municipality=1");
  await page.getByRole("link", { name: "Daag uit: Groenonderhoud in de wijk" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "/right-to-challenge/new");
  assert.equal(await page.getByLabel("Naam van uw bewonersinitiatief").isVisible(), false, "no group name when filing as an organisation");
  assert.equal(await page.getByLabel("Naam van de taak die u wilt overnemen").isVisible(), false, "no stated task when one is chosen");
  await page.getByLabel("Titel van uw uitdaging").fill("De buurt doet het groen");
  await page.getByLabel("Wat stelt u voor").fill("Bewoners onderhouden het groen, met leerwerkplekken voor jongeren.");
  await page.getByLabel("Voor welk budget (euro per jaar)").fill("100000");
  await page.getByLabel(/^Mijlpalen/).fill("Eerste seizoen; 2027-10-01; 40000\nTweede seizoen; 2028-10-01; 60000");
  await page.getByLabel(/^Indicatoren/).fill("Tevredenheid over het groen; %; 55; 70");
  await noViolations("the filing form");
  await shot(page, "rtc-filing-form");
  await page.getByRole("button", { name: "Uitdaging indienen" }).click();
  await page.waitForFunction(() => /^\/right-to-challenge\/\d+$/.test(document.body.dataset.ready ?? ""));
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  const bid = await member.get(`/task-challenges/${id}`);
  assert.equal(bid.initiative, actorId);
  assert.equal(bid.current_cost_eur, 120000);
  await page.locator("section.partners h2", { hasText: "Wie kan meedoen" }).waitFor();
  await page.locator("section.partners .fabric-count").waitFor();
  await noViolations("the challenge page (initiative)");
  // The initiative takes a suggested actor on as a partner (the bid may still change).
  const suggested = page.locator("ol.matches > li").first();
  const partnerId = Number(await suggested.getAttribute("data-actor"));
  await suggested.locator("button.add-partner").click();
  await page.waitForFunction(async ([id, p]) => {
    const r = await fetch(`/api/v1/task-challenges/${id}`);
    return (await r.json()).partners.includes(p);
  }, [id, partnerId]);
  await shot(page, "rtc-challenge-initiative");

  // The officer moves it through the steps, each after a confirmation.
  await uiLogin(page, server.base, "officer");
  await go(page, server.base, `/right-to-challenge/${id}`);
  await noViolations("the challenge page (officer)");
  const steps = [
    ["assessment", "Ontvankelijk; de beoordeling begint", "", "kwaliteit\nkosten"],
    ["talks", "Voldoet aan de criteria; gesprek gepland", "", ""],
    ["decision", "Toegekend", "Goedkoper en met meer buurtbetrokkenheid", ""],
    ["agreement", "Overeenkomst getekend voor twee jaar", "", ""],
  ];
  for (const [step, decision, reasons, criteria] of steps) {
    await page.getByLabel("Volgende stap").selectOption(step);
    await page.getByLabel("Besluit", { exact: true }).fill(decision);
    if (reasons) await page.getByLabel("Motivering", { exact: true }).fill(reasons);
    if (criteria) await page.getByLabel("Beoordelingscriteria", { exact: true }).fill(criteria);
    await page.getByRole("button", { name: "Stap zetten" }).click();
    await confirm(page);
    await page.locator(`table.steps tr[data-step="${step}"][data-reached="true"]`).waitFor();
  }
  await page.locator(".experiment-link a").waitFor();
  await noViolations("the challenge page after the agreement");
  await shot(page, "rtc-challenge-agreement");

  // The public page: every step with its date, decision and reasons.
  await page.context().clearCookies();
  await go(page, server.base, `/right-to-challenge/${id}`);
  const decided = page.locator('table.steps tr[data-step="decision"]');
  assert.match(await decided.innerText(), /Goedkoper en met meer buurtbetrokkenheid/);
  assert.equal(await page.locator('table.steps tr[data-reached="true"]').count(), 5);
  assert.equal(await page.locator("form.assess-form").count(), 0, "no step control for the public");
  await noViolations("the public challenge page");

  // The money: the task's budget moved to the initiative.
  await go(page, server.base, "/overview?municipality=1");
  const moved = page.locator(`table.task-budgets tr[data-task-challenge="${id}"]`);
  await moved.waitFor();
  assert.equal(await moved.locator("[data-transferred]").getAttribute("data-transferred"), "100000");
  await noViolations("the overview with task budgets");
  await shot(page, "rtc-overview");

  // In English.
  await setLocale(page, server.base, "en");
  await go(page, server.base, `/right-to-challenge/${id}`);
  await page.locator("h2", { hasText: "The steps of the assessment" }).waitFor();
  await noViolations("the challenge page in English");
  await go(page, server.base, "/right-to-challenge?municipality=1");
  await page.locator("h2", { hasText: "The municipality's task list" }).waitFor();
  await noViolations("the task list in English");
  await setLocale(page, server.base, "nl");
});
