// Message catalogues (nl is the default, en on a switch) and per-locale formatting with Intl.
// Every string the UI shows comes from here; `t` is typed on the Dutch catalogue's keys, and the
// English catalogue must have the same keys (checked by the compiler).
import { nl } from "./messages/nl";
import { en } from "./messages/en";
import { rtcNl, rtcEn } from "./messages/rtc";
import { votesNl, votesEn } from "./messages/votes";
import { cycleNl, cycleEn } from "./messages/cycle";
import { capabilityTerm } from "./api";

export type Key = keyof typeof nl | keyof typeof rtcNl | keyof typeof votesNl | keyof typeof cycleNl;
export type Locale = "nl" | "en";
const catalogues: Record<Locale, Record<Key, string>> = { nl: { ...nl, ...rtcNl, ...votesNl, ...cycleNl }, en: { ...en, ...rtcEn, ...votesEn, ...cycleEn } };

let locale: Locale = (localStorage.getItem("weefsel.locale") as Locale) === "en" ? "en" : "nl";
const url = new URLSearchParams(location.search).get("lang");
if (url === "en" || url === "nl") locale = url;

export function getLocale(): Locale { return locale; }
export function setLocale(l: Locale): void {
  locale = l;
  localStorage.setItem("weefsel.locale", l);
  document.documentElement.lang = l;
}
document.documentElement.lang = locale;

// t("key", {n: 3}) replaces {n} in the message (numbers formatted for the locale), and
// {n:organisatie|organisaties} by the singular or plural form the locale's plural rules choose for n.
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  let s = catalogues[locale][key] ?? key;
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === "number" || /^-?\d+$/.test(v)) {
      const n = Number(v);
      s = s.replace(new RegExp("\\{" + k + ":([^|}]*)\\|([^}]*)\\}", "g"), (_, one: string, other: string) => (plural(n) === "one" ? one : other));
    }
    s = s.split("{" + k + "}").join(typeof v === "number" ? num(v) : v);
  }
  return s;
}

let rules: Intl.PluralRules | null = null, rulesFor = "";
export function plural(n: number): Intl.LDMLPluralRule {
  if (!rules || rulesFor !== locale) { rules = new Intl.PluralRules(tag()); rulesFor = locale; }
  return rules.select(n);
}

const tag = () => (locale === "nl" ? "nl-NL" : "en-GB");
export function num(n: number, digits = 0): string {
  return new Intl.NumberFormat(tag(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}
export function euro(n: number): string {
  return new Intl.NumberFormat(tag(), { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(n);
}
export function date(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? iso + "T12:00:00Z" : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(tag(), { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Amsterdam" }).format(d);
}
export function pct(x: number): string {
  return new Intl.NumberFormat(tag(), { style: "percent", maximumFractionDigits: 1 }).format(x);
}

// Vocabulary shared with the server (domain/vocabulary.cc): codes with Dutch and English labels.
const THEMES: [string, string, string][] = [
  ["vergrijzing", "Vergrijzing", "Ageing"], ["eenzaamheid", "Eenzaamheid", "Loneliness"],
  ["armoede", "Armoede en schulden", "Poverty and debt"], ["jeugd", "Jeugd", "Youth"], ["onderwijs", "Onderwijs", "Education"],
  ["zorg", "Zorg en welzijn", "Care and welfare"], ["ouderenzorg", "Ouderenzorg", "Elderly care"], ["gezondheid", "Gezondheid", "Health"],
  ["energietransitie", "Energietransitie", "Energy transition"], ["klimaatadaptatie", "Klimaatadaptatie", "Climate adaptation"],
  ["circulaire_economie", "Circulaire economie", "Circular economy"], ["wonen", "Wonen", "Housing"],
  ["werk_en_participatie", "Werk en participatie", "Work and participation"], ["inclusie", "Inclusie en diversiteit", "Inclusion and diversity"],
  ["mobiliteit", "Mobiliteit", "Mobility"], ["voedsel", "Voedsel", "Food"], ["veiligheid", "Veiligheid", "Safety"],
  ["cultuur", "Cultuur", "Culture"], ["sport", "Sport en bewegen", "Sport and exercise"], ["groen", "Groen en natuur", "Green space and nature"],
  ["digitalisering", "Digitale inclusie", "Digital inclusion"], ["leefbaarheid", "Leefbaarheid", "Liveability"],
];
const KINDS: [string, string, string][] = [
  ["social_enterprise", "Sociale onderneming", "Social enterprise"], ["company", "Bedrijf", "Company"],
  ["knowledge_institution", "Kennisinstelling", "Knowledge institution"], ["citizens_initiative", "Burgerinitiatief", "Citizens' initiative"],
  ["care_welfare", "Zorg- en welzijnsorganisatie", "Care and welfare organisation"], ["foundation_funder", "Fonds of stichting", "Foundation or funder"],
  ["government", "Overheid", "Government"],
];
const SECTORS: [string, string, string][] = [
  ["government", "Overheid", "Government"], ["business", "Bedrijfsleven", "Business"],
  ["knowledge", "Kennis", "Knowledge"], ["civil_society", "Maatschappelijk middenveld", "Civil society"],
];
const PHASES: [string, string, string][] = [
  ["open", "Open", "Open"], ["matching", "Matchen", "Matching"], ["forming", "Coalitie vormen", "Forming"],
  ["proposals", "Voorstellen", "Proposals"], ["funded", "Gefinancierd", "Funded"], ["experiment", "Experiment", "Experiment"],
  ["evaluated", "Geëvalueerd", "Evaluated"], ["closed", "Gesloten", "Closed"],
];
const ROUND_PHASES: [string, string, string][] = [
  ["submission", "Indienen", "Submission"], ["review", "Beoordelen", "Review"], ["voting", "Stemmen", "Voting"],
  ["allocation", "Toewijzen", "Allocation"], ["published", "Uitslag gepubliceerd", "Results published"],
];
const BALLOTS: [string, string, string][] = [
  ["approval", "Goedkeuren (kies projecten)", "Approval (choose projects)"], ["cumulative", "Punten verdelen", "Cumulative (spread points)"],
  ["ordinal", "Rangschikken", "Ranking"], ["scoring", "Scores geven", "Scoring"],
];
const ROLES: [string, string, string][] = [
  ["platform_admin", "Beheerder", "Platform admin"], ["officer", "Ambtenaar", "Officer"],
  ["actor_member", "Lid van een organisatie", "Actor member"], ["resident", "Inwoner", "Resident"],
  ["moderator", "Moderator", "Moderator"],
];
const MEMBER: [string, string, string][] = [
  ["proposed", "Voorgesteld", "Proposed"], ["invited", "Uitgenodigd", "Invited"], ["accepted", "Geaccepteerd", "Accepted"], ["declined", "Afgeslagen", "Declined"],
  ["forming", "In vorming", "Forming"], ["formed", "Gevormd", "Formed"], ["dissolved", "Opgeheven", "Dissolved"],
];
const TIE_KINDS: [string, string, string][] = [
  ["worked_together", "Werkten samen", "Worked together"], ["partnered", "Partners", "Partners"], ["co_funded", "Samen gefinancierd", "Co-funded"],
];
const MEMBER_ROLES: [string, string, string][] = [["lead", "Penvoerder", "Lead"], ["member", "Partner", "Partner"]];
const EXPERIMENT_STATUS: [string, string, string][] = [
  ["running", "Loopt", "Running"], ["completed", "Afgerond", "Completed"], ["stopped", "Gestopt", "Stopped"],
];
const PROPOSAL_STATUS: [string, string, string][] = [
  ["draft", "Concept", "Draft"], ["submitted", "Ingediend", "Submitted"], ["in_round", "In een fondsronde", "In a fund round"],
  ["funded", "Gefinancierd", "Funded"], ["rejected", "Afgewezen", "Rejected"],
];
const FABRIC_ROLES: [string, string, string][] = [
  ["broker", "Makelaar", "Broker"], ["hub", "Spil", "Hub"], ["isolate", "Zonder verbindingen", "Isolate"], ["member", "Lid van een gemeenschap", "Community member"],
  ["peripheral", "Aan de rand", "Peripheral"],
];
function lookup(table: [string, string, string][]) {
  return (code: string) => { const r = table.find((x) => x[0] === code); return r ? (locale === "nl" ? r[1] : r[2]) : code; };
}
function options(table: [string, string, string][]) {
  return (): [string, string][] => table.map((r) => [r[0], locale === "nl" ? r[1] : r[2]]);
}
export const themeLabel = lookup(THEMES), themeOptions = options(THEMES);
export const kindLabel = lookup(KINDS), kindOptions = options(KINDS);
export const sectorLabel = lookup(SECTORS), sectorOptions = options(SECTORS);
export const phaseLabel = lookup(PHASES), phaseOptions = options(PHASES);
export const roundPhaseLabel = lookup(ROUND_PHASES), roundPhaseOptions = options(ROUND_PHASES);
export const ballotLabel = lookup(BALLOTS);
export const roleLabel = lookup(ROLES), roleOptions = options(ROLES);
export const statusLabel = lookup(MEMBER);
export const tieKindLabel = lookup(TIE_KINDS);
export const memberRoleLabel = lookup(MEMBER_ROLES);
export const experimentStatusLabel = lookup(EXPERIMENT_STATUS);
export const proposalStatusLabel = lookup(PROPOSAL_STATUS);
export const fabricRoleLabel = lookup(FABRIC_ROLES);

// A typology feature ("kind:citizens_initiative", "capability:buurtnetwerken", "theme:armoede",
// "sector:civil_society", "role:broker"), or several joined with " + ", in words.
export function featureLabel(feature: string): string {
  return feature.split(/\s*\+\s*/).map((f) => {
    const at = f.indexOf(":");
    const [k, v] = at < 0 ? ["", f] : [f.slice(0, at), f.slice(at + 1)];
    const label = ({ kind: kindLabel, sector: sectorLabel, theme: themeLabel, role: fabricRoleLabel } as Record<string, (c: string) => string>)[k];
    return label ? label(v) : v.replace(/_/g, " ");
  }).join(" + ");
}

// A capability tag in the reader's language (the vocabulary must have been loaded: loadVocabulary).
export function capabilityLabel(code: string): string {
  const term = capabilityTerm(code);
  return term ? term[getLocale()] : code;
}
