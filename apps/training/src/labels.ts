/** French words for the training space's codes, and Europe/Paris formats for its dates. */
export const STATUS_LABEL: Record<string, string> = {
  not_started: 'Non commencé',
  in_progress: 'En cours',
  completed: 'Terminé',
  passed: 'Réussi',
  failed: 'Échoué',
  waived: 'Dispensé',
};

export const STATUS_BADGE: Record<string, string> = {
  not_started: 'fr-badge--info',
  in_progress: 'fr-badge--new',
  completed: 'fr-badge--success',
  passed: 'fr-badge--success',
  failed: 'fr-badge--error',
  waived: 'fr-badge--purple-glycine',
};

export const KIND_LABEL: Record<string, string> = {
  page: 'Page',
  quiz: 'Quiz',
  depot: 'Dépôt',
  cmi5: 'Module cmi5',
};

export const MODE_LABEL: Record<string, string> = { accompagne: 'Accompagné', autoformation: 'Autoformation' };
export const ORIGIN_LABEL: Record<string, string> = { national: 'National', academie: 'Académique' };

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** A calendar day (YYYY-MM-DD) or an instant, as people read it in France. */
export function frDate(value: string | null | undefined): string {
  if (!value) return '—';
  return dateFormat.format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value));
}

export function frDateTime(value: string | null | undefined): string {
  return value ? dateTimeFormat.format(new Date(value)) : '—';
}

export function frHours(h: number): string {
  return `${String(h).replace('.', ',')} h`;
}

export function frDuration(seconds: number): string {
  if (seconds <= 0) return '—';
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
}

export function frPercent(scaled: number | null): string {
  return scaled === null ? '—' : `${Math.round(scaled * 100)} %`;
}

export function dates(startsOn: string | null, endsOn: string | null): string {
  if (!startsOn && !endsOn) return 'Sans dates : à suivre à son rythme';
  if (startsOn && endsOn) return `Du ${frDate(startsOn)} au ${frDate(endsOn)}`;
  return startsOn ? `À partir du ${frDate(startsOn)}` : `Jusqu’au ${frDate(endsOn)}`;
}
