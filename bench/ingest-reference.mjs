// The physical references of the ingest benchmark: realistic statement rows inserted straight into embedded chdb,
// no HTTP, no validation, with the journal's own insert (insertLinesOnce: JSONCompactEachRow, deduplication token,
// synchronous and fsynced). Two tables: a plain MergeTree copy of `statements` (same columns, order, indexes and
// fsync settings, no materialized view: the baseline) and `statements` itself with its nine views (what
// every LRS write pays). Until 2026-12-06 only the second was measured, as "direct insert". One JSON line per case.
import { rmSync } from 'node:fs';
import { TABLES, createWarehouse, insertLinesOnce, migrate } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS } from '@ent-observatory/xapi';
import { statementLines } from './support.mjs';

const dataDir = process.argv[2];
rmSync(dataDir, { recursive: true, force: true });
const w = createWarehouse({ dataDir });
await migrate(w);
await w.client.command({ query: `CREATE TABLE statements_plain AS ${TABLES.statements}` });
const TOTAL = Number(process.env.BENCH_REFERENCE_ROWS ?? 100_000);
const lines = statementLines(TOTAL);
let token = 0;
for (const table of ['statements_plain', TABLES.statements]) {
  for (const batch of [1_000, 10_000]) {
    const started = performance.now();
    for (let i = 0; i < TOTAL; i += batch) {
      await insertLinesOnce(
        w,
        table,
        STATEMENT_ROW_COLUMNS,
        Buffer.concat(lines.slice(i, i + batch)),
        `ref-${token++}`,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${JSON.stringify({ table, views: table === TABLES.statements, batch, rows: TOTAL, seconds, rowsPerSecond: Math.round(TOTAL / seconds) })}\n`,
    );
  }
}
await w.client.close();
