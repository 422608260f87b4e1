import { type QueryParams, TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import {
  DEVICE_EXPR,
  type IndicatorFilter,
  PROFILE_EXPR,
  SERVICE_EXPR,
  type SqlPart,
  addDays,
  whereOf,
} from './filter.js';

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
 * Visits counted exactly from activity_actor_daily's person-day minute sets, for any breakdown (platform and
 * school level included), and the reference the cube is tested against. Two levels:
 * 1. one group per person-day over the rollup's rows (rows of parts ClickHouse has not merged yet included: the
 *    unions below absorb them, which measured 20 % faster than merging them first): the union of their minutes
 *    (the total's visits), and for each breakdown the union of the minutes of each of its cells, computed inside
 *    the group's arrays — when the person-day has a single value of the breakdown's dimensions (one profile, one
 *    device, one week…: the common case) the cell is the total and nothing is recomputed;
 * 2. per breakdown cell: the sum of visits and spans, and the distinct persons.
 * Persons are grouped by a 64-bit hash of their pseudonym (64 hex characters): cheaper to group by, and a collision
 * among a few million people has a probability around 1e-7.
 */
export function exactVisitCellsSql(breakdowns: readonly Breakdown[], where: string): string {
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

/** Dimensions the person-free visit_cube has, as expressions over its columns (values already normalised). */
const CUBE_DIMENSIONS: Partial<Record<DimensionName, string>> = {
  profile: 'ent_profile',
  service: 'ent_service',
  device: 'device',
  region: 'region',
  academie: 'academie',
  departement: 'departement',
  uai: 'uai',
  sector: 'sector',
  rep: 'rep',
  week: 'toMonday(period)',
  month: 'toStartOfMonth(period)',
  school_year: `toDate(concat(toString(toYear(period) - if(toMonth(period) < 8, 1, 0)), '-08-01'))`,
  day: 'period',
};
/** Dimensions a week cell cannot be split by. */
const DAY_ONLY: readonly DimensionName[] = ['month', 'school_year', 'day'];

/** Whether the filter restricts to establishments (a UAI, or a scope of establishments): establishment cells. */
export function needsEstablishments(filter: IndicatorFilter, dims: readonly string[] = []): boolean {
  return dims.includes('uai') || filter.uai !== undefined || (filter.scope?.uais.length ?? 0) > 0;
}

/**
 * The period of a filter over cells of two grains: the week cells of the whole ISO weeks inside [from, to] and the
 * day cells of the days left at its edges (every day cell when `weekly` is false). `column` is the period column.
 */
export function periodOf(from: string, to: string, weekly: boolean, column = 'period', prefix = 'p'): SqlPart {
  const monday = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  const firstWeek = monday(from) === from ? from : addDays(monday(from), 7);
  const lastWeek = addDays(monday(addDays(to, 1)), -7);
  if (!weekly || firstWeek > lastWeek) {
    return {
      sql: `grain = 'day' AND ${column} BETWEEN {${prefix}_from:Date} AND {${prefix}_to:Date}`,
      params: { [`${prefix}_from`]: from, [`${prefix}_to`]: to },
    };
  }
  const days: string[] = [];
  const params: QueryParams = { [`${prefix}_w1`]: firstWeek, [`${prefix}_w2`]: lastWeek };
  const edge = (a: string, b: string, name: string) => {
    if (a > b) return;
    days.push(`${column} BETWEEN {${prefix}_${name}1:Date} AND {${prefix}_${name}2:Date}`);
    Object.assign(params, { [`${prefix}_${name}1`]: a, [`${prefix}_${name}2`]: b });
  };
  edge(from, addDays(firstWeek, -1), 'a');
  edge(addDays(lastWeek, 7), to, 'b');
  const weeks = `(grain = 'week' AND ${column} BETWEEN {${prefix}_w1:Date} AND {${prefix}_w2:Date})`;
  return { sql: days.length ? `(${weeks} OR (grain = 'day' AND (${days.join(' OR ')})))` : weeks, params };
}

/**
 * The SQL of visitCells over visit_cube (migration 040): one SELECT per breakdown, UNION ALL. Each reads the
 * cells of its level (départements unless it needs establishments), of its service kind (the ENT-wide '*' cells
 * unless it breaks down or filters by service: then each service's cells, whose visits add up to more than the
 * ENT's) and of its period (whole weeks as week cells, edge days as day cells; day cells only for day, month and
 * school-year breakdowns), and sums visits and spans and merges the users' uniq states per cell.
 * Breakdowns by platform or school level, which the cube does not keep, are not accepted here (visitCells sends
 * them to exactVisitCellsSql).
 */
export function visitCellsSql(filter: IndicatorFilter, breakdowns: readonly Breakdown[]): SqlPart {
  const where = whereOf(filter);
  const params: QueryParams = { ...where.params };
  const selects = breakdowns.map((b, i) => {
    const exprs = b.map((d) => {
      const e = CUBE_DIMENSIONS[d];
      if (e === undefined) throw new Error(`visit_cube has no ${d} dimension`);
      return `toString(${e})`;
    });
    const serviceRows = b.includes('service') || (filter.services?.length ?? 0) > 0;
    const establishments = needsEstablishments(filter, b);
    const level = establishments ? (serviceRows ? 'uai_service' : 'uai') : 'dept';
    const kind = serviceRows ? `ent_service != '*'` : `ent_service = '*'`;
    const period = periodOf(filter.from, filter.to, !b.some((d) => DAY_ONLY.includes(d)), 'period', `p${i}`);
    Object.assign(params, period.params);
    return `SELECT toUInt8(${i}) AS set, [${exprs.join(', ')}]::Array(String) AS key, sum(visits) AS visits,
  uniqMerge(users) AS users, sum(span_minutes) AS span_minutes
FROM ${TABLES.visitCube}
WHERE level = '${level}' AND ${kind} AND ${period.sql} AND ${where.sql}
GROUP BY key`;
  });
  return { sql: selects.join('\nUNION ALL\n'), params };
}

/** Breakdowns the cube cannot answer (platform, school level): counted exactly from activity_actor_daily. */
const EXACT_ONLY: readonly DimensionName[] = ['platform', 'level'];

/** Visits, users and durations of every cell of `breakdowns` under `filter` (cells without activity are absent). */
export async function visitCells(
  w: Warehouse,
  filter: IndicatorFilter,
  breakdowns: readonly Breakdown[],
): Promise<VisitCell[]> {
  const exact = breakdowns.map((b) => b.some((d) => EXACT_ONLY.includes(d)));
  const queries: Promise<{ set: number; key: string[]; visits: string; users: string; span_minutes: string }[]>[] = [];
  const cubeSets = breakdowns.map((_, i) => i).filter((i) => !exact[i]);
  const exactSets = breakdowns.map((_, i) => i).filter((i) => exact[i]);
  const remap = (sets: number[]) => async (rows: Promise<{ set: number }[]>) =>
    (await rows).map((r) => ({ ...r, set: sets[Number(r.set)] as number }));
  if (cubeSets.length > 0) {
    const q = visitCellsSql(
      filter,
      cubeSets.map((i) => breakdowns[i] as Breakdown),
    );
    queries.push(remap(cubeSets)(queryRows(w.client, q.sql, q.params)) as never);
  }
  if (exactSets.length > 0) {
    const where = whereOf(filter, { dateColumn: 'day' });
    const sql = exactVisitCellsSql(
      exactSets.map((i) => breakdowns[i] as Breakdown),
      where.sql,
    );
    queries.push(remap(exactSets)(queryRows(w.client, sql, where.params)) as never);
  }
  const rows = (await Promise.all(queries)).flat();
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
