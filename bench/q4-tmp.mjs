import { createWarehouse, queryRows, command } from '@ent-observatory/warehouse';
const w = createWarehouse({ dataDir: process.argv[2] });
await command(w.client, 'DROP TABLE IF EXISTS t_x');
await command(
  w.client,
  "CREATE TABLE t_x ENGINE=MergeTree ORDER BY tuple() AS SELECT grain, period, departement, ent_profile, device, uniqState(person) u1, uniqCombinedState(12)(person) u2, uniqHLL12State(person) u3, uniqExactState(person) u4 FROM visit_person WHERE grain='month' AND ent_service='*' GROUP BY ALL",
);
console.log(await queryRows(w.client, 'SELECT count() n FROM t_x'));
const time = async (sql) => {
  await queryRows(w.client, sql);
  const ts = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const r = await queryRows(w.client, sql);
    ts.push(performance.now() - t);
    if (i === 0) console.log(JSON.stringify(r));
  }
  console.log(sql.slice(0, 60), ts.sort((a, b) => a - b)[3].toFixed(1));
};
await time('SELECT count() FROM t_x');
await time('SELECT uniqMerge(u1) FROM t_x');
await time('SELECT uniqCombinedMerge(12)(u2) FROM t_x');
await time('SELECT uniqHLL12Merge(u3) FROM t_x');
await time('SELECT uniqExactMerge(u4) FROM t_x');

await time('SELECT sum(byteSize(u2)), sum(byteSize(u1)), sum(byteSize(u3)) FROM t_x');
await command(w.client, 'DROP TABLE t_x');
await w.client.close();
