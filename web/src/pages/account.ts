// Login, registration, your account (roles, API tokens) and the admin page (create accounts).
import { h, field, select } from "../dom";
import { api, login, currentUser, hasRole, ApiError, Grant } from "../api";
import { t, roleLabel, roleOptions, date, Key } from "../i18n";
import { Ctx, navigate } from "../router";
import { announce, errorBox } from "../feedback";
import { municipalities, muniName, actor, officerMunicipalities } from "./common";
import { THEMES, appearanceOf, forgetAppearance, useMunicipalityTheme } from "../theme";
import { registrationProof } from "../pow";

export async function loginPage({ main, query: q }: Ctx): Promise<void> {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const status = h("div");
  main.append(h("h1", {}, t("nav.login")),
    h("form", { class: "stack narrow", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const me = await login(email.value, password.value);
        announce(t("account.welcome", { name: me.display_name }));
        navigate(q.get("next") ?? "/");
      } catch (err) {
        // A wrong e-mail address or password (wrong_credentials), a blocked account: worded by refusalText.
        status.replaceChildren(errorBox(err));
        password.focus();
      }
    } }, field(t("account.email"), email), field(t("account.password"), password), status, h("button", { type: "submit" }, t("nav.login"))),
    h("p", {}, t("account.noAccount"), " ", h("a", { href: "/register" }, t("nav.register"))));
  // Sign-in with an organisation account (OpenID Connect): a link per identity provider, and why
  // the last attempt failed when the server sent the browser back here.
  const failed = q.get("oidc");
  if (failed) {
    const known = ["expired", "unavailable", "email_taken", "too_many", "cancelled", "token_expired", "wrong_audience"];
    status.replaceChildren(h("p", { class: "error", role: "alert" }, t((known.includes(failed) ? `oidc.${failed}` : "oidc.refused") as Key)));
  }
  try {
    const providers = await oidcProviders();
    const link = (p: OidcProvider) => h("li", {}, h("a", { class: "button", href: `/api/v1/auth/oidc/login?provider=${encodeURIComponent(p.id)}` },
      t(p.audience === "residents" ? "oidc.digid" : "oidc.with", { name: p.name })));
    const residents = providers.filter((p) => p.audience === "residents");
    const staff = providers.filter((p) => p.audience !== "residents");
    if (residents.length)
      main.append(h("section", { "aria-labelledby": "h-oidc-residents" }, h("h2", { id: "h-oidc-residents" }, t("oidc.residentsTitle")),
        h("ul", { class: "stack" }, ...residents.map(link))));
    if (staff.length)
      main.append(h("section", { "aria-labelledby": "h-oidc" }, h("h2", { id: "h-oidc" }, t("oidc.title")), h("ul", { class: "stack" }, ...staff.map(link))));
  } catch { /* no providers listed: passwords only */ }
}

interface OidcProvider { id: string; name: string; municipality: string; audience: "staff" | "residents" }
async function oidcProviders(): Promise<OidcProvider[]> {
  return (await api.get<{ providers: OidcProvider[] }>("/auth/oidc")).providers;
}

// The identities linked to the account (organisation accounts, DigiD), with a button to unlink
// each and one to link each configured provider; ?oidc= says how the last link went.
async function linksSection(q: URLSearchParams): Promise<HTMLElement[]> {
  let providers: OidcProvider[] = [];
  try { providers = await oidcProviders(); } catch { return []; }
  if (!providers.length) return [];
  const status = h("div", { "aria-live": "polite" });
  const list = h("ul", { class: "stack oidc-links" });
  const outcome = q.get("oidc");
  if (outcome === "linked") status.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("oidc.linked")));
  else if (outcome) {
    const known = ["expired", "unavailable", "identity_taken", "cancelled", "token_expired", "wrong_audience"];
    status.replaceChildren(h("p", { class: "error", role: "alert" }, t((known.includes(outcome) ? `oidc.${outcome}` : "oidc.refused") as Key)));
  }
  const load = async () => {
    const { items } = await api.get<{ items: { provider: string; name: string; issuer: string; verified_resident: boolean; created_at: string }[] }>("/auth/oidc/links");
    list.replaceChildren(...(items.length ? items.map((l) => h("li", {}, h("strong", {}, l.name), " · ", t("oidc.linkedSince", { date: date(l.created_at) }),
      l.verified_resident ? [" · ", t("oidc.verifiedResident")] : "", " ",
      h("button", { type: "button", class: "secondary", onclick: async () => {
        try {
          await api.post("/auth/oidc/unlink", { issuer: l.issuer });
          status.replaceChildren(h("p", { class: "ok", role: "status" }, "✔ " + t("oidc.unlinked", { name: l.name })));
          await load();
        } catch (err) { status.replaceChildren(errorBox(err)); }
      } }, t("oidc.unlink", { name: l.name })))) : [h("li", {}, t("oidc.noLinks"))]));
  };
  await load();
  const buttons = h("ul", { class: "stack" }, ...providers.map((p) => h("li", {}, h("button", { type: "button", onclick: async () => {
    try {
      const { url } = await api.post<{ url: string }>("/auth/oidc/link", { provider: p.id });
      window.location.assign(url);
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, t(p.audience === "residents" ? "oidc.linkDigid" : "oidc.link", { name: p.name })))));
  return [h("h2", { id: "h-oidc-links" }, t("oidc.links")), h("p", {}, t("oidc.linksLead")), list, buttons, status];
}

export async function registerPage({ main }: Ctx): Promise<void> {
  const ms = await municipalities();
  const name = h("input", { name: "display_name", autocomplete: "name", required: true });
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 8 });
  const muni = select("municipality", ms.map((m): [string, string] => [String(m.id), m.name]));
  const status = h("div");
  main.append(h("h1", {}, t("nav.register")), h("p", { class: "lead" }, t("account.registerLead")),
    h("form", { class: "stack narrow", onsubmit: async (e: Event) => {
      e.preventDefault();
      const button = (e.target as HTMLFormElement).querySelector("button[type=submit]") as HTMLButtonElement;
      try {
        // The small sum against mass-made accounts (pow.ts), then the registration.
        button.disabled = true;
        status.replaceChildren(h("p", { class: "notice", role: "status" }, t("account.proofWorking")));
        const proof = await registrationProof();
        await api.post("/auth/register", { display_name: name.value, email: email.value, password: password.value, municipality: Number(muni.value), ...proof });
        status.replaceChildren();
        await login(email.value, password.value);
        announce(t("account.registered"));
        navigate("/account");
      } catch (err) { status.replaceChildren(errorBox(err)); }  // worded by its refusal code (too_many_registrations, pow_*, password_*) finally { button.disabled = false; }
    } }, field(t("account.name"), name), field(t("account.email"), email), field(t("account.password"), password, t("account.passwordHint")),
      field(t("filter.municipality"), muni), status, h("button", { type: "submit" }, t("nav.register"))));
}

export async function accountPage({ main, query: q }: Ctx): Promise<void> {
  const me = currentUser();
  main.append(h("h1", {}, t("nav.account")));
  if (!me) { main.append(errorBox(new ApiError(401, "")), h("p", {}, h("a", { href: "/login?next=/account" }, t("nav.login")))); return; }
  const grants = await Promise.all(me.grants.map(async (g) => h("li", {}, roleLabel(g.role),
    g.municipality ? ` · ${await muniName(g.municipality)}` : "",
    g.actor ? [" · ", h("a", { href: `/actors/${g.actor}` }, (await actor(g.actor).catch(() => null))?.name ?? String(g.actor))] : "")));
  const tokenName = h("input", { name: "token-name", required: true, maxlength: 200 });
  const out = h("div", { "aria-live": "polite" });
  main.append(h("dl", { class: "facts" }, h("dt", {}, t("account.name")), h("dd", {}, me.display_name), h("dt", {}, t("account.email")), h("dd", {}, me.email),
    h("dt", {}, t("account.number")), h("dd", { id: "account-number" }, String(me.id))),
    h("h2", {}, t("account.roles")), h("ul", {}, grants),
    h("h2", {}, t("account.tokens")), h("p", {}, t("account.tokensLead")),
    h("form", { class: "stack narrow", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const r = await api.post<{ name: string; token: string }>("/auth/tokens", { name: tokenName.value });
        out.replaceChildren(h("p", {}, t("account.tokenOnce")), h("code", { class: "token" }, r.token));
      } catch (err) { out.replaceChildren(errorBox(err)); }
    } }, field(t("account.tokenName"), tokenName), h("button", { type: "submit" }, t("account.makeToken"))), out);
  main.append(...await linksSection(q));
  const mine = await officerMunicipalities();
  if (mine.length && !hasRole("platform_admin")) main.append(...appearanceSection(mine.map((m): [string, string] => [String(m.id), m.name])));
  main.append(...await import("./self").then((m) => m.selfSections()));
}

// How a municipality's pages look (officers of it, admins): the NL Design System theme, the name
// in the header and the logo (PNG, JPEG or WebP up to 256 KiB; the server checks the bytes).
function appearanceSection(munis: [string, string][]): HTMLElement[] {
  const muni = select("look-municipality", munis);
  const theme = select("look-theme", [["", t("look.themeDefault")], ...Object.values(THEMES).map((th): [string, string] => [th.id, th.name])]);
  const name = h("input", { name: "look-name", maxlength: 120 }) as HTMLInputElement;
  const logo = h("input", { type: "file", name: "look-logo", accept: "image/png,image/jpeg,image/webp" }) as HTMLInputElement;
  const removeLogo = h("input", { type: "checkbox", name: "look-remove-logo", id: "look-remove-logo" }) as HTMLInputElement;
  const preview = h("p", { class: "look-preview" });
  const status = h("div", { "aria-live": "polite" });
  const load = async () => {
    const look = await appearanceOf(Number(muni.value));
    theme.value = look?.theme ?? "";
    name.value = look?.display_name ?? "";
    preview.replaceChildren(look?.logo ? h("img", { src: look.logo, alt: t("look.currentLogo"), class: "muni-logo" }) : t("look.noLogo"));
  };
  muni.addEventListener("change", () => void load());
  void load();
  const form = h("form", { class: "stack narrow look", "aria-labelledby": "h-look", onsubmit: async (e: Event) => {
    e.preventDefault();
    const id = Number(muni.value);
    status.replaceChildren();
    try {
      await api.put(`/municipalities/${id}/appearance`, { theme: theme.value, display_name: name.value.trim() });
      const file = logo.files?.[0];
      if (file) {
        if (!["image/png", "image/jpeg", "image/webp"].includes(file.type)) throw new ApiError(400, t("look.badType"), "image", true);
        if (file.size > 256 * 1024) throw new ApiError(400, t("look.tooLarge"), "image", true);
        await api.put(`/municipalities/${id}/logo`, { image: await base64Of(file) });
      } else if (removeLogo.checked) {
        await api.put(`/municipalities/${id}/logo`, { image: "" });
      }
      forgetAppearance(id);
      await useMunicipalityTheme(id);
      await load();
      logo.value = "";
      removeLogo.checked = false;
      status.replaceChildren(h("p", { class: "ok" }, "✔ " + t("look.saved")));
      announce(t("look.saved"));
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, field(t("filter.municipality"), muni), field(t("look.theme"), theme, t("look.themeHint")), field(t("look.name"), name, t("look.nameHint")),
    field(t("look.logo"), logo, t("look.logoHint")), preview, h("p", {}, removeLogo, " ", h("label", { for: "look-remove-logo" }, t("look.removeLogo"))), status,
    h("button", { type: "submit" }, t("look.save")));
  return [h("h2", { id: "h-look" }, t("look.title")), h("p", {}, t("look.lead")), form];
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export async function adminPage({ main }: Ctx): Promise<void> {
  main.append(h("h1", {}, t("nav.admin")));
  if (!hasRole("platform_admin")) { main.append(errorBox(new ApiError(403, t("admin.only"), undefined, true))); return; }
  const ms = await municipalities();
  const name = h("input", { name: "display_name", required: true });
  const email = h("input", { type: "email", name: "email", required: true });
  const password = h("input", { type: "password", name: "password", required: true, minlength: 8, autocomplete: "new-password" });
  const role = select("role", roleOptions());
  const muni = select("municipality", [["", "—"], ...ms.map((m): [string, string] => [String(m.id), m.name])]);
  const actorId = h("input", { type: "number", name: "actor", min: 1, inputmode: "numeric" });
  const status = h("div", { "aria-live": "polite" });
  main.append(h("h2", {}, t("admin.newUser")),
    h("form", { class: "stack narrow", onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const grant: Record<string, unknown> = { role: role.value };
        if (muni.value) grant.municipality = Number(muni.value);
        if (actorId.value) grant.actor = Number(actorId.value);
        const u = await api.post<{ id: number; email: string }>("/users", { display_name: name.value, email: email.value, password: password.value, grants: [grant] });
        status.replaceChildren(h("p", { class: "ok" }, "✔ " + t("admin.created", { email: u.email })));
      } catch (err) { status.replaceChildren(errorBox(err)); }
    } }, field(t("account.name"), name), field(t("account.email"), email), field(t("account.password"), password), field(t("admin.role"), role),
      field(t("filter.municipality"), muni, t("admin.muniHint")), field(t("admin.actor"), actorId, t("admin.actorHint")), status,
      h("button", { type: "submit" }, t("admin.create"))),
    h("h2", { id: "h-grant" }, t("admin.grantTitle")), h("p", {}, t("admin.grantLead")), grantForm(ms.map((m): [string, string] => [String(m.id), m.name])),
    ...appearanceSection(ms.map((m): [string, string] => [String(m.id), m.name])),
    h("h2", {}, t("admin.api")), h("p", {}, h("a", { href: "/api/v1/openapi.json" }, t("admin.openapi"))));
}

// Grant a role to an existing account (by its number, shown on that person's account page); the
// account's roles are listed afterwards, so the admin sees what it holds now.
function grantForm(munis: [string, string][]): HTMLElement {
  const user = h("input", { type: "number", name: "grant-user", min: 1, inputmode: "numeric", required: true });
  const role = select("grant-role", roleOptions());
  const muni = select("grant-municipality", [["", "—"], ...munis]);
  const actorId = h("input", { type: "number", name: "grant-actor", min: 1, inputmode: "numeric" });
  const status = h("div", { "aria-live": "polite" });
  return h("form", { class: "stack narrow grant", "aria-labelledby": "h-grant", onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      const id = Number(user.value);
      const grant: Record<string, unknown> = { role: role.value };
      if (muni.value) grant.municipality = Number(muni.value);
      if (actorId.value) grant.actor = Number(actorId.value);
      await api.post(`/users/${id}/grants`, grant);
      const [u, gs] = await Promise.all([api.get<{ display_name: string; email: string }>(`/users/${id}`),
        api.get<{ items: Grant[] }>(`/users/${id}/grants`)]);
      const rows = await Promise.all(gs.items.map(async (g) => h("li", {}, roleLabel(g.role), g.municipality ? ` · ${await muniName(g.municipality)}` : "",
        g.actor ? ` · ${(await actor(g.actor).catch(() => null))?.name ?? g.actor}` : "")));
      status.replaceChildren(h("p", { class: "ok" }, "✔ " + t("admin.granted", { role: roleLabel(role.value), name: u.display_name })),
        h("p", {}, t("admin.rolesOf", { name: u.display_name, email: u.email })), h("ul", { class: "grants" }, rows));
      announce(t("admin.granted", { role: roleLabel(role.value), name: u.display_name }));
    } catch (err) { status.replaceChildren(errorBox(err)); }
  } }, field(t("admin.userNumber"), user, t("admin.userNumberHint")), field(t("admin.role"), role),
    field(t("filter.municipality"), muni, t("admin.muniHint")), field(t("admin.actor"), actorId, t("admin.actorHint")), status,
    h("button", { type: "submit" }, t("admin.grant")));
}
