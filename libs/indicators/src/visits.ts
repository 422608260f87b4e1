import { TABLES, type QueryParams, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { DEVICE_EXPR, type IndicatorFilter, PROFILE_EXPR, SERVICE_EXPR, whereOf } from './filter.js';

/**
 * Visits, distinct users and visit duration for several breakdowns of one filter, in one scan of the
 * activity_actor_daily rollup (docs/indicators.md, "Visits").
 *
 * A person's visits in a cell are the runs of their active minutes (Paris time) with no gap over 30 minutes, per
 * Paris day, counted on the union of their minutes in that cell: the total's visits are not the sum of the
 * services' visits (a visit that opens three services is one visit of the ENT and one visit of each service).
 * Duration of a visit = its last active minute − its first (0 for a one-minute visit), as web analytics measure it.
 */

/** Named dimension expressions a breakdown can use. */
export const DIMENSIONS = {
  profile: PROFILE_EXPR,
  service: SERVICE_EXPR,
  device: DEVICE_EXPR,
  region: 'region',
  academie: 'academie',
  departement: 'departement',
  uai: 'uai',
  sector: 'sector',
  rep: 'rep',
  platform: 'platform',
  level: 'school_level',
  week: 'toMonday(day)',
  month: 'toStartOfMonth(day)',
  // School years as the DNMA and the calendar count them: 1 August – 31 July.
  school_year: `toDate(concat(toString(toYear(day) - if(toMonth(day) < 8, 1, 0)), '-08-01'))`,
  day: 'day',
} as const;
export type DimensionName = keyof typeof DIMENSIONS;

/** One breakdown: the dimensions of its cells, [] for the total. */
export type Breakdown = readonly DimensionName[];

export interface VisitCell {
  /** Index of the breakdown in the request. */
  set: number;
  /** Dimension values in the breakdown's order (dates as YYYY-MM-DD). */
  key: string[];
  visits: number;
  users: number;
  /** Mean duration per visit, seconds (0 when no visit). */
  durationSeconds: number;
}

/** The SQL of visitCells, exported for EXPLAIN in tests and for the benchmark. */
export function visitCellsSql(breakdowns: readonly Breakdown[], where: string): string {
  const used = [...new Set(breakdowns.flat())];
  const inner = used.map((d) => `toString(${DIMENSIONS[d]}) AS d_${d}`);
  const cells = breakdowns.map(
    (b, i) => `(toUInt8(${i}), ${b.length ? `[${b.map((d) => `d_${d}`).join(', ')}]` : 'emptyArrayString()'})`,
  );
  return `SELECT cell.1 AS set, cell.2 AS key,
  sum(sessions) AS visits, uniqExact(actor_pseudonym) AS users, sum(span) AS span_minutes
FROM (
  SELECT cell, actor_pseudonym, day,
    arraySort(arrayDistinct(arrayFlatten(groupArray(m)))) AS mm,
    length(arrayFilter((x, i) -> i = 1 OR x - mm[i - 1] > 30, mm, arrayEnumerate(mm))) AS sessions,
    arraySum(arrayFilter(d -> d <= 30, arrayDifference(mm))) AS span
  FROM (
    SELECT actor_pseudonym, day${inner.map((s) => `, ${s}`).join('')}, groupUniqArrayMerge(minutes) AS m
    FROM ${TABLES.activityActorDaily}
    WHERE ${where}
    GROUP BY actor_pseudonym, day${used.map((d) => `, d_${d}`).join('')}
  )
  ARRAY JOIN [${cells.join(', ')}] AS cell
  GROUP BY cell, actor_pseudonym, day
)
GROUP BY set, key
ORDER BY set, key`;
}

/** Visits, users and durations of every cell of `breakdowns` under `filter` (cells without activity are absent). */
export async function visitCells(
  w: Warehouse,
  filter: IndicatorFilter,
  breakdowns: readonly Breakdown[],
): Promise<VisitCell[]> {
  const where = whereOf(filter, { dateColumn: 'day' });
  return runVisitCells(w, visitCellsSql(breakdowns, where.sql), where.params);
}

async function runVisitCells(w: Warehouse, sql: string, params: QueryParams): Promise<VisitCell[]> {
  const rows = await queryRows<{ set: number; key: string[]; visits: string; users: string; span_minutes: string }>(
    w.client,
    sql,
    params,
  );
  return rows.map((r) => {
    const visits = Number(r.visits);
    return {
      set: Number(r.set),
      key: r.key,
      visits,
      users: Number(r.users),
      durationSeconds: visits ? (Number(r.span_minutes) * 60) / visits : 0,
    };
  });
}

/** The cells of one breakdown, keyed by their joined key. */
export function cellsOf(cells: VisitCell[], set: number): Map<string, VisitCell> {
  return new Map(cells.filter((c) => c.set === set).map((c) => [c.key.join('|'), c]));
}

/** An empty cell for keys with no activity. */
export function emptyCell(set: number, key: string[]): VisitCell {
  return { set, key, visits: 0, users: 0, durationSeconds: 0 };
}
