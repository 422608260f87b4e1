import { rmSync } from 'node:fs';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';
import { prepareStatement, statementToRow, compactRow, STATEMENT_ROW_COLUMNS } from '@ent-observatory/xapi';
import { statement } from './support.mjs';
rmSync('/tmp/exp2', { recursive: true, force: true });
const w = createWarehouse({ dataDir: '/tmp/exp2' });
await migrate(w);
const authority = { objectType: 'Agent', account: { homePage: 'https://x.invalid/lrs', name: 'bench' } };
const rows = Array.from({ length: 20000 }, (_, i) => compactRow(statementToRow(prepareStatement(statement(i), { authority, stored: new Date(), version: '1.0.3' }))));
const cols = [...STATEMENT_ROW_COLUMNS];
const q = (query) => w.client.command({ query });
await q('CREATE TABLE noproj AS statements'); await q('ALTER TABLE noproj DROP PROJECTION by_id');
await q('CREATE TABLE nofsync AS statements'); await q('ALTER TABLE nofsync MODIFY SETTING fsync_after_insert=0, fsync_part_directory=0');
await q('CREATE TABLE bare AS noproj'); await q('ALTER TABLE bare MODIFY SETTING fsync_after_insert=0, fsync_part_directory=0');
for (const idx of ['idx_id','idx_actor','idx_verb','idx_object','idx_registration','idx_timestamp']) await q(`ALTER TABLE bare DROP INDEX ${idx}`);
await q('CREATE TABLE fsynconly AS bare'); await q('ALTER TABLE fsynconly MODIFY SETTING fsync_after_insert=1, fsync_part_directory=1');
await q('CREATE TABLE afterinsert AS statements'); await q('ALTER TABLE afterinsert MODIFY SETTING fsync_part_directory=0');
for (const table of ['statements', 'noproj', 'nofsync', 'bare', 'fsynconly', 'afterinsert']) for (const n of [32, 1000]) {
  const reps = 40; const t = performance.now();
  for (let i = 0; i < reps; i++) await w.client.insert({ table, values: rows.slice(i * n % 19000, i * n % 19000 + n), format: 'JSONCompactEachRow', columns: cols });
  console.log(table.padEnd(12), n, ((performance.now() - t) / reps).toFixed(1), 'ms/insert');
}
const parts = await (await w.client.query({ query: "SELECT table, count() c FROM system.parts WHERE active GROUP BY table", format: 'JSONEachRow' })).json();
console.log(parts);
await w.client.close();
