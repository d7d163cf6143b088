// Browser-test harness: a fresh demo database, `weefsel serve` on a free loopback port serving
// web/dist, Debian's Chromium driven by playwright-core (headless, fresh user-data-dir), API
// helpers (sign in, CSRF) for test setup, axe-core, and screenshots under the CTest build dir.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import blake from "blakejs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const webDir = resolve(here, "..");
export const BIN = process.env.WEEFSEL_BIN ?? resolve(webDir, "../build/src/cli/weefsel");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const SHOTS = process.env.WEEFSEL_SCREENSHOTS ?? resolve(webDir, "../build/screenshots");
export const PASSWORD = "weefsel-demo";
export const USERS = { admin: "admin@weefsel.test", officer: "officer@weefsel.test", member: "member@weefsel.test", resident: "resident@weefsel.test" };

export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"];

// Starts a server on a fresh demo database; returns { base, stop, dir }. The journeys build their
// own programme on the demo's open challenges, so the demo's staged programme (which moves the
// first challenge on to its experiment) is left out unless `programme` asks for it.
export async function startServer({ actors = 1500, listen = "127.0.0.1:0", extraArgs = [], programme = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "weefsel-browser-"));
  const db = join(dir, "demo.db");
  execFileSync(BIN, ["demo", "--db", db, "--actors", String(actors), ...(programme ? [] : ["--no-programme"])], { stdio: "pipe" });
  const proc = spawn(BIN, ["serve", "--db", db, "--listen", listen, "--demo-accounts", "--no-access-log", "--threads", "16", ...extraArgs],
    { env: { ...process.env, WEEFSEL_WEB_DIR: join(webDir, "dist") }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("server did not start: " + out)), 20000);
    const onData = (d) => {
      out += d;
      const m = out.match(/at http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); ok(`http://127.0.0.1:${m[1]}`); }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", (d) => { out += d; });
    proc.on("exit", (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}: ${out}`)); });
  });
  // SIGTERM must stop the server cleanly (exit 0): under `make test-sanitize` a sanitizer report,
  // a leak found at exit included, makes the exit status non-zero, and the test fails with its text.
  const stop = async () => {
    proc.removeAllListeners("exit");
    const exited = new Promise((ok) => {
      if (proc.exitCode !== null || proc.signalCode !== null) ok(proc.exitCode ?? proc.signalCode);
      else proc.on("exit", (code, signal) => ok(code ?? signal));
    });
    proc.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok("no exit after 30 s"), 30000))]);
    if (code === "no exit after 30 s") proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    if (code !== 0) throw new Error(`server did not stop cleanly (${code}): ${out.slice(-4000)}`);
  };
  return { base, stop, dir, log: () => out };
}

// Chromium with a fresh user-data-dir (a persistent context on a new temporary directory).
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "weefsel-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 }, locale: "nl-NL",
  });
  context.setDefaultTimeout(20000);
  const close = async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); };
  return { context, close };
}

// A signed-in API client for test setup (the same API the UI uses).
export async function apiAs(base, who) {
  const res = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: USERS[who], password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${who}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie").split(";")[0];
  const { csrf_token, user } = await res.json();
  const call = async (method, path, body) => {
    const r = await fetch(base + "/api/v1" + path, { method, headers: { Cookie: cookie, "X-CSRF-Token": csrf_token,
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { user, get: (p) => call("GET", p), post: (p, b = {}) => call("POST", p, b), put: (p, b) => call("PUT", p, b), patch: (p, b) => call("PATCH", p, b) };
}

// Signs in through the UI's login form: `who` is a demo account (admin, officer, member,
// resident) or an e-mail address with its `password`.
export async function uiLogin(page, base, who, password = PASSWORD) {
  await page.context().clearCookies();
  await page.goto(base + "/login");
  await ready(page, "/login");
  await page.getByLabel(/E-mailadres|E-mail address/).fill(USERS[who] ?? who);
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill(password);
  await page.getByRole("button", { name: /^(Inloggen|Sign in)$/ }).click();
  await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== "/login");
}

// Waits until the router has rendered `path` (body[data-ready]).
export async function ready(page, path) {
  await page.waitForFunction((p) => document.body.dataset.ready === p, path, { timeout: 30000 });
}

export async function go(page, base, path) {
  await page.goto(base + path);
  await ready(page, path.split("?")[0].split("#")[0].replace(/\/+$/, "") || "/");
}

export async function setLocale(page, base, locale) {
  await page.goto(base + "/?lang=" + locale);
  await ready(page, "/");
  await page.evaluate((l) => localStorage.setItem("weefsel.locale", l), locale);
}

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
// Runs axe-core (WCAG 2.0/2.1 A and AA rules); returns every violation with its impact and the
// number of elements it was found on (the accessibility statement attaches these, see
// docs/accessibility-statement.md).
export async function axeRun(page) {
  await page.addScriptTag({ content: axeSource }).catch(async () => { await page.evaluate(axeSource); });
  return page.evaluate(async () => {
    // @ts-ignore
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, count: v.nodes.length, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
}
export const AXE_VERSION = JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version;

// The serious and critical violations on the page.
export async function axe(page) {
  return (await axeRun(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name + ".png"), fullPage: true });
}

export function prerequisites() {
  const missing = [];
  if (!existsSync(BIN)) missing.push("weefsel binary " + BIN);
  if (!existsSync(CHROMIUM)) missing.push("chromium " + CHROMIUM);
  if (!existsSync(join(webDir, "dist", "index.html"))) missing.push("web/dist (scripts/build-web)");
  return missing;
}

// A round in voting with four projects (officer of municipality 1), for the ballot flow.
export async function openRound(officer, { ballot_kind = "approval", max_length = 2, min_length = 1, max_points = 0, max_points_per_project = 0,
  name = "Buurtbudget Noord 2027", rule = "mes_add1_greedy" } = {}) {
  const r = await officer.post("/rounds", { municipality: 1, name, budget_eur: 100000, ballot_kind,
    max_length, min_length, max_points, max_points_per_project, rule,
    projects: [
      { project_id: "p1", title: "Moestuin bij de school", cost_eur: 30000, category: "groen", neighbourhood: "Noord" },
      { project_id: "p2", title: "Buurtkamer voor ouderen", cost_eur: 45000, category: "zorg", neighbourhood: "Noord" },
      { project_id: "p3", title: "Veilige fietsroute", cost_eur: 60000, category: "mobiliteit", neighbourhood: "Noord" },
      { project_id: "p4", title: "Repair café", cost_eur: 10000, category: "circulaire economie", neighbourhood: "Noord" },
    ] });
  await officer.post(`/rounds/${r.id}/phase`, { phase: "voting" });
  return r;
}

// The data every page needs that the demo city has none of (a round in voting, a closed round with
// ballots, a coalition with a proposal in two versions and comments, a round in review, a funded
// proposal with an experiment and measurements); returns their ids for pageList.
export async function seedWorld(base) {
  const ids = {};
  const officer = await apiAs(base, "officer");
  const member = await apiAs(base, "member");
  ids.round = (await openRound(officer)).id;
  // A closed round with a few ballots, for the results page.
  const closed = await openRound(officer, { name: "Buurtbudget Zuid 2027" });
  const resident = await apiAs(base, "resident");
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
  const reply = await member.post(`/proposals/${prop.id}/comments`, { text: "Ja, en in het Turks.", parent: comment.id });
  // A report in the moderation queue (the moderation page's cards).
  await resident.post("/reports", { target: "comment", id: reply.id, reason: "Dit hoort hier niet" });
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
  return ids;
}

// Every page of the UI as [name, path, who is signed in (null: nobody)], with the ids of seedWorld.
export function pageList(ids) {
  return [
    ["home", "/", null], ["challenges", "/challenges", null], ["challenge", "/challenges/1", null], ["challenge-new", "/challenges/new", "officer"],
    ["actors", "/actors", null], ["actor", "/actors/1", "member"], ["coalition", `/coalitions/${ids.coalition}`, "member"],
    ["rounds", "/rounds", null], ["round-ballot", `/rounds/${ids.round}`, "resident"], ["round-results", `/rounds/${ids.results}`, null],
    ["challenge-officer", "/challenges/1", "officer"], ["experiments", "/experiments", null],
    ["experiment", `/experiments/${ids.experiment}`, null], ["fabric", "/fabric", null], ["compare", "/compare", null],
    ["proposal", `/proposals/${ids.proposal}`, "resident"], ["round-review", `/rounds/${ids.review}`, "officer"],
    ["audit", `/audit?entity=coalition&id=${ids.coalition}`, "officer"], ["overview", "/overview?municipality=1", "officer"],
    ["notifications", "/notifications", "resident"], ["open-data", "/open-data", null],
    ["login", "/login", null], ["register", "/register", null], ["account", "/account", "resident"], ["admin", "/admin", "admin"],
    ["moderation", "/moderation", "officer"],
  ];
}

// Opens `path` and waits until the page has settled (the map's and the comparison's data loaded).
export async function visit(page, base, path) {
  await go(page, base, path);
  if (path === "/fabric" || path === "/compare") await page.waitForFunction(() => !document.querySelector("[aria-busy=true]"));
  if (path === "/fabric") await page.locator("section[aria-labelledby=h-health] canvas, section[aria-labelledby=h-health] .notice, section[aria-labelledby=h-health] .error").first().waitFor();
}

// Signs in as `as` (or out, for null) when that differs from `who`; returns `as`.
export async function switchUser(page, base, who, as) {
  if (as === who) return who;
  if (as) await uiLogin(page, base, as); else await page.context().clearCookies();
  return as;
}

// Registers through the API as a script would: fetch the proof-of-work challenge and solve it
// (BLAKE2b-256 of salt and nonce with `bits` leading zero bits, as web/src/pow.ts does).
export async function registerByApi(base, body) {
  const ch = await fetch(base + "/api/v1/auth/register/challenge").then((r) => r.json());
  const enc = new TextEncoder();
  const zeros = (h) => { let b = 0; for (const x of h) { if (x) return b + Math.clz32(x) - 24; b += 8; } return b; };
  let n = 0;
  while (zeros(blake.blake2b(enc.encode(ch.salt + n), undefined, 32)) < ch.bits) n++;
  return fetch(base + "/api/v1/auth/register", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, pow_challenge: ch.challenge, pow_nonce: String(n) }) });
}

// Confirms the open confirmation dialog (phase moves, releases, funding) with its first button.
export async function confirm(page) {
  await page.locator("dialog.confirm[open] .confirm-yes").click();
  await page.locator("dialog.confirm").waitFor({ state: "detached" });
}
