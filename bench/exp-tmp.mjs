import { rmSync } from 'node:fs';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';
import { prepareStatement, statementToRow } from '@ent-observatory/xapi';
import { statement } from './support.mjs';
rmSync('/tmp/exp', { recursive: true, force: true });
const w = createWarehouse({ dataDir: '/tmp/exp' });
await migrate(w);
const authority = { objectType: 'Agent', account: { homePage: 'https://x.invalid/lrs', name: 'bench' } };
const TOTAL = 100_000;
const rows = Array.from({ length: TOTAL }, (_, i) => statementToRow(prepareStatement(statement(i), { authority, stored: new Date(), version: '1.0.3' })));
const cols = Object.keys(rows[0]);
async function run(label, table, format, batch, map = (r) => r) {
  const t = performance.now();
  for (let i = 0; i < TOTAL; i += batch) await w.client.insert({ table, values: rows.slice(i, i + batch).map(map), format, columns: cols });
  console.log(label, batch, Math.round(TOTAL / ((performance.now() - t) / 1000)));
}
await w.client.command({ query: 'CREATE TABLE plain AS statements' });
await w.client.command({ query: 'ALTER TABLE plain DROP PROJECTION by_id' });
await w.client.command({ query: 'CREATE TABLE noidx AS plain' });
for (const idx of ['idx_id','idx_actor','idx_verb','idx_object','idx_registration','idx_timestamp']) await w.client.command({ query: `ALTER TABLE noidx DROP INDEX ${idx}` });
await w.client.command({ query: 'CREATE TABLE nofsync AS noidx' });
await w.client.command({ query: 'ALTER TABLE nofsync MODIFY SETTING fsync_after_insert=0, fsync_part_directory=0' });
for (const b of [1000, 5000]) {
  await run('full JSONEachRow', 'statements', 'JSONEachRow', b);
  await run('full JSONCompactEachRow', 'statements', 'JSONCompactEachRow', b, (r) => cols.map((c) => r[c]));
  await run('noproj JSONEachRow', 'plain', 'JSONEachRow', b);
  await run('noidx JSONEachRow', 'noidx', 'JSONEachRow', b);
  await run('nofsync JSONEachRow', 'nofsync', 'JSONEachRow', b);
}
const t = performance.now(); for (let i = 0; i < 50; i++) await w.client.query({ query: 'SELECT id FROM statements WHERE id IN {ids:Array(UUID)}', query_params: { ids: rows.slice(i*100, i*100+100).map(r => r.id) }, format: 'JSONEachRow' }).then(r => r.json());
console.log('dedup query ms', ((performance.now() - t) / 50).toFixed(1));
const t2 = performance.now(); for (let i = 0; i < 50; i++) await w.client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then(r => r.json());
console.log('select 1 ms', ((performance.now() - t2) / 50).toFixed(1));
await w.client.close();
