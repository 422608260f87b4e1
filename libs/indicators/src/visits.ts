import { type QueryParams, TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import {
  DEVICE_EXPR,
  type IndicatorFilter,
  PROFILE_EXPR,
  SERVICE_EXPR,
  type SqlPart,
  addDays,
  mondayOf,
  monthEndOf,
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

/** The period dimensions of a date column. School years as the DNMA and the calendar count them: 1 August – 31 July. */
function periodDimensions<C extends string>(c: C) {
  return {
    week: `toMonday(${c})`,
    month: `toStartOfMonth(${c})`,
    school_year: `toDate(concat(toString(toYear(${c}) - if(toMonth(${c}) < 8, 1, 0)), '-08-01'))`,
    day: c,
  } as const;
}

/** Named dimension expressions a breakdown can use (over activity_actor_daily's columns). */
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
  ...periodDimensions('day'),
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
 * The visit definition over a sorted array of a person-day's active minutes (Paris time), as SQL: the one place
 * it is written (exact counts here, the recomputation in visit-rollup.ts, the time figures in time.ts).
 */
/** Visits: runs of minutes with no gap over 30 minutes. */
export const visitCount = (m: string) => `toUInt32(1 + arrayCount(x -> x > 30, arrayDifference(${m})))`;
/** Their total span in minutes (each visit's last minute − its first). */
export const visitSpan = (m: string) => `toUInt32(arraySum(x -> if(x <= 30, x, 0), arrayDifference(${m})))`;
/** The first minute of each visit. */
export const visitStarts = (m: string) =>
  `arrayFilter((x, i) -> i = 1 OR x - ${m}[i - 1] > 30, ${m}, arrayEnumerate(${m}))`;
/**
 * A service's visits: the visits of `all` (the person-day's sorted minutes) during which the service was open
 * (`part`, a subset of them). Not the runs of the service's own minutes, which split one visit in two when the
 * service is left for more than 30 minutes inside it — the home page then had more visits than the ENT.
 */
export const visitsWithin = (all: string, part: string) =>
  `toUInt32(length(arrayDistinct(arrayMap(y -> arrayCount(s -> s <= y, ${visitStarts(all)}), ${part}))))`;

/** Visits and span as a pair. */
const RUNS = (a: string) => `${visitCount(a)}, ${visitSpan(a)}`;

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
export function exactVisitCellsSql(breakdowns: readonly Breakdown[], where: string, keep = '1'): string {
  const used = [...new Set(breakdowns.flat())];
  const inner = used.map((d) => `toString(${DIMENSIONS[d]}) AS d_${d}`);
  const cells = breakdowns.map((b, i) => {
    if (b.length === 0) return `[(toUInt8(${i}), emptyArrayString(), tot.1, tot.2)]`;
    const keys = `arrayMap((${b.map((_, j) => `v${j}`).join(', ')}) -> [${b.map((_, j) => `v${j}`).join(', ')}], ${b.map((d) => `a_${d}`).join(', ')})`;
    const union = `arraySort(arrayDistinct(arrayFlatten(arrayFilter((mv, kv) -> kv = k, ms, ${keys}))))`;
    const runs = b.includes('service') ? `${visitsWithin('mm_all', union)}, ${visitSpan(union)}` : RUNS(union);
    const general = `if(length(arrayDistinct(${keys})) = 1, [(toUInt8(${i}), (${keys})[1], tot.1, tot.2)],
      arrayMap(k -> (toUInt8(${i}), k, ${runs}), arrayDistinct(${keys})))`;
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
    ? `, arrayMap(k -> (k, (${visitsWithin('mm_all', serviceUnion)}, ${visitSpan(serviceUnion)})), arrayDistinct(a_service)) AS service_cells`
    : '';
  return `SELECT c.1 AS set, c.2 AS key, sum(c.3) AS visits, uniqExact(person) AS users, sum(c.4) AS span_minutes
FROM (
  SELECT person, groupArray(m) AS ms_all, groupArray(k_keep) AS keeps, arrayFilter((x, y) -> y, ms_all, keeps) AS ms
    ${used.map((d) => `, arrayFilter((x, y) -> y, groupArray(d_${d}), keeps) AS a_${d}`).join('')},
    arraySort(arrayDistinct(arrayFlatten(ms_all))) AS mm_all, arraySort(arrayDistinct(arrayFlatten(ms))) AS mm,
    (${visitsWithin('mm_all', 'mm')}, ${visitSpan('mm')}) AS tot${serviceCells},
    arrayConcat(${cells.join(', ')}) AS cells
  FROM (
    SELECT cityHash64(actor_pseudonym) AS person, day${inner.map((x) => `, ${x}`).join('')},
      finalizeAggregation(minutes) AS m, toUInt8(${keep}) AS k_keep
    FROM ${TABLES.activityActorDaily}
    WHERE ${where}
  )
  GROUP BY person, day
  HAVING length(mm) > 0
)
ARRAY JOIN cells AS c
GROUP BY set, key`;
}

/**
 * The rows exactVisitCellsSql reads for a filter, and which of them its cells keep: a service restriction keeps
 * the service's rows but reads the person-day's other services too, whose minutes bound the visits.
 */
export function exactWhereOf(filter: IndicatorFilter): SqlPart & { keep: string } {
  const where = whereOf({ ...filter, services: undefined }, { dateColumn: 'day' });
  if (!filter.services?.length) return { ...where, keep: '1' };
  return {
    sql: where.sql,
    keep: `${SERVICE_EXPR} IN {keep_services:Array(String)}`,
    params: { ...where.params, keep_services: filter.services },
  };
}

/** Dimensions visit_person has, as expressions over its columns (values already normalised). */
const PERSON_DIMENSIONS: Partial<Record<DimensionName, string>> = {
  profile: 'ent_profile',
  service: 'ent_service',
  device: 'device',
  region: 'region',
  academie: 'academie',
  departement: 'departement',
  uai: 'uai',
  sector: 'sector',
  rep: 'rep',
  ...periodDimensions('period'),
};
/** The row grains of visit_person (migration 040). */
export type Grain = 'day' | 'week' | 'month';

/** The coarsest rows a breakdown can be read from: a week row cannot be split by month, a month row by week. */
export function grainsFor(breakdown: readonly DimensionName[]): Grain[] {
  if (breakdown.includes('day')) return ['day'];
  const week = breakdown.includes('week');
  const month = breakdown.includes('month') || breakdown.includes('school_year');
  if (week && month) return ['day'];
  if (week) return ['week', 'day'];
  if (month) return ['month', 'day'];
  return ['month', 'week', 'day'];
}

const nextMonth = (day: string) => addDays(monthEndOf(day), 1);

/**
 * Splits [from, to] into the periods of each grain that cover it exactly: whole months (if allowed), then whole
 * ISO weeks of what is left (if allowed), then days. Returns inclusive period ranges per grain: for months and
 * weeks the first days (1st, Monday) of the first and last period, for days the days.
 */
export function periodRanges(
  from: string,
  to: string,
  grains: readonly Grain[],
): { grain: Grain; ranges: [string, string][] }[] {
  let rest: [string, string][] = [[from, to]];
  const out: { grain: Grain; ranges: [string, string][] }[] = [];
  const carve = (
    grain: 'month' | 'week',
    first: (a: string) => string,
    last: (b: string) => string,
    end: (p: string) => string,
  ) => {
    const ranges: [string, string][] = [];
    const left: [string, string][] = [];
    for (const [a, b] of rest) {
      const p1 = first(a);
      const p2 = last(b);
      if (p1 > p2) {
        left.push([a, b]);
        continue;
      }
      ranges.push([p1, p2]);
      if (a < p1) left.push([a, addDays(p1, -1)]);
      if (end(p2) < b) left.push([addDays(end(p2), 1), b]);
    }
    if (ranges.length) out.push({ grain, ranges });
    rest = left;
  };
  if (grains.includes('month')) {
    carve(
      'month',
      (a) => (a.endsWith('-01') ? a : nextMonth(a)),
      (b) => {
        const first = `${b.slice(0, 7)}-01`;
        return monthEndOf(first) === b ? first : `${addDays(first, -1).slice(0, 7)}-01`;
      },
      monthEndOf,
    );
  }
  if (grains.includes('week')) {
    carve(
      'week',
      (a) => (mondayOf(a) === a ? a : addDays(mondayOf(a), 7)),
      (b) => addDays(mondayOf(addDays(b, 1)), -7),
      (p) => addDays(p, 6),
    );
  }
  if (rest.length) out.push({ grain: 'day', ranges: rest });
  return out;
}

/**
 * The period of a filter over visit_person's grains (periodRanges) as a condition on `grain` and `column`.
 */
export function periodOf(from: string, to: string, grains: readonly Grain[], column = 'period', prefix = 'p'): SqlPart {
  const params: QueryParams = {};
  const parts = periodRanges(from, to, grains).map(({ grain, ranges }) => {
    const between = ranges.map(([a, b], i) => {
      const name = `${prefix}_${grain[0]}${i}`;
      params[`${name}a`] = a;
      params[`${name}b`] = b;
      return `${column} BETWEEN {${name}a:Date} AND {${name}b:Date}`;
    });
    return `(grain = '${grain}' AND (${between.join(' OR ')}))`;
  });
  return { sql: parts.length > 1 ? `(${parts.join(' OR ')})` : (parts[0] ?? '0'), params };
}

/**
 * The SQL of visitCells over the visit rollups (migration 040): one SELECT per breakdown, UNION ALL. Each reads
 * visit_cube's département cells, or visit_person's rows when it needs establishments, of its service kind (the ENT-wide '*' rows unless it breaks down or filters by service: then each
 * service's rows, whose visits add up to more than the ENT's) and of its period (whole weeks as week rows, edge
 * days as day rows; day rows only for day, month and school-year breakdowns), sums visits and spans and counts
 * distinct persons per cell. Breakdowns by platform or school level, which visit_person does not keep, are not
 * accepted here (visitCells sends them to exactVisitCellsSql).
 */
export function visitCellsSql(filter: IndicatorFilter, breakdowns: readonly Breakdown[]): SqlPart {
  const { sql, params } = visitCellsSelects(filter, breakdowns, '');
  return { sql: `${sql}${GROUPING_STANDARD}`, params };
}

/** The standard meaning of GROUPING (1 = not grouped on), whatever the server's default: ends a query. */
const GROUPING_STANDARD = '\nSETTINGS force_grouping_standard_compatibility = 1';

/** visitCellsSql without its SETTINGS, every parameter name starting with `prefix`. */
function visitCellsSelects(filter: IndicatorFilter, breakdowns: readonly Breakdown[], prefix: string): SqlPart {
  const where = whereOf(filter, { prefix });
  const params: QueryParams = { ...where.params };
  // Breakdowns read from the same rows (source, service kind, grains) share one scan: GROUPING SETS.
  const groups = new Map<string, { source: VisitSource; services: boolean; grains: Grain[]; sets: number[] }>();
  breakdowns.forEach((b, i) => {
    for (const d of b) if (PERSON_DIMENSIONS[d] === undefined) throw new Error(`visit_person has no ${d} dimension`);
    const services = readsServices(filter, b);
    const source = sourceOf(filter, b);
    const grains = grainsFor(b);
    const id = `${source}|${services}|${grains.join(',')}`;
    const group = groups.get(id) ?? { source, services, grains, sets: [] };
    group.sets.push(i);
    groups.set(id, group);
  });
  rehomePeriodFree(groups);
  const selects = [...groups.values()].map(({ source, services, grains, sets }, n) => {
    const period = periodOf(filter.from, filter.to, grains, 'period', `${prefix}p${n}`);
    Object.assign(params, period.params);
    const dims = [...new Set(sets.flatMap((i) => breakdowns[i] as Breakdown))];
    const alias = (d: DimensionName) => `k_${d}`;
    const columns = dims.map((d) => `toString(${PERSON_DIMENSIONS[d]}) AS ${alias(d)}`);
    const keyOf = (i: number) => `[${(breakdowns[i] as Breakdown).map(alias).join(', ')}]::Array(String)`;
    let set: string;
    let key: string;
    let groupBy: string;
    if (sets.length === 1) {
      set = `toUInt8(${sets[0]})`;
      key = keyOf(sets[0] as number);
      groupBy = dims.length ? dims.map(alias).join(', ') : 'tuple()';
    } else {
      // Standard GROUPING: a bit is 1 for each argument a grouping set does not group by.
      const mask = (i: number) =>
        dims.reduce((m, d, j) => m | ((breakdowns[i] as Breakdown).includes(d) ? 0 : 1 << (dims.length - 1 - j)), 0);
      const grouping = `GROUPING(${dims.map(alias).join(', ')})`;
      set = `multiIf(${sets.map((i) => `${grouping} = ${mask(i)}, ${i}`).join(', ')}, 255)::UInt8`;
      key = `multiIf(${sets.map((i) => `${grouping} = ${mask(i)}, ${keyOf(i)}`).join(', ')}, [])::Array(String)`;
      groupBy = `GROUPING SETS (${sets.map((i) => `(${(breakdowns[i] as Breakdown).map(alias).join(', ')})`).join(', ')})`;
    }
    const users = source === 'person' ? USERS : CUBE_USERS;
    const level = source === 'person' ? '' : `level = '${source}' AND `;
    const kind = serviceKind(services);
    return `SELECT ${set} AS set, ${key} AS key, sum(visits) AS visits, ${users} AS users,
  sum(span_minutes) AS span_minutes
FROM (
  SELECT ${[...columns, 'visits', 'span_minutes', source === 'person' ? 'person' : 'users'].join(', ')}
  FROM ${source === 'person' ? TABLES.visitPerson : TABLES.visitCube}
  WHERE ${level}${kind} AND ${period.sql} AND ${where.sql}${source === 'person' ? '' : CUBE_READ}
)
GROUP BY ${groupBy}`;
  });
  return { sql: selects.join('\nUNION ALL\n'), params };
}

/**
 * Breakdowns without a period dimension (the total, profiles, services…) can be read at any grain: when a breakdown
 * by week or month reads the same rows (source, service kind), they join its scan as more grouping sets instead of
 * a scan of their own at the coarsest grain. The figures are the same (a visit is counted on one person-day, and
 * the persons of the weeks merged are the persons of the months). Not a breakdown read from day rows only (by day,
 * or by week and month at once): a school year of day rows is some thirty times its month rows.
 */
function rehomePeriodFree(
  groups: Map<string, { source: VisitSource; services: boolean; grains: Grain[]; sets: number[] }>,
): void {
  const periodFree = (g: { grains: Grain[] }) => g.grains.length === 3;
  // Week or month rows with day rows at the edges (grainsFor: ['week', 'day'] or ['month', 'day']).
  const weekOrMonth = (g: { grains: Grain[] }) => g.grains.length === 2;
  for (const [id, group] of groups) {
    if (!periodFree(group)) continue;
    const host = [...groups.values()].find(
      (h) => weekOrMonth(h) && h.source === group.source && h.services === group.services,
    );
    if (!host) continue;
    host.sets.push(...group.sets);
    groups.delete(id);
  }
}

/**
 * How visit_cube's cells are read: without PREWHERE. Its 256-row granules hold the cells a view asks for nearly
 * whole, so filtering on the key columns first and then reading the user states is a second pass that saves
 * nothing (measured on 10 million statements, interleaved, same figures: the overview's figures 79 → 70 ms, the
 * services view 105 → 96 ms, the parents' 62 → 53 ms run alone). visit_person's reads keep PREWHERE: the
 * establishment view's person rows were slower without it.
 */
const CUBE_READ = '\n  SETTINGS optimize_move_to_prewhere = 0';

/**
 * Distinct persons of the rows read. `uniq` (adaptive sampling): exact up to 65,536 distinct persons (no
 * sampling below that size; 64-bit person hashes), so every k-anonymity decision, which concerns small cells, is
 * exact; about 1 % relative error above.
 */
export const USERS = 'uniq(person)';
/** Distinct persons of visit_cube cells: their uniqCombined(12) states merged (exact up to 128, HLL above). */
export const CUBE_USERS = 'uniqCombinedMerge(12)(users)';

/** Where a breakdown is read: a level of visit_cube, or visit_person's rows. */
export type VisitSource = 'dept_total' | 'dept_service' | 'dept' | 'sector' | 'person';

/**
 * The cheapest source that keeps a breakdown's dimensions and its filter's. visit_cube's département-level cells,
 * from the fewest to the most: 'dept_total' (ENT-wide, every profile and device), 'dept_service' (per service,
 * every profile and device), 'dept' (profile × service × device); its 'sector' cells (sector × REP × profile,
 * ENT-wide, every device); else visit_person's rows — always for establishments (a breakdown by establishment, an
 * establishment or a head of school's scope): an establishment's cells are small, so counting its persons' rows
 * costs less than merging HyperLogLog states.
 */
export function sourceOf(filter: IndicatorFilter, dims: readonly string[] = []): VisitSource {
  const establishments = dims.includes('uai') || filter.uai !== undefined || (filter.scope?.uais.length ?? 0) > 0;
  const sectors =
    dims.includes('sector') || dims.includes('rep') || filter.sector !== undefined || (filter.reps?.length ?? 0) > 0;
  const services = readsServices(filter, dims);
  const devices = dims.includes('device') || (filter.devices?.length ?? 0) > 0;
  const profiles = dims.includes('profile') || (filter.profiles?.length ?? 0) > 0;
  if (establishments || (sectors && (services || devices))) return 'person';
  if (sectors) return 'sector';
  if (devices || profiles) return 'dept';
  return services ? 'dept_service' : 'dept_total';
}

/** Whether a breakdown reads each service's rows (it breaks down or filters by service) rather than the ENT-wide '*'. */
function readsServices(filter: IndicatorFilter, dims: readonly string[]): boolean {
  return dims.includes('service') || (filter.services?.length ?? 0) > 0;
}

/** The rollup rows of that service kind: each service's, or the ENT-wide '*' ones. */
const serviceKind = (services: boolean) => (services ? `ent_service != '*'` : `ent_service = '*'`);

/** Breakdowns visit_person cannot answer (platform, school level): counted exactly from activity_actor_daily. */
const EXACT_ONLY: readonly DimensionName[] = ['platform', 'level'];

/** Visits, users and durations of every cell of `breakdowns` under `filter` (cells without activity are absent). */
export async function visitCells(
  w: Warehouse,
  filter: IndicatorFilter,
  breakdowns: readonly Breakdown[],
): Promise<VisitCell[]> {
  return (await visitCellsMany(w, [{ filter, breakdowns }]))[0] as VisitCell[];
}

/** One visitCells request of visitCellsMany. */
export interface CellsRequest {
  filter: IndicatorFilter;
  breakdowns: readonly Breakdown[];
}

type CellRow = { q: number; set: number; key: string[]; visits: string; users: string; span_minutes: string };

/** The territory fields a total can be grouped by in one read of visit_cube (its columns). */
const TERRITORY_LEVELS = ['region', 'academie', 'departement'] as const;

/** A filter without its territory levels (TERRITORY_LEVELS): what the totals of one group share. */
function withoutLevels(filter: IndicatorFilter): IndicatorFilter {
  const { region: _r, academie: _a, departement: _d, ...rest } = filter;
  return rest;
}

/**
 * Requests that only ask a total (`[[]]`) read from visit_cube, whose filters differ by one territory field at most
 * (an establishment's académie and France, a département's académie and région): groups of two or more, read as
 * grouping sets of one read of their rows (territoryTotalsSql) rather than one read each.
 */
function territoryTotalGroups(requests: readonly CellsRequest[]): number[][] {
  const groups = new Map<string, number[]>();
  const seen = new Set<string>();
  requests.forEach(({ filter, breakdowns }, request) => {
    if (breakdowns.length !== 1 || (breakdowns[0] as Breakdown).length !== 0) return;
    if (sourceOf(filter) === 'person') return;
    const levels = TERRITORY_LEVELS.filter((l) => filter[l] !== undefined);
    if (levels.length > 1) return;
    const id = JSON.stringify(withoutLevels(filter));
    // The same territory asked twice: once in the group (each grouping set's cell answers one request).
    const territory = `${id}|${levels.map((l) => `${l}=${filter[l]}`).join('')}`;
    if (seen.has(territory)) return;
    seen.add(territory);
    groups.set(id, [...(groups.get(id) ?? []), request]);
  });
  // France alone twice is not a group: there is a territory level to group by.
  const territorial = (request: number) => TERRITORY_LEVELS.some((l) => requests[request]?.filter[l] !== undefined);
  return [...groups.values()].filter((g) => g.length > 1 && g.some(territorial));
}

/**
 * The totals of territoryTotalGroups' group in one read: the rows of every territory asked (France's: all of them),
 * grouped by each territory level asked, each grouping set's cell of the asked territory kept as the request's total
 * (`q`). Another académie's cells are merged too and dropped: a few dozen cells, cheaper than a read of their own.
 */
function territoryTotalsSql(asked: readonly { filter: IndicatorFilter; q: number }[], prefix: string): SqlPart {
  const first = asked[0]!.filter;
  const where = whereOf(withoutLevels(first), { prefix });
  const source = sourceOf(first);
  const period = periodOf(first.from, first.to, grainsFor([]), 'period', `${prefix}p`);
  const params: QueryParams = { ...where.params, ...period.params };
  const levels = TERRITORY_LEVELS.filter((l) => asked.some(({ filter }) => filter[l] !== undefined));
  const grouping = `GROUPING(${levels.map((l) => `k_${l}`).join(', ')})`;
  const all = (1 << levels.length) - 1;
  const rows: string[] = [];
  const cells = asked.map(({ filter, q }, i) => {
    const level = levels.find((l) => filter[l] !== undefined);
    if (!level) {
      rows.push('1');
      return `${grouping} = ${all}, ${q}`;
    }
    params[`${prefix}t${i}`] = filter[level];
    rows.push(`${level} = {${prefix}t${i}:String}`);
    const mask = all ^ (1 << (levels.length - 1 - levels.indexOf(level)));
    return `${grouping} = ${mask} AND k_${level} = {${prefix}t${i}:String}, ${q}`;
  });
  const sets = [
    ...(asked.some(({ filter }) => TERRITORY_LEVELS.every((l) => filter[l] === undefined)) ? ['()'] : []),
    ...levels.map((l) => `(k_${l})`),
  ];
  const kind = serviceKind(readsServices(first, []));
  return {
    sql: `SELECT q, toUInt8(0) AS set, []::Array(String) AS key, visits, users, span_minutes
FROM (
  SELECT multiIf(${cells.join(', ')}, 65535) AS q, sum(visits) AS visits, ${CUBE_USERS} AS users,
    sum(span_minutes) AS span_minutes
  FROM (
    SELECT ${[...levels.map((l) => `toString(${l}) AS k_${l}`), 'visits', 'span_minutes', 'users'].join(', ')}
    FROM ${TABLES.visitCube}
    WHERE level = '${source}' AND ${kind} AND ${period.sql} AND ${where.sql} AND (${[...new Set(rows)].join(' OR ')})${CUBE_READ}
  )
  GROUP BY GROUPING SETS (${sets.join(', ')})
)
WHERE q != 65535`,
    params,
  };
}

/**
 * visitCells of several requests (a view's own figures and the totals it compares them with), their rollup reads in
 * one ClickHouse request: a UNION ALL, each request's parameters prefixed, totals of one filter at several territory
 * levels as one read (territoryTotalGroups). Each request costs about 10 ms of planning and opening parts before it
 * reads anything (embedded, 10 million statements); the establishment view's three reads took 10 ms less wall time
 * and 12 ms less CPU as one request, and its two totals as one read 9 ms less run alone. Breakdowns by platform or
 * school level are read exactly (exactVisitCellsSql), a request of their own each.
 */
export async function visitCellsMany(w: Warehouse, requests: readonly CellsRequest[]): Promise<VisitCell[][]> {
  // `part` null: the request is one of a group of territory totals, read together (`together`, its own q column).
  const rollups: { request: number; sets: number[]; part: SqlPart | null }[] = [];
  const together: SqlPart[] = [];
  const reads: Promise<CellRow[]>[] = [];
  const grouped = new Set<number>();
  for (const group of territoryTotalGroups(requests)) {
    const qs = group.map((request) => rollups.push({ request, sets: [0], part: null }) - 1);
    group.forEach((request) => grouped.add(request));
    together.push(
      territoryTotalsSql(
        group.map((request, i) => ({ filter: requests[request]!.filter, q: qs[i]! })),
        `g${together.length}_`,
      ),
    );
  }
  requests.forEach(({ filter, breakdowns }, request) => {
    if (grouped.has(request)) return;
    const exact = breakdowns.map((b) => b.some((d) => EXACT_ONLY.includes(d)));
    const rollupSets = breakdowns.map((_, i) => i).filter((i) => !exact[i]);
    const exactSets = breakdowns.map((_, i) => i).filter((i) => exact[i]);
    if (rollupSets.length > 0) {
      const chosen = rollupSets.map((i) => breakdowns[i] as Breakdown);
      const prefix = requests.length > 1 ? `q${rollups.length}_` : '';
      rollups.push({ request, sets: rollupSets, part: visitCellsSelects(filter, chosen, prefix) });
    }
    if (exactSets.length > 0) {
      const where = exactWhereOf(filter);
      const sql = exactVisitCellsSql(
        exactSets.map((i) => breakdowns[i] as Breakdown),
        where.sql,
        where.keep,
      );
      reads.push(
        queryRows<Omit<CellRow, 'q'>>(w.client, sql, where.params).then((rows) =>
          rows.map((r) => ({ ...r, q: request, set: exactSets[Number(r.set)] as number })),
        ),
      );
    }
  });
  if (rollups.length > 0) {
    // One request's SQL is sent as it is (no `q` column: its rows are the first request's).
    const only = rollups.length === 1 ? rollups[0]?.part : null;
    const parts = [
      ...rollups.flatMap(({ part }, n) =>
        part ? [{ ...part, sql: `SELECT ${n} AS q, * FROM (\n${part.sql}\n)` }] : [],
      ),
      ...together,
    ];
    const sql = only ? only.sql : parts.map((part) => part.sql).join('\nUNION ALL\n');
    const params = Object.assign({}, ...(only ? [only] : parts).map((part) => part.params)) as QueryParams;
    reads.push(
      queryRows<Omit<CellRow, 'q'> & { q?: number }>(w.client, `${sql}${GROUPING_STANDARD}`, params).then((rows) =>
        rows.map((r) => {
          const { request, sets } = rollups[Number(r.q ?? 0)] as (typeof rollups)[number];
          return { ...r, q: request, set: sets[Number(r.set)] as number };
        }),
      ),
    );
  }
  const out: VisitCell[][] = requests.map(() => []);
  for (const r of (await Promise.all(reads)).flat()) {
    const visits = Number(r.visits);
    out[r.q]?.push({
      set: Number(r.set),
      key: r.key,
      visits,
      users: Number(r.users),
      durationSeconds: visits ? (Number(r.span_minutes) * 60) / visits : 0,
    });
  }
  for (const cells of out) cells.sort((a, b) => a.set - b.set || a.key.join('|').localeCompare(b.key.join('|')));
  return out;
}

/** The cells of one breakdown, keyed by their joined key. */
export function cellsOf(cells: VisitCell[], set: number): Map<string, VisitCell> {
  return new Map(cells.filter((c) => c.set === set).map((c) => [c.key.join('|'), c]));
}

/** An empty cell for keys with no activity. */
export function emptyCell(set: number, key: string[]): VisitCell {
  return { set, key, visits: 0, users: 0, durationSeconds: 0 };
}
