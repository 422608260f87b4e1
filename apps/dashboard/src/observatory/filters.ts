/**
 * The observatory's filters live in the URL query string, so that a view can be bookmarked and shared. This module
 * is pure: it parses a query string into filters (ignoring what it does not understand, so an old or hand-edited
 * link still opens), writes filters back (omitting defaults, so links stay short) and turns them into the GraphQL
 * `ObservatoryFilter` of docs/observatory-api.md.
 */

export const PROFILES = ['ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL', 'AUTRE'] as const;
export type Profile = (typeof PROFILES)[number];
export const DEVICES = ['ORDINATEUR', 'SMARTPHONE', 'TABLETTE', 'AUTRE', 'INCONNU'] as const;
export type Device = (typeof DEVICES)[number];
export const SECTORS = ['PUBLIC', 'PRIVATE'] as const;
export type Sector = (typeof SECTORS)[number];
export const REP_STATUSES = ['REP_PLUS', 'REP', 'HORS_REP'] as const;
export type RepStatus = (typeof REP_STATUSES)[number];

export interface Filters {
  /** A preset ("2025-2026", "2025-2026-T2") or "custom" when from/to were given by hand. */
  period: string;
  from: string;
  to: string;
  region?: string;
  academie?: string;
  departement?: string;
  uai?: string;
  profile: Profile[];
  service: string[];
  device: Device[];
  sector?: Sector;
  rep: RepStatus[];
  /** Show the imported national DNMA figures instead of ours. */
  dnma: boolean;
}

/** What the API expects (docs/observatory-api.md, input ObservatoryFilter). */
export interface ObservatoryFilter {
  from: string;
  to: string;
  region?: string;
  academie?: string;
  departement?: string;
  uai?: string;
  profile?: Profile[];
  service?: string[];
  device?: Device[];
  sector?: Sector;
  rep?: RepStatus[];
  source?: 'OBSERVATORY' | 'DNMA';
}

export interface PeriodPreset {
  key: string;
  label: string;
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SCHOOL_YEAR = /^(\d{4})-(\d{4})$/;
const TERM = /^(\d{4})-(\d{4})-T([123])$/;

/** The school year a Paris calendar day belongs to: it starts on 1 September. */
export function schoolYearOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return day.slice(5) >= '09-01' ? year : year - 1;
}

/**
 * A school year runs 1 September – 31 August; its three terms (trimestres) are September–December,
 * January–March and April to the summer holidays (kept to 31 August so no activity falls outside every term).
 */
export function presetPeriod(key: string): PeriodPreset | undefined {
  const year = SCHOOL_YEAR.exec(key);
  if (year && Number(year[2]) === Number(year[1]) + 1) {
    const start = Number(year[1]);
    return { key, label: `Année scolaire ${start}-${start + 1}`, from: `${start}-09-01`, to: `${start + 1}-08-31` };
  }
  const term = TERM.exec(key);
  if (term && Number(term[2]) === Number(term[1]) + 1) {
    const start = Number(term[1]);
    const next = start + 1;
    const [from, to, months] =
      term[3] === '1'
        ? [`${start}-09-01`, `${start}-12-31`, 'sept.–déc.']
        : term[3] === '2'
          ? [`${next}-01-01`, `${next}-03-31`, 'janv.–mars']
          : [`${next}-04-01`, `${next}-08-31`, 'avril–août'];
    return { key, label: `${term[3]}${term[3] === '1' ? 'er' : 'e'} trimestre ${start}-${next} (${months})`, from, to };
  }
  return undefined;
}

/** The presets offered in the filter bar: the current and previous school years and their terms. */
export function periodPresets(today: string): PeriodPreset[] {
  const current = schoolYearOf(today);
  return [current, current - 1].flatMap((start) => {
    const year = `${start}-${start + 1}`;
    return [year, `${year}-T1`, `${year}-T2`, `${year}-T3`].map((k) => presetPeriod(k)!);
  });
}

const validDay = (s: string | null): s is string =>
  s !== null && DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Comma-separated list values kept only when they belong to `allowed`, without duplicates. */
function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(',').map((s) => s.trim().toUpperCase()));
  return allowed.filter((v) => wanted.has(v));
}

const code = (raw: string | null, pattern: RegExp): string | undefined =>
  raw && pattern.test(raw.toUpperCase()) ? raw.toUpperCase() : undefined;

/**
 * Filters from a query string. `today` (a Paris calendar day) gives the default period: the current school year.
 * A preset in progress ends today, so that trends do not show the future as empty weeks.
 */
export function parseFilters(query: URLSearchParams, today: string): Filters {
  const from = query.get('du');
  const to = query.get('au');
  let period: { period: string; from: string; to: string };
  const preset = presetPeriod(query.get('periode') ?? '');
  if (validDay(from) && validDay(to) && from <= to) {
    period = { period: 'custom', from, to };
  } else {
    const chosen = preset ?? presetPeriod(`${schoolYearOf(today)}-${schoolYearOf(today) + 1}`)!;
    period = { period: chosen.key, from: chosen.from, to: chosen.to < today ? chosen.to : today };
    if (period.from > period.to) period.to = chosen.to;
  }
  const sector = query.get('secteur')?.toUpperCase();
  return {
    ...period,
    region: code(query.get('region'), /^\d{2}$/),
    academie: code(query.get('academie'), /^\d{2}$/),
    departement: code(query.get('departement'), /^(\d{3}|02[AB])$/),
    uai: code(query.get('uai'), /^\d{7}[A-Z]$/),
    profile: listOf(query.get('profil'), PROFILES),
    service: (query.get('service') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => /^[a-z_]+$/.test(s)),
    device: listOf(query.get('appareil'), DEVICES),
    sector: (SECTORS as readonly string[]).includes(sector ?? '') ? (sector as Sector) : undefined,
    rep: listOf(query.get('rep'), REP_STATUSES),
    dnma: query.get('source') === 'dnma',
  };
}

/** The query string (without "?") of filters; default values are left out. */
export function serialiseFilters(f: Filters, today: string): string {
  const q = new URLSearchParams();
  const defaultPeriod = `${schoolYearOf(today)}-${schoolYearOf(today) + 1}`;
  if (f.period === 'custom') {
    q.set('du', f.from);
    q.set('au', f.to);
  } else if (f.period !== defaultPeriod) {
    q.set('periode', f.period);
  }
  const set = (key: string, value: string | undefined) => value && q.set(key, value);
  set('region', f.region);
  set('academie', f.academie);
  set('departement', f.departement);
  set('uai', f.uai);
  set('profil', f.profile.join(','));
  set('service', f.service.join(','));
  set('appareil', f.device.join(','));
  set('secteur', f.sector);
  set('rep', f.rep.join(','));
  if (f.dnma) q.set('source', 'dnma');
  return q.toString();
}

/** The API filter: empty lists are left out (an empty list would mean "nothing"). */
export function toObservatoryFilter(f: Filters): ObservatoryFilter {
  const out: ObservatoryFilter = { from: f.from, to: f.to };
  if (f.region) out.region = f.region;
  if (f.academie) out.academie = f.academie;
  if (f.departement) out.departement = f.departement;
  if (f.uai) out.uai = f.uai;
  if (f.profile.length) out.profile = f.profile;
  if (f.service.length) out.service = f.service;
  if (f.device.length) out.device = f.device;
  if (f.sector) out.sector = f.sector;
  if (f.rep.length) out.rep = f.rep;
  if (f.dnma) out.source = 'DNMA';
  return out;
}

/** How many filters besides the period and territory are set (shown on the "more filters" button). */
export function countRefinements(f: Filters): number {
  return f.profile.length + f.service.length + f.device.length + (f.sector ? 1 : 0) + f.rep.length;
}

/** Today in Paris, as YYYY-MM-DD. */
export function parisToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}
