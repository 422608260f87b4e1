// The physical reference: realistic statement rows inserted straight into embedded chdb through
// @clickhouse/client, no HTTP, no validation. Prints one JSON line per batch size.
import { rmSync } from 'node:fs';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';
import { prepareStatement, statementToRow } from '@ent-observatory/xapi';
import { statement } from './support.mjs';

const dataDir = process.argv[2];
rmSync(dataDir, { recursive: true, force: true });
const w = createWarehouse({ dataDir });
await migrate(w);
const authority = { objectType: 'Agent', account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'bench' } };
const TOTAL = 200_000;
const rows = Array.from({ length: TOTAL }, (_, i) =>
  statementToRow(prepareStatement(statement(i), { authority, stored: new Date(), version: '1.0.3' })),
);
for (const batch of [1_000, 10_000]) {
  const started = performance.now();
  for (let i = 0; i < TOTAL; i += batch) {
    await w.client.insert({ table: 'statements', values: rows.slice(i, i + batch), format: 'JSONEachRow' });
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ batch, rows: TOTAL, seconds, rowsPerSecond: Math.round(TOTAL / seconds) })}\n`,
  );
}
await w.client.close();
