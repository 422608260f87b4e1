// The plain references of the load benchmark, in their own process (chdb: one data directory per process): the
// statements of the file made into `statements` rows beforehand (prepared and enriched as the loader does, not
// timed), then inserted in blocks into a plain MergeTree copy of `statements` (no view) and into `statements` with
// its views. Prints one JSON line per table, with the wall and CPU seconds of the inserts (chdb runs in-process, so
// the CPU includes ClickHouse's threads). Only the inserts are timed; each block is read back from a rows file
// between them.
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
// The rows are made once into a file beside the store, then read back block by block for each insert: ten million
// rows (~15 GB) do not fit in memory as Buffers. Streamed: a file of a million statements is larger than the longest
// string V8 makes.
const rowsFile = join(dataDir, 'rows.ndjson');
mkdirSync(dataDir, { recursive: true });
const out = createWriteStream(rowsFile);
let rows = 0;
for await (const l of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (l === '') continue;
  const s = prepareStatement(JSON.parse(l), { authority, stored, version: '1.0.3' });
  const line = `${JSON.stringify(compactRow(statementToRow(s, enrichStatement(s, { snapshot, key }))))}\n`;
  if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  rows++;
}
await new Promise((r) => out.end(r));

/** The rows file in blocks of `block` lines (Buffers of whole lines). */
async function* blocks() {
  let lines = [];
  for await (const l of createInterface({ input: createReadStream(rowsFile), crlfDelay: Infinity })) {
    lines.push(`${l}\n`);
    if (lines.length === block) {
      yield Buffer.from(lines.join(''));
      lines = [];
    }
  }
  if (lines.length > 0) yield Buffer.from(lines.join(''));
}

const w = createWarehouse({ dataDir });
await migrate(w);
await w.client.command({ query: `CREATE TABLE statements_plain AS ${TABLES.statements}` });
for (const table of ['statements_plain', TABLES.statements]) {
  // Only the inserts are timed (wall and CPU): reading the next block back from the rows file is not.
  let seconds = 0;
  let cpuSeconds = 0;
  let i = 0;
  for await (const data of blocks()) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await insertLinesOnce(w, table, STATEMENT_ROW_COLUMNS, data, `reference-${table}-${i++}`);
    seconds += (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    cpuSeconds += (user + system) / 1e6;
  }
  process.stdout.write(
    `${JSON.stringify({ table, block, rows, seconds, cpuSeconds, rowsPerSecond: Math.round(rows / seconds) })}\n`,
  );
}
await w.client.close();
