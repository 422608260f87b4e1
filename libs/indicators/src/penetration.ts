import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, type SqlPart, whereOf } from './filter.js';
import { USERS, grainsFor, periodOf } from './visits.js';
import { periodStart } from './figures.js';
import { isSuppressed } from './k-anonymity.js';

/**
 * Penetration: the share of enrolled pupils who used the ENT in the period (active pupils ÷ enrolled pupils), and
 * active parents per enrolled pupil. Enrolment is the directory's pupil count of each establishment (its latest
 * TOTAL enrolment, else the annuaire's Nombre_d_eleves), mirrored in ClickHouse (directory_establishments). Read a
 * pupil rate of 0.6 as "6 pupils in 10 used the ENT at least once in the period"; compare territories on the same
 * period length only (longer periods reach more people). A rate over 1 means stale enrolments or shared accounts.
 * Profile, service and device filters do not apply (the population is all pupils and all parents).
 *
 * A rate divides people by the enrolment of the same establishments: those that are measured (the LRS received
 * activity from them during the school year, as the DNMA lists the establishments whose ENT reports) and whose
 * enrolment the directory knows. The active pupils and parents of the other establishments are counted as active
 * but are in no rate; a territory without any such establishment has no rate (null), which is not a zero.
 */
export interface PenetrationInput {
  filter: IndicatorFilter;
  k: number;
}

export interface PenetrationOutput {
  /** Enrolment of the rates' establishments (measured, enrolment known); 0 = no rate possible. */
  enrolledPupils: number;
  /** Every active pupil of the territory (in the rates' establishments or not). */
  activePupils: number | null;
  pupilRate: number | null;
  activeParents: number | null;
  parentsPerPupil: number | null;
  suppressed: boolean;
  parentsSuppressed: boolean;
  /** Establishments of the directory in the territory, those measured, and those of the rates. */
  establishments: number;
  measuredEstablishments: number;
  ratedEstablishments: number;
}

/** Establishment-level grouping of penetration; null = one row for the whole filter. */
export type PenetrationDimension = 'region' | 'academie' | 'departement' | 'uai' | 'sector' | 'rep' | null;

export interface PenetrationRow {
  key: string;
  /** Establishment name (uai grouping) or ''. */
  name: string;
  establishments: number;
  /** Measured establishments, and those of them whose enrolment is known (the rates' establishments). */
  measured: number;
  rated: number;
  /** Enrolment of the rates' establishments. */
  enrolled: number;
  /** Active pupils and parents: all of them, and those of the rates' establishments. */
  pupils: number;
  parents: number;
  ratedPupils: number;
  ratedParents: number;
  /**
   * All activity of the grouping (every profile, service and device): visits, distinct people, visit minutes. Counted
   * only with PenetrationOptions.activity; 0 otherwise.
   */
  visits: number;
  users: number;
  spanMinutes: number;
  latitude: number | null;
  longitude: number | null;
}

/**
 * The visit_person rows penetration reads: ENT-wide ('*'), over the filter's territory and period (profile, service
 * and device restrictions left out).
 */
export function penetrationActivityWhere(filter: IndicatorFilter): SqlPart {
  const territory = whereOf(filter, { territoryOnly: true });
  const period = periodOf(filter.from, filter.to, grainsFor([]));
  return {
    sql: `ent_service = '*' AND ${period.sql} AND ${territory.sql}`,
    params: { ...territory.params, ...period.params },
  };
}

/**
 * The visit_establishment_days rows that make an establishment measured: ENT-wide activity from the start of the
 * period's school year to its end.
 */
export function measuredWhere(filter: IndicatorFilter): SqlPart {
  const territory = whereOf(filter, { territoryOnly: true, prefix: 'm_' });
  return {
    sql: `day BETWEEN {m_from:Date} AND {m_to:Date} AND ${territory.sql}`,
    params: { ...territory.params, m_from: periodStart(filter.from, 'school_year'), m_to: filter.to },
  };
}

/**
 * Several groupings of one set of rows in one read (GROUP BY GROUPING SETS): `grouping` is the index of the
 * grouping in `dims`, `key` its value ('' for null, the whole filter). One read of the rows for all of a view's
 * groupings: equity's four groupings read visit_person once, not four times. `groupBy` ends the query (it carries
 * its SETTINGS).
 */
export function groupingsOf(dims: readonly PenetrationDimension[]): { select: string; groupBy: string } {
  const named = [...new Set(dims.filter((d) => d !== null))];
  if (dims.length === 0) throw new Error('penetration: no grouping asked');
  if (dims.length === 1) {
    const [dim] = dims;
    return dim
      ? { select: `0 AS grouping, toString(${dim}) AS key`, groupBy: `GROUP BY ${dim}` }
      : { select: `0 AS grouping, '' AS key`, groupBy: '' };
  }
  if (new Set(dims).size !== dims.length)
    throw new Error(`penetration: a grouping is named twice (${dims.join(', ')})`);
  // grouping(a, b, …) is a bit mask, first argument first, whose bit is 1 where the argument is not grouped on.
  const all = (1 << named.length) - 1;
  const maskOf = (dim: PenetrationDimension) =>
    dim === null ? all : all ^ (1 << (named.length - 1 - named.indexOf(dim)));
  const mask = `grouping(${named.join(', ')})`;
  const index = dims.map((d, i) => `${mask} = ${maskOf(d)}, ${i}`).join(', ');
  const key = dims.map((d) => `${mask} = ${maskOf(d)}, ${d === null ? `''` : `toString(${d})`}`).join(', ');
  return {
    select: `multiIf(${index}, -1) AS grouping, multiIf(${key}, '') AS key`,
    // The standard meaning of grouping() (1 = not grouped on), whatever the server's default (as visits.ts).
    groupBy: `GROUP BY GROUPING SETS (${dims.map((d) => (d === null ? '()' : `(${d})`)).join(', ')})
SETTINGS force_grouping_standard_compatibility = 1`,
  };
}

/**
 * The establishments of the directory in the filter's territory per grouping: all of them, those measured, those of
 * the rates (measured, enrolment known) and their enrolment. The measured set is read once for every grouping.
 */
export function penetrationDirectorySql(
  dims: readonly PenetrationDimension[],
  directoryWhere: string,
  measuredWhere: string,
): string {
  const { select, groupBy } = groupingsOf(dims);
  return `SELECT ${select}, if(count() = 1, any(name), '') AS name, count() AS establishments,
  countIf(is_measured) AS measured, countIf(is_measured AND ifNull(pupils, 0) > 0) AS rated,
  toUInt64(sumIf(ifNull(pupils, 0), is_measured)) AS enrolled, any(latitude) AS latitude, any(longitude) AS longitude
FROM (
  SELECT *, uai IN (SELECT uai FROM ${TABLES.visitEstablishmentDays} WHERE ${measuredWhere}) AS is_measured
  FROM ${TABLES.directoryEstablishments} FINAL
  WHERE ${directoryWhere}
)
${groupBy}`;
}

/**
 * Active pupils and parents per grouping (all, and those of establishments with a known enrolment), from
 * visit_person's person rows of the period; with `activity`, the grouping's visits, distinct people and visit minutes
 * too (every profile). Distinct persons are counted with uniq, as every view that reads person rows does.
 */
export function penetrationActivitySql(
  dims: readonly PenetrationDimension[],
  activityWhere: string,
  activity: boolean,
): string {
  const { select, groupBy } = groupingsOf(dims);
  const known = `uai IN (SELECT uai FROM ${TABLES.directoryEstablishments} FINAL WHERE ifNull(pupils, 0) > 0)`;
  // Without the activity figures only pupils' and parents' rows count: the others are not read into the states.
  const profiles = activity ? '' : ` AND ent_profile IN ('ELEVE', 'PARENT')`;
  const rows = `SELECT *, ${known} AS known FROM ${TABLES.visitPerson} WHERE ${activityWhere}${profiles}`;
  const people: [string, string][] = [
    ['pupils', `ent_profile = 'ELEVE'`],
    ['parents', `ent_profile = 'PARENT'`],
    ['rated_pupils', `ent_profile = 'ELEVE' AND known`],
    ['rated_parents', `ent_profile = 'PARENT' AND known`],
  ];
  if (dims.length === 1) {
    const sums = activity
      ? `, sum(visits) AS act_visits, ${USERS} AS act_users, sum(span_minutes) AS act_span`
      : ', 0 AS act_visits, 0 AS act_users, 0 AS act_span';
    return `SELECT ${select}, ${people.map(([name, c]) => `uniqIf(person, ${c}) AS ${name}`).join(', ')}${sums}
FROM (${rows})
${groupBy}`;
  }
  // Several groupings: each establishment's people as uniq states first (each row hashed once, not once per
  // grouping), merged per grouping. A merge of uniq states is the union of their sets: the same figure as counting
  // the grouping's rows at once (measured 30 % less time for equity's four groupings; slower for one grouping).
  // The rates' people are the known establishments' (`known` is a property of the establishment): their states are
  // merged a second time, -MergeIf, rather than built twice.
  // An establishment's other columns (région … REP) are the same on all its rows unless the directory changed them
  // between two statements: the rows are grouped by the establishment and one hash of those columns (an
  // establishment relabelled is split between its labels, exactly as grouping by every column would), each column
  // then taken once per group. Measured 20–30 % faster than grouping by the five columns on 10 million statements.
  const named = [...new Set(dims.filter((d): d is Exclude<PenetrationDimension, null> => d !== null && d !== 'uai'))];
  const labels = named.length > 0 ? `, cityHash64(${named.join(', ')})` : '';
  const states = [
    `uniqIfState(person, ent_profile = 'ELEVE') AS s_pupils`,
    `uniqIfState(person, ent_profile = 'PARENT') AS s_parents`,
    ...(activity ? ['sum(visits) AS s_visits', 'uniqState(person) AS s_users', 'sum(span_minutes) AS s_span'] : []),
  ];
  const activityFigures = activity
    ? 'sum(s_visits) AS act_visits, uniqMerge(s_users) AS act_users, sum(s_span) AS act_span'
    : '0 AS act_visits, 0 AS act_users, 0 AS act_span';
  return `SELECT ${select}, uniqIfMerge(s_pupils) AS pupils, uniqIfMerge(s_parents) AS parents,
  uniqIfMergeIf(s_pupils, known) AS rated_pupils, uniqIfMergeIf(s_parents, known) AS rated_parents,
  ${activityFigures}
FROM (
  SELECT *${named.map((d) => `, g_${d} AS ${d}`).join('')}
  FROM (
    SELECT ${['uai', ...named.map((d) => `any(${d}) AS g_${d}`)].join(', ')}, ${known} AS known, ${states.join(', ')}
    FROM ${TABLES.visitPerson}
    WHERE ${activityWhere}${profiles}
    GROUP BY uai${labels}
  )
)
${groupBy}`;
}

export interface PenetrationOptions {
  /** Also count each grouping's visits, distinct people and visit minutes (every profile); otherwise 0. */
  activity?: boolean;
}

export async function penetrationBy(
  w: Warehouse,
  filter: IndicatorFilter,
  dim: PenetrationDimension,
  options: PenetrationOptions = {},
): Promise<PenetrationRow[]> {
  return (await penetrationByMany(w, filter, [dim], options))[0] as PenetrationRow[];
}

type Row = Record<string, string | number | null>;

/**
 * penetrationBy for several groupings: one list of rows per grouping, in order, each sorted by key. Two reads side
 * by side (the directory with the measured set; visit_person's person rows), each once for all the groupings.
 */
export async function penetrationByMany(
  w: Warehouse,
  filter: IndicatorFilter,
  dims: readonly PenetrationDimension[],
  options: PenetrationOptions = {},
): Promise<PenetrationRow[][]> {
  const dir = whereOf(filter, { territoryOnly: true });
  const act = penetrationActivityWhere(filter);
  const measured = measuredWhere(filter);
  const [establishments, active] = await Promise.all([
    queryRows<Row>(w.client, penetrationDirectorySql(dims, dir.sql, measured.sql), {
      ...dir.params,
      ...measured.params,
    }),
    queryRows<Row>(w.client, penetrationActivitySql(dims, act.sql, options.activity ?? false), act.params),
  ]);
  const activity = new Map(active.map((r) => [`${r.grouping}|${r.key}`, r]));
  const out: PenetrationRow[][] = dims.map(() => []);
  // A grouping without any establishment of the directory has no row (as a territory without schools).
  for (const d of establishments.filter((r) => Number(r.establishments) > 0)) {
    const a = activity.get(`${d.grouping}|${d.key}`);
    out[Number(d.grouping)]?.push({
      key: String(d.key),
      name: String(d.name ?? ''),
      establishments: Number(d.establishments),
      measured: Number(d.measured ?? 0),
      rated: Number(d.rated ?? 0),
      enrolled: Number(d.enrolled ?? 0),
      pupils: Number(a?.pupils ?? 0),
      parents: Number(a?.parents ?? 0),
      ratedPupils: Number(a?.rated_pupils ?? 0),
      ratedParents: Number(a?.rated_parents ?? 0),
      visits: Number(a?.act_visits ?? 0),
      users: Number(a?.act_users ?? 0),
      spanMinutes: Number(a?.act_span ?? 0),
      latitude: d.latitude === null ? null : Number(d.latitude),
      longitude: d.longitude === null ? null : Number(d.longitude),
    });
  }
  for (const list of out) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

/** Penetration of the whole filter: active pupils and parents over the enrolment of the same establishments. */
export async function penetration(w: Warehouse, input: PenetrationInput): Promise<PenetrationOutput> {
  const [row] = await penetrationBy(w, input.filter, null);
  return penetrationOf(row, input.k);
}

/** A row's figures: people under k hidden, rates only over the rates' establishments (null without any). */
export function penetrationOf(row: PenetrationRow | undefined, k: number): PenetrationOutput {
  const r = row ?? EMPTY_ROW;
  const suppressed = isSuppressed(r.pupils, k);
  const parentsSuppressed = isSuppressed(r.parents, k);
  const rate = (people: number) => (r.enrolled === 0 || isSuppressed(people, k) ? null : people / r.enrolled);
  return {
    enrolledPupils: r.enrolled,
    activePupils: suppressed ? null : r.pupils,
    pupilRate: suppressed ? null : rate(r.ratedPupils),
    activeParents: parentsSuppressed ? null : r.parents,
    parentsPerPupil: parentsSuppressed ? null : rate(r.ratedParents),
    suppressed,
    parentsSuppressed,
    establishments: r.establishments,
    measuredEstablishments: r.measured,
    ratedEstablishments: r.rated,
  };
}

const EMPTY_ROW: PenetrationRow = {
  key: '',
  name: '',
  establishments: 0,
  measured: 0,
  rated: 0,
  enrolled: 0,
  pupils: 0,
  parents: 0,
  ratedPupils: 0,
  ratedParents: 0,
  visits: 0,
  users: 0,
  spanMinutes: 0,
  latitude: null,
  longitude: null,
};
