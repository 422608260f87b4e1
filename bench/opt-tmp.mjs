import { createWarehouse, queryRows, command } from '@ent-observatory/warehouse';
const w = createWarehouse({ dataDir: process.argv[2] });
console.log(
  await queryRows(
    w.client,
    "SELECT table, count() parts, uniq(partition) parts_p FROM system.parts WHERE active AND table IN ('visit_cube','visit_starts','activity_actor_daily') GROUP BY table",
  ),
);
const t = performance.now();
await command(w.client, 'OPTIMIZE TABLE visit_cube FINAL');
await command(w.client, 'OPTIMIZE TABLE visit_starts FINAL');
console.log('optimize', performance.now() - t);
console.log(
  await queryRows(
    w.client,
    "SELECT table, count() parts FROM system.parts WHERE active AND table IN ('visit_cube','visit_starts') GROUP BY table",
  ),
);
await w.client.close();
