const number = new Intl.NumberFormat('fr-FR');
const dayShort = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', timeZone: 'Europe/Paris' });
const dayLong = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

export const formatNumber = (n: number): string => number.format(n);

/** "2026-01-05" (a Paris calendar day) → "5 janv." */
export const formatDayShort = (day: string): string => dayShort.format(new Date(`${day}T12:00:00Z`));

/** "2026-01-05" → "lundi 5 janvier 2026" */
export const formatDayLong = (day: string): string => dayLong.format(new Date(`${day}T12:00:00Z`));

const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 1 });
const signedPercent = new Intl.NumberFormat('fr-FR', {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});
// Two decimals: ratios such as parents per pupil are often below 0.1 (one decimal showed 0,02 as « 0 »).
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** 0.4567 → "45,7 %" */
export const formatPercent = (ratio: number): string => percent.format(ratio);

/** 12.345 → "12,35", 0.0194 → "0,02" */
export const formatDecimal = (n: number): string => decimal.format(n);

/** Seconds → "45 s", "12 min 5 s", "1 h 04 min": the way people say durations. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
  }
  const minutes = Math.round(s / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * Relative change from `previous` to `current`, "+12,5 %" / "−3 %"; undefined when there is nothing to compare to
 * (no previous figure, or a previous figure of zero).
 */
export function formatChange(current: number, previous: number | null | undefined): string | undefined {
  if (previous === null || previous === undefined || previous === 0) return undefined;
  return signedPercent.format((current - previous) / previous);
}

const instant = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** How far behind the figures may be before the page says so: the recomputation of a month takes seconds. */
const STALE_AFTER_MS = 60_000;

/**
 * What the page says of the figures' freshness (a view's meta.asOf against its generatedAt), or null when they count
 * every statement stored up to a minute before they were computed.
 */
export function freshnessNote(meta: { asOf?: string | null; generatedAt: string }): string | null {
  if (meta.asOf === undefined) return null;
  if (meta.asOf === null)
    return 'premier calcul des visites en cours : les chiffres ne comptent pas encore tous les relevés';
  if (Date.parse(meta.generatedAt) - Date.parse(meta.asOf) < STALE_AFTER_MS) return null;
  return `chiffres arrêtés au ${instant.format(new Date(meta.asOf))}, les derniers relevés sont en cours de calcul`;
}

/**
 * What the page says of a period that begins before the retention horizon (meta.retainedFrom), or null: the days
 * before it have been erased at the end of their retention, and are not counted (neither "no activity" nor secrecy).
 */
export function retentionNote(meta: { retainedFrom?: string | null; from: string; expired?: boolean }): string | null {
  if (!meta.retainedFrom || meta.from >= meta.retainedFrom || meta.expired) return null;
  return `données expirées avant le ${formatDayLong(meta.retainedFrom)} : les chiffres ne comptent que les jours suivants`;
}
