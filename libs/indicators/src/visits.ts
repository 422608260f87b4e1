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

/**
 * The SQL of visitCells, exported for EXPLAIN in tests and for the benchmark. Three levels:
 * 1. rows of the rollup merged per person × day × dimension values (parts not yet merged by ClickHouse);
 * 2. one GROUPING SET per breakdown, each keyed by person × day (+ the breakdown's dimensions): the union of the
 *    person's minutes in that cell, its visits (runs with no gap over 30 minutes) and their total span;
 * 3. per breakdown cell: the sum of visits and spans, and the distinct persons.
 * Persons are grouped by a 64-bit hash of their pseudonym (64 hex characters): cheaper to group by, and a collision
 * among a few million people has a probability around 1e-7.
 */
export function visitCellsSql(breakdowns: readonly Breakdown[], where: string): string {
  const used = [...new Set(breakdowns.flat())];
  const dims = used.map((d) => `d_${d}`);
  const inner = used.map((d) => `toString(${DIMENSIONS[d]}) AS d_${d}`);
  // grouping() needs an argument: a constant dimension, in the one set, when the request has none (total only).
  const g = dims.length ? dims : ['d_none'];
  const sets = dims.length
    ? [...new Set(breakdowns.map((b) => setKey(b)))].map(
        (key) => `(${['person', 'day', ...(key ? key.split(',').map((d) => `d_${d}`) : [])].join(', ')})`,
      )
    : ['(person, day, d_none)'];
  return `SELECT g, ${g.join(', ')},
  sum(sessions) AS visits, uniqExact(person) AS users, sum(span) AS span_minutes
FROM (
  SELECT grouping(${g.join(', ')}) AS g, ${g.join(', ')}, person,
    arraySort(arrayDistinct(arrayFlatten(groupArray(m)))) AS mm,
    length(arrayFilter((x, i) -> i = 1 OR x - mm[i - 1] > 30, mm, arrayEnumerate(mm))) AS sessions,
    arraySum(arrayFilter(d -> d <= 30, arrayDifference(mm))) AS span
  FROM (
    SELECT cityHash64(actor_pseudonym) AS person, day${dims.length ? '' : `, '' AS d_none`}${inner.map((x) => `, ${x}`).join('')},
      groupUniqArrayMerge(minutes) AS m
    FROM ${TABLES.activityActorDaily}
    WHERE ${where}
    GROUP BY person, day${dims.length ? '' : ', d_none'}${dims.map((d) => `, ${d}`).join('')}
  )
  GROUP BY GROUPING SETS (${sets.join(', ')})
)
GROUP BY g, ${g.join(', ')}
SETTINGS force_grouping_standard_compatibility = 1`;
}

function setKey(b: Breakdown): string {
  return [...b].sort().join(',');
}

/**
 * The grouping() mask of a breakdown (standard SQL: bit 1 = dimension aggregated away, first argument = highest
 * bit) over the request's dimensions.
 */
function maskOf(b: Breakdown, used: DimensionName[]): number {
  return used.reduce((mask, d) => (mask << 1) | ((b as readonly string[]).includes(d) ? 0 : 1), 0);
}

/** Visits, users and durations of every cell of `breakdowns` under `filter` (cells without activity are absent). */
export async function visitCells(
  w: Warehouse,
  filter: IndicatorFilter,
  breakdowns: readonly Breakdown[],
): Promise<VisitCell[]> {
  const where = whereOf(filter, { dateColumn: 'day' });
  const used = [...new Set(breakdowns.flat())];
  const rows = await queryRows<Record<string, string | number>>(
    w.client,
    visitCellsSql(breakdowns, where.sql),
    where.params,
  );
  const out: VisitCell[] = [];
  for (const r of rows) {
    const visits = Number(r.visits);
    const cell = {
      visits,
      users: Number(r.users),
      durationSeconds: visits ? (Number(r.span_minutes) * 60) / visits : 0,
    };
    // A row belongs to every requested breakdown with its mask (the same breakdown may be asked twice).
    breakdowns.forEach((b, set) => {
      if (maskOf(b, used) === Number(r.g)) out.push({ set, key: b.map((d) => String(r[`d_${d}`])), ...cell });
    });
  }
  return out.sort((a, b) => a.set - b.set || a.key.join('|').localeCompare(b.key.join('|')));
}

/** The cells of one breakdown, keyed by their joined key. */
export function cellsOf(cells: VisitCell[], set: number): Map<string, VisitCell> {
  return new Map(cells.filter((c) => c.set === set).map((c) => [c.key.join('|'), c]));
}

/** An empty cell for keys with no activity. */
export function emptyCell(set: number, key: string[]): VisitCell {
  return { set, key, visits: 0, users: 0, durationSeconds: 0 };
}
