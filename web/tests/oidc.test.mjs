// Sign-in with an organisation account (OpenID Connect) end to end in Chromium, against a real
// OpenID provider run by the test (the npm oidc-provider package; web/tests/oidc-provider.mjs):
// the first sign-in makes an account with no roles, the second finds the same account; a replayed
// callback, a provider whose keys do not match its tokens (a forged signature), an ID token for
// another audience, an expired one, and a provider that cannot be reached each land on the login
// page with a Dutch reason and no session, and passwords keep working. A resident broker (the
// DigiD route) makes a resident account; a password account links an identity (and unlinks it),
// later sign-ins land in it, and an identity linked elsewhere is refused. The other token checks
// (wrong nonce or issuer, alg none, issued in the future) are unit tests (src/service/oidc_test.cc).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { generateKeyPairSync, sign } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, startBrowser, uiLogin, prerequisites, shot } from "./harness.mjs";
import { startProvider } from "./oidc-provider.mjs";

const missing = prerequisites();
let server, browser, page, provider, forger, reissuer;

// A free port for weefsel, held until `release` so that the providers started meanwhile (each on a
// port of the kernel's choice) cannot be given it: the redirect URI must name it before weefsel runs.
async function reservePort() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  return { port: s.address().port, release: () => new Promise((ok) => s.close(ok)) };
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

// The provider's own tokens, reissued: discovery under issuer/aud and issuer/exp names the real
// provider's login and keys but a token endpoint of its own, which passes the code exchange on to
// the real provider and signs its ID token again with the provider's key, after changing the
// audience (/aud) or moving issue and expiry two and one hours into the past (/exp). The signature
// checks out against the provider's JWKS; the claims must be what weefsel refuses.
async function startReissuer(real) {
  const discovery = await (await fetch(real.issuer + "/.well-known/openid-configuration")).json();
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const s = createServer(async (req, res) => {
    const base = `http://127.0.0.1:${s.address().port}`;
    const [, variant, ...rest] = req.url.split("/");
    const issuer = `${base}/${variant}`;
    res.setHeader("Content-Type", "application/json");
    if (rest.join("/") === ".well-known/openid-configuration") return res.end(JSON.stringify({ ...discovery, issuer, token_endpoint: issuer + "/token" }));
    if (rest.join("/") !== "token" || req.method !== "POST") { res.statusCode = 404; return res.end("{}"); }
    let body = "";
    for await (const chunk of req) body += chunk;
    const answer = await fetch(discovery.token_endpoint, { method: "POST", body,
      headers: { "Content-Type": req.headers["content-type"], Authorization: req.headers.authorization } });
    const tokens = await answer.json();
    if (!answer.ok || !tokens.id_token) { res.statusCode = answer.status; return res.end(JSON.stringify(tokens)); }
    const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString());
    claims.iss = issuer;
    const now = Math.floor(Date.now() / 1000);
    if (variant === "aud") claims.aud = "een-ander-platform";
    if (variant === "exp") Object.assign(claims, { iat: now - 7200, auth_time: now - 7200, exp: now - 3600 });
    const signed = `${b64({ alg: "RS256", typ: "JWT", kid: real.kid })}.${b64(claims)}`;
    tokens.id_token = `${signed}.${sign("sha256", Buffer.from(signed), real.signingKey).toString("base64url")}`;
    res.end(JSON.stringify(tokens));
  });
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${s.address().port}`;
  return { issuer: (variant) => `${base}/${variant}`, stop: () => new Promise((ok) => { s.closeAllConnections?.(); s.close(ok); }) };
}

before(async () => {
  if (missing.length) return;
  const { port, release } = await reservePort();
  const redirectUri = `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
  provider = await startProvider({ redirectUri });
  forger = await startForger(provider);
  reissuer = await startReissuer(provider);
  const common = { client_id: "weefsel", client_secret: "weefsel-secret", redirect_uri: redirectUri };
  const config = join(process.env.TMPDIR ?? "/tmp", `weefsel-oidc-${process.pid}.json`);
  writeFileSync(config, JSON.stringify([
    { id: "gemeente", name: "Gemeente Voorbeeldstad", municipality: "GM0344", issuer: provider.issuer, ...common },
    { id: "vervalst", name: "Vervalste dienst", issuer: forger.issuer, ...common },
    { id: "onbereikbaar", name: "Onbereikbare dienst", issuer: "http://127.0.0.1:9", ...common },
    { id: "ander-publiek", name: "Dienst voor een ander platform", issuer: reissuer.issuer("aud"), ...common },
    { id: "verlopen", name: "Dienst met verlopen bewijs", issuer: reissuer.issuer("exp"), ...common },
    // The DigiD route: a broker for the residents of Amsterdam (the demo's GM0363).
    { id: "digid", name: "Makelaar Amsterdam", audience: "residents", municipality: "GM0363", issuer: provider.issuer, ...common },
  ]));
  await release();
  server = await startServer({ listen: `127.0.0.1:${port}`, extraArgs: ["--oidc", config] });
  browser = await startBrowser();
  page = await browser.context.newPage();
});
after(async () => { await browser?.close(); await server?.stop(); await forger?.stop(); await reissuer?.stop(); await provider?.stop(); });

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

test("an ID token for another audience, and an expired one, are refused with a Dutch reason and no session", { skip: missing.join(", ") || false }, async () => {
  for (const [name, reason, words] of [["Dienst voor een ander platform", "wrong_audience", "niet voor dit platform bedoeld"],
    ["Dienst met verlopen bewijs", "token_expired", "was al verlopen"]]) {
    await page.context().clearCookies();
    await page.goto(server.base + "/login");
    await page.getByRole("link", { name: `Inloggen met ${name}` }).click();
    await signInAtProvider("indringer");
    await page.waitForURL(new RegExp(`/login\\?oidc=${reason}$`));
    await page.getByRole("alert").filter({ hasText: words }).waitFor();
    assert.equal((await me()).status, 401, `${reason}: no session`);
  }
  assert.match(server.log(), /id_token: the audience is not this client/);
  assert.match(server.log(), /id_token: expired/);
});

test("a resident signs in through the DigiD broker and gets a resident account, nothing more", { skip: missing.join(", ") || false }, async () => {
  await page.context().clearCookies();
  await page.goto(server.base + "/login");
  await page.getByRole("heading", { name: "Inloggen als inwoner" }).waitFor();
  await page.getByRole("link", { name: "Inloggen met DigiD (via Makelaar Amsterdam)" }).click();
  await signInAtProvider("burger1");
  await page.waitForURL(server.base + "/");
  const who = await me();
  assert.equal(who.status, 200);
  const amsterdam = await page.evaluate(async () => (await (await fetch("/api/v1/municipalities?q=Amsterdam")).json()).items.find((m) => m.cbs_code === "GM0363").id);
  assert.deepEqual(who.body.grants.map((g) => [g.role, g.municipality]), [["resident", amsterdam]], "a resident of the broker's municipality only");
  const links = await page.evaluate(async () => (await fetch("/api/v1/auth/oidc/links")).json());
  assert.deepEqual(links.items.map((l) => [l.provider, l.verified_resident, l.made_account]), [["digid", true, true]]);
});

test("a password account links DigiD, signs in through it, and unlinks it; an identity linked elsewhere is refused", { skip: missing.join(", ") || false }, async () => {
  await uiLogin(page, server.base, "resident");
  const resident = (await me()).body;
  await page.goto(server.base + "/account");
  await page.getByRole("heading", { name: "Gekoppelde inlogdiensten" }).waitFor();
  await page.getByText("Er is nog geen inlogdienst aan dit account gekoppeld.").waitFor();
  await page.getByRole("button", { name: "DigiD koppelen (via Makelaar Amsterdam)" }).click();
  await signInAtProvider("burger2");
  await page.waitForURL(/\/account\?oidc=linked$/);
  await page.getByText("De inlogdienst is aan uw account gekoppeld.").waitFor();
  await page.locator(".oidc-links li").filter({ hasText: "geverifieerde inwoner (DigiD)" }).waitFor();
  await shot(page, "oidc-linked");

  // Signing in through the broker now lands in the password account.
  await page.context().clearCookies();
  await page.goto(server.base + "/login");
  await page.getByRole("link", { name: "Inloggen met DigiD (via Makelaar Amsterdam)" }).click();
  await signInAtProvider("burger2");
  await page.waitForURL(server.base + "/");
  assert.equal((await me()).body.id, resident.id);

  // Another account cannot take the same identity.
  await uiLogin(page, server.base, "officer");
  await page.goto(server.base + "/account");
  await page.getByRole("button", { name: "DigiD koppelen (via Makelaar Amsterdam)" }).click();
  await signInAtProvider("burger2");
  await page.waitForURL(/\/account\?oidc=identity_taken$/);
  await page.getByRole("alert").filter({ hasText: "al aan een ander account op dit platform gekoppeld" }).waitFor();
  assert.deepEqual(await page.evaluate(async () => (await (await fetch("/api/v1/auth/oidc/links")).json()).items), []);

  // The resident unlinks it on the account page.
  await uiLogin(page, server.base, "resident");
  await page.goto(server.base + "/account");
  await page.getByRole("button", { name: "Makelaar Amsterdam ontkoppelen" }).click();
  await page.getByText("Makelaar Amsterdam is ontkoppeld.").waitFor();
  await page.getByText("Er is nog geen inlogdienst aan dit account gekoppeld.").waitFor();
});
