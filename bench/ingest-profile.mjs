// Where the time of an LRS write goes, stage by stage, on realistic simulated statements (a fortnight on the bundled
// directory): parsing, validation, preparation, enrichment + row, the journal line and its fsync, the duplicate-id
// look-up, and the ClickHouse insert into `statements` with all its materialized views, with groups of views
// detached, and into a plain MergeTree copy of `statements` (same columns, order, indexes and fsync settings, no
// views). CPU stages run on one thread; the inserts on embedded chdb, as the API does. Prints JSON lines and a table.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync, fdatasyncSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDirectorySnapshot } from '@ent-observatory/directory';
import { Simulation } from '@ent-observatory/simulator';
import { TABLES, insertLinesOnce, queryRows } from '@ent-observatory/warehouse';
import {
  STATEMENT_ROW_COLUMNS,
  compactRow,
  createPseudonymKey,
  enrichStatement,
  prepareStatement,
  statementToRow,
  unstorableProblems,
  validateStatements,
} from '@ent-observatory/xapi';
import { benchStores } from './stores.mjs';
import { machine, writeResults } from './support.mjs';

const N = Number(process.env.BENCH_PROFILE_STATEMENTS ?? 200_000);
const dataDir = mkdtempSync(join(tmpdir(), 'bench-ingest-profile-'));
const { warehouse, store, world } = await benchStores(dataDir);
const facts = await loadDirectorySnapshot(store);
await store.close();
const snapshot = new Map([...facts].map(([uai, f]) => [uai.toUpperCase(), f]));
const key = createPseudonymKey('bench-profile-key');

const lines = [];
const simulation = new Simulation(world, { from: '2025-09-01', to: '2025-09-30', seed: 42, scale: 0.17 });
for (const _day of simulation.days((l) => void (lines.length < N && lines.push(l)))) if (lines.length >= N) break;
process.stderr.write(`${lines.length} simulated statements\n`);

const authority = { objectType: 'Agent', account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'bench' } };
const results = [];
function cpuStage(label, fn, perBatch = 100) {
  // Twice: the first pass warms the JIT and caches (pseudonyms), the second is measured.
  let out;
  for (let pass = 0; pass < 2; pass++) {
    const started = performance.now();
    out = [];
    for (let i = 0; i < lines.length; i += perBatch) out.push(fn(i, Math.min(lines.length, i + perBatch)));
    const ms = performance.now() - started;
    if (pass === 1) {
      const r = { stage: label, statements: lines.length, usPerStatement: (ms * 1000) / lines.length };
      results.push(r);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    }
  }
  return out.flat();
}

const bodies = [];
for (let i = 0; i < lines.length; i += 100) bodies.push(`[${lines.slice(i, i + 100).join(',')}]`);
const parsed = cpuStage('JSON.parse of 100-statement bodies', (i) => JSON.parse(bodies[i / 100]));
cpuStage('validateStatements + unstorableProblems (per 100)', (i, j) => {
  const body = parsed.slice(i, j);
  const problems = validateStatements(body, { version: '1.0.3' });
  problems.push(...unstorableProblems(body));
  if (problems.length > 0) throw new Error(JSON.stringify(problems[0]));
  return [];
});
const stored = new Date();
const prepared = cpuStage('prepareStatement', (i, j) =>
  parsed.slice(i, j).map((s) => prepareStatement(s, { authority, stored, version: '1.0.3' })),
);
const rows = cpuStage('enrichStatement + statementToRow', (i, j) =>
  prepared.slice(i, j).map((s) => statementToRow(s, enrichStatement(s, { snapshot, key }))),
);
const journal = cpuStage('journal line (JSON of the compact row)', (i, j) =>
  rows.slice(i, j).map((r) => `${JSON.stringify(compactRow(r))}\n`),
);

// The journal's durable acknowledgement: one append + fdatasync per request of 100, and per single statement.
function fsyncStage(label, perWrite) {
  const file = join(dataDir, `journal-${perWrite}.ndjson`);
  const fd = openSync(file, 'a');
  const writes = Math.min(2_000, Math.floor(journal.length / perWrite));
  const started = performance.now();
  for (let w = 0; w < writes; w++) {
    writeSync(fd, Buffer.from(journal.slice(w * perWrite, (w + 1) * perWrite).join(''), 'utf8'));
    fdatasyncSync(fd);
  }
  const ms = performance.now() - started;
  closeSync(fd);
  const r = { stage: label, writes, msPerWrite: ms / writes, usPerStatement: (ms * 1000) / (writes * perWrite) };
  results.push(r);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
fsyncStage('journal append + fdatasync, 100 statements per write', 100);
fsyncStage('journal append + fdatasync, 1 statement per write', 1);

const buffers = journal.map((l) => Buffer.from(l, 'utf8'));
await warehouse.client.command({ query: `CREATE TABLE statements_plain AS ${TABLES.statements}` });
let token = 0;
async function insertStage(label, table, block, total = buffers.length) {
  const started = performance.now();
  for (let i = 0; i < total; i += block) {
    await insertLinesOnce(
      warehouse,
      table,
      STATEMENT_ROW_COLUMNS,
      Buffer.concat(buffers.slice(i, Math.min(total, i + block))),
      `profile-${token++}`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const r = { stage: label, table, block, rows: total, seconds, rowsPerSecond: Math.round(total / seconds) };
  results.push(r);
  process.stdout.write(`${JSON.stringify(r)}\n`);
  return r;
}

// The duplicate-id look-up the LRS makes for client-chosen ids (StatementReader.byIds), 100 ids at a time, once
// statements_by_id holds the statements (half of the ids are found).
await insertStage('warm-up: statements, all views', TABLES.statements, 50_000, 100_000);
{
  const ids = rows.map((r) => r.id);
  const started = performance.now();
  const rounds = 200;
  for (let k = 0; k < rounds; k++) {
    const batch = ids.slice(50_000 + k * 50, 50_000 + k * 50 + 100);
    await queryRows(warehouse.client, `SELECT id, raw FROM ${TABLES.statementsById} WHERE id IN {ids:Array(UUID)}`, {
      ids: batch,
    });
  }
  const ms = performance.now() - started;
  const r = {
    stage: 'duplicate-id look-up, 100 ids (statements_by_id)',
    msPerLookup: ms / rounds,
    usPerStatement: (ms * 10) / rounds,
  };
  results.push(r);
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

const VIEW_GROUPS = [
  ['follow-up', ['follow_up_pupil_events_mv', 'follow_up_homework_mv']],
  ['rollups', ['activity_actor_daily_mv', 'pupil_weekly_mv', 'space_daily_mv', 'visit_dirty_mv']],
  ['query tables', ['statement_keys_mv', 'statements_by_id_mv', 'statement_refs_mv']],
];
const inserts = [];
for (const block of [100, 1_000, 10_000, 50_000]) {
  const total = block === 100 ? 20_000 : buffers.length;
  inserts.push({ block, plain: await insertStage('plain MergeTree', 'statements_plain', block, total) });
  inserts.at(-1).all = await insertStage('statements, all 9 views', TABLES.statements, block, total);
}
// Marginal cost of each group of views: detach them one group after another, measuring in between.
const detached = [];
for (const [group, views] of VIEW_GROUPS) {
  for (const v of views) await warehouse.client.command({ query: `DETACH TABLE ${v}` });
  detached.push(group);
  await insertStage(`statements without ${detached.join(', ')} views`, TABLES.statements, 10_000);
}
await warehouse.client.close();
rmSync(dataDir, { recursive: true, force: true });

const result = { date: new Date().toISOString(), machine: machine(), statements: lines.length, results };
const m = result.machine;
const cpu = results.filter((r) => r.usPerStatement !== undefined && r.rowsPerSecond === undefined);
const ins = results.filter((r) => r.rowsPerSecond !== undefined);
writeResults(
  'ingest-profile-raw',
  result,
  `# Ingest profile, raw measurements (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}. ${lines.length} simulated statements
(bundled directory, September 2025, scale 0.17, seed 42). \`node bench/ingest-profile.mjs\`.

| stage (one thread) | µs / statement | notes |
|---|---:|---|
${cpu.map((r) => `| ${r.stage} | ${r.usPerStatement.toFixed(2)} | ${r.msPerWrite !== undefined ? `${r.msPerWrite.toFixed(2)} ms per write` : r.msPerLookup !== undefined ? `${r.msPerLookup.toFixed(2)} ms per look-up` : ''} |`).join('\n')}

| insert (embedded chdb, JSONCompactEachRow, dedup token, fsync) | block | rows | rows/s |
|---|---:|---:|---:|
${ins.map((r) => `| ${r.stage} | ${r.block} | ${r.rows} | ${r.rowsPerSecond} |`).join('\n')}
`,
);
