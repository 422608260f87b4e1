import { DEVICE_LABELS, PROFILE_LABELS, SERVICE_LABELS, type EntService } from '@ent-observatory/xapi';
import { PROFILES, type DeviceValue, type ProfileKey, mondayOf } from './filter.js';
import { isSuppressed, suppressBreakdown } from './k-anonymity.js';
import { type VisitCell, cellsOf, emptyCell } from './visits.js';

/** A published measure cell: figures are null when suppressed. */
export interface Figures {
  visits: number | null;
  users: number | null;
  /** Mean duration per visit, seconds. */
  durationSeconds: number | null;
  suppressed: boolean;
}

export interface ProfileFigures extends Figures {
  profile: ProfileKey;
  label: string;
}
export interface ServiceFigures extends Figures {
  service: string;
  label: string;
}
export interface DeviceFigures extends Figures {
  device: DeviceValue;
  label: string;
  /** Share of the breakdown's visits, 0..1. */
  share: number | null;
}
export interface PeriodFigures extends Figures {
  /** First day of the period, YYYY-MM-DD. */
  period: string;
}

export function figures(cell: VisitCell, suppressed: boolean): Figures {
  return suppressed
    ? { visits: null, users: null, durationSeconds: null, suppressed }
    : {
        visits: cell.visits,
        users: cell.users,
        durationSeconds: cell.visits ? cell.durationSeconds : null,
        suppressed,
      };
}

/** The total cell of a breakdown set (empty when no activity), k-anonymised. */
export function totalOf(cells: VisitCell[], set: number, k: number): Figures {
  const cell = cellsOf(cells, set).get('') ?? emptyCell(set, []);
  return figures(cell, isSuppressed(cell.users, k));
}

/**
 * One breakdown's cells for the given keys (keys without activity included as empty cells), k-anonymised with
 * complementary suppression against the shown total.
 */
export function breakdownOf(
  cells: VisitCell[],
  set: number,
  keys: string[],
  k: number,
  disjoint = false,
): { key: string; f: Figures }[] {
  const byKey = cellsOf(cells, set);
  const raw = keys.map((key) => ({ key, cell: byKey.get(key) ?? emptyCell(set, [key]), users: 0 }));
  for (const r of raw) r.users = r.cell.users;
  return suppressBreakdown(raw, k, { totalShown: true, disjoint }).map((r) => ({
    key: r.key,
    f: figures(r.cell, r.suppressed),
  }));
}

/** The keys of a breakdown that have activity, most visits first. */
export function activeKeys(cells: VisitCell[], set: number): string[] {
  return cells
    .filter((c) => c.set === set)
    .sort((a, b) => b.visits - a.visits || a.key.join().localeCompare(b.key.join()))
    .map((c) => c.key.join('|'));
}

export function profileBreakdown(cells: VisitCell[], set: number, k: number): ProfileFigures[] {
  const active = new Set(activeKeys(cells, set));
  const keys = PROFILES.filter((p) => p !== 'AUTRE' || active.has('AUTRE'));
  // A person has one profile: profiles partition people.
  return breakdownOf(cells, set, keys, k, true).map(({ key, f }) => ({
    profile: key as ProfileKey,
    label: PROFILE_LABELS[key as ProfileKey],
    ...f,
  }));
}

export function serviceBreakdown(cells: VisitCell[], set: number, k: number): ServiceFigures[] {
  return breakdownOf(cells, set, activeKeys(cells, set), k).map(({ key, f }) => ({
    service: key,
    label: SERVICE_LABELS[key as EntService] ?? key,
    ...f,
  }));
}

const DEVICE_ORDER: DeviceValue[] = ['ordinateur', 'smartphone', 'tablette', 'autre'];

export function deviceBreakdown(cells: VisitCell[], set: number, k: number): DeviceFigures[] {
  const active = new Set(activeKeys(cells, set));
  const keys: DeviceValue[] = [...DEVICE_ORDER, ...(active.has('') ? (['' as const] as DeviceValue[]) : [])];
  const rows = breakdownOf(cells, set, keys, k);
  const total = cells.filter((c) => c.set === set).reduce((s, c) => s + c.visits, 0);
  return rows.map(({ key, f }) => ({
    device: key as DeviceValue,
    label: key === '' ? 'Non renseigné' : DEVICE_LABELS[key as Exclude<DeviceValue, ''>],
    share: f.visits !== null && total > 0 ? f.visits / total : null,
    ...f,
  }));
}

/** The periods (first days) between from and to for a granularity, oldest first. */
export function periodsOf(from: string, to: string, granularity: Granularity): string[] {
  const out: string[] = [];
  let d = periodStart(from, granularity);
  while (d <= to) {
    out.push(d);
    d = nextPeriod(d, granularity);
  }
  return out;
}

export type Granularity = 'week' | 'month' | 'school_year';

export function periodStart(day: string, g: Granularity): string {
  if (g === 'week') return mondayOf(day);
  if (g === 'month') return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00Z`);
  const y = date.getUTCFullYear() - (date.getUTCMonth() < 7 ? 1 : 0);
  return `${y}-08-01`;
}

function nextPeriod(start: string, g: Granularity): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (g === 'week') return new Date(date.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
  if (g === 'month') {
    date.setUTCMonth(date.getUTCMonth() + 1);
    return date.toISOString().slice(0, 10);
  }
  return `${date.getUTCFullYear() + 1}-08-01`;
}

/**
 * A trend: every period of the filter, empty ones included. Visits add up over periods, so the periods are a
 * breakdown of the total: complementary suppression applies.
 */
export function trendOf(cells: VisitCell[], set: number, periods: string[], k: number): PeriodFigures[] {
  return breakdownOf(cells, set, periods, k).map(({ key, f }) => ({ period: key, ...f }));
}

/** The cells of `set` whose first key is `first`, re-keyed on the rest of their key (a sub-breakdown in set 0). */
export function subCells(cells: VisitCell[], set: number, first: string): VisitCell[] {
  return cells.filter((c) => c.set === set && c.key[0] === first).map((c) => ({ ...c, set: 0, key: c.key.slice(1) }));
}

/** The four DNMA profiles, and AUTRE when it has activity in `set`. */
export function profilesOf(cells: VisitCell[], set: number): ProfileKey[] {
  const seen = new Set(cells.filter((c) => c.set === set).map((c) => c.key[0]));
  return PROFILES.filter((p) => p !== 'AUTRE' || seen.has('AUTRE'));
}
