// Match reasons in the reader's language. The server sends each reason with a stable `code`
// (text, capability, theme, area, closeness, partner, record, similar, owner_similar, near_similar,
// recent_partner, active, recent_similar, partners2, kind_fit, walk, unexpected, diversity; with the learned stage also invitations_accepted, invitations_declined and model_base,
// and `params.learned` with `params.direction` up or down on each feature that moved the actor),
// numbers
// (`value` in [0, 1], `params`) and the capabilities it names (`items`), besides an English
// `detail`; the UI words them from the catalogue by code and falls back to `detail` only for a
// code it does not know.
import { t, pct, num, kindLabel } from "../i18n";

export interface Reason {
  code?: string; detail?: string; contribution?: number; value?: number; items?: string[];
  params?: Record<string, number | string | boolean | string[]>;
}

function param(r: Reason, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = r.params?.[n];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return undefined;
}

export function reasonText(r: Reason): string {
  const base = plainReasonText(r);
  if (r.params?.learned !== true || r.code === "model_base") return base;
  if (r.params?.direction === "up") return t("reason.learnedUp", { reason: base });
  if (r.params?.direction === "down") return t("reason.learnedDown", { reason: base });
  return base;
}

function plainReasonText(r: Reason): string {
  const v = param(r, "value") ?? r.value;
  const items = (Array.isArray(r.params?.items) ? (r.params?.items as string[]) : r.items) ?? [];
  const reduced = r.params?.reduced === true || /\(reduced/.test(r.detail ?? "");
  const cut = reduced ? " " + t("reason.reduced") : "";
  switch (r.code) {
    case "text":
      if (v !== undefined) return t("reason.text", { pct: pct(v) }) + cut;
      break;
    case "capability":
      if (v !== undefined) return (items.length ? t("reason.capability", { list: items.join(", "), pct: pct(v) }) : t("reason.capabilityShare", { pct: pct(v) }));
      break;
    case "theme":
      if (v !== undefined) return t("reason.theme", { pct: pct(v) }) + cut;
      break;
    case "area": {
      const same = typeof r.params?.same_municipality === "boolean" ? r.params.same_municipality : v !== undefined ? v >= 1 : undefined;
      if (v === 0) return t("reason.areaNone");
      if (same !== undefined) return same ? t("reason.areaSame") : t("reason.areaNeighbour");
      break;
    }
    case "closeness": {
      if (v === 0) return t("reason.closenessNone");
      const steps = param(r, "steps") ?? (v ? Math.round(1 / v) : undefined);
      if (steps !== undefined) return t(steps === 1 ? "reason.closenessOne" : "reason.closeness", { n: steps });
      break;
    }
    case "partner":
      if (v === 0) return t("reason.partnerNone");
      if (v !== undefined) return t("reason.partner", { pct: pct(v) });
      break;
    case "record": {
      const n = param(r, "count", "n", "records") ?? Number(/^(\d+) past/.exec(r.detail ?? "")?.[1] ?? NaN);
      if (Number.isFinite(n)) return t(n === 1 ? "reason.recordOne" : "reason.record", { n });
      break;
    }
    case "similar":
    case "owner_similar":
    case "near_similar": {
      const n = param(r, "count");
      const example = typeof r.params?.example === "string" ? r.params.example : items[0];
      const [full, short] = r.code === "similar"
        ? (["reason.similar", "reason.similarShort"] as const)
        : r.code === "owner_similar"
          ? (["reason.ownerSimilar", "reason.ownerSimilarShort"] as const)
          : (["reason.nearSimilar", "reason.nearSimilarShort"] as const);
      if (n !== undefined) return example ? t(full, { n, example }) : t(short, { n });
      break;
    }
    case "recent_similar": {
      const n = param(r, "count");
      const example = typeof r.params?.example === "string" ? r.params.example : items[0];
      if (n !== undefined) return example ? t("reason.recentSimilar", { n, example }) : t("reason.recentSimilarShort", { n });
      break;
    }
    case "recent_partner": {
      const n = param(r, "count");
      const example = typeof r.params?.example === "string" ? r.params.example : undefined;
      const year = param(r, "year");
      if (n !== undefined) return example && year !== undefined ? t("reason.recentPartner", { n, year: String(year), example }) : t("reason.recentPartnerShort", { n });
      break;
    }
    case "active": {
      const n = param(r, "count");
      const year = param(r, "year");
      if (n !== undefined) return year !== undefined ? t("reason.active", { n, year: String(year) }) : t("reason.activeShort", { n });
      break;
    }
    case "partners2": {
      const n = param(r, "count");
      if (n !== undefined) return t("reason.partners2", { n });
      break;
    }
    case "walk": {
      const n = param(r, "count");
      if (n !== undefined) return t("reason.walk", { n });
      break;
    }
    case "kind_fit": {
      const share = param(r, "share");
      const kind = typeof r.params?.kind === "string" ? r.params.kind : items[0];
      if (share !== undefined && kind) return t("reason.kindFit", { pct: pct(share), kind: kindLabel(kind).toLowerCase() });
      break;
    }
    case "invitations_accepted":
    case "invitations_declined": {
      const n = param(r, "count") ?? v;
      if (n !== undefined) return t(r.code === "invitations_accepted" ? "reason.invitationsAccepted" : "reason.invitationsDeclined", { n });
      break;
    }
    case "model_base":
      return t("reason.modelBase");
    case "unexpected":
      return t("reason.unexpected");
    case "diversity":
      return t("reason.diversity");
  }
  return r.detail ?? r.code ?? "";
}

// "(+0,23)" or "(−0,05)": the reason's share of the score (a learned model's may be negative).
export function contributionText(r: Reason): string {
  if (!r.contribution) return "";
  return r.contribution > 0 ? ` (+${num(r.contribution, 2)})` : ` (−${num(-r.contribution, 2)})`;
}
