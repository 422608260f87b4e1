import { DNMA_SERVICES, OTHER_SERVICE } from '@ent-observatory/xapi';
import type { DeviceValue, Granularity, IndicatorFilter } from '@ent-observatory/indicators';
import { daysBetween } from '@ent-observatory/indicators';
import type { Target } from '../auth/access.js';
import type { ScopeFilter } from '../auth/scope.service.js';
import { badInput } from '../common/graphql-errors.js';
import { Formats } from '../common/input/index.js';
import {
  DeviceEnum,
  GranularityEnum,
  type ObservatoryFilter,
  ObservatorySectorEnum,
  RepStatusEnum,
} from './dto/observatory-filter.input.js';

/** The longest period a view covers: a school year and a bit. */
export const MAX_PERIOD_DAYS = 366;

const SERVICES = new Set<string>([...DNMA_SERVICES, OTHER_SERVICE]);

export const DEVICE_VALUE: Record<DeviceEnum, DeviceValue> = {
  ORDINATEUR: 'ordinateur',
  SMARTPHONE: 'smartphone',
  TABLETTE: 'tablette',
  AUTRE: 'autre',
  INCONNU: '',
};
export const DEVICE_ENUM = Object.fromEntries(Object.entries(DEVICE_VALUE).map(([k, v]) => [v, k])) as Record<
  DeviceValue,
  DeviceEnum
>;
export const REP_VALUE: Record<RepStatusEnum, string> = { REP_PLUS: 'REP+', REP: 'REP', HORS_REP: 'none' };
export const REP_ENUM: Record<string, RepStatusEnum> = {
  'REP+': RepStatusEnum.REP_PLUS,
  REP: RepStatusEnum.REP,
  none: RepStatusEnum.HORS_REP,
};
export const SECTOR_ENUM: Record<string, ObservatorySectorEnum | null> = {
  public: ObservatorySectorEnum.PUBLIC,
  private: ObservatorySectorEnum.PRIVATE,
};
export const GRANULARITY: Record<GranularityEnum, Granularity> = {
  WEEK: 'week',
  MONTH: 'month',
  SCHOOL_YEAR: 'school_year',
};

/** What AccessGuard checks before anything is read: every territory the filter names must be in scope. */
export function targetOfFilter(args: Record<string, unknown>): Target {
  const f = (args.filter ?? {}) as Partial<ObservatoryFilter>;
  return { region: f.region, academie: f.academie, departement: f.departement, uai: f.uai?.toUpperCase() };
}

/** Checks a filter and turns it into the indicators' terms, restricted to the caller's scope. */
export function indicatorFilterOf(f: ObservatoryFilter, scope: ScopeFilter): IndicatorFilter {
  for (const [name, value] of [
    ['from', f.from],
    ['to', f.to],
  ] as const) {
    if (!Formats.day.schema.safeParse(value).success) {
      throw badInput(`filter.${name} must be a calendar day YYYY-MM-DD, got "${value}"`);
    }
  }
  const days = daysBetween(f.from, f.to);
  if (days < 0) throw badInput(`filter.to (${f.to}) must not be before filter.from (${f.from})`);
  if (days >= MAX_PERIOD_DAYS) throw badInput(`the period must be at most ${MAX_PERIOD_DAYS} days, got ${days + 1}`);
  const unknown = (f.service ?? []).filter((s) => !SERVICES.has(s));
  if (unknown.length) {
    throw badInput(`unknown service(s) ${unknown.join(', ')}: use DNMA service suffixes (e.g. cahier_textes) or autre`);
  }
  return {
    from: f.from,
    to: f.to,
    region: f.region,
    academie: f.academie,
    departement: f.departement,
    uai: f.uai?.toUpperCase(),
    scope: scope === 'all' ? undefined : { academies: scope.academies, uais: scope.uais },
    profiles: f.profile?.length ? f.profile : undefined,
    services: f.service?.length ? f.service : undefined,
    devices: f.device?.length ? f.device.map((d) => DEVICE_VALUE[d]) : undefined,
    sector: f.sector === undefined || f.sector === null ? undefined : f.sector === 'PUBLIC' ? 'public' : 'private',
    reps: f.rep?.length ? f.rep.map((r) => REP_VALUE[r]) : undefined,
  };
}

const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

/** French label of a period: 'S02 2026', 'janv. 2026', '2025-2026'. */
export function periodLabel(period: string, g: Granularity): string {
  const d = new Date(`${period}T00:00:00Z`);
  if (g === 'month') return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  if (g === 'school_year') return `${d.getUTCFullYear()}-${d.getUTCFullYear() + 1}`;
  // ISO week number: the week's Thursday decides the year.
  const thursday = new Date(d.getTime() + 3 * 86_400_000);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return `S${String(week).padStart(2, '0')} ${thursday.getUTCFullYear()}`;
}
