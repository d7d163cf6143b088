// Sign-in with an organisation account (OpenID Connect) end to end in Chromium, against a real
// OpenID provider run by the test (the npm oidc-provider package; web/tests/oidc-provider.mjs):
// the first sign-in makes an account with no roles, the second finds the same account; a replayed
// callback, a provider whose keys do not match its tokens (a forged signature), and a provider that
// cannot be reached each land on the login page with a Dutch reason, and passwords keep working.
// The token checks one by one (wrong audience, expired, wrong nonce or issuer, alg none) are unit
// tests (src/service/oidc_test.cc).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, startBrowser, uiLogin, prerequisites, shot } from "./harness.mjs";
import { startProvider } from "./oidc-provider.mjs";

const missing = prerequisites();
let server, browser, page, provider, forger;

async function freePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const port = s.address().port;
  await new Promise((ok) => s.close(ok));
  return port;
}

// A "provider" that answers discovery for itself but sends the browser to the real provider, and
// publishes keys of its own under the real provider's key id: the ID tokens it leads to are signed
// by a key it does not publish, as a forged token would be.
async function startForger(real) {
  const discovery = await (await fetch(real.issuer + "/.well-known/openid-configuration")).json();
  const realKeys = await (await fetch(discovery.jwks_uri)).json();
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: realKeys.keys[0].kid, use: "sig", alg: "RS256" };
  const s = createServer((req, res) => {
    const issuer = `http://127.0.0.1:${s.address().port}`;
    res.setHeader("Content-Type", "application/json");
    if (req.url === "/.well-known/openid-configuration") res.end(JSON.stringify({ ...discovery, issuer, jwks_uri: issuer + "/jwks" }));
    else if (req.url === "/jwks") res.end(JSON.stringify({ keys: [jwk] }));
    else { res.statusCode = 404; res.end("{}"); }
  });
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  return { issuer: `http://127.0.0.1:${s.address().port}`, stop: () => new Promise((ok) => s.close(ok)) };
}

before(async () => {
  if (missing.length) return;
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
  provider = await startProvider({ redirectUri });
  forger = await startForger(provider);
  const common = { client_id: "weefsel", client_secret: "weefsel-secret", redirect_uri: redirectUri };
  const config = join(process.env.TMPDIR ?? "/tmp", `weefsel-oidc-${process.pid}.json`);
  writeFileSync(config, JSON.stringify([
    { id: "gemeente", name: "Gemeente Voorbeeldstad", municipality: "GM0344", issuer: provider.issuer, ...common },
    { id: "vervalst", name: "Vervalste dienst", issuer: forger.issuer, ...common },
    { id: "onbereikbaar", name: "Onbereikbare dienst", issuer: "http://127.0.0.1:9", ...common },
  ]));
  server = await startServer({ listen: `127.0.0.1:${port}`, extraArgs: ["--oidc", config] });
  browser = await startBrowser();
  page = await browser.context.newPage();
});
after(async () => { await browser?.close(); await server?.stop(); await forger?.stop(); await provider?.stop(); });

// Through the provider's login and consent pages (its development interactions).
async function signInAtProvider(login) {
  await page.locator("input[name=login]").fill(login);
  await page.locator("input[name=password]").fill("any");
  await page.locator("button[type=submit]").click();
  await page.locator("button[type=submit]").click();  // consent
}

async function me() {
  return page.evaluate(async () => { const r = await fetch("/api/v1/auth/me"); return { status: r.status, body: await r.json() }; });
}

test("an organisation account signs in, gets an account without roles, and finds it again", { skip: missing.join(", ") || false }, async () => {
  await page.goto(server.base + "/login");
  const link = page.getByRole("link", { name: "Inloggen met Gemeente Voorbeeldstad" });
  await link.waitFor();
  let callback = "";
  page.on("request", (r) => { if (r.url().includes("/api/v1/auth/oidc/callback")) callback = r.url(); });
  await link.click();
  await signInAtProvider("jansen");
  await page.waitForURL(server.base + "/").catch(async (e) => { throw new Error(`ended at ${page.url()}: ${server.log().slice(-1500)}`); });
  const first = await me();
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.email, "jansen@gemeente.example");
  assert.equal(first.body.display_name, "Medewerker jansen");
  assert.deepEqual(first.body.grants, [], "no rights until an admin or officer grants them");
  await shot(page, "oidc-signed-in");

  // The callback again (a replayed code and state): refused, and said so in Dutch.
  assert.ok(callback, "the provider sent the browser to the callback");
  await page.context().clearCookies();
  await page.goto(callback);
  await page.waitForURL(/\/login\?oidc=expired/);
  await page.getByText("Het inloggen duurde te lang of is al gebruikt").waitFor();
  assert.equal((await me()).status, 401);

  // The same person again: the same account.
  await page.getByRole("link", { name: "Inloggen met Gemeente Voorbeeldstad" }).click();
  await signInAtProvider("jansen");
  await page.waitForURL(server.base + "/");
  const again = await me();
  assert.equal(again.body.id, first.body.id);
});

test("a token signed by a key the provider does not publish is refused", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await page.goto(server.base + "/login");
  await page.getByRole("link", { name: "Inloggen met Vervalste dienst" }).click();
  await signInAtProvider("indringer");
  await page.waitForURL(/\/login\?oidc=refused/);
  await page.getByText("Het inloggen is geweigerd").waitFor();
  assert.equal((await me()).status, 401);
});

test("a provider that cannot be reached costs only its own sign-ins", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await page.goto(server.base + "/login");
  await page.getByRole("link", { name: "Inloggen met Onbereikbare dienst" }).click();
  await page.waitForURL(/\/login\?oidc=unavailable/);
  await page.getByText("niet bereikbaar").waitFor();
  // Passwords still work.
  await uiLogin(page, server.base, "officer");
  assert.equal((await me()).status, 200);
});
