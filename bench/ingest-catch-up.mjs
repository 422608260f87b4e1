// `npm run bench -- ingest-catch-up [--compare idle|rare|threads] [--per-request 100] [--connections 32]`: what the
// visit rollups' background catch-up costs HTTP ingest, and where the API's CPU goes. Fresh API processes (embedded
// chdb) take `connections` clients posting `per-request`-statement requests (the ingest benchmark's statements; 1:
// single statements, result name `-singles`) for BENCH_SECONDS (20) each, alternately with a setting of the catch-up
// changed and with the defaults, BENCH_ROUNDS (4) rounds, the order swapped every round:
// - `idle` (default): background catch-ups back to back (ROLLUP_IDLE_FACTOR=0, as before 2026-12-07) or each waiting
//   twice the last one's duration (default 2);
// - `rare`: background catch-ups at most one per 20 s (ROLLUP_IDLE_FACTOR=100, the wait capped at 20 s): about what
//   ingest would reach if they cost nothing;
// - `wide`: background catch-ups each waiting five times the last one's duration (ROLLUP_IDLE_FACTOR=5) or twice
//   (default 2). The background looks every 2 s: a catch-up of d seconds waits past the next look when 3d (twice) or
//   6d (five times) is over 2 s, so under load (d ≈ 0.4–0.6 s) five times means one every 4 s instead of every 2 s;
// - `threads`: the catch-up's statements on every core (ROLLUP_MAX_THREADS=0, as before 2026-12-07) or on one
//   thread (default 1).
// Each run reads the CPU of the API's threads from /proc, grouped: the main JavaScript thread, Node's other threads
// (statement preparation, libuv's and V8's pools), and ClickHouse's own threads (inserts, catch-ups, merges).
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LRS_CREDENTIAL, postLoad } from './post-load.mjs';
import { flag, machine, median, numberFlag, startApi, stop, writeResults } from './support.mjs';

const COMPARISONS = {
  idle: {
    changed: { label: 'back to back', env: { ROLLUP_IDLE_FACTOR: '0' } },
    defaults: 'spaced',
    heading: 'background catch-ups back to back (`ROLLUP_IDLE_FACTOR=0`) or spaced (default 2)',
  },
  rare: {
    changed: { label: 'every 20 s at most', env: { ROLLUP_IDLE_FACTOR: '100' } },
    defaults: 'spaced',
    heading:
      'background catch-ups at most every 20 s (`ROLLUP_IDLE_FACTOR=100`: 100 × a catch-up, capped at 20 s) or spaced (default 2)',
  },
  wide: {
    changed: { label: 'five times their duration apart', env: { ROLLUP_IDLE_FACTOR: '5' } },
    defaults: 'spaced',
    heading:
      "background catch-ups each waiting five times the last one's duration (`ROLLUP_IDLE_FACTOR=5`) or twice (default 2)",
  },
  threads: {
    changed: { label: 'every core', env: { ROLLUP_MAX_THREADS: '0' } },
    defaults: 'one thread',
    heading: "the catch-up's statements on every core (`ROLLUP_MAX_THREADS=0`) or on one thread (default 1)",
  },
};
const COMPARE = flag('compare', 'idle');
const comparison = COMPARISONS[COMPARE];
if (!comparison) throw new Error(`--compare ${COMPARE}: choose ${Object.keys(COMPARISONS).join(' or ')}`);
const PER_REQUEST = numberFlag('per-request', 100);
const CONNECTIONS = numberFlag('connections', 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const root = join(tmpdir(), 'ent-observatory-bench', `ingest-catch-up-${process.pid}`);
/** CPU ticks of each thread of `pid`, with its name. */
function threads(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, {
        name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        ticks: +fields[11] + +fields[12],
      });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Cores used per group of threads: the main JavaScript thread, Node's other threads, ClickHouse's. */
function group(pid, before, after, seconds) {
  const cores = { main: 0, node: 0, clickhouse: 0 };
  for (const [tid, t] of after) {
    const used = (t.ticks - (before.get(tid)?.ticks ?? 0)) / 100 / seconds;
    if (tid === String(pid)) cores.main += used;
    else if (t.name === 'node') cores.node += used;
    else cores.clickhouse += used;
  }
  return Object.fromEntries(Object.entries(cores).map(([k, v]) => [k, Number(v.toFixed(2))]));
}

async function run(changed, n) {
  const api = await startApi({
    PORT: String(3460 + n),
    DATA_DIR: join(root, `api-${n}`),
    LRS_BOOTSTRAP_CREDENTIAL: LRS_CREDENTIAL,
    ADMIN_BOOTSTRAP: 'bench@observatoire.test:bench-admin-password',
    ...(changed ? comparison.changed.env : {}),
  });
  await postLoad(api.url, { connections: 4, perRequest: PER_REQUEST, duration: 3 }); // warm-up
  const before = threads(api.child.pid);
  const started = performance.now();
  const r = await postLoad(api.url, { connections: CONNECTIONS, perRequest: PER_REQUEST, duration: SECONDS });
  const seconds = (performance.now() - started) / 1000;
  const cores = group(api.child.pid, before, threads(api.child.pid), seconds);
  await stop(api.child);
  const ok = r.requests.total - r.non2xx - r.errors;
  return {
    changed,
    statementsPerSecond: Math.round((ok * PER_REQUEST) / r.duration),
    non2xx: r.non2xx,
    errors: r.errors,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
    cores,
  };
}

rmSync(root, { recursive: true, force: true });
const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const changed of round % 2 === 0 ? [true, false] : [false, true]) {
    runs.push({ round: round + 1, ...(await run(changed, runs.length)) });
    process.stdout.write(`${JSON.stringify(runs.at(-1))}\n`);
  }
}
rmSync(root, { recursive: true, force: true });

const of = (changed) => runs.filter((r) => r.changed === changed);
const summary = (changed) => ({
  statementsPerSecond: median(of(changed).map((r) => r.statementsPerSecond)),
  runs: of(changed).map((r) => r.statementsPerSecond),
});
const m = machine();
const result = {
  machine: m,
  date: new Date().toISOString(),
  compare: COMPARE,
  perRequest: PER_REQUEST,
  connections: CONNECTIONS,
  seconds: SECONDS,
  rounds: ROUNDS,
  runs,
};
const shape = PER_REQUEST === 1 ? 'single statements' : `${PER_REQUEST}-statement batches`;
const options = `${PER_REQUEST === 100 ? '' : ` --per-request ${PER_REQUEST}`}${CONNECTIONS === 32 ? '' : ` --connections ${CONNECTIONS}`}`;
const label = (r) => (r.changed ? comparison.changed.label : comparison.defaults);
const cell = (r) =>
  `${r.statementsPerSecond} | ${r.latencyMs.p50} / ${r.latencyMs.p99} | ${Object.values(r.cores).join(' / ')}`;
const markdown = `# Ingest and the visit catch-up (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}. \`npm run bench -- ingest-catch-up
--compare ${COMPARE}${options}\` (bench/ingest-catch-up.mjs says how): fresh API processes on embedded chdb,
${CONNECTIONS} clients posting ${shape} for ${SECONDS} s, ${comparison.heading}, alternating over ${ROUNDS} rounds.

| round | catch-ups | statements/s | latency p50 / p99 ms | cores: main / other Node threads / ClickHouse |
|---:|---|---:|---:|---|
${runs.map((r) => `| ${r.round} | ${label(r)} | ${cell(r)} |`).join('\n')}

Median: ${comparison.changed.label} ${summary(true).statementsPerSecond} statements/s (${summary(true).runs.join(', ')});
${comparison.defaults} ${summary(false).statementsPerSecond} (${summary(false).runs.join(', ')}). Non-2xx: ${runs.reduce((s, r) => s + r.non2xx + r.errors, 0)}.
`;
const name = COMPARE === 'idle' ? 'ingest-catch-up' : `ingest-catch-up-${COMPARE}`;
writeResults(PER_REQUEST === 1 ? `${name}-singles` : name, result, markdown);
