import { createWarehouse, queryRows } from '@ent-observatory/warehouse';
const w = createWarehouse({ dataDir: process.argv[2] });
const time = async (name, sql, n = 7) => {
  await queryRows(w.client, sql);
  const ts = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await queryRows(w.client, sql);
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(30), ts[Math.floor(n / 2)].toFixed(1), 'ms');
};
for (const sql of process.argv.slice(3)) await time(sql.slice(0, 150), sql);
await w.client.close();
