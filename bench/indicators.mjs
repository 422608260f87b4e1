// `npm run bench -- indicators [--statements 1000000] [--runs 20] [--pg-runs 1] [--chdb-only] [--merged]` (both
// explained below, with the flags): the observatory's dashboard
// view queries on N simulated statements (default 10 million) in embedded mode (chdb), p50/p95 of each view with the
// view cache bypassed, side by side with the same views computed by PostgreSQL over the same statements stored the
// way a typical SQL LRS stores them (bench/indicators-pg.mjs). The data is loaded once per size and reused (markers:
// a file beside the chdb data, a row in PostgreSQL's bench_marker), so a second run only queries.
//
// Data: the bundled directory, then `npm run cli -- simulate` writes N statements as NDJSON; one pass over that
// file inserts into chdb exactly as the LRS does (prepareStatement → enrichedRow: the row with its enrichment at
// ingest; compact rows into `statements`, whose materialized views fill the rollups) and streams the same statements to
// PostgreSQL's COPY (id, stored, timestamp, actor, verb, activity, registration columns + the JSONB payload;
// indexes built after the load, then ANALYZE).
//
// Env: BENCH_INDICATORS_DIR (default <tmp>/ent-observatory-bench/indicators), BENCH_PG_URL (default
// postgres://postgres@127.0.0.1:5432/wt_dnma).
import { spawn } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { migrateStore, openStore } from '@ent-observatory/store';
import { command, createWarehouse, migrate, queryRows } from '@ent-observatory/warehouse';
import { refreshVisitRollups } from '@ent-observatory/indicators';
import {
  STATEMENT_ROW_COLUMNS,
  compactRow,
  createPseudonymKey,
  enrichedRow,
  prepareStatement,
} from '@ent-observatory/xapi';
import { importDirectory, loadDirectorySnapshot } from '@ent-observatory/directory';
import { Simulation, readWorld } from '@ent-observatory/simulator';
import { PG_INDEXES, PG_SCHEMA, PG_VIEWS } from './indicators-pg.mjs';
import { observatoryViews } from './indicators-views.mjs';
import { machine, numberFlag, writeResults } from './support.mjs';

const TOTAL = numberFlag('statements', 10_000_000);
const RUNS = numberFlag('runs', 20);
const PG_RUNS = numberFlag('pg-runs', TOTAL > 2_000_000 ? 1 : 3);
// --chdb-only: no PostgreSQL at all (load, measure and print chdb's side, results in indicators-chdb-<date>).
const CHDB_ONLY = process.argv.includes('--chdb-only');
// --merged: the visit rollups merged into one part per month before measuring (OPTIMIZE … FINAL): what migration
// 060's forced merge makes of months that receive no statement, an hour after their last part. Without it the views
// read the parts the catch-up left (several per month after a bulk load).
const MERGED = process.argv.includes('--merged');
const VISIT_TABLES = ['visit_person', 'visit_cube', 'visit_starts', 'visit_establishment_days'];
const BATCH = 50_000;
const PG_WORK_MEM = '128MB';
const SIM_FROM = '2024-09-02';
const SIM_TO = '2026-07-03';
const VIEW_FROM = '2025-09-01';
const base = process.env.BENCH_INDICATORS_DIR ?? join(tmpdir(), 'ent-observatory-bench', 'indicators');
const dir = join(base, String(TOTAL));
const dataDir = join(dir, 'data');
const ndjson = join(dir, 'statements.ndjson');
const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/wt_dnma';
const log = (text) => process.stderr.write(`[indicators] ${text}\n`);
mkdirSync(dir, { recursive: true });

// 1. Stores: chdb + PGlite of the bench DATA_DIR (the directory imported once), PostgreSQL for the SQL-LRS side.
const started = performance.now();
const warehouse = createWarehouse({ dataDir });
await migrate(warehouse);
const store = await openStore({ dataDir });
await migrateStore(store);
if (!existsSync(join(dir, 'directory.done'))) {
  log('importing the bundled directory');
  const files = readdirSync('data/directory')
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join('data/directory', f));
  await importDirectory(store, warehouse, files);
  writeFileSync(join(dir, 'directory.done'), new Date().toISOString());
}

// 2. Simulated statements (libs/simulator), written once per size as NDJSON: two school years so that the
// previous-period and CM2 → 6e figures have data; the views ask for the second one.
if (!existsSync(`${ndjson}.done`)) {
  const t = performance.now();
  const info = await simulate(TOTAL);
  writeFileSync(`${ndjson}.done`, JSON.stringify({ ...info, seconds: (performance.now() - t) / 1000 }));
}
const simulated = JSON.parse(readFileSync(`${ndjson}.done`, 'utf8'));
const lines = simulated.statements;
log(
  `${lines} statements in ${ndjson} (${(statSync(ndjson).size / 2 ** 30).toFixed(2)} GiB), simulated in ${simulated.seconds.toFixed(0)} s`,
);

const pgClient = CHDB_ONLY ? null : new pg.Client({ connectionString: pgUrl });
if (pgClient) await pgClient.connect();
if (pgClient) await pgClient.query(PG_SCHEMA);
// A tuned-for-analytics session rather than the 4 MB default, so sorts and hashes of the views stay in memory.
await pgClient?.query(`SET work_mem = '${PG_WORK_MEM}'`);
// One backend per query (no parallel workers): its CPU time, read from /proc, is the whole query's CPU. On this
// 2-core machine shared by five engineers, parallel workers would only compete with the other loads.
await pgClient?.query('SET max_parallel_workers_per_gather = 0');
const backendPid = pgClient ? (await pgClient.query('SELECT pg_backend_pid() AS pid')).rows[0].pid : 0;
const TICK_MS = 1000 / 100; // USER_HZ
function backendCpuMs() {
  const fields = readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const chdbMarker = join(dir, 'chdb.loaded');
const needChdb =
  !existsSync(chdbMarker) ||
  JSON.parse(readFileSync(chdbMarker, 'utf8')).statements !== lines ||
  process.argv.includes('--reload-chdb');
const pgMarker = pgClient
  ? (await pgClient.query('SELECT statements FROM bench_marker WHERE name = $1', [`statements-${TOTAL}`])).rows[0]
  : { statements: lines };
const needPg = !pgMarker || Number(pgMarker.statements) !== lines || process.argv.includes('--reload-pg');
const load = {};
if (existsSync(join(dir, 'load.json'))) Object.assign(load, JSON.parse(readFileSync(join(dir, 'load.json'), 'utf8')));
if (needChdb || needPg) {
  Object.assign(load, await loadBoth(needChdb, needPg));
  writeFileSync(join(dir, 'load.json'), JSON.stringify(load));
}
if (needChdb) writeFileSync(chdbMarker, JSON.stringify(load.chdb));
if (needPg) {
  await pgClient.query(
    'INSERT INTO bench_marker (name, statements) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET statements = $2, loaded_at = now()',
    [`statements-${TOTAL}`, lines],
  );
}
const chdbCount = Number((await queryRows(warehouse.client, 'SELECT count() AS n FROM statements'))[0].n);
const pgCount = pgClient ? Number((await pgClient.query('SELECT count(*) AS n FROM lrs_statements')).rows[0].n) : lines;
if (chdbCount !== lines || pgCount !== lines)
  throw new Error(
    `loaded ${chdbCount} (chdb) and ${pgCount} (PostgreSQL) statements, expected ${lines}: run with --reload-chdb / --reload-pg`,
  );

// 3. The filter every view gets: the whole simulated period, national (the heaviest dashboard query).
const [span] = await queryRows(
  warehouse.client,
  `SELECT toString(toDate(max(timestamp), 'Europe/Paris')) AS to,
          (SELECT uai FROM statements WHERE uai_known = 1 GROUP BY uai ORDER BY count() DESC LIMIT 1) AS uai
     FROM statements`,
);
const filter = { from: VIEW_FROM, to: span.to < '2026-07-03' ? span.to : '2026-07-03' };
const pgFilter = pgClient ? await pgPeriod(filter, span.uai) : null;
log(`filter ${filter.from} → ${filter.to}; establishment view on ${span.uai}`);

// --reuse-pg: take the PostgreSQL measurements of the last results file when it was made on the same statements.
const RESULTS = 'bench/results/indicators-2026-11-30.json';
// The views measured on the same 10M statements by the code before migration 040 (person-day minute sets read at
// query time), kept for the before/after column.
const BEFORE_RESULTS = 'bench/results/indicators-10m-before-visit-rollups-2026-11-30.json';
let reusedPg = null;
if (process.argv.includes('--reuse-pg') && existsSync(RESULTS)) {
  const previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
  if (previous.statements === lines && previous.views.every((v) => v.pgRuns)) reusedPg = previous;
  else if (previous.statements === lines) reusedPg = withRunsFromStats(previous);
  if (reusedPg) log(`reusing the PostgreSQL measurements of ${previous.date}`);
}
function withRunsFromStats(previous) {
  // results written before runs were kept: their p50 stands for the runs
  return {
    ...previous,
    views: previous.views.map((v) => ({ ...v, pgRuns: [v.pg.p50], pgCpuRuns: [v.pgCpu.p50] })),
  };
}

// 3b. The visit rollups (migration 040) of every week loaded: what the API does at its first view after a bulk
// load, timed on its own; then the sizes of the tables the views read.
const catchUpStarted = performance.now();
const caughtUp = await refreshVisitRollups(warehouse, { inFlightMarginSeconds: 0 });
const rollups = {
  catchUpMonths: caughtUp.months.length,
  catchUpSeconds: (performance.now() - catchUpStarted) / 1000,
  rows: Object.fromEntries(
    (
      await queryRows(
        warehouse.client,
        `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
          WHERE active AND database = currentDatabase()
            AND table IN ('statements', 'activity_actor_daily', 'pupil_weekly', 'space_daily', 'visit_person', 'visit_cube', 'visit_starts')
          GROUP BY table`,
      )
    ).map((r) => [r.table, { rows: Number(r.rows), MiB: +(Number(r.bytes) / 2 ** 20).toFixed(1) }]),
  ),
};
// The catch-up is measured by the run that loaded the store, on this machine: kept beside the store, so that a later
// run on the same store reports that one (not a results file's, which may come from another machine).
const CATCH_UP = join(dir, 'catch-up.json');
if (rollups.catchUpMonths > 0) {
  writeFileSync(CATCH_UP, JSON.stringify({ ...rollups, catchUpMeasuredAt: new Date().toISOString() }));
} else if (existsSync(CATCH_UP)) {
  const earlier = JSON.parse(readFileSync(CATCH_UP, 'utf8'));
  Object.assign(rollups, {
    catchUpMonths: earlier.catchUpMonths,
    catchUpSeconds: earlier.catchUpSeconds,
    catchUpMeasuredAt: earlier.catchUpMeasuredAt,
  });
}
if (MERGED) {
  for (const table of VISIT_TABLES) {
    await command(warehouse.client, `OPTIMIZE TABLE ${table} FINAL SETTINGS optimize_skip_merged_partitions = 1`);
  }
}
// A run made just after a load measured views nobody changed 30–45 % slower than one made 11 minutes later
// (indicators-chdb-merged-epyc-rerun-2026-12-06.md), likely ClickHouse's background merges of statements and every
// derived table: measure once they are done (waiting at most 15 minutes).
const mergesFrom = performance.now();
let merging = 0;
for (;;) {
  [{ n: merging }] = await queryRows(warehouse.client, `SELECT toUInt32(count()) AS n FROM system.merges`);
  if (merging === 0 || performance.now() - mergesFrom > 15 * 60_000) break;
  await new Promise((r) => setTimeout(r, 5_000));
}
rollups.mergesWaitedSeconds = Math.round((performance.now() - mergesFrom) / 1000);
rollups.mergesRunning = merging;
log(`background merges: waited ${rollups.mergesWaitedSeconds} s, ${merging} still running`);
// Parts per month the views read: the cost of an establishment's reads grows with them (migration 060).
rollups.partsPerMonth = Object.fromEntries(
  (
    await queryRows(
      warehouse.client,
      `SELECT table, round(count() / uniqExact(partition_id), 1) AS n FROM system.parts
        WHERE active AND database = currentDatabase() AND table IN {tables:Array(String)} GROUP BY table`,
      { tables: VISIT_TABLES },
    )
  ).map((r) => [r.table, Number(r.n)]),
);
rollups.merged = MERGED;
log(
  `visit rollups: ${rollups.catchUpMonths} months in ${rollups.catchUpSeconds.toFixed(1)} s; ${JSON.stringify(rollups.rows)}; parts per month ${JSON.stringify(rollups.partsPerMonth)}`,
);

// 4. Views: chdb (the service functions the GraphQL resolvers call, cache bypassed), then PostgreSQL.
const views = await observatoryViews(warehouse, store);
const results = [];
for (const [name, run] of Object.entries(views)) {
  const viewFilter = name === 'establishment' ? { ...filter, uai: span.uai } : filter;
  await run(viewFilter); // warm-up: first-use costs (parts metadata, marks) are not what a dashboard user waits for
  const times = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await run(viewFilter);
    const used = process.cpuUsage(c);
    times.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  const pgTimes = [];
  const pgCpu = [];
  const [sql, params] = pgClient ? PG_VIEWS[name](pgFilter) : [null, null];
  const reused = reusedPg?.views.find((v) => v.view === name);
  if (reused) {
    // --reuse-pg: the SQL-LRS side does not depend on the observatory's code; its last measurement on the same data
    pgTimes.push(...reused.pgRuns);
    pgCpu.push(...reused.pgCpuRuns);
  }
  for (let i = 0; i < (reused || !pgClient ? 0 : PG_RUNS); i++) {
    const t = performance.now();
    const c = backendCpuMs();
    await pgClient.query(sql, params);
    pgTimes.push(performance.now() - t);
    pgCpu.push(backendCpuMs() - c);
  }
  if (!pgClient) {
    const c = stats(times);
    log(`${name}: chdb p50 ${c.p50.toFixed(1)} ms p95 ${c.p95.toFixed(1)} ms (CPU ${stats(cpu).p50.toFixed(0)} ms)`);
    results.push({ view: name, chdb: c, chdbCpu: stats(cpu) });
    continue;
  }
  const row = {
    view: name,
    chdb: stats(times),
    pg: stats(pgTimes),
    chdbCpu: stats(cpu),
    pgCpu: stats(pgCpu),
    pgRuns: pgTimes,
    pgCpuRuns: pgCpu,
  };
  row.ratio = row.pg.p50 / row.chdb.p50;
  row.cpuRatio = row.pgCpu.p50 / row.chdbCpu.p50;
  results.push(row);
  log(
    `${name}: chdb p50 ${row.chdb.p50.toFixed(1)} ms p95 ${row.chdb.p95.toFixed(1)} ms (CPU ${row.chdbCpu.p50.toFixed(0)} ms); PostgreSQL ${row.pg.p50.toFixed(0)} ms (CPU ${row.pgCpu.p50.toFixed(0)} ms); ×${row.ratio.toFixed(0)} (CPU ×${row.cpuRatio.toFixed(0)})`,
  );
}

/** What both results files say of the run: when, where, on what. */
const runFacts = () => ({
  date: new Date().toISOString(),
  machine: machine(),
  load1: loadavg().map((l) => +l.toFixed(2)),
  statements: lines,
  filter: { ...filter, establishment: span.uai },
});

if (!pgClient) {
  log(`overview: ${JSON.stringify(headline(await views.overview(filter)))}`);
  // --chdb-only: the chdb side alone, in its own results file (the full one needs both stores).
  const chdbOnly = { benchmark: 'indicators-chdb', ...runFacts(), runs: RUNS, rollups, views: results };
  writeResults(MERGED ? 'indicators-chdb-merged' : 'indicators-chdb', chdbOnly, chdbOnlyMarkdown(chdbOnly));
  await store.close();
  await warehouse.client.close();
  process.exit(0);
}
const sanity = await crossCheck();
const result = {
  benchmark: 'indicators',
  ...runFacts(),
  simulated,
  runs: { chdb: RUNS, pg: reusedPg ? reusedPg.runs.pg : PG_RUNS },
  pgMeasuredAt: reusedPg ? (reusedPg.pgMeasuredAt ?? reusedPg.date) : new Date().toISOString(),
  load,
  rollups,
  views: results,
  sanity,
  seconds: (performance.now() - started) / 1000,
};
writeResults('indicators', result, markdown(result));
await pgClient.end();
await store.close();
await warehouse.client.close();

// ---------------------------------------------------------------------------------------------------------------

function chdbOnlyMarkdown(r) {
  const rows = r.views
    .map(
      (v) =>
        `| ${v.view} | ${v.chdb.p50.toFixed(1)} | ${v.chdb.p95.toFixed(1)} | ${v.chdb.p95 <= 150 ? 'yes' : '**no**'} | ${v.chdbCpu.p50.toFixed(0)} |`,
    )
    .join('\n');
  return `# Indicators: dashboard view queries on chdb (${r.date.slice(0, 10)})

Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; load average
${r.load1.join(' / ')} (1 / 5 / 15 min) at the end. \`npm run bench -- indicators --chdb-only${r.rollups.merged ? ' --merged' : ''}\`: ${r.statements.toLocaleString('en-US')}
simulated statements, filter ${r.filter.from} → ${r.filter.to}, national user, establishment view on ${r.filter.establishment};
the service methods the GraphQL resolvers call, view cache bypassed, ${r.runs} runs after one warm-up. The visit rollups'
catch-up of the loaded store: ${r.rollups.catchUpMonths} months in ${r.rollups.catchUpSeconds.toFixed(1)} s. Parts per month of the
visit rollups when measured${r.rollups.merged ? ' (`--merged`: OPTIMIZE … FINAL first)' : ''}: ${Object.entries(
    r.rollups.partsPerMonth ?? {},
  )
    .map(([t, n]) => `${t} ${n}`)
    .join(
      ', ',
    )}. Background merges: waited ${r.rollups.mergesWaitedSeconds ?? 0} s for them to end (${r.rollups.mergesRunning ?? 0} still running when measured).

| view | p50 ms | p95 ms | p95 ≤ 150 ms | CPU ms (p50) |
|---|---:|---:|---|---:|
${rows}
`;
}

/**
 * Simulates SIM_FROM..SIM_TO at a scale calibrated on two school weeks so that the whole span gives about `n`
 * statements, and keeps the first `n` (days are generated in order).
 */
async function simulate(n) {
  const world = await readWorld(store);
  const probeScale = 0.05;
  let probe = 0;
  for (const day of new Simulation(world, { from: '2025-09-08', to: '2025-09-21', seed: 1, scale: probeScale }).days(
    () => {},
  ))
    probe += day.statements;
  // ~33 school-week equivalents per school year once weekends, Wednesdays and holidays are weighed in
  const scale = (n / ((probe / 2) * 33 * 2)) * probeScale * 1.1;
  log(`simulating ${n} statements: scale ${scale.toFixed(3)} (probe: ${probe} statements in 2 weeks at ${probeScale})`);
  const out = createWriteStream(ndjson);
  let written = 0;
  let last = '';
  let lines = [];
  for (const day of new Simulation(world, { from: SIM_FROM, to: SIM_TO, seed: 1, scale }).days((l) => lines.push(l))) {
    const take = lines.slice(0, n - written);
    lines = [];
    if (!out.write(take.join(''))) await new Promise((r) => out.once('drain', r));
    written += take.length;
    if (take.length > 0) last = day.day;
    if (written >= n) break;
  }
  await new Promise((r) => out.end(r));
  return { statements: written, scale, from: SIM_FROM, to: last };
}

/** One pass over the NDJSON feeding chdb (as the LRS ingests) and/or PostgreSQL's COPY. */
async function loadBoth(toChdb, toPg) {
  const info = {};
  const key = createPseudonymKey('bench-pseudonymization-key-0123456789');
  const snapshot = new Map([...(await loadDirectorySnapshot(store))].map(([uai, f]) => [uai.toUpperCase(), f]));
  const authority = {
    objectType: 'Agent',
    account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'bench' },
  };
  if (toChdb) {
    const tables = await queryRows(
      warehouse.client,
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'
          AND name NOT IN ('_migrations', 'directory_establishments', 'dnma_weekly')`,
    );
    for (const { name } of tables) await command(warehouse.client, `TRUNCATE TABLE ${name}`);
  }
  let copy = null;
  if (toPg) {
    await pgClient.query('DROP TABLE IF EXISTS lrs_statements');
    await pgClient.query(PG_SCHEMA);
    await copyDirectory();
    copy = spawn('psql', [pgUrl, '-q', '-v', 'ON_ERROR_STOP=1', '-c', 'COPY lrs_statements FROM STDIN (FORMAT csv)'], {
      stdio: ['pipe', 'inherit', 'inherit'],
    });
  }
  const t = performance.now();
  let chdbMs = 0;
  let rows = [];
  let csv = [];
  let n = 0;
  const flushChdb = async () => {
    if (rows.length === 0) return;
    const t0 = performance.now();
    await warehouse.client.insert({
      table: 'statements',
      values: rows,
      format: 'JSONCompactEachRow',
      columns: [...STATEMENT_ROW_COLUMNS],
    });
    chdbMs += performance.now() - t0;
    rows = [];
  };
  const flushPg = async () => {
    if (csv.length === 0) return;
    const text = csv.join('');
    csv = [];
    if (!copy.stdin.write(text)) await new Promise((r) => copy.stdin.once('drain', r));
  };
  for await (const line of createInterface({ input: createReadStream(ndjson), crlfDelay: Infinity })) {
    if (line === '') continue;
    const input = JSON.parse(line);
    const stored = new Date(Date.parse(input.timestamp) + 2000);
    const statement = prepareStatement(input, { authority, stored, version: '1.0.3' });
    if (toChdb) rows.push(compactRow(enrichedRow(statement, { snapshot, key })));
    if (toPg) csv.push(pgLine(statement));
    if (++n % BATCH === 0) {
      await flushChdb();
      await flushPg();
      if (n % 1_000_000 === 0) log(`loaded ${n} statements (${Math.round(n / ((performance.now() - t) / 1000))}/s)`);
    }
  }
  await flushChdb();
  await flushPg();
  const passSeconds = (performance.now() - t) / 1000;
  if (toChdb) info.chdb = { statements: n, seconds: passSeconds, insertSeconds: chdbMs / 1000 };
  if (toPg) {
    copy.stdin.end();
    const code = await new Promise((r) => copy.once('exit', r));
    if (code !== 0) throw new Error(`psql COPY exited with ${code}`);
    const copied = (performance.now() - t) / 1000;
    log(`PostgreSQL: COPY done in ${copied.toFixed(0)} s, building indexes`);
    const t1 = performance.now();
    for (const sql of PG_INDEXES) await pgClient.query(sql);
    await pgClient.query('VACUUM ANALYZE lrs_statements');
    const size = (await pgClient.query(`SELECT pg_total_relation_size('lrs_statements') AS b`)).rows[0].b;
    info.pg = {
      statements: n,
      copySeconds: copied,
      indexSeconds: (performance.now() - t1) / 1000,
      totalGiB: +(Number(size) / 2 ** 30).toFixed(2),
    };
  }
  if (toChdb) {
    const [parts] = await queryRows(
      warehouse.client,
      `SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active AND database = currentDatabase()`,
    );
    info.chdb.totalGiB = +(Number(parts.b) / 2 ** 30).toFixed(2);
  }
  return info;
}

function csvText(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A SQL LRS row: indexed columns + the whole stored statement as JSONB. */
function pgLine(s) {
  const actor = s.actor.account
    ? `account:${s.actor.account.homePage}|${s.actor.account.name}`
    : (s.actor.mbox ?? s.actor.openid ?? s.actor.mbox_sha1sum ?? '');
  return `${[
    s.id,
    s.stored,
    s.timestamp,
    actor,
    s.verb.id,
    s.object.id ?? '',
    s.context?.registration ?? '',
    JSON.stringify(s),
  ]
    .map(csvText)
    .join(',')}\n`;
}

/** The directory as side tables: what the SQL LRS joins on the UAI it extracts from each payload. */
async function copyDirectory() {
  await pgClient.query('TRUNCATE dir_establishments, dir_enrolments, dir_territories');
  const est = await store.query(
    `SELECT uai, name, type, sector, rep, departement_code AS departement, academie_code AS academie, region_code AS region FROM establishments`,
  );
  const enr = await store.query('SELECT uai, school_year, level, pupils FROM establishment_enrolments');
  const ter = await store.query(
    `SELECT 'region' AS level, code, name FROM regions UNION ALL SELECT 'academie', code, name FROM academies
     UNION ALL SELECT 'departement', code, name FROM departements`,
  );
  const insert = async (table, cols, list) => {
    for (let i = 0; i < list.length; i += 1000) {
      const chunk = list.slice(i, i + 1000);
      const values = chunk.map((_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(',')})`).join(',');
      await pgClient.query(
        `INSERT INTO ${table} (${cols.join(',')}) VALUES ${values}`,
        chunk.flatMap((row) => cols.map((c) => row[c])),
      );
    }
  };
  await insert(
    'dir_establishments',
    ['uai', 'name', 'type', 'sector', 'rep', 'departement', 'academie', 'region'],
    est,
  );
  await insert('dir_enrolments', ['uai', 'school_year', 'level', 'pupils'], enr);
  await insert('dir_territories', ['level', 'code', 'name'], ter);
  await pgClient.query('ANALYZE dir_establishments, dir_enrolments, dir_territories');
}

/** Paris-day bounds of the filter as instants, the previous period of the same length, the previous school year. */
async function pgPeriod(f, uai) {
  const { rows } = await pgClient.query(
    `SELECT ($1::date::timestamp AT TIME ZONE 'Europe/Paris') AS from_i,
            (($2::date + 1)::timestamp AT TIME ZONE 'Europe/Paris') AS to_i,
            (($1::date - ($2::date - $1::date + 1))::timestamp AT TIME ZONE 'Europe/Paris') AS prev_i,
            (($1::date - interval '1 year')::timestamp AT TIME ZONE 'Europe/Paris') AS year_i`,
    [f.from, f.to],
  );
  const r = rows[0];
  return { fromInstant: r.from_i, toInstant: r.to_i, previousFrom: r.prev_i, previousYearFrom: r.year_i, uai };
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: times.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) };
}

/** Headline figures on both sides: the same statements must give the same users (and close visits). */
async function crossCheck() {
  const [sql, params] = PG_VIEWS.overview(pgFilter);
  // --reuse-pg: PostgreSQL's side of the same statements was measured and recorded with the reused runs.
  const pgOverview = reusedPg?.sanity?.pg
    ? { current: reusedPg.sanity.pg }
    : (await pgClient.query(sql, params)).rows[0].json_build_object;
  const chdbOverview = await views.overview(filter);
  return { pg: pgOverview.current, chdb: headline(chdbOverview) };
}

function headline(o) {
  const c = o?.current ?? o;
  return { visits: c?.visits ?? null, users: c?.users ?? null, durationSeconds: c?.durationSeconds ?? null };
}

function markdown(r) {
  const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  // The same views on the same statements measured before the visit rollups (migration 040), when recorded.
  const beforeFile = BEFORE_RESULTS;
  const before = existsSync(beforeFile) ? JSON.parse(readFileSync(beforeFile, 'utf8')) : null;
  const beforeOf = (view) =>
    before?.statements === r.statements ? before.views.find((b) => b.view === view)?.chdb.p50 : undefined;
  const rows = r.views.map((v) => {
    const b = beforeOf(v.view);
    return `| ${v.view} | ${fmt(v.chdb.p50)} | ${fmt(v.chdb.p95)} | ${v.chdb.p95 <= 150 ? 'yes' : '**no**'} | ${fmt(v.pg.p50)} | ×${v.ratio.toFixed(0)} | ${fmt(v.chdbCpu.p50)} | ${fmt(v.pgCpu.p50)} | ×${v.cpuRatio.toFixed(0)} | ${b === undefined ? '–' : `${fmt(b)} (×${(b / v.chdb.p50).toFixed(0)})`} |`;
  });
  return `# Indicators: dashboard view queries, chdb vs a PostgreSQL SQL LRS (${r.date.slice(0, 10)})

Machine: ${r.machine.cpu}, ${r.machine.cores} cores (load average ${r.load1.join(' / ')} (1 / 5 / 15 min) at the end
of the run), ${r.machine.memoryGiB} GiB, ${r.machine.platform}, Node ${r.machine.node}. Wall times include any
contention; CPU times (chdb: this process's user+system time, chdb runs in-process; PostgreSQL: the backend's
utime+stime from /proc, parallel workers disabled so the backend does all the work) are not.

**${r.statements.toLocaleString('en-US')} simulated statements** (libs/simulator, bundled directory: Ille-et-Vilaine +
Val-de-Marne; ${r.simulated.from} → ${r.simulated.to}, scale ${r.simulated.scale.toFixed(3)}), loaded into both
stores from the same NDJSON file. Filter of every view: ${r.filter.from} → ${r.filter.to} (school year 2025-2026 as
far as simulated; the previous period and CM2 → 6e read 2024-2025), national scope; establishmentView on
${r.filter.establishment} (the busiest UAI).

- **chdb** (embedded ClickHouse, the API's default mode): the service methods the GraphQL resolvers call
  (ObservatoryService / ObservatoryViewsService), national user, view cache bypassed (data generation bumped before
  each call, so each call also checks for months to recompute, as after new data), ${r.runs.chdb} runs after one
  warm-up. The views read the visit rollups of migration 040 (docs/indicators.md, "Rollups").
- **PostgreSQL** 15 (127.0.0.1; shared_buffers 128 MB; the bench session sets work_mem ${PG_WORK_MEM} and no parallel
  workers): a typical SQL LRS table (JSONB payload; indexed id, stored, timestamp, actor, verb, activity,
  registration), each view one SQL statement that extracts UAI/profile/service/device from the JSONB, joins the
  directory on the extracted UAI and sessionises visits with window functions (bench/indicators-pg.mjs);
  ${r.runs.pg} run(s) per view, measured ${r.pgMeasuredAt.slice(0, 16)} UTC.

| view | chdb p50 ms | chdb p95 ms | p95 ≤ 150 ms | PostgreSQL p50 ms | ratio (wall) | chdb CPU ms | PostgreSQL CPU ms | ratio (CPU) | chdb p50 ms before the visit rollups (speed-up) |
|---|---:|---:|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Load: ${JSON.stringify(r.load)}

Visit rollups (migration 040): ${r.rollups ? `${r.rollups.catchUpMonths} months recomputed in ${r.rollups.catchUpSeconds.toFixed(1)} s after the load; table sizes ${JSON.stringify(r.rollups.rows)}` : 'not in this version'}.

Same data on both sides (overview, current period): PostgreSQL ${JSON.stringify(r.sanity.pg)}; chdb
${JSON.stringify(r.sanity.chdb)}. Visits differ slightly because the observatory counts visits on minute sets cut at
Paris midnight, per establishment, profile and device (docs/indicators.md), while the SQL-LRS query sessionises
exact timestamps per actor; national users are a HyperLogLog estimate in the observatory (uniqCombined(12) above
128 people per cell, ~1.6 % relative error) and an exact count in PostgreSQL.

Reproduce: \`npm run bench -- indicators\` (10M) or \`npm run bench -- indicators --statements 1000000\`; loaded data
is reused (delete ${'`<tmp>/ent-observatory-bench/indicators/<N>`'} or pass --reload-chdb / --reload-pg).
`;
}
