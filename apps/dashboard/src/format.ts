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
