// `npm run bench -- ingest-marks`: what marking persons (migration 061) costs an insert into `statements`. The same
// 100,000 statement rows (the ingest benchmark's) are inserted into `statements` with all its views in blocks of
// 10,000, as the journal inserts them, in one embedded store, alternately with the marks view of migration 061
// (`visit_dirty_person_mv`: a mark per person × day × establishment) and the one it replaced (`visit_dirty_day_mv`:
// per day × establishment), six rounds, the order swapped every round. CPU: the process's (chdb's threads included).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, command, createWarehouse, insertLinesOnce, loadMigrations, migrate } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS } from '@ent-observatory/xapi';
import { machine, median, statementLines, writeResults } from './support.mjs';

const ROWS = 100_000;
const BLOCK = 10_000;
const ROUNDS = 6;
const dir = join(tmpdir(), 'ent-observatory-bench', `ingest-marks-${process.pid}`);
rmSync(dir, { recursive: true, force: true });
const w = createWarehouse({ dataDir: dir });
await migrate(w);
const lines = statementLines(ROWS);
/** Each marks view as its migration creates it. */
const view = (name) => {
  const create = loadMigrations()
    .flatMap((m) => m.statements)
    .find((st) => st.startsWith(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} `));
  if (!create) throw new Error(`no migration creates ${name}`);
  return create.replace('{on_cluster}', '');
};
const VIEWS = { person: view('visit_dirty_person_mv'), day: view('visit_dirty_day_mv') };
let token = 0;
const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const marks of round % 2 === 0 ? ['person', 'day'] : ['day', 'person']) {
    await command(w.client, 'DROP VIEW IF EXISTS visit_dirty_person_mv');
    await command(w.client, 'DROP VIEW IF EXISTS visit_dirty_day_mv');
    await command(w.client, VIEWS[marks]);
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < ROWS; i += BLOCK) {
      const block = Buffer.concat(lines.slice(i, i + BLOCK));
      await insertLinesOnce(w, TABLES.statements, STATEMENT_ROW_COLUMNS, block, `marks-${token++}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    runs.push({
      round: round + 1,
      marks,
      rowsPerSecond: Math.round(ROWS / seconds),
      cpuUsPerRow: Math.round((used.user + used.system) / ROWS),
    });
    process.stdout.write(`${JSON.stringify(runs.at(-1))}\n`);
  }
}
await w.client.close();
rmSync(dir, { recursive: true, force: true });

const of = (marks, key) => median(runs.filter((r) => r.marks === marks).map((r) => r[key]));
const m = machine();
const result = { machine: m, date: new Date().toISOString(), rows: ROWS, block: BLOCK, runs };
const markdown = `# Insert cost of person marks (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}, chdb (embedded).
\`npm run bench -- ingest-marks\` (bench/ingest-marks.mjs says how): ${ROWS} statement rows inserted into \`statements\`
with all its views in blocks of ${BLOCK}, alternately with the marks view by person (migration 061) and by day ×
establishment (before it), ${ROUNDS} rounds.

| marks | rows/s (median) | CPU µs per row (median) | runs (rows/s) |
|---|---:|---:|---|
| by person × day × establishment (061) | ${of('person', 'rowsPerSecond')} | ${of('person', 'cpuUsPerRow')} | ${runs
  .filter((r) => r.marks === 'person')
  .map((r) => r.rowsPerSecond)
  .join(', ')} |
| by day × establishment (058) | ${of('day', 'rowsPerSecond')} | ${of('day', 'cpuUsPerRow')} | ${runs
  .filter((r) => r.marks === 'day')
  .map((r) => r.rowsPerSecond)
  .join(', ')} |
`;
writeResults('ingest-marks', result, markdown);
