// The plain references of the load benchmark, in their own process (chdb: one data directory per process): the
// statements of the file made into `statements` rows beforehand (prepared and enriched as the loader does, not
// timed), then inserted in blocks into a plain MergeTree copy of `statements` (no view) and into `statements` with
// its views. Prints one JSON line per table, with the wall and CPU seconds of the inserts (chdb runs in-process, so
// the CPU includes ClickHouse's threads).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadDirectorySnapshot } from '@ent-observatory/directory';
import { openStore } from '@ent-observatory/store';
import { TABLES, createWarehouse, insertLinesOnce, migrate } from '@ent-observatory/warehouse';
import {
  STATEMENT_ROW_COLUMNS,
  compactRow,
  createPseudonymKey,
  enrichStatement,
  prepareStatement,
  statementToRow,
} from '@ent-observatory/xapi';

const [dataDir, directoryDir, file, blockArg] = process.argv.slice(2);
const block = Number(blockArg);
const store = await openStore({ dataDir: directoryDir });
const facts = await loadDirectorySnapshot(store);
await store.close();
const snapshot = new Map([...facts].map(([uai, f]) => [uai.toUpperCase(), f]));
const key = createPseudonymKey('bench-load-pseudonymisation-key-0123456789');
const authority = { objectType: 'Agent', account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'bench' } };
const stored = new Date();
const lines = [];
// Streamed: a file of a million statements is larger than the longest string V8 makes.
for await (const l of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (l === '') continue;
  const s = prepareStatement(JSON.parse(l), { authority, stored, version: '1.0.3' });
  lines.push(Buffer.from(`${JSON.stringify(compactRow(statementToRow(s, enrichStatement(s, { snapshot, key }))))}\n`));
}

const w = createWarehouse({ dataDir });
await migrate(w);
await w.client.command({ query: `CREATE TABLE statements_plain AS ${TABLES.statements}` });
for (const table of ['statements_plain', TABLES.statements]) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < lines.length; i += block) {
    await insertLinesOnce(
      w.client,
      table,
      STATEMENT_ROW_COLUMNS,
      Buffer.concat(lines.slice(i, i + block)),
      `reference-${table}-${i}`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ table, block, rows: lines.length, seconds, cpuSeconds: (user + system) / 1e6, rowsPerSecond: Math.round(lines.length / seconds) })}\n`,
  );
}
await w.client.close();
