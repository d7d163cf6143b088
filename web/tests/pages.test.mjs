// Every page in Dutch and in English: axe-core finds no serious or critical WCAG 2.1 A/AA
// violation, the page has one h1 and a <main>, every form control has a label, a screenshot is
// saved under the build dir; and the keyboard reaches the content and the language switch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, startBrowser, apiAs, uiLogin, go, shot, axe, setLocale, openRound, prerequisites } from "./harness.mjs";

const missing = prerequisites();
let server, browser, page;
const ids = {};

before(async () => {
  if (missing.length) return;
  server = await startServer();
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => console.error("pageerror:", e.message));
  // Data for the pages the demo city has none of: a round, a coalition with a proposal, an experiment.
  const officer = await apiAs(server.base, "officer");
  const member = await apiAs(server.base, "member");
  ids.round = (await openRound(officer)).id;
  // A closed round with a few ballots, for the results page.
  const closed = await openRound(officer, { name: "Buurtbudget Zuid 2027" });
  const resident = await apiAs(server.base, "resident");
  await resident.put(`/rounds/${closed.id}/ballot`, { entries: [{ project_id: "p1", points: 1 }, { project_id: "p3", points: 1 }] });
  await officer.post(`/rounds/${closed.id}/phase`, { phase: "allocation" });
  ids.results = closed.id;
  const co = await officer.post("/challenges/1/coalitions", { members: [{ actor: 1 }, { actor: 2 }], explanation: "Samen bereiken zij gezinnen eerder." });
  ids.coalition = co.id;
  await officer.post(`/coalitions/${co.id}/invite`, { actor: 1 });
  await member.post(`/coalitions/${co.id}/accept`, { actor: 1 });
  const prop = await member.post(`/coalitions/${co.id}/proposals`, { title: "Schuldhulp aan huis", plan: "Budgetcoaches gaan op huisbezoek.", budget_eur: 80000 });
  ids.proposal = prop.id;
  // A second version (for the diff) and a comment with a reply (threads) on the proposal page.
  await member.post(`/proposals/${prop.id}/versions`, { title: "Schuldhulp aan huis", plan: "Budgetcoaches gaan op huisbezoek.\nOok 's avonds.", budget_eur: 75000 });
  const comment = await resident.post(`/proposals/${prop.id}/comments`, { text: "Ook in het Engels?" });
  await member.post(`/proposals/${prop.id}/comments`, { text: "Ja, en in het Turks.", parent: comment.id });
  // A round in review with published criteria (the officer's review forms).
  const review = await officer.post("/rounds", { municipality: 1, name: "Buurtbudget West 2027", budget_eur: 40000, ballot_kind: "approval",
    projects: [{ project_id: "r1", title: "Speeltuin", cost_eur: 20000 }], criteria: [{ name: "impact", max_score: 5 }] });
  await officer.post(`/rounds/${review.id}/phase`, { phase: "review" });
  ids.review = review.id;
  // Only a funded proposal becomes an experiment: the coalition submits it, the officer funds it.
  await member.post(`/proposals/${prop.id}/status`, { status: "submitted" });
  await officer.post(`/proposals/${prop.id}/status`, { status: "funded" });
  const exp = await officer.post("/experiments", { proposal: prop.id, hypotheses: ["Huisbezoek verlaagt de schulden"],
    indicators: [{ name: "Huishoudens met betalingsachterstand", unit: "%", baseline: 12, target: 9 }],
    milestones: [{ title: "Tien coaches opgeleid", due: "2027-03-01" }] });
  ids.experiment = exp.id;
  const ind = exp.indicators[0].id;
  for (const [date, value] of [["2026-03-01", 12], ["2026-06-01", 11.2], ["2026-09-01", 10.4]])
    await officer.post(`/experiments/${exp.id}/indicators/${ind}/measurements`, { date, value, source: "CBS" });
});
after(async () => { await browser?.close(); await server?.stop(); });

const PAGES = () => [
  ["home", "/", null], ["challenges", "/challenges", null], ["challenge", "/challenges/1", null], ["challenge-new", "/challenges/new", "officer"],
  ["actors", "/actors", null], ["actor", "/actors/1", "member"], ["coalition", `/coalitions/${ids.coalition}`, "member"],
  ["rounds", "/rounds", null], ["round-ballot", `/rounds/${ids.round}`, "resident"], ["round-results", `/rounds/${ids.results}`, null],
  ["challenge-officer", "/challenges/1", "officer"], ["experiments", "/experiments", null],
  ["experiment", `/experiments/${ids.experiment}`, null], ["fabric", "/fabric", null], ["compare", "/compare", null],
  ["proposal", `/proposals/${ids.proposal}`, "resident"], ["round-review", `/rounds/${ids.review}`, "officer"],
  ["audit", `/audit?entity=coalition&id=${ids.coalition}`, "officer"], ["overview", "/overview?municipality=1", "officer"],
  ["notifications", "/notifications", "resident"], ["open-data", "/open-data", null],
  ["login", "/login", null], ["register", "/register", null], ["account", "/account", "resident"], ["admin", "/admin", "admin"],
];

for (const locale of ["nl", "en"]) {
  test(`every page passes axe-core in ${locale === "nl" ? "Dutch" : "English"}`, { skip: missing.join(", ") || false }, async () => {
    const failures = [];
    let who = undefined;
    for (const [name, path, as] of PAGES()) {
      if (as !== who) {
        if (as) await uiLogin(page, server.base, as); else await page.context().clearCookies();
        who = as;
      }
      await setLocale(page, server.base, locale);
      await go(page, server.base, path);
      if (path === "/fabric" || path === "/compare") await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
      if (path === "/fabric") await page.locator("section[aria-labelledby=h-health] canvas, section[aria-labelledby=h-health] .notice, section[aria-labelledby=h-health] .error").first().waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale, `${path}: html lang`);
      assert.equal(await page.locator("main h1").count(), 1, `${path}: one h1`);
      const unlabeled = await page.evaluate(() => [...document.querySelectorAll("main input, main select, main textarea")]
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")).map((el) => el.name || el.id));
      assert.deepEqual(unlabeled, [], `${path}: every control has a label`);
      const v = await axe(page);
      if (v.length) failures.push({ locale, path, violations: v });
      await shot(page, `${locale}-${name}`);
    }
    assert.deepEqual(failures, [], JSON.stringify(failures, null, 1));
  });
}

test("the keyboard reaches the main content and the language switch", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await setLocale(page, server.base, "nl");
  await go(page, server.base, "/challenges");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Naar de inhoud");
  await page.keyboard.press("Enter");
  assert.ok(await page.evaluate(() => location.hash === "#main"));
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.getByRole("heading", { level: 1, name: "Challenges" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  // Euros and dates follow the locale.
  assert.match(await page.locator(".cards").first().innerText(), /€981,000/);
  await page.getByRole("button", { name: "Wissel naar Nederlands" }).click();
  await page.getByRole("heading", { level: 1, name: "Opgaven" }).waitFor();
  assert.match(await page.locator(".cards").first().innerText(), /€\s981\.000/);
});
