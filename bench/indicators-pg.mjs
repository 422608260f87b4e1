// The observatory's dashboard views written as a typical SQL LRS has to compute them (Learning Locker on
// PostgreSQL, Yet Analytics SQL LRS): one `statements` table with the statement as a JSONB payload, indexed
// actor/verb/activity/registration columns and a timestamp index. Profile, service, device and UAI live inside the
// payload (context.extensions / object.definition.type), so every view extracts them from the JSONB; visits are
// sessionised with window functions (a new visit after 30 idle minutes, as the observatory defines them); the
// directory (territories, enrolments) is a side table joined on the extracted UAI. Each view is ONE SQL statement
// (one round trip, like the GraphQL view query) returning JSON.
import { ENT_ACTIVITY_EXTENSIONS, ENT_CONTEXT_EXTENSIONS, SERVICE_ACTIVITY_TYPE_PREFIX } from '@ent-observatory/xapi';

const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const ext = (iri) => `payload->'context'->'extensions'->>${lit(iri)}`;
const servicePattern = lit(`^${SERVICE_ACTIVITY_TYPE_PREFIX.replace(/[.]/g, '\\.')}([a-z_]+)$`);

/** The DDL of the SQL-LRS table, its indexes (created after COPY) and the directory side tables. */
export const PG_SCHEMA = `
CREATE TABLE IF NOT EXISTS lrs_statements (
  id uuid NOT NULL,
  stored timestamptz NOT NULL,
  "timestamp" timestamptz NOT NULL,
  actor_ifi text NOT NULL,
  verb_id text NOT NULL,
  activity_id text NOT NULL,
  registration uuid,
  payload jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS dir_establishments (
  uai text PRIMARY KEY, name text, type text, sector text, rep text,
  departement text, academie text, region text
);
CREATE TABLE IF NOT EXISTS dir_enrolments (uai text, school_year text, level text, pupils integer,
  PRIMARY KEY (uai, school_year, level));
CREATE TABLE IF NOT EXISTS dir_territories (level text, code text, name text, PRIMARY KEY (level, code));
CREATE TABLE IF NOT EXISTS bench_marker (name text PRIMARY KEY, statements bigint NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now());
`;

export const PG_INDEXES = [
  'CREATE UNIQUE INDEX IF NOT EXISTS lrs_statements_id ON lrs_statements (id)',
  'CREATE INDEX IF NOT EXISTS lrs_statements_stored ON lrs_statements (stored)',
  'CREATE INDEX IF NOT EXISTS lrs_statements_timestamp ON lrs_statements ("timestamp")',
  'CREATE INDEX IF NOT EXISTS lrs_statements_actor ON lrs_statements (actor_ifi)',
  'CREATE INDEX IF NOT EXISTS lrs_statements_verb ON lrs_statements (verb_id)',
  'CREATE INDEX IF NOT EXISTS lrs_statements_activity ON lrs_statements (activity_id)',
  'CREATE INDEX IF NOT EXISTS lrs_statements_registration ON lrs_statements (registration)',
];

/** Statements of [$1, $2) with what the views need, extracted from the payload. */
const BASE = `
  SELECT COALESCE(${ext(ENT_CONTEXT_EXTENSIONS.person)}, actor_ifi) AS person,
         s."timestamp" AS ts,
         upper(${ext(ENT_CONTEXT_EXTENSIONS.uai)}) AS uai,
         CASE WHEN ${ext(ENT_CONTEXT_EXTENSIONS.profile)} IN ('ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL')
              THEN ${ext(ENT_CONTEXT_EXTENSIONS.profile)} ELSE 'AUTRE' END AS profile,
         COALESCE(${ext(ENT_CONTEXT_EXTENSIONS.device)}, '') AS device,
         COALESCE(substring(payload->'object'->'definition'->>'type' FROM ${servicePattern}),
                  substring(payload->'context'->'contextActivities'->'parent'->0->'definition'->>'type' FROM ${servicePattern}),
                  'autre') AS service,
         ${ext(ENT_CONTEXT_EXTENSIONS.level)} AS level,
         payload->'context'->>'platform' AS platform
    FROM lrs_statements s
   WHERE s."timestamp" >= $1::timestamptz AND s."timestamp" < $2::timestamptz
     AND s.verb_id <> 'http://adlnet.gov/expapi/verbs/voided'`;

/** Visits: per person, a new visit after 30 minutes without activity; duration = last - first statement. */
const SESSIONS = (where = 'true') => `
  base AS MATERIALIZED (SELECT b.*, e.departement, e.academie, e.region, e.sector, e.rep
                          FROM (${BASE}) b LEFT JOIN dir_establishments e ON e.uai = b.uai WHERE ${where}),
  gaps AS (SELECT *, CASE WHEN lag(ts) OVER (PARTITION BY person ORDER BY ts) > ts - interval '30 minutes'
                          THEN 0 ELSE 1 END AS starts FROM base),
  numbered AS (SELECT *, sum(starts) OVER (PARTITION BY person ORDER BY ts ROWS UNBOUNDED PRECEDING) AS visit FROM gaps),
  visits AS MATERIALIZED (
    SELECT person, visit, min(ts) AS started, extract(epoch FROM max(ts) - min(ts)) AS seconds FROM numbered GROUP BY 1, 2),
  events AS MATERIALIZED (SELECT n.*, v.seconds FROM numbered n JOIN visits v USING (person, visit))`;

/** visits, users, mean duration per visit of the rows of `events` matching `where`, grouped by `keys`. */
const figures = (keys, where = 'true', from = 'events') => `
  SELECT ${keys ? `${keys},` : ''} count(DISTINCT (person, visit)) AS visits, count(DISTINCT person) AS users,
         sum(DISTINCT_seconds) / NULLIF(count(DISTINCT (person, visit)), 0) AS duration
    FROM (SELECT *, CASE WHEN row_number() OVER (PARTITION BY person, visit${keys ? `, ${keys}` : ''}) = 1 THEN seconds ELSE 0 END AS DISTINCT_seconds
            FROM ${from} WHERE ${where}) x
   ${keys ? `GROUP BY ${keys}` : ''}`;

const agg = (sql) => `(SELECT coalesce(json_agg(t), '[]') FROM (${sql}) t)`;
const one = (sql) => `(SELECT row_to_json(t) FROM (${sql}) t)`;

/** Enrolled pupils of the latest school year known for the establishments matching `where` (on `e`). */
const ENROLLED = (where = 'true') => `
  (SELECT coalesce(sum(r.pupils), 0) FROM dir_enrolments r JOIN dir_establishments e ON e.uai = r.uai
    WHERE r.level = 'TOTAL' AND r.school_year = (SELECT max(school_year) FROM dir_enrolments) AND ${where})`;

/**
 * The views, each a function of the bench filter returning [sql, params]. `from`/`to` are ISO instants (the
 * Paris-day bounds), `uai` the establishment of establishmentView, `previousFrom` the start of the previous period.
 */
export const PG_VIEWS = {
  overview: (f) => [
    `WITH ${SESSIONS()}
     SELECT json_build_object(
       'current', ${one(figures(null, 'ts >= $3::timestamptz'))},
       'previous', ${one(figures(null, 'ts < $3::timestamptz'))},
       'national', ${one(figures(null, 'ts >= $3::timestamptz'))},
       'trend', ${agg(`${figures(`date_trunc('week', ts AT TIME ZONE 'Europe/Paris')`, 'ts >= $3::timestamptz')} ORDER BY 1`)},
       'byProfile', ${agg(figures('profile', 'ts >= $3::timestamptz'))},
       'byService', ${agg(`${figures('service', 'ts >= $3::timestamptz')} ORDER BY visits DESC`)},
       'byDevice', ${agg(figures('device', 'ts >= $3::timestamptz'))},
       'penetration', json_build_object('enrolled', ${ENROLLED()},
          'pupils', (SELECT count(DISTINCT person) FROM events WHERE ts >= $3::timestamptz AND profile = 'ELEVE'),
          'parents', (SELECT count(DISTINCT person) FROM events WHERE ts >= $3::timestamptz AND profile = 'PARENT')))`,
    [f.previousFrom, f.toInstant, f.fromInstant],
  ],
  territory: (f) => [
    `WITH ${SESSIONS()},
       per AS (${figures('region')}),
       pupils AS (SELECT region, count(DISTINCT person) AS active FROM events WHERE profile = 'ELEVE' GROUP BY region),
       enrolled AS (SELECT e.region, sum(r.pupils) AS enrolled FROM dir_enrolments r JOIN dir_establishments e USING (uai)
                     WHERE r.level = 'TOTAL' AND r.school_year = (SELECT max(school_year) FROM dir_enrolments) GROUP BY 1)
     SELECT ${agg(`SELECT per.*, t.name, pupils.active, enrolled.enrolled, pupils.active::float / NULLIF(enrolled.enrolled, 0) AS rate
                     FROM per LEFT JOIN dir_territories t ON t.level = 'region' AND t.code = per.region
                     LEFT JOIN pupils USING (region) LEFT JOIN enrolled USING (region) ORDER BY per.region`)}`,
    [f.fromInstant, f.toInstant],
  ],
  establishment: (f) => [
    `WITH ${SESSIONS(`b.uai IN ($3, '') OR e.academie = (SELECT academie FROM dir_establishments WHERE uai = $3) OR true`)}
     SELECT json_build_object(
       'current', ${one(figures(null, 'uai = $3'))},
       'academie', ${one(figures(null, 'academie = (SELECT academie FROM dir_establishments WHERE uai = $3)'))},
       'national', ${one(figures(null))},
       'byProfile', ${agg(figures('profile', 'uai = $3'))},
       'byService', ${agg(figures('service', 'uai = $3'))},
       'byDevice', ${agg(figures('device', 'uai = $3'))},
       'heatmap', ${agg(`SELECT extract(isodow FROM ts AT TIME ZONE 'Europe/Paris') AS weekday,
                              extract(hour FROM ts AT TIME ZONE 'Europe/Paris') AS hour, count(DISTINCT (person, visit)) AS visits
                         FROM events WHERE uai = $3 GROUP BY 1, 2`)},
       'penetration', json_build_object('enrolled', ${ENROLLED('e.uai = $3')},
          'pupils', (SELECT count(DISTINCT person) FROM events WHERE uai = $3 AND profile = 'ELEVE')))`,
    [f.fromInstant, f.toInstant, f.uai],
  ],
  services: (f) => [
    `WITH ${SESSIONS()}
     SELECT json_build_object('byService', ${agg(`${figures('service')} ORDER BY visits DESC`)},
                              'byProfileService', ${agg(figures('profile, service'))},
                              'trend', ${agg(figures(`service, date_trunc('week', ts AT TIME ZONE 'Europe/Paris')`))})`,
    [f.fromInstant, f.toInstant],
  ],
  devices: (f) => [
    `WITH ${SESSIONS()},
       pd AS (${figures('profile, device')})
     SELECT json_build_object('byProfileDevice', ${agg(`SELECT pd.*, pd.visits::float / NULLIF(sum(pd.visits) FILTER (WHERE device <> '') OVER (PARTITION BY profile), 0) AS share FROM pd`)},
                              'byDevice', ${agg(figures('device'))},
                              'trend', ${agg(figures(`device, date_trunc('week', ts AT TIME ZONE 'Europe/Paris')`))})`,
    [f.fromInstant, f.toInstant],
  ],
  equity: (f) => [
    `WITH active AS MATERIALIZED (
       SELECT upper(${ext(ENT_CONTEXT_EXTENSIONS.uai)}) AS uai, count(DISTINCT COALESCE(${ext(ENT_CONTEXT_EXTENSIONS.person)}, actor_ifi)) AS pupils
         FROM lrs_statements
        WHERE "timestamp" >= $1::timestamptz AND "timestamp" < $2::timestamptz AND ${ext(ENT_CONTEXT_EXTENSIONS.profile)} = 'ELEVE'
        GROUP BY 1),
     rates AS (
       SELECT e.uai, e.name, e.rep, e.sector, e.departement, coalesce(a.pupils, 0)::float / r.pupils AS rate
         FROM dir_enrolments r JOIN dir_establishments e USING (uai) LEFT JOIN active a USING (uai)
        WHERE r.level = 'TOTAL' AND r.pupils > 0 AND r.school_year = (SELECT max(school_year) FROM dir_enrolments)),
     ranked AS (SELECT rate, row_number() OVER (ORDER BY rate) AS i, count(*) OVER () AS n, sum(rate) OVER () AS total FROM rates)
     SELECT json_build_object(
       'quartiles', (SELECT json_build_array(percentile_cont(0.1) WITHIN GROUP (ORDER BY rate), percentile_cont(0.25) WITHIN GROUP (ORDER BY rate),
                                             percentile_cont(0.5) WITHIN GROUP (ORDER BY rate), percentile_cont(0.75) WITHIN GROUP (ORDER BY rate),
                                             percentile_cont(0.9) WITHIN GROUP (ORDER BY rate)) FROM rates),
       'gini', (SELECT sum((2 * i - n - 1) * rate) / NULLIF(max(n) * max(total), 0) FROM ranked),
       'byRep', ${agg('SELECT rep, avg(rate) AS rate, count(*) AS n FROM rates GROUP BY rep')},
       'bySector', ${agg('SELECT sector, avg(rate) AS rate, count(*) AS n FROM rates GROUP BY sector')},
       'byDepartement', ${agg('SELECT departement, avg(rate) AS rate, count(*) AS n FROM rates GROUP BY departement')},
       'lowest', ${agg('SELECT uai, name, rate FROM rates ORDER BY rate, uai LIMIT 20')})`,
    [f.fromInstant, f.toInstant],
  ],
  continuity: (f) => [
    `WITH pupils AS (
       SELECT COALESCE(${ext(ENT_CONTEXT_EXTENSIONS.person)}, actor_ifi) AS person, ${ext(ENT_CONTEXT_EXTENSIONS.level)} AS level,
              "timestamp" >= $3::timestamptz AS this_year, upper(${ext(ENT_CONTEXT_EXTENSIONS.uai)}) AS uai,
              payload->'context'->>'platform' AS platform,
              extract(isodow FROM "timestamp" AT TIME ZONE 'Europe/Paris') AS dow, extract(hour FROM "timestamp" AT TIME ZONE 'Europe/Paris') AS hour
         FROM lrs_statements
        WHERE "timestamp" >= $1::timestamptz AND "timestamp" < $2::timestamptz AND ${ext(ENT_CONTEXT_EXTENSIONS.profile)} = 'ELEVE'),
     cm2 AS (SELECT DISTINCT person FROM pupils WHERE NOT this_year AND level = 'CM2'),
     sixieme AS (SELECT DISTINCT person, uai FROM pupils WHERE this_year AND level = '6e')
     SELECT json_build_object(
       'cm2', (SELECT count(*) FROM cm2),
       'continued', (SELECT count(DISTINCT person) FROM sixieme JOIN cm2 USING (person)),
       'byCollege', ${agg('SELECT uai, count(DISTINCT person) AS continued FROM sixieme JOIN cm2 USING (person) GROUP BY uai')},
       'twoPlatforms', (SELECT count(*) FROM (SELECT person FROM pupils WHERE this_year GROUP BY person HAVING count(DISTINCT platform) > 1) t),
       'outsideClass', (SELECT avg(CASE WHEN dow <= 5 AND dow <> 3 AND hour BETWEEN 8 AND 16 THEN 0 ELSE 1 END) FROM pupils WHERE this_year))`,
    [f.previousYearFrom, f.toInstant, f.fromInstant],
  ],
  collaboration: (f) => [
    `WITH ${SESSIONS()},
       spaces AS (
         SELECT s.activity_id AS space, jsonb_array_length(coalesce(payload->'object'->'definition'->'extensions'->${lit(ENT_ACTIVITY_EXTENSIONS.spaceEstablishments)}, '[]')) AS establishments,
                ${ext(ENT_CONTEXT_EXTENSIONS.profile)} AS profile, COALESCE(${ext(ENT_CONTEXT_EXTENSIONS.person)}, actor_ifi) AS person
           FROM lrs_statements s
          WHERE "timestamp" >= $1::timestamptz AND "timestamp" < $2::timestamptz
            AND payload->'object'->'definition'->>'type' = 'https://ent-observatory.fr/xapi/activities/collaborative-space'),
       per_space AS (SELECT space, max(establishments) AS establishments,
                            count(DISTINCT person) FILTER (WHERE profile = 'ENSEIGNANT') AS teachers,
                            count(DISTINCT person) FILTER (WHERE profile = 'ELEVE') AS pupils FROM spaces GROUP BY space)
     SELECT json_build_object(
       'collaborative', ${agg(figures('service', `service IN ('production_collaborative', 'messagerie_instantanee', 'stockage_partage', 'visioconference', 'courrier_electronique')`))},
       'spaces', (SELECT count(*) FROM per_space),
       'multiEstablishment', (SELECT count(*) FROM per_space WHERE establishments > 1),
       'teacherTeacher', (SELECT count(*) FROM per_space WHERE teachers >= 2 AND pupils = 0),
       'pupilPupil', (SELECT count(*) FROM per_space WHERE pupils >= 2))`,
    [f.fromInstant, f.toInstant],
  ],
  parents: (f) => [
    `WITH ${SESSIONS()}
     SELECT json_build_object(
       'parents', ${one(figures(null, `profile = 'PARENT'`))},
       'enrolled', ${ENROLLED()},
       'byService', ${agg(figures('service', `profile = 'PARENT'`))},
       'byDevice', ${agg(figures('device', `profile = 'PARENT'`))},
       'trend', ${agg(figures(`date_trunc('week', ts AT TIME ZONE 'Europe/Paris')`, `profile = 'PARENT'`))})`,
    [f.fromInstant, f.toInstant],
  ],
};
