import {
  COMPETENCE_LEVEL_LABELS,
  SERVICE_LABELS,
  SOCLE_COMPONENTS,
  SOCLE_COMPONENT_LABELS,
  SOCLE_COMPONENT_SHORT_LABELS,
  SUBJECTS,
} from '@ent-observatory/xapi/ent-profile';

export { SOCLE_COMPONENTS, SOCLE_COMPONENT_LABELS, SOCLE_COMPONENT_SHORT_LABELS };

/** A subject code as the profile names it → its French label; other codes as sent. */
export function subjectLabel(code: string): string {
  return (SUBJECTS as Record<string, string>)[code] ?? (code || 'Sans matière');
}

/** 0 → « Dispensé », 1–4 → the LSU wording. */
export function levelLabel(level: number): string {
  return level === 0 ? 'Dispensé' : (COMPETENCE_LEVEL_LABELS[level - 1] ?? String(level));
}

export const ALERT_LABELS: Record<string, string> = {
  INACTIVITY: 'Inactivité',
  MISSING_HOMEWORK: 'Devoirs non rendus',
  LATE_HOMEWORK: 'Retards répétés',
  FALLING_SCORES: 'Notes en baisse',
};

export const STATUS_LABELS: Record<string, string> = {
  done: 'Rendu',
  late: 'Rendu en retard',
  missing: 'Non rendu',
  pending: 'À rendre',
};

/** A timeline entry's service (docs/follow-up-api.md): the DNMA label, the training space, or « autre service ». */
export function timelineServiceLabel(service: string): string {
  if (service === 'formation') return 'Espace de formation';
  if (service === 'autre' || service === '') return 'autre service';
  return (SERVICE_LABELS as Record<string, string>)[service] ?? service;
}

export const KIND_LABELS: Record<string, string> = {
  activity: 'Consultation',
  submitted: 'Devoir rendu',
  scored: 'Note',
  positioned: 'Positionnement',
};

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});
const date = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
const mark = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** An instant (ISO, UTC) shown in Paris time: « lun. 9 nov., 18:00 ». */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
/** An instant or a Paris day: « 9 nov. 2026 ». */
export const formatDate = (isoOrDay: string): string =>
  date.format(new Date(isoOrDay.length === 10 ? `${isoOrDay}T12:00:00Z` : isoOrDay));
export const formatMark = (n: number): string => `${mark.format(n)}/20`;

/** Today as a Paris calendar day. */
export function parisToday(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
}

/** 1 August of the school year of a day ('2026-11-30' → '2026-08-01'). */
export function schoolYearStartOf(day: string): string {
  const year = Number(day.slice(0, 4));
  return `${Number(day.slice(5, 7)) >= 8 ? year : year - 1}-08-01`;
}

/** A CSV file for French spreadsheets: `;`, decimal comma, UTF-8 byte-order mark, CRLF. */
export function csvOf(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : typeof v === 'number' ? String(v).replace('.', ',') : v;
    return /[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}

export function download(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
