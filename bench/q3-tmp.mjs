import { createWarehouse, queryRows } from '@ent-observatory/warehouse';
import { visitCellsSql } from '@ent-observatory/indicators';
const w = createWarehouse({ dataDir: process.argv[2] });
console.log(
  await queryRows(
    w.client,
    "SELECT level, grain, ent_service = '*' AS star, count() n FROM visit_cube GROUP BY ALL ORDER BY ALL",
  ),
);
console.log(await queryRows(w.client, 'SELECT table, count() parts FROM system.parts WHERE active GROUP BY table'));
const f = { from: '2025-09-01', to: '2026-03-10' };
const q = visitCellsSql(f, [[]]);
console.log(q.sql, q.params);
const ex = await queryRows(w.client, 'EXPLAIN indexes=1 ' + q.sql, q.params);
console.log(ex.map((r) => r.explain).join('\n'));
for (const s of [q.sql, q.sql.replace('uniqCombinedMerge(12)(users)', 'count()')]) {
  const ts = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await queryRows(w.client, s, q.params);
    ts.push(performance.now() - t);
  }
  console.log(ts.sort((a, b) => a - b)[3].toFixed(1));
}
await w.client.close();
