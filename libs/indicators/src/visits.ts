import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
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

/** Visits (runs with no gap over 30 minutes) and their total span in minutes, of a sorted minute array. */
const RUNS = (a: string) =>
  `toUInt32(1 + arrayCount(x -> x > 30, arrayDifference(${a}))), toUInt32(arraySum(x -> if(x <= 30, x, 0), arrayDifference(${a})))`;

/**
 * The SQL of visitCells, exported for EXPLAIN in tests and for the benchmark. Two levels:
 * 1. one group per person-day over the rollup's rows (rows of parts ClickHouse has not merged yet included: the
 *    unions below absorb them, which measured 20 % faster than merging them first): the union of their minutes
 *    (the total's visits), and for each breakdown the union of the minutes of each of its cells, computed inside
 *    the group's arrays — when the person-day has a single value of the breakdown's dimensions (one profile, one
 *    device, one week…: the common case) the cell is the total and nothing is recomputed;
 * 2. per breakdown cell: the sum of visits and spans, and the distinct persons.
 * Persons are grouped by a 64-bit hash of their pseudonym (64 hex characters): cheaper to group by, and a collision
 * among a few million people has a probability around 1e-7.
 */
export function visitCellsSql(breakdowns: readonly Breakdown[], where: string): string {
  const used = [...new Set(breakdowns.flat())];
  const inner = used.map((d) => `toString(${DIMENSIONS[d]}) AS d_${d}`);
  const cells = breakdowns.map((b, i) => {
    if (b.length === 0) return `[(toUInt8(${i}), emptyArrayString(), tot.1, tot.2)]`;
    const keys = `arrayMap((${b.map((_, j) => `v${j}`).join(', ')}) -> [${b.map((_, j) => `v${j}`).join(', ')}], ${b.map((d) => `a_${d}`).join(', ')})`;
    const union = `arraySort(arrayDistinct(arrayFlatten(arrayFilter((mv, kv) -> kv = k, ms, ${keys}))))`;
    const general = `if(length(arrayDistinct(${keys})) = 1, [(toUInt8(${i}), (${keys})[1], tot.1, tot.2)],
      arrayMap(k -> (toUInt8(${i}), k, ${RUNS(union)}), arrayDistinct(${keys})))`;
    if (!b.includes('service')) return general;
    // The service is what usually varies within a person-day: when the breakdown's other dimensions do not, its
    // cells are the person-day's service cells (computed once, shared by every breakdown with a service).
    const others = b.filter((d) => d !== 'service');
    const key = `[${b.map((d) => (d === 'service' ? 'x.1' : `a_${d}[1]`)).join(', ')}]`;
    const viaServices = `arrayMap(x -> (toUInt8(${i}), ${key}, x.2.1, x.2.2), service_cells)`;
    if (others.length === 0) return viaServices;
    const constant = others.map((d) => `length(arrayDistinct(a_${d})) = 1`).join(' AND ');
    return `if(${constant}, ${viaServices}, ${general})`;
  });
  const serviceUnion = `arraySort(arrayDistinct(arrayFlatten(arrayFilter((mv, sv) -> sv = k, ms, a_service))))`;
  const serviceCells = used.includes('service')
    ? `, arrayMap(k -> (k, (${RUNS(serviceUnion)})), arrayDistinct(a_service)) AS service_cells`
    : '';
  return `SELECT c.1 AS set, c.2 AS key, sum(c.3) AS visits, uniqExact(person) AS users, sum(c.4) AS span_minutes
FROM (
  SELECT person, groupArray(m) AS ms${used.map((d) => `, groupArray(d_${d}) AS a_${d}`).join('')},
    arraySort(arrayDistinct(arrayFlatten(ms))) AS mm, (${RUNS('mm')}) AS tot${serviceCells},
    arrayConcat(${cells.join(', ')}) AS cells
  FROM (
    SELECT cityHash64(actor_pseudonym) AS person, day${inner.map((x) => `, ${x}`).join('')},
      finalizeAggregation(minutes) AS m
    FROM ${TABLES.activityActorDaily}
    WHERE ${where}
  )
  GROUP BY person, day
)
ARRAY JOIN cells AS c
GROUP BY set, key`;
}

/** Visits, users and durations of every cell of `breakdowns` under `filter` (cells without activity are absent). */
export async function visitCells(
  w: Warehouse,
  filter: IndicatorFilter,
  breakdowns: readonly Breakdown[],
): Promise<VisitCell[]> {
  const where = whereOf(filter, { dateColumn: 'day' });
  const rows = await queryRows<{ set: number; key: string[]; visits: string; users: string; span_minutes: string }>(
    w.client,
    visitCellsSql(breakdowns, where.sql),
    where.params,
  );
  return rows
    .map((r) => {
      const visits = Number(r.visits);
      return {
        set: Number(r.set),
        key: r.key,
        visits,
        users: Number(r.users),
        durationSeconds: visits ? (Number(r.span_minutes) * 60) / visits : 0,
      };
    })
    .sort((a, b) => a.set - b.set || a.key.join('|').localeCompare(b.key.join('|')));
}

/** The cells of one breakdown, keyed by their joined key. */
export function cellsOf(cells: VisitCell[], set: number): Map<string, VisitCell> {
  return new Map(cells.filter((c) => c.set === set).map((c) => [c.key.join('|'), c]));
}

/** An empty cell for keys with no activity. */
export function emptyCell(set: number, key: string[]): VisitCell {
  return { set, key, visits: 0, users: 0, durationSeconds: 0 };
}
