import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, type SqlPart, whereOf } from './filter.js';
import { CUBE_USERS, USERS, type VisitSource, grainsFor, periodOf, sourceOf } from './visits.js';
import { isSuppressed } from './k-anonymity.js';

/**
 * Penetration: the share of enrolled pupils who used the ENT in the period (active pupils ÷ enrolled pupils), and
 * active parents per enrolled pupil. Enrolment is the directory's pupil count of each establishment (annuaire's
 * Nombre_d_eleves, else its latest TOTAL enrolment), mirrored in ClickHouse (directory_establishments). Read a
 * pupil rate of 0.6 as "6 pupils in 10 used the ENT at least once in the period"; compare territories on the same
 * period length only (longer periods reach more people). A rate over 1 means stale enrolments or shared accounts.
 * Profile, service and device filters do not apply (the population is all pupils and all parents).
 */
export interface PenetrationInput {
  filter: IndicatorFilter;
  k: number;
}

export interface PenetrationOutput {
  enrolledPupils: number;
  activePupils: number | null;
  pupilRate: number | null;
  activeParents: number | null;
  parentsPerPupil: number | null;
  suppressed: boolean;
  parentsSuppressed: boolean;
}

/** Establishment-level grouping of penetration; null = one row for the whole filter. */
export type PenetrationDimension = 'region' | 'academie' | 'departement' | 'uai' | 'sector' | 'rep' | null;

export interface PenetrationRow {
  key: string;
  /** Establishment name (uai grouping) or ''. */
  name: string;
  establishments: number;
  enrolled: number;
  pupils: number;
  parents: number;
  /** All activity of the grouping (every profile, service and device): visits, distinct people, visit minutes. */
  visits: number;
  users: number;
  spanMinutes: number;
  latitude: number | null;
  longitude: number | null;
}

/**
 * The visit_cube cells penetration reads: ENT-wide ('*'), over the filter's territory and period (profile, service
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

/** Where penetration reads its active pupils and parents (its profile, service and device filters do not apply). */
export function levelOf(filter: IndicatorFilter, dim: PenetrationDimension): VisitSource {
  const { profiles: _p, services: _s, devices: _d, ...territory } = filter;
  // pupils and parents: a level that keeps profiles
  return sourceOf(territory, dim ? [dim, 'profile'] : ['profile']);
}

/** Establishments of the directory in the filter's territory, left-joined with their active pupils and parents. */
export function penetrationSql(
  dim: PenetrationDimension,
  directoryWhere: string,
  activityWhere: string,
  source: VisitSource,
): string {
  const key = dim === null ? `''` : `toString(${dim})`;
  const users = (profile: string) =>
    source === 'person'
      ? `uniqIf(person, ent_profile = '${profile}')`
      : `uniqCombinedMergeIf(12)(users, ent_profile = '${profile}')`;
  return `SELECT d.key AS key, d.name AS name, d.establishments AS establishments, d.enrolled AS enrolled,
  a.pupils AS pupils, a.parents AS parents, a.act_visits AS visits, a.act_users AS users, a.act_span AS span_minutes,
  d.latitude AS latitude, d.longitude AS longitude
FROM (
  SELECT ${key} AS key, if(count() = 1, any(name), '') AS name, count() AS establishments,
    toUInt64(sum(ifNull(pupils, 0))) AS enrolled, any(latitude) AS latitude, any(longitude) AS longitude
  FROM ${TABLES.directoryEstablishments} FINAL
  WHERE ${directoryWhere}
  GROUP BY key
) AS d
LEFT JOIN (
  SELECT ${key} AS key, ${users('ELEVE')} AS pupils, ${users('PARENT')} AS parents, sum(visits) AS act_visits,
    ${source === 'person' ? USERS : CUBE_USERS} AS act_users, sum(span_minutes) AS act_span
  FROM ${source === 'person' ? TABLES.visitPerson : TABLES.visitCube}
  WHERE ${source === 'person' ? '' : `level = '${source}' AND `}${activityWhere}
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
  const rows = await queryRows<Record<keyof PenetrationRow | 'grouping' | 'span_minutes', string | number | null>>(
    w.client,
    dims
      .map(
        (dim, i) => `SELECT ${i} AS grouping, * FROM (${penetrationSql(dim, dir.sql, act.sql, levelOf(filter, dim))})`,
      )
      .join('\nUNION ALL\n'),
    { ...dir.params, ...act.params },
  );
  const out: PenetrationRow[][] = dims.map(() => []);
  for (const r of rows) {
    out[Number(r.grouping)]?.push({
      key: String(r.key),
      name: String(r.name ?? ''),
      establishments: Number(r.establishments),
      enrolled: Number(r.enrolled),
      pupils: Number(r.pupils ?? 0),
      parents: Number(r.parents ?? 0),
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

/** Penetration of the whole filter: active pupils and parents over the enrolment of its establishments. */
export async function penetration(w: Warehouse, input: PenetrationInput): Promise<PenetrationOutput> {
  const [row] = await penetrationBy(w, input.filter, null);
  return penetrationOf(row?.enrolled ?? 0, row?.pupils ?? 0, row?.parents ?? 0, input.k);
}

export function penetrationOf(enrolled: number, pupils: number, parents: number, k: number): PenetrationOutput {
  const suppressed = isSuppressed(pupils, k);
  const parentsSuppressed = isSuppressed(parents, k);
  return {
    enrolledPupils: enrolled,
    activePupils: suppressed ? null : pupils,
    pupilRate: suppressed || enrolled === 0 ? null : pupils / enrolled,
    activeParents: parentsSuppressed ? null : parents,
    parentsPerPupil: parentsSuppressed || enrolled === 0 ? null : parents / enrolled,
    suppressed,
    parentsSuppressed,
  };
}
