// `npm run bench -- ingest-catch-up`: what the visit rollups' background catch-up costs HTTP batch ingest, and where
// the API's CPU goes. Fresh API processes (embedded chdb) take 32 clients posting 100-statement batches (the ingest
// benchmark's statements) for BENCH_SECONDS (20) each, alternately with background catch-ups back to back
// (ROLLUP_IDLE_FACTOR=0, as before 2026-12-07) and with the default (each waits twice the last one's duration),
// BENCH_ROUNDS (4) rounds, the order swapped every round. Each run reads the CPU of the API's threads from /proc,
// grouped: the main JavaScript thread, Node's other threads (statement preparation, libuv's and V8's pools), and
// ClickHouse's own threads (inserts, catch-ups, merges).
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LRS_CREDENTIAL, postLoad } from './post-load.mjs';
import { machine, startApi, stop, writeResults } from './support.mjs';

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

async function run(idleFactor, n) {
  const api = await startApi({
    PORT: String(3460 + n),
    DATA_DIR: join(root, `api-${n}`),
    LRS_BOOTSTRAP_CREDENTIAL: LRS_CREDENTIAL,
    ADMIN_BOOTSTRAP: 'bench@observatoire.test:bench-admin-password',
    ...(idleFactor === undefined ? {} : { ROLLUP_IDLE_FACTOR: String(idleFactor) }),
  });
  await postLoad(api.url, { connections: 4, perRequest: 100, duration: 3 }); // warm-up
  const before = threads(api.child.pid);
  const started = performance.now();
  const r = await postLoad(api.url, { connections: 32, perRequest: 100, duration: SECONDS });
  const seconds = (performance.now() - started) / 1000;
  const cores = group(api.child.pid, before, threads(api.child.pid), seconds);
  await stop(api.child);
  const ok = r.requests.total - r.non2xx - r.errors;
  return {
    idleFactor: idleFactor ?? 'default (2)',
    statementsPerSecond: Math.round((ok * 100) / r.duration),
    non2xx: r.non2xx,
    errors: r.errors,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
    cores,
  };
}

rmSync(root, { recursive: true, force: true });
const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const factor of round % 2 === 0 ? [0, undefined] : [undefined, 0]) {
    runs.push({ round: round + 1, ...(await run(factor, runs.length)) });
    process.stdout.write(`${JSON.stringify(runs.at(-1))}\n`);
  }
}
rmSync(root, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const of = (back) => runs.filter((r) => (r.idleFactor === 0) === back);
const summary = (back) => ({
  statementsPerSecond: median(of(back).map((r) => r.statementsPerSecond)),
  runs: of(back).map((r) => r.statementsPerSecond),
});
const m = machine();
const result = { machine: m, date: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, runs };
const cell = (r) =>
  `${r.statementsPerSecond} | ${r.latencyMs.p50} / ${r.latencyMs.p99} | ${Object.values(r.cores).join(' / ')}`;
const markdown = `# Ingest and the visit catch-up (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}. \`npm run bench -- ingest-catch-up\`
(bench/ingest-catch-up.mjs says how): fresh API processes on embedded chdb, 32 clients posting 100-statement
batches for ${SECONDS} s, background catch-ups back to back (\`ROLLUP_IDLE_FACTOR=0\`) or spaced (default 2),
alternating over ${ROUNDS} rounds.

| round | catch-ups | statements/s | latency p50 / p99 ms | cores: main / other Node threads / ClickHouse |
|---:|---|---:|---:|---|
${runs.map((r) => `| ${r.round} | ${r.idleFactor === 0 ? 'back to back' : 'spaced'} | ${cell(r)} |`).join('\n')}

Median: back to back ${summary(true).statementsPerSecond} statements/s (${summary(true).runs.join(', ')}); spaced
${summary(false).statementsPerSecond} (${summary(false).runs.join(', ')}). Non-2xx: ${runs.reduce((s, r) => s + r.non2xx + r.errors, 0)}.
`;
writeResults('ingest-catch-up', result, markdown);
