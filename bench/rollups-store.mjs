// The synthetic visit-rollup store of the rollups benchmarks (bench/rollups.mjs, bench/rollups-live.mjs), built
// inside ClickHouse rather than through the LRS (far too slow at 100M): activity_actor_daily, the only source the
// visit rollups read, is filled by INSERT … SELECT from numbers() with a fixed pattern:
// - school days of November 2025, 10 statements per person-day, 500 people per establishment (1 in 10 a teacher, 1 in
//   10 a parent, the rest pupils; 1 in 3 on a smartphone);
// - a person-day is two visits two hours apart (5 statements 5 minutes apart in each), each in one of five services;
//   territories, sector and REP derived from the establishment's number.
// Each fill is marked in visit_dirty_day as the materialized view marks statements: by person (migration 061), or
// the whole day × establishment (person 0: what every mark was before it).
import { command, queryRows } from '@ent-observatory/warehouse';

export const DAYS = ['03', '04', '05', '06', '07', '10', '11', '12', '13', '14'].map((d) => `2025-11-${d}`);
export const PEOPLE = 500;
export const PER_PERSON_DAY = 10;
const SERVICES = ['notes', 'cahier_textes', 'messagerie', 'ressources', 'vie_scolaire'];

/** Establishments [first, first + n) × their people [p0, p0 + pn): `u` the establishment, `i` the person. */
const PEOPLE_OF = `(SELECT {first:UInt32} + intDiv(number, {pn:UInt32}) AS u, {p0:UInt32} + number % {pn:UInt32} AS i
  FROM numbers({n:UInt32} * {pn:UInt32}))`;
const UAI = `concat('0', leftPad(toString(u), 6, '0'), 'X')`;
const PSEUDONYM = `concat('p', toString(u), '-', toString(i))`;

/** One day's activity of PEOPLE_OF: two rows (services) per person. */
const ACTIVITY_SQL = `INSERT INTO activity_actor_daily
SELECT toDate({day:String}) AS day, toString(u % 13) AS region, toString(u % 30) AS academie,
  leftPad(toString(u % 95 + 1), 3, '0') AS departement, ${UAI} AS uai,
  if(u % 5 = 0, 'private', 'public') AS sector, if(u % 7 = 0, 'REP', 'none') AS rep,
  multiIf(i % 10 = 0, 'ENSEIGNANT', i % 10 = 1, 'PARENT', 'ELEVE') AS ent_profile,
  {services:Array(String)}[(i + toDayOfMonth(day) + v * 2) % 5 + 1] AS ent_service,
  if(i % 3 = 0, 'smartphone', 'ordinateur') AS device, 'toutatice' AS platform, '' AS school_level,
  ${PSEUDONYM} AS actor_pseudonym,
  arrayReduce('groupUniqArrayState', arrayMap(k -> toUInt16(480 + (i * 7) % 600 + v * 120 + k * 5), range(5))) AS minutes,
  toUInt64(5) AS events
FROM ${PEOPLE_OF} ARRAY JOIN [0, 1] AS v`;

/**
 * Fills one day for establishments [first, first + establishments) and their people [p0, p0 + pn), and marks it:
 * `byPerson` as the materialized view marks statements (one mark per person), otherwise the whole day ×
 * establishment.
 */
export async function fillDay(w, day, first, establishments, { p0 = 0, pn = PEOPLE, byPerson = false } = {}) {
  const params = { day, first, n: establishments, p0, pn };
  await command(w.client, ACTIVITY_SQL, { ...params, services: SERVICES });
  if (byPerson) {
    await command(
      w.client,
      `INSERT INTO visit_dirty_day (at, day, uai, person)
       SELECT now64(3, 'UTC'), toDate({day:String}), ${UAI}, cityHash64(${PSEUDONYM}) FROM ${PEOPLE_OF}`,
      params,
    );
  } else {
    await command(
      w.client,
      `INSERT INTO visit_dirty_day (at, day, uai)
       SELECT now64(3, 'UTC'), toDate({day:String}), ${UAI} FROM (SELECT {first:UInt32} + number AS u FROM numbers({n:UInt32}))`,
      { day, first, n: establishments },
    );
  }
}

/**
 * Waits until no merge runs in this store: the merges the build left behind (large at 30M+) would otherwise share
 * the two cores with the timed work. A store that has been live for a while is in that state.
 */
export async function settled(w) {
  for (;;) {
    const [row] = await queryRows(
      w.client,
      'SELECT count() AS n FROM system.merges WHERE database = currentDatabase()',
    );
    if (Number(row?.n ?? 0) === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The first column of the first row of `sql`, as a number. */
export const one = async (w, sql) => Number(Object.values((await queryRows(w.client, sql))[0] ?? {})[0] ?? 0);
