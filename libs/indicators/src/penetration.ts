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
  /** All activity of the grouping (every profile, service and device): visits, distinct people, visit minutes. */
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

/** The rows that make an establishment measured: ENT-wide activity from the start of the period's school year. */
export function measuredWhere(filter: IndicatorFilter): SqlPart {
  const territory = whereOf(filter, { territoryOnly: true, prefix: 'm_' });
  const period = periodOf(periodStart(filter.from, 'school_year'), filter.to, grainsFor([]), 'period', 'm');
  return {
    sql: `ent_service = '*' AND ${period.sql} AND ${territory.sql}`,
    params: { ...territory.params, ...period.params },
  };
}

/** The establishments of the directory in the filter's territory with their activity, measured or not. */
export function penetrationSql(
  dim: PenetrationDimension,
  directoryWhere: string,
  activityWhere: string,
  measuredWhere: string,
): string {
  const key = dim === null ? `''` : `toString(${dim})`;
  const known = `uai IN (SELECT uai FROM ${TABLES.directoryEstablishments} FINAL WHERE ifNull(pupils, 0) > 0)`;
  return `SELECT d.key AS key, d.name AS name, d.establishments AS establishments, m.measured AS measured,
  m.rated AS rated, m.enrolled AS enrolled, a.pupils AS pupils, a.parents AS parents, a.rated_pupils AS rated_pupils,
  a.rated_parents AS rated_parents, a.act_visits AS visits, a.act_users AS users, a.act_span AS span_minutes,
  d.latitude AS latitude, d.longitude AS longitude
FROM (
  SELECT ${key} AS key, if(count() = 1, any(name), '') AS name, count() AS establishments,
    any(latitude) AS latitude, any(longitude) AS longitude
  FROM ${TABLES.directoryEstablishments} FINAL
  WHERE ${directoryWhere}
  GROUP BY key
) AS d
LEFT JOIN (
  SELECT ${key} AS key, count() AS measured, countIf(ifNull(pupils, 0) > 0) AS rated,
    toUInt64(sum(ifNull(pupils, 0))) AS enrolled
  FROM ${TABLES.directoryEstablishments} FINAL
  WHERE ${directoryWhere} AND uai IN (SELECT uai FROM ${TABLES.visitPerson} WHERE ${measuredWhere})
  GROUP BY key
) AS m ON m.key = d.key
LEFT JOIN (
  SELECT ${key} AS key, uniqIf(person, ent_profile = 'ELEVE') AS pupils, uniqIf(person, ent_profile = 'PARENT') AS parents,
    uniqIf(person, ent_profile = 'ELEVE' AND ${known}) AS rated_pupils,
    uniqIf(person, ent_profile = 'PARENT' AND ${known}) AS rated_parents,
    sum(visits) AS act_visits, ${USERS} AS act_users, sum(span_minutes) AS act_span
  FROM ${TABLES.visitPerson}
  WHERE ${activityWhere}
  GROUP BY key
) AS a ON a.key = d.key
ORDER BY key`;
}

export async function penetrationBy(
  w: Warehouse,
  filter: IndicatorFilter,
  dim: PenetrationDimension,
): Promise<PenetrationRow[]> {
  return (await penetrationByMany(w, filter, [dim]))[0] as PenetrationRow[];
}

/** penetrationBy for several groupings in one round trip (UNION ALL): one list of rows per grouping, in order. */
export async function penetrationByMany(
  w: Warehouse,
  filter: IndicatorFilter,
  dims: readonly PenetrationDimension[],
): Promise<PenetrationRow[][]> {
  const dir = whereOf(filter, { territoryOnly: true });
  const act = penetrationActivityWhere(filter);
  const measured = measuredWhere(filter);
  const rows = await queryRows<
    Record<
      keyof PenetrationRow | 'grouping' | 'span_minutes' | 'rated_pupils' | 'rated_parents',
      string | number | null
    >
  >(
    w.client,
    dims
      .map((dim, i) => `SELECT ${i} AS grouping, * FROM (${penetrationSql(dim, dir.sql, act.sql, measured.sql)})`)
      .join('\nUNION ALL\n'),
    { ...dir.params, ...act.params, ...measured.params },
  );
  const out: PenetrationRow[][] = dims.map(() => []);
  for (const r of rows) {
    out[Number(r.grouping)]?.push({
      key: String(r.key),
      name: String(r.name ?? ''),
      establishments: Number(r.establishments),
      measured: Number(r.measured ?? 0),
      rated: Number(r.rated ?? 0),
      enrolled: Number(r.enrolled ?? 0),
      pupils: Number(r.pupils ?? 0),
      parents: Number(r.parents ?? 0),
      ratedPupils: Number(r.rated_pupils ?? 0),
      ratedParents: Number(r.rated_parents ?? 0),
      visits: Number(r.visits ?? 0),
      users: Number(r.users ?? 0),
      spanMinutes: Number(r.span_minutes ?? 0),
      latitude: r.latitude === null ? null : Number(r.latitude),
      longitude: r.longitude === null ? null : Number(r.longitude),
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
