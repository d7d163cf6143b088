// Message catalogues (nl is the default, en on a switch) and per-locale formatting with Intl.
// Every string the UI shows comes from here; `t` is typed on the Dutch catalogue's keys, and the
// English catalogue must have the same keys (checked by the compiler).
import { nl } from "./messages/nl";
import { en } from "./messages/en";
import { rtcNl, rtcEn } from "./messages/rtc";
import { votesNl, votesEn } from "./messages/votes";
import { cycleNl, cycleEn } from "./messages/cycle";
import { capabilityTerm } from "./api";
import vocabulary from "./generated/vocabulary.json";

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
  return fill(catalogues[locale][key] ?? key, vars);
}
function fill(template: string, vars: Record<string, string | number>): string {
  let s = template;
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

// The controlled vocabularies come from the server (GET /api/v1/vocabulary, generated into
// src/generated/vocabulary.json by `make openapi`; a test fails when it drifts): themes, actor kinds
// and sectors with their Dutch and English labels, and the challenge and round phases in programme
// order. Only the words for the phases are the UI's own.
type Labelled = [string, string, string];
const fromServer = (terms: { code: string; nl: string; en: string }[]): Labelled[] => terms.map((x) => [x.code, x.nl, x.en]);
const THEMES = fromServer(vocabulary.themes);
const KINDS = fromServer(vocabulary.actor_kinds);
const SECTORS = fromServer(vocabulary.sectors);
const PHASE_WORDS: Record<string, [string, string]> = {
  open: ["Open", "Open"], matching: ["Matchen", "Matching"], forming: ["Coalitie vormen", "Forming"], proposals: ["Voorstellen", "Proposals"],
  funded: ["Gefinancierd", "Funded"], experiment: ["Experiment", "Experiment"], evaluated: ["Geëvalueerd", "Evaluated"], closed: ["Gesloten", "Closed"],
};
const ROUND_PHASE_WORDS: Record<string, [string, string]> = {
  submission: ["Indienen", "Submission"], review: ["Beoordelen", "Review"], voting: ["Stemmen", "Voting"],
  allocation: ["Toewijzen", "Allocation"], published: ["Uitslag gepubliceerd", "Results published"],
};
const inOrder = (codes: string[], words: Record<string, [string, string]>): Labelled[] =>
  codes.map((c) => [c, words[c]?.[0] ?? c, words[c]?.[1] ?? c]);
// The programme path of a challenge (closed is the way out from any phase, not a step of it).
export const CHALLENGE_PHASES: readonly string[] = vocabulary.challenge_phases;
const PHASES = inOrder([...vocabulary.challenge_phases, "closed"], PHASE_WORDS);
export const ROUND_PHASES_IN_ORDER: readonly string[] = vocabulary.round_phases;
const ROUND_PHASES = inOrder(vocabulary.round_phases, ROUND_PHASE_WORDS);
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

// ---- Refusals ---------------------------------------------------------------------------------
// The server's refusals carry a stable `code` with string `params` (docs/api.md, "Refusal codes";
// the list is http/dispatch.cc RefusalCodes()). This is the one table that words them: Dutch and
// English per code, {param} filled in (phases, statuses and amounts in words, numbers with Intl).
// A "code.variant" row is chosen by a parameter (an empty `next`, the kind of verification).
const REFUSALS: Record<string, [string, string]> = {
  invalid_request: ["Het verzoek klopt niet; probeer het opnieuw.", "The request is not right; try again."],
  invalid_field: ["Controleer wat u invulde bij ‘{field}’ en probeer het opnieuw.", "Check what you entered for ‘{field}’ and try again."],
  sign_in_required: ["Log eerst in.", "Please sign in first."],
  forbidden: ["Dit mag u niet doen.", "You may not do this."],
  not_found: ["{What} {id} bestaat niet (meer). Misschien is het verwijderd of klopt de link niet.",
    "{What} {id} does not exist (any more). It may have been removed, or the link is wrong."],
  method_not_allowed: ["Het verzoek klopt niet; probeer het opnieuw.", "The request is not right; try again."],
  request_timeout: ["Het verzoek kwam niet op tijd aan. Probeer het opnieuw.", "The request did not arrive in time. Try again."],
  uri_too_long: ["Het adres is te lang.", "The address is too long."],
  unsupported_media_type: ["Het verzoek klopt niet; probeer het opnieuw.", "The request is not right; try again."],
  already_exists: ["Dit bestaat al.", "This already exists."],
  conflict: ["Dit kan nu niet: het past niet bij de huidige stand, of iemand anders heeft het intussen veranderd.",
    "This cannot be done now: it does not fit the current state, or someone changed it meanwhile."],
  too_large: ["Dit is te groot om te versturen.", "This is too large to send."],
  rate_limited: ["Te veel pogingen. Wacht {minutes} {minutes:minuut|minuten} en probeer het dan opnieuw.",
    "Too many attempts. Wait {minutes} {minutes:minute|minutes} and try again."],
  unavailable: ["De server is even niet bereikbaar. Probeer het over een paar minuten opnieuw.", "The server is briefly unavailable. Try again in a few minutes."],
  building: ["Dit wordt nog berekend. Probeer het over {retry_after} seconden opnieuw.",
    "This is still being computed. Try again in {retry_after} seconds."],
  internal: ["Er ging aan onze kant iets mis. Probeer het later opnieuw.", "Something went wrong on our side. Try again later."],
  wrong_credentials: ["Het e-mailadres of het wachtwoord klopt niet.", "The e-mail address or the password is not right."],
  account_blocked: ["Een moderator heeft dit account geblokkeerd.", "A moderator has blocked this account."],
  email_taken: ["Er is al een account met dit e-mailadres. Log in met dat account.", "An account with this e-mail address exists already. Sign in with it."],
  admin_only: ["Dit mag alleen een beheerder van het platform.", "Only a platform admin may do this."],
  own_only: ["Dit kan alleen voor uw eigen account.", "This is only possible for your own account."],
  oidc_identity_taken: ["Dit account bij {provider} is al aan een ander account op dit platform gekoppeld. Ontkoppel het daar eerst.",
    "This account at {provider} is linked to another account on this platform already. Unlink it there first."],
  oidc_last_sign_in: ["U logt alleen via deze inlogdienst in (uw account heeft geen wachtwoord). Koppel eerst een andere inlogdienst.",
    "You sign in only through this service (your account has no password). Link another sign-in service first."],
  not_officer_of_municipality: ["Dit mag alleen een ambtenaar van deze gemeente.", "Only an officer of this municipality may do this."],
  not_resident_of_municipality: ["Dit mogen alleen inwoners van deze gemeente.", "Only residents of this municipality may do this."],
  not_coalition_member: ["Dit mogen alleen leden van de organisaties in deze coalitie.", "Only members of the coalition's organisations may do this."],
  phase_not_editable: ["De fase verandert u met de knop voor de volgende fase, één stap tegelijk.", "The phase changes with the button for the next phase, one step at a time."],
  phase_move_not_allowed: ["{The} staat in de fase ‘{from}’ en kan niet naar ‘{to}’; de volgende fase is ‘{next}’.",
    "{The} is in the phase ‘{from}’ and cannot move to ‘{to}’; its next phase is ‘{next}’."],
  "phase_move_not_allowed.last": ["{The} staat in de fase ‘{from}’ en kan niet naar ‘{to}’; dit is de laatste fase.",
    "{The} is in the phase ‘{from}’ and cannot move to ‘{to}’; this is its last phase."],
  "phase_move_not_allowed.same": ["{The} staat al in de fase ‘{from}’.", "{The} is in the phase ‘{from}’ already."],
  status_move_not_allowed: ["{The} heeft de status ‘{from}’ en kan niet naar ‘{to}’.", "{The} is ‘{from}’ and cannot become ‘{to}’."],
  challenge_past_proposals: ["De uitdaging staat al in de fase ‘{phase}’; dit kan alleen tot en met de fase ‘{proposals}’.",
    "The challenge is in the phase ‘{phase}’ already; this is possible only up to the phase ‘{proposals}’."],
  wrong_round_phase: ["De fondsronde staat in de fase ‘{phase}’; dit kan alleen in de fase ‘{needs}’.",
    "The fund round is in the phase ‘{phase}’; this is possible only in the phase ‘{needs}’."],
  wrong_challenge_phase: ["De uitdaging staat in de fase ‘{phase}’; dit kan alleen in de fase ‘{needs}’.",
    "The challenge is in the phase ‘{phase}’; this is possible only in the phase ‘{needs}’."],
  wrong_proposal_status: ["Het voorstel heeft de status ‘{status}’; dit kan alleen met de status ‘{needs}’.",
    "The proposal is ‘{status}’; this is possible only when it is ‘{needs}’."],
  round_fixed: ["In de fase ‘{phase}’ liggen het budget, de projecten en de criteria van de fondsronde vast.",
    "In the phase ‘{phase}’ the budget, projects and criteria of the fund round are fixed."],
  proposal_not_revisable: ["Een voorstel met de status ‘{status}’ krijgt geen nieuwe versies meer.", "A proposal that is ‘{status}’ takes no new versions."],
  too_many_versions: ["Een voorstel heeft hoogstens {max} versies; begin een nieuw voorstel.", "A proposal has at most {max} versions; start a new proposal."],
  coalition_dissolved: ["Deze coalitie is opgeheven en neemt geen uitnodigingen meer aan.", "This coalition has been dissolved and takes no invitations."],
  already_accepted: ["Deze organisatie heeft de uitnodiging al geaccepteerd.", "This organisation has accepted the invitation already."],
  already_supports: ["U steunt dit voorstel al.", "You support this proposal already."],
  not_supporting: ["U steunt dit voorstel niet.", "You do not support this proposal."],
  already_in_round: ["Dit voorstel is al een project in deze fondsronde.", "This proposal is a project of this fund round already."],
  voting_not_open: ["Het stemmen is nog niet begonnen.", "Voting has not opened yet."],
  voting_closed: ["Het stemmen is gesloten.", "Voting has closed."],
  "verification_required.code": ["Vul eerst de stemcode uit uw brief in. Zonder stemcode kunt u in deze ronde niet stemmen.", "Enter the voting code from your letter first. Without a voting code you cannot vote in this round."],
  "verification_required.digid": ["Voor deze ronde logt u in met DigiD, of koppelt u DigiD op de pagina Mijn account.",
    "In this round you sign in with DigiD, or link DigiD on the page My account."],
  "verification_required.census": ["Vul eerst uw BSN, postcode en geboortedatum in: daarmee bevestigt u in deze ronde wie u bent.",
    "In this round you confirm who you are with your citizen service number (BSN), postcode and date of birth."],
  ballot_voided: ["Een ambtenaar heeft uw stem in deze ronde ongeldig verklaard; u kunt niet opnieuw stemmen.",
    "An officer voided your ballot in this round; you cannot vote in it again."],
  not_voted: ["U heeft in deze ronde nog niet gestemd.", "You have not voted in this round."],
  ballot_points_per_project: ["Geef hoogstens {max} {max:punt|punten} per project.", "Give at most {max} {max:point|points} per project."],
  ballot_too_many_points: ["U verdeelt {points} punten, meer dan de {max} die u heeft.", "You spend {points} points, more than the {max} you have."],
  ballot_too_few_projects: ["Kies minstens {min} {min:project|projecten}.", "Choose at least {min} {min:project|projects}."],
  ballot_too_many_projects: ["Kies hoogstens {max} {max:project|projecten}.", "Choose at most {max} {max:project|projects}."],
  budget_exceeded: ["Als er {amount_eur} vrijkomt, komt het totaal op {total_eur}: meer dan de {budget_eur} die is toegekend.",
    "Releasing {amount_eur} would bring the total to {total_eur}: more than the {budget_eur} granted."],
  milestone_released: ["Het geld van mijlpaal {milestone} is al vrijgegeven.", "The money of milestone {milestone} has been released already."],
  already_decided: ["Over dit bewijs is al besloten: het is {decision}.", "This evidence has been decided on already: it was {decision}."],
  campaign_closed: ["Deze campagne is gesloten sinds het eind van {deadline}.", "This campaign closed at the end of {deadline}."],
  infeasible_coalition: ["Met deze eisen is geen coalitie te vormen.", "No coalition can meet these requirements."],
  password_too_short: ["Het wachtwoord moet minstens {min} tekens hebben.", "The password needs at least {min} characters."],
  password_too_long: ["Het wachtwoord mag hoogstens {max} tekens hebben.", "The password may have at most {max} characters."],
  password_too_weak: ["Dit wachtwoord is te makkelijk te raden. Kies een langer wachtwoord, bijvoorbeeld een paar losse woorden.", "This password is too easy to guess. Choose a longer one, for example a few separate words."],
  too_many_registrations: ["Er zijn vanaf dit adres te veel accounts gemaakt. Wacht {minutes} {minutes:minuut|minuten} en probeer het dan opnieuw.", "Too many accounts were made from this address. Wait {minutes} {minutes:minute|minutes} and try again."],
  pow_required: ["Uw browser moest eerst een kleine rekensom maken. Probeer het opnieuw.", "Your browser first had to solve a small sum. Please try again."],
  pow_unknown: ["De rekensom van uw browser hoort niet (meer) bij deze server. Probeer het opnieuw.", "Your browser's sum does not belong to this server (any more). Please try again."],
  pow_expired: ["De rekensom van uw browser was verlopen. Probeer het opnieuw.", "Your browser's sum had expired. Please try again."],
  pow_used: ["De rekensom van uw browser was al gebruikt. Probeer het opnieuw.", "Your browser's sum had been used already. Please try again."],
  pow_wrong: ["De rekensom van uw browser klopte niet. Probeer het opnieuw.", "Your browser's sum was not right. Please try again."],
  not_moderator_of_municipality: ["Dit mogen alleen moderatoren en ambtenaren van de gemeente.", "Only moderators and officers of the municipality may do this."],
  report_own: ["U kunt uw eigen bijdrage of profiel niet melden.", "You cannot report your own contribution or profile."],
  already_reported: ["U heeft dit al gemeld. Een moderator kijkt ernaar.", "You have reported this already. A moderator will look at it."],
  already_hidden: ["Dit is al verborgen.", "This is hidden already."],
  not_hidden: ["Dit is niet verborgen.", "This is not hidden."],
  report_handled: ["Deze melding is al afgehandeld ({status}).", "This report has been handled already ({status})."],
  block_own: ["U kunt uw eigen account niet blokkeren.", "You cannot block your own account."],
  block_staff: ["Een account van een beheerder of ambtenaar kan niet worden geblokkeerd. Trek eerst die rol in.", "An admin's or officer's account cannot be blocked. Revoke that role first."],
  already_blocked: ["Dit account is al geblokkeerd.", "This account is blocked already."],
  not_blocked: ["Dit account is niet geblokkeerd.", "This account is not blocked."],
  eligibility_fixed: ["Wie mag stemmen ligt vast zodra het stemmen begint; de fondsronde staat in de fase ‘{phase}’.", "Who may vote is fixed once voting opens; the fund round is in the phase ‘{phase}’."],
  wrong_verification: ["Deze ronde controleert kiezers op een andere manier ({verification}); dit kan alleen bij {needs}.", "This round checks voters another way ({verification}); this is possible only with {needs}."],
  round_open_to_all: ["In deze ronde stemt iedere inwoner zonder extra controle; stem op de gewone manier.", "Every resident votes in this round without an extra check; vote the ordinary way."],
  wijk_not_voting: ["Wijk {wijk} stemt niet mee in deze ronde.", "Wijk {wijk} does not vote in this round."],
  wijk_required: ["Deze ronde is voor bepaalde wijken: kies een wijk.", "This round is for named wijken: choose one."],
  voting_code_unknown: ["Deze stemcode hoort niet bij deze stemronde. Controleer de code in uw brief.", "This voting code does not belong to this round. Check the code in your letter."],
  voting_code_used: ["Deze stemcode is al gebruikt. Elke code werkt maar één keer.", "This voting code has been used already. Each code works once."],
  census_no_match: ["We vinden niemand met dit BSN, deze postcode en geboortedatum in de registratie van deze ronde. Controleer wat u invulde.", "We find nobody with this citizen service number, postcode and date of birth in this round's register. Check what you entered."],
  census_voted: ["Deze inwoner heeft in deze ronde al gestemd.", "This resident has voted in this round already."],
  too_young: ["In deze ronde stemmen inwoners vanaf {min_age} jaar.", "In this round residents vote from the age of {min_age}."],
  ballot_token_unknown: ["Geen stem in deze ronde hoort bij dit stembewijs. Stem opnieuw met uw stemcode of gegevens.", "No ballot in this round has this ballot token. Vote again with your voting code or details."],
  verified_ballot_cast: ["Met uw account is in deze ronde al gestemd. Uw stem wijzigen kan met het stembewijs.", "Your account has voted in this round already. You can change your vote with its ballot token."],
  round_published: ["De uitslag van deze ronde is gepubliceerd; de stemmen liggen vast.", "The result of this round is published; its ballots are final."],
  voting_code_malformed: ["Een stemcode heeft 12 letters en cijfers, zoals 7KQM-4XRT-H2PW (zonder 0, O, 1 of I).", "A voting code has 12 letters and digits, such as 7KQM-4XRT-H2PW (no 0, O, 1 or I)."],
  census_malformed: ["Controleer het formaat: BSN (9 cijfers), postcode zoals 3511 AB, geboortedatum.", "Check the format: BSN (9 digits), postcode such as 3511 AB, date of birth."],
  ballots_sealed: ["De stemmen in deze ronde zijn geheim en aan niemand gekoppeld; er kan er geen ongeldig worden verklaard.", "The ballots of this round are secret and linked to nobody; none can be voided."],
  task_closed: ["Deze taak staat niet (meer) open voor het uitdaagrecht.", "This task is not open to the Right to Challenge (any more)."],
  not_bidder: ["Alleen wie het verzoek indiende en leden van het initiatief mogen het aanpassen.", "Only the filer and members of the initiative may change the bid."],
  bid_fixed: ["Het verzoek ligt vast sinds de beoordeling begon; het staat op ‘{step}’.", "The bid is fixed since the assessment began; it is at ‘{step}’."],
  step_not_refusable: ["Een uitdaging op de stap ‘{step}’ kan niet meer worden geweigerd.", "A challenge at the step ‘{step}’ can no longer be refused."],
  step_move_not_allowed: ["Een uitdaging op de stap ‘{from}’ kan niet naar ‘{to}’; de volgende stap is ‘{next}’.", "A challenge at the step ‘{from}’ cannot move to ‘{to}’; its next step is ‘{next}’."],
  "step_move_not_allowed.last": ["Een uitdaging op de stap ‘{from}’ kan niet naar ‘{to}’; dit is de laatste stap.", "A challenge at the step ‘{from}’ cannot move to ‘{to}’; this is its last step."],
  agreement_needs_actor: ["Een overeenkomst wordt met een organisatie gesloten. Laat het initiatief eerst als organisatie registreren.", "An agreement is made with an organisation. Have the initiative registered as one first."],
};
// The words of entities a refusal names: [Dutch, the Dutch with its article, English].
const NOUNS: Record<string, [string, string, string]> = {
  challenge: ["Uitdaging", "De uitdaging", "Challenge"], round: ["Fondsronde", "De fondsronde", "Fund round"],
  proposal: ["Voorstel", "Het voorstel", "Proposal"], actor: ["Organisatie", "De organisatie", "Organisation"],
  coalition: ["Coalitie", "De coalitie", "Coalition"], experiment: ["Experiment", "Het experiment", "Experiment"],
  municipality: ["Gemeente", "De gemeente", "Municipality"], user: ["Account", "Het account", "Account"],
  tie: ["Relatie", "De relatie", "Tie"], token: ["API-sleutel", "De API-sleutel", "API token"], evidence: ["Bewijs", "Het bewijs", "Evidence"],
  campaign: ["Campagne", "De campagne", "Campaign"], comment: ["Reactie", "De reactie", "Comment"], report: ["Melding", "De melding", "Report"],
  task: ["Taak", "De taak", "Task"], "task challenge": ["Uitdaagrecht-verzoek", "Het uitdaagrecht-verzoek", "Right to Challenge bid"],
};
// Field names a refusal may name (the last part of "challenge.title"), in words.
const FIELDS: Record<string, [string, string]> = {
  title: ["Titel", "Title"], name: ["Naam", "Name"], display_name: ["Naam", "Name"], email: ["E-mailadres", "E-mail address"],
  password: ["Wachtwoord", "Password"], budget_eur: ["Budget", "Budget"], description: ["Beschrijving", "Description"],
  summary: ["Samenvatting", "Summary"], plan: ["Plan", "Plan"], text: ["Tekst", "Text"], body: ["Tekst", "Text"], date: ["Datum", "Date"],
  deadline: ["Einddatum", "Deadline"], amount_eur: ["Bedrag", "Amount"], cost_eur: ["Kosten", "Cost"], link: ["Link", "Link"],
  reason: ["Reden", "Reason"], entries: ["Uw stem", "Your ballot"], phase: ["Fase", "Phase"], municipality: ["Gemeente", "Municipality"],
  area: ["Gebied", "Area"], themes: ["Thema's", "Themes"], capabilities: ["Vaardigheden", "Capabilities"], value: ["Waarde", "Value"],
  website: ["Website", "Website"], kind: ["Soort", "Kind"], q: ["Zoekterm", "Search term"], parent: ["Reactie", "Comment"],
  code: ["Stemcode", "Voting code"], identifier: ["BSN", "Citizen service number"], postcode: ["Postcode", "Postcode"],
  birth_date: ["Geboortedatum", "Date of birth"], data: ["Bestand", "File"], files: ["Bestanden", "Files"], decision: ["Besluit", "Decision"], note: ["Toelichting", "Note"],
};

// The refusal in the reader's language, or undefined when the code (or a parameter it needs) is
// unknown here: the caller then words it from the HTTP status and the field.
export function refusalText(code: string, params: Record<string, string> = {}): string | undefined {
  const p = params;
  let row = REFUSALS[code];
  if (code === "phase_move_not_allowed" && !p.next) row = REFUSALS["phase_move_not_allowed.last"];
  if (code === "phase_move_not_allowed" && p.from === p.to) row = REFUSALS["phase_move_not_allowed.same"];
  if (code === "verification_required") row = REFUSALS["verification_required." + p.by];
  if (code === "step_move_not_allowed" && !p.next) row = REFUSALS["step_move_not_allowed.last"];
  if (!row) return undefined;
  // The Right to Challenge's steps, the ways a round checks its voters and a report's status, in words.
  const rtc = ["bid_fixed", "step_not_refusable", "step_move_not_allowed"].includes(code);
  const verifications: Record<string, [string, string]> = { open: ["iedereen", "everyone"], code: ["stemcodes", "voting codes"],
    census: ["de basisregistratie", "the census"], digid: ["DigiD", "DigiD"] };
  const reportStatus: Record<string, [string, string]> = { dismissed: ["afgewezen", "dismissed"], hidden: ["verborgen", "hidden"], open: ["open", "open"] };
  const vars: Record<string, string | number> = {};
  const phase = (c: string) => (p.what === "round" || ["wrong_round_phase", "round_fixed", "eligibility_fixed"].includes(code) ? roundPhaseLabel(c) : phaseLabel(c));
  for (const [k, v] of Object.entries(p)) {
    if (rtc && ["step", "from", "to", "next"].includes(k)) vars[k] = t(("rtcstep." + v) as Key);
    else if (code === "wrong_verification") vars[k] = verifications[v]?.[locale === "nl" ? 0 : 1] ?? v;
    else if (code === "report_handled" && k === "status") vars[k] = reportStatus[v]?.[locale === "nl" ? 0 : 1] ?? v;
    else if (k.endsWith("_eur") && /^-?\d+$/.test(v)) vars[k] = euro(Number(v));
    else if (["from", "to", "next", "phase", "needs"].includes(k) && code !== "status_move_not_allowed" && code !== "wrong_proposal_status") vars[k] = phase(v);
    else if (["from", "to", "status", "needs"].includes(k)) vars[k] = proposalStatusLabel(v);
    else if (k === "deadline") vars[k] = date(v);
    else if (k === "decision") vars[k] = ({ approved: ["goedgekeurd", "approved"], rejected: ["afgewezen", "rejected"] } as Record<string, string[]>)[v]?.[locale === "nl" ? 0 : 1] ?? v;
    else if (k === "field") { const f = FIELDS[v.slice(v.lastIndexOf(".") + 1)]; if (f) vars[k] = f[locale === "nl" ? 0 : 1]; }
    else if (k === "id") vars[k] = v;  // an id, not an amount: no grouping
    else if (/^\d+$/.test(v)) vars[k] = Number(v);
    else if (k !== "what") vars[k] = v;
  }
  const noun = NOUNS[p.what ?? ""];
  if (noun) { vars.What = locale === "nl" ? noun[0] : noun[2]; vars.The = locale === "nl" ? noun[1] : "The " + noun[2].toLowerCase(); }
  if (code === "rate_limited" || code === "too_many_registrations") vars.minutes = Math.max(1, Math.ceil(Number(p.retry_after ?? 60) / 60));
  if (code === "challenge_past_proposals") vars.proposals = phaseLabel("proposals");
  const out = fill(row[locale === "nl" ? 0 : 1], vars);
  return /\{\w+\}/.test(out) ? undefined : out;  // a parameter it needs is missing
}
