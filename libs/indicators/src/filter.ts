import type { QueryParams } from '@ent-observatory/warehouse';

/** DNMA profiles and the catch-all for statements without a known profile. */
export const PROFILES = ['ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL', 'AUTRE'] as const;
export type ProfileKey = (typeof PROFILES)[number];

/** Device values as stored (`device` column); '' = not reported. */
export const DEVICE_VALUES = ['ordinateur', 'smartphone', 'tablette', 'autre', ''] as const;
export type DeviceValue = (typeof DEVICE_VALUES)[number];

/**
 * What every indicator reads: a period of Paris calendar days and optional restrictions, in the values the
 * warehouse stores (the API maps its enums to these). Fields combine with AND; list fields with OR inside.
 */
export interface IndicatorFilter {
  /** First Paris day, YYYY-MM-DD, inclusive. */
  from: string;
  /** Last Paris day, YYYY-MM-DD, inclusive. */
  to: string;
  region?: string | undefined;
  academie?: string | undefined;
  departement?: string | undefined;
  uai?: string | undefined;
  /**
   * The caller's scope when it is not national: rows in one of these académies or these establishments. Applied
   * on top of the territory fields (the API checked that they are inside it).
   */
  scope?: { academies: string[]; uais: string[] } | undefined;
  profiles?: ProfileKey[] | undefined;
  /** DNMA service suffixes or 'autre'. */
  services?: string[] | undefined;
  devices?: DeviceValue[] | undefined;
  sector?: 'public' | 'private' | undefined;
  /** 'REP+' | 'REP' | 'none'. */
  reps?: string[] | undefined;
}

/** The profile of a row: statements without a DNMA profile count as AUTRE. */
export const PROFILE_EXPR = `if(ent_profile IN ('ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL'), ent_profile, 'AUTRE')`;
/** The service of a row: '' (not given) counts as 'autre'. */
export const SERVICE_EXPR = `if(ent_service = '', 'autre', ent_service)`;
/** The device of a row: '' = not reported; an unknown spelling counts as 'autre'. */
export const DEVICE_EXPR = `if(device IN ('ordinateur', 'smartphone', 'tablette', ''), device, 'autre')`;

export interface WhereOptions {
  /** Date column of the table, compared with from/to; none for the directory. */
  dateColumn?: 'day' | 'week' | undefined;
  /** Leave the profile/service/device restrictions out (directory tables, penetration's own profiles). */
  territoryOnly?: boolean | undefined;
  /** Parameter name prefix, to combine two filters in one SQL text. */
  prefix?: string | undefined;
}

export interface SqlPart {
  sql: string;
  params: QueryParams;
}

/**
 * The WHERE condition of a filter, every value a `{name:Type}` parameter. Territory columns have the same names
 * in the rollups and in directory_establishments, so the same condition selects establishments.
 */
export function whereOf(filter: IndicatorFilter, options: WhereOptions = {}): SqlPart {
  const p = options.prefix ?? '';
  const conditions: string[] = [];
  const params: QueryParams = {};
  const add = (sql: string, name: string, value: unknown) => {
    conditions.push(sql.replaceAll('$', `${p}${name}`));
    params[`${p}${name}`] = value;
  };
  if (options.dateColumn === 'day') {
    conditions.push(`day BETWEEN {${p}from:Date} AND {${p}to:Date}`);
    Object.assign(params, { [`${p}from`]: filter.from, [`${p}to`]: filter.to });
  } else if (options.dateColumn === 'week') {
    conditions.push(`week BETWEEN toMonday({${p}from:Date}) AND {${p}to:Date}`);
    Object.assign(params, { [`${p}from`]: filter.from, [`${p}to`]: filter.to });
  }
  if (filter.region !== undefined) add('region = {$:String}', 'region', filter.region);
  if (filter.academie !== undefined) add('academie = {$:String}', 'academie', filter.academie);
  if (filter.departement !== undefined) add('departement = {$:String}', 'departement', filter.departement);
  if (filter.uai !== undefined) add('uai = {$:String}', 'uai', filter.uai.toUpperCase());
  if (filter.scope) {
    conditions.push(`(academie IN {${p}scope_academies:Array(String)} OR uai IN {${p}scope_uais:Array(String)})`);
    params[`${p}scope_academies`] = filter.scope.academies;
    params[`${p}scope_uais`] = filter.scope.uais;
  }
  if (filter.sector !== undefined) add('sector = {$:String}', 'sector', filter.sector);
  if (filter.reps?.length) add('rep IN {$:Array(String)}', 'reps', filter.reps);
  if (!options.territoryOnly) {
    if (filter.profiles?.length) add(`${PROFILE_EXPR} IN {$:Array(String)}`, 'profiles', filter.profiles);
    if (filter.services?.length) add(`${SERVICE_EXPR} IN {$:Array(String)}`, 'services', filter.services);
    if (filter.devices?.length) add(`${DEVICE_EXPR} IN {$:Array(String)}`, 'devices', filter.devices);
  }
  return { sql: conditions.length ? conditions.join(' AND ') : '1', params };
}

/** The filter without its territory (same period and dimensions): the national level to compare with. */
export function nationalOf(filter: IndicatorFilter): IndicatorFilter {
  const { region: _r, academie: _a, departement: _d, uai: _u, scope: _s, ...rest } = filter;
  return rest;
}

/** The same number of days just before `from`. */
export function previousPeriodOf(filter: IndicatorFilter): IndicatorFilter {
  const days = daysBetween(filter.from, filter.to) + 1;
  return { ...filter, from: addDays(filter.from, -days), to: addDays(filter.from, -1) };
}

/** Days from `a` to `b` (YYYY-MM-DD), b - a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of a day's ISO week (YYYY-MM-DD). */
export function mondayOf(day: string): string {
  return addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
}

/** The last day of the month of `day` (YYYY-MM-DD). */
export function monthEndOf(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}
