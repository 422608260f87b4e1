import { createWarehouse, queryRows } from '@ent-observatory/warehouse';
import {
  visitCellsSql,
  penetrationBy,
  heatmap,
  visitCells,
  timeSlots,
  equity,
  continuity,
} from '@ent-observatory/indicators';
const w = createWarehouse({ dataDir: process.argv[2] });
const f = { from: '2025-09-01', to: '2026-03-10' };
const time = async (name, fn, n = 7) => {
  await fn();
  const ts = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(40), ts[Math.floor(n / 2)].toFixed(1), 'ms');
};
await time('SELECT 1', () => queryRows(w.client, 'SELECT 1'));
for (const [name, b] of [
  ['total', [[]]],
  ['profile', [['profile']]],
  ['service', [['service']]],
  ['week', [['week']]],
  ['overview5', [[], ['profile'], ['service'], ['device'], ['week']]],
]) {
  await time('cells ' + name, () => visitCells(w, f, b));
}
await time('cells uai', () => visitCells(w, f, [['uai']]));
await time('cells one uai total', () => visitCells(w, { ...f, uai: '0350852L' }, [[]]));
await time('cells one uai 5', () =>
  visitCells(w, { ...f, uai: '0350852L' }, [[], ['profile'], ['service'], ['device'], ['week']]),
);
await time('cells academie total', () => visitCells(w, { ...f, academie: '14' }, [[]]));
await time('penetration null', () => penetrationBy(w, f, null));
await time('penetration uai', () => penetrationBy(w, f, 'uai'));
await time('penetration one uai', () => penetrationBy(w, { ...f, uai: '0350852L' }, null));
await time('heatmap', () => heatmap(w, { filter: f, k: 5 }));
await time('heatmap one uai', () => heatmap(w, { filter: { ...f, uai: '0350852L' }, k: 5 }));
await time('slots', () => timeSlots(w, { filter: f, k: 5, offDays: ['14|2025-10-20', '24|2025-10-21'] }));
await time('equity', () => equity(w, { filter: f, k: 5 }));
await time('continuity', () => continuity(w, { filter: f, k: 5, sectorColleges: { schools: [], colleges: [] } }));
await w.client.close();
