import { createWarehouse, queryRows } from '@ent-observatory/warehouse';
const w = createWarehouse({ dataDir: process.argv[2] });
console.log(
  await queryRows(
    w.client,
    "SELECT table, count() parts, sum(rows) rows, sum(marks) marks FROM system.parts WHERE active AND table IN ('visit_person','visit_starts','pupil_weekly','directory_establishments') GROUP BY table",
  ),
);
const sql =
  "SELECT sum(visits) FROM visit_person WHERE grain='week' AND ent_service='*' AND period BETWEEN '2025-09-01' AND '2026-04-20' AND uai='0350852L'";
console.log((await queryRows(w.client, 'EXPLAIN indexes = 1 ' + sql)).map((r) => r.explain).join('\n'));
for (const q of [
  "SELECT count() FROM pupil_weekly WHERE week = '2025-09-01'",
  'SELECT count() FROM directory_establishments',
  sql,
  sql + ' SETTINGS use_query_condition_cache=0',
  'SELECT 1 FROM numbers(10)',
]) {
  const ts = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    await queryRows(w.client, q);
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(q.slice(0, 100), ts[4].toFixed(1));
}
await w.client.close();
