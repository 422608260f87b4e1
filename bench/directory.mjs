// Directory import: the bundled open-data files (data/directory) into fresh stores — embedded PGlite on disk, and
// PostgreSQL when DATABASE_URL is set — with chdb for the mirror; a first import, then the same files again
// (idempotent re-import: everything unchanged).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDirectory } from '@ent-observatory/directory';
import { migrateStore, openStore } from '@ent-observatory/store';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';
import { machine, writeResults } from './support.mjs';

const files = readdirSync('data/directory')
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((f) => join('data/directory', f));
const dataDir = mkdtempSync(join(tmpdir(), 'bench-directory-'));
const warehouse = createWarehouse({ dataDir });
await migrate(warehouse);

async function run(mode, config) {
  const store = await openStore(config);
  await migrateStore(store);
  await store.execScript(
    'TRUNCATE regions, academies, departements, communes, establishments, establishment_enrolments, school_map, sector_colleges, ent_platforms, ent_platform_assignments, school_classes, class_members',
  );
  const passes = [];
  for (const pass of ['first import', 're-import']) {
    const started = performance.now();
    const report = await importDirectory(store, warehouse, files);
    const seconds = (performance.now() - started) / 1000;
    const rows = report.files.reduce((n, f) => n + f.inserted + f.updated + f.unchanged, 0);
    const lines = report.files.reduce((n, f) => n + f.rows, 0);
    passes.push({ mode, pass, files: files.length, lines, rows, seconds });
  }
  await store.close();
  return passes;
}

const results = await run('PGlite (on disk)', { dataDir });
if (process.env.DATABASE_URL)
  results.push(...(await run('PostgreSQL', { databaseUrl: process.env.DATABASE_URL, dataDir })));
await warehouse.client.close();
rmSync(dataDir, { recursive: true, force: true });

const result = { date: new Date().toISOString(), machine: machine(), loadAverage: loadavg()[0], results };
writeResults(
  'directory',
  result,
  `# Directory import (${result.date.slice(0, 10)})

Machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}. The ${files.length} bundled
files of data/directory, ClickHouse mirror (chdb) and sector-collège derivation included; store opening excluded.
Load average at the end of the run: ${result.loadAverage.toFixed(1)} (the machine is shared: times vary with it).

| store | pass | lines read | rows written or compared | seconds |
|---|---|---:|---:|---:|
${results.map((r) => `| ${r.mode} | ${r.pass} | ${r.lines} | ${r.rows} | ${r.seconds.toFixed(1)} |`).join('\n')}
`,
);
