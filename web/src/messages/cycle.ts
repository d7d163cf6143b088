// Messages of the programme cycle's last pieces (issue 18): the challenge's lead organisation, the
// receipt after voting, evidence with attachments. Merged into the catalogues by i18n.ts;
// `cycleEn` must have every key of `cycleNl` (checked by the compiler).
export const cycleNl = {
  "challenge.f.owner": "Penvoerder namens de gemeente (niet verplicht)",
  "challenge.f.ownerHint": "De eigen organisatie van de gemeente die de coalitie leidt. Elke voorgestelde coalitie heeft haar dan als penvoerder.",
  "challenge.f.noOwner": "Geen penvoerder",
  "challenge.owner": "Penvoerder",
};

export const cycleEn: Record<keyof typeof cycleNl, string> = {
  "challenge.f.owner": "Lead organisation for the municipality (optional)",
  "challenge.f.ownerHint": "The municipality's own organisation that leads the coalition. Every suggested coalition then has it as lead.",
  "challenge.f.noOwner": "No lead",
  "challenge.owner": "Lead",
};
