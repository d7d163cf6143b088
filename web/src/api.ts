// The JSON API client: same-origin fetch with the session cookie, the CSRF token on
// state-changing requests, and RFC 9457 problems turned into ApiError (with the field at fault).
// The entities' types are generated from the OpenAPI document (src/generated/openapi.json, which
// `weefsel openapi` writes; a test fails when it drifts) by openapi-typescript in the build
// (npm run generate); see docs/api.md, "The schema".
import type { components, paths } from "./generated/api-schema";
type Schemas = components["schemas"];
type Answer<P extends keyof paths, M extends "get" | "post"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
} ? T : never;

export interface Page<T> { items: T[]; limit: number; offset: number; next: string | null }
export type Grant = Schemas["RoleGrant"];
export type Me = Schemas["Principal"] & { csrf_token?: string };
export type Municipality = Schemas["Municipality"];
export type Actor = Schemas["Actor"];
export type Tie = Schemas["Tie"];
export type Challenge = Schemas["Challenge"];
export type Member = Schemas["CoalitionMember"];
export type Coalition = Schemas["Coalition"];
export type Version = Schemas["ProposalVersion"];
export type Proposal = Schemas["Proposal"];
export type Comment = Schemas["Comment"];
export type Diff = Answer<"/api/v1/proposals/{id}/diff", "get">;
export type DiffLine = Diff["lines"][number];
export type Criterion = Schemas["ReviewCriterion"];
export type Review = Schemas["Review"];
export type AuditEntry = Schemas["AuditEntry"];
export type Project = Schemas["RoundProject"];
export type Round = Schemas["Round"];
export type Ballot = Schemas["Ballot"];
export type Measurement = Schemas["Measurement"];
export type Indicator = Schemas["Indicator"];
export type Experiment = Schemas["Experiment"];
export type IndicatorProgress = Schemas["IndicatorProgress"];
export type ExperimentOverview = Schemas["ExperimentOverview"];
export type CommitmentLine = Schemas["CommitmentLine"];
export type MunicipalityOverview = Schemas["MunicipalityOverview"];
export type MatchCampaign = Schemas["MatchCampaign"];
export type MatchStanding = Schemas["MatchStanding"];
export type Eligibility = Schemas["Eligibility"];
export type Appearance = Schemas["Appearance"];
export type Report = Schemas["Report"];
export type HiddenItem = Schemas["HiddenItem"];
export type Task = Schemas["Task"];
export type TaskChallenge = Schemas["TaskChallenge"];
export type TaskChallengeStep = TaskChallenge["steps"][number];

export class ApiError extends Error {
  // `localized`: the detail is the UI's own text in the reader's language (not a server sentence).
  // `code` and `params`: the problem's stable refusal code and its parameters (docs/api.md,
  // "Refusal codes"), worded by refusalText in i18n.ts.
  constructor(public status: number, public detail: string, public fieldName?: string, public localized = false,
    public code?: string, public params: Record<string, string> = {}) {
    super(detail);
  }
}

function problemError(res: Response, text: string, json: any): ApiError {
  const params = json?.params && typeof json.params === "object" ? (json.params as Record<string, string>) : {};
  return new ApiError(res.status, json?.detail ?? (text || res.statusText), json?.field, false,
    typeof json?.code === "string" ? json.code : undefined, params);
}

let csrf = "";
let me: Me | null = null;
let meLoaded: Promise<Me | null> | null = null;

// A result the server is still building for the first time (503, code `building`: after a start, a
// fabric the warming has not reached) is asked for again after its Retry-After, for up to two
// minutes in all; the page meanwhile shows that it is loading.
const BUILDING_PATIENCE_MS = 120_000;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  const started = Date.now();
  for (;;) {
    const res = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: any = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (res.ok) return json as T;
    const err = problemError(res, text, json);
    const waitMs = 1000 * Math.min(30, Math.max(1, Number(err.params.retry_after ?? res.headers.get("Retry-After") ?? 2) || 2));
    if (method !== "GET" || err.code !== "building" || Date.now() - started + waitMs > BUILDING_PATIENCE_MS) throw err;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

// A request whose answer is not JSON (a CSV download): the text, or ApiError as `request`.
async function requestText(method: string, path: string, body?: unknown): Promise<string> {
  const headers: Record<string, string> = { Accept: "text/csv, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  const res = await fetch(path, { method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) {
    let json: any = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    throw problemError(res, text, json);
  }
  return text;
}

export const api = {
  postText: (path: string, body: unknown = {}) => requestText("POST", "/api/v1" + path, body),
  get: <T>(path: string) => request<T>("GET", "/api/v1" + path),
  post: <T>(path: string, body: unknown = {}) => request<T>("POST", "/api/v1" + path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", "/api/v1" + path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", "/api/v1" + path, body),
  del: <T>(path: string, body?: unknown) => request<T>("DELETE", "/api/v1" + path, body),
};

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? "?" + s : "";
}

// Every item of a paged list, fetching pages of 100 in parallel batches.
export async function all<T>(path: string, params: Record<string, string | number | undefined> = {}, max = 20000): Promise<T[]> {
  const out: T[] = [];
  const batch = 6;
  for (let offset = 0; offset < max; offset += 100 * batch) {
    const pages = await Promise.all(
      Array.from({ length: batch }, (_, i) => api.get<Page<T>>(path + query({ ...params, limit: 100, offset: offset + i * 100 }))),
    );
    let done = false;
    for (const p of pages) {
      out.push(...p.items);
      if (!p.next) { done = true; break; }
    }
    if (done) break;
  }
  return out;
}

export function currentUser(): Me | null { return me; }

// Every municipality, fetched once per page load (pages and the theme share it).
let municipalitiesLoaded: Promise<Municipality[]> | null = null;
export function municipalityList(): Promise<Municipality[]> {
  if (!municipalitiesLoaded) {
    municipalitiesLoaded = api.get<Page<Municipality>>("/municipalities?limit=100&sort=name").then((p) => p.items);
    municipalitiesLoaded.catch(() => { municipalitiesLoaded = null; });
  }
  return municipalitiesLoaded;
}

export function loadMe(force = false): Promise<Me | null> {
  if (!meLoaded || force) {
    meLoaded = request<Me>("GET", "/api/v1/auth/me")
      .then((m) => { me = m; csrf = m.csrf_token ?? ""; return m; })
      .catch(() => { me = null; csrf = ""; return null; });
  }
  return meLoaded;
}

export async function login(email: string, password: string): Promise<Me> {
  const r = await request<{ user: Me; csrf_token: string }>("POST", "/api/v1/auth/login", { email, password });
  csrf = r.csrf_token;
  me = r.user;
  meLoaded = Promise.resolve(me);
  return me;
}

export async function logout(): Promise<void> {
  try { await request("POST", "/api/v1/auth/logout"); } finally { me = null; csrf = ""; meLoaded = Promise.resolve(null); }
}

export function hasRole(role: string, scope?: { municipality?: number | null; actor?: number | null }): boolean {
  if (!me) return false;
  return me.grants.some((g) => {
    if (g.role === "platform_admin") return true;
    if (g.role !== role) return false;
    if (scope?.municipality != null && g.municipality != null && g.municipality !== scope.municipality) return false;
    if (scope?.actor != null && g.actor !== scope.actor) return false;
    return true;
  });
}

export function myActors(): number[] {
  return (me?.grants ?? []).filter((g) => g.role === "actor_member" && g.actor != null).map((g) => g.actor as number);
}

let routeTable: Set<string> | null = null;
// Whether the server offers an API route ("GET /api/v1/rounds/{id}/results"), from the OpenAPI document.
export async function hasRoute(method: string, path: string): Promise<boolean> {
  if (!routeTable) {
    routeTable = new Set();
    try {
      const doc = await request<{ paths: Record<string, Record<string, unknown>> }>("GET", "/api/v1/openapi.json");
      for (const [p, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) routeTable.add(m.toUpperCase() + " " + p);
    } catch { /* no document: assume nothing extra */ }
  }
  return routeTable.has(method.toUpperCase() + " " + path);
}

// GET /vocabulary: capability tags with Dutch and English labels. A tag is stored as its code
// ("volunteers") and shown by the label of the reader's language; free words are shown as typed.
export interface Term { code: string; nl: string; en: string }
let capabilityTerms: Map<string, Term> | null = null;
export async function loadVocabulary(): Promise<Map<string, Term>> {
  if (!capabilityTerms) {
    capabilityTerms = new Map();
    try {
      const v = await request<{ capabilities: Term[] }>("GET", "/api/v1/vocabulary");
      for (const c of v.capabilities) capabilityTerms.set(c.code, c);
    } catch { /* an older server: codes as they are */ }
  }
  return capabilityTerms;
}
export function capabilityTerm(code: string): Term | undefined { return capabilityTerms?.get(code); }
