import { createWarehouse, command } from '@ent-observatory/warehouse';
const w = createWarehouse({ dataDir: process.argv[2] });
for (const t of [
  'visit_dirty_mv',
  'visit_cube',
  'visit_cube_stage',
  'visit_starts',
  'visit_starts_stage',
  'visit_person_stage',
  'visit_dirty',
  'visit_refreshed',
  'visit_person',
  'visit_day_stage',
  'visit_cube',
])
  await command(w.client, `DROP TABLE IF EXISTS ${t}`);
await command(w.client, `ALTER TABLE _migrations DELETE WHERE version = 40 SETTINGS mutations_sync = 2`);
await w.client.close();
