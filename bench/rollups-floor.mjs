// `npm run bench -- rollups-floor [--size 1000000] [--arrivals 10] [--rounds 3] [--before <checkout>]`: what a
// small visit catch-up costs whatever arrived (its floor). On a store of `size` statements (bench/rollups-store.mjs),
// `arrivals` times 10 people of one establishment arrive (their whole day, marked by person) and are caught up:
// wall time, CPU of the process (chdb runs in it: ClickHouse's threads count) and number of queries, medians.
//
// `--before <checkout>`: the same measure with the libraries of another checkout of this repository, built
// (`npm run build:server` there), in alternating processes (theirs first), `rounds` each: a before/after of a change
// to the catch-up, side by side on one machine. Each process builds its own store in <tmp>.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DAYS, PEOPLE, PER_PERSON_DAY, fillDay, settled } from './rollups-store.mjs';
import { flag, machine, median, numberFlag, roundMedians, writeResults } from './support.mjs';

const SIZE = numberFlag('size', 1_000_000);
const ARRIVALS = numberFlag('arrivals', 10);
const ROUNDS = numberFlag('rounds', 3);
const BEFORE = flag('before', null);
const PART = 10;

/** One process: builds a store with the libraries of `root`, times the catch-ups of small arrivals. */
async function measure(root) {
  const { createWarehouse, migrate } = await import(join(root, 'libs/warehouse/dist/index.js'));
  const { refreshVisitRollups } = await import(join(root, 'libs/indicators/dist/index.js'));
  const dir = join(tmpdir(), 'ent-observatory-bench', `rollups-floor-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const w = createWarehouse({ dataDir: dir });
  await migrate(w);
  const options = { inFlightMarginSeconds: 0 };
  const establishments = Math.max(1, Math.round(SIZE / DAYS.length / PEOPLE / PER_PERSON_DAY));
  for (const day of DAYS) {
    await fillDay(w, day, 0, establishments);
    await refreshVisitRollups(w, options);
  }
  let queries = 0;
  for (const method of ['query', 'command', 'exec', 'insert']) {
    const original = w.client[method].bind(w.client);
    w.client[method] = (...args) => {
      queries++;
      return original(...args);
    };
  }
  const runs = [];
  for (let k = 0; k < ARRIVALS; k++) {
    await fillDay(w, '2025-11-17', 0, 1, { p0: k * PART, pn: PART, byPerson: true });
    await settled(w);
    queries = 0;
    const t = performance.now();
    const cpu = process.cpuUsage();
    const caught = await refreshVisitRollups(w, options);
    const used = process.cpuUsage(cpu);
    if (caught.days.join() !== '2025-11-17') throw new Error(`counted ${caught.days.join()}`);
    runs.push({ ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, queries });
  }
  await w.client.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    ms: Math.round(median(runs.map((r) => r.ms))),
    cpuMs: Math.round(median(runs.map((r) => r.cpuMs))),
    queries: median(runs.map((r) => r.queries)),
  };
}

if (process.env.ROLLUPS_FLOOR_ROOT) {
  process.send(await measure(process.env.ROLLUPS_FLOOR_ROOT));
  process.exit(0);
}

const inChild = (root) =>
  new Promise((done, fail) => {
    const child = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, ROLLUPS_FLOOR_ROOT: root } });
    child.on('message', done);
    child.on('exit', (code) => code !== 0 && fail(new Error(`measure of ${root} exited with ${code}`)));
  });

const variants = [...(BEFORE ? [{ name: 'before', root: resolve(BEFORE) }] : []), { name: 'this', root: resolve('.') }];
const rounds = [];
for (let r = 0; r < ROUNDS; r++) {
  const round = {};
  for (const v of variants) {
    round[v.name] = await inChild(v.root);
    process.stdout.write(`round ${r + 1} ${v.name}: ${JSON.stringify(round[v.name])}\n`);
  }
  rounds.push(round);
}
const summary = roundMedians(
  rounds,
  variants.map((v) => v.name),
);
const m = machine();
const result = {
  machine: m,
  date: new Date().toISOString(),
  size: SIZE,
  arrivals: ARRIVALS,
  before: BEFORE,
  rounds,
  summary,
};
const row = (name, s) => `| ${name} | ${s.queries} | ${s.ms} | ${s.cpuMs} |`;
const markdown = `# The floor of a visit catch-up (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}, chdb (embedded).
Run: \`npm run bench -- rollups-floor --size ${SIZE} --arrivals ${ARRIVALS} --rounds ${ROUNDS}${BEFORE ? ` --before ${BEFORE}` : ''}\`
(bench/rollups-floor.mjs says how). Each process builds a ${(SIZE / 1e6).toFixed(1)}M-statement store, then ${ARRIVALS} times
${PART} people of one establishment arrive and are caught up; a process's figure is the median of its catch-ups, the
table's the median of ${ROUNDS} alternating rounds. CPU is the process's (ClickHouse's threads included); wall time
includes the lease: on an embedded store, held in the process since 2026-12-07 (code before that wrote and read
claims in ClickHouse, with a 250 ms settling wait).

| code | queries per catch-up | wall ms | CPU ms |
|---|---:|---:|---:|
${variants.map((v) => row(v.name === 'this' ? 'this checkout' : `before (${BEFORE})`, summary[v.name])).join('\n')}

Rounds: ${rounds.map((r, i) => `${i + 1}: ${variants.map((v) => `${v.name} ${r[v.name].ms} ms / ${r[v.name].cpuMs} ms CPU`).join(', ')}`).join('; ')}.
`;
writeResults('rollups-floor', result, markdown);
