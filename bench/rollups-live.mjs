// `npm run bench -- rollups-live [--size 5000000] [--arrivals 10]`: the visit catch-up under a steady flow, where
// the same establishments receive statements all day long. On a store of `size` statements (bench/rollups-store.mjs:
// 10 school days of November 2025, 500 people per establishment), two new days each arrive in `arrivals` parts, every
// part a new tenth of each establishment's people (their whole day at once), each part caught up (timed) before the
// next arrives:
// - day A (2025-11-17) marked whole day × establishment, as every mark was before migration 061: each catch-up
//   recounts everybody the establishment's day holds so far;
// - day B (2025-11-18) marked by person, as visit_dirty_person_mv marks statements since migration 061: each
//   catch-up recounts the part's people.
// The parts of A and B alternate (A first on even parts, B first on odd ones), so both see the same machine. At the
// end, November recomputed whole must give the same visits as the catch-ups did (checked).
//
// Env: BENCH_ROLLUPS_DIR (default <tmp>/ent-observatory-bench/rollups); the store is rebuilt at each run.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWarehouse, migrate } from '@ent-observatory/warehouse';
import { recomputeMonth, refreshVisitRollups } from '@ent-observatory/indicators';
import { DAYS, PEOPLE, PER_PERSON_DAY, fillDay, one, settled } from './rollups-store.mjs';
import { machine, numberFlag, writeResults } from './support.mjs';

const SIZE = numberFlag('size', 5_000_000);
const ARRIVALS = numberFlag('arrivals', 10);
const DIR = join(process.env.BENCH_ROLLUPS_DIR ?? join(tmpdir(), 'ent-observatory-bench', 'rollups'), 'live');
const LIVE = [
  { day: '2025-11-17', byPerson: false, label: 'whole day × establishment' },
  { day: '2025-11-18', byPerson: true, label: 'by person' },
];
const options = { inFlightMarginSeconds: 0 };

rmSync(DIR, { recursive: true, force: true });
const w = createWarehouse({ dataDir: DIR });
await migrate(w);
const establishments = Math.round(SIZE / DAYS.length / PEOPLE / PER_PERSON_DAY);
let t = performance.now();
for (const day of DAYS) {
  await fillDay(w, day, 0, establishments);
  await refreshVisitRollups(w, options);
}
const buildSeconds = (performance.now() - t) / 1000;
const stored = await one(w, 'SELECT sum(events) FROM activity_actor_daily');
process.stdout.write(
  `store of ${stored} statements, ${establishments} establishments (${buildSeconds.toFixed(0)} s)\n`,
);

const part = Math.floor(PEOPLE / ARRIVALS);
const parts = [];
for (let k = 0; k < ARRIVALS; k++) {
  const row = { part: k + 1, statements: establishments * part * PER_PERSON_DAY, dayHolds: (k + 1) * part };
  for (const live of k % 2 === 0 ? LIVE : [...LIVE].reverse()) {
    await fillDay(w, live.day, 0, establishments, { p0: k * part, pn: part, byPerson: live.byPerson });
    await settled(w);
    t = performance.now();
    const caught = await refreshVisitRollups(w, options);
    if (caught.days.join() !== live.day) throw new Error(`counted ${caught.days.join()} for ${live.day}`);
    row[live.byPerson ? 'byPersonSeconds' : 'wholeDaySeconds'] = Number(((performance.now() - t) / 1000).toFixed(2));
  }
  parts.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
const visits = () => one(w, "SELECT sum(visits) FROM visit_person WHERE grain = 'day' AND period >= '2025-11-17'");
const caughtUp = await visits();
await settled(w);
await recomputeMonth(w, '2025-11-01');
const full = await visits();
if (full !== caughtUp)
  throw new Error(`catch-ups counted ${caughtUp} visits of the live days, the full recount ${full}`);
await w.client.close();
rmSync(DIR, { recursive: true, force: true });

const sum = (key) => parts.reduce((s, p) => s + p[key], 0);
const m = machine();
const result = {
  machine: m,
  date: new Date().toISOString(),
  storeStatements: stored,
  establishments,
  arrivals: ARRIVALS,
  buildSeconds: Number(buildSeconds.toFixed(1)),
  liveDayVisits: full,
  parts,
  wholeDayTotalSeconds: Number(sum('wholeDaySeconds').toFixed(2)),
  byPersonTotalSeconds: Number(sum('byPersonSeconds').toFixed(2)),
};
const markdown = `# Visit rollups under a steady flow: marks by day × establishment or by person (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}, chdb (embedded).
Run: \`npm run bench -- rollups-live --size ${SIZE} --arrivals ${ARRIVALS}\` (bench/rollups-live.mjs says how). Store:
${(stored / 1e6).toFixed(1)}M statements over ${establishments} establishments. Two new days each arrive in ${ARRIVALS}
parts of ${(parts[0].statements / 1e3).toFixed(0)}k statements (a new ${part} of each establishment's ${PEOPLE} people),
each part caught up before the next; the parts of the two days alternate. Both days end with the visits November's
full recount gives (${full}, checked).

| part | people of each establishment's day so far | catch-up, marks of the whole day × establishment | catch-up, marks by person | ratio |
|---:|---:|---:|---:|---:|
${parts.map((p) => `| ${p.part} | ${p.dayHolds} | ${p.wholeDaySeconds} s | ${p.byPersonSeconds} s | ${(p.wholeDaySeconds / p.byPersonSeconds).toFixed(1)}× |`).join('\n')}
| all | | **${result.wholeDayTotalSeconds} s** | **${result.byPersonTotalSeconds} s** | ${(result.wholeDayTotalSeconds / result.byPersonTotalSeconds).toFixed(1)}× |
`;
writeResults('rollups-live', result, markdown);
